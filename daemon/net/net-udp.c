/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "roadied"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>
#include <glib.h>

#include "net-udp.h"

static const uint8_t non_esp_marker[4] = { 0, 0, 0, 0 };

/* Binds to @port if free, else to an ephemeral port; connects to @gateway at @gw_port. */
static int net_udp_socket(const struct sockaddr *gateway, socklen_t gateway_len, uint16_t port,
			  uint16_t gw_port, struct sockaddr_storage *ret_local, bool *ret_own)
{
	struct sockaddr_storage local = { 0 }, remote = { 0 };
	socklen_t local_len;
	int fd, one = 1;
	bool own = true;

	memcpy(&remote, gateway, gateway_len);
	local.ss_family = gateway->sa_family;
	if (gateway->sa_family == AF_INET) {
		((struct sockaddr_in *)&remote)->sin_port = htons(gw_port);
		((struct sockaddr_in *)&local)->sin_port = htons(port);
		local_len = sizeof(struct sockaddr_in);
	} else if (gateway->sa_family == AF_INET6) {
		((struct sockaddr_in6 *)&remote)->sin6_port = htons(gw_port);
		((struct sockaddr_in6 *)&local)->sin6_port = htons(port);
		local_len = sizeof(struct sockaddr_in6);
	} else {
		return -EAFNOSUPPORT;
	}
	fd = socket(gateway->sa_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_UDP);
	if (fd < 0)
		return -errno;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&local, local_len) < 0) {
		/* 500/4500 taken (another IKE daemon) or not ours to take: go ephemeral */
		own = false;
		((struct sockaddr_in *)&local)->sin_port = 0; /* same offset for sin6_port */
		if (bind(fd, (struct sockaddr *)&local, local_len) < 0)
			goto fail;
	}
	if (connect(fd, (struct sockaddr *)&remote, gateway_len) < 0)
		goto fail;
	local_len = sizeof(*ret_local);
	if (getsockname(fd, (struct sockaddr *)ret_local, &local_len) < 0)
		goto fail;
	*ret_own = own;
	return fd;
fail:
	{
		int err = -errno;

		close(fd);
		return err;
	}
}

int net_udp_open(struct net_udp *u, const struct sockaddr *gateway, socklen_t gateway_len)
{
	struct net_udp n = { .fd_ike = -1, .fd_natt = -1 };
	int fd;

	fd = net_udp_socket(gateway, gateway_len, 500, 500, &n.local_ike, &n.ike_port_own);
	if (fd < 0)
		return fd;
	n.fd_ike = fd;
	fd = net_udp_socket(gateway, gateway_len, 4500, 4500, &n.local_natt, &n.natt_port_own);
	if (fd < 0) {
		close(n.fd_ike);
		return fd;
	}
	n.fd_natt = fd;
	*u = n;
	return 0;
}

void net_udp_close(struct net_udp *u)
{
	if (u->fd_ike >= 0)
		close(u->fd_ike);
	if (u->fd_natt >= 0)
		close(u->fd_natt);
	u->fd_ike = u->fd_natt = -1;
}

int net_udp_send_ike(struct net_udp *u, bool natt, const uint8_t *data, size_t len)
{
	struct iovec iov[2] = {
		{ (void *)non_esp_marker, sizeof(non_esp_marker) },
		{ (void *)data, len },
	};
	ssize_t sent;

	if (natt)
		sent = writev(u->fd_natt, iov, 2);
	else
		sent = send(u->fd_ike, data, len, 0);
	return sent < 0 ? -errno : 0;
}

ssize_t net_udp_recv(struct net_udp *u, int fd, uint8_t *buf, size_t cap, bool *ret_is_ike)
{
	ssize_t n = recv(fd, buf, cap, MSG_TRUNC);

	if (n < 0)
		return -errno;
	if ((size_t)n > cap)
		return -EMSGSIZE; /* truncated: not ours to parse */
	if (fd == u->fd_ike) {
		*ret_is_ike = true;
		return n;
	}
	/* RFC 3948 §2: 0xff alone is a NAT keepalive; four zero bytes mark IKE; else ESP */
	if (n == 1 && buf[0] == 0xff)
		return 0;
	if (n >= 4 && memcmp(buf, non_esp_marker, 4) == 0) {
		memmove(buf, buf + 4, (size_t)n - 4);
		*ret_is_ike = true;
		return n - 4;
	}
	*ret_is_ike = false;
	return n;
}

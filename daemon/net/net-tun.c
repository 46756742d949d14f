/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glib.h>

#include "net-tun.h"

int net_tun_open(struct net_tun *tun, const char *name)
{
	struct ifreq ifr = { 0 };
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);

	tun->fd = -1;
	if (fd < 0)
		return -errno;
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	g_strlcpy(ifr.ifr_name, name ? name : "roadie%d", sizeof(ifr.ifr_name));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	tun->fd = fd;
	g_strlcpy(tun->name, ifr.ifr_name, sizeof(tun->name));
	return 0;
}

static int net_tun_ioctl(int sock, unsigned long request, struct ifreq *ifr)
{
	return ioctl(sock, request, ifr) < 0 ? -errno : 0;
}

static void net_tun_addr(struct sockaddr *field, uint32_t addr)
{
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_addr.s_addr = addr };

	memcpy(field, &in, sizeof(in));
}

int net_tun_set_mtu(const struct net_tun *tun, unsigned mtu)
{
	struct ifreq ifr = { .ifr_mtu = (int)mtu };
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int err;

	if (sock < 0)
		return -errno;
	g_strlcpy(ifr.ifr_name, tun->name, sizeof(ifr.ifr_name));
	err = net_tun_ioctl(sock, SIOCSIFMTU, &ifr);
	close(sock);
	return err;
}

int net_tun_configure(const struct net_tun *tun, uint32_t local, uint32_t peer, unsigned mtu)
{
	struct ifreq ifr = { 0 };
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int err;

	if (sock < 0)
		return -errno;
	g_strlcpy(ifr.ifr_name, tun->name, sizeof(ifr.ifr_name));
	net_tun_addr(&ifr.ifr_addr, local);
	err = net_tun_ioctl(sock, SIOCSIFADDR, &ifr);
	if (!err) {
		net_tun_addr(&ifr.ifr_dstaddr, peer);
		err = net_tun_ioctl(sock, SIOCSIFDSTADDR, &ifr);
	}
	if (!err) {
		ifr.ifr_mtu = (int)mtu;
		err = net_tun_ioctl(sock, SIOCSIFMTU, &ifr);
	}
	if (!err)
		err = net_tun_ioctl(sock, SIOCGIFFLAGS, &ifr);
	if (!err) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		err = net_tun_ioctl(sock, SIOCSIFFLAGS, &ifr);
	}
	close(sock);
	return err;
}

/* struct in6_ifreq of <linux/ipv6.h>, which clashes with <netinet/in.h> */
struct net_tun_in6_ifreq {
	struct in6_addr addr;
	uint32_t prefixlen;
	int ifindex;
};

static int net_tun_ipv6_link_local(const struct net_tun *tun, const uint8_t iid[8],
				   unsigned long request)
{
	struct net_tun_in6_ifreq req = { .prefixlen = 64 };
	unsigned index = if_nametoindex(tun->name);
	int sock, err = 0;

	if (!index)
		return -errno;
	req.ifindex = (int)index;
	req.addr.s6_addr[0] = 0xfe;
	req.addr.s6_addr[1] = 0x80;
	memcpy(&req.addr.s6_addr[8], iid, 8);
	sock = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return -errno;
	if (ioctl(sock, request, &req) < 0) {
		if (!(request == SIOCSIFADDR && errno == EEXIST) &&
		    !(request == SIOCDIFADDR && errno == EADDRNOTAVAIL))
			err = -errno;
	}
	close(sock);
	return err;
}

int net_tun_del_ipv6_link_local(const struct net_tun *tun, const uint8_t iid[8])
{
	return net_tun_ipv6_link_local(tun, iid, SIOCDIFADDR);
}

int net_tun_add_ipv6_link_local(const struct net_tun *tun, const uint8_t iid[8])
{
	/* the profile asked for IPv6: on our own device, even where new devices get none */
	g_autofree char *path = g_strdup_printf("/proc/sys/net/ipv6/conf/%s/disable_ipv6",
						tun->name);
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (write(fd, "0", 1) != 1)
			g_debug("IPv6 stays off on %s", tun->name);
		close(fd);
	}
	return net_tun_ipv6_link_local(tun, iid, SIOCSIFADDR);
}

void net_tun_close(struct net_tun *tun)
{
	if (tun->fd >= 0)
		close(tun->fd);
	tun->fd = -1;
}

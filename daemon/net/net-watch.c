/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "roadied"
#include "net/net-watch.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib-unix.h>

struct net_watch {
	int fd;
	guint io_source;
	guint quiet_timer;
	unsigned quiet_ms;
	void (*changed)(void *user);
	void *user;
};

static gboolean net_watch_on_quiet(gpointer data)
{
	struct net_watch *w = data;

	w->quiet_timer = 0;
	w->changed(w->user);
	return G_SOURCE_REMOVE;
}

static void net_watch_arm(struct net_watch *w)
{
	/* the first message of a burst starts the clock; the rest of the burst falls inside */
	if (!w->quiet_timer)
		w->quiet_timer = g_timeout_add(w->quiet_ms, net_watch_on_quiet, w);
}

static gboolean net_watch_on_readable(gint fd, GIOCondition cond, gpointer data)
{
	struct net_watch *w = data;
	uint8_t buf[4096];
	bool news = false;

	(void)cond;
	for (;;) {
		struct sockaddr_nl from = { 0 };
		socklen_t from_len = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from,
				     &from_len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				/* the kernel dropped messages for us: something changed */
				news = true;
				continue;
			}
			break; /* EAGAIN: drained */
		}
		/* only the kernel speaks for the kernel; a truncated message still says "news" */
		if (from_len >= sizeof(from) && from.nl_family == AF_NETLINK && from.nl_pid == 0)
			news = true;
	}
	if (news)
		net_watch_arm(w);
	return G_SOURCE_CONTINUE;
}

struct net_watch *net_watch_new(unsigned quiet_ms, void (*changed)(void *user), void *user,
				GError **error)
{
	struct sockaddr_nl local = {
		.nl_family = AF_NETLINK,
		.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR,
	};
	struct net_watch *w;
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
	if (fd < 0 || bind(fd, (struct sockaddr *)&local, sizeof(local)) < 0) {
		int err = errno;

		if (fd >= 0)
			close(fd);
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(err),
			    "cannot watch the local network for changes: %s", g_strerror(err));
		return NULL;
	}
	w = g_new0(struct net_watch, 1);
	w->fd = fd;
	w->quiet_ms = quiet_ms;
	w->changed = changed;
	w->user = user;
	w->io_source = g_unix_fd_add(fd, G_IO_IN, net_watch_on_readable, w);
	return w;
}

struct net_watch *net_watch_free(struct net_watch *w)
{
	if (!w)
		return NULL;
	if (w->quiet_timer)
		g_source_remove(w->quiet_timer);
	g_source_remove(w->io_source);
	close(w->fd);
	g_free(w);
	return NULL;
}

static bool net_watch_ours(const struct ifaddrs *ifa)
{
	return !ifa->ifa_name || (ifa->ifa_flags & IFF_LOOPBACK) ||
	       g_str_has_prefix(ifa->ifa_name, "roadie");
}

static const void *net_watch_addr_bytes(const struct sockaddr *sa, size_t *ret_len)
{
	if (sa->sa_family == AF_INET) {
		*ret_len = 4;
		return &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
	}
	if (sa->sa_family == AF_INET6) {
		*ret_len = 16;
		return &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
	}
	return NULL;
}

static gint net_watch_cmp_lines(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *net_watch_snapshot(void)
{
	struct ifaddrs *list = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	GString *out;

	if (getifaddrs(&list) < 0)
		return NULL;
	lines = g_ptr_array_new_with_free_func(g_free);
	for (const struct ifaddrs *ifa = list; ifa; ifa = ifa->ifa_next) {
		const char *state;
		char text[INET6_ADDRSTRLEN] = "";
		const void *bytes;
		size_t len;

		if (net_watch_ours(ifa))
			continue;
		state = (ifa->ifa_flags & IFF_UP) && (ifa->ifa_flags & IFF_RUNNING) ? "up" : "down";
		if (ifa->ifa_addr && (bytes = net_watch_addr_bytes(ifa->ifa_addr, &len)))
			inet_ntop(ifa->ifa_addr->sa_family, bytes, text, sizeof(text));
		else if (ifa->ifa_addr && ifa->ifa_addr->sa_family != AF_PACKET)
			continue; /* another family: not ours to judge */
		g_ptr_array_add(lines, g_strdup_printf("%s %s%s%s", ifa->ifa_name, state,
						       text[0] ? " " : "", text));
	}
	freeifaddrs(list);
	g_ptr_array_sort(lines, net_watch_cmp_lines);
	out = g_string_new("");
	for (guint i = 0; i < lines->len; i++)
		g_string_append_printf(out, "%s\n", (const char *)lines->pdata[i]);
	return g_string_free(out, FALSE);
}

enum net_address_state net_watch_address_state(const struct sockaddr *addr, char *ret_ifname)
{
	enum net_address_state state = NET_ADDRESS_GONE;
	struct ifaddrs *list = NULL;
	const void *want;
	size_t want_len;

	want = net_watch_addr_bytes(addr, &want_len);
	if (!want || getifaddrs(&list) < 0)
		return NET_ADDRESS_GONE;
	for (const struct ifaddrs *ifa = list; ifa && state != NET_ADDRESS_UP; ifa = ifa->ifa_next) {
		const void *have;
		size_t have_len;

		if (!ifa->ifa_addr || ifa->ifa_addr->sa_family != addr->sa_family)
			continue;
		have = net_watch_addr_bytes(ifa->ifa_addr, &have_len);
		if (!have || have_len != want_len || memcmp(have, want, want_len))
			continue;
		state = (ifa->ifa_flags & IFF_UP) && (ifa->ifa_flags & IFF_RUNNING) ? NET_ADDRESS_UP
										   : NET_ADDRESS_DOWN;
		if (ret_ifname)
			g_strlcpy(ret_ifname, ifa->ifa_name, IF_NAMESIZE);
	}
	freeifaddrs(list);
	return state;
}

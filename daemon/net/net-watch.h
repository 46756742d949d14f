/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Watching the local network (rtnetlink(7) multicast groups RTMGRP_LINK and the IPv4/IPv6
 * address groups): a device comes or goes, goes up or down, an address is added or removed.
 * The messages themselves are not parsed: any of them starts a short quiet period, after
 * which the callback runs once (a DHCP renewal or a roaming laptop sends a burst). What
 * changed is then read as a whole by net_watch_snapshot(), so that a change that leaves
 * things as they were (roadie's own TUN devices coming and going, an address removed and
 * added again) can be told from a real one by comparing two snapshots.
 *
 * Routes are not watched: roadie's own guard changes routes all the time, and a change of the
 * path to the gateway that comes without a change of devices or addresses is rare; the
 * session checks the path itself when the callback runs.
 */
#pragma once

#include <stdbool.h>
#include <sys/socket.h>

#include <glib.h>

struct net_watch;

/* Subscribes and adds a source to the thread-default main context. NULL and @error set when
 * the kernel refuses (no CAP_NET_ADMIN is needed: the groups are readable by everyone). */
struct net_watch *net_watch_new(unsigned quiet_ms, void (*changed)(void *user), void *user,
				GError **error);
struct net_watch *net_watch_free(struct net_watch *w);

/* "eth0 up 198.51.100.2\neth0 up fe80::1\nwlan0 down\n": every device but loopback and
 * roadie's own TUN devices (roadie*), whether it is up and running, and its addresses,
 * sorted. g_free() the result; NULL when the list cannot be read. */
char *net_watch_snapshot(void);

enum net_address_state {
	NET_ADDRESS_GONE,       /* no device has it */
	NET_ADDRESS_DOWN,       /* a device has it, but is down */
	NET_ADDRESS_UP,
};
/* Where @addr (AF_INET or AF_INET6; the port is ignored) is now; @ret_ifname (IF_NAMESIZE
 * bytes, may be NULL) gets the device's name when one has it. */
enum net_address_state net_watch_address_state(const struct sockaddr *addr, char *ret_ifname);

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The TUN device a connection moves IP packets through (roadie0, roadie1, …): opened without
 * packet information (IFF_NO_PI: each read or write is one bare IP packet), non-blocking.
 * Configuring it for IPCP's result: the local address with the peer's as point-to-point
 * destination (which is the route to the peer), the MTU, and the link up. The host-wide
 * set-up (default or split routes, DNS, leak protection) is not this file's business.
 */
#pragma once

#include <net/if.h>
#include <stdint.h>

struct net_tun {
	int fd;
	char name[IFNAMSIZ];
};

/* Creates the next free roadieN (or @name if given). -errno on failure. */
int net_tun_open(struct net_tun *tun, const char *name);
/* Address, point-to-point peer (network byte order), MTU, up. -errno on failure. */
int net_tun_configure(const struct net_tun *tun, uint32_t local, uint32_t peer, unsigned mtu);
/* The MTU alone (the path shrank). -errno on failure. */
int net_tun_set_mtu(const struct net_tun *tun, unsigned mtu);
/* IPV6CP's result (RFC 5072 §5): the link-local address fe80::@iid/64. -errno on failure. */
int net_tun_add_ipv6_link_local(const struct net_tun *tun, const uint8_t iid[8]);
/* IPV6CP went down: the address again. Gone already is no error. */
int net_tun_del_ipv6_link_local(const struct net_tun *tun, const uint8_t iid[8]);
/* Closing the file descriptor removes the device, and with it its address and route. */
void net_tun_close(struct net_tun *tun);

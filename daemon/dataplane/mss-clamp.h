/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TCP MSS clamping for packets that cross the tunnel: a SYN (or SYN-ACK) whose Maximum
 * Segment Size option (RFC 9293 §3.7.1) promises more than fits the tunnel's MTU gets the
 * smaller value, so neither end sends segments the path cannot carry (PPPoE, LTE and hotel
 * paths often drop the ICMP that path MTU discovery needs). The TCP checksum is updated
 * incrementally (RFC 1624). IPv4 and IPv6 (no extension headers: anything else is left
 * alone); the packet is hostile input and is only changed when every length checks out.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest MSS that fits @mtu: the MTU less the IP and TCP headers without options. */
uint16_t mss_for_mtu(unsigned mtu, bool ipv6);
/* Lower the MSS option of the TCP SYN in @ip (a whole IP packet of @len bytes) to at most
 * @max_mss. True when the packet was changed. */
bool mss_clamp(uint8_t *ip, size_t len, uint16_t max_mss_v4, uint16_t max_mss_v6);

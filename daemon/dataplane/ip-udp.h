/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The UDP payload of an IPv4 packet that arrived through the tunnel, when it is a whole
 * (unfragmented) UDP datagram to a given port (RFC 791, RFC 768): how the data plane picks
 * the gateway's DHCP answers (port 68) out of the traffic for the TUN device. The packet is
 * hostile input: every length is checked against @len.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* The payload, or NULL when @ip is not such a datagram. */
const uint8_t *ip4_udp_payload(const uint8_t *ip, size_t len, uint16_t dport, size_t *ret_len);

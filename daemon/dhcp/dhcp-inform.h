/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The DHCPINFORM exchange over the PPP link (RFC 2131 §3.4, §4.3.5, §4.4.3): PPP (IPCP) has
 * already given us an address, so the client only asks for the rest of its configuration.
 * Windows does this after every RRAS connection, and RRAS answers through its DHCP relay
 * with a DHCPACK carrying the DNS suffix and the routes of the corporate network.
 *
 * dhcp_inform_build() writes the whole request as an IPv4 packet (RFC 791 header, UDP 68 ->
 * 67 with its checksum, RFC 768), ready to go into the tunnel. The BOOTP message (RFC 951)
 * is padded to 300 bytes (RFC 1542 §3.1.1) and asks, in option 55 (RFC 2132 §9.8), for the
 * classless static routes of RFC 3442 (121) ahead of the router (3) and static routes (33)
 * options, as RFC 3442 §"DHCP Client Behavior" requires, and for Microsoft's copy of 121,
 * option 249 (MS-DHCPE §2.2.8: same format, other number).
 *
 * dhcp_inform_parse() reads the answer's BOOTP payload (IP and UDP already stripped):
 *   - op, xid and chaddr must be ours, the magic cookie right (RFC 2131 §3), the options
 *     well formed up to an End option, and the message type DHCPACK;
 *   - options that appear several times are concatenated first (RFC 3396 §5);
 *   - option 52 (overload, RFC 2132 §9.3) is not honoured: options hidden in sname or file
 *     are not read. RRAS does not use it and an INFORM answer is small;
 *   - a well-formed message with one bad option (a domain with odd characters, a route list
 *     that does not add up) is kept, and only that option is treated as absent.
 * All addresses in the API are in network byte order (as in struct in_addr); xid is a host
 * order number, sent big-endian.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define DHCP_INFORM_MAX_ROUTES 32
#define DHCP_DOMAIN_MAX 253 /* RFC 1035 §2.3.4 in text form, no trailing dot */
#define DHCP_INFORM_MAX_DNS 3
#define DHCP_BOOTP_MIN_LEN 300 /* RFC 1542 §3.1.1 */
/* The whole packet dhcp_inform_build() writes: IPv4 + UDP + the padded BOOTP message. */
#define DHCP_INFORM_PACKET_LEN (20 + 8 + DHCP_BOOTP_MIN_LEN)

struct dhcp_route {
	uint32_t network; /* masked to prefix */
	uint8_t prefix;   /* 0..32 */
	uint32_t gateway; /* 0.0.0.0: on-link, through the PPP device */
};

struct dhcp_inform_result {
	char domain[DHCP_DOMAIN_MAX + 1];  /* option 15, "" if absent or invalid */
	uint32_t dns[DHCP_INFORM_MAX_DNS]; /* option 6, the first three */
	unsigned n_dns;
	/* option 121, else option 249; the first DHCP_INFORM_MAX_ROUTES of them */
	struct dhcp_route routes[DHCP_INFORM_MAX_ROUTES];
	unsigned n_routes;
};

enum dhcp_drop {
	DHCP_DROP_MALFORMED, /* truncated, bad cookie, an option past the end, no End option */
	DHCP_DROP_NOT_OURS,  /* op is not BOOTREPLY, or xid or chaddr differ */
	DHCP_DROP_NOT_ACK,   /* no message type, or one other than DHCPACK */
	DHCP_DROP_COUNT,
};

const char *dhcp_drop_name(enum dhcp_drop drop);

/* -EMSGSIZE if @size is below DHCP_INFORM_PACKET_LEN; *ret_len is written on success only. */
int dhcp_inform_build(uint8_t *buf, size_t size, size_t *ret_len, uint32_t xid, uint32_t ciaddr,
		      const uint8_t chaddr[6]);

/*
 * 0 and *ret filled in, or -EBADMSG and *ret_drop set (then *ret is untouched). Either
 * output is written only in its own case.
 */
int dhcp_inform_parse(const uint8_t *udp_payload, size_t len, uint32_t xid, const uint8_t chaddr[6],
		      struct dhcp_inform_result *ret, enum dhcp_drop *ret_drop);

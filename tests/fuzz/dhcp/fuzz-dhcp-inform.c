/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzzes the DHCPINFORM codec:
 *   1. the input is a BOOTP/DHCP payload handed to dhcp_inform_parse() with a fixed xid
 *      and chaddr (those of the seeds): it is dropped with a known reason, or its results
 *      stay within their bounds and the domain is a clean NUL-terminated name;
 *   2. the first bytes are an xid and a ciaddr for dhcp_inform_build(): the request must
 *      be dropped as not ours when read back, and parse once turned into a DHCPACK.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp/dhcp-inform.h"

#define FUZZ_XID 0x1a2b3c4du

static const uint8_t fuzz_mac[6] = {0x02, 0x00, 0x5e, 0x10, 0x20, 0x30};

static void fuzz_check_result(const struct dhcp_inform_result *res)
{
	size_t n = strnlen(res->domain, sizeof(res->domain));

	if (n > DHCP_DOMAIN_MAX || res->n_dns > DHCP_INFORM_MAX_DNS ||
	    res->n_routes > DHCP_INFORM_MAX_ROUTES)
		abort();
	for (size_t i = 0; i < n; i++) {
		char c = res->domain[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.'))
			abort();
	}
	for (unsigned i = 0; i < res->n_routes; i++) {
		const uint8_t *net = (const uint8_t *)&res->routes[i].network;
		unsigned prefix = res->routes[i].prefix;

		if (prefix > 32)
			abort();
		for (unsigned bit = prefix; bit < 32; bit++) /* no host bits left set */
			if (net[bit / 8] & (0x80 >> (bit % 8)))
				abort();
	}
}

static void fuzz_round_trip(const uint8_t *data, size_t size)
{
	uint8_t buf[DHCP_INFORM_PACKET_LEN];
	struct dhcp_inform_result res;
	enum dhcp_drop drop;
	uint32_t xid = 0, ciaddr = 0;
	size_t len;

	if (size < 8)
		return;
	memcpy(&xid, data, 4);
	memcpy(&ciaddr, data + 4, 4);
	if (dhcp_inform_build(buf, sizeof(buf), &len, xid, ciaddr, fuzz_mac) ||
	    len != DHCP_INFORM_PACKET_LEN)
		abort();
	if (dhcp_inform_parse(buf + 28, len - 28, xid, fuzz_mac, &res, &drop) != -EBADMSG ||
	    drop != DHCP_DROP_NOT_OURS)
		abort();
	buf[28] = 2;           /* BOOTREPLY */
	buf[28 + 240 + 2] = 5; /* DHCPACK */
	if (dhcp_inform_parse(buf + 28, len - 28, xid, fuzz_mac, &res, &drop) != 0 ||
	    res.domain[0] != '\0' || res.n_dns != 0 || res.n_routes != 0)
		abort();
	if (dhcp_inform_parse(buf + 28, len - 28, xid ^ 1, fuzz_mac, &res, &drop) != -EBADMSG ||
	    drop != DHCP_DROP_NOT_OURS)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcp_inform_result res;
	enum dhcp_drop drop = DHCP_DROP_COUNT;
	int r;

	r = dhcp_inform_parse(data, size, FUZZ_XID, fuzz_mac, &res, &drop);
	if (r == 0)
		fuzz_check_result(&res);
	else if (r != -EBADMSG || drop >= DHCP_DROP_COUNT)
		abort();

	fuzz_round_trip(data, size);
	return 0;
}

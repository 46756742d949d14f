/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzzes the route text form (the undo journal's lines) and the profile's prefix parser.
 * A line that parses must print and parse back to the same route, unless its device is gone
 * (then the route has no oif and prints differently, by design).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <glib.h>

#include "host/host-route.h"

/* field by field: the struct has padding */
static bool route_equal(const struct host_route *a, const struct host_route *b)
{
	return a->family == b->family && memcmp(a->dst, b->dst, 16) == 0 &&
	       a->prefix == b->prefix && a->type == b->type && a->oif == b->oif &&
	       a->has_gateway == b->has_gateway && memcmp(a->gateway, b->gateway, 16) == 0 &&
	       a->table == b->table && a->metric == b->metric;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *text = g_strndup((const char *)data, size);
	g_autofree char *printed = NULL;
	struct host_route route, again;
	uint8_t dst[16];
	uint8_t prefix;
	int family;
	bool gone = false, gone_again = false;

	if (host_route_parse_prefix(text, &family, dst, &prefix)) {
		if ((family != AF_INET || prefix > 32) && (family != AF_INET6 || prefix > 128))
			abort();
	}

	if (!host_route_from_string(text, &route, &gone))
		return 0;
	if (route.family != AF_INET && route.family != AF_INET6)
		abort();
	if (route.type == HOST_ROUTE_BLACKHOLE && (route.oif || route.has_gateway))
		abort();
	printed = host_route_to_string(&route);
	if (!printed || strlen(printed) > 256)
		abort();
	if (gone)
		return 0;
	if (!host_route_from_string(printed, &again, &gone_again) || gone_again ||
	    !route_equal(&route, &again))
		abort();
	return 0;
}

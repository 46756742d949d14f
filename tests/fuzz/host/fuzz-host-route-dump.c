/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzzes the reader of the kernel's route dump (host_route_lookup_main's answer): the input
 * is one receive buffer, fed for IPv4 and IPv6 destinations. Whatever it says, the best route
 * must cover the destination, be unicast in table main and have a device.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <glib.h>

#include "host/host-route.h"

static bool skip_odd(unsigned oif)
{
	return oif % 2;
}

static void feed(const uint8_t *data, size_t size, int family, const uint8_t *dst)
{
	struct host_route skip = { .family = family, .prefix = family == AF_INET ? 32 : 128 };
	struct host_route_best best = { 0 };
	bool done = false;
	int r;

	memcpy(skip.dst, dst, 16);
	/* 1: the sequence number our requests use in the corpus */
	r = host_route_dump_feed(data, size, 1, family, dst, &skip, skip_odd, &best, &done);
	if (r > 0)
		abort();
	if (best.found) {
		if (best.route.family != family || best.route.oif == 0 || best.route.oif % 2)
			abort();
		if (best.prefix > (family == AF_INET ? 32 : 128))
			abort();
		if (best.route.type != HOST_ROUTE_UNICAST)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t v4[16] = { 203, 0, 113, 10 };
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	/* the kernel's buffers are aligned; so is this copy */
	g_autofree uint8_t *copy = g_memdup2(data, size);

	feed(copy, size, AF_INET, v4);
	feed(copy, size, AF_INET6, v6);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Routes on the host through rtnetlink (rtnetlink(7), RFC 3549): add, replace, delete and
 * look up IPv4 and IPv6 routes, unicast through a device or a gateway, or blackhole. The
 * host layer uses it to keep roadie's own IKE/ESP packets on the path they had before the
 * tunnel (a host route to the gateway), to send the tunnel's networks into the TUN device,
 * and to blackhole them while the tunnel is not up (no leak in the clear). A route also has
 * a text form, for logs and for the journal that undoes changes after a crash.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

enum host_route_type {
	HOST_ROUTE_UNICAST,   /* through oif, and gateway if has_gateway */
	HOST_ROUTE_BLACKHOLE, /* dropped; senders get an error at once (no oif) */
};

struct host_route {
	int family;               /* AF_INET or AF_INET6 */
	uint8_t dst[16];          /* network byte order; 4 bytes used for AF_INET */
	uint8_t prefix;           /* 0-32 or 0-128 */
	enum host_route_type type;
	unsigned oif;             /* output interface index; 0 for blackhole */
	bool has_gateway;
	uint8_t gateway[16];      /* the next hop, same family */
	uint32_t table;           /* 0: main (RT_TABLE_MAIN) */
	uint32_t metric;          /* RTA_PRIORITY; 0: none */
};

/* Add a route that must not exist yet (NLM_F_CREATE | NLM_F_EXCL): 0 or -errno (-EEXIST,
 * -ENODEV, -ENETUNREACH, ...). Routes are added with protocol "static" (RTPROT_STATIC) and
 * scope link when unicast without a gateway, universe otherwise. */
int host_route_add(const struct host_route *route);
/* Add or replace the route with the same table, dst/prefix, metric (NLM_F_REPLACE). */
int host_route_replace(const struct host_route *route);
/* Delete the route that matches dst/prefix, table, metric, type, and oif/gateway when set:
 * 0, or -ESRCH when there is none (not an error for callers that undo). */
int host_route_del(const struct host_route *route);
/* The route the kernel would use now for @dst (RTM_GETROUTE): @ret gets family, dst (= the
 * address, prefix full length), oif, gateway if any; type UNICAST. -ENETUNREACH,
 * -EHOSTUNREACH or -errno when there is no path. */
int host_route_get(int family, const uint8_t *dst, struct host_route *ret);

/*
 * The path to @dst as table main gives it without roadie's own routes: blackholes and other
 * non-unicast routes, routes whose device @skip_oif says is ours (roadie's TUN devices; NULL:
 * none), dead or link-down next hops, and @skip (the route the guard pinned; NULL: none).
 * The longest prefix wins, then the lowest metric; @ret gets family, dst (= @dst, full
 * length), oif and the gateway. For a reconnect, when the guard's own blackholes hide the
 * path from RTM_GETROUTE. Policy routing rules are not followed. 0, -ENETUNREACH when no
 * route matches, or -errno.
 */
int host_route_lookup_main(int family, const uint8_t *dst, const struct host_route *skip,
			   bool (*skip_oif)(unsigned oif), struct host_route *ret);

/* What host_route_lookup_main keeps while it reads the kernel's dump. */
struct host_route_best {
	bool found;
	uint8_t prefix;
	uint32_t metric;
	struct host_route route;
};
/* Reads one buffer of the kernel's answer to a RTM_GETROUTE dump with sequence number @seq
 * and updates @best; *ret_done when NLMSG_DONE came. 0 or -errno (-EBADMSG on a malformed
 * message, the kernel's error). Exposed for the fuzzer: the kernel's bytes are checked like
 * anyone's. */
int host_route_dump_feed(const uint8_t *buf, size_t len, uint32_t seq, int family,
			 const uint8_t *dst, const struct host_route *skip,
			 bool (*skip_oif)(unsigned oif), struct host_route_best *best,
			 bool *ret_done);

/* "203.0.113.10/32 via 198.51.100.1 dev eth0 table 0 metric 0", "blackhole 0.0.0.0/1
 * table 0 metric 0", "2001:db8::/32 dev roadie0 table 0 metric 0"; the device by name
 * (if_indextoname), or "dev #7" when the index has no name. g_free() the result. */
char *host_route_to_string(const struct host_route *route);
/* The reverse of host_route_to_string, for the journal: false on any malformed text
 * (hostile input: every field checked). A device named in the text is resolved with
 * if_nametoindex; a device that no longer exists gives oif 0 and *ret_dev_gone true. */
bool host_route_from_string(const char *text, struct host_route *ret, bool *ret_dev_gone);
/* Parse "10.0.0.0/8" or "2001:db8::/32" (the profile's routes): host bits must be zero.
 * false when malformed. */
bool host_route_parse_prefix(const char *text, int *ret_family, uint8_t ret_dst[16],
			     uint8_t *ret_prefix);

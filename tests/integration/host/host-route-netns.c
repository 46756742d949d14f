/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * host-route against the real kernel, in a private network namespace this program makes
 * for itself with unshare(CLONE_NEWNET): nothing on the host is touched, and the namespace
 * goes away with the process. Needs root; skipped otherwise.
 *
 *   lo (up)
 *   d0  198.51.100.2/24, 2001:db8:1::2/64      a dummy device, or one end of a veth pair
 *   |                                            (d0p, up) where the dummy driver is missing
 *   "gateways" 198.51.100.1 and 2001:db8:1::1: on-link, never answer (no packet is sent)
 *
 * ip(8) sets the namespace up and shows routes for checking; the module never spawns.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib.h>

#include "host/host-route.h"

static bool have_netns;
static unsigned d0;

static bool run(const char *cmd, char **ret_out)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *out = NULL, *err = NULL;
	int status = 0;

	if (!g_spawn_command_line_sync(cmd, &out, &err, &status, &error)) {
		g_test_message("%s: %s", cmd, error->message);
		return false;
	}
	if (!g_spawn_check_wait_status(status, NULL)) {
		g_test_message("%s: %s", cmd, err);
		return false;
	}
	if (ret_out)
		*ret_out = g_steal_pointer(&out);
	return true;
}

static bool write_proc(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, value, strlen(value)) == (ssize_t)strlen(value);
	close(fd);
	return ok;
}

static bool setup_netns(void)
{
	if (geteuid() != 0) {
		g_test_message("not root: no network namespace");
		return false;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		g_test_message("unshare(CLONE_NEWNET): %s", g_strerror(errno));
		return false;
	}
	if (!run("ip link set lo up", NULL))
		return false;
	/* the dummy driver is not built into every kernel; a veth pair does as well */
	if (!run("ip link add d0 type dummy", NULL)) {
		if (!run("ip link add d0 type veth peer name d0p", NULL) ||
		    !run("ip link set d0p up", NULL))
			return false;
	}
	/* /proc/sys/net belongs to the namespace of the process that opens it */
	write_proc("/proc/sys/net/ipv6/conf/all/disable_ipv6", "0");
	write_proc("/proc/sys/net/ipv6/conf/default/disable_ipv6", "0");
	write_proc("/proc/sys/net/ipv6/conf/d0/disable_ipv6", "0");
	if (!run("ip addr add 198.51.100.2/24 dev d0", NULL) ||
	    !run("ip addr add 2001:db8:1::2/64 dev d0 nodad", NULL) ||
	    !run("ip link set d0 up", NULL))
		return false;
	d0 = if_nametoindex("d0");
	return d0 != 0;
}

static struct host_route route(const char *text)
{
	struct host_route r;
	bool gone = true;

	if (!host_route_from_string(text, &r, &gone))
		g_error("bad route text in the test: %s", text);
	if (have_netns)
		g_assert_false(gone);
	return r;
}

static void addr(int family, const char *text, uint8_t out[16])
{
	memset(out, 0, 16);
	g_assert_cmpint(inet_pton(family, text, out), ==, 1);
}

static bool skip(void)
{
	if (!have_netns) {
		g_test_skip("needs root and unshare(CLONE_NEWNET)");
		return true;
	}
	return false;
}

static char *ip_show(const char *args)
{
	g_autofree char *cmd = g_strdup_printf("ip %s", args);
	char *out = NULL;

	g_assert_true(run(cmd, &out));
	return out;
}

static void test_default_and_get(void)
{
	struct host_route def, got;
	uint8_t dst[16], gw[16];

	if (skip())
		return;
	def = route("0.0.0.0/0 via 198.51.100.1 dev d0 table 0 metric 0");
	g_assert_cmpint(host_route_add(&def), ==, 0);
	g_assert_cmpint(host_route_add(&def), ==, -EEXIST);

	addr(AF_INET, "203.0.113.10", dst);
	addr(AF_INET, "198.51.100.1", gw);
	memset(&got, 0xa5, sizeof(got));
	g_assert_cmpint(host_route_get(AF_INET, dst, &got), ==, 0);
	g_assert_cmpint(got.family, ==, AF_INET);
	g_assert_cmpmem(got.dst, 4, dst, 4);
	g_assert_cmpuint(got.prefix, ==, 32);
	g_assert_cmpint(got.type, ==, HOST_ROUTE_UNICAST);
	g_assert_cmpuint(got.oif, ==, d0);
	g_assert_true(got.has_gateway);
	g_assert_cmpmem(got.gateway, 4, gw, 4);

	/* on-link: no gateway */
	addr(AF_INET, "198.51.100.7", dst);
	g_assert_cmpint(host_route_get(AF_INET, dst, &got), ==, 0);
	g_assert_cmpuint(got.oif, ==, d0);
	g_assert_false(got.has_gateway);

	/* bad arguments never reach the kernel */
	g_assert_cmpint(host_route_get(AF_UNIX, dst, &got), ==, -EINVAL);
}

static void test_host_route_and_blackhole_v4(void)
{
	struct host_route host = route("203.0.113.10/32 via 198.51.100.1 dev d0 table 0 metric 0");
	struct host_route low = route("blackhole 0.0.0.0/1 table 0 metric 0");
	struct host_route high = route("blackhole 128.0.0.0/1 table 0 metric 0");
	struct host_route got;
	uint8_t dst[16];
	int r;

	if (skip())
		return;
	g_assert_cmpint(host_route_add(&host), ==, 0);
	g_assert_cmpint(host_route_add(&host), ==, -EEXIST);
	g_assert_cmpint(host_route_replace(&host), ==, 0);

	g_assert_cmpint(host_route_add(&low), ==, 0);
	g_assert_cmpint(host_route_add(&high), ==, 0);
	g_assert_cmpint(host_route_add(&high), ==, -EEXIST);

	/* the kernel answers RTM_GETROUTE for a blackholed address with an error, not a route
	 * (-EINVAL from fib_props[RTN_BLACKHOLE] on the kernels seen so far) */
	addr(AF_INET, "203.0.113.77", dst);
	memset(&got, 0xa5, sizeof(got));
	r = host_route_get(AF_INET, dst, &got);
	g_test_message("RTM_GETROUTE of a blackholed IPv4 address: %d (%s)", r, g_strerror(-r));
	g_assert_cmpint(r, <, 0);
	g_assert_cmpint(r, ==, -EINVAL);
	g_assert_cmpuint(got.oif, ==, 0xa5a5a5a5u); /* untouched on failure */

	/* the more specific host route still wins */
	addr(AF_INET, "203.0.113.10", dst);
	g_assert_cmpint(host_route_get(AF_INET, dst, &got), ==, 0);
	g_assert_cmpuint(got.oif, ==, d0);
	g_assert_true(got.has_gateway);

	g_assert_cmpint(host_route_del(&high), ==, 0);
	g_assert_cmpint(host_route_del(&high), ==, -ESRCH);
	g_assert_cmpint(host_route_del(&host), ==, 0);
	g_assert_cmpint(host_route_del(&host), ==, -ESRCH);

	/* 0.0.0.0/1 goes from blackhole to unicast in one replace: no gap, no leak */
	{
		struct host_route uni = route("0.0.0.0/1 dev d0 table 0 metric 0");
		g_autofree char *shown = NULL;

		g_assert_cmpint(host_route_replace(&uni), ==, 0);
		shown = ip_show("-4 route show 0.0.0.0/1");
		g_test_message("ip route show 0.0.0.0/1: %s", shown);
		g_assert_nonnull(strstr(shown, "0.0.0.0/1 dev d0"));
		g_assert_null(strstr(shown, "blackhole"));
		addr(AF_INET, "1.2.3.4", dst);
		g_assert_cmpint(host_route_get(AF_INET, dst, &got), ==, 0);
		g_assert_cmpuint(got.oif, ==, d0);
		g_assert_false(got.has_gateway);
		/* the blackhole is gone: deleting it finds nothing, the unicast one is there */
		g_assert_cmpint(host_route_del(&low), ==, -ESRCH);
		g_assert_cmpint(host_route_del(&uni), ==, 0);
		g_assert_cmpint(host_route_del(&uni), ==, -ESRCH);
	}
}

static void test_blackhole_v6(void)
{
	struct host_route low = route("blackhole ::/1 table 0 metric 0");
	struct host_route high = route("blackhole 8000::/1 table 0 metric 0");
	struct host_route net = route("2001:db8:2::/48 via 2001:db8:1::1 dev d0 table 0 metric 0");
	struct host_route got;
	uint8_t dst[16], gw[16];
	int r;

	if (skip())
		return;
	g_assert_cmpint(host_route_add(&low), ==, 0);
	g_assert_cmpint(host_route_add(&high), ==, 0);
	g_assert_cmpint(host_route_add(&low), ==, -EEXIST);
	g_assert_cmpint(host_route_add(&net), ==, 0);

	addr(AF_INET6, "2001:db8:3::1", dst);
	memset(&got, 0xa5, sizeof(got));
	r = host_route_get(AF_INET6, dst, &got);
	g_test_message("RTM_GETROUTE of a blackholed IPv6 address: %d (%s)", r, g_strerror(-r));
	g_assert_cmpint(r, ==, -EINVAL);
	g_assert_cmpuint(got.oif, ==, 0xa5a5a5a5u);

	addr(AF_INET6, "2001:db8:2::99", dst);
	addr(AF_INET6, "2001:db8:1::1", gw);
	g_assert_cmpint(host_route_get(AF_INET6, dst, &got), ==, 0);
	g_assert_cmpint(got.family, ==, AF_INET6);
	g_assert_cmpuint(got.prefix, ==, 128);
	g_assert_cmpmem(got.dst, 16, dst, 16);
	g_assert_cmpuint(got.oif, ==, d0);
	g_assert_true(got.has_gateway);
	g_assert_cmpmem(got.gateway, 16, gw, 16);

	/* on-link in 2001:db8:1::/64 */
	addr(AF_INET6, "2001:db8:1::77", dst);
	g_assert_cmpint(host_route_get(AF_INET6, dst, &got), ==, 0);
	g_assert_cmpuint(got.oif, ==, d0);
	g_assert_false(got.has_gateway);

	g_assert_cmpint(host_route_del(&net), ==, 0);
	g_assert_cmpint(host_route_del(&net), ==, -ESRCH);
	g_assert_cmpint(host_route_del(&low), ==, 0);
	g_assert_cmpint(host_route_del(&low), ==, -ESRCH);

	/* replace a blackhole by a unicast route for the same prefix (metric 0: the kernel's
	 * default 1024 on both) */
	{
		struct host_route uni = route("8000::/1 dev d0 table 0 metric 0");
		g_autofree char *shown = NULL;

		g_assert_cmpint(host_route_replace(&uni), ==, 0);
		shown = ip_show("-6 route show 8000::/1");
		g_test_message("ip -6 route show 8000::/1: %s", shown);
		g_assert_nonnull(strstr(shown, "8000::/1 dev d0"));
		g_assert_null(strstr(shown, "blackhole"));
		g_assert_cmpint(host_route_del(&uni), ==, 0);
		g_assert_cmpint(host_route_del(&high), ==, -ESRCH);
	}

	/* no IPv6 default route in the namespace: no path at all */
	addr(AF_INET6, "2001:db8:3::1", dst);
	g_assert_cmpint(host_route_get(AF_INET6, dst, &got), ==, -ENETUNREACH);
}

static void test_table_metric(void)
{
	struct host_route r = route("192.0.2.0/24 via 198.51.100.1 dev d0 table 100 metric 5");
	struct host_route big = route("192.0.2.0/24 dev d0 table 1000 metric 0");
	struct host_route r6 = route("2001:db8:5::/48 dev d0 table 100 metric 5");
	g_autofree char *shown = NULL, *shown_big = NULL, *shown6 = NULL, *main_table = NULL;

	if (skip())
		return;
	g_assert_cmpint(host_route_add(&r), ==, 0);
	g_assert_cmpint(host_route_add(&r), ==, -EEXIST);
	g_assert_cmpint(host_route_add(&big), ==, 0);
	g_assert_cmpint(host_route_add(&r6), ==, 0);
	shown = ip_show("-4 route show table 100");
	shown_big = ip_show("-4 route show table 1000");
	shown6 = ip_show("-6 route show table 100");
	main_table = ip_show("-4 route show table main");
	g_test_message("table 100: %s; table 1000: %s; IPv6 table 100: %s", shown, shown_big,
		       shown6);
	g_assert_nonnull(strstr(shown, "192.0.2.0/24 via 198.51.100.1 dev d0"));
	g_assert_nonnull(strstr(shown, "metric 5"));
	g_assert_nonnull(strstr(shown, "proto static"));
	g_assert_nonnull(strstr(shown_big, "192.0.2.0/24 dev d0"));
	g_assert_nonnull(strstr(shown6, "2001:db8:5::/48 dev d0"));
	g_assert_nonnull(strstr(shown6, "metric 5"));
	g_assert_null(strstr(main_table, "192.0.2.0/24"));

	/* a different metric is a different route */
	r.metric = 6;
	g_assert_cmpint(host_route_del(&r), ==, -ESRCH);
	r.metric = 5;
	g_assert_cmpint(host_route_del(&r), ==, 0);
	g_assert_cmpint(host_route_del(&r), ==, -ESRCH);
	g_assert_cmpint(host_route_del(&big), ==, 0);
	g_assert_cmpint(host_route_del(&r6), ==, 0);
	g_assert_cmpint(host_route_del(&r6), ==, -ESRCH);
}

static void test_errors(void)
{
	struct host_route r = route("192.0.2.0/24 dev d0 table 0 metric 0");
	struct host_route bad = { .family = AF_INET, .prefix = 33 };

	if (skip())
		return;
	/* a device index nobody has */
	r.oif = 2147483000u;
	g_assert_cmpint(host_route_add(&r), ==, -ENODEV);
	/* a gateway that is not on any link */
	r = route("192.0.2.0/24 via 192.0.2.200 table 0 metric 0");
	g_assert_cmpint(host_route_add(&r), ==, -ENETUNREACH);
	/* rejected before the kernel */
	g_assert_cmpint(host_route_add(&bad), ==, -EINVAL);
	g_assert_cmpint(host_route_add(NULL), ==, -EINVAL);
}

static bool oif_is_d1(unsigned oif)
{
	return oif == if_nametoindex("d1");
}

/* The path without our own routes: blackholes, the pinned route, our devices left out. */
static void test_lookup_main(void)
{
	struct host_route def = route("0.0.0.0/0 via 198.51.100.1 dev d0 table 0 metric 100");
	struct host_route def2 = route("0.0.0.0/0 via 198.51.100.9 dev d0 table 0 metric 50");
	struct host_route pin = route("203.0.113.10/32 via 198.51.100.1 dev d0 table 0 metric 0");
	struct host_route low = route("blackhole 0.0.0.0/1 table 0 metric 0");
	struct host_route high = route("blackhole 128.0.0.0/1 table 0 metric 0");
	struct host_route net = route("203.0.113.0/24 via 198.51.100.5 dev d0 table 0 metric 0");
	struct host_route other = route("203.0.113.0/25 via 198.51.100.6 dev d0 table 100 metric 0");
	struct host_route got;
	uint8_t dst[16], gw[16];
	unsigned d1;

	if (skip())
		return;
	/* what the earlier tests left in table main */
	g_assert_true(run("ip -4 route flush proto static", NULL));
	g_assert_true(run("ip -6 route flush proto static", NULL));
	g_assert_true(run("ip link add d1 type veth peer name d1p", NULL));
	g_assert_true(run("ip addr add 192.0.2.1/24 dev d1", NULL));
	g_assert_true(run("ip link set d1p up", NULL));
	g_assert_true(run("ip link set d1 up", NULL));
	d1 = if_nametoindex("d1");
	g_assert_cmpuint(d1, !=, 0);

	addr(AF_INET, "203.0.113.10", dst);
	g_assert_cmpint(host_route_lookup_main(AF_INET, dst, NULL, NULL, &got), ==, -ENETUNREACH);
	g_assert_cmpint(host_route_add(&def), ==, 0);
	g_assert_cmpint(host_route_add(&pin), ==, 0);
	g_assert_cmpint(host_route_add(&low), ==, 0);
	g_assert_cmpint(host_route_add(&high), ==, 0);
	/* the kernel's own lookup meets the pin; without the pin, the blackhole */
	g_assert_cmpint(host_route_lookup_main(AF_INET, dst, &pin, NULL, &got), ==, 0);
	addr(AF_INET, "198.51.100.1", gw);
	g_assert_cmpuint(got.oif, ==, d0);
	g_assert_true(got.has_gateway);
	g_assert_cmpmem(got.gateway, 4, gw, 4);
	g_assert_cmpmem(got.dst, 4, dst, 4);
	g_assert_cmpuint(got.prefix, ==, 32);
	g_assert_cmpint(host_route_del(&pin), ==, 0);
	g_assert_cmpint(host_route_get(AF_INET, dst, &got), ==, -EINVAL);
	g_assert_cmpint(host_route_lookup_main(AF_INET, dst, NULL, NULL, &got), ==, 0);
	g_assert_cmpmem(got.gateway, 4, gw, 4);

	/* the lower metric wins among equal prefixes, the longer prefix over both */
	g_assert_cmpint(host_route_add(&def2), ==, 0);
	g_assert_cmpint(host_route_lookup_main(AF_INET, dst, NULL, NULL, &got), ==, 0);
	addr(AF_INET, "198.51.100.9", gw);
	g_assert_cmpmem(got.gateway, 4, gw, 4);
	g_assert_cmpint(host_route_add(&net), ==, 0);
	g_assert_cmpint(host_route_add(&other), ==, 0); /* another table: not looked at */
	g_assert_cmpint(host_route_lookup_main(AF_INET, dst, NULL, NULL, &got), ==, 0);
	addr(AF_INET, "198.51.100.5", gw);
	g_assert_cmpmem(got.gateway, 4, gw, 4);

	/* a device of ours (as the callback says) is skipped; the others still count */
	addr(AF_INET, "192.0.2.77", dst);
	g_assert_cmpint(host_route_lookup_main(AF_INET, dst, NULL, NULL, &got), ==, 0);
	g_assert_cmpuint(got.oif, ==, d1);
	g_assert_false(got.has_gateway);
	g_assert_cmpint(host_route_lookup_main(AF_INET, dst, NULL, oif_is_d1, &got), ==, 0);
	g_assert_cmpuint(got.oif, ==, d0);

	/* a device that goes down takes its routes with it: the next best remains */
	g_assert_true(run("ip link set d1 down", NULL));
	g_assert_cmpint(host_route_lookup_main(AF_INET, dst, NULL, NULL, &got), ==, 0);
	g_assert_cmpuint(got.oif, ==, d0);

	/* IPv6 too */
	addr(AF_INET6, "2001:db8:1::77", dst);
	g_assert_cmpint(host_route_lookup_main(AF_INET6, dst, NULL, NULL, &got), ==, 0);
	g_assert_cmpuint(got.oif, ==, d0);
	g_assert_false(got.has_gateway);
	g_assert_cmpuint(got.prefix, ==, 128);

	g_assert_cmpint(host_route_lookup_main(AF_UNIX, dst, NULL, NULL, &got), ==, -EINVAL);
	g_assert_true(run("ip link del d1", NULL));
	g_assert_cmpint(host_route_del(&other), ==, 0);
	g_assert_cmpint(host_route_del(&net), ==, 0);
	g_assert_cmpint(host_route_del(&def2), ==, 0);
	g_assert_cmpint(host_route_del(&def), ==, 0);
	g_assert_cmpint(host_route_del(&low), ==, 0);
	g_assert_cmpint(host_route_del(&high), ==, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	have_netns = setup_netns();
	g_test_add_func("/host/route/netns/default-and-get", test_default_and_get);
	g_test_add_func("/host/route/netns/blackhole-v4", test_host_route_and_blackhole_v4);
	g_test_add_func("/host/route/netns/blackhole-v6", test_blackhole_v6);
	g_test_add_func("/host/route/netns/table-metric", test_table_metric);
	g_test_add_func("/host/route/netns/errors", test_errors);
	g_test_add_func("/host/route/netns/lookup-main", test_lookup_main);
	return g_test_run();
}

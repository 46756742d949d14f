/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The text form of host routes (the undo journal's lines) and the profile's prefixes. No
 * root and no network: the rtnetlink calls are covered by tests/integration/host/.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>

#include <glib.h>

#include "host/host-route.h"

static bool route_equal(const struct host_route *a, const struct host_route *b)
{
	return a->family == b->family && memcmp(a->dst, b->dst, 16) == 0 &&
	       a->prefix == b->prefix && a->type == b->type && a->oif == b->oif &&
	       a->has_gateway == b->has_gateway && memcmp(a->gateway, b->gateway, 16) == 0 &&
	       a->table == b->table && a->metric == b->metric;
}

static struct host_route make(int family, const char *dst, uint8_t prefix, const char *gw,
			      unsigned oif, uint32_t table, uint32_t metric)
{
	struct host_route r = { .family = family, .prefix = prefix, .type = HOST_ROUTE_UNICAST,
				.oif = oif, .table = table, .metric = metric };

	g_assert_cmpint(inet_pton(family, dst, r.dst), ==, 1);
	if (gw) {
		g_assert_cmpint(inet_pton(family, gw, r.gateway), ==, 1);
		r.has_gateway = true;
	}
	return r;
}

static void check_round_trip(const struct host_route *r, const char *expected)
{
	g_autofree char *text = host_route_to_string(r);
	struct host_route back;
	bool gone = true;

	g_assert_cmpstr(text, ==, expected);
	g_assert_true(host_route_from_string(text, &back, &gone));
	g_assert_false(gone);
	g_assert_true(route_equal(r, &back));
}

static void test_round_trip_ipv4(void)
{
	unsigned lo = if_nametoindex("lo");
	struct host_route r;

	g_assert_cmpuint(lo, >, 0);
	r = make(AF_INET, "203.0.113.10", 32, "198.51.100.1", lo, 0, 0);
	check_round_trip(&r, "203.0.113.10/32 via 198.51.100.1 dev lo table 0 metric 0");
	r = make(AF_INET, "10.0.0.0", 8, NULL, lo, 0, 0);
	check_round_trip(&r, "10.0.0.0/8 dev lo table 0 metric 0");
	r = make(AF_INET, "0.0.0.0", 0, "192.0.2.1", 0, 0, 0);
	check_round_trip(&r, "0.0.0.0/0 via 192.0.2.1 table 0 metric 0");
	r = make(AF_INET, "192.0.2.0", 24, NULL, lo, 100, 5);
	check_round_trip(&r, "192.0.2.0/24 dev lo table 100 metric 5");
	r = make(AF_INET, "192.0.2.0", 24, NULL, lo, UINT32_MAX, UINT32_MAX);
	check_round_trip(&r, "192.0.2.0/24 dev lo table 4294967295 metric 4294967295");
	/* from_string accepts host bits as written: it restores what was there */
	r = make(AF_INET, "192.0.2.77", 24, NULL, lo, 0, 0);
	check_round_trip(&r, "192.0.2.77/24 dev lo table 0 metric 0");
}

static void test_round_trip_ipv6(void)
{
	unsigned lo = if_nametoindex("lo");
	struct host_route r;

	r = make(AF_INET6, "2001:db8::", 32, NULL, lo, 0, 0);
	check_round_trip(&r, "2001:db8::/32 dev lo table 0 metric 0");
	r = make(AF_INET6, "2001:db8:2::", 48, "fe80::1", lo, 254, 1024);
	check_round_trip(&r, "2001:db8:2::/48 via fe80::1 dev lo table 254 metric 1024");
	r = make(AF_INET6, "::", 0, "2001:db8::1", 0, 0, 0);
	check_round_trip(&r, "::/0 via 2001:db8::1 table 0 metric 0");
	r = make(AF_INET6, "2001:db8::1", 128, NULL, lo, 0, 7);
	check_round_trip(&r, "2001:db8::1/128 dev lo table 0 metric 7");
}

static void test_round_trip_blackhole(void)
{
	struct host_route r = make(AF_INET, "0.0.0.0", 1, NULL, 0, 0, 0);

	r.type = HOST_ROUTE_BLACKHOLE;
	check_round_trip(&r, "blackhole 0.0.0.0/1 table 0 metric 0");
	r = make(AF_INET, "128.0.0.0", 1, NULL, 0, 100, 3);
	r.type = HOST_ROUTE_BLACKHOLE;
	check_round_trip(&r, "blackhole 128.0.0.0/1 table 100 metric 3");
	r = make(AF_INET6, "8000::", 1, NULL, 0, 0, 0);
	r.type = HOST_ROUTE_BLACKHOLE;
	check_round_trip(&r, "blackhole 8000::/1 table 0 metric 0");
}

static void test_dev_gone(void)
{
	struct host_route r = { 0 };
	bool gone = false;

	g_assert_true(host_route_from_string("10.0.0.0/8 dev nosuchdev0 table 0 metric 0", &r,
					     &gone));
	g_assert_true(gone);
	g_assert_cmpuint(r.oif, ==, 0);
	g_assert_cmpint(r.family, ==, AF_INET);
	g_assert_cmpuint(r.prefix, ==, 8);

	/* "#INDEX" is written only when the device had no name: gone then, gone now */
	gone = false;
	g_assert_true(host_route_from_string("10.0.0.0/8 via 10.1.1.1 dev #7 table 0 metric 0",
					     &r, &gone));
	g_assert_true(gone);
	g_assert_cmpuint(r.oif, ==, 0);
	g_assert_true(r.has_gateway);

	/* ret_dev_gone is optional */
	g_assert_true(host_route_from_string("10.0.0.0/8 dev nosuchdev0 table 0 metric 0", &r,
					     NULL));
}

static void test_to_string_unnamed_dev(void)
{
	/* an index no device has: printed as "#INDEX" */
	struct host_route r = make(AF_INET, "10.0.0.0", 8, NULL, 2147483000u, 0, 0);
	g_autofree char *text = host_route_to_string(&r);
	g_autofree char *bad = NULL;
	struct host_route bogus = { .family = 12345 };

	g_assert_cmpstr(text, ==, "10.0.0.0/8 dev #2147483000 table 0 metric 0");
	bad = host_route_to_string(&bogus);
	g_assert_nonnull(bad);
}

static const char *const malformed[] = {
	"",
	" ",
	"10.0.0.0/8",
	"10.0.0.0/8 table 0",
	"10.0.0.0/8 table 0 metric",
	"10.0.0.0/8 metric 0 table 0",
	"10.0.0.0/8 dev lo table 0 metric 0 ",
	" 10.0.0.0/8 dev lo table 0 metric 0",
	"10.0.0.0/8  dev lo table 0 metric 0",
	"10.0.0.0/8 dev lo table 0 metric 0\n",
	"10.0.0.0/8 dev lo table 0 metric 0 extra",
	"10.0.0.0/8 dev lo table 0 metric 0x",
	"10.0.0.0/8 dev\tlo table 0 metric 0",
	"10.0.0.0/8 dev lo table 0 metric 4294967296",
	"10.0.0.0/8 dev lo table 4294967296 metric 0",
	"10.0.0.0/8 dev lo table 99999999999 metric 0",
	"10.0.0.0/8 dev lo table -1 metric 0",
	"10.0.0.0/8 dev lo table +1 metric 0",
	"10.0.0.0/8 dev lo table 01 metric 0",
	"10.0.0.0/8 dev lo table  metric 0",
	"10.0.0.0 dev lo table 0 metric 0",
	"10.0.0.0/ dev lo table 0 metric 0",
	"10.0.0.0/33 dev lo table 0 metric 0",
	"10.0.0.0/08 dev lo table 0 metric 0",
	"10.0.0.0/-1 dev lo table 0 metric 0",
	"10.0.0.0/8/8 dev lo table 0 metric 0",
	"10.0.0/8 dev lo table 0 metric 0",
	"10.0.0.256/8 dev lo table 0 metric 0",
	"010.0.0.0/8 dev lo table 0 metric 0",
	"2001:db8::/129 dev lo table 0 metric 0",
	"2001:db8:::/32 dev lo table 0 metric 0",
	"fe80::1%lo/128 dev lo table 0 metric 0",
	"/8 dev lo table 0 metric 0",
	"10.0.0.0/8 via dev lo table 0 metric 0",
	"10.0.0.0/8 via 2001:db8::1 dev lo table 0 metric 0",
	"2001:db8::/32 via 10.0.0.1 dev lo table 0 metric 0",
	"10.0.0.0/8 via 10.0.0.1 via 10.0.0.2 table 0 metric 0",
	"10.0.0.0/8 dev lo via 10.0.0.1 table 0 metric 0",
	"10.0.0.0/8 dev lo dev lo table 0 metric 0",
	"10.0.0.0/8 dev table 0 metric 0",
	"10.0.0.0/8 dev a/b table 0 metric 0",
	"10.0.0.0/8 dev a:1 table 0 metric 0",
	"10.0.0.0/8 dev . table 0 metric 0",
	"10.0.0.0/8 dev .. table 0 metric 0",
	"10.0.0.0/8 dev 0123456789abcdef table 0 metric 0",
	"10.0.0.0/8 dev # table 0 metric 0",
	"10.0.0.0/8 dev #0 table 0 metric 0",
	"10.0.0.0/8 dev #x table 0 metric 0",
	"10.0.0.0/8 dev #4294967296 table 0 metric 0",
	"10.0.0.0/8 proto static table 0 metric 0",
	"10.0.0.0/8 dev lo scope link table 0 metric 0",
	"unicast 10.0.0.0/8 dev lo table 0 metric 0",
	"blackhole table 0 metric 0",
	"blackhole 0.0.0.0/1 dev lo table 0 metric 0",
	"blackhole 0.0.0.0/1 via 10.0.0.1 table 0 metric 0",
	"blackhole blackhole 0.0.0.0/1 table 0 metric 0",
	"BLACKHOLE 0.0.0.0/1 table 0 metric 0",
	"10.0.0.0/8 DEV lo table 0 metric 0",
	"10.0.0.0/8 dev lo TABLE 0 metric 0",
};

static void test_malformed(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(malformed); i++) {
		struct host_route r;
		bool gone = true;

		/* a failed parse leaves the outputs untouched (STYLE.md rule 3) */
		memset(&r, 0xa5, sizeof(r));
		if (host_route_from_string(malformed[i], &r, &gone))
			g_error("accepted malformed route text \"%s\"", malformed[i]);
		for (size_t b = 0; b < sizeof(r); b++)
			g_assert_cmpuint(((const uint8_t *)&r)[b], ==, 0xa5);
		g_assert_true(gone);
	}
}

static void test_malformed_embedded(void)
{
	char buf[] = "10.0.0.0/8 dev lo table 0 metric 0";
	struct host_route r;
	char *long_text;

	/* every strict prefix of a valid line is rejected */
	for (size_t n = 0; n < strlen(buf); n++) {
		g_autofree char *cut = g_strndup(buf, n);

		g_assert_false(host_route_from_string(cut, &r, NULL));
	}
	g_assert_true(host_route_from_string(buf, &r, NULL));

	/* overlong: padding a valid line's metric with many characters */
	long_text = g_strdup_printf("%s%0300d", "10.0.0.0/8 table 0 metric ", 1);
	g_assert_false(host_route_from_string(long_text, &r, NULL));
	g_free(long_text);
	long_text = g_strnfill(100000, 'a');
	g_assert_false(host_route_from_string(long_text, &r, NULL));
	g_assert_false(host_route_parse_prefix(long_text, &(int){ 0 }, (uint8_t[16]){ 0 },
					       &(uint8_t){ 0 }));
	g_free(long_text);
	g_assert_false(host_route_from_string(NULL, &r, NULL));
}

typedef struct {
	const char *text;
	int family;
	const char *addr;
	uint8_t prefix;
} GoodPrefix;

static const GoodPrefix good_prefixes[] = {
	{ "10.0.0.0/8", AF_INET, "10.0.0.0", 8 },
	{ "192.168.1.0/24", AF_INET, "192.168.1.0", 24 },
	{ "203.0.113.10/32", AF_INET, "203.0.113.10", 32 },
	{ "0.0.0.0/0", AF_INET, "0.0.0.0", 0 },
	{ "128.0.0.0/1", AF_INET, "128.0.0.0", 1 },
	{ "2001:db8::/32", AF_INET6, "2001:db8::", 32 },
	{ "::/0", AF_INET6, "::", 0 },
	{ "8000::/1", AF_INET6, "8000::", 1 },
	{ "2001:db8::1/128", AF_INET6, "2001:db8::1", 128 },
	{ "2001:DB8:0:0:0:0:0:0/48", AF_INET6, "2001:db8::", 48 },
	{ "2001:db8::8000/113", AF_INET6, "2001:db8::8000", 113 },
};

static const char *const bad_prefixes[] = {
	"",
	"10.0.0.0",
	"10.0.0.0/",
	"/8",
	"10.0.0.1/8",
	"10.128.0.0/8",
	"192.168.1.1/31",
	"10.0.0.0/33",
	"10.0.0.0/-1",
	"10.0.0.0/08",
	"10.0.0.0/8 ",
	" 10.0.0.0/8",
	"10.0.0.0/8x",
	"10.0.0.0/8/8",
	"10.0.0.0 /8",
	"2001:db8::/129",
	"2001:db8::1/64",
	"2001:db8::/300",
	"2001:db8::/4294967328",
	"2001:db8::8000/112",
	"fe80::%lo/64",
	"10.0.0/8",
	"hello/8",
	"10.0.0.0/8\n",
};

static void test_parse_prefix(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(good_prefixes); i++) {
		const GoodPrefix *g = &good_prefixes[i];
		uint8_t dst[16], want[16] = { 0 };
		uint8_t prefix = 0xff;
		int family = -1;

		g_assert_cmpint(inet_pton(g->family, g->addr, want), ==, 1);
		memset(dst, 0, sizeof(dst));
		if (!host_route_parse_prefix(g->text, &family, dst, &prefix))
			g_error("rejected good prefix \"%s\"", g->text);
		g_assert_cmpint(family, ==, g->family);
		g_assert_cmpmem(dst, 16, want, 16);
		g_assert_cmpuint(prefix, ==, g->prefix);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(bad_prefixes); i++) {
		uint8_t dst[16];
		uint8_t prefix = 0xa5;
		int family = 0x5a5a;

		memset(dst, 0xa5, sizeof(dst));
		if (host_route_parse_prefix(bad_prefixes[i], &family, dst, &prefix))
			g_error("accepted bad prefix \"%s\"", bad_prefixes[i]);
		g_assert_cmpint(family, ==, 0x5a5a);
		g_assert_cmpuint(prefix, ==, 0xa5);
		for (size_t b = 0; b < sizeof(dst); b++)
			g_assert_cmpuint(dst[b], ==, 0xa5);
	}
	g_assert_false(host_route_parse_prefix(NULL, &(int){ 0 }, (uint8_t[16]){ 0 },
					       &(uint8_t){ 0 }));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/host/route/text/round-trip-ipv4", test_round_trip_ipv4);
	g_test_add_func("/host/route/text/round-trip-ipv6", test_round_trip_ipv6);
	g_test_add_func("/host/route/text/round-trip-blackhole", test_round_trip_blackhole);
	g_test_add_func("/host/route/text/dev-gone", test_dev_gone);
	g_test_add_func("/host/route/text/unnamed-dev", test_to_string_unnamed_dev);
	g_test_add_func("/host/route/text/malformed", test_malformed);
	g_test_add_func("/host/route/text/truncated-and-overlong", test_malformed_embedded);
	g_test_add_func("/host/route/prefix", test_parse_prefix);
	return g_test_run();
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The DHCPINFORM request roadied sends over PPP and the DHCPACK it reads back.
 * The route vectors are the encoding table of RFC 3442 §"Classless Route Option Format"
 * (subnet number / mask / destination descriptor). The RRAS answer is hand-built after the
 * shape RRAS's relay sends (options 53, 54, 1, 15 with a trailing NUL, 6, 249): it is not
 * a capture.
 */
#include <errno.h>
#include <string.h>
#include <glib.h>

#include "dhcp/dhcp-inform.h"

static const uint8_t our_mac[6] = {0x02, 0x00, 0x5e, 0x10, 0x20, 0x30};
#define OUR_XID 0x1a2b3c4du

static uint32_t addr(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	const uint8_t bytes[4] = {a, b, c, d};
	uint32_t v;

	memcpy(&v, bytes, 4);
	return v;
}

/* An independent RFC 1071 checksum: sum of big-endian 16-bit words, folded, not inverted. */
static uint16_t ones_sum(const uint8_t *p, size_t n, uint32_t sum)
{
	for (size_t i = 0; i < n; i++)
		sum += (i % 2 == 0) ? (uint32_t)p[i] << 8 : p[i];
	while (sum > 0xffff)
		sum = (sum >> 16) + (sum & 0xffff);
	return (uint16_t)sum;
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* --- a DHCP message builder for the parse tests --- */

struct msg {
	uint8_t b[2048];
	size_t len;
};

static void msg_init(struct msg *m, uint8_t op, uint32_t xid, const uint8_t mac[6])
{
	memset(m, 0, sizeof(*m));
	m->b[0] = op;
	m->b[1] = 1;
	m->b[2] = 6;
	m->b[4] = (uint8_t)(xid >> 24);
	m->b[5] = (uint8_t)(xid >> 16);
	m->b[6] = (uint8_t)(xid >> 8);
	m->b[7] = (uint8_t)xid;
	memcpy(m->b + 28, mac, 6);
	m->b[236] = 99;
	m->b[237] = 130;
	m->b[238] = 83;
	m->b[239] = 99;
	m->len = 240;
}

static void msg_bytes(struct msg *m, const void *data, size_t n)
{
	g_assert_cmpuint(m->len + n, <=, sizeof(m->b));
	memcpy(m->b + m->len, data, n);
	m->len += n;
}

static void msg_opt(struct msg *m, uint8_t code, const void *data, uint8_t n)
{
	msg_bytes(m, &code, 1);
	msg_bytes(m, &n, 1);
	msg_bytes(m, data, n);
}

static void msg_type(struct msg *m, uint8_t type)
{
	msg_opt(m, 53, &type, 1);
}

static void msg_end(struct msg *m)
{
	static const uint8_t end = 255;

	msg_bytes(m, &end, 1);
}

/* Parses from an exact-size copy, so ASan sees any read past the end. */
static int parse(const struct msg *m, size_t len, struct dhcp_inform_result *res,
		 enum dhcp_drop *drop)
{
	uint8_t *copy = g_memdup2(m->b, len ? len : 1);
	int r = dhcp_inform_parse(copy, len, OUR_XID, our_mac, res, drop);

	g_free(copy);
	return r;
}

static void parse_ok(const struct msg *m, struct dhcp_inform_result *res)
{
	enum dhcp_drop drop = DHCP_DROP_COUNT;

	g_assert_cmpint(parse(m, m->len, res, &drop), ==, 0);
	g_assert_cmpint(drop, ==, DHCP_DROP_COUNT); /* untouched on success */
}

/* The answer RRAS's relay gives to a Windows INFORM (hand-built, see the file comment). */
static void rras_ack(struct msg *m)
{
	static const uint8_t server[4] = {192, 0, 2, 1}, mask[4] = {255, 255, 255, 0};
	static const uint8_t dns[8] = {10, 0, 0, 53, 10, 0, 1, 53};
	static const char domain[] = "corp.example.com"; /* sent with its NUL */
	/* 10.0.0.0/8 on-link, 172.16.0.0/12 via 192.0.2.1 */
	static const uint8_t routes[] = {8, 10, 0, 0, 0, 0, 12, 172, 16, 192, 0, 2, 1};

	msg_init(m, 2, OUR_XID, our_mac);
	memcpy(m->b + 12, (const uint8_t[]){198, 51, 100, 7}, 4); /* ciaddr echoed */
	msg_type(m, 5);
	msg_opt(m, 54, server, 4);
	msg_opt(m, 1, mask, 4);
	msg_opt(m, 15, domain, sizeof(domain));
	msg_opt(m, 6, dns, sizeof(dns));
	msg_opt(m, 249, routes, sizeof(routes));
	msg_end(m);
}

/* --- build --- */

static void test_build_fields(void)
{
	static const uint8_t request[] = {1, 121, 3, 6, 15, 33, 44, 46, 47, 249};
	uint8_t buf[1500], pseudo[12];
	const uint32_t ciaddr = addr(198, 51, 100, 7);
	const uint8_t *ip = buf, *udp = buf + 20, *bootp = buf + 28, *o;
	size_t len = 0, bootp_len;

	memset(buf, 0xee, sizeof(buf));
	g_assert_cmpint(dhcp_inform_build(buf, sizeof(buf), &len, OUR_XID, ciaddr, our_mac), ==, 0);
	g_assert_cmpuint(len, ==, DHCP_INFORM_PACKET_LEN);
	bootp_len = len - 28;
	g_assert_cmpuint(bootp_len, >=, 300); /* RFC 1542 §3.1.1 */

	/* IPv4 (RFC 791) */
	g_assert_cmphex(ip[0], ==, 0x45);
	g_assert_cmphex(ip[1], ==, 0);
	g_assert_cmpuint(be16(ip + 2), ==, len);
	g_assert_cmphex(be16(ip + 6) & 0x4000, ==, 0); /* DF clear */
	g_assert_cmphex(be16(ip + 6) & 0x3fff, ==, 0); /* not a fragment */
	g_assert_cmpuint(ip[8], ==, 64);
	g_assert_cmpuint(ip[9], ==, 17);
	g_assert_cmpmem(ip + 12, 4, &ciaddr, 4);
	g_assert_cmpmem(ip + 16, 4, ((const uint8_t[]){255, 255, 255, 255}), 4);
	g_assert_cmphex(ones_sum(ip, 20, 0), ==, 0xffff); /* header checksum verifies */

	/* UDP (RFC 768), checksum over the pseudo header */
	g_assert_cmpuint(be16(udp), ==, 68);
	g_assert_cmpuint(be16(udp + 2), ==, 67);
	g_assert_cmpuint(be16(udp + 4), ==, len - 20);
	g_assert_cmphex(be16(udp + 6), !=, 0);
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = 17;
	pseudo[10] = (uint8_t)((len - 20) >> 8);
	pseudo[11] = (uint8_t)(len - 20);
	g_assert_cmphex(ones_sum(udp, len - 20, ones_sum(pseudo, sizeof(pseudo), 0)), ==, 0xffff);

	/* BOOTP (RFC 2131 §2, §4.4.3) */
	g_assert_cmpuint(bootp[0], ==, 1);
	g_assert_cmpuint(bootp[1], ==, 1);
	g_assert_cmpuint(bootp[2], ==, 6);
	g_assert_cmpuint(bootp[3], ==, 0);
	g_assert_cmpmem(bootp + 4, 4, ((const uint8_t[]){0x1a, 0x2b, 0x3c, 0x4d}), 4);
	g_assert_cmpuint(be16(bootp + 8), ==, 0);
	g_assert_cmpuint(be16(bootp + 10), ==, 0);
	g_assert_cmpmem(bootp + 12, 4, &ciaddr, 4);
	for (size_t i = 16; i < 28; i++) /* yiaddr siaddr giaddr */
		g_assert_cmpuint(bootp[i], ==, 0);
	g_assert_cmpmem(bootp + 28, 6, our_mac, 6);
	for (size_t i = 34; i < 236; i++) /* chaddr padding, sname, file */
		g_assert_cmpuint(bootp[i], ==, 0);
	g_assert_cmpmem(bootp + 236, 4, ((const uint8_t[]){99, 130, 83, 99}), 4);

	/* options, in this order */
	o = bootp + 240;
	g_assert_cmpmem(o, 3, ((const uint8_t[]){53, 1, 8}), 3);
	o += 3;
	g_assert_cmpmem(o, 3, ((const uint8_t[]){61, 7, 1}), 3);
	g_assert_cmpmem(o + 3, 6, our_mac, 6);
	o += 9;
	g_assert_cmpuint(o[0], ==, 60);
	g_assert_cmpuint(o[1], ==, 8);
	g_assert_cmpmem(o + 2, 8, "MSFT 5.0", 8);
	o += 10;
	g_assert_cmpuint(o[0], ==, 55);
	g_assert_cmpmem(o + 2, o[1], request, sizeof(request));
	o += 2 + sizeof(request);
	g_assert_cmpuint(o[0], ==, 255);
	for (o++; o < buf + len; o++) /* padding to 300 */
		g_assert_cmpuint(*o, ==, 0);
	for (size_t i = len; i < sizeof(buf); i++) /* nothing written past the packet */
		g_assert_cmpuint(buf[i], ==, 0xee);
}

/* RFC 3442 §"DHCP Client Behavior": 121 before 3 and 33 in the request list. */
static void test_build_request_order(void)
{
	uint8_t buf[DHCP_INFORM_PACKET_LEN];
	size_t len, i121 = 0, i3 = 0, i33 = 0;
	const uint8_t *prl = buf + 28 + 240 + 3 + 9 + 10;

	g_assert_cmpint(dhcp_inform_build(buf, sizeof(buf), &len, 1, addr(10, 1, 1, 1), our_mac),
			==, 0);
	g_assert_cmpuint(prl[0], ==, 55);
	for (size_t i = 0; i < prl[1]; i++) {
		if (prl[2 + i] == 121)
			i121 = i + 1;
		if (prl[2 + i] == 3)
			i3 = i + 1;
		if (prl[2 + i] == 33)
			i33 = i + 1;
	}
	g_assert_cmpuint(i121, >, 0);
	g_assert_cmpuint(i121, <, i3);
	g_assert_cmpuint(i121, <, i33);
}

/* Odd checksum inputs: different xids and addresses still verify. */
static void test_build_checksums(void)
{
	for (uint32_t k = 0; k < 2000; k++) {
		uint8_t buf[DHCP_INFORM_PACKET_LEN], pseudo[12];
		uint32_t xid = k * 2654435761u;
		uint32_t ciaddr = addr((uint8_t)k, (uint8_t)(k >> 3), (uint8_t)(k * 7), 0xff);
		size_t len;

		g_assert_cmpint(dhcp_inform_build(buf, sizeof(buf), &len, xid, ciaddr, our_mac), ==,
				0);
		g_assert_cmphex(ones_sum(buf, 20, 0), ==, 0xffff);
		memcpy(pseudo, buf + 12, 8);
		pseudo[8] = 0;
		pseudo[9] = 17;
		memcpy(pseudo + 10, buf + 24, 2);
		g_assert_cmphex(ones_sum(buf + 20, len - 20, ones_sum(pseudo, 12, 0)), ==, 0xffff);
	}
}

static void test_build_too_small(void)
{
	uint8_t buf[DHCP_INFORM_PACKET_LEN];

	for (size_t size = 0; size < sizeof(buf); size++) {
		size_t len = 12345;

		g_assert_cmpint(dhcp_inform_build(buf, size, &len, 1, 0, our_mac), ==, -EMSGSIZE);
		g_assert_cmpuint(len, ==, 12345);
	}
}

/* Our own request, stripped of IP and UDP, is not an answer; turned into one it parses. */
static void test_build_round_trip(void)
{
	uint8_t buf[DHCP_INFORM_PACKET_LEN];
	struct dhcp_inform_result res;
	enum dhcp_drop drop;
	size_t len;

	g_assert_cmpint(
		dhcp_inform_build(buf, sizeof(buf), &len, OUR_XID, addr(10, 9, 8, 7), our_mac), ==,
		0);
	g_assert_cmpint(dhcp_inform_parse(buf + 28, len - 28, OUR_XID, our_mac, &res, &drop), ==,
			-EBADMSG);
	g_assert_cmpint(drop, ==, DHCP_DROP_NOT_OURS);
	buf[28] = 2;           /* op BOOTREPLY */
	buf[28 + 240 + 2] = 5; /* DHCPACK */
	g_assert_cmpint(dhcp_inform_parse(buf + 28, len - 28, OUR_XID, our_mac, &res, &drop), ==,
			0);
	g_assert_cmpstr(res.domain, ==, "");
	g_assert_cmpuint(res.n_dns, ==, 0);
	g_assert_cmpuint(res.n_routes, ==, 0);
}

/* --- parse --- */

static void test_parse_rras(void)
{
	struct dhcp_inform_result res;
	struct msg m;

	rras_ack(&m);
	parse_ok(&m, &res);
	g_assert_cmpstr(res.domain, ==, "corp.example.com");
	g_assert_cmpuint(res.n_dns, ==, 2);
	g_assert_cmphex(res.dns[0], ==, addr(10, 0, 0, 53));
	g_assert_cmphex(res.dns[1], ==, addr(10, 0, 1, 53));
	g_assert_cmpuint(res.n_routes, ==, 2);
	g_assert_cmphex(res.routes[0].network, ==, addr(10, 0, 0, 0));
	g_assert_cmpuint(res.routes[0].prefix, ==, 8);
	g_assert_cmphex(res.routes[0].gateway, ==, 0);
	g_assert_cmphex(res.routes[1].network, ==, addr(172, 16, 0, 0));
	g_assert_cmpuint(res.routes[1].prefix, ==, 12);
	g_assert_cmphex(res.routes[1].gateway, ==, addr(192, 0, 2, 1));
}

/*
 * RFC 3442 §"Classless Route Option Format", the table of "examples of how various subnet
 * number/mask combinations can be encoded" (subnet number, mask, destination descriptor).
 * Each descriptor gets router 192.0.2.<row>; then all rows in one option, in order.
 */
static const struct {
	uint8_t net[4], prefix;
	uint8_t descriptor[5];
	size_t descriptor_len;
} rfc3442_table[] = {
	{{0, 0, 0, 0}, 0, {0}, 1},                           /* 0 / 0 */
	{{10, 0, 0, 0}, 8, {8, 10}, 2},                      /* 255.0.0.0 */
	{{10, 0, 0, 0}, 24, {24, 10, 0, 0}, 4},              /* 255.255.255.0 */
	{{10, 17, 0, 0}, 16, {16, 10, 17}, 3},               /* 255.255.0.0 */
	{{10, 27, 129, 0}, 24, {24, 10, 27, 129}, 4},        /* 255.255.255.0 */
	{{10, 229, 0, 128}, 25, {25, 10, 229, 0, 128}, 5},   /* 255.255.255.128 */
	{{10, 198, 122, 47}, 32, {32, 10, 198, 122, 47}, 5}, /* 255.255.255.255 */
};

static void test_parse_rfc3442_table(void)
{
	uint8_t all[64];
	size_t all_len = 0;
	struct dhcp_inform_result res;
	struct msg m;

	for (size_t i = 0; i < G_N_ELEMENTS(rfc3442_table); i++) {
		uint8_t opt[9];
		size_t n = rfc3442_table[i].descriptor_len;
		const uint8_t router[4] = {192, 0, 2, (uint8_t)(i + 1)};
		uint32_t net;

		memcpy(opt, rfc3442_table[i].descriptor, n);
		memcpy(opt + n, router, 4);
		memcpy(all + all_len, opt, n + 4);
		all_len += n + 4;

		msg_init(&m, 2, OUR_XID, our_mac);
		msg_type(&m, 5);
		msg_opt(&m, 121, opt, (uint8_t)(n + 4));
		msg_end(&m);
		parse_ok(&m, &res);
		memcpy(&net, rfc3442_table[i].net, 4);
		g_assert_cmpuint(res.n_routes, ==, 1);
		g_assert_cmphex(res.routes[0].network, ==, net);
		g_assert_cmpuint(res.routes[0].prefix, ==, rfc3442_table[i].prefix);
		g_assert_cmphex(res.routes[0].gateway, ==, addr(192, 0, 2, (uint8_t)(i + 1)));
	}

	msg_init(&m, 2, OUR_XID, our_mac);
	msg_type(&m, 5);
	msg_opt(&m, 121, all, (uint8_t)all_len);
	msg_end(&m);
	parse_ok(&m, &res);
	g_assert_cmpuint(res.n_routes, ==, G_N_ELEMENTS(rfc3442_table));
	for (size_t i = 0; i < G_N_ELEMENTS(rfc3442_table); i++) {
		uint32_t net;

		memcpy(&net, rfc3442_table[i].net, 4);
		g_assert_cmphex(res.routes[i].network, ==, net);
		g_assert_cmpuint(res.routes[i].prefix, ==, rfc3442_table[i].prefix);
	}
}

/* RFC 3442: when 121 is there, 249 (and 3) are not used. A malformed 121 counts as absent. */
static void test_parse_121_over_249(void)
{
	static const uint8_t r121[] = {16, 10, 17, 192, 0, 2, 9};
	static const uint8_t r249[] = {8, 10, 0, 0, 0, 0};
	static const uint8_t bad121[] = {33, 10, 17, 192, 0, 2, 9};
	static const uint8_t router[] = {192, 0, 2, 254};
	struct dhcp_inform_result res;
	struct msg m;

	/* 249 first on the wire, then 121: order does not matter */
	msg_init(&m, 2, OUR_XID, our_mac);
	msg_type(&m, 5);
	msg_opt(&m, 3, router, 4);
	msg_opt(&m, 249, r249, sizeof(r249));
	msg_opt(&m, 121, r121, sizeof(r121));
	msg_end(&m);
	parse_ok(&m, &res);
	g_assert_cmpuint(res.n_routes, ==, 1);
	g_assert_cmphex(res.routes[0].network, ==, addr(10, 17, 0, 0));
	g_assert_cmpuint(res.routes[0].prefix, ==, 16);
	g_assert_cmphex(res.routes[0].gateway, ==, addr(192, 0, 2, 9));

	msg_init(&m, 2, OUR_XID, our_mac);
	msg_type(&m, 5);
	msg_opt(&m, 121, bad121, sizeof(bad121));
	msg_opt(&m, 249, r249, sizeof(r249));
	msg_end(&m);
	parse_ok(&m, &res);
	g_assert_cmpuint(res.n_routes, ==, 1);
	g_assert_cmphex(res.routes[0].network, ==, addr(10, 0, 0, 0));
	g_assert_cmpuint(res.routes[0].prefix, ==, 8);
}

/* RFC 3396 §5: instances of one option are concatenated, even mid-route or mid-name. */
static void test_parse_concatenation(void)
{
	static const uint8_t routes[] = {25, 10, 229, 0, 128, 192, 0, 2, 1, 0, 192, 0, 2, 2};
	static const char domain[] = "corp.example.com";
	static const uint8_t dns[] = {10, 0, 0, 53, 10, 0, 1, 53};
	struct dhcp_inform_result res;
	struct msg m;

	msg_init(&m, 2, OUR_XID, our_mac);
	msg_opt(&m, 121, routes, 3);
	msg_opt(&m, 15, domain, 5);
	msg_type(&m, 5);
	msg_opt(&m, 6, dns, 2);
	msg_bytes(&m, (const uint8_t[]){0, 0}, 2); /* pad options in between */
	msg_opt(&m, 121, routes + 3, sizeof(routes) - 3);
	msg_opt(&m, 15, domain + 5, sizeof(domain) - 5);
	msg_opt(&m, 6, dns + 2, sizeof(dns) - 2);
	msg_end(&m);
	parse_ok(&m, &res);
	g_assert_cmpstr(res.domain, ==, "corp.example.com");
	g_assert_cmpuint(res.n_dns, ==, 2);
	g_assert_cmphex(res.dns[1], ==, addr(10, 0, 1, 53));
	g_assert_cmpuint(res.n_routes, ==, 2);
	g_assert_cmphex(res.routes[0].network, ==, addr(10, 229, 0, 128));
	g_assert_cmpuint(res.routes[0].prefix, ==, 25);
	g_assert_cmphex(res.routes[1].network, ==, 0);
	g_assert_cmpuint(res.routes[1].prefix, ==, 0);
	g_assert_cmphex(res.routes[1].gateway, ==, addr(192, 0, 2, 2));

	/* a route list longer than one option can hold: 40 routes over two instances */
	{
		uint8_t big[40 * 8];
		size_t n = 0;

		for (unsigned i = 0; i < 40; i++) {
			const uint8_t r[] = {24, 10, (uint8_t)i, 1, 192, 0, 2, 1};

			memcpy(big + n, r, sizeof(r));
			n += sizeof(r);
		}
		msg_init(&m, 2, OUR_XID, our_mac);
		msg_type(&m, 5);
		msg_opt(&m, 121, big, 255);
		msg_opt(&m, 121, big + 255, (uint8_t)(n - 255));
		msg_end(&m);
		parse_ok(&m, &res);
		g_assert_cmpuint(res.n_routes, ==, DHCP_INFORM_MAX_ROUTES);
		g_assert_cmphex(res.routes[31].network, ==, addr(10, 31, 1, 0));
		g_assert_cmpuint(res.routes[31].prefix, ==, 24);
	}
}

/* Bits of the subnet number beyond the width are masked off. */
static void test_parse_route_host_bits(void)
{
	static const struct {
		uint8_t opt[9];
		uint8_t len;
		uint8_t net[4];
		uint8_t prefix;
	} cases[] = {
		{{20, 10, 27, 255, 192, 0, 2, 1}, 8, {10, 27, 240, 0}, 20},
		{{1, 0xff, 192, 0, 2, 1}, 6, {128, 0, 0, 0}, 1},
		{{25, 10, 229, 0, 0xff, 192, 0, 2, 1}, 9, {10, 229, 0, 128}, 25},
		{{31, 10, 1, 2, 0xff, 192, 0, 2, 1}, 9, {10, 1, 2, 0xfe}, 31},
		{{9, 10, 0xff, 192, 0, 2, 1}, 7, {10, 128, 0, 0}, 9},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct dhcp_inform_result res;
		struct msg m;
		uint32_t net;

		msg_init(&m, 2, OUR_XID, our_mac);
		msg_type(&m, 5);
		msg_opt(&m, 121, cases[i].opt, cases[i].len);
		msg_end(&m);
		parse_ok(&m, &res);
		memcpy(&net, cases[i].net, 4);
		g_assert_cmpuint(res.n_routes, ==, 1);
		g_assert_cmphex(res.routes[0].network, ==, net);
		g_assert_cmpuint(res.routes[0].prefix, ==, cases[i].prefix);
	}
}

static void test_parse_domain(void)
{
	static const struct {
		const char *what;
		const char *data;
		size_t len;
		const char *expect;
	} cases[] = {
		{"with NUL (Windows)", "corp.example.com", 17, "corp.example.com"},
		{"without NUL", "corp.example.com", 16, "corp.example.com"},
		{"trailing dot", "corp.example.com.", 17, "corp.example.com"},
		{"hyphen and digits", "vpn-1.Example0.org", 18, "vpn-1.Example0.org"},
		{"single label", "corp", 4, "corp"},
		{"two NULs", "corp\0", 6, ""},
		{"empty", "", 0, ""},
		{"only NUL", "", 1, ""},
		{"only dot", ".", 1, ""},
		{"empty label", "corp..example", 13, ""},
		{"leading dot", ".corp", 5, ""},
		{"space", "corp example", 12, ""},
		{"two names", "a.com b.com", 11, ""},
		{"underscore", "a_b.com", 7, ""},
		{"NUL inside", "corp\0x", 6, ""},
		{"high byte", "caf\xc3\xa9.fr", 8, ""},
		{"newline", "corp\nexample", 12, ""},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct dhcp_inform_result res;
		struct msg m;

		g_test_message("%s", cases[i].what);
		msg_init(&m, 2, OUR_XID, our_mac);
		msg_type(&m, 5);
		msg_opt(&m, 15, cases[i].data, (uint8_t)cases[i].len);
		msg_end(&m);
		parse_ok(&m, &res);
		g_assert_cmpstr(res.domain, ==, cases[i].expect);
	}
}

/* The length limits: a label of 63, a name of 253, over two instances (RFC 3396). */
static void test_parse_domain_lengths(void)
{
	char name[300];
	struct dhcp_inform_result res;
	struct msg m;

	/* 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 */
	memset(name, 'a', sizeof(name));
	name[63] = name[127] = name[191] = '.';
	for (size_t len = 252; len <= 255; len++) {
		msg_init(&m, 2, OUR_XID, our_mac);
		msg_type(&m, 5);
		msg_opt(&m, 15, name, 200);
		msg_opt(&m, 15, name + 200, (uint8_t)(len - 200));
		msg_end(&m);
		parse_ok(&m, &res);
		g_assert_cmpuint(strlen(res.domain), ==, len <= 253 ? len : 0);
	}

	memset(name, 'b', 64);
	name[64] = '.';
	msg_init(&m, 2, OUR_XID, our_mac);
	msg_type(&m, 5);
	msg_opt(&m, 15, name + 1, 63);
	msg_end(&m);
	parse_ok(&m, &res);
	g_assert_cmpuint(strlen(res.domain), ==, 63);
	msg_init(&m, 2, OUR_XID, our_mac);
	msg_type(&m, 5);
	msg_opt(&m, 15, name, 64);
	msg_end(&m);
	parse_ok(&m, &res);
	g_assert_cmpstr(res.domain, ==, "");
}

static void test_parse_dns(void)
{
	static const uint8_t four[16] = {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4};
	struct dhcp_inform_result res;
	struct msg m;

	msg_init(&m, 2, OUR_XID, our_mac);
	msg_type(&m, 5);
	msg_opt(&m, 6, four, 16);
	msg_end(&m);
	parse_ok(&m, &res);
	g_assert_cmpuint(res.n_dns, ==, 3);
	g_assert_cmphex(res.dns[2], ==, addr(3, 3, 3, 3));

	for (uint8_t n = 0; n < 16; n++) {
		if (n % 4 == 0 && n > 0)
			continue;
		msg_init(&m, 2, OUR_XID, our_mac);
		msg_type(&m, 5);
		msg_opt(&m, 6, four, n);
		msg_end(&m);
		parse_ok(&m, &res);
		g_assert_cmpuint(res.n_dns, ==, 0);
	}
}

/* Messages that are dropped, and options that are ignored while the message is kept. */
enum outcome {
	KEPT_ALL,
	NO_ROUTES,
	NO_DOMAIN,
	DROP_MALFORMED,
	DROP_NOT_OURS,
	DROP_NOT_ACK
};

static void mutate(struct msg *m, unsigned which)
{
	static const uint8_t other_mac[6] = {0x02, 0x00, 0x5e, 0x10, 0x20, 0x31};

	switch (which) {
	case 0: /* the reference, unchanged */
		rras_ack(m);
		break;
	case 1: /* bad cookie */
		rras_ack(m);
		m->b[239] = 98;
		break;
	case 2: /* wrong xid */
		rras_ack(m);
		m->b[7] ^= 1;
		break;
	case 3: /* wrong chaddr */
		msg_init(m, 2, OUR_XID, other_mac);
		msg_type(m, 5);
		msg_end(m);
		break;
	case 4: /* op BOOTREQUEST */
		rras_ack(m);
		m->b[0] = 1;
		break;
	case 5: /* DHCPNAK */
		rras_ack(m);
		m->b[242] = 6;
		break;
	case 6: /* no message type: a BOOTP reply */
		msg_init(m, 2, OUR_XID, our_mac);
		msg_opt(m, 15, "corp", 4);
		msg_end(m);
		break;
	case 7: /* option length past the end */
		msg_init(m, 2, OUR_XID, our_mac);
		msg_type(m, 5);
		msg_bytes(m, (const uint8_t[]){15, 10, 'c', 'o', 'r', 'p'}, 6);
		break;
	case 8: /* option length past the end, an End byte inside */
		msg_init(m, 2, OUR_XID, our_mac);
		msg_type(m, 5);
		msg_bytes(m, (const uint8_t[]){15, 10, 'c', 255}, 4);
		break;
	case 9: /* no End option */
		rras_ack(m);
		m->len--;
		break;
	case 10: /* route width 33 */
		msg_init(m, 2, OUR_XID, our_mac);
		msg_type(m, 5);
		msg_opt(m, 121, (const uint8_t[]){33, 10, 0, 0, 0, 0, 192, 0, 2, 1}, 10);
		msg_end(m);
		break;
	case 11: /* route truncated: the router cut short */
		msg_init(m, 2, OUR_XID, our_mac);
		msg_type(m, 5);
		msg_opt(m, 121, (const uint8_t[]){8, 10, 0, 0, 0, 0, 16, 10, 17, 192, 0}, 11);
		msg_end(m);
		break;
	case 12: /* route truncated: significant octets cut short */
		msg_init(m, 2, OUR_XID, our_mac);
		msg_type(m, 5);
		msg_opt(m, 249, (const uint8_t[]){8, 10, 0, 0, 0, 0, 32, 10, 1}, 9);
		msg_end(m);
		break;
	case 13: /* route option of length 0 */
		msg_init(m, 2, OUR_XID, our_mac);
		msg_type(m, 5);
		msg_opt(m, 121, "", 0);
		msg_end(m);
		break;
	case 14: /* domain with bad characters */
		msg_init(m, 2, OUR_XID, our_mac);
		msg_type(m, 5);
		msg_opt(m, 15, "corp;rm -rf", 11);
		msg_end(m);
		break;
	case 15: /* message type of length 2 */
		msg_init(m, 2, OUR_XID, our_mac);
		msg_opt(m, 53, (const uint8_t[]){5, 5}, 2);
		msg_end(m);
		break;
	case 16: /* message type split over two instances: 2 bytes after concatenation */
		msg_init(m, 2, OUR_XID, our_mac);
		msg_type(m, 5);
		msg_type(m, 5);
		msg_end(m);
		break;
	case 17: /* empty message type */
		msg_init(m, 2, OUR_XID, our_mac);
		msg_opt(m, 53, "", 0);
		msg_end(m);
		break;
	case 18: /* BOOTP header only, no cookie */
		rras_ack(m);
		m->len = 236;
		break;
	case 19: /* cookie, then nothing */
		rras_ack(m);
		m->len = 240;
		break;
	case 20: /* options then trailing garbage after End: ignored as padding */
		rras_ack(m);
		msg_bytes(m, (const uint8_t[]){0xde, 0xad, 0xbe, 0xef, 15}, 5);
		break;
	case 21: /* pad only, never an End */
		msg_init(m, 2, OUR_XID, our_mac);
		msg_type(m, 5);
		msg_bytes(m, (const uint8_t[]){0, 0, 0, 0}, 4);
		break;
	default:
		g_assert_not_reached();
	}
}

static void test_parse_malformed(void)
{
	static const struct {
		const char *what;
		enum outcome outcome;
	} cases[] = {
		{"reference RRAS answer", KEPT_ALL},
		{"bad magic cookie", DROP_MALFORMED},
		{"wrong xid", DROP_NOT_OURS},
		{"wrong chaddr", DROP_NOT_OURS},
		{"op 1 (a request)", DROP_NOT_OURS},
		{"DHCPNAK", DROP_NOT_ACK},
		{"no message type", DROP_NOT_ACK},
		{"option length past the end", DROP_MALFORMED},
		{"option length past the end over an End byte", DROP_MALFORMED},
		{"no End option", DROP_MALFORMED},
		{"route width 33", NO_ROUTES},
		{"route truncated in the router", NO_ROUTES},
		{"route truncated in the subnet", NO_ROUTES},
		{"empty route option", NO_ROUTES},
		{"domain with bad characters", NO_DOMAIN},
		{"message type of length 2", DROP_MALFORMED},
		{"message type twice (concatenated: length 2)", DROP_MALFORMED},
		{"empty message type", DROP_MALFORMED},
		{"no cookie", DROP_MALFORMED},
		{"no options at all", DROP_MALFORMED},
		{"trailing bytes after End", KEPT_ALL},
		{"pad and no End", DROP_MALFORMED},
	};

	for (unsigned i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct dhcp_inform_result res, before;
		enum dhcp_drop drop = DHCP_DROP_COUNT;
		struct msg m;
		int r;

		g_test_message("%s", cases[i].what);
		mutate(&m, i);
		memset(&res, 0xa5, sizeof(res));
		before = res;
		r = parse(&m, m.len, &res, &drop);
		switch (cases[i].outcome) {
		case KEPT_ALL:
			g_assert_cmpint(r, ==, 0);
			g_assert_cmpstr(res.domain, ==, "corp.example.com");
			g_assert_cmpuint(res.n_dns, ==, 2);
			g_assert_cmpuint(res.n_routes, ==, 2);
			break;
		case NO_ROUTES:
			g_assert_cmpint(r, ==, 0);
			g_assert_cmpuint(res.n_routes, ==, 0);
			break;
		case NO_DOMAIN:
			g_assert_cmpint(r, ==, 0);
			g_assert_cmpstr(res.domain, ==, "");
			break;
		case DROP_MALFORMED:
		case DROP_NOT_OURS:
		case DROP_NOT_ACK:
			g_assert_cmpint(r, ==, -EBADMSG);
			g_assert_cmpint(drop, ==,
					cases[i].outcome == DROP_MALFORMED  ? DHCP_DROP_MALFORMED
					: cases[i].outcome == DROP_NOT_OURS ? DHCP_DROP_NOT_OURS
									    : DHCP_DROP_NOT_ACK);
			g_assert_cmpmem(&res, sizeof(res), &before, sizeof(before));
			break;
		}
	}
}

/* Every prefix of the RRAS answer is dropped as malformed and leaves *ret untouched. */
static void test_parse_truncated(void)
{
	struct msg m;

	rras_ack(&m);
	for (size_t n = 0; n < m.len; n++) {
		struct dhcp_inform_result res, before;
		enum dhcp_drop drop = DHCP_DROP_COUNT;

		memset(&res, 0x5a, sizeof(res));
		before = res;
		g_assert_cmpint(parse(&m, n, &res, &drop), ==, -EBADMSG);
		g_assert_cmpint(drop, ==, DHCP_DROP_MALFORMED);
		g_assert_cmpmem(&res, sizeof(res), &before, sizeof(before));
	}
}

/* A lying length in every option of the answer: never a crash, never past the end. */
static void test_parse_lying_lengths(void)
{
	struct msg ref;

	rras_ack(&ref);
	for (size_t off = 240; off < ref.len - 1; off++) {
		for (unsigned v = 0; v < 256; v += 17) {
			struct dhcp_inform_result res;
			enum dhcp_drop drop;
			struct msg m = ref;

			m.b[off] = (uint8_t)v;
			if (parse(&m, m.len, &res, &drop) == 0) {
				g_assert_cmpuint(res.n_dns, <=, 3);
				g_assert_cmpuint(res.n_routes, <=, DHCP_INFORM_MAX_ROUTES);
				g_assert_cmpuint(strlen(res.domain), <=, DHCP_DOMAIN_MAX);
			} else {
				g_assert_cmpint(drop, <, DHCP_DROP_COUNT);
			}
		}
	}
}

static void test_drop_names(void)
{
	g_assert_cmpstr(dhcp_drop_name(DHCP_DROP_MALFORMED), ==, "malformed");
	g_assert_cmpstr(dhcp_drop_name(DHCP_DROP_NOT_OURS), ==, "not-ours");
	g_assert_cmpstr(dhcp_drop_name(DHCP_DROP_NOT_ACK), ==, "not-ack");
	g_assert_cmpstr(dhcp_drop_name(DHCP_DROP_COUNT), ==, "unknown");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/dhcp/inform/build/fields", test_build_fields);
	g_test_add_func("/dhcp/inform/build/request-order", test_build_request_order);
	g_test_add_func("/dhcp/inform/build/checksums", test_build_checksums);
	g_test_add_func("/dhcp/inform/build/too-small", test_build_too_small);
	g_test_add_func("/dhcp/inform/build/round-trip", test_build_round_trip);
	g_test_add_func("/dhcp/inform/parse/rras", test_parse_rras);
	g_test_add_func("/dhcp/inform/parse/rfc3442-table", test_parse_rfc3442_table);
	g_test_add_func("/dhcp/inform/parse/121-over-249", test_parse_121_over_249);
	g_test_add_func("/dhcp/inform/parse/concatenation", test_parse_concatenation);
	g_test_add_func("/dhcp/inform/parse/route-host-bits", test_parse_route_host_bits);
	g_test_add_func("/dhcp/inform/parse/domain", test_parse_domain);
	g_test_add_func("/dhcp/inform/parse/domain-lengths", test_parse_domain_lengths);
	g_test_add_func("/dhcp/inform/parse/dns", test_parse_dns);
	g_test_add_func("/dhcp/inform/parse/malformed", test_parse_malformed);
	g_test_add_func("/dhcp/inform/parse/truncated", test_parse_truncated);
	g_test_add_func("/dhcp/inform/parse/lying-lengths", test_parse_lying_lengths);
	g_test_add_func("/dhcp/inform/drop-names", test_drop_names);
	return g_test_run();
}

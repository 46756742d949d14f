/* SPDX-License-Identifier: GPL-2.0-or-later */
/* MSS clamping: the option lowered, the checksum still right (checked by summing the whole
 * segment again, RFC 9293 §3.1), and everything that is not a whole TCP SYN left alone. */
#include <string.h>

#include <glib.h>

#include "dataplane/mss-clamp.h"

static uint32_t sum16(const uint8_t *p, size_t len, uint32_t s)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (uint32_t)(p[len - 1] << 8);
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* The TCP checksum over the pseudo-header (RFC 9293 §3.1, RFC 8200 §8.1). */
static uint16_t tcp_sum(const uint8_t *ip, size_t ip_header, size_t tcp_len, bool v6)
{
	uint32_t s = 0;

	if (v6)
		s = sum16(ip + 8, 32, s);
	else
		s = sum16(ip + 12, 8, s);
	s += 6 + (uint32_t)tcp_len;
	return fold(sum16(ip + ip_header, tcp_len, s));
}

/* A SYN with MSS 1460, SACK-permitted, timestamps and window scale, as Linux sends it. */
static size_t make_syn(uint8_t *p, bool v6, uint8_t flags)
{
	static const uint8_t opts[] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0x12, 0x34, 0, 0, 0, 0,
					1, 3, 3, 7 };
	size_t ih = v6 ? 40 : 20, tl = 20 + sizeof(opts), sum_at;
	uint8_t *t = p + ih;

	memset(p, 0, ih + tl);
	if (v6) {
		p[0] = 0x60;
		p[4] = 0;
		p[5] = (uint8_t)tl;
		p[6] = 6;
		p[7] = 64;
		p[8] = 0x20, p[9] = 0x01, p[10] = 0x0d, p[11] = 0xb8, p[23] = 1;
		p[24] = 0x20, p[25] = 0x01, p[26] = 0x0d, p[27] = 0xb8, p[39] = 2;
	} else {
		p[0] = 0x45;
		p[3] = (uint8_t)(ih + tl);
		p[6] = 0x40; /* DF */
		p[8] = 64;
		p[9] = 6;
		p[12] = 192, p[13] = 0, p[14] = 2, p[15] = 128;
		p[16] = 192, p[17] = 0, p[18] = 2, p[19] = 254;
	}
	t[0] = 0xc3, t[1] = 0x50, t[2] = 0x14, t[3] = 0x51; /* 50000 -> 5201 */
	t[4] = 0x12, t[5] = 0x34, t[6] = 0x56, t[7] = 0x78;
	t[12] = (uint8_t)((tl / 4) << 4);
	t[13] = flags;
	t[14] = 0xfa, t[15] = 0xf0;
	memcpy(t + 20, opts, sizeof(opts));
	sum_at = 16;
	{
		uint16_t s = tcp_sum(p, ih, tl, v6);

		t[sum_at] = (uint8_t)(s >> 8);
		t[sum_at + 1] = (uint8_t)s;
	}
	g_assert_cmpuint(tcp_sum(p, ih, tl, v6), ==, 0);
	return ih + tl;
}

static void test_clamp(void)
{
	for (int v6 = 0; v6 <= 1; v6++) {
		uint8_t p[128];
		size_t len = make_syn(p, v6, 0x02), ih = v6 ? 40 : 20;
		uint16_t max = mss_for_mtu(1280, v6);

		g_assert_cmpuint(max, ==, v6 ? 1220 : 1240);
		g_assert_true(mss_clamp(p, len, 1240, 1220));
		g_assert_cmpuint(p[ih + 22] << 8 | p[ih + 23], ==, max);
		g_assert_cmpuint(tcp_sum(p, ih, len - ih, v6), ==, 0);
		/* already small enough: untouched */
		g_assert_false(mss_clamp(p, len, 1240, 1220));
		/* SYN-ACK too */
		len = make_syn(p, v6, 0x12);
		g_assert_true(mss_clamp(p, len, 1000, 1000));
		g_assert_cmpuint(p[ih + 22] << 8 | p[ih + 23], ==, 1000);
		g_assert_cmpuint(tcp_sum(p, ih, len - ih, v6), ==, 0);
	}
	g_assert_cmpuint(mss_for_mtu(500, false), ==, 536);
	g_assert_cmpuint(mss_for_mtu(1500, false), ==, 1460);
}

static void test_left_alone(void)
{
	uint8_t p[128], before[128];
	size_t len;

	/* not a SYN */
	len = make_syn(p, false, 0x10);
	memcpy(before, p, len);
	g_assert_false(mss_clamp(p, len, 1000, 1000));
	g_assert_cmpmem(p, len, before, len);
	/* a later fragment; a first fragment (MF) still is clamped */
	len = make_syn(p, false, 0x02);
	p[6] = 0x00, p[7] = 0x10;
	g_assert_false(mss_clamp(p, len, 1000, 1000));
	p[6] = 0x20, p[7] = 0x00;
	g_assert_true(mss_clamp(p, len, 1000, 1000));
	/* every truncation, IPv4 and IPv6 */
	for (int v6 = 0; v6 <= 1; v6++) {
		size_t whole = make_syn(p, v6, 0x02);

		memcpy(before, p, whole);
		for (size_t cut = 0; cut < whole; cut++) {
			g_assert_false(mss_clamp(p, cut, 1000, 1000));
			g_assert_cmpmem(p, whole, before, whole);
		}
	}
	/* an option list that runs past the header; a zero-length option; no MSS option */
	len = make_syn(p, false, 0x02);
	p[20 + 20] = 8, p[20 + 21] = 30; /* MSS slot now claims 30 bytes */
	g_assert_false(mss_clamp(p, len, 1000, 1000));
	len = make_syn(p, false, 0x02);
	p[20 + 20] = 4, p[20 + 21] = 0;
	g_assert_false(mss_clamp(p, len, 1000, 1000));
	len = make_syn(p, false, 0x02);
	p[20 + 20] = 1, p[20 + 21] = 1, p[20 + 22] = 1, p[20 + 23] = 1; /* NOPs instead */
	g_assert_false(mss_clamp(p, len, 1000, 1000));
	/* not TCP, not IP, a bad header length */
	len = make_syn(p, false, 0x02);
	p[9] = 17;
	g_assert_false(mss_clamp(p, len, 1000, 1000));
	p[9] = 6;
	p[0] = 0x44;
	g_assert_false(mss_clamp(p, len, 1000, 1000));
	p[0] = 0x55;
	g_assert_false(mss_clamp(p, len, 1000, 1000));
	/* IPv6 with an extension header first: left alone */
	len = make_syn(p, true, 0x02);
	p[6] = 0;
	g_assert_false(mss_clamp(p, len, 1000, 1000));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/mss-clamp/clamp", test_clamp);
	g_test_add_func("/mss-clamp/left-alone", test_left_alone);
	return g_test_run();
}

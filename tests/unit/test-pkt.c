/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>
#include <glib.h>

#include "core/pkt.h"

/* A header (u8 version, be16 total length) then TLVs (u8 type, be16 length of value, value)
 * whose last one nests more TLVs, then a 4-byte trailer: the shape of IKE payloads, L2TP AVPs
 * and ESP trailers in one packet. */
static const uint8_t sample[] = {
	0x02, 0x00, 0x17,             /* version 2, total length 23 */
	0x01, 0x00, 0x02, 0xaa, 0xbb, /* TLV 1: 2 bytes */
	0x02, 0x00, 0x06,             /* TLV 2: nested, 6 bytes */
	0x10, 0x00, 0x01, 0xcc,       /*   inner TLV 0x10: 1 byte */
	0x11, 0x00,                   /*   (inner TLV 0x11 truncated inside its parent) */
	0x03, 0x00, 0x00,             /* TLV 3: empty */
	0xde, 0xad, 0xbe,             /* trailer: the last 3 bytes */
};

typedef struct {
	unsigned n_tlv;
	unsigned n_inner;
	uint32_t trailer;
} Parsed;

static int parse_tlvs(struct pkt_reader *r, unsigned depth, Parsed *p)
{
	while (pkt_remaining(r) > 0) {
		struct pkt_reader value;
		uint8_t type;
		uint16_t len;

		if (pkt_get_u8(r, &type) || pkt_get_be16(r, &len) || pkt_get_sub(r, len, &value))
			return -EBADMSG;
		if (depth == 0)
			p->n_tlv++;
		else
			p->n_inner++;
		if (type == 0x02 && depth == 0) {
			/* nested: parse, but a broken inner list is only counted */
			Parsed inner = { 0 };

			(void)parse_tlvs(&value, 1, &inner);
			p->n_inner += inner.n_inner;
		}
	}
	return 0;
}

/* The whole sample: header, body bounded by the header's length, trailer from the end. */
static int parse_sample(const uint8_t *data, size_t len, Parsed *ret)
{
	struct pkt_reader r, body, trailer;
	Parsed p = { 0 };
	uint8_t version;
	uint16_t total;

	pkt_reader_init(&r, data, len);
	if (pkt_get_u8(&r, &version) || pkt_get_be16(&r, &total))
		return -EBADMSG;
	if (version != 2 || total != len)
		return -EBADMSG;
	if (pkt_get_tail(&r, 3, &trailer))
		return -EBADMSG;
	if (pkt_get_sub(&r, pkt_remaining(&r), &body))
		return -EBADMSG;
	if (parse_tlvs(&body, 0, &p))
		return -EBADMSG;
	if (pkt_get_be24(&trailer, &p.trailer) || pkt_expect_end(&trailer))
		return -EBADMSG;
	*ret = p;
	return 0;
}

static void test_sample(void)
{
	Parsed p = { 0 };

	g_assert_cmpint(parse_sample(sample, sizeof(sample), &p), ==, 0);
	g_assert_cmpuint(p.n_tlv, ==, 3);
	g_assert_cmpuint(p.n_inner, ==, 1); /* the truncated inner TLV is not counted */
	g_assert_cmpuint(p.trailer, ==, 0xdeadbe);
}

/* Rule 10: every truncation of the packet fails cleanly, and ret_ stays untouched. The sweep
 * runs twice: as cut (the header's length disagrees), and with the header's length patched to
 * the cut length, so that the TLV walk itself meets the truncation. */
static void test_truncation_sweep(void)
{
	for (size_t len = 0; len < sizeof(sample); len++) {
		Parsed p = { .n_tlv = 77, .n_inner = 77, .trailer = 77 };
		g_autofree uint8_t *copy = g_memdup2(sample, len); /* ASan sees any overread */
		int err;

		g_assert_cmpint(parse_sample(copy, len, &p), ==, -EBADMSG);
		g_assert_cmpuint(p.n_tlv, ==, 77);
		g_assert_cmpuint(p.trailer, ==, 77);

		if (len < 3)
			continue;
		copy[1] = 0;
		copy[2] = (uint8_t)len;
		err = parse_sample(copy, len, &p);
		if (err == 0) {
			/* only a cut on a TLV boundary parses, and then with fewer TLVs */
			g_assert_cmpuint(p.n_tlv, <, 3);
		} else {
			g_assert_cmpint(err, ==, -EBADMSG);
			g_assert_cmpuint(p.n_tlv, ==, 77);
		}
	}
}

/* Lying length fields: every length byte set to every value never reads out of bounds. */
static void test_lying_lengths(void)
{
	static const size_t length_fields[] = { 1, 2, 4, 5, 9, 10, 12, 13, 16, 18, 19 };

	for (size_t i = 0; i < G_N_ELEMENTS(length_fields); i++) {
		for (unsigned v = 0; v < 256; v++) {
			g_autofree uint8_t *copy = g_memdup2(sample, sizeof(sample));
			Parsed p;
			int err;

			copy[length_fields[i]] = (uint8_t)v;
			err = parse_sample(copy, sizeof(sample), &p);
			g_assert_true(err == 0 || err == -EBADMSG);
		}
	}
}

static void test_sub_cannot_outgrow_parent(void)
{
	struct pkt_reader r, sub, inner;
	const uint8_t *bytes;

	pkt_reader_init(&r, sample, sizeof(sample));
	g_assert_cmpint(pkt_get_sub(&r, 4, &sub), ==, 0);
	g_assert_cmpuint(pkt_remaining(&sub), ==, 4);
	/* the parent has plenty left, the sub-reader does not */
	g_assert_cmpint(pkt_get_sub(&sub, 5, &inner), ==, -EMSGSIZE);
	g_assert_cmpint(pkt_get_bytes(&sub, 5, &bytes), ==, -EMSGSIZE);
	g_assert_cmpint(pkt_get_bytes(&sub, 4, &bytes), ==, 0);
	g_assert_true(bytes == sample);
	g_assert_cmpint(pkt_expect_end(&sub), ==, 0);
	g_assert_cmpuint(pkt_offset(&r), ==, 4);
}

static void test_tail(void)
{
	struct pkt_reader r, tail;
	uint8_t last;

	pkt_reader_init(&r, sample, sizeof(sample));
	g_assert_cmpint(pkt_get_tail(&r, 1, &tail), ==, 0);
	g_assert_cmpint(pkt_get_u8(&tail, &last), ==, 0);
	g_assert_cmpuint(last, ==, 0xbe);
	g_assert_cmpuint(pkt_remaining(&r), ==, sizeof(sample) - 1);
	g_assert_cmpint(pkt_get_tail(&r, sizeof(sample), &tail), ==, -EMSGSIZE);
	g_assert_cmpuint(pkt_remaining(&r), ==, sizeof(sample) - 1);
}

static void test_getters(void)
{
	static const uint8_t b[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18 };
	struct pkt_reader r;
	uint8_t u8, copy[2];
	uint16_t u16;
	uint32_t u24, u32;
	uint64_t u64;
	const uint8_t *rest;
	size_t rest_len;

	pkt_reader_init(&r, b, sizeof(b));
	g_assert_cmpint(pkt_peek_u8(&r, &u8), ==, 0);
	g_assert_cmpuint(u8, ==, 1);
	g_assert_cmpint(pkt_get_u8(&r, &u8), ==, 0);
	g_assert_cmpint(pkt_peek_be16(&r, &u16), ==, 0);
	g_assert_cmphex(u16, ==, 0x0203);
	g_assert_cmpint(pkt_get_be16(&r, &u16), ==, 0);
	g_assert_cmpint(pkt_get_be24(&r, &u24), ==, 0);
	g_assert_cmphex(u24, ==, 0x040506);
	g_assert_cmpint(pkt_peek_be32(&r, &u32), ==, 0);
	g_assert_cmpint(pkt_get_be32(&r, &u32), ==, 0);
	g_assert_cmphex(u32, ==, 0x0708090a);
	g_assert_cmpint(pkt_get_be64(&r, &u64), ==, 0);
	g_assert_cmphex(u64, ==, G_GUINT64_CONSTANT(0x0b0c0d0e0f101112));
	g_assert_cmpint(pkt_expect_end(&r), ==, 0);
	g_assert_cmpint(pkt_copy_bytes(&r, copy, 0), ==, 0);
	pkt_get_rest(&r, &rest, &rest_len);
	g_assert_cmpuint(rest_len, ==, 0);

	pkt_reader_init(&r, b, sizeof(b));
	g_assert_cmpint(pkt_skip(&r, 16), ==, 0);
	g_assert_cmpint(pkt_expect_end(&r), ==, -EBADMSG);
	g_assert_cmpint(pkt_copy_bytes(&r, copy, 2), ==, 0);
	g_assert_cmpuint(copy[0], ==, 17);
	g_assert_cmpuint(copy[1], ==, 18);
}

/* Rule 3: a failed read changes nothing, for every getter, at every shortfall. */
static void test_failed_read_changes_nothing(void)
{
	static const uint8_t b[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	for (size_t avail = 0; avail < 8; avail++) {
		struct pkt_reader r, before, sub = { .data = NULL, .off = 9, .end = 9 };
		uint8_t u8 = 0x5a, copy[8] = { 0x5a };
		uint16_t u16 = 0x5a5a;
		uint32_t u32 = 0x5a5a5a5a, u24 = 0x5a5a5a;
		uint64_t u64 = 0x5a5a5a5a5a5a5a5a;
		const uint8_t *ptr = NULL;

		pkt_reader_init(&r, b, avail);
		before = r;
#define EXPECT_FAIL(call, need)                                                              \
	do {                                                                                 \
		if (avail < (need)) {                                                        \
			g_assert_cmpint((call), ==, -EMSGSIZE);                              \
			g_assert_true(memcmp(&r, &before, sizeof(r)) == 0);                  \
		}                                                                            \
	} while (0)
		EXPECT_FAIL(pkt_get_u8(&r, &u8), 1);
		EXPECT_FAIL(pkt_peek_u8(&r, &u8), 1);
		EXPECT_FAIL(pkt_get_be16(&r, &u16), 2);
		EXPECT_FAIL(pkt_peek_be16(&r, &u16), 2);
		EXPECT_FAIL(pkt_get_be24(&r, &u24), 3);
		EXPECT_FAIL(pkt_get_be32(&r, &u32), 4);
		EXPECT_FAIL(pkt_peek_be32(&r, &u32), 4);
		EXPECT_FAIL(pkt_get_be64(&r, &u64), 8);
		EXPECT_FAIL(pkt_get_bytes(&r, avail + 1, &ptr), avail + 1);
		EXPECT_FAIL(pkt_copy_bytes(&r, copy, avail + 1), avail + 1);
		EXPECT_FAIL(pkt_skip(&r, avail + 1), avail + 1);
		EXPECT_FAIL(pkt_get_sub(&r, avail + 1, &sub), avail + 1);
		EXPECT_FAIL(pkt_get_tail(&r, avail + 1, &sub), avail + 1);
		EXPECT_FAIL(pkt_get_bytes(&r, SIZE_MAX, &ptr), SIZE_MAX);
		EXPECT_FAIL(pkt_get_sub(&r, SIZE_MAX, &sub), SIZE_MAX);
#undef EXPECT_FAIL
		/* and the outputs were never written */
		if (avail < 1)
			g_assert_cmphex(u8, ==, 0x5a);
		if (avail < 2)
			g_assert_cmphex(u16, ==, 0x5a5a);
		if (avail < 3)
			g_assert_cmphex(u24, ==, 0x5a5a5a);
		if (avail < 4)
			g_assert_cmphex(u32, ==, 0x5a5a5a5a);
		g_assert_cmphex(u64, ==, G_GUINT64_CONSTANT(0x5a5a5a5a5a5a5a5a));
		g_assert_null(ptr);
		g_assert_cmphex(copy[0], ==, 0x5a);
		g_assert_cmpuint(sub.off, ==, 9);
	}
}

static void test_writer(void)
{
	uint8_t buf[16];
	struct pkt_writer w;
	uint8_t *p;

	memset(buf, 0xee, sizeof(buf));
	g_assert_cmpint(pkt_writer_init(&w, buf, sizeof(buf), 17), ==, -EMSGSIZE);
	g_assert_cmpint(pkt_writer_init(&w, buf, sizeof(buf), 4), ==, 0);
	g_assert_cmpint(pkt_put_u8(&w, 0x01), ==, 0);
	g_assert_cmpint(pkt_put_be16(&w, 0x0203), ==, 0);
	g_assert_cmpint(pkt_put_be24(&w, 0x040506), ==, 0);
	g_assert_cmpint(pkt_put_be24(&w, 0x1000000), ==, -ERANGE);
	g_assert_cmpint(pkt_put_be32(&w, 0x0708090a), ==, 0);
	g_assert_cmpuint(pkt_writer_len(&w), ==, 10);
	g_assert_cmpuint(pkt_writer_tailroom(&w), ==, 2);
	/* a put that does not fit writes nothing */
	g_assert_cmpint(pkt_put_be32(&w, 0xffffffff), ==, -EMSGSIZE);
	g_assert_cmpint(pkt_put_be64(&w, 1), ==, -EMSGSIZE);
	g_assert_cmpint(pkt_put_bytes(&w, "abc", 3), ==, -EMSGSIZE);
	g_assert_cmpint(pkt_put_zeros(&w, 3), ==, -EMSGSIZE);
	g_assert_cmpint(pkt_put_space(&w, 3, &p), ==, -EMSGSIZE);
	g_assert_cmpuint(pkt_writer_len(&w), ==, 10);
	g_assert_cmphex(buf[14], ==, 0xee);
	g_assert_cmphex(buf[15], ==, 0xee);
	g_assert_cmpint(pkt_put_zeros(&w, 2), ==, 0);
	g_assert_cmpint(pkt_put_u8(&w, 1), ==, -EMSGSIZE);

	/* back-patching stays inside what was written */
	g_assert_cmpint(pkt_set_be16(&w, 1, 0xbeef), ==, 0);
	g_assert_cmpint(pkt_set_be16(&w, 11, 0), ==, -EMSGSIZE);
	g_assert_cmpint(pkt_set_be32(&w, 9, 0), ==, -EMSGSIZE);
	g_assert_cmpint(pkt_set_be32(&w, SIZE_MAX, 0), ==, -EMSGSIZE);
	g_assert_cmpint(pkt_set_be32(&w, 8, 0xcafef00d), ==, 0);

	/* headers go in front without moving the payload */
	g_assert_cmpint(pkt_push(&w, 5, &p), ==, -EMSGSIZE);
	g_assert_cmpint(pkt_push(&w, 4, &p), ==, 0);
	g_assert_true(p == buf);
	memcpy(p, "HDR!", 4);
	g_assert_cmpuint(pkt_writer_headroom(&w), ==, 0);
	g_assert_cmpuint(pkt_writer_len(&w), ==, 16);
	static const uint8_t want[16] = { 'H', 'D', 'R', '!', 0x01, 0xbe, 0xef, 0x04, 0x05,
					  0x06, 0x07, 0x08, 0xca, 0xfe, 0xf0, 0x0d };
	g_assert_cmpmem(pkt_writer_data(&w), 16, want, sizeof(want));
}

static void test_writer_reader_round_trip(void)
{
	uint8_t buf[32];
	struct pkt_writer w;
	struct pkt_reader r;
	uint64_t u64 = 0;
	uint32_t u32 = 0;
	uint16_t u16 = 0;

	g_assert_cmpint(pkt_writer_init(&w, buf, sizeof(buf), 0), ==, 0);
	g_assert_cmpint(pkt_put_be64(&w, G_GUINT64_CONSTANT(0x0102030405060708)) ||
			pkt_put_be32(&w, 0xa0b0c0d0) || pkt_put_be16(&w, 0xffee), ==, 0);
	pkt_reader_init(&r, pkt_writer_data(&w), pkt_writer_len(&w));
	g_assert_cmpint(pkt_get_be64(&r, &u64) || pkt_get_be32(&r, &u32) ||
			pkt_get_be16(&r, &u16) || pkt_expect_end(&r), ==, 0);
	g_assert_cmphex(u64, ==, G_GUINT64_CONSTANT(0x0102030405060708));
	g_assert_cmphex(u32, ==, 0xa0b0c0d0);
	g_assert_cmphex(u16, ==, 0xffee);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pkt/reader/sample", test_sample);
	g_test_add_func("/pkt/reader/truncation-sweep", test_truncation_sweep);
	g_test_add_func("/pkt/reader/lying-lengths", test_lying_lengths);
	g_test_add_func("/pkt/reader/sub-cannot-outgrow-parent", test_sub_cannot_outgrow_parent);
	g_test_add_func("/pkt/reader/tail", test_tail);
	g_test_add_func("/pkt/reader/getters", test_getters);
	g_test_add_func("/pkt/reader/failed-read-changes-nothing",
			test_failed_read_changes_nothing);
	g_test_add_func("/pkt/writer/bounds", test_writer);
	g_test_add_func("/pkt/writer/round-trip", test_writer_reader_round_trip);
	return g_test_run();
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKEv1 fragmentation (the Cisco vendor extension): splitting and reassembly round trips in
 * every order, a truncation sweep that must leave the set in progress as it was, duplicates,
 * conflicts, the last flag, interleaved IDs, the limits and the timeout, and fragments built
 * byte by byte from the format as libreswan's send_v1_frags() and racoon's isakmp_sendfrags()
 * write it.
 */
#include <errno.h>
#include <string.h>
#include <glib.h>

#include "ike/ike-frag.h"
#include "ike/ike-message.h"

static const uint8_t icookie[IKE_COOKIE_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t rcookie[IKE_COOKIE_LEN] = { 9, 10, 11, 12, 13, 14, 15, 16 };

/* A Main Mode message of exactly @total bytes (>= 32): the header, E flag set, then one ID
 * payload whose bytes stand in for ciphertext. */
static size_t build_message(uint8_t *buf, size_t total, uint8_t seed)
{
	struct ike_header h = {
		.next_payload = IKE_PAYLOAD_ID,
		.version = IKE_VERSION_1_0,
		.exchange = IKE_EXCH_IDENTITY_PROTECT,
		.flags = IKE_FLAG_ENCRYPTION,
		.length = (uint32_t)total,
	};
	struct pkt_writer w;
	uint8_t *space;

	g_assert_cmpuint(total, >=, IKE_HEADER_LEN + 4);
	memcpy(h.icookie, icookie, IKE_COOKIE_LEN);
	memcpy(h.rcookie, rcookie, IKE_COOKIE_LEN);
	g_assert_cmpint(pkt_writer_init(&w, buf, total, 0), ==, 0);
	g_assert_cmpint(ike_header_write(&w, &h), ==, 0);
	g_assert_cmpint(pkt_put_u8(&w, 0), ==, 0);
	g_assert_cmpint(pkt_put_u8(&w, 0), ==, 0);
	g_assert_cmpint(pkt_put_be16(&w, (uint16_t)(total - IKE_HEADER_LEN)), ==, 0);
	g_assert_cmpint(pkt_put_space(&w, total - IKE_HEADER_LEN - 4, &space), ==, 0);
	for (size_t i = 0; i < total - IKE_HEADER_LEN - 4; i++)
		space[i] = (uint8_t)(i * 7 + seed);
	g_assert_cmpuint(pkt_writer_len(&w), ==, total);
	return total;
}

/* Splits @msg into datagrams (a GPtrArray of GByteArray). */
static GPtrArray *split(const uint8_t *msg, size_t len, size_t max, uint16_t id)
{
	GPtrArray *frags = g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref);
	struct ike_frag_split s;
	uint8_t buf[IKE_MESSAGE_MAX];
	int r;

	g_assert_cmpint(ike_frag_split_init(&s, msg, len, max, id), ==, 0);
	for (;;) {
		struct pkt_writer w;
		GByteArray *b;

		g_assert_cmpint(pkt_writer_init(&w, buf, sizeof(buf), 0), ==, 0);
		r = ike_frag_split_next(&s, &w);
		g_assert_cmpint(r, >=, 0);
		if (r == 0)
			break;
		g_assert_cmpuint(pkt_writer_len(&w), <=, max);
		b = g_byte_array_new();
		g_byte_array_append(b, pkt_writer_data(&w), (guint)pkt_writer_len(&w));
		g_ptr_array_add(frags, b);
	}
	g_assert_cmpuint(frags->len, ==, ike_frag_split_count(&s));
	return frags;
}

static GByteArray *frag_at(GPtrArray *frags, guint i)
{
	return g_ptr_array_index(frags, i);
}

static enum ike_frag_result feed(struct ike_frag_reasm *r, const GByteArray *b, uint64_t now,
				 uint8_t *out, size_t *ret_len)
{
	return ike_frag_reasm_feed(r, b->data, b->len, now, out, IKE_FRAG_REASM_MAX, ret_len);
}

/* A fragment datagram built field by field, for the cases the splitter never makes. */
static GByteArray *make_fragment(uint8_t exchange, uint32_t msgid, uint16_t id, uint8_t number,
				 bool last, const uint8_t *data, size_t len)
{
	struct ike_header h = {
		.next_payload = IKE_PAYLOAD_FRAGMENT,
		.version = IKE_VERSION_1_0,
		.exchange = exchange,
		.message_id = msgid,
		.length = (uint32_t)(IKE_HEADER_LEN + IKE_FRAG_HEADER_LEN + len),
	};
	uint8_t buf[IKE_MESSAGE_MAX];
	struct pkt_writer w;
	GByteArray *b = g_byte_array_new();

	memcpy(h.icookie, icookie, IKE_COOKIE_LEN);
	memcpy(h.rcookie, rcookie, IKE_COOKIE_LEN);
	g_assert_cmpint(pkt_writer_init(&w, buf, sizeof(buf), 0), ==, 0);
	g_assert_cmpint(ike_header_write(&w, &h), ==, 0);
	g_assert_cmpint(pkt_put_u8(&w, 0) || pkt_put_u8(&w, 0) ||
				pkt_put_be16(&w, (uint16_t)(IKE_FRAG_HEADER_LEN + len)) ||
				pkt_put_be16(&w, id) || pkt_put_u8(&w, number) ||
				pkt_put_u8(&w, last ? IKE_FRAG_FLAG_LAST : 0) ||
				pkt_put_bytes(&w, data, len),
			==, 0);
	g_byte_array_append(b, pkt_writer_data(&w), (guint)pkt_writer_len(&w));
	return b;
}

static void test_split_round_trip(void)
{
	static const size_t sizes[] = { 32, 100, 511, 512, 513, 1000, 1500, 2600, 5000, 8000 };
	static const size_t maxes[] = { 548, 544, 1232, 1000 };
	uint8_t msg[IKE_MESSAGE_MAX], out[IKE_FRAG_REASM_MAX];

	for (size_t m = 0; m < G_N_ELEMENTS(maxes); m++) {
		for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
			size_t len = build_message(msg, sizes[i], (uint8_t)i);
			size_t chunk = maxes[m] - IKE_HEADER_LEN - IKE_FRAG_HEADER_LEN;
			size_t expect = (len + chunk - 1) / chunk, out_len = 0;
			struct ike_frag_reasm *r = g_new(struct ike_frag_reasm, 1);
			GPtrArray *frags;

			if (expect > IKE_FRAG_SEND_MAX)
				continue;
			frags = split(msg, len, maxes[m], IKE_FRAG_ID_DEFAULT);
			g_assert_cmpuint(frags->len, ==, expect);
			ike_frag_reasm_init(r, 0);
			for (guint k = 0; k < frags->len; k++) {
				struct ike_fragment f;

				g_assert_cmpint(ike_frag_parse(frag_at(frags, k)->data,
							       frag_at(frags, k)->len, &f),
						==, IKE_FRAG_DROP_NONE);
				g_assert_cmpuint(f.number, ==, k + 1);
				g_assert_true(f.last == (k + 1 == frags->len));
				g_assert_cmpuint(f.id, ==, IKE_FRAG_ID_DEFAULT);
				/* the envelope: the original header, np 132, E clear */
				g_assert_cmpmem(f.hdr.icookie, 8, icookie, 8);
				g_assert_cmpmem(f.hdr.rcookie, 8, rcookie, 8);
				g_assert_cmpuint(f.hdr.exchange, ==, IKE_EXCH_IDENTITY_PROTECT);
				g_assert_cmpuint(f.hdr.flags, ==, 0);
				g_assert_cmpuint(f.hdr.next_payload, ==, IKE_PAYLOAD_FRAGMENT);
				g_assert_cmpuint(f.hdr.length, ==, frag_at(frags, k)->len);
				/* the data: the original's bytes, its header included */
				g_assert_cmpmem(f.data, f.len, msg + k * chunk, f.len);
				g_assert_true(ike_frag_is_fragment(frag_at(frags, k)->data,
								   frag_at(frags, k)->len));
				g_assert_cmpint(feed(r, frag_at(frags, k), 0, out, &out_len), ==,
						k + 1 == frags->len ? IKE_FRAG_COMPLETE
								    : IKE_FRAG_NEED_MORE);
			}
			g_assert_cmpmem(out, out_len, msg, len);
			g_assert_false(ike_frag_reasm_in_progress(r));
			g_ptr_array_unref(frags);
			g_free(r);
		}
	}
}

/* Every rotation of the order, forwards and backwards: completes on the last one fed. */
static void test_every_order(void)
{
	uint8_t msg[IKE_MESSAGE_MAX], out[IKE_FRAG_REASM_MAX];
	size_t len = build_message(msg, 3000, 42);
	GPtrArray *frags = split(msg, len, 548, 1);
	struct ike_frag_reasm *r = g_new(struct ike_frag_reasm, 1);
	guint n = frags->len;

	g_assert_cmpuint(n, ==, 6);
	ike_frag_reasm_init(r, 0);
	for (guint rot = 0; rot < n; rot++) {
		for (int dir = 0; dir < 2; dir++) {
			size_t out_len = 0;

			for (guint k = 0; k < n; k++) {
				guint idx = dir ? (rot + n - k) % n : (rot + k) % n;

				g_assert_cmpint(feed(r, frag_at(frags, idx), 0, out, &out_len), ==,
						k + 1 == n ? IKE_FRAG_COMPLETE : IKE_FRAG_NEED_MORE);
			}
			g_assert_cmpmem(out, out_len, msg, len);
		}
	}
	for (int i = 1; i < IKE_FRAG_DROP_COUNT; i++)
		g_assert_cmpuint(ike_frag_reasm_drops(r, i), ==, 0);
	g_ptr_array_unref(frags);
	g_free(r);
}

static void test_one_fragment(void)
{
	uint8_t msg[64], out[IKE_FRAG_REASM_MAX];
	size_t len = build_message(msg, 60, 1), out_len = 0;
	GPtrArray *frags = split(msg, len, 1232, 7);
	struct ike_frag_reasm *r = g_new(struct ike_frag_reasm, 1);

	g_assert_cmpuint(frags->len, ==, 1);
	g_assert_cmpuint(frag_at(frags, 0)->len, ==, len + IKE_HEADER_LEN + IKE_FRAG_HEADER_LEN);
	ike_frag_reasm_init(r, 0);
	g_assert_cmpint(feed(r, frag_at(frags, 0), 5, out, &out_len), ==, IKE_FRAG_COMPLETE);
	g_assert_cmpmem(out, out_len, msg, len);
	g_ptr_array_unref(frags);
	g_free(r);
}

static void test_split_errors(void)
{
	uint8_t msg[IKE_MESSAGE_MAX], small[64];
	struct ike_frag_split s, copy;
	struct pkt_writer w;
	size_t len = build_message(msg, 9000, 3);

	/* 9000 bytes in 548-byte datagrams: 18 fragments, more than libreswan takes */
	g_assert_cmpint(ike_frag_split_init(&s, msg, len, 548, 1), ==, -EMSGSIZE);
	g_assert_cmpint(ike_frag_split_init(&s, msg, len, 1232, 1), ==, 0);
	g_assert_cmpuint(ike_frag_split_count(&s), ==, 8);
	/* no room for data */
	g_assert_cmpint(ike_frag_split_init(&s, msg, len, 36, 1), ==, -EINVAL);
	/* not a whole message: the length field differs */
	g_assert_cmpint(ike_frag_split_init(&s, msg, len - 1, 1232, 1), ==, -EINVAL);
	g_assert_cmpint(ike_frag_split_init(&s, msg, 20, 1232, 1), ==, -EINVAL);
	/* a writer without room: nothing written, nothing advanced */
	g_assert_cmpint(ike_frag_split_init(&s, msg, len, 1232, 1), ==, 0);
	copy = s;
	g_assert_cmpint(pkt_writer_init(&w, small, sizeof(small), 0), ==, 0);
	g_assert_cmpint(ike_frag_split_next(&s, &w), ==, -EMSGSIZE);
	g_assert_cmpuint(pkt_writer_len(&w), ==, 0);
	g_assert_cmpmem(&s, sizeof(s), &copy, sizeof(copy));
}

static void test_max_datagram(void)
{
	g_assert_cmpuint(ike_frag_max_datagram(IKE_FRAG_MTU_IPV4, false, false), ==, 548);
	g_assert_cmpuint(ike_frag_max_datagram(IKE_FRAG_MTU_IPV4, false, true), ==, 544);
	g_assert_cmpuint(ike_frag_max_datagram(IKE_FRAG_MTU_IPV6, true, true), ==, 1228);
	g_assert_cmpuint(ike_frag_max_datagram(1500, false, false), ==, 1472);
	g_assert_cmpuint(ike_frag_max_datagram(20 + 8 + 36, false, false), ==, 0);
	g_assert_cmpuint(ike_frag_max_datagram(20 + 8 + 37, false, false), ==, 37);
}

/*
 * Every prefix of a valid fragment, with its length fields as they were (truncated) and with
 * the ISAKMP length patched to the prefix (a lying fragment payload length): dropped with a
 * reason, the set held exactly as it was, and the real fragment still completes it.
 */
static void test_truncation_sweep(void)
{
	uint8_t msg[IKE_MESSAGE_MAX], out[IKE_FRAG_REASM_MAX], buf[IKE_MESSAGE_MAX];
	size_t len = build_message(msg, 1200, 9), out_len = 0;
	GPtrArray *frags = split(msg, len, 548, 1);
	struct ike_frag_reasm *r = g_new(struct ike_frag_reasm, 1);
	struct ike_frag_reasm *before = g_new(struct ike_frag_reasm, 1);
	GByteArray *mid;

	g_assert_cmpuint(frags->len, ==, 3);
	mid = frag_at(frags, 1);
	ike_frag_reasm_init(r, 0);
	g_assert_cmpint(feed(r, frag_at(frags, 0), 0, out, &out_len), ==, IKE_FRAG_NEED_MORE);
	g_assert_cmpint(feed(r, frag_at(frags, 2), 0, out, &out_len), ==, IKE_FRAG_NEED_MORE);
	for (size_t cut = 0; cut < mid->len; cut++) {
		for (int lie = 0; lie < 2; lie++) {
			struct ike_fragment f, sentinel;
			enum ike_frag_drop why;

			memcpy(buf, mid->data, cut);
			if (lie && cut >= IKE_HEADER_LEN) {
				buf[24] = (uint8_t)(cut >> 24);
				buf[25] = (uint8_t)(cut >> 16);
				buf[26] = (uint8_t)(cut >> 8);
				buf[27] = (uint8_t)cut;
			}
			memset(&sentinel, 0xa5, sizeof(sentinel));
			f = sentinel;
			why = ike_frag_parse(buf, cut, &f);
			g_assert_cmpint(why, !=, IKE_FRAG_DROP_NONE);
			g_assert_cmpmem(&f, sizeof(f), &sentinel, sizeof(sentinel));

			memcpy(before, r, sizeof(*r));
			out_len = 12345;
			g_assert_cmpint(ike_frag_reasm_feed(r, buf, cut, 1, out, sizeof(out),
							    &out_len),
					==, IKE_FRAG_DROPPED);
			g_assert_cmpint(ike_frag_reasm_last_drop(r), ==, why);
			g_assert_true(why == IKE_FRAG_DROP_TRUNCATED ||
				      why == IKE_FRAG_DROP_BAD_LENGTH ||
				      why == IKE_FRAG_DROP_EMPTY);
			g_assert_cmpuint(out_len, ==, 12345);
			/* only the counters moved */
			g_assert_cmpuint(ike_frag_reasm_drops(r, why), ==,
					 ike_frag_reasm_drops(before, why) + 1);
			before->drops[why]++;
			before->last_drop = why;
			g_assert_cmpmem(r, sizeof(*r), before, sizeof(*before));
		}
	}
	g_assert_cmpint(feed(r, mid, 2, out, &out_len), ==, IKE_FRAG_COMPLETE);
	g_assert_cmpmem(out, out_len, msg, len);
	g_ptr_array_unref(frags);
	g_free(before);
	g_free(r);
}

static void test_malformed(void)
{
	static const uint8_t data[] = { 0xde, 0xad };
	struct ike_fragment f;
	GByteArray *b;

	/* empty data */
	b = make_fragment(2, 0, 1, 1, true, data, 0);
	g_assert_cmpint(ike_frag_parse(b->data, b->len, &f), ==, IKE_FRAG_DROP_EMPTY);
	g_byte_array_unref(b);
	/* numbers 0 and one past the maximum; the maximum itself is fine */
	b = make_fragment(2, 0, 1, 0, false, data, 2);
	g_assert_cmpint(ike_frag_parse(b->data, b->len, &f), ==, IKE_FRAG_DROP_BAD_NUMBER);
	g_byte_array_unref(b);
	b = make_fragment(2, 0, 1, IKE_FRAG_MAX_FRAGMENTS + 1, true, data, 2);
	g_assert_cmpint(ike_frag_parse(b->data, b->len, &f), ==, IKE_FRAG_DROP_BAD_NUMBER);
	g_byte_array_unref(b);
	b = make_fragment(2, 0, 1, 255, true, data, 2);
	g_assert_cmpint(ike_frag_parse(b->data, b->len, &f), ==, IKE_FRAG_DROP_BAD_NUMBER);
	g_byte_array_unref(b);
	b = make_fragment(2, 0, 1, IKE_FRAG_MAX_FRAGMENTS, true, data, 2);
	g_assert_cmpint(ike_frag_parse(b->data, b->len, &f), ==, IKE_FRAG_DROP_NONE);
	g_byte_array_unref(b);
	/* another payload after the fragment */
	b = make_fragment(2, 0, 1, 1, true, data, 2);
	b->data[IKE_HEADER_LEN] = IKE_PAYLOAD_VID;
	g_assert_cmpint(ike_frag_parse(b->data, b->len, &f), ==, IKE_FRAG_DROP_NOT_FRAGMENT);
	g_byte_array_unref(b);
	/* a fragment payload shorter than the datagram: trailing bytes */
	b = make_fragment(2, 0, 1, 1, true, data, 2);
	b->data[IKE_HEADER_LEN + 3] -= 1;
	g_assert_cmpint(ike_frag_parse(b->data, b->len, &f), ==, IKE_FRAG_DROP_BAD_LENGTH);
	/* ... below its own header */
	b->data[IKE_HEADER_LEN + 3] = 7;
	g_assert_cmpint(ike_frag_parse(b->data, b->len, &f), ==, IKE_FRAG_DROP_BAD_LENGTH);
	g_byte_array_unref(b);
	/* the first payload is not a fragment; an IKEv2 header */
	b = make_fragment(2, 0, 1, 1, true, data, 2);
	b->data[16] = IKE_PAYLOAD_VID;
	g_assert_cmpint(ike_frag_parse(b->data, b->len, &f), ==, IKE_FRAG_DROP_NOT_FRAGMENT);
	g_assert_false(ike_frag_is_fragment(b->data, b->len));
	b->data[16] = IKE_PAYLOAD_FRAGMENT;
	b->data[17] = 0x20;
	g_assert_cmpint(ike_frag_parse(b->data, b->len, &f), ==, IKE_FRAG_DROP_NOT_FRAGMENT);
	/* a datagram longer than the header says */
	b->data[17] = 0x10;
	g_byte_array_append(b, data, 1);
	g_assert_cmpint(ike_frag_parse(b->data, b->len, &f), ==, IKE_FRAG_DROP_BAD_LENGTH);
	g_byte_array_unref(b);
	g_assert_false(ike_frag_is_fragment(data, sizeof(data)));
}

static void test_duplicate(void)
{
	uint8_t msg[IKE_MESSAGE_MAX], out[IKE_FRAG_REASM_MAX];
	size_t len = build_message(msg, 1500, 5), out_len = 0;
	GPtrArray *frags = split(msg, len, 548, 1);
	struct ike_frag_reasm *r = g_new(struct ike_frag_reasm, 1);

	ike_frag_reasm_init(r, 0);
	g_assert_cmpint(feed(r, frag_at(frags, 0), 0, out, &out_len), ==, IKE_FRAG_NEED_MORE);
	g_assert_cmpint(feed(r, frag_at(frags, 0), 0, out, &out_len), ==, IKE_FRAG_DROPPED);
	g_assert_cmpint(ike_frag_reasm_last_drop(r), ==, IKE_FRAG_DROP_DUPLICATE);
	g_assert_cmpint(feed(r, frag_at(frags, 2), 0, out, &out_len), ==, IKE_FRAG_NEED_MORE);
	g_assert_cmpint(feed(r, frag_at(frags, 2), 0, out, &out_len), ==, IKE_FRAG_DROPPED);
	g_assert_cmpuint(ike_frag_reasm_drops(r, IKE_FRAG_DROP_DUPLICATE), ==, 2);
	g_assert_cmpint(feed(r, frag_at(frags, 1), 0, out, &out_len), ==, IKE_FRAG_COMPLETE);
	g_assert_cmpmem(out, out_len, msg, len);
	/* a retransmission after completion starts a set of its own and completes again */
	for (guint k = 0; k < frags->len; k++)
		g_assert_cmpint(feed(r, frag_at(frags, k), 1, out, &out_len), ==,
				k + 1 == frags->len ? IKE_FRAG_COMPLETE : IKE_FRAG_NEED_MORE);
	g_ptr_array_unref(frags);
	g_free(r);
}

/* Same number, other bytes (a bit flipped, a shorter slice: this format's "overlap", the last
 * flag toggled): the set is discarded; the peer's retransmission refills it. */
static void test_conflict(void)
{
	uint8_t msg[IKE_MESSAGE_MAX], out[IKE_FRAG_REASM_MAX];
	size_t len = build_message(msg, 1500, 6), out_len = 0;
	GPtrArray *frags = split(msg, len, 548, 1);
	struct ike_frag_reasm *r = g_new(struct ike_frag_reasm, 1);
	struct ike_fragment f;
	GByteArray *variants[3];

	g_assert_cmpuint(frags->len, ==, 3);
	g_assert_cmpint(ike_frag_parse(frag_at(frags, 1)->data, frag_at(frags, 1)->len, &f), ==,
			IKE_FRAG_DROP_NONE);
	variants[0] = make_fragment(2, 0, 1, 2, false, f.data, f.len);
	variants[0]->data[variants[0]->len - 1] ^= 1;
	variants[1] = make_fragment(2, 0, 1, 2, false, f.data, f.len / 2);
	variants[2] = make_fragment(2, 0, 1, 2, true, f.data, f.len);
	ike_frag_reasm_init(r, 0);
	for (unsigned v = 0; v < G_N_ELEMENTS(variants); v++) {
		g_assert_cmpint(feed(r, frag_at(frags, 0), 0, out, &out_len), ==,
				IKE_FRAG_NEED_MORE);
		g_assert_cmpint(feed(r, frag_at(frags, 1), 0, out, &out_len), ==,
				IKE_FRAG_NEED_MORE);
		g_assert_cmpint(feed(r, variants[v], 0, out, &out_len), ==, IKE_FRAG_DROPPED);
		g_assert_cmpint(ike_frag_reasm_last_drop(r), ==, IKE_FRAG_DROP_CONFLICT);
		g_assert_false(ike_frag_reasm_in_progress(r));
		/* the remaining fragment alone does not complete */
		g_assert_cmpint(feed(r, frag_at(frags, 2), 0, out, &out_len), ==,
				IKE_FRAG_NEED_MORE);
		/* the retransmission does, on its second fragment (the third is held) */
		g_assert_cmpint(feed(r, frag_at(frags, 0), 0, out, &out_len), ==,
				IKE_FRAG_NEED_MORE);
		g_assert_cmpint(feed(r, frag_at(frags, 1), 0, out, &out_len), ==,
				IKE_FRAG_COMPLETE);
		g_assert_cmpmem(out, out_len, msg, len);
		g_assert_false(ike_frag_reasm_in_progress(r));
		g_byte_array_unref(variants[v]);
	}
	g_assert_cmpuint(ike_frag_reasm_drops(r, IKE_FRAG_DROP_CONFLICT), ==, 3);
	g_ptr_array_unref(frags);
	g_free(r);
}

static void test_bad_last(void)
{
	static const uint8_t d[4] = { 1, 2, 3, 4 };
	struct ike_frag_reasm *r = g_new(struct ike_frag_reasm, 1);
	uint8_t out[IKE_FRAG_REASM_MAX];
	size_t out_len = 0;
	GByteArray *f3 = make_fragment(2, 0, 1, 3, false, d, 4);
	GByteArray *f2last = make_fragment(2, 0, 1, 2, true, d, 4);
	GByteArray *f1last = make_fragment(2, 0, 1, 1, true, d, 4);
	GByteArray *f3last = make_fragment(2, 0, 1, 3, true, d, 4);

	ike_frag_reasm_init(r, 0);
	/* a last flag below a number held */
	g_assert_cmpint(feed(r, f3, 0, out, &out_len), ==, IKE_FRAG_NEED_MORE);
	g_assert_cmpint(feed(r, f2last, 0, out, &out_len), ==, IKE_FRAG_DROPPED);
	g_assert_cmpint(ike_frag_reasm_last_drop(r), ==, IKE_FRAG_DROP_BAD_LAST);
	g_assert_true(ike_frag_reasm_in_progress(r));
	ike_frag_reasm_reset(r);
	/* a number above the last; a second last flag */
	g_assert_cmpint(feed(r, f2last, 0, out, &out_len), ==, IKE_FRAG_NEED_MORE);
	g_assert_cmpint(feed(r, f3, 0, out, &out_len), ==, IKE_FRAG_DROPPED);
	g_assert_cmpint(feed(r, f3last, 0, out, &out_len), ==, IKE_FRAG_DROPPED);
	g_assert_cmpint(feed(r, f1last, 0, out, &out_len), ==, IKE_FRAG_DROPPED);
	g_assert_cmpuint(ike_frag_reasm_drops(r, IKE_FRAG_DROP_BAD_LAST), ==, 4);
	g_assert_true(ike_frag_reasm_in_progress(r));
	g_byte_array_unref(f3);
	g_byte_array_unref(f2last);
	g_byte_array_unref(f1last);
	g_byte_array_unref(f3last);
	g_free(r);
}

/* A middle fragment never arrives: no completion; the set expires after the timeout, asked
 * for explicitly or on the next feed. */
static void test_missing_middle(void)
{
	uint8_t msg[IKE_MESSAGE_MAX], out[IKE_FRAG_REASM_MAX];
	size_t len = build_message(msg, 2500, 8), out_len = 0;
	GPtrArray *frags = split(msg, len, 548, 1);
	struct ike_frag_reasm *r = g_new(struct ike_frag_reasm, 1);

	g_assert_cmpuint(frags->len, ==, 5);
	ike_frag_reasm_init(r, 3000);
	g_assert_cmpuint(ike_frag_reasm_deadline(r), ==, UINT64_MAX);
	for (guint k = 0; k < frags->len; k++)
		if (k != 2)
			g_assert_cmpint(feed(r, frag_at(frags, k), 1000 + k, out, &out_len), ==,
					IKE_FRAG_NEED_MORE);
	g_assert_cmpuint(ike_frag_reasm_deadline(r), ==, 4000);
	g_assert_false(ike_frag_reasm_expire(r, 3999));
	g_assert_true(ike_frag_reasm_in_progress(r));
	g_assert_true(ike_frag_reasm_expire(r, 4000));
	g_assert_false(ike_frag_reasm_in_progress(r));
	g_assert_cmpuint(ike_frag_reasm_drops(r, IKE_FRAG_DROP_EXPIRED), ==, 1);
	g_assert_cmpuint(ike_frag_reasm_deadline(r), ==, UINT64_MAX);

	/* on the next feed: the late fragment starts a set of its own */
	for (guint k = 0; k < frags->len; k++)
		if (k != 2)
			(void)feed(r, frag_at(frags, k), 5000, out, &out_len);
	g_assert_cmpint(feed(r, frag_at(frags, 2), 8000, out, &out_len), ==, IKE_FRAG_NEED_MORE);
	g_assert_cmpuint(ike_frag_reasm_drops(r, IKE_FRAG_DROP_EXPIRED), ==, 2);
	g_assert_cmpuint(ike_frag_reasm_deadline(r), ==, 11000);
	g_ptr_array_unref(frags);
	g_free(r);
}

/* Two messages under IDs 1 and 2, interleaved: the newer ID replaces the set, the older one's
 * fragments are dropped, and the newer message completes. IDs compare modulo 2^16. */
static void test_interleaved_ids(void)
{
	static const uint16_t pairs[][2] = { { 1, 2 }, { 0xffff, 0 }, { 0x7000, 0x7001 } };
	uint8_t a[IKE_MESSAGE_MAX], b[IKE_MESSAGE_MAX], out[IKE_FRAG_REASM_MAX];
	size_t alen = build_message(a, 1400, 1), blen = build_message(b, 1400, 2);

	for (unsigned p = 0; p < G_N_ELEMENTS(pairs); p++) {
		GPtrArray *fa = split(a, alen, 548, pairs[p][0]);
		GPtrArray *fb = split(b, blen, 548, pairs[p][1]);
		struct ike_frag_reasm *r = g_new(struct ike_frag_reasm, 1);
		size_t out_len = 0;

		g_assert_cmpuint(fa->len, ==, 3);
		ike_frag_reasm_init(r, 0);
		g_assert_cmpint(feed(r, frag_at(fa, 0), 0, out, &out_len), ==, IKE_FRAG_NEED_MORE);
		g_assert_cmpint(feed(r, frag_at(fb, 0), 0, out, &out_len), ==, IKE_FRAG_NEED_MORE);
		g_assert_cmpuint(ike_frag_reasm_drops(r, IKE_FRAG_DROP_REPLACED), ==, 1);
		g_assert_cmpint(feed(r, frag_at(fa, 1), 0, out, &out_len), ==, IKE_FRAG_DROPPED);
		g_assert_cmpint(ike_frag_reasm_last_drop(r), ==, IKE_FRAG_DROP_OLD_ID);
		g_assert_cmpint(feed(r, frag_at(fb, 1), 0, out, &out_len), ==, IKE_FRAG_NEED_MORE);
		g_assert_cmpint(feed(r, frag_at(fa, 2), 0, out, &out_len), ==, IKE_FRAG_DROPPED);
		g_assert_cmpint(feed(r, frag_at(fb, 2), 0, out, &out_len), ==, IKE_FRAG_COMPLETE);
		g_assert_cmpmem(out, out_len, b, blen);
		g_assert_cmpuint(ike_frag_reasm_drops(r, IKE_FRAG_DROP_OLD_ID), ==, 2);
		g_ptr_array_unref(fa);
		g_ptr_array_unref(fb);
		g_free(r);
	}
}

/* Other cookies, exchange type or message ID than the set in progress: dropped, set kept. */
static void test_wrong_set(void)
{
	uint8_t msg[IKE_MESSAGE_MAX], out[IKE_FRAG_REASM_MAX];
	size_t len = build_message(msg, 1400, 4), out_len = 0;
	GPtrArray *frags = split(msg, len, 548, 1);
	struct ike_frag_reasm *r = g_new(struct ike_frag_reasm, 1);
	GByteArray *other;

	ike_frag_reasm_init(r, 0);
	g_assert_cmpint(feed(r, frag_at(frags, 0), 0, out, &out_len), ==, IKE_FRAG_NEED_MORE);
	for (int v = 0; v < 4; v++) {
		other = g_byte_array_new();
		g_byte_array_append(other, frag_at(frags, 1)->data, frag_at(frags, 1)->len);
		switch (v) {
		case 0:
			other->data[0] ^= 1; /* initiator cookie */
			break;
		case 1:
			other->data[15] ^= 1; /* responder cookie */
			break;
		case 2:
			other->data[18] = IKE_EXCH_QUICK;
			break;
		case 3:
			other->data[23] = 1; /* message ID */
			break;
		}
		g_assert_cmpint(feed(r, other, 0, out, &out_len), ==, IKE_FRAG_DROPPED);
		g_assert_cmpint(ike_frag_reasm_last_drop(r), ==,
				v < 2 ? IKE_FRAG_DROP_WRONG_SA : IKE_FRAG_DROP_WRONG_EXCHANGE);
		g_byte_array_unref(other);
	}
	g_assert_cmpint(feed(r, frag_at(frags, 1), 0, out, &out_len), ==, IKE_FRAG_NEED_MORE);
	g_assert_cmpint(feed(r, frag_at(frags, 2), 0, out, &out_len), ==, IKE_FRAG_COMPLETE);
	g_assert_cmpmem(out, out_len, msg, len);
	g_ptr_array_unref(frags);
	g_free(r);
}

/* IKE_FRAG_MAX_FRAGMENTS small fragments still complete; beyond the size cap the set goes. */
static void test_limits(void)
{
	uint8_t msg[IKE_MESSAGE_MAX], out[IKE_FRAG_REASM_MAX], big[1000] = { 0 };
	size_t len = build_message(msg, IKE_FRAG_MAX_FRAGMENTS * 100, 11), out_len = 0;
	struct ike_frag_reasm *r = g_new(struct ike_frag_reasm, 1);
	unsigned k;

	ike_frag_reasm_init(r, 0);
	for (k = 1; k <= IKE_FRAG_MAX_FRAGMENTS; k++) {
		GByteArray *f = make_fragment(2, 0, 1, (uint8_t)k, k == IKE_FRAG_MAX_FRAGMENTS,
					      msg + (k - 1) * 100, 100);

		g_assert_cmpint(feed(r, f, 0, out, &out_len), ==,
				k == IKE_FRAG_MAX_FRAGMENTS ? IKE_FRAG_COMPLETE
							    : IKE_FRAG_NEED_MORE);
		g_byte_array_unref(f);
	}
	g_assert_cmpmem(out, out_len, msg, len);

	/* 17 fragments of 1000 bytes: the 17th would pass 16384 */
	for (k = 1; k <= 17; k++) {
		GByteArray *f = make_fragment(2, 0, 1, (uint8_t)k, false, big, sizeof(big));

		g_assert_cmpint(feed(r, f, 0, out, &out_len), ==,
				k == 17 ? IKE_FRAG_DROPPED : IKE_FRAG_NEED_MORE);
		g_byte_array_unref(f);
	}
	g_assert_cmpint(ike_frag_reasm_last_drop(r), ==, IKE_FRAG_DROP_TOO_LARGE);
	g_assert_false(ike_frag_reasm_in_progress(r));

	/* a caller buffer too small for a complete message */
	{
		uint8_t small[1000];
		GPtrArray *frags;

		build_message(msg, 1400, 3);
		frags = split(msg, 1400, 548, 1);
		for (guint i = 0; i < frags->len; i++)
			g_assert_cmpint(ike_frag_reasm_feed(r, frag_at(frags, i)->data,
							    frag_at(frags, i)->len, 0, small,
							    sizeof(small), &out_len),
					==, i + 1 == frags->len ? IKE_FRAG_DROPPED
								: IKE_FRAG_NEED_MORE);
		g_assert_cmpint(ike_frag_reasm_last_drop(r), ==, IKE_FRAG_DROP_TOO_LARGE);
		g_ptr_array_unref(frags);
	}
	g_free(r);
}

/* Slices that do not form a message of the set's SA: the set is discarded. */
static void test_bad_message(void)
{
	uint8_t msg[IKE_MESSAGE_MAX], out[IKE_FRAG_REASM_MAX];
	size_t len = build_message(msg, 200, 12), out_len = 0;
	struct ike_frag_reasm *r = g_new(struct ike_frag_reasm, 1);

	ike_frag_reasm_init(r, 0);
	for (int v = 0; v < 5; v++) {
		uint8_t copy[200];
		GByteArray *f;

		memcpy(copy, msg, len);
		switch (v) {
		case 0:
			copy[27] ^= 1; /* length field */
			break;
		case 1:
			copy[3] ^= 1; /* initiator cookie */
			break;
		case 2:
			copy[12] ^= 1; /* responder cookie */
			break;
		case 3:
			copy[16] = IKE_PAYLOAD_FRAGMENT; /* a fragment inside a fragment */
			break;
		case 4:
			copy[17] = 0x20; /* IKEv2 */
			break;
		}
		f = make_fragment(2, 0, 1, 1, true, copy, len);
		g_assert_cmpint(feed(r, f, 0, out, &out_len), ==, IKE_FRAG_DROPPED);
		g_assert_cmpint(ike_frag_reasm_last_drop(r), ==, IKE_FRAG_DROP_BAD_MESSAGE);
		g_assert_false(ike_frag_reasm_in_progress(r));
		g_byte_array_unref(f);
	}
	/* too short to hold a header */
	{
		GByteArray *f = make_fragment(2, 0, 1, 1, true, msg, 20);

		g_assert_cmpint(feed(r, f, 0, out, &out_len), ==, IKE_FRAG_DROPPED);
		g_assert_cmpint(ike_frag_reasm_last_drop(r), ==, IKE_FRAG_DROP_BAD_MESSAGE);
		g_byte_array_unref(f);
	}
	g_assert_cmpuint(ike_frag_reasm_drops(r, IKE_FRAG_DROP_BAD_MESSAGE), ==, 6);
	g_free(r);
}

/*
 * Two fragments written byte by byte from the format as libreswan's send_v1_frags() and
 * racoon's isakmp_sendfrags() emit it (not by our splitter): the envelope is the original
 * header with Next Payload 132 and its own length; the fragment payload is next 0, reserved 0,
 * length, ID 1, number, flags; the data is the original message from its first byte. The
 * original is a 36-byte Main Mode message with one Vendor ID "ABCD". The second envelope has
 * the E flag set, as racoon sends it.
 */
static const uint8_t wire_original[36] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, /* cookies */
	0x0d, 0x10, 0x02, 0x00, 0, 0, 0, 0, 0, 0, 0, 0x24, /* VID, 1.0, MM, flags, ID, length 36 */
	0x00, 0x00, 0x00, 0x08, 'A', 'B', 'C', 'D', /* VID */
};

static const uint8_t wire_frag1[56] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	0x84, 0x10, 0x02, 0x00, 0, 0, 0, 0, 0, 0, 0, 0x38, /* np 132, length 56 */
	0x00, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x01, 0x00, /* len 28, id 1, number 1, flags 0 */
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0x0d, 0x10, 0x02, 0x00,
};

static const uint8_t wire_frag2[52] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	0x84, 0x10, 0x02, 0x01, 0, 0, 0, 0, 0, 0, 0, 0x34, /* np 132, E set, length 52 */
	0x00, 0x00, 0x00, 0x18, 0x00, 0x01, 0x02, 0x01, /* len 24, id 1, number 2, last */
	0, 0, 0, 0, 0, 0, 0, 0x24, 0x00, 0x00, 0x00, 0x08, 'A', 'B', 'C', 'D',
};

static void test_wire_format(void)
{
	struct ike_frag_reasm *r = g_new(struct ike_frag_reasm, 1);
	uint8_t out[IKE_FRAG_REASM_MAX];
	struct ike_fragment f;
	size_t out_len = 0;

	g_assert_cmpint(ike_frag_parse(wire_frag1, sizeof(wire_frag1), &f), ==,
			IKE_FRAG_DROP_NONE);
	g_assert_cmpuint(f.id, ==, 1);
	g_assert_cmpuint(f.number, ==, 1);
	g_assert_false(f.last);
	g_assert_cmpuint(f.len, ==, 20);
	g_assert_cmpmem(f.data, f.len, wire_original, 20);
	g_assert_cmpint(ike_frag_parse(wire_frag2, sizeof(wire_frag2), &f), ==,
			IKE_FRAG_DROP_NONE);
	g_assert_cmpuint(f.number, ==, 2);
	g_assert_true(f.last);
	g_assert_cmpuint(f.hdr.flags, ==, IKE_FLAG_ENCRYPTION);

	ike_frag_reasm_init(r, 0);
	g_assert_cmpint(ike_frag_reasm_feed(r, wire_frag2, sizeof(wire_frag2), 0, out, sizeof(out),
					    &out_len),
			==, IKE_FRAG_NEED_MORE);
	g_assert_cmpint(ike_frag_reasm_feed(r, wire_frag1, sizeof(wire_frag1), 0, out, sizeof(out),
					    &out_len),
			==, IKE_FRAG_COMPLETE);
	g_assert_cmpmem(out, out_len, wire_original, sizeof(wire_original));

	/* and our splitter writes the same bytes (but for racoon's E flag) */
	{
		struct ike_frag_split s;
		struct pkt_writer w;
		uint8_t buf[64], expect[52];

		g_assert_cmpint(ike_frag_split_init(&s, wire_original, sizeof(wire_original), 56, 1),
				==, 0);
		g_assert_cmpint(pkt_writer_init(&w, buf, sizeof(buf), 0), ==, 0);
		g_assert_cmpint(ike_frag_split_next(&s, &w), ==, 1);
		g_assert_cmpmem(pkt_writer_data(&w), pkt_writer_len(&w), wire_frag1,
				sizeof(wire_frag1));
		g_assert_cmpint(pkt_writer_init(&w, buf, sizeof(buf), 0), ==, 0);
		g_assert_cmpint(ike_frag_split_next(&s, &w), ==, 1);
		memcpy(expect, wire_frag2, sizeof(expect));
		expect[19] = 0;
		g_assert_cmpmem(pkt_writer_data(&w), pkt_writer_len(&w), expect, sizeof(expect));
		g_assert_cmpint(ike_frag_split_next(&s, &w), ==, 0);
	}
	g_free(r);
}

static void test_names(void)
{
	for (int i = 0; i < IKE_FRAG_DROP_COUNT; i++)
		g_assert_cmpstr(ike_frag_drop_name(i), !=, "unknown");
	g_assert_cmpstr(ike_frag_drop_name(IKE_FRAG_DROP_COUNT), ==, "unknown");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ike/frag/split/round-trip", test_split_round_trip);
	g_test_add_func("/ike/frag/split/one-fragment", test_one_fragment);
	g_test_add_func("/ike/frag/split/errors", test_split_errors);
	g_test_add_func("/ike/frag/split/max-datagram", test_max_datagram);
	g_test_add_func("/ike/frag/reasm/every-order", test_every_order);
	g_test_add_func("/ike/frag/reasm/truncation-sweep", test_truncation_sweep);
	g_test_add_func("/ike/frag/reasm/malformed", test_malformed);
	g_test_add_func("/ike/frag/reasm/duplicate", test_duplicate);
	g_test_add_func("/ike/frag/reasm/conflict-and-overlap", test_conflict);
	g_test_add_func("/ike/frag/reasm/bad-last", test_bad_last);
	g_test_add_func("/ike/frag/reasm/missing-middle-expires", test_missing_middle);
	g_test_add_func("/ike/frag/reasm/interleaved-ids", test_interleaved_ids);
	g_test_add_func("/ike/frag/reasm/wrong-set", test_wrong_set);
	g_test_add_func("/ike/frag/reasm/limits", test_limits);
	g_test_add_func("/ike/frag/reasm/bad-message", test_bad_message);
	g_test_add_func("/ike/frag/wire/libreswan-racoon-format", test_wire_format);
	g_test_add_func("/ike/frag/drop-names", test_names);
	return g_test_run();
}

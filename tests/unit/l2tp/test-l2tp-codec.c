/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The L2TP codec: headers of control and data messages, the AVP iterator and writer, hidden
 * AVPs, the Challenge Response and the Result Code sentences. RFC 2661 publishes no test
 * vectors; the fixed values below were computed independently with Python's hashlib.
 */
#include <errno.h>
#include <string.h>
#include <glib.h>

#include "l2tp/l2tp-avp.h"
#include "l2tp/l2tp-message.h"

static const uint8_t secret[] = "tunnel-secret";
#define SECRET_LEN (sizeof(secret) - 1)

/* ---- headers ---- */

static void test_control_round_trip(void)
{
	uint8_t buf[128];
	struct pkt_writer w;
	struct pkt_reader body;
	struct l2tp_header h;

	pkt_writer_init(&w, buf, sizeof(buf), 0);
	g_assert_cmpint(l2tp_control_begin(&w, 0x1234, 0x5678, 7, 9), ==, 0);
	g_assert_cmpint(l2tp_avp_put_be16(&w, true, L2TP_ATTR_MESSAGE_TYPE, L2TP_MSG_HELLO), ==, 0);
	g_assert_cmpint(l2tp_header_set_length(&w), ==, 0);
	g_assert_cmpuint(pkt_writer_len(&w), ==, 20);
	/* T, L, S and version 2; Length 20 */
	g_assert_cmpmem(buf, 4, ((const uint8_t[]){ 0xc8, 0x02, 0x00, 0x14 }), 4);
	g_assert_cmpint(l2tp_control_parse(buf, 20, &h, &body), ==, 0);
	g_assert_true(h.control && h.has_length && h.has_sequence && !h.has_offset);
	g_assert_cmpuint(h.tunnel_id, ==, 0x1234);
	g_assert_cmpuint(h.session_id, ==, 0x5678);
	g_assert_cmpuint(h.ns, ==, 7);
	g_assert_cmpuint(h.nr, ==, 9);
	g_assert_cmpuint(pkt_remaining(&body), ==, 8);
	/* bytes after Length belong to no message: cut off */
	g_assert_cmpint(l2tp_control_parse(buf, 20 + 5, &h, &body), ==, 0);
	g_assert_cmpuint(pkt_remaining(&body), ==, 8);
	/* every prefix fails */
	for (size_t n = 0; n < 20; n++)
		g_assert_cmpint(l2tp_control_parse(buf, n, &h, &body), <, 0);
}

static void test_control_rejects(void)
{
	uint8_t buf[12] = { 0xc8, 0x02, 0x00, 0x0c, 0, 1, 0, 0, 0, 0, 0, 0 };
	struct l2tp_header h = { .tunnel_id = 0xdead };
	struct pkt_reader body = { 0 };

	g_assert_cmpint(l2tp_control_parse(buf, 12, &h, &body), ==, 0); /* a ZLB */
	g_assert_cmpuint(pkt_remaining(&body), ==, 0);
	h.tunnel_id = 0xdead;
	buf[0] = 0x88; /* no L */
	g_assert_cmpint(l2tp_control_parse(buf, 12, &h, &body), ==, -EBADMSG);
	buf[0] = 0xc0; /* no S */
	g_assert_cmpint(l2tp_control_parse(buf, 12, &h, &body), ==, -EBADMSG);
	buf[0] = 0x48; /* a data message */
	g_assert_cmpint(l2tp_control_parse(buf, 12, &h, &body), ==, -ENOMSG);
	buf[0] = 0xc8;
	buf[1] = 0x03; /* L2TPv3 */
	g_assert_cmpint(l2tp_control_parse(buf, 12, &h, &body), ==, -EBADMSG);
	buf[1] = 0x02;
	buf[3] = 0x0d; /* Length past the datagram */
	g_assert_cmpint(l2tp_control_parse(buf, 12, &h, &body), ==, -EMSGSIZE);
	buf[3] = 0x0a; /* Length shorter than the header */
	g_assert_cmpint(l2tp_control_parse(buf, 12, &h, &body), ==, -EBADMSG);
	buf[3] = 0x04;
	g_assert_cmpint(l2tp_control_parse(buf, 12, &h, &body), ==, -EBADMSG);
	g_assert_cmpuint(h.tunnel_id, ==, 0xdead); /* untouched */
}

static void test_data_push_parse(void)
{
	uint8_t buf[64];
	struct pkt_writer w;
	uint16_t tid = 1, sid = 2;
	size_t off = 3;

	pkt_writer_init(&w, buf, sizeof(buf), 16);
	g_assert_cmpint(pkt_put_bytes(&w, "\xff\x03\xc0\x21", 4), ==, 0);
	g_assert_cmpint(l2tp_data_push(&w, 0xabcd, 0x0102), ==, 0);
	g_assert_true(pkt_writer_data(&w) == buf + 10); /* in place, no copy */
	g_assert_cmpmem(pkt_writer_data(&w), 10,
			((const uint8_t[]){ 0x00, 0x02, 0xab, 0xcd, 0x01, 0x02, 0xff, 0x03, 0xc0,
					    0x21 }),
			10);
	g_assert_cmpint(l2tp_data_parse(pkt_writer_data(&w), 10, &tid, &sid, &off), ==, 0);
	g_assert_cmpuint(tid, ==, 0xabcd);
	g_assert_cmpuint(sid, ==, 0x0102);
	g_assert_cmpuint(off, ==, 6);
	/* without headroom */
	pkt_writer_init(&w, buf, sizeof(buf), 5);
	g_assert_cmpint(l2tp_data_push(&w, 1, 2), ==, -EMSGSIZE);
	g_assert_cmpuint(pkt_writer_len(&w), ==, 0);
}

/* A data message with every optional field: Length, Ns/Nr, an offset of 3. */
static size_t build_data_full(uint8_t *buf, size_t cap)
{
	struct l2tp_header h = {
		.has_length = true,
		.has_sequence = true,
		.has_offset = true,
		.priority = true,
		.tunnel_id = 0x1111,
		.session_id = 0x2222,
		.ns = 1,
		.nr = 2,
		.offset_size = 3,
	};
	struct pkt_writer w;

	pkt_writer_init(&w, buf, cap, 0);
	g_assert_cmpint(l2tp_header_write(&w, &h), ==, 0);
	g_assert_cmpint(pkt_put_bytes(&w, "\xff\x03", 2), ==, 0);
	g_assert_cmpint(l2tp_header_set_length(&w), ==, 0);
	return pkt_writer_len(&w);
}

static void test_data_options(void)
{
	uint8_t buf[64];
	size_t len = build_data_full(buf, sizeof(buf));
	uint16_t tid = 7, sid = 7;
	size_t off = 7;

	g_assert_cmpuint(len, ==, 2 + 2 + 4 + 4 + 2 + 3 + 2);
	g_assert_cmpint(l2tp_data_parse(buf, len, &tid, &sid, &off), ==, 0);
	g_assert_cmpuint(tid, ==, 0x1111);
	g_assert_cmpuint(sid, ==, 0x2222);
	g_assert_cmpuint(off, ==, 17);
	/* truncation sweep: every prefix fails and leaves the outputs alone */
	tid = sid = 7;
	off = 7;
	for (size_t n = 0; n < len; n++) {
		g_assert_cmpint(l2tp_data_parse(buf, n, &tid, &sid, &off), <, 0);
		g_assert_cmpuint(tid, ==, 7);
		g_assert_cmpuint(off, ==, 7);
	}
	/* lying Length, both ways */
	g_assert_cmpint(l2tp_data_parse(buf, len + 1, &tid, &sid, &off), ==, -EBADMSG);
	buf[3] = (uint8_t)(len - 1);
	g_assert_cmpint(l2tp_data_parse(buf, len, &tid, &sid, &off), ==, -EBADMSG);
	buf[3] = (uint8_t)len;
	/* an offset that runs past the message */
	buf[13] = 6;
	g_assert_cmpint(l2tp_data_parse(buf, len, &tid, &sid, &off), ==, -EBADMSG);
	buf[13] = 3;
	/* a control message is not data */
	buf[0] |= 0x80;
	g_assert_cmpint(l2tp_data_parse(buf, len, &tid, &sid, &off), ==, -EBADMSG);
	g_assert_true(l2tp_is_control(buf, len));
	buf[0] &= 0x7f;
	g_assert_false(l2tp_is_control(buf, len));
	g_assert_false(l2tp_is_control(buf, 0));
	g_assert_cmpuint(off, ==, 7);
}

/* ---- AVPs ---- */

static void test_avp_round_trip(void)
{
	uint8_t buf[256];
	struct pkt_writer w;
	struct pkt_reader body;
	struct l2tp_avp_iter it;
	struct l2tp_avp avp;
	uint16_t v16;
	uint32_t v32;

	pkt_writer_init(&w, buf, sizeof(buf), 0);
	g_assert_cmpint(l2tp_avp_put_be16(&w, true, L2TP_ATTR_MESSAGE_TYPE, L2TP_MSG_SCCRQ), ==, 0);
	g_assert_cmpint(l2tp_avp_put(&w, true, L2TP_ATTR_HOST_NAME, "lac", 3), ==, 0);
	g_assert_cmpint(l2tp_avp_put_be32(&w, false, L2TP_ATTR_FRAMING_CAPS, 3), ==, 0);
	g_assert_cmpint(l2tp_avp_put(&w, false, L2TP_ATTR_VENDOR_NAME, "", 0), ==, 0);
	g_assert_cmpmem(buf, 8, ((const uint8_t[]){ 0x80, 0x08, 0, 0, 0, 0, 0, 1 }), 8);
	pkt_reader_init(&body, buf, pkt_writer_len(&w));
	l2tp_avp_iter_init(&it, &body);

	g_assert_cmpint(l2tp_avp_iter_next(&it, &avp), ==, 1);
	g_assert_true(avp.mandatory && !avp.hidden && !avp.reserved_bits);
	g_assert_cmpuint(avp.vendor, ==, 0);
	g_assert_cmpuint(avp.type, ==, L2TP_ATTR_MESSAGE_TYPE);
	g_assert_cmpint(pkt_get_be16(&avp.value, &v16), ==, 0);
	g_assert_cmpuint(v16, ==, L2TP_MSG_SCCRQ);

	g_assert_cmpint(l2tp_avp_iter_next(&it, &avp), ==, 1);
	g_assert_cmpuint(avp.type, ==, L2TP_ATTR_HOST_NAME);
	g_assert_cmpuint(pkt_remaining(&avp.value), ==, 3);

	g_assert_cmpint(l2tp_avp_iter_next(&it, &avp), ==, 1);
	g_assert_false(avp.mandatory);
	g_assert_cmpint(pkt_get_be32(&avp.value, &v32), ==, 0);
	g_assert_cmpuint(v32, ==, 3);

	g_assert_cmpint(l2tp_avp_iter_next(&it, &avp), ==, 1);
	g_assert_cmpuint(avp.type, ==, L2TP_ATTR_VENDOR_NAME);
	g_assert_cmpuint(pkt_remaining(&avp.value), ==, 0);
	g_assert_cmpint(l2tp_avp_iter_next(&it, &avp), ==, 0);

	/* a value too long for 10 bits of length */
	g_assert_cmpint(l2tp_avp_put(&w, false, 99, buf, 1018), ==, -EMSGSIZE);
}

static void test_avp_rejects(void)
{
	/* Message Type, then an AVP whose length is 5 (below the 6-byte header) */
	uint8_t buf[] = { 0x80, 0x08, 0, 0, 0, 0, 0, 6, 0x00, 0x05, 0, 0, 0, 7, 0xaa };
	struct pkt_reader body;
	struct l2tp_avp_iter it, saved;
	struct l2tp_avp avp, first;

	pkt_reader_init(&body, buf, sizeof(buf));
	l2tp_avp_iter_init(&it, &body);
	g_assert_cmpint(l2tp_avp_iter_next(&it, &first), ==, 1);
	saved = it;
	avp = first;
	g_assert_cmpint(l2tp_avp_iter_next(&it, &avp), ==, -EBADMSG);
	g_assert_cmpmem(&it, sizeof(it), &saved, sizeof(saved));
	g_assert_cmpmem(&avp, sizeof(avp), &first, sizeof(first));
	buf[9] = 0; /* length 0 */
	g_assert_cmpint(l2tp_avp_iter_next(&it, &avp), ==, -EBADMSG);
	buf[9] = 8; /* 8 bytes, but 7 are left */
	g_assert_cmpint(l2tp_avp_iter_next(&it, &avp), ==, -EBADMSG);
	buf[9] = 7; /* exactly the rest */
	g_assert_cmpint(l2tp_avp_iter_next(&it, &avp), ==, 1);
	g_assert_cmpuint(pkt_remaining(&avp.value), ==, 1);
	g_assert_cmpint(l2tp_avp_iter_next(&it, &avp), ==, 0);
	/* a header cut short */
	pkt_reader_init(&body, buf, 9);
	l2tp_avp_iter_init(&it, &body);
	g_assert_cmpint(l2tp_avp_iter_next(&it, &avp), ==, 1);
	g_assert_cmpint(l2tp_avp_iter_next(&it, &avp), ==, -EBADMSG);
}

/* Hidden AVP vectors, computed independently with Python hashlib (RFC 2661 §4.3 has none):
 * secret "tunnel-secret", random vector 01..10. */
static const uint8_t rv[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
static const uint8_t hidden_tid[] = { 0xbd, 0xbf, 0xf6, 0x78 }; /* type 9, 0x1234, no pad */
static const uint8_t hidden_vendor[] = {                        /* type 8, 12 bytes of pad */
	0x2f, 0x6b, 0x92, 0xd3, 0x93, 0x21, 0xbd, 0x40, 0x4c, 0x17, 0x9e,
	0x4e, 0xbe, 0x34, 0x2b, 0x1c, 0x9f, 0xdf, 0x21, 0xa9, 0x80, 0xd3,
	0x90, 0x31, 0xbb, 0x20, 0xac, 0x9e, 0x3f, 0x81, 0x97, 0x1d,
};

static void test_hidden_vector(void)
{
	const struct l2tp_hide_key key = { secret, SECRET_LEN, rv, sizeof(rv) };
	uint8_t out[64], value[64];
	size_t len = 0;

	g_assert_cmpint(l2tp_avp_hide(&key, L2TP_ATTR_ASSIGNED_TUNNEL_ID, "\x12\x34", 2, 0, out,
				      sizeof(out)),
			==, 0);
	g_assert_cmpmem(out, 4, hidden_tid, sizeof(hidden_tid));
	g_assert_cmpint(l2tp_avp_hide(&key, L2TP_ATTR_VENDOR_NAME, "roadie test vendor", 18, 12,
				      out, sizeof(out)),
			==, 0);
	g_assert_cmpmem(out, 32, hidden_vendor, sizeof(hidden_vendor));
	/* two blocks: the second is keyed by the first hidden block */
	g_assert_cmpint(l2tp_avp_unhide(&key, L2TP_ATTR_VENDOR_NAME, hidden_vendor,
					sizeof(hidden_vendor), value, sizeof(value), &len),
			==, 0);
	g_assert_cmpmem(value, len, "roadie test vendor", 18);
	g_assert_cmpint(l2tp_avp_unhide(&key, L2TP_ATTR_ASSIGNED_TUNNEL_ID, hidden_tid,
					sizeof(hidden_tid), value, sizeof(value), &len),
			==, 0);
	g_assert_cmpmem(value, len, "\x12\x34", 2);
	/* too small an output */
	g_assert_cmpint(l2tp_avp_hide(&key, 9, "\x12\x34", 2, 0, out, 3), ==, -EMSGSIZE);
	/* an original length longer than the hidden value: a wrong secret, or a lie */
	len = 99;
	g_assert_cmpint(l2tp_avp_unhide(&key, 9, hidden_tid, 3, value, sizeof(value), &len), ==,
			-EBADMSG);
	g_assert_cmpuint(len, ==, 99);
}

/* A message: Message Type HELLO, then @n hidden-or-not AVPs as the test writes them. */
static void begin_body(struct pkt_writer *w, uint8_t *buf, size_t cap, uint16_t type)
{
	pkt_writer_init(w, buf, cap, 0);
	g_assert_cmpint(l2tp_avp_put_be16(w, true, L2TP_ATTR_MESSAGE_TYPE, type), ==, 0);
}

static int parse_body(const struct pkt_writer *w, const uint8_t *s, size_t s_len,
		      struct l2tp_avps *a)
{
	struct pkt_reader body;

	pkt_reader_init(&body, pkt_writer_data(w), pkt_writer_len(w));
	return l2tp_avps_parse(&body, s, s_len, a);
}

static void test_hidden_round_trip(void)
{
	const struct l2tp_hide_key key = { secret, SECRET_LEN, rv, sizeof(rv) };
	uint8_t buf[512];
	struct pkt_writer w;
	struct l2tp_avps a;

	begin_body(&w, buf, sizeof(buf), L2TP_MSG_SCCRP);
	g_assert_cmpint(l2tp_avp_put(&w, true, L2TP_ATTR_RANDOM_VECTOR, rv, sizeof(rv)), ==, 0);
	g_assert_cmpint(l2tp_avp_put_hidden(&w, &key, true, L2TP_ATTR_ASSIGNED_TUNNEL_ID,
					    "\x42\x42", 2),
			==, 0);
	g_assert_cmpint(l2tp_avp_put_hidden(&w, &key, false, L2TP_ATTR_VENDOR_NAME,
					    "roadie test vendor", 18),
			==, 0);
	/* padded to 16-byte blocks: 6 + 16 and 6 + 32 */
	g_assert_cmpuint(pkt_writer_len(&w), ==, 8 + 22 + 22 + 38);
	g_assert_cmpint(parse_body(&w, secret, SECRET_LEN, &a), ==, 0);
	g_assert_cmpuint(a.n_hidden, ==, 2);
	g_assert_cmpuint(a.assigned_tunnel_id, ==, 0x4242);
	g_assert_cmpstr(a.vendor_name, ==, "roadie test vendor");

	/* without a secret */
	memset(&a, 0x5a, sizeof(a));
	g_assert_cmpint(parse_body(&w, NULL, 0, &a), ==, -ENOKEY);
	g_assert_cmpuint(a.assigned_tunnel_id, ==, 0x5a5a); /* untouched */

	/* without a Random Vector before it */
	begin_body(&w, buf, sizeof(buf), L2TP_MSG_SCCRP);
	g_assert_cmpint(l2tp_avp_put_hidden(&w, &key, true, L2TP_ATTR_ASSIGNED_TUNNEL_ID,
					    "\x42\x42", 2),
			==, 0);
	g_assert_cmpint(l2tp_avp_put(&w, true, L2TP_ATTR_RANDOM_VECTOR, rv, sizeof(rv)), ==, 0);
	g_assert_cmpint(parse_body(&w, secret, SECRET_LEN, &a), ==, -EBADMSG);

	/* a hidden Random Vector, or a hidden Message Type, is malformed */
	begin_body(&w, buf, sizeof(buf), L2TP_MSG_SCCRP);
	g_assert_cmpint(l2tp_avp_put(&w, true, L2TP_ATTR_RANDOM_VECTOR, rv, sizeof(rv)), ==, 0);
	g_assert_cmpint(l2tp_avp_put_hidden(&w, &key, true, L2TP_ATTR_RANDOM_VECTOR, rv, 16), ==,
			0);
	g_assert_cmpint(parse_body(&w, secret, SECRET_LEN, &a), ==, -EBADMSG);
}

/* Challenge Response = MD5(type | secret | challenge), computed independently with Python
 * hashlib for challenge a0..af and secret "tunnel-secret". */
static void test_challenge_response(void)
{
	static const uint8_t sccrp[16] = { 0xad, 0x84, 0xde, 0xad, 0x06, 0x33, 0x50, 0x75,
					   0x40, 0xb5, 0x9c, 0xcd, 0x6f, 0x65, 0x6d, 0xc2 };
	static const uint8_t scccn[16] = { 0x18, 0x5c, 0xbf, 0x8b, 0x35, 0xc8, 0xad, 0x33,
					   0xfe, 0x9b, 0x64, 0x52, 0xc7, 0x8d, 0xd0, 0xc1 };
	uint8_t challenge[16], out[16];

	for (int i = 0; i < 16; i++)
		challenge[i] = (uint8_t)(0xa0 + i);
	g_assert_cmpint(l2tp_challenge_response(L2TP_MSG_SCCRP, secret, SECRET_LEN, challenge,
						sizeof(challenge), out),
			==, 0);
	g_assert_cmpmem(out, 16, sccrp, 16);
	g_assert_cmpint(l2tp_challenge_response(L2TP_MSG_SCCCN, secret, SECRET_LEN, challenge,
						sizeof(challenge), out),
			==, 0);
	g_assert_cmpmem(out, 16, scccn, 16);
}

static void test_avps_set(void)
{
	uint8_t buf[512];
	struct pkt_writer w;
	struct l2tp_avps a;
	uint8_t vendor_avp[] = { 0x00, 0x08, 0x01, 0x37, 0x00, 0x01, 0xaa, 0xbb };

	/* known attributes, an unknown optional one, then an unknown mandatory one */
	begin_body(&w, buf, sizeof(buf), L2TP_MSG_SCCRP);
	g_assert_cmpint(l2tp_avp_put(&w, true, L2TP_ATTR_PROTOCOL_VERSION, "\x01\x00", 2), ==, 0);
	g_assert_cmpint(l2tp_avp_put(&w, true, L2TP_ATTR_HOST_NAME, "lns\x01\xff", 5), ==, 0);
	g_assert_cmpint(l2tp_avp_put_be16(&w, true, L2TP_ATTR_ASSIGNED_TUNNEL_ID, 77), ==, 0);
	g_assert_cmpint(l2tp_avp_put_be16(&w, true, L2TP_ATTR_RECEIVE_WINDOW, 4), ==, 0);
	g_assert_cmpint(pkt_put_bytes(&w, vendor_avp, sizeof(vendor_avp)), ==, 0);
	g_assert_cmpint(l2tp_avp_put(&w, false, 200, "x", 1), ==, 0);
	g_assert_cmpint(parse_body(&w, NULL, 0, &a), ==, 0);
	g_assert_cmpuint(a.message_type, ==, L2TP_MSG_SCCRP);
	g_assert_true(a.message_type_mandatory);
	g_assert_cmpuint(a.version, ==, 1);
	g_assert_cmpstr(a.host_name, ==, "lns??");
	g_assert_cmpuint(a.assigned_tunnel_id, ==, 77);
	g_assert_true(l2tp_avps_has(&a, L2TP_ATTR_RECEIVE_WINDOW));
	g_assert_false(l2tp_avps_has(&a, L2TP_ATTR_CHALLENGE));
	g_assert_false(a.unknown_mandatory);
	vendor_avp[0] = 0x80; /* the vendor AVP becomes mandatory */
	g_assert_cmpint(l2tp_avp_put(&w, true, 201, "y", 1), ==, 0);
	g_assert_cmpint(pkt_put_bytes(&w, vendor_avp, sizeof(vendor_avp)), ==, 0);
	g_assert_cmpint(parse_body(&w, NULL, 0, &a), ==, 0);
	g_assert_true(a.unknown_mandatory);
	g_assert_cmpuint(a.unknown_vendor, ==, 0);
	g_assert_cmpuint(a.unknown_type, ==, 201); /* the first one */

	/* a reserved bit makes a known AVP unrecognised (§4.1) */
	begin_body(&w, buf, sizeof(buf), L2TP_MSG_HELLO);
	g_assert_cmpint(pkt_put_bytes(&w, "\x84\x08\x00\x00\x00\x09\x00\x01", 8), ==, 0);
	g_assert_cmpint(parse_body(&w, NULL, 0, &a), ==, 0);
	g_assert_true(a.unknown_mandatory);
	g_assert_false(l2tp_avps_has(&a, L2TP_ATTR_ASSIGNED_TUNNEL_ID));

	/* wrong lengths of known attributes */
	begin_body(&w, buf, sizeof(buf), L2TP_MSG_SCCRP);
	g_assert_cmpint(l2tp_avp_put(&w, true, L2TP_ATTR_ASSIGNED_TUNNEL_ID, "\x00\x01\x02", 3),
			==, 0);
	g_assert_cmpint(parse_body(&w, NULL, 0, &a), ==, -EBADMSG);
	begin_body(&w, buf, sizeof(buf), L2TP_MSG_SCCRP);
	g_assert_cmpint(l2tp_avp_put(&w, true, L2TP_ATTR_CHALLENGE_RESPONSE, rv, 15), ==, 0);
	g_assert_cmpint(parse_body(&w, NULL, 0, &a), ==, -EBADMSG);
	begin_body(&w, buf, sizeof(buf), L2TP_MSG_STOPCCN);
	g_assert_cmpint(l2tp_avp_put(&w, true, L2TP_ATTR_RESULT_CODE, "\x00\x01\x00", 3), ==, 0);
	g_assert_cmpint(parse_body(&w, NULL, 0, &a), ==, -EBADMSG);
	begin_body(&w, buf, sizeof(buf), L2TP_MSG_SCCRP);
	g_assert_cmpint(l2tp_avp_put(&w, true, L2TP_ATTR_HOST_NAME, "", 0), ==, 0);
	g_assert_cmpint(parse_body(&w, NULL, 0, &a), ==, -EBADMSG);

	/* Message Type missing, not first, twice, or of the wrong length */
	pkt_writer_init(&w, buf, sizeof(buf), 0);
	g_assert_cmpint(parse_body(&w, NULL, 0, &a), ==, -EBADMSG);
	g_assert_cmpint(l2tp_avp_put_be16(&w, true, L2TP_ATTR_ASSIGNED_TUNNEL_ID, 1), ==, 0);
	g_assert_cmpint(l2tp_avp_put_be16(&w, true, L2TP_ATTR_MESSAGE_TYPE, 2), ==, 0);
	g_assert_cmpint(parse_body(&w, NULL, 0, &a), ==, -EBADMSG);
	begin_body(&w, buf, sizeof(buf), L2TP_MSG_SCCRP);
	g_assert_cmpint(l2tp_avp_put_be16(&w, true, L2TP_ATTR_MESSAGE_TYPE, 2), ==, 0);
	g_assert_cmpint(parse_body(&w, NULL, 0, &a), ==, -EBADMSG);
	pkt_writer_init(&w, buf, sizeof(buf), 0);
	g_assert_cmpint(l2tp_avp_put(&w, true, L2TP_ATTR_MESSAGE_TYPE, "\x00\x02\x00", 3), ==, 0);
	g_assert_cmpint(parse_body(&w, NULL, 0, &a), ==, -EBADMSG);
}

static void test_result_text(void)
{
	uint8_t buf[256];
	struct pkt_writer w;
	struct l2tp_avps a;
	char text[512];

	/* StopCCN: result 2, error 4, a message with a control character and a quote */
	begin_body(&w, buf, sizeof(buf), L2TP_MSG_STOPCCN);
	g_assert_cmpint(l2tp_avp_put_result(&w, 2, true, 4, "busy\x1b[2J now"), ==, 0);
	g_assert_cmpint(parse_body(&w, NULL, 0, &a), ==, 0);
	g_assert_cmpuint(a.result.result, ==, 2);
	g_assert_true(a.result.has_error);
	g_assert_cmpuint(a.result.error, ==, 4);
	l2tp_result_text(false, &a.result, text, sizeof(text));
	g_assert_cmpstr(text, ==,
			"the L2TP server closed the tunnel: general error (insufficient resources "
			"to handle the request now); it says \"busy?[2J now\"");

	a.result = (struct l2tp_result){ .result = 4 };
	l2tp_result_text(false, &a.result, text, sizeof(text));
	g_assert_cmpstr(text, ==,
			"the L2TP server closed the tunnel: roadie is not authorized to establish a "
			"control connection (check the L2TP tunnel secret and host name)");
	a.result = (struct l2tp_result){ .result = 3, .has_error = true };
	l2tp_result_text(true, &a.result, text, sizeof(text));
	g_assert_cmpstr(text, ==,
			"the L2TP server closed the session: call disconnected for administrative "
			"reasons");
	a.result = (struct l2tp_result){ .result = 42, .has_error = true, .error = 99 };
	l2tp_result_text(true, &a.result, text, sizeof(text));
	g_assert_cmpstr(text, ==, "the L2TP server closed the session: result code 42 (error code 99)");
}

static void test_sanitize(void)
{
	char out[8];
	uint8_t long_msg[300];

	l2tp_sanitize((const uint8_t *)"a\tb\x7f\x80", 5, out, sizeof(out));
	g_assert_cmpstr(out, ==, "a?b??");
	l2tp_sanitize((const uint8_t *)"0123456789", 10, out, sizeof(out));
	g_assert_cmpstr(out, ==, "0123...");
	l2tp_sanitize((const uint8_t *)"", 0, out, sizeof(out));
	g_assert_cmpstr(out, ==, "");

	/* the server's message is bounded in the decoded set */
	{
		uint8_t buf[512];
		struct pkt_writer w;
		struct l2tp_avps a;

		memset(long_msg, 'x', sizeof(long_msg));
		long_msg[sizeof(long_msg) - 1] = 0;
		begin_body(&w, buf, sizeof(buf), L2TP_MSG_STOPCCN);
		g_assert_cmpint(l2tp_avp_put_result(&w, 1, false, 0, (const char *)long_msg), ==,
				0);
		g_assert_cmpint(parse_body(&w, NULL, 0, &a), ==, 0);
		g_assert_cmpuint(strlen(a.result.message), ==, L2TP_ERROR_MESSAGE_MAX);
		g_assert_true(g_str_has_suffix(a.result.message, "xxx..."));
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/l2tp/message/control/round-trip", test_control_round_trip);
	g_test_add_func("/l2tp/message/control/rejects", test_control_rejects);
	g_test_add_func("/l2tp/message/data/push-parse", test_data_push_parse);
	g_test_add_func("/l2tp/message/data/options-and-truncation", test_data_options);
	g_test_add_func("/l2tp/avp/round-trip", test_avp_round_trip);
	g_test_add_func("/l2tp/avp/rejects", test_avp_rejects);
	g_test_add_func("/l2tp/avp/hidden/vector", test_hidden_vector);
	g_test_add_func("/l2tp/avp/hidden/round-trip-and-rejects", test_hidden_round_trip);
	g_test_add_func("/l2tp/avp/challenge-response/vector", test_challenge_response);
	g_test_add_func("/l2tp/avp/set", test_avps_set);
	g_test_add_func("/l2tp/avp/result-text", test_result_text);
	g_test_add_func("/l2tp/avp/sanitize", test_sanitize);
	return g_test_run();
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IKEv1 codec: round trips of every payload roadie writes, a truncation sweep of a whole
 * message, and a table of malformed messages that must be refused with their counted reason
 * and without touching the ret_ outputs.
 */
#include <errno.h>
#include <string.h>
#include <glib.h>

#include "ike/ike-message.h"
#include "ike/ike-payload-cert.h"
#include "ike/ike-payload-delete.h"
#include "ike/ike-payload-id.h"
#include "ike/ike-payload-natoa.h"
#include "ike/ike-payload-notify.h"
#include "ike/ike-payload-sa.h"

static const RoadieSuite p1_suites[] = {
	{ ROADIE_ENCR_AES_CBC, 256, ROADIE_INTEG_SHA2_256, ROADIE_DH_MODP2048 },
	{ ROADIE_ENCR_AES_CBC, 128, ROADIE_INTEG_SHA1, ROADIE_DH_ECP256 },
	{ ROADIE_ENCR_3DES, 192, ROADIE_INTEG_SHA1, ROADIE_DH_MODP1024 },
};

static const RoadieSuite p2_suites[] = {
	{ ROADIE_ENCR_AES_CBC, 256, ROADIE_INTEG_SHA1, ROADIE_DH_NONE },
	{ ROADIE_ENCR_AES_GCM_16, 128, ROADIE_INTEG_NONE, ROADIE_DH_NONE },
	{ ROADIE_ENCR_3DES, 192, ROADIE_INTEG_SHA2_512, ROADIE_DH_NONE },
};

static const uint8_t vid_rfc3947[] = { 0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
				       0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f };

/* A Main Mode first message: SA, two VIDs. Returns its length. */
static size_t build_mm1(uint8_t *buf, size_t cap)
{
	struct ike_header h = {
		.icookie = { 1, 2, 3, 4, 5, 6, 7, 8 },
		.version = IKE_VERSION_1_0,
		.exchange = IKE_EXCH_IDENTITY_PROTECT,
	};
	struct pkt_writer w;
	struct ike_chain c;

	g_assert_cmpint(pkt_writer_init(&w, buf, cap, 0), ==, 0);
	g_assert_cmpint(ike_header_write(&w, &h), ==, 0);
	ike_chain_init(&c, 16);
	g_assert_cmpint(ike_sa_write_p1(&w, &c, p1_suites, G_N_ELEMENTS(p1_suites), IKE_AUTH_PSK,
					28800),
			==, 0);
	g_assert_cmpint(ike_payload_put_data(&w, &c, IKE_PAYLOAD_VID, vid_rfc3947,
					     sizeof(vid_rfc3947)),
			==, 0);
	g_assert_cmpint(ike_payload_put_data(&w, &c, IKE_PAYLOAD_VID, "roadie", 6), ==, 0);
	g_assert_cmpint(pkt_set_be32(&w, 24, (uint32_t)pkt_writer_len(&w)), ==, 0);
	return pkt_writer_len(&w);
}

static void test_main_mode_round_trip(void)
{
	uint8_t buf[1024];
	size_t len = build_mm1(buf, sizeof(buf));
	struct ike_payload payloads[IKE_MAX_PAYLOADS];
	struct ike_sa_payload sa;
	struct ike_header h;
	struct pkt_reader body;
	unsigned n = 0;

	g_assert_cmpint(ike_message_parse(buf, len, &h, &body), ==, IKE_PARSE_OK);
	g_assert_cmpuint(h.exchange, ==, IKE_EXCH_IDENTITY_PROTECT);
	g_assert_cmpuint(h.next_payload, ==, IKE_PAYLOAD_SA);
	g_assert_cmpuint(h.length, ==, len);
	g_assert_cmpint(ike_payloads_parse(&body, h.next_payload, false, payloads, &n), ==,
			IKE_PARSE_OK);
	g_assert_cmpuint(n, ==, 3);
	g_assert_cmpuint(payloads[0].type, ==, IKE_PAYLOAD_SA);
	g_assert_cmpuint(payloads[1].type, ==, IKE_PAYLOAD_VID);
	g_assert_cmpuint(payloads[2].type, ==, IKE_PAYLOAD_VID);
	g_assert_cmpmem(payloads[1].body.data + payloads[1].body.off,
			pkt_remaining(&payloads[1].body), vid_rfc3947, sizeof(vid_rfc3947));

	g_assert_cmpint(ike_sa_payload_parse(&payloads[0].body, &sa), ==, 0);
	g_assert_cmpuint(sa.n_proposals, ==, 1);
	g_assert_cmpuint(sa.proposals[0].protocol, ==, IKE_PROTO_ISAKMP);
	g_assert_cmpuint(sa.proposals[0].count, ==, 3);
	for (unsigned i = 0; i < 3; i++) {
		struct ike_p1_transform t;

		g_assert_cmpint(ike_transform_decode_p1(&sa.transforms[i], &t), ==, 0);
		g_assert_cmpint(t.suite.encr, ==, p1_suites[i].encr);
		g_assert_cmpuint(t.suite.key_bits, ==, p1_suites[i].key_bits);
		g_assert_cmpint(t.suite.integ, ==, p1_suites[i].integ);
		g_assert_cmpint(t.suite.dh, ==, p1_suites[i].dh);
		g_assert_cmpuint(t.auth_method, ==, IKE_AUTH_PSK);
		g_assert_cmpuint(t.life_seconds, ==, 28800);
		g_assert_cmpuint(t.life_kilobytes, ==, 0);
	}
}

static void test_quick_mode_sa_round_trip(void)
{
	uint8_t buf[1024];
	struct pkt_writer w;
	struct ike_chain c;
	struct pkt_reader r;
	struct ike_payload payloads[IKE_MAX_PAYLOADS];
	struct ike_sa_payload sa;
	unsigned n;

	/* a bare payload chain: the "next payload" byte lives at offset 0 of a scratch byte */
	g_assert_cmpint(pkt_writer_init(&w, buf, sizeof(buf), 0), ==, 0);
	g_assert_cmpint(pkt_put_u8(&w, 0), ==, 0);
	ike_chain_init(&c, 0);
	g_assert_cmpint(ike_sa_write_p2(&w, &c, p2_suites, G_N_ELEMENTS(p2_suites), 0xc0ffee11,
					IKE_ENCAP_UDP_TRANSPORT, ROADIE_DH_MODP2048, 100000, 4000000),
			==, 0);
	pkt_reader_init(&r, buf + 1, pkt_writer_len(&w) - 1);
	g_assert_cmpint(ike_payloads_parse(&r, buf[0], false, payloads, &n), ==, IKE_PARSE_OK);
	g_assert_cmpuint(n, ==, 1);
	g_assert_cmpint(ike_sa_payload_parse(&payloads[0].body, &sa), ==, 0);
	g_assert_cmpuint(sa.proposals[0].protocol, ==, IKE_PROTO_ESP);
	g_assert_cmpuint(sa.proposals[0].spi_len, ==, 4);
	g_assert_cmpmem(sa.proposals[0].spi, 4, "\xc0\xff\xee\x11", 4);
	for (unsigned i = 0; i < G_N_ELEMENTS(p2_suites); i++) {
		struct ike_p2_transform t;

		g_assert_cmpint(ike_transform_decode_p2(&sa.transforms[i], &t), ==, 0);
		g_assert_cmpint(t.suite.encr, ==, p2_suites[i].encr);
		g_assert_cmpuint(t.suite.key_bits, ==, p2_suites[i].key_bits);
		g_assert_cmpint(t.suite.integ, ==, p2_suites[i].integ);
		g_assert_cmpint(t.suite.dh, ==, ROADIE_DH_MODP2048);
		g_assert_cmpuint(t.encap_mode, ==, IKE_ENCAP_UDP_TRANSPORT);
		g_assert_cmpuint(t.life_seconds, ==, 100000); /* > 16 bits: written as TLV */
		g_assert_cmpuint(t.life_kilobytes, ==, 4000000);
	}
}

/* Writes one payload with @write into a chain and parses it back as the only payload. */
static struct pkt_reader one_payload(uint8_t *buf, size_t cap, size_t used, uint8_t type)
{
	struct ike_payload payloads[IKE_MAX_PAYLOADS];
	struct pkt_reader r;
	unsigned n;

	pkt_reader_init(&r, buf + 1, used - 1);
	g_assert_cmpint(ike_payloads_parse(&r, buf[0], false, payloads, &n), ==, IKE_PARSE_OK);
	g_assert_cmpuint(n, ==, 1);
	g_assert_cmpuint(payloads[0].type, ==, type);
	(void)cap;
	return payloads[0].body;
}

static void test_small_payloads(void)
{
	uint8_t buf[256], addr[4] = { 198, 51, 100, 2 };
	struct pkt_writer w;
	struct ike_chain c;
	struct pkt_reader body;

	/* ID: our L2TP endpoint, UDP port 1701 (RFC 3193 §5) */
	struct ike_id id = { IKE_ID_IPV4_ADDR, 17, 1701, addr, 4 }, id2;
	uint8_t idb[64];
	size_t idb_len;

	pkt_writer_init(&w, buf, sizeof(buf), 0);
	pkt_put_u8(&w, 0);
	ike_chain_init(&c, 0);
	g_assert_cmpint(ike_id_write(&w, &c, &id), ==, 0);
	body = one_payload(buf, sizeof(buf), pkt_writer_len(&w), IKE_PAYLOAD_ID);
	g_assert_cmpint(ike_id_parse(&body, &id2), ==, 0);
	g_assert_cmpuint(id2.type, ==, IKE_ID_IPV4_ADDR);
	g_assert_cmpuint(id2.protocol, ==, 17);
	g_assert_cmpuint(id2.port, ==, 1701);
	g_assert_cmpmem(id2.data, id2.len, addr, 4);
	g_assert_cmpint(ike_id_body(&id, idb, sizeof(idb), &idb_len), ==, 0);
	g_assert_cmpmem(idb, idb_len, "\x01\x11\x06\xa5\xc6\x33\x64\x02", 8);
	g_assert_cmpint(ike_id_body(&id, idb, 7, &idb_len), ==, -EMSGSIZE);

	/* Notify: INITIAL-CONTACT with the cookie pair as SPI (RFC 2407 §4.6.3.3) */
	struct ike_notify n;

	pkt_writer_init(&w, buf, sizeof(buf), 0);
	pkt_put_u8(&w, 0);
	ike_chain_init(&c, 0);
	g_assert_cmpint(ike_notify_write(&w, &c, IKE_PROTO_ISAKMP, IKE_N_INITIAL_CONTACT,
					 (const uint8_t *)"ABCDEFGHabcdefgh", 16, NULL, 0),
			==, 0);
	body = one_payload(buf, sizeof(buf), pkt_writer_len(&w), IKE_PAYLOAD_NOTIFY);
	g_assert_cmpint(ike_notify_parse(&body, &n), ==, 0);
	g_assert_cmpuint(n.type, ==, IKE_N_INITIAL_CONTACT);
	g_assert_cmpuint(n.spi_len, ==, 16);
	g_assert_cmpuint(pkt_remaining(&n.data), ==, 0);
	{
		char name[32];

		g_assert_cmpstr(ike_notify_name(IKE_N_NO_PROPOSAL_CHOSEN, name, sizeof(name)), ==,
				"NO-PROPOSAL-CHOSEN");
		g_assert_cmpstr(ike_notify_name(4242, name, sizeof(name)), ==, "notification 4242");
	}

	/* Delete: one ESP SPI */
	struct ike_delete d;
	const uint8_t *spi;

	pkt_writer_init(&w, buf, sizeof(buf), 0);
	pkt_put_u8(&w, 0);
	ike_chain_init(&c, 0);
	g_assert_cmpint(ike_delete_write(&w, &c, IKE_PROTO_ESP, (const uint8_t *)"\x11\x22\x33\x44", 4),
			==, 0);
	body = one_payload(buf, sizeof(buf), pkt_writer_len(&w), IKE_PAYLOAD_DELETE);
	g_assert_cmpint(ike_delete_parse(&body, &d), ==, 0);
	g_assert_cmpuint(d.protocol, ==, IKE_PROTO_ESP);
	g_assert_cmpint(ike_delete_next_spi(&d, &spi), ==, 1);
	g_assert_cmpmem(spi, 4, "\x11\x22\x33\x44", 4);
	g_assert_cmpint(ike_delete_next_spi(&d, &spi), ==, 0);

	/* NAT-OA, in its draft numbering */
	struct ike_natoa oa = { .id_type = IKE_ID_IPV4_ADDR, .addr = { 198, 51, 100, 2 },
				.addr_len = 4 },
			 oa2;

	pkt_writer_init(&w, buf, sizeof(buf), 0);
	pkt_put_u8(&w, 0);
	ike_chain_init(&c, 0);
	g_assert_cmpint(ike_natoa_write(&w, &c, IKE_PAYLOAD_NAT_OA_DRAFT, &oa), ==, 0);
	body = one_payload(buf, sizeof(buf), pkt_writer_len(&w), IKE_PAYLOAD_NAT_OA_DRAFT);
	g_assert_cmpint(ike_natoa_parse(&body, &oa2), ==, 0);
	g_assert_cmpmem(oa2.addr, oa2.addr_len, oa.addr, 4);

	/* CERT and an empty CR */
	struct ike_cert cert = { IKE_CERT_X509_SIG, (const uint8_t *)"\x30\x03\x02\x01\x01", 5 }, c2;

	pkt_writer_init(&w, buf, sizeof(buf), 0);
	pkt_put_u8(&w, 0);
	ike_chain_init(&c, 0);
	g_assert_cmpint(ike_cert_write(&w, &c, IKE_PAYLOAD_CERT, &cert), ==, 0);
	body = one_payload(buf, sizeof(buf), pkt_writer_len(&w), IKE_PAYLOAD_CERT);
	g_assert_cmpint(ike_cert_parse(&body, IKE_PAYLOAD_CERT, &c2), ==, 0);
	g_assert_cmpuint(c2.encoding, ==, IKE_CERT_X509_SIG);
	g_assert_cmpmem(c2.data, c2.len, cert.data, cert.len);
	pkt_reader_init(&body, "\x04", 1);
	g_assert_cmpint(ike_cert_parse(&body, IKE_PAYLOAD_CR, &c2), ==, 0);
	g_assert_cmpint(ike_cert_parse(&body, IKE_PAYLOAD_CERT, &c2), ==, -EBADMSG);
}

/* Parses a whole message down to every payload's meaning; 0 if all of it is well formed. */
static int parse_all(const uint8_t *buf, size_t len)
{
	struct ike_payload payloads[IKE_MAX_PAYLOADS];
	struct ike_header h;
	struct pkt_reader body;
	unsigned n;

	if (ike_message_parse(buf, len, &h, &body) != IKE_PARSE_OK)
		return -1;
	if (ike_payloads_parse(&body, h.next_payload, false, payloads, &n) != IKE_PARSE_OK)
		return -2;
	for (unsigned i = 0; i < n; i++) {
		struct ike_sa_payload sa;

		if (payloads[i].type != IKE_PAYLOAD_SA)
			continue;
		if (ike_sa_payload_parse(&payloads[i].body, &sa))
			return -3;
		for (unsigned t = 0; t < sa.n_transforms; t++) {
			struct ike_p1_transform p1;
			int err = ike_transform_decode_p1(&sa.transforms[t], &p1);

			if (err)
				return err == -ENOTSUP ? -5 : -4;
		}
	}
	return 0;
}

static void test_truncation_sweep(void)
{
	uint8_t buf[1024];
	size_t len = build_mm1(buf, sizeof(buf));

	g_assert_cmpint(parse_all(buf, len), ==, 0);
	for (size_t cut = 0; cut < len; cut++) {
		g_autofree uint8_t *copy = g_memdup2(buf, cut);

		/* as cut: the header's length disagrees */
		g_assert_cmpint(parse_all(copy, cut), <, 0);
		/* with the header's length patched, the payload walk meets the cut */
		if (cut >= IKE_HEADER_LEN) {
			copy[24] = (uint8_t)(cut >> 24);
			copy[25] = (uint8_t)(cut >> 16);
			copy[26] = (uint8_t)(cut >> 8);
			copy[27] = (uint8_t)cut;
			g_assert_cmpint(parse_all(copy, cut), <, 0);
		}
	}
}

/*
 * Malformed messages: one field of a good Main Mode message changed. Offsets: header 0-27;
 * SA payload header 28; DOI 32; situation 36; proposal header 40 (length 42); proposal #44,
 * protocol 45, SPI size 46, transform count 47; first transform header 48 (length 50),
 * number 52, id 53; its first attribute 56.
 */
typedef struct {
	const char *name;
	size_t offset;
	uint8_t value;
	int want; /* parse_all's result */
} Mutation;

static const Mutation mutations[] = {
	{ "version-2.0", 17, 0x20, -1 },
	{ "version-0.1", 17, 0x01, -1 },
	{ "length-short", 27, 0x10, -1 },
	{ "length-huge", 24, 0x7f, -1 },
	{ "length-zero-high", 26, 0xff, -1 },
	{ "first-payload-none", 16, IKE_PAYLOAD_NONE, -2 },
	{ "sa-payload-len-0", 31, 0x00, -2 },
	{ "sa-payload-len-3", 31, 0x03, -2 },
	{ "sa-payload-len-over", 30, 0x7f, -2 },
	{ "sa-next-none", 28, IKE_PAYLOAD_NONE, -2 },
	{ "sa-doi-2", 35, 0x02, -3 },
	{ "sa-situation-secrecy", 39, 0x02, -3 },
	{ "proposal-next-5", 40, 0x05, -3 },
	{ "proposal-next-more", 40, IKE_PAYLOAD_PROPOSAL, -3 },
	{ "proposal-len-7", 43, 0x07, -3 },
	{ "proposal-len-over", 42, 0x40, -3 },
	{ "proposal-spi-size-17", 46, 17, -3 },
	{ "proposal-spi-size-eats-transform", 46, 8, -3 },
	{ "proposal-no-transforms", 47, 0, -3 },
	{ "proposal-one-transform-less", 47, 2, -3 },
	{ "proposal-one-transform-more", 47, 4, -3 },
	{ "proposal-255-transforms", 47, 255, -3 },
	{ "transform-next-7", 48, 0x07, -3 },
	{ "transform-next-none-early", 48, 0x00, -3 },
	{ "transform-len-7", 51, 0x07, -3 },
	{ "transform-len-over", 50, 0x10, -3 },
	{ "transform-len-off-by-two", 51, 0, -3 },
	{ "transform-id-not-key-ike", 53, 0x02, -5 },
	{ "attr-tlv-length-lies", 56, 0x00, -4 },
	{ "attr-tv-unknown-type", 57, 0x63, -5 },
	{ "attr-tlv-huge", 56, 0x00, -4 },
};

static void test_malformed(gconstpointer data)
{
	const Mutation *m = data;
	uint8_t buf[1024];
	size_t len = build_mm1(buf, sizeof(buf));

	g_assert_cmpuint(m->offset, <, len);
	buf[m->offset] = m->value;
	if (g_str_equal(m->name, "attr-tlv-huge")) {
		buf[58] = 0xff; /* TLV of 65535 bytes */
		buf[59] = 0xff;
	}
	if (g_str_equal(m->name, "attr-tlv-length-lies")) {
		buf[58] = 0x00; /* TLV claiming 200 bytes of a short transform */
		buf[59] = 200;
	}
	g_assert_cmpint(parse_all(buf, len), ==, m->want);
}

/* Rule 3 for the message parsers: failures leave the ret_ outputs untouched. */
static void test_failed_parse_changes_nothing(void)
{
	uint8_t buf[1024];
	size_t len = build_mm1(buf, sizeof(buf));
	struct ike_header h, h0;
	struct pkt_reader body, body0;
	struct ike_payload payloads[IKE_MAX_PAYLOADS], p0[IKE_MAX_PAYLOADS];
	unsigned n = 77;

	memset(&h, 0x5a, sizeof(h));
	memset(&body, 0x5a, sizeof(body));
	h0 = h;
	body0 = body;
	g_assert_cmpint(ike_message_parse(buf, len - 1, &h, &body), !=, IKE_PARSE_OK);
	g_assert_true(memcmp(&h, &h0, sizeof(h)) == 0);
	g_assert_true(memcmp(&body, &body0, sizeof(body)) == 0);

	g_assert_cmpint(ike_message_parse(buf, len, &h, &body), ==, IKE_PARSE_OK);
	body0 = body;
	memset(payloads, 0x5a, sizeof(payloads));
	memcpy(p0, payloads, sizeof(payloads));
	buf[len - 1 - 6 - 4 + 3] = 0xff; /* the last VID's length byte now runs past the end */
	g_assert_cmpint(ike_payloads_parse(&body, h.next_payload, false, payloads, &n), ==,
			IKE_PARSE_TRUNCATED);
	g_assert_cmpuint(n, ==, 77);
	g_assert_true(memcmp(payloads, p0, sizeof(payloads)) == 0);
	g_assert_true(memcmp(&body, &body0, sizeof(body)) == 0);
}

static void test_too_many_payloads(void)
{
	uint8_t buf[2048];
	struct ike_header h = { .version = IKE_VERSION_1_0, .exchange = IKE_EXCH_INFORMATIONAL };
	struct ike_payload payloads[IKE_MAX_PAYLOADS];
	struct pkt_writer w;
	struct ike_chain c;
	struct pkt_reader body;
	unsigned n;

	pkt_writer_init(&w, buf, sizeof(buf), 0);
	ike_header_write(&w, &h);
	ike_chain_init(&c, 16);
	for (int i = 0; i < IKE_MAX_PAYLOADS + 1; i++)
		g_assert_cmpint(ike_payload_put_data(&w, &c, IKE_PAYLOAD_VID, "x", 1), ==, 0);
	pkt_set_be32(&w, 24, (uint32_t)pkt_writer_len(&w));
	g_assert_cmpint(ike_message_parse(buf, pkt_writer_len(&w), &h, &body), ==, IKE_PARSE_OK);
	g_assert_cmpint(ike_payloads_parse(&body, h.next_payload, false, payloads, &n), ==,
			IKE_PARSE_TOO_MANY);
}

static void test_padding(void)
{
	uint8_t buf[1024];
	size_t len = build_mm1(buf, sizeof(buf));
	struct ike_payload payloads[IKE_MAX_PAYLOADS];
	struct pkt_reader body;
	unsigned n;

	/* trailing bytes: refused in a plain message, accepted as an encrypted body's padding */
	memset(buf + len, 0, 7);
	pkt_reader_init(&body, buf + IKE_HEADER_LEN, len + 7 - IKE_HEADER_LEN);
	g_assert_cmpint(ike_payloads_parse(&body, IKE_PAYLOAD_SA, false, payloads, &n), ==,
			IKE_PARSE_TRAILING);
	g_assert_cmpint(ike_payloads_parse(&body, IKE_PAYLOAD_SA, true, payloads, &n), ==,
			IKE_PARSE_OK);
	g_assert_cmpuint(n, ==, 3);
	/* libreswan's alignment of a message in the clear: up to 3 zero bytes */
	for (size_t k = 1; k <= 3; k++) {
		pkt_reader_init(&body, buf + IKE_HEADER_LEN, len + k - IKE_HEADER_LEN);
		g_assert_cmpint(ike_payloads_parse(&body, IKE_PAYLOAD_SA, false, payloads, &n), ==,
				IKE_PARSE_OK);
	}
	buf[len + 1] = 1;
	pkt_reader_init(&body, buf + IKE_HEADER_LEN, len + 2 - IKE_HEADER_LEN);
	g_assert_cmpint(ike_payloads_parse(&body, IKE_PAYLOAD_SA, false, payloads, &n), ==,
			IKE_PARSE_TRAILING);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ike/codec/main-mode/round-trip", test_main_mode_round_trip);
	g_test_add_func("/ike/codec/quick-mode-sa/round-trip", test_quick_mode_sa_round_trip);
	g_test_add_func("/ike/codec/payloads/round-trip", test_small_payloads);
	g_test_add_func("/ike/codec/truncation-sweep", test_truncation_sweep);
	g_test_add_func("/ike/codec/failed-parse-changes-nothing", test_failed_parse_changes_nothing);
	g_test_add_func("/ike/codec/too-many-payloads", test_too_many_payloads);
	g_test_add_func("/ike/codec/padding", test_padding);
	for (size_t i = 0; i < G_N_ELEMENTS(mutations); i++) {
		g_autofree char *path = g_strdup_printf("/ike/codec/malformed/%s", mutations[i].name);

		g_test_add_data_func(path, &mutations[i], test_malformed);
	}
	return g_test_run();
}

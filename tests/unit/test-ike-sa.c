/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Main Mode state machine without sockets: datagrams out are captured, responses are
 * built here, time is a number. Malformed or unexpected answers are counted and dropped and
 * leave the state alone; silence and consistent refusals end in the right sentence.
 */
#include <string.h>
#include <glib.h>

#include "ike/ike-message.h"
#include "ike/ike-payload-notify.h"
#include "ike/ike-payload-sa.h"
#include "ike/ike-sa.h"
#include "ike/ike-vendor.h"

typedef struct {
	GPtrArray *sent; /* GBytes */
	GPtrArray *events; /* char *: "type:text" */
	uint8_t counter;
} Harness;

static void h_send(void *user, const uint8_t *data, size_t len, bool natt)
{
	Harness *h = user;

	g_ptr_array_add(h->sent, g_bytes_new(data, len));
}

static void h_event(void *user, const struct ike_event *ev)
{
	Harness *h = user;

	g_ptr_array_add(h->events, g_strdup_printf("%d:%s", ev->type, ev->text ? ev->text : ""));
}

static int h_random(void *user, uint8_t *buf, size_t len)
{
	Harness *h = user;

	for (size_t i = 0; i < len; i++)
		buf[i] = ++h->counter;
	return 0;
}

static const struct ike_ops ops = { .send = h_send, .event = h_event, .random = h_random };

static const RoadieSuite offered[] = {
	{ ROADIE_ENCR_AES_CBC, 256, ROADIE_INTEG_SHA1, ROADIE_DH_MODP2048 },
	{ ROADIE_ENCR_3DES, 192, ROADIE_INTEG_SHA1, ROADIE_DH_MODP1024 },
};

static struct ike_sa *start(Harness *h)
{
	struct ike_sa_config cfg = {
		.suites = offered,
		.n_suites = G_N_ELEMENTS(offered),
		.psk = (const uint8_t *)"psk",
		.psk_len = 3,
		.lifetime = 28800,
		.local = { { 198, 51, 100, 2 }, 4, 500 },
		.remote = { { 203, 0, 113, 10 }, 4, 500 },
	};
	struct ike_sa *sa;

	h->sent = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	h->events = g_ptr_array_new_with_free_func(g_free);
	sa = ike_sa_new(&cfg, &ops, h);
	g_assert_nonnull(sa);
	g_assert_cmpint(ike_sa_start(sa, 0), ==, 0);
	g_assert_cmpint(ike_sa_state(sa), ==, IKE_SA_MM1_SENT);
	g_assert_cmpuint(h->sent->len, ==, 1);
	return sa;
}

static void finish(Harness *h, struct ike_sa *sa)
{
	ike_sa_free(sa);
	g_ptr_array_unref(h->sent);
	g_ptr_array_unref(h->events);
}

/* The gateway's MM2: our cookie, its cookie, an SA with @suite, and @extra_vid. */
static GBytes *build_mm2(const struct ike_sa *sa, Harness *h, const RoadieSuite *suite,
			 unsigned n_transforms, uint8_t exchange)
{
	const uint8_t *mm1 = g_bytes_get_data(h->sent->pdata[0], NULL);
	struct ike_header hdr = { .version = IKE_VERSION_1_0, .exchange = exchange };
	uint8_t buf[1024], vid[16];
	struct pkt_writer w;
	struct ike_chain c;
	size_t n;

	memcpy(hdr.icookie, mm1, 8);
	memset(hdr.rcookie, 0xcc, 8);
	pkt_writer_init(&w, buf, sizeof(buf), 0);
	ike_header_write(&w, &hdr);
	ike_chain_init(&c, 16);
	g_assert_cmpint(ike_sa_write_p1(&w, &c, suite, n_transforms, IKE_AUTH_PSK, 28800), ==, 0);
	n = ike_vendor_id(IKE_VENDOR_NATT_RFC3947, vid, sizeof(vid));
	g_assert_cmpint(ike_payload_put_data(&w, &c, IKE_PAYLOAD_VID, vid, n), ==, 0);
	pkt_set_be32(&w, 24, (uint32_t)pkt_writer_len(&w));
	(void)sa;
	return g_bytes_new(buf, pkt_writer_len(&w));
}

static GBytes *build_notify(Harness *h, uint16_t type)
{
	const uint8_t *mm1 = g_bytes_get_data(h->sent->pdata[0], NULL);
	struct ike_header hdr = { .version = IKE_VERSION_1_0, .exchange = IKE_EXCH_INFORMATIONAL };
	uint8_t buf[256];
	struct pkt_writer w;
	struct ike_chain c;

	memcpy(hdr.icookie, mm1, 8);
	pkt_writer_init(&w, buf, sizeof(buf), 0);
	ike_header_write(&w, &hdr);
	ike_chain_init(&c, 16);
	g_assert_cmpint(ike_notify_write(&w, &c, IKE_PROTO_ISAKMP, type, mm1, 16, NULL, 0), ==, 0);
	pkt_set_be32(&w, 24, (uint32_t)pkt_writer_len(&w));
	return g_bytes_new(buf, pkt_writer_len(&w));
}

static void receive(struct ike_sa *sa, GBytes *b, uint64_t now)
{
	gsize len;
	const uint8_t *data = g_bytes_get_data(b, &len);

	ike_sa_receive(sa, data, len, false, now);
}

static void test_mm2_accepted(void)
{
	Harness h = { 0 };
	struct ike_sa *sa = start(&h);
	g_autoptr(GBytes) mm2 = build_mm2(sa, &h, &offered[1], 1, IKE_EXCH_IDENTITY_PROTECT);

	receive(sa, mm2, 10);
	g_assert_cmpint(ike_sa_state(sa), ==, IKE_SA_MM3_SENT);
	g_assert_cmpuint(h.sent->len, ==, 2); /* MM3 */
	g_assert_cmpint(ike_sa_natt_version(sa), ==, IKE_NATT_RFC);
	/* the gateway repeats MM2: our MM3 is sent again, nothing else changes */
	receive(sa, mm2, 20);
	g_assert_cmpint(ike_sa_state(sa), ==, IKE_SA_MM3_SENT);
	g_assert_cmpuint(h.sent->len, ==, 3);
	g_assert_cmpuint(ike_sa_drops(sa, IKE_DROP_RETRANSMIT), ==, 1);
	finish(&h, sa);
}

/* Answers that must be dropped without a state change. */
static void test_bad_mm2_dropped(void)
{
	const RoadieSuite not_offered = { ROADIE_ENCR_AES_CBC, 128, ROADIE_INTEG_MD5,
					  ROADIE_DH_MODP1536 };
	Harness h = { 0 };
	struct ike_sa *sa = start(&h);
	g_autoptr(GBytes) two = build_mm2(sa, &h, offered, 2, IKE_EXCH_IDENTITY_PROTECT);
	g_autoptr(GBytes) wrong = build_mm2(sa, &h, &not_offered, 1, IKE_EXCH_IDENTITY_PROTECT);
	g_autoptr(GBytes) quick = build_mm2(sa, &h, offered, 1, IKE_EXCH_QUICK);
	g_autoptr(GBytes) good = build_mm2(sa, &h, offered, 1, IKE_EXCH_IDENTITY_PROTECT);
	g_autofree uint8_t *cookie = g_memdup2(g_bytes_get_data(good, NULL), g_bytes_get_size(good));
	g_autofree uint8_t *trunc = g_memdup2(g_bytes_get_data(good, NULL), g_bytes_get_size(good));

	receive(sa, two, 1);      /* two transforms back: the responder must choose one */
	receive(sa, wrong, 2);    /* a suite we did not offer */
	receive(sa, quick, 3);    /* another exchange */
	cookie[0] ^= 1;           /* not our cookie */
	ike_sa_receive(sa, cookie, g_bytes_get_size(good), false, 4);
	ike_sa_receive(sa, trunc, g_bytes_get_size(good) - 1, false, 5); /* truncated */
	ike_sa_receive(sa, trunc, 0, false, 6);
	g_assert_cmpint(ike_sa_state(sa), ==, IKE_SA_MM1_SENT);
	g_assert_cmpuint(h.sent->len, ==, 1);
	g_assert_cmpuint(ike_sa_drops(sa, IKE_DROP_MALFORMED), ==, 4);
	g_assert_cmpuint(ike_sa_drops(sa, IKE_DROP_UNEXPECTED), ==, 1);
	g_assert_cmpuint(ike_sa_drops(sa, IKE_DROP_WRONG_COOKIE), ==, 1);
	/* and the good one still works after all that */
	receive(sa, good, 7);
	g_assert_cmpint(ike_sa_state(sa), ==, IKE_SA_MM3_SENT);
	finish(&h, sa);
}

static void test_silence(void)
{
	Harness h = { 0 };
	struct ike_sa *sa = start(&h);
	uint64_t now = 0;

	/* 5 transmissions, 1 + 2 + 4 + 8 + 16 s apart */
	while (ike_sa_state(sa) == IKE_SA_MM1_SENT) {
		now = ike_sa_next_deadline(sa);
		g_assert_cmpuint(now, <, 100000);
		ike_sa_tick(sa, now);
	}
	g_assert_cmpuint(h.sent->len, ==, 5);
	g_assert_cmpuint(now, ==, 31000);
	g_assert_cmpint(ike_sa_state(sa), ==, IKE_SA_FAILED);
	g_assert_cmpint(ike_sa_failure(sa), ==, IKE_FAIL_NO_ANSWER);
	g_assert_cmpstr(ike_sa_failure_text(sa), ==,
			"no answer from 203.0.113.10 on UDP 500 after 5 tries: is the gateway "
			"reachable?");
	finish(&h, sa);
}

/* One unauthenticated NO-PROPOSAL-CHOSEN does not end the attempt; the same answer to our
 * retransmission does, with the offer named. */
static void test_no_proposal(void)
{
	Harness h = { 0 };
	struct ike_sa *sa = start(&h);
	g_autoptr(GBytes) n = build_notify(&h, IKE_N_NO_PROPOSAL_CHOSEN);

	receive(sa, n, 10);
	g_assert_cmpint(ike_sa_state(sa), ==, IKE_SA_MM1_SENT);
	ike_sa_tick(sa, ike_sa_next_deadline(sa));
	receive(sa, n, 1100);
	g_assert_cmpint(ike_sa_state(sa), ==, IKE_SA_FAILED);
	g_assert_cmpint(ike_sa_failure(sa), ==, IKE_FAIL_NO_PROPOSAL);
	g_assert_cmpstr(ike_sa_failure_text(sa), ==,
			"the gateway accepts none of our IKE proposals (we offered "
			"aes256-sha1-modp2048, 3des-sha1-modp1024)");
	finish(&h, sa);
}

static void test_aggressive_only(void)
{
	Harness h = { 0 };
	struct ike_sa *sa = start(&h);
	g_autoptr(GBytes) aggr = build_mm2(sa, &h, offered, 1, IKE_EXCH_AGGRESSIVE);

	receive(sa, aggr, 10);
	while (ike_sa_state(sa) == IKE_SA_MM1_SENT)
		ike_sa_tick(sa, ike_sa_next_deadline(sa));
	g_assert_cmpint(ike_sa_failure(sa), ==, IKE_FAIL_AGGRESSIVE_ONLY);
	finish(&h, sa);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ike/sa/mm2-accepted-and-retransmission-answered", test_mm2_accepted);
	g_test_add_func("/ike/sa/bad-mm2-dropped-without-state-change", test_bad_mm2_dropped);
	g_test_add_func("/ike/sa/silence", test_silence);
	g_test_add_func("/ike/sa/no-proposal-consistent", test_no_proposal);
	g_test_add_func("/ike/sa/aggressive-only", test_aggressive_only);
	return g_test_run();
}

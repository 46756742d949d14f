/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The LAC without sockets: the test plays the LNS, builds its SCCRP, ICRP, ZLB, HELLO,
 * StopCCN and CDN, and checks what roadie sends back (AVPs, Ns/Nr, timing) and the sentences
 * it ends with. Time is a number; randomness counts up from 1, so roadie's tunnel id is 0x0102.
 */
#include <errno.h>
#include <string.h>
#include <glib.h>

#include "l2tp/l2tp-avp.h"
#include "l2tp/l2tp-message.h"
#include "l2tp/l2tp-tunnel.h"

#define LNS_TID 0x4242
#define LNS_SID 0x0777

static const uint8_t secret[] = "tunnel-secret";
#define SECRET_LEN (sizeof(secret) - 1)

typedef struct {
	GPtrArray *sent;   /* GBytes */
	GPtrArray *events; /* char *: "TYPE:text" */
	struct l2tp_event last;
	uint8_t counter;
	const uint8_t *secret; /* to read what roadie hides */
	size_t secret_len;
	uint16_t lns_ns;       /* the LNS's next Ns */
} Harness;

static void h_send(void *user, const uint8_t *data, size_t len)
{
	Harness *h = user;

	g_ptr_array_add(h->sent, g_bytes_new(data, len));
}

static void h_event(void *user, const struct l2tp_event *ev)
{
	static const char *const names[] = { "TUNNEL_UP", "SESSION_UP", "FAILED", "CLOSED" };
	Harness *h = user;

	h->last = *ev;
	h->last.text = NULL;
	g_ptr_array_add(h->events, g_strdup_printf("%s:%s", names[ev->type], ev->text));
}

static int h_random(void *user, uint8_t *buf, size_t len)
{
	Harness *h = user;

	for (size_t i = 0; i < len; i++)
		buf[i] = ++h->counter;
	return 0;
}

static const struct l2tp_ops ops = { h_send, h_event, h_random };

static struct l2tp_tunnel *start_with(Harness *h, const struct l2tp_config *cfg)
{
	struct l2tp_tunnel *t;

	h->sent = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	h->events = g_ptr_array_new_with_free_func(g_free);
	h->secret = cfg->secret;
	h->secret_len = cfg->secret_len;
	t = l2tp_tunnel_new(cfg, &ops, h);
	g_assert_nonnull(t);
	g_assert_cmpint(l2tp_tunnel_start(t, 0), ==, 0);
	g_assert_cmpint(l2tp_tunnel_state(t), ==, L2TP_TUNNEL_WAIT_SCCRP);
	g_assert_cmpuint(h->sent->len, ==, 1);
	return t;
}

static struct l2tp_tunnel *start(Harness *h)
{
	const struct l2tp_config cfg = { .host_name = "laptop" };

	return start_with(h, &cfg);
}

static void finish(Harness *h, struct l2tp_tunnel *t)
{
	l2tp_tunnel_free(t);
	g_ptr_array_unref(h->sent);
	g_ptr_array_unref(h->events);
}

/* What roadie sent as message @i: header and AVPs (message_type 0 and nothing for a ZLB). */
static void sent(Harness *h, unsigned i, struct l2tp_header *hdr, struct l2tp_avps *a)
{
	gsize len;
	const uint8_t *data;
	struct pkt_reader body;

	g_assert_cmpuint(i, <, h->sent->len);
	data = g_bytes_get_data(h->sent->pdata[i], &len);
	g_assert_cmpint(l2tp_control_parse(data, len, hdr, &body), ==, 0);
	g_assert_cmpuint(hdr->length, ==, len);
	memset(a, 0, sizeof(*a));
	if (pkt_remaining(&body))
		g_assert_cmpint(l2tp_avps_parse(&body, h->secret, h->secret_len, a), ==, 0);
}

static void expect(Harness *h, unsigned i, uint16_t type, uint16_t tid, uint16_t sid,
		   uint16_t ns, uint16_t nr, struct l2tp_avps *a)
{
	struct l2tp_header hdr;
	struct l2tp_avps scratch;

	if (!a)
		a = &scratch;
	sent(h, i, &hdr, a);
	g_assert_cmpuint(a->message_type, ==, type);
	g_assert_cmpuint(hdr.tunnel_id, ==, tid);
	g_assert_cmpuint(hdr.session_id, ==, sid);
	g_assert_cmpuint(hdr.ns, ==, ns);
	g_assert_cmpuint(hdr.nr, ==, nr);
}

static const char *last_event(Harness *h)
{
	g_assert_cmpuint(h->events->len, >, 0);
	return h->events->pdata[h->events->len - 1];
}

/* ---- the LNS's messages ---- */

typedef struct {
	uint8_t buf[1024];
	struct pkt_writer w;
} Msg;

static void lns_begin(Msg *m, uint16_t tid, uint16_t sid, uint16_t ns, uint16_t nr, uint16_t type)
{
	pkt_writer_init(&m->w, m->buf, sizeof(m->buf), 0);
	g_assert_cmpint(l2tp_control_begin(&m->w, tid, sid, ns, nr), ==, 0);
	if (type)
		g_assert_cmpint(l2tp_avp_put_be16(&m->w, true, L2TP_ATTR_MESSAGE_TYPE, type), ==, 0);
}

static GBytes *lns_end(Msg *m)
{
	g_assert_cmpint(l2tp_header_set_length(&m->w), ==, 0);
	return g_bytes_new(m->buf, pkt_writer_len(&m->w));
}

static void receive(struct l2tp_tunnel *t, GBytes *b, uint64_t now)
{
	gsize len;
	const uint8_t *data = g_bytes_get_data(b, &len);

	l2tp_tunnel_receive(t, data, len, now);
}

static void lns_sccrp_avps(Msg *m)
{
	g_assert_cmpint(l2tp_avp_put(&m->w, true, L2TP_ATTR_PROTOCOL_VERSION, "\x01\x00", 2), ==,
			0);
	g_assert_cmpint(l2tp_avp_put(&m->w, true, L2TP_ATTR_HOST_NAME, "xl2tpd", 6), ==, 0);
	g_assert_cmpint(l2tp_avp_put_be32(&m->w, true, L2TP_ATTR_FRAMING_CAPS, 3), ==, 0);
	g_assert_cmpint(l2tp_avp_put_be16(&m->w, true, L2TP_ATTR_ASSIGNED_TUNNEL_ID, LNS_TID), ==,
			0);
	g_assert_cmpint(l2tp_avp_put_be16(&m->w, true, L2TP_ATTR_RECEIVE_WINDOW, 4), ==, 0);
}

static GBytes *lns_sccrp(struct l2tp_tunnel *t)
{
	Msg m;

	lns_begin(&m, l2tp_tunnel_id(t), 0, 0, 1, L2TP_MSG_SCCRP);
	lns_sccrp_avps(&m);
	return lns_end(&m);
}

static GBytes *lns_icrp(struct l2tp_tunnel *t, uint16_t ns, uint16_t nr)
{
	Msg m;

	lns_begin(&m, l2tp_tunnel_id(t), l2tp_tunnel_session_id(t), ns, nr, L2TP_MSG_ICRP);
	g_assert_cmpint(l2tp_avp_put_be16(&m.w, true, L2TP_ATTR_ASSIGNED_SESSION_ID, LNS_SID), ==,
			0);
	return lns_end(&m);
}

static GBytes *lns_simple(struct l2tp_tunnel *t, uint16_t type, uint16_t sid, uint16_t ns,
			  uint16_t nr)
{
	Msg m;

	lns_begin(&m, l2tp_tunnel_id(t), sid, ns, nr, type);
	return lns_end(&m);
}

static GBytes *lns_stopccn(struct l2tp_tunnel *t, uint16_t ns, uint16_t nr, uint16_t result,
			   uint16_t error, const char *message)
{
	Msg m;

	lns_begin(&m, l2tp_tunnel_id(t), 0, ns, nr, L2TP_MSG_STOPCCN);
	g_assert_cmpint(l2tp_avp_put_be16(&m.w, true, L2TP_ATTR_ASSIGNED_TUNNEL_ID, LNS_TID), ==,
			0);
	g_assert_cmpint(l2tp_avp_put_result(&m.w, result, true, error, message), ==, 0);
	return lns_end(&m);
}

static GBytes *lns_cdn(struct l2tp_tunnel *t, uint16_t ns, uint16_t nr, uint16_t result)
{
	Msg m;

	lns_begin(&m, l2tp_tunnel_id(t), l2tp_tunnel_session_id(t), ns, nr, L2TP_MSG_CDN);
	g_assert_cmpint(l2tp_avp_put_result(&m.w, result, false, 0, NULL), ==, 0);
	g_assert_cmpint(l2tp_avp_put_be16(&m.w, true, L2TP_ATTR_ASSIGNED_SESSION_ID, LNS_SID), ==,
			0);
	return lns_end(&m);
}

/* SCCRP at 10 ms, ICRP at 20 ms: SCCRQ, SCCCN, ICRQ, ICCN sent; Ns 4 next, Nr 2. */
static struct l2tp_tunnel *up(Harness *h)
{
	struct l2tp_tunnel *t = start(h);
	g_autoptr(GBytes) sccrp = lns_sccrp(t);
	g_autoptr(GBytes) icrp = NULL;

	receive(t, sccrp, 10);
	g_assert_cmpint(l2tp_tunnel_state(t), ==, L2TP_TUNNEL_WAIT_ICRP);
	icrp = lns_icrp(t, 1, 3);
	receive(t, icrp, 20);
	g_assert_cmpint(l2tp_tunnel_state(t), ==, L2TP_TUNNEL_ESTABLISHED);
	g_assert_cmpuint(h->sent->len, ==, 4);
	return t;
}

/* ---- the exchange ---- */

static void test_exchange(void)
{
	Harness h = { 0 };
	struct l2tp_tunnel *t = start(&h);
	struct l2tp_avps a;
	g_autoptr(GBytes) sccrp = lns_sccrp(t);
	g_autoptr(GBytes) zlb = NULL, icrp = NULL, hello = NULL, zlb2 = NULL, zlb3 = NULL;
	uint16_t sid;
	uint64_t now;

	/* SCCRQ: tunnel 0, Ns 0, Nr 0, the AVPs of §6.1 */
	expect(&h, 0, L2TP_MSG_SCCRQ, 0, 0, 0, 0, &a);
	g_assert_cmpuint(a.version, ==, 1);
	g_assert_cmpuint(a.revision, ==, 0);
	g_assert_cmpstr(a.host_name, ==, "laptop");
	g_assert_cmpuint(a.framing_caps, ==, L2TP_FRAMING_SYNC | L2TP_FRAMING_ASYNC);
	g_assert_true(l2tp_avps_has(&a, L2TP_ATTR_BEARER_CAPS));
	g_assert_true(l2tp_avps_has(&a, L2TP_ATTR_FIRMWARE_REVISION));
	g_assert_cmpstr(a.vendor_name, ==, "roadie");
	g_assert_cmpuint(a.assigned_tunnel_id, ==, 0x0102);
	g_assert_cmpuint(l2tp_tunnel_id(t), ==, 0x0102);
	g_assert_cmpuint(a.receive_window, ==, 8);
	g_assert_false(l2tp_avps_has(&a, L2TP_ATTR_CHALLENGE));
	g_assert_false(a.unknown_mandatory);

	/* SCCRP: SCCCN and ICRQ at once, to the LNS's tunnel id, acking its Ns 0 */
	receive(t, sccrp, 10);
	g_assert_cmpuint(h.sent->len, ==, 3);
	expect(&h, 1, L2TP_MSG_SCCCN, LNS_TID, 0, 1, 1, &a);
	g_assert_false(l2tp_avps_has(&a, L2TP_ATTR_CHALLENGE_RESPONSE));
	expect(&h, 2, L2TP_MSG_ICRQ, LNS_TID, 0, 2, 1, &a);
	sid = a.assigned_session_id;
	g_assert_cmpuint(sid, !=, 0);
	g_assert_cmpuint(sid, ==, l2tp_tunnel_session_id(t));
	g_assert_true(l2tp_avps_has(&a, L2TP_ATTR_CALL_SERIAL));
	g_assert_cmpstr(last_event(&h), ==, "TUNNEL_UP:the L2TP tunnel is up");
	g_assert_cmpuint(h.last.peer_tunnel_id, ==, LNS_TID);

	/* the LNS acks both with a ZLB: nothing more to retransmit */
	zlb = lns_simple(t, 0, 0, 1, 3);
	receive(t, zlb, 15);
	g_assert_cmpuint(l2tp_tunnel_next_deadline(t), >, 15 + 50000); /* only the HELLO */

	/* ICRP: ICCN with the LNS's session id in the header */
	icrp = lns_icrp(t, 1, 3);
	receive(t, icrp, 20);
	g_assert_cmpuint(h.sent->len, ==, 4);
	expect(&h, 3, L2TP_MSG_ICCN, LNS_TID, LNS_SID, 3, 2, &a);
	g_assert_true(l2tp_avps_has(&a, L2TP_ATTR_TX_CONNECT_SPEED));
	g_assert_cmpuint(a.framing_type, ==, L2TP_FRAMING_SYNC);
	g_assert_cmpstr(last_event(&h), ==, "SESSION_UP:the L2TP session is up");
	g_assert_cmpuint(h.last.tunnel_id, ==, 0x0102);
	g_assert_cmpuint(h.last.peer_tunnel_id, ==, LNS_TID);
	g_assert_cmpuint(h.last.session_id, ==, sid);
	g_assert_cmpuint(h.last.peer_session_id, ==, LNS_SID);
	g_assert_cmpint(l2tp_tunnel_state(t), ==, L2TP_TUNNEL_ESTABLISHED);

	/* the LNS's HELLO (acking ICCN): a ZLB, but only after 200 ms of nothing else */
	hello = lns_simple(t, L2TP_MSG_HELLO, 0, 2, 4);
	receive(t, hello, 1000);
	g_assert_cmpuint(h.sent->len, ==, 4);
	g_assert_cmpuint(l2tp_tunnel_next_deadline(t), ==, 1200);
	l2tp_tunnel_tick(t, 1199);
	g_assert_cmpuint(h.sent->len, ==, 4);
	l2tp_tunnel_tick(t, 1200);
	g_assert_cmpuint(h.sent->len, ==, 5);
	expect(&h, 4, 0, LNS_TID, 0, 4, 3, NULL);
	g_assert_cmpuint(g_bytes_get_size(h.sent->pdata[4]), ==, 12);

	/* the same HELLO again: our ZLB was lost; acked again at once, and dropped */
	receive(t, hello, 1500);
	g_assert_cmpuint(h.sent->len, ==, 6);
	expect(&h, 5, 0, LNS_TID, 0, 4, 3, NULL);
	g_assert_cmpuint(l2tp_tunnel_drops(t, L2TP_DROP_DUPLICATE), ==, 1);

	/* 60 s of silence: our HELLO */
	now = l2tp_tunnel_next_deadline(t);
	g_assert_cmpuint(now, ==, 1500 + 60000);
	l2tp_tunnel_tick(t, now);
	g_assert_cmpuint(h.sent->len, ==, 7);
	expect(&h, 6, L2TP_MSG_HELLO, LNS_TID, 0, 4, 3, NULL);
	g_assert_cmpuint(l2tp_tunnel_next_deadline(t), ==, now + 1000);
	zlb2 = lns_simple(t, 0, 0, 3, 5);
	receive(t, zlb2, now + 100);
	g_assert_cmpuint(l2tp_tunnel_next_deadline(t), ==, now + 100 + 60000);

	/* our close: CDN (administrative) then StopCCN (result 1), CLOSED once acked */
	l2tp_tunnel_close(t, now + 200);
	g_assert_cmpint(l2tp_tunnel_state(t), ==, L2TP_TUNNEL_CLOSING);
	g_assert_cmpuint(h.sent->len, ==, 9);
	expect(&h, 7, L2TP_MSG_CDN, LNS_TID, LNS_SID, 5, 3, &a);
	g_assert_cmpuint(a.result.result, ==, 3);
	g_assert_cmpuint(a.assigned_session_id, ==, sid);
	expect(&h, 8, L2TP_MSG_STOPCCN, LNS_TID, 0, 6, 3, &a);
	g_assert_cmpuint(a.result.result, ==, 1);
	g_assert_false(a.result.has_error);
	g_assert_cmpuint(a.assigned_tunnel_id, ==, 0x0102);
	zlb3 = lns_simple(t, 0, 0, 3, 7);
	receive(t, zlb3, now + 300);
	g_assert_cmpint(l2tp_tunnel_state(t), ==, L2TP_TUNNEL_CLOSED);
	g_assert_cmpstr(last_event(&h), ==, "CLOSED:roadie closed the L2TP tunnel");
	g_assert_cmpuint(l2tp_tunnel_next_deadline(t), ==, UINT64_MAX);
	g_assert_cmpuint(h.events->len, ==, 3);
	finish(&h, t);
}

/* Silence: 5 transmissions 1, 2, 4, 8 s apart, then 8 s more (§5.8's cap) and FAILED. */
static void test_give_up(void)
{
	Harness h = { 0 };
	struct l2tp_tunnel *t = start(&h);
	uint64_t times[8], now = 0;
	unsigned n = 0;

	while (l2tp_tunnel_state(t) == L2TP_TUNNEL_WAIT_SCCRP) {
		now = l2tp_tunnel_next_deadline(t);
		g_assert_cmpuint(now, <, 100000);
		l2tp_tunnel_tick(t, now);
		if (h.sent->len > n + 1)
			times[n++] = now;
		g_assert_cmpuint(n, <, G_N_ELEMENTS(times));
	}
	g_assert_cmpuint(h.sent->len, ==, 5);
	g_assert_cmpuint(times[0], ==, 1000);
	g_assert_cmpuint(times[1], ==, 3000);
	g_assert_cmpuint(times[2], ==, 7000);
	g_assert_cmpuint(times[3], ==, 15000);
	g_assert_cmpuint(now, ==, 23000);
	for (unsigned i = 1; i < 5; i++)
		g_assert_true(g_bytes_equal(h.sent->pdata[0], h.sent->pdata[i]));
	g_assert_cmpint(l2tp_tunnel_state(t), ==, L2TP_TUNNEL_FAILED);
	g_assert_cmpint(l2tp_tunnel_failure(t), ==, L2TP_FAIL_NO_ANSWER);
	g_assert_cmpstr(last_event(&h), ==,
			"FAILED:no answer from the L2TP server after 5 tries");
	g_assert_cmpuint(l2tp_tunnel_next_deadline(t), ==, UINT64_MAX);
	finish(&h, t);
}

/* A retransmission carries the latest Nr; a partial ack leaves the rest in flight. */
static void test_retransmission(void)
{
	Harness h = { 0 };
	struct l2tp_tunnel *t = start(&h);
	g_autoptr(GBytes) sccrp = lns_sccrp(t);
	g_autoptr(GBytes) hello = lns_simple(t, L2TP_MSG_HELLO, 0, 1, 1);
	g_autoptr(GBytes) zlb = lns_simple(t, 0, 0, 2, 2);

	receive(t, sccrp, 0);
	g_assert_cmpuint(h.sent->len, ==, 3);
	/* a HELLO that acks nothing: nothing goes out within 200 ms, so a ZLB acks it */
	receive(t, hello, 100);
	g_assert_cmpuint(h.sent->len, ==, 3);
	l2tp_tunnel_tick(t, 300);
	g_assert_cmpuint(h.sent->len, ==, 4);
	expect(&h, 3, 0, LNS_TID, 0, 3, 2, NULL);
	l2tp_tunnel_tick(t, 1000);
	g_assert_cmpuint(h.sent->len, ==, 6);
	expect(&h, 4, L2TP_MSG_SCCCN, LNS_TID, 0, 1, 2, NULL);
	expect(&h, 5, L2TP_MSG_ICRQ, LNS_TID, 0, 2, 2, NULL);
	/* SCCCN acked, ICRQ not: the timer restarts for it */
	receive(t, zlb, 1500);
	g_assert_cmpuint(l2tp_tunnel_next_deadline(t), ==, 2500);
	l2tp_tunnel_tick(t, 2500);
	g_assert_cmpuint(h.sent->len, ==, 7);
	expect(&h, 6, L2TP_MSG_ICRQ, LNS_TID, 0, 2, 2, NULL);
	finish(&h, t);
}

/* A window of 1: ICRQ waits until SCCCN is acknowledged. */
static void test_peer_window(void)
{
	Harness h = { 0 };
	struct l2tp_tunnel *t = start(&h);
	g_autoptr(GBytes) zlb = NULL;
	g_autoptr(GBytes) sccrp = NULL;
	Msg m;

	lns_begin(&m, l2tp_tunnel_id(t), 0, 0, 1, L2TP_MSG_SCCRP);
	g_assert_cmpint(l2tp_avp_put_be16(&m.w, true, L2TP_ATTR_ASSIGNED_TUNNEL_ID, LNS_TID), ==,
			0);
	g_assert_cmpint(l2tp_avp_put_be16(&m.w, true, L2TP_ATTR_RECEIVE_WINDOW, 1), ==, 0);
	sccrp = lns_end(&m);
	receive(t, sccrp, 0);
	g_assert_cmpuint(h.sent->len, ==, 2);
	expect(&h, 1, L2TP_MSG_SCCCN, LNS_TID, 0, 1, 1, NULL);
	zlb = lns_simple(t, 0, 0, 1, 2);
	receive(t, zlb, 50);
	g_assert_cmpuint(h.sent->len, ==, 3);
	expect(&h, 2, L2TP_MSG_ICRQ, LNS_TID, 0, 2, 1, NULL);
	finish(&h, t);
}

static void test_stopccn_connecting(void)
{
	Harness h = { 0 };
	struct l2tp_tunnel *t = start(&h);
	g_autoptr(GBytes) stop = lns_stopccn(t, 0, 1, 2, 4, "out of\x07 tunnels");

	receive(t, stop, 10);
	g_assert_cmpint(l2tp_tunnel_state(t), ==, L2TP_TUNNEL_FAILED);
	g_assert_cmpint(l2tp_tunnel_failure(t), ==, L2TP_FAIL_REFUSED);
	/* acked at once with a ZLB to the id the StopCCN names */
	g_assert_cmpuint(h.sent->len, ==, 2);
	expect(&h, 1, 0, LNS_TID, 0, 1, 1, NULL);
	g_assert_cmpstr(last_event(&h), ==,
			"FAILED:the L2TP server closed the tunnel: general error (insufficient "
			"resources to handle the request now); it says \"out of? tunnels\"");
	g_assert_true(h.last.has_result);
	g_assert_cmpuint(h.last.result_code, ==, 2);
	g_assert_true(h.last.has_error);
	g_assert_cmpuint(h.last.error_code, ==, 4);
	/* its retransmission is acked again, and nothing else happens */
	receive(t, stop, 1000);
	g_assert_cmpuint(h.sent->len, ==, 3);
	g_assert_cmpuint(h.events->len, ==, 1);
	g_assert_cmpuint(l2tp_tunnel_next_deadline(t), ==, UINT64_MAX);
	finish(&h, t);
}

static void test_stopccn_up(void)
{
	Harness h = { 0 };
	struct l2tp_tunnel *t = up(&h);
	g_autoptr(GBytes) stop = lns_stopccn(t, 2, 4, 6, 0, NULL);

	receive(t, stop, 100);
	g_assert_cmpint(l2tp_tunnel_state(t), ==, L2TP_TUNNEL_CLOSED);
	expect(&h, 4, 0, LNS_TID, 0, 4, 3, NULL);
	g_assert_cmpstr(last_event(&h), ==,
			"CLOSED:the L2TP server closed the tunnel: the server is shutting down");
	finish(&h, t);
}

static void test_cdn_up(void)
{
	Harness h = { 0 };
	struct l2tp_tunnel *t = up(&h);
	g_autoptr(GBytes) cdn = lns_cdn(t, 2, 4, 3);
	g_autoptr(GBytes) zlb = lns_simple(t, 0, 0, 3, 5);
	struct l2tp_avps a;

	receive(t, cdn, 100);
	g_assert_cmpint(l2tp_tunnel_state(t), ==, L2TP_TUNNEL_CLOSED);
	g_assert_cmpstr(last_event(&h), ==,
			"CLOSED:the L2TP server closed the session: call disconnected for "
			"administrative reasons");
	/* and the tunnel goes too, reliably */
	g_assert_cmpuint(h.sent->len, ==, 5);
	expect(&h, 4, L2TP_MSG_STOPCCN, LNS_TID, 0, 4, 3, &a);
	g_assert_cmpuint(a.result.result, ==, 1);
	g_assert_cmpuint(l2tp_tunnel_next_deadline(t), ==, 1100);
	receive(t, zlb, 200);
	g_assert_cmpuint(l2tp_tunnel_next_deadline(t), ==, UINT64_MAX);
	g_assert_cmpuint(h.events->len, ==, 3);
	finish(&h, t);
}

static void test_close_unanswered(void)
{
	Harness h = { 0 };
	struct l2tp_tunnel *t = up(&h);
	uint64_t now = 100;

	l2tp_tunnel_close(t, now);
	g_assert_cmpuint(h.sent->len, ==, 6);
	while (l2tp_tunnel_state(t) == L2TP_TUNNEL_CLOSING) {
		now = l2tp_tunnel_next_deadline(t);
		g_assert_cmpuint(now, <, 100000);
		l2tp_tunnel_tick(t, now);
	}
	/* the unacknowledged ICCN, CDN and StopCCN, 5 times each */
	g_assert_cmpuint(h.sent->len, ==, 3 + 5 * 3);
	g_assert_cmpstr(last_event(&h), ==,
			"CLOSED:roadie closed the L2TP tunnel (the L2TP server did not "
			"acknowledge)");
	finish(&h, t);
}

/* Messages that must change nothing. */
static void test_dropped(void)
{
	Harness h = { 0 };
	struct l2tp_tunnel *t = start(&h);
	g_autoptr(GBytes) sccrp = lns_sccrp(t);
	g_autofree uint8_t *copy = g_memdup2(g_bytes_get_data(sccrp, NULL), g_bytes_get_size(sccrp));
	size_t len = g_bytes_get_size(sccrp);
	Msg m;
	g_autoptr(GBytes) no_tid = NULL;

	copy[5] ^= 1; /* another tunnel id */
	l2tp_tunnel_receive(t, copy, len, 1);
	copy[5] ^= 1;
	copy[11] = 2; /* Nr 2 acks a message never sent */
	l2tp_tunnel_receive(t, copy, len, 2);
	copy[11] = 1;
	copy[9] = 3; /* Ns 3: ahead, within our window of 8 */
	l2tp_tunnel_receive(t, copy, len, 3);
	copy[9] = 50; /* beyond it */
	l2tp_tunnel_receive(t, copy, len, 4);
	copy[9] = 0;
	copy[0] = 0x48; /* a data message */
	l2tp_tunnel_receive(t, copy, len, 5);
	copy[0] = 0xc8;
	lns_begin(&m, l2tp_tunnel_id(t), 0, 0, 1, L2TP_MSG_SCCRP); /* no Assigned Tunnel ID */
	no_tid = lns_end(&m);
	receive(t, no_tid, 6);

	g_assert_cmpint(l2tp_tunnel_state(t), ==, L2TP_TUNNEL_WAIT_SCCRP);
	g_assert_cmpuint(h.sent->len, ==, 1);
	g_assert_cmpuint(l2tp_tunnel_drops(t, L2TP_DROP_WRONG_TUNNEL), ==, 1);
	g_assert_cmpuint(l2tp_tunnel_drops(t, L2TP_DROP_BAD_NR), ==, 1);
	g_assert_cmpuint(l2tp_tunnel_drops(t, L2TP_DROP_OUT_OF_ORDER), ==, 1);
	g_assert_cmpuint(l2tp_tunnel_drops(t, L2TP_DROP_BEYOND_WINDOW), ==, 1);
	g_assert_cmpuint(l2tp_tunnel_drops(t, L2TP_DROP_NOT_CONTROL), ==, 1);
	g_assert_cmpuint(l2tp_tunnel_drops(t, L2TP_DROP_MALFORMED), ==, 1);
	g_assert_cmpuint(l2tp_tunnel_next_deadline(t), ==, 1000);
	/* and the good one still works */
	l2tp_tunnel_receive(t, copy, len, 7);
	g_assert_cmpint(l2tp_tunnel_state(t), ==, L2TP_TUNNEL_WAIT_ICRP);
	finish(&h, t);
}

/* Every prefix of a valid SCCRP, and lying lengths inside it, are dropped unacknowledged. */
static void test_sccrp_truncation(void)
{
	Harness h = { 0 };
	struct l2tp_tunnel *t = start(&h);
	g_autoptr(GBytes) sccrp = lns_sccrp(t);
	size_t len = g_bytes_get_size(sccrp);
	g_autofree uint8_t *copy = g_memdup2(g_bytes_get_data(sccrp, NULL), len);

	for (size_t n = 0; n < len; n++) {
		g_autofree uint8_t *prefix = g_memdup2(copy, n ? n : 1);

		l2tp_tunnel_receive(t, prefix, n, n);
		g_assert_cmpint(l2tp_tunnel_state(t), ==, L2TP_TUNNEL_WAIT_SCCRP);
	}
	/* a header Length that cuts the message short (not to 12, a ZLB, nor to 58, after the
	 * Assigned Tunnel ID: both valid messages), and every AVP length one off */
	for (size_t n = 13; n < len; n++) {
		if (n == 58)
			continue;
		copy[3] = (uint8_t)n;
		l2tp_tunnel_receive(t, copy, len, 100);
	}
	copy[3] = (uint8_t)len;
	for (size_t off = 12; off < len;) {
		uint8_t avp_len = copy[off + 1];

		copy[off + 1] = (uint8_t)(avp_len + 1);
		l2tp_tunnel_receive(t, copy, len, 200);
		copy[off + 1] = (uint8_t)(avp_len - 1);
		l2tp_tunnel_receive(t, copy, len, 200);
		copy[off + 1] = avp_len;
		off += avp_len;
	}
	g_assert_cmpint(l2tp_tunnel_state(t), ==, L2TP_TUNNEL_WAIT_SCCRP);
	g_assert_cmpuint(h.sent->len, ==, 1);
	g_assert_cmpuint(l2tp_tunnel_drops(t, L2TP_DROP_MALFORMED), ==, len + (len - 14) + 2 * 6);
	l2tp_tunnel_receive(t, copy, len, 300);
	g_assert_cmpint(l2tp_tunnel_state(t), ==, L2TP_TUNNEL_WAIT_ICRP);
	finish(&h, t);
}

/* §4.1: an unknown AVP without M is ignored; with M it ends the tunnel (a tunnel message). */
static void test_unknown_avp_tunnel(void)
{
	Harness h = { 0 };
	struct l2tp_tunnel *t = start(&h);
	g_autoptr(GBytes) sccrp = NULL;
	struct l2tp_avps a;
	Msg m;

	lns_begin(&m, l2tp_tunnel_id(t), 0, 0, 1, L2TP_MSG_SCCRP);
	lns_sccrp_avps(&m);
	g_assert_cmpint(l2tp_avp_put(&m.w, false, 77, "opt", 3), ==, 0);
	g_assert_cmpint(l2tp_avp_put(&m.w, true, 78, "must", 4), ==, 0);
	sccrp = lns_end(&m);
	receive(t, sccrp, 10);
	g_assert_cmpint(l2tp_tunnel_state(t), ==, L2TP_TUNNEL_FAILED);
	g_assert_cmpint(l2tp_tunnel_failure(t), ==, L2TP_FAIL_PROTOCOL);
	g_assert_cmpstr(last_event(&h), ==,
			"FAILED:the L2TP server sent an attribute roadie does not know (vendor 0, "
			"type 78, in SCCRP) and marked it mandatory: closing the tunnel");
	g_assert_cmpuint(h.sent->len, ==, 2);
	expect(&h, 1, L2TP_MSG_STOPCCN, LNS_TID, 0, 1, 1, &a);
	g_assert_cmpuint(a.result.result, ==, 2);
	g_assert_cmpuint(a.result.error, ==, 8);
	finish(&h, t);
}

/* ... and with M in a session message, CDN for the session first. */
static void test_unknown_avp_session(void)
{
	Harness h = { 0 };
	struct l2tp_tunnel *t = start(&h);
	g_autoptr(GBytes) sccrp = lns_sccrp(t);
	g_autoptr(GBytes) icrp = NULL;
	struct l2tp_avps a;
	Msg m;

	receive(t, sccrp, 10);
	lns_begin(&m, l2tp_tunnel_id(t), l2tp_tunnel_session_id(t), 1, 3, L2TP_MSG_ICRP);
	g_assert_cmpint(l2tp_avp_put_be16(&m.w, true, L2TP_ATTR_ASSIGNED_SESSION_ID, LNS_SID), ==,
			0);
	g_assert_cmpint(l2tp_avp_put(&m.w, false, 77, "opt", 3), ==, 0); /* ignored */
	icrp = lns_end(&m);
	/* a vendor AVP with M */
	g_assert_cmpint(pkt_put_bytes(&m.w, "\x80\x07\x01\x37\x00\x05\x01", 7), ==, 0);
	{
		g_autoptr(GBytes) bad = lns_end(&m);

		receive(t, bad, 20);
	}
	g_assert_cmpint(l2tp_tunnel_state(t), ==, L2TP_TUNNEL_FAILED);
	g_assert_cmpstr(last_event(&h), ==,
			"FAILED:the L2TP server sent an attribute roadie does not know (vendor "
			"311, type 5, in ICRP) and marked it mandatory: closing the session");
	g_assert_cmpuint(h.sent->len, ==, 5);
	expect(&h, 3, L2TP_MSG_CDN, LNS_TID, LNS_SID, 3, 2, &a);
	g_assert_cmpuint(a.result.result, ==, 2);
	g_assert_cmpuint(a.result.error, ==, 8);
	expect(&h, 4, L2TP_MSG_STOPCCN, LNS_TID, 0, 4, 2, NULL);
	(void)icrp;
	finish(&h, t);
}

/* An unknown message type: ignored without M on its Message Type, fatal with it. */
static void test_unknown_message(void)
{
	Harness h = { 0 };
	struct l2tp_tunnel *t = up(&h);
	g_autoptr(GBytes) opt = NULL, must = NULL;
	Msg m;

	pkt_writer_init(&m.w, m.buf, sizeof(m.buf), 0);
	g_assert_cmpint(l2tp_control_begin(&m.w, l2tp_tunnel_id(t), 0, 2, 4), ==, 0);
	g_assert_cmpint(l2tp_avp_put_be16(&m.w, false, L2TP_ATTR_MESSAGE_TYPE, 50), ==, 0);
	opt = lns_end(&m);
	receive(t, opt, 100);
	g_assert_cmpint(l2tp_tunnel_state(t), ==, L2TP_TUNNEL_ESTABLISHED);
	g_assert_cmpuint(l2tp_tunnel_drops(t, L2TP_DROP_UNEXPECTED), ==, 1);
	lns_begin(&m, l2tp_tunnel_id(t), 0, 3, 4, 50);
	must = lns_end(&m);
	receive(t, must, 200);
	g_assert_cmpint(l2tp_tunnel_state(t), ==, L2TP_TUNNEL_FAILED);
	g_assert_cmpstr(last_event(&h), ==,
			"FAILED:the L2TP server sent a control message roadie does not know "
			"(message type 50) and marked it mandatory: closing the tunnel");
	expect(&h, 4, L2TP_MSG_STOPCCN, LNS_TID, 0, 4, 4, NULL);
	finish(&h, t);
}

/* Tunnel authentication (§5.1.1): our challenge answered, the LNS's answered in SCCCN. */
static void test_authentication(void)
{
	static const uint8_t scccn_vector[16] = { 0x18, 0x5c, 0xbf, 0x8b, 0x35, 0xc8, 0xad, 0x33,
						  0xfe, 0x9b, 0x64, 0x52, 0xc7, 0x8d, 0xd0, 0xc1 };
	const struct l2tp_config cfg = { .secret = secret, .secret_len = SECRET_LEN };
	Harness h = { 0 };
	struct l2tp_tunnel *t = start_with(&h, &cfg);
	struct l2tp_avps a;
	uint8_t response[16], lns_challenge[16];
	g_autoptr(GBytes) sccrp = NULL;
	Msg m;

	expect(&h, 0, L2TP_MSG_SCCRQ, 0, 0, 0, 0, &a);
	g_assert_cmpuint(a.challenge_len, ==, 16);
	g_assert_cmpint(l2tp_challenge_response(L2TP_MSG_SCCRP, secret, SECRET_LEN, a.challenge,
						a.challenge_len, response),
			==, 0);
	for (int i = 0; i < 16; i++)
		lns_challenge[i] = (uint8_t)(0xa0 + i);
	lns_begin(&m, l2tp_tunnel_id(t), 0, 0, 1, L2TP_MSG_SCCRP);
	lns_sccrp_avps(&m);
	g_assert_cmpint(l2tp_avp_put(&m.w, true, L2TP_ATTR_CHALLENGE, lns_challenge, 16), ==, 0);
	g_assert_cmpint(l2tp_avp_put(&m.w, true, L2TP_ATTR_CHALLENGE_RESPONSE, response, 16), ==,
			0);
	sccrp = lns_end(&m);
	receive(t, sccrp, 10);
	g_assert_cmpint(l2tp_tunnel_state(t), ==, L2TP_TUNNEL_WAIT_ICRP);
	expect(&h, 1, L2TP_MSG_SCCCN, LNS_TID, 0, 1, 1, &a);
	/* the value computed independently with Python hashlib (see the codec test) */
	g_assert_cmpmem(a.challenge_response, 16, scccn_vector, 16);
	finish(&h, t);
}

static void test_authentication_fails(void)
{
	const struct l2tp_config cfg = { .secret = secret, .secret_len = SECRET_LEN };
	Harness h = { 0 }, h2 = { 0 }, h3 = { 0 };
	struct l2tp_tunnel *t = start_with(&h, &cfg), *t2, *t3;
	g_autoptr(GBytes) wrong = NULL, missing = NULL, challenge = NULL;
	struct l2tp_avps a;
	Msg m;

	/* a wrong Challenge Response */
	lns_begin(&m, l2tp_tunnel_id(t), 0, 0, 1, L2TP_MSG_SCCRP);
	lns_sccrp_avps(&m);
	g_assert_cmpint(l2tp_avp_put(&m.w, true, L2TP_ATTR_CHALLENGE_RESPONSE,
				     "0123456789abcdef", 16),
			==, 0);
	wrong = lns_end(&m);
	receive(t, wrong, 10);
	g_assert_cmpint(l2tp_tunnel_failure(t), ==, L2TP_FAIL_AUTHENTICATION);
	g_assert_cmpstr(last_event(&h), ==,
			"FAILED:the L2TP server failed tunnel authentication: its L2TP tunnel "
			"secret differs from roadie's");
	expect(&h, 1, L2TP_MSG_STOPCCN, LNS_TID, 0, 1, 1, &a);
	g_assert_cmpuint(a.result.result, ==, 2);

	/* none at all */
	t2 = start_with(&h2, &cfg);
	missing = lns_sccrp(t2);
	receive(t2, missing, 10);
	g_assert_cmpint(l2tp_tunnel_failure(t2), ==, L2TP_FAIL_AUTHENTICATION);

	/* the LNS challenges us, and we have no secret */
	{
		const struct l2tp_config none = { 0 };

		t3 = start_with(&h3, &none);
	}
	lns_begin(&m, l2tp_tunnel_id(t3), 0, 0, 1, L2TP_MSG_SCCRP);
	lns_sccrp_avps(&m);
	g_assert_cmpint(l2tp_avp_put(&m.w, true, L2TP_ATTR_CHALLENGE, "abc", 3), ==, 0);
	challenge = lns_end(&m);
	receive(t3, challenge, 10);
	g_assert_cmpstr(last_event(&h3), ==,
			"FAILED:the L2TP server requires tunnel authentication, but no L2TP tunnel "
			"secret is configured");
	finish(&h, t);
	finish(&h2, t2);
	finish(&h3, t3);
}

/* hide_avps: from SCCCN on, a Random Vector, then the hideable AVPs hidden; the LNS's hidden
 * AVPs read. */
static void test_hidden_exchange(void)
{
	const struct l2tp_config cfg = {
		.secret = secret, .secret_len = SECRET_LEN, .hide_avps = true
	};
	const struct l2tp_config none = { 0 };
	Harness h = { 0 }, h2 = { 0 };
	struct l2tp_tunnel *t = start_with(&h, &cfg), *t2;
	struct l2tp_avps a;
	uint8_t response[16], rv[16] = { 9, 9, 9 };
	struct l2tp_hide_key key = { secret, SECRET_LEN, rv, sizeof(rv) };
	g_autoptr(GBytes) sccrp = NULL, sccrp2 = NULL;
	Msg m;

	/* nothing hidden in SCCRQ: the LNS does not know the tunnel's secret yet (xl2tpd drops it) */
	expect(&h, 0, L2TP_MSG_SCCRQ, 0, 0, 0, 0, &a);
	g_assert_cmpuint(a.n_hidden, ==, 0);
	g_assert_cmpuint(a.assigned_tunnel_id, ==, l2tp_tunnel_id(t));
	g_assert_cmpstr(a.host_name, ==, "roadie");
	g_assert_cmpuint(a.receive_window, ==, 8);
	g_assert_cmpuint(a.challenge_len, ==, 16);
	g_assert_cmpint(l2tp_challenge_response(L2TP_MSG_SCCRP, secret, SECRET_LEN, a.challenge,
						16, response),
			==, 0);
	lns_begin(&m, l2tp_tunnel_id(t), 0, 0, 1, L2TP_MSG_SCCRP);
	g_assert_cmpint(l2tp_avp_put(&m.w, true, L2TP_ATTR_RANDOM_VECTOR, rv, sizeof(rv)), ==, 0);
	g_assert_cmpint(l2tp_avp_put_hidden(&m.w, &key, true, L2TP_ATTR_ASSIGNED_TUNNEL_ID,
					    "\x42\x42", 2),
			==, 0);
	g_assert_cmpint(l2tp_avp_put_hidden(&m.w, &key, true, L2TP_ATTR_CHALLENGE_RESPONSE,
					    response, 16),
			==, 0);
	sccrp = lns_end(&m);
	receive(t, sccrp, 10);
	g_assert_cmpint(l2tp_tunnel_state(t), ==, L2TP_TUNNEL_WAIT_ICRP);
	g_assert_cmpuint(l2tp_tunnel_peer_id(t), ==, LNS_TID);
	expect(&h, 2, L2TP_MSG_ICRQ, LNS_TID, 0, 2, 1, &a);
	g_assert_cmpuint(a.n_hidden, ==, 1);
	g_assert_cmpuint(a.assigned_session_id, ==, l2tp_tunnel_session_id(t));

	/* the same hidden SCCRP to a LAC without a secret: dropped, and the sentence says why */
	t2 = start_with(&h2, &none);
	lns_begin(&m, l2tp_tunnel_id(t2), 0, 0, 1, L2TP_MSG_SCCRP);
	g_assert_cmpint(l2tp_avp_put(&m.w, true, L2TP_ATTR_RANDOM_VECTOR, rv, sizeof(rv)), ==, 0);
	g_assert_cmpint(l2tp_avp_put_hidden(&m.w, &key, true, L2TP_ATTR_ASSIGNED_TUNNEL_ID,
					    "\x42\x42", 2),
			==, 0);
	sccrp2 = lns_end(&m);
	receive(t2, sccrp2, 10);
	g_assert_cmpuint(l2tp_tunnel_drops(t2, L2TP_DROP_HIDDEN_NO_SECRET), ==, 1);
	while (l2tp_tunnel_state(t2) == L2TP_TUNNEL_WAIT_SCCRP)
		l2tp_tunnel_tick(t2, l2tp_tunnel_next_deadline(t2));
	g_assert_cmpstr(last_event(&h2), ==,
			"FAILED:no answer from the L2TP server after 5 tries (it hides attributes "
			"with a tunnel secret, and roadie has none configured)");
	finish(&h, t);
	finish(&h2, t2);
}

static void test_config(void)
{
	char long_name[200];
	struct l2tp_config cfg = { .hide_avps = true };

	g_assert_null(l2tp_tunnel_new(&cfg, &ops, NULL)); /* hiding needs a secret */
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = 0;
	cfg = (struct l2tp_config){ .host_name = long_name };
	g_assert_null(l2tp_tunnel_new(&cfg, &ops, NULL));
	cfg = (struct l2tp_config){ .host_name = "" };
	g_assert_null(l2tp_tunnel_new(&cfg, &ops, NULL));
	g_assert_null(l2tp_tunnel_free(NULL));
}

/* Closing before SCCRP: nothing can be sent, CLOSED at once. */
static void test_close_early(void)
{
	Harness h = { 0 };
	struct l2tp_tunnel *t = start(&h);

	l2tp_tunnel_close(t, 10);
	g_assert_cmpint(l2tp_tunnel_state(t), ==, L2TP_TUNNEL_CLOSED);
	g_assert_cmpuint(h.sent->len, ==, 1);
	g_assert_cmpuint(l2tp_tunnel_next_deadline(t), ==, UINT64_MAX);
	g_assert_cmpint(l2tp_tunnel_start(t, 20), ==, -EALREADY);
	finish(&h, t);
}

/* Data from the LNS postpones HELLO; a HELLO nobody answers ends the tunnel. */
static void test_hello_unanswered(void)
{
	Harness h = { 0 };
	struct l2tp_tunnel *t = up(&h);
	g_autoptr(GBytes) zlb = lns_simple(t, 0, 0, 2, 4);
	uint64_t now;

	receive(t, zlb, 20);
	l2tp_tunnel_peer_alive(t, 30000);
	g_assert_cmpuint(l2tp_tunnel_next_deadline(t), ==, 90000);
	l2tp_tunnel_tick(t, 90000);
	expect(&h, 4, L2TP_MSG_HELLO, LNS_TID, 0, 4, 2, NULL);
	while (l2tp_tunnel_state(t) == L2TP_TUNNEL_ESTABLISHED) {
		now = l2tp_tunnel_next_deadline(t);
		g_assert_cmpuint(now, <, 200000);
		l2tp_tunnel_tick(t, now);
	}
	g_assert_cmpuint(h.sent->len, ==, 4 + 5);
	g_assert_cmpint(l2tp_tunnel_failure(t), ==, L2TP_FAIL_NO_ANSWER);
	g_assert_cmpstr(last_event(&h), ==,
			"FAILED:no answer from the L2TP server after 5 tries");
	finish(&h, t);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/l2tp/tunnel/exchange", test_exchange);
	g_test_add_func("/l2tp/tunnel/give-up-after-tries", test_give_up);
	g_test_add_func("/l2tp/tunnel/retransmission", test_retransmission);
	g_test_add_func("/l2tp/tunnel/peer-window", test_peer_window);
	g_test_add_func("/l2tp/tunnel/stopccn-while-connecting", test_stopccn_connecting);
	g_test_add_func("/l2tp/tunnel/stopccn-when-up", test_stopccn_up);
	g_test_add_func("/l2tp/tunnel/cdn-when-up", test_cdn_up);
	g_test_add_func("/l2tp/tunnel/close-unanswered", test_close_unanswered);
	g_test_add_func("/l2tp/tunnel/close-early", test_close_early);
	g_test_add_func("/l2tp/tunnel/dropped-without-state-change", test_dropped);
	g_test_add_func("/l2tp/tunnel/sccrp-truncation", test_sccrp_truncation);
	g_test_add_func("/l2tp/tunnel/unknown-mandatory-avp-tunnel", test_unknown_avp_tunnel);
	g_test_add_func("/l2tp/tunnel/unknown-mandatory-avp-session", test_unknown_avp_session);
	g_test_add_func("/l2tp/tunnel/unknown-message-type", test_unknown_message);
	g_test_add_func("/l2tp/tunnel/authentication", test_authentication);
	g_test_add_func("/l2tp/tunnel/authentication-fails", test_authentication_fails);
	g_test_add_func("/l2tp/tunnel/hidden-avps", test_hidden_exchange);
	g_test_add_func("/l2tp/tunnel/hello-unanswered", test_hello_unanswered);
	g_test_add_func("/l2tp/tunnel/config", test_config);
	return g_test_run();
}

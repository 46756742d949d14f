/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <openssl/crypto.h>

#include "l2tp-avp.h"
#include "l2tp-message.h"
#include "l2tp-tunnel.h"
#include "secret.h"

#define L2TP_QUEUE_LEN 8          /* messages not yet acknowledged; roadie needs at most 4 */
#define L2TP_MSG_MAX 1200         /* our largest, SCCRQ with hidden AVPs, is under 700 */
#define L2TP_ACK_DELAY_MS 200     /* a ZLB waits this long for a message to carry the ack */
#define L2TP_MAX_TIMEOUT_MS 8000  /* §5.8: a cap, if any, of no less than 8 s */
#define L2TP_PEER_WINDOW_DEFAULT 4 /* §4.4.3: without the AVP the window is 4 */
#define L2TP_CONFIG_NAME_MAX 128
#define L2TP_CHALLENGE_LEN 16
#define L2TP_TX_CONNECT_SPEED 100000000 /* bits/s; a LAC on IP has no line to measure */
#define L2TP_FIRMWARE_REVISION 0x0100

struct l2tp_tx {
	size_t len;
	uint8_t buf[L2TP_MSG_MAX];
};

struct l2tp_tunnel {
	struct l2tp_config cfg;
	char *host_name;
	char *vendor_name;
	uint8_t *secret;
	const struct l2tp_ops *ops;
	void *user;

	enum l2tp_tunnel_state state;
	enum l2tp_failure failure;
	char text[384];

	uint16_t tunnel_id;
	uint16_t peer_tunnel_id;
	uint16_t session_id;
	uint16_t peer_session_id;
	uint8_t challenge[L2TP_CHALLENGE_LEN]; /* ours, in SCCRQ */
	bool challenged;

	/*
	 * Reliable delivery (§5.8). queue[head] has Ns ns_una, the next ones follow; the first
	 * @sent of the @count queued went out (the peer's window allows that many
	 * unacknowledged), the rest wait for acks. One timer covers the oldest.
	 */
	uint16_t ns_una;
	uint16_t nr;          /* the Ns we expect next from the LNS */
	uint16_t peer_window;
	struct l2tp_tx queue[L2TP_QUEUE_LEN];
	unsigned head, count, sent;
	unsigned tries;
	uint32_t timeout_ms;
	uint64_t rtx_deadline;
	bool ack_pending;
	uint64_t ack_deadline;
	uint64_t last_rx;

	uint64_t drops[L2TP_DROP_COUNT];
};

const char *l2tp_tunnel_state_name(enum l2tp_tunnel_state state)
{
	switch (state) {
	case L2TP_TUNNEL_IDLE:
		return "idle";
	case L2TP_TUNNEL_WAIT_SCCRP:
		return "wait-sccrp";
	case L2TP_TUNNEL_WAIT_ICRP:
		return "wait-icrp";
	case L2TP_TUNNEL_ESTABLISHED:
		return "established";
	case L2TP_TUNNEL_CLOSING:
		return "closing";
	case L2TP_TUNNEL_CLOSED:
		return "closed";
	case L2TP_TUNNEL_FAILED:
		return "failed";
	}
	return "unknown";
}

static bool l2tp_tunnel_over(const struct l2tp_tunnel *t)
{
	switch (t->state) {
	case L2TP_TUNNEL_IDLE:
	case L2TP_TUNNEL_CLOSED:
	case L2TP_TUNNEL_FAILED:
		return true;
	case L2TP_TUNNEL_WAIT_SCCRP:
	case L2TP_TUNNEL_WAIT_ICRP:
	case L2TP_TUNNEL_ESTABLISHED:
	case L2TP_TUNNEL_CLOSING:
		return false;
	}
	return true;
}

/* The only writer of t->state (STYLE.md rule 6). */
static void l2tp_tunnel_enter_state(struct l2tp_tunnel *t, enum l2tp_tunnel_state state)
{
	t->state = state;
	switch (state) {
	case L2TP_TUNNEL_IDLE:
	case L2TP_TUNNEL_WAIT_SCCRP:
	case L2TP_TUNNEL_WAIT_ICRP:
	case L2TP_TUNNEL_ESTABLISHED:
	case L2TP_TUNNEL_CLOSING:
		break;
	case L2TP_TUNNEL_CLOSED:
	case L2TP_TUNNEL_FAILED:
		roadie_wipe(t->challenge, sizeof(t->challenge));
		break;
	}
}

static void l2tp_tunnel_emit(struct l2tp_tunnel *t, enum l2tp_event_type type,
			     const struct l2tp_result *result, const char *text)
{
	struct l2tp_event ev = {
		.type = type,
		.failure = t->failure,
		.tunnel_id = t->tunnel_id,
		.peer_tunnel_id = t->peer_tunnel_id,
		.session_id = t->session_id,
		.peer_session_id = t->peer_session_id,
		.has_result = result != NULL,
		.result_code = result ? result->result : 0,
		.has_error = result && result->has_error,
		.error_code = result ? result->error : 0,
		.text = text,
	};

	t->ops->event(t->user, &ev);
}

/* Ends the tunnel in FAILED or CLOSED with a sentence; the event goes out last. */
static void l2tp_tunnel_end(struct l2tp_tunnel *t, enum l2tp_tunnel_state state,
			    enum l2tp_failure failure, const struct l2tp_result *result,
			    const char *format, ...) __attribute__((format(printf, 5, 6)));

static void l2tp_tunnel_end(struct l2tp_tunnel *t, enum l2tp_tunnel_state state,
			    enum l2tp_failure failure, const struct l2tp_result *result,
			    const char *format, ...)
{
	va_list args;

	va_start(args, format);
	vsnprintf(t->text, sizeof(t->text), format, args);
	va_end(args);
	t->failure = failure;
	l2tp_tunnel_enter_state(t, state);
	l2tp_tunnel_emit(t, state == L2TP_TUNNEL_FAILED ? L2TP_EVENT_FAILED : L2TP_EVENT_CLOSED,
			 result, t->text);
}

static void l2tp_tunnel_drop(struct l2tp_tunnel *t, enum l2tp_drop reason)
{
	t->drops[reason]++;
}

struct l2tp_tunnel *l2tp_tunnel_new(const struct l2tp_config *config, const struct l2tp_ops *ops,
				    void *user)
{
	const char *host = config->host_name ? config->host_name : "roadie";
	const char *vendor = config->vendor_name ? config->vendor_name : "roadie";
	bool has_secret = config->secret != NULL;
	struct l2tp_tunnel *t;

	if (!*host || strlen(host) > L2TP_CONFIG_NAME_MAX ||
	    strlen(vendor) > L2TP_CONFIG_NAME_MAX || (has_secret && !config->secret_len) ||
	    config->secret_len > L2TP_AVP_MAX_VALUE || (config->hide_avps && !has_secret) ||
	    !ops->send || !ops->event || !ops->random)
		return NULL;
	t = g_new0(struct l2tp_tunnel, 1);
	t->cfg = *config;
	t->host_name = g_strdup(host);
	t->vendor_name = g_strdup(vendor);
	t->cfg.host_name = t->host_name;
	t->cfg.vendor_name = t->vendor_name;
	if (has_secret)
		t->secret = g_memdup2(config->secret, config->secret_len);
	else
		t->cfg.secret_len = 0;
	t->cfg.secret = t->secret;
	if (!t->cfg.recv_window)
		t->cfg.recv_window = 8;
	if (!t->cfg.hello_interval_s)
		t->cfg.hello_interval_s = 60;
	if (!t->cfg.tries)
		t->cfg.tries = 5;
	if (!t->cfg.first_timeout_ms)
		t->cfg.first_timeout_ms = 1000;
	t->ops = ops;
	t->user = user;
	t->peer_window = 1; /* only SCCRQ goes out before SCCRP says more */
	t->rtx_deadline = UINT64_MAX;
	return t;
}

struct l2tp_tunnel *l2tp_tunnel_free(struct l2tp_tunnel *t)
{
	if (!t)
		return NULL;
	if (t->secret)
		roadie_wipe(t->secret, t->cfg.secret_len);
	g_free(t->secret);
	g_free(t->host_name);
	g_free(t->vendor_name);
	roadie_wipe(t, sizeof(*t)); /* challenges, queued messages with hidden AVPs */
	g_free(t);
	return NULL;
}

/* ---- reliable delivery (§5.8) ---- */

static struct l2tp_tx *l2tp_tunnel_slot(struct l2tp_tunnel *t, unsigned i)
{
	return &t->queue[(t->head + i) % L2TP_QUEUE_LEN];
}

static void l2tp_tunnel_transmit(struct l2tp_tunnel *t, unsigned i)
{
	struct l2tp_tx *tx = l2tp_tunnel_slot(t, i);

	/* a resent message carries the latest Nr: it acknowledges as much as it can */
	tx->buf[L2TP_CONTROL_NR_OFFSET] = (uint8_t)(t->nr >> 8);
	tx->buf[L2TP_CONTROL_NR_OFFSET + 1] = (uint8_t)t->nr;
	t->ack_pending = false;
	t->ops->send(t->user, tx->buf, tx->len);
}

/* Sends what the peer's window allows; the timer starts with the first in flight. */
static void l2tp_tunnel_pump(struct l2tp_tunnel *t, uint64_t now)
{
	while (t->sent < t->count && t->sent < t->peer_window) {
		if (t->sent == 0) {
			t->tries = 1;
			t->timeout_ms = t->cfg.first_timeout_ms;
			t->rtx_deadline = now + t->timeout_ms;
		}
		l2tp_tunnel_transmit(t, t->sent++);
	}
}

/* Forgets every queued message (the tunnel is gone); the Ns of those sent stay used. */
static void l2tp_tunnel_flush(struct l2tp_tunnel *t)
{
	t->ns_una = (uint16_t)(t->ns_una + t->sent);
	t->head = 0;
	t->count = 0;
	t->sent = 0;
	t->rtx_deadline = UINT64_MAX;
}

/* A ZLB (§5.8): the header alone, Ns the next we will send, Nr the ack. */
static void l2tp_tunnel_send_zlb(struct l2tp_tunnel *t)
{
	uint8_t buf[L2TP_CONTROL_HEADER_LEN];
	struct pkt_writer w;

	if (!t->peer_tunnel_id)
		return;
	pkt_writer_init(&w, buf, sizeof(buf), 0);
	if (l2tp_control_begin(&w, t->peer_tunnel_id, 0, (uint16_t)(t->ns_una + t->sent), t->nr) ||
	    l2tp_header_set_length(&w))
		return;
	t->ack_pending = false;
	t->ops->send(t->user, buf, pkt_writer_len(&w));
}

static void l2tp_tunnel_closed_by_us(struct l2tp_tunnel *t, bool confirmed)
{
	l2tp_tunnel_end(t, L2TP_TUNNEL_CLOSED, L2TP_FAIL_NONE, NULL, "%s",
			confirmed ? "roadie closed the L2TP tunnel"
				  : "roadie closed the L2TP tunnel (the L2TP server did not "
				    "acknowledge)");
}

/* The peer's Nr acknowledges @n more messages (already checked against what we sent). */
static void l2tp_tunnel_acked(struct l2tp_tunnel *t, uint16_t n, uint64_t now)
{
	if (!n)
		return;
	t->head = (t->head + n) % L2TP_QUEUE_LEN;
	t->count -= n;
	t->sent -= n;
	t->ns_una = (uint16_t)(t->ns_una + n);
	if (t->sent) {
		t->tries = 1;
		t->timeout_ms = t->cfg.first_timeout_ms;
		t->rtx_deadline = now + t->timeout_ms;
	} else {
		t->rtx_deadline = UINT64_MAX;
	}
	l2tp_tunnel_pump(t, now);
	if (t->state == L2TP_TUNNEL_CLOSING && t->count == 0)
		l2tp_tunnel_closed_by_us(t, true);
}

/* ---- building messages ---- */

struct l2tp_out {
	struct pkt_writer w;
	struct l2tp_hide_key key;
	uint8_t random_vector[16];
	bool hide;
	int err;
};

static void l2tp_out_begin(struct l2tp_tunnel *t, struct l2tp_out *o, uint16_t type,
			   uint16_t session_id)
{
	struct l2tp_tx *tx = l2tp_tunnel_slot(t, t->count);

	memset(o, 0, sizeof(*o));
	/* never in SCCRQ: an LNS finds the tunnel's secret only once it knows the tunnel, and
	 * xl2tpd drops a hidden AVP in SCCRQ ("Unable to handle hidden mandatory AVP") */
	o->hide = t->cfg.hide_avps && t->secret && type != L2TP_MSG_SCCRQ;
	o->key.secret = t->secret;
	o->key.secret_len = t->cfg.secret_len;
	if (t->count == L2TP_QUEUE_LEN) {
		o->err = -ENOBUFS;
		return;
	}
	pkt_writer_init(&o->w, tx->buf, sizeof(tx->buf), 0);
	o->err = l2tp_control_begin(&o->w, t->peer_tunnel_id, session_id,
				    (uint16_t)(t->ns_una + t->count), t->nr) ?:
		 l2tp_avp_put_be16(&o->w, true, L2TP_ATTR_MESSAGE_TYPE, type);
}

static void l2tp_out_avp(struct l2tp_tunnel *t, struct l2tp_out *o, bool mandatory,
			 uint16_t type, const void *value, size_t len)
{
	if (o->err)
		return;
	if (!o->hide || !l2tp_avp_hideable(type)) {
		o->err = l2tp_avp_put(&o->w, mandatory, type, value, len);
		return;
	}
	/* one Random Vector per message, before its first hidden AVP (§4.3) */
	if (!o->key.random_vector) {
		o->err = t->ops->random(t->user, o->random_vector, sizeof(o->random_vector)) ?:
			 l2tp_avp_put(&o->w, true, L2TP_ATTR_RANDOM_VECTOR, o->random_vector,
				      sizeof(o->random_vector));
		o->key.random_vector = o->random_vector;
		o->key.random_vector_len = sizeof(o->random_vector);
	}
	if (!o->err)
		o->err = l2tp_avp_put_hidden(&o->w, &o->key, mandatory, type, value, len);
}

static void l2tp_out_be16(struct l2tp_tunnel *t, struct l2tp_out *o, bool mandatory,
			  uint16_t type, uint16_t value)
{
	uint8_t v[2] = { (uint8_t)(value >> 8), (uint8_t)value };

	l2tp_out_avp(t, o, mandatory, type, v, sizeof(v));
}

static void l2tp_out_be32(struct l2tp_tunnel *t, struct l2tp_out *o, bool mandatory,
			  uint16_t type, uint32_t value)
{
	uint8_t v[4] = { (uint8_t)(value >> 24), (uint8_t)(value >> 16), (uint8_t)(value >> 8),
			 (uint8_t)value };

	l2tp_out_avp(t, o, mandatory, type, v, sizeof(v));
}

/* Queues the message as the next Ns and sends it if the peer's window allows. */
static int l2tp_out_queue(struct l2tp_tunnel *t, struct l2tp_out *o, uint64_t now)
{
	int err = o->err ?: l2tp_header_set_length(&o->w);

	if (err)
		return err;
	l2tp_tunnel_slot(t, t->count)->len = pkt_writer_len(&o->w);
	t->count++;
	l2tp_tunnel_pump(t, now);
	return 0;
}

/* A random 16-bit id; §4.4.3 and §4.4.4 want assigned tunnel and session ids non-zero. */
static int l2tp_tunnel_random_id(struct l2tp_tunnel *t, uint16_t *ret)
{
	for (int i = 0; i < 16; i++) {
		uint8_t b[2];
		int err = t->ops->random(t->user, b, sizeof(b));

		if (err)
			return err;
		if (b[0] | b[1]) {
			*ret = (uint16_t)(b[0] << 8 | b[1]);
			return 0;
		}
	}
	return -EIO;
}

static int l2tp_tunnel_send_sccrq(struct l2tp_tunnel *t, uint64_t now)
{
	static const uint8_t version[2] = { 1, 0 }; /* §4.4.3: L2TPv2 is version 1 revision 0 */
	struct l2tp_out o;

	l2tp_out_begin(t, &o, L2TP_MSG_SCCRQ, 0);
	l2tp_out_avp(t, &o, true, L2TP_ATTR_PROTOCOL_VERSION, version, sizeof(version));
	l2tp_out_avp(t, &o, true, L2TP_ATTR_HOST_NAME, t->host_name, strlen(t->host_name));
	l2tp_out_be32(t, &o, true, L2TP_ATTR_FRAMING_CAPS, L2TP_FRAMING_SYNC | L2TP_FRAMING_ASYNC);
	/* no analog or digital lines: roadie takes no outgoing calls */
	l2tp_out_be32(t, &o, true, L2TP_ATTR_BEARER_CAPS, 0);
	l2tp_out_be16(t, &o, false, L2TP_ATTR_FIRMWARE_REVISION, L2TP_FIRMWARE_REVISION);
	l2tp_out_avp(t, &o, false, L2TP_ATTR_VENDOR_NAME, t->vendor_name, strlen(t->vendor_name));
	l2tp_out_be16(t, &o, true, L2TP_ATTR_ASSIGNED_TUNNEL_ID, t->tunnel_id);
	l2tp_out_be16(t, &o, true, L2TP_ATTR_RECEIVE_WINDOW, t->cfg.recv_window);
	if (t->challenged)
		l2tp_out_avp(t, &o, true, L2TP_ATTR_CHALLENGE, t->challenge, sizeof(t->challenge));
	return l2tp_out_queue(t, &o, now);
}

static int l2tp_tunnel_send_scccn(struct l2tp_tunnel *t, const uint8_t *response, uint64_t now)
{
	struct l2tp_out o;

	l2tp_out_begin(t, &o, L2TP_MSG_SCCCN, 0);
	if (response)
		l2tp_out_avp(t, &o, true, L2TP_ATTR_CHALLENGE_RESPONSE, response,
			     L2TP_CHALLENGE_RESPONSE_LEN);
	return l2tp_out_queue(t, &o, now);
}

static int l2tp_tunnel_send_icrq(struct l2tp_tunnel *t, uint64_t now)
{
	uint8_t serial[4];
	struct l2tp_out o;
	int err = t->ops->random(t->user, serial, sizeof(serial));

	if (err)
		return err;
	l2tp_out_begin(t, &o, L2TP_MSG_ICRQ, 0);
	l2tp_out_be16(t, &o, true, L2TP_ATTR_ASSIGNED_SESSION_ID, t->session_id);
	l2tp_out_avp(t, &o, true, L2TP_ATTR_CALL_SERIAL, serial, sizeof(serial));
	return l2tp_out_queue(t, &o, now);
}

static int l2tp_tunnel_send_iccn(struct l2tp_tunnel *t, uint64_t now)
{
	struct l2tp_out o;

	l2tp_out_begin(t, &o, L2TP_MSG_ICCN, t->peer_session_id);
	l2tp_out_be32(t, &o, true, L2TP_ATTR_TX_CONNECT_SPEED, L2TP_TX_CONNECT_SPEED);
	l2tp_out_be32(t, &o, true, L2TP_ATTR_FRAMING_TYPE, L2TP_FRAMING_SYNC);
	return l2tp_out_queue(t, &o, now);
}

static int l2tp_tunnel_send_hello(struct l2tp_tunnel *t, uint64_t now)
{
	struct l2tp_out o;

	l2tp_out_begin(t, &o, L2TP_MSG_HELLO, 0);
	return l2tp_out_queue(t, &o, now);
}

/* Result Code AVPs are never hidden (§4.4.2). */
static void l2tp_out_result(struct l2tp_out *o, uint16_t result, uint16_t error,
			    const char *message)
{
	if (!o->err)
		o->err = l2tp_avp_put_result(&o->w, result, error != 0 || message, error, message);
}

static int l2tp_tunnel_send_cdn(struct l2tp_tunnel *t, uint16_t result, uint16_t error,
				uint64_t now)
{
	struct l2tp_out o;

	l2tp_out_begin(t, &o, L2TP_MSG_CDN, t->peer_session_id);
	l2tp_out_result(&o, result, error, NULL);
	l2tp_out_be16(t, &o, true, L2TP_ATTR_ASSIGNED_SESSION_ID, t->session_id);
	return l2tp_out_queue(t, &o, now);
}

static int l2tp_tunnel_send_stopccn(struct l2tp_tunnel *t, uint16_t result, uint16_t error,
				    const char *message, uint64_t now)
{
	struct l2tp_out o;

	if (!t->peer_tunnel_id)
		return -ENOTCONN;
	l2tp_out_begin(t, &o, L2TP_MSG_STOPCCN, 0);
	l2tp_out_be16(t, &o, true, L2TP_ATTR_ASSIGNED_TUNNEL_ID, t->tunnel_id);
	l2tp_out_result(&o, result, error, message);
	return l2tp_out_queue(t, &o, now);
}

/* ---- the exchange ---- */

int l2tp_tunnel_start(struct l2tp_tunnel *t, uint64_t now_ms)
{
	int err;

	if (t->state != L2TP_TUNNEL_IDLE)
		return -EALREADY;
	err = l2tp_tunnel_random_id(t, &t->tunnel_id);
	if (!err && t->secret) {
		err = t->ops->random(t->user, t->challenge, sizeof(t->challenge));
		t->challenged = !err;
	}
	err = err ?: l2tp_tunnel_send_sccrq(t, now_ms);
	if (err) {
		l2tp_tunnel_end(t, L2TP_TUNNEL_FAILED, L2TP_FAIL_INTERNAL, NULL,
				"roadie could not start the L2TP tunnel (error %d)", err);
		return err;
	}
	l2tp_tunnel_enter_state(t, L2TP_TUNNEL_WAIT_SCCRP);
	return 0;
}

/* Gives up on the tunnel: StopCCN (when the LNS's id is known) and FAILED. */
static void l2tp_tunnel_abort(struct l2tp_tunnel *t, uint64_t now, enum l2tp_failure failure,
			      uint16_t result, uint16_t error, const char *message,
			      const char *format, ...) __attribute__((format(printf, 7, 8)));

static void l2tp_tunnel_abort(struct l2tp_tunnel *t, uint64_t now, enum l2tp_failure failure,
			      uint16_t result, uint16_t error, const char *message,
			      const char *format, ...)
{
	va_list args;

	(void)l2tp_tunnel_send_stopccn(t, result, error, message, now);
	va_start(args, format);
	vsnprintf(t->text, sizeof(t->text), format, args);
	va_end(args);
	t->failure = failure;
	l2tp_tunnel_enter_state(t, L2TP_TUNNEL_FAILED);
	l2tp_tunnel_emit(t, L2TP_EVENT_FAILED, NULL, t->text);
}

static void l2tp_tunnel_on_sccrp(struct l2tp_tunnel *t, const struct l2tp_avps *a, uint64_t now)
{
	uint8_t response[L2TP_CHALLENGE_RESPONSE_LEN], expected[L2TP_CHALLENGE_RESPONSE_LEN];
	bool respond = false;
	int err;

	t->peer_tunnel_id = a->assigned_tunnel_id;
	t->peer_window = l2tp_avps_has(a, L2TP_ATTR_RECEIVE_WINDOW) ? a->receive_window
								    : L2TP_PEER_WINDOW_DEFAULT;
	if (l2tp_avps_has(a, L2TP_ATTR_PROTOCOL_VERSION) && a->version != 1) {
		l2tp_tunnel_abort(t, now, L2TP_FAIL_PROTOCOL, 5, 0, NULL,
				  "the L2TP server speaks L2TP protocol version %u.%u, roadie "
				  "speaks 1.0 (L2TPv2)",
				  a->version, a->revision);
		return;
	}
	if (t->challenged) {
		/* §5.1.1: the SCCRP proves the LNS knows the secret */
		if (!l2tp_avps_has(a, L2TP_ATTR_CHALLENGE_RESPONSE)) {
			l2tp_tunnel_abort(t, now, L2TP_FAIL_AUTHENTICATION, 2, 0,
					  "no challenge response",
					  "the L2TP server did not answer roadie's tunnel "
					  "authentication: configure the same L2TP tunnel secret "
					  "on both sides, or none in roadie");
			return;
		}
		err = l2tp_challenge_response(L2TP_MSG_SCCRP, t->secret, t->cfg.secret_len,
					      t->challenge, sizeof(t->challenge), expected);
		if (err || CRYPTO_memcmp(expected, a->challenge_response, sizeof(expected))) {
			roadie_wipe(expected, sizeof(expected));
			l2tp_tunnel_abort(t, now, L2TP_FAIL_AUTHENTICATION, 2, 0,
					  "challenge response mismatch",
					  "the L2TP server failed tunnel authentication: its L2TP "
					  "tunnel secret differs from roadie's");
			return;
		}
		roadie_wipe(expected, sizeof(expected));
	}
	if (l2tp_avps_has(a, L2TP_ATTR_CHALLENGE)) {
		if (!t->secret) {
			l2tp_tunnel_abort(t, now, L2TP_FAIL_AUTHENTICATION, 2, 0,
					  "no tunnel secret",
					  "the L2TP server requires tunnel authentication, but no "
					  "L2TP tunnel secret is configured");
			return;
		}
		if (l2tp_challenge_response(L2TP_MSG_SCCCN, t->secret, t->cfg.secret_len,
					    a->challenge, a->challenge_len, response)) {
			l2tp_tunnel_abort(t, now, L2TP_FAIL_INTERNAL, 2, 0, NULL,
					  "roadie could not compute the L2TP challenge response");
			return;
		}
		respond = true;
	}
	err = l2tp_tunnel_send_scccn(t, respond ? response : NULL, now);
	roadie_wipe(response, sizeof(response));
	err = err ?: l2tp_tunnel_random_id(t, &t->session_id);
	err = err ?: l2tp_tunnel_send_icrq(t, now);
	if (err) {
		l2tp_tunnel_abort(t, now, L2TP_FAIL_INTERNAL, 2, 4, NULL,
				  "roadie could not continue the L2TP tunnel (error %d)", err);
		return;
	}
	l2tp_tunnel_enter_state(t, L2TP_TUNNEL_WAIT_ICRP);
	l2tp_tunnel_emit(t, L2TP_EVENT_TUNNEL_UP, NULL, "the L2TP tunnel is up");
}

static void l2tp_tunnel_on_icrp(struct l2tp_tunnel *t, const struct l2tp_avps *a, uint64_t now)
{
	int err;

	t->peer_session_id = a->assigned_session_id;
	err = l2tp_tunnel_send_iccn(t, now);
	if (err) {
		l2tp_tunnel_abort(t, now, L2TP_FAIL_INTERNAL, 2, 4, NULL,
				  "roadie could not continue the L2TP session (error %d)", err);
		return;
	}
	l2tp_tunnel_enter_state(t, L2TP_TUNNEL_ESTABLISHED);
	l2tp_tunnel_emit(t, L2TP_EVENT_SESSION_UP, NULL, "the L2TP session is up");
}

/* §5.7: acknowledge at once, forget what we had queued, and say why it ended. */
static void l2tp_tunnel_on_stopccn(struct l2tp_tunnel *t, const struct l2tp_avps *a)
{
	const struct l2tp_result *res = l2tp_avps_has(a, L2TP_ATTR_RESULT_CODE) ? &a->result : NULL;
	char text[sizeof(t->text)];

	if (!t->peer_tunnel_id && l2tp_avps_has(a, L2TP_ATTR_ASSIGNED_TUNNEL_ID))
		t->peer_tunnel_id = a->assigned_tunnel_id;
	l2tp_tunnel_send_zlb(t);
	l2tp_tunnel_flush(t);
	if (res)
		l2tp_result_text(false, res, text, sizeof(text));
	else
		snprintf(text, sizeof(text), "the L2TP server closed the tunnel");
	switch (t->state) {
	case L2TP_TUNNEL_WAIT_SCCRP:
	case L2TP_TUNNEL_WAIT_ICRP:
		l2tp_tunnel_end(t, L2TP_TUNNEL_FAILED, L2TP_FAIL_REFUSED, res, "%s", text);
		break;
	case L2TP_TUNNEL_ESTABLISHED:
		l2tp_tunnel_end(t, L2TP_TUNNEL_CLOSED, L2TP_FAIL_NONE, res, "%s", text);
		break;
	case L2TP_TUNNEL_CLOSING:
		l2tp_tunnel_closed_by_us(t, true);
		break;
	case L2TP_TUNNEL_IDLE:
	case L2TP_TUNNEL_CLOSED:
	case L2TP_TUNNEL_FAILED:
		break;
	}
}

/* The LNS ended our session (§5.6); a LAC without a session has no use for the tunnel. */
static void l2tp_tunnel_on_cdn(struct l2tp_tunnel *t, const struct l2tp_avps *a, uint64_t now)
{
	const struct l2tp_result *res = l2tp_avps_has(a, L2TP_ATTR_RESULT_CODE) ? &a->result : NULL;
	char text[sizeof(t->text)];

	if (res)
		l2tp_result_text(true, res, text, sizeof(text));
	else
		snprintf(text, sizeof(text), "the L2TP server closed the session");
	switch (t->state) {
	case L2TP_TUNNEL_WAIT_ICRP:
	case L2TP_TUNNEL_ESTABLISHED:
		(void)l2tp_tunnel_send_stopccn(t, 1, 0, NULL, now);
		if (t->state == L2TP_TUNNEL_WAIT_ICRP)
			l2tp_tunnel_end(t, L2TP_TUNNEL_FAILED, L2TP_FAIL_REFUSED, res, "%s", text);
		else
			l2tp_tunnel_end(t, L2TP_TUNNEL_CLOSED, L2TP_FAIL_NONE, res, "%s", text);
		break;
	case L2TP_TUNNEL_WAIT_SCCRP:
		l2tp_tunnel_drop(t, L2TP_DROP_UNEXPECTED);
		break;
	case L2TP_TUNNEL_CLOSING: /* it crossed ours */
	case L2TP_TUNNEL_IDLE:
	case L2TP_TUNNEL_CLOSED:
	case L2TP_TUNNEL_FAILED:
		break;
	}
}

/*
 * §4.1: an unrecognised AVP with the M bit (or, §4.4.1, an unknown message type with it)
 * ends the session when the message is about a session, else the whole tunnel. roadie has
 * one session, so the tunnel goes either way, with CDN first for a session.
 */
static void l2tp_tunnel_on_unknown_mandatory(struct l2tp_tunnel *t, const struct l2tp_avps *a,
					     bool unknown_type, uint64_t now)
{
	bool session = !unknown_type && l2tp_message_is_session(a->message_type);
	char name[32];

	if (!t->peer_tunnel_id && l2tp_avps_has(a, L2TP_ATTR_ASSIGNED_TUNNEL_ID))
		t->peer_tunnel_id = a->assigned_tunnel_id;
	if (unknown_type) {
		l2tp_tunnel_abort(t, now, L2TP_FAIL_PROTOCOL, 2, 8, NULL,
				  "the L2TP server sent a control message roadie does not know "
				  "(message type %u) and marked it mandatory: closing the tunnel",
				  a->message_type);
		return;
	}
	if (session) {
		if (!t->peer_session_id && a->message_type == L2TP_MSG_ICRP &&
		    l2tp_avps_has(a, L2TP_ATTR_ASSIGNED_SESSION_ID))
			t->peer_session_id = a->assigned_session_id;
		if (t->peer_session_id)
			(void)l2tp_tunnel_send_cdn(t, 2, 8, now);
	}
	l2tp_tunnel_abort(t, now, L2TP_FAIL_PROTOCOL, session ? 1 : 2, session ? 0 : 8, NULL,
			  "the L2TP server sent an attribute roadie does not know (vendor %u, "
			  "type %u, in %s) and marked it mandatory: closing the %s",
			  a->unknown_vendor, a->unknown_type,
			  l2tp_message_name(a->message_type, name, sizeof(name)),
			  session ? "session" : "tunnel");
}

/* Structure the dispatch relies on (required AVPs, §6); a failure drops the message
 * unacknowledged, as if it had never come. */
static bool l2tp_tunnel_verify(const struct l2tp_avps *a)
{
	switch (a->message_type) {
	case L2TP_MSG_SCCRP:
		return a->assigned_tunnel_id != 0 &&
		       (!l2tp_avps_has(a, L2TP_ATTR_RECEIVE_WINDOW) || a->receive_window != 0);
	case L2TP_MSG_ICRP:
		return a->assigned_session_id != 0;
	default:
		return true;
	}
}

static void l2tp_tunnel_dispatch(struct l2tp_tunnel *t, const struct l2tp_header *h,
				 const struct l2tp_avps *a, uint64_t now)
{
	char name[32];
	/* the name comes from our table unless the type is unknown */
	bool known = l2tp_message_name(a->message_type, name, sizeof(name)) != name;

	if (l2tp_message_is_session(a->message_type) && h->session_id != t->session_id) {
		l2tp_tunnel_drop(t, L2TP_DROP_WRONG_SESSION);
		return;
	}
	if (a->message_type == L2TP_MSG_STOPCCN) {
		l2tp_tunnel_on_stopccn(t, a);
		return;
	}
	if (a->message_type == L2TP_MSG_CDN) {
		l2tp_tunnel_on_cdn(t, a, now);
		return;
	}
	if (l2tp_tunnel_over(t) || t->state == L2TP_TUNNEL_CLOSING) {
		l2tp_tunnel_drop(t, L2TP_DROP_UNEXPECTED);
		return;
	}
	if (!known && a->message_type_mandatory) {
		l2tp_tunnel_on_unknown_mandatory(t, a, true, now);
		return;
	}
	if (a->unknown_mandatory) {
		l2tp_tunnel_on_unknown_mandatory(t, a, false, now);
		return;
	}
	switch (a->message_type) {
	case L2TP_MSG_SCCRP:
		if (t->state == L2TP_TUNNEL_WAIT_SCCRP)
			l2tp_tunnel_on_sccrp(t, a, now);
		else
			l2tp_tunnel_drop(t, L2TP_DROP_UNEXPECTED);
		break;
	case L2TP_MSG_ICRP:
		if (t->state == L2TP_TUNNEL_WAIT_ICRP)
			l2tp_tunnel_on_icrp(t, a, now);
		else
			l2tp_tunnel_drop(t, L2TP_DROP_UNEXPECTED);
		break;
	case L2TP_MSG_HELLO:
	case L2TP_MSG_SLI: /* PPP ACCM for an async line: nothing to do over IP */
		break;
	default:
		l2tp_tunnel_drop(t, L2TP_DROP_UNEXPECTED);
		break;
	}
}

void l2tp_tunnel_receive(struct l2tp_tunnel *t, const uint8_t *data, size_t len, uint64_t now_ms)
{
	struct l2tp_header h;
	struct pkt_reader body;
	struct l2tp_avps a;
	uint16_t acked, ahead;
	int err;

	if (t->state == L2TP_TUNNEL_IDLE) {
		l2tp_tunnel_drop(t, L2TP_DROP_UNEXPECTED);
		return;
	}
	err = l2tp_control_parse(data, len, &h, &body);
	if (err) {
		l2tp_tunnel_drop(t, err == -ENOMSG ? L2TP_DROP_NOT_CONTROL : L2TP_DROP_MALFORMED);
		return;
	}
	if (h.tunnel_id != t->tunnel_id) {
		l2tp_tunnel_drop(t, L2TP_DROP_WRONG_TUNNEL);
		return;
	}
	/* Nr may lag (an old retransmission: it acknowledges nothing new) but never lead */
	acked = (uint16_t)(h.nr - t->ns_una);
	if (acked & 0x8000)
		acked = 0;
	else if (acked > t->sent) {
		l2tp_tunnel_drop(t, L2TP_DROP_BAD_NR);
		return;
	}
	if (pkt_remaining(&body) == 0) {
		/* a ZLB: an acknowledgement only, its Ns is not a message of its own (§5.8) */
		t->last_rx = now_ms;
		l2tp_tunnel_acked(t, acked, now_ms);
		return;
	}
	ahead = (uint16_t)(h.ns - t->nr);
	if (ahead & 0x8000) {
		/* we had it: our ack went missing, so send it again (§5.8) */
		l2tp_tunnel_drop(t, L2TP_DROP_DUPLICATE);
		t->last_rx = now_ms;
		l2tp_tunnel_acked(t, acked, now_ms);
		l2tp_tunnel_send_zlb(t);
		return;
	}
	if (ahead) {
		/* not queued: the LNS sends it again after the gap is filled */
		l2tp_tunnel_drop(t, ahead < t->cfg.recv_window ? L2TP_DROP_OUT_OF_ORDER
							     : L2TP_DROP_BEYOND_WINDOW);
		return;
	}
	err = l2tp_avps_parse(&body, t->secret, t->cfg.secret_len, &a);
	if (err || !l2tp_tunnel_verify(&a)) {
		l2tp_tunnel_drop(t, err == -ENOKEY ? L2TP_DROP_HIDDEN_NO_SECRET
						   : L2TP_DROP_MALFORMED);
		return;
	}
	/* delivered: from here on the message counts and is acknowledged, whatever it says */
	t->nr++;
	t->last_rx = now_ms;
	t->ack_pending = true;
	t->ack_deadline = now_ms + L2TP_ACK_DELAY_MS;
	l2tp_tunnel_acked(t, acked, now_ms);
	l2tp_tunnel_dispatch(t, &h, &a, now_ms);
	roadie_wipe(&a, sizeof(a));
}

static uint64_t l2tp_tunnel_hello_deadline(const struct l2tp_tunnel *t)
{
	if ((t->state != L2TP_TUNNEL_WAIT_ICRP && t->state != L2TP_TUNNEL_ESTABLISHED) ||
	    t->count)
		return UINT64_MAX;
	return t->last_rx + (uint64_t)t->cfg.hello_interval_s * 1000;
}

static void l2tp_tunnel_give_up(struct l2tp_tunnel *t)
{
	l2tp_tunnel_flush(t);
	t->ack_pending = false;
	switch (t->state) {
	case L2TP_TUNNEL_WAIT_SCCRP:
	case L2TP_TUNNEL_WAIT_ICRP:
	case L2TP_TUNNEL_ESTABLISHED:
		l2tp_tunnel_end(t, L2TP_TUNNEL_FAILED, L2TP_FAIL_NO_ANSWER, NULL,
				"no answer from the L2TP server after %u tries%s", t->tries,
				t->drops[L2TP_DROP_HIDDEN_NO_SECRET]
					? " (it hides attributes with a tunnel secret, and roadie "
					  "has none configured)"
					: "");
		break;
	case L2TP_TUNNEL_CLOSING:
		l2tp_tunnel_closed_by_us(t, false);
		break;
	case L2TP_TUNNEL_IDLE:
	case L2TP_TUNNEL_CLOSED:
	case L2TP_TUNNEL_FAILED:
		break; /* a last StopCCN went unacknowledged: nothing more to say */
	}
}

void l2tp_tunnel_tick(struct l2tp_tunnel *t, uint64_t now_ms)
{
	if (t->rtx_deadline <= now_ms) {
		if (t->tries >= t->cfg.tries) {
			l2tp_tunnel_give_up(t);
		} else {
			uint32_t cap = t->cfg.first_timeout_ms > L2TP_MAX_TIMEOUT_MS
					       ? t->cfg.first_timeout_ms
					       : L2TP_MAX_TIMEOUT_MS;

			t->tries++;
			t->timeout_ms = t->timeout_ms > cap / 2 ? cap : t->timeout_ms * 2;
			t->rtx_deadline = now_ms + t->timeout_ms;
			for (unsigned i = 0; i < t->sent; i++)
				l2tp_tunnel_transmit(t, i);
		}
	}
	if (t->ack_pending && t->ack_deadline <= now_ms)
		l2tp_tunnel_send_zlb(t);
	if (l2tp_tunnel_hello_deadline(t) <= now_ms && l2tp_tunnel_send_hello(t, now_ms))
		l2tp_tunnel_end(t, L2TP_TUNNEL_FAILED, L2TP_FAIL_INTERNAL, NULL,
				"roadie could not send an L2TP HELLO");
}

uint64_t l2tp_tunnel_next_deadline(const struct l2tp_tunnel *t)
{
	uint64_t d = t->rtx_deadline;
	uint64_t hello = l2tp_tunnel_hello_deadline(t);

	if (t->ack_pending && t->peer_tunnel_id && t->ack_deadline < d)
		d = t->ack_deadline;
	return hello < d ? hello : d;
}

void l2tp_tunnel_peer_alive(struct l2tp_tunnel *t, uint64_t now_ms)
{
	if (now_ms > t->last_rx)
		t->last_rx = now_ms;
}

void l2tp_tunnel_close(struct l2tp_tunnel *t, uint64_t now_ms)
{
	int err = 0;

	switch (t->state) {
	case L2TP_TUNNEL_IDLE:
	case L2TP_TUNNEL_WAIT_SCCRP:
		/* the LNS's tunnel id is unknown: nothing can be sent */
		l2tp_tunnel_flush(t);
		l2tp_tunnel_closed_by_us(t, true);
		return;
	case L2TP_TUNNEL_ESTABLISHED:
	case L2TP_TUNNEL_WAIT_ICRP:
		/* §5.6, §5.7: clear the session (3: administrative) if there is one, then the tunnel;
		 * queued behind anything unacknowledged, so they arrive in order */
		if (t->state == L2TP_TUNNEL_ESTABLISHED)
			err = l2tp_tunnel_send_cdn(t, 3, 0, now_ms);
		err = err ?: l2tp_tunnel_send_stopccn(t, 1, 0, NULL, now_ms);
		if (err) {
			l2tp_tunnel_flush(t);
			l2tp_tunnel_closed_by_us(t, false);
			return;
		}
		l2tp_tunnel_enter_state(t, L2TP_TUNNEL_CLOSING);
		return;
	case L2TP_TUNNEL_CLOSING:
	case L2TP_TUNNEL_CLOSED:
	case L2TP_TUNNEL_FAILED:
		return;
	}
}

enum l2tp_tunnel_state l2tp_tunnel_state(const struct l2tp_tunnel *t)
{
	return t->state;
}

enum l2tp_failure l2tp_tunnel_failure(const struct l2tp_tunnel *t)
{
	return t->failure;
}

const char *l2tp_tunnel_text(const struct l2tp_tunnel *t)
{
	return t->text;
}

uint64_t l2tp_tunnel_drops(const struct l2tp_tunnel *t, enum l2tp_drop reason)
{
	return reason < L2TP_DROP_COUNT ? t->drops[reason] : 0;
}

uint16_t l2tp_tunnel_id(const struct l2tp_tunnel *t)
{
	return t->tunnel_id;
}

uint16_t l2tp_tunnel_peer_id(const struct l2tp_tunnel *t)
{
	return t->peer_tunnel_id;
}

uint16_t l2tp_tunnel_session_id(const struct l2tp_tunnel *t)
{
	return t->session_id;
}

uint16_t l2tp_tunnel_peer_session_id(const struct l2tp_tunnel *t)
{
	return t->peer_session_id;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>
#include <glib.h>

#include "ppp-fsm.h"

/*
 * RFC 1661 §4.1, the state transition table, as the functions below implement it
 * (irc: initialize restart count, zrc: zero it, scr/sca/scn/str/sta/scj: send
 * Configure-Request/-Ack/-Nak, Terminate-Request/-Ack, Code-Reject; tlu/tld/tls/tlf:
 * this-layer-up/-down/-started/-finished):
 *
 *        Initial  Starting  Closed       Stopped       Closing  Stopping
 *  Up    2        irc,scr/6 -            -             -        -
 *  Down  -        -         0            tls/1         0        1
 *  Open  tls/1    1         irc,scr/6    3             5        5
 *  Close 0        tlf/0     2            2             4        4
 *  TO+   -        -         -            -             str/4    str/5
 *  TO-   -        -         -            -             tlf/2    tlf/3
 *  RCR+  -        -         sta/2        irc,scr,sca/8 4        5
 *  RCR-  -        -         sta/2        irc,scr,scn/6 4        5
 *  RCA   -        -         sta/2        sta/3         4        5
 *  RCN   -        -         sta/2        sta/3         4        5
 *  RTR   -        -         sta/2        sta/3         sta/4    sta/5
 *  RTA   -        -         2            3             tlf/2    tlf/3
 *  RUC   -        -         scj/2        scj/3         scj/4    scj/5
 *  RXJ+  -        -         2            3             4        5
 *  RXJ-  -        -         tlf/2        tlf/3         tlf/2    tlf/3
 *
 *        Req-Sent   Ack-Rcvd   Ack-Sent   Opened
 *  Down  1          1          1          tld/1
 *  Close irc,str/4  irc,str/4  irc,str/4  tld,irc,str/4
 *  TO+   scr/6      scr/6      scr/8      -
 *  TO-   tlf/3      tlf/3      tlf/3      -
 *  RCR+  sca/8      sca,tlu/9  sca/8      tld,scr,sca/8
 *  RCR-  scn/6      scn/7      scn/8      tld,scr,scn/6
 *  RCA   irc/7      scr/6      irc,tlu/9  tld,scr/6
 *  RCN   irc,scr/6  scr/6      irc,scr/8  tld,scr/6
 *  RTR   sta/6      sta/6      sta/6      tld,zrc,sta/5
 *  RTA   6          6          8          tld,scr/6
 *  RUC   scj/6      scj/7      scj/8      scj/9
 *  RXJ-  tlf/3      tlf/3      tlf/3      tld,irc,str/5
 *
 * Two liberties: in Opened, RTR sends the Terminate-Ack before this-layer-down, so the
 * owner may tear the link down on the event; and the state is written before tlu/tlf run,
 * so an owner that reacts inside them sees where the automaton is.
 */

const char *ppp_fsm_state_name(enum ppp_fsm_state state)
{
	switch (state) {
	case PPP_FSM_INITIAL:
		return "initial";
	case PPP_FSM_STARTING:
		return "starting";
	case PPP_FSM_CLOSED:
		return "closed";
	case PPP_FSM_STOPPED:
		return "stopped";
	case PPP_FSM_CLOSING:
		return "closing";
	case PPP_FSM_STOPPING:
		return "stopping";
	case PPP_FSM_REQ_SENT:
		return "req-sent";
	case PPP_FSM_ACK_RCVD:
		return "ack-rcvd";
	case PPP_FSM_ACK_SENT:
		return "ack-sent";
	case PPP_FSM_OPENED:
		return "opened";
	}
	return "unknown";
}

void ppp_fsm_init(struct ppp_fsm *f, const struct ppp_fsm_callbacks *cb, void *ctx,
		  ppp_fsm_output_fn output)
{
	memset(f, 0, sizeof(*f));
	f->cb = cb;
	f->ctx = ctx;
	f->output = output;
	f->state = PPP_FSM_INITIAL;
	f->deadline = UINT64_MAX;
}

/* The only writer of f->state. The restart timer runs only while a request is out. */
static void ppp_fsm_enter(struct ppp_fsm *f, enum ppp_fsm_state state)
{
	f->state = state;
	switch (state) {
	case PPP_FSM_CLOSING:
	case PPP_FSM_STOPPING:
	case PPP_FSM_REQ_SENT:
	case PPP_FSM_ACK_RCVD:
	case PPP_FSM_ACK_SENT:
		break;
	case PPP_FSM_OPENED:
		f->why = PPP_FSM_WHY_NONE;
		f->deadline = UINT64_MAX;
		break;
	case PPP_FSM_INITIAL:
	case PPP_FSM_STARTING:
	case PPP_FSM_CLOSED:
	case PPP_FSM_STOPPED:
		f->deadline = UINT64_MAX;
		break;
	}
}

uint8_t ppp_fsm_next_id(struct ppp_fsm *f)
{
	return ++f->id;
}

int ppp_fsm_send(struct ppp_fsm *f, uint8_t code, uint8_t id, const void *data, size_t len)
{
	uint8_t buf[PPP_FSM_MAX_PACKET];
	struct pkt_writer w;
	int err;

	pkt_writer_init(&w, buf, sizeof(buf), 0);
	err = pkt_put_u8(&w, code) || pkt_put_u8(&w, id) ||
	      pkt_put_be16(&w, (uint16_t)(PPP_HEADER_LEN + len)) ||
	      (len && pkt_put_bytes(&w, data, len));
	if (err)
		return -EMSGSIZE;
	f->output(f->ctx, f->cb->protocol, buf, pkt_writer_len(&w));
	return 0;
}

int ppp_fsm_next_option(struct pkt_reader *opts, uint8_t *ret_type, struct pkt_reader *ret_value)
{
	struct pkt_reader r = *opts, value;
	uint8_t type, len;

	if (pkt_remaining(&r) == 0)
		return 0;
	if (pkt_get_u8(&r, &type) || pkt_get_u8(&r, &len) || len < 2 ||
	    pkt_get_sub(&r, len - 2u, &value))
		return -EBADMSG;
	*opts = r;
	*ret_type = type;
	*ret_value = value;
	return 1;
}

int ppp_fsm_put_option(struct pkt_writer *w, uint8_t type, const void *value, size_t len)
{
	if (len > 253)
		return -EMSGSIZE;
	if (pkt_writer_tailroom(w) < 2 + len)
		return -EMSGSIZE;
	(void)pkt_put_u8(w, type);
	(void)pkt_put_u8(w, (uint8_t)(2 + len));
	return len ? pkt_put_bytes(w, value, len) : 0;
}

/* Structure only: every option has Length >= 2 and stays inside the packet. */
static int ppp_fsm_check_options(struct pkt_reader opts)
{
	struct pkt_reader value;
	uint8_t type;
	int r;

	while ((r = ppp_fsm_next_option(&opts, &type, &value)) == 1)
		;
	return r;
}

/* ---- actions ---- */

static void ppp_fsm_irc(struct ppp_fsm *f, unsigned max)
{
	f->restart = max;
}

static void ppp_fsm_zrc(struct ppp_fsm *f)
{
	f->restart = 0;
	f->deadline = f->now + PPP_FSM_RESTART_MS;
}

/* scr; @fresh: a new negotiation starts (reset the options and Max-Failure). */
static void ppp_fsm_scr(struct ppp_fsm *f, bool fresh)
{
	uint8_t buf[PPP_FSM_MAX_REQUEST];
	struct pkt_writer w;

	if (fresh) {
		f->cb->reset(f);
		f->naks_sent = 0;
		ppp_fsm_irc(f, PPP_FSM_MAX_CONFIGURE);
	}
	pkt_writer_init(&w, buf, sizeof(buf), 0);
	if (f->cb->build_request(f, &w))
		pkt_writer_init(&w, buf, sizeof(buf), 0); /* cannot happen: our options are few */
	f->req_len = pkt_writer_len(&w);
	memcpy(f->req, buf, f->req_len);
	f->req_id = ppp_fsm_next_id(f);
	f->req_answered = false;
	(void)ppp_fsm_send(f, PPP_CONF_REQ, f->req_id, f->req, f->req_len);
	if (f->restart)
		f->restart--;
	f->deadline = f->now + PPP_FSM_RESTART_MS;
}

static void ppp_fsm_str(struct ppp_fsm *f)
{
	(void)ppp_fsm_send(f, PPP_TERM_REQ, ppp_fsm_next_id(f), NULL, 0);
	if (f->restart)
		f->restart--;
	f->deadline = f->now + PPP_FSM_RESTART_MS;
}

static void ppp_fsm_sta(struct ppp_fsm *f, uint8_t id)
{
	(void)ppp_fsm_send(f, PPP_TERM_ACK, id, NULL, 0);
}

/* Code-Reject carries the rejected packet, cut to fit (RFC 1661 §5.6). */
static void ppp_fsm_scj(struct ppp_fsm *f, struct pkt_reader packet)
{
	const uint8_t *data;
	size_t len;

	pkt_get_rest(&packet, &data, &len);
	len = MIN(len, (size_t)PPP_FSM_MAX_PACKET - PPP_HEADER_LEN);
	(void)ppp_fsm_send(f, PPP_CODE_REJ, ppp_fsm_next_id(f), data, len);
}

static void ppp_fsm_tlu(struct ppp_fsm *f)
{
	f->cb->up(f);
}

static void ppp_fsm_tld(struct ppp_fsm *f)
{
	f->cb->down(f);
}

static void ppp_fsm_tls(struct ppp_fsm *f)
{
	if (f->cb->started)
		f->cb->started(f);
}

static void ppp_fsm_tlf(struct ppp_fsm *f, enum ppp_fsm_why why)
{
	f->why = why;
	f->cb->finished(f);
}

/* ---- events from outside ---- */

void ppp_fsm_up(struct ppp_fsm *f, uint64_t now)
{
	f->now = now;
	switch (f->state) {
	case PPP_FSM_INITIAL:
		ppp_fsm_enter(f, PPP_FSM_CLOSED);
		break;
	case PPP_FSM_STARTING:
		ppp_fsm_irc(f, PPP_FSM_MAX_CONFIGURE);
		f->heard = false;
		ppp_fsm_scr(f, true);
		ppp_fsm_enter(f, PPP_FSM_REQ_SENT);
		break;
	case PPP_FSM_CLOSED:
	case PPP_FSM_STOPPED:
	case PPP_FSM_CLOSING:
	case PPP_FSM_STOPPING:
	case PPP_FSM_REQ_SENT:
	case PPP_FSM_ACK_RCVD:
	case PPP_FSM_ACK_SENT:
	case PPP_FSM_OPENED:
		break;
	}
}

void ppp_fsm_down(struct ppp_fsm *f, uint64_t now)
{
	f->now = now;
	switch (f->state) {
	case PPP_FSM_CLOSED:
	case PPP_FSM_CLOSING:
		ppp_fsm_enter(f, PPP_FSM_INITIAL);
		break;
	case PPP_FSM_STOPPED:
		ppp_fsm_enter(f, PPP_FSM_STARTING);
		ppp_fsm_tls(f);
		break;
	case PPP_FSM_STOPPING:
	case PPP_FSM_REQ_SENT:
	case PPP_FSM_ACK_RCVD:
	case PPP_FSM_ACK_SENT:
		ppp_fsm_enter(f, PPP_FSM_STARTING);
		break;
	case PPP_FSM_OPENED:
		ppp_fsm_enter(f, PPP_FSM_STARTING);
		ppp_fsm_tld(f);
		break;
	case PPP_FSM_INITIAL:
	case PPP_FSM_STARTING:
		break;
	}
}

void ppp_fsm_open(struct ppp_fsm *f, uint64_t now)
{
	f->now = now;
	switch (f->state) {
	case PPP_FSM_INITIAL:
		ppp_fsm_enter(f, PPP_FSM_STARTING);
		ppp_fsm_tls(f);
		break;
	case PPP_FSM_CLOSED:
		ppp_fsm_irc(f, PPP_FSM_MAX_CONFIGURE);
		f->heard = false;
		ppp_fsm_scr(f, true);
		ppp_fsm_enter(f, PPP_FSM_REQ_SENT);
		break;
	case PPP_FSM_CLOSING:
		ppp_fsm_enter(f, PPP_FSM_STOPPING);
		break;
	case PPP_FSM_STARTING:
	case PPP_FSM_STOPPED:
	case PPP_FSM_STOPPING:
	case PPP_FSM_REQ_SENT:
	case PPP_FSM_ACK_RCVD:
	case PPP_FSM_ACK_SENT:
	case PPP_FSM_OPENED:
		break;
	}
}

void ppp_fsm_close(struct ppp_fsm *f, uint64_t now)
{
	f->now = now;
	switch (f->state) {
	case PPP_FSM_STARTING:
		ppp_fsm_enter(f, PPP_FSM_INITIAL);
		ppp_fsm_tlf(f, PPP_FSM_WHY_CLOSED);
		break;
	case PPP_FSM_STOPPED:
		ppp_fsm_enter(f, PPP_FSM_CLOSED);
		break;
	case PPP_FSM_STOPPING:
		ppp_fsm_enter(f, PPP_FSM_CLOSING);
		break;
	case PPP_FSM_OPENED:
		ppp_fsm_enter(f, PPP_FSM_CLOSING);
		ppp_fsm_tld(f);
		ppp_fsm_irc(f, PPP_FSM_MAX_TERMINATE);
		ppp_fsm_str(f);
		break;
	case PPP_FSM_REQ_SENT:
	case PPP_FSM_ACK_RCVD:
	case PPP_FSM_ACK_SENT:
		ppp_fsm_enter(f, PPP_FSM_CLOSING);
		ppp_fsm_irc(f, PPP_FSM_MAX_TERMINATE);
		ppp_fsm_str(f);
		break;
	case PPP_FSM_INITIAL:
	case PPP_FSM_CLOSED:
	case PPP_FSM_CLOSING:
		break;
	}
}

void ppp_fsm_tick(struct ppp_fsm *f, uint64_t now)
{
	bool plus;

	if (now < f->deadline)
		return;
	f->now = now;
	f->deadline = UINT64_MAX;
	plus = f->restart > 0;
	switch (f->state) {
	case PPP_FSM_CLOSING:
	case PPP_FSM_STOPPING:
		if (plus) {
			ppp_fsm_str(f);
		} else {
			enum ppp_fsm_why why = f->state == PPP_FSM_CLOSING ? PPP_FSM_WHY_CLOSED :
									  PPP_FSM_WHY_PEER_TERM;

			/* an RXJ- sent us to Stopping: keep that reason */
			if (f->why == PPP_FSM_WHY_REJECTED)
				why = PPP_FSM_WHY_REJECTED;
			ppp_fsm_enter(f, f->state == PPP_FSM_CLOSING ? PPP_FSM_CLOSED :
								      PPP_FSM_STOPPED);
			ppp_fsm_tlf(f, why);
		}
		break;
	case PPP_FSM_REQ_SENT:
	case PPP_FSM_ACK_RCVD:
	case PPP_FSM_ACK_SENT:
		if (plus) {
			ppp_fsm_scr(f, false);
			if (f->state == PPP_FSM_ACK_RCVD)
				ppp_fsm_enter(f, PPP_FSM_REQ_SENT);
		} else {
			ppp_fsm_enter(f, PPP_FSM_STOPPED);
			ppp_fsm_tlf(f, PPP_FSM_WHY_TIMEOUT);
		}
		break;
	case PPP_FSM_INITIAL:
	case PPP_FSM_STARTING:
	case PPP_FSM_CLOSED:
	case PPP_FSM_STOPPED:
	case PPP_FSM_OPENED:
		break;
	}
}

uint64_t ppp_fsm_deadline(const struct ppp_fsm *f)
{
	return f->deadline;
}

/* RXJ- (RFC 1661 §4.1): the peer cannot do what this protocol needs. */
static void ppp_fsm_rxj_minus(struct ppp_fsm *f)
{
	switch (f->state) {
	case PPP_FSM_CLOSED:
	case PPP_FSM_CLOSING:
		ppp_fsm_enter(f, PPP_FSM_CLOSED);
		ppp_fsm_tlf(f, PPP_FSM_WHY_REJECTED);
		break;
	case PPP_FSM_STOPPED:
	case PPP_FSM_STOPPING:
	case PPP_FSM_REQ_SENT:
	case PPP_FSM_ACK_RCVD:
	case PPP_FSM_ACK_SENT:
		ppp_fsm_enter(f, PPP_FSM_STOPPED);
		ppp_fsm_tlf(f, PPP_FSM_WHY_REJECTED);
		break;
	case PPP_FSM_OPENED:
		ppp_fsm_enter(f, PPP_FSM_STOPPING);
		f->why = PPP_FSM_WHY_REJECTED;
		ppp_fsm_tld(f);
		ppp_fsm_irc(f, PPP_FSM_MAX_TERMINATE);
		ppp_fsm_str(f);
		break;
	case PPP_FSM_INITIAL:
	case PPP_FSM_STARTING:
		break;
	}
}

void ppp_fsm_protocol_rejected(struct ppp_fsm *f, uint64_t now)
{
	f->now = now;
	ppp_fsm_rxj_minus(f);
}

/* ---- received packets ---- */

/*
 * The peer's Configure-Request: judge every option first (nothing committed), then answer
 * with an Ack of the whole request, a Nak of the options with values we would rather have,
 * or a Reject of the ones we do not know or take (Reject wins over Nak, RFC 1661 §5.4).
 * After Max-Failure Naks without an Ack, Naks turn into Rejects so negotiation ends.
 */
static int ppp_fsm_rcr(struct ppp_fsm *f, uint8_t id, struct pkt_reader opts)
{
	uint8_t nak_buf[PPP_FSM_MAX_PACKET], rej_buf[PPP_FSM_MAX_PACKET];
	struct pkt_writer nak, rej;
	struct pkt_reader walk = opts, value;
	uint8_t type, code;
	int r;

	switch (f->state) {
	case PPP_FSM_INITIAL:
	case PPP_FSM_STARTING:
		return -EPROTO;
	case PPP_FSM_CLOSED:
		ppp_fsm_sta(f, id);
		return 0;
	case PPP_FSM_CLOSING:
	case PPP_FSM_STOPPING:
		return 0;
	case PPP_FSM_STOPPED:
	case PPP_FSM_REQ_SENT:
	case PPP_FSM_ACK_RCVD:
	case PPP_FSM_ACK_SENT:
	case PPP_FSM_OPENED:
		break;
	}
	if (pkt_remaining(&opts) > PPP_FSM_MAX_PACKET - PPP_HEADER_LEN)
		return -EMSGSIZE;

	pkt_writer_init(&nak, nak_buf, sizeof(nak_buf), 0);
	pkt_writer_init(&rej, rej_buf, sizeof(rej_buf), 0);
	while ((r = ppp_fsm_next_option(&walk, &type, &value)) == 1) {
		uint8_t suggestion[PPP_FSM_MAX_PACKET];
		struct pkt_writer one;
		enum ppp_fsm_verdict v;

		pkt_writer_init(&one, suggestion, sizeof(suggestion), 0);
		v = f->cb->check_option(f, type, value, &one);
		if (v == PPP_OPT_NAK && (f->naks_sent >= PPP_FSM_MAX_FAILURE ||
					 pkt_writer_len(&one) == 0))
			v = PPP_OPT_REJ;
		switch (v) {
		case PPP_OPT_ACK:
			break;
		case PPP_OPT_NAK:
			if (pkt_put_bytes(&nak, suggestion, pkt_writer_len(&one)))
				return -EMSGSIZE;
			break;
		case PPP_OPT_REJ:
			if (ppp_fsm_put_option(&rej, type, value.data + value.off,
					       pkt_remaining(&value)))
				return -EMSGSIZE;
			break;
		}
	}
	if (r < 0)
		return r;

	if (pkt_writer_len(&rej))
		code = PPP_CONF_REJ;
	else if (pkt_writer_len(&nak))
		code = PPP_CONF_NAK;
	else
		code = PPP_CONF_ACK;

	/* the actions that precede the answer */
	if (f->state == PPP_FSM_OPENED) {
		ppp_fsm_enter(f, PPP_FSM_REQ_SENT);
		ppp_fsm_tld(f);
		ppp_fsm_scr(f, true);
	} else if (f->state == PPP_FSM_STOPPED) {
		ppp_fsm_irc(f, PPP_FSM_MAX_CONFIGURE);
		ppp_fsm_scr(f, true);
		ppp_fsm_enter(f, PPP_FSM_REQ_SENT);
	}

	if (code == PPP_CONF_ACK) {
		const uint8_t *data;
		size_t len;

		walk = opts;
		f->cb->peer_begin(f);
		while (ppp_fsm_next_option(&walk, &type, &value) == 1)
			f->cb->apply_option(f, type, value);
		pkt_get_rest(&opts, &data, &len);
		(void)ppp_fsm_send(f, PPP_CONF_ACK, id, data, len);
		f->naks_sent = 0;
		if (f->state == PPP_FSM_ACK_RCVD) {
			ppp_fsm_enter(f, PPP_FSM_OPENED);
			ppp_fsm_tlu(f);
		} else {
			ppp_fsm_enter(f, PPP_FSM_ACK_SENT);
		}
	} else {
		struct pkt_writer *w = code == PPP_CONF_REJ ? &rej : &nak;

		(void)ppp_fsm_send(f, code, id, pkt_writer_data(w), pkt_writer_len(w));
		if (code == PPP_CONF_NAK)
			f->naks_sent++;
		if (f->state == PPP_FSM_ACK_SENT)
			ppp_fsm_enter(f, PPP_FSM_REQ_SENT);
	}
	return 0;
}

/*
 * What RCA and RCN (RFC 1661 §4.1) share before they differ: outside negotiation the table's
 * answer (-EPROTO in Initial and Starting; Terminate-Ack in Closed and Stopped; nothing while
 * closing: 1, handled), and inside it the answer must carry our request's identifier, once
 * (-ESTALE). 0: the caller goes on.
 */
static int ppp_fsm_answer_begin(struct ppp_fsm *f, uint8_t id)
{
	switch (f->state) {
	case PPP_FSM_INITIAL:
	case PPP_FSM_STARTING:
		return -EPROTO;
	case PPP_FSM_CLOSED:
	case PPP_FSM_STOPPED:
		ppp_fsm_sta(f, id);
		return 1;
	case PPP_FSM_CLOSING:
	case PPP_FSM_STOPPING:
		return 1;
	case PPP_FSM_REQ_SENT:
	case PPP_FSM_ACK_RCVD:
	case PPP_FSM_ACK_SENT:
	case PPP_FSM_OPENED:
		break;
	}
	if (id != f->req_id || f->req_answered)
		return -ESTALE;
	return 0;
}

static int ppp_fsm_rca(struct ppp_fsm *f, uint8_t id, struct pkt_reader opts)
{
	int err = ppp_fsm_answer_begin(f, id);

	if (err)
		return err < 0 ? err : 0;
	/* RFC 1661 §5.2: the options must be exactly those we sent */
	if (pkt_remaining(&opts) != f->req_len ||
	    (f->req_len && memcmp(opts.data + opts.off, f->req, f->req_len) != 0))
		return -EBADMSG;
	f->req_answered = true;
	switch (f->state) {
	case PPP_FSM_REQ_SENT:
		ppp_fsm_irc(f, PPP_FSM_MAX_CONFIGURE);
		f->cb->ack_received(f);
		ppp_fsm_enter(f, PPP_FSM_ACK_RCVD);
		/* the timer keeps running: the peer's request may still be on its way */
		break;
	case PPP_FSM_ACK_SENT:
		ppp_fsm_irc(f, PPP_FSM_MAX_CONFIGURE);
		f->cb->ack_received(f);
		ppp_fsm_enter(f, PPP_FSM_OPENED);
		ppp_fsm_tlu(f);
		break;
	case PPP_FSM_ACK_RCVD:
		ppp_fsm_scr(f, false);
		ppp_fsm_enter(f, PPP_FSM_REQ_SENT);
		break;
	case PPP_FSM_OPENED:
		ppp_fsm_enter(f, PPP_FSM_REQ_SENT);
		ppp_fsm_tld(f);
		ppp_fsm_scr(f, true);
		break;
	case PPP_FSM_INITIAL:
	case PPP_FSM_STARTING:
	case PPP_FSM_CLOSED:
	case PPP_FSM_STOPPED:
	case PPP_FSM_CLOSING:
	case PPP_FSM_STOPPING:
		break;
	}
	return 0;
}

/* Configure-Nak and Configure-Reject: both are RCN; the callbacks adjust our next request. */
static int ppp_fsm_rcn(struct ppp_fsm *f, uint8_t code, uint8_t id, struct pkt_reader opts)
{
	struct pkt_reader value;
	uint8_t type;
	int err = ppp_fsm_answer_begin(f, id);

	if (err)
		return err < 0 ? err : 0;
	f->req_answered = true;
	if (f->state == PPP_FSM_OPENED) {
		ppp_fsm_enter(f, PPP_FSM_REQ_SENT);
		ppp_fsm_tld(f);
		f->cb->reset(f);
		f->naks_sent = 0;
	}
	while (ppp_fsm_next_option(&opts, &type, &value) == 1) {
		if (code == PPP_CONF_NAK)
			f->cb->nak_option(f, type, value);
		else
			f->cb->reject_option(f, type, value);
	}
	switch (f->state) {
	case PPP_FSM_REQ_SENT:
	case PPP_FSM_ACK_SENT:
		ppp_fsm_irc(f, PPP_FSM_MAX_CONFIGURE);
		ppp_fsm_scr(f, false);
		break;
	case PPP_FSM_ACK_RCVD:
		ppp_fsm_scr(f, false);
		ppp_fsm_enter(f, PPP_FSM_REQ_SENT);
		break;
	case PPP_FSM_INITIAL:
	case PPP_FSM_STARTING:
	case PPP_FSM_CLOSED:
	case PPP_FSM_STOPPED:
	case PPP_FSM_CLOSING:
	case PPP_FSM_STOPPING:
	case PPP_FSM_OPENED:
		break;
	}
	return 0;
}

static int ppp_fsm_rtr(struct ppp_fsm *f, uint8_t id)
{
	switch (f->state) {
	case PPP_FSM_INITIAL:
	case PPP_FSM_STARTING:
		return -EPROTO;
	case PPP_FSM_CLOSED:
	case PPP_FSM_STOPPED:
	case PPP_FSM_CLOSING:
	case PPP_FSM_STOPPING:
		ppp_fsm_sta(f, id);
		break;
	case PPP_FSM_REQ_SENT:
	case PPP_FSM_ACK_RCVD:
	case PPP_FSM_ACK_SENT:
		ppp_fsm_sta(f, id);
		ppp_fsm_enter(f, PPP_FSM_REQ_SENT);
		break;
	case PPP_FSM_OPENED:
		/* RFC 1661 §5.5: wait one restart period before finishing */
		ppp_fsm_zrc(f);
		ppp_fsm_sta(f, id);
		ppp_fsm_enter(f, PPP_FSM_STOPPING);
		f->why = PPP_FSM_WHY_PEER_TERM;
		ppp_fsm_tld(f);
		break;
	}
	return 0;
}

static int ppp_fsm_rta(struct ppp_fsm *f)
{
	switch (f->state) {
	case PPP_FSM_INITIAL:
	case PPP_FSM_STARTING:
		return -EPROTO;
	case PPP_FSM_CLOSING:
		ppp_fsm_enter(f, PPP_FSM_CLOSED);
		ppp_fsm_tlf(f, PPP_FSM_WHY_CLOSED);
		break;
	case PPP_FSM_STOPPING:
		ppp_fsm_enter(f, PPP_FSM_STOPPED);
		ppp_fsm_tlf(f, f->why == PPP_FSM_WHY_NONE ? PPP_FSM_WHY_PEER_TERM : f->why);
		break;
	case PPP_FSM_ACK_RCVD:
		ppp_fsm_enter(f, PPP_FSM_REQ_SENT);
		break;
	case PPP_FSM_OPENED:
		ppp_fsm_enter(f, PPP_FSM_REQ_SENT);
		ppp_fsm_tld(f);
		ppp_fsm_scr(f, true);
		break;
	case PPP_FSM_CLOSED:
	case PPP_FSM_STOPPED:
	case PPP_FSM_REQ_SENT:
	case PPP_FSM_ACK_SENT:
		break;
	}
	return 0;
}

/* Code-Reject: RXJ- if it names a code every implementation must know, else RXJ+. */
static int ppp_fsm_rxj(struct ppp_fsm *f, struct pkt_reader data)
{
	uint8_t code;

	if (pkt_get_u8(&data, &code))
		return -EBADMSG;
	switch (f->state) {
	case PPP_FSM_INITIAL:
	case PPP_FSM_STARTING:
		return -EPROTO;
	case PPP_FSM_CLOSED:
	case PPP_FSM_STOPPED:
	case PPP_FSM_CLOSING:
	case PPP_FSM_STOPPING:
	case PPP_FSM_REQ_SENT:
	case PPP_FSM_ACK_RCVD:
	case PPP_FSM_ACK_SENT:
	case PPP_FSM_OPENED:
		break;
	}
	if (code >= PPP_CONF_REQ && code <= PPP_CODE_REJ) {
		ppp_fsm_rxj_minus(f);
	} else if (f->cb->code_rejected) {
		f->cb->code_rejected(f, code);
	}
	return 0;
}

int ppp_fsm_input(struct ppp_fsm *f, struct pkt_reader packet, uint64_t now)
{
	struct pkt_reader r = packet, data;
	uint8_t code, id;
	uint16_t len;
	int err;

	if (pkt_get_u8(&r, &code) || pkt_get_u8(&r, &id) || pkt_get_be16(&r, &len) ||
	    len < PPP_HEADER_LEN || pkt_get_sub(&r, len - PPP_HEADER_LEN, &data))
		return -EBADMSG;
	/* what follows Length is padding (RFC 1661 §5) */
	packet.end = packet.off + len;
	f->now = now;

	switch (code) {
	case PPP_CONF_REQ:
	case PPP_CONF_ACK:
	case PPP_CONF_NAK:
	case PPP_CONF_REJ:
		if (ppp_fsm_check_options(data))
			return -EBADMSG;
		break;
	default:
		break;
	}
	if (f->state == PPP_FSM_INITIAL || f->state == PPP_FSM_STARTING)
		return -EPROTO; /* the lower layer is not up for this protocol */

	switch (code) {
	case PPP_CONF_REQ:
		err = ppp_fsm_rcr(f, id, data);
		break;
	case PPP_CONF_ACK:
		err = ppp_fsm_rca(f, id, data);
		break;
	case PPP_CONF_NAK:
	case PPP_CONF_REJ:
		err = ppp_fsm_rcn(f, code, id, data);
		break;
	case PPP_TERM_REQ:
		err = ppp_fsm_rtr(f, id);
		break;
	case PPP_TERM_ACK:
		err = ppp_fsm_rta(f);
		break;
	case PPP_CODE_REJ:
		err = ppp_fsm_rxj(f, data);
		break;
	default:
		err = f->cb->extra_code ? f->cb->extra_code(f, code, id, data, now) : -ENOENT;
		if (err == -ENOENT) {
			/* RUC: scj, in every state from Closed on */
			ppp_fsm_scj(f, packet);
			err = 0;
		}
		break;
	}
	if (!err)
		f->heard = true;
	return err;
}

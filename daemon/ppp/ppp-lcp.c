/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>
#include <glib.h>

#include "ppp-private.h"

/* Our preference when we suggest a method: mutual authentication first, PAP last. */
static const unsigned ppp_lcp_auth_order[] = {
	PPP_AUTH_MSCHAP_V2, PPP_AUTH_CHAP_MD5, PPP_AUTH_EAP_MD5, PPP_AUTH_MSCHAP_V1, PPP_AUTH_PAP,
};

static struct ppp *ppp_lcp_session(struct ppp_fsm *f)
{
	return f->ctx;
}

/* A random Magic-Number: never 0 (RFC 1661 §6.4) and never @avoid. */
static uint32_t ppp_lcp_new_magic(struct ppp *p, uint32_t avoid)
{
	uint32_t v = 0;

	for (int i = 0; i < 4 && (v == 0 || v == avoid); i++) {
		uint8_t b[4];

		if (ppp_random(p, b, sizeof(b)))
			break;
		v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	}
	if (v == 0 || v == avoid)
		v = avoid + 0x9e3779b9u ?: 1; /* a broken random source still must not loop */
	return v;
}

/* Auth-Protocol's value (RFC 1661 §6.2) as a PPP_AUTH_* bit; 0 if we do not know it. */
static unsigned ppp_lcp_auth_parse(struct pkt_reader value)
{
	uint16_t proto;
	uint8_t alg;

	if (pkt_get_be16(&value, &proto))
		return 0;
	switch (proto) {
	case PPP_PROTO_PAP:
		return pkt_remaining(&value) == 0 ? PPP_AUTH_PAP : 0;
	case PPP_PROTO_EAP:
		return pkt_remaining(&value) == 0 ? PPP_AUTH_EAP_MD5 : 0;
	case PPP_PROTO_CHAP:
		if (pkt_get_u8(&value, &alg) || pkt_remaining(&value) != 0)
			return 0;
		switch (alg) {
		case PPP_CHAP_MD5:
			return PPP_AUTH_CHAP_MD5;
		case PPP_CHAP_MSV1:
			return PPP_AUTH_MSCHAP_V1;
		case PPP_CHAP_MSV2:
			return PPP_AUTH_MSCHAP_V2;
		default:
			return 0;
		}
	default:
		return 0;
	}
}

static int ppp_lcp_auth_put(struct pkt_writer *w, unsigned method)
{
	uint8_t v[3];
	size_t n = 2;

	switch (method) {
	case PPP_AUTH_PAP:
		v[0] = PPP_PROTO_PAP >> 8, v[1] = PPP_PROTO_PAP & 0xff;
		break;
	case PPP_AUTH_EAP_MD5:
		v[0] = PPP_PROTO_EAP >> 8, v[1] = PPP_PROTO_EAP & 0xff;
		break;
	default:
		v[0] = PPP_PROTO_CHAP >> 8, v[1] = PPP_PROTO_CHAP & 0xff;
		v[2] = method == PPP_AUTH_CHAP_MD5 ? PPP_CHAP_MD5 :
		       method == PPP_AUTH_MSCHAP_V1 ? PPP_CHAP_MSV1 : PPP_CHAP_MSV2;
		n = 3;
		break;
	}
	return ppp_fsm_put_option(w, PPP_LCP_AUTH, v, n);
}

/* The method to suggest in a Nak: the preferred allowed ones in turn, so a gateway that
 * cannot do our first choice hears about the others too. 0 if none is allowed. */
static unsigned ppp_lcp_auth_suggest(struct ppp *p)
{
	unsigned allowed = p->cfg.allowed_auth;

	if ((p->lcp.auth_suggested & allowed) == allowed)
		p->lcp.auth_suggested = 0;
	for (size_t i = 0; i < G_N_ELEMENTS(ppp_lcp_auth_order); i++) {
		unsigned m = ppp_lcp_auth_order[i];

		if ((allowed & m) && !(p->lcp.auth_suggested & m)) {
			p->lcp.auth_suggested |= m;
			return m;
		}
	}
	return 0;
}

static void ppp_lcp_reset(struct ppp_fsm *f)
{
	struct ppp *p = ppp_lcp_session(f);

	p->lcp.want_mru = p->cfg.mru != PPP_DEFAULT_MRU;
	p->lcp.mru = p->cfg.mru;
	p->lcp.want_magic = true;
	if (!p->lcp.magic)
		p->lcp.magic = ppp_lcp_new_magic(p, 0);
	p->lcp.auth_suggested = 0;
}

static int ppp_lcp_build_request(struct ppp_fsm *f, struct pkt_writer *w)
{
	struct ppp *p = ppp_lcp_session(f);
	uint8_t v[4];
	int err = 0;

	if (p->lcp.want_mru) {
		v[0] = p->lcp.mru >> 8, v[1] = p->lcp.mru & 0xff;
		err = ppp_fsm_put_option(w, PPP_LCP_MRU, v, 2);
	}
	if (!err && p->lcp.want_magic) {
		v[0] = p->lcp.magic >> 24, v[1] = p->lcp.magic >> 16 & 0xff;
		v[2] = p->lcp.magic >> 8 & 0xff, v[3] = p->lcp.magic & 0xff;
		err = ppp_fsm_put_option(w, PPP_LCP_MAGIC, v, 4);
	}
	return err;
}

static enum ppp_fsm_verdict ppp_lcp_check_option(struct ppp_fsm *f, uint8_t type,
						 struct pkt_reader value, struct pkt_writer *nak)
{
	struct ppp *p = ppp_lcp_session(f);
	size_t len = pkt_remaining(&value);
	uint16_t mru;
	uint32_t magic;
	unsigned method;

	switch (type) {
	case PPP_LCP_MRU:
		if (len != 2 || pkt_get_be16(&value, &mru))
			return PPP_OPT_REJ;
		if (mru < PPP_LCP_MIN_MRU) {
			uint8_t v[2] = { PPP_LCP_MIN_MRU >> 8, PPP_LCP_MIN_MRU & 0xff };

			(void)ppp_fsm_put_option(nak, PPP_LCP_MRU, v, 2);
			return PPP_OPT_NAK;
		}
		return PPP_OPT_ACK;
	case PPP_LCP_ACCM:
		/* RFC 1662 §7.1; no async framing over L2TP, so any map will do */
		return len == 4 ? PPP_OPT_ACK : PPP_OPT_REJ;
	case PPP_LCP_AUTH:
		method = ppp_lcp_auth_parse(value);
		if (method && (p->cfg.allowed_auth & method))
			return PPP_OPT_ACK;
		method = ppp_lcp_auth_suggest(p);
		if (!method)
			return PPP_OPT_REJ;
		(void)ppp_lcp_auth_put(nak, method);
		return PPP_OPT_NAK;
	case PPP_LCP_MAGIC:
		if (len != 4 || pkt_get_be32(&value, &magic))
			return PPP_OPT_REJ;
		if (magic != 0 && !(p->lcp.want_magic && magic == p->lcp.magic)) {
			p->lcp.loops = 0;
			return PPP_OPT_ACK;
		}
		if (magic != 0) {
			/* RFC 1661 §6.4: our own number came back. Perhaps chance, perhaps a
			 * looped line: take a new one and tell the peer to do the same. */
			if (++p->lcp.loops >= PPP_LCP_LOOP_MAX)
				p->lcp.looped = true;
			p->lcp.magic = ppp_lcp_new_magic(p, magic);
		}
		{
			uint32_t s = ppp_lcp_new_magic(p, p->lcp.magic);
			uint8_t v[4] = { s >> 24, s >> 16 & 0xff, s >> 8 & 0xff, s & 0xff };

			(void)ppp_fsm_put_option(nak, PPP_LCP_MAGIC, v, 4);
		}
		return PPP_OPT_NAK;
	case PPP_LCP_PFC:
	case PPP_LCP_ACFC:
		return len == 0 ? PPP_OPT_ACK : PPP_OPT_REJ;
	default:
		return PPP_OPT_REJ;
	}
}

static void ppp_lcp_peer_begin(struct ppp_fsm *f)
{
	struct ppp *p = ppp_lcp_session(f);

	p->lcp.peer_mru = PPP_DEFAULT_MRU;
	p->lcp.peer_magic = 0;
	p->lcp.auth = 0;
	p->lcp.peer_pfc = false;
	p->lcp.peer_acfc = false;
}

static void ppp_lcp_apply_option(struct ppp_fsm *f, uint8_t type, struct pkt_reader value)
{
	struct ppp *p = ppp_lcp_session(f);
	uint16_t mru;
	uint32_t magic;

	switch (type) {
	case PPP_LCP_MRU:
		if (!pkt_get_be16(&value, &mru))
			p->lcp.peer_mru = mru;
		break;
	case PPP_LCP_MAGIC:
		if (!pkt_get_be32(&value, &magic))
			p->lcp.peer_magic = magic;
		break;
	case PPP_LCP_AUTH:
		p->lcp.auth = ppp_lcp_auth_parse(value);
		break;
	case PPP_LCP_PFC:
		p->lcp.peer_pfc = true;
		break;
	case PPP_LCP_ACFC:
		p->lcp.peer_acfc = true;
		break;
	default:
		break;
	}
}

static void ppp_lcp_ack_received(struct ppp_fsm *f)
{
	struct ppp *p = ppp_lcp_session(f);

	p->lcp.our_mru = p->lcp.want_mru ? p->lcp.mru : PPP_DEFAULT_MRU;
}

static void ppp_lcp_nak_option(struct ppp_fsm *f, uint8_t type, struct pkt_reader value)
{
	struct ppp *p = ppp_lcp_session(f);
	uint16_t mru;
	uint32_t magic;

	switch (type) {
	case PPP_LCP_MRU:
		/* a smaller MRU is always fine; a larger one up to what the profile or the
		 * default allows */
		if (pkt_remaining(&value) == 2 && !pkt_get_be16(&value, &mru) &&
		    mru >= PPP_LCP_MIN_MRU && (mru <= p->cfg.mru || mru <= PPP_DEFAULT_MRU)) {
			p->lcp.mru = mru;
			p->lcp.want_mru = true;
		}
		break;
	case PPP_LCP_MAGIC:
		if (pkt_remaining(&value) != 4 || pkt_get_be32(&value, &magic) || !p->lcp.want_magic)
			break;
		if (magic == p->lcp.magic && ++p->lcp.loops >= PPP_LCP_LOOP_MAX)
			p->lcp.looped = true;
		p->lcp.magic = ppp_lcp_new_magic(p, p->lcp.magic);
		break;
	default:
		/* options the peer would like us to ask for: we ask for what we need */
		break;
	}
}

static void ppp_lcp_reject_option(struct ppp_fsm *f, uint8_t type, struct pkt_reader value)
{
	struct ppp *p = ppp_lcp_session(f);

	switch (type) {
	case PPP_LCP_MRU:
		p->lcp.want_mru = false;
		break;
	case PPP_LCP_MAGIC:
		p->lcp.want_magic = false;
		p->lcp.magic = 0;
		break;
	default:
		break;
	}
}

static void ppp_lcp_up(struct ppp_fsm *f)
{
	ppp_link_up(ppp_lcp_session(f));
}

static void ppp_lcp_down(struct ppp_fsm *f)
{
	ppp_link_down(ppp_lcp_session(f));
}

static void ppp_lcp_finished(struct ppp_fsm *f)
{
	ppp_link_finished(ppp_lcp_session(f));
}

static int ppp_lcp_extra_code(struct ppp_fsm *f, uint8_t code, uint8_t id, struct pkt_reader data,
			      uint64_t now)
{
	struct ppp *p = ppp_lcp_session(f);
	uint16_t proto;
	uint32_t magic;

	switch (code) {
	case PPP_PROTO_REJ:
	case PPP_ECHO_REQ:
	case PPP_ECHO_REP:
	case PPP_DISCARD_REQ:
		/* RFC 1661 §5.7-5.9: only in the Opened state, silently discarded otherwise */
		if (f->state != PPP_FSM_OPENED)
			return -EPROTO;
		break;
	default:
		return -ENOENT;
	}
	switch (code) {
	case PPP_PROTO_REJ:
		if (pkt_get_be16(&data, &proto))
			return -EBADMSG;
		if (proto == PPP_PROTO_IPCP)
			ppp_fsm_protocol_rejected(&p->ipcp_fsm, now);
		else if (proto == PPP_PROTO_IPV6CP)
			ppp_fsm_protocol_rejected(&p->ipv6cp_fsm, now); /* Initial unless started */
		/* other protocols: none that we start */
		return 0;
	case PPP_ECHO_REQ: {
		uint8_t reply[PPP_FSM_MAX_PACKET - PPP_HEADER_LEN];
		const uint8_t *rest;
		size_t len, max = MIN((size_t)p->lcp.peer_mru, sizeof(reply) + PPP_HEADER_LEN) -
				  PPP_HEADER_LEN;

		if (pkt_get_be32(&data, &magic))
			return -EBADMSG;
		if (p->lcp.magic && magic == p->lcp.magic) {
			ppp_drop(p, PPP_DROP_LOOPED);
			return 0;
		}
		pkt_get_rest(&data, &rest, &len);
		len = MIN(len, max - 4);
		reply[0] = p->lcp.magic >> 24, reply[1] = p->lcp.magic >> 16 & 0xff;
		reply[2] = p->lcp.magic >> 8 & 0xff, reply[3] = p->lcp.magic & 0xff;
		if (len)
			memcpy(reply + 4, rest, len);
		(void)ppp_fsm_send(f, PPP_ECHO_REP, id, reply, 4 + len);
		return 0;
	}
	case PPP_ECHO_REP:
		if (pkt_get_be32(&data, &magic))
			return -EBADMSG;
		if (p->lcp.magic && magic == p->lcp.magic) {
			ppp_drop(p, PPP_DROP_LOOPED);
			return 0;
		}
		if (id != p->lcp.echo_id || !p->lcp.echo_pending)
			return -ESTALE;
		p->lcp.echo_pending = 0;
		return 0;
	default: /* Discard-Request */
		return 0;
	}
}

static void ppp_lcp_code_rejected(struct ppp_fsm *f, uint8_t code)
{
	struct ppp *p = ppp_lcp_session(f);

	/* a gateway without Echo cannot serve as a keepalive: stop rather than fail */
	if (code == PPP_ECHO_REQ) {
		p->lcp.echo_off = true;
		p->lcp.echo_pending = 0;
	}
}

const struct ppp_fsm_callbacks ppp_lcp_callbacks = {
	.name = "LCP",
	.protocol = PPP_PROTO_LCP,
	.reset = ppp_lcp_reset,
	.build_request = ppp_lcp_build_request,
	.check_option = ppp_lcp_check_option,
	.peer_begin = ppp_lcp_peer_begin,
	.apply_option = ppp_lcp_apply_option,
	.ack_received = ppp_lcp_ack_received,
	.nak_option = ppp_lcp_nak_option,
	.reject_option = ppp_lcp_reject_option,
	.up = ppp_lcp_up,
	.down = ppp_lcp_down,
	.started = NULL,
	.finished = ppp_lcp_finished,
	.extra_code = ppp_lcp_extra_code,
	.code_rejected = ppp_lcp_code_rejected,
};

/* ---- keepalive (RFC 1661 §5.8) ---- */

void ppp_lcp_echo_start(struct ppp *p, uint64_t now)
{
	p->lcp.echo_pending = 0;
	p->lcp.echo_next = p->cfg.echo_interval_s ? now + (uint64_t)p->cfg.echo_interval_s * 1000 :
						   UINT64_MAX;
}

uint64_t ppp_lcp_echo_deadline(const struct ppp *p)
{
	if (p->lcp_fsm.state != PPP_FSM_OPENED || !p->cfg.echo_interval_s || p->lcp.echo_off ||
	    p->phase == PPP_PHASE_FAILED || p->phase == PPP_PHASE_DEAD ||
	    p->phase == PPP_PHASE_TERMINATE)
		return UINT64_MAX;
	return p->lcp.echo_next;
}

void ppp_lcp_echo_tick(struct ppp *p, uint64_t now)
{
	uint8_t magic[4] = { p->lcp.magic >> 24, p->lcp.magic >> 16 & 0xff,
			     p->lcp.magic >> 8 & 0xff, p->lcp.magic & 0xff };

	if (now < ppp_lcp_echo_deadline(p))
		return;
	if (p->lcp.echo_pending >= p->cfg.echo_failures) {
		p->lcp.echo_next = UINT64_MAX;
		ppp_fail(p, PPP_FAIL_ECHO,
			 "the gateway stopped answering PPP echo requests (%u in a row unanswered)",
			 p->lcp.echo_pending);
		return;
	}
	p->lcp.echo_id = ppp_fsm_next_id(&p->lcp_fsm);
	(void)ppp_fsm_send(&p->lcp_fsm, PPP_ECHO_REQ, p->lcp.echo_id, magic, sizeof(magic));
	p->lcp.echo_pending++;
	p->lcp.echo_next = now + (uint64_t)p->cfg.echo_interval_s * 1000;
}

void ppp_lcp_protocol_reject(struct ppp *p, uint16_t protocol, const uint8_t *data, size_t len)
{
	uint8_t buf[PPP_FSM_MAX_PACKET - PPP_HEADER_LEN];
	/* RFC 1661 §5.7: the rejected information is cut so the packet fits the peer's MRU */
	size_t max = MIN((size_t)p->lcp.peer_mru, (size_t)PPP_FSM_MAX_PACKET) - PPP_HEADER_LEN - 2;

	if (p->lcp_fsm.state != PPP_FSM_OPENED)
		return;
	len = MIN(len, max);
	buf[0] = protocol >> 8;
	buf[1] = protocol & 0xff;
	if (len)
		memcpy(buf + 2, data, len);
	(void)ppp_fsm_send(&p->lcp_fsm, PPP_PROTO_REJ, ppp_fsm_next_id(&p->lcp_fsm), buf, 2 + len);
}

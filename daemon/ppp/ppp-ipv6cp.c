/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>

#include "ppp-private.h"

#define PPP_IPV6CP_DRAWS 4 /* random draws before giving up on a usable identifier */

static struct ppp *ppp_ipv6cp_session(struct ppp_fsm *f)
{
	return f->ctx;
}

static bool ppp_ipv6cp_is_zero(const uint8_t *id)
{
	static const uint8_t zero[PPP_IPV6CP_ID_LEN];

	return memcmp(id, zero, PPP_IPV6CP_ID_LEN) == 0;
}

/* A random identifier, non-zero and unlike @avoid (RFC 5072 §4.1); @ret untouched on failure. */
static int ppp_ipv6cp_draw(struct ppp *p, const uint8_t *avoid, uint8_t *ret)
{
	uint8_t id[PPP_IPV6CP_ID_LEN];

	for (int i = 0; i < PPP_IPV6CP_DRAWS; i++) {
		if (ppp_random(p, id, sizeof(id)))
			return -EIO;
		if (!ppp_ipv6cp_is_zero(id) && memcmp(id, avoid, sizeof(id)) != 0) {
			memcpy(ret, id, sizeof(id));
			return 0;
		}
	}
	return -EAGAIN;
}

static int ppp_ipv6cp_get_id(struct pkt_reader value, uint8_t *ret)
{
	if (pkt_remaining(&value) != PPP_IPV6CP_ID_LEN)
		return -EBADMSG;
	return pkt_copy_bytes(&value, ret, PPP_IPV6CP_ID_LEN);
}

/* A new negotiation keeps the identifier we had (a renegotiation then leaves the link-local
 * address under the data plane alone); the first one, or one after a Reject, is drawn. */
static void ppp_ipv6cp_reset(struct ppp_fsm *f)
{
	struct ppp *p = ppp_ipv6cp_session(f);
	uint8_t keep[PPP_IPV6CP_ID_LEN];

	memcpy(keep, p->ipv6cp.local, sizeof(keep));
	memset(&p->ipv6cp, 0, sizeof(p->ipv6cp));
	p->ipv6cp.want_id = true;
	if (!ppp_ipv6cp_is_zero(keep))
		memcpy(p->ipv6cp.local, keep, sizeof(keep));
	else /* without randomness we ask with zero: the gateway is to suggest one (§4.1) */
		(void)ppp_ipv6cp_draw(p, p->ipv6cp.peer, p->ipv6cp.local);
}

static int ppp_ipv6cp_build_request(struct ppp_fsm *f, struct pkt_writer *w)
{
	struct ppp *p = ppp_ipv6cp_session(f);

	if (!p->ipv6cp.want_id)
		return 0;
	return ppp_fsm_put_option(w, PPP_IPV6CP_INTERFACE_ID, p->ipv6cp.local, PPP_IPV6CP_ID_LEN);
}

static enum ppp_fsm_verdict ppp_ipv6cp_check_option(struct ppp_fsm *f, uint8_t type,
						    struct pkt_reader value, struct pkt_writer *nak)
{
	struct ppp *p = ppp_ipv6cp_session(f);
	uint8_t id[PPP_IPV6CP_ID_LEN], suggestion[PPP_IPV6CP_ID_LEN];

	switch (type) {
	case PPP_IPV6CP_INTERFACE_ID:
		if (ppp_ipv6cp_get_id(value, id))
			return PPP_OPT_REJ;
		if (!ppp_ipv6cp_is_zero(id) && memcmp(id, p->ipv6cp.local, sizeof(id)) != 0)
			return PPP_OPT_ACK;
		/* zero (a request for a suggestion) or a clash with ours: suggest another one; an
		 * empty suggestion (no randomness) turns the Nak into a Reject */
		if (!ppp_ipv6cp_draw(p, p->ipv6cp.local, suggestion))
			(void)ppp_fsm_put_option(nak, PPP_IPV6CP_INTERFACE_ID, suggestion,
						 sizeof(suggestion));
		return PPP_OPT_NAK;
	case PPP_IPV6CP_COMPRESSION: /* no header compression over IPsec (§4.2) */
	default:
		return PPP_OPT_REJ;
	}
}

static void ppp_ipv6cp_peer_begin(struct ppp_fsm *f)
{
	memset(ppp_ipv6cp_session(f)->ipv6cp.peer, 0, PPP_IPV6CP_ID_LEN);
}

static void ppp_ipv6cp_apply_option(struct ppp_fsm *f, uint8_t type, struct pkt_reader value)
{
	struct ppp *p = ppp_ipv6cp_session(f);

	if (type == PPP_IPV6CP_INTERFACE_ID)
		(void)ppp_ipv6cp_get_id(value, p->ipv6cp.peer);
}

static void ppp_ipv6cp_ack_received(struct ppp_fsm *f)
{
	/* the identifier we asked for is ours */
}

static void ppp_ipv6cp_nak_option(struct ppp_fsm *f, uint8_t type, struct pkt_reader value)
{
	struct ppp *p = ppp_ipv6cp_session(f);
	uint8_t id[PPP_IPV6CP_ID_LEN];

	if (type != PPP_IPV6CP_INTERFACE_ID || !p->ipv6cp.want_id || ppp_ipv6cp_get_id(value, id))
		return;
	/* §4.1: take the suggestion, unless it is unusable; then a fresh identifier of our own,
	 * so the next request differs from the last one */
	if (!ppp_ipv6cp_is_zero(id) && memcmp(id, p->ipv6cp.peer, sizeof(id)) != 0)
		memcpy(p->ipv6cp.local, id, sizeof(id));
	else
		(void)ppp_ipv6cp_draw(p, p->ipv6cp.peer, p->ipv6cp.local);
}

static void ppp_ipv6cp_reject_option(struct ppp_fsm *f, uint8_t type, struct pkt_reader value)
{
	struct ppp *p = ppp_ipv6cp_session(f);

	if (type != PPP_IPV6CP_INTERFACE_ID || !p->ipv6cp.want_id)
		return;
	/* §4.1: not asked for again; without it there is no link-local address to form, so
	 * the session closes IPV6CP once this packet is handled (ppp_ipv6_refused) */
	p->ipv6cp.want_id = false;
	p->ipv6cp.refused = true;
	memset(p->ipv6cp.local, 0, PPP_IPV6CP_ID_LEN);
}

static void ppp_ipv6cp_up(struct ppp_fsm *f)
{
	ppp_ipv6_up(ppp_ipv6cp_session(f));
}

static void ppp_ipv6cp_down(struct ppp_fsm *f)
{
	/* IPv4 and the session go on; only the link-local address goes */
	ppp_ipv6_down(ppp_ipv6cp_session(f));
}

static void ppp_ipv6cp_finished(struct ppp_fsm *f)
{
	ppp_ipv6_finished(ppp_ipv6cp_session(f));
}

const struct ppp_fsm_callbacks ppp_ipv6cp_callbacks = {
	.name = "IPV6CP",
	.protocol = PPP_PROTO_IPV6CP,
	.reset = ppp_ipv6cp_reset,
	.build_request = ppp_ipv6cp_build_request,
	.check_option = ppp_ipv6cp_check_option,
	.peer_begin = ppp_ipv6cp_peer_begin,
	.apply_option = ppp_ipv6cp_apply_option,
	.ack_received = ppp_ipv6cp_ack_received,
	.nak_option = ppp_ipv6cp_nak_option,
	.reject_option = ppp_ipv6cp_reject_option,
	.up = ppp_ipv6cp_up,
	.down = ppp_ipv6cp_down,
	.started = NULL,
	.finished = ppp_ipv6cp_finished,
	.extra_code = NULL,
	.code_rejected = NULL,
};

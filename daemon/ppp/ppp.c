/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>

#include "ppp-private.h"
#include "secret.h"

const char *ppp_auth_name(unsigned method)
{
	switch (method) {
	case PPP_AUTH_PAP:
		return "PAP";
	case PPP_AUTH_CHAP_MD5:
		return "CHAP-MD5";
	case PPP_AUTH_MSCHAP_V1:
		return "MS-CHAPv1";
	case PPP_AUTH_MSCHAP_V2:
		return "MS-CHAPv2";
	case PPP_AUTH_EAP_MD5:
		return "EAP-MD5";
	default:
		return "none";
	}
}

const char *ppp_phase_name(enum ppp_phase phase)
{
	switch (phase) {
	case PPP_PHASE_IDLE:
		return "idle";
	case PPP_PHASE_ESTABLISH:
		return "establish";
	case PPP_PHASE_AUTHENTICATE:
		return "authenticate";
	case PPP_PHASE_NETWORK:
		return "network";
	case PPP_PHASE_RUNNING:
		return "running";
	case PPP_PHASE_TERMINATE:
		return "terminate";
	case PPP_PHASE_DEAD:
		return "dead";
	case PPP_PHASE_FAILED:
		return "failed";
	}
	return "unknown";
}

/* The only writer of p->phase (STYLE.md rule 6). */
static void ppp_enter_phase(struct ppp *p, enum ppp_phase phase)
{
	p->phase = phase;
	switch (phase) {
	case PPP_PHASE_IDLE:
	case PPP_PHASE_ESTABLISH:
	case PPP_PHASE_NETWORK:
	case PPP_PHASE_RUNNING:
		ppp_auth_stop(p);
		break;
	case PPP_PHASE_AUTHENTICATE:
		break;
	case PPP_PHASE_TERMINATE:
	case PPP_PHASE_DEAD:
	case PPP_PHASE_FAILED:
		ppp_auth_stop(p);
		p->lcp.echo_next = UINT64_MAX;
		break;
	}
}

void ppp_drop(struct ppp *p, enum ppp_drop reason)
{
	p->drops[reason]++;
}

void ppp_emit(struct ppp *p, enum ppp_event_type type, const char *text,
	      const struct ppp_ip_result *ip)
{
	struct ppp_event ev = {
		.type = type,
		.failure = p->failure,
		.text = text,
		.ip = ip,
	};

	p->ops->event(p->user_data, &ev);
}

void ppp_fail(struct ppp *p, enum ppp_failure failure, const char *format, ...)
{
	va_list args;

	if (p->ended || p->pending_failure != PPP_FAIL_NONE)
		return;
	va_start(args, format);
	vsnprintf(p->pending_text, sizeof(p->pending_text), format, args);
	va_end(args);
	p->pending_failure = failure;
}

void ppp_note_down(struct ppp *p, const char *text)
{
	if (p->ended || p->pending_failure != PPP_FAIL_NONE || p->pending_down)
		return;
	snprintf(p->pending_text, sizeof(p->pending_text), "%s", text);
	p->pending_down = true;
}

/*
 * The automata note failures and ends while they run (ppp_fail, ppp_note_down); they are
 * acted on here, once the call from outside is done with them, so no automaton is closed
 * from inside its own transition. A failure closes LCP, which tells the gateway.
 */
static void ppp_settle(struct ppp *p)
{
	if (p->ended)
		return;
	if (p->ipv6cp.refused) {
		/* the gateway rejected the Interface-Identifier: IPv6 ends, IPv4 goes on */
		p->ipv6cp.refused = false;
		g_debug("PPP: the gateway rejected the IPv6 interface identifier; IPv4 only");
		ppp_fsm_close(&p->ipv6cp_fsm, p->now);
	}
	if (p->pending_failure != PPP_FAIL_NONE) {
		p->ended = true;
		p->failure = p->pending_failure;
		memcpy(p->failure_text, p->pending_text, sizeof(p->failure_text));
		ppp_enter_phase(p, PPP_PHASE_FAILED);
		ppp_emit(p, PPP_EVENT_FAILED, p->failure_text, NULL);
		ppp_fsm_close(&p->lcp_fsm, p->now);
	} else if (p->pending_down) {
		p->ended = true;
		ppp_enter_phase(p, PPP_PHASE_DEAD);
		ppp_emit(p, PPP_EVENT_DOWN, p->pending_text, NULL);
		ppp_fsm_close(&p->lcp_fsm, p->now);
	}
}

void ppp_output(void *ctx, uint16_t protocol, const uint8_t *data, size_t len)
{
	struct ppp *p = ctx;

	p->ops->send(p->user_data, protocol, data, len);
}

int ppp_random(struct ppp *p, void *buf, size_t len)
{
	return p->ops->random(p->user_data, buf, len);
}

struct ppp *ppp_new(const struct ppp_config *config, const struct ppp_ops *ops, void *user)
{
	struct ppp *p;
	uint16_t mru = config->mru ? config->mru : PPP_DEFAULT_MRU;

	/* PAP carries both in one length byte (RFC 1334 §2.2.1) */
	if (!config->user || !config->password || strlen(config->user) > 255 ||
	    strlen(config->password) > 255 || !(config->allowed_auth & PPP_AUTH_ALL) ||
	    mru < PPP_LCP_MIN_MRU)
		return NULL;
	p = g_new0(struct ppp, 1);
	p->cfg = *config;
	p->user = g_strdup(config->user);
	p->password = g_strdup(config->password);
	p->cfg.user = p->user;
	p->cfg.password = p->password;
	p->cfg.allowed_auth &= PPP_AUTH_ALL;
	p->cfg.mru = mru;
	if (!p->cfg.echo_failures)
		p->cfg.echo_failures = 3;
	p->ops = ops;
	p->user_data = user;
	p->phase = PPP_PHASE_IDLE;
	p->auth.deadline = UINT64_MAX;
	p->lcp.peer_mru = PPP_DEFAULT_MRU;
	p->lcp.our_mru = PPP_DEFAULT_MRU;
	p->lcp.echo_next = UINT64_MAX;
	ppp_fsm_init(&p->lcp_fsm, &ppp_lcp_callbacks, p, ppp_output);
	ppp_fsm_init(&p->ipcp_fsm, &ppp_ipcp_callbacks, p, ppp_output);
	ppp_fsm_init(&p->ipv6cp_fsm, &ppp_ipv6cp_callbacks, p, ppp_output);
	return p;
}

struct ppp *ppp_free(struct ppp *p)
{
	if (!p)
		return NULL;
	ppp_mschap_free(p->auth.mschap);
	roadie_wipe_str(p->password);
	g_free(p->user);
	roadie_wipe(p, sizeof(*p)); /* MS-CHAPv2's expected S= */
	g_free(p);
	return NULL;
}

int ppp_start(struct ppp *p, uint64_t now_ms)
{
	if (p->phase != PPP_PHASE_IDLE)
		return -EALREADY;
	p->now = now_ms;
	ppp_enter_phase(p, PPP_PHASE_ESTABLISH);
	ppp_fsm_open(&p->lcp_fsm, now_ms);
	ppp_fsm_up(&p->lcp_fsm, now_ms);
	ppp_settle(p);
	return 0;
}

/* ---- the phases, as LCP, the authentication methods and IPCP report ---- */

/* The network phase: IPCP, and IPV6CP beside it (RFC 5072 §2), each on its own. */
static void ppp_network_start(struct ppp *p)
{
	ppp_enter_phase(p, PPP_PHASE_NETWORK);
	ppp_fsm_up(&p->ipcp_fsm, p->now);
	ppp_fsm_open(&p->ipcp_fsm, p->now);
	if (p->cfg.ipv6) {
		ppp_fsm_up(&p->ipv6cp_fsm, p->now);
		ppp_fsm_open(&p->ipv6cp_fsm, p->now);
	}
}

void ppp_link_up(struct ppp *p)
{
	if (p->ended)
		return;
	ppp_lcp_echo_start(p, p->now);
	p->auth.method = p->lcp.auth;
	if (p->auth.method) {
		ppp_enter_phase(p, PPP_PHASE_AUTHENTICATE);
		ppp_auth_start(p, p->now);
		return;
	}
	/* the gateway asked for no authentication: IPsec has authenticated both ends already */
	ppp_network_start(p);
}

void ppp_link_down(struct ppp *p)
{
	enum ppp_phase was = p->phase;

	/* the network layer goes with the link; it comes back if LCP opens again */
	ppp_fsm_down(&p->ipcp_fsm, p->now);
	ppp_fsm_close(&p->ipcp_fsm, p->now);
	ppp_fsm_down(&p->ipv6cp_fsm, p->now);
	ppp_fsm_close(&p->ipv6cp_fsm, p->now);
	p->ipv6cp.refused = false;
	if (p->ended)
		return;
	if (p->lcp_fsm.why == PPP_FSM_WHY_REJECTED) {
		ppp_fail(p, PPP_FAIL_NEGOTIATION, "the gateway refused PPP link negotiation (LCP)");
		return;
	}
	if (p->lcp_fsm.why == PPP_FSM_WHY_PEER_TERM) {
		if (was == PPP_PHASE_AUTHENTICATE)
			ppp_fail(p, PPP_FAIL_AUTH_REJECTED,
				 "the gateway ended the PPP session during %s authentication of user "
				 "'%s': check the user name and password",
				 ppp_auth_name(p->auth.method), p->user);
		else
			ppp_note_down(p, "the gateway ended the PPP session");
		return;
	}
	if (!p->closing)
		ppp_enter_phase(p, PPP_PHASE_ESTABLISH);
}

void ppp_link_finished(struct ppp *p)
{
	if (p->ended)
		return;
	switch (p->lcp_fsm.why) {
	case PPP_FSM_WHY_TIMEOUT:
		if (p->lcp_fsm.heard)
			ppp_fail(p, PPP_FAIL_NEGOTIATION,
				 "the gateway and roadie could not agree on PPP link options (LCP)");
		else
			ppp_fail(p, PPP_FAIL_NO_ANSWER,
				 "the gateway did not answer PPP link negotiation (LCP) within %u s",
				 PPP_FSM_MAX_CONFIGURE * PPP_FSM_RESTART_MS / 1000);
		break;
	case PPP_FSM_WHY_PEER_TERM:
		ppp_note_down(p, "the gateway ended the PPP session");
		break;
	case PPP_FSM_WHY_CLOSED:
		ppp_note_down(p, "the PPP session was closed");
		break;
	case PPP_FSM_WHY_REJECTED:
		ppp_fail(p, PPP_FAIL_NEGOTIATION, "the gateway refused PPP link negotiation (LCP)");
		break;
	case PPP_FSM_WHY_NONE:
		break;
	}
}

void ppp_auth_success(struct ppp *p)
{
	if (p->ended || p->phase != PPP_PHASE_AUTHENTICATE)
		return; /* a re-challenge later on (RFC 1994 §2.3) */
	p->auth.done = true;
	ppp_enter_phase(p, PPP_PHASE_NETWORK);
	ppp_emit(p, PPP_EVENT_AUTH_OK, ppp_auth_name(p->auth.method), NULL);
	ppp_network_start(p);
}

void ppp_network_up(struct ppp *p)
{
	struct ppp_ip_result ip = {
		.local = p->ipcp.local,
		.peer = p->ipcp.peer,
		.dns1 = p->ipcp.dns1,
		.dns2 = p->ipcp.dns2,
		.peer_mru = p->lcp.peer_mru,
		.mru = p->lcp.our_mru,
	};

	if (p->ended)
		return;
	if (ip.local.s_addr == 0) {
		ppp_fail(p, PPP_FAIL_NO_ADDRESS,
			 "the gateway did not assign an IPv4 address to this client (IPCP)");
		return;
	}
	ppp_enter_phase(p, PPP_PHASE_RUNNING);
	ppp_emit(p, PPP_EVENT_UP, "up", &ip);
	/* IPV6CP may have opened first: its event waited for IPv4's */
	if (p->ipv6cp_fsm.state == PPP_FSM_OPENED)
		ppp_ipv6_up(p);
}

void ppp_network_down(struct ppp *p)
{
	if (!p->ended && p->phase == PPP_PHASE_RUNNING)
		ppp_enter_phase(p, PPP_PHASE_NETWORK);
}

void ppp_network_finished(struct ppp *p)
{
	if (p->ended || p->lcp_fsm.state != PPP_FSM_OPENED)
		return; /* IPCP only went with the link */
	switch (p->ipcp_fsm.why) {
	case PPP_FSM_WHY_TIMEOUT:
		ppp_fail(p, PPP_FAIL_NEGOTIATION,
			 "the gateway did not complete IPv4 configuration (IPCP)");
		break;
	case PPP_FSM_WHY_REJECTED:
		ppp_fail(p, PPP_FAIL_NEGOTIATION,
			 "the gateway does not offer IPv4 over this link (it rejected IPCP)");
		break;
	case PPP_FSM_WHY_PEER_TERM:
		ppp_note_down(p, "the gateway closed the IPv4 link (IPCP)");
		break;
	case PPP_FSM_WHY_CLOSED:
	case PPP_FSM_WHY_NONE:
		break;
	}
}

/* IPV6CP opened: IPV6_UP now if IPv4 is up, else once it is (ppp_network_up). */
void ppp_ipv6_up(struct ppp *p)
{
	static const uint8_t zero[PPP_IPV6CP_ID_LEN];
	struct ppp_ipv6_result r;
	struct ppp_event ev = {
		.type = PPP_EVENT_IPV6_UP,
		.failure = PPP_FAIL_NONE,
		.text = "ipv6 up",
		.ipv6 = &r,
	};

	if (p->ended || p->phase != PPP_PHASE_RUNNING)
		return;
	if (!p->ipv6cp.want_id || !memcmp(p->ipv6cp.local, zero, sizeof(zero))) {
		/* the gateway Acked a request without one, or with zero: no address to form */
		g_debug("PPP: IPV6CP opened without an interface identifier; IPv4 only");
		return;
	}
	memcpy(r.local, p->ipv6cp.local, sizeof(r.local));
	memcpy(r.peer, p->ipv6cp.peer, sizeof(r.peer));
	p->ipv6_announced = true;
	p->ops->event(p->user_data, &ev);
}

/* IPV6CP left Opened (this-layer-down): IPV6_DOWN if IPV6_UP was said and the link stays;
 * when LCP goes, DOWN or FAILED says it for every protocol. */
void ppp_ipv6_down(struct ppp *p)
{
	struct ppp_event ev = {
		.type = PPP_EVENT_IPV6_DOWN,
		.failure = PPP_FAIL_NONE,
		.text = "ipv6 down",
	};

	if (!p->ipv6_announced)
		return;
	p->ipv6_announced = false;
	if (p->ended || p->closing || p->lcp_fsm.state != PPP_FSM_OPENED)
		return;
	p->ops->event(p->user_data, &ev);
}

/* IPV6CP finished: whatever the reason, IPv4 carries on (RFC 5072 §2: the NCPs are
 * independent); only a note for whoever debugs the gateway. */
void ppp_ipv6_finished(struct ppp *p)
{
	if (p->ended || p->lcp_fsm.state != PPP_FSM_OPENED)
		return; /* IPV6CP only went with the link */
	switch (p->ipv6cp_fsm.why) {
	case PPP_FSM_WHY_TIMEOUT:
		g_debug("PPP: the gateway did not complete IPv6 configuration (IPV6CP); IPv4 only");
		break;
	case PPP_FSM_WHY_REJECTED:
		g_debug("PPP: the gateway does not offer IPv6 (it rejected IPV6CP); IPv4 only");
		break;
	case PPP_FSM_WHY_PEER_TERM:
		g_debug("PPP: the gateway closed IPv6 (IPV6CP); IPv4 only");
		break;
	case PPP_FSM_WHY_CLOSED:
	case PPP_FSM_WHY_NONE:
		break;
	}
}

/* ---- input ---- */

static void ppp_count(struct ppp *p, int err)
{
	switch (err) {
	case 0:
		break;
	case -ESTALE:
		ppp_drop(p, PPP_DROP_STALE_ID);
		break;
	case -EPROTO:
		ppp_drop(p, PPP_DROP_UNEXPECTED);
		break;
	default:
		ppp_drop(p, PPP_DROP_MALFORMED);
		break;
	}
}

static bool ppp_authenticating(const struct ppp *p, unsigned methods)
{
	if (p->ended || !(p->auth.method & methods))
		return false;
	/* CHAP may challenge again once the network is up (RFC 1994 §2.3) */
	return p->phase == PPP_PHASE_AUTHENTICATE ||
	       (ppp_auth_is_chap(p->auth.method) &&
		(p->phase == PPP_PHASE_NETWORK || p->phase == PPP_PHASE_RUNNING));
}

/* RFC 1661 §5.7: a protocol we do not run, once LCP is open. */
static int ppp_reject_protocol(struct ppp *p, uint16_t protocol, struct pkt_reader r)
{
	const uint8_t *rest;
	size_t n;

	if (p->lcp_fsm.state != PPP_FSM_OPENED || p->ended)
		return -EPROTO;
	pkt_get_rest(&r, &rest, &n);
	ppp_lcp_protocol_reject(p, protocol, rest, n);
	ppp_drop(p, PPP_DROP_REJECTED);
	return 0;
}

static bool ppp_network_phase(const struct ppp *p)
{
	return !p->ended && (p->phase == PPP_PHASE_NETWORK || p->phase == PPP_PHASE_RUNNING);
}

void ppp_receive(struct ppp *p, const uint8_t *frame, size_t len, uint64_t now_ms)
{
	struct pkt_reader r;
	uint16_t protocol;
	size_t off;
	int err;

	p->now = now_ms;
	if (ppp_frame_parse(frame, len, &protocol, &off)) {
		ppp_drop(p, PPP_DROP_MALFORMED);
		return;
	}
	if (p->phase == PPP_PHASE_IDLE) {
		ppp_drop(p, PPP_DROP_UNEXPECTED);
		return;
	}
	pkt_reader_init(&r, frame + off, len - off);
	switch (protocol) {
	case PPP_PROTO_LCP:
		err = ppp_fsm_input(&p->lcp_fsm, r, now_ms);
		if (p->lcp.looped)
			ppp_fail(p, PPP_FAIL_LOOPBACK,
				 "the line is looped back: roadie's own PPP requests come back to it");
		break;
	case PPP_PROTO_PAP:
		err = ppp_authenticating(p, PPP_AUTH_PAP) ? ppp_pap_input(p, r, now_ms) : -EPROTO;
		break;
	case PPP_PROTO_CHAP:
		err = ppp_authenticating(p, PPP_AUTH_CHAP_MD5 | PPP_AUTH_MSCHAP_V1 |
						    PPP_AUTH_MSCHAP_V2) ?
			      ppp_chap_input(p, r, now_ms) :
			      -EPROTO;
		break;
	case PPP_PROTO_EAP:
		err = ppp_authenticating(p, PPP_AUTH_EAP_MD5) ? ppp_eap_input(p, r, now_ms) :
								-EPROTO;
		break;
	case PPP_PROTO_IPCP:
		/* RFC 1661 §3.5: NCP packets before the network phase are discarded */
		err = ppp_network_phase(p) ? ppp_fsm_input(&p->ipcp_fsm, r, now_ms) : -EPROTO;
		break;
	case PPP_PROTO_IPV6CP:
		if (!p->cfg.ipv6)
			err = ppp_reject_protocol(p, protocol, r);
		else
			err = ppp_network_phase(p) ? ppp_fsm_input(&p->ipv6cp_fsm, r, now_ms) :
						     -EPROTO;
		break;
	case PPP_PROTO_IP:
	case PPP_PROTO_IPV6:
		/* the data plane's, whether or not IPv6 is negotiated */
		ppp_drop(p, PPP_DROP_DATA);
		err = 0;
		break;
	default:
		/* CCP (no MPPE: IPsec encrypts already), anything else */
		err = ppp_reject_protocol(p, protocol, r);
		break;
	}
	ppp_count(p, err);
	ppp_settle(p);
}

void ppp_tick(struct ppp *p, uint64_t now_ms)
{
	p->now = now_ms;
	ppp_fsm_tick(&p->lcp_fsm, now_ms);
	if (p->phase == PPP_PHASE_NETWORK || p->phase == PPP_PHASE_RUNNING) {
		ppp_fsm_tick(&p->ipcp_fsm, now_ms);
		ppp_fsm_tick(&p->ipv6cp_fsm, now_ms);
	}
	if (!p->ended && p->phase == PPP_PHASE_AUTHENTICATE)
		ppp_auth_tick(p, now_ms);
	if (!p->ended)
		ppp_lcp_echo_tick(p, now_ms);
	ppp_settle(p);
}

uint64_t ppp_next_deadline(const struct ppp *p)
{
	uint64_t t = ppp_fsm_deadline(&p->lcp_fsm);

	if (p->phase == PPP_PHASE_NETWORK || p->phase == PPP_PHASE_RUNNING) {
		t = MIN(t, ppp_fsm_deadline(&p->ipcp_fsm));
		t = MIN(t, ppp_fsm_deadline(&p->ipv6cp_fsm));
	}
	if (!p->ended && p->phase == PPP_PHASE_AUTHENTICATE)
		t = MIN(t, ppp_auth_deadline(p));
	if (!p->ended)
		t = MIN(t, ppp_lcp_echo_deadline(p));
	return t;
}

void ppp_close(struct ppp *p, uint64_t now_ms)
{
	p->now = now_ms;
	if (p->ended || p->closing)
		return;
	p->closing = true;
	if (p->phase == PPP_PHASE_IDLE) {
		ppp_note_down(p, "the PPP session was closed");
	} else {
		ppp_enter_phase(p, PPP_PHASE_TERMINATE);
		ppp_fsm_close(&p->lcp_fsm, now_ms);
	}
	ppp_settle(p);
}

enum ppp_phase ppp_phase(const struct ppp *p)
{
	return p->phase;
}

enum ppp_failure ppp_failure(const struct ppp *p)
{
	return p->failure;
}

const char *ppp_failure_text(const struct ppp *p)
{
	return p->failure_text;
}

uint64_t ppp_drops(const struct ppp *p, enum ppp_drop reason)
{
	return reason < PPP_DROP_COUNT ? p->drops[reason] : 0;
}

unsigned ppp_auth_method(const struct ppp *p)
{
	return p->lcp.auth;
}

/* ---- framing (RFC 2661 §5.1, RFC 1661 §2, RFC 1662 §3.2) ---- */

int ppp_frame_parse(const uint8_t *frame, size_t len, uint16_t *ret_protocol,
		    size_t *ret_payload_off)
{
	struct pkt_reader r;
	uint16_t ac;
	uint8_t hi, lo;

	pkt_reader_init(&r, frame, len);
	/* Address and Control, unless ACFC left them out */
	if (!pkt_peek_be16(&r, &ac) && ac == 0xff03)
		(void)pkt_skip(&r, 2);
	if (pkt_get_u8(&r, &hi))
		return -EBADMSG;
	if (hi & 1) {
		/* PFC: a one-byte field, the high octet 0 left out */
		*ret_protocol = hi;
		*ret_payload_off = pkt_offset(&r);
		return 0;
	}
	if (pkt_get_u8(&r, &lo) || !(lo & 1))
		return -EBADMSG;
	*ret_protocol = (uint16_t)(hi << 8 | lo);
	*ret_payload_off = pkt_offset(&r);
	return 0;
}

int ppp_frame_push(struct pkt_writer *w, uint16_t protocol)
{
	uint8_t *h;
	int err = pkt_push(w, PPP_FRAME_HEADER_LEN, &h);

	if (err)
		return err;
	h[0] = 0xff;
	h[1] = 0x03;
	h[2] = protocol >> 8;
	h[3] = protocol & 0xff;
	return 0;
}

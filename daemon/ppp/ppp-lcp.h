/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * LCP (RFC 1661 §5-6) as a set of callbacks over the generic automaton (ppp-fsm.h).
 *
 * We ask for: MRU (from the config, if not the default 1500) and a random Magic-Number.
 * We take from the gateway: its MRU (>= 128), Magic-Number (ours coming back means a
 * looped line, RFC 1661 §6.4), Auth-Protocol (§6.2; PAP, CHAP-MD5, MS-CHAPv1, MS-CHAPv2,
 * EAP, as the profile allows; a disallowed one is Nak'd with our preferred allowed one),
 * PFC and ACFC (§6.5, §6.6; we accept both framings anyway), ACCM (RFC 1662 §7.1, moot over
 * L2TP). Anything else is Configure-Rejected.
 *
 * Extra codes: Protocol-Reject (§5.7), Echo-Request/-Reply (§5.8) for the keepalive,
 * Discard-Request (§5.9).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ppp-fsm.h"

enum ppp_lcp_option {
	PPP_LCP_MRU = 1,
	PPP_LCP_ACCM = 2,
	PPP_LCP_AUTH = 3,
	PPP_LCP_QUALITY = 4,
	PPP_LCP_MAGIC = 5,
	PPP_LCP_PFC = 7,
	PPP_LCP_ACFC = 8,
};

#define PPP_LCP_MIN_MRU 128   /* as pppd: below this, Nak */
#define PPP_LCP_LOOP_MAX 5    /* our own Magic-Number this often in a row: looped back */

#define PPP_CHAP_MD5 5        /* CHAP algorithms (RFC 1994 §3, RFC 2433 §2, RFC 2759 §2) */
#define PPP_CHAP_MSV1 0x80
#define PPP_CHAP_MSV2 0x81

struct ppp_lcp {
	/* ours */
	bool want_mru;
	uint16_t mru;          /* asked for */
	uint16_t our_mru;      /* agreed: what the gateway may send us */
	bool want_magic;
	uint32_t magic;        /* 0 once the gateway rejected the option */
	unsigned loops;        /* our magic seen coming back, in a row */
	bool looped;           /* loops reached PPP_LCP_LOOP_MAX */
	unsigned auth_suggested; /* methods already offered in Naks, to go through them in turn */
	/* the gateway's, as last Acked */
	uint16_t peer_mru;
	uint32_t peer_magic;
	unsigned auth;         /* PPP_AUTH_* bit, 0 for none */
	bool peer_pfc;
	bool peer_acfc;
	/* keepalive (RFC 1661 §5.8) */
	bool echo_off;         /* the gateway Code-Rejected Echo-Request */
	unsigned echo_pending; /* requests without a reply */
	uint64_t echo_next;
	uint8_t echo_id;
};

extern const struct ppp_fsm_callbacks ppp_lcp_callbacks;

struct ppp;

/* Keepalive: starts when LCP opens; the deadline (UINT64_MAX: none) and the tick. */
void ppp_lcp_echo_start(struct ppp *p, uint64_t now);
uint64_t ppp_lcp_echo_deadline(const struct ppp *p);
void ppp_lcp_echo_tick(struct ppp *p, uint64_t now);
/* Sends a Protocol-Reject of @protocol, quoting @data (RFC 1661 §5.7); LCP must be Opened. */
void ppp_lcp_protocol_reject(struct ppp *p, uint16_t protocol, const uint8_t *data, size_t len);

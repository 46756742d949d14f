/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PPP session's inside, shared by the files that each run one protocol on it: ppp.c (the
 * session and its phases), ppp-lcp.c, ppp-ipcp.c, ppp-ipv6cp.c, ppp-pap.c, ppp-chap.c,
 * ppp-eap.c. Nothing outside daemon/ppp/ includes this.
 */
#pragma once

#include "ppp-fsm.h"
#include "ppp-ipcp.h"
#include "ppp-ipv6cp.h"
#include "ppp-lcp.h"
#include "ppp-mschap.h"
#include "ppp.h"

#define PPP_AUTH_RETRY_MS 3000     /* PAP: retransmit Authenticate-Request (RFC 1334 §2.2.1);
				    * CHAP: repeat our Response until Success or Failure */
#define PPP_AUTH_MAX_TRIES 10
#define PPP_AUTH_TIMEOUT_MS 30000  /* CHAP/EAP: the gateway must finish within this */

struct ppp_auth {
	unsigned method;       /* PPP_AUTH_*: what LCP agreed on */
	bool done;             /* success seen */
	uint8_t id;            /* identifier of our last Response / Authenticate-Request */
	bool responded;        /* a Response with @id is out */
	unsigned tries;        /* PAP transmissions */
	uint64_t deadline;     /* PAP retransmission, or the CHAP/EAP timeout */
	uint64_t give_up;      /* CHAP/EAP: when the whole exchange must be over */
	/* CHAP: our last Response, repeated every PPP_AUTH_RETRY_MS until the gateway's
	 * Success or Failure arrives: that answer travels over L2TP's unreliable data channel,
	 * and the authenticator MUST answer a repeated Response again (RFC 1994 §4.2). Wiped
	 * once answered. */
	uint8_t resend[1 + 49 + 255];
	size_t resend_len;
	/* the Challenge it answers: the same Challenge again (the gateway's retransmission
	 * crossed our Response) gets the same Response, not a new one with a new MS-CHAPv2
	 * peer challenge, whose expected S= would no longer match the gateway's Success */
	uint8_t challenge[255];
	size_t challenge_len;
	/* MS-CHAPv2: what the gateway's "S=" must match */
	char expected_s[PPP_MSCHAP_AUTH_RESPONSE_LEN + 1];
	struct ppp_mschap *mschap;
};

struct ppp {
	struct ppp_config cfg;
	char *user;
	char *password;
	const struct ppp_ops *ops;
	void *user_data;

	enum ppp_phase phase;
	enum ppp_failure failure;
	char failure_text[512];
	uint64_t now;          /* time of the call being handled */
	bool ended;            /* FAILED or DOWN was emitted */
	bool closing;          /* ppp_close: DOWN when LCP finishes */
	/* failures and ends noted inside the automata, acted on when the call returns */
	enum ppp_failure pending_failure;
	char pending_text[512];
	bool pending_down;
	bool ipv6_announced;   /* IPV6_UP was emitted and no IPV6_DOWN since */
	uint64_t drops[PPP_DROP_COUNT];

	struct ppp_fsm lcp_fsm;
	struct ppp_lcp lcp;
	struct ppp_auth auth;
	struct ppp_fsm ipcp_fsm;
	struct ppp_ipcp ipcp;
	struct ppp_fsm ipv6cp_fsm;  /* Initial throughout unless cfg.ipv6 */
	struct ppp_ipv6cp ipv6cp;
};

void ppp_drop(struct ppp *p, enum ppp_drop reason);
/* Notes a failure (the first one wins); the session fails when the current call returns. */
void ppp_fail(struct ppp *p, enum ppp_failure failure, const char *format, ...)
	__attribute__((format(printf, 3, 4)));
/* Notes that the session ended (DOWN with @text) when the current call returns. */
void ppp_note_down(struct ppp *p, const char *text);
void ppp_emit(struct ppp *p, enum ppp_event_type type, const char *text,
	      const struct ppp_ip_result *ip);
void ppp_output(void *ctx, uint16_t protocol, const uint8_t *data, size_t len);
int ppp_random(struct ppp *p, void *buf, size_t len);

/* From LCP: the link is open (authenticate next), down, finished. */
void ppp_link_up(struct ppp *p);
void ppp_link_down(struct ppp *p);
void ppp_link_finished(struct ppp *p);
/* From the authentication protocols: success (network phase next). */
void ppp_auth_success(struct ppp *p);
/* From IPCP. */
void ppp_network_up(struct ppp *p);
void ppp_network_down(struct ppp *p);
void ppp_network_finished(struct ppp *p);
/* From IPV6CP: IPv6 is up (IPV6_UP, once IPv4 is), or it ended; IPv4 goes on either way. */
void ppp_ipv6_up(struct ppp *p);
void ppp_ipv6_down(struct ppp *p);
void ppp_ipv6_finished(struct ppp *p);

/* ppp-auth.c: the authentication phase's start, timeout and the helpers the methods share */
void ppp_auth_start(struct ppp *p, uint64_t now);
void ppp_auth_stop(struct ppp *p);
void ppp_auth_tick(struct ppp *p, uint64_t now);
uint64_t ppp_auth_deadline(const struct ppp *p);
/* CHAP: our last Response again, same Identifier (RFC 1994 §4.2). */
void ppp_chap_resend(struct ppp *p);
bool ppp_auth_is_chap(unsigned method);

/* ppp-pap.c (RFC 1334) */
void ppp_pap_start(struct ppp *p, uint64_t now);
void ppp_pap_tick(struct ppp *p, uint64_t now);
int ppp_pap_input(struct ppp *p, struct pkt_reader packet, uint64_t now);

/* ppp-chap.c (RFC 1994, RFC 2433, RFC 2759) */
int ppp_chap_input(struct ppp *p, struct pkt_reader packet, uint64_t now);
/* The sentence for an MS-CHAP Failure message ("E=691 R=0 C=... V=3 M=..."). */
void ppp_chap_failure_text(const char *user, const uint8_t *msg, size_t len, char *buf,
			   size_t buf_len);

/* ppp-eap.c (RFC 3748, EAP-MD5) */
int ppp_eap_input(struct ppp *p, struct pkt_reader packet, uint64_t now);

/* Parses a CHAP/PAP/EAP header: Code, Identifier, Length; @ret_data gets the data within
 * Length (bytes past it are padding). */
int ppp_auth_header(struct pkt_reader *packet, uint8_t *ret_code, uint8_t *ret_id,
		    struct pkt_reader *ret_data);
/* Sends Code, Identifier, Length and @data for @protocol. */
void ppp_auth_send(struct ppp *p, uint16_t protocol, uint8_t code, uint8_t id,
		   const uint8_t *data, size_t len);
/* The gateway's message text, made printable and cut to fit, for a sentence. */
void ppp_auth_message(const uint8_t *msg, size_t len, char *buf, size_t buf_len);

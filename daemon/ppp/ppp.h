/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PPP client session as carried over L2TP (RFC 2661 §5.1): LCP (RFC 1661), then
 * authentication as the client (PAP RFC 1334, CHAP-MD5 RFC 1994, MS-CHAPv1 RFC 2433,
 * MS-CHAPv2 RFC 2759, EAP-MD5 RFC 3748), then IPCP (RFC 1332, DNS RFC 1877) and, if the
 * config asks for IPv6, IPV6CP (RFC 5072) beside it.
 *
 * Sans I/O: frames and time go in (ppp_receive, ppp_tick), packet bodies and events come out
 * through struct ppp_ops. The caller frames what it sends (ppp_frame_push) and wraps it in
 * L2TP. IP packets (protocols 0x0021 and 0x0057) never pass through here: the data plane
 * tells them apart with ppp_frame_parse and forwards them itself.
 *
 * Phases (one writer, ppp_enter_phase):
 *
 *   IDLE --start--> ESTABLISH --LCP opened--> AUTHENTICATE --success--> NETWORK
 *     --IPCP opened--> RUNNING (event UP)
 *   any --ppp_close--> TERMINATE --Terminate-Ack, or 2 tries--> DEAD (event DOWN)
 *   any --a failure (event FAILED)--> FAILED;  any --the gateway terminated (DOWN)--> DEAD
 *
 * IPV6CP (config.ipv6) starts with IPCP on entering NETWORK and runs independently of it
 * (RFC 5072 §2); it is no phase of its own. IPv4 is what the session needs: IPCP alone
 * decides RUNNING, UP and the failures. IPV6CP opening gives the event IPV6_UP, never before
 * UP (if it opens first, IPV6_UP follows UP at once). If the gateway Protocol-Rejects IPV6CP,
 * rejects the Interface-Identifier or never agrees, the session simply stays on IPv4.
 *
 * Exactly one of FAILED or DOWN ends a session. Event callbacks must not call back into the
 * session; they may note what happened and act after the call returns.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "core/pkt.h"

/* Protocol field values (RFC 1661 §2, IANA "PPP DLL Protocol Numbers") */
#define PPP_PROTO_IP     0x0021
#define PPP_PROTO_IPV6   0x0057
#define PPP_PROTO_IPCP   0x8021
#define PPP_PROTO_IPV6CP 0x8057
#define PPP_PROTO_CCP    0x80fd
#define PPP_PROTO_LCP    0xc021
#define PPP_PROTO_PAP    0xc023
#define PPP_PROTO_CHAP   0xc223
#define PPP_PROTO_EAP    0xc227

#define PPP_FRAME_HEADER_LEN 4 /* FF 03 and the 2-byte protocol */
#define PPP_DEFAULT_MRU 1500

/* Authentication methods the profile allows (struct ppp_config.allowed_auth). */
#define PPP_AUTH_PAP        (1u << 0)
#define PPP_AUTH_CHAP_MD5   (1u << 1)
#define PPP_AUTH_MSCHAP_V1  (1u << 2)
#define PPP_AUTH_MSCHAP_V2  (1u << 3)
#define PPP_AUTH_EAP_MD5    (1u << 4)
#define PPP_AUTH_ALL        0x1fu

/* "PAP", "CHAP-MD5", "MS-CHAPv1", "MS-CHAPv2", "EAP-MD5", "none" (0). */
const char *ppp_auth_name(unsigned method);

struct ppp_config {
	const char *user;       /* may be DOMAIN\user (sent whole; MS-CHAP hashes the user part) */
	const char *password;
	unsigned allowed_auth;  /* PPP_AUTH_*, at least one; preference: MS-CHAPv2, CHAP-MD5,
				 * EAP-MD5, MS-CHAPv1, PAP */
	uint16_t mru;           /* 0: 1500 */
	bool ipv6;              /* also negotiate IPV6CP (RFC 5072); false: Protocol-Reject it */
	uint32_t echo_interval_s; /* LCP Echo-Request keepalive; 0: none */
	unsigned echo_failures;   /* missed replies before the link counts as dead; 0: 3 */
};

enum ppp_phase {
	PPP_PHASE_IDLE,
	PPP_PHASE_ESTABLISH,
	PPP_PHASE_AUTHENTICATE,
	PPP_PHASE_NETWORK,
	PPP_PHASE_RUNNING,
	PPP_PHASE_TERMINATE,
	PPP_PHASE_DEAD,
	PPP_PHASE_FAILED,
};

const char *ppp_phase_name(enum ppp_phase phase);

/* Why a session failed; each comes with a sentence (ppp_failure_text). */
enum ppp_failure {
	PPP_FAIL_NONE,
	PPP_FAIL_NO_ANSWER,       /* LCP requests went unanswered */
	PPP_FAIL_NEGOTIATION,     /* LCP or IPCP did not converge, or the gateway refused it */
	PPP_FAIL_LOOPBACK,        /* our own Magic-Number came back */
	PPP_FAIL_AUTH_METHOD,     /* the gateway wants a method the profile does not allow */
	PPP_FAIL_AUTH_REJECTED,   /* wrong password, account disabled, ... */
	PPP_FAIL_AUTH_SERVER,     /* the gateway failed MS-CHAPv2's mutual authentication */
	PPP_FAIL_AUTH_TIMEOUT,    /* authentication did not finish */
	PPP_FAIL_NO_ADDRESS,      /* IPCP ended without an IPv4 address for us */
	PPP_FAIL_ECHO,            /* keepalive: the gateway stopped answering */
	PPP_FAIL_INTERNAL,        /* a crypto failure on our side (no MD4/DES) */
};

enum ppp_drop {
	PPP_DROP_MALFORMED,   /* broken frame, header, length or option list */
	PPP_DROP_UNEXPECTED,  /* not expected in this phase or state */
	PPP_DROP_STALE_ID,    /* an answer that does not match our outstanding request */
	PPP_DROP_DATA,        /* an IPv4 or IPv6 packet: the data plane's, not ours */
	PPP_DROP_REJECTED,    /* an unknown protocol, answered with Protocol-Reject */
	PPP_DROP_LOOPED,      /* an Echo carrying our own Magic-Number */
	PPP_DROP_COUNT,
};

enum ppp_event_type {
	PPP_EVENT_AUTH_OK, /* text: the method's name */
	PPP_EVENT_UP,      /* ip: the addresses; may come again after a renegotiation */
	PPP_EVENT_FAILED,  /* failure and text */
	PPP_EVENT_DOWN,    /* text: who ended the session */
	PPP_EVENT_IPV6_UP, /* ipv6: the interface identifiers; after UP; may come again after a
			    * renegotiation of either IPCP or IPV6CP */
	PPP_EVENT_IPV6_DOWN, /* IPV6CP left Opened while the link stays (the gateway closed or
			      * renegotiates it): stop using IPv6 until IPV6_UP; IPv4 goes on */
};

struct ppp_ip_result {
	struct in_addr local;
	struct in_addr peer;  /* 0.0.0.0 if the gateway did not say */
	struct in_addr dns1;  /* 0.0.0.0: none */
	struct in_addr dns2;
	uint16_t peer_mru;    /* the most we may send in one frame */
	uint16_t mru;         /* the most the gateway will send us */
};

/* What IPV6CP agreed on (RFC 5072 §4.1): the interface identifiers that make each end's
 * link-local address fe80::/64 + identifier (§5). Global addresses come later from router
 * advertisements or DHCPv6 over the link, not from PPP. */
struct ppp_ipv6_result {
	uint8_t local[8];
	uint8_t peer[8];      /* all zero if the gateway did not say */
};

struct ppp_event {
	enum ppp_event_type type;
	enum ppp_failure failure;
	const char *text;                    /* valid during the callback */
	const struct ppp_ip_result *ip;      /* UP */
	const struct ppp_ipv6_result *ipv6;  /* IPV6_UP */
};

struct ppp_ops {
	/* A packet body for @protocol: the caller adds FF 03 and the protocol field
	 * (ppp_frame_push) and sends it in an L2TP data message. */
	void (*send)(void *user, uint16_t protocol, const uint8_t *data, size_t len);
	void (*event)(void *user, const struct ppp_event *event);
	/* Fills @buf with random bytes (Magic-Numbers, MS-CHAPv2's Peer-Challenge). */
	int (*random)(void *user, uint8_t *buf, size_t len);
};

struct ppp;

/* Copies user and password; NULL if the config is unusable (no user, no method, names or
 * password longer than 255 bytes, MRU below 128). */
struct ppp *ppp_new(const struct ppp_config *config, const struct ppp_ops *ops, void *user);
/* Wipes the password; accepts NULL; returns NULL. */
struct ppp *ppp_free(struct ppp *p);

/* The L2TP session is up: LCP Open and Up (RFC 1661 §4.3). */
int ppp_start(struct ppp *p, uint64_t now_ms);
/* A frame from an L2TP data message: optional FF 03, a 1- or 2-byte protocol field. */
void ppp_receive(struct ppp *p, const uint8_t *frame, size_t len, uint64_t now_ms);
void ppp_tick(struct ppp *p, uint64_t now_ms);
/* UINT64_MAX: none. */
uint64_t ppp_next_deadline(const struct ppp *p);
/* LCP Terminate-Request, which ends IPCP and IPV6CP with it; DOWN follows when the gateway
 * acknowledges (or after 2 tries). */
void ppp_close(struct ppp *p, uint64_t now_ms);

enum ppp_phase ppp_phase(const struct ppp *p);
enum ppp_failure ppp_failure(const struct ppp *p);
const char *ppp_failure_text(const struct ppp *p);
uint64_t ppp_drops(const struct ppp *p, enum ppp_drop reason);
/* The method LCP agreed on (a PPP_AUTH_* bit, 0 for none). */
unsigned ppp_auth_method(const struct ppp *p);

/*
 * The hot path. ppp_frame_parse: the protocol of a received frame and the offset of its
 * payload; -EBADMSG if truncated or the protocol field is invalid (RFC 1661 §2: the low
 * octet odd, the high octet even). ppp_frame_push: prepends FF 03 and the 2-byte protocol
 * into @w's headroom; always the full form, which every peer accepts.
 */
int ppp_frame_parse(const uint8_t *frame, size_t len, uint16_t *ret_protocol,
		    size_t *ret_payload_off);
int ppp_frame_push(struct pkt_writer *w, uint16_t protocol);

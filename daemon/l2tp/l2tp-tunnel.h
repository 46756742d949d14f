/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The L2TPv2 control connection and its one session, as the LAC (RFC 2661 §5, §7): roadie
 * asks the LNS for a tunnel and an incoming call, then PPP runs over the session.
 *
 *	SCCRQ ->, <- SCCRP, SCCCN ->		the tunnel (§5.1), TUNNEL_UP
 *	ICRQ ->, <- ICRP, ICCN ->		the session (§5.2.1), SESSION_UP
 *	HELLO after a silence (§5.5); CDN and StopCCN to close (§5.6, §5.7)
 *
 * Reliable delivery (§5.8): every message but a ZLB carries Ns; Nr acknowledges the peer's;
 * a send queue respects the peer's Receive Window Size; unacknowledged messages are sent
 * again with exponential backoff; acks ride on the next message, and a ZLB carries them
 * when nothing else goes out for a short while.
 *
 * Tunnel authentication (§5.1.1) when a secret is configured: a Challenge in SCCRQ whose
 * response the SCCRP must carry, and our answer to the LNS's Challenge in SCCCN. With
 * hide_avps, the attributes §4.4 allows to hide go hidden (§4.3).
 *
 * Sans I/O: control messages go out through ops->send (the caller adds UDP and ESP) and come
 * in through l2tp_tunnel_receive; time is now_ms. The LNS may answer from a port other than
 * 1701 (§8.1): the caller, which owns the socket, follows it.
 *
 * States (one writer: l2tp_tunnel_enter_state):
 *
 *   IDLE --start--> WAIT_SCCRP --SCCRP--> WAIT_ICRP --ICRP--> ESTABLISHED --close--> CLOSING
 *   any --StopCCN/CDN, silence, a protocol error--> FAILED (connecting) or CLOSED (up)
 *   CLOSING --StopCCN acknowledged, or no answer--> CLOSED
 *
 * After FAILED or CLOSED the tunnel may still deliver its last StopCCN (tick it while
 * l2tp_tunnel_next_deadline is not UINT64_MAX) and acknowledges the peer's retransmissions.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum l2tp_tunnel_state {
	L2TP_TUNNEL_IDLE,
	L2TP_TUNNEL_WAIT_SCCRP,
	L2TP_TUNNEL_WAIT_ICRP,
	L2TP_TUNNEL_ESTABLISHED,
	L2TP_TUNNEL_CLOSING,
	L2TP_TUNNEL_CLOSED,
	L2TP_TUNNEL_FAILED,
};

const char *l2tp_tunnel_state_name(enum l2tp_tunnel_state state);

enum l2tp_failure {
	L2TP_FAIL_NONE,
	L2TP_FAIL_NO_ANSWER,      /* the last retransmission went unanswered */
	L2TP_FAIL_REFUSED,        /* StopCCN or CDN from the LNS */
	L2TP_FAIL_AUTHENTICATION, /* tunnel authentication: secret missing or different */
	L2TP_FAIL_PROTOCOL,       /* an unknown mandatory AVP, an unsupported version */
	L2TP_FAIL_INTERNAL,       /* randomness or message building failed on our side */
};

/* Counted reasons for dropped control messages (STYLE.md rule 5). */
enum l2tp_drop {
	L2TP_DROP_MALFORMED,        /* header or AVPs broken, or a required AVP missing */
	L2TP_DROP_NOT_CONTROL,      /* a data message handed to the control path */
	L2TP_DROP_WRONG_TUNNEL,     /* not our tunnel ID */
	L2TP_DROP_WRONG_SESSION,    /* a session message for a session that is not ours (acked) */
	L2TP_DROP_BAD_NR,           /* acknowledges a message we never sent */
	L2TP_DROP_DUPLICATE,        /* Ns below the expected one: acknowledged again */
	L2TP_DROP_OUT_OF_ORDER,     /* Ns ahead of the expected one, within our window */
	L2TP_DROP_BEYOND_WINDOW,    /* Ns beyond our receive window */
	L2TP_DROP_UNEXPECTED,       /* valid, but not for this state (acked, then ignored) */
	L2TP_DROP_HIDDEN_NO_SECRET, /* hidden AVPs, and no secret to unhide them */
	L2TP_DROP_COUNT,
};

struct l2tp_config {
	const char *host_name;   /* Host Name AVP; NULL: "roadie" */
	const char *vendor_name; /* Vendor Name AVP; NULL: "roadie" */
	const uint8_t *secret;   /* tunnel secret (§5.1.1); NULL: no tunnel authentication */
	size_t secret_len;
	bool hide_avps;            /* hide what §4.4 allows (needs the secret) */
	uint16_t recv_window;      /* our Receive Window Size; 0: 8 */
	uint32_t hello_interval_s; /* HELLO after this much silence; 0: 60 */
	unsigned tries;            /* transmissions of a message before giving up; 0: 5 */
	uint32_t first_timeout_ms; /* 0: 1000, doubled after each try up to 8 s (§5.8) */
};

enum l2tp_event_type {
	L2TP_EVENT_TUNNEL_UP,  /* SCCRP accepted, SCCCN sent */
	L2TP_EVENT_SESSION_UP, /* ICRP accepted, ICCN sent: the ids are what the data plane needs */
	L2TP_EVENT_FAILED,     /* the attempt is over: text, and the LNS's result if any */
	L2TP_EVENT_CLOSED,     /* after our close or the LNS's StopCCN/CDN when up */
};

struct l2tp_event {
	enum l2tp_event_type type;
	enum l2tp_failure failure;
	uint16_t tunnel_id;      /* ours: the LNS sends with it */
	uint16_t peer_tunnel_id; /* the LNS's: we send with it */
	uint16_t session_id;
	uint16_t peer_session_id;
	bool has_result; /* the LNS's StopCCN/CDN result (§4.4.2) */
	uint16_t result_code;
	bool has_error;
	uint16_t error_code;
	const char *text; /* a sentence, valid during the callback */
};

struct l2tp_ops {
	/* One control message for the LNS; the caller wraps it in UDP and ESP. */
	void (*send)(void *user, const uint8_t *data, size_t len);
	/* Events; the callback must not free the tunnel. */
	void (*event)(void *user, const struct l2tp_event *event);
	int (*random)(void *user, uint8_t *buf, size_t len);
};

struct l2tp_tunnel;

/* NULL for a config it cannot use (names longer than 128 bytes, hiding without a secret). */
struct l2tp_tunnel *l2tp_tunnel_new(const struct l2tp_config *config, const struct l2tp_ops *ops,
				    void *user);
/* Frees, wiping the secret; accepts NULL; returns NULL. */
struct l2tp_tunnel *l2tp_tunnel_free(struct l2tp_tunnel *t);

/* Sends SCCRQ. -EALREADY when not IDLE; other errors (randomness) leave it FAILED. */
int l2tp_tunnel_start(struct l2tp_tunnel *t, uint64_t now_ms);
/* One control message from the LNS (UDP payload, after ESP). */
void l2tp_tunnel_receive(struct l2tp_tunnel *t, const uint8_t *data, size_t len, uint64_t now_ms);
/* Retransmissions, the delayed ack, HELLO, giving up. */
void l2tp_tunnel_tick(struct l2tp_tunnel *t, uint64_t now_ms);
/* UINT64_MAX: nothing to do. */
uint64_t l2tp_tunnel_next_deadline(const struct l2tp_tunnel *t);
/* Data from the LNS arrived: it is alive, HELLO can wait (§5.5 counts data too). */
void l2tp_tunnel_peer_alive(struct l2tp_tunnel *t, uint64_t now_ms);
/* CDN (when the session is up) and StopCCN with result 1, sent reliably; CLOSED follows when
 * the LNS acknowledges or after the tries. Before SCCRP nothing is sent: CLOSED at once. */
void l2tp_tunnel_close(struct l2tp_tunnel *t, uint64_t now_ms);

enum l2tp_tunnel_state l2tp_tunnel_state(const struct l2tp_tunnel *t);
enum l2tp_failure l2tp_tunnel_failure(const struct l2tp_tunnel *t);
/* The last FAILED or CLOSED sentence ("" before). */
const char *l2tp_tunnel_text(const struct l2tp_tunnel *t);
uint64_t l2tp_tunnel_drops(const struct l2tp_tunnel *t, enum l2tp_drop reason);
/* The ids (0 until known). */
uint16_t l2tp_tunnel_id(const struct l2tp_tunnel *t);
uint16_t l2tp_tunnel_peer_id(const struct l2tp_tunnel *t);
uint16_t l2tp_tunnel_session_id(const struct l2tp_tunnel *t);
uint16_t l2tp_tunnel_peer_session_id(const struct l2tp_tunnel *t);

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The option-negotiation automaton of RFC 1661 §4, once, for every PPP control protocol.
 *
 * LCP and IPCP differ only in their options and in a few extra codes, so each is a const
 * table of callbacks (struct ppp_fsm_callbacks) over this one automaton, the idea of pppd's
 * fsm.c without its globals: struct ppp_fsm holds the state, the restart timer and counter,
 * and the identifier of our outstanding Configure-Request.
 *
 * States, events and actions are those of RFC 1661 §4.1 (the table is in ppp-fsm.c).
 * Restart timer 3 s, Max-Configure 10, Max-Terminate 2, Max-Failure 5 (RFC 1661 §4.6).
 *
 * Packets (RFC 1661 §5): Code, Identifier, Length, then data; options (§6) are Type,
 * Length >= 2, value, each read through a bounded sub-reader. A packet whose structure is
 * broken is dropped before any action, so it changes nothing.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/pkt.h"

enum ppp_code {
	PPP_CONF_REQ = 1,
	PPP_CONF_ACK = 2,
	PPP_CONF_NAK = 3,
	PPP_CONF_REJ = 4,
	PPP_TERM_REQ = 5,
	PPP_TERM_ACK = 6,
	PPP_CODE_REJ = 7,
	/* LCP only (RFC 1661 §5.7-5.9) */
	PPP_PROTO_REJ = 8,
	PPP_ECHO_REQ = 9,
	PPP_ECHO_REP = 10,
	PPP_DISCARD_REQ = 11,
};

#define PPP_HEADER_LEN 4          /* Code, Identifier, Length */
#define PPP_FSM_RESTART_MS 3000   /* RFC 1661 §4.6 */
#define PPP_FSM_MAX_CONFIGURE 10
#define PPP_FSM_MAX_TERMINATE 2
#define PPP_FSM_MAX_FAILURE 5
/* Our packets never exceed this; a peer's Configure-Request that would need a longer answer
 * is dropped. 1500 is the default MRU every peer accepts. */
#define PPP_FSM_MAX_PACKET 1500
#define PPP_FSM_MAX_REQUEST 256   /* our Configure-Request's options, kept to check the Ack */

enum ppp_fsm_state {
	PPP_FSM_INITIAL,
	PPP_FSM_STARTING,
	PPP_FSM_CLOSED,
	PPP_FSM_STOPPED,
	PPP_FSM_CLOSING,
	PPP_FSM_STOPPING,
	PPP_FSM_REQ_SENT,
	PPP_FSM_ACK_RCVD,
	PPP_FSM_ACK_SENT,
	PPP_FSM_OPENED,
};

const char *ppp_fsm_state_name(enum ppp_fsm_state state);

/* Why the automaton called this-layer-finished, for the owner's sentence. */
enum ppp_fsm_why {
	PPP_FSM_WHY_NONE,
	PPP_FSM_WHY_TIMEOUT,    /* Max-Configure Configure-Requests went unanswered or unagreed */
	PPP_FSM_WHY_PEER_TERM,  /* the peer sent Terminate-Request */
	PPP_FSM_WHY_CLOSED,     /* we closed (Close event), the Terminate exchange is over */
	PPP_FSM_WHY_REJECTED,   /* RXJ-: the peer rejected the protocol or one of its codes */
};

enum ppp_fsm_verdict {
	PPP_OPT_ACK,
	PPP_OPT_NAK,
	PPP_OPT_REJ,
};

struct ppp_fsm;

struct ppp_fsm_callbacks {
	const char *name;  /* "LCP", "IPCP": for logs and sentences */
	uint16_t protocol;

	/* A new negotiation starts: back to the options we want. */
	void (*reset)(struct ppp_fsm *f);
	/* Appends the options of our Configure-Request. */
	int (*build_request)(struct ppp_fsm *f, struct pkt_writer *w);
	/* Judges one option of the peer's Configure-Request; @value is its data. On NAK it
	 * appends the whole option it suggests instead to @nak. It commits nothing: the request
	 * may still be refused as a whole. */
	enum ppp_fsm_verdict (*check_option)(struct ppp_fsm *f, uint8_t type,
					     struct pkt_reader value, struct pkt_writer *nak);
	/* The peer's request is Acked: forget the last one (peer_begin), then take its options. */
	void (*peer_begin)(struct ppp_fsm *f);
	void (*apply_option)(struct ppp_fsm *f, uint8_t type, struct pkt_reader value);
	/* The peer Acked our request: what we asked for holds. */
	void (*ack_received)(struct ppp_fsm *f);
	/* One option of the peer's Configure-Nak (a value it suggests) or Configure-Reject. */
	void (*nak_option)(struct ppp_fsm *f, uint8_t type, struct pkt_reader value);
	void (*reject_option)(struct ppp_fsm *f, uint8_t type, struct pkt_reader value);

	/* this-layer-up, -down, -started, -finished (RFC 1661 §4.4); started may be NULL. */
	void (*up)(struct ppp_fsm *f);
	void (*down)(struct ppp_fsm *f);
	void (*started)(struct ppp_fsm *f);
	void (*finished)(struct ppp_fsm *f);

	/* Codes beyond 1-7 (LCP's 8-11); NULL if none. Returns 0 when handled, -ENOENT for a
	 * code it does not know (the automaton answers Code-Reject), -EBADMSG if malformed,
	 * -EPROTO if not expected now. */
	int (*extra_code)(struct ppp_fsm *f, uint8_t code, uint8_t id, struct pkt_reader data,
			  uint64_t now);
	/* The peer Code-Rejected one of our extra codes (RXJ+, RFC 1661 §5.6); may be NULL. */
	void (*code_rejected)(struct ppp_fsm *f, uint8_t code);
};

typedef void (*ppp_fsm_output_fn)(void *ctx, uint16_t protocol, const uint8_t *data, size_t len);

struct ppp_fsm {
	const struct ppp_fsm_callbacks *cb;
	void *ctx;               /* the owner, for the callbacks */
	ppp_fsm_output_fn output;

	enum ppp_fsm_state state;
	enum ppp_fsm_why why;
	uint64_t now;            /* time of the event being handled */
	uint64_t deadline;       /* restart timer; UINT64_MAX: stopped */
	unsigned restart;        /* restart counter */
	unsigned naks_sent;      /* Configure-Naks since our last Configure-Ack (Max-Failure) */
	uint8_t id;              /* last identifier we used */
	uint8_t req_id;          /* identifier of our outstanding Configure-Request */
	bool req_answered;       /* an Ack/Nak/Reject for req_id was taken already */
	bool heard;              /* the peer sent anything well-formed in this negotiation */
	uint8_t req[PPP_FSM_MAX_REQUEST]; /* options of our outstanding Configure-Request */
	size_t req_len;
};

void ppp_fsm_init(struct ppp_fsm *f, const struct ppp_fsm_callbacks *cb, void *ctx,
		  ppp_fsm_output_fn output);

/* The events from below (Up, Down) and from the administrator (Open, Close). */
void ppp_fsm_up(struct ppp_fsm *f, uint64_t now);
void ppp_fsm_down(struct ppp_fsm *f, uint64_t now);
void ppp_fsm_open(struct ppp_fsm *f, uint64_t now);
void ppp_fsm_close(struct ppp_fsm *f, uint64_t now);

/* One packet of this protocol (Code, Identifier, Length, data; bytes past Length are padding
 * and ignored, RFC 1661 §5). 0, or a drop: -EBADMSG malformed, -ESTALE an answer to a request
 * that is not our outstanding one, -EPROTO not expected in this state. */
int ppp_fsm_input(struct ppp_fsm *f, struct pkt_reader packet, uint64_t now);

/* TO+ / TO- when the restart timer has run out. */
void ppp_fsm_tick(struct ppp_fsm *f, uint64_t now);
uint64_t ppp_fsm_deadline(const struct ppp_fsm *f);

/* RXJ- from outside: LCP received a Protocol-Reject for this protocol. */
void ppp_fsm_protocol_rejected(struct ppp_fsm *f, uint64_t now);

/* Sends a packet of this protocol with a fresh identifier (extra codes: Echo, Protocol-Reject). */
int ppp_fsm_send(struct ppp_fsm *f, uint8_t code, uint8_t id, const void *data, size_t len);
uint8_t ppp_fsm_next_id(struct ppp_fsm *f);

/* Walks the options of a Configure packet: 1 and the next option, 0 at the end, -EBADMSG if
 * an option's Length is below 2 or runs past the packet. */
int ppp_fsm_next_option(struct pkt_reader *opts, uint8_t *ret_type, struct pkt_reader *ret_value);
/* Appends one option (Type, Length, value). */
int ppp_fsm_put_option(struct pkt_writer *w, uint8_t type, const void *value, size_t len);

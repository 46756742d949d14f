/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One IKEv1 ISAKMP SA as the initiator: Main Mode with a pre-shared key (RFC 2409 §5.4) or
 * with RSA or ECDSA signatures and certificates (§5.1, RFC 4754), NAT-T (RFC 3947), IKE
 * fragmentation (ike-frag.h) for messages that would not fit the path, retransmissions, and
 * the errors a user can act on.
 *
 * Sans I/O: bytes and time go in (ike_sa_receive, ike_sa_tick), datagrams and events come out
 * through struct ike_ops. No sockets, no clock, no randomness of its own: the ops provide
 * them, so unit tests and fuzzers replay whole exchanges.
 *
 * States (one writer: ike_sa_enter_state):
 *
 *   IDLE --start--> MM1_SENT --MM2--> MM3_SENT --MM4--> MM5_SENT --MM6--> ESTABLISHED
 *     any state --last retransmission unanswered, or a consistent refusal--> FAILED
 *     ESTABLISHED --delete sent or received--> DELETED
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike-keymat.h"
#include "ike-natt.h"
#include "ike-payload-id.h"
#include "proposal.h"

#include <openssl/evp.h>

enum ike_sa_state {
	IKE_SA_IDLE,
	IKE_SA_MM1_SENT,
	IKE_SA_MM3_SENT,
	IKE_SA_MM5_SENT,
	IKE_SA_ESTABLISHED,
	IKE_SA_DELETED,
	IKE_SA_FAILED,
};

const char *ike_sa_state_name(enum ike_sa_state state);

/* Why an attempt failed; each has a sentence for the user (ike_sa_failure_text). */
enum ike_sa_failure {
	IKE_FAIL_NONE,
	IKE_FAIL_NO_ANSWER,        /* silence from the start */
	IKE_FAIL_NO_PROPOSAL,      /* NO-PROPOSAL-CHOSEN, or the gateway picked one we did not offer */
	IKE_FAIL_AUTHENTICATION,   /* the PSK: refused or silence after MM5, or a bad HASH_R */
	IKE_FAIL_ID_MISMATCH,      /* the gateway's ID is not the one the profile expects */
	IKE_FAIL_AGGRESSIVE_ONLY,  /* the gateway answered with another exchange type */
	IKE_FAIL_PROTOCOL,         /* a notification we cannot act on, or a broken exchange */
	IKE_FAIL_INTERNAL,         /* a resource or crypto failure on our side */
	IKE_FAIL_DEAD_PEER,        /* no answer to dead peer detection */
	IKE_FAIL_PEER_CERT,        /* the gateway's certificate or signature did not pass */
	IKE_FAIL_CERT_REJECTED,    /* ours: refused or silence after MM5 with signatures */
};

/* Counted reasons for dropped messages (STYLE.md rule 5). */
enum ike_sa_drop {
	IKE_DROP_MALFORMED,
	IKE_DROP_WRONG_COOKIE,
	IKE_DROP_UNEXPECTED,   /* not the message this state waits for */
	IKE_DROP_RETRANSMIT,   /* a copy of one we already processed: answered from cache */
	IKE_DROP_BAD_HASH,
	IKE_DROP_COUNT,
};

/* Bytes somebody else owns (a DER certificate, a distinguished name). */
struct ike_blob {
	const uint8_t *data;
	size_t len;
};

#define IKE_MAX_CERTS 4 /* ours or the gateway's: the leaf and up to three more */

struct ike_sa_config {
	const RoadieSuite *suites; /* IKE proposals, in order of preference */
	unsigned n_suites;
	const uint8_t *psk;        /* pre-shared key authentication, unless sig_key is set */
	size_t psk_len;
	/* signature authentication (RFC 2409 §5.1) when set: our private key (RSA, or ECDSA on
	 * P-256/P-384: the auth method follows the key; the SA takes its own reference), our
	 * certificate and the intermediates to send after it (DER, copied), and the DER
	 * distinguished name of the CA we trust for the gateway, named in our CR payload
	 * (len 0: any CA). The gateway's certificates are judged by ops->verify_peer. */
	EVP_PKEY *sig_key;
	struct ike_blob certs[IKE_MAX_CERTS];
	unsigned n_certs;
	struct ike_blob ca_dn;
	/* announce IKE fragmentation, and fragment a message longer than frag_datagram (the
	 * largest datagram the path carries whole; 0: 1280 - headers) when the gateway
	 * announced it too */
	bool fragmentation;
	size_t frag_datagram;
	struct ike_id local_id;  /* type 0: our IPv4/IPv6 address */
	struct ike_id remote_id; /* type 0: accept the gateway's address as its ID */
	uint32_t lifetime;       /* seconds */
	struct ike_natt_addr local;  /* our address and the port we send from */
	struct ike_natt_addr remote; /* the gateway's address, port 500 */
	bool force_encapsulation;
	unsigned tries;          /* transmissions of a message before giving up (5) */
	uint32_t dpd_interval;   /* seconds of silence before R-U-THERE (RFC 3706); 0: off */
	uint32_t dpd_timeout;    /* seconds without an answer before the gateway counts as dead */
	uint32_t first_timeout_ms; /* 1000, doubled after each try */
	bool renewal;            /* replaces an ISAKMP SA the gateway knows: no INITIAL-CONTACT,
				  * which would make it delete our ESP SAs (RFC 2407 §4.6.3.3) */
};

enum ike_event_type {
	IKE_EVENT_STATE,       /* the state changed */
	IKE_EVENT_VENDOR,      /* the gateway sent a vendor ID (name in text) */
	IKE_EVENT_NOTIFY,      /* an unauthenticated notification arrived and was noted */
	IKE_EVENT_ESTABLISHED, /* phase 1 done: suite, NAT state */
	IKE_EVENT_FAILED,      /* failure and its sentence */
	IKE_EVENT_CHILD_UP,    /* a Quick Mode finished: the ESP SA pair in child */
	IKE_EVENT_CHILD_FAILED,/* a Quick Mode failed: text says why (the ISAKMP SA stays) */
	IKE_EVENT_DELETED,     /* the gateway deleted the ISAKMP SA or an ESP SA (child set) */
};

/* An ESP SA pair for L2TP in transport mode, as Quick Mode negotiated it (RFC 2409 §5.5). */
#define IKE_CHILD_MAX_KEY 96 /* AES-256 + SHA-512 */

struct ike_child {
	RoadieSuite suite;     /* dh: the PFS group used, NONE without */
	uint16_t encap_mode;   /* as negotiated, RFC or draft value */
	bool udp_encap;        /* ESP in UDP 4500 (RFC 3948) */
	uint32_t spi_in;       /* chosen by us: the gateway sends with it */
	uint32_t spi_out;      /* chosen by the gateway */
	uint8_t key_in[IKE_CHILD_MAX_KEY];
	uint8_t key_out[IKE_CHILD_MAX_KEY];
	size_t enc_key_len;    /* encryption key first (with GCM's 4-byte salt), then ... */
	size_t integ_key_len;  /* ... the integrity key */
	uint32_t life_seconds;
	uint32_t life_kilobytes;
	uint16_t local_port;   /* our L2TP source port, as in IDci */
};

struct ike_qm_config {
	const RoadieSuite *suites; /* ESP proposals */
	unsigned n_suites;
	RoadieDhGroup pfs;         /* NONE, or the group for this attempt's KE */
	uint32_t life_seconds;
	uint32_t life_kilobytes;   /* 0: none */
	uint16_t local_port;       /* our L2TP source port: 1701 or ephemeral */
	uint16_t remote_port;      /* the LNS's: 1701 */
};

struct ike_event {
	enum ike_event_type type;
	enum ike_sa_state state;
	enum ike_sa_failure failure;
	const char *text; /* a sentence for logs and users, valid during the callback */
	const struct ike_child *child; /* CHILD_UP, DELETED of an ESP SA */
	uint16_t notify; /* CHILD_FAILED: the gateway's notification, 0 for silence */
};

struct ike_ops {
	/* Send a datagram to the gateway: to port 4500 (with the non-ESP marker, RFC 3948
	 * §2.2, added by the caller) when @natt_port, else to 500. */
	void (*send)(void *user, const uint8_t *data, size_t len, bool natt_port);
	void (*event)(void *user, const struct ike_event *event);
	/* Fill @buf with random bytes (cookies, nonces); DH keys come from OpenSSL. */
	int (*random)(void *user, uint8_t *buf, size_t len);
	/* Signature authentication only: judge the gateway's certificates (DER, in the order
	 * it sent them) and the ID it gave in MM6 (the chain, dates, usage, the ID against the
	 * certificate and the profile's remote ID). Returns the public key its SIG must verify
	 * with (a new reference), or NULL with a sentence in @why. */
	EVP_PKEY *(*verify_peer)(void *user, const struct ike_blob *certs, unsigned n_certs,
				 const struct ike_id *id, char *why, size_t why_len);
};

struct ike_sa;

struct ike_sa *ike_sa_new(const struct ike_sa_config *config, const struct ike_ops *ops,
			  void *user);
/* Frees, wiping every key; accepts NULL; returns NULL. */
struct ike_sa *ike_sa_free(struct ike_sa *sa);

int ike_sa_start(struct ike_sa *sa, uint64_t now_ms);
/* A datagram from the gateway (without the non-ESP marker); @natt_port: it came on 4500. */
void ike_sa_receive(struct ike_sa *sa, const uint8_t *data, size_t len, bool natt_port,
		    uint64_t now_ms);
/* Retransmits or fails when a deadline passed. */
void ike_sa_tick(struct ike_sa *sa, uint64_t now_ms);
/* The next deadline (UINT64_MAX: none). */
uint64_t ike_sa_next_deadline(const struct ike_sa *sa);

enum ike_sa_state ike_sa_state(const struct ike_sa *sa);
enum ike_sa_failure ike_sa_failure(const struct ike_sa *sa);
const char *ike_sa_failure_text(const struct ike_sa *sa);
uint64_t ike_sa_drops(const struct ike_sa *sa, enum ike_sa_drop reason);

/* Starts a Quick Mode for an ESP SA pair (transport mode, UDP between our port and 1701).
 * -EBUSY while one is in flight, -ENOTCONN before phase 1 is up. */
int ike_sa_quick_mode(struct ike_sa *sa, const struct ike_qm_config *config, uint64_t now_ms);
/* Sends DELETEs for the ESP SAs (by our inbound SPI) and then the ISAKMP SA (RFC 2408 §3.15),
 * unreliably, as every IKEv1 implementation does; the SA is DELETED afterwards. */
void ike_sa_delete(struct ike_sa *sa, const uint32_t *spis_in, unsigned n_spis);
/* Our last Quick Mode's final message (QM3) again. The gateway installs its ESP SAs only when
 * QM3 arrives, and QM3 is never acknowledged: if it was lost, the gateway retransmits QM2
 * with a backoff that can outlast the caller's first messages through the tunnel. A caller
 * that has seen no ESP from the gateway yet sends QM3 again (a gateway that has it ignores
 * the copy). False when there is no finished exchange of ours. */
bool ike_sa_resend_qm3(struct ike_sa *sa);
/* DELETE for one ESP SA (by our inbound SPI): the old pair after a rekey. */
void ike_sa_delete_child(struct ike_sa *sa, uint32_t spi_in);

/* True when @data (an ISAKMP message) carries this SA's initiator cookie. */
bool ike_sa_owns(const struct ike_sa *sa, const uint8_t *data, size_t len);

/* Traffic arrived from the gateway (ESP, for instance): it is alive, DPD can wait. */
void ike_sa_peer_alive(struct ike_sa *sa, uint64_t now_ms);

/* After ESTABLISHED: what was negotiated. */
const RoadieSuite *ike_sa_suite(const struct ike_sa *sa);
struct ike_natt_result ike_sa_nat(const struct ike_sa *sa);
bool ike_sa_floated(const struct ike_sa *sa);
enum ike_natt_version ike_sa_natt_version(const struct ike_sa *sa);
bool ike_sa_peer_dpd(const struct ike_sa *sa);
const struct ike_keymat *ike_sa_keymat(const struct ike_sa *sa);
/* The initiator cookie (IKE_COOKIE_LEN bytes): with the keys, what names the SA in a capture. */
const uint8_t *ike_sa_cookie_i(const struct ike_sa *sa);

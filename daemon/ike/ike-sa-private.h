/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ISAKMP SA's inside, shared by the files that run exchanges on it: ike-sa.c (Main Mode),
 * ike-quick-mode.c and ike-info.c. Nothing outside daemon/ike/ includes this.
 */
#pragma once

#include "crypto/crypto-dh.h"
#include "ike-frag.h"
#include "ike-sa.h"

#define IKE_NONCE_LEN 32
#define IKE_NONCE_MIN 8   /* RFC 2409 §5: 8 to 256 bytes */
#define IKE_NONCE_MAX 256
/* After MM5 a wrong pre-shared key often shows only as silence: give up sooner there, so the
 * user hears "the gateway rejected the pre-shared key" within 10 s. Silence can also be loss,
 * so message 5 goes more often rather than for longer: 5 tries 1.2 s apart (a gateway
 * answers a repeated MM5 with its MM6 again); with 10 % loss each way, all 5 round trips
 * fail once in 4000 connects, where 3 tries with backoff failed once in 140. */
#define IKE_TRIES_AFTER_MM5 5
/* Once the gateway has answered MM1, silence is loss or a busy gateway, not a proposal list
 * it ignores: MM3 gets the full count even when the caller asked for few tries (a proposal
 * list with shorter ones after it, ike-fallback.h). */
#define IKE_TRIES_ANSWERED 5
#define IKE_MM5_INTERVAL_MS 1200

#define IKE_SA_MAX_RESPONDER_QM 4

struct ike_sa {
	struct ike_sa_config cfg;
	RoadieSuite *suites;
	uint8_t *psk;
	uint16_t auth_method;       /* IKE_AUTH_PSK, _RSA_SIG, _ECDSA_256 or _384 */
	uint8_t *cert_data[IKE_MAX_CERTS]; /* our certificates, copied */
	uint8_t *ca_dn_data;
	bool peer_frag;             /* the gateway announced IKE fragmentation */
	struct ike_frag_reasm *reasm;  /* allocated with the first fragment */
	uint8_t *reasm_out;         /* IKE_FRAG_REASM_MAX bytes */
	uint8_t local_id_data[IKE_ID_MAX_DATA];
	uint8_t remote_id_data[IKE_ID_MAX_DATA];
	const struct ike_ops *ops;
	void *user;

	enum ike_sa_state state;
	enum ike_sa_failure failure;
	char failure_text[512];
	uint64_t drops[IKE_DROP_COUNT];

	uint8_t cky_i[IKE_COOKIE_LEN];
	uint8_t cky_r[IKE_COOKIE_LEN];

	/* the last message sent, for retransmission, and the digest of the last one accepted,
	 * to recognise the peer's retransmissions */
	uint8_t out[IKE_MESSAGE_MAX];
	size_t out_len;
	bool out_natt;
	unsigned tries;
	uint32_t timeout_ms;
	uint64_t deadline;
	uint8_t last_in[32];
	bool have_last_in;

	/* unauthenticated notifications seen in the current state (never acted on alone) */
	uint16_t notify;
	unsigned notify_count;
	bool aggressive_reply;

	uint8_t *sai_b;
	size_t sai_len;
	RoadieSuite suite;
	enum ike_natt_version natt;
	bool peer_dpd;
	crypto_dh *dh;
	uint8_t gxi[CRYPTO_DH_MAX_LEN];
	uint8_t gxr[CRYPTO_DH_MAX_LEN];
	size_t gx_len;
	uint8_t ni[IKE_NONCE_LEN];
	uint8_t nr[IKE_NONCE_MAX];
	size_t nr_len;
	struct ike_keymat km;
	crypto_cbc *cbc;
	uint8_t iv[CRYPTO_CBC_MAX_BLOCK];
	struct ike_natt_result nat;
	bool floated;

	/* after phase 1: the Quick Mode in flight (one at a time as initiator), the ones the
	 * gateway started, and the ESP policy its offers are held against */
	struct ike_qm *qm;
	struct ike_qm *resp[IKE_SA_MAX_RESPONDER_QM];
	struct ike_qm_config policy;
	RoadieSuite *policy_suites;

	/* dead peer detection (RFC 3706 §5): the last sign of life, and the request out */
	uint64_t last_alive;
	uint32_t dpd_seq;
	bool dpd_pending;
	uint64_t dpd_first_sent;
	uint64_t dpd_next;
};

/* One Quick Mode as initiator (ike-quick-mode.c). */
struct ike_qm;

struct ike_qm *ike_qm_new(struct ike_sa *sa, const struct ike_qm_config *config, uint64_t now,
			  int *ret_err);
struct ike_qm *ike_qm_free(struct ike_qm *qm);
/* Answers a Quick Mode the gateway started (its QM1 in @data); -ENOTSUP if nothing in its
 * offer fits @policy, -EBADMSG / -EACCES for a malformed or forged message. */
struct ike_qm *ike_qm_respond(struct ike_sa *sa, const struct ike_qm_config *policy,
			      const uint8_t *data, size_t len, uint64_t now, int *ret_err);
/* A Quick Mode message for this M-ID (the header parsed, the body still encrypted). */
bool ike_qm_owns(const struct ike_qm *qm, uint32_t message_id);
/* Our QM3 again, for an exchange of ours that is done (ike_sa_resend_qm3). */
bool ike_qm_resend_final(struct ike_sa *sa, struct ike_qm *qm);
void ike_qm_receive(struct ike_sa *sa, struct ike_qm *qm, const uint8_t *data, size_t len,
		    uint64_t now);
/* The gateway refused this Quick Mode in an authenticated notification. */
void ike_qm_refused(struct ike_sa *sa, struct ike_qm *qm, uint16_t notify);
void ike_qm_tick(struct ike_sa *sa, struct ike_qm *qm, uint64_t now);
uint64_t ike_qm_deadline(const struct ike_qm *qm);
bool ike_qm_done(const struct ike_qm *qm);

/* Informational exchanges (ike-info.c): authenticated notifications and deletes, DPD. */
void ike_info_receive(struct ike_sa *sa, const uint8_t *data, size_t len, uint64_t now);
/* Sends an encrypted informational message with one payload written by @write. */
int ike_info_send(struct ike_sa *sa, int (*write)(struct pkt_writer *w, struct ike_chain *c,
						  const void *arg),
		  const void *arg);

/* Encrypts an exchange's message in place in @w (header already written, payloads after it):
 * fills the HASH payload at @hash_off (from the packet start) with prf(SKEYID_a, @prefix |
 * bytes after the HASH payload), pads, encrypts with *iv and chains *iv on. Used by Quick
 * Mode and informational exchanges (RFC 2409 §5.5, §5.7). */
int ike_sa_seal(struct ike_sa *sa, struct pkt_writer *w, size_t hash_off, const uint8_t *prefix,
		size_t prefix_len, uint8_t *iv);
/* Decrypts a message copy in place with *iv (chained on only if @commit_iv), checks the HASH
 * payload (the first) against prf(SKEYID_a, @prefix | rest) and splits it into payloads. */
int ike_sa_open(struct ike_sa *sa, uint8_t *data, size_t len, uint8_t *iv, const uint8_t *prefix,
		size_t prefix_len, struct ike_payload *payloads, unsigned *ret_n);

/* Internal: used by the other exchange files. */
/* R-U-THERE with @seq (ike-info.c). */
int ike_info_send_dpd(struct ike_sa *sa, uint32_t seq);
/* An R-U-THERE-ACK with @seq arrived (ike-sa.c). */
void ike_sa_dpd_ack(struct ike_sa *sa, uint32_t seq, uint64_t now);
void ike_sa_enter_deleted(struct ike_sa *sa, const char *text);
void ike_sa_emit(struct ike_sa *sa, enum ike_event_type type, const char *text);
void ike_sa_drop(struct ike_sa *sa, enum ike_sa_drop reason);

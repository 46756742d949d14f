/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <openssl/crypto.h>

#include "crypto/crypto-dh.h"
#include "crypto/crypto-hash.h"
#include "crypto/crypto-sig.h"
#include "ike-payload-cert.h"
#include "ike-crypt.h"
#include "ike-payload-delete.h"
#include "ike-payload-notify.h"
#include "ike-payload-sa.h"
#include "ike-sa.h"
#include "ike-sa-private.h"
#include "ike-vendor.h"
#include "secret.h"

const char *ike_sa_state_name(enum ike_sa_state state)
{
	switch (state) {
	case IKE_SA_IDLE:
		return "idle";
	case IKE_SA_MM1_SENT:
		return "main-mode-1-sent";
	case IKE_SA_MM3_SENT:
		return "main-mode-3-sent";
	case IKE_SA_MM5_SENT:
		return "main-mode-5-sent";
	case IKE_SA_ESTABLISHED:
		return "established";
	case IKE_SA_DELETED:
		return "deleted";
	case IKE_SA_FAILED:
		return "failed";
	}
	return "unknown";
}

void ike_sa_emit(struct ike_sa *sa, enum ike_event_type type, const char *text)
{
	struct ike_event ev = {
		.type = type,
		.state = sa->state,
		.failure = sa->failure,
		.text = text,
	};

	sa->ops->event(sa->user, &ev);
}

/* The only writer of sa->state (STYLE.md rule 6). */
static void ike_sa_enter_state(struct ike_sa *sa, enum ike_sa_state state)
{
	if (sa->state == state)
		return;
	sa->state = state;
	sa->notify = 0;
	sa->notify_count = 0;
	switch (state) {
	case IKE_SA_IDLE:
	case IKE_SA_MM1_SENT:
	case IKE_SA_MM3_SENT:
	case IKE_SA_MM5_SENT:
		break;
	case IKE_SA_ESTABLISHED:
	case IKE_SA_DELETED:
	case IKE_SA_FAILED:
		sa->deadline = UINT64_MAX;
		/* the DH private value is not needed any more */
		sa->dh = crypto_dh_free(sa->dh);
		break;
	}
	ike_sa_emit(sa, IKE_EVENT_STATE, ike_sa_state_name(state));
}

static void ike_sa_fail(struct ike_sa *sa, enum ike_sa_failure failure, const char *format, ...)
	G_GNUC_PRINTF(3, 4);

static void ike_sa_fail(struct ike_sa *sa, enum ike_sa_failure failure, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	vsnprintf(sa->failure_text, sizeof(sa->failure_text), format, args);
	va_end(args);
	sa->failure = failure;
	ike_sa_enter_state(sa, IKE_SA_FAILED);
	ike_sa_emit(sa, IKE_EVENT_FAILED, sa->failure_text);
}

void ike_sa_drop(struct ike_sa *sa, enum ike_sa_drop reason)
{
	static const char *const names[IKE_DROP_COUNT] = {
		[IKE_DROP_MALFORMED] = "malformed",
		[IKE_DROP_WRONG_COOKIE] = "not for this SA",
		[IKE_DROP_UNEXPECTED] = "not expected now",
		[IKE_DROP_RETRANSMIT] = "a retransmission",
		[IKE_DROP_BAD_HASH] = "failed its integrity check",
	};

	sa->drops[reason]++;
	g_debug("IKE: a message dropped in state %s: %s", ike_sa_state_name(sa->state),
		names[reason] ? names[reason] : "?");
}

static void ike_sa_id_copy(struct ike_id *dst, uint8_t *storage, const struct ike_id *src)
{
	*dst = *src;
	if (src->len > IKE_ID_MAX_DATA)
		dst->len = IKE_ID_MAX_DATA;
	if (dst->len)
		memcpy(storage, src->data, dst->len);
	dst->data = storage;
}

/* The auth method our key signs with (RFC 2409 appendix A, RFC 4754 §3 for IKEv1's
 * numbers); 0 for a key IKEv1 cannot use. */
static uint16_t ike_sa_sig_method(EVP_PKEY *key)
{
	switch (EVP_PKEY_get_base_id(key)) {
	case EVP_PKEY_RSA:
		return IKE_AUTH_RSA_SIG;
	case EVP_PKEY_EC:
		switch (EVP_PKEY_get_bits(key)) {
		case 256:
			return IKE_AUTH_ECDSA_256;
		case 384:
			return IKE_AUTH_ECDSA_384;
		case 521:
			return IKE_AUTH_ECDSA_521;
		default:
			return 0;
		}
	default:
		return 0;
	}
}

struct ike_sa *ike_sa_new(const struct ike_sa_config *config, const struct ike_ops *ops,
			  void *user)
{
	struct ike_sa *sa;

	uint16_t method = IKE_AUTH_PSK;

	if (config->n_suites == 0 || config->n_suites > 255 ||
	    (config->local.ip_len != 4 && config->local.ip_len != 16))
		return NULL;
	if (config->sig_key) {
		method = ike_sa_sig_method(config->sig_key);
		if (!method || config->n_certs == 0 || config->n_certs > IKE_MAX_CERTS ||
		    !ops->verify_peer)
			return NULL;
	} else if (!config->psk) {
		return NULL;
	}
	sa = g_new0(struct ike_sa, 1);
	sa->cfg = *config;
	sa->auth_method = method;
	sa->suites = g_memdup2(config->suites, config->n_suites * sizeof(RoadieSuite));
	sa->cfg.suites = sa->suites;
	if (config->sig_key) {
		EVP_PKEY_up_ref(config->sig_key);
		for (unsigned i = 0; i < config->n_certs; i++) {
			sa->cert_data[i] = g_memdup2(config->certs[i].data,
						     config->certs[i].len ? config->certs[i].len : 1);
			sa->cfg.certs[i].data = sa->cert_data[i];
		}
		if (config->ca_dn.len) {
			sa->ca_dn_data = g_memdup2(config->ca_dn.data, config->ca_dn.len);
			sa->cfg.ca_dn.data = sa->ca_dn_data;
		}
		sa->cfg.psk = NULL;
		sa->cfg.psk_len = 0;
	} else {
		sa->psk = g_memdup2(config->psk, config->psk_len ? config->psk_len : 1);
		sa->cfg.psk = sa->psk;
	}
	if (!sa->cfg.frag_datagram)
		sa->cfg.frag_datagram = ike_frag_max_datagram(IKE_FRAG_MTU_IPV6,
							      config->local.ip_len == 16, true);
	ike_sa_id_copy(&sa->cfg.local_id, sa->local_id_data, &config->local_id);
	ike_sa_id_copy(&sa->cfg.remote_id, sa->remote_id_data, &config->remote_id);
	if (!sa->cfg.tries)
		sa->cfg.tries = 5;
	if (!sa->cfg.first_timeout_ms)
		sa->cfg.first_timeout_ms = 1000;
	sa->ops = ops;
	sa->user = user;
	sa->deadline = UINT64_MAX;
	return sa;
}

struct ike_sa *ike_sa_free(struct ike_sa *sa)
{
	if (!sa)
		return NULL;
	ike_qm_free(sa->qm);
	for (unsigned i = 0; i < IKE_SA_MAX_RESPONDER_QM; i++)
		ike_qm_free(sa->resp[i]);
	g_free(sa->policy_suites);
	crypto_dh_free(sa->dh);
	crypto_cbc_free(sa->cbc);
	if (sa->psk)
		roadie_wipe(sa->psk, sa->cfg.psk_len);
	g_free(sa->psk);
	EVP_PKEY_free(sa->cfg.sig_key);
	for (unsigned i = 0; i < IKE_MAX_CERTS; i++)
		g_free(sa->cert_data[i]);
	g_free(sa->ca_dn_data);
	g_free(sa->reasm);
	if (sa->reasm_out)
		roadie_wipe(sa->reasm_out, IKE_FRAG_REASM_MAX);
	g_free(sa->reasm_out);
	g_free(sa->suites);
	g_free(sa->sai_b);
	roadie_wipe(sa, sizeof(*sa)); /* keymat, IVs, nonces */
	g_free(sa);
	return NULL;
}

/* ---- building messages ---- */

struct ike_out {
	struct pkt_writer w;
	struct ike_chain c;
	bool encrypt;
};

static void ike_sa_out_begin(struct ike_sa *sa, struct ike_out *o, uint8_t exchange,
			     uint32_t message_id, bool encrypt)
{
	struct ike_header h = {
		.version = IKE_VERSION_1_0,
		.exchange = exchange,
		.flags = encrypt ? IKE_FLAG_ENCRYPTION : 0,
		.message_id = message_id,
	};

	memcpy(h.icookie, sa->cky_i, IKE_COOKIE_LEN);
	memcpy(h.rcookie, sa->cky_r, IKE_COOKIE_LEN);
	pkt_writer_init(&o->w, sa->out, sizeof(sa->out), 0);
	(void)ike_header_write(&o->w, &h);
	ike_chain_init(&o->c, 16);
	o->encrypt = encrypt;
}

/* The message in sa->out to the gateway: whole, or in fragments when both sides speak IKE
 * fragmentation and it would not fit the path (ike-frag.h). */
static void ike_sa_transmit(struct ike_sa *sa)
{
	struct ike_frag_split split;
	uint8_t frag[IKE_MESSAGE_MAX];

	if (sa->cfg.fragmentation && sa->peer_frag && sa->out_len > sa->cfg.frag_datagram &&
	    ike_frag_split_init(&split, sa->out, sa->out_len, sa->cfg.frag_datagram,
				IKE_FRAG_ID_DEFAULT) == 0) {
		for (;;) {
			struct pkt_writer w;

			pkt_writer_init(&w, frag, sizeof(frag), 0);
			if (ike_frag_split_next(&split, &w) != 1)
				break;
			sa->ops->send(sa->user, pkt_writer_data(&w), pkt_writer_len(&w),
				      sa->out_natt);
		}
		return;
	}
	sa->ops->send(sa->user, sa->out, sa->out_len, sa->out_natt);
}

/* Pads and encrypts (chaining the IV on), sets the length, and sends as a new message. */
static int ike_sa_out_send(struct ike_sa *sa, struct ike_out *o, uint64_t now, unsigned tries)
{
	size_t body = pkt_writer_len(&o->w) - IKE_HEADER_LEN;
	int err = 0;

	if (o->encrypt) {
		size_t pad = ike_crypt_pad_len(body, sa->km.block_len);

		err = pkt_put_zeros(&o->w, pad);
		err = err ?: ike_crypt_encrypt(sa->cbc, sa->km.block_len, sa->iv,
					       pkt_writer_data(&o->w) + IKE_HEADER_LEN, body + pad,
					       sa->iv);
	}
	err = err ?: pkt_set_be32(&o->w, 24, (uint32_t)pkt_writer_len(&o->w));
	if (err)
		return err;
	sa->out_len = pkt_writer_len(&o->w);
	sa->out_natt = sa->floated;
	sa->tries = 1;
	sa->cfg.tries = tries;
	sa->timeout_ms = sa->cfg.first_timeout_ms;
	sa->deadline = now + sa->timeout_ms;
	ike_sa_transmit(sa);
	return 0;
}

static int ike_sa_send_mm1(struct ike_sa *sa, uint64_t now)
{
	static const enum ike_vendor vids[] = {
		IKE_VENDOR_NATT_RFC3947, IKE_VENDOR_NATT_DRAFT_03, IKE_VENDOR_NATT_DRAFT_02N,
		IKE_VENDOR_NATT_DRAFT_02, IKE_VENDOR_DPD,
	};
	struct ike_out o;
	int err;

	ike_sa_out_begin(sa, &o, IKE_EXCH_IDENTITY_PROTECT, 0, false);
	err = ike_sa_write_p1(&o.w, &o.c, sa->suites, sa->cfg.n_suites, sa->auth_method,
			      sa->cfg.lifetime);
	for (size_t i = 0; !err && i < G_N_ELEMENTS(vids) + 1; i++) {
		uint8_t vid[32];
		size_t n;

		if (i == G_N_ELEMENTS(vids) && !sa->cfg.fragmentation)
			break;
		n = ike_vendor_id(i < G_N_ELEMENTS(vids) ? vids[i] : IKE_VENDOR_FRAGMENTATION, vid,
				  sizeof(vid));
		err = ike_payload_put_data(&o.w, &o.c, IKE_PAYLOAD_VID, vid, n);
	}
	if (err)
		return err;
	/* keep SAi_b (the SA payload's body) for HASH_I */
	g_free(sa->sai_b);
	sa->sai_len = 0;
	{
		struct pkt_reader r;
		struct ike_payload payloads[IKE_MAX_PAYLOADS];
		unsigned n;

		pkt_reader_init(&r, pkt_writer_data(&o.w) + IKE_HEADER_LEN,
				pkt_writer_len(&o.w) - IKE_HEADER_LEN);
		if (ike_payloads_parse(&r, IKE_PAYLOAD_SA, false, payloads, &n) != IKE_PARSE_OK)
			return -EIO;
		sa->sai_len = pkt_remaining(&payloads[0].body);
		sa->sai_b = g_memdup2(payloads[0].body.data + payloads[0].body.off, sa->sai_len);
	}
	return ike_sa_out_send(sa, &o, now, sa->cfg.tries);
}

int ike_sa_start(struct ike_sa *sa, uint64_t now_ms)
{
	int err;

	if (sa->state != IKE_SA_IDLE)
		return -EALREADY;
	err = sa->ops->random(sa->user, sa->cky_i, IKE_COOKIE_LEN);
	err = err ?: ike_sa_send_mm1(sa, now_ms);
	if (err) {
		ike_sa_fail(sa, IKE_FAIL_INTERNAL, "could not build the first IKE message (%s)",
			    g_strerror(-err));
		return err;
	}
	ike_sa_enter_state(sa, IKE_SA_MM1_SENT);
	return 0;
}

bool ike_sa_owns(const struct ike_sa *sa, const uint8_t *data, size_t len)
{
	return sa->state != IKE_SA_IDLE && len >= IKE_COOKIE_LEN &&
	       memcmp(data, sa->cky_i, IKE_COOKIE_LEN) == 0;
}

/* ---- the failure sentences ---- */

static void ike_sa_remote_text(const struct ike_sa *sa, char *buf, size_t len)
{
	if (!inet_ntop(sa->cfg.remote.ip_len == 4 ? AF_INET : AF_INET6, sa->cfg.remote.ip, buf,
		       (socklen_t)len))
		snprintf(buf, len, "the gateway");
}

/* The last try went unanswered (or only unauthenticated refusals came): say why, in words. */
static void ike_sa_give_up(struct ike_sa *sa)
{
	char remote[64], name[32];
	g_autofree char *offered =
		roadie_suites_to_string(ROADIE_PROPOSAL_IKE, sa->suites, sa->cfg.n_suites, ", ");

	ike_sa_remote_text(sa, remote, sizeof(remote));
	switch (sa->state) {
	case IKE_SA_MM1_SENT:
		if (sa->notify == IKE_N_NO_PROPOSAL_CHOSEN)
			ike_sa_fail(sa, IKE_FAIL_NO_PROPOSAL,
				    "the gateway accepts none of our IKE proposals (we offered %s)",
				    offered);
		else if (sa->aggressive_reply)
			ike_sa_fail(sa, IKE_FAIL_AGGRESSIVE_ONLY,
				    "the gateway answers only in Aggressive Mode, which roadie does "
				    "not use: it exposes the pre-shared key to offline cracking");
		else if (sa->notify)
			ike_sa_fail(sa, IKE_FAIL_PROTOCOL, "the gateway refused to start IKE: %s",
				    ike_notify_name(sa->notify, name, sizeof(name)));
		else
			ike_sa_fail(sa, IKE_FAIL_NO_ANSWER,
				    "no answer from %s on UDP %u after %u tries: is the gateway "
				    "reachable?",
				    remote, sa->cfg.remote.port, sa->tries);
		break;
	case IKE_SA_MM3_SENT:
		ike_sa_fail(sa, IKE_FAIL_PROTOCOL,
			    "the gateway %s stopped answering during the key exchange%s%s",
			    remote, sa->notify ? ": " : "",
			    sa->notify ? ike_notify_name(sa->notify, name, sizeof(name)) : "");
		break;
	case IKE_SA_MM5_SENT:
		/* A wrong PSK: the gateway cannot decrypt message 5 and says so in one of several
		 * ways (AUTHENTICATION-FAILED, INVALID-HASH-INFORMATION, PAYLOAD-MALFORMED,
		 * INVALID-PAYLOAD-TYPE) or not at all. */
		if (sa->notify == IKE_N_INVALID_ID_INFORMATION)
			ike_sa_fail(sa, IKE_FAIL_ID_MISMATCH,
				    "the gateway does not accept our identity (INVALID-ID-INFORMATION): "
				    "check the local ID in the profile");
		else if (sa->auth_method == IKE_AUTH_PSK)
			ike_sa_fail(sa, IKE_FAIL_AUTHENTICATION,
				    "the gateway rejected the pre-shared key");
		else if (sa->notify)
			ike_sa_fail(sa, IKE_FAIL_CERT_REJECTED,
				    "the gateway rejected our certificate (%s): does it trust the CA "
				    "that issued it, and accept its name?",
				    ike_notify_name(sa->notify, name, sizeof(name)));
		else if (!sa->cfg.fragmentation || !sa->peer_frag)
			/* with certificates, message 6 is large: silence can be its IP fragments,
			 * dropped on the way */
			ike_sa_fail(sa, IKE_FAIL_CERT_REJECTED,
				    "the gateway did not answer our certificate: it does not accept it, "
				    "or its answer was too large for one packet and the path dropped "
				    "the IP fragments (%s)",
				    !sa->cfg.fragmentation ? "IKE fragmentation is off in the profile"
							   : "the gateway does not offer IKE "
							     "fragmentation");
		else
			ike_sa_fail(sa, IKE_FAIL_CERT_REJECTED,
				    "the gateway did not answer our certificate: does it trust the CA "
				    "that issued it, and accept its name?");
		break;
	case IKE_SA_IDLE:
	case IKE_SA_ESTABLISHED:
	case IKE_SA_DELETED:
	case IKE_SA_FAILED:
		break;
	}
}

/*
 * Dead peer detection (RFC 3706 §5): after dpd_interval of silence from a gateway that
 * announced DPD, send R-U-THERE, again every few seconds, until an ACK with its sequence
 * number arrives; after dpd_timeout without one, the gateway is gone.
 */
#define IKE_DPD_RETRY_MS 5000

static void ike_sa_dpd_tick(struct ike_sa *sa, uint64_t now)
{
	uint64_t interval = (uint64_t)sa->cfg.dpd_interval * 1000;

	if (sa->state != IKE_SA_ESTABLISHED || !sa->peer_dpd || !interval || now < sa->dpd_next)
		return;
	if (sa->dpd_pending && now - sa->dpd_first_sent >= (uint64_t)sa->cfg.dpd_timeout * 1000) {
		char remote[64];

		ike_sa_remote_text(sa, remote, sizeof(remote));
		ike_sa_fail(sa, IKE_FAIL_DEAD_PEER,
			    "the gateway %s stopped answering: no reply to dead peer detection for "
			    "%u s",
			    remote, sa->cfg.dpd_timeout);
		return;
	}
	if (!sa->dpd_pending && now - sa->last_alive < interval) {
		sa->dpd_next = sa->last_alive + interval;
		return;
	}
	if (!sa->dpd_pending) {
		sa->dpd_pending = true;
		sa->dpd_first_sent = now;
		sa->dpd_seq++;
	}
	(void)ike_info_send_dpd(sa, sa->dpd_seq);
	sa->dpd_next = now + MIN(IKE_DPD_RETRY_MS, interval);
}

void ike_sa_dpd_ack(struct ike_sa *sa, uint32_t seq, uint64_t now)
{
	if (!sa->dpd_pending || seq != sa->dpd_seq) {
		ike_sa_drop(sa, IKE_DROP_UNEXPECTED);
		return;
	}
	sa->dpd_pending = false;
	ike_sa_peer_alive(sa, now);
	ike_sa_emit(sa, IKE_EVENT_NOTIFY, "R-U-THERE-ACK");
}

void ike_sa_peer_alive(struct ike_sa *sa, uint64_t now_ms)
{
	sa->last_alive = now_ms;
	if (!sa->dpd_pending)
		sa->dpd_next = now_ms + (uint64_t)sa->cfg.dpd_interval * 1000;
}

void ike_sa_tick(struct ike_sa *sa, uint64_t now_ms)
{
	ike_sa_dpd_tick(sa, now_ms);
	if (sa->state != IKE_SA_ESTABLISHED && sa->state != IKE_SA_MM1_SENT &&
	    sa->state != IKE_SA_MM3_SENT && sa->state != IKE_SA_MM5_SENT)
		return;
	if (sa->qm && sa->state == IKE_SA_ESTABLISHED)
		ike_qm_tick(sa, sa->qm, now_ms);
	for (unsigned i = 0; i < IKE_SA_MAX_RESPONDER_QM; i++)
		if (sa->resp[i] && sa->state == IKE_SA_ESTABLISHED)
			ike_qm_tick(sa, sa->resp[i], now_ms);
	if (now_ms < sa->deadline)
		return;
	if (sa->tries >= sa->cfg.tries) {
		ike_sa_give_up(sa);
		return;
	}
	sa->tries++;
	if (sa->state != IKE_SA_MM5_SENT)
		sa->timeout_ms *= 2;
	sa->deadline = now_ms + sa->timeout_ms;
	ike_sa_transmit(sa);
}

uint64_t ike_sa_next_deadline(const struct ike_sa *sa)
{
	uint64_t qm = sa->qm && sa->state == IKE_SA_ESTABLISHED ? ike_qm_deadline(sa->qm) :
								   UINT64_MAX;
	uint64_t dpd = sa->state == IKE_SA_ESTABLISHED && sa->peer_dpd && sa->cfg.dpd_interval ?
			       sa->dpd_next :
			       UINT64_MAX;

	for (unsigned i = 0; i < IKE_SA_MAX_RESPONDER_QM; i++)
		if (sa->resp[i] && sa->state == IKE_SA_ESTABLISHED)
			qm = MIN(qm, ike_qm_deadline(sa->resp[i]));
	return MIN(MIN(sa->deadline, qm), dpd);
}

void ike_sa_enter_deleted(struct ike_sa *sa, const char *text)
{
	struct ike_event ev = { .type = IKE_EVENT_DELETED, .text = text };

	ike_sa_enter_state(sa, IKE_SA_DELETED);
	ev.state = sa->state;
	sa->ops->event(sa->user, &ev);
}

int ike_sa_quick_mode(struct ike_sa *sa, const struct ike_qm_config *config, uint64_t now_ms)
{
	int err = 0;

	if (sa->state != IKE_SA_ESTABLISHED)
		return -ENOTCONN;
	if (sa->qm && !ike_qm_done(sa->qm))
		return -EBUSY;
	if (config->n_suites == 0 || config->n_suites > 255)
		return -EINVAL;
	sa->qm = ike_qm_free(sa->qm);
	sa->qm = ike_qm_new(sa, config, now_ms, &err);
	if (!sa->qm)
		return err;
	/* the gateway's own Quick Modes are held against the same policy */
	g_free(sa->policy_suites);
	sa->policy = *config;
	sa->policy_suites = g_memdup2(config->suites, config->n_suites * sizeof(RoadieSuite));
	sa->policy.suites = sa->policy_suites;
	return 0;
}

struct ike_sa_delete_arg {
	uint8_t protocol;
	const uint8_t *spi;
	uint8_t spi_len;
};

static int ike_sa_write_delete(struct pkt_writer *w, struct ike_chain *c, const void *arg)
{
	const struct ike_sa_delete_arg *d = arg;

	return ike_delete_write(w, c, d->protocol, d->spi, d->spi_len);
}

bool ike_sa_resend_qm3(struct ike_sa *sa)
{
	return sa->state == IKE_SA_ESTABLISHED && sa->qm && ike_qm_resend_final(sa, sa->qm);
}

/* DELETE for the ISAKMP SA itself, by its cookies (RFC 2408 §3.15) */
static void ike_sa_send_isakmp_delete(struct ike_sa *sa)
{
	uint8_t cookies[2 * IKE_COOKIE_LEN];
	struct ike_sa_delete_arg d = { IKE_PROTO_ISAKMP, cookies, sizeof(cookies) };

	memcpy(cookies, sa->cky_i, IKE_COOKIE_LEN);
	memcpy(cookies + IKE_COOKIE_LEN, sa->cky_r, IKE_COOKIE_LEN);
	(void)ike_info_send(sa, ike_sa_write_delete, &d);
}

void ike_sa_delete_child(struct ike_sa *sa, uint32_t spi_in)
{
	uint8_t spi[4] = { spi_in >> 24, spi_in >> 16, spi_in >> 8, spi_in };
	struct ike_sa_delete_arg d = { IKE_PROTO_ESP, spi, 4 };

	if (sa->state == IKE_SA_ESTABLISHED)
		(void)ike_info_send(sa, ike_sa_write_delete, &d);
}

void ike_sa_delete(struct ike_sa *sa, const uint32_t *spis_in, unsigned n_spis)
{

	if (sa->state != IKE_SA_ESTABLISHED)
		return;
	/* the ESP SAs by the SPI the gateway sends to (ours), then the ISAKMP SA by its cookies */
	for (unsigned i = 0; i < n_spis; i++) {
		uint8_t spi[4] = { spis_in[i] >> 24, spis_in[i] >> 16, spis_in[i] >> 8, spis_in[i] };
		struct ike_sa_delete_arg d = { IKE_PROTO_ESP, spi, 4 };

		(void)ike_info_send(sa, ike_sa_write_delete, &d);
	}
	ike_sa_send_isakmp_delete(sa);
	ike_sa_enter_deleted(sa, "we ended the IKE session (DELETE sent)");
}

/* ---- receiving ---- */

/* A notification in the clear is unauthenticated: remember it, act on it only when the
 * gateway repeats it for our retransmission, or when the tries run out. */
static void ike_sa_note_notify(struct ike_sa *sa, struct ike_payload *p, unsigned n,
			       uint64_t now)
{
	char name[32], text[96];

	for (unsigned i = 0; i < n; i++) {
		struct ike_notify notify;

		if (p[i].type != IKE_PAYLOAD_NOTIFY || ike_notify_parse(&p[i].body, &notify))
			continue;
		if (notify.type == sa->notify)
			sa->notify_count++;
		else
			sa->notify_count = 1;
		sa->notify = notify.type;
		snprintf(text, sizeof(text), "%s (unauthenticated)",
			 ike_notify_name(notify.type, name, sizeof(name)));
		ike_sa_emit(sa, IKE_EVENT_NOTIFY, text);
	}
	/* the same refusal for two of our transmissions: consistent, stop early */
	if (sa->notify_count >= 2 && sa->notify < 16384)
		ike_sa_give_up(sa);
	(void)now;
}

static int ike_sa_handle_mm2(struct ike_sa *sa, const struct ike_header *h, struct ike_payload *p,
			     unsigned n, uint64_t now)
{
	const struct ike_payload *sap = ike_payload_find(p, n, IKE_PAYLOAD_SA);
	struct ike_sa_payload sap_parsed;
	struct ike_p1_transform t;
	struct ike_out o;
	struct ike_natt_addr fake;
	uint8_t hash[CRYPTO_PRF_MAX_LEN];
	bool offered = false;
	int err;

	if (!sap || ike_sa_payload_parse(&sap->body, &sap_parsed) || sap_parsed.n_proposals != 1 ||
	    sap_parsed.n_transforms != 1 || sap_parsed.proposals[0].protocol != IKE_PROTO_ISAKMP)
		return -EBADMSG;
	if (ike_transform_decode_p1(&sap_parsed.transforms[0], &t) ||
	    t.auth_method != sa->auth_method)
		return -EBADMSG;
	for (unsigned i = 0; i < sa->cfg.n_suites && !offered; i++)
		offered = sa->suites[i].encr == t.suite.encr &&
			  sa->suites[i].key_bits == t.suite.key_bits &&
			  sa->suites[i].integ == t.suite.integ && sa->suites[i].dh == t.suite.dh;
	if (!offered)
		return -EBADMSG; /* RFC 2409 §5: the responder returns one of the transforms offered */

	/* commit: the gateway's cookie, choice and capabilities */
	memcpy(sa->cky_r, h->rcookie, IKE_COOKIE_LEN);
	sa->suite = t.suite;
	for (unsigned i = 0; i < n; i++) {
		enum ike_vendor v;
		enum ike_natt_version version;

		if (p[i].type != IKE_PAYLOAD_VID)
			continue;
		v = ike_vendor_identify(p[i].body.data + p[i].body.off, pkt_remaining(&p[i].body));
		version = ike_natt_version_of(v);
		if (version > sa->natt)
			sa->natt = version;
		if (v == IKE_VENDOR_DPD)
			sa->peer_dpd = true;
		/* strongSwan's flags after the 16 bytes: 0x80000000 = in Main Mode too */
		if (v == IKE_VENDOR_FRAGMENTATION)
			sa->peer_frag = pkt_remaining(&p[i].body) < 20 ||
					(p[i].body.data[p[i].body.off + 16] & 0x80);
		ike_sa_emit(sa, IKE_EVENT_VENDOR, ike_vendor_name(v));
	}

	/* message 3: KE, Ni, and the NAT-D pair (the gateway's address first, RFC 3947 §3.2) */
	sa->dh = crypto_dh_new(sa->suite.dh);
	sa->gx_len = crypto_dh_public_len(sa->suite.dh);
	if (!sa->dh || crypto_dh_public(sa->dh, sa->gxi) || sa->ops->random(sa->user, sa->ni,
									      IKE_NONCE_LEN))
		return -EIO;
	ike_sa_out_begin(sa, &o, IKE_EXCH_IDENTITY_PROTECT, 0, false);
	err = ike_payload_put_data(&o.w, &o.c, IKE_PAYLOAD_KE, sa->gxi, sa->gx_len);
	err = err ?: ike_payload_put_data(&o.w, &o.c, IKE_PAYLOAD_NONCE, sa->ni, IKE_NONCE_LEN);
	if (!err && sa->cfg.sig_key) {
		/* the CA we trust for the gateway's certificate (RFC 2408 §3.10), or any */
		struct ike_cert cr = { .encoding = IKE_CERT_X509_SIG, .data = sa->cfg.ca_dn.data,
				       .len = sa->cfg.ca_dn.len };

		err = ike_cert_write(&o.w, &o.c, IKE_PAYLOAD_CR, &cr);
	}
	if (!err && sa->natt != IKE_NATT_NONE) {
		uint8_t type = ike_natt_natd_type(sa->natt);
		size_t len = crypto_prf_len(sa->suite.integ);

		err = ike_natt_hash(sa->suite.integ, sa->cky_i, sa->cky_r, &sa->cfg.remote, hash);
		err = err ?: ike_payload_put_data(&o.w, &o.c, type, hash, len);
		/* force-encapsulation: a NAT-D for an address we do not have makes the gateway
		 * see us behind NAT, so both sides use UDP 4500 */
		fake = sa->cfg.local;
		if (sa->cfg.force_encapsulation)
			err = err ?: sa->ops->random(sa->user, fake.ip, fake.ip_len);
		err = err ?: ike_natt_hash(sa->suite.integ, sa->cky_i, sa->cky_r, &fake, hash);
		err = err ?: ike_payload_put_data(&o.w, &o.c, type, hash, len);
	}
	err = err ?: ike_sa_out_send(sa, &o, now, MAX(sa->cfg.tries, IKE_TRIES_ANSWERED));
	if (err)
		return -EIO;
	ike_sa_enter_state(sa, IKE_SA_MM3_SENT);
	return 0;
}

static int ike_sa_handle_mm4(struct ike_sa *sa, struct ike_payload *p, unsigned n, uint64_t now)
{
	const struct ike_payload *ke = ike_payload_find(p, n, IKE_PAYLOAD_KE);
	const struct ike_payload *nonce = ike_payload_find(p, n, IKE_PAYLOAD_NONCE);
	uint8_t gxy[CRYPTO_DH_MAX_LEN], id_b[IKE_ID_MAX_DATA + 4], hash[CRYPTO_PRF_MAX_LEN];
	const uint8_t *hashes[IKE_MAX_PAYLOADS];
	size_t hash_lens[IKE_MAX_PAYLOADS], id_len = 0, nr_len;
	struct ike_id id = sa->cfg.local_id;
	struct ike_out o;
	unsigned n_natd = 0;
	int err;

	if (!ke || !nonce || pkt_remaining(&ke->body) != sa->gx_len)
		return -EBADMSG;
	nr_len = pkt_remaining(&nonce->body);
	if (nr_len < IKE_NONCE_MIN || nr_len > IKE_NONCE_MAX)
		return -EBADMSG;
	for (unsigned i = 0; i < n; i++) {
		if (sa->natt == IKE_NATT_NONE || p[i].type != ike_natt_natd_type(sa->natt))
			continue;
		hashes[n_natd] = p[i].body.data + p[i].body.off;
		hash_lens[n_natd++] = pkt_remaining(&p[i].body);
	}
	if (sa->natt != IKE_NATT_NONE &&
	    ike_natt_detect(sa->suite.integ, sa->cky_i, sa->cky_r, &sa->cfg.local, &sa->cfg.remote,
			    hashes, hash_lens, n_natd, &sa->nat))
		return -EBADMSG;
	/* g^xy; a public value outside the group is malformed, not a reason to fail now */
	err = crypto_dh_shared(sa->dh, ke->body.data + ke->body.off, sa->gx_len, gxy);
	if (err)
		return -EBADMSG;

	memcpy(sa->gxr, ke->body.data + ke->body.off, sa->gx_len);
	memcpy(sa->nr, nonce->body.data + nonce->body.off, nr_len);
	sa->nr_len = nr_len;
	if (sa->cfg.sig_key)
		err = ike_keymat_skeyid_sig(&sa->km, &sa->suite, sa->ni, IKE_NONCE_LEN, sa->nr,
					    sa->nr_len, gxy, sa->gx_len);
	else
		err = ike_keymat_skeyid_psk(&sa->km, &sa->suite, sa->psk, sa->cfg.psk_len, sa->ni,
					    IKE_NONCE_LEN, sa->nr, sa->nr_len);
	err = err ?: ike_keymat_derive(&sa->km, gxy, sa->gx_len, sa->cky_i, sa->cky_r);
	/* RFC 4754 §4: with ECDSA, HASH_I and HASH_R use the curve's hash whatever the suite's */
	if (sa->auth_method == IKE_AUTH_ECDSA_256)
		ike_keymat_set_auth_prf(&sa->km, ROADIE_INTEG_SHA2_256);
	else if (sa->auth_method == IKE_AUTH_ECDSA_384)
		ike_keymat_set_auth_prf(&sa->km, ROADIE_INTEG_SHA2_384);
	else if (sa->auth_method == IKE_AUTH_ECDSA_521)
		ike_keymat_set_auth_prf(&sa->km, ROADIE_INTEG_SHA2_512);
	err = err ?: ike_keymat_phase1_iv(&sa->km, sa->gxi, sa->gxr, sa->gx_len, sa->iv);
	roadie_wipe(gxy, sizeof(gxy));
	if (err)
		return -EIO;
	sa->cbc = crypto_cbc_new(sa->suite.encr, sa->suite.key_bits, sa->km.enc_key,
				 sa->km.enc_key_len);
	if (!sa->cbc)
		return -EIO;
	/* RFC 3947 §4: behind NAT (either side, or forced), IKE floats to 4500 from message 5 */
	sa->floated = sa->natt != IKE_NATT_NONE &&
		      (sa->nat.local_behind_nat || sa->nat.remote_behind_nat ||
		       sa->cfg.force_encapsulation);

	/* message 5: IDii, HASH_I, INITIAL-CONTACT; encrypted */
	if (id.type == 0) {
		id.type = sa->cfg.local.ip_len == 4 ? IKE_ID_IPV4_ADDR : IKE_ID_IPV6_ADDR;
		id.data = sa->cfg.local.ip;
		id.len = sa->cfg.local.ip_len;
	}
	err = ike_id_body(&id, id_b, sizeof(id_b), &id_len);
	err = err ?: ike_keymat_auth_hash(&sa->km, true, sa->gxi, sa->gxr, sa->gx_len, sa->cky_i,
					  sa->cky_r, sa->sai_b, sa->sai_len, id_b, id_len, hash);
	if (err)
		return -EIO;
	ike_sa_out_begin(sa, &o, IKE_EXCH_IDENTITY_PROTECT, 0, true);
	{
		uint8_t spi[2 * IKE_COOKIE_LEN];

		memcpy(spi, sa->cky_i, IKE_COOKIE_LEN);
		memcpy(spi + IKE_COOKIE_LEN, sa->cky_r, IKE_COOKIE_LEN);
		err = ike_id_write(&o.w, &o.c, &id);
		if (sa->cfg.sig_key) {
			uint8_t sig[CRYPTO_SIG_MAX_LEN];
			size_t sig_len = 0;

			for (unsigned i = 0; !err && i < sa->cfg.n_certs; i++) {
				struct ike_cert cert = { .encoding = IKE_CERT_X509_SIG,
							 .data = sa->cfg.certs[i].data,
							 .len = sa->cfg.certs[i].len };

				err = ike_cert_write(&o.w, &o.c, IKE_PAYLOAD_CERT, &cert);
			}
			if (!err && crypto_sig_sign(sa->cfg.sig_key, hash, sa->km.auth_len, sig,
						    sizeof(sig), &sig_len) != CRYPTO_SIG_OK)
				err = -EIO;
			err = err ?: ike_payload_put_data(&o.w, &o.c, IKE_PAYLOAD_SIG, sig, sig_len);
		} else {
			err = err ?: ike_payload_put_data(&o.w, &o.c, IKE_PAYLOAD_HASH, hash,
							  sa->km.prf_len);
		}
		if (!sa->cfg.renewal)
			err = err ?: ike_notify_write(&o.w, &o.c, IKE_PROTO_ISAKMP,
						      IKE_N_INITIAL_CONTACT, spi, sizeof(spi),
						      NULL, 0);
	}
	err = err ?: ike_sa_out_send(sa, &o, now, IKE_TRIES_AFTER_MM5);
	if (err)
		return -EIO;
	sa->timeout_ms = IKE_MM5_INTERVAL_MS;
	sa->deadline = now + sa->timeout_ms;
	ike_sa_enter_state(sa, IKE_SA_MM5_SENT);
	return 0;
}

static bool ike_sa_remote_id_ok(const struct ike_sa *sa, const struct ike_id *id)
{
	const struct ike_id *want = &sa->cfg.remote_id;

	if (want->type == 0) {
		/* no ID configured: the gateway's address, or anything it calls itself (as
		 * NetworkManager-l2tp's rightid=%any) */
		return true;
	}
	return id->type == want->type && id->len == want->len &&
	       memcmp(id->data, want->data, id->len) == 0;
}

/* MM6 with signatures: the gateway's certificates and ID judged by the caller, then its SIG
 * over HASH_R. 0 when it passed; -EACCES when it failed (@why says why); -EBADMSG when the
 * payloads are malformed. */
static int ike_sa_verify_sig(struct ike_sa *sa, const struct ike_payload *p, unsigned n,
			     const struct ike_id *id, const uint8_t *hash,
			     const struct pkt_reader *sig, char *why, size_t why_len)
{
	struct ike_blob certs[IKE_MAX_CERTS];
	unsigned n_certs = 0;
	EVP_PKEY *key;
	enum crypto_sig_result r;

	for (unsigned i = 0; i < n; i++) {
		struct ike_cert cert;

		if (p[i].type != IKE_PAYLOAD_CERT)
			continue;
		if (ike_cert_parse(&p[i].body, IKE_PAYLOAD_CERT, &cert))
			return -EBADMSG;
		if (cert.encoding != IKE_CERT_X509_SIG || n_certs == IKE_MAX_CERTS)
			continue; /* other encodings (PKCS #7, CRLs) and long chains: not ours */
		certs[n_certs++] = (struct ike_blob){ cert.data, cert.len };
	}
	why[0] = 0;
	key = sa->ops->verify_peer(sa->user, certs, n_certs, id, why, why_len);
	if (!key) {
		if (!why[0])
			snprintf(why, why_len, "the gateway's certificate was not accepted");
		return -EACCES;
	}
	r = crypto_sig_verify(key, hash, sa->km.auth_len, sig->data + sig->off, pkt_remaining(sig));
	EVP_PKEY_free(key);
	if (r != CRYPTO_SIG_OK) {
		snprintf(why, why_len,
			 "the gateway's signature does not match its certificate (%s): it may "
			 "not hold the certificate's private key",
			 crypto_sig_result_name(r));
		return -EACCES;
	}
	return 0;
}

static int ike_sa_handle_mm6(struct ike_sa *sa, uint8_t *data, size_t len, uint64_t now)
{
	struct ike_payload p[IKE_MAX_PAYLOADS];
	const struct ike_payload *idp, *hashp;
	uint8_t next_iv[CRYPTO_CBC_MAX_BLOCK], hash[CRYPTO_PRF_MAX_LEN];
	struct ike_header h;
	struct pkt_reader body;
	struct ike_id id;
	unsigned n;
	char text[256];

	if (ike_crypt_decrypt(sa->cbc, sa->km.block_len, sa->iv, data + IKE_HEADER_LEN,
			      len - IKE_HEADER_LEN, next_iv))
		return -EBADMSG;
	if (ike_message_parse(data, len, &h, &body) != IKE_PARSE_OK ||
	    ike_payloads_parse(&body, h.next_payload, true, p, &n) != IKE_PARSE_OK)
		return -EBADMSG;
	idp = ike_payload_find(p, n, IKE_PAYLOAD_ID);
	hashp = ike_payload_find(p, n, sa->cfg.sig_key ? IKE_PAYLOAD_SIG : IKE_PAYLOAD_HASH);
	if (!idp || !hashp || ike_id_parse(&idp->body, &id) ||
	    (!sa->cfg.sig_key && pkt_remaining(&hashp->body) != sa->km.prf_len))
		return -EBADMSG;
	if (ike_keymat_auth_hash(&sa->km, false, sa->gxi, sa->gxr, sa->gx_len, sa->cky_i, sa->cky_r,
				 sa->sai_b, sa->sai_len, idp->body.data + idp->body.off,
				 pkt_remaining(&idp->body), hash))
		return -EIO;
	if (sa->cfg.sig_key) {
		char why[400];
		int err = ike_sa_verify_sig(sa, p, n, &id, hash, &hashp->body, why, sizeof(why));

		if (err == -EACCES) {
			/* decrypted with the keys of our DH exchange, so the answer of whoever we
			 * exchanged them with: its certificate or signature failed, which a retry
			 * will not mend. The gateway, which believes Main Mode done, is told to
			 * forget the SA. */
			memcpy(sa->iv, next_iv, sa->km.block_len);
			ike_sa_send_isakmp_delete(sa);
			ike_sa_fail(sa, IKE_FAIL_PEER_CERT, "%s", why);
			return 0;
		}
		if (err)
			return err;
	} else if (CRYPTO_memcmp(hash, hashp->body.data + hashp->body.off, sa->km.prf_len) != 0) {
		return -EACCES;
	}
	/* authenticated: commit the IV chain */
	memcpy(sa->iv, next_iv, sa->km.block_len);
	if (!ike_sa_remote_id_ok(sa, &id)) {
		ike_sa_send_isakmp_delete(sa);
		ike_sa_fail(sa, IKE_FAIL_ID_MISMATCH,
			    "the gateway identified itself differently than the profile's remote "
			    "ID expects: check remote-id");
		return 0;
	}
	ike_sa_enter_state(sa, IKE_SA_ESTABLISHED);
	(void)sa->ops->random(sa->user, (uint8_t *)&sa->dpd_seq, sizeof(sa->dpd_seq));
	sa->dpd_seq &= 0x7fffffff; /* RFC 3706 §7: room to count up */
	ike_sa_peer_alive(sa, now);
	{
		g_autofree char *suite = roadie_suite_describe(ROADIE_PROPOSAL_IKE, &sa->suite);

		snprintf(text, sizeof(text), "IKE: %s%s; NAT: %s%s", suite,
			 roadie_suite_is_weak(&sa->suite) ? " (weak: ask for a stronger one)" : "",
			 sa->natt == IKE_NATT_NONE ? "gateway has no NAT-T" :
			 sa->nat.local_behind_nat && sa->nat.remote_behind_nat ? "both sides behind NAT" :
			 sa->nat.local_behind_nat   ? "we are behind NAT" :
			 sa->nat.remote_behind_nat  ? "the gateway is behind NAT" :
							"none",
			 sa->floated ? "; floated to 4500" : "");
	}
	ike_sa_emit(sa, IKE_EVENT_ESTABLISHED, text);
	return 0;
}

static int ike_sa_write_no_proposal(struct pkt_writer *w, struct ike_chain *c, const void *arg)
{
	return ike_notify_write(w, c, IKE_PROTO_ESP, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0, NULL, 0);
}

/* A Quick Mode message: ours, one the gateway started and we answer, or a new one of its. */
static void ike_sa_receive_quick(struct ike_sa *sa, const struct ike_header *h,
				 const uint8_t *data, size_t len, uint64_t now)
{
	unsigned slot = IKE_SA_MAX_RESPONDER_QM;
	int err = 0;

	if (sa->qm && ike_qm_owns(sa->qm, h->message_id)) {
		ike_qm_receive(sa, sa->qm, data, len, now);
		return;
	}
	for (unsigned i = 0; i < IKE_SA_MAX_RESPONDER_QM; i++) {
		if (sa->resp[i] && ike_qm_owns(sa->resp[i], h->message_id)) {
			ike_qm_receive(sa, sa->resp[i], data, len, now);
			return;
		}
		if (slot == IKE_SA_MAX_RESPONDER_QM && (!sa->resp[i] || ike_qm_done(sa->resp[i])))
			slot = i;
	}
	if (!sa->policy_suites || slot == IKE_SA_MAX_RESPONDER_QM) {
		ike_sa_drop(sa, IKE_DROP_UNEXPECTED);
		return;
	}
	sa->resp[slot] = ike_qm_free(sa->resp[slot]);
	sa->resp[slot] = ike_qm_respond(sa, &sa->policy, data, len, now, &err);
	if (sa->resp[slot])
		return;
	if (err == -ENOTSUP)
		(void)ike_info_send(sa, ike_sa_write_no_proposal, NULL);
	ike_sa_drop(sa, err == -EACCES ? IKE_DROP_BAD_HASH :
			err == -ENOTSUP ? IKE_DROP_UNEXPECTED :
					  IKE_DROP_MALFORMED);
}

void ike_sa_receive(struct ike_sa *sa, const uint8_t *data, size_t len, bool natt_port,
		    uint64_t now_ms)
{
	struct ike_payload p[IKE_MAX_PAYLOADS];
	struct ike_header h;
	struct pkt_reader body;
	uint8_t digest[32];
	g_autofree uint8_t *copy = NULL;
	unsigned n = 0;
	int err = 0;

	if (ike_frag_is_fragment(data, len)) {
		/* a piece of a larger message (ike-frag.h): on with the whole once complete */
		size_t whole = 0;

		if (!sa->cfg.fragmentation) {
			ike_sa_drop(sa, IKE_DROP_UNEXPECTED);
			return;
		}
		if (!sa->reasm) {
			sa->reasm = g_new0(struct ike_frag_reasm, 1);
			ike_frag_reasm_init(sa->reasm, 0);
			sa->reasm_out = g_malloc(IKE_FRAG_REASM_MAX);
		}
		switch (ike_frag_reasm_feed(sa->reasm, data, len, now_ms, sa->reasm_out,
					    IKE_FRAG_REASM_MAX, &whole)) {
		case IKE_FRAG_NEED_MORE:
			return;
		case IKE_FRAG_DROPPED:
			ike_sa_drop(sa, IKE_DROP_MALFORMED);
			return;
		case IKE_FRAG_COMPLETE:
			data = sa->reasm_out;
			len = whole;
			break;
		}
	}
	if (ike_message_parse(data, len, &h, &body) != IKE_PARSE_OK) {
		ike_sa_drop(sa, IKE_DROP_MALFORMED);
		return;
	}
	if (memcmp(h.icookie, sa->cky_i, IKE_COOKIE_LEN) != 0) {
		ike_sa_drop(sa, IKE_DROP_WRONG_COOKIE);
		return;
	}
	/* a copy of the last message we accepted: our answer was lost, send it again */
	if (crypto_hash(ROADIE_INTEG_SHA2_256, digest, data, len, NULL) == 0 && sa->have_last_in &&
	    memcmp(digest, sa->last_in, sizeof(digest)) == 0) {
		ike_sa_drop(sa, IKE_DROP_RETRANSMIT);
		if (sa->state == IKE_SA_MM3_SENT || sa->state == IKE_SA_MM5_SENT)
			ike_sa_transmit(sa);
		return;
	}
	if (sa->state == IKE_SA_ESTABLISHED) {
		if (memcmp(h.rcookie, sa->cky_r, IKE_COOKIE_LEN) != 0 ||
		    !(h.flags & IKE_FLAG_ENCRYPTION)) {
			/* after phase 1 everything is encrypted; clear text is unauthenticated */
			ike_sa_drop(sa, IKE_DROP_UNEXPECTED);
			return;
		}
		if (h.exchange == IKE_EXCH_INFORMATIONAL)
			ike_info_receive(sa, data, len, now_ms);
		else if (h.exchange == IKE_EXCH_QUICK)
			ike_sa_receive_quick(sa, &h, data, len, now_ms);
		else if (h.exchange == IKE_EXCH_IDENTITY_PROTECT && sa->have_last_in)
			/* MM6 again: our MM5 was fine, the gateway missed nothing we can resend */
			ike_sa_drop(sa, IKE_DROP_RETRANSMIT);
		else
			ike_sa_drop(sa, IKE_DROP_UNEXPECTED);
		return;
	}
	if (!(h.flags & IKE_FLAG_ENCRYPTION) &&
	    ike_payloads_parse(&body, h.next_payload, false, p, &n) != IKE_PARSE_OK) {
		ike_sa_drop(sa, IKE_DROP_MALFORMED);
		return;
	}
	if (h.exchange == IKE_EXCH_INFORMATIONAL && !(h.flags & IKE_FLAG_ENCRYPTION)) {
		ike_sa_note_notify(sa, p, n, now_ms);
		return;
	}
	if (h.exchange == IKE_EXCH_AGGRESSIVE) {
		sa->aggressive_reply = true;
		ike_sa_drop(sa, IKE_DROP_UNEXPECTED);
		return;
	}
	if (h.exchange != IKE_EXCH_IDENTITY_PROTECT) {
		ike_sa_drop(sa, IKE_DROP_UNEXPECTED);
		return;
	}
	switch (sa->state) {
	case IKE_SA_MM1_SENT:
		err = h.flags & IKE_FLAG_ENCRYPTION ? -EBADMSG : ike_sa_handle_mm2(sa, &h, p, n, now_ms);
		break;
	case IKE_SA_MM3_SENT:
		err = h.flags & IKE_FLAG_ENCRYPTION ? -EBADMSG : ike_sa_handle_mm4(sa, p, n, now_ms);
		break;
	case IKE_SA_MM5_SENT:
		if (!(h.flags & IKE_FLAG_ENCRYPTION)) {
			err = -EBADMSG;
			break;
		}
		copy = g_memdup2(data, len); /* decrypted in place, the original stays intact */
		err = ike_sa_handle_mm6(sa, copy, len, now_ms);
		roadie_wipe(copy, len);
		break;
	case IKE_SA_IDLE:
	case IKE_SA_ESTABLISHED:
	case IKE_SA_DELETED:
	case IKE_SA_FAILED:
		ike_sa_drop(sa, IKE_DROP_UNEXPECTED);
		return;
	}
	switch (err) {
	case 0:
		memcpy(sa->last_in, digest, sizeof(digest));
		sa->have_last_in = true;
		break;
	case -EACCES:
		ike_sa_drop(sa, IKE_DROP_BAD_HASH);
		break;
	case -EBADMSG:
		ike_sa_drop(sa, IKE_DROP_MALFORMED);
		break;
	default:
		ike_sa_fail(sa, IKE_FAIL_INTERNAL, "an internal error ended IKE (%s)",
			    g_strerror(-err));
		break;
	}
	(void)natt_port;
}

enum ike_sa_state ike_sa_state(const struct ike_sa *sa)
{
	return sa->state;
}

enum ike_sa_failure ike_sa_failure(const struct ike_sa *sa)
{
	return sa->failure;
}

const char *ike_sa_failure_text(const struct ike_sa *sa)
{
	return sa->failure_text;
}

uint64_t ike_sa_drops(const struct ike_sa *sa, enum ike_sa_drop reason)
{
	return reason < IKE_DROP_COUNT ? sa->drops[reason] : 0;
}

const RoadieSuite *ike_sa_suite(const struct ike_sa *sa)
{
	return &sa->suite;
}

struct ike_natt_result ike_sa_nat(const struct ike_sa *sa)
{
	return sa->nat;
}

bool ike_sa_floated(const struct ike_sa *sa)
{
	return sa->floated;
}

enum ike_natt_version ike_sa_natt_version(const struct ike_sa *sa)
{
	return sa->natt;
}

bool ike_sa_peer_dpd(const struct ike_sa *sa)
{
	return sa->peer_dpd;
}

const struct ike_keymat *ike_sa_keymat(const struct ike_sa *sa)
{
	return &sa->km;
}

const uint8_t *ike_sa_cookie_i(const struct ike_sa *sa)
{
	return sa->cky_i;
}

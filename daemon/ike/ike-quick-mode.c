/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Quick Mode as initiator (RFC 2409 §5.5): one ESP SA pair in transport mode for L2TP
 * (RFC 3193 §5), UDP-encapsulated behind NAT (RFC 3947 §5, RFC 3948).
 *
 *   QM1  HDR*, HASH(1), SA, Ni [, KE], IDci, IDcr [, NAT-OAi, NAT-OAr]
 *   QM2  HDR*, HASH(2), SA, Nr [, KE], IDci, IDcr [, NAT-OA...]
 *   QM3  HDR*, HASH(3)
 *
 * The client ID carries our L2TP port; the gateway's ID port 1701, not the port its LNS
 * answers from (RFC 2661 §8.1 lets that change). Behind NAT, transport mode needs NAT-OA
 * (RFC 3947 §5.2): our original address and the gateway's as we address it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>

#include "crypto/crypto-dh.h"
#include "crypto/crypto-hash.h"
#include "ike-natt.h"
#include "ike-payload-natoa.h"
#include "ike-payload-notify.h"
#include "ike-payload-sa.h"
#include "ike-sa-private.h"
#include "secret.h"

enum ike_qm_state {
	IKE_QM_SENT1,
	IKE_QM_DONE,
	IKE_QM_FAILED,
};

struct ike_qm {
	struct ike_qm_config cfg;
	RoadieSuite *suites;
	enum ike_qm_state state;
	uint32_t mid;
	uint8_t mid_b[4];
	uint8_t iv[CRYPTO_CBC_MAX_BLOCK];
	bool responder;         /* the gateway started this one (a rekey of its own) */
	uint8_t ni[IKE_NONCE_MAX]; /* the initiator's nonce (ours, or the gateway's) */
	size_t ni_len;
	uint8_t nr[IKE_NONCE_MAX];
	size_t nr_len;
	/* as responder: the client IDs to echo back, and the gateway's chosen transform */
	uint8_t idci[4 + 16];
	uint8_t idcr[4 + 16];
	size_t idci_len, idcr_len;

	uint32_t spi_in;
	crypto_dh *dh;
	uint8_t gxi[CRYPTO_DH_MAX_LEN];
	size_t gx_len;
	/* our last message (QM1, then QM3) for retransmission */
	uint8_t out[4096];
	size_t out_len;
	unsigned tries;
	uint32_t timeout_ms;
	uint64_t deadline;
	/* the digest of the peer's message our last one answered: when it comes again, our
	 * answer was lost (QM2 as responder, QM3 as initiator) and is sent again */
	uint8_t answered[32];
	struct ike_child child;
};

static void ike_qm_send_out(struct ike_sa *sa, struct ike_qm *qm)
{
	sa->ops->send(sa->user, qm->out, qm->out_len, sa->floated);
}

static void ike_qm_fail(struct ike_sa *sa, struct ike_qm *qm, uint16_t notify, const char *text)
{
	struct ike_event ev = {
		.type = IKE_EVENT_CHILD_FAILED,
		.state = sa->state,
		.text = text,
		.notify = notify,
	};

	qm->state = IKE_QM_FAILED;
	qm->deadline = UINT64_MAX;
	qm->dh = crypto_dh_free(qm->dh);
	sa->ops->event(sa->user, &ev);
}

static size_t ike_qm_integ_key_len(RoadieInteg integ)
{
	return crypto_prf_len(integ); /* HMAC keys are the hash's length (RFC 2404, RFC 4868) */
}

static void ike_qm_id(const struct ike_natt_addr *addr, uint16_t port, struct ike_id *ret)
{
	ret->type = addr->ip_len == 4 ? IKE_ID_IPV4_ADDR : IKE_ID_IPV6_ADDR;
	ret->protocol = 17; /* UDP */
	ret->port = port;
	ret->data = addr->ip;
	ret->len = addr->ip_len;
}

/* Starts a Quick Mode message in qm->out: the header and a HASH payload to fill when sealing. */
static int ike_qm_begin(struct ike_sa *sa, struct ike_qm *qm, struct pkt_writer *w,
			struct ike_chain *c, size_t *ret_hash_off)
{
	struct ike_header h = {
		.version = IKE_VERSION_1_0,
		.exchange = IKE_EXCH_QUICK,
		.flags = IKE_FLAG_ENCRYPTION,
		.message_id = qm->mid,
	};
	int err;

	memcpy(h.icookie, sa->cky_i, IKE_COOKIE_LEN);
	memcpy(h.rcookie, sa->cky_r, IKE_COOKIE_LEN);
	pkt_writer_init(w, qm->out, sizeof(qm->out), 0);
	err = ike_header_write(w, &h);
	ike_chain_init(c, 16);
	*ret_hash_off = pkt_writer_len(w);
	err = err ?: ike_payload_begin(w, c, IKE_PAYLOAD_HASH);
	err = err ?: pkt_put_zeros(w, sa->km.prf_len);
	return err ?: ike_payload_end(w, c);
}

static int ike_qm_build_qm1(struct ike_sa *sa, struct ike_qm *qm)
{
	uint16_t encap = sa->floated ? ike_natt_encap_transport(sa->natt) : IKE_ENCAP_TRANSPORT;
	struct ike_id idci, idcr;
	struct pkt_writer w;
	struct ike_chain c;
	size_t hash_off;
	int err;

	ike_qm_id(&sa->cfg.local, qm->cfg.local_port, &idci);
	ike_qm_id(&sa->cfg.remote, qm->cfg.remote_port, &idcr);
	err = ike_qm_begin(sa, qm, &w, &c, &hash_off);
	err = err ?: ike_sa_write_p2(&w, &c, qm->suites, qm->cfg.n_suites, qm->spi_in, encap,
				     qm->cfg.pfs, qm->cfg.life_seconds, qm->cfg.life_kilobytes);
	err = err ?: ike_payload_put_data(&w, &c, IKE_PAYLOAD_NONCE, qm->ni, qm->ni_len);
	if (!err && qm->dh)
		err = ike_payload_put_data(&w, &c, IKE_PAYLOAD_KE, qm->gxi, qm->gx_len);
	err = err ?: ike_id_write(&w, &c, &idci);
	err = err ?: ike_id_write(&w, &c, &idcr);
	if (!err && sa->floated) {
		/* RFC 3947 §5.2: NAT-OAi our original address, NAT-OAr the gateway's as we see it */
		uint8_t type = ike_natt_natoa_type(sa->natt);
		struct ike_natoa oai = { .addr_len = sa->cfg.local.ip_len }, oar = oai;

		oai.id_type = oar.id_type = idci.type;
		memcpy(oai.addr, sa->cfg.local.ip, oai.addr_len);
		memcpy(oar.addr, sa->cfg.remote.ip, oar.addr_len);
		err = ike_natoa_write(&w, &c, type, &oai) ?: ike_natoa_write(&w, &c, type, &oar);
	}
	err = err ?: ike_sa_seal(sa, &w, hash_off, qm->mid_b, sizeof(qm->mid_b), qm->iv);
	if (err)
		return err;
	qm->out_len = pkt_writer_len(&w);
	return 0;
}

struct ike_qm *ike_qm_new(struct ike_sa *sa, const struct ike_qm_config *config, uint64_t now,
			  int *ret_err)
{
	struct ike_qm *qm = g_new0(struct ike_qm, 1);
	int err;

	qm->cfg = *config;
	qm->suites = g_memdup2(config->suites, config->n_suites * sizeof(RoadieSuite));
	qm->cfg.suites = qm->suites;
	qm->state = IKE_QM_SENT1;
	/* a random non-zero M-ID, and an inbound SPI above the reserved 1-255 (RFC 4303 §2.1) */
	do {
		err = sa->ops->random(sa->user, qm->mid_b, sizeof(qm->mid_b));
		qm->mid = (uint32_t)qm->mid_b[0] << 24 | qm->mid_b[1] << 16 | qm->mid_b[2] << 8 |
			  qm->mid_b[3];
	} while (!err && qm->mid == 0);
	do {
		uint8_t b[4];

		err = err ?: sa->ops->random(sa->user, b, sizeof(b));
		qm->spi_in = (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
	} while (!err && qm->spi_in < 256);
	qm->ni_len = IKE_NONCE_LEN;
	err = err ?: sa->ops->random(sa->user, qm->ni, IKE_NONCE_LEN);
	if (!err && qm->cfg.pfs != ROADIE_DH_NONE) {
		qm->dh = crypto_dh_new(qm->cfg.pfs);
		qm->gx_len = crypto_dh_public_len(qm->cfg.pfs);
		err = !qm->dh || crypto_dh_public(qm->dh, qm->gxi) ? -EIO : 0;
	}
	err = err ?: ike_keymat_phase2_iv(&sa->km, sa->iv, qm->mid, qm->iv);
	err = err ?: ike_qm_build_qm1(sa, qm);
	if (err) {
		*ret_err = err;
		return ike_qm_free(qm);
	}
	qm->tries = 1;
	qm->timeout_ms = sa->cfg.first_timeout_ms;
	qm->deadline = now + qm->timeout_ms;
	ike_qm_send_out(sa, qm);
	return qm;
}

struct ike_qm *ike_qm_free(struct ike_qm *qm)
{
	if (!qm)
		return NULL;
	crypto_dh_free(qm->dh);
	g_free(qm->suites);
	roadie_wipe(qm, sizeof(*qm));
	g_free(qm);
	return NULL;
}

bool ike_qm_resend_final(struct ike_sa *sa, struct ike_qm *qm)
{
	if (qm->responder || qm->state != IKE_QM_DONE || !qm->out_len)
		return false;
	ike_qm_send_out(sa, qm);
	return true;
}

bool ike_qm_owns(const struct ike_qm *qm, uint32_t message_id)
{
	return qm->mid == message_id;
}

bool ike_qm_done(const struct ike_qm *qm)
{
	return qm->state != IKE_QM_SENT1;
}

uint64_t ike_qm_deadline(const struct ike_qm *qm)
{
	return qm->deadline;
}

void ike_qm_tick(struct ike_sa *sa, struct ike_qm *qm, uint64_t now)
{
	if (qm->state != IKE_QM_SENT1 || now < qm->deadline)
		return;
	if (qm->tries >= sa->cfg.tries) {
		if (qm->responder) {
			/* the gateway's own rekey went nowhere: our SA pair stays as it was */
			qm->state = IKE_QM_FAILED;
			qm->deadline = UINT64_MAX;
			return;
		}
		ike_qm_fail(sa, qm, 0,
			    "the gateway did not answer our IPsec (Quick Mode) proposal");
		return;
	}
	qm->tries++;
	qm->timeout_ms *= 2;
	qm->deadline = now + qm->timeout_ms;
	ike_qm_send_out(sa, qm);
}

void ike_qm_refused(struct ike_sa *sa, struct ike_qm *qm, uint16_t notify)
{
	char name[32], text[160];

	if (qm->state != IKE_QM_SENT1)
		return;
	if (notify == IKE_N_NO_PROPOSAL_CHOSEN)
		snprintf(text, sizeof(text), "the gateway accepts none of our ESP proposals%s",
			 qm->cfg.pfs != ROADIE_DH_NONE ? " with this PFS group" : "");
	else if (notify == IKE_N_INVALID_ID_INFORMATION)
		snprintf(text, sizeof(text),
			 "the gateway refused the traffic selectors for L2TP (INVALID-ID-INFORMATION)");
	else
		snprintf(text, sizeof(text), "the gateway refused our Quick Mode: %s",
			 ike_notify_name(notify, name, sizeof(name)));
	ike_qm_fail(sa, qm, notify, text);
}

/* QM2: the gateway's choice, which must be one we offered, with the PFS group we asked for. */
static int ike_qm_check_choice(struct ike_sa *sa, struct ike_qm *qm, const struct ike_payload *p,
			       unsigned n, struct ike_child *ret)
{
	const struct ike_payload *sap = ike_payload_find(p, n, IKE_PAYLOAD_SA);
	const struct ike_payload *nonce = ike_payload_find(p, n, IKE_PAYLOAD_NONCE);
	const struct ike_payload *ke = ike_payload_find(p, n, IKE_PAYLOAD_KE);
	struct ike_sa_payload sap_parsed;
	struct ike_p2_transform t;
	struct ike_child child = { 0 };
	bool offered = false;
	size_t nr_len;

	if (!sap || !nonce || ike_sa_payload_parse(&sap->body, &sap_parsed) ||
	    sap_parsed.n_proposals != 1 || sap_parsed.n_transforms != 1 ||
	    sap_parsed.proposals[0].protocol != IKE_PROTO_ESP || sap_parsed.proposals[0].spi_len != 4)
		return -EBADMSG;
	if (ike_transform_decode_p2(&sap_parsed.transforms[0], &t))
		return -EBADMSG;
	for (unsigned i = 0; i < qm->cfg.n_suites && !offered; i++)
		offered = qm->suites[i].encr == t.suite.encr &&
			  qm->suites[i].key_bits == t.suite.key_bits &&
			  qm->suites[i].integ == t.suite.integ;
	if (!offered || t.suite.dh != qm->cfg.pfs || (qm->dh && !ke))
		return -EBADMSG;
	nr_len = pkt_remaining(&nonce->body);
	if (nr_len < IKE_NONCE_MIN || nr_len > IKE_NONCE_MAX)
		return -EBADMSG;
	if (ke && (!qm->dh || pkt_remaining(&ke->body) != qm->gx_len))
		return -EBADMSG;
	child.suite = t.suite;
	child.encap_mode = t.encap_mode;
	child.udp_encap = t.encap_mode != IKE_ENCAP_TRANSPORT && t.encap_mode != IKE_ENCAP_TUNNEL;
	child.spi_in = qm->spi_in;
	child.spi_out = (uint32_t)sap_parsed.proposals[0].spi[0] << 24 |
			sap_parsed.proposals[0].spi[1] << 16 | sap_parsed.proposals[0].spi[2] << 8 |
			sap_parsed.proposals[0].spi[3];
	/* the responder's lifetime, if it chose a shorter one (RFC 2407 §4.6.3.1) */
	child.life_seconds = t.life_seconds ? t.life_seconds : qm->cfg.life_seconds;
	child.life_kilobytes = t.life_kilobytes ? t.life_kilobytes : qm->cfg.life_kilobytes;
	child.local_port = qm->cfg.local_port;
	child.enc_key_len = roadie_suite_enc_key_len(&t.suite);
	child.integ_key_len = ike_qm_integ_key_len(t.suite.integ);
	if (child.enc_key_len + child.integ_key_len > IKE_CHILD_MAX_KEY)
		return -EBADMSG;
	memcpy(qm->nr, nonce->body.data + nonce->body.off, nr_len);
	qm->nr_len = nr_len;
	*ret = child;
	(void)sa;
	return 0;
}

/* RESPONDER-LIFETIME (RFC 2407 §4.6.3.1): the gateway lowers our lifetimes. */
static void ike_qm_responder_lifetime(struct ike_child *child, const struct ike_payload *p,
				      unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct ike_notify notify;
		struct ike_attr a;
		uint32_t type = 0, v;

		if (p[i].type != IKE_PAYLOAD_NOTIFY || ike_notify_parse(&p[i].body, &notify) ||
		    notify.type != IKE_N_RESPONDER_LIFETIME)
			continue;
		while (ike_attr_next(&notify.data, &a) > 0) {
			if (ike_attr_u32(&a, &v))
				break;
			if (a.type == IKE_P2_LIFE_TYPE)
				type = v;
			else if (a.type == IKE_P2_LIFE_DURATION && type == IKE_LIFE_SECONDS && v &&
				 v < child->life_seconds)
				child->life_seconds = v;
			else if (a.type == IKE_P2_LIFE_DURATION && type == IKE_LIFE_KILOBYTES && v &&
				 (!child->life_kilobytes || v < child->life_kilobytes))
				child->life_kilobytes = v;
		}
	}
}

/* HASH(3)'s input, 0 | M-ID | Ni_b | Nr_b (RFC 2409 §5.5); returns its length. */
static size_t ike_qm_hash3_prefix(const struct ike_qm *qm, uint8_t *out)
{
	out[0] = 0;
	memcpy(out + 1, qm->mid_b, 4);
	memcpy(out + 5, qm->ni, qm->ni_len);
	memcpy(out + 5 + qm->ni_len, qm->nr, qm->nr_len);
	return 5 + qm->ni_len + qm->nr_len;
}

static int ike_qm_send_qm3(struct ike_sa *sa, struct ike_qm *qm)
{
	uint8_t prefix[1 + 4 + 2 * IKE_NONCE_MAX];
	struct pkt_writer w;
	struct ike_chain c;
	size_t hash_off, prefix_len = ike_qm_hash3_prefix(qm, prefix);
	int err;

	err = ike_qm_begin(sa, qm, &w, &c, &hash_off);
	err = err ?: ike_sa_seal(sa, &w, hash_off, prefix, prefix_len, qm->iv);
	if (err)
		return err;
	qm->out_len = pkt_writer_len(&w);
	ike_qm_send_out(sa, qm);
	return 0;
}

/* KEYMAT for both directions: inbound with our SPI, outbound with the gateway's (§5.5). */
static int ike_qm_keys(struct ike_sa *sa, struct ike_qm *qm, struct ike_child *child,
		       const uint8_t *gxy, size_t gxy_len)
{
	size_t len = child->enc_key_len + child->integ_key_len;

	return ike_keymat_quick(&sa->km, gxy, gxy_len, IKE_PROTO_ESP, child->spi_in, qm->ni,
				qm->ni_len, qm->nr, qm->nr_len, child->key_in, len) ?:
	       ike_keymat_quick(&sa->km, gxy, gxy_len, IKE_PROTO_ESP, child->spi_out, qm->ni,
				qm->ni_len, qm->nr, qm->nr_len, child->key_out, len);
}

/* Done: keep the SA pair, tell the owner (its keys go to the data plane from there). */
static void ike_qm_up(struct ike_sa *sa, struct ike_qm *qm, struct ike_child *child)
{
	qm->state = IKE_QM_DONE;
	qm->deadline = UINT64_MAX;
	qm->dh = crypto_dh_free(qm->dh);
	qm->child = *child;
	roadie_wipe(child, sizeof(*child));
	{
		g_autofree char *suite = roadie_suite_describe(ROADIE_PROPOSAL_ESP, &qm->child.suite);
		char text[256], kilobytes[32] = "";
		struct ike_event ev = {
			.type = IKE_EVENT_CHILD_UP,
			.state = sa->state,
			.child = &qm->child,
			.text = text,
		};

		if (qm->child.life_kilobytes)
			snprintf(kilobytes, sizeof(kilobytes), " or %u kB", qm->child.life_kilobytes);
		snprintf(text, sizeof(text),
			 "ESP: %s, transport%s, SPIs in %08x out %08x, lifetime %us%s%s", suite,
			 qm->child.udp_encap ? " in UDP 4500" : "", qm->child.spi_in,
			 qm->child.spi_out, qm->child.life_seconds, kilobytes,
			 qm->responder ? " (the gateway's rekey)" : "");
		sa->ops->event(sa->user, &ev);
	}
}

/*
 * Quick Mode as responder: the gateway rekeys the ESP SA itself (strongSwan, libreswan and
 * Windows do, some well before our lifetime ends). We answer with one transform from its
 * offer that our ESP policy allows, with its PFS group if it sent a KE, echo its client IDs,
 * and install the pair once QM3's HASH(3) checks out. Until then QM2 is repeated when the
 * gateway repeats QM1.
 */
static int ike_qm_choose(struct ike_sa *sa, const struct ike_qm_config *policy,
			 const struct ike_sa_payload *offer, bool have_ke,
			 struct ike_p2_transform *ret, uint32_t *ret_spi)
{
	uint16_t encap = sa->floated ? ike_natt_encap_transport(sa->natt) : IKE_ENCAP_TRANSPORT;

	for (unsigned p = 0; p < offer->n_proposals; p++) {
		const struct ike_proposal *prop = &offer->proposals[p];

		if (prop->protocol != IKE_PROTO_ESP || prop->spi_len != 4)
			continue;
		for (unsigned t = prop->first; t < prop->first + prop->count; t++) {
			struct ike_p2_transform tr;

			if (ike_transform_decode_p2(&offer->transforms[t], &tr) ||
			    tr.encap_mode != encap || (tr.suite.dh != ROADIE_DH_NONE) != have_ke)
				continue;
			for (unsigned i = 0; i < policy->n_suites; i++) {
				const RoadieSuite *s = &policy->suites[i];

				if (s->encr == tr.suite.encr && s->key_bits == tr.suite.key_bits &&
				    s->integ == tr.suite.integ) {
					*ret = tr;
					*ret_spi = (uint32_t)prop->spi[0] << 24 | prop->spi[1] << 16 |
						   prop->spi[2] << 8 | prop->spi[3];
					return 0;
				}
			}
		}
	}
	return -ENOTSUP;
}

struct ike_qm *ike_qm_respond(struct ike_sa *sa, const struct ike_qm_config *policy,
			      const uint8_t *data, size_t len, uint64_t now, int *ret_err)
{
	struct ike_payload p[IKE_MAX_PAYLOADS];
	struct ike_header h;
	struct pkt_reader body;
	struct ike_sa_payload offer;
	struct ike_p2_transform chosen;
	const struct ike_payload *sap, *nonce, *ke;
	const struct ike_payload *ids[2] = { NULL, NULL };
	g_autofree uint8_t *copy = g_memdup2(data, len);
	struct ike_qm *qm;
	struct pkt_writer w;
	struct ike_chain c;
	size_t hash_off;
	unsigned n, n_ids = 0;
	int err;

	if (ike_message_parse(data, len, &h, &body) != IKE_PARSE_OK) {
		*ret_err = -EBADMSG;
		return NULL;
	}
	qm = g_new0(struct ike_qm, 1);
	qm->responder = true;
	qm->mid = h.message_id;
	qm->mid_b[0] = h.message_id >> 24;
	qm->mid_b[1] = h.message_id >> 16;
	qm->mid_b[2] = h.message_id >> 8;
	qm->mid_b[3] = (uint8_t)h.message_id;
	err = ike_keymat_phase2_iv(&sa->km, sa->iv, qm->mid, qm->iv);
	err = err ?: ike_sa_open(sa, copy, len, qm->iv, qm->mid_b, 4, p, &n);
	if (err)
		goto fail;
	sap = ike_payload_find(p, n, IKE_PAYLOAD_SA);
	nonce = ike_payload_find(p, n, IKE_PAYLOAD_NONCE);
	ke = ike_payload_find(p, n, IKE_PAYLOAD_KE);
	for (unsigned i = 0; i < n && n_ids < 2; i++)
		if (p[i].type == IKE_PAYLOAD_ID)
			ids[n_ids++] = &p[i];
	err = -EBADMSG;
	if (!sap || !nonce || ike_sa_payload_parse(&sap->body, &offer) ||
	    pkt_remaining(&nonce->body) < IKE_NONCE_MIN ||
	    pkt_remaining(&nonce->body) > IKE_NONCE_MAX || n_ids == 1 ||
	    (n_ids == 2 && (pkt_remaining(&ids[0]->body) > sizeof(qm->idci) ||
			    pkt_remaining(&ids[1]->body) > sizeof(qm->idcr))))
		goto fail;
	err = ike_qm_choose(sa, policy, &offer, ke != NULL, &chosen, &qm->child.spi_out);
	if (err)
		goto fail;
	qm->ni_len = pkt_remaining(&nonce->body);
	memcpy(qm->ni, nonce->body.data + nonce->body.off, qm->ni_len);
	if (n_ids == 2) {
		qm->idci_len = pkt_remaining(&ids[0]->body);
		memcpy(qm->idci, ids[0]->body.data + ids[0]->body.off, qm->idci_len);
		qm->idcr_len = pkt_remaining(&ids[1]->body);
		memcpy(qm->idcr, ids[1]->body.data + ids[1]->body.off, qm->idcr_len);
	}
	qm->cfg = *policy;
	qm->cfg.pfs = chosen.suite.dh;
	qm->suites = g_memdup2(&chosen.suite, sizeof(chosen.suite));
	qm->suites[0].dh = ROADIE_DH_NONE;
	qm->cfg.suites = qm->suites;
	qm->cfg.n_suites = 1;
	qm->child.suite = chosen.suite;
	qm->child.encap_mode = chosen.encap_mode;
	qm->child.udp_encap = chosen.encap_mode != IKE_ENCAP_TRANSPORT;
	qm->child.life_seconds = chosen.life_seconds ? chosen.life_seconds : policy->life_seconds;
	qm->child.life_kilobytes = chosen.life_kilobytes ? chosen.life_kilobytes : policy->life_kilobytes;
	qm->child.local_port = policy->local_port;
	qm->child.enc_key_len = roadie_suite_enc_key_len(&chosen.suite);
	qm->child.integ_key_len = ike_qm_integ_key_len(chosen.suite.integ);
	do {
		uint8_t b[4];

		err = sa->ops->random(sa->user, b, sizeof(b));
		qm->child.spi_in = (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
	} while (!err && qm->child.spi_in < 256);
	qm->nr_len = IKE_NONCE_LEN;
	err = err ?: sa->ops->random(sa->user, qm->nr, IKE_NONCE_LEN);
	if (!err && ke) {
		uint8_t gxy[CRYPTO_DH_MAX_LEN];

		qm->dh = crypto_dh_new(chosen.suite.dh);
		qm->gx_len = crypto_dh_public_len(chosen.suite.dh);
		err = !qm->dh || crypto_dh_public(qm->dh, qm->gxi) ||
				      pkt_remaining(&ke->body) != qm->gx_len ||
				      crypto_dh_shared(qm->dh, ke->body.data + ke->body.off,
						       qm->gx_len, gxy) ?
			      -EBADMSG :
			      0;
		/* keep g^xy for KEYMAT in the peer's KE slot, no longer needed as such */
		if (!err)
			memcpy(qm->out, gxy, crypto_dh_shared_len(chosen.suite.dh));
		roadie_wipe(gxy, sizeof(gxy));
	}
	if (err)
		goto fail;
	{
		/* derive now (g^xy lives only here), install after QM3 */
		uint8_t gxy[CRYPTO_DH_MAX_LEN];
		size_t gxy_len = ke ? crypto_dh_shared_len(chosen.suite.dh) : 0;

		memcpy(gxy, qm->out, gxy_len);
		err = ike_qm_keys(sa, qm, &qm->child, ke ? gxy : NULL, gxy_len);
		roadie_wipe(gxy, sizeof(gxy));
		roadie_wipe(qm->out, sizeof(qm->out));
	}
	/* QM2: HASH(2) = prf(SKEYID_a, M-ID | Ni_b | SA | Nr | [KE] | [IDci | IDcr] ...) */
	{
		uint8_t prefix[4 + IKE_NONCE_MAX];

		memcpy(prefix, qm->mid_b, 4);
		memcpy(prefix + 4, qm->ni, qm->ni_len);
		err = err ?: ike_qm_begin(sa, qm, &w, &c, &hash_off);
		err = err ?: ike_sa_write_p2(&w, &c, qm->suites, 1, qm->child.spi_in,
					     chosen.encap_mode, chosen.suite.dh,
					     qm->child.life_seconds, qm->child.life_kilobytes);
		err = err ?: ike_payload_put_data(&w, &c, IKE_PAYLOAD_NONCE, qm->nr, qm->nr_len);
		if (!err && qm->dh)
			err = ike_payload_put_data(&w, &c, IKE_PAYLOAD_KE, qm->gxi, qm->gx_len);
		if (!err && qm->idci_len) {
			err = ike_payload_put_data(&w, &c, IKE_PAYLOAD_ID, qm->idci, qm->idci_len) ?:
			      ike_payload_put_data(&w, &c, IKE_PAYLOAD_ID, qm->idcr, qm->idcr_len);
		}
		err = err ?: ike_sa_seal(sa, &w, hash_off, prefix, 4 + qm->ni_len, qm->iv);
	}
	if (err)
		goto fail;
	qm->out_len = pkt_writer_len(&w);
	qm->dh = crypto_dh_free(qm->dh);
	qm->state = IKE_QM_SENT1;
	qm->tries = 1;
	qm->timeout_ms = sa->cfg.first_timeout_ms;
	qm->deadline = now + qm->timeout_ms;
	(void)crypto_hash(ROADIE_INTEG_SHA2_256, qm->answered, data, len, NULL);
	ike_qm_send_out(sa, qm);
	return qm;
fail:
	*ret_err = err;
	return ike_qm_free(qm);
}

static void ike_qm_respond_qm3(struct ike_sa *sa, struct ike_qm *qm, const uint8_t *data,
			       size_t len)
{
	struct ike_payload p[IKE_MAX_PAYLOADS];
	uint8_t prefix[1 + 4 + 2 * IKE_NONCE_MAX], iv[CRYPTO_CBC_MAX_BLOCK];
	g_autofree uint8_t *copy = NULL;
	struct ike_child child;
	unsigned n;
	int err;

	copy = g_memdup2(data, len);
	memcpy(iv, qm->iv, sizeof(iv));
	err = ike_sa_open(sa, copy, len, iv, prefix, ike_qm_hash3_prefix(qm, prefix), p, &n);
	if (err) {
		ike_sa_drop(sa, err == -EACCES ? IKE_DROP_BAD_HASH : IKE_DROP_MALFORMED);
		return;
	}
	child = qm->child;
	ike_qm_up(sa, qm, &child);
}

void ike_qm_receive(struct ike_sa *sa, struct ike_qm *qm, const uint8_t *data, size_t len,
		    uint64_t now)
{
	struct ike_payload p[IKE_MAX_PAYLOADS];
	uint8_t prefix[4 + IKE_NONCE_MAX], digest[32], gxy[CRYPTO_DH_MAX_LEN];
	struct ike_child child;
	g_autofree uint8_t *copy = NULL;
	const uint8_t *gxy_p = NULL;
	size_t gxy_len = 0;
	unsigned n;
	int err;

	if (crypto_hash(ROADIE_INTEG_SHA2_256, digest, data, len, NULL))
		return;
	if (memcmp(digest, qm->answered, sizeof(digest)) == 0) {
		/* the gateway repeats the message we answered: our answer was lost */
		ike_sa_drop(sa, IKE_DROP_RETRANSMIT);
		ike_qm_send_out(sa, qm);
		return;
	}
	if (qm->state != IKE_QM_SENT1) {
		ike_sa_drop(sa, IKE_DROP_UNEXPECTED);
		return;
	}
	if (qm->responder) {
		ike_qm_respond_qm3(sa, qm, data, len);
		return;
	}
	memcpy(prefix, qm->mid_b, 4);
	memcpy(prefix + 4, qm->ni, qm->ni_len);
	copy = g_memdup2(data, len);
	{
		uint8_t iv[CRYPTO_CBC_MAX_BLOCK];

		/* verify on a copy of the IV: a forged QM2 must not derail the chain */
		memcpy(iv, qm->iv, sizeof(iv));
		err = ike_sa_open(sa, copy, len, iv, prefix, 4 + qm->ni_len, p, &n);
		err = err ?: ike_qm_check_choice(sa, qm, p, n, &child);
		if (!err && qm->dh) {
			const struct ike_payload *ke = ike_payload_find(p, n, IKE_PAYLOAD_KE);

			err = crypto_dh_shared(qm->dh, ke->body.data + ke->body.off, qm->gx_len, gxy);
			gxy_p = gxy;
			gxy_len = crypto_dh_shared_len(qm->cfg.pfs);
		}
		if (!err)
			memcpy(qm->iv, iv, sizeof(iv));
	}
	if (err) {
		ike_sa_drop(sa, err == -EACCES ? IKE_DROP_BAD_HASH : IKE_DROP_MALFORMED);
		return;
	}
	ike_qm_responder_lifetime(&child, p, n);
	/* KEYMAT: inbound with our SPI, outbound with the gateway's (RFC 2409 §5.5) */
	err = ike_qm_keys(sa, qm, &child, gxy_p, gxy_len);
	roadie_wipe(gxy, sizeof(gxy));
	err = err ?: ike_qm_send_qm3(sa, qm);
	if (err) {
		roadie_wipe(&child, sizeof(child));
		ike_qm_fail(sa, qm, 0, "an internal error ended the Quick Mode");
		return;
	}
	memcpy(qm->answered, digest, sizeof(digest));
	ike_qm_up(sa, qm, &child);
}


/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzzes the IKEv1 codec at the message level (one target for the protocol, as the
 * foundation's budget asks): a datagram is parsed like roadied parses one from the network,
 * then every payload is handed to its own parser and every transform decoded as phase 1 and
 * as phase 2. The first input byte chooses whether trailing bytes count as padding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include "ike/ike-message.h"
#include "ike/ike-payload-cert.h"
#include "ike/ike-payload-delete.h"
#include "ike/ike-payload-id.h"
#include "ike/ike-payload-natoa.h"
#include "ike/ike-payload-notify.h"
#include "ike/ike-payload-sa.h"
#include "ike/ike-sa.h"

static volatile uint8_t sink;

static void touch(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sink ^= p[i];
}

static void fuzz_payload(const struct ike_payload *p)
{
	struct ike_sa_payload sa;
	struct ike_id id;
	struct ike_notify n;
	struct ike_delete d;
	struct ike_natoa oa;
	struct ike_cert cert;
	const uint8_t *spi;
	char name[32];

	switch (p->type) {
	case IKE_PAYLOAD_SA:
		if (ike_sa_payload_parse(&p->body, &sa))
			return;
		if (sa.n_proposals == 0 || sa.n_proposals > IKE_MAX_PROPOSALS ||
		    sa.n_transforms > IKE_MAX_TRANSFORMS)
			abort();
		for (unsigned i = 0; i < sa.n_proposals; i++)
			if (sa.proposals[i].first + sa.proposals[i].count > sa.n_transforms)
				abort();
		for (unsigned i = 0; i < sa.n_transforms; i++) {
			struct ike_p1_transform t1;
			struct ike_p2_transform t2;

			(void)ike_transform_decode_p1(&sa.transforms[i], &t1);
			(void)ike_transform_decode_p2(&sa.transforms[i], &t2);
		}
		break;
	case IKE_PAYLOAD_ID:
		if (ike_id_parse(&p->body, &id) == 0)
			touch(id.data, id.len);
		break;
	case IKE_PAYLOAD_NOTIFY:
		if (ike_notify_parse(&p->body, &n) == 0)
			(void)ike_notify_name(n.type, name, sizeof(name));
		break;
	case IKE_PAYLOAD_DELETE:
		if (ike_delete_parse(&p->body, &d) == 0)
			while (ike_delete_next_spi(&d, &spi) == 1)
				touch(spi, d.spi_len);
		break;
	case IKE_PAYLOAD_NAT_OA:
	case IKE_PAYLOAD_NAT_OA_DRAFT:
		(void)ike_natoa_parse(&p->body, &oa);
		break;
	case IKE_PAYLOAD_CERT:
	case IKE_PAYLOAD_CR:
		if (ike_cert_parse(&p->body, p->type, &cert) == 0)
			touch(cert.data, cert.len);
		break;
	default:
		touch(p->body.data + p->body.off, pkt_remaining(&p->body));
		break;
	}
}

static void fuzz_send(void *user, const uint8_t *data, size_t len, bool natt)
{
	touch(data, len);
}

static void fuzz_event(void *user, const struct ike_event *ev)
{
	if (ev->text)
		touch((const uint8_t *)ev->text, strlen(ev->text));
}

/* Deterministic "randomness": the SA's cookie is always 01..08, so inputs can carry it. */
static int fuzz_random(void *user, uint8_t *buf, size_t len)
{
	uint8_t *counter = user;

	for (size_t i = 0; i < len; i++)
		buf[i] = ++*counter;
	return 0;
}

static EVP_PKEY *fuzz_sig_key(void);

/* The gateway's certificates are whatever the input says; the SIG is then checked against
 * our own key, so hostile signatures reach the verifier. */
static EVP_PKEY *fuzz_verify_peer(void *user, const struct ike_blob *certs, unsigned n_certs,
				  const struct ike_id *id, char *why, size_t why_len)
{
	EVP_PKEY *key = fuzz_sig_key();

	for (unsigned i = 0; i < n_certs; i++)
		touch(certs[i].data, certs[i].len);
	if (n_certs == 0) {
		snprintf(why, why_len, "no certificate");
		return NULL;
	}
	EVP_PKEY_up_ref(key);
	return key;
}

static const struct ike_ops fuzz_ops = { .send = fuzz_send, .event = fuzz_event, .random = fuzz_random,
					 .verify_peer = fuzz_verify_peer };

/* Signature mode's key: made once (EC P-256 is quick), never freed. */
static EVP_PKEY *fuzz_sig_key(void)
{
	static EVP_PKEY *key;

	if (!key)
		key = EVP_EC_gen("P-256");
	if (!key)
		abort();
	return key;
}

/* The datagram as the gateway's answer to our first message: our cookie patched in, then
 * received twice (the retransmission path) and the clock run to the end. @sig: certificate
 * authentication with IKE fragmentation announced, so that the datagram may also be taken
 * as a fragment of the gateway's next message (the reassembly path). */
static void fuzz_state_machine(const uint8_t *data, size_t size, bool sig)
{
	static const uint8_t our_cert[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
	static const uint8_t ca_dn[] = { 0x30, 0x00 };
	static const RoadieSuite suites[] = {
		{ ROADIE_ENCR_AES_CBC, 256, ROADIE_INTEG_SHA1, ROADIE_DH_MODP1024 },
		{ ROADIE_ENCR_3DES, 192, ROADIE_INTEG_SHA1, ROADIE_DH_MODP1024 },
	};
	struct ike_sa_config cfg = {
		.suites = suites,
		.n_suites = 2,
		.psk = (const uint8_t *)"psk",
		.psk_len = 3,
		.lifetime = 28800,
		.local = { { 198, 51, 100, 2 }, 4, 500 },
		.remote = { { 203, 0, 113, 10 }, 4, 500 },
	};

	if (sig) {
		cfg.psk = NULL;
		cfg.psk_len = 0;
		cfg.sig_key = fuzz_sig_key();
		cfg.certs[0] = (struct ike_blob){ our_cert, sizeof(our_cert) };
		cfg.n_certs = 1;
		cfg.ca_dn = (struct ike_blob){ ca_dn, sizeof(ca_dn) };
		cfg.fragmentation = true;
	}
	uint8_t counter = 0;
	struct ike_sa *sa = ike_sa_new(&cfg, &fuzz_ops, &counter);
	uint8_t *copy;

	if (!sa || ike_sa_start(sa, 0))
		abort();
	copy = malloc(size ? size : 1);
	if (!copy)
		abort();
	memcpy(copy, data, size);
	for (size_t i = 0; i < 8 && i < size; i++)
		copy[i] = (uint8_t)(i + 1);
	ike_sa_receive(sa, copy, size, false, 10);
	ike_sa_receive(sa, copy, size, true, 20);
	for (int i = 0; i < 16 && ike_sa_next_deadline(sa) != UINT64_MAX; i++)
		ike_sa_tick(sa, ike_sa_next_deadline(sa));
	free(copy);
	ike_sa_free(sa);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ike_payload payloads[IKE_MAX_PAYLOADS];
	struct ike_header h;
	struct pkt_reader body;
	uint8_t *copy;
	unsigned n;

	if (size < 1)
		return 0;
	/* an exact-size heap copy, so ASan sees any read past the datagram */
	copy = malloc(size - 1 ? size - 1 : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, size - 1);
	if (ike_message_parse(copy, size - 1, &h, &body) == IKE_PARSE_OK &&
	    ike_payloads_parse(&body, h.next_payload, data[0] & 1, payloads, &n) == IKE_PARSE_OK) {
		if (n > IKE_MAX_PAYLOADS)
			abort();
		for (unsigned i = 0; i < n; i++)
			fuzz_payload(&payloads[i]);
	}
	free(copy);
	fuzz_state_machine(data + 1, size - 1, data[0] & 2);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzzes our credential loader (x509-cred.h) and the gateway checks (x509-verify.h).
 *
 * The first byte picks what the rest is:
 *   0  one credential blob (PEM, DER or PKCS#12), password "fuzz"
 *   1  a credential blob and a key blob: be16 length of the first, then both
 *   2  a CA bundle
 *   3  what a gateway sends: up to 4 certificates as (be16 length, DER), then the ID payload
 *      (type byte, data). Checked twice: against a CA nobody's certificates chain to, and
 *      with the first certificate itself pinned as the CA, so the usage and ID checks run
 *      on whatever the fuzzer makes; and the ID checks alone on every certificate.
 *
 * Beyond "no crash, no leak": a failure always comes with a GError of the right domain and
 * code, a success with none, and OpenSSL's error queue is left empty. The editors' format
 * detector runs on every credential blob and agrees with the loader on what it loaded.
 */
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "x509-cred.h"
#include "x509-verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW G_GINT64_CONSTANT(1893456000) /* 2030-01-01: inside the seed certificates' validity */

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void check_clean(void)
{
	check(ERR_peek_error() == 0);
}

/* The next (be16 length, bytes) of the input; false when it does not fit. */
static bool take(const uint8_t **p, size_t *left, const uint8_t **ret, size_t *ret_len)
{
	size_t n;

	if (*left < 2)
		return false;
	n = (size_t)(*p)[0] << 8 | (*p)[1];
	if (n > *left - 2)
		return false;
	*ret = *p + 2;
	*ret_len = n;
	*p += 2 + n;
	*left -= 2 + n;
	return true;
}

static void fuzz_cred(const RoadieX509Blob *cert, const RoadieX509Blob *key)
{
	RoadieX509Format cert_format = ROADIE_X509_FORMAT_PEM, key_format = ROADIE_X509_FORMAT_PEM;
	bool cert_known = roadie_x509_detect_format(cert, false, &cert_format);
	bool key_known = key && roadie_x509_detect_format(key, true, &key_format);
	g_autoptr(RoadieSecret) pw = roadie_secret_new("fuzz");
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieX509Cred) cred = roadie_x509_cred_load(cert, key, pw, NOW, &error);

	check((cred == NULL) == (error != NULL));
	check(!cred || (cert_known && cert_format == cred->format && (!key || key_known)));
	if (error)
		check(error->domain == ROADIE_X509_CRED_ERROR && error->code > 0 &&
		      error->code <= ROADIE_X509_CRED_INTERNAL);
	if (cred) {
		static const RoadieX509IdType types[] = {
			ROADIE_X509_ID_IPV4_ADDR, ROADIE_X509_ID_FQDN, ROADIE_X509_ID_USER_FQDN,
			ROADIE_X509_ID_IPV6_ADDR, ROADIE_X509_ID_DER_ASN1_DN,
		};

		check(cred->cert && cred->key && cred->extra);
		for (size_t i = 0; i < G_N_ELEMENTS(types); i++) {
			g_autoptr(GError) e = NULL;
			g_autoptr(GBytes) id = roadie_x509_cert_id(cred->cert, types[i], "c", &e);

			check((id == NULL) == (e != NULL));
		}
	}
	check_clean();
}

static void fuzz_peer_once(STACK_OF(X509) *cas, const RoadieX509Der *certs, size_t n,
			   uint8_t id_type, const uint8_t *id, size_t id_len)
{
	RoadieX509PeerPolicy policy = { .gateway = "vpn.example.com", .cas = cas, .now = NOW };
	g_autoptr(GError) error = NULL;
	X509 *leaf = NULL;
	RoadieX509PeerResult r =
		roadie_x509_verify_peer(&policy, certs, n, id_type, id, id_len, &leaf, &error);

	check((r == ROADIE_X509_PEER_OK) == (error == NULL));
	check((r == ROADIE_X509_PEER_OK) == (leaf != NULL));
	if (error)
		check(error->domain == ROADIE_X509_VERIFY_ERROR && error->code == (int)r &&
		      g_utf8_validate(error->message, -1, NULL));
	X509_free(leaf);
	check_clean();
}

static void fuzz_peer(const uint8_t *p, size_t left)
{
	RoadieX509Der certs[4];
	STACK_OF(X509) *pinned = sk_X509_new_null();
	STACK_OF(X509) *none = sk_X509_new_null();
	X509 *first = NULL;
	size_t n = 0;
	uint8_t id_type = 0;

	while (n < G_N_ELEMENTS(certs) && left > 2 && p[0] != 0xff &&
	       take(&p, &left, &certs[n].data, &certs[n].len))
		n++;
	if (left > 0 && p[0] == 0xff) {
		p++;
		left--;
	}
	if (left > 0) {
		id_type = p[0];
		p++;
		left--;
	}
	for (size_t i = 0; i < n; i++) {
		const unsigned char *q = certs[i].data;
		X509 *cert = d2i_X509(NULL, &q, (long)certs[i].len);
		g_autoptr(GError) e1 = NULL, e2 = NULL;

		ERR_clear_error();
		if (!cert)
			continue;
		check(roadie_x509_match_id(cert, id_type, p, left, &e1) == ROADIE_X509_PEER_OK ?
			      e1 == NULL :
			      e1 != NULL);
		if (left < 256) {
			g_autofree char *text = g_strndup((const char *)p, left);

			check(roadie_x509_match_remote_id(cert, text, "vpn.example.com", &e2) ==
					      ROADIE_X509_PEER_OK ?
				      e2 == NULL :
				      e2 != NULL);
		}
		if (!first)
			first = cert;
		else
			X509_free(cert);
		check_clean();
	}
	fuzz_peer_once(none, certs, n, id_type, p, left);
	if (first) {
		sk_X509_push(pinned, first);
		fuzz_peer_once(pinned, certs, n, id_type, p, left);
	}
	sk_X509_pop_free(pinned, X509_free);
	sk_X509_free(none);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data + 1;
	size_t left = size ? size - 1 : 0;

	if (size == 0)
		return 0;
	switch (data[0] % 4) {
	case 0: {
		RoadieX509Blob cert = { p, left, "fuzz.p12" };

		fuzz_cred(&cert, NULL);
		break;
	}
	case 1: {
		RoadieX509Blob cert = { NULL, 0, "fuzz.pem" }, key = { NULL, 0, "fuzz.key" };
		const uint8_t *c;
		size_t clen;

		if (!take(&p, &left, &c, &clen))
			break;
		cert.data = c;
		cert.len = clen;
		key.data = p;
		key.len = left;
		fuzz_cred(&cert, &key);
		break;
	}
	case 2: {
		RoadieX509Blob blob = { p, left, "ca.pem" };
		g_autoptr(GError) error = NULL;
		STACK_OF(X509) *cas = roadie_x509_load_cas(&blob, &error);

		check((cas == NULL) == (error != NULL));
		check(!cas || sk_X509_num(cas) > 0);
		sk_X509_pop_free(cas, X509_free);
		check_clean();
		break;
	}
	case 3:
		fuzz_peer(p, left);
		break;
	}
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Our credentials (x509-cred.h) and the gateway's chain and IDs (x509-verify.h), against the
 * in-memory PKI of x509-fixture.h. Every sentence a user can see is checked word for word.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "x509-cred.h"
#include "x509-fixture.h"
#include "x509-verify.h"

#define NOW X509_FIXTURE_NOW
#define NEED_KEY_TYPE                                                                            \
	"; IKEv1 signatures need an RSA key or an ECDSA key on P-256, P-384 or P-521"

/* ---- helpers ---- */

static RoadieX509Cred *load(GBytes *cert, const char *cert_label, GBytes *key,
			    const char *key_label, const char *password, GError **error)
{
	g_autoptr(RoadieSecret) pw = roadie_secret_new(password);
	gsize cert_len, key_len = 0;
	const void *cert_data = g_bytes_get_data(cert, &cert_len);
	const void *key_data = key ? g_bytes_get_data(key, &key_len) : NULL;
	RoadieX509Blob c = { cert_data, cert_len, cert_label };
	RoadieX509Blob k = { key_data, key_len, key_label };

	return roadie_x509_cred_load(&c, key ? &k : NULL, pw, NOW, error);
}

static void assert_loaded(RoadieX509Cred *cred, GError *error, X509 *want_cert,
			  EVP_PKEY *want_key, int n_extra)
{
	g_assert_no_error(error);
	g_assert_nonnull(cred);
	g_assert_cmpint(X509_cmp(cred->cert, want_cert), ==, 0);
	g_assert_cmpint(EVP_PKEY_eq(cred->key, want_key), ==, 1);
	g_assert_nonnull(cred->extra);
	g_assert_cmpint(sk_X509_num(cred->extra), ==, n_extra);
}

static void assert_refused(RoadieX509Cred *cred, GError *error, RoadieX509CredError code,
			   const char *message)
{
	g_assert_null(cred);
	g_assert_error(error, ROADIE_X509_CRED_ERROR, (int)code);
	g_assert_cmpstr(error->message, ==, message);
	g_assert_cmpuint(ERR_peek_error(), ==, 0); /* nothing left in OpenSSL's error queue */
}

/* ---- formats ---- */

#define FORMAT_UNSET ((RoadieX509Format)99) /* no format: what a refusal must leave alone */

/* roadie_x509_detect_format() on @data[0..len): whether it names a format, which, and that
 * a refusal leaves *ret_format alone (rule 3) and OpenSSL's error queue empty. */
static bool detect(const void *data, size_t len, bool want_key, RoadieX509Format *ret_format)
{
	RoadieX509Blob blob = { data, len, "f" };
	RoadieX509Format format = FORMAT_UNSET;
	bool ok = roadie_x509_detect_format(&blob, want_key, &format);

	g_assert_cmpuint(ERR_peek_error(), ==, 0);
	if (!ok)
		g_assert_cmpint(format, ==, FORMAT_UNSET);
	else if (ret_format)
		*ret_format = format;
	return ok;
}

static void assert_format(GBytes *bytes, bool want_key, RoadieX509Format want)
{
	gsize len;
	const void *data = g_bytes_get_data(bytes, &len);
	RoadieX509Format format = FORMAT_UNSET;

	g_assert_true(detect(data, len, want_key, &format));
	g_assert_cmpint(format, ==, want);
}

static void assert_no_format(GBytes *bytes, bool want_key)
{
	gsize len;
	const void *data = g_bytes_get_data(bytes, &len);

	g_assert_false(detect(data, len, want_key, NULL));
}

static void test_detect_format(void)
{
	const X509Fixture *f = x509_fixture_get();
	g_autoptr(GBytes) pem = x509_fixture_pem(f->client, f->inter, NULL);
	g_autoptr(GBytes) pem_key = x509_fixture_key_pem(f->leaf_key, "s3cret");
	g_autoptr(GBytes) der = x509_fixture_der(f->client);
	g_autoptr(GBytes) k8 = x509_fixture_key_der(f->leaf_key, true, NULL);
	g_autoptr(GBytes) ktrad = x509_fixture_key_der(f->ec256_key, false, NULL);
	g_autoptr(GBytes) kenc = x509_fixture_key_der(f->leaf_key, true, "s3cret");
	g_autoptr(GBytes) p12 = x509_fixture_p12(f->client, f->leaf_key, "s3cret", f->inter, NULL);
	g_autoptr(GBytes) garbage = g_bytes_new_static("\x30\x82\x01\x00hello", 9);
	g_autoptr(GBytes) empty = g_bytes_new_static("", 0);
	g_autoptr(GBytes) one = g_bytes_new_static("\x00", 1);
	RoadieX509Blob null_data = { NULL, 5, "f" };
	RoadieX509Format format = FORMAT_UNSET;

	assert_format(pem, false, ROADIE_X509_FORMAT_PEM);
	assert_format(pem, true, ROADIE_X509_FORMAT_PEM);
	assert_format(pem_key, true, ROADIE_X509_FORMAT_PEM);
	assert_format(der, false, ROADIE_X509_FORMAT_DER);
	assert_format(k8, true, ROADIE_X509_FORMAT_DER);
	assert_format(ktrad, true, ROADIE_X509_FORMAT_DER);
	assert_format(kenc, true, ROADIE_X509_FORMAT_DER); /* without its password */
	assert_format(p12, false, ROADIE_X509_FORMAT_PKCS12);
	assert_format(p12, true, ROADIE_X509_FORMAT_PKCS12);
	/* a certificate is no key, a key no certificate */
	assert_no_format(der, true);
	assert_no_format(k8, false);
	assert_no_format(kenc, false);
	assert_no_format(garbage, false);
	assert_no_format(garbage, true);
	assert_no_format(empty, false);
	assert_no_format(empty, true);
	assert_no_format(one, true);
	g_assert_false(roadie_x509_detect_format(&null_data, false, &format));
	g_assert_false(roadie_x509_detect_format(NULL, true, &format));
	g_assert_cmpint(format, ==, FORMAT_UNSET);
}

/* Every prefix of each DER form, the forms with a byte after them and with lying outer
 * lengths: none is taken for a format. A PEM prefix is PEM once its armour line has begun. */
static void test_detect_format_truncated(void)
{
	const X509Fixture *f = x509_fixture_get();
	g_autoptr(GBytes) der = x509_fixture_der(f->client);
	g_autoptr(GBytes) k8 = x509_fixture_key_der(f->leaf_key, true, NULL);
	g_autoptr(GBytes) kenc = x509_fixture_key_der(f->leaf_key, true, "s3cret");
	g_autoptr(GBytes) p12 = x509_fixture_p12(f->client, f->leaf_key, "s3cret", f->inter, NULL);
	g_autoptr(GBytes) pem = x509_fixture_pem(f->client, NULL);
	struct {
		GBytes *bytes;
		bool want_key;
	} forms[] = { { der, false }, { k8, true }, { kenc, true }, { p12, false }, { p12, true } };

	for (size_t i = 0; i < G_N_ELEMENTS(forms); i++) {
		gsize len;
		const uint8_t *data = g_bytes_get_data(forms[i].bytes, &len);
		g_autofree uint8_t *copy = g_malloc(len + 1);

		for (gsize n = 0; n < len; n++)
			g_assert_false(detect(data, n, forms[i].want_key, NULL));
		memcpy(copy, data, len);
		copy[len] = 0;
		g_assert_false(detect(copy, len + 1, forms[i].want_key, NULL));
		/* each is a SEQUENCE with a two-byte length: 30 82 hi lo */
		g_assert_cmpuint(copy[0], ==, 0x30);
		g_assert_cmpuint(copy[1], ==, 0x82);
		for (int delta = -1; delta <= 1; delta += 2) {
			unsigned int body =
				((unsigned int)data[2] << 8 | data[3]) + (unsigned int)delta;

			copy[2] = (uint8_t)(body >> 8);
			copy[3] = (uint8_t)body;
			g_assert_false(detect(copy, len, forms[i].want_key, NULL));
		}
	}
	{
		gsize len;
		const char *data = g_bytes_get_data(pem, &len);
		RoadieX509Format format;

		g_assert_true(g_str_has_prefix(data, "-----BEGIN "));
		for (gsize n = 0; n < len; n++) {
			bool ok = detect(data, n, false, &format);

			g_assert_cmpint(ok, ==, n >= strlen("-----BEGIN "));
			if (ok)
				g_assert_cmpint(format, ==, ROADIE_X509_FORMAT_PEM);
		}
	}
}

/* ---- loading our credential ---- */

static void test_pem_one_blob(void)
{
	const X509Fixture *f = x509_fixture_get();
	/* key first, then the chain before our certificate: the key decides which is ours */
	g_autoptr(GBytes) key = x509_fixture_key_pem(f->leaf_key, NULL);
	g_autoptr(GBytes) certs = x509_fixture_pem(f->inter, f->client, NULL);
	g_autoptr(GBytes) blob = x509_fixture_concat(key, certs);
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieX509Cred) cred = load(blob, "client.pem", NULL, NULL, NULL, &error);

	assert_loaded(cred, error, f->client, f->leaf_key, 1);
	g_assert_cmpint(X509_cmp(sk_X509_value(cred->extra, 0), f->inter), ==, 0);
	g_assert_cmpint(cred->format, ==, ROADIE_X509_FORMAT_PEM);
}

static void test_pem_separate_keys(void)
{
	const X509Fixture *f = x509_fixture_get();
	g_autoptr(GBytes) cert = x509_fixture_pem(f->client, f->inter, NULL);
	g_autoptr(GBytes) k8 = x509_fixture_key_pem(f->leaf_key, NULL);
	g_autoptr(GBytes) ktrad = x509_fixture_key_pem_traditional(f->leaf_key, NULL);
	g_autoptr(GBytes) k8enc = x509_fixture_key_pem(f->leaf_key, "s3cret");
	g_autoptr(GBytes) ktradenc = x509_fixture_key_pem_traditional(f->leaf_key, "s3cret");
	GBytes *keys[] = { k8, ktrad, k8enc, ktradenc };

	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(RoadieX509Cred) cred =
			load(cert, "client.pem", keys[i], "client.key", i >= 2 ? "s3cret" : NULL,
			     &error);

		assert_loaded(cred, error, f->client, f->leaf_key, 1);
	}
	/* encrypted: wrong and missing password, in both PEM forms */
	for (size_t i = 2; i < G_N_ELEMENTS(keys); i++) {
		g_autoptr(GError) e1 = NULL, e2 = NULL;
		RoadieX509Cred *c1 = load(cert, "client.pem", keys[i], "client.key", "wrong", &e1);
		RoadieX509Cred *c2 = load(cert, "client.pem", keys[i], "client.key", NULL, &e2);

		assert_refused(c1, e1, ROADIE_X509_CRED_WRONG_PASSWORD,
			       "the password for client.key is wrong");
		assert_refused(c2, e2, ROADIE_X509_CRED_PASSWORD_NEEDED,
			       "client.key is protected by a password, and none was given");
	}
}

static void test_pem_encrypted_key_in_blob(void)
{
	const X509Fixture *f = x509_fixture_get();
	g_autoptr(GBytes) cert = x509_fixture_pem(f->client, NULL);
	g_autoptr(GBytes) key = x509_fixture_key_pem(f->leaf_key, "s3cret");
	g_autoptr(GBytes) blob = x509_fixture_concat(cert, key);
	g_autoptr(GError) e1 = NULL, e2 = NULL;
	g_autoptr(RoadieX509Cred) ok = load(blob, "client.pem", NULL, NULL, "s3cret", &e1);
	RoadieX509Cred *bad = load(blob, "client.pem", NULL, NULL, "s3cre", &e2);

	assert_loaded(ok, e1, f->client, f->leaf_key, 0);
	assert_refused(bad, e2, ROADIE_X509_CRED_WRONG_PASSWORD,
		       "the password for client.pem is wrong");
}

static void test_der(void)
{
	const X509Fixture *f = x509_fixture_get();
	g_autoptr(GBytes) cert = x509_fixture_der(f->client);
	g_autoptr(GBytes) k8 = x509_fixture_key_der(f->leaf_key, true, NULL);
	g_autoptr(GBytes) ktrad = x509_fixture_key_der(f->leaf_key, false, NULL);
	g_autoptr(GBytes) kenc = x509_fixture_key_der(f->leaf_key, true, "s3cret");
	g_autoptr(GBytes) ec_cert = x509_fixture_der(f->client_ec);
	g_autoptr(GBytes) ec_trad = x509_fixture_key_der(f->ec256_key, false, NULL);
	g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL, e5 = NULL, e6 = NULL;
	g_autoptr(RoadieX509Cred) c1 = load(cert, "client.der", k8, "client.key", NULL, &e1);
	g_autoptr(RoadieX509Cred) c2 = load(cert, "client.der", ktrad, "client.key", NULL, &e2);
	g_autoptr(RoadieX509Cred) c3 = load(cert, "client.der", kenc, "client.key", "s3cret", &e3);
	g_autoptr(RoadieX509Cred) c4 = load(ec_cert, "client.der", ec_trad, "k", NULL, &e4);
	RoadieX509Cred *c5 = load(cert, "client.der", kenc, "client.key", "nope", &e5);
	RoadieX509Cred *c6 = load(cert, "client.der", NULL, NULL, NULL, &e6);

	assert_loaded(c1, e1, f->client, f->leaf_key, 0);
	assert_loaded(c2, e2, f->client, f->leaf_key, 0);
	assert_loaded(c3, e3, f->client, f->leaf_key, 0);
	assert_loaded(c4, e4, f->client_ec, f->ec256_key, 0);
	g_assert_cmpint(c1->format, ==, ROADIE_X509_FORMAT_DER);
	assert_refused(c5, e5, ROADIE_X509_CRED_WRONG_PASSWORD,
		       "the password for client.key is wrong");
	assert_refused(c6, e6, ROADIE_X509_CRED_NO_KEY,
		       "client.der holds no private key; choose the key file as well");
}

static void test_pkcs12(void)
{
	const X509Fixture *f = x509_fixture_get();
	g_autoptr(GBytes) p12 = x509_fixture_p12(f->client, f->leaf_key, "s3cret", f->inter,
						 f->root, NULL);
	g_autoptr(GBytes) open = x509_fixture_p12(f->client_ec, f->ec256_key, "", NULL);
	g_autoptr(GBytes) cert = x509_fixture_pem(f->client, NULL);
	g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL, e5 = NULL;
	g_autoptr(RoadieX509Cred) c1 = load(p12, "client.p12", NULL, NULL, "s3cret", &e1);
	g_autoptr(RoadieX509Cred) c2 = load(open, "client.p12", NULL, NULL, NULL, &e2);
	g_autoptr(RoadieX509Cred) c5 = load(cert, "client.pem", p12, "client.p12", "s3cret", &e5);
	RoadieX509Cred *c3 = load(p12, "client.p12", NULL, NULL, "s3cret!", &e3);
	RoadieX509Cred *c4 = load(p12, "client.p12", NULL, NULL, NULL, &e4);

	assert_loaded(c1, e1, f->client, f->leaf_key, 2);
	g_assert_cmpint(c1->format, ==, ROADIE_X509_FORMAT_PKCS12);
	assert_loaded(c2, e2, f->client_ec, f->ec256_key, 0);
	assert_loaded(c5, e5, f->client, f->leaf_key, 0); /* the key from a PKCS#12 */
	assert_refused(c3, e3, ROADIE_X509_CRED_WRONG_PASSWORD,
		       "the password for client.p12 is wrong");
	assert_refused(c4, e4, ROADIE_X509_CRED_PASSWORD_NEEDED,
		       "client.p12 is protected by a password, and none was given");
}

static void test_mismatch(void)
{
	const X509Fixture *f = x509_fixture_get();
	g_autoptr(GBytes) cert = x509_fixture_pem(f->client, NULL);
	g_autoptr(GBytes) other = x509_fixture_key_pem(f->root_key, NULL);
	g_autoptr(GBytes) blob = x509_fixture_concat(cert, other);
	g_autoptr(GError) e1 = NULL, e2 = NULL;
	RoadieX509Cred *c1 = load(cert, "client.pem", other, "client.key", NULL, &e1);
	RoadieX509Cred *c2 = load(blob, "client.pem", NULL, NULL, NULL, &e2);

	assert_refused(c1, e1, ROADIE_X509_CRED_KEY_MISMATCH,
		       "the private key in client.key does not belong to the certificate in "
		       "client.pem");
	assert_refused(c2, e2, ROADIE_X509_CRED_KEY_MISMATCH,
		       "the private key in client.pem does not belong to its certificate");
}

static void test_validity(void)
{
	const X509Fixture *f = x509_fixture_get();
	g_autoptr(GBytes) key = x509_fixture_key_pem(f->leaf_key, NULL);
	g_autoptr(GBytes) expired = x509_fixture_pem(f->client_expired, NULL);
	g_autoptr(GBytes) not_yet = x509_fixture_pem(f->client_not_yet, NULL);
	g_autoptr(GError) e1 = NULL, e2 = NULL;
	RoadieX509Cred *c1 = load(expired, "client.pem", key, "client.key", NULL, &e1);
	RoadieX509Cred *c2 = load(not_yet, "client.pem", key, "client.key", NULL, &e2);

	assert_refused(c1, e1, ROADIE_X509_CRED_EXPIRED, "client.pem expired on 2025-01-01");
	assert_refused(c2, e2, ROADIE_X509_CRED_NOT_YET_VALID,
		       "client.pem is not valid until 2026-01-01");
}

static void test_key_type(void)
{
	const X509Fixture *f = x509_fixture_get();
	g_autoptr(GBytes) ed_cert = x509_fixture_pem(f->client_ed, NULL);
	g_autoptr(GBytes) ed_key = x509_fixture_key_pem(f->ed25519_key, NULL);
	g_autoptr(GBytes) bp = x509_fixture_p12(f->client_bp, f->brainpool_key, "pw", NULL);
	g_autoptr(GError) e1 = NULL, e2 = NULL;
	RoadieX509Cred *c1 = load(ed_cert, "client.pem", ed_key, "client.key", NULL, &e1);
	RoadieX509Cred *c2 = load(bp, "client.p12", NULL, NULL, "pw", &e2);

	assert_refused(c1, e1, ROADIE_X509_CRED_KEY_TYPE,
		       "client.key has an ED25519 key" NEED_KEY_TYPE);
	assert_refused(c2, e2, ROADIE_X509_CRED_KEY_TYPE,
		       "client.p12 has an ECDSA key on brainpoolP256r1" NEED_KEY_TYPE);
	g_assert_true(roadie_x509_key_usable(f->ec384_key, NULL));
	g_assert_true(roadie_x509_key_usable(f->ec521_key, NULL));
	g_assert_false(roadie_x509_key_usable(NULL, NULL));
}

static void test_garbage(void)
{
	const X509Fixture *f = x509_fixture_get();
	g_autoptr(GBytes) garbage = g_bytes_new_static("\x30\x82\x01\x00hello", 9);
	g_autoptr(GBytes) empty = g_bytes_new_static("", 0);
	g_autoptr(GBytes) pem_text = g_bytes_new_static("-----BEGIN CERTIFICATE-----\nAAAA\n", 33);
	g_autoptr(GBytes) cert = x509_fixture_pem(f->client, NULL);
	g_autoptr(GBytes) keyonly = x509_fixture_key_pem(f->leaf_key, NULL);
	g_autoptr(GBytes) broken_key =
		g_bytes_new_static("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", 58);
	GBytes *bad[] = { garbage, empty, pem_text, keyonly };
	g_autoptr(GError) e1 = NULL, e2 = NULL;
	RoadieX509Cred *c1, *c2;

	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		RoadieX509Cred *c = load(bad[i], "client.p12", NULL, NULL, "pw", &error);

		assert_refused(c, error, ROADIE_X509_CRED_NOT_A_CERT,
			       "client.p12 is not a certificate in PEM, DER or PKCS#12 form");
	}
	c1 = load(cert, "client.pem", garbage, "client.key", NULL, &e1);
	assert_refused(c1, e1, ROADIE_X509_CRED_NOT_A_KEY,
		       "client.key is not a private key in PEM, DER or PKCS#12 form");
	c2 = load(cert, "client.pem", broken_key, "client.key", NULL, &e2);
	assert_refused(c2, e2, ROADIE_X509_CRED_NOT_A_KEY,
		       "client.key holds a private key that cannot be read");
}

/* Every prefix of each form: refused with a sentence (or, for PEM text that still holds a
 * whole certificate and key, loaded), never a crash or leak. */
static void test_truncated(void)
{
	const X509Fixture *f = x509_fixture_get();
	g_autoptr(GBytes) der = x509_fixture_der(f->client);
	g_autoptr(GBytes) p12 = x509_fixture_p12(f->client, f->leaf_key, "pw", f->inter, NULL);
	g_autoptr(GBytes) key = x509_fixture_key_pem(f->leaf_key, NULL);
	g_autoptr(GBytes) cert = x509_fixture_pem(f->client, f->inter, NULL);
	g_autoptr(GBytes) pem = x509_fixture_concat(key, cert);
	g_autoptr(GBytes) key_der = x509_fixture_key_der(f->leaf_key, true, "pw");
	GBytes *forms[] = { der, p12, pem };

	for (size_t i = 0; i < G_N_ELEMENTS(forms); i++) {
		gsize len;
		const uint8_t *data = g_bytes_get_data(forms[i], &len);

		/* OpenSSL 3 tries each of its decoders on every PEM object: every 11th prefix of
		 * the PEM text, every prefix of the DER forms */
		for (gsize n = 0; n < len; n += i == 2 ? 11 : 1) {
			g_autoptr(GError) error = NULL;
			RoadieX509Blob blob = { data, n, "cut" };
			gsize klen;
			RoadieX509Blob kblob = { g_bytes_get_data(key, &klen), 0, "k" };
			g_autoptr(RoadieSecret) pw = roadie_secret_new("pw");
			g_autoptr(RoadieX509Cred) cred = NULL;

			kblob.len = klen;
			cred = roadie_x509_cred_load(&blob, i == 0 ? &kblob : NULL, pw, NOW, &error);
			g_assert_true((cred == NULL) == (error != NULL));
			g_assert_cmpuint(ERR_peek_error(), ==, 0);
		}
	}
	{
		gsize len;
		const uint8_t *data = g_bytes_get_data(key_der, &len);
		gsize clen;
		const uint8_t *cdata = g_bytes_get_data(der, &clen);

		for (gsize n = 0; n < len; n += 3) {
			g_autoptr(GError) error = NULL;
			RoadieX509Blob c = { cdata, clen, "c" }, k = { data, n, "k" };
			g_autoptr(RoadieSecret) pw = roadie_secret_new("pw");

			g_assert_null(roadie_x509_cred_load(&c, &k, pw, NOW, &error));
			g_assert_nonnull(error);
		}
	}
}

static void test_cas(void)
{
	const X509Fixture *f = x509_fixture_get();
	g_autoptr(GBytes) pem = x509_fixture_pem(f->root, f->other, NULL);
	g_autoptr(GBytes) der = x509_fixture_der(f->root);
	gsize n1, n2;
	RoadieX509Blob b1 = { g_bytes_get_data(pem, &n1), 0, "cas.pem" };
	RoadieX509Blob b2 = { g_bytes_get_data(der, &n2), 0, "ca.der" };
	RoadieX509Blob b3 = { "junk", 4, "ca.txt" };
	g_autoptr(GError) error = NULL;
	STACK_OF(X509) *cas;

	b1.len = n1;
	b2.len = n2;
	cas = roadie_x509_load_cas(&b1, NULL);
	g_assert_cmpint(sk_X509_num(cas), ==, 2);
	sk_X509_pop_free(cas, X509_free);
	cas = roadie_x509_load_cas(&b2, NULL);
	g_assert_cmpint(sk_X509_num(cas), ==, 1);
	g_assert_cmpint(X509_cmp(sk_X509_value(cas, 0), f->root), ==, 0);
	sk_X509_pop_free(cas, X509_free);
	g_assert_null(roadie_x509_load_cas(&b3, &error));
	g_assert_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_NOT_A_CERT);
	g_assert_cmpstr(error->message, ==, "ca.txt is not a certificate in PEM or DER form");
}

static void test_our_id(void)
{
	const X509Fixture *f = x509_fixture_get();
	unsigned char *dn = NULL;
	int dn_len = i2d_X509_NAME(X509_get_subject_name(f->client), &dn);
	const uint8_t v4[] = { 198, 51, 100, 7 };
	g_autoptr(GBytes) id_dn = roadie_x509_cert_id(f->client, ROADIE_X509_ID_DER_ASN1_DN, "c", NULL);
	g_autoptr(GBytes) id_fqdn = roadie_x509_cert_id(f->client, ROADIE_X509_ID_FQDN, "c", NULL);
	g_autoptr(GBytes) id_mail = roadie_x509_cert_id(f->client, ROADIE_X509_ID_USER_FQDN, "c",
							NULL);
	g_autoptr(GBytes) id_v4 = roadie_x509_cert_id(f->client, ROADIE_X509_ID_IPV4_ADDR, "c", NULL);
	g_autoptr(GBytes) der = roadie_x509_cert_der(f->client);
	g_autoptr(GBytes) want_der = x509_fixture_der(f->client);
	g_autoptr(GError) e1 = NULL, e2 = NULL;
	gsize len;
	const void *data;

	data = g_bytes_get_data(id_dn, &len);
	g_assert_cmpmem(data, len, dn, dn_len);
	OPENSSL_free(dn);
	data = g_bytes_get_data(id_fqdn, &len);
	g_assert_cmpmem(data, len, "client.example.com", 18);
	data = g_bytes_get_data(id_mail, &len);
	g_assert_cmpmem(data, len, "alice@example.com", 17);
	data = g_bytes_get_data(id_v4, &len);
	g_assert_cmpmem(data, len, v4, 4);
	g_assert_true(g_bytes_equal(der, want_der));

	g_assert_null(roadie_x509_cert_id(f->client, ROADIE_X509_ID_IPV6_ADDR, "client.pem", &e1));
	g_assert_error(e1, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_NO_ID);
	g_assert_cmpstr(e1->message, ==,
			"client.pem has no subjectAltName with an IPv6 address, so it cannot "
			"identify us by one");
	g_assert_null(roadie_x509_cert_id(f->client_bare, ROADIE_X509_ID_FQDN, "client.pem", &e2));
	g_assert_cmpstr(e2->message, ==,
			"client.pem has no subjectAltName with a DNS name, so it cannot identify "
			"us by one");
}

static void test_read_file(void)
{
	g_autofree char *dir = g_dir_make_tmp("roadie-x509-XXXXXX", NULL);
	g_autofree char *file = g_build_filename(dir, "client.key", NULL);
	g_autofree char *big = g_build_filename(dir, "big.pem", NULL);
	g_autofree char *missing = g_build_filename(dir, "missing.pem", NULL);
	g_autofree char *msg = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL;
	g_autofree char *large = g_malloc0(ROADIE_X509_MAX_FILE + 1);
	gsize len;

	g_assert_true(g_file_set_contents(file, "key bytes", -1, NULL));
	bytes = roadie_x509_read_file(file, NULL);
	g_assert_cmpmem(g_bytes_get_data(bytes, &len), len, "key bytes", 9);

	g_assert_null(roadie_x509_read_file(missing, &e1));
	msg = g_strdup_printf("cannot read %s: there is no such file", missing);
	g_assert_cmpstr(e1->message, ==, msg);
	g_clear_pointer(&msg, g_free);

	g_assert_null(roadie_x509_read_file(dir, &e2));
	msg = g_strdup_printf("cannot read %s: it is a folder, not a file", dir);
	g_assert_cmpstr(e2->message, ==, msg);
	g_clear_pointer(&msg, g_free);

	g_assert_true(g_file_set_contents(big, large, ROADIE_X509_MAX_FILE + 1, NULL));
	g_assert_null(roadie_x509_read_file(big, &e3));
	msg = g_strdup_printf("%s is larger than 1 MiB, so it is not a certificate or key", big);
	g_assert_cmpstr(e3->message, ==, msg);
	g_clear_pointer(&msg, g_free);

	/* root reads everything: the permission case needs an ordinary user */
	if (geteuid() != 0) {
		const char *user = g_get_user_name();

		g_assert_cmpint(chmod(file, 0), ==, 0);
		g_assert_null(roadie_x509_read_file(file, &e4));
		msg = g_strdup_printf("cannot read %s: permission denied (it belongs to %s and "
				      "nobody may read it (mode 0000))", file, user);
		g_assert_cmpstr(e4->message, ==, msg);
		g_clear_pointer(&msg, g_free);
	}
	g_unlink(file);
	g_unlink(big);
	g_rmdir(dir);
}

/* The permission sentence for a file of another user, as roadiectl shows it (needs root to
 * set up; skipped otherwise). */
static void test_read_file_other_user(void)
{
	g_autofree char *dir = NULL, *file = NULL;
	pid_t pid;
	int status;

	if (geteuid() != 0) {
		g_test_skip("needs root to make a file of another user");
		return;
	}
	dir = g_dir_make_tmp("roadie-x509-XXXXXX", NULL);
	file = g_build_filename(dir, "client.key", NULL);
	g_assert_true(g_file_set_contents(file, "k", -1, NULL));
	g_assert_cmpint(chmod(dir, 0755), ==, 0);
	g_assert_cmpint(chmod(file, 0600), ==, 0);
	/* a child as nobody (65534) reads a file of root */
	pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		GError *e = NULL;
		char *want;

		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(2);
		if (roadie_x509_read_file(file, &e))
			_exit(3);
		want = g_strdup_printf("cannot read %s: permission denied (it belongs to root and "
				       "only root may read it; run this as root)", file);
		_exit(strcmp(e->message, want) == 0 ? 0 : 4);
	}
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), ==, 0);
	g_unlink(file);
	g_rmdir(dir);
}

/* ---- the gateway's chain ---- */

typedef struct {
	STACK_OF(X509) *cas;
	RoadieX509Der der[4];
	GBytes *bytes[4];
	size_t n;
	uint8_t id_type;
	GBytes *id;
} Peer;

static void peer_clear(Peer *p)
{
	for (size_t i = 0; i < p->n; i++)
		g_bytes_unref(p->bytes[i]);
	g_clear_pointer(&p->id, g_bytes_unref);
	sk_X509_free(p->cas);
	memset(p, 0, sizeof(*p));
}

static void peer_add(Peer *p, X509 *cert)
{
	gsize len;

	g_assert_cmpuint(p->n, <, G_N_ELEMENTS(p->der));
	p->bytes[p->n] = x509_fixture_der(cert);
	p->der[p->n].data = g_bytes_get_data(p->bytes[p->n], &len);
	p->der[p->n].len = len;
	p->n++;
}

/* The gateway sends @leaf (and @inter, if any) with its FQDN ID vpn.example.com; the profile
 * trusts @ca (NULL: the system store). */
static RoadieX509PeerResult peer_run(X509 *ca, X509 *leaf, X509 *inter, const char *remote_id,
				     X509 **ret_leaf, GError **error)
{
	Peer p = { 0 };
	RoadieX509PeerPolicy policy = {
		.gateway = "vpn.example.com",
		.remote_id = remote_id,
		.now = NOW,
	};
	RoadieX509PeerResult r;
	gsize id_len;
	const uint8_t *id_data;

	if (ca) {
		p.cas = sk_X509_new_null();
		sk_X509_push(p.cas, ca);
		policy.cas = p.cas;
	}
	if (leaf)
		peer_add(&p, leaf);
	if (inter)
		peer_add(&p, inter);
	p.id = g_bytes_new_static("vpn.example.com", 15);
	id_data = g_bytes_get_data(p.id, &id_len);
	r = roadie_x509_verify_peer(&policy, p.der, p.n, ROADIE_X509_ID_FQDN, id_data, id_len,
				    ret_leaf, error);
	peer_clear(&p);
	g_assert_cmpuint(ERR_peek_error(), ==, 0);
	return r;
}

/* @ret_error is read after the call that fills it (an argument would be read in any order). */
static void assert_peer(RoadieX509PeerResult r, GError **ret_error, RoadieX509PeerResult want,
			const char *message)
{
	GError *error = *ret_error;

	g_assert_cmpstr(roadie_x509_peer_result_name(r), ==, roadie_x509_peer_result_name(want));
	if (want == ROADIE_X509_PEER_OK) {
		g_assert_no_error(error);
		return;
	}
	g_assert_error(error, ROADIE_X509_VERIFY_ERROR, (int)want);
	g_assert_cmpstr(error->message, ==, message);
}

static void test_chain_ok(void)
{
	const X509Fixture *f = x509_fixture_get();
	X509 *leaves[] = { f->leaf, f->leaf_ec256, f->leaf_ec384, f->leaf_ec521, f->ipsec_ike,
			   f->no_eku };

	for (size_t i = 0; i < G_N_ELEMENTS(leaves); i++) {
		g_autoptr(GError) error = NULL;
		X509 *got = NULL;
		RoadieX509PeerResult r = peer_run(f->root, leaves[i], f->inter, NULL, &got, &error);

		assert_peer(r, &error, ROADIE_X509_PEER_OK, NULL);
		g_assert_cmpint(X509_cmp(got, leaves[i]), ==, 0);
		X509_free(got);
	}
}

static void test_chain_order_and_anchor(void)
{
	const X509Fixture *f = x509_fixture_get();
	g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL;
	X509 *got = NULL;

	/* the intermediate first: the leaf is still found */
	assert_peer(peer_run(f->root, f->inter, f->leaf, NULL, &got, &e1), &e1, ROADIE_X509_PEER_OK,
		    NULL);
	g_assert_cmpint(X509_cmp(got, f->leaf), ==, 0);
	X509_free(got);
	/* the profile's CA is the intermediate: an anchor too */
	assert_peer(peer_run(f->inter, f->leaf, NULL, NULL, NULL, &e2), &e2, ROADIE_X509_PEER_OK,
		    NULL);
	/* the leaf directly under the root */
	assert_peer(peer_run(f->root, f->leaf_direct, NULL, NULL, NULL, &e3), &e3,
		    ROADIE_X509_PEER_OK, NULL);
	/* the gateway's own certificate pinned as "CA" */
	assert_peer(peer_run(f->leaf, f->leaf, NULL, NULL, NULL, &e4), &e4, ROADIE_X509_PEER_OK,
		    NULL);
}

static void test_chain_other_ca(void)
{
	const X509Fixture *f = x509_fixture_get();
	g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL;

	assert_peer(peer_run(f->root, f->foreign, NULL, NULL, NULL, &e1), &e1,
		    ROADIE_X509_PEER_UNTRUSTED,
		    "the gateway's certificate for vpn.example.com is signed by 'Other Root', not "
		    "by the CA you chose ('Example Root')");
	/* the gateway sends the other root along: still not ours */
	assert_peer(peer_run(f->root, f->foreign, f->other, NULL, NULL, &e2), &e2,
		    ROADIE_X509_PEER_UNTRUSTED,
		    "the gateway's certificate for vpn.example.com is signed by 'Other Root', not "
		    "by the CA you chose ('Example Root')");
	/* the system's trust store does not know our test root */
	assert_peer(peer_run(NULL, f->leaf, f->inter, NULL, NULL, &e3), &e3,
		    ROADIE_X509_PEER_UNTRUSTED,
		    "the gateway's certificate for vpn.example.com is signed by 'Example Root', "
		    "which this computer does not trust");
}

static void test_chain_missing_intermediate(void)
{
	const X509Fixture *f = x509_fixture_get();
	g_autoptr(GError) error = NULL;

	assert_peer(peer_run(f->root, f->leaf, NULL, NULL, NULL, &error), &error,
		    ROADIE_X509_PEER_UNTRUSTED,
		    "the gateway's certificate for vpn.example.com is signed by 'Example "
		    "Intermediate', not by the CA you chose ('Example Root')");
}

static void test_chain_time(void)
{
	const X509Fixture *f = x509_fixture_get();
	g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL;

	assert_peer(peer_run(f->root, f->expired, f->inter, NULL, NULL, &e1), &e1,
		    ROADIE_X509_PEER_EXPIRED,
		    "the gateway's certificate for vpn.example.com expired on 2025-01-01");
	assert_peer(peer_run(f->root, f->not_yet, f->inter, NULL, NULL, &e2), &e2,
		    ROADIE_X509_PEER_NOT_YET_VALID,
		    "the gateway's certificate for vpn.example.com is not valid until 2026-01-01 "
		    "(is this computer's clock right?)");
	assert_peer(peer_run(f->root, f->leaf_old_inter, f->inter_expired, NULL, NULL, &e3), &e3,
		    ROADIE_X509_PEER_EXPIRED,
		    "the certificate 'Old Intermediate' in the chain of the gateway's certificate "
		    "for vpn.example.com expired on 2025-01-01");
}

static void test_chain_bad_signature(void)
{
	const X509Fixture *f = x509_fixture_get();
	g_autoptr(GBytes) der = x509_fixture_der(f->leaf);
	g_autoptr(GBytes) inter = x509_fixture_der(f->inter);
	g_autoptr(GError) error = NULL;
	gsize len, ilen;
	const void *orig = g_bytes_get_data(der, &len);
	uint8_t *copy = g_memdup2(orig, len);
	RoadieX509Der certs[2];
	STACK_OF(X509) *cas = sk_X509_new_null();
	RoadieX509PeerPolicy policy = { .gateway = "vpn.example.com", .cas = cas, .now = NOW };

	sk_X509_push(cas, f->root);
	copy[len - 5] ^= 0x01; /* inside the signature value, the last field */
	certs[0] = (RoadieX509Der){ copy, len };
	certs[1] = (RoadieX509Der){ g_bytes_get_data(inter, &ilen), 0 };
	certs[1].len = ilen;
	assert_peer(roadie_x509_verify_peer(&policy, certs, 2, ROADIE_X509_ID_FQDN,
					    (const uint8_t *)"vpn.example.com", 15, NULL, &error),
		    &error, ROADIE_X509_PEER_BAD_SIGNATURE,
		    "the gateway's certificate for vpn.example.com carries a signature that does "
		    "not verify");
	sk_X509_free(cas);
	g_free(copy);
}

static void test_chain_malformed(void)
{
	const X509Fixture *f = x509_fixture_get();
	STACK_OF(X509) *cas = sk_X509_new_null();
	RoadieX509PeerPolicy policy = { .gateway = "vpn.example.com", .cas = cas, .now = NOW };
	g_autoptr(GBytes) der = x509_fixture_der(f->leaf);
	g_autoptr(GError) e1 = NULL, e2 = NULL;
	gsize len;
	const uint8_t *data = g_bytes_get_data(der, &len);

	sk_X509_push(cas, f->root);
	assert_peer(roadie_x509_verify_peer(&policy, NULL, 0, ROADIE_X509_ID_FQDN,
					    (const uint8_t *)"x", 1, NULL, &e1),
		    &e1, ROADIE_X509_PEER_NO_CERT, "the gateway sent no certificate");
	for (size_t n = 0; n < len; n++) {
		g_autoptr(GError) error = NULL;
		RoadieX509Der cut = { data, n };

		assert_peer(roadie_x509_verify_peer(&policy, &cut, 1, ROADIE_X509_ID_FQDN,
						    (const uint8_t *)"x", 1, NULL, &error),
			    &error, ROADIE_X509_PEER_MALFORMED,
			    "the gateway sent a certificate that cannot be read");
	}
	/* trailing garbage after the certificate */
	{
		g_autofree uint8_t *longer = g_malloc(len + 1);
		RoadieX509Der l = { longer, len + 1 };

		memcpy(longer, data, len);
		longer[len] = 0;
		assert_peer(roadie_x509_verify_peer(&policy, &l, 1, ROADIE_X509_ID_FQDN,
						    (const uint8_t *)"x", 1, NULL, &e2),
			    &e2, ROADIE_X509_PEER_MALFORMED,
			    "the gateway sent a certificate that cannot be read");
	}
	sk_X509_free(cas);
}

static void test_usage(void)
{
	const X509Fixture *f = x509_fixture_get();
	g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL;

	assert_peer(peer_run(f->root, f->client_only, f->inter, NULL, NULL, &e1), &e1,
		    ROADIE_X509_PEER_EXT_KEY_USAGE,
		    "the gateway's certificate for vpn.example.com is not valid for IPsec (its "
		    "extended key usage is clientAuth only)");
	assert_peer(peer_run(f->root, f->no_ds, f->inter, NULL, NULL, &e2), &e2,
		    ROADIE_X509_PEER_KEY_USAGE,
		    "the gateway's certificate for vpn.example.com may not be used for signatures "
		    "(its key usage lacks digitalSignature)");
	assert_peer(peer_run(f->root, f->ed25519, f->inter, NULL, NULL, &e3), &e3,
		    ROADIE_X509_PEER_KEY_TYPE,
		    "the gateway's certificate for vpn.example.com has an ED25519 key, which IKEv1 "
		    "signatures cannot use");
}

/* ---- IDs ---- */

static void test_id_payload(void)
{
	const X509Fixture *f = x509_fixture_get();
	unsigned char *dn = NULL, *other_dn = NULL;
	int dn_len = i2d_X509_NAME(X509_get_subject_name(f->leaf), &dn);
	int other_len = i2d_X509_NAME(X509_get_subject_name(f->other_name), &other_dn);
	const uint8_t v4[] = { 192, 0, 2, 1 }, v4_bad[] = { 192, 0, 2, 2 };
	uint8_t v6[16], v6_bad[16];
	static const struct {
		uint8_t type;
		const char *data;
		const char *message; /* NULL: matches */
	} text_cases[] = {
		{ ROADIE_X509_ID_FQDN, "vpn.example.com", NULL },
		{ ROADIE_X509_ID_FQDN, "VPN.Example.COM", NULL },
		{ ROADIE_X509_ID_FQDN, "evil.example.com",
		  "the gateway identified itself as 'evil.example.com', but its certificate is for "
		  "'vpn.example.com'" },
		{ ROADIE_X509_ID_USER_FQDN, "vpn@example.com", NULL },
		{ ROADIE_X509_ID_USER_FQDN, "boss@example.com",
		  "the gateway identified itself as 'boss@example.com', but its certificate is for "
		  "'vpn.example.com'" },
	};

	inet_pton(AF_INET6, "2001:db8::1", v6);
	inet_pton(AF_INET6, "2001:db8::2", v6_bad);
	for (size_t i = 0; i < G_N_ELEMENTS(text_cases); i++) {
		g_autoptr(GError) error = NULL;
		RoadieX509PeerResult r = roadie_x509_match_id(
			f->leaf, text_cases[i].type, (const uint8_t *)text_cases[i].data,
			strlen(text_cases[i].data), &error);

		assert_peer(r, &error,
			    text_cases[i].message ? ROADIE_X509_PEER_ID_MISMATCH : ROADIE_X509_PEER_OK,
			    text_cases[i].message);
	}
	{
		g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL, e5 = NULL, e6 = NULL;
		g_autoptr(GError) e7 = NULL, e8 = NULL, e9 = NULL, e10 = NULL;

		assert_peer(roadie_x509_match_id(f->leaf, ROADIE_X509_ID_DER_ASN1_DN, dn,
						 (size_t)dn_len, &e1),
			    &e1, ROADIE_X509_PEER_OK, NULL);
		assert_peer(roadie_x509_match_id(f->leaf, ROADIE_X509_ID_DER_ASN1_DN, other_dn,
						 (size_t)other_len, &e2),
			    &e2, ROADIE_X509_PEER_ID_MISMATCH,
			    "the gateway identified itself as 'CN=other.example.com,O=Example', but "
			    "its certificate is for 'CN=vpn.example.com,O=Example'");
		assert_peer(roadie_x509_match_id(f->leaf, ROADIE_X509_ID_DER_ASN1_DN, dn,
						 (size_t)dn_len - 1, &e3),
			    &e3, ROADIE_X509_PEER_ID_MISMATCH,
			    "the gateway identified itself as 'an unreadable distinguished name', but "
			    "its certificate is for 'CN=vpn.example.com,O=Example'");
		assert_peer(roadie_x509_match_id(f->leaf, ROADIE_X509_ID_IPV4_ADDR, v4, 4, &e4), &e4,
			    ROADIE_X509_PEER_OK, NULL);
		assert_peer(roadie_x509_match_id(f->leaf, ROADIE_X509_ID_IPV4_ADDR, v4_bad, 4, &e5),
			    &e5, ROADIE_X509_PEER_ID_MISMATCH,
			    "the gateway identified itself as '192.0.2.2', but its certificate is for "
			    "'vpn.example.com'");
		assert_peer(roadie_x509_match_id(f->leaf, ROADIE_X509_ID_IPV6_ADDR, v6, 16, &e6), &e6,
			    ROADIE_X509_PEER_OK, NULL);
		assert_peer(roadie_x509_match_id(f->leaf, ROADIE_X509_ID_IPV6_ADDR, v6_bad, 16, &e7),
			    &e7, ROADIE_X509_PEER_ID_MISMATCH,
			    "the gateway identified itself as '2001:db8::2', but its certificate is "
			    "for 'vpn.example.com'");
		assert_peer(roadie_x509_match_id(f->leaf, 11, (const uint8_t *)"k", 1, &e8), &e8,
			    ROADIE_X509_PEER_ID_UNSUPPORTED,
			    "the gateway identified itself by an ID of type 11, which a certificate "
			    "cannot confirm");
		/* a wildcard certificate backs no name */
		assert_peer(roadie_x509_match_id(f->wildcard, ROADIE_X509_ID_FQDN,
						 (const uint8_t *)"vpn.example.com", 15, &e9),
			    &e9, ROADIE_X509_PEER_ID_MISMATCH,
			    "the gateway identified itself as 'vpn.example.com', but its certificate "
			    "is for '*.example.com'");
		/* a name with a NUL inside, and an empty one, never match */
		assert_peer(roadie_x509_match_id(f->leaf, ROADIE_X509_ID_FQDN,
						 (const uint8_t *)"vpn.example.com\0x", 17, &e10),
			    &e10, ROADIE_X509_PEER_ID_MISMATCH,
			    "the gateway identified itself as 'vpn.example.com?x', but its "
			    "certificate is for 'vpn.example.com'");
		g_assert_cmpint(roadie_x509_match_id(f->leaf, ROADIE_X509_ID_FQDN,
						     (const uint8_t *)"", 0, NULL),
				==, ROADIE_X509_PEER_ID_MISMATCH);
		g_assert_cmpint(roadie_x509_match_id(f->leaf, ROADIE_X509_ID_IPV4_ADDR, v6, 16, NULL),
				==, ROADIE_X509_PEER_ID_MISMATCH);
	}
	OPENSSL_free(dn);
	OPENSSL_free(other_dn);
	g_assert_cmpuint(ERR_peek_error(), ==, 0);
}

static void test_remote_id(void)
{
	const X509Fixture *f = x509_fixture_get();
	static const struct {
		const char *remote_id, *gateway;
		bool match;
	} cases[] = {
		{ NULL, "vpn.example.com", true },
		{ "", "vpn.example.com", true },
		{ NULL, "vpn.example.com.", true },
		{ NULL, "VPN.example.com", true },
		{ NULL, "192.0.2.1", true },
		{ NULL, "2001:db8::1", true },
		{ NULL, "192.0.2.9", false },
		{ NULL, "other.example.com", false },
		{ "fqdn:vpn.example.com", "192.0.2.1", true },
		{ "email:vpn@example.com", "x", true },
		{ "vpn@example.com", "x", true },
		{ "user-fqdn:nobody@example.com", "x", false },
		{ "dn:O=Example, CN=vpn.example.com", "x", true },
		{ "O=example,CN=VPN.example.com", "x", true }, /* canonical comparison */
		{ "dn:CN=vpn.example.com, O=Example", "x", false }, /* order matters */
		{ "dn:O=Example\\, Inc, CN=vpn.example.com", "x", false },
		{ "dn:garbage", "x", false },
		{ "ipv4:192.0.2.1", "vpn.example.com", true },
		{ "ipv6:2001:db8::1", "vpn.example.com", true },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		RoadieX509PeerResult r = roadie_x509_match_remote_id(f->leaf, cases[i].remote_id,
								     cases[i].gateway, &error);

		if ((r == ROADIE_X509_PEER_OK) != cases[i].match)
			g_error("remote id '%s' / gateway '%s': %s", cases[i].remote_id,
				cases[i].gateway, error ? error->message : "matched");
	}
	{
		g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL, e5 = NULL;

		/* old certificates: the commonName when there is no dNSName */
		assert_peer(roadie_x509_match_remote_id(f->cn_only, NULL, "vpn.example.com", &e1),
			    &e1, ROADIE_X509_PEER_OK, NULL);
		assert_peer(roadie_x509_match_remote_id(f->other_name, NULL, "vpn.example.com", &e2),
			    &e2, ROADIE_X509_PEER_NAME_MISMATCH,
			    "the gateway's certificate is for 'other.example.com', not for "
			    "vpn.example.com");
		assert_peer(roadie_x509_match_remote_id(f->wildcard, NULL, "vpn.example.com", &e3),
			    &e3, ROADIE_X509_PEER_NAME_MISMATCH,
			    "the gateway's certificate is for '*.example.com', not for "
			    "vpn.example.com");
		assert_peer(roadie_x509_match_remote_id(f->leaf, NULL, "192.0.2.9", &e4), &e4,
			    ROADIE_X509_PEER_NAME_MISMATCH,
			    "the gateway's certificate is for 'vpn.example.com', not for 192.0.2.9");
		assert_peer(roadie_x509_match_remote_id(f->leaf, "dn:CN=x", "vpn.example.com", &e5),
			    &e5, ROADIE_X509_PEER_NAME_MISMATCH,
			    "the gateway's certificate is for 'CN=vpn.example.com,O=Example', not for "
			    "dn:CN=x");
	}
	/* the whole check: the ID payload is fine, the remote ID is not */
	{
		g_autoptr(GError) error = NULL;

		assert_peer(peer_run(f->root, f->leaf, f->inter, "fqdn:other.example.com", NULL,
				     &error),
			    &error, ROADIE_X509_PEER_NAME_MISMATCH,
			    "the gateway's certificate is for 'vpn.example.com', not for "
			    "fqdn:other.example.com");
	}
	g_assert_cmpuint(ERR_peek_error(), ==, 0);
}

/* Names from a hostile certificate reach messages defused. */
static void test_display(void)
{
	g_autofree char *a = roadie_x509_text_display("a\nb\x01" "c", 5);
	g_autofree char *b = roadie_x509_text_display("\xff\xfe", 2);
	g_autofree char *long_text = g_strnfill(200, 'x');
	g_autofree char *c = roadie_x509_text_display(long_text, 200);
	g_autofree char *d = roadie_x509_text_display(NULL, 0);

	g_assert_cmpstr(a, ==, "a?b?c");
	g_assert_true(g_utf8_validate(b, -1, NULL));
	g_assert_cmpuint(g_utf8_strlen(c, -1), ==, 121);
	g_assert_true(g_str_has_suffix(c, "…"));
	g_assert_cmpstr(d, ==, "");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/x509/cred/format", test_detect_format);
	g_test_add_func("/x509/cred/format/truncated", test_detect_format_truncated);
	g_test_add_func("/x509/cred/pem/one-blob", test_pem_one_blob);
	g_test_add_func("/x509/cred/pem/separate-keys", test_pem_separate_keys);
	g_test_add_func("/x509/cred/pem/encrypted-key-in-blob", test_pem_encrypted_key_in_blob);
	g_test_add_func("/x509/cred/der", test_der);
	g_test_add_func("/x509/cred/pkcs12", test_pkcs12);
	g_test_add_func("/x509/cred/mismatch", test_mismatch);
	g_test_add_func("/x509/cred/validity", test_validity);
	g_test_add_func("/x509/cred/key-type", test_key_type);
	g_test_add_func("/x509/cred/garbage", test_garbage);
	g_test_add_func("/x509/cred/truncated", test_truncated);
	g_test_add_func("/x509/cred/cas", test_cas);
	g_test_add_func("/x509/cred/our-id", test_our_id);
	g_test_add_func("/x509/cred/read-file", test_read_file);
	g_test_add_func("/x509/cred/read-file/other-user", test_read_file_other_user);
	g_test_add_func("/x509/verify/chain/ok", test_chain_ok);
	g_test_add_func("/x509/verify/chain/order-and-anchor", test_chain_order_and_anchor);
	g_test_add_func("/x509/verify/chain/other-ca", test_chain_other_ca);
	g_test_add_func("/x509/verify/chain/missing-intermediate", test_chain_missing_intermediate);
	g_test_add_func("/x509/verify/chain/time", test_chain_time);
	g_test_add_func("/x509/verify/chain/bad-signature", test_chain_bad_signature);
	g_test_add_func("/x509/verify/chain/malformed", test_chain_malformed);
	g_test_add_func("/x509/verify/usage", test_usage);
	g_test_add_func("/x509/verify/id-payload", test_id_payload);
	g_test_add_func("/x509/verify/remote-id", test_remote_id);
	g_test_add_func("/x509/verify/display", test_display);
	return g_test_run();
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "x509-fixture.h"

#define D2023 G_GINT64_CONSTANT(1672531200)
#define D2025 G_GINT64_CONSTANT(1735689600)
#define D2026 G_GINT64_CONSTANT(1767225600)
#define D2027 G_GINT64_CONSTANT(1798761600)

static X509Fixture fixture;
static long serial = 1;

static void add_ext(X509 *cert, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION *ext;

	if (!value)
		return;
	ext = X509V3_EXT_nconf_nid(NULL, ctx, nid, value);
	g_assert_nonnull(ext);
	g_assert_true(X509_add_ext(cert, ext, -1));
	X509_EXTENSION_free(ext);
}

typedef struct {
	const char *o, *cn;
	EVP_PKEY *key;
	X509 *issuer;       /* NULL: self-signed */
	EVP_PKEY *issuer_key;
	gint64 from, to;
	bool ca;
	const char *san, *ku, *eku;
} CertSpec;

static X509 *make_cert(const CertSpec *s)
{
	X509 *cert = X509_new();
	X509_NAME *name = X509_NAME_new();
	X509V3_CTX ctx;

	g_assert_nonnull(cert);
	g_assert_true(X509_set_version(cert, 2));
	g_assert_true(ASN1_INTEGER_set(X509_get_serialNumber(cert), serial++));
	if (s->o)
		g_assert_true(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
							 (const unsigned char *)s->o, -1, -1, 0));
	if (s->cn)
		g_assert_true(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
							 (const unsigned char *)s->cn, -1, -1, 0));
	g_assert_true(X509_set_subject_name(cert, name));
	g_assert_true(X509_set_issuer_name(cert, s->issuer ? X509_get_subject_name(s->issuer) :
							     name));
	X509_NAME_free(name);
	g_assert_nonnull(ASN1_TIME_set(X509_getm_notBefore(cert), (time_t)s->from));
	g_assert_nonnull(ASN1_TIME_set(X509_getm_notAfter(cert), (time_t)s->to));
	g_assert_true(X509_set_pubkey(cert, s->key));

	X509V3_set_ctx(&ctx, s->issuer ? s->issuer : cert, cert, NULL, NULL, 0);
	add_ext(cert, &ctx, NID_basic_constraints, s->ca ? "critical,CA:TRUE" : "CA:FALSE");
	add_ext(cert, &ctx, NID_subject_key_identifier, "hash");
	if (s->issuer)
		add_ext(cert, &ctx, NID_authority_key_identifier, "keyid:always");
	add_ext(cert, &ctx, NID_key_usage, s->ca ? "critical,keyCertSign,cRLSign" : s->ku);
	add_ext(cert, &ctx, NID_ext_key_usage, s->eku);
	add_ext(cert, &ctx, NID_subject_alt_name, s->san);
	g_assert_cmpint(X509_sign(cert, s->issuer ? s->issuer_key : s->key, EVP_sha256()), >, 0);
	return cert;
}

#define GW_SAN "DNS:vpn.example.com,email:vpn@example.com,IP:192.0.2.1,IP:2001:db8::1"
#define DS "critical,digitalSignature"

static X509 *gw(EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key, gint64 from, gint64 to,
		const char *cn, const char *san, const char *ku, const char *eku)
{
	CertSpec s = { .o = "Example", .cn = cn, .key = key, .issuer = issuer,
		       .issuer_key = issuer_key, .from = from, .to = to, .san = san, .ku = ku,
		       .eku = eku };

	return make_cert(&s);
}

const X509Fixture *x509_fixture_get(void)
{
	X509Fixture *f = &fixture;
	const gint64 from = X509_FIXTURE_FROM, to = X509_FIXTURE_TO;

	if (f->root)
		return f;
	f->root_key = EVP_RSA_gen(2048);
	f->inter_key = EVP_RSA_gen(2048);
	f->other_key = EVP_RSA_gen(2048);
	f->leaf_key = EVP_RSA_gen(2048);
	f->ec256_key = EVP_EC_gen("P-256");
	f->ec384_key = EVP_EC_gen("P-384");
	f->ec521_key = EVP_EC_gen("P-521");
	f->ed25519_key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	f->brainpool_key = EVP_EC_gen("brainpoolP256r1");
	g_assert_true(f->root_key && f->inter_key && f->other_key && f->leaf_key &&
		      f->ec256_key && f->ec384_key && f->ec521_key && f->ed25519_key &&
		      f->brainpool_key);

	f->root = make_cert(&(CertSpec){ .o = "Example", .cn = "Example Root", .key = f->root_key,
					 .from = from, .to = to, .ca = true });
	f->inter = make_cert(&(CertSpec){ .o = "Example", .cn = "Example Intermediate",
					  .key = f->inter_key, .issuer = f->root,
					  .issuer_key = f->root_key, .from = from, .to = to,
					  .ca = true });
	f->other = make_cert(&(CertSpec){ .o = "Other", .cn = "Other Root", .key = f->other_key,
					  .from = from, .to = to, .ca = true });
	f->inter_expired = make_cert(&(CertSpec){ .o = "Example", .cn = "Old Intermediate",
						  .key = f->inter_key, .issuer = f->root,
						  .issuer_key = f->root_key, .from = D2023,
						  .to = D2025, .ca = true });

	f->leaf = gw(f->leaf_key, f->inter, f->inter_key, from, to, "vpn.example.com", GW_SAN, DS,
		     "serverAuth");
	f->leaf_ec256 = gw(f->ec256_key, f->inter, f->inter_key, from, to, "vpn.example.com",
			   GW_SAN, DS, "serverAuth");
	f->leaf_ec384 = gw(f->ec384_key, f->inter, f->inter_key, from, to, "vpn.example.com",
			   GW_SAN, DS, "serverAuth");
	f->leaf_ec521 = gw(f->ec521_key, f->inter, f->inter_key, from, to, "vpn.example.com",
			   GW_SAN, DS, "serverAuth");
	f->leaf_direct = gw(f->leaf_key, f->root, f->root_key, from, to, "vpn.example.com", GW_SAN,
			    DS, "serverAuth");
	f->expired = gw(f->leaf_key, f->inter, f->inter_key, D2023, D2025, "vpn.example.com",
			GW_SAN, DS, "serverAuth");
	f->not_yet = gw(f->leaf_key, f->inter, f->inter_key, D2026, D2027, "vpn.example.com",
			GW_SAN, DS, "serverAuth");
	f->foreign = gw(f->leaf_key, f->other, f->other_key, from, to, "vpn.example.com", GW_SAN,
			DS, "serverAuth");
	f->client_only = gw(f->leaf_key, f->inter, f->inter_key, from, to, "vpn.example.com",
			    GW_SAN, DS, "clientAuth");
	f->ipsec_ike = gw(f->leaf_key, f->inter, f->inter_key, from, to, "vpn.example.com", GW_SAN,
			  DS, "clientAuth,1.3.6.1.5.5.7.3.17");
	f->no_eku = gw(f->leaf_key, f->inter, f->inter_key, from, to, "vpn.example.com", GW_SAN,
		       NULL, NULL);
	f->no_ds = gw(f->leaf_key, f->inter, f->inter_key, from, to, "vpn.example.com", GW_SAN,
		      "critical,keyEncipherment", "serverAuth");
	f->cn_only = gw(f->leaf_key, f->inter, f->inter_key, from, to, "vpn.example.com", NULL, DS,
			"serverAuth");
	f->other_name = gw(f->leaf_key, f->inter, f->inter_key, from, to, "other.example.com",
			   "DNS:other.example.com", DS, "serverAuth");
	f->wildcard = gw(f->leaf_key, f->inter, f->inter_key, from, to, "*.example.com",
			 "DNS:*.example.com", DS, "serverAuth");
	f->ed25519 = gw(f->ed25519_key, f->inter, f->inter_key, from, to, "vpn.example.com",
			GW_SAN, DS, "serverAuth");
	f->leaf_old_inter = gw(f->leaf_key, f->inter_expired, f->inter_key, from, to,
			       "vpn.example.com", GW_SAN, DS, "serverAuth");

#define CLIENT_SAN "DNS:client.example.com,email:alice@example.com,IP:198.51.100.7"
	f->client = gw(f->leaf_key, f->inter, f->inter_key, from, to, "alice", CLIENT_SAN, DS,
		       "clientAuth");
	f->client_ec = gw(f->ec256_key, f->inter, f->inter_key, from, to, "alice", CLIENT_SAN, DS,
			  "clientAuth");
	f->client_expired = gw(f->leaf_key, f->inter, f->inter_key, D2023, D2025, "alice",
			       CLIENT_SAN, DS, "clientAuth");
	f->client_not_yet = gw(f->leaf_key, f->inter, f->inter_key, D2026, D2027, "alice",
			       CLIENT_SAN, DS, "clientAuth");
	f->client_bp = gw(f->brainpool_key, f->inter, f->inter_key, from, to, "alice", CLIENT_SAN,
			  DS, "clientAuth");
	f->client_ed = gw(f->ed25519_key, f->inter, f->inter_key, from, to, "alice", CLIENT_SAN,
			  DS, "clientAuth");
	f->client_bare = gw(f->leaf_key, f->inter, f->inter_key, from, to, "alice", NULL, DS,
			    "clientAuth");
	return f;
}

/* ---- exports ---- */

static GBytes *bio_bytes(BIO *bio)
{
	char *data;
	long n = BIO_get_mem_data(bio, &data);
	GBytes *bytes = g_bytes_new(data, (size_t)n);

	BIO_free(bio);
	return bytes;
}

GBytes *x509_fixture_pem(X509 *cert, ...)
{
	BIO *bio = BIO_new(BIO_s_mem());
	va_list args;

	va_start(args, cert);
	for (X509 *c = cert; c; c = va_arg(args, X509 *))
		g_assert_true(PEM_write_bio_X509(bio, c));
	va_end(args);
	return bio_bytes(bio);
}

GBytes *x509_fixture_der(X509 *cert)
{
	unsigned char *der = NULL;
	int n = i2d_X509(cert, &der);
	GBytes *bytes;

	g_assert_cmpint(n, >, 0);
	bytes = g_bytes_new(der, (size_t)n);
	OPENSSL_free(der);
	return bytes;
}

GBytes *x509_fixture_key_pem(EVP_PKEY *key, const char *password)
{
	BIO *bio = BIO_new(BIO_s_mem());

	g_assert_true(PEM_write_bio_PKCS8PrivateKey(bio, key, password ? EVP_aes_256_cbc() : NULL,
						    NULL, 0, NULL, (void *)password));
	return bio_bytes(bio);
}

GBytes *x509_fixture_key_pem_traditional(EVP_PKEY *key, const char *password)
{
	BIO *bio = BIO_new(BIO_s_mem());

	g_assert_true(PEM_write_bio_PrivateKey_traditional(
		bio, key, password ? EVP_aes_128_cbc() : NULL, (unsigned char *)password,
		password ? (int)strlen(password) : 0, NULL, NULL));
	return bio_bytes(bio);
}

GBytes *x509_fixture_key_der(EVP_PKEY *key, bool pkcs8, const char *password)
{
	BIO *bio = BIO_new(BIO_s_mem());

	if (pkcs8)
		g_assert_true(i2d_PKCS8PrivateKey_bio(bio, key,
						      password ? EVP_aes_256_cbc() : NULL, NULL, 0,
						      NULL, (void *)password));
	else
		g_assert_true(i2d_PrivateKey_bio(bio, key));
	return bio_bytes(bio);
}

GBytes *x509_fixture_p12(X509 *cert, EVP_PKEY *key, const char *password, ...)
{
	STACK_OF(X509) *chain = sk_X509_new_null();
	unsigned char *der = NULL;
	PKCS12 *p12;
	GBytes *bytes;
	va_list args;
	int n;

	va_start(args, password);
	for (X509 *c = va_arg(args, X509 *); c; c = va_arg(args, X509 *))
		g_assert_true(sk_X509_push(chain, c));
	va_end(args);
	p12 = PKCS12_create(password, "roadie test", key, cert, chain, 0, 0, 0, 0, 0);
	g_assert_nonnull(p12);
	n = i2d_PKCS12(p12, &der);
	g_assert_cmpint(n, >, 0);
	bytes = g_bytes_new(der, (size_t)n);
	OPENSSL_free(der);
	PKCS12_free(p12);
	sk_X509_free(chain);
	return bytes;
}

GBytes *x509_fixture_concat(GBytes *a, GBytes *b)
{
	gsize na, nb;
	const uint8_t *pa = g_bytes_get_data(a, &na), *pb = g_bytes_get_data(b, &nb);
	uint8_t *out = g_malloc(na + nb + 1);

	memcpy(out, pa, na);
	memcpy(out + na, pb, nb);
	return g_bytes_new_take(out, na + nb);
}

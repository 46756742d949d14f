/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Our certificate and key from their contents (x509-cred.h).
 *
 * Every blob is first classified by its bytes: "-----BEGIN " anywhere makes it PEM (RFC 7468
 * allows text around the objects); otherwise it must be exactly one DER object, a PKCS#12 PFX
 * (RFC 7292) or a certificate (or, for a key, a PKCS#8 or traditional key). OpenSSL's PEM
 * readers skip objects of other kinds, so one pass per kind finds certificates and the key in
 * any order. Each OpenSSL call gets a password callback of ours: without one a PEM header
 * saying "ENCRYPTED" would make OpenSSL prompt on the terminal.
 *
 * A PKCS#12 file is only opened after its MAC checks out with the password (RFC 7292 §4),
 * which is how "wrong password" is told apart from "broken file", and the MAC's iteration
 * count is capped first so a crafted file cannot keep us busy for minutes. A file without a
 * MAC is refused: nothing would then bound the key bags' iteration counts.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <grp.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>

#include "x509-cred.h"

/* Windows exports use 2000 rounds, OpenSSL 2048, Java 10,000; a million takes about a second. */
#define CRED_MAX_MAC_ITER 1000000

G_DEFINE_QUARK(roadie-x509-cred-error-quark, roadie_x509_cred_error)

/* ---- names and dates for messages ---- */

/* Names come from certificates a gateway sent: no control characters, valid UTF-8, short. */
char *roadie_x509_text_display(const void *data, size_t len)
{
	g_autofree char *valid = NULL, *copy = NULL;
	GString *out;
	const char *p;

	if (!data || len == 0 || len > G_MAXSSIZE)
		return g_strdup("");
	/* NUL is a control character like the others (g_utf8_make_valid would make it U+FFFD) */
	copy = g_memdup2(data, len);
	for (size_t i = 0; i < len; i++)
		if (copy[i] == '\0')
			copy[i] = '?';
	valid = g_utf8_make_valid(copy, (gssize)len);
	out = g_string_new(NULL);
	p = valid;

	for (size_t chars = 0; *p && chars < 120; p = g_utf8_next_char(p), chars++) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_iscntrl(c))
			g_string_append_c(out, '?');
		else
			g_string_append_unichar(out, c);
	}
	if (*p)
		g_string_append(out, "…");
	return g_string_free(out, FALSE);
}

char *roadie_x509_name_display(const X509_NAME *name)
{
	int i = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
	unsigned char *utf8 = NULL;
	char *text = NULL;
	BIO *bio;

	if (i >= 0) {
		const ASN1_STRING *cn = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
		int n = ASN1_STRING_to_UTF8(&utf8, cn);

		if (n > 0) {
			text = roadie_x509_text_display((const char *)utf8, (size_t)n);
			OPENSSL_free(utf8);
			return text;
		}
		OPENSSL_free(utf8);
	}
	bio = BIO_new(BIO_s_mem());
	if (bio && X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		char *data;
		long n = BIO_get_mem_data(bio, &data);

		if (n > 0)
			text = roadie_x509_text_display(data, (size_t)n);
	}
	BIO_free(bio);
	ERR_clear_error();
	return text ? text : g_strdup("an unnamed certificate");
}

char *roadie_x509_time_display(const ASN1_TIME *time)
{
	struct tm tm;

	if (!time || !ASN1_TIME_to_tm(time, &tm)) {
		ERR_clear_error();
		return g_strdup("an unreadable date");
	}
	return g_strdup_printf("%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* ---- checks ---- */

bool roadie_x509_check_time(X509 *cert, const char *label, gint64 now, GError **error)
{
	const ASN1_TIME *before = X509_get0_notBefore(cert), *after = X509_get0_notAfter(cert);
	int cmp_before = ASN1_TIME_cmp_time_t(before, (time_t)now);
	int cmp_after = ASN1_TIME_cmp_time_t(after, (time_t)now);

	ERR_clear_error();
	if (cmp_before == -2 || cmp_after == -2) {
		g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_NOT_A_CERT,
			    "%s has an unreadable validity period", label);
		return false;
	}
	if (cmp_before > 0) {
		g_autofree char *date = roadie_x509_time_display(before);

		g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_NOT_YET_VALID,
			    "%s is not valid until %s", label, date);
		return false;
	}
	if (cmp_after < 0) {
		g_autofree char *date = roadie_x509_time_display(after);

		g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_EXPIRED,
			    "%s expired on %s", label, date);
		return false;
	}
	return true;
}

/* "an RSA-PSS key", "a DSA key": key type names are spoken as letters. */
static const char *cred_article(const char *word)
{
	return strchr("AEFHILMNORSXaeiou", word[0]) ? "an" : "a";
}

bool roadie_x509_key_usable(EVP_PKEY *key, char **ret_why)
{
	const char *type;
	char group[64];
	size_t group_len = 0;
	int nid;

	if (!key) {
		if (ret_why)
			*ret_why = g_strdup("a key that cannot be read");
		return false;
	}
	type = EVP_PKEY_get0_type_name(key);
	if (!type)
		type = "unknown";
	/* EVP_PKEY_is_a(key, "RSA") is false for RSA-PSS keys, which cannot make the PKCS#1
	 * v1.5 signatures IKEv1 needs. */
	if (EVP_PKEY_is_a(key, "RSA")) {
		/* crypto-sig.h signs with up to 8192 bits; below 1024 a key is no protection */
		if (EVP_PKEY_get_bits(key) >= 1024 && EVP_PKEY_get_bits(key) <= 8192)
			return true;
		if (ret_why)
			*ret_why = g_strdup_printf("a %d-bit RSA key", EVP_PKEY_get_bits(key));
		return false;
	}
	if (EVP_PKEY_is_a(key, "EC")) {
		if (!EVP_PKEY_get_group_name(key, group, sizeof(group), &group_len))
			group_len = 0;
		ERR_clear_error();
		group[MIN(group_len, sizeof(group) - 1)] = '\0';
		nid = group_len ? OBJ_txt2nid(group) : NID_undef;
		if (nid == NID_X9_62_prime256v1 || nid == NID_secp384r1 || nid == NID_secp521r1)
			return true;
		if (ret_why)
			*ret_why = g_strdup_printf("an ECDSA key on %s",
						   group_len ? group : "an unnamed curve");
		return false;
	}
	if (ret_why)
		*ret_why = g_strdup_printf("%s %s key", cred_article(type), type);
	return false;
}

/* ---- parsing ---- */

typedef struct {
	const RoadieSecret *password;
	bool asked;
} CredPassword;

/* OpenSSL copies the password into its own buffer, which it cleanses after use. */
static int cred_password_cb(char *buf, int size, int rwflag, void *user_data)
{
	CredPassword *ctx = user_data;
	size_t len;

	(void)rwflag;
	ctx->asked = true;
	if (!ctx->password || size <= 0)
		return -1;
	len = roadie_secret_len(ctx->password);
	if (len > (size_t)size)
		return -1;
	memcpy(buf, roadie_secret_peek(ctx->password), len);
	return (int)len;
}

/* For objects that are never encrypted (certificates): refuses instead of prompting. */
static int cred_no_password_cb(char *buf, int size, int rwflag, void *user_data)
{
	(void)buf, (void)size, (void)rwflag, (void)user_data;
	return -1;
}

static bool cred_is_pem(const RoadieX509Blob *blob)
{
	return blob->len >= 11 && memmem(blob->data, blob->len, "-----BEGIN ", 11) != NULL;
}

static BIO *cred_bio(const RoadieX509Blob *blob)
{
	if (blob->len > INT_MAX)
		return NULL;
	return BIO_new_mem_buf(blob->data, (int)blob->len);
}

/* Every certificate of a PEM blob, in order; NULL when there is none. */
static STACK_OF(X509) *cred_pem_certs(const RoadieX509Blob *blob)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	BIO *bio = cred_bio(blob);
	X509 *cert;

	if (!certs || !bio)
		goto fail;
	while ((cert = PEM_read_bio_X509(bio, NULL, cred_no_password_cb, NULL))) {
		if (!sk_X509_push(certs, cert)) {
			X509_free(cert);
			goto fail;
		}
	}
	BIO_free(bio);
	ERR_clear_error();
	if (sk_X509_num(certs) == 0) {
		sk_X509_free(certs);
		return NULL;
	}
	return certs;
fail:
	BIO_free(bio);
	sk_X509_pop_free(certs, X509_free);
	ERR_clear_error();
	return NULL;
}

static X509 *cred_der_cert(const RoadieX509Blob *blob)
{
	const unsigned char *p = blob->data;
	X509 *cert;

	if (blob->len > LONG_MAX)
		return NULL;
	cert = d2i_X509(NULL, &p, (long)blob->len);
	if (cert && p != (const unsigned char *)blob->data + blob->len)
		g_clear_pointer(&cert, X509_free);
	ERR_clear_error();
	return cert;
}

static PKCS12 *cred_der_pkcs12(const RoadieX509Blob *blob)
{
	const unsigned char *p = blob->data;
	PKCS12 *p12;

	if (blob->len > LONG_MAX)
		return NULL;
	p12 = d2i_PKCS12(NULL, &p, (long)blob->len);
	if (p12 && p != (const unsigned char *)blob->data + blob->len)
		g_clear_pointer(&p12, PKCS12_free);
	ERR_clear_error();
	return p12;
}

static bool cred_password_error(const RoadieX509Blob *blob, const RoadieSecret *password,
				GError **error)
{
	if (password)
		g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_WRONG_PASSWORD,
			    "the password for %s is wrong", blob->label);
	else
		g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_PASSWORD_NEEDED,
			    "%s is protected by a password, and none was given", blob->label);
	return false;
}

/* Whether OpenSSL's last failure was an algorithm it does not offer (RC2-40 and friends live
 * in OpenSSL 3's legacy provider, which we do not load). */
static bool cred_unsupported_error(void)
{
	unsigned long e;

	while ((e = ERR_get_error()))
		if (ERR_GET_REASON(e) == ERR_R_UNSUPPORTED ||
		    (ERR_GET_LIB(e) == ERR_LIB_EVP && ERR_GET_REASON(e) == EVP_R_UNSUPPORTED_ALGORITHM))
			return true;
	return false;
}

/* Opens a PKCS#12 PFX: the certificate (first in *ret_certs, if any), the chain after it, and
 * the key if @want_key. */
static bool cred_open_pkcs12(PKCS12 *p12, const RoadieX509Blob *blob, const RoadieSecret *password,
			     bool want_key, STACK_OF(X509) **ret_certs, EVP_PKEY **ret_key,
			     GError **error)
{
	const ASN1_INTEGER *iter = NULL;
	const char *pass = password ? roadie_secret_peek(password) : NULL;
	int pass_len = password ? (int)MIN(roadie_secret_len(password), (size_t)INT_MAX) : 0;
	STACK_OF(X509) *ca = NULL, *certs;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	int64_t rounds = 0;

	if (!PKCS12_mac_present(p12)) {
		g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_UNSUPPORTED,
			    "%s has no integrity check (MAC); export it again with one", blob->label);
		return false;
	}
	PKCS12_get0_mac(NULL, NULL, NULL, &iter, p12);
	if (iter && (!ASN1_INTEGER_get_int64(&rounds, iter) || rounds > CRED_MAX_MAC_ITER)) {
		ERR_clear_error();
		g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_UNSUPPORTED,
			    "%s asks for more than %d rounds of password hashing; export it again "
			    "with fewer", blob->label, CRED_MAX_MAC_ITER);
		return false;
	}
	/* Without a password, Windows and OpenSSL write the MAC with an empty or absent one. */
	if (password ? !PKCS12_verify_mac(p12, pass, pass_len) :
		       !PKCS12_verify_mac(p12, NULL, 0) && !PKCS12_verify_mac(p12, "", 0)) {
		ERR_clear_error();
		return cred_password_error(blob, password, error);
	}
	if (!PKCS12_parse(p12, pass, want_key ? &key : NULL, &cert, &ca)) {
		bool unsupported = cred_unsupported_error();

		ERR_clear_error();
		if (unsupported)
			g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_UNSUPPORTED,
				    "%s is encrypted with an old cipher (such as RC2) that OpenSSL 3 "
				    "no longer offers; export it again with AES", blob->label);
		else
			g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_NOT_A_CERT,
				    "%s is not a certificate in PEM, DER or PKCS#12 form",
				    blob->label);
		return false;
	}
	ERR_clear_error();
	certs = sk_X509_new_null();
	if (!certs || (cert && !sk_X509_push(certs, cert))) {
		sk_X509_free(certs);
		X509_free(cert);
		sk_X509_pop_free(ca, X509_free);
		EVP_PKEY_free(key);
		g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_INTERNAL,
			    "out of memory reading %s", blob->label);
		return false;
	}
	while (ca && sk_X509_num(ca) > 0) {
		X509 *c = sk_X509_shift(ca);

		if (!sk_X509_push(certs, c))
			X509_free(c);
	}
	sk_X509_free(ca);
	*ret_certs = certs;
	*ret_key = key;
	return true;
}

/* A key from a PEM blob: NULL with no error when the blob holds none. */
static bool cred_pem_key(const RoadieX509Blob *blob, const RoadieSecret *password,
			 EVP_PKEY **ret_key, GError **error)
{
	CredPassword ctx = { .password = password };
	EVP_PKEY *key = NULL;
	BIO *bio = cred_bio(blob);

	if (bio)
		key = PEM_read_bio_PrivateKey(bio, NULL, cred_password_cb, &ctx);
	BIO_free(bio);
	ERR_clear_error();
	if (key) {
		*ret_key = key;
		return true;
	}
	if (ctx.asked)
		return cred_password_error(blob, password, error);
	if (memmem(blob->data, blob->len, "PRIVATE KEY-----", 16)) {
		g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_NOT_A_KEY,
			    "%s holds a private key that cannot be read", blob->label);
		return false;
	}
	*ret_key = NULL;
	return true;
}

/* Whether @blob is one encrypted PKCS#8 key (EncryptedPrivateKeyInfo, RFC 5208 §6), told by
 * its structure alone: no password asked, no key derived. */
static bool cred_der_is_encrypted_key(const RoadieX509Blob *blob)
{
	const unsigned char *p = blob->data;
	X509_SIG *p8;
	bool whole;

	if (blob->len > LONG_MAX)
		return false;
	p8 = d2i_X509_SIG(NULL, &p, (long)blob->len);
	whole = p8 && p == (const unsigned char *)blob->data + blob->len;
	X509_SIG_free(p8);
	ERR_clear_error();
	return whole;
}

/* Whether @blob is one SEQUENCE that ends where @blob ends (X.690 §8.1, §8.9): the cheap test
 * before OpenSSL 3's key decoders, which cost about a millisecond a try. An indefinite length
 * (BER) is left to them. */
static bool cred_der_one_sequence(const RoadieX509Blob *blob)
{
	const unsigned char *p = blob->data;
	long body;
	int tag, class, ret;

	if (blob->len > LONG_MAX)
		return false;
	ret = ASN1_get_object(&p, &body, &tag, &class, (long)blob->len);
	ERR_clear_error();
	/* 0x80: malformed, or longer than @blob */
	if ((ret & 0x80) || !(ret & V_ASN1_CONSTRUCTED) || tag != V_ASN1_SEQUENCE ||
	    class != V_ASN1_UNIVERSAL)
		return false;
	return (ret & 0x01) || body == (const unsigned char *)blob->data + blob->len - p;
}

/* A key in the clear as one DER object: PKCS#8 or the traditional RSA/EC forms (each a
 * SEQUENCE). NULL when @blob is none of them. */
static EVP_PKEY *cred_der_plain_key(const RoadieX509Blob *blob)
{
	const unsigned char *p = blob->data;
	EVP_PKEY *key;

	if (!cred_der_one_sequence(blob))
		return NULL;
	key = d2i_AutoPrivateKey(NULL, &p, (long)blob->len);
	if (key && p != (const unsigned char *)blob->data + blob->len)
		g_clear_pointer(&key, EVP_PKEY_free);
	ERR_clear_error();
	return key;
}

/* A key as one DER object: encrypted PKCS#8 (opened with @password through our callback) or
 * a key in the clear. NULL with no error when it is none of them. */
static bool cred_der_key(const RoadieX509Blob *blob, const RoadieSecret *password,
			 EVP_PKEY **ret_key, GError **error)
{
	CredPassword ctx = { .password = password };
	EVP_PKEY *key = NULL;
	BIO *bio;

	if (!cred_der_is_encrypted_key(blob)) {
		*ret_key = cred_der_plain_key(blob);
		return true;
	}
	bio = cred_bio(blob);
	if (bio)
		key = d2i_PKCS8PrivateKey_bio(bio, NULL, cred_password_cb, &ctx);
	BIO_free(bio);
	ERR_clear_error();
	if (!key && ctx.asked)
		return cred_password_error(blob, password, error);
	*ret_key = key;
	return true;
}

/*
 * Reads whatever @blob holds: its certificates (*ret_certs, NULL if none; for PKCS#12 ours
 * first) and, if @want_key, its key (*ret_key, NULL if none); a bare DER key only if
 * @key_blob. Fails only on a password
 * problem, an unreadable key or an unsupported PKCS#12.
 */
static bool cred_parse(const RoadieX509Blob *blob, const RoadieSecret *password, bool want_key,
		       bool key_blob, STACK_OF(X509) **ret_certs, EVP_PKEY **ret_key, RoadieX509Format *ret_format,
		       GError **error)
{
	STACK_OF(X509) *certs = NULL;
	EVP_PKEY *key = NULL;
	PKCS12 *p12;
	X509 *cert;

	if (cred_is_pem(blob)) {
		if (want_key && !cred_pem_key(blob, password, &key, error))
			return false;
		*ret_certs = cred_pem_certs(blob);
		*ret_key = key;
		*ret_format = ROADIE_X509_FORMAT_PEM;
		return true;
	}
	p12 = cred_der_pkcs12(blob);
	if (p12) {
		bool ok = cred_open_pkcs12(p12, blob, password, want_key, &certs, &key, error);

		PKCS12_free(p12);
		if (!ok)
			return false;
		if (sk_X509_num(certs) == 0) {
			sk_X509_free(certs);
			certs = NULL;
		}
		*ret_certs = certs;
		*ret_key = key;
		*ret_format = ROADIE_X509_FORMAT_PKCS12;
		return true;
	}
	*ret_format = ROADIE_X509_FORMAT_DER;
	cert = cred_der_cert(blob);
	if (cert) {
		certs = sk_X509_new_null();
		if (!certs || !sk_X509_push(certs, cert)) {
			X509_free(cert);
			sk_X509_free(certs);
			certs = NULL;
		}
		*ret_certs = certs;
		*ret_key = NULL;
		return true;
	}
	*ret_certs = NULL;
	/* A DER blob that is not a certificate can only be a key where a key file is expected:
	 * trying OpenSSL's key decoders on a broken certificate file would only cost time. */
	if (want_key && key_blob)
		return cred_der_key(blob, password, ret_key, error);
	*ret_key = NULL;
	return true;
}

/* ---- formats ---- */

bool roadie_x509_detect_format(const RoadieX509Blob *blob, bool want_key,
			       RoadieX509Format *ret_format)
{
	RoadieX509Format format;
	PKCS12 *p12;
	X509 *cert;
	EVP_PKEY *key;

	if (!blob || !blob->data || blob->len == 0)
		return false;
	if (cred_is_pem(blob)) {
		format = ROADIE_X509_FORMAT_PEM;
	} else if ((p12 = cred_der_pkcs12(blob))) {
		PKCS12_free(p12);
		format = ROADIE_X509_FORMAT_PKCS12;
	} else if (want_key) {
		/* an encrypted key by its structure: its password is not ours to ask for here */
		if (!cred_der_is_encrypted_key(blob)) {
			key = cred_der_plain_key(blob);
			if (!key)
				return false;
			EVP_PKEY_free(key);
		}
		format = ROADIE_X509_FORMAT_DER;
	} else {
		cert = cred_der_cert(blob);
		if (!cert)
			return false;
		X509_free(cert);
		format = ROADIE_X509_FORMAT_DER;
	}
	*ret_format = format;
	return true;
}

/* ---- loading ---- */

RoadieX509Cred *roadie_x509_cred_free(RoadieX509Cred *cred)
{
	if (!cred)
		return NULL;
	X509_free(cred->cert);
	EVP_PKEY_free(cred->key);
	sk_X509_pop_free(cred->extra, X509_free);
	g_free(cred);
	return NULL;
}

RoadieX509Cred *roadie_x509_cred_load(const RoadieX509Blob *cert, const RoadieX509Blob *key,
				      const RoadieSecret *password, gint64 now, GError **error)
{
	g_autoptr(RoadieX509Cred) cred = g_new0(RoadieX509Cred, 1);
	STACK_OF(X509) *certs = NULL;
	RoadieX509Format key_format;
	EVP_PKEY *pkey = NULL, *other_key = NULL;
	STACK_OF(X509) *other_certs = NULL;
	g_autofree char *why = NULL;
	int mine = -1;

	if (!cred_parse(cert, password, !key, false, &certs, &pkey, &cred->format, error))
		return NULL;
	cred->key = pkey;
	if (!certs) {
		g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_NOT_A_CERT,
			    cred->format == ROADIE_X509_FORMAT_PKCS12 ?
				    "%s holds no certificate" :
				    "%s is not a certificate in PEM, DER or PKCS#12 form",
			    cert->label);
		return NULL;
	}
	cred->extra = certs;

	if (key) {
		if (!cred_parse(key, password, true, true, &other_certs, &other_key, &key_format, error))
			return NULL;
		sk_X509_pop_free(other_certs, X509_free);
		if (!other_key) {
			g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_NOT_A_KEY,
				    "%s is not a private key in PEM, DER or PKCS#12 form", key->label);
			return NULL;
		}
		cred->key = other_key;
	}
	if (!cred->key) {
		g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_NO_KEY,
			    "%s holds no private key; choose the key file as well", cert->label);
		return NULL;
	}
	if (!roadie_x509_key_usable(cred->key, &why)) {
		g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_KEY_TYPE,
			    "%s has %s; IKEv1 signatures need an RSA key or an ECDSA key on P-256, "
			    "P-384 or P-521", key ? key->label : cert->label, why);
		return NULL;
	}

	/* Ours is the certificate the key belongs to; in PEM bundles it need not come first. */
	for (int i = 0; i < sk_X509_num(certs) && mine < 0; i++)
		if (EVP_PKEY_eq(X509_get0_pubkey(sk_X509_value(certs, i)), cred->key) == 1)
			mine = i;
	ERR_clear_error();
	if (mine < 0) {
		if (key)
			g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_KEY_MISMATCH,
				    "the private key in %s does not belong to the certificate in %s",
				    key->label, cert->label);
		else
			g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_KEY_MISMATCH,
				    "the private key in %s does not belong to its certificate",
				    cert->label);
		return NULL;
	}
	cred->cert = sk_X509_delete(certs, mine);
	if (!roadie_x509_check_time(cred->cert, cert->label, now, error))
		return NULL;
	return g_steal_pointer(&cred);
}

STACK_OF(X509) *roadie_x509_load_cas(const RoadieX509Blob *blob, GError **error)
{
	STACK_OF(X509) *cas = NULL;
	X509 *cert;

	if (cred_is_pem(blob)) {
		cas = cred_pem_certs(blob);
	} else if ((cert = cred_der_cert(blob))) {
		cas = sk_X509_new_null();
		if (!cas || !sk_X509_push(cas, cert)) {
			X509_free(cert);
			sk_X509_free(cas);
			cas = NULL;
		}
	}
	if (!cas)
		g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_NOT_A_CERT,
			    "%s is not a certificate in PEM or DER form", blob->label);
	return cas;
}

/* ---- identities ---- */

static const char *cred_id_name(RoadieX509IdType type)
{
	switch (type) {
	case ROADIE_X509_ID_IPV4_ADDR: return "an IPv4 address";
	case ROADIE_X509_ID_FQDN: return "a DNS name";
	case ROADIE_X509_ID_USER_FQDN: return "an e-mail address";
	case ROADIE_X509_ID_IPV6_ADDR: return "an IPv6 address";
	case ROADIE_X509_ID_DER_ASN1_DN: return "a subject";
	}
	return "such an identity";
}

GBytes *roadie_x509_cert_der(X509 *cert)
{
	unsigned char *der = NULL;
	int len = i2d_X509(cert, &der);
	GBytes *bytes;

	if (len <= 0) {
		ERR_clear_error();
		return NULL;
	}
	bytes = g_bytes_new(der, (size_t)len);
	OPENSSL_free(der);
	return bytes;
}

GBytes *roadie_x509_cert_id(X509 *cert, RoadieX509IdType type, const char *label, GError **error)
{
	GENERAL_NAMES *names = NULL;
	GBytes *id = NULL;
	int want = -1;
	size_t want_len = 0;

	switch (type) {
	case ROADIE_X509_ID_DER_ASN1_DN: {
		unsigned char *der = NULL;
		int len = i2d_X509_NAME(X509_get_subject_name(cert), &der);

		/* An empty subject (all in the subjectAltName, RFC 5280 §4.1.2.6) is no ID. */
		if (len > 2)
			id = g_bytes_new(der, (size_t)len);
		OPENSSL_free(der);
		break;
	}
	case ROADIE_X509_ID_FQDN:
		want = GEN_DNS;
		break;
	case ROADIE_X509_ID_USER_FQDN:
		want = GEN_EMAIL;
		break;
	case ROADIE_X509_ID_IPV4_ADDR:
		want = GEN_IPADD;
		want_len = 4;
		break;
	case ROADIE_X509_ID_IPV6_ADDR:
		want = GEN_IPADD;
		want_len = 16;
		break;
	}
	if (want >= 0)
		names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	for (int i = 0; names && !id && i < sk_GENERAL_NAME_num(names); i++) {
		const GENERAL_NAME *name = sk_GENERAL_NAME_value(names, i);
		const ASN1_STRING *s;
		size_t len;

		if (name->type != want)
			continue;
		s = want == GEN_DNS ? name->d.dNSName :
		    want == GEN_EMAIL ? name->d.rfc822Name : name->d.iPAddress;
		len = (size_t)ASN1_STRING_length(s);
		if (len == 0 || (want_len && len != want_len) ||
		    (!want_len && memchr(ASN1_STRING_get0_data(s), '\0', len)))
			continue;
		id = g_bytes_new(ASN1_STRING_get0_data(s), len);
	}
	GENERAL_NAMES_free(names);
	ERR_clear_error();
	if (!id)
		g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_NO_ID,
			    type == ROADIE_X509_ID_DER_ASN1_DN ?
				    "%s has an empty subject, so it cannot identify us by %s" :
				    "%s has no subjectAltName with %s, so it cannot identify us by one",
			    label, cred_id_name(type));
	return id;
}

/* ---- the file helper for front ends ---- */

typedef struct {
	size_t len;
	uint8_t data[];
} CredFileData;

static void cred_file_data_free(gpointer p)
{
	CredFileData *d = p;

	roadie_wipe(d->data, d->len);
	g_free(d);
}

/* Why @path is closed to us, in words ("it belongs to alice and only alice may read it"). */
static char *cred_access_reason(const char *path)
{
	struct stat st;
	struct passwd pw, *pwp = NULL;
	struct group gr, *grp = NULL;
	char buf[4096];
	g_autofree char *owner = NULL, *group = NULL;

	if (stat(path, &st) < 0)
		return g_strdup(errno == EACCES ? "a folder on its path is closed to you" :
						  "it cannot be looked at");
	if (getpwuid_r(st.st_uid, &pw, buf, sizeof(buf), &pwp) == 0 && pwp)
		owner = g_strdup(pwp->pw_name);
	else
		owner = g_strdup_printf("user %u", (unsigned)st.st_uid);
	if (getgrgid_r(st.st_gid, &gr, buf, sizeof(buf), &grp) == 0 && grp)
		group = g_strdup(grp->gr_name);
	else
		group = g_strdup_printf("%u", (unsigned)st.st_gid);

	if (!(st.st_mode & (S_IRUSR | S_IRGRP | S_IROTH)))
		return g_strdup_printf("it belongs to %s and nobody may read it (mode %04o)", owner,
				       (unsigned)(st.st_mode & 07777));
	if ((st.st_mode & S_IRGRP) && !(st.st_mode & S_IROTH))
		return g_strdup_printf("it belongs to %s and only %s and the members of group '%s' "
				       "may read it; run this as %s or as a member of '%s'",
				       owner, owner, group, owner, group);
	if (!(st.st_mode & S_IROTH))
		return g_strdup_printf("it belongs to %s and only %s may read it; run this as %s",
				       owner, owner, owner);
	return g_strdup("a folder on its path, or a security policy, keeps you out");
}

GBytes *roadie_x509_read_file(const char *path, GError **error)
{
	CredFileData *d = NULL;
	struct stat st;
	size_t done = 0;
	int fd, saved;

	/* O_NONBLOCK: a FIFO must not hang us; fstat() turns it down. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		g_autofree char *reason = NULL;

		saved = errno;
		if (saved == EACCES || saved == EPERM) {
			g_autofree char *why = cred_access_reason(path);

			reason = g_strdup_printf("permission denied (%s)", why);
		} else if (saved == ENOENT) {
			reason = g_strdup("there is no such file");
		} else if (saved == ENOTDIR) {
			reason = g_strdup("a part of its path is not a folder");
		} else {
			reason = g_ascii_strdown(g_strerror(saved), -1);
		}
		g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_FILE, "cannot read %s: %s",
			    path, reason);
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		saved = errno;
		g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_FILE,
			    "cannot read %s: %s", path, g_strerror(saved));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_FILE,
			    "cannot read %s: it is %s", path,
			    S_ISDIR(st.st_mode) ? "a folder, not a file" : "not a regular file");
		close(fd);
		return NULL;
	}
	if (st.st_size > ROADIE_X509_MAX_FILE) {
		g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_FILE,
			    "%s is larger than 1 MiB, so it is not a certificate or key", path);
		close(fd);
		return NULL;
	}
	d = g_malloc0(sizeof(*d) + (size_t)st.st_size + 1);
	d->len = (size_t)st.st_size;
	while (done < d->len) {
		ssize_t n = read(fd, d->data + done, d->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			g_set_error(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_FILE,
				    "cannot read %s: %s", path, g_strerror(saved));
			close(fd);
			cred_file_data_free(d);
			return NULL;
		}
		if (n == 0)
			break; /* shrank while we read: take what is there */
		done += (size_t)n;
	}
	close(fd);
	return g_bytes_new_with_free_func(d->data, done, cred_file_data_free, d);
}

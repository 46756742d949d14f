/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKEv1 RSA and ECDSA signatures over raw HASH_I/HASH_R (crypto-sig.h).
 *
 * OpenSSL's EVP_PKEY_sign() with no signature digest set signs its input as given: for RSA
 * with RSA_PKCS1_PADDING that is the type-1 block 00 01 FF..FF 00 | HASH (no DigestInfo),
 * for ECDSA the input is taken as the digest. OpenSSL writes and reads ECDSA signatures as
 * DER (Ecdsa-Sig-Value, RFC 3279 §2.2.3); IKE carries r | s of fixed width, so both
 * directions convert through an ECDSA_SIG.
 */
#include <stdbool.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>

#include "crypto-sig.h"

enum sig_kind {
	SIG_NONE,
	SIG_RSA,
	SIG_ECDSA,
};

const char *crypto_sig_result_name(enum crypto_sig_result result)
{
	switch (result) {
	case CRYPTO_SIG_OK: return "ok";
	case CRYPTO_SIG_UNSUPPORTED_KEY: return "unsupported-key";
	case CRYPTO_SIG_BAD_HASH: return "bad-hash";
	case CRYPTO_SIG_NO_SPACE: return "no-space";
	case CRYPTO_SIG_BAD_LENGTH: return "bad-length";
	case CRYPTO_SIG_MISMATCH: return "mismatch";
	case CRYPTO_SIG_INTERNAL: return "internal";
	}
	return "unknown";
}

/* The kind of @key and, for ECDSA, the length of r and of s. */
static enum sig_kind sig_classify(EVP_PKEY *key, size_t *ret_field_len)
{
	char group[64];
	size_t group_len = 0;
	int nid, bits;

	if (!key)
		return SIG_NONE;
	bits = EVP_PKEY_get_bits(key);
	/* "RSA" excludes RSA-PSS keys, which may not make PKCS#1 v1.5 signatures. */
	if (EVP_PKEY_is_a(key, "RSA"))
		return bits >= 1024 && bits <= 8192 ? SIG_RSA : SIG_NONE;
	if (!EVP_PKEY_is_a(key, "EC"))
		return SIG_NONE;
	if (!EVP_PKEY_get_group_name(key, group, sizeof(group), &group_len) ||
	    group_len >= sizeof(group)) {
		ERR_clear_error();
		return SIG_NONE;
	}
	group[group_len] = '\0';
	nid = OBJ_txt2nid(group);
	if (nid != NID_X9_62_prime256v1 && nid != NID_secp384r1 && nid != NID_secp521r1)
		return SIG_NONE;
	*ret_field_len = ((size_t)bits + 7) / 8;
	return SIG_ECDSA;
}

size_t crypto_sig_len(EVP_PKEY *key)
{
	size_t field = 0;

	switch (sig_classify(key, &field)) {
	case SIG_NONE:
		return 0;
	case SIG_RSA:
		return (size_t)EVP_PKEY_get_size(key);
	case SIG_ECDSA:
		return 2 * field;
	}
	return 0;
}

static EVP_PKEY_CTX *sig_ctx(EVP_PKEY *key, enum sig_kind kind, bool sign)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);

	if (!ctx)
		return NULL;
	if ((sign ? EVP_PKEY_sign_init(ctx) : EVP_PKEY_verify_init(ctx)) <= 0 ||
	    (kind == SIG_RSA && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) <= 0)) {
		EVP_PKEY_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* OpenSSL's DER ECDSA signature as IKE's r | s, each @field bytes. */
static bool sig_der_to_raw(const uint8_t *der, size_t der_len, size_t field, uint8_t *out)
{
	const unsigned char *p = der;
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	const BIGNUM *r, *s;
	bool ok;

	if (!sig)
		return false;
	ECDSA_SIG_get0(sig, &r, &s);
	ok = BN_bn2binpad(r, out, (int)field) == (int)field &&
	     BN_bn2binpad(s, out + field, (int)field) == (int)field;
	ECDSA_SIG_free(sig);
	return ok;
}

enum crypto_sig_result crypto_sig_sign(EVP_PKEY *key, const uint8_t *hash, size_t hash_len,
				       uint8_t *out, size_t out_cap, size_t *ret_len)
{
	size_t field = 0, len, der_len;
	enum sig_kind kind = sig_classify(key, &field);
	enum crypto_sig_result result = CRYPTO_SIG_INTERNAL;
	uint8_t der[CRYPTO_SIG_MAX_LEN];
	EVP_PKEY_CTX *ctx;

	if (kind == SIG_NONE)
		return CRYPTO_SIG_UNSUPPORTED_KEY;
	len = crypto_sig_len(key);
	/* RFC 8017 §9.2 step 3: at least 8 bytes of FF padding, so at most k - 11 of data. */
	if (hash_len == 0 || (kind == SIG_RSA && hash_len + 11 > len))
		return CRYPTO_SIG_BAD_HASH;
	if (out_cap < len)
		return CRYPTO_SIG_NO_SPACE;
	ctx = sig_ctx(key, kind, true);
	if (!ctx)
		goto out;
	if (kind == SIG_RSA) {
		size_t n = out_cap;

		if (EVP_PKEY_sign(ctx, out, &n, hash, hash_len) == 1 && n == len)
			result = CRYPTO_SIG_OK;
	} else {
		der_len = sizeof(der);
		if (EVP_PKEY_sign(ctx, der, &der_len, hash, hash_len) == 1 &&
		    sig_der_to_raw(der, der_len, field, out))
			result = CRYPTO_SIG_OK;
	}
	if (result == CRYPTO_SIG_OK)
		*ret_len = len;
out:
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return result;
}

/* IKE's r | s as OpenSSL's DER; *ret_der is OPENSSL_free()d by the caller. */
static int sig_raw_to_der(const uint8_t *raw, size_t field, unsigned char **ret_der)
{
	BIGNUM *r = BN_bin2bn(raw, (int)field, NULL), *s = BN_bin2bn(raw + field, (int)field, NULL);
	ECDSA_SIG *sig = ECDSA_SIG_new();
	int len = -1;

	if (r && s && sig && ECDSA_SIG_set0(sig, r, s) == 1) {
		r = s = NULL; /* the ECDSA_SIG owns them now */
		len = i2d_ECDSA_SIG(sig, ret_der);
	}
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(sig);
	return len;
}

enum crypto_sig_result crypto_sig_verify(EVP_PKEY *key, const uint8_t *hash, size_t hash_len,
					 const uint8_t *sig, size_t sig_len)
{
	size_t field = 0;
	enum sig_kind kind = sig_classify(key, &field);
	enum crypto_sig_result result = CRYPTO_SIG_INTERNAL;
	unsigned char *der = NULL;
	EVP_PKEY_CTX *ctx;
	int der_len, ok;

	if (kind == SIG_NONE)
		return CRYPTO_SIG_UNSUPPORTED_KEY;
	if (hash_len == 0)
		return CRYPTO_SIG_BAD_HASH;
	/* RFC 8017 §8.2.2 step 1 for RSA; RFC 4754 §7's fixed width for ECDSA. */
	if (!sig || sig_len != crypto_sig_len(key))
		return CRYPTO_SIG_BAD_LENGTH;
	ctx = sig_ctx(key, kind, false);
	if (!ctx)
		goto out;
	if (kind == SIG_RSA) {
		ok = EVP_PKEY_verify(ctx, sig, sig_len, hash, hash_len);
	} else {
		der_len = sig_raw_to_der(sig, field, &der);
		if (der_len <= 0)
			goto out;
		ok = EVP_PKEY_verify(ctx, der, (size_t)der_len, hash, hash_len);
	}
	/* 0 is "does not verify"; negative values are OpenSSL refusing the input (r or s out
	 * of range, a hash too long for the key), which is the same thing from the outside. */
	result = ok == 1 ? CRYPTO_SIG_OK : CRYPTO_SIG_MISMATCH;
out:
	OPENSSL_free(der);
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return result;
}

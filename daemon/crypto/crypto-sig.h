/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKEv1 signature authentication's primitives (RFC 2409 §5.1): HASH_I and HASH_R are
 * computed as for pre-shared keys, keyed with SKEYID = prf(Ni_b | Nr_b, g^xy) (RFC 2409 §5;
 * ike-keymat's business), and then signed AS THEY ARE, without a digest of their own:
 *
 *  - RSA: a PKCS#1 v1.5 signature (block type 1, RFC 8017 §8.2 and §9.2 steps 3-5, RFC 2313
 *    §8.1) over the raw HASH bytes, with no DigestInfo around them. strongSwan calls this
 *    SIGN_RSA_EMSA_PKCS1_NULL and uses it for IKEv1 RSA in pubkey_v1_authenticator.c;
 *    Windows and libreswan sign the same way.
 *  - ECDSA (the RFC 4754 encoding, which IKEv1 gateways reuse): the HASH bytes are ECDSA's
 *    "digest" as they are, and the signature is r | s, each big-endian and left-padded to
 *    the curve's length (32, 48 or 66 bytes for P-256, P-384, P-521): strongSwan's
 *    SIGN_ECDSA_WITH_NULL in its IKEv1 authenticator.
 *
 * Signing uses our EVP_PKEY, verifying the public key of the gateway's certificate
 * (X509_get0_pubkey of the leaf x509-verify.h returns). RSA signing is deterministic; ECDSA's
 * per-signature secret comes from OpenSSL's DRBG (OpenSSL 3.0 has no RFC 6979 mode), the
 * one place this module draws randomness.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>

/* An RSA key of 8192 bits makes 1024 bytes; ECDSA on P-521 makes 132. */
#define CRYPTO_SIG_MAX_LEN 1024

enum crypto_sig_result {
	CRYPTO_SIG_OK,
	CRYPTO_SIG_UNSUPPORTED_KEY, /* not RSA (1024-8192 bits) or ECDSA P-256/P-384/P-521 */
	CRYPTO_SIG_BAD_HASH,        /* empty, or longer than an RSA key can sign (k - 11 bytes) */
	CRYPTO_SIG_NO_SPACE,        /* the output buffer is smaller than crypto_sig_len() */
	CRYPTO_SIG_BAD_LENGTH,      /* the signature is not exactly crypto_sig_len() bytes */
	CRYPTO_SIG_MISMATCH,        /* well-formed, but it does not verify */
	CRYPTO_SIG_INTERNAL,        /* OpenSSL failed (memory) */
};

/* "ok", "unsupported-key", ... for logs and drop counters. */
const char *crypto_sig_result_name(enum crypto_sig_result result);

/* The length of the signatures @key makes or verifies (RFC 8017 §8.2.2 step 1: exactly the
 * modulus length for RSA; twice the field length for ECDSA); 0 if unsupported. */
size_t crypto_sig_len(EVP_PKEY *key);

/* Signs @hash (HASH_I or HASH_R) with our private @key into @out; *ret_len gets the length
 * (always crypto_sig_len(key)). */
enum crypto_sig_result crypto_sig_sign(EVP_PKEY *key, const uint8_t *hash, size_t hash_len,
				       uint8_t *out, size_t out_cap, size_t *ret_len);

/* Verifies the gateway's SIG payload data @sig over @hash with its public @key. Any length
 * or content is safe to pass. */
enum crypto_sig_result crypto_sig_verify(EVP_PKEY *key, const uint8_t *hash, size_t hash_len,
					 const uint8_t *sig, size_t sig_len);

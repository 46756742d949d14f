/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HMAC as IKEv1's pseudo-random function and as ESP's integrity check (OpenSSL's EVP_MAC).
 * IKEv1 negotiates a hash and uses its HMAC as the PRF (RFC 2409 §5); ESP's ICVs are the
 * same HMACs truncated (RFC 2404, RFC 4868).
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "proposal.h"

#define CRYPTO_PRF_MAX_LEN 64 /* SHA-512 */

typedef struct crypto_prf crypto_prf;

/* Output length of the hash behind @integ (16, 20, 32, 48, 64), 0 for NONE. */
size_t crypto_prf_len(RoadieInteg integ);

/* A keyed HMAC context; NULL if @integ is NONE or OpenSSL fails. */
crypto_prf *crypto_prf_new(RoadieInteg integ, const uint8_t *key, size_t key_len);
crypto_prf *crypto_prf_free(crypto_prf *prf);
/* Starts a new MAC with the same key. */
int crypto_prf_reset(crypto_prf *prf);
int crypto_prf_update(crypto_prf *prf, const void *data, size_t len);
/* Writes crypto_prf_len() bytes to @out. */
int crypto_prf_final(crypto_prf *prf, uint8_t *out);

/* One shot: out = HMAC(key, data1 | data2 | ... ), the pieces as (ptr, len) pairs ending in NULL. */
int crypto_prf_oneshot(RoadieInteg integ, const uint8_t *key, size_t key_len, uint8_t *out, ...)
	__attribute__((sentinel));
int crypto_prf_oneshotv(RoadieInteg integ, const uint8_t *key, size_t key_len, uint8_t *out,
			va_list pieces);

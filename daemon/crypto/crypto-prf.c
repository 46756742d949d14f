/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <glib.h>

#include "crypto-prf.h"

struct crypto_prf {
	EVP_MAC_CTX *ctx;
	size_t len;
};

static const char *crypto_prf_digest(RoadieInteg integ)
{
	switch (integ) {
	case ROADIE_INTEG_NONE:
		return NULL;
	case ROADIE_INTEG_MD5:
		return "MD5";
	case ROADIE_INTEG_SHA1:
		return "SHA1";
	case ROADIE_INTEG_SHA2_256:
		return "SHA256";
	case ROADIE_INTEG_SHA2_384:
		return "SHA384";
	case ROADIE_INTEG_SHA2_512:
		return "SHA512";
	}
	return NULL;
}

size_t crypto_prf_len(RoadieInteg integ)
{
	switch (integ) {
	case ROADIE_INTEG_NONE:
		return 0;
	case ROADIE_INTEG_MD5:
		return 16;
	case ROADIE_INTEG_SHA1:
		return 20;
	case ROADIE_INTEG_SHA2_256:
		return 32;
	case ROADIE_INTEG_SHA2_384:
		return 48;
	case ROADIE_INTEG_SHA2_512:
		return 64;
	}
	return 0;
}

crypto_prf *crypto_prf_new(RoadieInteg integ, const uint8_t *key, size_t key_len)
{
	const char *digest = crypto_prf_digest(integ);
	OSSL_PARAM params[2];
	EVP_MAC *mac;
	crypto_prf *prf;

	if (!digest)
		return NULL;
	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!mac)
		return NULL;
	prf = g_new0(crypto_prf, 1);
	prf->ctx = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(mac);
	prf->len = crypto_prf_len(integ);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	/* HMAC with an empty key is legal (RFC 2104); OpenSSL wants a non-NULL pointer. */
	if (!prf->ctx || !EVP_MAC_init(prf->ctx, key_len ? key : (const uint8_t *)"", key_len, params))
		return crypto_prf_free(prf);
	return prf;
}

crypto_prf *crypto_prf_free(crypto_prf *prf)
{
	if (!prf)
		return NULL;
	EVP_MAC_CTX_free(prf->ctx); /* OpenSSL cleanses the key schedule */
	g_free(prf);
	return NULL;
}

int crypto_prf_reset(crypto_prf *prf)
{
	/* Re-initialising with a NULL key keeps the key already set. */
	return EVP_MAC_init(prf->ctx, NULL, 0, NULL) ? 0 : -EIO;
}

int crypto_prf_update(crypto_prf *prf, const void *data, size_t len)
{
	if (len == 0)
		return 0;
	return EVP_MAC_update(prf->ctx, data, len) ? 0 : -EIO;
}

int crypto_prf_final(crypto_prf *prf, uint8_t *out)
{
	size_t out_len = 0;

	if (!EVP_MAC_final(prf->ctx, out, &out_len, prf->len) || out_len != prf->len)
		return -EIO;
	return 0;
}

int crypto_prf_oneshotv(RoadieInteg integ, const uint8_t *key, size_t key_len, uint8_t *out,
			va_list pieces)
{
	crypto_prf *prf = crypto_prf_new(integ, key, key_len);
	const void *piece;
	int err = 0;

	if (!prf)
		return -ENOTSUP;
	while (!err && (piece = va_arg(pieces, const void *)))
		err = crypto_prf_update(prf, piece, va_arg(pieces, size_t));
	if (!err)
		err = crypto_prf_final(prf, out);
	crypto_prf_free(prf);
	return err;
}

int crypto_prf_oneshot(RoadieInteg integ, const uint8_t *key, size_t key_len, uint8_t *out, ...)
{
	va_list args;
	int err;

	va_start(args, out);
	err = crypto_prf_oneshotv(integ, key, key_len, out, args);
	va_end(args);
	return err;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <openssl/evp.h>

#include "crypto-hash.h"

static const EVP_MD *crypto_hash_md(RoadieInteg integ)
{
	switch (integ) {
	case ROADIE_INTEG_NONE:
		return NULL;
	case ROADIE_INTEG_MD5:
		return EVP_md5();
	case ROADIE_INTEG_SHA1:
		return EVP_sha1();
	case ROADIE_INTEG_SHA2_256:
		return EVP_sha256();
	case ROADIE_INTEG_SHA2_384:
		return EVP_sha384();
	case ROADIE_INTEG_SHA2_512:
		return EVP_sha512();
	}
	return NULL;
}

int crypto_hash(RoadieInteg integ, uint8_t *out, ...)
{
	const EVP_MD *md = crypto_hash_md(integ);
	EVP_MD_CTX *ctx;
	const void *piece;
	va_list args;
	bool ok;

	if (!md)
		return -ENOTSUP;
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestInit_ex2(ctx, md, NULL);
	va_start(args, out);
	while (ok && (piece = va_arg(args, const void *))) {
		size_t len = va_arg(args, size_t);

		ok = len == 0 || EVP_DigestUpdate(ctx, piece, len);
	}
	va_end(args);
	ok = ok && EVP_DigestFinal_ex(ctx, out, NULL);
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -EIO;
}

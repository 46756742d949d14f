/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <openssl/evp.h>
#include <glib.h>

#include "crypto-cbc.h"

struct crypto_cbc {
	EVP_CIPHER_CTX *enc;
	EVP_CIPHER_CTX *dec;
	size_t block;
};

size_t crypto_cbc_block_size(RoadieEncr encr)
{
	switch (encr) {
	case ROADIE_ENCR_AES_CBC:
		return 16;
	case ROADIE_ENCR_3DES:
		return 8;
	case ROADIE_ENCR_AES_GCM_16:
		return 0;
	}
	return 0;
}

size_t crypto_cbc_key_len(RoadieEncr encr, unsigned key_bits)
{
	switch (encr) {
	case ROADIE_ENCR_AES_CBC:
		return key_bits == 128 || key_bits == 192 || key_bits == 256 ? key_bits / 8 : 0;
	case ROADIE_ENCR_3DES:
		return 24;
	case ROADIE_ENCR_AES_GCM_16:
		return 0;
	}
	return 0;
}

static const EVP_CIPHER *crypto_cbc_cipher(RoadieEncr encr, unsigned key_bits)
{
	switch (encr) {
	case ROADIE_ENCR_AES_CBC:
		return key_bits == 128 ? EVP_aes_128_cbc() :
		       key_bits == 192 ? EVP_aes_192_cbc() :
		       key_bits == 256 ? EVP_aes_256_cbc() : NULL;
	case ROADIE_ENCR_3DES:
		return EVP_des_ede3_cbc();
	case ROADIE_ENCR_AES_GCM_16:
		return NULL;
	}
	return NULL;
}

static EVP_CIPHER_CTX *crypto_cbc_ctx(const EVP_CIPHER *cipher, const uint8_t *key, int enc)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	if (!ctx)
		return NULL;
	if (!EVP_CipherInit_ex2(ctx, cipher, key, NULL, enc, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(ctx, 0)) {
		EVP_CIPHER_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

crypto_cbc *crypto_cbc_new(RoadieEncr encr, unsigned key_bits, const uint8_t *key, size_t key_len)
{
	const EVP_CIPHER *cipher = crypto_cbc_cipher(encr, key_bits);
	crypto_cbc *cbc;

	if (!cipher || key_len != crypto_cbc_key_len(encr, key_bits))
		return NULL;
	cbc = g_new0(crypto_cbc, 1);
	cbc->block = crypto_cbc_block_size(encr);
	cbc->enc = crypto_cbc_ctx(cipher, key, 1);
	cbc->dec = crypto_cbc_ctx(cipher, key, 0);
	if (!cbc->enc || !cbc->dec)
		return crypto_cbc_free(cbc);
	return cbc;
}

crypto_cbc *crypto_cbc_free(crypto_cbc *cbc)
{
	if (!cbc)
		return NULL;
	EVP_CIPHER_CTX_free(cbc->enc);
	EVP_CIPHER_CTX_free(cbc->dec);
	g_free(cbc);
	return NULL;
}

static int crypto_cbc_run(EVP_CIPHER_CTX *ctx, size_t block, const uint8_t *iv, uint8_t *data,
			  size_t len)
{
	int out_len = 0;

	if (len % block || len > INT_MAX)
		return -EINVAL;
	/* Only the IV changes per message: the key schedule stays. */
	if (!EVP_CipherInit_ex2(ctx, NULL, NULL, iv, -1, NULL))
		return -EIO;
	if (len && (!EVP_CipherUpdate(ctx, data, &out_len, data, (int)len) || (size_t)out_len != len))
		return -EIO;
	return 0;
}

int crypto_cbc_encrypt(crypto_cbc *cbc, const uint8_t *iv, uint8_t *data, size_t len)
{
	return crypto_cbc_run(cbc->enc, cbc->block, iv, data, len);
}

int crypto_cbc_decrypt(crypto_cbc *cbc, const uint8_t *iv, uint8_t *data, size_t len)
{
	return crypto_cbc_run(cbc->dec, cbc->block, iv, data, len);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>

#include "ike-crypt.h"

int ike_crypt_decrypt(crypto_cbc *cbc, size_t block, const uint8_t *iv, uint8_t *data, size_t len,
		      uint8_t *ret_next_iv)
{
	uint8_t next[CRYPTO_CBC_MAX_BLOCK];
	int err;

	if (len == 0 || block == 0 || block > sizeof(next) || len % block)
		return -EBADMSG;
	/* the next IV is the last ciphertext block: keep it before decrypting over it */
	memcpy(next, data + len - block, block);
	err = crypto_cbc_decrypt(cbc, iv, data, len);
	if (err)
		return err;
	memcpy(ret_next_iv, next, block);
	return 0;
}

int ike_crypt_encrypt(crypto_cbc *cbc, size_t block, const uint8_t *iv, uint8_t *data, size_t len,
		      uint8_t *ret_next_iv)
{
	int err;

	if (len == 0 || block == 0 || block > CRYPTO_CBC_MAX_BLOCK || len % block)
		return -EINVAL;
	err = crypto_cbc_encrypt(cbc, iv, data, len);
	if (err)
		return err;
	memcpy(ret_next_iv, data + len - block, block);
	return 0;
}

size_t ike_crypt_pad_len(size_t len, size_t block)
{
	return block ? (block - len % block) % block : 0;
}

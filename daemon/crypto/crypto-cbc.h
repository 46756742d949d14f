/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CBC encryption without padding (the protocols pad themselves): AES-CBC 128/192/256
 * (RFC 3602) and 3DES-CBC, for IKEv1 messages (RFC 2409 appendix B) and ESP. A context
 * holds the key schedule and is reused for every message or packet of an SA.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proposal.h"

#define CRYPTO_CBC_MAX_BLOCK 16
#define CRYPTO_CBC_MAX_KEY 32

typedef struct crypto_cbc crypto_cbc;

/* Block size (16 or 8) and key length in bytes for a cipher; 0 if not a CBC cipher. */
size_t crypto_cbc_block_size(RoadieEncr encr);
size_t crypto_cbc_key_len(RoadieEncr encr, unsigned key_bits);

crypto_cbc *crypto_cbc_new(RoadieEncr encr, unsigned key_bits, const uint8_t *key, size_t key_len);
crypto_cbc *crypto_cbc_free(crypto_cbc *cbc);

/* In place; @len must be a multiple of the block size. @iv is one block. */
int crypto_cbc_encrypt(crypto_cbc *cbc, const uint8_t *iv, uint8_t *data, size_t len);
int crypto_cbc_decrypt(crypto_cbc *cbc, const uint8_t *iv, uint8_t *data, size_t len);

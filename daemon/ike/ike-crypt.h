/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Encryption of IKEv1 message bodies (RFC 2409 appendix B, RFC 2408 §3.1 E flag).
 *
 * CBC with IV chaining across messages: the IV of a message is the last ciphertext block of
 * the message before it in the same exchange (phase 1: from hash(g^xi | g^xr); each Quick
 * Mode or informational exchange: from hash(last phase-1 block | M-ID)). Decryption hands the
 * next IV back through @ret_next_iv instead of storing it, so the caller commits it only
 * after the message's HASH checked out (STYLE.md rule 7): a forged or corrupted message must
 * not derail the chain.
 *
 * Bodies are padded with zeros to the block size; the header's length covers the padding.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto-cbc.h"

/* In place. @len must be a multiple of the block size (else -EBADMSG) and non-zero. */
int ike_crypt_decrypt(crypto_cbc *cbc, size_t block, const uint8_t *iv, uint8_t *data, size_t len,
		      uint8_t *ret_next_iv);
/* In place; the caller has padded @data to a multiple of the block size. */
int ike_crypt_encrypt(crypto_cbc *cbc, size_t block, const uint8_t *iv, uint8_t *data, size_t len,
		      uint8_t *ret_next_iv);
/* Bytes of padding that make @len a multiple of @block (0 when it already is). */
size_t ike_crypt_pad_len(size_t len, size_t block);

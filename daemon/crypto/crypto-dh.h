/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Diffie-Hellman for IKEv1's KE payloads: the MODP groups of RFC 2409 §6.2 and RFC 3526,
 * and the ECP groups of RFC 5903 (public value x | y, shared secret the x coordinate, §7 and
 * §9). Public values are padded to the group's size as the KE payload carries them
 * (RFC 2409 §5), and so is the shared secret g^xy that goes into SKEYID.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "proposal.h"

#define CRYPTO_DH_MAX_LEN 512 /* MODP 4096 */

typedef struct crypto_dh crypto_dh;

/* Length of the public value and of the shared secret; 0 for an unknown group. */
size_t crypto_dh_public_len(RoadieDhGroup group);
size_t crypto_dh_shared_len(RoadieDhGroup group);

/* A fresh key pair from OpenSSL's RNG; NULL for an unknown group. */
crypto_dh *crypto_dh_new(RoadieDhGroup group);
/* A key pair from a given private value (big-endian), for test vectors. */
crypto_dh *crypto_dh_new_private(RoadieDhGroup group, const uint8_t *priv, size_t priv_len);
/* Frees, the private value with it (OpenSSL clears it); accepts NULL; returns NULL. */
crypto_dh *crypto_dh_free(crypto_dh *dh);

RoadieDhGroup crypto_dh_group(const crypto_dh *dh);
/* Writes crypto_dh_public_len() bytes. */
int crypto_dh_public(const crypto_dh *dh, uint8_t *out);
/*
 * Computes the shared secret from the peer's public value into @out (crypto_dh_shared_len()
 * bytes). A peer value of the wrong length or not in the group (0, 1, p-1, a point off the
 * curve) is -EBADMSG.
 */
int crypto_dh_shared(const crypto_dh *dh, const uint8_t *peer, size_t peer_len, uint8_t *out);

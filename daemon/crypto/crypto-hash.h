/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Plain hashes: IKEv1 derives its IVs with the negotiated hash, not its HMAC (RFC 2409
 * appendix B), and NAT-D is a hash too (RFC 3947 §3.2).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "proposal.h"

/* out = H(piece1 | piece2 | ...), the pieces as (ptr, size_t len) pairs ending in NULL;
 * writes crypto_prf_len(integ) bytes. */
int crypto_hash(RoadieInteg integ, uint8_t *out, ...) __attribute__((sentinel));

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test seams of esp-sa.c, for the unit tests and the fuzzer only: the ICV computation on its
 * own (to run RFC 2202/4231 vectors through it), a seal with every choice made by the caller
 * (sequence number, IV, a hand-made trailer: to reproduce published packets and to build
 * authentic packets with bad padding), and the outbound counter.
 */
#pragma once

#include "crypto/crypto-prf.h"
#include "esp-sa.h"

/* ICV length of an integrity algorithm in ESP: 12 (MD5, SHA1), 16, 24, 32; 0 for NONE. */
size_t esp_icv_len(RoadieInteg integ);
/* out = the first @icv_len bytes of HMAC(data) (RFC 2104 §5, RFC 2404 §2, RFC 4868 §2.6):
 * the function seal and open both use. */
int esp_icv_compute(crypto_prf *prf, size_t icv_len, const uint8_t *data, size_t len, uint8_t *out);

struct esp_seal_params {
	uint32_t seq;
	const uint8_t *iv; /* esp_sa_iv_len() bytes, GCM included */
	bool raw_trailer;  /* the payload already ends with padding, pad length and next header
			    * (and is block-aligned): nothing is appended but the ICV */
};

/* Seals like esp_sa_seal() with the caller's choices; changes nothing in the SA (no counter,
 * no statistics). */
int esp_sa_seal_with(struct esp_sa *sa, struct pkt_writer *w, uint8_t next_header,
		     const struct esp_seal_params *params);

/* The sequence number of the last packet sent (the next is one more). */
void esp_sa_set_seq(struct esp_sa *sa, uint32_t seq);

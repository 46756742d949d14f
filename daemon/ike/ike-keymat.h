/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKEv1 key derivation (RFC 2409 §5, §5.5 and appendix B).
 *
 * Phase 1 with a pre-shared key:
 *   SKEYID   = prf(PSK, Ni_b | Nr_b)
 * with signatures (§5.1, RSA or ECDSA):
 *   SKEYID   = prf(Ni_b | Nr_b, g^xy)
 * and for both:
 *   SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0)
 *   SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1)
 *   SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2)
 * where prf is the HMAC of the negotiated hash. The cipher key is the start of SKEYID_e, or,
 * when the cipher needs more bits than the hash gives (3DES, or AES-256 with SHA-1), of
 * K1 | K2 | ... with K1 = prf(SKEYID_e, 0) and Kn+1 = prf(SKEYID_e, Kn) (appendix B).
 *
 * The first IV of phase 1 is hash(g^xi | g^xr); each later message's IV is the last
 * ciphertext block of the one before. Quick Mode and informational exchanges start from
 * hash(last phase-1 block | M-ID). The hash here is the plain hash, not its HMAC.
 *
 * Quick Mode key material (§5.5): KEYMAT = K1 | K2 | ... with
 *   K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b), Kn+1 = prf(SKEYID_d, Kn | ...).
 *
 * Every buffer here holds key material: ike_keymat_clear() wipes it, and the functions wipe
 * their temporaries on every path.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto-cbc.h"
#include "crypto/crypto-prf.h"
#include "ike-message.h"
#include "proposal.h"

struct ike_keymat {
	RoadieSuite suite; /* the negotiated phase 1 suite */
	size_t prf_len;
	uint8_t skeyid[CRYPTO_PRF_MAX_LEN];
	uint8_t skeyid_d[CRYPTO_PRF_MAX_LEN];
	uint8_t skeyid_a[CRYPTO_PRF_MAX_LEN];
	uint8_t skeyid_e[CRYPTO_PRF_MAX_LEN];
	uint8_t enc_key[CRYPTO_CBC_MAX_KEY];
	size_t enc_key_len;
	size_t block_len;
	/* the PRF of HASH_I/HASH_R: the suite's, but with ECDSA HMAC with the curve's own hash
	 * (RFC 4754 §4: SHA-256 for P-256, SHA-384 for P-384, SHA-512 for P-521), as
	 * strongSwan and Windows do; auth_len bytes */
	RoadieInteg auth_integ;
	size_t auth_len;
};

void ike_keymat_clear(struct ike_keymat *km);

/* SKEYID for pre-shared key authentication. */
int ike_keymat_skeyid_psk(struct ike_keymat *km, const RoadieSuite *suite, const uint8_t *psk,
			  size_t psk_len, const uint8_t *ni, size_t ni_len, const uint8_t *nr,
			  size_t nr_len);

/* SKEYID for signature authentication: the nonces are the key, g^xy the data. */
int ike_keymat_skeyid_sig(struct ike_keymat *km, const RoadieSuite *suite, const uint8_t *ni,
			  size_t ni_len, const uint8_t *nr, size_t nr_len, const uint8_t *gxy,
			  size_t gxy_len);

/* HASH_I/HASH_R with @integ's HMAC instead of the suite's (ECDSA, RFC 4754 §4). */
void ike_keymat_set_auth_prf(struct ike_keymat *km, RoadieInteg integ);

/* SKEYID_d, _a, _e and the cipher key, from SKEYID. */
int ike_keymat_derive(struct ike_keymat *km, const uint8_t *gxy, size_t gxy_len,
		      const uint8_t *cky_i, const uint8_t *cky_r);

/*
 * HASH_I (@initiator) or HASH_R (RFC 2409 §5):
 *   HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b)
 *   HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b)
 * @sai_b is the initiator's SA payload body; @id_b the ID payload body of the side hashed.
 * Writes auth_len bytes (prf_len unless ike_keymat_set_auth_prf() chose another PRF).
 */
int ike_keymat_auth_hash(const struct ike_keymat *km, bool initiator, const uint8_t *gxi,
			 const uint8_t *gxr, size_t gx_len, const uint8_t *cky_i,
			 const uint8_t *cky_r, const uint8_t *sai_b, size_t sai_len,
			 const uint8_t *id_b, size_t id_len, uint8_t *out);

/* The first phase 1 IV: hash(g^xi | g^xr), block_len bytes. */
int ike_keymat_phase1_iv(const struct ike_keymat *km, const uint8_t *gxi, const uint8_t *gxr,
			 size_t gx_len, uint8_t *out);
/* The first IV of a Quick Mode or informational exchange: hash(last block | M-ID). */
int ike_keymat_phase2_iv(const struct ike_keymat *km, const uint8_t *last_block,
			 uint32_t message_id, uint8_t *out);

/* prf(SKEYID_a, pieces...): the Quick Mode and informational HASH payloads (§5.5, §5.7).
 * Pieces are (const void *, size_t) pairs ending in NULL. */
int ike_keymat_prf_a(const struct ike_keymat *km, uint8_t *out, ...) __attribute__((sentinel));

/* KEYMAT for one direction of an SA: @len bytes into @out. @gxy_qm may be NULL (no PFS). */
int ike_keymat_quick(const struct ike_keymat *km, const uint8_t *gxy_qm, size_t gxy_qm_len,
		     uint8_t protocol, uint32_t spi, const uint8_t *ni, size_t ni_len,
		     const uint8_t *nr, size_t nr_len, uint8_t *out, size_t len);

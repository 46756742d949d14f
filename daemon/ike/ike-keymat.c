/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "crypto/crypto-hash.h"
#include "ike-keymat.h"
#include "secret.h"

/* RFC 2409 §5: nonces are 8 to 256 bytes */
#define IKE_KEYMAT_NONCE_MAX 256

void ike_keymat_clear(struct ike_keymat *km)
{
	roadie_wipe(km, sizeof(*km));
}

int ike_keymat_skeyid_psk(struct ike_keymat *km, const RoadieSuite *suite, const uint8_t *psk,
			  size_t psk_len, const uint8_t *ni, size_t ni_len, const uint8_t *nr,
			  size_t nr_len)
{
	size_t prf_len = crypto_prf_len(suite->integ);
	size_t block = crypto_cbc_block_size(suite->encr);
	int err;

	if (!prf_len || !block)
		return -ENOTSUP;
	ike_keymat_clear(km);
	km->suite = *suite;
	km->prf_len = prf_len;
	km->auth_integ = suite->integ;
	km->auth_len = prf_len;
	km->block_len = block;
	err = crypto_prf_oneshot(suite->integ, psk, psk_len, km->skeyid, ni, ni_len, nr, nr_len,
				 NULL);
	if (err)
		ike_keymat_clear(km);
	return err;
}

int ike_keymat_skeyid_sig(struct ike_keymat *km, const RoadieSuite *suite, const uint8_t *ni,
			  size_t ni_len, const uint8_t *nr, size_t nr_len, const uint8_t *gxy,
			  size_t gxy_len)
{
	size_t prf_len = crypto_prf_len(suite->integ);
	size_t block = crypto_cbc_block_size(suite->encr);
	uint8_t key[2 * IKE_KEYMAT_NONCE_MAX];
	int err;

	if (!prf_len || !block || ni_len > IKE_KEYMAT_NONCE_MAX || nr_len > IKE_KEYMAT_NONCE_MAX)
		return -ENOTSUP;
	ike_keymat_clear(km);
	km->suite = *suite;
	km->prf_len = prf_len;
	km->auth_integ = suite->integ;
	km->auth_len = prf_len;
	km->block_len = block;
	memcpy(key, ni, ni_len);
	memcpy(key + ni_len, nr, nr_len);
	err = crypto_prf_oneshot(suite->integ, key, ni_len + nr_len, km->skeyid, gxy, gxy_len,
				 NULL);
	roadie_wipe(key, sizeof(key));
	if (err)
		ike_keymat_clear(km);
	return err;
}

/* The cipher key: the start of SKEYID_e, or its appendix B expansion when that is short. */
static int ike_keymat_cipher_key(struct ike_keymat *km)
{
	size_t need = crypto_cbc_key_len(km->suite.encr, km->suite.key_bits);
	uint8_t k[CRYPTO_PRF_MAX_LEN];
	size_t have = 0;
	int err = 0;

	if (!need || need > sizeof(km->enc_key))
		return -ENOTSUP;
	if (km->prf_len >= need) {
		memcpy(km->enc_key, km->skeyid_e, need);
	} else {
		static const uint8_t zero = 0;

		err = crypto_prf_oneshot(km->suite.integ, km->skeyid_e, km->prf_len, k, &zero,
					 (size_t)1, NULL);
		while (!err) {
			size_t n = MIN(km->prf_len, need - have);

			memcpy(km->enc_key + have, k, n);
			have += n;
			if (have == need)
				break;
			err = crypto_prf_oneshot(km->suite.integ, km->skeyid_e, km->prf_len, k, k,
						 km->prf_len, NULL);
		}
	}
	roadie_wipe(k, sizeof(k));
	if (!err)
		km->enc_key_len = need;
	return err;
}

int ike_keymat_derive(struct ike_keymat *km, const uint8_t *gxy, size_t gxy_len,
		      const uint8_t *cky_i, const uint8_t *cky_r)
{
	static const uint8_t n0 = 0, n1 = 1, n2 = 2;
	RoadieInteg h = km->suite.integ;
	const uint8_t *key = km->skeyid;
	size_t kl = km->prf_len, c = IKE_COOKIE_LEN;
	int err;

	err = crypto_prf_oneshot(h, key, kl, km->skeyid_d, gxy, gxy_len, cky_i, c, cky_r, c, &n0,
				 (size_t)1, NULL);
	err = err ?: crypto_prf_oneshot(h, key, kl, km->skeyid_a, km->skeyid_d, kl, gxy, gxy_len,
					cky_i, c, cky_r, c, &n1, (size_t)1, NULL);
	err = err ?: crypto_prf_oneshot(h, key, kl, km->skeyid_e, km->skeyid_a, kl, gxy, gxy_len,
					cky_i, c, cky_r, c, &n2, (size_t)1, NULL);
	err = err ?: ike_keymat_cipher_key(km);
	if (err)
		ike_keymat_clear(km);
	return err;
}

int ike_keymat_auth_hash(const struct ike_keymat *km, bool initiator, const uint8_t *gxi,
			 const uint8_t *gxr, size_t gx_len, const uint8_t *cky_i,
			 const uint8_t *cky_r, const uint8_t *sai_b, size_t sai_len,
			 const uint8_t *id_b, size_t id_len, uint8_t *out)
{
	const uint8_t *g1 = initiator ? gxi : gxr, *g2 = initiator ? gxr : gxi;
	const uint8_t *c1 = initiator ? cky_i : cky_r, *c2 = initiator ? cky_r : cky_i;

	return crypto_prf_oneshot(km->auth_integ, km->skeyid, km->prf_len, out, g1, gx_len, g2,
				  gx_len, c1, (size_t)IKE_COOKIE_LEN, c2, (size_t)IKE_COOKIE_LEN,
				  sai_b, sai_len, id_b, id_len, NULL);
}

void ike_keymat_set_auth_prf(struct ike_keymat *km, RoadieInteg integ)
{
	km->auth_integ = integ;
	km->auth_len = crypto_prf_len(integ);
}

int ike_keymat_phase1_iv(const struct ike_keymat *km, const uint8_t *gxi, const uint8_t *gxr,
			 size_t gx_len, uint8_t *out)
{
	uint8_t h[CRYPTO_PRF_MAX_LEN];
	int err = crypto_hash(km->suite.integ, h, gxi, gx_len, gxr, gx_len, NULL);

	if (!err)
		memcpy(out, h, km->block_len);
	return err;
}

int ike_keymat_phase2_iv(const struct ike_keymat *km, const uint8_t *last_block,
			 uint32_t message_id, uint8_t *out)
{
	uint8_t mid[4] = { message_id >> 24, message_id >> 16, message_id >> 8, message_id };
	uint8_t h[CRYPTO_PRF_MAX_LEN];
	int err = crypto_hash(km->suite.integ, h, last_block, km->block_len, mid, sizeof(mid), NULL);

	if (!err)
		memcpy(out, h, km->block_len);
	return err;
}

int ike_keymat_prf_a(const struct ike_keymat *km, uint8_t *out, ...)
{
	va_list args;
	int err;

	va_start(args, out);
	err = crypto_prf_oneshotv(km->suite.integ, km->skeyid_a, km->prf_len, out, args);
	va_end(args);
	return err;
}

int ike_keymat_quick(const struct ike_keymat *km, const uint8_t *gxy_qm, size_t gxy_qm_len,
		     uint8_t protocol, uint32_t spi, const uint8_t *ni, size_t ni_len,
		     const uint8_t *nr, size_t nr_len, uint8_t *out, size_t len)
{
	uint8_t spi_b[4] = { spi >> 24, spi >> 16, spi >> 8, spi };
	uint8_t k[CRYPTO_PRF_MAX_LEN];
	crypto_prf *prf = crypto_prf_new(km->suite.integ, km->skeyid_d, km->prf_len);
	size_t have = 0;
	int err = prf ? 0 : -ENOTSUP;

	/* K1 = prf(SKEYID_d, [g^xy |] protocol | SPI | Ni_b | Nr_b); Kn+1 = prf(SKEYID_d, Kn | ...) */
	while (!err && have < len) {
		size_t n;

		if (have > 0)
			err = crypto_prf_reset(prf) ?: crypto_prf_update(prf, k, km->prf_len);
		if (!err && gxy_qm)
			err = crypto_prf_update(prf, gxy_qm, gxy_qm_len);
		err = err ?: crypto_prf_update(prf, &protocol, 1);
		err = err ?: crypto_prf_update(prf, spi_b, sizeof(spi_b));
		err = err ?: crypto_prf_update(prf, ni, ni_len);
		err = err ?: crypto_prf_update(prf, nr, nr_len);
		err = err ?: crypto_prf_final(prf, k);
		if (err)
			break;
		n = MIN(km->prf_len, len - have);
		memcpy(out + have, k, n);
		have += n;
	}
	roadie_wipe(k, sizeof(k));
	crypto_prf_free(prf);
	if (err)
		roadie_wipe(out, len);
	return err;
}

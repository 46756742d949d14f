/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/dh.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <glib.h>

#include "crypto-dh.h"
#include "secret.h"

struct crypto_dh {
	RoadieDhGroup group;
	EVP_PKEY *key;
};

typedef enum {
	DH_NONE,
	DH_MODP,
	DH_ECP,
} DhKind;

static DhKind crypto_dh_kind(RoadieDhGroup group, size_t *ret_len)
{
	size_t len = 0;
	DhKind kind = DH_MODP;

	switch (group) {
	case ROADIE_DH_NONE:
		kind = DH_NONE;
		break;
	case ROADIE_DH_MODP1024:
		len = 128;
		break;
	case ROADIE_DH_MODP1536:
		len = 192;
		break;
	case ROADIE_DH_MODP2048:
		len = 256;
		break;
	case ROADIE_DH_MODP3072:
		len = 384;
		break;
	case ROADIE_DH_MODP4096:
		len = 512;
		break;
	case ROADIE_DH_ECP256:
		kind = DH_ECP;
		len = 32; /* one coordinate */
		break;
	case ROADIE_DH_ECP384:
		kind = DH_ECP;
		len = 48;
		break;
	}
	if (ret_len)
		*ret_len = len;
	return kind;
}

size_t crypto_dh_public_len(RoadieDhGroup group)
{
	size_t len;
	DhKind kind = crypto_dh_kind(group, &len);

	return kind == DH_ECP ? 2 * len : len;
}

size_t crypto_dh_shared_len(RoadieDhGroup group)
{
	size_t len;

	crypto_dh_kind(group, &len);
	return len;
}

/* The primes are OpenSSL's copies of RFC 2409 §6.2 and RFC 3526 §2-5; the generator is 2. */
static BIGNUM *crypto_dh_prime(RoadieDhGroup group)
{
	switch (group) {
	case ROADIE_DH_MODP1024:
		return BN_get_rfc2409_prime_1024(NULL);
	case ROADIE_DH_MODP1536:
		return BN_get_rfc3526_prime_1536(NULL);
	case ROADIE_DH_MODP2048:
		return BN_get_rfc3526_prime_2048(NULL);
	case ROADIE_DH_MODP3072:
		return BN_get_rfc3526_prime_3072(NULL);
	case ROADIE_DH_MODP4096:
		return BN_get_rfc3526_prime_4096(NULL);
	case ROADIE_DH_NONE:
	case ROADIE_DH_ECP256:
	case ROADIE_DH_ECP384:
		return NULL;
	}
	return NULL;
}

static const char *crypto_dh_curve(RoadieDhGroup group)
{
	return group == ROADIE_DH_ECP256 ? "P-256" : group == ROADIE_DH_ECP384 ? "P-384" : NULL;
}

/*
 * Builds an EVP_PKEY of the group from parameters: with @pub (a BIGNUM for MODP, an encoded
 * point for ECP) and/or @priv. Either may be NULL.
 */
static EVP_PKEY *crypto_dh_from_params(RoadieDhGroup group, const BIGNUM *priv, const BIGNUM *pub,
				       const uint8_t *point, size_t point_len, int selection)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;
	BIGNUM *p = NULL, *g = NULL;
	bool ok = bld != NULL;

	switch (crypto_dh_kind(group, NULL)) {
	case DH_NONE:
		ok = false;
		break;
	case DH_MODP:
		p = crypto_dh_prime(group);
		g = BN_new();
		ok = ok && p && g && BN_set_word(g, 2) &&
		     OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, p) &&
		     OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, g) &&
		     (!pub || OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, pub));
		ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
		break;
	case DH_ECP:
		ok = ok &&
		     OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
						     crypto_dh_curve(group), 0) &&
		     (!point ||
		      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, point_len));
		ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
		break;
	}
	ok = ok && (!priv || OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv));
	ok = ok && ctx && (params = OSSL_PARAM_BLD_to_param(bld)) && EVP_PKEY_fromdata_init(ctx) > 0 &&
	     EVP_PKEY_fromdata(ctx, &key, selection, params) > 0;
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	BN_free(p);
	BN_free(g);
	if (!ok) {
		EVP_PKEY_free(key);
		return NULL;
	}
	return key;
}

crypto_dh *crypto_dh_new(RoadieDhGroup group)
{
	EVP_PKEY *domain = crypto_dh_from_params(group, NULL, NULL, NULL, 0,
						 EVP_PKEY_KEY_PARAMETERS);
	EVP_PKEY_CTX *ctx = domain ? EVP_PKEY_CTX_new_from_pkey(NULL, domain, NULL) : NULL;
	EVP_PKEY *key = NULL;
	crypto_dh *dh = NULL;

	/* A 512-bit exponent is beyond twice the strength of every MODP group here (RFC 3526
	 * §8) and keeps MODP 4096 quick. */
	if (ctx && EVP_PKEY_keygen_init(ctx) > 0 &&
	    (crypto_dh_kind(group, NULL) != DH_MODP ||
	     EVP_PKEY_CTX_set_params(ctx, (OSSL_PARAM[]){
		     OSSL_PARAM_int(OSSL_PKEY_PARAM_DH_PRIV_LEN, &(int){ 512 }),
		     OSSL_PARAM_END }) > 0) &&
	    EVP_PKEY_generate(ctx, &key) > 0) {
		dh = g_new0(crypto_dh, 1);
		dh->group = group;
		dh->key = key;
	}
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(domain);
	return dh;
}

crypto_dh *crypto_dh_new_private(RoadieDhGroup group, const uint8_t *priv, size_t priv_len)
{
	BIGNUM *x = BN_bin2bn(priv, (int)priv_len, NULL);
	BIGNUM *p = NULL, *y = NULL, *two = NULL;
	BN_CTX *bn = BN_CTX_new();
	EC_GROUP *curve = NULL;
	EC_POINT *point = NULL;
	uint8_t encoded[1 + 2 * 66];
	size_t encoded_len = 0;
	EVP_PKEY *key = NULL;
	crypto_dh *dh = NULL;

	switch (crypto_dh_kind(group, NULL)) {
	case DH_NONE:
		break;
	case DH_MODP:
		/* y = 2^x mod p */
		p = crypto_dh_prime(group);
		y = BN_new();
		two = BN_new();
		if (x && p && y && two && bn && BN_set_word(two, 2) && BN_mod_exp(y, two, x, p, bn))
			key = crypto_dh_from_params(group, x, y, NULL, 0, EVP_PKEY_KEYPAIR);
		break;
	case DH_ECP:
		curve = EC_GROUP_new_by_curve_name(group == ROADIE_DH_ECP256 ? NID_X9_62_prime256v1 :
										NID_secp384r1);
		point = curve ? EC_POINT_new(curve) : NULL;
		if (x && point && EC_POINT_mul(curve, point, x, NULL, NULL, bn))
			encoded_len = EC_POINT_point2oct(curve, point, POINT_CONVERSION_UNCOMPRESSED,
							 encoded, sizeof(encoded), bn);
		if (encoded_len)
			key = crypto_dh_from_params(group, x, NULL, encoded, encoded_len,
						    EVP_PKEY_KEYPAIR);
		break;
	}
	if (key) {
		dh = g_new0(crypto_dh, 1);
		dh->group = group;
		dh->key = key;
	}
	BN_clear_free(x);
	BN_free(p);
	BN_free(y);
	BN_free(two);
	BN_CTX_free(bn);
	EC_POINT_free(point);
	EC_GROUP_free(curve);
	return dh;
}

crypto_dh *crypto_dh_free(crypto_dh *dh)
{
	if (!dh)
		return NULL;
	EVP_PKEY_free(dh->key);
	g_free(dh);
	return NULL;
}

RoadieDhGroup crypto_dh_group(const crypto_dh *dh)
{
	return dh->group;
}

int crypto_dh_public(const crypto_dh *dh, uint8_t *out)
{
	size_t len = crypto_dh_public_len(dh->group);
	uint8_t point[1 + 2 * 66];
	size_t point_len = 0;
	BIGNUM *pub = NULL;
	int err = -EIO;

	switch (crypto_dh_kind(dh->group, NULL)) {
	case DH_NONE:
		return -EINVAL;
	case DH_MODP:
		if (EVP_PKEY_get_bn_param(dh->key, OSSL_PKEY_PARAM_PUB_KEY, &pub) &&
		    BN_bn2binpad(pub, out, (int)len) == (int)len)
			err = 0;
		BN_free(pub);
		return err;
	case DH_ECP:
		/* OpenSSL's encoding is 0x04 | x | y; the KE payload carries x | y (RFC 5903 §7). */
		if (EVP_PKEY_get_octet_string_param(dh->key, OSSL_PKEY_PARAM_PUB_KEY, point,
						    sizeof(point), &point_len) &&
		    point_len == len + 1 && point[0] == 0x04) {
			memcpy(out, point + 1, len);
			return 0;
		}
		return -EIO;
	}
	return -EINVAL;
}

int crypto_dh_shared(const crypto_dh *dh, const uint8_t *peer, size_t peer_len, uint8_t *out)
{
	size_t len = crypto_dh_shared_len(dh->group), out_len = len;
	uint8_t point[1 + 2 * 66];
	EVP_PKEY *peer_key = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	BIGNUM *pub = NULL;
	int err = -EBADMSG;

	if (peer_len != crypto_dh_public_len(dh->group))
		return -EBADMSG;
	switch (crypto_dh_kind(dh->group, NULL)) {
	case DH_NONE:
		return -EINVAL;
	case DH_MODP:
		pub = BN_bin2bn(peer, (int)peer_len, NULL);
		if (pub)
			peer_key = crypto_dh_from_params(dh->group, NULL, pub, NULL, 0,
							 EVP_PKEY_PUBLIC_KEY);
		BN_free(pub);
		break;
	case DH_ECP:
		point[0] = 0x04;
		memcpy(point + 1, peer, peer_len);
		peer_key = crypto_dh_from_params(dh->group, NULL, NULL, point, peer_len + 1,
						 EVP_PKEY_PUBLIC_KEY);
		break;
	}
	ctx = peer_key ? EVP_PKEY_CTX_new_from_pkey(NULL, dh->key, NULL) : NULL;
	/* validate_peer=1: refuses 0, 1, p-1 and points off the curve. DH output is padded to
	 * the prime's length, as SKEYID's g^xy must be. */
	if (ctx && EVP_PKEY_derive_init(ctx) > 0 &&
	    (crypto_dh_kind(dh->group, NULL) != DH_MODP || EVP_PKEY_CTX_set_dh_pad(ctx, 1) > 0) &&
	    EVP_PKEY_derive_set_peer_ex(ctx, peer_key, 1) > 0 &&
	    EVP_PKEY_derive(ctx, out, &out_len) > 0 && out_len == len)
		err = 0;
	else
		roadie_wipe(out, len);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(peer_key);
	return err;
}

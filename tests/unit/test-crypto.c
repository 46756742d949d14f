/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>
#include <glib.h>

#include "crypto/crypto-cbc.h"
#include "crypto/crypto-dh.h"
#include "crypto/crypto-prf.h"

static GBytes *hex(const char *text)
{
	GByteArray *out = g_byte_array_new();

	for (const char *p = text; *p;) {
		uint8_t b;

		if (g_ascii_isspace(*p)) {
			p++;
			continue;
		}
		g_assert_true(g_ascii_isxdigit(p[0]) && g_ascii_isxdigit(p[1]));
		b = (uint8_t)(g_ascii_xdigit_value(p[0]) << 4 | g_ascii_xdigit_value(p[1]));
		g_byte_array_append(out, &b, 1);
		p += 2;
	}
	return g_byte_array_free_to_bytes(out);
}

#define ASSERT_BYTES(data, len, text)                                                       \
	do {                                                                                \
		g_autoptr(GBytes) want_ = hex(text);                                        \
		gsize want_len_;                                                            \
		const void *want_data_ = g_bytes_get_data(want_, &want_len_);               \
		g_assert_cmpmem((data), (len), want_data_, want_len_);                      \
	} while (0)

/* RFC 2202 §2-3 and RFC 4231 §4.3 (test case 2: key "Jefe"). */
static void test_hmac_vectors(void)
{
	static const struct {
		RoadieInteg integ;
		const char *mac;
	} vectors[] = {
		{ ROADIE_INTEG_MD5, "750c783e6ab0b503eaa86e310a5db738" },
		{ ROADIE_INTEG_SHA1, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
		{ ROADIE_INTEG_SHA2_256,
		  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
		{ ROADIE_INTEG_SHA2_384, "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec373"
					 "6322445e8e2240ca5e69e2c78b3239ecfab21649" },
		{ ROADIE_INTEG_SHA2_512, "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7"
					 "ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b"
					 "636e070a38bce737" },
	};
	const char *data = "what do ya want for nothing?";

	for (size_t i = 0; i < G_N_ELEMENTS(vectors); i++) {
		uint8_t out[CRYPTO_PRF_MAX_LEN];
		size_t len = crypto_prf_len(vectors[i].integ);
		crypto_prf *prf = crypto_prf_new(vectors[i].integ, (const uint8_t *)"Jefe", 4);

		/* in two pieces, then again after a reset: the key stays */
		g_assert_nonnull(prf);
		g_assert_cmpint(crypto_prf_update(prf, data, 10), ==, 0);
		g_assert_cmpint(crypto_prf_update(prf, data + 10, strlen(data) - 10), ==, 0);
		g_assert_cmpint(crypto_prf_final(prf, out), ==, 0);
		ASSERT_BYTES(out, len, vectors[i].mac);
		memset(out, 0, sizeof(out));
		g_assert_cmpint(crypto_prf_reset(prf), ==, 0);
		g_assert_cmpint(crypto_prf_update(prf, data, strlen(data)), ==, 0);
		g_assert_cmpint(crypto_prf_final(prf, out), ==, 0);
		ASSERT_BYTES(out, len, vectors[i].mac);
		crypto_prf_free(prf);

		memset(out, 0, sizeof(out));
		g_assert_cmpint(crypto_prf_oneshot(vectors[i].integ, (const uint8_t *)"Jefe", 4, out,
						   data, (size_t)5, data + 5, strlen(data) - 5, NULL),
				==, 0);
		ASSERT_BYTES(out, len, vectors[i].mac);
	}
	g_assert_null(crypto_prf_new(ROADIE_INTEG_NONE, NULL, 0));
}

/* RFC 3602 §4 case 1 (AES-128-CBC) and a 3DES-CBC vector made with `openssl enc`. */
static void test_cbc_vectors(void)
{
	g_autoptr(GBytes) aes_key = hex("06a9214036b8a15b512e03d534120006");
	g_autoptr(GBytes) aes_iv = hex("3dafba429d9eb430b422da802c9fac41");
	g_autoptr(GBytes) des_key = hex("0123456789abcdeffedcba987654321089abcdef01234567");
	g_autoptr(GBytes) des_iv = hex("0001020304050607");
	uint8_t block[32];
	crypto_cbc *cbc;

	cbc = crypto_cbc_new(ROADIE_ENCR_AES_CBC, 128, g_bytes_get_data(aes_key, NULL), 16);
	g_assert_nonnull(cbc);
	memcpy(block, "Single block msg", 16);
	g_assert_cmpint(crypto_cbc_encrypt(cbc, g_bytes_get_data(aes_iv, NULL), block, 16), ==, 0);
	ASSERT_BYTES(block, 16, "e353779c1079aeb82708942dbe77181a");
	g_assert_cmpint(crypto_cbc_decrypt(cbc, g_bytes_get_data(aes_iv, NULL), block, 16), ==, 0);
	g_assert_cmpmem(block, 16, "Single block msg", 16);
	g_assert_cmpint(crypto_cbc_encrypt(cbc, g_bytes_get_data(aes_iv, NULL), block, 15), ==,
			-EINVAL);
	crypto_cbc_free(cbc);

	cbc = crypto_cbc_new(ROADIE_ENCR_3DES, 192, g_bytes_get_data(des_key, NULL), 24);
	g_assert_nonnull(cbc);
	memcpy(block, "roadie 3DES test vector: 32 by!!", 32);
	g_assert_cmpint(crypto_cbc_encrypt(cbc, g_bytes_get_data(des_iv, NULL), block, 32), ==, 0);
	ASSERT_BYTES(block, 32, "95f19e97830ff82c9dc813e862c8954c52233f2028d1d6519323af85cb5447ff");
	g_assert_cmpint(crypto_cbc_decrypt(cbc, g_bytes_get_data(des_iv, NULL), block, 32), ==, 0);
	g_assert_cmpmem(block, 32, "roadie 3DES test vector: 32 by!!", 32);
	crypto_cbc_free(cbc);

	/* wrong key lengths are refused */
	g_assert_null(crypto_cbc_new(ROADIE_ENCR_AES_CBC, 256, block, 16));
	g_assert_null(crypto_cbc_new(ROADIE_ENCR_AES_CBC, 100, block, 12));
	g_assert_null(crypto_cbc_new(ROADIE_ENCR_AES_GCM_16, 128, block, 16));
}

static const RoadieDhGroup all_groups[] = {
	ROADIE_DH_MODP1024, ROADIE_DH_MODP1536, ROADIE_DH_MODP2048, ROADIE_DH_MODP3072,
	ROADIE_DH_MODP4096, ROADIE_DH_ECP256,   ROADIE_DH_ECP384,
};

static void test_dh_agreement(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(all_groups); i++) {
		RoadieDhGroup group = all_groups[i];
		crypto_dh *a = crypto_dh_new(group), *b = crypto_dh_new(group);
		uint8_t pa[CRYPTO_DH_MAX_LEN], pb[CRYPTO_DH_MAX_LEN];
		uint8_t sa[CRYPTO_DH_MAX_LEN], sb[CRYPTO_DH_MAX_LEN];
		size_t plen = crypto_dh_public_len(group), slen = crypto_dh_shared_len(group);

		g_assert_nonnull(a);
		g_assert_nonnull(b);
		g_assert_cmpint(crypto_dh_public(a, pa), ==, 0);
		g_assert_cmpint(crypto_dh_public(b, pb), ==, 0);
		g_assert_cmpint(crypto_dh_shared(a, pb, plen, sa), ==, 0);
		g_assert_cmpint(crypto_dh_shared(b, pa, plen, sb), ==, 0);
		g_assert_cmpmem(sa, slen, sb, slen);
		/* a peer value of the wrong size */
		g_assert_cmpint(crypto_dh_shared(a, pb, plen - 1, sa), ==, -EBADMSG);
		crypto_dh_free(a);
		crypto_dh_free(b);
	}
	g_assert_null(crypto_dh_new(ROADIE_DH_NONE));
}

/* Known answers: for MODP, 2^1 = 2 and 2^2 = 4, padded to the prime's length (RFC 2409 §5);
 * for P-256, 1·G and 2·G (SEC 2 §2.4.2 and the NIST point-multiplication vectors), without
 * the 0x04 prefix (RFC 5903 §7). */
static void test_dh_known_answers(void)
{
	static const uint8_t one = 1, two = 2;
	uint8_t pub[CRYPTO_DH_MAX_LEN], shared[CRYPTO_DH_MAX_LEN], want[256] = { 0 };
	crypto_dh *dh = crypto_dh_new_private(ROADIE_DH_MODP2048, &two, 1);

	g_assert_nonnull(dh);
	g_assert_cmpint(crypto_dh_public(dh, pub), ==, 0);
	want[255] = 4;
	g_assert_cmpmem(pub, 256, want, 256);
	crypto_dh_free(dh);

	dh = crypto_dh_new_private(ROADIE_DH_ECP256, &one, 1);
	g_assert_nonnull(dh);
	g_assert_cmpint(crypto_dh_public(dh, pub), ==, 0);
	ASSERT_BYTES(pub, 64,
		     "6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"
		     "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5");
	/* 2 · (1·G): the shared secret is 2G's x coordinate */
	crypto_dh_free(dh);
	dh = crypto_dh_new_private(ROADIE_DH_ECP256, &two, 1);
	g_assert_nonnull(dh);
	g_assert_cmpint(crypto_dh_public(dh, pub), ==, 0);
	ASSERT_BYTES(pub, 64,
		     "7CF27B188D034F7E8A52380304B51AC3C08969E277F21B35A60B48FC47669978"
		     "07775510DB8ED040293D9AC69F7430DBBA7DADE63CE982299E04B79D227873D1");
	{
		g_autoptr(GBytes) g1 = hex(
			"6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"
			"4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5");

		g_assert_cmpint(crypto_dh_shared(dh, g_bytes_get_data(g1, NULL), 64, shared), ==, 0);
		ASSERT_BYTES(shared, 32,
			     "7CF27B188D034F7E8A52380304B51AC3C08969E277F21B35A60B48FC47669978");
	}
	crypto_dh_free(dh);
}

/* Peer values outside the group are refused (small-subgroup and invalid-curve attacks). */
static void test_dh_bad_peer(void)
{
	crypto_dh *dh = crypto_dh_new(ROADIE_DH_MODP1024);
	uint8_t peer[CRYPTO_DH_MAX_LEN], shared[CRYPTO_DH_MAX_LEN];

	memset(peer, 0, 128);
	g_assert_cmpint(crypto_dh_shared(dh, peer, 128, shared), ==, -EBADMSG); /* 0 */
	peer[127] = 1;
	g_assert_cmpint(crypto_dh_shared(dh, peer, 128, shared), ==, -EBADMSG); /* 1 */
	memset(peer, 0xff, 128);
	g_assert_cmpint(crypto_dh_shared(dh, peer, 128, shared), ==, -EBADMSG); /* > p */
	crypto_dh_free(dh);

	dh = crypto_dh_new(ROADIE_DH_ECP256);
	memset(peer, 0, 64);
	peer[31] = 1;
	peer[63] = 1; /* (1, 1) is not on P-256 */
	g_assert_cmpint(crypto_dh_shared(dh, peer, 64, shared), ==, -EBADMSG);
	crypto_dh_free(dh);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/crypto/hmac/rfc-vectors", test_hmac_vectors);
	g_test_add_func("/crypto/cbc/vectors", test_cbc_vectors);
	g_test_add_func("/crypto/dh/agreement", test_dh_agreement);
	g_test_add_func("/crypto/dh/known-answers", test_dh_known_answers);
	g_test_add_func("/crypto/dh/bad-peer", test_dh_bad_peer);
	return g_test_run();
}

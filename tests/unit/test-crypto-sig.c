/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKEv1 signatures (crypto-sig.h), checked against implementations other than ours:
 *
 *  - RSA: the openssl command line tool (pkeyutl with rsa_padding_mode:pkcs1 and no
 *    -digest, i.e. PKCS#1 v1.5 type 1 over the raw bytes) verifies our signatures, makes
 *    signatures our code verifies, and recovers exactly the signed bytes (no DigestInfo);
 *    in process, the raw RSA operation shows the block 00 01 FF..FF 00 | HASH of RFC 8017
 *    §9.2 step 5.
 *  - ECDSA: our r | s converted to OpenSSL's DER ECDSA_SIG verifies with EVP_PKEY_verify()
 *    directly, and OpenSSL's DER signatures converted to r | s verify in our code.
 *
 * The HASH_I used as input is fixed text bytes (not a captured value): what is under test is
 * the signature scheme, not the hash.
 */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "crypto/crypto-sig.h"
#include "x509-fixture.h"

/* 20 bytes, the size of an HMAC-SHA1 HASH_I */
static const uint8_t hash20[] = "roadie HASH_I 20 b!";
/* 32, 48, 64: HMAC-SHA2 */
static const uint8_t hash64[64] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static EVP_PKEY *public_only(EVP_PKEY *key)
{
	unsigned char *der = NULL;
	const unsigned char *p;
	int n = i2d_PUBKEY(key, &der);
	EVP_PKEY *pub;

	g_assert_cmpint(n, >, 0);
	p = der;
	pub = d2i_PUBKEY(NULL, &p, n);
	g_assert_nonnull(pub);
	OPENSSL_free(der);
	return pub;
}

static void round_trip(EVP_PKEY *key, size_t want_len)
{
	EVP_PKEY *pub = public_only(key);
	const size_t lens[] = { 16, 20, 32, 48, 64 };

	g_assert_cmpuint(crypto_sig_len(key), ==, want_len);
	g_assert_cmpuint(crypto_sig_len(pub), ==, want_len);
	for (size_t i = 0; i < G_N_ELEMENTS(lens); i++) {
		uint8_t sig[CRYPTO_SIG_MAX_LEN];
		size_t len = 0;

		g_assert_cmpint(crypto_sig_sign(key, hash64, lens[i], sig, sizeof(sig), &len), ==,
				CRYPTO_SIG_OK);
		g_assert_cmpuint(len, ==, want_len);
		g_assert_cmpint(crypto_sig_verify(pub, hash64, lens[i], sig, len), ==, CRYPTO_SIG_OK);
		/* another hash, a flipped bit anywhere, a wrong length: refused */
		g_assert_cmpint(crypto_sig_verify(pub, hash20, lens[i] < 20 ? lens[i] : 20, sig, len),
				==, CRYPTO_SIG_MISMATCH);
		for (size_t bit = 0; bit < len * 8; bit += 7) {
			sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			g_assert_cmpint(crypto_sig_verify(pub, hash64, lens[i], sig, len), ==,
					CRYPTO_SIG_MISMATCH);
			sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		}
		g_assert_cmpint(crypto_sig_verify(pub, hash64, lens[i], sig, len - 1), ==,
				CRYPTO_SIG_BAD_LENGTH);
		g_assert_cmpint(crypto_sig_verify(pub, hash64, lens[i], sig, len + 1), ==,
				CRYPTO_SIG_BAD_LENGTH);
		g_assert_cmpint(crypto_sig_verify(pub, hash64, lens[i], NULL, 0), ==,
				CRYPTO_SIG_BAD_LENGTH);
	}
	EVP_PKEY_free(pub);
	g_assert_cmpuint(ERR_peek_error(), ==, 0);
}

static void test_round_trip_rsa(void)
{
	round_trip(x509_fixture_get()->leaf_key, 256);
}

static void test_round_trip_ecdsa(void)
{
	const X509Fixture *f = x509_fixture_get();

	round_trip(f->ec256_key, 64);
	round_trip(f->ec384_key, 96);
	round_trip(f->ec521_key, 132);
}

/* The raw RSA operation on our signature gives RFC 8017 §9.2's block without DigestInfo. */
static void test_rsa_block(void)
{
	EVP_PKEY *key = x509_fixture_get()->leaf_key;
	uint8_t sig[CRYPTO_SIG_MAX_LEN], block[512], want[256];
	size_t len = 0, block_len = sizeof(block);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);

	g_assert_cmpint(crypto_sig_sign(key, hash20, 20, sig, sizeof(sig), &len), ==, CRYPTO_SIG_OK);
	g_assert_cmpint(EVP_PKEY_verify_recover_init(ctx), ==, 1);
	g_assert_cmpint(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING), ==, 1);
	g_assert_cmpint(EVP_PKEY_verify_recover(ctx, block, &block_len, sig, len), ==, 1);
	want[0] = 0x00;
	want[1] = 0x01;
	memset(want + 2, 0xff, 256 - 2 - 1 - 20);
	want[256 - 21] = 0x00;
	memcpy(want + 256 - 20, hash20, 20);
	g_assert_cmpmem(block, block_len, want, sizeof(want));
	EVP_PKEY_CTX_free(ctx);
}

/* ---- the openssl tool ---- */

static bool run_openssl(const char *const *args, char **ret_out)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autofree char *err = NULL;
	int status = -1;

	g_ptr_array_add(argv, (char *)"/usr/bin/openssl");
	for (size_t i = 0; args[i]; i++)
		g_ptr_array_add(argv, (char *)args[i]);
	g_ptr_array_add(argv, NULL);
	g_assert_true(g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
				   ret_out, &err, &status, NULL));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		g_test_message("openssl: %s", err);
		return false;
	}
	return true;
}

static void write_pem_key(const char *path, EVP_PKEY *key, bool private)
{
	BIO *bio = BIO_new_file(path, "w");

	g_assert_nonnull(bio);
	g_assert_true(private ? PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL) :
				PEM_write_bio_PUBKEY(bio, key));
	BIO_free(bio);
}

static void test_rsa_openssl_cli(void)
{
	EVP_PKEY *key = x509_fixture_get()->leaf_key;
	g_autofree char *dir = NULL, *pub = NULL, *priv = NULL, *data = NULL, *sig_path = NULL;
	g_autofree char *cli_sig_path = NULL, *rec_path = NULL, *out = NULL, *cli_sig = NULL;
	g_autofree char *recovered = NULL;
	uint8_t sig[CRYPTO_SIG_MAX_LEN];
	size_t len = 0;
	gsize cli_len = 0, rec_len = 0;

	if (!g_file_test("/usr/bin/openssl", G_FILE_TEST_IS_EXECUTABLE)) {
		g_test_skip("/usr/bin/openssl is not installed");
		return;
	}
	dir = g_dir_make_tmp("roadie-sig-XXXXXX", NULL);
	pub = g_build_filename(dir, "pub.pem", NULL);
	priv = g_build_filename(dir, "key.pem", NULL);
	data = g_build_filename(dir, "hash", NULL);
	sig_path = g_build_filename(dir, "sig", NULL);
	cli_sig_path = g_build_filename(dir, "cli-sig", NULL);
	rec_path = g_build_filename(dir, "recovered", NULL);
	write_pem_key(pub, key, false);
	write_pem_key(priv, key, true);
	g_assert_true(g_file_set_contents(data, (const char *)hash20, 20, NULL));

	/* ours -> the tool */
	g_assert_cmpint(crypto_sig_sign(key, hash20, 20, sig, sizeof(sig), &len), ==, CRYPTO_SIG_OK);
	g_assert_true(g_file_set_contents(sig_path, (const char *)sig, (gssize)len, NULL));
	g_assert_true(run_openssl((const char *const[]){ "pkeyutl", "-verify", "-pubin", "-inkey",
							 pub, "-in", data, "-sigfile", sig_path,
							 "-pkeyopt", "rsa_padding_mode:pkcs1", NULL },
				  &out));
	g_assert_nonnull(strstr(out, "Signature Verified Successfully"));
	/* what it recovers is exactly the hash: no DigestInfo */
	g_assert_true(run_openssl((const char *const[]){ "pkeyutl", "-verifyrecover", "-pubin",
							 "-inkey", pub, "-in", sig_path, "-out",
							 rec_path, "-pkeyopt",
							 "rsa_padding_mode:pkcs1", NULL },
				  NULL));
	g_assert_true(g_file_get_contents(rec_path, &recovered, &rec_len, NULL));
	g_assert_cmpmem(recovered, rec_len, hash20, 20);

	/* the tool -> ours; PKCS#1 v1.5 is deterministic, so the signatures are the same */
	g_assert_true(run_openssl((const char *const[]){ "pkeyutl", "-sign", "-inkey", priv, "-in",
							 data, "-out", cli_sig_path, "-pkeyopt",
							 "rsa_padding_mode:pkcs1", NULL },
				  NULL));
	g_assert_true(g_file_get_contents(cli_sig_path, &cli_sig, &cli_len, NULL));
	g_assert_cmpint(crypto_sig_verify(key, hash20, 20, (const uint8_t *)cli_sig, cli_len), ==,
			CRYPTO_SIG_OK);
	g_assert_cmpmem(cli_sig, cli_len, sig, len);

	g_unlink(pub);
	g_unlink(priv);
	g_unlink(data);
	g_unlink(sig_path);
	g_unlink(cli_sig_path);
	g_unlink(rec_path);
	g_rmdir(dir);
}

/* ---- ECDSA against OpenSSL's own DER form ---- */

static void ecdsa_cross(EVP_PKEY *key, size_t field)
{
	uint8_t sig[CRYPTO_SIG_MAX_LEN], der[256], raw[CRYPTO_SIG_MAX_LEN];
	size_t len = 0, der_len = sizeof(der);
	unsigned char *der2 = NULL;
	const unsigned char *p;
	EVP_PKEY_CTX *ctx;
	ECDSA_SIG *es;
	const BIGNUM *r, *s;
	int n;

	/* ours -> DER -> OpenSSL verifies */
	g_assert_cmpint(crypto_sig_sign(key, hash20, 20, sig, sizeof(sig), &len), ==, CRYPTO_SIG_OK);
	g_assert_cmpuint(len, ==, 2 * field);
	es = ECDSA_SIG_new();
	g_assert_true(ECDSA_SIG_set0(es, BN_bin2bn(sig, (int)field, NULL),
				     BN_bin2bn(sig + field, (int)field, NULL)));
	n = i2d_ECDSA_SIG(es, &der2);
	g_assert_cmpint(n, >, 0);
	ECDSA_SIG_free(es);
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	g_assert_cmpint(EVP_PKEY_verify_init(ctx), ==, 1);
	g_assert_cmpint(EVP_PKEY_verify(ctx, der2, (size_t)n, hash20, 20), ==, 1);
	OPENSSL_free(der2);

	/* OpenSSL signs (DER) -> r | s -> ours verifies */
	g_assert_cmpint(EVP_PKEY_sign_init(ctx), ==, 1);
	g_assert_cmpint(EVP_PKEY_sign(ctx, der, &der_len, hash20, 20), ==, 1);
	p = der;
	es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	g_assert_nonnull(es);
	ECDSA_SIG_get0(es, &r, &s);
	g_assert_cmpint(BN_bn2binpad(r, raw, (int)field), ==, (int)field);
	g_assert_cmpint(BN_bn2binpad(s, raw + field, (int)field), ==, (int)field);
	ECDSA_SIG_free(es);
	EVP_PKEY_CTX_free(ctx);
	g_assert_cmpint(crypto_sig_verify(key, hash20, 20, raw, 2 * field), ==, CRYPTO_SIG_OK);

	/* r = 0, s = 0, and r, s = all ones (>= the order): refused, not a crash */
	memset(raw, 0, 2 * field);
	g_assert_cmpint(crypto_sig_verify(key, hash20, 20, raw, 2 * field), ==, CRYPTO_SIG_MISMATCH);
	memset(raw, 0xff, 2 * field);
	g_assert_cmpint(crypto_sig_verify(key, hash20, 20, raw, 2 * field), ==, CRYPTO_SIG_MISMATCH);
	g_assert_cmpuint(ERR_peek_error(), ==, 0);
}

static void test_ecdsa_der_cross(void)
{
	const X509Fixture *f = x509_fixture_get();

	ecdsa_cross(f->ec256_key, 32);
	ecdsa_cross(f->ec384_key, 48);
	ecdsa_cross(f->ec521_key, 66);
}

/* ---- refusals ---- */

static void test_wrong_key(void)
{
	const X509Fixture *f = x509_fixture_get();
	uint8_t sig[CRYPTO_SIG_MAX_LEN];
	size_t len = 0;

	g_assert_cmpint(crypto_sig_sign(f->leaf_key, hash20, 20, sig, sizeof(sig), &len), ==,
			CRYPTO_SIG_OK);
	g_assert_cmpint(crypto_sig_verify(f->root_key, hash20, 20, sig, len), ==,
			CRYPTO_SIG_MISMATCH);
	g_assert_cmpint(crypto_sig_verify(f->ec256_key, hash20, 20, sig, len), ==,
			CRYPTO_SIG_BAD_LENGTH);
	g_assert_cmpint(crypto_sig_sign(f->ec256_key, hash20, 20, sig, sizeof(sig), &len), ==,
			CRYPTO_SIG_OK);
	g_assert_cmpint(crypto_sig_verify(f->leaf_key, hash20, 20, sig, len), ==,
			CRYPTO_SIG_BAD_LENGTH);
	/* another P-256 key: same length, no match (the brainpool key is not one we use) */
	{
		EVP_PKEY *other = EVP_EC_gen("P-256");

		g_assert_cmpint(crypto_sig_verify(other, hash20, 20, sig, len), ==,
				CRYPTO_SIG_MISMATCH);
		EVP_PKEY_free(other);
	}
	g_assert_cmpuint(ERR_peek_error(), ==, 0);
}

static void test_refusals(void)
{
	const X509Fixture *f = x509_fixture_get();
	uint8_t sig[CRYPTO_SIG_MAX_LEN], big[300] = { 0 };
	size_t len = 12345;

	g_assert_cmpuint(crypto_sig_len(f->ed25519_key), ==, 0);
	g_assert_cmpuint(crypto_sig_len(f->brainpool_key), ==, 0);
	g_assert_cmpuint(crypto_sig_len(NULL), ==, 0);
	g_assert_cmpint(crypto_sig_sign(f->ed25519_key, hash20, 20, sig, sizeof(sig), &len), ==,
			CRYPTO_SIG_UNSUPPORTED_KEY);
	g_assert_cmpint(crypto_sig_sign(f->brainpool_key, hash20, 20, sig, sizeof(sig), &len), ==,
			CRYPTO_SIG_UNSUPPORTED_KEY);
	g_assert_cmpint(crypto_sig_verify(f->ed25519_key, hash20, 20, sig, 64), ==,
			CRYPTO_SIG_UNSUPPORTED_KEY);
	/* RSA 2048 signs at most 256 - 11 bytes */
	g_assert_cmpint(crypto_sig_sign(f->leaf_key, big, 246, sig, sizeof(sig), &len), ==,
			CRYPTO_SIG_BAD_HASH);
	g_assert_cmpint(crypto_sig_sign(f->leaf_key, big, 245, sig, sizeof(sig), &len), ==,
			CRYPTO_SIG_OK);
	g_assert_cmpint(crypto_sig_sign(f->leaf_key, hash20, 0, sig, sizeof(sig), &len), ==,
			CRYPTO_SIG_BAD_HASH);
	g_assert_cmpint(crypto_sig_sign(f->leaf_key, hash20, 20, sig, 255, &len), ==,
			CRYPTO_SIG_NO_SPACE);
	g_assert_cmpint(crypto_sig_sign(f->ec521_key, hash20, 20, sig, 131, &len), ==,
			CRYPTO_SIG_NO_SPACE);
	g_assert_cmpint(crypto_sig_verify(f->leaf_key, hash20, 0, sig, 256), ==, CRYPTO_SIG_BAD_HASH);
	g_assert_cmpstr(crypto_sig_result_name(CRYPTO_SIG_BAD_LENGTH), ==, "bad-length");
	g_assert_cmpuint(ERR_peek_error(), ==, 0);
}

/* Every length from 0 to past the largest, with any content: an answer, never a crash. */
static void test_length_sweep(void)
{
	const X509Fixture *f = x509_fixture_get();
	EVP_PKEY *keys[] = { f->leaf_key, f->ec256_key, f->ec384_key, f->ec521_key };
	uint8_t junk[CRYPTO_SIG_MAX_LEN + 2];

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 37 + 11);
	for (size_t k = 0; k < G_N_ELEMENTS(keys); k++) {
		for (size_t n = 0; n <= sizeof(junk); n++) {
			enum crypto_sig_result r = crypto_sig_verify(keys[k], hash20, 20, junk, n);

			g_assert_cmpint(r, ==, n == crypto_sig_len(keys[k]) ? CRYPTO_SIG_MISMATCH :
									     CRYPTO_SIG_BAD_LENGTH);
		}
	}
	g_assert_cmpuint(ERR_peek_error(), ==, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/crypto/sig/round-trip/rsa", test_round_trip_rsa);
	g_test_add_func("/crypto/sig/round-trip/ecdsa", test_round_trip_ecdsa);
	g_test_add_func("/crypto/sig/rsa/pkcs1-block", test_rsa_block);
	g_test_add_func("/crypto/sig/rsa/openssl-cli", test_rsa_openssl_cli);
	g_test_add_func("/crypto/sig/ecdsa/der-cross", test_ecdsa_der_cross);
	g_test_add_func("/crypto/sig/wrong-key", test_wrong_key);
	g_test_add_func("/crypto/sig/refusals", test_refusals);
	g_test_add_func("/crypto/sig/length-sweep", test_length_sweep);
	return g_test_run();
}

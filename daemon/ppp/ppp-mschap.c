/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <openssl/evp.h>
#include <openssl/provider.h>

#include "crypto/crypto-hash.h"
#include "ppp-mschap.h"
#include "secret.h"

struct ppp_mschap {
	OSSL_LIB_CTX *libctx;
	OSSL_PROVIDER *legacy;
	OSSL_PROVIDER *deflt;
	EVP_MD *md4;
	EVP_CIPHER *des;
};

struct ppp_mschap *ppp_mschap_new(void)
{
	struct ppp_mschap *m = g_new0(struct ppp_mschap, 1);

	/* A context of our own, so loading "legacy" changes nothing for the rest of roadied. */
	m->libctx = OSSL_LIB_CTX_new();
	if (m->libctx) {
		m->legacy = OSSL_PROVIDER_load(m->libctx, "legacy");
		m->deflt = OSSL_PROVIDER_load(m->libctx, "default");
	}
	if (m->legacy && m->deflt) {
		m->md4 = EVP_MD_fetch(m->libctx, "MD4", NULL);
		m->des = EVP_CIPHER_fetch(m->libctx, "DES-ECB", NULL);
	}
	if (!m->md4 || !m->des)
		return ppp_mschap_free(m);
	return m;
}

struct ppp_mschap *ppp_mschap_free(struct ppp_mschap *m)
{
	if (!m)
		return NULL;
	EVP_MD_free(m->md4);
	EVP_CIPHER_free(m->des);
	if (m->legacy)
		OSSL_PROVIDER_unload(m->legacy);
	if (m->deflt)
		OSSL_PROVIDER_unload(m->deflt);
	OSSL_LIB_CTX_free(m->libctx);
	g_free(m);
	return NULL;
}

static int ppp_mschap_md4(struct ppp_mschap *m, const void *data, size_t len, uint8_t out[16])
{
	unsigned int n = 0;

	if (!EVP_Digest(data, len, out, &n, m->md4, NULL) || n != PPP_MSCHAP_HASH_LEN)
		return -EIO;
	return 0;
}

int ppp_mschap_nt_password_hash(struct ppp_mschap *m, const char *password,
				uint8_t ret_hash[PPP_MSCHAP_HASH_LEN])
{
	/* RFC 2759 §8.3 with erratum 1924: the password as UTF-16LE, no terminating zero */
	uint8_t unicode[2 * 256];
	gunichar2 *utf16;
	glong n = 0;
	int err;

	utf16 = g_utf8_to_utf16(password, -1, NULL, &n, NULL);
	if (!utf16)
		return -EINVAL;
	if (n > 256) {
		roadie_wipe(utf16, (size_t)n * sizeof(gunichar2));
		g_free(utf16);
		return -EINVAL;
	}
	for (glong i = 0; i < n; i++) {
		unicode[2 * i] = (uint8_t)(utf16[i] & 0xff);
		unicode[2 * i + 1] = (uint8_t)(utf16[i] >> 8);
	}
	roadie_wipe(utf16, (size_t)n * sizeof(gunichar2));
	g_free(utf16);
	err = ppp_mschap_md4(m, unicode, 2 * (size_t)n, ret_hash);
	roadie_wipe(unicode, sizeof(unicode));
	return err;
}

int ppp_mschap_hash_nt_password_hash(struct ppp_mschap *m, const uint8_t hash[PPP_MSCHAP_HASH_LEN],
				     uint8_t ret_hash[PPP_MSCHAP_HASH_LEN])
{
	return ppp_mschap_md4(m, hash, PPP_MSCHAP_HASH_LEN, ret_hash);
}

const char *ppp_mschap_user_part(const char *user)
{
	const char *slash = strrchr(user, '\\');

	return slash ? slash + 1 : user;
}

int ppp_mschap_challenge_hash(const uint8_t peer_challenge[PPP_MSCHAP_V2_CHALLENGE_LEN],
			      const uint8_t auth_challenge[PPP_MSCHAP_V2_CHALLENGE_LEN],
			      const char *user, uint8_t ret_challenge[PPP_MSCHAP_CHALLENGE_LEN])
{
	const char *name = ppp_mschap_user_part(user);
	uint8_t digest[20];
	int err;

	err = crypto_hash(ROADIE_INTEG_SHA1, digest, peer_challenge,
			  (size_t)PPP_MSCHAP_V2_CHALLENGE_LEN, auth_challenge,
			  (size_t)PPP_MSCHAP_V2_CHALLENGE_LEN, name, strlen(name), NULL);
	if (!err)
		memcpy(ret_challenge, digest, PPP_MSCHAP_CHALLENGE_LEN);
	return err;
}

/* RFC 2759 §8.6: 56 key bits in 7 bytes spread over 8, each byte's low bit odd parity. */
static void ppp_mschap_des_key(const uint8_t in[7], uint8_t out[8])
{
	out[0] = in[0];
	out[1] = (uint8_t)(in[0] << 7 | in[1] >> 1);
	out[2] = (uint8_t)(in[1] << 6 | in[2] >> 2);
	out[3] = (uint8_t)(in[2] << 5 | in[3] >> 3);
	out[4] = (uint8_t)(in[3] << 4 | in[4] >> 4);
	out[5] = (uint8_t)(in[4] << 3 | in[5] >> 5);
	out[6] = (uint8_t)(in[5] << 2 | in[6] >> 6);
	out[7] = (uint8_t)(in[6] << 1);
	for (int i = 0; i < 8; i++) {
		uint8_t b = out[i] & 0xfe;

		out[i] = (uint8_t)(b | !(__builtin_popcount(b) & 1));
	}
}

static int ppp_mschap_des(struct ppp_mschap *m, const uint8_t key7[7], const uint8_t clear[8],
			  uint8_t out[8])
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t key[8];
	int n = 0, fin = 0;
	bool ok;

	ppp_mschap_des_key(key7, key);
	ok = ctx && EVP_EncryptInit_ex2(ctx, m->des, key, NULL, NULL) &&
	     EVP_CIPHER_CTX_set_padding(ctx, 0) && EVP_EncryptUpdate(ctx, out, &n, clear, 8) &&
	     EVP_EncryptFinal_ex(ctx, out + n, &fin) && n + fin == 8;
	EVP_CIPHER_CTX_free(ctx);
	roadie_wipe(key, sizeof(key));
	return ok ? 0 : -EIO;
}

int ppp_mschap_challenge_response(struct ppp_mschap *m,
				  const uint8_t challenge[PPP_MSCHAP_CHALLENGE_LEN],
				  const uint8_t hash[PPP_MSCHAP_HASH_LEN],
				  uint8_t ret_response[PPP_MSCHAP_RESPONSE_LEN])
{
	uint8_t z[21] = { 0 }, out[PPP_MSCHAP_RESPONSE_LEN];
	int err = 0;

	/* RFC 2759 §8.5: the 16-byte hash zero-padded to 21, three DES keys of 7 bytes */
	memcpy(z, hash, PPP_MSCHAP_HASH_LEN);
	for (int i = 0; i < 3 && !err; i++)
		err = ppp_mschap_des(m, z + 7 * i, challenge, out + 8 * i);
	if (!err)
		memcpy(ret_response, out, sizeof(out));
	roadie_wipe(z, sizeof(z));
	roadie_wipe(out, sizeof(out));
	return err;
}

int ppp_mschap_v2_nt_response(struct ppp_mschap *m,
			      const uint8_t auth_challenge[PPP_MSCHAP_V2_CHALLENGE_LEN],
			      const uint8_t peer_challenge[PPP_MSCHAP_V2_CHALLENGE_LEN],
			      const char *user, const char *password,
			      uint8_t ret_response[PPP_MSCHAP_RESPONSE_LEN])
{
	uint8_t challenge[PPP_MSCHAP_CHALLENGE_LEN], hash[PPP_MSCHAP_HASH_LEN];
	int err;

	err = ppp_mschap_challenge_hash(peer_challenge, auth_challenge, user, challenge);
	err = err ?: ppp_mschap_nt_password_hash(m, password, hash);
	err = err ?: ppp_mschap_challenge_response(m, challenge, hash, ret_response);
	roadie_wipe(hash, sizeof(hash));
	return err;
}

int ppp_mschap_v2_authenticator_response(struct ppp_mschap *m, const char *password,
					 const uint8_t nt_response[PPP_MSCHAP_RESPONSE_LEN],
					 const uint8_t peer_challenge[PPP_MSCHAP_V2_CHALLENGE_LEN],
					 const uint8_t auth_challenge[PPP_MSCHAP_V2_CHALLENGE_LEN],
					 const char *user,
					 char ret_text[PPP_MSCHAP_AUTH_RESPONSE_LEN + 1])
{
	/* RFC 2759 §8.7: the two constants, as ASCII without terminating zeros */
	static const char magic1[] = "Magic server to client signing constant";
	static const char magic2[] = "Pad to make it do more than one iteration";
	uint8_t hash[PPP_MSCHAP_HASH_LEN], hash_hash[PPP_MSCHAP_HASH_LEN];
	uint8_t challenge[PPP_MSCHAP_CHALLENGE_LEN], digest[20];
	int err;

	err = ppp_mschap_nt_password_hash(m, password, hash);
	err = err ?: ppp_mschap_hash_nt_password_hash(m, hash, hash_hash);
	err = err ?: crypto_hash(ROADIE_INTEG_SHA1, digest, hash_hash, sizeof(hash_hash),
				 nt_response, (size_t)PPP_MSCHAP_RESPONSE_LEN, magic1,
				 sizeof(magic1) - 1, NULL);
	err = err ?: ppp_mschap_challenge_hash(peer_challenge, auth_challenge, user, challenge);
	err = err ?: crypto_hash(ROADIE_INTEG_SHA1, digest, digest, sizeof(digest), challenge,
				 sizeof(challenge), magic2, sizeof(magic2) - 1, NULL);
	if (!err) {
		ret_text[0] = 'S';
		ret_text[1] = '=';
		for (size_t i = 0; i < sizeof(digest); i++)
			snprintf(ret_text + 2 + 2 * i, 3, "%02X", digest[i]);
	}
	roadie_wipe(hash, sizeof(hash));
	roadie_wipe(hash_hash, sizeof(hash_hash));
	roadie_wipe(digest, sizeof(digest));
	return err;
}

int ppp_mschap_v1_nt_response(struct ppp_mschap *m,
			      const uint8_t challenge[PPP_MSCHAP_CHALLENGE_LEN],
			      const char *password, uint8_t ret_response[PPP_MSCHAP_RESPONSE_LEN])
{
	uint8_t hash[PPP_MSCHAP_HASH_LEN];
	int err;

	err = ppp_mschap_nt_password_hash(m, password, hash);
	err = err ?: ppp_mschap_challenge_response(m, challenge, hash, ret_response);
	roadie_wipe(hash, sizeof(hash));
	return err;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The MS-CHAP crypto against the published vectors: RFC 2759 §9.2 (MS-CHAPv2, user "User",
 * password "clientPass") and RFC 2433 Appendix B.2 (MS-CHAPv1, password "MyPw"). MD4 and DES
 * come from OpenSSL's legacy provider: if it is missing, the first test says so and fails.
 */
#include <errno.h>
#include <string.h>
#include <glib.h>

#include "ppp/ppp-mschap.h"

static void unhex(const char *hex, uint8_t *out, size_t len)
{
	size_t n = 0;

	for (const char *s = hex; *s && n < 2 * len; s++) {
		int v = g_ascii_xdigit_value(*s);

		if (v < 0)
			continue;
		if (n % 2 == 0)
			out[n / 2] = (uint8_t)(v << 4);
		else
			out[n / 2] |= (uint8_t)v;
		n++;
	}
	g_assert_cmpuint(n, ==, 2 * len);
}

static void assert_bytes(const uint8_t *got, const char *want_hex, size_t len)
{
	uint8_t want[64];

	g_assert_cmpuint(len, <=, sizeof(want));
	unhex(want_hex, want, len);
	g_assert_cmpmem(got, len, want, len);
}

/* RFC 2759 §9.2 */
#define RFC2759_USER "User"
#define RFC2759_PASSWORD "clientPass"
#define RFC2759_AUTH_CHALLENGE "5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28"
#define RFC2759_PEER_CHALLENGE "21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E"
#define RFC2759_CHALLENGE "D0 2E 43 86 BC E9 12 26"
#define RFC2759_PASSWORD_HASH "44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE"
#define RFC2759_NT_RESPONSE \
	"82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54 42 33 11 4A 3D 85 D6 DF"
#define RFC2759_PASSWORD_HASH_HASH "41 C0 0C 58 4B D2 D9 1C 40 17 A2 A1 2F A5 9F 3F"
#define RFC2759_AUTH_RESPONSE "S=407A5589115FD0D6209F510FE9C04566932CDA56"

static struct ppp_mschap *mschap_or_fail(void)
{
	struct ppp_mschap *m = ppp_mschap_new();

	if (!m)
		g_error("OpenSSL's legacy provider (ossl-modules/legacy.so) is not available: MD4 "
			"and DES-ECB cannot be fetched, so MS-CHAP cannot work on this system");
	return m;
}

static void test_legacy_provider(void)
{
	struct ppp_mschap *m = mschap_or_fail();

	g_assert_nonnull(m);
	ppp_mschap_free(m);
	g_assert_null(ppp_mschap_free(NULL));
}

static void test_v2_challenge_hash(void)
{
	uint8_t auth[16], peer[16], ch[8];

	unhex(RFC2759_AUTH_CHALLENGE, auth, 16);
	unhex(RFC2759_PEER_CHALLENGE, peer, 16);
	g_assert_cmpint(ppp_mschap_challenge_hash(peer, auth, RFC2759_USER, ch), ==, 0);
	assert_bytes(ch, RFC2759_CHALLENGE, 8);
	/* RFC 2759 §4: the domain is sent in Name but left out of the hash */
	memset(ch, 0, sizeof(ch));
	g_assert_cmpint(ppp_mschap_challenge_hash(peer, auth, "DOMAIN\\User", ch), ==, 0);
	assert_bytes(ch, RFC2759_CHALLENGE, 8);
	g_assert_cmpstr(ppp_mschap_user_part("BIGCO\\johndoe"), ==, "johndoe");
	g_assert_cmpstr(ppp_mschap_user_part("johndoe"), ==, "johndoe");
}

static void test_v2_password_hash(void)
{
	struct ppp_mschap *m = mschap_or_fail();
	uint8_t hash[16], hash_hash[16];

	g_assert_cmpint(ppp_mschap_nt_password_hash(m, RFC2759_PASSWORD, hash), ==, 0);
	assert_bytes(hash, RFC2759_PASSWORD_HASH, 16);
	g_assert_cmpint(ppp_mschap_hash_nt_password_hash(m, hash, hash_hash), ==, 0);
	assert_bytes(hash_hash, RFC2759_PASSWORD_HASH_HASH, 16);
	ppp_mschap_free(m);
}

static void test_v2_nt_response(void)
{
	struct ppp_mschap *m = mschap_or_fail();
	uint8_t auth[16], peer[16], ch[8], hash[16], resp[24];

	unhex(RFC2759_AUTH_CHALLENGE, auth, 16);
	unhex(RFC2759_PEER_CHALLENGE, peer, 16);
	unhex(RFC2759_CHALLENGE, ch, 8);
	unhex(RFC2759_PASSWORD_HASH, hash, 16);
	g_assert_cmpint(ppp_mschap_challenge_response(m, ch, hash, resp), ==, 0);
	assert_bytes(resp, RFC2759_NT_RESPONSE, 24);
	memset(resp, 0, sizeof(resp));
	g_assert_cmpint(ppp_mschap_v2_nt_response(m, auth, peer, RFC2759_USER, RFC2759_PASSWORD,
						  resp),
			==, 0);
	assert_bytes(resp, RFC2759_NT_RESPONSE, 24);
	ppp_mschap_free(m);
}

static void test_v2_authenticator_response(void)
{
	struct ppp_mschap *m = mschap_or_fail();
	uint8_t auth[16], peer[16], nt[24];
	char s[PPP_MSCHAP_AUTH_RESPONSE_LEN + 1];

	unhex(RFC2759_AUTH_CHALLENGE, auth, 16);
	unhex(RFC2759_PEER_CHALLENGE, peer, 16);
	unhex(RFC2759_NT_RESPONSE, nt, 24);
	g_assert_cmpint(ppp_mschap_v2_authenticator_response(m, RFC2759_PASSWORD, nt, peer, auth,
							     RFC2759_USER, s),
			==, 0);
	g_assert_cmpstr(s, ==, RFC2759_AUTH_RESPONSE);
	/* the domain prefix changes nothing here either */
	g_assert_cmpint(ppp_mschap_v2_authenticator_response(m, RFC2759_PASSWORD, nt, peer, auth,
							     "WORKGROUP\\User", s),
			==, 0);
	g_assert_cmpstr(s, ==, RFC2759_AUTH_RESPONSE);
	ppp_mschap_free(m);
}

/* RFC 2433 Appendix B.2 ("MyPw"); the DES step was also cross-checked once with
 * `openssl enc -des-ecb -provider legacy` and the key expansion done by hand in Python. */
static void test_v1_vectors(void)
{
	struct ppp_mschap *m = mschap_or_fail();
	uint8_t challenge[8], hash[16], resp[24];

	g_assert_cmpint(ppp_mschap_nt_password_hash(m, "MyPw", hash), ==, 0);
	assert_bytes(hash, "FC 15 6A F7 ED CD 6C 0E DD E3 33 7D 42 7F 4E AC", 16);
	unhex("10 2D B5 DF 08 5D 30 41", challenge, 8);
	g_assert_cmpint(ppp_mschap_v1_nt_response(m, challenge, "MyPw", resp), ==, 0);
	assert_bytes(resp,
		     "4E 9D 3C 8F 9C FD 38 5D 5B F4 D3 24 67 91 95 6C "
		     "A4 C3 51 AB 40 9A 3D 61",
		     24);
	ppp_mschap_free(m);
}

static void test_password_encoding(void)
{
	struct ppp_mschap *m = mschap_or_fail();
	uint8_t hash[16];
	char long_pw[300];

	/* not UTF-8 */
	g_assert_cmpint(ppp_mschap_nt_password_hash(m, "\xff\xfe", hash), ==, -EINVAL);
	/* RFC 2759 §8.3: at most 256 characters */
	memset(long_pw, 'a', 257);
	long_pw[257] = '\0';
	g_assert_cmpint(ppp_mschap_nt_password_hash(m, long_pw, hash), ==, -EINVAL);
	long_pw[256] = '\0';
	g_assert_cmpint(ppp_mschap_nt_password_hash(m, long_pw, hash), ==, 0);
	/* an empty password hashes (MD4 of nothing, RFC 1320 A.5) */
	g_assert_cmpint(ppp_mschap_nt_password_hash(m, "", hash), ==, 0);
	assert_bytes(hash, "31d6cfe0d16ae931b73c59d7e0c089c0", 16);
	ppp_mschap_free(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ppp/mschap/legacy-provider", test_legacy_provider);
	g_test_add_func("/ppp/mschap/v2/challenge-hash", test_v2_challenge_hash);
	g_test_add_func("/ppp/mschap/v2/password-hash", test_v2_password_hash);
	g_test_add_func("/ppp/mschap/v2/nt-response", test_v2_nt_response);
	g_test_add_func("/ppp/mschap/v2/authenticator-response", test_v2_authenticator_response);
	g_test_add_func("/ppp/mschap/v1/rfc2433", test_v1_vectors);
	g_test_add_func("/ppp/mschap/password-encoding", test_password_encoding);
	return g_test_run();
}

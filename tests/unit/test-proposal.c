/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <glib.h>

#include "proposal.h"

static char *join(RoadieProposalKind kind, GArray *suites)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < suites->len; i++) {
		g_autofree char *one = roadie_suite_to_string(kind, &g_array_index(suites, RoadieSuite, i));

		g_string_append_printf(s, "%s%s", i ? "," : "", one);
	}
	return g_string_free(s, FALSE);
}

typedef struct {
	RoadieProposalKind kind;
	const char *text;
	const char *expanded; /* canonical form of every suite */
	bool strict;
} Good;

static const Good good[] = {
	{ ROADIE_PROPOSAL_IKE, "aes256-sha1-modp2048,aes128-sha1-modp2048,3des-sha1-modp1024",
	  "aes256-sha1-modp2048,aes128-sha1-modp2048,3des-sha1-modp1024", false },
	{ ROADIE_PROPOSAL_ESP, "aes256-sha1,aes128gcm16",
	  "aes256-sha1,aes128gcm16", false },
	{ ROADIE_PROPOSAL_IKE, "aes-sha-modp1024", "aes128-sha1-modp1024", false },
	{ ROADIE_PROPOSAL_IKE, " AES256-SHA2_256-MODP2048 ", "aes256-sha256-modp2048", false },
	{ ROADIE_PROPOSAL_IKE, "aes128-aes256-sha1-sha256-modp2048!",
	  "aes128-sha1-modp2048,aes128-sha256-modp2048,aes256-sha1-modp2048,aes256-sha256-modp2048",
	  true },
	{ ROADIE_PROPOSAL_IKE, "aes256-sha384-prfsha384-ecp384", "aes256-sha384-ecp384", false },
	{ ROADIE_PROPOSAL_ESP, "aes128-sha256-modp2048", "aes128-sha256-modp2048", false },
	{ ROADIE_PROPOSAL_ESP, "aes256gcm128-ecp256", "aes256gcm16-ecp256", false },
	{ ROADIE_PROPOSAL_ESP, "3des-md5", "3des-md5", false },
	/* duplicates collapse, order is kept */
	{ ROADIE_PROPOSAL_ESP, "aes-sha1,aes128-sha1,aes256-sha512", "aes128-sha1,aes256-sha512",
	  false },
};

static void test_good(gconstpointer data)
{
	const Good *g = data;
	g_autoptr(GArray) suites = NULL;
	g_autofree char *message = NULL;
	g_autofree char *got = NULL;
	bool strict = !g->strict;

	g_assert_cmpint(roadie_proposal_parse(g->kind, g->text, &suites, &strict, &message), ==,
			ROADIE_PROPOSAL_OK);
	g_assert_null(message);
	got = join(g->kind, suites);
	g_assert_cmpstr(got, ==, g->expanded);
	g_assert_cmpint(strict, ==, g->strict);
}

typedef struct {
	RoadieProposalKind kind;
	const char *text;
	RoadieProposalError error;
	const char *message;
} Bad;

static const Bad bad[] = {
	{ ROADIE_PROPOSAL_IKE, "aes128-sha1-modp999", ROADIE_PROPOSAL_ERR_UNKNOWN_DH,
	  "unknown DH group 'modp999' in 'aes128-sha1-modp999'" },
	{ ROADIE_PROPOSAL_IKE, "", ROADIE_PROPOSAL_ERR_EMPTY, "the list is empty" },
	{ ROADIE_PROPOSAL_IKE, "!", ROADIE_PROPOSAL_ERR_EMPTY, "the list is empty" },
	{ ROADIE_PROPOSAL_ESP, "aes-sha1,,3des-sha1", ROADIE_PROPOSAL_ERR_EMPTY,
	  "empty proposal at position 2 of 'aes-sha1,,3des-sha1'" },
	{ ROADIE_PROPOSAL_ESP, "aes--sha1", ROADIE_PROPOSAL_ERR_EMPTY,
	  "empty algorithm name in 'aes--sha1'" },
	{ ROADIE_PROPOSAL_ESP, "aes512-sha1", ROADIE_PROPOSAL_ERR_UNKNOWN_ENCR,
	  "unknown cipher 'aes512' in 'aes512-sha1'" },
	{ ROADIE_PROPOSAL_ESP, "aes128gcm8", ROADIE_PROPOSAL_ERR_UNKNOWN_ENCR,
	  "unknown cipher 'aes128gcm8' in 'aes128gcm8'" },
	{ ROADIE_PROPOSAL_ESP, "aes-sha3", ROADIE_PROPOSAL_ERR_UNKNOWN_INTEG,
	  "unknown integrity algorithm 'sha3' in 'aes-sha3'" },
	{ ROADIE_PROPOSAL_ESP, "aes-sha1-bogus", ROADIE_PROPOSAL_ERR_UNKNOWN_TOKEN,
	  "unknown algorithm 'bogus' in 'aes-sha1-bogus'" },
	{ ROADIE_PROPOSAL_IKE, "sha1-modp2048", ROADIE_PROPOSAL_ERR_NO_ENCR,
	  "no encryption algorithm in 'sha1-modp2048'" },
	{ ROADIE_PROPOSAL_IKE, "aes-modp2048", ROADIE_PROPOSAL_ERR_NO_INTEG,
	  "no integrity algorithm in 'aes-modp2048'" },
	{ ROADIE_PROPOSAL_ESP, "aes256", ROADIE_PROPOSAL_ERR_NO_INTEG,
	  "no integrity algorithm in 'aes256'" },
	{ ROADIE_PROPOSAL_IKE, "aes-sha1", ROADIE_PROPOSAL_ERR_NO_DH, "no DH group in 'aes-sha1'" },
	{ ROADIE_PROPOSAL_IKE, "aes128gcm16-modp2048", ROADIE_PROPOSAL_ERR_AEAD_IN_IKE, NULL },
	{ ROADIE_PROPOSAL_ESP, "aes128gcm16-sha1", ROADIE_PROPOSAL_ERR_AEAD_WITH_INTEG, NULL },
	{ ROADIE_PROPOSAL_ESP, "aes128gcm16-aes128", ROADIE_PROPOSAL_ERR_AEAD_WITH_INTEG, NULL },
	{ ROADIE_PROPOSAL_IKE,
	  "aes128-aes192-aes256-3des-sha1-sha256-sha384-sha512-modp1024-modp2048-modp3072-modp4096-"
	  "ecp256",
	  ROADIE_PROPOSAL_ERR_TOO_MANY, "the list expands to more than 64 proposals" },
};

static void test_bad(gconstpointer data)
{
	const Bad *b = data;
	GArray *suites = (GArray *)b; /* sentinels: must stay untouched on failure */
	bool strict = true;
	g_autofree char *message = NULL;

	g_assert_cmpint(roadie_proposal_parse(b->kind, b->text, &suites, &strict, &message), ==,
			b->error);
	g_assert_true(suites == (GArray *)b);
	g_assert_true(strict);
	g_assert_nonnull(message);
	if (b->message)
		g_assert_cmpstr(message, ==, b->message);
}

static void test_too_long(void)
{
	g_autoptr(GString) s = g_string_new(NULL);
	g_autofree char *message = NULL;

	while (s->len <= ROADIE_PROPOSAL_MAX_LEN)
		g_string_append(s, "aes-sha1,");
	g_assert_cmpint(roadie_proposal_parse(ROADIE_PROPOSAL_ESP, s->str, NULL, NULL, &message), ==,
			ROADIE_PROPOSAL_ERR_TOO_MANY);
	g_assert_nonnull(strstr(message, "at most 1024"));
}

static void test_describe(void)
{
	RoadieSuite ike = { ROADIE_ENCR_AES_CBC, 256, ROADIE_INTEG_SHA1, ROADIE_DH_MODP2048 };
	RoadieSuite old = { ROADIE_ENCR_3DES, 192, ROADIE_INTEG_SHA1, ROADIE_DH_MODP1024 };
	RoadieSuite gcm = { ROADIE_ENCR_AES_GCM_16, 128, ROADIE_INTEG_NONE, ROADIE_DH_ECP256 };
	g_autofree char *a = roadie_suite_describe(ROADIE_PROPOSAL_IKE, &ike);
	g_autofree char *b = roadie_suite_describe(ROADIE_PROPOSAL_IKE, &old);
	g_autofree char *c = roadie_suite_describe(ROADIE_PROPOSAL_ESP, &gcm);
	RoadieDhGroup group = ROADIE_DH_NONE;

	g_assert_cmpstr(a, ==, "AES_CBC_256/HMAC_SHA1/MODP_2048");
	g_assert_cmpstr(b, ==, "3DES_CBC/HMAC_SHA1/MODP_1024");
	g_assert_cmpstr(c, ==, "AES_GCM_16_128/ECP_256");
	g_assert_false(roadie_suite_is_weak(&ike));
	g_assert_true(roadie_suite_is_weak(&old));
	g_assert_true(roadie_dh_group_from_name("modp3072", &group));
	g_assert_cmpint(group, ==, ROADIE_DH_MODP3072);
	g_assert_false(roadie_dh_group_from_name("aes128", &group));
	g_assert_false(roadie_dh_group_from_name("modp768", &group));
	g_assert_cmpint(group, ==, ROADIE_DH_MODP3072);
	g_assert_cmpstr(roadie_dh_group_name(ROADIE_DH_ECP384), ==, "ecp384");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autofree char *path = g_strdup_printf("/proposal/good/%zu", i);

		g_test_add_data_func(path, &good[i], test_good);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *path = g_strdup_printf("/proposal/bad/%zu", i);

		g_test_add_data_func(path, &bad[i], test_bad);
	}
	g_test_add_func("/proposal/bad/too-long", test_too_long);
	g_test_add_func("/proposal/describe", test_describe);
	return g_test_run();
}

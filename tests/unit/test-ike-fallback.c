/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which IKE proposal list comes next when a gateway refuses ours or stays silent. */
#include <string.h>
#include <glib.h>

#include "ike/ike-fallback.h"

#define MODERN "aes256-sha256-modp2048,aes128-sha1-modp2048"

static char *current(const struct ike_fallback *fb)
{
	GString *s = g_string_new(NULL);
	unsigned n;
	const RoadieSuite *suites = ike_fallback_suites(fb, &n);

	for (unsigned i = 0; i < n; i++) {
		g_autofree char *one = roadie_suite_to_string(ROADIE_PROPOSAL_IKE, &suites[i]);

		g_string_append_printf(s, "%s%s", i ? "," : "", one);
	}
	return g_string_free(s, FALSE);
}

#define assert_current(fb, expected)                    \
	do {                                            \
		g_autofree char *got_ = current(fb);    \
		g_assert_cmpstr(got_, ==, (expected));  \
	} while (0)

/* refused: the next list offers only what is new; the oldest alone adds nothing, so none */
static void test_refused(void)
{
	struct ike_fallback fb;

	g_assert_true(ike_fallback_init(&fb, MODERN, NULL, NULL));
	assert_current(&fb, MODERN);
	g_assert_true(ike_fallback_has_next(&fb, false));
	/* silence: the older list is not shorter than two, the oldest is */
	g_assert_true(ike_fallback_has_next(&fb, true));
	g_assert_true(ike_fallback_next(&fb, false));
	assert_current(&fb, IKE_FALLBACK_OLDER);
	g_assert_false(ike_fallback_next(&fb, false));
	g_assert_cmpuint(fb.attempts, ==, 2);
	{
		g_autofree char *offered = ike_fallback_offered_text(&fb);

		g_assert_cmpstr(offered, ==,
				"aes256-sha256-modp2048, aes128-sha1-modp2048, aes256-sha1-modp1536, "
				"aes256-sha1-modp1024, aes128-sha1-modp1024, 3des-sha1-modp2048, "
				"3des-sha1-modp1024");
	}
	ike_fallback_clear(&fb);
}

/* silence: each shorter list as it is, down to 3DES-SHA1-MODP1024 alone */
static void test_silence(void)
{
	struct ike_fallback fb;

	/* a long list that already holds every older suite */
	g_assert_true(ike_fallback_init(&fb, MODERN "," IKE_FALLBACK_OLDER, NULL, NULL));
	g_assert_true(ike_fallback_next(&fb, true));
	assert_current(&fb, IKE_FALLBACK_OLDER);
	g_assert_true(ike_fallback_has_next(&fb, true));
	g_assert_true(ike_fallback_next(&fb, true));
	assert_current(&fb, IKE_FALLBACK_OLDEST);
	g_assert_false(ike_fallback_has_next(&fb, true));
	g_assert_false(ike_fallback_has_next(&fb, false));
	g_assert_false(ike_fallback_next(&fb, true));
	g_assert_false(ike_fallback_next(&fb, false));
	ike_fallback_clear(&fb);

	/* refused with everything offered: nothing new is left, so no next list */
	g_assert_true(ike_fallback_init(&fb, MODERN "," IKE_FALLBACK_OLDER, NULL, NULL));
	g_assert_false(ike_fallback_next(&fb, false));
	ike_fallback_clear(&fb);
}

/* '!' ends the list: no fallback */
static void test_strict(void)
{
	struct ike_fallback fb;

	g_assert_true(ike_fallback_init(&fb, MODERN "!", NULL, NULL));
	g_assert_false(ike_fallback_has_next(&fb, false));
	g_assert_false(ike_fallback_has_next(&fb, true));
	g_assert_false(ike_fallback_next(&fb, false));
	g_assert_false(ike_fallback_next(&fb, true));
	assert_current(&fb, MODERN);
	ike_fallback_clear(&fb);
}

/* the learned suite: first, in the list that holds it */
static void test_learned(void)
{
	struct ike_fallback fb;

	g_assert_true(ike_fallback_init(&fb, MODERN, "aes128-sha1-modp2048", NULL));
	assert_current(&fb, "aes128-sha1-modp2048,aes256-sha256-modp2048");
	ike_fallback_clear(&fb);

	/* learned from a fallback: the next connect starts with the older list */
	g_assert_true(ike_fallback_init(&fb, MODERN, "3des-sha1-modp1024", NULL));
	assert_current(&fb, "3des-sha1-modp1024,aes256-sha1-modp1536,aes256-sha1-modp1024,"
			    "aes128-sha1-modp1024,3des-sha1-modp2048");
	g_assert_true(ike_fallback_next(&fb, true));
	assert_current(&fb, IKE_FALLBACK_OLDEST);
	ike_fallback_clear(&fb);

	/* learned but in no list (the profile changed), or not one suite: ignored */
	g_assert_true(ike_fallback_init(&fb, MODERN "!", "3des-sha1-modp1024", NULL));
	assert_current(&fb, MODERN);
	ike_fallback_clear(&fb);
	g_assert_true(ike_fallback_init(&fb, MODERN, "aes128-sha1-modp2048,3des-sha1-modp1024",
					NULL));
	assert_current(&fb, MODERN);
	ike_fallback_clear(&fb);
	g_assert_true(ike_fallback_init(&fb, MODERN, "nonsense", NULL));
	assert_current(&fb, MODERN);
	ike_fallback_clear(&fb);
}

static void test_bad_list(void)
{
	struct ike_fallback fb;
	g_autofree char *message = NULL;

	g_assert_false(ike_fallback_init(&fb, "aes256-sha1-modp999", NULL, &message));
	g_assert_nonnull(strstr(message, "modp999"));
	ike_fallback_clear(&fb); /* harmless after a failed init */
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ike-fallback/refused", test_refused);
	g_test_add_func("/ike-fallback/silence", test_silence);
	g_test_add_func("/ike-fallback/strict", test_strict);
	g_test_add_func("/ike-fallback/learned", test_learned);
	g_test_add_func("/ike-fallback/bad-list", test_bad_list);
	return g_test_run();
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzzes the profile loader and, with the same bytes, the NetworkManager-l2tp importer.
 *
 * Beyond "no crash, no leak": a refused input must come with problems whose messages start
 * with their key, and a profile that loads must survive every conversion unchanged: the
 * file text (with secrets), roadied's a{sv} pair and NetworkManager's vpn.data/vpn.secrets.
 * An imported profile must be one the file loader takes back.
 */
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "nm-l2tp-import.h"
#include "profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_refusal(GPtrArray *problems, const GError *error)
{
	const RoadieProblem *first;

	if (!problems || problems->len == 0 || !error)
		abort();
	for (guint i = 0; i < problems->len; i++) {
		const RoadieProblem *problem = problems->pdata[i];
		size_t key_len;

		if (!problem->rule || !problem->key || !problem->message || problem->line < 0)
			abort();
		key_len = strlen(problem->key);
		if (strncmp(problem->message, problem->key, key_len) != 0 ||
		    strncmp(problem->message + key_len, ": ", 2) != 0)
			abort();
	}
	first = problems->pdata[0];
	if (strcmp(error->message, first->message) != 0)
		abort();
}

static void roundtrip_keyfile(const RoadieProfile *profile)
{
	size_t len;
	g_autofree char *text = roadie_profile_to_data(profile, true, &len);
	g_autoptr(RoadieProfile) again = roadie_profile_load_data(text, len, 0, NULL, NULL);

	if (!again || !roadie_profile_equal(profile, again))
		abort();
}

static void roundtrip_variant(const RoadieProfile *profile)
{
	g_autoptr(GVariant) settings = g_variant_ref_sink(roadie_profile_to_settings(profile));
	g_autoptr(GVariant) secrets = g_variant_ref_sink(roadie_profile_to_secrets(profile));
	g_autoptr(RoadieProfile) again =
		roadie_profile_new_from_variant(settings, secrets, 0, NULL, NULL);

	if (!again || !roadie_profile_equal(profile, again))
		abort();
}

static void roundtrip_nm(const RoadieProfile *profile)
{
	g_autoptr(GHashTable) data = roadie_profile_to_nm_data(profile);
	g_autoptr(GHashTable) secrets = roadie_profile_to_nm_secrets(profile);
	g_autoptr(RoadieProfile) again = roadie_profile_new_from_nm(data, secrets, 0, NULL, NULL);

	if (!again)
		abort();
	/* the name is NetworkManager's connection.id, outside vpn.data */
	g_free(again->name);
	again->name = g_strdup(profile->name);
	if (!roadie_profile_equal(profile, again))
		abort();
}

static void roundtrip(const RoadieProfile *profile)
{
	g_autoptr(GPtrArray) problems = roadie_profile_check(profile, ROADIE_CHECK_DEFAULT);

	if (problems->len != 0)
		abort();
	roundtrip_keyfile(profile);
	roundtrip_variant(profile);
	roundtrip_nm(profile);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(GPtrArray) notes = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) import_error = NULL;
	g_autoptr(RoadieProfile) profile = NULL;
	g_autoptr(RoadieProfile) imported = NULL;

	profile = roadie_profile_load_data((const char *)data, size, ROADIE_CHECK_DEFAULT,
					   &problems, &error);
	if (profile) {
		if (problems || error)
			abort();
		roundtrip(profile);
	} else {
		check_refusal(problems, error);
	}

	imported = roadie_nm_l2tp_import((const char *)data, size, &notes, &import_error);
	if (imported) {
		if (import_error || !notes)
			abort();
		for (guint i = 0; i < notes->len; i++)
			if (!notes->pdata[i] || !*(const char *)notes->pdata[i])
				abort();
		roundtrip(imported);
	} else if (!import_error || notes) {
		abort();
	}
	return 0;
}

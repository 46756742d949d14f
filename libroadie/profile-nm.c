/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Profiles as NetworkManager stores them: vpn.data and vpn.secrets, string to string, in the
 * file syntax (booleans as "yes"/"no", as NM's VPN plugins write them). The connection's name
 * is NM's connection.id, so it is not in vpn.data.
 *
 * Like the file, vpn.data leaves out keys at their default: NM keeps connections for years,
 * and a profile should follow roadie's improved defaults rather than freeze today's.
 */
#include <stdlib.h>
#include <string.h>

#include "profile-private.h"

static void nm_wipe_free(gpointer text)
{
	roadie_wipe_str(text);
}

static char *nm_format(const RoadieProfile *profile, const RoadieProfileKey *key)
{
	char *text = roadie_profile_key_format(profile, key);

	if (key->type == ROADIE_KEY_BOOL) {
		bool value = text && strcmp(text, "true") == 0;

		g_free(text);
		return g_strdup(value ? "yes" : "no");
	}
	/* unset where the default is set: "" reads back as unset */
	return text ? text : g_strdup("");
}

GHashTable *roadie_profile_to_nm_data(const RoadieProfile *profile)
{
	GHashTable *data = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(RoadieProfile) defaults = roadie_profile_new();
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	for (size_t i = 0; i < n; i++) {
		if (!keys[i].nm || keys[i].type == ROADIE_KEY_SECRET ||
		    roadie_profile_key_equal(profile, defaults, &keys[i]))
			continue;
		g_hash_table_insert(data, g_strdup(keys[i].nm), nm_format(profile, &keys[i]));
	}
	return data;
}

GHashTable *roadie_profile_to_nm_secrets(const RoadieProfile *profile)
{
	GHashTable *secrets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, nm_wipe_free);
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	for (size_t i = 0; i < n; i++) {
		char *text;

		if (!keys[i].nm || keys[i].type != ROADIE_KEY_SECRET)
			continue;
		text = roadie_profile_key_format(profile, &keys[i]);
		if (text)
			g_hash_table_insert(secrets, g_strdup(keys[i].nm), text);
	}
	return secrets;
}

/* NM keeps "<secret>-flags" (agent-owned, not saved, not required) in vpn.data next to the
 * settings; the editor writes them, so they are expected, and they are NM's business. */
static bool nm_is_secret_flags(const char *name)
{
	const RoadieProfileKey *key;
	g_autofree char *base = NULL;

	if (!g_str_has_suffix(name, "-flags"))
		return false;
	base = g_strndup(name, strlen(name) - strlen("-flags"));
	key = roadie_profile_key_by_nm(base);
	return key && key->type == ROADIE_KEY_SECRET;
}

static int nm_compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void nm_apply(RoadieProfile *profile, GHashTable *table, bool secrets,
		     GPtrArray *problems)
{
	const char *what = secrets ? "vpn.secrets" : "vpn.data";
	g_autofree gpointer *names = NULL;
	guint n = 0;

	if (!table)
		return;
	/* sorted, so that the problems come in the same order every time */
	names = g_hash_table_get_keys_as_array(table, &n);
	qsort(names, n, sizeof(*names), nm_compare);

	for (guint i = 0; i < n && problems->len < ROADIE_PROFILE_MAX_PROBLEMS; i++) {
		const char *name = names[i];
		const char *value = g_hash_table_lookup(table, name);
		const RoadieProfileKey *key;
		g_autofree char *clean = roadie_profile_clean_name(name);
		g_autofree char *full = NULL;

		if (!value)
			continue;
		key = g_utf8_validate(name, -1, NULL) ? roadie_profile_key_by_nm(name) : NULL;
		if (!key) {
			uint64_t number;

			if (!secrets && nm_is_secret_flags(name)) {
				if (!g_ascii_string_to_unsigned(value, 10, 0, G_MAXUINT32, &number,
								NULL))
					roadie_profile_problems_add(
						problems, "number-invalid", clean, 0,
						"is not a number of secret flags");
				continue;
			}
			roadie_profile_problems_add(problems, "unknown-key", clean, 0,
						    "unknown key in %s", what);
			continue;
		}
		full = roadie_profile_key_name(key);
		if ((key->type == ROADIE_KEY_SECRET) != secrets) {
			roadie_profile_problems_add(
				problems, "secret-misplaced", full, 0,
				secrets ? "not a secret: keep %s in vpn.data"
					: "a secret: keep %s in vpn.secrets, not in "
					  "vpn.data",
				key->nm);
			continue;
		}
		if (!g_utf8_validate(value, -1, NULL)) {
			roadie_profile_problems_add(problems, "non-utf8", full, 0,
						    "is not valid UTF-8");
			continue;
		}
		roadie_profile_key_set_text(profile, key, value, 0, problems);
	}
}

RoadieProfile *roadie_profile_new_from_nm(GHashTable *data, GHashTable *secrets,
					  RoadieCheckFlags flags, GPtrArray **ret_problems,
					  GError **error)
{
	RoadieProfile *profile = roadie_profile_new();
	GPtrArray *problems = roadie_profile_problems_new();

	nm_apply(profile, data, false, problems);
	nm_apply(profile, secrets, true, problems);
	return roadie_profile_finish(profile, problems, flags, NULL, ret_problems, error);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Profiles as roadied's Connect() arguments: two a{sv} dictionaries, settings and secrets,
 * named and typed by the key table. They arrive from any local client, so every name, type
 * and size is checked before a value reaches the profile.
 */
#include <string.h>

#include "profile-private.h"

static GVariant *variant_build(const RoadieProfile *profile, bool secrets)
{
	GVariantBuilder builder;
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	for (size_t i = 0; i < n; i++) {
		GVariant *value;

		if (roadie_profile_key_is_secret(&keys[i]) != secrets)
			continue;
		/* defaults are sent too: roadied sees the whole picture, not this build's idea
		 * of the defaults; only unset values stay out */
		value = roadie_profile_key_to_variant(profile, &keys[i]);
		if (value)
			g_variant_builder_add(&builder, "{sv}", keys[i].dbus, value);
	}
	return g_variant_builder_end(&builder);
}

GVariant *roadie_profile_to_settings(const RoadieProfile *profile)
{
	return variant_build(profile, false);
}

GVariant *roadie_profile_to_secrets(const RoadieProfile *profile)
{
	return variant_build(profile, true);
}

static const char *variant_type_words(const GVariantType *type)
{
	if (g_variant_type_equal(type, G_VARIANT_TYPE_STRING))
		return "a string";
	if (g_variant_type_equal(type, G_VARIANT_TYPE_BOOLEAN))
		return "a boolean";
	if (g_variant_type_equal(type, G_VARIANT_TYPE_UINT32))
		return "an unsigned 32-bit number";
	if (g_variant_type_equal(type, G_VARIANT_TYPE_BYTESTRING))
		return "bytes";
	return "a list of strings";
}

static void variant_apply(RoadieProfile *profile, GVariant *dict, bool secrets,
			  GHashTable *seen, GPtrArray *problems)
{
	const char *what = secrets ? "secrets" : "settings";
	size_t n;

	if (!dict)
		return;
	if (!g_variant_is_of_type(dict, G_VARIANT_TYPE_VARDICT)) {
		g_autofree char *type = roadie_profile_clean_name(g_variant_get_type_string(dict));

		roadie_profile_problems_add(problems, "type-invalid", what, 0,
					    "expected a{sv}, got '%s'", type);
		return;
	}

	n = g_variant_n_children(dict);
	/* a dictionary of a million unknown names is not worth reading to the end */
	for (size_t i = 0; i < n && problems->len < ROADIE_PROFILE_MAX_PROBLEMS; i++) {
		g_autoptr(GVariant) entry = g_variant_get_child_value(dict, i);
		g_autoptr(GVariant) value = NULL;
		const RoadieProfileKey *key;
		g_autofree char *clean = NULL;
		g_autofree char *full = NULL;
		const GVariantType *expected;
		const char *name;

		g_variant_get(entry, "{&sv}", &name, &value);
		key = roadie_profile_key_by_dbus(name);
		clean = roadie_profile_clean_name(name);
		if (!key) {
			roadie_profile_problems_add(problems, "unknown-key", clean, 0,
						    "unknown setting in the %s", what);
			continue;
		}
		full = roadie_profile_key_name(key);
		if (!g_hash_table_add(seen, (gpointer)key)) {
			roadie_profile_problems_add(problems, "duplicate-key", full, 0,
						    "given twice (as %s)", key->dbus);
			continue;
		}
		if (roadie_profile_key_is_secret(key) != secrets) {
			roadie_profile_problems_add(
				problems, "secret-misplaced", full, 0,
				secrets ? "not a secret: pass %s in the settings"
					: "a secret: pass %s in the secrets, not in "
					  "the settings",
				key->dbus);
			continue;
		}
		expected = roadie_profile_key_variant_type(key);
		if (!g_variant_is_of_type(value, expected)) {
			g_autofree char *got =
				roadie_profile_clean_name(g_variant_get_type_string(value));

			roadie_profile_problems_add(problems, "type-invalid", full, 0,
						    "expected %s (%s), got '%s'",
						    variant_type_words(expected),
						    g_variant_type_peek_string(expected), got);
			continue;
		}
		roadie_profile_key_set_variant(profile, key, value, problems);
	}
}

RoadieProfile *roadie_profile_new_from_variant(GVariant *settings, GVariant *secrets,
					       RoadieCheckFlags flags, GPtrArray **ret_problems,
					       GError **error)
{
	g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);
	RoadieProfile *profile = roadie_profile_new();
	GPtrArray *problems = roadie_profile_problems_new();

	variant_apply(profile, settings, false, seen, problems);
	variant_apply(profile, secrets, true, seen, problems);
	return roadie_profile_finish(profile, problems, flags, NULL, ret_problems, error);
}

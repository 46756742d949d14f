/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "service-args.h"

static const char *service_path_key(GVariant *settings)
{
	static const char *const keys[] = { "ipsec-certificate", "ipsec-private-key",
					     "ipsec-ca-certificate" };

	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		g_autoptr(GVariant) value = g_variant_lookup_value(settings, keys[i], NULL);

		if (value)
			return keys[i];
	}
	return NULL;
}

/* A name from the caller, fit for a sentence: valid UTF-8, at most 64 bytes of it. */
static char *service_clean(const char *name)
{
	return g_utf8_make_valid(name, (gssize)MIN(strlen(name), 64));
}

static bool service_parse_options(GVariant *options, const RoadieProfile *profile,
				  struct service_options *ret, char **ret_message)
{
	GVariantIter iter;
	const char *name;
	GVariant *value;

	ret->configure_interface = true;
	ret->auto_reconnect = profile->auto_reconnect;
	g_variant_iter_init(&iter, options);
	while (g_variant_iter_loop(&iter, "{&sv}", &name, &value)) {
		g_autofree char *clean = service_clean(name);
		bool *target = NULL;

		if (g_str_equal(name, "configure-interface"))
			target = &ret->configure_interface;
		else if (g_str_equal(name, "auto-reconnect"))
			target = &ret->auto_reconnect;
		if (!target) {
			*ret_message = g_strdup_printf("options: unknown option '%s'", clean);
			g_variant_unref(value);
			return false;
		}
		if (!g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN)) {
			*ret_message = g_strdup_printf("options: %s must be a boolean (b)", clean);
			g_variant_unref(value);
			return false;
		}
		*target = g_variant_get_boolean(value);
	}
	return true;
}

/* The first problem decides the error's name: a secret's value or absence makes it
 * InvalidSecrets; a secret put in the settings is the settings' fault. */
static const char *service_problem_name(const RoadieProblem *first)
{
	g_auto(GStrv) parts = NULL;
	const RoadieProfileKey *key;

	if (!first || !first->key)
		return "InvalidSettings";
	if (g_strcmp0(first->rule, "secret-misplaced") == 0)
		return "InvalidSettings";
	if (g_str_equal(first->key, "secrets"))
		return "InvalidSecrets";
	parts = g_strsplit(first->key, ".", 2);
	key = parts[0] && parts[1] ? roadie_profile_key_lookup(parts[0], parts[1]) : NULL;
	return key && roadie_profile_key_is_secret(key) ? "InvalidSecrets" : "InvalidSettings";
}

RoadieProfile *service_args_parse(GVariant *settings, GVariant *secrets, GVariant *options,
				  struct service_options *ret_options, const char **ret_error_name,
				  char **ret_message)
{
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieProfile) profile = NULL;
	const char *path_key;

	*ret_error_name = "InvalidSettings";
	*ret_message = NULL;
	if (!g_variant_is_of_type(settings, G_VARIANT_TYPE_VARDICT) ||
	    !g_variant_is_of_type(secrets, G_VARIANT_TYPE_VARDICT) ||
	    !g_variant_is_of_type(options, G_VARIANT_TYPE_VARDICT)) {
		*ret_message = g_strdup("settings: Connect takes three a{sv}");
		return NULL;
	}
	if ((path_key = service_path_key(settings))) {
		*ret_message = g_strdup_printf("%s: roadied opens no file a caller names; the front "
					       "end sends the file's contents instead",
					       path_key);
		return NULL;
	}
	profile = roadie_profile_new_from_variant(settings, secrets, ROADIE_CHECK_SECRETS,
						  &problems, &error);
	if (!profile) {
		const RoadieProblem *first = problems && problems->len ? problems->pdata[0] : NULL;

		*ret_error_name = service_problem_name(first);
		*ret_message = g_strdup(first ? first->message
				      : error ? error->message
					      : "settings: the settings are invalid");
		return NULL;
	}
	if (!profile->name || !profile->name[0]) {
		*ret_message = g_strdup("connection.name: a connection needs a name (the setting "
					"\"name\")");
		return NULL;
	}
	if (!service_parse_options(options, profile, ret_options, ret_message))
		return NULL;
	return g_steal_pointer(&profile);
}

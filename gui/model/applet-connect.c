/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>
#include <glib.h>

#include "profile.h"
#include "profile-certs.h"
#include "secret-store.h"
#include "x509-cred.h"
#include "applet-connect.h"
#include "applet-error.h"

static void connect_secret_free(gpointer secret)
{
	roadie_secret_free(secret);
}

GHashTable *roadie_applet_secrets_new(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, connect_secret_free);
}

void roadie_applet_connect_args_clear(RoadieAppletConnectArgs *args)
{
	g_clear_pointer(&args->name, g_free);
	g_clear_pointer(&args->settings, g_variant_unref);
	g_clear_pointer(&args->secrets, g_variant_unref);
}

static RoadieSecret **connect_secret_field(RoadieProfile *profile, const RoadieProfileKey *key)
{
	return (RoadieSecret **)((char *)profile + key->offset);
}

/* "the pre-shared key", for the sentence that asks for it */
static char *connect_secret_label(const RoadieProfile *profile, const RoadieProfileKey *key)
{
	if (strcmp(key->dbus, "ipsec-psk") == 0)
		return g_strdup("the pre-shared key");
	if (strcmp(key->dbus, "password") == 0 && profile->user)
		return g_strdup_printf("the password of %s", profile->user);
	if (strcmp(key->dbus, "password") == 0)
		return g_strdup("the password");
	if (strcmp(key->dbus, "l2tp-secret") == 0)
		return g_strdup("the L2TP tunnel secret");
	return g_strdup_printf("%s.%s", key->group, key->key);
}

/* Fills the profile's secrets (supplied, file, keyring); names the needed ones still missing. */
static bool connect_gather_secrets(const RoadieAppletProfile *entry, RoadieProfile *profile,
				   GHashTable *supplied, GError **error)
{
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);
	g_autoptr(GPtrArray) missing = g_ptr_array_new();
	g_autoptr(GString) labels = g_string_new(NULL);

	for (size_t i = 0; i < n; i++) {
		RoadieSecret **field;
		const RoadieSecret *given;

		if (keys[i].type != ROADIE_KEY_SECRET)
			continue;
		field = connect_secret_field(profile, &keys[i]);
		given = supplied ? g_hash_table_lookup(supplied, keys[i].dbus) : NULL;
		if (given) {
			roadie_secret_free(*field);
			*field = roadie_secret_dup(given);
		}
		if (!*field && roadie_profile_secret_wanted(profile, &keys[i]))
			*field = roadie_secret_store_lookup(entry->id, keys[i].dbus);
		if (!*field && roadie_profile_secret_needed(profile, &keys[i])) {
			g_autofree char *label = connect_secret_label(profile, &keys[i]);

			g_ptr_array_add(missing, (gpointer)keys[i].dbus);
			g_string_append_printf(labels, "%s%s (%s)", labels->len ? " and " : "",
					       label, keys[i].dbus);
		}
	}
	if (missing->len == 0)
		return true;
	g_ptr_array_add(missing, NULL);
	roadie_applet_error_set_needs_secret(
		error, (const char *const *)missing->pdata,
		"%s needs %s, which is neither in the profile nor in your keyring", entry->name,
		labels->str);
	return false;
}

/*
 * auth=cert: the certificate, key and CA files, read with the user's rights and loaded as
 * roadied will load them (roadie_profile_load_cert_files, as roadiectl does), so an expired
 * certificate or a wrong key password is told now; a locked key asks for its password.
 */
static bool connect_load_certificates(const RoadieAppletProfile *entry, RoadieProfile *profile,
				      GError **error)
{
	static const char *const pw_keys[] = {"ipsec-private-key-password", NULL};
	g_autoptr(GError) local = NULL;

	if (roadie_profile_load_cert_files(profile, &local))
		return true;
	if (g_error_matches(local, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_PASSWORD_NEEDED) ||
	    g_error_matches(local, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_WRONG_PASSWORD))
		roadie_applet_error_set_needs_secret(error, pw_keys, "%s: %s", entry->name,
						     local->message);
	else
		g_set_error(error, ROADIE_APPLET_ERROR, ROADIE_APPLET_ERROR_CERTIFICATE, "%s: %s",
			    entry->name, local->message);
	return false;
}

bool roadie_applet_connect_prepare(const RoadieAppletProfile *entry, GHashTable *supplied,
				   RoadieAppletConnectArgs *ret_args, GError **error)
{
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(GError) local = NULL;
	g_autoptr(RoadieProfile) profile =
		roadie_profile_load_file(entry->path, ROADIE_CHECK_DEFAULT, &problems, &local);

	if (!profile) {
		const char *message = problems && problems->len
					      ? ((const RoadieProblem *)problems->pdata[0])->message
					      : local->message;

		g_set_error(error, ROADIE_APPLET_ERROR, ROADIE_APPLET_ERROR_INVALID_PROFILE,
			    "%s: %s", entry->id, message);
		return false;
	}
	/* a connection has a name: the file's, else what the profile is called by */
	if (!profile->name || !profile->name[0]) {
		g_free(profile->name);
		profile->name = g_strdup(entry->id);
	}
	if (!connect_gather_secrets(entry, profile, supplied, error) ||
	    !connect_load_certificates(entry, profile, error))
		return false;
	ret_args->name = g_strdup(profile->name);
	ret_args->settings = g_variant_ref_sink(roadie_profile_to_settings(profile));
	ret_args->secrets = g_variant_ref_sink(roadie_profile_to_secrets(profile));
	return true;
}

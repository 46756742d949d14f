/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The user's keyring through libsecret (secret-store.h). Built without libsecret
 * (ROADIE_NO_LIBSECRET), every keyring is "not reachable".
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <glib.h>
#ifndef ROADIE_NO_LIBSECRET
#include <libsecret/secret.h>
#endif

#include "secret-store.h"

/*
 * GDBus finds the session bus from DBUS_SESSION_BUS_ADDRESS, then $XDG_RUNTIME_DIR/bus, and
 * failing both it runs dbus-launch, which may start a bus of its own for a root shell or a
 * cron job. A keyring cannot live on a bus nobody had: without either, there is none.
 */
bool roadie_secret_store_session_bus_known(void)
{
	const char *address = g_getenv("DBUS_SESSION_BUS_ADDRESS");
	const char *runtime = g_getenv("XDG_RUNTIME_DIR");
	g_autofree char *socket_path = NULL;
	struct stat st;

	if (address && *address)
		return true;
	if (!runtime || !*runtime)
		return false;
	socket_path = g_build_filename(runtime, "bus", NULL);
	return stat(socket_path, &st) == 0 && S_ISSOCK(st.st_mode);
}

#ifndef ROADIE_NO_LIBSECRET

static const SecretSchema *store_schema(void)
{
	/* SECRET_SCHEMA_NONE, not DONT_MATCH_NAME: lookups also match the schema name
	 * (xdg:schema), so another program's item with the same attributes never answers */
	static const SecretSchema schema = {
		ROADIE_SECRET_SCHEMA_NAME,
		SECRET_SCHEMA_NONE,
		{
			{"profile", SECRET_SCHEMA_ATTRIBUTE_STRING},
			{"key", SECRET_SCHEMA_ATTRIBUTE_STRING},
			{NULL, 0},
		},
		0,
		NULL,
		NULL,
		NULL,
		NULL,
		NULL,
		NULL,
		NULL,
	};

	return &schema;
}

static bool store_unreachable(GError **error)
{
	g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
			    "no keyring is reachable: this session has no D-Bus session bus, "
			    "so no Secret Service (GNOME Keyring, KWallet) can be asked");
	return false;
}

RoadieSecret *roadie_secret_store_lookup(const char *profile, const char *key)
{
	g_autoptr(GError) error = NULL;
	char *value;
	RoadieSecret *secret;

	if (!profile || !key || !roadie_secret_store_session_bus_known())
		return NULL;
	value = secret_password_lookup_nonpageable_sync(store_schema(), NULL, &error, "profile",
							profile, "key", key, NULL);
	/* no service, a refused unlock, nothing stored: all "not found" (secret-store.h) */
	if (!value)
		return NULL;
	secret = roadie_secret_new(value);
	secret_password_free(value);
	return secret;
}

bool roadie_secret_store_save(const char *profile, const char *key, const RoadieSecret *value,
			      GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autofree char *label = NULL;

	g_return_val_if_fail(profile && key && value, false);
	if (!roadie_secret_store_session_bus_known())
		return store_unreachable(error);
	label = g_strdup_printf("roadie VPN %s: %s", profile, key);
	if (!secret_password_store_sync(store_schema(), SECRET_COLLECTION_DEFAULT, label,
					roadie_secret_peek(value), NULL, &local, "profile", profile,
					"key", key, NULL)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
			    "the keyring did not store the secret: %s", local->message);
		return false;
	}
	return true;
}

bool roadie_secret_store_clear(const char *profile, const char *key, GError **error)
{
	g_autoptr(GError) local = NULL;

	g_return_val_if_fail(profile && key, false);
	if (!roadie_secret_store_session_bus_known())
		return store_unreachable(error);
	/* false without an error means there was nothing to remove */
	if (!secret_password_clear_sync(store_schema(), NULL, &local, "profile", profile, "key",
					key, NULL) &&
	    local) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
			    "the keyring did not remove the secret: %s", local->message);
		return false;
	}
	return true;
}

#else /* ROADIE_NO_LIBSECRET */

static bool store_unreachable(GError **error)
{
	g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
			    "this roadie was built without libsecret: it cannot use a keyring");
	return false;
}

RoadieSecret *roadie_secret_store_lookup(const char *profile, const char *key)
{
	return NULL;
}

bool roadie_secret_store_save(const char *profile, const char *key, const RoadieSecret *value,
			      GError **error)
{
	return store_unreachable(error);
}

bool roadie_secret_store_clear(const char *profile, const char *key, GError **error)
{
	return store_unreachable(error);
}

#endif

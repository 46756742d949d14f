/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The keyring lookup of agent-owned secrets (auth-keyring.h).
 */
#include <stdbool.h>
#include <sys/stat.h>
#include <glib.h>
#include <libsecret/secret.h>

#include "auth-keyring.h"

static const SecretSchema *keyring_schema(void)
{
	static const SecretSchema schema = {
		"org.freedesktop.NetworkManager.Connection",
		SECRET_SCHEMA_DONT_MATCH_NAME,
		{
			{ "connection-uuid", SECRET_SCHEMA_ATTRIBUTE_STRING },
			{ "setting-name", SECRET_SCHEMA_ATTRIBUTE_STRING },
			{ "setting-key", SECRET_SCHEMA_ATTRIBUTE_STRING },
			{ NULL, 0 },
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

/*
 * GDBus finds the session bus from DBUS_SESSION_BUS_ADDRESS, then $XDG_RUNTIME_DIR/bus, and
 * failing both runs dbus-launch, which may start a bus of its own. A keyring cannot live on a
 * bus nobody had: without either there is none, and nothing is started to look.
 */
static bool keyring_session_bus_known(void)
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

RoadieSecret *auth_keyring_lookup(const char *nm_key, void *uuid)
{
	g_autoptr(GError) error = NULL;
	char *value;
	RoadieSecret *secret;

	if (!nm_key || !uuid || !keyring_session_bus_known())
		return NULL;
	value = secret_password_lookup_nonpageable_sync(keyring_schema(), NULL, &error,
							"connection-uuid", (const char *)uuid,
							"setting-name", "vpn", "setting-key",
							nm_key, NULL);
	/* no service, a refused unlock, nothing stored: all "not stored" */
	if (!value)
		return NULL;
	secret = *value ? roadie_secret_new(value) : NULL;
	secret_password_free(value);
	return secret;
}

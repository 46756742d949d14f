/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The keyring lookup of agent-owned secrets (auth-keyring.h).
 */
#include <stdbool.h>
#include <glib.h>
#include <libsecret/secret.h>

#include "secret-store.h"
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

RoadieSecret *auth_keyring_lookup(const char *nm_key, void *uuid)
{
	g_autoptr(GError) error = NULL;
	char *value;
	RoadieSecret *secret;

	if (!nm_key || !uuid || !roadie_secret_store_session_bus_known())
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

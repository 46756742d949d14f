/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "secret-store.h"

#include "applet-editor-secrets.h"

static const RoadieAppletSecretOps keyring_ops = {
	.lookup = roadie_secret_store_lookup,
	.save = roadie_secret_store_save,
	.clear = roadie_secret_store_clear,
};

const RoadieAppletSecretOps *roadie_applet_secrets_keyring(void)
{
	return &keyring_ops;
}

/* The secret field @key (a ROADIE_KEY_SECRET) of @profile. */
static RoadieSecret **secrets_field(RoadieProfile *profile, const RoadieProfileKey *key)
{
	return (RoadieSecret **)(void *)((char *)profile + key->offset);
}

GHashTable *roadie_applet_secrets_fill(const RoadieAppletSecretOps *ops, const char *id,
				       RoadieProfile *profile)
{
	GHashTable *known = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	for (size_t i = 0; i < n; i++) {
		RoadieSecret **field;

		if (keys[i].type != ROADIE_KEY_SECRET || !keys[i].nm)
			continue;
		field = secrets_field(profile, &keys[i]);
		if (!*field && id)
			*field = ops->lookup(id, keys[i].dbus);
		if (*field)
			g_hash_table_add(known, g_strdup(keys[i].nm));
	}
	return known;
}

bool roadie_applet_secrets_apply(const RoadieAppletSecretOps *ops, const char *id,
				 const RoadieProfile *profile, GHashTable *forget, GError **error)
{
	g_autoptr(GError) first = NULL;
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	for (size_t i = 0; i < n; i++) {
		g_autoptr(GError) local = NULL;
		RoadieSecret *value;
		bool ok;

		if (keys[i].type != ROADIE_KEY_SECRET || !keys[i].nm)
			continue;
		value = *secrets_field((RoadieProfile *)profile, &keys[i]);
		if (!value || roadie_secret_len(value) == 0 ||
		    (forget && g_hash_table_contains(forget, keys[i].nm)))
			ok = ops->clear(id, keys[i].dbus, &local);
		else
			ok = ops->save(id, keys[i].dbus, value, &local);
		if (!ok && !first)
			first = g_steal_pointer(&local);
	}
	if (first) {
		g_propagate_error(error, g_steal_pointer(&first));
		return false;
	}
	return true;
}

bool roadie_applet_secrets_forget(const RoadieAppletSecretOps *ops, const char *id,
				  GError **error)
{
	g_autoptr(RoadieProfile) empty = roadie_profile_new();

	return roadie_applet_secrets_apply(ops, id, empty, NULL, error);
}

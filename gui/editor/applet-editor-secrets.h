/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The editor's secrets and the user's keyring: the secrets a profile's file does not hold
 * (pre-shared key, password, private-key password) are looked up there when a profile is
 * opened, and stored or removed on Save as each "Remember" check says. The keyring is reached
 * through an ops table, roadie's own schema (secret-store.h) in the applet, a stand-in in
 * tests. Values are never logged.
 */
#pragma once

#include <stdbool.h>
#include <glib.h>

#include "profile.h"
#include "secret.h"

typedef struct {
	RoadieSecret *(*lookup)(const char *profile, const char *key);
	bool (*save)(const char *profile, const char *key, const RoadieSecret *value,
		     GError **error);
	bool (*clear)(const char *profile, const char *key, GError **error);
} RoadieAppletSecretOps;

/* roadie_secret_store_lookup, _save and _clear: the user's keyring. */
const RoadieAppletSecretOps *roadie_applet_secrets_keyring(void);

/* Sets each secret of @profile that is unset from the keyring entry of profile @id. Returns
 * the NetworkManager names (g_free, a set) of the keys that were found there or were already
 * set: those the editor shows as remembered. */
GHashTable *roadie_applet_secrets_fill(const RoadieAppletSecretOps *ops, const char *id,
				       RoadieProfile *profile);

/* Stores each secret of @profile under profile @id, or removes it from the keyring when it
 * is empty or its NetworkManager name is in @forget (a set; NULL: none). Every key is tried;
 * false and the first failure in @error if one failed. */
bool roadie_applet_secrets_apply(const RoadieAppletSecretOps *ops, const char *id,
				 const RoadieProfile *profile, GHashTable *forget, GError **error);

/* Removes every secret of profile @id (a deleted profile). */
bool roadie_applet_secrets_forget(const RoadieAppletSecretOps *ops, const char *id,
				  GError **error);

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the applet sends with Connect(settings, secrets, options): the profile file loaded
 * afresh, its secrets gathered, its certificate files read with the user's rights (roadied
 * opens no path a caller names, DESIGN.md).
 *
 * Each secret comes from the first source that has it:
 *   1. the caller's table (what the user just typed into the applet's dialog)
 *   2. the profile file itself
 *   3. the user's keyring (secret-store.h), for the secrets the profile's methods use
 * A secret the profile needs (roadie_profile_secret_needed) that none of them has is
 * ROADIE_APPLET_ERROR_NEEDS_SECRET naming its key; so is an encrypted private key without
 * its password, or with a wrong one. The applet then asks and calls again with the answer in
 * the table. Values are never logged and every copy is wiped when done.
 */
#pragma once

#include <stdbool.h>
#include <glib.h>

#include "secret.h"
#include "applet-profiles.h"

/* A table for secrets the user supplies: D-Bus key name ("password") -> RoadieSecret *,
 * owned and wiped by the table. */
GHashTable *roadie_applet_secrets_new(void);

typedef struct {
	char *name;        /* the settings' "name": what roadied's Profile property will say */
	GVariant *settings; /* a{sv}, no secrets (non-floating) */
	GVariant *secrets;  /* a{sv} (non-floating); its buffers are wiped when it goes */
} RoadieAppletConnectArgs;

void roadie_applet_connect_args_clear(RoadieAppletConnectArgs *args);

/*
 * Builds Connect's arguments for @profile. @supplied: NULL or a table from
 * roadie_applet_secrets_new(). Errors (ROADIE_APPLET_ERROR): INVALID_PROFILE, NEEDS_SECRET,
 * CERTIFICATE. On failure @ret_args is untouched.
 */
bool roadie_applet_connect_prepare(const RoadieAppletProfile *profile, GHashTable *supplied,
				   RoadieAppletConnectArgs *ret_args, GError **error);

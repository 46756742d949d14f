/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The user's keyring (the freedesktop Secret Service, through libsecret), shared by
 * roadiectl and the applet so that a secret stored by one is found by the other.
 *
 * One schema, "org.roadie.Secret", two attributes:
 *   profile  the profile's name as roadiectl takes it: its file name without ".conf"
 *            ("office" for ~/.config/roadie/profiles/office.conf)
 *   key      the secret's name on roadied's D-Bus API, from the key table
 *            (roadie_profile_key_lookup("ipsec", "psk")->dbus: "ipsec-psk", ...)
 *
 * Calls are synchronous (a command line client and a dialog can wait). A keyring that is
 * not there (no session bus, no Secret Service, a locked collection the user refuses to
 * open) is the same as "not stored": lookups say nothing and return NULL, so a front end
 * simply goes on to its next source. Values are never logged.
 *
 * It lives in its own static library (libroadie_secret_store_dep) so that roadied and the
 * NetworkManager plugin's service, which must not talk to a user's session, do not link
 * libsecret.
 */
#pragma once

#include <stdbool.h>
#include <glib.h>

#include "secret.h"

#define ROADIE_SECRET_SCHEMA_NAME "org.roadie.Secret"

/* Whether this process has a session bus to ask at all (DBUS_SESSION_BUS_ADDRESS, or a socket
 * at $XDG_RUNTIME_DIR/bus); without one nothing is started to look (no dbus-launch). For
 * every keyring user: roadie's own schema here, NetworkManager's in the auth dialog. */
bool roadie_secret_store_session_bus_known(void);

/* The stored value, or NULL when there is none or no keyring is reachable. */
RoadieSecret *roadie_secret_store_lookup(const char *profile, const char *key);
/* Stores (or replaces) one secret under a label a keyring manager shows. Returns false and
 * @error (a sentence) when no keyring is reachable or it refused. */
bool roadie_secret_store_save(const char *profile, const char *key, const RoadieSecret *value,
			      GError **error);
/* Removes one secret; true also when there was none. Returns false and @error when no
 * keyring is reachable or it refused. */
bool roadie_secret_store_clear(const char *profile, const char *key, GError **error);

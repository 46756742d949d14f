/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Agent-owned secrets in the user's keyring, found where NetworkManager's agents (nm-applet
 * and libnma, GNOME Shell, nm-connection-editor) keep them: libsecret schema
 * "org.freedesktop.NetworkManager.Connection", matched without the schema name
 * (SECRET_SCHEMA_DONT_MATCH_NAME: items written by older agents carry another), with
 *
 *   connection-uuid  the connection's UUID
 *   setting-name     "vpn"
 *   setting-key      the secret's name in vpn.secrets ("password")
 *
 * A keyring that is not there (no session bus, no Secret Service, a refused unlock) is the
 * same as "not stored": the lookup returns NULL and the dialog asks. Values are never logged.
 */
#pragma once

#include "secret.h"

/* An AuthPlanLookupFunc: @uuid is the connection's UUID (a const char *). */
RoadieSecret *auth_keyring_lookup(const char *nm_key, void *uuid);

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * NetworkManager's vpn setting as libroadie's profile model takes it: vpn.data and
 * vpn.secrets as string → string tables, and a profile's problem as the GError an NM caller
 * shows. Shared by the core plugin (import, export) and the editors.
 */
#pragma once

#include <NetworkManager.h>

#include "profile.h"

/* vpn.data of @s_vpn (may be NULL: an empty table); free with g_hash_table_unref(). */
GHashTable *roadie_nm_setting_data(NMSettingVpn *s_vpn);
/* vpn.secrets of @s_vpn (may be NULL); the values are wiped when the table goes. */
GHashTable *roadie_nm_setting_secrets(NMSettingVpn *s_vpn);
/* A string → string table whose values are wiped when it goes, for secrets. */
GHashTable *roadie_nm_setting_secrets_new(void);

/* The profile in @connection's vpn setting (validated with ROADIE_CHECK_DEFAULT, the name
 * from connection.id); NULL and @error with the profile model's first problem. */
RoadieProfile *roadie_nm_setting_profile(NMConnection *connection, bool with_secrets,
					 GPtrArray **ret_problems, GError **error);

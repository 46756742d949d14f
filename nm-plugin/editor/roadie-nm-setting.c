/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "roadie-nm-setting.h"
#include "secret.h"

static void nm_setting_wipe_free(gpointer value)
{
	roadie_wipe_str(value);
}

static void nm_setting_copy_item(const char *key, const char *value, gpointer user_data)
{
	g_hash_table_insert(user_data, g_strdup(key), g_strdup(value));
}

GHashTable *roadie_nm_setting_data(NMSettingVpn *s_vpn)
{
	GHashTable *data = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	if (s_vpn)
		nm_setting_vpn_foreach_data_item(s_vpn, nm_setting_copy_item, data);
	return data;
}

GHashTable *roadie_nm_setting_secrets_new(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, nm_setting_wipe_free);
}

GHashTable *roadie_nm_setting_secrets(NMSettingVpn *s_vpn)
{
	GHashTable *secrets = roadie_nm_setting_secrets_new();

	if (s_vpn)
		nm_setting_vpn_foreach_secret(s_vpn, nm_setting_copy_item, secrets);
	return secrets;
}

RoadieProfile *roadie_nm_setting_profile(NMConnection *connection, bool with_secrets,
					 GPtrArray **ret_problems, GError **error)
{
	NMSettingVpn *s_vpn = nm_connection_get_setting_vpn(connection);
	g_autoptr(GHashTable) data = NULL;
	g_autoptr(GHashTable) secrets = NULL;
	g_autoptr(GError) local = NULL;
	RoadieProfile *profile;

	if (!s_vpn) {
		g_set_error_literal(error, NM_CONNECTION_ERROR, NM_CONNECTION_ERROR_MISSING_SETTING,
				    _("the connection has no VPN settings"));
		return NULL;
	}
	data = roadie_nm_setting_data(s_vpn);
	secrets = with_secrets ? roadie_nm_setting_secrets(s_vpn) : NULL;
	profile = roadie_profile_new_from_nm(data, secrets, ROADIE_CHECK_DEFAULT, ret_problems,
					     &local);
	if (!profile) {
		/* the profile model's message, as it is: it names the key and the problem */
		g_set_error_literal(error, NM_CONNECTION_ERROR,
				    NM_CONNECTION_ERROR_INVALID_PROPERTY, local->message);
		return NULL;
	}
	g_free(profile->name);
	profile->name = g_strdup(nm_connection_get_id(connection));
	return profile;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The core VPN editor plugin as NetworkManager's clients use it: loaded from its file with
 * libnm's own loader, then import (a roadie profile with every key away from its default, an
 * NetworkManager-l2tp export, hostile files), export and re-import, the suggested file name.
 * What the plugin produces is compared with what libroadie makes of the same file, so the
 * plugin cannot drift from the profile model.
 *
 * Usage: test-nm-core --tap PATH-TO-libnm-vpn-plugin-roadie.so
 */
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <NetworkManager.h>

#include "config.h"
#include "nm-l2tp-import.h"
#include "profile.h"

#define DATA_DIR ROADIE_SOURCE_DIR "/tests/nm-plugin/editor/data"
#define SERVICE "org.freedesktop.NetworkManager.roadie"

static const char *core_path;

static NMVpnEditorPlugin *load_plugin(void)
{
	g_autoptr(GError) error = NULL;
	NMVpnEditorPlugin *plugin;

	/* as NetworkManager's clients do: the file must belong to us or root */
	plugin = nm_vpn_editor_plugin_load_from_file(core_path, SERVICE, (int)getuid(), NULL,
						     NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(plugin);
	return plugin;
}

static GHashTable *setting_table(NMSettingVpn *s_vpn, bool secrets, bool skip_flags)
{
	GHashTable *table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	guint n = 0;
	g_autofree const char **keys = secrets ? nm_setting_vpn_get_secret_keys(s_vpn, &n)
					       : nm_setting_vpn_get_data_keys(s_vpn, &n);

	for (guint i = 0; i < n; i++) {
		const char *value = secrets ? nm_setting_vpn_get_secret(s_vpn, keys[i])
					    : nm_setting_vpn_get_data_item(s_vpn, keys[i]);

		if (skip_flags && g_str_has_suffix(keys[i], "-flags"))
			continue;
		g_hash_table_insert(table, g_strdup(keys[i]), g_strdup(value));
	}
	return table;
}

static void assert_tables_equal(GHashTable *got, GHashTable *want)
{
	GHashTableIter iter;
	gpointer key, value;

	g_hash_table_iter_init(&iter, want);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		g_test_message("key %s", (const char *)key);
		g_assert_cmpstr(g_hash_table_lookup(got, key), ==, value);
	}
	g_assert_cmpuint(g_hash_table_size(got), ==, g_hash_table_size(want));
}

static NMConnection *import_ok(NMVpnEditorPlugin *plugin, const char *path)
{
	g_autoptr(GError) error = NULL;
	NMConnection *connection = nm_vpn_editor_plugin_import(plugin, path, &error);

	g_assert_no_error(error);
	g_assert_nonnull(connection);
	return connection;
}

static char *import_error(NMVpnEditorPlugin *plugin, const char *path)
{
	g_autoptr(GError) error = NULL;
	NMConnection *connection = nm_vpn_editor_plugin_import(plugin, path, &error);

	g_assert_null(connection);
	g_assert_nonnull(error);
	g_test_message("error: %s", error->message);
	return g_strdup(error->message);
}

static void test_load(void)
{
	g_autoptr(NMVpnEditorPlugin) plugin = load_plugin();
	g_autofree char *name = NULL, *service = NULL, *description = NULL;

	g_object_get(plugin, NM_VPN_EDITOR_PLUGIN_NAME, &name, NM_VPN_EDITOR_PLUGIN_SERVICE,
		     &service, NM_VPN_EDITOR_PLUGIN_DESCRIPTION, &description, NULL);
	g_assert_cmpstr(service, ==, SERVICE);
	g_assert_nonnull(strstr(name, "roadie"));
	g_assert_nonnull(description);
	g_assert_cmpuint(nm_vpn_editor_plugin_get_capabilities(plugin), ==,
			 NM_VPN_EDITOR_PLUGIN_CAPABILITY_IMPORT |
				 NM_VPN_EDITOR_PLUGIN_CAPABILITY_EXPORT);
}

/* Every key away from its default: vpn.data and vpn.secrets are libroadie's conversion of
 * the same file, key for key. */
static void test_import_profile(void)
{
	g_autoptr(NMVpnEditorPlugin) plugin = load_plugin();
	const char *path = DATA_DIR "/full.conf";
	g_autoptr(NMConnection) connection = import_ok(plugin, path);
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieProfile) profile = roadie_profile_load_file(path, ROADIE_CHECK_DEFAULT,
								    NULL, &error);
	g_autoptr(GHashTable) want_data = NULL, want_secrets = NULL;
	g_autoptr(GHashTable) got_data = NULL, got_secrets = NULL;
	NMSettingVpn *s_vpn = nm_connection_get_setting_vpn(connection);
	NMSettingIPConfig *s_ip4 = nm_connection_get_setting_ip4_config(connection);
	NMSettingIPConfig *s_ip6 = nm_connection_get_setting_ip6_config(connection);
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	g_assert_no_error(error);
	g_assert_cmpstr(nm_connection_get_id(connection), ==, "Branch Office");
	g_assert_cmpstr(nm_connection_get_connection_type(connection), ==,
			NM_SETTING_VPN_SETTING_NAME);
	g_assert_cmpuint(strlen(nm_connection_get_uuid(connection)), ==, 36);
	g_assert_nonnull(s_vpn);
	g_assert_cmpstr(nm_setting_vpn_get_service_type(s_vpn), ==, SERVICE);

	want_data = roadie_profile_to_nm_data(profile);
	want_secrets = roadie_profile_to_nm_secrets(profile);
	got_data = setting_table(s_vpn, false, false);
	got_secrets = setting_table(s_vpn, true, false);
	assert_tables_equal(got_data, want_data);
	assert_tables_equal(got_secrets, want_secrets);
	/* the fixture really sets every key that NM carries */
	for (size_t i = 0; i < n; i++) {
		GHashTable *table = keys[i].type == ROADIE_KEY_SECRET ? got_secrets : got_data;

		if (keys[i].nm)
			g_assert_true(g_hash_table_contains(table, keys[i].nm));
	}

	/* default-route=false: NM must not route everything through the VPN either */
	g_assert_true(nm_setting_ip_config_get_never_default(s_ip4));
	g_assert_cmpstr(nm_setting_ip_config_get_method(s_ip6), ==,
			NM_SETTING_IP6_CONFIG_METHOD_AUTO);
	g_assert_true(nm_setting_ip_config_get_never_default(s_ip6));
	g_assert_true(nm_connection_verify(connection, &error));
	g_assert_no_error(error);
}

/* The notes for what roadie does not take over are in the connection, one line each. */
static void test_import_nm_l2tp(void)
{
	g_autoptr(NMVpnEditorPlugin) plugin = load_plugin();
	const char *path = DATA_DIR "/nm-l2tp-export.conf";
	g_autoptr(NMConnection) connection = import_ok(plugin, path);
	g_autofree char *text = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) notes = NULL;
	g_autoptr(RoadieProfile) profile = NULL;
	g_autoptr(GHashTable) want_data = NULL, want_secrets = NULL;
	g_autoptr(GHashTable) got_data = NULL, got_secrets = NULL;
	g_auto(GStrv) lines = NULL;
	NMSettingVpn *s_vpn = nm_connection_get_setting_vpn(connection);
	NMSettingUser *s_user = NM_SETTING_USER(nm_connection_get_setting(connection,
									   NM_TYPE_SETTING_USER));
	gsize len;

	g_assert_true(g_file_get_contents(path, &text, &len, &error));
	profile = roadie_nm_l2tp_import(text, len, &notes, &error);
	g_assert_no_error(error);

	g_assert_cmpstr(nm_connection_get_id(connection), ==, "Head Office");
	g_assert_cmpstr(nm_setting_vpn_get_service_type(s_vpn), ==, SERVICE);
	want_data = roadie_profile_to_nm_data(profile);
	want_secrets = roadie_profile_to_nm_secrets(profile);
	got_data = setting_table(s_vpn, false, false);
	got_secrets = setting_table(s_vpn, true, false);
	assert_tables_equal(got_data, want_data);
	assert_tables_equal(got_secrets, want_secrets);
	g_assert_cmpstr(g_hash_table_lookup(got_secrets, "ipsec-psk"), ==,
			"shared secret of head office");
	g_assert_true(nm_setting_ip_config_get_never_default(
		nm_connection_get_setting_ip4_config(connection)));

	g_assert_nonnull(s_user);
	lines = g_strsplit(nm_setting_user_get_data(s_user, "roadie.import-notes"), "\n", -1);
	g_assert_cmpuint(g_strv_length(lines), ==, notes->len);
	g_assert_cmpuint(notes->len, >=, 3);
	for (guint i = 0; i < notes->len; i++)
		g_assert_cmpstr(lines[i], ==, notes->pdata[i]);
	/* one line for each unsupported setting of the file */
	g_assert_true(g_str_has_prefix(lines[0], "require-mppe=yes: not supported"));
	g_assert_nonnull(g_strstr_len(nm_setting_user_get_data(s_user, "roadie.import-notes"), -1,
				      "domain=HQ: not supported"));
	g_assert_nonnull(g_strstr_len(nm_setting_user_get_data(s_user, "roadie.import-notes"), -1,
				      "nodeflate=yes"));
	/* a profile without unsupported settings gets no notes */
	{
		g_autoptr(NMConnection) plain = import_ok(plugin, DATA_DIR "/full.conf");

		g_assert_null(nm_connection_get_setting(plain, NM_TYPE_SETTING_USER));
	}
}

static char *write_temp(const char *name, const void *data, gssize len)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("roadie-nm-core-XXXXXX", &error);
	char *path;

	g_assert_no_error(error);
	path = g_build_filename(dir, name, NULL);
	g_assert_true(g_file_set_contents(path, data, len, &error));
	g_assert_no_error(error);
	return path;
}

static void remove_temp(const char *path)
{
	g_autofree char *dir = g_path_get_dirname(path);

	g_unlink(path);
	g_rmdir(dir);
}

/* Untrusted files: each refused with the file's name and the model's words, nothing kept. */
static void test_import_hostile(void)
{
	g_autoptr(NMVpnEditorPlugin) plugin = load_plugin();
	static const unsigned char garbage[] = { 0x00, 0xff, 0xfe, 0x5b, 0x76, 0x70, 0x6e, 0x5d,
						 0x0a, 0xc3, 0x28, 0x0a, 0x80, 0x81 };
	g_autofree char *huge = g_malloc(2 * 1024 * 1024);
	g_autofree char *path = NULL;
	g_autofree char *message = NULL;

	message = import_error(plugin, DATA_DIR "/bad-ike.conf");
	g_assert_cmpstr(message, ==,
			"bad-ike.conf:5: ipsec.ike: unknown DH group 'modp999' in "
			"'aes128-sha1-modp999'");
	g_clear_pointer(&message, g_free);

	path = write_temp("garbage.conf", garbage, sizeof(garbage));
	message = import_error(plugin, path);
	g_assert_cmpstr(message, ==, "garbage.conf: file: line 1: a NUL byte at column 1");
	remove_temp(path);
	g_clear_pointer(&path, g_free);
	g_clear_pointer(&message, g_free);

	path = write_temp("latin1.conf", "[connection]\ngateway=caf\xe9\n[ppp]\nuser=a\n", -1);
	message = import_error(plugin, path);
	g_assert_true(g_str_has_prefix(message, "latin1.conf: "));
	g_assert_nonnull(strstr(message, "UTF-8"));
	remove_temp(path);
	g_clear_pointer(&path, g_free);
	g_clear_pointer(&message, g_free);

	/* the [vpn] line makes it an NM-l2tp export: the importer's own words */
	path = write_temp("garbage-vpn.conf", "[vpn]\n\xff\xfe\n", -1);
	message = import_error(plugin, path);
	g_assert_cmpstr(message, ==, "garbage-vpn.conf: line 2: not valid UTF-8");
	remove_temp(path);
	g_clear_pointer(&path, g_free);
	g_clear_pointer(&message, g_free);

	memset(huge, '#', 2 * 1024 * 1024);
	path = write_temp("huge.conf", huge, 2 * 1024 * 1024);
	message = import_error(plugin, path);
	g_assert_nonnull(strstr(message, "huge.conf is too large"));
	remove_temp(path);
	g_clear_pointer(&path, g_free);
	g_clear_pointer(&message, g_free);

	/* over the model's 64 KiB, under the plugin's read cap: the model's message */
	path = write_temp("big.conf", huge, 100 * 1024);
	message = import_error(plugin, path);
	g_assert_nonnull(strstr(message, "big.conf: "));
	g_assert_nonnull(strstr(message, "a profile is at most 65536 bytes"));
	remove_temp(path);
	g_clear_pointer(&path, g_free);
	g_clear_pointer(&message, g_free);

	path = write_temp("empty.conf", "", 0);
	message = import_error(plugin, path);
	g_assert_nonnull(strstr(message, "empty.conf: connection.gateway"));
	remove_temp(path);
	g_clear_pointer(&message, g_free);

	message = import_error(plugin, DATA_DIR);
	g_assert_nonnull(strstr(message, "not a regular file"));
	g_clear_pointer(&message, g_free);

	message = import_error(plugin, DATA_DIR "/does-not-exist.conf");
	g_assert_nonnull(strstr(message, "does-not-exist.conf"));
	g_assert_nonnull(strstr(message, "No such file"));
}

/* Export writes no secrets; importing the export gives the same profile and vpn.data. */
static void test_export_roundtrip(void)
{
	g_autoptr(NMVpnEditorPlugin) plugin = load_plugin();
	g_autoptr(NMConnection) first = import_ok(plugin, DATA_DIR "/full.conf");
	g_autoptr(NMConnection) second = NULL;
	g_autoptr(RoadieProfile) original = NULL, exported = NULL;
	g_autoptr(GHashTable) data1 = NULL, data2 = NULL, secrets2 = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *path = write_temp("x.conf", "", 0);
	g_autofree char *text = NULL;
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	g_assert_true(nm_vpn_editor_plugin_export(plugin, path, first, &error));
	g_assert_no_error(error);
	g_assert_true(g_file_get_contents(path, &text, NULL, &error));
	g_assert_null(strstr(text, "pa55 word"));
	g_assert_null(strstr(text, "key pass phrase"));

	original = roadie_profile_load_file(DATA_DIR "/full.conf", 0, NULL, &error);
	g_assert_no_error(error);
	for (size_t i = 0; i < n; i++) /* the secrets stay with NetworkManager */
		if (keys[i].type == ROADIE_KEY_SECRET) {
			RoadieSecret **field = (RoadieSecret **)((char *)original + keys[i].offset);

			*field = roadie_secret_free(*field);
		}
	exported = roadie_profile_load_file(path, 0, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(exported->name, ==, "Branch Office");
	g_assert_true(roadie_profile_equal(exported, original));

	second = import_ok(plugin, path);
	data1 = setting_table(nm_connection_get_setting_vpn(first), false, false);
	data2 = setting_table(nm_connection_get_setting_vpn(second), false, false);
	secrets2 = setting_table(nm_connection_get_setting_vpn(second), true, false);
	assert_tables_equal(data2, data1);
	g_assert_cmpuint(g_hash_table_size(secrets2), ==, 0);
	g_assert_cmpstr(nm_connection_get_id(second), ==, "Branch Office");
	remove_temp(path);

	/* an invalid connection is refused with the model's message, and nothing is written */
	{
		g_autoptr(NMConnection) bad = nm_simple_connection_new_clone(first);
		g_autofree char *bad_path = write_temp("bad.conf", "", 0);

		nm_setting_vpn_add_data_item(nm_connection_get_setting_vpn(bad), "mtu", "99999");
		g_assert_false(nm_vpn_editor_plugin_export(plugin, bad_path, bad, &error));
		g_assert_nonnull(error);
		g_assert_nonnull(strstr(error->message, "ppp.mtu"));
		g_clear_error(&error);
		remove_temp(bad_path);
	}
}

static NMConnection *named_connection(const char *id)
{
	NMConnection *connection = nm_simple_connection_new();
	NMSetting *s_con = nm_setting_connection_new();

	g_object_set(s_con, NM_SETTING_CONNECTION_ID, id, NULL);
	nm_connection_add_setting(connection, s_con);
	return connection;
}

static void test_suggested_filename(void)
{
	static const struct {
		const char *id, *want;
	} cases[] = {
		{ "Office VPN", "Office VPN.conf" },
		{ "../etc/passwd", "_._etc_passwd.conf" },
		{ ".hidden", "_hidden.conf" },
		{ "Büro\n1", "Büro_1.conf" },
		{ "", "roadie.conf" },
	};
	g_autoptr(NMVpnEditorPlugin) plugin = load_plugin();

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(NMConnection) connection = named_connection(cases[i].id);
		g_autofree char *name =
			nm_vpn_editor_plugin_get_suggested_filename(plugin, connection);

		g_assert_cmpstr(name, ==, cases[i].want);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	if (argc < 2) {
		g_printerr("usage: %s [--tap] CORE-PLUGIN.so\n", argv[0]);
		return 2;
	}
	core_path = argv[1];

	g_test_add_func("/nm-plugin/core/load", test_load);
	g_test_add_func("/nm-plugin/core/import/profile", test_import_profile);
	g_test_add_func("/nm-plugin/core/import/nm-l2tp", test_import_nm_l2tp);
	g_test_add_func("/nm-plugin/core/import/hostile", test_import_hostile);
	g_test_add_func("/nm-plugin/core/export/roundtrip", test_export_roundtrip);
	g_test_add_func("/nm-plugin/core/suggested-filename", test_suggested_filename);
	return g_test_run();
}

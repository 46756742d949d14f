/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The editor in a host program, built once against GTK 3 and once against GTK 4: the editor
 * comes from the core plugin's get_editor, as in nm-connection-editor and GNOME Settings, so
 * the core's choice of module is tested with it. Widgets are found by their builder ids (the
 * vpn.data keys), filled as a user would, and what update_connection writes is compared with
 * what libroadie's profile model makes of the same values.
 *
 * Usage: test-nm-editor-gtkN [--tap] CORE-PLUGIN.so [--screenshot DIR]
 * (needs a display: the tests run it under xvfb-run)
 */
#include <dlfcn.h>
#include <string.h>
#include <unistd.h>
#include <gtk/gtk.h>
#include <nma-ui-utils.h>
#include <NetworkManager.h>

#include "config.h"
#include "profile.h"

#include "roadie-editor-gtk.h"
#include "roadie-editor-plugin.h"
#include "roadie-editor.h"

#define DATA_DIR ROADIE_SOURCE_DIR "/tests/nm-plugin/editor/data"
#define CERT_DIR ROADIE_SOURCE_DIR "/tests/unit/data"
#define SERVICE "org.freedesktop.NetworkManager.roadie"
#define GTK_MAJOR (GTK_CHECK_VERSION(4, 0, 0) ? 4 : 3)

static const char *core_path;
static const char *screenshot_dir;

/* ---- host helpers ---- */

static void run_events(unsigned int ms)
{
	gint64 until = g_get_monotonic_time() + (gint64)ms * 1000;

	while (g_get_monotonic_time() < until)
		if (!g_main_context_iteration(NULL, FALSE))
			g_usleep(5000);
}

static NMVpnEditorPlugin *load_plugin(void)
{
	g_autoptr(GError) error = NULL;
	NMVpnEditorPlugin *plugin = nm_vpn_editor_plugin_load_from_file(
		core_path, SERVICE, (int)getuid(), NULL, NULL, &error);

	g_assert_no_error(error);
	return plugin;
}

static NMConnection *new_connection(void)
{
	NMConnection *connection = nm_simple_connection_new();
	NMSetting *s_con = nm_setting_connection_new();
	NMSetting *s_vpn = nm_setting_vpn_new();

	g_object_set(s_con, NM_SETTING_CONNECTION_ID, "Test", NM_SETTING_CONNECTION_TYPE,
		     NM_SETTING_VPN_SETTING_NAME, NULL);
	g_object_set(s_vpn, NM_SETTING_VPN_SERVICE_TYPE, SERVICE, NULL);
	nm_connection_add_setting(connection, s_con);
	nm_connection_add_setting(connection, s_vpn);
	return connection;
}

typedef struct {
	NMVpnEditor *editor;
	GtkWidget *window;
	GtkBuilder *builder;
	unsigned int changed;
} Host;

static void host_changed(NMVpnEditor *editor, Host *host)
{
	host->changed++;
}

/* The editor for @connection in a window of its own, as NM's editors show it. */
static void host_open(Host *host, NMVpnEditorPlugin *plugin, NMConnection *connection)
{
	g_autoptr(GError) error = NULL;
	GtkWidget *widget;

	memset(host, 0, sizeof(*host));
	host->editor = nm_vpn_editor_plugin_get_editor(plugin, connection, &error);
	g_assert_no_error(error);
	g_assert_nonnull(host->editor);
	widget = GTK_WIDGET(nm_vpn_editor_get_widget(host->editor));
	host->builder = g_object_get_data(G_OBJECT(widget), ROADIE_EDITOR_BUILDER_KEY);
	g_assert_true(GTK_IS_BUILDER(host->builder));
	g_signal_connect(host->editor, "changed", G_CALLBACK(host_changed), host);
#if GTK_CHECK_VERSION(4, 0, 0)
	host->window = gtk_window_new();
	gtk_window_set_child(GTK_WINDOW(host->window), widget);
#else
	/* as nm-connection-editor does with the page it gets (page-vpn.c): what the editor hid
	 * must stay hidden */
	gtk_widget_show_all(widget);
	host->window = gtk_window_new(GTK_WINDOW_TOPLEVEL);
	gtk_container_add(GTK_CONTAINER(host->window), widget);
#endif
	gtk_window_set_title(GTK_WINDOW(host->window), "roadie");
	gtk_window_set_default_size(GTK_WINDOW(host->window), 520, -1);
	gtk_window_present(GTK_WINDOW(host->window));
	run_events(50);
}

static void host_close(Host *host)
{
	roadie_gtk_window_destroy(host->window);
	g_clear_object(&host->editor);
	run_events(20);
}

static GtkWidget *w(Host *host, const char *id)
{
	GObject *object = gtk_builder_get_object(host->builder, id);

	if (!object)
		g_error("no widget '%s' in the editor", id);
	return GTK_WIDGET(object);
}

static void set_text(Host *host, const char *id, const char *text)
{
	roadie_gtk_entry_set_text(w(host, id), text);
}

static void set_check(Host *host, const char *id, bool on)
{
	roadie_gtk_check_set_active(w(host, id), on);
}

static void set_spin(Host *host, const char *id, double value)
{
	gtk_spin_button_set_value(GTK_SPIN_BUTTON(w(host, id)), value);
}

static void set_combo(Host *host, const char *id, const char *choice)
{
	g_assert_true(gtk_combo_box_set_active_id(GTK_COMBO_BOX(w(host, id)), choice));
}

static const char *entry_text(Host *host, const char *id)
{
	return roadie_gtk_entry_get_text(w(host, id));
}

/* Only the rows of the authentication method @auth ("psk", "cert") are shown, with the
 * rows that apply to both. */
static void assert_auth_rows(Host *host, const char *auth)
{
	static const struct {
		const char *id;
		const char *auth; /* NULL: both */
	} rows[] = {
		{ "ipsec-auth", NULL },
		{ "ipsec-psk-label", "psk" },
		{ "ipsec-psk", "psk" },
		{ "ipsec-certificate-label", "cert" },
		{ "ipsec-certificate", "cert" },
		{ "ipsec-certificate-type", "cert" },
		{ "ipsec-certificate-button", "cert" },
		{ "ipsec-private-key-label", "cert" },
		{ "ipsec-private-key", "cert" },
		{ "ipsec-private-key-type", "cert" },
		{ "ipsec-private-key-button", "cert" },
		{ "ipsec-private-key-password-label", "cert" },
		{ "ipsec-private-key-password", "cert" },
		{ "ipsec-ca-certificate-label", "cert" },
		{ "ipsec-ca-certificate", "cert" },
		{ "ipsec-ca-certificate-type", "cert" },
		{ "ipsec-ca-certificate-button", "cert" },
		{ "ipsec-local-id", NULL },
		{ "ipsec-remote-id", NULL },
	};

	g_assert_cmpstr(gtk_combo_box_get_active_id(GTK_COMBO_BOX(w(host, "ipsec-auth"))), ==,
			auth);
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		bool shown = !rows[i].auth || strcmp(rows[i].auth, auth) == 0;

		g_test_message("auth %s: %s", auth, rows[i].id);
		/* is_visible: the widget and every ancestor up to the window */
		g_assert_cmpint(gtk_widget_is_visible(w(host, rows[i].id)), ==, shown);
	}
}

static const char *label_text(Host *host, const char *id)
{
	return gtk_label_get_text(GTK_LABEL(w(host, id)));
}

static bool has_error_class(GtkWidget *widget)
{
#if GTK_CHECK_VERSION(4, 0, 0)
	return gtk_widget_has_css_class(widget, "error");
#else
	return gtk_style_context_has_class(gtk_widget_get_style_context(widget), "error");
#endif
}

static GHashTable *setting_table(NMConnection *connection, bool secrets, bool skip_flags)
{
	NMSettingVpn *s_vpn = nm_connection_get_setting_vpn(connection);
	GHashTable *table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	guint n = 0;
	g_autofree const char **keys = secrets ? nm_setting_vpn_get_secret_keys(s_vpn, &n)
					       : nm_setting_vpn_get_data_keys(s_vpn, &n);

	for (guint i = 0; i < n; i++) {
		if (skip_flags && g_str_has_suffix(keys[i], "-flags"))
			continue;
		g_hash_table_insert(table, g_strdup(keys[i]),
				    g_strdup(secrets ? nm_setting_vpn_get_secret(s_vpn, keys[i])
						     : nm_setting_vpn_get_data_item(s_vpn, keys[i])));
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

static GHashTable *text_table(const char *const *pairs)
{
	GHashTable *table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	for (size_t i = 0; pairs[i]; i += 2)
		g_hash_table_insert(table, g_strdup(pairs[i]), g_strdup(pairs[i + 1]));
	return table;
}

/* What the model makes of these values: the canonical vpn.data and vpn.secrets. */
static void model_tables(const char *const *data_pairs, const char *const *secret_pairs,
			 GHashTable **ret_data, GHashTable **ret_secrets)
{
	g_autoptr(GHashTable) data = text_table(data_pairs);
	g_autoptr(GHashTable) secrets = text_table(secret_pairs);
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieProfile) profile =
		roadie_profile_new_from_nm(data, secrets, ROADIE_CHECK_DEFAULT, NULL, &error);

	g_assert_no_error(error);
	*ret_data = roadie_profile_to_nm_data(profile);
	*ret_secrets = roadie_profile_to_nm_secrets(profile);
}

static void assert_update(Host *host, NMConnection *connection)
{
	g_autoptr(GError) error = NULL;

	g_assert_true(nm_vpn_editor_update_connection(host->editor, connection, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(nm_setting_vpn_get_service_type(nm_connection_get_setting_vpn(connection)),
			==, SERVICE);
}

static const char *flags_of(NMConnection *connection, const char *secret)
{
	g_autofree char *key = g_strconcat(secret, "-flags", NULL);

	return nm_setting_vpn_get_data_item(nm_connection_get_setting_vpn(connection), key);
}

/* ---- screenshots ---- */

static void save_png(GtkWidget *window, const char *name)
{
	g_autofree char *path = g_build_filename(screenshot_dir, name, NULL);
	g_autoptr(GError) error = NULL;

	gtk_window_set_focus(GTK_WINDOW(window), NULL); /* no selected text in the picture */
	run_events(400);
	g_assert_true(gtk_widget_get_mapped(window));
#if GTK_CHECK_VERSION(4, 0, 0)
	{
		g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new(window);
		GtkSnapshot *snapshot = gtk_snapshot_new();
		int width = gtk_widget_get_width(window), height = gtk_widget_get_height(window);
		g_autoptr(GskRenderNode) node = NULL;
		g_autoptr(GdkTexture) texture = NULL;
		GskRenderer *renderer = gtk_native_get_renderer(gtk_widget_get_native(window));

		gdk_paintable_snapshot(paintable, snapshot, width, height);
		node = gtk_snapshot_free_to_node(snapshot);
		g_assert_nonnull(node);
		texture = gsk_renderer_render_texture(renderer, node,
						      &GRAPHENE_RECT_INIT(0, 0, width, height));
		g_assert_true(gdk_texture_save_to_png(texture, path));
	}
#else
	{
		GdkWindow *gdk_window = gtk_widget_get_window(window);
		g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_get_from_window(
			gdk_window, 0, 0, gdk_window_get_width(gdk_window),
			gdk_window_get_height(gdk_window));

		g_assert_nonnull(pixbuf);
		g_assert_true(gdk_pixbuf_save(pixbuf, path, "png", &error, NULL));
		g_assert_no_error(error);
	}
#endif
	g_test_message("wrote %s", path);
}

/* ---- tests ---- */

/* The core loaded this GTK's module, not the other one. */
static void test_module(void)
{
	g_autoptr(NMVpnEditorPlugin) plugin = load_plugin();
	g_autoptr(NMConnection) connection = new_connection();
	g_autofree char *dir = g_path_get_dirname(core_path);
	g_autofree char *mine = g_build_filename(dir, GTK_MAJOR == 4 ? ROADIE_EDITOR_GTK4_MODULE
								       : ROADIE_EDITOR_GTK3_MODULE,
						 NULL);
	g_autofree char *other = g_build_filename(dir, GTK_MAJOR == 4 ? ROADIE_EDITOR_GTK3_MODULE
									: ROADIE_EDITOR_GTK4_MODULE,
						  NULL);
	void *handle;
	Host host;

	host_open(&host, plugin, connection);
	handle = dlopen(mine, RTLD_LAZY | RTLD_NOLOAD);
	g_assert_nonnull(handle);
	dlclose(handle);
	g_assert_null(dlopen(other, RTLD_LAZY | RTLD_NOLOAD));
	host_close(&host);
}

/* Every field filled as a user would; what update_connection writes is the model's canonical
 * form of those values, with the storage chosen for each secret. */
static void test_fill(void)
{
	static const char *const psk_data[] = { "gateway", "vpn.example.org", "user", "dave",
						NULL };
	static const char *const psk_secrets[] = { "password", "pw 1", "ipsec-psk", "psk value",
						   NULL };
	static const char *const cert_data[] = {
		"gateway", "vpn.example.org", "user", "dave",
		"ipsec-auth", "cert",
		"ipsec-certificate", CERT_DIR "/client.pem",
		"ipsec-private-key", CERT_DIR "/client.key.der",
		"ipsec-ca-certificate", CERT_DIR "/ca.pem",
		"ipsec-local-id", "fqdn:laptop.example.org",
		"ipsec-remote-id", "fqdn:vpn.example.org",
		"ipsec-ike", "aes256-sha256-modp2048,aes128-sha1-modp1024",
		"ipsec-esp", "aes256-sha1",
		"ipsec-pfs", "modp2048",
		"ipsec-ike-lifetime", "3h",
		"ipsec-sa-lifetime", "30m",
		"ipsec-sa-lifetime-kilobytes", "2048",
		"ipsec-force-encapsulation", "yes",
		"ipsec-fragmentation", "no",
		"ipsec-dpd-interval", "60",
		"ipsec-dpd-timeout", "300",
		"l2tp-source-port", "ephemeral",
		"ppp-auth", "mschap-v2,eap-md5",
		"mtu", "1300",
		"mru", "1310",
		"lcp-echo-interval", "10",
		"lcp-echo-failures", "7",
		"ipv6", "yes",
		NULL,
	};
	g_autoptr(NMVpnEditorPlugin) plugin = load_plugin();
	g_autoptr(NMConnection) connection = new_connection();
	g_autoptr(GHashTable) want_data = NULL, want_secrets = NULL;
	g_autoptr(GHashTable) got_data = NULL, got_secrets = NULL;
	Host host;

	host_open(&host, plugin, connection);
	/* a new connection: the fields show the defaults, from the key table */
	g_assert_cmpstr(roadie_gtk_entry_get_text(w(&host, "ipsec-ike")), ==,
			roadie_profile_key_by_nm("ipsec-ike")->default_text);
	assert_auth_rows(&host, "psk");

	set_text(&host, "gateway", "vpn.example.org");
	g_assert_cmpuint(host.changed, >, 0);
	set_text(&host, "user", "dave");
	set_text(&host, "password", "pw 1");
	nma_utils_update_password_storage(w(&host, "password"), NM_SETTING_SECRET_FLAG_AGENT_OWNED,
					  NULL, NULL);
	set_text(&host, "ipsec-psk", "psk value");
	nma_utils_update_password_storage(w(&host, "ipsec-psk"), NM_SETTING_SECRET_FLAG_NONE, NULL,
					  NULL);
	assert_update(&host, connection);
	model_tables(psk_data, psk_secrets, &want_data, &want_secrets);
	got_data = setting_table(connection, false, true);
	got_secrets = setting_table(connection, true, false);
	assert_tables_equal(got_data, want_data);
	assert_tables_equal(got_secrets, want_secrets);
	g_assert_cmpstr(flags_of(connection, "password"), ==, "1");
	g_assert_cmpstr(flags_of(connection, "ipsec-psk"), ==, "0");
	g_clear_pointer(&want_data, g_hash_table_unref);
	g_clear_pointer(&want_secrets, g_hash_table_unref);
	g_clear_pointer(&got_data, g_hash_table_unref);
	g_clear_pointer(&got_secrets, g_hash_table_unref);

	/* certificate authentication: the files' formats are shown as they are chosen */
	set_combo(&host, "ipsec-auth", "cert");
	assert_auth_rows(&host, "cert");
	set_text(&host, "ipsec-certificate", CERT_DIR "/client.p12");
	g_assert_cmpstr(label_text(&host, "ipsec-certificate-type"), ==, "PKCS#12");
	set_text(&host, "ipsec-certificate", CERT_DIR "/client.der");
	g_assert_cmpstr(label_text(&host, "ipsec-certificate-type"), ==, "DER");
	set_text(&host, "ipsec-certificate", CERT_DIR "/garbage.bin");
	g_assert_cmpstr(label_text(&host, "ipsec-certificate-type"), ==, "unknown");
	set_text(&host, "ipsec-certificate", CERT_DIR "/missing.pem");
	g_assert_cmpstr(label_text(&host, "ipsec-certificate-type"), ==, "not found");
	set_text(&host, "ipsec-certificate", CERT_DIR "/client.pem");
	g_assert_cmpstr(label_text(&host, "ipsec-certificate-type"), ==, "PEM");
	set_text(&host, "ipsec-private-key", CERT_DIR "/client.key.der");
	g_assert_cmpstr(label_text(&host, "ipsec-private-key-type"), ==, "DER");
	set_text(&host, "ipsec-private-key-password", "key password");
	nma_utils_update_password_storage(w(&host, "ipsec-private-key-password"),
					  NM_SETTING_SECRET_FLAG_NOT_SAVED, NULL, NULL);
	set_text(&host, "ipsec-ca-certificate", CERT_DIR "/ca.pem");
	g_assert_cmpstr(label_text(&host, "ipsec-ca-certificate-type"), ==, "PEM");
	set_text(&host, "ipsec-local-id", "fqdn:laptop.example.org");
	set_text(&host, "ipsec-remote-id", "fqdn:vpn.example.org");

	/* the advanced fields */
	set_text(&host, "ipsec-ike", "aes256-sha256-modp2048,aes128-sha1-modp1024");
	set_text(&host, "ipsec-esp", "aes256-sha1");
	set_text(&host, "ipsec-pfs", "modp2048");
	set_text(&host, "ipsec-ike-lifetime", "3h");
	set_text(&host, "ipsec-sa-lifetime", "30m");
	set_spin(&host, "ipsec-sa-lifetime-kilobytes", 2048);
	set_check(&host, "ipsec-force-encapsulation", true);
	set_check(&host, "ipsec-fragmentation", false);
	set_text(&host, "ipsec-dpd-interval", "60");
	set_text(&host, "ipsec-dpd-timeout", "300");
	set_combo(&host, "l2tp-source-port", "ephemeral");
	set_check(&host, "ppp-auth-pap", false);
	set_check(&host, "ppp-auth-chap", false);
	set_check(&host, "ppp-auth-mschap", false);
	set_check(&host, "ppp-auth-mschap-v2", true);
	set_check(&host, "ppp-auth-eap-md5", true);
	set_spin(&host, "mtu", 1300);
	set_spin(&host, "mru", 1310);
	set_text(&host, "lcp-echo-interval", "10");
	set_spin(&host, "lcp-echo-failures", 7);
	set_check(&host, "ipv6", true);

	assert_update(&host, connection);
	/* "ask every time": the key password is not kept; the hidden PSK stays */
	model_tables(cert_data, psk_secrets, &want_data, &want_secrets);
	got_data = setting_table(connection, false, true);
	got_secrets = setting_table(connection, true, false);
	assert_tables_equal(got_data, want_data);
	assert_tables_equal(got_secrets, want_secrets);
	g_assert_cmpstr(g_hash_table_lookup(got_data, "ipsec-ike-lifetime"), ==, "3h");
	g_assert_cmpstr(g_hash_table_lookup(got_data, "ppp-auth"), ==, "mschap-v2,eap-md5");
	g_assert_cmpstr(flags_of(connection, "ipsec-private-key-password"), ==, "2");
	g_assert_cmpstr(flags_of(connection, "password"), ==, "1");

	if (screenshot_dir) {
		GtkWidget *dialog;
		g_autofree char *main_png = g_strdup_printf("nm-editor-gtk%d.png", GTK_MAJOR);
		g_autofree char *advanced_png =
			g_strdup_printf("nm-editor-gtk%d-advanced.png", GTK_MAJOR);

		set_check(&host, "show-passwords", true);
		save_png(host.window, main_png);
		g_signal_emit_by_name(w(&host, "advanced-button"), "clicked");
		dialog = w(&host, "advanced-dialog");
		save_png(dialog, advanced_png);
		gtk_dialog_response(GTK_DIALOG(dialog), GTK_RESPONSE_CLOSE);
		g_assert_false(gtk_widget_get_visible(dialog));
	}
	host_close(&host);
}

/* Switching the method back and forth shows the rows of the chosen one and loses nothing typed
 * into the hidden ones; update_connection writes the model's canonical form of the fields. */
static void test_auth_switch(void)
{
	static const char *const psk_data[] = {
		"gateway", "vpn.example.org", "user", "dave",
		"ipsec-certificate", CERT_DIR "/client.pem",
		"ipsec-private-key", CERT_DIR "/client.key.der",
		"ipsec-local-id", "fqdn:laptop.example.org",
		NULL,
	};
	static const char *const cert_data[] = {
		"gateway", "vpn.example.org", "user", "dave",
		"ipsec-auth", "cert",
		"ipsec-certificate", CERT_DIR "/client.pem",
		"ipsec-private-key", CERT_DIR "/client.key.der",
		"ipsec-local-id", "fqdn:laptop.example.org",
		NULL,
	};
	static const char *const secrets[] = { "ipsec-psk", "psk value",
					       "ipsec-private-key-password", "key password", NULL };
	g_autoptr(NMVpnEditorPlugin) plugin = load_plugin();
	g_autoptr(NMConnection) connection = new_connection();
	Host host;

	host_open(&host, plugin, connection);
	assert_auth_rows(&host, "psk");
	set_text(&host, "gateway", "vpn.example.org");
	set_text(&host, "user", "dave");
	set_text(&host, "ipsec-psk", "psk value");
	set_text(&host, "ipsec-local-id", "fqdn:laptop.example.org");
	set_combo(&host, "ipsec-auth", "cert");
	assert_auth_rows(&host, "cert");
	g_assert_cmpstr(entry_text(&host, "ipsec-psk"), ==, "psk value");
	set_text(&host, "ipsec-certificate", CERT_DIR "/client.pem");
	set_text(&host, "ipsec-private-key", CERT_DIR "/client.key.der");
	set_text(&host, "ipsec-private-key-password", "key password");
	set_combo(&host, "ipsec-auth", "psk");
	assert_auth_rows(&host, "psk");
	g_assert_cmpstr(entry_text(&host, "ipsec-psk"), ==, "psk value");
	g_assert_cmpstr(entry_text(&host, "ipsec-certificate"), ==, CERT_DIR "/client.pem");
	g_assert_cmpstr(entry_text(&host, "ipsec-private-key-password"), ==, "key password");
	g_assert_cmpstr(label_text(&host, "ipsec-certificate-type"), ==, "PEM");
	g_assert_cmpstr(entry_text(&host, "ipsec-local-id"), ==, "fqdn:laptop.example.org");

	for (int round = 0; round < 2; round++) {
		const char *auth = round == 0 ? "psk" : "cert";
		g_autoptr(GHashTable) want_data = NULL, want_secrets = NULL;
		g_autoptr(GHashTable) got_data = NULL, got_secrets = NULL;

		set_combo(&host, "ipsec-auth", auth);
		assert_update(&host, connection);
		model_tables(round == 0 ? psk_data : cert_data, secrets, &want_data,
			     &want_secrets);
		got_data = setting_table(connection, false, true);
		got_secrets = setting_table(connection, true, false);
		assert_tables_equal(got_data, want_data);
		assert_tables_equal(got_secrets, want_secrets);
		g_assert_cmpstr(g_hash_table_lookup(got_data, "ipsec-auth"), ==,
				round == 0 ? NULL : "cert");
	}
	host_close(&host);
}

/* A value the model refuses: update_connection fails with the model's message, shown under
 * the form and in the advanced dialog, the field marked; correcting it clears all that. */
static void test_invalid(void)
{
	static const char *const bad[] = { "gateway", "vpn.example.org", "user", "dave",
					   "ipsec-ike", "aes128-sha1-modp999", NULL };
	g_autoptr(NMVpnEditorPlugin) plugin = load_plugin();
	g_autoptr(NMConnection) connection = new_connection();
	g_autoptr(GHashTable) bad_data = text_table(bad);
	g_autoptr(GError) want = NULL, error = NULL;
	g_autoptr(RoadieProfile) refused = NULL;
	Host host;

	refused = roadie_profile_new_from_nm(bad_data, NULL, ROADIE_CHECK_DEFAULT, NULL, &want);
	g_assert_null(refused);
	g_assert_nonnull(want);

	host_open(&host, plugin, connection);
	g_assert_false(gtk_widget_get_visible(w(&host, "error-label")));
	/* nothing filled yet: the gateway is what is missing */
	g_assert_false(nm_vpn_editor_update_connection(host.editor, connection, &error));
	g_assert_nonnull(strstr(error->message, "connection.gateway"));
	g_assert_true(has_error_class(w(&host, "gateway")));
	g_clear_error(&error);

	set_text(&host, "gateway", "vpn.example.org");
	set_text(&host, "user", "dave");
	set_text(&host, "ipsec-ike", "aes128-sha1-modp999");
	g_assert_false(nm_vpn_editor_update_connection(host.editor, connection, &error));
	g_assert_nonnull(error);
	g_assert_cmpstr(error->message, ==, want->message);
	g_assert_cmpstr(error->message, ==,
			"ipsec.ike: unknown DH group 'modp999' in 'aes128-sha1-modp999'");
	g_assert_true(gtk_widget_get_visible(w(&host, "error-label")));
	g_assert_cmpstr(label_text(&host, "error-label"), ==, want->message);
	g_assert_true(gtk_widget_get_visible(w(&host, "advanced-error-label")));
	g_assert_true(has_error_class(w(&host, "ipsec-ike")));
	g_assert_false(has_error_class(w(&host, "gateway")));
	g_clear_error(&error);

	set_text(&host, "ipsec-ike", "aes128-sha1-modp2048");
	assert_update(&host, connection);
	g_assert_false(gtk_widget_get_visible(w(&host, "error-label")));
	g_assert_false(gtk_widget_get_visible(w(&host, "advanced-error-label")));
	g_assert_false(has_error_class(w(&host, "ipsec-ike")));
	host_close(&host);
}

/* An imported connection with every key away from its default: a fresh editor shows each
 * value, and saving it unchanged writes the same vpn.data and vpn.secrets, including the
 * keys the editor has no field for. */
static void test_roundtrip(void)
{
	g_autoptr(NMVpnEditorPlugin) plugin = load_plugin();
	g_autoptr(GError) error = NULL;
	g_autoptr(NMConnection) original =
		nm_vpn_editor_plugin_import(plugin, DATA_DIR "/full.conf", &error);
	g_autoptr(NMConnection) saved = NULL;
	g_autoptr(GHashTable) data1 = NULL, data2 = NULL, secrets1 = NULL, secrets2 = NULL;
	Host host;

	g_assert_no_error(error);
	host_open(&host, plugin, original);
	g_assert_cmpstr(roadie_gtk_entry_get_text(w(&host, "gateway")), ==,
			"vpn.branch.example.net");
	g_assert_cmpstr(roadie_gtk_entry_get_text(w(&host, "user")), ==, "bob");
	g_assert_cmpstr(roadie_gtk_entry_get_text(w(&host, "password")), ==, "pa55 word");
	g_assert_cmpstr(roadie_gtk_entry_get_text(w(&host, "ipsec-private-key-password")), ==,
			"key pass phrase");
	assert_auth_rows(&host, "cert");
	g_assert_cmpstr(roadie_gtk_entry_get_text(w(&host, "ipsec-certificate")), ==,
			"/etc/roadie/client.p12");
	g_assert_cmpstr(label_text(&host, "ipsec-certificate-type"), ==, "not found");
	g_assert_cmpstr(roadie_gtk_entry_get_text(w(&host, "ipsec-ike")), ==,
			"aes128-sha256-modp3072,aes256-sha1-modp2048!");
	g_assert_cmpstr(roadie_gtk_entry_get_text(w(&host, "ipsec-sa-lifetime")), ==, "20m");
	g_assert_cmpfloat(gtk_spin_button_get_value(GTK_SPIN_BUTTON(
				  w(&host, "ipsec-sa-lifetime-kilobytes"))), ==, 500000);
	g_assert_true(roadie_gtk_check_get_active(w(&host, "ipsec-force-encapsulation")));
	g_assert_false(roadie_gtk_check_get_active(w(&host, "ipsec-fragmentation")));
	g_assert_false(roadie_gtk_check_get_active(w(&host, "ppp-auth-pap")));
	g_assert_true(roadie_gtk_check_get_active(w(&host, "ppp-auth-mschap-v2")));
	g_assert_true(roadie_gtk_check_get_active(w(&host, "ppp-auth-eap-md5")));
	g_assert_cmpfloat(gtk_spin_button_get_value(GTK_SPIN_BUTTON(w(&host, "mtu"))), ==, 1280);
	g_assert_cmpstr(gtk_combo_box_get_active_id(GTK_COMBO_BOX(w(&host, "l2tp-source-port"))),
			==, "ephemeral");
	g_assert_true(roadie_gtk_check_get_active(w(&host, "ipv6")));
	/* no flags in the file: the secrets are kept in the connection (NM's default) */
	g_assert_cmpuint(nma_utils_menu_to_secret_flags(w(&host, "password")), ==,
			 NM_SETTING_SECRET_FLAG_NONE);

	saved = nm_simple_connection_new_clone(original);
	assert_update(&host, saved);
	data1 = setting_table(original, false, true);
	data2 = setting_table(saved, false, true);
	secrets1 = setting_table(original, true, false);
	secrets2 = setting_table(saved, true, false);
	assert_tables_equal(data2, data1);
	assert_tables_equal(secrets2, secrets1);
	host_close(&host);

	/* and what this editor saved, a fresh one shows and saves the same */
	host_open(&host, plugin, saved);
	{
		g_autoptr(NMConnection) again = nm_simple_connection_new_clone(saved);
		g_autoptr(GHashTable) data3 = NULL, secrets3 = NULL;

		assert_update(&host, again);
		data3 = setting_table(again, false, false);
		secrets3 = setting_table(again, true, false);
		g_hash_table_unref(data2);
		data2 = setting_table(saved, false, false);
		assert_tables_equal(data3, data2);
		assert_tables_equal(secrets3, secrets2);
	}
	host_close(&host);
}

int main(int argc, char **argv)
{
	g_autofree char *prefix = g_strdup_printf("/nm-plugin/editor/gtk%d", GTK_MAJOR);
	g_autofree char *p_module = g_strconcat(prefix, "/module", NULL);
	g_autofree char *p_fill = g_strconcat(prefix, "/fill", NULL);
	g_autofree char *p_auth_switch = g_strconcat(prefix, "/auth-switch", NULL);
	g_autofree char *p_invalid = g_strconcat(prefix, "/invalid", NULL);
	g_autofree char *p_roundtrip = g_strconcat(prefix, "/roundtrip", NULL);

	/* a self-contained host: no accessibility bus, portals or session settings */
	g_setenv("GTK_A11Y", "none", TRUE);
	g_setenv("NO_AT_BRIDGE", "1", TRUE);
	g_setenv("GSETTINGS_BACKEND", "memory", TRUE);
	g_setenv("GDK_BACKEND", "x11", TRUE);
	g_setenv("GSK_RENDERER", "cairo", TRUE);
	/* no GL: the same pictures everywhere, and no driver loaded that LSan cannot name */
	g_setenv("GDK_DEBUG", "gl-disable", TRUE);
	g_setenv("GTK_USE_PORTAL", "0", TRUE);
	g_setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/roadie-test-bus", TRUE);

	g_test_init(&argc, &argv, NULL);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--screenshot") == 0 && i + 1 < argc)
			screenshot_dir = argv[++i];
		else
			core_path = argv[i];
	}
	if (!core_path) {
		g_printerr("usage: %s [--tap] CORE-PLUGIN.so [--screenshot DIR]\n", argv[0]);
		return 2;
	}
#if GTK_CHECK_VERSION(4, 0, 0)
	gtk_init();
#else
	gtk_init(&argc, &argv);
#endif

	g_test_add_func(p_module, test_module);
	g_test_add_func(p_fill, test_fill);
	g_test_add_func(p_auth_switch, test_auth_switch);
	g_test_add_func(p_invalid, test_invalid);
	g_test_add_func(p_roundtrip, test_roundtrip);
	return g_test_run();
}

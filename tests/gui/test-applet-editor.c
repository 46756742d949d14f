/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * roadie-applet's profile editor (gui/editor/) under Xvfb: profiles are made, imported,
 * exported and deleted through the windows' own functions, fields filled as a user would, and
 * the result checked against libroadie and the built roadiectl (`profile validate`). The
 * keyring is a table in the test, behind the editor's secret ops seam. Profiles live in a
 * temporary XDG_CONFIG_HOME and ROADIE_SYSCONFDIR.
 *
 * Usage: test-applet-editor [--tap] [--screenshot DIR]   (under xvfb-run)
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "config.h"
#include "nm-l2tp-import.h"
#include "profile.h"
#include "secret.h"

#include "applet-editor.h"
#include "roadie-editor-gtk.h"
#include "x509-fixture.h"

#define NM_EXPORT ROADIE_SOURCE_DIR "/tests/nm-plugin/editor/data/nm-l2tp-export.conf"

static const char *screenshot_dir;
static char *tmp_dir;

/* ---- the keyring stand-in: "profile/key" → value ---- */

static GHashTable *keyring;

static char *keyring_name(const char *profile, const char *key)
{
	return g_strdup_printf("%s/%s", profile, key);
}

static RoadieSecret *keyring_lookup(const char *profile, const char *key)
{
	g_autofree char *name = keyring_name(profile, key);

	return roadie_secret_new(g_hash_table_lookup(keyring, name));
}

static bool keyring_save(const char *profile, const char *key, const RoadieSecret *value,
			 GError **error)
{
	g_hash_table_replace(keyring, keyring_name(profile, key),
			     g_strdup(roadie_secret_peek(value)));
	return true;
}

static bool keyring_clear(const char *profile, const char *key, GError **error)
{
	g_autofree char *name = keyring_name(profile, key);

	g_hash_table_remove(keyring, name);
	return true;
}

static const RoadieAppletSecretOps keyring_ops = {
	.lookup = keyring_lookup,
	.save = keyring_save,
	.clear = keyring_clear,
};

static const char *keyring_get(const char *profile, const char *key)
{
	g_autofree char *name = keyring_name(profile, key);

	return g_hash_table_lookup(keyring, name);
}

/* ---- helpers ---- */

static void run_events(unsigned int ms)
{
	gint64 until = g_get_monotonic_time() + (gint64)ms * 1000;

	while (g_get_monotonic_time() < until)
		if (!g_main_context_iteration(NULL, FALSE))
			g_usleep(5000);
}

static GtkWidget *w(GtkWidget *window, const char *id)
{
	GtkBuilder *builder = g_object_get_data(G_OBJECT(window), ROADIE_APPLET_EDITOR_BUILDER_KEY);
	GObject *object = gtk_builder_get_object(builder, id);

	if (!object)
		g_error("no widget '%s'", id);
	return GTK_WIDGET(object);
}

static void set_text(GtkWidget *window, const char *id, const char *text)
{
	roadie_gtk_entry_set_text(w(window, id), text);
}

static const char *get_text(GtkWidget *window, const char *id)
{
	return roadie_gtk_entry_get_text(w(window, id));
}

static GtkWindow *list_window(void)
{
	GtkWindow *window = roadie_applet_editor_window_new(NULL);

	roadie_applet_editor_window_set_secret_ops(window, &keyring_ops);
	gtk_window_present(window);
	run_events(50);
	return window;
}

static char *user_file(const char *id)
{
	g_autofree char *file = g_strconcat(id, ".conf", NULL);

	return g_build_filename(tmp_dir, "config", "roadie", "profiles", file, NULL);
}

static void assert_validates(const char *path)
{
	const char *argv[] = { ROADIECTL_PATH, "profile", "validate", path, NULL };
	g_autofree char *out = NULL, *err = NULL;
	g_autoptr(GError) error = NULL;
	int status = 0;

	g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
				   &err, &status, &error));
	g_assert_no_error(error);
	if (!g_spawn_check_wait_status(status, NULL))
		g_error("roadiectl profile validate %s: %s%s", path, out, err);
}

static void assert_no_secret_in(const char *path, const char *secret)
{
	g_autofree char *data = NULL;
	struct stat st;

	g_assert_true(g_file_get_contents(path, &data, NULL, NULL));
	g_assert_null(strstr(data, secret));
	g_assert_cmpint(g_stat(path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0600);
}

static void save_png(GtkWidget *window, const char *name)
{
	g_autofree char *path = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GdkPixbuf) pixbuf = NULL;
	GdkWindow *gdk_window;

	if (!screenshot_dir)
		return;
	path = g_build_filename(screenshot_dir, name, NULL);
	gtk_window_set_focus(GTK_WINDOW(window), NULL); /* no selected text in the picture */
	run_events(400);
	gdk_window = gtk_widget_get_window(window);
	pixbuf = gdk_pixbuf_get_from_window(gdk_window, 0, 0, gdk_window_get_width(gdk_window),
					    gdk_window_get_height(gdk_window));
	g_assert_nonnull(pixbuf);
	g_assert_true(gdk_pixbuf_save(pixbuf, path, "png", &error, NULL));
	g_assert_no_error(error);
}

static void write_bytes(const char *path, GBytes *bytes)
{
	g_autoptr(GError) error = NULL;
	gsize len;
	const char *data = g_bytes_get_data(bytes, &len);

	g_assert_true(g_file_set_contents(path, data, (gssize)len, &error));
	g_assert_no_error(error);
}

/* ---- cases ---- */

static void test_psk(void)
{
	GtkWindow *list = list_window();
	GtkWidget *editor = GTK_WIDGET(roadie_applet_editor_window_add(list));
	g_autofree char *path = user_file("office");
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieProfile) profile = NULL;

	g_assert_nonnull(editor);
	g_assert_false(gtk_widget_get_sensitive(w(editor, "save-button"))); /* no name yet */
	set_text(editor, "profile-id", "office");
	set_text(editor, "gateway", "vpn.example.com");
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(w(editor, "ipsec-auth")), "psk");
	set_text(editor, "ipsec-psk", "psk-secret-123");
	set_text(editor, "user", "alice");
	set_text(editor, "password", "pw-secret-456");
	roadie_gtk_check_set_active(w(editor, "default-route"), false);
	set_text(editor, "routes", "10.1.0.0/16, 192.168.50.0/24");
	g_assert_true(gtk_widget_get_sensitive(w(editor, "save-button")));
	g_assert_true(gtk_widget_get_visible(w(editor, "ipsec-psk-remember")));
	g_assert_false(gtk_widget_get_visible(w(editor, "ipsec-private-key-password-remember")));
	save_png(editor, "applet-editor-psk.png");
	if (screenshot_dir) {
		gtk_notebook_set_current_page(GTK_NOTEBOOK(w(editor, "pages")), 1);
		save_png(editor, "applet-editor-advanced.png");
		gtk_notebook_set_current_page(GTK_NOTEBOOK(w(editor, "pages")), 2);
		save_png(editor, "applet-editor-routing.png");
	}

	g_assert_true(roadie_applet_editor_profile_save(editor, &error));
	g_assert_no_error(error);
	assert_no_secret_in(path, "psk-secret-123");
	assert_no_secret_in(path, "pw-secret-456");
	assert_validates(path);
	profile = roadie_profile_load_file(path, ROADIE_CHECK_DEFAULT, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(profile->gateway, ==, "vpn.example.com");
	g_assert_cmpstr(profile->user, ==, "alice");
	g_assert_false(profile->default_route);
	g_assert_cmpstr(profile->routes[1], ==, "192.168.50.0/24");
	g_assert_null(profile->psk);
	/* remembered: in the keyring under roadie's names */
	g_assert_cmpstr(keyring_get("office", "ipsec-psk"), ==, "psk-secret-123");
	g_assert_cmpstr(keyring_get("office", "password"), ==, "pw-secret-456");

	/* the list shows it, selected */
	run_events(50);
	g_assert_cmpstr(roadie_applet_editor_window_selected(list), ==, "office");
	gtk_widget_destroy(editor);
	save_png(GTK_WIDGET(list), "applet-profiles.png");
	gtk_widget_destroy(GTK_WIDGET(list));
	run_events(20);
}

static void test_cert(void)
{
	const X509Fixture *pki = x509_fixture_get();
	g_autofree char *cert = g_build_filename(tmp_dir, "client.pem", NULL);
	g_autofree char *key = g_build_filename(tmp_dir, "client.key", NULL);
	g_autofree char *ca = g_build_filename(tmp_dir, "ca.der", NULL);
	g_autoptr(GBytes) cert_pem = x509_fixture_pem(pki->leaf, NULL);
	g_autoptr(GBytes) key_pem = x509_fixture_key_pem(pki->leaf_key, NULL);
	g_autoptr(GBytes) ca_der = x509_fixture_der(pki->root);
	g_autofree char *path = user_file("cert");
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieProfile) profile = NULL;
	GtkWindow *list;
	GtkWidget *editor;

	write_bytes(cert, cert_pem);
	write_bytes(key, key_pem);
	write_bytes(ca, ca_der);
	list = list_window();
	editor = GTK_WIDGET(roadie_applet_editor_window_add(list));
	set_text(editor, "profile-id", "cert");
	set_text(editor, "gateway", "192.0.2.1");
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(w(editor, "ipsec-auth")), "cert");
	g_assert_false(gtk_widget_get_visible(w(editor, "ipsec-psk")));
	g_assert_true(gtk_widget_get_visible(w(editor, "ipsec-certificate")));
	set_text(editor, "ipsec-certificate", cert);
	set_text(editor, "ipsec-private-key", key);
	set_text(editor, "ipsec-ca-certificate", ca);
	set_text(editor, "user", "bob");
	set_text(editor, "password", "bob-pw-789");
	roadie_gtk_check_set_active(w(editor, "password-remember"), false);
	g_assert_cmpstr(gtk_label_get_text(GTK_LABEL(w(editor, "ipsec-certificate-type"))), ==,
			"PEM");
	g_assert_cmpstr(gtk_label_get_text(GTK_LABEL(w(editor, "ipsec-private-key-type"))), ==,
			"PEM");
	g_assert_cmpstr(gtk_label_get_text(GTK_LABEL(w(editor, "ipsec-ca-certificate-type"))),
			==, "DER");
	save_png(editor, "applet-editor-cert.png");

	g_assert_true(roadie_applet_editor_profile_save(editor, &error));
	g_assert_no_error(error);
	assert_no_secret_in(path, "bob-pw-789");
	assert_validates(path);
	profile = roadie_profile_load_file(path, ROADIE_CHECK_FILES, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpint(profile->ipsec_auth, ==, ROADIE_IPSEC_AUTH_CERT);
	g_assert_cmpstr(profile->certificate, ==, cert);
	/* not remembered: not in the keyring */
	g_assert_null(keyring_get("cert", "password"));
	gtk_widget_destroy(editor);
	gtk_widget_destroy(GTK_WIDGET(list));
	run_events(20);
}

static void test_invalid_proposal(void)
{
	GtkWindow *list = list_window();
	GtkWidget *editor = GTK_WIDGET(roadie_applet_editor_window_add(list));
	GtkWidget *label = w(editor, "error-label");
	g_autofree char *bad_path = user_file("bad");
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieProfile) model = roadie_profile_new();
	g_autoptr(GPtrArray) problems = NULL;

	set_text(editor, "profile-id", "bad");
	set_text(editor, "gateway", "vpn.example.com");
	set_text(editor, "ipsec-psk", "x");
	set_text(editor, "user", "u");
	g_assert_cmpstr(gtk_label_get_text(GTK_LABEL(label)), ==, "");
	g_assert_true(gtk_widget_get_sensitive(w(editor, "save-button")));
	set_text(editor, "ipsec-ike", "aes128-sha1-modp999");
	/* the profile model's own message for the same value */
	model->gateway = g_strdup("vpn.example.com");
	model->user = g_strdup("u");
	g_free(model->ike);
	model->ike = g_strdup("aes128-sha1-modp999");
	problems = roadie_profile_check(model, ROADIE_CHECK_DEFAULT);
	g_assert_cmpuint(problems->len, >, 0);
	g_assert_true(gtk_widget_get_visible(label));
	g_assert_cmpstr(gtk_label_get_text(GTK_LABEL(label)), ==,
			((RoadieProblem *)problems->pdata[0])->message);
	g_assert_true(gtk_widget_get_visible(w(editor, "advanced-error-label")));
	g_assert_false(gtk_widget_get_sensitive(w(editor, "save-button")));
	g_assert_false(roadie_applet_editor_profile_save(editor, &error));
	g_assert_nonnull(error);
	g_assert_false(g_file_test(bad_path, G_FILE_TEST_EXISTS));

	/* fixed: the message goes, Save comes back */
	set_text(editor, "ipsec-ike", "aes128-sha1-modp2048");
	g_assert_false(gtk_widget_get_visible(label));
	g_assert_true(gtk_widget_get_sensitive(w(editor, "save-button")));
	/* a name that cannot be a file name */
	set_text(editor, "profile-id", "../evil");
	g_assert_false(gtk_widget_get_sensitive(w(editor, "save-button")));
	g_assert_true(gtk_widget_get_visible(w(editor, "name-error-label")));
	gtk_widget_destroy(editor);
	gtk_widget_destroy(GTK_WIDGET(list));
	run_events(20);
}

static void test_import_nm(void)
{
	GtkWindow *list = list_window();
	g_autoptr(GError) error = NULL;
	g_autofree char *data = NULL;
	gsize len = 0;
	g_autoptr(RoadieProfile) expected = NULL;
	g_autofree char *path = user_file("nm-l2tp-export");
	GtkWidget *editor;

	g_assert_true(g_file_get_contents(NM_EXPORT, &data, &len, NULL));
	expected = roadie_nm_l2tp_import(data, len, NULL, &error);
	g_assert_no_error(error);
	editor = GTK_WIDGET(roadie_applet_editor_window_import(list, NM_EXPORT, &error));
	g_assert_no_error(error);
	g_assert_nonnull(editor);
	g_assert_cmpstr(get_text(editor, "profile-id"), ==, "nm-l2tp-export");
	g_assert_cmpstr(get_text(editor, "gateway"), ==, expected->gateway);
	g_assert_cmpstr(get_text(editor, "user"), ==, expected->user);
	g_assert_cmpstr(get_text(editor, "ipsec-psk"), ==, roadie_secret_peek(expected->psk));
	g_assert_cmpstr(get_text(editor, "ipsec-ike"), ==, expected->ike);
	/* the importer's notes are shown */
	g_assert_true(gtk_widget_get_visible(w(editor, "import-notes")));
	g_assert_nonnull(strstr(gtk_label_get_text(GTK_LABEL(w(editor, "import-notes"))),
				"require-mppe"));
	g_assert_true(roadie_applet_editor_profile_save(editor, &error));
	g_assert_no_error(error);
	assert_validates(path);
	assert_no_secret_in(path, "shared secret of head office");
	g_assert_cmpstr(keyring_get("nm-l2tp-export", "ipsec-psk"), ==,
			"shared secret of head office");

	/* an unusable file is refused with the reason */
	g_assert_null(roadie_applet_editor_window_import(list, "/nonexistent/x.conf", &error));
	g_assert_nonnull(error);
	gtk_widget_destroy(editor);
	gtk_widget_destroy(GTK_WIDGET(list));
	run_events(20);
}

static void test_export(void)
{
	GtkWindow *list = list_window();
	g_autofree char *out = g_build_filename(tmp_dir, "exported.conf", NULL);
	g_autofree char *source = user_file("office");
	g_autoptr(RoadieProfile) a = NULL, b = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true(roadie_applet_editor_window_export(list, "office", out, &error));
	g_assert_no_error(error);
	a = roadie_profile_load_file(source, ROADIE_CHECK_DEFAULT, NULL, &error);
	g_assert_no_error(error);
	b = roadie_profile_load_file(out, ROADIE_CHECK_DEFAULT, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(roadie_profile_equal(a, b));
	g_assert_false(roadie_applet_editor_window_export(list, "nothing", out, &error));
	gtk_widget_destroy(GTK_WIDGET(list));
	run_events(20);
}

static void test_remember(void)
{
	GtkWindow *list = list_window();
	GtkWidget *editor = GTK_WIDGET(roadie_applet_editor_window_edit(list, "office"));
	g_autoptr(GError) error = NULL;

	g_assert_nonnull(editor);
	/* what the keyring holds is shown, remembered; the name cannot change */
	g_assert_cmpstr(get_text(editor, "ipsec-psk"), ==, "psk-secret-123");
	g_assert_true(roadie_gtk_check_get_active(w(editor, "ipsec-psk-remember")));
	g_assert_false(gtk_widget_get_sensitive(w(editor, "profile-id")));
	roadie_gtk_check_set_active(w(editor, "ipsec-psk-remember"), false);
	set_text(editor, "password", "new-pw");
	g_assert_true(roadie_applet_editor_profile_save(editor, &error));
	g_assert_no_error(error);
	g_assert_null(keyring_get("office", "ipsec-psk"));
	g_assert_cmpstr(keyring_get("office", "password"), ==, "new-pw");
	gtk_widget_destroy(editor);
	gtk_widget_destroy(GTK_WIDGET(list));
	run_events(20);
}

static void test_system_readonly(void)
{
	g_autofree char *dir = g_build_filename(tmp_dir, "etc", "roadie", "profiles", NULL);
	g_autofree char *file = g_build_filename(dir, "corp.conf", NULL);
	GtkWindow *list;

	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	g_assert_true(g_file_set_contents(file, "[connection]\ngateway=corp.example.com\n[ppp]\nuser=carol\n",
					  -1,
					  NULL));
	list = list_window();
	roadie_applet_editor_window_select(list, "corp");
	g_assert_cmpstr(roadie_applet_editor_window_selected(list), ==, "corp");
	g_assert_false(gtk_widget_get_sensitive(w(GTK_WIDGET(list), "edit-button")));
	g_assert_false(gtk_widget_get_sensitive(w(GTK_WIDGET(list), "delete-button")));
	g_assert_true(gtk_widget_get_sensitive(w(GTK_WIDGET(list), "export-button")));
	g_assert_null(roadie_applet_editor_window_edit(list, "corp"));
	g_assert_true(gtk_widget_get_visible(w(GTK_WIDGET(list), "list-message")));
	g_assert_false(roadie_applet_editor_window_delete(list, "corp", NULL));
	g_assert_true(g_file_test(file, G_FILE_TEST_EXISTS));
	gtk_widget_destroy(GTK_WIDGET(list));
	run_events(20);
}

/* Every control has an accessible name, and every field a mnemonic label. */
static void check_accessible(GtkWidget *widget, unsigned int *checked)
{
	if (GTK_IS_CONTAINER(widget) && !GTK_IS_BUTTON(widget) && !GTK_IS_COMBO_BOX(widget)) {
		g_autoptr(GList) children = gtk_container_get_children(GTK_CONTAINER(widget));

		for (GList *l = children; l; l = l->next)
			check_accessible(l->data, checked);
		if (!GTK_IS_LIST_BOX(widget))
			return;
	}
	if (!GTK_IS_ENTRY(widget) && !GTK_IS_BUTTON(widget) && !GTK_IS_COMBO_BOX(widget) &&
	    !GTK_IS_LIST_BOX(widget))
		return;
	if (GTK_IS_ENTRY(widget) || GTK_IS_COMBO_BOX(widget) || GTK_IS_LIST_BOX(widget)) {
		GList *labels = gtk_widget_list_mnemonic_labels(widget);

		if (!labels)
			g_error("%s has no mnemonic label", roadie_gtk_buildable_id(widget));
		g_list_free(labels);
	}
	{
		const char *name = atk_object_get_name(gtk_widget_get_accessible(widget));

		if (!name || !*name)
			g_error("%s (%s) has no accessible name", roadie_gtk_buildable_id(widget),
				G_OBJECT_TYPE_NAME(widget));
	}
	(*checked)++;
}

static void test_accessible(void)
{
	GtkWindow *list = list_window();
	GtkWidget *editor = GTK_WIDGET(roadie_applet_editor_window_add(list));
	unsigned int checked = 0;

	check_accessible(editor, &checked);
	check_accessible(GTK_WIDGET(list), &checked);
	g_assert_cmpuint(checked, >, 40);
	gtk_widget_destroy(editor);
	gtk_widget_destroy(GTK_WIDGET(list));
	run_events(20);
}

static void test_delete(void)
{
	GtkWindow *list = list_window();
	g_autofree char *path = user_file("office");
	g_autoptr(GError) error = NULL;

	g_assert_true(roadie_applet_editor_window_delete(list, "office", &error));
	g_assert_no_error(error);
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
	g_assert_null(keyring_get("office", "password"));
	g_assert_null(roadie_applet_editor_window_edit(list, "office"));
	gtk_widget_destroy(GTK_WIDGET(list));
	run_events(20);
}

/*
 * --lab-profile NAME GATEWAY PSK USER PASSWORD: not a test case but a step of the lab test
 * (tests/gui/test-applet-lab.py): fills a new profile with the lab's values, as the user would,
 * with both secrets remembered, and saves it through the editor into $XDG_CONFIG_HOME, the
 * secrets into the session's real keyring. Exit status 0 once saved.
 */
static int lab_profile(char **v)
{
	GtkWindow *list = roadie_applet_editor_window_new(NULL);
	GtkWidget *editor;
	g_autoptr(GError) error = NULL;

	gtk_window_present(list);
	run_events(50);
	editor = GTK_WIDGET(roadie_applet_editor_window_add(list));
	set_text(editor, "profile-id", v[0]);
	set_text(editor, "gateway", v[1]);
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(w(editor, "ipsec-auth")), "psk");
	set_text(editor, "ipsec-psk", v[2]);
	set_text(editor, "user", v[3]);
	set_text(editor, "password", v[4]);
	roadie_gtk_check_set_active(w(editor, "ipsec-psk-remember"), true);
	roadie_gtk_check_set_active(w(editor, "password-remember"), true);
	run_events(50);
	if (!gtk_widget_get_sensitive(w(editor, "save-button"))) {
		fprintf(stderr, "the editor does not let this profile be saved\n");
		return 1;
	}
	if (!roadie_applet_editor_profile_save(editor, &error)) {
		fprintf(stderr, "the editor did not save: %s\n", error->message);
		return 1;
	}
	gtk_widget_destroy(editor);
	gtk_widget_destroy(GTK_WIDGET(list));
	run_events(20);
	return 0;
}

int main(int argc, char **argv)
{
	g_autofree char *config = NULL, *etc = NULL;
	int status;

	if (argc == 7 && strcmp(argv[1], "--lab-profile") == 0) {
		gtk_init(NULL, NULL);
		return lab_profile(argv + 2);
	}

	g_setenv("NO_AT_BRIDGE", "1", TRUE);
	g_setenv("GSETTINGS_BACKEND", "memory", TRUE);
	g_setenv("GDK_BACKEND", "x11", TRUE);
	g_setenv("GTK_USE_PORTAL", "0", TRUE);
	g_setenv("GTK_THEME", "Adwaita", TRUE);
	g_setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/roadie-test-bus", TRUE);
	tmp_dir = g_dir_make_tmp("roadie-applet-editor-XXXXXX", NULL);
	g_assert_nonnull(tmp_dir);
	config = g_build_filename(tmp_dir, "config", NULL);
	etc = g_build_filename(tmp_dir, "etc", NULL);
	g_setenv("XDG_CONFIG_HOME", config, TRUE);
	g_setenv("ROADIE_SYSCONFDIR", etc, TRUE);
	keyring = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	g_test_init(&argc, &argv, NULL);
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--screenshot") == 0 && i + 1 < argc)
			screenshot_dir = argv[++i];
	gtk_init(&argc, &argv);

	/* in order: later cases use the profiles the first ones saved */
	g_test_add_func("/applet/editor/psk", test_psk);
	g_test_add_func("/applet/editor/cert", test_cert);
	g_test_add_func("/applet/editor/invalid-proposal", test_invalid_proposal);
	g_test_add_func("/applet/editor/import-nm-l2tp", test_import_nm);
	g_test_add_func("/applet/editor/export", test_export);
	g_test_add_func("/applet/editor/remember", test_remember);
	g_test_add_func("/applet/editor/system-read-only", test_system_readonly);
	g_test_add_func("/applet/editor/accessible", test_accessible);
	g_test_add_func("/applet/editor/delete", test_delete);
	status = g_test_run();

	g_hash_table_unref(keyring);
	{
		const char *argv_rm[] = { "rm", "-rf", tmp_dir, NULL };

		g_spawn_sync(NULL, (char **)argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
			     NULL, NULL, NULL);
	}
	g_free(tmp_dir);
	return status;
}

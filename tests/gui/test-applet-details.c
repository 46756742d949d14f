/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * roadie-applet's "Connection details" window (gui/details/) and its words.
 *
 * The window runs on the applet's model against roadied stand-ins on a private dbus-daemon
 * (applet-test-bus.h, shared with test-applet-model.c): roadie-daemon-standin's scripts ok
 * and fail, and a stand-in inside this process (fake_*) that holds one connection with values
 * as the lab gives them (Negotiated, DNS, packet counters) and steps it on the test's command.
 * Widgets are found by their builder ids, as a user's assistive technology would find them by
 * name.
 *
 * Needs a display: meson runs it under xvfb-run.
 * Usage: test-applet-details [--tap] [--screenshot FILE.png]
 */
#include <locale.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <gtk/gtk.h>

#include "roadie-dbus.h"

#include "applet-details.h"
#include "applet-model.h"
#include "applet-words.h"

#include "applet-test-bus.h"

#define WAIT_MS 5000
/* g_format_size() keeps a size and its unit together */
#define NBSP "\u00a0"
#define DAEMON_PATH "/org/roadie/Daemon1"

static const char *screenshot_path;

/* what roadie-daemon-standin's script ok says, in order (tests/unit/cli/roadie-daemon-standin.c) */
static const char *const ok_lines[] = {
	"IKE: Main Mode with 192.0.2.10; NAT: we are behind NAT; floated to 4500",
	"IKE: AES_CBC_256/HMAC_SHA2_256/MODP_2048",
	"ESP: AES_CBC_256/HMAC_SHA1_96, UDP-encapsulated",
	"L2TP: tunnel 1, session 1",
	"PPP: MS-CHAPv2 accepted; 10.8.0.2 peer 10.8.0.1",
	"connected through roadie0",
};

typedef struct {
	AppletTestBus tb; /* the private system bus, the stand-in, the temporary directory */
	char *user_dir, *system_dir;
	RoadieAppletModel *model;
	GtkWindow *details;
	unsigned changed; /* the model's "changed" signals */
	char *duration;   /* "Connected for" as it read */
	bool done;
	bool ok;
	GError *error;
	/* the in-process stand-in */
	GDBusConnection *fake_bus;
	GDBusObjectManagerServer *fake_manager;
	RoadieDaemon1 *fake_daemon;
	RoadieConnection1 *fake_conn;
	guint fake_owner;
	bool fake_named;
} Fixture;

/* ---- widgets ---- */

static void run_events(unsigned ms)
{
	gint64 until = g_get_monotonic_time() + (gint64)ms * 1000;

	while (g_get_monotonic_time() < until)
		if (!g_main_context_iteration(NULL, FALSE))
			g_usleep(2000);
}

typedef struct {
	const char *id;
	GtkWidget *found;
} Search;

static void search_in(GtkWidget *widget, gpointer data)
{
	Search *s = data;
	const char *name = gtk_buildable_get_name(GTK_BUILDABLE(widget));

	if (s->found)
		return;
	if (g_strcmp0(name, s->id) == 0 || strcmp(gtk_widget_get_name(widget), s->id) == 0) {
		s->found = widget;
		return;
	}
	if (GTK_IS_CONTAINER(widget))
		gtk_container_forall(GTK_CONTAINER(widget), search_in, s);
}

/* The widget with builder id (or, for the Negotiated rows, widget name) @id. */
static GtkWidget *find(Fixture *f, const char *id)
{
	Search s = {id, NULL};

	gtk_container_forall(GTK_CONTAINER(f->details), search_in, &s);
	if (!s.found)
		g_error("no widget %s in the details window", id);
	return s.found;
}

static const char *text_of(Fixture *f, const char *id)
{
	return gtk_label_get_text(GTK_LABEL(find(f, id)));
}

static const char *a11y_name(GtkWidget *widget)
{
	return atk_object_get_name(gtk_widget_get_accessible(widget));
}

/* The progress list's lines, in order: a new array of the labels' texts. */
static GPtrArray *progress_rows(Fixture *f)
{
	g_autoptr(GList) rows = gtk_container_get_children(GTK_CONTAINER(find(f, "progress_list")));
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);

	for (GList *l = rows; l; l = l->next) {
		GtkWidget *child = gtk_bin_get_child(GTK_BIN(l->data));

		g_ptr_array_add(lines, g_strdup(gtk_label_get_text(GTK_LABEL(child))));
	}
	return lines;
}

static guint progress_count(Fixture *f)
{
	g_autoptr(GPtrArray) lines = progress_rows(f);

	return lines->len;
}

/* Every value label: selectable and named after its caption, not after what it shows. */
static void assert_values_accessible(Fixture *f)
{
	static const char *const values[] = {
		"state_value", "problem_value", "gateway_value",  "nat_value",  "address_value",
		"peer_value",  "dns_value",     "received_value", "sent_value", "duration_value",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(values); i++) {
		GtkWidget *value = find(f, values[i]);
		g_autofree char *caption_id = g_strndup(values[i], strlen(values[i]) - 5);
		g_autofree char *caption = g_strconcat(caption_id, "caption", NULL);

		g_assert_true(gtk_label_get_selectable(GTK_LABEL(value)));
		g_assert_cmpstr(a11y_name(value), ==, text_of(f, caption));
		g_assert_cmpstr(a11y_name(value), !=, gtk_label_get_text(GTK_LABEL(value)));
	}
	g_assert_cmpstr(a11y_name(find(f, "profile_combo")), ==, "Profile");
	g_assert_true(gtk_label_get_mnemonic_widget(GTK_LABEL(find(f, "profile_caption"))) ==
		      find(f, "profile_combo"));
	g_assert_cmpuint(gtk_label_get_mnemonic_keyval(GTK_LABEL(find(f, "profile_caption"))), !=,
			 GDK_KEY_VoidSymbol);
	g_assert_true(gtk_label_get_mnemonic_widget(GTK_LABEL(find(f, "progress_caption"))) ==
		      find(f, "progress_list"));
	g_assert_cmpstr(a11y_name(find(f, "progress_list")), ==, "Progress of the last attempt");
	g_assert_cmpstr(a11y_name(find(f, "close_button")), ==, "Close");
}

static void save_png(Fixture *f)
{
	GtkWidget *window = GTK_WIDGET(f->details);
	GdkWindow *gdk_window;
	g_autoptr(GdkPixbuf) pixbuf = NULL;
	g_autoptr(GError) error = NULL;

	gtk_window_set_focus(f->details, NULL); /* no selected text in the picture */
	run_events(400);
	g_assert_true(gtk_widget_get_mapped(window));
	gdk_window = gtk_widget_get_window(window);
	pixbuf = gdk_pixbuf_get_from_window(gdk_window, 0, 0, gdk_window_get_width(gdk_window),
					    gdk_window_get_height(gdk_window));
	g_assert_nonnull(pixbuf);
	g_assert_true(gdk_pixbuf_save(pixbuf, screenshot_path, "png", &error, NULL));
	g_assert_no_error(error);
	g_test_message("wrote %s", screenshot_path);
}

/* ---- the fixture: the private bus (applet-test-bus.h), the model, the window ---- */

static void fixture_setup(Fixture *f, gconstpointer data)
{
	applet_test_bus_start(&f->tb, "roadie-details-XXXXXX", false);
	f->user_dir = g_build_filename(f->tb.tmp, "home", "roadie", "profiles", NULL);
	f->system_dir = g_build_filename(f->tb.tmp, "etc", "roadie", "profiles", NULL);
	g_assert_cmpint(g_mkdir_with_parents(f->user_dir, 0700), ==, 0);
	g_assert_cmpint(g_mkdir_with_parents(f->system_dir, 0700), ==, 0);
}

static void fake_stop(Fixture *f)
{
	if (!f->fake_bus)
		return;
	g_bus_unown_name(f->fake_owner);
	g_clear_object(&f->fake_conn);
	g_clear_object(&f->fake_manager);
	g_dbus_interface_skeleton_unexport(G_DBUS_INTERFACE_SKELETON(f->fake_daemon));
	g_clear_object(&f->fake_daemon);
	g_dbus_connection_close_sync(f->fake_bus, NULL, NULL);
	g_clear_object(&f->fake_bus);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
	if (f->details)
		gtk_widget_destroy(GTK_WIDGET(f->details));
	g_clear_object(&f->model);
	fake_stop(f);
	applet_test_bus_stop(&f->tb);
	g_clear_error(&f->error);
	g_free(f->duration);
	g_free(f->user_dir);
	g_free(f->system_dir);
}

static void on_changed(RoadieAppletModel *model, gpointer data)
{
	((Fixture *)data)->changed++;
}

static void fixture_window(Fixture *f)
{
	f->model = roadie_applet_model_new(f->tb.bus, f->user_dir, f->system_dir);
	g_signal_connect(f->model, "changed", G_CALLBACK(on_changed), f);
	f->details = roadie_applet_details_new(NULL, f->model);
	g_assert_nonnull(f->details);
	g_assert_false(gtk_widget_get_visible(GTK_WIDGET(f->details)));
}

static bool is_done(gpointer data)
{
	Fixture *f = data;

	return f->done;
}

static void on_connect_done(GObject *source, GAsyncResult *result, gpointer data)
{
	Fixture *f = data;

	g_clear_error(&f->error);
	f->ok = roadie_applet_model_connect_finish(ROADIE_APPLET_MODEL(source), result, NULL,
						   &f->error);
	f->done = true;
}

static void do_connect(Fixture *f, const char *id)
{
	g_autoptr(GHashTable) secrets = roadie_applet_secrets_new();

	g_hash_table_insert(secrets, g_strdup("password"), roadie_secret_new("pw"));
	f->done = false;
	roadie_applet_model_connect(f->model, id, secrets, NULL, on_connect_done, f);
	g_assert_true(applet_test_bus_wait_until(is_done, f, 30000));
	g_assert_no_error(f->error);
	g_assert_true(f->ok);
}

static const char office_conf[] = "[connection]\nname=Office\ngateway=vpn.example.com\n"
				  "[ipsec]\npsk=psk-in-file\n"
				  "[ppp]\nuser=alice\n";

/* ---- the in-process stand-in: one connection with the lab's values ---- */

static void fake_on_name(GDBusConnection *bus, const char *name, gpointer data)
{
	((Fixture *)data)->fake_named = true;
}

static bool fake_has_name(gpointer data)
{
	Fixture *f = data;

	return f->fake_named;
}

static void fake_start(Fixture *f, const char *profile)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieObjectSkeleton) object = NULL;

	f->fake_bus = applet_test_bus_connect(&f->tb);
	f->fake_manager = g_dbus_object_manager_server_new(DAEMON_PATH);
	f->fake_daemon = roadie_daemon1_skeleton_new();
	roadie_daemon1_set_version(f->fake_daemon, "0.0.0-test");
	g_assert_true(g_dbus_interface_skeleton_export(G_DBUS_INTERFACE_SKELETON(f->fake_daemon),
						       f->fake_bus, DAEMON_PATH, &error));
	g_assert_no_error(error);

	object = roadie_object_skeleton_new(DAEMON_PATH "/Connections/1");
	f->fake_conn = roadie_connection1_skeleton_new();
	roadie_connection1_set_state(f->fake_conn, "resolving");
	roadie_connection1_set_reason(f->fake_conn, g_variant_new("(ss)", "", ""));
	roadie_connection1_set_profile(f->fake_conn, profile);
	roadie_connection1_set_gateway(f->fake_conn, "");
	roadie_connection1_set_nat(f->fake_conn, "");
	roadie_connection1_set_interface(f->fake_conn, "");
	roadie_connection1_set_ip4_config(f->fake_conn, g_variant_new("a{sv}", NULL));
	roadie_connection1_set_ip6_config(f->fake_conn, g_variant_new("a{sv}", NULL));
	roadie_connection1_set_negotiated(f->fake_conn, g_variant_new("a{ss}", NULL));
	roadie_object_skeleton_set_connection1(object, f->fake_conn);
	g_dbus_object_manager_server_export(f->fake_manager, G_DBUS_OBJECT_SKELETON(object));
	g_dbus_object_manager_server_set_connection(f->fake_manager, f->fake_bus);
	roadie_daemon1_set_connections(f->fake_daemon,
				       (const char *const[]){DAEMON_PATH "/Connections/1", NULL});
	f->fake_owner = g_bus_own_name_on_connection(f->fake_bus, "org.roadie.Daemon",
						     G_BUS_NAME_OWNER_FLAGS_NONE, fake_on_name,
						     NULL, f, NULL);
	g_assert_true(applet_test_bus_wait_until(fake_has_name, f, WAIT_MS));
}

static guint fake_lines_wanted;

static bool window_has_lines(gpointer data)
{
	Fixture *f = data;

	return progress_count(f) == fake_lines_wanted;
}

/* The progress list is longer than its view and shows its end: GTK lays the rows out in
 * its own time (slowly under ASan), so the test waits for it rather than for a fixed time. */
static bool list_scrolled_to_end(gpointer data)
{
	Fixture *f = data;
	GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment(
		GTK_SCROLLED_WINDOW(find(f, "progress_scroll")));

	return gtk_adjustment_get_upper(adj) > gtk_adjustment_get_page_size(adj) &&
	       gtk_adjustment_get_value(adj) ==
		       gtk_adjustment_get_upper(adj) - gtk_adjustment_get_page_size(adj);
}

/* One step of the fake connection: @state, then its Progress line, as roadied sends them;
 * waits until the window shows the line. */
static void fake_step(Fixture *f, const char *state, const char *line)
{
	roadie_connection1_set_state(f->fake_conn, state);
	g_dbus_interface_skeleton_flush(G_DBUS_INTERFACE_SKELETON(f->fake_conn));
	roadie_connection1_emit_progress(f->fake_conn, line);
	fake_lines_wanted = progress_count(f) + 1;
	g_assert_true(applet_test_bus_wait_until(window_has_lines, f, WAIT_MS));
}

/* ---- words ---- */

static const char *const dbus_states[] = {
	"resolving",     "ike-phase1",   "ike-phase2",  "l2tp",      "ppp-link",
	"ppp-auth",      "ppp-network",  "configuring", "connected", "reconnecting",
	"disconnecting", "disconnected", "failed",
};

/* Every one of roadied's states has a phrase of its own; new ones read as connecting. */
static void test_words_state(void)
{
	const char *unknown = roadie_applet_words_state("ike-phase3");

	g_assert_cmpstr(unknown, ==, "Connecting…");
	for (size_t i = 0; i < G_N_ELEMENTS(dbus_states); i++) {
		const char *words = roadie_applet_words_state(dbus_states[i]);

		g_assert_nonnull(words);
		g_assert_cmpstr(words, !=, "");
		g_assert_cmpstr(words, !=, unknown);
		g_assert_cmpstr(words, !=, dbus_states[i]);
		for (size_t j = 0; j < i; j++)
			g_assert_cmpstr(words, !=, roadie_applet_words_state(dbus_states[j]));
	}
	g_assert_cmpstr(roadie_applet_words_state("ike-phase1"), ==,
			"Connecting: IPsec (phase 1)…");
	g_assert_cmpstr(roadie_applet_words_state("connected"), ==, "Connected");
	g_assert_cmpstr(roadie_applet_words_state("failed"), ==, "Failed");
	g_assert_cmpstr(roadie_applet_words_state(NULL), ==, "Disconnected");
	g_assert_cmpstr(roadie_applet_words_state(""), ==, "Disconnected");
	g_assert_cmpstr(roadie_applet_words_state("Connected"), ==, unknown); /* exact match only */
}

static void test_words_nat(void)
{
	static const char *const values[] = {"none", "local", "remote", "both"};

	g_assert_cmpstr(roadie_applet_words_nat("local"), ==, "this computer is behind NAT");
	g_assert_cmpstr(roadie_applet_words_nat("remote"), ==, "the gateway is behind NAT");
	g_assert_cmpstr(roadie_applet_words_nat(""), ==, "not known yet");
	g_assert_cmpstr(roadie_applet_words_nat(NULL), ==, "not known yet");
	g_assert_cmpstr(roadie_applet_words_nat("sideways"), ==, "not known yet");
	for (size_t i = 0; i < G_N_ELEMENTS(values); i++) {
		g_assert_cmpstr(roadie_applet_words_nat(values[i]), !=, "not known yet");
		for (size_t j = 0; j < i; j++)
			g_assert_cmpstr(roadie_applet_words_nat(values[i]), !=,
					roadie_applet_words_nat(values[j]));
	}
}

static void test_words_negotiated(void)
{
	static const char *const keys[] = {"ike", "esp", "pfs", "ppp-auth", "l2tp-port"};

	g_assert_cmpstr(roadie_applet_words_negotiated("ike"), ==, "IKE (phase 1)");
	g_assert_cmpstr(roadie_applet_words_negotiated("esp"), ==, "ESP (phase 2)");
	g_assert_cmpstr(roadie_applet_words_negotiated("x-new"), ==, "x-new");
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
		g_assert_cmpstr(roadie_applet_words_negotiated(keys[i]), !=, keys[i]);
}

static void test_words_duration(void)
{
	static const struct {
		guint64 seconds;
		const char *words;
	} cases[] = {
		{0, "0 s"},
		{45, "45 s"},
		{59, "59 s"},
		{60, "1 min 00 s"},
		{303, "5 min 03 s"},
		{3599, "59 min 59 s"},
		{3600, "1 h 00 min"},
		{7500, "2 h 05 min"},
		{86399, "23 h 59 min"},
		{86400, "1 d 0 h"},
		{3 * 86400 + 4 * 3600 + 59, "3 d 4 h"},
		{G_MAXUINT64, "213503982334601 d 7 h"},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *words = roadie_applet_words_duration(cases[i].seconds);

		g_assert_cmpstr(words, ==, cases[i].words);
	}
}

static void test_words_connected_for(void)
{
	gint64 now = G_GINT64_CONSTANT(1700000000) * G_USEC_PER_SEC;
	g_autofree char *never = roadie_applet_words_connected_for(0, now);
	g_autofree char *up = roadie_applet_words_connected_for(
		(guint64)now - G_GUINT64_CONSTANT(7500) * G_USEC_PER_SEC + 1, now);
	g_autofree char *back = roadie_applet_words_connected_for((guint64)now + 5, now);
	g_autofree char *negative = roadie_applet_words_connected_for(5, -1);

	g_assert_cmpstr(never, ==, "");
	g_assert_cmpstr(up, ==, "2 h 04 min"); /* 7499.999999 s: whole seconds, rounded down */
	g_assert_cmpstr(back, ==, "0 s");
	g_assert_cmpstr(negative, ==, "0 s");
}

static void test_words_traffic(void)
{
	g_autofree char *some = roadie_applet_words_traffic(123456, 85);
	g_autofree char *one = roadie_applet_words_traffic(1500, 1);
	g_autofree char *none = roadie_applet_words_traffic(0, 0);
	g_autofree char *huge = roadie_applet_words_traffic(G_MAXUINT64, G_MAXUINT64);

	g_assert_cmpstr(some, ==, "123.5" NBSP "kB (85 packets)");
	g_assert_cmpstr(one, ==, "1.5" NBSP "kB (1 packet)");
	g_assert_cmpstr(none, ==, "0 bytes (0 packets)");
	g_assert_true(g_str_has_suffix(huge, "(18446744073709551615 packets)"));
}

/* ---- the window ---- */

static bool window_connected(gpointer data)
{
	Fixture *f = data;

	return strcmp(text_of(f, "state_value"), "Connected") == 0 &&
	       progress_count(f) == G_N_ELEMENTS(ok_lines);
}

static bool window_ticked(gpointer data)
{
	Fixture *f = data;

	return strcmp(text_of(f, "duration_value"), f->duration) != 0;
}

static bool window_disconnected(gpointer data)
{
	Fixture *f = data;

	return strcmp(text_of(f, "state_value"), "Disconnected") == 0;
}

/* Script ok: what the window shows while connecting and once connected. */
static void test_details_connected(Fixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) lines = NULL;
	GRegex *seconds;
	unsigned changed;

	applet_test_bus_write_file(f->user_dir, "office.conf", office_conf);
	applet_test_bus_standin_start(&f->tb, "ok");
	fixture_window(f);
	roadie_applet_details_show_profile(f->details, NULL);
	g_assert_true(gtk_widget_get_visible(GTK_WIDGET(f->details)));

	/* before: the profile's own values, nothing from roadied */
	g_assert_cmpstr(text_of(f, "title_label"), ==, "Office");
	g_assert_cmpstr(gtk_window_get_title(f->details), ==, "Office — Connection details");
	g_assert_false(gtk_widget_get_visible(find(f, "profile_box")));
	g_assert_cmpstr(text_of(f, "state_value"), ==, "Disconnected");
	g_assert_cmpstr(text_of(f, "gateway_value"), ==, "vpn.example.com");
	g_assert_cmpstr(text_of(f, "address_value"), ==, "—");
	g_assert_cmpstr(text_of(f, "received_value"), ==, "—");
	g_assert_false(gtk_widget_get_visible(find(f, "problem_value")));
	g_assert_true(gtk_widget_get_visible(find(f, "negotiated_none")));
	g_assert_cmpuint(progress_count(f), ==, 0);
	assert_values_accessible(f);

	do_connect(f, "office");
	g_assert_true(applet_test_bus_wait_until(window_connected, f, WAIT_MS));
	g_assert_cmpstr(text_of(f, "gateway_value"), ==, "vpn.example.com");
	g_assert_cmpstr(text_of(f, "nat_value"), ==, "this computer is behind NAT");
	g_assert_cmpstr(text_of(f, "address_value"), ==, "10.8.0.2");
	g_assert_cmpstr(text_of(f, "peer_value"), ==, "10.8.0.1");
	g_assert_cmpstr(text_of(f, "dns_value"), ==, "—");
	g_assert_cmpstr(text_of(f, "received_value"), ==, "123.5" NBSP "kB (0 packets)");
	g_assert_cmpstr(text_of(f, "sent_value"), ==, "7.9" NBSP "kB (0 packets)");
	seconds = g_regex_new("^[0-9]+ s$", 0, 0, NULL);
	g_assert_true(g_regex_match(seconds, text_of(f, "duration_value"), 0, NULL));
	g_regex_unref(seconds);
	g_assert_false(gtk_widget_get_visible(find(f, "problem_value")));
	lines = progress_rows(f);
	g_assert_cmpuint(lines->len, ==, G_N_ELEMENTS(ok_lines));
	for (guint i = 0; i < lines->len; i++)
		g_assert_cmpstr(lines->pdata[i], ==, ok_lines[i]);
	assert_values_accessible(f);

	/* "Connected for" goes on by itself, with nothing new from roadied */
	f->duration = g_strdup(text_of(f, "duration_value"));
	changed = f->changed;
	g_assert_true(applet_test_bus_wait_until(window_ticked, f, 3000));
	g_assert_cmpuint(f->changed, ==, changed);

	/* closing hides; the applet shows it again */
	gtk_button_clicked(GTK_BUTTON(find(f, "close_button")));
	g_assert_false(gtk_widget_get_visible(GTK_WIDGET(f->details)));
	roadie_applet_details_show_profile(f->details, "office");
	g_assert_true(gtk_widget_get_visible(GTK_WIDGET(f->details)));
}

static bool window_failed(gpointer data)
{
	Fixture *f = data;

	return gtk_widget_get_visible(find(f, "problem_value"));
}

static bool office_gone(gpointer data)
{
	Fixture *f = data;

	return !roadie_applet_model_get_profile_connection(f->model, "office");
}

/* Script fail: the state and roadied's sentence, also after roadied removed the object. */
static void test_details_failed(Fixture *f, gconstpointer data)
{
	static const char sentence[] = "The gateway refused the pre-shared key: check it with the "
				       "gateway's administrator.";

	applet_test_bus_write_file(f->user_dir, "office.conf", office_conf);
	applet_test_bus_standin_start(&f->tb, "fail");
	fixture_window(f);
	roadie_applet_details_show_profile(f->details, "office");
	do_connect(f, "office");
	g_assert_true(applet_test_bus_wait_until(window_failed, f, WAIT_MS));
	g_assert_cmpstr(text_of(f, "state_value"), ==, "Failed");
	g_assert_cmpstr(text_of(f, "problem_value"), ==, sentence);
	g_assert_true(gtk_widget_get_visible(find(f, "problem_caption")));
	g_assert_cmpstr(a11y_name(find(f, "problem_value")), ==, "Problem");
	g_assert_cmpuint(progress_count(f), ==, 1);

	/* roadied's object goes; the failure and the lines that led to it stay */
	g_assert_true(applet_test_bus_wait_until(office_gone, f, WAIT_MS));
	run_events(50);
	g_assert_cmpstr(text_of(f, "state_value"), ==, "Failed");
	g_assert_cmpstr(text_of(f, "problem_value"), ==, sentence);
	g_assert_cmpuint(progress_count(f), ==, 1);

	/* the user saw it: the window goes back to disconnected */
	roadie_applet_model_clear_failure(f->model, "office");
	g_assert_true(applet_test_bus_wait_until(window_disconnected, f, WAIT_MS));
	g_assert_false(gtk_widget_get_visible(find(f, "problem_value")));
	g_assert_cmpuint(progress_count(f), ==, 0);
}

/* More than one profile: the combo chooses, and the window follows it. */
static void test_details_profiles(Fixture *f, gconstpointer data)
{
	GtkComboBox *combo;

	applet_test_bus_write_file(f->user_dir, "office.conf", office_conf);
	applet_test_bus_write_file(
		f->system_dir, "branch.conf",
		"[connection]\nname=Branch Office\ngateway=branch.example.com\n[ppp]\nuser=bob\n");
	fixture_window(f);
	roadie_applet_details_show_profile(f->details, NULL);
	combo = GTK_COMBO_BOX(find(f, "profile_combo"));
	g_assert_true(gtk_widget_get_visible(find(f, "profile_box")));
	g_assert_false(gtk_widget_get_visible(find(f, "title_label")));
	/* no connection: the first profile, by id */
	g_assert_cmpstr(gtk_combo_box_get_active_id(combo), ==, "branch");
	g_assert_cmpstr(text_of(f, "gateway_value"), ==, "branch.example.com");
	g_assert_cmpstr(gtk_window_get_title(f->details), ==, "Branch Office — Connection details");

	roadie_applet_details_show_profile(f->details, "office");
	g_assert_cmpstr(gtk_combo_box_get_active_id(combo), ==, "office");
	g_assert_cmpstr(text_of(f, "gateway_value"), ==, "vpn.example.com");

	/* the user's choice */
	gtk_combo_box_set_active_id(combo, "branch");
	g_assert_cmpstr(text_of(f, "gateway_value"), ==, "branch.example.com");
	g_assert_cmpstr(text_of(f, "title_label"), ==, "Branch Office");
	assert_values_accessible(f);
}

static bool window_has_negotiated(gpointer data)
{
	Fixture *f = data;

	return gtk_widget_get_visible(find(f, "negotiated_grid"));
}

static bool window_counts_more(gpointer data)
{
	Fixture *f = data;

	return strcmp(text_of(f, "received_value"), "2.5" NBSP "MB (2100 packets)") == 0;
}

static bool window_lines_restarted(gpointer data)
{
	Fixture *f = data;

	return progress_count(f) == 1;
}

/* A connection with everything roadied reports (lab-like values): Negotiated rows in the
 * order of the connection's layers, DNS and domains, packet counters, the time connected,
 * and a new attempt that starts the list afresh. */
static void test_details_lab_values(Fixture *f, gconstpointer data)
{
	GVariantBuilder ip4, neg;
	GtkAdjustment *adj;
	g_autoptr(GList) rows = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	static const char *const order[] = {"IKE (phase 1)", "ESP (phase 2)",
					    "Perfect forward secrecy", "L2TP port", "PPP sign-in"};

	applet_test_bus_write_file(f->user_dir, "office.conf", office_conf);
	fake_start(f, "Office");
	fixture_window(f);
	roadie_applet_details_show_profile(f->details, NULL);
	g_assert_cmpstr(text_of(f, "title_label"), ==, "Office");

	roadie_connection1_set_gateway(f->fake_conn, "198.51.100.7");
	fake_step(f, "resolving", "vpn.example.com is 198.51.100.7");
	g_assert_cmpstr(text_of(f, "state_value"), ==, "Connecting: looking up the gateway…");
	g_assert_cmpstr(text_of(f, "gateway_value"), ==, "198.51.100.7 (vpn.example.com)");
	roadie_connection1_set_nat(f->fake_conn, "local");
	fake_step(f, "ike-phase1",
		  "IKE: Main Mode with 198.51.100.7; NAT: we are behind NAT; floated to 4500");
	g_assert_cmpstr(text_of(f, "state_value"), ==, "Connecting: IPsec (phase 1)…");
	fake_step(f, "ike-phase2", "IKE: AES_CBC_256/HMAC_SHA2_256/MODP_2048");
	fake_step(f, "l2tp", "ESP: AES_CBC_256/HMAC_SHA1_96, UDP-encapsulated, SPI c1a0f3e2");
	fake_step(f, "ppp-link", "L2TP: tunnel 31244, session 9012 (source port 41822)");
	fake_step(f, "ppp-auth", "PPP: LCP up, MRU 1400");
	fake_step(f, "ppp-network", "PPP: MS-CHAPv2 accepted");

	g_variant_builder_init(&neg, G_VARIANT_TYPE("a{ss}"));
	g_variant_builder_add(&neg, "{ss}", "ppp-auth", "MS-CHAPv2");
	g_variant_builder_add(&neg, "{ss}", "l2tp-port", "41822 (behind NAT)");
	g_variant_builder_add(&neg, "{ss}", "esp", "AES_CBC_256/HMAC_SHA1_96, UDP-encapsulated");
	g_variant_builder_add(&neg, "{ss}", "pfs", "MODP_2048");
	g_variant_builder_add(&neg, "{ss}", "ike", "AES_CBC_256/HMAC_SHA2_256/MODP_2048");
	roadie_connection1_set_negotiated(f->fake_conn, g_variant_builder_end(&neg));
	g_variant_builder_init(&ip4, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&ip4, "{sv}", "address", g_variant_new_string("10.10.0.23"));
	g_variant_builder_add(&ip4, "{sv}", "peer", g_variant_new_string("10.10.0.1"));
	g_variant_builder_add(&ip4, "{sv}", "prefix", g_variant_new_uint32(32));
	g_variant_builder_add(&ip4, "{sv}", "mtu", g_variant_new_uint32(1400));
	g_variant_builder_add(
		&ip4, "{sv}", "dns",
		g_variant_new_strv((const char *const[]){"10.10.0.1", "10.10.0.2"}, 2));
	g_variant_builder_add(&ip4, "{sv}", "domains",
			      g_variant_new_strv((const char *const[]){"corp.example"}, 1));
	roadie_connection1_set_ip4_config(f->fake_conn, g_variant_builder_end(&ip4));
	roadie_connection1_set_interface(f->fake_conn, "roadie0");
	fake_step(f, "configuring", "PPP: IPCP 10.10.0.23 peer 10.10.0.1, DNS 10.10.0.1 10.10.0.2");
	g_assert_true(applet_test_bus_wait_until(window_has_negotiated, f, WAIT_MS));

	roadie_connection1_set_connected_since(
		f->fake_conn, (guint64)(g_get_real_time() -
					G_GINT64_CONSTANT(2 * 3600 + 5 * 60 + 7) * G_USEC_PER_SEC));
	roadie_connection1_set_bytes_in(f->fake_conn, 1843200);
	roadie_connection1_set_bytes_out(f->fake_conn, 296448);
	roadie_connection1_set_packets_in(f->fake_conn, 1580);
	roadie_connection1_set_packets_out(f->fake_conn, 1207);
	fake_step(f, "connected", "connected through roadie0: 10.10.0.23, DNS through resolved");

	g_assert_cmpstr(text_of(f, "state_value"), ==, "Connected");
	g_assert_cmpstr(text_of(f, "address_value"), ==, "10.10.0.23");
	g_assert_cmpstr(text_of(f, "dns_value"), ==, "10.10.0.1, 10.10.0.2 (for corp.example)");
	g_assert_cmpstr(text_of(f, "nat_value"), ==, "this computer is behind NAT");
	g_assert_cmpstr(text_of(f, "received_value"), ==, "1.8" NBSP "MB (1580 packets)");
	g_assert_cmpstr(text_of(f, "sent_value"), ==, "296.4" NBSP "kB (1207 packets)");
	g_assert_cmpstr(text_of(f, "duration_value"), ==, "2 h 05 min");
	g_assert_false(gtk_widget_get_visible(find(f, "negotiated_none")));
	g_assert_cmpstr(text_of(f, "ike"), ==, "AES_CBC_256/HMAC_SHA2_256/MODP_2048");
	g_assert_cmpstr(text_of(f, "ppp-auth"), ==, "MS-CHAPv2");
	g_assert_cmpstr(a11y_name(find(f, "esp")), ==, "ESP (phase 2)");
	g_assert_true(gtk_label_get_selectable(GTK_LABEL(find(f, "l2tp-port"))));
	/* the captions, top to bottom */
	for (size_t i = 0; i < G_N_ELEMENTS(order); i++) {
		GtkWidget *caption =
			gtk_grid_get_child_at(GTK_GRID(find(f, "negotiated_grid")), 0, (int)i);

		g_assert_nonnull(caption);
		g_assert_cmpstr(gtk_label_get_text(GTK_LABEL(caption)), ==, order[i]);
	}
	lines = progress_rows(f);
	g_assert_cmpuint(lines->len, ==, 9);
	g_assert_cmpstr(lines->pdata[0], ==, "vpn.example.com is 198.51.100.7");
	g_assert_cmpstr(lines->pdata[8], ==,
			"connected through roadie0: 10.10.0.23, DNS through resolved");

	if (screenshot_path) {
		gtk_window_resize(f->details, 560, 640);
		save_png(f);
	}

	/* the list follows new lines while it shows its end, and keeps the place of a user who
	 * scrolled up */
	for (int i = 0; i < 20; i++) {
		g_autofree char *line = g_strdup_printf("DPD: R-U-THERE %d answered", i + 1);

		roadie_connection1_emit_progress(f->fake_conn, line);
	}
	fake_lines_wanted = 29;
	g_assert_true(applet_test_bus_wait_until(window_has_lines, f, WAIT_MS));
	applet_test_bus_wait_until(list_scrolled_to_end, f, WAIT_MS);
	adj = gtk_scrolled_window_get_vadjustment(GTK_SCROLLED_WINDOW(find(f, "progress_scroll")));
	g_assert_cmpfloat(gtk_adjustment_get_upper(adj), >, gtk_adjustment_get_page_size(adj));
	g_assert_cmpfloat(gtk_adjustment_get_value(adj), ==,
			  gtk_adjustment_get_upper(adj) - gtk_adjustment_get_page_size(adj));
	gtk_adjustment_set_value(adj, 0);
	roadie_connection1_emit_progress(f->fake_conn, "DPD: R-U-THERE 21 answered");
	fake_lines_wanted = 30;
	g_assert_true(applet_test_bus_wait_until(window_has_lines, f, WAIT_MS));
	run_events(300);
	g_assert_cmpfloat(gtk_adjustment_get_value(adj), ==, 0);

	/* the counters follow */
	roadie_connection1_set_bytes_in(f->fake_conn, 2500000);
	roadie_connection1_set_packets_in(f->fake_conn, 2100);
	g_assert_true(applet_test_bus_wait_until(window_counts_more, f, WAIT_MS));

	/* a new attempt starts the list afresh and drops what the old one negotiated */
	roadie_connection1_set_negotiated(f->fake_conn, g_variant_new("a{ss}", NULL));
	roadie_connection1_set_connected_since(f->fake_conn, 0);
	roadie_connection1_set_state(f->fake_conn, "reconnecting");
	roadie_connection1_set_reason(
		f->fake_conn, g_variant_new("(ss)", "dead-peer", "The gateway stopped answering."));
	g_dbus_interface_skeleton_flush(G_DBUS_INTERFACE_SKELETON(f->fake_conn));
	roadie_connection1_set_state(f->fake_conn, "resolving");
	g_dbus_interface_skeleton_flush(G_DBUS_INTERFACE_SKELETON(f->fake_conn));
	roadie_connection1_emit_progress(f->fake_conn, "vpn.example.com is 198.51.100.7");
	g_assert_true(applet_test_bus_wait_until(window_lines_restarted, f, WAIT_MS));
	g_assert_true(gtk_widget_get_visible(find(f, "negotiated_none")));
	g_assert_cmpstr(text_of(f, "duration_value"), ==, "—");
	rows = gtk_container_get_children(GTK_CONTAINER(find(f, "negotiated_grid")));
	g_assert_null(rows);
}

/* GDBusObjectManagerClient's race on a stand-in's quick exit (test-applet-model.c) */
static gboolean ignore_manager_race(const char *domain, GLogLevelFlags level, const char *message,
				    gpointer data)
{
	return !(message && strstr(message, "Error calling GetManagedObjects() when name owner"));
}

int main(int argc, char **argv)
{
	g_autofree char *nowhere = NULL;

	/* the words are checked in English, with C's number format */
	g_setenv("LC_ALL", "C.UTF-8", TRUE);
	g_unsetenv("LANGUAGE");
	nowhere = g_strdup_printf("unix:path=%s/roadie-no-session-bus-%d", g_get_tmp_dir(),
				  (int)getpid());
	g_setenv("DBUS_SESSION_BUS_ADDRESS", nowhere, TRUE);
	/* no accessibility bus: GTK's accessibles work without one */
	g_setenv("NO_AT_BRIDGE", "1", TRUE);
	g_test_init(&argc, &argv, NULL);
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--screenshot") == 0 && i + 1 < argc)
			screenshot_path = argv[++i];
	gtk_init(&argc, &argv);
	g_test_log_set_fatal_handler(ignore_manager_race, NULL);

	g_test_add_func("/applet/words/state", test_words_state);
	g_test_add_func("/applet/words/nat", test_words_nat);
	g_test_add_func("/applet/words/negotiated", test_words_negotiated);
	g_test_add_func("/applet/words/duration", test_words_duration);
	g_test_add_func("/applet/words/connected-for", test_words_connected_for);
	g_test_add_func("/applet/words/traffic", test_words_traffic);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/applet/details/connected", test_details_connected);
	ADD("/applet/details/failed", test_details_failed);
	ADD("/applet/details/profiles", test_details_profiles);
	ADD("/applet/details/lab-values", test_details_lab_values);
#undef ADD
	return g_test_run();
}

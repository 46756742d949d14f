/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RoadieAppletModel (gui/model/) against roadie-daemon-standin (tests/unit/cli/) on a private
 * dbus-daemon that stands in for the system bus: each test gets its own temporary directory,
 * bus and profile folders. No Secret Service is reachable (DBUS_SESSION_BUS_ADDRESS points
 * at a socket that does not exist), so the keyring has nothing, at once.
 */
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "applet-model.h"

#include "applet-test-bus.h"

#define WAIT_MS 5000

typedef struct {
	AppletTestBus tb; /* the private system bus, the stand-in, the temporary directory */
	char *user_dir, *system_dir;
	RoadieAppletModel *model;
	/* what the model said */
	GPtrArray *states; /* overall states after each "changed", repeats dropped: char * */
	unsigned changed, connected, reconnecting, failed;
	char *connected_profile, *address_seen, *gateway_seen;
	char *failed_code, *failed_text;
	/* the last async answer */
	bool done;
	bool ok;
	char *path;
	GError *error;
} Fixture;

/* ---- helpers ---- */

static char *read_record(Fixture *f)
{
	char *text = NULL;

	if (!g_file_get_contents(f->tb.record, &text, NULL, NULL))
		return g_strdup("");
	return text;
}

static void on_changed(RoadieAppletModel *model, gpointer data)
{
	Fixture *f = data;
	const char *state = roadie_applet_state_to_string(roadie_applet_model_get_state(model));

	f->changed++;
	if (f->states->len == 0 || strcmp(g_ptr_array_index(f->states, f->states->len - 1), state))
		g_ptr_array_add(f->states, g_strdup(state));
}

static void on_connected(RoadieAppletModel *model, const RoadieAppletConnection *c,
			 const char *address, const char *gateway, gpointer data)
{
	Fixture *f = data;

	f->connected++;
	g_free(f->connected_profile);
	g_free(f->address_seen);
	g_free(f->gateway_seen);
	f->connected_profile = g_strdup(c->profile_id);
	f->address_seen = g_strdup(address);
	f->gateway_seen = g_strdup(gateway);
}

static void on_reconnecting(RoadieAppletModel *model, const RoadieAppletConnection *c,
			    const char *code, const char *text, gpointer data)
{
	((Fixture *)data)->reconnecting++;
}

static void on_failed(RoadieAppletModel *model, const RoadieAppletConnection *c,
		      const char *code, const char *text, gpointer data)
{
	Fixture *f = data;

	f->failed++;
	g_free(f->failed_code);
	g_free(f->failed_text);
	f->failed_code = g_strdup(code);
	f->failed_text = g_strdup(text);
}

static void fixture_model(Fixture *f)
{
	f->model = roadie_applet_model_new(f->tb.bus, f->user_dir, f->system_dir);
	g_signal_connect(f->model, "changed", G_CALLBACK(on_changed), f);
	g_signal_connect(f->model, "connected", G_CALLBACK(on_connected), f);
	g_signal_connect(f->model, "reconnecting", G_CALLBACK(on_reconnecting), f);
	g_signal_connect(f->model, "failed", G_CALLBACK(on_failed), f);
}

static void fixture_setup(Fixture *f, gconstpointer data)
{
	/* the private bus, which the model and the stand-in (DBUS_SYSTEM_BUS_ADDRESS) take for
	 * the system bus; its activation directory is ours */
	applet_test_bus_start(&f->tb, "roadie-applet-XXXXXX", true);
	f->user_dir = g_build_filename(f->tb.tmp, "home", "roadie", "profiles", NULL);
	f->system_dir = g_build_filename(f->tb.tmp, "etc", "roadie", "profiles", NULL);
	g_assert_cmpint(g_mkdir_with_parents(f->user_dir, 0700), ==, 0);
	g_assert_cmpint(g_mkdir_with_parents(f->system_dir, 0700), ==, 0);
	f->states = g_ptr_array_new_with_free_func(g_free);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
	g_clear_object(&f->model);
	applet_test_bus_stop(&f->tb);
	g_ptr_array_unref(f->states);
	g_clear_error(&f->error);
	g_free(f->path);
	g_free(f->connected_profile);
	g_free(f->address_seen);
	g_free(f->gateway_seen);
	g_free(f->failed_code);
	g_free(f->failed_text);
	g_free(f->user_dir);
	g_free(f->system_dir);
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
	g_clear_pointer(&f->path, g_free);
	f->ok = roadie_applet_model_connect_finish(ROADIE_APPLET_MODEL(source), result, &f->path,
						   &f->error);
	f->done = true;
}

static void on_disconnect_done(GObject *source, GAsyncResult *result, gpointer data)
{
	Fixture *f = data;

	g_clear_error(&f->error);
	f->ok = roadie_applet_model_disconnect_finish(ROADIE_APPLET_MODEL(source), result,
						      &f->error);
	f->done = true;
}

static void do_connect(Fixture *f, const char *id, GHashTable *secrets)
{
	f->done = false;
	roadie_applet_model_connect(f->model, id, secrets, NULL, on_connect_done, f);
	g_assert_true(applet_test_bus_wait_until(is_done, f, 30000));
}

static void do_disconnect(Fixture *f, const char *id)
{
	f->done = false;
	roadie_applet_model_disconnect(f->model, id, NULL, on_disconnect_done, f);
	g_assert_true(applet_test_bus_wait_until(is_done, f, 30000));
}

static bool daemon_running(gpointer data)
{
	Fixture *f = data;

	return roadie_applet_model_get_daemon(f->model) == ROADIE_APPLET_DAEMON_RUNNING;
}

static bool daemon_not_running(gpointer data)
{
	Fixture *f = data;

	return roadie_applet_model_get_daemon(f->model) == ROADIE_APPLET_DAEMON_NOT_RUNNING;
}

static bool got_connected(gpointer data)
{
	Fixture *f = data;

	return f->connected > 0;
}

static bool got_failed(gpointer data)
{
	Fixture *f = data;

	return f->failed > 0;
}

static bool office_gone(gpointer data)
{
	Fixture *f = data;

	return !roadie_applet_model_get_profile_connection(f->model, "office");
}

/* the stand-in sends each step's Progress line after its State */
static bool office_six_lines(gpointer data)
{
	Fixture *f = data;
	const RoadieAppletConnection *c =
		roadie_applet_model_get_profile_connection(f->model, "office");

	return c && c->progress->len == 6;
}

static bool states_include(Fixture *f, const char *a, const char *b)
{
	for (guint i = 0; i + 1 < f->states->len; i++)
		if (strcmp(f->states->pdata[i], a) == 0) {
			for (guint j = i + 1; j < f->states->len; j++)
				if (strcmp(f->states->pdata[j], b) == 0)
					return true;
		}
	return false;
}

static const char office_conf[] = "[connection]\ngateway=vpn.example.com\n"
				  "[ipsec]\npsk=psk-in-file\n"
				  "[ppp]\nuser=alice\n";

static const RoadieAppletProfile *find_profile(Fixture *f, const char *id)
{
	GPtrArray *list = roadie_applet_model_get_profiles(f->model);

	for (guint i = 0; i < list->len; i++)
		if (strcmp(((RoadieAppletProfile *)list->pdata[i])->id, id) == 0)
			return list->pdata[i];
	return NULL;
}

/* ---- profiles ---- */

/* Both folders: valid and invalid files, a user profile hiding a system one of its name. */
static void test_profiles_list(Fixture *f, gconstpointer data)
{
	GPtrArray *list;
	const RoadieAppletProfile *p;

	applet_test_bus_write_file(f->user_dir, "office.conf", office_conf);
	applet_test_bus_write_file(
		f->user_dir, "broken.conf",
		"[connection]\ngateway=broken.example.com\n[ipsec]\nike=aes128-sha1-modp999\n");
	applet_test_bus_write_file(f->user_dir, "notes.txt", "not a profile\n");
	applet_test_bus_write_file(f->system_dir, "office.conf",
				   "[connection]\ngateway=system.example.com\n[ppp]\nuser=root\n");
	applet_test_bus_write_file(
		f->system_dir, "branch.conf",
		"[connection]\nname=Branch Office\ngateway=branch.example.com\n[ppp]\nuser=bob\n");
	fixture_model(f);

	list = roadie_applet_model_get_profiles(f->model);
	g_assert_cmpuint(list->len, ==, 3);
	p = list->pdata[0];
	g_assert_cmpstr(p->id, ==, "branch");
	g_assert_cmpstr(p->name, ==, "Branch Office");
	g_assert_cmpstr(p->gateway, ==, "branch.example.com");
	g_assert_true(p->system);
	g_assert_null(p->problem);
	p = list->pdata[1];
	g_assert_cmpstr(p->id, ==, "broken");
	g_assert_cmpstr(p->gateway, ==, "broken.example.com");
	g_assert_nonnull(p->problem);
	g_assert_nonnull(strstr(p->problem, "ipsec.ike"));
	g_assert_nonnull(strstr(p->problem, "modp999"));
	p = list->pdata[2];
	g_assert_cmpstr(p->id, ==, "office");
	g_assert_cmpstr(p->gateway, ==, "vpn.example.com");
	g_assert_false(p->system);
	g_assert_null(p->problem);
	g_assert_null(roadie_applet_model_get_profile_connection(f->model, "office"));
}

static bool has_home(gpointer data)
{
	Fixture *f = data;

	return find_profile(f, "home") != NULL;
}

static bool home_gone(gpointer data)
{
	Fixture *f = data;

	return find_profile(f, "home") == NULL;
}

/* The file monitor: a new file appears in the menu, a removed one leaves it. */
static void test_profiles_monitor(Fixture *f, gconstpointer data)
{
	g_autofree char *home = g_build_filename(f->user_dir, "home.conf", NULL);
	unsigned before;

	applet_test_bus_write_file(f->user_dir, "office.conf", office_conf);
	fixture_model(f);
	g_assert_null(find_profile(f, "home"));
	before = f->changed;
	applet_test_bus_write_file(f->user_dir, "home.conf",
				   "[connection]\ngateway=home.example.net\n[ppp]\nuser=alice\n");
	g_assert_true(applet_test_bus_wait_until(has_home, f, WAIT_MS));
	g_assert_cmpuint(f->changed, >, before);
	const RoadieAppletProfile *home_profile = find_profile(f, "home");
	g_assert_nonnull(home_profile);
	g_assert_cmpstr(home_profile ? home_profile->gateway : NULL, ==, "home.example.net");
	g_assert_cmpint(g_unlink(home), ==, 0);
	g_assert_true(applet_test_bus_wait_until(home_gone, f, WAIT_MS));
	g_assert_nonnull(find_profile(f, "office"));
}

/* ---- roadied ---- */

/* roadied absent is a state; its start and its end are seen. */
static void test_daemon_absent_then_present(Fixture *f, gconstpointer data)
{
	fixture_model(f);
	g_assert_true(applet_test_bus_wait_until(daemon_not_running, f, WAIT_MS));
	g_assert_cmpstr(roadie_applet_daemon_to_string(roadie_applet_model_get_daemon(f->model)),
			==, "roadied not running");
	g_assert_cmpint(roadie_applet_model_get_state(f->model), ==,
			ROADIE_APPLET_STATE_DISCONNECTED);
	applet_test_bus_standin_start(&f->tb, "ok");
	g_assert_true(applet_test_bus_wait_until(daemon_running, f, WAIT_MS));
	applet_test_bus_standin_stop(&f->tb);
	g_assert_true(applet_test_bus_wait_until(daemon_not_running, f, WAIT_MS));
}

/* Script ok: connecting, then connected; the signal carries address and gateway; the
 * stand-in received the settings and the secrets (file and supplied); disconnect ends it. */
static void test_connect_ok(Fixture *f, gconstpointer data)
{
	g_autoptr(GHashTable) secrets = roadie_applet_secrets_new();
	g_autofree char *record = NULL;
	g_autofree char *settings_line = NULL;
	const RoadieAppletConnection *c;

	applet_test_bus_write_file(f->user_dir, "office.conf", office_conf);
	applet_test_bus_standin_start(&f->tb, "ok");
	fixture_model(f);
	g_assert_true(applet_test_bus_wait_until(daemon_running, f, WAIT_MS));
	g_hash_table_insert(secrets, g_strdup("password"), roadie_secret_new("typed-password"));
	do_connect(f, "office", secrets);
	g_assert_no_error(f->error);
	g_assert_true(f->ok);
	g_assert_cmpstr(f->path, ==, "/org/roadie/Daemon1/Connections/1");

	g_assert_true(applet_test_bus_wait_until(got_connected, f, WAIT_MS));
	g_assert_cmpuint(f->connected, ==, 1);
	g_assert_cmpstr(f->connected_profile, ==, "office");
	g_assert_cmpstr(f->address_seen, ==, "10.8.0.2");
	g_assert_cmpstr(f->gateway_seen, ==, "vpn.example.com");
	g_assert_cmpint(roadie_applet_model_get_state(f->model), ==, ROADIE_APPLET_STATE_CONNECTED);
	g_assert_true(states_include(f, "connecting", "connected"));

	c = roadie_applet_model_get_profile_connection(f->model, "office");
	g_assert_nonnull(c);
	g_assert_cmpstr(c->state, ==, "connected");
	g_assert_cmpstr(c->profile, ==, "office");
	g_assert_cmpstr(c->interface, ==, "roadie0");
	g_assert_cmpstr(c->nat, ==, "local");
	g_assert_cmpstr(c->peer, ==, "10.8.0.1");
	g_assert_cmpuint(c->bytes_in, ==, 123456);
	g_assert_cmpuint(c->bytes_out, ==, 7890);
	g_assert_cmpuint(c->connected_since, >, 0);
	g_assert_true(applet_test_bus_wait_until(office_six_lines, f, WAIT_MS));
	g_assert_cmpstr(c->progress->pdata[0], ==,
			"IKE: Main Mode with 192.0.2.10; NAT: we are behind NAT; floated to 4500");
	g_assert_cmpstr(c->progress->pdata[5], ==, "connected through roadie0");

	record = read_record(f);
	g_assert_nonnull(strstr(record, "'gateway': <'vpn.example.com'>"));
	g_assert_nonnull(strstr(record, "'name': <'office'>"));
	g_assert_nonnull(strstr(record, "'user': <'alice'>"));
	g_assert_nonnull(strstr(record, "'ipsec-psk': <'psk-in-file'>"));
	g_assert_nonnull(strstr(record, "'password': <'typed-password'>"));
	g_assert_nonnull(strstr(record, "options: {'configure-interface': <true>}"));
	settings_line = g_strndup(strstr(record, "settings:"),
				  strcspn(strstr(record, "settings:"), "\n"));
	g_assert_null(strstr(settings_line, "psk-in-file"));
	g_assert_null(strstr(settings_line, "typed-password"));

	do_disconnect(f, "office");
	g_assert_no_error(f->error);
	g_assert_true(applet_test_bus_wait_until(office_gone, f, WAIT_MS));
	g_clear_pointer(&record, g_free);
	record = read_record(f);
	g_assert_nonnull(strstr(record, "disconnect: objectpath '/org/roadie/Daemon1/Connections/1'"));
	g_assert_cmpint(roadie_applet_model_get_state(f->model), ==,
			ROADIE_APPLET_STATE_DISCONNECTED);
	g_assert_cmpuint(f->failed, ==, 0);
	g_assert_cmpuint(f->reconnecting, ==, 0);

	/* nothing left to end */
	do_disconnect(f, "office");
	g_assert_error(f->error, ROADIE_APPLET_ERROR, ROADIE_APPLET_ERROR_NOT_CONNECTED);
}

/* Script fail: the failed signal with roadied's sentence and code; the icon stays failed
 * after roadied removed the object, until the failure is cleared. */
static void test_connect_fail(Fixture *f, gconstpointer data)
{
	g_autoptr(GHashTable) secrets = roadie_applet_secrets_new();
	const char *code = NULL, *text = NULL;

	applet_test_bus_write_file(f->user_dir, "office.conf", office_conf);
	applet_test_bus_standin_start(&f->tb, "fail");
	fixture_model(f);
	g_hash_table_insert(secrets, g_strdup("password"), roadie_secret_new("pw"));
	do_connect(f, "office", secrets);
	g_assert_no_error(f->error);
	g_assert_true(applet_test_bus_wait_until(got_failed, f, WAIT_MS));
	g_assert_cmpuint(f->failed, ==, 1);
	g_assert_cmpstr(f->failed_code, ==, "psk-rejected");
	g_assert_cmpstr(f->failed_text, ==,
			"The gateway refused the pre-shared key: check it with the gateway's "
			"administrator.");
	g_assert_cmpint(roadie_applet_model_get_state(f->model), ==, ROADIE_APPLET_STATE_FAILED);
	g_assert_true(states_include(f, "connecting", "failed"));
	g_assert_cmpuint(f->connected, ==, 0);

	g_assert_true(applet_test_bus_wait_until(office_gone, f, WAIT_MS));
	g_assert_cmpuint(f->failed, ==, 1); /* told once, not again at removal */
	g_assert_cmpint(roadie_applet_model_get_state(f->model), ==, ROADIE_APPLET_STATE_FAILED);
	g_assert_true(roadie_applet_model_get_failure(f->model, "office", &code, &text));
	g_assert_cmpstr(code, ==, "psk-rejected");
	roadie_applet_model_clear_failure(f->model, "office");
	g_assert_cmpint(roadie_applet_model_get_state(f->model), ==,
			ROADIE_APPLET_STATE_DISCONNECTED);
}

/* A needed password that is in neither the profile nor the (unreachable) keyring:
 * NEEDS_SECRET naming it; supplied, the next call goes through. */
static void test_connect_needs_secret(Fixture *f, gconstpointer data)
{
	g_autoptr(GHashTable) secrets = roadie_applet_secrets_new();
	g_autofree char *record = NULL;
	const char *const *keys;

	applet_test_bus_write_file(f->user_dir, "office.conf", office_conf);
	applet_test_bus_standin_start(&f->tb, "ok");
	fixture_model(f);
	do_connect(f, "office", NULL);
	g_assert_error(f->error, ROADIE_APPLET_ERROR, ROADIE_APPLET_ERROR_NEEDS_SECRET);
	keys = roadie_applet_error_get_secret_keys(f->error);
	g_assert_nonnull(keys);
	g_assert_cmpstr(keys[0], ==, "password");
	g_assert_null(keys[1]);
	g_assert_nonnull(strstr(f->error->message, "the password of alice (password)"));
	g_assert_false(g_file_test(f->tb.record, G_FILE_TEST_EXISTS)); /* nothing was sent */

	g_hash_table_insert(secrets, g_strdup("password"), roadie_secret_new("second-try"));
	do_connect(f, "office", secrets);
	g_assert_no_error(f->error);
	g_assert_true(applet_test_bus_wait_until(got_connected, f, WAIT_MS));
	record = read_record(f);
	g_assert_nonnull(strstr(record, "'password': <'second-try'>"));
}

/* A PSK profile without the PSK names both missing keys. */
static void test_connect_needs_two_secrets(Fixture *f, gconstpointer data)
{
	const char *const *keys;

	applet_test_bus_write_file(f->user_dir, "bare.conf",
				   "[connection]\ngateway=vpn.example.com\n[ppp]\nuser=alice\n");
	fixture_model(f);
	do_connect(f, "bare", NULL);
	g_assert_error(f->error, ROADIE_APPLET_ERROR, ROADIE_APPLET_ERROR_NEEDS_SECRET);
	keys = roadie_applet_error_get_secret_keys(f->error);
	g_assert_nonnull(keys);
	g_assert_true(g_strv_contains(keys, "ipsec-psk"));
	g_assert_true(g_strv_contains(keys, "password"));
}

/* roadied's refusals become our codes with its message, without "GDBus.Error:...". */
static void test_connect_refused(Fixture *f, gconstpointer data)
{
	g_autoptr(GHashTable) secrets = roadie_applet_secrets_new();

	applet_test_bus_write_file(f->user_dir, "office.conf", office_conf);
	g_hash_table_insert(secrets, g_strdup("password"), roadie_secret_new("pw"));
	applet_test_bus_standin_start(&f->tb, "invalid-settings");
	fixture_model(f);
	do_connect(f, "office", secrets);
	g_assert_error(f->error, ROADIE_APPLET_ERROR, ROADIE_APPLET_ERROR_INVALID_SETTINGS);
	g_assert_cmpstr(f->error->message, ==,
			"ipsec.ike: unknown DH group 'modp999' in 'aes128-sha1-modp999'");
	applet_test_bus_standin_start(&f->tb, "not-authorized");
	do_connect(f, "office", secrets);
	g_assert_error(f->error, ROADIE_APPLET_ERROR, ROADIE_APPLET_ERROR_NOT_AUTHORIZED);
	g_assert_cmpstr(f->error->message, ==,
			"You are not allowed to start VPN connections (org.roadie.connect).");
	g_assert_cmpint(roadie_applet_model_get_state(f->model), ==,
			ROADIE_APPLET_STATE_DISCONNECTED);
}

/* roadied not running: Connect starts it through D-Bus activation. */
static void test_connect_activates(Fixture *f, gconstpointer data)
{
	g_autoptr(GHashTable) secrets = roadie_applet_secrets_new();
	g_autofree char *service = g_strdup_printf(
		"[D-BUS Service]\nName=org.roadie.Daemon\nExec=%s --record %s --step-ms 30\n",
		STANDIN_PATH, f->tb.record);

	applet_test_bus_write_file(f->tb.services, "org.roadie.Daemon.service", service);
	applet_test_bus_write_file(f->user_dir, "office.conf", office_conf);
	g_hash_table_insert(secrets, g_strdup("password"), roadie_secret_new("pw"));
	fixture_model(f);
	g_assert_true(applet_test_bus_wait_until(daemon_not_running, f, WAIT_MS));
	do_connect(f, "office", secrets);
	g_assert_no_error(f->error);
	g_assert_true(applet_test_bus_wait_until(got_connected, f, WAIT_MS));
	g_assert_cmpint(roadie_applet_model_get_daemon(f->model), ==, ROADIE_APPLET_DAEMON_RUNNING);
	/* the activated stand-in ends with the bus, at teardown */
}

/* No service file and no roadied: NOT_RUNNING, in words. */
static void test_connect_no_daemon(Fixture *f, gconstpointer data)
{
	g_autoptr(GHashTable) secrets = roadie_applet_secrets_new();

	applet_test_bus_write_file(f->user_dir, "office.conf", office_conf);
	g_hash_table_insert(secrets, g_strdup("password"), roadie_secret_new("pw"));
	fixture_model(f);
	do_connect(f, "office", secrets);
	g_assert_error(f->error, ROADIE_APPLET_ERROR, ROADIE_APPLET_ERROR_NOT_RUNNING);
	g_assert_nonnull(strstr(f->error->message, "roadied is not running"));
}

/* What cannot be sent: no such profile, an invalid one, an unreadable certificate. */
static void test_connect_bad_profiles(Fixture *f, gconstpointer data)
{
	g_autofree char *cert_conf = g_strdup_printf(
		"[connection]\ngateway=vpn.example.com\n[ipsec]\nauth=cert\n"
		"certificate=%s/missing.p12\n[ppp]\nuser=alice\npassword=pw\n",
		f->tb.tmp);

	applet_test_bus_write_file(
		f->user_dir, "broken.conf",
		"[connection]\ngateway=broken.example.com\n[ipsec]\nike=aes128-sha1-modp999\n");
	applet_test_bus_write_file(f->user_dir, "cert.conf", cert_conf);
	fixture_model(f);
	do_connect(f, "nosuch", NULL);
	g_assert_error(f->error, ROADIE_APPLET_ERROR, ROADIE_APPLET_ERROR_NO_PROFILE);
	do_connect(f, "broken", NULL);
	g_assert_error(f->error, ROADIE_APPLET_ERROR, ROADIE_APPLET_ERROR_INVALID_PROFILE);
	g_assert_nonnull(strstr(f->error->message, "modp999"));
	do_connect(f, "cert", NULL);
	g_assert_error(f->error, ROADIE_APPLET_ERROR, ROADIE_APPLET_ERROR_CERTIFICATE);
	g_assert_nonnull(strstr(f->error->message, "missing.p12"));
}

/* ---- the error mapping, without a bus ---- */

static void test_error_from_dbus(void)
{
	static const struct {
		const char *name;
		RoadieAppletError code;
	} cases[] = {
		{"org.roadie.Error.AlreadyConnected", ROADIE_APPLET_ERROR_ALREADY_CONNECTED},
		{"org.roadie.Error.InvalidSecrets", ROADIE_APPLET_ERROR_INVALID_SECRETS},
		{"org.roadie.Error.Failed", ROADIE_APPLET_ERROR_FAILED},
		{"org.roadie.Error.SomethingNew", ROADIE_APPLET_ERROR_FAILED},
		{"org.freedesktop.DBus.Error.ServiceUnknown", ROADIE_APPLET_ERROR_NOT_RUNNING},
		{"org.freedesktop.DBus.Error.AccessDenied", ROADIE_APPLET_ERROR_NOT_AUTHORIZED},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) remote = g_dbus_error_new_for_dbus_error(cases[i].name, "said so");
		g_autoptr(GError) mapped = roadie_applet_error_from_dbus(remote);

		g_assert_error(mapped, ROADIE_APPLET_ERROR, (gint)cases[i].code);
		g_assert_nonnull(strstr(mapped->message, "said so"));
		g_assert_null(strstr(mapped->message, "GDBus.Error"));
	}
}

static void test_error_secret_keys_copied(void)
{
	static const char *const keys[] = {"ipsec-psk", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) copy = NULL;

	roadie_applet_error_set_needs_secret(&error, keys, "office needs %s", "the PSK");
	copy = g_error_copy(error);
	g_assert_cmpstr(roadie_applet_error_get_secret_keys(copy)[0], ==, "ipsec-psk");
	g_assert_null(roadie_applet_error_get_secret_keys(NULL));
}

/* GDBusObjectManagerClient warns when roadied's name goes while it still asks the new owner
 * for its objects (a stand-in stopped right after it started): GLib's race, not ours, and the
 * model recovers (the name's next owner is asked afresh). */
static gboolean ignore_manager_race(const char *domain, GLogLevelFlags level,
				    const char *message, gpointer data)
{
	return !(message && strstr(message, "Error calling GetManagedObjects() when name owner"));
}

int main(int argc, char **argv)
{
	g_autofree char *nowhere = NULL;

	/* no keyring: a session bus address that leads nowhere (test-secret-store.c) */
	nowhere = g_strdup_printf("unix:path=%s/roadie-no-session-bus-%d", g_get_tmp_dir(),
				  (int)getpid());
	g_setenv("DBUS_SESSION_BUS_ADDRESS", nowhere, TRUE);
	g_test_init(&argc, &argv, NULL);
	g_test_log_set_fatal_handler(ignore_manager_race, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	ADD("/applet/profiles/list", test_profiles_list);
	ADD("/applet/profiles/monitor", test_profiles_monitor);
	ADD("/applet/daemon/absent-then-present", test_daemon_absent_then_present);
	ADD("/applet/connect/ok", test_connect_ok);
	ADD("/applet/connect/fail", test_connect_fail);
	ADD("/applet/connect/needs-secret", test_connect_needs_secret);
	ADD("/applet/connect/needs-two-secrets", test_connect_needs_two_secrets);
	ADD("/applet/connect/refused", test_connect_refused);
	ADD("/applet/connect/activates", test_connect_activates);
	ADD("/applet/connect/no-daemon", test_connect_no_daemon);
	ADD("/applet/connect/bad-profiles", test_connect_bad_profiles);
#undef ADD
	g_test_add_func("/applet/error/from-dbus", test_error_from_dbus);
	g_test_add_func("/applet/error/secret-keys-copied", test_error_secret_keys_copied);
	return g_test_run();
}

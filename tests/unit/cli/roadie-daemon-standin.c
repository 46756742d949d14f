/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A stand-in for roadied on a private bus, for roadiectl's tests: it owns org.roadie.Daemon,
 * serves org.roadie.Daemon1 and the ObjectManager at /org/roadie/Daemon1 with the generated
 * skeletons, and plays a script instead of connecting anywhere.
 *
 *   roadie-daemon-standin --record FILE [--script SCRIPT] [--step-ms N] [--linger-ms N]
 *
 * Scripts (what Connect does):
 *   ok                resolving, ike-phase1, ike-phase2, l2tp, ppp-auth, configuring,
 *                     connected, with a Progress line at each step
 *   fail              resolving, ike-phase1, then failed with Reason
 *                     ("psk-rejected", "The gateway refused the pre-shared key...")
 *   hang              resolving, ike-phase1, and stays there (for disconnect and Ctrl-C)
 *   reconnect         as ok; 3 steps after connected, reconnecting with Reason
 *                     ("dead-peer", ...), then the ok steps again to connected (once)
 *   invalid-settings  answers org.roadie.Error.InvalidSettings naming ipsec.ike
 *   not-authorized    answers org.roadie.Error.NotAuthorized
 * Disconnect: disconnecting, then disconnected; a connection that has ended is removed
 * after --linger-ms (default 500; roadied keeps it about 5 s).
 *
 * It appends to FILE what it received, secrets included (it is a test file in a test's
 * temporary directory), one line each, in GVariant text form:
 *   settings: {...}
 *   secrets: {...}
 *   options: {...}
 *   disconnect: /org/roadie/Daemon1/Connections/N
 * and prints "ready" on standard output once it owns the name.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <glib-unix.h>
#include <gio/gio.h>

#include "roadie-dbus.h"

#define DAEMON_PATH "/org/roadie/Daemon1"

typedef struct {
	GDBusConnection *bus;
	GDBusObjectManagerServer *manager;
	RoadieDaemon1 *daemon;
	const char *record;
	const char *script;
	guint step_ms, linger_ms;
	unsigned next_id;
} Standin;

typedef struct {
	Standin *s;
	RoadieObjectSkeleton *object;
	RoadieConnection1 *conn;
	char *path;
	unsigned step;
	guint timer;
	bool reconnected;
} Conn;

static void standin_record(Standin *s, const char *what, GVariant *value)
{
	g_autofree char *text = value ? g_variant_print(value, TRUE) : g_strdup("");
	FILE *f = fopen(s->record, "a");

	if (!f) {
		g_printerr("standin: cannot write %s\n", s->record);
		return;
	}
	fprintf(f, "%s: %s\n", what, text);
	fclose(f);
}

static void standin_update_connections(Standin *s)
{
	GList *objects = g_dbus_object_manager_get_objects(G_DBUS_OBJECT_MANAGER(s->manager));
	g_autoptr(GPtrArray) paths = g_ptr_array_new();

	for (GList *l = objects; l; l = l->next)
		g_ptr_array_add(paths, (gpointer)g_dbus_object_get_object_path(l->data));
	g_ptr_array_add(paths, NULL);
	roadie_daemon1_set_connections(s->daemon, (const char *const *)paths->pdata);
	g_list_free_full(objects, g_object_unref);
}

static void conn_free(Conn *c)
{
	if (c->timer)
		g_source_remove(c->timer);
	g_object_unref(c->conn);
	g_object_unref(c->object);
	g_free(c->path);
	g_free(c);
}

static gboolean conn_remove(gpointer data)
{
	Conn *c = data;
	Standin *s = c->s;

	c->timer = 0;
	g_dbus_object_manager_server_unexport(s->manager, c->path);
	standin_update_connections(s);
	conn_free(c);
	return G_SOURCE_REMOVE;
}

/* State first (flushed, so PropertiesChanged leaves now), then the step's Progress line. */
static void conn_enter(Conn *c, const char *state, const char *progress)
{
	roadie_connection1_set_state(c->conn, state);
	g_dbus_interface_skeleton_flush(G_DBUS_INTERFACE_SKELETON(c->conn));
	if (progress)
		roadie_connection1_emit_progress(c->conn, progress);
	if (strcmp(state, "failed") == 0 || strcmp(state, "disconnected") == 0) {
		if (c->timer)
			g_source_remove(c->timer);
		c->timer = g_timeout_add(c->s->linger_ms, conn_remove, c);
	}
}

static const struct {
	const char *state, *progress;
} ok_steps[] = {
	{"ike-phase1", "IKE: Main Mode with 192.0.2.10; NAT: we are behind NAT; floated to 4500"},
	{"ike-phase2", "IKE: AES_CBC_256/HMAC_SHA2_256/MODP_2048"},
	{"l2tp", "ESP: AES_CBC_256/HMAC_SHA1_96, UDP-encapsulated"},
	{"ppp-auth", "L2TP: tunnel 1, session 1"},
	{"configuring", "PPP: MS-CHAPv2 accepted; 10.8.0.2 peer 10.8.0.1"},
	{"connected", "connected through roadie0"},
};

static gboolean conn_step(gpointer data);

/* the reconnect script: the gateway stops answering once the connection is up */
static gboolean conn_drop(gpointer data)
{
	Conn *c = data;

	c->timer = 0;
	c->reconnected = true;
	c->step = 0;
	roadie_connection1_set_reason(
		c->conn, g_variant_new("(ss)", "dead-peer",
				       "The gateway stopped answering (dead peer detection): "
				       "reconnecting."));
	conn_enter(c, "reconnecting", "dead peer: no answer from 192.0.2.10");
	c->timer = g_timeout_add(c->s->step_ms, conn_step, c);
	return G_SOURCE_REMOVE;
}

static gboolean conn_step(gpointer data)
{
	Conn *c = data;
	const char *script = c->s->script;
	unsigned step = c->step++;

	c->timer = 0;
	if (strcmp(script, "ok") == 0 || strcmp(script, "reconnect") == 0) {
		if (step == 0 && c->reconnected)
			roadie_connection1_set_reason(c->conn, g_variant_new("(ss)", "", ""));
		if (step == G_N_ELEMENTS(ok_steps) - 1) {
			GVariantDict ip4;

			g_variant_dict_init(&ip4, NULL);
			g_variant_dict_insert(&ip4, "address", "s", "10.8.0.2");
			g_variant_dict_insert(&ip4, "peer", "s", "10.8.0.1");
			roadie_connection1_set_interface(c->conn, "roadie0");
			roadie_connection1_set_ip4_config(c->conn, g_variant_dict_end(&ip4));
			roadie_connection1_set_connected_since(c->conn, (guint64)g_get_real_time());
			roadie_connection1_set_bytes_in(c->conn, 123456);
			roadie_connection1_set_bytes_out(c->conn, 7890);
		}
		conn_enter(c, ok_steps[step].state, ok_steps[step].progress);
		if (step + 1 < G_N_ELEMENTS(ok_steps))
			c->timer = g_timeout_add(c->s->step_ms, conn_step, c);
		else if (strcmp(script, "reconnect") == 0 && !c->reconnected)
			c->timer = g_timeout_add(3 * c->s->step_ms, conn_drop, c);
		return G_SOURCE_REMOVE;
	}
	if (step == 0) {
		conn_enter(c, "ike-phase1", "IKE: Main Mode with 192.0.2.10");
		if (strcmp(script, "fail") == 0)
			c->timer = g_timeout_add(c->s->step_ms, conn_step, c);
		return G_SOURCE_REMOVE;
	}
	roadie_connection1_set_reason(
		c->conn, g_variant_new("(ss)", "psk-rejected",
				       "The gateway refused the pre-shared key: check it with the "
				       "gateway's administrator."));
	conn_enter(c, "failed", NULL);
	return G_SOURCE_REMOVE;
}

static gboolean conn_disconnected(gpointer data)
{
	Conn *c = data;

	c->timer = 0;
	conn_enter(c, "disconnected", NULL);
	return G_SOURCE_REMOVE;
}

static gboolean on_disconnect(RoadieConnection1 *iface, GDBusMethodInvocation *invocation,
			      gpointer data)
{
	Conn *c = data;
	const char *state = roadie_connection1_get_state(iface);

	standin_record(c->s, "disconnect", g_variant_new_object_path(c->path));
	if (strcmp(state, "disconnected") == 0 || strcmp(state, "failed") == 0 ||
	    strcmp(state, "disconnecting") == 0) {
		g_dbus_method_invocation_return_dbus_error(invocation,
							   "org.roadie.Error.NotConnected",
							   "The connection has already ended.");
		return TRUE;
	}
	if (c->timer)
		g_source_remove(c->timer);
	conn_enter(c, "disconnecting", "disconnecting: IKE DELETE sent");
	c->timer = g_timeout_add(c->s->step_ms, conn_disconnected, c);
	roadie_connection1_complete_disconnect(iface, invocation);
	return TRUE;
}

static gboolean on_connect(RoadieDaemon1 *daemon, GDBusMethodInvocation *invocation,
			   GVariant *settings, GVariant *secrets, GVariant *options, gpointer data)
{
	Standin *s = data;
	Conn *c;
	const char *name = "";

	standin_record(s, "settings", settings);
	standin_record(s, "secrets", secrets);
	standin_record(s, "options", options);
	if (strcmp(s->script, "invalid-settings") == 0) {
		g_dbus_method_invocation_return_dbus_error(
			invocation, "org.roadie.Error.InvalidSettings",
			"ipsec.ike: unknown DH group 'modp999' in 'aes128-sha1-modp999'");
		return TRUE;
	}
	if (strcmp(s->script, "not-authorized") == 0) {
		g_dbus_method_invocation_return_dbus_error(
			invocation, "org.roadie.Error.NotAuthorized",
			"You are not allowed to start VPN connections (org.roadie.connect).");
		return TRUE;
	}
	if (!g_variant_lookup(settings, "name", "&s", &name))
		g_variant_lookup(settings, "connection-name", "&s", &name);

	c = g_new0(Conn, 1);
	c->s = s;
	c->path = g_strdup_printf(DAEMON_PATH "/Connections/%u", s->next_id++);
	c->object = roadie_object_skeleton_new(c->path);
	c->conn = roadie_connection1_skeleton_new();
	roadie_connection1_set_state(c->conn, "resolving");
	roadie_connection1_set_reason(c->conn, g_variant_new("(ss)", "", ""));
	roadie_connection1_set_profile(c->conn, name);
	g_variant_lookup(settings, "gateway", "&s", &name);
	roadie_connection1_set_gateway(c->conn, name);
	roadie_connection1_set_nat(c->conn, "local");
	roadie_object_skeleton_set_connection1(c->object, c->conn);
	g_signal_connect(c->conn, "handle-disconnect", G_CALLBACK(on_disconnect), c);
	g_dbus_object_manager_server_export(s->manager, G_DBUS_OBJECT_SKELETON(c->object));
	standin_update_connections(s);
	roadie_daemon1_complete_connect(daemon, invocation, c->path);
	c->timer = g_timeout_add(s->step_ms, conn_step, c);
	return TRUE;
}

static void on_name_acquired(GDBusConnection *bus, const char *name, gpointer data)
{
	printf("ready\n");
	fflush(stdout);
}

static void on_name_lost(GDBusConnection *bus, const char *name, gpointer data)
{
	g_printerr("standin: could not own %s\n", name);
	g_main_loop_quit(data);
}

static gboolean on_term(gpointer data)
{
	g_main_loop_quit(data);
	return G_SOURCE_REMOVE;
}

int main(int argc, char **argv)
{
	Standin s = {.script = "ok", .step_ms = 100, .linger_ms = 500, .next_id = 1};
	g_autofree char *record = NULL, *script = NULL;
	int step_ms = 100, linger_ms = 500;
	const GOptionEntry entries[] = {
		{"record", 0, 0, G_OPTION_ARG_FILENAME, &record, "Append what arrives here", "F"},
		{"script", 0, 0, G_OPTION_ARG_STRING, &script, "ok, fail, hang, ...", "S"},
		{"step-ms", 0, 0, G_OPTION_ARG_INT, &step_ms, "Time between states", "N"},
		{"linger-ms", 0, 0, G_OPTION_ARG_INT, &linger_ms, "Life after the end", "N"},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	g_autoptr(GOptionContext) context = g_option_context_new("- a scripted roadied");
	g_autoptr(GError) error = NULL;
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	guint owner;

	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse(context, &argc, &argv, &error) || !record) {
		g_printerr("standin: %s\n", error ? error->message : "--record FILE is required");
		return 2;
	}
	s.record = record;
	s.script = script ? script : "ok";
	s.step_ms = (guint)CLAMP(step_ms, 1, 10000);
	s.linger_ms = (guint)CLAMP(linger_ms, 1, 60000);
	s.bus = g_bus_get_sync(G_BUS_TYPE_SYSTEM, NULL, &error);
	if (!s.bus) {
		g_printerr("standin: %s\n", error->message);
		return 1;
	}
	s.manager = g_dbus_object_manager_server_new(DAEMON_PATH);
	s.daemon = roadie_daemon1_skeleton_new();
	roadie_daemon1_set_version(s.daemon, "0.0.0-standin");
	g_signal_connect(s.daemon, "handle-connect", G_CALLBACK(on_connect), &s);
	if (!g_dbus_interface_skeleton_export(G_DBUS_INTERFACE_SKELETON(s.daemon), s.bus,
					      DAEMON_PATH, &error)) {
		g_printerr("standin: %s\n", error->message);
		return 1;
	}
	g_dbus_object_manager_server_set_connection(s.manager, s.bus);
	owner = g_bus_own_name_on_connection(s.bus, "org.roadie.Daemon",
					     G_BUS_NAME_OWNER_FLAGS_NONE, on_name_acquired,
					     on_name_lost, loop, NULL);
	g_unix_signal_add(SIGTERM, on_term, loop);
	g_unix_signal_add(SIGINT, on_term, loop);
	g_main_loop_run(loop);
	g_bus_unown_name(owner);
	g_object_unref(s.manager);
	g_object_unref(s.daemon);
	g_object_unref(s.bus);
	return 0;
}

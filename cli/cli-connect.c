/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * connect and disconnect.
 *
 * connect subscribes to every connection's Progress and PropertiesChanged before it calls
 * Connect, so nothing roadied says between its reply and our first look is lost: GDBus
 * delivers the signals, the reply and a later GetAll's reply in the order they left the
 * bus, and nothing is dispatched until the main loop runs with the object path known.
 */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <glib-unix.h>

#include "cli.h"

#define CONNECTION_IFACE "org.roadie.Connection1"
/* how long a disconnect may take before roadiectl gives up waiting (the daemon's own
 * polite teardown is bounded by the same figure) */
#define DISCONNECT_WAIT_SECONDS 5
/* Connect and Disconnect may wait for polkit to ask the user for a password (the caller
 * allows interactive authorisation): give a person time to type it. */
#define CONNECT_CALL_TIMEOUT_MS (120 * 1000)

typedef struct {
	GDBusConnection *bus;
	GMainLoop *loop;
	const char *name; /* the profile name in output lines */
	char *path;       /* our connection; NULL until Connect answered */
	char *state;      /* last state printed */
	char *reason_code;
	char *reason_text;
	int status;       /* exit status once the loop ends */
	bool interrupted; /* Ctrl-C: disconnecting, waiting for the end */
	guint deadline;
} ConnectRun;

static void run_finish(ConnectRun *run, int status)
{
	run->status = status;
	g_main_loop_quit(run->loop);
}

static void run_fetch_reason(ConnectRun *run)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) value = NULL;

	if (run->reason_text && *run->reason_text)
		return;
	reply = g_dbus_connection_call_sync(
		run->bus, CLI_BUS_NAME, run->path, "org.freedesktop.DBus.Properties", "Get",
		g_variant_new("(ss)", CONNECTION_IFACE, "Reason"), G_VARIANT_TYPE("(v)"),
		G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
	if (!reply)
		return;
	g_variant_get(reply, "(v)", &value);
	if (g_variant_is_of_type(value, G_VARIANT_TYPE("(ss)"))) {
		g_free(run->reason_code);
		g_free(run->reason_text);
		g_variant_get(value, "(ss)", &run->reason_code, &run->reason_text);
	}
}

static void run_on_state(ConnectRun *run, const char *state)
{
	if (g_strcmp0(state, run->state) == 0)
		return;
	g_free(run->state);
	run->state = g_strdup(state);
	printf("roadie: %s: %s\n", run->name, state);

	if (strcmp(state, "connected") == 0 && !run->interrupted) {
		run_finish(run, CLI_EXIT_OK);
	} else if (strcmp(state, "failed") == 0) {
		run_fetch_reason(run);
		/* after Ctrl-C we asked for the end, and "interrupted" was said already */
		if (!run->interrupted && run->reason_text && *run->reason_text)
			cli_error("%s: failed: %s (%s)", run->name, run->reason_text,
				  run->reason_code ? run->reason_code : "");
		else if (!run->interrupted)
			cli_error("%s: failed, and roadied gave no reason", run->name);
		run_finish(run, CLI_EXIT_FAILED);
	} else if (strcmp(state, "disconnected") == 0) {
		if (!run->interrupted)
			cli_error("%s: the connection was ended before it came up", run->name);
		run_finish(run, CLI_EXIT_FAILED);
	}
}

/* a{sv} of changed properties, from PropertiesChanged or GetAll */
static void run_on_properties(ConnectRun *run, GVariant *props)
{
	const char *state = NULL;
	g_autoptr(GVariant) reason =
		g_variant_lookup_value(props, "Reason", G_VARIANT_TYPE("(ss)"));

	if (reason) {
		g_free(run->reason_code);
		g_free(run->reason_text);
		g_variant_get(reason, "(ss)", &run->reason_code, &run->reason_text);
	}
	if (g_variant_lookup(props, "State", "&s", &state))
		run_on_state(run, state);
}

static void run_on_signal(GDBusConnection *bus, const char *sender, const char *path,
			  const char *iface, const char *member, GVariant *params, gpointer data)
{
	ConnectRun *run = data;

	if (!run->path || strcmp(path, run->path) != 0)
		return; /* another connection */
	if (strcmp(member, "Progress") == 0 &&
	    g_variant_is_of_type(params, G_VARIANT_TYPE("(s)"))) {
		const char *line;

		g_variant_get(params, "(&s)", &line);
		printf("roadie: %s: %s\n", run->name, line);
	} else if (strcmp(member, "PropertiesChanged") == 0 &&
		   g_variant_is_of_type(params, G_VARIANT_TYPE("(sa{sv}as)"))) {
		g_autoptr(GVariant) changed = g_variant_get_child_value(params, 1);

		run_on_properties(run, changed);
	}
}

/* The ObjectManager says an object went: ours, before it reached an end we saw. */
static void run_on_removed(GDBusConnection *bus, const char *sender, const char *path,
			   const char *iface, const char *member, GVariant *params, gpointer data)
{
	ConnectRun *run = data;
	const char *gone;

	if (!run->path || !g_variant_is_of_type(params, G_VARIANT_TYPE("(oas)")))
		return;
	g_variant_get(params, "(&o@as)", &gone, NULL);
	if (strcmp(gone, run->path) != 0)
		return;
	if (!run->interrupted)
		cli_error("%s: roadied removed the connection", run->name);
	run_finish(run, CLI_EXIT_FAILED);
}

static void run_on_vanished(GDBusConnection *bus, const char *name, gpointer data)
{
	ConnectRun *run = data;

	cli_error("%s: roadied stopped while connecting", run->name);
	run_finish(run, CLI_EXIT_FAILED);
}

static void run_on_getall(GObject *source, GAsyncResult *result, gpointer data)
{
	ConnectRun *run = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
	g_autoptr(GVariant) props = NULL;

	if (!reply) {
		if (!run->state || !cli_state_final(run->state))
			run_finish(run, cli_bus_error(error, run->name));
		return;
	}
	props = g_variant_get_child_value(reply, 0);
	run_on_properties(run, props);
}

static gboolean run_on_deadline(gpointer data)
{
	ConnectRun *run = data;

	run->deadline = 0;
	cli_error("%s: roadied did not finish disconnecting within %d s", run->name,
		  DISCONNECT_WAIT_SECONDS);
	run_finish(run, CLI_EXIT_FAILED);
	return G_SOURCE_REMOVE;
}

/* Ctrl-C while waiting: take down what we started, then leave. A second one leaves now. */
static gboolean run_on_interrupt(gpointer data)
{
	ConnectRun *run = data;

	if (run->interrupted || !run->path) {
		run_finish(run, CLI_EXIT_FAILED);
		return G_SOURCE_CONTINUE;
	}
	run->interrupted = true;
	fprintf(stderr, "roadiectl: interrupted: disconnecting %s\n", run->name);
	g_dbus_connection_call(run->bus, CLI_BUS_NAME, run->path, CONNECTION_IFACE, "Disconnect",
			       NULL, NULL, G_DBUS_CALL_FLAGS_NONE, CONNECT_CALL_TIMEOUT_MS, NULL,
			       NULL, NULL);
	run->deadline = g_timeout_add_seconds(DISCONNECT_WAIT_SECONDS, run_on_deadline, run);
	return G_SOURCE_CONTINUE;
}

static GVariant *connect_options(gboolean no_configure, gboolean reconnect, gboolean no_reconnect)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "configure-interface",
			      g_variant_new_boolean(!no_configure));
	/* only when asked: otherwise the profile's auto-reconnect decides */
	if (reconnect || no_reconnect)
		g_variant_builder_add(&b, "{sv}", "auto-reconnect",
				      g_variant_new_boolean(reconnect));
	return g_variant_builder_end(&b);
}

int cli_cmd_connect(int argc, char **argv)
{
	CliSecretOptions so = {0};
	gboolean no_configure = FALSE, reconnect = FALSE, no_reconnect = FALSE, no_wait = FALSE;
	const GOptionEntry entries[] = {
		{"psk-file", 0, 0, G_OPTION_ARG_FILENAME, &so.psk_file,
		 "Read the pre-shared key from the first line of FILE", "FILE"},
		{"password-file", 0, 0, G_OPTION_ARG_FILENAME, &so.password_file,
		 "Read the PPP password from the first line of FILE", "FILE"},
		{"secrets-file", 0, 0, G_OPTION_ARG_FILENAME, &so.secrets_file,
		 "Read secrets from FILE ([ipsec] psk=..., [ppp] password=...)", "FILE"},
		{"no-ask", 0, 0, G_OPTION_ARG_NONE, &so.no_ask,
		 "Never prompt for a secret: fail instead", NULL},
		{"no-configure", 0, 0, G_OPTION_ARG_NONE, &no_configure,
		 "Let roadied change nothing on the host (address, routes, DNS)", NULL},
		{"auto-reconnect", 0, 0, G_OPTION_ARG_NONE, &reconnect,
		 "Reconnect when the connection drops, whatever the profile says", NULL},
		{"no-auto-reconnect", 0, 0, G_OPTION_ARG_NONE, &no_reconnect,
		 "Do not reconnect, whatever the profile says", NULL},
		{"no-wait", 0, 0, G_OPTION_ARG_NONE, &no_wait,
		 "Print the connection's object path and return at once", NULL},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	g_autoptr(GOptionContext) context =
		g_option_context_new("NAME|FILE - connect with a profile");
	g_autoptr(CliProfile) p = NULL;
	g_autoptr(GDBusConnection) bus = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GMainLoop) loop = NULL;
	g_autofree char *what = NULL;
	ConnectRun run = {0};
	guint subs[3], watch, sig_int, sig_term;
	int status;

	g_option_context_add_main_entries(context, entries, NULL);
	if (!cli_parse(context, &argc, &argv)) {
		cli_secret_options_clear(&so);
		return CLI_EXIT_USAGE;
	}
	if (argc != 2 || (reconnect && no_reconnect)) {
		cli_secret_options_clear(&so);
		return cli_usage(argc != 2 ? "connect: name one profile or profile file"
					   : "connect: --auto-reconnect or --no-auto-reconnect, "
					     "not both");
	}
	status = cli_profile_find(argv[1], &p);
	if (status == CLI_EXIT_OK)
		status = cli_secrets_gather(p, &so);
	cli_secret_options_clear(&so);
	if (status != CLI_EXIT_OK)
		return status;
	if ((status = cli_bus_open(&bus)) != CLI_EXIT_OK)
		return status;

	setvbuf(stdout, NULL, _IOLBF, 0); /* progress lines reach a pipe as they happen */
	loop = g_main_loop_new(NULL, FALSE);
	run.bus = bus;
	run.loop = loop;
	run.name = p->name;
	run.status = CLI_EXIT_FAILED;
	subs[0] = g_dbus_connection_signal_subscribe(
		bus, CLI_BUS_NAME, CONNECTION_IFACE, "Progress", NULL, NULL,
		G_DBUS_SIGNAL_FLAGS_NONE, run_on_signal, &run, NULL);
	subs[1] = g_dbus_connection_signal_subscribe(
		bus, CLI_BUS_NAME, "org.freedesktop.DBus.Properties", "PropertiesChanged", NULL,
		CONNECTION_IFACE, G_DBUS_SIGNAL_FLAGS_NONE, run_on_signal, &run, NULL);
	subs[2] = g_dbus_connection_signal_subscribe(
		bus, CLI_BUS_NAME, "org.freedesktop.DBus.ObjectManager", "InterfacesRemoved",
		CLI_DAEMON_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE, run_on_removed, &run, NULL);

	/* the settings and secrets variants wipe their buffers when the call is done */
	reply = g_dbus_connection_call_sync(
		bus, CLI_BUS_NAME, CLI_DAEMON_PATH, "org.roadie.Daemon1", "Connect",
		g_variant_new("(@a{sv}@a{sv}@a{sv})", roadie_profile_to_settings(p->profile),
			      roadie_profile_to_secrets(p->profile),
			      connect_options(no_configure, reconnect, no_reconnect)),
		G_VARIANT_TYPE("(o)"), G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
		CONNECT_CALL_TIMEOUT_MS, NULL, &error);
	/* ours are no longer needed: roadied has them, or refused them */
	p->profile = roadie_profile_free(p->profile);
	if (!reply) {
		what = g_strdup_printf("connect %s", p->name);
		status = cli_bus_error(error, what);
		goto out;
	}
	g_variant_get(reply, "(o)", &run.path);
	if (no_wait) {
		printf("%s\n", run.path);
		status = CLI_EXIT_OK;
		goto out;
	}

	watch = g_bus_watch_name_on_connection(bus, CLI_BUS_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
					       NULL, run_on_vanished, &run, NULL);
	sig_int = g_unix_signal_add(SIGINT, run_on_interrupt, &run);
	sig_term = g_unix_signal_add(SIGTERM, run_on_interrupt, &run);
	/* the state as it is now, ordered after every signal already on its way */
	g_dbus_connection_call(bus, CLI_BUS_NAME, run.path, "org.freedesktop.DBus.Properties",
			       "GetAll", g_variant_new("(s)", CONNECTION_IFACE),
			       G_VARIANT_TYPE("(a{sv})"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
			       run_on_getall, &run);
	g_main_loop_run(loop);
	status = run.status;
	g_bus_unwatch_name(watch);
	g_source_remove(sig_int);
	g_source_remove(sig_term);
	if (run.deadline)
		g_source_remove(run.deadline);
out:
	for (size_t i = 0; i < G_N_ELEMENTS(subs); i++)
		g_dbus_connection_signal_unsubscribe(bus, subs[i]);
	g_free(run.path);
	g_free(run.state);
	g_free(run.reason_code);
	g_free(run.reason_text);
	return status;
}

/* ---- disconnect ---- */

static bool disconnect_all_done(GPtrArray *targets, GDBusObjectManager *manager)
{
	for (guint i = 0; i < targets->len; i++) {
		const char *path = g_dbus_object_get_object_path(targets->pdata[i]);
		g_autoptr(GDBusObject) now = g_dbus_object_manager_get_object(manager, path);
		RoadieConnection1 *c =
			now ? roadie_object_peek_connection1(ROADIE_OBJECT(now)) : NULL;

		if (c && !cli_state_final(roadie_connection1_get_state(c)))
			return false;
	}
	return true;
}

static gboolean disconnect_on_timeout(gpointer data)
{
	*(bool *)data = true;
	return G_SOURCE_REMOVE;
}

int cli_cmd_disconnect(int argc, char **argv)
{
	gboolean all = FALSE;
	const GOptionEntry entries[] = {
		{"all", 'a', 0, G_OPTION_ARG_NONE, &all, "Disconnect every connection", NULL},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	g_autoptr(GOptionContext) context = g_option_context_new(
		"[NAME|PATH] - end a connection (the only one, if none is named)");
	g_autoptr(GDBusConnection) bus = NULL;
	g_autoptr(GDBusObjectManager) manager = NULL;
	g_autoptr(GPtrArray) found = NULL;
	g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func(g_object_unref);
	const char *arg;
	bool running = false, timed_out = false;
	guint timeout;
	int status = CLI_EXIT_OK;

	g_option_context_add_main_entries(context, entries, NULL);
	if (!cli_parse(context, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc > 2 || (all && argc == 2))
		return cli_usage("disconnect: name one connection, or give --all");
	arg = argc == 2 ? argv[1] : NULL;
	if ((status = cli_bus_open(&bus)) || (status = cli_bus_daemon_check(bus, &running)))
		return status;
	if (running && !(manager = cli_bus_manager(bus, &status)))
		return status;

	found = manager ? cli_bus_find_connections(manager, arg)
			: g_ptr_array_new_with_free_func(g_object_unref);
	for (guint i = 0; i < found->len; i++) {
		RoadieConnection1 *c = roadie_object_peek_connection1(found->pdata[i]);

		if (!cli_state_final(roadie_connection1_get_state(c)))
			g_ptr_array_add(targets, g_object_ref(found->pdata[i]));
	}
	if (targets->len == 0) {
		if (arg)
			cli_error("no connection of '%s' is up", arg);
		else if (!all)
			cli_error("there is no connection");
		return all ? CLI_EXIT_OK : CLI_EXIT_NOT_FOUND;
	}
	if (!arg && !all && targets->len > 1)
		return cli_usage("disconnect: there are several connections: name one, or "
				 "give --all");

	for (guint i = 0; i < targets->len;) {
		RoadieConnection1 *c = roadie_object_peek_connection1(targets->pdata[i]);
		g_autoptr(GError) error = NULL;
		g_autofree char *name = NULL;
		g_autofree char *what = NULL;

		g_autoptr(GVariant) reply = g_dbus_connection_call_sync(
			bus, CLI_BUS_NAME, g_dbus_object_get_object_path(targets->pdata[i]),
			CONNECTION_IFACE, "Disconnect", NULL, NULL,
			G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION, CONNECT_CALL_TIMEOUT_MS,
			NULL, &error);

		if (reply) {
			i++;
			continue;
		}
		name = g_dbus_error_get_remote_error(error);
		/* already on its way down, or gone: that is what we want */
		if (g_strcmp0(name, "org.roadie.Error.NotConnected") == 0 ||
		    g_strcmp0(name, "org.freedesktop.DBus.Error.UnknownObject") == 0) {
			i++;
			continue;
		}
		what = g_strdup_printf("disconnect %s",
				       cli_connection_str(c, roadie_connection1_get_profile));
		status = MAX(status, cli_bus_error(error, what));
		g_ptr_array_remove_index(targets, i); /* refused: nothing to wait for */
	}

	/* the manager's proxies follow PropertiesChanged and InterfacesRemoved as the loop runs */
	timeout = g_timeout_add_seconds(DISCONNECT_WAIT_SECONDS, disconnect_on_timeout, &timed_out);
	while (!timed_out && !disconnect_all_done(targets, manager))
		g_main_context_iteration(NULL, TRUE);
	if (!timed_out)
		g_source_remove(timeout);

	for (guint i = 0; i < targets->len; i++) {
		const char *path = g_dbus_object_get_object_path(targets->pdata[i]);
		RoadieConnection1 *c = roadie_object_peek_connection1(targets->pdata[i]);
		g_autoptr(GDBusObject) now = g_dbus_object_manager_get_object(manager, path);
		const char *state =
			now ? cli_connection_str(roadie_object_peek_connection1(ROADIE_OBJECT(now)),
						 roadie_connection1_get_state)
			    : "disconnected";
		const char *name = cli_connection_str(c, roadie_connection1_get_profile);

		if (cli_state_final(state)) {
			printf("roadie: %s: %s\n", name, state);
		} else {
			cli_error("%s: still %s after %d s", name, state, DISCONNECT_WAIT_SECONDS);
			status = MAX(status, CLI_EXIT_FAILED);
		}
	}
	return status;
}

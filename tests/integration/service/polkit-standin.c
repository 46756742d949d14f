/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * roadie-polkit-standin: a stand-in for polkitd's CheckAuthorization (and, with --logind,
 * for logind's PrepareForSleep signal), for tests on a private system bus.
 *
 *   roadie-polkit-standin BUS-ADDRESS RULES-FILE [--logind]
 *
 * It owns org.freedesktop.PolicyKit1 and answers
 * org.freedesktop.PolicyKit1.Authority.CheckAuthorization at
 * /org/freedesktop/PolicyKit1/Authority as polkitd does: the subject must be a
 * system-bus-name, whose uid it asks the bus for. RULES-FILE is read on every call, one rule
 * per line, the first match wins, no match is "no":
 *
 *   ACTION UID RESULT     ACTION an action id or *, UID a number or *,
 *                         RESULT yes | no | challenge (no, but authentication would help)
 *
 * With --logind it also owns org.freedesktop.login1 and emits
 * org.freedesktop.login1.Manager.PrepareForSleep(false) from /org/freedesktop/login1 on
 * SIGUSR1, as logind does on resume.
 *
 * Standard output, a line each, flushed:
 *   ready                               the names are owned
 *   check ACTION UID RESULT FLAGS       each CheckAuthorization (FLAGS: its flags number)
 *   resumed                             PrepareForSleep(false) was emitted
 * It exits on SIGTERM or SIGINT, or when the bus goes away.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <glib-unix.h>

static const char introspection[] =
	"<node>"
	" <interface name='org.freedesktop.PolicyKit1.Authority'>"
	"  <method name='CheckAuthorization'>"
	"   <arg name='subject' type='(sa{sv})' direction='in'/>"
	"   <arg name='action_id' type='s' direction='in'/>"
	"   <arg name='details' type='a{ss}' direction='in'/>"
	"   <arg name='flags' type='u' direction='in'/>"
	"   <arg name='cancellation_id' type='s' direction='in'/>"
	"   <arg name='result' type='(bba{ss})' direction='out'/>"
	"  </method>"
	" </interface>"
	"</node>";

struct standin {
	GMainLoop *loop;
	GDBusConnection *bus;
	const char *rules;
	unsigned owned, wanted;
};

/* "yes", "no" or "challenge" for @action and @uid. */
static const char *standin_decide(struct standin *s, const char *action, guint32 uid)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;

	if (!g_file_get_contents(s->rules, &text, NULL, NULL))
		return "no";
	lines = g_strsplit(text, "\n", -1);
	for (size_t i = 0; lines[i]; i++) {
		g_auto(GStrv) f = g_strsplit_set(g_strstrip(lines[i]), " \t", -1);
		char uid_text[16];

		if (g_strv_length(f) != 3 || f[0][0] == '#')
			continue;
		g_snprintf(uid_text, sizeof(uid_text), "%u", uid);
		if ((g_str_equal(f[0], "*") || g_str_equal(f[0], action)) &&
		    (g_str_equal(f[1], "*") || g_str_equal(f[1], uid_text)))
			return g_str_equal(f[2], "yes") ? "yes"
			       : g_str_equal(f[2], "challenge") ? "challenge"
								 : "no";
	}
	return "no";
}

static void standin_call(GDBusConnection *bus, const char *sender, const char *path,
			 const char *iface, const char *method, GVariant *params,
			 GDBusMethodInvocation *invocation, gpointer data)
{
	struct standin *s = data;
	g_autoptr(GVariant) subject_details = NULL;
	g_autoptr(GVariant) details = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error = NULL;
	const char *kind, *action, *cancel, *name = NULL, *result;
	guint32 flags, uid;
	GVariantBuilder empty;

	g_variant_get(params, "((&s@a{sv})&s@a{ss}u&s)", &kind, &subject_details, &action, &details,
		      &flags, &cancel);
	if (!g_str_equal(kind, "system-bus-name") ||
	    !g_variant_lookup(subject_details, "name", "&s", &name)) {
		printf("invalid subject %s\n", kind);
		fflush(stdout);
		g_dbus_method_invocation_return_dbus_error(
			invocation, "org.freedesktop.PolicyKit1.Error.Failed",
			"only system-bus-name subjects here");
		return;
	}
	reply = g_dbus_connection_call_sync(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
					    "org.freedesktop.DBus", "GetConnectionUnixUser",
					    g_variant_new("(s)", name), G_VARIANT_TYPE("(u)"),
					    G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
	if (!reply) {
		g_dbus_method_invocation_return_gerror(invocation, error);
		return;
	}
	g_variant_get(reply, "(u)", &uid);
	result = standin_decide(s, action, uid);
	printf("check %s %u %s %u\n", action, uid, result, flags);
	fflush(stdout);
	g_variant_builder_init(&empty, G_VARIANT_TYPE("a{ss}"));
	g_dbus_method_invocation_return_value(
		invocation, g_variant_new("((bba{ss}))", g_str_equal(result, "yes"),
					  g_str_equal(result, "challenge"), &empty));
}

static const GDBusInterfaceVTable vtable = { .method_call = standin_call };

static void standin_acquired(GDBusConnection *bus, const char *name, gpointer data)
{
	struct standin *s = data;

	if (++s->owned == s->wanted) {
		printf("ready\n");
		fflush(stdout);
	}
}

static void standin_lost(GDBusConnection *bus, const char *name, gpointer data)
{
	struct standin *s = data;

	fprintf(stderr, "roadie-polkit-standin: lost or could not own %s\n", name);
	g_main_loop_quit(s->loop);
}

static gboolean standin_quit(gpointer data)
{
	struct standin *s = data;

	g_main_loop_quit(s->loop);
	return G_SOURCE_CONTINUE;
}

static gboolean standin_resume(gpointer data)
{
	struct standin *s = data;

	g_dbus_connection_emit_signal(s->bus, NULL, "/org/freedesktop/login1",
				      "org.freedesktop.login1.Manager", "PrepareForSleep",
				      g_variant_new("(b)", FALSE), NULL);
	g_dbus_connection_flush_sync(s->bus, NULL, NULL);
	printf("resumed\n");
	fflush(stdout);
	return G_SOURCE_CONTINUE;
}

static void standin_closed(GDBusConnection *bus, gboolean remote, GError *error, gpointer data)
{
	struct standin *s = data;

	g_main_loop_quit(s->loop);
}

int main(int argc, char **argv)
{
	g_autoptr(GError) e = NULL;
	g_autoptr(GDBusNodeInfo) node = NULL;
	struct standin s = { 0 };
	bool logind = argc == 4 && g_str_equal(argv[3], "--logind");

	if (argc != 3 && !logind) {
		fprintf(stderr, "usage: %s BUS-ADDRESS RULES-FILE [--logind]\n", argv[0]);
		return 2;
	}
	s.rules = argv[2];
	s.bus = g_dbus_connection_new_for_address_sync(
		argv[1],
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL, NULL, &e);
	if (!s.bus) {
		fprintf(stderr, "roadie-polkit-standin: cannot connect to %s: %s\n", argv[1],
			e->message);
		return 1;
	}
	node = g_dbus_node_info_new_for_xml(introspection, &e);
	g_assert_no_error(e);
	s.loop = g_main_loop_new(NULL, FALSE);
	g_dbus_connection_set_exit_on_close(s.bus, FALSE);
	g_signal_connect(s.bus, "closed", G_CALLBACK(standin_closed), &s);
	g_dbus_connection_register_object(s.bus, "/org/freedesktop/PolicyKit1/Authority",
					  node->interfaces[0], &vtable, &s, NULL, &e);
	g_assert_no_error(e);
	s.wanted = logind ? 2 : 1;
	g_bus_own_name_on_connection(s.bus, "org.freedesktop.PolicyKit1",
				     G_BUS_NAME_OWNER_FLAGS_NONE, standin_acquired, standin_lost,
				     &s, NULL);
	if (logind)
		g_bus_own_name_on_connection(s.bus, "org.freedesktop.login1",
					     G_BUS_NAME_OWNER_FLAGS_NONE, standin_acquired,
					     standin_lost, &s, NULL);
	g_unix_signal_add(SIGTERM, standin_quit, &s);
	g_unix_signal_add(SIGINT, standin_quit, &s);
	g_unix_signal_add(SIGUSR1, standin_resume, &s);
	g_main_loop_run(s.loop);
	g_main_loop_unref(s.loop);
	g_object_unref(s.bus);
	return 0;
}

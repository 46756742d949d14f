/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * roadie-resolved-standin: a stand-in for systemd-resolved's per-link D-Bus methods, for
 * tests on a private bus (GTestDBus, dbus-daemon --session in a netns, ...).
 *
 *   roadie-resolved-standin BUS-ADDRESS [--refuse METHOD]...
 *
 * It connects to BUS-ADDRESS as a message-bus client, owns org.freedesktop.resolve1 and
 * exports /org/freedesktop/resolve1 with org.freedesktop.resolve1.Manager's SetLinkDNS,
 * SetLinkDomains, SetLinkDefaultRoute and RevertLink. It exits on SIGTERM, SIGINT, or when
 * the bus goes away. Its standard output is a stable, line-based log (flushed per line):
 *
 *   ready                                  once it owns the name
 *   SetLinkDNS IFINDEX [ADDR]...           addresses as inet_ntop() text
 *   SetLinkDomains IFINDEX [NAME:KIND]...  NAME as sent ("." is the root domain),
 *                                          KIND "search" (routing_only false) or "route"
 *   SetLinkDefaultRoute IFINDEX true|false
 *   RevertLink IFINDEX                     a link it knows
 *   RevertLink IFINDEX NoSuchLink          one it never saw: answered with the error
 *   refused METHOD IFINDEX                 a method named by --refuse: answered with
 *                                          org.freedesktop.DBus.Error.AccessDenied
 *   invalid METHOD ...                     bad arguments: InvalidArgs, as resolved answers
 *
 * Like resolved, an ifindex <= 0 is InvalidArgs ("Invalid interface index"), and RevertLink
 * on a link it does not know is org.freedesktop.resolve1.NoSuchLink ("Link N not known",
 * resolved-bus.c get_any_link()). Real resolved knows every kernel link through rtnetlink;
 * this stand-in knows the links that a Set* call named (and keeps knowing them after
 * RevertLink, as resolved does while the device exists).
 */
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <gio/gio.h>
#include <glib-unix.h>

static const char introspection[] =
	"<node>"
	" <interface name='org.freedesktop.resolve1.Manager'>"
	"  <method name='SetLinkDNS'>"
	"   <arg name='ifindex' type='i' direction='in'/>"
	"   <arg name='addresses' type='a(iay)' direction='in'/>"
	"  </method>"
	"  <method name='SetLinkDomains'>"
	"   <arg name='ifindex' type='i' direction='in'/>"
	"   <arg name='domains' type='a(sb)' direction='in'/>"
	"  </method>"
	"  <method name='SetLinkDefaultRoute'>"
	"   <arg name='ifindex' type='i' direction='in'/>"
	"   <arg name='enable' type='b' direction='in'/>"
	"  </method>"
	"  <method name='RevertLink'>"
	"   <arg name='ifindex' type='i' direction='in'/>"
	"  </method>"
	" </interface>"
	"</node>";

struct standin {
	GMainLoop *loop;
	GHashTable *known;   /* ifindex -> itself */
	char **refuse;       /* method names to refuse */
};

static void say(const char *line)
{
	fputs(line, stdout);
	fputc('\n', stdout);
	fflush(stdout);
}

static void call(GDBusConnection *bus, const char *sender, const char *path, const char *iface,
		 const char *method, GVariant *params, GDBusMethodInvocation *inv, gpointer user)
{
	struct standin *s = user;
	g_autoptr(GString) line = g_string_new(method);
	gint32 ifindex = 0;

	(void)bus;
	(void)sender;
	(void)path;
	(void)iface;
	g_variant_get_child(params, 0, "i", &ifindex);
	if (ifindex <= 0) {
		g_string_prepend(line, "invalid ");
		g_string_append_printf(line, " %d", ifindex);
		say(line->str);
		g_dbus_method_invocation_return_dbus_error(inv,
							   "org.freedesktop.DBus.Error.InvalidArgs",
							   "Invalid interface index");
		return;
	}
	if (s->refuse && g_strv_contains((const char *const *)s->refuse, method)) {
		g_autofree char *msg = g_strdup_printf("refused %s %d", method, ifindex);

		say(msg);
		g_dbus_method_invocation_return_dbus_error(
			inv, "org.freedesktop.DBus.Error.AccessDenied", "Access denied (stand-in)");
		return;
	}
	g_string_append_printf(line, " %d", ifindex);

	if (strcmp(method, "SetLinkDNS") == 0) {
		g_autoptr(GVariantIter) it = NULL;
		g_autoptr(GVariant) bytes = NULL;
		gint32 family;

		g_variant_get(params, "(ia(iay))", NULL, &it);
		while (g_variant_iter_next(it, "(i@ay)", &family, &bytes)) {
			gsize n = 0;
			const guint8 *a = g_variant_get_fixed_array(bytes, &n, 1);
			char text[INET6_ADDRSTRLEN];

			if (!((family == AF_INET && n == 4) || (family == AF_INET6 && n == 16)) ||
			    !inet_ntop(family, a, text, sizeof(text))) {
				g_string_prepend(line, "invalid ");
				say(line->str);
				g_dbus_method_invocation_return_dbus_error(
					inv, "org.freedesktop.DBus.Error.InvalidArgs",
					"Invalid address size");
				return;
			}
			g_string_append_printf(line, " %s", text);
			g_clear_pointer(&bytes, g_variant_unref);
		}
	} else if (strcmp(method, "SetLinkDomains") == 0) {
		g_autoptr(GVariantIter) it = NULL;
		const char *name;
		gboolean route;

		g_variant_get(params, "(ia(sb))", NULL, &it);
		while (g_variant_iter_next(it, "(&sb)", &name, &route))
			g_string_append_printf(line, " %s:%s", name, route ? "route" : "search");
	} else if (strcmp(method, "SetLinkDefaultRoute") == 0) {
		gboolean on;

		g_variant_get(params, "(ib)", NULL, &on);
		g_string_append(line, on ? " true" : " false");
	} else if (strcmp(method, "RevertLink") == 0) {
		if (!g_hash_table_contains(s->known, GINT_TO_POINTER(ifindex))) {
			g_autofree char *msg = NULL;

			g_string_append(line, " NoSuchLink");
			say(line->str);
			msg = g_strdup_printf("Link %d not known", ifindex);
			g_dbus_method_invocation_return_dbus_error(
				inv, "org.freedesktop.resolve1.NoSuchLink", msg);
			return;
		}
	}
	g_hash_table_add(s->known, GINT_TO_POINTER(ifindex));
	say(line->str);
	g_dbus_method_invocation_return_value(inv, NULL);
}

static const GDBusInterfaceVTable vtable = { .method_call = call };

static void acquired(GDBusConnection *bus, const char *name, gpointer user)
{
	(void)bus;
	(void)name;
	(void)user;
	say("ready");
}

static void lost(GDBusConnection *bus, const char *name, gpointer user)
{
	struct standin *s = user;

	(void)bus;
	fprintf(stderr, "roadie-resolved-standin: lost or could not own %s\n", name);
	g_main_loop_quit(s->loop);
}

static void closed(GDBusConnection *bus, gboolean remote, GError *error, gpointer user)
{
	struct standin *s = user;

	(void)bus;
	(void)remote;
	(void)error;
	g_main_loop_quit(s->loop);
}

static gboolean on_signal(gpointer user)
{
	struct standin *s = user;

	g_main_loop_quit(s->loop);
	return G_SOURCE_CONTINUE;
}

int main(int argc, char **argv)
{
	g_autoptr(GError) e = NULL;
	g_autoptr(GDBusConnection) bus = NULL;
	g_autoptr(GDBusNodeInfo) node = NULL;
	g_autoptr(GPtrArray) refuse = g_ptr_array_new();
	struct standin s = { 0 };
	guint reg, own;

	if (argc < 2) {
		fprintf(stderr, "usage: %s BUS-ADDRESS [--refuse METHOD]...\n", argv[0]);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--refuse") != 0 || i + 1 >= argc) {
			fprintf(stderr, "%s: unknown argument %s\n", argv[0], argv[i]);
			return 2;
		}
		g_ptr_array_add(refuse, argv[++i]);
	}
	g_ptr_array_add(refuse, NULL);
	s.refuse = (char **)refuse->pdata;

	bus = g_dbus_connection_new_for_address_sync(
		argv[1],
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL, NULL, &e);
	if (!bus) {
		fprintf(stderr, "roadie-resolved-standin: cannot connect to %s: %s\n", argv[1],
			e->message);
		return 1;
	}
	node = g_dbus_node_info_new_for_xml(introspection, &e);
	g_assert_no_error(e);
	s.loop = g_main_loop_new(NULL, FALSE);
	s.known = g_hash_table_new(NULL, NULL);
	g_dbus_connection_set_exit_on_close(bus, FALSE);
	g_signal_connect(bus, "closed", G_CALLBACK(closed), &s);
	reg = g_dbus_connection_register_object(bus, "/org/freedesktop/resolve1",
						node->interfaces[0], &vtable, &s, NULL, &e);
	if (!reg) {
		fprintf(stderr, "roadie-resolved-standin: cannot export the manager: %s\n",
			e->message);
		return 1;
	}
	own = g_bus_own_name_on_connection(bus, "org.freedesktop.resolve1",
					   G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE, acquired, lost, &s,
					   NULL);
	g_unix_signal_add(SIGTERM, on_signal, &s);
	g_unix_signal_add(SIGINT, on_signal, &s);
	g_main_loop_run(s.loop);

	g_bus_unown_name(own);
	g_dbus_connection_unregister_object(bus, reg);
	g_hash_table_unref(s.known);
	g_main_loop_unref(s.loop);
	return 0;
}

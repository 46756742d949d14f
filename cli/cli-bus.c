/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * roadiectl on the system bus: reaching it, telling "roadied is not running" from "roadied
 * said no", roadied's error names as exit statuses, and finding connection objects.
 */
#include <string.h>
#include <glib.h>

#include "cli.h"

static const char no_daemon_sentence[] =
	"roadied is not running and cannot be started: is the roadie package installed?";

int cli_bus_open(GDBusConnection **ret_bus)
{
	g_autoptr(GError) error = NULL;
	GDBusConnection *bus = g_bus_get_sync(G_BUS_TYPE_SYSTEM, NULL, &error);

	if (!bus) {
		cli_error("the system D-Bus is not reachable (%s), so %s", error->message,
			  no_daemon_sentence);
		return CLI_EXIT_NO_DAEMON;
	}
	*ret_bus = bus;
	return CLI_EXIT_OK;
}

static bool bus_ask_bool(GDBusConnection *bus, const char *method, GError **error)
{
	g_autoptr(GVariant) reply = g_dbus_connection_call_sync(
		bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
		method, g_variant_new("(s)", CLI_BUS_NAME), G_VARIANT_TYPE("(b)"),
		G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
	gboolean value = FALSE;

	if (reply)
		g_variant_get(reply, "(b)", &value);
	return value;
}

static bool bus_activatable(GDBusConnection *bus, GError **error)
{
	g_autoptr(GVariant) reply = g_dbus_connection_call_sync(
		bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
		"ListActivatableNames", NULL, G_VARIANT_TYPE("(as)"), G_DBUS_CALL_FLAGS_NONE, -1,
		NULL, error);
	g_autofree const char **names = NULL;

	if (!reply)
		return false;
	g_variant_get(reply, "(^a&s)", &names);
	return g_strv_contains(names, CLI_BUS_NAME);
}

int cli_bus_daemon_check(GDBusConnection *bus, bool *ret_running)
{
	g_autoptr(GError) error = NULL;
	bool running = bus_ask_bool(bus, "NameHasOwner", &error);

	if (error) {
		cli_error("the system D-Bus does not answer (%s), so %s", error->message,
			  no_daemon_sentence);
		return CLI_EXIT_NO_DAEMON;
	}
	/* not running is normal: roadied exits when idle and the bus starts it on demand */
	if (!running && !bus_activatable(bus, NULL)) {
		cli_error("%s", no_daemon_sentence);
		return CLI_EXIT_NO_DAEMON;
	}
	*ret_running = running;
	return CLI_EXIT_OK;
}

static const struct {
	const char *name;
	int status;
} bus_errors[] = {
	{"org.roadie.Error.NotAuthorized", CLI_EXIT_NOT_AUTHORIZED},
	{"org.roadie.Error.InvalidSettings", CLI_EXIT_PROFILE},
	{"org.roadie.Error.InvalidSecrets", CLI_EXIT_PROFILE},
	{"org.roadie.Error.AlreadyConnected", CLI_EXIT_FAILED},
	{"org.roadie.Error.NotConnected", CLI_EXIT_FAILED},
	{"org.roadie.Error.Failed", CLI_EXIT_FAILED},
	/* the bus's own answers: nobody owns the name and it cannot be activated */
	{"org.freedesktop.DBus.Error.ServiceUnknown", CLI_EXIT_NO_DAEMON},
	{"org.freedesktop.DBus.Error.NameHasNoOwner", CLI_EXIT_NO_DAEMON},
	{"org.freedesktop.DBus.Error.Spawn.ExecFailed", CLI_EXIT_NO_DAEMON},
	{"org.freedesktop.DBus.Error.Spawn.ServiceNotFound", CLI_EXIT_NO_DAEMON},
	{"org.freedesktop.DBus.Error.Spawn.FileInvalid", CLI_EXIT_NO_DAEMON},
	{"org.freedesktop.DBus.Error.Spawn.ChildExited", CLI_EXIT_NO_DAEMON},
	{"org.freedesktop.DBus.Error.Spawn.ChildSignaled", CLI_EXIT_NO_DAEMON},
	{"org.freedesktop.DBus.Error.Spawn.Failed", CLI_EXIT_NO_DAEMON},
	{"org.freedesktop.DBus.Error.Disconnected", CLI_EXIT_NO_DAEMON},
	/* the bus policy refused the call before polkit was asked */
	{"org.freedesktop.DBus.Error.AccessDenied", CLI_EXIT_NOT_AUTHORIZED},
	{"org.freedesktop.DBus.Error.UnknownObject", CLI_EXIT_NOT_FOUND},
};

int cli_bus_error(const GError *error, const char *what)
{
	g_autofree char *name = g_dbus_error_get_remote_error(error);
	g_autoptr(GError) copy = g_error_copy(error);
	int status = CLI_EXIT_FAILED;

	g_dbus_error_strip_remote_error(copy);
	for (size_t i = 0; name && i < G_N_ELEMENTS(bus_errors); i++)
		if (strcmp(name, bus_errors[i].name) == 0)
			status = bus_errors[i].status;
	if (status == CLI_EXIT_NO_DAEMON)
		cli_error("%s: %s (%s)", what, no_daemon_sentence, copy->message);
	else if (status == CLI_EXIT_NOT_AUTHORIZED)
		cli_error("%s: not authorised: %s", what, copy->message);
	else if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
		cli_error("%s: roadied did not answer in time", what);
	else
		cli_error("%s: %s", what, copy->message);
	return status;
}

GDBusObjectManager *cli_bus_manager(GDBusConnection *bus, int *ret_status)
{
	g_autoptr(GError) error = NULL;
	GDBusObjectManager *manager = roadie_object_manager_client_new_sync(
		bus, G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_DO_NOT_AUTO_START, CLI_BUS_NAME,
		CLI_DAEMON_PATH, NULL, &error);

	if (!manager)
		*ret_status = cli_bus_error(error, "cannot list roadied's connections");
	return manager;
}

const char *cli_connection_str(RoadieConnection1 *c, const char *(*get)(RoadieConnection1 *))
{
	const char *value = c ? get(c) : NULL;

	return value ? value : "";
}

bool cli_state_final(const char *state)
{
	return g_strcmp0(state, "disconnected") == 0 || g_strcmp0(state, "failed") == 0;
}

static int bus_compare_objects(gconstpointer a, gconstpointer b)
{
	GDBusObject *oa = *(GDBusObject *const *)a, *ob = *(GDBusObject *const *)b;

	return g_strcmp0(g_dbus_object_get_object_path(oa), g_dbus_object_get_object_path(ob));
}

GPtrArray *cli_bus_find_connections(GDBusObjectManager *manager, const char *arg)
{
	GPtrArray *found = g_ptr_array_new_with_free_func(g_object_unref);
	GList *objects = g_dbus_object_manager_get_objects(manager);
	g_autoptr(RoadieProfile) profile = NULL;
	g_autofree char *path = NULL;

	/* "office" matches a Profile of "office", and also the [connection] name that
	 * office.conf gives ("Office VPN"), which is what was sent */
	if (arg && arg[0] != '/' && (path = cli_profile_path(arg, NULL)))
		profile = roadie_profile_load_file(path, ROADIE_CHECK_DEFAULT, NULL, NULL);
	for (GList *l = objects; l; l = l->next) {
		RoadieConnection1 *c = roadie_object_peek_connection1(ROADIE_OBJECT(l->data));
		const char *name;

		if (!c)
			continue;
		name = cli_connection_str(c, roadie_connection1_get_profile);
		if (!arg || g_strcmp0(g_dbus_object_get_object_path(l->data), arg) == 0 ||
		    strcmp(name, arg) == 0 || (profile && g_strcmp0(profile->name, name) == 0))
			g_ptr_array_add(found, g_object_ref(l->data));
	}
	g_list_free_full(objects, g_object_unref);
	g_ptr_array_sort(found, bus_compare_objects);
	return found;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "roadied"

#include "service-polkit.h"

#define POLKIT_NAME "org.freedesktop.PolicyKit1"
#define POLKIT_PATH "/org/freedesktop/PolicyKit1/Authority"
#define POLKIT_IFACE "org.freedesktop.PolicyKit1.Authority"
/* CheckAuthorizationFlags: AllowUserInteraction */
#define POLKIT_ALLOW_INTERACTION 1u

static void service_on_uid(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GTask) task = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
	uint32_t uid;

	if (!reply) {
		g_task_return_new_error(task, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
					"the bus does not say who is calling: %s", error->message);
		return;
	}
	g_variant_get(reply, "(u)", &uid);
	g_task_return_int(task, uid);
}

void service_caller_uid(GDBusConnection *bus, const char *sender, GCancellable *cancel,
			GAsyncReadyCallback callback, gpointer user)
{
	GTask *task = g_task_new(NULL, cancel, callback, user);

	g_dbus_connection_call(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
			       "org.freedesktop.DBus", "GetConnectionUnixUser",
			       g_variant_new("(s)", sender), G_VARIANT_TYPE("(u)"),
			       G_DBUS_CALL_FLAGS_NONE, 10000, cancel, service_on_uid, task);
}

bool service_caller_uid_finish(GAsyncResult *result, uint32_t *ret_uid, GError **error)
{
	gssize uid = g_task_propagate_int(G_TASK(result), error);

	if (uid < 0)
		return false;
	*ret_uid = (uint32_t)uid;
	return true;
}

struct polkit_call {
	char *action;
	uint32_t uid;
};

static void polkit_call_free(gpointer data)
{
	struct polkit_call *call = data;

	g_free(call->action);
	g_free(call);
}

static void service_on_polkit(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GTask) task = data;
	struct polkit_call *call = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
	gboolean authorized = FALSE, challenge = FALSE;

	if (!reply) {
		g_message("polkit: cannot check %s for uid %u: %s", call->action, call->uid,
			  error->message);
		g_task_return_new_error(task, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED,
					"polkit cannot be asked whether you may do this (%s): is "
					"polkitd running?",
					call->action);
		return;
	}
	g_variant_get(reply, "((bb@a{ss}))", &authorized, &challenge, NULL);
	g_debug("polkit: %s for uid %u: %s%s", call->action, call->uid,
		authorized ? "yes" : "no", challenge ? " (a challenge)" : "");
	if (authorized) {
		g_task_return_boolean(task, TRUE);
		return;
	}
	g_task_return_new_error(task, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED,
				challenge ? "you are not allowed to do this (%s) without "
					    "authenticating: run it from your desktop session, "
					    "where polkit can ask"
					  : "you are not allowed to do this (%s)",
				call->action);
}

void service_polkit_check(GDBusConnection *bus, const char *sender, uint32_t uid,
			  const char *action, bool interactive, GCancellable *cancel,
			  GAsyncReadyCallback callback, gpointer user)
{
	GTask *task = g_task_new(NULL, cancel, callback, user);
	struct polkit_call *call = g_new0(struct polkit_call, 1);
	GVariantBuilder subject, details;

	call->action = g_strdup(action);
	call->uid = uid;
	g_task_set_task_data(task, call, polkit_call_free);
	if (uid == 0) {
		g_task_return_boolean(task, TRUE);
		g_object_unref(task);
		return;
	}
	g_variant_builder_init(&subject, G_VARIANT_TYPE("a{sv}"));
	g_variant_builder_add(&subject, "{sv}", "name", g_variant_new_string(sender));
	g_variant_builder_init(&details, G_VARIANT_TYPE("a{ss}"));
	/* an interactive check waits for the user at a password dialog: no timeout */
	g_dbus_connection_call(bus, POLKIT_NAME, POLKIT_PATH, POLKIT_IFACE, "CheckAuthorization",
			       g_variant_new("((sa{sv})sa{ss}us)", "system-bus-name", &subject,
					     action, &details,
					     interactive ? POLKIT_ALLOW_INTERACTION : 0u, ""),
			       G_VARIANT_TYPE("((bba{ss}))"), G_DBUS_CALL_FLAGS_NONE,
			       interactive ? G_MAXINT : 25000, cancel, service_on_polkit, task);
}

bool service_polkit_check_finish(GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}

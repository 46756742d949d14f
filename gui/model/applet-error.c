/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>
#include <gio/gio.h>

#include "applet-error.h"

typedef struct {
	char **secret_keys;
} RoadieAppletErrorPrivate;

/* The macro's accessor returns NULL for a foreign error: these hooks accept it. */
static void roadie_applet_error_private_init(RoadieAppletErrorPrivate *priv)
{
	if (priv)
		priv->secret_keys = NULL;
}

static void roadie_applet_error_private_copy(const RoadieAppletErrorPrivate *src,
					     RoadieAppletErrorPrivate *dest)
{
	if (src && dest)
		dest->secret_keys = g_strdupv(src->secret_keys);
}

static void roadie_applet_error_private_clear(RoadieAppletErrorPrivate *priv)
{
	if (priv)
		g_clear_pointer(&priv->secret_keys, g_strfreev);
}

G_DEFINE_EXTENDED_ERROR(RoadieAppletError, roadie_applet_error)

void roadie_applet_error_set_needs_secret(GError **error, const char *const *keys,
					  const char *format, ...)
{
	g_autofree char *message = NULL;
	RoadieAppletErrorPrivate *priv;
	GError *e;
	va_list ap;

	if (!error)
		return;
	va_start(ap, format);
	message = g_strdup_vprintf(format, ap);
	va_end(ap);
	e = g_error_new_literal(ROADIE_APPLET_ERROR, ROADIE_APPLET_ERROR_NEEDS_SECRET, message);
	priv = roadie_applet_error_get_private(e);
	if (priv)
		priv->secret_keys = g_strdupv((char **)keys);
	g_propagate_error(error, e);
}

const char *const *roadie_applet_error_get_secret_keys(const GError *error)
{
	RoadieAppletErrorPrivate *priv;

	if (!error || !g_error_matches(error, ROADIE_APPLET_ERROR, ROADIE_APPLET_ERROR_NEEDS_SECRET))
		return NULL;
	priv = roadie_applet_error_get_private(error);
	return priv ? (const char *const *)priv->secret_keys : NULL;
}

/* The names roadied documents (data/dbus/org.roadie.Daemon1.xml, Connection1.xml) and those
 * the bus answers for it: nobody owns the name and it cannot be activated, or the policy. */
static const struct {
	const char *name;
	RoadieAppletError code;
} dbus_errors[] = {
	{"org.roadie.Error.NotAuthorized", ROADIE_APPLET_ERROR_NOT_AUTHORIZED},
	{"org.roadie.Error.InvalidSettings", ROADIE_APPLET_ERROR_INVALID_SETTINGS},
	{"org.roadie.Error.InvalidSecrets", ROADIE_APPLET_ERROR_INVALID_SECRETS},
	{"org.roadie.Error.AlreadyConnected", ROADIE_APPLET_ERROR_ALREADY_CONNECTED},
	{"org.roadie.Error.NotConnected", ROADIE_APPLET_ERROR_NOT_CONNECTED},
	{"org.roadie.Error.Failed", ROADIE_APPLET_ERROR_FAILED},
	{"org.freedesktop.DBus.Error.ServiceUnknown", ROADIE_APPLET_ERROR_NOT_RUNNING},
	{"org.freedesktop.DBus.Error.NameHasNoOwner", ROADIE_APPLET_ERROR_NOT_RUNNING},
	{"org.freedesktop.DBus.Error.Spawn.ExecFailed", ROADIE_APPLET_ERROR_NOT_RUNNING},
	{"org.freedesktop.DBus.Error.Spawn.ServiceNotFound", ROADIE_APPLET_ERROR_NOT_RUNNING},
	{"org.freedesktop.DBus.Error.Spawn.FileInvalid", ROADIE_APPLET_ERROR_NOT_RUNNING},
	{"org.freedesktop.DBus.Error.Spawn.ChildExited", ROADIE_APPLET_ERROR_NOT_RUNNING},
	{"org.freedesktop.DBus.Error.Spawn.ChildSignaled", ROADIE_APPLET_ERROR_NOT_RUNNING},
	{"org.freedesktop.DBus.Error.Spawn.Failed", ROADIE_APPLET_ERROR_NOT_RUNNING},
	{"org.freedesktop.DBus.Error.Disconnected", ROADIE_APPLET_ERROR_NOT_RUNNING},
	{"org.freedesktop.DBus.Error.AccessDenied", ROADIE_APPLET_ERROR_NOT_AUTHORIZED},
	{"org.freedesktop.DBus.Error.UnknownObject", ROADIE_APPLET_ERROR_NOT_CONNECTED},
};

GError *roadie_applet_error_from_dbus(const GError *error)
{
	g_autofree char *name = g_dbus_error_get_remote_error(error);
	g_autoptr(GError) copy = g_error_copy(error);
	RoadieAppletError code = ROADIE_APPLET_ERROR_FAILED;

	g_dbus_error_strip_remote_error(copy);
	for (size_t i = 0; name && i < G_N_ELEMENTS(dbus_errors); i++)
		if (strcmp(name, dbus_errors[i].name) == 0)
			code = dbus_errors[i].code;
	if (code == ROADIE_APPLET_ERROR_NOT_RUNNING)
		return g_error_new(ROADIE_APPLET_ERROR, code,
				   "roadied is not running and cannot be started (%s): is the "
				   "roadie package installed?",
				   copy->message);
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
		return g_error_new_literal(ROADIE_APPLET_ERROR, code,
					   "roadied did not answer in time");
	return g_error_new_literal(ROADIE_APPLET_ERROR, code, copy->message);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * roadie-applet: the application. One instance per session (GtkApplication "org.roadie.Applet"
 * on the session bus: starting it again, from the launcher, opens the connection details of
 * the running one). It holds itself alive without a window: the tray icon is its face.
 *
 * Actions, for the menu, the notifications and a second start:
 *   app.connect('ID')     connect profile ID (asking for missing secrets)
 *   app.disconnect('ID')  end profile ID's connection
 *   app.details('ID')     the details window, on ID ('' for the first)
 *   app.edit('ID')        the profile editor, on ID ('' for the list)
 *   app.nm-connect('UUID')     activate NetworkManager's roadie connection UUID through NM
 *   app.nm-disconnect('UUID')  deactivate it through NM
 *   app.quit              end the applet (connections stay up: roadied holds them)
 *
 * A connection NetworkManager manages is NM's to start and stop: going to roadied for it
 * would have the two fight over it (applet-nm.h).
 *
 * Options: --autostart (started by the session at login: nothing to open).
 * Environment for tests: DBUS_SYSTEM_BUS_ADDRESS (roadied's bus), ROADIE_APPLET_ICON_PATH
 * (icons of an uninstalled build), XDG_CONFIG_HOME and ROADIE_SYSCONFDIR (the profiles).
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "applet-details.h"
#include "applet-editor.h"
#include "secret.h"
#include "applet.h"

static RoadieApplet applet_instance;

static const char *action_target(GVariant *parameter)
{
	const char *id = parameter ? g_variant_get_string(parameter, NULL) : "";

	return *id ? id : NULL;
}

static void on_connect(GSimpleAction *action, GVariant *parameter, gpointer data)
{
	const char *id = action_target(parameter);

	if (id)
		roadie_applet_connect(data, id);
}

static void on_disconnected(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *id = data;

	if (!roadie_applet_model_disconnect_finish(ROADIE_APPLET_MODEL(source), result, &error)) {
		g_autofree char *title = g_strdup_printf(_("%s: cannot disconnect"), id);

		roadie_applet_notify_error(&applet_instance, id, title, error->message);
	}
}

static void on_disconnect(GSimpleAction *action, GVariant *parameter, gpointer data)
{
	RoadieApplet *applet = data;
	const char *id = action_target(parameter);

	if (id)
		roadie_applet_model_disconnect(applet->model, id, NULL, on_disconnected,
					       g_strdup(id));
}

static void on_details(GSimpleAction *action, GVariant *parameter, gpointer data)
{
	RoadieApplet *applet = data;

	if (!applet->details) {
		applet->details = roadie_applet_details_new(applet->app, applet->model);
		g_object_add_weak_pointer(G_OBJECT(applet->details), (gpointer *)&applet->details);
	}
	roadie_applet_details_show_profile(applet->details, action_target(parameter));
	gtk_window_present(applet->details);
}

static void on_edit(GSimpleAction *action, GVariant *parameter, gpointer data)
{
	RoadieApplet *applet = data;
	const char *id = action_target(parameter);

	if (!applet->editor) {
		applet->editor = roadie_applet_editor_window_new(applet->app);
		g_object_add_weak_pointer(G_OBJECT(applet->editor), (gpointer *)&applet->editor);
	}
	gtk_window_present(applet->editor);
	if (id)
		roadie_applet_editor_window_edit(applet->editor, id);
}

#ifdef ROADIE_APPLET_HAVE_NM
/* The name the user knows an NM connection by, for a title; its uuid if it went. */
static const char *nm_name(RoadieApplet *applet, const char *uuid)
{
	const RoadieAppletNmConnection *c =
		roadie_applet_nm_find(roadie_applet_model_get_nm(applet->model), uuid);

	return c ? c->id : uuid;
}

static void on_nm_activated(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *uuid = data;

	if (!roadie_applet_nm_activate_finish(ROADIE_APPLET_NM(source), result, &error)) {
		g_autofree char *title =
			g_strdup_printf(_("%s: cannot connect"), nm_name(&applet_instance, uuid));

		roadie_applet_notify_error(&applet_instance, NULL, title, error->message);
	}
}

static void on_nm_connect(GSimpleAction *action, GVariant *parameter, gpointer data)
{
	RoadieApplet *applet = data;
	const char *uuid = action_target(parameter);

	if (uuid)
		roadie_applet_nm_activate(roadie_applet_model_get_nm(applet->model), uuid, NULL,
					  on_nm_activated, g_strdup(uuid));
}

static void on_nm_deactivated(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *uuid = data;

	if (!roadie_applet_nm_deactivate_finish(ROADIE_APPLET_NM(source), result, &error)) {
		g_autofree char *title = g_strdup_printf(_("%s: cannot disconnect"),
							 nm_name(&applet_instance, uuid));

		roadie_applet_notify_error(&applet_instance, NULL, title, error->message);
	}
}

static void on_nm_disconnect(GSimpleAction *action, GVariant *parameter, gpointer data)
{
	RoadieApplet *applet = data;
	const char *uuid = action_target(parameter);

	if (uuid)
		roadie_applet_nm_deactivate(roadie_applet_model_get_nm(applet->model), uuid, NULL,
					    on_nm_deactivated, g_strdup(uuid));
}

/* An activation asked for here ended before it came up: NM's reason, in words. */
static void on_nm_failed(RoadieAppletNm *nm, const RoadieAppletNmConnection *c,
			 const char *sentence, gpointer data)
{
	g_autofree char *title = g_strdup_printf(_("%s: connection failed"), c->id);

	roadie_applet_notify_error(data, NULL, title, sentence);
}
#endif

static void on_quit(GSimpleAction *action, GVariant *parameter, gpointer data)
{
	RoadieApplet *applet = data;

	g_application_quit(G_APPLICATION(applet->app));
}

static const GActionEntry applet_actions[] = {
	{ .name = "connect", .activate = on_connect, .parameter_type = "s" },
	{ .name = "disconnect", .activate = on_disconnect, .parameter_type = "s" },
	{ .name = "details", .activate = on_details, .parameter_type = "s" },
	{ .name = "edit", .activate = on_edit, .parameter_type = "s" },
#ifdef ROADIE_APPLET_HAVE_NM
	{ .name = "nm-connect", .activate = on_nm_connect, .parameter_type = "s" },
	{ .name = "nm-disconnect", .activate = on_nm_disconnect, .parameter_type = "s" },
#endif
	{ .name = "quit", .activate = on_quit },
};

static void on_startup(GApplication *app, gpointer data)
{
	RoadieApplet *applet = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GDBusConnection) bus = g_bus_get_sync(G_BUS_TYPE_SYSTEM, NULL, &error);

	if (!bus) {
		/* nothing works without roadied's bus: say so where the user looks */
		g_printerr(_("roadie-applet: cannot reach the system bus: %s\n"), error->message);
		return;
	}
	g_action_map_add_action_entries(G_ACTION_MAP(app), applet_actions,
					G_N_ELEMENTS(applet_actions), applet);
	applet->remember = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
						 (GDestroyNotify)g_hash_table_unref);
	applet->model = roadie_applet_model_new(bus, NULL, NULL);
	applet->tray = roadie_applet_tray_new(applet);
	roadie_applet_notify_setup(applet);
#ifdef ROADIE_APPLET_HAVE_NM
	g_signal_connect(roadie_applet_model_get_nm(applet->model), "failed",
			 G_CALLBACK(on_nm_failed), applet);
#endif
	g_application_hold(app);
}

static void on_shutdown(GApplication *app, gpointer data)
{
	RoadieApplet *applet = data;

	if (applet->details)
		gtk_widget_destroy(GTK_WIDGET(applet->details));
	if (applet->editor)
		gtk_widget_destroy(GTK_WIDGET(applet->editor));
	g_clear_pointer(&applet->tray, roadie_applet_tray_free);
	g_clear_object(&applet->model);
	g_clear_pointer(&applet->remember, g_hash_table_unref);
}

/* The first start shows nothing but the icon; a later start of the launcher shows the
 * details (the running instance gets this). */
static void on_activate(GApplication *app, gpointer data)
{
	RoadieApplet *applet = data;
	static bool first = true;

	if (!applet->model) {
		g_application_quit(app);
		return;
	}
	if (first) {
		first = false;
		return;
	}
	g_action_group_activate_action(G_ACTION_GROUP(app), "details", g_variant_new_string(""));
}

int main(int argc, char **argv)
{
	RoadieApplet *applet = &applet_instance;
	gboolean autostart = FALSE;
	const GOptionEntry options[] = {
		{ "autostart", 0, 0, G_OPTION_ARG_NONE, &autostart,
		  N_("Started by the session at login"), NULL },
		{ NULL },
	};
	int status;

	setlocale(LC_ALL, "");
	bindtextdomain(GETTEXT_PACKAGE, ROADIE_LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);
	g_set_application_name(_("roadie VPN"));

	applet->app = gtk_application_new("org.roadie.Applet", G_APPLICATION_DEFAULT_FLAGS);
	g_application_add_main_option_entries(G_APPLICATION(applet->app), options);
	g_signal_connect(applet->app, "startup", G_CALLBACK(on_startup), applet);
	g_signal_connect(applet->app, "shutdown", G_CALLBACK(on_shutdown), applet);
	g_signal_connect(applet->app, "activate", G_CALLBACK(on_activate), applet);
	status = g_application_run(G_APPLICATION(applet->app), argc, argv);
	g_object_unref(applet->app);
	return status;
}

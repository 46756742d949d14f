/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tray icon and its menu.
 *
 * The icon is a StatusNotifierItem made by libayatana-appindicator3; where no
 * StatusNotifierWatcher runs (an X session with an XEmbed tray only), the library puts up a
 * GtkStatusIcon in the XEmbed tray instead, with the same menu, and switches back when a
 * watcher appears. The icon's name follows the model's overall state; while a connection is
 * on its way up it steps through three "connecting" frames.
 *
 * The menu lists each profile with its state, then a Connect or Disconnect item for it; then
 * NetworkManager's roadie connections the same way ("office (NetworkManager): Connected"),
 * whose items go through NetworkManager (app.nm-connect, app.nm-disconnect); then
 * "Connection details", "Edit connections…" and "Quit". A roadied connection that
 * NetworkManager started is shown once, under NetworkManager: a profile of the same name
 * whose menu entry would show that connection is left out while NM runs it. It changes only when its text does
 * (the model says "changed" for every traffic counter too), and in place while its shape (the
 * lines, and which of them act) stays the same: a panel reading it over D-Bus (dbusmenu) keeps
 * the item ids it has, so a click that crosses a state change still lands on its item. Only a
 * profile added, removed or becoming unusable rebuilds it.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <libayatana-appindicator/app-indicator.h>

#include "applet-words.h"
#include "applet.h"

#define TRAY_ID "roadie-applet"
#define TRAY_FRAME_MS 400

struct RoadieAppletTray {
	RoadieApplet *applet;
	AppIndicator *indicator;
	GtkMenu *menu;
	GPtrArray *items; /* the menu's GtkMenuItem *, one per line, in order */
	char *menu_text;  /* what the current menu says, to change it only on a change */
	char *menu_shape; /* per line: 's' separator, 'i' informs, 'a' acts */
	RoadieAppletState state;
	guint frame_timer;
	unsigned frame;
	gulong changed_handler;
};

static const char *tray_icon_name(RoadieAppletState state, unsigned frame)
{
	static const char *const connecting[] = { "roadie-connecting-1", "roadie-connecting-2",
						  "roadie-connecting-3" };

	switch (state) {
	case ROADIE_APPLET_STATE_CONNECTED:
		return "roadie-connected";
	case ROADIE_APPLET_STATE_CONNECTING:
		return connecting[frame % G_N_ELEMENTS(connecting)];
	case ROADIE_APPLET_STATE_RECONNECTING:
		return "roadie-reconnecting";
	case ROADIE_APPLET_STATE_FAILED:
		return "roadie-failed";
	case ROADIE_APPLET_STATE_DISCONNECTED:
		break;
	}
	return "roadie-disconnected";
}

/* what the icon says to a screen reader and in the panel's tooltip */
static const char *tray_icon_description(RoadieAppletState state)
{
	switch (state) {
	case ROADIE_APPLET_STATE_CONNECTED:
		return _("VPN connected");
	case ROADIE_APPLET_STATE_CONNECTING:
		return _("VPN connecting");
	case ROADIE_APPLET_STATE_RECONNECTING:
		return _("VPN reconnecting");
	case ROADIE_APPLET_STATE_FAILED:
		return _("VPN connection failed");
	case ROADIE_APPLET_STATE_DISCONNECTED:
		break;
	}
	return _("VPN disconnected");
}

static void tray_set_icon(RoadieAppletTray *tray)
{
	app_indicator_set_icon_full(tray->indicator, tray_icon_name(tray->state, tray->frame),
				    tray_icon_description(tray->state));
	app_indicator_set_title(tray->indicator, tray_icon_description(tray->state));
}

static gboolean tray_on_frame(gpointer data)
{
	RoadieAppletTray *tray = data;

	tray->frame++;
	tray_set_icon(tray);
	return G_SOURCE_CONTINUE;
}

static void tray_update_icon(RoadieAppletTray *tray)
{
	RoadieAppletState state = roadie_applet_model_get_state(tray->applet->model);

	if (state == tray->state && tray->indicator)
		return;
	tray->state = state;
	tray->frame = 0;
	if (state == ROADIE_APPLET_STATE_CONNECTING && !tray->frame_timer)
		tray->frame_timer = g_timeout_add(TRAY_FRAME_MS, tray_on_frame, tray);
	else if (state != ROADIE_APPLET_STATE_CONNECTING && tray->frame_timer)
		g_clear_handle_id(&tray->frame_timer, g_source_remove);
	tray_set_icon(tray);
}

/* ---- the menu ---- */

/* One line of the menu as the tray builds it: the label, and the action it runs (NULL: a
 * line that only informs). */
typedef struct {
	char *label;
	const char *action; /* "app.connect", ... */
	char *target;       /* the action's string parameter, or NULL */
	bool insensitive;   /* an action line that cannot act now */
} Line;

static void line_clear(gpointer data)
{
	Line *l = data;

	g_free(l->label);
	g_free(l->target);
}

static void lines_add(GArray *lines, char *label, const char *action, const char *target)
{
	Line l = { .label = label, .action = action, .target = g_strdup(target) };

	g_array_append_val(lines, l);
}

/* A profile's id as menu text: every label is read with mnemonics, so '_' is doubled. */
static char *tray_escape(const char *id)
{
	GString *s = g_string_new(NULL);

	for (const char *p = id; *p; p++) {
		if (*p == '_')
			g_string_append_c(s, '_');
		g_string_append_c(s, *p);
	}
	return g_string_free(s, FALSE);
}

/* "office: Connected", "office: Failed", "office: Not connected", ... */
static char *tray_profile_label(RoadieAppletModel *model, const RoadieAppletProfile *p)
{
	const RoadieAppletConnection *c = roadie_applet_model_get_profile_connection(model, p->id);
	g_autofree char *id = tray_escape(p->id);
	g_autofree char *problem = p->problem ? tray_escape(p->problem) : NULL;
	const char *code, *text;

	if (problem)
		return g_strdup_printf(_("%s: cannot be used: %s"), id, problem);
	if (c && g_strcmp0(c->state, "failed") != 0 && g_strcmp0(c->state, "disconnected") != 0)
		return g_strdup_printf("%s: %s", id, roadie_applet_words_state(c->state));
	if (roadie_applet_model_get_failure(model, p->id, &code, &text))
		return g_strdup_printf(_("%s: Failed"), id);
	return g_strdup_printf(_("%s: Not connected"), id);
}

#ifdef ROADIE_APPLET_HAVE_NM
/* roadied's connection @c is one that NetworkManager runs: its menu lines are NM's. */
static bool tray_connection_is_nm(RoadieAppletModel *model, const RoadieAppletConnection *c)
{
	return c && roadie_applet_nm_find_active_profile(roadie_applet_model_get_nm(model),
							 c->profile);
}

/* "office (NetworkManager): Connected", then Connect or Disconnect through NM; returns
 * how many connections it listed. */
static guint tray_nm_lines(RoadieAppletModel *model, GArray *lines)
{
	GPtrArray *conns = roadie_applet_nm_get_connections(roadie_applet_model_get_nm(model));

	for (guint i = 0; i < conns->len; i++) {
		const RoadieAppletNmConnection *c = conns->pdata[i];
		g_autofree char *id = tray_escape(c->id);

		lines_add(lines,
			  g_strdup_printf(_("%s (NetworkManager): %s"), id,
					  roadie_applet_nm_state_words(c)),
			  NULL, NULL);
		if (!c->active || c->state == NM_ACTIVE_CONNECTION_STATE_DEACTIVATED)
			lines_add(lines, g_strdup_printf(_("Connect %s"), id), "app.nm-connect",
				  c->uuid);
		else
			lines_add(lines, g_strdup_printf(_("Disconnect %s"), id),
				  "app.nm-disconnect", c->uuid);
		/* on its way down: the line stays (the menu keeps its shape), and waits */
		if (c->active && c->state == NM_ACTIVE_CONNECTION_STATE_DEACTIVATING)
			g_array_index(lines, Line, lines->len - 1).insensitive = true;
	}
	return conns->len;
}
#endif

static GArray *tray_menu_lines(RoadieAppletTray *tray)
{
	RoadieAppletModel *model = tray->applet->model;
	GPtrArray *profiles = roadie_applet_model_get_profiles(model);
	GArray *lines = g_array_new(FALSE, TRUE, sizeof(Line));
	guint listed = 0;

	g_array_set_clear_func(lines, line_clear);
	for (guint i = 0; i < profiles->len; i++) {
		const RoadieAppletProfile *p = profiles->pdata[i];
		const RoadieAppletConnection *c =
			roadie_applet_model_get_profile_connection(model, p->id);
		g_autofree char *id = tray_escape(p->id);
		bool active = c && g_strcmp0(c->state, "failed") != 0 &&
			      g_strcmp0(c->state, "disconnected") != 0 &&
			      g_strcmp0(c->state, "disconnecting") != 0;

#ifdef ROADIE_APPLET_HAVE_NM
		if (tray_connection_is_nm(model, c))
			continue;
#endif
		listed++;
		lines_add(lines, tray_profile_label(model, p), NULL, NULL);
		if (p->problem)
			lines_add(lines, g_strdup_printf(_("Edit %s…"), id), "app.edit", p->id);
		else if (active || (c && g_strcmp0(c->state, "disconnecting") == 0))
			lines_add(lines, g_strdup_printf(_("Disconnect %s"), id),
				  "app.disconnect", p->id);
		else
			lines_add(lines, g_strdup_printf(_("Connect %s"), id), "app.connect",
				  p->id);
		/* on its way down: the line stays, and waits */
		if (c && g_strcmp0(c->state, "disconnecting") == 0)
			g_array_index(lines, Line, lines->len - 1).insensitive = true;
	}
#ifdef ROADIE_APPLET_HAVE_NM
	listed += tray_nm_lines(model, lines);
#endif
	if (listed == 0)
		lines_add(lines, g_strdup(_("No VPN connections yet")), NULL, NULL);
	lines_add(lines, NULL, NULL, NULL); /* separator */
	lines_add(lines, g_strdup(_("Connection _details")), "app.details", "");
	lines_add(lines, g_strdup(_("_Edit connections…")), "app.edit", "");
	lines_add(lines, NULL, NULL, NULL);
	lines_add(lines, g_strdup(_("_Quit")), "app.quit", NULL);
	return lines;
}

static char *tray_lines_text(GArray *lines)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < lines->len; i++) {
		const Line *l = &g_array_index(lines, Line, i);

		g_string_append_printf(s, "%s\t%s\t%s\t%d\n", l->label ? l->label : "-",
				       l->action ? l->action : "", l->target ? l->target : "",
				       l->insensitive);
	}
	return g_string_free(s, FALSE);
}

static void tray_on_item(GtkMenuItem *item, gpointer data)
{
	RoadieAppletTray *tray = data;
	const char *action = g_object_get_data(G_OBJECT(item), "roadie-action");
	const char *target = g_object_get_data(G_OBJECT(item), "roadie-target");

	g_action_group_activate_action(G_ACTION_GROUP(tray->applet->app), action + strlen("app."),
				       target ? g_variant_new_string(target) : NULL);
}

static char *tray_lines_shape(GArray *lines)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < lines->len; i++) {
		const Line *l = &g_array_index(lines, Line, i);

		g_string_append_c(s, !l->label ? 's' : l->action ? 'a' : 'i');
	}
	return g_string_free(s, FALSE);
}

/* Gives @item what line @l says: label, action and whether it can act. */
static void tray_item_set(RoadieAppletTray *tray, GtkWidget *item, const Line *l)
{
	if (!l->label)
		return;
	if (g_strcmp0(gtk_menu_item_get_label(GTK_MENU_ITEM(item)), l->label) != 0)
		gtk_menu_item_set_label(GTK_MENU_ITEM(item), l->label);
	gtk_widget_set_sensitive(item, l->action && !l->insensitive);
	if (!l->action)
		return;
	g_object_set_data_full(G_OBJECT(item), "roadie-action", g_strdup(l->action), g_free);
	g_object_set_data_full(G_OBJECT(item), "roadie-target", g_strdup(l->target), g_free);
	if (!g_object_get_data(G_OBJECT(item), "roadie-connected")) {
		g_signal_connect(item, "activate", G_CALLBACK(tray_on_item), tray);
		g_object_set_data(G_OBJECT(item), "roadie-connected", GINT_TO_POINTER(1));
	}
}

static void tray_update_menu(RoadieAppletTray *tray)
{
	g_autoptr(GArray) lines = tray_menu_lines(tray);
	g_autofree char *text = tray_lines_text(lines);
	g_autofree char *shape = tray_lines_shape(lines);
	GtkWidget *menu;

	if (tray->menu && g_strcmp0(text, tray->menu_text) == 0)
		return;
	g_free(tray->menu_text);
	tray->menu_text = g_steal_pointer(&text);
	if (tray->menu && g_strcmp0(shape, tray->menu_shape) == 0) {
		for (guint i = 0; i < lines->len; i++)
			tray_item_set(tray, tray->items->pdata[i], &g_array_index(lines, Line, i));
		return;
	}
	menu = gtk_menu_new();
	g_ptr_array_set_size(tray->items, 0);
	for (guint i = 0; i < lines->len; i++) {
		const Line *l = &g_array_index(lines, Line, i);
		GtkWidget *item = l->label ? gtk_menu_item_new_with_mnemonic(l->label)
					   : gtk_separator_menu_item_new();

		tray_item_set(tray, item, l);
		gtk_widget_show(item);
		gtk_menu_shell_append(GTK_MENU_SHELL(menu), item);
		g_ptr_array_add(tray->items, item);
	}
	/* the indicator takes its own reference; the old menu goes with it */
	tray->menu = GTK_MENU(menu);
	app_indicator_set_menu(tray->indicator, tray->menu);
	g_free(tray->menu_shape);
	tray->menu_shape = g_steal_pointer(&shape);
}

static void tray_on_model_changed(RoadieAppletModel *model, gpointer data)
{
	RoadieAppletTray *tray = data;

	tray_update_icon(tray);
	tray_update_menu(tray);
}

RoadieAppletTray *roadie_applet_tray_new(RoadieApplet *applet)
{
	RoadieAppletTray *tray = g_new0(RoadieAppletTray, 1);
	const char *theme_path = g_getenv("ROADIE_APPLET_ICON_PATH");

	tray->applet = applet;
	tray->items = g_ptr_array_new();
	tray->state = roadie_applet_model_get_state(applet->model);
	tray->indicator = app_indicator_new(TRAY_ID, tray_icon_name(tray->state, 0),
					    APP_INDICATOR_CATEGORY_COMMUNICATIONS);
	/* an uninstalled build (tests, screenshots) names where its icons are */
	if (theme_path && *theme_path)
		app_indicator_set_icon_theme_path(tray->indicator, theme_path);
	tray_set_icon(tray);
	app_indicator_set_status(tray->indicator, APP_INDICATOR_STATUS_ACTIVE);
	tray_update_menu(tray);
	tray->changed_handler = g_signal_connect(applet->model, "changed",
						 G_CALLBACK(tray_on_model_changed), tray);
	tray_update_icon(tray);
	return tray;
}

void roadie_applet_tray_free(RoadieAppletTray *tray)
{
	if (!tray)
		return;
	g_clear_signal_handler(&tray->changed_handler, tray->applet->model);
	g_clear_handle_id(&tray->frame_timer, g_source_remove);
	g_clear_object(&tray->indicator);
	g_ptr_array_unref(tray->items);
	g_free(tray->menu_text);
	g_free(tray->menu_shape);
	g_free(tray);
}

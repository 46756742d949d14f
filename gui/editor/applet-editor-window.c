/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "profile-dirs.h"

#include "roadie-editor-gtk.h"

#include "applet-editor-io.h"
#include "applet-editor.h"
#include "applet-profiles.h"

#define APPLET_EDITOR_UI "/org/roadie/applet/editor/applet-editor.ui"

typedef struct {
	GtkWidget *window;
	GtkBuilder *builder;
	char *user_dir;
	char *system_dir;
	RoadieAppletProfiles *profiles;
	const RoadieAppletSecretOps *secrets;
} EditorWindow;

static EditorWindow *window_get(GtkWindow *window)
{
	return g_object_get_data(G_OBJECT(window), "roadie-applet-editor-window");
}

static GtkWidget *window_object(EditorWindow *self, const char *id)
{
	GObject *object = gtk_builder_get_object(self->builder, id);

	if (!object)
		g_error("applet editor: no widget '%s' in the builder file", id);
	return GTK_WIDGET(object);
}

static void window_free(gpointer data)
{
	EditorWindow *self = data;

	roadie_applet_profiles_free(self->profiles);
	g_clear_object(&self->builder);
	g_free(self->user_dir);
	g_free(self->system_dir);
	g_free(self);
}

/* A line under the list: what went wrong, or NULL to clear it. */
static void window_message(EditorWindow *self, const char *text)
{
	GtkWidget *label = window_object(self, "list-message");

	gtk_label_set_text(GTK_LABEL(label), text ? text : "");
	roadie_gtk_widget_set_shown(label, text != NULL);
}

static const RoadieAppletProfile *window_selected_profile(EditorWindow *self)
{
	GtkListBoxRow *row =
		gtk_list_box_get_selected_row(GTK_LIST_BOX(window_object(self, "profile-list")));
	const char *id = row ? g_object_get_data(G_OBJECT(row), "profile-id") : NULL;

	return id ? roadie_applet_profiles_find(self->profiles, id) : NULL;
}

static void window_update_buttons(EditorWindow *self)
{
	const RoadieAppletProfile *profile = window_selected_profile(self);
	bool user = profile && !profile->system;

	gtk_widget_set_sensitive(window_object(self, "edit-button"), user && !profile->problem);
	gtk_widget_set_sensitive(window_object(self, "delete-button"), user);
	gtk_widget_set_sensitive(window_object(self, "export-button"),
				 profile && !profile->problem);
}

static GtkWidget *window_row_new(const RoadieAppletProfile *profile)
{
	GtkWidget *row = gtk_list_box_row_new();
	GtkWidget *label = gtk_label_new(NULL);
	g_autofree char *markup = NULL;
	g_autofree char *detail = NULL;
	g_autofree char *accessible = NULL;

	if (profile->problem)
		detail = g_strdup(profile->problem);
	else if (profile->system)
		detail = g_strdup_printf(_("%s — system profile, read-only"),
					 profile->gateway ? profile->gateway : "");
	else
		detail = g_strdup(profile->gateway ? profile->gateway : "");
	/* names and gateways come from files: escaped, never markup */
	markup = g_markup_printf_escaped("<b>%s</b>\n<small>%s</small>", profile->name, detail);
	gtk_label_set_markup(GTK_LABEL(label), markup);
	gtk_label_set_xalign(GTK_LABEL(label), 0);
	gtk_label_set_ellipsize(GTK_LABEL(label), PANGO_ELLIPSIZE_END);
	g_object_set(label, "margin", 6, NULL);
	gtk_container_add(GTK_CONTAINER(row), label);
	g_object_set_data_full(G_OBJECT(row), "profile-id", g_strdup(profile->id), g_free);
	accessible = g_strdup_printf("%s, %s", profile->name, detail);
	atk_object_set_name(gtk_widget_get_accessible(row), accessible);
	gtk_widget_show_all(row);
	return row;
}

static void window_fill(EditorWindow *self, const char *select)
{
	GtkListBox *list = GTK_LIST_BOX(window_object(self, "profile-list"));
	GPtrArray *profiles = roadie_applet_profiles_list(self->profiles);
	g_autoptr(GList) rows = gtk_container_get_children(GTK_CONTAINER(list));
	g_autofree char *keep = g_strdup(select);

	if (!keep) {
		const RoadieAppletProfile *selected = window_selected_profile(self);

		keep = selected ? g_strdup(selected->id) : NULL;
	}
	for (GList *l = rows; l; l = l->next)
		gtk_widget_destroy(l->data);
	for (guint i = 0; i < profiles->len; i++) {
		const RoadieAppletProfile *profile = profiles->pdata[i];
		GtkWidget *row = window_row_new(profile);

		gtk_list_box_insert(list, row, -1);
		if ((keep && strcmp(keep, profile->id) == 0) || (!keep && i == 0))
			gtk_list_box_select_row(list, GTK_LIST_BOX_ROW(row));
	}
	window_update_buttons(self);
}

static void window_profiles_changed(gpointer user_data)
{
	window_fill(user_data, NULL);
}

static void window_saved(const char *id, gpointer user_data)
{
	EditorWindow *self = user_data;

	roadie_applet_profiles_reload(self->profiles);
	window_fill(self, id);
	window_message(self, NULL);
}

static GtkWindow *window_open_editor(EditorWindow *self, const RoadieAppletEditorProfileArgs *args)
{
	g_autoptr(GError) error = NULL;
	GtkWidget *editor = roadie_applet_editor_profile_new(GTK_WINDOW(self->window), args, &error);

	if (!editor) {
		window_message(self, error->message);
		return NULL;
	}
	gtk_window_present(GTK_WINDOW(editor));
	return GTK_WINDOW(editor);
}

GtkWindow *roadie_applet_editor_window_edit(GtkWindow *window, const char *profile_id)
{
	EditorWindow *self = window_get(window);
	const RoadieAppletProfile *entry = roadie_applet_profiles_find(self->profiles, profile_id);
	g_autoptr(RoadieProfile) profile = NULL;
	g_autoptr(GHashTable) remembered = NULL;
	g_autoptr(GError) error = NULL;
	RoadieAppletEditorProfileArgs args = { 0 };

	if (!entry || entry->system) {
		g_autofree char *text =
			entry ? g_strdup_printf(_("“%s” is a system profile: it cannot be edited "
						  "here."),
						profile_id)
			      : g_strdup_printf(_("There is no profile “%s”."), profile_id);

		window_message(self, text);
		return NULL;
	}
	profile = roadie_profile_load_file(entry->path, ROADIE_CHECK_DEFAULT, NULL, &error);
	if (!profile) {
		window_message(self, error->message);
		return NULL;
	}
	remembered = roadie_applet_secrets_fill(self->secrets, entry->id, profile);
	args.user_dir = self->user_dir;
	args.id = entry->id;
	args.profile = profile;
	args.remembered = remembered;
	args.secrets = self->secrets;
	args.saved = window_saved;
	args.user_data = self;
	window_message(self, NULL);
	return window_open_editor(self, &args);
}

GtkWindow *roadie_applet_editor_window_add(GtkWindow *window)
{
	EditorWindow *self = window_get(window);
	RoadieAppletEditorProfileArgs args = {
		.user_dir = self->user_dir,
		.secrets = self->secrets,
		.saved = window_saved,
		.user_data = self,
	};

	return window_open_editor(self, &args);
}

GtkWindow *roadie_applet_editor_window_import(GtkWindow *window, const char *path,
					      GError **error)
{
	EditorWindow *self = window_get(window);
	g_autoptr(GPtrArray) notes = NULL;
	g_autoptr(RoadieProfile) profile = roadie_applet_editor_import(path, &notes, error);
	g_autofree char *name = NULL;
	RoadieAppletEditorProfileArgs args = { 0 };

	if (!profile)
		return NULL;
	name = roadie_applet_editor_import_name(path, profile);
	args.user_dir = self->user_dir;
	args.suggested_id = name;
	args.profile = profile;
	args.notes = notes;
	args.secrets = self->secrets;
	args.saved = window_saved;
	args.user_data = self;
	return window_open_editor(self, &args);
}

bool roadie_applet_editor_window_export(GtkWindow *window, const char *profile_id,
					const char *path, GError **error)
{
	EditorWindow *self = window_get(window);
	const RoadieAppletProfile *entry = roadie_applet_profiles_find(self->profiles, profile_id);

	if (!entry) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
			    _("There is no profile “%s”."), profile_id);
		return false;
	}
	return roadie_applet_editor_export(entry->path, path, error);
}

bool roadie_applet_editor_window_delete(GtkWindow *window, const char *profile_id,
					GError **error)
{
	EditorWindow *self = window_get(window);
	const RoadieAppletProfile *entry = roadie_applet_profiles_find(self->profiles, profile_id);
	g_autofree char *id = g_strdup(profile_id);

	if (!entry || entry->system) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
			    entry ? _("“%s” is a system profile: it cannot be deleted here.")
				  : _("There is no profile “%s”."),
			    profile_id);
		return false;
	}
	if (g_unlink(entry->path) < 0 && errno != ENOENT) {
		int err = errno;

		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(err),
			    _("Cannot delete %s: %s"), entry->path, g_strerror(err));
		return false;
	}
	/* the list entry is gone after the reload: @id is our copy */
	roadie_applet_profiles_reload(self->profiles);
	window_fill(self, NULL);
	return roadie_applet_secrets_forget(self->secrets, id, error);
}

const char *roadie_applet_editor_window_selected(GtkWindow *window)
{
	const RoadieAppletProfile *profile = window_selected_profile(window_get(window));

	return profile ? profile->id : NULL;
}

void roadie_applet_editor_window_select(GtkWindow *window, const char *profile_id)
{
	window_fill(window_get(window), profile_id);
}

void roadie_applet_editor_window_set_secret_ops(GtkWindow *window,
						const RoadieAppletSecretOps *ops)
{
	window_get(window)->secrets = ops;
}

/* ---- the buttons ---- */

static void window_edit_clicked(GtkWidget *button, EditorWindow *self)
{
	const RoadieAppletProfile *profile = window_selected_profile(self);

	if (profile)
		roadie_applet_editor_window_edit(GTK_WINDOW(self->window), profile->id);
}

static void window_add_clicked(GtkWidget *button, EditorWindow *self)
{
	roadie_applet_editor_window_add(GTK_WINDOW(self->window));
}

static void window_delete_response(GtkDialog *dialog, int response, gpointer user_data)
{
	EditorWindow *self = user_data;
	const char *id = g_object_get_data(G_OBJECT(dialog), "profile-id");
	g_autoptr(GError) error = NULL;

	if (response == GTK_RESPONSE_ACCEPT &&
	    !roadie_applet_editor_window_delete(GTK_WINDOW(self->window), id, &error))
		window_message(self, error->message);
	gtk_widget_destroy(GTK_WIDGET(dialog));
}

static void window_delete_clicked(GtkWidget *button, EditorWindow *self)
{
	const RoadieAppletProfile *profile = window_selected_profile(self);
	GtkWidget *dialog;

	if (!profile || profile->system)
		return;
	dialog = gtk_message_dialog_new(GTK_WINDOW(self->window), GTK_DIALOG_MODAL |
					GTK_DIALOG_DESTROY_WITH_PARENT, GTK_MESSAGE_QUESTION,
					GTK_BUTTONS_NONE, _("Delete the profile “%s”?"),
					profile->name);
	gtk_message_dialog_format_secondary_text(
		GTK_MESSAGE_DIALOG(dialog), _("Its file and the secrets in your keyring go."));
	gtk_dialog_add_buttons(GTK_DIALOG(dialog), _("_Cancel"), GTK_RESPONSE_CANCEL,
			       _("_Delete"), GTK_RESPONSE_ACCEPT, NULL);
	g_object_set_data_full(G_OBJECT(dialog), "profile-id", g_strdup(profile->id), g_free);
	g_signal_connect(dialog, "response", G_CALLBACK(window_delete_response), self);
	gtk_widget_show(dialog);
}

static void window_import_response(GtkNativeDialog *chooser, int response, gpointer user_data)
{
	EditorWindow *self = user_data;

	if (response == GTK_RESPONSE_ACCEPT) {
		g_autoptr(GFile) file = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(chooser));
		g_autofree char *path = file ? g_file_get_path(file) : NULL;
		g_autoptr(GError) error = NULL;

		if (path &&
		    !roadie_applet_editor_window_import(GTK_WINDOW(self->window), path, &error))
			window_message(self, error->message);
	}
	g_object_unref(chooser);
}

static void window_import_clicked(GtkWidget *button, EditorWindow *self)
{
	GtkFileChooserNative *chooser = gtk_file_chooser_native_new(
		_("Import a VPN Profile"), GTK_WINDOW(self->window), GTK_FILE_CHOOSER_ACTION_OPEN,
		_("_Import"), _("_Cancel"));

	gtk_native_dialog_set_modal(GTK_NATIVE_DIALOG(chooser), TRUE);
	g_signal_connect(chooser, "response", G_CALLBACK(window_import_response), self);
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(chooser));
}

static void window_export_response(GtkNativeDialog *chooser, int response, gpointer user_data)
{
	EditorWindow *self = user_data;
	const char *id = g_object_get_data(G_OBJECT(chooser), "profile-id");

	if (response == GTK_RESPONSE_ACCEPT) {
		g_autoptr(GFile) file = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(chooser));
		g_autofree char *path = file ? g_file_get_path(file) : NULL;
		g_autoptr(GError) error = NULL;

		if (path && !roadie_applet_editor_window_export(GTK_WINDOW(self->window), id,
								path, &error))
			window_message(self, error->message);
	}
	g_object_unref(chooser);
}

static void window_export_clicked(GtkWidget *button, EditorWindow *self)
{
	const RoadieAppletProfile *profile = window_selected_profile(self);
	g_autofree char *file = NULL;
	GtkFileChooserNative *chooser;

	if (!profile)
		return;
	chooser = gtk_file_chooser_native_new(_("Export the VPN Profile"),
					      GTK_WINDOW(self->window),
					      GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
					      _("_Cancel"));
	file = g_strconcat(profile->id, ".conf", NULL);
	gtk_file_chooser_set_current_name(GTK_FILE_CHOOSER(chooser), file);
	gtk_file_chooser_set_do_overwrite_confirmation(GTK_FILE_CHOOSER(chooser), TRUE);
	gtk_native_dialog_set_modal(GTK_NATIVE_DIALOG(chooser), TRUE);
	g_object_set_data_full(G_OBJECT(chooser), "profile-id", g_strdup(profile->id), g_free);
	g_signal_connect(chooser, "response", G_CALLBACK(window_export_response), self);
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(chooser));
}

static void window_row_activated(GtkListBox *list, GtkListBoxRow *row, EditorWindow *self)
{
	window_edit_clicked(NULL, self);
}

static void window_selection_changed(GtkListBox *list, EditorWindow *self)
{
	window_update_buttons(self);
}

static void window_close_clicked(GtkWidget *button, EditorWindow *self)
{
	gtk_widget_destroy(self->window);
}

static void window_destroyed(GtkWidget *window, gpointer user_data)
{
	g_object_set_data(G_OBJECT(window), "roadie-applet-editor-window", NULL);
}

static void window_connect(EditorWindow *self, const char *id, GCallback callback)
{
	g_signal_connect(window_object(self, id), "clicked", callback, self);
}

GtkWindow *roadie_applet_editor_window_new(GtkApplication *app)
{
	g_autoptr(GtkBuilder) builder = gtk_builder_new();
	g_autoptr(GError) error = NULL;
	char *objects[] = { "profiles-window", NULL };
	EditorWindow *self;

	gtk_builder_set_translation_domain(builder, GETTEXT_PACKAGE);
	/* our own resource: a failure is a build error */
	if (!gtk_builder_add_objects_from_resource(builder, APPLET_EDITOR_UI, objects, &error))
		g_error("applet editor: %s", error->message);

	self = g_new0(EditorWindow, 1);
	self->builder = g_steal_pointer(&builder);
	self->window = window_object(self, "profiles-window");
	self->user_dir = roadie_profile_dir_user();
	self->system_dir = roadie_profile_dir_system();
	self->secrets = roadie_applet_secrets_keyring();
	g_object_set_data_full(G_OBJECT(self->window), "roadie-applet-editor-window", self,
			       window_free);
	g_object_set_data(G_OBJECT(self->window), ROADIE_APPLET_EDITOR_BUILDER_KEY, self->builder);
	g_signal_connect(self->window, "destroy", G_CALLBACK(window_destroyed), NULL);
	if (app)
		gtk_window_set_application(GTK_WINDOW(self->window), app);

	self->profiles = roadie_applet_profiles_new(self->user_dir, self->system_dir,
						    window_profiles_changed, self);
	window_connect(self, "add-button", G_CALLBACK(window_add_clicked));
	window_connect(self, "edit-button", G_CALLBACK(window_edit_clicked));
	window_connect(self, "delete-button", G_CALLBACK(window_delete_clicked));
	window_connect(self, "import-button", G_CALLBACK(window_import_clicked));
	window_connect(self, "export-button", G_CALLBACK(window_export_clicked));
	window_connect(self, "close-button", G_CALLBACK(window_close_clicked));
	g_signal_connect(window_object(self, "profile-list"), "row-activated",
			 G_CALLBACK(window_row_activated), self);
	g_signal_connect(window_object(self, "profile-list"), "selected-rows-changed",
			 G_CALLBACK(window_selection_changed), self);
	roadie_applet_editor_name_controls(self->window);
	window_fill(self, NULL);
	return GTK_WINDOW(self->window);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "profile-dirs.h"
#include "secret.h"

#include "roadie-editor-fields.h"
#include "roadie-editor-form.h"
#include "roadie-editor-gtk.h"

#include "applet-editor-profile.h"

#define APPLET_EDITOR_UI "/org/roadie/applet/editor/applet-editor.ui"

/* The secret fields that get a "Remember" check ("<nm>-remember"). */
static const char *const profile_remembered_fields[] = {
	"password",
	"ipsec-psk",
	"ipsec-private-key-password",
};

typedef struct {
	GtkWidget *window;
	GtkBuilder *builder;
	GtkWidget *advanced_box;
	GtkWidget *marked;  /* the field the shown problem is about */
	char *user_dir;
	char *id;           /* NULL: a new profile */
	RoadieProfile *original; /* what the editor opened with: keys without a field keep it */
	const RoadieAppletSecretOps *secrets;
	RoadieAppletEditorSaved saved;
	gpointer user_data;
} ProfileEditor;

static GtkWidget *profile_object(ProfileEditor *self, const char *id)
{
	GObject *object = gtk_builder_get_object(self->builder, id);

	if (!object)
		g_error("applet editor: no widget '%s' in the builder files", id);
	return GTK_WIDGET(object);
}

static void profile_editor_free(gpointer data)
{
	ProfileEditor *self = data;

	g_clear_object(&self->marked);
	g_clear_object(&self->advanced_box);
	g_clear_object(&self->builder);
	roadie_profile_free(self->original);
	g_free(self->user_dir);
	g_free(self->id);
	g_free(self);
}

static void profile_wipe_free(gpointer value)
{
	roadie_wipe_str(value);
}

static void profile_copy_item(gpointer key, gpointer value, gpointer user_data)
{
	g_hash_table_replace(user_data, g_strdup(key), g_strdup(value));
}

/* The profile's name as typed; NULL and the reason in @ret_why when it cannot be one. */
static char *profile_id(ProfileEditor *self, char **ret_why)
{
	g_autofree char *id =
		g_strstrip(g_strdup(roadie_gtk_entry_get_text(profile_object(self, "profile-id"))));
	g_autofree char *file = NULL, *path = NULL;

	if (self->id)
		return g_strdup(self->id);
	if (!roadie_profile_name_valid(id)) {
		*ret_why = g_strdup(*id ? _("The name can hold letters, digits and . _ - + @, and "
					    "cannot start with . or -.")
					: _("The profile needs a name."));
		return NULL;
	}
	file = g_strconcat(id, ".conf", NULL);
	path = g_build_filename(self->user_dir, file, NULL);
	if (g_file_test(path, G_FILE_TEST_EXISTS)) {
		*ret_why = g_strdup_printf(_("A profile named “%s” exists already."), id);
		return NULL;
	}
	return g_steal_pointer(&id);
}

/* The profile the form describes, with every key it has no field for as it was opened; or
 * NULL with the profile model's first problem shown and its field marked. */
static RoadieProfile *profile_collect(ProfileEditor *self)
{
	g_autoptr(GHashTable) data = roadie_profile_to_nm_data(self->original);
	g_autoptr(GHashTable) kept = roadie_profile_to_nm_secrets(self->original);
	g_autoptr(GHashTable) secrets =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, profile_wipe_free);
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(GError) error = NULL;
	RoadieProfile *profile;
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	/* the form's secrets as typed (an emptied field is no secret), the others as kept */
	g_hash_table_foreach(kept, profile_copy_item, secrets);
	for (size_t i = 0; i < n; i++)
		if (keys[i].nm && roadie_editor_fields_widget(self->builder, &keys[i]))
			g_hash_table_remove(secrets, keys[i].nm);
	roadie_editor_fields_collect(self->builder, data, secrets);

	profile = roadie_profile_new_from_nm(data, secrets, ROADIE_CHECK_DEFAULT, &problems,
					     &error);
	if (!profile) {
		RoadieProblem fallback = { .message = error->message };

		roadie_editor_form_show_problem(self->builder, self->advanced_box,
						problems && problems->len ? problems->pdata[0]
									  : &fallback,
						&self->marked);
		return NULL;
	}
	roadie_editor_form_show_problem(self->builder, self->advanced_box, NULL, &self->marked);
	/* NetworkManager keeps the name outside vpn.data: the file's own is kept */
	g_free(profile->name);
	profile->name = g_strdup(self->original->name);
	return profile;
}

/* Validates what the form holds; Save is sensitive only when it would succeed. */
static void profile_check(ProfileEditor *self)
{
	GtkWidget *name_label = profile_object(self, "name-error-label");
	GtkWidget *name_entry = profile_object(self, "profile-id");
	g_autofree char *why = NULL;
	g_autofree char *id = profile_id(self, &why);
	g_autoptr(RoadieProfile) profile = profile_collect(self);

	gtk_label_set_text(GTK_LABEL(name_label), why ? why : "");
	roadie_gtk_widget_set_shown(name_label, why != NULL);
	roadie_gtk_set_error_class(name_entry, why != NULL);
	gtk_widget_set_sensitive(profile_object(self, "save-button"), id && profile);
}

static void profile_changed(gpointer user_data)
{
	profile_check(user_data);
}

/* The NM names of the secrets whose "Remember" check is off. */
static GHashTable *profile_forget(ProfileEditor *self)
{
	GHashTable *forget = g_hash_table_new(g_str_hash, g_str_equal);

	for (size_t i = 0; i < G_N_ELEMENTS(profile_remembered_fields); i++) {
		g_autofree char *id = g_strconcat(profile_remembered_fields[i], "-remember", NULL);

		if (!roadie_gtk_check_get_active(profile_object(self, id)))
			g_hash_table_add(forget, (gpointer)profile_remembered_fields[i]);
	}
	return forget;
}

bool roadie_applet_editor_profile_save(GtkWidget *window, GError **error)
{
	ProfileEditor *self = g_object_get_data(G_OBJECT(window), "roadie-applet-editor");
	g_autofree char *why = NULL, *file = NULL, *path = NULL;
	g_autofree char *id = profile_id(self, &why);
	g_autoptr(RoadieProfile) profile = profile_collect(self);
	g_autoptr(GHashTable) forget = NULL;
	g_autoptr(GError) local = NULL;

	if (!id) {
		g_set_error_literal(error, ROADIE_PROFILE_ERROR, 0, why);
		return false;
	}
	if (!profile) {
		g_set_error_literal(error, ROADIE_PROFILE_ERROR, 0,
				    gtk_label_get_text(GTK_LABEL(profile_object(self,
										"error-label"))));
		return false;
	}
	if (g_mkdir_with_parents(self->user_dir, 0700) < 0) {
		int err = errno;

		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(err),
			    _("Cannot create %s: %s"), self->user_dir, g_strerror(err));
		return false;
	}
	file = g_strconcat(id, ".conf", NULL);
	path = g_build_filename(self->user_dir, file, NULL);
	/* the file never holds a secret: those go to the keyring, or nowhere */
	if (!roadie_profile_save_file(profile, path, false, error))
		return false;
	forget = profile_forget(self);
	if (!roadie_applet_secrets_apply(self->secrets, id, profile, forget, &local)) {
		/* the profile is saved; the user learns that the keyring did not take the
		 * secrets (they will be asked for when connecting) */
		g_set_error(error, ROADIE_PROFILE_ERROR, 0,
			    _("The profile is saved, but the keyring did not keep its secrets: %s"),
			    local->message);
		if (!self->id)
			self->id = g_strdup(id);
		return false;
	}
	if (!self->id)
		self->id = g_strdup(id);
	if (self->saved)
		self->saved(id, self->user_data);
	return true;
}

static void profile_save_clicked(GtkWidget *button, ProfileEditor *self)
{
	g_autoptr(GError) error = NULL;
	GtkWidget *label = profile_object(self, "name-error-label");

	if (roadie_applet_editor_profile_save(self->window, &error)) {
		gtk_widget_destroy(self->window);
		return;
	}
	gtk_label_set_text(GTK_LABEL(label), error->message);
	roadie_gtk_widget_set_shown(label, true);
}

static void profile_cancel_clicked(GtkWidget *button, ProfileEditor *self)
{
	gtk_widget_destroy(self->window);
}

/* A "Remember" check in the column after its secret field. */
static void profile_place_remember(ProfileEditor *self, const char *nm, bool active)
{
	g_autofree char *id = g_strconcat(nm, "-remember", NULL);
	GtkWidget *entry = profile_object(self, nm);
	GtkWidget *check = profile_object(self, id);
	GtkWidget *grid = gtk_widget_get_parent(entry);
	int top = 0;

	gtk_container_child_get(GTK_CONTAINER(grid), entry, "top-attach", &top, NULL);
	gtk_container_child_set(GTK_CONTAINER(grid), entry, "width", 2, NULL);
	gtk_grid_attach(GTK_GRID(grid), check, 3, top, 1, 1);
	roadie_gtk_check_set_active(check, active);
	g_signal_connect_swapped(check, "toggled", G_CALLBACK(profile_changed), self);
}

static void profile_set_accessible_name(ProfileEditor *self, const char *id, const char *name)
{
	atk_object_set_name(gtk_widget_get_accessible(profile_object(self, id)), name);
}

/* Names for the controls whose visible label does not say what they are about. */
static void profile_setup_accessible(ProfileEditor *self)
{
	profile_set_accessible_name(self, "ipsec-certificate-button",
				    _("Choose the certificate file"));
	profile_set_accessible_name(self, "ipsec-private-key-button",
				    _("Choose the private key file"));
	profile_set_accessible_name(self, "ipsec-ca-certificate-button",
				    _("Choose the CA certificate file"));
	profile_set_accessible_name(self, "password-remember",
				    _("Remember the password in the keyring"));
	profile_set_accessible_name(self, "ipsec-psk-remember",
				    _("Remember the pre-shared key in the keyring"));
	profile_set_accessible_name(self, "ipsec-private-key-password-remember",
				    _("Remember the key's password in the keyring"));
}

static void profile_name_control(GtkWidget *widget, gpointer user_data)
{
	GtkWidget *target;
	AtkObject *accessible;
	const char *shown;
	g_autofree char *name = NULL;
	size_t len;

	if (GTK_IS_CONTAINER(widget))
		gtk_container_forall(GTK_CONTAINER(widget), profile_name_control, NULL);
	if (!GTK_IS_LABEL(widget))
		return;
	target = gtk_label_get_mnemonic_widget(GTK_LABEL(widget));
	if (!target)
		return;
	accessible = gtk_widget_get_accessible(target);
	shown = atk_object_get_name(accessible);
	if (shown && *shown)
		return;
	/* the text as shown: no underline, no colon */
	name = g_strdup(gtk_label_get_text(GTK_LABEL(widget)));
	len = strlen(name);
	if (len && name[len - 1] == ':')
		name[len - 1] = '\0';
	atk_object_set_name(accessible, name);
}

void roadie_applet_editor_name_controls(GtkWidget *root)
{
	profile_name_control(root, NULL);
}

/* Split routes apply only when not everything goes through the tunnel. */
static void profile_update_routes(GtkWidget *check, ProfileEditor *self)
{
	bool all = roadie_gtk_check_get_active(check);

	gtk_widget_set_sensitive(profile_object(self, "routes"), !all);
	gtk_widget_set_sensitive(profile_object(self, "routes-label"), !all);
	gtk_widget_set_sensitive(profile_object(self, "block-ipv6"), all);
}

static void profile_show_notes(ProfileEditor *self, GPtrArray *notes)
{
	GtkWidget *label = profile_object(self, "import-notes");
	g_autoptr(GString) text = g_string_new(NULL);

	for (guint i = 0; notes && i < notes->len; i++) {
		if (text->len)
			g_string_append_c(text, '\n');
		g_string_append(text, notes->pdata[i]);
	}
	gtk_label_set_text(GTK_LABEL(label), text->str);
	roadie_gtk_widget_set_shown(label, text->len > 0);
}

static void profile_destroyed(GtkWidget *window, gpointer user_data)
{
	g_object_set_data(G_OBJECT(window), "roadie-applet-editor", NULL);
}

GtkWidget *roadie_applet_editor_profile_new(GtkWindow *parent,
					    const RoadieAppletEditorProfileArgs *args,
					    GError **error)
{
	g_autoptr(GtkBuilder) builder = gtk_builder_new();
	g_autoptr(GHashTable) data = NULL;
	g_autoptr(GHashTable) secrets = NULL;
	g_autofree char *title = NULL;
	char *objects[] = { "profile-window", "password-remember", "ipsec-psk-remember",
			    "ipsec-private-key-password-remember", NULL };
	ProfileEditor *self;

	gtk_builder_set_translation_domain(builder, GETTEXT_PACKAGE);
	if (!gtk_builder_add_from_resource(builder, ROADIE_FORM_UI, error) ||
	    !gtk_builder_add_objects_from_resource(builder, APPLET_EDITOR_UI, objects, error))
		return NULL;

	self = g_new0(ProfileEditor, 1);
	self->builder = g_steal_pointer(&builder);
	self->window = profile_object(self, "profile-window");
	self->advanced_box = g_object_ref(profile_object(self, "advanced-box"));
	self->user_dir = g_strdup(args->user_dir);
	self->id = g_strdup(args->id);
	self->original = args->profile ? roadie_profile_copy(args->profile) : roadie_profile_new();
	self->secrets = args->secrets;
	self->saved = args->saved;
	self->user_data = args->user_data;
	g_object_set_data_full(G_OBJECT(self->window), "roadie-applet-editor", self,
			       profile_editor_free);
	g_object_set_data(G_OBJECT(self->window), ROADIE_APPLET_EDITOR_BUILDER_KEY, self->builder);
	g_signal_connect(self->window, "destroy", G_CALLBACK(profile_destroyed), NULL);

	/* the form's pages; the advanced fields are a page here, not a dialog */
	roadie_gtk_box_add(profile_object(self, "general-page"),
			   profile_object(self, "roadie-editor"));
	roadie_gtk_box_add(profile_object(self, "advanced-page"), self->advanced_box);
	roadie_gtk_widget_set_shown(profile_object(self, "advanced-button"), false);
	for (size_t i = 0; i < G_N_ELEMENTS(profile_remembered_fields); i++)
		profile_place_remember(self, profile_remembered_fields[i],
				       !args->remembered ||
					       g_hash_table_contains(args->remembered,
								     profile_remembered_fields[i]));

	roadie_editor_fields_setup(self->builder, G_CALLBACK(profile_changed), self);
	data = roadie_profile_to_nm_data(self->original);
	secrets = roadie_profile_to_nm_secrets(self->original);
	roadie_editor_fields_show(self->builder, data, secrets);
	roadie_editor_form_setup(self->builder);
	profile_setup_accessible(self);
	roadie_applet_editor_name_controls(self->window);
	profile_show_notes(self, args->notes);

	roadie_gtk_entry_set_text(profile_object(self, "profile-id"),
				  args->id ? args->id
					   : (args->suggested_id ? args->suggested_id : ""));
	gtk_widget_set_sensitive(profile_object(self, "profile-id"), args->id == NULL);
	g_signal_connect_swapped(profile_object(self, "profile-id"), "changed",
				 G_CALLBACK(profile_changed), self);
	g_signal_connect(profile_object(self, "default-route"), "toggled",
			 G_CALLBACK(profile_update_routes), self);
	profile_update_routes(profile_object(self, "default-route"), self);
	g_signal_connect(profile_object(self, "save-button"), "clicked",
			 G_CALLBACK(profile_save_clicked), self);
	g_signal_connect(profile_object(self, "cancel-button"), "clicked",
			 G_CALLBACK(profile_cancel_clicked), self);

	title = args->id ? g_strdup_printf(_("Editing %s"), args->id)
			 : g_strdup(_("New VPN Connection"));
	gtk_window_set_title(GTK_WINDOW(self->window), title);
	gtk_window_set_transient_for(GTK_WINDOW(self->window), parent);
	gtk_widget_grab_default(profile_object(self, "save-button"));
	profile_check(self);
	return self->window;
}

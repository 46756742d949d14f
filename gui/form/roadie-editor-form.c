/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "roadie-editor-certfile.h"
#include "roadie-editor-fields.h"
#include "roadie-editor-form.h"
#include "roadie-editor-gtk.h"

static GtkWidget *form_object(GtkBuilder *builder, const char *id)
{
	GObject *object = gtk_builder_get_object(builder, id);

	return object ? GTK_WIDGET(object) : NULL;
}

/* The rows that belong to one authentication method; the local and remote IDs apply to both.
 * A hidden row keeps what was typed into it: the profile model decides what each method
 * writes. */
static const struct {
	const char *nm; /* the row's field; its widgets are "<nm>-label", "<nm>", "<nm>-type",
			 * "<nm>-button" and "<nm>-remember", those it has */
	RoadieIpsecAuth auth;
} form_auth_rows[] = {
	{ "ipsec-psk", ROADIE_IPSEC_AUTH_PSK },
	{ "ipsec-certificate", ROADIE_IPSEC_AUTH_CERT },
	{ "ipsec-private-key", ROADIE_IPSEC_AUTH_CERT },
	{ "ipsec-private-key-password", ROADIE_IPSEC_AUTH_CERT },
	{ "ipsec-ca-certificate", ROADIE_IPSEC_AUTH_CERT },
};

void roadie_editor_form_update_auth(GtkBuilder *builder)
{
	static const char *const suffixes[] = { "-label", "", "-type", "-button", "-remember" };
	const RoadieProfileKey *auth = roadie_profile_key_lookup("ipsec", "auth");
	GtkWidget *combo = roadie_editor_fields_widget(builder, auth);
	const char *id = gtk_combo_box_get_active_id(GTK_COMBO_BOX(combo));
	RoadieIpsecAuth chosen = id && strcmp(id, auth->choices[ROADIE_IPSEC_AUTH_CERT]) == 0
					 ? ROADIE_IPSEC_AUTH_CERT
					 : ROADIE_IPSEC_AUTH_PSK;

	for (size_t i = 0; i < G_N_ELEMENTS(form_auth_rows); i++) {
		for (size_t j = 0; j < G_N_ELEMENTS(suffixes); j++) {
			g_autofree char *widget_id =
				g_strconcat(form_auth_rows[i].nm, suffixes[j], NULL);
			GtkWidget *widget = form_object(builder, widget_id);

			if (widget)
				roadie_gtk_widget_set_shown(widget,
							    form_auth_rows[i].auth == chosen);
		}
	}
}

/* The format label next to a certificate or key file name. */
static void form_update_certfile(GtkWidget *entry, GtkWidget *label)
{
	const RoadieProfileKey *key = g_object_get_data(G_OBJECT(entry), "roadie-key");
	g_autofree char *path = g_strstrip(g_strdup(roadie_gtk_entry_get_text(entry)));
	g_autofree char *text = NULL, *why = NULL;

	if (!*path) {
		gtk_label_set_text(GTK_LABEL(label), "");
		gtk_widget_set_tooltip_text(label, NULL);
		return;
	}
	roadie_editor_certfile_describe(path,
					key == roadie_profile_key_lookup("ipsec", "private-key")
						? ROADIE_CERTFILE_KEY
						: ROADIE_CERTFILE_CERTIFICATE,
					&text, &why);
	gtk_label_set_text(GTK_LABEL(label), text);
	gtk_widget_set_tooltip_text(label, why);
}

static void form_chooser_response(GtkNativeDialog *chooser, int response, gpointer user_data)
{
	GtkWidget *entry = user_data;

	if (response == GTK_RESPONSE_ACCEPT) {
		g_autoptr(GFile) file = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(chooser));
		g_autofree char *path = file ? g_file_get_path(file) : NULL;

		if (path)
			roadie_gtk_entry_set_text(entry, path);
	}
	g_object_unref(chooser);
}

static void form_choose_file(GtkWidget *button, GtkWidget *entry)
{
	GtkFileChooserNative *chooser = gtk_file_chooser_native_new(
		_("Choose a File"), roadie_gtk_widget_window(button), GTK_FILE_CHOOSER_ACTION_OPEN,
		_("_Open"), _("_Cancel"));

	gtk_native_dialog_set_modal(GTK_NATIVE_DIALOG(chooser), TRUE);
	g_signal_connect(chooser, "response", G_CALLBACK(form_chooser_response), entry);
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(chooser));
}

static void form_show_passwords(GtkWidget *check, GtkBuilder *builder)
{
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	for (size_t i = 0; i < n; i++) {
		GtkWidget *entry = roadie_editor_fields_widget(builder, &keys[i]);

		if (entry && keys[i].type == ROADIE_KEY_SECRET)
			gtk_entry_set_visibility(GTK_ENTRY(entry),
						 roadie_gtk_check_get_active(check));
	}
}

/* The format labels and "Choose…" buttons of the PATH fields ("<key>-type",
 * "<key>-button"). */
static void form_setup_files(GtkBuilder *builder)
{
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	for (size_t i = 0; i < n; i++) {
		GtkWidget *entry = roadie_editor_fields_widget(builder, &keys[i]);
		g_autofree char *type_id = NULL, *button_id = NULL;
		GtkWidget *label, *button;

		if (!entry || keys[i].type != ROADIE_KEY_PATH)
			continue;
		type_id = g_strconcat(keys[i].nm, "-type", NULL);
		button_id = g_strconcat(keys[i].nm, "-button", NULL);
		label = form_object(builder, type_id);
		button = form_object(builder, button_id);
		g_object_set_data(G_OBJECT(entry), "roadie-key", (gpointer)&keys[i]);
		if (label) {
			g_signal_connect(entry, "changed", G_CALLBACK(form_update_certfile), label);
			form_update_certfile(entry, label);
		}
		if (button)
			g_signal_connect(button, "clicked", G_CALLBACK(form_choose_file), entry);
	}
}

void roadie_editor_form_setup(GtkBuilder *builder)
{
	form_setup_files(builder);
	roadie_editor_form_update_auth(builder);
	g_signal_connect_swapped(roadie_editor_fields_widget(
					 builder, roadie_profile_key_lookup("ipsec", "auth")),
				 "changed", G_CALLBACK(roadie_editor_form_update_auth), builder);
	g_signal_connect(form_object(builder, "show-passwords"), "toggled",
			 G_CALLBACK(form_show_passwords), builder);
}

void roadie_editor_form_show_problem(GtkBuilder *builder, GtkWidget *advanced_box,
				     const RoadieProblem *problem, GtkWidget **marked)
{
	GtkWidget *label = form_object(builder, "error-label");
	GtkWidget *advanced_label = form_object(builder, "advanced-error-label");
	GtkWidget *field = NULL;

	if (*marked) {
		roadie_gtk_set_error_class(*marked, false);
		g_clear_object(marked);
	}
	if (problem && problem->key) {
		g_auto(GStrv) parts = g_strsplit(problem->key, ".", 2);

		if (parts[0] && parts[1])
			field = roadie_editor_fields_widget(
				builder, roadie_profile_key_lookup(parts[0], parts[1]));
	}
	gtk_label_set_text(GTK_LABEL(label), problem ? problem->message : "");
	roadie_gtk_widget_set_shown(label, problem != NULL);
	gtk_label_set_text(GTK_LABEL(advanced_label), problem ? problem->message : "");
	roadie_gtk_widget_set_shown(advanced_label,
				    field && gtk_widget_is_ancestor(field, advanced_box));
	if (field) {
		roadie_gtk_set_error_class(field, true);
		*marked = g_object_ref(field);
	}
}

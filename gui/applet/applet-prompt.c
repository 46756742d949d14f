/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Connect, asking for what is missing. The model gathers a profile's secrets from the file
 * and the keyring; when one is still missing (or a private key's password is wrong) it says
 * NEEDS_SECRET with the keys, and this dialog asks for them, with a "Remember" check. The
 * answers go to the model for one more try; the ones to remember are kept until that
 * profile's connection is up, then saved in the keyring (secret-store.h), so a mistyped
 * password is not stored. Typed values live in RoadieSecret (wiped when freed) and GTK's
 * entry buffers (which GTK 3 zeroes when it frees them); they are never logged.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "profile.h"
#include "secret-store.h"
#include "applet.h"

typedef struct {
	RoadieApplet *applet;
	char *id;
	GHashTable *secrets; /* what the user typed so far for this attempt; NULL at first */
} Attempt;

static void attempt_free(Attempt *a)
{
	g_free(a->id);
	if (a->secrets)
		g_hash_table_unref(a->secrets);
	g_free(a);
}

static void attempt_run(Attempt *a);

/* The label of one secret's entry, with its mnemonic. */
static const char *prompt_label(const char *key)
{
	if (g_strcmp0(key, "password") == 0)
		return _("_Password:");
	if (g_strcmp0(key, "ipsec-psk") == 0)
		return _("Pre-shared _key:");
	if (g_strcmp0(key, "ipsec-private-key-password") == 0)
		return _("Private key pass_word:");
	if (g_strcmp0(key, "l2tp-secret") == 0)
		return _("L2TP _secret:");
	return key;
}

typedef struct {
	Attempt *attempt;
	GtkWidget *dialog;
	GtkWidget *remember;
	GPtrArray *keys;    /* char * */
	GPtrArray *entries; /* GtkEntry *, one per key */
} Prompt;

static void prompt_on_response(GtkDialog *dialog, int response, gpointer data)
{
	Prompt *p = data;
	Attempt *a = p->attempt;

	if (response == GTK_RESPONSE_OK) {
		bool remember = gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(p->remember));

		if (!a->secrets)
			a->secrets = roadie_applet_secrets_new();
		for (guint i = 0; i < p->keys->len; i++) {
			GtkEntry *entry = p->entries->pdata[i];
			const char *key = p->keys->pdata[i];
			RoadieSecret *value = roadie_secret_new(gtk_entry_get_text(entry));

			if (remember) {
				GHashTable *keep = g_hash_table_lookup(a->applet->remember, a->id);

				if (!keep) {
					keep = roadie_applet_secrets_new();
					g_hash_table_replace(a->applet->remember, g_strdup(a->id),
							     keep);
				}
				g_hash_table_replace(keep, g_strdup(key), roadie_secret_dup(value));
			}
			g_hash_table_replace(a->secrets, g_strdup(key), value);
			gtk_entry_set_text(entry, "");
		}
		attempt_run(a);
	} else {
		attempt_free(a);
	}
	gtk_widget_destroy(p->dialog);
	g_ptr_array_unref(p->keys);
	g_ptr_array_unref(p->entries);
	g_free(p);
}

static void prompt_show(Attempt *a, const char *const *keys, const char *message)
{
	Prompt *p = g_new0(Prompt, 1);
	g_autofree char *title = g_strdup_printf(_("Connect %s"), a->id);
	GtkWidget *content, *grid, *text, *ok;
	int row = 0;

	p->attempt = a;
	p->keys = g_ptr_array_new_with_free_func(g_free);
	p->entries = g_ptr_array_new();
	p->dialog = gtk_dialog_new_with_buttons(title, NULL, 0, _("_Cancel"),
						GTK_RESPONSE_CANCEL, _("C_onnect"), GTK_RESPONSE_OK,
						NULL);
	gtk_window_set_icon_name(GTK_WINDOW(p->dialog), "org.roadie.Applet");
	gtk_window_set_resizable(GTK_WINDOW(p->dialog), FALSE);
	gtk_dialog_set_default_response(GTK_DIALOG(p->dialog), GTK_RESPONSE_OK);
	ok = gtk_dialog_get_widget_for_response(GTK_DIALOG(p->dialog), GTK_RESPONSE_OK);
	gtk_widget_set_can_default(ok, TRUE);
	gtk_widget_grab_default(ok);

	content = gtk_dialog_get_content_area(GTK_DIALOG(p->dialog));
	grid = gtk_grid_new();
	gtk_grid_set_row_spacing(GTK_GRID(grid), 8);
	gtk_grid_set_column_spacing(GTK_GRID(grid), 12);
	gtk_container_set_border_width(GTK_CONTAINER(grid), 12);
	gtk_container_add(GTK_CONTAINER(content), grid);

	text = gtk_label_new(message);
	gtk_label_set_line_wrap(GTK_LABEL(text), TRUE);
	gtk_label_set_max_width_chars(GTK_LABEL(text), 50);
	gtk_label_set_xalign(GTK_LABEL(text), 0);
	gtk_grid_attach(GTK_GRID(grid), text, 0, row++, 2, 1);

	for (const char *const *k = keys; *k; k++) {
		GtkWidget *label = gtk_label_new_with_mnemonic(prompt_label(*k));
		GtkWidget *entry = gtk_entry_new();
		g_autofree char *accessible = g_strdup(prompt_label(*k));

		g_strdelimit(accessible, "_:", ' ');
		g_strstrip(accessible);
		gtk_label_set_xalign(GTK_LABEL(label), 1);
		gtk_label_set_mnemonic_widget(GTK_LABEL(label), entry);
		gtk_entry_set_visibility(GTK_ENTRY(entry), FALSE);
		gtk_entry_set_input_purpose(GTK_ENTRY(entry), GTK_INPUT_PURPOSE_PASSWORD);
		gtk_entry_set_activates_default(GTK_ENTRY(entry), TRUE);
		gtk_widget_set_hexpand(entry, TRUE);
		gtk_widget_set_name(entry, *k);
		atk_object_set_name(gtk_widget_get_accessible(entry), accessible);
		gtk_grid_attach(GTK_GRID(grid), label, 0, row, 1, 1);
		gtk_grid_attach(GTK_GRID(grid), entry, 1, row++, 1, 1);
		g_ptr_array_add(p->keys, g_strdup(*k));
		g_ptr_array_add(p->entries, entry);
	}
	p->remember = gtk_check_button_new_with_mnemonic(_("_Remember in the keyring"));
	gtk_widget_set_name(p->remember, "remember");
	gtk_widget_set_tooltip_text(p->remember,
				    _("Stored in your keyring once the connection works; never "
				      "in the profile file."));
	gtk_grid_attach(GTK_GRID(grid), p->remember, 1, row++, 1, 1);

	g_signal_connect(p->dialog, "response", G_CALLBACK(prompt_on_response), p);
	gtk_widget_show_all(p->dialog);
	gtk_window_present(GTK_WINDOW(p->dialog));
}

static void attempt_on_connected(GObject *source, GAsyncResult *result, gpointer data)
{
	Attempt *a = data;
	g_autoptr(GError) error = NULL;

	if (roadie_applet_model_connect_finish(ROADIE_APPLET_MODEL(source), result, NULL,
					       &error)) {
		attempt_free(a);
		return;
	}
	if (g_error_matches(error, ROADIE_APPLET_ERROR, ROADIE_APPLET_ERROR_NEEDS_SECRET)) {
		prompt_show(a, roadie_applet_error_get_secret_keys(error), error->message);
		return;
	}
	{
		g_autofree char *title = g_strdup_printf(_("%s: cannot connect"), a->id);

		roadie_applet_remember_drop(a->applet, a->id);
		roadie_applet_notify_error(a->applet, a->id, title, error->message);
	}
	attempt_free(a);
}

static void attempt_run(Attempt *a)
{
	roadie_applet_model_connect(a->applet->model, a->id, a->secrets, NULL,
				    attempt_on_connected, a);
}

void roadie_applet_connect(RoadieApplet *applet, const char *profile_id)
{
	Attempt *a = g_new0(Attempt, 1);

	a->applet = applet;
	a->id = g_strdup(profile_id);
	roadie_applet_remember_drop(applet, profile_id);
	attempt_run(a);
}

void roadie_applet_remember_commit(RoadieApplet *applet, const char *profile_id)
{
	GHashTable *keep = g_hash_table_lookup(applet->remember, profile_id);
	GHashTableIter iter;
	gpointer key, value;

	if (!keep)
		return;
	g_hash_table_iter_init(&iter, keep);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		g_autoptr(GError) error = NULL;

		if (!roadie_secret_store_save(profile_id, key, value, &error))
			roadie_applet_notify_error(applet, profile_id,
						   _("The keyring did not store the secret"),
						   error->message);
	}
	g_hash_table_remove(applet->remember, profile_id);
}

void roadie_applet_remember_drop(RoadieApplet *applet, const char *profile_id)
{
	g_hash_table_remove(applet->remember, profile_id);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "secret.h"

#include "roadie-editor-fields.h"
#include "roadie-editor-gtk.h"

/* What the user reads for a choice of the key table; a choice missing here shows as it is. */
static const struct {
	const char *nm, *choice, *label;
} choice_labels[] = {
	{ "ipsec-auth", "psk", N_("Pre-shared key") },
	{ "ipsec-auth", "cert", N_("Certificate") },
	{ "l2tp-source-port", "auto", N_("Automatic (ephemeral behind NAT)") },
	{ "l2tp-source-port", "1701", N_("1701") },
	{ "l2tp-source-port", "ephemeral", N_("Ephemeral") },
	{ "ppp-auth", "pap", N_("PAP") },
	{ "ppp-auth", "chap", N_("CHAP") },
	{ "ppp-auth", "mschap", N_("MSCHAP") },
	{ "ppp-auth", "mschap-v2", N_("MSCHAPv2") },
	{ "ppp-auth", "eap-md5", N_("EAP-MD5") },
};

static const char *fields_choice_label(const RoadieProfileKey *key, const char *choice)
{
	for (size_t i = 0; i < G_N_ELEMENTS(choice_labels); i++)
		if (strcmp(choice_labels[i].nm, key->nm) == 0 &&
		    strcmp(choice_labels[i].choice, choice) == 0)
			return _(choice_labels[i].label);
	return choice;
}

GtkWidget *roadie_editor_fields_widget(GtkBuilder *builder, const RoadieProfileKey *key)
{
	GObject *object = key->nm ? gtk_builder_get_object(builder, key->nm) : NULL;

	return object && GTK_IS_WIDGET(object) ? GTK_WIDGET(object) : NULL;
}

/* The check button of choice @i of a FLAGS key. */
static GtkWidget *fields_flag_check(GtkBuilder *builder, const RoadieProfileKey *key, size_t i)
{
	g_autofree char *id = g_strdup_printf("%s-%s", key->nm, key->choices[i]);
	GObject *object = gtk_builder_get_object(builder, id);

	return object ? GTK_WIDGET(object) : NULL;
}

static void fields_setup_flags(GtkBuilder *builder, const RoadieProfileKey *key, GtkWidget *box,
			       GCallback changed, gpointer user_data)
{
	for (size_t i = 0; key->choices[i]; i++) {
		g_autofree char *id = g_strdup_printf("%s-%s", key->nm, key->choices[i]);
		GtkWidget *check = gtk_check_button_new_with_label(
			fields_choice_label(key, key->choices[i]));

		gtk_builder_expose_object(builder, id, G_OBJECT(check));
		roadie_gtk_box_add(box, check);
		g_signal_connect_swapped(check, "toggled", changed, user_data);
	}
}

static void fields_setup_spin(const RoadieProfileKey *key, GtkWidget *spin)
{
	guint64 lower = key->min, fallback = 0;

	/* a default below the minimum is a special value ("0: no limit"), so it is allowed */
	if (key->default_text &&
	    g_ascii_string_to_unsigned(key->default_text, 10, 0, G_MAXUINT32, &fallback, NULL))
		lower = MIN(lower, fallback);
	gtk_spin_button_set_range(GTK_SPIN_BUTTON(spin), (double)lower, (double)key->max);
	gtk_spin_button_set_increments(GTK_SPIN_BUTTON(spin), 1, 10);
	gtk_spin_button_set_digits(GTK_SPIN_BUTTON(spin), 0);
	/* a GtkEntry in GTK 3, a GtkEditable in GTK 4: the property exists in both */
	g_object_set(spin, "width-chars", 10, NULL);
}

void roadie_editor_fields_setup(GtkBuilder *builder, GCallback changed, gpointer user_data)
{
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	for (size_t i = 0; i < n; i++) {
		const RoadieProfileKey *key = &keys[i];
		GtkWidget *widget = roadie_editor_fields_widget(builder, key);

		if (!widget)
			continue;
		/* the table's one line of help, marked N_() in libroadie */
		gtk_widget_set_tooltip_text(widget, g_dgettext(GETTEXT_PACKAGE, key->help));
		switch (key->type) {
		case ROADIE_KEY_STRING:
		case ROADIE_KEY_PATH:
		case ROADIE_KEY_SECRET:
		case ROADIE_KEY_SECONDS:
		case ROADIE_KEY_STRV:
			/* a duration's default is short; a proposal list's would widen the
			 * entry (GTK 4 measures the placeholder), and it shows as the value */
			if (key->type == ROADIE_KEY_SECONDS && key->default_text)
				gtk_entry_set_placeholder_text(GTK_ENTRY(widget), key->default_text);
			g_signal_connect_swapped(widget, "changed", changed, user_data);
			break;
		case ROADIE_KEY_BOOL:
			g_signal_connect_swapped(widget, "toggled", changed, user_data);
			break;
		case ROADIE_KEY_UINT:
			fields_setup_spin(key, widget);
			g_signal_connect_swapped(widget, "value-changed", changed, user_data);
			break;
		case ROADIE_KEY_ENUM:
			for (size_t c = 0; key->choices[c]; c++)
				gtk_combo_box_text_append(GTK_COMBO_BOX_TEXT(widget),
							  key->choices[c],
							  fields_choice_label(key, key->choices[c]));
			g_signal_connect_swapped(widget, "changed", changed, user_data);
			break;
		case ROADIE_KEY_FLAGS:
			fields_setup_flags(builder, key, widget, changed, user_data);
			break;
		case ROADIE_KEY_BYTES:
			break; /* file contents: read at connect time, never edited */
		}
	}
}

/* NetworkManager's and the file's booleans, as the profile model reads them. */
static bool fields_text_true(const char *text)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };

	for (size_t i = 0; i < G_N_ELEMENTS(yes); i++)
		if (g_ascii_strcasecmp(text, yes[i]) == 0)
			return true;
	return false;
}

static void fields_show_flags(GtkBuilder *builder, const RoadieProfileKey *key, const char *text)
{
	g_auto(GStrv) parts = g_strsplit(text, ",", -1);

	for (size_t i = 0; key->choices[i]; i++) {
		GtkWidget *check = fields_flag_check(builder, key, i);
		bool on = false;

		for (size_t p = 0; parts[p] && !on; p++)
			on = g_ascii_strcasecmp(g_strstrip(parts[p]), key->choices[i]) == 0;
		if (check)
			roadie_gtk_check_set_active(check, on);
	}
}

static void fields_show_enum(const RoadieProfileKey *key, GtkWidget *combo, const char *text)
{
	for (size_t i = 0; key->choices[i]; i++) {
		if (g_ascii_strcasecmp(key->choices[i], text) == 0) {
			gtk_combo_box_set_active_id(GTK_COMBO_BOX(combo), key->choices[i]);
			return;
		}
	}
	gtk_combo_box_set_active(GTK_COMBO_BOX(combo), -1);
}

void roadie_editor_fields_show(GtkBuilder *builder, GHashTable *data, GHashTable *secrets)
{
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	for (size_t i = 0; i < n; i++) {
		const RoadieProfileKey *key = &keys[i];
		GtkWidget *widget = roadie_editor_fields_widget(builder, key);
		GHashTable *table = key->type == ROADIE_KEY_SECRET ? secrets : data;
		const char *text = NULL;
		guint64 number = 0;

		if (!widget)
			continue;
		if (table)
			text = g_hash_table_lookup(table, key->nm);
		/* "" in vpn.data is "unset", which means the default */
		if (!text || (!*text && key->default_text))
			text = key->default_text ? key->default_text : "";
		switch (key->type) {
		case ROADIE_KEY_STRING:
		case ROADIE_KEY_PATH:
		case ROADIE_KEY_SECRET:
		case ROADIE_KEY_SECONDS:
		case ROADIE_KEY_STRV:
			roadie_gtk_entry_set_text(widget, text);
			break;
		case ROADIE_KEY_BOOL:
			roadie_gtk_check_set_active(widget, fields_text_true(text));
			break;
		case ROADIE_KEY_UINT:
			/* a value the spin button cannot show stays for the model to refuse */
			g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT32, &number, NULL);
			gtk_spin_button_set_value(GTK_SPIN_BUTTON(widget), (double)number);
			break;
		case ROADIE_KEY_ENUM:
			fields_show_enum(key, widget, text);
			break;
		case ROADIE_KEY_FLAGS:
			fields_show_flags(builder, key, text);
			break;
		case ROADIE_KEY_BYTES:
			break;
		}
	}
}

static char *fields_collect_flags(GtkBuilder *builder, const RoadieProfileKey *key)
{
	GString *text = g_string_new(NULL);

	for (size_t i = 0; key->choices[i]; i++) {
		GtkWidget *check = fields_flag_check(builder, key, i);

		if (!check || !roadie_gtk_check_get_active(check))
			continue;
		if (text->len)
			g_string_append_c(text, ',');
		g_string_append(text, key->choices[i]);
	}
	return g_string_free(text, FALSE);
}

static char *fields_collect_one(GtkBuilder *builder, const RoadieProfileKey *key,
				GtkWidget *widget)
{
	const char *id;

	switch (key->type) {
	case ROADIE_KEY_SECRET:
		/* as typed: spaces may belong to a password */
		return g_strdup(roadie_gtk_entry_get_text(widget));
	case ROADIE_KEY_STRING:
	case ROADIE_KEY_PATH:
	case ROADIE_KEY_SECONDS:
	case ROADIE_KEY_STRV: {
		char *text = g_strstrip(g_strdup(roadie_gtk_entry_get_text(widget)));

		if (!*text && key->default_text) {
			g_free(text);
			return g_strdup(key->default_text);
		}
		return text;
	}
	case ROADIE_KEY_BOOL:
		return g_strdup(roadie_gtk_check_get_active(widget) ? "yes" : "no");
	case ROADIE_KEY_UINT:
		gtk_spin_button_update(GTK_SPIN_BUTTON(widget));
		return g_strdup_printf("%.0f", gtk_spin_button_get_value(GTK_SPIN_BUTTON(widget)));
	case ROADIE_KEY_ENUM:
		id = gtk_combo_box_get_active_id(GTK_COMBO_BOX(widget));
		return g_strdup(id ? id : "");
	case ROADIE_KEY_FLAGS:
		return fields_collect_flags(builder, key);
	case ROADIE_KEY_BYTES:
		break;
	}
	return NULL;
}

void roadie_editor_fields_collect(GtkBuilder *builder, GHashTable *data, GHashTable *secrets)
{
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	for (size_t i = 0; i < n; i++) {
		const RoadieProfileKey *key = &keys[i];
		GtkWidget *widget = roadie_editor_fields_widget(builder, key);
		char *text;

		if (!widget)
			continue;
		text = fields_collect_one(builder, key, widget);
		if (!text)
			continue;
		if (key->type == ROADIE_KEY_SECRET) {
			if (*text)
				g_hash_table_replace(secrets, g_strdup(key->nm), text);
			else
				g_free(text);
		} else {
			g_hash_table_replace(data, g_strdup(key->nm), text);
		}
	}
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The mapping between the editor's widgets and the profile's keys, driven by libroadie's key
 * table: a widget whose builder id is a key's NetworkManager name ("ipsec-ike") edits that
 * key, and its kind follows the key's type:
 *
 *   STRING, PATH, SECRET, SECONDS, STRV   GtkEntry (the file syntax: "8h", "a,b")
 *   BOOL                                  GtkCheckButton
 *   UINT                                  GtkSpinButton (range from the table)
 *   ENUM                                  GtkComboBoxText (ids are the table's choices)
 *   FLAGS                                 a GtkBox that gets one check button per choice,
 *                                         exposed in the builder as "<nm key>-<choice>"
 *
 * Values travel as NetworkManager's vpn.data text, so that the profile model alone parses
 * and validates them.
 */
#pragma once

#include <gtk/gtk.h>

#include "profile.h"

/* The form's builder file, in the resource its library (gui/form) carries: "roadie-editor" is
 * the main page, "advanced-box" the advanced fields. */
#define ROADIE_FORM_UI "/org/roadie/form/roadie-editor.ui"

/* The widget editing @key, or NULL when the editor has none for it. */
GtkWidget *roadie_editor_fields_widget(GtkBuilder *builder, const RoadieProfileKey *key);

/* Fills choices, ranges and tooltips from the key table, and connects @changed (a
 * void (*)(gpointer user_data)) to every field's change. */
void roadie_editor_fields_setup(GtkBuilder *builder, GCallback changed, gpointer user_data);

/* Shows vpn.data @data and vpn.secrets @secrets; a key that is absent shows its default. */
void roadie_editor_fields_show(GtkBuilder *builder, GHashTable *data, GHashTable *secrets);

/* Adds every field's value, as vpn.data text, to @data (settings) or @secrets (secrets). An
 * empty entry stands for the key's default. */
void roadie_editor_fields_collect(GtkBuilder *builder, GHashTable *data, GHashTable *secrets);

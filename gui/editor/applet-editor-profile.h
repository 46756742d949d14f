/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The editor of one profile: the shared form (gui/form) on a "General" and an "Advanced"
 * page, the routing, DNS and reconnect fields the applet adds, the profile's name, and a
 * "Remember" check beside each secret. Every change is validated by libroadie's profile
 * model; its first problem shows under the form, the field marked, and Save stays
 * insensitive until the profile is valid. Save writes the file without secrets (mode 0600)
 * in the user's directory and stores or removes the secrets in the keyring.
 *
 * The window carries its GtkBuilder as object data ROADIE_APPLET_EDITOR_BUILDER_KEY (widgets
 * by their ids: the form's vpn.data keys, "profile-id", "save-button", ...), for tests.
 */
#pragma once

#include <gtk/gtk.h>

#include "profile.h"

#include "applet-editor-secrets.h"

#define ROADIE_APPLET_EDITOR_BUILDER_KEY "roadie-applet-editor-builder"

/* Called after a successful Save, with the profile's name. */
typedef void (*RoadieAppletEditorSaved)(const char *id, gpointer user_data);

typedef struct {
	const char *user_dir;
	const char *id;                /* the profile's name; NULL: a new profile */
	const char *suggested_id;      /* a new profile's name to start with, or NULL */
	const RoadieProfile *profile;  /* the values shown (secrets included); NULL: defaults */
	GHashTable *remembered;        /* NM names of secrets shown as remembered; NULL: all */
	GPtrArray *notes;              /* lines shown above the form (import notes), or NULL */
	const RoadieAppletSecretOps *secrets;
	RoadieAppletEditorSaved saved;
	gpointer user_data;
} RoadieAppletEditorProfileArgs;

/* Gives each widget under @root that a mnemonic label points at, and has no accessible name
 * yet, the label's text as its name ("Gateway" for "_Gateway:"): GTK 3 leaves the relation
 * to the screen reader, and not every reader follows it. */
void roadie_applet_editor_name_controls(GtkWidget *root);

/* A new editor window over @parent (shown by the caller), or NULL and @error when the
 * builder files cannot be loaded. */
GtkWidget *roadie_applet_editor_profile_new(GtkWindow *parent,
					    const RoadieAppletEditorProfileArgs *args,
					    GError **error);

/* What Save does: validates, writes the file, applies the secrets. False and @error (a
 * sentence for the user) when it did not save; the window stays open either way. */
bool roadie_applet_editor_profile_save(GtkWidget *window, GError **error);

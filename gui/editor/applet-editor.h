/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * roadie-applet's "Edit connections…" window: the user's profiles (roadie_profile_dir_user())
 * with Add, Edit, Delete, Import… and Export…, and the system's (roadie_profile_dir_system())
 * listed read-only; the editor of one profile opens over it (applet-editor-profile.h).
 * Secrets live in the user's keyring under roadie's schema (secret-store.h), never in files.
 *
 * The window carries its GtkBuilder as object data ROADIE_APPLET_EDITOR_BUILDER_KEY.
 */
#pragma once

#include <stdbool.h>
#include <gtk/gtk.h>

#include "applet-editor-profile.h"
#include "applet-editor-secrets.h"

/* The list window (not yet shown), belonging to @app when not NULL. */
GtkWindow *roadie_applet_editor_window_new(GtkApplication *app);

/* Opens (and shows) the editor of user profile @profile_id over @window and returns it; NULL,
 * with the reason shown in @window, when there is no such user profile or it does not load
 * (a system profile is read-only). */
GtkWindow *roadie_applet_editor_window_edit(GtkWindow *window, const char *profile_id);

/* What Add does: the editor of a new profile, shown. */
GtkWindow *roadie_applet_editor_window_add(GtkWindow *window);

/* What Import… does with the file chosen: the editor of a new profile holding what @path
 * describes (a roadie profile or a NetworkManager-l2tp export), with the importer's notes;
 * NULL and @error when the file is no usable profile. */
GtkWindow *roadie_applet_editor_window_import(GtkWindow *window, const char *path,
					      GError **error);

/* What Export… does with the file chosen: profile @profile_id (user or system) written to
 * @path without secrets. */
bool roadie_applet_editor_window_export(GtkWindow *window, const char *profile_id,
					const char *path, GError **error);

/* What Delete does once confirmed: removes user profile @profile_id and its secrets. */
bool roadie_applet_editor_window_delete(GtkWindow *window, const char *profile_id,
					GError **error);

/* The profile selected in the list (NULL: none); selects @profile_id. */
const char *roadie_applet_editor_window_selected(GtkWindow *window);
void roadie_applet_editor_window_select(GtkWindow *window, const char *profile_id);

/* Test seam: the keyring the window and its editors use (default: the user's). */
void roadie_applet_editor_window_set_secret_ops(GtkWindow *window,
						const RoadieAppletSecretOps *ops);

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Import and export of profile files for the editor: a roadie profile or a connection
 * exported from NetworkManager-l2tp (libroadie's importer, as `roadiectl profile import`
 * takes them), and a roadie profile written without its secrets.
 */
#pragma once

#include <glib.h>

#include "profile.h"

/* Import files are small: a profile is a few hundred bytes; the NM importer takes 64 KiB. */
#define ROADIE_APPLET_IMPORT_MAX (64 * 1024)

/* Reads @path (hostile: at most ROADIE_APPLET_IMPORT_MAX bytes) as an NM-l2tp export when it
 * has a [vpn] group, else as a roadie profile; secrets in it are kept in the profile. Returns
 * the profile, with @ret_notes (if not NULL) the importer's lines about what was not taken
 * over; or NULL and @error (the profile model's message). */
RoadieProfile *roadie_applet_editor_import(const char *path, GPtrArray **ret_notes,
					   GError **error);

/* A profile name for what was imported from @path: the connection's own name when it is a
 * valid profile name, else the file's name without its extension, else "imported". */
char *roadie_applet_editor_import_name(const char *path, const RoadieProfile *profile);

/* Writes the profile in @source to @dest, without secrets (mode 0600). */
bool roadie_applet_editor_export(const char *source, const char *dest, GError **error);

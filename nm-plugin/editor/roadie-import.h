/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Import and export for the core plugin: a roadie profile file or a NetworkManager-l2tp
 * export becomes an NMConnection (told apart by content, not by name), and a connection
 * becomes a roadie profile file. The mapping is libroadie's: its key table for vpn.data and
 * vpn.secrets, its importer for NetworkManager-l2tp.
 */
#pragma once

#include <stdbool.h>
#include <NetworkManager.h>

/* Files larger than this are no profile and no export: refused before they are parsed. */
#define ROADIE_IMPORT_MAX_FILE (1024 * 1024)

/* The key of NMSettingUser where an NetworkManager-l2tp import leaves its notes (one line
 * per setting roadie does not take over), so they stay visible after the import. */
#define ROADIE_IMPORT_NOTES_KEY "roadie.import-notes"

/* A new connection from the file at @path; NULL and @error naming the file and the problem. */
NMConnection *roadie_import_file(const char *path, GError **error);
/* Writes @connection's settings (no secrets) as a roadie profile file at @path. */
bool roadie_import_export_file(NMConnection *connection, const char *path, GError **error);
/* "<connection.id>.conf" with every character unfit for a file name replaced (g_free). */
char *roadie_import_suggested_name(NMConnection *connection);

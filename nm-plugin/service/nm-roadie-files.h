/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The certificate, key and CA files a connection names, read with its owner's rights.
 *
 * nm-roadie-service runs as root, and roadied opens no path a caller names (DESIGN.md): the
 * service reads the files and hands roadied their contents. A private connection
 * (connection.permissions "user:alice:") gets only what alice herself may read, as
 * NetworkManager's own rule for private connections goes; a connection for several users
 * gets only what each of them may read; a system-wide connection (no permissions, made by an
 * administrator) is read as root.
 */
#pragma once

#include <stdbool.h>
#include <NetworkManager.h>

#include "profile.h"

/* Fills @profile's certificate_data, private_key_data and ca_certificate_data from the files
 * it names and clears the paths. Nothing to do unless ipsec.auth is cert. false and @error
 * naming the file, the user and what kept them out. */
bool nm_roadie_files_load(RoadieProfile *profile, NMConnection *connection, GError **error);

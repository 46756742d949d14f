/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The roadie VPN editor (NMVpnEditor) for GTK 3 and GTK 4, from one source and one builder
 * file. The main page holds the gateway, the login and the IPsec authentication; the
 * "Advanced…" dialog the rest. update_connection validates through libroadie's profile model
 * and shows its first problem under the form, the field marked.
 *
 * For tests and screenshots the editor's widget carries its GtkBuilder as object data
 * ROADIE_EDITOR_BUILDER_KEY; the advanced dialog, once opened, is "advanced-dialog" in it.
 */
#pragma once

#include <NetworkManager.h>

#define ROADIE_EDITOR_BUILDER_KEY "roadie-editor-builder"

NMVpnEditor *roadie_editor_new(NMConnection *connection, GError **error);

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the core plugin and the editor modules agree on: the editor modules' file names and
 * the factory each exports. The core (GTK-free, loaded by every libnm client, nmcli included)
 * loads the one that matches the GTK of the process.
 */
#pragma once

#include <NetworkManager.h>

#define ROADIE_EDITOR_GTK3_MODULE "libnm-gtk3-vpn-plugin-roadie-editor.so"
#define ROADIE_EDITOR_GTK4_MODULE "libnm-gtk4-vpn-plugin-roadie-editor.so"
#define ROADIE_EDITOR_FACTORY "nm_vpn_editor_factory_roadie"

typedef NMVpnEditor *(*RoadieEditorFactory)(NMVpnEditorPlugin *plugin, NMConnection *connection,
					    GError **error);

/* Exported by each editor module. */
NMVpnEditor *nm_vpn_editor_factory_roadie(NMVpnEditorPlugin *plugin, NMConnection *connection,
					  GError **error);

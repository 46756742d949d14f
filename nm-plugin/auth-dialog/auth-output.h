/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Our answers to the agent that ran us, on standard output.
 *
 * The secrets (nm-applet, GNOME Shell's old style, NetworkManager's own protocol): each as
 * "key\nvalue\n", then an empty line twice ("\n\n"); the agent then writes QUIT.
 *
 * External UI mode (--external-ui-mode: nmcli --ask, GNOME Shell): no window of ours but a
 * key file the agent turns into its own prompt. Its first group must be [VPN Plugin UI]
 * (nmcli refuses the answer otherwise) with Version=2, Title and Description; then one group
 * per secret, named by its vpn.secrets key:
 *
 *   [password]
 *   Value=        what is known (GNOME Shell prefills it, and returns it when not asked)
 *   Label=Password
 *   IsSecret=true
 *   ShouldAsk=true   the agent prompts for it (nmcli prompts only for these)
 */
#pragma once

#include <stdbool.h>
#include <glib.h>

#include "profile.h"

#include "auth-plan.h"

/* The label of @key's entry field, with a mnemonic ("_Password:"), translated. */
const char *auth_output_label(const RoadieProfileKey *key);
/* The same without the mnemonic and the colon ("Password"); g_free() it. */
char *auth_output_label_plain(const RoadieProfileKey *key);

/* The title and the sentence for the user; g_free() them. */
char *auth_output_title(const char *connection_name);
char *auth_output_message(const AuthPlan *plan, const char *connection_name);

/* Writes the secrets of @plan that have a value, then "\n\n". False if stdout failed. */
bool auth_output_secrets(int fd, const AuthPlan *plan);

/* Writes the external UI key file; ShouldAsk only when @allow_interaction. */
bool auth_output_external_ui(int fd, const AuthPlan *plan, const char *connection_name,
			     bool allow_interaction);

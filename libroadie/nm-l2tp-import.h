/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Imports a connection exported from NetworkManager-l2tp, so that users switching to roadie
 * keep their settings. roadiectl, the applet and roadie's NetworkManager plugin share it.
 *
 * Accepted input: NetworkManager's keyfile form of a connection ([connection] id, type=vpn;
 * [vpn] service-type=org.freedesktop.NetworkManager.l2tp and the plugin's keys; [vpn-secrets];
 * [ipv4]; [ipv6]), and the NetworkManager-l2tp plugin's own export (the same keys under
 * [vpn], booleans as true/false, [ip4] or [ipv4] with "routes=a/b via c metric d;...").
 */
#pragma once

#include <stddef.h>
#include <glib.h>

#include "profile.h"

/*
 * Parses @data (hostile: at most 64 KiB, UTF-8) and returns a profile that passes
 * roadie_profile_check() with ROADIE_CHECK_DEFAULT, or NULL and @error (ROADIE_PROFILE_ERROR)
 * saying what is wrong. @ret_notes (if not NULL) gets, on success only, a GPtrArray of strings
 * (g_free), one line per setting roadie does not take over and what that means for the user:
 *
 *   require-mppe=yes: not supported: roadie does not do MPPE; IPsec already encrypts the link
 *
 * Secret values never appear in the notes or the error.
 */
RoadieProfile *roadie_nm_l2tp_import(const char *data, size_t len, GPtrArray **ret_notes,
				     GError **error);

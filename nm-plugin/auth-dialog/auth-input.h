/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What NetworkManager (or the secret agent that runs us: nm-applet, GNOME Shell, nmcli)
 * writes on our standard input: the connection's vpn.data and vpn.secrets, then DONE.
 *
 *   DATA_KEY=gateway\n DATA_VAL=vpn.example.com\n \n
 *   SECRET_KEY=password\n SECRET_VAL=hunter2\n \n
 *   DONE\n \n
 *
 * A value of several lines continues on lines that start with '=' (nmcli writes them so).
 * Later, once it has read our answer, the agent writes QUIT or closes the pipe.
 *
 * libnm's nm_vpn_service_plugin_read_vpn_details() parses the records, but it reads without
 * a bound on the whole and answers "success" when it stops early at a line it does not
 * expect, with what came before. So the bytes are first read here, up to a bound and only up
 * to the DONE line (what follows is the agent's QUIT), and their structure is checked; only
 * then does libnm parse them, from a memory file.
 */
#pragma once

#include <stdbool.h>
#include <glib.h>

/* The whole of vpn.data and vpn.secrets: a roadie connection is a few hundred bytes. */
#define AUTH_INPUT_MAX (256 * 1024)

/*
 * Reads @fd up to and including the DONE line, never beyond. On success returns true with
 * @ret_data and @ret_secrets (string to string; secrets wiped when freed). On malformed,
 * truncated or oversized input returns false and @error says what and on which line; the
 * outputs are not touched.
 */
bool auth_input_read(int fd, GHashTable **ret_data, GHashTable **ret_secrets, GError **error);

/*
 * Waits for the agent to end the exchange: a QUIT line, the end of @fd, or @timeout_ms.
 * The agent writes QUIT after it read our answer, and fails the request if we are gone
 * before (its write to our standard input fails).
 */
void auth_input_wait_for_quit(int fd, int timeout_ms);

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What roadiectl's command files share: exit statuses, messages, profile lookup, secret
 * gathering and the D-Bus helpers. One file per concern:
 *
 *   roadiectl.c     main, the command table, usage
 *   cli-profiles.c  profile lookup (user, then system), list, show, import, export, validate
 *   cli-secrets.c   secrets for connect (files, a system profile's .secrets, the keyring,
 *                   a prompt) and `secret set|clear`
 *   cli-bus.c       the system bus, roadied's errors as exit statuses, finding connections
 *   cli-connect.c   connect and disconnect
 *   cli-status.c    status and monitor
 */
#pragma once

#include <stdbool.h>
#include <glib.h>
#include <gio/gio.h>

#include "profile.h"
#include "roadie-dbus.h"

/* Exit statuses scripts rely on (roadiectl(1), EXIT STATUS): never renumber. */
enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAILED = 1, /* the connection or the operation failed; a sentence says why */
	CLI_EXIT_USAGE = 2,
	CLI_EXIT_PROFILE = 3, /* the profile or its secrets have problems */
	CLI_EXIT_NOT_AUTHORIZED = 4,
	CLI_EXIT_NO_DAEMON = 5, /* no bus, or no roadied on it */
	CLI_EXIT_NOT_FOUND = 6, /* no such profile or connection */
};

/* "roadiectl: ..." on stderr */
void cli_error(const char *format, ...) G_GNUC_PRINTF(1, 2);
/* Prints @message (if any) and a hint to --help; returns CLI_EXIT_USAGE. */
int cli_usage(const char *message);
/* Parses one command's options; on a mistake prints it and returns false. */
bool cli_parse(GOptionContext *context, int *argc, char ***argv);

/* ---- profiles (cli-profiles.c) ---- */

typedef struct {
	char *name; /* what the user typed, or the file's name without .conf */
	char *path;
	bool system; /* found in the system profile directory */
	RoadieProfile *profile;
} CliProfile;

CliProfile *cli_profile_free(CliProfile *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CliProfile, cli_profile_free)

/* The directories: profile-dirs.h (libroadie). */
/* NAME (user directory, then system) or a path (anything with a '/'). Returns an exit
 * status; on CLI_EXIT_OK sets @ret_profile. Problems are printed. */
int cli_profile_find(const char *arg, CliProfile **ret_profile);
/* The path NAME would have, without loading it; NULL if there is none. */
char *cli_profile_path(const char *name, bool *ret_system);

int cli_cmd_profile(int argc, char **argv);

/* ---- secrets (cli-secrets.c) ---- */

typedef struct {
	char *psk_file;
	char *password_file;
	char *secrets_file;
	gboolean no_ask;
} CliSecretOptions;

void cli_secret_options_clear(CliSecretOptions *o);
/* Fills the profile's secrets, first found wins per secret: --psk-file/--password-file,
 * --secrets-file, a system profile's .secrets file, the keyring, a prompt. Returns an exit
 * status; a secret the profile needs and nobody gave is CLI_EXIT_PROFILE. With auth=cert it
 * then reads the certificate, key and CA files (roadied opens none), loads them as roadied
 * will (a wrong password or an expired certificate is CLI_EXIT_PROFILE, the message naming
 * the file) and puts their contents into the profile's *_data fields. */
int cli_secrets_gather(CliProfile *p, const CliSecretOptions *o);
/* With auth=cert: reads the certificate, key and CA files the profile names (roadied opens
 * none) and loads them as roadied will, so that an unreadable file, a wrong password, a key
 * that does not belong or an expired certificate is told now, naming the file
 * (CLI_EXIT_PROFILE). @can_ask: prompt for a missing key password; @need_password: a
 * missing one is an error (else that check is skipped); @keep: put the contents into the
 * profile's *_data fields in place of the paths, for Connect. */
int cli_certs_load(CliProfile *p, bool can_ask, bool need_password, bool keep);

int cli_cmd_secret(int argc, char **argv);

/* ---- the commands on roadied (cli-connect.c, cli-status.c) ---- */

int cli_cmd_connect(int argc, char **argv);
int cli_cmd_disconnect(int argc, char **argv);
int cli_cmd_status(int argc, char **argv);
int cli_cmd_monitor(int argc, char **argv);

/* ---- the bus (cli-bus.c) ---- */

#define CLI_BUS_NAME "org.roadie.Daemon"
#define CLI_DAEMON_PATH "/org/roadie/Daemon1"

/* The system bus (DBUS_SYSTEM_BUS_ADDRESS is honoured). On failure prints the sentence and
 * returns CLI_EXIT_NO_DAEMON. */
int cli_bus_open(GDBusConnection **ret_bus);
/* Whether roadied runs now, or could be started by the bus. When it is neither, prints the
 * sentence and returns CLI_EXIT_NO_DAEMON; otherwise CLI_EXIT_OK and @ret_running. */
int cli_bus_daemon_check(GDBusConnection *bus, bool *ret_running);
/* roadied's (or the bus's) error as a sentence on stderr, prefixed by @what; returns the
 * exit status it stands for. */
int cli_bus_error(const GError *error, const char *what);
/* A client of roadied's ObjectManager; NULL and a sentence (exit status in @ret_status) if
 * it cannot be made. It does not start roadied. */
GDBusObjectManager *cli_bus_manager(GDBusConnection *bus, int *ret_status);
/* A string property of a connection proxy ("" when unset). */
const char *cli_connection_str(RoadieConnection1 *c, const char *(*get)(RoadieConnection1 *));
/* "ended" states: the connection will not change any more. */
bool cli_state_final(const char *state);
/* Connections whose Profile is @profile_name (or whose path is @arg); a GPtrArray of
 * RoadieObject references. */
GPtrArray *cli_bus_find_connections(GDBusObjectManager *manager, const char *arg);

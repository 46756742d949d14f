/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * roadiectl: the command line client of roadied (roadiectl(1)).
 *
 *   roadiectl connect [OPTION...] NAME|FILE
 *   roadiectl disconnect [NAME|PATH|--all]
 *   roadiectl status [--json]
 *   roadiectl monitor
 *   roadiectl profile list|show|import|export|validate|import-nm-l2tp ...
 *   roadiectl secret set|clear NAME KEY
 *
 * Exit status, which scripts may rely on (cli.h, roadiectl(1)):
 *   0  success
 *   1  the connection failed, or the operation did (a sentence on stderr says why)
 *   2  usage error
 *   3  the profile has problems (validate; roadied answered InvalidSettings or
 *      InvalidSecrets; a secret the profile needs was not given)
 *   4  not authorised (roadied answered NotAuthorized)
 *   5  roadied is not reachable (no system bus, or no org.roadie.Daemon on it)
 *   6  no such profile or connection
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>

#include "config.h"
#include "cli.h"

void cli_error(const char *format, ...)
{
	va_list ap;

	fputs("roadiectl: ", stderr);
	va_start(ap, format);
	vfprintf(stderr, format, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const char usage_text[] =
	"Usage:\n"
	"  roadiectl connect [--psk-file F] [--password-file F] [--secrets-file F] [--no-ask]\n"
	"                    [--no-configure] [--[no-]auto-reconnect] [--no-wait] NAME|FILE\n"
	"  roadiectl disconnect [NAME|PATH|--all]\n"
	"  roadiectl status [--json]\n"
	"  roadiectl monitor\n"
	"  roadiectl profile list\n"
	"  roadiectl profile show NAME|FILE\n"
	"  roadiectl profile import FILE [--name NAME] [--force]\n"
	"  roadiectl profile export NAME|FILE [--output FILE]\n"
	"  roadiectl profile validate [--secrets] [--no-files] NAME|FILE...\n"
	"  roadiectl profile import-nm-l2tp FILE [--output OUT]\n"
	"  roadiectl secret set|clear NAME KEY\n"
	"  roadiectl --version\n"
	"Each command takes --help. Exit status: 0 ok, 1 failed, 2 usage, 3 profile problems,\n"
	"4 not authorised, 5 roadied not reachable, 6 no such profile or connection.\n";

int cli_usage(const char *message)
{
	if (message)
		cli_error("%s", message);
	fputs(usage_text, stderr);
	return CLI_EXIT_USAGE;
}

bool cli_parse(GOptionContext *context, int *argc, char ***argv)
{
	g_autoptr(GError) error = NULL;

	if (g_option_context_parse(context, argc, argv, &error))
		return true;
	cli_error("%s (see --help)", error->message);
	return false;
}

/* each command's parser sees "connect" as its program name and its own options after it */
static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{"connect", cli_cmd_connect}, {"disconnect", cli_cmd_disconnect},
	{"status", cli_cmd_status},   {"monitor", cli_cmd_monitor},
	{"profile", cli_cmd_profile}, {"secret", cli_cmd_secret},
};

int main(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(NULL);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("roadiectl %s\n", ROADIE_VERSION);
		return CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage_text, stdout);
		return CLI_EXIT_OK;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	return cli_usage("unknown command");
}

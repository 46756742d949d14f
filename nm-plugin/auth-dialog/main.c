/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nm-roadie-auth-dialog: asks the user for a roadie connection's secrets on behalf of
 * NetworkManager's secret agents (nm-applet, GNOME Shell, nmcli --ask).
 *
 * The agent runs us as
 *
 *   nm-roadie-auth-dialog -u UUID -n NAME -s org.freedesktop.NetworkManager.roadie
 *                         [-i] [-r] [-t HINT]... [--external-ui-mode]
 *
 * (-i: we may interact with the user; -r: the last secrets failed, ask again; -t: the
 * secrets the VPN service asked for), writes the connection's vpn.data and vpn.secrets on
 * our standard input (auth-input.h), and reads our answer from standard output
 * (auth-output.h). Exit status 0 with the answer, 1 when the user cancelled or the input was
 * unusable (then nothing is written to standard output, and standard error says why).
 */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "config.h"
#include "nm-roadie-config.h"
#include "profile.h"

#include "auth-input.h"
#include "auth-keyring.h"
#include "auth-output.h"
#include "auth-plan.h"
#include "auth-prompt.h"

/* How long we wait for the agent's QUIT after our answer (as NetworkManager's own VPN
 * plugins do): long enough for a busy session, short enough not to linger forever. */
#define MAIN_QUIT_TIMEOUT_MS (20 * 1000)

typedef struct {
	char *uuid;
	char *name;
	char *service;
	gboolean allow_interaction;
	gboolean reprompt;
	gboolean external_ui_mode;
	char **hints;
} MainArgs;

static void main_args_clear(MainArgs *args)
{
	g_free(args->uuid);
	g_free(args->name);
	g_free(args->service);
	g_strfreev(args->hints);
}

static void main_fail(const char *what)
{
	fprintf(stderr, "nm-roadie-auth-dialog: %s\n", what);
}

static bool main_parse_args(int *argc, char ***argv, MainArgs *args)
{
	const GOptionEntry entries[] = {
		{ "uuid", 'u', 0, G_OPTION_ARG_STRING, &args->uuid,
		  N_("UUID of the VPN connection"), "UUID" },
		{ "name", 'n', 0, G_OPTION_ARG_STRING, &args->name,
		  N_("Name of the VPN connection"), "NAME" },
		{ "service", 's', 0, G_OPTION_ARG_STRING, &args->service,
		  N_("VPN service type"), "SERVICE" },
		{ "allow-interaction", 'i', 0, G_OPTION_ARG_NONE, &args->allow_interaction,
		  N_("Allow asking the user"), NULL },
		{ "reprompt", 'r', 0, G_OPTION_ARG_NONE, &args->reprompt,
		  N_("Ask again even for known secrets"), NULL },
		{ "hint", 't', 0, G_OPTION_ARG_STRING_ARRAY, &args->hints,
		  N_("A secret the VPN service asks for"), "HINT" },
		{ "external-ui-mode", 0, 0, G_OPTION_ARG_NONE, &args->external_ui_mode,
		  N_("Describe the secrets for the agent's own prompt instead of a window"),
		  NULL },
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) context =
		g_option_context_new(_("- ask for a roadie VPN connection's secrets"));
	g_autoptr(GError) error = NULL;

	g_option_context_set_translation_domain(context, GETTEXT_PACKAGE);
	g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
	if (!g_option_context_parse(context, argc, argv, &error)) {
		main_fail(error->message);
		return false;
	}
	if (*argc > 1) {
		main_fail(_("unexpected argument"));
		return false;
	}
	if (!args->uuid || !args->name || !args->service) {
		main_fail(_("the connection's UUID, name and VPN service type are required "
			    "(-u UUID -n NAME -s SERVICE)"));
		return false;
	}
	if (!g_utf8_validate(args->uuid, -1, NULL) || !g_utf8_validate(args->name, -1, NULL)) {
		main_fail(_("the connection's UUID or name is not valid UTF-8"));
		return false;
	}
	if (strcmp(args->service, NM_ROADIE_SERVICE) != 0) {
		g_autofree char *text = g_strdup_printf(
			_("this dialog is for the VPN service %s only"), NM_ROADIE_SERVICE);

		main_fail(text);
		return false;
	}
	return true;
}

/* vpn.data as roadie reads it: a problem is the connection's, told in words. */
static RoadieProfile *main_load_profile(GHashTable *data, const char *name)
{
	g_autoptr(GPtrArray) problems = NULL;
	RoadieProfile *profile =
		roadie_profile_new_from_nm(data, NULL, ROADIE_CHECK_DEFAULT, &problems, NULL);

	if (profile)
		return profile;
	fprintf(stderr, _("nm-roadie-auth-dialog: the settings of the VPN connection “%s” "
			  "are not valid:\n"),
		name);
	for (guint i = 0; problems && i < problems->len; i++) {
		const RoadieProblem *problem = g_ptr_array_index(problems, i);

		fprintf(stderr, "  %s\n", problem->message);
	}
	return NULL;
}

/* Secrets we do not know are no business of ours: say so, and leave them to the agent. */
static void main_report_unknown_secrets(GHashTable *secrets)
{
	GHashTableIter iter;
	gpointer name;

	g_hash_table_iter_init(&iter, secrets);
	while (g_hash_table_iter_next(&iter, &name, NULL)) {
		const RoadieProfileKey *key = roadie_profile_key_by_nm(name);

		if (key && key->type == ROADIE_KEY_SECRET)
			continue;
		if (g_utf8_validate(name, -1, NULL) && strlen(name) < 64)
			fprintf(stderr,
				_("nm-roadie-auth-dialog: ignoring the unknown secret “%s”\n"),
				(const char *)name);
		else
			fprintf(stderr,
				_("nm-roadie-auth-dialog: ignoring an unknown secret\n"));
	}
}

static int main_run(MainArgs *args)
{
	g_autoptr(GHashTable) data = NULL;
	g_autoptr(GHashTable) secrets = NULL;
	g_autoptr(RoadieProfile) profile = NULL;
	g_autoptr(AuthPlan) plan = NULL;
	g_autoptr(GError) error = NULL;
	AuthPlanOptions options = {
		.reprompt = args->reprompt,
		.hints = (const char *const *)args->hints,
		.lookup = auth_keyring_lookup,
		.lookup_data = args->uuid,
	};

	if (!auth_input_read(STDIN_FILENO, &data, &secrets, &error)) {
		main_fail(error->message);
		return EXIT_FAILURE;
	}
	profile = main_load_profile(data, args->name);
	if (!profile)
		return EXIT_FAILURE;
	main_report_unknown_secrets(secrets);
	options.key_encrypted = auth_plan_key_is_encrypted(profile);
	plan = auth_plan_new(profile, data, secrets, &options);
	/* what NetworkManager gave now lives in the plan, wiped with it */
	g_clear_pointer(&secrets, g_hash_table_unref);

	if (args->external_ui_mode) {
		if (!auth_output_external_ui(STDOUT_FILENO, plan, args->name,
					     args->allow_interaction))
			return EXIT_FAILURE;
		return EXIT_SUCCESS;
	}

	if (plan->any_ask && args->allow_interaction) {
		if (!gtk_init_check(NULL, NULL)) {
			main_fail(_("cannot open a window: no display (an agent without one runs "
				    "this dialog with --external-ui-mode)"));
			return EXIT_FAILURE;
		}
		if (!auth_prompt_run(plan, args->name))
			return EXIT_FAILURE; /* cancelled: nothing on standard output */
	}
	if (!auth_output_secrets(STDOUT_FILENO, plan))
		return EXIT_FAILURE;
	g_clear_pointer(&plan, auth_plan_free);
	auth_input_wait_for_quit(STDIN_FILENO, MAIN_QUIT_TIMEOUT_MS);
	return EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	MainArgs args = { 0 };
	int status;

	setlocale(LC_ALL, "");
	bindtextdomain(GETTEXT_PACKAGE, NM_ROADIE_LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);
	/* an agent that went away: a failed write, not a signal */
	signal(SIGPIPE, SIG_IGN);

	status = main_parse_args(&argc, &argv, &args) ? main_run(&args) : EXIT_FAILURE;
	main_args_clear(&args);
	return status;
}

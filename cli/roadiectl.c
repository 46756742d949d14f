/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * roadiectl: the command line client.
 *
 *   roadiectl --version
 *   roadiectl profile validate [--secrets] [--no-files] FILE...
 *   roadiectl profile import-nm-l2tp FILE [--output OUT]
 *
 * Exit status: 0 success, 1 the profile (or import) has problems, 2 usage error.
 * Connecting and status come with roadied's D-Bus API.
 */
#include <stdio.h>
#include <string.h>
#include <glib.h>

#include "config.h"
#include "profile.h"
#include "nm-l2tp-import.h"

enum { EXIT_OK = 0, EXIT_PROBLEM = 1, EXIT_USAGE = 2 };

static int usage(const char *message)
{
	if (message)
		fprintf(stderr, "roadiectl: %s\n", message);
	fprintf(stderr,
		"Usage:\n"
		"  roadiectl --version\n"
		"  roadiectl profile validate [--secrets] [--no-files] FILE...\n"
		"  roadiectl profile import-nm-l2tp FILE [--output OUT]\n");
	return EXIT_USAGE;
}

static void print_problems(const char *file, GPtrArray *problems)
{
	for (guint i = 0; i < problems->len; i++) {
		const RoadieProblem *p = problems->pdata[i];

		if (p->line > 0)
			fprintf(stderr, "%s:%d: %s\n", file, p->line, p->message);
		else
			fprintf(stderr, "%s: %s\n", file, p->message);
	}
}

static int cmd_validate(int argc, char **argv)
{
	gboolean secrets = FALSE, no_files = FALSE;
	g_auto(GStrv) files = NULL;
	const GOptionEntry entries[] = {
		{ "secrets", 0, 0, G_OPTION_ARG_NONE, &secrets,
		  "Also require the secrets the profile's methods need", NULL },
		{ "no-files", 0, 0, G_OPTION_ARG_NONE, &no_files,
		  "Do not open the certificate and key files", NULL },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE..." },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) context = g_option_context_new("FILE... - check profiles");
	g_autoptr(GError) error = NULL;
	RoadieCheckFlags flags = ROADIE_CHECK_DEFAULT;
	int status = EXIT_OK;

	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse(context, &argc, &argv, &error))
		return usage(error->message);
	if (!files || !files[0])
		return usage("profile validate: name at least one profile file");
	if (secrets)
		flags |= ROADIE_CHECK_SECRETS;
	if (!no_files)
		flags |= ROADIE_CHECK_FILES;

	for (size_t i = 0; files[i]; i++) {
		g_autoptr(GPtrArray) problems = NULL;
		g_autoptr(GError) load_error = NULL;
		g_autoptr(RoadieProfile) profile =
			roadie_profile_load_file(files[i], flags, &problems, &load_error);

		if (profile) {
			printf("%s: valid\n", files[i]);
			continue;
		}
		status = EXIT_PROBLEM;
		if (problems && problems->len)
			print_problems(files[i], problems);
		else
			fprintf(stderr, "%s: %s\n", files[i], load_error->message);
	}
	return status;
}

static int cmd_import_nm_l2tp(int argc, char **argv)
{
	g_autofree char *output = NULL;
	g_auto(GStrv) files = NULL;
	const GOptionEntry entries[] = {
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
		  "Write the roadie profile here (mode 0600) instead of standard output", "OUT" },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) context =
		g_option_context_new("FILE - convert a NetworkManager-l2tp export");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) notes = NULL;
	g_autoptr(RoadieProfile) profile = NULL;
	g_autofree char *data = NULL;
	gsize len = 0;

	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse(context, &argc, &argv, &error))
		return usage(error->message);
	if (!files || !files[0] || files[1])
		return usage("profile import-nm-l2tp: name exactly one exported file");
	if (!g_file_get_contents(files[0], &data, &len, &error)) {
		fprintf(stderr, "roadiectl: %s\n", error->message);
		return EXIT_PROBLEM;
	}
	profile = roadie_nm_l2tp_import(data, len, &notes, &error);
	/* The export may hold secrets: wipe our copy of the text. */
	roadie_wipe(data, len);
	for (guint i = 0; notes && i < notes->len; i++)
		fprintf(stderr, "%s: %s\n", files[0], (const char *)notes->pdata[i]);
	if (!profile) {
		fprintf(stderr, "%s: %s\n", files[0], error->message);
		return EXIT_PROBLEM;
	}
	if (output) {
		if (!roadie_profile_save_file(profile, output, TRUE, &error)) {
			fprintf(stderr, "roadiectl: %s\n", error->message);
			return EXIT_PROBLEM;
		}
		fprintf(stderr, "%s: written\n", output);
	} else {
		gsize out_len = 0;
		g_autofree char *text = roadie_profile_to_data(profile, TRUE, &out_len);

		fwrite(text, 1, out_len, stdout);
		roadie_wipe(text, out_len);
	}
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(NULL);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("roadiectl %s\n", ROADIE_VERSION);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(NULL);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "profile") == 0 && argc >= 3) {
		if (strcmp(argv[2], "validate") == 0)
			return cmd_validate(argc - 2, argv + 2);
		if (strcmp(argv[2], "import-nm-l2tp") == 0)
			return cmd_import_nm_l2tp(argc - 2, argv + 2);
	}
	return usage("unknown command");
}

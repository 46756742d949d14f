/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Profiles on disk: lookup by name (the user's directory first, then the system's),
 * `profile list|show|import|export|validate|import-nm-l2tp`.
 *
 * Every file is hostile input: the loader (libroadie) checks it, and what it says is shown
 * as "FILE:LINE: key: problem". Secrets are never printed: show and export leave them out.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "nm-l2tp-import.h"
#include "profile-dirs.h"
#include "cli.h"

CliProfile *cli_profile_free(CliProfile *p)
{
	if (!p)
		return NULL;
	g_free(p->name);
	g_free(p->path);
	roadie_profile_free(p->profile);
	g_free(p);
	return NULL;
}

/* ~/.config/roadie/profiles rather than /home/alice/.config/... in sentences */
static char *profiles_display(const char *path)
{
	const char *home = g_get_home_dir();
	size_t n = home ? strlen(home) : 0;

	if (n > 1 && strncmp(path, home, n) == 0 && path[n] == '/')
		return g_strdup_printf("~%s", path + n);
	return g_strdup(path);
}

char *cli_profile_path(const char *name, bool *ret_system)
{
	g_autofree char *file = g_strconcat(name, ".conf", NULL);
	g_autofree char *user_dir = roadie_profile_dir_user();
	g_autofree char *system_dir = roadie_profile_dir_system();
	g_autofree char *user = g_build_filename(user_dir, file, NULL);
	g_autofree char *system = g_build_filename(system_dir, file, NULL);

	if (!roadie_profile_name_valid(name))
		return NULL;
	if (g_file_test(user, G_FILE_TEST_EXISTS)) {
		if (ret_system)
			*ret_system = false;
		return g_steal_pointer(&user);
	}
	if (g_file_test(system, G_FILE_TEST_EXISTS)) {
		if (ret_system)
			*ret_system = true;
		return g_steal_pointer(&system);
	}
	return NULL;
}

static void profiles_print_problems(const char *file, GPtrArray *problems, const GError *error)
{
	g_autofree char *shown = profiles_display(file);

	for (guint i = 0; problems && i < problems->len; i++) {
		const RoadieProblem *p = problems->pdata[i];

		if (p->line > 0)
			fprintf(stderr, "%s:%d: %s\n", shown, p->line, p->message);
		else
			fprintf(stderr, "%s: %s\n", shown, p->message);
	}
	if ((!problems || !problems->len) && error)
		fprintf(stderr, "%s: %s\n", shown, error->message);
}

static int profiles_not_found(const char *arg)
{
	g_autofree char *user_dir = roadie_profile_dir_user();
	g_autofree char *system_dir = roadie_profile_dir_system();
	g_autofree char *user_shown = profiles_display(user_dir);

	if (strchr(arg, '/'))
		cli_error("no profile file '%s'", arg);
	else if (!roadie_profile_name_valid(arg))
		cli_error("'%s' is not a profile name (letters, digits and . _ - + @; a file "
			  "path needs a '/': ./%s)",
			  arg, arg);
	else
		cli_error("no profile named '%s' in %s or %s", arg, user_shown, system_dir);
	return CLI_EXIT_NOT_FOUND;
}

static int profiles_find(const char *arg, RoadieCheckFlags flags, bool cwd_fallback,
			 CliProfile **ret_profile)
{
	g_autoptr(CliProfile) p = g_new0(CliProfile, 1);
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(GError) error = NULL;

	if (strchr(arg, '/')) {
		g_autofree char *base = g_path_get_basename(arg);

		if (g_str_has_suffix(base, ".conf"))
			base[strlen(base) - 5] = '\0';
		p->name = g_steal_pointer(&base);
		p->path = g_strdup(arg);
		if (!g_file_test(arg, G_FILE_TEST_EXISTS))
			return profiles_not_found(arg);
	} else {
		p->name = g_strdup(arg);
		p->path = cli_profile_path(arg, &p->system);
		if (!p->path && cwd_fallback && g_file_test(arg, G_FILE_TEST_EXISTS)) {
			g_autofree char *local = g_strconcat("./", arg, NULL);

			return profiles_find(local, flags, false, ret_profile);
		}
		if (!p->path)
			return profiles_not_found(arg);
	}
	p->profile = roadie_profile_load_file(p->path, flags, &problems, &error);
	if (!p->profile) {
		profiles_print_problems(p->path, problems, error);
		return CLI_EXIT_PROFILE;
	}
	/* a connection has a name: the file's, else what the profile is called by */
	if (!p->profile->name || !p->profile->name[0]) {
		g_free(p->profile->name);
		p->profile->name = g_strdup(p->name);
	}
	*ret_profile = g_steal_pointer(&p);
	return CLI_EXIT_OK;
}

int cli_profile_find(const char *arg, CliProfile **ret_profile)
{
	return profiles_find(arg, ROADIE_CHECK_DEFAULT, false, ret_profile);
}

/* ---- profile list ---- */

typedef struct {
	char *name, *gateway, *where;
} ListRow;

static void list_row_free(gpointer data)
{
	ListRow *row = data;

	g_free(row->name);
	g_free(row->gateway);
	g_free(row->where);
	g_free(row);
}

static int list_compare(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *dir, bool system, GPtrArray *rows, GHashTable *seen)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const char *entry;

	if (!d)
		return; /* a missing directory has no profiles */
	while ((entry = g_dir_read_name(d)))
		if (g_str_has_suffix(entry, ".conf"))
			g_ptr_array_add(names, g_strndup(entry, strlen(entry) - 5));
	g_ptr_array_sort(names, list_compare);
	for (guint i = 0; i < names->len; i++) {
		const char *name = names->pdata[i];
		g_autofree char *file = g_strconcat(name, ".conf", NULL);
		g_autofree char *path = g_build_filename(dir, file, NULL);
		g_autoptr(RoadieProfile) profile = NULL;
		ListRow *row;

		if (!roadie_profile_name_valid(name))
			continue; /* roadiectl could not name it: not a profile */
		row = g_new0(ListRow, 1);
		row->name = g_strdup(name);
		profile = roadie_profile_load_file(path, ROADIE_CHECK_DEFAULT, NULL, NULL);
		row->gateway = g_strdup(profile && profile->gateway ? profile->gateway : "-");
		if (g_hash_table_contains(seen, name))
			row->where = g_strdup("system, hidden by the user's profile");
		else if (!profile)
			row->where = g_strdup(system ? "system, has problems (profile validate)"
						     : "user, has problems (profile validate)");
		else
			row->where = g_strdup(system ? "system" : "user");
		g_hash_table_add(seen, g_strdup(name));
		g_ptr_array_add(rows, row);
	}
}

static int cmd_list(int argc, char **argv)
{
	g_autoptr(GOptionContext) context = g_option_context_new("- list the profiles");
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(list_row_free);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autofree char *user_dir = roadie_profile_dir_user();
	g_autofree char *system_dir = roadie_profile_dir_system();
	int name_w = 4, gw_w = 7;

	if (!cli_parse(context, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc > 1)
		return cli_usage("profile list takes no arguments");
	list_dir(user_dir, false, rows, seen);
	list_dir(system_dir, true, rows, seen);
	if (rows->len == 0) {
		g_autofree char *shown = profiles_display(user_dir);

		fprintf(stderr, "roadiectl: no profiles in %s or %s\n", shown, system_dir);
		return CLI_EXIT_OK;
	}
	for (guint i = 0; i < rows->len; i++) {
		const ListRow *row = rows->pdata[i];

		name_w = MAX(name_w, (int)strlen(row->name));
		gw_w = MAX(gw_w, (int)g_utf8_strlen(row->gateway, -1));
	}
	printf("%-*s  %-*s  %s\n", name_w, "NAME", gw_w, "GATEWAY", "WHERE");
	for (guint i = 0; i < rows->len; i++) {
		const ListRow *row = rows->pdata[i];

		printf("%-*s  %-*s  %s\n", name_w, row->name, gw_w, row->gateway, row->where);
	}
	return CLI_EXIT_OK;
}

/* ---- profile show, export ---- */

static int cmd_show(int argc, char **argv)
{
	g_autoptr(GOptionContext) context =
		g_option_context_new("NAME|FILE - print a profile without its secrets");
	g_autoptr(CliProfile) p = NULL;
	g_autofree char *text = NULL;
	g_autofree char *shown = NULL;
	size_t len = 0;
	int status;

	if (!cli_parse(context, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc != 2)
		return cli_usage("profile show: name one profile");
	status = cli_profile_find(argv[1], &p);
	if (status != CLI_EXIT_OK)
		return status;
	shown = profiles_display(p->path);
	text = roadie_profile_to_data(p->profile, false, &len);
	printf("# %s (%s profile; secrets left out)\n", shown, p->system ? "system" : "user");
	fwrite(text, 1, len, stdout);
	return CLI_EXIT_OK;
}

static int cmd_export(int argc, char **argv)
{
	g_autofree char *output = NULL;
	const GOptionEntry entries[] = {
		{"output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
		 "Write the profile here (mode 0600) instead of standard output", "FILE"},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	g_autoptr(GOptionContext) context =
		g_option_context_new("NAME|FILE - write a profile without its secrets");
	g_autoptr(CliProfile) p = NULL;
	g_autoptr(GError) error = NULL;
	int status;

	g_option_context_add_main_entries(context, entries, NULL);
	if (!cli_parse(context, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc != 2)
		return cli_usage("profile export: name one profile");
	status = cli_profile_find(argv[1], &p);
	if (status != CLI_EXIT_OK)
		return status;
	if (output) {
		if (!roadie_profile_save_file(p->profile, output, false, &error)) {
			cli_error("%s", error->message);
			return CLI_EXIT_FAILED;
		}
		fprintf(stderr, "%s: written (without secrets)\n", output);
	} else {
		size_t len = 0;
		g_autofree char *text = roadie_profile_to_data(p->profile, false, &len);

		fwrite(text, 1, len, stdout);
	}
	return CLI_EXIT_OK;
}

/* ---- profile import ---- */

/* NetworkManager's keyfile and the NM-l2tp plugin's export both have a [vpn] group; a
 * roadie profile never has one. */
static bool import_is_nm(const char *data, size_t len)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();

	if (!g_key_file_load_from_data(kf, data, len, G_KEY_FILE_NONE, NULL))
		return false;
	return g_key_file_has_group(kf, "vpn");
}

/* Reads FILE (a roadie profile or an NM-l2tp export) into a profile; prints problems. */
static int import_read(const char *file, RoadieProfile **ret_profile)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(GPtrArray) notes = NULL;
	g_autofree char *data = NULL;
	RoadieProfile *profile;
	gsize len = 0;

	if (!g_file_test(file, G_FILE_TEST_EXISTS)) {
		cli_error("no file '%s' to import", file);
		return CLI_EXIT_NOT_FOUND;
	}
	if (!g_file_get_contents(file, &data, &len, &error)) {
		cli_error("%s", error->message);
		return CLI_EXIT_FAILED;
	}
	if (import_is_nm(data, len))
		profile = roadie_nm_l2tp_import(data, len, &notes, &error);
	else
		profile = roadie_profile_load_data(data, len, ROADIE_CHECK_DEFAULT, &problems,
						   &error);
	/* either form may hold secrets: wipe our copy of the text */
	roadie_wipe(data, len);
	for (guint i = 0; notes && i < notes->len; i++)
		fprintf(stderr, "%s: %s\n", file, (const char *)notes->pdata[i]);
	if (!profile) {
		profiles_print_problems(file, problems, error);
		return CLI_EXIT_PROFILE;
	}
	*ret_profile = profile;
	return CLI_EXIT_OK;
}

static int cmd_import(int argc, char **argv)
{
	g_autofree char *name = NULL;
	gboolean force = FALSE;
	const GOptionEntry entries[] = {
		{"name", 'n', 0, G_OPTION_ARG_STRING, &name,
		 "Save as NAME (default: the file's name without .conf)", "NAME"},
		{"force", 'f', 0, G_OPTION_ARG_NONE, &force, "Replace a profile of that name",
		 NULL},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	g_autoptr(GOptionContext) context = g_option_context_new(
		"FILE - add a roadie profile or a NetworkManager-l2tp export to your profiles");
	g_autoptr(RoadieProfile) profile = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = roadie_profile_dir_user();
	g_autofree char *file = NULL;
	g_autofree char *path = NULL;
	g_autofree char *shown = NULL;
	int status;

	g_option_context_add_main_entries(context, entries, NULL);
	if (!cli_parse(context, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc != 2)
		return cli_usage("profile import: name exactly one file");
	if (!name) {
		name = g_path_get_basename(argv[1]);
		if (g_str_has_suffix(name, ".conf"))
			name[strlen(name) - 5] = '\0';
	}
	if (!roadie_profile_name_valid(name)) {
		cli_error("'%s' cannot be a profile name (letters, digits and . _ - + @): "
			  "give one with --name",
			  name);
		return CLI_EXIT_USAGE;
	}
	status = import_read(argv[1], &profile);
	if (status != CLI_EXIT_OK)
		return status;

	file = g_strconcat(name, ".conf", NULL);
	path = g_build_filename(dir, file, NULL);
	shown = profiles_display(path);
	if (!force && g_file_test(path, G_FILE_TEST_EXISTS)) {
		cli_error("a profile named '%s' exists (%s): give --force to replace it", name,
			  shown);
		return CLI_EXIT_FAILED;
	}
	if (g_mkdir_with_parents(dir, 0700) < 0) {
		int err = errno;
		g_autofree char *dir_shown = profiles_display(dir);

		cli_error("cannot create %s: %s", dir_shown, g_strerror(err));
		return CLI_EXIT_FAILED;
	}
	/* as imported, secrets included: the file is the user's own, mode 0600 */
	if (!roadie_profile_save_file(profile, path, true, &error)) {
		cli_error("%s", error->message);
		return CLI_EXIT_FAILED;
	}
	fprintf(stderr, "%s: imported as '%s'\n", shown, name);
	return CLI_EXIT_OK;
}

/* ---- profile validate (files or names) ---- */

static int cmd_validate(int argc, char **argv)
{
	gboolean secrets = FALSE, no_files = FALSE;
	g_auto(GStrv) args = NULL;
	const GOptionEntry entries[] = {
		{"secrets", 0, 0, G_OPTION_ARG_NONE, &secrets,
		 "Also require the secrets the profile's methods need", NULL},
		{"no-files", 0, 0, G_OPTION_ARG_NONE, &no_files,
		 "Do not open the certificate and key files", NULL},
		{G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL,
		 "NAME|FILE..."},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	g_autoptr(GOptionContext) context = g_option_context_new("NAME|FILE... - check profiles");
	RoadieCheckFlags flags = ROADIE_CHECK_DEFAULT;
	int status = CLI_EXIT_OK;

	g_option_context_add_main_entries(context, entries, NULL);
	if (!cli_parse(context, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (!args || !args[0])
		return cli_usage("profile validate: name at least one profile or profile file");
	if (secrets)
		flags |= ROADIE_CHECK_SECRETS;
	if (!no_files)
		flags |= ROADIE_CHECK_FILES;

	for (size_t i = 0; args[i]; i++) {
		g_autoptr(CliProfile) p = NULL;
		int one = profiles_find(args[i], flags, true, &p);

		/* the certificate files as roadiectl connect loads them: expiry, key type */
		if (one == CLI_EXIT_OK && !no_files)
			one = cli_certs_load(p, false, secrets, false);
		if (one == CLI_EXIT_OK)
			printf("%s: valid\n", args[i]);
		/* the worst wins: "no such profile" over "has problems" */
		status = MAX(status, one);
	}
	return status;
}

/* ---- profile import-nm-l2tp (the first form of import, kept for scripts) ---- */

static int cmd_import_nm_l2tp(int argc, char **argv)
{
	g_autofree char *output = NULL;
	g_auto(GStrv) files = NULL;
	const GOptionEntry entries[] = {
		{"output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
		 "Write the roadie profile here (mode 0600) instead of standard output", "OUT"},
		{G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE"},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	g_autoptr(GOptionContext) context =
		g_option_context_new("FILE - convert a NetworkManager-l2tp export");
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieProfile) profile = NULL;
	int status;

	g_option_context_add_main_entries(context, entries, NULL);
	if (!cli_parse(context, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (!files || !files[0] || files[1])
		return cli_usage("profile import-nm-l2tp: name exactly one exported file");
	status = import_read(files[0], &profile);
	if (status != CLI_EXIT_OK)
		return status;
	if (output) {
		if (!roadie_profile_save_file(profile, output, true, &error)) {
			cli_error("%s", error->message);
			return CLI_EXIT_FAILED;
		}
		fprintf(stderr, "%s: written\n", output);
	} else {
		gsize out_len = 0;
		g_autofree char *text = roadie_profile_to_data(profile, true, &out_len);

		fwrite(text, 1, out_len, stdout);
		roadie_wipe(text, out_len);
	}
	return CLI_EXIT_OK;
}

int cli_cmd_profile(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} subs[] = {
		{"list", cmd_list},         {"show", cmd_show},
		{"import", cmd_import},     {"export", cmd_export},
		{"validate", cmd_validate}, {"import-nm-l2tp", cmd_import_nm_l2tp},
	};

	if (argc < 2)
		return cli_usage("profile: say list, show, import, export or validate");
	for (size_t i = 0; i < G_N_ELEMENTS(subs); i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].run(argc - 1, argv + 1);
	return cli_usage("unknown command");
}

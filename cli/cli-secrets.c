/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Secrets for connect, and `secret set|clear`.
 *
 * Each secret comes from the first source that has it, in this order:
 *   1. --psk-file, --password-file  (the file's first line; scripts)
 *   2. --secrets-file               (the profile's secret syntax: [ipsec] psk=, [ppp] password=)
 *   3. the profile file itself      (what the user asked for on the command line comes first)
 *   4. NAME.secrets beside a system profile (root only: refused unless owned by root and
 *      closed to group and others)
 *   5. the user's keyring (secret-store.h)
 *   6. a prompt without echo, when standard input is a terminal and --no-ask is not given
 * Values go from the file straight into RoadieSecret; every buffer on the way is wiped.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include <glib.h>

#include "secret-store.h"
#include "profile-certs.h"
#include "x509-cred.h"
#include "cli.h"

#define SECRETS_MAX_FILE 65536

void cli_secret_options_clear(CliSecretOptions *o)
{
	g_clear_pointer(&o->psk_file, g_free);
	g_clear_pointer(&o->password_file, g_free);
	g_clear_pointer(&o->secrets_file, g_free);
}

static RoadieSecret **secrets_field(RoadieProfile *profile, const RoadieProfileKey *key)
{
	return (RoadieSecret **)((char *)profile + key->offset);
}

/* Reads a whole small file through @fd into a wiped-on-error buffer. */
static char *secrets_read_fd(int fd, const char *path, size_t *ret_len)
{
	char *data = g_malloc(SECRETS_MAX_FILE + 1);
	size_t len = 0;

	while (len < SECRETS_MAX_FILE + 1) {
		ssize_t n = read(fd, data + len, SECRETS_MAX_FILE + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;

			roadie_wipe(data, len);
			g_free(data);
			cli_error("cannot read %s: %s", path, g_strerror(err));
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > SECRETS_MAX_FILE) {
		roadie_wipe(data, len);
		g_free(data);
		cli_error("%s is larger than %d bytes: not a secrets file", path, SECRETS_MAX_FILE);
		return NULL;
	}
	data[len] = '\0';
	*ret_len = len;
	return data;
}

static char *secrets_read_file(const char *path, bool warn_mode, size_t *ret_len)
{
	struct stat st;
	char *data;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		int err = errno;

		cli_error("cannot read %s: %s", path, g_strerror(err));
		return NULL;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && warn_mode &&
	    (st.st_mode & (S_IRGRP | S_IROTH)))
		fprintf(stderr,
			"roadiectl: warning: other users can read %s (mode %04o): "
			"chmod 600 it\n",
			path, (unsigned)(st.st_mode & 07777));
	data = secrets_read_fd(fd, path, ret_len);
	close(fd);
	return data;
}

/* --psk-file, --password-file: the first line, without its newline (or CR LF). */
static int secrets_from_line_file(RoadieProfile *profile, const char *group, const char *name,
				  const char *path)
{
	const RoadieProfileKey *key = roadie_profile_key_lookup(group, name);
	RoadieSecret **field = secrets_field(profile, key);
	size_t len = 0, line;
	char *data;

	if (!path || *field)
		return CLI_EXIT_OK;
	data = secrets_read_file(path, true, &len);
	if (!data)
		return CLI_EXIT_FAILED;
	line = strcspn(data, "\n");
	if (line > 0 && data[line - 1] == '\r')
		line--;
	if (line == 0) {
		roadie_wipe(data, len);
		g_free(data);
		cli_error("%s: the first line is empty: it should hold the %s.%s", path, group,
			  name);
		return CLI_EXIT_PROFILE;
	}
	*field = roadie_secret_new_len(data, line);
	roadie_wipe(data, len);
	g_free(data);
	return CLI_EXIT_OK;
}

/* Copies the secrets of @from that @to does not have yet (first found wins). */
static void secrets_fill(RoadieProfile *to, RoadieProfile *from)
{
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	for (size_t i = 0; i < n; i++) {
		RoadieSecret **dst = secrets_field(to, &keys[i]);
		RoadieSecret **src = secrets_field(from, &keys[i]);

		if (keys[i].type == ROADIE_KEY_SECRET && !*dst && *src)
			*dst = g_steal_pointer(src);
	}
}

static int secrets_merge_text(RoadieProfile *profile, const char *path, const char *data,
			      size_t len)
{
	g_autoptr(RoadieProfile) scratch = roadie_profile_new();
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(GError) error = NULL;

	if (!roadie_profile_merge_secrets(scratch, data, len, &problems, &error)) {
		for (guint i = 0; problems && i < problems->len; i++)
			fprintf(stderr, "%s: %s\n", path,
				((const RoadieProblem *)problems->pdata[i])->message);
		if (!problems || !problems->len)
			fprintf(stderr, "%s: %s\n", path, error->message);
		return CLI_EXIT_PROFILE;
	}
	secrets_fill(profile, scratch);
	return CLI_EXIT_OK;
}

static int secrets_from_secrets_file(RoadieProfile *profile, const char *path)
{
	size_t len = 0;
	char *data;
	int status;

	if (!path)
		return CLI_EXIT_OK;
	data = secrets_read_file(path, true, &len);
	if (!data)
		return CLI_EXIT_FAILED;
	status = secrets_merge_text(profile, path, data, len);
	roadie_wipe(data, len);
	g_free(data);
	return status;
}

/*
 * NAME.secrets beside a system profile. It holds an unattended machine's secrets, so a file
 * that anyone but root could have written or could read is refused, not used: better no
 * connection than one on a PSK another user may have changed or read.
 */
static int secrets_from_system_file(CliProfile *p)
{
	g_autofree char *dir = g_path_get_dirname(p->path);
	g_autofree char *file = g_strconcat(p->name, ".secrets", NULL);
	g_autofree char *path = g_build_filename(dir, file, NULL);
	struct stat st;
	size_t len = 0;
	char *data;
	int status, fd;

	if (!p->system)
		return CLI_EXIT_OK;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT)
		return CLI_EXIT_OK;
	if (fd < 0 && errno == EACCES) {
		/* the usual case for a user who is not root: the other sources may have them */
		fprintf(stderr,
			"roadiectl: %s is for root only; looking elsewhere for the secrets\n",
			path);
		return CLI_EXIT_OK;
	}
	if (fd < 0) {
		int err = errno;

		cli_error("cannot read %s: %s", path,
			  err == ELOOP ? "it is a symbolic link, which a secrets file may not be"
				       : g_strerror(err));
		return CLI_EXIT_PROFILE;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		cli_error("%s is not a regular file; refusing to take secrets from it", path);
		return CLI_EXIT_PROFILE;
	}
	if (st.st_uid != 0) {
		close(fd);
		cli_error("%s belongs to uid %u, not root; refusing to take secrets from it "
			  "(chown root:root it)",
			  path, (unsigned)st.st_uid);
		return CLI_EXIT_PROFILE;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		close(fd);
		cli_error("%s is open to other users (mode %04o); refusing to take secrets from "
			  "it (chmod 600 it)",
			  path, (unsigned)(st.st_mode & 07777));
		return CLI_EXIT_PROFILE;
	}
	data = secrets_read_fd(fd, path, &len);
	close(fd);
	if (!data)
		return CLI_EXIT_FAILED;
	status = secrets_merge_text(p->profile, path, data, len);
	roadie_wipe(data, len);
	g_free(data);
	return status;
}

static void secrets_from_keyring(CliProfile *p)
{
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	for (size_t i = 0; i < n; i++) {
		RoadieSecret **field = secrets_field(p->profile, &keys[i]);

		if (keys[i].type != ROADIE_KEY_SECRET || *field ||
		    !roadie_profile_secret_wanted(p->profile, &keys[i]))
			continue;
		*field = roadie_secret_store_lookup(p->name, keys[i].dbus);
	}
}

static volatile sig_atomic_t prompt_interrupted;

static void prompt_on_signal(int sig)
{
	prompt_interrupted = sig;
}

/*
 * One line from the terminal on standard input, without echo. SIGINT during the prompt is
 * caught so that the terminal gets its echo back before roadiectl exits.
 */
static RoadieSecret *secrets_prompt(const char *question, bool *ret_interrupted)
{
	struct termios old, quiet;
	struct sigaction sa = {0}, old_int, old_term;
	char buf[4096];
	size_t len = 0;
	bool echo_off;
	RoadieSecret *secret = NULL;

	*ret_interrupted = false;
	sa.sa_handler = prompt_on_signal; /* no SA_RESTART: read() returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	prompt_interrupted = 0;

	echo_off = tcgetattr(STDIN_FILENO, &old) == 0;
	if (echo_off) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	fprintf(stderr, "%s", question);
	fflush(stderr);
	while (len < sizeof(buf)) {
		ssize_t n = read(STDIN_FILENO, buf + len, 1);

		if (n < 0 && errno == EINTR && !prompt_interrupted)
			continue;
		if (n <= 0 || buf[len] == '\n')
			break;
		len++;
	}
	if (echo_off)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputc('\n', stderr);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (prompt_interrupted)
		*ret_interrupted = true;
	else if (len > 0 && len < sizeof(buf))
		secret = roadie_secret_new_len(buf, len);
	roadie_wipe(buf, sizeof(buf));
	return secret;
}

static char *secrets_question(const CliProfile *p, const RoadieProfileKey *key)
{
	if (strcmp(key->key, "psk") == 0)
		return g_strdup_printf("Pre-shared key for %s: ", p->name);
	if (strcmp(key->key, "password") == 0 && p->profile->user)
		return g_strdup_printf("Password of %s for %s: ", p->profile->user, p->name);
	return g_strdup_printf("%s.%s for %s: ", key->group, key->key, p->name);
}

/* ---- the certificate files: read with the user's rights, checked, sent as contents ---- */

/* roadied opens no file a caller names (DESIGN.md): the files the profile names are read
 * here, with the user's rights, and their contents go over D-Bus
 * (roadie_profile_load_cert_files); a locked key's password is asked for once. Without
 * @keep the profile is left as it was: the files are only checked. */
int cli_certs_load(CliProfile *p, bool can_ask, bool need_password, bool keep)
{
	const RoadieProfileKey *pw_key = roadie_profile_key_lookup("ipsec", "private-key-password");
	g_autoptr(RoadieProfile) scratch = keep ? NULL : roadie_profile_copy(p->profile);
	RoadieProfile *profile = keep ? p->profile : scratch;

	if (profile->ipsec_auth != ROADIE_IPSEC_AUTH_CERT || !profile->certificate)
		return CLI_EXIT_OK;
	for (bool asked = false;;) {
		g_autoptr(GError) error = NULL;
		g_autofree char *question = NULL;
		bool interrupted = false;
		bool locked;

		if (roadie_profile_load_cert_files(profile, &error))
			return CLI_EXIT_OK;
		locked = g_error_matches(error, ROADIE_X509_CRED_ERROR,
					 ROADIE_X509_CRED_PASSWORD_NEEDED);
		if (!need_password && !profile->private_key_password && locked)
			return CLI_EXIT_OK; /* validation without the secrets: what can be checked was */
		if (asked || !can_ask || profile->private_key_password || !locked) {
			if (locked)
				cli_error("%s: %s: use --secrets-file, 'roadiectl secret set %s "
					  "%s', or run on a terminal without --no-ask to be asked",
					  p->name, error->message, p->name, pw_key->dbus);
			else
				cli_error("%s: %s", p->name, error->message);
			return CLI_EXIT_PROFILE;
		}
		question = secrets_question(p, pw_key);
		profile->private_key_password = secrets_prompt(question, &interrupted);
		if (interrupted) {
			cli_error("interrupted");
			return CLI_EXIT_FAILED;
		}
		asked = true;
	}
}

int cli_secrets_gather(CliProfile *p, const CliSecretOptions *o)
{
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);
	bool can_ask = !o->no_ask && isatty(STDIN_FILENO);
	g_autoptr(RoadieProfile) in_file = roadie_profile_new();
	int status;

	/* the profile's own secrets step aside until the command line's have been taken */
	for (size_t i = 0; i < n; i++)
		if (keys[i].type == ROADIE_KEY_SECRET)
			*secrets_field(in_file, &keys[i]) =
				g_steal_pointer(secrets_field(p->profile, &keys[i]));
	if ((status = secrets_from_line_file(p->profile, "ipsec", "psk", o->psk_file)) ||
	    (status = secrets_from_line_file(p->profile, "ppp", "password", o->password_file)) ||
	    (status = secrets_from_secrets_file(p->profile, o->secrets_file)))
		return status;
	secrets_fill(p->profile, in_file);
	if ((status = secrets_from_system_file(p)))
		return status;
	secrets_from_keyring(p);

	for (size_t i = 0; i < n; i++) {
		RoadieSecret **field = secrets_field(p->profile, &keys[i]);
		g_autofree char *question = NULL;
		bool interrupted = false;

		if (keys[i].type != ROADIE_KEY_SECRET || *field ||
		    !roadie_profile_secret_needed(p->profile, &keys[i]))
			continue;
		if (!can_ask) {
			cli_error("%s: no %s.%s was given: use %s, --secrets-file, "
				  "'roadiectl secret set %s %s', or run on a terminal without "
				  "--no-ask to be asked",
				  p->name, keys[i].group, keys[i].key,
				  strcmp(keys[i].key, "psk") == 0 ? "--psk-file"
								  : "--password-file",
				  p->name, keys[i].dbus);
			return CLI_EXIT_PROFILE;
		}
		question = secrets_question(p, &keys[i]);
		*field = secrets_prompt(question, &interrupted);
		if (interrupted) {
			cli_error("interrupted");
			return CLI_EXIT_FAILED;
		}
		if (!*field) {
			cli_error("%s: no %s.%s was entered", p->name, keys[i].group, keys[i].key);
			return CLI_EXIT_PROFILE;
		}
	}
	return cli_certs_load(p, can_ask, true, true);
}

/* ---- secret set|clear NAME KEY ---- */

/* KEY as the D-Bus name ("ipsec-psk"), the file's group.key ("ppp.password") or
 * group-key ("ppp-password"). */
static const RoadieProfileKey *secret_key_lookup(const char *text)
{
	const RoadieProfileKey *key = roadie_profile_key_by_dbus(text);
	const char *sep = strpbrk(text, ".-");

	if (!key && sep) {
		g_autofree char *group = g_strndup(text, (size_t)(sep - text));

		key = roadie_profile_key_lookup(group, sep + 1);
	}
	return key && key->type == ROADIE_KEY_SECRET ? key : NULL;
}

int cli_cmd_secret(int argc, char **argv)
{
	g_autoptr(GOptionContext) context = g_option_context_new(
		"set|clear NAME KEY - store a profile's secret in your keyring, or remove it");
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieSecret) value = NULL;
	const RoadieProfileKey *key;
	g_autofree char *path = NULL;
	bool set;

	g_option_context_set_description(
		context, "KEY: ipsec-psk, password (or ppp-password), l2tp-secret, "
			 "ipsec-private-key-password.\n"
			 "set reads the value from a prompt, or from the first line "
			 "of standard input when it is not a terminal.");
	if (!cli_parse(context, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc != 4 || (strcmp(argv[1], "set") != 0 && strcmp(argv[1], "clear") != 0))
		return cli_usage("secret: say set or clear, a profile name and a key");
	set = strcmp(argv[1], "set") == 0;
	key = secret_key_lookup(argv[3]);
	if (!key)
		return cli_usage("secret: KEY is one of ipsec-psk, password, l2tp-secret, "
				 "ipsec-private-key-password");
	path = cli_profile_path(argv[2], NULL);
	if (!path) {
		g_autoptr(CliProfile) p = NULL;

		return cli_profile_find(argv[2], &p); /* says why, with the right status */
	}
	if (!set) {
		if (!roadie_secret_store_clear(argv[2], key->dbus, &error)) {
			cli_error("%s", error->message);
			return CLI_EXIT_FAILED;
		}
		return CLI_EXIT_OK;
	}
	if (isatty(STDIN_FILENO)) {
		g_autofree char *question =
			g_strdup_printf("%s.%s for %s: ", key->group, key->key, argv[2]);
		bool interrupted = false;

		value = secrets_prompt(question, &interrupted);
	} else {
		size_t len = 0, line;
		char *data = secrets_read_fd(STDIN_FILENO, "standard input", &len);

		if (!data)
			return CLI_EXIT_FAILED;
		line = strcspn(data, "\n");
		if (line > 0 && data[line - 1] == '\r')
			line--;
		if (line > 0)
			value = roadie_secret_new_len(data, line);
		roadie_wipe(data, len);
		g_free(data);
	}
	if (!value) {
		cli_error("no value was given: nothing stored");
		return CLI_EXIT_FAILED;
	}
	if (!roadie_secret_store_save(argv[2], key->dbus, value, &error)) {
		cli_error("%s", error->message);
		return CLI_EXIT_FAILED;
	}
	return CLI_EXIT_OK;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Profiles as files (GKeyFile syntax).
 *
 * Loading is two passes over hostile text. The first walks the raw lines itself, because
 * GKeyFile cannot tell what a user needs to hear: it accepts text that is not UTF-8 until a
 * value is read, silently keeps the last of two equal keys, merges repeated groups, hides
 * localized keys ("name[de]") and reports syntax errors without a line number. That pass
 * records the line of every group and key, so later problems point into the file. The
 * second pass lets GKeyFile do the unescaping and hands each value to the key table.
 *
 * Writing is done by hand, not with GKeyFile, so that our copies of a secret can be wiped
 * (GKeyFile's own copies, made while loading, cannot be).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profile-private.h"

typedef struct {
	GPtrArray *problems;
	GHashTable *lines; /* "[group]" → line of its first header, "group.key" → of its last */
	GPtrArray *known;  /* const RoadieProfileKey *, in file order, each once */
	bool fatal;        /* the text cannot be read as a key file at all */
} Scan;

/* A broken line for a syntax message. "password hunter2" (no '=') must not put the
 * password in the message: a line that starts with a secret's name shows only that. */
static char *keyfile_line_shown(const char *line)
{
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);
	size_t name_len = strcspn(line, "=: \t");

	for (size_t i = 0; i < n; i++) {
		if (keys[i].type == ROADIE_KEY_SECRET && strlen(keys[i].key) == name_len &&
		    strncmp(keys[i].key, line, name_len) == 0) {
			g_autofree char *name = g_strndup(line, name_len);

			return g_strdup_printf("'%s…'", name);
		}
	}
	return roadie_profile_quote(line);
}

static void keyfile_scan_group(Scan *scan, const char *line, int n, char **current)
{
	const char *close = strchr(line, ']');
	g_autofree char *name = NULL;
	g_autofree char *clean = NULL;
	g_autofree char *header = NULL;
	g_autofree char *quoted = roadie_profile_quote(line);
	gpointer first;

	g_clear_pointer(current, g_free);
	if (!close || close == line + 1) {
		roadie_profile_problems_add(
			scan->problems, "keyfile-syntax", ROADIE_PROFILE_FILE_KEY, n,
			"line %d: %s is not a group header like [ipsec]", n, quoted);
		scan->fatal = true;
		return;
	}
	for (const char *p = close + 1; *p; p++) {
		if (!g_ascii_isspace(*p)) {
			roadie_profile_problems_add(
				scan->problems, "keyfile-syntax", ROADIE_PROFILE_FILE_KEY, n,
				"line %d: %s has text after the ']'", n, quoted);
			scan->fatal = true;
			return;
		}
	}
	name = g_strndup(line + 1, close - line - 1);
	for (const char *p = name; *p; p = g_utf8_next_char(p)) {
		if (*p == '[' || g_unichar_iscntrl(g_utf8_get_char(p))) {
			roadie_profile_problems_add(
				scan->problems, "keyfile-syntax", ROADIE_PROFILE_FILE_KEY, n,
				"line %d: %s is not a valid group name", n, quoted);
			scan->fatal = true;
			return;
		}
	}

	clean = roadie_profile_clean_name(name);
	header = g_strdup_printf("[%s]", name);
	if (g_hash_table_lookup_extended(scan->lines, header, NULL, &first)) {
		roadie_profile_problems_add(
			scan->problems, "duplicate-group", clean, n,
			"[%s] appears twice (lines %d and %d): merge them into one", clean,
			GPOINTER_TO_INT(first), n);
	} else {
		g_hash_table_insert(scan->lines, g_steal_pointer(&header), GINT_TO_POINTER(n));
		if (!roadie_profile_key_group_known(name))
			roadie_profile_problems_add(
				scan->problems, "unknown-group", clean, n,
				"unknown group [%s]: the groups are [connection], "
				"[ipsec], [l2tp], [ppp], [ip] and [learned]",
				clean);
	}
	*current = g_steal_pointer(&name);
}

/* What to say about a key the group does not have: where it belongs, or what is there. */
static char *keyfile_unknown_key_hint(const char *group, const char *key)
{
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);
	GString *s;

	for (size_t i = 0; i < n; i++)
		if (strcmp(keys[i].key, key) == 0)
			return g_strdup_printf("it belongs in [%s]", keys[i].group);
	s = g_string_new(NULL);
	g_string_append_printf(s, "[%s] has ", group);
	for (size_t i = 0, shown = 0; i < n; i++)
		if (strcmp(keys[i].group, group) == 0)
			g_string_append_printf(s, "%s%s", shown++ ? ", " : "", keys[i].key);
	return g_string_free(s, FALSE);
}

static void keyfile_scan_key(Scan *scan, const char *line, int n, const char *group)
{
	const char *equal = strchr(line, '=');
	g_autofree char *key = g_strndup(line, equal - line);
	g_autofree char *clean = NULL;
	g_autofree char *full = NULL;
	const RoadieProfileKey *row;
	gpointer first;

	g_strchomp(key);
	if (!*key || !group) {
		g_autofree char *quoted = keyfile_line_shown(line);

		roadie_profile_problems_add(
			scan->problems, "keyfile-syntax", ROADIE_PROFILE_FILE_KEY, n,
			!*key ? "line %d: %s has no key before the '='"
			      : "line %d: %s comes before any group: start the file "
				"with [connection]",
			n, quoted);
		scan->fatal = true;
		return;
	}
	if (!roadie_profile_key_group_known(group))
		return; /* reported once, at the group */

	clean = roadie_profile_clean_name(key);
	full = g_strdup_printf("%s.%s", group, clean);
	row = roadie_profile_key_lookup(group, key);
	if (!row) {
		g_autofree char *hint = keyfile_unknown_key_hint(group, clean);

		roadie_profile_problems_add(scan->problems, "unknown-key", full, n,
					    "unknown key: %s", hint);
		return;
	}
	if (g_hash_table_lookup_extended(scan->lines, full, NULL, &first))
		roadie_profile_problems_add(scan->problems, "duplicate-key", full, n,
					    "set twice (lines %d and %d): keep one",
					    GPOINTER_TO_INT(first), n);
	else
		g_ptr_array_add(scan->known, (gpointer)row);
	/* GKeyFile keeps the last one: point there */
	g_hash_table_insert(scan->lines, g_steal_pointer(&full), GINT_TO_POINTER(n));
}

static void keyfile_scan(Scan *scan, const char *data, size_t len)
{
	g_autofree char *group = NULL;
	size_t pos = 0;
	int n = 0;

	while (pos < len && scan->problems->len < ROADIE_PROFILE_MAX_PROBLEMS) {
		const char *start = data + pos;
		const char *nl = memchr(start, '\n', len - pos);
		size_t line_len = nl ? (size_t)(nl - start) : len - pos;
		g_autofree char *line = NULL;
		const char *end;
		const char *p;

		pos += line_len + (nl ? 1 : 0);
		n++;
		if (line_len > 0 && start[line_len - 1] == '\r')
			line_len--; /* GKeyFile reads CRLF files too */
		if (!g_utf8_validate_len(start, line_len, &end)) {
			size_t column = (size_t)(end - start) + 1;

			if (*end == '\0')
				roadie_profile_problems_add(
					scan->problems, "non-utf8", ROADIE_PROFILE_FILE_KEY, n,
					"line %d: a NUL byte at column %zu", n, column);
			else
				roadie_profile_problems_add(
					scan->problems, "non-utf8", ROADIE_PROFILE_FILE_KEY, n,
					"line %d: not valid UTF-8 (byte 0x%02x at "
					"column %zu): save the profile as UTF-8",
					n, (unsigned char)*end, column);
			scan->fatal = true;
			continue;
		}
		line = g_strndup(start, line_len);
		for (p = line; g_ascii_isspace(*p); p++)
			;
		if (*p == '\0' || *p == '#')
			continue;
		if (*p == '[') {
			keyfile_scan_group(scan, p, n, &group);
		} else if (strchr(p, '=')) {
			keyfile_scan_key(scan, p, n, group);
		} else {
			g_autofree char *quoted = keyfile_line_shown(p);

			roadie_profile_problems_add(
				scan->problems, "keyfile-syntax", ROADIE_PROFILE_FILE_KEY, n,
				"line %d: %s is not a [group], a key=value line or a "
				"#comment",
				n, quoted);
			scan->fatal = true;
		}
	}
}

static void keyfile_wipe_free(char *text)
{
	if (text) {
		roadie_wipe(text, strlen(text));
		g_free(text);
	}
}

static RoadieProfile *keyfile_load(const char *data, size_t len, const char *default_name,
				   RoadieCheckFlags flags, GPtrArray **ret_problems,
				   GError **error)
{
	g_autoptr(GHashTable) lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) known = g_ptr_array_new();
	g_autoptr(GKeyFile) keyfile = NULL;
	g_autoptr(GError) local = NULL;
	g_autoptr(RoadieProfile) profile = NULL;
	Scan scan = {
		.problems = roadie_profile_problems_new(),
		.lines = lines,
		.known = known,
	};

	if (len > ROADIE_PROFILE_MAX_FILE) {
		roadie_profile_problems_add(scan.problems, "file-too-large",
					    ROADIE_PROFILE_FILE_KEY, 0,
					    "is %zu bytes long; a profile is at most %d bytes", len,
					    ROADIE_PROFILE_MAX_FILE);
		return roadie_profile_finish(NULL, scan.problems, flags, NULL, ret_problems,
					     error);
	}
	if (!data) {
		data = "";
		len = 0;
	}
	keyfile_scan(&scan, data, len);
	if (scan.fatal)
		return roadie_profile_finish(NULL, scan.problems, flags, lines, ret_problems,
					     error);

	keyfile = g_key_file_new();
	if (!g_key_file_load_from_data(keyfile, data, len, G_KEY_FILE_NONE, &local)) {
		/* the scan accepts a little more than GKeyFile; its message has no line */
		roadie_profile_problems_add(scan.problems, "keyfile-syntax",
					    ROADIE_PROFILE_FILE_KEY, 0, "%s", local->message);
		return roadie_profile_finish(NULL, scan.problems, flags, lines, ret_problems,
					     error);
	}

	profile = roadie_profile_new();
	for (guint i = 0; i < known->len; i++) {
		const RoadieProfileKey *key = known->pdata[i];
		g_autofree char *name = roadie_profile_key_name(key);
		int line = GPOINTER_TO_INT(g_hash_table_lookup(lines, name));
		char *value;

		/* on a bad escape GKeyFile sets the error but may still return a string */
		value = g_key_file_get_string(keyfile, key->group, key->key, &local);
		if (local || !value) {
			keyfile_wipe_free(value);
			roadie_profile_problems_add(
				scan.problems, "keyfile-syntax", name, line,
				"line %d: the value has an invalid escape sequence "
				"(write a backslash as \\\\)",
				line);
			g_clear_error(&local);
			continue;
		}
		roadie_profile_key_set_text(profile, key, value, line, scan.problems);
		keyfile_wipe_free(value);
	}
	if (default_name && !profile->name)
		profile->name = g_strdup(default_name);
	return roadie_profile_finish(g_steal_pointer(&profile), scan.problems, flags, lines,
				     ret_problems, error);
}

RoadieProfile *roadie_profile_load_data(const char *data, size_t len, RoadieCheckFlags flags,
					GPtrArray **ret_problems, GError **error)
{
	return keyfile_load(data, len, NULL, flags, ret_problems, error);
}

/* Reads at most one byte past the limit, so a huge file or /dev/zero costs nothing. */
static char *keyfile_read(const char *path, size_t *ret_len, char **ret_error)
{
	g_autofree char *data = g_malloc(ROADIE_PROFILE_MAX_FILE + 2);
	size_t len = 0;
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		*ret_error = g_strdup(g_strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		*ret_error = g_strdup("not a regular file");
		close(fd);
		return NULL;
	}
	while (len < ROADIE_PROFILE_MAX_FILE + 1) {
		ssize_t n = read(fd, data + len, ROADIE_PROFILE_MAX_FILE + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*ret_error = g_strdup(g_strerror(errno));
			close(fd);
			return NULL;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	data[len] = '\0';
	*ret_len = len;
	return g_steal_pointer(&data);
}

/* "work.conf" → "work": the name a profile without [connection] name gets. */
static char *keyfile_name_from_path(const char *path)
{
	static const char *const suffixes[] = { ".conf", ".ini", ".roadie" };
	g_autofree char *base = g_path_get_basename(path);
	size_t len = strlen(base);

	for (size_t i = 0; i < G_N_ELEMENTS(suffixes); i++) {
		size_t n = strlen(suffixes[i]);

		if (len > n && g_str_has_suffix(base, suffixes[i])) {
			base[len - n] = '\0';
			break;
		}
	}
	if (!g_utf8_validate(base, -1, NULL) || strcmp(base, "/") == 0 || strcmp(base, ".") == 0)
		return NULL;
	return g_steal_pointer(&base);
}

RoadieProfile *roadie_profile_load_file(const char *path, RoadieCheckFlags flags,
					GPtrArray **ret_problems, GError **error)
{
	g_autofree char *reason = NULL;
	g_autofree char *name = NULL;
	char *data;
	size_t len = 0;
	RoadieProfile *profile;

	data = keyfile_read(path, &len, &reason);
	if (!data) {
		GPtrArray *problems = roadie_profile_problems_new();
		g_autofree char *quoted = roadie_profile_quote(path);

		roadie_profile_problems_add(problems, "file-unreadable", ROADIE_PROFILE_FILE_KEY, 0,
					    "cannot read %s: %s", quoted, reason);
		return roadie_profile_finish(NULL, problems, flags, NULL, ret_problems, error);
	}
	name = keyfile_name_from_path(path);
	profile = keyfile_load(data, len, name, flags, ret_problems, error);
	roadie_wipe(data, len); /* it may hold secrets */
	g_free(data);
	return profile;
}

/* GKeyFile's escapes (the desktop entry spec's): \\ \n \t \r, and \s for a leading space,
 * which the reader would otherwise strip. */
static char *keyfile_escape(const char *value)
{
	GString *s = g_string_sized_new(strlen(value) * 2 + 1);

	for (const char *p = value; *p; p++) {
		switch (*p) {
		case '\\':
			g_string_append(s, "\\\\");
			break;
		case '\n':
			g_string_append(s, "\\n");
			break;
		case '\t':
			g_string_append(s, "\\t");
			break;
		case '\r':
			g_string_append(s, "\\r");
			break;
		case ' ':
			g_string_append(s, p == value ? "\\s" : " ");
			break;
		default:
			g_string_append_c(s, *p);
			break;
		}
	}
	/* sized so that it never grew: no stray copy of a secret was left behind */
	return g_string_free(s, FALSE);
}

char *roadie_profile_to_data(const RoadieProfile *profile, bool with_secrets, size_t *ret_len)
{
	g_autoptr(RoadieProfile) defaults = roadie_profile_new();
	g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func((GDestroyNotify)
									     keyfile_wipe_free);
	const char *group = NULL;
	size_t n, total = 0;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);
	char *out, *p;

	for (size_t i = 0; i < n; i++) {
		const RoadieProfileKey *key = &keys[i];
		char *text, *escaped;

		if (key->type == ROADIE_KEY_SECRET && !with_secrets)
			continue;
		if (key->type == ROADIE_KEY_BYTES)
			continue; /* contents travel over D-Bus only; the file names the path */
		if (roadie_profile_key_equal(profile, defaults, key))
			continue;
		if (!group || strcmp(group, key->group) != 0) {
			g_ptr_array_add(pieces,
					g_strdup_printf("%s[%s]\n", group ? "\n" : "", key->group));
			group = key->group;
		}
		/* unset where the default is set: "ike=" reads back as unset */
		text = roadie_profile_key_format(profile, key);
		escaped = keyfile_escape(text ? text : "");
		keyfile_wipe_free(text);
		g_ptr_array_add(pieces, g_strdup_printf("%s=%s\n", key->key, escaped));
		keyfile_wipe_free(escaped);
	}

	for (guint i = 0; i < pieces->len; i++)
		total += strlen(pieces->pdata[i]);
	out = p = g_malloc(total + 1);
	for (guint i = 0; i < pieces->len; i++) {
		size_t len = strlen(pieces->pdata[i]);

		memcpy(p, pieces->pdata[i], len);
		p += len;
	}
	*p = '\0';
	if (ret_len)
		*ret_len = total;
	return out;
}

bool roadie_profile_save_file(const RoadieProfile *profile, const char *path, bool with_secrets,
			      GError **error)
{
	size_t len;
	char *data = roadie_profile_to_data(profile, with_secrets, &len);
	bool ok;

	/* temporary file, fsync, rename: a crash leaves the old profile or the new one */
	ok = g_file_set_contents_full(path, data, (gssize)len,
				      G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
				      0600, error);
	roadie_wipe(data, len);
	g_free(data);
	return ok;
}

bool roadie_profile_merge_secrets(RoadieProfile *profile, const char *data, size_t len,
				  GPtrArray **ret_problems, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GPtrArray) problems = roadie_profile_problems_new();
	g_autoptr(RoadieProfile) merged = roadie_profile_copy(profile);
	g_auto(GStrv) groups = NULL;
	g_autoptr(GError) parse_error = NULL;

	if (len > 65536 || !g_utf8_validate(data, (gssize)len, NULL) ||
	    !g_key_file_load_from_data(kf, data, len, G_KEY_FILE_NONE, &parse_error)) {
		roadie_profile_problems_add(problems, "keyfile-syntax", "secrets", 0,
					    "not a key file of secrets ([ipsec] psk=..., "
					    "[ppp] password=...)");
		goto fail;
	}
	groups = g_key_file_get_groups(kf, NULL);
	for (size_t g = 0; groups[g]; g++) {
		g_auto(GStrv) keys = g_key_file_get_keys(kf, groups[g], NULL, NULL);

		for (size_t k = 0; keys && keys[k]; k++) {
			const RoadieProfileKey *key = roadie_profile_key_lookup(groups[g], keys[k]);
			g_autofree char *name = g_strdup_printf("%s.%s", groups[g], keys[k]);
			char *value;

			if (!key || key->type != ROADIE_KEY_SECRET) {
				g_autofree char *shown = roadie_profile_clean_name(name);

				roadie_profile_problems_add(problems, "secret-misplaced", shown, 0,
							    "only secrets may come this way");
				continue;
			}
			value = g_key_file_get_string(kf, groups[g], keys[k], NULL);
			if (value)
				roadie_profile_key_set_text(merged, key, value, 0, problems);
			roadie_wipe_str(value);
		}
	}
	if (problems->len)
		goto fail;
	{
		size_t n_keys;
		const RoadieProfileKey *keys = roadie_profile_keys(&n_keys);

		for (size_t i = 0; i < n_keys; i++)
			if (keys[i].type == ROADIE_KEY_SECRET)
				roadie_profile_key_copy(profile, merged, &keys[i]);
	}
	return true;
fail:
	if (problems->len) {
		const RoadieProblem *first = problems->pdata[0];

		g_set_error_literal(error, ROADIE_PROFILE_ERROR, 0, first->message);
	}
	if (ret_problems)
		*ret_problems = g_steal_pointer(&problems);
	return false;
}

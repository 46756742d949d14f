/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The life cycle of a profile and of its problems. Every operation walks the key table
 * (profile-keys.c), so a new key needs no code here.
 */
#include <string.h>

#include "profile-private.h"

G_DEFINE_QUARK(roadie-profile-error-quark, roadie_profile_error)

RoadieProfile *roadie_profile_new(void)
{
	RoadieProfile *profile = g_new0(RoadieProfile, 1);
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	/* The defaults are static text; /profile/keys/defaults proves that each one parses. */
	for (size_t i = 0; i < n; i++)
		if (keys[i].default_text)
			roadie_profile_key_set_text(profile, &keys[i], keys[i].default_text, 0,
						    NULL);
	return profile;
}

RoadieProfile *roadie_profile_copy(const RoadieProfile *profile)
{
	RoadieProfile *copy;
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	if (!profile)
		return NULL;
	copy = g_new0(RoadieProfile, 1);
	for (size_t i = 0; i < n; i++)
		roadie_profile_key_copy(copy, profile, &keys[i]);
	return copy;
}

RoadieProfile *roadie_profile_free(RoadieProfile *profile)
{
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	if (!profile)
		return NULL;
	for (size_t i = 0; i < n; i++)
		roadie_profile_key_clear(profile, &keys[i]);
	g_free(profile);
	return NULL;
}

bool roadie_profile_equal(const RoadieProfile *a, const RoadieProfile *b)
{
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	if (!a || !b)
		return a == b;
	for (size_t i = 0; i < n; i++)
		if (!roadie_profile_key_equal(a, b, &keys[i]))
			return false;
	return true;
}

/* ---- problems ---- */

void roadie_problem_free(RoadieProblem *problem)
{
	if (!problem)
		return;
	g_free(problem->key);
	g_free(problem->message);
	g_free(problem);
}

GPtrArray *roadie_profile_problems_new(void)
{
	return g_ptr_array_new_with_free_func((GDestroyNotify)roadie_problem_free);
}

void roadie_profile_problems_add(GPtrArray *problems, const char *rule, const char *key, int line,
				 const char *format, ...)
{
	RoadieProblem *problem;
	g_autofree char *text = NULL;
	va_list args;

	if (!problems || problems->len >= ROADIE_PROFILE_MAX_PROBLEMS)
		return;
	va_start(args, format);
	text = g_strdup_vprintf(format, args);
	va_end(args);

	problem = g_new0(RoadieProblem, 1);
	problem->rule = rule;
	problem->key = g_strdup(key);
	problem->message = g_strdup_printf("%s: %s", key, text);
	problem->line = line;
	g_ptr_array_add(problems, problem);
}

/*
 * Values in messages come from hostile input: a control character could forge a second line
 * in a log or a terminal escape, and a 4 KiB value would bury the message. So: escape, cut.
 */
char *roadie_profile_quote(const char *text)
{
	GString *s = g_string_new("'");
	bool utf8 = g_utf8_validate(text, -1, NULL);
	size_t shown = 0;
	const char *p = text;

	while (*p) {
		gunichar c = utf8 ? g_utf8_get_char(p) : (guchar)*p;
		const char *next = utf8 ? g_utf8_next_char(p) : p + 1;

		if (shown == 64) {
			g_string_append(s, "…");
			break;
		}
		if (c == '\\' || c == '\'')
			g_string_append_printf(s, "\\%c", (char)c);
		else if (c == '\n')
			g_string_append(s, "\\n");
		else if (c == '\t')
			g_string_append(s, "\\t");
		else if (!utf8 && c >= 0x80)
			g_string_append_printf(s, "\\x%02x", c);
		else if (g_unichar_iscntrl(c) || c == 0x2028 || c == 0x2029)
			g_string_append_printf(s, "\\u%04x", c);
		else
			g_string_append_len(s, p, next - p);
		shown++;
		p = next;
	}
	g_string_append_c(s, '\'');
	return g_string_free(s, FALSE);
}

char *roadie_profile_clean_name(const char *text)
{
	GString *s = g_string_new(NULL);
	bool utf8 = g_utf8_validate(text, -1, NULL);

	for (const char *p = text; *p && s->len < 64; p = utf8 ? g_utf8_next_char(p) : p + 1) {
		gunichar c = utf8 ? g_utf8_get_char(p) : (guchar)*p;

		if (!utf8 && c >= 0x80)
			g_string_append_c(s, '?');
		else if (g_unichar_iscntrl(c))
			g_string_append_c(s, '?');
		else
			g_string_append_unichar(s, c);
	}
	/* a problem's message starts with its key: an empty name must still show */
	if (!s->len)
		g_string_append(s, "''");
	return g_string_free(s, FALSE);
}

static int profile_line_of(GHashTable *lines, const char *key)
{
	g_autofree char *group = NULL;
	const char *dot;
	gpointer value;

	if (g_hash_table_lookup_extended(lines, key, NULL, &value))
		return GPOINTER_TO_INT(value);
	/* a problem about a key the file left out points at its group, if present */
	dot = strchr(key, '.');
	if (!dot)
		return 0;
	group = g_strdup_printf("[%.*s]", (int)(dot - key), key);
	if (g_hash_table_lookup_extended(lines, group, NULL, &value))
		return GPOINTER_TO_INT(value);
	return 0;
}

RoadieProfile *roadie_profile_finish(RoadieProfile *profile, GPtrArray *problems,
				     RoadieCheckFlags flags, GHashTable *lines,
				     GPtrArray **ret_problems, GError **error)
{
	g_autoptr(RoadieProfile) owned = profile;
	g_autoptr(GPtrArray) all = problems;
	const RoadieProblem *first;

	/* Check even after load problems: the user then sees everything wrong at once. A loader
	 * that could not make sense of the text at all passes no profile. */
	if (owned) {
		g_autoptr(GPtrArray) checked = roadie_profile_check(owned, flags);

		while (checked->len > 0 && all->len < ROADIE_PROFILE_MAX_PROBLEMS)
			g_ptr_array_add(all, g_ptr_array_steal_index(checked, 0));
	}
	if (all->len == 0)
		return g_steal_pointer(&owned);

	for (guint i = 0; lines && i < all->len; i++) {
		RoadieProblem *problem = all->pdata[i];

		if (problem->line == 0)
			problem->line = profile_line_of(lines, problem->key);
	}
	first = all->pdata[0];
	g_set_error_literal(error, ROADIE_PROFILE_ERROR, 0, first->message);
	if (ret_problems)
		*ret_problems = g_steal_pointer(&all);
	return NULL;
}

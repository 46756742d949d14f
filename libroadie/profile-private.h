/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the profile files share and nobody else needs: the generic field operations the key
 * table drives (text, GVariant, copy, compare), problem construction, and the common tail of
 * every loader. The NetworkManager-l2tp importer uses them too, so that it builds profiles
 * through the same table as the file loader.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "profile.h"

/* Hostile-input limits: a profile is a few hundred bytes; anything near these is an attack
 * or a wrong file, and the limits keep every later step (messages, copies) small. */
#define ROADIE_PROFILE_MAX_FILE (64 * 1024)
#define ROADIE_PROFILE_MAX_VALUE 4096
/* a certificate file's contents (BYTES): a 4096-bit chain of three in PEM is ~6 KiB, a
 * PKCS#12 with its chain ~8 KiB; 1 MiB is the file limit of x509-cred (ROADIE_X509_MAX_FILE)
 * and the most a front end reads (the D-Bus args cap of roadied is lower still) */
#define ROADIE_PROFILE_MAX_DATA (1024 * 1024)
#define ROADIE_PROFILE_MAX_ROUTES 64
/* Problems past this many are dropped: a 64 KiB file of garbage lines would otherwise
 * produce tens of thousands of identical messages nobody reads. */
#define ROADIE_PROFILE_MAX_PROBLEMS 100
/* Key name used by problems about the file as a whole (encoding, syntax, size). */
#define ROADIE_PROFILE_FILE_KEY "file"

/* ---- problems (profile.c) ---- */

GPtrArray *roadie_profile_problems_new(void);
/* Appends "@key: <formatted>" under @rule (a static id). @key may be a group.key, a group,
 * a D-Bus or NM name, or ROADIE_PROFILE_FILE_KEY. */
void roadie_profile_problems_add(GPtrArray *problems, const char *rule, const char *key, int line,
				 const char *format, ...) G_GNUC_PRINTF(5, 6);
/* @text for a message: escaped, cut after 64 characters, in single quotes (g_free). */
char *roadie_profile_quote(const char *text);
/* A name the user wrote (an unknown key), fit to be a problem's key: control characters and
 * invalid UTF-8 become '?', cut after 64 characters (g_free). */
char *roadie_profile_clean_name(const char *text);

/*
 * The tail every loader shares. Takes @profile and @problems (the loader's own problems);
 * fills in line numbers from @lines ("group.key" or "[group]" → GINT_TO_POINTER(line), may
 * be NULL), runs roadie_profile_check() and returns the profile if nothing is wrong. Otherwise
 * frees the profile, hands every problem to @ret_problems and the first one to @error.
 * @profile is NULL when the input could not be read at all: then nothing is checked.
 */
RoadieProfile *roadie_profile_finish(RoadieProfile *profile, GPtrArray *problems,
				     RoadieCheckFlags flags, GHashTable *lines,
				     GPtrArray **ret_problems, GError **error);

/* ---- generic field operations, driven by the key table (profile-keys.c) ---- */

/* "ipsec.psk" (g_free). */
char *roadie_profile_key_name(const RoadieProfileKey *key);
/* Whether @group ("ipsec") is one of the key table's groups. */
bool roadie_profile_key_group_known(const char *group);

/* Parses @text (file syntax) into the field. On failure adds a problem (bool-invalid,
 * number-invalid, duration-invalid, enum-invalid, flags-invalid, value-too-long) and leaves the
 * field untouched. "" clears STRING, PATH and STRV fields (the file's way to say "unset"). */
bool roadie_profile_key_set_text(RoadieProfile *profile, const RoadieProfileKey *key,
				 const char *text, int line, GPtrArray *problems);
/* The field in file syntax; NULL when unset. Secrets included: wipe with roadie_wipe_str(). */
char *roadie_profile_key_format(const RoadieProfile *profile, const RoadieProfileKey *key);

/* The a{sv} type of a field ("s", "b", "u", "as"). */
const GVariantType *roadie_profile_key_variant_type(const RoadieProfileKey *key);
/* A floating GVariant of the field; NULL when unset. Secret strings are wiped when freed. */
GVariant *roadie_profile_key_to_variant(const RoadieProfile *profile, const RoadieProfileKey *key);
/* Sets the field from @value, which must already have roadie_profile_key_variant_type(). */
bool roadie_profile_key_set_variant(RoadieProfile *profile, const RoadieProfileKey *key,
				    GVariant *value, GPtrArray *problems);

void roadie_profile_key_clear(RoadieProfile *profile, const RoadieProfileKey *key);
void roadie_profile_key_copy(RoadieProfile *dst, const RoadieProfile *src,
			     const RoadieProfileKey *key);
bool roadie_profile_key_equal(const RoadieProfile *a, const RoadieProfile *b,
			      const RoadieProfileKey *key);

/* Durations as the file writes them: "8h", "5m", "1d", "150". */
char *roadie_profile_key_format_seconds(uint32_t seconds);
/* "3600", "60s", "60m", "8h", "1d" (unit case-insensitive); false on anything else. */
bool roadie_profile_key_parse_seconds(const char *text, uint32_t *ret_seconds);
/* true/false, yes/no, on/off, 1/0, case-insensitive. */
bool roadie_profile_key_parse_bool(const char *text, bool *ret_value);

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A secret string (pre-shared key, password, key passphrase).
 *
 * The type is opaque on purpose: a RoadieSecret * cannot be handed to printf's
 * "%s" or g_message() without a -Wformat error, so no caller logs one by accident.
 * The bytes live in one heap block that is wiped (OPENSSL_cleanse) when freed.
 * roadie_secret_peek() is the one door to the value; grep for it to audit uses.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>

typedef struct RoadieSecret RoadieSecret;

/* Copies @len bytes of @data and NUL-terminates the copy. Never returns NULL. */
RoadieSecret *roadie_secret_new_len(const void *data, size_t len);
/* Copies a NUL-terminated string; NULL gives NULL. */
RoadieSecret *roadie_secret_new(const char *value);
/* Takes over a g_malloc'd string, wiping and freeing the original; NULL gives NULL. */
RoadieSecret *roadie_secret_new_take(char *value);
RoadieSecret *roadie_secret_dup(const RoadieSecret *secret);
/* Wipes and frees; accepts NULL; returns NULL. */
RoadieSecret *roadie_secret_free(RoadieSecret *secret);

/* The value, NUL-terminated (it may also contain NULs: use the length for binary secrets). */
const char *roadie_secret_peek(const RoadieSecret *secret);
size_t roadie_secret_len(const RoadieSecret *secret);
/* Constant-time comparison; two NULLs are equal. */
bool roadie_secret_equal(const RoadieSecret *a, const RoadieSecret *b);

/* Wipes memory in a way the compiler cannot drop. */
void roadie_wipe(void *p, size_t len);
/* Wipes a NUL-terminated string, then g_free()s it; accepts NULL. */
void roadie_wipe_str(char *s);
/* GBytes owning @data (g_malloc()ed, @len bytes), wiped when the last reference goes: for
 * key material read from files. */
GBytes *roadie_wiped_bytes_take(void *data, size_t len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RoadieSecret, roadie_secret_free)

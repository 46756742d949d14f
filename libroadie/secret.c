/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>
#include <openssl/crypto.h>

#include "secret.h"

struct RoadieSecret {
	size_t len;
	char value[]; /* len bytes + NUL */
};

static void wiped_bytes_free(gpointer data)
{
	GBytes *inner = data;
	gsize len = 0;
	void *mem = (void *)g_bytes_get_data(inner, &len);

	roadie_wipe(mem, len);
	g_bytes_unref(inner);
}

GBytes *roadie_wiped_bytes_take(void *data, size_t len)
{
	GBytes *inner = g_bytes_new_take(data, len);

	return g_bytes_new_with_free_func(g_bytes_get_data(inner, NULL), len, wiped_bytes_free,
					  inner);
}

void roadie_wipe(void *p, size_t len)
{
	if (p && len)
		OPENSSL_cleanse(p, len);
}

void roadie_wipe_str(char *s)
{
	if (!s)
		return;
	roadie_wipe(s, strlen(s));
	g_free(s);
}

RoadieSecret *roadie_secret_new_len(const void *data, size_t len)
{
	RoadieSecret *secret = g_malloc(sizeof(*secret) + len + 1);

	secret->len = len;
	if (len)
		memcpy(secret->value, data, len);
	secret->value[len] = '\0';
	return secret;
}

RoadieSecret *roadie_secret_new(const char *value)
{
	if (!value)
		return NULL;
	return roadie_secret_new_len(value, strlen(value));
}

RoadieSecret *roadie_secret_new_take(char *value)
{
	RoadieSecret *secret = roadie_secret_new(value);

	roadie_wipe_str(value);
	return secret;
}

RoadieSecret *roadie_secret_dup(const RoadieSecret *secret)
{
	if (!secret)
		return NULL;
	return roadie_secret_new_len(secret->value, secret->len);
}

RoadieSecret *roadie_secret_free(RoadieSecret *secret)
{
	if (!secret)
		return NULL;
	roadie_wipe(secret, sizeof(*secret) + secret->len + 1);
	g_free(secret);
	return NULL;
}

const char *roadie_secret_peek(const RoadieSecret *secret)
{
	return secret ? secret->value : NULL;
}

size_t roadie_secret_len(const RoadieSecret *secret)
{
	return secret ? secret->len : 0;
}

bool roadie_secret_equal(const RoadieSecret *a, const RoadieSecret *b)
{
	if (!a || !b)
		return a == b;
	if (a->len != b->len)
		return false;
	return CRYPTO_memcmp(a->value, b->value, a->len) == 0;
}

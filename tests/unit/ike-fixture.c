/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Captured IKEv1 exchanges (tests/vectors/ikev1-*.txt) for the IKE unit tests. */
#include <string.h>
#include <glib.h>

#include "ike-fixture.h"

GBytes *fixture_get(Fixture *f, const char *name)
{
	GBytes *b = g_hash_table_lookup(f->values, name);

	if (!b)
		g_error("fixture has no '%s'", name);
	return b;
}

const uint8_t *fixture_bytes(Fixture *f, const char *name, size_t *ret_len)
{
	gsize len;
	const uint8_t *data = g_bytes_get_data(fixture_get(f, name), &len);

	if (ret_len)
		*ret_len = len;
	return data;
}

void fixture_load(Fixture *f, const char *file)
{
	g_autofree char *path = g_test_build_filename(G_TEST_DIST, "vectors", file, NULL);
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true(g_file_get_contents(path, &text, NULL, &error));
	f->values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					  (GDestroyNotify)g_bytes_unref);
	lines = g_strsplit(text, "\n", -1);
	for (size_t i = 0; lines[i]; i++) {
		g_auto(GStrv) kv = NULL;
		GByteArray *bytes;

		if (g_str_has_prefix(lines[i], "# proposals: ike=")) {
			g_autofree char *ike = g_strndup(lines[i] + 17,
							 strcspn(lines[i] + 17, " "));
			g_autoptr(GArray) suites = NULL;

			g_assert_cmpint(roadie_proposal_parse(ROADIE_PROPOSAL_IKE, ike, &suites, NULL,
							      NULL),
					==, ROADIE_PROPOSAL_OK);
			f->ike = g_array_index(suites, RoadieSuite, 0);
			continue;
		}
		if (!lines[i][0] || lines[i][0] == '#')
			continue;
		kv = g_strsplit(lines[i], " = ", 2);
		g_assert_nonnull(kv[1]);
		bytes = g_byte_array_new();
		for (const char *p = kv[1]; p[0] && p[1]; p += 2) {
			uint8_t b = (uint8_t)(g_ascii_xdigit_value(p[0]) << 4 |
					      g_ascii_xdigit_value(p[1]));

			g_byte_array_append(bytes, &b, 1);
		}
		g_hash_table_insert(f->values, g_strdup(kv[0]), g_byte_array_free_to_bytes(bytes));
	}
}

/* The @len bytes at @data equal the captured value @name. */
void fixture_assert(Fixture *f, const char *name, const void *data, size_t len)
{
	size_t want_len;
	const uint8_t *want = fixture_bytes(f, name, &want_len);

	g_assert_cmpmem(data, len, want, want_len);
}

/* Splits a (decrypted) message into payloads; returns the count. */
unsigned fixture_split(const uint8_t *msg, size_t len, bool padded, struct ike_header *h,
		      struct ike_payload *payloads)
{
	struct pkt_reader body;
	unsigned n = 0;

	g_assert_cmpint(ike_message_parse(msg, len, h, &body), ==, IKE_PARSE_OK);
	g_assert_cmpint(ike_payloads_parse(&body, h->next_payload, padded, payloads, &n), ==,
			IKE_PARSE_OK);
	return n;
}

/* A captured plain message, split into payloads (it stays valid as long as the fixture). */
unsigned fixture_split_named(Fixture *f, const char *name, struct ike_header *h,
			    struct ike_payload *payloads)
{
	size_t len;
	const uint8_t *msg = fixture_bytes(f, name, &len);

	return fixture_split(msg, len, false, h, payloads);
}

const struct ike_payload *fixture_find(const struct ike_payload *p, unsigned n, uint8_t type)
{
	const struct ike_payload *found = ike_payload_find(p, n, type);

	g_assert_nonnull(found);
	return found;
}



/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzzes the proposal-string parser. The first byte picks IKE or ESP; the rest is the
 * string. A list that parses must round-trip: printing its suites and parsing that again
 * gives the same suites.
 */
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "proposal.h"

/* field by field: the struct has padding */
static bool suite_equal(const RoadieSuite *a, const RoadieSuite *b)
{
	return a->encr == b->encr && a->key_bits == b->key_bits && a->integ == b->integ &&
	       a->dh == b->dh;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GArray) suites = NULL;
	g_autoptr(GArray) again = NULL;
	g_autoptr(GString) printed = NULL;
	g_autofree char *text = NULL;
	g_autofree char *message = NULL;
	RoadieProposalKind kind;
	bool strict;

	if (size < 1)
		return 0;
	kind = data[0] & 1 ? ROADIE_PROPOSAL_ESP : ROADIE_PROPOSAL_IKE;
	text = g_strndup((const char *)data + 1, size - 1);
	if (roadie_proposal_parse(kind, text, &suites, &strict, &message) != ROADIE_PROPOSAL_OK) {
		if (!message)
			abort();
		return 0;
	}
	if (message || suites->len == 0 || suites->len > ROADIE_PROPOSAL_MAX_SUITES)
		abort();

	printed = g_string_new(NULL);
	for (guint i = 0; i < suites->len; i++) {
		const RoadieSuite *s = &g_array_index(suites, RoadieSuite, i);
		g_autofree char *one = roadie_suite_to_string(kind, s);
		g_autofree char *described = roadie_suite_describe(kind, s);
		g_autoptr(GArray) single = NULL;

		if (!described[0])
			abort();
		(void)roadie_suite_is_weak(s);
		/* each suite printed alone parses back to exactly itself */
		if (roadie_proposal_parse(kind, one, &single, NULL, NULL) != ROADIE_PROPOSAL_OK ||
		    single->len != 1 || !suite_equal(s, &g_array_index(single, RoadieSuite, 0)))
			abort();
		g_string_append_printf(printed, "%s%s", i ? "," : "", one);
	}
	/* and the whole list, when its canonical form is within the length limit (64 suites
	 * of long names need not be) */
	if (printed->len > ROADIE_PROPOSAL_MAX_LEN)
		return 0;
	if (roadie_proposal_parse(kind, printed->str, &again, NULL, NULL) != ROADIE_PROPOSAL_OK)
		abort();
	if (again->len != suites->len)
		abort();
	for (guint i = 0; i < suites->len; i++)
		if (!suite_equal(&g_array_index(suites, RoadieSuite, i),
				 &g_array_index(again, RoadieSuite, i)))
			abort();
	return 0;
}

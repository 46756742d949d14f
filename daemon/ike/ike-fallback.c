/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "ike-fallback.h"

static bool fallback_suite_equal(const RoadieSuite *a, const RoadieSuite *b)
{
	return a->encr == b->encr && a->key_bits == b->key_bits && a->integ == b->integ &&
	       a->dh == b->dh;
}

static int fallback_find(const GArray *list, const RoadieSuite *s)
{
	for (unsigned i = 0; list && i < list->len; i++)
		if (fallback_suite_equal(&g_array_index(list, RoadieSuite, i), s))
			return (int)i;
	return -1;
}

static void fallback_add_offered(struct ike_fallback *fb)
{
	for (unsigned i = 0; i < fb->current->len; i++) {
		const RoadieSuite *s = &g_array_index(fb->current, RoadieSuite, i);

		if (fallback_find(fb->offered, s) < 0)
			g_array_append_val(fb->offered, *s);
	}
}

static void fallback_set_current(struct ike_fallback *fb, GArray *list)
{
	g_clear_pointer(&fb->current, g_array_unref);
	fb->current = list;
	fallback_add_offered(fb);
	fb->attempts++;
}

static GArray *fallback_copy(const GArray *list)
{
	GArray *copy = g_array_sized_new(FALSE, FALSE, sizeof(RoadieSuite), list->len);

	g_array_append_vals(copy, list->data, list->len);
	return copy;
}

bool ike_fallback_init(struct ike_fallback *fb, const char *ike, const char *learned,
		       char **ret_message)
{
	static const char *const builtin[] = { IKE_FALLBACK_OLDER, IKE_FALLBACK_OLDEST };
	bool strict = false;
	GArray *first = NULL;
	RoadieSuite hint;
	bool have_hint = false;
	unsigned start = 0;

	memset(fb, 0, sizeof(*fb));
	if (roadie_proposal_parse(ROADIE_PROPOSAL_IKE, ike, &first, &strict, ret_message) !=
	    ROADIE_PROPOSAL_OK)
		return false;
	fb->tiers[0] = first;
	for (unsigned i = 0; !strict && i < G_N_ELEMENTS(builtin); i++) {
		/* built in: always parses */
		if (roadie_proposal_parse(ROADIE_PROPOSAL_IKE, builtin[i], &fb->tiers[i + 1], NULL,
					  NULL) != ROADIE_PROPOSAL_OK)
			g_assert_not_reached();
	}
	fb->offered = g_array_new(FALSE, FALSE, sizeof(RoadieSuite));

	/* the learned suite: start in the first list that has it, with it first */
	if (learned) {
		g_autoptr(GArray) one = NULL;

		if (roadie_proposal_parse(ROADIE_PROPOSAL_IKE, learned, &one, NULL, NULL) ==
			    ROADIE_PROPOSAL_OK &&
		    one->len == 1) {
			hint = g_array_index(one, RoadieSuite, 0);
			have_hint = true;
		}
	}
	for (unsigned t = 0; have_hint && t < IKE_FALLBACK_TIERS; t++) {
		int at = fallback_find(fb->tiers[t], &hint);

		if (at >= 0) {
			start = t;
			break;
		}
	}
	fb->tier = start;
	{
		GArray *list = fallback_copy(fb->tiers[start]);
		int at = have_hint ? fallback_find(list, &hint) : -1;

		if (at > 0) {
			g_array_remove_index(list, (guint)at);
			g_array_prepend_val(list, hint);
		}
		fallback_set_current(fb, list);
	}
	return true;
}

void ike_fallback_clear(struct ike_fallback *fb)
{
	for (unsigned i = 0; i < IKE_FALLBACK_TIERS; i++)
		g_clear_pointer(&fb->tiers[i], g_array_unref);
	g_clear_pointer(&fb->current, g_array_unref);
	g_clear_pointer(&fb->offered, g_array_unref);
}

const RoadieSuite *ike_fallback_suites(const struct ike_fallback *fb, unsigned *ret_n)
{
	*ret_n = fb->current->len;
	return (const RoadieSuite *)(const void *)fb->current->data;
}

/* The list that would follow the current one, or NULL. */
static GArray *fallback_candidate(const struct ike_fallback *fb, bool silence,
				  unsigned *ret_tier)
{
	for (unsigned t = fb->tier + 1; t < IKE_FALLBACK_TIERS; t++) {
		GArray *list;

		if (!fb->tiers[t])
			continue;
		list = g_array_new(FALSE, FALSE, sizeof(RoadieSuite));
		for (unsigned i = 0; i < fb->tiers[t]->len; i++) {
			const RoadieSuite *s = &g_array_index(fb->tiers[t], RoadieSuite, i);

			/* refused: only what is new; silence: the shorter list as it is */
			if (silence || fallback_find(fb->offered, s) < 0)
				g_array_append_val(list, *s);
		}
		if (list->len > 0 && (!silence || list->len < fb->current->len)) {
			*ret_tier = t;
			return list;
		}
		g_array_unref(list);
	}
	return NULL;
}

bool ike_fallback_has_next(const struct ike_fallback *fb, bool silence)
{
	unsigned tier;
	GArray *list = fallback_candidate(fb, silence, &tier);

	if (!list)
		return false;
	g_array_unref(list);
	return true;
}

bool ike_fallback_next(struct ike_fallback *fb, bool silence)
{
	unsigned tier = 0;
	GArray *list = fallback_candidate(fb, silence, &tier);

	if (!list)
		return false;
	fb->tier = tier;
	fallback_set_current(fb, list);
	return true;
}

char *ike_fallback_offered_text(const struct ike_fallback *fb)
{
	return roadie_suites_to_string(ROADIE_PROPOSAL_IKE,
				       (const RoadieSuite *)(const void *)fb->offered->data,
				       fb->offered->len, ", ");
}

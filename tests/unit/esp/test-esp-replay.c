/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>
#include <glib.h>

#include "esp/esp-replay.h"

struct replay_row {
	uint32_t seq;
	bool accept;  /* what esp_replay_check() must answer */
	bool update;  /* then esp_replay_update() (the ICV verified) */
	const char *why;
};

/* One table, replayed in order against one window. */
static const struct replay_row replay_rows[] = {
	{ 0, false, false, "zero is never valid" },
	{ 1, true, true, "first packet" },
	{ 1, false, false, "duplicate" },
	{ 2, true, true, "in order" },
	{ 3, true, true, "in order" },
	{ 5, true, true, "a gap" },
	{ 4, true, true, "late, fills the gap" },
	{ 4, false, false, "duplicate of a late one" },
	{ 0, false, false, "zero, with a window" },
	{ 9, true, false, "checked but its ICV failed: not recorded" },
	{ 9, true, true, "so it is still acceptable" },
	{ 9, false, false, "now a duplicate" },
	/* top 1030: the window is (6, 1030] */
	{ 1030, true, true, "forward jump within the window's width" },
	{ 6, false, false, "1024 below top: just outside" },
	{ 7, true, true, "1023 below top: the lower edge, never seen" },
	{ 7, false, false, "the lower edge, now seen" },
	{ 5, false, false, "seen, and outside now" },
	{ 8, true, true, "inside, never seen" },
	{ 9, false, false, "seen before the jump, still inside" },
	{ 1029, true, true, "just below top" },
	{ 1030, false, false, "top itself" },
	/* word boundaries: words hold 64 numbers, 4992 = 78 * 64 */
	{ 5000, true, true, "jump of more than the window: everything forgotten" },
	{ 1030, false, false, "old top, far outside" },
	{ 3976, false, false, "1024 below top" },
	{ 3977, true, true, "lower edge, in word 62" },
	{ 4991, true, true, "last of word 77" },
	{ 4992, true, true, "first of word 78 (top's)" },
	{ 4991, false, false, "duplicate across the boundary" },
	{ 4992, false, false, "duplicate across the boundary" },
	{ 5055, true, true, "last of word 78: top moves inside its word" },
	{ 5056, true, true, "first of word 79: one word entered and cleared" },
	{ 3977, false, false, "left the window with the move" },
	{ 4032, false, false, "1024 below the new top" },
	{ 4033, true, true, "lower edge, in word 63" },
	{ 4991, false, false, "still remembered after the clear" },
	{ 5000, false, false, "still remembered after the clear" },
	/* top 5120 enters word 80, whose ring slot last held word 63 */
	{ 5120, true, true, "top enters the slot of word 63" },
	{ 4033, false, false, "word 63 is outside now" },
	{ 4097, true, true, "lower edge in word 64" },
	{ 4096, false, false, "just outside" },
	{ 5056, false, false, "inside, remembered through the slot reuse" },
	{ 5119, true, true, "inside, never seen" },
	/* a jump of exactly the window's width */
	{ 6144, true, true, "jump of 1024" },
	{ 5120, false, false, "old top: exactly outside" },
	{ 5121, true, true, "lower edge after the jump: never seen" },
	{ 5119, false, false, "outside" },
	/* far forward, then re-reception */
	{ 100000, true, true, "far jump" },
	{ 6144, false, false, "old top, far outside" },
	{ 98976, false, false, "1024 below" },
	{ 98977, true, true, "lower edge" },
	{ 99500, true, true, "inside" },
	{ 99500, false, false, "duplicate" },
	{ 100000, false, false, "top" },
	{ 100001, true, true, "next" },
	/* the end of the 32-bit space */
	{ UINT32_MAX, true, true, "the last sequence number" },
	{ UINT32_MAX, false, false, "duplicate of the last" },
	{ UINT32_MAX - 1023, true, true, "lower edge at the end" },
	{ UINT32_MAX - 1024, false, false, "just outside at the end" },
	{ 100001, false, false, "far outside" },
	{ 0, false, false, "zero, at the end" },
};

static void test_replay_table(void)
{
	struct esp_replay w, before;

	esp_replay_init(&w);
	for (size_t i = 0; i < G_N_ELEMENTS(replay_rows); i++) {
		const struct replay_row *row = &replay_rows[i];

		if (g_test_verbose())
			g_test_message("row %zu: %u (%s)", i, row->seq, row->why);
		before = w;
		if (esp_replay_check(&w, row->seq) != row->accept)
			g_error("row %zu, seq %u (%s): check gave %d", i, row->seq, row->why,
				!row->accept);
		/* check() reads only */
		g_assert_cmpmem(&w, sizeof(w), &before, sizeof(before));
		if (row->update) {
			esp_replay_update(&w, row->seq);
			g_assert_false(esp_replay_check(&w, row->seq));
		}
	}
}

/* update() of a number check() refuses changes nothing. */
static void test_replay_update_refused(void)
{
	static const uint32_t refused[] = { 0, 3000, 1976, 1 };
	struct esp_replay w, before;

	esp_replay_init(&w);
	esp_replay_update(&w, 3000);
	for (size_t i = 0; i < G_N_ELEMENTS(refused); i++) {
		before = w;
		g_assert_false(esp_replay_check(&w, refused[i]));
		esp_replay_update(&w, refused[i]);
		g_assert_cmpmem(&w, sizeof(w), &before, sizeof(before));
	}
	g_assert_cmpuint(w.top, ==, 3000);
}

/* The window against a naive model (a set of every number seen), over random walks of small
 * steps, back-steps around the lower edge and jumps. */
static void test_replay_model(void)
{
	GRand *rand = g_rand_new_with_seed(4303);

	for (int walk = 0; walk < 40; walk++) {
		GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
		struct esp_replay w;
		uint32_t top = 0;

		esp_replay_init(&w);
		for (int step = 0; step < 4000; step++) {
			int64_t s;
			uint32_t seq;
			bool want;

			switch (g_rand_int_range(rand, 0, 6)) {
			case 0:
				s = (int64_t)top + g_rand_int_range(rand, 1, 70);
				break;
			case 1:
				s = (int64_t)top + g_rand_int_range(rand, 900, 3000);
				break;
			case 2:
				s = (int64_t)top - g_rand_int_range(rand, 1015, 1035);
				break;
			default:
				s = (int64_t)top - g_rand_int_range(rand, 0, 1100);
				break;
			}
			if (s < 0 || s > UINT32_MAX)
				continue;
			seq = (uint32_t)s;
			want = seq != 0 && (seq > top || (top - seq < ESP_REPLAY_WINDOW &&
							  !g_hash_table_contains(seen,
										 GUINT_TO_POINTER(seq))));
			g_assert_cmpint(esp_replay_check(&w, seq), ==, want);
			/* one accepted packet in five fails its ICV and is not recorded */
			if (want && g_rand_int_range(rand, 0, 5)) {
				esp_replay_update(&w, seq);
				g_hash_table_add(seen, GUINT_TO_POINTER(seq));
				if (seq > top)
					top = seq;
			}
			g_assert_cmpuint(w.top, ==, top);
		}
		g_hash_table_unref(seen);
	}
	g_rand_free(rand);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/esp/replay/table", test_replay_table);
	g_test_add_func("/esp/replay/update-refused", test_replay_update_refused);
	g_test_add_func("/esp/replay/model", test_replay_model);
	return g_test_run();
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "esp-replay.h"

void esp_replay_init(struct esp_replay *w)
{
	memset(w, 0, sizeof(*w));
}

static uint64_t *esp_replay_word(struct esp_replay *w, uint32_t seq)
{
	return &w->bits[(seq / 64) % ESP_REPLAY_WORDS];
}

bool esp_replay_check(const struct esp_replay *w, uint32_t seq)
{
	if (seq == 0)
		return false;
	if (seq > w->top)
		return true;
	if (w->top - seq >= ESP_REPLAY_WINDOW)
		return false;
	return !(w->bits[(seq / 64) % ESP_REPLAY_WORDS] >> (seq % 64) & 1);
}

void esp_replay_update(struct esp_replay *w, uint32_t seq)
{
	if (!esp_replay_check(w, seq))
		return;
	if (seq > w->top) {
		/* Clear the words between the old top's and the new one's (see the header):
		 * they hold numbers that have just left the window. */
		uint32_t from = w->top / 64, to = seq / 64;
		uint32_t n = to - from < ESP_REPLAY_WORDS ? to - from : ESP_REPLAY_WORDS;

		for (uint32_t i = 1; i <= n; i++)
			w->bits[(from + i) % ESP_REPLAY_WORDS] = 0;
		w->top = seq;
	}
	*esp_replay_word(w, seq) |= UINT64_C(1) << (seq % 64);
}

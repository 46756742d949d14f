/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ESP anti-replay window (RFC 4303 §3.4.3): 1024 packets, 32-bit sequence
 * numbers (no ESN: roadie never proposes it, and an SA is rekeyed long before 2^32 packets).
 *
 * The window remembers @top, the highest sequence number that passed its ICV, and which of
 * the 1024 numbers (top - 1024, top] have been seen. A number above @top is new; a number
 * 1024 or more below it is too old to judge and is dropped; anything between is new exactly
 * when its bit is clear. Zero is never valid: a sender starts at 1 (RFC 4303 §3.3.3).
 *
 * The bits live in a ring of 64-bit words indexed by the sequence number itself: the bit of
 * number s is bit (s mod 64) of word (s / 64) mod ESP_REPLAY_WORDS. So nothing ever shifts:
 * when @top moves forward, only the words it moves into are cleared (at most all of them, for
 * a jump past the whole window), and a bit is set. With a ring of exactly 1024 bits, the
 * word @top enters would last have held the numbers 1024 below it, and some of those are
 * still inside the window: clearing the word would make them acceptable again. One spare
 * word (17 words, 1088 bits) means a word is reused only once all its old numbers have left
 * the window, so the window is exactly 1024 numbers wide and whole-word clearing is safe.
 *
 * esp_replay_check() reads only, so a packet can be judged before its ICV is computed (cheap
 * rejection of replays); esp_replay_update() runs only after the ICV verified, so a forged
 * packet can never move the window (RFC 4303 §3.4.3, STYLE.md rule 7).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define ESP_REPLAY_WINDOW 1024u
#define ESP_REPLAY_WORDS (ESP_REPLAY_WINDOW / 64 + 1)

struct esp_replay {
	uint32_t top; /* highest sequence number accepted; 0 before the first packet */
	uint64_t bits[ESP_REPLAY_WORDS];
};

void esp_replay_init(struct esp_replay *w);
/* True if @seq may be accepted: not 0, not seen, not older than the window. Changes nothing. */
bool esp_replay_check(const struct esp_replay *w, uint32_t seq);
/* Records @seq as seen (after its ICV verified); a number check() refuses is ignored. */
void esp_replay_update(struct esp_replay *w, uint32_t seq);

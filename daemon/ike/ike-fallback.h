/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which IKE proposal list to offer next when a gateway refuses ours.
 *
 * A connect starts with the profile's list (ipsec.ike), or, when the profile has learned
 * what the gateway accepted, with the list that holds that suite, the suite first. When the
 * gateway refuses (NO-PROPOSAL-CHOSEN) or stays silent (some gateways choke on long lists),
 * roadie falls back by itself, unless the list ends in '!':
 *
 *   1. the profile's list             (default: AES with SHA2/SHA1 and MODP2048/ECP)
 *   2. IKE_FALLBACK_OLDER             (AES-SHA1-MODP1024/1536 and 3DES: older gateways)
 *   3. IKE_FALLBACK_OLDEST            (3DES-SHA1-MODP1024 alone: the oldest, shortest list)
 *
 * After a refusal the next list offers only suites not offered yet (a list already refused
 * is refused again); after silence, the next shorter list as it is. Pure policy: no I/O.
 */
#pragma once

#include <stdbool.h>

#include "proposal.h"

#define IKE_FALLBACK_OLDER "aes256-sha1-modp1536,aes256-sha1-modp1024,aes128-sha1-modp1024," \
			   "3des-sha1-modp2048,3des-sha1-modp1024"
#define IKE_FALLBACK_OLDEST "3des-sha1-modp1024"
#define IKE_FALLBACK_TIERS 3

struct ike_fallback {
	GArray *tiers[IKE_FALLBACK_TIERS]; /* RoadieSuite; NULL: not used */
	unsigned tier;                     /* the tier of the current attempt */
	GArray *current;                   /* what the current attempt offers */
	GArray *offered;                   /* every suite offered so far */
	unsigned attempts;
};

/* Plans from the profile's list @ike and the learned suite (NULL: none). Returns false with
 * @ret_message when @ike does not parse. */
bool ike_fallback_init(struct ike_fallback *fb, const char *ike, const char *learned,
		       char **ret_message);
void ike_fallback_clear(struct ike_fallback *fb);

/* The current attempt's list. */
const RoadieSuite *ike_fallback_suites(const struct ike_fallback *fb, unsigned *ret_n);
/* True when another list would follow a refusal (@silence false) or silence. */
bool ike_fallback_has_next(const struct ike_fallback *fb, bool silence);
/* Moves to the next list after a refusal (@silence false) or silence; false when none is
 * left. */
bool ike_fallback_next(struct ike_fallback *fb, bool silence);
/* "aes256-sha256-modp2048, …, 3des-sha1-modp1024": every suite offered so far. */
char *ike_fallback_offered_text(const struct ike_fallback *fb);

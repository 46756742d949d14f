/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Captured IKEv1 exchanges for the unit tests: tests/vectors/ikev1-*.txt, "name = hex" lines
 * made by tests/vectors/capture-strongswan-ikev1.sh from two strongSwan charons' logs.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

#include "ike/ike-message.h"
#include "proposal.h"

typedef struct {
	GHashTable *values; /* name → GBytes */
	RoadieSuite ike;    /* the first suite of the "# proposals: ike=" line */
} Fixture;

void fixture_load(Fixture *f, const char *file);
GBytes *fixture_get(Fixture *f, const char *name);
const uint8_t *fixture_bytes(Fixture *f, const char *name, size_t *ret_len);
/* The @len bytes at @data equal the captured value @name. */
void fixture_assert(Fixture *f, const char *name, const void *data, size_t len);
/* Splits a (decrypted) message into payloads; returns the count. */
unsigned fixture_split(const uint8_t *msg, size_t len, bool padded, struct ike_header *h,
		       struct ike_payload *payloads);
/* A captured plain message, split into payloads (valid as long as the fixture). */
unsigned fixture_split_named(Fixture *f, const char *name, struct ike_header *h,
			     struct ike_payload *payloads);
/* The first payload of @type; the test fails if there is none. */
const struct ike_payload *fixture_find(const struct ike_payload *p, unsigned n, uint8_t type);

#define BODY(p) ((p)->body.data + (p)->body.off)
#define BODY_LEN(p) (pkt_remaining(&(p)->body))

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Identification payload (RFC 2408 §3.8) in the IPsec DOI (RFC 2407 §4.6.2): phase 1
 * identities (IPV4_ADDR, IPV6_ADDR, FQDN, USER_FQDN, DER_ASN1_DN) and phase 2 client IDs,
 * where protocol and port pin the traffic (UDP 1701 for L2TP, RFC 3193 §5).
 */
#pragma once

#include <stdint.h>

#include "core/pkt.h"
#include "ike-message.h"

enum ike_id_type {
	IKE_ID_IPV4_ADDR = 1,
	IKE_ID_FQDN = 2,
	IKE_ID_USER_FQDN = 3,
	IKE_ID_IPV4_ADDR_SUBNET = 4,
	IKE_ID_IPV6_ADDR = 5,
	IKE_ID_IPV6_ADDR_SUBNET = 6,
	IKE_ID_DER_ASN1_DN = 9,
	IKE_ID_KEY_ID = 11,
};

#define IKE_ID_MAX_DATA 1024

struct ike_id {
	uint8_t type;
	uint8_t protocol; /* IP protocol, 0 = any */
	uint16_t port;    /* 0 = any */
	const uint8_t *data;
	size_t len;
};

/* Checks that address types have address lengths and names are non-empty (-EBADMSG). */
int ike_id_parse(const struct pkt_reader *body, struct ike_id *ret);
int ike_id_write(struct pkt_writer *w, struct ike_chain *c, const struct ike_id *id);
/* The payload body as hashed into HASH_I/HASH_R (RFC 2409 §5: "IDii_b"): type onward. */
int ike_id_body(const struct ike_id *id, uint8_t *out, size_t out_len, size_t *ret_len);

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The NAT-OA payload (RFC 3947 §5.2, draft numbering 131): the original address of a peer
 * behind NAT, sent in Quick Mode for transport mode so the receiver can fix the inner
 * checksums that the NAT's rewriting broke (RFC 3948 §3.1.2).
 */
#pragma once

#include <stdint.h>

#include "core/pkt.h"
#include "ike-message.h"

struct ike_natoa {
	uint8_t id_type; /* IKE_ID_IPV4_ADDR or IKE_ID_IPV6_ADDR */
	uint8_t addr[16];
	uint8_t addr_len;
};

int ike_natoa_parse(const struct pkt_reader *body, struct ike_natoa *ret);
/* @type: IKE_PAYLOAD_NAT_OA or IKE_PAYLOAD_NAT_OA_DRAFT, as negotiated. */
int ike_natoa_write(struct pkt_writer *w, struct ike_chain *c, uint8_t type,
		    const struct ike_natoa *oa);

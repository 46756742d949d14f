/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>

#include "ike-payload-id.h"
#include "ike-payload-natoa.h"

int ike_natoa_parse(const struct pkt_reader *body, struct ike_natoa *ret)
{
	struct pkt_reader r = *body;
	struct ike_natoa oa;
	uint8_t reserved[3];

	if (pkt_get_u8(&r, &oa.id_type) || pkt_copy_bytes(&r, reserved, 3))
		return -EBADMSG;
	if (oa.id_type == IKE_ID_IPV4_ADDR)
		oa.addr_len = 4;
	else if (oa.id_type == IKE_ID_IPV6_ADDR)
		oa.addr_len = 16;
	else
		return -EBADMSG;
	if (pkt_copy_bytes(&r, oa.addr, oa.addr_len) || pkt_expect_end(&r))
		return -EBADMSG;
	*ret = oa;
	return 0;
}

int ike_natoa_write(struct pkt_writer *w, struct ike_chain *c, uint8_t type,
		    const struct ike_natoa *oa)
{
	struct pkt_writer t = *w;
	struct ike_chain tc = *c;

	if (ike_payload_begin(&t, &tc, type) || pkt_put_u8(&t, oa->id_type) ||
	    pkt_put_zeros(&t, 3) || pkt_put_bytes(&t, oa->addr, oa->addr_len) ||
	    ike_payload_end(&t, &tc))
		return -EMSGSIZE;
	*w = t;
	*c = tc;
	return 0;
}

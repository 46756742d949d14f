/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>

#include "ike-payload-id.h"

int ike_id_parse(const struct pkt_reader *body, struct ike_id *ret)
{
	struct pkt_reader r = *body;
	struct ike_id id;

	if (pkt_get_u8(&r, &id.type) || pkt_get_u8(&r, &id.protocol) || pkt_get_be16(&r, &id.port))
		return -EBADMSG;
	pkt_get_rest(&r, &id.data, &id.len);
	switch (id.type) {
	case IKE_ID_IPV4_ADDR:
		if (id.len != 4)
			return -EBADMSG;
		break;
	case IKE_ID_IPV4_ADDR_SUBNET:
		if (id.len != 8)
			return -EBADMSG;
		break;
	case IKE_ID_IPV6_ADDR:
		if (id.len != 16)
			return -EBADMSG;
		break;
	case IKE_ID_IPV6_ADDR_SUBNET:
		if (id.len != 32)
			return -EBADMSG;
		break;
	default:
		if (id.len == 0 || id.len > IKE_ID_MAX_DATA)
			return -EBADMSG;
		break;
	}
	*ret = id;
	return 0;
}

int ike_id_write(struct pkt_writer *w, struct ike_chain *c, const struct ike_id *id)
{
	struct pkt_writer t = *w;
	struct ike_chain tc = *c;

	if (ike_payload_begin(&t, &tc, IKE_PAYLOAD_ID) || pkt_put_u8(&t, id->type) ||
	    pkt_put_u8(&t, id->protocol) || pkt_put_be16(&t, id->port) ||
	    pkt_put_bytes(&t, id->data, id->len) || ike_payload_end(&t, &tc))
		return -EMSGSIZE;
	*w = t;
	*c = tc;
	return 0;
}

int ike_id_body(const struct ike_id *id, uint8_t *out, size_t out_len, size_t *ret_len)
{
	struct pkt_writer w;

	if (pkt_writer_init(&w, out, out_len, 0) || pkt_put_u8(&w, id->type) ||
	    pkt_put_u8(&w, id->protocol) || pkt_put_be16(&w, id->port) ||
	    pkt_put_bytes(&w, id->data, id->len))
		return -EMSGSIZE;
	*ret_len = pkt_writer_len(&w);
	return 0;
}

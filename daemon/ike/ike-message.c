/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>

#include "ike-message.h"

const char *ike_parse_error_name(enum ike_parse_error error)
{
	switch (error) {
	case IKE_PARSE_OK:
		return "ok";
	case IKE_PARSE_TRUNCATED:
		return "truncated";
	case IKE_PARSE_BAD_LENGTH:
		return "bad-length";
	case IKE_PARSE_BAD_VERSION:
		return "bad-version";
	case IKE_PARSE_BAD_PAYLOAD_LEN:
		return "bad-payload-length";
	case IKE_PARSE_TOO_MANY:
		return "too-many-payloads";
	case IKE_PARSE_TRAILING:
		return "trailing-bytes";
	case IKE_PARSE_ERROR_COUNT:
		break;
	}
	return "unknown";
}

int ike_header_parse(struct pkt_reader *r, struct ike_header *ret)
{
	struct pkt_reader c = *r;
	struct ike_header h;

	if (pkt_copy_bytes(&c, h.icookie, IKE_COOKIE_LEN) ||
	    pkt_copy_bytes(&c, h.rcookie, IKE_COOKIE_LEN) || pkt_get_u8(&c, &h.next_payload) ||
	    pkt_get_u8(&c, &h.version) || pkt_get_u8(&c, &h.exchange) ||
	    pkt_get_u8(&c, &h.flags) || pkt_get_be32(&c, &h.message_id) ||
	    pkt_get_be32(&c, &h.length))
		return -EMSGSIZE;
	*r = c;
	*ret = h;
	return 0;
}

enum ike_parse_error ike_message_parse(const uint8_t *data, size_t len, struct ike_header *ret_hdr,
				       struct pkt_reader *ret_body)
{
	struct pkt_reader r;
	struct ike_header h;

	if (len > IKE_MESSAGE_MAX)
		return IKE_PARSE_BAD_LENGTH;
	pkt_reader_init(&r, data, len);
	if (ike_header_parse(&r, &h))
		return IKE_PARSE_TRUNCATED;
	/* RFC 2408 §3.1: major version 1; a higher minor version is still IKEv1 */
	if (h.version >> 4 != 1)
		return IKE_PARSE_BAD_VERSION;
	if (h.length != len)
		return h.length > len ? IKE_PARSE_TRUNCATED : IKE_PARSE_BAD_LENGTH;
	*ret_hdr = h;
	*ret_body = r;
	return IKE_PARSE_OK;
}

int ike_header_write(struct pkt_writer *w, const struct ike_header *h)
{
	struct pkt_writer c = *w;

	if (pkt_put_bytes(&c, h->icookie, IKE_COOKIE_LEN) ||
	    pkt_put_bytes(&c, h->rcookie, IKE_COOKIE_LEN) || pkt_put_u8(&c, h->next_payload) ||
	    pkt_put_u8(&c, h->version) || pkt_put_u8(&c, h->exchange) ||
	    pkt_put_u8(&c, h->flags) || pkt_put_be32(&c, h->message_id) ||
	    pkt_put_be32(&c, h->length))
		return -EMSGSIZE;
	*w = c;
	return 0;
}

enum ike_parse_error ike_payloads_parse(struct pkt_reader *r, uint8_t first_type,
					bool allow_padding, struct ike_payload *payloads,
					unsigned *ret_count)
{
	struct ike_payload found[IKE_MAX_PAYLOADS];
	struct pkt_reader c = *r;
	uint8_t type = first_type;
	unsigned n = 0;

	while (type != IKE_PAYLOAD_NONE) {
		uint8_t next, reserved;
		uint16_t len;
		struct pkt_reader body;

		if (n == IKE_MAX_PAYLOADS)
			return IKE_PARSE_TOO_MANY;
		if (pkt_get_u8(&c, &next) || pkt_get_u8(&c, &reserved) || pkt_get_be16(&c, &len))
			return IKE_PARSE_TRUNCATED;
		/* RFC 2408 §3.2: the length includes the generic header. The reserved byte is
		 * not checked: some implementations put flags there, as IKEv2 later did. */
		if (len < IKE_GENERIC_HEADER_LEN)
			return IKE_PARSE_BAD_PAYLOAD_LEN;
		if (pkt_get_sub(&c, len - IKE_GENERIC_HEADER_LEN, &body))
			return IKE_PARSE_TRUNCATED;
		found[n].type = type;
		found[n].body = body;
		n++;
		type = next;
	}
	if (pkt_remaining(&c) > 0 && !allow_padding) {
		/* libreswan rounds a message in the clear up to 4 bytes (its MM4 with a CR of 54
		 * bytes ends in 2 zero bytes): up to 3 zero bytes are that alignment, not data */
		const uint8_t *rest = c.data + c.off;
		size_t k = pkt_remaining(&c);

		if (k > 3)
			return IKE_PARSE_TRAILING;
		for (size_t i = 0; i < k; i++)
			if (rest[i] != 0)
				return IKE_PARSE_TRAILING;
	}
	memcpy(payloads, found, n * sizeof(found[0]));
	*ret_count = n;
	*r = c;
	return IKE_PARSE_OK;
}

const struct ike_payload *ike_payload_find(const struct ike_payload *payloads, unsigned count,
					   uint8_t type)
{
	for (unsigned i = 0; i < count; i++)
		if (payloads[i].type == type)
			return &payloads[i];
	return NULL;
}

void ike_chain_init(struct ike_chain *c, size_t next_field)
{
	c->next_field = next_field;
	c->start = SIZE_MAX;
}

int ike_payload_begin(struct pkt_writer *w, struct ike_chain *c, uint8_t type)
{
	size_t start = pkt_writer_len(w);
	struct pkt_writer t = *w;

	if (c->start != SIZE_MAX)
		return -EINVAL; /* the previous payload is still open */
	if (pkt_put_u8(&t, IKE_PAYLOAD_NONE) || pkt_put_u8(&t, 0) || pkt_put_be16(&t, 0) ||
	    pkt_set_u8(&t, c->next_field, type))
		return -EMSGSIZE;
	*w = t;
	c->next_field = start;
	c->start = start;
	return 0;
}

int ike_payload_end(struct pkt_writer *w, struct ike_chain *c)
{
	size_t len;

	if (c->start == SIZE_MAX)
		return -EINVAL;
	len = pkt_writer_len(w) - c->start;
	if (len > UINT16_MAX || pkt_set_be16(w, c->start + 2, (uint16_t)len))
		return -EMSGSIZE;
	c->start = SIZE_MAX;
	return 0;
}

int ike_payload_put_data(struct pkt_writer *w, struct ike_chain *c, uint8_t type,
			 const void *data, size_t len)
{
	struct pkt_writer t = *w;
	struct ike_chain tc = *c;

	if (ike_payload_begin(&t, &tc, type) || pkt_put_bytes(&t, data, len) ||
	    ike_payload_end(&t, &tc))
		return -EMSGSIZE;
	*w = t;
	*c = tc;
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>

#include "l2tp-message.h"

int l2tp_header_parse(struct pkt_reader *r, struct l2tp_header *ret)
{
	struct pkt_reader t = *r;
	struct l2tp_header h = { 0 };
	uint16_t flags;

	if (pkt_peek_be16(&t, &flags))
		return -EMSGSIZE;
	if ((flags & L2TP_HDR_VER_MASK) != L2TP_VERSION)
		return -EBADMSG;
	h.control = flags & L2TP_HDR_T;
	h.has_length = flags & L2TP_HDR_L;
	h.has_sequence = flags & L2TP_HDR_S;
	h.has_offset = flags & L2TP_HDR_O;
	h.priority = flags & L2TP_HDR_P;
	if (h.has_length) {
		struct pkt_reader peek = t, whole;

		/* the message is cut to Length before any other field is read */
		if (pkt_skip(&peek, 2) || pkt_get_be16(&peek, &h.length))
			return -EMSGSIZE;
		if (h.length < 6)
			return -EBADMSG;
		if (pkt_get_sub(&t, h.length, &whole))
			return -EMSGSIZE;
		t = whole;
	}
	if (pkt_skip(&t, h.has_length ? 4 : 2) || pkt_get_be16(&t, &h.tunnel_id) ||
	    pkt_get_be16(&t, &h.session_id))
		return h.has_length ? -EBADMSG : -EMSGSIZE;
	if (h.has_sequence && (pkt_get_be16(&t, &h.ns) || pkt_get_be16(&t, &h.nr)))
		return h.has_length ? -EBADMSG : -EMSGSIZE;
	if (h.has_offset && (pkt_get_be16(&t, &h.offset_size) || pkt_skip(&t, h.offset_size)))
		return h.has_length ? -EBADMSG : -EMSGSIZE;
	*ret = h;
	*r = t;
	return 0;
}

int l2tp_header_write(struct pkt_writer *w, const struct l2tp_header *h)
{
	struct pkt_writer t = *w;
	uint16_t flags = L2TP_VERSION;

	flags |= h->control ? L2TP_HDR_T : 0;
	flags |= h->has_length ? L2TP_HDR_L : 0;
	flags |= h->has_sequence ? L2TP_HDR_S : 0;
	flags |= h->has_offset ? L2TP_HDR_O : 0;
	flags |= h->priority ? L2TP_HDR_P : 0;
	if (pkt_put_be16(&t, flags) || (h->has_length && pkt_put_be16(&t, h->length)) ||
	    pkt_put_be16(&t, h->tunnel_id) || pkt_put_be16(&t, h->session_id) ||
	    (h->has_sequence && (pkt_put_be16(&t, h->ns) || pkt_put_be16(&t, h->nr))) ||
	    (h->has_offset && (pkt_put_be16(&t, h->offset_size) ||
			       pkt_put_zeros(&t, h->offset_size))))
		return -EMSGSIZE;
	*w = t;
	return 0;
}

int l2tp_header_set_length(struct pkt_writer *w)
{
	if (pkt_writer_len(w) > UINT16_MAX)
		return -EMSGSIZE;
	return pkt_set_be16(w, 2, (uint16_t)pkt_writer_len(w));
}

int l2tp_control_parse(const uint8_t *data, size_t len, struct l2tp_header *ret,
		       struct pkt_reader *ret_body)
{
	struct pkt_reader r;
	struct l2tp_header h;
	int err;

	pkt_reader_init(&r, data, len);
	err = l2tp_header_parse(&r, &h);
	if (err)
		return err;
	if (!h.control)
		return -ENOMSG;
	/* §3.1: L and S must be set on control messages; without Ns/Nr no reliable delivery */
	if (!h.has_length || !h.has_sequence)
		return -EBADMSG;
	*ret = h;
	*ret_body = r;
	return 0;
}

int l2tp_control_begin(struct pkt_writer *w, uint16_t tunnel_id, uint16_t session_id,
		       uint16_t ns, uint16_t nr)
{
	struct l2tp_header h = {
		.control = true,
		.has_length = true,
		.has_sequence = true,
		.tunnel_id = tunnel_id,
		.session_id = session_id,
		.ns = ns,
		.nr = nr,
	};

	return l2tp_header_write(w, &h);
}

bool l2tp_is_control(const uint8_t *p, size_t len)
{
	struct pkt_reader r;
	uint8_t first;

	pkt_reader_init(&r, p, len);
	return pkt_peek_u8(&r, &first) == 0 && (first & (L2TP_HDR_T >> 8));
}

int l2tp_data_push(struct pkt_writer *w, uint16_t tunnel_id, uint16_t session_id)
{
	uint8_t *p;

	if (pkt_push(w, L2TP_DATA_HEADER_LEN, &p))
		return -EMSGSIZE;
	p[0] = 0;
	p[1] = L2TP_VERSION;
	p[2] = (uint8_t)(tunnel_id >> 8);
	p[3] = (uint8_t)tunnel_id;
	p[4] = (uint8_t)(session_id >> 8);
	p[5] = (uint8_t)session_id;
	return 0;
}

int l2tp_data_parse(const uint8_t *p, size_t len, uint16_t *ret_tunnel_id,
		    uint16_t *ret_session_id, size_t *ret_payload_off)
{
	struct pkt_reader r;
	struct l2tp_header h;
	int err;

	pkt_reader_init(&r, p, len);
	err = l2tp_header_parse(&r, &h);
	if (err)
		return err;
	/* the payload runs to the end of the datagram, so Length must say the same */
	if (h.control || (h.has_length && h.length != len))
		return -EBADMSG;
	*ret_tunnel_id = h.tunnel_id;
	*ret_session_id = h.session_id;
	*ret_payload_off = pkt_offset(&r);
	return 0;
}

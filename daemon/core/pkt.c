/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>

#include "pkt.h"

/* Every getter reads through here: the only place that compares against the end. */
static const uint8_t *pkt_need(const struct pkt_reader *r, size_t n)
{
	if (n > r->end - r->off)
		return NULL;
	return r->data + r->off;
}

int pkt_get_u8(struct pkt_reader *r, uint8_t *ret)
{
	const uint8_t *p = pkt_need(r, 1);

	if (!p)
		return -EMSGSIZE;
	*ret = p[0];
	r->off += 1;
	return 0;
}

int pkt_peek_u8(const struct pkt_reader *r, uint8_t *ret)
{
	const uint8_t *p = pkt_need(r, 1);

	if (!p)
		return -EMSGSIZE;
	*ret = p[0];
	return 0;
}

int pkt_peek_be16(const struct pkt_reader *r, uint16_t *ret)
{
	const uint8_t *p = pkt_need(r, 2);

	if (!p)
		return -EMSGSIZE;
	*ret = (uint16_t)(p[0] << 8 | p[1]);
	return 0;
}

int pkt_peek_be32(const struct pkt_reader *r, uint32_t *ret)
{
	const uint8_t *p = pkt_need(r, 4);

	if (!p)
		return -EMSGSIZE;
	*ret = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return 0;
}

int pkt_get_be16(struct pkt_reader *r, uint16_t *ret)
{
	int err = pkt_peek_be16(r, ret);

	if (!err)
		r->off += 2;
	return err;
}

int pkt_get_be24(struct pkt_reader *r, uint32_t *ret)
{
	const uint8_t *p = pkt_need(r, 3);

	if (!p)
		return -EMSGSIZE;
	*ret = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
	r->off += 3;
	return 0;
}

int pkt_get_be32(struct pkt_reader *r, uint32_t *ret)
{
	int err = pkt_peek_be32(r, ret);

	if (!err)
		r->off += 4;
	return err;
}

int pkt_get_be64(struct pkt_reader *r, uint64_t *ret)
{
	const uint8_t *p = pkt_need(r, 8);
	uint64_t v = 0;

	if (!p)
		return -EMSGSIZE;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	*ret = v;
	r->off += 8;
	return 0;
}

int pkt_get_bytes(struct pkt_reader *r, size_t n, const uint8_t **ret)
{
	const uint8_t *p = pkt_need(r, n);

	if (!p)
		return -EMSGSIZE;
	*ret = p;
	r->off += n;
	return 0;
}

int pkt_copy_bytes(struct pkt_reader *r, void *dst, size_t n)
{
	const uint8_t *p = pkt_need(r, n);

	if (!p)
		return -EMSGSIZE;
	if (n)
		memcpy(dst, p, n);
	r->off += n;
	return 0;
}

int pkt_skip(struct pkt_reader *r, size_t n)
{
	if (!pkt_need(r, n))
		return -EMSGSIZE;
	r->off += n;
	return 0;
}

int pkt_get_sub(struct pkt_reader *r, size_t n, struct pkt_reader *ret)
{
	if (!pkt_need(r, n))
		return -EMSGSIZE;
	/* The sub-reader shares the buffer but ends where the parent's slice ends. */
	ret->data = r->data;
	ret->off = r->off;
	ret->end = r->off + n;
	r->off += n;
	return 0;
}

int pkt_get_tail(struct pkt_reader *r, size_t n, struct pkt_reader *ret)
{
	if (!pkt_need(r, n))
		return -EMSGSIZE;
	ret->data = r->data;
	ret->off = r->end - n;
	ret->end = r->end;
	r->end -= n;
	return 0;
}

void pkt_get_rest(struct pkt_reader *r, const uint8_t **ret_data, size_t *ret_len)
{
	*ret_data = r->data + r->off;
	*ret_len = r->end - r->off;
	r->off = r->end;
}

int pkt_expect_end(const struct pkt_reader *r)
{
	return r->off == r->end ? 0 : -EBADMSG;
}

int pkt_writer_init(struct pkt_writer *w, void *buf, size_t cap, size_t headroom)
{
	if (headroom > cap)
		return -EMSGSIZE;
	w->buf = buf;
	w->cap = cap;
	w->start = headroom;
	w->len = 0;
	return 0;
}

int pkt_put_space(struct pkt_writer *w, size_t n, uint8_t **ret)
{
	if (n > pkt_writer_tailroom(w))
		return -EMSGSIZE;
	*ret = w->buf + w->start + w->len;
	w->len += n;
	return 0;
}

int pkt_put_bytes(struct pkt_writer *w, const void *data, size_t n)
{
	uint8_t *p;
	int err = pkt_put_space(w, n, &p);

	if (!err && n)
		memcpy(p, data, n);
	return err;
}

int pkt_put_zeros(struct pkt_writer *w, size_t n)
{
	uint8_t *p;
	int err = pkt_put_space(w, n, &p);

	if (!err && n)
		memset(p, 0, n);
	return err;
}

int pkt_put_u8(struct pkt_writer *w, uint8_t v)
{
	return pkt_put_bytes(w, &v, 1);
}

int pkt_put_be16(struct pkt_writer *w, uint16_t v)
{
	uint8_t b[2] = { v >> 8, v };

	return pkt_put_bytes(w, b, sizeof(b));
}

int pkt_put_be24(struct pkt_writer *w, uint32_t v)
{
	uint8_t b[3] = { v >> 16, v >> 8, v };

	if (v > 0xffffff)
		return -ERANGE;
	return pkt_put_bytes(w, b, sizeof(b));
}

int pkt_put_be32(struct pkt_writer *w, uint32_t v)
{
	uint8_t b[4] = { v >> 24, v >> 16, v >> 8, v };

	return pkt_put_bytes(w, b, sizeof(b));
}

int pkt_put_be64(struct pkt_writer *w, uint64_t v)
{
	uint8_t b[8];

	for (int i = 7; i >= 0; i--, v >>= 8)
		b[i] = (uint8_t)v;
	return pkt_put_bytes(w, b, sizeof(b));
}

int pkt_push(struct pkt_writer *w, size_t n, uint8_t **ret)
{
	if (n > w->start)
		return -EMSGSIZE;
	w->start -= n;
	w->len += n;
	*ret = w->buf + w->start;
	return 0;
}

int pkt_set_u8(struct pkt_writer *w, size_t off, uint8_t v)
{
	if (off >= w->len)
		return -EMSGSIZE;
	w->buf[w->start + off] = v;
	return 0;
}

int pkt_set_be16(struct pkt_writer *w, size_t off, uint16_t v)
{
	uint8_t *p;

	if (off > w->len || 2 > w->len - off)
		return -EMSGSIZE;
	p = w->buf + w->start + off;
	p[0] = v >> 8;
	p[1] = (uint8_t)v;
	return 0;
}

int pkt_set_be32(struct pkt_writer *w, size_t off, uint32_t v)
{
	uint8_t *p;

	if (off > w->len || 4 > w->len - off)
		return -EMSGSIZE;
	p = w->buf + w->start + off;
	p[0] = v >> 24;
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checked packet reader and writer (STYLE.md rule 2).
 *
 * Every byte from the network is read through a struct pkt_reader: a window
 * [data + off, data + end) over a buffer the reader does not own. Every getter checks
 * the length first and either succeeds completely or returns -EMSGSIZE having changed
 * nothing: not the reader, not the ret_ output (rule 3). So reads chain with ||
 *
 *	if (pkt_get_u8(&r, &type) || pkt_get_be16(&r, &len))
 *		return -EBADMSG;
 *
 * and a composite parse that must be all-or-nothing works on a copy of the reader and
 * assigns it back at the end.
 *
 * Nested structures (IKE payloads, L2TP AVPs, PPP options) are read through sub-readers:
 * pkt_get_sub() cuts the next n bytes off as a reader of their own, so a lying inner
 * length can never reach past its parent. Trailers (ESP's ICV and padding, a checksum)
 * are cut from the end with pkt_get_tail().
 *
 * The writer fills a caller-owned buffer that keeps headroom in front, so outer headers
 * (ESP, UDP, L2TP) can be prepended in place without a copy. A put that does not fit
 * returns -EMSGSIZE and writes nothing.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pkt_reader {
	const uint8_t *data;
	size_t off; /* next byte to read */
	size_t end; /* one past the last byte this reader may read */
};

static inline void pkt_reader_init(struct pkt_reader *r, const void *data, size_t len)
{
	r->data = data;
	r->off = 0;
	r->end = len;
}

static inline size_t pkt_remaining(const struct pkt_reader *r)
{
	return r->end - r->off;
}

/* Offset of the next byte from the start of the buffer the reader was made on. */
static inline size_t pkt_offset(const struct pkt_reader *r)
{
	return r->off;
}

int pkt_get_u8(struct pkt_reader *r, uint8_t *ret);
int pkt_get_be16(struct pkt_reader *r, uint16_t *ret);
int pkt_get_be24(struct pkt_reader *r, uint32_t *ret);
int pkt_get_be32(struct pkt_reader *r, uint32_t *ret);
int pkt_get_be64(struct pkt_reader *r, uint64_t *ret);
/* Points *ret into the buffer (no copy); valid as long as the buffer is. */
int pkt_get_bytes(struct pkt_reader *r, size_t n, const uint8_t **ret);
/* Copies n bytes into dst. */
int pkt_copy_bytes(struct pkt_reader *r, void *dst, size_t n);
int pkt_skip(struct pkt_reader *r, size_t n);
/* Peeks without consuming. */
int pkt_peek_u8(const struct pkt_reader *r, uint8_t *ret);
int pkt_peek_be16(const struct pkt_reader *r, uint16_t *ret);
int pkt_peek_be32(const struct pkt_reader *r, uint32_t *ret);
/* The next n bytes become *ret, a reader of their own; r moves past them. */
int pkt_get_sub(struct pkt_reader *r, size_t n, struct pkt_reader *ret);
/* The last n bytes become *ret; r ends before them. */
int pkt_get_tail(struct pkt_reader *r, size_t n, struct pkt_reader *ret);
/* Everything left, as a pointer and length; r becomes empty. Never fails. */
void pkt_get_rest(struct pkt_reader *r, const uint8_t **ret_data, size_t *ret_len);
/* 0 if the reader is exhausted, -EBADMSG if bytes are left over (trailing garbage). */
int pkt_expect_end(const struct pkt_reader *r);

struct pkt_writer {
	uint8_t *buf;
	size_t cap;   /* size of buf */
	size_t start; /* first byte of the packet; [0, start) is headroom */
	size_t len;   /* bytes of packet from start */
};

/* The packet starts @headroom bytes into @buf; it fails (-EMSGSIZE) if headroom > cap. */
int pkt_writer_init(struct pkt_writer *w, void *buf, size_t cap, size_t headroom);

static inline uint8_t *pkt_writer_data(const struct pkt_writer *w)
{
	return w->buf + w->start;
}

static inline size_t pkt_writer_len(const struct pkt_writer *w)
{
	return w->len;
}

static inline size_t pkt_writer_headroom(const struct pkt_writer *w)
{
	return w->start;
}

static inline size_t pkt_writer_tailroom(const struct pkt_writer *w)
{
	return w->cap - w->start - w->len;
}

int pkt_put_u8(struct pkt_writer *w, uint8_t v);
int pkt_put_be16(struct pkt_writer *w, uint16_t v);
int pkt_put_be24(struct pkt_writer *w, uint32_t v);
int pkt_put_be32(struct pkt_writer *w, uint32_t v);
int pkt_put_be64(struct pkt_writer *w, uint64_t v);
int pkt_put_bytes(struct pkt_writer *w, const void *data, size_t n);
int pkt_put_zeros(struct pkt_writer *w, size_t n);
/* Appends n bytes the caller fills in later through *ret (lengths, checksums, ICVs). */
int pkt_put_space(struct pkt_writer *w, size_t n, uint8_t **ret);
/* Prepends n bytes from the headroom; *ret points to them. */
int pkt_push(struct pkt_writer *w, size_t n, uint8_t **ret);
/* Overwrites already-written bytes at @off from the packet start (back-patching a length). */
int pkt_set_u8(struct pkt_writer *w, size_t off, uint8_t v);
int pkt_set_be16(struct pkt_writer *w, size_t off, uint16_t v);
int pkt_set_be32(struct pkt_writer *w, size_t off, uint32_t v);

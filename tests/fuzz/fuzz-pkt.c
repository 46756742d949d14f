/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzzes the packet reader and writer: the input is a small program (opcodes with size
 * arguments) followed by the packet it runs on. After every step the invariants hold:
 * a failed read changed nothing, the window never grows, and every byte handed out lies
 * inside the packet (ASan checks the touches).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "core/pkt.h"

static volatile uint8_t sink;

static void touch(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sink ^= p[i];
}

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void run_reader(const uint8_t *prog, size_t prog_len, const uint8_t *pkt, size_t len)
{
	struct pkt_reader stack[8];
	size_t depth = 0;

	pkt_reader_init(&stack[0], pkt, len);
	for (size_t i = 0; i + 1 < prog_len; i += 2) {
		struct pkt_reader *r = &stack[depth], before = *r, sub;
		uint8_t op = prog[i] % 12, arg = prog[i + 1], u8;
		uint16_t u16;
		uint32_t u32;
		uint64_t u64;
		const uint8_t *p;
		uint8_t copy[256];
		size_t n;
		int err = 0;

		switch (op) {
		case 0: err = pkt_get_u8(r, &u8); break;
		case 1: err = pkt_get_be16(r, &u16); break;
		case 2: err = pkt_get_be24(r, &u32); break;
		case 3: err = pkt_get_be32(r, &u32); break;
		case 4: err = pkt_get_be64(r, &u64); break;
		case 5:
			err = pkt_get_bytes(r, arg, &p);
			if (!err)
				touch(p, arg);
			break;
		case 6: err = pkt_copy_bytes(r, copy, arg); break;
		case 7: err = pkt_skip(r, arg); break;
		case 8:
			err = pkt_get_sub(r, arg, &sub);
			if (!err && depth + 1 < G_N_ELEMENTS(stack))
				stack[++depth] = sub;
			break;
		case 9:
			err = pkt_get_tail(r, arg, &sub);
			if (!err && depth + 1 < G_N_ELEMENTS(stack))
				stack[++depth] = sub;
			break;
		case 10:
			pkt_get_rest(r, &p, &n);
			touch(p, n);
			break;
		default:
			if (depth > 0)
				depth--;
			break;
		}
		check(err == 0 || err == -EMSGSIZE);
		if (err)
			check(memcmp(&before, r, sizeof(before)) == 0);
		for (size_t d = 0; d <= depth; d++) {
			check(stack[d].off <= stack[d].end);
			check(stack[d].end <= len);
		}
	}
}

static void run_writer(const uint8_t *prog, size_t prog_len)
{
	uint8_t buf[128];
	struct pkt_writer w;
	uint8_t *p;

	if (prog_len == 0 || pkt_writer_init(&w, buf, sizeof(buf), prog[0] % 160) != 0)
		return;
	for (size_t i = 1; i + 1 < prog_len; i += 2) {
		struct pkt_writer before = w;
		uint8_t op = prog[i] % 8, arg = prog[i + 1];
		int err = 0;

		switch (op) {
		case 0: err = pkt_put_u8(&w, arg); break;
		case 1: err = pkt_put_be16(&w, arg); break;
		case 2: err = pkt_put_be32(&w, arg); break;
		case 3: err = pkt_put_be64(&w, arg); break;
		case 4: err = pkt_put_zeros(&w, arg); break;
		case 5:
			err = pkt_push(&w, arg, &p);
			if (!err)
				memset(p, 0xa5, arg);
			break;
		case 6: err = pkt_set_be16(&w, arg, 0xbeef); break;
		default: err = pkt_set_be32(&w, arg, 0xdeadbeef); break;
		}
		check(err == 0 || err == -EMSGSIZE);
		if (err)
			check(memcmp(&before, &w, sizeof(w)) == 0);
		check(w.start + w.len <= w.cap);
		touch(pkt_writer_data(&w), pkt_writer_len(&w));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t prog_len;
	uint8_t *pkt;

	if (size < 1)
		return 0;
	prog_len = data[0];
	if (prog_len > size - 1)
		prog_len = size - 1;
	/* a heap copy of exactly the packet's size, so ASan catches any overread */
	pkt = malloc(size - 1 - prog_len + 1);
	if (!pkt)
		return 0;
	memcpy(pkt, data + 1 + prog_len, size - 1 - prog_len);
	run_reader(data + 1, prog_len, pkt, size - 1 - prog_len);
	run_writer(data + 1, prog_len);
	free(pkt);
	return 0;
}

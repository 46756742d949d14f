/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzzes IKEv1 fragment reassembly: the input is a sequence of datagrams fed to one
 * reassembler, as a gateway (or an attacker with the cookies) could send them:
 *
 *   count (1 byte), then per datagram: a time step in 100 ms (1 byte), a length (2 bytes, big
 *   endian), that many bytes (fewer if the input ends)
 *
 * Each datagram is an exact-size heap copy, so ASan sees any read past it. On completion the
 * invariants are checked: the message is the concatenation of the data of the fragments that
 * were accepted into the set since it started, it parses as an ISAKMP message of the set's
 * cookies whose length field is its size, and it is never beyond the cap. The splitter's round
 * trip is checked on every completed message as well.
 */
#include <stdlib.h>
#include <string.h>

#include "ike/ike-frag.h"
#include "ike/ike-message.h"

/* What the fuzzer knows about the set in progress, kept beside the reassembler's own. */
struct shadow {
	uint8_t data[IKE_FRAG_MAX_FRAGMENTS + 1][IKE_MESSAGE_MAX];
	size_t len[IKE_FRAG_MAX_FRAGMENTS + 1];
	unsigned last;
};

static void shadow_reset(struct shadow *sh)
{
	memset(sh->len, 0, sizeof(sh->len));
	sh->last = 0;
}

/* Records an accepted fragment; a number held already must never be accepted again. */
static void shadow_add(struct shadow *sh, const struct ike_fragment *f)
{
	if (sh->len[f->number])
		abort();
	memcpy(sh->data[f->number], f->data, f->len);
	sh->len[f->number] = f->len;
	if (f->last)
		sh->last = f->number;
}

static void check_split(const uint8_t *msg, size_t len)
{
	static uint8_t out[IKE_FRAG_REASM_MAX], buf[IKE_MESSAGE_MAX];
	static struct ike_frag_reasm r;
	struct ike_frag_split s;
	enum ike_frag_result res = IKE_FRAG_NEED_MORE;
	size_t out_len = 0;
	int n;

	if (ike_frag_split_init(&s, msg, len, 1232, 3))
		return; /* more than 16 fragments: refused, fine */
	ike_frag_reasm_init(&r, 0);
	for (;;) {
		struct pkt_writer w;

		if (pkt_writer_init(&w, buf, sizeof(buf), 0))
			abort();
		n = ike_frag_split_next(&s, &w);
		if (n < 0)
			abort();
		if (n == 0)
			break;
		if (pkt_writer_len(&w) > 1232)
			abort();
		res = ike_frag_reasm_feed(&r, pkt_writer_data(&w), pkt_writer_len(&w), 0, out,
					  sizeof(out), &out_len);
		if (res == IKE_FRAG_DROPPED)
			abort();
	}
	if (res != IKE_FRAG_COMPLETE || out_len != len || memcmp(out, msg, len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ike_frag_reasm r;
	static struct shadow sh;
	static uint8_t out[IKE_FRAG_REASM_MAX];
	unsigned count;
	size_t pos = 1;
	uint64_t now = 0;

	if (size < 1)
		return 0;
	count = data[0];
	ike_frag_reasm_init(&r, 0);
	shadow_reset(&sh);
	for (unsigned i = 0; i < count && pos + 3 <= size; i++) {
		size_t len = (size_t)data[pos + 1] << 8 | data[pos + 2];
		size_t out_len = 0, total = 0;
		struct ike_fragment f;
		bool was_active = ike_frag_reasm_in_progress(&r);
		uint64_t expired_before = ike_frag_reasm_drops(&r, IKE_FRAG_DROP_EXPIRED);
		uint64_t replaced_before = ike_frag_reasm_drops(&r, IKE_FRAG_DROP_REPLACED);
		enum ike_frag_result res;
		uint8_t *copy;

		now += (uint64_t)data[pos] * 100;
		pos += 3;
		if (len > size - pos)
			len = size - pos;
		copy = malloc(len ? len : 1);
		if (!copy)
			abort();
		memcpy(copy, data + pos, len);
		pos += len;

		res = ike_frag_reasm_feed(&r, copy, len, now, out, sizeof(out), &out_len);
		if (!was_active || ike_frag_reasm_drops(&r, IKE_FRAG_DROP_EXPIRED) != expired_before ||
		    ike_frag_reasm_drops(&r, IKE_FRAG_DROP_REPLACED) != replaced_before)
			shadow_reset(&sh); /* a fresh set */
		switch (res) {
		case IKE_FRAG_NEED_MORE:
			if (ike_frag_parse(copy, len, &f) != IKE_FRAG_DROP_NONE)
				abort();
			shadow_add(&sh, &f);
			if (!ike_frag_reasm_in_progress(&r))
				abort();
			break;
		case IKE_FRAG_COMPLETE: {
			struct ike_header h;
			struct pkt_reader body;
			size_t off = 0;

			if (ike_frag_parse(copy, len, &f) != IKE_FRAG_DROP_NONE)
				abort();
			shadow_add(&sh, &f);
			if (sh.last == 0)
				abort(); /* complete without a last fragment */
			for (unsigned k = 1; k <= sh.last; k++)
				total += sh.len[k];
			for (unsigned k = sh.last + 1; k <= IKE_FRAG_MAX_FRAGMENTS; k++)
				if (sh.len[k])
					abort();
			if (out_len != total || out_len > IKE_FRAG_REASM_MAX)
				abort();
			for (unsigned k = 1; k <= sh.last; k++) {
				if (!sh.len[k] || memcmp(out + off, sh.data[k], sh.len[k]))
					abort();
				off += sh.len[k];
			}
			if (ike_message_parse(out, out_len, &h, &body) != IKE_PARSE_OK ||
			    memcmp(h.icookie, f.hdr.icookie, IKE_COOKIE_LEN) ||
			    memcmp(h.rcookie, f.hdr.rcookie, IKE_COOKIE_LEN) ||
			    h.next_payload == IKE_PAYLOAD_FRAGMENT)
				abort();
			if (ike_frag_reasm_in_progress(&r))
				abort();
			shadow_reset(&sh);
			check_split(out, out_len);
			break;
		}
		case IKE_FRAG_DROPPED:
			if (ike_frag_reasm_last_drop(&r) == IKE_FRAG_DROP_NONE)
				abort();
			if (!ike_frag_reasm_in_progress(&r))
				shadow_reset(&sh);
			break;
		}
		free(copy);
		if (ike_frag_reasm_deadline(&r) != UINT64_MAX &&
		    ike_frag_reasm_deadline(&r) > now + IKE_FRAG_TIMEOUT_MS)
			abort();
	}
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>

#include "ike-frag.h"

const char *ike_frag_drop_name(enum ike_frag_drop reason)
{
	switch (reason) {
	case IKE_FRAG_DROP_NONE:
		return "none";
	case IKE_FRAG_DROP_TRUNCATED:
		return "truncated";
	case IKE_FRAG_DROP_BAD_LENGTH:
		return "bad-length";
	case IKE_FRAG_DROP_NOT_FRAGMENT:
		return "not-a-fragment";
	case IKE_FRAG_DROP_BAD_NUMBER:
		return "bad-number";
	case IKE_FRAG_DROP_EMPTY:
		return "empty";
	case IKE_FRAG_DROP_WRONG_SA:
		return "wrong-cookies";
	case IKE_FRAG_DROP_WRONG_EXCHANGE:
		return "wrong-exchange";
	case IKE_FRAG_DROP_OLD_ID:
		return "old-id";
	case IKE_FRAG_DROP_DUPLICATE:
		return "duplicate";
	case IKE_FRAG_DROP_CONFLICT:
		return "conflicting-duplicate";
	case IKE_FRAG_DROP_BAD_LAST:
		return "bad-last-flag";
	case IKE_FRAG_DROP_TOO_LARGE:
		return "too-large";
	case IKE_FRAG_DROP_BAD_MESSAGE:
		return "bad-reassembled-message";
	case IKE_FRAG_DROP_EXPIRED:
		return "expired";
	case IKE_FRAG_DROP_REPLACED:
		return "replaced";
	case IKE_FRAG_DROP_COUNT:
		break;
	}
	return "unknown";
}

bool ike_frag_is_fragment(const uint8_t *data, size_t len)
{
	struct pkt_reader r;
	struct ike_header h;

	pkt_reader_init(&r, data, len);
	return ike_header_parse(&r, &h) == 0 && h.next_payload == IKE_PAYLOAD_FRAGMENT;
}

enum ike_frag_drop ike_frag_parse(const uint8_t *data, size_t len, struct ike_fragment *ret)
{
	struct ike_fragment f;
	struct pkt_reader body, payload;
	uint8_t next, reserved, flags;
	uint16_t plen;
	const uint8_t *bytes;
	size_t n;

	switch (ike_message_parse(data, len, &f.hdr, &body)) {
	case IKE_PARSE_OK:
		break;
	case IKE_PARSE_TRUNCATED:
		return IKE_FRAG_DROP_TRUNCATED;
	case IKE_PARSE_BAD_LENGTH:
		return IKE_FRAG_DROP_BAD_LENGTH;
	case IKE_PARSE_BAD_VERSION:
		return IKE_FRAG_DROP_NOT_FRAGMENT;
	case IKE_PARSE_BAD_PAYLOAD_LEN:
	case IKE_PARSE_TOO_MANY:
	case IKE_PARSE_TRAILING:
	case IKE_PARSE_ERROR_COUNT:
		return IKE_FRAG_DROP_BAD_LENGTH; /* ike_message_parse returns none of these */
	}
	/* The E flag is not looked at: racoon sets it on fragments, which are never encrypted
	 * themselves (their data may be). */
	if (f.hdr.next_payload != IKE_PAYLOAD_FRAGMENT)
		return IKE_FRAG_DROP_NOT_FRAGMENT;
	if (pkt_get_u8(&body, &next) || pkt_get_u8(&body, &reserved) ||
	    pkt_get_be16(&body, &plen))
		return IKE_FRAG_DROP_TRUNCATED;
	if (plen < IKE_FRAG_HEADER_LEN)
		return IKE_FRAG_DROP_BAD_LENGTH;
	if (pkt_get_sub(&body, plen - IKE_GENERIC_HEADER_LEN, &payload))
		return IKE_FRAG_DROP_TRUNCATED;
	/* The fragment payload is the message's only payload (libreswan insists on next = 0, all
	 * three senders write it so); what follows it would be outside every fragment. */
	if (next != IKE_PAYLOAD_NONE)
		return IKE_FRAG_DROP_NOT_FRAGMENT;
	if (pkt_expect_end(&body))
		return IKE_FRAG_DROP_BAD_LENGTH;
	/* cannot fail: plen >= 8 was checked and the sub-reader holds plen - 4 bytes */
	if (pkt_get_be16(&payload, &f.id) || pkt_get_u8(&payload, &f.number) ||
	    pkt_get_u8(&payload, &flags))
		return IKE_FRAG_DROP_TRUNCATED;
	/* other flag bits are unassigned and ignored */
	f.last = flags & IKE_FRAG_FLAG_LAST;
	if (f.number == 0 || f.number > IKE_FRAG_MAX_FRAGMENTS)
		return IKE_FRAG_DROP_BAD_NUMBER;
	pkt_get_rest(&payload, &bytes, &n);
	if (n == 0)
		return IKE_FRAG_DROP_EMPTY;
	f.data = bytes;
	f.len = n;
	*ret = f;
	return IKE_FRAG_DROP_NONE;
}

/* Splitting */

size_t ike_frag_max_datagram(size_t path_mtu, bool ipv6, bool natt_port)
{
	size_t overhead = (ipv6 ? 40 : 20) + 8 + (natt_port ? 4 : 0);

	if (path_mtu <= overhead + IKE_HEADER_LEN + IKE_FRAG_HEADER_LEN)
		return 0;
	return path_mtu - overhead;
}

int ike_frag_split_init(struct ike_frag_split *s, const uint8_t *msg, size_t len,
			size_t max_datagram, uint16_t frag_id)
{
	struct ike_header h;
	struct pkt_reader body;
	size_t chunk, count;

	if (ike_message_parse(msg, len, &h, &body) != IKE_PARSE_OK)
		return -EINVAL;
	if (max_datagram <= IKE_HEADER_LEN + IKE_FRAG_HEADER_LEN)
		return -EINVAL;
	/* a datagram may not exceed what a receiver parses */
	if (max_datagram > IKE_MESSAGE_MAX)
		max_datagram = IKE_MESSAGE_MAX;
	chunk = max_datagram - IKE_HEADER_LEN - IKE_FRAG_HEADER_LEN;
	count = len / chunk + (len % chunk ? 1 : 0);
	if (count > IKE_FRAG_SEND_MAX)
		return -EMSGSIZE;
	*s = (struct ike_frag_split){
		.hdr = h,
		.msg = msg,
		.len = len,
		.chunk = chunk,
		.id = frag_id,
		.number = 1,
		.count = (uint8_t)count,
	};
	return 0;
}

unsigned ike_frag_split_count(const struct ike_frag_split *s)
{
	return s->count;
}

int ike_frag_split_next(struct ike_frag_split *s, struct pkt_writer *w)
{
	struct ike_header h = s->hdr;
	struct pkt_writer t = *w;
	size_t n;
	bool last;

	if (s->off >= s->len)
		return 0;
	n = s->len - s->off < s->chunk ? s->len - s->off : s->chunk;
	last = s->off + n == s->len;
	/* the envelope: the original header with the fragment as its only, unencrypted,
	 * payload (libreswan send_v1_frags(), racoon isakmp_sendfrags()) */
	h.next_payload = IKE_PAYLOAD_FRAGMENT;
	h.flags &= (uint8_t)~IKE_FLAG_ENCRYPTION;
	h.length = (uint32_t)(IKE_HEADER_LEN + IKE_FRAG_HEADER_LEN + n);
	if (ike_header_write(&t, &h) || pkt_put_u8(&t, IKE_PAYLOAD_NONE) || pkt_put_u8(&t, 0) ||
	    pkt_put_be16(&t, (uint16_t)(IKE_FRAG_HEADER_LEN + n)) || pkt_put_be16(&t, s->id) ||
	    pkt_put_u8(&t, s->number) || pkt_put_u8(&t, last ? IKE_FRAG_FLAG_LAST : 0) ||
	    pkt_put_bytes(&t, s->msg + s->off, n))
		return -EMSGSIZE;
	*w = t;
	s->off += n;
	s->number++;
	return 1;
}

/* Reassembly */

static void reasm_clear(struct ike_frag_reasm *r)
{
	r->active = false;
	r->last = 0;
	r->highest = 0;
	r->held = 0;
	r->used = 0;
	memset(r->slots, 0, sizeof(r->slots));
}

void ike_frag_reasm_init(struct ike_frag_reasm *r, uint32_t timeout_ms)
{
	memset(r, 0, offsetof(struct ike_frag_reasm, buf));
	r->timeout_ms = timeout_ms ? timeout_ms : IKE_FRAG_TIMEOUT_MS;
	reasm_clear(r);
}

void ike_frag_reasm_reset(struct ike_frag_reasm *r)
{
	reasm_clear(r);
}

uint64_t ike_frag_reasm_deadline(const struct ike_frag_reasm *r)
{
	if (!r->active)
		return UINT64_MAX;
	if (r->started_ms > UINT64_MAX - r->timeout_ms)
		return UINT64_MAX;
	return r->started_ms + r->timeout_ms;
}

bool ike_frag_reasm_expire(struct ike_frag_reasm *r, uint64_t now_ms)
{
	if (!r->active || now_ms < ike_frag_reasm_deadline(r))
		return false;
	r->drops[IKE_FRAG_DROP_EXPIRED]++;
	reasm_clear(r);
	return true;
}

bool ike_frag_reasm_in_progress(const struct ike_frag_reasm *r)
{
	return r->active;
}

enum ike_frag_drop ike_frag_reasm_last_drop(const struct ike_frag_reasm *r)
{
	return r->last_drop;
}

uint64_t ike_frag_reasm_drops(const struct ike_frag_reasm *r, enum ike_frag_drop reason)
{
	return reason < IKE_FRAG_DROP_COUNT ? r->drops[reason] : 0;
}

static enum ike_frag_result reasm_drop(struct ike_frag_reasm *r, enum ike_frag_drop reason,
				       bool discard_set)
{
	r->drops[reason]++;
	r->last_drop = reason;
	if (discard_set)
		reasm_clear(r);
	return IKE_FRAG_DROPPED;
}

/* RFC 1982-style comparison of 16-bit IDs: is @a newer than @b? Half the space away is "not
 * newer", so an ID can never be both newer and older than another. */
static bool frag_id_newer(uint16_t a, uint16_t b)
{
	return a != b && (uint16_t)(a - b) < 0x8000;
}

/* Which set @f belongs to, against the one in progress: NONE for "this set" (or a fresh one,
 * with *ret_replace when the one in progress must go first). */
static enum ike_frag_drop reasm_match(const struct ike_frag_reasm *r, const struct ike_fragment *f,
				      bool *ret_replace)
{
	*ret_replace = false;
	if (!r->active)
		return IKE_FRAG_DROP_NONE;
	if (memcmp(r->icookie, f->hdr.icookie, IKE_COOKIE_LEN) ||
	    memcmp(r->rcookie, f->hdr.rcookie, IKE_COOKIE_LEN))
		return IKE_FRAG_DROP_WRONG_SA;
	if (f->id != r->id) {
		if (!frag_id_newer(f->id, r->id))
			return IKE_FRAG_DROP_OLD_ID;
		*ret_replace = true;
		return IKE_FRAG_DROP_NONE;
	}
	if (f->hdr.exchange != r->exchange || f->hdr.message_id != r->message_id)
		return IKE_FRAG_DROP_WRONG_EXCHANGE;
	return IKE_FRAG_DROP_NONE;
}

/* Checks @f against the fragments of the set in progress. */
static enum ike_frag_drop reasm_check_slot(const struct ike_frag_reasm *r,
					   const struct ike_fragment *f)
{
	const struct ike_frag_slot *slot = &r->slots[f->number];

	if (slot->len) {
		bool was_last = r->last == f->number;

		if (slot->len == f->len && was_last == f->last &&
		    memcmp(r->buf + slot->off, f->data, f->len) == 0)
			return IKE_FRAG_DROP_DUPLICATE;
		return IKE_FRAG_DROP_CONFLICT;
	}
	if (f->last && (r->last || f->number < r->highest))
		return IKE_FRAG_DROP_BAD_LAST;
	if (r->last && f->number > r->last)
		return IKE_FRAG_DROP_BAD_LAST;
	if (f->len > sizeof(r->buf) - r->used)
		return IKE_FRAG_DROP_TOO_LARGE;
	return IKE_FRAG_DROP_NONE;
}

/* The slices, in order, must be one ISAKMP message of the set's SA that is no fragment. */
static bool reasm_message_ok(const struct ike_frag_reasm *r, const uint8_t *msg, size_t len)
{
	struct ike_header h;
	struct pkt_reader body;

	return ike_message_parse(msg, len, &h, &body) == IKE_PARSE_OK &&
	       memcmp(h.icookie, r->icookie, IKE_COOKIE_LEN) == 0 &&
	       memcmp(h.rcookie, r->rcookie, IKE_COOKIE_LEN) == 0 &&
	       h.next_payload != IKE_PAYLOAD_FRAGMENT;
}

enum ike_frag_result ike_frag_reasm_feed(struct ike_frag_reasm *r, const uint8_t *data,
					 size_t len, uint64_t now_ms, uint8_t *out,
					 size_t out_cap, size_t *ret_len)
{
	struct ike_fragment f;
	enum ike_frag_drop why;
	bool replace;
	size_t pos;

	ike_frag_reasm_expire(r, now_ms);

	why = ike_frag_parse(data, len, &f);
	if (why != IKE_FRAG_DROP_NONE)
		return reasm_drop(r, why, false);
	why = reasm_match(r, &f, &replace);
	if (why != IKE_FRAG_DROP_NONE)
		return reasm_drop(r, why, false);
	if (replace) {
		r->drops[IKE_FRAG_DROP_REPLACED]++;
		reasm_clear(r);
	}
	if (r->active) {
		why = reasm_check_slot(r, &f);
		if (why != IKE_FRAG_DROP_NONE)
			return reasm_drop(r, why,
					  why == IKE_FRAG_DROP_CONFLICT ||
						  why == IKE_FRAG_DROP_TOO_LARGE);
	} else {
		/* a fresh set: a datagram of at most IKE_MESSAGE_MAX always fits the buffer */
		r->active = true;
		memcpy(r->icookie, f.hdr.icookie, IKE_COOKIE_LEN);
		memcpy(r->rcookie, f.hdr.rcookie, IKE_COOKIE_LEN);
		r->exchange = f.hdr.exchange;
		r->message_id = f.hdr.message_id;
		r->id = f.id;
		r->started_ms = now_ms;
	}

	memcpy(r->buf + r->used, f.data, f.len);
	r->slots[f.number] = (struct ike_frag_slot){ (uint16_t)r->used, (uint16_t)f.len };
	r->used += f.len;
	r->held++;
	if (f.number > r->highest)
		r->highest = f.number;
	if (f.last)
		r->last = f.number;

	/* Every held number is <= last (numbers above it and a last below a held one are
	 * refused), so last fragments held means 1..last, each once. */
	if (!r->last || r->held != r->last)
		return IKE_FRAG_NEED_MORE;
	if (r->used > out_cap)
		return reasm_drop(r, IKE_FRAG_DROP_TOO_LARGE, true);
	pos = 0;
	for (unsigned i = 1; i <= r->last; i++) {
		memcpy(out + pos, r->buf + r->slots[i].off, r->slots[i].len);
		pos += r->slots[i].len;
	}
	if (!reasm_message_ok(r, out, pos))
		return reasm_drop(r, IKE_FRAG_DROP_BAD_MESSAGE, true);
	reasm_clear(r);
	*ret_len = pos;
	return IKE_FRAG_COMPLETE;
}

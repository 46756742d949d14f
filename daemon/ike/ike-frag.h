/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKEv1 fragmentation: the vendor extension Cisco introduced and Windows, strongSwan,
 * libreswan and racoon speak (announced by the IKE_VENDOR_FRAGMENTATION Vendor ID). It is not
 * RFC 7383, which is IKEv2's. There is no RFC; the format below was read from strongSwan
 * (encoding/payloads/fragment_payload.c, encoding/message.c fragment() and add_fragment_v1()),
 * libreswan (programs/pluto/ikev1_send.c send_v1_frags(), ikev1.c) and racoon
 * (isakmp_frag.c), which agree on it.
 *
 * A fragment is a whole ISAKMP datagram with one payload, of type 132:
 *
 *   ISAKMP header (28)   cookies, version, exchange and message ID as the original's;
 *                        Next Payload = 132; E flag clear; Length = this datagram
 *   Next Payload (1) = 0, RESERVED (1), Payload Length (2)   the generic header
 *   Fragment ID (2)      1 in all three implementations, for every message
 *   Fragment Number (1)  from 1
 *   Flags (1)            0x01: the last fragment
 *   Fragment Data        the next slice of the ORIGINAL MESSAGE, ITS OWN HEADER INCLUDED
 *
 * Note the last point: all three cut the whole encoded message (header + body, the body still
 * encrypted) into slices, and the receiver concatenates the slices and parses the result as a
 * datagram of its own. So the reassembled message carries the original header exactly (its
 * Next Payload, its E flag, its length): nothing has to be "restored", and roadie does the same
 * when it splits. The envelope header is just that, an envelope: libreswan and racoon copy the
 * original header into it (and racoon leaves the E flag set, which strongSwan tolerates, so we
 * do too); strongSwan writes message ID 0 and exchange Identity Protection whatever the
 * original was. For Main Mode, the only exchange roadie fragments, both are the same bytes.
 * The envelope's exchange and message ID are therefore only checked for consistency within a
 * set, never against the reassembled message's.
 *
 * Receiving (struct ike_frag_reasm) holds one set at a time, as strongSwan and libreswan do:
 * IKEv1 has one message in flight per direction, and every implementation uses fragment ID 1,
 * so more sets would only hold stale bytes. Its policy, fragment by fragment:
 *   - structure first (ike_frag_parse): a bad one is dropped with a counted reason and the set
 *     in progress stays exactly as it was;
 *   - a set older than the timeout (from its first fragment) is discarded first (EXPIRED);
 *   - other cookies than the set in progress: dropped (WRONG_SA). Same cookies, a newer
 *     fragment ID (16-bit serial arithmetic): the set in progress is replaced (REPLACED), as
 *     strongSwan does, since the peer has moved on; an older ID: dropped (OLD_ID). Same ID but
 *     another exchange or message ID: dropped (WRONG_EXCHANGE), the set in progress is kept;
 *   - an identical copy of a fragment held is ignored (DUPLICATE: peers retransmit whole sets);
 *     a fragment with a held number but other bytes or flags (CONFLICT) discards the whole set:
 *     two versions of one slice mean the collected slices cannot be trusted to belong to one
 *     message (a stale set under the reused ID 1, or an injection), and the peer's next
 *     retransmission refills a clean set. Keeping either version could assemble a mix;
 *   - a last flag on a number below one held, a second last flag, a number above the last:
 *     dropped (BAD_LAST), the set kept;
 *   - a set that would grow beyond IKE_FRAG_REASM_MAX is discarded (TOO_LARGE), as strongSwan
 *     does: that message can never be accepted;
 *   - when numbers 1..last are all held, the slices are concatenated and must form one ISAKMP
 *     message (length field = bytes, version 1, the set's cookies, not itself a fragment),
 *     else the set is discarded (BAD_MESSAGE). Either way the set is gone after completion.
 * Its HASH, signature or decryption are the exchange's business afterwards, as for any message.
 *
 * Memory: struct ike_frag_reasm is fixed-size (about 17 KiB): one IKE_FRAG_REASM_MAX buffer
 * where slices are kept in arrival order, and a table from fragment number to slice. Nothing
 * is allocated. The caller supplies the buffer the reassembled message is written to.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/pkt.h"
#include "ike-message.h"

/* ISAKMP_NEXT_IKE_FRAGMENTATION (libreswan), PLV1_FRAGMENT (strongSwan). */
#define IKE_PAYLOAD_FRAGMENT 132
/* The generic header plus Fragment ID, Number and Flags. */
#define IKE_FRAG_HEADER_LEN 8
#define IKE_FRAG_FLAG_LAST 0x01
/* What strongSwan, libreswan and racoon send for every message. */
#define IKE_FRAG_ID_DEFAULT 1

/*
 * Limits. The reassembled message is refused beyond IKE_MESSAGE_MAX anyway by the parser, so
 * that is the cap (strongSwan's default is 10000). Received numbers go up to 64: a 16 KiB
 * message in 576-byte datagrams (about 500 bytes of data each) needs 33, and Windows has been
 * seen sending 29 (a comment in libreswan); strongSwan takes up to 255, libreswan only 16.
 * Since libreswan drops numbers above 16, roadie never sends more than 16.
 */
#define IKE_FRAG_REASM_MAX IKE_MESSAGE_MAX
#define IKE_FRAG_MAX_FRAGMENTS 64
#define IKE_FRAG_SEND_MAX 16
/* An incomplete set is discarded this long after its first fragment. A peer retransmits the
 * whole set, which completes on its own, so a partial set only helps for a few seconds; the
 * timeout bounds how long a stale one keeps other messages out. */
#define IKE_FRAG_TIMEOUT_MS 10000

/* Path MTUs that must work (RFC 791 §3.1, RFC 8200 §5), which strongSwan also defaults to. */
#define IKE_FRAG_MTU_IPV4 576
#define IKE_FRAG_MTU_IPV6 1280

/* Counted reasons for dropped fragments and discarded sets (STYLE.md rule 5). */
enum ike_frag_drop {
	IKE_FRAG_DROP_NONE,
	IKE_FRAG_DROP_TRUNCATED,      /* shorter than the headers, or than a length field says */
	IKE_FRAG_DROP_BAD_LENGTH,     /* a length field longer than the datagram, bytes after the
				       * fragment payload, or larger than IKE_MESSAGE_MAX */
	IKE_FRAG_DROP_NOT_FRAGMENT,   /* not IKEv1, first payload not 132, or more payloads */
	IKE_FRAG_DROP_BAD_NUMBER,     /* number 0 or above IKE_FRAG_MAX_FRAGMENTS */
	IKE_FRAG_DROP_EMPTY,          /* no data */
	IKE_FRAG_DROP_WRONG_SA,       /* other cookies than the set in progress */
	IKE_FRAG_DROP_WRONG_EXCHANGE, /* same ID, other exchange type or message ID */
	IKE_FRAG_DROP_OLD_ID,         /* an older fragment ID than the set in progress */
	IKE_FRAG_DROP_DUPLICATE,      /* an identical copy of a fragment held: ignored */
	IKE_FRAG_DROP_CONFLICT,       /* a held number with other bytes: the set is discarded */
	IKE_FRAG_DROP_BAD_LAST,       /* last flag below a held number, twice, or a number above */
	IKE_FRAG_DROP_TOO_LARGE,      /* the set would exceed the cap: the set is discarded */
	IKE_FRAG_DROP_BAD_MESSAGE,    /* the slices form no ISAKMP message: the set is discarded */
	IKE_FRAG_DROP_EXPIRED,        /* (a set) incomplete after the timeout: discarded */
	IKE_FRAG_DROP_REPLACED,       /* (a set) replaced by one with a newer fragment ID */
	IKE_FRAG_DROP_COUNT,
};

const char *ike_frag_drop_name(enum ike_frag_drop reason);

/* One fragment as received; data points into the datagram. */
struct ike_fragment {
	struct ike_header hdr; /* the envelope's */
	uint16_t id;
	uint8_t number;
	bool last;
	const uint8_t *data;
	size_t len;
};

/* True when @data is an ISAKMP datagram whose first payload is a fragment (so it goes to
 * ike_frag_reasm_feed, not to the exchange). Looks at the header only. */
bool ike_frag_is_fragment(const uint8_t *data, size_t len);

/* Structure only; IKE_FRAG_DROP_NONE and *ret written on success, nothing written otherwise. */
enum ike_frag_drop ike_frag_parse(const uint8_t *data, size_t len, struct ike_fragment *ret);

/*
 * Splitting. The caller computes the largest ISAKMP datagram a fragment may be (the
 * non-ESP marker excluded: the caller adds it), e.g. with ike_frag_max_datagram(), and then
 *
 *	struct ike_frag_split s;
 *	if (ike_frag_split_init(&s, msg, len, max, IKE_FRAG_ID_DEFAULT) == 0)
 *		while ((r = ike_frag_split_next(&s, &w)) == 1)
 *			send the datagram in w, reset w;
 *
 * Each fragment but the last carries max - 36 bytes of the message, as the three
 * implementations above do.
 */
struct ike_frag_split {
	struct ike_header hdr; /* the original's, to copy into each envelope */
	const uint8_t *msg;
	size_t len;
	size_t off;   /* bytes of msg already sent */
	size_t chunk; /* data bytes per fragment */
	uint16_t id;
	uint8_t number; /* of the next fragment */
	uint8_t count;
};

/* The largest fragment datagram for a path MTU: minus the IP header (20 or 40), UDP (8) and the
 * non-ESP marker on port 4500 (4). 0 when the MTU leaves no room for one byte of data. */
size_t ike_frag_max_datagram(size_t path_mtu, bool ipv6, bool natt_port);

/* @msg must be one whole ISAKMP message (its length field = @len). -EINVAL if it is not or
 * @max_datagram leaves no room for data, -EMSGSIZE if it needs more than IKE_FRAG_SEND_MAX
 * fragments. A message that would fit unfragmented still gives one fragment. */
int ike_frag_split_init(struct ike_frag_split *s, const uint8_t *msg, size_t len,
			size_t max_datagram, uint16_t frag_id);
unsigned ike_frag_split_count(const struct ike_frag_split *s);
/* Appends the next fragment datagram to @w: 1 when one was written, 0 when all were, -EMSGSIZE
 * (nothing written, nothing advanced) when @w has no room for it. */
int ike_frag_split_next(struct ike_frag_split *s, struct pkt_writer *w);

/* Reassembly. */
enum ike_frag_result {
	IKE_FRAG_NEED_MORE, /* accepted, the set is incomplete */
	IKE_FRAG_COMPLETE,  /* the reassembled message is in the caller's buffer */
	IKE_FRAG_DROPPED,   /* see ike_frag_reasm_last_drop() */
};

struct ike_frag_slot {
	uint16_t off; /* in buf */
	uint16_t len; /* 0: not held (empty fragments are refused) */
};

/* Fixed-size; the fields are the implementation's (read them through the functions). */
struct ike_frag_reasm {
	uint32_t timeout_ms;
	bool active;
	uint8_t icookie[IKE_COOKIE_LEN];
	uint8_t rcookie[IKE_COOKIE_LEN];
	uint8_t exchange;
	uint32_t message_id;
	uint16_t id;
	uint8_t last;    /* number of the last fragment, 0 while unknown */
	uint8_t highest; /* highest number held */
	uint8_t held;    /* fragments held */
	uint64_t started_ms;
	size_t used; /* bytes of buf in use */
	enum ike_frag_drop last_drop;
	uint64_t drops[IKE_FRAG_DROP_COUNT];
	struct ike_frag_slot slots[IKE_FRAG_MAX_FRAGMENTS + 1]; /* by number; [0] unused */
	uint8_t buf[IKE_FRAG_REASM_MAX];
};

/* @timeout_ms 0: IKE_FRAG_TIMEOUT_MS. */
void ike_frag_reasm_init(struct ike_frag_reasm *r, uint32_t timeout_ms);
/* Discards the set in progress, uncounted (the SA moved on); the counters stay. */
void ike_frag_reasm_reset(struct ike_frag_reasm *r);

/*
 * One received datagram whose first payload is 132 (without the non-ESP marker). On
 * IKE_FRAG_COMPLETE the reassembled message is written to @out (@out_cap should be
 * IKE_FRAG_REASM_MAX; a smaller one that cannot hold the message counts as TOO_LARGE) and its
 * length to *ret_len. *ret_len is written only then; @out also holds the rejected bytes after
 * a BAD_MESSAGE drop, so it is scratch space until COMPLETE.
 */
enum ike_frag_result ike_frag_reasm_feed(struct ike_frag_reasm *r, const uint8_t *data,
					 size_t len, uint64_t now_ms, uint8_t *out,
					 size_t out_cap, size_t *ret_len);

/* When the set in progress expires (UINT64_MAX: none in progress). */
uint64_t ike_frag_reasm_deadline(const struct ike_frag_reasm *r);
/* Discards the set in progress if it has expired at @now_ms (counted); true if it did. */
bool ike_frag_reasm_expire(struct ike_frag_reasm *r, uint64_t now_ms);

bool ike_frag_reasm_in_progress(const struct ike_frag_reasm *r);
/* Why the last IKE_FRAG_DROPPED happened. */
enum ike_frag_drop ike_frag_reasm_last_drop(const struct ike_frag_reasm *r);
uint64_t ike_frag_reasm_drops(const struct ike_frag_reasm *r, enum ike_frag_drop reason);

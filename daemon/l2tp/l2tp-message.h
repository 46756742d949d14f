/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The L2TPv2 header (RFC 2661 §3.1) of control and data messages, and the data plane's
 * hot-path helpers.
 *
 *	|T|L|x|x|S|x|O|P|x|x|x|x|  Ver  |          Length (opt)         |
 *	|           Tunnel ID           |           Session ID          |
 *	|             Ns (opt)          |             Nr (opt)          |
 *	|      Offset Size (opt)        |    Offset pad... (opt)
 *
 * Control messages have T=1 with L=1 and S=1 (§3.1): a fixed 12-byte header followed by
 * AVPs (or nothing: a ZLB acknowledgement). Data messages have T=0, and Length, Ns/Nr and the
 * offset are optional. Reserved bits are ignored on input and zero on output; a version
 * other than 2 is dropped (§3.1: 1 is L2F, 3 is L2TPv3).
 *
 * L2TP runs over UDP port 1701 (§8.1), but the LNS may answer from another port: keeping
 * track of that is the caller's business (this code has no sockets).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/pkt.h"

#define L2TP_PORT 1701
#define L2TP_VERSION 2

#define L2TP_HDR_T 0x8000
#define L2TP_HDR_L 0x4000
#define L2TP_HDR_S 0x0800
#define L2TP_HDR_O 0x0200
#define L2TP_HDR_P 0x0100
#define L2TP_HDR_VER_MASK 0x000f

#define L2TP_CONTROL_HEADER_LEN 12
#define L2TP_CONTROL_NR_OFFSET 10 /* where Nr sits in a control header (patched on resend) */
#define L2TP_DATA_HEADER_LEN 6    /* flags, tunnel ID, session ID: what roadie sends */
#define L2TP_MAX_HEADER_LEN 16    /* with every optional field, before the offset padding */

struct l2tp_header {
	bool control;      /* T */
	bool has_length;   /* L */
	bool has_sequence; /* S */
	bool has_offset;   /* O */
	bool priority;     /* P (data only) */
	uint16_t length;
	uint16_t tunnel_id;
	uint16_t session_id;
	uint16_t ns;
	uint16_t nr;
	uint16_t offset_size;
};

/*
 * Parses the header at the reader's position. On success *ret is filled and *r becomes the
 * payload: past the offset padding, and ending at Length when L is set (bytes after it are
 * not part of the message). -EMSGSIZE when truncated or Length lies beyond the buffer,
 * -EBADMSG for a wrong version or a Length shorter than the header; r and *ret then untouched.
 */
int l2tp_header_parse(struct pkt_reader *r, struct l2tp_header *ret);
/* Writes a header as @h describes (Length as given: see l2tp_header_set_length). */
int l2tp_header_write(struct pkt_writer *w, const struct l2tp_header *h);
/* Sets the Length field of a header with L at the packet's start to the packet length. */
int l2tp_header_set_length(struct pkt_writer *w);

/* A control message: T, L and S set. -ENOMSG for a data message; else as above. *ret_body
 * reads the AVPs (empty for a ZLB). */
int l2tp_control_parse(const uint8_t *data, size_t len, struct l2tp_header *ret,
		       struct pkt_reader *ret_body);
/* Begins a control message (the 12-byte header, Length to be set by l2tp_header_set_length). */
int l2tp_control_begin(struct pkt_writer *w, uint16_t tunnel_id, uint16_t session_id, uint16_t ns,
		       uint16_t nr);

/* T bit of a datagram (false for an empty one): which way to route it. */
bool l2tp_is_control(const uint8_t *p, size_t len);

/* Prepends the 6-byte data header in the writer's headroom, in place. -EMSGSIZE without room. */
int l2tp_data_push(struct pkt_writer *w, uint16_t tunnel_id, uint16_t session_id);
/* A data message (T=0): the ids and where the PPP frame starts. Length, when present, must
 * match @len; the offset padding must fit. -EBADMSG for control messages and bad headers,
 * -EMSGSIZE when truncated; the ret_ outputs are written only on success. */
int l2tp_data_parse(const uint8_t *p, size_t len, uint16_t *ret_tunnel_id, uint16_t *ret_session_id,
		    size_t *ret_payload_off);

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * L2TPv2 attribute-value pairs (RFC 2661 §4): the iterator over the AVPs of a control
 * message, the writer, hiding (§4.3), the decoded set of the attributes a LAC acts on, the
 * Challenge Response of tunnel authentication (§4.4.3, §5.1.1), and the Result Code AVP
 * (§4.4.2) turned into sentences.
 *
 *	|M|H| rsvd  |      Length       |           Vendor ID           |
 *	|         Attribute Type        |        Attribute Value ...
 *
 * Length counts the 6-byte header, so it is at least 6 and at most 1023 (10 bits); an AVP
 * is read through a sub-reader of exactly that length, so a lying length never reaches past
 * the message.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/pkt.h"

#define L2TP_AVP_HEADER_LEN 6
#define L2TP_AVP_MAX_LEN 1023
#define L2TP_AVP_MAX_VALUE (L2TP_AVP_MAX_LEN - L2TP_AVP_HEADER_LEN)
#define L2TP_AVP_FLAG_M 0x8000
#define L2TP_AVP_FLAG_H 0x4000
#define L2TP_AVP_RESERVED 0x3c00
#define L2TP_AVP_LEN_MASK 0x03ff
#define L2TP_VENDOR_IETF 0

/* Control message types (RFC 2661 §3.2). */
enum l2tp_message_type {
	L2TP_MSG_SCCRQ = 1,
	L2TP_MSG_SCCRP = 2,
	L2TP_MSG_SCCCN = 3,
	L2TP_MSG_STOPCCN = 4,
	L2TP_MSG_HELLO = 6,
	L2TP_MSG_OCRQ = 7,
	L2TP_MSG_OCRP = 8,
	L2TP_MSG_OCCN = 9,
	L2TP_MSG_ICRQ = 10,
	L2TP_MSG_ICRP = 11,
	L2TP_MSG_ICCN = 12,
	L2TP_MSG_CDN = 14,
	L2TP_MSG_WEN = 15,
	L2TP_MSG_SLI = 16,
};

/* A short name for logs and sentences ("SCCRP"); "message type N" in @buf otherwise. */
const char *l2tp_message_name(uint16_t type, char *buf, size_t buf_len);
/* Session messages (ICRQ ... SLI) concern one call; the others the whole tunnel (§4.1). */
bool l2tp_message_is_session(uint16_t type);

/* IETF attribute types (RFC 2661 §4.4). */
enum l2tp_attr {
	L2TP_ATTR_MESSAGE_TYPE = 0,
	L2TP_ATTR_RESULT_CODE = 1,
	L2TP_ATTR_PROTOCOL_VERSION = 2,
	L2TP_ATTR_FRAMING_CAPS = 3,
	L2TP_ATTR_BEARER_CAPS = 4,
	L2TP_ATTR_TIE_BREAKER = 5,
	L2TP_ATTR_FIRMWARE_REVISION = 6,
	L2TP_ATTR_HOST_NAME = 7,
	L2TP_ATTR_VENDOR_NAME = 8,
	L2TP_ATTR_ASSIGNED_TUNNEL_ID = 9,
	L2TP_ATTR_RECEIVE_WINDOW = 10,
	L2TP_ATTR_CHALLENGE = 11,
	L2TP_ATTR_Q931_CAUSE = 12,
	L2TP_ATTR_CHALLENGE_RESPONSE = 13,
	L2TP_ATTR_ASSIGNED_SESSION_ID = 14,
	L2TP_ATTR_CALL_SERIAL = 15,
	L2TP_ATTR_MIN_BPS = 16,
	L2TP_ATTR_MAX_BPS = 17,
	L2TP_ATTR_BEARER_TYPE = 18,
	L2TP_ATTR_FRAMING_TYPE = 19,
	L2TP_ATTR_CALLED_NUMBER = 21,
	L2TP_ATTR_CALLING_NUMBER = 22,
	L2TP_ATTR_SUB_ADDRESS = 23,
	L2TP_ATTR_TX_CONNECT_SPEED = 24,
	L2TP_ATTR_PHYSICAL_CHANNEL = 25,
	L2TP_ATTR_INITIAL_LCP_CONFREQ = 26,
	L2TP_ATTR_LAST_SENT_LCP_CONFREQ = 27,
	L2TP_ATTR_LAST_RECV_LCP_CONFREQ = 28,
	L2TP_ATTR_PROXY_AUTHEN_TYPE = 29,
	L2TP_ATTR_PROXY_AUTHEN_NAME = 30,
	L2TP_ATTR_PROXY_AUTHEN_CHALLENGE = 31,
	L2TP_ATTR_PROXY_AUTHEN_ID = 32,
	L2TP_ATTR_PROXY_AUTHEN_RESPONSE = 33,
	L2TP_ATTR_CALL_ERRORS = 34,
	L2TP_ATTR_ACCM = 35,
	L2TP_ATTR_RANDOM_VECTOR = 36,
	L2TP_ATTR_PRIVATE_GROUP_ID = 37,
	L2TP_ATTR_RX_CONNECT_SPEED = 38,
	L2TP_ATTR_SEQUENCING_REQUIRED = 39,
	L2TP_ATTR_LAST = L2TP_ATTR_SEQUENCING_REQUIRED,
};

/* Bits of the Framing and Bearer Capabilities (§4.4.3) and Framing Type (§4.4.4). */
#define L2TP_FRAMING_SYNC 0x1
#define L2TP_FRAMING_ASYNC 0x2
#define L2TP_BEARER_DIGITAL 0x1
#define L2TP_BEARER_ANALOG 0x2

/* One AVP as it is on the wire. */
struct l2tp_avp {
	bool mandatory;
	bool hidden;
	bool reserved_bits; /* a reserved bit set: the AVP counts as unrecognised (§4.1) */
	uint16_t vendor;
	uint16_t type;
	struct pkt_reader value; /* still hidden when @hidden */
};

struct l2tp_avp_iter {
	struct pkt_reader r;
};

void l2tp_avp_iter_init(struct l2tp_avp_iter *it, const struct pkt_reader *body);
/* 1 and *ret filled, 0 at the end, -EBADMSG for a length below 6 or past the message
 * (the iterator and *ret then stay as they were). */
int l2tp_avp_iter_next(struct l2tp_avp_iter *it, struct l2tp_avp *ret);

/* Appends one visible AVP (vendor 0). -EMSGSIZE, with nothing written, if it does not fit. */
int l2tp_avp_put(struct pkt_writer *w, bool mandatory, uint16_t type, const void *value,
		 size_t len);
int l2tp_avp_put_be16(struct pkt_writer *w, bool mandatory, uint16_t type, uint16_t value);
int l2tp_avp_put_be32(struct pkt_writer *w, bool mandatory, uint16_t type, uint32_t value);
/* Result Code AVP: the error code and message only when @has_error / @message. */
int l2tp_avp_put_result(struct pkt_writer *w, uint16_t result, bool has_error, uint16_t error,
			const char *message);

/*
 * Hiding (RFC 2661 §4.3). The hidden value is the original length (2 bytes), the value and
 * padding, XORed 16 bytes at a time with
 *
 *	b1 = MD5(attribute type (2 bytes) | secret | random vector)
 *	bi = MD5(secret | c(i-1))	where c(i-1) is the previous hidden 16-byte block
 *
 * The random vector is the value of the last Random Vector AVP before the hidden AVP.
 */
struct l2tp_hide_key {
	const uint8_t *secret;
	size_t secret_len;
	const uint8_t *random_vector;
	size_t random_vector_len;
};

/* Writes the hidden form (2 + len + pad bytes, padding zeros before XOR) to @out. */
int l2tp_avp_hide(const struct l2tp_hide_key *key, uint16_t type, const void *value, size_t len,
		  size_t pad, uint8_t *out, size_t out_cap);
/* Recovers the value of a hidden AVP into @out (at least hidden_len - 2 bytes). -EBADMSG if
 * the original length is longer than the hidden value allows. */
int l2tp_avp_unhide(const struct l2tp_hide_key *key, uint16_t type, const uint8_t *hidden,
		    size_t hidden_len, uint8_t *out, size_t out_cap, size_t *ret_len);
/* Appends a hidden AVP, padded to a multiple of 16 bytes (the Random Vector AVP that key
 * names must already be in the message). */
int l2tp_avp_put_hidden(struct pkt_writer *w, const struct l2tp_hide_key *key, bool mandatory,
			uint16_t type, const void *value, size_t len);
/* Whether RFC 2661 §4.4 lets this attribute be hidden. */
bool l2tp_avp_hideable(uint16_t type);

/* Challenge Response (§4.4.3): MD5(message type of the response (1 byte) | secret |
 * challenge), as CHAP (RFC 1994) with the message type as the identifier. */
#define L2TP_CHALLENGE_RESPONSE_LEN 16
int l2tp_challenge_response(uint8_t message_type, const uint8_t *secret, size_t secret_len,
			    const uint8_t *challenge, size_t challenge_len,
			    uint8_t out[L2TP_CHALLENGE_RESPONSE_LEN]);

/* ---- the decoded set of one control message ---- */

#define L2TP_NAME_MAX 64           /* host and vendor names, sanitised, for logs */
#define L2TP_ERROR_MESSAGE_MAX 120 /* the server's error message, sanitised */
#define L2TP_CHALLENGE_MAX 256     /* any length is allowed (§4.4.3); longer is refused */

struct l2tp_result {
	uint16_t result;
	bool has_error;
	uint16_t error;
	char message[L2TP_ERROR_MESSAGE_MAX + 1]; /* printable ASCII, may be empty */
};

struct l2tp_avps {
	uint64_t present; /* bit n: IETF attribute n was seen */
	uint16_t message_type;
	bool message_type_mandatory;
	struct l2tp_result result;
	uint8_t version, revision;
	uint32_t framing_caps;
	uint32_t bearer_caps;
	uint16_t firmware;
	char host_name[L2TP_NAME_MAX + 1];
	char vendor_name[L2TP_NAME_MAX + 1];
	uint16_t assigned_tunnel_id;
	uint16_t receive_window;
	uint8_t challenge[L2TP_CHALLENGE_MAX];
	size_t challenge_len;
	uint8_t challenge_response[L2TP_CHALLENGE_RESPONSE_LEN];
	uint16_t assigned_session_id;
	uint32_t call_serial;
	uint32_t tx_connect_speed;
	uint32_t framing_type;
	unsigned n_hidden;
	/* the first AVP with the M bit that roadie does not recognise (§4.1) */
	bool unknown_mandatory;
	uint16_t unknown_vendor;
	uint16_t unknown_type;
};

/*
 * Walks the AVPs after the header: the Message Type AVP first and visible (§4.4.1), hidden
 * AVPs after a Random Vector, each known attribute with its length. Non-mandatory
 * unrecognised AVPs are skipped; the first mandatory one is noted for the caller, which
 * decides what to tear down. Errors, with *ret untouched: -EBADMSG malformed, -ENOKEY a
 * hidden AVP and no @secret.
 */
int l2tp_avps_parse(const struct pkt_reader *body, const uint8_t *secret, size_t secret_len,
		    struct l2tp_avps *ret);

static inline bool l2tp_avps_has(const struct l2tp_avps *a, enum l2tp_attr type)
{
	return a->present & ((uint64_t)1 << type);
}

/* Printable ASCII only (others become '?'), at most out_size - 1 characters, with "..."
 * when cut. */
void l2tp_sanitize(const uint8_t *p, size_t len, char *out, size_t out_size);

/* A Result Code AVP as a sentence: "the L2TP server closed the tunnel: ..." (StopCCN) or
 * "the L2TP server closed the session: ..." (CDN), with the error code and message. */
void l2tp_result_text(bool session, const struct l2tp_result *result, char *buf, size_t len);

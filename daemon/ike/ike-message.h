/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ISAKMP messages (RFC 2408 §3): the fixed header, the generic payload header chain, and
 * the payloads that are plain data (KE, Nonce, HASH, SIG, VID, NAT-D). Structured payloads
 * have their own files (ike-payload-*.c).
 *
 * Parsing is structure only: a message is split into its header and a table of payload
 * bodies (sub-readers), every length checked against its parent. Meaning (is this HASH
 * right, is this proposal ours) is the exchange code's job, after this has succeeded.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "core/pkt.h"

#define IKE_HEADER_LEN 28
#define IKE_GENERIC_HEADER_LEN 4
#define IKE_COOKIE_LEN 8
#define IKE_VERSION_1_0 0x10
/* IKEv1 messages are small; a larger one is refused before anything else is looked at. */
#define IKE_MESSAGE_MAX 16384
#define IKE_MAX_PAYLOADS 32

/* RFC 2408 §3.1, RFC 2409 */
enum ike_exchange {
	IKE_EXCH_IDENTITY_PROTECT = 2, /* Main Mode */
	IKE_EXCH_AGGRESSIVE = 4,
	IKE_EXCH_INFORMATIONAL = 5,
	IKE_EXCH_QUICK = 32,
	IKE_EXCH_TRANSACTION = 6, /* draft-ietf-ipsec-isakmp-mode-cfg: XAUTH, Mode Config */
};

enum ike_flags {
	IKE_FLAG_ENCRYPTION = 0x01,
	IKE_FLAG_COMMIT = 0x02,
	IKE_FLAG_AUTH_ONLY = 0x04,
};

/* RFC 2408 §3.1 "Next Payload"; RFC 3947 §3.1, §5.2; draft-ietf-ipsec-nat-t-ike-02/03. */
enum ike_payload_type {
	IKE_PAYLOAD_NONE = 0,
	IKE_PAYLOAD_SA = 1,
	IKE_PAYLOAD_PROPOSAL = 2,
	IKE_PAYLOAD_TRANSFORM = 3,
	IKE_PAYLOAD_KE = 4,
	IKE_PAYLOAD_ID = 5,
	IKE_PAYLOAD_CERT = 6,
	IKE_PAYLOAD_CR = 7,
	IKE_PAYLOAD_HASH = 8,
	IKE_PAYLOAD_SIG = 9,
	IKE_PAYLOAD_NONCE = 10,
	IKE_PAYLOAD_NOTIFY = 11,
	IKE_PAYLOAD_DELETE = 12,
	IKE_PAYLOAD_VID = 13,
	IKE_PAYLOAD_ATTRIBUTE = 14, /* Mode Config / XAUTH */
	IKE_PAYLOAD_NAT_D = 20,
	IKE_PAYLOAD_NAT_OA = 21,
	IKE_PAYLOAD_NAT_D_DRAFT = 130,
	IKE_PAYLOAD_NAT_OA_DRAFT = 131,
};

struct ike_header {
	uint8_t icookie[IKE_COOKIE_LEN];
	uint8_t rcookie[IKE_COOKIE_LEN];
	uint8_t next_payload;
	uint8_t version;
	uint8_t exchange;
	uint8_t flags;
	uint32_t message_id;
	uint32_t length;
};

struct ike_payload {
	uint8_t type;
	struct pkt_reader body; /* the payload without its generic header */
};

/* Counted reasons for refusing a message (rule 5: counted, logged at debug, dropped). */
enum ike_parse_error {
	IKE_PARSE_OK,
	IKE_PARSE_TRUNCATED,       /* shorter than the header says, or a payload past the end */
	IKE_PARSE_BAD_LENGTH,      /* header length differs from the datagram, or too large */
	IKE_PARSE_BAD_VERSION,     /* not 1.0 (IKEv2 uses 2.0) */
	IKE_PARSE_BAD_PAYLOAD_LEN, /* a generic payload length below 4 */
	IKE_PARSE_TOO_MANY,        /* more than IKE_MAX_PAYLOADS payloads */
	IKE_PARSE_TRAILING,        /* bytes after the last payload */
	IKE_PARSE_ERROR_COUNT,
};

const char *ike_parse_error_name(enum ike_parse_error error);

/*
 * A whole datagram (after the NAT-T non-ESP marker, if any): the header, its length equal to
 * the datagram's, version 1.x, at most IKE_MESSAGE_MAX. @ret_body is what follows the header
 * (still encrypted when the header's E flag is set).
 */
enum ike_parse_error ike_message_parse(const uint8_t *data, size_t len, struct ike_header *ret_hdr,
				       struct pkt_reader *ret_body);

/* Header only (the first 28 bytes); the length field is not yet checked against anything. */
int ike_header_parse(struct pkt_reader *r, struct ike_header *ret);
int ike_header_write(struct pkt_writer *w, const struct ike_header *hdr);

/*
 * Splits the payload chain starting with @first_type from @r (the bytes after the header,
 * already decrypted if the message was encrypted) into @payloads (capacity IKE_MAX_PAYLOADS).
 * An encrypted message's body ends in padding (RFC 2409 appendix B): with @allow_padding,
 * bytes after the last payload are accepted; without, only up to 3 zero bytes (libreswan
 * aligns messages in the clear to 4 bytes). On failure nothing is written.
 */
enum ike_parse_error ike_payloads_parse(struct pkt_reader *r, uint8_t first_type,
					bool allow_padding, struct ike_payload *payloads,
					unsigned *ret_count);

/* The first payload of @type among @count, or NULL. */
const struct ike_payload *ike_payload_find(const struct ike_payload *payloads, unsigned count,
					   uint8_t type);

/*
 * Writing: each payload is started with ike_payload_begin(), which writes the generic header
 * with a placeholder length and links it from the previous one's "next payload" field, and
 * finished with ike_payload_end(), which back-patches its length.
 */
struct ike_chain {
	size_t next_field; /* offset of the "next payload" byte to patch, from packet start */
	size_t start;      /* offset of the open payload's generic header */
};

/* @next_field: offset of the header's "next payload" byte (16 for a message). */
void ike_chain_init(struct ike_chain *c, size_t next_field);
int ike_payload_begin(struct pkt_writer *w, struct ike_chain *c, uint8_t type);
int ike_payload_end(struct pkt_writer *w, struct ike_chain *c);
/* A whole data payload (KE, Nonce, HASH, SIG, VID, NAT-D) in one call. */
int ike_payload_put_data(struct pkt_writer *w, struct ike_chain *c, uint8_t type,
			 const void *data, size_t len);

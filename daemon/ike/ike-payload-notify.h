/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Notification payload (RFC 2408 §3.14) with the error and status types roadie acts on
 * (§3.14.1, RFC 2407 §4.6.3, RFC 3706 §5 for DPD's R-U-THERE).
 */
#pragma once

#include <stdint.h>

#include "core/pkt.h"
#include "ike-message.h"

enum ike_notify_type {
	IKE_N_INVALID_PAYLOAD_TYPE = 1,
	IKE_N_DOI_NOT_SUPPORTED = 2,
	IKE_N_SITUATION_NOT_SUPPORTED = 3,
	IKE_N_INVALID_COOKIE = 4,
	IKE_N_INVALID_MAJOR_VERSION = 5,
	IKE_N_INVALID_EXCHANGE_TYPE = 7,
	IKE_N_INVALID_FLAGS = 8,
	IKE_N_INVALID_MESSAGE_ID = 9,
	IKE_N_INVALID_PROTOCOL_ID = 10,
	IKE_N_INVALID_SPI = 11,
	IKE_N_INVALID_TRANSFORM_ID = 12,
	IKE_N_ATTRIBUTES_NOT_SUPPORTED = 13,
	IKE_N_NO_PROPOSAL_CHOSEN = 14,
	IKE_N_BAD_PROPOSAL_SYNTAX = 15,
	IKE_N_PAYLOAD_MALFORMED = 16,
	IKE_N_INVALID_KEY_INFORMATION = 17,
	IKE_N_INVALID_ID_INFORMATION = 18,
	IKE_N_INVALID_CERT_ENCODING = 19,
	IKE_N_INVALID_CERTIFICATE = 20,
	IKE_N_CERT_TYPE_UNSUPPORTED = 21,
	IKE_N_INVALID_CERT_AUTHORITY = 22,
	IKE_N_INVALID_HASH_INFORMATION = 23,
	IKE_N_AUTHENTICATION_FAILED = 24,
	IKE_N_INVALID_SIGNATURE = 25,
	IKE_N_ADDRESS_NOTIFICATION = 26,
	IKE_N_NOTIFY_SA_LIFETIME = 27,
	IKE_N_CERTIFICATE_UNAVAILABLE = 28,
	IKE_N_UNSUPPORTED_EXCHANGE_TYPE = 29,
	IKE_N_UNEQUAL_PAYLOAD_LENGTHS = 30,
	IKE_N_CONNECTED = 16384,
	IKE_N_RESPONDER_LIFETIME = 24576, /* RFC 2407 §4.6.3.1 */
	IKE_N_REPLAY_STATUS = 24577,
	IKE_N_INITIAL_CONTACT = 24578,
	IKE_N_DPD_R_U_THERE = 36136, /* RFC 3706 §5 */
	IKE_N_DPD_R_U_THERE_ACK = 36137,
};

#define IKE_NOTIFY_MAX_SPI 16

struct ike_notify {
	uint32_t doi;
	uint8_t protocol;
	uint16_t type;
	uint8_t spi_len;
	uint8_t spi[IKE_NOTIFY_MAX_SPI];
	struct pkt_reader data;
};

int ike_notify_parse(const struct pkt_reader *body, struct ike_notify *ret);
int ike_notify_write(struct pkt_writer *w, struct ike_chain *c, uint8_t protocol, uint16_t type,
		     const uint8_t *spi, uint8_t spi_len, const void *data, size_t data_len);
/* "NO-PROPOSAL-CHOSEN"; numbers it does not know as "notification 12345". */
const char *ike_notify_name(uint16_t type, char *buf, size_t buf_len);

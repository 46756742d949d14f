/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Certificate and Certificate Request payloads (RFC 2408 §3.9-3.10): an encoding byte,
 * then the data (a DER certificate, or a CA's DER distinguished name in a request).
 */
#pragma once

#include <stdint.h>

#include "core/pkt.h"
#include "ike-message.h"

enum ike_cert_encoding {
	IKE_CERT_X509_SIG = 4,
};

struct ike_cert {
	uint8_t encoding;
	const uint8_t *data;
	size_t len;
};

/* For CERT and CR alike; an empty CR (any CA) is allowed, an empty CERT is not. */
int ike_cert_parse(const struct pkt_reader *body, uint8_t payload_type, struct ike_cert *ret);
int ike_cert_write(struct pkt_writer *w, struct ike_chain *c, uint8_t payload_type,
		   const struct ike_cert *cert);

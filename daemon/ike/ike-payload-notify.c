/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>

#include "ike-payload-notify.h"
#include "ike-payload-sa.h"

int ike_notify_parse(const struct pkt_reader *body, struct ike_notify *ret)
{
	struct pkt_reader r = *body;
	struct ike_notify n;

	if (pkt_get_be32(&r, &n.doi) || pkt_get_u8(&r, &n.protocol) ||
	    pkt_get_u8(&r, &n.spi_len) || pkt_get_be16(&r, &n.type) ||
	    n.spi_len > IKE_NOTIFY_MAX_SPI || pkt_copy_bytes(&r, n.spi, n.spi_len))
		return -EBADMSG;
	n.data = r;
	*ret = n;
	return 0;
}

int ike_notify_write(struct pkt_writer *w, struct ike_chain *c, uint8_t protocol, uint16_t type,
		     const uint8_t *spi, uint8_t spi_len, const void *data, size_t data_len)
{
	struct pkt_writer t = *w;
	struct ike_chain tc = *c;

	if (ike_payload_begin(&t, &tc, IKE_PAYLOAD_NOTIFY) || pkt_put_be32(&t, IKE_DOI_IPSEC) ||
	    pkt_put_u8(&t, protocol) || pkt_put_u8(&t, spi_len) || pkt_put_be16(&t, type) ||
	    pkt_put_bytes(&t, spi, spi_len) || pkt_put_bytes(&t, data, data_len) ||
	    ike_payload_end(&t, &tc))
		return -EMSGSIZE;
	*w = t;
	*c = tc;
	return 0;
}

const char *ike_notify_name(uint16_t type, char *buf, size_t buf_len)
{
	static const struct {
		uint16_t type;
		const char *name;
	} names[] = {
		{ IKE_N_INVALID_PAYLOAD_TYPE, "INVALID-PAYLOAD-TYPE" },
		{ IKE_N_DOI_NOT_SUPPORTED, "DOI-NOT-SUPPORTED" },
		{ IKE_N_SITUATION_NOT_SUPPORTED, "SITUATION-NOT-SUPPORTED" },
		{ IKE_N_INVALID_COOKIE, "INVALID-COOKIE" },
		{ IKE_N_INVALID_MAJOR_VERSION, "INVALID-MAJOR-VERSION" },
		{ IKE_N_INVALID_EXCHANGE_TYPE, "INVALID-EXCHANGE-TYPE" },
		{ IKE_N_INVALID_FLAGS, "INVALID-FLAGS" },
		{ IKE_N_INVALID_MESSAGE_ID, "INVALID-MESSAGE-ID" },
		{ IKE_N_INVALID_PROTOCOL_ID, "INVALID-PROTOCOL-ID" },
		{ IKE_N_INVALID_SPI, "INVALID-SPI" },
		{ IKE_N_INVALID_TRANSFORM_ID, "INVALID-TRANSFORM-ID" },
		{ IKE_N_ATTRIBUTES_NOT_SUPPORTED, "ATTRIBUTES-NOT-SUPPORTED" },
		{ IKE_N_NO_PROPOSAL_CHOSEN, "NO-PROPOSAL-CHOSEN" },
		{ IKE_N_BAD_PROPOSAL_SYNTAX, "BAD-PROPOSAL-SYNTAX" },
		{ IKE_N_PAYLOAD_MALFORMED, "PAYLOAD-MALFORMED" },
		{ IKE_N_INVALID_KEY_INFORMATION, "INVALID-KEY-INFORMATION" },
		{ IKE_N_INVALID_ID_INFORMATION, "INVALID-ID-INFORMATION" },
		{ IKE_N_INVALID_CERT_ENCODING, "INVALID-CERT-ENCODING" },
		{ IKE_N_INVALID_CERTIFICATE, "INVALID-CERTIFICATE" },
		{ IKE_N_CERT_TYPE_UNSUPPORTED, "CERT-TYPE-UNSUPPORTED" },
		{ IKE_N_INVALID_CERT_AUTHORITY, "INVALID-CERT-AUTHORITY" },
		{ IKE_N_INVALID_HASH_INFORMATION, "INVALID-HASH-INFORMATION" },
		{ IKE_N_AUTHENTICATION_FAILED, "AUTHENTICATION-FAILED" },
		{ IKE_N_INVALID_SIGNATURE, "INVALID-SIGNATURE" },
		{ IKE_N_ADDRESS_NOTIFICATION, "ADDRESS-NOTIFICATION" },
		{ IKE_N_NOTIFY_SA_LIFETIME, "NOTIFY-SA-LIFETIME" },
		{ IKE_N_CERTIFICATE_UNAVAILABLE, "CERTIFICATE-UNAVAILABLE" },
		{ IKE_N_UNSUPPORTED_EXCHANGE_TYPE, "UNSUPPORTED-EXCHANGE-TYPE" },
		{ IKE_N_UNEQUAL_PAYLOAD_LENGTHS, "UNEQUAL-PAYLOAD-LENGTHS" },
		{ IKE_N_CONNECTED, "CONNECTED" },
		{ IKE_N_RESPONDER_LIFETIME, "RESPONDER-LIFETIME" },
		{ IKE_N_REPLAY_STATUS, "REPLAY-STATUS" },
		{ IKE_N_INITIAL_CONTACT, "INITIAL-CONTACT" },
		{ IKE_N_DPD_R_U_THERE, "R-U-THERE" },
		{ IKE_N_DPD_R_U_THERE_ACK, "R-U-THERE-ACK" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].type == type)
			return names[i].name;
	snprintf(buf, buf_len, "notification %u", type);
	return buf;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>

#include "ike-payload-cert.h"

int ike_cert_parse(const struct pkt_reader *body, uint8_t payload_type, struct ike_cert *ret)
{
	struct pkt_reader r = *body;
	struct ike_cert cert;

	if (pkt_get_u8(&r, &cert.encoding))
		return -EBADMSG;
	pkt_get_rest(&r, &cert.data, &cert.len);
	if (payload_type == IKE_PAYLOAD_CERT && cert.len == 0)
		return -EBADMSG;
	*ret = cert;
	return 0;
}

int ike_cert_write(struct pkt_writer *w, struct ike_chain *c, uint8_t payload_type,
		   const struct ike_cert *cert)
{
	struct pkt_writer t = *w;
	struct ike_chain tc = *c;

	if (ike_payload_begin(&t, &tc, payload_type) || pkt_put_u8(&t, cert->encoding) ||
	    pkt_put_bytes(&t, cert->data, cert->len) || ike_payload_end(&t, &tc))
		return -EMSGSIZE;
	*w = t;
	*c = tc;
	return 0;
}

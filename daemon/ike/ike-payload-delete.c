/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>

#include "ike-payload-delete.h"
#include "ike-payload-sa.h"

int ike_delete_parse(const struct pkt_reader *body, struct ike_delete *ret)
{
	struct pkt_reader r = *body;
	struct ike_delete d;
	uint32_t doi;

	if (pkt_get_be32(&r, &doi) || doi != IKE_DOI_IPSEC || pkt_get_u8(&r, &d.protocol) ||
	    pkt_get_u8(&r, &d.spi_len) || pkt_get_be16(&r, &d.count))
		return -EBADMSG;
	/* ISAKMP: the two cookies; ESP/AH: a 4-byte SPI (RFC 2408 §3.15, RFC 2407 §4.6.3) */
	if (d.spi_len == 0 || d.spi_len > 16 || d.count == 0 || d.count > IKE_DELETE_MAX_SPIS ||
	    pkt_get_sub(&r, (size_t)d.count * d.spi_len, &d.spis) || pkt_remaining(&r) != 0)
		return -EBADMSG;
	*ret = d;
	return 0;
}

int ike_delete_next_spi(struct ike_delete *d, const uint8_t **ret_spi)
{
	return pkt_get_bytes(&d->spis, d->spi_len, ret_spi) == 0 ? 1 : 0;
}

int ike_delete_write(struct pkt_writer *w, struct ike_chain *c, uint8_t protocol,
		     const uint8_t *spi, uint8_t spi_len)
{
	struct pkt_writer t = *w;
	struct ike_chain tc = *c;

	if (ike_payload_begin(&t, &tc, IKE_PAYLOAD_DELETE) || pkt_put_be32(&t, IKE_DOI_IPSEC) ||
	    pkt_put_u8(&t, protocol) || pkt_put_u8(&t, spi_len) || pkt_put_be16(&t, 1) ||
	    pkt_put_bytes(&t, spi, spi_len) || ike_payload_end(&t, &tc))
		return -EMSGSIZE;
	*w = t;
	*c = tc;
	return 0;
}

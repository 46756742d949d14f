/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Delete payload (RFC 2408 §3.15): the ISAKMP SA by its cookie pair (SPI size 16), or
 * ESP SAs by their 4-byte SPIs.
 */
#pragma once

#include <stdint.h>

#include "core/pkt.h"
#include "ike-message.h"

#define IKE_DELETE_MAX_SPIS 16

struct ike_delete {
	uint8_t protocol;
	uint8_t spi_len;
	uint16_t count;
	struct pkt_reader spis; /* count * spi_len bytes */
};

int ike_delete_parse(const struct pkt_reader *body, struct ike_delete *ret);
/* The next SPI (spi_len bytes) as *ret_spi: 1 while there are more, 0 at the end. */
int ike_delete_next_spi(struct ike_delete *d, const uint8_t **ret_spi);
int ike_delete_write(struct pkt_writer *w, struct ike_chain *c, uint8_t protocol,
		     const uint8_t *spi, uint8_t spi_len);

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "core/pkt.h"
#include "esp-sa.h"
#include "esp-udp.h"

const char *esp_udp_kind_name(enum esp_udp_kind kind)
{
	switch (kind) {
	case ESP_UDP_INVALID:
		return "invalid";
	case ESP_UDP_KEEPALIVE:
		return "keepalive";
	case ESP_UDP_IKE:
		return "ike";
	case ESP_UDP_ESP:
		return "esp";
	}
	return "unknown";
}

enum esp_udp_kind esp_udp_classify(const uint8_t *data, size_t len)
{
	struct pkt_reader r;
	uint32_t first;
	uint8_t byte;

	pkt_reader_init(&r, data, len);
	if (len == 1) {
		if (pkt_peek_u8(&r, &byte) == 0 && byte == ESP_UDP_KEEPALIVE_BYTE)
			return ESP_UDP_KEEPALIVE;
		return ESP_UDP_INVALID;
	}
	if (pkt_peek_be32(&r, &first))
		return ESP_UDP_INVALID;
	if (first == 0) {
		if (len < ESP_UDP_NON_ESP_MARKER_LEN + ESP_UDP_MIN_IKE_LEN)
			return ESP_UDP_INVALID;
		return ESP_UDP_IKE;
	}
	if (len < ESP_MIN_PACKET_LEN)
		return ESP_UDP_INVALID;
	return ESP_UDP_ESP;
}

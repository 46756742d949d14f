/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a datagram on UDP port 4500 carries (RFC 3948 §2): behind a NAT, ESP and IKE share
 * the port and are told apart by their first bytes.
 *
 *   one byte 0xFF                  NAT-keepalive (§2.3): ignore it
 *   four zero bytes, then IKE      the non-ESP marker (§2.2): strip it, hand the rest to IKE
 *   anything else                  ESP (§2.1): the first four bytes are the SPI, never zero
 *
 * A datagram too short to be any of them is invalid and dropped.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define ESP_UDP_KEEPALIVE_BYTE 0xff
#define ESP_UDP_NON_ESP_MARKER_LEN 4
#define ESP_UDP_MIN_IKE_LEN 28 /* an ISAKMP header (RFC 2408 §3.1) */

enum esp_udp_kind {
	ESP_UDP_INVALID, /* too short for what its first bytes announce */
	ESP_UDP_KEEPALIVE,
	ESP_UDP_IKE, /* the IKE message starts ESP_UDP_NON_ESP_MARKER_LEN bytes in */
	ESP_UDP_ESP, /* at least ESP_MIN_PACKET_LEN bytes, non-zero SPI */
};

const char *esp_udp_kind_name(enum esp_udp_kind kind);
enum esp_udp_kind esp_udp_classify(const uint8_t *data, size_t len);

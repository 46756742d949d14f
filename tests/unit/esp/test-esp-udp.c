/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>
#include <glib.h>

#include "esp/esp-sa.h"
#include "esp/esp-udp.h"

/* RFC 3948 §2: what a datagram on UDP 4500 holds, by its first bytes and its length. */
static void test_classify(void)
{
	static const struct {
		const char *what;
		uint8_t first[4];
		size_t len;
		enum esp_udp_kind kind;
	} cases[] = {
		{ "empty", { 0 }, 0, ESP_UDP_INVALID },
		{ "keepalive 0xFF (§2.3)", { 0xff }, 1, ESP_UDP_KEEPALIVE },
		{ "one byte, not 0xFF", { 0x00 }, 1, ESP_UDP_INVALID },
		{ "one byte 0xFE", { 0xfe }, 1, ESP_UDP_INVALID },
		{ "two bytes 0xFF", { 0xff, 0xff }, 2, ESP_UDP_INVALID },
		{ "three bytes", { 1, 2, 3 }, 3, ESP_UDP_INVALID },
		{ "non-ESP marker alone", { 0, 0, 0, 0 }, 4, ESP_UDP_INVALID },
		{ "marker and a short IKE header", { 0, 0, 0, 0 }, 4 + 27, ESP_UDP_INVALID },
		{ "marker and an IKE header (§2.2)", { 0, 0, 0, 0 }, 4 + 28, ESP_UDP_IKE },
		{ "marker and an IKE message", { 0, 0, 0, 0 }, 300, ESP_UDP_IKE },
		{ "ESP, SPI 1", { 0, 0, 0, 1 }, ESP_MIN_PACKET_LEN, ESP_UDP_ESP },
		{ "ESP, too short", { 0, 0, 0, 1 }, ESP_MIN_PACKET_LEN - 1, ESP_UDP_INVALID },
		{ "ESP, SPI starting 0xFF", { 0xff, 0, 0, 0 }, 100, ESP_UDP_ESP },
		{ "ESP, large", { 0xc0, 0xff, 0xee, 0x01 }, 1500, ESP_UDP_ESP },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		/* an exact-size buffer: ASan sees any read past the datagram */
		uint8_t *buf = g_malloc0(cases[i].len ? cases[i].len : 1);

		memcpy(buf, cases[i].first, MIN(cases[i].len, sizeof(cases[i].first)));
		g_test_message("%s", cases[i].what);
		g_assert_cmpstr(esp_udp_kind_name(esp_udp_classify(buf, cases[i].len)), ==,
				esp_udp_kind_name(cases[i].kind));
		g_free(buf);
	}
}

/* Every prefix of an ESP datagram and of an IKE one: nothing valid below the minimum. */
static void test_truncated(void)
{
	uint8_t esp[64] = { 0x12, 0x34, 0x56, 0x78 }, ike[64] = { 0 };

	for (size_t n = 0; n <= sizeof(esp); n++) {
		uint8_t *a = g_memdup2(esp, n ? n : 1), *b = g_memdup2(ike, n ? n : 1);

		g_assert_cmpint(esp_udp_classify(a, n), ==,
				n >= ESP_MIN_PACKET_LEN ? ESP_UDP_ESP : ESP_UDP_INVALID);
		g_assert_cmpint(esp_udp_classify(b, n), ==,
				n >= 32 ? ESP_UDP_IKE : ESP_UDP_INVALID);
		g_free(a);
		g_free(b);
	}
}

static void test_names(void)
{
	g_assert_cmpstr(esp_udp_kind_name(ESP_UDP_INVALID), ==, "invalid");
	g_assert_cmpstr(esp_udp_kind_name(ESP_UDP_KEEPALIVE), ==, "keepalive");
	g_assert_cmpstr(esp_udp_kind_name(ESP_UDP_IKE), ==, "ike");
	g_assert_cmpstr(esp_udp_kind_name(ESP_UDP_ESP), ==, "esp");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/esp/udp/classify", test_classify);
	g_test_add_func("/esp/udp/truncated", test_truncated);
	g_test_add_func("/esp/udp/names", test_names);
	return g_test_run();
}

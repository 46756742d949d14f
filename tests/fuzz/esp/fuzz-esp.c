/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzzes ESP as roadied receives it. The first input byte picks a suite; the rest is:
 *   1. classified as a UDP 4500 datagram (RFC 3948) and handed to esp_sa_open() of an
 *      inbound SA with a fixed key (SPI 0x12345678): it must be dropped or, if it is
 *      authentic (a seed sealed with that key), give a payload inside the packet;
 *   2. sealed as a payload by the matching outbound SA and opened again: must succeed and
 *      give the same bytes back;
 *   3. sealed as a hand-made plaintext (padding, pad length and next header of its own,
 *      through the test seam) and opened: whatever the trailer says, no crash, and a
 *      success stays inside the packet.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto-prf.h"
#include "esp/esp-sa-private.h"
#include "esp/esp-sa.h"
#include "esp/esp-udp.h"

#define FUZZ_SPI 0x12345678u
#define FUZZ_MAX_PAYLOAD 2048

static const RoadieSuite fuzz_suites[] = {
	{ROADIE_ENCR_AES_CBC, 128, ROADIE_INTEG_SHA1, ROADIE_DH_NONE},
	{ROADIE_ENCR_AES_CBC, 256, ROADIE_INTEG_SHA2_256, ROADIE_DH_NONE},
	{ROADIE_ENCR_AES_CBC, 192, ROADIE_INTEG_SHA2_384, ROADIE_DH_NONE},
	{ROADIE_ENCR_AES_CBC, 256, ROADIE_INTEG_SHA2_512, ROADIE_DH_NONE},
	{ROADIE_ENCR_AES_CBC, 128, ROADIE_INTEG_MD5, ROADIE_DH_NONE},
	{ROADIE_ENCR_3DES, 192, ROADIE_INTEG_SHA1, ROADIE_DH_NONE},
	{ROADIE_ENCR_AES_GCM_16, 128, ROADIE_INTEG_NONE, ROADIE_DH_NONE},
	{ROADIE_ENCR_AES_GCM_16, 256, ROADIE_INTEG_NONE, ROADIE_DH_NONE},
};

static struct esp_sa *fuzz_sa(const RoadieSuite *s, bool outbound)
{
	uint8_t key[128];
	struct esp_sa_config c = {
		.spi = FUZZ_SPI,
		.suite = *s,
		.key = key,
		.enc_key_len = roadie_suite_enc_key_len(s),
		.integ_key_len = crypto_prf_len(s->integ),
		.life_kilobytes = 1,
	};

	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 37 + 11);
	return esp_sa_new(&c, outbound);
}

static void fuzz_open(const RoadieSuite *s, const uint8_t *data, size_t size)
{
	struct esp_sa *in = fuzz_sa(s, false);
	uint8_t *copy = malloc(size ? size : 1); /* exact size: ASan sees reads past the end */
	size_t off = 0, len = 0;
	uint8_t nh = 0;

	if (!in || !copy)
		abort();
	if (size)
		memcpy(copy, data, size);
	(void)esp_udp_classify(copy, size);
	(void)esp_peek_spi(copy, size);
	if (esp_sa_open(in, copy, size, &off, &len, &nh) == 0 && (off > size || len > size - off))
		abort();
	/* the same bytes again: a replay at best */
	if (size)
		memcpy(copy, data, size);
	if (esp_sa_open(in, copy, size, &off, &len, &nh) == 0)
		abort();
	(void)esp_sa_soft_expired(in);
	free(copy);
	esp_sa_free(in);
}

static void fuzz_roundtrip(const RoadieSuite *s, const uint8_t *data, size_t size)
{
	struct esp_sa *out = fuzz_sa(s, true), *in = fuzz_sa(s, false);
	size_t cap = ESP_MAX_HEADROOM + size + ESP_MAX_TAILROOM, off = 0, len = 0;
	uint8_t *buf = malloc(cap), iv[ESP_MAX_IV_LEN] = {0};
	struct pkt_writer w;
	uint8_t nh = 0;

	if (!out || !in || !buf)
		abort();
	memcpy(iv, data, size < sizeof(iv) ? size : sizeof(iv));
	if (pkt_writer_init(&w, buf, cap, ESP_MAX_HEADROOM) || pkt_put_bytes(&w, data, size) ||
	    esp_sa_seal(out, &w, 17, iv))
		abort();
	if (esp_sa_open(in, pkt_writer_data(&w), pkt_writer_len(&w), &off, &len, &nh) != 0 ||
	    len != size || nh != 17 || (size && memcmp(pkt_writer_data(&w) + off, data, size)))
		abort();
	free(buf);
	esp_sa_free(out);
	esp_sa_free(in);
}

static void fuzz_trailer(const RoadieSuite *s, const uint8_t *data, size_t size)
{
	struct esp_sa *out = fuzz_sa(s, true), *in = fuzz_sa(s, false);
	size_t cap = ESP_MAX_HEADROOM + size + ESP_MAX_TAILROOM, off = 0, len = 0;
	uint8_t *buf = malloc(cap), iv[ESP_MAX_IV_LEN] = {0};
	struct esp_seal_params params = {.seq = 1, .iv = iv, .raw_trailer = true};
	struct pkt_writer w;
	uint8_t nh = 0;
	int err;

	if (!out || !in || !buf)
		abort();
	if (pkt_writer_init(&w, buf, cap, ESP_MAX_HEADROOM) || pkt_put_bytes(&w, data, size))
		abort();
	/* refused when not whole blocks or shorter than a trailer */
	if (esp_sa_seal_with(out, &w, 0, &params) == 0) {
		err = esp_sa_open(in, pkt_writer_data(&w), pkt_writer_len(&w), &off, &len, &nh);
		if (err == 0 && (len > size || off + len > pkt_writer_len(&w)))
			abort();
		/* authentic: only the trailer can make it fail */
		if (err != 0 && err != -EBADMSG && err != -ENODATA)
			abort();
	}
	free(buf);
	esp_sa_free(out);
	esp_sa_free(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const RoadieSuite *s;

	if (size < 1)
		return 0;
	s = &fuzz_suites[data[0] % (sizeof(fuzz_suites) / sizeof(fuzz_suites[0]))];
	data++;
	size--;
	fuzz_open(s, data, size);
	if (size > FUZZ_MAX_PAYLOAD)
		size = FUZZ_MAX_PAYLOAD;
	fuzz_roundtrip(s, data, size);
	fuzz_trailer(s, data, size);
	return 0;
}

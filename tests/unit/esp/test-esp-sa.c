/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>
#include <glib.h>

#include "crypto/crypto-prf.h"
#include "esp/esp-sa-private.h"
#include "esp/esp-sa.h"

static GBytes *hex(const char *text)
{
	GByteArray *out = g_byte_array_new();

	for (const char *p = text; *p;) {
		uint8_t b;

		if (g_ascii_isspace(*p)) {
			p++;
			continue;
		}
		g_assert_true(g_ascii_isxdigit(p[0]) && g_ascii_isxdigit(p[1]));
		b = (uint8_t)(g_ascii_xdigit_value(p[0]) << 4 | g_ascii_xdigit_value(p[1]));
		g_byte_array_append(out, &b, 1);
		p += 2;
	}
	return g_byte_array_free_to_bytes(out);
}

static const uint8_t *bytes_of(GBytes *b, size_t *ret_len)
{
	gsize len;
	const uint8_t *data = g_bytes_get_data(b, &len);

	*ret_len = len;
	return data;
}

/* ---- suites and key material ---- */

static const RoadieSuite all_suites[] = {
	{ ROADIE_ENCR_AES_CBC, 128, ROADIE_INTEG_SHA1, ROADIE_DH_NONE },
	{ ROADIE_ENCR_AES_CBC, 128, ROADIE_INTEG_SHA2_256, ROADIE_DH_NONE },
	{ ROADIE_ENCR_AES_CBC, 128, ROADIE_INTEG_SHA2_384, ROADIE_DH_NONE },
	{ ROADIE_ENCR_AES_CBC, 128, ROADIE_INTEG_SHA2_512, ROADIE_DH_NONE },
	{ ROADIE_ENCR_AES_CBC, 192, ROADIE_INTEG_SHA1, ROADIE_DH_NONE },
	{ ROADIE_ENCR_AES_CBC, 192, ROADIE_INTEG_SHA2_256, ROADIE_DH_NONE },
	{ ROADIE_ENCR_AES_CBC, 192, ROADIE_INTEG_SHA2_384, ROADIE_DH_NONE },
	{ ROADIE_ENCR_AES_CBC, 192, ROADIE_INTEG_SHA2_512, ROADIE_DH_NONE },
	{ ROADIE_ENCR_AES_CBC, 256, ROADIE_INTEG_SHA1, ROADIE_DH_NONE },
	{ ROADIE_ENCR_AES_CBC, 256, ROADIE_INTEG_SHA2_256, ROADIE_DH_NONE },
	{ ROADIE_ENCR_AES_CBC, 256, ROADIE_INTEG_SHA2_384, ROADIE_DH_NONE },
	{ ROADIE_ENCR_AES_CBC, 256, ROADIE_INTEG_SHA2_512, ROADIE_DH_NONE },
	{ ROADIE_ENCR_AES_CBC, 128, ROADIE_INTEG_MD5, ROADIE_DH_NONE },
	{ ROADIE_ENCR_3DES, 192, ROADIE_INTEG_SHA1, ROADIE_DH_NONE },
	{ ROADIE_ENCR_AES_GCM_16, 128, ROADIE_INTEG_NONE, ROADIE_DH_NONE },
	{ ROADIE_ENCR_AES_GCM_16, 256, ROADIE_INTEG_NONE, ROADIE_DH_NONE },
};

#define TEST_SPI 0xc0ffee01u

static char *suite_name(const RoadieSuite *s)
{
	return roadie_suite_to_string(ROADIE_PROPOSAL_ESP, s);
}

/* Both ends of one SA: the same key material, as KEYMAT gives it to both peers. */
struct sa_pair {
	struct esp_sa *out;
	struct esp_sa *in;
};

static void pair_new(struct sa_pair *p, const RoadieSuite *s, uint64_t life_kilobytes)
{
	uint8_t key[128];
	struct esp_sa_config c = {
		.spi = TEST_SPI,
		.suite = *s,
		.key = key,
		.enc_key_len = roadie_suite_enc_key_len(s),
		.integ_key_len = crypto_prf_len(s->integ),
		.life_kilobytes = life_kilobytes,
	};

	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(0x5a ^ i * 29);
	p->out = esp_sa_new(&c, true);
	p->in = esp_sa_new(&c, false);
	g_assert_nonnull(p->out);
	g_assert_nonnull(p->in);
}

static void pair_free(struct sa_pair *p)
{
	p->out = esp_sa_free(p->out);
	p->in = esp_sa_free(p->in);
}

static void fill_iv(uint8_t *iv, size_t len, unsigned n)
{
	for (size_t i = 0; i < len; i++)
		iv[i] = (uint8_t)(n * 31 + i * 7 + 1);
}

/* Seals @len bytes of a pattern into @buf (cap bytes, the payload ESP_MAX_HEADROOM in);
 * returns the packet's offset in @buf and its length. */
static void seal_pattern(struct esp_sa *out, uint8_t *buf, size_t cap, size_t len, unsigned n,
			 size_t *ret_off, size_t *ret_len)
{
	uint8_t iv[ESP_MAX_IV_LEN];
	struct pkt_writer w;

	g_assert_cmpint(pkt_writer_init(&w, buf, cap, ESP_MAX_HEADROOM), ==, 0);
	for (size_t i = 0; i < len; i++)
		g_assert_cmpint(pkt_put_u8(&w, (uint8_t)(i * 13 + n)), ==, 0);
	fill_iv(iv, sizeof(iv), n);
	g_assert_cmpint(esp_sa_seal(out, &w, 17, iv), ==, 0);
	*ret_off = pkt_writer_headroom(&w);
	*ret_len = pkt_writer_len(&w);
}

static uint64_t total_drops(const struct esp_sa *sa)
{
	uint64_t n = 0;

	for (int i = 0; i < ESP_DROP_COUNT; i++)
		n += esp_sa_stats(sa)->drops[i];
	return n;
}

/* ---- published vectors ---- */

/*
 * AES-GCM ESP packets of draft-mcgrew-gcm-test-01 §4 (McGrew, "Test Cases for the use of
 * GCM and GMAC in IPsec ESP", 2009): the cases with 32-bit sequence numbers and a non-zero
 * SPI. Key = AES key, then the 4-byte salt. The plaintext ends with the ESP trailer.
 */
static const struct {
	const char *source;
	unsigned key_bits;
	const char *key;
	uint32_t spi;
	uint32_t seq;
	const char *iv;
	const char *plaintext;
	const char *packet;
} gcm_vectors[] = {
	{ "draft-mcgrew-gcm-test-01 §4 test case #2 (AES-128)", 128,
	  "feffe9928665731c6d6a8f9467308308 cafebabe", 0x0000a5f8, 0x0000000a, "facedbaddecaf888",
	  "4500003e698f000080114dccc0a80102 c0a801010a980035002a2343b2d00100"
	  "00010000000000000373697009637962 65726369747902646b00000100010001",
	  "0000a5f80000000afacedbaddecaf888 deb22cd9b07c72c16e3a65beeb8df304"
	  "a5a5897d33ae530f1ba76d5d114d2a5c 3de81827c10e9a4f51330d0eec416642"
	  "cfbb85a5b47e48a4ec3b9ba95d918bd1 83b70d3aa8bc6ee4c309e9d85a41ad4a" },
	{ "draft-mcgrew-gcm-test-01 §4 test case #3 (AES-256)", 256,
	  "abbccddef00112233445566778899aab abbccddef00112233445566778899aab 11223344",
	  0x4a2cbfe3, 0x00000002, "0102030405060708",
	  "4500003069a6400080062690c0a80102 9389155e0a9e008b2dc57ee000000000"
	  "7002400020bf0000020405b401010402 01020201",
	  "4a2cbfe3000000020102030405060708 ff425c9b724599df7a3bcd510194e00d"
	  "6a78107f1b0b1cbf06efae9d65a5d763 748a637985771d347f0545659f14e99d"
	  "ef842d8eb335f4eecfdbf831824b4c49 15956c96" },
	{ "draft-mcgrew-gcm-test-01 §4 test case #7 (AES-192)", 192,
	  "feffe9928665731c6d6a8f9467308308 feffe9928665731c cafebabe", 0x0000a5f8, 0x0000000a,
	  "facedbaddecaf888",
	  "45000028a4ad4000400678800a01038f 0a010612802306b8cb712602dd6bb03e 501016d075680001",
	  "0000a5f80000000afacedbaddecaf888 a5b1f8066029aea40e598b8122de0242"
	  "0938b3ab33f828e687b8858b5bfbdbd0 315b27452144cc7795457b9652037f53 18027b5b4cd7a636" },
	{ "draft-mcgrew-gcm-test-01 §4 test case #12 (AES-128, sequence number 2^32-1)", 128,
	  "7d773d00c144c525ac619d18c84a3f47 d9664267", 0x335467ae, 0xffffffff, "43457e9182443bc6",
	  "01020201",
	  "335467aeffffffff43457e9182443bc6 437f866bcb3f699fe9b0822bac961c45 04bef270" },
};

static void test_gcm_vectors(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(gcm_vectors); i++) {
		g_autoptr(GBytes) key = hex(gcm_vectors[i].key);
		g_autoptr(GBytes) iv = hex(gcm_vectors[i].iv);
		g_autoptr(GBytes) plain = hex(gcm_vectors[i].plaintext);
		g_autoptr(GBytes) packet = hex(gcm_vectors[i].packet);
		size_t key_len, iv_len, plain_len, packet_len, off, len;
		const uint8_t *k = bytes_of(key, &key_len), *p = bytes_of(plain, &plain_len);
		const uint8_t *pk = bytes_of(packet, &packet_len), *v = bytes_of(iv, &iv_len);
		struct esp_sa_config c = {
			.spi = gcm_vectors[i].spi,
			.suite = { ROADIE_ENCR_AES_GCM_16, (uint16_t)gcm_vectors[i].key_bits,
				   ROADIE_INTEG_NONE, ROADIE_DH_NONE },
			.key = k,
			.enc_key_len = key_len,
		};
		struct esp_sa *in = esp_sa_new(&c, false), *out = esp_sa_new(&c, true);
		uint8_t buf[256];
		struct pkt_writer w;
		struct esp_seal_params params = { .seq = gcm_vectors[i].seq, .iv = v };
		uint8_t nh;

		g_test_message("%s", gcm_vectors[i].source);
		g_assert_nonnull(in);
		g_assert_nonnull(out);
		g_assert_cmpuint(esp_peek_spi(pk, packet_len), ==, gcm_vectors[i].spi);

		/* open the published packet */
		memcpy(buf, pk, packet_len);
		g_assert_cmpint(esp_sa_open(in, buf, packet_len, &off, &len, &nh), ==, 0);
		g_assert_cmpuint(off, ==, 16);
		g_assert_cmpuint(nh, ==, p[plain_len - 1]);
		g_assert_cmpuint(len, ==, plain_len - 2 - p[plain_len - 2]);
		g_assert_cmpmem(buf + off, len, p, len);
		/* a second time: a replay */
		memcpy(buf, pk, packet_len);
		g_assert_cmpint(esp_sa_open(in, buf, packet_len, &off, &len, &nh), ==, -EALREADY);

		/* seal the payload with the vector's sequence number and IV: the same bytes */
		g_assert_cmpint(pkt_writer_init(&w, buf, sizeof(buf), ESP_MAX_HEADROOM), ==, 0);
		g_assert_cmpint(pkt_put_bytes(&w, p, plain_len - 2 - p[plain_len - 2]), ==, 0);
		g_assert_cmpint(esp_sa_seal_with(out, &w, p[plain_len - 1], &params), ==, 0);
		g_assert_cmpmem(pkt_writer_data(&w), pkt_writer_len(&w), pk, packet_len);

		esp_sa_free(in);
		esp_sa_free(out);
	}
}

/* The draft's case #4 uses SPI 0, which is reserved (RFC 4303 §2.1): an SA refuses it. */
static void test_gcm_spi_zero_refused(void)
{
	uint8_t key[20] = { 0 };
	struct esp_sa_config c = {
		.spi = 0,
		.suite = { ROADIE_ENCR_AES_GCM_16, 128, ROADIE_INTEG_NONE, ROADIE_DH_NONE },
		.key = key,
		.enc_key_len = sizeof(key),
	};
	struct esp_sa *sa;

	g_assert_null(esp_sa_new(&c, false));
	c.spi = 1;
	sa = esp_sa_new(&c, false);
	g_assert_nonnull(sa);
	esp_sa_free(sa);
}

/* HMAC-SHA-1-96 (RFC 2404 §2) and HMAC-MD5-96 (RFC 2403 §2): the test cases of RFC 2202 §3
 * and §2, first 96 bits; HMAC-SHA-256-128/384-192/512-256 (RFC 4868 §2.6): RFC 4231 §4,
 * truncated as RFC 4868 §2.7 describes. All through esp_icv_compute(), the function seal and
 * open use. */
struct icv_case {
	const char *source;
	RoadieInteg integ;
	const char *key;   /* hex */
	const char *data;  /* hex */
	const char *mac;   /* hex, the published (possibly already truncated) HMAC */
};

#define HEX_HI_THERE "4869205468657265"
#define HEX_JEFE "4a656665"
#define HEX_WHAT "7768617420646f2079612077616e7420666f72206e6f7468696e673f"
#define HEX_0B20 "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"
#define HEX_AA20 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HEX_DD50                                                                             \
	"dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"   \
	"dddddddddddddddddddd"
#define HEX_KEY25 "0102030405060708090a0b0c0d0e0f10111213141516171819"
#define HEX_CD50                                                                             \
	"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"   \
	"cdcdcdcdcdcdcdcdcdcd"
#define HEX_0C20 "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c"
#define HEX_TRUNC "546573742057697468205472756e636174696f6e" /* "Test With Truncation" */

static const struct icv_case icv_cases[] = {
	{ "RFC 2202 §3 case 1", ROADIE_INTEG_SHA1, HEX_0B20, HEX_HI_THERE,
	  "b617318655057264e28bc0b6fb378c8ef146be00" },
	{ "RFC 2202 §3 case 2", ROADIE_INTEG_SHA1, HEX_JEFE, HEX_WHAT,
	  "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
	{ "RFC 2202 §3 case 3", ROADIE_INTEG_SHA1, HEX_AA20, HEX_DD50,
	  "125d7342b9ac11cd91a39af48aa17b4f63f175d3" },
	{ "RFC 2202 §3 case 4", ROADIE_INTEG_SHA1, HEX_KEY25, HEX_CD50,
	  "4c9007f4026250c6bc8414f9bf50c86c2d7235da" },
	{ "RFC 2202 §3 case 5 (digest-96)", ROADIE_INTEG_SHA1, HEX_0C20, HEX_TRUNC,
	  "4c1a03424b55e07fe7f27be1" },
	{ "RFC 2202 §2 case 1", ROADIE_INTEG_MD5, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", HEX_HI_THERE,
	  "9294727a3638bb1c13f48ef8158bfc9d" },
	{ "RFC 2202 §2 case 2", ROADIE_INTEG_MD5, HEX_JEFE, HEX_WHAT,
	  "750c783e6ab0b503eaa86e310a5db738" },
	{ "RFC 4231 §4.2 case 1", ROADIE_INTEG_SHA2_256, HEX_0B20, HEX_HI_THERE,
	  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
	{ "RFC 4231 §4.2 case 1", ROADIE_INTEG_SHA2_384, HEX_0B20, HEX_HI_THERE,
	  "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
	  "faea9ea9076ede7f4af152e8b2fa9cb6" },
	{ "RFC 4231 §4.2 case 1", ROADIE_INTEG_SHA2_512, HEX_0B20, HEX_HI_THERE,
	  "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
	  "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" },
	{ "RFC 4231 §4.3 case 2", ROADIE_INTEG_SHA2_256, HEX_JEFE, HEX_WHAT,
	  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	{ "RFC 4231 §4.3 case 2", ROADIE_INTEG_SHA2_384, HEX_JEFE, HEX_WHAT,
	  "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
	  "8e2240ca5e69e2c78b3239ecfab21649" },
	{ "RFC 4231 §4.3 case 2", ROADIE_INTEG_SHA2_512, HEX_JEFE, HEX_WHAT,
	  "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
	  "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
	{ "RFC 4231 §4.4 case 3", ROADIE_INTEG_SHA2_256, HEX_AA20, HEX_DD50,
	  "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
	{ "RFC 4231 §4.4 case 3", ROADIE_INTEG_SHA2_384, HEX_AA20, HEX_DD50,
	  "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
	  "2a5ab39dc13814b94e3ab6e101a34f27" },
	{ "RFC 4231 §4.4 case 3", ROADIE_INTEG_SHA2_512, HEX_AA20, HEX_DD50,
	  "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
	  "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb" },
	{ "RFC 4231 §4.5 case 4", ROADIE_INTEG_SHA2_256, HEX_KEY25, HEX_CD50,
	  "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
	{ "RFC 4231 §4.5 case 4", ROADIE_INTEG_SHA2_384, HEX_KEY25, HEX_CD50,
	  "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
	  "6801dd23c4a7d679ccf8a386c674cffb" },
	{ "RFC 4231 §4.5 case 4", ROADIE_INTEG_SHA2_512, HEX_KEY25, HEX_CD50,
	  "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
	  "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd" },
	/* case 5: the RFC publishes only the first 128 bits */
	{ "RFC 4231 §4.6 case 5 (128 bits)", ROADIE_INTEG_SHA2_256, HEX_0C20, HEX_TRUNC,
	  "a3b6167473100ee06e0c796c2955552b" },
	{ "RFC 4231 §4.6 case 5 (128 bits)", ROADIE_INTEG_SHA2_384, HEX_0C20, HEX_TRUNC,
	  "3abf34c3503b2a23a46efc619baef897" },
	{ "RFC 4231 §4.6 case 5 (128 bits)", ROADIE_INTEG_SHA2_512, HEX_0C20, HEX_TRUNC,
	  "415fad6271580a531d4179bc891d87a6" },
};

static char *repeat_hex(const char *byte, size_t n)
{
	GString *s = g_string_new(NULL);

	for (size_t i = 0; i < n; i++)
		g_string_append(s, byte);
	return g_string_free(s, FALSE);
}

static void check_icv(const char *source, RoadieInteg integ, GBytes *key, GBytes *data,
		      GBytes *mac)
{
	size_t key_len, data_len, mac_len, icv_len = esp_icv_len(integ);
	const uint8_t *k = bytes_of(key, &key_len), *d = bytes_of(data, &data_len);
	const uint8_t *m = bytes_of(mac, &mac_len);
	crypto_prf *prf = crypto_prf_new(integ, k, key_len);
	uint8_t out[ESP_MAX_ICV_LEN + 1];
	size_t cmp = MIN(icv_len, mac_len);

	g_test_message("%s, %zu-byte ICV", source, icv_len);
	g_assert_nonnull(prf);
	memset(out, 0xee, sizeof(out));
	g_assert_cmpint(esp_icv_compute(prf, icv_len, d, data_len, out), ==, 0);
	g_assert_cmpmem(out, cmp, m, cmp);
	g_assert_cmpuint(out[icv_len], ==, 0xee); /* nothing past the ICV */
	/* again on the same context: the key survives */
	g_assert_cmpint(esp_icv_compute(prf, icv_len, d, data_len, out), ==, 0);
	g_assert_cmpmem(out, cmp, m, cmp);
	crypto_prf_free(prf);
}

static void test_icv_vectors(void)
{
	g_assert_cmpuint(esp_icv_len(ROADIE_INTEG_SHA1), ==, 12);
	g_assert_cmpuint(esp_icv_len(ROADIE_INTEG_MD5), ==, 12);
	g_assert_cmpuint(esp_icv_len(ROADIE_INTEG_SHA2_256), ==, 16);
	g_assert_cmpuint(esp_icv_len(ROADIE_INTEG_SHA2_384), ==, 24);
	g_assert_cmpuint(esp_icv_len(ROADIE_INTEG_SHA2_512), ==, 32);
	for (size_t i = 0; i < G_N_ELEMENTS(icv_cases); i++) {
		g_autoptr(GBytes) key = hex(icv_cases[i].key);
		g_autoptr(GBytes) data = hex(icv_cases[i].data);
		g_autoptr(GBytes) mac = hex(icv_cases[i].mac);

		check_icv(icv_cases[i].source, icv_cases[i].integ, key, data, mac);
	}
}

/* The cases with keys longer than a hash block (RFC 2202 §3 cases 6, 7: 80 bytes of 0xaa;
 * RFC 4231 §4.7, §4.8 cases 6, 7: 131 bytes of 0xaa). */
static void test_icv_long_keys(void)
{
	static const struct {
		const char *source;
		RoadieInteg integ;
		size_t key_len;
		const char *data;
		const char *mac;
	} cases[] = {
		{ "RFC 2202 §3 case 6", ROADIE_INTEG_SHA1, 80,
		  "Test Using Larger Than Block-Size Key - Hash Key First",
		  "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
		{ "RFC 2202 §3 case 7", ROADIE_INTEG_SHA1, 80,
		  "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data",
		  "e8e99d0f45237d786d6bbaa7965c7808bbff1a91" },
		{ "RFC 4231 §4.7 case 6", ROADIE_INTEG_SHA2_256, 131,
		  "Test Using Larger Than Block-Size Key - Hash Key First",
		  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
		{ "RFC 4231 §4.7 case 6", ROADIE_INTEG_SHA2_384, 131,
		  "Test Using Larger Than Block-Size Key - Hash Key First",
		  "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
		  "0c2ef6ab4030fe8296248df163f44952" },
		{ "RFC 4231 §4.7 case 6", ROADIE_INTEG_SHA2_512, 131,
		  "Test Using Larger Than Block-Size Key - Hash Key First",
		  "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
		  "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" },
		{ "RFC 4231 §4.8 case 7", ROADIE_INTEG_SHA2_256, 131,
		  "This is a test using a larger than block-size key and a larger than block-size "
		  "data. The key needs to be hashed before being used by the HMAC algorithm.",
		  "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
		{ "RFC 4231 §4.8 case 7", ROADIE_INTEG_SHA2_384, 131,
		  "This is a test using a larger than block-size key and a larger than block-size "
		  "data. The key needs to be hashed before being used by the HMAC algorithm.",
		  "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
		  "a678cc31e799176d3860e6110c46523e" },
		{ "RFC 4231 §4.8 case 7", ROADIE_INTEG_SHA2_512, 131,
		  "This is a test using a larger than block-size key and a larger than block-size "
		  "data. The key needs to be hashed before being used by the HMAC algorithm.",
		  "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
		  "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *key_hex = repeat_hex("aa", cases[i].key_len);
		g_autoptr(GBytes) key = hex(key_hex);
		g_autoptr(GBytes) data = g_bytes_new(cases[i].data, strlen(cases[i].data));
		g_autoptr(GBytes) mac = hex(cases[i].mac);

		check_icv(cases[i].source, cases[i].integ, key, data, mac);
	}
}

/* ---- round trips ---- */

static void test_roundtrip(void)
{
	const size_t max = 1500;
	size_t cap = ESP_MAX_HEADROOM + max + ESP_MAX_TAILROOM;
	uint8_t *buf = g_malloc(cap); /* exact: ASan sees any write past the tailroom */

	for (size_t s = 0; s < G_N_ELEMENTS(all_suites); s++) {
		g_autofree char *name = suite_name(&all_suites[s]);
		struct sa_pair p;
		uint64_t bytes = 0;

		g_test_message("%s", name);
		pair_new(&p, &all_suites[s], 0);
		g_assert_cmpuint(esp_sa_headroom(p.out), <=, ESP_MAX_HEADROOM);
		g_assert_cmpuint(esp_sa_tailroom(p.out), <=, ESP_MAX_TAILROOM);
		for (size_t len = 0; len <= max; len++) {
			size_t off, plen, poff, paylen, ct_len;
			size_t align = all_suites[s].encr == ROADIE_ENCR_AES_GCM_16 ? 4 :
				       all_suites[s].encr == ROADIE_ENCR_3DES ? 8 : 16;
			uint8_t nh = 0;

			seal_pattern(p.out, buf, cap, len, (unsigned)len, &off, &plen);
			g_assert_cmpuint(off + plen, <=, cap);
			/* the SPI, the sequence number, minimal padding */
			g_assert_cmpuint(esp_peek_spi(buf + off, plen), ==, TEST_SPI);
			g_assert_cmpuint(buf[off + 7] | buf[off + 6] << 8, ==, (len + 1) & 0xffff);
			g_assert_cmpuint(off + esp_sa_headroom(p.out), ==, ESP_MAX_HEADROOM);
			/* tailroom = align - 1 + 2 + ICV */
			ct_len = plen - esp_sa_headroom(p.out) - (esp_sa_tailroom(p.out) - align - 1);
			g_assert_cmpuint(ct_len % align, ==, 0);
			g_assert_cmpuint(ct_len, >=, len + 2);
			g_assert_cmpuint(ct_len, <, len + 2 + align);

			g_assert_cmpint(esp_sa_open(p.in, buf + off, plen, &poff, &paylen, &nh), ==, 0);
			g_assert_cmpuint(poff, ==, esp_sa_headroom(p.out));
			g_assert_cmpuint(paylen, ==, len);
			g_assert_cmpuint(nh, ==, 17);
			for (size_t i = 0; i < len; i++)
				g_assert_cmpuint(buf[off + poff + i], ==, (uint8_t)(i * 13 + len));
			bytes += len;
		}
		g_assert_cmpuint(esp_sa_stats(p.out)->packets, ==, max + 1);
		g_assert_cmpuint(esp_sa_stats(p.in)->packets, ==, max + 1);
		g_assert_cmpuint(esp_sa_stats(p.out)->bytes, ==, bytes);
		g_assert_cmpuint(esp_sa_stats(p.in)->bytes, ==, bytes);
		g_assert_cmpuint(total_drops(p.in), ==, 0);
		pair_free(&p);
	}
	g_free(buf);
}

/* GCM's explicit IV is the packet counter; CBC's is the caller's. */
static void test_iv(void)
{
	static const RoadieSuite gcm = { ROADIE_ENCR_AES_GCM_16, 128, ROADIE_INTEG_NONE, 0 };
	static const RoadieSuite cbc = { ROADIE_ENCR_AES_CBC, 128, ROADIE_INTEG_SHA1, 0 };
	uint8_t buf[256], iv[16];
	struct sa_pair p;
	size_t off, len;

	pair_new(&p, &gcm, 0);
	for (unsigned n = 1; n <= 3; n++) {
		static const uint8_t zeros[7];

		seal_pattern(p.out, buf, sizeof(buf), 20, n, &off, &len);
		g_assert_cmpmem(buf + off + 8, 7, zeros, 7);
		g_assert_cmpuint(buf[off + 15], ==, n);
	}
	pair_free(&p);

	pair_new(&p, &cbc, 0);
	seal_pattern(p.out, buf, sizeof(buf), 20, 9, &off, &len);
	fill_iv(iv, sizeof(iv), 9);
	g_assert_cmpmem(buf + off + 8, 16, iv, 16);
	pair_free(&p);
}

/* ---- hostile input ---- */

static const RoadieSuite hostile_suites[] = {
	{ ROADIE_ENCR_AES_CBC, 128, ROADIE_INTEG_SHA1, 0 },
	{ ROADIE_ENCR_AES_CBC, 256, ROADIE_INTEG_SHA2_512, 0 },
	{ ROADIE_ENCR_3DES, 192, ROADIE_INTEG_SHA1, 0 },
	{ ROADIE_ENCR_AES_GCM_16, 128, ROADIE_INTEG_NONE, 0 },
	{ ROADIE_ENCR_AES_GCM_16, 256, ROADIE_INTEG_NONE, 0 },
};

/* Flipping any one byte drops the packet and leaves the window as it was: the original is
 * still accepted afterwards. */
static void test_tamper(void)
{
	for (size_t s = 0; s < G_N_ELEMENTS(hostile_suites); s++) {
		uint8_t buf[512], packet[512], copy[512];
		size_t off, len, poff, plen;
		struct sa_pair p;
		uint8_t nh;
		uint64_t flips = 0;

		pair_new(&p, &hostile_suites[s], 0);
		seal_pattern(p.out, buf, sizeof(buf), 77, 1, &off, &len);
		memcpy(packet, buf + off, len);
		for (size_t i = 0; i < len; i++) {
			static const uint8_t masks[] = { 0x01, 0x80, 0xff };

			for (size_t m = 0; m < G_N_ELEMENTS(masks); m++) {
				memcpy(copy, packet, len);
				copy[i] ^= masks[m];
				g_assert_cmpint(esp_sa_open(p.in, copy, len, &poff, &plen, &nh), !=, 0);
				flips++;
			}
		}
		g_assert_cmpuint(total_drops(p.in), ==, flips);
		g_assert_cmpuint(esp_sa_stats(p.in)->drops[ESP_DROP_WRONG_SPI], ==, 4 * 3);
		g_assert_cmpuint(esp_sa_stats(p.in)->drops[ESP_DROP_ICV] +
					 esp_sa_stats(p.in)->drops[ESP_DROP_REPLAY],
				 ==, flips - 4 * 3);
		g_assert_cmpuint(esp_sa_stats(p.in)->packets, ==, 0);
		g_assert_cmpuint(esp_sa_stats(p.in)->bytes, ==, 0);
		g_assert_false(esp_sa_soft_expired(p.in));

		memcpy(copy, packet, len);
		g_assert_cmpint(esp_sa_open(p.in, copy, len, &poff, &plen, &nh), ==, 0);
		g_assert_cmpuint(plen, ==, 77);
		pair_free(&p);
	}
}

static void test_replay(void)
{
	for (size_t s = 0; s < G_N_ELEMENTS(hostile_suites); s++) {
		uint8_t bufs[3][256], copy[256];
		size_t off[3], len[3], poff, plen;
		struct sa_pair p;
		uint8_t nh;

		pair_new(&p, &hostile_suites[s], 0);
		for (int i = 0; i < 3; i++)
			seal_pattern(p.out, bufs[i], sizeof(bufs[i]), 40, (unsigned)i, &off[i], &len[i]);
		/* out of order, then the same packets again */
		static const int order[] = { 2, 0, 1 };
		for (int k = 0; k < 3; k++) {
			int i = order[k];

			memcpy(copy, bufs[i] + off[i], len[i]);
			g_assert_cmpint(esp_sa_open(p.in, copy, len[i], &poff, &plen, &nh), ==, 0);
		}
		for (int i = 0; i < 3; i++) {
			memcpy(copy, bufs[i] + off[i], len[i]);
			g_assert_cmpint(esp_sa_open(p.in, copy, len[i], &poff, &plen, &nh), ==,
					-EALREADY);
		}
		g_assert_cmpuint(esp_sa_stats(p.in)->drops[ESP_DROP_REPLAY], ==, 3);
		g_assert_cmpuint(esp_sa_stats(p.in)->packets, ==, 3);
		pair_free(&p);
	}
}

static void test_wrong_spi(void)
{
	static const RoadieSuite s = { ROADIE_ENCR_AES_CBC, 128, ROADIE_INTEG_SHA1, 0 };
	uint8_t key[36] = { 0 }, buf[256];
	struct esp_sa_config c = {
		.spi = TEST_SPI + 1,
		.suite = s,
		.key = key,
		.enc_key_len = 16,
		.integ_key_len = 20,
	};
	struct esp_sa *other = esp_sa_new(&c, false);
	size_t off, len, poff, plen;
	struct sa_pair p;
	uint8_t nh;

	pair_new(&p, &s, 0);
	seal_pattern(p.out, buf, sizeof(buf), 10, 1, &off, &len);
	g_assert_cmpint(esp_sa_open(other, buf + off, len, &poff, &plen, &nh), ==, -ENOENT);
	g_assert_cmpuint(esp_sa_stats(other)->drops[ESP_DROP_WRONG_SPI], ==, 1);
	/* the receiver finds the right one by SPI */
	g_assert_cmpuint(esp_peek_spi(buf + off, len), ==, esp_sa_spi(p.in));
	g_assert_cmpuint(esp_peek_spi(buf + off, 7), ==, 0);
	g_assert_cmpuint(esp_peek_spi(buf + off, 0), ==, 0);
	g_assert_cmpint(esp_sa_open(p.in, buf + off, len, &poff, &plen, &nh), ==, 0);
	esp_sa_free(other);
	pair_free(&p);
}

/* Every prefix of a valid packet is dropped (no crash, read through an exact-size copy),
 * and the ret_ outputs stay untouched. */
static void test_truncated(void)
{
	for (size_t s = 0; s < G_N_ELEMENTS(hostile_suites); s++) {
		uint8_t buf[512];
		size_t off, len, poff = 777, plen = 777;
		struct sa_pair p;
		uint8_t nh = 77;

		pair_new(&p, &hostile_suites[s], 0);
		seal_pattern(p.out, buf, sizeof(buf), 61, 3, &off, &len);
		for (size_t n = 0; n < len; n++) {
			uint8_t *copy = g_memdup2(buf + off, n ? n : 1);

			g_assert_cmpint(esp_sa_open(p.in, copy, n, &poff, &plen, &nh), !=, 0);
			g_free(copy);
		}
		g_assert_cmpuint(poff, ==, 777);
		g_assert_cmpuint(plen, ==, 777);
		g_assert_cmpuint(nh, ==, 77);
		g_assert_cmpuint(esp_sa_stats(p.in)->packets, ==, 0);
		/* short ones are malformed; longer ones lose their ICV */
		g_assert_cmpuint(esp_sa_stats(p.in)->drops[ESP_DROP_MALFORMED], >, 0);
		g_assert_cmpint(esp_sa_open(p.in, buf + off, len, &poff, &plen, &nh), ==, 0);
		g_assert_cmpuint(plen, ==, 61);
		pair_free(&p);
	}
}

/* Authentic packets with hand-made trailers (the seal seam): bad padding is dropped, long
 * valid padding is accepted, a dummy packet is authenticated and then dropped. */
static void test_padding(void)
{
	static const struct {
		const char *what;
		uint8_t trailer[8];  /* the last bytes of the 32-byte plaintext */
		size_t trailer_len;
		size_t pad_fill;     /* the first bytes are 1, 2, ... up to this */
		int err;
		size_t payload_len;  /* on success */
	} cases[] = {
		{ "minimal, no padding", { 0, 17 }, 2, 0, 0, 30 },
		{ "three bytes 1, 2, 3", { 1, 2, 3, 3, 17 }, 5, 0, 0, 27 },
		{ "a wrong pad byte", { 1, 2, 4, 3, 17 }, 5, 0, -EBADMSG, 0 },
		{ "pad bytes all zero", { 0, 0, 0, 3, 17 }, 5, 0, -EBADMSG, 0 },
		{ "pad length just fits", { 30, 17 }, 2, 30, 0, 0 },
		{ "pad length one too long", { 31, 17 }, 2, 30, -EBADMSG, 0 },
		{ "pad length 255", { 255, 17 }, 2, 30, -EBADMSG, 0 },
		{ "dummy packet", { 1, 2, 2, 59 }, 4, 0, -ENODATA, 0 },
	};

	for (size_t s = 0; s < G_N_ELEMENTS(hostile_suites); s++) {
		for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
			uint8_t buf[256], plain[32], iv[16] = { 1 };
			struct esp_seal_params params = { .seq = (uint32_t)(i + 1), .iv = iv,
							  .raw_trailer = true };
			size_t poff, plen;
			struct pkt_writer w;
			struct sa_pair p;
			uint8_t nh;
			int err;

			pair_new(&p, &hostile_suites[s], 0);
			for (size_t k = 0; k < sizeof(plain); k++)
				plain[k] = (uint8_t)(0xa0 + k);
			for (size_t k = 0; k < cases[i].pad_fill; k++)
				plain[k] = (uint8_t)(k + 1);
			memcpy(plain + sizeof(plain) - cases[i].trailer_len, cases[i].trailer,
			       cases[i].trailer_len);
			g_assert_cmpint(pkt_writer_init(&w, buf, sizeof(buf), ESP_MAX_HEADROOM), ==, 0);
			g_assert_cmpint(pkt_put_bytes(&w, plain, sizeof(plain)), ==, 0);
			g_assert_cmpint(esp_sa_seal_with(p.out, &w, 0, &params), ==, 0);
			err = esp_sa_open(p.in, pkt_writer_data(&w), pkt_writer_len(&w), &poff, &plen,
					  &nh);
			if (g_test_verbose())
				g_test_message("%s: %d", cases[i].what, err);
			g_assert_cmpint(err, ==, cases[i].err);
			if (!err) {
				g_assert_cmpuint(plen, ==, cases[i].payload_len);
				g_assert_cmpuint(nh, ==, 17);
			} else {
				g_assert_cmpuint(esp_sa_stats(p.in)->packets, ==, 0);
				g_assert_cmpuint(esp_sa_stats(p.in)->drops[err == -ENODATA ?
									    ESP_DROP_DUMMY :
									    ESP_DROP_PADDING],
						 ==, 1);
			}
			pair_free(&p);
		}
	}
}

/* 254 bytes of padding (RFC 4303 §2.4 allows up to 255) are accepted. */
static void test_long_padding(void)
{
	for (size_t s = 0; s < G_N_ELEMENTS(hostile_suites); s++) {
		uint8_t buf[512], plain[256], iv[16] = { 2 };
		struct esp_seal_params params = { .seq = 1, .iv = iv, .raw_trailer = true };
		size_t poff, plen;
		struct pkt_writer w;
		struct sa_pair p;
		uint8_t nh;

		pair_new(&p, &hostile_suites[s], 0);
		for (size_t k = 0; k < 254; k++)
			plain[k] = (uint8_t)(k + 1);
		plain[254] = 254;
		plain[255] = 17;
		g_assert_cmpint(pkt_writer_init(&w, buf, sizeof(buf), ESP_MAX_HEADROOM), ==, 0);
		g_assert_cmpint(pkt_put_bytes(&w, plain, sizeof(plain)), ==, 0);
		g_assert_cmpint(esp_sa_seal_with(p.out, &w, 0, &params), ==, 0);
		g_assert_cmpint(esp_sa_open(p.in, pkt_writer_data(&w), pkt_writer_len(&w), &poff,
					    &plen, &nh),
				==, 0);
		g_assert_cmpuint(plen, ==, 0);
		pair_free(&p);
	}
}

/* ---- limits ---- */

static void test_seq_exhaustion(void)
{
	static const RoadieSuite s = { ROADIE_ENCR_AES_GCM_16, 128, ROADIE_INTEG_NONE, 0 };
	uint8_t buf[256], before[256];
	size_t off, len, poff, plen;
	struct pkt_writer w, w_before;
	struct sa_pair p;
	uint8_t nh;

	pair_new(&p, &s, 0);
	g_assert_false(esp_sa_soft_expired(p.out));
	g_assert_false(esp_sa_soft_expired(p.in));

	esp_sa_set_seq(p.out, ESP_SOFT_SEQ - 2);
	seal_pattern(p.out, buf, sizeof(buf), 10, 1, &off, &len);
	g_assert_false(esp_sa_soft_expired(p.out));
	g_assert_cmpint(esp_sa_open(p.in, buf + off, len, &poff, &plen, &nh), ==, 0);
	g_assert_false(esp_sa_soft_expired(p.in));
	seal_pattern(p.out, buf, sizeof(buf), 10, 1, &off, &len);
	g_assert_true(esp_sa_soft_expired(p.out));
	g_assert_cmpint(esp_sa_open(p.in, buf + off, len, &poff, &plen, &nh), ==, 0);
	g_assert_true(esp_sa_soft_expired(p.in));

	/* the last sequence number is sent, then the SA refuses */
	esp_sa_set_seq(p.out, UINT32_MAX - 1);
	seal_pattern(p.out, buf, sizeof(buf), 10, 1, &off, &len);
	g_assert_cmpuint(buf[off + 4] & buf[off + 5] & buf[off + 6] & buf[off + 7], ==, 0xff);
	g_assert_cmpint(esp_sa_open(p.in, buf + off, len, &poff, &plen, &nh), ==, 0);

	g_assert_cmpint(pkt_writer_init(&w, buf, sizeof(buf), ESP_MAX_HEADROOM), ==, 0);
	g_assert_cmpint(pkt_put_zeros(&w, 10), ==, 0);
	w_before = w;
	memcpy(before, buf, sizeof(buf));
	g_assert_cmpint(esp_sa_seal(p.out, &w, 17, NULL), ==, -ERANGE);
	g_assert_cmpint(esp_sa_seal(p.out, &w, 17, NULL), ==, -ERANGE);
	g_assert_cmpmem(&w, sizeof(w), &w_before, sizeof(w_before));
	g_assert_cmpmem(buf, sizeof(buf), before, sizeof(before));
	g_assert_cmpuint(esp_sa_stats(p.out)->packets, ==, 3);
	pair_free(&p);
}

static void test_soft_bytes(void)
{
	static const RoadieSuite s = { ROADIE_ENCR_AES_CBC, 256, ROADIE_INTEG_SHA2_256, 0 };
	uint8_t buf[1024];
	size_t off, len, poff, plen;
	struct sa_pair p;
	uint8_t nh;

	/* 1 kilobyte (1000 bytes): soft at 85 %, 850 bytes of payload */
	pair_new(&p, &s, 1);
	seal_pattern(p.out, buf, sizeof(buf), 500, 1, &off, &len);
	g_assert_cmpint(esp_sa_open(p.in, buf + off, len, &poff, &plen, &nh), ==, 0);
	g_assert_false(esp_sa_soft_expired(p.out));
	g_assert_false(esp_sa_soft_expired(p.in));
	seal_pattern(p.out, buf, sizeof(buf), 349, 2, &off, &len);
	g_assert_cmpint(esp_sa_open(p.in, buf + off, len, &poff, &plen, &nh), ==, 0);
	g_assert_false(esp_sa_soft_expired(p.out));
	g_assert_false(esp_sa_soft_expired(p.in));
	seal_pattern(p.out, buf, sizeof(buf), 1, 3, &off, &len);
	g_assert_cmpint(esp_sa_open(p.in, buf + off, len, &poff, &plen, &nh), ==, 0);
	g_assert_true(esp_sa_soft_expired(p.out));
	g_assert_true(esp_sa_soft_expired(p.in));
	pair_free(&p);

	/* no lifetime, and a lifetime too large to matter */
	pair_new(&p, &s, 0);
	seal_pattern(p.out, buf, sizeof(buf), 900, 1, &off, &len);
	g_assert_false(esp_sa_soft_expired(p.out));
	pair_free(&p);
	pair_new(&p, &s, UINT64_MAX);
	seal_pattern(p.out, buf, sizeof(buf), 900, 1, &off, &len);
	g_assert_false(esp_sa_soft_expired(p.out));
	pair_free(&p);
}

/* Too little headroom or tailroom: -EMSGSIZE and nothing written; exactly enough works. */
static void test_room(void)
{
	for (size_t s = 0; s < G_N_ELEMENTS(all_suites); s++) {
		struct sa_pair p;
		size_t head, tail;

		pair_new(&p, &all_suites[s], 0);
		head = esp_sa_headroom(p.out);
		tail = esp_sa_tailroom(p.out);
		for (size_t len = 0; len < 40; len++) {
			for (int short_head = 0; short_head <= 1; short_head++) {
				size_t cap = head + len + tail;
				uint8_t *buf = g_malloc0(cap), *before = g_malloc(cap);
				uint8_t iv[ESP_MAX_IV_LEN] = { 0 };
				struct pkt_writer w, w_before;
				int err;

				/* one byte less of headroom, or of tailroom */
				g_assert_cmpint(pkt_writer_init(&w, buf, cap - 1,
								short_head ? head - 1 : head),
						==, 0);
				g_assert_cmpint(pkt_put_zeros(&w, len), ==, 0);
				w_before = w;
				memcpy(before, buf, cap);
				err = esp_sa_seal(p.out, &w, 17, iv);
				/* padding is minimal: the tailroom is only short for some lengths */
				if (err == 0) {
					g_assert_false(short_head);
				} else {
					g_assert_cmpint(err, ==, -EMSGSIZE);
					g_assert_cmpmem(&w, sizeof(w), &w_before, sizeof(w_before));
					g_assert_cmpmem(buf, cap, before, cap);
				}
				/* with all the room */
				g_assert_cmpint(pkt_writer_init(&w, buf, cap, head), ==, 0);
				g_assert_cmpint(pkt_put_zeros(&w, len), ==, 0);
				g_assert_cmpint(esp_sa_seal(p.out, &w, 17, iv), ==, 0);
				g_free(buf);
				g_free(before);
			}
		}
		pair_free(&p);
	}
}

static void test_too_big(void)
{
	static const RoadieSuite s = { ROADIE_ENCR_AES_CBC, 128, ROADIE_INTEG_SHA1, 0 };
	size_t cap = ESP_MAX_HEADROOM + ESP_MAX_PAYLOAD + 1 + ESP_MAX_TAILROOM;
	uint8_t *buf = g_malloc0(cap), iv[16] = { 0 };
	struct pkt_writer w;
	struct sa_pair p;

	pair_new(&p, &s, 0);
	g_assert_cmpint(pkt_writer_init(&w, buf, cap, ESP_MAX_HEADROOM), ==, 0);
	g_assert_cmpint(pkt_put_zeros(&w, ESP_MAX_PAYLOAD + 1), ==, 0);
	g_assert_cmpint(esp_sa_seal(p.out, &w, 17, iv), ==, -EMSGSIZE);
	g_assert_cmpuint(pkt_writer_len(&w), ==, ESP_MAX_PAYLOAD + 1);
	g_assert_cmpint(pkt_writer_init(&w, buf, cap, ESP_MAX_HEADROOM), ==, 0);
	g_assert_cmpint(pkt_put_zeros(&w, ESP_MAX_PAYLOAD), ==, 0);
	g_assert_cmpint(esp_sa_seal(p.out, &w, 17, iv), ==, 0);
	pair_free(&p);
	g_free(buf);
}

static void test_config(void)
{
	uint8_t key[128] = { 0 };
	static const struct {
		const char *what;
		RoadieSuite suite;
		size_t enc, integ;
		uint32_t spi;
		bool ok;
	} cases[] = {
		{ "aes128-sha1", { ROADIE_ENCR_AES_CBC, 128, ROADIE_INTEG_SHA1, 0 }, 16, 20, 1, true },
		{ "SPI 0", { ROADIE_ENCR_AES_CBC, 128, ROADIE_INTEG_SHA1, 0 }, 16, 20, 0, false },
		{ "short AES key", { ROADIE_ENCR_AES_CBC, 128, ROADIE_INTEG_SHA1, 0 }, 15, 20, 1, false },
		{ "AES 100 bits", { ROADIE_ENCR_AES_CBC, 100, ROADIE_INTEG_SHA1, 0 }, 12, 20, 1, false },
		{ "short HMAC key", { ROADIE_ENCR_AES_CBC, 128, ROADIE_INTEG_SHA1, 0 }, 16, 16, 1, false },
		{ "CBC without integrity", { ROADIE_ENCR_AES_CBC, 128, ROADIE_INTEG_NONE, 0 }, 16, 0, 1,
		  false },
		{ "3des-sha256", { ROADIE_ENCR_3DES, 192, ROADIE_INTEG_SHA2_256, 0 }, 24, 32, 1, true },
		{ "3DES short key", { ROADIE_ENCR_3DES, 192, ROADIE_INTEG_SHA1, 0 }, 16, 20, 1, false },
		{ "aes256gcm16", { ROADIE_ENCR_AES_GCM_16, 256, ROADIE_INTEG_NONE, 0 }, 36, 0, 1, true },
		{ "GCM without salt", { ROADIE_ENCR_AES_GCM_16, 256, ROADIE_INTEG_NONE, 0 }, 32, 0, 1,
		  false },
		{ "GCM with HMAC", { ROADIE_ENCR_AES_GCM_16, 128, ROADIE_INTEG_SHA1, 0 }, 20, 20, 1,
		  false },
		{ "GCM 64 bits", { ROADIE_ENCR_AES_GCM_16, 64, ROADIE_INTEG_NONE, 0 }, 12, 0, 1, false },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct esp_sa_config c = {
			.spi = cases[i].spi,
			.suite = cases[i].suite,
			.key = key,
			.enc_key_len = cases[i].enc,
			.integ_key_len = cases[i].integ,
		};
		struct esp_sa *sa = esp_sa_new(&c, i % 2);

		g_test_message("%s", cases[i].what);
		g_assert_cmpint(sa != NULL, ==, cases[i].ok);
		esp_sa_free(sa);
		c.key = NULL;
		g_assert_null(esp_sa_new(&c, true));
	}
	g_assert_null(esp_sa_new(NULL, true));
	g_assert_null(esp_sa_free(NULL));
}

static void test_direction(void)
{
	static const RoadieSuite s = { ROADIE_ENCR_AES_CBC, 128, ROADIE_INTEG_SHA1, 0 };
	uint8_t buf[256], iv[16] = { 0 };
	size_t off, len, poff, plen;
	struct pkt_writer w;
	struct sa_pair p;
	uint8_t nh;

	pair_new(&p, &s, 0);
	seal_pattern(p.out, buf, sizeof(buf), 10, 1, &off, &len);
	g_assert_cmpint(esp_sa_open(p.out, buf + off, len, &poff, &plen, &nh), ==, -EINVAL);
	g_assert_cmpint(pkt_writer_init(&w, buf, sizeof(buf), ESP_MAX_HEADROOM), ==, 0);
	g_assert_cmpint(esp_sa_seal(p.in, &w, 17, iv), ==, -EINVAL);
	g_assert_cmpint(esp_sa_seal(p.out, &w, 17, NULL), ==, -EINVAL); /* CBC needs an IV */
	g_assert_cmpuint(pkt_writer_len(&w), ==, 0);
	pair_free(&p);
}

static void test_drop_names(void)
{
	for (int i = 0; i < ESP_DROP_COUNT; i++)
		g_assert_cmpstr(esp_drop_name((enum esp_drop)i), !=, "unknown");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/esp/sa/gcm/draft-mcgrew-gcm-test-01", test_gcm_vectors);
	g_test_add_func("/esp/sa/gcm/spi-zero", test_gcm_spi_zero_refused);
	g_test_add_func("/esp/sa/icv/rfc-vectors", test_icv_vectors);
	g_test_add_func("/esp/sa/icv/long-keys", test_icv_long_keys);
	g_test_add_func("/esp/sa/roundtrip", test_roundtrip);
	g_test_add_func("/esp/sa/iv", test_iv);
	g_test_add_func("/esp/sa/tamper", test_tamper);
	g_test_add_func("/esp/sa/replay", test_replay);
	g_test_add_func("/esp/sa/wrong-spi", test_wrong_spi);
	g_test_add_func("/esp/sa/truncated", test_truncated);
	g_test_add_func("/esp/sa/padding", test_padding);
	g_test_add_func("/esp/sa/long-padding", test_long_padding);
	g_test_add_func("/esp/sa/seq-exhaustion", test_seq_exhaustion);
	g_test_add_func("/esp/sa/soft-bytes", test_soft_bytes);
	g_test_add_func("/esp/sa/room", test_room);
	g_test_add_func("/esp/sa/too-big", test_too_big);
	g_test_add_func("/esp/sa/config", test_config);
	g_test_add_func("/esp/sa/direction", test_direction);
	g_test_add_func("/esp/sa/drop-names", test_drop_names);
	return g_test_run();
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench/esp-bench: what ESP costs roadie in memory, beside what the same cryptography costs
 * OpenSSL on its own, in one run (the performance issue's benchmark (a)).
 *
 * Four loops per suite and payload size, each timed with CLOCK_MONOTONIC for a fixed time:
 *
 *   roadie     esp_sa_seal() on an outbound SA, then esp_sa_open() on an inbound SA with the
 *              same key, in place in one buffer with headroom and tailroom that every packet
 *              reuses, as daemon/dataplane/dataplane.c does (its DP_HEADROOM, DP_TAILROOM);
 *   seal       esp_sa_seal() alone;
 *   dp         the whole data plane's path, daemon/dataplane's own functions: dp_encap() (the
 *              IP packet into PPP, L2TP, UDP and ESP, the CBC IV from RAND_bytes) on one end,
 *              dp_receive_esp() (ESP, UDP, L2TP and PPP off again) on another that has no TUN
 *              device, so it stops where it would write the packet: all but the system calls;
 *   OpenSSL    the cryptography of the same ESP packet straight through EVP, contexts built
 *              once: AES-GCM (RFC 4106) sets the nonce, 8 bytes of AAD (SPI, sequence number),
 *              encrypts, takes the tag, then sets the nonce and the tag, decrypts and
 *              finalises; CBC with HMAC (RFC 3602, 2404, 4868) encrypts without padding and
 *              MACs SPI, sequence number, IV and ciphertext, then MACs again, compares in
 *              constant time and decrypts.
 *
 * The OpenSSL loop is the floor: no ESP framing, no replay window, no padding check. It
 * processes exactly the bytes ESP does (payload, padding and trailer up to the cipher's block
 * or 4 bytes), so the ratio of the two is what roadie's ESP adds on top of the cipher; before
 * timing, each direction of each case is cross-checked (roadie seals, the OpenSSL code
 * verifies and decrypts, and the other way round) so that both do the same work.
 *
 * The issue's target: at 1400 bytes, seal + open costs at most 1.25 times OpenSSL's encrypt +
 * decrypt. The figures are printed, never asserted: only a wrong payload after open, a
 * forged packet that opens, or a failing OpenSSL call make the program fail.
 *
 * The IV of a CBC packet is a counter here (its value does not change the cost); the data
 * plane draws it with RAND_bytes() per packet (RFC 3602 §2), whose cost is printed apart.
 *
 * Each measurement is the best of --reps repetitions; in each repetition the roadie and
 * OpenSSL loops take turns in the order (even repetitions roadie first, odd ones OpenSSL
 * first), so a machine whose load drifts slows both alike. The machine must be otherwise idle.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <glib.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "proposal.h"
#include "core/pkt.h"
#include "dataplane/dataplane-private.h"
#include "esp/esp-sa.h"
#include "ike/ike-sa.h"

#define BENCH_HEADROOM 64 /* dataplane.c's DP_HEADROOM and DP_TAILROOM */
#define BENCH_TAILROOM 64
#define BENCH_MAX_SIZE 2048 /* dataplane.c's DP_MAX_PACKET */
#define BENCH_BUF_LEN (BENCH_HEADROOM + BENCH_MAX_SIZE + BENCH_TAILROOM)
#define BENCH_BATCH 16 /* packets between two clock reads */
/* A timed loop stops here at the latest: an SA must not send past 2^32 - 1 (RFC 4303 §3.3.3). */
#define BENCH_MAX_PACKETS (UINT32_MAX - (UINT32_C(1) << 20))
#define BENCH_SPI 0x0b0e5a11u
#define BENCH_NEXT_HEADER 17 /* UDP: what the data plane seals (L2TP over UDP) */
#define BENCH_TARGET 1.25    /* the issue's bound at BENCH_TARGET_SIZE */
#define BENCH_TARGET_SIZE 1400
#define BENCH_GCM_SALT 4 /* RFC 4106 §4 */
#define BENCH_GCM_IV 8
#define BENCH_GCM_ICV 16
#define BENCH_MAX_KEY (32 + 64) /* AES-256 (or GCM key and salt) and an HMAC-SHA-512 key */

/* roadie's ESP offer (libroadie/profile-keys.c) plus the AES sizes the issue names. */
#define BENCH_DEFAULT_SUITES                                                                       \
	"aes128gcm16,aes256gcm16,aes128-sha1,aes256-sha1,aes128-sha256,aes256-sha256,3des-sha1"
#define BENCH_DEFAULT_SIZES "64,512,1400"

enum bench_kind {
	BENCH_ROADIE, /* esp_sa_seal + esp_sa_open */
	BENCH_SEAL,   /* esp_sa_seal alone */
	BENCH_RAW,    /* OpenSSL EVP: encrypt + decrypt */
	BENCH_DP,     /* the data plane: dp_encap + dp_receive_esp */
	BENCH_KIND_COUNT,
};

/* The OpenSSL side of one suite: the floor. */
struct raw {
	EVP_CIPHER_CTX *enc, *dec;
	EVP_MAC_CTX *mac; /* CBC suites: the HMAC, keyed once */
	bool aead;
	uint8_t salt[BENCH_GCM_SALT];
	size_t iv_len, icv_len, align;
};

struct bench_case {
	char *name; /* "aes128-sha1": the profile's syntax */
	RoadieSuite suite;
	uint8_t key[BENCH_MAX_KEY];
	size_t enc_key_len, integ_key_len;
	size_t size;  /* payload bytes per packet */
	uint8_t *buf; /* BENCH_BUF_LEN, every packet in place */
	uint8_t ref[BENCH_MAX_SIZE];
	struct raw *raw;
	struct esp_sa *out, *in;
	uint32_t seq; /* the OpenSSL loop's sequence number, and the CBC IV counter */
	uint8_t iv[ESP_MAX_IV_LEN];
	struct dp *dp_out, *dp_in; /* BENCH_DP: two ends, the second opens what the first sends */
};

static int64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void bench_put_be32(uint8_t *p, uint32_t v)
{
	for (int i = 3; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static void bench_put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/* Key lengths of a suite as IKEv1's KEYMAT lays them out for esp_sa_new (esp-sa.h), from the
 * RFCs rather than from roadie's own tables: the OpenSSL side must not share roadie's code. */
static bool bench_key_lens(const RoadieSuite *s, size_t *ret_enc, size_t *ret_integ,
			   size_t *ret_icv)
{
	size_t enc = 0, integ = 0, icv = 0;

	switch (s->encr) {
	case ROADIE_ENCR_AES_GCM_16:
		enc = s->key_bits / 8 + BENCH_GCM_SALT; /* RFC 4106 §8.1 */
		icv = BENCH_GCM_ICV;
		break;
	case ROADIE_ENCR_AES_CBC:
		enc = s->key_bits / 8;
		break;
	case ROADIE_ENCR_3DES:
		enc = 24;
		break;
	}
	/* the key is as long as the hash (RFC 2404 §3, RFC 4868 §2.1.1), the ICV truncated
	 * (RFC 2403 and 2404 §2: 96 bits, RFC 4868 §2.6: half the hash) */
	switch (s->integ) {
	case ROADIE_INTEG_NONE:
		break;
	case ROADIE_INTEG_MD5:
		integ = 16;
		icv = 12;
		break;
	case ROADIE_INTEG_SHA1:
		integ = 20;
		icv = 12;
		break;
	case ROADIE_INTEG_SHA2_256:
		integ = 32;
		icv = 16;
		break;
	case ROADIE_INTEG_SHA2_384:
		integ = 48;
		icv = 24;
		break;
	case ROADIE_INTEG_SHA2_512:
		integ = 64;
		icv = 32;
		break;
	}
	if (!enc || !icv || enc + integ > BENCH_MAX_KEY)
		return false;
	*ret_enc = enc;
	*ret_integ = integ;
	*ret_icv = icv;
	return true;
}

static const EVP_CIPHER *raw_cipher(const RoadieSuite *s)
{
	switch (s->encr) {
	case ROADIE_ENCR_AES_GCM_16:
		return s->key_bits == 128   ? EVP_aes_128_gcm()
		       : s->key_bits == 192 ? EVP_aes_192_gcm()
		       : s->key_bits == 256 ? EVP_aes_256_gcm()
					    : NULL;
	case ROADIE_ENCR_AES_CBC:
		return s->key_bits == 128   ? EVP_aes_128_cbc()
		       : s->key_bits == 192 ? EVP_aes_192_cbc()
		       : s->key_bits == 256 ? EVP_aes_256_cbc()
					    : NULL;
	case ROADIE_ENCR_3DES:
		return EVP_des_ede3_cbc();
	}
	return NULL;
}

static const char *raw_digest(RoadieInteg integ)
{
	switch (integ) {
	case ROADIE_INTEG_NONE:
		return NULL;
	case ROADIE_INTEG_MD5:
		return "MD5";
	case ROADIE_INTEG_SHA1:
		return "SHA1";
	case ROADIE_INTEG_SHA2_256:
		return "SHA256";
	case ROADIE_INTEG_SHA2_384:
		return "SHA384";
	case ROADIE_INTEG_SHA2_512:
		return "SHA512";
	}
	return NULL;
}

static struct raw *raw_free(struct raw *x)
{
	if (!x)
		return NULL;
	EVP_CIPHER_CTX_free(x->enc);
	EVP_CIPHER_CTX_free(x->dec);
	EVP_MAC_CTX_free(x->mac);
	g_free(x);
	return NULL;
}

static EVP_CIPHER_CTX *raw_cipher_ctx(const EVP_CIPHER *cipher, const uint8_t *key, int enc,
				      bool aead)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	if (!ctx)
		return NULL;
	if (!EVP_CipherInit_ex2(ctx, cipher, key, NULL, enc, NULL) ||
	    (!aead && !EVP_CIPHER_CTX_set_padding(ctx, 0))) {
		EVP_CIPHER_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

static struct raw *raw_new(const struct bench_case *c)
{
	const EVP_CIPHER *cipher = raw_cipher(&c->suite);
	struct raw *x;
	size_t enc, integ, icv;

	if (!cipher || !bench_key_lens(&c->suite, &enc, &integ, &icv))
		return NULL;
	x = g_new0(struct raw, 1);
	x->aead = c->suite.encr == ROADIE_ENCR_AES_GCM_16;
	x->icv_len = icv;
	if (x->aead) {
		memcpy(x->salt, c->key + enc - BENCH_GCM_SALT, BENCH_GCM_SALT);
		x->iv_len = BENCH_GCM_IV;
		x->align = 4; /* RFC 4303 §2.4 */
	} else {
		x->iv_len = (size_t)EVP_CIPHER_get_block_size(cipher); /* RFC 3602 §3 */
		x->align = x->iv_len;
	}
	x->enc = raw_cipher_ctx(cipher, c->key, 1, x->aead);
	x->dec = raw_cipher_ctx(cipher, c->key, 0, x->aead);
	if (!x->enc || !x->dec)
		return raw_free(x);
	if (!x->aead) {
		OSSL_PARAM params[2];
		EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);

		if (!mac)
			return raw_free(x);
		x->mac = EVP_MAC_CTX_new(mac);
		EVP_MAC_free(mac);
		params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
							     (char *)raw_digest(c->suite.integ), 0);
		params[1] = OSSL_PARAM_construct_end();
		if (!x->mac || !EVP_MAC_init(x->mac, c->key + enc, integ, params))
			return raw_free(x);
	}
	return x;
}

/* ESP's encrypted length for @size bytes of payload: with at least pad length and next
 * header, up to the alignment (RFC 4303 §2.4). */
static size_t raw_ct_len(const struct raw *x, size_t size)
{
	return (size + 2 + x->align - 1) / x->align * x->align;
}

/*
 * The packet the OpenSSL loop builds sits where roadie's does: the payload at
 * buf + BENCH_HEADROOM, SPI, sequence number and IV in front of it, the ICV behind the
 * padded ciphertext. Only the cryptography is done: the bytes of padding and trailer are
 * encrypted as they are.
 */
static int raw_encrypt(struct raw *x, uint8_t *buf, size_t size, uint32_t seq)
{
	uint8_t *ct = buf + BENCH_HEADROOM, *iv = ct - x->iv_len, *hdr = iv - ESP_HEADER_LEN;
	size_t ct_len = raw_ct_len(x, size), mac_len = 0;
	uint8_t *icv = ct + ct_len;
	uint8_t nonce[BENCH_GCM_SALT + BENCH_GCM_IV], full[EVP_MAX_MD_SIZE], last[16];
	int n;

	bench_put_be32(hdr, BENCH_SPI);
	bench_put_be32(hdr + 4, seq);
	/* GCM: the explicit IV is the counter (RFC 4106 §3.1); CBC: a counter stands in for
	 * random bytes, at the same cost to the cipher */
	memset(iv, 0, x->iv_len);
	bench_put_be64(iv, seq);
	if (x->aead) {
		memcpy(nonce, x->salt, BENCH_GCM_SALT);
		memcpy(nonce + BENCH_GCM_SALT, iv, BENCH_GCM_IV);
		if (!EVP_CipherInit_ex2(x->enc, NULL, NULL, nonce, -1, NULL) ||
		    !EVP_CipherUpdate(x->enc, NULL, &n, hdr, ESP_HEADER_LEN) ||
		    !EVP_CipherUpdate(x->enc, ct, &n, ct, (int)ct_len) ||
		    !EVP_CipherFinal_ex(x->enc, last, &n) ||
		    !EVP_CIPHER_CTX_ctrl(x->enc, EVP_CTRL_AEAD_GET_TAG, BENCH_GCM_ICV, icv))
			return -EIO;
		return 0;
	}
	if (!EVP_CipherInit_ex2(x->enc, NULL, NULL, iv, -1, NULL) ||
	    !EVP_CipherUpdate(x->enc, ct, &n, ct, (int)ct_len) ||
	    !EVP_MAC_init(x->mac, NULL, 0, NULL) ||
	    !EVP_MAC_update(x->mac, hdr, ESP_HEADER_LEN + x->iv_len + ct_len) ||
	    !EVP_MAC_final(x->mac, full, &mac_len, sizeof(full)) || mac_len < x->icv_len)
		return -EIO;
	memcpy(icv, full, x->icv_len);
	return 0;
}

/* Verifies and decrypts what raw_encrypt (or esp_sa_seal) left in @buf: -EACCES on a wrong
 * ICV. */
static int raw_decrypt(struct raw *x, uint8_t *buf, size_t size)
{
	uint8_t *ct = buf + BENCH_HEADROOM, *iv = ct - x->iv_len, *hdr = iv - ESP_HEADER_LEN;
	size_t ct_len = raw_ct_len(x, size), mac_len = 0;
	uint8_t *icv = ct + ct_len;
	uint8_t nonce[BENCH_GCM_SALT + BENCH_GCM_IV], full[EVP_MAX_MD_SIZE], last[16];
	int n;

	if (x->aead) {
		memcpy(nonce, x->salt, BENCH_GCM_SALT);
		memcpy(nonce + BENCH_GCM_SALT, iv, BENCH_GCM_IV);
		if (!EVP_CipherInit_ex2(x->dec, NULL, NULL, nonce, -1, NULL) ||
		    !EVP_CIPHER_CTX_ctrl(x->dec, EVP_CTRL_AEAD_SET_TAG, BENCH_GCM_ICV, icv) ||
		    !EVP_CipherUpdate(x->dec, NULL, &n, hdr, ESP_HEADER_LEN) ||
		    !EVP_CipherUpdate(x->dec, ct, &n, ct, (int)ct_len))
			return -EIO;
		return EVP_CipherFinal_ex(x->dec, last, &n) > 0 ? 0 : -EACCES;
	}
	/* ICV first, decryption only if it matches: what ESP must do (RFC 4303 §3.4.4) */
	if (!EVP_MAC_init(x->mac, NULL, 0, NULL) ||
	    !EVP_MAC_update(x->mac, hdr, ESP_HEADER_LEN + x->iv_len + ct_len) ||
	    !EVP_MAC_final(x->mac, full, &mac_len, sizeof(full)) || mac_len < x->icv_len)
		return -EIO;
	if (CRYPTO_memcmp(full, icv, x->icv_len) != 0)
		return -EACCES;
	if (!EVP_CipherInit_ex2(x->dec, NULL, NULL, iv, -1, NULL) ||
	    !EVP_CipherUpdate(x->dec, ct, &n, ct, (int)ct_len))
		return -EIO;
	return 0;
}

/* A fresh pair of SAs with the case's key: outbound seals, inbound opens. */
static bool bench_sa_pair(struct bench_case *c)
{
	struct esp_sa_config config = {
		.spi = BENCH_SPI,
		.suite = c->suite,
		.key = c->key,
		.enc_key_len = c->enc_key_len,
		.integ_key_len = c->integ_key_len,
	};

	c->out = esp_sa_free(c->out);
	c->in = esp_sa_free(c->in);
	c->out = esp_sa_new(&config, true);
	c->in = esp_sa_new(&config, false);
	return c->out && c->in;
}

/* The payload in place behind the headroom, sealed: as dp_on_tun_readable() reads a packet
 * into its buffer and seals it there. */
static int bench_seal(struct bench_case *c, struct pkt_writer *w)
{
	uint8_t *payload;

	/* CBC: a fresh IV per packet; a counter costs nothing next to the cipher */
	bench_put_be32(c->iv, ++c->seq);
	if (pkt_writer_init(w, c->buf, BENCH_BUF_LEN, BENCH_HEADROOM) ||
	    pkt_put_space(w, c->size, &payload))
		return -EMSGSIZE;
	return esp_sa_seal(c->out, w, BENCH_NEXT_HEADER, c->iv);
}

/* Opens what bench_seal left in the buffer; the payload must come back where it was. */
static int bench_open(struct bench_case *c, const struct pkt_writer *w)
{
	uint8_t *packet = pkt_writer_data(w);
	size_t off, len;
	uint8_t next;
	int err = esp_sa_open(c->in, packet, pkt_writer_len(w), &off, &len, &next);

	if (err)
		return err;
	if (packet + off != c->buf + BENCH_HEADROOM || len != c->size || next != BENCH_NEXT_HEADER)
		return -EPROTO;
	return 0;
}

static int bench_loop_roadie(struct bench_case *c, unsigned n)
{
	struct pkt_writer w;
	int err;

	for (unsigned i = 0; i < n; i++) {
		err = bench_seal(c, &w);
		if (!err)
			err = bench_open(c, &w);
		if (err)
			return err;
	}
	return 0;
}

/* ---- the whole data plane's path, in memory ---- */

#define BENCH_L2TP_PORT 1701
#define BENCH_TUNNEL_OUT 0x1a01
#define BENCH_SESSION_OUT 0x2a01

static void bench_dp_ignore(void *user, const uint8_t *data, size_t len)
{
}

static const struct dp_ops bench_dp_ops = {
	.l2tp_control = bench_dp_ignore,
	.ppp_control = bench_dp_ignore,
};

/* Two data planes without sockets, with the case's key in the direction that is timed: what
 * dp_out encapsulates, dp_in accepts (its L2TP ids are dp_out's peer's). */
static bool bench_dp_pair(struct bench_case *c)
{
	struct ike_child child = {
		.suite = c->suite,
		.udp_encap = true,
		.spi_in = BENCH_SPI,
		.spi_out = BENCH_SPI,
		.enc_key_len = c->enc_key_len,
		.integ_key_len = c->integ_key_len,
		.local_port = BENCH_L2TP_PORT,
	};
	bool ok;

	memcpy(child.key_in, c->key, c->enc_key_len + c->integ_key_len);
	memcpy(child.key_out, c->key, c->enc_key_len + c->integ_key_len);
	c->dp_out = dp_free(c->dp_out);
	c->dp_in = dp_free(c->dp_in);
	c->dp_out = dp_new(-1, -1, &bench_dp_ops, c);
	c->dp_in = dp_new(-1, -1, &bench_dp_ops, c);
	dp_set_ports(c->dp_out, BENCH_L2TP_PORT, BENCH_L2TP_PORT);
	dp_set_ports(c->dp_in, BENCH_L2TP_PORT, BENCH_L2TP_PORT);
	dp_set_l2tp(c->dp_out, BENCH_TUNNEL_OUT, BENCH_SESSION_OUT, 1, 1);
	dp_set_l2tp(c->dp_in, 1, 1, BENCH_TUNNEL_OUT, BENCH_SESSION_OUT);
	ok = dp_install_sa(c->dp_out, &child, false) == 0 && dp_install_sa(c->dp_in, &child, false) == 0;
	OPENSSL_cleanse(&child, sizeof(child));
	return ok;
}

/* An IP packet from the TUN device (the payload, an IPv4 header's first byte) through PPP,
 * L2TP, UDP and ESP on one end, then ESP, UDP, L2TP and PPP off again on the other, in place:
 * what the data plane's threads do per packet, without the system calls. The receiving end
 * has no TUN device, so it stops where it would write the packet (counted as no_tun). */
static int bench_loop_dp(struct bench_case *c, unsigned n)
{
	struct pkt_writer w;
	uint8_t *payload;
	uint64_t before = dp_stats(c->dp_in)->drops[DP_DROP_NO_TUN];

	for (unsigned i = 0; i < n; i++) {
		if (pkt_writer_init(&w, c->buf, BENCH_BUF_LEN, BENCH_HEADROOM) ||
		    pkt_put_space(&w, c->size, &payload) || dp_encap(c->dp_out, &w))
			return -EIO;
		dp_receive_esp(c->dp_in, pkt_writer_data(&w), pkt_writer_len(&w));
	}
	/* every packet made it to the TUN device's door */
	return dp_stats(c->dp_in)->drops[DP_DROP_NO_TUN] == before + n ? 0 : -EPROTO;
}

static int bench_loop_seal(struct bench_case *c, unsigned n)
{
	struct pkt_writer w;
	int err;

	for (unsigned i = 0; i < n; i++) {
		err = bench_seal(c, &w);
		if (err)
			return err;
	}
	return 0;
}

static int bench_loop_raw(struct bench_case *c, unsigned n)
{
	int err;

	for (unsigned i = 0; i < n; i++) {
		err = raw_encrypt(c->raw, c->buf, c->size, ++c->seq);
		if (!err)
			err = raw_decrypt(c->raw, c->buf, c->size);
		if (err)
			return err;
	}
	return 0;
}

static void bench_fill(struct bench_case *c)
{
	memcpy(c->buf + BENCH_HEADROOM, c->ref, c->size);
}

static bool bench_payload_ok(const struct bench_case *c)
{
	return memcmp(c->buf + BENCH_HEADROOM, c->ref, c->size) == 0;
}

/* Writes ESP's trailer (RFC 4303 §2.4) behind the payload, as esp_sa_seal does, so that a
 * packet of raw_encrypt's opens in roadie. */
static void bench_trailer(struct bench_case *c)
{
	size_t ct_len = raw_ct_len(c->raw, c->size), pad = ct_len - c->size - 2;
	uint8_t *t = c->buf + BENCH_HEADROOM + c->size;

	for (size_t i = 0; i < pad; i++)
		t[i] = (uint8_t)(i + 1);
	t[pad] = (uint8_t)pad;
	t[pad + 1] = BENCH_NEXT_HEADER;
}

/*
 * Before anything is timed: both loops do the same work, and it is real work. roadie's
 * packet opens in roadie and in the OpenSSL code, the OpenSSL code's packet in both; every
 * payload comes back intact; a packet with one ICV bit flipped opens in neither.
 */
static const char *bench_verify(struct bench_case *c)
{
	struct pkt_writer w;
	uint8_t *icv_last;

	if (!bench_sa_pair(c))
		return "esp_sa_new refused the suite";
	/* roadie -> roadie */
	bench_fill(c);
	if (bench_seal(c, &w))
		return "esp_sa_seal failed";
	if (bench_payload_ok(c))
		return "esp_sa_seal left the payload in clear";
	if (bench_open(c, &w) || !bench_payload_ok(c))
		return "esp_sa_open did not give back the payload";
	/* roadie -> OpenSSL */
	bench_fill(c);
	if (bench_seal(c, &w) || raw_decrypt(c->raw, c->buf, c->size) || !bench_payload_ok(c))
		return "the OpenSSL code did not open roadie's packet";
	/* OpenSSL -> roadie, on a fresh pair (its sequence numbers start again at 1) */
	if (!bench_sa_pair(c))
		return "esp_sa_new refused the suite";
	bench_fill(c);
	bench_trailer(c);
	if (raw_encrypt(c->raw, c->buf, c->size, 1))
		return "the OpenSSL code failed to encrypt";
	if (bench_payload_ok(c))
		return "the OpenSSL code left the payload in clear";
	if (pkt_writer_init(&w, c->buf, BENCH_BUF_LEN,
			    BENCH_HEADROOM - ESP_HEADER_LEN - esp_sa_iv_len(c->in)))
		return "no headroom";
	/* the packet is there already, written by the OpenSSL code */
	w.len = ESP_HEADER_LEN + esp_sa_iv_len(c->in) + raw_ct_len(c->raw, c->size) +
		c->raw->icv_len;
	if (bench_open(c, &w) || !bench_payload_ok(c))
		return "roadie did not open the OpenSSL code's packet";
	/* forged: both must refuse (a fresh pair, so that the replay window cannot) */
	if (!bench_sa_pair(c))
		return "esp_sa_new refused the suite";
	bench_fill(c);
	if (bench_seal(c, &w))
		return "esp_sa_seal failed";
	icv_last = pkt_writer_data(&w) + pkt_writer_len(&w) - 1;
	*icv_last ^= 1;
	if (bench_open(c, &w) != -EACCES)
		return "esp_sa_open accepted a forged packet";
	bench_fill(c);
	if (raw_encrypt(c->raw, c->buf, c->size, 2))
		return "the OpenSSL code failed to encrypt";
	c->buf[BENCH_HEADROOM + raw_ct_len(c->raw, c->size) + c->raw->icv_len - 1] ^= 1;
	if (raw_decrypt(c->raw, c->buf, c->size) != -EACCES)
		return "the OpenSSL code accepted a forged packet";
	return NULL;
}

/*
 * One timed loop of @kind for @seconds: the ns per packet, or a negative value after an
 * error (printed). Each loop starts on a fresh SA pair, so no loop runs out of sequence
 * numbers before BENCH_MAX_PACKETS.
 */
static double bench_run(struct bench_case *c, enum bench_kind kind, double seconds)
{
	int (*loop)(struct bench_case * c, unsigned n) = NULL;
	int64_t budget = (int64_t)(seconds * 1e9), t0, t;
	uint64_t packets = 0;
	int err;

	switch (kind) {
	case BENCH_ROADIE:
		loop = bench_loop_roadie;
		break;
	case BENCH_SEAL:
		loop = bench_loop_seal;
		break;
	case BENCH_RAW:
		loop = bench_loop_raw;
		break;
	case BENCH_DP:
		loop = bench_loop_dp;
		break;
	case BENCH_KIND_COUNT:
		return -1;
	}
	if (!bench_sa_pair(c) || (kind == BENCH_DP && !bench_dp_pair(c))) {
		fprintf(stderr, "esp-bench: %s: esp_sa_new failed\n", c->name);
		return -1;
	}
	c->seq = 0;
	bench_fill(c);
	t0 = bench_now_ns();
	do {
		err = loop(c, BENCH_BATCH);
		if (err) {
			fprintf(stderr,
				"esp-bench: %s, %zu bytes: packet %" G_GUINT64_FORMAT
				" failed: %s\n",
				c->name, c->size, packets, g_strerror(-err));
			return -1;
		}
		packets += BENCH_BATCH;
		t = bench_now_ns();
	} while (t - t0 < budget && packets < BENCH_MAX_PACKETS);
	/* the last packet opened must be the payload sealed (the per-packet checks saw its
	 * length and place already) */
	if (kind != BENCH_SEAL && !bench_payload_ok(c)) {
		fprintf(stderr, "esp-bench: %s, %zu bytes: payload differs after %s\n", c->name,
			c->size, kind == BENCH_RAW ? "decryption" : "esp_sa_open");
		return -1;
	}
	return (double)(t - t0) / (double)packets;
}

/* RAND_bytes for one CBC IV, as dp_seal_and_send draws it per packet: ns per call, best of
 * @reps, or a negative value if it fails. */
static double bench_rand(size_t len, double seconds, unsigned reps)
{
	uint8_t iv[ESP_MAX_IV_LEN];
	double best = -1;

	for (unsigned r = 0; r < reps; r++) {
		int64_t t0 = bench_now_ns(), t, budget = (int64_t)(seconds * 1e9);
		uint64_t calls = 0;

		do {
			for (unsigned i = 0; i < BENCH_BATCH; i++)
				if (RAND_bytes(iv, (int)len) != 1)
					return -1;
			calls += BENCH_BATCH;
			t = bench_now_ns();
		} while (t - t0 < budget);
		if (best < 0 || (double)(t - t0) / (double)calls < best)
			best = (double)(t - t0) / (double)calls;
	}
	return best;
}

static void bench_case_clear(struct bench_case *c)
{
	c->out = esp_sa_free(c->out);
	c->in = esp_sa_free(c->in);
	c->raw = raw_free(c->raw);
	c->dp_out = dp_free(c->dp_out);
	c->dp_in = dp_free(c->dp_in);
	OPENSSL_cleanse(c->key, sizeof(c->key));
}

/* The best ns per packet of each kind over @reps repetitions (turns alternating), after a
 * warm-up; false on an error. */
static bool bench_measure(struct bench_case *c, double seconds, unsigned reps,
			  double best[BENCH_KIND_COUNT])
{
	static const enum bench_kind order[2][BENCH_KIND_COUNT] = {
		{BENCH_ROADIE, BENCH_RAW, BENCH_SEAL, BENCH_DP},
		{BENCH_RAW, BENCH_ROADIE, BENCH_SEAL, BENCH_DP},
	};

	/* warm-up: caches, branch predictors and the clock frequency */
	if (bench_run(c, BENCH_ROADIE, seconds / 5) < 0 || bench_run(c, BENCH_RAW, seconds / 5) < 0)
		return false;
	for (unsigned k = 0; k < BENCH_KIND_COUNT; k++)
		best[k] = -1;
	for (unsigned r = 0; r < reps; r++) {
		for (unsigned i = 0; i < BENCH_KIND_COUNT; i++) {
			enum bench_kind k = order[r % 2][i];
			double ns = bench_run(c, k, seconds);

			if (ns < 0)
				return false;
			if (best[k] < 0 || ns < best[k])
				best[k] = ns;
		}
	}
	return true;
}

static bool bench_parse_sizes(const char *text, GArray *sizes)
{
	g_auto(GStrv) parts = g_strsplit(text, ",", -1);

	for (char **p = parts; *p; p++) {
		guint64 v;

		if (!g_ascii_string_to_unsigned(g_strstrip(*p), 10, 1, BENCH_MAX_SIZE, &v, NULL))
			return false;
		g_array_append_val(sizes, v);
	}
	return sizes->len > 0;
}

int main(int argc, char **argv)
{
	double seconds = 0.5;
	gint reps = 5;
	gboolean quick = FALSE;
	g_autofree char *suites_text = NULL, *sizes_text = NULL, *message = NULL;
	GOptionEntry entries[] = {
		{"seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds,
		 "Time of each timed loop (default 0.5)", "S"},
		{"reps", 0, 0, G_OPTION_ARG_INT, &reps, "Repetitions, the best counts (default 5)",
		 "R"},
		{"quick", 0, 0, G_OPTION_ARG_NONE, &quick,
		 "Smoke run: 20 ms loops, one repetition; its figures are no measurement", NULL},
		{"suites", 0, 0, G_OPTION_ARG_STRING, &suites_text,
		 "ESP proposals in the profile syntax (default " BENCH_DEFAULT_SUITES ")", "LIST"},
		{"sizes", 0, 0, G_OPTION_ARG_STRING, &sizes_text,
		 "Payload sizes in bytes (default " BENCH_DEFAULT_SIZES ")", "LIST"},
		G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) ctx =
		g_option_context_new("- roadie's ESP seal and open in memory beside OpenSSL EVP");
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) suites = NULL;
	g_autoptr(GArray) sizes = g_array_new(FALSE, FALSE, sizeof(guint64));
	bool strict, smoke, failed = false;
	double rand16, rand8;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		fprintf(stderr, "esp-bench: %s\n", error->message);
		return 2;
	}
	if (quick) {
		seconds = 0.02;
		reps = 1;
	}
	if (!(seconds > 0 && seconds <= 600) || reps < 1 || reps > 1000) {
		fprintf(stderr, "esp-bench: --seconds takes (0, 600], --reps 1 to 1000\n");
		return 2;
	}
	if (roadie_proposal_parse(ROADIE_PROPOSAL_ESP,
				  suites_text ? suites_text : BENCH_DEFAULT_SUITES, &suites,
				  &strict, &message) != ROADIE_PROPOSAL_OK) {
		fprintf(stderr, "esp-bench: --suites: %s\n", message);
		return 2;
	}
	if (!bench_parse_sizes(sizes_text ? sizes_text : BENCH_DEFAULT_SIZES, sizes)) {
		fprintf(stderr, "esp-bench: --sizes takes sizes from 1 to %d, comma-separated\n",
			BENCH_MAX_SIZE);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	smoke = quick || seconds < 0.1;

	printf("esp-bench: ESP in memory, roadie (esp_sa_seal + esp_sa_open) beside OpenSSL EVP "
	       "(encrypt + decrypt)\n");
	printf("  %s; best of %d x %.3f s per figure, roadie and OpenSSL in turns%s\n",
	       OpenSSL_version(OPENSSL_VERSION), reps, seconds,
	       smoke ? "; SMOKE RUN, the figures are no measurement" : "");
	printf("  Gbit/s counts payload bits; target: roadie/OpenSSL <= %.2f at %d bytes\n\n",
	       BENCH_TARGET, BENCH_TARGET_SIZE);
	printf("  dp: the whole data plane's path in memory (PPP, L2TP, UDP and ESP on, then off "
	       "again: dp_encap + dp_receive_esp), CBC IVs from RAND_bytes included\n\n");
	printf("%-14s %5s %11s %7s %9s %11s %7s %6s %-7s %8s %6s\n", "suite", "bytes", "roadie ns",
	       "Gbit/s", "seal ns", "OpenSSL ns", "Gbit/s", "ratio", "target", "dp ns", "dp/ssl");

	for (guint s = 0; s < suites->len && !failed; s++) {
		for (guint z = 0; z < sizes->len && !failed; z++) {
			struct bench_case c = {
				.suite = g_array_index(suites, RoadieSuite, s),
				.size = (size_t)g_array_index(sizes, guint64, z),
			};
			size_t icv;
			double best[BENCH_KIND_COUNT];
			const char *why;

			c.suite.dh = ROADIE_DH_NONE; /* a PFS group costs nothing per packet */
			c.name = roadie_suite_to_string(ROADIE_PROPOSAL_ESP, &c.suite);
			c.buf = g_aligned_alloc0(1, BENCH_BUF_LEN, 64);
			if (!bench_key_lens(&c.suite, &c.enc_key_len, &c.integ_key_len, &icv) ||
			    RAND_bytes(c.key, sizeof(c.key)) != 1 ||
			    RAND_bytes(c.ref, sizeof(c.ref)) != 1 || !(c.raw = raw_new(&c))) {
				fprintf(stderr, "esp-bench: %s: cannot set up the suite\n", c.name);
				failed = true;
			} else if ((why = bench_verify(&c))) {
				fprintf(stderr, "esp-bench: %s, %zu bytes: %s\n", c.name, c.size,
					why);
				failed = true;
			} else if (!bench_measure(&c, seconds, (unsigned)reps, best)) {
				failed = true;
			} else {
				double ratio = best[BENCH_ROADIE] / best[BENCH_RAW];
				const char *target = "";

				/* no verdict from a smoke run: its ratio is noise */
				if (c.size == BENCH_TARGET_SIZE)
					target = smoke                   ? "(smoke run)"
						 : ratio <= BENCH_TARGET ? "met"
									 : "missed";
				/* bits per ns are Gbit/s */
				printf("%-14s %5zu %11.1f %7.2f %9.1f %11.1f %7.2f %6.3f %-7s %8.1f "
				       "%6.3f\n",
				       c.name, c.size, best[BENCH_ROADIE],
				       (double)c.size * 8 / best[BENCH_ROADIE], best[BENCH_SEAL],
				       best[BENCH_RAW], (double)c.size * 8 / best[BENCH_RAW], ratio,
				       target, best[BENCH_DP], best[BENCH_DP] / best[BENCH_RAW]);
			}
			bench_case_clear(&c);
			g_aligned_free(c.buf);
			g_free(c.name);
		}
	}
	if (failed)
		return 1;

	rand16 = bench_rand(16, seconds, (unsigned)reps);
	rand8 = bench_rand(8, seconds, (unsigned)reps);
	if (rand16 < 0 || rand8 < 0) {
		fprintf(stderr, "esp-bench: RAND_bytes failed\n");
		return 1;
	}
	printf("\nnot in the roadie and seal figures: each CBC IV comes from RAND_bytes, %.1f ns "
	       "per call of 16 bytes (AES), %.1f ns of 8 (3DES); the data plane draws %d bytes a "
	       "call and takes IVs from them (the dp figures include it)\n",
	       rand16, rand8, DP_IV_POOL);
	return 0;
}

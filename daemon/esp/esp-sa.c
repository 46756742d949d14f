/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <glib.h>

#include "crypto/crypto-cbc.h"
#include "crypto/crypto-prf.h"
#include "secret.h"
#include "esp-replay.h"
#include "esp-sa-private.h"
#include "esp-sa.h"

#define ESP_GCM_SALT_LEN 4 /* RFC 4106 §4: the implicit part of the nonce */
#define ESP_GCM_IV_LEN 8   /* the explicit part, carried in each packet */
#define ESP_GCM_ICV_LEN 16

struct esp_sa {
	uint32_t spi;
	bool outbound;
	bool aead;
	size_t block; /* CBC: the cipher's block; GCM: 1 */
	size_t align; /* payload + trailer is a multiple of this: the block, at least 4 */
	size_t iv_len;
	size_t icv_len;
	crypto_cbc *cbc; /* CBC suites */
	crypto_prf *prf; /* CBC suites: the HMAC */
	EVP_CIPHER_CTX *gcm;
	uint8_t salt[ESP_GCM_SALT_LEN];
	uint32_t seq;             /* outbound: the last sequence number sent */
	struct esp_replay replay; /* inbound */
	uint64_t soft_bytes;      /* 0: no byte lifetime */
	struct esp_sa_stats stats;
};

const char *esp_drop_name(enum esp_drop reason)
{
	switch (reason) {
	case ESP_DROP_MALFORMED:
		return "malformed";
	case ESP_DROP_WRONG_SPI:
		return "wrong-spi";
	case ESP_DROP_REPLAY:
		return "replay";
	case ESP_DROP_ICV:
		return "icv";
	case ESP_DROP_PADDING:
		return "padding";
	case ESP_DROP_DUMMY:
		return "dummy";
	case ESP_DROP_INTERNAL:
		return "internal";
	case ESP_DROP_COUNT:
		break;
	}
	return "unknown";
}

size_t esp_icv_len(RoadieInteg integ)
{
	switch (integ) {
	case ROADIE_INTEG_NONE:
		return 0;
	case ROADIE_INTEG_MD5:  /* HMAC-MD5-96, RFC 2403 §2 */
	case ROADIE_INTEG_SHA1: /* HMAC-SHA-1-96, RFC 2404 §2 */
		return 12;
	case ROADIE_INTEG_SHA2_256: /* RFC 4868 §2.6: half the hash */
		return 16;
	case ROADIE_INTEG_SHA2_384:
		return 24;
	case ROADIE_INTEG_SHA2_512:
		return 32;
	}
	return 0;
}

int esp_icv_compute(crypto_prf *prf, size_t icv_len, const uint8_t *data, size_t len, uint8_t *out)
{
	uint8_t full[CRYPTO_PRF_MAX_LEN];

	if (icv_len > sizeof(full))
		return -EINVAL;
	/* Truncation keeps the leftmost bytes (RFC 2104 §5). */
	if (crypto_prf_reset(prf) || crypto_prf_update(prf, data, len) ||
	    crypto_prf_final(prf, full))
		return -EIO;
	memcpy(out, full, icv_len);
	return 0;
}

static const EVP_CIPHER *esp_gcm_cipher(unsigned key_bits)
{
	switch (key_bits) {
	case 128:
		return EVP_aes_128_gcm();
	case 192:
		return EVP_aes_192_gcm();
	case 256:
		return EVP_aes_256_gcm();
	default:
		return NULL;
	}
}

static bool esp_sa_init_cbc(struct esp_sa *sa, const struct esp_sa_config *c)
{
	size_t key_len = crypto_cbc_key_len(c->suite.encr, c->suite.key_bits);

	if (!key_len || c->enc_key_len != key_len || c->suite.integ == ROADIE_INTEG_NONE ||
	    c->integ_key_len != crypto_prf_len(c->suite.integ))
		return false;
	sa->block = crypto_cbc_block_size(c->suite.encr);
	sa->align = sa->block;  /* 16 or 8: already a multiple of 4 */
	sa->iv_len = sa->block; /* RFC 3602 §3: the IV is one block */
	sa->icv_len = esp_icv_len(c->suite.integ);
	sa->cbc = crypto_cbc_new(c->suite.encr, c->suite.key_bits, c->key, c->enc_key_len);
	sa->prf = crypto_prf_new(c->suite.integ, c->key + c->enc_key_len, c->integ_key_len);
	return sa->cbc && sa->prf;
}

static bool esp_sa_init_gcm(struct esp_sa *sa, const struct esp_sa_config *c, bool outbound)
{
	const EVP_CIPHER *cipher = esp_gcm_cipher(c->suite.key_bits);
	size_t aes_len = c->suite.key_bits / 8;

	if (!cipher || c->enc_key_len != aes_len + ESP_GCM_SALT_LEN ||
	    c->suite.integ != ROADIE_INTEG_NONE || c->integ_key_len != 0)
		return false;
	sa->aead = true;
	sa->block = 1;
	sa->align = 4; /* RFC 4303 §2.4: the trailer ends on a 4-byte boundary */
	sa->iv_len = ESP_GCM_IV_LEN;
	sa->icv_len = ESP_GCM_ICV_LEN;
	memcpy(sa->salt, c->key + aes_len, ESP_GCM_SALT_LEN);
	/* One context per SA, one direction: only the nonce changes per packet. The default
	 * nonce length of OpenSSL's GCM is 12 bytes, salt and explicit IV (RFC 4106 §4). */
	sa->gcm = EVP_CIPHER_CTX_new();
	return sa->gcm && EVP_CipherInit_ex2(sa->gcm, cipher, c->key, NULL, outbound, NULL);
}

struct esp_sa *esp_sa_new(const struct esp_sa_config *config, bool outbound)
{
	struct esp_sa *sa;
	bool ok = false;

	/* SPI 0 is reserved and never sent (RFC 4303 §2.1). */
	if (!config || config->spi == 0 || !config->key)
		return NULL;
	sa = g_new0(struct esp_sa, 1);
	sa->spi = config->spi;
	sa->outbound = outbound;
	esp_replay_init(&sa->replay);
	switch (config->suite.encr) {
	case ROADIE_ENCR_AES_CBC:
	case ROADIE_ENCR_3DES:
		ok = esp_sa_init_cbc(sa, config);
		break;
	case ROADIE_ENCR_AES_GCM_16:
		ok = esp_sa_init_gcm(sa, config, outbound);
		break;
	}
	if (!ok)
		return esp_sa_free(sa);
	/* RFC 2407 §4.5 does not say how many bytes a kilobyte is; strongSwan reads 1000, and
	 * the smaller reading rekeys in time for either. A limit too large to compute is no
	 * limit in practice (2^54 kilobytes). */
	if (config->life_kilobytes && config->life_kilobytes <= UINT64_MAX / 1000 / 100)
		sa->soft_bytes = config->life_kilobytes * 1000 * ESP_SOFT_LIFE_PERCENT / 100;
	return sa;
}

struct esp_sa *esp_sa_free(struct esp_sa *sa)
{
	if (!sa)
		return NULL;
	/* OpenSSL cleanses the key schedules inside its contexts when it frees them. */
	crypto_cbc_free(sa->cbc);
	crypto_prf_free(sa->prf);
	EVP_CIPHER_CTX_free(sa->gcm);
	roadie_wipe(sa, sizeof(*sa));
	g_free(sa);
	return NULL;
}

size_t esp_sa_random_iv_len(const struct esp_sa *sa)
{
	return sa->aead ? 0 : sa->iv_len;
}

uint32_t esp_sa_spi(const struct esp_sa *sa)
{
	return sa->spi;
}

size_t esp_sa_iv_len(const struct esp_sa *sa)
{
	return sa->iv_len;
}

size_t esp_sa_headroom(const struct esp_sa *sa)
{
	return ESP_HEADER_LEN + sa->iv_len;
}

size_t esp_sa_tailroom(const struct esp_sa *sa)
{
	return sa->align - 1 + 2 + sa->icv_len;
}

/* AES-GCM over @data in place (RFC 4106): nonce = salt || explicit IV, AAD = SPI || sequence
 * number (§5, without ESN). Sealing writes the tag to @tag; opening checks it and returns
 * -EACCES on a mismatch. */
static int esp_gcm_run(struct esp_sa *sa, const uint8_t *iv, const uint8_t *aad, uint8_t *data,
		       size_t len, uint8_t *tag, bool seal)
{
	uint8_t nonce[ESP_GCM_SALT_LEN + ESP_GCM_IV_LEN];
	uint8_t last[16];
	int n = 0;

	if (len > INT_MAX)
		return -EIO;
	memcpy(nonce, sa->salt, ESP_GCM_SALT_LEN);
	memcpy(nonce + ESP_GCM_SALT_LEN, iv, ESP_GCM_IV_LEN);
	if (!EVP_CipherInit_ex2(sa->gcm, NULL, NULL, nonce, -1, NULL) ||
	    !EVP_CipherUpdate(sa->gcm, NULL, &n, aad, ESP_HEADER_LEN))
		return -EIO;
	if (!seal && !EVP_CIPHER_CTX_ctrl(sa->gcm, EVP_CTRL_AEAD_SET_TAG, ESP_GCM_ICV_LEN, tag))
		return -EIO;
	if (len && (!EVP_CipherUpdate(sa->gcm, data, &n, data, (int)len) || (size_t)n != len))
		return -EIO;
	if (!seal)
		return EVP_CipherFinal_ex(sa->gcm, last, &n) > 0 ? 0 : -EACCES;
	if (!EVP_CipherFinal_ex(sa->gcm, last, &n) ||
	    !EVP_CIPHER_CTX_ctrl(sa->gcm, EVP_CTRL_AEAD_GET_TAG, ESP_GCM_ICV_LEN, tag))
		return -EIO;
	return 0;
}

int esp_sa_seal_with(struct esp_sa *sa, struct pkt_writer *w, uint8_t next_header,
		     const struct esp_seal_params *params)
{
	size_t payload_len = pkt_writer_len(w);
	size_t head = ESP_HEADER_LEN + sa->iv_len;
	size_t pad_len = 0, trailer = 0;
	uint8_t *hdr, *tail, *icv;

	if (!sa->outbound || !params->iv)
		return -EINVAL;
	if (payload_len > ESP_MAX_PAYLOAD)
		return -EMSGSIZE;
	if (params->raw_trailer) {
		if (payload_len < 2 || payload_len % sa->block)
			return -EINVAL;
	} else {
		/* The smallest padding that aligns payload, pad length and next header. */
		pad_len = (sa->align - (payload_len + 2) % sa->align) % sa->align;
		trailer = pad_len + 2;
	}
	/* Check all the room first: a failed seal writes nothing. */
	if (pkt_writer_headroom(w) < head || pkt_writer_tailroom(w) < trailer + sa->icv_len)
		return -EMSGSIZE;
	if (pkt_put_space(w, trailer, &tail) || pkt_push(w, head, &hdr))
		return -EMSGSIZE;
	/* Padding 1, 2, 3, ... (RFC 4303 §2.4), so the receiver can check it. */
	for (size_t i = 0; i < pad_len; i++)
		tail[i] = (uint8_t)(i + 1);
	if (trailer) {
		tail[pad_len] = (uint8_t)pad_len;
		tail[pad_len + 1] = next_header;
	}
	if (pkt_set_be32(w, 0, sa->spi) || pkt_set_be32(w, 4, params->seq) ||
	    pkt_put_space(w, sa->icv_len, &icv))
		return -EMSGSIZE;
	memcpy(hdr + ESP_HEADER_LEN, params->iv, sa->iv_len);

	if (sa->aead)
		return esp_gcm_run(sa, params->iv, hdr, hdr + head, payload_len + trailer, icv,
				   true);
	/* Encrypt, then MAC over SPI to the end of the ciphertext (RFC 4303 §3.3.2). */
	if (crypto_cbc_encrypt(sa->cbc, params->iv, hdr + head, payload_len + trailer))
		return -EIO;
	return esp_icv_compute(sa->prf, sa->icv_len, hdr, head + payload_len + trailer, icv);
}

int esp_sa_seal(struct esp_sa *sa, struct pkt_writer *w, uint8_t next_header, const uint8_t *iv)
{
	struct esp_seal_params params = {.iv = iv};
	size_t payload_len = pkt_writer_len(w);
	uint8_t counter[ESP_GCM_IV_LEN];
	int err;

	if (!sa->outbound)
		return -EINVAL;
	/* Without ESN the counter must not cycle (RFC 4303 §3.3.3): a new SA instead. */
	if (sa->seq == UINT32_MAX)
		return -ERANGE;
	params.seq = sa->seq + 1;
	if (sa->aead) {
		/* The explicit IV is the packet counter: unique per key (RFC 4106 §3.1), and
		 * each direction of each SA has its own key. */
		uint64_t v = params.seq;

		for (int i = ESP_GCM_IV_LEN - 1; i >= 0; i--, v >>= 8)
			counter[i] = (uint8_t)v;
		params.iv = counter;
	}
	err = esp_sa_seal_with(sa, w, next_header, &params);
	if (err)
		return err;
	sa->seq = params.seq;
	sa->stats.packets++;
	sa->stats.bytes += payload_len;
	return 0;
}

static int esp_sa_drop(struct esp_sa *sa, enum esp_drop reason, int err)
{
	sa->stats.drops[reason]++;
	return err;
}

int esp_sa_open(struct esp_sa *sa, uint8_t *packet, size_t len, size_t *ret_payload_off,
		size_t *ret_payload_len, uint8_t *ret_next_header)
{
	struct pkt_reader r, icv_r, trailer_r, pad_r;
	const uint8_t *iv, *icv;
	uint8_t mac[ESP_MAX_ICV_LEN], tag[ESP_GCM_ICV_LEN];
	size_t head = ESP_HEADER_LEN + sa->iv_len, ct_len;
	uint32_t spi, seq;
	uint8_t pad_len, next_header;
	int err;

	if (sa->outbound)
		return -EINVAL;

	/* Length: header, IV, ICV cut from the end, and whole blocks between. */
	pkt_reader_init(&r, packet, len);
	if (pkt_get_be32(&r, &spi) || pkt_get_be32(&r, &seq) ||
	    pkt_get_bytes(&r, sa->iv_len, &iv) || pkt_get_tail(&r, sa->icv_len, &icv_r) ||
	    pkt_get_bytes(&icv_r, sa->icv_len, &icv))
		return esp_sa_drop(sa, ESP_DROP_MALFORMED, -EMSGSIZE);
	ct_len = pkt_remaining(&r);
	if (ct_len < 2 || ct_len < sa->block || ct_len % sa->block)
		return esp_sa_drop(sa, ESP_DROP_MALFORMED, -EMSGSIZE);

	if (spi != sa->spi)
		return esp_sa_drop(sa, ESP_DROP_WRONG_SPI, -ENOENT);
	/* Cheap rejection before any cryptography (RFC 4303 §3.4.3) ... */
	if (!esp_replay_check(&sa->replay, seq))
		return esp_sa_drop(sa, ESP_DROP_REPLAY, -EALREADY);

	/* ... then the ICV: nothing is trusted before it matched (CBC: not even decrypted). */
	if (sa->aead) {
		memcpy(tag, icv, sizeof(tag));
		err = esp_gcm_run(sa, iv, packet, packet + head, ct_len, tag, false);
		if (err == -EACCES)
			return esp_sa_drop(sa, ESP_DROP_ICV, -EACCES);
		if (err)
			return esp_sa_drop(sa, ESP_DROP_INTERNAL, -EIO);
	} else {
		if (esp_icv_compute(sa->prf, sa->icv_len, packet, head + ct_len, mac))
			return esp_sa_drop(sa, ESP_DROP_INTERNAL, -EIO);
		if (CRYPTO_memcmp(mac, icv, sa->icv_len) != 0)
			return esp_sa_drop(sa, ESP_DROP_ICV, -EACCES);
	}

	/* Authentic: only now may the window move (RFC 4303 §3.4.3). */
	esp_replay_update(&sa->replay, seq);
	if (!sa->aead && crypto_cbc_decrypt(sa->cbc, iv, packet + head, ct_len))
		return esp_sa_drop(sa, ESP_DROP_INTERNAL, -EIO);

	/* The trailer, read back from the end of the plaintext. */
	pkt_reader_init(&r, packet + head, ct_len);
	if (pkt_get_tail(&r, 2, &trailer_r) || pkt_get_u8(&trailer_r, &pad_len) ||
	    pkt_get_u8(&trailer_r, &next_header) || pkt_get_tail(&r, pad_len, &pad_r))
		return esp_sa_drop(sa, ESP_DROP_PADDING, -EBADMSG);
	for (unsigned i = 1; i <= pad_len; i++) {
		uint8_t b;

		if (pkt_get_u8(&pad_r, &b) || b != i)
			return esp_sa_drop(sa, ESP_DROP_PADDING, -EBADMSG);
	}
	if (next_header == ESP_NEXT_HEADER_NONE)
		return esp_sa_drop(sa, ESP_DROP_DUMMY, -ENODATA);

	sa->stats.packets++;
	sa->stats.bytes += pkt_remaining(&r);
	*ret_payload_off = head;
	*ret_payload_len = pkt_remaining(&r);
	*ret_next_header = next_header;
	return 0;
}

bool esp_sa_soft_expired(const struct esp_sa *sa)
{
	uint32_t seq = sa->outbound ? sa->seq : sa->replay.top;

	return seq >= ESP_SOFT_SEQ || (sa->soft_bytes && sa->stats.bytes >= sa->soft_bytes);
}

const struct esp_sa_stats *esp_sa_stats(const struct esp_sa *sa)
{
	return &sa->stats;
}

void esp_sa_set_seq(struct esp_sa *sa, uint32_t seq)
{
	sa->seq = seq;
}

uint32_t esp_peek_spi(const uint8_t *packet, size_t len)
{
	struct pkt_reader r;
	uint32_t spi = 0;

	if (len < ESP_HEADER_LEN)
		return 0;
	pkt_reader_init(&r, packet, len);
	if (pkt_peek_be32(&r, &spi))
		return 0;
	return spi;
}

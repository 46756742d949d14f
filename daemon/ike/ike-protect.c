/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Protection of the messages after phase 1 (RFC 2409 §5.5, §5.7): each starts with a HASH
 * payload, prf(SKEYID_a, prefix | everything after the HASH payload), and is encrypted with
 * the exchange's own IV chain. The prefix is the M-ID (HASH(1) and informational), the M-ID
 * and Ni_b (HASH(2)), or 0 | M-ID | Ni_b | Nr_b with nothing after (HASH(3)).
 */
#include <errno.h>
#include <string.h>
#include <openssl/crypto.h>

#include "ike-crypt.h"
#include "ike-sa-private.h"
#include "secret.h"

int ike_sa_seal(struct ike_sa *sa, struct pkt_writer *w, size_t hash_off, const uint8_t *prefix,
		size_t prefix_len, uint8_t *iv)
{
	size_t prf_len = sa->km.prf_len, rest = hash_off + IKE_GENERIC_HEADER_LEN + prf_len;
	size_t body, pad;
	uint8_t *data = pkt_writer_data(w);
	int err;

	if (rest > pkt_writer_len(w))
		return -EINVAL;
	err = ike_keymat_prf_a(&sa->km, data + hash_off + IKE_GENERIC_HEADER_LEN, prefix,
			       prefix_len, data + rest, pkt_writer_len(w) - rest, NULL);
	if (err)
		return err;
	body = pkt_writer_len(w) - IKE_HEADER_LEN;
	pad = ike_crypt_pad_len(body, sa->km.block_len);
	err = pkt_put_zeros(w, pad);
	data = pkt_writer_data(w);
	err = err ?: ike_crypt_encrypt(sa->cbc, sa->km.block_len, iv, data + IKE_HEADER_LEN,
				       body + pad, iv);
	return err ?: pkt_set_be32(w, 24, (uint32_t)pkt_writer_len(w));
}

int ike_sa_open(struct ike_sa *sa, uint8_t *data, size_t len, uint8_t *iv, const uint8_t *prefix,
		size_t prefix_len, struct ike_payload *payloads, unsigned *ret_n)
{
	uint8_t next_iv[CRYPTO_CBC_MAX_BLOCK], hash[CRYPTO_PRF_MAX_LEN];
	struct ike_header h;
	struct pkt_reader body;
	size_t from, to;
	unsigned n;

	if (len < IKE_HEADER_LEN ||
	    ike_crypt_decrypt(sa->cbc, sa->km.block_len, iv, data + IKE_HEADER_LEN,
			      len - IKE_HEADER_LEN, next_iv))
		return -EBADMSG;
	if (ike_message_parse(data, len, &h, &body) != IKE_PARSE_OK ||
	    ike_payloads_parse(&body, h.next_payload, true, payloads, &n) != IKE_PARSE_OK)
		return -EBADMSG;
	if (n == 0 || payloads[0].type != IKE_PAYLOAD_HASH ||
	    pkt_remaining(&payloads[0].body) != sa->km.prf_len)
		return -EBADMSG;
	/* from the end of the HASH payload to the end of the last payload: not the padding */
	from = payloads[0].body.end;
	to = payloads[n - 1].body.end;
	if (ike_keymat_prf_a(&sa->km, hash, prefix, prefix_len, data + from, to - from, NULL))
		return -EIO;
	if (CRYPTO_memcmp(hash, payloads[0].body.data + payloads[0].body.off, sa->km.prf_len))
		return -EACCES;
	memcpy(iv, next_iv, sa->km.block_len);
	*ret_n = n;
	return 0;
}

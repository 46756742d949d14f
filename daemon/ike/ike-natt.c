/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>
#include <openssl/crypto.h>

#include "crypto/crypto-hash.h"
#include "ike-message.h"
#include "ike-natt.h"
#include "ike-payload-sa.h"

enum ike_natt_version ike_natt_version_of(enum ike_vendor vendor)
{
	switch (vendor) {
	case IKE_VENDOR_NATT_RFC3947:
		return IKE_NATT_RFC;
	case IKE_VENDOR_NATT_DRAFT_02:
	case IKE_VENDOR_NATT_DRAFT_02N:
	case IKE_VENDOR_NATT_DRAFT_03:
		return IKE_NATT_DRAFT_02;
	case IKE_VENDOR_UNKNOWN:
	case IKE_VENDOR_NATT_DRAFT_00: /* floated to 4500 without the non-ESP marker: unsupported */
	case IKE_VENDOR_NATT_DRAFT_01:
	case IKE_VENDOR_DPD:
	case IKE_VENDOR_XAUTH:
	case IKE_VENDOR_CISCO_UNITY:
	case IKE_VENDOR_FRAGMENTATION:
	case IKE_VENDOR_MICROSOFT:
	case IKE_VENDOR_MS_VID_INITIAL_CONTACT:
	case IKE_VENDOR_STRONGSWAN:
	case IKE_VENDOR_LIBRESWAN:
	case IKE_VENDOR_COUNT:
		return IKE_NATT_NONE;
	}
	return IKE_NATT_NONE;
}

uint8_t ike_natt_natd_type(enum ike_natt_version version)
{
	switch (version) {
	case IKE_NATT_RFC:
		return IKE_PAYLOAD_NAT_D;
	case IKE_NATT_DRAFT_02:
		return IKE_PAYLOAD_NAT_D_DRAFT;
	case IKE_NATT_NONE:
		return IKE_PAYLOAD_NONE;
	}
	return IKE_PAYLOAD_NONE;
}

uint8_t ike_natt_natoa_type(enum ike_natt_version version)
{
	switch (version) {
	case IKE_NATT_RFC:
		return IKE_PAYLOAD_NAT_OA;
	case IKE_NATT_DRAFT_02:
		return IKE_PAYLOAD_NAT_OA_DRAFT;
	case IKE_NATT_NONE:
		return IKE_PAYLOAD_NONE;
	}
	return IKE_PAYLOAD_NONE;
}

uint16_t ike_natt_encap_transport(enum ike_natt_version version)
{
	switch (version) {
	case IKE_NATT_RFC:
		return IKE_ENCAP_UDP_TRANSPORT;
	case IKE_NATT_DRAFT_02:
		return IKE_ENCAP_UDP_TRANSPORT_DRAFT;
	case IKE_NATT_NONE:
		return IKE_ENCAP_TRANSPORT;
	}
	return IKE_ENCAP_TRANSPORT;
}

int ike_natt_hash(RoadieInteg hash, const uint8_t *cky_i, const uint8_t *cky_r,
		  const struct ike_natt_addr *addr, uint8_t *out)
{
	uint8_t port[2] = { addr->port >> 8, (uint8_t)addr->port };

	if (addr->ip_len != 4 && addr->ip_len != 16)
		return -EINVAL;
	return crypto_hash(hash, out, cky_i, (size_t)IKE_COOKIE_LEN, cky_r, (size_t)IKE_COOKIE_LEN,
			   addr->ip, (size_t)addr->ip_len, port, sizeof(port), NULL);
}

int ike_natt_detect(RoadieInteg hash, const uint8_t *cky_i, const uint8_t *cky_r,
		    const struct ike_natt_addr *local, const struct ike_natt_addr *remote,
		    const uint8_t *const *hashes, const size_t *hash_lens, unsigned n,
		    struct ike_natt_result *ret)
{
	size_t len = crypto_prf_len(hash);
	uint8_t mine[CRYPTO_PRF_MAX_LEN], theirs[CRYPTO_PRF_MAX_LEN];
	struct ike_natt_result r = { .remote_behind_nat = true };
	int err;

	if (n < 2 || len == 0)
		return -EBADMSG;
	for (unsigned i = 0; i < n; i++)
		if (hash_lens[i] != len)
			return -EBADMSG;
	err = ike_natt_hash(hash, cky_i, cky_r, local, mine);
	err = err ?: ike_natt_hash(hash, cky_i, cky_r, remote, theirs);
	if (err)
		return err;
	/* constant time is not needed for public values, but CRYPTO_memcmp is at hand */
	r.local_behind_nat = CRYPTO_memcmp(hashes[0], mine, len) != 0;
	for (unsigned i = 1; i < n; i++)
		if (CRYPTO_memcmp(hashes[i], theirs, len) == 0)
			r.remote_behind_nat = false;
	*ret = r;
	return 0;
}

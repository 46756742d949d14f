/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>
#include <glib.h>

#include "crypto/crypto-hash.h"
#include "ike-vendor.h"

/*
 * Most vendor IDs are the MD5 of a string (the NAT-T drafts and RFC 3947 §3.1 say so for
 * theirs); the rest are fixed bytes. Both kinds are matched as a prefix where vendors append
 * a version (Microsoft, strongSwan's fragmentation flags, DPD's version bytes).
 */
typedef struct {
	enum ike_vendor vendor;
	const char *name;
	const char *md5_of;  /* the VID is MD5(md5_of) ... */
	const char *hex;     /* ... or these bytes */
	bool prefix;         /* data may continue past them */
} Vendor;

static const Vendor vendors[] = {
	{ IKE_VENDOR_NATT_RFC3947, "NAT-T (RFC 3947)", "RFC 3947", NULL, false },
	{ IKE_VENDOR_NATT_DRAFT_02, "NAT-T draft-02", "draft-ietf-ipsec-nat-t-ike-02", NULL, false },
	{ IKE_VENDOR_NATT_DRAFT_02N, "NAT-T draft-02\\n", "draft-ietf-ipsec-nat-t-ike-02\n", NULL,
	  false },
	{ IKE_VENDOR_NATT_DRAFT_03, "NAT-T draft-03", "draft-ietf-ipsec-nat-t-ike-03", NULL, false },
	{ IKE_VENDOR_NATT_DRAFT_00, "NAT-T draft-00", "draft-ietf-ipsec-nat-t-ike-00", NULL, false },
	{ IKE_VENDOR_NATT_DRAFT_01, "NAT-T draft-01", "draft-ietf-ipsec-nat-t-ike-01", NULL, false },
	{ IKE_VENDOR_DPD, "Dead Peer Detection (RFC 3706)", NULL, "afcad71368a1f1c96b8696fc7757",
	  true },
	{ IKE_VENDOR_XAUTH, "XAUTH", NULL, "09002689dfd6b712", false },
	{ IKE_VENDOR_CISCO_UNITY, "Cisco Unity", NULL, "12f5f28c457168a9702d9fe274cc", true },
	{ IKE_VENDOR_FRAGMENTATION, "IKE fragmentation", NULL, "4048b7d56ebce88525e7de7f00d6c2d3",
	  true },
	{ IKE_VENDOR_MICROSOFT, "Microsoft Windows", NULL, "1e2b516905991c7d7c96fcbfb587e461", true },
	{ IKE_VENDOR_MS_VID_INITIAL_CONTACT, "Microsoft Vid-Initial-Contact", NULL,
	  "26244d38eddb61b3172a36e3d0cfb819", false },
	{ IKE_VENDOR_STRONGSWAN, "strongSwan", "strongSwan", NULL, false },
	/* libreswan and Openswan send "OE" and a version-specific tail */
	{ IKE_VENDOR_LIBRESWAN, "libreswan or Openswan", NULL, "4f45", true },
};

/* The bytes of @v into @out (16 bytes for MD5, else the hex's length). */
static size_t ike_vendor_bytes(const Vendor *v, uint8_t out[16])
{
	size_t n = 0;

	if (v->md5_of) {
		if (crypto_hash(ROADIE_INTEG_MD5, out, v->md5_of, strlen(v->md5_of), NULL))
			return 0;
		return 16;
	}
	for (const char *p = v->hex; p[0] && p[1] && n < 16; p += 2)
		out[n++] = (uint8_t)(g_ascii_xdigit_value(p[0]) << 4 | g_ascii_xdigit_value(p[1]));
	return n;
}

static const Vendor *ike_vendor_find(enum ike_vendor vendor)
{
	for (size_t i = 0; i < G_N_ELEMENTS(vendors); i++)
		if (vendors[i].vendor == vendor)
			return &vendors[i];
	return NULL;
}

enum ike_vendor ike_vendor_identify(const uint8_t *data, size_t len)
{
	for (size_t i = 0; i < G_N_ELEMENTS(vendors); i++) {
		uint8_t want[16];
		size_t n = ike_vendor_bytes(&vendors[i], want);

		if (n == 0 || len < n || (!vendors[i].prefix && len != n))
			continue;
		if (memcmp(data, want, n) == 0)
			return vendors[i].vendor;
	}
	return IKE_VENDOR_UNKNOWN;
}

const char *ike_vendor_name(enum ike_vendor vendor)
{
	const Vendor *v = ike_vendor_find(vendor);

	return v ? v->name : "unknown vendor ID";
}

size_t ike_vendor_id(enum ike_vendor vendor, uint8_t *out, size_t out_len)
{
	const Vendor *v = ike_vendor_find(vendor);
	uint8_t bytes[16];
	size_t n;

	switch (vendor) {
	case IKE_VENDOR_NATT_RFC3947:
	case IKE_VENDOR_NATT_DRAFT_02:
	case IKE_VENDOR_NATT_DRAFT_02N:
	case IKE_VENDOR_NATT_DRAFT_03:
		break;
	case IKE_VENDOR_DPD:
		/* RFC 3706 §4: the 14 bytes, then major version 1, minor 0 */
		if (out_len < 16 || ike_vendor_bytes(v, bytes) != 14)
			return 0;
		memcpy(out, bytes, 14);
		out[14] = 0x01;
		out[15] = 0x00;
		return 16;
	case IKE_VENDOR_UNKNOWN:
	case IKE_VENDOR_NATT_DRAFT_00:
	case IKE_VENDOR_NATT_DRAFT_01:
	case IKE_VENDOR_FRAGMENTATION:
		/* the 16 bytes, then flags: 0x80000000 = fragmentation in Main Mode too (as
		 * strongSwan sends and reads it; without the flag only Aggressive Mode) */
		if (out_len < 20 || ike_vendor_bytes(v, bytes) != 16)
			return 0;
		memcpy(out, bytes, 16);
		out[16] = 0x80;
		out[17] = out[18] = out[19] = 0;
		return 20;
	case IKE_VENDOR_XAUTH:
	case IKE_VENDOR_CISCO_UNITY:
	case IKE_VENDOR_MICROSOFT:
	case IKE_VENDOR_MS_VID_INITIAL_CONTACT:
	case IKE_VENDOR_STRONGSWAN:
	case IKE_VENDOR_LIBRESWAN:
	case IKE_VENDOR_COUNT:
		return 0;
	}
	n = v ? ike_vendor_bytes(v, bytes) : 0;
	if (n == 0 || n > out_len)
		return 0;
	memcpy(out, bytes, n);
	return n;
}

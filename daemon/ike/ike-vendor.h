/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Vendor ID payloads (RFC 2408 §3.16): the ones roadie sends (NAT-T in all its versions,
 * DPD) and the ones it recognises from gateways, to log them by name and to learn what the
 * gateway speaks (NAT-T version, DPD, XAUTH, fragmentation).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ike_vendor {
	IKE_VENDOR_UNKNOWN,
	IKE_VENDOR_NATT_RFC3947,
	IKE_VENDOR_NATT_DRAFT_02,
	IKE_VENDOR_NATT_DRAFT_02N, /* "draft-ietf-ipsec-nat-t-ike-02\n", a famous typo kept alive */
	IKE_VENDOR_NATT_DRAFT_03,
	IKE_VENDOR_NATT_DRAFT_00,
	IKE_VENDOR_NATT_DRAFT_01,
	IKE_VENDOR_DPD,           /* RFC 3706 §4 */
	IKE_VENDOR_XAUTH,
	IKE_VENDOR_CISCO_UNITY,
	IKE_VENDOR_FRAGMENTATION,
	IKE_VENDOR_MICROSOFT,     /* "MS NT5 ISAKMPOAKLEY" + a Windows version */
	IKE_VENDOR_MS_VID_INITIAL_CONTACT,
	IKE_VENDOR_STRONGSWAN,
	IKE_VENDOR_LIBRESWAN, /* also Openswan: both start with "OE" */
	IKE_VENDOR_COUNT,
};

/* Recognises a Vendor ID payload's data; IKE_VENDOR_UNKNOWN if it is none we know. */
enum ike_vendor ike_vendor_identify(const uint8_t *data, size_t len);
/* "NAT-T (RFC 3947)", "Dead Peer Detection", "Microsoft Windows 7 / Server 2008 R2", ... */
const char *ike_vendor_name(enum ike_vendor vendor);
/* The bytes roadie sends for @vendor (NAT-T versions and DPD); 0 for the others. */
size_t ike_vendor_id(enum ike_vendor vendor, uint8_t *out, size_t out_len);

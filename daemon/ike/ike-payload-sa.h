/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SA payload and its nested Proposal and Transform payloads (RFC 2408 §3.4-3.6) with
 * their data attributes (§3.3), for phase 1 (RFC 2409 appendix A) and phase 2 in the IPsec
 * DOI (RFC 2407 §4.4-4.5), with the NAT-T encapsulation modes (RFC 3947 §5.1 and the draft
 * values 61443/61444).
 *
 * ike_sa_payload_parse() checks structure only and fills fixed tables of sub-readers;
 * ike_transform_decode_p1() and _p2() read a transform's meaning into our suite types.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "core/pkt.h"
#include "ike-message.h"
#include "proposal.h"

#define IKE_DOI_IPSEC 1
#define IKE_SIT_IDENTITY_ONLY 1

enum ike_protocol {
	IKE_PROTO_ISAKMP = 1,
	IKE_PROTO_AH = 2,
	IKE_PROTO_ESP = 3,
};

#define IKE_TRANSFORM_KEY_IKE 1

/* RFC 2409 appendix A: phase 1 attribute types and values */
enum ike_p1_attr {
	IKE_P1_ENCRYPTION = 1,
	IKE_P1_HASH = 2,
	IKE_P1_AUTH_METHOD = 3,
	IKE_P1_GROUP = 4,
	IKE_P1_LIFE_TYPE = 11,
	IKE_P1_LIFE_DURATION = 12,
	IKE_P1_KEY_LENGTH = 14,
};

enum ike_p1_encr {
	IKE_P1_ENCR_3DES = 5,
	IKE_P1_ENCR_AES_CBC = 7,
};

enum ike_p1_hash {
	IKE_P1_HASH_MD5 = 1,
	IKE_P1_HASH_SHA1 = 2,
	IKE_P1_HASH_SHA2_256 = 4,
	IKE_P1_HASH_SHA2_384 = 5,
	IKE_P1_HASH_SHA2_512 = 6,
};

enum ike_auth_method {
	IKE_AUTH_PSK = 1,
	IKE_AUTH_RSA_SIG = 3,
	IKE_AUTH_ECDSA_256 = 9,
	IKE_AUTH_ECDSA_384 = 10,
	IKE_AUTH_ECDSA_521 = 11,
	IKE_AUTH_XAUTH_INIT_PSK = 65001,
	IKE_AUTH_XAUTH_INIT_RSA = 65005,
};

enum ike_life_type {
	IKE_LIFE_SECONDS = 1,
	IKE_LIFE_KILOBYTES = 2,
};

/* RFC 2407 §4.5: phase 2 attribute types and values */
enum ike_p2_attr {
	IKE_P2_LIFE_TYPE = 1,
	IKE_P2_LIFE_DURATION = 2,
	IKE_P2_GROUP = 3,
	IKE_P2_ENCAP_MODE = 4,
	IKE_P2_AUTH_ALG = 5,
	IKE_P2_KEY_LENGTH = 6,
};

enum ike_esp_transform {
	IKE_ESP_3DES = 3,
	IKE_ESP_AES_CBC = 12,
	IKE_ESP_AES_GCM_16 = 20, /* RFC 4106 §8.1 */
};

enum ike_p2_auth {
	IKE_P2_AUTH_HMAC_MD5 = 1,
	IKE_P2_AUTH_HMAC_SHA1 = 2,
	IKE_P2_AUTH_HMAC_SHA2_256 = 5,
	IKE_P2_AUTH_HMAC_SHA2_384 = 6,
	IKE_P2_AUTH_HMAC_SHA2_512 = 7,
};

enum ike_encap_mode {
	IKE_ENCAP_TUNNEL = 1,
	IKE_ENCAP_TRANSPORT = 2,
	IKE_ENCAP_UDP_TUNNEL = 3,          /* RFC 3947 §5.1 */
	IKE_ENCAP_UDP_TRANSPORT = 4,
	IKE_ENCAP_UDP_TUNNEL_DRAFT = 61443, /* draft-ietf-ipsec-nat-t-ike-00..03 */
	IKE_ENCAP_UDP_TRANSPORT_DRAFT = 61444,
};

#define IKE_MAX_PROPOSALS 16
#define IKE_MAX_TRANSFORMS 64
#define IKE_MAX_SPI 16

struct ike_transform {
	uint8_t num;
	uint8_t id;
	struct pkt_reader attrs;
};

struct ike_proposal {
	uint8_t num;
	uint8_t protocol;
	uint8_t spi_len;
	uint8_t spi[IKE_MAX_SPI];
	unsigned first; /* index into ike_sa_payload.transforms */
	unsigned count;
};

struct ike_sa_payload {
	uint32_t doi;
	uint32_t situation;
	struct ike_proposal proposals[IKE_MAX_PROPOSALS];
	unsigned n_proposals;
	struct ike_transform transforms[IKE_MAX_TRANSFORMS];
	unsigned n_transforms;
};

/* -EBADMSG for a malformed payload (lengths, counts, a non-IPsec DOI); nothing written then. */
int ike_sa_payload_parse(const struct pkt_reader *body, struct ike_sa_payload *ret);

/* One data attribute (RFC 2408 §3.3): TV (AF=1, 16-bit value) or TLV. */
struct ike_attr {
	uint16_t type;
	bool tv;
	uint16_t value;          /* TV */
	struct pkt_reader data;  /* TLV */
};

/* 1 and an attribute, 0 at the end, -EBADMSG if malformed (the reader is left untouched). */
int ike_attr_next(struct pkt_reader *attrs, struct ike_attr *ret);
/* A numeric value: TV, or TLV of 1-8 bytes whose value fits 32 bits (-ERANGE otherwise). */
int ike_attr_u32(const struct ike_attr *attr, uint32_t *ret);

/* What a phase 1 transform says; unknown values are -ENOTSUP, malformed ones -EBADMSG. */
struct ike_p1_transform {
	RoadieSuite suite;
	uint16_t auth_method;
	uint32_t life_seconds; /* 0 if not given */
	uint32_t life_kilobytes;
};

int ike_transform_decode_p1(const struct ike_transform *t, struct ike_p1_transform *ret);

struct ike_p2_transform {
	RoadieSuite suite; /* dh: the PFS group, NONE without */
	uint16_t encap_mode;
	uint32_t life_seconds;
	uint32_t life_kilobytes;
};

int ike_transform_decode_p2(const struct ike_transform *t, struct ike_p2_transform *ret);

/* The phase 1 offer: one ISAKMP proposal with a transform per suite (RFC 2409 §5). */
int ike_sa_write_p1(struct pkt_writer *w, struct ike_chain *c, const RoadieSuite *suites,
		    unsigned n, uint16_t auth_method, uint32_t life_seconds);

/* The phase 2 offer: one ESP proposal with our SPI and a transform per suite; every
 * transform carries @pfs_group when it is not NONE (one KE per Quick Mode). */
int ike_sa_write_p2(struct pkt_writer *w, struct ike_chain *c, const RoadieSuite *suites,
		    unsigned n, uint32_t spi, uint16_t encap_mode, RoadieDhGroup pfs_group,
		    uint32_t life_seconds, uint32_t life_kilobytes);

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKE and ESP proposal lists in the strongSwan syntax users already know:
 *
 *   ike=aes256-sha1-modp2048,aes128-sha1-modp2048,3des-sha1-modp1024
 *   esp=aes256-sha1,aes128gcm16,aes128-sha256-modp2048
 *
 * Each comma-separated element is one proposal; its dash-separated tokens name
 * encryption algorithms, integrity algorithms, PRFs (ignored: IKEv1 uses the HMAC
 * of the integrity hash as its PRF, RFC 2409 §5) and DH groups (for ESP: the PFS group).
 * Several tokens of one kind in one element expand to every combination, in order,
 * because an IKEv1 transform carries exactly one of each. A trailing '!' makes the
 * list strict: no automatic fallback beyond it.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

typedef enum {
	ROADIE_ENCR_AES_CBC,
	ROADIE_ENCR_3DES,
	ROADIE_ENCR_AES_GCM_16, /* RFC 4106, ESP only */
} RoadieEncr;

typedef enum {
	ROADIE_INTEG_NONE, /* only with AEAD */
	ROADIE_INTEG_MD5,
	ROADIE_INTEG_SHA1,
	ROADIE_INTEG_SHA2_256,
	ROADIE_INTEG_SHA2_384,
	ROADIE_INTEG_SHA2_512,
} RoadieInteg;

/* IANA "Transform Type 4 - Diffie-Hellman Group" numbers, shared by IKEv1 (RFC 2409 §6,
 * RFC 3526, RFC 5903). */
typedef enum {
	ROADIE_DH_NONE = 0,
	ROADIE_DH_MODP1024 = 2,
	ROADIE_DH_MODP1536 = 5,
	ROADIE_DH_MODP2048 = 14,
	ROADIE_DH_MODP3072 = 15,
	ROADIE_DH_MODP4096 = 16,
	ROADIE_DH_ECP256 = 19,
	ROADIE_DH_ECP384 = 20,
} RoadieDhGroup;

typedef enum {
	ROADIE_PROPOSAL_IKE,
	ROADIE_PROPOSAL_ESP,
} RoadieProposalKind;

typedef struct {
	RoadieEncr encr;
	uint16_t key_bits; /* 128/192/256 for AES, 192 for 3DES */
	RoadieInteg integ;
	RoadieDhGroup dh; /* IKE: the group; ESP: the PFS group or NONE */
} RoadieSuite;

/* Why a proposal string was refused; the profile's validation rules map these. */
typedef enum {
	ROADIE_PROPOSAL_OK,
	ROADIE_PROPOSAL_ERR_EMPTY,          /* "" or an empty element ("a,,b") */
	ROADIE_PROPOSAL_ERR_UNKNOWN_ENCR,   /* aes-like or des-like token we do not know */
	ROADIE_PROPOSAL_ERR_UNKNOWN_INTEG,  /* sha/md5-like token we do not know */
	ROADIE_PROPOSAL_ERR_UNKNOWN_DH,     /* modp/ecp/curve-like token we do not know */
	ROADIE_PROPOSAL_ERR_UNKNOWN_TOKEN,  /* anything else */
	ROADIE_PROPOSAL_ERR_NO_ENCR,        /* element without an encryption algorithm */
	ROADIE_PROPOSAL_ERR_NO_INTEG,       /* non-AEAD element without integrity */
	ROADIE_PROPOSAL_ERR_NO_DH,          /* IKE element without a DH group */
	ROADIE_PROPOSAL_ERR_AEAD_IN_IKE,    /* IKEv1 has no AEAD for its own SA */
	ROADIE_PROPOSAL_ERR_AEAD_WITH_INTEG,/* "aes128gcm16-sha1" */
	ROADIE_PROPOSAL_ERR_TOO_MANY,       /* expands past ROADIE_PROPOSAL_MAX_SUITES */
} RoadieProposalError;

#define ROADIE_PROPOSAL_MAX_SUITES 64
#define ROADIE_PROPOSAL_MAX_LEN 1024

/*
 * Parses @text. On success fills @ret_suites (a GArray of RoadieSuite, in order, without
 * duplicates) and @ret_strict, and returns ROADIE_PROPOSAL_OK. On failure returns the reason,
 * writes nothing to the ret_ parameters except @ret_message (if not NULL): a sentence naming the
 * offending token and element, e.g. "unknown DH group 'modp999' in 'aes128-sha1-modp999'".
 */
RoadieProposalError roadie_proposal_parse(RoadieProposalKind kind, const char *text,
					  GArray **ret_suites, bool *ret_strict,
					  char **ret_message);

/* "aes256-sha1-modp2048": one suite in the profile syntax (g_free the result). */
char *roadie_suite_to_string(RoadieProposalKind kind, const RoadieSuite *suite);
/* @n suites in the profile syntax joined by @separator ("," gives a list the profile takes
 * back; ", " reads better in a sentence). g_free the result. */
char *roadie_suites_to_string(RoadieProposalKind kind, const RoadieSuite *suites, size_t n,
			      const char *separator);
/* "AES_CBC_256/HMAC_SHA1/MODP_2048": the form log lines use. */
char *roadie_suite_describe(RoadieProposalKind kind, const RoadieSuite *suite);
/* Bytes of keying material the suite's cipher takes from KEYMAT: the key, and for AES-GCM the
 * 4-byte salt after it (RFC 4106 §8.1); 0 for a size the cipher does not have. */
size_t roadie_suite_enc_key_len(const RoadieSuite *suite);
/* A weak suite (3DES, MD5, SHA1 with MODP1024, MODP1024 alone) that a user should hear about. */
bool roadie_suite_is_weak(const RoadieSuite *suite);

const char *roadie_dh_group_name(RoadieDhGroup group); /* "modp2048", NULL if unknown */
/* "modp2048" → ROADIE_DH_MODP2048; returns false for an unknown name. */
bool roadie_dh_group_from_name(const char *name, RoadieDhGroup *ret_group);

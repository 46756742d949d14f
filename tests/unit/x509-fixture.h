/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A test PKI built in memory with OpenSSL when a test program starts, so nothing in the
 * repository can expire. The dates are fixed and the tests pass X509_FIXTURE_NOW as "now",
 * so every message with a date is the same on every run.
 *
 *   Example Root (RSA) ── Example Intermediate (RSA) ── the gateway leaves, our client
 *   Other Root (RSA) ── foreign (a gateway certificate from another CA)
 */
#pragma once

#include <stdbool.h>
#include <glib.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#define X509_FIXTURE_NOW G_GINT64_CONSTANT(1748736000)        /* 2025-06-01 */
#define X509_FIXTURE_FROM G_GINT64_CONSTANT(1704067200)       /* 2024-01-01 */
#define X509_FIXTURE_TO G_GINT64_CONSTANT(2051222400)         /* 2035-01-01 */

typedef struct {
	EVP_PKEY *root_key, *inter_key, *other_key; /* RSA 2048 */
	EVP_PKEY *leaf_key;                         /* RSA 2048, shared by the RSA leaves */
	EVP_PKEY *ec256_key, *ec384_key, *ec521_key;
	EVP_PKEY *ed25519_key, *brainpool_key;      /* keys IKEv1 cannot sign with */

	X509 *root;   /* "Example Root", self-signed CA */
	X509 *inter;  /* "Example Intermediate", CA, by root */
	X509 *other;  /* "Other Root", self-signed CA */

	/* Gateway leaves, by inter unless said otherwise; "vpn.example.com" with SAN DNS
	 * vpn.example.com, email vpn@example.com, IP 192.0.2.1 and 2001:db8::1, keyUsage
	 * digitalSignature, extendedKeyUsage serverAuth. Subject O=Example, CN=vpn.example.com. */
	X509 *leaf;
	X509 *leaf_ec256, *leaf_ec384, *leaf_ec521;
	X509 *leaf_direct;  /* by root itself */
	X509 *expired;      /* 2023-01-01 .. 2025-01-01 */
	X509 *not_yet;      /* 2026-01-01 .. 2027-01-01 */
	X509 *foreign;      /* by Other Root */
	X509 *client_only;  /* EKU clientAuth alone */
	X509 *ipsec_ike;    /* EKU clientAuth and ipsecIKE */
	X509 *no_eku;       /* no EKU, no KU */
	X509 *no_ds;        /* KU keyEncipherment only */
	X509 *cn_only;      /* no SAN at all, CN vpn.example.com */
	X509 *other_name;   /* SAN DNS other.example.com, CN other.example.com */
	X509 *wildcard;     /* SAN DNS *.example.com */
	X509 *ed25519;      /* a leaf with an Ed25519 key */
	X509 *inter_expired;/* "Old Intermediate", by root, expired 2025-01-01 */
	X509 *leaf_old_inter; /* a leaf by inter_expired */

	/* Ours: CN "alice", SAN DNS client.example.com, email alice@example.com, IP
	 * 198.51.100.7 (leaf_key); client_ec (ec256_key); client_expired/not_yet; client_bp. */
	X509 *client, *client_ec, *client_expired, *client_not_yet, *client_bp, *client_ed;
	X509 *client_bare; /* no SAN */
} X509Fixture;

/* Built on the first call; lives until the program exits. */
const X509Fixture *x509_fixture_get(void);

/* Certificates as PEM, one after another (NULL-terminated list). */
GBytes *x509_fixture_pem(X509 *cert, ...) G_GNUC_NULL_TERMINATED;
GBytes *x509_fixture_der(X509 *cert);
/* PKCS#8 PEM; encrypted (AES-256-CBC) when @password is not NULL. */
GBytes *x509_fixture_key_pem(EVP_PKEY *key, const char *password);
/* The traditional PEM form ("RSA PRIVATE KEY"), with a Proc-Type header when encrypted. */
GBytes *x509_fixture_key_pem_traditional(EVP_PKEY *key, const char *password);
/* DER: PKCS#8 (encrypted when @password is not NULL) or, with !pkcs8, the traditional form. */
GBytes *x509_fixture_key_der(EVP_PKEY *key, bool pkcs8, const char *password);
/* PKCS#12 with the chain (NULL-terminated list after @password). */
GBytes *x509_fixture_p12(X509 *cert, EVP_PKEY *key, const char *password, ...)
	G_GNUC_NULL_TERMINATED;
GBytes *x509_fixture_concat(GBytes *a, GBytes *b);

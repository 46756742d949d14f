/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Our X.509 credentials for IKEv1 signature authentication (RFC 2409 §5.1): the certificate,
 * its private key and the chain that came with them, loaded from CONTENTS (the root daemon never
 * opens a path a caller names, DESIGN.md), plus the CA certificates a profile names and the one
 * file helper the front ends use to read such files with the user's rights.
 *
 * Formats are told apart by their bytes, not by file names: PEM (certificates, optionally the
 * key, plain or encrypted; RFC 7468), DER (one certificate; a key as PKCS#8, plain or
 * encrypted, or in its traditional form) and PKCS#12 (RFC 7292: certificate, key and chain).
 * Every refusal is a sentence that names the caller's label ("client.p12") and a stable code
 * (RoadieX509CredError) in the GError; passwords stay the caller's and are never copied by us.
 *
 * Our identity for the ID payload comes from the certificate (RFC 2407 §4.6.2.1 type numbers):
 * the subject's DER (DER_ASN1_DN, the default, as Windows does) or a subjectAltName entry.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "secret.h"

/* A certificate or key file is a few KiB; a bundle of CAs a few hundred. */
#define ROADIE_X509_MAX_FILE (1024 * 1024)

#define ROADIE_X509_CRED_ERROR (roadie_x509_cred_error_quark())
GQuark roadie_x509_cred_error_quark(void);

/* The GError codes of ROADIE_X509_CRED_ERROR; the messages name the label. */
typedef enum {
	ROADIE_X509_CRED_OK,
	ROADIE_X509_CRED_NOT_A_CERT,       /* "client.p12 is not a certificate in PEM, DER or PKCS#12 form" */
	ROADIE_X509_CRED_NOT_A_KEY,        /* "client.key is not a private key in PEM, DER or PKCS#12 form" */
	ROADIE_X509_CRED_NO_KEY,           /* "client.pem holds no private key" */
	ROADIE_X509_CRED_PASSWORD_NEEDED,  /* encrypted, and no password given */
	ROADIE_X509_CRED_WRONG_PASSWORD,   /* "the password for client.p12 is wrong" */
	ROADIE_X509_CRED_KEY_MISMATCH,     /* the key does not belong to the certificate */
	ROADIE_X509_CRED_NOT_YET_VALID,    /* "client.pem is not valid until 2027-01-01" */
	ROADIE_X509_CRED_EXPIRED,          /* "client.pem expired on 2026-01-01" */
	ROADIE_X509_CRED_KEY_TYPE,         /* not RSA (1024-8192 bits) or ECDSA P-256/P-384/P-521 */
	ROADIE_X509_CRED_UNSUPPORTED,      /* a PKCS#12 cipher OpenSSL 3 keeps in its legacy provider */
	ROADIE_X509_CRED_NO_ID,            /* the certificate has no entry for the asked ID type */
	ROADIE_X509_CRED_FILE,             /* the file helper: cannot read, not a file, too large */
	ROADIE_X509_CRED_INTERNAL,         /* OpenSSL failed for want of memory */
} RoadieX509CredError;

/* The IKE ID types a certificate can give, numbered as in RFC 2407 §4.6.2.1 (and so equal to
 * daemon/ike/ike-payload-id.h's enum ike_id_type). */
typedef enum {
	ROADIE_X509_ID_IPV4_ADDR = 1,
	ROADIE_X509_ID_FQDN = 2,
	ROADIE_X509_ID_USER_FQDN = 3,
	ROADIE_X509_ID_IPV6_ADDR = 5,
	ROADIE_X509_ID_DER_ASN1_DN = 9,
} RoadieX509IdType;

typedef enum {
	ROADIE_X509_FORMAT_PEM,
	ROADIE_X509_FORMAT_DER,
	ROADIE_X509_FORMAT_PKCS12,
} RoadieX509Format;

/* Bytes the caller owns and a label for messages (the file name the front end read). */
typedef struct {
	const void *data;
	size_t len;
	const char *label;
} RoadieX509Blob;

/*
 * The format of @blob as its bytes tell it, for front ends that describe a file as soon as it
 * is chosen: PEM (an armour line anywhere, RFC 7468), PKCS#12 (one DER PFX, RFC 7292), or DER:
 * one certificate, or with @want_key one key (PKCS#8, plain or encrypted, or the traditional
 * form). Needs no password: an encrypted key or a PKCS#12 is recognised by its structure, not
 * opened, so a file of the right format may still fail to load. Returns false, leaving
 * *ret_format untouched, for anything else, an empty @blob included; safe on any bytes.
 */
bool roadie_x509_detect_format(const RoadieX509Blob *blob, bool want_key,
			       RoadieX509Format *ret_format);

/* Our credential. All three are owned by the struct; roadie_x509_cred_free() frees them (the
 * key's memory is cleared by OpenSSL). */
typedef struct {
	X509 *cert;
	EVP_PKEY *key;
	STACK_OF(X509) *extra;   /* the chain that came along (PEM or PKCS#12); never NULL */
	RoadieX509Format format; /* of the certificate's blob */
} RoadieX509Cred;

/*
 * Loads our certificate and key. @cert holds the certificate (PEM, possibly with chain and key;
 * DER; or PKCS#12, which gives all three). @key holds the key when it lives elsewhere (PEM, DER
 * PKCS#8 or traditional, or PKCS#12); NULL when it is in @cert. @password opens an encrypted
 * key or PKCS#12 (NULL: none; a PKCS#12 is then tried with the empty password as Windows
 * exports it). Of several certificates in a PEM blob ours is the one the key belongs to; the
 * rest become ->extra.
 *
 * Checks that the key belongs to the certificate, that the key can make IKEv1 signatures, and
 * that the certificate is valid at @now (seconds since the Unix epoch). Returns NULL and sets
 * @error (ROADIE_X509_CRED_ERROR) on any problem.
 */
RoadieX509Cred *roadie_x509_cred_load(const RoadieX509Blob *cert, const RoadieX509Blob *key,
				      const RoadieSecret *password, gint64 now, GError **error);
/* Accepts NULL; returns NULL. */
RoadieX509Cred *roadie_x509_cred_free(RoadieX509Cred *cred);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RoadieX509Cred, roadie_x509_cred_free)

/* Whether @key can make IKEv1 signatures: RSA of 1024 to 8192 bits, or ECDSA on P-256, P-384
 * or P-521 (RFC 4754). If not, *ret_why (if not NULL) gets "a DSA key", "an ECDSA key on
 * brainpoolP256r1", "a 512-bit RSA key" (g_free it). */
bool roadie_x509_key_usable(EVP_PKEY *key, char **ret_why);

/* Whether @cert is valid at @now; if not, @error names @label and the date. */
bool roadie_x509_check_time(X509 *cert, const char *label, gint64 now, GError **error);

/* CA certificates: a PEM bundle (every certificate in it) or one DER certificate. Returns a
 * non-empty stack (free with sk_X509_pop_free(cas, X509_free)) or NULL and @error. */
STACK_OF(X509) *roadie_x509_load_cas(const RoadieX509Blob *blob, GError **error);

/*
 * The data of our ID payload (RFC 2407 §4.6.2) from @cert: DER_ASN1_DN gives the subject's
 * DER; FQDN, USER_FQDN, IPV4_ADDR and IPV6_ADDR the first subjectAltName dNSName, rfc822Name
 * or iPAddress of that family. NULL and @error (ROADIE_X509_CRED_NO_ID) when the certificate
 * has none; @label names it in the message.
 */
GBytes *roadie_x509_cert_id(X509 *cert, RoadieX509IdType type, const char *label, GError **error);

/* @cert in DER, for the CERT payload (RFC 2408 §3.9); NULL only if OpenSSL fails. */
GBytes *roadie_x509_cert_der(X509 *cert);

/* A short name for messages: the subject's commonName, else the one-line subject. g_free it. */
char *roadie_x509_name_display(const X509_NAME *name);

/* Text from a certificate or the network, made safe to show: valid UTF-8, control characters
 * as '?', at most 120 characters (then "…"). g_free it. */
char *roadie_x509_text_display(const void *data, size_t len);

/* "2026-01-01" (UTC) for an ASN1_TIME; "an unreadable date" if it is malformed. g_free it. */
char *roadie_x509_time_display(const ASN1_TIME *time);

/*
 * For front ends (roadiectl, profile validation; never roadied on a caller's behalf): reads
 * @path once, which must be a regular file of at most ROADIE_X509_MAX_FILE bytes, and says in
 * words what stops it ("cannot read /home/a/vpn/client.key: permission denied (it belongs to
 * alice and only alice may read it; run this as alice)", "... (a folder on its path is closed
 * to you)"). The GBytes wipes its memory when its last reference goes.
 */
GBytes *roadie_x509_read_file(const char *path, GError **error);

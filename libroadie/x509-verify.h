/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Checking the gateway's certificate in IKEv1 signature authentication (RFC 2409 §5.1,
 * RFC 4945 for the profile of certificates in IKE):
 *
 *  1. the chain: the leaf and the intermediates the gateway sent in CERT payloads, verified
 *     with OpenSSL against the profile's CA certificates (any of them is a trust anchor, even
 *     an intermediate or the gateway's own self-signed certificate) or the system's trust
 *     store, at a time the caller gives;
 *  2. the leaf's key can verify IKEv1 signatures (RSA, ECDSA P-256/P-384/P-521);
 *  3. key usage, when present, allows digitalSignature or nonRepudiation (RFC 4945 §5.1.3.2;
 *     strongSwan accepts either too);
 *  4. extended key usage, when present, lists one of serverAuth, ipsecIKE (RFC 4945
 *     §5.1.3.12), ipsecEndSystem, ipsecTunnel, ipsecUser, Microsoft's IKE intermediate or
 *     anyExtendedKeyUsage. A certificate whose EKU names only other purposes (clientAuth
 *     alone, say) is refused: its issuer meant it for something else. This is stricter than
 *     strongSwan, which ignores EKU in IKE, and in line with Windows and macOS clients,
 *     which want serverAuth or an IPsec purpose on a gateway;
 *  5. the ID payload the gateway sent is backed by the certificate (RFC 4945 §3.1):
 *     DER_ASN1_DN equal to the subject (X509_NAME_cmp: canonical, so case and spacing in
 *     string values do not matter), FQDN in a subjectAltName dNSName, USER_FQDN in an
 *     rfc822Name, IPV4_ADDR/IPV6_ADDR in an iPAddress;
 *  6. the certificate is for the remote ID the profile expects, by default the gateway's name
 *     as the user typed it: a DNS name must be a subjectAltName dNSName, or the subject's
 *     commonName when the certificate has no dNSName at all (old certificates); an address
 *     must be a subjectAltName iPAddress.
 *
 * Wildcards: a certificate for "*.example.com" does NOT match vpn.example.com (or any ID):
 * IKE identities are exact (strongSwan, too, lets only the configured ID hold wildcards, not
 * the certificate's names), and a wildcard certificate made for a web site must not open a
 * VPN.
 *
 * Every refusal is a stable code (RoadieX509PeerResult, for the daemon's reason codes) and a
 * sentence in the GError (ROADIE_X509_VERIFY_ERROR, code = the result). Names taken from the
 * gateway's certificates are defused (no control characters, at most 120 characters).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include <openssl/x509.h>

#define ROADIE_X509_VERIFY_ERROR (roadie_x509_verify_error_quark())
GQuark roadie_x509_verify_error_quark(void);

typedef enum {
	ROADIE_X509_PEER_OK,
	ROADIE_X509_PEER_NO_CERT,        /* "the gateway sent no certificate" */
	ROADIE_X509_PEER_MALFORMED,      /* a certificate it sent cannot be read */
	ROADIE_X509_PEER_UNTRUSTED,      /* signed by someone other than the CA (or trust store) */
	ROADIE_X509_PEER_EXPIRED,        /* the leaf or a certificate of its chain */
	ROADIE_X509_PEER_NOT_YET_VALID,
	ROADIE_X509_PEER_BAD_SIGNATURE,  /* a signature in the chain does not verify */
	ROADIE_X509_PEER_INVALID_CHAIN,  /* any other chain failure (CA flags, path length, ...) */
	ROADIE_X509_PEER_KEY_TYPE,       /* the leaf's key cannot make IKEv1 signatures */
	ROADIE_X509_PEER_KEY_USAGE,      /* keyUsage without digitalSignature/nonRepudiation */
	ROADIE_X509_PEER_EXT_KEY_USAGE,  /* extendedKeyUsage with no IPsec or server purpose */
	ROADIE_X509_PEER_ID_UNSUPPORTED, /* an ID payload type a certificate cannot back */
	ROADIE_X509_PEER_ID_MISMATCH,    /* the ID payload is not in the certificate */
	ROADIE_X509_PEER_NAME_MISMATCH,  /* the certificate is not for the expected remote ID */
	ROADIE_X509_PEER_INTERNAL,       /* OpenSSL failed for want of memory */
} RoadieX509PeerResult;

/* "untrusted", "expired", ... for logs. */
const char *roadie_x509_peer_result_name(RoadieX509PeerResult result);

/* One certificate as the gateway sent it (a CERT payload's data, RFC 2408 §3.9). */
typedef struct {
	const uint8_t *data;
	size_t len;
} RoadieX509Der;

typedef struct {
	/* The gateway as the user typed it ("vpn.example.com", "192.0.2.1"): named in the
	 * messages, and the expected remote ID when remote_id is NULL or empty. */
	const char *gateway;
	/*
	 * The profile's remote-id, or NULL: "fqdn:NAME" or a bare DNS name; "email:ADDR" (or
	 * "user-fqdn:ADDR") or a bare name with '@'; "dn:C=CH, O=Example, CN=vpn" (RDNs in
	 * order, separated by ',', "\," for a comma inside a value) or a bare string with '=';
	 * "ipv4:ADDR", "ipv6:ADDR" or a bare address.
	 */
	const char *remote_id;
	/* The profile's CA certificates (not taken over), or NULL for the system trust store. */
	STACK_OF(X509) *cas;
	/* Wall-clock time, seconds since the Unix epoch. */
	gint64 now;
} RoadieX509PeerPolicy;

/*
 * Steps 1-6 above for the @n_certs certificates the gateway sent, in any order (the leaf is
 * the one that issued none of the others), and its ID payload (@id_type per RFC 2407
 * §4.6.2.1, @id_data the identification data). On success *ret_leaf (if not NULL) gets a new
 * reference to the leaf, whose public key then verifies the SIG payload (crypto-sig.h).
 */
RoadieX509PeerResult roadie_x509_verify_peer(const RoadieX509PeerPolicy *policy,
					     const RoadieX509Der *certs, size_t n_certs,
					     uint8_t id_type, const uint8_t *id_data, size_t id_len,
					     X509 **ret_leaf, GError **error);

/* Step 5 alone: whether @cert backs the ID payload (type, data). */
RoadieX509PeerResult roadie_x509_match_id(X509 *cert, uint8_t id_type, const uint8_t *id_data,
					  size_t id_len, GError **error);

/* Step 6 alone: whether @cert is for @remote_id (syntax above; NULL or "": @gateway). */
RoadieX509PeerResult roadie_x509_match_remote_id(X509 *cert, const char *remote_id,
						 const char *gateway, GError **error);

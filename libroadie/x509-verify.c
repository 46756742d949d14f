/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Checking the gateway's certificate (x509-verify.h): the chain with OpenSSL's
 * X509_STORE_CTX, then our own checks on the leaf, each failure told in words.
 *
 * OpenSSL stops at the first problem, in this order: building the chain (an issuer it cannot
 * find: "signed by 'X', not by the CA you chose"), the chain's extensions (CA flags, path
 * lengths), then signatures and validity periods from the anchor down to the leaf. So a
 * certificate from another CA that has also expired is reported as from another CA, which is
 * the more useful sentence.
 */
#include <string.h>
#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/x509v3.h>

#include "x509-cred.h"
#include "x509-verify.h"

/* More certificates than any real chain; CERT payloads beyond it are a peer misbehaving. */
#define VERIFY_MAX_CERTS 16

G_DEFINE_QUARK(roadie-x509-verify-error-quark, roadie_x509_verify_error)

const char *roadie_x509_peer_result_name(RoadieX509PeerResult result)
{
	switch (result) {
	case ROADIE_X509_PEER_OK: return "ok";
	case ROADIE_X509_PEER_NO_CERT: return "no-cert";
	case ROADIE_X509_PEER_MALFORMED: return "malformed";
	case ROADIE_X509_PEER_UNTRUSTED: return "untrusted";
	case ROADIE_X509_PEER_EXPIRED: return "expired";
	case ROADIE_X509_PEER_NOT_YET_VALID: return "not-yet-valid";
	case ROADIE_X509_PEER_BAD_SIGNATURE: return "bad-signature";
	case ROADIE_X509_PEER_INVALID_CHAIN: return "invalid-chain";
	case ROADIE_X509_PEER_KEY_TYPE: return "key-type";
	case ROADIE_X509_PEER_KEY_USAGE: return "key-usage";
	case ROADIE_X509_PEER_EXT_KEY_USAGE: return "ext-key-usage";
	case ROADIE_X509_PEER_ID_UNSUPPORTED: return "id-unsupported";
	case ROADIE_X509_PEER_ID_MISMATCH: return "id-mismatch";
	case ROADIE_X509_PEER_NAME_MISMATCH: return "name-mismatch";
	case ROADIE_X509_PEER_INTERNAL: return "internal";
	}
	return "unknown";
}

G_GNUC_PRINTF(3, 4)
static RoadieX509PeerResult verify_fail(GError **error, RoadieX509PeerResult result,
					const char *format, ...)
{
	va_list args;

	ERR_clear_error();
	if (error) {
		va_start(args, format);
		*error = g_error_new_valist(ROADIE_X509_VERIFY_ERROR, (int)result, format, args);
		va_end(args);
	}
	return result;
}

/* ---- names ---- */

static char *verify_ip_display(const uint8_t *addr, size_t len)
{
	char text[INET6_ADDRSTRLEN];

	if ((len != 4 && len != 16) ||
	    !inet_ntop(len == 4 ? AF_INET : AF_INET6, addr, text, sizeof(text)))
		return g_strdup("an unreadable address");
	return g_strdup(text);
}

static char *verify_subject_line(const X509_NAME *name)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *text = NULL, *data;
	long n;

	if (bio && X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0 &&
	    (n = BIO_get_mem_data(bio, &data)) > 0)
		text = roadie_x509_text_display(data, (size_t)n);
	BIO_free(bio);
	ERR_clear_error();
	return text ? text : g_strdup("an empty name");
}

/* What a certificate is for, as a user would say it: its first DNS name, address or e-mail
 * address, else its subject's commonName. */
static char *verify_cert_name(X509 *cert)
{
	GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	char *text = NULL;
	static const int order[] = { GEN_DNS, GEN_IPADD, GEN_EMAIL };

	for (size_t k = 0; names && !text && k < G_N_ELEMENTS(order); k++) {
		for (int i = 0; !text && i < sk_GENERAL_NAME_num(names); i++) {
			const GENERAL_NAME *name = sk_GENERAL_NAME_value(names, i);
			const ASN1_STRING *s;

			if (name->type != order[k])
				continue;
			s = order[k] == GEN_DNS ? name->d.dNSName :
			    order[k] == GEN_EMAIL ? name->d.rfc822Name : name->d.iPAddress;
			if (order[k] == GEN_IPADD)
				text = verify_ip_display(ASN1_STRING_get0_data(s),
							 (size_t)ASN1_STRING_length(s));
			else if (ASN1_STRING_length(s) > 0)
				text = roadie_x509_text_display(ASN1_STRING_get0_data(s),
								(size_t)ASN1_STRING_length(s));
		}
	}
	GENERAL_NAMES_free(names);
	ERR_clear_error();
	return text ? text : roadie_x509_name_display(X509_get_subject_name(cert));
}

/* ---- the ID payload ---- */

/* A NUL-terminated copy of a name from the network, or NULL if it is empty or holds a NUL
 * (X509_check_host() and friends would read a length of 0 as "use strlen"). */
static char *verify_name_copy(const uint8_t *data, size_t len)
{
	if (!data || len == 0 || memchr(data, '\0', len))
		return NULL;
	return g_strndup((const char *)data, len);
}

RoadieX509PeerResult roadie_x509_match_id(X509 *cert, uint8_t id_type, const uint8_t *id_data,
					  size_t id_len, GError **error)
{
	g_autofree char *shown = NULL, *cert_name = NULL, *name = NULL;
	const unsigned char *p = id_data;
	X509_NAME *dn;
	bool match = false;

	switch (id_type) {
	case ROADIE_X509_ID_DER_ASN1_DN:
		dn = id_len <= LONG_MAX ? d2i_X509_NAME(NULL, &p, (long)id_len) : NULL;
		if (dn && p == id_data + id_len) {
			match = X509_NAME_cmp(dn, X509_get_subject_name(cert)) == 0;
			shown = verify_subject_line(dn);
		} else {
			shown = g_strdup("an unreadable distinguished name");
		}
		X509_NAME_free(dn);
		if (!match)
			cert_name = verify_subject_line(X509_get_subject_name(cert));
		break;
	case ROADIE_X509_ID_FQDN:
		name = verify_name_copy(id_data, id_len);
		match = name && X509_check_host(cert, name, id_len, X509_CHECK_FLAG_NO_WILDCARDS,
						NULL) == 1;
		break;
	case ROADIE_X509_ID_USER_FQDN:
		name = verify_name_copy(id_data, id_len);
		match = name && X509_check_email(cert, name, id_len, 0) == 1;
		break;
	case ROADIE_X509_ID_IPV4_ADDR:
	case ROADIE_X509_ID_IPV6_ADDR:
		match = id_len == (id_type == ROADIE_X509_ID_IPV4_ADDR ? 4u : 16u) &&
			X509_check_ip(cert, id_data, id_len, 0) == 1;
		shown = verify_ip_display(id_data, id_len);
		break;
	default:
		return verify_fail(error, ROADIE_X509_PEER_ID_UNSUPPORTED,
				   "the gateway identified itself by an ID of type %u, which a "
				   "certificate cannot confirm", id_type);
	}
	if (match) {
		ERR_clear_error();
		return ROADIE_X509_PEER_OK;
	}
	if (!shown)
		shown = roadie_x509_text_display(id_data, id_len);
	if (!cert_name)
		cert_name = verify_cert_name(cert);
	return verify_fail(error, ROADIE_X509_PEER_ID_MISMATCH,
			   "the gateway identified itself as '%s', but its certificate is for '%s'",
			   shown, cert_name);
}

/* ---- the expected remote ID ---- */

typedef enum {
	REMOTE_DNS,
	REMOTE_EMAIL,
	REMOTE_DN,
	REMOTE_IP,
} RemoteKind;

static const char *verify_strip_prefix(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	return g_ascii_strncasecmp(text, prefix, n) == 0 ? text + n : NULL;
}

static RemoteKind verify_remote_kind(const char *text, const char **ret_value)
{
	static const struct {
		const char *prefix;
		RemoteKind kind;
	} prefixes[] = {
		{ "fqdn:", REMOTE_DNS },     { "email:", REMOTE_EMAIL }, { "user-fqdn:", REMOTE_EMAIL },
		{ "dn:", REMOTE_DN },        { "ipv4:", REMOTE_IP },     { "ipv6:", REMOTE_IP },
	};
	unsigned char addr[16];

	for (size_t i = 0; i < G_N_ELEMENTS(prefixes); i++) {
		const char *rest = verify_strip_prefix(text, prefixes[i].prefix);

		if (rest) {
			*ret_value = rest;
			return prefixes[i].kind;
		}
	}
	*ret_value = text;
	if (inet_pton(AF_INET, text, addr) == 1 || inet_pton(AF_INET6, text, addr) == 1)
		return REMOTE_IP;
	if (strchr(text, '@'))
		return REMOTE_EMAIL;
	if (strchr(text, '='))
		return REMOTE_DN;
	return REMOTE_DNS;
}

static void verify_strip(GString *s)
{
	g_strstrip(s->str);
	g_string_set_size(s, strlen(s->str));
}

static bool verify_add_rdn(X509_NAME *name, GString *rdn)
{
	char *eq;
	const char *type;

	verify_strip(rdn);
	if (rdn->len == 0)
		return true; /* "a, , b" or a trailing comma */
	eq = strchr(rdn->str, '=');
	if (!eq)
		return false;
	*eq = '\0';
	g_strstrip(rdn->str);
	type = g_ascii_strcasecmp(rdn->str, "E") == 0 ? "emailAddress" : rdn->str;
	return X509_NAME_add_entry_by_txt(name, type, MBSTRING_UTF8,
					  (const unsigned char *)g_strstrip(eq + 1), -1, -1, 0) == 1;
}

/* "C=CH, O=Example, CN=vpn" as an X509_NAME in that order; NULL if it does not parse. */
static X509_NAME *verify_parse_dn(const char *text)
{
	X509_NAME *name = X509_NAME_new();
	g_autoptr(GString) rdn = g_string_new(NULL);
	bool ok = name != NULL;

	for (const char *p = text; ok && *p; p++) {
		if (*p == '\\' && p[1]) {
			g_string_append_c(rdn, *++p);
		} else if (*p == ',') {
			ok = verify_add_rdn(name, rdn);
			g_string_truncate(rdn, 0);
		} else {
			g_string_append_c(rdn, *p);
		}
	}
	if (ok)
		ok = verify_add_rdn(name, rdn);
	if (ok && X509_NAME_entry_count(name) == 0)
		ok = false;
	if (!ok)
		g_clear_pointer(&name, X509_NAME_free);
	ERR_clear_error();
	return name;
}

RoadieX509PeerResult roadie_x509_match_remote_id(X509 *cert, const char *remote_id,
						 const char *gateway, GError **error)
{
	const char *expected = remote_id && *remote_id ? remote_id : gateway;
	g_autofree char *shown = NULL, *cert_name = NULL, *host = NULL;
	const char *value;
	X509_NAME *dn;
	bool match = false;
	size_t len;

	if (!expected || !*expected)
		return verify_fail(error, ROADIE_X509_PEER_NAME_MISMATCH,
				   "there is no gateway name to check its certificate against");
	switch (verify_remote_kind(expected, &value)) {
	case REMOTE_DNS:
		/* An absolute name's final dot is not part of a certificate's names. */
		host = g_strdup(value);
		len = strlen(host);
		if (len > 1 && host[len - 1] == '.')
			host[--len] = '\0';
		match = len > 0 && X509_check_host(cert, host, len, X509_CHECK_FLAG_NO_WILDCARDS,
						   NULL) == 1;
		break;
	case REMOTE_EMAIL:
		match = *value && X509_check_email(cert, value, strlen(value), 0) == 1;
		break;
	case REMOTE_IP:
		match = X509_check_ip_asc(cert, value, 0) == 1;
		break;
	case REMOTE_DN:
		dn = verify_parse_dn(value);
		match = dn && X509_NAME_cmp(dn, X509_get_subject_name(cert)) == 0;
		X509_NAME_free(dn);
		cert_name = verify_subject_line(X509_get_subject_name(cert));
		break;
	}
	if (match) {
		ERR_clear_error();
		return ROADIE_X509_PEER_OK;
	}
	shown = roadie_x509_text_display(expected, strlen(expected));
	if (!cert_name)
		cert_name = verify_cert_name(cert);
	return verify_fail(error, ROADIE_X509_PEER_NAME_MISMATCH,
			   "the gateway's certificate is for '%s', not for %s", cert_name, shown);
}

/* ---- the chain ---- */

/* The leaf: the first certificate that issued none of the others. Gateways send the leaf
 * first, but RFC 2408 §3.9 fixes no order. */
static int verify_pick_leaf(STACK_OF(X509) *certs)
{
	int n = sk_X509_num(certs);

	for (int i = 0; i < n; i++) {
		X509 *c = sk_X509_value(certs, i);
		bool issuer = false;

		for (int j = 0; j < n && !issuer; j++)
			issuer = j != i && X509_check_issued(c, sk_X509_value(certs, j)) == X509_V_OK;
		if (!issuer)
			return i;
	}
	return 0;
}

/* The CA the profile chose, for messages: "the CA you chose ('Office CA')". */
static char *verify_chosen_ca(STACK_OF(X509) *cas)
{
	g_autofree char *first = NULL;

	if (sk_X509_num(cas) != 1)
		return g_strdup_printf("any of the %d CAs you chose", sk_X509_num(cas));
	first = roadie_x509_name_display(X509_get_subject_name(sk_X509_value(cas, 0)));
	return g_strdup_printf("the CA you chose ('%s')", first);
}

static RoadieX509PeerResult verify_chain_error(const RoadieX509PeerPolicy *policy,
					       X509_STORE_CTX *ctx, GError **error)
{
	int err = X509_STORE_CTX_get_error(ctx);
	int depth = X509_STORE_CTX_get_error_depth(ctx);
	X509 *cert = X509_STORE_CTX_get_current_cert(ctx);
	const char *gw = policy->gateway;
	g_autofree char *signer = NULL, *ca = NULL, *date = NULL, *name = NULL;

	switch (err) {
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_CERT_UNTRUSTED:
		/* A self-signed certificate is its own signer; otherwise name the missing issuer. */
		if (!cert)
			signer = g_strdup("an unknown issuer");
		else if (err == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
			 err == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN)
			signer = roadie_x509_name_display(X509_get_subject_name(cert));
		else
			signer = roadie_x509_name_display(X509_get_issuer_name(cert));
		if (!policy->cas)
			return verify_fail(error, ROADIE_X509_PEER_UNTRUSTED,
					   "the gateway's certificate for %s is signed by '%s', which "
					   "this computer does not trust", gw, signer);
		ca = verify_chosen_ca(policy->cas);
		return verify_fail(error, ROADIE_X509_PEER_UNTRUSTED,
				   "the gateway's certificate for %s is signed by '%s', not by %s",
				   gw, signer, ca);
	case X509_V_ERR_CERT_HAS_EXPIRED:
	case X509_V_ERR_CERT_NOT_YET_VALID: {
		bool expired = err == X509_V_ERR_CERT_HAS_EXPIRED;
		RoadieX509PeerResult result = expired ? ROADIE_X509_PEER_EXPIRED :
							ROADIE_X509_PEER_NOT_YET_VALID;

		date = roadie_x509_time_display(!cert ? NULL :
						expired ? X509_get0_notAfter(cert) :
							  X509_get0_notBefore(cert));
		if (depth == 0)
			return verify_fail(error, result,
					   expired ? "the gateway's certificate for %s expired on %s" :
						     "the gateway's certificate for %s is not valid "
						     "until %s (is this computer's clock right?)",
					   gw, date);
		name = cert ? roadie_x509_name_display(X509_get_subject_name(cert)) :
			      g_strdup("?");
		return verify_fail(error, result,
				   expired ? "the certificate '%s' in the chain of the gateway's "
					     "certificate for %s expired on %s" :
					     "the certificate '%s' in the chain of the gateway's "
					     "certificate for %s is not valid until %s (is this "
					     "computer's clock right?)",
				   name, gw, date);
	}
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
	case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
		return verify_fail(error, ROADIE_X509_PEER_BAD_SIGNATURE,
				   "the gateway's certificate for %s carries a signature that does "
				   "not verify", gw);
	default:
		return verify_fail(error, ROADIE_X509_PEER_INVALID_CHAIN,
				   "the gateway's certificate for %s could not be verified: %s", gw,
				   X509_verify_cert_error_string(err));
	}
}

static RoadieX509PeerResult verify_chain(const RoadieX509PeerPolicy *policy, X509 *leaf,
					 STACK_OF(X509) *untrusted, GError **error)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	RoadieX509PeerResult result = ROADIE_X509_PEER_INTERNAL;
	X509_VERIFY_PARAM *param;
	bool ok = store && ctx;

	for (int i = 0; ok && policy->cas && i < sk_X509_num(policy->cas); i++)
		ok = X509_STORE_add_cert(store, sk_X509_value(policy->cas, i)) == 1;
	if (ok && !policy->cas)
		ok = X509_STORE_set_default_paths(store) == 1;
	if (ok)
		ok = X509_STORE_CTX_init(ctx, store, leaf, untrusted) == 1;
	if (!ok) {
		verify_fail(error, result, "cannot check the gateway's certificate: out of memory");
		goto out;
	}
	param = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_time(param, (time_t)policy->now);
	/* Any CA of the profile is an anchor, even one that is not self-signed (an intermediate,
	 * or the gateway's own self-signed certificate). */
	if (policy->cas)
		X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
	if (X509_verify_cert(ctx) == 1)
		result = ROADIE_X509_PEER_OK;
	else
		result = verify_chain_error(policy, ctx, error);
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	ERR_clear_error();
	return result;
}

/* ---- usage ---- */

/* Microsoft's "IP security IKE intermediate", which Windows CAs put on IPsec certificates
 * (OpenSSL 3.0 has no NID for it). */
#define VERIFY_OID_IKE_INTERMEDIATE "1.3.6.1.5.5.8.2.2"

static bool verify_eku_ok(const ASN1_OBJECT *obj)
{
	char oid[80];

	switch (OBJ_obj2nid(obj)) {
	case NID_server_auth:
	case NID_ipsec_IKE:
	case NID_ipsecEndSystem:
	case NID_ipsecTunnel:
	case NID_ipsecUser:
	case NID_anyExtendedKeyUsage:
		return true;
	default:
		return OBJ_obj2txt(oid, sizeof(oid), obj, 1) > 0 &&
		       strcmp(oid, VERIFY_OID_IKE_INTERMEDIATE) == 0;
	}
}

static RoadieX509PeerResult verify_usage(const RoadieX509PeerPolicy *policy, X509 *leaf,
					 GError **error)
{
	EXTENDED_KEY_USAGE *eku;
	g_autoptr(GString) purposes = NULL;
	int crit = -1, n;

	if ((X509_get_extension_flags(leaf) & EXFLAG_KUSAGE) &&
	    !(X509_get_key_usage(leaf) & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)))
		return verify_fail(error, ROADIE_X509_PEER_KEY_USAGE,
				   "the gateway's certificate for %s may not be used for signatures "
				   "(its key usage lacks digitalSignature)", policy->gateway);

	eku = X509_get_ext_d2i(leaf, NID_ext_key_usage, &crit, NULL);
	if (!eku) {
		if (crit == -1)
			return ROADIE_X509_PEER_OK; /* no EKU: any use (RFC 5280 §4.2.1.12) */
		return verify_fail(error, ROADIE_X509_PEER_EXT_KEY_USAGE,
				   "the gateway's certificate for %s has an unreadable extended key "
				   "usage", policy->gateway);
	}
	n = sk_ASN1_OBJECT_num(eku);
	purposes = g_string_new(NULL);
	for (int i = 0; i < n; i++) {
		const ASN1_OBJECT *obj = sk_ASN1_OBJECT_value(eku, i);
		int nid = OBJ_obj2nid(obj);
		char oid[80];

		if (verify_eku_ok(obj)) {
			EXTENDED_KEY_USAGE_free(eku);
			return ROADIE_X509_PEER_OK;
		}
		if (i > 0)
			g_string_append(purposes, i == n - 1 ? " and " : ", ");
		if (nid != NID_undef && OBJ_nid2sn(nid))
			g_string_append(purposes, OBJ_nid2sn(nid));
		else if (OBJ_obj2txt(oid, sizeof(oid), obj, 1) > 0)
			g_string_append(purposes, oid);
		else
			g_string_append(purposes, "an unknown purpose");
	}
	EXTENDED_KEY_USAGE_free(eku);
	return verify_fail(error, ROADIE_X509_PEER_EXT_KEY_USAGE,
			   "the gateway's certificate for %s is not valid for IPsec (its extended "
			   "key usage is %s only)", policy->gateway,
			   n > 0 ? purposes->str : "empty");
}

/* ---- all together ---- */

RoadieX509PeerResult roadie_x509_verify_peer(const RoadieX509PeerPolicy *policy,
					     const RoadieX509Der *certs, size_t n_certs,
					     uint8_t id_type, const uint8_t *id_data, size_t id_len,
					     X509 **ret_leaf, GError **error)
{
	STACK_OF(X509) *chain = NULL;
	RoadieX509PeerResult result;
	g_autofree char *why = NULL;
	X509 *leaf = NULL;

	if (n_certs == 0)
		return verify_fail(error, ROADIE_X509_PEER_NO_CERT, "the gateway sent no certificate");
	if (n_certs > VERIFY_MAX_CERTS)
		return verify_fail(error, ROADIE_X509_PEER_MALFORMED,
				   "the gateway sent %zu certificates; at most %d are accepted",
				   n_certs, VERIFY_MAX_CERTS);
	chain = sk_X509_new_null();
	if (!chain)
		return verify_fail(error, ROADIE_X509_PEER_INTERNAL,
				   "cannot check the gateway's certificate: out of memory");
	for (size_t i = 0; i < n_certs; i++) {
		const unsigned char *p = certs[i].data;
		X509 *cert = certs[i].len <= LONG_MAX ? d2i_X509(NULL, &p, (long)certs[i].len) : NULL;

		if (!cert || p != certs[i].data + certs[i].len || !sk_X509_push(chain, cert)) {
			X509_free(cert);
			result = verify_fail(error, ROADIE_X509_PEER_MALFORMED,
					     "the gateway sent a certificate that cannot be read");
			goto out;
		}
	}
	leaf = sk_X509_delete(chain, verify_pick_leaf(chain));

	result = verify_chain(policy, leaf, chain, error);
	if (result != ROADIE_X509_PEER_OK)
		goto out;
	if (!roadie_x509_key_usable(X509_get0_pubkey(leaf), &why)) {
		result = verify_fail(error, ROADIE_X509_PEER_KEY_TYPE,
				     "the gateway's certificate for %s has %s, which IKEv1 signatures "
				     "cannot use", policy->gateway, why);
		goto out;
	}
	result = verify_usage(policy, leaf, error);
	if (result == ROADIE_X509_PEER_OK)
		result = roadie_x509_match_id(leaf, id_type, id_data, id_len, error);
	if (result == ROADIE_X509_PEER_OK)
		result = roadie_x509_match_remote_id(leaf, policy->remote_id, policy->gateway, error);
	if (result == ROADIE_X509_PEER_OK && ret_leaf)
		*ret_leaf = g_steal_pointer(&leaf);
out:
	X509_free(leaf);
	sk_X509_pop_free(chain, X509_free);
	ERR_clear_error();
	return result;
}

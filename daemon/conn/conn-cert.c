/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Certificate authentication for one connection (RFC 2409 §5.1): our credential and the CAs
 * from the contents the front end sent (the profile's *_data: roadied opens no path a caller
 * names), turned into IKE's configuration, and the judge of the gateway's certificates that
 * IKE calls in MM6 (x509-verify.h: chain, dates, usage, its ID, the expected remote ID).
 */
#define G_LOG_DOMAIN "roadied"
#include <string.h>

#include <openssl/x509.h>

#include "conn-private.h"
#include "x509-cred.h"
#include "x509-verify.h"

static const char *conn_cert_label(const char *path, const char *fallback)
{
	const char *slash;

	if (!path || !path[0])
		return fallback;
	slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}

/* Whether "dn:NAME" names @cert's subject, by x509-verify's own DN matching: in the
 * certificate's order (strongSwan's "O=Example, CN=alice"), or reversed (RFC 4514's
 * "CN=alice,O=Example"), which is read back to front. */
static bool cert_subject_is(X509 *cert, const char *dn_id)
{
	g_auto(GStrv) rdns = NULL;
	g_autofree char *reversed = NULL;
	g_autofree char *as_written = g_strconcat("dn:", dn_id + 3, NULL); /* "DN:" too */
	GString *text;
	guint n;

	if (roadie_x509_match_remote_id(cert, as_written, NULL, NULL) == ROADIE_X509_PEER_OK)
		return true;
	if (strchr(dn_id, '\\'))
		return false; /* escaped commas: only as written */
	rdns = g_strsplit(dn_id + 3, ",", -1);
	n = g_strv_length(rdns);
	text = g_string_new("dn:");
	for (guint k = n; k > 0; k--)
		g_string_append_printf(text, "%s%s", k == n ? "" : ",", g_strstrip(rdns[k - 1]));
	reversed = g_string_free(text, FALSE);
	return roadie_x509_match_remote_id(cert, reversed, NULL, NULL) == ROADIE_X509_PEER_OK;
}

/* local-id naming only a kind of ID ("fqdn", "email", "ipv4", "ipv6", "dn", each with or
 * without a colon), or none: that kind, taken from our certificate. False when local-id
 * carries a value of its own. */
static bool cert_local_id_kind(const char *local_id, RoadieX509IdType *ret_type,
			       uint8_t *ret_ike_type)
{
	static const struct {
		const char *name;
		RoadieX509IdType type;
		uint8_t ike_type;
	} kinds[] = {
		{ "dn", ROADIE_X509_ID_DER_ASN1_DN, IKE_ID_DER_ASN1_DN },
		{ "fqdn", ROADIE_X509_ID_FQDN, IKE_ID_FQDN },
		{ "email", ROADIE_X509_ID_USER_FQDN, IKE_ID_USER_FQDN },
		{ "ipv4", ROADIE_X509_ID_IPV4_ADDR, IKE_ID_IPV4_ADDR },
		{ "ipv6", ROADIE_X509_ID_IPV6_ADDR, IKE_ID_IPV6_ADDR },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
		size_t n = strlen(kinds[i].name);

		if (!local_id || !local_id[0] ||
		    (g_ascii_strncasecmp(local_id, kinds[i].name, n) == 0 &&
		     (local_id[n] == 0 || (local_id[n] == ':' && local_id[n + 1] == 0)))) {
			*ret_type = local_id && local_id[0] ? kinds[i].type : ROADIE_X509_ID_DER_ASN1_DN;
			*ret_ike_type = local_id && local_id[0] ? kinds[i].ike_type : IKE_ID_DER_ASN1_DN;
			return true;
		}
	}
	return false;
}

bool conn_cert_setup(struct conn *c, struct ike_sa_config *cfg, char **ret_message)
{
	const RoadieProfile *p = c->profile;
	g_autoptr(GError) error = NULL;
	RoadieX509Blob cert = { 0 }, key = { 0 };
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	unsigned n = 0;

	if (!p->certificate_data) {
		*ret_message = g_strdup("ipsec.certificate: certificate authentication needs our "
					"certificate (the front end sends its contents)");
		return false;
	}
	cert.data = g_bytes_get_data(p->certificate_data, &cert.len);
	cert.label = conn_cert_label(p->certificate, "the certificate");
	if (p->private_key_data) {
		key.data = g_bytes_get_data(p->private_key_data, &key.len);
		key.label = conn_cert_label(p->private_key, "the private key");
	}
	c->cred = roadie_x509_cred_load(&cert, p->private_key_data ? &key : NULL,
					p->private_key_password, now, &error);
	if (!c->cred) {
		*ret_message = g_strdup(error->message);
		return false;
	}
	if (p->ca_certificate_data) {
		RoadieX509Blob ca = { .label = conn_cert_label(p->ca_certificate, "the CA") };

		ca.data = g_bytes_get_data(p->ca_certificate_data, &ca.len);
		c->cas = roadie_x509_load_cas(&ca, &error);
		if (!c->cas) {
			*ret_message = g_strdup(error->message);
			return false;
		}
		/* our CR names the first CA (RFC 2408 §3.10): its subject, DER */
		{
			X509_NAME *name = X509_get_subject_name(sk_X509_value(c->cas, 0));
			unsigned char *der = NULL;
			int len = i2d_X509_NAME(name, &der);

			if (len > 0)
				c->ca_dn = g_bytes_new(der, (gsize)len);
			OPENSSL_free(der);
		}
	}

	/* what we send: our certificate, then the chain that came with it */
	c->cert_der[n++] = roadie_x509_cert_der(c->cred->cert);
	for (int i = 0; i < sk_X509_num(c->cred->extra) && n < IKE_MAX_CERTS; i++)
		c->cert_der[n++] = roadie_x509_cert_der(sk_X509_value(c->cred->extra, i));
	for (unsigned i = 0; i < n; i++) {
		if (!c->cert_der[i]) {
			*ret_message = g_strdup("our certificate cannot be encoded");
			return false;
		}
		cfg->certs[i].data = g_bytes_get_data(c->cert_der[i], &cfg->certs[i].len);
	}
	cfg->n_certs = n;
	cfg->sig_key = c->cred->key;
	if (c->ca_dn)
		cfg->ca_dn.data = g_bytes_get_data(c->ca_dn, &cfg->ca_dn.len);
	/* certificate exchanges are large: fragmentation on (ike-frag.h) unless the profile
	 * turns it off */
	cfg->fragmentation = p->fragmentation;

	/* the gateway's ID is judged against its certificate by conn_cert_verify_peer */
	memset(&cfg->remote_id, 0, sizeof(cfg->remote_id));

	/* our ID, from the certificate: its subject (DER_ASN1_DN, as Windows sends) by default,
	 * or the kind local-id names without a value ("fqdn", "email", "ipv4", "ipv6", "dn"):
	 * the certificate's first subjectAltName of that kind. A local-id with a value is
	 * sent as written (conn_id). */
	{
		RoadieX509IdType want;
		uint8_t ike_type;

		if (p->local_id && g_ascii_strncasecmp(p->local_id, "dn:", 3) == 0) {
			/* a DN goes as DER: it must be our certificate's subject */
			if (!cert_subject_is(c->cred->cert, p->local_id)) {
				*ret_message = g_strdup_printf(
					"local-id names the distinguished name '%s', but our "
					"certificate's subject is another",
					p->local_id + 3);
				return false;
			}
			want = ROADIE_X509_ID_DER_ASN1_DN;
			ike_type = IKE_ID_DER_ASN1_DN;
		} else if (!cert_local_id_kind(p->local_id, &want, &ike_type)) {
			return true; /* a value of its own: as written */
		}
		g_autoptr(GBytes) value = roadie_x509_cert_id(c->cred->cert, want, cert.label,
							      &error);
		size_t len = 0;
		const void *data = value ? g_bytes_get_data(value, &len) : NULL;

		if (!data || len > sizeof(c->local_id)) {
			*ret_message = g_strdup(error ? error->message
						      : "our certificate's identity is too long for IKE");
			return false;
		}
		memcpy(c->local_id, data, len);
		cfg->local_id = (struct ike_id){ .type = ike_type, .data = c->local_id, .len = len };
	}
	return true;
}

EVP_PKEY *conn_cert_verify_peer(void *user, const struct ike_blob *certs, unsigned n_certs,
				const struct ike_id *id, char *why, size_t why_len)
{
	struct conn *c = user;
	RoadieX509Der der[IKE_MAX_CERTS];
	RoadieX509PeerPolicy policy = {
		.gateway = c->profile->gateway,
		.remote_id = c->profile->remote_id,
		.cas = c->cas,
		.now = g_get_real_time() / G_USEC_PER_SEC,
	};
	g_autoptr(GError) error = NULL;
	RoadieX509PeerResult result;
	X509 *leaf = NULL;
	EVP_PKEY *key;

	for (unsigned i = 0; i < n_certs && i < IKE_MAX_CERTS; i++)
		der[i] = (RoadieX509Der){ certs[i].data, certs[i].len };
	result = roadie_x509_verify_peer(&policy, der, MIN(n_certs, IKE_MAX_CERTS), id->type,
					 id->data, id->len, &leaf, &error);
	if (result != ROADIE_X509_PEER_OK) {
		g_strlcpy(why, error ? error->message : roadie_x509_peer_result_name(result),
			  why_len);
		X509_free(leaf);
		return NULL;
	}
	key = X509_get_pubkey(leaf);
	if (!key) {
		g_strlcpy(why, "the gateway's certificate has no usable public key", why_len);
	} else {
		g_autofree char *subject = roadie_x509_name_display(X509_get_subject_name(leaf));
		g_autofree char *issuer = roadie_x509_name_display(X509_get_issuer_name(leaf));

		conn_progress(c, "the gateway's certificate checks out: '%s', issued by '%s'",
			      subject, issuer);
	}
	X509_free(leaf);
	return key;
}

void conn_cert_clear(struct conn *c)
{
	c->cred = roadie_x509_cred_free(c->cred);
	if (c->cas) {
		sk_X509_pop_free(c->cas, X509_free);
		c->cas = NULL;
	}
	g_clear_pointer(&c->ca_dn, g_bytes_unref);
	for (unsigned i = 0; i < IKE_MAX_CERTS; i++)
		g_clear_pointer(&c->cert_der[i], g_bytes_unref);
}

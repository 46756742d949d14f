/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <openssl/x509.h>

#include "profile-certs.h"
#include "x509-cred.h"

bool roadie_profile_load_cert_files(RoadieProfile *profile, GError **error)
{
	g_autoptr(GBytes) cert = NULL;
	g_autoptr(GBytes) key = NULL;
	g_autoptr(GBytes) ca = NULL;
	g_autoptr(RoadieX509Cred) cred = NULL;
	RoadieX509Blob cert_blob, key_blob;

	if (profile->ipsec_auth != ROADIE_IPSEC_AUTH_CERT || !profile->certificate)
		return true;
	if (!(cert = roadie_x509_read_file(profile->certificate, error)) ||
	    (profile->private_key && !(key = roadie_x509_read_file(profile->private_key, error))) ||
	    (profile->ca_certificate &&
	     !(ca = roadie_x509_read_file(profile->ca_certificate, error))))
		return false;

	cert_blob = (RoadieX509Blob){ .label = profile->certificate };
	cert_blob.data = g_bytes_get_data(cert, &cert_blob.len);
	key_blob = (RoadieX509Blob){ .label = profile->private_key };
	if (key)
		key_blob.data = g_bytes_get_data(key, &key_blob.len);
	cred = roadie_x509_cred_load(&cert_blob, key ? &key_blob : NULL,
				     profile->private_key_password,
				     g_get_real_time() / G_USEC_PER_SEC, error);
	if (!cred)
		return false;
	if (ca) {
		RoadieX509Blob ca_blob = { .label = profile->ca_certificate };
		STACK_OF(X509) *cas;

		ca_blob.data = g_bytes_get_data(ca, &ca_blob.len);
		cas = roadie_x509_load_cas(&ca_blob, error);
		if (!cas)
			return false;
		sk_X509_pop_free(cas, X509_free);
	}
	g_clear_pointer(&profile->certificate_data, g_bytes_unref);
	g_clear_pointer(&profile->private_key_data, g_bytes_unref);
	g_clear_pointer(&profile->ca_certificate_data, g_bytes_unref);
	profile->certificate_data = g_steal_pointer(&cert);
	profile->private_key_data = g_steal_pointer(&key);
	profile->ca_certificate_data = g_steal_pointer(&ca);
	/* roadied refuses the paths (it opens none): the contents stand in for them */
	g_clear_pointer(&profile->certificate, g_free);
	g_clear_pointer(&profile->private_key, g_free);
	g_clear_pointer(&profile->ca_certificate, g_free);
	return true;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libroadie's x509-cred.h tells formats apart only while it loads a whole credential (which
 * needs the key and its password); the editor wants the format of one file as soon as it is
 * chosen, so it looks at the bytes the same way: a PEM armour line, else a DER PKCS#12
 * (RFC 7292) or an X.509 certificate that spans the whole file. A key in DER is recognised
 * by OpenSSL's decoders (PKCS#8, plain or encrypted, or the traditional form).
 */
#include "config.h"

#include <limits.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "x509-cred.h"

#include "roadie-editor-certfile.h"

static bool certfile_is_pem(const void *data, size_t len)
{
	return len >= 11 && memmem(data, len, "-----BEGIN ", 11) != NULL;
}

/* Each: whether one DER object of that kind spans all of @data (no trailing bytes). */
static bool certfile_is_der_pkcs12(const unsigned char *data, long len)
{
	const unsigned char *p = data;
	PKCS12 *p12 = d2i_PKCS12(NULL, &p, len);
	bool whole = p12 && p == data + len;

	PKCS12_free(p12);
	return whole;
}

static bool certfile_is_der_cert(const unsigned char *data, long len)
{
	const unsigned char *p = data;
	X509 *cert = d2i_X509(NULL, &p, len);
	bool whole = cert && p == data + len;

	X509_free(cert);
	return whole;
}

static bool certfile_is_der_key(const unsigned char *data, long len)
{
	const unsigned char *p = data;
	X509_SIG *encrypted = d2i_X509_SIG(NULL, &p, len);
	bool whole = encrypted && p == data + len;
	EVP_PKEY *key;

	X509_SIG_free(encrypted);
	if (whole)
		return true;
	p = data;
	key = d2i_AutoPrivateKey(NULL, &p, len);
	whole = key && p == data + len;
	EVP_PKEY_free(key);
	return whole;
}

bool roadie_editor_certfile_describe(const char *path, RoadieCertfileKind kind,
				     char **ret_label, char **ret_why)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	const unsigned char *data;
	size_t len;
	bool ok = true;

	bytes = roadie_x509_read_file(path, &error);
	if (!bytes) {
		*ret_label = g_strdup(g_file_test(path, G_FILE_TEST_EXISTS) ? _("unreadable")
									    : _("not found"));
		*ret_why = g_strdup(error->message);
		return false;
	}
	data = g_bytes_get_data(bytes, &len);
	*ret_why = NULL;
	if (certfile_is_pem(data, len)) {
		*ret_label = g_strdup(_("PEM"));
	} else if (len <= LONG_MAX && certfile_is_der_pkcs12(data, (long)len)) {
		*ret_label = g_strdup(_("PKCS#12"));
	} else if (len <= LONG_MAX && (kind == ROADIE_CERTFILE_KEY
					       ? certfile_is_der_key(data, (long)len)
					       : certfile_is_der_cert(data, (long)len))) {
		*ret_label = g_strdup(_("DER"));
	} else {
		g_autofree char *name = g_filename_display_basename(path);

		*ret_label = g_strdup(_("unknown"));
		*ret_why = g_strdup_printf(kind == ROADIE_CERTFILE_KEY
						   ? _("%s is not a private key in PEM, DER or "
						       "PKCS#12 form")
						   : _("%s is not a certificate in PEM, DER or "
						       "PKCS#12 form"),
					   name);
		ok = false;
	}
	ERR_clear_error();
	return ok;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The format label next to a certificate or key file name. libroadie tells the formats apart
 * by their bytes (roadie_x509_detect_format), the same way it does when the credential is
 * loaded, and without the key's password: the editor describes a file as soon as it is chosen.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "x509-cred.h"

#include "roadie-editor-certfile.h"

static const char *certfile_format_label(RoadieX509Format format)
{
	switch (format) {
	case ROADIE_X509_FORMAT_PEM:
		return _("PEM");
	case ROADIE_X509_FORMAT_DER:
		return _("DER");
	case ROADIE_X509_FORMAT_PKCS12:
		return _("PKCS#12");
	}
	return _("unknown");
}

bool roadie_editor_certfile_describe(const char *path, RoadieCertfileKind kind,
				     char **ret_label, char **ret_why)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autofree char *name = NULL;
	RoadieX509Blob blob = { 0 };
	RoadieX509Format format;

	bytes = roadie_x509_read_file(path, &error);
	if (!bytes) {
		*ret_label = g_strdup(g_file_test(path, G_FILE_TEST_EXISTS) ? _("unreadable")
									    : _("not found"));
		*ret_why = g_strdup(error->message);
		return false;
	}
	name = g_filename_display_basename(path);
	blob.data = g_bytes_get_data(bytes, &blob.len);
	blob.label = name;
	if (roadie_x509_detect_format(&blob, kind == ROADIE_CERTFILE_KEY, &format)) {
		*ret_label = g_strdup(certfile_format_label(format));
		*ret_why = NULL;
		return true;
	}
	*ret_label = g_strdup(_("unknown"));
	if (kind == ROADIE_CERTFILE_KEY)
		*ret_why = g_strdup_printf(_("%s is not a private key in PEM, DER or PKCS#12 form"),
					   name);
	else
		*ret_why = g_strdup_printf(_("%s is not a certificate in PEM, DER or PKCS#12 form"),
					   name);
	return false;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the editor shows next to a certificate or key file name: the file's format as its
 * bytes tell it (PEM, DER, PKCS#12), or why it cannot be used.
 */
#pragma once

#include <stdbool.h>

typedef enum {
	ROADIE_CERTFILE_CERTIFICATE, /* ours, or the CA's */
	ROADIE_CERTFILE_KEY,
} RoadieCertfileKind;

/* A short label ("PEM", "DER", "PKCS#12", "not found") in *ret_label and, when the file
 * cannot be used, a sentence in *ret_why (NULL otherwise); both g_free. Reads the file (at
 * most ROADIE_X509_MAX_FILE bytes) with the user's rights. Returns whether it looks usable. */
bool roadie_editor_certfile_describe(const char *path, RoadieCertfileKind kind,
				     char **ret_label, char **ret_why);

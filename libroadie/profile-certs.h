/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A certificate profile's files, made ready for roadied by a front end (roadiectl, the applet):
 * read with the caller's own rights, checked the way roadied will load them, and carried as
 * contents, because roadied opens no path a caller names (DESIGN.md).
 */
#pragma once

#include <stdbool.h>
#include <glib.h>

#include "profile.h"

/*
 * For ipsec.auth=cert: reads the certificate, private key and CA files @profile names, checks
 * that the key opens with the profile's private-key-password and belongs to the certificate,
 * that the certificate is valid now and that the CA file parses; then sets certificate_data,
 * private_key_data and ca_certificate_data and clears the paths. Nothing to do for other
 * profiles or without a certificate path.
 *
 * On failure @profile is unchanged and @error is in ROADIE_X509_CRED_ERROR, naming the file:
 * ROADIE_X509_CRED_PASSWORD_NEEDED or _WRONG_PASSWORD when the key's password is missing or
 * wrong (a front end may ask and call again), _FILE when a file cannot be read, others when
 * its contents do not do.
 */
bool roadie_profile_load_cert_files(RoadieProfile *profile, GError **error);

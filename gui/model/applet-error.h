/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The applet model's GError domain, and the one function that turns roadied's D-Bus errors
 * (org.roadie.Error.*, and the bus's own answers when roadied cannot be reached) into it.
 *
 * ROADIE_APPLET_ERROR_NEEDS_SECRET carries the names of the missing secrets (extended GError,
 * GLib 2.68), so a dialog knows what to ask for without parsing the message:
 *
 *   if (g_error_matches(error, ROADIE_APPLET_ERROR, ROADIE_APPLET_ERROR_NEEDS_SECRET))
 *       keys = roadie_applet_error_get_secret_keys(error);  // {"password", NULL}
 *
 * The names are those of roadied's secrets a{sv} and of the keyring (secret-store.h):
 * "ipsec-psk", "password", "l2tp-secret", "ipsec-private-key-password".
 */
#pragma once

#include <glib.h>

typedef enum {
	ROADIE_APPLET_ERROR_FAILED,            /* roadied's .Failed, or anything unforeseen */
	ROADIE_APPLET_ERROR_NO_PROFILE,        /* no profile of that name */
	ROADIE_APPLET_ERROR_INVALID_PROFILE,   /* the profile file has a problem (its message) */
	ROADIE_APPLET_ERROR_NEEDS_SECRET,      /* secrets missing or refused: see above */
	ROADIE_APPLET_ERROR_CERTIFICATE,       /* a certificate, key or CA file is not usable */
	ROADIE_APPLET_ERROR_NOT_RUNNING,       /* roadied is not running and cannot be started */
	ROADIE_APPLET_ERROR_NOT_AUTHORIZED,    /* polkit or the bus policy said no */
	ROADIE_APPLET_ERROR_INVALID_SETTINGS,  /* roadied refused a setting ("ipsec.ike: ...") */
	ROADIE_APPLET_ERROR_INVALID_SECRETS,   /* roadied refused a secret */
	ROADIE_APPLET_ERROR_ALREADY_CONNECTED, /* this profile's connection exists */
	ROADIE_APPLET_ERROR_NOT_CONNECTED,     /* disconnect: nothing of that profile is up */
} RoadieAppletError;

#define ROADIE_APPLET_ERROR (roadie_applet_error_quark())
GQuark roadie_applet_error_quark(void);

/* Sets ROADIE_APPLET_ERROR_NEEDS_SECRET naming @keys (NULL-terminated, at least one). */
void roadie_applet_error_set_needs_secret(GError **error, const char *const *keys,
					  const char *format, ...) G_GNUC_PRINTF(3, 4);
/* The secrets a NEEDS_SECRET error names; NULL for any other error. */
const char *const *roadie_applet_error_get_secret_keys(const GError *error);

/* A GError from a D-Bus call to roadied (or from the bus about roadied) as a new
 * ROADIE_APPLET_ERROR with roadied's own message, the remote error name stripped. */
GError *roadie_applet_error_from_dbus(const GError *error);

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The words roadie-applet shows for what roadied reports (data/dbus/org.roadie.Connection1.xml):
 * its State strings, its Nat values and Negotiated keys, a time connected and traffic, as
 * translated phrases for the menu, the notifications and the "Connection details" window.
 * GLib only: the tray menu and the details window share them.
 *
 * The const char * results are static translated strings; the char * results are the
 * caller's to g_free().
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * roadied's State as a short phrase: "Connecting: IPsec (phase 1)…", "Connected",
 * "Reconnecting…", "Failed". NULL or "" (no connection) reads "Disconnected"; a state this
 * applet does not know yet reads "Connecting…", as the model counts it (applet-model.h).
 */
const char *roadie_applet_words_state(const char *state);

/* roadied's Nat (none, local, remote, both) as a phrase: "this computer is behind NAT";
 * "" or NULL (not detected yet) and unknown values read "not known yet". */
const char *roadie_applet_words_nat(const char *nat);

/* A Negotiated key (ike, esp, pfs, ppp-auth, l2tp-port) as a row caption: "IKE (phase 1)";
 * a key this applet does not know is returned as it is. */
const char *roadie_applet_words_negotiated(const char *key);

/* A duration in whole seconds: "45 s", "5 min 03 s", "2 h 05 min", "3 d 4 h". */
char *roadie_applet_words_duration(guint64 seconds);

/* How long a connection has been up: @connected_since and @now in µs since the Unix epoch
 * (roadied's ConnectedSince, g_get_real_time()); "" when @connected_since is 0. A clock that
 * went back reads "0 s". */
char *roadie_applet_words_connected_for(guint64 connected_since, gint64 now);

/* One direction's traffic: "120.6 kB (85 packets)", sizes by g_format_size(). */
char *roadie_applet_words_traffic(guint64 bytes, guint64 packets);

G_END_DECLS

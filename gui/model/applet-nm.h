/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RoadieAppletNm: NetworkManager's roadie connections, as the applet shows and drives them.
 *
 * Where NetworkManager manages a roadie VPN connection (vpn.service-type
 * org.freedesktop.NetworkManager.roadie), NM's nm-roadie-service asks roadied to run it, and
 * NM holds it: bringing it up or down behind NM's back through roadied would have the two
 * fight. So the applet lists those connections on their own and activates and deactivates
 * them through NetworkManager, which starts its service, asks its agents for secrets, and
 * configures the host itself.
 *
 * GLib and libnm only (no GTK). Built only where libnm is (ROADIE_APPLET_HAVE_NM, set by
 * roadie_applet_model_dep); a machine without NetworkManager, or where it stopped, is normal:
 * the list is empty and nothing is logged. NM coming and going is followed.
 *
 * Signals (on the main context the object was made in):
 *   "changed" ()  the list, a connection's state, or whether NM runs changed
 *   "failed"  (const RoadieAppletNmConnection *c, const char *sentence)
 *                 a connection that this object activated ended before it came up;
 *                 @sentence says why in words (NM's state reason)
 */
#pragma once

#include <stdbool.h>
#include <gio/gio.h>
#include <NetworkManager.h>

G_BEGIN_DECLS

#define ROADIE_APPLET_NM_SERVICE "org.freedesktop.NetworkManager.roadie"

/* One of NM's roadie connections. Read-only for the caller; valid until the next "changed". */
typedef struct {
	char *id;      /* connection.id: what the menu shows */
	char *uuid;    /* connection.uuid: what activate and deactivate take */
	char *gateway; /* vpn.data "gateway", NULL if it has none */
	/* the name roadied's Profile property has while NM runs it: the id with '/' as '-'
	 * (nm-plugin/service: a roadied profile name cannot hold '/') */
	char *profile;
	bool active; /* NM has an active connection for it (activating ... deactivating) */
	NMActiveConnectionState state;  /* UNKNOWN when not active */
	NMVpnConnectionState vpn_state; /* UNKNOWN when not active */
} RoadieAppletNmConnection;

#define ROADIE_TYPE_APPLET_NM (roadie_applet_nm_get_type())
G_DECLARE_FINAL_TYPE(RoadieAppletNm, roadie_applet_nm, ROADIE, APPLET_NM, GObject)

/* Follows NetworkManager on @bus (the system bus the model uses; tests pass a private
 * one). The NMClient is made asynchronously: "changed" tells when the first list is known. */
RoadieAppletNm *roadie_applet_nm_new(GDBusConnection *bus);

/* NetworkManager runs (owns its name on the bus). */
bool roadie_applet_nm_get_running(RoadieAppletNm *nm);
/* RoadieAppletNmConnection *, sorted by id then uuid; empty while NM does not run. */
GPtrArray *roadie_applet_nm_get_connections(RoadieAppletNm *nm);
const RoadieAppletNmConnection *roadie_applet_nm_find(RoadieAppletNm *nm, const char *uuid);
/* The active connection roadied knows as @profile (its Profile property): a roadied
 * connection that NetworkManager started. NULL when there is none. */
const RoadieAppletNmConnection *roadie_applet_nm_find_active_profile(RoadieAppletNm *nm,
								     const char *profile);

/* "Connected", "Connecting", "Not connected", ... for the menu (gettext'd). */
const char *roadie_applet_nm_state_words(const RoadieAppletNmConnection *c);
/* NM's reason for ending an active connection, as a sentence (gettext'd). */
const char *roadie_applet_nm_reason_words(NMActiveConnectionStateReason reason);

/*
 * Asks NetworkManager to activate connection @uuid. Completes once NM accepted the request
 * (it then starts nm-roadie-service, asks its secret agents, ...): follow it through
 * "changed", and "failed" if it ends before it came up. Errors (ROADIE_APPLET_ERROR), in
 * words: NOT_RUNNING (NetworkManager is not running), NO_PROFILE (no roadie connection with
 * that uuid), NOT_AUTHORIZED, and FAILED with NM's own message.
 */
void roadie_applet_nm_activate(RoadieAppletNm *nm, const char *uuid, GCancellable *cancellable,
			       GAsyncReadyCallback callback, gpointer user_data);
bool roadie_applet_nm_activate_finish(RoadieAppletNm *nm, GAsyncResult *result, GError **error);

/* Asks NetworkManager to deactivate connection @uuid. NOT_CONNECTED when NM has it down;
 * the others as for activate. Completes once NM accepted. */
void roadie_applet_nm_deactivate(RoadieAppletNm *nm, const char *uuid, GCancellable *cancellable,
				 GAsyncReadyCallback callback, gpointer user_data);
bool roadie_applet_nm_deactivate_finish(RoadieAppletNm *nm, GAsyncResult *result, GError **error);

G_END_DECLS

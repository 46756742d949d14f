/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RoadieAppletModel: what roadie-applet's tray icon and menu show, without GTK.
 *
 *  - the profiles (applet-profiles.h), reloaded when their files change;
 *  - roadied's connections, followed through its ObjectManager on the system bus, each
 *    matched to a profile by its Profile property;
 *  - whether roadied runs (it exits when idle; Connect starts it through D-Bus activation);
 *  - one overall state for the icon, and a signal per transition worth a notification;
 *  - the actions: connect and disconnect a profile;
 *  - where libnm is (ROADIE_APPLET_HAVE_NM), NetworkManager's roadie connections
 *    (applet-nm.h), which the applet activates through NetworkManager, not roadied.
 *
 * Signals (all on the main context the model was made in):
 *   "changed"      ()  anything the menu shows changed: redraw it
 *   "connected"    (const RoadieAppletConnection *c, const char *address, const char *gateway)
 *   "reconnecting" (const RoadieAppletConnection *c, const char *code, const char *sentence)
 *   "failed"       (const RoadieAppletConnection *c, const char *code, const char *sentence)
 * The three notifications fire on transitions seen while the model runs (and for a
 * connection this model started, also on its first sight), never for what was already so
 * when the applet started. "failed" carries roadied's Reason; a connection that roadied
 * removes before it ended gets code "" and a sentence saying so.
 */
#pragma once

#include <stdbool.h>
#include <glib-object.h>
#include <gio/gio.h>

#include "applet-connect.h"
#include "applet-error.h"
#include "applet-profiles.h"
#ifdef ROADIE_APPLET_HAVE_NM
#include "applet-nm.h"
#endif

G_BEGIN_DECLS

/*
 * The icon's state, from every connection: the first that applies of
 *   CONNECTED     a connection is connected (the tunnel carries traffic)
 *   RECONNECTING  one is reconnecting (it was up and its traffic waits for it)
 *   CONNECTING    one is on its way up (resolving ... configuring, or a state this model
 *                 does not know yet)
 *   FAILED        one has failed: its object still exists (roadied keeps it ~5 s), or a
 *                 profile's last attempt failed and nothing was done with it since (see
 *                 roadie_applet_model_get_failure)
 *   DISCONNECTED  otherwise (disconnecting counts as ended)
 * A working tunnel decides the icon over trouble with another profile: the notifications
 * tell about that. NetworkManager's roadie connections count too (activating: CONNECTING,
 * activated: CONNECTED), also before NM's service has handed them to roadied.
 */
typedef enum {
	ROADIE_APPLET_STATE_DISCONNECTED,
	ROADIE_APPLET_STATE_CONNECTING,
	ROADIE_APPLET_STATE_CONNECTED,
	ROADIE_APPLET_STATE_RECONNECTING,
	ROADIE_APPLET_STATE_FAILED,
} RoadieAppletState;

const char *roadie_applet_state_to_string(RoadieAppletState state);
/* The class of one of roadied's State strings. */
RoadieAppletState roadie_applet_state_from_dbus(const char *state);

typedef enum {
	ROADIE_APPLET_DAEMON_UNKNOWN,     /* not asked yet */
	ROADIE_APPLET_DAEMON_RUNNING,
	ROADIE_APPLET_DAEMON_NOT_RUNNING, /* "roadied not running": connect starts it */
} RoadieAppletDaemon;

const char *roadie_applet_daemon_to_string(RoadieAppletDaemon daemon);

#define ROADIE_APPLET_PROGRESS_MAX 50

/* One of roadied's connections, as its properties last said. Read-only for the caller;
 * valid until the next "changed". */
typedef struct {
	char *path;         /* /org/roadie/Daemon1/Connections/N */
	char *profile;      /* the Profile property */
	char *profile_id;   /* the matching profile's id; NULL when no profile file matches */
	char *state;        /* roadied's State ("ike-phase1", "connected", ...) */
	char *reason_code;  /* Reason: "" unless failed or reconnecting */
	char *reason_text;
	char *gateway;      /* once resolved, else "" */
	char *nat;          /* none, local, remote, both, or "" */
	char *interface;    /* "roadie0" once PPP is up, else "" */
	char *address;      /* Ip4Config's "address", "" before */
	char *peer;         /* Ip4Config's "peer", "" before */
	GVariant *ip4_config; /* a{sv}, never NULL */
	GVariant *negotiated; /* a{ss}, never NULL */
	guint64 bytes_in, bytes_out, packets_in, packets_out;
	guint64 connected_since; /* µs since the Unix epoch; 0 before */
	/* the Progress lines of the current attempt (since it last entered "resolving"),
	 * oldest first, at most ROADIE_APPLET_PROGRESS_MAX: char * */
	GPtrArray *progress;
} RoadieAppletConnection;

#define ROADIE_TYPE_APPLET_MODEL (roadie_applet_model_get_type())
G_DECLARE_FINAL_TYPE(RoadieAppletModel, roadie_applet_model, ROADIE, APPLET_MODEL, GObject)

/*
 * @bus: the system bus (tests pass a private one). @user_dir, @system_dir: the profile
 * directories; NULL for the defaults (roadie_profile_dir_user() and _system_dir()).
 * The model starts following roadied at once; "changed" tells when it knows.
 */
RoadieAppletModel *roadie_applet_model_new(GDBusConnection *bus, const char *user_dir,
					   const char *system_dir);

RoadieAppletState roadie_applet_model_get_state(RoadieAppletModel *model);
RoadieAppletDaemon roadie_applet_model_get_daemon(RoadieAppletModel *model);

/* RoadieAppletProfile *, sorted by id (applet-profiles.h). */
GPtrArray *roadie_applet_model_get_profiles(RoadieAppletModel *model);
/* Re-reads the profile directories now (the file monitor does it by itself). */
void roadie_applet_model_reload_profiles(RoadieAppletModel *model);
/* The connection a profile's menu entry shows: one that has not ended if there is one, else
 * the newest; NULL when the profile has none. */
const RoadieAppletConnection *roadie_applet_model_get_profile_connection(RoadieAppletModel *model,
									 const char *id);
/* Every connection roadied has, by path: RoadieAppletConnection * (a new array). */
GPtrArray *roadie_applet_model_get_connections(RoadieAppletModel *model);

/* The last attempt of @id failed and nothing was done since: true and roadied's Reason.
 * A new connect or disconnect of it, or roadie_applet_model_clear_failure, forgets it. */
bool roadie_applet_model_get_failure(RoadieAppletModel *model, const char *id,
				     const char **ret_code, const char **ret_text);
/* Forgets @id's failure (NULL: every profile's), e.g. once the user saw the notification. */
void roadie_applet_model_clear_failure(RoadieAppletModel *model, const char *id);

/*
 * Connects profile @id: loads its file, gathers its secrets (@secrets first: NULL or a table
 * from roadie_applet_secrets_new(), D-Bus key -> RoadieSecret; then the file, then the
 * keyring), reads its certificate files, and calls roadied's Connect (which starts roadied
 * if it is not running). Completes once roadied answered; follow the connection through the
 * signals. Errors (ROADIE_APPLET_ERROR): NO_PROFILE, INVALID_PROFILE, NEEDS_SECRET (ask for
 * roadie_applet_error_get_secret_keys(error) and call again with them in @secrets),
 * CERTIFICATE, and roadied's refusals with its message (roadie_applet_error_from_dbus).
 */
void roadie_applet_model_connect(RoadieAppletModel *model, const char *id, GHashTable *secrets,
				 GCancellable *cancellable, GAsyncReadyCallback callback,
				 gpointer user_data);
/* @ret_path (may be NULL): the new connection's object path. */
bool roadie_applet_model_connect_finish(RoadieAppletModel *model, GAsyncResult *result,
					char **ret_path, GError **error);

/* Ends every connection of profile @id that has not ended. NOT_CONNECTED when there is none;
 * roadied's refusals as for connect. Completes once roadied accepted; the state follows. */
void roadie_applet_model_disconnect(RoadieAppletModel *model, const char *id,
				    GCancellable *cancellable, GAsyncReadyCallback callback,
				    gpointer user_data);
bool roadie_applet_model_disconnect_finish(RoadieAppletModel *model, GAsyncResult *result,
					   GError **error);

#ifdef ROADIE_APPLET_HAVE_NM
/*
 * NetworkManager's roadie connections, followed on the model's bus from the model's start
 * (never NULL; empty where NetworkManager does not run). The model's "changed" fires for
 * theirs too. One that NM runs is also one of roadied's connections (NM's service calls
 * roadied), with NM's connection id as its Profile: roadie_applet_nm_find_active_profile()
 * tells such a connection apart. Activate and deactivate them with roadie_applet_nm_*, so
 * that NetworkManager, which holds them, does it.
 */
RoadieAppletNm *roadie_applet_model_get_nm(RoadieAppletModel *model);
#endif

G_END_DECLS

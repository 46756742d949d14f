/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * roadie-applet: the tray icon. One RoadieApplet per process (a GtkApplication keeps the
 * process unique on the session bus); each file here does one part of it:
 *
 *   applet-main.c     the application, its actions (app.connect, app.disconnect,
 *                     app.details, app.edit, app.quit) and the model
 *   applet-tray.c     the icon (StatusNotifierItem, or XEmbed where no watcher runs) and its
 *                     menu, rebuilt from the model
 *   applet-notify.c   notifications for the model's connected/reconnecting/failed
 *   applet-prompt.c   the dialog that asks for a missing secret, and connect's retry with it
 *
 * Nothing here talks to roadied directly: the model (gui/model/) does.
 */
#pragma once

#include <gtk/gtk.h>

#include "applet-model.h"

typedef struct RoadieAppletTray RoadieAppletTray;

typedef struct {
	GtkApplication *app;
	RoadieAppletModel *model;
	RoadieAppletTray *tray;
	GtkWindow *details; /* NULL until first shown */
	GtkWindow *editor;  /* NULL until first shown */
	/* profile id -> GHashTable (D-Bus key -> RoadieSecret) the user typed and asked to
	 * remember: saved in the keyring once that profile's connection is up */
	GHashTable *remember;
} RoadieApplet;

/* applet-tray.c */
RoadieAppletTray *roadie_applet_tray_new(RoadieApplet *applet);
void roadie_applet_tray_free(RoadieAppletTray *tray);

/* applet-notify.c: connects to the model's transition signals */
void roadie_applet_notify_setup(RoadieApplet *applet);
/* A notification that an action of the user's could not be done (connect refused, ...). */
void roadie_applet_notify_error(RoadieApplet *applet, const char *profile_id, const char *title,
				const char *body);

/* applet-prompt.c: connects @profile_id, asking for what the profile lacks. */
void roadie_applet_connect(RoadieApplet *applet, const char *profile_id);
/* Saves what the user asked to remember for @profile_id now that it connected. */
void roadie_applet_remember_commit(RoadieApplet *applet, const char *profile_id);
/* Forgets it (the attempt failed: the secret may be the reason). */
void roadie_applet_remember_drop(RoadieApplet *applet, const char *profile_id);

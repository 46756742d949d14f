/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * roadie-applet's "Connection details" window: for one profile, what roadied says about its
 * connection (state, the failure's sentence, gateway, NAT, what was negotiated, addresses and
 * DNS, traffic, time connected) and the progress lines of the current attempt, following the
 * model's "changed" signal. A combo at the top chooses among the model's profiles when there
 * is more than one.
 *
 * Closing the window hides it (so the applet keeps one and shows it again);
 * gtk_widget_destroy() ends it.
 */
#pragma once

#include <gtk/gtk.h>

#include "applet-model.h"

G_BEGIN_DECLS

/* A new, hidden window on @model (which it keeps a reference to). @app: may be NULL. */
GtkWindow *roadie_applet_details_new(GtkApplication *app, RoadieAppletModel *model);

/* Shows @profile_id's connection and presents the window. NULL: the profile of the first
 * connection roadied has, else the first profile. */
void roadie_applet_details_show_profile(GtkWindow *details, const char *profile_id);

G_END_DECLS

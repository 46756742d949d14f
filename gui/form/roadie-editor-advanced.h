/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The "Advanced…" dialog: the builder's advanced fields (proposals, lifetimes, DPD, PPP, L2TP
 * port, IPv6) in a modal dialog. It is made on first use and hidden, not destroyed, when
 * closed: its fields belong to the editor, which reads them in update_connection whether the
 * dialog was ever opened or not.
 */
#pragma once

#include <gtk/gtk.h>

/* A dialog holding @box (the builder's "advanced-box"); destroy it with the editor. */
GtkWidget *roadie_editor_advanced_new(GtkWidget *box);
/* Shows @dialog over the window that holds @from. */
void roadie_editor_advanced_present(GtkWidget *dialog, GtkWidget *from);

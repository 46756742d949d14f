/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The form's own behaviour, for every editor that shows it (the NetworkManager plugin's and
 * roadie-applet's): the rows of the chosen IPsec authentication, the format labels and
 * "Choose…" buttons of the certificate and key files, "Show passwords", and the profile
 * model's first problem shown under the form with its field marked.
 */
#pragma once

#include <gtk/gtk.h>

#include "profile.h"

/* Connects the form's own logic; call it after roadie_editor_fields_setup and _show. */
void roadie_editor_form_setup(GtkBuilder *builder);

/* Shows only the rows of the authentication method the combo box names. */
void roadie_editor_form_update_auth(GtkBuilder *builder);

/* Shows @problem (NULL: none) in "error-label", and in "advanced-error-label" when its field
 * is inside @advanced_box; marks the field, clearing the mark of *@marked (a reference the
 * caller keeps and releases). */
void roadie_editor_form_show_problem(GtkBuilder *builder, GtkWidget *advanced_box,
				     const RoadieProblem *problem, GtkWidget **marked);

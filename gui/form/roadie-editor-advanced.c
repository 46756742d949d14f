/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>


#include "roadie-editor-advanced.h"
#include "roadie-editor-gtk.h"

static void advanced_response(GtkDialog *dialog, int response, gpointer user_data)
{
	gtk_widget_set_visible(GTK_WIDGET(dialog), FALSE);
}

GtkWidget *roadie_editor_advanced_new(GtkWidget *box)
{
	GtkWidget *dialog = gtk_dialog_new_with_buttons(_("Advanced L2TP/IPsec Settings"), NULL,
							GTK_DIALOG_MODAL, _("_Close"),
							GTK_RESPONSE_CLOSE, NULL);

	roadie_gtk_box_add(gtk_dialog_get_content_area(GTK_DIALOG(dialog)), box);
	gtk_window_set_resizable(GTK_WINDOW(dialog), FALSE);
	g_signal_connect(dialog, "response", G_CALLBACK(advanced_response), NULL);
#if GTK_CHECK_VERSION(4, 0, 0)
	gtk_window_set_hide_on_close(GTK_WINDOW(dialog), TRUE);
#else
	g_signal_connect(dialog, "delete-event", G_CALLBACK(gtk_widget_hide_on_delete), NULL);
#endif
	return dialog;
}

void roadie_editor_advanced_present(GtkWidget *dialog, GtkWidget *from)
{
	gtk_window_set_transient_for(GTK_WINDOW(dialog), roadie_gtk_widget_window(from));
	gtk_window_present(GTK_WINDOW(dialog));
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The few calls that differ between GTK 3 and GTK 4, for the editor's one source. Everything
 * else the editor uses exists in both.
 */
#pragma once

#include <stdbool.h>
#include <gtk/gtk.h>

static inline const char *roadie_gtk_entry_get_text(GtkWidget *entry)
{
#if GTK_CHECK_VERSION(4, 0, 0)
	return gtk_editable_get_text(GTK_EDITABLE(entry));
#else
	return gtk_entry_get_text(GTK_ENTRY(entry));
#endif
}

static inline void roadie_gtk_entry_set_text(GtkWidget *entry, const char *text)
{
#if GTK_CHECK_VERSION(4, 0, 0)
	gtk_editable_set_text(GTK_EDITABLE(entry), text);
#else
	gtk_entry_set_text(GTK_ENTRY(entry), text);
#endif
}

static inline bool roadie_gtk_check_get_active(GtkWidget *check)
{
#if GTK_CHECK_VERSION(4, 0, 0)
	return gtk_check_button_get_active(GTK_CHECK_BUTTON(check));
#else
	return gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(check));
#endif
}

static inline void roadie_gtk_check_set_active(GtkWidget *check, bool active)
{
#if GTK_CHECK_VERSION(4, 0, 0)
	gtk_check_button_set_active(GTK_CHECK_BUTTON(check), active);
#else
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(check), active);
#endif
}

static inline void roadie_gtk_box_add(GtkWidget *box, GtkWidget *child)
{
#if GTK_CHECK_VERSION(4, 0, 0)
	gtk_box_append(GTK_BOX(box), child);
#else
	gtk_container_add(GTK_CONTAINER(box), child);
	gtk_widget_show(child);
#endif
}

static inline void roadie_gtk_set_error_class(GtkWidget *widget, bool error)
{
#if GTK_CHECK_VERSION(4, 0, 0)
	if (error)
		gtk_widget_add_css_class(widget, "error");
	else
		gtk_widget_remove_css_class(widget, "error");
#else
	GtkStyleContext *style = gtk_widget_get_style_context(widget);

	if (error)
		gtk_style_context_add_class(style, "error");
	else
		gtk_style_context_remove_class(style, "error");
#endif
}

/* Shows or hides @widget, also across the host's gtk_widget_show_all(): nm-connection-editor
 * (GTK 3) calls that on the editor's page once it is built, which would show again what the
 * editor hid. GTK 4 has no show_all. */
static inline void roadie_gtk_widget_set_shown(GtkWidget *widget, bool shown)
{
#if !GTK_CHECK_VERSION(4, 0, 0)
	gtk_widget_set_no_show_all(widget, TRUE);
#endif
	gtk_widget_set_visible(widget, shown);
}

/* The window @widget is in, for dialogs' transient parent; NULL if none. */
static inline GtkWindow *roadie_gtk_widget_window(GtkWidget *widget)
{
#if GTK_CHECK_VERSION(4, 0, 0)
	GtkRoot *root = gtk_widget_get_root(widget);

	return root && GTK_IS_WINDOW(root) ? GTK_WINDOW(root) : NULL;
#else
	GtkWidget *top = gtk_widget_get_toplevel(widget);

	return top && GTK_IS_WINDOW(top) ? GTK_WINDOW(top) : NULL;
#endif
}

/* The id a widget had in its GtkBuilder file (NULL if none). */
static inline const char *roadie_gtk_buildable_id(GtkWidget *widget)
{
#if GTK_CHECK_VERSION(4, 0, 0)
	return gtk_buildable_get_buildable_id(GTK_BUILDABLE(widget));
#else
	return gtk_buildable_get_name(GTK_BUILDABLE(widget));
#endif
}

static inline void roadie_gtk_window_destroy(GtkWidget *window)
{
#if GTK_CHECK_VERSION(4, 0, 0)
	gtk_window_destroy(GTK_WINDOW(window));
#else
	gtk_widget_destroy(window);
#endif
}

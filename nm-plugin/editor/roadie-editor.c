/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gtk/gtk.h>
#include <nma-ui-utils.h>

#include "nm-roadie-config.h"
#include "profile.h"

#include "roadie-editor-advanced.h"
#include "roadie-editor-fields.h"
#include "roadie-editor-form.h"
#include "roadie-editor-gtk.h"
#include "roadie-editor-plugin.h"
#include "roadie-editor.h"
#include "roadie-nm-setting.h"

#define ROADIE_TYPE_EDITOR (roadie_editor_get_type())
G_DECLARE_FINAL_TYPE(RoadieEditor, roadie_editor, ROADIE, EDITOR, GObject)

struct _RoadieEditor {
	GObject parent;
	GtkBuilder *builder;
	GtkWidget *widget;       /* "roadie-editor", what NM's editors embed */
	GtkWidget *advanced_box; /* "advanced-box" */
	GtkWidget *dialog;       /* the advanced dialog, once opened */
	/* vpn.data (and "<secret>-flags") and vpn.secrets of the keys the editor has no field
	 * for (auto-reconnect, routes, learned suites, ...): written back as they came */
	GHashTable *kept_data;
	GHashTable *kept_secrets;
	GtkWidget *marked; /* the field the last problem was about */
};

static GtkWidget *editor_object(RoadieEditor *self, const char *id)
{
	GObject *object = gtk_builder_get_object(self->builder, id);

	return object ? GTK_WIDGET(object) : NULL;
}

static void editor_changed(RoadieEditor *self)
{
	g_signal_emit_by_name(self, "changed");
}

static void editor_open_advanced(GtkWidget *button, RoadieEditor *self)
{
	if (!self->dialog) {
		self->dialog = roadie_editor_advanced_new(self->advanced_box);
		gtk_builder_expose_object(self->builder, "advanced-dialog", G_OBJECT(self->dialog));
	}
	roadie_editor_advanced_present(self->dialog, button);
}

/* ---- problems ---- */

static void editor_show_problem(RoadieEditor *self, const RoadieProblem *problem)
{
	roadie_editor_form_show_problem(self->builder, self->advanced_box, problem, &self->marked);
}

/* ---- NMVpnEditor ---- */

static GObject *editor_get_widget(NMVpnEditor *iface)
{
	return G_OBJECT(ROADIE_EDITOR(iface)->widget);
}

static void editor_copy_item(gpointer key, gpointer value, gpointer user_data)
{
	g_hash_table_replace(user_data, g_strdup(key), g_strdup(value));
}

static void editor_add_data(gpointer key, gpointer value, gpointer user_data)
{
	nm_setting_vpn_add_data_item(user_data, key, value);
}

static void editor_add_secret(gpointer key, gpointer value, gpointer user_data)
{
	nm_setting_vpn_add_secret(user_data, key, value);
}

static void editor_collect_name(const char *key, const char *value, gpointer user_data)
{
	g_ptr_array_add(user_data, g_strdup(key));
}

static void editor_clear_setting(NMSettingVpn *s_vpn)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);

	nm_setting_vpn_foreach_data_item(s_vpn, editor_collect_name, names);
	for (guint i = 0; i < names->len; i++)
		nm_setting_vpn_remove_data_item(s_vpn, names->pdata[i]);
	g_ptr_array_set_size(names, 0);
	nm_setting_vpn_foreach_secret(s_vpn, editor_collect_name, names);
	for (guint i = 0; i < names->len; i++)
		nm_setting_vpn_remove_secret(s_vpn, names->pdata[i]);
}

/* The storage the user chose for each secret field ("ask every time" and "not required" keep
 * nothing), and the kept flags of secrets without a field. */
static void editor_apply_secret_flags(RoadieEditor *self, NMSettingVpn *s_vpn,
				      GHashTable *secrets)
{
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	for (size_t i = 0; i < n; i++) {
		GtkWidget *entry = roadie_editor_fields_widget(self->builder, &keys[i]);
		g_autofree char *flags_key = NULL;
		NMSettingSecretFlags flags;
		const char *kept;
		guint64 number;

		if (keys[i].type != ROADIE_KEY_SECRET || !keys[i].nm)
			continue;
		if (entry) {
			flags = nma_utils_menu_to_secret_flags(entry);
		} else {
			flags_key = g_strconcat(keys[i].nm, "-flags", NULL);
			kept = g_hash_table_lookup(self->kept_data, flags_key);
			if (!kept || !g_ascii_string_to_unsigned(kept, 10, 0, G_MAXUINT32, &number,
								 NULL))
				continue;
			flags = (NMSettingSecretFlags)number;
		}
		if (secrets && (flags & (NM_SETTING_SECRET_FLAG_NOT_SAVED |
					 NM_SETTING_SECRET_FLAG_NOT_REQUIRED)))
			g_hash_table_remove(secrets, keys[i].nm);
		if (s_vpn)
			nm_setting_set_secret_flags(NM_SETTING(s_vpn), keys[i].nm, flags, NULL);
	}
}

static gboolean editor_update_connection(NMVpnEditor *iface, NMConnection *connection,
					 GError **error)
{
	RoadieEditor *self = ROADIE_EDITOR(iface);
	g_autoptr(GHashTable) data = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GHashTable) secrets = roadie_nm_setting_secrets_new();
	g_autoptr(GHashTable) out_data = NULL;
	g_autoptr(GHashTable) out_secrets = NULL;
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(GError) local = NULL;
	g_autoptr(RoadieProfile) profile = NULL;
	NMSettingVpn *s_vpn;

	g_hash_table_foreach(self->kept_data, editor_copy_item, data);
	g_hash_table_foreach(self->kept_secrets, editor_copy_item, secrets);
	roadie_editor_fields_collect(self->builder, data, secrets);
	editor_apply_secret_flags(self, NULL, secrets);

	profile = roadie_profile_new_from_nm(data, secrets, ROADIE_CHECK_DEFAULT, &problems,
					     &local);
	editor_show_problem(self, profile || !problems || problems->len == 0 ? NULL
									    : problems->pdata[0]);
	if (!profile) {
		g_set_error_literal(error, NM_CONNECTION_ERROR, NM_CONNECTION_ERROR_INVALID_PROPERTY,
				    local->message);
		return FALSE;
	}

	s_vpn = nm_connection_get_setting_vpn(connection);
	if (!s_vpn) {
		s_vpn = NM_SETTING_VPN(nm_setting_vpn_new());
		nm_connection_add_setting(connection, NM_SETTING(s_vpn));
	}
	editor_clear_setting(s_vpn);
	g_object_set(s_vpn, NM_SETTING_VPN_SERVICE_TYPE, NM_ROADIE_SERVICE, NULL);
	/* the canonical form: what equals roadie's default is left out */
	out_data = roadie_profile_to_nm_data(profile);
	out_secrets = roadie_profile_to_nm_secrets(profile);
	g_hash_table_foreach(out_data, editor_add_data, s_vpn);
	g_hash_table_foreach(out_secrets, editor_add_secret, s_vpn);
	editor_apply_secret_flags(self, s_vpn, NULL);
	return TRUE;
}

/* ---- life cycle ---- */

/* Keeps what the editor shows no field for, as it came. */
static void editor_keep(RoadieEditor *self, GHashTable *data, GHashTable *secrets)
{
	GHashTableIter iter;
	gpointer name, value;

	g_hash_table_iter_init(&iter, data);
	while (g_hash_table_iter_next(&iter, &name, &value)) {
		const RoadieProfileKey *key = roadie_profile_key_by_nm(name);
		g_autofree char *base = NULL;

		if (g_str_has_suffix(name, "-flags")) {
			base = g_strndup(name, strlen(name) - strlen("-flags"));
			key = roadie_profile_key_by_nm(base);
		}
		if (key && !roadie_editor_fields_widget(self->builder, key))
			g_hash_table_replace(self->kept_data, g_strdup(name), g_strdup(value));
	}
	g_hash_table_iter_init(&iter, secrets);
	while (g_hash_table_iter_next(&iter, &name, &value)) {
		const RoadieProfileKey *key = roadie_profile_key_by_nm(name);

		if (key && !roadie_editor_fields_widget(self->builder, key))
			g_hash_table_replace(self->kept_secrets, g_strdup(name), g_strdup(value));
	}
}

/* The storage menus of the secret fields, from the connection's flags. A new connection
 * keeps its secrets in the user's keyring; an existing one without flags has them in the
 * connection (NetworkManager's default). */
static void editor_setup_storage(RoadieEditor *self, NMSettingVpn *s_vpn, bool is_new)
{
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	for (size_t i = 0; i < n; i++) {
		GtkWidget *entry = roadie_editor_fields_widget(self->builder, &keys[i]);
		NMSettingSecretFlags flags = is_new ? NM_SETTING_SECRET_FLAG_AGENT_OWNED
						    : NM_SETTING_SECRET_FLAG_NONE;

		if (!entry || keys[i].type != ROADIE_KEY_SECRET)
			continue;
		if (s_vpn && !is_new)
			nm_setting_get_secret_flags(NM_SETTING(s_vpn), keys[i].nm, &flags, NULL);
		nma_utils_setup_password_storage(entry, flags, NULL, NULL, TRUE, FALSE);
	}
}

static void roadie_editor_iface_init(NMVpnEditorInterface *iface)
{
	iface->get_widget = editor_get_widget;
	iface->update_connection = editor_update_connection;
}

G_DEFINE_TYPE_WITH_CODE(RoadieEditor, roadie_editor, G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(NM_TYPE_VPN_EDITOR, roadie_editor_iface_init))

static void roadie_editor_init(RoadieEditor *self)
{
	self->kept_data = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	self->kept_secrets = roadie_nm_setting_secrets_new();
}

static void roadie_editor_dispose(GObject *object)
{
	RoadieEditor *self = ROADIE_EDITOR(object);

	if (self->dialog) {
		roadie_gtk_window_destroy(self->dialog);
		self->dialog = NULL;
	}
	g_clear_object(&self->marked);
	g_clear_object(&self->widget);
	g_clear_object(&self->advanced_box);
	g_clear_object(&self->builder);
	G_OBJECT_CLASS(roadie_editor_parent_class)->dispose(object);
}

static void roadie_editor_finalize(GObject *object)
{
	RoadieEditor *self = ROADIE_EDITOR(object);

	g_hash_table_unref(self->kept_data);
	g_hash_table_unref(self->kept_secrets);
	G_OBJECT_CLASS(roadie_editor_parent_class)->finalize(object);
}

static void roadie_editor_class_init(RoadieEditorClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = roadie_editor_dispose;
	object_class->finalize = roadie_editor_finalize;
}

NMVpnEditor *roadie_editor_new(NMConnection *connection, GError **error)
{
	g_autoptr(RoadieEditor) self = g_object_new(ROADIE_TYPE_EDITOR, NULL);
	NMSettingVpn *s_vpn = connection ? nm_connection_get_setting_vpn(connection) : NULL;
	g_autoptr(GHashTable) data = roadie_nm_setting_data(s_vpn);
	g_autoptr(GHashTable) secrets = roadie_nm_setting_secrets(s_vpn);
	bool is_new = g_hash_table_size(data) == 0;

	self->builder = gtk_builder_new();
	gtk_builder_set_translation_domain(self->builder, GETTEXT_PACKAGE);
	if (!gtk_builder_add_from_resource(self->builder, ROADIE_FORM_UI, error))
		return NULL;
	self->widget = g_object_ref_sink(editor_object(self, "roadie-editor"));
	self->advanced_box = g_object_ref_sink(editor_object(self, "advanced-box"));
	g_object_set_data(G_OBJECT(self->widget), ROADIE_EDITOR_BUILDER_KEY, self->builder);

	roadie_editor_fields_setup(self->builder, G_CALLBACK(editor_changed), self);
	editor_keep(self, data, secrets);
	roadie_editor_fields_show(self->builder, data, secrets);
	editor_setup_storage(self, s_vpn, is_new);
	roadie_editor_form_setup(self->builder);
	editor_show_problem(self, NULL);

	g_signal_connect(editor_object(self, "advanced-button"), "clicked",
			 G_CALLBACK(editor_open_advanced), self);
	return NM_VPN_EDITOR(g_steal_pointer(&self));
}

NMVpnEditor *nm_vpn_editor_factory_roadie(NMVpnEditorPlugin *plugin, NMConnection *connection,
					  GError **error)
{
	bindtextdomain(GETTEXT_PACKAGE, NM_ROADIE_LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	return roadie_editor_new(connection, error);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The core VPN editor plugin (libnm-vpn-plugin-roadie.so): what NetworkManager's clients load
 * for service org.freedesktop.NetworkManager.roadie. It links libnm and libroadie only, so that
 * nmcli can import and export without GTK; the editor itself lives in a GTK 3 and a GTK 4
 * module beside this file, and get_editor loads the one whose GTK the process already runs
 * (one process cannot hold both).
 */
#include "config.h"

#include <dlfcn.h>
#include <glib/gi18n-lib.h>

#include "nm-roadie-config.h"

#include "roadie-editor-plugin.h"
#include "roadie-import.h"

#define ROADIE_TYPE_EDITOR_PLUGIN (roadie_editor_plugin_get_type())
G_DECLARE_FINAL_TYPE(RoadieEditorPlugin, roadie_editor_plugin, ROADIE, EDITOR_PLUGIN, GObject)

struct _RoadieEditorPlugin {
	GObject parent;
	/* the editor module's factory, once loaded; the module stays loaded for the process's
	 * life, since it registers GTypes */
	RoadieEditorFactory factory;
};

enum {
	PROP_0,
	PROP_NAME,
	PROP_DESCRIPTION,
	PROP_SERVICE,
};

/* The GTK major version of this process: GTK 4 if its library is loaded (its
 * gtk_get_major_version() may be out of reach of RTLD_DEFAULT when a host loaded it
 * privately), else whatever gtk_get_major_version() says, else 3. */
static unsigned int editor_plugin_gtk_major(void)
{
	void *gtk4 = dlopen("libgtk-4.so.1", RTLD_LAZY | RTLD_NOLOAD);
	unsigned int (*get_major)(void);

	if (gtk4) {
		dlclose(gtk4);
		return 4;
	}
	*(void **)&get_major = dlsym(RTLD_DEFAULT, "gtk_get_major_version");
	return get_major ? get_major() : 3;
}

/* The editor module for this process's GTK, from the directory this module was loaded from
 * (so that the build tree's modules find each other as the installed ones do). */
static char *editor_plugin_module_path(void)
{
	const char *name = editor_plugin_gtk_major() >= 4 ? ROADIE_EDITOR_GTK4_MODULE
							   : ROADIE_EDITOR_GTK3_MODULE;
	g_autofree char *dir = NULL;
	Dl_info info;

	if (dladdr((void *)editor_plugin_module_path, &info) && info.dli_fname &&
	    g_path_is_absolute(info.dli_fname))
		dir = g_path_get_dirname(info.dli_fname);
	else
		dir = g_strdup(NM_ROADIE_PLUGIN_DIR);
	return g_build_filename(dir, name, NULL);
}

static NMVpnEditor *editor_plugin_get_editor(NMVpnEditorPlugin *iface, NMConnection *connection,
					     GError **error)
{
	RoadieEditorPlugin *self = ROADIE_EDITOR_PLUGIN(iface);

	if (!self->factory) {
		g_autofree char *path = editor_plugin_module_path();
		void *module = dlopen(path, RTLD_LAZY | RTLD_LOCAL);

		if (!module) {
			g_set_error(error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_FAILED,
				    _("cannot load the roadie editor: %s"), dlerror());
			return NULL;
		}
		*(void **)&self->factory = dlsym(module, ROADIE_EDITOR_FACTORY);
		if (!self->factory) {
			g_set_error(error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_FAILED,
				    _("%s is not a roadie editor module"), path);
			dlclose(module);
			return NULL;
		}
	}
	return self->factory(iface, connection, error);
}

static NMVpnEditorPluginCapability editor_plugin_get_capabilities(NMVpnEditorPlugin *iface)
{
	return NM_VPN_EDITOR_PLUGIN_CAPABILITY_IMPORT | NM_VPN_EDITOR_PLUGIN_CAPABILITY_EXPORT;
}

static NMConnection *editor_plugin_import(NMVpnEditorPlugin *iface, const char *path,
					  GError **error)
{
	return roadie_import_file(path, error);
}

static gboolean editor_plugin_export(NMVpnEditorPlugin *iface, const char *path,
				     NMConnection *connection, GError **error)
{
	return roadie_import_export_file(connection, path, error);
}

static char *editor_plugin_get_suggested_filename(NMVpnEditorPlugin *iface,
						  NMConnection *connection)
{
	return roadie_import_suggested_name(connection);
}

static void roadie_editor_plugin_iface_init(NMVpnEditorPluginInterface *iface)
{
	iface->get_editor = editor_plugin_get_editor;
	iface->get_capabilities = editor_plugin_get_capabilities;
	iface->import_from_file = editor_plugin_import;
	iface->export_to_file = editor_plugin_export;
	iface->get_suggested_filename = editor_plugin_get_suggested_filename;
}

G_DEFINE_TYPE_WITH_CODE(RoadieEditorPlugin, roadie_editor_plugin, G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(NM_TYPE_VPN_EDITOR_PLUGIN,
					      roadie_editor_plugin_iface_init))

static void roadie_editor_plugin_get_property(GObject *object, guint prop_id, GValue *value,
					      GParamSpec *pspec)
{
	switch (prop_id) {
	case PROP_NAME:
		g_value_set_string(value, _("Layer 2 Tunneling Protocol over IPsec (roadie)"));
		break;
	case PROP_DESCRIPTION:
		g_value_set_string(value, _("L2TP/IPsec VPN client for Windows, strongSwan, "
					    "libreswan, MikroTik and router gateways"));
		break;
	case PROP_SERVICE:
		g_value_set_string(value, NM_ROADIE_SERVICE);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void roadie_editor_plugin_init(RoadieEditorPlugin *self)
{
	(void)self;
}

static void roadie_editor_plugin_class_init(RoadieEditorPluginClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = roadie_editor_plugin_get_property;
	g_object_class_override_property(object_class, PROP_NAME, NM_VPN_EDITOR_PLUGIN_NAME);
	g_object_class_override_property(object_class, PROP_DESCRIPTION,
					 NM_VPN_EDITOR_PLUGIN_DESCRIPTION);
	g_object_class_override_property(object_class, PROP_SERVICE, NM_VPN_EDITOR_PLUGIN_SERVICE);
}

NMVpnEditorPlugin *nm_vpn_editor_plugin_factory(GError **error)
{
	bindtextdomain(GETTEXT_PACKAGE, NM_ROADIE_LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	return g_object_new(ROADIE_TYPE_EDITOR_PLUGIN, NULL);
}

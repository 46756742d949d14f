/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A stand-in for the freedesktop Secret Service (what GNOME Keyring and KWallet provide) on
 * the session bus named by DBUS_SESSION_BUS_ADDRESS, holding one unlocked item, so that the
 * auth dialog's libsecret lookup can be tested without a keyring daemon:
 *
 *   secret-service-standin UUID SETTING-NAME SETTING-KEY VALUE
 *
 * holds an item with connection-uuid=UUID, setting-name=SETTING-NAME, setting-key=SETTING-KEY
 * whose secret is VALUE, as NetworkManager's agents store a VPN secret. Prints "ready" once
 * it owns org.freedesktop.secrets.
 *
 * Only what a lookup needs, per the Secret Service API (specifications.freedesktop.org,
 * secret-service 0.2): OpenSession with the "plain" algorithm (others: NotSupported, which
 * makes libsecret fall back to plain), SearchItems, GetSecrets, and Item.GetSecret.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <gio/gio.h>

#define ITEM_PATH "/org/freedesktop/secrets/collection/login/1"
#define SESSION_PATH "/org/freedesktop/secrets/session/1"

static const char introspection_xml[] =
	"<node>"
	" <interface name='org.freedesktop.Secret.Service'>"
	"  <method name='OpenSession'>"
	"   <arg type='s' direction='in'/><arg type='v' direction='in'/>"
	"   <arg type='v' direction='out'/><arg type='o' direction='out'/>"
	"  </method>"
	"  <method name='SearchItems'>"
	"   <arg type='a{ss}' direction='in'/>"
	"   <arg type='ao' direction='out'/><arg type='ao' direction='out'/>"
	"  </method>"
	"  <method name='Unlock'>"
	"   <arg type='ao' direction='in'/>"
	"   <arg type='ao' direction='out'/><arg type='o' direction='out'/>"
	"  </method>"
	"  <method name='GetSecrets'>"
	"   <arg type='ao' direction='in'/><arg type='o' direction='in'/>"
	"   <arg type='a{o(oayays)}' direction='out'/>"
	"  </method>"
	"  <property name='Collections' type='ao' access='read'/>"
	" </interface>"
	" <interface name='org.freedesktop.Secret.Item'>"
	"  <method name='GetSecret'>"
	"   <arg type='o' direction='in'/><arg type='(oayays)' direction='out'/>"
	"  </method>"
	"  <property name='Locked' type='b' access='read'/>"
	"  <property name='Label' type='s' access='read'/>"
	"  <property name='Attributes' type='a{ss}' access='read'/>"
	"  <property name='Created' type='t' access='read'/>"
	"  <property name='Modified' type='t' access='read'/>"
	" </interface>"
	" <interface name='org.freedesktop.Secret.Session'>"
	"  <method name='Close'/>"
	" </interface>"
	"</node>";

typedef struct {
	const char *attributes[3][2]; /* name, value */
	const char *value;
} Standin;

static const char *const attribute_names[3] = { "connection-uuid", "setting-name",
						 "setting-key" };

static bool standin_matches(const Standin *standin, GVariant *query)
{
	GVariantIter iter;
	const char *name, *value;

	g_variant_iter_init(&iter, query);
	while (g_variant_iter_next(&iter, "{&s&s}", &name, &value)) {
		bool found = false;

		for (size_t i = 0; i < 3; i++)
			if (strcmp(standin->attributes[i][0], name) == 0 &&
			    strcmp(standin->attributes[i][1], value) == 0)
				found = true;
		if (!found)
			return false;
	}
	return true;
}

static GVariant *standin_secret(const Standin *standin)
{
	return g_variant_new("(o@ay@ays)", SESSION_PATH,
			     g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, "", 0, 1),
			     g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, standin->value,
						       strlen(standin->value), 1),
			     "text/plain");
}

static void standin_method(GDBusConnection *connection, const char *sender, const char *path,
			   const char *interface, const char *method, GVariant *params,
			   GDBusMethodInvocation *invocation, gpointer user_data)
{
	const Standin *standin = user_data;

	if (strcmp(method, "OpenSession") == 0) {
		const char *algorithm;

		g_variant_get(params, "(&sv)", &algorithm, NULL);
		if (strcmp(algorithm, "plain") != 0) {
			g_dbus_method_invocation_return_dbus_error(
				invocation, "org.freedesktop.DBus.Error.NotSupported",
				"only plain");
			return;
		}
		g_dbus_method_invocation_return_value(
			invocation, g_variant_new("(@vo)", g_variant_new_variant(
								   g_variant_new_string("")),
						  SESSION_PATH));
	} else if (strcmp(method, "SearchItems") == 0) {
		g_autoptr(GVariant) query = g_variant_get_child_value(params, 0);
		GVariantBuilder unlocked;

		g_variant_builder_init(&unlocked, G_VARIANT_TYPE("ao"));
		if (standin_matches(standin, query))
			g_variant_builder_add(&unlocked, "o", ITEM_PATH);
		g_dbus_method_invocation_return_value(
			invocation, g_variant_new("(aoao)", &unlocked, NULL));
	} else if (strcmp(method, "Unlock") == 0) {
		g_autoptr(GVariant) objects = g_variant_get_child_value(params, 0);

		g_dbus_method_invocation_return_value(
			invocation, g_variant_new("(@ao@o)", g_steal_pointer(&objects),
						  g_variant_new_object_path("/")));
	} else if (strcmp(method, "GetSecrets") == 0) {
		GVariantBuilder secrets;
		GVariantIter iter;
		const char *item;
		g_autoptr(GVariant) items = g_variant_get_child_value(params, 0);

		g_variant_builder_init(&secrets, G_VARIANT_TYPE("a{o(oayays)}"));
		g_variant_iter_init(&iter, items);
		while (g_variant_iter_next(&iter, "&o", &item))
			if (strcmp(item, ITEM_PATH) == 0)
				g_variant_builder_add(&secrets, "{o@(oayays)}", item,
						      standin_secret(standin));
		g_dbus_method_invocation_return_value(invocation,
						      g_variant_new("(a{o(oayays)})", &secrets));
	} else if (strcmp(method, "GetSecret") == 0) {
		g_dbus_method_invocation_return_value(
			invocation, g_variant_new("(@(oayays))", standin_secret(standin)));
	} else {
		g_dbus_method_invocation_return_value(invocation, NULL);
	}
}

static GVariant *standin_property(GDBusConnection *connection, const char *sender,
				  const char *path, const char *interface, const char *property,
				  GError **error, gpointer user_data)
{
	const Standin *standin = user_data;

	if (strcmp(property, "Collections") == 0) {
		const char *collections[] = { "/org/freedesktop/secrets/collection/login" };

		return g_variant_new_objv(collections, 1);
	}
	if (strcmp(property, "Locked") == 0)
		return g_variant_new_boolean(FALSE);
	if (strcmp(property, "Label") == 0)
		return g_variant_new_string("VPN secret");
	if (strcmp(property, "Attributes") == 0) {
		GVariantBuilder attributes;

		g_variant_builder_init(&attributes, G_VARIANT_TYPE("a{ss}"));
		for (size_t i = 0; i < 3; i++)
			g_variant_builder_add(&attributes, "{ss}", standin->attributes[i][0],
					      standin->attributes[i][1]);
		return g_variant_builder_end(&attributes);
	}
	return g_variant_new_uint64(0); /* Created, Modified */
}

static void standin_name_acquired(GDBusConnection *connection, const char *name,
				  gpointer user_data)
{
	printf("ready\n");
	fflush(stdout);
}

static void standin_name_lost(GDBusConnection *connection, const char *name, gpointer user_data)
{
	fprintf(stderr, "secret-service-standin: cannot own %s\n", name);
	g_main_loop_quit(user_data);
}

int main(int argc, char **argv)
{
	static const GDBusInterfaceVTable vtable = { standin_method, standin_property, NULL,
						     { 0 } };
	g_autoptr(GDBusNodeInfo) info = NULL;
	g_autoptr(GDBusConnection) bus = NULL;
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	g_autoptr(GError) error = NULL;
	Standin standin;

	if (argc != 5) {
		fprintf(stderr, "usage: secret-service-standin UUID SETTING-NAME SETTING-KEY "
				"VALUE\n");
		return 2;
	}
	for (size_t i = 0; i < 3; i++) {
		standin.attributes[i][0] = attribute_names[i];
		standin.attributes[i][1] = argv[1 + i];
	}
	standin.value = argv[4];

	info = g_dbus_node_info_new_for_xml(introspection_xml, &error);
	bus = info ? g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &error) : NULL;
	if (!bus) {
		fprintf(stderr, "secret-service-standin: %s\n", error->message);
		return 1;
	}
	/* the Service at its path; the item and the session answer their interfaces */
	if (!g_dbus_connection_register_object(bus, "/org/freedesktop/secrets",
					       info->interfaces[0], &vtable, &standin, NULL,
					       &error) ||
	    !g_dbus_connection_register_object(bus, ITEM_PATH, info->interfaces[1], &vtable,
					       &standin, NULL, &error) ||
	    !g_dbus_connection_register_object(bus, SESSION_PATH, info->interfaces[2], &vtable,
					       &standin, NULL, &error)) {
		fprintf(stderr, "secret-service-standin: %s\n", error->message);
		return 1;
	}
	g_bus_own_name_on_connection(bus, "org.freedesktop.secrets", G_BUS_NAME_OWNER_FLAGS_NONE,
				     standin_name_acquired, standin_name_lost, loop, NULL);
	g_main_loop_run(loop);
	return 1;
}

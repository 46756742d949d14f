/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The D-Bus contract (issue 8, docs in data/dbus/): what the front ends are written
 * against. A change here is a change of the API: these tests say which. */
#include <string.h>

#include <gio/gio.h>

#include "roadie-dbus.h"

static void check_method(GDBusInterfaceInfo *info, const char *name, const char *in,
			 const char *out)
{
	GDBusMethodInfo *m = g_dbus_interface_info_lookup_method(info, name);
	GString *sig_in = g_string_new(NULL), *sig_out = g_string_new(NULL);

	g_assert_nonnull(m);
	for (GDBusArgInfo **a = m->in_args; a && *a; a++)
		g_string_append(sig_in, (*a)->signature);
	for (GDBusArgInfo **a = m->out_args; a && *a; a++)
		g_string_append(sig_out, (*a)->signature);
	g_assert_cmpstr(sig_in->str, ==, in);
	g_assert_cmpstr(sig_out->str, ==, out);
	g_string_free(sig_in, TRUE);
	g_string_free(sig_out, TRUE);
}

static void check_property(GDBusInterfaceInfo *info, const char *name, const char *type)
{
	GDBusPropertyInfo *p = g_dbus_interface_info_lookup_property(info, name);

	g_assert_nonnull(p);
	g_assert_cmpstr(p->signature, ==, type);
	/* read-only: the daemon alone changes state; front ends call methods */
	g_assert_cmpint(p->flags, ==, G_DBUS_PROPERTY_INFO_FLAGS_READABLE);
}

static unsigned count(void **items)
{
	unsigned n = 0;

	while (items && items[n])
		n++;
	return n;
}

static void test_daemon(void)
{
	GDBusInterfaceInfo *info = roadie_daemon1_interface_info();

	g_assert_cmpstr(info->name, ==, "org.roadie.Daemon1");
	check_method(info, "Connect", "a{sv}a{sv}a{sv}", "o");
	check_property(info, "Connections", "ao");
	check_property(info, "Version", "s");
	g_assert_cmpuint(count((void **)info->methods), ==, 1);
	g_assert_cmpuint(count((void **)info->properties), ==, 2);
	g_assert_cmpuint(count((void **)info->signals), ==, 0);
}

static void test_connection(void)
{
	static const struct {
		const char *name, *type;
	} props[] = {
		{ "State", "s" },          { "Reason", "(ss)" },    { "Profile", "s" },
		{ "Gateway", "s" },        { "Nat", "s" },          { "Interface", "s" },
		{ "Ip4Config", "a{sv}" },  { "Ip6Config", "a{sv}" }, { "Negotiated", "a{ss}" },
		{ "Owner", "u" },          { "BytesIn", "t" },      { "BytesOut", "t" },
		{ "PacketsIn", "t" },      { "PacketsOut", "t" },   { "ConnectedSince", "t" },
	};
	GDBusInterfaceInfo *info = roadie_connection1_interface_info();
	GDBusSignalInfo *progress;

	g_assert_cmpstr(info->name, ==, "org.roadie.Connection1");
	check_method(info, "Disconnect", "", "");
	for (size_t i = 0; i < G_N_ELEMENTS(props); i++)
		check_property(info, props[i].name, props[i].type);
	g_assert_cmpuint(count((void **)info->properties), ==, G_N_ELEMENTS(props));
	progress = g_dbus_interface_info_lookup_signal(info, "Progress");
	g_assert_nonnull(progress);
	g_assert_cmpuint(count((void **)progress->args), ==, 1);
	g_assert_cmpstr(progress->args[0]->signature, ==, "s");
}

/* The XML files themselves (what gets installed for introspection) parse and agree with
 * the generated code. */
static void test_xml_files(void)
{
	static const char *const files[] = { "org.roadie.Daemon1.xml", "org.roadie.Connection1.xml" };

	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autofree char *path = g_test_build_filename(G_TEST_DIST, "..", "data", "dbus",
							      files[i], NULL);
		g_autofree char *xml = NULL;
		g_autoptr(GError) error = NULL;
		GDBusNodeInfo *node;

		g_assert_true(g_file_get_contents(path, &xml, NULL, &error));
		node = g_dbus_node_info_new_for_xml(xml, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(count((void **)node->interfaces), ==, 1);
		g_assert_cmpstr(node->interfaces[0]->name, ==,
				i == 0 ? "org.roadie.Daemon1" : "org.roadie.Connection1");
		g_dbus_node_info_unref(node);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/dbus-api/daemon", test_daemon);
	g_test_add_func("/dbus-api/connection", test_connection);
	g_test_add_func("/dbus-api/xml-files", test_xml_files);
	return g_test_run();
}

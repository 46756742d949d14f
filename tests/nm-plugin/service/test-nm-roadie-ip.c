/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * roadied's facts in NetworkManager's shapes (nm-roadie-ip.c), and its states and reasons in
 * NetworkManager's words (nm-roadie-failure.c).
 */
#include <arpa/inet.h>
#include <NetworkManager.h>

#include "nm-roadie-failure.h"
#include "nm-roadie-ip.h"

static guint32 ip4(const char *text)
{
	struct in_addr a;

	g_assert_cmpint(inet_pton(AF_INET, text, &a), ==, 1);
	return a.s_addr;
}

static GVariant *roadied_ip4(void)
{
	return g_variant_ref_sink(g_variant_new_parsed(
		"{'address': <'192.0.2.10'>, 'peer': <'192.0.2.1'>, 'prefix': <@u 32>, "
		"'mtu': <@u 1400>, 'dns': <['192.0.2.53', 'not-an-address', '2001:db8::53']>, "
		"'domains': <['corp.example']>, "
		"'routes': <['10.1.0.0/16', '0.0.0.0/0', '10.2.3.4', '10.9.0.0/33', 'x/8']>}"));
}

static void test_config(void)
{
	g_autoptr(GVariant) ip = roadied_ip4();
	g_autoptr(GError) error = NULL;
	NmRoadieFacts facts = { .interface = "roadie0", .gateway = "203.0.113.10", .ip4 = ip };
	g_autoptr(GVariant) config = g_variant_ref_sink(nm_roadie_ip_config(&facts, &error));
	const char *dev;
	guint32 gw, mtu;
	gboolean has4, has6;

	g_assert_no_error(error);
	g_assert_true(g_variant_lookup(config, NM_VPN_PLUGIN_CONFIG_TUNDEV, "&s", &dev));
	g_assert_cmpstr(dev, ==, "roadie0");
	g_assert_true(g_variant_lookup(config, NM_VPN_PLUGIN_CONFIG_EXT_GATEWAY, "u", &gw));
	g_assert_cmpuint(gw, ==, ip4("203.0.113.10"));
	g_assert_true(g_variant_lookup(config, NM_VPN_PLUGIN_CONFIG_MTU, "u", &mtu));
	g_assert_cmpuint(mtu, ==, 1400);
	g_assert_true(g_variant_lookup(config, NM_VPN_PLUGIN_CONFIG_HAS_IP4, "b", &has4));
	g_assert_true(has4);
	g_assert_true(g_variant_lookup(config, NM_VPN_PLUGIN_CONFIG_HAS_IP6, "b", &has6));
	g_assert_false(has6);
}

static void test_config_incomplete(void)
{
	g_autoptr(GVariant) ip = roadied_ip4();
	g_autoptr(GVariant) empty = g_variant_ref_sink(g_variant_new_parsed("@a{sv} {}"));
	g_autoptr(GVariant) wrong = g_variant_ref_sink(g_variant_new_parsed("{'address': <@u 7>}"));
	struct {
		NmRoadieFacts facts;
		const char *message;
	} cases[] = {
		{ { .gateway = "203.0.113.10", .ip4 = ip }, "without its device" },
		{ { .interface = "", .gateway = "203.0.113.10", .ip4 = ip }, "without its device" },
		{ { .interface = "roadie0", .gateway = "203.0.113.10", .ip4 = empty },
		  "without an IPv4 address" },
		{ { .interface = "roadie0", .gateway = "203.0.113.10", .ip4 = wrong },
		  "without an IPv4 address" },
		{ { .interface = "roadie0", .gateway = "203.0.113.10" }, "without an IPv4 address" },
		{ { .interface = "roadie0", .gateway = "vpn.example.com", .ip4 = ip },
		  "without the gateway's address" },
		{ { .interface = "roadie0", .ip4 = ip }, "without the gateway's address" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;

		g_assert_null(nm_roadie_ip_config(&cases[i].facts, &error));
		g_assert_nonnull(error);
		g_assert_nonnull(strstr(error->message, cases[i].message));
	}
}

static void test_ip4(void)
{
	g_autoptr(GVariant) ip = roadied_ip4();
	NmRoadieFacts facts = { .interface = "roadie0", .gateway = "203.0.113.10", .ip4 = ip };
	g_autoptr(GVariant) v4 = g_variant_ref_sink(nm_roadie_ip4_config(&facts));
	g_autoptr(GVariant) dns = NULL;
	g_autoptr(GVariant) routes = NULL;
	g_autoptr(GVariant) route = NULL;
	g_autofree const char **domains = NULL;
	guint32 value;
	gboolean never_default;
	const guint32 *r;
	gsize n;

	g_assert_true(g_variant_lookup(v4, NM_VPN_PLUGIN_IP4_CONFIG_ADDRESS, "u", &value));
	g_assert_cmpuint(value, ==, ip4("192.0.2.10"));
	g_assert_true(g_variant_lookup(v4, NM_VPN_PLUGIN_IP4_CONFIG_PTP, "u", &value));
	g_assert_cmpuint(value, ==, ip4("192.0.2.1"));
	g_assert_true(g_variant_lookup(v4, NM_VPN_PLUGIN_IP4_CONFIG_PREFIX, "u", &value));
	g_assert_cmpuint(value, ==, 32);
	/* only the IPv4 servers, bad entries left out */
	dns = g_variant_lookup_value(v4, NM_VPN_PLUGIN_IP4_CONFIG_DNS, G_VARIANT_TYPE("au"));
	g_assert_nonnull(dns);
	g_assert_cmpuint(g_variant_n_children(dns), ==, 1);
	g_variant_get_child(dns, 0, "u", &value);
	g_assert_cmpuint(value, ==, ip4("192.0.2.53"));
	g_assert_true(g_variant_lookup(v4, NM_VPN_PLUGIN_IP4_CONFIG_DOMAINS, "^a&s", &domains));
	g_assert_cmpstr(domains[0], ==, "corp.example");
	g_assert_null(domains[1]);
	/* 10.1.0.0/16 and 10.2.3.4/32; the default route is never-default's, bad ones go */
	routes = g_variant_lookup_value(v4, NM_VPN_PLUGIN_IP4_CONFIG_ROUTES, G_VARIANT_TYPE("aau"));
	g_assert_nonnull(routes);
	g_assert_cmpuint(g_variant_n_children(routes), ==, 2);
	route = g_variant_get_child_value(routes, 0);
	r = g_variant_get_fixed_array(route, &n, sizeof(guint32));
	g_assert_cmpuint(n, ==, 4);
	g_assert_cmpuint(r[0], ==, ip4("10.1.0.0"));
	g_assert_cmpuint(r[1], ==, 16);
	g_clear_pointer(&route, g_variant_unref);
	route = g_variant_get_child_value(routes, 1);
	r = g_variant_get_fixed_array(route, &n, sizeof(guint32));
	g_assert_cmpuint(r[0], ==, ip4("10.2.3.4"));
	g_assert_cmpuint(r[1], ==, 32);
	/* split tunnel unless the profile wants the default route */
	g_assert_true(g_variant_lookup(v4, NM_VPN_PLUGIN_IP4_CONFIG_NEVER_DEFAULT, "b",
				       &never_default));
	g_assert_true(never_default);
	facts.default_route = true;
	g_clear_pointer(&v4, g_variant_unref);
	v4 = g_variant_ref_sink(nm_roadie_ip4_config(&facts));
	g_assert_true(g_variant_lookup(v4, NM_VPN_PLUGIN_IP4_CONFIG_NEVER_DEFAULT, "b",
				       &never_default));
	g_assert_false(never_default);
}

static void test_ip6(void)
{
	g_autoptr(GVariant) ip = roadied_ip4();
	g_autoptr(GVariant) six = g_variant_ref_sink(g_variant_new_parsed(
		"{'address': <'fe80::1234'>, 'prefix': <@u 64>, 'mtu': <@u 1400>}"));
	NmRoadieFacts facts = { .interface = "roadie0", .gateway = "2001:db8::10", .ip4 = ip,
				.ip6 = six };
	g_autoptr(GVariant) config = g_variant_ref_sink(nm_roadie_ip_config(&facts, NULL));
	g_autoptr(GVariant) v6 = g_variant_ref_sink(nm_roadie_ip6_config(&facts));
	g_autoptr(GVariant) gw = NULL;
	g_autoptr(GVariant) addr = NULL;
	gboolean has6;
	gsize n;

	gw = g_variant_lookup_value(config, NM_VPN_PLUGIN_CONFIG_EXT_GATEWAY, G_VARIANT_TYPE("ay"));
	g_assert_nonnull(gw);
	g_variant_get_fixed_array(gw, &n, 1);
	g_assert_cmpuint(n, ==, 16);
	g_assert_true(g_variant_lookup(config, NM_VPN_PLUGIN_CONFIG_HAS_IP6, "b", &has6));
	g_assert_true(has6);
	addr = g_variant_lookup_value(v6, NM_VPN_PLUGIN_IP6_CONFIG_ADDRESS, G_VARIANT_TYPE("ay"));
	g_assert_nonnull(addr);
	g_assert_cmpuint(((const guint8 *)g_variant_get_fixed_array(addr, &n, 1))[0], ==, 0xfe);
	/* no IPv6 from roadied: none for NetworkManager */
	facts.ip6 = NULL;
	g_assert_null(nm_roadie_ip6_config(&facts));
}

static void test_states(void)
{
	g_assert_cmpint(nm_roadie_state("ike-phase1"), ==, NM_ROADIE_STATE_STARTING);
	g_assert_cmpint(nm_roadie_state("configuring"), ==, NM_ROADIE_STATE_STARTING);
	g_assert_cmpint(nm_roadie_state("connected"), ==, NM_ROADIE_STATE_UP);
	g_assert_cmpint(nm_roadie_state("reconnecting"), ==, NM_ROADIE_STATE_RETRYING);
	g_assert_cmpint(nm_roadie_state("disconnecting"), ==, NM_ROADIE_STATE_ENDING);
	g_assert_cmpint(nm_roadie_state("disconnected"), ==, NM_ROADIE_STATE_ENDED);
	g_assert_cmpint(nm_roadie_state("failed"), ==, NM_ROADIE_STATE_FAILED);
	g_assert_cmpint(nm_roadie_state("warp-drive"), ==, NM_ROADIE_STATE_UNKNOWN);
	g_assert_cmpint(nm_roadie_state(NULL), ==, NM_ROADIE_STATE_UNKNOWN);

	g_assert_cmpint(nm_roadie_failure("psk-rejected"), ==, NM_VPN_PLUGIN_FAILURE_LOGIN_FAILED);
	g_assert_cmpint(nm_roadie_failure("ppp-auth-failed"), ==,
			NM_VPN_PLUGIN_FAILURE_LOGIN_FAILED);
	g_assert_cmpint(nm_roadie_failure("host-config"), ==, NM_VPN_PLUGIN_FAILURE_BAD_IP_CONFIG);
	g_assert_cmpint(nm_roadie_failure("dead-peer"), ==, NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED);
	g_assert_cmpint(nm_roadie_failure(NULL), ==, NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/nm-service/config", test_config);
	g_test_add_func("/nm-service/config-incomplete", test_config_incomplete);
	g_test_add_func("/nm-service/ip4", test_ip4);
	g_test_add_func("/nm-service/ip6", test_ip6);
	g_test_add_func("/nm-service/states", test_states);
	return g_test_run();
}

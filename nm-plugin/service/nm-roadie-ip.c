/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * roadied's Ip4Config/Ip6Config (strings: "address", "peer", "routes" as "10.1.0.0/16") into
 * NetworkManager's VPN configuration (IPv4 addresses as uint32 in network byte order, IPv6 as
 * 16 bytes, routes as aau / a(ayuayu)).
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>
#include <NetworkManager.h>

#include "nm-roadie-ip.h"

static const char *facts_str(GVariant *dict, const char *key)
{
	const char *value = NULL;

	if (dict && g_variant_is_of_type(dict, G_VARIANT_TYPE_VARDICT))
		g_variant_lookup(dict, key, "&s", &value);
	return value;
}

static bool facts_uint(GVariant *dict, const char *key, guint32 *ret)
{
	return dict && g_variant_is_of_type(dict, G_VARIANT_TYPE_VARDICT) &&
	       g_variant_lookup(dict, key, "u", ret);
}

/* "as" entries; NULL when absent or of another type */
static GVariant *facts_strv(GVariant *dict, const char *key)
{
	if (!dict || !g_variant_is_of_type(dict, G_VARIANT_TYPE_VARDICT))
		return NULL;
	return g_variant_lookup_value(dict, key, G_VARIANT_TYPE_STRING_ARRAY);
}

static bool parse_ip4(const char *text, guint32 *ret)
{
	struct in_addr a;

	if (!text || inet_pton(AF_INET, text, &a) != 1)
		return false;
	*ret = a.s_addr; /* network byte order, as libnm wants it */
	return true;
}

static bool parse_ip6(const char *text, struct in6_addr *ret)
{
	return text && inet_pton(AF_INET6, text, ret) == 1;
}

/* "10.1.0.0/16" (a bare address is a /32 or /128) */
static bool parse_prefix(const char *text, int family, void *addr, guint32 *ret_len)
{
	g_autofree char *copy = NULL;
	char *slash;
	guint64 len;
	guint max = family == AF_INET ? 32 : 128;

	if (!text)
		return false;
	copy = g_strdup(text);
	slash = strchr(copy, '/');
	if (slash) {
		*slash++ = '\0';
		if (!g_ascii_string_to_unsigned(slash, 10, 0, max, &len, NULL))
			return false;
	} else {
		len = max;
	}
	if (inet_pton(family, copy, addr) != 1)
		return false;
	*ret_len = (guint32)len;
	return true;
}

static bool ip6_present(const NmRoadieFacts *facts)
{
	struct in6_addr a;

	return parse_ip6(facts_str(facts->ip6, "address"), &a);
}

GVariant *nm_roadie_ip_config(const NmRoadieFacts *facts, GError **error)
{
	GVariantBuilder b;
	guint32 address, gateway4, mtu;
	struct in6_addr gateway6;

	if (!facts->interface || !*facts->interface) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			    "roadied reported the connection up without its device");
		return NULL;
	}
	if (!parse_ip4(facts_str(facts->ip4, "address"), &address)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			    "roadied reported the connection up without an IPv4 address");
		return NULL;
	}
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_CONFIG_TUNDEV,
			      g_variant_new_string(facts->interface));
	if (parse_ip4(facts->gateway, &gateway4)) {
		g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_CONFIG_EXT_GATEWAY,
				      g_variant_new_uint32(gateway4));
	} else if (parse_ip6(facts->gateway, &gateway6)) {
		g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_CONFIG_EXT_GATEWAY,
				      g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, &gateway6,
								sizeof(gateway6), 1));
	} else {
		g_variant_builder_clear(&b);
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			    "roadied reported the connection up without the gateway's address");
		return NULL;
	}
	if (facts_uint(facts->ip4, "mtu", &mtu) && mtu >= 576 && mtu <= 65535)
		g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_CONFIG_MTU,
				      g_variant_new_uint32(mtu));
	g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_CONFIG_HAS_IP4,
			      g_variant_new_boolean(TRUE));
	g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_CONFIG_HAS_IP6,
			      g_variant_new_boolean(ip6_present(facts)));
	return g_variant_builder_end(&b);
}

GVariant *nm_roadie_ip4_config(const NmRoadieFacts *facts)
{
	GVariantBuilder b, dns, routes;
	g_autoptr(GVariant) dns_list = facts_strv(facts->ip4, "dns");
	g_autoptr(GVariant) domain_list = facts_strv(facts->ip4, "domains");
	g_autoptr(GVariant) route_list = facts_strv(facts->ip4, "routes");
	guint32 address, peer, prefix;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	if (parse_ip4(facts_str(facts->ip4, "address"), &address))
		g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_ADDRESS,
				      g_variant_new_uint32(address));
	/* a point-to-point link: the peer is the LNS end of PPP */
	if (parse_ip4(facts_str(facts->ip4, "peer"), &peer)) {
		g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_PTP,
				      g_variant_new_uint32(peer));
		g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_INT_GATEWAY,
				      g_variant_new_uint32(peer));
	}
	if (!facts_uint(facts->ip4, "prefix", &prefix) || prefix > 32)
		prefix = 32;
	g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_PREFIX,
			      g_variant_new_uint32(prefix));

	g_variant_builder_init(&dns, G_VARIANT_TYPE("au"));
	for (gsize i = 0; dns_list && i < g_variant_n_children(dns_list); i++) {
		const char *text;

		g_variant_get_child(dns_list, i, "&s", &text);
		if (parse_ip4(text, &address))
			g_variant_builder_add(&dns, "u", address);
	}
	g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_DNS,
			      g_variant_builder_end(&dns));
	if (domain_list && g_variant_n_children(domain_list) > 0)
		g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_DOMAINS,
				      g_variant_ref(domain_list));

	/* aau: destination, prefix, next hop (0: the device), metric (0: NM's default) */
	g_variant_builder_init(&routes, G_VARIANT_TYPE("aau"));
	for (gsize i = 0; route_list && i < g_variant_n_children(route_list); i++) {
		const char *text;
		struct in_addr dest;
		guint32 len, route[4];

		g_variant_get_child(route_list, i, "&s", &text);
		/* the default route is never-default's business */
		if (!parse_prefix(text, AF_INET, &dest, &len) || len == 0)
			continue;
		route[0] = dest.s_addr;
		route[1] = len;
		route[2] = 0;
		route[3] = 0;
		g_variant_builder_add_value(&routes, g_variant_new_fixed_array(G_VARIANT_TYPE_UINT32,
									       route, 4,
									       sizeof(guint32)));
	}
	g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_ROUTES,
			      g_variant_builder_end(&routes));
	/* split tunnel: NetworkManager keeps the default route on the base connection (its own
	 * ipv4.never-default can say so too) */
	g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_IP4_CONFIG_NEVER_DEFAULT,
			      g_variant_new_boolean(!facts->default_route));
	return g_variant_builder_end(&b);
}

GVariant *nm_roadie_ip6_config(const NmRoadieFacts *facts)
{
	GVariantBuilder b, dns;
	g_autoptr(GVariant) dns_list = facts_strv(facts->ip6, "dns");
	struct in6_addr address, peer;
	guint32 prefix;

	if (!parse_ip6(facts_str(facts->ip6, "address"), &address))
		return NULL;
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_IP6_CONFIG_ADDRESS,
			      g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, &address,
							sizeof(address), 1));
	if (parse_ip6(facts_str(facts->ip6, "peer"), &peer))
		g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_IP6_CONFIG_PTP,
				      g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, &peer,
								sizeof(peer), 1));
	if (!facts_uint(facts->ip6, "prefix", &prefix) || prefix > 128)
		prefix = 64;
	g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_IP6_CONFIG_PREFIX,
			      g_variant_new_uint32(prefix));
	g_variant_builder_init(&dns, G_VARIANT_TYPE("aay"));
	for (gsize i = 0; dns_list && i < g_variant_n_children(dns_list); i++) {
		const char *text;
		struct in6_addr server;

		g_variant_get_child(dns_list, i, "&s", &text);
		if (parse_ip6(text, &server))
			g_variant_builder_add_value(
				&dns, g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, &server,
								sizeof(server), 1));
	}
	g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_IP6_CONFIG_DNS,
			      g_variant_builder_end(&dns));
	/* IPV6CP gives a link-local address only: never the default route */
	g_variant_builder_add(&b, "{sv}", NM_VPN_PLUGIN_IP6_CONFIG_NEVER_DEFAULT,
			      g_variant_new_boolean(TRUE));
	return g_variant_builder_end(&b);
}

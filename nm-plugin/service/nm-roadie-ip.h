/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * roadied's facts about a connection, as NetworkManager wants them from a VPN service: the
 * tunnel configuration (device, external gateway, MTU) and the IPv4 and IPv6 configurations
 * in libnm's a{sv} shapes (nm-vpn-dbus-interface.h). Pure functions over GVariants, so the
 * unit tests need no bus; roadied's properties are read as hostile (wrong types, bad
 * addresses: left out, never trusted).
 */
#pragma once

#include <stdbool.h>
#include <glib.h>

typedef struct {
	const char *interface; /* Connection1.Interface: "roadie0" */
	const char *gateway;   /* Connection1.Gateway: the gateway's outer address */
	GVariant *ip4;         /* Connection1.Ip4Config, a{sv} (may be NULL or empty) */
	GVariant *ip6;         /* Connection1.Ip6Config, a{sv} (may be NULL or empty) */
	bool default_route;    /* the profile's [ip] default-route */
} NmRoadieFacts;

/* The tunnel's configuration (tundev, gateway, mtu, has-ip4, has-ip6), floating a{sv}; NULL
 * and @error when roadied's facts lack what NetworkManager cannot do without (the device
 * name, an IPv4 address, an external gateway that is an address). */
GVariant *nm_roadie_ip_config(const NmRoadieFacts *facts, GError **error);
/* IPv4: address, ptp, prefix, dns, domains, routes, never-default; floating a{sv}. */
GVariant *nm_roadie_ip4_config(const NmRoadieFacts *facts);
/* IPv6 (IPV6CP's link-local address), or NULL when roadied has none. */
GVariant *nm_roadie_ip6_config(const NmRoadieFacts *facts);

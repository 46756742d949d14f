/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * roadied keeps only what it needs: CAP_NET_ADMIN (routes, addresses, the TUN device),
 * CAP_NET_BIND_SERVICE (UDP 500 and 4500) and CAP_NET_RAW (raw ESP without NAT). Under
 * systemd the unit's CapabilityBoundingSet does this; started any other way, roadied drops
 * the rest itself (bounding set, then effective, permitted and inheritable sets) and sets
 * no_new_privs, as NoNewPrivileges= would. It stays uid 0: the files it changes
 * (resolv.conf, its state directory) belong to root.
 */
#pragma once

#include <stdbool.h>
#include <glib.h>

/* Drops every other capability; false and @error if the kernel refuses. */
bool service_drop_capabilities(GError **error);

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One connection, from a profile to an established tunnel: resolve the gateway, open the
 * sockets, run IKE (then, as they land, ESP, L2TP and PPP), and report progress and failure
 * in sentences. It wires the sans-I/O protocol code to the GLib main loop; it is the only
 * layer that knows both.
 */
#pragma once

#include <stdbool.h>

#include "host/host.h"
#include "profile.h"

struct conn;

struct conn_callbacks {
	/* A progress line for the user ("IKE: AES_CBC_256/HMAC_SHA1/MODP_2048; ..."). */
	void (*progress)(void *user, const char *line);
	/* Phase 1 is up (and, later, the whole tunnel). */
	void (*established)(void *user, const char *summary);
	/* What the gateway accepted, in the profile's syntax, for [learned] ike, esp and pfs. */
	void (*learned)(void *user, const char *ike, const char *esp, const char *pfs);
	/* Optional, for debugging only (roadied --keylog): one line per ISAKMP SA that lets a
	 * capture be decrypted, as a Wireshark table record for tshark -o uat:LINE
	 * ("ikev1_decryption_table:ICOOKIE,KEY" in hex), like TLS's SSLKEYLOGFILE. The line is
	 * wiped afterwards. */
	void (*keylog)(void *user, const char *line);
	/* The tunnel is up (again, after a renegotiation): what it brought, for whoever
	 * configures the host (NetworkManager, a script with --no-configure). Optional. */
	void (*facts)(void *user, const struct host_facts *facts);
	/* The attempt is over: @reason says why, in words. */
	void (*failed)(void *user, const char *reason);
};

struct conn *conn_new(const RoadieProfile *profile, const struct conn_callbacks *callbacks,
		      void *user);
struct conn *conn_free(struct conn *c);
/* Standalone mode: @host (owned by the caller, outliving the connection) guards the routes
 * before the first IKE packet and configures the device, routes and DNS once the tunnel is
 * up; conn_stop() unapplies. Without a host (NetworkManager mode, --no-configure) the device
 * is left unconfigured and only the facts are reported. Before conn_start(). */
void conn_set_host(struct conn *c, struct host *host);
void conn_start(struct conn *c);
/* Ends the connection politely: DELETEs for the SAs that are up (RFC 2408 §3.15). */
void conn_stop(struct conn *c);

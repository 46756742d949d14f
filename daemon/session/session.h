/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One connection as a user sees it, from connect to disconnected: it owns the profile, the
 * host changes (host.h) and the current attempt (conn.h), and it reconnects. A conn is one
 * attempt; when it ends after the tunnel was up (DPD, LCP echo or L2TP HELLO found the
 * gateway gone, the gateway closed the tunnel) and the profile asks for auto-reconnect, the
 * session goes to "reconnecting" and tries again with backoff (1, 2, 4, ... 30 s) while the
 * host guard stays up: the routes meant for the tunnel stay blackholed, so nothing leaves in
 * the clear in between. session_kick() reconnects at once (resume from suspend, a change of
 * the local network). Failures a retry cannot mend (a wrong password or PSK, settings the
 * gateway refuses) end the session in "failed" with the reason.
 *
 * Used by roadied's D-Bus service (one session per Connection1 object) and by
 * roadied --connect.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "conn/conn.h"
#include "host/host.h"
#include "profile.h"

enum session_state {
	SESSION_RESOLVING,
	SESSION_IKE_PHASE1,
	SESSION_IKE_PHASE2,
	SESSION_L2TP,
	SESSION_PPP_LINK,
	SESSION_PPP_AUTH,
	SESSION_PPP_NETWORK,
	SESSION_CONFIGURING,
	SESSION_CONNECTED,
	SESSION_RECONNECTING,
	SESSION_DISCONNECTING,
	SESSION_DISCONNECTED,
	SESSION_FAILED,
};

/* The names of org.roadie.Connection1.State. */
const char *session_state_name(enum session_state state);

/* What the tunnel brought (Ip4Config, Ip6Config); strings owned by the session. */
struct session_ip {
	char address[48];   /* "" before */
	char peer[48];
	unsigned prefix;
	unsigned mtu;
	char **dns;         /* NULL-terminated, never NULL */
	char **domains;
	char **routes;
	char address6[48];  /* the link-local address from IPV6CP, "" without */
};

struct session_callbacks {
	/* The state, the reason, the IP configuration or the negotiated suites changed. */
	void (*changed)(void *user);
	/* A line for the user (every step, every retry). */
	void (*progress)(void *user, const char *line);
	/* Optional: what the gateway accepted, in the profile's syntax ([learned]). */
	void (*learned)(void *user, const char *ike, const char *esp, const char *pfs);
	/* Optional, debugging only: IKE keys for Wireshark (conn.h). */
	void (*keylog)(void *user, const char *line);
	/* Optional: the facts each time the tunnel is up (NetworkManager mode, --no-configure). */
	void (*facts)(void *user, const struct host_facts *facts);
};

struct session_config {
	/* NULL: change nothing on the host (NetworkManager mode, --no-configure) */
	const struct host_env *host_env;
	bool auto_reconnect;
	unsigned backoff_max_s; /* 0: 30 */
};

struct session;

/* Takes @profile. */
struct session *session_new(RoadieProfile *profile, const struct session_config *config,
			    const struct session_callbacks *callbacks, void *user);
/* Ends what runs as session_stop() does, synchronously, then frees; accepts NULL. */
struct session *session_free(struct session *s);

void session_start(struct session *s);
/* Disconnect: LCP Terminate, StopCCN, IKE DELETEs, the host restored; the state goes to
 * disconnecting, then (from an idle callback) disconnected. */
void session_stop(struct session *s);
/* Something outside says the path changed (resume from suspend, the local network): with
 * auto-reconnect, a connected or reconnecting session starts over at once; @why is the
 * sentence for the user. */
void session_kick(struct session *s, const char *why);

/* The local network changed (net-watch.h says something did): if the path the connection
 * uses is broken by it (our address is gone, the route to the gateway is gone or leaves
 * through another device), a session with auto-reconnect starts over at once, one without
 * fails with reason network-changed; a session waiting to retry tries at once. A change that
 * leaves the devices and addresses as they were is ignored. */
void session_network_changed(struct session *s);

enum session_state session_state(const struct session *s);
/* ("", "") unless failed or reconnecting. */
const char *session_reason_code(const struct session *s);
const char *session_reason_text(const struct session *s);
const RoadieProfile *session_profile(const struct session *s);
const struct session_ip *session_ip(const struct session *s);
/* Live: the counters and the suites of the attempt in use. */
void session_info(const struct session *s, struct conn_info *ret);
/* When the state last became connected (g_get_real_time, µs), 0 before. */
int64_t session_connected_since(const struct session *s);
bool session_ended(const struct session *s); /* disconnected or failed */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One connection, from a profile to an established tunnel: resolve the gateway, open the
 * sockets, run IKE (then, as they land, ESP, L2TP and PPP), and report progress and failure
 * in sentences. It wires the sans-I/O protocol code to the GLib main loop; it is the only
 * layer that knows both.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "host/host.h"
#include "profile.h"

struct conn;

/* Where an attempt is, for front ends (org.roadie.Connection1.State without the session
 * states: reconnecting, disconnecting, disconnected and failed are the session's). */
enum conn_state {
	CONN_STATE_RESOLVING,
	CONN_STATE_IKE_PHASE1,
	CONN_STATE_IKE_PHASE2,
	CONN_STATE_L2TP,
	CONN_STATE_PPP_LINK,
	CONN_STATE_PPP_AUTH,
	CONN_STATE_PPP_NETWORK,
	CONN_STATE_CONFIGURING,
	CONN_STATE_CONNECTED,
};

/* Why an attempt ended: a stable code for front ends and scripts (conn_reason_code), beside
 * the sentence for the user. */
enum conn_reason {
	CONN_REASON_INVALID_SETTINGS,      /* the profile cannot be used as it is */
	CONN_REASON_GATEWAY_UNRESOLVABLE,  /* DNS has no address for the gateway */
	CONN_REASON_GATEWAY_UNREACHABLE,   /* no answer on UDP 500 */
	CONN_REASON_NO_PROPOSAL_CHOSEN,    /* the gateway accepts none of our IKE proposals */
	CONN_REASON_PSK_REJECTED,          /* phase 1 authentication failed */
	CONN_REASON_ID_MISMATCH,           /* the gateway is not who the profile expects */
	CONN_REASON_AGGRESSIVE_ONLY,       /* the gateway insists on Aggressive Mode */
	CONN_REASON_IKE_PROTOCOL,          /* a broken exchange or a notification we cannot act on */
	CONN_REASON_QUICK_MODE_FAILED,     /* phase 2 failed */
	CONN_REASON_L2TP_FAILED,           /* the LNS did not answer or refused the tunnel */
	CONN_REASON_L2TP_AUTH_FAILED,      /* the L2TP tunnel secret differs */
	CONN_REASON_PPP_FAILED,            /* LCP or IPCP did not converge, no address */
	CONN_REASON_PPP_AUTH_METHOD,       /* the gateway wants a method the profile refuses */
	CONN_REASON_PPP_AUTH_FAILED,       /* wrong user name or password */
	CONN_REASON_PPP_GATEWAY_NOT_AUTHENTIC, /* MS-CHAPv2's mutual authentication failed */
	CONN_REASON_DEAD_PEER,             /* DPD, LCP echo or L2TP HELLO: the gateway is gone */
	CONN_REASON_GATEWAY_CLOSED,        /* the gateway ended IKE, L2TP or PPP */
	CONN_REASON_HOST_CONFIG,           /* routes, device or DNS could not be set */
	CONN_REASON_INTERNAL,              /* a resource or crypto failure on our side */
	CONN_REASON_NETWORK_CHANGED,       /* the session's: the local network under us changed */
	CONN_REASON_GATEWAY_CERTIFICATE,   /* the gateway's certificate or signature failed */
	CONN_REASON_CERTIFICATE_REJECTED,  /* phase 1 with certificates: ours was not accepted */
};

const char *conn_state_name(enum conn_state state);
/* "psk-rejected", "dead-peer", ...: never changes once released. */
const char *conn_reason_code(enum conn_reason reason);

struct conn_callbacks {
	/* The attempt moved on; optional. */
	void (*state)(void *user, enum conn_state state);
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
	/* The attempt is over: @reason says why in a code, @text in words. */
	void (*failed)(void *user, enum conn_reason reason, const char *text);
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

/* For front ends, once known ("" or 0 before). */
struct conn_info {
	char gateway[64];        /* the address IKE talks to */
	const char *nat;         /* "none", "local" (we are behind NAT), "remote", "both" */
	char ifname[16];         /* the TUN device */
	char ike[96];            /* the suites in the profile's syntax: "aes256-sha256-modp2048" */
	char esp[96];
	char pfs[32];
	const char *ppp_auth;    /* "MS-CHAPv2", "" */
	uint16_t l2tp_port;      /* our L2TP source port */
	char address6[48];       /* our link-local address from IPV6CP, "" without */
	uint64_t bytes_in, bytes_out, packets_in, packets_out; /* inner IP, through the device */
	struct sockaddr_storage local; /* our address towards the gateway; family 0 before */
};
void conn_get_info(const struct conn *c, struct conn_info *ret);

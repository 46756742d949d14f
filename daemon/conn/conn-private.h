/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What conn.c (IKE) and conn-tunnel.c (ESP, L2TP, PPP and the TUN device) share: the
 * connection's state and a few helpers. Not for anyone else.
 */
#pragma once

#include <netinet/in.h>
#include <glib.h>
#include <gio/gio.h>

#include "conn.h"
#include "dhcp/dhcp-inform.h"
#include "ppp/ppp.h"
#include "ike/ike-fallback.h"
#include "ike/ike-message.h"
#include "ike/ike-sa.h"
#include "net/net-tun.h"
#include "net/net-udp.h"
#include "x509-cred.h"

struct dp;
struct l2tp_tunnel;
struct ppp;

/* PFS "auto" (IKEv1 gives no hint of the group a gateway wants, and a Quick Mode carries one
 * KE): the learned group first, then none, then phase 1's group, then the common ones. */
#define CONN_PFS_MAX 8

struct conn {
	RoadieProfile *profile;
	RoadieSuite *esp;
	RoadieDhGroup *esp_groups;
	unsigned n_esp;
	RoadieDhGroup pfs_order[CONN_PFS_MAX];
	unsigned n_pfs, pfs_next;
	uint16_t l2tp_port;
	struct ike_child child;
	bool child_up;
	guint keepalive;
	bool stopping;
	/* rekeying the ESP pair before it expires, make-before-break: the new pair first, the
	 * old one deleted a moment later */
	guint rekey_timer;
	guint old_timer;
	uint32_t old_spi_in;
	bool rekeying;
	struct host *host;     /* NULL: report the facts, change nothing */
	guint pmtu_timer;
	unsigned tun_mtu;       /* the device's MTU now */
	struct ppp_ip_result ip; /* what IPCP gave, once ip_up */
	bool ip_up;
	/* DHCPINFORM through the tunnel (conn-dhcp.c) */
	guint dhcp_timer;
	unsigned dhcp_tries;
	uint32_t dhcp_xid;
	uint8_t dhcp_chaddr[6];
	bool dhcp_done;
	struct dhcp_inform_result dhcp;
	bool rekey_soon;       /* the data plane asked for a rekey (kilobytes, sequence) */
	bool ipv6_up;          /* the link-local address from IPV6CP is on the device */
	uint8_t ipv6_iid[8];   /* its interface identifier */
	const struct conn_callbacks *cb;
	void *user;
	enum conn_state state;  /* what the state callback was told last */
	bool state_reported;
	GCancellable *cancel;
	struct net_udp udp;
	guint watch_ike, watch_natt, timer;
	struct ike_sa *ike;      /* the ISAKMP SA in use */
	/* the IKE proposal lists: the profile's, then older ones if the gateway refuses */
	struct ike_fallback fallback;
	unsigned tries_sent;     /* over all the lists, for the "no answer" sentence */
	guint fallback_idle;
	/* phase 1 renewal before the ISAKMP SA expires: a fresh Main Mode beside the old SA,
	 * which is deleted once the new one is up (the ESP SAs live on, RFC 2409 §5.5) */
	struct ike_sa *ike_next;
	guint renew_timer, retire_idle;
	struct ike_sa *ike_retired;
	struct ike_sa *ike_old;    /* replaced by a renewal, deleted after a grace period */
	guint old_ike_timer;
	/* the SA conn is calling into: ike, ike_next or one on its way out; events are its */
	struct ike_sa *calling;
	uint8_t local_id[IKE_ID_MAX_DATA], remote_id[IKE_ID_MAX_DATA];
	struct ike_sa_config ike_cfg; /* without suites and tries: each attempt sets them */
	/* certificate authentication (conn-cert.c): ours, the CAs, what IKE sends */
	RoadieX509Cred *cred;
	STACK_OF(X509) *cas;
	GBytes *cert_der[IKE_MAX_CERTS];
	GBytes *ca_dn;
	unsigned tries, attempt_tries;
	char remote_text[INET6_ADDRSTRLEN];
	struct sockaddr_storage gateway;
	socklen_t gateway_len;

	/* the tunnel, once the ESP pair is up (conn-tunnel.c) */
	struct dp *dp;
	struct l2tp_tunnel *l2tp;
	struct ppp *ppp;
	struct net_tun tun;
	int fd_raw;             /* raw ESP without NAT, -1 */
	guint commit_timer;
	guint qm3_timer;        /* QM3 again until ESP arrives (ike_sa_resend_qm3) */
	unsigned qm3_resent;
	bool tunnel_up;

	uint8_t rx[IKE_MESSAGE_MAX + 64];
};

uint64_t conn_now(void);
void conn_progress(struct conn *c, const char *format, ...) G_GNUC_PRINTF(2, 3);
/* The attempt is over (the callback may come more than once: the first one counts). */
void conn_fail(struct conn *c, enum conn_reason reason, const char *format, ...)
	G_GNUC_PRINTF(3, 4);
void conn_set_state(struct conn *c, enum conn_state state);
/* Arms the one timer for the earliest deadline of IKE, L2TP and PPP. */
void conn_rearm(struct conn *c);

/* The outbound ESP SA nears its limits (sequence numbers, kilobytes): rekey now. */
void conn_rekey_soon(struct conn *c);
/* An IKE message from the gateway, from UDP 500 or (@natt) 4500. */
void conn_ike_input(struct conn *c, const uint8_t *msg, size_t len, bool natt);

/* conn-tunnel.c */
/* The first ESP pair is up: dial L2TP through it, then PPP, then the TUN device. */
void conn_tunnel_start(struct conn *c);
/* A rekeyed ESP pair: the old inbound SA stays until removed; the outbound one switches now
 * (the gateway's rekey) or, after our own (@ours), once the gateway shows it has the pair. */
void conn_tunnel_new_sa(struct conn *c, const struct ike_child *child, bool ours);
void conn_tunnel_remove_inbound(struct conn *c, uint32_t spi_in);
/* An ESP packet from the UDP 4500 socket. */
void conn_tunnel_input_esp(struct conn *c, uint8_t *packet, size_t len);
uint64_t conn_tunnel_next_deadline(const struct conn *c);
void conn_tunnel_tick(struct conn *c, uint64_t now);
/* LCP Terminate, CDN and StopCCN, sent once: the process is about to go. */
void conn_tunnel_stop(struct conn *c);

/* The facts of the tunnel now (IPCP, the MTU, DHCPINFORM's answer), for host_apply and the
 * facts callback; @s holds the strings they point to. */
#define CONN_FACTS_ROUTES (DHCP_INFORM_MAX_ROUTES + 64)
struct conn_facts {
	char dns_text[2][INET_ADDRSTRLEN];
	const char *dns[3];
	const char *domains[2];
	char route_text[DHCP_INFORM_MAX_ROUTES][INET_ADDRSTRLEN + 4];
	const char *routes[CONN_FACTS_ROUTES + 1];
};
void conn_tunnel_facts(struct conn *c, struct conn_facts *s, struct host_facts *ret);
/* conn-dhcp.c: ask the gateway (DHCPINFORM) once IPCP is up; its answer comes through the
 * data plane's dhcp op. */
void conn_dhcp_start(struct conn *c);
void conn_dhcp_input(void *user, const uint8_t *payload, size_t len);
void conn_dhcp_stop(struct conn *c);
void conn_tunnel_free(struct conn *c);

/* conn-cert.c: certificate authentication. Fills @cfg from the profile's contents; false with
 * a sentence (naming the file) when they cannot be used. */
bool conn_cert_setup(struct conn *c, struct ike_sa_config *cfg, char **ret_message);
/* ike_ops.verify_peer */
EVP_PKEY *conn_cert_verify_peer(void *user, const struct ike_blob *certs, unsigned n_certs,
				const struct ike_id *id, char *why, size_t why_len);
void conn_cert_clear(struct conn *c);

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The second half of a connection: once IKE has an ESP pair, L2TP (RFC 2661) through it,
 * PPP (RFC 1661) over the L2TP session, and the TUN device once IPCP has an address. The
 * protocol cores are sans I/O; this file wires them to the data plane and the main loop.
 */
#define G_LOG_DOMAIN "roadied"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <glib-unix.h>
#include <openssl/rand.h>

#include "conn-private.h"
#include "dataplane/dataplane.h"
#include "l2tp/l2tp-tunnel.h"
#include "net/net-esp.h"
#include "ppp/ppp.h"

#define CONN_IPV4_HEADER 20

static int conn_random(void *user, uint8_t *buf, size_t len)
{
	return RAND_bytes(buf, (int)len) == 1 ? 0 : -EIO;
}

/* ---- the data plane's ops ---- */

static void conn_dp_l2tp_control(void *user, const uint8_t *msg, size_t len)
{
	struct conn *c = user;

	if (c->l2tp)
		l2tp_tunnel_receive(c->l2tp, msg, len, conn_now());
}

static void conn_tunnel_note_ppp_phase(struct conn *c);

static void conn_dp_ppp_control(void *user, const uint8_t *frame, size_t len)
{
	struct conn *c = user;

	if (c->ppp) {
		ppp_receive(c->ppp, frame, len, conn_now());
		conn_tunnel_note_ppp_phase(c);
	}
}

static void conn_dp_alive(void *user)
{
	struct conn *c = user;

	if (c->ike)
		ike_sa_peer_alive(c->ike, conn_now());
	if (c->l2tp)
		l2tp_tunnel_peer_alive(c->l2tp, conn_now());
}

static void conn_dp_ike(void *user, const uint8_t *msg, size_t len)
{
	conn_ike_input(user, msg, len, true);
}

/* after what one wake-up of the main thread brought from the data plane's threads */
static void conn_dp_drained(void *user)
{
	struct conn *c = user;

	if (c->dp && dp_soft_expired(c->dp))
		conn_rekey_soon(c);
	conn_rearm(c);
}

static const struct dp_ops conn_dp_ops = {
	.l2tp_control = conn_dp_l2tp_control,
	.ppp_control = conn_dp_ppp_control,
	.alive = conn_dp_alive,
	.dhcp = conn_dhcp_input,
	.ike = conn_dp_ike,
	.drained = conn_dp_drained,
};

/* ---- PPP ---- */

static void conn_ppp_send(void *user, uint16_t protocol, const uint8_t *data, size_t len)
{
	struct conn *c = user;
	int err = dp_send_ppp(c->dp, protocol, data, len);

	if (err)
		g_debug("PPP: a frame for protocol 0x%04x could not go: %s", protocol,
			g_strerror(-err));
}

/* Path MTU: the kernel learns it from the ICMP "fragmentation needed" that a router on the
 * way sends back (RFC 1191), for the connected socket that carries our ESP. When what is left
 * of it after our headers is less than the device's MTU, the device's MTU comes down (and
 * with it the MSS of new TCP connections, and the segments of open ones, which follow the
 * route's MTU), so a transfer goes on over a path that shrank (PPPoE, LTE, a hotel's
 * tunnel) instead of stalling on fragments a router drops. */
#define CONN_PMTU_CHECK_S 2
#define CONN_MIN_TUN_MTU 576

static gboolean conn_on_pmtu_check(gpointer data)
{
	struct conn *c = data;
	int fd = c->child.udp_encap ? c->udp.fd_natt : c->fd_raw, pmtu = 0;
	socklen_t len = sizeof(pmtu);
	unsigned mtu;
	int err;

	if (fd < 0 || !c->dp || c->tun.fd < 0 ||
	    getsockopt(fd, IPPROTO_IP, IP_MTU, &pmtu, &len) < 0 || pmtu <= 0)
		return G_SOURCE_CONTINUE;
	if ((unsigned)pmtu < CONN_IPV4_HEADER + (unsigned)dp_overhead(c->dp) + CONN_MIN_TUN_MTU)
		mtu = CONN_MIN_TUN_MTU;
	else
		mtu = (unsigned)pmtu - CONN_IPV4_HEADER - (unsigned)dp_overhead(c->dp);
	if (mtu >= c->tun_mtu)
		return G_SOURCE_CONTINUE;
	err = net_tun_set_mtu(&c->tun, mtu);
	if (err) {
		g_debug("cannot lower the MTU of %s to %u: %s", c->tun.name, mtu, g_strerror(-err));
		return G_SOURCE_CONTINUE;
	}
	dp_set_mtu(c->dp, mtu);
	conn_progress(c, "the path to %s carries only %d bytes: %s's MTU lowered from %u to %u",
		      c->remote_text, pmtu, c->tun.name, c->tun_mtu, mtu);
	c->tun_mtu = mtu;
	return G_SOURCE_CONTINUE;
}

void conn_tunnel_facts(struct conn *c, struct conn_facts *s, struct host_facts *ret)
{
	unsigned n = 0, r = 0;

	memset(s, 0, sizeof(*s));
	inet_ntop(AF_INET, &c->ip.dns1, s->dns_text[0], sizeof(s->dns_text[0]));
	inet_ntop(AF_INET, &c->ip.dns2, s->dns_text[1], sizeof(s->dns_text[1]));
	if (c->ip.dns1.s_addr)
		s->dns[n++] = s->dns_text[0];
	if (c->ip.dns2.s_addr && c->ip.dns2.s_addr != c->ip.dns1.s_addr)
		s->dns[n++] = s->dns_text[1];
	if (c->dhcp_done && c->dhcp.domain[0])
		s->domains[0] = c->dhcp.domain;
	if (c->profile->default_route)
		s->routes[r++] = "0.0.0.0/0";
	for (unsigned i = 0; c->profile->routes && c->profile->routes[i] && r < CONN_FACTS_ROUTES;
	     i++)
		s->routes[r++] = c->profile->routes[i];
	for (unsigned i = 0; c->dhcp_done && i < c->dhcp.n_routes && r < CONN_FACTS_ROUTES; i++) {
		char net[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &c->dhcp.routes[i].network, net, sizeof(net));
		snprintf(s->route_text[i], sizeof(s->route_text[i]), "%s/%u", net,
			 c->dhcp.routes[i].prefix);
		s->routes[r++] = s->route_text[i];
	}
	*ret = (struct host_facts){
		.ifname = c->tun.name,
		.ifindex = if_nametoindex(c->tun.name),
		.local = c->ip.local,
		.peer = c->ip.peer.s_addr ? c->ip.peer : c->ip.local,
		.prefix = 32,
		.mtu = c->tun_mtu,
		.dns = s->dns,
		.domains = s->domains,
		.routes = s->routes,
	};
}

/* IPCP is up: the TUN device with our address, the peer as point-to-point destination, and
 * an MTU that fits the path (1500 less every header we add) and the peer's MRU. */
static void conn_on_ppp_up(struct conn *c, const struct ppp_ip_result *ip)
{
	char local[INET_ADDRSTRLEN], peer[INET_ADDRSTRLEN], dns1[INET_ADDRSTRLEN],
		dns2[INET_ADDRSTRLEN];
	unsigned mtu = 1500 - CONN_IPV4_HEADER - (unsigned)dp_overhead(c->dp);
	int err;

	if (ip->peer_mru && ip->peer_mru < mtu)
		mtu = ip->peer_mru;
	if (c->profile->mtu && c->profile->mtu < mtu)
		mtu = c->profile->mtu;
	inet_ntop(AF_INET, &ip->local, local, sizeof(local));
	inet_ntop(AF_INET, &ip->peer, peer, sizeof(peer));
	inet_ntop(AF_INET, &ip->dns1, dns1, sizeof(dns1));
	inet_ntop(AF_INET, &ip->dns2, dns2, sizeof(dns2));
	if (c->tun.fd < 0) {
		err = net_tun_open(&c->tun, NULL);
		if (err) {
			conn_fail(c, CONN_REASON_HOST_CONFIG, "cannot create the TUN device: %s",
				  g_strerror(-err));
			return;
		}
	}
	/* without a host (NetworkManager mode, --no-configure) the device stays as it is:
	 * whoever takes the facts configures it */
	err = c->host ? net_tun_configure(&c->tun, ip->local.s_addr,
					  ip->peer.s_addr ? ip->peer.s_addr : ip->local.s_addr, mtu)
		      : 0;
	if (err) {
		conn_fail(c, CONN_REASON_HOST_CONFIG, "cannot configure %s with %s: %s", c->tun.name,
			  local, g_strerror(-err));
		return;
	}
	dp_set_tun(c->dp, c->tun.fd);
	dp_set_mtu(c->dp, mtu);
	c->tun_mtu = mtu;
	if (!c->pmtu_timer)
		c->pmtu_timer = g_timeout_add_seconds(CONN_PMTU_CHECK_S, conn_on_pmtu_check, c);
	/* a gateway may offer the same server twice (pppd with two ms-dns lines alike) */
	bool dns2_new = ip->dns2.s_addr && ip->dns2.s_addr != ip->dns1.s_addr;

	conn_progress(c, "connected: %s, address %s, peer %s, MTU %u, DNS offered: %s%s%s",
		      c->tun.name, local, peer, mtu,
		      ip->dns1.s_addr ? dns1 : "none", dns2_new ? ", " : "",
		      dns2_new ? dns2 : "");
	c->ip = *ip;
	c->ip_up = true;
	{
		g_autoptr(GError) error = NULL;
		struct conn_facts store;
		struct host_facts facts;

		conn_tunnel_facts(c, &store, &facts);
		if (c->host && !host_apply(c->host, &facts, &error)) {
			conn_fail(c, CONN_REASON_HOST_CONFIG, "cannot configure the host for %s: %s",
				  c->tun.name, error->message);
			return;
		}
		if (c->cb->facts)
			c->cb->facts(c->user, &facts);
	}
	if (c->profile->dhcp_inform)
		conn_dhcp_start(c);
	if (!c->tunnel_up) {
		c->tunnel_up = true;
		conn_set_state(c, CONN_STATE_CONNECTED);
		c->cb->established(c->user, c->tun.name);
	}
}

/* IPV6CP is up (always after IPCP, so the device exists): the link-local address from our
 * interface identifier (RFC 5072 §5); global addresses would come from the link. */
static void conn_on_ppp_ipv6_up(struct conn *c, const struct ppp_ipv6_result *ipv6)
{
	char text[INET6_ADDRSTRLEN];
	struct in6_addr ll = { .s6_addr = { 0xfe, 0x80 } };
	int err;

	if (c->tun.fd < 0)
		return;
	memcpy(&ll.s6_addr[8], ipv6->local, 8);
	inet_ntop(AF_INET6, &ll, text, sizeof(text));
	err = net_tun_add_ipv6_link_local(&c->tun, ipv6->local);
	if (err)
		conn_progress(c, "IPv6: cannot give %s the address %s: %s", c->tun.name, text,
			      g_strerror(-err));
	else
		conn_progress(c, "IPv6: %s has the link-local address %s", c->tun.name, text);
	if (!err) {
		c->ipv6_up = true;
		memcpy(c->ipv6_iid, ipv6->local, sizeof(c->ipv6_iid));
	}
}

/* IPV6CP went down (the gateway closed or renegotiates it): the link-local address goes
 * until IPV6_UP brings it back; IPv4 is untouched. */
static void conn_on_ppp_ipv6_down(struct conn *c)
{
	int err;

	if (c->tun.fd < 0 || !c->ipv6_up)
		return;
	c->ipv6_up = false;
	err = net_tun_del_ipv6_link_local(&c->tun, c->ipv6_iid);
	if (err)
		conn_progress(c, "IPv6: cannot take the link-local address off %s: %s",
			      c->tun.name, g_strerror(-err));
	else
		conn_progress(c, "IPv6: the gateway closed IPv6; %s keeps IPv4", c->tun.name);
}

static enum conn_reason conn_reason_from_ppp(enum ppp_failure failure)
{
	switch (failure) {
	case PPP_FAIL_AUTH_METHOD:
		return CONN_REASON_PPP_AUTH_METHOD;
	case PPP_FAIL_AUTH_REJECTED:
		return CONN_REASON_PPP_AUTH_FAILED;
	case PPP_FAIL_AUTH_SERVER:
		return CONN_REASON_PPP_GATEWAY_NOT_AUTHENTIC;
	case PPP_FAIL_ECHO:
		return CONN_REASON_DEAD_PEER;
	case PPP_FAIL_INTERNAL:
		return CONN_REASON_INTERNAL;
	case PPP_FAIL_NONE:
	case PPP_FAIL_NO_ANSWER:
	case PPP_FAIL_NEGOTIATION:
	case PPP_FAIL_LOOPBACK:
	case PPP_FAIL_AUTH_TIMEOUT:
	case PPP_FAIL_NO_ADDRESS:
		break;
	}
	return CONN_REASON_PPP_FAILED;
}

/* LCP is up and authentication runs: a state for front ends (no event says so). */
static void conn_tunnel_note_ppp_phase(struct conn *c)
{
	if (c->ppp && !c->tunnel_up && c->state == CONN_STATE_PPP_LINK &&
	    ppp_phase(c->ppp) == PPP_PHASE_AUTHENTICATE)
		conn_set_state(c, CONN_STATE_PPP_AUTH);
}

static void conn_ppp_event(void *user, const struct ppp_event *ev)
{
	struct conn *c = user;

	switch (ev->type) {
	case PPP_EVENT_AUTH_OK:
		conn_progress(c, "PPP: authenticated with %s", ev->text);
		conn_set_state(c, CONN_STATE_PPP_NETWORK);
		break;
	case PPP_EVENT_UP:
		if (!c->tunnel_up)
			conn_set_state(c, CONN_STATE_CONFIGURING);
		conn_on_ppp_up(c, ev->ip);
		break;
	case PPP_EVENT_IPV6_UP:
		conn_on_ppp_ipv6_up(c, ev->ipv6);
		break;
	case PPP_EVENT_IPV6_DOWN:
		conn_on_ppp_ipv6_down(c);
		break;
	case PPP_EVENT_FAILED:
		conn_fail(c, conn_reason_from_ppp(ev->failure), "%s", ev->text);
		break;
	case PPP_EVENT_DOWN:
		if (!c->stopping)
			conn_fail(c, CONN_REASON_GATEWAY_CLOSED, "%s", ev->text);
		break;
	}
}

static const struct ppp_ops conn_ppp_ops = {
	.send = conn_ppp_send,
	.event = conn_ppp_event,
	.random = conn_random,
};

static void conn_start_ppp(struct conn *c)
{
	const RoadieProfile *p = c->profile;
	struct ppp_config cfg = {
		.user = p->user,
		.password = roadie_secret_peek(p->password),
		/* the profile's bits are PPP_AUTH_*'s, in the same order */
		.allowed_auth = p->ppp_auth & PPP_AUTH_ALL,
		.mru = (uint16_t)MIN(p->mru, 65535u),
		.ipv6 = p->ipv6,
		.echo_interval_s = p->lcp_echo_interval,
		.echo_failures = p->lcp_echo_failures,
	};

	c->ppp = ppp_new(&cfg, &conn_ppp_ops, c);
	if (!c->ppp) {
		conn_fail(c, CONN_REASON_INVALID_SETTINGS,
			  "the PPP settings cannot be used (user name, password and an allowed "
			  "authentication method are needed)");
		return;
	}
	conn_progress(c, "L2TP session up; PPP as %s", p->user);
	conn_set_state(c, CONN_STATE_PPP_LINK);
	ppp_start(c->ppp, conn_now());
}

/* ---- L2TP ---- */

static void conn_l2tp_send(void *user, const uint8_t *data, size_t len)
{
	struct conn *c = user;
	int err = dp_send_l2tp_control(c->dp, data, len);

	if (err)
		g_debug("L2TP: a control message could not go: %s", g_strerror(-err));
}

static enum conn_reason conn_reason_from_l2tp(const struct conn *c, enum l2tp_failure failure)
{
	switch (failure) {
	case L2TP_FAIL_NO_ANSWER:
		/* once up, an unanswered HELLO or control message: the gateway is gone */
		return c->tunnel_up ? CONN_REASON_DEAD_PEER : CONN_REASON_L2TP_FAILED;
	case L2TP_FAIL_AUTHENTICATION:
		return CONN_REASON_L2TP_AUTH_FAILED;
	case L2TP_FAIL_INTERNAL:
		return CONN_REASON_INTERNAL;
	case L2TP_FAIL_NONE:
	case L2TP_FAIL_REFUSED:
	case L2TP_FAIL_PROTOCOL:
		break;
	}
	return CONN_REASON_L2TP_FAILED;
}

static void conn_l2tp_event(void *user, const struct l2tp_event *ev)
{
	struct conn *c = user;

	switch (ev->type) {
	case L2TP_EVENT_TUNNEL_UP:
		g_debug("L2TP tunnel up: ours %u, the server's %u", ev->tunnel_id,
			ev->peer_tunnel_id);
		break;
	case L2TP_EVENT_SESSION_UP:
		dp_set_l2tp(c->dp, ev->peer_tunnel_id, ev->peer_session_id, ev->tunnel_id,
			    ev->session_id);
		if (!c->ppp)
			conn_start_ppp(c);
		break;
	case L2TP_EVENT_FAILED:
		conn_fail(c, conn_reason_from_l2tp(c, ev->failure), "%s", ev->text);
		break;
	case L2TP_EVENT_CLOSED:
		if (!c->stopping)
			conn_fail(c, CONN_REASON_GATEWAY_CLOSED, "%s", ev->text);
		break;
	}
}

static const struct l2tp_ops conn_l2tp_ops = {
	.send = conn_l2tp_send,
	.event = conn_l2tp_event,
	.random = conn_random,
};

/* Until the first ESP packet from the gateway shows that it has our SA, QM3 goes again every
 * CONN_QM3_RESEND_MS, up to CONN_QM3_RESENDS times: about as long as L2TP waits for SCCRP. */
#define CONN_QM3_RESEND_MS 3000
#define CONN_QM3_RESENDS 8

static gboolean conn_on_qm3_resend(gpointer data)
{
	struct conn *c = data;

	if (!c->dp || !c->ike || dp_stats(c->dp)->esp_in > 0 || c->qm3_resent >= CONN_QM3_RESENDS ||
	    !ike_sa_resend_qm3(c->ike)) {
		c->qm3_timer = 0;
		return G_SOURCE_REMOVE;
	}
	c->qm3_resent++;
	g_debug("no ESP from the gateway yet: Quick Mode's last message again (%u)", c->qm3_resent);
	return G_SOURCE_CONTINUE;
}

void conn_tunnel_start(struct conn *c)
{
	const RoadieProfile *p = c->profile;
	struct l2tp_config cfg = {
		.host_name = p->l2tp_hostname,
		.secret = (const uint8_t *)roadie_secret_peek(p->l2tp_secret),
		.secret_len = roadie_secret_len(p->l2tp_secret),
		/* with a tunnel secret, hide what RFC 2661 §4.4 lets us hide (§4.3) */
		.hide_avps = p->l2tp_secret != NULL,
	};
	int err;

	if (!c->child.udp_encap) {
		/* no NAT and no forced encapsulation: ESP straight over IP */
		c->fd_raw = net_esp_open((const struct sockaddr *)&c->gateway, c->gateway_len);
		if (c->fd_raw < 0) {
			conn_fail(c, CONN_REASON_HOST_CONFIG,
				  "cannot open a raw ESP socket (the gateway is not behind NAT, so ESP "
				  "goes without UDP): %s",
				  g_strerror(-c->fd_raw));
			return;
		}
	}
	c->dp = dp_new(c->udp.fd_natt, c->fd_raw, &conn_dp_ops, c);
	dp_set_ports(c->dp, c->child.local_port, 1701);
	if (dp_install_sa(c->dp, &c->child, false)) {
		conn_fail(c, CONN_REASON_INTERNAL, "the negotiated ESP keys cannot be used");
		return;
	}
	/* from here on the data plane's threads read UDP 4500 (and hand IKE up) */
	err = dp_run_threads(c->dp);
	if (err) {
		conn_fail(c, CONN_REASON_INTERNAL, "cannot start the data plane's threads: %s",
			  g_strerror(-err));
		return;
	}
	if (c->watch_natt)
		g_source_remove(c->watch_natt);
	c->watch_natt = 0;
	c->l2tp = l2tp_tunnel_new(&cfg, &conn_l2tp_ops, c);
	if (!c->l2tp) {
		conn_fail(c, CONN_REASON_INVALID_SETTINGS,
			  "the L2TP settings cannot be used (is the host name too long?)");
		return;
	}
	l2tp_tunnel_start(c->l2tp, conn_now());
	c->qm3_resent = 0;
	if (!c->qm3_timer)
		c->qm3_timer = g_timeout_add(CONN_QM3_RESEND_MS, conn_on_qm3_resend, c);
	conn_rearm(c);
}

#define CONN_COMMIT_OUTBOUND_MS 1500

static gboolean conn_on_commit_outbound(gpointer data)
{
	struct conn *c = data;

	c->commit_timer = 0;
	if (c->dp)
		dp_commit_outbound(c->dp);
	return G_SOURCE_REMOVE;
}

void conn_tunnel_new_sa(struct conn *c, const struct ike_child *child, bool ours)
{
	if (!c->dp)
		return;
	if (dp_install_sa(c->dp, child, ours)) {
		g_warning("the rekeyed ESP keys cannot be used; the old pair stays");
		return;
	}
	/* make-before-break: if no packet shows that the gateway has the new pair, switch
	 * anyway after a moment (its QM3 processing is quick) */
	if (ours && !c->commit_timer)
		c->commit_timer = g_timeout_add(CONN_COMMIT_OUTBOUND_MS, conn_on_commit_outbound, c);
}

void conn_tunnel_remove_inbound(struct conn *c, uint32_t spi_in)
{
	if (c->dp)
		dp_remove_inbound(c->dp, spi_in);
}

void conn_tunnel_input_esp(struct conn *c, uint8_t *packet, size_t len)
{
	if (!c->dp)
		return;
	dp_input_esp(c->dp, packet, len);
	if (dp_soft_expired(c->dp))
		conn_rekey_soon(c);
}

uint64_t conn_tunnel_next_deadline(const struct conn *c)
{
	uint64_t deadline = UINT64_MAX;

	if (c->l2tp)
		deadline = MIN(deadline, l2tp_tunnel_next_deadline(c->l2tp));
	if (c->ppp)
		deadline = MIN(deadline, ppp_next_deadline(c->ppp));
	return deadline;
}

void conn_tunnel_tick(struct conn *c, uint64_t now)
{
	if (c->l2tp)
		l2tp_tunnel_tick(c->l2tp, now);
	if (c->ppp)
		ppp_tick(c->ppp, now);
}

void conn_tunnel_stop(struct conn *c)
{
	uint64_t now = conn_now();

	if (c->ppp && ppp_phase(c->ppp) != PPP_PHASE_DEAD && ppp_phase(c->ppp) != PPP_PHASE_FAILED)
		ppp_close(c->ppp, now);
	if (c->l2tp && l2tp_tunnel_state(c->l2tp) != L2TP_TUNNEL_CLOSED &&
	    l2tp_tunnel_state(c->l2tp) != L2TP_TUNNEL_FAILED)
		l2tp_tunnel_close(c->l2tp, now);
}

void conn_tunnel_free(struct conn *c)
{
	if (c->commit_timer)
		g_source_remove(c->commit_timer);
	if (c->pmtu_timer)
		g_source_remove(c->pmtu_timer);
	if (c->qm3_timer)
		g_source_remove(c->qm3_timer);
	conn_dhcp_stop(c);
	c->commit_timer = c->pmtu_timer = c->qm3_timer = 0;
	c->ppp = ppp_free(c->ppp);
	c->l2tp = l2tp_tunnel_free(c->l2tp);
	c->dp = dp_free(c->dp);
	net_tun_close(&c->tun);
	if (c->fd_raw >= 0)
		close(c->fd_raw);
	c->fd_raw = -1;
}

static const char *conn_ppp_auth_name(unsigned method)
{
	switch (method) {
	case PPP_AUTH_PAP:
		return "PAP";
	case PPP_AUTH_CHAP_MD5:
		return "CHAP-MD5";
	case PPP_AUTH_MSCHAP_V1:
		return "MS-CHAP";
	case PPP_AUTH_MSCHAP_V2:
		return "MS-CHAPv2";
	case PPP_AUTH_EAP_MD5:
		return "EAP-MD5";
	default:
		return "";
	}
}

void conn_get_info(const struct conn *c, struct conn_info *ret)
{
	*ret = (struct conn_info){ .nat = "", .ppp_auth = "" };
	g_strlcpy(ret->gateway, c->remote_text, sizeof(ret->gateway));
	if (c->ike && ike_sa_state(c->ike) == IKE_SA_ESTABLISHED) {
		struct ike_natt_result nat = ike_sa_nat(c->ike);
		g_autofree char *ike = roadie_suite_to_string(ROADIE_PROPOSAL_IKE,
							      ike_sa_suite(c->ike));

		ret->nat = nat.local_behind_nat ? (nat.remote_behind_nat ? "both" : "local")
						: (nat.remote_behind_nat ? "remote" : "none");
		g_strlcpy(ret->ike, ike ? ike : "", sizeof(ret->ike));
	}
	if (c->child_up) {
		RoadieSuite esp = c->child.suite;
		const char *pfs = roadie_dh_group_name(esp.dh);
		g_autofree char *text = NULL;

		esp.dh = ROADIE_DH_NONE;
		text = roadie_suite_to_string(ROADIE_PROPOSAL_ESP, &esp);
		g_strlcpy(ret->esp, text ? text : "", sizeof(ret->esp));
		g_strlcpy(ret->pfs, pfs ? pfs : "none", sizeof(ret->pfs));
		ret->l2tp_port = c->child.local_port;
	}
	if (c->ppp)
		ret->ppp_auth = conn_ppp_auth_name(ppp_auth_method(c->ppp));
	if (c->tun.fd >= 0)
		g_strlcpy(ret->ifname, c->tun.name, sizeof(ret->ifname));
	if (c->udp.fd_ike >= 0)
		ret->local = c->udp.local_ike;
	if (c->ipv6_up) {
		struct in6_addr ll = { .s6_addr = { 0xfe, 0x80 } };

		memcpy(&ll.s6_addr[8], c->ipv6_iid, 8);
		inet_ntop(AF_INET6, &ll, ret->address6, sizeof(ret->address6));
	}
	if (c->dp) {
		const struct dp_stats *st = dp_stats(c->dp);

		/* from the device: what we send; to it: what we receive */
		ret->packets_out = st->tun_in;
		ret->bytes_out = st->tun_in_bytes;
		ret->packets_in = st->tun_out;
		ret->bytes_in = st->tun_out_bytes;
	}
}

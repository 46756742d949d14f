/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DHCPINFORM through the tunnel, as Windows does after every RRAS connection (RFC 2131
 * §4.4.3): once IPCP is up, ask for the DNS suffix and the classless static routes; where
 * the gateway answers (RRAS's DHCP relay, or a DHCP server behind the LNS), the routes go
 * through the device and the suffix into DNS, and the facts are reported again. Where it does
 * not, nothing is lost: three tries, two seconds apart, then silence.
 */
#define G_LOG_DOMAIN "roadied"
#include <arpa/inet.h>
#include <string.h>

#include <glib.h>

#include "conn-private.h"
#include "dataplane/dataplane.h"

#define CONN_DHCP_TRIES 3
#define CONN_DHCP_INTERVAL_S 2

static gboolean conn_dhcp_send(gpointer data)
{
	struct conn *c = data;
	uint8_t packet[DHCP_INFORM_PACKET_LEN];
	size_t len;
	int err;

	if (c->dhcp_tries++ >= CONN_DHCP_TRIES) {
		c->dhcp_timer = 0;
		dp_watch_dhcp(c->dp, false);
		g_debug("DHCP: no answer to DHCPINFORM; the gateway pushes nothing more");
		return G_SOURCE_REMOVE;
	}
	err = dhcp_inform_build(packet, sizeof(packet), &len, c->dhcp_xid, c->ip.local.s_addr,
				c->dhcp_chaddr);
	if (!err)
		err = dp_send_ip(c->dp, packet, len);
	if (err)
		g_debug("DHCP: the DHCPINFORM could not go: %s", g_strerror(-err));
	return G_SOURCE_CONTINUE;
}

void conn_dhcp_start(struct conn *c)
{
	if (c->dhcp_timer || c->dhcp_done || !c->dp)
		return;
	c->dhcp_xid = g_random_int();
	/* a locally administered, unicast hardware address (RFC 7042 §2.1): PPP has none */
	for (unsigned i = 0; i < sizeof(c->dhcp_chaddr); i++)
		c->dhcp_chaddr[i] = (uint8_t)g_random_int_range(0, 256);
	c->dhcp_chaddr[0] = (uint8_t)((c->dhcp_chaddr[0] & 0xfc) | 0x02);
	c->dhcp_tries = 0;
	dp_watch_dhcp(c->dp, true);
	conn_dhcp_send(c);
	c->dhcp_timer = g_timeout_add_seconds(CONN_DHCP_INTERVAL_S, conn_dhcp_send, c);
}

void conn_dhcp_stop(struct conn *c)
{
	if (c->dhcp_timer)
		g_source_remove(c->dhcp_timer);
	c->dhcp_timer = 0;
}

/* The gateway's routes for the host layer: a default route only in default-route mode
 * (where the tunnel has it already), never in split mode, where it would take all traffic
 * the profile keeps outside. */
static unsigned conn_dhcp_routes(struct conn *c, struct host_route *out)
{
	unsigned n = 0;

	for (unsigned i = 0; i < c->dhcp.n_routes; i++) {
		const struct dhcp_route *d = &c->dhcp.routes[i];

		if (d->prefix == 0)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		out[n].family = AF_INET;
		memcpy(out[n].dst, &d->network, 4);
		out[n].prefix = d->prefix;
		n++;
	}
	return n;
}

void conn_dhcp_input(void *user, const uint8_t *payload, size_t len)
{
	struct conn *c = user;
	struct dhcp_inform_result result;
	enum dhcp_drop drop;
	struct conn_facts store;
	struct host_facts facts;
	struct host_route routes[DHCP_INFORM_MAX_ROUTES];
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) said = g_string_new(NULL);
	unsigned n;

	if (c->dhcp_done || !c->dhcp_timer)
		return;
	if (dhcp_inform_parse(payload, len, c->dhcp_xid, c->dhcp_chaddr, &result, &drop)) {
		g_debug("DHCP: an answer dropped (%s)", dhcp_drop_name(drop));
		return;
	}
	conn_dhcp_stop(c);
	dp_watch_dhcp(c->dp, false);
	c->dhcp = result;
	c->dhcp_done = true;
	conn_tunnel_facts(c, &store, &facts);
	if (result.domain[0])
		g_string_append_printf(said, "DNS suffix %s", result.domain);
	for (unsigned i = 0; i < result.n_routes; i++) {
		char net[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &result.routes[i].network, net, sizeof(net));
		g_string_append_printf(said, "%s%s/%u", said->len ? (i ? ", " : "; routes ") : "routes ",
				       net, result.routes[i].prefix);
	}
	conn_progress(c, "DHCP: the gateway pushed %s", said->len ? said->str : "nothing more");
	if (c->host) {
		n = conn_dhcp_routes(c, routes);
		if ((n && !host_add_routes(c->host, &facts, routes, n, &error)) ||
		    (result.domain[0] && !host_update_dns(c->host, &facts, &error))) {
			/* the tunnel works without them: say so, and go on */
			conn_progress(c, "DHCP: cannot apply what the gateway pushed: %s",
				      error->message);
			g_clear_error(&error);
		}
	}
	if (c->cb->facts)
		c->cb->facts(c->user, &facts);
}

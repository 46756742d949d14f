/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "roadied"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <glib.h>

#include "session.h"
#include "net/net-watch.h"

#define SESSION_BACKOFF_FIRST_S 1
#define SESSION_BACKOFF_MAX_S 30

struct session {
	RoadieProfile *profile;
	struct session_config config;
	struct host_env host_env;
	struct host *host;          /* NULL: configure nothing */
	const struct session_callbacks *cb;
	void *user;

	struct conn *conn;          /* the attempt in progress, or NULL */
	enum session_state state;
	char *reason_code, *reason_text;
	struct session_ip ip;
	int64_t connected_since;
	bool was_connected;         /* the tunnel was up once: failures after that reconnect */
	bool stopping;
	char gateway_address[64];   /* the first resolution, kept for reconnects (the resolvers
				     * may be blackholed by then) */

	/* the attempt ended: it is torn down from an idle callback, never from inside its own
	 * callbacks */
	guint end_idle;
	enum conn_reason end_reason;
	char *end_text;
	bool end_pending;

	char *net_snapshot;         /* the devices and addresses last seen (net-watch.h) */
	bool has_path;              /* the route to the gateway when the tunnel came up */
	struct host_route path;

	guint retry_timer;
	unsigned retries;           /* since the tunnel was last up */
	guint stop_idle;
	/* the counters of attempts that ended: the properties count the whole session */
	uint64_t base_bytes_in, base_bytes_out, base_packets_in, base_packets_out;
};

static const char *const session_state_names[] = {
	[SESSION_RESOLVING] = "resolving",
	[SESSION_IKE_PHASE1] = "ike-phase1",
	[SESSION_IKE_PHASE2] = "ike-phase2",
	[SESSION_L2TP] = "l2tp",
	[SESSION_PPP_LINK] = "ppp-link",
	[SESSION_PPP_AUTH] = "ppp-auth",
	[SESSION_PPP_NETWORK] = "ppp-network",
	[SESSION_CONFIGURING] = "configuring",
	[SESSION_CONNECTED] = "connected",
	[SESSION_RECONNECTING] = "reconnecting",
	[SESSION_DISCONNECTING] = "disconnecting",
	[SESSION_DISCONNECTED] = "disconnected",
	[SESSION_FAILED] = "failed",
};

const char *session_state_name(enum session_state state)
{
	return (unsigned)state < G_N_ELEMENTS(session_state_names) ? session_state_names[state]
								    : "?";
}

static void session_progress(struct session *s, const char *format, ...) G_GNUC_PRINTF(2, 3);
static void session_progress(struct session *s, const char *format, ...)
{
	g_autofree char *line = NULL;
	va_list args;

	va_start(args, format);
	line = g_strdup_vprintf(format, args);
	va_end(args);
	s->cb->progress(s->user, line);
}

static void session_set_reason(struct session *s, const char *code, const char *text)
{
	g_free(s->reason_code);
	g_free(s->reason_text);
	s->reason_code = g_strdup(code);
	s->reason_text = g_strdup(text);
}

/* The one writer of s->state. */
static void session_set_state(struct session *s, enum session_state state)
{
	if (s->state == state)
		return;
	s->state = state;
	if (state == SESSION_CONNECTED)
		s->connected_since = g_get_real_time();
	s->cb->changed(s->user);
}

static void session_clear_ip(struct session *s)
{
	g_strfreev(s->ip.dns);
	g_strfreev(s->ip.domains);
	g_strfreev(s->ip.routes);
	memset(&s->ip, 0, sizeof(s->ip));
	s->ip.dns = g_new0(char *, 1);
	s->ip.domains = g_new0(char *, 1);
	s->ip.routes = g_new0(char *, 1);
}

/* ---- the attempt's callbacks ---- */

static enum session_state session_from_conn(enum conn_state state)
{
	switch (state) {
	case CONN_STATE_RESOLVING:
		return SESSION_RESOLVING;
	case CONN_STATE_IKE_PHASE1:
		return SESSION_IKE_PHASE1;
	case CONN_STATE_IKE_PHASE2:
		return SESSION_IKE_PHASE2;
	case CONN_STATE_L2TP:
		return SESSION_L2TP;
	case CONN_STATE_PPP_LINK:
		return SESSION_PPP_LINK;
	case CONN_STATE_PPP_AUTH:
		return SESSION_PPP_AUTH;
	case CONN_STATE_PPP_NETWORK:
		return SESSION_PPP_NETWORK;
	case CONN_STATE_CONFIGURING:
		return SESSION_CONFIGURING;
	case CONN_STATE_CONNECTED:
		return SESSION_CONNECTED;
	}
	return SESSION_FAILED;
}

static void session_conn_state(void *user, enum conn_state state)
{
	struct session *s = user;

	if (s->stopping || s->end_pending)
		return;
	/* while reconnecting, the steps of the new attempt stay "reconnecting" until it is up:
	 * front ends show one state for the whole outage */
	if (s->state == SESSION_RECONNECTING && state != CONN_STATE_CONNECTED)
		return;
	if (state == CONN_STATE_CONNECTED) {
		s->was_connected = true;
		s->retries = 0;
		session_set_reason(s, "", "");
	}
	session_set_state(s, session_from_conn(state));
}

static void session_conn_progress(void *user, const char *line)
{
	struct session *s = user;

	s->cb->progress(s->user, line);
}

/* The route the kernel uses to the gateway now (in host mode: the route the guard pinned). */
static int session_gateway_path(const struct session *s, struct host_route *ret)
{
	uint8_t addr[16];

	if (inet_pton(AF_INET, s->gateway_address, addr) == 1)
		return host_route_get(AF_INET, addr, ret);
	if (inet_pton(AF_INET6, s->gateway_address, addr) == 1)
		return host_route_get(AF_INET6, addr, ret);
	return -EINVAL;
}

static void session_conn_established(void *user, const char *summary)
{
	struct session *s = user;
	struct conn_info info;

	conn_get_info(s->conn, &info);
	if (info.gateway[0])
		g_strlcpy(s->gateway_address, info.gateway, sizeof(s->gateway_address));
	s->has_path = session_gateway_path(s, &s->path) == 0;
	session_progress(s, "connected through %s", summary);
	s->cb->changed(s->user);
}

static void session_conn_learned(void *user, const char *ike, const char *esp, const char *pfs)
{
	struct session *s = user;

	if (s->cb->learned)
		s->cb->learned(s->user, ike, esp, pfs);
}

static void session_conn_keylog(void *user, const char *line)
{
	struct session *s = user;

	if (s->cb->keylog)
		s->cb->keylog(s->user, line);
}

static void session_conn_facts(void *user, const struct host_facts *facts)
{
	struct session *s = user;
	struct conn_info info;

	g_strfreev(s->ip.dns);
	g_strfreev(s->ip.domains);
	g_strfreev(s->ip.routes);
	memset(&s->ip, 0, sizeof(s->ip));
	inet_ntop(AF_INET, &facts->local, s->ip.address, sizeof(s->ip.address));
	inet_ntop(AF_INET, &facts->peer, s->ip.peer, sizeof(s->ip.peer));
	s->ip.prefix = facts->prefix;
	s->ip.mtu = facts->mtu;
	s->ip.dns = g_strdupv((char **)facts->dns);
	s->ip.domains = g_strdupv((char **)facts->domains);
	s->ip.routes = g_strdupv((char **)facts->routes);
	conn_get_info(s->conn, &info);
	g_strlcpy(s->ip.address6, info.address6, sizeof(s->ip.address6));
	if (s->cb->facts)
		s->cb->facts(s->user, facts);
	s->cb->changed(s->user);
}

static bool session_retryable(enum conn_reason reason)
{
	switch (reason) {
	case CONN_REASON_GATEWAY_UNRESOLVABLE:
	case CONN_REASON_GATEWAY_UNREACHABLE:
	case CONN_REASON_IKE_PROTOCOL:
	case CONN_REASON_QUICK_MODE_FAILED:
	case CONN_REASON_L2TP_FAILED:
	case CONN_REASON_PPP_FAILED:
	case CONN_REASON_DEAD_PEER:
	case CONN_REASON_GATEWAY_CLOSED:
	case CONN_REASON_HOST_CONFIG:
	case CONN_REASON_NETWORK_CHANGED:
		return true;
	/* what a retry cannot mend: the user must change the profile or a secret */
	case CONN_REASON_INVALID_SETTINGS:
	case CONN_REASON_NO_PROPOSAL_CHOSEN:
	case CONN_REASON_PSK_REJECTED:
	case CONN_REASON_ID_MISMATCH:
	case CONN_REASON_AGGRESSIVE_ONLY:
	case CONN_REASON_L2TP_AUTH_FAILED:
	case CONN_REASON_PPP_AUTH_METHOD:
	case CONN_REASON_PPP_AUTH_FAILED:
	case CONN_REASON_PPP_GATEWAY_NOT_AUTHENTIC:
	case CONN_REASON_INTERNAL:
	case CONN_REASON_GATEWAY_CERTIFICATE:
	case CONN_REASON_CERTIFICATE_REJECTED:
		break;
	}
	return false;
}

static const struct conn_callbacks session_conn_callbacks;
static gboolean session_on_retry(gpointer data);

static void session_new_attempt(struct session *s)
{
	g_autoptr(RoadieProfile) copy = roadie_profile_copy(s->profile);

	/* a reconnect goes to the address the first attempt found: the resolvers may be
	 * behind the guard's blackholes now */
	if (s->gateway_address[0]) {
		/* a certificate must still be for the name the user gave, not for the address */
		if (copy->ipsec_auth == ROADIE_IPSEC_AUTH_CERT &&
		    (!copy->remote_id || !copy->remote_id[0])) {
			g_free(copy->remote_id);
			copy->remote_id = g_strdup(copy->gateway);
		}
		g_free(copy->gateway);
		copy->gateway = g_strdup(s->gateway_address);
	}
	g_free(s->net_snapshot);
	s->net_snapshot = net_watch_snapshot();
	s->has_path = false;
	s->conn = conn_new(copy, &session_conn_callbacks, s);
	conn_set_host(s->conn, s->host);
	conn_start(s->conn);
}

static void session_schedule_retry(struct session *s)
{
	unsigned max = s->config.backoff_max_s ? s->config.backoff_max_s : SESSION_BACKOFF_MAX_S;
	unsigned delay = SESSION_BACKOFF_FIRST_S;

	for (unsigned i = 0; i < s->retries && delay < max; i++)
		delay *= 2;
	delay = MIN(delay, max);
	s->retries++;
	session_progress(s, "reconnecting in %u s (attempt %u)", delay, s->retries);
	s->retry_timer = g_timeout_add_seconds(delay, session_on_retry, s);
}

static gboolean session_on_retry(gpointer data)
{
	struct session *s = data;

	s->retry_timer = 0;
	session_new_attempt(s);
	return G_SOURCE_REMOVE;
}

/* Ends the attempt in use: DELETEs for what is still up, the routes back to blackholes. */
static void session_end_attempt(struct session *s)
{
	struct conn_info info;

	if (!s->conn)
		return;
	conn_get_info(s->conn, &info);
	s->base_bytes_in += info.bytes_in;
	s->base_bytes_out += info.bytes_out;
	s->base_packets_in += info.packets_in;
	s->base_packets_out += info.packets_out;
	conn_stop(s->conn);
	s->conn = conn_free(s->conn);
}

static gboolean session_on_attempt_ended(gpointer data)
{
	struct session *s = data;
	g_autofree char *text = g_steal_pointer(&s->end_text);
	enum conn_reason reason = s->end_reason;

	s->end_idle = 0;
	s->end_pending = false;
	session_end_attempt(s);
	session_clear_ip(s);
	session_set_reason(s, conn_reason_code(reason), text);
	if (s->config.auto_reconnect && s->was_connected && session_retryable(reason)) {
		/* the guard stays: conn_stop put the tunnel's routes back to blackholes */
		session_progress(s, "the connection was lost: %s", text);
		if (s->state == SESSION_RECONNECTING)
			s->cb->changed(s->user); /* a new reason */
		session_set_state(s, SESSION_RECONNECTING);
		session_schedule_retry(s);
		return G_SOURCE_REMOVE;
	}
	if (s->host)
		host_restore(s->host);
	session_set_state(s, SESSION_FAILED);
	return G_SOURCE_REMOVE;
}

static void session_conn_failed(void *user, enum conn_reason reason, const char *text)
{
	struct session *s = user;

	if (s->stopping || s->end_pending)
		return; /* the first word counts */
	s->end_pending = true;
	s->end_reason = reason;
	s->end_text = g_strdup(text);
	s->end_idle = g_idle_add(session_on_attempt_ended, s);
}

static const struct conn_callbacks session_conn_callbacks = {
	.state = session_conn_state,
	.progress = session_conn_progress,
	.established = session_conn_established,
	.learned = session_conn_learned,
	.keylog = session_conn_keylog,
	.facts = session_conn_facts,
	.failed = session_conn_failed,
};

/* ---- the session ---- */

struct session *session_new(RoadieProfile *profile, const struct session_config *config,
			    const struct session_callbacks *callbacks, void *user)
{
	struct session *s = g_new0(struct session, 1);

	s->profile = profile;
	s->config = *config;
	s->cb = callbacks;
	s->user = user;
	s->state = SESSION_RESOLVING;
	s->reason_code = g_strdup("");
	s->reason_text = g_strdup("");
	session_clear_ip(s);
	if (config->host_env) {
		s->host_env = *config->host_env;
		/* what the host layer says is part of this connection's story */
		s->host_env.progress = session_conn_progress;
		s->host_env.user = s;
		s->config.host_env = &s->host_env;
		s->host = host_new(&s->host_env, profile);
	}
	return s;
}

void session_start(struct session *s)
{
	session_new_attempt(s);
}

static gboolean session_on_stopped(gpointer data)
{
	struct session *s = data;

	s->stop_idle = 0;
	session_end_attempt(s);
	if (s->host)
		host_restore(s->host);
	session_clear_ip(s);
	session_set_state(s, SESSION_DISCONNECTED);
	return G_SOURCE_REMOVE;
}

void session_stop(struct session *s)
{
	if (s->stopping || session_ended(s))
		return;
	s->stopping = true;
	if (s->retry_timer) {
		g_source_remove(s->retry_timer);
		s->retry_timer = 0;
	}
	if (s->end_idle) {
		/* the attempt failed a moment ago: its reason stays the news */
		g_source_remove(s->end_idle);
		s->end_idle = 0;
		g_clear_pointer(&s->end_text, g_free);
		s->end_pending = false;
	}
	session_set_reason(s, "", "");
	session_set_state(s, SESSION_DISCONNECTING);
	s->stop_idle = g_idle_add(session_on_stopped, s);
}

void session_kick(struct session *s, const char *why)
{
	if (!s->config.auto_reconnect || s->stopping || session_ended(s) || !s->was_connected)
		return;
	if (s->retry_timer) {
		/* waiting for the next try: try now */
		g_source_remove(s->retry_timer);
		s->retry_timer = 0;
		s->retries = 0;
		session_progress(s, "%s: reconnecting now", why);
		session_new_attempt(s);
		return;
	}
	if (s->end_pending || !s->conn)
		return;
	session_progress(s, "%s: reconnecting", why);
	s->retries = 0;
	session_end_attempt(s);
	session_clear_ip(s);
	session_set_reason(s, "network-changed", why);
	session_set_state(s, SESSION_RECONNECTING);
	session_new_attempt(s);
}

/* Why the path the attempt uses no longer works, or NULL while it does. */
static char *session_path_broken(const struct session *s)
{
	struct conn_info info;
	struct host_route now;
	char ifname[IF_NAMESIZE] = "";

	conn_get_info(s->conn, &info);
	if (info.local.ss_family == AF_INET || info.local.ss_family == AF_INET6) {
		char text[INET6_ADDRSTRLEN] = "";
		const void *bytes = info.local.ss_family == AF_INET
			? (const void *)&((const struct sockaddr_in *)(const void *)&info.local)->sin_addr
			: (const void *)&((const struct sockaddr_in6 *)(const void *)&info.local)->sin6_addr;

		inet_ntop(info.local.ss_family, bytes, text, sizeof(text));
		switch (net_watch_address_state((const struct sockaddr *)&info.local, ifname)) {
		case NET_ADDRESS_GONE:
			return g_strdup_printf("the local network changed: %s is no longer an "
					       "address of this computer", text);
		case NET_ADDRESS_DOWN:
			return g_strdup_printf("the local network changed: %s, the device with "
					       "our address %s, is down", ifname, text);
		case NET_ADDRESS_UP:
			break;
		}
	}
	if (!s->has_path)
		return NULL;
	if (session_gateway_path(s, &now) != 0)
		return g_strdup_printf("the local network changed: there is no route to the "
				       "gateway %s any more", s->gateway_address);
	if (now.oif != s->path.oif || now.has_gateway != s->path.has_gateway ||
	    (now.has_gateway && memcmp(now.gateway, s->path.gateway, sizeof(now.gateway)))) {
		if (!if_indextoname(now.oif, ifname))
			g_snprintf(ifname, sizeof(ifname), "#%u", now.oif);
		return g_strdup_printf("the local network changed: the route to the gateway %s "
				       "now leaves through %s", s->gateway_address, ifname);
	}
	return NULL;
}

void session_network_changed(struct session *s)
{
	g_autofree char *snapshot = NULL;
	g_autofree char *why = NULL;

	if (s->stopping || session_ended(s))
		return;
	snapshot = net_watch_snapshot();
	if (!snapshot || !g_strcmp0(snapshot, s->net_snapshot))
		return; /* roadie's own devices, or a change undone already */
	g_free(s->net_snapshot);
	s->net_snapshot = g_steal_pointer(&snapshot);
	if (s->retry_timer) {
		/* waiting to retry: a new network is a good reason to try now */
		session_kick(s, "the local network changed");
		return;
	}
	if (!s->conn || s->end_pending)
		return;
	why = session_path_broken(s);
	if (!why) {
		g_debug("session: the local network changed; the path to the gateway did not");
		return;
	}
	if (s->config.auto_reconnect && s->was_connected)
		session_kick(s, why);
	else
		session_conn_failed(s, CONN_REASON_NETWORK_CHANGED, why);
}

struct session *session_free(struct session *s)
{
	if (!s)
		return NULL;
	if (s->retry_timer)
		g_source_remove(s->retry_timer);
	if (s->end_idle)
		g_source_remove(s->end_idle);
	if (s->stop_idle)
		g_source_remove(s->stop_idle);
	session_end_attempt(s);
	if (s->host)
		host_restore(s->host);
	s->host = host_free(s->host);
	roadie_profile_free(s->profile);
	g_free(s->reason_code);
	g_free(s->reason_text);
	g_free(s->end_text);
	g_free(s->net_snapshot);
	g_strfreev(s->ip.dns);
	g_strfreev(s->ip.domains);
	g_strfreev(s->ip.routes);
	g_free(s);
	return NULL;
}

enum session_state session_state(const struct session *s)
{
	return s->state;
}

const char *session_reason_code(const struct session *s)
{
	return s->reason_code;
}

const char *session_reason_text(const struct session *s)
{
	return s->reason_text;
}

const RoadieProfile *session_profile(const struct session *s)
{
	return s->profile;
}

const struct session_ip *session_ip(const struct session *s)
{
	return &s->ip;
}

void session_info(const struct session *s, struct conn_info *ret)
{
	if (s->conn) {
		conn_get_info(s->conn, ret);
	} else {
		*ret = (struct conn_info){ .nat = "", .ppp_auth = "" };
		g_strlcpy(ret->gateway, s->gateway_address, sizeof(ret->gateway));
	}
	ret->bytes_in += s->base_bytes_in;
	ret->bytes_out += s->base_bytes_out;
	ret->packets_in += s->base_packets_in;
	ret->packets_out += s->base_packets_out;
}

int64_t session_connected_since(const struct session *s)
{
	return s->state == SESSION_CONNECTED ? s->connected_since : 0;
}

bool session_ended(const struct session *s)
{
	return s->state == SESSION_DISCONNECTED || s->state == SESSION_FAILED;
}

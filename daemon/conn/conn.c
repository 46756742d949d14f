/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "roadied"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <glib.h>
#include <glib-unix.h>
#include <gio/gio.h>
#include <openssl/rand.h>

#include "conn.h"
#include "conn-private.h"
#include "ike/ike-fallback.h"
#include "ike/ike-message.h"
#include "ike/ike-payload-notify.h"
#include "ike/ike-sa.h"
#include "net/net-udp.h"

uint64_t conn_now(void)
{
	return (uint64_t)g_get_monotonic_time() / 1000;
}

void conn_progress(struct conn *c, const char *format, ...)
{
	g_autofree char *line = NULL;
	va_list args;

	va_start(args, format);
	line = g_strdup_vprintf(format, args);
	va_end(args);
	c->cb->progress(c->user, line);
}

static const char *const conn_state_names[] = {
	[CONN_STATE_RESOLVING] = "resolving",
	[CONN_STATE_IKE_PHASE1] = "ike-phase1",
	[CONN_STATE_IKE_PHASE2] = "ike-phase2",
	[CONN_STATE_L2TP] = "l2tp",
	[CONN_STATE_PPP_LINK] = "ppp-link",
	[CONN_STATE_PPP_AUTH] = "ppp-auth",
	[CONN_STATE_PPP_NETWORK] = "ppp-network",
	[CONN_STATE_CONFIGURING] = "configuring",
	[CONN_STATE_CONNECTED] = "connected",
};

const char *conn_state_name(enum conn_state state)
{
	return (unsigned)state < G_N_ELEMENTS(conn_state_names) ? conn_state_names[state] : "?";
}

static const char *const conn_reason_codes[] = {
	[CONN_REASON_INVALID_SETTINGS] = "invalid-settings",
	[CONN_REASON_GATEWAY_UNRESOLVABLE] = "gateway-unresolvable",
	[CONN_REASON_GATEWAY_UNREACHABLE] = "gateway-unreachable",
	[CONN_REASON_NO_PROPOSAL_CHOSEN] = "no-proposal-chosen",
	[CONN_REASON_PSK_REJECTED] = "psk-rejected",
	[CONN_REASON_ID_MISMATCH] = "id-mismatch",
	[CONN_REASON_AGGRESSIVE_ONLY] = "aggressive-mode-only",
	[CONN_REASON_IKE_PROTOCOL] = "ike-protocol",
	[CONN_REASON_QUICK_MODE_FAILED] = "quick-mode-failed",
	[CONN_REASON_L2TP_FAILED] = "l2tp-failed",
	[CONN_REASON_L2TP_AUTH_FAILED] = "l2tp-auth-failed",
	[CONN_REASON_PPP_FAILED] = "ppp-failed",
	[CONN_REASON_PPP_AUTH_METHOD] = "ppp-auth-method",
	[CONN_REASON_PPP_AUTH_FAILED] = "ppp-auth-failed",
	[CONN_REASON_PPP_GATEWAY_NOT_AUTHENTIC] = "ppp-gateway-not-authentic",
	[CONN_REASON_DEAD_PEER] = "dead-peer",
	[CONN_REASON_GATEWAY_CLOSED] = "gateway-closed",
	[CONN_REASON_HOST_CONFIG] = "host-config",
	[CONN_REASON_INTERNAL] = "internal",
	[CONN_REASON_NETWORK_CHANGED] = "network-changed",
	[CONN_REASON_GATEWAY_CERTIFICATE] = "gateway-certificate",
	[CONN_REASON_CERTIFICATE_REJECTED] = "certificate-rejected",
};

const char *conn_reason_code(enum conn_reason reason)
{
	return (unsigned)reason < G_N_ELEMENTS(conn_reason_codes) ? conn_reason_codes[reason]
								  : "internal";
}

void conn_fail(struct conn *c, enum conn_reason reason, const char *format, ...)
{
	g_autofree char *text = NULL;
	va_list args;

	va_start(args, format);
	text = g_strdup_vprintf(format, args);
	va_end(args);
	c->cb->failed(c->user, reason, text);
}

void conn_set_state(struct conn *c, enum conn_state state)
{
	if (c->state_reported && c->state == state)
		return;
	c->state = state;
	c->state_reported = true;
	if (c->cb->state)
		c->cb->state(c->user, state);
}

static enum conn_reason conn_reason_from_ike(enum ike_sa_failure failure)
{
	switch (failure) {
	case IKE_FAIL_NO_ANSWER:
		return CONN_REASON_GATEWAY_UNREACHABLE;
	case IKE_FAIL_NO_PROPOSAL:
		return CONN_REASON_NO_PROPOSAL_CHOSEN;
	case IKE_FAIL_AUTHENTICATION:
		return CONN_REASON_PSK_REJECTED;
	case IKE_FAIL_ID_MISMATCH:
		return CONN_REASON_ID_MISMATCH;
	case IKE_FAIL_AGGRESSIVE_ONLY:
		return CONN_REASON_AGGRESSIVE_ONLY;
	case IKE_FAIL_PROTOCOL:
		return CONN_REASON_IKE_PROTOCOL;
	case IKE_FAIL_DEAD_PEER:
		return CONN_REASON_DEAD_PEER;
	case IKE_FAIL_PEER_CERT:
		return CONN_REASON_GATEWAY_CERTIFICATE;
	case IKE_FAIL_CERT_REJECTED:
		return CONN_REASON_CERTIFICATE_REJECTED;
	case IKE_FAIL_NONE:
	case IKE_FAIL_INTERNAL:
		break;
	}
	return CONN_REASON_INTERNAL;
}

/* ---- IKE's ops ---- */

static void conn_ike_send(void *user, const uint8_t *data, size_t len, bool natt)
{
	struct conn *c = user;
	int err = net_udp_send_ike(&c->udp, natt, data, len);

	/* a send error (no route, ICMP unreachable reported on the socket) is not fatal: the
	 * retransmissions run out and say "no answer" in words */
	if (err)
		g_debug("sending an IKE message to %s failed: %s", c->remote_text, g_strerror(-err));
}

static int conn_ike_random(void *user, uint8_t *buf, size_t len)
{
	return RAND_bytes(buf, (int)len) == 1 ? 0 : -EIO;
}

static gboolean conn_on_timer(gpointer data);

void conn_rearm(struct conn *c)
{
	uint64_t deadline = c->ike ? ike_sa_next_deadline(c->ike) : UINT64_MAX, now = conn_now();

	if (c->ike_next)
		deadline = MIN(deadline, ike_sa_next_deadline(c->ike_next));
	deadline = MIN(deadline, conn_tunnel_next_deadline(c));

	if (c->timer)
		g_source_remove(c->timer);
	c->timer = 0;
	if (deadline != UINT64_MAX)
		c->timer = g_timeout_add((guint)(deadline > now ? deadline - now : 0), conn_on_timer,
					 c);
}

static gboolean conn_on_timer(gpointer data)
{
	struct conn *c = data;

	c->timer = 0;
	if (c->ike) {
		c->calling = c->ike;
		ike_sa_tick(c->ike, conn_now());
	}
	if (c->ike_next) {
		c->calling = c->ike_next;
		ike_sa_tick(c->ike_next, conn_now());
	}
	c->calling = NULL;
	conn_tunnel_tick(c, conn_now());
	conn_rearm(c);
	return G_SOURCE_REMOVE;
}

static gboolean conn_on_keepalive(gpointer data)
{
	struct conn *c = data;
	static const uint8_t keepalive = 0xff;

	/* RFC 3948 §2.3: one 0xFF byte keeps the NAT's UDP mapping alive */
	if (send(c->udp.fd_natt, &keepalive, 1, 0) < 0)
		g_debug("NAT keepalive: %s", g_strerror(errno));
	return G_SOURCE_CONTINUE;
}

static void conn_pfs_add(struct conn *c, RoadieDhGroup group)
{
	for (unsigned i = 0; i < c->n_pfs; i++)
		if (c->pfs_order[i] == group)
			return;
	if (c->n_pfs < CONN_PFS_MAX)
		c->pfs_order[c->n_pfs++] = group;
}

/* The PFS groups to try, in order (profile key ipsec.pfs, and what was learned). */
static void conn_plan_pfs(struct conn *c)
{
	const char *pfs = c->profile->pfs ? c->profile->pfs : "auto";
	static const RoadieDhGroup common[] = { ROADIE_DH_MODP2048, ROADIE_DH_MODP1024,
						ROADIE_DH_MODP1536, ROADIE_DH_ECP256 };
	RoadieDhGroup group;

	c->n_pfs = c->pfs_next = 0;
	if (g_str_equal(pfs, "none")) {
		conn_pfs_add(c, ROADIE_DH_NONE);
		return;
	}
	if (roadie_dh_group_from_name(pfs, &group)) {
		conn_pfs_add(c, group);
		return;
	}
	if (c->profile->learned_pfs) {
		if (g_str_equal(c->profile->learned_pfs, "none"))
			conn_pfs_add(c, ROADIE_DH_NONE);
		else if (roadie_dh_group_from_name(c->profile->learned_pfs, &group))
			conn_pfs_add(c, group);
	}
	/* a group named in the ESP list ("aes128-sha1-modp2048") is a hint too */
	for (unsigned i = 0; i < c->n_esp; i++)
		if (c->esp_groups[i] != ROADIE_DH_NONE) {
			conn_pfs_add(c, c->esp_groups[i]);
			break;
		}
	conn_pfs_add(c, ROADIE_DH_NONE);
	conn_pfs_add(c, ike_sa_suite(c->ike)->dh);
	for (size_t i = 0; i < G_N_ELEMENTS(common); i++)
		conn_pfs_add(c, common[i]);
}

static void conn_start_quick_mode(struct conn *c)
{
	struct ike_qm_config cfg = {
		.suites = c->esp,
		.n_suites = c->n_esp,
		.pfs = c->pfs_order[c->pfs_next++],
		.life_seconds = c->profile->sa_lifetime,
		.life_kilobytes = c->profile->sa_lifetime_kilobytes,
		.local_port = c->l2tp_port,
		.remote_port = 1701,
	};
	int err;

	c->calling = c->ike;
	err = ike_sa_quick_mode(c->ike, &cfg, conn_now());
	c->calling = NULL;

	if (err) {
		conn_fail(c, CONN_REASON_INTERNAL, "cannot start the Quick Mode: %s",
			  g_strerror(-err));
		return;
	}
	conn_rearm(c);
}

static void conn_on_ike_up(struct conn *c)
{
	struct ike_natt_result nat = ike_sa_nat(c->ike);

	conn_plan_pfs(c);
	if (ike_sa_floated(c->ike) && nat.local_behind_nat && !c->keepalive)
		c->keepalive = g_timeout_add_seconds(20, conn_on_keepalive, c);
	/* our L2TP port: ephemeral behind NAT (two users behind one NAT must differ), else 1701 */
	switch (c->profile->l2tp_source_port) {
	case ROADIE_L2TP_PORT_1701:
		c->l2tp_port = 1701;
		break;
	case ROADIE_L2TP_PORT_EPHEMERAL:
		c->l2tp_port = (uint16_t)g_random_int_range(49152, 65536);
		break;
	case ROADIE_L2TP_PORT_AUTO:
		c->l2tp_port = nat.local_behind_nat ? (uint16_t)g_random_int_range(49152, 65536) : 1701;
		break;
	}
	conn_start_quick_mode(c);
}

#define CONN_OLD_SA_GRACE_S 5
#define CONN_REKEY_RETRY_S 30
/* a phase 1 renewal or a Quick Mode is in flight: they take a second or two */
#define CONN_BUSY_RETRY_S 2

static gboolean conn_on_old_sa(gpointer data)
{
	struct conn *c = data;

	c->old_timer = 0;
	c->calling = c->ike;
	ike_sa_delete_child(c->ike, c->old_spi_in);
	c->calling = NULL;
	conn_tunnel_remove_inbound(c, c->old_spi_in);
	conn_progress(c, "rekeyed: the old ESP pair (in %08x) is deleted", c->old_spi_in);
	return G_SOURCE_REMOVE;
}

static gboolean conn_on_rekey(gpointer data)
{
	struct conn *c = data;
	struct ike_qm_config cfg = {
		.suites = c->esp,
		.n_suites = c->n_esp,
		.pfs = c->child.suite.dh, /* the group that worked */
		.life_seconds = c->profile->sa_lifetime,
		.life_kilobytes = c->profile->sa_lifetime_kilobytes,
		.local_port = c->l2tp_port,
		.remote_port = 1701,
	};
	int err;

	c->rekey_timer = 0;
	if (c->ike_next) {
		/* the ISAKMP SA is being renewed: rekey through the new one */
		c->rekey_timer = g_timeout_add_seconds(CONN_BUSY_RETRY_S, conn_on_rekey, c);
		return G_SOURCE_REMOVE;
	}
	c->calling = c->ike;
	err = ike_sa_quick_mode(c->ike, &cfg, conn_now());
	c->calling = NULL;
	if (err) {
		/* a Quick Mode is in flight (or phase 1 is not up): try again soon */
		c->rekey_timer = g_timeout_add_seconds(CONN_BUSY_RETRY_S, conn_on_rekey, c);
		return G_SOURCE_REMOVE;
	}
	c->rekeying = true;
	conn_progress(c, "rekeying the ESP pair before it expires");
	conn_rearm(c);
	return G_SOURCE_REMOVE;
}

void conn_rekey_soon(struct conn *c)
{
	if (c->rekeying || !c->child_up || c->stopping || c->rekey_soon)
		return;
	conn_progress(c, "the ESP pair has carried most of what it may (kilobyte lifetime or "
			 "sequence numbers)");
	c->rekey_soon = true;
	if (c->rekey_timer)
		g_source_remove(c->rekey_timer);
	c->rekey_timer = g_idle_add(conn_on_rekey, c);
}

/* Soft lifetime: 80-90 % of the hard one, with jitter so that both ends do not rekey at once
 * (RFC 2408 §4.7 leaves it to the implementation). */
static void conn_schedule_rekey(struct conn *c)
{
	uint32_t life = c->child.life_seconds;

	if (c->rekey_timer)
		g_source_remove(c->rekey_timer);
	c->rekey_timer = 0;
	if (life == 0)
		return;
	c->rekey_timer = g_timeout_add((guint)((uint64_t)life * g_random_int_range(800, 900)),
				       conn_on_rekey, c);
}

static void conn_keylog_esp(struct conn *c, const struct ike_child *child);

static void conn_on_child(struct conn *c, const struct ike_event *ev)
{
	const char *pfs = roadie_dh_group_name(ev->child->suite.dh);
	bool first = !c->child_up;

	conn_keylog_esp(c, ev->child);
	if (!first) {
		/* a new pair (our rekey or the gateway's): it takes over now; ours deletes the
		 * old one after a grace, the gateway deletes its own */
		if (c->rekeying) {
			if (c->old_timer) {
				g_source_remove(c->old_timer);
				conn_on_old_sa(c);
			}
			c->old_spi_in = c->child.spi_in;
			c->old_timer = g_timeout_add_seconds(CONN_OLD_SA_GRACE_S, conn_on_old_sa, c);
		}
		conn_tunnel_new_sa(c, ev->child, c->rekeying);
		c->rekeying = false;
		c->rekey_soon = false;
		c->child = *ev->child;
		conn_progress(c, "%s", ev->text);
		conn_schedule_rekey(c);
		return;
	}
	c->child = *ev->child;
	c->child_up = true;
	conn_schedule_rekey(c);
	{
		/* what worked, in the profile's syntax, for the front end to save as [learned]:
		 * the next connect starts there (roadied itself stores nothing) */
		RoadieSuite esp = ev->child->suite;
		g_autofree char *ike_s = roadie_suite_to_string(ROADIE_PROPOSAL_IKE, ike_sa_suite(c->ike));
		g_autofree char *esp_s = NULL;
		const char *pfs_s = roadie_dh_group_name(esp.dh);

		esp.dh = ROADIE_DH_NONE;
		esp_s = roadie_suite_to_string(ROADIE_PROPOSAL_ESP, &esp);
		if (c->cb->learned)
			c->cb->learned(c->user, ike_s, esp_s, pfs_s ? pfs_s : "none");
	}
	conn_progress(c, "%s%s%s; L2TP from UDP %u to 1701", ev->text, pfs ? "; PFS " : "",
		      pfs ? pfs : "", c->child.local_port);
	conn_progress(c, "IPsec is up; dialing L2TP");
	conn_set_state(c, CONN_STATE_L2TP);
	conn_tunnel_start(c);
}

static void conn_on_child_failed(struct conn *c, const struct ike_event *ev)
{
	if (c->rekeying) {
		/* the current pair still works until it expires: try again later */
		c->rekeying = false;
		conn_progress(c, "rekeying failed (%s); the current ESP pair stays, next try in %d s",
			      ev->text, CONN_REKEY_RETRY_S);
		c->rekey_timer = g_timeout_add_seconds(CONN_REKEY_RETRY_S, conn_on_rekey, c);
		return;
	}
	/* with PFS on "auto", a refused proposal may only mean the wrong group: try the next */
	if (ev->notify == IKE_N_NO_PROPOSAL_CHOSEN && c->pfs_next < c->n_pfs) {
		conn_progress(c, "%s; trying PFS %s next", ev->text,
			      roadie_dh_group_name(c->pfs_order[c->pfs_next]) ?: "off");
		conn_start_quick_mode(c);
		return;
	}
	/* behind NAT roadie proposes an ephemeral L2TP port (two users behind one NAT must
	 * differ); some gateways insist on 1701: fall back to it once, unless the profile pins
	 * the port (DESIGN.md) */
	if ((ev->notify == IKE_N_INVALID_ID_INFORMATION || ev->notify == IKE_N_NO_PROPOSAL_CHOSEN) &&
	    c->l2tp_port != 1701 && c->profile->l2tp_source_port == ROADIE_L2TP_PORT_AUTO) {
		conn_progress(c, "%s; the gateway may insist on L2TP port 1701: trying it (another "
				 "user of it behind this NAT would be cut off)",
			      ev->text);
		c->l2tp_port = 1701;
		conn_plan_pfs(c);
		conn_start_quick_mode(c);
		return;
	}
	conn_fail(c, CONN_REASON_QUICK_MODE_FAILED, "%s", ev->text);
}

/* ---- phase 1: proposal fallback and renewal ---- */

#define CONN_FALLBACK_TRIES 3 /* 1 + 2 + 4 s of silence before a shorter list */
#define CONN_RENEW_RETRY_S 30

static const struct ike_ops conn_ike_ops;

static struct ike_sa *conn_new_ike(struct conn *c, const RoadieSuite *suites, unsigned n,
				   unsigned tries, bool renewal)
{
	struct ike_sa_config cfg = c->ike_cfg;

	cfg.suites = suites;
	cfg.n_suites = MIN(n, 255u);
	cfg.tries = tries;
	cfg.renewal = renewal;
	return ike_sa_new(&cfg, &conn_ike_ops, c);
}

static void conn_ike_attempt(struct conn *c)
{
	unsigned n;
	const RoadieSuite *suites = ike_fallback_suites(&c->fallback, &n);

	/* a shorter list follows silence: fewer tries for this one */
	c->attempt_tries = ike_fallback_has_next(&c->fallback, true) ? CONN_FALLBACK_TRIES : c->tries;
	c->ike = conn_new_ike(c, suites, n, c->attempt_tries, false);
	if (!c->ike) {
		conn_fail(c, CONN_REASON_INVALID_SETTINGS,
			  "the IKE settings cannot be used (is a pre-shared key set?)");
		return;
	}
	c->calling = c->ike;
	ike_sa_start(c->ike, conn_now());
	c->calling = NULL;
	conn_rearm(c);
}

static gboolean conn_on_fallback(gpointer data)
{
	struct conn *c = data;

	c->fallback_idle = 0;
	c->ike = ike_sa_free(c->ike);
	conn_ike_attempt(c);
	return G_SOURCE_REMOVE;
}

/* Main Mode failed: a refusal or silence may only mean that the gateway wants older or fewer
 * proposals (ike-fallback.h); anything else ends the attempt. */
static void conn_on_ike_failed(struct conn *c, const struct ike_event *ev)
{
	bool silence = ev->failure == IKE_FAIL_NO_ANSWER;
	bool refused = ev->failure == IKE_FAIL_NO_PROPOSAL;

	if (silence)
		c->tries_sent += c->attempt_tries;
	if ((silence || refused) && !c->stopping && !c->child_up &&
	    ike_fallback_next(&c->fallback, silence)) {
		unsigned n;
		const RoadieSuite *suites = ike_fallback_suites(&c->fallback, &n);
		g_autofree char *list = roadie_suites_to_string(ROADIE_PROPOSAL_IKE, suites, n, ",");

		conn_progress(c, "%s; trying %s: %s",
			      silence ? "no answer to our IKE proposals"
				      : "the gateway accepts none of our IKE proposals",
			      silence ? "a shorter list" : "older proposals", list);
		c->fallback_idle = g_idle_add(conn_on_fallback, c);
		return;
	}
	if (c->fallback.attempts > 1 && refused) {
		g_autofree char *offered = ike_fallback_offered_text(&c->fallback);
		g_autofree char *why = g_strdup_printf(
			"the gateway accepts none of our IKE proposals (we offered %s)", offered);

		conn_fail(c, CONN_REASON_NO_PROPOSAL_CHOSEN, "%s", why);
	} else if (c->fallback.attempts > 1 && silence) {
		g_autofree char *why = g_strdup_printf(
			"no answer from %s on UDP %u after %u tries with %u proposal lists: is the "
			"gateway reachable?",
			c->remote_text, c->ike_cfg.remote.port, c->tries_sent, c->fallback.attempts);

		conn_fail(c, CONN_REASON_GATEWAY_UNREACHABLE, "%s", why);
	} else {
		conn_fail(c, conn_reason_from_ike(ev->failure), "%s", ev->text);
	}
}

static gboolean conn_on_renew(gpointer data);

/* @ms 0: at the soft lifetime of the ISAKMP SA, 80-90 % of the hard one (jittered). */
static void conn_schedule_renewal(struct conn *c, uint64_t ms)
{
	if (c->renew_timer)
		g_source_remove(c->renew_timer);
	c->renew_timer = 0;
	if (ms == 0)
		ms = (uint64_t)c->ike_cfg.lifetime * (uint64_t)g_random_int_range(800, 900);
	if (ms)
		c->renew_timer = g_timeout_add((guint)MIN(ms, (uint64_t)G_MAXUINT), conn_on_renew,
					       c);
}

static gboolean conn_on_renew(gpointer data)
{
	struct conn *c = data;
	RoadieSuite suite;

	c->renew_timer = 0;
	if (c->rekeying || c->ike_next || !c->ike || ike_sa_state(c->ike) != IKE_SA_ESTABLISHED) {
		conn_schedule_renewal(c, CONN_BUSY_RETRY_S * 1000);
		return G_SOURCE_REMOVE;
	}
	/* the suite the gateway accepted last time, alone */
	suite = *ike_sa_suite(c->ike);
	c->ike_next = conn_new_ike(c, &suite, 1, c->tries, true);
	if (!c->ike_next) {
		conn_schedule_renewal(c, CONN_RENEW_RETRY_S * 1000);
		return G_SOURCE_REMOVE;
	}
	conn_progress(c, "renewing the IKE SA before it expires");
	c->calling = c->ike_next;
	ike_sa_start(c->ike_next, conn_now());
	c->calling = NULL;
	conn_rearm(c);
	return G_SOURCE_REMOVE;
}

static gboolean conn_on_retire(gpointer data)
{
	struct conn *c = data;

	c->retire_idle = 0;
	c->ike_retired = ike_sa_free(c->ike_retired);
	return G_SOURCE_REMOVE;
}

/* The ISAKMP SA that a renewal replaced, deleted a moment after the new one is up: a gateway
 * adopts the ESP pair into the new SA asynchronously (strongSwan queues a job), and a DELETE
 * that arrives first takes the pair down with the old SA. */
#define CONN_OLD_IKE_GRACE_S 3

static gboolean conn_on_old_ike(gpointer data)
{
	struct conn *c = data;

	c->old_ike_timer = 0;
	if (c->ike_old && ike_sa_state(c->ike_old) == IKE_SA_ESTABLISHED) {
		c->calling = c->ike_old;
		ike_sa_delete(c->ike_old, NULL, 0);
		c->calling = NULL;
	}
	c->ike_old = ike_sa_free(c->ike_old);
	return G_SOURCE_REMOVE;
}

static void conn_keylog(struct conn *c, const struct ike_sa *sa)
{
	const struct ike_keymat *km = ike_sa_keymat(sa);
	const uint8_t *cky = ike_sa_cookie_i(sa);
	char line[64 + IKE_COOKIE_LEN * 2 + sizeof(km->enc_key) * 2];
	size_t at;

	if (!c->cb->keylog)
		return;
	at = (size_t)g_snprintf(line, sizeof(line), "ikev1_decryption_table:");
	for (size_t i = 0; i < IKE_COOKIE_LEN; i++)
		at += (size_t)g_snprintf(line + at, sizeof(line) - at, "%02x", cky[i]);
	at += (size_t)g_snprintf(line + at, sizeof(line) - at, ",");
	for (size_t i = 0; i < km->enc_key_len && i < sizeof(km->enc_key); i++)
		at += (size_t)g_snprintf(line + at, sizeof(line) - at, "%02x", km->enc_key[i]);
	c->cb->keylog(c->user, line);
	roadie_wipe(line, sizeof(line));
}

static const char *conn_keylog_esp_enc(const RoadieSuite *s)
{
	switch (s->encr) {
	case ROADIE_ENCR_AES_CBC:
		return "AES-CBC [RFC3602]";
	case ROADIE_ENCR_3DES:
		return "TripleDES-CBC [RFC2451]";
	case ROADIE_ENCR_AES_GCM_16:
		return "AES-GCM with 16 octet ICV [RFC4106]";
	default:
		return NULL;
	}
}

static const char *conn_keylog_esp_auth(const RoadieSuite *s)
{
	switch (s->integ) {
	case ROADIE_INTEG_NONE:
		return "NULL";
	case ROADIE_INTEG_MD5:
		return "HMAC-MD5-96 [RFC2403]";
	case ROADIE_INTEG_SHA1:
		return "HMAC-SHA-1-96 [RFC2404]";
	case ROADIE_INTEG_SHA2_256:
		return "HMAC-SHA-256-128 [RFC4868]";
	case ROADIE_INTEG_SHA2_384:
		return "HMAC-SHA-384-192 [RFC4868]";
	case ROADIE_INTEG_SHA2_512:
		return "HMAC-SHA-512-256 [RFC4868]";
	default:
		return NULL;
	}
}

static size_t conn_keylog_hex(char *at, size_t cap, const uint8_t *key, size_t len)
{
	size_t n = (size_t)g_snprintf(at, cap, "0x");

	for (size_t i = 0; i < len; i++)
		n += (size_t)g_snprintf(at + n, cap - n, "%02x", key[i]);
	return n;
}

/* The ESP pair as Wireshark's ESP SA table records (uat:esp_sa), so that a capture of the
 * tunnel (L2TP, PPP, the inner IP) decrypts too. */
static void conn_keylog_esp(struct conn *c, const struct ike_child *child)
{
	const char *enc = conn_keylog_esp_enc(&child->suite);
	const char *auth = conn_keylog_esp_auth(&child->suite);
	char line[160 + 4 * IKE_CHILD_MAX_KEY];

	if (!c->cb->keylog || !enc || !auth)
		return;
	for (int dir = 0; dir < 2; dir++) {
		const uint8_t *key = dir ? child->key_out : child->key_in;
		size_t at = (size_t)g_snprintf(line, sizeof(line),
					       "esp_sa:\"%s\",\"*\",\"*\",\"0x%08x\",\"%s\",\"",
					       c->gateway.ss_family == AF_INET6 ? "IPv6" : "IPv4",
					       dir ? child->spi_out : child->spi_in, enc);

		at += conn_keylog_hex(line + at, sizeof(line) - at, key, child->enc_key_len);
		at += (size_t)g_snprintf(line + at, sizeof(line) - at, "\",\"%s\",\"", auth);
		if (child->integ_key_len)
			at += conn_keylog_hex(line + at, sizeof(line) - at, key + child->enc_key_len,
					      child->integ_key_len);
		g_snprintf(line + at, sizeof(line) - at, "\"");
		c->cb->keylog(c->user, line);
		roadie_wipe(line, sizeof(line));
	}
}

/* An event of the SA that renews phase 1. */
static void conn_renewal_event(struct conn *c, const struct ike_event *ev)
{
	struct ike_sa *old;

	switch (ev->type) {
	case IKE_EVENT_ESTABLISHED:
		/* the new SA takes over; the old one goes (the ESP pair does not depend on it) */
		old = c->ike;
		c->ike = c->ike_next;
		c->ike_next = NULL;
		conn_progress(c, "IKE SA renewed: %s; the old one is deleted in %d s", ev->text,
			      CONN_OLD_IKE_GRACE_S);
		conn_keylog(c, c->ike);
		if (c->old_ike_timer) {
			g_source_remove(c->old_ike_timer);
			conn_on_old_ike(c);
		}
		c->ike_old = old;
		c->old_ike_timer = g_timeout_add_seconds(CONN_OLD_IKE_GRACE_S, conn_on_old_ike, c);
		conn_schedule_renewal(c, 0);
		break;
	case IKE_EVENT_FAILED:
		conn_progress(c, "renewing the IKE SA failed (%s); the current one stays, next try "
			      "in %d s", ev->text, CONN_RENEW_RETRY_S);
		c->ike_retired = ike_sa_free(c->ike_retired);
		c->ike_retired = c->ike_next;
		c->ike_next = NULL;
		if (!c->retire_idle)
			c->retire_idle = g_idle_add(conn_on_retire, c);
		conn_schedule_renewal(c, CONN_RENEW_RETRY_S * 1000);
		break;
	case IKE_EVENT_STATE:
	case IKE_EVENT_VENDOR:
	case IKE_EVENT_NOTIFY:
	case IKE_EVENT_CHILD_UP:
	case IKE_EVENT_CHILD_FAILED:
	case IKE_EVENT_DELETED:
		g_debug("IKE renewal: %s", ev->text ? ev->text : "");
		break;
	}
}

static void conn_on_ike_established(struct conn *c, const struct ike_event *ev)
{
	conn_keylog(c, c->ike);
	conn_progress(c, "%s", ev->text);
	if (c->fallback.attempts > 1) {
		const RoadieSuite *suite = ike_sa_suite(c->ike);
		g_autofree char *text = roadie_suite_to_string(ROADIE_PROPOSAL_IKE, suite);
		g_autofree char *name = g_ascii_strup(text, -1);

		conn_progress(c, "the gateway accepted only older proposals: %s%s", name,
			      roadie_suite_is_weak(suite) ? " (weak)" : "");
	}
	conn_schedule_renewal(c, 0);
	conn_set_state(c, CONN_STATE_IKE_PHASE2);
	conn_on_ike_up(c);
}

static void conn_ike_event(void *user, const struct ike_event *ev)
{
	struct conn *c = user;

	if (c->calling && c->calling == c->ike_next) {
		conn_renewal_event(c, ev);
		return;
	}
	if (c->calling && c->calling != c->ike) {
		/* an SA on its way out (failed renewal, replaced SA) */
		g_debug("old IKE SA: %s", ev->text ? ev->text : "");
		return;
	}
	switch (ev->type) {
	case IKE_EVENT_STATE:
		g_debug("IKE state: %s", ev->text);
		break;
	case IKE_EVENT_VENDOR:
		conn_progress(c, "gateway vendor ID: %s", ev->text);
		break;
	case IKE_EVENT_NOTIFY:
		if (g_str_equal(ev->text, "R-U-THERE-ACK"))
			g_debug("dead peer detection: the gateway answered");
		else
			conn_progress(c, "gateway notification: %s", ev->text);
		break;
	case IKE_EVENT_ESTABLISHED:
		conn_on_ike_established(c, ev);
		break;
	case IKE_EVENT_FAILED:
		conn_on_ike_failed(c, ev);
		break;
	case IKE_EVENT_CHILD_UP:
		conn_on_child(c, ev);
		break;
	case IKE_EVENT_CHILD_FAILED:
		conn_on_child_failed(c, ev);
		break;
	case IKE_EVENT_DELETED:
		if (!ev->child && c->ike && ike_sa_state(c->ike) == IKE_SA_DELETED &&
		    !c->stopping)
			conn_fail(c, CONN_REASON_GATEWAY_CLOSED, "%s", ev->text);
		else if (ev->child && c->child_up && !c->stopping &&
			 (ev->child->spi_out == c->child.spi_out ||
			  ev->child->spi_in == c->child.spi_in))
			conn_fail(c, CONN_REASON_GATEWAY_CLOSED, "the gateway deleted our IPsec SA");
		break;
	}
}

static const struct ike_ops conn_ike_ops = {
	.send = conn_ike_send,
	.event = conn_ike_event,
	.random = conn_ike_random,
	.verify_peer = conn_cert_verify_peer,
};

/* ---- timers and sockets ---- */

void conn_ike_input(struct conn *c, const uint8_t *msg, size_t len, bool natt)
{
	/* by the initiator cookie: the SA in use, or the one renewing it */
	c->calling = c->ike;
	if (c->ike_next && ike_sa_owns(c->ike_next, msg, len))
		c->calling = c->ike_next;
	if (c->calling)
		ike_sa_receive(c->calling, msg, len, natt, conn_now());
	c->calling = NULL;
}

static gboolean conn_on_readable(int fd, GIOCondition condition, gpointer data)
{
	struct conn *c = data;

	for (;;) {
		bool is_ike = false;
		ssize_t n = net_udp_recv(&c->udp, fd, c->rx, sizeof(c->rx), &is_ike);

		if (n == -EAGAIN || n == -EWOULDBLOCK)
			break;
		if (n < 0) {
			/* ICMP port unreachable and the like, reported on the connected socket */
			g_debug("receiving from %s: %s", c->remote_text, g_strerror((int)-n));
			break;
		}
		if (n == 0)
			continue; /* keepalive */
		if (!is_ike) {
			conn_tunnel_input_esp(c, c->rx, (size_t)n);
			continue;
		}
		conn_ike_input(c, c->rx, (size_t)n, fd == c->udp.fd_natt);
		/* Quick Mode done: the data plane's threads read UDP 4500 from now on */
		if (fd == c->udp.fd_natt && !c->watch_natt)
			break;
	}
	conn_rearm(c);
	return G_SOURCE_CONTINUE;
}

/* ---- from the profile to IKE's configuration ---- */

static void conn_addr(const struct sockaddr_storage *ss, struct ike_natt_addr *ret)
{
	memset(ret, 0, sizeof(*ret));
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;

		memcpy(ret->ip, &in->sin_addr, 4);
		ret->ip_len = 4;
		ret->port = ntohs(in->sin_port);
	} else {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;

		memcpy(ret->ip, &in6->sin6_addr, 16);
		ret->ip_len = 16;
		ret->port = ntohs(in6->sin6_port);
	}
}

/* "fqdn:vpn.example.com", "email:me@example.com", "ipv4:…", an address, or a plain name. */
static void conn_id(const char *text, uint8_t *storage, struct ike_id *ret)
{
	const char *value = text;

	memset(ret, 0, sizeof(*ret));
	if (!text)
		return;
	if (g_str_has_prefix(text, "fqdn:")) {
		ret->type = IKE_ID_FQDN;
		value = text + 5;
	} else if (g_str_has_prefix(text, "email:")) {
		ret->type = IKE_ID_USER_FQDN;
		value = text + 6;
	} else if (g_str_has_prefix(text, "ipv4:") || g_str_has_prefix(text, "ipv6:")) {
		value = text + 5;
	}
	if (!ret->type && inet_pton(AF_INET, value, storage) == 1) {
		ret->type = IKE_ID_IPV4_ADDR;
		ret->len = 4;
	} else if (!ret->type && inet_pton(AF_INET6, value, storage) == 1) {
		ret->type = IKE_ID_IPV6_ADDR;
		ret->len = 16;
	} else {
		if (!ret->type)
			ret->type = strchr(value, '@') ? IKE_ID_USER_FQDN : IKE_ID_FQDN;
		ret->len = MIN(strlen(value), (size_t)IKE_ID_MAX_DATA);
		memcpy(storage, value, ret->len);
	}
	ret->data = storage;
}

static void conn_start_ike(struct conn *c, GInetAddress *address)
{
	const RoadieProfile *p = c->profile;
	struct sockaddr_storage gw = { 0 };
	g_autoptr(GSocketAddress) sa = g_inet_socket_address_new(address, 500);
	g_autoptr(GArray) suites = NULL;
	g_autofree char *message = NULL;
	struct ike_sa_config *cfg = &c->ike_cfg;
	int err;

	g_autofree char *remote = g_inet_address_to_string(address);

	g_strlcpy(c->remote_text, remote, sizeof(c->remote_text));
	if (!g_socket_address_to_native(sa, &gw, sizeof(gw), NULL)) {
		conn_fail(c, CONN_REASON_INTERNAL, "the gateway's address cannot be used");
		return;
	}
	c->gateway = gw;
	c->gateway_len = (socklen_t)g_socket_address_get_native_size(sa);
	if (c->host) {
		/* before the first IKE packet: our own packets keep today's path to the gateway,
		 * and what the tunnel will carry is blackholed until it does */
		g_autoptr(GError) error = NULL;
		const uint8_t *bytes = g_inet_address_to_bytes(address);
		int family = g_inet_address_get_family(address) == G_SOCKET_FAMILY_IPV6 ? AF_INET6
											: AF_INET;

		if (!host_guard(c->host, family, bytes, &error)) {
			conn_fail(c, CONN_REASON_HOST_CONFIG, "cannot set up the routes: %s",
				  error->message);
			return;
		}
	}
	err = net_udp_open(&c->udp, (struct sockaddr *)&gw, (socklen_t)g_socket_address_get_native_size(sa));
	if (err) {
		conn_fail(c, CONN_REASON_HOST_CONFIG, "cannot open a UDP socket towards %s: %s",
			  c->remote_text, g_strerror(-err));
		return;
	}
	conn_progress(c, "IKE from UDP %s and %s to %s",
		      c->udp.ike_port_own ? "500" : "an ephemeral port (500 is taken)",
		      c->udp.natt_port_own ? "4500" : "an ephemeral port (4500 is taken)",
		      c->remote_text);

	if (!ike_fallback_init(&c->fallback, p->ike, p->learned_ike, &message)) {
		conn_fail(c, CONN_REASON_INVALID_SETTINGS, "ipsec.ike: %s", message);
		return;
	}
	if (roadie_proposal_parse(ROADIE_PROPOSAL_ESP, p->esp, &suites, NULL, &message) !=
	    ROADIE_PROPOSAL_OK) {
		conn_fail(c, CONN_REASON_INVALID_SETTINGS, "ipsec.esp: %s", message);
		return;
	}
	{
		/* the group of each ESP element is a PFS wish; the transforms go without it */
		gsize n = 0;

		c->esp = (RoadieSuite *)g_array_steal(suites, &n);
		c->n_esp = (unsigned)MIN(n, 255u);
		c->esp_groups = g_new0(RoadieDhGroup, MAX(n, 1));
		for (unsigned i = 0; i < c->n_esp; i++) {
			c->esp_groups[i] = c->esp[i].dh;
			c->esp[i].dh = ROADIE_DH_NONE;
		}
	}
	/* the PSK stays in the profile's secret, which lives as long as the connection */
	cfg->psk = (const uint8_t *)roadie_secret_peek(p->psk);
	cfg->psk_len = roadie_secret_len(p->psk);
	conn_id(p->local_id, c->local_id, &cfg->local_id);
	conn_id(p->remote_id, c->remote_id, &cfg->remote_id);
	if (p->ipsec_auth == ROADIE_IPSEC_AUTH_CERT && !c->cred &&
	    !conn_cert_setup(c, cfg, &message)) {
		conn_fail(c, CONN_REASON_INVALID_SETTINGS, "%s", message);
		return;
	}
	cfg->lifetime = p->ike_lifetime;
	conn_addr(&c->udp.local_ike, &cfg->local);
	conn_addr(&gw, &cfg->remote);
	cfg->force_encapsulation = p->force_encapsulation;
	cfg->dpd_interval = p->dpd_interval;
	cfg->dpd_timeout = p->dpd_timeout;
	c->tries = 5;
	c->watch_ike = g_unix_fd_add(c->udp.fd_ike, G_IO_IN, conn_on_readable, c);
	c->watch_natt = g_unix_fd_add(c->udp.fd_natt, G_IO_IN, conn_on_readable, c);
	conn_set_state(c, CONN_STATE_IKE_PHASE1);
	conn_progress(c, "IKE Main Mode with %s", c->remote_text);
	conn_ike_attempt(c);
}

static void conn_on_resolved(GObject *source, GAsyncResult *result, gpointer data)
{
	struct conn *c = data;
	g_autoptr(GError) error = NULL;
	GList *addresses = g_resolver_lookup_by_name_finish(G_RESOLVER(source), result, &error);

	if (!addresses) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			return;
		conn_fail(c, CONN_REASON_GATEWAY_UNRESOLVABLE, "cannot resolve the gateway '%s': %s",
			  c->profile->gateway, error->message);
		return;
	}
	conn_start_ike(c, addresses->data);
	g_resolver_free_addresses(addresses);
}

struct conn *conn_new(const RoadieProfile *profile, const struct conn_callbacks *callbacks,
		      void *user)
{
	struct conn *c = g_new0(struct conn, 1);

	c->profile = roadie_profile_copy(profile);
	c->cb = callbacks;
	c->user = user;
	c->cancel = g_cancellable_new();
	c->udp.fd_ike = c->udp.fd_natt = -1;
	c->fd_raw = c->tun.fd = -1;
	return c;
}

void conn_set_host(struct conn *c, struct host *host)
{
	c->host = host;
}

void conn_start(struct conn *c)
{
	g_autoptr(GInetAddress) literal = g_inet_address_new_from_string(c->profile->gateway);

	if (literal) {
		conn_start_ike(c, literal);
		return;
	}
	g_autoptr(GResolver) resolver = g_resolver_get_default();

	conn_set_state(c, CONN_STATE_RESOLVING);
	conn_progress(c, "resolving %s", c->profile->gateway);
	g_resolver_lookup_by_name_async(resolver, c->profile->gateway, c->cancel, conn_on_resolved,
					c);
}

void conn_stop(struct conn *c)
{
	c->stopping = true;
	/* the tunnel's routes back to blackholes and DNS back before the tunnel ends */
	if (c->host)
		host_unapply(c->host);
	conn_tunnel_stop(c);
	if (c->ike_next && ike_sa_state(c->ike_next) == IKE_SA_ESTABLISHED) {
		c->calling = c->ike_next;
		ike_sa_delete(c->ike_next, NULL, 0);
	}
	if (c->old_ike_timer) {
		g_source_remove(c->old_ike_timer);
		conn_on_old_ike(c);
	}
	if (c->ike && ike_sa_state(c->ike) == IKE_SA_ESTABLISHED) {
		conn_progress(c, "disconnecting: sending DELETE to the gateway");
		c->calling = c->ike;
		ike_sa_delete(c->ike, &c->child.spi_in, c->child_up ? 1 : 0);
	}
	c->calling = NULL;
}

struct conn *conn_free(struct conn *c)
{
	if (!c)
		return NULL;
	g_cancellable_cancel(c->cancel);
	g_clear_object(&c->cancel);
	if (c->timer)
		g_source_remove(c->timer);
	if (c->watch_ike)
		g_source_remove(c->watch_ike);
	if (c->watch_natt)
		g_source_remove(c->watch_natt);
	if (c->keepalive)
		g_source_remove(c->keepalive);
	if (c->rekey_timer)
		g_source_remove(c->rekey_timer);
	if (c->old_timer)
		g_source_remove(c->old_timer);
	if (c->fallback_idle)
		g_source_remove(c->fallback_idle);
	if (c->renew_timer)
		g_source_remove(c->renew_timer);
	if (c->retire_idle)
		g_source_remove(c->retire_idle);
	if (c->old_ike_timer)
		g_source_remove(c->old_ike_timer);
	ike_sa_free(c->ike_old);
	conn_tunnel_free(c);
	ike_sa_free(c->ike);
	ike_sa_free(c->ike_next);
	ike_sa_free(c->ike_retired);
	conn_cert_clear(c);
	ike_fallback_clear(&c->fallback);
	net_udp_close(&c->udp);
	g_free(c->esp);
	g_free(c->esp_groups);
	roadie_wipe(&c->child, sizeof(c->child));
	roadie_profile_free(c->profile);
	g_free(c);
	return NULL;
}

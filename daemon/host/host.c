/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "roadied"
#include "host/host.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>

#include "host/host-journal.h"

/* A guarded destination: blackholed from guard to apply and again from unapply, through
 * the TUN device in between. */
struct host_dest {
	struct host_route route;   /* as a blackhole */
	bool ours;                 /* we added it (not there before) */
	bool tunnel;               /* goes through the device once up (IPv6 blocks and old
				    * resolvers stay blackholed) */
};

struct host {
	char *state_dir;
	char *resolv_conf;
	char *resolvconf_bin;
	struct host_dns_env dns_env;
	bool default_route;
	bool block_ipv6;
	bool peer_dns;
	char **routes;

	struct host_journal *journal;
	unsigned n_journal_routes;
	struct host_route gateway_route;
	bool gateway_route_ours;
	GArray *dests;             /* struct host_dest */
	unsigned tun_ifindex;      /* 0: not applied */
	enum host_dns_backend dns_backend;
	bool dns_applied;
	void (*progress)(void *user, const char *line);
	void *user;
};

static void host_progress(struct host *h, const char *format, ...) G_GNUC_PRINTF(2, 3);
static void host_progress(struct host *h, const char *format, ...)
{
	g_autofree char *line = NULL;
	va_list ap;

	va_start(ap, format);
	line = g_strdup_vprintf(format, ap);
	va_end(ap);
	if (h->progress)
		h->progress(h->user, line);
	else
		g_message("%s", line);
}

struct host *host_new(const struct host_env *env, const RoadieProfile *profile)
{
	struct host *h = g_new0(struct host, 1);

	h->state_dir = g_strdup(env->state_dir);
	h->resolv_conf = g_strdup(env->dns.resolv_conf);
	h->resolvconf_bin = g_strdup(env->dns.resolvconf_bin);
	h->dns_env.system_bus = env->dns.system_bus ? g_object_ref(env->dns.system_bus) : NULL;
	h->dns_env.resolv_conf = h->resolv_conf;
	h->dns_env.resolvconf_bin = h->resolvconf_bin;
	h->dns_env.backup_dir = h->state_dir;
	h->default_route = profile->default_route;
	h->block_ipv6 = profile->block_ipv6;
	h->peer_dns = profile->peer_dns;
	h->routes = g_strdupv(profile->routes);
	h->progress = env->progress;
	h->user = env->user;
	h->dests = g_array_new(FALSE, TRUE, sizeof(struct host_dest));
	return h;
}

struct host *host_free(struct host *h)
{
	if (!h)
		return NULL;
	host_restore(h);
	g_clear_object(&h->dns_env.system_bus);
	g_array_unref(h->dests);
	g_strfreev(h->routes);
	g_free(h->resolvconf_bin);
	g_free(h->resolv_conf);
	g_free(h->state_dir);
	g_free(h);
	return NULL;
}

/* ---- the journal's [routes]: every route that may exist because of us ---- */

static bool host_journal_route(struct host *h, const struct host_route *route, GError **error)
{
	g_autofree char *text = host_route_to_string(route);
	g_autofree char *key = g_strdup_printf("route%u", h->n_journal_routes++);

	g_key_file_set_string(host_journal_data(h->journal), "routes", key, text);
	return host_journal_sync(h->journal, error);
}

static void host_unjournal_last_route(struct host *h)
{
	g_autofree char *key = g_strdup_printf("route%u", --h->n_journal_routes);

	g_key_file_remove_key(host_journal_data(h->journal), "routes", key, NULL);
	if (!host_journal_sync(h->journal, NULL))
		g_debug("host: the journal could not be shortened (harmless)");
}

/* Journal, then add; a route that was there before is not ours: not journaled, not removed
 * later. */
static int host_add_journaled(struct host *h, const struct host_route *route, GError **error)
{
	int err;

	if (!host_journal_route(h, route, error))
		return -EIO;
	err = host_route_add(route);
	if (err)
		host_unjournal_last_route(h);
	return err;
}

static void host_route_error(GError **error, const char *what, const struct host_route *route,
			     int err)
{
	g_autofree char *text = host_route_to_string(route);

	g_set_error(error, G_IO_ERROR, g_io_error_from_errno(-err), "cannot %s the route %s: %s",
		    what, text, g_strerror(-err));
}

static void host_route_prefix(struct host_route *r, int family, const char *addr, uint8_t prefix)
{
	memset(r, 0, sizeof(*r));
	r->family = family;
	inet_pton(family, addr, r->dst);
	r->prefix = prefix;
	r->type = HOST_ROUTE_BLACKHOLE;
}

static void host_add_dest(struct host *h, const struct host_route *route, bool tunnel)
{
	struct host_dest d = { .route = *route, .tunnel = tunnel };

	g_array_append_val(h->dests, d);
}

/* The resolvers resolv.conf names now, but loopback ones (a local cache forwards through
 * the routes like everyone else): in full-tunnel mode, the café's resolver on the local
 * network must not get our queries while the tunnel comes up. */
static void host_plan_old_resolvers(struct host *h)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;

	if (!g_file_get_contents(h->resolv_conf ? h->resolv_conf : "/etc/resolv.conf", &text,
				 NULL, NULL))
		return;
	lines = g_strsplit(text, "\n", 64);
	for (unsigned i = 0; lines[i]; i++) {
		g_auto(GStrv) words = g_strsplit_set(lines[i], " \t", 3);
		struct host_route r = { .type = HOST_ROUTE_BLACKHOLE };

		if (!words[0] || strcmp(words[0], "nameserver") || !words[1])
			continue;
		if (inet_pton(AF_INET, words[1], r.dst) == 1) {
			r.family = AF_INET;
			r.prefix = 32;
			if (r.dst[0] == 127)
				continue;
		} else if (inet_pton(AF_INET6, words[1], r.dst) == 1) {
			static const uint8_t loopback[16] = { [15] = 1 };

			r.family = AF_INET6;
			r.prefix = 128;
			if (!memcmp(r.dst, loopback, 16))
				continue;
		} else {
			continue;
		}
		host_add_dest(h, &r, false);
	}
}

/* What the tunnel will carry, blackholed until it does. */
static bool host_plan_dests(struct host *h, GError **error)
{
	struct host_route r;

	if (h->default_route) {
		host_route_prefix(&r, AF_INET, "0.0.0.0", 1);
		host_add_dest(h, &r, true);
		host_route_prefix(&r, AF_INET, "128.0.0.0", 1);
		host_add_dest(h, &r, true);
		if (h->block_ipv6) {
			host_route_prefix(&r, AF_INET6, "::", 1);
			host_add_dest(h, &r, false);
			host_route_prefix(&r, AF_INET6, "8000::", 1);
			host_add_dest(h, &r, false);
		}
		if (h->peer_dns)
			host_plan_old_resolvers(h);
	}
	for (unsigned i = 0; h->routes && h->routes[i]; i++) {
		memset(&r, 0, sizeof(r));
		r.type = HOST_ROUTE_BLACKHOLE;
		if (!host_route_parse_prefix(h->routes[i], &r.family, r.dst, &r.prefix)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
				    "the profile's route '%s' is not a network", h->routes[i]);
			return false;
		}
		host_add_dest(h, &r, true);
	}
	return true;
}

static bool host_route_same(const struct host_route *a, const struct host_route *b)
{
	return a->family == b->family && a->prefix == b->prefix && a->oif == b->oif &&
	       a->has_gateway == b->has_gateway && !memcmp(a->dst, b->dst, sizeof(a->dst)) &&
	       (!a->has_gateway || !memcmp(a->gateway, b->gateway, sizeof(a->gateway)));
}

static bool host_oif_ours(unsigned oif)
{
	char name[IF_NAMESIZE];

	return if_indextoname(oif, name) && g_str_has_prefix(name, "roadie");
}

static bool host_has_own_routes(const struct host *h)
{
	if (h->gateway_route_ours)
		return true;
	for (guint i = 0; i < h->dests->len; i++) {
		if (g_array_index(h->dests, struct host_dest, i).ours)
			return true;
	}
	return false;
}

bool host_guard(struct host *h, int family, const uint8_t *gateway, GError **error)
{
	struct host_route path;
	bool had_pin = h->gateway_route_ours;
	int err;

	if (!h->journal && !(h->journal = host_journal_new(h->state_dir, error)))
		return false;
	/* roadie's own packets keep the path the gateway has now. On a reconnect our own
	 * routes are in the way: the route we pinned may be stale (the network changed under
	 * it) and the blackholes cover the gateway once the pin is gone, so the path is read
	 * from table main without them */
	if (host_has_own_routes(h))
		err = host_route_lookup_main(family, gateway, had_pin ? &h->gateway_route : NULL,
					     host_oif_ours, &path);
	else
		err = host_route_get(family, gateway, &path);
	if (err) {
		char text[INET6_ADDRSTRLEN];

		inet_ntop(family, gateway, text, sizeof(text));
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(-err),
			    "there is no route to the gateway %s: %s", text, g_strerror(-err));
		return false;
	}
	path.prefix = family == AF_INET ? 32 : 128;
	path.type = HOST_ROUTE_UNICAST;
	if (had_pin && host_route_same(&path, &h->gateway_route)) {
		/* the same path: our pin stays, or comes back if it went with its address or
		 * device (it is in the journal already) */
		err = host_route_add(&h->gateway_route);
		if (err && err != -EEXIST) {
			host_route_error(error, "add", &h->gateway_route, err);
			return false;
		}
	} else {
		if (had_pin) {
			g_autofree char *old = host_route_to_string(&h->gateway_route);
			g_autofree char *now = host_route_to_string(&path);

			host_progress(h, "the path to the gateway changed: %s replaces %s", now, old);
			err = host_route_del(&h->gateway_route);
			if (err && err != -ESRCH)
				g_message("host: cannot remove the old route to the gateway: %s",
					  g_strerror(-err));
			h->gateway_route_ours = false;
		}
		h->gateway_route = path;
		err = host_add_journaled(h, &h->gateway_route, error);
		if (err && err != -EEXIST) {
			if (err != -EIO)
				host_route_error(error, "add", &h->gateway_route, err);
			return false;
		}
		h->gateway_route_ours = !err;
	}

	if (!h->dests->len && !host_plan_dests(h, error))
		return false;
	for (guint i = 0; i < h->dests->len; i++) {
		struct host_dest *d = &g_array_index(h->dests, struct host_dest, i);

		if (d->ours)
			continue; /* a reconnect: our blackhole is still there */
		err = host_add_journaled(h, &d->route, error);
		if (err == -EEXIST) {
			/* a route of the same prefix is there already: ours goes in front of it by
			 * replacing it would lose it; say so and leave it (rare: a /1 or the very
			 * network the profile names) */
			g_autofree char *text = host_route_to_string(&d->route);

			g_message("host: %s exists already; left as it is", text);
			continue;
		}
		if (err) {
			if (err != -EIO)
				host_route_error(error, "add", &d->route, err);
			return false;
		}
		d->ours = true;
	}
	return true;
}

static bool host_apply_dns(struct host *h, const struct host_facts *facts, GError **error);

bool host_add_routes(struct host *h, const struct host_facts *facts,
		     const struct host_route *routes, unsigned n, GError **error)
{
	for (unsigned i = 0; i < n; i++) {
		struct host_dest d = { .route = routes[i], .ours = true, .tunnel = true };
		struct host_route via = routes[i];
		bool known = false;
		int err;

		for (guint j = 0; j < h->dests->len && !known; j++) {
			const struct host_route *r = &g_array_index(h->dests, struct host_dest, j).route;

			known = r->family == via.family && r->prefix == via.prefix &&
				!memcmp(r->dst, via.dst, sizeof(r->dst));
		}
		if (known)
			continue;
		d.route.type = HOST_ROUTE_BLACKHOLE;
		d.route.oif = 0;
		d.route.has_gateway = false;
		via.type = HOST_ROUTE_UNICAST;
		via.oif = facts->ifindex;
		via.has_gateway = false; /* point to point: the peer is the next hop anyway */
		if (!host_journal_route(h, &via, error))
			return false;
		err = host_route_add(&via);
		if (err == -EEXIST) {
			host_unjournal_last_route(h);
			continue; /* someone routes it already: theirs stays theirs */
		}
		if (err) {
			host_route_error(error, "add", &via, err);
			return false;
		}
		/* from unapply on, blackholed like the rest until restore */
		if (!host_journal_route(h, &d.route, error))
			return false;
		g_array_append_val(h->dests, d);
	}
	return true;
}

bool host_update_dns(struct host *h, const struct host_facts *facts, GError **error)
{
	if (h->dns_applied) {
		if (!host_dns_revert(&h->dns_env, host_journal_data(h->journal), "dns", error))
			return false;
		g_key_file_remove_group(host_journal_data(h->journal), "dns", NULL);
		h->dns_applied = false;
	}
	return host_apply_dns(h, facts, error);
}

bool host_apply(struct host *h, const struct host_facts *facts, GError **error)
{
	int err;

	if (!h->journal && !(h->journal = host_journal_new(h->state_dir, error)))
		return false;
	for (guint i = 0; i < h->dests->len; i++) {
		struct host_dest *d = &g_array_index(h->dests, struct host_dest, i);
		struct host_route via = d->route;

		if (!d->ours || !d->tunnel)
			continue;
		via.type = HOST_ROUTE_UNICAST;
		via.oif = facts->ifindex;
		if (!host_journal_route(h, &via, error))
			return false;
		err = host_route_replace(&via);
		if (err) {
			host_route_error(error, "set", &via, err);
			return false;
		}
	}
	h->tun_ifindex = facts->ifindex;
	if (h->default_route)
		host_progress(h, "routes: everything through %s but IKE and ESP to the gateway%s",
			      facts->ifname, h->block_ipv6 ? "; IPv6 blocked while connected" : "");
	else if (h->routes && h->routes[0]) {
		g_autofree char *list = g_strjoinv(", ", h->routes);

		host_progress(h, "routes: %s through %s", list, facts->ifname);
	}

	/* DNS that cannot be set does not take the tunnel down: the user is told, and names
	 * resolve as the host's resolver says (what could be undone, was) */
	{
		g_autoptr(GError) dns_error = NULL;

		if (!host_apply_dns(h, facts, &dns_error))
			host_progress(h, "DNS: cannot use the gateway's servers: %s; the tunnel works, "
				      "but names resolve as before", dns_error->message);
	}
	return true;
}

static bool host_apply_dns(struct host *h, const struct host_facts *facts, GError **error)
{
	if (h->peer_dns && facts->dns && facts->dns[0] && !h->dns_applied) {
		struct host_dns_config cfg = {
			.ifname = facts->ifname,
			.ifindex = facts->ifindex,
			.servers = facts->dns,
			.domains = facts->domains,
			.full_tunnel = h->default_route,
		};

		h->dns_backend = host_dns_detect(&h->dns_env);
		if (!host_dns_plan(h->dns_backend, &h->dns_env, &cfg, host_journal_data(h->journal),
				   "dns", error) ||
		    !host_journal_sync(h->journal, error))
			return false;
		h->dns_applied = true; /* from here on, revert: the record says what to undo */
		if (!host_dns_apply(h->dns_backend, &h->dns_env, &cfg, error))
			return false;
		host_progress(h, "DNS through %s: %s%s%s%s%s", host_dns_backend_name(h->dns_backend),
			      facts->dns[0], facts->dns[1] ? ", " : "",
			      facts->dns[1] ? facts->dns[1] : "",
			      facts->domains && facts->domains[0] ? "; search " : "",
			      facts->domains && facts->domains[0] ? facts->domains[0] : "");
	}
	return true;
}

void host_unapply(struct host *h)
{
	if (h->dns_applied) {
		g_autoptr(GError) error = NULL;

		if (!host_dns_revert(&h->dns_env, host_journal_data(h->journal), "dns", &error))
			g_warning("DNS: %s", error->message);
		g_key_file_remove_group(host_journal_data(h->journal), "dns", NULL);
		host_journal_sync(h->journal, NULL);
		h->dns_applied = false;
	}
	if (!h->tun_ifindex)
		return;
	/* back to blackholes before the device goes: nothing leaks while the tunnel ends */
	for (guint i = 0; i < h->dests->len; i++) {
		struct host_dest *d = &g_array_index(h->dests, struct host_dest, i);
		int err;

		if (!d->ours || !d->tunnel)
			continue;
		err = host_route_replace(&d->route);
		if (err) {
			g_autofree char *text = host_route_to_string(&d->route);

			g_warning("host: cannot put back %s: %s", text, g_strerror(-err));
		}
	}
	h->tun_ifindex = 0;
}

/* Delete every route a journal lists, newest first; gone already is fine. */
static void host_delete_journal_routes(GKeyFile *data)
{
	g_auto(GStrv) keys = g_key_file_get_keys(data, "routes", NULL, NULL);
	guint n = keys ? g_strv_length(keys) : 0;

	while (n--) {
		g_autofree char *text = g_key_file_get_string(data, "routes", keys[n], NULL);
		struct host_route r;
		bool gone = false;
		int err;

		if (!text || !host_route_from_string(text, &r, &gone)) {
			g_warning("host: the journal's route '%s' is damaged; skipped", text ? text : "");
			continue;
		}
		if (gone)
			continue; /* its device went, and the route with it */
		err = host_route_del(&r);
		if (err && err != -ESRCH)
			g_warning("host: cannot remove %s: %s", text, g_strerror(-err));
	}
}

void host_restore(struct host *h)
{
	host_unapply(h);
	if (!h->journal)
		return;
	host_delete_journal_routes(host_journal_data(h->journal));
	host_journal_remove(h->journal);
	h->journal = host_journal_free(h->journal);
	h->n_journal_routes = 0;
	g_array_set_size(h->dests, 0);
}

struct host_stale {
	const struct host_env *env;
	struct host_dns_env dns;
	void (*progress)(void *user, const char *line);
	void *user;
};

static bool host_undo_stale(GKeyFile *data, const char *path, void *user)
{
	struct host_stale *s = user;
	g_autoptr(GError) error = NULL;
	g_autofree char *line = NULL;

	host_delete_journal_routes(data);
	if (g_key_file_has_group(data, "dns") && !host_dns_revert(&s->dns, data, "dns", &error))
		line = g_strdup_printf("restored the routes a stopped roadied left (%s), but not "
				       "DNS: %s", path, error->message);
	else
		line = g_strdup_printf("restored the routes and DNS a stopped roadied left (%s)",
				       path);
	if (s->progress)
		s->progress(s->user, line);
	return true;
}

unsigned host_restore_stale(const struct host_env *env,
			    void (*progress)(void *user, const char *line), void *user)
{
	struct host_stale s = { .env = env, .dns = env->dns, .progress = progress, .user = user };

	s.dns.backup_dir = env->state_dir;
	return host_journal_each_stale(env->state_dir, host_undo_stale, &s);
}

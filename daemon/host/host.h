/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What roadied changes on the host for one connection in standalone mode, in order, each
 * change journaled (host-journal.h) before it is made:
 *  1. guard, before the first IKE packet: a host route to the gateway through the path it
 *     has now (roadie's own IKE/ESP never enters the tunnel), and blackhole routes for
 *     everything the tunnel will carry (0.0.0.0/1 and 128.0.0.0/1 for the default route, or
 *     the profile's networks; in default-route mode also ::/1 and 8000::/1 so that IPv6
 *     cannot bypass a tunnel that carries none, and the resolvers the host uses now), so
 *     nothing meant for the tunnel leaves in the clear while it comes up;
 *  2. apply, once PPP is up: the same routes through the TUN device (replacing the
 *     blackholes in place), and the gateway's DNS (host-dns.h);
 *  3. unapply, as the tunnel goes down: back to the blackholes, DNS reverted;
 *  4. restore: every route removed, the journal deleted.
 * After a crash, host_restore_stale() (roadied --restore, and every start) undoes what a
 * dead roadied's journal lists. In NetworkManager mode (or --no-configure) none of this
 * runs: the facts go to whoever configures the host.
 */
#pragma once

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include <gio/gio.h>

#include "host/host-dns.h"
#include "host/host-route.h"
#include "profile.h"

struct host;

struct host_env {
	const char *state_dir;     /* the journals: /var/lib/roadie (survives a power loss) */
	struct host_dns_env dns;   /* dns.backup_dir is set to state_dir by host_new */
	/* Optional: a line for the user about what changed ("DNS through systemd-resolved"). */
	void (*progress)(void *user, const char *line);
	void *user;
};

/* What the tunnel brought, for host_apply() and for front ends (NM mode, --no-configure). */
struct host_facts {
	const char *ifname;
	unsigned ifindex;
	struct in_addr local;
	struct in_addr peer;
	unsigned prefix;           /* 32: PPP is point to point */
	unsigned mtu;
	const char *const *dns;    /* NULL-terminated text addresses; may be empty */
	const char *const *domains;
	const char *const *routes; /* "0.0.0.0/0" in default-route mode, else the networks */
};

struct host *host_new(const struct host_env *env, const RoadieProfile *profile);
struct host *host_free(struct host *h);
/* Step 1, for a gateway at @family/@gateway (4 or 16 bytes). Errors are sentences. */
bool host_guard(struct host *h, int family, const uint8_t *gateway, GError **error);
/* Step 2. */
bool host_apply(struct host *h, const struct host_facts *facts, GError **error);
/* Later in step 2: networks the gateway pushed after the tunnel came up (DHCPINFORM's
 * classless static routes) go through the device as well, and are guarded like the others
 * from unapply on. */
bool host_add_routes(struct host *h, const struct host_facts *facts,
		     const struct host_route *routes, unsigned n, GError **error);
/* Later in step 2: the DNS again, now with @facts->domains (DHCPINFORM's DNS suffix). */
bool host_update_dns(struct host *h, const struct host_facts *facts, GError **error);
/* Step 3: never fails; what could not be undone is logged. */
void host_unapply(struct host *h);
/* Step 4: after unapply (it unapplies first if needed). */
void host_restore(struct host *h);

/* Undo the journals of roadieds that are no longer running, in this network namespace.
 * Returns how many were undone; @progress (may be NULL) gets a sentence for each. */
unsigned host_restore_stale(const struct host_env *env,
			    void (*progress)(void *user, const char *line), void *user);

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DNS on the host while the tunnel is up, through whichever manager owns it:
 *  - systemd-resolved, over the system D-Bus (org.freedesktop.resolve1.Manager: SetLinkDNS,
 *    SetLinkDomains, SetLinkDefaultRoute, RevertLink): per-link servers; in full-tunnel mode
 *    the link gets the "~." routing domain and the default-route flag, so no query leaks
 *    to the other links' servers;
 *  - resolvconf / openresolv, when /etc/resolv.conf is theirs: `resolvconf -a IFNAME.roadie`
 *    with the lines on standard input (with -x, exclusive, in full-tunnel mode where
 *    openresolv has it), `resolvconf -d IFNAME.roadie` to undo;
 *  - else /etc/resolv.conf itself, rewritten in place (it may be a bind mount, as in
 *    `ip netns exec`: never renamed over) after a backup of its exact bytes.
 * Every change is described first in a record (a GKeyFile group) that the caller journals
 * before host_dns_apply() runs, so host_dns_revert() can undo it after a crash, in a fresh
 * process, from the record alone.
 */
#pragma once

#include <stdbool.h>

#include <gio/gio.h>

enum host_dns_backend {
	HOST_DNS_RESOLVED,
	HOST_DNS_RESOLVCONF,
	HOST_DNS_FILE,
};

struct host_dns_config {
	const char *ifname;       /* the tunnel device, "roadie0" */
	unsigned ifindex;
	const char *const *servers; /* NULL-terminated, IPv4 or IPv6 text ("192.0.2.53") */
	const char *const *domains; /* NULL-terminated search domains, or NULL */
	bool full_tunnel;         /* all DNS through the tunnel (the tunnel has the default route) */
};

/* Where resolv.conf lives and how to reach resolved: the seams tests use. */
struct host_dns_env {
	GDBusConnection *system_bus; /* NULL: no resolved (tests, or no system bus) */
	const char *resolv_conf;     /* NULL: "/etc/resolv.conf" */
	const char *resolvconf_bin;  /* NULL: look for resolvconf in /usr/sbin and /sbin */
	const char *backup_dir;      /* where the file backend keeps its backup (the state dir) */
};

/* Which manager owns DNS here: resolved when org.freedesktop.resolve1 has an owner on
 * @env->system_bus; resolvconf when its program exists and resolv.conf is a symlink into
 * /run/resolvconf or /etc/resolvconf (or /run/resolvconf/interface exists); else the file. */
enum host_dns_backend host_dns_detect(const struct host_dns_env *env);
const char *host_dns_backend_name(enum host_dns_backend backend); /* "systemd-resolved", ... */

/* Step 1: what apply will change, into @record (group @group of a key file the caller then
 * writes to disk): the backend, the device, and for the file backend the backup's path.
 * The file backend takes its backup here (before anything changes). */
bool host_dns_plan(enum host_dns_backend backend, const struct host_dns_env *env,
		   const struct host_dns_config *config, GKeyFile *record, const char *group,
		   GError **error);
/* Step 2: apply it. Errors are sentences ("systemd-resolved refused the DNS servers for
 * roadie0: ..."); on failure nothing stays changed that the record cannot undo. */
bool host_dns_apply(enum host_dns_backend backend, const struct host_dns_env *env,
		    const struct host_dns_config *config, GError **error);
/* Undo from the record alone (the same process, or a later one after a crash): resolved
 * RevertLink (a device that is gone is no error), resolvconf -d, or the backup's bytes back
 * into resolv.conf when it still holds what roadie wrote (someone else's later change is
 * left alone, and said so in @error with the backup's path). Then the backup is removed. */
bool host_dns_revert(const struct host_dns_env *env, GKeyFile *record, const char *group,
		     GError **error);

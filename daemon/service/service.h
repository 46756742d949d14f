/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * roadied on the system bus: org.roadie.Daemon1 at /org/roadie/Daemon1 (Connect), one
 * org.roadie.Connection1 object per connection below it, announced through the
 * ObjectManager (data/dbus/ has the contract and its documentation). Every method call is
 * authorised with polkit (service-polkit.h): org.roadie.connect to connect and to
 * disconnect one's own connections (by uid, so a restarted applet keeps control),
 * org.roadie.manage for anyone else's. Settings and secrets arrive as arguments, are
 * checked as hostile input, and live only as long as the connection; the daemon opens no
 * file a caller names. Sessions (session.h) do the work; this file translates.
 */
#pragma once

#include <stdbool.h>
#include <gio/gio.h>

#include "host/host.h"

struct service;

struct service_config {
	GDBusConnection *bus;
	const struct host_env *host_env;  /* for sessions that configure the host */
	unsigned idle_exit_s;             /* 0: never; else quit after that long without
					   * connections */
	unsigned linger_ms;               /* how long an ended connection's object stays (5000) */
	/* The daemon was idle long enough, or (@failed) the name could not be owned or was
	 * lost. */
	void (*quit)(void *user, const char *why, bool failed);
	void *user;
};

/* Exports the objects and asks for org.roadie.Daemon. NULL and @error if it cannot. */
struct service *service_new(const struct service_config *config, GError **error);
/* Disconnects every connection (DELETE, StopCCN, LCP Terminate, the host restored),
 * releases the name and frees. Accepts NULL. */
struct service *service_free(struct service *svc);
/* Resume from suspend or a change of the local network: sessions with auto-reconnect start
 * over at once. */
void service_kick(struct service *svc, const char *why);

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who is calling, and may they: the caller's uid from the bus (GetConnectionUnixUser) and
 * polkit's answer for an action (org.freedesktop.PolicyKit1.Authority.CheckAuthorization,
 * with the caller as a system-bus-name subject), both asynchronous so that a password
 * prompt on the user's desktop does not stop the daemon. uid 0 is always allowed, without
 * asking polkit.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <gio/gio.h>

#define SERVICE_ACTION_CONNECT "org.roadie.connect"
#define SERVICE_ACTION_MANAGE "org.roadie.manage"

/* Step 1: the uid of @sender (a unique bus name). */
void service_caller_uid(GDBusConnection *bus, const char *sender, GCancellable *cancel,
			GAsyncReadyCallback callback, gpointer user);
bool service_caller_uid_finish(GAsyncResult *result, uint32_t *ret_uid, GError **error);

/* Step 2: may @sender (uid @uid) do @action? @interactive: the caller allowed an
 * authentication dialog (its message carried ALLOW_INTERACTIVE_AUTHORIZATION). */
void service_polkit_check(GDBusConnection *bus, const char *sender, uint32_t uid,
			  const char *action, bool interactive, GCancellable *cancel,
			  GAsyncReadyCallback callback, gpointer user);
/* TRUE if allowed; FALSE with @error set to a sentence: refused, or polkit unreachable. */
bool service_polkit_check_finish(GAsyncResult *result, GError **error);

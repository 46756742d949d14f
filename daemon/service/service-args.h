/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Connect's three arguments, from any local caller, checked as hostile input before
 * anything acts on them: no key that names a file (roadied opens no file a caller names:
 * it would be a confused deputy, and ProtectHome hides the user's files from it anyway),
 * the settings and secrets through the profile model's own checks (libroadie/profile.h),
 * a name, and only the options roadied knows, each a boolean. No sockets, no bus: the fuzz
 * target (tests/fuzz/service) feeds it whatever bytes make up the three a{sv}.
 */
#pragma once

#include <stdbool.h>
#include <glib.h>

#include "profile.h"

struct service_options {
	bool configure_interface; /* default true */
	bool auto_reconnect;      /* default: the profile's auto-reconnect */
};

/*
 * The profile (secrets included), or NULL with @ret_error_name the D-Bus error's short
 * name ("InvalidSettings" or "InvalidSecrets", static) and @ret_message a sentence that
 * starts with the key it is about ("connection.gateway: ...").
 */
RoadieProfile *service_args_parse(GVariant *settings, GVariant *secrets, GVariant *options,
				  struct service_options *ret_options, const char **ret_error_name,
				  char **ret_message);

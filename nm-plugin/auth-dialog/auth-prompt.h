/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The window: libnma's VPN password dialog (up to three password fields, as in the other
 * VPN plugins, so that it looks like every other VPN prompt on the desktop).
 */
#pragma once

#include <stdbool.h>

#include "auth-plan.h"

/* How many secrets the dialog can ask for at once. */
#define AUTH_PROMPT_MAX_FIELDS 3

/*
 * Asks for the secrets of @plan marked ask, prefilled with their values, and stores what the
 * user typed into them (an empty field: no value). Returns false when the user cancelled;
 * @plan is then unchanged. gtk_init() must have been called.
 */
bool auth_prompt_run(AuthPlan *plan, const char *connection_name);

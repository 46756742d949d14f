/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "nm-roadie-failure.h"

NmRoadieState nm_roadie_state(const char *state)
{
	static const char *const starting[] = {
		"resolving", "ike-phase1", "ike-phase2", "l2tp", "ppp-link", "ppp-auth",
		"ppp-network", "configuring",
	};

	if (!state)
		return NM_ROADIE_STATE_UNKNOWN;
	for (size_t i = 0; i < G_N_ELEMENTS(starting); i++)
		if (strcmp(state, starting[i]) == 0)
			return NM_ROADIE_STATE_STARTING;
	if (strcmp(state, "connected") == 0)
		return NM_ROADIE_STATE_UP;
	if (strcmp(state, "reconnecting") == 0)
		return NM_ROADIE_STATE_RETRYING;
	if (strcmp(state, "disconnecting") == 0)
		return NM_ROADIE_STATE_ENDING;
	if (strcmp(state, "disconnected") == 0)
		return NM_ROADIE_STATE_ENDED;
	if (strcmp(state, "failed") == 0)
		return NM_ROADIE_STATE_FAILED;
	return NM_ROADIE_STATE_UNKNOWN;
}

NMVpnPluginFailure nm_roadie_failure(const char *reason_code)
{
	/* a secret or credential the gateway refused: the user must give another */
	static const char *const login[] = {
		"psk-rejected", "ppp-auth-failed", "l2tp-auth-failed", "certificate-rejected",
	};

	if (!reason_code)
		return NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED;
	for (size_t i = 0; i < G_N_ELEMENTS(login); i++)
		if (strcmp(reason_code, login[i]) == 0)
			return NM_VPN_PLUGIN_FAILURE_LOGIN_FAILED;
	if (strcmp(reason_code, "host-config") == 0)
		return NM_VPN_PLUGIN_FAILURE_BAD_IP_CONFIG;
	return NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED;
}

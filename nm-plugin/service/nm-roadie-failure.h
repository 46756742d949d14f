/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * roadied's states and reasons in NetworkManager's words: which of roadied's Connection1
 * states are the end, and which NMVpnPluginFailure a Reason code is (LOGIN_FAILED when a
 * secret or a credential was refused, so NetworkManager asks for it again next time).
 */
#pragma once

#include <stdbool.h>
#include <NetworkManager.h>

typedef enum {
	NM_ROADIE_STATE_STARTING, /* resolving ... configuring */
	NM_ROADIE_STATE_UP,       /* connected */
	NM_ROADIE_STATE_RETRYING, /* reconnecting: roadied brings it back by itself */
	NM_ROADIE_STATE_ENDING,   /* disconnecting */
	NM_ROADIE_STATE_ENDED,    /* disconnected */
	NM_ROADIE_STATE_FAILED,   /* failed: Reason says why */
	NM_ROADIE_STATE_UNKNOWN,  /* a state this service does not know: a newer roadied */
} NmRoadieState;

NmRoadieState nm_roadie_state(const char *state);
NMVpnPluginFailure nm_roadie_failure(const char *reason_code);

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which secrets to hand back and which to ask for: the decision of the auth dialog, apart
 * from any window, so that it can be reasoned about (and tested) in one place.
 *
 * The secrets are the key table's (libroadie/profile-keys.c), never a list of our own. For
 * each one the profile's methods want (roadie_profile_secret_wanted()), by its NetworkManager
 * flags ("<key>-flags" in vpn.data, NMSettingSecretFlags):
 *
 *   NOT_REQUIRED  the user said the secret is not used: neither asked nor returned
 *   NOT_SAVED     "ask every time": asked, whatever NetworkManager gave
 *   AGENT_OWNED   kept by the user's agent: when NetworkManager gave none, looked up in the
 *                 keyring the way NetworkManager's agents store it (auth-keyring.h)
 *   none          kept by NetworkManager: what it gave is used
 *
 * A secret is asked for when it is needed (roadie_profile_secret_needed(), or the private
 * key's password when the key file is encrypted) and none is known; on a reprompt (the last
 * ones failed) every needed or known one is asked again. When the VPN service sent hints
 * (the secrets it wants now), exactly the hinted ones are asked for.
 */
#pragma once

#include <stdbool.h>
#include <glib.h>

#include "profile.h"
#include "secret.h"

/* NMSettingSecretFlags, restated so that this file needs no libnm. */
enum {
	AUTH_FLAG_AGENT_OWNED = 1 << 0,
	AUTH_FLAG_NOT_SAVED = 1 << 1,
	AUTH_FLAG_NOT_REQUIRED = 1 << 2,
};

/* The hint prefix that carries a message for the user rather than a key (NetworkManager). */
#define AUTH_PLAN_MESSAGE_HINT "x-vpn-message:"

typedef struct {
	const RoadieProfileKey *key; /* a secret of the key table, with its NetworkManager name */
	RoadieSecret *value;         /* NULL: none known */
	bool ask;                    /* to be shown to the user (prefilled with @value) */
} AuthPlanSecret;

typedef struct {
	AuthPlanSecret *secrets; /* in key-table order */
	size_t n_secrets;
	char *message;   /* the service's words for the user (a hint), or NULL */
	bool any_ask;
} AuthPlan;

/* Looks one secret up (the keyring); NULL: none. @nm_key is the key's NetworkManager name. */
typedef RoadieSecret *(*AuthPlanLookupFunc)(const char *nm_key, void *user_data);

typedef struct {
	bool reprompt;
	const char *const *hints; /* NULL-terminated, or NULL */
	/* whether the profile's private key file is encrypted (auth_plan_key_is_encrypted()) */
	bool key_encrypted;
	AuthPlanLookupFunc lookup; /* NULL: no keyring */
	void *lookup_data;
} AuthPlanOptions;

/*
 * Plans for @profile with NetworkManager's @data (for the flags) and the @secrets it gave
 * (string to string). Unknown hints are reported on standard error and ignored. Never fails.
 */
AuthPlan *auth_plan_new(const RoadieProfile *profile, GHashTable *data, GHashTable *secrets,
			const AuthPlanOptions *options);
/* Wipes the values; accepts NULL; returns NULL. */
AuthPlan *auth_plan_free(AuthPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AuthPlan, auth_plan_free)

/* The secret flags of @nm_key in @data; 0 when absent or not a number. */
unsigned auth_plan_secret_flags(GHashTable *data, const char *nm_key);

/*
 * Whether @profile (auth=cert) names a private key that opens only with a password: the
 * certificate and key files are read with the user's rights and tried without one. False
 * when they cannot be read (the service will say why).
 */
bool auth_plan_key_is_encrypted(const RoadieProfile *profile);

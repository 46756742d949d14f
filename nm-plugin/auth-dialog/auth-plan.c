/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which secrets to return and which to ask for (auth-plan.h).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <glib/gi18n.h>

#include "profile.h"
#include "profile-certs.h"
#include "x509-cred.h"

#include "auth-plan.h"

/* The table's secrets NetworkManager carries in vpn.secrets (not the file contents). */
static bool plan_is_nm_secret(const RoadieProfileKey *key)
{
	return key->nm && key->type == ROADIE_KEY_SECRET;
}

static bool plan_is_key_password(const RoadieProfileKey *key)
{
	return key->offset == offsetof(RoadieProfile, private_key_password);
}

unsigned auth_plan_secret_flags(GHashTable *data, const char *nm_key)
{
	g_autofree char *name = g_strconcat(nm_key, "-flags", NULL);
	const char *text = data ? g_hash_table_lookup(data, name) : NULL;
	guint64 flags;

	if (!text || !g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT32, &flags, NULL))
		return 0;
	return (unsigned)flags;
}

/* A hint names a key of vpn.secrets; accept "vpn.secrets.KEY" and "vpn.KEY" too. */
static const RoadieProfileKey *plan_hint_key(const char *hint)
{
	const RoadieProfileKey *key;

	if (g_str_has_prefix(hint, "vpn.secrets."))
		hint += strlen("vpn.secrets.");
	else if (g_str_has_prefix(hint, "vpn."))
		hint += strlen("vpn.");
	key = roadie_profile_key_by_nm(hint);
	return key && plan_is_nm_secret(key) ? key : NULL;
}

static bool plan_hinted(const char *const *hints, const RoadieProfileKey *key)
{
	for (size_t i = 0; hints && hints[i]; i++)
		if (plan_hint_key(hints[i]) == key)
			return true;
	return false;
}

/* Whether the hints name at least one of our secrets (else they are no request of ours). */
static bool plan_hints_usable(const char *const *hints)
{
	bool usable = false;

	for (size_t i = 0; hints && hints[i]; i++) {
		if (g_str_has_prefix(hints[i], AUTH_PLAN_MESSAGE_HINT))
			continue;
		if (plan_hint_key(hints[i]))
			usable = true;
		else if (g_utf8_validate(hints[i], -1, NULL) && strlen(hints[i]) < 64)
			fprintf(stderr, _("nm-roadie-auth-dialog: ignoring the hint “%s”: "
					  "it is no secret of a roadie connection\n"),
				hints[i]);
		else
			fprintf(stderr, _("nm-roadie-auth-dialog: ignoring a hint that is no "
					  "secret of a roadie connection\n"));
	}
	return usable;
}

/* What NetworkManager gave, when it can go back on our one-line-per-value answer. */
static RoadieSecret *plan_given(GHashTable *secrets, const RoadieProfileKey *key)
{
	const char *value = secrets ? g_hash_table_lookup(secrets, key->nm) : NULL;

	if (!value || !*value)
		return NULL;
	if (!g_utf8_validate(value, -1, NULL) || strchr(value, '\n')) {
		fprintf(stderr,
			_("nm-roadie-auth-dialog: ignoring the given %s: "
			  "it is not one line of UTF-8 text\n"),
			key->nm);
		return NULL;
	}
	return roadie_secret_new(value);
}

static void plan_decide(AuthPlanSecret *entry, const RoadieProfile *profile, GHashTable *data,
			GHashTable *secrets, const AuthPlanOptions *options, bool use_hints)
{
	const RoadieProfileKey *key = entry->key;
	unsigned flags = auth_plan_secret_flags(data, key->nm);
	bool needed;

	if (use_hints) {
		/* the service says what it lacks: ask for exactly that, prefilled if known */
		if (!plan_hinted(options->hints, key))
			return;
		entry->ask = true;
		if (!(flags & AUTH_FLAG_NOT_SAVED))
			entry->value = plan_given(secrets, key);
		return;
	}
	if (!roadie_profile_secret_wanted(profile, key) || (flags & AUTH_FLAG_NOT_REQUIRED))
		return;
	if (flags & AUTH_FLAG_NOT_SAVED) {
		entry->ask = true;
		return;
	}
	entry->value = plan_given(secrets, key);
	if (!entry->value && (flags & AUTH_FLAG_AGENT_OWNED) && options->lookup)
		entry->value = options->lookup(key->nm, options->lookup_data);
	needed = roadie_profile_secret_needed(profile, key) ||
		 (plan_is_key_password(key) && options->key_encrypted);
	entry->ask = (needed && !entry->value) ||
		     (options->reprompt && (needed || entry->value));
}

AuthPlan *auth_plan_new(const RoadieProfile *profile, GHashTable *data, GHashTable *secrets,
			const AuthPlanOptions *options)
{
	AuthPlan *plan = g_new0(AuthPlan, 1);
	size_t n_keys;
	const RoadieProfileKey *keys = roadie_profile_keys(&n_keys);
	bool use_hints = plan_hints_usable(options->hints);

	for (size_t i = 0; options->hints && options->hints[i]; i++)
		if (!plan->message && g_str_has_prefix(options->hints[i], AUTH_PLAN_MESSAGE_HINT) &&
		    g_utf8_validate(options->hints[i], -1, NULL))
			plan->message =
				g_strdup(options->hints[i] + strlen(AUTH_PLAN_MESSAGE_HINT));

	plan->secrets = g_new0(AuthPlanSecret, n_keys);
	for (size_t i = 0; i < n_keys; i++) {
		AuthPlanSecret entry = { .key = &keys[i] };

		if (!plan_is_nm_secret(&keys[i]))
			continue;
		plan_decide(&entry, profile, data, secrets, options, use_hints);
		if (!entry.ask && !entry.value)
			continue;
		plan->any_ask |= entry.ask;
		plan->secrets[plan->n_secrets++] = entry;
	}
	return plan;
}

AuthPlan *auth_plan_free(AuthPlan *plan)
{
	if (!plan)
		return NULL;
	for (size_t i = 0; i < plan->n_secrets; i++)
		roadie_secret_free(plan->secrets[i].value);
	g_free(plan->secrets);
	g_free(plan->message);
	g_free(plan);
	return NULL;
}

bool auth_plan_key_is_encrypted(const RoadieProfile *profile)
{
	g_autoptr(RoadieProfile) copy = roadie_profile_copy(profile);
	g_autoptr(GError) error = NULL;

	/* loaded without a password, the files tell whether the key is locked */
	copy->private_key_password = roadie_secret_free(copy->private_key_password);
	return !roadie_profile_load_cert_files(copy, &error) &&
	       g_error_matches(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_PASSWORD_NEEDED);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The answers on standard output (auth-output.h).
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gi18n.h>

#include "secret.h"

#include "auth-output.h"

/* Labels by the profile's field, so that no key name is restated here (profile-keys.c
 * has them); a secret added to the table later gets its help text until it has a row. */
static const struct {
	size_t offset;
	const char *label;
} output_labels[] = {
	{ offsetof(RoadieProfile, password), N_("_Password:") },
	{ offsetof(RoadieProfile, psk), N_("Pre-_shared key:") },
	{ offsetof(RoadieProfile, private_key_password), N_("Private _key password:") },
	{ offsetof(RoadieProfile, l2tp_secret), N_("L2TP _tunnel secret:") },
};

const char *auth_output_label(const RoadieProfileKey *key)
{
	for (size_t i = 0; i < G_N_ELEMENTS(output_labels); i++)
		if (output_labels[i].offset == key->offset)
			return _(output_labels[i].label);
	return key->help;
}

char *auth_output_label_plain(const RoadieProfileKey *key)
{
	const char *label = auth_output_label(key);
	GString *plain = g_string_sized_new(strlen(label));

	for (const char *p = label; *p; p++)
		if (*p != '_')
			g_string_append_c(plain, *p);
	while (plain->len > 0 && (plain->str[plain->len - 1] == ':' ||
				  plain->str[plain->len - 1] == ' '))
		g_string_truncate(plain, plain->len - 1);
	return g_string_free(plain, FALSE);
}

char *auth_output_title(const char *connection_name)
{
	return g_strdup_printf(_("Authenticate VPN %s"), connection_name);
}

char *auth_output_message(const AuthPlan *plan, const char *connection_name)
{
	if (plan->message && *plan->message)
		return g_strdup(plan->message);
	return g_strdup_printf(
		_("You need to authenticate to access the Virtual Private Network “%s”."),
		connection_name);
}

/* All of @len bytes, or false. */
static bool output_write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		data += n;
		len -= (size_t)n;
	}
	return true;
}

/* Writes @text and wipes it, freeing the GString. */
static bool output_write_wiped(int fd, GString *text)
{
	bool ok = output_write_all(fd, text->str, text->len);

	roadie_wipe(text->str, text->allocated_len);
	g_string_free(text, TRUE);
	return ok;
}

bool auth_output_secrets(int fd, const AuthPlan *plan)
{
	GString *text = g_string_sized_new(256);

	for (size_t i = 0; i < plan->n_secrets; i++) {
		const RoadieSecret *value = plan->secrets[i].value;

		if (!value)
			continue;
		g_string_append(text, plan->secrets[i].key->nm);
		g_string_append_c(text, '\n');
		g_string_append(text, roadie_secret_peek(value));
		g_string_append_c(text, '\n');
	}
	g_string_append(text, "\n\n");
	return output_write_wiped(fd, text);
}

bool auth_output_external_ui(int fd, const AuthPlan *plan, const char *connection_name,
			     bool allow_interaction)
{
	g_autoptr(GKeyFile) keyfile = g_key_file_new();
	g_autofree char *title = auth_output_title(connection_name);
	g_autofree char *message = auth_output_message(plan, connection_name);
	char *data;
	gsize len;
	bool ok;

	g_key_file_set_integer(keyfile, "VPN Plugin UI", "Version", 2);
	g_key_file_set_string(keyfile, "VPN Plugin UI", "Description", message);
	g_key_file_set_string(keyfile, "VPN Plugin UI", "Title", title);
	for (size_t i = 0; i < plan->n_secrets; i++) {
		const AuthPlanSecret *entry = &plan->secrets[i];
		g_autofree char *label = auth_output_label_plain(entry->key);

		g_key_file_set_string(keyfile, entry->key->nm, "Value",
				      entry->value ? roadie_secret_peek(entry->value) : "");
		g_key_file_set_string(keyfile, entry->key->nm, "Label", label);
		g_key_file_set_boolean(keyfile, entry->key->nm, "IsSecret", TRUE);
		g_key_file_set_boolean(keyfile, entry->key->nm, "ShouldAsk",
				       entry->ask && allow_interaction);
	}
	data = g_key_file_to_data(keyfile, &len, NULL);
	ok = output_write_all(fd, data, len);
	roadie_wipe(data, len);
	g_free(data);
	return ok;
}

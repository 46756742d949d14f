/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The file is untrusted: it is read once, through one size-capped read, and handed to
 * libroadie's loaders, which check UTF-8, duplicates, unknown keys, types and ranges. What
 * kind of file it is comes from its content: NetworkManager's keyfile form and the
 * NetworkManager-l2tp plugin's export both have a [vpn] group, which a roadie profile never has.
 *
 * The resulting connection carries the profile in vpn.data and vpn.secrets. Of NM's own IP
 * settings only ipv4.never-default (and ipv6's, with ipv6=yes) mirrors the profile, because NM
 * itself acts on it (a default route through the VPN). The routes stay in vpn.data only:
 * roadie applies them, and a copy in ipv4.routes would be a second list that the editor does
 * not keep in step.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>

#include "nm-l2tp-import.h"
#include "nm-roadie-config.h"
#include "profile.h"
#include "secret.h"

#include "roadie-import.h"
#include "roadie-nm-setting.h"

/* Reads at most ROADIE_IMPORT_MAX_FILE bytes of a regular file; NUL-terminated (g_free, after
 * roadie_wipe: it may hold secrets). */
static char *import_read(const char *path, size_t *ret_len, GError **error)
{
	g_autofree char *name = g_filename_display_name(path);
	char *data = NULL;
	size_t len = 0;
	struct stat st;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		saved = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
			    _("cannot read %s: %s"), name, g_strerror(saved));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			    _("cannot read %s: not a regular file"), name);
		goto fail;
	}
	if (st.st_size > ROADIE_IMPORT_MAX_FILE) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			    _("%s is too large (%lld bytes) to be a VPN connection"), name,
			    (long long)st.st_size);
		goto fail;
	}
	data = g_malloc(ROADIE_IMPORT_MAX_FILE + 2);
	/* the size may change after fstat: the cap holds for what is read, not what was seen */
	while (len < ROADIE_IMPORT_MAX_FILE + 1) {
		ssize_t n = read(fd, data + len, ROADIE_IMPORT_MAX_FILE + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
				    _("cannot read %s: %s"), name, g_strerror(saved));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > ROADIE_IMPORT_MAX_FILE) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			    _("%s is too large to be a VPN connection"), name);
		goto fail;
	}
	close(fd);
	data[len] = '\0';
	*ret_len = len;
	return data;
fail:
	if (data) {
		roadie_wipe(data, len);
		g_free(data);
	}
	close(fd);
	return NULL;
}

/* Whether a line of @data is the group header "[vpn]" (leading and trailing blanks allowed). */
static bool import_has_vpn_group(const char *data, size_t len)
{
	const char *p = data, *end = data + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = eol ? eol : end;

		while (p < line_end && (*p == ' ' || *p == '\t'))
			p++;
		while (line_end > p && g_ascii_isspace(line_end[-1]))
			line_end--;
		if (line_end - p == 5 && memcmp(p, "[vpn]", 5) == 0)
			return true;
		p = eol ? eol + 1 : end;
	}
	return false;
}

/* The file's base name without .conf, for connection.id when the file names none. */
static char *import_default_id(const char *path)
{
	g_autofree char *base = g_path_get_basename(path);
	g_autofree char *display = g_filename_display_name(base);
	size_t len = strlen(display);

	if (len > 5 && g_str_has_suffix(display, ".conf"))
		display[len - 5] = '\0';
	return g_steal_pointer(&display);
}

/* The profile model's message, prefixed with the file name and the line if it has one. */
static void import_set_error(GError **error, const char *path, GPtrArray *problems,
			     const GError *local)
{
	g_autofree char *name = g_filename_display_basename(path);
	const RoadieProblem *first = problems && problems->len > 0 ? problems->pdata[0] : NULL;

	g_autofree char *line = first ? g_strdup_printf("line %d", first->line) : NULL;

	/* problems with the file as a whole say their line themselves */
	if (first && first->line > 0 && !strstr(first->message, line))
		g_set_error(error, NM_CONNECTION_ERROR, NM_CONNECTION_ERROR_FAILED, "%s:%d: %s",
			    name, first->line, first->message);
	else
		g_set_error(error, NM_CONNECTION_ERROR, NM_CONNECTION_ERROR_FAILED, "%s: %s", name,
			    local ? local->message : _("not a VPN connection"));
}

static void import_add_data(gpointer key, gpointer value, gpointer user_data)
{
	nm_setting_vpn_add_data_item(user_data, key, value);
}

static void import_add_secret(gpointer key, gpointer value, gpointer user_data)
{
	nm_setting_vpn_add_secret(user_data, key, value);
}

/* The notes of an NetworkManager-l2tp import, kept in the connection's user data so that
 * `nmcli -f user connection show` still tells them; cut to what NMSettingUser takes. */
static void import_add_notes(NMConnection *connection, GPtrArray *notes)
{
	g_autoptr(GString) text = g_string_new(NULL);
	NMSettingUser *s_user;

	for (guint i = 0; i < notes->len; i++) {
		if (text->len)
			g_string_append_c(text, '\n');
		g_string_append(text, notes->pdata[i]);
	}
	while (text->len > 0 && !nm_setting_user_check_val(text->str, NULL)) {
		const char *cut = strrchr(text->str, '\n');

		g_string_truncate(text, cut ? (gsize)(cut - text->str) : 0);
	}
	if (text->len == 0)
		return;
	s_user = NM_SETTING_USER(nm_setting_user_new());
	nm_setting_user_set_data(s_user, ROADIE_IMPORT_NOTES_KEY, text->str, NULL);
	nm_connection_add_setting(connection, NM_SETTING(s_user));
}

static NMConnection *import_connection_new(const RoadieProfile *profile, const char *id)
{
	NMConnection *connection = nm_simple_connection_new();
	NMSettingConnection *s_con = NM_SETTING_CONNECTION(nm_setting_connection_new());
	NMSettingVpn *s_vpn = NM_SETTING_VPN(nm_setting_vpn_new());
	NMSetting *s_ip4 = nm_setting_ip4_config_new();
	NMSetting *s_ip6 = nm_setting_ip6_config_new();
	g_autoptr(GHashTable) data = roadie_profile_to_nm_data(profile);
	g_autoptr(GHashTable) secrets = roadie_profile_to_nm_secrets(profile);
	g_autofree char *uuid = nm_utils_uuid_generate();

	g_object_set(s_con, NM_SETTING_CONNECTION_ID, id, NM_SETTING_CONNECTION_UUID, uuid,
		     NM_SETTING_CONNECTION_TYPE, NM_SETTING_VPN_SETTING_NAME, NULL);
	g_object_set(s_vpn, NM_SETTING_VPN_SERVICE_TYPE, NM_ROADIE_SERVICE, NULL);
	g_hash_table_foreach(data, import_add_data, s_vpn);
	g_hash_table_foreach(secrets, import_add_secret, s_vpn);

	g_object_set(s_ip4, NM_SETTING_IP_CONFIG_METHOD, NM_SETTING_IP4_CONFIG_METHOD_AUTO,
		     NM_SETTING_IP_CONFIG_NEVER_DEFAULT, !profile->default_route, NULL);
	if (profile->ipv6)
		g_object_set(s_ip6, NM_SETTING_IP_CONFIG_METHOD, NM_SETTING_IP6_CONFIG_METHOD_AUTO,
			     NM_SETTING_IP_CONFIG_NEVER_DEFAULT, !profile->default_route, NULL);
	else
		g_object_set(s_ip6, NM_SETTING_IP_CONFIG_METHOD,
			     NM_SETTING_IP6_CONFIG_METHOD_IGNORE, NULL);

	nm_connection_add_setting(connection, NM_SETTING(s_con));
	nm_connection_add_setting(connection, NM_SETTING(s_vpn));
	nm_connection_add_setting(connection, s_ip4);
	nm_connection_add_setting(connection, s_ip6);
	return connection;
}

NMConnection *roadie_import_file(const char *path, GError **error)
{
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(GPtrArray) notes = NULL;
	g_autoptr(GError) local = NULL;
	g_autoptr(RoadieProfile) profile = NULL;
	g_autofree char *id = NULL;
	NMConnection *connection;
	size_t len = 0;
	char *data;

	data = import_read(path, &len, error);
	if (!data)
		return NULL;
	if (import_has_vpn_group(data, len))
		profile = roadie_nm_l2tp_import(data, len, &notes, &local);
	else
		profile = roadie_profile_load_data(data, len, ROADIE_CHECK_DEFAULT, &problems,
						   &local);
	roadie_wipe(data, len);
	g_free(data);
	if (!profile) {
		import_set_error(error, path, problems, local);
		return NULL;
	}

	id = profile->name && *profile->name ? g_strdup(profile->name) : import_default_id(path);
	connection = import_connection_new(profile, id);
	if (notes && notes->len > 0) {
		g_autofree char *name = g_filename_display_basename(path);

		/* nmcli loads the plugin in its own process: these reach its standard error */
		for (guint i = 0; i < notes->len; i++)
			g_message("%s: %s", name, (const char *)notes->pdata[i]);
		import_add_notes(connection, notes);
	}
	return connection;
}

bool roadie_import_export_file(NMConnection *connection, const char *path, GError **error)
{
	g_autoptr(RoadieProfile) profile = NULL;
	g_autoptr(GError) local = NULL;

	/* the secrets stay with NetworkManager: an exported file is shared more easily */
	profile = roadie_nm_setting_profile(connection, false, NULL, error);
	if (!profile)
		return false;
	if (!roadie_profile_save_file(profile, path, false, &local)) {
		g_set_error_literal(error, NM_CONNECTION_ERROR, NM_CONNECTION_ERROR_FAILED,
				    local->message);
		return false;
	}
	return true;
}

char *roadie_import_suggested_name(NMConnection *connection)
{
	const char *id = connection ? nm_connection_get_id(connection) : NULL;
	GString *name = g_string_new(NULL);

	/* letters, digits, '-', '_', '.', ' ' survive; a leading '.' would hide the file */
	for (const char *p = id; p && *p && name->len < 200; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char_validated(p, -1);

		if (c == (gunichar)-1 || c == (gunichar)-2)
			break;
		if (g_unichar_isalnum(c) || c == '-' || c == '_' || (c == '.' && name->len > 0) ||
		    (c == ' ' && name->len > 0))
			g_string_append_unichar(name, c);
		else
			g_string_append_c(name, '_');
	}
	while (name->len > 0 && name->str[name->len - 1] == ' ')
		g_string_truncate(name, name->len - 1);
	if (name->len == 0)
		g_string_append(name, "roadie");
	g_string_append(name, ".conf");
	return g_string_free(name, FALSE);
}

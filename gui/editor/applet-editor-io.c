/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gi18n.h>

#include "nm-l2tp-import.h"
#include "profile-dirs.h"
#include "secret.h"

#include "applet-editor-io.h"

/* The file's bytes, at most ROADIE_APPLET_IMPORT_MAX: a larger one is refused, not cut. */
static char *io_read(const char *path, size_t *ret_len, GError **error)
{
	g_autoptr(GFile) file = g_file_new_for_path(path);
	g_autoptr(GFileInputStream) stream = g_file_read(file, NULL, error);
	g_autofree char *data = NULL;
	gsize len = 0;

	if (!stream)
		return NULL;
	/* one byte more than allowed tells a file that is too long */
	data = g_malloc(ROADIE_APPLET_IMPORT_MAX + 2);
	if (!g_input_stream_read_all(G_INPUT_STREAM(stream), data, ROADIE_APPLET_IMPORT_MAX + 1,
				     &len, NULL, error)) {
		roadie_wipe(data, ROADIE_APPLET_IMPORT_MAX + 2);
		return NULL;
	}
	if (len > ROADIE_APPLET_IMPORT_MAX) {
		g_autofree char *name = g_filename_display_basename(path);

		roadie_wipe(data, ROADIE_APPLET_IMPORT_MAX + 2);
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			    _("%s is too large for a profile (more than %d KiB)"), name,
			    ROADIE_APPLET_IMPORT_MAX / 1024);
		return NULL;
	}
	data[len] = '\0';
	*ret_len = len;
	return g_steal_pointer(&data);
}

/* NetworkManager's keyfile and the NM-l2tp plugin's export both have a [vpn] group; a roadie
 * profile never has one. */
static bool io_is_nm(const char *data, size_t len)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();

	if (!g_key_file_load_from_data(kf, data, len, G_KEY_FILE_NONE, NULL))
		return false;
	return g_key_file_has_group(kf, "vpn");
}

RoadieProfile *roadie_applet_editor_import(const char *path, GPtrArray **ret_notes,
					   GError **error)
{
	g_autoptr(GPtrArray) notes = NULL;
	RoadieProfile *profile;
	size_t len = 0;
	char *data = io_read(path, &len, error);

	if (!data)
		return NULL;
	if (io_is_nm(data, len))
		profile = roadie_nm_l2tp_import(data, len, &notes, error);
	else
		profile = roadie_profile_load_data(data, len, ROADIE_CHECK_DEFAULT, NULL, error);
	/* either form may hold secrets: wipe our copy of the text */
	roadie_wipe(data, len);
	g_free(data);
	if (profile && ret_notes)
		*ret_notes = notes ? g_steal_pointer(&notes)
				   : g_ptr_array_new_with_free_func(g_free);
	return profile;
}

char *roadie_applet_editor_import_name(const char *path, const RoadieProfile *profile)
{
	g_autofree char *base = g_path_get_basename(path);
	char *dot;

	if (profile->name && roadie_profile_name_valid(profile->name))
		return g_strdup(profile->name);
	dot = strrchr(base, '.');
	if (dot && dot != base)
		*dot = '\0';
	if (roadie_profile_name_valid(base))
		return g_steal_pointer(&base);
	return g_strdup("imported");
}

bool roadie_applet_editor_export(const char *source, const char *dest, GError **error)
{
	g_autoptr(RoadieProfile) profile =
		roadie_profile_load_file(source, ROADIE_CHECK_DEFAULT, NULL, error);

	if (!profile)
		return false;
	return roadie_profile_save_file(profile, dest, false, error);
}

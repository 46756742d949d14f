/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>
#include <glib.h>

#include "profile-dirs.h"

char *roadie_profile_dir_user(void)
{
	return g_build_filename(g_get_user_config_dir(), "roadie", "profiles", NULL);
}

char *roadie_profile_dir_system(void)
{
	const char *sysconfdir = g_getenv("ROADIE_SYSCONFDIR");

	return g_build_filename(sysconfdir && *sysconfdir ? sysconfdir : ROADIE_DEFAULT_SYSCONFDIR,
				"roadie", "profiles", NULL);
}

bool roadie_profile_name_valid(const char *name)
{
	size_t len = name ? strlen(name) : 0;

	if (len == 0 || len > 100 || name[0] == '.' || name[0] == '-')
		return false;
	for (size_t i = 0; i < len; i++)
		if (!g_ascii_isalnum(name[i]) && !strchr("._-+@", name[i]))
			return false;
	return true;
}

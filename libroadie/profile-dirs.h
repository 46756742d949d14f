/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where profiles live, as every front end finds them: the user's in
 * $XDG_CONFIG_HOME/roadie/profiles, the system's in $ROADIE_SYSCONFDIR/roadie/profiles
 * (default: the build's sysconfdir, /etc for prefix /usr, as the units say). A profile's
 * name is its file's name without ".conf"; a user profile hides a system one of that name.
 */
#pragma once

#include <stdbool.h>

/* g_free() the results */
char *roadie_profile_dir_user(void);
char *roadie_profile_dir_system(void);

/* A name becomes a file name: nothing that could leave the directory or hide the file
 * (1-100 of [A-Za-z0-9._-+@], not starting with '.' or '-'). */
bool roadie_profile_name_valid(const char *name);

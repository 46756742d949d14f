/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The profiles the menu lists: *.conf in the user's directory (~/.config/roadie/profiles)
 * and the system's (/etc/roadie/profiles), as roadiectl finds them: a user profile hides a
 * system profile of the same name. Each file is loaded with libroadie's checks; one that
 * does not pass is listed with its first problem, not hidden, so the user learns why it
 * cannot connect. Both directories are watched (GFileMonitor) and reloaded on a change.
 */
#pragma once

#include <stdbool.h>
#include <glib.h>

typedef struct {
	char *id;      /* the file name without .conf: what connect() and the keyring take */
	char *path;
	bool system;   /* from the system directory */
	char *name;    /* [connection] name, else id: what roadied's Profile property says */
	char *gateway; /* as the file says, also for an invalid profile; NULL if none */
	char *problem; /* NULL: valid; else the loader's first message ("connection.gateway: ...") */
	int problem_line; /* its line in the file, 0 if none */
} RoadieAppletProfile;

typedef struct RoadieAppletProfiles RoadieAppletProfiles;

/* Called (from the main context) after a reload that changed the list. */
typedef void (*RoadieAppletProfilesChanged)(gpointer user_data);


/* Loads both directories now (either may be missing) and watches them. */
RoadieAppletProfiles *roadie_applet_profiles_new(const char *user_dir, const char *system_dir,
						 RoadieAppletProfilesChanged changed,
						 gpointer user_data);
/* Accepts NULL; returns NULL. */
RoadieAppletProfiles *roadie_applet_profiles_free(RoadieAppletProfiles *profiles);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RoadieAppletProfiles, roadie_applet_profiles_free)

/* Reads both directories again; true (and the callback) if anything changed. */
bool roadie_applet_profiles_reload(RoadieAppletProfiles *profiles);
/* RoadieAppletProfile *, sorted by id; valid until the next reload. */
GPtrArray *roadie_applet_profiles_list(RoadieAppletProfiles *profiles);
const RoadieAppletProfile *roadie_applet_profiles_find(RoadieAppletProfiles *profiles,
						       const char *id);
/* The profile a connection's Profile property belongs to: the one whose name or id it is. */
const RoadieAppletProfile *roadie_applet_profiles_match(RoadieAppletProfiles *profiles,
							const char *connection_profile);

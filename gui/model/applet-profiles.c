/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>
#include <glib.h>
#include <gio/gio.h>

#include "profile.h"
#include "profile-dirs.h"
#include "applet-profiles.h"

/* An editor saves with a temporary file and a rename, a copy arrives in pieces: a burst of
 * events becomes one reload after this quiet time. */
#define PROFILES_SETTLE_MS 150

struct RoadieAppletProfiles {
	char *dirs[2]; /* user, system: the user's first, so its ids win */
	GFileMonitor *monitors[2];
	GPtrArray *list; /* RoadieAppletProfile * */
	guint settle;
	RoadieAppletProfilesChanged changed;
	gpointer user_data;
};

static void profile_free(gpointer data)
{
	RoadieAppletProfile *p = data;

	g_free(p->id);
	g_free(p->path);
	g_free(p->name);
	g_free(p->gateway);
	g_free(p->problem);
	g_free(p);
}

static bool profile_equal(const RoadieAppletProfile *a, const RoadieAppletProfile *b)
{
	return g_strcmp0(a->id, b->id) == 0 && g_strcmp0(a->path, b->path) == 0 &&
	       a->system == b->system && g_strcmp0(a->name, b->name) == 0 &&
	       g_strcmp0(a->gateway, b->gateway) == 0 && g_strcmp0(a->problem, b->problem) == 0 &&
	       a->problem_line == b->problem_line;
}

/* The gateway of a file the model refused, for the menu: read leniently, shown only. */
static char *profile_raw_gateway(const char *path)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();

	if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, NULL))
		return NULL;
	return g_key_file_get_string(kf, "connection", "gateway", NULL);
}

static RoadieAppletProfile *profile_load(const char *dir, const char *id, bool system)
{
	RoadieAppletProfile *p = g_new0(RoadieAppletProfile, 1);
	g_autofree char *file = g_strconcat(id, ".conf", NULL);
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieProfile) profile = NULL;

	p->id = g_strdup(id);
	p->path = g_build_filename(dir, file, NULL);
	p->system = system;
	profile = roadie_profile_load_file(p->path, ROADIE_CHECK_DEFAULT, &problems, &error);
	if (profile) {
		/* secrets the file holds are wiped with it: the list keeps none */
		p->name = g_strdup(profile->name && *profile->name ? profile->name : id);
		p->gateway = g_strdup(profile->gateway);
		return p;
	}
	p->name = g_strdup(id);
	p->gateway = profile_raw_gateway(p->path);
	if (problems && problems->len > 0) {
		const RoadieProblem *first = problems->pdata[0];

		p->problem = g_strdup(first->message);
		p->problem_line = first->line;
	} else {
		p->problem = g_strdup(error ? error->message : "the profile cannot be read");
	}
	return p;
}

static void profiles_read_dir(const char *dir, bool system, GHashTable *seen, GPtrArray *list)
{
	g_autoptr(GDir) d = dir ? g_dir_open(dir, 0, NULL) : NULL;
	const char *entry;

	if (!d)
		return; /* a missing directory has no profiles */
	while ((entry = g_dir_read_name(d))) {
		g_autofree char *id = NULL;

		if (!g_str_has_suffix(entry, ".conf"))
			continue;
		id = g_strndup(entry, strlen(entry) - 5);
		if (!roadie_profile_name_valid(id) || g_hash_table_contains(seen, id))
			continue;
		g_ptr_array_add(list, profile_load(dir, id, system));
		g_hash_table_add(seen, g_steal_pointer(&id));
	}
}

static int profiles_compare(gconstpointer a, gconstpointer b)
{
	const RoadieAppletProfile *pa = *(RoadieAppletProfile *const *)a;
	const RoadieAppletProfile *pb = *(RoadieAppletProfile *const *)b;

	return strcmp(pa->id, pb->id);
}

bool roadie_applet_profiles_reload(RoadieAppletProfiles *profiles)
{
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(profile_free);
	bool same;

	profiles_read_dir(profiles->dirs[0], false, seen, list);
	profiles_read_dir(profiles->dirs[1], true, seen, list);
	g_ptr_array_sort(list, profiles_compare);
	same = profiles->list && list->len == profiles->list->len;
	for (guint i = 0; same && i < list->len; i++)
		same = profile_equal(list->pdata[i], profiles->list->pdata[i]);
	if (same)
		return false;
	g_clear_pointer(&profiles->list, g_ptr_array_unref);
	profiles->list = g_steal_pointer(&list);
	if (profiles->changed)
		profiles->changed(profiles->user_data);
	return true;
}

static gboolean profiles_on_settled(gpointer data)
{
	RoadieAppletProfiles *profiles = data;

	profiles->settle = 0;
	roadie_applet_profiles_reload(profiles);
	return G_SOURCE_REMOVE;
}

static void profiles_on_event(GFileMonitor *monitor, GFile *file, GFile *other,
			      GFileMonitorEvent event, gpointer data)
{
	RoadieAppletProfiles *profiles = data;

	if (profiles->settle)
		g_source_remove(profiles->settle);
	profiles->settle = g_timeout_add(PROFILES_SETTLE_MS, profiles_on_settled, profiles);
}

RoadieAppletProfiles *roadie_applet_profiles_new(const char *user_dir, const char *system_dir,
						 RoadieAppletProfilesChanged changed,
						 gpointer user_data)
{
	RoadieAppletProfiles *profiles = g_new0(RoadieAppletProfiles, 1);

	profiles->dirs[0] = g_strdup(user_dir);
	profiles->dirs[1] = g_strdup(system_dir);
	for (size_t i = 0; i < G_N_ELEMENTS(profiles->dirs); i++) {
		g_autoptr(GFile) dir = NULL;

		if (!profiles->dirs[i])
			continue;
		/* a directory that does not exist yet is watched for its creation */
		dir = g_file_new_for_path(profiles->dirs[i]);
		profiles->monitors[i] =
			g_file_monitor_directory(dir, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
		if (profiles->monitors[i])
			g_signal_connect(profiles->monitors[i], "changed",
					 G_CALLBACK(profiles_on_event), profiles);
	}
	roadie_applet_profiles_reload(profiles);
	/* the first load is no change: set the callback only now */
	profiles->changed = changed;
	profiles->user_data = user_data;
	return profiles;
}

RoadieAppletProfiles *roadie_applet_profiles_free(RoadieAppletProfiles *profiles)
{
	if (!profiles)
		return NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(profiles->monitors); i++) {
		if (!profiles->monitors[i])
			continue;
		g_signal_handlers_disconnect_by_data(profiles->monitors[i], profiles);
		g_file_monitor_cancel(profiles->monitors[i]);
		g_object_unref(profiles->monitors[i]);
	}
	if (profiles->settle)
		g_source_remove(profiles->settle);
	g_clear_pointer(&profiles->list, g_ptr_array_unref);
	g_free(profiles->dirs[0]);
	g_free(profiles->dirs[1]);
	g_free(profiles);
	return NULL;
}

GPtrArray *roadie_applet_profiles_list(RoadieAppletProfiles *profiles)
{
	return profiles->list;
}

const RoadieAppletProfile *roadie_applet_profiles_find(RoadieAppletProfiles *profiles,
						       const char *id)
{
	for (guint i = 0; id && i < profiles->list->len; i++) {
		const RoadieAppletProfile *p = profiles->list->pdata[i];

		if (strcmp(p->id, id) == 0)
			return p;
	}
	return NULL;
}

const RoadieAppletProfile *roadie_applet_profiles_match(RoadieAppletProfiles *profiles,
							const char *connection_profile)
{
	const RoadieAppletProfile *by_id = NULL;

	if (!connection_profile || !*connection_profile)
		return NULL;
	/* the name is what connect() sends; an id match covers roadiectl's "office" too */
	for (guint i = 0; i < profiles->list->len; i++) {
		const RoadieAppletProfile *p = profiles->list->pdata[i];

		if (strcmp(p->name, connection_profile) == 0)
			return p;
		if (!by_id && strcmp(p->id, connection_profile) == 0)
			by_id = p;
	}
	return by_id;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading as another user without fork() in a threaded process: Linux keeps credentials per
 * thread, and only glibc's wrappers (setresuid() and friends) spread a change to every thread
 * of the process. A short-lived thread that makes the raw system calls becomes the owner for
 * its own life alone, reads, and ends; the service's other threads keep root throughout.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nm-roadie-files.h"
#include "x509-cred.h"

#define FILES_MAX_GROUPS 256

typedef struct {
	const char *user; /* NULL: root, the service's own rights */
	uid_t uid;
	gid_t gid;
	gid_t groups[FILES_MAX_GROUPS];
	int n_groups;
	const char *paths[3];
	GBytes *data[3];
	GError *error;
} FilesJob;

static gpointer files_thread(gpointer user_data)
{
	FilesJob *job = user_data;

	if (job->user &&
	    (syscall(SYS_setgroups, (long)job->n_groups, job->groups) != 0 ||
	     syscall(SYS_setresgid, (long)job->gid, (long)job->gid, (long)job->gid) != 0 ||
	     syscall(SYS_setresuid, (long)job->uid, (long)job->uid, (long)job->uid) != 0)) {
		int saved = errno;

		g_set_error(&job->error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
			    "cannot take the rights of user %s to read the certificate files: %s",
			    job->user, g_strerror(saved));
		return NULL;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(job->paths); i++) {
		if (!job->paths[i])
			continue;
		job->data[i] = roadie_x509_read_file(job->paths[i], &job->error);
		if (!job->data[i])
			break;
	}
	return NULL;
}

static bool files_user(FilesJob *job, const char *user, GError **error)
{
	struct passwd pw, *pwp = NULL;
	char buf[4096];
	int n = FILES_MAX_GROUPS;

	if (getpwnam_r(user, &pw, buf, sizeof(buf), &pwp) != 0 || !pwp) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
			    "the connection belongs to user '%s', who does not exist on this "
			    "machine", user);
		return false;
	}
	job->user = user;
	job->uid = pw.pw_uid;
	job->gid = pw.pw_gid;
	if (getgrouplist(user, pw.pw_gid, job->groups, &n) < 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
			    "user '%s' is in more than %d groups", user, FILES_MAX_GROUPS);
		return false;
	}
	job->n_groups = n;
	return true;
}

static void files_job_clear(FilesJob *job)
{
	for (size_t i = 0; i < G_N_ELEMENTS(job->data); i++)
		g_clear_pointer(&job->data[i], g_bytes_unref);
	g_clear_error(&job->error);
}

/* Reads as @user (NULL: as root). */
static bool files_read(FilesJob *job, const char *user, GError **error)
{
	GThread *thread;

	if (user && !files_user(job, user, error))
		return false;
	thread = g_thread_new("roadie-files", files_thread, job);
	g_thread_join(thread);
	if (job->error) {
		if (user)
			g_set_error(error, job->error->domain, job->error->code,
				    "as the connection's owner %s: %s", user,
				    job->error->message);
		else
			g_propagate_error(error, g_steal_pointer(&job->error));
		return false;
	}
	return true;
}

bool nm_roadie_files_load(RoadieProfile *profile, NMConnection *connection, GError **error)
{
	NMSettingConnection *s_con = nm_connection_get_setting_connection(connection);
	g_autoptr(GPtrArray) users = g_ptr_array_new();
	FilesJob job = { 0 };
	bool ok = true;

	if (profile->ipsec_auth != ROADIE_IPSEC_AUTH_CERT)
		return true;
	job.paths[0] = profile->certificate;
	job.paths[1] = profile->private_key;
	job.paths[2] = profile->ca_certificate;

	for (guint i = 0; s_con && i < nm_setting_connection_get_num_permissions(s_con); i++) {
		const char *type = NULL, *item = NULL;

		if (nm_setting_connection_get_permission(s_con, i, &type, &item, NULL) &&
		    g_strcmp0(type, "user") == 0 && item && *item)
			g_ptr_array_add(users, (gpointer)item);
	}
	if (users->len == 0) {
		ok = files_read(&job, NULL, error);
	} else {
		/* every user of the connection must be able to read them; the first one's
		 * reading is kept */
		for (guint i = users->len; ok && i-- > 0;) {
			files_job_clear(&job);
			ok = files_read(&job, users->pdata[i], error);
		}
	}
	if (!ok) {
		files_job_clear(&job);
		return false;
	}
	g_clear_pointer(&profile->certificate_data, g_bytes_unref);
	g_clear_pointer(&profile->private_key_data, g_bytes_unref);
	g_clear_pointer(&profile->ca_certificate_data, g_bytes_unref);
	profile->certificate_data = g_steal_pointer(&job.data[0]);
	profile->private_key_data = g_steal_pointer(&job.data[1]);
	profile->ca_certificate_data = g_steal_pointer(&job.data[2]);
	/* roadied refuses paths (it opens none): the contents stand in for them */
	g_clear_pointer(&profile->certificate, g_free);
	g_clear_pointer(&profile->private_key, g_free);
	g_clear_pointer(&profile->ca_certificate, g_free);
	return true;
}

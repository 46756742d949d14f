/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "roadied"
#include "host/host-journal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

/* A journal larger than this is not ours (a route per key, a DNS record): refused. */
#define HOST_JOURNAL_MAX_BYTES (256 * 1024)

struct host_journal {
	char *path;
	char *dir;
	GKeyFile *data;
};

/* The start time of process @pid in clock ticks since boot (proc(5), stat field 22): with
 * the pid, it names a process even after the pid is reused. 0 when there is no such
 * process. */
static uint64_t host_journal_start_time(long pid)
{
	g_autofree char *path = g_strdup_printf("/proc/%ld/stat", pid);
	g_autofree char *text = NULL;
	const char *p;
	unsigned field = 2;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return 0;
	/* field 2, the command, is in parentheses and may hold anything: skip to its end */
	p = strrchr(text, ')');
	if (!p)
		return 0;
	for (p++; *p && field < 22; p++)
		if (*p == ' ')
			field++;
	return field == 22 ? g_ascii_strtoull(p, NULL, 10) : 0;
}

/* This process's network namespace, as the inode of /proc/self/ns/net. */
static uint64_t host_journal_netns(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) == 0 ? (uint64_t)st.st_ino : 0;
}

struct host_journal *host_journal_new(const char *state_dir, GError **error)
{
	struct host_journal *j;

	if (g_mkdir_with_parents(state_dir, 0700) < 0) {
		int e = errno;

		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e),
			    "cannot create the state directory %s: %s", state_dir, g_strerror(e));
		return NULL;
	}
	j = g_new0(struct host_journal, 1);
	j->dir = g_strdup(state_dir);
	j->path = g_strdup_printf("%s/journal-%ld", state_dir, (long)getpid());
	j->data = g_key_file_new();
	g_key_file_set_int64(j->data, "roadie", "pid", (gint64)getpid());
	g_key_file_set_uint64(j->data, "roadie", "start-time", host_journal_start_time(getpid()));
	g_key_file_set_uint64(j->data, "roadie", "netns", host_journal_netns());
	if (!host_journal_sync(j, error))
		return host_journal_free(j);
	return j;
}

struct host_journal *host_journal_free(struct host_journal *j)
{
	if (!j)
		return NULL;
	g_key_file_unref(j->data);
	g_free(j->path);
	g_free(j->dir);
	g_free(j);
	return NULL;
}

GKeyFile *host_journal_data(struct host_journal *j)
{
	return j->data;
}

static bool host_journal_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = fsync(fd) == 0;
	close(fd);
	return ok;
}

bool host_journal_sync(struct host_journal *j, GError **error)
{
	g_autofree char *text = g_key_file_to_data(j->data, NULL, NULL);
	g_autofree char *tmp = g_strdup_printf("%s.new", j->path);
	size_t len = strlen(text), done = 0;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	int e = 0;

	if (fd < 0) {
		e = errno;
		goto fail;
	}
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			e = n < 0 ? errno : EIO;
			break;
		}
		done += (size_t)n;
	}
	if (!e && fsync(fd) < 0)
		e = errno;
	close(fd);
	if (!e && rename(tmp, j->path) < 0)
		e = errno;
	if (e) {
		g_unlink(tmp);
		goto fail;
	}
	if (!host_journal_fsync_dir(j->dir))
		g_debug("host: the state directory %s could not be synced", j->dir);
	return true;
fail:
	g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e),
		    "cannot write the journal %s: %s", j->path, g_strerror(e));
	return false;
}

void host_journal_remove(struct host_journal *j)
{
	if (g_unlink(j->path) < 0 && errno != ENOENT)
		g_warning("cannot remove the journal %s: %s", j->path, g_strerror(errno));
	host_journal_fsync_dir(j->dir);
}

/* Its writer still runs: the same pid with the same start time. */
static bool host_journal_writer_alive(GKeyFile *data)
{
	gint64 pid = g_key_file_get_int64(data, "roadie", "pid", NULL);
	guint64 start = g_key_file_get_uint64(data, "roadie", "start-time", NULL);

	if (pid <= 0 || pid > INT32_MAX || pid == (gint64)getpid())
		return pid == (gint64)getpid();
	return start != 0 && host_journal_start_time((long)pid) == start;
}

static bool host_journal_name_ok(const char *name)
{
	const char *p;

	if (!g_str_has_prefix(name, "journal-"))
		return false;
	for (p = name + strlen("journal-"); *p; p++)
		if (!g_ascii_isdigit(*p))
			return false;
	return p > name + strlen("journal-");
}

unsigned host_journal_each_stale(const char *state_dir,
				 bool (*undo)(GKeyFile *data, const char *path, void *user),
				 void *user)
{
	g_autoptr(GDir) dir = g_dir_open(state_dir, 0, NULL);
	const char *name;
	uint64_t netns = host_journal_netns();
	unsigned n = 0;

	if (!dir)
		return 0;
	while ((name = g_dir_read_name(dir))) {
		g_autofree char *path = NULL;
		g_autofree char *text = NULL;
		g_autoptr(GKeyFile) data = g_key_file_new();
		g_autoptr(GError) error = NULL;
		gsize len = 0;
		struct stat st;

		if (!host_journal_name_ok(name))
			continue;
		path = g_build_filename(state_dir, name, NULL);
		if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > HOST_JOURNAL_MAX_BYTES) {
			g_warning("the journal %s is not a regular file of ours: left alone", path);
			continue;
		}
		if (!g_file_get_contents(path, &text, &len, &error) ||
		    !g_key_file_load_from_data(data, text, len, G_KEY_FILE_NONE, &error)) {
			g_warning("cannot read the journal %s: %s", path, error->message);
			continue;
		}
		if (host_journal_writer_alive(data))
			continue;
		if (g_key_file_get_uint64(data, "roadie", "netns", NULL) != netns)
			continue; /* another namespace's: undone from there */
		if (!undo(data, path, user))
			continue;
		if (g_unlink(path) < 0)
			g_warning("cannot remove the journal %s: %s", path, g_strerror(errno));
		n++;
	}
	host_journal_fsync_dir(state_dir);
	return n;
}

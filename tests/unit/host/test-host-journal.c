/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The host journal: written whole before each change, and found again after a crash only
 * when its writer is gone and it is this namespace's. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "host/host-journal.h"

typedef struct {
	unsigned calls;
	char *last_route;
	bool answer;
} Undo;

static bool undo_cb(GKeyFile *data, const char *path, void *user)
{
	Undo *u = user;

	u->calls++;
	g_free(u->last_route);
	u->last_route = g_key_file_get_string(data, "routes", "route0", NULL);
	return u->answer;
}

static char *write_journal(const char *dir, const char *name, const char *text)
{
	char *path = g_build_filename(dir, name, NULL);

	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	return path;
}

static uint64_t own_netns(void)
{
	struct stat st;

	g_assert_cmpint(stat("/proc/self/ns/net", &st), ==, 0);
	return (uint64_t)st.st_ino;
}

static void test_journal(void)
{
	g_autofree char *dir = g_dir_make_tmp("roadie-journal-XXXXXX", NULL);
	g_autofree char *state = g_build_filename(dir, "state", NULL);
	g_autoptr(GError) error = NULL;
	struct host_journal *j;
	g_autofree char *own = NULL;
	g_autofree char *text = NULL;
	Undo u = { .answer = true };

	/* a new journal is on disk at once, with its writer, 0600 in a 0700 directory */
	j = host_journal_new(state, &error);
	g_assert_no_error(error);
	own = g_strdup_printf("%s/journal-%ld", state, (long)getpid());
	g_assert_true(g_file_test(own, G_FILE_TEST_IS_REGULAR));
	{
		struct stat st;

		g_assert_cmpint(stat(own, &st), ==, 0);
		g_assert_cmpuint(st.st_mode & 0777, ==, 0600);
		g_assert_cmpint(stat(state, &st), ==, 0);
		g_assert_cmpuint(st.st_mode & 0777, ==, 0700);
	}
	g_key_file_set_string(host_journal_data(j), "routes", "route0", "blackhole 0.0.0.0/1");
	g_assert_true(host_journal_sync(j, &error));
	g_assert_true(g_file_get_contents(own, &text, NULL, NULL));
	g_assert_nonnull(strstr(text, "route0=blackhole 0.0.0.0/1"));

	/* our own journal is not stale */
	g_assert_cmpuint(host_journal_each_stale(state, undo_cb, &u), ==, 0);
	g_assert_cmpuint(u.calls, ==, 0);

	/* a dead writer's (pid 0 never runs; a pid with the wrong start time is a reused
	 * pid): undone, then removed */
	{
		g_autofree char *dead = g_strdup_printf(
			"[roadie]\npid=0\nstart-time=1\nnetns=%" G_GUINT64_FORMAT
			"\n[routes]\nroute0=blackhole 128.0.0.0/1\n",
			own_netns());
		g_autofree char *p = write_journal(state, "journal-1", dead);
		g_autofree char *reused = NULL;
		g_autofree char *p2 = NULL;

		/* a running process (our parent) with another start time: a reused pid */
		reused = g_strdup_printf("[roadie]\npid=%ld\nstart-time=1\nnetns=%" G_GUINT64_FORMAT
					 "\n[routes]\nroute0=blackhole 10.0.0.0/8\n",
					 (long)getppid(), own_netns());
		p2 = write_journal(state, "journal-2", reused);
		g_assert_cmpuint(host_journal_each_stale(state, undo_cb, &u), ==, 2);
		g_assert_cmpuint(u.calls, ==, 2);
		g_assert_false(g_file_test(p, G_FILE_TEST_EXISTS));
		g_assert_false(g_file_test(p2, G_FILE_TEST_EXISTS));
	}

	/* another namespace's: left for that namespace */
	{
		g_autofree char *other = g_strdup_printf(
			"[roadie]\npid=1\nstart-time=1\nnetns=%" G_GUINT64_FORMAT "\n",
			own_netns() + 1);
		g_autofree char *p = write_journal(state, "journal-3", other);

		u.calls = 0;
		g_assert_cmpuint(host_journal_each_stale(state, undo_cb, &u), ==, 0);
		g_assert_cmpuint(u.calls, ==, 0);
		g_assert_true(g_file_test(p, G_FILE_TEST_EXISTS));
		g_unlink(p);
	}

	/* damaged, foreign or oversized files: kept, never handed to undo */
	{
		g_autofree char *p1 = write_journal(state, "journal-4", "[roadie\npid=");
		g_autofree char *p2 = write_journal(state, "journal-x5", "[roadie]\npid=1\n");
		g_autofree char *big = g_malloc(300 * 1024);
		g_autofree char *p3 = NULL;
		g_autofree char *p4 = g_build_filename(state, "journal-6", NULL);

		memset(big, '#', 300 * 1024 - 1);
		big[300 * 1024 - 1] = 0;
		p3 = write_journal(state, "journal-5", big);
		g_assert_cmpint(symlink(own, p4), ==, 0);
		u.calls = 0;
		g_assert_cmpuint(host_journal_each_stale(state, undo_cb, &u), ==, 0);
		g_assert_cmpuint(u.calls, ==, 0);
		g_assert_true(g_file_test(p1, G_FILE_TEST_EXISTS));
		g_assert_true(g_file_test(p2, G_FILE_TEST_EXISTS));
		g_assert_true(g_file_test(p3, G_FILE_TEST_EXISTS));
		g_unlink(p1);
		g_unlink(p2);
		g_unlink(p3);
		g_unlink(p4);
	}

	/* undo that fails keeps the file for the next start */
	{
		g_autofree char *dead = g_strdup_printf(
			"[roadie]\npid=0\nstart-time=0\nnetns=%" G_GUINT64_FORMAT "\n", own_netns());
		g_autofree char *p = write_journal(state, "journal-7", dead);

		u.calls = 0;
		u.answer = false;
		g_assert_cmpuint(host_journal_each_stale(state, undo_cb, &u), ==, 0);
		g_assert_cmpuint(u.calls, ==, 1);
		g_assert_true(g_file_test(p, G_FILE_TEST_EXISTS));
		g_unlink(p);
	}

	host_journal_remove(j);
	g_assert_false(g_file_test(own, G_FILE_TEST_EXISTS));
	host_journal_free(j);
	g_free(u.last_route);
	g_rmdir(state);
	g_rmdir(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	/* the journal warns about the damaged files this test plants: expected, not fatal */
	g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
	g_test_add_func("/host/journal", test_journal);
	return g_test_run();
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The journal of one connection's changes to the host: a key file in the state directory,
 * "journal-PID", rewritten whole (temporary file, fsync, rename, fsync of the directory)
 * before every change it describes, so that after a crash, kill -9 or power loss it lists
 * at least everything that was changed. It names the writer (pid, process start time) and
 * its network namespace, so that a later roadied undoes only journals whose writer is gone
 * and only in the namespace they describe. The groups are the host layer's: [routes] (one
 * route per key, in host-route.h's text form) and [dns] (host-dns.h's record).
 */
#pragma once

#include <stdbool.h>

#include <gio/gio.h>

struct host_journal;

/* A new journal for this process; the state directory is created (0700) if need be. */
struct host_journal *host_journal_new(const char *state_dir, GError **error);
struct host_journal *host_journal_free(struct host_journal *j);
/* The contents, to change before host_journal_sync(). */
GKeyFile *host_journal_data(struct host_journal *j);
bool host_journal_sync(struct host_journal *j, GError **error);
/* Everything it listed is undone: the file goes. */
void host_journal_remove(struct host_journal *j);

/* For each journal in @state_dir whose writer is gone and that belongs to this network
 * namespace: @undo with its contents (hostile text: a damaged file), then the file is
 * removed if @undo returns true. Unreadable journals are kept and reported. Returns the
 * number undone. */
unsigned host_journal_each_stale(const char *state_dir,
				 bool (*undo)(GKeyFile *data, const char *path, void *user),
				 void *user);

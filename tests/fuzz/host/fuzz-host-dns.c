/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzzes host_dns_revert() with the [dns] group of a damaged journal: the input is key
 * file text, with "@DIR@" replaced by this run's temporary directory so that seeds can name
 * its resolv.conf and backup. The environment has no bus and /bin/false as resolvconf, so
 * revert can only touch the temporary directory's two files, and host_dns_revert() itself
 * refuses any path but env->resolv_conf and any backup but its own in env->backup_dir.
 * Checked after each input: an error exactly when it returns false, one-line sentences, and
 * resolv.conf either untouched or, after a true return, holding the backup's bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "host/host-dns.h"

/* What "roadie wrote" (its SHA-256 is in the valid seeds) and what the backup holds. */
#define CURRENT "# written by roadie\nnameserver 192.0.2.53\n"
#define ORIGINAL "nameserver 10.0.0.1\n"

struct fuzz_dir {
	char *dir;
	char *resolv_conf;
	char *state;
	char *backup;
	struct host_dns_env env;
};

static struct fuzz_dir *fuzz_dir(void)
{
	static struct fuzz_dir d;

	if (!d.dir) {
		d.dir = g_dir_make_tmp("roadie-fuzz-dns-XXXXXX", NULL);
		if (!d.dir)
			abort();
		d.resolv_conf = g_build_filename(d.dir, "resolv.conf", NULL);
		d.state = g_build_filename(d.dir, "state", NULL);
		d.backup = g_build_filename(d.state, "resolv.conf.roadie0.backup", NULL);
		if (g_mkdir(d.state, 0700) < 0)
			abort();
		d.env.resolv_conf = d.resolv_conf;
		d.env.backup_dir = d.state;
		d.env.resolvconf_bin = "/bin/false";
		d.env.system_bus = NULL;
	}
	return &d;
}

static bool holds(const char *path, const char *text)
{
	g_autofree char *got = NULL;

	return g_file_get_contents(path, &got, NULL, NULL) && strcmp(got, text) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_dir *d = fuzz_dir();
	g_autoptr(GKeyFile) rec = g_key_file_new();
	g_autoptr(GError) e = NULL;
	GString *text;
	bool ok;

	if (!holds(d->resolv_conf, CURRENT) &&
	    !g_file_set_contents(d->resolv_conf, CURRENT, -1, NULL))
		abort();
	if (!holds(d->backup, ORIGINAL) && !g_file_set_contents(d->backup, ORIGINAL, -1, NULL))
		abort();

	text = g_string_new_len((const char *)data, (gssize)size);
	g_string_replace(text, "@DIR@", d->dir, 0);
	if (!g_key_file_load_from_data(rec, text->str, text->len, G_KEY_FILE_NONE, NULL)) {
		g_string_free(text, TRUE);
		return 0;
	}
	g_string_free(text, TRUE);

	ok = host_dns_revert(&d->env, rec, "dns", &e);
	if (ok != (e == NULL))
		abort();
	if (e && (!e->message[0] || strchr(e->message, '\n')))
		abort();
	if (holds(d->resolv_conf, CURRENT))
		return 0;
	/* Changed: only a successful restore may do that, and only to the backup's bytes. */
	if (!ok || !holds(d->resolv_conf, ORIGINAL) || g_file_test(d->backup, G_FILE_TEST_EXISTS))
		abort();
	return 0;
}

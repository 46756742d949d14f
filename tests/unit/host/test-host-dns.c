/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * host-dns.h without root and without touching this machine's DNS: the file backend on a
 * resolv.conf in a temporary directory, resolvconf as a shell script that logs its
 * arguments and input, systemd-resolved as roadie-resolved-standin on a private bus
 * (GTestDBus). Records are also read back from text, as after a crash, and damaged ones
 * must be refused without harm.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "host/host-dns.h"

#define ORIGINAL                                                                          \
	"# from dhcp\n"                                                                   \
	"nameserver 10.0.0.1\n"                                                           \
	"nameserver 10.0.0.2\n"                                                           \
	"search home.lan\n"                                                           \
	"options edns0 trust-ad\n"

#define IFINDEX 100007 /* no device has it here: resolved's revert does not skip it */

struct fix {
	char *dir;
	char *resolv_conf;
	char *state;
	char *backup;
	char *resolvconf;
	char *log;
	struct host_dns_env env;
};

static const char *const servers2[] = { "192.0.2.53", "2001:db8::53", NULL };
static const char *const servers4[] = { "192.0.2.53", "192.0.2.54", "192.0.2.55",
					"192.0.2.56", NULL };
static const char *const domains2[] = { "corp.example", "example.com", NULL };

static void put(const char *path, const char *text)
{
	g_autoptr(GError) e = NULL;

	g_file_set_contents(path, text, -1, &e);
	g_assert_no_error(e);
}

static char *get(const char *path)
{
	g_autoptr(GError) e = NULL;
	char *text = NULL;

	g_file_get_contents(path, &text, NULL, &e);
	g_assert_no_error(e);
	return text;
}

static void fix_setup(struct fix *f, gconstpointer data)
{
	g_autoptr(GError) e = NULL;

	(void)data;
	memset(f, 0, sizeof(*f));
	f->dir = g_dir_make_tmp("roadie-dns-XXXXXX", &e);
	g_assert_no_error(e);
	f->resolv_conf = g_build_filename(f->dir, "resolv.conf", NULL);
	f->state = g_build_filename(f->dir, "state", NULL);
	f->backup = g_build_filename(f->state, "resolv.conf.roadie0.backup", NULL);
	f->resolvconf = g_build_filename(f->dir, "resolvconf", NULL);
	f->log = g_build_filename(f->dir, "resolvconf.log", NULL);
	g_assert_cmpint(g_mkdir(f->state, 0700), ==, 0);
	put(f->resolv_conf, ORIGINAL);
	f->env.resolv_conf = f->resolv_conf;
	f->env.backup_dir = f->state;
	f->env.resolvconf_bin = f->resolvconf; /* missing until a test writes it */
}

static void rm_tree(const char *path)
{
	GDir *d = g_dir_open(path, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *p = g_build_filename(path, name, NULL);

		if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
			rm_tree(p);
		else
			g_unlink(p);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(path);
}

static void fix_teardown(struct fix *f, gconstpointer data)
{
	(void)data;
	rm_tree(f->dir);
	g_free(f->dir);
	g_free(f->resolv_conf);
	g_free(f->state);
	g_free(f->backup);
	g_free(f->resolvconf);
	g_free(f->log);
}

static struct host_dns_config config(const char *const *servers, const char *const *domains,
				     bool full)
{
	struct host_dns_config c = {
		.ifname = "roadie0",
		.ifindex = IFINDEX,
		.servers = servers,
		.domains = domains,
		.full_tunnel = full,
	};
	return c;
}

/* The digest computed independently of the code under test (GChecksum, not libcrypto). */
static char *sha256(const char *text)
{
	return g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, -1);
}

static char *expected_split(const struct fix *f)
{
	return g_strdup_printf("# written by roadie for roadie0; the original is in %s and comes "
			       "back on disconnect\n"
			       "nameserver 192.0.2.53\n"
			       "nameserver 2001:db8::53\n"
			       "nameserver 10.0.0.1\n"
			       "search corp.example example.com\n"
			       "options edns0 trust-ad\n",
			       f->backup);
}

/* ---- the file backend ---- */

static void test_file_split(struct fix *f, gconstpointer data)
{
	struct host_dns_config c = config(servers2, domains2, false);
	g_autoptr(GKeyFile) rec = g_key_file_new();
	g_autoptr(GError) e = NULL;
	g_autofree char *want = expected_split(f), *want_sha = sha256(want);
	g_autofree char *s = NULL, *got = NULL, *bak = NULL;
	struct stat st;

	(void)data;
	g_assert_true(host_dns_plan(HOST_DNS_FILE, &f->env, &c, rec, "dns", &e));
	g_assert_no_error(e);
	s = g_key_file_get_string(rec, "dns", "backend", NULL);
	g_assert_cmpstr(s, ==, "file");
	g_clear_pointer(&s, g_free);
	s = g_key_file_get_string(rec, "dns", "path", NULL);
	g_assert_cmpstr(s, ==, f->resolv_conf);
	g_clear_pointer(&s, g_free);
	s = g_key_file_get_string(rec, "dns", "backup", NULL);
	g_assert_cmpstr(s, ==, f->backup);
	g_clear_pointer(&s, g_free);
	s = g_key_file_get_string(rec, "dns", "sha256", NULL);
	g_assert_cmpstr(s, ==, want_sha);
	g_clear_pointer(&s, g_free);
	s = g_key_file_get_string(rec, "dns", "ifname", NULL);
	g_assert_cmpstr(s, ==, "roadie0");

	/* Plan changes nothing but takes the backup: the exact bytes, 0600. */
	got = get(f->resolv_conf);
	g_assert_cmpstr(got, ==, ORIGINAL);
	g_clear_pointer(&got, g_free);
	bak = get(f->backup);
	g_assert_cmpstr(bak, ==, ORIGINAL);
	g_assert_cmpint(stat(f->backup, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 07777, ==, 0600);

	g_assert_true(host_dns_apply(HOST_DNS_FILE, &f->env, &c, &e));
	g_assert_no_error(e);
	got = get(f->resolv_conf);
	g_assert_cmpstr(got, ==, want);
	g_clear_pointer(&got, g_free);

	g_assert_true(host_dns_revert(&f->env, rec, "dns", &e));
	g_assert_no_error(e);
	got = get(f->resolv_conf);
	g_assert_cmpstr(got, ==, ORIGINAL);
	g_assert_false(g_file_test(f->backup, G_FILE_TEST_EXISTS));
	/* A second revert (the journal was not removed before a crash) is harmless. */
	g_assert_true(host_dns_revert(&f->env, rec, "dns", &e));
	g_assert_no_error(e);
}

static void test_file_full(struct fix *f, gconstpointer data)
{
	struct host_dns_config c = config(servers4, NULL, true);
	g_autoptr(GKeyFile) rec = g_key_file_new();
	g_autoptr(GError) e = NULL;
	g_autofree char *got = NULL;
	g_autofree char *want = g_strdup_printf(
		"# written by roadie for roadie0; the original is in %s and comes back on "
		"disconnect\n"
		"nameserver 192.0.2.53\n"
		"nameserver 192.0.2.54\n"
		"nameserver 192.0.2.55\n"
		"options edns0 trust-ad\n",
		f->backup);

	(void)data;
	g_assert_true(host_dns_plan(HOST_DNS_FILE, &f->env, &c, rec, "dns", &e));
	g_assert_true(host_dns_apply(HOST_DNS_FILE, &f->env, &c, &e));
	g_assert_no_error(e);
	got = get(f->resolv_conf);
	g_assert_cmpstr(got, ==, want);
	g_clear_pointer(&got, g_free);
	g_assert_true(host_dns_revert(&f->env, rec, "dns", &e));
	got = get(f->resolv_conf);
	g_assert_cmpstr(got, ==, ORIGINAL);
}

/* The original's lines are copied only when printable, and our own servers not twice. */
static void test_file_odd_original(struct fix *f, gconstpointer data)
{
	static const char orig[] = "nameserver 192.0.2.53\n"
				   "\tnameserver   10.9.9.9  # tab and comment\r\n"
				   "nameserver 10.\x01.1.1\n"
				   "options ndots:2\n"
				   "optionsfoo bar\n"
				   "nameserver 10.8.8.8\n"
				   "nameserver 10.7.7.7"; /* no final newline */
	struct host_dns_config c = config((const char *const[]){ "192.0.2.53", NULL }, NULL,
					  false);
	g_autoptr(GKeyFile) rec = g_key_file_new();
	g_autoptr(GError) e = NULL;
	g_autofree char *got = NULL;
	g_autofree char *want = g_strdup_printf(
		"# written by roadie for roadie0; the original is in %s and comes back on "
		"disconnect\n"
		"nameserver 192.0.2.53\n"
		"nameserver 10.9.9.9\n"
		"nameserver 10.8.8.8\n"
		"options ndots:2\n",
		f->backup);

	(void)data;
	put(f->resolv_conf, orig);
	g_assert_true(host_dns_plan(HOST_DNS_FILE, &f->env, &c, rec, "dns", &e));
	g_assert_true(host_dns_apply(HOST_DNS_FILE, &f->env, &c, &e));
	g_assert_no_error(e);
	got = get(f->resolv_conf);
	g_assert_cmpstr(got, ==, want);
	g_clear_pointer(&got, g_free);
	g_assert_true(host_dns_revert(&f->env, rec, "dns", &e));
	got = get(f->resolv_conf);
	g_assert_cmpstr(got, ==, orig);
}

static void test_file_changed_since(struct fix *f, gconstpointer data)
{
	struct host_dns_config c = config(servers2, domains2, false);
	g_autoptr(GKeyFile) rec = g_key_file_new();
	g_autoptr(GError) e = NULL;
	g_autofree char *got = NULL;

	(void)data;
	g_assert_true(host_dns_plan(HOST_DNS_FILE, &f->env, &c, rec, "dns", &e));
	g_assert_true(host_dns_apply(HOST_DNS_FILE, &f->env, &c, &e));
	put(f->resolv_conf, "nameserver 198.51.100.1\n");
	g_assert_false(host_dns_revert(&f->env, rec, "dns", &e));
	g_assert_nonnull(e);
	g_assert_nonnull(strstr(e->message, f->backup));
	g_assert_nonnull(strstr(e->message, "changed by something else"));
	got = get(f->resolv_conf);
	g_assert_cmpstr(got, ==, "nameserver 198.51.100.1\n");
	g_clear_pointer(&got, g_free);
	got = get(f->backup);
	g_assert_cmpstr(got, ==, ORIGINAL);
}

/* After a crash: a fresh process with only the record's text. */
static void test_file_after_crash(struct fix *f, gconstpointer data)
{
	struct host_dns_config c = config(servers2, domains2, false);
	g_autoptr(GKeyFile) rec = g_key_file_new();
	g_autoptr(GKeyFile) back = g_key_file_new();
	g_autoptr(GError) e = NULL;
	g_autofree char *text = NULL, *got = NULL;
	g_autofree char *rc = g_strdup(f->resolv_conf), *st = g_strdup(f->state);
	struct host_dns_env env2 = { .resolv_conf = rc, .backup_dir = st };

	(void)data;
	g_key_file_set_string(rec, "routes", "r0", "something else of the journal");
	g_assert_true(host_dns_plan(HOST_DNS_FILE, &f->env, &c, rec, "dns", &e));
	g_assert_true(host_dns_apply(HOST_DNS_FILE, &f->env, &c, &e));
	text = g_key_file_to_data(rec, NULL, NULL);
	g_assert_true(g_key_file_load_from_data(back, text, (gsize)-1, G_KEY_FILE_NONE, &e));
	g_assert_no_error(e);
	g_assert_true(host_dns_revert(&env2, back, "dns", &e));
	g_assert_no_error(e);
	got = get(f->resolv_conf);
	g_assert_cmpstr(got, ==, ORIGINAL);
	g_assert_false(g_file_test(f->backup, G_FILE_TEST_EXISTS));
}

/* A crash between plan and apply: resolv.conf never changed; revert just drops the copy. */
static void test_file_crash_before_apply(struct fix *f, gconstpointer data)
{
	struct host_dns_config c = config(servers2, domains2, false);
	g_autoptr(GKeyFile) rec = g_key_file_new();
	g_autoptr(GError) e = NULL;
	g_autofree char *got = NULL;

	(void)data;
	g_assert_true(host_dns_plan(HOST_DNS_FILE, &f->env, &c, rec, "dns", &e));
	g_assert_true(host_dns_revert(&f->env, rec, "dns", &e));
	g_assert_no_error(e);
	got = get(f->resolv_conf);
	g_assert_cmpstr(got, ==, ORIGINAL);
	g_assert_false(g_file_test(f->backup, G_FILE_TEST_EXISTS));
}

/* A backup left by an earlier connection is the only copy of the original. */
static void test_file_stale_backup(struct fix *f, gconstpointer data)
{
	struct host_dns_config c = config(servers2, domains2, false);
	g_autoptr(GKeyFile) rec = g_key_file_new();
	g_autoptr(GError) e = NULL;
	g_autofree char *got = NULL;

	(void)data;
	put(f->backup, "nameserver 203.0.113.1\n");
	g_assert_false(host_dns_plan(HOST_DNS_FILE, &f->env, &c, rec, "dns", &e));
	g_assert_nonnull(e);
	g_assert_nonnull(strstr(e->message, f->backup));
	got = get(f->backup);
	g_assert_cmpstr(got, ==, "nameserver 203.0.113.1\n");
	g_clear_pointer(&got, g_free);
	g_clear_error(&e);
	/* The same bytes as resolv.conf now: harmless, taken over. */
	put(f->backup, ORIGINAL);
	g_assert_true(host_dns_plan(HOST_DNS_FILE, &f->env, &c, rec, "dns", &e));
	g_assert_no_error(e);
}

static void test_file_errors(struct fix *f, gconstpointer data)
{
	struct host_dns_config c = config(servers2, domains2, false);
	g_autoptr(GKeyFile) rec = g_key_file_new();
	g_autoptr(GError) e = NULL;
	g_autofree char *big = g_strnfill(64 * 1024 + 1, '#');
	g_autofree char *missing = g_build_filename(f->dir, "nope", NULL);
	struct host_dns_env env = f->env;

	(void)data;
	put(f->resolv_conf, big);
	g_assert_false(host_dns_plan(HOST_DNS_FILE, &f->env, &c, rec, "dns", &e));
	g_assert_nonnull(strstr(e->message, "larger than 64 KiB"));
	g_assert_false(g_file_test(f->backup, G_FILE_TEST_EXISTS));
	g_clear_error(&e);

	env.resolv_conf = missing;
	g_assert_false(host_dns_plan(HOST_DNS_FILE, &env, &c, rec, "dns", &e));
	g_assert_nonnull(strstr(e->message, "cannot read"));
	g_assert_nonnull(strstr(e->message, missing));
	g_clear_error(&e);

	env = f->env;
	env.backup_dir = NULL;
	g_assert_false(host_dns_plan(HOST_DNS_FILE, &env, &c, rec, "dns", &e));
	g_clear_error(&e);

	/* A read-only resolv.conf (unless we are root, who may write anyway). */
	if (geteuid() != 0) {
		put(f->resolv_conf, ORIGINAL);
		g_assert_true(host_dns_plan(HOST_DNS_FILE, &f->env, &c, rec, "dns", &e));
		g_assert_cmpint(chmod(f->resolv_conf, 0444), ==, 0);
		g_assert_false(host_dns_apply(HOST_DNS_FILE, &f->env, &c, &e));
		g_assert_nonnull(e);
		g_assert_true(g_str_has_prefix(e->message, "cannot write "));
		g_assert_true(g_str_has_suffix(e->message, ": Permission denied"));
		g_autofree char *got = get(f->resolv_conf);
		g_assert_cmpstr(got, ==, ORIGINAL);
		g_clear_error(&e);
		g_assert_cmpint(chmod(f->resolv_conf, 0644), ==, 0);
	}
	/* Something not writable in its place (for root too): a sentence with the path. */
	put(f->resolv_conf, ORIGINAL);
	g_assert_true(host_dns_plan(HOST_DNS_FILE, &f->env, &c, rec, "dns", &e));
	g_assert_no_error(e);
	g_assert_cmpint(g_unlink(f->resolv_conf), ==, 0);
	g_assert_cmpint(g_mkdir(f->resolv_conf, 0755), ==, 0);
	g_assert_false(host_dns_apply(HOST_DNS_FILE, &f->env, &c, &e));
	g_autofree char *want = g_strdup_printf("cannot write %s: Is a directory", f->resolv_conf);
	g_assert_cmpstr(e->message, ==, want);
	g_clear_error(&e);
	g_assert_false(host_dns_revert(&f->env, rec, "dns", &e));
	g_assert_nonnull(strstr(e->message, f->backup));
	g_assert_true(g_file_test(f->backup, G_FILE_TEST_EXISTS));
}

/* ---- values from the gateway are hostile ---- */

static void test_config_hostile(struct fix *f, gconstpointer data)
{
	static const char *const bad_servers[] = {
		"192.0.2.1\nnameserver 6.6.6.6", "1.2.3", "", "fe80::1%eth0", " 192.0.2.1",
		"192.0.2.1 ", "::ffff:1.2.3", "example.com",
	};
	static const char *const bad_domains[] = {
		"evil\nnameserver 6.6.6.6", "a..b", ".", "a.", ".a", "a b", "-a", "a-", "a.-b",
		"x_y", "ex\xc3\xa4mple", "",
	};
	g_autofree char *long_label = g_strnfill(64, 'a');
	g_autofree char *long_name = NULL;
	g_autofree char *ok_name = NULL;

	(void)data;
	/* 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 is fine, 254 is not. */
	ok_name = g_strdup_printf("%.63s.%.63s.%.63s.%.61s", long_label, long_label, long_label,
				  long_label);
	long_name = g_strdup_printf("%s.a", ok_name);

	for (size_t i = 0; i < G_N_ELEMENTS(bad_servers) + G_N_ELEMENTS(bad_domains) + 8; i++) {
		const char *servers[20] = { "192.0.2.53", NULL };
		const char *domains[3] = { NULL };
		struct host_dns_config c = config(servers, domains, false);
		g_autoptr(GKeyFile) rec = g_key_file_new();
		g_autoptr(GError) e = NULL;
		size_t j = i;
		bool want_ok = false;

		if (j < G_N_ELEMENTS(bad_servers)) {
			servers[0] = bad_servers[j];
		} else if ((j -= G_N_ELEMENTS(bad_servers)) < G_N_ELEMENTS(bad_domains)) {
			domains[0] = bad_domains[j];
		} else {
			switch (j - G_N_ELEMENTS(bad_domains)) {
			case 0:
				domains[0] = long_label;
				break;
			case 1:
				domains[0] = long_name;
				break;
			case 2:
				domains[0] = ok_name;
				want_ok = true;
				break;
			case 3:
				servers[0] = NULL; /* none */
				break;
			case 4:
				for (size_t k = 0; k < 17; k++)
					servers[k] = "192.0.2.1";
				break;
			case 5:
				c.ifname = "../etc";
				break;
			case 6:
				c.ifname = "-x";
				break;
			default:
				c.ifindex = 0;
				break;
			}
		}
		g_test_message("case %zu", i);
		if (want_ok) {
			g_assert_true(host_dns_plan(HOST_DNS_FILE, &f->env, &c, rec, "dns", &e));
			g_assert_no_error(e);
			g_unlink(f->backup);
			continue;
		}
		g_assert_false(host_dns_plan(HOST_DNS_FILE, &f->env, &c, rec, "dns", &e));
		g_assert_nonnull(e);
		g_assert_false(g_key_file_has_group(rec, "dns"));
		g_clear_error(&e);
		g_assert_false(host_dns_apply(HOST_DNS_FILE, &f->env, &c, &e));
		g_assert_nonnull(e);
		g_assert_null(strchr(e->message, '\n'));
		g_autofree char *got = get(f->resolv_conf);
		g_assert_cmpstr(got, ==, ORIGINAL);
		g_assert_false(g_file_test(f->backup, G_FILE_TEST_EXISTS));
	}
}

/* ---- damaged records ---- */

static void test_record_malformed(struct fix *f, gconstpointer data)
{
	g_autofree char *good_sha = g_strnfill(64, 'a');
	g_autofree char *outside = g_build_filename(f->dir, "resolv.conf.roadie0.backup", NULL);
	const char *cases[][2] = {
		{ "[other]\nbackend=file\n", "no group" },
		{ "[dns]\nifname=roadie0\nifindex=7\n", "no backend" },
		{ "[dns]\nbackend=file\nifindex=7\n", "no ifname" },
		{ "[dns]\nbackend=file\nifname=roadie0\n", "no ifindex" },
		{ "[dns]\nbackend=bogus\nifname=roadie0\nifindex=7\n", "unknown backend" },
		{ "[dns]\nbackend=File\nifname=roadie0\nifindex=7\n", "case" },
		{ "[dns]\nbackend=resolved\nifname=../x\nifindex=7\n", "ifname path" },
		{ "[dns]\nbackend=resolved\nifname=-d\nifindex=7\n", "ifname option" },
		{ "[dns]\nbackend=resolved\nifname=roadie0\nifindex=0\n", "ifindex 0" },
		{ "[dns]\nbackend=resolved\nifname=roadie0\nifindex=-7\n", "ifindex negative" },
		{ "[dns]\nbackend=resolved\nifname=roadie0\nifindex=7x\n", "ifindex text" },
		{ "[dns]\nbackend=resolved\nifname=roadie0\nifindex=4294967303\n", "ifindex big" },
		{ "[dns]\nbackend=file\nifname=roadie0\nifindex=7\n", "file keys missing" },
	};
	struct {
		const char *path, *backup, *sha, *why;
	} files[] = {
		{ "/etc/resolv.conf", f->backup, good_sha, "another resolv.conf" },
		{ f->resolv_conf, outside, good_sha, "backup outside" },
		{ f->resolv_conf, "/etc/shadow", good_sha, "backup elsewhere" },
		{ f->resolv_conf, NULL, good_sha, "backup traversal" },
		{ f->resolv_conf, f->backup, "abc", "short digest" },
		{ f->resolv_conf, f->backup, NULL, "upper-case digest" },
	};
	g_autofree char *traversal = g_strdup_printf("%s/../state/resolv.conf.roadie0.backup",
						     f->state);
	g_autofree char *upper = g_strnfill(64, 'A');

	(void)data;
	files[3].backup = traversal;
	files[5].sha = upper;
	put(f->backup, "nameserver 203.0.113.1\n");
	for (size_t i = 0; i < G_N_ELEMENTS(cases) + G_N_ELEMENTS(files); i++) {
		g_autoptr(GKeyFile) rec = g_key_file_new();
		g_autoptr(GError) e = NULL;
		g_autofree char *text = NULL, *got = NULL;
		const char *why;

		if (i < G_N_ELEMENTS(cases)) {
			text = g_strdup(cases[i][0]);
			why = cases[i][1];
		} else {
			size_t k = i - G_N_ELEMENTS(cases);

			/* The digest of the current file, so only the bad key can stop it. */
			g_autofree char *cur = get(f->resolv_conf);
			g_autofree char *cur_sha = sha256(cur);

			text = g_strdup_printf("[dns]\nbackend=file\nifname=roadie0\nifindex=7\n"
					       "path=%s\nbackup=%s\nsha256=%s\n",
					       files[k].path, files[k].backup,
					       files[k].sha == good_sha ? cur_sha : files[k].sha);
			why = files[k].why;
		}
		g_test_message("record: %s", why);
		g_assert_true(g_key_file_load_from_data(rec, text, (gsize)-1, G_KEY_FILE_NONE, NULL));
		g_assert_false(host_dns_revert(&f->env, rec, "dns", &e));
		g_assert_error(e, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
		g_assert_true(g_str_has_prefix(e->message, "cannot undo a DNS change: "));
		got = get(f->resolv_conf);
		g_assert_cmpstr(got, ==, ORIGINAL);
		g_clear_pointer(&got, g_free);
		got = get(f->backup);
		g_assert_cmpstr(got, ==, "nameserver 203.0.113.1\n");
	}
}

/* ---- resolvconf, as a script that logs ---- */

static void write_fake_resolvconf(const struct fix *f, const char *version, int status)
{
	g_autofree char *script = g_strdup_printf(
		"#!/bin/sh\n"
		"log=\"$(dirname \"$0\")/resolvconf.log\"\n"
		"if [ \"$1\" = --version ]; then echo '%s'; exit 0; fi\n"
		"echo \"argv: $*\" >> \"$log\"\n"
		"cat >> \"$log\"\n"
		"echo end >> \"$log\"\n"
		"if [ %d -ne 0 ]; then echo 'resolvconf: no such record' >&2; fi\n"
		"exit %d\n",
		version, status, status);

	put(f->resolvconf, script);
	g_assert_cmpint(chmod(f->resolvconf, 0755), ==, 0);
	g_unlink(f->log);
}

static void test_resolvconf(struct fix *f, gconstpointer data)
{
	struct host_dns_config c = config(servers2, domains2, false);
	g_autoptr(GKeyFile) rec = g_key_file_new();
	g_autoptr(GError) e = NULL;
	g_autofree char *log = NULL, *s = NULL;

	(void)data;
	write_fake_resolvconf(f, "resolvconf 1.91 (Debian)", 0);
	g_assert_true(host_dns_plan(HOST_DNS_RESOLVCONF, &f->env, &c, rec, "dns", &e));
	g_assert_no_error(e);
	s = g_key_file_get_string(rec, "dns", "backend", NULL);
	g_assert_cmpstr(s, ==, "resolvconf");
	g_assert_true(host_dns_apply(HOST_DNS_RESOLVCONF, &f->env, &c, &e));
	g_assert_no_error(e);
	g_assert_true(host_dns_revert(&f->env, rec, "dns", &e));
	g_assert_no_error(e);
	log = get(f->log);
	g_assert_cmpstr(log, ==,
			"argv: -a roadie0.roadie\n"
			"nameserver 192.0.2.53\n"
			"nameserver 2001:db8::53\n"
			"search corp.example example.com\n"
			"end\n"
			"argv: -d roadie0.roadie\n"
			"end\n");
	g_clear_pointer(&log, g_free);
	log = get(f->resolv_conf);
	g_assert_cmpstr(log, ==, ORIGINAL);
}

static void test_resolvconf_exclusive(struct fix *f, gconstpointer data)
{
	struct host_dns_config c = config(servers2, NULL, true);
	g_autoptr(GError) e = NULL;
	g_autofree char *log = NULL;

	(void)data;
	/* Debian's resolvconf has no -x: not used even in full-tunnel mode. */
	write_fake_resolvconf(f, "resolvconf 1.91 (Debian)", 0);
	g_assert_true(host_dns_apply(HOST_DNS_RESOLVCONF, &f->env, &c, &e));
	log = get(f->log);
	g_assert_true(g_str_has_prefix(log, "argv: -a roadie0.roadie\n"));
	g_clear_pointer(&log, g_free);

	write_fake_resolvconf(f, "openresolv 3.12.0", 0);
	g_assert_true(host_dns_apply(HOST_DNS_RESOLVCONF, &f->env, &c, &e));
	g_assert_no_error(e);
	log = get(f->log);
	g_assert_cmpstr(log, ==,
			"argv: -x -a roadie0.roadie\n"
			"nameserver 192.0.2.53\n"
			"nameserver 2001:db8::53\n"
			"end\n");
	g_clear_pointer(&log, g_free);

	/* Split mode: never exclusive. */
	c.full_tunnel = false;
	write_fake_resolvconf(f, "openresolv 3.12.0", 0);
	g_assert_true(host_dns_apply(HOST_DNS_RESOLVCONF, &f->env, &c, &e));
	log = get(f->log);
	g_assert_true(g_str_has_prefix(log, "argv: -a roadie0.roadie\n"));
}

static void test_resolvconf_fails(struct fix *f, gconstpointer data)
{
	struct host_dns_config c = config(servers2, NULL, false);
	g_autoptr(GKeyFile) rec = g_key_file_new();
	g_autoptr(GError) e = NULL;

	(void)data;
	write_fake_resolvconf(f, "x", 0);
	g_assert_true(host_dns_plan(HOST_DNS_RESOLVCONF, &f->env, &c, rec, "dns", &e));
	write_fake_resolvconf(f, "x", 1);
	g_assert_false(host_dns_apply(HOST_DNS_RESOLVCONF, &f->env, &c, &e));
	g_assert_cmpstr(e->message, ==,
			"resolvconf refused the DNS servers for roadie0: resolvconf: no such "
			"record");
	g_clear_error(&e);
	/* Revert is tolerant: -d of a record that is gone fails, and gone is the goal. */
	g_assert_true(host_dns_revert(&f->env, rec, "dns", &e));
	g_assert_no_error(e);
	/* Without the program: an error that says so. */
	g_unlink(f->resolvconf);
	g_assert_false(host_dns_apply(HOST_DNS_RESOLVCONF, &f->env, &c, &e));
	g_assert_nonnull(strstr(e->message, "resolvconf"));
	g_clear_error(&e);
	g_assert_false(host_dns_revert(&f->env, rec, "dns", &e));
	g_assert_nonnull(strstr(e->message, "resolvconf program"));
}

/* ---- detection without a bus ---- */

static void test_detect(struct fix *f, gconstpointer data)
{
	g_autofree char *run = g_build_filename(f->dir, "run", "resolvconf", NULL);
	g_autofree char *target = g_build_filename(run, "resolv.conf", NULL);

	(void)data;
	g_assert_cmpint(host_dns_detect(&f->env), ==, HOST_DNS_FILE);
	write_fake_resolvconf(f, "x", 0);
	/* resolvconf installed but resolv.conf not its: the file. */
	g_assert_cmpint(host_dns_detect(&f->env), ==, HOST_DNS_FILE);
	g_assert_cmpint(g_mkdir_with_parents(run, 0755), ==, 0);
	put(target, "nameserver 10.0.0.1\n");
	g_unlink(f->resolv_conf);
	g_assert_cmpint(symlink(target, f->resolv_conf), ==, 0);
	g_assert_cmpint(host_dns_detect(&f->env), ==, HOST_DNS_RESOLVCONF);
	/* Its symlink but no program: the file (which the link leads to). */
	g_unlink(f->resolvconf);
	g_assert_cmpint(host_dns_detect(&f->env), ==, HOST_DNS_FILE);
	g_assert_cmpstr(host_dns_backend_name(HOST_DNS_RESOLVED), ==, "systemd-resolved");
	g_assert_cmpstr(host_dns_backend_name(HOST_DNS_RESOLVCONF), ==, "resolvconf");
	g_assert_cmpstr(host_dns_backend_name(HOST_DNS_FILE), ==, "resolv.conf");
}

/* A symlinked resolv.conf is written through the link, never replaced by a file. */
static void test_file_symlink(struct fix *f, gconstpointer data)
{
	g_autofree char *target = g_build_filename(f->dir, "real-resolv.conf", NULL);
	struct host_dns_config c = config(servers2, domains2, false);
	g_autoptr(GKeyFile) rec = g_key_file_new();
	g_autoptr(GError) e = NULL;
	g_autofree char *want = expected_split(f), *got = NULL;

	(void)data;
	put(target, ORIGINAL);
	g_unlink(f->resolv_conf);
	g_assert_cmpint(symlink(target, f->resolv_conf), ==, 0);
	g_assert_true(host_dns_plan(HOST_DNS_FILE, &f->env, &c, rec, "dns", &e));
	g_assert_true(host_dns_apply(HOST_DNS_FILE, &f->env, &c, &e));
	g_assert_no_error(e);
	g_assert_true(g_file_test(f->resolv_conf, G_FILE_TEST_IS_SYMLINK));
	got = get(target);
	g_assert_cmpstr(got, ==, want);
	g_clear_pointer(&got, g_free);
	g_assert_true(host_dns_revert(&f->env, rec, "dns", &e));
	g_assert_no_error(e);
	g_assert_true(g_file_test(f->resolv_conf, G_FILE_TEST_IS_SYMLINK));
	got = get(target);
	g_assert_cmpstr(got, ==, ORIGINAL);
}

/* ---- systemd-resolved: the stand-in on a private bus ---- */

struct standin {
	GPid pid;
	FILE *out;
};

static char *standin_path(void)
{
	const char *env = g_getenv("ROADIE_RESOLVED_STANDIN");
	g_autofree char *self = NULL, *dir = NULL;

	if (env)
		return g_strdup(env);
	self = g_file_read_link("/proc/self/exe", NULL);
	if (!self)
		return NULL;
	dir = g_path_get_dirname(self);
	return g_build_filename(dir, "host", "roadie-resolved-standin", NULL);
}

static char *standin_line(struct standin *s)
{
	char buf[1024];

	if (!fgets(buf, sizeof(buf), s->out))
		return g_strdup("(end of output)");
	buf[strcspn(buf, "\n")] = '\0';
	return g_strdup(buf);
}

static void standin_expect(struct standin *s, const char *want)
{
	g_autofree char *line = standin_line(s);

	g_assert_cmpstr(line, ==, want);
}

static bool standin_start(struct standin *s, const char *address, const char *refuse)
{
	g_autofree char *prog = standin_path();
	const char *argv[] = { prog, address, refuse ? "--refuse" : NULL, refuse, NULL };
	g_autoptr(GError) e = NULL;
	int fd = -1;

	if (!prog || !g_file_test(prog, G_FILE_TEST_IS_EXECUTABLE))
		return false;
	g_assert_true(g_spawn_async_with_pipes(NULL, (char **)argv, NULL,
					       G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &s->pid,
					       NULL, &fd, NULL, &e));
	g_assert_no_error(e);
	s->out = fdopen(fd, "r");
	g_assert_nonnull(s->out);
	standin_expect(s, "ready");
	return true;
}

static void standin_stop(struct standin *s)
{
	int status = 0;

	kill(s->pid, SIGTERM);
	g_assert_cmpint(waitpid(s->pid, &status, 0), ==, s->pid);
	g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	g_spawn_close_pid(s->pid);
	fclose(s->out);
}

static void test_resolved(struct fix *f, gconstpointer data)
{
	g_autoptr(GTestDBus) tbus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_autoptr(GDBusConnection) bus = NULL;
	g_autoptr(GError) e = NULL;
	g_autoptr(GKeyFile) rec = g_key_file_new();
	g_autoptr(GKeyFile) gone = g_key_file_new();
	struct host_dns_config c = config(servers2, domains2, true);
	struct standin s = { 0 };
	const char *address;
	g_autofree char *text = NULL;
	g_autofree char *daemon = g_find_program_in_path("dbus-daemon");

	(void)data;
	if (!daemon) {
		g_test_skip("no dbus-daemon");
		return;
	}
	g_test_dbus_up(tbus);
	address = g_test_dbus_get_bus_address(tbus);
	bus = g_dbus_connection_new_for_address_sync(
		address,
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL, NULL, &e);
	g_assert_no_error(e);
	f->env.system_bus = bus;

	/* A bus without resolved on it. */
	g_assert_cmpint(host_dns_detect(&f->env), ==, HOST_DNS_FILE);
	if (!standin_start(&s, address, NULL)) {
		g_test_skip("roadie-resolved-standin not built");
		goto out;
	}
	g_assert_cmpint(host_dns_detect(&f->env), ==, HOST_DNS_RESOLVED);

	g_assert_true(host_dns_plan(HOST_DNS_RESOLVED, &f->env, &c, rec, "dns", &e));
	g_assert_no_error(e);
	text = g_key_file_get_string(rec, "dns", "backend", NULL);
	g_assert_cmpstr(text, ==, "resolved");
	g_clear_pointer(&text, g_free);
	text = g_key_file_get_string(rec, "dns", "ifindex", NULL);
	g_assert_cmpstr(text, ==, "100007");
	g_clear_pointer(&text, g_free);

	g_assert_true(host_dns_apply(HOST_DNS_RESOLVED, &f->env, &c, &e));
	g_assert_no_error(e);
	standin_expect(&s, "SetLinkDNS 100007 192.0.2.53 2001:db8::53");
	standin_expect(&s, "SetLinkDomains 100007 corp.example:search example.com:search .:route");
	standin_expect(&s, "SetLinkDefaultRoute 100007 true");
	g_assert_true(host_dns_revert(&f->env, rec, "dns", &e));
	g_assert_no_error(e);
	standin_expect(&s, "RevertLink 100007");

	/* Split: search domains only, and not the default route. */
	c.full_tunnel = false;
	c.domains = NULL;
	g_assert_true(host_dns_apply(HOST_DNS_RESOLVED, &f->env, &c, &e));
	standin_expect(&s, "SetLinkDNS 100007 192.0.2.53 2001:db8::53");
	standin_expect(&s, "SetLinkDomains 100007");
	standin_expect(&s, "SetLinkDefaultRoute 100007 false");

	/* A link resolved does not know (gone with its device): not an error. */
	g_assert_true(g_key_file_load_from_data(
		gone, "[dns]\nbackend=resolved\nifname=roadie9\nifindex=100009\n", (gsize)-1,
		G_KEY_FILE_NONE, NULL));
	g_assert_true(host_dns_revert(&f->env, gone, "dns", &e));
	g_assert_no_error(e);
	standin_expect(&s, "RevertLink 100009 NoSuchLink");
	standin_stop(&s);

	/* resolved refuses a step: the error says which, and the link is reverted at once. */
	g_assert_true(standin_start(&s, address, "SetLinkDomains"));
	g_assert_false(host_dns_apply(HOST_DNS_RESOLVED, &f->env, &c, &e));
	g_assert_cmpstr(e->message, ==,
			"systemd-resolved refused the DNS domains for roadie0: Access denied "
			"(stand-in)");
	g_clear_error(&e);
	standin_expect(&s, "SetLinkDNS 100007 192.0.2.53 2001:db8::53");
	standin_expect(&s, "refused SetLinkDomains 100007");
	standin_expect(&s, "RevertLink 100007");
	standin_stop(&s);

	/* resolved gone from the bus: revert is an error (its settings may come back when it
	 * restarts), a sentence. */
	g_assert_false(host_dns_revert(&f->env, rec, "dns", &e));
	g_assert_true(g_str_has_prefix(e->message, "systemd-resolved did not undo the DNS "
						   "settings of roadie0: "));
	g_clear_error(&e);
	f->env.system_bus = NULL;
	g_assert_false(host_dns_revert(&f->env, rec, "dns", &e));
	g_assert_nonnull(strstr(e->message, "system bus"));
	g_clear_error(&e);
	g_assert_false(host_dns_apply(HOST_DNS_RESOLVED, &f->env, &c, &e));
out:
	f->env.system_bus = NULL;
	g_dbus_connection_close_sync(bus, NULL, NULL);
	g_clear_object(&bus);
	g_test_dbus_down(tbus);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define T(path, fn) g_test_add("/host/dns/" path, struct fix, NULL, fix_setup, fn, fix_teardown)
	T("file/split", test_file_split);
	T("file/full-tunnel", test_file_full);
	T("file/odd-original", test_file_odd_original);
	T("file/changed-since", test_file_changed_since);
	T("file/after-crash", test_file_after_crash);
	T("file/crash-before-apply", test_file_crash_before_apply);
	T("file/stale-backup", test_file_stale_backup);
	T("file/errors", test_file_errors);
	T("file/symlink", test_file_symlink);
	T("config/hostile", test_config_hostile);
	T("record/malformed", test_record_malformed);
	T("resolvconf/apply-revert", test_resolvconf);
	T("resolvconf/exclusive", test_resolvconf_exclusive);
	T("resolvconf/fails", test_resolvconf_fails);
	T("detect", test_detect);
	T("resolved", test_resolved);
#undef T
	return g_test_run();
}

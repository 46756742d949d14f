/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The host's DNS while the tunnel is up (host-dns.h): three backends behind one plan /
 * apply / revert contract.
 *
 * The record (one GKeyFile group, journaled by the caller before apply) holds:
 *   every backend: backend = resolved | resolvconf | file, ifname, ifindex
 *   file:          path (the resolv.conf written), backup (its original bytes),
 *                  sha256 (lower-case hex of the exact bytes apply writes)
 * host_dns_revert() reads it as hostile text (a damaged journal): every key is checked and
 * a missing one is an error. For safety it acts only on what this process's environment
 * names: the path must be env->resolv_conf (or /etc/resolv.conf), the backup must be the
 * one file host_dns_plan() would name in env->backup_dir, and resolvconf is the program
 * env says, never one named by the record. So a forged record can restore nothing but a
 * roadie backup into resolv.conf, and run nothing but resolvconf -d.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <openssl/evp.h>

#include "host/host-dns.h"

#define DEFAULT_RESOLV_CONF "/etc/resolv.conf"
#define FILE_MAX (64 * 1024)       /* a resolv.conf larger than this is not one */
#define MAX_SERVERS 16             /* what we accept from the gateway */
#define MAX_DOMAINS 32
#define GLIBC_MAXNS 3              /* resolv.h MAXNS: glibc reads the first three */
#define DBUS_TIMEOUT_MS 5000
#define PROGRAM_TIMEOUT_S 10

#define RESOLVED_NAME "org.freedesktop.resolve1"
#define RESOLVED_PATH "/org/freedesktop/resolve1"
#define RESOLVED_MANAGER "org.freedesktop.resolve1.Manager"
/* What resolved answers for an ifindex it does not know (resolved-bus.c, "Link %i not
 * known"): for RevertLink that means there is nothing left to revert. */
#define RESOLVED_NO_SUCH_LINK "org.freedesktop.resolve1.NoSuchLink"

#define KEY_BACKEND "backend"
#define KEY_IFNAME "ifname"
#define KEY_IFINDEX "ifindex"
#define KEY_PATH "path"
#define KEY_BACKUP "backup"
#define KEY_SHA256 "sha256"

/* The record's names for the backends: stable, unlike the user-facing names. */
static const char *backend_token(enum host_dns_backend b)
{
	switch (b) {
	case HOST_DNS_RESOLVED:
		return "resolved";
	case HOST_DNS_RESOLVCONF:
		return "resolvconf";
	case HOST_DNS_FILE:
		return "file";
	}
	return "?";
}

const char *host_dns_backend_name(enum host_dns_backend backend)
{
	switch (backend) {
	case HOST_DNS_RESOLVED:
		return "systemd-resolved";
	case HOST_DNS_RESOLVCONF:
		return "resolvconf";
	case HOST_DNS_FILE:
		return "resolv.conf";
	}
	return "?";
}

/* ---- validation of what the gateway sent and of what a record says ---- */

/* Device names become file names and a resolvconf argument: letters, digits, '-', '_',
 * '.', not starting with '-' (an option) or '.' (".", ".."), at most IFNAMSIZ - 1. */
static bool ifname_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n >= IFNAMSIZ || s[0] == '-' || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_isalnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return false;
	return true;
}

/* A plausible DNS name: labels of 1-63 letters, digits and '-' (not first or last: RFC
 * 1123 §2.1), joined by '.', at most 253 characters (RFC 1035 §2.3.4), no empty label (so
 * no leading, trailing or double dot). Anything else from the gateway could smuggle a line
 * or an option into resolv.conf. */
static bool domain_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0, label = 0;

	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
		} else if (g_ascii_isalnum(s[i]) || (s[i] == '-' && label > 0)) {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return label > 0 && s[n - 1] != '-';
}

/* AF_INET or AF_INET6 with the address in @ret_addr, or 0. */
static int server_parse(const char *s, uint8_t ret_addr[16])
{
	uint8_t a[16];

	if (!s)
		return 0;
	if (inet_pton(AF_INET, s, a) == 1) {
		memcpy(ret_addr, a, 4);
		return AF_INET;
	}
	if (inet_pton(AF_INET6, s, a) == 1) {
		memcpy(ret_addr, a, 16);
		return AF_INET6;
	}
	return 0;
}

/* Hostile text for an error sentence: escaped and cut short. */
static char *quote(const char *s)
{
	g_autofree char *cut = g_strndup(s, 64);
	g_autofree char *esc = g_strescape(cut, NULL);

	return g_strdup_printf("\"%s\"%s", esc, strlen(s) > 64 ? "..." : "");
}

static bool config_check(const struct host_dns_config *c, GError **error)
{
	size_t n;

	if (!ifname_ok(c->ifname)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			    "cannot set DNS: the tunnel device has no usable name");
		return false;
	}
	if (c->ifindex == 0 || c->ifindex > INT32_MAX) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			    "cannot set DNS for %s: it has no interface index", c->ifname);
		return false;
	}
	n = c->servers ? g_strv_length((char **)c->servers) : 0;
	if (n == 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			    "the gateway gave no DNS servers for %s", c->ifname);
		return false;
	}
	if (n > MAX_SERVERS) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			    "the gateway sent %zu DNS servers for %s; roadie takes at most %d", n,
			    c->ifname, MAX_SERVERS);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		uint8_t a[16];

		if (!server_parse(c->servers[i], a)) {
			g_autofree char *q = quote(c->servers[i]);

			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				    "the gateway sent a DNS server that is not an IP address: %s", q);
			return false;
		}
	}
	n = c->domains ? g_strv_length((char **)c->domains) : 0;
	if (n > MAX_DOMAINS) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			    "the gateway sent %zu DNS search domains for %s; roadie takes at most %d",
			    n, c->ifname, MAX_DOMAINS);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (!domain_ok(c->domains[i])) {
			g_autofree char *q = quote(c->domains[i]);

			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				    "the gateway sent a DNS search domain that is not a domain name: %s",
				    q);
			return false;
		}
	}
	return true;
}

static const char *resolv_conf_path(const struct host_dns_env *env)
{
	return env->resolv_conf ? env->resolv_conf : DEFAULT_RESOLV_CONF;
}

static char *backup_path(const struct host_dns_env *env, const char *ifname)
{
	g_autofree char *name = g_strdup_printf("resolv.conf.%s.backup", ifname);

	return g_build_filename(env->backup_dir, name, NULL);
}

/* The program env names (even if missing: tests point it at nothing on purpose), else
 * the first resolvconf in the usual places, else NULL. */
static const char *resolvconf_program(const struct host_dns_env *env)
{
	static const char *const places[] = { "/usr/sbin/resolvconf", "/sbin/resolvconf" };

	if (env->resolvconf_bin)
		return g_file_test(env->resolvconf_bin, G_FILE_TEST_IS_EXECUTABLE) ?
			       env->resolvconf_bin :
			       NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(places); i++)
		if (g_file_test(places[i], G_FILE_TEST_IS_EXECUTABLE))
			return places[i];
	return NULL;
}

/* ---- files ---- */

/* The whole of a small regular file: 0, or -errno (-EFBIG over FILE_MAX, -EINVAL when
 * not a regular file). */
static int file_read(const char *path, int oflags, guint8 **ret_data, gsize *ret_len)
{
	g_autofree guint8 *buf = NULL;
	struct stat st;
	gsize len = 0;
	int fd, r = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | oflags);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = -EINVAL;
		goto out;
	}
	buf = g_malloc(FILE_MAX + 1);
	for (;;) {
		ssize_t k = read(fd, buf + len, FILE_MAX + 1 - len);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			r = -errno;
			goto out;
		}
		if (k == 0)
			break;
		len += (gsize)k;
		if (len > FILE_MAX) {
			r = -EFBIG;
			goto out;
		}
	}
	*ret_data = g_steal_pointer(&buf);
	*ret_len = len;
out:
	close(fd);
	return r;
}

static int write_all(int fd, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len > 0) {
		ssize_t k = write(fd, p, len);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		p += k;
		len -= (size_t)k;
	}
	return 0;
}

/* Rewrites an existing file in place. Never a rename over it: /etc/resolv.conf may be a
 * bind mount (ip netns exec makes one), and a rename over a mount point fails (EBUSY). */
static int file_write_in_place(const char *path, const void *data, size_t len)
{
	int fd, r;

	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	r = write_all(fd, data, len);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	return r;
}

static void fsync_dir_of(const char *path)
{
	g_autofree char *dir = g_path_get_dirname(path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/* The backup: a new or truncated file of ours, 0600, never through a symlink, on disk
 * before anything changes. */
static int file_write_backup(const char *path, const void *data, size_t len)
{
	int fd, r;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0)
		return -errno;
	r = fchmod(fd, 0600) < 0 ? -errno : 0;
	if (r == 0)
		r = write_all(fd, data, len);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0)
		fsync_dir_of(path);
	return r;
}

static const char *file_strerror(int r)
{
	switch (-r) {
	case EFBIG:
		return "it is larger than 64 KiB, so not a resolv.conf";
	case EINVAL:
		return "it is not a regular file";
	default:
		return g_strerror(-r);
	}
}

static void sha256_hex(const void *data, size_t len, char ret_hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) {
		/* Cannot happen with a working libcrypto; an impossible digest never matches. */
		memset(ret_hex, 'x', 64);
		ret_hex[64] = '\0';
		return;
	}
	for (unsigned i = 0; i < 32; i++)
		g_snprintf(ret_hex + 2 * i, 3, "%02x", md[i]);
}

static bool sha256_hex_ok(const char *s)
{
	if (!s || strlen(s) != 64)
		return false;
	for (size_t i = 0; i < 64; i++)
		if (!g_ascii_isdigit(s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
			return false;
	return true;
}

/* The next line of @data from @*pos, without its '\n'; false at the end. */
static bool next_line(const guint8 *data, gsize len, gsize *pos, const char **ret_line,
		      gsize *ret_len)
{
	const guint8 *nl;

	if (*pos >= len)
		return false;
	nl = memchr(data + *pos, '\n', len - *pos);
	*ret_line = (const char *)data + *pos;
	*ret_len = nl ? (gsize)(nl - (data + *pos)) : len - *pos;
	*pos += *ret_len + (nl ? 1 : 0);
	return true;
}

/* A line of the original worth copying: printable ASCII, tabs and a CR (CRLF) allowed. */
static bool line_printable(const char *s, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (!g_ascii_isprint(s[i]) && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* The resolv.conf apply writes, from the original's bytes: our comment, our servers (glibc
 * reads three), in split mode the original's servers after ours up to three, our search
 * line, then the original's options lines (resolver behaviour, not servers: kept in both
 * modes). Written the same way by plan (for the digest) and by apply (from the backup). */
static char *file_compose(const struct host_dns_config *c, const char *backup,
			  const guint8 *orig, gsize orig_len)
{
	GString *out = g_string_new(NULL);
	g_autoptr(GPtrArray) ours = g_ptr_array_new_with_free_func(g_free);
	const char *line;
	gsize pos = 0, n;
	unsigned count = 0;

	g_string_append_printf(out,
			       "# written by roadie for %s; the original is in %s and comes back "
			       "on disconnect\n",
			       c->ifname, backup);
	for (size_t i = 0; c->servers[i]; i++) {
		uint8_t a[16];
		char text[INET6_ADDRSTRLEN];
		int family = server_parse(c->servers[i], a);

		/* The canonical form, so that the original's copy of it is recognised. */
		if (!inet_ntop(family, a, text, sizeof(text)))
			continue;
		g_ptr_array_add(ours, g_strdup(text));
		if (count < GLIBC_MAXNS) {
			g_string_append_printf(out, "nameserver %s\n", text);
			count++;
		}
	}
	while (!c->full_tunnel && count < GLIBC_MAXNS && next_line(orig, orig_len, &pos, &line, &n)) {
		g_autofree char *copy = NULL;
		char *value;
		size_t vlen;
		bool dup = false;

		if (!line_printable(line, n))
			continue;
		copy = g_strndup(line, n);
		g_strdelimit(copy, "\t\r", ' ');
		value = g_strchug(copy);
		if (!g_str_has_prefix(value, "nameserver "))
			continue;
		/* The address is the next word; a comment may follow (resolv.conf(5)). */
		value = g_strchug(value + strlen("nameserver "));
		vlen = strcspn(value, " #;");
		if (vlen == 0 || vlen > 64)
			continue;
		value[vlen] = '\0';
		for (guint i = 0; i < ours->len; i++)
			dup = dup || strcmp(ours->pdata[i], value) == 0;
		if (dup)
			continue;
		g_string_append_printf(out, "nameserver %s\n", value);
		count++;
	}
	if (c->domains && c->domains[0]) {
		g_string_append(out, "search");
		for (size_t i = 0; c->domains[i]; i++)
			g_string_append_printf(out, " %s", c->domains[i]);
		g_string_append_c(out, '\n');
	}
	pos = 0;
	while (next_line(orig, orig_len, &pos, &line, &n)) {
		g_autofree char *copy = NULL;

		if (!line_printable(line, n))
			continue;
		copy = g_strstrip(g_strndup(line, n));
		if (g_str_has_prefix(copy, "options") && (copy[7] == ' ' || copy[7] == '\t'))
			g_string_append_printf(out, "%s\n", copy);
	}
	return g_string_free(out, FALSE);
}

/* ---- programs (resolvconf) ---- */

struct program_run {
	bool done;
	bool timed_out;
	GSubprocess *proc;
	GCancellable *cancel;
	char *output;
	GError *error;
};

static void program_communicated(GObject *src, GAsyncResult *res, gpointer user)
{
	struct program_run *run = user;

	(void)g_subprocess_communicate_utf8_finish(G_SUBPROCESS(src), res, &run->output, NULL,
						   &run->error);
	run->done = true;
}

static gboolean program_timeout(gpointer user)
{
	struct program_run *run = user;

	run->timed_out = true;
	g_subprocess_force_exit(run->proc);
	g_cancellable_cancel(run->cancel);
	return G_SOURCE_REMOVE;
}

/* Runs @argv (no shell) with @input on its standard input, for at most PROGRAM_TIMEOUT_S,
 * in a private main context so that the caller's loop does not run meanwhile. Returns
 * false with a sentence in @error when it could not run or did not finish; otherwise its
 * exit status (-1 when killed by a signal) and its output (stdout and stderr, stripped). */
static bool program_run(const char *const *argv, const char *input, int *ret_status,
			char **ret_output, GError **error)
{
	g_autoptr(GMainContext) ctx = g_main_context_new();
	g_autoptr(GSource) timer = NULL;
	g_autoptr(GError) e = NULL;
	struct program_run run = { 0 };
	bool ok = false;

	g_main_context_push_thread_default(ctx);
	run.proc = g_subprocess_newv(argv,
				     G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
					     G_SUBPROCESS_FLAGS_STDERR_MERGE,
				     &e);
	if (!run.proc) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot run %s: %s", argv[0],
			    e->message);
		goto out;
	}
	run.cancel = g_cancellable_new();
	timer = g_timeout_source_new_seconds(PROGRAM_TIMEOUT_S);
	g_source_set_callback(timer, program_timeout, &run, NULL);
	g_source_attach(timer, ctx);
	g_subprocess_communicate_utf8_async(run.proc, input ? input : "", run.cancel,
					    program_communicated, &run);
	while (!run.done)
		g_main_context_iteration(ctx, TRUE);
	g_source_destroy(timer);
	if (run.timed_out) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
			    "%s did not finish within %d seconds", argv[0], PROGRAM_TIMEOUT_S);
		goto out;
	}
	if (run.error) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot run %s: %s", argv[0],
			    run.error->message);
		goto out;
	}
	*ret_status = g_subprocess_get_if_exited(run.proc) ?
			      g_subprocess_get_exit_status(run.proc) :
			      -1;
	*ret_output = g_strstrip(g_steal_pointer(&run.output));
	if (!*ret_output)
		*ret_output = g_strdup("");
	ok = true;
out:
	/* The child watch lives in ctx: the child is reaped before the context goes. */
	if (run.proc && g_subprocess_get_identifier(run.proc))
		g_subprocess_force_exit(run.proc);
	while (run.proc && g_subprocess_get_identifier(run.proc))
		g_main_context_iteration(ctx, TRUE);
	while (g_main_context_pending(ctx))
		g_main_context_iteration(ctx, FALSE);
	g_clear_object(&run.proc);
	g_clear_object(&run.cancel);
	g_free(run.output);
	g_clear_error(&run.error);
	g_main_context_pop_thread_default(ctx);
	return ok;
}

/* openresolv says so in `resolvconf --version`; Debian's resolvconf has no -x. */
static bool resolvconf_is_openresolv(const char *prog)
{
	const char *argv[] = { prog, "--version", NULL };
	g_autofree char *output = NULL;
	int status;

	if (!program_run(argv, NULL, &status, &output, NULL))
		return false;
	return status == 0 && strstr(output, "openresolv") != NULL;
}

/* The program's last words for an error sentence: the first line, cut short. */
static char *program_words(const char *output, int status)
{
	g_autofree char *first = g_strndup(output, strcspn(output, "\n"));

	if (first[0])
		return g_strndup(first, 200);
	if (status < 0)
		return g_strdup("it was killed");
	return g_strdup_printf("it exited with status %d", status);
}

static bool resolvconf_apply(const struct host_dns_env *env, const struct host_dns_config *c,
			     GError **error)
{
	const char *prog = resolvconf_program(env);
	g_autofree char *name = NULL, *output = NULL;
	GString *input;
	g_autofree char *text = NULL;
	const char *argv[6];
	size_t k = 0;
	int status;

	if (!prog) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
			    "cannot set DNS for %s: the resolvconf program is gone", c->ifname);
		return false;
	}
	name = g_strdup_printf("%s.roadie", c->ifname);
	input = g_string_new(NULL);
	for (size_t i = 0; c->servers[i]; i++)
		g_string_append_printf(input, "nameserver %s\n", c->servers[i]);
	if (c->domains && c->domains[0]) {
		g_string_append(input, "search");
		for (size_t i = 0; c->domains[i]; i++)
			g_string_append_printf(input, " %s", c->domains[i]);
		g_string_append_c(input, '\n');
	}
	text = g_string_free(input, FALSE);
	argv[k++] = prog;
	/* Exclusive: only this interface's lines while it is up (openresolv's -x). */
	if (c->full_tunnel && resolvconf_is_openresolv(prog))
		argv[k++] = "-x";
	argv[k++] = "-a";
	argv[k++] = name;
	argv[k] = NULL;
	if (!program_run(argv, text, &status, &output, error)) {
		g_prefix_error(error, "cannot set DNS for %s: ", c->ifname);
		return false;
	}
	if (status != 0) {
		g_autofree char *words = program_words(output, status);

		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
			    "resolvconf refused the DNS servers for %s: %s", c->ifname, words);
		return false;
	}
	return true;
}

/* ---- systemd-resolved ---- */

static bool resolved_call(GDBusConnection *bus, const char *method, GVariant *params,
			  const char *what, const char *ifname, GError **error)
{
	g_autoptr(GError) e = NULL;
	g_autoptr(GVariant) reply = NULL;

	reply = g_dbus_connection_call_sync(bus, RESOLVED_NAME, RESOLVED_PATH, RESOLVED_MANAGER,
					    method, params, NULL, G_DBUS_CALL_FLAGS_NONE,
					    DBUS_TIMEOUT_MS, NULL, &e);
	if (reply)
		return true;
	if (g_error_matches(e, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
			    "systemd-resolved did not answer within %d seconds when asked to set %s "
			    "for %s",
			    DBUS_TIMEOUT_MS / 1000, what, ifname);
		return false;
	}
	g_dbus_error_strip_remote_error(e);
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "systemd-resolved refused %s for %s: %s",
		    what, ifname, e->message);
	return false;
}

static bool resolved_revert_link(GDBusConnection *bus, unsigned ifindex, const char *ifname,
				 GError **error)
{
	g_autoptr(GError) e = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autofree char *remote = NULL;

	reply = g_dbus_connection_call_sync(bus, RESOLVED_NAME, RESOLVED_PATH, RESOLVED_MANAGER,
					    "RevertLink", g_variant_new("(i)", (gint32)ifindex),
					    NULL, G_DBUS_CALL_FLAGS_NONE, DBUS_TIMEOUT_MS, NULL, &e);
	if (reply)
		return true;
	remote = g_dbus_error_get_remote_error(e);
	if (remote && strcmp(remote, RESOLVED_NO_SUCH_LINK) == 0)
		return true; /* the device is gone, and its settings with it */
	g_dbus_error_strip_remote_error(e);
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
		    "systemd-resolved did not undo the DNS settings of %s: %s", ifname,
		    e->message);
	return false;
}

/* SetLinkDNS, SetLinkDomains, SetLinkDefaultRoute (org.freedesktop.resolve1(5)). */
static bool resolved_apply(const struct host_dns_env *env, const struct host_dns_config *c,
			   GError **error)
{
	GVariantBuilder dns, domains;
	gint32 ifindex = (gint32)c->ifindex;
	g_autoptr(GError) e = NULL;

	if (!env->system_bus) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
			    "cannot set DNS for %s: no connection to the system bus", c->ifname);
		return false;
	}
	g_variant_builder_init(&dns, G_VARIANT_TYPE("a(iay)"));
	for (size_t i = 0; c->servers[i]; i++) {
		uint8_t a[16];
		int family = server_parse(c->servers[i], a);

		g_variant_builder_add(&dns, "(i@ay)", (gint32)family,
				      g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, a,
								family == AF_INET ? 4 : 16, 1));
	}
	g_variant_builder_init(&domains, G_VARIANT_TYPE("a(sb)"));
	for (size_t i = 0; c->domains && c->domains[i]; i++)
		g_variant_builder_add(&domains, "(sb)", c->domains[i], FALSE);
	/* "~." is the root domain as a routing-only domain: every query not claimed by a more
	 * specific routing domain of another link comes here. On the bus it is the name "."
	 * with routing_only = true: org.freedesktop.resolve1(5), SetLinkDomains(): "each with
	 * a boolean parameter indicating whether the specified domain shall be used as a
	 * search domain (false), or just as a routing domain (true)"; resolvectl's `domain`
	 * verb strips the "~" prefix and sends the boolean the same way. */
	if (c->full_tunnel)
		g_variant_builder_add(&domains, "(sb)", ".", TRUE);

	if (!resolved_call(env->system_bus, "SetLinkDNS",
			   g_variant_new("(ia(iay))", ifindex, &dns), "the DNS servers",
			   c->ifname, error)) {
		g_variant_builder_clear(&domains);
		goto undo;
	}
	if (!resolved_call(env->system_bus, "SetLinkDomains",
			   g_variant_new("(ia(sb))", ifindex, &domains), "the DNS domains",
			   c->ifname, error))
		goto undo;
	/* The default-route flag (systemd 240): in full-tunnel mode this link is also used for
	 * names no link claims; in split mode it must not be. */
	if (!resolved_call(env->system_bus, "SetLinkDefaultRoute",
			   g_variant_new("(ib)", ifindex, (gboolean)c->full_tunnel),
			   "the default-route flag",
			   c->ifname, error))
		goto undo;
	return true;
undo:
	/* Leave nothing half set; the record would undo it too, this is only sooner. */
	(void)resolved_revert_link(env->system_bus, c->ifindex, c->ifname, &e);
	return false;
}

static bool resolved_present(GDBusConnection *bus)
{
	g_autoptr(GVariant) reply = NULL;
	gboolean has = FALSE;

	reply = g_dbus_connection_call_sync(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
					    "org.freedesktop.DBus", "NameHasOwner",
					    g_variant_new("(s)", RESOLVED_NAME), G_VARIANT_TYPE("(b)"),
					    G_DBUS_CALL_FLAGS_NONE, DBUS_TIMEOUT_MS, NULL, NULL);
	if (!reply)
		return false;
	g_variant_get(reply, "(b)", &has);
	return has;
}

/* ---- detection ---- */

enum host_dns_backend host_dns_detect(const struct host_dns_env *env)
{
	const char *path = resolv_conf_path(env);
	g_autofree char *target = NULL;

	if (env->system_bus && !g_dbus_connection_is_closed(env->system_bus) &&
	    resolved_present(env->system_bus))
		return HOST_DNS_RESOLVED;
	if (resolvconf_program(env)) {
		target = g_file_read_link(path, NULL);
		if (target && strstr(target, "/resolvconf/"))
			return HOST_DNS_RESOLVCONF;
		/* That directory belongs to the system's own resolv.conf, not a test's. */
		if (!env->resolv_conf &&
		    g_file_test("/run/resolvconf/interface", G_FILE_TEST_IS_DIR))
			return HOST_DNS_RESOLVCONF;
	}
	return HOST_DNS_FILE;
}

/* ---- plan, apply ---- */

/* Takes the backup; returns its path and the digest of what apply will write. */
static bool file_plan(const struct host_dns_env *env, const struct host_dns_config *c,
		      char **ret_backup, char ret_hex[65], GError **error)
{
	const char *path = resolv_conf_path(env);
	g_autofree char *backup = NULL, *content = NULL;
	g_autofree guint8 *orig = NULL, *old = NULL;
	gsize orig_len = 0, old_len = 0;
	int r;

	if (!env->backup_dir) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			    "cannot set DNS for %s: roadie has no state directory to keep a copy of "
			    "%s in",
			    c->ifname, path);
		return false;
	}
	backup = backup_path(env, c->ifname);
	r = file_read(path, 0, &orig, &orig_len);
	if (r < 0) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(-r), "cannot read %s: %s",
			    path, file_strerror(r));
		return false;
	}
	/* A backup left by an earlier connection that was never restored holds the only copy
	 * of the original: never overwrite it with something else. */
	r = file_read(backup, O_NOFOLLOW, &old, &old_len);
	if (r != -ENOENT && (r < 0 || old_len != orig_len || memcmp(old, orig, orig_len) != 0)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_EXISTS,
			    "cannot set DNS for %s: an earlier copy of %s is still in %s and differs "
			    "from it; restore it or remove it first",
			    c->ifname, path, backup);
		return false;
	}
	r = file_write_backup(backup, orig, orig_len);
	if (r < 0) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(-r), "cannot write %s: %s",
			    backup, g_strerror(-r));
		return false;
	}
	content = file_compose(c, backup, orig, orig_len);
	sha256_hex(content, strlen(content), ret_hex);
	*ret_backup = g_steal_pointer(&backup);
	return true;
}

bool host_dns_plan(enum host_dns_backend backend, const struct host_dns_env *env,
		   const struct host_dns_config *config, GKeyFile *record, const char *group,
		   GError **error)
{
	g_autofree char *backup = NULL;
	char hex[65];

	if (!config_check(config, error))
		return false;
	if ((unsigned)backend > HOST_DNS_FILE) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "unknown DNS backend");
		return false;
	}
	switch (backend) {
	case HOST_DNS_RESOLVED:
		break;
	case HOST_DNS_RESOLVCONF:
		if (resolvconf_program(env))
			break;
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
			    "cannot set DNS for %s: the resolvconf program is not installed",
			    config->ifname);
		return false;
	case HOST_DNS_FILE:
		if (!file_plan(env, config, &backup, hex, error))
			return false;
		break;
	}
	/* The group is written only on success, and whole. */
	(void)g_key_file_remove_group(record, group, NULL);
	g_key_file_set_string(record, group, KEY_BACKEND, backend_token(backend));
	g_key_file_set_string(record, group, KEY_IFNAME, config->ifname);
	g_key_file_set_uint64(record, group, KEY_IFINDEX, config->ifindex);
	if (backend == HOST_DNS_FILE) {
		g_key_file_set_string(record, group, KEY_PATH, resolv_conf_path(env));
		g_key_file_set_string(record, group, KEY_BACKUP, backup);
		g_key_file_set_string(record, group, KEY_SHA256, hex);
	}
	return true;
}

static bool file_apply(const struct host_dns_env *env, const struct host_dns_config *c,
		       GError **error)
{
	const char *path = resolv_conf_path(env);
	g_autofree char *backup = NULL, *content = NULL;
	g_autofree guint8 *orig = NULL;
	gsize orig_len = 0;
	int r;

	if (!env->backup_dir) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			    "cannot set DNS for %s: roadie has no state directory", c->ifname);
		return false;
	}
	/* From the backup plan took, so that the bytes match the digest in the record. */
	backup = backup_path(env, c->ifname);
	r = file_read(backup, O_NOFOLLOW, &orig, &orig_len);
	if (r < 0) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(-r),
			    "cannot set DNS for %s: cannot read the copy of %s in %s: %s", c->ifname,
			    path, backup, file_strerror(r));
		return false;
	}
	content = file_compose(c, backup, orig, orig_len);
	r = file_write_in_place(path, content, strlen(content));
	if (r < 0) {
		/* A write that failed half way leaves a truncated file: put the original back. */
		if (r != -EACCES && r != -EPERM && r != -ENOENT && r != -EROFS)
			(void)file_write_in_place(path, orig, orig_len);
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(-r), "cannot write %s: %s",
			    path, g_strerror(-r));
		return false;
	}
	return true;
}

bool host_dns_apply(enum host_dns_backend backend, const struct host_dns_env *env,
		    const struct host_dns_config *config, GError **error)
{
	if (!config_check(config, error))
		return false;
	switch (backend) {
	case HOST_DNS_RESOLVED:
		return resolved_apply(env, config, error);
	case HOST_DNS_RESOLVCONF:
		return resolvconf_apply(env, config, error);
	case HOST_DNS_FILE:
		return file_apply(env, config, error);
	}
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "unknown DNS backend");
	return false;
}

/* ---- revert, from a record that may be damaged ---- */

static bool record_damaged(GError **error, const char *what)
{
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		    "cannot undo a DNS change: its record is damaged (%s)", what);
	return false;
}

static bool file_revert(const struct host_dns_env *env, GKeyFile *record, const char *group,
			const char *ifname, GError **error)
{
	const char *want_path = resolv_conf_path(env);
	g_autofree char *path = NULL, *backup = NULL, *want_backup = NULL, *sha = NULL;
	g_autofree guint8 *cur = NULL, *orig = NULL;
	gsize cur_len = 0, orig_len = 0;
	char hex[65];
	int r, rb;

	path = g_key_file_get_string(record, group, KEY_PATH, NULL);
	backup = g_key_file_get_string(record, group, KEY_BACKUP, NULL);
	sha = g_key_file_get_string(record, group, KEY_SHA256, NULL);
	if (!path || !backup || !sha)
		return record_damaged(error, "a key of the resolv.conf change is missing");
	if (!sha256_hex_ok(sha))
		return record_damaged(error, "the digest is not SHA-256");
	/* Only the resolv.conf and backup this environment names (see the top of the file). */
	if (strcmp(path, want_path) != 0)
		return record_damaged(error, "it names another file than resolv.conf");
	if (!env->backup_dir)
		return record_damaged(error, "roadie has no state directory for the backup");
	want_backup = backup_path(env, ifname);
	if (strcmp(backup, want_backup) != 0)
		return record_damaged(error, "its backup is not in roadie's state directory");

	r = file_read(path, 0, &cur, &cur_len);
	if (r < 0) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(-r),
			    "cannot restore %s: cannot read it: %s; the original is in %s", path,
			    file_strerror(r), backup);
		return false;
	}
	rb = file_read(backup, O_NOFOLLOW, &orig, &orig_len);
	sha256_hex(cur, cur_len, hex);
	if (strcmp(hex, sha) == 0) {
		if (rb < 0) {
			g_set_error(error, G_IO_ERROR, g_io_error_from_errno(-rb),
				    "cannot restore %s: its copy in %s cannot be read: %s", path,
				    backup, file_strerror(rb));
			return false;
		}
		r = file_write_in_place(path, orig, orig_len);
		if (r < 0) {
			g_set_error(error, G_IO_ERROR, g_io_error_from_errno(-r),
				    "cannot write %s: %s; the original is in %s", path,
				    g_strerror(-r), backup);
			return false;
		}
	} else if (rb == -ENOENT) {
		/* Restored already (a revert that ran before a crash): nothing to do. */
		return true;
	} else if (rb < 0 || orig_len != cur_len || memcmp(orig, cur, cur_len) != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
			    "%s was changed by something else since roadie wrote it, so roadie left "
			    "it as it is; the original is in %s",
			    path, backup);
		return false;
	}
	/* Restored, or never changed (a crash between plan and apply): the copy goes. */
	if (unlink(backup) < 0 && errno != ENOENT)
		g_info("cannot remove %s: %s", backup, g_strerror(errno));
	return true;
}

static bool resolvconf_revert(const struct host_dns_env *env, const char *ifname,
			      GError **error)
{
	const char *prog = resolvconf_program(env);
	g_autofree char *name = g_strdup_printf("%s.roadie", ifname);
	g_autofree char *output = NULL;
	const char *argv[] = { prog, "-d", name, NULL };
	int status;

	if (!prog) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
			    "cannot undo the DNS settings of %s: the resolvconf program is gone",
			    ifname);
		return false;
	}
	if (!program_run(argv, NULL, &status, &output, error)) {
		g_prefix_error(error, "cannot undo the DNS settings of %s: ", ifname);
		return false;
	}
	/* Tolerant: both resolvconfs fail -d for a record that is gone already (openresolv
	 * unless -f, which Debian's does not know), and gone is what revert wants. */
	if (status != 0)
		g_info("resolvconf -d %s: exit status %d: %s", name, status, output);
	return true;
}

bool host_dns_revert(const struct host_dns_env *env, GKeyFile *record, const char *group,
		     GError **error)
{
	g_autofree char *backend = NULL, *ifname = NULL, *index_text = NULL;
	guint64 ifindex = 0;
	char now[IF_NAMESIZE];

	if (!g_key_file_has_group(record, group))
		return record_damaged(error, "there is no DNS part");
	backend = g_key_file_get_string(record, group, KEY_BACKEND, NULL);
	ifname = g_key_file_get_string(record, group, KEY_IFNAME, NULL);
	index_text = g_key_file_get_string(record, group, KEY_IFINDEX, NULL);
	if (!backend || !ifname || !index_text)
		return record_damaged(error, "the backend, device or index is missing");
	if (!ifname_ok(ifname))
		return record_damaged(error, "the device name is not one");
	if (!g_ascii_string_to_unsigned(index_text, 10, 1, INT32_MAX, &ifindex, NULL))
		return record_damaged(error, "the interface index is not one");

	if (strcmp(backend, backend_token(HOST_DNS_FILE)) == 0)
		return file_revert(env, record, group, ifname, error);
	if (strcmp(backend, backend_token(HOST_DNS_RESOLVCONF)) == 0)
		return resolvconf_revert(env, ifname, error);
	if (strcmp(backend, backend_token(HOST_DNS_RESOLVED)) != 0)
		return record_damaged(error, "the DNS backend is unknown");

	if (!env->system_bus || g_dbus_connection_is_closed(env->system_bus)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
			    "cannot undo the DNS settings of %s: no connection to the system bus "
			    "to reach systemd-resolved",
			    ifname);
		return false;
	}
	/* After a crash the index may belong to another device by now: its settings are not
	 * ours. (No device at that index at all: RevertLink, which answers NoSuchLink.) */
	if (if_indextoname((unsigned)ifindex, now) && strcmp(now, ifname) != 0) {
		g_info("interface %" G_GUINT64_FORMAT " is %s now, not %s: its DNS is not roadie's",
		       ifindex, now, ifname);
		return true;
	}
	return resolved_revert_link(env->system_bus, (unsigned)ifindex, ifname, error);
}

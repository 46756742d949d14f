/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * roadied: the privileged helper. Without --connect it is the D-Bus service
 * (service/service.h) on the system bus, started by D-Bus activation and gone when idle;
 * with --connect it runs one connection in the foreground from a profile file. Either way
 * it keeps only the capabilities it needs (service/service-caps.h), undoes what a crashed
 * roadied left on the host first, and on SIGTERM or SIGINT ends every connection politely
 * and restores the host.
 *
 * Logging goes through GLib's structured log writer, which sends to the journal when
 * stderr is connected to it (as under systemd) and to stderr otherwise; --debug turns on
 * debug messages for the roadie log domains.
 */
#define G_LOG_DOMAIN "roadied"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <glib.h>
#include <glib-unix.h>

#include "config.h"
#include "net/net-watch.h"
#include "profile.h"
#include "x509-cred.h"
#include "service/service.h"
#include "service/service-caps.h"
#include "session/session.h"

typedef struct {
	GMainLoop *loop;
	int stop_signal;
	int exit_status;
	FILE *keylog;
	bool print_facts;
	struct session *session;
	enum session_state last_state;
} Daemon;

/* ---- roadied --connect: one connection in the foreground, progress on stderr ---- */

static void daemon_connect_progress(void *user, const char *line)
{
	fprintf(stderr, "roadied: %s\n", line);
}

static void daemon_connect_changed(void *user)
{
	Daemon *d = user;
	enum session_state state = session_state(d->session);

	if (state == d->last_state)
		return;
	d->last_state = state;
	switch (state) {
	case SESSION_CONNECTED: {
		struct conn_info info;

		session_info(d->session, &info);
		fprintf(stderr, "roadied: connected through %s; Ctrl-C to disconnect\n",
			info.ifname);
		break;
	}
	case SESSION_RECONNECTING:
		fprintf(stderr, "roadied: reconnecting: %s\n", session_reason_text(d->session));
		break;
	case SESSION_FAILED:
		fprintf(stderr, "roadied: connection failed: %s\n",
			session_reason_text(d->session));
		d->exit_status = 1;
		g_main_loop_quit(d->loop);
		break;
	case SESSION_DISCONNECTED:
		g_main_loop_quit(d->loop);
		break;
	case SESSION_RESOLVING:
	case SESSION_IKE_PHASE1:
	case SESSION_IKE_PHASE2:
	case SESSION_L2TP:
	case SESSION_PPP_LINK:
	case SESSION_PPP_AUTH:
	case SESSION_PPP_NETWORK:
	case SESSION_CONFIGURING:
	case SESSION_DISCONNECTING:
		break;
	}
}

static void daemon_connect_learned(void *user, const char *ike, const char *esp, const char *pfs)
{
	/* one line a script can keep: the profile's [learned] group */
	fprintf(stderr, "roadied: learned: ike=%s esp=%s pfs=%s\n", ike, esp, pfs);
}

static void daemon_connect_keylog(void *user, const char *line)
{
	Daemon *d = user;

	if (d->keylog) {
		fprintf(d->keylog, "%s\n", line);
		fflush(d->keylog);
	}
}

/* --keylog FILE: appended to, created 0600, never through a symbolic link. */
static FILE *daemon_open_keylog(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	FILE *f;

	if (fd < 0) {
		fprintf(stderr, "roadied: cannot open the key log %s: %s\n", path, g_strerror(errno));
		return NULL;
	}
	f = fdopen(fd, "a");
	if (!f)
		close(fd);
	return f;
}

/* --no-configure: the facts on standard output as shell assignments, one per line, for
 * scripts (eval, or source a saved copy) and for tests; every value is quoted. */
static void daemon_connect_facts(void *user, const struct host_facts *facts)
{
	char local[INET_ADDRSTRLEN], peer[INET_ADDRSTRLEN];
	g_autofree char *dns = g_strjoinv(" ", (char **)facts->dns);
	g_autofree char *domains = g_strjoinv(" ", (char **)facts->domains);
	g_autofree char *routes = g_strjoinv(" ", (char **)facts->routes);
	g_autofree char *q_dns = g_shell_quote(dns);
	g_autofree char *q_domains = g_shell_quote(domains);
	g_autofree char *q_routes = g_shell_quote(routes);
	g_autofree char *q_device = g_shell_quote(facts->ifname);
	Daemon *d = user;

	if (!d->print_facts)
		return;
	inet_ntop(AF_INET, &facts->local, local, sizeof(local));
	inet_ntop(AF_INET, &facts->peer, peer, sizeof(peer));
	printf("ROADIE_DEVICE=%s\nROADIE_ADDRESS=%s\nROADIE_PREFIX=%u\nROADIE_PEER=%s\n"
	       "ROADIE_MTU=%u\nROADIE_DNS=%s\nROADIE_DOMAINS=%s\nROADIE_ROUTES=%s\n"
	       "ROADIE_FACTS_END=1\n",
	       q_device, local, facts->prefix, peer, facts->mtu, q_dns, q_domains, q_routes);
	fflush(stdout);
}

static void daemon_restore_progress(void *user, const char *line)
{
	fprintf(stderr, "roadied: %s\n", line);
}

static const struct session_callbacks daemon_connect_callbacks = {
	.changed = daemon_connect_changed,
	.facts = daemon_connect_facts,
	.progress = daemon_connect_progress,
	.keylog = daemon_connect_keylog,
	.learned = daemon_connect_learned,
};

static void daemon_service_quit(void *user, const char *why, bool failed)
{
	Daemon *d = user;

	g_message("stopping: %s", why);
	if (failed)
		d->exit_status = 1;
	g_main_loop_quit(d->loop);
}

static void daemon_print_problems(const char *what, GPtrArray *problems, const GError *error)
{
	if (problems && problems->len) {
		for (guint i = 0; i < problems->len; i++) {
			const RoadieProblem *p = problems->pdata[i];

			fprintf(stderr, "roadied: %s: %s\n", what, p->message);
		}
	} else if (error) {
		fprintf(stderr, "roadied: %s: %s\n", what, error->message);
	}
}

/* Secrets on standard input, in the profile's syntax ("[ipsec]\npsk=...\n[ppp]\npassword=..."),
 * so that scripts and containers need not write them into the profile file. */
static bool daemon_read_secrets(RoadieProfile *profile)
{
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(GError) error = NULL;
	GByteArray *buf = g_byte_array_new();
	uint8_t chunk[4096];
	size_t n;
	bool ok;

	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0 && buf->len <= 65536)
		g_byte_array_append(buf, chunk, (guint)n);
	roadie_wipe(chunk, sizeof(chunk));
	ok = roadie_profile_merge_secrets(profile, (const char *)buf->data, buf->len, &problems,
					  &error);
	roadie_wipe(buf->data, buf->len);
	g_byte_array_unref(buf);
	if (!ok)
		daemon_print_problems("standard input", problems, error);
	return ok;
}

/* --connect is its own front end: the certificate files the profile names are read here,
 * once, and handed on as contents like roadiectl does over D-Bus. */
static bool daemon_read_cert_files(RoadieProfile *profile)
{
	struct {
		const char *path;
		GBytes **data;
	} files[] = {
		{ profile->certificate, &profile->certificate_data },
		{ profile->private_key, &profile->private_key_data },
		{ profile->ca_certificate, &profile->ca_certificate_data },
	};

	if (profile->ipsec_auth != ROADIE_IPSEC_AUTH_CERT)
		return true;
	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autoptr(GError) error = NULL;

		if (!files[i].path || *files[i].data)
			continue;
		*files[i].data = roadie_x509_read_file(files[i].path, &error);
		if (!*files[i].data) {
			fprintf(stderr, "roadied: %s\n", error->message);
			return false;
		}
	}
	return true;
}

static RoadieProfile *daemon_load_profile(const char *path, bool secrets_from_stdin)
{
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieProfile) profile = roadie_profile_load_file(
		path, ROADIE_CHECK_FILES | (secrets_from_stdin ? 0 : ROADIE_CHECK_SECRETS),
		&problems, &error);

	if (!profile) {
		daemon_print_problems(path, problems, error);
		return NULL;
	}
	if (!daemon_read_cert_files(profile))
		return NULL;
	if (!secrets_from_stdin)
		return g_steal_pointer(&profile);
	if (!daemon_read_secrets(profile))
		return NULL;
	g_clear_pointer(&problems, g_ptr_array_unref);
	problems = roadie_profile_check(profile, ROADIE_CHECK_SECRETS | ROADIE_CHECK_FILES);
	if (problems->len) {
		daemon_print_problems(path, problems, NULL);
		return NULL;
	}
	return g_steal_pointer(&profile);
}

static gboolean daemon_on_signal(gpointer user_data, int signo)
{
	Daemon *d = user_data;

	d->stop_signal = signo;
	g_main_loop_quit(d->loop);
	return G_SOURCE_REMOVE;
}

static gboolean daemon_on_sigterm(gpointer user_data)
{
	return daemon_on_signal(user_data, SIGTERM);
}

static gboolean daemon_on_sigint(gpointer user_data)
{
	return daemon_on_signal(user_data, SIGINT);
}

static void daemon_on_network_changed(void *user)
{
	Daemon *d = user;

	if (d->session)
		session_network_changed(d->session);
}

int main(int argc, char **argv)
{
	gboolean version = FALSE, debug = FALSE, secrets_from_stdin = FALSE, no_configure = FALSE,
		 restore = FALSE, auto_reconnect = FALSE, keep_caps = FALSE;
	int idle_exit = 60;
	g_autofree char *connect_file = NULL, *keylog_file = NULL, *state_dir = NULL;
	g_autoptr(GDBusConnection) system_bus = NULL;
	struct host_env host_env = { 0 };
	g_autoptr(RoadieProfile) profile = NULL;
	struct service *service = NULL;
	struct net_watch *net_watch = NULL;
	const GOptionEntry entries[] = {
		{ "connect", 'c', 0, G_OPTION_ARG_FILENAME, &connect_file,
		  "Run one connection in the foreground from a profile file, without D-Bus",
		  "PROFILE" },
		{ "secrets-from-stdin", 0, 0, G_OPTION_ARG_NONE, &secrets_from_stdin,
		  "With --connect: read the secrets from standard input ([ipsec] psk=, [ppp] "
		  "password=, ...)",
		  NULL },
		{ "keylog", 0, 0, G_OPTION_ARG_FILENAME, &keylog_file,
		  "With --connect, for debugging only: append the IKE and ESP keys to FILE so that a "
		  "capture decrypts in Wireshark (anyone who reads FILE can read this session)",
		  "FILE" },
		{ "no-configure", 0, 0, G_OPTION_ARG_NONE, &no_configure,
		  "With --connect: change nothing on the host (no address, routes or DNS) and print "
		  "what the tunnel brought as shell assignments on standard output",
		  NULL },
		{ "auto-reconnect", 0, 0, G_OPTION_ARG_NONE, &auto_reconnect,
		  "With --connect: when the gateway goes away after the tunnel was up, reconnect "
		  "(as the profile's auto-reconnect asks) rather than exit",
		  NULL },
		{ "idle-exit", 0, 0, G_OPTION_ARG_INT, &idle_exit,
		  "As the D-Bus service: exit after SECONDS without connections (0: never; "
		  "default 60, D-Bus activation starts roadied again when needed)",
		  "SECONDS" },
		{ "keep-capabilities", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &keep_caps,
		  "For debugging: do not drop capabilities", NULL },
		{ "restore", 0, 0, G_OPTION_ARG_NONE, &restore,
		  "Undo the routes and DNS that a roadied which stopped without cleaning up left "
		  "behind, then exit (every start does this too)",
		  NULL },
		{ "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir,
		  "Where roadied journals its changes to the host (default " ROADIE_STATE_DIR ")",
		  "DIR" },
		{ "version", 'V', 0, G_OPTION_ARG_NONE, &version, "Print the version and exit",
		  NULL },
		{ "debug", 'd', 0, G_OPTION_ARG_NONE, &debug, "Log debug messages", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(GError) error = NULL;
	Daemon d = { 0 };
	guint sigterm_id, sigint_id;

	/* a helper that exits before reading what we write to it (resolvconf) must not kill us */
	signal(SIGPIPE, SIG_IGN);
	g_option_context_set_summary(context,
				     "The roadie L2TP/IPsec VPN daemon (runs as root, driven over "
				     "the system D-Bus).");
	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		fprintf(stderr, "roadied: %s (try --help)\n", error->message);
		return 2;
	}
	if (version) {
		printf("roadied %s\n", ROADIE_VERSION);
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr, "roadied: unexpected argument '%s' (try --help)\n", argv[1]);
		return 2;
	}
	if (debug)
		g_log_set_debug_enabled(TRUE);
	if (secrets_from_stdin && !connect_file) {
		fprintf(stderr, "roadied: --secrets-from-stdin goes with --connect\n");
		return 2;
	}
	if (keylog_file && !connect_file) {
		fprintf(stderr, "roadied: --keylog goes with --connect\n");
		return 2;
	}
	if (no_configure && !connect_file) {
		fprintf(stderr, "roadied: --no-configure goes with --connect\n");
		return 2;
	}
	if (restore && connect_file) {
		fprintf(stderr, "roadied: --restore goes alone\n");
		return 2;
	}
	if (auto_reconnect && !connect_file) {
		fprintf(stderr, "roadied: --auto-reconnect goes with --connect (over D-Bus it is "
				"an option of Connect)\n");
		return 2;
	}
	if (idle_exit < 0) {
		fprintf(stderr, "roadied: --idle-exit takes seconds, 0 or more\n");
		return 2;
	}
	if (connect_file && !(profile = daemon_load_profile(connect_file, secrets_from_stdin)))
		return 1;

	/* what an earlier roadied left on the host (a crash, kill -9, a power loss) goes first;
	 * resolved is asked through the system bus only when there is one */
	host_env.state_dir = state_dir ? state_dir : ROADIE_STATE_DIR;
	system_bus = g_bus_get_sync(G_BUS_TYPE_SYSTEM, NULL, NULL);
	host_env.dns.system_bus = system_bus;
	host_env.dns.backup_dir = host_env.state_dir;
	{
		unsigned n = host_restore_stale(&host_env, daemon_restore_progress, NULL);

		if (restore) {
			fprintf(stderr, "roadied: %u journal%s of stopped connections undone\n", n,
				n == 1 ? "" : "s");
			return 0;
		}
	}
	if (!connect_file && !system_bus) {
		fprintf(stderr, "roadied: cannot reach the system bus; without it only --connect "
				"and --restore work\n");
		return 1;
	}
	if (!keep_caps && getuid() == 0) {
		if (!service_drop_capabilities(&error)) {
			fprintf(stderr, "roadied: %s\n", error->message);
			return 1;
		}
	}
	d.print_facts = no_configure;
	if (keylog_file) {
		if (!(d.keylog = daemon_open_keylog(keylog_file)))
			return 1;
		fprintf(stderr, "roadied: writing the IKE keys to %s: for debugging only\n",
			keylog_file);
	}

	d.loop = g_main_loop_new(NULL, FALSE);
	sigterm_id = g_unix_signal_add(SIGTERM, daemon_on_sigterm, &d);
	sigint_id = g_unix_signal_add(SIGINT, daemon_on_sigint, &d);

	g_message("roadied %s started (pid %d)", ROADIE_VERSION, (int)getpid());
	if (profile) {
		struct session_config cfg = {
			.host_env = no_configure ? NULL : &host_env,
			.auto_reconnect = auto_reconnect,
		};

		g_autoptr(GError) watch_error = NULL;

		d.last_state = SESSION_RESOLVING;
		d.session = session_new(g_steal_pointer(&profile), &cfg, &daemon_connect_callbacks,
					&d);
		net_watch = net_watch_new(1000, daemon_on_network_changed, &d, &watch_error);
		if (!net_watch)
			g_warning("%s", watch_error->message);
		session_start(d.session);
	} else {
		struct service_config cfg = {
			.bus = system_bus,
			.host_env = &host_env,
			.idle_exit_s = (unsigned)idle_exit,
			.quit = daemon_service_quit,
			.user = &d,
		};

		service = service_new(&cfg, &error);
		if (!service) {
			fprintf(stderr, "roadied: cannot offer the D-Bus API: %s\n", error->message);
			return 1;
		}
	}
	g_main_loop_run(d.loop);
	/* on a signal, and after a failure that left SAs up, tell the gateway we are gone;
	 * the routes and the journal go last */
	net_watch = net_watch_free(net_watch);
	d.session = session_free(d.session);
	service = service_free(service);
	/* what is queued goes out (the last PropertiesChanged), then the connection closes, so
	 * that GDBus's worker thread lets go of its buffers before we exit */
	if (system_bus) {
		g_dbus_connection_flush_sync(system_bus, NULL, NULL);
		g_dbus_connection_close_sync(system_bus, NULL, NULL);
	}
	if (d.stop_signal)
		g_message("stopping on %s", d.stop_signal == SIGINT ? "SIGINT" : "SIGTERM");

	/* The signal that fired already removed its source. */
	if (d.stop_signal != SIGTERM)
		g_source_remove(sigterm_id);
	if (d.stop_signal != SIGINT)
		g_source_remove(sigint_id);
	g_main_loop_unref(d.loop);
	if (d.keylog)
		fclose(d.keylog);
	return d.exit_status;
}

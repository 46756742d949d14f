/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "roadied"

#include <string.h>
#include <glib.h>

#include "config.h"
#include "roadie-dbus.h"
#include "service.h"
#include "service-args.h"
#include "service-polkit.h"
#include "net/net-watch.h"
#include "session/session.h"

#define SERVICE_NAME "org.roadie.Daemon"
#define SERVICE_PATH "/org/roadie/Daemon1"
#define SERVICE_ERROR "org.roadie.Error."
/* hostile callers: a cap on what one Connect may carry and on connections at once */
#define SERVICE_MAX_ARGS_BYTES (256 * 1024) /* room for certificate contents (a 4096-bit chain in PEM and a PKCS#12) */
#define SERVICE_MAX_CONNECTIONS 32
#define SERVICE_COUNTERS_S 2
/* a DHCP renewal or a roam is a burst of messages: look once it is over */
#define SERVICE_NETWORK_QUIET_MS 1000

struct service_conn {
	struct service *svc;
	unsigned id;
	char *path;
	RoadieObjectSkeleton *object;
	RoadieConnection1 *iface;
	struct session *session;
	uint32_t owner;
	guint counters_timer;
	guint linger_timer;
	bool ended;
};

struct service {
	struct service_config config;
	GDBusObjectManagerServer *manager;
	RoadieDaemon1 *daemon;
	guint own_id;
	GPtrArray *conns;           /* struct service_conn * */
	unsigned next_id;
	guint idle_timer;
	guint sleep_sub;
	struct net_watch *net_watch;
	GCancellable *cancel;
	bool name_owned;
};

/* ---- connections as objects ---- */

static void service_update_connections(struct service *svc);
static void service_arm_idle(struct service *svc);

static GVariant *service_strv(char **v)
{
	return g_variant_new_strv((const char *const *)v, -1);
}

static void service_conn_publish(struct service_conn *sc)
{
	const struct session_ip *ip = session_ip(sc->session);
	struct conn_info info;
	GVariantBuilder b4, b6, neg;

	session_info(sc->session, &info);
	roadie_connection1_set_state(sc->iface, session_state_name(session_state(sc->session)));
	roadie_connection1_set_reason(sc->iface,
				      g_variant_new("(ss)", session_reason_code(sc->session),
						    session_reason_text(sc->session)));
	roadie_connection1_set_gateway(sc->iface, info.gateway);
	roadie_connection1_set_nat(sc->iface, info.nat);
	roadie_connection1_set_interface(sc->iface, info.ifname);

	g_variant_builder_init(&b4, G_VARIANT_TYPE_VARDICT);
	if (ip->address[0]) {
		g_variant_builder_add(&b4, "{sv}", "address", g_variant_new_string(ip->address));
		g_variant_builder_add(&b4, "{sv}", "peer", g_variant_new_string(ip->peer));
		g_variant_builder_add(&b4, "{sv}", "prefix", g_variant_new_uint32(ip->prefix));
		g_variant_builder_add(&b4, "{sv}", "mtu", g_variant_new_uint32(ip->mtu));
		g_variant_builder_add(&b4, "{sv}", "dns", service_strv(ip->dns));
		g_variant_builder_add(&b4, "{sv}", "domains", service_strv(ip->domains));
		g_variant_builder_add(&b4, "{sv}", "routes", service_strv(ip->routes));
	}
	roadie_connection1_set_ip4_config(sc->iface, g_variant_builder_end(&b4));
	g_variant_builder_init(&b6, G_VARIANT_TYPE_VARDICT);
	if (ip->address6[0]) {
		g_variant_builder_add(&b6, "{sv}", "address", g_variant_new_string(ip->address6));
		g_variant_builder_add(&b6, "{sv}", "prefix", g_variant_new_uint32(64));
		g_variant_builder_add(&b6, "{sv}", "mtu", g_variant_new_uint32(ip->mtu));
	}
	roadie_connection1_set_ip6_config(sc->iface, g_variant_builder_end(&b6));

	g_variant_builder_init(&neg, G_VARIANT_TYPE("a{ss}"));
	if (info.ike[0])
		g_variant_builder_add(&neg, "{ss}", "ike", info.ike);
	if (info.esp[0]) {
		g_autofree char *port = g_strdup_printf("%u", info.l2tp_port);

		g_variant_builder_add(&neg, "{ss}", "esp", info.esp);
		g_variant_builder_add(&neg, "{ss}", "pfs", info.pfs);
		g_variant_builder_add(&neg, "{ss}", "l2tp-port", port);
	}
	if (info.ppp_auth[0])
		g_variant_builder_add(&neg, "{ss}", "ppp-auth", info.ppp_auth);
	roadie_connection1_set_negotiated(sc->iface, g_variant_builder_end(&neg));
	roadie_connection1_set_bytes_in(sc->iface, info.bytes_in);
	roadie_connection1_set_bytes_out(sc->iface, info.bytes_out);
	roadie_connection1_set_packets_in(sc->iface, info.packets_in);
	roadie_connection1_set_packets_out(sc->iface, info.packets_out);
	roadie_connection1_set_connected_since(sc->iface,
					       (guint64)session_connected_since(sc->session));
}

static gboolean service_conn_on_counters(gpointer data)
{
	struct service_conn *sc = data;

	service_conn_publish(sc);
	return G_SOURCE_CONTINUE;
}

static void service_conn_free(struct service_conn *sc)
{
	if (sc->counters_timer)
		g_source_remove(sc->counters_timer);
	if (sc->linger_timer)
		g_source_remove(sc->linger_timer);
	sc->session = session_free(sc->session);
	g_clear_object(&sc->iface);
	g_clear_object(&sc->object);
	g_free(sc->path);
	g_free(sc);
}

static gboolean service_conn_on_linger(gpointer data)
{
	struct service_conn *sc = data;
	struct service *svc = sc->svc;

	sc->linger_timer = 0;
	g_dbus_object_manager_server_unexport(svc->manager, sc->path);
	g_ptr_array_remove(svc->conns, sc); /* frees */
	service_arm_idle(svc);
	return G_SOURCE_REMOVE;
}

static void service_conn_changed(void *user)
{
	struct service_conn *sc = user;
	enum session_state state = session_state(sc->session);

	service_conn_publish(sc);
	if (state == SESSION_CONNECTED && !sc->counters_timer)
		sc->counters_timer =
			g_timeout_add_seconds(SERVICE_COUNTERS_S, service_conn_on_counters, sc);
	if (session_ended(sc->session) && !sc->ended) {
		sc->ended = true;
		g_message("%s: %s%s%s", session_profile(sc->session)->name,
			  session_state_name(state), session_reason_text(sc->session)[0] ? ": " : "",
			  session_reason_text(sc->session));
		if (sc->counters_timer) {
			g_source_remove(sc->counters_timer);
			sc->counters_timer = 0;
		}
		/* late watchers can still read State and Reason for a moment */
		sc->linger_timer = g_timeout_add(sc->svc->config.linger_ms, service_conn_on_linger, sc);
		service_update_connections(sc->svc);
	}
}

static void service_conn_progress(void *user, const char *line)
{
	struct service_conn *sc = user;

	g_message("%s: %s", session_profile(sc->session)->name, line);
	roadie_connection1_emit_progress(sc->iface, line);
}

static const struct session_callbacks service_session_callbacks = {
	.changed = service_conn_changed,
	.progress = service_conn_progress,
};

static void service_update_connections(struct service *svc)
{
	g_autoptr(GPtrArray) paths = g_ptr_array_new();

	for (guint i = 0; i < svc->conns->len; i++) {
		struct service_conn *sc = svc->conns->pdata[i];

		if (!sc->ended)
			g_ptr_array_add(paths, sc->path);
	}
	g_ptr_array_add(paths, NULL);
	roadie_daemon1_set_connections(svc->daemon, (const char *const *)paths->pdata);
}

/* ---- idle exit ---- */

static gboolean service_on_idle(gpointer data)
{
	struct service *svc = data;

	svc->idle_timer = 0;
	if (!svc->conns->len)
		svc->config.quit(svc->config.user, "no connections for a while", false);
	return G_SOURCE_REMOVE;
}

static void service_arm_idle(struct service *svc)
{
	if (svc->idle_timer) {
		g_source_remove(svc->idle_timer);
		svc->idle_timer = 0;
	}
	if (svc->config.idle_exit_s && !svc->conns->len)
		svc->idle_timer = g_timeout_add_seconds(svc->config.idle_exit_s, service_on_idle, svc);
}

/* ---- method calls ---- */

/* One call on its way through the uid lookup and polkit. */
struct service_call {
	struct service *svc;
	GDBusMethodInvocation *invocation;
	GVariant *settings, *secrets, *options; /* Connect */
	unsigned conn_id;                       /* Disconnect: by id, the object may go */
	uint32_t uid;
};

static void service_call_free(struct service_call *call)
{
	g_clear_object(&call->invocation);
	g_clear_pointer(&call->settings, g_variant_unref);
	g_clear_pointer(&call->secrets, g_variant_unref);
	g_clear_pointer(&call->options, g_variant_unref);
	g_free(call);
}

static void service_error(GDBusMethodInvocation *invocation, const char *name, const char *format,
			  ...) G_GNUC_PRINTF(3, 4);
static void service_error(GDBusMethodInvocation *invocation, const char *name, const char *format,
			  ...)
{
	g_autofree char *full = g_strconcat(SERVICE_ERROR, name, NULL);
	g_autofree char *message = NULL;
	va_list args;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	g_dbus_method_invocation_return_dbus_error(invocation, full, message);
}

static bool service_interactive(GDBusMethodInvocation *invocation)
{
	GDBusMessage *message = g_dbus_method_invocation_get_message(invocation);

	return g_dbus_message_get_flags(message) &
	       G_DBUS_MESSAGE_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION;
}

static struct service_conn *service_find(struct service *svc, unsigned id)
{
	for (guint i = 0; i < svc->conns->len; i++) {
		struct service_conn *sc = svc->conns->pdata[i];

		if (sc->id == id)
			return sc;
	}
	return NULL;
}

static gboolean service_handle_disconnect(RoadieConnection1 *iface,
					  GDBusMethodInvocation *invocation, gpointer data);

static void service_connect_authorized(struct service_call *call)
{
	struct service *svc = call->svc;
	g_autofree char *message = NULL;
	struct service_options options;
	const char *error_name;
	RoadieProfile *profile;
	bool configure, auto_reconnect;
	struct service_conn *sc;
	unsigned live = 0;

	profile = service_args_parse(call->settings, call->secrets, call->options, &options,
				     &error_name, &message);
	if (!profile) {
		service_error(call->invocation, error_name, "%s", message);
		return;
	}
	configure = options.configure_interface;
	auto_reconnect = options.auto_reconnect;
	for (guint i = 0; i < svc->conns->len; i++) {
		struct service_conn *other = svc->conns->pdata[i];

		if (other->ended)
			continue;
		live++;
		if (other->owner == call->uid &&
		    g_str_equal(session_profile(other->session)->name, profile->name)) {
			service_error(call->invocation, "AlreadyConnected",
				      "'%s' is already connected or connecting (%s)", profile->name,
				      other->path);
			roadie_profile_free(profile);
			return;
		}
	}
	if (live >= SERVICE_MAX_CONNECTIONS) {
		service_error(call->invocation, "Failed",
			      "roadied runs %u connections already, the most it takes", live);
		roadie_profile_free(profile);
		return;
	}

	sc = g_new0(struct service_conn, 1);
	sc->svc = svc;
	sc->id = ++svc->next_id;
	sc->owner = call->uid;
	sc->path = g_strdup_printf(SERVICE_PATH "/Connections/%u", sc->id);
	sc->object = roadie_object_skeleton_new(sc->path);
	sc->iface = roadie_connection1_skeleton_new();
	roadie_connection1_set_profile(sc->iface, profile->name);
	roadie_connection1_set_owner(sc->iface, sc->owner);
	roadie_object_skeleton_set_connection1(sc->object, sc->iface);
	{
		struct session_config cfg = {
			.host_env = configure ? svc->config.host_env : NULL,
			.auto_reconnect = auto_reconnect,
		};

		sc->session = session_new(profile, &cfg, &service_session_callbacks, sc);
	}
	service_conn_publish(sc);
	g_signal_connect(sc->iface, "handle-disconnect", G_CALLBACK(service_handle_disconnect), sc);
	g_ptr_array_add(svc->conns, sc);
	g_dbus_object_manager_server_export(svc->manager, G_DBUS_OBJECT_SKELETON(sc->object));
	service_update_connections(svc);
	service_arm_idle(svc);
	g_message("connection %u: '%s' to %s for uid %u%s%s", sc->id, profile->name,
		  profile->gateway, sc->owner, configure ? "" : " (the caller configures the host)",
		  auto_reconnect ? ", reconnecting by itself" : "");
	roadie_daemon1_complete_connect(svc->daemon, call->invocation, sc->path);
	session_start(sc->session);
}

static void service_on_connect_polkit(GObject *source, GAsyncResult *result, gpointer data)
{
	struct service_call *call = data;
	g_autoptr(GError) error = NULL;

	if (!service_polkit_check_finish(result, &error)) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			service_error(call->invocation, "Failed", "roadied is stopping");
		else
			service_error(call->invocation, "NotAuthorized", "%s", error->message);
	} else {
		service_connect_authorized(call);
	}
	service_call_free(call);
}

static void service_on_connect_uid(GObject *source, GAsyncResult *result, gpointer data)
{
	struct service_call *call = data;
	g_autoptr(GError) error = NULL;
	GDBusMethodInvocation *inv = call->invocation;

	if (!service_caller_uid_finish(result, &call->uid, &error)) {
		service_error(inv, "Failed", "%s", error->message);
		service_call_free(call);
		return;
	}
	service_polkit_check(g_dbus_method_invocation_get_connection(inv),
			     g_dbus_method_invocation_get_sender(inv), call->uid,
			     SERVICE_ACTION_CONNECT, service_interactive(inv), call->svc->cancel,
			     service_on_connect_polkit, call);
}

static gboolean service_handle_connect(RoadieDaemon1 *object, GDBusMethodInvocation *invocation,
				       GVariant *settings, GVariant *secrets, GVariant *options,
				       gpointer data)
{
	struct service *svc = data;
	struct service_call *call;

	if (g_variant_get_size(settings) + g_variant_get_size(secrets) +
		    g_variant_get_size(options) >
	    SERVICE_MAX_ARGS_BYTES) {
		service_error(invocation, "InvalidSettings",
			      "the settings are larger than %u KiB: no profile needs that much",
			      SERVICE_MAX_ARGS_BYTES / 1024);
		return TRUE;
	}
	call = g_new0(struct service_call, 1);
	call->svc = svc;
	call->invocation = g_object_ref(invocation);
	call->settings = g_variant_ref(settings);
	call->secrets = g_variant_ref(secrets);
	call->options = g_variant_ref(options);
	service_caller_uid(g_dbus_method_invocation_get_connection(invocation),
			   g_dbus_method_invocation_get_sender(invocation), svc->cancel,
			   service_on_connect_uid, call);
	return TRUE;
}

static void service_on_disconnect_polkit(GObject *source, GAsyncResult *result, gpointer data)
{
	struct service_call *call = data;
	g_autoptr(GError) error = NULL;
	struct service_conn *sc;

	if (!service_polkit_check_finish(result, &error)) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			service_error(call->invocation, "Failed", "roadied is stopping");
		else
			service_error(call->invocation, "NotAuthorized", "%s", error->message);
		service_call_free(call);
		return;
	}
	sc = service_find(call->svc, call->conn_id);
	if (!sc || sc->ended || session_state(sc->session) == SESSION_DISCONNECTING) {
		service_error(call->invocation, "NotConnected", "the connection has ended already");
	} else {
		g_message("connection %u: disconnect asked by uid %u", sc->id, call->uid);
		session_stop(sc->session);
		roadie_connection1_complete_disconnect(sc->iface, call->invocation);
	}
	service_call_free(call);
}

static void service_on_disconnect_uid(GObject *source, GAsyncResult *result, gpointer data)
{
	struct service_call *call = data;
	g_autoptr(GError) error = NULL;
	GDBusMethodInvocation *inv = call->invocation;
	struct service_conn *sc;

	if (!service_caller_uid_finish(result, &call->uid, &error)) {
		service_error(inv, "Failed", "%s", error->message);
		service_call_free(call);
		return;
	}
	sc = service_find(call->svc, call->conn_id);
	if (!sc) {
		service_error(inv, "NotConnected", "the connection has ended already");
		service_call_free(call);
		return;
	}
	/* one's own connection (by uid: a restarted applet keeps control of it) needs connect;
	 * anyone else's needs manage */
	service_polkit_check(g_dbus_method_invocation_get_connection(inv),
			     g_dbus_method_invocation_get_sender(inv), call->uid,
			     call->uid == sc->owner ? SERVICE_ACTION_CONNECT : SERVICE_ACTION_MANAGE,
			     service_interactive(inv), call->svc->cancel,
			     service_on_disconnect_polkit, call);
}

static gboolean service_handle_disconnect(RoadieConnection1 *iface,
					  GDBusMethodInvocation *invocation, gpointer data)
{
	struct service_conn *sc = data;
	struct service_call *call = g_new0(struct service_call, 1);

	call->svc = sc->svc;
	call->invocation = g_object_ref(invocation);
	call->conn_id = sc->id;
	service_caller_uid(g_dbus_method_invocation_get_connection(invocation),
			   g_dbus_method_invocation_get_sender(invocation), sc->svc->cancel,
			   service_on_disconnect_uid, call);
	return TRUE;
}

/* ---- suspend ---- */

static void service_on_prepare_for_sleep(GDBusConnection *bus, const char *sender,
					 const char *path, const char *iface, const char *signal,
					 GVariant *params, gpointer data)
{
	struct service *svc = data;
	gboolean going;

	if (!g_variant_is_of_type(params, G_VARIANT_TYPE("(b)")))
		return;
	g_variant_get(params, "(b)", &going);
	if (going)
		return;
	/* the signal is subscribed with logind's well-known name as sender, which GDBus
	 * matches against the name's current owner */
	service_kick(svc, "the computer woke up from sleep");
}

/* ---- the service ---- */

static void service_on_name_acquired(GDBusConnection *bus, const char *name, gpointer data)
{
	struct service *svc = data;

	svc->name_owned = true;
	g_message("on the bus as %s", name);
}

static void service_on_name_lost(GDBusConnection *bus, const char *name, gpointer data)
{
	struct service *svc = data;

	svc->config.quit(svc->config.user,
			 svc->name_owned ? "another roadied took the bus name"
					 : "cannot own " SERVICE_NAME " on the system bus: is "
					   "another roadied running, or is the D-Bus policy "
					   "(org.roadie.Daemon.conf) not installed?",
			 true);
}

static void service_conn_dispose(gpointer data)
{
	service_conn_free(data);
}

static void service_on_network_changed(void *user)
{
	struct service *svc = user;

	for (guint i = 0; i < svc->conns->len; i++) {
		struct service_conn *sc = svc->conns->pdata[i];

		if (!sc->ended)
			session_network_changed(sc->session);
	}
}

struct service *service_new(const struct service_config *config, GError **error)
{
	struct service *svc = g_new0(struct service, 1);
	g_autoptr(GError) watch_error = NULL;

	svc->config = *config;
	if (!svc->config.linger_ms)
		svc->config.linger_ms = 5000;
	svc->cancel = g_cancellable_new();
	svc->conns = g_ptr_array_new_with_free_func(service_conn_dispose);
	svc->manager = g_dbus_object_manager_server_new(SERVICE_PATH);
	svc->daemon = roadie_daemon1_skeleton_new();
	roadie_daemon1_set_version(svc->daemon, ROADIE_VERSION);
	service_update_connections(svc);
	g_signal_connect(svc->daemon, "handle-connect", G_CALLBACK(service_handle_connect), svc);
	if (!g_dbus_interface_skeleton_export(G_DBUS_INTERFACE_SKELETON(svc->daemon), config->bus,
					      SERVICE_PATH, error)) {
		service_free(svc);
		return NULL;
	}
	g_dbus_object_manager_server_set_connection(svc->manager, config->bus);
	svc->sleep_sub = g_dbus_connection_signal_subscribe(
		config->bus, "org.freedesktop.login1", "org.freedesktop.login1.Manager",
		"PrepareForSleep", "/org/freedesktop/login1", NULL, G_DBUS_SIGNAL_FLAGS_NONE,
		service_on_prepare_for_sleep, svc, NULL);
	svc->net_watch = net_watch_new(SERVICE_NETWORK_QUIET_MS, service_on_network_changed, svc,
				       &watch_error);
	if (!svc->net_watch)
		g_warning("%s; connections will notice a new network only when the gateway stops "
			  "answering", watch_error->message);
	svc->own_id = g_bus_own_name_on_connection(config->bus, SERVICE_NAME,
						   G_BUS_NAME_OWNER_FLAGS_NONE,
						   service_on_name_acquired, service_on_name_lost,
						   svc, NULL);
	service_arm_idle(svc);
	return svc;
}

void service_kick(struct service *svc, const char *why)
{
	for (guint i = 0; i < svc->conns->len; i++) {
		struct service_conn *sc = svc->conns->pdata[i];

		if (!sc->ended)
			session_kick(sc->session, why);
	}
}

struct service *service_free(struct service *svc)
{
	if (!svc)
		return NULL;
	g_cancellable_cancel(svc->cancel);
	if (svc->idle_timer)
		g_source_remove(svc->idle_timer);
	if (svc->sleep_sub)
		g_dbus_connection_signal_unsubscribe(svc->config.bus, svc->sleep_sub);
	svc->net_watch = net_watch_free(svc->net_watch);
	/* every session ends politely and restores the host as it is freed */
	g_ptr_array_unref(svc->conns);
	if (svc->own_id)
		g_bus_unown_name(svc->own_id);
	if (svc->daemon)
		g_dbus_interface_skeleton_unexport(G_DBUS_INTERFACE_SKELETON(svc->daemon));
	g_clear_object(&svc->daemon);
	g_clear_object(&svc->manager);
	g_clear_object(&svc->cancel);
	g_free(svc);
	return NULL;
}

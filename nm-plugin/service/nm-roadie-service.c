/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nm-roadie-service: NetworkManager's VPN service for roadie connections.
 *
 * NetworkManager spawns it (the .name file) and asks it on org.freedesktop.NetworkManager.roadie
 * to connect a connection of type roadie. It holds no protocol of its own: it turns the
 * connection's vpn.data and vpn.secrets into roadied's settings through the profile model's
 * one key table, reads the certificate files with the connection owner's rights, calls
 * roadied's Connect with configure-interface=false, follows the connection's State, and hands
 * NetworkManager the device and the IP configuration roadied reports, which NetworkManager
 * applies itself. A failure reaches NetworkManager as the matching failure reason, and
 * roadied's sentence reaches its log.
 *
 * roadied's reconnecting has no counterpart in NetworkManager's VPN states: the connection
 * stays activated while roadied brings it back, and the configuration is sent again if the
 * device or the addresses changed.
 */
#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>
#include <NetworkManager.h>

#include "config.h"
#include "nm-roadie-config.h"
#include "nm-roadie-failure.h"
#include "nm-roadie-files.h"
#include "nm-roadie-ip.h"
#include "profile.h"
#include "x509-cred.h"

#define ROADIED_NAME "org.roadie.Daemon"
#define ROADIED_PATH "/org/roadie/Daemon1"
#define ROADIED_IFACE "org.roadie.Daemon1"
#define CONNECTION_IFACE "org.roadie.Connection1"
/* Connect may wait for roadied to be started by D-Bus activation */
#define CONNECT_CALL_TIMEOUT_MS (60 * 1000)
#define DISCONNECT_CALL_TIMEOUT_MS (10 * 1000)

#define NM_TYPE_ROADIE_PLUGIN (nm_roadie_plugin_get_type())
G_DECLARE_FINAL_TYPE(NmRoadiePlugin, nm_roadie_plugin, NM, ROADIE_PLUGIN, NMVpnServicePlugin)

struct _NmRoadiePlugin {
	NMVpnServicePlugin parent;

	GDBusConnection *bus;  /* the system bus, where roadied is */
	GCancellable *cancel;  /* the Connect and GetAll calls of this connection */
	char *name;            /* the connection's id, in log lines */
	char *path;            /* roadied's Connection1 object; NULL: none (any more) */
	GHashTable *props;     /* its properties as last seen: name -> GVariant */
	guint props_sub, progress_sub, watch;
	bool default_route;    /* the profile's [ip] default-route */
	bool configured;       /* NetworkManager has our configuration */
	int pending_failure;   /* NMVpnPluginFailure + 1 for plugin_disconnect to report; 0: none */
	char *sent_interface;  /* what it has: to send again when it changes */
	GVariant *sent_ip4;
};

G_DEFINE_TYPE(NmRoadiePlugin, nm_roadie_plugin, NM_TYPE_VPN_SERVICE_PLUGIN)

static GHashTable *vpn_table(NMSettingVpn *s_vpn, bool secrets)
{
	GHashTable *table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
						  (GDestroyNotify)roadie_wipe_str);
	guint n = 0;
	g_autofree const char **keys = secrets ? nm_setting_vpn_get_secret_keys(s_vpn, &n)
					       : nm_setting_vpn_get_data_keys(s_vpn, &n);

	for (guint i = 0; i < n; i++) {
		const char *value = secrets ? nm_setting_vpn_get_secret(s_vpn, keys[i])
					    : nm_setting_vpn_get_data_item(s_vpn, keys[i]);

		if (value)
			g_hash_table_insert(table, g_strdup(keys[i]), g_strdup(value));
	}
	return table;
}

/* The connection as a profile (hostile input: the profile model checks every key). */
static RoadieProfile *plugin_profile(NMConnection *connection, RoadieCheckFlags flags,
				     GError **error)
{
	NMSettingVpn *s_vpn = nm_connection_get_setting_vpn(connection);
	g_autoptr(GHashTable) data = NULL;
	g_autoptr(GHashTable) secrets = NULL;
	g_autoptr(GError) local = NULL;
	RoadieProfile *profile;
	const char *id = nm_connection_get_id(connection);

	if (!s_vpn) {
		g_set_error(error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_INVALID_CONNECTION,
			    "the connection has no VPN settings");
		return NULL;
	}
	data = vpn_table(s_vpn, false);
	secrets = vpn_table(s_vpn, true);
	profile = roadie_profile_new_from_nm(data, secrets, flags, NULL, &local);
	if (!profile) {
		g_set_error(error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_BAD_ARGUMENTS,
			    "%s: %s", id ? id : "the connection", local->message);
		return NULL;
	}
	/* roadied's connection name is NM's id; a profile name cannot hold '/' */
	profile->name = g_strdelimit(g_strdup(id && *id ? id : "NetworkManager"), "/", '-');
	return profile;
}

/* ---- following roadied's connection ---- */

static void plugin_forget(NmRoadiePlugin *self)
{
	g_cancellable_cancel(self->cancel);
	g_clear_object(&self->cancel);
	if (self->props_sub)
		g_dbus_connection_signal_unsubscribe(self->bus, self->props_sub);
	if (self->progress_sub)
		g_dbus_connection_signal_unsubscribe(self->bus, self->progress_sub);
	self->props_sub = self->progress_sub = 0;
	g_clear_handle_id(&self->watch, g_bus_unwatch_name);
	g_clear_pointer(&self->path, g_free);
	g_hash_table_remove_all(self->props);
	self->configured = false;
	g_clear_pointer(&self->sent_interface, g_free);
	g_clear_pointer(&self->sent_ip4, g_variant_unref);
}

/* roadied ended the connection, or it failed: NetworkManager learns why and stops us.
 * NetworkManager keeps the last failure it hears before the service stops, and libnm's
 * disconnect reports a connect-failed of its own when it stops a connection still starting:
 * ours goes out after that one, from plugin_disconnect. */
static void plugin_fail(NmRoadiePlugin *self, NMVpnPluginFailure failure)
{
	plugin_forget(self);
	self->pending_failure = (int)failure + 1;
	nm_vpn_service_plugin_disconnect(NM_VPN_SERVICE_PLUGIN(self), NULL);
}

static const char *plugin_prop_str(NmRoadiePlugin *self, const char *name)
{
	GVariant *value = g_hash_table_lookup(self->props, name);

	return value && g_variant_is_of_type(value, G_VARIANT_TYPE_STRING)
		       ? g_variant_get_string(value, NULL)
		       : NULL;
}

static void plugin_reason(NmRoadiePlugin *self, const char **ret_code, const char **ret_text)
{
	GVariant *reason = g_hash_table_lookup(self->props, "Reason");

	*ret_code = *ret_text = "";
	if (reason && g_variant_is_of_type(reason, G_VARIANT_TYPE("(ss)")))
		g_variant_get(reason, "(&s&s)", ret_code, ret_text);
}

/* NetworkManager gets the device and the addresses, again when they changed */
static void plugin_configure(NmRoadiePlugin *self)
{
	g_autoptr(GError) error = NULL;
	NmRoadieFacts facts = {
		.interface = plugin_prop_str(self, "Interface"),
		.gateway = plugin_prop_str(self, "Gateway"),
		.ip4 = g_hash_table_lookup(self->props, "Ip4Config"),
		.ip6 = g_hash_table_lookup(self->props, "Ip6Config"),
		.default_route = self->default_route,
	};
	GVariant *config;
	g_autoptr(GVariant) ip4 = NULL;
	GVariant *ip6;
	const char *address = NULL;

	if (self->configured && g_strcmp0(self->sent_interface, facts.interface) == 0 &&
	    self->sent_ip4 && facts.ip4 && g_variant_equal(self->sent_ip4, facts.ip4))
		return;
	config = nm_roadie_ip_config(&facts, &error);
	if (!config) {
		g_warning("%s: %s", self->name, error->message);
		plugin_fail(self, NM_VPN_PLUGIN_FAILURE_BAD_IP_CONFIG);
		return;
	}
	ip4 = g_variant_ref_sink(nm_roadie_ip4_config(&facts));
	ip6 = nm_roadie_ip6_config(&facts);
	g_variant_lookup(facts.ip4, "address", "&s", &address);
	g_message("%s: connected through %s, address %s", self->name, facts.interface,
		  address ? address : "-");
	nm_vpn_service_plugin_set_config(NM_VPN_SERVICE_PLUGIN(self), config);
	nm_vpn_service_plugin_set_ip4_config(NM_VPN_SERVICE_PLUGIN(self), ip4);
	if (ip6)
		nm_vpn_service_plugin_set_ip6_config(NM_VPN_SERVICE_PLUGIN(self), ip6);
	self->configured = true;
	g_free(self->sent_interface);
	self->sent_interface = g_strdup(facts.interface);
	g_clear_pointer(&self->sent_ip4, g_variant_unref);
	self->sent_ip4 = g_variant_ref(facts.ip4);
}

static void plugin_evaluate(NmRoadiePlugin *self)
{
	const char *state = plugin_prop_str(self, "State"), *code, *text;

	if (!state)
		return;
	plugin_reason(self, &code, &text);
	switch (nm_roadie_state(state)) {
	case NM_ROADIE_STATE_STARTING:
	case NM_ROADIE_STATE_ENDING:
	case NM_ROADIE_STATE_UNKNOWN:
		break;
	case NM_ROADIE_STATE_UP:
		plugin_configure(self);
		break;
	case NM_ROADIE_STATE_RETRYING:
		/* NetworkManager has no such state: activated it stays */
		break;
	case NM_ROADIE_STATE_FAILED:
		/* roadied's sentence, for NetworkManager's log: what failed and what to do */
		g_warning("%s: failed: %s (%s)", self->name, *text ? text : "no reason given",
			  *code ? code : "-");
		plugin_fail(self, nm_roadie_failure(code));
		break;
	case NM_ROADIE_STATE_ENDED:
		g_message("%s: roadied ended the connection", self->name);
		plugin_fail(self, NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED);
		break;
	}
}

/* a{sv} of changed properties into the cache; the invalidated ones are fetched with the
 * next GetAll, which roadied never needs (it sends values) */
static void plugin_merge(NmRoadiePlugin *self, GVariant *changed)
{
	GVariantIter iter;
	const char *name;
	GVariant *value;

	g_variant_iter_init(&iter, changed);
	while (g_variant_iter_next(&iter, "{&sv}", &name, &value)) {
		const char *old = g_strcmp0(name, "State") == 0 ? plugin_prop_str(self, "State")
								 : NULL;

		if (old && g_variant_is_of_type(value, G_VARIANT_TYPE_STRING) &&
		    strcmp(old, g_variant_get_string(value, NULL)) != 0)
			g_message("%s: %s", self->name, g_variant_get_string(value, NULL));
		g_hash_table_insert(self->props, g_strdup(name), value);
	}
}

static void plugin_on_props(GDBusConnection *bus, const char *sender, const char *path,
			    const char *iface, const char *signal, GVariant *params,
			    gpointer user_data)
{
	NmRoadiePlugin *self = user_data;
	const char *which;
	g_autoptr(GVariant) changed = NULL;

	if (!self->path || g_strcmp0(path, self->path) != 0 ||
	    !g_variant_is_of_type(params, G_VARIANT_TYPE("(sa{sv}as)")))
		return;
	g_variant_get(params, "(&s@a{sv}@as)", &which, &changed, NULL);
	if (strcmp(which, CONNECTION_IFACE) != 0)
		return;
	plugin_merge(self, changed);
	plugin_evaluate(self);
}

static void plugin_on_progress(GDBusConnection *bus, const char *sender, const char *path,
			       const char *iface, const char *signal, GVariant *params,
			       gpointer user_data)
{
	NmRoadiePlugin *self = user_data;
	const char *line;

	if (!self->path || g_strcmp0(path, self->path) != 0 ||
	    !g_variant_is_of_type(params, G_VARIANT_TYPE("(s)")))
		return;
	g_variant_get(params, "(&s)", &line);
	g_message("%s: %s", self->name, line);
}

static void plugin_on_vanished(GDBusConnection *bus, const char *name, gpointer user_data)
{
	NmRoadiePlugin *self = user_data;

	if (!self->path)
		return;
	g_warning("%s: roadied stopped, and the connection with it", self->name);
	plugin_fail(self, NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED);
}

static void plugin_on_get_all(GObject *source, GAsyncResult *result, gpointer user_data)
{
	NmRoadiePlugin *self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
	g_autoptr(GVariant) all = NULL;

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	if (!reply) {
		g_warning("%s: cannot read the connection from roadied: %s", self->name,
			  error->message);
		plugin_fail(self, NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED);
		return;
	}
	g_variant_get(reply, "(@a{sv})", &all);
	plugin_merge(self, all);
	plugin_evaluate(self);
}

static void plugin_on_connect_reply(GObject *source, GAsyncResult *result, gpointer user_data)
{
	NmRoadiePlugin *self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	if (!reply) {
		g_autofree char *remote = g_dbus_error_get_remote_error(error);

		g_dbus_error_strip_remote_error(error);
		g_warning("%s: roadied refused the connection: %s (%s)", self->name,
			  error->message, remote ? remote : "no answer");
		plugin_fail(self, remote && g_str_has_suffix(remote, ".InvalidSecrets")
					  ? NM_VPN_PLUGIN_FAILURE_LOGIN_FAILED
					  : NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED);
		return;
	}
	g_variant_get(reply, "(o)", &self->path);
	g_message("%s: roadied connects it as %s", self->name, self->path);
	/* what roadied said before the reply came is in the properties: read them once */
	g_dbus_connection_call(self->bus, ROADIED_NAME, self->path,
			       "org.freedesktop.DBus.Properties", "GetAll",
			       g_variant_new("(s)", CONNECTION_IFACE), G_VARIANT_TYPE("(a{sv})"),
			       G_DBUS_CALL_FLAGS_NONE, -1, self->cancel, plugin_on_get_all, self);
}

/* ---- NMVpnServicePlugin ---- */

static gboolean plugin_connect(NMVpnServicePlugin *base, NMConnection *connection,
			       GError **error)
{
	NmRoadiePlugin *self = NM_ROADIE_PLUGIN(base);
	g_autoptr(RoadieProfile) profile = NULL;
	g_autoptr(GError) local = NULL;
	GVariantBuilder options;

	if (self->path) {
		g_set_error(error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_ALREADY_STARTED,
			    "a connection is running already");
		return FALSE;
	}
	profile = plugin_profile(connection, ROADIE_CHECK_SECRETS, error);
	if (!profile)
		return FALSE;
	if (!nm_roadie_files_load(profile, connection, &local)) {
		g_set_error(error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_BAD_ARGUMENTS, "%s: %s",
			    profile->name, local->message);
		g_warning("%s", (*error)->message);
		return FALSE;
	}
	if (!self->bus) {
		self->bus = g_bus_get_sync(G_BUS_TYPE_SYSTEM, NULL, &local);
		if (!self->bus) {
			g_set_error(error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_LAUNCH_FAILED,
				    "cannot reach the system bus: %s", local->message);
			return FALSE;
		}
	}
	plugin_forget(self);
	g_free(self->name);
	self->name = g_strdup(profile->name);
	self->default_route = profile->default_route;
	self->cancel = g_cancellable_new();
	/* before Connect, so that nothing roadied says after its reply is lost */
	self->props_sub = g_dbus_connection_signal_subscribe(
		self->bus, ROADIED_NAME, "org.freedesktop.DBus.Properties", "PropertiesChanged",
		NULL, CONNECTION_IFACE, G_DBUS_SIGNAL_FLAGS_NONE, plugin_on_props, self, NULL);
	self->progress_sub = g_dbus_connection_signal_subscribe(
		self->bus, ROADIED_NAME, CONNECTION_IFACE, "Progress", NULL, NULL,
		G_DBUS_SIGNAL_FLAGS_NONE, plugin_on_progress, self, NULL);
	self->watch = g_bus_watch_name_on_connection(self->bus, ROADIED_NAME,
						     G_BUS_NAME_WATCHER_FLAGS_NONE, NULL,
						     plugin_on_vanished, self, NULL);

	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	/* NetworkManager applies the addresses, routes and DNS itself */
	g_variant_builder_add(&options, "{sv}", "configure-interface", g_variant_new_boolean(FALSE));
	g_message("%s: connecting to %s", self->name, profile->gateway);
	g_dbus_connection_call(self->bus, ROADIED_NAME, ROADIED_PATH, ROADIED_IFACE, "Connect",
			       g_variant_new("(@a{sv}@a{sv}a{sv})",
					     roadie_profile_to_settings(profile),
					     roadie_profile_to_secrets(profile), &options),
			       G_VARIANT_TYPE("(o)"), G_DBUS_CALL_FLAGS_NONE,
			       CONNECT_CALL_TIMEOUT_MS, self->cancel, plugin_on_connect_reply,
			       self);
	return TRUE;
}

/* Whether the certificate's key is locked and its password missing: only reading it
 * tells. Problems with the files themselves are Connect's to report. */
static bool plugin_key_locked(RoadieProfile *profile, NMConnection *connection)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieX509Cred) cred = NULL;
	RoadieX509Blob cert = { .label = profile->certificate };
	RoadieX509Blob key = { .label = profile->private_key };

	if (!nm_roadie_files_load(profile, connection, NULL) || !profile->certificate_data)
		return false;
	cert.data = g_bytes_get_data(profile->certificate_data, &cert.len);
	if (profile->private_key_data)
		key.data = g_bytes_get_data(profile->private_key_data, &key.len);
	cred = roadie_x509_cred_load(&cert, profile->private_key_data ? &key : NULL, NULL,
				     g_get_real_time() / G_USEC_PER_SEC, &error);
	return !cred &&
	       g_error_matches(error, ROADIE_X509_CRED_ERROR, ROADIE_X509_CRED_PASSWORD_NEEDED);
}

static gboolean plugin_need_secrets(NMVpnServicePlugin *base, NMConnection *connection,
				    const char **setting_name, GError **error)
{
	NMSettingVpn *s_vpn = nm_connection_get_setting_vpn(connection);
	g_autoptr(RoadieProfile) profile = plugin_profile(connection, ROADIE_CHECK_DEFAULT, error);
	g_autoptr(GHashTable) data = NULL;
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	if (!profile)
		return FALSE;
	data = vpn_table(s_vpn, false);
	for (size_t i = 0; i < n; i++) {
		const RoadieProfileKey *key = &keys[i];
		NMSettingSecretFlags flags = NM_SETTING_SECRET_FLAG_NONE;
		const char *value;
		bool needed;

		if (!key->nm || key->type != ROADIE_KEY_SECRET)
			continue;
		nm_vpn_service_plugin_get_secret_flags(data, key->nm, &flags);
		if (flags & NM_SETTING_SECRET_FLAG_NOT_REQUIRED)
			continue;
		value = nm_setting_vpn_get_secret(s_vpn, key->nm);
		if (value && *value)
			continue;
		needed = roadie_profile_secret_needed(profile, key);
		/* the key's password: when the key is locked */
		if (!needed && profile->ipsec_auth == ROADIE_IPSEC_AUTH_CERT &&
		    roadie_profile_secret_wanted(profile, key) &&
		    strcmp(key->group, "ipsec") == 0 && strcmp(key->key, "private-key-password") == 0)
			needed = plugin_key_locked(profile, connection);
		if (needed) {
			g_message("%s: %s is needed", profile->name, key->nm);
			*setting_name = NM_SETTING_VPN_SETTING_NAME;
			return TRUE;
		}
	}
	return FALSE;
}

static gboolean plugin_disconnect(NMVpnServicePlugin *base, GError **error)
{
	NmRoadiePlugin *self = NM_ROADIE_PLUGIN(base);
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) local = NULL;
	g_autofree char *path = g_strdup(self->path);

	plugin_forget(self);
	if (self->pending_failure) {
		nm_vpn_service_plugin_failure(base, (NMVpnPluginFailure)(self->pending_failure - 1));
		self->pending_failure = 0;
	}
	if (!path)
		return TRUE;
	g_message("%s: disconnecting", self->name);
	/* Disconnect returns once roadied has begun its polite teardown */
	reply = g_dbus_connection_call_sync(self->bus, ROADIED_NAME, path, CONNECTION_IFACE,
					    "Disconnect", NULL, NULL, G_DBUS_CALL_FLAGS_NONE,
					    DISCONNECT_CALL_TIMEOUT_MS, NULL, &local);
	if (!reply) {
		g_autofree char *remote = g_dbus_error_get_remote_error(local);

		/* ended already: nothing is left to tear down */
		if (remote && g_str_has_suffix(remote, ".NotConnected"))
			return TRUE;
		g_dbus_error_strip_remote_error(local);
		g_set_error(error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_FAILED,
			    "roadied did not disconnect %s: %s", self->name, local->message);
		return FALSE;
	}
	return TRUE;
}

static void nm_roadie_plugin_init(NmRoadiePlugin *self)
{
	self->props = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					    (GDestroyNotify)g_variant_unref);
}

static void plugin_dispose(GObject *object)
{
	NmRoadiePlugin *self = NM_ROADIE_PLUGIN(object);

	if (self->bus)
		plugin_forget(self);
	g_clear_object(&self->bus);
	G_OBJECT_CLASS(nm_roadie_plugin_parent_class)->dispose(object);
}

static void plugin_finalize(GObject *object)
{
	NmRoadiePlugin *self = NM_ROADIE_PLUGIN(object);

	g_hash_table_unref(self->props);
	g_free(self->name);
	G_OBJECT_CLASS(nm_roadie_plugin_parent_class)->finalize(object);
}

static void nm_roadie_plugin_class_init(NmRoadiePluginClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	NMVpnServicePluginClass *plugin_class = NM_VPN_SERVICE_PLUGIN_CLASS(klass);

	object_class->dispose = plugin_dispose;
	object_class->finalize = plugin_finalize;
	plugin_class->connect = plugin_connect;
	plugin_class->need_secrets = plugin_need_secrets;
	plugin_class->disconnect = plugin_disconnect;
}

int main(int argc, char **argv)
{
	g_autoptr(GOptionContext) context = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GMainLoop) loop = NULL;
	g_autoptr(NmRoadiePlugin) plugin = NULL;
	g_autofree char *bus_name = NULL;
	gboolean debug = FALSE, persist = FALSE;
	const GOptionEntry entries[] = {
		{ "bus-name", 0, 0, G_OPTION_ARG_STRING, &bus_name,
		  N_("D-Bus name to use for this instance"), N_("NAME") },
		{ "persist", 0, 0, G_OPTION_ARG_NONE, &persist,
		  N_("Do not quit when the VPN connection ends"), NULL },
		{ "debug", 0, 0, G_OPTION_ARG_NONE, &debug,
		  N_("Keep running when NetworkManager goes away (for debugging)"), NULL },
		{ NULL }
	};

	setlocale(LC_ALL, "");
	bindtextdomain(GETTEXT_PACKAGE, NM_ROADIE_LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);

	context = g_option_context_new(NULL);
	g_option_context_set_summary(context,
				     _("NetworkManager's VPN service for roadie (L2TP/IPsec) "
				       "connections: it drives roadied and is started by "
				       "NetworkManager."));
	g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		g_printerr("nm-roadie-service: %s\n", error->message);
		return 2;
	}

	plugin = g_initable_new(NM_TYPE_ROADIE_PLUGIN, NULL, &error,
				NM_VPN_SERVICE_PLUGIN_DBUS_SERVICE_NAME,
				bus_name ? bus_name : NM_ROADIE_SERVICE,
				NM_VPN_SERVICE_PLUGIN_DBUS_WATCH_PEER, !debug, NULL);
	if (!plugin) {
		g_printerr("nm-roadie-service: cannot take %s on the system bus: %s\n",
			   bus_name ? bus_name : NM_ROADIE_SERVICE, error->message);
		return 1;
	}
	loop = g_main_loop_new(NULL, FALSE);
	if (!persist)
		g_signal_connect_swapped(plugin, "quit", G_CALLBACK(g_main_loop_quit), loop);
	g_main_loop_run(loop);
	/* libnm asks us to quit the moment the state is stopped (watch-peer): the Failure and
	 * StateChanged signals must leave the bus before we do, or NetworkManager only sees the
	 * service vanish ("the VPN service stopped unexpectedly") */
	g_dbus_connection_flush_sync(nm_vpn_service_plugin_get_connection(NM_VPN_SERVICE_PLUGIN(plugin)),
				     NULL, NULL);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * NetworkManager's roadie connections, through libnm's NMClient.
 *
 * The NMClient is made once, asynchronously, on the model's bus (its "dbus-connection"
 * property, libnm 1.22): a client made while NetworkManager is absent follows its name and
 * fills in when it appears, so absence needs no handling of its own beyond an empty list.
 *
 * libnm's signals come in bursts while it updates its object graph (a connection added, then
 * its active connection, then their properties). They only schedule nm_sync() at idle priority;
 * nm_sync() is the only writer of the list and of "running", reads NMClient's graph when it
 * is consistent, emits "changed" only when something the menu shows did change, and decides
 * alone whether an activation asked for here failed. It also re-attaches the per-object
 * handlers (a connection's "changed", an active connection's state), so no handler outlives
 * the object it was connected to.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "applet-error.h"
#include "applet-nm.h"

struct _RoadieAppletNm {
	GObject parent;
	GDBusConnection *bus;
	GCancellable *cancel; /* the NMClient's making; cancelled at dispose */
	NMClient *client;     /* NULL until made (or if it could not be) */
	GPtrArray *watched;   /* GObject *: libnm objects carrying our handlers (a ref each) */
	GPtrArray *list;      /* RoadieAppletNmConnection *, sorted */
	bool running;
	/* uuid -> NMActiveConnection *: activations asked for here that have not come up yet */
	GHashTable *pending;
	/* runs nm_sync() once in the main loop after nm_schedule(): one source for the object's
	 * life, armed by its ready time (so nothing here refers back to nm_sync()) */
	GSource *sync_source;
};

G_DEFINE_TYPE(RoadieAppletNm, roadie_applet_nm, G_TYPE_OBJECT)

enum {
	SIG_CHANGED,
	SIG_FAILED,
	N_SIGNALS
};
static guint signals[N_SIGNALS];

/* ---- words ---- */

const char *roadie_applet_nm_state_words(const RoadieAppletNmConnection *c)
{
	if (!c->active)
		return _("Not connected");
	switch (c->state) {
	case NM_ACTIVE_CONNECTION_STATE_ACTIVATING:
		break;
	case NM_ACTIVE_CONNECTION_STATE_ACTIVATED:
		return _("Connected");
	case NM_ACTIVE_CONNECTION_STATE_DEACTIVATING:
		return _("Disconnecting…");
	case NM_ACTIVE_CONNECTION_STATE_UNKNOWN:
	case NM_ACTIVE_CONNECTION_STATE_DEACTIVATED:
		return _("Not connected");
	}
	/* on its way up: the VPN's own state says where */
	switch (c->vpn_state) {
	case NM_VPN_CONNECTION_STATE_NEED_AUTH:
		return _("Connecting: waiting for secrets…");
	case NM_VPN_CONNECTION_STATE_IP_CONFIG_GET:
		return _("Connecting: getting an address…");
	case NM_VPN_CONNECTION_STATE_UNKNOWN:
	case NM_VPN_CONNECTION_STATE_PREPARE:
	case NM_VPN_CONNECTION_STATE_CONNECT:
	case NM_VPN_CONNECTION_STATE_ACTIVATED:
	case NM_VPN_CONNECTION_STATE_FAILED:
	case NM_VPN_CONNECTION_STATE_DISCONNECTED:
		break;
	}
	return _("Connecting…");
}

const char *roadie_applet_nm_reason_words(NMActiveConnectionStateReason reason)
{
	switch (reason) {
	case NM_ACTIVE_CONNECTION_STATE_REASON_UNKNOWN:
	case NM_ACTIVE_CONNECTION_STATE_REASON_NONE:
		break;
	case NM_ACTIVE_CONNECTION_STATE_REASON_USER_DISCONNECTED:
		return _("It was disconnected.");
	case NM_ACTIVE_CONNECTION_STATE_REASON_DEVICE_DISCONNECTED:
		return _("The network it went through was disconnected.");
	case NM_ACTIVE_CONNECTION_STATE_REASON_SERVICE_STOPPED:
		return _("NetworkManager's roadie service stopped.");
	case NM_ACTIVE_CONNECTION_STATE_REASON_IP_CONFIG_INVALID:
		return _("The gateway gave an address configuration that cannot be used.");
	case NM_ACTIVE_CONNECTION_STATE_REASON_CONNECT_TIMEOUT:
		return _("The connection took too long to come up.");
	case NM_ACTIVE_CONNECTION_STATE_REASON_SERVICE_START_TIMEOUT:
		return _("NetworkManager's roadie service did not start in time.");
	case NM_ACTIVE_CONNECTION_STATE_REASON_SERVICE_START_FAILED:
		return _("NetworkManager could not start its roadie service.");
	case NM_ACTIVE_CONNECTION_STATE_REASON_NO_SECRETS:
		return _("The secrets it needs (password, pre-shared key) were not given.");
	case NM_ACTIVE_CONNECTION_STATE_REASON_LOGIN_FAILED:
		return _("The gateway did not accept the login.");
	case NM_ACTIVE_CONNECTION_STATE_REASON_CONNECTION_REMOVED:
		return _("The connection was deleted.");
	case NM_ACTIVE_CONNECTION_STATE_REASON_DEPENDENCY_FAILED:
		return _("A connection it depends on failed.");
	case NM_ACTIVE_CONNECTION_STATE_REASON_DEVICE_REALIZE_FAILED:
		return _("NetworkManager could not create its network device.");
	case NM_ACTIVE_CONNECTION_STATE_REASON_DEVICE_REMOVED:
		return _("The network device it used went away.");
	}
	return _("NetworkManager ended it without saying why.");
}

/* ---- the list ---- */

static void conn_free(gpointer data)
{
	RoadieAppletNmConnection *c = data;

	g_free(c->id);
	g_free(c->uuid);
	g_free(c->gateway);
	g_free(c->profile);
	g_free(c);
}

static bool conn_equal(const RoadieAppletNmConnection *a, const RoadieAppletNmConnection *b)
{
	return g_strcmp0(a->id, b->id) == 0 && g_strcmp0(a->uuid, b->uuid) == 0 &&
	       g_strcmp0(a->gateway, b->gateway) == 0 && a->active == b->active &&
	       a->state == b->state && a->vpn_state == b->vpn_state;
}

static bool list_equal(GPtrArray *a, GPtrArray *b)
{
	if (a->len != b->len)
		return false;
	for (guint i = 0; i < a->len; i++)
		if (!conn_equal(a->pdata[i], b->pdata[i]))
			return false;
	return true;
}

static int conn_compare(gconstpointer pa, gconstpointer pb)
{
	const RoadieAppletNmConnection *a = *(RoadieAppletNmConnection *const *)pa;
	const RoadieAppletNmConnection *b = *(RoadieAppletNmConnection *const *)pb;
	int r = g_utf8_collate(a->id, b->id);

	return r ? r : strcmp(a->uuid, b->uuid);
}

/* A connection of roadie's: a VPN whose service is ours. */
static NMSettingVpn *nm_roadie_setting(NMConnection *connection)
{
	NMSettingVpn *vpn = nm_connection_get_setting_vpn(connection);

	if (!vpn || g_strcmp0(nm_setting_vpn_get_service_type(vpn), ROADIE_APPLET_NM_SERVICE) != 0)
		return NULL;
	return vpn;
}

static RoadieAppletNmConnection *conn_new(NMConnection *connection, NMSettingVpn *vpn)
{
	RoadieAppletNmConnection *c = g_new0(RoadieAppletNmConnection, 1);
	const char *id = nm_connection_get_id(connection);
	const char *gateway = nm_setting_vpn_get_data_item(vpn, "gateway");

	c->id = g_strdup(id ? id : "");
	c->uuid = g_strdup(nm_connection_get_uuid(connection));
	c->gateway = gateway && *gateway ? g_strdup(gateway) : NULL;
	/* as nm-plugin/service names roadied's profile */
	c->profile = g_strdelimit(g_strdup(*c->id ? c->id : "NetworkManager"), "/", '-');
	c->state = NM_ACTIVE_CONNECTION_STATE_UNKNOWN;
	c->vpn_state = NM_VPN_CONNECTION_STATE_UNKNOWN;
	return c;
}

static RoadieAppletNmConnection *list_find(GPtrArray *list, const char *uuid)
{
	for (guint i = 0; uuid && i < list->len; i++) {
		RoadieAppletNmConnection *c = list->pdata[i];

		if (strcmp(c->uuid, uuid) == 0)
			return c;
	}
	return NULL;
}

/* Of several active connections of one uuid (one deactivating while the next comes up),
 * the one furthest from ended counts. */
static int ac_rank(NMActiveConnectionState state)
{
	switch (state) {
	case NM_ACTIVE_CONNECTION_STATE_UNKNOWN:
	case NM_ACTIVE_CONNECTION_STATE_DEACTIVATED:
		return 0;
	case NM_ACTIVE_CONNECTION_STATE_DEACTIVATING:
		return 1;
	case NM_ACTIVE_CONNECTION_STATE_ACTIVATING:
		return 2;
	case NM_ACTIVE_CONNECTION_STATE_ACTIVATED:
		return 3;
	}
	return 0;
}

static void conn_take_active(RoadieAppletNmConnection *c, NMActiveConnection *ac)
{
	NMActiveConnectionState state = nm_active_connection_get_state(ac);

	if (ac_rank(state) == 0 || (c->active && ac_rank(state) <= ac_rank(c->state)))
		return;
	c->active = true;
	c->state = state;
	c->vpn_state = NM_IS_VPN_CONNECTION(ac)
			       ? nm_vpn_connection_get_vpn_state(NM_VPN_CONNECTION(ac))
			       : NM_VPN_CONNECTION_STATE_UNKNOWN;
}

/* ---- following NMClient ---- */

static void nm_unwatch(RoadieAppletNm *nm)
{
	for (guint i = 0; i < nm->watched->len; i++)
		g_signal_handlers_disconnect_by_data(nm->watched->pdata[i], nm);
	g_ptr_array_set_size(nm->watched, 0);
}

/* The sync source fires once per arming. */
static gboolean nm_sync_source_dispatch(GSource *source, GSourceFunc callback, gpointer data)
{
	g_source_set_ready_time(source, -1);
	return callback(data);
}

static GSourceFuncs nm_sync_source_funcs = {
	.dispatch = nm_sync_source_dispatch,
};

static void nm_schedule(RoadieAppletNm *nm)
{
	if (nm->sync_source)
		g_source_set_ready_time(nm->sync_source, 0);
}

/* any signal of a watched libnm object */
static void nm_on_object_changed(gpointer data)
{
	nm_schedule(data);
}

static void nm_watch(RoadieAppletNm *nm, gpointer object, const char *const *detailed_signals)
{
	for (size_t i = 0; detailed_signals[i]; i++)
		g_signal_connect_swapped(object, detailed_signals[i],
					 G_CALLBACK(nm_on_object_changed), nm);
	g_ptr_array_add(nm->watched, g_object_ref(object));
}

/* An activation asked for here ended before it came up: tell, with NM's reason. The
 * connection may be gone from the list (deleted meanwhile): then a stand-in names it. */
static void nm_tell_failed(RoadieAppletNm *nm, GPtrArray *list, const char *uuid,
			   NMActiveConnection *ac)
{
	RoadieAppletNmConnection *c = list_find(list, uuid);
	g_autoptr(GPtrArray) gone = NULL;
	const char *id = nm_active_connection_get_id(ac);

	if (!c) {
		gone = g_ptr_array_new_with_free_func(conn_free);
		c = g_new0(RoadieAppletNmConnection, 1);
		c->id = g_strdup(id ? id : uuid);
		c->uuid = g_strdup(uuid);
		c->profile = g_strdelimit(g_strdup(c->id), "/", '-');
		g_ptr_array_add(gone, c);
	}
	g_signal_emit(nm, signals[SIG_FAILED], 0, c,
		      roadie_applet_nm_reason_words(nm_active_connection_get_state_reason(ac)));
}

/* Which of our activations came up (forgotten) or ended (told). */
static bool nm_check_pending(RoadieAppletNm *nm, GPtrArray *list, const GPtrArray *actives)
{
	GHashTableIter iter;
	gpointer key, value;
	bool told = false;

	g_hash_table_iter_init(&iter, nm->pending);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		NMActiveConnection *ac = value;
		NMActiveConnectionState state = nm_active_connection_get_state(ac);
		bool listed = actives && g_ptr_array_find((GPtrArray *)actives, ac, NULL);

		if (state == NM_ACTIVE_CONNECTION_STATE_ACTIVATED) {
			g_hash_table_iter_remove(&iter);
			continue;
		}
		/* an object NM dropped keeps its last state; one that went down without
		 * passing ACTIVATED failed */
		if (listed && state != NM_ACTIVE_CONNECTION_STATE_DEACTIVATED &&
		    state != NM_ACTIVE_CONNECTION_STATE_DEACTIVATING)
			continue;
		if (!listed && nm->running && state == NM_ACTIVE_CONNECTION_STATE_ACTIVATING)
			continue; /* not in the graph yet: libnm adds it after the reply */
		nm_tell_failed(nm, list, key, ac);
		told = true;
		g_hash_table_iter_remove(&iter);
	}
	return told;
}

/* The only writer of nm->list and nm->running (see the top of the file). */
static void nm_sync(RoadieAppletNm *nm)
{
	static const char *const client_signals[] = {
		"notify::" NM_CLIENT_NM_RUNNING, "notify::" NM_CLIENT_ACTIVE_CONNECTIONS,
		NM_CLIENT_CONNECTION_ADDED, NM_CLIENT_CONNECTION_REMOVED, NULL};
	static const char *const conn_signals[] = {NM_CONNECTION_CHANGED, NULL};
	static const char *const ac_signals[] = {"notify::" NM_ACTIVE_CONNECTION_STATE,
						 "notify::" NM_VPN_CONNECTION_VPN_STATE, NULL};
	static const char *const plain_ac_signals[] = {"notify::" NM_ACTIVE_CONNECTION_STATE, NULL};
	g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(conn_free);
	const GPtrArray *actives = NULL;
	bool running = nm->client && nm_client_get_nm_running(nm->client);
	bool changed, told;

	nm_unwatch(nm);
	if (nm->client)
		nm_watch(nm, nm->client, client_signals);
	if (running) {
		const GPtrArray *conns = nm_client_get_connections(nm->client);

		for (guint i = 0; i < conns->len; i++) {
			NMConnection *connection = conns->pdata[i];
			NMSettingVpn *vpn = nm_roadie_setting(connection);

			if (!vpn || !nm_connection_get_uuid(connection))
				continue;
			g_ptr_array_add(list, conn_new(connection, vpn));
			nm_watch(nm, connection, conn_signals);
		}
		actives = nm_client_get_active_connections(nm->client);
		for (guint i = 0; i < actives->len; i++) {
			NMActiveConnection *ac = actives->pdata[i];
			RoadieAppletNmConnection *c =
				list_find(list, nm_active_connection_get_uuid(ac));

			if (!c)
				continue;
			conn_take_active(c, ac);
			nm_watch(nm, ac, NM_IS_VPN_CONNECTION(ac) ? ac_signals : plain_ac_signals);
		}
		g_ptr_array_sort(list, conn_compare);
	}
	changed = running != nm->running || !list_equal(list, nm->list);
	nm->running = running;
	/* the new list is in place before anyone hears of it */
	g_ptr_array_unref(nm->list);
	nm->list = g_steal_pointer(&list);
	told = nm_check_pending(nm, nm->list, actives);
	if (changed || told)
		g_signal_emit(nm, signals[SIG_CHANGED], 0);
}

static gboolean nm_on_sync_idle(gpointer data)
{
	nm_sync(data);
	return G_SOURCE_CONTINUE;
}

static void nm_on_client_ready(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GError) error = NULL;
	GObject *client = g_async_initable_new_finish(G_ASYNC_INITABLE(source), result, &error);
	RoadieAppletNm *nm;

	if (!client) {
		/* cancelled: @data is gone. Otherwise the bus itself failed (NM's absence is not
		 * an error): the applet goes on without NetworkManager. */
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			g_message("roadie-applet: cannot follow NetworkManager: %s",
				  error->message);
		return;
	}
	nm = data;
	g_clear_object(&nm->cancel);
	nm->client = NM_CLIENT(client);
	nm_sync(nm);
}

/* ---- the object ---- */

static void roadie_applet_nm_dispose(GObject *object)
{
	RoadieAppletNm *nm = ROADIE_APPLET_NM(object);

	if (nm->cancel) {
		g_cancellable_cancel(nm->cancel);
		g_clear_object(&nm->cancel);
	}
	if (nm->sync_source) {
		g_source_destroy(nm->sync_source);
		g_clear_pointer(&nm->sync_source, g_source_unref);
	}
	if (nm->watched)
		nm_unwatch(nm);
	g_clear_pointer(&nm->pending, g_hash_table_unref);
	g_clear_object(&nm->client);
	g_clear_object(&nm->bus);
	G_OBJECT_CLASS(roadie_applet_nm_parent_class)->dispose(object);
}

static void roadie_applet_nm_finalize(GObject *object)
{
	RoadieAppletNm *nm = ROADIE_APPLET_NM(object);

	g_ptr_array_unref(nm->watched);
	g_ptr_array_unref(nm->list);
	G_OBJECT_CLASS(roadie_applet_nm_parent_class)->finalize(object);
}

static void roadie_applet_nm_class_init(RoadieAppletNmClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = roadie_applet_nm_dispose;
	object_class->finalize = roadie_applet_nm_finalize;
	signals[SIG_CHANGED] = g_signal_new("changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
					    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
	signals[SIG_FAILED] =
		g_signal_new("failed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
			     NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_STRING);
}

static void roadie_applet_nm_init(RoadieAppletNm *nm)
{
	nm->watched = g_ptr_array_new_with_free_func(g_object_unref);
	nm->list = g_ptr_array_new_with_free_func(conn_free);
	nm->pending = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref);
	nm->sync_source = g_source_new(&nm_sync_source_funcs, sizeof(GSource));
	g_source_set_callback(nm->sync_source, nm_on_sync_idle, nm, NULL);
	g_source_set_ready_time(nm->sync_source, -1);
	g_source_set_static_name(nm->sync_source, "roadie-applet-nm sync");
	/* after libnm's own dispatches: a burst of its signals makes one sync */
	g_source_set_priority(nm->sync_source, G_PRIORITY_DEFAULT_IDLE);
	g_source_attach(nm->sync_source, g_main_context_get_thread_default());
}

RoadieAppletNm *roadie_applet_nm_new(GDBusConnection *bus)
{
	RoadieAppletNm *nm;

	g_return_val_if_fail(G_IS_DBUS_CONNECTION(bus), NULL);
	nm = g_object_new(ROADIE_TYPE_APPLET_NM, NULL);
	nm->bus = g_object_ref(bus);
	nm->cancel = g_cancellable_new();
	/* nm_client_new_async() takes no properties: the bus is given this way */
	g_async_initable_new_async(NM_TYPE_CLIENT, G_PRIORITY_DEFAULT, nm->cancel,
				   nm_on_client_ready, nm, NM_CLIENT_DBUS_CONNECTION, bus, NULL);
	return nm;
}

/* ---- reading ---- */

bool roadie_applet_nm_get_running(RoadieAppletNm *nm)
{
	return nm->running;
}

GPtrArray *roadie_applet_nm_get_connections(RoadieAppletNm *nm)
{
	return nm->list;
}

const RoadieAppletNmConnection *roadie_applet_nm_find(RoadieAppletNm *nm, const char *uuid)
{
	return list_find(nm->list, uuid);
}

const RoadieAppletNmConnection *roadie_applet_nm_find_active_profile(RoadieAppletNm *nm,
								     const char *profile)
{
	for (guint i = 0; profile && i < nm->list->len; i++) {
		const RoadieAppletNmConnection *c = nm->list->pdata[i];

		if (c->active && strcmp(c->profile, profile) == 0)
			return c;
	}
	return NULL;
}

/* ---- actions ---- */

/* NM's answer as the model's error (the one place for it, rule 4): polkit's refusal is
 * NOT_AUTHORIZED, anything else FAILED with NM's own sentence. */
static GError *nm_error(const GError *error, bool activate)
{
	g_autoptr(GError) copy = g_error_copy(error);

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return g_steal_pointer(&copy);
	g_dbus_error_strip_remote_error(copy);
	if (g_error_matches(error, NM_MANAGER_ERROR, NM_MANAGER_ERROR_PERMISSION_DENIED) ||
	    g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED))
		return g_error_new(ROADIE_APPLET_ERROR, ROADIE_APPLET_ERROR_NOT_AUTHORIZED,
				   _("NetworkManager did not allow it: %s"), copy->message);
	return g_error_new(ROADIE_APPLET_ERROR, ROADIE_APPLET_ERROR_FAILED,
			   activate ? _("NetworkManager could not start it: %s")
				    : _("NetworkManager could not stop it: %s"),
			   copy->message);
}

/* The connection @uuid names, or an error on @task. */
static NMRemoteConnection *nm_task_connection(RoadieAppletNm *nm, GTask *task, const char *uuid)
{
	NMRemoteConnection *rc;

	if (!nm->client || !nm_client_get_nm_running(nm->client)) {
		g_task_return_new_error(task, ROADIE_APPLET_ERROR, ROADIE_APPLET_ERROR_NOT_RUNNING,
					_("NetworkManager is not running."));
		return NULL;
	}
	rc = uuid ? nm_client_get_connection_by_uuid(nm->client, uuid) : NULL;
	if (!rc || !nm_roadie_setting(NM_CONNECTION(rc))) {
		g_task_return_new_error(task, ROADIE_APPLET_ERROR, ROADIE_APPLET_ERROR_NO_PROFILE,
					_("NetworkManager has no roadie connection %s."),
					uuid ? uuid : "");
		return NULL;
	}
	return rc;
}

static void nm_on_activated(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GTask) task = data;
	g_autoptr(GError) error = NULL;
	NMActiveConnection *ac =
		nm_client_activate_connection_finish(NM_CLIENT(source), result, &error);
	RoadieAppletNm *nm = g_task_get_source_object(task);

	if (!ac) {
		g_task_return_error(task, nm_error(error, true));
		return;
	}
	/* the task holds @nm; its table is gone only once disposed */
	if (nm->pending) {
		g_hash_table_replace(nm->pending, g_strdup(g_task_get_task_data(task)), ac);
		nm_schedule(nm);
	} else {
		g_object_unref(ac);
	}
	g_task_return_boolean(task, TRUE);
}

void roadie_applet_nm_activate(RoadieAppletNm *nm, const char *uuid, GCancellable *cancellable,
			       GAsyncReadyCallback callback, gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(nm, cancellable, callback, user_data);
	NMRemoteConnection *rc;

	g_task_set_source_tag(task, roadie_applet_nm_activate);
	rc = nm_task_connection(nm, task, uuid);
	if (!rc)
		return;
	g_task_set_task_data(task, g_strdup(uuid), g_free);
	/* a VPN needs no device: NM puts it over the default route's */
	nm_client_activate_connection_async(nm->client, NM_CONNECTION(rc), NULL, NULL, cancellable,
					    nm_on_activated, g_steal_pointer(&task));
}

bool roadie_applet_nm_activate_finish(RoadieAppletNm *nm, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, nm), false);
	return g_task_propagate_boolean(G_TASK(result), error);
}

static void nm_on_deactivated(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GTask) task = data;
	g_autoptr(GError) error = NULL;

	if (!nm_client_deactivate_connection_finish(NM_CLIENT(source), result, &error))
		g_task_return_error(task, nm_error(error, false));
	else
		g_task_return_boolean(task, TRUE);
}

void roadie_applet_nm_deactivate(RoadieAppletNm *nm, const char *uuid, GCancellable *cancellable,
				 GAsyncReadyCallback callback, gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(nm, cancellable, callback, user_data);
	const GPtrArray *actives;
	NMActiveConnection *best = NULL;

	g_task_set_source_tag(task, roadie_applet_nm_deactivate);
	if (!nm_task_connection(nm, task, uuid))
		return;
	actives = nm_client_get_active_connections(nm->client);
	for (guint i = 0; i < actives->len; i++) {
		NMActiveConnection *ac = actives->pdata[i];
		NMActiveConnectionState state = nm_active_connection_get_state(ac);

		if (g_strcmp0(nm_active_connection_get_uuid(ac), uuid) != 0 || ac_rank(state) < 2)
			continue;
		if (!best || ac_rank(state) > ac_rank(nm_active_connection_get_state(best)))
			best = ac;
	}
	if (!best) {
		g_task_return_new_error(task, ROADIE_APPLET_ERROR,
					ROADIE_APPLET_ERROR_NOT_CONNECTED,
					_("NetworkManager has it down already."));
		return;
	}
	/* stopped on purpose: its end is no failure to tell */
	g_hash_table_remove(nm->pending, uuid);
	nm_client_deactivate_connection_async(nm->client, best, cancellable, nm_on_deactivated,
					      g_steal_pointer(&task));
}

bool roadie_applet_nm_deactivate_finish(RoadieAppletNm *nm, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, nm), false);
	return g_task_propagate_boolean(G_TASK(result), error);
}

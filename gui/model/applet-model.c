/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The model follows roadied the way roadiectl does (cli/cli-connect.c): Progress is
 * subscribed to on the bus for every connection before anything is called, so no line
 * between Connect's reply and the object's first sight is lost. The objects and their
 * properties are followed by hand, per owner of roadied's name: when the name gets an owner,
 * the model subscribes to that owner's InterfacesAdded, InterfacesRemoved and
 * PropertiesChanged, then asks it for GetManagedObjects; when the name loses it, every object
 * goes. (GDBusObjectManagerClient made per owner raced in GLib 2.74's worker thread when the
 * name came and went at once; one made for the model's life did not follow the properties of
 * an activated roadied.) One record per object path holds both; conn_sync() is
 * the only writer of a connection's public fields and the only place that decides which
 * transition is worth a notification, and model_update() the only writer of the icon state.
 */
#include <string.h>
#include <gio/gio.h>

#include "profile-dirs.h"
#include "applet-model.h"

#define MODEL_BUS_NAME "org.roadie.Daemon"
#define MODEL_DAEMON_PATH "/org/roadie/Daemon1"
#define MODEL_DAEMON_IFACE "org.roadie.Daemon1"
#define MODEL_CONNECTION_IFACE "org.roadie.Connection1"
/* Connect and Disconnect may wait for polkit to ask the user for a password */
#define MODEL_CALL_TIMEOUT_MS (120 * 1000)

/* ---- states ---- */

static const char *const state_names[] = {
	[ROADIE_APPLET_STATE_DISCONNECTED] = "disconnected",
	[ROADIE_APPLET_STATE_CONNECTING] = "connecting",
	[ROADIE_APPLET_STATE_CONNECTED] = "connected",
	[ROADIE_APPLET_STATE_RECONNECTING] = "reconnecting",
	[ROADIE_APPLET_STATE_FAILED] = "failed",
};

const char *roadie_applet_state_to_string(RoadieAppletState state)
{
	return (size_t)state < G_N_ELEMENTS(state_names) ? state_names[state] : "unknown";
}

/* roadied's states (Connection1.State) by class; a state not listed is on its way up */
static const struct {
	const char *dbus;
	RoadieAppletState state;
} dbus_states[] = {
	{"connected", ROADIE_APPLET_STATE_CONNECTED},
	{"reconnecting", ROADIE_APPLET_STATE_RECONNECTING},
	{"failed", ROADIE_APPLET_STATE_FAILED},
	{"disconnecting", ROADIE_APPLET_STATE_DISCONNECTED},
	{"disconnected", ROADIE_APPLET_STATE_DISCONNECTED},
};

RoadieAppletState roadie_applet_state_from_dbus(const char *state)
{
	for (size_t i = 0; state && i < G_N_ELEMENTS(dbus_states); i++)
		if (strcmp(state, dbus_states[i].dbus) == 0)
			return dbus_states[i].state;
	return ROADIE_APPLET_STATE_CONNECTING;
}

/* The icon's order of precedence (applet-model.h): higher wins. */
static int state_rank(RoadieAppletState state)
{
	switch (state) {
	case ROADIE_APPLET_STATE_DISCONNECTED:
		return 0;
	case ROADIE_APPLET_STATE_FAILED:
		return 1;
	case ROADIE_APPLET_STATE_CONNECTING:
		return 2;
	case ROADIE_APPLET_STATE_RECONNECTING:
		return 3;
	case ROADIE_APPLET_STATE_CONNECTED:
		return 4;
	}
	return 0;
}

static const char *const daemon_names[] = {
	[ROADIE_APPLET_DAEMON_UNKNOWN] = "unknown",
	[ROADIE_APPLET_DAEMON_RUNNING] = "running",
	[ROADIE_APPLET_DAEMON_NOT_RUNNING] = "roadied not running",
};

const char *roadie_applet_daemon_to_string(RoadieAppletDaemon daemon)
{
	return (size_t)daemon < G_N_ELEMENTS(daemon_names) ? daemon_names[daemon] : "unknown";
}

static bool state_ended(const char *state)
{
	return g_strcmp0(state, "failed") == 0 || g_strcmp0(state, "disconnected") == 0 ||
	       g_strcmp0(state, "disconnecting") == 0;
}

/* ---- the model ---- */

typedef struct {
	char *code, *text;
} Failure;

struct _RoadieAppletModel {
	GObject parent;
	GDBusConnection *bus;
	char *user_dir, *system_dir;
	RoadieAppletProfiles *profiles;
	char *owner;                /* roadied's unique name while it runs */
	GCancellable *owner_cancel; /* GetManagedObjects to that owner */
	guint added_sub, removed_sub, props_sub;
	guint name_watch;
	guint progress_sub;
	RoadieAppletDaemon daemon;
	RoadieAppletState state;
	GHashTable *conns;    /* path -> Conn */
	GHashTable *failures; /* profile id -> Failure */
	guint64 next_seq;
#ifdef ROADIE_APPLET_HAVE_NM
	RoadieAppletNm *nm;
	gulong nm_changed;
#endif
};

G_DEFINE_TYPE(RoadieAppletModel, roadie_applet_model, G_TYPE_OBJECT)

enum { PROP_0, PROP_BUS, PROP_USER_DIR, PROP_SYSTEM_DIR, N_PROPS };
static GParamSpec *pspecs[N_PROPS];

enum { SIG_CHANGED, SIG_CONNECTED, SIG_RECONNECTING, SIG_FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef enum {
	NOTE_NONE,
	NOTE_CONNECTED,
	NOTE_RECONNECTING,
	NOTE_FAILED,
} Note;

typedef struct {
	RoadieAppletConnection pub; /* first: a Conn * is a RoadieAppletConnection * */
	RoadieAppletModel *model;
	/* Connection1's properties, name -> GVariant; NULL until the object is known */
	GHashTable *props;
	guint64 seq;      /* order of first sight: the newest wins in a profile's menu entry */
	bool ours;        /* started by this model's connect() */
	bool failed_told; /* "failed" was emitted, or was already so at first sight */
} Conn;

static void failure_free(gpointer data)
{
	Failure *f = data;

	g_free(f->code);
	g_free(f->text);
	g_free(f);
}

static void conn_free(gpointer data)
{
	Conn *c = data;

	if (c->props)
		g_hash_table_unref(c->props);
	g_free(c->pub.path);
	g_free(c->pub.profile);
	g_free(c->pub.profile_id);
	g_free(c->pub.state);
	g_free(c->pub.reason_code);
	g_free(c->pub.reason_text);
	g_free(c->pub.gateway);
	g_free(c->pub.nat);
	g_free(c->pub.interface);
	g_free(c->pub.address);
	g_free(c->pub.peer);
	g_variant_unref(c->pub.ip4_config);
	g_variant_unref(c->pub.negotiated);
	g_ptr_array_unref(c->pub.progress);
	g_free(c);
}

static Conn *conn_get(RoadieAppletModel *model, const char *path)
{
	Conn *c = g_hash_table_lookup(model->conns, path);

	if (c)
		return c;
	c = g_new0(Conn, 1);
	c->model = model;
	c->seq = model->next_seq++;
	c->pub.path = g_strdup(path);
	c->pub.profile = g_strdup("");
	c->pub.reason_code = g_strdup("");
	c->pub.reason_text = g_strdup("");
	c->pub.gateway = g_strdup("");
	c->pub.nat = g_strdup("");
	c->pub.interface = g_strdup("");
	c->pub.address = g_strdup("");
	c->pub.peer = g_strdup("");
	c->pub.ip4_config = g_variant_ref_sink(g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0));
	c->pub.negotiated = g_variant_ref_sink(g_variant_new_array(G_VARIANT_TYPE("{ss}"), NULL, 0));
	c->pub.progress = g_ptr_array_new_with_free_func(g_free);
	g_hash_table_insert(model->conns, c->pub.path, c);
	return c;
}

static void set_str(char **field, const char *value)
{
	if (g_strcmp0(*field, value ? value : "") == 0)
		return;
	g_free(*field);
	*field = g_strdup(value ? value : "");
}

static void set_variant(GVariant **field, GVariant *value, const char *type)
{
	if (!value || !g_variant_is_of_type(value, G_VARIANT_TYPE(type)))
		return;
	g_variant_unref(*field);
	*field = g_variant_ref(value);
}

static void conn_match_profile(Conn *c)
{
	const RoadieAppletProfile *p =
		roadie_applet_profiles_match(c->model->profiles, c->pub.profile);

	g_free(c->pub.profile_id);
	c->pub.profile_id = p ? g_strdup(p->id) : NULL;
}

static void model_set_failure(RoadieAppletModel *model, const char *id, const char *code,
			      const char *text)
{
	Failure *f;

	if (!id)
		return; /* no profile file to show it on: the notification said it */
	f = g_new0(Failure, 1);
	f->code = g_strdup(code);
	f->text = g_strdup(text);
	g_hash_table_replace(model->failures, g_strdup(id), f);
}

/* A property of the type roadied documents, else NULL (a hostile or newer roadied). */
static GVariant *conn_prop(Conn *c, const char *name, const char *type)
{
	GVariant *v = g_hash_table_lookup(c->props, name);

	return v && g_variant_is_of_type(v, G_VARIANT_TYPE(type)) ? v : NULL;
}

static const char *conn_prop_str(Conn *c, const char *name)
{
	GVariant *v = conn_prop(c, name, "s");

	return v ? g_variant_get_string(v, NULL) : "";
}

static guint64 conn_prop_u64(Conn *c, const char *name)
{
	GVariant *v = conn_prop(c, name, "t");

	return v ? g_variant_get_uint64(v) : 0;
}

/* Takes @props (a{sv}) into the record's table, over what it had. */
static void conn_take_props(Conn *c, GVariant *props)
{
	GVariantIter iter;
	const char *name;
	GVariant *value;

	if (!c->props)
		c->props = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
						 (GDestroyNotify)g_variant_unref);
	g_variant_iter_init(&iter, props);
	while (g_variant_iter_next(&iter, "{&sv}", &name, &value))
		g_hash_table_replace(c->props, g_strdup(name), value);
}

/*
 * Copies the object's properties into the public fields and says which notification the
 * change is worth. @first: the object's first sight, which notifies only for our own
 * connections (what was so before the applet looked is no news).
 */
static Note conn_sync(Conn *c, bool first)
{
	g_autofree char *old = g_strdup(c->pub.state);
	const char *state = conn_prop_str(c, "State");
	GVariant *reason = conn_prop(c, "Reason", "(ss)");
	GVariant *ip4 = conn_prop(c, "Ip4Config", "a{sv}");
	bool changed_state, notify = !first || c->ours;
	const char *address = NULL, *peer = NULL;

	set_str(&c->pub.profile, conn_prop_str(c, "Profile"));
	conn_match_profile(c);
	set_str(&c->pub.state, state);
	if (reason && g_variant_is_of_type(reason, G_VARIANT_TYPE("(ss)"))) {
		const char *code, *text;

		g_variant_get(reason, "(&s&s)", &code, &text);
		set_str(&c->pub.reason_code, code);
		set_str(&c->pub.reason_text, text);
	}
	set_str(&c->pub.gateway, conn_prop_str(c, "Gateway"));
	set_str(&c->pub.nat, conn_prop_str(c, "Nat"));
	set_str(&c->pub.interface, conn_prop_str(c, "Interface"));
	set_variant(&c->pub.ip4_config, ip4, "a{sv}");
	set_variant(&c->pub.negotiated, conn_prop(c, "Negotiated", "a{ss}"), "a{ss}");
	g_variant_lookup(c->pub.ip4_config, "address", "&s", &address);
	g_variant_lookup(c->pub.ip4_config, "peer", "&s", &peer);
	set_str(&c->pub.address, address);
	set_str(&c->pub.peer, peer);
	c->pub.bytes_in = conn_prop_u64(c, "BytesIn");
	c->pub.bytes_out = conn_prop_u64(c, "BytesOut");
	c->pub.packets_in = conn_prop_u64(c, "PacketsIn");
	c->pub.packets_out = conn_prop_u64(c, "PacketsOut");
	c->pub.connected_since = conn_prop_u64(c, "ConnectedSince");

	changed_state = g_strcmp0(old, state) != 0;
	/* every attempt starts by resolving the gateway: its lines start afresh */
	if (changed_state && old && strcmp(state, "resolving") == 0)
		g_ptr_array_set_size(c->pub.progress, 0);
	if (!state_ended(state))
		g_hash_table_remove(c->model->failures, c->pub.profile_id ? c->pub.profile_id : "");
	if (first && !notify && strcmp(state, "failed") == 0)
		c->failed_told = true;
	if (strcmp(state, "failed") == 0 && !c->failed_told && *c->pub.reason_text) {
		/* roadied sets Reason with the state; should it come later, wait for it */
		c->failed_told = true;
		model_set_failure(c->model, c->pub.profile_id, c->pub.reason_code,
				  c->pub.reason_text);
		return NOTE_FAILED;
	}
	if (!changed_state || !notify)
		return NOTE_NONE;
	if (strcmp(state, "connected") == 0)
		return NOTE_CONNECTED;
	if (strcmp(state, "reconnecting") == 0)
		return NOTE_RECONNECTING;
	return NOTE_NONE;
}

static void model_update(RoadieAppletModel *model)
{
	RoadieAppletState best = g_hash_table_size(model->failures) ? ROADIE_APPLET_STATE_FAILED
								     : ROADIE_APPLET_STATE_DISCONNECTED;
	GHashTableIter iter;
	gpointer value;

	g_hash_table_iter_init(&iter, model->conns);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		Conn *c = value;
		RoadieAppletState s;

		if (!c->props)
			continue;
		s = roadie_applet_state_from_dbus(c->pub.state);
		if (state_rank(s) > state_rank(best))
			best = s;
	}
#ifdef ROADIE_APPLET_HAVE_NM
	/* NM's roadie connections: an activation waits for secrets or NM's service before
	 * roadied has a connection to show */
	for (guint i = 0; model->nm && i < roadie_applet_nm_get_connections(model->nm)->len; i++) {
		const RoadieAppletNmConnection *n =
			roadie_applet_nm_get_connections(model->nm)->pdata[i];
		RoadieAppletState s = ROADIE_APPLET_STATE_DISCONNECTED;

		if (!n->active)
			continue;
		switch (n->state) {
		case NM_ACTIVE_CONNECTION_STATE_ACTIVATING:
			s = ROADIE_APPLET_STATE_CONNECTING;
			break;
		case NM_ACTIVE_CONNECTION_STATE_ACTIVATED:
			s = ROADIE_APPLET_STATE_CONNECTED;
			break;
		case NM_ACTIVE_CONNECTION_STATE_UNKNOWN:
		case NM_ACTIVE_CONNECTION_STATE_DEACTIVATING:
		case NM_ACTIVE_CONNECTION_STATE_DEACTIVATED:
			break;
		}
		if (state_rank(s) > state_rank(best))
			best = s;
	}
#endif
	model->state = best;
}

static void model_emit(RoadieAppletModel *model, Conn *c, Note note)
{
	model_update(model);
	switch (note) {
	case NOTE_NONE:
		break;
	case NOTE_CONNECTED:
		g_signal_emit(model, signals[SIG_CONNECTED], 0, &c->pub, c->pub.address,
			      c->pub.gateway);
		break;
	case NOTE_RECONNECTING:
		g_signal_emit(model, signals[SIG_RECONNECTING], 0, &c->pub, c->pub.reason_code,
			      c->pub.reason_text);
		break;
	case NOTE_FAILED:
		g_signal_emit(model, signals[SIG_FAILED], 0, &c->pub, c->pub.reason_code,
			      c->pub.reason_text);
		break;
	}
	g_signal_emit(model, signals[SIG_CHANGED], 0);
}

/* roadied's PropertiesChanged for one of its connections */
static void model_on_properties(GDBusConnection *bus, const char *sender, const char *path,
				const char *iface, const char *member, GVariant *params,
				gpointer data)
{
	RoadieAppletModel *model = data;
	g_autoptr(GVariant) changed = NULL;
	const char *changed_iface;
	Conn *c;

	if (!g_variant_is_of_type(params, G_VARIANT_TYPE("(sa{sv}as)")))
		return;
	g_variant_get(params, "(&s@a{sv}@as)", &changed_iface, &changed, NULL);
	c = g_hash_table_lookup(model->conns, path);
	/* not known yet: GetManagedObjects' answer, sent after this, has the new values */
	if (strcmp(changed_iface, MODEL_CONNECTION_IFACE) != 0 || !c || !c->props)
		return;
	conn_take_props(c, changed);
	model_emit(model, c, conn_sync(c, false));
}

/* @ifaces: a{sa{sv}}, as InterfacesAdded and GetManagedObjects give them */
static void model_add_object(RoadieAppletModel *model, const char *path, GVariant *ifaces,
			     bool notify)
{
	g_autoptr(GVariant) props = NULL;
	bool first;
	Conn *c;
	Note note;

	if (!g_str_has_prefix(path, MODEL_DAEMON_PATH "/"))
		return;
	props = g_variant_lookup_value(ifaces, MODEL_CONNECTION_IFACE, G_VARIANT_TYPE("a{sv}"));
	if (!props)
		return;
	c = conn_get(model, path);
	first = !c->props;
	conn_take_props(c, props);
	note = conn_sync(c, first);
	if (notify)
		model_emit(model, c, note);
}

static void model_on_interfaces_added(GDBusConnection *bus, const char *sender,
				      const char *path, const char *iface, const char *member,
				      GVariant *params, gpointer data)
{
	g_autoptr(GVariant) ifaces = NULL;
	const char *object;

	if (!g_variant_is_of_type(params, G_VARIANT_TYPE("(oa{sa{sv}})")))
		return;
	g_variant_get(params, "(&o@a{sa{sv}})", &object, &ifaces);
	model_add_object(data, object, ifaces, true);
}

/* A connection's object went: before it ended (roadied stopped, or dropped it), the user
 * must hear of it. */
static void model_remove_conn(RoadieAppletModel *model, Conn *c)
{
	Note note = NOTE_NONE;

	if (!c->failed_told && (!state_ended(c->pub.state) || strcmp(c->pub.state, "failed") == 0)) {
		if (!*c->pub.reason_text) {
			set_str(&c->pub.reason_code, "");
			set_str(&c->pub.reason_text,
				"roadied ended the connection without saying why");
		}
		c->failed_told = true;
		model_set_failure(model, c->pub.profile_id, c->pub.reason_code,
				  c->pub.reason_text);
		note = NOTE_FAILED;
	}
	/* the record stays alive through the signals, then goes */
	g_hash_table_steal(model->conns, c->pub.path);
	model_emit(model, c, note);
	conn_free(c);
}

static void model_on_interfaces_removed(GDBusConnection *bus, const char *sender,
					const char *path, const char *iface, const char *member,
					GVariant *params, gpointer data)
{
	RoadieAppletModel *model = data;
	g_autofree const char **ifaces = NULL;
	const char *object;
	Conn *c;

	if (!g_variant_is_of_type(params, G_VARIANT_TYPE("(oas)")))
		return;
	g_variant_get(params, "(&o^a&s)", &object, &ifaces);
	if (!g_strv_contains(ifaces, MODEL_CONNECTION_IFACE))
		return;
	c = g_hash_table_lookup(model->conns, object);
	if (c && c->props)
		model_remove_conn(model, c);
}

/* Every connection's Progress, also before its object is known (then kept for it). */
static void model_on_progress(GDBusConnection *bus, const char *sender, const char *path,
			      const char *iface, const char *member, GVariant *params,
			      gpointer data)
{
	RoadieAppletModel *model = data;
	const char *line;
	Conn *c;

	if (!g_variant_is_of_type(params, G_VARIANT_TYPE("(s)")) ||
	    !g_str_has_prefix(path, MODEL_DAEMON_PATH "/"))
		return;
	g_variant_get(params, "(&s)", &line);
	c = conn_get(model, path);
	if (c->pub.progress->len >= ROADIE_APPLET_PROGRESS_MAX)
		g_ptr_array_remove_index(c->pub.progress, 0);
	g_ptr_array_add(c->pub.progress, g_strdup(line));
	if (c->props)
		g_signal_emit(model, signals[SIG_CHANGED], 0);
}

/* Stops following the owner of roadied's name, without a word to anyone. */
static void model_release_owner(RoadieAppletModel *model)
{
	guint *subs[] = { &model->added_sub, &model->removed_sub, &model->props_sub };

	if (model->owner_cancel) {
		g_cancellable_cancel(model->owner_cancel);
		g_clear_object(&model->owner_cancel);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(subs); i++)
		if (*subs[i]) {
			g_dbus_connection_signal_unsubscribe(model->bus, *subs[i]);
			*subs[i] = 0;
		}
	g_clear_pointer(&model->owner, g_free);
}

/* The old owner's objects are gone with it. */
static void model_drop_owner(RoadieAppletModel *model)
{
	GHashTableIter iter;
	gpointer value;
	Conn *c;

	model_release_owner(model);
	/* one at a time: each removal emits signals whose handlers may read the table */
	for (;;) {
		c = NULL;
		g_hash_table_iter_init(&iter, model->conns);
		while (!c && g_hash_table_iter_next(&iter, NULL, &value))
			if (((Conn *)value)->props)
				c = value;
		if (!c)
			break;
		model_remove_conn(model, c);
	}
	/* records that only ever had Progress lines: their objects will not come any more */
	g_hash_table_iter_init(&iter, model->conns);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		g_hash_table_iter_remove(&iter);
}

static void model_on_managed_objects(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
	g_autoptr(GVariant) objects = NULL;
	RoadieAppletModel *model;
	GVariantIter iter;
	const char *path;
	GVariant *ifaces;

	if (!reply) {
		/* cancelled: the model or that owner is gone; otherwise that roadied is going */
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			g_message("roadie-applet: cannot list roadied's connections: %s",
				  error->message);
		return;
	}
	model = data;
	g_clear_object(&model->owner_cancel);
	objects = g_variant_get_child_value(reply, 0);
	g_variant_iter_init(&iter, objects);
	while (g_variant_iter_next(&iter, "{&o@a{sa{sv}}}", &path, &ifaces)) {
		model_add_object(model, path, ifaces, false);
		g_variant_unref(ifaces);
	}
	model_emit(model, NULL, NOTE_NONE);
}

/*
 * roadied's name got an owner: follow that owner's objects. Signals are subscribed before
 * GetManagedObjects is sent, so nothing between the two is lost. Following must not start
 * roadied: it runs only while it has connections.
 */
static void model_on_name_appeared(GDBusConnection *bus, const char *name, const char *owner,
				   gpointer data)
{
	RoadieAppletModel *model = data;

	model_drop_owner(model);
	model->daemon = ROADIE_APPLET_DAEMON_RUNNING;
	model->owner = g_strdup(owner);
	model->added_sub = g_dbus_connection_signal_subscribe(
		bus, owner, "org.freedesktop.DBus.ObjectManager", "InterfacesAdded",
		MODEL_DAEMON_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE, model_on_interfaces_added,
		model, NULL);
	model->removed_sub = g_dbus_connection_signal_subscribe(
		bus, owner, "org.freedesktop.DBus.ObjectManager", "InterfacesRemoved",
		MODEL_DAEMON_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE, model_on_interfaces_removed,
		model, NULL);
	model->props_sub = g_dbus_connection_signal_subscribe(
		bus, owner, "org.freedesktop.DBus.Properties", "PropertiesChanged", NULL,
		MODEL_CONNECTION_IFACE, G_DBUS_SIGNAL_FLAGS_NONE, model_on_properties, model,
		NULL);
	model->owner_cancel = g_cancellable_new();
	g_dbus_connection_call(bus, owner, MODEL_DAEMON_PATH, "org.freedesktop.DBus.ObjectManager",
			       "GetManagedObjects", NULL, G_VARIANT_TYPE("(a{oa{sa{sv}}})"),
			       G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, model->owner_cancel,
			       model_on_managed_objects, model);
	model_emit(model, NULL, NOTE_NONE);
}

static void model_on_name_vanished(GDBusConnection *bus, const char *name, gpointer data)
{
	RoadieAppletModel *model = data;

	model->daemon = ROADIE_APPLET_DAEMON_NOT_RUNNING;
	model_drop_owner(model);
	model_emit(model, NULL, NOTE_NONE);
}

static void model_on_profiles_changed(gpointer data)
{
	RoadieAppletModel *model = data;
	GHashTableIter iter;
	gpointer value;

	g_hash_table_iter_init(&iter, model->conns);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		conn_match_profile(value);
	model_emit(model, NULL, NOTE_NONE);
}

#ifdef ROADIE_APPLET_HAVE_NM
static void model_on_nm_changed(RoadieAppletNm *nm, gpointer data)
{
	model_emit(data, NULL, NOTE_NONE);
}
#endif

static void roadie_applet_model_constructed(GObject *object)
{
	RoadieAppletModel *model = ROADIE_APPLET_MODEL(object);

	G_OBJECT_CLASS(roadie_applet_model_parent_class)->constructed(object);
	if (!model->user_dir)
		model->user_dir = roadie_profile_dir_user();
	if (!model->system_dir)
		model->system_dir = roadie_profile_dir_system();
	model->profiles = roadie_applet_profiles_new(model->user_dir, model->system_dir,
						     model_on_profiles_changed, model);
	model->conns = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, conn_free);
	model->failures = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, failure_free);
	g_return_if_fail(model->bus);

	/* subscribed first: nothing roadied says is lost (see the top of the file) */
	model->progress_sub = g_dbus_connection_signal_subscribe(
		model->bus, MODEL_BUS_NAME, MODEL_CONNECTION_IFACE, "Progress", NULL, NULL,
		G_DBUS_SIGNAL_FLAGS_NONE, model_on_progress, model, NULL);
	model->name_watch = g_bus_watch_name_on_connection(
		model->bus, MODEL_BUS_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE, model_on_name_appeared,
		model_on_name_vanished, model, NULL);
#ifdef ROADIE_APPLET_HAVE_NM
	model->nm = roadie_applet_nm_new(model->bus);
	model->nm_changed =
		g_signal_connect(model->nm, "changed", G_CALLBACK(model_on_nm_changed), model);
#endif
}

static void roadie_applet_model_dispose(GObject *object)
{
	RoadieAppletModel *model = ROADIE_APPLET_MODEL(object);

	if (model->progress_sub) {
		g_dbus_connection_signal_unsubscribe(model->bus, model->progress_sub);
		model->progress_sub = 0;
	}
	if (model->name_watch) {
		g_bus_unwatch_name(model->name_watch);
		model->name_watch = 0;
	}
	model_release_owner(model);
#ifdef ROADIE_APPLET_HAVE_NM
	if (model->nm)
		g_clear_signal_handler(&model->nm_changed, model->nm);
	g_clear_object(&model->nm);
#endif
	g_clear_pointer(&model->conns, g_hash_table_unref);
	g_clear_pointer(&model->failures, g_hash_table_unref);
	g_clear_pointer(&model->profiles, roadie_applet_profiles_free);
	g_clear_object(&model->bus);
	G_OBJECT_CLASS(roadie_applet_model_parent_class)->dispose(object);
}

static void roadie_applet_model_finalize(GObject *object)
{
	RoadieAppletModel *model = ROADIE_APPLET_MODEL(object);

	g_free(model->user_dir);
	g_free(model->system_dir);
	G_OBJECT_CLASS(roadie_applet_model_parent_class)->finalize(object);
}

static void roadie_applet_model_set_property(GObject *object, guint id, const GValue *value,
					     GParamSpec *pspec)
{
	RoadieAppletModel *model = ROADIE_APPLET_MODEL(object);

	switch (id) {
	case PROP_BUS:
		model->bus = g_value_dup_object(value);
		break;
	case PROP_USER_DIR:
		model->user_dir = g_value_dup_string(value);
		break;
	case PROP_SYSTEM_DIR:
		model->system_dir = g_value_dup_string(value);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
	}
}

static void roadie_applet_model_get_property(GObject *object, guint id, GValue *value,
					     GParamSpec *pspec)
{
	RoadieAppletModel *model = ROADIE_APPLET_MODEL(object);

	switch (id) {
	case PROP_BUS:
		g_value_set_object(value, model->bus);
		break;
	case PROP_USER_DIR:
		g_value_set_string(value, model->user_dir);
		break;
	case PROP_SYSTEM_DIR:
		g_value_set_string(value, model->system_dir);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
	}
}

static void roadie_applet_model_class_init(RoadieAppletModelClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	const GParamFlags flags =
		G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

	object_class->constructed = roadie_applet_model_constructed;
	object_class->dispose = roadie_applet_model_dispose;
	object_class->finalize = roadie_applet_model_finalize;
	object_class->set_property = roadie_applet_model_set_property;
	object_class->get_property = roadie_applet_model_get_property;

	pspecs[PROP_BUS] = g_param_spec_object("bus", "Bus", "The system bus",
					      G_TYPE_DBUS_CONNECTION, flags);
	pspecs[PROP_USER_DIR] = g_param_spec_string("user-dir", "User profiles",
						   "The user's profile directory", NULL, flags);
	pspecs[PROP_SYSTEM_DIR] = g_param_spec_string("system-dir", "System profiles",
						     "The system's profile directory", NULL, flags);
	g_object_class_install_properties(object_class, N_PROPS, pspecs);

	signals[SIG_CHANGED] = g_signal_new("changed", G_TYPE_FROM_CLASS(klass),
					    G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
	signals[SIG_CONNECTED] = g_signal_new("connected", G_TYPE_FROM_CLASS(klass),
					      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
					      3, G_TYPE_POINTER, G_TYPE_STRING, G_TYPE_STRING);
	signals[SIG_RECONNECTING] = g_signal_new("reconnecting", G_TYPE_FROM_CLASS(klass),
						 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
						 G_TYPE_NONE, 3, G_TYPE_POINTER, G_TYPE_STRING,
						 G_TYPE_STRING);
	signals[SIG_FAILED] = g_signal_new("failed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
					   0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_POINTER,
					   G_TYPE_STRING, G_TYPE_STRING);
}

static void roadie_applet_model_init(RoadieAppletModel *model)
{
	model->daemon = ROADIE_APPLET_DAEMON_UNKNOWN;
	model->state = ROADIE_APPLET_STATE_DISCONNECTED;
}

RoadieAppletModel *roadie_applet_model_new(GDBusConnection *bus, const char *user_dir,
					   const char *system_dir)
{
	g_return_val_if_fail(G_IS_DBUS_CONNECTION(bus), NULL);
	return g_object_new(ROADIE_TYPE_APPLET_MODEL, "bus", bus, "user-dir", user_dir,
			    "system-dir", system_dir, NULL);
}

/* ---- reading ---- */

RoadieAppletState roadie_applet_model_get_state(RoadieAppletModel *model)
{
	return model->state;
}

RoadieAppletDaemon roadie_applet_model_get_daemon(RoadieAppletModel *model)
{
	return model->daemon;
}

GPtrArray *roadie_applet_model_get_profiles(RoadieAppletModel *model)
{
	return roadie_applet_profiles_list(model->profiles);
}

void roadie_applet_model_reload_profiles(RoadieAppletModel *model)
{
	roadie_applet_profiles_reload(model->profiles);
}

const RoadieAppletConnection *roadie_applet_model_get_profile_connection(RoadieAppletModel *model,
									 const char *id)
{
	GHashTableIter iter;
	gpointer value;
	Conn *best = NULL;

	g_hash_table_iter_init(&iter, model->conns);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		Conn *c = value;
		bool live, best_live;

		if (!c->props || g_strcmp0(c->pub.profile_id, id) != 0)
			continue;
		live = !state_ended(c->pub.state);
		best_live = best && !state_ended(best->pub.state);
		if (!best || (live && !best_live) || (live == best_live && c->seq > best->seq))
			best = c;
	}
	return best ? &best->pub : NULL;
}

static int model_compare_paths(gconstpointer a, gconstpointer b)
{
	const RoadieAppletConnection *ca = *(RoadieAppletConnection *const *)a;
	const RoadieAppletConnection *cb = *(RoadieAppletConnection *const *)b;

	return strcmp(ca->path, cb->path);
}

GPtrArray *roadie_applet_model_get_connections(RoadieAppletModel *model)
{
	GPtrArray *list = g_ptr_array_new();
	GHashTableIter iter;
	gpointer value;

	g_hash_table_iter_init(&iter, model->conns);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		if (((Conn *)value)->props)
			g_ptr_array_add(list, &((Conn *)value)->pub);
	g_ptr_array_sort(list, model_compare_paths);
	return list;
}

bool roadie_applet_model_get_failure(RoadieAppletModel *model, const char *id,
				     const char **ret_code, const char **ret_text)
{
	const Failure *f = id ? g_hash_table_lookup(model->failures, id) : NULL;

	if (!f)
		return false;
	if (ret_code)
		*ret_code = f->code;
	if (ret_text)
		*ret_text = f->text;
	return true;
}

void roadie_applet_model_clear_failure(RoadieAppletModel *model, const char *id)
{
	bool removed;

	if (id) {
		removed = g_hash_table_remove(model->failures, id);
	} else {
		removed = g_hash_table_size(model->failures) > 0;
		g_hash_table_remove_all(model->failures);
	}
	if (removed)
		model_emit(model, NULL, NOTE_NONE);
}

#ifdef ROADIE_APPLET_HAVE_NM
RoadieAppletNm *roadie_applet_model_get_nm(RoadieAppletModel *model)
{
	return model->nm;
}
#endif

/* ---- connect ---- */

static GVariant *model_connect_options(void)
{
	GVariantBuilder b;

	/* roadied configures the host (standalone mode); the profile decides auto-reconnect */
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "configure-interface", g_variant_new_boolean(TRUE));
	return g_variant_builder_end(&b);
}

static void model_on_connect_reply(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GTask) task = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
	RoadieAppletModel *model = g_task_get_source_object(task);
	char *path = NULL;

	if (!reply) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			g_task_return_error(task, g_steal_pointer(&error));
		else
			g_task_return_error(task, roadie_applet_error_from_dbus(error));
		return;
	}
	g_variant_get(reply, "(o)", &path);
	/* the model is alive: the task holds it; the object may be known already */
	if (model->conns)
		conn_get(model, path)->ours = true;
	g_task_return_pointer(task, path, g_free);
}

void roadie_applet_model_connect(RoadieAppletModel *model, const char *id, GHashTable *secrets,
				 GCancellable *cancellable, GAsyncReadyCallback callback,
				 gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(model, cancellable, callback, user_data);
	RoadieAppletConnectArgs args = {0};
	const RoadieAppletProfile *profile;
	GError *error = NULL;

	g_task_set_source_tag(task, roadie_applet_model_connect);
	profile = roadie_applet_profiles_find(model->profiles, id);
	if (!profile) {
		/* a file just written may not have been seen by the monitor yet */
		roadie_applet_profiles_reload(model->profiles);
		profile = roadie_applet_profiles_find(model->profiles, id);
	}
	if (!profile) {
		g_task_return_new_error(task, ROADIE_APPLET_ERROR, ROADIE_APPLET_ERROR_NO_PROFILE,
					"no profile named '%s' in %s or %s", id ? id : "",
					model->user_dir, model->system_dir);
		return;
	}
	if (!roadie_applet_connect_prepare(profile, secrets, &args, &error)) {
		g_task_return_error(task, error);
		return;
	}
	roadie_applet_model_clear_failure(model, id);
	g_dbus_connection_call(model->bus, MODEL_BUS_NAME, MODEL_DAEMON_PATH, MODEL_DAEMON_IFACE,
			       "Connect",
			       g_variant_new("(@a{sv}@a{sv}@a{sv})", args.settings, args.secrets,
					     model_connect_options()),
			       G_VARIANT_TYPE("(o)"),
			       G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
			       MODEL_CALL_TIMEOUT_MS, cancellable, model_on_connect_reply,
			       g_steal_pointer(&task));
	/* ours go now; the message's copy goes once sent */
	roadie_applet_connect_args_clear(&args);
}

bool roadie_applet_model_connect_finish(RoadieAppletModel *model, GAsyncResult *result,
					char **ret_path, GError **error)
{
	char *path;

	g_return_val_if_fail(g_task_is_valid(result, model), false);
	path = g_task_propagate_pointer(G_TASK(result), error);
	if (!path)
		return false;
	if (ret_path)
		*ret_path = path;
	else
		g_free(path);
	return true;
}

/* ---- disconnect ---- */

typedef struct {
	unsigned pending;
	GError *error; /* the first refusal */
} DisconnectRun;

static void disconnect_run_free(gpointer data)
{
	DisconnectRun *run = data;

	g_clear_error(&run->error);
	g_free(run);
}

static void model_on_disconnect_reply(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GTask) task = data;
	DisconnectRun *run = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);

	if (!reply && !run->error) {
		g_autofree char *name = g_dbus_error_get_remote_error(error);

		/* already on its way down, or gone: that is what was asked */
		if (g_strcmp0(name, "org.roadie.Error.NotConnected") != 0 &&
		    g_strcmp0(name, "org.freedesktop.DBus.Error.UnknownObject") != 0)
			run->error = g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
					     ? g_steal_pointer(&error)
					     : roadie_applet_error_from_dbus(error);
	}
	if (--run->pending > 0)
		return;
	if (run->error)
		g_task_return_error(task, g_steal_pointer(&run->error));
	else
		g_task_return_boolean(task, TRUE);
}

void roadie_applet_model_disconnect(RoadieAppletModel *model, const char *id,
				    GCancellable *cancellable, GAsyncReadyCallback callback,
				    gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(model, cancellable, callback, user_data);
	DisconnectRun *run = g_new0(DisconnectRun, 1);
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	GHashTableIter iter;
	gpointer value;

	g_task_set_source_tag(task, roadie_applet_model_disconnect);
	g_task_set_task_data(task, run, disconnect_run_free);
	roadie_applet_model_clear_failure(model, id);
	g_hash_table_iter_init(&iter, model->conns);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		Conn *c = value;

		if (c->props && g_strcmp0(c->pub.profile_id, id) == 0 &&
		    !state_ended(c->pub.state))
			g_ptr_array_add(paths, g_strdup(c->pub.path));
	}
	if (paths->len == 0) {
		g_task_return_new_error(task, ROADIE_APPLET_ERROR, ROADIE_APPLET_ERROR_NOT_CONNECTED,
					"no connection of '%s' is up", id ? id : "");
		return;
	}
	run->pending = paths->len;
	for (guint i = 0; i < paths->len; i++)
		g_dbus_connection_call(model->bus, MODEL_BUS_NAME, paths->pdata[i],
				       MODEL_CONNECTION_IFACE, "Disconnect", NULL, NULL,
				       G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
				       MODEL_CALL_TIMEOUT_MS, cancellable,
				       model_on_disconnect_reply, g_object_ref(task));
}

bool roadie_applet_model_disconnect_finish(RoadieAppletModel *model, GAsyncResult *result,
					   GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, model), false);
	return g_task_propagate_boolean(G_TASK(result), error);
}

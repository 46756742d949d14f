/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The "Connection details" window. Every "changed" of the model redraws it from
 * roadie_applet_model_get_profile_connection(): the connection it returns is valid only until
 * the next "changed", so the window keeps copies of what it compares (the progress lines, the
 * Negotiated dictionary, the profile list) and never the connection itself. The one-second
 * tick of "Connected for" asks the model again for the same reason.
 */
#include <string.h>
#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "applet-details.h"
#include "applet-words.h"
#include "roadie-applet-details-resources.h"

/* what a value shows before roadied has said it */
#define DETAILS_UNKNOWN "—"

/* Negotiated's keys in the order a connection is built (IKE, ESP, L2TP, PPP); others after */
static const char *const details_negotiated_order[] = {"ike", "esp", "pfs", "l2tp-port",
						       "ppp-auth"};

#define ROADIE_TYPE_APPLET_DETAILS (roadie_applet_details_get_type())
G_DECLARE_FINAL_TYPE(RoadieAppletDetails, roadie_applet_details, ROADIE, APPLET_DETAILS, GtkWindow)

struct _RoadieAppletDetails {
	GtkWindow parent;

	RoadieAppletModel *model;
	gulong changed_id;
	guint tick;
	char *profile_id;           /* the profile shown; NULL when the model has none */
	char *profiles_shown;       /* the combo's entries, "id\nname\n..." */
	bool filling_combo;         /* the combo's "changed" comes from us, not the user */
	char *progress_path;        /* the connection whose lines the list shows */
	GPtrArray *progress_shown;  /* copies of those lines: char * */
	GVariant *negotiated_shown; /* a{ss}, a reference of our own; NULL: none shown */
	bool follow;                /* the list is scrolled to its end: keep it there */

	GtkWidget *profile_box, *profile_combo, *title_label;
	GtkWidget *state_value, *problem_caption, *problem_value, *gateway_value, *nat_value;
	GtkWidget *address_value, *peer_value, *dns_value, *received_value, *sent_value;
	GtkWidget *duration_value;
	GtkWidget *state_caption, *gateway_caption, *nat_caption, *address_caption, *peer_caption;
	GtkWidget *dns_caption, *received_caption, *sent_caption, *duration_caption;
	GtkWidget *negotiated_grid, *negotiated_none, *progress_scroll, *progress_list;
};

G_DEFINE_TYPE(RoadieAppletDetails, roadie_applet_details, GTK_TYPE_WINDOW)

/* ---- helpers ---- */

/* A value label's accessible name is its caption ("Gateway"), not its text; a screen reader
 * reads both through the relation. */
static void details_label_value(GtkWidget *value, GtkWidget *caption)
{
	AtkObject *value_atk = gtk_widget_get_accessible(value);
	AtkObject *caption_atk = gtk_widget_get_accessible(caption);

	atk_object_set_name(value_atk, gtk_label_get_text(GTK_LABEL(caption)));
	atk_object_add_relationship(value_atk, ATK_RELATION_LABELLED_BY, caption_atk);
	atk_object_add_relationship(caption_atk, ATK_RELATION_LABEL_FOR, value_atk);
}

static void details_set(GtkWidget *label, const char *text)
{
	if (!text || !*text)
		text = DETAILS_UNKNOWN;
	/* an unchanged text keeps a selection the user is making */
	if (strcmp(gtk_label_get_text(GTK_LABEL(label)), text) != 0)
		gtk_label_set_text(GTK_LABEL(label), text);
}

static const RoadieAppletProfile *details_find_profile(RoadieAppletDetails *self, const char *id)
{
	GPtrArray *list = roadie_applet_model_get_profiles(self->model);

	for (guint i = 0; id && i < list->len; i++) {
		const RoadieAppletProfile *p = list->pdata[i];

		if (strcmp(p->id, id) == 0)
			return p;
	}
	return NULL;
}

static bool details_state_ended(const char *state)
{
	return !state || strcmp(state, "disconnected") == 0 || strcmp(state, "failed") == 0;
}

/* The profile shown when none was named: the first connection's, else the first profile. */
static char *details_default_profile(RoadieAppletDetails *self)
{
	g_autoptr(GPtrArray) conns = roadie_applet_model_get_connections(self->model);
	GPtrArray *profiles = roadie_applet_model_get_profiles(self->model);

	for (guint i = 0; i < conns->len; i++) {
		const RoadieAppletConnection *c = conns->pdata[i];

		if (c->profile_id && !details_state_ended(c->state))
			return g_strdup(c->profile_id);
	}
	for (guint i = 0; i < conns->len; i++) {
		const RoadieAppletConnection *c = conns->pdata[i];

		if (c->profile_id)
			return g_strdup(c->profile_id);
	}
	if (profiles->len > 0)
		return g_strdup(((RoadieAppletProfile *)profiles->pdata[0])->id);
	return NULL;
}

/* ---- the parts ---- */

/* The combo lists the model's profiles; it is rebuilt only when they changed, so an open
 * popup is not pulled away under the user at every counter update. */
static void details_fill_profiles(RoadieAppletDetails *self)
{
	GPtrArray *list = roadie_applet_model_get_profiles(self->model);
	g_autoptr(GString) shown = g_string_new(NULL);

	for (guint i = 0; i < list->len; i++) {
		const RoadieAppletProfile *p = list->pdata[i];

		g_string_append_printf(shown, "%s\n%s\n", p->id, p->name);
	}
	if (g_strcmp0(self->profiles_shown, shown->str) != 0) {
		self->filling_combo = true;
		gtk_combo_box_text_remove_all(GTK_COMBO_BOX_TEXT(self->profile_combo));
		for (guint i = 0; i < list->len; i++) {
			const RoadieAppletProfile *p = list->pdata[i];

			gtk_combo_box_text_append(GTK_COMBO_BOX_TEXT(self->profile_combo), p->id,
						  p->name);
		}
		self->filling_combo = false;
		g_free(self->profiles_shown);
		self->profiles_shown = g_string_free(g_steal_pointer(&shown), FALSE);
	}
	gtk_widget_set_visible(self->profile_box, list->len > 1);
	gtk_widget_set_visible(self->title_label, list->len <= 1);
	self->filling_combo = true;
	if (!self->profile_id ||
	    !gtk_combo_box_set_active_id(GTK_COMBO_BOX(self->profile_combo), self->profile_id))
		gtk_combo_box_set_active(GTK_COMBO_BOX(self->profile_combo), -1);
	self->filling_combo = false;
}

static void details_show_title(RoadieAppletDetails *self, const RoadieAppletProfile *profile)
{
	g_autofree char *title = NULL;

	if (!profile) {
		gtk_label_set_text(GTK_LABEL(self->title_label),
				   self->profile_id ? self->profile_id : _("No VPN profiles"));
		gtk_window_set_title(GTK_WINDOW(self), _("Connection details"));
		return;
	}
	gtk_label_set_text(GTK_LABEL(self->title_label), profile->name);
	/* TRANSLATORS: the window's title: a profile's name */
	title = g_strdup_printf(_("%s — Connection details"), profile->name);
	gtk_window_set_title(GTK_WINDOW(self), title);
}

/* State and the problem: a failed attempt's sentence comes from the model's record of it,
 * which outlives roadied's object (gone ~5 s after the failure); a reconnecting connection
 * says why it reconnects. */
static void details_show_state(RoadieAppletDetails *self, const RoadieAppletConnection *c)
{
	const char *state = c ? c->state : NULL;
	const char *failure = NULL, *problem = NULL;

	if (self->profile_id && details_state_ended(state) &&
	    roadie_applet_model_get_failure(self->model, self->profile_id, NULL, &failure)) {
		state = "failed";
		problem = failure;
	} else if (c &&
		   (g_strcmp0(c->state, "failed") == 0 ||
		    g_strcmp0(c->state, "reconnecting") == 0) &&
		   *c->reason_text) {
		problem = c->reason_text;
	}
	details_set(self->state_value, roadie_applet_words_state(state));
	details_set(self->problem_value, problem);
	gtk_widget_set_visible(self->problem_caption, problem != NULL);
	gtk_widget_set_visible(self->problem_value, problem != NULL);
}

/* roadied's Gateway is the address it resolved; the profile's is what the user typed */
static void details_show_gateway(RoadieAppletDetails *self, const RoadieAppletConnection *c,
				 const RoadieAppletProfile *profile)
{
	const char *typed = profile ? profile->gateway : NULL;
	g_autofree char *both = NULL;

	if (c && *c->gateway && typed && strcmp(c->gateway, typed) != 0)
		/* TRANSLATORS: the gateway's address and, in brackets, its name in the profile */
		both = g_strdup_printf(_("%s (%s)"), c->gateway, typed);
	details_set(self->gateway_value, both ? both : c && *c->gateway ? c->gateway : typed);
	details_set(self->nat_value, c && *c->nat ? roadie_applet_words_nat(c->nat) : NULL);
}

static void details_show_ip(RoadieAppletDetails *self, const RoadieAppletConnection *c)
{
	g_autofree const char **dns = NULL, **domains = NULL;
	g_autofree char *dns_text = NULL, *domains_text = NULL, *text = NULL;
	guint32 prefix = 0;

	if (c) {
		g_variant_lookup(c->ip4_config, "dns", "^a&s", &dns);
		g_variant_lookup(c->ip4_config, "domains", "^a&s", &domains);
		g_variant_lookup(c->ip4_config, "prefix", "u", &prefix);
	}
	if (c && *c->address && prefix > 0 && prefix < 32)
		text = g_strdup_printf("%s/%u", c->address, prefix);
	details_set(self->address_value, text ? text : c ? c->address : NULL);
	details_set(self->peer_value, c ? c->peer : NULL);
	if (dns && dns[0])
		dns_text = g_strjoinv(", ", (char **)dns);
	if (dns_text && domains && domains[0]) {
		domains_text = g_strjoinv(", ", (char **)domains);
		g_free(text);
		/* TRANSLATORS: DNS servers, then the domains looked up through them */
		text = g_strdup_printf(_("%s (for %s)"), dns_text, domains_text);
		details_set(self->dns_value, text);
	} else {
		details_set(self->dns_value, dns_text);
	}
}

static void details_show_traffic(RoadieAppletDetails *self, const RoadieAppletConnection *c)
{
	g_autofree char *in = NULL, *out = NULL, *since = NULL;
	bool up = c && c->connected_since > 0 && !details_state_ended(c->state);

	if (up) {
		in = roadie_applet_words_traffic(c->bytes_in, c->packets_in);
		out = roadie_applet_words_traffic(c->bytes_out, c->packets_out);
		since = roadie_applet_words_connected_for(c->connected_since, g_get_real_time());
	}
	details_set(self->received_value, in);
	details_set(self->sent_value, out);
	details_set(self->duration_value, since);
}

static int details_negotiated_rank(const char *key)
{
	for (size_t i = 0; i < G_N_ELEMENTS(details_negotiated_order); i++)
		if (strcmp(details_negotiated_order[i], key) == 0)
			return (int)i;
	return (int)G_N_ELEMENTS(details_negotiated_order);
}

static int details_compare_keys(gconstpointer a, gconstpointer b)
{
	const char *ka = *(const char *const *)a, *kb = *(const char *const *)b;
	int ra = details_negotiated_rank(ka), rb = details_negotiated_rank(kb);

	return ra != rb ? ra - rb : strcmp(ka, kb);
}

/* One row per Negotiated entry, in the order of details_negotiated_order. */
static void details_show_negotiated(RoadieAppletDetails *self, GVariant *negotiated)
{
	g_autoptr(GList) old = NULL;
	g_autoptr(GPtrArray) keys = g_ptr_array_new();
	GVariantIter iter;
	const char *key, *value;

	if (negotiated && g_variant_n_children(negotiated) == 0)
		negotiated = NULL;
	if (negotiated == self->negotiated_shown ||
	    (negotiated && self->negotiated_shown &&
	     g_variant_equal(negotiated, self->negotiated_shown)))
		return;
	g_clear_pointer(&self->negotiated_shown, g_variant_unref);
	old = gtk_container_get_children(GTK_CONTAINER(self->negotiated_grid));
	for (GList *l = old; l; l = l->next)
		gtk_widget_destroy(l->data);
	gtk_widget_set_visible(self->negotiated_none, !negotiated);
	gtk_widget_set_visible(self->negotiated_grid, negotiated != NULL);
	if (!negotiated)
		return;
	self->negotiated_shown = g_variant_ref(negotiated);
	g_variant_iter_init(&iter, negotiated);
	while (g_variant_iter_next(&iter, "{&s&s}", &key, &value))
		g_ptr_array_add(keys, (gpointer)key);
	g_ptr_array_sort(keys, details_compare_keys);
	for (guint i = 0; i < keys->len; i++) {
		GtkWidget *caption, *label;

		key = keys->pdata[i];
		if (!g_variant_lookup(negotiated, key, "&s", &value))
			continue;
		caption = gtk_label_new(roadie_applet_words_negotiated(key));
		gtk_label_set_xalign(GTK_LABEL(caption), 1);
		gtk_style_context_add_class(gtk_widget_get_style_context(caption), "dim-label");
		label = gtk_label_new(value);
		gtk_label_set_xalign(GTK_LABEL(label), 0);
		gtk_label_set_selectable(GTK_LABEL(label), TRUE);
		gtk_label_set_line_wrap(GTK_LABEL(label), TRUE);
		gtk_widget_set_hexpand(label, TRUE);
		/* the tests find the values by key */
		gtk_widget_set_name(label, key);
		gtk_grid_attach(GTK_GRID(self->negotiated_grid), caption, 0, (int)i, 1, 1);
		gtk_grid_attach(GTK_GRID(self->negotiated_grid), label, 1, (int)i, 1, 1);
		details_label_value(label, caption);
		gtk_widget_show(caption);
		gtk_widget_show(label);
	}
}

static void details_add_line(RoadieAppletDetails *self, const char *line)
{
	GtkWidget *label = gtk_label_new(line);

	gtk_label_set_xalign(GTK_LABEL(label), 0);
	gtk_label_set_line_wrap(GTK_LABEL(label), TRUE);
	gtk_label_set_line_wrap_mode(GTK_LABEL(label), PANGO_WRAP_WORD_CHAR);
	gtk_label_set_selectable(GTK_LABEL(label), TRUE);
	gtk_widget_set_margin_start(label, 6);
	gtk_widget_set_margin_end(label, 6);
	gtk_widget_set_margin_top(label, 3);
	gtk_widget_set_margin_bottom(label, 3);
	gtk_widget_show(label);
	gtk_container_add(GTK_CONTAINER(self->progress_list), label);
	g_ptr_array_add(self->progress_shown, g_strdup(line));
}

/* The lines of the current attempt: new ones are appended (the model only appends, until an
 * attempt starts afresh or the oldest lines drop off past ROADIE_APPLET_PROGRESS_MAX, which
 * redraw the list). */
static void details_show_progress(RoadieAppletDetails *self, const RoadieAppletConnection *c)
{
	GPtrArray *lines = c ? c->progress : NULL;
	guint n = lines ? lines->len : 0, shown = self->progress_shown->len;
	bool prefix = g_strcmp0(self->progress_path, c ? c->path : NULL) == 0 && shown <= n;

	/* roadied removed a failed connection: its lines stay beside the failure they led to,
	 * until the failure is forgotten */
	if (!c && self->profile_id &&
	    roadie_applet_model_get_failure(self->model, self->profile_id, NULL, NULL))
		return;
	for (guint i = 0; prefix && i < shown; i++)
		prefix = strcmp(self->progress_shown->pdata[i], lines->pdata[i]) == 0;
	if (!prefix) {
		g_autoptr(GList) rows =
			gtk_container_get_children(GTK_CONTAINER(self->progress_list));

		for (GList *l = rows; l; l = l->next)
			gtk_widget_destroy(l->data);
		g_ptr_array_set_size(self->progress_shown, 0);
		g_free(self->progress_path);
		self->progress_path = c ? g_strdup(c->path) : NULL;
		shown = 0;
	}
	for (guint i = shown; i < n; i++)
		details_add_line(self, lines->pdata[i]);
}

static void details_refresh(RoadieAppletDetails *self)
{
	const RoadieAppletProfile *profile;
	const RoadieAppletConnection *c = NULL;

	if (!self->profile_id || !details_find_profile(self, self->profile_id)) {
		g_free(self->profile_id);
		self->profile_id = details_default_profile(self);
	}
	profile = details_find_profile(self, self->profile_id);
	if (self->profile_id)
		c = roadie_applet_model_get_profile_connection(self->model, self->profile_id);
	details_fill_profiles(self);
	details_show_title(self, profile);
	details_show_state(self, c);
	details_show_gateway(self, c, profile);
	details_show_ip(self, c);
	details_show_traffic(self, c);
	details_show_negotiated(self, c ? c->negotiated : NULL);
	details_show_progress(self, c);
}

/* ---- signals ---- */

static void details_on_changed(RoadieAppletModel *model, gpointer data)
{
	details_refresh(ROADIE_APPLET_DETAILS(data));
}

static gboolean details_on_tick(gpointer data)
{
	RoadieAppletDetails *self = data;
	const RoadieAppletConnection *c = NULL;

	if (self->profile_id)
		c = roadie_applet_model_get_profile_connection(self->model, self->profile_id);
	details_show_traffic(self, c);
	return G_SOURCE_CONTINUE;
}

static void details_on_profile_chosen(RoadieAppletDetails *self, GtkComboBox *combo)
{
	const char *id = gtk_combo_box_get_active_id(combo);

	if (self->filling_combo || !id || g_strcmp0(id, self->profile_id) == 0)
		return;
	g_free(self->profile_id);
	self->profile_id = g_strdup(id);
	details_refresh(self);
}

static void details_on_close(RoadieAppletDetails *self, GtkButton *button)
{
	gtk_widget_hide(GTK_WIDGET(self));
}

/* The list follows new lines while it is scrolled to its end; a user who scrolled up to read
 * keeps the place. */
static void details_on_scrolled(GtkAdjustment *adj, gpointer data)
{
	RoadieAppletDetails *self = data;

	self->follow = gtk_adjustment_get_value(adj) + gtk_adjustment_get_page_size(adj) >=
		       gtk_adjustment_get_upper(adj) - 1;
}

static void details_on_grown(GtkAdjustment *adj, gpointer data)
{
	RoadieAppletDetails *self = data;

	if (self->follow)
		gtk_adjustment_set_value(adj, gtk_adjustment_get_upper(adj) -
						      gtk_adjustment_get_page_size(adj));
}

/* "Connected for" ticks only while the window is on screen */
static void details_map(GtkWidget *widget)
{
	RoadieAppletDetails *self = ROADIE_APPLET_DETAILS(widget);

	GTK_WIDGET_CLASS(roadie_applet_details_parent_class)->map(widget);
	if (!self->tick)
		self->tick = g_timeout_add_seconds(1, details_on_tick, self);
	details_refresh(self);
}

static void details_unmap(GtkWidget *widget)
{
	RoadieAppletDetails *self = ROADIE_APPLET_DETAILS(widget);

	g_clear_handle_id(&self->tick, g_source_remove);
	GTK_WIDGET_CLASS(roadie_applet_details_parent_class)->unmap(widget);
}

/* ---- the type ---- */

static void roadie_applet_details_dispose(GObject *object)
{
	RoadieAppletDetails *self = ROADIE_APPLET_DETAILS(object);

	g_clear_handle_id(&self->tick, g_source_remove);
	g_clear_signal_handler(&self->changed_id, self->model);
	g_clear_object(&self->model);
	G_OBJECT_CLASS(roadie_applet_details_parent_class)->dispose(object);
}

static void roadie_applet_details_finalize(GObject *object)
{
	RoadieAppletDetails *self = ROADIE_APPLET_DETAILS(object);

	g_free(self->profile_id);
	g_free(self->profiles_shown);
	g_free(self->progress_path);
	g_ptr_array_unref(self->progress_shown);
	g_clear_pointer(&self->negotiated_shown, g_variant_unref);
	G_OBJECT_CLASS(roadie_applet_details_parent_class)->finalize(object);
}

static void roadie_applet_details_init(RoadieAppletDetails *self)
{
	GtkAdjustment *adj;

	self->progress_shown = g_ptr_array_new_with_free_func(g_free);
	self->follow = true;
	gtk_widget_init_template(GTK_WIDGET(self));
	{
		/* after gtk_widget_init_template(), which fills the fields */
		const struct {
			GtkWidget *value, *caption;
		} rows[] = {
			{self->state_value, self->state_caption},
			{self->problem_value, self->problem_caption},
			{self->gateway_value, self->gateway_caption},
			{self->nat_value, self->nat_caption},
			{self->address_value, self->address_caption},
			{self->peer_value, self->peer_caption},
			{self->dns_value, self->dns_caption},
			{self->received_value, self->received_caption},
			{self->sent_value, self->sent_caption},
			{self->duration_value, self->duration_caption},
		};

		for (size_t i = 0; i < G_N_ELEMENTS(rows); i++)
			details_label_value(rows[i].value, rows[i].caption);
	}
	adj = gtk_scrolled_window_get_vadjustment(GTK_SCROLLED_WINDOW(self->progress_scroll));
	g_signal_connect(adj, "value-changed", G_CALLBACK(details_on_scrolled), self);
	g_signal_connect(adj, "changed", G_CALLBACK(details_on_grown), self);
	g_signal_connect(self, "delete-event", G_CALLBACK(gtk_widget_hide_on_delete), NULL);
}

static void roadie_applet_details_class_init(RoadieAppletDetailsClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = roadie_applet_details_dispose;
	object_class->finalize = roadie_applet_details_finalize;
	widget_class->map = details_map;
	widget_class->unmap = details_unmap;
	roadie_applet_details_register_resource();
	/* its translation domain is the .ui's own (<interface domain="roadie">) */
	gtk_widget_class_set_template_from_resource(widget_class,
						    "/org/roadie/applet/applet-details.ui");
#define BIND(name) gtk_widget_class_bind_template_child(widget_class, RoadieAppletDetails, name)
	BIND(profile_box);
	BIND(profile_combo);
	BIND(title_label);
	BIND(state_caption);
	BIND(state_value);
	BIND(problem_caption);
	BIND(problem_value);
	BIND(gateway_caption);
	BIND(gateway_value);
	BIND(nat_caption);
	BIND(nat_value);
	BIND(address_caption);
	BIND(address_value);
	BIND(peer_caption);
	BIND(peer_value);
	BIND(dns_caption);
	BIND(dns_value);
	BIND(received_caption);
	BIND(received_value);
	BIND(sent_caption);
	BIND(sent_value);
	BIND(duration_caption);
	BIND(duration_value);
	BIND(negotiated_grid);
	BIND(negotiated_none);
	BIND(progress_scroll);
	BIND(progress_list);
#undef BIND
	gtk_widget_class_bind_template_callback(widget_class, details_on_profile_chosen);
	gtk_widget_class_bind_template_callback(widget_class, details_on_close);
}

/* ---- API ---- */

GtkWindow *roadie_applet_details_new(GtkApplication *app, RoadieAppletModel *model)
{
	RoadieAppletDetails *self;

	g_return_val_if_fail(ROADIE_IS_APPLET_MODEL(model), NULL);
	self = g_object_new(ROADIE_TYPE_APPLET_DETAILS, "application", app, NULL);
	self->model = g_object_ref(model);
	self->changed_id = g_signal_connect(model, "changed", G_CALLBACK(details_on_changed), self);
	details_refresh(self);
	return GTK_WINDOW(self);
}

void roadie_applet_details_show_profile(GtkWindow *details, const char *profile_id)
{
	RoadieAppletDetails *self;

	g_return_if_fail(ROADIE_IS_APPLET_DETAILS(details));
	self = ROADIE_APPLET_DETAILS(details);
	g_free(self->profile_id);
	self->profile_id = profile_id ? g_strdup(profile_id) : details_default_profile(self);
	details_refresh(self);
	gtk_window_present(details);
}

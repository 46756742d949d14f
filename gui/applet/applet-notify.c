/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Notifications (GNotification: org.freedesktop.Notifications, or the desktop's own portal or
 * shell interface where there is one) for what the model reports: connected (address and
 * gateway), reconnecting, failed with roadied's sentence and what to try. Each carries the
 * action "app.details" for its profile, as the default (a click on the bubble) and as a
 * button. One notification per profile: a newer one replaces the older.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "applet.h"

/* What the user can do about a failure, by roadied's reason code; NULL: the sentence says it */
static const char *notify_advice(const char *code)
{
	static const struct {
		const char *code;
		const char *advice;
	} advice[] = {
		{ "psk-rejected", N_("Check the pre-shared key in Edit connections.") },
		{ "ppp-auth-failed", N_("Check your user name and password.") },
		{ "l2tp-auth-failed", N_("Check the L2TP secret in Edit connections, or remove it.") },
		{ "gateway-unresolvable",
		  N_("Check the gateway's name in Edit connections, and that you are online.") },
		{ "gateway-unreachable",
		  N_("Check that you are online; some networks block VPNs (UDP ports 500 and "
		     "4500).") },
		{ "no-proposal-chosen",
		  N_("Ask the gateway's administrator which proposals it accepts, and set them in "
		     "Edit connections (Advanced).") },
		{ "gateway-certificate",
		  N_("Check the CA certificate and the gateway's name in Edit connections.") },
		{ "certificate-rejected",
		  N_("Ask the gateway's administrator whether your certificate is accepted.") },
		{ "ppp-auth-method",
		  N_("Allow another login method in Edit connections (Advanced).") },
		{ "dead-peer", N_("The gateway stopped answering: check your network.") },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(advice); i++)
		if (g_strcmp0(code, advice[i].code) == 0)
			return _(advice[i].advice);
	return NULL;
}

static void notify_send(RoadieApplet *applet, const char *profile_id, const char *title,
			const char *body, GNotificationPriority priority)
{
	g_autoptr(GNotification) n = g_notification_new(title);
	g_autofree char *id = g_strdup_printf("roadie-%s", profile_id ? profile_id : "");
	g_autoptr(GIcon) icon = NULL;

	g_notification_set_body(n, body);
	g_notification_set_priority(n, priority);
	if (profile_id) {
		g_notification_set_default_action_and_target(n, "app.details", "s", profile_id);
		g_notification_add_button_with_target(n, _("Details"), "app.details", "s",
						      profile_id);
	}
	icon = g_themed_icon_new("org.roadie.Applet");
	g_notification_set_icon(n, icon);
	g_application_send_notification(G_APPLICATION(applet->app), id, n);
}

/* The name a notification gives a connection: its profile's id, else what roadied says. */
static const char *notify_name(const RoadieAppletConnection *c)
{
	return c->profile_id ? c->profile_id : c->profile;
}

static void notify_on_connected(RoadieAppletModel *model, const RoadieAppletConnection *c,
				const char *address, const char *gateway, gpointer data)
{
	RoadieApplet *applet = data;
	g_autofree char *title = g_strdup_printf(_("%s: connected"), notify_name(c));
	g_autofree char *body = NULL;

	if (address && *address)
		body = g_strdup_printf(_("Your address is %s, through the gateway %s."), address,
				       gateway && *gateway ? gateway : _("(unknown)"));
	else
		body = g_strdup_printf(_("Connected through the gateway %s."),
				       gateway && *gateway ? gateway : _("(unknown)"));
	if (c->profile_id)
		roadie_applet_remember_commit(applet, c->profile_id);
	notify_send(applet, c->profile_id, title, body, G_NOTIFICATION_PRIORITY_NORMAL);
}

static void notify_on_reconnecting(RoadieAppletModel *model, const RoadieAppletConnection *c,
				   const char *code, const char *sentence, gpointer data)
{
	RoadieApplet *applet = data;
	g_autofree char *title = g_strdup_printf(_("%s: reconnecting"), notify_name(c));
	g_autofree char *body = g_strdup_printf(
		_("%s\nTraffic for the VPN waits until it is back; nothing goes out unprotected."),
		sentence && *sentence ? sentence : _("The connection was lost."));

	notify_send(applet, c->profile_id, title, body, G_NOTIFICATION_PRIORITY_HIGH);
}

static void notify_on_failed(RoadieAppletModel *model, const RoadieAppletConnection *c,
			     const char *code, const char *sentence, gpointer data)
{
	RoadieApplet *applet = data;
	g_autofree char *title = g_strdup_printf(_("%s: connection failed"), notify_name(c));
	const char *advice = notify_advice(code);
	g_autofree char *body = NULL;

	if (c->profile_id)
		roadie_applet_remember_drop(applet, c->profile_id);
	body = advice ? g_strdup_printf("%s\n%s", sentence, advice) : g_strdup(sentence);
	notify_send(applet, c->profile_id, title, body, G_NOTIFICATION_PRIORITY_HIGH);
}

void roadie_applet_notify_error(RoadieApplet *applet, const char *profile_id, const char *title,
				const char *body)
{
	notify_send(applet, profile_id, title, body, G_NOTIFICATION_PRIORITY_HIGH);
}

void roadie_applet_notify_setup(RoadieApplet *applet)
{
	g_signal_connect(applet->model, "connected", G_CALLBACK(notify_on_connected), applet);
	g_signal_connect(applet->model, "reconnecting", G_CALLBACK(notify_on_reconnecting),
			 applet);
	g_signal_connect(applet->model, "failed", G_CALLBACK(notify_on_failed), applet);
}

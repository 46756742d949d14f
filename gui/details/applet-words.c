/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The applet's words for roadied's values. The tables hold untranslated strings (N_) so that
 * one lookup serves every language; _() translates at the moment of use.
 */
#include <string.h>
#include <glib.h>
#include <glib/gi18n.h>

#include "applet-words.h"

typedef struct {
	const char *value;
	const char *words;
} Word;

/* Connection1.State, in the order roadied goes through them. The phases are named by what a
 * user may have heard of (IPsec, L2TP, PPP) so that a stuck attempt says where it is stuck. */
static const Word state_words[] = {
	{"resolving", N_("Connecting: looking up the gateway…")},
	{"ike-phase1", N_("Connecting: IPsec (phase 1)…")},
	{"ike-phase2", N_("Connecting: IPsec (phase 2)…")},
	{"l2tp", N_("Connecting: L2TP tunnel…")},
	{"ppp-link", N_("Connecting: PPP link…")},
	{"ppp-auth", N_("Connecting: signing in…")},
	{"ppp-network", N_("Connecting: getting an address…")},
	{"configuring", N_("Connecting: setting up this computer…")},
	{"connected", N_("Connected")},
	{"reconnecting", N_("Reconnecting…")},
	{"disconnecting", N_("Disconnecting…")},
	{"disconnected", N_("Disconnected")},
	{"failed", N_("Failed")},
};

/* Connection1.Nat: which side's address a NAT rewrites (RFC 3947 §3.2 NAT-D tells them apart) */
static const Word nat_words[] = {
	{"none", N_("no NAT between this computer and the gateway")},
	{"local", N_("this computer is behind NAT")},
	{"remote", N_("the gateway is behind NAT")},
	{"both", N_("this computer and the gateway are both behind NAT")},
};

/* Connection1.Negotiated's keys */
static const Word negotiated_words[] = {
	{"ike", N_("IKE (phase 1)")},
	{"esp", N_("ESP (phase 2)")},
	{"pfs", N_("Perfect forward secrecy")},
	{"ppp-auth", N_("PPP sign-in")},
	{"l2tp-port", N_("L2TP port")},
};

static const char *words_find(const Word *table, size_t n, const char *value)
{
	if (!value)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(table[i].value, value) == 0)
			return _(table[i].words);
	return NULL;
}

const char *roadie_applet_words_state(const char *state)
{
	const char *words;

	if (!state || !*state)
		return _("Disconnected");
	words = words_find(state_words, G_N_ELEMENTS(state_words), state);
	/* a newer roadied's step: the model counts it as connecting */
	return words ? words : _("Connecting…");
}

const char *roadie_applet_words_nat(const char *nat)
{
	const char *words = words_find(nat_words, G_N_ELEMENTS(nat_words), nat);

	return words ? words : _("not known yet");
}

const char *roadie_applet_words_negotiated(const char *key)
{
	const char *words = words_find(negotiated_words, G_N_ELEMENTS(negotiated_words), key);

	return words ? words : key;
}

char *roadie_applet_words_duration(guint64 seconds)
{
	/* unsigned long long, not G_GUINT64_FORMAT: xgettext cannot see through a macro */
	unsigned long long s = seconds, minutes = s / 60, hours = minutes / 60, days = hours / 24;

	/* Two units at most: the second one in two digits, so the width stays put as it ticks. */
	if (days > 0)
		/* TRANSLATORS: a duration: days and hours ("3 d 4 h") */
		return g_strdup_printf(_("%llu d %llu h"), days, hours % 24);
	if (hours > 0)
		/* TRANSLATORS: a duration: hours and minutes ("2 h 05 min") */
		return g_strdup_printf(_("%llu h %02llu min"), hours, minutes % 60);
	if (minutes > 0)
		/* TRANSLATORS: a duration: minutes and seconds ("5 min 03 s") */
		return g_strdup_printf(_("%llu min %02llu s"), minutes, s % 60);
	/* TRANSLATORS: a duration in seconds ("45 s") */
	return g_strdup_printf(_("%llu s"), s);
}

char *roadie_applet_words_connected_for(guint64 connected_since, gint64 now)
{
	if (connected_since == 0)
		return g_strdup("");
	if (now < 0 || (guint64)now < connected_since)
		return roadie_applet_words_duration(0);
	return roadie_applet_words_duration(((guint64)now - connected_since) / G_USEC_PER_SEC);
}

char *roadie_applet_words_traffic(guint64 bytes, guint64 packets)
{
	g_autofree char *size = g_format_size(bytes);
	/* ngettext takes an unsigned long: past its range any plural form is as good */
	unsigned long n = packets > G_MAXULONG ? G_MAXULONG : (unsigned long)packets;

	/* TRANSLATORS: traffic in one direction: a size ("120.6 kB") and a packet count */
	return g_strdup_printf(ngettext("%s (%llu packet)", "%s (%llu packets)", n), size,
			       (unsigned long long)packets);
}

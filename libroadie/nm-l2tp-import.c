/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The NetworkManager-l2tp importer. One table lists every key NetworkManager-l2tp writes
 * (its shared/nm-service-defines.h) and what becomes of it: a roadie key, a change to
 * ppp.auth, or a note telling the user what roadie does instead. Values go through the
 * profile's key table, so an import obeys the same syntax and rules as a file.
 */
#include <stdlib.h>
#include <string.h>

#include "nm-l2tp-import.h"
#include "profile-private.h"

#define NM_L2TP_SERVICE "org.freedesktop.NetworkManager.l2tp"

/* NetworkManager's secret flags (NMSettingSecretFlags). */
#define NM_SECRET_AGENT_OWNED 0x1
#define NM_SECRET_NOT_SAVED 0x2

typedef enum {
	IMPORT_TEXT,       /* the value, in roadie's syntax, for group.key */
	IMPORT_BOOL,       /* a NM boolean for a roadie boolean */
	IMPORT_REFUSE,     /* yes: take @note (a ppp.auth choice) out of ppp.auth */
	IMPORT_NOTE_YES,   /* yes: unsupported, say @note; no: nothing to do */
	IMPORT_NOTE_SET,   /* a non-empty value: unsupported, say @note */
	IMPORT_NOTE_SECRET,/* like IMPORT_NOTE_SET, without showing the value */
	IMPORT_IGNORE,     /* NetworkManager's bookkeeping */
	IMPORT_USER_AUTH,
	IMPORT_MACHINE_AUTH,
	IMPORT_EPHEMERAL_PORT,
	IMPORT_IPSEC_ENABLED,
	IMPORT_PFS,
	IMPORT_REMOTE_ID,
	IMPORT_GATEWAY_ID,
} ImportKind;

typedef struct {
	const char *name; /* NetworkManager-l2tp's key */
	ImportKind kind;
	const char *group, *key; /* the roadie key, for IMPORT_TEXT and IMPORT_BOOL */
	const char *note;        /* what the user hears; for IMPORT_REFUSE the ppp.auth choice */
} ImportRow;

#define NOTE_MPPE "not supported: roadie does not do MPPE; IPsec already encrypts the link"
#define NOTE_EAP_TLS                                                                             \
	"not supported: roadie logs in to PPP with a user name and password, not with an "      \
	"EAP-TLS certificate"

static const ImportRow vpn_rows[] = {
	{ .name = "service-type", .kind = IMPORT_IGNORE },
	{ .name = "user-name", .kind = IMPORT_IGNORE },
	{ .name = "persistent", .kind = IMPORT_IGNORE },
	{ .name = "timeout", .kind = IMPORT_IGNORE },
	{ .name = "no-secret", .kind = IMPORT_IGNORE }, /* the auth dialog's internal token */
	{ .name = "gateway", .kind = IMPORT_TEXT, .group = "connection", .key = "gateway" },
	{ .name = "user-auth-type", .kind = IMPORT_USER_AUTH },
	{ .name = "user", .kind = IMPORT_TEXT, .group = "ppp", .key = "user" },
	{ .name = "password", .kind = IMPORT_TEXT, .group = "ppp", .key = "password" },
	{ .name = "domain", .kind = IMPORT_NOTE_SET,
	  .note = "not supported: roadie sends the user name as it is; if the server wants "
		  "DOMAIN\\user, write the user name that way" },
	{ .name = "ephemeral-port", .kind = IMPORT_EPHEMERAL_PORT },
	{ .name = "user-ca", .kind = IMPORT_NOTE_SET, .note = NOTE_EAP_TLS },
	{ .name = "user-cert", .kind = IMPORT_NOTE_SET, .note = NOTE_EAP_TLS },
	{ .name = "user-key", .kind = IMPORT_NOTE_SET, .note = NOTE_EAP_TLS },
	{ .name = "user-certpass", .kind = IMPORT_NOTE_SECRET, .note = NOTE_EAP_TLS },
	{ .name = "refuse-eap", .kind = IMPORT_REFUSE, .note = "eap-md5" },
	{ .name = "refuse-pap", .kind = IMPORT_REFUSE, .note = "pap" },
	{ .name = "refuse-chap", .kind = IMPORT_REFUSE, .note = "chap" },
	{ .name = "refuse-mschap", .kind = IMPORT_REFUSE, .note = "mschap" },
	{ .name = "refuse-mschapv2", .kind = IMPORT_REFUSE, .note = "mschap-v2" },
	{ .name = "require-mppe", .kind = IMPORT_NOTE_YES, .note = NOTE_MPPE },
	{ .name = "require-mppe-40", .kind = IMPORT_NOTE_YES, .note = NOTE_MPPE },
	{ .name = "require-mppe-128", .kind = IMPORT_NOTE_YES, .note = NOTE_MPPE },
	{ .name = "mppe-stateful", .kind = IMPORT_NOTE_YES, .note = NOTE_MPPE },
	{ .name = "nobsdcomp", .kind = IMPORT_NOTE_YES,
	  .note = "nothing to do: roadie never compresses PPP data (no BSD-Compress)" },
	{ .name = "nodeflate", .kind = IMPORT_NOTE_YES,
	  .note = "nothing to do: roadie never compresses PPP data (no Deflate)" },
	{ .name = "no-vj-comp", .kind = IMPORT_NOTE_YES,
	  .note = "nothing to do: roadie does not offer Van Jacobson header compression" },
	{ .name = "nopcomp", .kind = IMPORT_NOTE_YES,
	  .note = "ignored: roadie decides PPP protocol-field compression itself" },
	{ .name = "noaccomp", .kind = IMPORT_NOTE_YES,
	  .note = "ignored: roadie decides PPP address/control-field compression itself" },
	{ .name = "mrru", .kind = IMPORT_NOTE_SET,
	  .note = "not supported: roadie does not do PPP multilink" },
	{ .name = "mtu", .kind = IMPORT_TEXT, .group = "ppp", .key = "mtu" },
	{ .name = "mru", .kind = IMPORT_TEXT, .group = "ppp", .key = "mru" },
	{ .name = "lcp-echo-failure", .kind = IMPORT_TEXT,
	  .group = "ppp", .key = "lcp-echo-failures" },
	{ .name = "lcp-echo-interval", .kind = IMPORT_TEXT,
	  .group = "ppp", .key = "lcp-echo-interval" },
	{ .name = "unit", .kind = IMPORT_NOTE_SET,
	  .note = "not supported: roadie names its own network device; pppd unit numbers do "
		  "not apply" },
	{ .name = "xl2tpd-max-retries", .kind = IMPORT_NOTE_SET,
	  .note = "not supported: roadie retransmits L2TP control messages on its own schedule" },
	{ .name = "machine-auth-type", .kind = IMPORT_MACHINE_AUTH },
	{ .name = "machine-ca", .kind = IMPORT_TEXT, .group = "ipsec", .key = "ca-certificate" },
	{ .name = "machine-cert", .kind = IMPORT_TEXT, .group = "ipsec", .key = "certificate" },
	{ .name = "machine-key", .kind = IMPORT_TEXT, .group = "ipsec", .key = "private-key" },
	{ .name = "machine-certpass", .kind = IMPORT_TEXT,
	  .group = "ipsec", .key = "private-key-password" },
	{ .name = "ipsec-enabled", .kind = IMPORT_IPSEC_ENABLED },
	{ .name = "ipsec-remote-id", .kind = IMPORT_REMOTE_ID },
	{ .name = "ipsec-gateway-id", .kind = IMPORT_GATEWAY_ID },
	{ .name = "ipsec-group-name", .kind = IMPORT_NOTE_SET,
	  .note = "not supported: roadie uses Main Mode, which has no group name (that is "
		  "Aggressive Mode)" },
	{ .name = "ipsec-psk", .kind = IMPORT_TEXT, .group = "ipsec", .key = "psk" },
	{ .name = "ipsec-ike", .kind = IMPORT_TEXT, .group = "ipsec", .key = "ike" },
	{ .name = "ipsec-esp", .kind = IMPORT_TEXT, .group = "ipsec", .key = "esp" },
	{ .name = "ipsec-ikelifetime", .kind = IMPORT_TEXT,
	  .group = "ipsec", .key = "ike-lifetime" },
	{ .name = "ipsec-salifetime", .kind = IMPORT_TEXT, .group = "ipsec", .key = "sa-lifetime" },
	{ .name = "ipsec-forceencaps", .kind = IMPORT_BOOL,
	  .group = "ipsec", .key = "force-encapsulation" },
	{ .name = "ipsec-ipcomp", .kind = IMPORT_NOTE_YES,
	  .note = "not supported: roadie does not compress IPsec traffic (IPComp)" },
	{ .name = "ipsec-ikev2", .kind = IMPORT_NOTE_YES,
	  .note = "not supported: roadie speaks IKEv1, as L2TP/IPsec gateways do; the gateway "
		  "must allow IKEv1" },
	{ .name = "ipsec-pfs", .kind = IMPORT_PFS },
	{ .name = "ipcp-peer-ip", .kind = IMPORT_NOTE_SET,
	  .note = "ignored: roadie takes the addresses the gateway assigns" },
};

/* NetworkManager's [ipv4]/[ipv6] keys that do not change what an L2TP tunnel does. */
static const char *const ip_quiet_keys[] = {
	"may-fail",	    "ignore-auto-routes", "route-metric",  "route-table",
	"dad-timeout",	    "required-timeout",	  "addr-gen-mode", "ip6-privacy",
	"token",	    "ra-timeout",	  "link-local",	   "auto-route-ext-gw",
	"replace-local-rule",
};

typedef struct {
	RoadieProfile *profile;
	GPtrArray *problems;
	GPtrArray *notes;
	GPtrArray *routes;   /* "10.0.0.0/8", collected from [ipv4] and [ipv6] */
	GPtrArray *flags;    /* "<secret>-flags=<value>", judged once the secrets are known */
	char *remote_id;
	char *gateway_id;
} Import;

G_GNUC_PRINTF(2, 3)
static void import_note(Import *im, const char *format, ...)
{
	va_list args;

	/* a hostile file of a thousand unknown keys gets a bounded list */
	if (im->notes->len >= ROADIE_PROFILE_MAX_PROBLEMS)
		return;
	va_start(args, format);
	g_ptr_array_add(im->notes, g_strdup_vprintf(format, args));
	va_end(args);
}

/* "name=value" for a note, cleaned of control characters and cut. */
static char *import_shown(const char *name, const char *value)
{
	g_autofree char *n = roadie_profile_clean_name(name);
	g_autofree char *v = roadie_profile_clean_name(value);

	return g_strdup_printf("%s=%s", n, v);
}

static bool import_get_bool(Import *im, const char *where, const char *value, bool *ret_value)
{
	g_autofree char *stripped = g_strstrip(g_strdup(value));
	g_autofree char *quoted = NULL;
	g_autofree char *clean = NULL;

	if (roadie_profile_key_parse_bool(stripped, ret_value))
		return true;
	quoted = roadie_profile_quote(stripped);
	clean = roadie_profile_clean_name(where);
	roadie_profile_problems_add(im->problems, "bool-invalid", clean, 0,
				    "%s is not a boolean: NetworkManager writes yes or no", quoted);
	return false;
}

static void import_set(Import *im, const char *group, const char *key, const char *value)
{
	const RoadieProfileKey *row = roadie_profile_key_lookup(group, key);

	roadie_profile_key_set_text(im->profile, row, value, 0, im->problems);
}

static const ImportRow *import_row(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(vpn_rows); i++)
		if (strcmp(vpn_rows[i].name, name) == 0)
			return &vpn_rows[i];
	return NULL;
}

static void import_vpn_key(Import *im, const char *name, const char *value, bool secrets)
{
	const ImportRow *row;
	g_autofree char *shown = import_shown(name, value);
	g_autofree char *clean = roadie_profile_clean_name(name);
	bool yes = false;

	if (g_str_has_suffix(name, "-flags")) {
		g_ptr_array_add(im->flags, g_strdup_printf("%s=%s", name, value));
		return;
	}
	row = import_row(name);
	if (!row) {
		/* without the value: an unknown key may well hold a password */
		import_note(im, "%s: unknown NetworkManager-l2tp %s; ignored", clean,
			    secrets ? "secret" : "setting");
		return;
	}

	switch (row->kind) {
	case IMPORT_IGNORE:
		break;
	case IMPORT_TEXT:
		import_set(im, row->group, row->key, value);
		break;
	case IMPORT_BOOL:
		if (import_get_bool(im, name, value, &yes))
			import_set(im, row->group, row->key, yes ? "true" : "false");
		break;
	case IMPORT_REFUSE:
		if (import_get_bool(im, name, value, &yes) && yes) {
			const RoadieProfileKey *key = roadie_profile_key_lookup("ppp", "auth");

			for (size_t i = 0; key->choices[i]; i++)
				if (strcmp(key->choices[i], row->note) == 0)
					im->profile->ppp_auth &= ~(1u << i);
		}
		break;
	case IMPORT_NOTE_YES:
		if (import_get_bool(im, name, value, &yes) && yes)
			import_note(im, "%s=yes: %s", clean, row->note);
		break;
	case IMPORT_NOTE_SET:
		if (*value)
			import_note(im, "%s: %s", shown, row->note);
		break;
	case IMPORT_NOTE_SECRET:
		if (*value)
			import_note(im, "%s: %s", clean, row->note);
		break;
	case IMPORT_USER_AUTH:
		if (strcmp(value, "tls") == 0)
			import_note(im, "%s: %s; roadie will ask for a password", shown,
				    NOTE_EAP_TLS);
		else if (*value && strcmp(value, "password") != 0)
			import_note(im, "%s: unknown PPP login type; roadie uses a password",
				    shown);
		break;
	case IMPORT_MACHINE_AUTH:
		/* NetworkManager-l2tp writes "tls"; "cert" is taken as the same */
		if (strcmp(value, "tls") == 0 || strcmp(value, "cert") == 0)
			import_set(im, "ipsec", "auth", "cert");
		else if (strcmp(value, "psk") == 0 || !*value)
			import_set(im, "ipsec", "auth", "psk");
		else
			import_note(im, "%s: unknown IPsec authentication; roadie uses the "
					"pre-shared key",
				    shown);
		break;
	case IMPORT_EPHEMERAL_PORT:
		/* "no" pins 1701 in NetworkManager-l2tp; roadie's auto does that too unless
		 * behind NAT, where an ephemeral port is what lets two users share a NAT */
		if (import_get_bool(im, name, value, &yes) && yes)
			import_set(im, "l2tp", "source-port", "ephemeral");
		break;
	case IMPORT_IPSEC_ENABLED:
		if (import_get_bool(im, name, value, &yes) && !yes)
			import_note(im, "%s=no: not supported: roadie always protects L2TP with "
					"IPsec, so the gateway must offer IPsec",
				    clean);
		break;
	case IMPORT_PFS:
		/* NetworkManager-l2tp's "ipsec-pfs=no" turns PFS off; yes keeps its default */
		if (import_get_bool(im, name, value, &yes))
			import_set(im, "ipsec", "pfs", yes ? "auto" : "none");
		break;
	case IMPORT_REMOTE_ID:
		g_free(im->remote_id);
		im->remote_id = g_strdup(value);
		break;
	case IMPORT_GATEWAY_ID:
		g_free(im->gateway_id);
		im->gateway_id = g_strdup(value);
		break;
	}
}

/* strongSwan's "@vpn.example.com" (an FQDN, not resolved) is roadie's "fqdn:". */
static char *import_id(const char *id)
{
	if (id[0] == '@' && id[1] && id[1] != '#')
		return g_strdup_printf("fqdn:%s", id + 1);
	return g_strdup(id);
}

static void import_ids(Import *im)
{
	g_autofree char *id = NULL;

	if (im->remote_id && *im->remote_id) {
		if (im->gateway_id && *im->gateway_id &&
		    strcmp(im->gateway_id, im->remote_id) != 0) {
			g_autofree char *shown = import_shown("ipsec-gateway-id", im->gateway_id);

			import_note(im, "%s: ignored: ipsec-remote-id replaces it", shown);
		}
		id = import_id(im->remote_id);
	} else if (im->gateway_id && *im->gateway_id) {
		id = import_id(im->gateway_id); /* its deprecated name */
	}
	if (id)
		import_set(im, "ipsec", "remote-id", id);
}

/* Secret flags matter when the secret is not in the file: then the user must supply it. */
static void import_flags(Import *im)
{
	for (guint i = 0; i < im->flags->len; i++) {
		const char *entry = im->flags->pdata[i];
		const char *equal = strchr(entry, '=');
		g_autofree char *name = g_strndup(entry, equal - entry);
		g_autofree char *base = g_strndup(name, strlen(name) - strlen("-flags"));
		g_autofree char *shown = import_shown(name, equal + 1);
		const ImportRow *row = import_row(base);
		const RoadieProfileKey *key;
		uint64_t flags;

		if (!row) {
			g_autofree char *clean = roadie_profile_clean_name(name);

			import_note(im, "%s: unknown NetworkManager-l2tp setting; ignored", clean);
			continue;
		}
		if (row->kind != IMPORT_TEXT)
			continue; /* the flags of a secret roadie does not use: noted there */
		key = roadie_profile_key_lookup(row->group, row->key);
		if (!key || key->type != ROADIE_KEY_SECRET)
			continue;
		if (!g_ascii_string_to_unsigned(equal + 1, 10, 0, G_MAXUINT32, &flags, NULL)) {
			import_note(im, "%s: unknown secret flags; ignored", shown);
			continue;
		}
		if (*(RoadieSecret **)((char *)im->profile + key->offset))
			continue;
		if (flags & NM_SECRET_NOT_SAVED)
			import_note(im, "%s: NetworkManager asked for this secret every time; "
					"roadie will ask for it too",
				    shown);
		else if (flags & NM_SECRET_AGENT_OWNED)
			import_note(im, "%s: the secret stayed in your keyring and is not in the "
					"export; roadie will ask for it",
				    shown);
	}
}

static bool import_quiet_ip_key(const char *name)
{
	if (g_str_has_prefix(name, "dhcp-"))
		return true;
	for (size_t i = 0; i < G_N_ELEMENTS(ip_quiet_keys); i++)
		if (strcmp(ip_quiet_keys[i], name) == 0)
			return true;
	return false;
}

/* "routeN" (NetworkManager's keyfile) or "routeN_options". */
static bool import_is_route_key(const char *name, bool *ret_options)
{
	const char *p = name + strlen("route");

	if (!g_str_has_prefix(name, "route") || !g_ascii_isdigit(*p))
		return false;
	while (g_ascii_isdigit(*p))
		p++;
	*ret_options = strcmp(p, "_options") == 0;
	return *p == '\0' || *ret_options;
}

/*
 * One route: "10.0.0.0/8" plus what roadie drops, in either NetworkManager form: the
 * keyfile's "10.0.0.0/8,10.0.0.1,100" or the plugin's "10.0.0.0/8 via 10.0.0.1 metric 100".
 * A next hop means nothing inside a point-to-point tunnel, and roadie sets the metric itself.
 */
static void import_route(Import *im, const char *text, bool ipv6, bool *ret_dropped)
{
	g_auto(GStrv) words = g_strsplit_set(text, " \t,;", -1);
	const char *dest = NULL;

	for (size_t i = 0; words[i]; i++) {
		if (!*words[i])
			continue;
		if (!dest)
			dest = words[i];
		else if (strcmp(words[i], "0.0.0.0") != 0 && strcmp(words[i], "::") != 0)
			*ret_dropped = true;
	}
	if (!dest)
		return;
	if (strchr(dest, '/'))
		g_ptr_array_add(im->routes, g_strdup(dest));
	else /* NetworkManager's keyfile allows a bare host */
		g_ptr_array_add(im->routes, g_strdup_printf("%s/%s", dest, ipv6 ? "128" : "32"));
}

static void import_ip_key(Import *im, const char *name, const char *value, bool ipv6)
{
	g_autofree char *shown = import_shown(name, value);
	const char *family = ipv6 ? "ipv6" : "ipv4";
	bool options = false, yes = false, dropped = false;

	if (strcmp(name, "method") == 0) {
		if (ipv6 && (strcmp(value, "ignore") == 0 || strcmp(value, "disabled") == 0)) {
			import_set(im, "ip", "ipv6", "false");
			return;
		}
		if (ipv6)
			import_set(im, "ip", "ipv6", "true");
		if (strcmp(value, "auto") != 0 && strcmp(value, "dhcp") != 0 &&
		    strcmp(value, "link-local") != 0)
			import_note(im, "%s.%s: not supported: roadie takes the address the "
					"gateway assigns",
				    family, shown);
	} else if (strcmp(name, "never-default") == 0) {
		/* one switch for both families in roadie; IPv4's is the one users set */
		if (!ipv6 && import_get_bool(im, "ipv4.never-default", value, &yes))
			import_set(im, "ip", "default-route", yes ? "false" : "true");
	} else if (strcmp(name, "ignore-auto-dns") == 0) {
		if (!ipv6 && import_get_bool(im, "ipv4.ignore-auto-dns", value, &yes))
			import_set(im, "ip", "peer-dns", yes ? "false" : "true");
	} else if (strcmp(name, "routes") == 0 || import_is_route_key(name, &options)) {
		g_auto(GStrv) routes = NULL;

		if (options) {
			import_note(im, "%s.%s: not supported: route options are dropped", family,
				    shown);
			return;
		}
		/* the plugin's list is ';'-separated; each keyfile routeN holds one route */
		if (strcmp(name, "routes") == 0) {
			routes = g_strsplit_set(value, ";,", -1);
			for (size_t i = 0; routes[i]; i++)
				import_route(im, routes[i], ipv6, &dropped);
		} else {
			import_route(im, value, ipv6, &dropped);
		}
		if (dropped)
			import_note(im, "%s.%s: the next hop and metric are dropped: roadie "
					"routes these networks into the tunnel",
				    family, shown);
	} else if (strcmp(name, "dns") == 0 || strcmp(name, "dns-options") == 0 ||
		   strcmp(name, "dns-priority") == 0) {
		if (*value && strcmp(value, "0") != 0)
			import_note(im, "%s.%s: not supported: roadie uses the DNS servers the "
					"gateway assigns",
				    family, shown);
	} else if (strcmp(name, "dns-search") == 0) {
		if (*value)
			import_note(im, "%s.%s: not supported: roadie does not set DNS search "
					"domains",
				    family, shown);
	} else if (strcmp(name, "addresses") == 0 || g_str_has_prefix(name, "address") ||
		   strcmp(name, "gateway") == 0) {
		if (*value)
			import_note(im, "%s.%s: not supported: roadie takes the address the "
					"gateway assigns",
				    family, shown);
	} else if (!import_quiet_ip_key(name)) {
		import_note(im, "%s.%s: unknown setting; ignored", family, shown);
	}
}

typedef enum {
	GROUP_VPN,
	GROUP_VPN_SECRETS,
	GROUP_IPV4,
	GROUP_IPV6,
} ImportGroup;

/* Walks one group's keys in file order, each once (GKeyFile lists a repeated key twice). */
static bool import_group(Import *im, GKeyFile *keyfile, const char *group, ImportGroup which,
			 GError **error)
{
	g_auto(GStrv) keys = g_key_file_get_keys(keyfile, group, NULL, NULL);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

	for (size_t i = 0; keys && keys[i]; i++) {
		g_autoptr(GError) local = NULL;
		char *value;

		if (!g_hash_table_add(seen, keys[i]))
			continue;
		/* on a bad escape GKeyFile sets the error but may still return a string */
		value = g_key_file_get_string(keyfile, group, keys[i], &local);
		if (local || !value) {
			roadie_wipe_str(value);
			g_autofree char *clean = roadie_profile_clean_name(keys[i]);

			g_set_error(error, ROADIE_PROFILE_ERROR, 0,
				    "[%s] %s: the value has an invalid escape sequence", group,
				    clean);
			return false;
		}
		switch (which) {
		case GROUP_VPN:
		case GROUP_VPN_SECRETS:
			import_vpn_key(im, keys[i], value, which == GROUP_VPN_SECRETS);
			break;
		case GROUP_IPV4:
		case GROUP_IPV6:
			import_ip_key(im, keys[i], value, which == GROUP_IPV6);
			break;
		}
		roadie_wipe_str(value);
	}
	return true;
}

/* NetworkManager ids may hold what a roadie name cannot ('/', control characters). */
static void import_name(Import *im, const char *id)
{
	g_autofree char *name = roadie_profile_clean_name(id);
	g_autofree char *clean = NULL;

	g_strdelimit(name, "/", '-');
	if (!*name)
		return;
	if (strcmp(name, id) != 0) {
		clean = roadie_profile_clean_name(id);
		import_note(im, "id=%s: the name became '%s' (a roadie name holds no '/' or "
				"control characters)",
			    clean, name);
	}
	import_set(im, "connection", "name", name);
}

static void import_clear(Import *im)
{
	roadie_profile_free(im->profile);
	g_ptr_array_unref(im->problems);
	g_ptr_array_unref(im->notes);
	g_ptr_array_unref(im->routes);
	g_ptr_array_unref(im->flags);
	g_free(im->remote_id);
	g_free(im->gateway_id);
}

static bool import_keyfile(Import *im, GKeyFile *keyfile, GError **error)
{
	g_autofree char *type = g_key_file_get_string(keyfile, "connection", "type", NULL);
	g_autofree char *service = g_key_file_get_string(keyfile, "vpn", "service-type", NULL);
	g_autofree char *id = g_key_file_get_string(keyfile, "connection", "id", NULL);
	g_auto(GStrv) groups = g_key_file_get_groups(keyfile, NULL);
	bool ipv4_seen = false;

	if (!g_key_file_has_group(keyfile, "vpn")) {
		g_set_error_literal(error, ROADIE_PROFILE_ERROR, 0,
				    "no [vpn] group: not a NetworkManager-l2tp connection");
		return false;
	}
	if (type && strcmp(type, "vpn") != 0) {
		g_autofree char *clean = roadie_profile_clean_name(type);

		g_set_error(error, ROADIE_PROFILE_ERROR, 0,
			    "a NetworkManager '%s' connection, not an L2TP VPN", clean);
		return false;
	}
	if (service && strcmp(service, NM_L2TP_SERVICE) != 0) {
		g_autofree char *clean = roadie_profile_clean_name(service);

		g_set_error(error, ROADIE_PROFILE_ERROR, 0,
			    "a '%s' VPN, not NetworkManager-l2tp (" NM_L2TP_SERVICE ")", clean);
		return false;
	}

	/* NetworkManager-l2tp allows every method unless told to refuse one */
	im->profile->ppp_auth = ROADIE_PPP_AUTH_PAP | ROADIE_PPP_AUTH_CHAP |
				ROADIE_PPP_AUTH_MSCHAP | ROADIE_PPP_AUTH_MSCHAP_V2 |
				ROADIE_PPP_AUTH_EAP_MD5;
	if (id)
		import_name(im, id);

	for (size_t i = 0; groups[i]; i++) {
		const char *group = groups[i];
		bool ok = true;

		if (strcmp(group, "vpn") == 0) {
			ok = import_group(im, keyfile, group, GROUP_VPN, error);
		} else if (strcmp(group, "vpn-secrets") == 0) {
			ok = import_group(im, keyfile, group, GROUP_VPN_SECRETS, error);
		} else if (strcmp(group, "ipv4") == 0 || strcmp(group, "ip4") == 0) {
			/* both spellings at once would apply IPv4 twice */
			if (!ipv4_seen)
				ok = import_group(im, keyfile, group, GROUP_IPV4, error);
			ipv4_seen = true;
		} else if (strcmp(group, "ipv6") == 0) {
			ok = import_group(im, keyfile, group, GROUP_IPV6, error);
		} else if (strcmp(group, "connection") != 0 && strcmp(group, "proxy") != 0) {
			g_autofree char *clean = roadie_profile_clean_name(group);

			import_note(im, "[%s]: ignored: not part of an L2TP VPN's settings", clean);
		}
		if (!ok)
			return false;
	}
	import_ids(im);
	import_flags(im);
	if (im->routes->len > 0) {
		g_autofree char *joined = NULL;

		g_ptr_array_add(im->routes, NULL);
		joined = g_strjoinv(",", (char **)im->routes->pdata);
		import_set(im, "ip", "routes", joined);
	}
	return true;
}

/* The first line GKeyFile cannot read, for the error: its own message quotes the line, which
 * may hold a password ("ipsec-psk hunter2"). 0 if no line stands out. */
static int import_bad_line(const char *data, size_t len)
{
	g_autofree char *text = g_strndup(data, len); /* @data has no NUL of its own */
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (size_t i = 0; lines[i]; i++) {
		const char *p = lines[i];

		while (g_ascii_isspace(*p))
			p++;
		if (*p && *p != '#' && *p != '[' && !strchr(p, '='))
			return (int)i + 1;
	}
	return 0;
}

RoadieProfile *roadie_nm_l2tp_import(const char *data, size_t len, GPtrArray **ret_notes,
				     GError **error)
{
	g_autoptr(GKeyFile) keyfile = g_key_file_new();
	g_autoptr(GError) local = NULL;
	g_autoptr(GPtrArray) checked = NULL;
	const char *bad;
	Import im = {
		.profile = roadie_profile_new(),
		.problems = roadie_profile_problems_new(),
		.notes = g_ptr_array_new_with_free_func(g_free),
		.routes = g_ptr_array_new_with_free_func(g_free),
		.flags = g_ptr_array_new_with_free_func(g_free),
	};
	RoadieProfile *profile = NULL;

	if (!data)
		len = 0;
	if (len > ROADIE_PROFILE_MAX_FILE) {
		g_set_error(error, ROADIE_PROFILE_ERROR, 0,
			    "the file is %zu bytes long; a connection export is at most %d", len,
			    ROADIE_PROFILE_MAX_FILE);
		goto out;
	}
	if (len > 0 && !g_utf8_validate_len(data, len, &bad)) {
		int line = 1;

		for (const char *p = data; p < bad; p++)
			line += *p == '\n';
		g_set_error(error, ROADIE_PROFILE_ERROR, 0, "line %d: not valid UTF-8", line);
		goto out;
	}
	if (!g_key_file_load_from_data(keyfile, len ? data : "", len, G_KEY_FILE_NONE, &local)) {
		int line = import_bad_line(data, len);

		if (line > 0)
			g_set_error(error, ROADIE_PROFILE_ERROR, 0,
				    "not a NetworkManager connection file: line %d is not a "
				    "[group], a key=value line or a #comment",
				    line);
		else
			g_set_error_literal(error, ROADIE_PROFILE_ERROR, 0,
					    "not a NetworkManager connection file");
		goto out;
	}
	if (!import_keyfile(&im, keyfile, error))
		goto out;

	checked = roadie_profile_check(im.profile, ROADIE_CHECK_DEFAULT);
	g_ptr_array_extend_and_steal(im.problems, g_steal_pointer(&checked));
	if (im.problems->len > 0) {
		const RoadieProblem *first = im.problems->pdata[0];

		g_set_error_literal(error, ROADIE_PROFILE_ERROR, 0, first->message);
		goto out;
	}
	profile = g_steal_pointer(&im.profile);
	if (ret_notes)
		*ret_notes = g_ptr_array_ref(im.notes);
out:
	import_clear(&im);
	return profile;
}

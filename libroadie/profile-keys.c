/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The key table: every field of RoadieProfile described once, and the generic operations
 * that the file loader, the writer, the a{sv} and the NetworkManager conversions share.
 * Adding a setting means adding a field and a row here; no loader or converter changes.
 */
#include <stddef.h>
#include <string.h>

#include "profile-private.h"

/* The help lines are translated where they are shown (the editors); xgettext finds them by
 * this mark (po/POTFILES.in lists this file). */
#define N_(text) (text)

static const char *const ipsec_auth_choices[] = { "psk", "cert", NULL };
static const char *const l2tp_port_choices[] = { "auto", "1701", "ephemeral", NULL };
/* Bit i of RoadiePppAuth is choices[i]. */
static const char *const ppp_auth_choices[] = { "pap", "chap", "mschap", "mschap-v2", "eap-md5",
						NULL };

/* ENUM values are indexes into choices[], FLAGS bits are 1 << index: pin both down. */
G_STATIC_ASSERT(ROADIE_IPSEC_AUTH_PSK == 0 && ROADIE_IPSEC_AUTH_CERT == 1);
G_STATIC_ASSERT(ROADIE_L2TP_PORT_AUTO == 0 && ROADIE_L2TP_PORT_1701 == 1 &&
		ROADIE_L2TP_PORT_EPHEMERAL == 2);
G_STATIC_ASSERT(ROADIE_PPP_AUTH_PAP == 1 << 0 && ROADIE_PPP_AUTH_CHAP == 1 << 1 &&
		ROADIE_PPP_AUTH_MSCHAP == 1 << 2 && ROADIE_PPP_AUTH_MSCHAP_V2 == 1 << 3 &&
		ROADIE_PPP_AUTH_EAP_MD5 == 1 << 4);
/* Field sizes the generic code assumes for each type. */
G_STATIC_ASSERT(sizeof(((RoadieProfile *)0)->ipsec_auth) == sizeof(int));
G_STATIC_ASSERT(sizeof(((RoadieProfile *)0)->mtu) == sizeof(uint32_t));
G_STATIC_ASSERT(sizeof(((RoadieProfile *)0)->ipv6) == sizeof(bool));

#define FIELD(f) offsetof(RoadieProfile, f)

/*
 * The defaults connect to common gateways (Windows RRAS, strongSwan, libreswan, MikroTik,
 * most routers) without tuning: the proposal lists offer the strong suites first and still
 * end with what old gateways insist on, so that the first Main Mode message is accepted.
 */
static const RoadieProfileKey keys[] = {
	/* [connection] */
	{ .group = "connection", .key = "name", .dbus = "name", .nm = NULL,
	  /* NetworkManager keeps the name as connection.id, outside vpn.data */
	  .type = ROADIE_KEY_STRING, .offset = FIELD(name),
	  .help = N_("the name shown in menus and by roadiectl") },
	{ .group = "connection", .key = "gateway", .dbus = "gateway", .nm = "gateway",
	  .type = ROADIE_KEY_STRING, .offset = FIELD(gateway),
	  .help = N_("the VPN server: a host name, an IPv4 or an IPv6 address") },
	{ .group = "connection", .key = "auto-reconnect", .dbus = "auto-reconnect",
	  .nm = "auto-reconnect", .type = ROADIE_KEY_BOOL, .offset = FIELD(auto_reconnect),
	  .default_text = "true",
	  .help = N_("reconnect when the connection drops (network change, gateway restart)") },

	/* [ipsec] */
	{ .group = "ipsec", .key = "auth", .dbus = "ipsec-auth", .nm = "ipsec-auth",
	  .type = ROADIE_KEY_ENUM, .offset = FIELD(ipsec_auth), .default_text = "psk",
	  .choices = ipsec_auth_choices,
	  .help = N_("how this computer proves itself to the gateway: psk or cert") },
	{ .group = "ipsec", .key = "psk", .dbus = "ipsec-psk", .nm = "ipsec-psk",
	  .type = ROADIE_KEY_SECRET, .offset = FIELD(psk),
	  .help = N_("the pre-shared key (also called shared secret) for auth=psk") },
	{ .group = "ipsec", .key = "local-id", .dbus = "ipsec-local-id", .nm = "ipsec-local-id",
	  .type = ROADIE_KEY_STRING, .offset = FIELD(local_id),
	  .help = N_("our IKE identity: fqdn:, email:, ipv4:, ipv6:, dn: or plain text; "
		  "default: our address") },
	{ .group = "ipsec", .key = "remote-id", .dbus = "ipsec-remote-id", .nm = "ipsec-remote-id",
	  .type = ROADIE_KEY_STRING, .offset = FIELD(remote_id),
	  .help = N_("the identity the gateway must present; default: its address") },
	{ .group = "ipsec", .key = "certificate", .dbus = "ipsec-certificate",
	  .nm = "ipsec-certificate", .type = ROADIE_KEY_PATH, .offset = FIELD(certificate),
	  .help = N_("our certificate for auth=cert: a PEM, DER or PKCS#12 file") },
	{ .group = "ipsec", .key = "private-key", .dbus = "ipsec-private-key",
	  .nm = "ipsec-private-key", .type = ROADIE_KEY_PATH, .offset = FIELD(private_key),
	  .help = N_("the certificate's private key (PEM, DER or PKCS#12); "
		  "not needed when the certificate is PKCS#12") },
	{ .group = "ipsec", .key = "private-key-password", .dbus = "ipsec-private-key-password",
	  .nm = "ipsec-private-key-password", .type = ROADIE_KEY_SECRET,
	  .offset = FIELD(private_key_password),
	  .help = N_("the password that decrypts the private key or PKCS#12 file") },
	{ .group = "ipsec", .key = "ca-certificate", .dbus = "ipsec-ca-certificate",
	  .nm = "ipsec-ca-certificate", .type = ROADIE_KEY_PATH, .offset = FIELD(ca_certificate),
	  .help = N_("the CA that signed the gateway's certificate; default: the system's CAs") },
	/* the contents of those three files, read by the front end (roadied opens no path a
	 * caller names): on the D-Bus API only */
	{ .group = "ipsec", .key = "certificate-data", .dbus = "ipsec-certificate-data",
	  .type = ROADIE_KEY_BYTES, .offset = FIELD(certificate_data),
	  .help = N_("the contents of ipsec.certificate (D-Bus only)") },
	{ .group = "ipsec", .key = "private-key-data", .dbus = "ipsec-private-key-data",
	  .type = ROADIE_KEY_BYTES, .offset = FIELD(private_key_data), .secret = true,
	  .help = N_("the contents of ipsec.private-key (D-Bus only, with the secrets)") },
	{ .group = "ipsec", .key = "ca-certificate-data", .dbus = "ipsec-ca-certificate-data",
	  .type = ROADIE_KEY_BYTES, .offset = FIELD(ca_certificate_data),
	  .help = N_("the contents of ipsec.ca-certificate (D-Bus only)") },
	{ .group = "ipsec", .key = "ike", .dbus = "ipsec-ike", .nm = "ipsec-ike",
	  .type = ROADIE_KEY_STRING, .offset = FIELD(ike),
	  .default_text = "aes256-sha256-modp2048,aes128-sha256-modp2048,aes256-sha1-modp2048,"
			  "aes128-sha1-modp2048,aes256-sha384-ecp384,aes128-sha256-ecp256",
	  .help = N_("IKE (phase 1) proposals, strongSwan syntax: cipher-integrity-dhgroup,...; "
		  "when the gateway refuses them, roadie falls back to older suites by itself "
		  "(down to 3des-sha1-modp1024), unless the list ends in '!'") },
	{ .group = "ipsec", .key = "esp", .dbus = "ipsec-esp", .nm = "ipsec-esp",
	  .type = ROADIE_KEY_STRING, .offset = FIELD(esp),
	  .default_text = "aes256-sha1,aes128-sha1,aes256-sha256,aes128gcm16,3des-sha1",
	  .help = N_("ESP (phase 2) proposals, strongSwan syntax: cipher-integrity,...") },
	{ .group = "ipsec", .key = "pfs", .dbus = "ipsec-pfs", .nm = "ipsec-pfs",
	  .type = ROADIE_KEY_STRING, .offset = FIELD(pfs), .default_text = "auto",
	  .help = N_("perfect forward secrecy in Quick Mode: auto, none or a DH group (modp2048)") },
	{ .group = "ipsec", .key = "ike-lifetime", .dbus = "ipsec-ike-lifetime",
	  .nm = "ipsec-ike-lifetime", .type = ROADIE_KEY_SECONDS, .offset = FIELD(ike_lifetime),
	  .default_text = "8h", .min = 60, .max = 24 * 3600,
	  .help = N_("how long the IKE SA lives before it is renewed (1m to 24h)") },
	{ .group = "ipsec", .key = "sa-lifetime", .dbus = "ipsec-sa-lifetime",
	  .nm = "ipsec-sa-lifetime", .type = ROADIE_KEY_SECONDS, .offset = FIELD(sa_lifetime),
	  .default_text = "1h", .min = 60, .max = 24 * 3600,
	  .help = N_("how long the ESP SAs live before they are renewed (1m to 24h)") },
	{ .group = "ipsec", .key = "sa-lifetime-kilobytes", .dbus = "ipsec-sa-lifetime-kilobytes",
	  .nm = "ipsec-sa-lifetime-kilobytes", .type = ROADIE_KEY_UINT,
	  .offset = FIELD(sa_lifetime_kilobytes), .default_text = "0", .min = 1024,
	  .max = UINT32_MAX,
	  .help = N_("how many kilobytes the ESP SAs may carry before they are renewed, as well as "
		  "sa-lifetime (at least 1024); 0: no limit but the gateway's") },
	{ .group = "ipsec", .key = "force-encapsulation", .dbus = "ipsec-force-encapsulation",
	  .nm = "ipsec-force-encapsulation", .type = ROADIE_KEY_BOOL,
	  .offset = FIELD(force_encapsulation), .default_text = "false",
	  .help = N_("send ESP in UDP 4500 even without NAT (for networks that drop raw ESP)") },
	{ .group = "ipsec", .key = "fragmentation", .dbus = "ipsec-fragmentation",
	  .nm = "ipsec-fragmentation",
	  .type = ROADIE_KEY_BOOL, .offset = FIELD(fragmentation), .default_text = "true",
	  .help = N_("IKE fragmentation: offer it, and split large IKE messages (certificates) "
		  "when the gateway takes fragments, so paths that drop IP fragments still work") },
	{ .group = "ipsec", .key = "dpd-interval", .dbus = "ipsec-dpd-interval",
	  .nm = "ipsec-dpd-interval", .type = ROADIE_KEY_SECONDS, .offset = FIELD(dpd_interval),
	  .default_text = "30", .min = 0, .max = 3600,
	  .help = N_("dead peer detection: seconds of silence before a probe; 0 turns it off") },
	{ .group = "ipsec", .key = "dpd-timeout", .dbus = "ipsec-dpd-timeout",
	  .nm = "ipsec-dpd-timeout", .type = ROADIE_KEY_SECONDS, .offset = FIELD(dpd_timeout),
	  .default_text = "150", .min = 0, .max = 3600,
	  .help = N_("dead peer detection: seconds without an answer before the gateway is dead") },

	/* [l2tp] */
	{ .group = "l2tp", .key = "hostname", .dbus = "l2tp-hostname", .nm = "l2tp-hostname",
	  .type = ROADIE_KEY_STRING, .offset = FIELD(l2tp_hostname),
	  .help = N_("the host name we announce in L2TP; default: this computer's name") },
	{ .group = "l2tp", .key = "secret", .dbus = "l2tp-secret", .nm = "l2tp-secret",
	  .type = ROADIE_KEY_SECRET, .offset = FIELD(l2tp_secret),
	  .help = N_("the L2TP tunnel secret, only if the gateway asks for one (rare)") },
	{ .group = "l2tp", .key = "source-port", .dbus = "l2tp-source-port",
	  .nm = "l2tp-source-port", .type = ROADIE_KEY_ENUM, .offset = FIELD(l2tp_source_port),
	  .default_text = "auto", .choices = l2tp_port_choices,
	  .help = N_("our L2TP UDP port: auto (ephemeral behind NAT), 1701 or ephemeral") },

	/* [ppp] */
	{ .group = "ppp", .key = "user", .dbus = "user", .nm = "user", .type = ROADIE_KEY_STRING,
	  .offset = FIELD(user), .help = N_("the user name for the PPP login") },
	{ .group = "ppp", .key = "password", .dbus = "password", .nm = "password",
	  .type = ROADIE_KEY_SECRET, .offset = FIELD(password),
	  .help = N_("the password for the PPP login") },
	{ .group = "ppp", .key = "auth", .dbus = "ppp-auth", .nm = "ppp-auth",
	  .type = ROADIE_KEY_FLAGS, .offset = FIELD(ppp_auth),
	  .default_text = "mschap-v2,mschap,chap,pap", .choices = ppp_auth_choices,
	  .help = N_("login methods we accept: pap, chap, mschap, mschap-v2, eap-md5") },
	{ .group = "ppp", .key = "mtu", .dbus = "mtu", .nm = "mtu", .type = ROADIE_KEY_UINT,
	  .offset = FIELD(mtu), .default_text = "1400", .min = 576, .max = 1500,
	  .help = N_("the largest packet we send through the tunnel (576 to 1500)") },
	{ .group = "ppp", .key = "mru", .dbus = "mru", .nm = "mru", .type = ROADIE_KEY_UINT,
	  .offset = FIELD(mru), .default_text = "1400", .min = 576, .max = 1500,
	  .help = N_("the largest packet we accept from the tunnel (576 to 1500)") },
	{ .group = "ppp", .key = "lcp-echo-interval", .dbus = "lcp-echo-interval",
	  .nm = "lcp-echo-interval", .type = ROADIE_KEY_SECONDS,
	  .offset = FIELD(lcp_echo_interval), .default_text = "30", .min = 0, .max = 3600,
	  .help = N_("seconds between PPP keepalives; 0 turns them off") },
	{ .group = "ppp", .key = "lcp-echo-failures", .dbus = "lcp-echo-failures",
	  .nm = "lcp-echo-failures", .type = ROADIE_KEY_UINT,
	  .offset = FIELD(lcp_echo_failures), .default_text = "4", .min = 1, .max = 100,
	  .help = N_("unanswered PPP keepalives before the link is declared dead (1 to 100)") },

	/* [ip] */
	{ .group = "ip", .key = "ipv6", .dbus = "ipv6", .nm = "ipv6", .type = ROADIE_KEY_BOOL,
	  .offset = FIELD(ipv6), .default_text = "false",
	  .help = N_("negotiate IPv6 over the tunnel (IPV6CP) as well") },
	{ .group = "ip", .key = "peer-dns", .dbus = "peer-dns", .nm = "peer-dns",
	  .type = ROADIE_KEY_BOOL, .offset = FIELD(peer_dns), .default_text = "true",
	  .help = N_("use the DNS servers the gateway assigns") },
	{ .group = "ip", .key = "default-route", .dbus = "default-route", .nm = "default-route",
	  .type = ROADIE_KEY_BOOL, .offset = FIELD(default_route), .default_text = "true",
	  .help = N_("send all traffic through the tunnel; false: only the routes below") },
	{ .group = "ip", .key = "block-ipv6", .dbus = "block-ipv6", .nm = "block-ipv6",
	  .type = ROADIE_KEY_BOOL, .offset = FIELD(block_ipv6), .default_text = "true",
	  .help = N_("with default-route, drop the host's IPv6 traffic while connected rather than "
		  "let it bypass a tunnel that carries no IPv6") },
	{ .group = "ip", .key = "dhcp-inform", .dbus = "dhcp-inform", .nm = "dhcp-inform",
	  .type = ROADIE_KEY_BOOL, .offset = FIELD(dhcp_inform), .default_text = "true",
	  .help = N_("ask the gateway for its DNS suffix and routes (DHCPINFORM), as Windows does") },
	{ .group = "ip", .key = "routes", .dbus = "routes", .nm = "routes", .type = ROADIE_KEY_STRV,
	  .offset = FIELD(routes),
	  .help = N_("networks reached through the tunnel: 10.0.0.0/8,2001:db8::/32") },

	/* [learned] */
	{ .group = "learned", .key = "ike", .dbus = "learned-ike", .nm = "learned-ike",
	  .type = ROADIE_KEY_STRING, .offset = FIELD(learned_ike),
	  .help = N_("the IKE suite the gateway accepted last time (written by roadie)") },
	{ .group = "learned", .key = "esp", .dbus = "learned-esp", .nm = "learned-esp",
	  .type = ROADIE_KEY_STRING, .offset = FIELD(learned_esp),
	  .help = N_("the ESP suite the gateway accepted last time (written by roadie)") },
	{ .group = "learned", .key = "pfs", .dbus = "learned-pfs", .nm = "learned-pfs",
	  .type = ROADIE_KEY_STRING, .offset = FIELD(learned_pfs),
	  .help = N_("the PFS group the gateway accepted last time (written by roadie)") },
};

const RoadieProfileKey *roadie_profile_keys(size_t *ret_n)
{
	if (ret_n)
		*ret_n = G_N_ELEMENTS(keys);
	return keys;
}

const RoadieProfileKey *roadie_profile_key_lookup(const char *group, const char *key)
{
	if (!group || !key)
		return NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
		if (strcmp(keys[i].group, group) == 0 && strcmp(keys[i].key, key) == 0)
			return &keys[i];
	return NULL;
}

const RoadieProfileKey *roadie_profile_key_by_dbus(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
		if (strcmp(keys[i].dbus, name) == 0)
			return &keys[i];
	return NULL;
}

const RoadieProfileKey *roadie_profile_key_by_nm(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
		if (keys[i].nm && strcmp(keys[i].nm, name) == 0)
			return &keys[i];
	return NULL;
}

bool roadie_profile_key_group_known(const char *group)
{
	for (size_t i = 0; group && i < G_N_ELEMENTS(keys); i++)
		if (strcmp(keys[i].group, group) == 0)
			return true;
	return false;
}

char *roadie_profile_key_name(const RoadieProfileKey *key)
{
	return g_strdup_printf("%s.%s", key->group, key->key);
}

/* ---- scalar syntax ---- */

bool roadie_profile_key_parse_bool(const char *text, bool *ret_value)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };

	for (size_t i = 0; i < G_N_ELEMENTS(yes); i++) {
		if (g_ascii_strcasecmp(text, yes[i]) == 0) {
			*ret_value = true;
			return true;
		}
		if (g_ascii_strcasecmp(text, no[i]) == 0) {
			*ret_value = false;
			return true;
		}
	}
	return false;
}

bool roadie_profile_key_parse_seconds(const char *text, uint32_t *ret_seconds)
{
	size_t n = 0, len = strlen(text);
	uint64_t unit = 1, value;
	g_autofree char *digits = NULL;

	while (n < len && g_ascii_isdigit(text[n]))
		n++;
	/* g_ascii_string_to_unsigned() would also take a sign or a base prefix: digits only */
	if (n == 0 || n > 10 || len - n > 1)
		return false;
	if (len - n == 1) {
		switch (g_ascii_tolower(text[n])) {
		case 's':
			unit = 1;
			break;
		case 'm':
			unit = 60;
			break;
		case 'h':
			unit = 3600;
			break;
		case 'd':
			unit = 86400;
			break;
		default:
			return false;
		}
	}
	digits = g_strndup(text, n);
	if (!g_ascii_string_to_unsigned(digits, 10, 0, G_MAXUINT32, &value, NULL))
		return false;
	if (value * unit > G_MAXUINT32) /* value < 2^32 and unit < 2^17: no uint64 overflow */
		return false;
	*ret_seconds = (uint32_t)(value * unit);
	return true;
}

char *roadie_profile_key_format_seconds(uint32_t seconds)
{
	if (seconds == 0)
		return g_strdup("0");
	if (seconds % 86400 == 0)
		return g_strdup_printf("%ud", seconds / 86400);
	if (seconds % 3600 == 0)
		return g_strdup_printf("%uh", seconds / 3600);
	if (seconds % 60 == 0)
		return g_strdup_printf("%um", seconds / 60);
	return g_strdup_printf("%u", seconds);
}

static char *key_choices_list(const RoadieProfileKey *key)
{
	return g_strjoinv(", ", (char **)key->choices);
}

static int key_choice_index(const RoadieProfileKey *key, const char *text)
{
	for (int i = 0; key->choices[i]; i++)
		if (g_ascii_strcasecmp(key->choices[i], text) == 0)
			return i;
	return -1;
}

static size_t key_n_choices(const RoadieProfileKey *key)
{
	size_t n = 0;

	while (key->choices[n])
		n++;
	return n;
}

/* ---- text ---- */

static bool key_parse_flags(const RoadieProfileKey *key, const char *text, int line,
			    GPtrArray *problems, uint32_t *ret_bits)
{
	g_auto(GStrv) parts = NULL;
	g_autofree char *name = roadie_profile_key_name(key);
	uint32_t bits = 0;

	/* "" is the empty set: it round-trips a profile that allows nothing, which the
	 * ppp-auth-empty rule then reports with a better message than a syntax error would. */
	if (!*text) {
		*ret_bits = 0;
		return true;
	}
	parts = g_strsplit(text, ",", -1);
	for (size_t i = 0; parts[i]; i++) {
		const char *part = g_strstrip(parts[i]);
		int index = key_choice_index(key, part);

		if (index < 0) {
			g_autofree char *list = key_choices_list(key);
			g_autofree char *quoted = roadie_profile_quote(part);

			roadie_profile_problems_add(problems, "flags-invalid", name, line,
						    "%s is not one of %s",
						    *part ? quoted : "an empty entry", list);
			return false;
		}
		bits |= 1u << index;
	}
	*ret_bits = bits;
	return true;
}

static char **key_parse_strv(const char *text)
{
	g_auto(GStrv) parts = g_strsplit(text, ",", -1);
	GPtrArray *out = g_ptr_array_new();

	/* empty entries (a trailing comma) are dropped, like an empty value */
	for (size_t i = 0; parts[i]; i++) {
		const char *part = g_strstrip(parts[i]);

		if (*part)
			g_ptr_array_add(out, g_strdup(part));
	}
	if (out->len == 0) {
		g_ptr_array_free(out, TRUE);
		return NULL;
	}
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

bool roadie_profile_key_set_text(RoadieProfile *profile, const RoadieProfileKey *key,
				 const char *text, int line, GPtrArray *problems)
{
	g_autofree char *name = roadie_profile_key_name(key);
	g_autofree char *stripped = NULL;
	g_autofree char *quoted = NULL;
	void *field = (char *)profile + key->offset;
	size_t len = strlen(text);

	if (len > ROADIE_PROFILE_MAX_VALUE) {
		roadie_profile_problems_add(problems, "value-too-long", name, line,
					    "the value is %zu bytes long; at most %d are allowed",
					    len, ROADIE_PROFILE_MAX_VALUE);
		return false;
	}

	/* Text is taken as written: "" means unset, and secrets are never copied around. */
	if (key->type == ROADIE_KEY_STRING || key->type == ROADIE_KEY_PATH) {
		g_free(*(char **)field);
		*(char **)field = *text ? g_strdup(text) : NULL;
		return true;
	}
	if (key->type == ROADIE_KEY_SECRET) {
		roadie_secret_free(*(RoadieSecret **)field);
		*(RoadieSecret **)field = roadie_secret_new(text);
		return true;
	}
	if (key->type == ROADIE_KEY_STRV) {
		g_strfreev(*(char ***)field);
		*(char ***)field = key_parse_strv(text);
		return true;
	}
	if (key->type == ROADIE_KEY_BYTES) {
		roadie_profile_problems_add(problems, "data-not-text", name, line,
					    "set by the program that reads the file the profile "
					    "names; it cannot be written in a profile");
		return false;
	}

	/* Typed values tolerate the trailing blanks GKeyFile keeps ("mtu = 1400 "). */
	stripped = g_strstrip(g_strdup(text));
	quoted = roadie_profile_quote(stripped);

	switch (key->type) {
	case ROADIE_KEY_STRING:
	case ROADIE_KEY_PATH:
	case ROADIE_KEY_SECRET:
	case ROADIE_KEY_STRV:
	case ROADIE_KEY_BYTES:
		break; /* handled above */
	case ROADIE_KEY_BOOL: {
		bool value;

		if (!roadie_profile_key_parse_bool(stripped, &value)) {
			roadie_profile_problems_add(problems, "bool-invalid", name, line,
						    "%s is not a boolean: use true or false",
						    quoted);
			return false;
		}
		*(bool *)field = value;
		return true;
	}
	case ROADIE_KEY_UINT: {
		uint64_t value;

		if (!g_ascii_string_to_unsigned(stripped, 10, 0, G_MAXUINT32, &value, NULL)) {
			roadie_profile_problems_add(problems, "number-invalid", name, line,
						    "%s is not a whole number (0 to %u)", quoted,
						    G_MAXUINT32);
			return false;
		}
		*(uint32_t *)field = (uint32_t)value;
		return true;
	}
	case ROADIE_KEY_SECONDS: {
		uint32_t value;

		if (!roadie_profile_key_parse_seconds(stripped, &value)) {
			roadie_profile_problems_add(
				problems, "duration-invalid", name, line,
				"%s is not a duration: write seconds (\"90\") or a "
				"number with s, m, h or d (\"8h\")",
				quoted);
			return false;
		}
		*(uint32_t *)field = value;
		return true;
	}
	case ROADIE_KEY_ENUM: {
		int index = key_choice_index(key, stripped);

		if (index < 0) {
			g_autofree char *list = key_choices_list(key);

			roadie_profile_problems_add(problems, "enum-invalid", name, line,
						    "%s is not one of %s", quoted, list);
			return false;
		}
		*(int *)field = index;
		return true;
	}
	case ROADIE_KEY_FLAGS: {
		uint32_t bits;

		if (!key_parse_flags(key, stripped, line, problems, &bits))
			return false;
		*(uint32_t *)field = bits;
		return true;
	}
	}
	return false;
}

static char *key_format_flags(const RoadieProfileKey *key, uint32_t bits)
{
	GString *s = g_string_new(NULL);
	size_t n = key_n_choices(key);

	for (size_t i = 0; i < n && i < 32; i++)
		if (bits & (1u << i))
			g_string_append_printf(s, "%s%s", s->len ? "," : "", key->choices[i]);
	return g_string_free(s, FALSE);
}

char *roadie_profile_key_format(const RoadieProfile *profile, const RoadieProfileKey *key)
{
	const void *field = (const char *)profile + key->offset;

	switch (key->type) {
	case ROADIE_KEY_STRING:
	case ROADIE_KEY_PATH:
		return g_strdup(*(char *const *)field);
	case ROADIE_KEY_SECRET:
		return g_strdup(roadie_secret_peek(*(RoadieSecret *const *)field));
	case ROADIE_KEY_BOOL:
		return g_strdup(*(const bool *)field ? "true" : "false");
	case ROADIE_KEY_UINT:
		return g_strdup_printf("%u", *(const uint32_t *)field);
	case ROADIE_KEY_SECONDS:
		return roadie_profile_key_format_seconds(*(const uint32_t *)field);
	case ROADIE_KEY_ENUM: {
		int value = *(const int *)field;

		/* an out-of-range value (set by code) stays visible instead of vanishing */
		if (value < 0 || (size_t)value >= key_n_choices(key))
			return g_strdup_printf("%d", value);
		return g_strdup(key->choices[value]);
	}
	case ROADIE_KEY_FLAGS:
		return key_format_flags(key, *(const uint32_t *)field);
	case ROADIE_KEY_STRV: {
		char *const *strv = *(char **const *)field;

		if (!strv || !strv[0])
			return NULL;
		return g_strjoinv(",", (char **)strv);
	}
	case ROADIE_KEY_BYTES: {
		GBytes *bytes = *(GBytes *const *)field;

		/* never the contents */
		return bytes ? g_strdup_printf("(%zu bytes)", g_bytes_get_size(bytes)) : NULL;
	}
	}
	return NULL;
}

/* ---- GVariant ---- */

const GVariantType *roadie_profile_key_variant_type(const RoadieProfileKey *key)
{
	switch (key->type) {
	case ROADIE_KEY_STRING:
	case ROADIE_KEY_PATH:
	case ROADIE_KEY_SECRET:
	case ROADIE_KEY_ENUM:
		return G_VARIANT_TYPE_STRING;
	case ROADIE_KEY_BOOL:
		return G_VARIANT_TYPE_BOOLEAN;
	case ROADIE_KEY_UINT:
	case ROADIE_KEY_SECONDS:
		return G_VARIANT_TYPE_UINT32;
	case ROADIE_KEY_FLAGS:
	case ROADIE_KEY_STRV:
		return G_VARIANT_TYPE_STRING_ARRAY;
	case ROADIE_KEY_BYTES:
		return G_VARIANT_TYPE_BYTESTRING;
	}
	return G_VARIANT_TYPE_STRING;
}

static void key_wipe_free(gpointer data)
{
	roadie_wipe_str(data);
}

/* A string GVariant whose buffer is wiped when the last reference goes. Not trusted: a
 * secret set by code need not be UTF-8, and GVariant then reads it as "". */
static GVariant *key_secret_variant(const RoadieSecret *secret)
{
	char *copy = g_strdup(roadie_secret_peek(secret));
	g_autoptr(GBytes) bytes = g_bytes_new_with_free_func(copy, strlen(copy) + 1,
							     key_wipe_free, copy);

	return g_variant_new_from_bytes(G_VARIANT_TYPE_STRING, bytes, FALSE);
}

/* A copy of @data; key material is wiped when the last reference goes. */
static GBytes *key_bytes_new(const void *data, size_t len, bool secret)
{
	return secret ? roadie_wiped_bytes_take(g_memdup2(data, len), len) : g_bytes_new(data, len);
}

bool roadie_profile_key_is_secret(const RoadieProfileKey *key)
{
	return key->type == ROADIE_KEY_SECRET || (key->type == ROADIE_KEY_BYTES && key->secret);
}

bool roadie_profile_secret_wanted(const RoadieProfile *profile, const RoadieProfileKey *key)
{
	if (key->type != ROADIE_KEY_SECRET)
		return false;
	if (strcmp(key->group, "ipsec") == 0 && strcmp(key->key, "psk") == 0)
		return profile->ipsec_auth == ROADIE_IPSEC_AUTH_PSK;
	if (strcmp(key->group, "ipsec") == 0 && strcmp(key->key, "private-key-password") == 0)
		return profile->ipsec_auth == ROADIE_IPSEC_AUTH_CERT;
	return true;
}

bool roadie_profile_secret_needed(const RoadieProfile *profile, const RoadieProfileKey *key)
{
	if (key->type != ROADIE_KEY_SECRET)
		return false;
	if (strcmp(key->group, "ipsec") == 0 && strcmp(key->key, "psk") == 0)
		return profile->ipsec_auth == ROADIE_IPSEC_AUTH_PSK;
	return strcmp(key->group, "ppp") == 0 && strcmp(key->key, "password") == 0;
}

GVariant *roadie_profile_key_to_variant(const RoadieProfile *profile, const RoadieProfileKey *key)
{
	const void *field = (const char *)profile + key->offset;

	switch (key->type) {
	case ROADIE_KEY_STRING:
	case ROADIE_KEY_PATH: {
		const char *s = *(char *const *)field;

		return s ? g_variant_new_string(s) : NULL;
	}
	case ROADIE_KEY_SECRET: {
		const RoadieSecret *secret = *(RoadieSecret *const *)field;

		return secret ? key_secret_variant(secret) : NULL;
	}
	case ROADIE_KEY_BOOL:
		return g_variant_new_boolean(*(const bool *)field);
	case ROADIE_KEY_UINT:
	case ROADIE_KEY_SECONDS:
		return g_variant_new_uint32(*(const uint32_t *)field);
	case ROADIE_KEY_ENUM: {
		int value = *(const int *)field;

		if (value < 0 || (size_t)value >= key_n_choices(key))
			return NULL;
		return g_variant_new_string(key->choices[value]);
	}
	case ROADIE_KEY_FLAGS: {
		GVariantBuilder b;
		uint32_t bits = *(const uint32_t *)field;
		size_t n = key_n_choices(key);

		g_variant_builder_init(&b, G_VARIANT_TYPE_STRING_ARRAY);
		for (size_t i = 0; i < n && i < 32; i++)
			if (bits & (1u << i))
				g_variant_builder_add(&b, "s", key->choices[i]);
		return g_variant_builder_end(&b);
	}
	case ROADIE_KEY_STRV: {
		char *const *strv = *(char **const *)field;

		if (!strv || !strv[0])
			return NULL;
		return g_variant_new_strv((const char *const *)strv, -1);
	}
	case ROADIE_KEY_BYTES: {
		GBytes *bytes = *(GBytes *const *)field;

		return bytes ? g_variant_new_from_bytes(G_VARIANT_TYPE_BYTESTRING, bytes, TRUE)
			     : NULL;
	}
	}
	return NULL;
}

bool roadie_profile_key_set_variant(RoadieProfile *profile, const RoadieProfileKey *key,
				    GVariant *value, GPtrArray *problems)
{
	g_autofree char *name = roadie_profile_key_name(key);
	void *field = (char *)profile + key->offset;

	switch (key->type) {
	case ROADIE_KEY_STRING:
	case ROADIE_KEY_PATH:
	case ROADIE_KEY_SECRET:
	case ROADIE_KEY_ENUM:
		/* same meaning as in the file, including the length limit */
		return roadie_profile_key_set_text(profile, key, g_variant_get_string(value, NULL),
						   0, problems);
	case ROADIE_KEY_BOOL:
		*(bool *)field = g_variant_get_boolean(value);
		return true;
	case ROADIE_KEY_UINT:
	case ROADIE_KEY_SECONDS:
		*(uint32_t *)field = g_variant_get_uint32(value);
		return true;
	case ROADIE_KEY_BYTES: {
		gsize len = 0;
		const void *data = g_variant_get_fixed_array(value, &len, 1);

		if (len > ROADIE_PROFILE_MAX_DATA) {
			roadie_profile_problems_add(problems, "value-too-long", name, 0,
						    "larger than 1 MiB");
			return false;
		}
		g_clear_pointer((GBytes **)field, g_bytes_unref);
		*(GBytes **)field = key_bytes_new(data, len, key->secret);
		return true;
	}
	case ROADIE_KEY_FLAGS:
	case ROADIE_KEY_STRV: {
		g_autofree const char **strv = g_variant_get_strv(value, NULL);
		size_t total = 0;
		uint32_t bits = 0;

		for (size_t i = 0; strv[i]; i++)
			total += strlen(strv[i]) + 1;
		if (total > ROADIE_PROFILE_MAX_VALUE) {
			roadie_profile_problems_add(
				problems, "value-too-long", name, 0,
				"the list is %zu bytes long; at most %d are allowed", total,
				ROADIE_PROFILE_MAX_VALUE);
			return false;
		}
		if (key->type == ROADIE_KEY_STRV) {
			g_autofree char *joined = g_strjoinv(",", (char **)strv);

			/* through the text form, so both paths drop empty entries alike */
			return roadie_profile_key_set_text(profile, key, joined, 0, problems);
		}
		for (size_t i = 0; strv[i]; i++) {
			int index = key_choice_index(key, strv[i]);

			if (index < 0) {
				g_autofree char *list = key_choices_list(key);
				g_autofree char *quoted = roadie_profile_quote(strv[i]);

				roadie_profile_problems_add(problems, "flags-invalid", name, 0,
							    "%s is not one of %s", quoted, list);
				return false;
			}
			bits |= 1u << index;
		}
		*(uint32_t *)field = bits;
		return true;
	}
	}
	return false;
}

/* ---- life cycle of one field ---- */

void roadie_profile_key_clear(RoadieProfile *profile, const RoadieProfileKey *key)
{
	void *field = (char *)profile + key->offset;

	switch (key->type) {
	case ROADIE_KEY_STRING:
	case ROADIE_KEY_PATH:
		g_clear_pointer((char **)field, g_free);
		break;
	case ROADIE_KEY_SECRET:
		*(RoadieSecret **)field = roadie_secret_free(*(RoadieSecret **)field);
		break;
	case ROADIE_KEY_STRV:
		g_clear_pointer((char ***)field, g_strfreev);
		break;
	case ROADIE_KEY_BYTES:
		g_clear_pointer((GBytes **)field, g_bytes_unref);
		break;
	case ROADIE_KEY_BOOL:
	case ROADIE_KEY_UINT:
	case ROADIE_KEY_SECONDS:
	case ROADIE_KEY_ENUM:
	case ROADIE_KEY_FLAGS:
		break;
	}
}

void roadie_profile_key_copy(RoadieProfile *dst, const RoadieProfile *src,
			     const RoadieProfileKey *key)
{
	void *to = (char *)dst + key->offset;
	const void *from = (const char *)src + key->offset;

	roadie_profile_key_clear(dst, key);
	switch (key->type) {
	case ROADIE_KEY_STRING:
	case ROADIE_KEY_PATH:
		*(char **)to = g_strdup(*(char *const *)from);
		break;
	case ROADIE_KEY_SECRET:
		*(RoadieSecret **)to = roadie_secret_dup(*(RoadieSecret *const *)from);
		break;
	case ROADIE_KEY_STRV:
		*(char ***)to = g_strdupv(*(char **const *)from);
		break;
	case ROADIE_KEY_BYTES: {
		GBytes *bytes = *(GBytes *const *)from;

		*(GBytes **)to = bytes ? g_bytes_ref(bytes) : NULL;
		break;
	}
	case ROADIE_KEY_BOOL:
		*(bool *)to = *(const bool *)from;
		break;
	case ROADIE_KEY_UINT:
	case ROADIE_KEY_SECONDS:
	case ROADIE_KEY_FLAGS:
		*(uint32_t *)to = *(const uint32_t *)from;
		break;
	case ROADIE_KEY_ENUM:
		*(int *)to = *(const int *)from;
		break;
	}
}

static bool key_strv_equal(char *const *a, char *const *b)
{
	size_t na = a ? g_strv_length((char **)a) : 0;
	size_t nb = b ? g_strv_length((char **)b) : 0;

	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

bool roadie_profile_key_equal(const RoadieProfile *a, const RoadieProfile *b,
			      const RoadieProfileKey *key)
{
	const void *fa = (const char *)a + key->offset;
	const void *fb = (const char *)b + key->offset;

	switch (key->type) {
	case ROADIE_KEY_STRING:
	case ROADIE_KEY_PATH:
		return g_strcmp0(*(char *const *)fa, *(char *const *)fb) == 0;
	case ROADIE_KEY_SECRET:
		return roadie_secret_equal(*(RoadieSecret *const *)fa, *(RoadieSecret *const *)fb);
	case ROADIE_KEY_STRV:
		/* NULL and an empty list both mean "no entries" */
		return key_strv_equal(*(char **const *)fa, *(char **const *)fb);
	case ROADIE_KEY_BYTES: {
		GBytes *ba = *(GBytes *const *)fa, *bb = *(GBytes *const *)fb;

		return (!ba && !bb) || (ba && bb && g_bytes_equal(ba, bb));
	}
	case ROADIE_KEY_BOOL:
		return *(const bool *)fa == *(const bool *)fb;
	case ROADIE_KEY_UINT:
	case ROADIE_KEY_SECONDS:
	case ROADIE_KEY_FLAGS:
		return *(const uint32_t *)fa == *(const uint32_t *)fb;
	case ROADIE_KEY_ENUM:
		return *(const int *)fa == *(const int *)fb;
	}
	return false;
}

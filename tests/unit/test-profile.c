/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The profile model: the key table, every validation rule (one bad profile per rule, and a
 * test that fails when a rule has none), the loaders' hostile-input handling, and the round
 * trips through the file, a{sv} and NetworkManager's vpn.data.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdalign.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "config.h"
#include "profile.h"
#include "profile-private.h" /* roadie_profile_key_format */

#define DATA_DIR ROADIE_SOURCE_DIR "/tests/unit/data"

/* The smallest valid profile, split so that fixtures can add keys to either group. */
#define CONN "[connection]\ngateway=vpn.example.com\n"
#define PPP "[ppp]\nuser=alice\n"
#define CERT_PEM "certificate=@DATA@/client.pem\n"
#define KEY_PEM "private-key=@DATA@/client.key\n"

typedef enum {
	SOURCE_KEYFILE, /* text: a profile file */
	SOURCE_VARIANT, /* text: "(settings, secrets)" in GVariant text format */
	SOURCE_NM,      /* text: a key file with [data] and [secrets] for vpn.data/vpn.secrets */
} Source;

typedef struct {
	const char *rule;       /* the rule id the first problem must have */
	RoadieCheckFlags flags;
	Source source;
	const char *key;        /* the first problem's key; its message starts with "key: " */
	const char *text;       /* @DATA@, @LONG@, @BIG@, @ROUTES65@ are expanded */
} Fixture;

/* One bad profile per rule; /profile/rules/all-tested keeps this list complete. */
static const Fixture fixtures[] = {
	{ "file-too-large", 0, SOURCE_KEYFILE, "file", "@BIG@" },
	{ "non-utf8", 0, SOURCE_KEYFILE, "file", CONN "[ppp]\nuser=al\xffice\n" },
	{ "keyfile-syntax", 0, SOURCE_KEYFILE, "file", "[connection]\ngateway vpn.example.com\n" },
	{ "value-too-long", 0, SOURCE_KEYFILE, "connection.name", CONN "name=@LONG@\n" PPP },
	{ "duplicate-group", 0, SOURCE_KEYFILE, "connection",
	  CONN PPP "[connection]\nauto-reconnect=false\n" },
	{ "duplicate-key", 0, SOURCE_KEYFILE, "connection.gateway",
	  "[connection]\ngateway=a.example.com\ngateway=b.example.com\n" PPP },
	{ "unknown-group", 0, SOURCE_KEYFILE, "wireguard", CONN PPP "[wireguard]\nkey=x\n" },
	{ "unknown-key", 0, SOURCE_KEYFILE, "ppp.mtuu", CONN PPP "mtuu=1400\n" },
	{ "type-invalid", 0, SOURCE_VARIANT, "connection.gateway",
	  "({'gateway': <uint32 5>, 'user': <'alice'>}, @a{sv} {})" },
	{ "secret-misplaced", 0, SOURCE_VARIANT, "ipsec.psk",
	  "({'gateway': <'vpn.example.com'>, 'user': <'alice'>, 'ipsec-psk': <'x'>}, "
	  "@a{sv} {})" },
	{ "bool-invalid", 0, SOURCE_KEYFILE, "connection.auto-reconnect",
	  CONN "auto-reconnect=maybe\n" PPP },
	{ "number-invalid", 0, SOURCE_KEYFILE, "ppp.mtu", CONN PPP "mtu=big\n" },
	{ "duration-invalid", 0, SOURCE_KEYFILE, "ipsec.ike-lifetime",
	  CONN PPP "[ipsec]\nike-lifetime=8 hours\n" },
	{ "enum-invalid", 0, SOURCE_KEYFILE, "ipsec.auth", CONN PPP "[ipsec]\nauth=rsa\n" },
	{ "flags-invalid", 0, SOURCE_KEYFILE, "ppp.auth", CONN PPP "auth=pap,ms-chap\n" },
	{ "name-invalid", 0, SOURCE_KEYFILE, "connection.name", CONN "name=a/b\n" PPP },
	{ "gateway-missing", 0, SOURCE_KEYFILE, "connection.gateway",
	  "[connection]\nauto-reconnect=true\n" PPP },
	{ "gateway-invalid", 0, SOURCE_KEYFILE, "connection.gateway",
	  "[connection]\ngateway=vpn_corp.example.com\n" PPP },
	{ "psk-missing", ROADIE_CHECK_SECRETS, SOURCE_KEYFILE, "ipsec.psk",
	  CONN PPP "password=pw\n" },
	{ "psk-empty", 0, SOURCE_KEYFILE, "ipsec.psk", CONN PPP "[ipsec]\npsk=\n" },
	{ "cert-missing", 0, SOURCE_KEYFILE, "ipsec.certificate", CONN PPP "[ipsec]\nauth=cert\n" },
	{ "key-missing", 0, SOURCE_KEYFILE, "ipsec.private-key",
	  CONN PPP "[ipsec]\nauth=cert\ncertificate=/etc/roadie/me.pem\n" },
	{ "path-invalid", 0, SOURCE_KEYFILE, "ipsec.certificate",
	  CONN PPP "[ipsec]\nauth=cert\ncertificate=me.p12\n" },
	{ "file-unreadable", ROADIE_CHECK_FILES, SOURCE_KEYFILE, "ipsec.certificate",
	  CONN PPP "[ipsec]\nauth=cert\ncertificate=@DATA@/does-not-exist.pem\n" KEY_PEM },
	{ "cert-format", ROADIE_CHECK_FILES, SOURCE_KEYFILE, "ipsec.certificate",
	  CONN PPP "[ipsec]\nauth=cert\ncertificate=@DATA@/garbage.bin\n" KEY_PEM },
	{ "key-format", ROADIE_CHECK_FILES, SOURCE_KEYFILE, "ipsec.private-key",
	  CONN PPP "[ipsec]\nauth=cert\n" CERT_PEM "private-key=@DATA@/garbage.bin\n" },
	{ "key-mismatch", ROADIE_CHECK_FILES, SOURCE_KEYFILE, "ipsec.private-key",
	  CONN PPP "[ipsec]\nauth=cert\n" CERT_PEM "private-key=@DATA@/other.key\n" },
	{ "ca-format", ROADIE_CHECK_FILES, SOURCE_KEYFILE, "ipsec.ca-certificate",
	  CONN PPP "[ipsec]\nauth=cert\n" CERT_PEM KEY_PEM "ca-certificate=@DATA@/garbage.bin\n" },
	{ "id-invalid", 0, SOURCE_KEYFILE, "ipsec.remote-id",
	  CONN PPP "[ipsec]\nremote-id=ipv4:10.0.0.999\n" },
	{ "proposal-too-long", 0, SOURCE_KEYFILE, "ipsec.ike",
	  CONN PPP "[ipsec]\nike=aes128-aes192-aes256-3des-sha1-sha256-sha384-sha512-md5-"
		   "modp1024-modp2048-modp3072-ecp256\n" },
	{ "ike-empty", 0, SOURCE_KEYFILE, "ipsec.ike",
	  CONN PPP "[ipsec]\nike=aes128-sha1-modp2048,,aes256-sha1-modp2048\n" },
	{ "ike-unknown-cipher", 0, SOURCE_KEYFILE, "ipsec.ike",
	  CONN PPP "[ipsec]\nike=blowfish-sha1-modp2048\n" },
	{ "ike-unknown-integrity", 0, SOURCE_KEYFILE, "ipsec.ike",
	  CONN PPP "[ipsec]\nike=aes128-sha3-modp2048\n" },
	{ "ike-unknown-dh", 0, SOURCE_KEYFILE, "ipsec.ike",
	  CONN PPP "[ipsec]\nike=aes128-sha1-modp999\n" },
	{ "ike-unknown-token", 0, SOURCE_KEYFILE, "ipsec.ike",
	  CONN PPP "[ipsec]\nike=aes128-sha1-modp2048-foo\n" },
	{ "ike-missing-cipher", 0, SOURCE_KEYFILE, "ipsec.ike",
	  CONN PPP "[ipsec]\nike=sha1-modp2048\n" },
	{ "ike-missing-integrity", 0, SOURCE_KEYFILE, "ipsec.ike",
	  CONN PPP "[ipsec]\nike=aes128-modp2048\n" },
	{ "ike-missing-dh", 0, SOURCE_KEYFILE, "ipsec.ike", CONN PPP "[ipsec]\nike=aes128-sha1\n" },
	{ "ike-aead", 0, SOURCE_KEYFILE, "ipsec.ike",
	  CONN PPP "[ipsec]\nike=aes128gcm16-modp2048\n" },
	{ "esp-empty", 0, SOURCE_KEYFILE, "ipsec.esp", CONN PPP "[ipsec]\nesp=\n" },
	{ "esp-unknown-cipher", 0, SOURCE_KEYFILE, "ipsec.esp",
	  CONN PPP "[ipsec]\nesp=camellia128-sha1\n" },
	{ "esp-unknown-integrity", 0, SOURCE_KEYFILE, "ipsec.esp",
	  CONN PPP "[ipsec]\nesp=aes128-sha3\n" },
	{ "esp-unknown-dh", 0, SOURCE_KEYFILE, "ipsec.esp",
	  CONN PPP "[ipsec]\nesp=aes128-sha1-modp999\n" },
	{ "esp-unknown-token", 0, SOURCE_KEYFILE, "ipsec.esp",
	  CONN PPP "[ipsec]\nesp=aes128-sha1-bogus\n" },
	{ "esp-missing-cipher", 0, SOURCE_KEYFILE, "ipsec.esp", CONN PPP "[ipsec]\nesp=sha1\n" },
	{ "esp-missing-integrity", 0, SOURCE_KEYFILE, "ipsec.esp",
	  CONN PPP "[ipsec]\nesp=aes128\n" },
	{ "esp-aead-integrity", 0, SOURCE_KEYFILE, "ipsec.esp",
	  CONN PPP "[ipsec]\nesp=aes128gcm16-sha1\n" },
	{ "pfs-invalid", 0, SOURCE_KEYFILE, "ipsec.pfs", CONN PPP "[ipsec]\npfs=yes\n" },
	{ "lifetime-range", 0, SOURCE_KEYFILE, "ipsec.sa-lifetime",
	  CONN PPP "[ipsec]\nsa-lifetime=30s\n" },
	{ "lifetime-range", 0, SOURCE_KEYFILE, "ipsec.sa-lifetime-kilobytes",
	  CONN PPP "[ipsec]\nsa-lifetime-kilobytes=100\n" },
	{ "dpd-range", 0, SOURCE_KEYFILE, "ipsec.dpd-timeout",
	  CONN PPP "[ipsec]\ndpd-interval=60\ndpd-timeout=30\n" },
	{ "l2tp-hostname-invalid", 0, SOURCE_KEYFILE, "l2tp.hostname",
	  CONN PPP "[l2tp]\nhostname=my laptop\n" },
	{ "user-missing", 0, SOURCE_KEYFILE, "ppp.user", CONN },
	{ "user-invalid", 0, SOURCE_KEYFILE, "ppp.user", CONN "[ppp]\nuser=al\\tice\n" },
	{ "password-missing", ROADIE_CHECK_SECRETS, SOURCE_KEYFILE, "ppp.password",
	  CONN PPP "[ipsec]\npsk=x\n" },
	{ "ppp-auth-empty", 0, SOURCE_KEYFILE, "ppp.auth", CONN PPP "auth=\n" },
	{ "mtu-range", 0, SOURCE_KEYFILE, "ppp.mtu", CONN PPP "mtu=70000\n" },
	{ "mru-range", 0, SOURCE_KEYFILE, "ppp.mru", CONN PPP "mru=100\n" },
	{ "lcp-echo-range", 0, SOURCE_KEYFILE, "ppp.lcp-echo-failures",
	  CONN PPP "lcp-echo-failures=0\n" },
	{ "route-invalid", 0, SOURCE_KEYFILE, "ip.routes", CONN PPP "[ip]\nroutes=10.0.0.0/33\n" },
	{ "route-host-bits", 0, SOURCE_KEYFILE, "ip.routes", CONN PPP "[ip]\nroutes=10.1.2.3/8\n" },
	{ "route-ipv6-off", 0, SOURCE_KEYFILE, "ip.routes",
	  CONN PPP "[ip]\nroutes=10.0.0.0/8,2001:db8::/32\n" },
	{ "routes-too-many", 0, SOURCE_KEYFILE, "ip.routes", CONN PPP "[ip]\nroutes=@ROUTES65@\n" },
	{ "learned-invalid", 0, SOURCE_KEYFILE, "learned.ike",
	  CONN PPP "[learned]\nike=aes128-sha1-modp2048,aes256-sha1-modp2048\n" },
};

static char *expand(const char *text)
{
	GString *s = g_string_new(text);

	g_string_replace(s, "@DATA@", DATA_DIR, 0);
	if (strstr(s->str, "@LONG@")) {
		g_autofree char *long_value = g_strnfill(5000, 'a');

		g_string_replace(s, "@LONG@", long_value, 0);
	}
	if (strstr(s->str, "@BIG@")) {
		GString *big = g_string_new(CONN PPP);

		while (big->len <= 64 * 1024)
			g_string_append(big, "# a comment that makes the file too large\n");
		g_string_replace(s, "@BIG@", big->str, 0);
		g_string_free(big, TRUE);
	}
	if (strstr(s->str, "@ROUTES65@")) {
		GString *routes = g_string_new(NULL);

		for (int i = 0; i < 65; i++)
			g_string_append_printf(routes, "%s10.%d.0.0/16", i ? "," : "", i);
		g_string_replace(s, "@ROUTES65@", routes->str, 0);
		g_string_free(routes, TRUE);
	}
	return g_string_free(s, FALSE);
}

static GHashTable *nm_table(GKeyFile *keyfile, const char *group)
{
	GHashTable *table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_auto(GStrv) keys = g_key_file_get_keys(keyfile, group, NULL, NULL);

	for (size_t i = 0; keys && keys[i]; i++)
		g_hash_table_insert(table, g_strdup(keys[i]),
				    g_key_file_get_value(keyfile, group, keys[i], NULL));
	return table;
}

/* Loads @text from @source; returns the profile or NULL with the problems. */
static RoadieProfile *load_from(Source source, const char *text, RoadieCheckFlags flags,
				GPtrArray **ret_problems, GError **error)
{
	switch (source) {
	case SOURCE_KEYFILE: {
		/* exactly the bytes, no NUL after them: the loader must not read past */
		size_t len = strlen(text);
		g_autofree char *bytes = g_memdup2(text, len);

		return roadie_profile_load_data(bytes, len, flags, ret_problems, error);
	}
	case SOURCE_VARIANT: {
		g_autoptr(GVariant) args = g_variant_parse(G_VARIANT_TYPE("(a{sv}a{sv})"), text,
							   NULL, NULL, NULL);
		g_autoptr(GVariant) settings = NULL;
		g_autoptr(GVariant) secrets = NULL;

		g_assert_nonnull(args);
		settings = g_variant_get_child_value(args, 0);
		secrets = g_variant_get_child_value(args, 1);
		return roadie_profile_new_from_variant(settings, secrets, flags, ret_problems,
						       error);
	}
	case SOURCE_NM: {
		g_autoptr(GKeyFile) keyfile = g_key_file_new();
		g_autoptr(GHashTable) data = NULL;
		g_autoptr(GHashTable) secrets = NULL;

		g_assert_true(g_key_file_load_from_data(keyfile, text, -1, 0, NULL));
		data = nm_table(keyfile, "data");
		secrets = nm_table(keyfile, "secrets");
		return roadie_profile_new_from_nm(data, secrets, flags, ret_problems, error);
	}
	}
	return NULL;
}

static void test_fixture(gconstpointer user_data)
{
	const Fixture *f = user_data;
	g_autofree char *text = expand(f->text);
	g_autofree char *prefix = g_strdup_printf("%s: ", f->key);
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieProfile) profile = load_from(f->source, text, f->flags, &problems,
						      &error);
	const RoadieProblem *first;

	g_assert_null(profile);
	g_assert_nonnull(problems);
	g_assert_cmpuint(problems->len, >, 0);
	first = problems->pdata[0];
	if (g_test_verbose())
		for (guint i = 0; i < problems->len; i++)
			g_test_message("%s", ((RoadieProblem *)problems->pdata[i])->message);
	g_assert_cmpstr(first->rule, ==, f->rule);
	g_assert_cmpstr(first->key, ==, f->key);
	g_assert_true(g_str_has_prefix(first->message, prefix));
	g_assert_error(error, ROADIE_PROFILE_ERROR, 0);
	g_assert_cmpstr(error->message, ==, first->message);
}

static void test_rules_all_tested(void)
{
	size_t n;
	const RoadieProfileRule *rules = roadie_profile_rules(&n);

	g_assert_cmpuint(n, >=, 30);
	for (size_t i = 0; i < n; i++) {
		bool found = false;

		for (size_t j = 0; j < G_N_ELEMENTS(fixtures) && !found; j++)
			found = strcmp(fixtures[j].rule, rules[i].id) == 0;
		if (!found)
			g_test_message("rule '%s' has no fixture", rules[i].id);
		g_assert_true(found);
	}
	for (size_t j = 0; j < G_N_ELEMENTS(fixtures); j++) {
		bool known = false;

		for (size_t i = 0; i < n && !known; i++)
			known = strcmp(fixtures[j].rule, rules[i].id) == 0;
		if (!known)
			g_test_message("fixture names unknown rule '%s'", fixtures[j].rule);
		g_assert_true(known);
	}
}

static void test_rules_table(void)
{
	size_t n;
	const RoadieProfileRule *rules = roadie_profile_rules(&n);

	for (size_t i = 0; i < n; i++) {
		/* ids are stable kebab-case: front ends and docs refer to them */
		for (const char *p = rules[i].id; *p; p++)
			g_assert_true(g_ascii_islower(*p) || g_ascii_isdigit(*p) || *p == '-');
		g_assert_cmpuint(strlen(rules[i].summary), >, 10);
		for (size_t j = i + 1; j < n; j++)
			g_assert_cmpstr(rules[i].id, !=, rules[j].id);
	}
}

/* ---- exact messages the brief and the front ends rely on ---- */

static const RoadieProblem *first_problem(const char *text, RoadieCheckFlags flags,
					  GPtrArray **ret_problems)
{
	g_autoptr(RoadieProfile) profile =
		roadie_profile_load_data(text, strlen(text), flags, ret_problems, NULL);

	g_assert_null(profile);
	g_assert_nonnull(*ret_problems);
	return (*ret_problems)->pdata[0];
}

static void test_messages(void)
{
	static const struct {
		const char *text;
		RoadieCheckFlags flags;
		const char *message;
		int line;
	} cases[] = {
		{ "[connection]\nauto-reconnect=true\n" PPP, 0,
		  "connection.gateway: missing: set the gateway's host name or address", 1 },
		{ CONN PPP, ROADIE_CHECK_SECRETS,
		  "ipsec.psk: missing: auth=psk needs a pre-shared key", 0 },
		{ CONN PPP "[ipsec]\nike=aes128-sha1-modp999\n", 0,
		  "ipsec.ike: unknown DH group 'modp999' in 'aes128-sha1-modp999'", 6 },
		{ CONN PPP "mtu=70000\n", 0, "ppp.mtu: 70000 is out of range (576–1500)", 5 },
		{ CONN PPP "[ip]\nroutes=10.1.2.3/8\n", 0,
		  "ip.routes: '10.1.2.3/8' has host bits set; did you mean 10.0.0.0/8?", 6 },
		{ CONN PPP "[ip]\nipv6=true\nroutes=2001:db8::1/32\n", 0,
		  "ip.routes: '2001:db8::1/32' has host bits set; did you mean 2001:db8::/32?", 7 },
		{ CONN PPP "[ipsec]\nauth=cert\ncertificate=/nonexistent/y.pem\n"
			   "private-key=/x.key\n",
		  ROADIE_CHECK_FILES,
		  "ipsec.certificate: cannot read '/nonexistent/y.pem': No such file or directory",
		  7 },
		{ CONN PPP "[ipsec]\npsk=\n", 0,
		  "ipsec.psk: is empty: auth=psk needs a pre-shared key", 6 },
		{ "[connection]\ngateway=vpn.example.com\n\n[ppp]\nuser=bob\nmtu=1400\n"
		  "mtu=1300\n",
		  0,
		  "ppp.mtu: set twice (lines 6 and 7): keep one", 7 },
		{ CONN "[ppp]\nuser=bob\n\n# note\nmru=x\xfe\n", 0,
		  "file: line 7: not valid UTF-8 (byte 0xfe at column 6): save the profile as "
		  "UTF-8",
		  7 },
		{ CONN "[ppp]\nuser=bob\nmtu=9\x00\n", 0, "file: line 5: a NUL byte at column 6",
		  5 },
		{ "gateway=x\n", 0,
		  "file: line 1: 'gateway=x' comes before any group: start the file with "
		  "[connection]",
		  1 },
		{ CONN "[connection]\n" PPP, 0,
		  "connection: [connection] appears twice (lines 1 and 3): merge them into one",
		  3 },
		{ CONN "psk=x\n" PPP, 0, "connection.psk: unknown key: it belongs in [ipsec]", 3 },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GPtrArray) problems = NULL;
		size_t len = strlen(cases[i].text);
		const RoadieProblem *first;
		g_autoptr(RoadieProfile) profile = NULL;

		/* one case has a NUL byte: pass its real length */
		if (strstr(cases[i].message, "NUL"))
			len += 2;
		profile = roadie_profile_load_data(cases[i].text, len, cases[i].flags, &problems,
						   NULL);
		g_assert_null(profile);
		first = problems->pdata[0];
		g_assert_cmpstr(first->message, ==, cases[i].message);
		g_assert_cmpint(first->line, ==, cases[i].line);
	}
}

/* ---- defaults and the key table ---- */

static void test_defaults(void)
{
	const char *text = "[connection]\ngateway=vpn.example.com\n[ppp]\nuser=alice\n";
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieProfile) p =
		roadie_profile_load_data(text, strlen(text), 0, &problems, &error);

	g_assert_no_error(error);
	g_assert_null(problems); /* ret_problems is written only on failure */
	g_assert_nonnull(p);
	/* the documented defaults, spelled out independently of the key table */
	g_assert_null(p->name);
	g_assert_cmpstr(p->gateway, ==, "vpn.example.com");
	g_assert_true(p->auto_reconnect);
	g_assert_cmpint(p->ipsec_auth, ==, ROADIE_IPSEC_AUTH_PSK);
	g_assert_null(p->psk);
	g_assert_null(p->local_id);
	g_assert_null(p->remote_id);
	g_assert_null(p->certificate);
	g_assert_null(p->private_key);
	g_assert_null(p->private_key_password);
	g_assert_null(p->ca_certificate);
	g_assert_cmpstr(p->ike, ==,
			"aes256-sha256-modp2048,aes128-sha256-modp2048,aes256-sha1-modp2048,"
			"aes128-sha1-modp2048,aes256-sha384-ecp384,aes128-sha256-ecp256");
	g_assert_cmpstr(p->esp, ==, "aes256-sha1,aes128-sha1,aes256-sha256,aes128gcm16,3des-sha1");
	g_assert_cmpstr(p->pfs, ==, "auto");
	g_assert_cmpuint(p->ike_lifetime, ==, 8 * 3600);
	g_assert_cmpuint(p->sa_lifetime, ==, 3600);
	g_assert_false(p->force_encapsulation);
	g_assert_cmpuint(p->dpd_interval, ==, 30);
	g_assert_cmpuint(p->dpd_timeout, ==, 150);
	g_assert_null(p->l2tp_hostname);
	g_assert_null(p->l2tp_secret);
	g_assert_cmpint(p->l2tp_source_port, ==, ROADIE_L2TP_PORT_AUTO);
	g_assert_cmpstr(p->user, ==, "alice");
	g_assert_null(p->password);
	g_assert_cmpuint(p->ppp_auth, ==,
			 ROADIE_PPP_AUTH_MSCHAP_V2 | ROADIE_PPP_AUTH_MSCHAP | ROADIE_PPP_AUTH_CHAP |
				 ROADIE_PPP_AUTH_PAP);
	g_assert_cmpuint(p->mtu, ==, 1400);
	g_assert_cmpuint(p->mru, ==, 1400);
	g_assert_cmpuint(p->lcp_echo_interval, ==, 30);
	g_assert_cmpuint(p->lcp_echo_failures, ==, 4);
	g_assert_false(p->ipv6);
	g_assert_true(p->peer_dns);
	g_assert_true(p->default_route);
	g_assert_null(p->routes);
	g_assert_null(p->learned_ike);
	g_assert_null(p->learned_esp);
	g_assert_null(p->learned_pfs);
}

static size_t key_field_size(const RoadieProfileKey *key, size_t *ret_align)
{
	switch (key->type) {
	case ROADIE_KEY_STRING:
	case ROADIE_KEY_PATH:
	case ROADIE_KEY_SECRET:
	case ROADIE_KEY_STRV:
	case ROADIE_KEY_BYTES:
		*ret_align = alignof(void *);
		return sizeof(void *);
	case ROADIE_KEY_BOOL:
		*ret_align = alignof(bool);
		return sizeof(bool);
	case ROADIE_KEY_UINT:
	case ROADIE_KEY_SECONDS:
	case ROADIE_KEY_FLAGS:
		*ret_align = alignof(uint32_t);
		return sizeof(uint32_t);
	case ROADIE_KEY_ENUM:
		*ret_align = alignof(int);
		return sizeof(int);
	}
	g_assert_not_reached();
}

static int compare_offsets(gconstpointer a, gconstpointer b)
{
	const RoadieProfileKey *ka = *(const RoadieProfileKey *const *)a;
	const RoadieProfileKey *kb = *(const RoadieProfileKey *const *)b;

	return ka->offset < kb->offset ? -1 : ka->offset > kb->offset;
}

/* Every byte of RoadieProfile is a key's field or the padding the compiler must insert: a
 * field without a row shows up as a gap that alignment does not explain. */
static void test_keys_cover_struct(void)
{
	size_t n, end = 0;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);
	g_autoptr(GPtrArray) sorted = g_ptr_array_new();

	for (size_t i = 0; i < n; i++)
		g_ptr_array_add(sorted, (gpointer)&keys[i]);
	g_ptr_array_sort(sorted, compare_offsets);
	for (guint i = 0; i < sorted->len; i++) {
		const RoadieProfileKey *key = sorted->pdata[i];
		size_t align, size = key_field_size(key, &align);
		size_t expected = (end + align - 1) / align * align;

		if (key->offset != expected)
			g_test_message("gap or overlap before %s.%s", key->group, key->key);
		g_assert_cmpuint(key->offset, ==, expected);
		end = key->offset + size;
	}
	g_assert_cmpuint(sizeof(RoadieProfile), ==,
			 (end + alignof(RoadieProfile) - 1) / alignof(RoadieProfile) *
				 alignof(RoadieProfile));
}

static void test_keys_names(void)
{
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	for (size_t i = 0; i < n; i++) {
		g_assert_true(roadie_profile_key_lookup(keys[i].group, keys[i].key) == &keys[i]);
		g_assert_true(roadie_profile_key_by_dbus(keys[i].dbus) == &keys[i]);
		if (keys[i].nm)
			g_assert_true(roadie_profile_key_by_nm(keys[i].nm) == &keys[i]);
		else if (keys[i].type != ROADIE_KEY_BYTES) /* the name: NM's connection.id */
			g_assert_cmpstr(keys[i].key, ==, "name");
		g_assert_nonnull(keys[i].help);
		g_assert_cmpuint(strlen(keys[i].help), >, 10);
		for (size_t j = i + 1; j < n; j++) {
			g_assert_false(strcmp(keys[i].group, keys[j].group) == 0 &&
				       strcmp(keys[i].key, keys[j].key) == 0);
			g_assert_cmpstr(keys[i].dbus, !=, keys[j].dbus);
			if (keys[i].nm && keys[j].nm)
				g_assert_cmpstr(keys[i].nm, !=, keys[j].nm);
		}
		if (keys[i].type == ROADIE_KEY_ENUM || keys[i].type == ROADIE_KEY_FLAGS)
			g_assert_nonnull(keys[i].choices);
	}
	g_assert_null(roadie_profile_key_lookup("ipsec", "nope"));
	g_assert_null(roadie_profile_key_lookup(NULL, "psk"));
	g_assert_null(roadie_profile_key_by_dbus("nope"));
	g_assert_null(roadie_profile_key_by_nm(NULL));
}

/* Each default, written out explicitly into a minimal profile, loads and validates, and
 * lands where roadie_profile_new() puts it. */
static void test_keys_defaults(void)
{
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);
	g_autoptr(RoadieProfile) fresh = roadie_profile_new();

	for (size_t i = 0; i < n; i++) {
		g_autofree char *text = NULL;
		g_autoptr(GError) error = NULL;
		g_autoptr(RoadieProfile) p = NULL;

		if (!keys[i].default_text)
			continue;
		if (keys[i].type == ROADIE_KEY_UINT || keys[i].type == ROADIE_KEY_SECONDS)
			g_assert_cmpuint(keys[i].max, >=, keys[i].min);
		if (strcmp(keys[i].group, "connection") == 0)
			text = g_strdup_printf(CONN "%s=%s\n" PPP, keys[i].key,
					       keys[i].default_text);
		else if (strcmp(keys[i].group, "ppp") == 0)
			text = g_strdup_printf(CONN PPP "%s=%s\n", keys[i].key,
					       keys[i].default_text);
		else
			text = g_strdup_printf(CONN PPP "[%s]\n%s=%s\n", keys[i].group, keys[i].key,
					       keys[i].default_text);
		p = roadie_profile_load_data(text, strlen(text), 0, NULL, &error);
		g_assert_no_error(error);
		g_assert_nonnull(p);
		g_free(p->gateway);
		g_free(p->user);
		p->gateway = p->user = NULL;
		g_assert_true(roadie_profile_equal(p, fresh));
	}
}

/* ---- life cycle ---- */

/* A profile with every key away from its default, secrets included. */
static RoadieProfile *full_profile(void)
{
	const char *text =
		"[connection]\nname=Büro – Zürich\ngateway=2001:db8::1\nauto-reconnect=false\n"
		"[ipsec]\nauth=cert\npsk=\\sleading space, \\\\ backslash\\nnewline\n"
		"local-id=email:alice@example.com\nremote-id=fqdn:vpn.example.com\n"
		"certificate=/etc/roadie/alice.pem\nprivate-key=/etc/roadie/alice.key\n"
		"private-key-password=p#w=d;x\nca-certificate=/etc/roadie/ca.pem\n"
		"ike=aes128-sha256-ecp256!\nesp=aes128gcm16\npfs=modp2048\nike-lifetime=1d\n"
		"sa-lifetime=90m\nsa-lifetime-kilobytes=4608000\nforce-encapsulation=yes\nfragmentation=no\n"
		"dpd-interval=45\n"
		"dpd-timeout=200\n"
		"[l2tp]\nhostname=laptop.example.com\nsecret=tunnel\nsource-port=ephemeral\n"
		"[ppp]\nuser=DOMAIN\\\\alice\npassword=trailing  \nauth=eap-md5,pap\nmtu=1280\n"
		"mru=1500\nlcp-echo-interval=0\nlcp-echo-failures=1\n"
		"[ip]\nipv6=true\npeer-dns=false\ndefault-route=false\nblock-ipv6=false\ndhcp-inform=false\n"
		"routes=10.0.0.0/8, 192.168.0.0/16,2001:db8:1::/48\n"
		"[learned]\nike=aes256-sha1-modp2048\nesp=aes256-sha1\npfs=modp1024\n";
	g_autoptr(GError) error = NULL;
	RoadieProfile *p = roadie_profile_load_data(text, strlen(text), 0, NULL, &error);

	g_assert_no_error(error);
	g_assert_nonnull(p);
	g_assert_cmpstr(roadie_secret_peek(p->psk), ==, " leading space, \\ backslash\nnewline");
	g_assert_cmpstr(roadie_secret_peek(p->password), ==, "trailing  ");
	g_assert_cmpstr(p->user, ==, "DOMAIN\\alice");
	g_assert_cmpuint(g_strv_length(p->routes), ==, 3);
	g_assert_cmpstr(p->routes[1], ==, "192.168.0.0/16");
	return p;
}

static void test_life_cycle(void)
{
	g_autoptr(RoadieProfile) p = full_profile();
	g_autoptr(RoadieProfile) copy = roadie_profile_copy(p);
	g_autoptr(RoadieProfile) fresh = roadie_profile_new();

	g_assert_true(roadie_profile_equal(p, copy));
	g_assert_false(roadie_profile_equal(p, fresh));
	g_assert_true(p->psk != copy->psk); /* a deep copy */
	g_assert_true(roadie_profile_equal(NULL, NULL));
	g_assert_false(roadie_profile_equal(p, NULL));
	g_assert_null(roadie_profile_copy(NULL));
	g_assert_null(roadie_profile_free(NULL));
	roadie_problem_free(NULL);
	copy->mtu++;
	g_assert_false(roadie_profile_equal(p, copy));
}

static void test_full_profile_differs_everywhere(void)
{
	g_autoptr(RoadieProfile) p = full_profile();
	g_autofree char *text = roadie_profile_to_data(p, true, NULL);
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	/* to_data writes only keys away from their default: all of them here, but the
	 * contents of files, which never go into a profile */
	for (size_t i = 0; i < n; i++) {
		g_autofree char *line = g_strdup_printf("\n%s=", keys[i].key);

		if (keys[i].type == ROADIE_KEY_BYTES)
			g_assert_null(strstr(text, line));
		else
			g_assert_nonnull(strstr(text, line));
	}
}

/* ---- round trips ---- */

static void test_roundtrip_keyfile(void)
{
	g_autoptr(RoadieProfile) p = full_profile();
	size_t len;
	g_autofree char *with = roadie_profile_to_data(p, true, &len);
	g_autofree char *without = roadie_profile_to_data(p, false, NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieProfile) again = roadie_profile_load_data(with, len, 0, NULL, &error);
	g_autoptr(RoadieProfile) no_secrets = NULL;

	g_assert_no_error(error);
	g_assert_cmpuint(len, ==, strlen(with));
	g_assert_true(roadie_profile_equal(p, again));
	g_assert_null(strstr(without, "psk="));
	g_assert_null(strstr(without, "password="));
	g_assert_null(strstr(without, "secret="));
	no_secrets = roadie_profile_load_data(without, strlen(without), 0, NULL, &error);
	g_assert_no_error(error);
	g_assert_null(no_secrets->psk);
	g_assert_null(no_secrets->private_key_password);
	g_assert_null(no_secrets->l2tp_secret);
	g_assert_null(no_secrets->password);
	no_secrets->psk = roadie_secret_dup(p->psk);
	no_secrets->private_key_password = roadie_secret_dup(p->private_key_password);
	no_secrets->l2tp_secret = roadie_secret_dup(p->l2tp_secret);
	no_secrets->password = roadie_secret_dup(p->password);
	g_assert_true(roadie_profile_equal(p, no_secrets));
}

static void test_roundtrip_minimal(void)
{
	const char *text = "[connection]\ngateway=vpn.example.com\n\n[ppp]\nuser=alice\n";
	g_autoptr(RoadieProfile) p = roadie_profile_load_data(text, strlen(text), 0, NULL, NULL);
	g_autofree char *out = roadie_profile_to_data(p, true, NULL);
	g_autoptr(RoadieProfile) fresh = roadie_profile_new();
	g_autofree char *empty = roadie_profile_to_data(fresh, true, NULL);

	/* defaults are left out, groups come in table order */
	g_assert_cmpstr(out, ==, text);
	g_assert_cmpstr(empty, ==, "");
}

static void test_roundtrip_variant(void)
{
	g_autoptr(RoadieProfile) p = full_profile();
	g_autoptr(GVariant) settings = g_variant_ref_sink(roadie_profile_to_settings(p));
	g_autoptr(GVariant) secrets = g_variant_ref_sink(roadie_profile_to_secrets(p));
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieProfile) again = NULL;
	g_autoptr(RoadieProfile) minimal = NULL;
	g_autoptr(GVariant) minimal_settings = NULL;
	g_autoptr(GVariant) value = NULL;
	const char *text = CONN PPP;

	g_assert_true(g_variant_is_of_type(settings, G_VARIANT_TYPE_VARDICT));
	g_assert_false(g_variant_lookup(settings, "ipsec-psk", "s", NULL));
	g_assert_false(g_variant_lookup(settings, "password", "s", NULL));
	g_assert_cmpuint(g_variant_n_children(secrets), ==, 4);
	again = roadie_profile_new_from_variant(settings, secrets, ROADIE_CHECK_SECRETS, NULL,
						&error);
	g_assert_no_error(error);
	g_assert_true(roadie_profile_equal(p, again));

	/* defaults are in, unset values are out */
	minimal = roadie_profile_load_data(text, strlen(text), 0, NULL, NULL);
	minimal_settings = g_variant_ref_sink(roadie_profile_to_settings(minimal));
	value = g_variant_lookup_value(minimal_settings, "mtu", G_VARIANT_TYPE_UINT32);
	g_assert_nonnull(value);
	g_assert_cmpuint(g_variant_get_uint32(value), ==, 1400);
	g_assert_null(g_variant_lookup_value(minimal_settings, "ipsec-local-id", NULL));
	g_assert_null(g_variant_lookup_value(minimal_settings, "routes", NULL));
	g_clear_pointer(&value, g_variant_unref);
	value = g_variant_lookup_value(minimal_settings, "ppp-auth", G_VARIANT_TYPE_STRING_ARRAY);
	g_assert_nonnull(value);
	g_assert_cmpuint(g_variant_n_children(value), ==, 4);
	g_clear_pointer(&value, g_variant_unref);
	value = g_variant_lookup_value(minimal_settings, "ipsec-auth", G_VARIANT_TYPE_STRING);
	g_assert_cmpstr(g_variant_get_string(value, NULL), ==, "psk");

	/* no secrets dictionary at all: fine unless the secrets are checked */
	g_clear_pointer(&again, roadie_profile_free);
	again = roadie_profile_new_from_variant(minimal_settings, NULL, 0, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(roadie_profile_equal(minimal, again));
}

static void test_roundtrip_nm(void)
{
	g_autoptr(RoadieProfile) p = full_profile();
	g_autoptr(GHashTable) data = roadie_profile_to_nm_data(p);
	g_autoptr(GHashTable) secrets = roadie_profile_to_nm_secrets(p);
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieProfile) again = NULL;
	g_autoptr(RoadieProfile) minimal = NULL;
	g_autoptr(GHashTable) minimal_data = NULL;
	const char *text = CONN PPP;

	g_assert_cmpstr(g_hash_table_lookup(data, "ipv6"), ==, "yes");
	g_assert_cmpstr(g_hash_table_lookup(data, "peer-dns"), ==, "no");
	g_assert_cmpstr(g_hash_table_lookup(data, "ipsec-ike-lifetime"), ==, "1d");
	g_assert_null(g_hash_table_lookup(data, "ipsec-psk"));
	g_assert_null(g_hash_table_lookup(data, "name"));
	g_assert_cmpstr(g_hash_table_lookup(secrets, "ipsec-psk"), ==,
			" leading space, \\ backslash\nnewline");
	g_assert_cmpuint(g_hash_table_size(secrets), ==, 4);

	/* NM keeps secret flags next to the data: accepted */
	g_hash_table_insert(data, g_strdup("password-flags"), g_strdup("1"));
	again = roadie_profile_new_from_nm(data, secrets, ROADIE_CHECK_SECRETS, NULL, &error);
	g_assert_no_error(error);
	g_assert_null(again->name); /* the name is NetworkManager's connection.id */
	again->name = g_strdup(p->name);
	g_assert_true(roadie_profile_equal(p, again));

	/* defaults stay out of vpn.data */
	minimal = roadie_profile_load_data(text, strlen(text), 0, NULL, NULL);
	minimal_data = roadie_profile_to_nm_data(minimal);
	g_assert_cmpuint(g_hash_table_size(minimal_data), ==, 2);
	g_assert_cmpstr(g_hash_table_lookup(minimal_data, "gateway"), ==, "vpn.example.com");
	g_assert_cmpstr(g_hash_table_lookup(minimal_data, "user"), ==, "alice");
}

static void test_nm_hostile(void)
{
	g_autoptr(GHashTable) data = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) secrets = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(RoadieProfile) p = NULL;
	/* in name order: "bogus", "ipsec-psk", "ipsec-psk-flags", "l2tp-hostname", then secrets */
	const char *rules[] = { "unknown-key", "secret-misplaced", "number-invalid", "non-utf8",
				"secret-misplaced" };

	g_hash_table_insert(data, "gateway", "vpn.example.com");
	g_hash_table_insert(data, "user", "alice");
	g_hash_table_insert(data, "bogus", "1");
	g_hash_table_insert(data, "ipsec-psk", "hunter2-in-data");
	g_hash_table_insert(data, "ipsec-psk-flags", "lots");
	g_hash_table_insert(data, "l2tp-hostname", "bad\xff");
	g_hash_table_insert(secrets, "mtu", "1400");
	p = roadie_profile_new_from_nm(data, secrets, 0, &problems, NULL);
	g_assert_null(p);
	g_assert_cmpuint(problems->len, ==, G_N_ELEMENTS(rules));
	for (guint i = 0; i < problems->len; i++) {
		const RoadieProblem *problem = problems->pdata[i];

		g_assert_cmpstr(problem->rule, ==, rules[i]);
		g_assert_null(strstr(problem->message, "hunter2"));
	}
}

static void test_variant_hostile(void)
{
	static const struct {
		const char *text;
		const char *rule;
		const char *message;
	} cases[] = {
		{ "({'gateway': <uint32 5>, 'user': <'alice'>}, @a{sv} {})", "type-invalid",
		  "connection.gateway: expected a string (s), got 'u'" },
		{ "({'gateway': <'vpn.example.com'>, 'user': <'alice'>, 'mtu': <'1400'>}, "
		  "@a{sv} {})",
		  "type-invalid", "ppp.mtu: expected an unsigned 32-bit number (u), got 's'" },
		{ "({'gateway': <'vpn.example.com'>, 'user': <'alice'>, 'routes': <'10.0.0.0/8'>},"
		  " @a{sv} {})",
		  "type-invalid", "ip.routes: expected a list of strings (as), got 's'" },
		{ "({'gateway': <'vpn.example.com'>, 'user': <'alice'>, 'ipv6': <int32 1>}, "
		  "@a{sv} {})",
		  "type-invalid", "ip.ipv6: expected a boolean (b), got 'i'" },
		{ "({'gateway': <'vpn.example.com'>, 'user': <'alice'>, 'wat': <1>}, @a{sv} {})",
		  "unknown-key", "wat: unknown setting in the settings" },
		{ "({'gateway': <'vpn.example.com'>, 'user': <'alice'>, 'password': <'pw'>}, "
		  "@a{sv} {})",
		  "secret-misplaced",
		  "ppp.password: a secret: pass password in the secrets, not in the settings" },
		{ "({'gateway': <'vpn.example.com'>, 'user': <'alice'>}, {'mtu': <uint32 1400>})",
		  "secret-misplaced", "ppp.mtu: not a secret: pass mtu in the settings" },
		{ "({'gateway': <'vpn.example.com'>, 'user': <'alice'>, 'gateway': <'b.example'>},"
		  " @a{sv} {})",
		  "duplicate-key", "connection.gateway: given twice (as gateway)" },
		{ "({'gateway': <'vpn.example.com'>, 'user': <'alice'>, "
		  "'ppp-auth': <['pap', 'x']>}, @a{sv} {})",
		  "flags-invalid",
		  "ppp.auth: 'x' is not one of pap, chap, mschap, mschap-v2, eap-md5" },
		{ "({'gateway': <'vpn.example.com'>, 'user': <'alice'>, 'ipsec-auth': <'rsa'>},"
		  " @a{sv} {})",
		  "enum-invalid", "ipsec.auth: 'rsa' is not one of psk, cert" },
		{ "({'gateway': <'vpn.example.com'>, 'user': <'alice'>, 'name': <'a\\u0007b'>},"
		  " @a{sv} {})",
		  "name-invalid",
		  "connection.name: contains a control character or invalid UTF-8" },
		{ "({'gateway': <'vpn.example.com'>, 'user': <'alice'>, 'w\\u001bat': <1>}, "
		  "@a{sv} {})",
		  "unknown-key", "w?at: unknown setting in the settings" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GPtrArray) problems = NULL;
		g_autoptr(GError) error = NULL;
		g_autoptr(RoadieProfile) p =
			load_from(SOURCE_VARIANT, cases[i].text, 0, &problems, &error);
		const RoadieProblem *first;

		g_assert_null(p);
		first = problems->pdata[0];
		g_assert_cmpstr(first->rule, ==, cases[i].rule);
		g_assert_cmpstr(first->message, ==, cases[i].message);
		g_assert_cmpint(first->line, ==, 0);
	}
}

static void test_variant_not_a_dict(void)
{
	g_autoptr(GVariant) s = g_variant_ref_sink(g_variant_new_string("x"));
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(RoadieProfile) p = roadie_profile_new_from_variant(s, NULL, 0, &problems, NULL);
	const RoadieProblem *first;

	g_assert_null(p);
	first = problems->pdata[0];
	g_assert_cmpstr(first->rule, ==, "type-invalid");
	g_assert_cmpstr(first->message, ==, "settings: expected a{sv}, got 's'");
}

static void test_variant_huge(void)
{
	g_autofree char *huge = g_strnfill(1 << 20, 'x');
	g_autofree char **many = g_new0(char *, 10001);
	GVariantBuilder b;
	g_autoptr(GVariant) settings = NULL;
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(RoadieProfile) p = NULL;
	const RoadieProblem *first;

	for (int i = 0; i < 10000; i++)
		many[i] = "10.0.0.0/8";
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "gateway", g_variant_new_string(huge));
	g_variant_builder_add(&b, "{sv}", "user", g_variant_new_string("alice"));
	g_variant_builder_add(&b, "{sv}", "routes",
			      g_variant_new_strv((const char *const *)many, -1));
	for (int i = 0; i < 1000; i++) {
		g_autofree char *name = g_strdup_printf("unknown-%d", i);

		g_variant_builder_add(&b, "{sv}", name, g_variant_new_boolean(TRUE));
	}
	settings = g_variant_ref_sink(g_variant_builder_end(&b));
	p = roadie_profile_new_from_variant(settings, NULL, 0, &problems, NULL);
	g_assert_null(p);
	first = problems->pdata[0];
	g_assert_cmpstr(first->rule, ==, "value-too-long");
	g_assert_cmpstr(first->key, ==, "connection.gateway");
	g_assert_cmpstr(((RoadieProblem *)problems->pdata[1])->rule, ==, "value-too-long");
	g_assert_cmpstr(((RoadieProblem *)problems->pdata[1])->key, ==, "ip.routes");
	/* a flood of unknown names gives a bounded list */
	g_assert_cmpuint(problems->len, <=, 100);
}

/* The contents of the certificate files (D-Bus only): the data keys travel as ay, the key's
 * in the secrets; with them a cert profile needs no paths; they never go into a keyfile. */
static GVariant *data_dict(const char *name, GBytes *bytes)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	if (name)
		g_variant_builder_add(&b, "{sv}", name,
				      g_variant_new_from_bytes(G_VARIANT_TYPE_BYTESTRING, bytes,
							       TRUE));
	return g_variant_ref_sink(g_variant_builder_end(&b));
}

static void test_data_keys(void)
{
	const char *text = CONN PPP "password=pw\n";
	g_autoptr(RoadieProfile) p = roadie_profile_load_data(text, strlen(text), 0, NULL, NULL);
	g_autoptr(GBytes) cert = g_bytes_new_static("-----BEGIN CERTIFICATE-----", 27);
	g_autoptr(GBytes) key = g_bytes_new_static("-----BEGIN PRIVATE KEY-----", 27);
	g_autoptr(GVariant) settings = NULL;
	g_autoptr(GVariant) secrets = NULL;
	g_autoptr(GVariant) value = NULL;
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieProfile) again = NULL;
	g_autofree char *shown = NULL;
	g_autofree char *data = NULL;
	const RoadieProfileKey *k;

	g_assert_nonnull(p);
	p->ipsec_auth = ROADIE_IPSEC_AUTH_CERT; /* a file would need ipsec.certificate */
	p->certificate_data = g_bytes_ref(cert);
	p->private_key_data = g_bytes_ref(key);
	settings = g_variant_ref_sink(roadie_profile_to_settings(p));
	secrets = g_variant_ref_sink(roadie_profile_to_secrets(p));
	value = g_variant_lookup_value(settings, "ipsec-certificate-data",
				       G_VARIANT_TYPE_BYTESTRING);
	g_assert_nonnull(value);
	g_assert_cmpuint(g_variant_get_size(value), ==, 27);
	g_assert_null(g_variant_lookup_value(settings, "ipsec-private-key-data", NULL));
	g_assert_null(g_variant_lookup_value(settings, "ipsec-certificate", NULL));
	g_clear_pointer(&value, g_variant_unref);
	value = g_variant_lookup_value(secrets, "ipsec-private-key-data", G_VARIANT_TYPE_BYTESTRING);
	g_assert_nonnull(value);

	/* what roadied gets is valid without any path */
	again = roadie_profile_new_from_variant(settings, secrets, ROADIE_CHECK_SECRETS, NULL,
						&error);
	g_assert_no_error(error);
	g_assert_true(roadie_profile_equal(p, again));
	g_assert_true(g_bytes_equal(again->private_key_data, key));

	/* shown as a size, never the contents */
	k = roadie_profile_key_lookup("ipsec", "private-key-data");
	g_assert_nonnull(k);
	shown = roadie_profile_key_format(again, k);
	g_assert_cmpstr(shown, ==, "(27 bytes)");

	/* never written into a profile, never read from one */
	data = roadie_profile_to_data(again, true, NULL);
	g_assert_null(strstr(data, "-data"));
	{
		const char *bad = CONN PPP "[ipsec]\nauth=cert\ncertificate-data=abc\n";
		g_autoptr(RoadieProfile) none = roadie_profile_load_data(bad, strlen(bad), 0,
									 &problems, NULL);

		g_assert_null(none);
		g_assert_cmpuint(problems->len, >=, 1);
		g_assert_cmpstr(((RoadieProblem *)problems->pdata[0])->key, ==,
				"ipsec.certificate-data");
		g_clear_pointer(&problems, g_ptr_array_unref);
	}

	/* the key is a secret: not in the settings */
	{
		g_autoptr(GVariant) wrong = data_dict("ipsec-private-key-data", key);
		g_autoptr(GVariantDict) d = g_variant_dict_new(settings);
		g_autoptr(GVariant) merged = NULL;
		g_autoptr(RoadieProfile) none = NULL;

		g_variant_dict_insert_value(d, "ipsec-private-key-data",
					    g_variant_new_from_bytes(G_VARIANT_TYPE_BYTESTRING, key,
								     TRUE));
		merged = g_variant_ref_sink(g_variant_dict_end(d));
		none = roadie_profile_new_from_variant(merged, NULL, 0, &problems, NULL);
		g_assert_null(none);
		g_assert_cmpstr(((RoadieProblem *)problems->pdata[0])->rule, ==,
				"secret-misplaced");
		g_clear_pointer(&problems, g_ptr_array_unref);
		(void)wrong;
	}

	/* certificate data without a key and not a PKCS#12: the key is missing */
	{
		g_autoptr(GVariant) no_secrets = data_dict(NULL, NULL);
		g_autoptr(RoadieProfile) none = roadie_profile_new_from_variant(
			settings, no_secrets, ROADIE_CHECK_SECRETS, &problems, NULL);

		g_assert_null(none);
		g_assert_cmpstr(((RoadieProblem *)problems->pdata[0])->key, ==,
				"ipsec.private-key");
		g_clear_pointer(&problems, g_ptr_array_unref);
	}

	/* over 1 MiB */
	{
		g_autoptr(GBytes) big = g_bytes_new_take(g_malloc0((1 << 20) + 1), (1 << 20) + 1);
		g_autoptr(GVariant) huge = data_dict("ipsec-certificate-data", big);
		g_autoptr(RoadieProfile) none = roadie_profile_new_from_variant(huge, NULL, 0,
										&problems, NULL);
		const RoadieProblem *first;

		g_assert_null(none);
		first = problems->pdata[0];
		g_assert_cmpstr(first->key, ==, "ipsec.certificate-data");
		g_assert_nonnull(strstr(first->message, "larger than 1 MiB"));
	}
}

/* ---- files ---- */

static void test_save_file(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("roadie-profile-XXXXXX", &error);
	g_autofree char *path = g_build_filename(dir, "office.conf", NULL);
	g_autoptr(RoadieProfile) p = full_profile();
	g_autoptr(RoadieProfile) again = NULL;
	struct stat before, after;
	char buf[16];
	int fd;

	g_assert_no_error(error);
	g_assert_true(roadie_profile_save_file(p, path, true, &error));
	g_assert_no_error(error);
	g_assert_cmpint(g_stat(path, &before), ==, 0);
	g_assert_cmpuint(before.st_mode & 07777, ==, 0600);
	again = roadie_profile_load_file(path, 0, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(roadie_profile_equal(p, again));

	/* replaced, not rewritten: a reader holding the old file still sees it whole */
	fd = g_open(path, O_RDONLY, 0);
	g_assert_cmpint(fd, >=, 0);
	p->mtu = 1300;
	g_assert_true(roadie_profile_save_file(p, path, false, &error));
	g_assert_cmpint(g_stat(path, &after), ==, 0);
	g_assert_cmpuint(after.st_mode & 07777, ==, 0600);
	g_assert_cmpuint(before.st_ino, !=, after.st_ino);
	g_assert_cmpint(read(fd, buf, sizeof(buf)), ==, sizeof(buf));
	g_assert_true(memcmp(buf, "[connection]\nname", sizeof(buf)) == 0);
	close(fd);
	g_clear_pointer(&again, roadie_profile_free);
	again = roadie_profile_load_file(path, 0, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(again->mtu, ==, 1300);
	g_assert_null(again->psk);

	g_assert_cmpint(g_unlink(path), ==, 0);
	g_assert_cmpint(g_rmdir(dir), ==, 0);
}

static void test_load_file_name(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("roadie-profile-XXXXXX", &error);
	g_autofree char *path = g_build_filename(dir, "Home Office.conf", NULL);
	g_autofree char *missing = g_build_filename(dir, "missing.conf", NULL);
	g_autoptr(RoadieProfile) p = NULL;
	g_autoptr(GPtrArray) problems = NULL;
	const RoadieProblem *first;

	g_assert_true(g_file_set_contents(path, CONN PPP, -1, &error));
	p = roadie_profile_load_file(path, 0, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(p->name, ==, "Home Office");

	g_clear_pointer(&p, roadie_profile_free);
	p = roadie_profile_load_file(missing, 0, &problems, &error);
	g_assert_null(p);
	g_assert_error(error, ROADIE_PROFILE_ERROR, 0);
	first = problems->pdata[0];
	g_assert_cmpstr(first->rule, ==, "file-unreadable");
	g_assert_true(g_str_has_suffix(first->message, "missing.conf': No such file or directory"));

	g_clear_pointer(&problems, g_ptr_array_unref);
	g_clear_error(&error);
	p = roadie_profile_load_file(dir, 0, &problems, &error);
	g_assert_null(p);
	first = problems->pdata[0];
	g_assert_cmpstr(first->rule, ==, "file-unreadable");

	g_assert_cmpint(g_unlink(path), ==, 0);
	g_assert_cmpint(g_rmdir(dir), ==, 0);
}

/* ---- certificate and key files ---- */

static void test_files_valid(void)
{
	static const struct {
		const char *ipsec;
		RoadieCheckFlags flags;
	} cases[] = {
		{ CERT_PEM KEY_PEM "ca-certificate=@DATA@/ca.pem\n", 0 },
		{ "certificate=@DATA@/client.der\nprivate-key=@DATA@/client.key.der\n", 0 },
		{ "certificate=@DATA@/client.p12\n", 0 },
		{ "certificate=@DATA@/client.p12\nprivate-key-password=test-p12-pass\n",
		  ROADIE_CHECK_SECRETS },
		{ CERT_PEM "private-key=@DATA@/client-encrypted.key\n", 0 },
		{ CERT_PEM "private-key=@DATA@/client-encrypted.key\n"
			   "private-key-password=test-key-pass\n",
		  ROADIE_CHECK_SECRETS },
		{ CERT_PEM "private-key=@DATA@/client.p12\nprivate-key-password=test-p12-pass\n",
		  ROADIE_CHECK_SECRETS },
		{ "certificate=@DATA@/client.der\n" KEY_PEM "ca-certificate=@DATA@/client.der\n",
		  0 },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *raw = g_strdup_printf(CONN "[ppp]\nuser=alice\npassword=pw\n"
							    "[ipsec]\nauth=cert\n%s",
						       cases[i].ipsec);
		g_autofree char *text = expand(raw);
		g_autoptr(GError) error = NULL;
		g_autoptr(RoadieProfile) p = roadie_profile_load_data(
			text, strlen(text), cases[i].flags | ROADIE_CHECK_FILES, NULL, &error);

		g_assert_no_error(error);
		g_assert_nonnull(p);
	}
}

static void test_files_invalid(void)
{
	static const struct {
		const char *ipsec;
		RoadieCheckFlags flags;
		const char *message; /* after the data directory */
	} cases[] = {
		{ CERT_PEM "private-key=@DATA@/client-encrypted.key\n", ROADIE_CHECK_SECRETS,
		  "ipsec.private-key-password: missing: '@DATA@/client-encrypted.key' is "
		  "encrypted" },
		{ CERT_PEM "private-key=@DATA@/client-encrypted.key\nprivate-key-password=nope\n",
		  0, "ipsec.private-key-password: does not decrypt '@DATA@/client-encrypted.key'" },
		{ "certificate=@DATA@/client.p12\nprivate-key-password=nope\n", 0,
		  "ipsec.private-key-password: does not decrypt '@DATA@/client.p12'" },
		{ "certificate=@DATA@/client.p12\n", ROADIE_CHECK_SECRETS,
		  "ipsec.private-key-password: missing: '@DATA@/client.p12' is encrypted" },
		{ "certificate=@DATA@/client.key\n" KEY_PEM, 0,
		  "ipsec.certificate: '@DATA@/client.key' is not a PEM or DER X.509 certificate "
		  "or a PKCS#12 file" },
		{ CERT_PEM "private-key=@DATA@/client.pem\n", 0,
		  "ipsec.private-key: '@DATA@/client.pem' is not a PEM or DER private key or a "
		  "PKCS#12 file" },
		{ CERT_PEM KEY_PEM "ca-certificate=@DATA@/client.p12\n", 0,
		  "ipsec.ca-certificate: '@DATA@/client.p12' is not a PEM or DER X.509 "
		  "certificate" },
		{ CERT_PEM "private-key=@DATA@\n", 0,
		  "ipsec.private-key: cannot read '@DATA@': not a regular file" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *raw = g_strdup_printf(CONN "[ppp]\nuser=alice\npassword=pw\n"
							    "[ipsec]\nauth=cert\n%s",
						       cases[i].ipsec);
		g_autofree char *text = expand(raw);
		g_autofree char *message = expand(cases[i].message);
		g_autoptr(GPtrArray) problems = NULL;
		const RoadieProblem *first =
			first_problem(text, cases[i].flags | ROADIE_CHECK_FILES, &problems);

		g_assert_cmpstr(first->message, ==, message);
		g_assert_cmpuint(problems->len, ==, 1);
	}
}

/* ---- hostile text ---- */

static void assert_secret_hidden(GPtrArray *problems, GError *error, const char *secret)
{
	g_assert_nonnull(error);
	g_assert_null(strstr(error->message, secret));
	for (guint j = 0; j < problems->len; j++) {
		const RoadieProblem *problem = problems->pdata[j];

		g_assert_null(strstr(problem->message, secret));
		g_assert_null(strstr(problem->message, "SSSS"));
	}
}

static void test_secrets_never_shown(void)
{
	const char *secret = "Hunter2-Very-Secret";
	g_autofree char *long_secret = g_strnfill(5000, 'S');
	g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *variant = g_strdup_printf(
		"({'gateway': <'vpn.example.com'>, 'user': <'alice'>, 'ipsec-psk': <'%s'>}, "
		"{'password': <'%s%s'>, 'l2tp-secret': <uint32 5>})",
		secret, secret, long_secret);
	g_autoptr(GPtrArray) problems = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieProfile) p = NULL;

	g_ptr_array_add(texts, g_strdup_printf(CONN "psk=%s\n" PPP, secret)); /* wrong group */
	g_ptr_array_add(texts, g_strdup_printf(CONN PPP "[ipsec]\npsk=%s\npsk=%s\n", secret,
					       secret));
	g_ptr_array_add(texts, g_strdup_printf(CONN PPP "[ipsec]\npsk=%s%s\n", secret,
					       long_secret));
	g_ptr_array_add(texts, g_strdup_printf(CONN PPP "[ipsec]\npsk=%s\n[foo]\nbar=%s\n",
					       secret, secret));
	g_ptr_array_add(texts, g_strdup_printf(CONN PPP "password=%s\\q\n", secret));
	g_ptr_array_add(texts, g_strdup_printf(CONN PPP "password=%s\xff\n", secret));
	g_ptr_array_add(texts, g_strdup_printf(CONN PPP "password %s\n", secret));
	g_ptr_array_add(texts, g_strdup_printf(CONN PPP "[ipsec]\npsk: %s\n", secret));
	g_ptr_array_add(texts, g_strdup_printf("psk=%s\n" CONN PPP, secret));
	for (guint i = 0; i < texts->len; i++) {
		p = load_from(SOURCE_KEYFILE, texts->pdata[i], ROADIE_CHECK_SECRETS, &problems,
			      &error);
		g_assert_null(p);
		assert_secret_hidden(problems, error, secret);
		g_clear_pointer(&problems, g_ptr_array_unref);
		g_clear_error(&error);
	}
	p = load_from(SOURCE_VARIANT, variant, ROADIE_CHECK_SECRETS, &problems, &error);
	g_assert_null(p);
	assert_secret_hidden(problems, error, secret);
}

static void test_problems_capped(void)
{
	GString *s = g_string_new(CONN PPP);
	g_autoptr(GPtrArray) problems = NULL;

	for (int i = 0; i < 2000; i++)
		g_string_append(s, "garbage\n");
	first_problem(s->str, 0, &problems);
	g_assert_cmpuint(problems->len, <=, 100);
	g_string_free(s, TRUE);
}

static void test_problems_all_at_once(void)
{
	const char *text = "[connection]\ngateway=-bad-\n[ppp]\nmtu=1\nmru=x\n[ip]\nipv6=perhaps\n";
	static const char *const rules[] = { "number-invalid", "bool-invalid", "gateway-invalid",
					     "user-missing", "mtu-range" };
	static const int lines[] = { 5, 7, 2, 3, 4 };
	g_autoptr(GPtrArray) problems = NULL;

	first_problem(text, 0, &problems);
	g_assert_cmpuint(problems->len, ==, G_N_ELEMENTS(rules));
	for (guint i = 0; i < problems->len; i++) {
		const RoadieProblem *problem = problems->pdata[i];

		g_assert_cmpstr(problem->rule, ==, rules[i]);
		g_assert_cmpint(problem->line, ==, lines[i]);
	}
}

static void test_syntax(void)
{
	/* what the file syntax accepts beyond the obvious */
	const char *text = "# roadie\r\n\r\n  [connection]  \r\n\tgateway = vpn.example.com\r\n"
			   "[ppp]\nuser=alice  \nmtu = 1300 \nauth=PAP, MSChap-V2\n"
			   "[ipsec]\nforce-encapsulation=YES\nike-lifetime=2H\nsa-lifetime=3600s\n"
			   "[ip]\nroutes=10.0.0.0/8,\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieProfile) p = roadie_profile_load_data(text, strlen(text), 0, NULL, &error);

	g_assert_no_error(error);
	g_assert_cmpstr(p->gateway, ==, "vpn.example.com");
	g_assert_cmpstr(p->user, ==, "alice  "); /* strings are taken as written */
	g_assert_cmpuint(p->mtu, ==, 1300);
	g_assert_cmpuint(p->ppp_auth, ==, ROADIE_PPP_AUTH_PAP | ROADIE_PPP_AUTH_MSCHAP_V2);
	g_assert_true(p->force_encapsulation);
	g_assert_cmpuint(p->ike_lifetime, ==, 7200);
	g_assert_cmpuint(p->sa_lifetime, ==, 3600);
	g_assert_cmpuint(g_strv_length(p->routes), ==, 1);
}

static void test_seconds(void)
{
	static const struct {
		const char *text;
		bool ok;
		uint32_t seconds;
	} cases[] = {
		{ "0", true, 0 },	      { "3600", true, 3600 },	 { "60s", true, 60 },
		{ "60m", true, 3600 },	      { "8h", true, 28800 },	 { "1d", true, 86400 },
		{ "4294967295", true, G_MAXUINT32 }, { "4294967296", false, 0 },
		{ "49711d", false, 0 },	      { "", false, 0 },		 { "h", false, 0 },
		{ "-1", false, 0 },	      { "+5", false, 0 },	 { "0x10", false, 0 },
		{ "5w", false, 0 },	      { "5mm", false, 0 },	 { "1 h", false, 0 },
		{ "99999999999", false, 0 },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strdup_printf(CONN PPP "[ipsec]\ndpd-timeout=%s\n"
							    "dpd-interval=0\n",
							cases[i].text);
		g_autoptr(GPtrArray) problems = NULL;
		g_autoptr(RoadieProfile) p =
			roadie_profile_load_data(text, strlen(text), 0, &problems, NULL);

		if (cases[i].ok) {
			g_assert_nonnull(p);
			g_assert_cmpuint(p->dpd_timeout, ==, cases[i].seconds);
		} else {
			g_assert_null(p);
			g_assert_cmpstr(((RoadieProblem *)problems->pdata[0])->rule, ==,
					"duration-invalid");
		}
	}
}

static void test_gateways(void)
{
	static const struct {
		const char *gateway;
		bool ok;
	} cases[] = {
		{ "vpn.example.com", true },   { "vpn.example.com.", true }, { "10.0.0.1", true },
		{ "2001:db8::1", true },       { "localhost", true },	     { "a-b.c", true },
		{ "10.0.1", false },	       { "-vpn.example.com", false },
		{ "vpn-.example", false },     { "vpn..example.com", false },
		{ ".example.com", false },     { "vpn example", false },
		{ "vpn_x.example", false },    { "[2001:db8::1]", false },
		{ "999.1.1.1", false },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *text = g_strdup_printf("[connection]\ngateway=%s\n" PPP,
							cases[i].gateway);
		g_autoptr(RoadieProfile) p =
			roadie_profile_load_data(text, strlen(text), 0, NULL, NULL);

		if (cases[i].ok != (p != NULL))
			g_test_message("gateway '%s'", cases[i].gateway);
		g_assert_true(cases[i].ok == (p != NULL));
	}
}

static void test_ids(void)
{
	static const struct {
		const char *id;
		bool ok;
	} cases[] = {
		{ "vpn.example.com", true },
		{ "fqdn:vpn.example.com", true },
		{ "FQDN:vpn.example.com", true },
		{ "email:alice@example.com", true },
		{ "ipv4:192.0.2.1", true },
		{ "ipv6:2001:db8::1", true },
		{ "dn:C=CH, O=Example, CN=vpn", true },
		{ "2001:db8::1", true },
		{ "fqdn:", false },
		{ "fqdn:not a name", false },
		{ "email:alice", false },
		{ "email:@example.com", false },
		{ "email:a@b@example.com", false },
		{ "ipv4:2001:db8::1", false },
		{ "ipv6:192.0.2.1", false },
		{ "dn:vpn", false },
		{ "   ", false },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		/* \s: the file's way to keep a leading blank */
		bool blank = cases[i].id[0] == ' ';
		g_autofree char *text = g_strdup_printf(CONN PPP "[ipsec]\nlocal-id=%s%s\n",
							blank ? "\\s" : "",
							cases[i].id + (blank ? 1 : 0));
		g_autoptr(RoadieProfile) p =
			roadie_profile_load_data(text, strlen(text), 0, NULL, NULL);

		if (cases[i].ok != (p != NULL))
			g_test_message("id '%s'", cases[i].id);
		g_assert_true(cases[i].ok == (p != NULL));
	}
}

/* Which secrets a profile wants and needs, for the front ends (roadiectl, NetworkManager). */
static void test_secrets_wanted_needed(void)
{
	g_autoptr(RoadieProfile) p = roadie_profile_new();
	const RoadieProfileKey *psk = roadie_profile_key_lookup("ipsec", "psk");
	const RoadieProfileKey *kpw = roadie_profile_key_lookup("ipsec", "private-key-password");
	const RoadieProfileKey *pw = roadie_profile_key_lookup("ppp", "password");
	const RoadieProfileKey *l2tp = roadie_profile_key_lookup("l2tp", "secret");
	const RoadieProfileKey *user = roadie_profile_key_lookup("ppp", "user");
	const RoadieProfileKey *keydata = roadie_profile_key_lookup("ipsec", "private-key-data");

	p->ipsec_auth = ROADIE_IPSEC_AUTH_PSK;
	g_assert_true(roadie_profile_secret_wanted(p, psk));
	g_assert_true(roadie_profile_secret_needed(p, psk));
	g_assert_false(roadie_profile_secret_wanted(p, kpw));
	g_assert_false(roadie_profile_secret_needed(p, kpw));
	g_assert_true(roadie_profile_secret_wanted(p, pw));
	g_assert_true(roadie_profile_secret_needed(p, pw));
	g_assert_true(roadie_profile_secret_wanted(p, l2tp));
	g_assert_false(roadie_profile_secret_needed(p, l2tp));
	g_assert_false(roadie_profile_secret_wanted(p, user));
	g_assert_false(roadie_profile_secret_wanted(p, keydata));
	p->ipsec_auth = ROADIE_IPSEC_AUTH_CERT;
	g_assert_false(roadie_profile_secret_wanted(p, psk));
	g_assert_false(roadie_profile_secret_needed(p, psk));
	g_assert_true(roadie_profile_secret_wanted(p, kpw));
	g_assert_false(roadie_profile_secret_needed(p, kpw));
	g_assert_true(roadie_profile_secret_needed(p, pw));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	for (size_t i = 0; i < G_N_ELEMENTS(fixtures); i++) {
		/* a rule with more than one fixture: the later ones are told apart by number */
		size_t nth = 0;
		g_autofree char *path = NULL;

		for (size_t j = 0; j < i; j++)
			nth += strcmp(fixtures[j].rule, fixtures[i].rule) == 0;
		path = nth ? g_strdup_printf("/profile/rule/%s/%zu", fixtures[i].rule, nth + 1)
			   : g_strdup_printf("/profile/rule/%s", fixtures[i].rule);

		g_test_add_data_func(path, &fixtures[i], test_fixture);
	}
	g_test_add_func("/profile/rules/all-tested", test_rules_all_tested);
	g_test_add_func("/profile/rules/table", test_rules_table);
	g_test_add_func("/profile/rules/messages", test_messages);
	g_test_add_func("/profile/defaults", test_defaults);
	g_test_add_func("/profile/keys/cover-struct", test_keys_cover_struct);
	g_test_add_func("/profile/keys/secrets-wanted-needed", test_secrets_wanted_needed);
	g_test_add_func("/profile/keys/names", test_keys_names);
	g_test_add_func("/profile/keys/defaults", test_keys_defaults);
	g_test_add_func("/profile/life-cycle", test_life_cycle);
	g_test_add_func("/profile/to-data/all-keys", test_full_profile_differs_everywhere);
	g_test_add_func("/profile/roundtrip/keyfile", test_roundtrip_keyfile);
	g_test_add_func("/profile/roundtrip/minimal", test_roundtrip_minimal);
	g_test_add_func("/profile/roundtrip/variant", test_roundtrip_variant);
	g_test_add_func("/profile/roundtrip/nm", test_roundtrip_nm);
	g_test_add_func("/profile/nm/hostile", test_nm_hostile);
	g_test_add_func("/profile/variant/wrong-type", test_variant_hostile);
	g_test_add_func("/profile/variant/not-a-dict", test_variant_not_a_dict);
	g_test_add_func("/profile/variant/huge", test_variant_huge);
	g_test_add_func("/profile/variant/data-keys", test_data_keys);
	g_test_add_func("/profile/file/save", test_save_file);
	g_test_add_func("/profile/file/load", test_load_file_name);
	g_test_add_func("/profile/files/valid", test_files_valid);
	g_test_add_func("/profile/files/invalid", test_files_invalid);
	g_test_add_func("/profile/secrets/never-shown", test_secrets_never_shown);
	g_test_add_func("/profile/load/capped", test_problems_capped);
	g_test_add_func("/profile/load/all-at-once", test_problems_all_at_once);
	g_test_add_func("/profile/load/syntax", test_syntax);
	g_test_add_func("/profile/load/seconds", test_seconds);
	g_test_add_func("/profile/load/gateways", test_gateways);
	g_test_add_func("/profile/load/ids", test_ids);
	return g_test_run();
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The NetworkManager-l2tp importer: a typical NetworkManager keyfile, a certificate setup
 * in the plugin's own export format, broken and hostile input. Every supported setting is
 * checked field by field, and the notes for the unsupported ones are checked word for word:
 * they are what a user switching to roadie reads.
 */
#include <string.h>
#include <glib.h>

#include "config.h"
#include "nm-l2tp-import.h"

#define DATA_DIR ROADIE_SOURCE_DIR "/tests/unit/data"

static char *read_fixture(const char *name, size_t *ret_len)
{
	g_autofree char *path = g_build_filename(DATA_DIR, name, NULL);
	g_autoptr(GError) error = NULL;
	char *data = NULL;
	gsize len = 0;

	g_assert_true(g_file_get_contents(path, &data, &len, &error));
	g_assert_no_error(error);
	*ret_len = len;
	return data;
}

static void assert_notes(GPtrArray *notes, const char *const *expected, size_t n)
{
	for (guint i = 0; i < notes->len; i++)
		g_test_message("note: %s", (const char *)notes->pdata[i]);
	g_assert_cmpuint(notes->len, ==, n);
	for (size_t i = 0; i < n; i++)
		g_assert_cmpstr(notes->pdata[i], ==, expected[i]);
}

static void test_typical(void)
{
	static const char *const expected_notes[] = {
		("require-mppe=yes: not supported: roadie does not do MPPE; IPsec already encrypts "
		"the link"),
		"nobsdcomp=yes: nothing to do: roadie never compresses PPP data (no BSD-Compress)",
		("domain=CORP: not supported: roadie sends the user name as it is; if the server "
		"wants DOMAIN\\user, write the user name that way"),
		("ipv4.route2=192.168.50.0/24,10.10.0.1: the next hop and metric are dropped: "
		"roadie routes these networks into the tunnel"),
	};
	size_t len;
	g_autofree char *data = read_fixture("nm-l2tp-typical.conf", &len);
	g_autoptr(GPtrArray) notes = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieProfile) p = roadie_nm_l2tp_import(data, len, &notes, &error);

	g_assert_no_error(error);
	g_assert_nonnull(p);

	g_assert_cmpstr(p->name, ==, "Office VPN");
	g_assert_cmpstr(p->gateway, ==, "vpn.example.com");
	g_assert_true(p->auto_reconnect);
	g_assert_cmpint(p->ipsec_auth, ==, ROADIE_IPSEC_AUTH_PSK);
	g_assert_cmpstr(roadie_secret_peek(p->psk), ==, "correct horse battery staple");
	g_assert_null(p->local_id);
	g_assert_cmpstr(p->remote_id, ==, "fqdn:vpn.example.com");
	g_assert_null(p->certificate);
	g_assert_null(p->private_key);
	g_assert_null(p->ca_certificate);
	/* strongSwan's strict '!' is kept: the proposal parser understands it */
	g_assert_cmpstr(p->ike, ==, "aes256-sha1-modp2048,aes128-sha1-modp2048!");
	g_assert_cmpstr(p->esp, ==, "aes256-sha1,aes128-sha1!");
	g_assert_cmpstr(p->pfs, ==, "none");
	g_assert_cmpuint(p->ike_lifetime, ==, 3 * 3600);
	g_assert_cmpuint(p->sa_lifetime, ==, 28800);
	g_assert_true(p->force_encapsulation);
	g_assert_cmpint(p->l2tp_source_port, ==, ROADIE_L2TP_PORT_EPHEMERAL);
	g_assert_cmpstr(p->user, ==, "alice");
	g_assert_cmpstr(roadie_secret_peek(p->password), ==, "s3cret-Pa55");
	/* refuse-eap, refuse-pap, refuse-chap; refuse-mschap=no */
	g_assert_cmpuint(p->ppp_auth, ==, ROADIE_PPP_AUTH_MSCHAP | ROADIE_PPP_AUTH_MSCHAP_V2);
	g_assert_cmpuint(p->mtu, ==, 1380);
	g_assert_cmpuint(p->mru, ==, 1380);
	g_assert_cmpuint(p->lcp_echo_interval, ==, 20);
	g_assert_cmpuint(p->lcp_echo_failures, ==, 5);
	g_assert_false(p->ipv6);
	g_assert_true(p->peer_dns);
	g_assert_false(p->default_route);
	g_assert_cmpuint(g_strv_length(p->routes), ==, 2);
	g_assert_cmpstr(p->routes[0], ==, "10.10.0.0/16");
	g_assert_cmpstr(p->routes[1], ==, "192.168.50.0/24");
	g_assert_null(p->learned_ike);

	assert_notes(notes, expected_notes, G_N_ELEMENTS(expected_notes));
}

static void test_tls(void)
{
	static const char *const expected_notes[] = {
		("user-auth-type=tls: not supported: roadie logs in to PPP with a user name and "
		"password, not with an EAP-TLS certificate; roadie will ask for a password"),
		("user-cert=/home/bob/.cert/bob-eap.pem: not supported: roadie logs in to PPP with "
		"a user name and password, not with an EAP-TLS certificate"),
		("ipsec-ikev2=yes: not supported: roadie speaks IKEv1, as L2TP/IPsec gateways do; "
		"the gateway must allow IKEv1"),
		"nodeflate=yes: nothing to do: roadie never compresses PPP data (no Deflate)",
		"mrru=1600: not supported: roadie does not do PPP multilink",
		("ipv4.routes=10.1.0.0/16 via 10.1.0.1 metric 10;172.16.0.0/12;: the next hop and "
		"metric are dropped: roadie routes these networks into the tunnel"),
		("ipv4.dns=10.1.0.53;: not supported: roadie uses the DNS servers the gateway "
		"assigns"),
		("machine-certpass-flags=1: the secret stayed in your keyring and is not in the "
		"export; roadie will ask for it"),
	};
	size_t len;
	g_autofree char *data = read_fixture("nm-l2tp-tls.conf", &len);
	g_autoptr(GPtrArray) notes = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieProfile) p = roadie_nm_l2tp_import(data, len, &notes, &error);

	g_assert_no_error(error);
	g_assert_nonnull(p);
	g_assert_cmpstr(p->name, ==, "Cert VPN");
	g_assert_cmpstr(p->gateway, ==, "203.0.113.7");
	g_assert_cmpstr(p->user, ==, "bob");
	g_assert_null(p->password);
	g_assert_cmpint(p->ipsec_auth, ==, ROADIE_IPSEC_AUTH_CERT);
	g_assert_cmpstr(p->ca_certificate, ==, "/etc/ipsec.d/cacerts/ca.pem");
	g_assert_cmpstr(p->certificate, ==, "/etc/ipsec.d/certs/bob.pem");
	g_assert_cmpstr(p->private_key, ==, "/etc/ipsec.d/private/bob.key");
	g_assert_null(p->private_key_password);
	g_assert_null(p->psk);
	/* the deprecated ipsec-gateway-id, as the remote id */
	g_assert_cmpstr(p->remote_id, ==, "gw.example.net");
	g_assert_cmpuint(p->ppp_auth, ==,
			 ROADIE_PPP_AUTH_PAP | ROADIE_PPP_AUTH_CHAP | ROADIE_PPP_AUTH_MSCHAP |
				 ROADIE_PPP_AUTH_MSCHAP_V2);
	g_assert_cmpint(p->l2tp_source_port, ==, ROADIE_L2TP_PORT_AUTO);
	g_assert_false(p->peer_dns);
	g_assert_true(p->default_route);
	g_assert_false(p->ipv6); /* no [ipv6]: roadie's default */
	g_assert_cmpuint(g_strv_length(p->routes), ==, 2);
	g_assert_cmpstr(p->routes[0], ==, "10.1.0.0/16");
	g_assert_cmpstr(p->routes[1], ==, "172.16.0.0/12");
	/* untouched defaults */
	g_assert_cmpuint(p->mtu, ==, 1400);
	g_assert_cmpstr(p->pfs, ==, "auto");

	assert_notes(notes, expected_notes, G_N_ELEMENTS(expected_notes));
}

static void test_broken(void)
{
	size_t len;
	g_autofree char *data = read_fixture("nm-l2tp-broken.conf", &len);
	g_autoptr(GPtrArray) notes = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieProfile) p = roadie_nm_l2tp_import(data, len, &notes, &error);

	g_assert_null(p);
	g_assert_null(notes); /* written only on success */
	g_assert_error(error, ROADIE_PROFILE_ERROR, 0);
	g_assert_cmpstr(error->message, ==,
			"ppp.mtu: 'lots' is not a whole number (0 to 4294967295)");
	g_assert_null(strstr(error->message, "do-not-show-me"));
}

static void test_refused(void)
{
	static const struct {
		const char *text;
		const char *message;
	} cases[] = {
		{ "", "no [vpn] group: not a NetworkManager-l2tp connection" },
		{ "not a key file", "not a NetworkManager connection file: line 1 is not a [group], "
				    "a key=value line or a #comment" },
		{ "[vpn]\ngateway=a.example\nipsec-psk Hunter2\n",
		  "not a NetworkManager connection file: line 3 is not a [group], a key=value line "
		  "or a #comment" },
		{ "[vpn\ngateway=a.example\n", "not a NetworkManager connection file" },
		{ "[connection]\nid=x\ntype=wifi\n[vpn]\ngateway=a.example\n",
		  "a NetworkManager 'wifi' connection, not an L2TP VPN" },
		{ "[connection]\nid=x\ntype=vpn\n[vpn]\n"
		  "service-type=org.freedesktop.NetworkManager.openvpn\nremote=a.example\n",
		  "a 'org.freedesktop.NetworkManager.openvpn' VPN, not NetworkManager-l2tp "
		  "(org.freedesktop.NetworkManager.l2tp)" },
		{ "[connection]\nid=x\n[vpn]\nuser=alice\n",
		  "connection.gateway: missing: set the gateway's host name or address" },
		{ "[connection]\nid=x\n[vpn]\ngateway=a.example\n",
		  "ppp.user: missing: the PPP login needs a user name" },
		{ "[vpn]\ngateway=a.example\nuser=u\nrefuse-pap=perhaps\n",
		  "refuse-pap: 'perhaps' is not a boolean: NetworkManager writes yes or no" },
		{ "[vpn]\ngateway=a.example\nuser=u\nrefuse-pap=yes\nrefuse-chap=yes\n"
		  "refuse-mschap=yes\nrefuse-mschapv2=yes\nrefuse-eap=yes\n",
		  "ppp.auth: allows no login method: list at least one of pap, chap, mschap, "
		  "mschap-v2, eap-md5" },
		{ "[vpn]\ngateway=a.example\nuser=u\nipsec-ike=aes128-sha1-modp999\n",
		  "ipsec.ike: unknown DH group 'modp999' in 'aes128-sha1-modp999'" },
		{ "[vpn]\ngateway=a.example\nuser=u\n[ipv4]\nmethod=auto\nroute1=10.1.2.3/8\n",
		  "ip.routes: '10.1.2.3/8' has host bits set; did you mean 10.0.0.0/8?" },
		{ "[vpn]\ngateway=a.example\nuser=\xff\n", "line 3: not valid UTF-8" },
		{ "[vpn]\ngateway=a.example\nuser=u\npassword=bad\\q\n",
		  "[vpn] password: the value has an invalid escape sequence" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		/* exactly the bytes, no NUL after them: the importer must not read past */
		size_t len = strlen(cases[i].text);
		g_autofree char *bytes = g_memdup2(cases[i].text, len);
		g_autoptr(GPtrArray) notes = NULL;
		g_autoptr(GError) error = NULL;
		g_autoptr(RoadieProfile) p = roadie_nm_l2tp_import(bytes, len, &notes, &error);

		if (p || !error || strcmp(error->message, cases[i].message) != 0)
			g_test_message("case %zu: %s", i, error ? error->message : "imported");
		g_assert_null(p);
		g_assert_null(notes);
		g_assert_error(error, ROADIE_PROFILE_ERROR, 0);
		g_assert_cmpstr(error->message, ==, cases[i].message);
	}
}

static void test_huge(void)
{
	GString *s = g_string_new("[vpn]\ngateway=a.example\nuser=u\n");
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieProfile) p = NULL;

	while (s->len <= 64 * 1024)
		g_string_append(s, "# padding padding padding padding padding padding\n");
	p = roadie_nm_l2tp_import(s->str, s->len, NULL, &error);
	g_assert_null(p);
	g_assert_error(error, ROADIE_PROFILE_ERROR, 0);
	g_assert_true(g_str_has_suffix(error->message, "a connection export is at most 65536"));
	g_string_free(s, TRUE);
}

static void test_unknown_keys(void)
{
	const char *text = "[connection]\nid=a/b\n[vpn]\ngateway=a.example\nuser=u\n"
			   "shiny-new-option=42\nipsec-gateway-id=old.example\n"
			   "ipsec-remote-id=10.0.0.1\nipsec-psk-flags=2\npassword-flags=1\n"
			   "ipsec-enabled=yes\nipsec-ikev2=no\n[vpn-secrets]\npassword=pw\n"
			   "mystery=Top-Secret-Value\n[ipv6]\nmethod=auto\n";
	g_autoptr(GPtrArray) notes = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(RoadieProfile) p = roadie_nm_l2tp_import(text, strlen(text), &notes, &error);
	static const char *const with_secret_note[] = {
		"id=a/b: the name became 'a-b' (a roadie name holds no '/' or control characters)",
		"shiny-new-option: unknown NetworkManager-l2tp setting; ignored",
		"mystery: unknown NetworkManager-l2tp secret; ignored",
		"ipsec-gateway-id=old.example: ignored: ipsec-remote-id replaces it",
		("ipsec-psk-flags=2: NetworkManager asked for this secret every time; roadie will "
		"ask for it too"),
	};

	g_assert_no_error(error);
	g_assert_cmpstr(p->name, ==, "a-b");
	g_assert_cmpstr(p->remote_id, ==, "10.0.0.1");
	g_assert_true(p->ipv6);
	/* password-flags=1, but the password is in the file: nothing to say */
	g_assert_cmpstr(roadie_secret_peek(p->password), ==, "pw");
	assert_notes(notes, with_secret_note, G_N_ELEMENTS(with_secret_note));
	for (guint i = 0; i < notes->len; i++)
		g_assert_null(strstr(notes->pdata[i], "Top-Secret"));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/nm-l2tp/import/typical", test_typical);
	g_test_add_func("/nm-l2tp/import/tls", test_tls);
	g_test_add_func("/nm-l2tp/import/broken", test_broken);
	g_test_add_func("/nm-l2tp/import/refused", test_refused);
	g_test_add_func("/nm-l2tp/import/huge", test_huge);
	g_test_add_func("/nm-l2tp/import/unknown-keys", test_unknown_keys);
	return g_test_run();
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The profile model: the typed settings of one connection, shared by roadied,
 * roadiectl, the applet and the NetworkManager plugin.
 *
 * A profile is stored as a GKeyFile:
 *
 *   [connection] name, gateway, auto-reconnect
 *   [ipsec]      auth, psk*, local-id, remote-id, certificate, private-key,
 *                private-key-password*, ca-certificate, ike, esp, pfs, ike-lifetime,
 *                sa-lifetime, sa-lifetime-kilobytes, force-encapsulation, fragmentation,
 *                dpd-interval, dpd-timeout
 *   [l2tp]       hostname, secret*, source-port
 *   [ppp]        user, password*, auth, mtu, mru, lcp-echo-interval, lcp-echo-failures
 *   [ip]         ipv6, peer-dns, default-route, block-ipv6, dhcp-inform, routes
 *   [learned]    ike, esp, pfs          (what roadied reported worked; front ends save it)
 *                                        (* = secret)
 *
 * Every key is described once, in the key table (profile-keys.c): its group and name, its
 * a{sv} name on roadied's D-Bus API, its NetworkManager vpn.data key, type, default and
 * range. Loading, saving, the a{sv} and NM conversions are all driven by that table, so the
 * four front ends cannot drift. Validation is driven by one table of rules
 * (profile-rules.c); each rule has an id, and every problem names the key and the problem:
 *
 *   ipsec.ike: unknown DH group 'modp999' in 'aes128-sha1-modp999'
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

#include "secret.h"

typedef enum {
	ROADIE_IPSEC_AUTH_PSK,
	ROADIE_IPSEC_AUTH_CERT,
} RoadieIpsecAuth;

typedef enum {
	ROADIE_L2TP_PORT_AUTO,      /* ephemeral behind NAT, 1701 otherwise (DESIGN.md) */
	ROADIE_L2TP_PORT_1701,
	ROADIE_L2TP_PORT_EPHEMERAL,
} RoadieL2tpPort;

/* PPP authentication methods the user allows (a bit set). */
typedef enum {
	ROADIE_PPP_AUTH_PAP = 1 << 0,
	ROADIE_PPP_AUTH_CHAP = 1 << 1,       /* CHAP-MD5, RFC 1994 */
	ROADIE_PPP_AUTH_MSCHAP = 1 << 2,     /* MS-CHAPv1, RFC 2433 */
	ROADIE_PPP_AUTH_MSCHAP_V2 = 1 << 3,  /* RFC 2759 */
	ROADIE_PPP_AUTH_EAP_MD5 = 1 << 4,    /* RFC 3748 */
} RoadiePppAuth;

typedef struct {
	/* [connection] */
	char *name;
	char *gateway; /* host name, IPv4 or IPv6 address */
	bool auto_reconnect;

	/* [ipsec] */
	int ipsec_auth; /* RoadieIpsecAuth */
	RoadieSecret *psk;
	char *local_id;  /* NULL: our address; "fqdn:…", "email:…", an address, or a name */
	char *remote_id; /* NULL: the gateway's address */
	char *certificate; /* path: PEM, DER or PKCS#12 */
	char *private_key; /* path: PEM, DER or PKCS#12; NULL when inside the PKCS#12 */
	RoadieSecret *private_key_password;
	char *ca_certificate; /* path; NULL: the system trust store */
	/* the contents of those files as the front end read them (roadied opens no path a
	 * caller names): D-Bus ipsec-certificate-data, ipsec-private-key-data (a secret) and
	 * ipsec-ca-certificate-data, each ay; NULL when not given. Never in a keyfile. */
	GBytes *certificate_data;
	GBytes *private_key_data;
	GBytes *ca_certificate_data;
	char *ike;            /* proposal list, strongSwan syntax (proposal.h) */
	char *esp;
	char *pfs;            /* "auto", "none" or a DH group name ("modp2048") */
	uint32_t ike_lifetime; /* seconds */
	uint32_t sa_lifetime;  /* seconds */
	uint32_t sa_lifetime_kilobytes; /* 0: none */
	bool force_encapsulation;
	bool fragmentation;    /* IKE fragmentation offered and used (default true) */
	uint32_t dpd_interval; /* seconds; 0 = DPD off */
	uint32_t dpd_timeout;  /* seconds */

	/* [l2tp] */
	char *l2tp_hostname;
	RoadieSecret *l2tp_secret; /* tunnel authentication, RFC 2661 §5.1.1 */
	int l2tp_source_port;      /* RoadieL2tpPort */

	/* [ppp] */
	char *user;
	RoadieSecret *password;
	uint32_t ppp_auth; /* RoadiePppAuth bits */
	uint32_t mtu;
	uint32_t mru;
	uint32_t lcp_echo_interval; /* seconds; 0 = off */
	uint32_t lcp_echo_failures;

	/* [ip] */
	bool ipv6;
	bool peer_dns;
	bool default_route;
	bool block_ipv6;       /* default-route mode: blackhole IPv6 rather than leak it */
	bool dhcp_inform;      /* DHCPINFORM through the tunnel for the DNS suffix and routes */
	char **routes; /* NULL-terminated "10.1.0.0/16", "2001:db8::/32"; NULL or empty: none */

	/* [learned] */
	char *learned_ike; /* one suite, profile syntax; NULL: nothing learned yet */
	char *learned_esp;
	char *learned_pfs;
} RoadieProfile;

/* ---- the key table ---- */

typedef enum {
	ROADIE_KEY_STRING,
	ROADIE_KEY_PATH,     /* a file name; ~ is not expanded */
	ROADIE_KEY_SECRET,   /* RoadieSecret *; never in a{sv} settings, only in the secrets */
	ROADIE_KEY_BOOL,
	ROADIE_KEY_UINT,     /* uint32_t within [min, max] */
	ROADIE_KEY_SECONDS,  /* uint32_t; text "3600", "60m", "8h", "1d" */
	ROADIE_KEY_ENUM,     /* int; text one of choices[] (its index is the value) */
	ROADIE_KEY_FLAGS,    /* uint32_t bit set; text a comma list of choices[] (bit i = 1 << i) */
	ROADIE_KEY_STRV,     /* char **; text a comma list */
	ROADIE_KEY_BYTES,    /* GBytes *; D-Bus ay only: never in a keyfile or NM's vpn.data
			      * (the contents of a file the front end read) */
} RoadieKeyType;

typedef struct {
	const char *group;   /* "ipsec" */
	const char *key;     /* "psk" */
	const char *dbus;    /* a{sv} name on roadied's API: "ipsec-psk" */
	const char *nm;      /* NetworkManager vpn.data (or vpn.secrets) key: "ipsec-psk" */
	RoadieKeyType type;
	size_t offset;       /* of the field in RoadieProfile */
	const char *default_text; /* default in the file syntax; NULL: unset */
	uint32_t min, max;   /* UINT and SECONDS */
	const char *const *choices; /* ENUM and FLAGS, NULL-terminated */
	const char *help;    /* one line for roadiectl and the editors */
	bool secret;         /* BYTES: key material, carried in the secrets a{sv} */
} RoadieProfileKey;

/* Whether @key travels in the secrets a{sv} (SECRET, and BYTES marked secret). */
bool roadie_profile_key_is_secret(const RoadieProfileKey *key);
/* The secrets @profile's methods can use, which front ends look up (the keyring,
 * NetworkManager's secret agents): the PSK only with auth=psk, the key's password only with
 * auth=cert, the others always; false for a key that is no secret or is a file's contents. */
bool roadie_profile_secret_wanted(const RoadieProfile *profile, const RoadieProfileKey *key);
/* The secrets without which @profile cannot connect, which front ends ask the user for when
 * nobody gave them: the PSK with auth=psk, and the PPP password. (A certificate's key
 * password is needed only when its file is encrypted: the front end that reads it knows.) */
bool roadie_profile_secret_needed(const RoadieProfile *profile, const RoadieProfileKey *key);

const RoadieProfileKey *roadie_profile_keys(size_t *ret_n);
const RoadieProfileKey *roadie_profile_key_lookup(const char *group, const char *key);
const RoadieProfileKey *roadie_profile_key_by_dbus(const char *name);
const RoadieProfileKey *roadie_profile_key_by_nm(const char *name);

/* ---- life cycle ---- */

RoadieProfile *roadie_profile_new(void); /* every key at its default */
RoadieProfile *roadie_profile_copy(const RoadieProfile *profile);
/* Frees, wiping the secrets; accepts NULL; returns NULL. */
RoadieProfile *roadie_profile_free(RoadieProfile *profile);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RoadieProfile, roadie_profile_free)
/* Every key equal (secrets compared in constant time; NULL and empty routes alike); two NULL
 * profiles are equal. For editors ("changed?") and the round-trip tests. */
bool roadie_profile_equal(const RoadieProfile *a, const RoadieProfile *b);

/* ---- validation ---- */

typedef enum {
	ROADIE_CHECK_DEFAULT = 0,
	ROADIE_CHECK_SECRETS = 1 << 0, /* the secrets the chosen methods need must be present */
	ROADIE_CHECK_FILES = 1 << 1,   /* certificate, key and CA files must be readable and parse */
} RoadieCheckFlags;

typedef struct {
	const char *rule; /* rule id, e.g. "ike-unknown-dh" (static) */
	char *key;        /* "ipsec.ike" */
	char *message;    /* "ipsec.ike: unknown DH group 'modp999' in 'aes128-sha1-modp999'" */
	int line;         /* line in the file, 0 if not from a file */
} RoadieProblem;

void roadie_problem_free(RoadieProblem *problem);

typedef struct RoadieProfileRule RoadieProfileRule;

/* Adds the problems of one rule, each under rule->id. */
typedef void (*RoadieProfileCheckFunc)(const RoadieProfile *profile, RoadieCheckFlags flags,
				       const RoadieProfileRule *rule, GPtrArray *problems);

struct RoadieProfileRule {
	const char *id;      /* "gateway-missing" */
	const char *summary; /* "the gateway is missing" */
	const char *key;     /* what it is about: "connection.gateway", "file"; NULL: any key */
	RoadieProfileCheckFunc check; /* NULL: the loaders apply it to the raw input */
};

/* Every rule, including those the loader applies to the raw text (non-UTF-8, duplicates). */
const RoadieProfileRule *roadie_profile_rules(size_t *ret_n);

/* Returns every problem (a GPtrArray of RoadieProblem, empty when the profile is good). */
GPtrArray *roadie_profile_check(const RoadieProfile *profile, RoadieCheckFlags flags);

/* GError domain for the convenience functions: code 0, message of the first problem. */
#define ROADIE_PROFILE_ERROR (roadie_profile_error_quark())
GQuark roadie_profile_error_quark(void);

/* ---- GKeyFile ---- */

/*
 * Parses @data (hostile: checked for UTF-8, duplicate groups and keys, unknown groups and
 * keys, type and range), then validates with @flags. Returns the profile, or NULL and every
 * problem in @ret_problems (if not NULL) and the first one in @error.
 */
RoadieProfile *roadie_profile_load_data(const char *data, size_t len, RoadieCheckFlags flags,
					GPtrArray **ret_problems, GError **error);
RoadieProfile *roadie_profile_load_file(const char *path, RoadieCheckFlags flags,
					GPtrArray **ret_problems, GError **error);
/* Sets the secrets found in @data, a key file holding only secret keys ("[ipsec]\npsk=...");
 * for secrets that come apart from the profile (standard input, a keyring). On a problem
 * (a non-secret key, bad syntax) nothing is changed. */
bool roadie_profile_merge_secrets(RoadieProfile *profile, const char *data, size_t len,
				  GPtrArray **ret_problems, GError **error);
/* Keys at their default are left out; secrets are written only if @with_secrets. */
char *roadie_profile_to_data(const RoadieProfile *profile, bool with_secrets, size_t *ret_len);
/* Atomic replace (write a temporary file, fsync, rename), mode 0600. */
bool roadie_profile_save_file(const RoadieProfile *profile, const char *path, bool with_secrets,
			      GError **error);

/* ---- a{sv} (roadied's Connect(settings, secrets, options)) ---- */

GVariant *roadie_profile_to_settings(const RoadieProfile *profile); /* a{sv}, no secrets */
GVariant *roadie_profile_to_secrets(const RoadieProfile *profile);  /* a{sv}, secrets only */
/* Hostile input: unknown names and wrong types are problems; then validated with @flags. */
RoadieProfile *roadie_profile_new_from_variant(GVariant *settings, GVariant *secrets,
					       RoadieCheckFlags flags, GPtrArray **ret_problems,
					       GError **error);

/* ---- NetworkManager vpn.data / vpn.secrets (string → string) ---- */

GHashTable *roadie_profile_to_nm_data(const RoadieProfile *profile);
GHashTable *roadie_profile_to_nm_secrets(const RoadieProfile *profile);
RoadieProfile *roadie_profile_new_from_nm(GHashTable *data, GHashTable *secrets,
					  RoadieCheckFlags flags, GPtrArray **ret_problems,
					  GError **error);

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The validation rules: one table, one row per rule id. A row's check function reports only
 * problems under its own id, so the table is the complete list of what can be wrong and in
 * which order it is reported; the rows without a function are applied by the loaders, which
 * see what the typed profile no longer shows (the raw text, duplicate keys, wrong types).
 *
 * Every message starts with the key it is about and says what to do, because it is shown as
 * is by roadiectl, the applet and the NetworkManager editor. Secrets are never quoted.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "profile-private.h"
#include "proposal.h"

/* A certificate or key file is a few KiB; a bundle of CAs a few hundred. */
#define RULES_MAX_CRYPTO_FILE (1024 * 1024)

#define PPP_AUTH_ALL                                                                             \
	(ROADIE_PPP_AUTH_PAP | ROADIE_PPP_AUTH_CHAP | ROADIE_PPP_AUTH_MSCHAP |                    \
	 ROADIE_PPP_AUTH_MSCHAP_V2 | ROADIE_PPP_AUTH_EAP_MD5)

G_GNUC_PRINTF(4, 5)
static void rules_report(GPtrArray *problems, const RoadieProfileRule *rule, const char *key,
			 const char *format, ...)
{
	g_autofree char *text = NULL;
	va_list args;

	va_start(args, format);
	text = g_strdup_vprintf(format, args);
	va_end(args);
	roadie_profile_problems_add(problems, rule->id, key, 0, "%s", text);
}

/* ---- text helpers ---- */

/* Valid UTF-8 without C0/C1 control characters: what can be shown and sent safely. */
static bool rules_text_clean(const char *text)
{
	if (!g_utf8_validate(text, -1, NULL))
		return false;
	for (const char *p = text; *p; p = g_utf8_next_char(p))
		if (g_unichar_iscntrl(g_utf8_get_char(p)))
			return false;
	return true;
}

static bool rules_text_blank(const char *text)
{
	for (const char *p = text; *p; p++)
		if (!g_ascii_isspace(*p))
			return false;
	return true;
}

/* Messages from the proposal parser quote the user's text: defuse control characters. */
static void rules_defuse(char *message)
{
	for (unsigned char *p = (unsigned char *)message; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			*p = '?';
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) /* C1 controls in UTF-8 */
			p[0] = p[1] = '?';
	}
}

/*
 * Why @name is not a DNS host name (RFC 1123 §2.1: labels of letters, digits and '-', not
 * starting or ending with '-', at most 63 octets; the name at most 253), or NULL if it is one.
 * A final dot (absolute name) is allowed.
 */
static char *rules_hostname_problem(const char *name)
{
	g_auto(GStrv) labels = NULL;
	size_t len = strlen(name);
	bool numeric = true;
	size_t last = 0;

	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0)
		return g_strdup("it is empty");
	if (len > 253)
		return g_strdup_printf("it is %zu characters long; at most 253 are allowed", len);
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (g_ascii_isalnum(c) || c == '-' || c == '.')
			continue;
		if (c == '_')
			return g_strdup("'_' is not allowed in host names");
		if (g_ascii_isprint(c))
			return g_strdup_printf("'%c' is not allowed in host names", c);
		return g_strdup("only letters, digits, '-' and '.' are allowed in host names");
	}
	labels = g_strsplit(name, ".", -1);
	for (size_t i = 0; labels[i]; i++) {
		size_t n = strlen(labels[i]);

		if (n == 0 && !labels[i + 1] && i > 0)
			break; /* the final dot */
		if (n == 0)
			return g_strdup("it has an empty label ('..' or a leading '.')");
		if (n > 63)
			return g_strdup("a label is longer than 63 characters");
		if (labels[i][0] == '-' || labels[i][n - 1] == '-')
			return g_strdup("a label starts or ends with '-'");
		last = i;
	}
	for (const char *p = labels[last]; *p; p++)
		if (!g_ascii_isdigit(*p))
			numeric = false;
	/* "10.1.2" is no name: resolvers would read it as an IPv4 address in old notation */
	if (numeric)
		return g_strdup("it looks like an incomplete IPv4 address");
	return NULL;
}

/* ---- files ---- */

/* Reads a certificate or key file: regular, at most 1 MiB. O_NONBLOCK: a FIFO must not hang
 * the check; the fstat() then turns it down. */
static GBytes *rules_read_file(const char *path, char **ret_error)
{
	g_autofree char *data = NULL;
	struct stat st;
	size_t done = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		*ret_error = g_strdup(g_strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		*ret_error = g_strdup("not a regular file");
		close(fd);
		return NULL;
	}
	if (st.st_size > RULES_MAX_CRYPTO_FILE) {
		*ret_error = g_strdup("larger than 1 MiB, so not a certificate or key");
		close(fd);
		return NULL;
	}
	data = g_malloc(st.st_size + 1);
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, data + done, st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*ret_error = g_strdup(g_strerror(errno));
			close(fd);
			return NULL;
		}
		if (n == 0)
			break; /* shrank while we read: take what is there */
		done += n;
	}
	close(fd);
	/* a private key among them: wiped when done */
	return roadie_wiped_bytes_take(g_steal_pointer(&data), done);
}

/* The file, or NULL when it is unset or unreadable (file-unreadable says so). */
static GBytes *rules_read(const char *path)
{
	g_autofree char *error = NULL;

	if (!path || !g_path_is_absolute(path))
		return NULL;
	return rules_read_file(path, &error);
}

static X509 *rules_load_cert(GBytes *bytes)
{
	gsize len;
	const unsigned char *data = g_bytes_get_data(bytes, &len);
	const unsigned char *p = data;
	X509 *cert = NULL;
	BIO *bio;

	if (len > INT32_MAX)
		return NULL;
	bio = BIO_new_mem_buf(data, (int)len);
	if (bio) {
		cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		BIO_free(bio);
	}
	if (!cert) {
		/* DER: the whole file must be one certificate */
		cert = d2i_X509(NULL, &p, (long)len);
		if (cert && p != data + len)
			g_clear_pointer(&cert, X509_free);
	}
	ERR_clear_error();
	return cert;
}

static PKCS12 *rules_load_pkcs12(GBytes *bytes)
{
	gsize len;
	const unsigned char *data = g_bytes_get_data(bytes, &len);
	const unsigned char *p = data;
	PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)MIN(len, (gsize)INT32_MAX));

	if (p12 && p != data + len)
		g_clear_pointer(&p12, PKCS12_free);
	ERR_clear_error();
	return p12;
}

typedef enum {
	KEY_OK,        /* parsed (and decrypted, if it was encrypted) */
	KEY_LOCKED,    /* encrypted, and no password given */
	KEY_WRONG,     /* encrypted, and the password does not open it */
	KEY_NOT_A_KEY, /* none of the formats */
} KeyState;

typedef struct {
	const RoadieSecret *password;
	bool asked;
} KeyPassword;

static int rules_password_cb(char *buf, int size, int rwflag, void *user_data)
{
	KeyPassword *ctx = user_data;
	size_t len;

	ctx->asked = true;
	if (!ctx->password)
		return -1;
	len = roadie_secret_len(ctx->password);
	if (len > (size_t)size)
		return -1;
	memcpy(buf, roadie_secret_peek(ctx->password), len);
	return (int)len;
}

/* Whether @p12 opens with @password; without one, whether it needs one at all. */
static KeyState rules_pkcs12_state(PKCS12 *p12, const RoadieSecret *password)
{
	KeyState state;

	if (password)
		state = PKCS12_verify_mac(p12, roadie_secret_peek(password),
					  (int)roadie_secret_len(password)) ?
				KEY_OK :
				KEY_WRONG;
	else
		state = PKCS12_verify_mac(p12, NULL, 0) || PKCS12_verify_mac(p12, "", 0) ?
				KEY_OK :
				KEY_LOCKED;
	ERR_clear_error();
	return state;
}

/* Classifies a private key file: PEM (plain or encrypted), DER (plain PKCS#8 or traditional,
 * or encrypted PKCS#8) or PKCS#12. @ret_key gets the key when it could be read. */
static KeyState rules_load_key(GBytes *bytes, const RoadieSecret *password, EVP_PKEY **ret_key)
{
	gsize len;
	const unsigned char *data = g_bytes_get_data(bytes, &len);
	const unsigned char *p = data;
	KeyPassword ctx = { .password = password };
	EVP_PKEY *key = NULL;
	PKCS12 *p12;
	BIO *bio;
	KeyState state = KEY_NOT_A_KEY;

	if (len > INT32_MAX)
		return KEY_NOT_A_KEY;
	bio = BIO_new_mem_buf(data, (int)len);
	if (bio) {
		key = PEM_read_bio_PrivateKey(bio, NULL, rules_password_cb, &ctx);
		BIO_free(bio);
	}
	if (!key && !ctx.asked) {
		key = d2i_AutoPrivateKey(NULL, &p, (long)len);
		if (key && p != data + len)
			g_clear_pointer(&key, EVP_PKEY_free);
	}
	if (!key && !ctx.asked) {
		bio = BIO_new_mem_buf(data, (int)len);
		if (bio) {
			key = d2i_PKCS8PrivateKey_bio(bio, NULL, rules_password_cb, &ctx);
			BIO_free(bio);
		}
	}
	ERR_clear_error();
	if (key) {
		*ret_key = key;
		return KEY_OK;
	}
	if (ctx.asked)
		return password ? KEY_WRONG : KEY_LOCKED;

	p12 = rules_load_pkcs12(bytes);
	if (p12) {
		state = rules_pkcs12_state(p12, password);
		PKCS12_free(p12);
	}
	return state;
}

static bool rules_has_pkcs12_extension(const char *path)
{
	return g_str_has_suffix(path, ".p12") || g_str_has_suffix(path, ".pfx") ||
	       g_str_has_suffix(path, ".P12") || g_str_has_suffix(path, ".PFX");
}

/* Whether the certificate file also holds the key. Without ROADIE_CHECK_FILES the name has to
 * do; with it, the content decides. */
static bool rules_certificate_is_pkcs12(const RoadieProfile *profile, RoadieCheckFlags flags)
{
	g_autoptr(GBytes) bytes = NULL;
	PKCS12 *p12;

	if (flags & ROADIE_CHECK_FILES)
		bytes = rules_read(profile->certificate);
	if (!bytes)
		return rules_has_pkcs12_extension(profile->certificate);
	p12 = rules_load_pkcs12(bytes);
	PKCS12_free(p12);
	return p12 != NULL;
}

/* ---- loader rules that also check typed values set by code ---- */

static void check_enum_range(const RoadieProfile *profile, RoadieCheckFlags flags,
			     const RoadieProfileRule *rule, GPtrArray *problems)
{
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	for (size_t i = 0; i < n; i++) {
		int value;
		size_t n_choices = 0;

		if (keys[i].type != ROADIE_KEY_ENUM)
			continue;
		value = *(const int *)((const char *)profile + keys[i].offset);
		while (keys[i].choices[n_choices])
			n_choices++;
		if (value < 0 || (size_t)value >= n_choices) {
			g_autofree char *name = roadie_profile_key_name(&keys[i]);
			g_autofree char *list = g_strjoinv(", ", (char **)keys[i].choices);

			rules_report(problems, rule, name, "%d is not one of %s", value, list);
		}
	}
}

static void check_flags_range(const RoadieProfile *profile, RoadieCheckFlags flags,
			      const RoadieProfileRule *rule, GPtrArray *problems)
{
	size_t n;
	const RoadieProfileKey *keys = roadie_profile_keys(&n);

	for (size_t i = 0; i < n; i++) {
		uint32_t bits, known = 0;

		if (keys[i].type != ROADIE_KEY_FLAGS)
			continue;
		bits = *(const uint32_t *)((const char *)profile + keys[i].offset);
		for (size_t c = 0; keys[i].choices[c] && c < 32; c++)
			known |= 1u << c;
		if (bits & ~known) {
			g_autofree char *name = roadie_profile_key_name(&keys[i]);

			rules_report(problems, rule, name, "unknown bits 0x%x are set",
				     bits & ~known);
		}
	}
}

/* ---- [connection] ---- */

static void check_name(const RoadieProfile *profile, RoadieCheckFlags flags,
		       const RoadieProfileRule *rule, GPtrArray *problems)
{
	const char *name = profile->name;
	size_t len;

	if (!name)
		return;
	len = strlen(name);
	if (len > 128)
		rules_report(problems, rule, "connection.name",
			     "is %zu bytes long; at most 128 are allowed", len);
	else if (!rules_text_clean(name))
		rules_report(problems, rule, "connection.name",
			     "contains a control character or invalid UTF-8");
	else if (rules_text_blank(name))
		rules_report(problems, rule, "connection.name", "is blank: give it a name");
	else if (strchr(name, '/'))
		/* front ends store a profile as <name>.conf */
		rules_report(problems, rule, "connection.name",
			     "contains '/', which a file name cannot hold");
}

static void check_gateway_missing(const RoadieProfile *profile, RoadieCheckFlags flags,
				  const RoadieProfileRule *rule, GPtrArray *problems)
{
	if (!profile->gateway)
		rules_report(problems, rule, "connection.gateway",
			     "missing: set the gateway's host name or address");
}

static void check_gateway(const RoadieProfile *profile, RoadieCheckFlags flags,
			  const RoadieProfileRule *rule, GPtrArray *problems)
{
	g_autofree char *why = NULL;
	g_autofree char *quoted = NULL;

	if (!profile->gateway || g_hostname_is_ip_address(profile->gateway))
		return;
	why = rules_hostname_problem(profile->gateway);
	if (!why)
		return;
	quoted = roadie_profile_quote(profile->gateway);
	rules_report(problems, rule, "connection.gateway",
		     "%s is not a host name or IP address: %s", quoted, why);
}

/* ---- [ipsec] ---- */

static void check_psk_missing(const RoadieProfile *profile, RoadieCheckFlags flags,
			      const RoadieProfileRule *rule, GPtrArray *problems)
{
	if ((flags & ROADIE_CHECK_SECRETS) && profile->ipsec_auth == ROADIE_IPSEC_AUTH_PSK &&
	    !profile->psk)
		rules_report(problems, rule, "ipsec.psk",
			     "missing: auth=psk needs a pre-shared key");
}

static void check_psk_empty(const RoadieProfile *profile, RoadieCheckFlags flags,
			    const RoadieProfileRule *rule, GPtrArray *problems)
{
	if (profile->ipsec_auth == ROADIE_IPSEC_AUTH_PSK && profile->psk &&
	    roadie_secret_len(profile->psk) == 0)
		rules_report(problems, rule, "ipsec.psk",
			     "is empty: auth=psk needs a pre-shared key");
}

static void check_cert_missing(const RoadieProfile *profile, RoadieCheckFlags flags,
			       const RoadieProfileRule *rule, GPtrArray *problems)
{
	/* the contents the front end read will do for roadied: it opens no path */
	if (profile->ipsec_auth == ROADIE_IPSEC_AUTH_CERT && !profile->certificate &&
	    !profile->certificate_data)
		rules_report(problems, rule, "ipsec.certificate",
			     "missing: auth=cert needs a certificate file");
}

static void check_key_missing(const RoadieProfile *profile, RoadieCheckFlags flags,
			      const RoadieProfileRule *rule, GPtrArray *problems)
{
	g_autofree char *quoted = NULL;

	if (profile->ipsec_auth != ROADIE_IPSEC_AUTH_CERT)
		return;
	if (profile->certificate_data) {
		/* contents given (roadied's case): the key comes as contents too, unless the
		 * certificate is a PKCS#12 that holds it */
		PKCS12 *p12;

		if (profile->private_key_data)
			return;
		p12 = rules_load_pkcs12(profile->certificate_data);
		PKCS12_free(p12);
		if (p12)
			return;
		rules_report(problems, rule, "ipsec.private-key",
			     "missing: the certificate data holds no private key; send "
			     "ipsec-private-key-data, or a PKCS#12 file that holds both");
		return;
	}
	if (!profile->certificate || profile->private_key ||
	    rules_certificate_is_pkcs12(profile, flags))
		return;
	quoted = roadie_profile_quote(profile->certificate);
	rules_report(problems, rule, "ipsec.private-key",
		     "missing: the certificate %s holds no private key; set private-key, or use "
		     "a PKCS#12 file that holds both",
		     quoted);
}

typedef struct {
	const char *key;
	size_t offset;
} PathKey;

static const PathKey path_keys[] = {
	{ "ipsec.certificate", offsetof(RoadieProfile, certificate) },
	{ "ipsec.private-key", offsetof(RoadieProfile, private_key) },
	{ "ipsec.ca-certificate", offsetof(RoadieProfile, ca_certificate) },
};

static void check_paths(const RoadieProfile *profile, RoadieCheckFlags flags,
			const RoadieProfileRule *rule, GPtrArray *problems)
{
	for (size_t i = 0; i < G_N_ELEMENTS(path_keys); i++) {
		const char *path = *(char *const *)((const char *)profile + path_keys[i].offset);
		g_autofree char *quoted = NULL;

		if (!path)
			continue;
		quoted = roadie_profile_quote(path);
		if (!rules_text_clean(path))
			rules_report(problems, rule, path_keys[i].key,
				     "%s contains a control character or invalid UTF-8", quoted);
		else if (!g_path_is_absolute(path))
			/* roadied reads the file, from its own working directory */
			rules_report(problems, rule, path_keys[i].key,
				     "%s is not an absolute path: write it from / on", quoted);
	}
}

static void check_files_readable(const RoadieProfile *profile, RoadieCheckFlags flags,
				 const RoadieProfileRule *rule, GPtrArray *problems)
{
	if (!(flags & ROADIE_CHECK_FILES) || profile->ipsec_auth != ROADIE_IPSEC_AUTH_CERT)
		return;
	for (size_t i = 0; i < G_N_ELEMENTS(path_keys); i++) {
		const char *path = *(char *const *)((const char *)profile + path_keys[i].offset);
		g_autofree char *error = NULL;
		g_autofree char *quoted = NULL;
		g_autoptr(GBytes) bytes = NULL;

		if (!path || !g_path_is_absolute(path))
			continue;
		bytes = rules_read_file(path, &error);
		if (bytes)
			continue;
		quoted = roadie_profile_quote(path);
		rules_report(problems, rule, path_keys[i].key, "cannot read %s: %s", quoted, error);
	}
}

static void check_cert_format(const RoadieProfile *profile, RoadieCheckFlags flags,
			      const RoadieProfileRule *rule, GPtrArray *problems)
{
	g_autoptr(GBytes) bytes = NULL;
	g_autofree char *quoted = NULL;
	X509 *cert;
	PKCS12 *p12;

	if (!(flags & ROADIE_CHECK_FILES) || profile->ipsec_auth != ROADIE_IPSEC_AUTH_CERT)
		return;
	bytes = rules_read(profile->certificate);
	if (!bytes)
		return;
	cert = rules_load_cert(bytes);
	p12 = cert ? NULL : rules_load_pkcs12(bytes);
	X509_free(cert);
	PKCS12_free(p12);
	if (cert || p12)
		return;
	quoted = roadie_profile_quote(profile->certificate);
	rules_report(problems, rule, "ipsec.certificate",
		     "%s is not a PEM or DER X.509 certificate or a PKCS#12 file", quoted);
}

static void check_key_format(const RoadieProfile *profile, RoadieCheckFlags flags,
			     const RoadieProfileRule *rule, GPtrArray *problems)
{
	g_autoptr(GBytes) bytes = NULL;
	g_autofree char *quoted = NULL;
	const char *path = profile->private_key;
	const char *key = "ipsec.private-key";
	EVP_PKEY *pkey = NULL;
	KeyState state;

	if (!(flags & ROADIE_CHECK_FILES) || profile->ipsec_auth != ROADIE_IPSEC_AUTH_CERT)
		return;
	if (path) {
		bytes = rules_read(path);
		if (!bytes)
			return;
		state = rules_load_key(bytes, profile->private_key_password, &pkey);
		EVP_PKEY_free(pkey);
	} else {
		/* the key lives in the PKCS#12 certificate file, if anywhere */
		PKCS12 *p12;

		path = profile->certificate;
		key = "ipsec.certificate";
		bytes = rules_read(path);
		p12 = bytes ? rules_load_pkcs12(bytes) : NULL;
		if (!p12)
			return; /* cert-format or key-missing report it */
		state = rules_pkcs12_state(p12, profile->private_key_password);
		PKCS12_free(p12);
	}

	quoted = roadie_profile_quote(path);
	switch (state) {
	case KEY_OK:
		break;
	case KEY_LOCKED:
		/* without the secrets (roadiectl checking a saved profile) encrypted is fine */
		if (flags & ROADIE_CHECK_SECRETS)
			rules_report(problems, rule, "ipsec.private-key-password",
				     "missing: %s is encrypted", quoted);
		break;
	case KEY_WRONG:
		rules_report(problems, rule, "ipsec.private-key-password", "does not decrypt %s",
			     quoted);
		break;
	case KEY_NOT_A_KEY:
		rules_report(problems, rule, key,
			     "%s is not a PEM or DER private key or a PKCS#12 file", quoted);
		break;
	}
}

static void check_key_mismatch(const RoadieProfile *profile, RoadieCheckFlags flags,
			       const RoadieProfileRule *rule, GPtrArray *problems)
{
	g_autoptr(GBytes) cert_bytes = NULL;
	g_autoptr(GBytes) key_bytes = NULL;
	EVP_PKEY *pkey = NULL;
	X509 *cert = NULL;

	if (!(flags & ROADIE_CHECK_FILES) || profile->ipsec_auth != ROADIE_IPSEC_AUTH_CERT ||
	    !profile->private_key)
		return;
	cert_bytes = rules_read(profile->certificate);
	key_bytes = rules_read(profile->private_key);
	if (cert_bytes)
		cert = rules_load_cert(cert_bytes);
	/* a key inside a PKCS#12 file comes out as KEY_OK without a key: nothing to compare */
	if (cert && key_bytes &&
	    rules_load_key(key_bytes, profile->private_key_password, &pkey) == KEY_OK && pkey &&
	    !X509_check_private_key(cert, pkey)) {
		g_autofree char *key_quoted = roadie_profile_quote(profile->private_key);
		g_autofree char *cert_quoted = roadie_profile_quote(profile->certificate);

		rules_report(problems, rule, "ipsec.private-key",
			     "%s does not belong to the certificate %s", key_quoted, cert_quoted);
	}
	ERR_clear_error();
	EVP_PKEY_free(pkey);
	X509_free(cert);
}

static void check_ca_format(const RoadieProfile *profile, RoadieCheckFlags flags,
			    const RoadieProfileRule *rule, GPtrArray *problems)
{
	g_autoptr(GBytes) bytes = NULL;
	g_autofree char *quoted = NULL;
	X509 *cert;

	if (!(flags & ROADIE_CHECK_FILES) || profile->ipsec_auth != ROADIE_IPSEC_AUTH_CERT)
		return;
	bytes = rules_read(profile->ca_certificate);
	if (!bytes)
		return;
	cert = rules_load_cert(bytes);
	X509_free(cert);
	if (cert)
		return;
	quoted = roadie_profile_quote(profile->ca_certificate);
	rules_report(problems, rule, "ipsec.ca-certificate",
		     "%s is not a PEM or DER X.509 certificate", quoted);
}

/* Why @id is not a usable IKE identity (RFC 2407 §4.6.2.1 ID types), or NULL. */
static char *rules_id_problem(const char *id)
{
	static const char *const prefixes[] = { "fqdn:", "email:", "ipv4:", "ipv6:", "dn:" };
	size_t len = strlen(id);
	const char *value = id;
	const char *prefix = NULL;
	g_autofree char *quoted = NULL;
	g_autofree char *why = NULL;
	unsigned char addr[16];

	if (len > 255)
		return g_strdup_printf("is %zu bytes long; at most 255 are allowed", len);
	if (!rules_text_clean(id))
		return g_strdup("contains a control character or invalid UTF-8");
	for (size_t i = 0; i < G_N_ELEMENTS(prefixes); i++) {
		if (g_ascii_strncasecmp(id, prefixes[i], strlen(prefixes[i])) == 0) {
			prefix = prefixes[i];
			value = id + strlen(prefixes[i]);
		}
	}
	if (rules_text_blank(value))
		return prefix ? g_strdup_printf("has nothing after '%s'", prefix) :
				g_strdup("is blank");
	quoted = roadie_profile_quote(value);
	if (!prefix)
		return NULL; /* free text: sent as a key id or name, as the gateway expects */
	if (strcmp(prefix, "fqdn:") == 0) {
		why = rules_hostname_problem(value);
		return why ? g_strdup_printf("%s is not a host name: %s", quoted, why) : NULL;
	}
	if (strcmp(prefix, "email:") == 0) {
		const char *at = strchr(value, '@');

		if (!at || at == value || strchr(at + 1, '@') || strchr(value, ' '))
			return g_strdup_printf("%s is not an e-mail address (user@example.com)",
					       quoted);
		why = rules_hostname_problem(at + 1);
		return why ? g_strdup_printf("the domain of %s is not valid: %s", quoted, why) :
			     NULL;
	}
	if (strcmp(prefix, "ipv4:") == 0)
		return inet_pton(AF_INET, value, addr) == 1 ?
			       NULL :
			       g_strdup_printf("%s is not an IPv4 address", quoted);
	if (strcmp(prefix, "ipv6:") == 0)
		return inet_pton(AF_INET6, value, addr) == 1 ?
			       NULL :
			       g_strdup_printf("%s is not an IPv6 address", quoted);
	/* "dn:" */
	return strchr(value, '=') ? NULL :
				    g_strdup_printf("%s is not a distinguished name "
						    "(C=CH, O=Example, CN=vpn.example.com)",
						    quoted);
}

static void check_ids(const RoadieProfile *profile, RoadieCheckFlags flags,
		      const RoadieProfileRule *rule, GPtrArray *problems)
{
	g_autofree char *local = profile->local_id ? rules_id_problem(profile->local_id) : NULL;
	g_autofree char *remote = profile->remote_id ? rules_id_problem(profile->remote_id) : NULL;

	if (local)
		rules_report(problems, rule, "ipsec.local-id", "%s", local);
	if (remote)
		rules_report(problems, rule, "ipsec.remote-id", "%s", remote);
}

/* Which rule a proposal error belongs to. Errors a kind cannot produce (ESP never needs a DH
 * group; only IKE refuses AEAD) fall to the nearest rule of that kind. */
static const char *rules_proposal_rule(RoadieProposalKind kind, RoadieProposalError error)
{
	bool ike = kind == ROADIE_PROPOSAL_IKE;

	switch (error) {
	case ROADIE_PROPOSAL_OK:
		return NULL;
	case ROADIE_PROPOSAL_ERR_EMPTY:
		return ike ? "ike-empty" : "esp-empty";
	case ROADIE_PROPOSAL_ERR_UNKNOWN_ENCR:
		return ike ? "ike-unknown-cipher" : "esp-unknown-cipher";
	case ROADIE_PROPOSAL_ERR_UNKNOWN_INTEG:
		return ike ? "ike-unknown-integrity" : "esp-unknown-integrity";
	case ROADIE_PROPOSAL_ERR_UNKNOWN_DH:
		return ike ? "ike-unknown-dh" : "esp-unknown-dh";
	case ROADIE_PROPOSAL_ERR_UNKNOWN_TOKEN:
		return ike ? "ike-unknown-token" : "esp-unknown-token";
	case ROADIE_PROPOSAL_ERR_NO_ENCR:
		return ike ? "ike-missing-cipher" : "esp-missing-cipher";
	case ROADIE_PROPOSAL_ERR_NO_INTEG:
		return ike ? "ike-missing-integrity" : "esp-missing-integrity";
	case ROADIE_PROPOSAL_ERR_NO_DH:
		return ike ? "ike-missing-dh" : "esp-unknown-token";
	case ROADIE_PROPOSAL_ERR_AEAD_IN_IKE:
	case ROADIE_PROPOSAL_ERR_AEAD_WITH_INTEG:
		return ike ? "ike-aead" : "esp-aead-integrity";
	case ROADIE_PROPOSAL_ERR_TOO_MANY:
		return "proposal-too-long";
	}
	return ike ? "ike-unknown-token" : "esp-unknown-token";
}

/* One function for every ike-*, esp-* and proposal-too-long row: each row reports only the
 * problem that maps to it, so every parser error lands under exactly one rule. */
static void check_proposal(const RoadieProfile *profile, RoadieCheckFlags flags,
			   const RoadieProfileRule *rule, GPtrArray *problems)
{
	const struct {
		RoadieProposalKind kind;
		const char *key;
		const char *text;
	} lists[] = {
		{ ROADIE_PROPOSAL_IKE, "ipsec.ike", profile->ike },
		{ ROADIE_PROPOSAL_ESP, "ipsec.esp", profile->esp },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(lists); i++) {
		g_autofree char *message = NULL;
		const char *text = lists[i].text ? lists[i].text : "";
		RoadieProposalError error;
		const char *id;

		if (strlen(text) > ROADIE_PROPOSAL_MAX_LEN) {
			if (strcmp(rule->id, "proposal-too-long") == 0)
				rules_report(problems, rule, lists[i].key,
					     "the list is %zu characters long; at most %d are "
					     "allowed",
					     strlen(text), ROADIE_PROPOSAL_MAX_LEN);
			continue;
		}
		error = roadie_proposal_parse(lists[i].kind, text, NULL, NULL, &message);
		id = rules_proposal_rule(lists[i].kind, error);
		if (!id || strcmp(id, rule->id) != 0)
			continue;
		if (message)
			rules_defuse(message);
		if (error == ROADIE_PROPOSAL_ERR_EMPTY && !*text)
			rules_report(problems, rule, lists[i].key,
				     "the list is empty: remove the line to use the defaults");
		else
			rules_report(problems, rule, lists[i].key, "%s",
				     message ? message : "not a proposal list");
	}
}

static char *rules_dh_names(void)
{
	static const RoadieDhGroup groups[] = {
		ROADIE_DH_MODP1024, ROADIE_DH_MODP1536, ROADIE_DH_MODP2048, ROADIE_DH_MODP3072,
		ROADIE_DH_MODP4096, ROADIE_DH_ECP256,	ROADIE_DH_ECP384,
	};
	GString *s = g_string_new(NULL);

	for (size_t i = 0; i < G_N_ELEMENTS(groups); i++)
		g_string_append_printf(s, "%s%s", i ? ", " : "", roadie_dh_group_name(groups[i]));
	return g_string_free(s, FALSE);
}

static void check_pfs(const RoadieProfile *profile, RoadieCheckFlags flags,
		      const RoadieProfileRule *rule, GPtrArray *problems)
{
	const char *pfs = profile->pfs ? profile->pfs : "";
	g_autofree char *names = NULL;
	g_autofree char *quoted = NULL;
	RoadieDhGroup group;

	if (g_ascii_strcasecmp(pfs, "auto") == 0 || g_ascii_strcasecmp(pfs, "none") == 0 ||
	    roadie_dh_group_from_name(pfs, &group))
		return;
	names = rules_dh_names();
	quoted = roadie_profile_quote(pfs);
	rules_report(problems, rule, "ipsec.pfs", "%s is not auto, none or a DH group (%s)",
		     quoted, names);
}

/* "ppp.mtu: 70000 is out of range (576–1500)", the bounds from the key table. */
static void rules_check_range(const RoadieProfile *profile, const RoadieProfileRule *rule,
			      GPtrArray *problems, const char *group, const char *name,
			      uint32_t min, uint32_t max)
{
	const RoadieProfileKey *key = roadie_profile_key_lookup(group, name);
	uint32_t value = *(const uint32_t *)((const char *)profile + key->offset);
	g_autofree char *full = roadie_profile_key_name(key);

	if (value >= min && value <= max)
		return;
	if (key->type == ROADIE_KEY_SECONDS) {
		g_autofree char *v = roadie_profile_key_format_seconds(value);
		g_autofree char *lo = roadie_profile_key_format_seconds(min);
		g_autofree char *hi = roadie_profile_key_format_seconds(max);

		rules_report(problems, rule, full, "%s is out of range (%s–%s)", v, lo, hi);
	} else {
		rules_report(problems, rule, full, "%u is out of range (%u–%u)", value, min, max);
	}
}

static void rules_check_key_range(const RoadieProfile *profile, const RoadieProfileRule *rule,
				  GPtrArray *problems, const char *group, const char *name)
{
	const RoadieProfileKey *key = roadie_profile_key_lookup(group, name);

	rules_check_range(profile, rule, problems, group, name, key->min, key->max);
}

static void check_lifetimes(const RoadieProfile *profile, RoadieCheckFlags flags,
			    const RoadieProfileRule *rule, GPtrArray *problems)
{
	rules_check_key_range(profile, rule, problems, "ipsec", "ike-lifetime");
	rules_check_key_range(profile, rule, problems, "ipsec", "sa-lifetime");
	if (profile->sa_lifetime_kilobytes) /* 0 is no limit */
		rules_check_key_range(profile, rule, problems, "ipsec", "sa-lifetime-kilobytes");
}

static void check_dpd(const RoadieProfile *profile, RoadieCheckFlags flags,
		      const RoadieProfileRule *rule, GPtrArray *problems)
{
	rules_check_key_range(profile, rule, problems, "ipsec", "dpd-interval");
	if (profile->dpd_interval == 0)
		return; /* DPD off: the timeout is unused */
	rules_check_key_range(profile, rule, problems, "ipsec", "dpd-timeout");
	if (profile->dpd_timeout < profile->dpd_interval) {
		g_autofree char *timeout = roadie_profile_key_format_seconds(profile->dpd_timeout);
		g_autofree char *interval =
			roadie_profile_key_format_seconds(profile->dpd_interval);

		rules_report(problems, rule, "ipsec.dpd-timeout",
			     "%s is shorter than dpd-interval (%s): the gateway would be given "
			     "up before it had a chance to answer",
			     timeout, interval);
	}
}

/* ---- [l2tp] ---- */

static void check_l2tp_hostname(const RoadieProfile *profile, RoadieCheckFlags flags,
				const RoadieProfileRule *rule, GPtrArray *problems)
{
	const char *name = profile->l2tp_hostname;
	size_t len;

	if (!name)
		return;
	len = strlen(name);
	/* RFC 2661 §4.4.3 leaves the Host Name AVP's content open; gateways log and compare
	 * it, so keep to printable ASCII without blanks */
	if (len > 255) {
		rules_report(problems, rule, "l2tp.hostname",
			     "is %zu bytes long; at most 255 are allowed", len);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		if (name[i] <= ' ' || name[i] >= 0x7f) {
			rules_report(problems, rule, "l2tp.hostname",
				     "contains a blank, a control or a non-ASCII character: use "
				     "letters, digits, '-' and '.'");
			return;
		}
	}
}

/* ---- [ppp] ---- */

static void check_user_missing(const RoadieProfile *profile, RoadieCheckFlags flags,
			       const RoadieProfileRule *rule, GPtrArray *problems)
{
	if (!profile->user)
		rules_report(problems, rule, "ppp.user",
			     "missing: the PPP login needs a user name");
}

static void check_user(const RoadieProfile *profile, RoadieCheckFlags flags,
		       const RoadieProfileRule *rule, GPtrArray *problems)
{
	size_t len;

	if (!profile->user)
		return;
	len = strlen(profile->user);
	/* PAP's Peer-ID Length and CHAP's Name field hold the name in one octet's worth
	 * (RFC 1334 §2.2.1) in practice: servers truncate or refuse longer names */
	if (len > 255)
		rules_report(problems, rule, "ppp.user",
			     "is %zu bytes long; at most 255 are allowed", len);
	else if (!rules_text_clean(profile->user))
		rules_report(problems, rule, "ppp.user",
			     "contains a control character or invalid UTF-8");
}

static void check_password_missing(const RoadieProfile *profile, RoadieCheckFlags flags,
				   const RoadieProfileRule *rule, GPtrArray *problems)
{
	if ((flags & ROADIE_CHECK_SECRETS) && !profile->password)
		rules_report(problems, rule, "ppp.password",
			     "missing: the PPP login needs a password");
}

static void check_ppp_auth(const RoadieProfile *profile, RoadieCheckFlags flags,
			   const RoadieProfileRule *rule, GPtrArray *problems)
{
	if (!(profile->ppp_auth & PPP_AUTH_ALL))
		rules_report(problems, rule, "ppp.auth",
			     "allows no login method: list at least one of pap, chap, mschap, "
			     "mschap-v2, eap-md5");
}

static void check_mtu(const RoadieProfile *profile, RoadieCheckFlags flags,
		      const RoadieProfileRule *rule, GPtrArray *problems)
{
	rules_check_key_range(profile, rule, problems, "ppp", "mtu");
}

static void check_mru(const RoadieProfile *profile, RoadieCheckFlags flags,
		      const RoadieProfileRule *rule, GPtrArray *problems)
{
	rules_check_key_range(profile, rule, problems, "ppp", "mru");
}

static void check_lcp_echo(const RoadieProfile *profile, RoadieCheckFlags flags,
			   const RoadieProfileRule *rule, GPtrArray *problems)
{
	rules_check_key_range(profile, rule, problems, "ppp", "lcp-echo-interval");
	if (profile->lcp_echo_interval > 0)
		rules_check_key_range(profile, rule, problems, "ppp", "lcp-echo-failures");
}

/* ---- [ip] ---- */

typedef enum {
	ROUTE_OK,
	ROUTE_INVALID,
	ROUTE_HOST_BITS,
} RouteState;

/* Parses "10.0.0.0/8" or "2001:db8::/32"; @ret_why explains ROUTE_INVALID, @ret_network is
 * the network to suggest for ROUTE_HOST_BITS. */
static RouteState rules_parse_route(const char *route, int *ret_family, char **ret_why,
				    char **ret_network)
{
	g_autofree char *addr_text = NULL;
	const char *slash = strchr(route, '/');
	unsigned char addr[16], masked[16];
	char buf[INET6_ADDRSTRLEN];
	int family = AF_INET;
	size_t bytes = 4;
	uint64_t prefix;
	bool digits = true;

	addr_text = slash ? g_strndup(route, slash - route) : g_strdup(route);
	if (inet_pton(AF_INET, addr_text, addr) != 1) {
		family = AF_INET6;
		bytes = 16;
		if (inet_pton(AF_INET6, addr_text, addr) != 1) {
			*ret_why = g_strdup("is not an IPv4 or IPv6 network (like 10.0.0.0/8)");
			return ROUTE_INVALID;
		}
	}
	if (!slash) {
		*ret_why = g_strdup_printf("has no prefix length: for one host write %s/%u",
					   addr_text, family == AF_INET ? 32 : 128);
		return ROUTE_INVALID;
	}
	for (const char *p = slash + 1; *p; p++)
		if (!g_ascii_isdigit(*p))
			digits = false;
	if (!digits || !g_ascii_string_to_unsigned(slash + 1, 10, 0, bytes * 8, &prefix, NULL)) {
		*ret_why = g_strdup_printf("has a bad prefix length: use 0 to %zu", bytes * 8);
		return ROUTE_INVALID;
	}
	for (size_t i = 0; i < bytes; i++) {
		size_t bit = i * 8;
		unsigned mask = bit + 8 <= prefix ? 0xff :
				bit >= prefix	  ? 0 :
						    (0xff00u >> (prefix - bit)) & 0xff;

		masked[i] = addr[i] & mask;
	}
	*ret_family = family;
	if (memcmp(addr, masked, bytes) != 0) {
		inet_ntop(family, masked, buf, sizeof(buf));
		*ret_network = g_strdup_printf("%s/%u", buf, (unsigned)prefix);
		return ROUTE_HOST_BITS;
	}
	return ROUTE_OK;
}

static void check_routes(const RoadieProfile *profile, RoadieCheckFlags flags,
			 const RoadieProfileRule *rule, GPtrArray *problems)
{
	for (size_t i = 0; profile->routes && profile->routes[i]; i++) {
		g_autofree char *why = NULL;
		g_autofree char *network = NULL;
		g_autofree char *quoted = roadie_profile_quote(profile->routes[i]);
		int family = AF_INET;
		RouteState state = rules_parse_route(profile->routes[i], &family, &why, &network);

		if (state == ROUTE_INVALID && strcmp(rule->id, "route-invalid") == 0)
			rules_report(problems, rule, "ip.routes", "%s %s", quoted, why);
		else if (state == ROUTE_HOST_BITS && strcmp(rule->id, "route-host-bits") == 0)
			rules_report(problems, rule, "ip.routes",
				     "%s has host bits set; did you mean %s?", quoted, network);
		else if (state != ROUTE_INVALID && family == AF_INET6 && !profile->ipv6 &&
			 strcmp(rule->id, "route-ipv6-off") == 0)
			rules_report(problems, rule, "ip.routes",
				     "%s is an IPv6 network but ip.ipv6 is false: turn IPv6 on "
				     "or drop the route",
				     quoted);
	}
}

static void check_routes_count(const RoadieProfile *profile, RoadieCheckFlags flags,
			       const RoadieProfileRule *rule, GPtrArray *problems)
{
	size_t n = profile->routes ? g_strv_length(profile->routes) : 0;

	if (n > ROADIE_PROFILE_MAX_ROUTES)
		rules_report(problems, rule, "ip.routes",
			     "lists %zu networks; at most %d are allowed: merge them into wider "
			     "networks",
			     n, ROADIE_PROFILE_MAX_ROUTES);
}

/* ---- [learned] ---- */

static char *rules_learned_problem(RoadieProposalKind kind, const char *text)
{
	g_autoptr(GArray) suites = NULL;
	g_autofree char *message = NULL;

	if (roadie_proposal_parse(kind, text, &suites, NULL, &message) != ROADIE_PROPOSAL_OK) {
		if (!message)
			return g_strdup("not a suite");
		rules_defuse(message);
		return g_steal_pointer(&message);
	}
	if (suites->len != 1)
		return g_strdup_printf("names %u suites; it must be exactly one", suites->len);
	return NULL;
}

static void check_learned(const RoadieProfile *profile, RoadieCheckFlags flags,
			  const RoadieProfileRule *rule, GPtrArray *problems)
{
	g_autofree char *ike = NULL;
	g_autofree char *esp = NULL;
	RoadieDhGroup group;

	if (profile->learned_ike)
		ike = rules_learned_problem(ROADIE_PROPOSAL_IKE, profile->learned_ike);
	if (profile->learned_esp)
		esp = rules_learned_problem(ROADIE_PROPOSAL_ESP, profile->learned_esp);

	/* roadie writes these itself; a bad one is cleared by reconnecting, so say that */
	if (ike)
		rules_report(problems, rule, "learned.ike", "%s: remove the line", ike);
	if (esp)
		rules_report(problems, rule, "learned.esp", "%s: remove the line", esp);
	if (profile->learned_pfs && g_ascii_strcasecmp(profile->learned_pfs, "none") != 0 &&
	    !roadie_dh_group_from_name(profile->learned_pfs, &group)) {
		g_autofree char *quoted = roadie_profile_quote(profile->learned_pfs);

		rules_report(problems, rule, "learned.pfs",
			     "%s is not none or a DH group: remove the line", quoted);
	}
}

/* In the order problems are reported: the raw text first, then group by group. */
static const RoadieProfileRule rules[] = {
	/* the raw input, applied by the loaders */
	{ "file-too-large", "the profile is larger than 64 KiB", "file", NULL },
	{ "non-utf8", "the profile is not valid UTF-8", "file", NULL },
	{ "keyfile-syntax", "a line is not a [group], a key=value pair or a #comment", "file",
	  NULL },
	{ "value-too-long", "a value is longer than 4 KiB", NULL, NULL },
	{ "duplicate-group", "a [group] appears twice", NULL, NULL },
	{ "duplicate-key", "a key is set twice", NULL, NULL },
	{ "unknown-group", "a [group] roadie does not know", NULL, NULL },
	{ "unknown-key", "a key or setting roadie does not know", NULL, NULL },
	{ "type-invalid", "a D-Bus setting has the wrong type", NULL, NULL },
	{ "secret-misplaced", "a secret among the settings, or a setting among the secrets", NULL,
	  NULL },
	{ "bool-invalid", "a boolean is not true or false", NULL, NULL },
	{ "number-invalid", "a number is not a whole number", NULL, NULL },
	{ "duration-invalid", "a duration is not seconds or a number with s, m, h or d", NULL,
	  NULL },
	{ "enum-invalid", "a value is not one of its choices", NULL, check_enum_range },
	{ "flags-invalid", "a list names something that is not one of its choices", NULL,
	  check_flags_range },

	/* [connection] */
	{ "name-invalid", "the name is blank, too long or holds control characters or '/'",
	  "connection.name", check_name },
	{ "gateway-missing", "the gateway is missing", "connection.gateway",
	  check_gateway_missing },
	{ "gateway-invalid", "the gateway is neither a host name nor an IP address",
	  "connection.gateway", check_gateway },

	/* [ipsec] */
	{ "psk-missing", "auth=psk without a pre-shared key (with secrets checked)", "ipsec.psk",
	  check_psk_missing },
	{ "psk-empty", "the pre-shared key is empty", "ipsec.psk", check_psk_empty },
	{ "cert-missing", "auth=cert without a certificate", "ipsec.certificate",
	  check_cert_missing },
	{ "key-missing", "auth=cert without a private key (and no PKCS#12 file)",
	  "ipsec.private-key", check_key_missing },
	{ "path-invalid", "a file name is not absolute or holds control characters", NULL,
	  check_paths },
	{ "file-unreadable", "a file cannot be opened or read", NULL, check_files_readable },
	{ "cert-format", "the certificate is not PEM, DER or PKCS#12", "ipsec.certificate",
	  check_cert_format },
	{ "key-format",
	  "the private key is not PEM, DER or PKCS#12, or its password is missing or wrong",
	  "ipsec.private-key", check_key_format },
	{ "key-mismatch", "the private key does not belong to the certificate",
	  "ipsec.private-key", check_key_mismatch },
	{ "ca-format", "the CA certificate is not PEM or DER", "ipsec.ca-certificate",
	  check_ca_format },
	{ "id-invalid", "local-id or remote-id does not match its type prefix", NULL, check_ids },
	{ "proposal-too-long", "a proposal list is too long or expands to too many suites", NULL,
	  check_proposal },
	{ "ike-empty", "the IKE proposal list or one of its elements is empty", "ipsec.ike",
	  check_proposal },
	{ "ike-unknown-cipher", "an IKE proposal names an unknown cipher", "ipsec.ike",
	  check_proposal },
	{ "ike-unknown-integrity", "an IKE proposal names an unknown integrity algorithm",
	  "ipsec.ike", check_proposal },
	{ "ike-unknown-dh", "an IKE proposal names an unknown DH group", "ipsec.ike",
	  check_proposal },
	{ "ike-unknown-token", "an IKE proposal holds a word that is no algorithm", "ipsec.ike",
	  check_proposal },
	{ "ike-missing-cipher", "an IKE proposal has no cipher", "ipsec.ike", check_proposal },
	{ "ike-missing-integrity", "an IKE proposal has no integrity algorithm", "ipsec.ike",
	  check_proposal },
	{ "ike-missing-dh", "an IKE proposal has no DH group", "ipsec.ike", check_proposal },
	{ "ike-aead", "an IKE proposal uses AES-GCM, which IKEv1 cannot", "ipsec.ike",
	  check_proposal },
	{ "esp-empty", "the ESP proposal list or one of its elements is empty", "ipsec.esp",
	  check_proposal },
	{ "esp-unknown-cipher", "an ESP proposal names an unknown cipher", "ipsec.esp",
	  check_proposal },
	{ "esp-unknown-integrity", "an ESP proposal names an unknown integrity algorithm",
	  "ipsec.esp", check_proposal },
	{ "esp-unknown-dh", "an ESP proposal names an unknown DH group", "ipsec.esp",
	  check_proposal },
	{ "esp-unknown-token", "an ESP proposal holds a word that is no algorithm", "ipsec.esp",
	  check_proposal },
	{ "esp-missing-cipher", "an ESP proposal has no cipher", "ipsec.esp", check_proposal },
	{ "esp-missing-integrity", "an ESP proposal without AES-GCM has no integrity algorithm",
	  "ipsec.esp", check_proposal },
	{ "esp-aead-integrity", "an ESP proposal mixes AES-GCM with an integrity algorithm",
	  "ipsec.esp", check_proposal },
	{ "pfs-invalid", "pfs is not auto, none or a DH group", "ipsec.pfs", check_pfs },
	{ "lifetime-range", "a lifetime is out of range (1m–24h)", NULL,
	  check_lifetimes },
	{ "dpd-range", "DPD interval or timeout outside 0–1h, or timeout shorter than interval",
	  NULL, check_dpd },

	/* [l2tp] */
	{ "l2tp-hostname-invalid", "the L2TP host name is too long or not printable ASCII",
	  "l2tp.hostname", check_l2tp_hostname },

	/* [ppp] */
	{ "user-missing", "the PPP user name is missing", "ppp.user", check_user_missing },
	{ "user-invalid", "the PPP user name is too long or holds control characters",
	  "ppp.user", check_user },
	{ "password-missing", "the PPP password is missing (with secrets checked)",
	  "ppp.password", check_password_missing },
	{ "ppp-auth-empty", "no PPP login method is allowed", "ppp.auth", check_ppp_auth },
	{ "mtu-range", "the MTU is outside 576–1500", "ppp.mtu", check_mtu },
	{ "mru-range", "the MRU is outside 576–1500", "ppp.mru", check_mru },
	{ "lcp-echo-range", "LCP echo interval above 1h, or failures outside 1–100", NULL,
	  check_lcp_echo },

	/* [ip] */
	{ "route-invalid", "a route is not an IPv4 or IPv6 network with a prefix length",
	  "ip.routes", check_routes },
	{ "route-host-bits", "a route has bits set past its prefix length", "ip.routes",
	  check_routes },
	{ "route-ipv6-off", "an IPv6 route while IPv6 is off", "ip.routes", check_routes },
	{ "routes-too-many", "more than 64 routes", "ip.routes", check_routes_count },

	/* [learned] */
	{ "learned-invalid", "a learned suite is not exactly one valid suite, or pfs is bad", NULL,
	  check_learned },
};

const RoadieProfileRule *roadie_profile_rules(size_t *ret_n)
{
	if (ret_n)
		*ret_n = G_N_ELEMENTS(rules);
	return rules;
}

GPtrArray *roadie_profile_check(const RoadieProfile *profile, RoadieCheckFlags flags)
{
	GPtrArray *problems = roadie_profile_problems_new();

	for (size_t i = 0; i < G_N_ELEMENTS(rules); i++)
		if (rules[i].check)
			rules[i].check(profile, flags, &rules[i], problems);
	return problems;
}

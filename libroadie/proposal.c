/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Proposal strings in strongSwan's syntax (see proposal.h for the grammar).
 *
 * Parsing is two steps per element: classify every token (encryption, integrity, PRF or
 * DH group), then expand the element into the cartesian product of its choices, because
 * an IKEv1 transform (RFC 2409 appendix A) carries exactly one cipher, one hash and one
 * group. The whole list is built in a scratch array that is handed out only on success.
 */
#include <string.h>

#include "proposal.h"

typedef enum {
	TOKEN_ENCR,
	TOKEN_INTEG,
	TOKEN_PRF,
	TOKEN_DH,
} TokenKind;

typedef struct {
	const char *name;
	TokenKind kind;
	int value;      /* RoadieEncr, RoadieInteg or RoadieDhGroup */
	uint16_t bits;  /* key size for ciphers */
} Token;

/* Names as strongSwan spells them, so lists copied from an ipsec.conf or a vendor's
 * documentation work unchanged. */
static const Token tokens[] = {
	{ "aes", TOKEN_ENCR, ROADIE_ENCR_AES_CBC, 128 },
	{ "aes128", TOKEN_ENCR, ROADIE_ENCR_AES_CBC, 128 },
	{ "aes192", TOKEN_ENCR, ROADIE_ENCR_AES_CBC, 192 },
	{ "aes256", TOKEN_ENCR, ROADIE_ENCR_AES_CBC, 256 },
	{ "3des", TOKEN_ENCR, ROADIE_ENCR_3DES, 192 },
	{ "aes128gcm16", TOKEN_ENCR, ROADIE_ENCR_AES_GCM_16, 128 },
	{ "aes192gcm16", TOKEN_ENCR, ROADIE_ENCR_AES_GCM_16, 192 },
	{ "aes256gcm16", TOKEN_ENCR, ROADIE_ENCR_AES_GCM_16, 256 },
	{ "aes128gcm128", TOKEN_ENCR, ROADIE_ENCR_AES_GCM_16, 128 },
	{ "aes192gcm128", TOKEN_ENCR, ROADIE_ENCR_AES_GCM_16, 192 },
	{ "aes256gcm128", TOKEN_ENCR, ROADIE_ENCR_AES_GCM_16, 256 },
	{ "aes128gcm", TOKEN_ENCR, ROADIE_ENCR_AES_GCM_16, 128 },
	{ "aes192gcm", TOKEN_ENCR, ROADIE_ENCR_AES_GCM_16, 192 },
	{ "aes256gcm", TOKEN_ENCR, ROADIE_ENCR_AES_GCM_16, 256 },
	{ "md5", TOKEN_INTEG, ROADIE_INTEG_MD5, 0 },
	{ "sha", TOKEN_INTEG, ROADIE_INTEG_SHA1, 0 },
	{ "sha1", TOKEN_INTEG, ROADIE_INTEG_SHA1, 0 },
	{ "sha256", TOKEN_INTEG, ROADIE_INTEG_SHA2_256, 0 },
	{ "sha2_256", TOKEN_INTEG, ROADIE_INTEG_SHA2_256, 0 },
	{ "sha384", TOKEN_INTEG, ROADIE_INTEG_SHA2_384, 0 },
	{ "sha2_384", TOKEN_INTEG, ROADIE_INTEG_SHA2_384, 0 },
	{ "sha512", TOKEN_INTEG, ROADIE_INTEG_SHA2_512, 0 },
	{ "sha2_512", TOKEN_INTEG, ROADIE_INTEG_SHA2_512, 0 },
	{ "prfmd5", TOKEN_PRF, 0, 0 },
	{ "prfsha1", TOKEN_PRF, 0, 0 },
	{ "prfsha256", TOKEN_PRF, 0, 0 },
	{ "prfsha384", TOKEN_PRF, 0, 0 },
	{ "prfsha512", TOKEN_PRF, 0, 0 },
	{ "modp1024", TOKEN_DH, ROADIE_DH_MODP1024, 0 },
	{ "modp1536", TOKEN_DH, ROADIE_DH_MODP1536, 0 },
	{ "modp2048", TOKEN_DH, ROADIE_DH_MODP2048, 0 },
	{ "modp3072", TOKEN_DH, ROADIE_DH_MODP3072, 0 },
	{ "modp4096", TOKEN_DH, ROADIE_DH_MODP4096, 0 },
	{ "ecp256", TOKEN_DH, ROADIE_DH_ECP256, 0 },
	{ "ecp384", TOKEN_DH, ROADIE_DH_ECP384, 0 },
};

/* An element may name this many choices of one kind. */
#define MAX_CHOICES 8

typedef struct {
	const Token *encr[MAX_CHOICES];
	const Token *integ[MAX_CHOICES];
	const Token *dh[MAX_CHOICES];
	unsigned n_encr, n_integ, n_dh;
} Element;

static const Token *proposal_token_find(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(tokens); i++)
		if (g_ascii_strcasecmp(tokens[i].name, name) == 0)
			return &tokens[i];
	return NULL;
}

/* What the user most likely meant by a token we do not know, from its shape. */
static RoadieProposalError proposal_guess_kind(const char *name, const char **ret_what)
{
	static const struct {
		const char *prefix;
		RoadieProposalError error;
		const char *what;
	} shapes[] = {
		{ "modp", ROADIE_PROPOSAL_ERR_UNKNOWN_DH, "DH group" },
		{ "ecp", ROADIE_PROPOSAL_ERR_UNKNOWN_DH, "DH group" },
		{ "curve", ROADIE_PROPOSAL_ERR_UNKNOWN_DH, "DH group" },
		{ "x25519", ROADIE_PROPOSAL_ERR_UNKNOWN_DH, "DH group" },
		{ "x448", ROADIE_PROPOSAL_ERR_UNKNOWN_DH, "DH group" },
		{ "ffdhe", ROADIE_PROPOSAL_ERR_UNKNOWN_DH, "DH group" },
		{ "sha", ROADIE_PROPOSAL_ERR_UNKNOWN_INTEG, "integrity algorithm" },
		{ "md", ROADIE_PROPOSAL_ERR_UNKNOWN_INTEG, "integrity algorithm" },
		{ "aesxcbc", ROADIE_PROPOSAL_ERR_UNKNOWN_INTEG, "integrity algorithm" },
		{ "aescmac", ROADIE_PROPOSAL_ERR_UNKNOWN_INTEG, "integrity algorithm" },
		{ "prf", ROADIE_PROPOSAL_ERR_UNKNOWN_INTEG, "PRF" },
		{ "aes", ROADIE_PROPOSAL_ERR_UNKNOWN_ENCR, "cipher" },
		{ "des", ROADIE_PROPOSAL_ERR_UNKNOWN_ENCR, "cipher" },
		{ "3des", ROADIE_PROPOSAL_ERR_UNKNOWN_ENCR, "cipher" },
		{ "blowfish", ROADIE_PROPOSAL_ERR_UNKNOWN_ENCR, "cipher" },
		{ "camellia", ROADIE_PROPOSAL_ERR_UNKNOWN_ENCR, "cipher" },
		{ "chacha", ROADIE_PROPOSAL_ERR_UNKNOWN_ENCR, "cipher" },
		{ "cast", ROADIE_PROPOSAL_ERR_UNKNOWN_ENCR, "cipher" },
		{ "null", ROADIE_PROPOSAL_ERR_UNKNOWN_ENCR, "cipher" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(shapes); i++) {
		if (g_ascii_strncasecmp(name, shapes[i].prefix, strlen(shapes[i].prefix)) == 0) {
			*ret_what = shapes[i].what;
			return shapes[i].error;
		}
	}
	*ret_what = "algorithm";
	return ROADIE_PROPOSAL_ERR_UNKNOWN_TOKEN;
}

static RoadieProposalError proposal_fail(RoadieProposalError error, char **ret_message,
					 const char *format, ...) G_GNUC_PRINTF(3, 4);

static RoadieProposalError proposal_fail(RoadieProposalError error, char **ret_message,
					 const char *format, ...)
{
	va_list args;

	if (ret_message) {
		va_start(args, format);
		*ret_message = g_strdup_vprintf(format, args);
		va_end(args);
	}
	return error;
}

static bool proposal_add_choice(const Token **choices, unsigned *n, const Token *token)
{
	for (unsigned i = 0; i < *n; i++)
		if (choices[i]->value == token->value && choices[i]->bits == token->bits)
			return true; /* "aes-aes128": the same choice twice */
	if (*n == MAX_CHOICES)
		return false;
	choices[(*n)++] = token;
	return true;
}

static RoadieProposalError proposal_parse_element(RoadieProposalKind kind, const char *element,
						  Element *ret_element, char **ret_message)
{
	g_auto(GStrv) names = g_strsplit(element, "-", -1);
	Element e = { 0 };
	bool aead = false, classic = false;

	for (size_t i = 0; names[i]; i++) {
		const char *name = names[i];
		const Token *token;
		const char *what;
		RoadieProposalError error;
		bool added = true;

		if (!*name)
			return proposal_fail(ROADIE_PROPOSAL_ERR_EMPTY, ret_message,
					     "empty algorithm name in '%s'", element);
		token = proposal_token_find(name);
		if (!token) {
			error = proposal_guess_kind(name, &what);
			return proposal_fail(error, ret_message, "unknown %s '%s' in '%s'", what,
					     name, element);
		}
		switch (token->kind) {
		case TOKEN_ENCR:
			if (token->value == ROADIE_ENCR_AES_GCM_16)
				aead = true;
			else
				classic = true;
			added = proposal_add_choice(e.encr, &e.n_encr, token);
			break;
		case TOKEN_INTEG:
			added = proposal_add_choice(e.integ, &e.n_integ, token);
			break;
		case TOKEN_PRF:
			/* IKEv1 derives its PRF from the hash (RFC 2409 §5): nothing to keep. */
			break;
		case TOKEN_DH:
			added = proposal_add_choice(e.dh, &e.n_dh, token);
			break;
		}
		if (!added)
			return proposal_fail(ROADIE_PROPOSAL_ERR_TOO_MANY, ret_message,
					     "too many algorithms of one kind in '%s'", element);
	}

	if (e.n_encr == 0)
		return proposal_fail(ROADIE_PROPOSAL_ERR_NO_ENCR, ret_message,
				     "no encryption algorithm in '%s'", element);
	if (aead && kind == ROADIE_PROPOSAL_IKE)
		return proposal_fail(ROADIE_PROPOSAL_ERR_AEAD_IN_IKE, ret_message,
				     "AES-GCM is not available for IKEv1's own SA in '%s': "
				     "use it in the ESP list",
				     element);
	if (aead && e.n_integ > 0)
		return proposal_fail(ROADIE_PROPOSAL_ERR_AEAD_WITH_INTEG, ret_message,
				     "AES-GCM carries its own integrity check: drop the integrity "
				     "algorithm from '%s'",
				     element);
	if (aead && classic)
		return proposal_fail(ROADIE_PROPOSAL_ERR_AEAD_WITH_INTEG, ret_message,
				     "AES-GCM and a non-AEAD cipher cannot share one proposal in "
				     "'%s': split them with a comma",
				     element);
	if (!aead && e.n_integ == 0)
		return proposal_fail(ROADIE_PROPOSAL_ERR_NO_INTEG, ret_message,
				     "no integrity algorithm in '%s'", element);
	if (kind == ROADIE_PROPOSAL_IKE && e.n_dh == 0)
		return proposal_fail(ROADIE_PROPOSAL_ERR_NO_DH, ret_message,
				     "no DH group in '%s'", element);

	*ret_element = e;
	return ROADIE_PROPOSAL_OK;
}

static bool proposal_suite_equal(const RoadieSuite *a, const RoadieSuite *b)
{
	return a->encr == b->encr && a->key_bits == b->key_bits && a->integ == b->integ &&
	       a->dh == b->dh;
}

/* Appends every combination of @e in order (ciphers outermost), skipping duplicates. */
static bool proposal_expand(const Element *e, GArray *suites)
{
	unsigned n_integ = MAX(e->n_integ, 1u), n_dh = MAX(e->n_dh, 1u);

	for (unsigned c = 0; c < e->n_encr; c++) {
		for (unsigned i = 0; i < n_integ; i++) {
			for (unsigned d = 0; d < n_dh; d++) {
				RoadieSuite s = {
					.encr = e->encr[c]->value,
					.key_bits = e->encr[c]->bits,
					.integ = e->n_integ ? e->integ[i]->value : ROADIE_INTEG_NONE,
					.dh = e->n_dh ? e->dh[d]->value : ROADIE_DH_NONE,
				};
				bool dup = false;

				for (guint k = 0; k < suites->len && !dup; k++)
					dup = proposal_suite_equal(
						&g_array_index(suites, RoadieSuite, k), &s);
				if (dup)
					continue;
				if (suites->len == ROADIE_PROPOSAL_MAX_SUITES)
					return false;
				g_array_append_val(suites, s);
			}
		}
	}
	return true;
}

RoadieProposalError roadie_proposal_parse(RoadieProposalKind kind, const char *text,
					  GArray **ret_suites, bool *ret_strict,
					  char **ret_message)
{
	g_autoptr(GArray) suites = NULL;
	g_autofree char *body = NULL;
	g_auto(GStrv) elements = NULL;
	bool strict = false;
	size_t len;

	if (!text)
		text = "";
	len = strlen(text);
	if (len > ROADIE_PROPOSAL_MAX_LEN)
		return proposal_fail(ROADIE_PROPOSAL_ERR_TOO_MANY, ret_message,
				     "the list is %zu characters long; at most %d are allowed", len,
				     ROADIE_PROPOSAL_MAX_LEN);
	body = g_strstrip(g_strdup(text));
	len = strlen(body);
	if (len > 0 && body[len - 1] == '!') {
		strict = true;
		body[--len] = '\0';
	}
	if (len == 0)
		return proposal_fail(ROADIE_PROPOSAL_ERR_EMPTY, ret_message, "the list is empty");

	suites = g_array_new(FALSE, FALSE, sizeof(RoadieSuite));
	elements = g_strsplit(body, ",", -1);
	for (size_t i = 0; elements[i]; i++) {
		const char *element = g_strstrip(elements[i]);
		RoadieProposalError error;
		Element e = { 0 };

		if (!*element)
			return proposal_fail(ROADIE_PROPOSAL_ERR_EMPTY, ret_message,
					     "empty proposal at position %zu of '%s'", i + 1, text);
		error = proposal_parse_element(kind, element, &e, ret_message);
		if (error != ROADIE_PROPOSAL_OK)
			return error;
		if (!proposal_expand(&e, suites))
			return proposal_fail(ROADIE_PROPOSAL_ERR_TOO_MANY, ret_message,
					     "the list expands to more than %d proposals",
					     ROADIE_PROPOSAL_MAX_SUITES);
	}

	if (ret_suites)
		*ret_suites = g_steal_pointer(&suites);
	if (ret_strict)
		*ret_strict = strict;
	return ROADIE_PROPOSAL_OK;
}

static const char *proposal_integ_token(RoadieInteg integ)
{
	switch (integ) {
	case ROADIE_INTEG_NONE:
		return NULL;
	case ROADIE_INTEG_MD5:
		return "md5";
	case ROADIE_INTEG_SHA1:
		return "sha1";
	case ROADIE_INTEG_SHA2_256:
		return "sha256";
	case ROADIE_INTEG_SHA2_384:
		return "sha384";
	case ROADIE_INTEG_SHA2_512:
		return "sha512";
	}
	return NULL;
}

static const char *proposal_integ_describe(RoadieInteg integ)
{
	switch (integ) {
	case ROADIE_INTEG_NONE:
		return NULL;
	case ROADIE_INTEG_MD5:
		return "HMAC_MD5";
	case ROADIE_INTEG_SHA1:
		return "HMAC_SHA1";
	case ROADIE_INTEG_SHA2_256:
		return "HMAC_SHA2_256";
	case ROADIE_INTEG_SHA2_384:
		return "HMAC_SHA2_384";
	case ROADIE_INTEG_SHA2_512:
		return "HMAC_SHA2_512";
	}
	return NULL;
}

const char *roadie_dh_group_name(RoadieDhGroup group)
{
	switch (group) {
	case ROADIE_DH_NONE:
		return NULL;
	case ROADIE_DH_MODP1024:
		return "modp1024";
	case ROADIE_DH_MODP1536:
		return "modp1536";
	case ROADIE_DH_MODP2048:
		return "modp2048";
	case ROADIE_DH_MODP3072:
		return "modp3072";
	case ROADIE_DH_MODP4096:
		return "modp4096";
	case ROADIE_DH_ECP256:
		return "ecp256";
	case ROADIE_DH_ECP384:
		return "ecp384";
	}
	return NULL;
}

bool roadie_dh_group_from_name(const char *name, RoadieDhGroup *ret_group)
{
	const Token *token = name ? proposal_token_find(name) : NULL;

	if (!token || token->kind != TOKEN_DH)
		return false;
	*ret_group = token->value;
	return true;
}

char *roadie_suite_to_string(RoadieProposalKind kind, const RoadieSuite *suite)
{
	GString *s = g_string_new(NULL);
	const char *integ = proposal_integ_token(suite->integ);
	const char *dh = roadie_dh_group_name(suite->dh);

	switch (suite->encr) {
	case ROADIE_ENCR_AES_CBC:
		g_string_append_printf(s, "aes%u", suite->key_bits);
		break;
	case ROADIE_ENCR_3DES:
		g_string_append(s, "3des");
		break;
	case ROADIE_ENCR_AES_GCM_16:
		g_string_append_printf(s, "aes%ugcm16", suite->key_bits);
		break;
	}
	if (integ)
		g_string_append_printf(s, "-%s", integ);
	if (dh)
		g_string_append_printf(s, "-%s", dh);
	return g_string_free(s, FALSE);
}

char *roadie_suites_to_string(RoadieProposalKind kind, const RoadieSuite *suites, size_t n,
			      const char *separator)
{
	GString *s = g_string_new(NULL);

	for (size_t i = 0; i < n; i++) {
		g_autofree char *one = roadie_suite_to_string(kind, &suites[i]);

		g_string_append_printf(s, "%s%s", i ? separator : "", one);
	}
	return g_string_free(s, FALSE);
}

char *roadie_suite_describe(RoadieProposalKind kind, const RoadieSuite *suite)
{
	GString *s = g_string_new(NULL);
	const char *integ = proposal_integ_describe(suite->integ);
	const char *dh = roadie_dh_group_name(suite->dh);

	switch (suite->encr) {
	case ROADIE_ENCR_AES_CBC:
		g_string_append_printf(s, "AES_CBC_%u", suite->key_bits);
		break;
	case ROADIE_ENCR_3DES:
		g_string_append(s, "3DES_CBC");
		break;
	case ROADIE_ENCR_AES_GCM_16:
		g_string_append_printf(s, "AES_GCM_16_%u", suite->key_bits);
		break;
	}
	if (integ)
		g_string_append_printf(s, "/%s", integ);
	if (dh) {
		g_autofree char *up = g_ascii_strup(dh, -1);

		/* "MODP_2048", "ECP_256" */
		g_string_append_c(s, '/');
		for (const char *p = up; *p; p++) {
			if (g_ascii_isdigit(*p) && (p == up || !g_ascii_isdigit(p[-1])))
				g_string_append_c(s, '_');
			g_string_append_c(s, *p);
		}
	}
	return g_string_free(s, FALSE);
}

size_t roadie_suite_enc_key_len(const RoadieSuite *suite)
{
	bool aes_size = suite->key_bits == 128 || suite->key_bits == 192 || suite->key_bits == 256;

	switch (suite->encr) {
	case ROADIE_ENCR_AES_CBC:
		return aes_size ? suite->key_bits / 8 : 0;
	case ROADIE_ENCR_3DES:
		return 24;
	case ROADIE_ENCR_AES_GCM_16:
		return aes_size ? suite->key_bits / 8 + 4 : 0;
	}
	return 0;
}

bool roadie_suite_is_weak(const RoadieSuite *suite)
{
	return suite->encr == ROADIE_ENCR_3DES || suite->integ == ROADIE_INTEG_MD5 ||
	       suite->dh == ROADIE_DH_MODP1024;
}

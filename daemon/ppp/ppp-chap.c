/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CHAP as the peer being authenticated: CHAP-MD5 (RFC 1994 §4), MS-CHAPv1 (RFC 2433 §3-6)
 * and MS-CHAPv2 (RFC 2759 §3-6).
 *
 * The gateway sends a Challenge; we answer with a Response carrying our user name whole
 * (a Windows "DOMAIN\user" included) and a value:
 *   CHAP-MD5   MD5(Identifier | password | challenge)                      16 bytes
 *   MS-CHAPv1  24 zero bytes (no LAN Manager response), the NT response, flags 1 ("use
 *              the NT response")                                           49 bytes
 *   MS-CHAPv2  our Peer-Challenge, 8 zero bytes, the NT response, flags 0  49 bytes
 * Success or Failure must carry the Identifier of our Response. MS-CHAPv2's Success holds
 * "S=<40 hex digits>", the gateway's proof that it knows the password too: if it is not
 * the value we compute, the gateway is not who it claims, and we fail.
 * MS-CHAP's Failure holds "E=eeeeeeeeee R=r C=cccc... V=vvvvvvvvvv M=<msg>"; the error
 * numbers are Windows' (RFC 2433 §6, RFC 2759 §6) and become sentences here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <openssl/crypto.h>

#include "crypto/crypto-hash.h"
#include "ppp-private.h"
#include "secret.h"

enum {
	PPP_CHAP_CHALLENGE = 1,
	PPP_CHAP_RESPONSE = 2,
	PPP_CHAP_SUCCESS = 3,
	PPP_CHAP_FAILURE = 4,
};

#define PPP_MSCHAP_VALUE_LEN 49

static int ppp_chap_md5(struct ppp *p, uint8_t id, const uint8_t *challenge, size_t len,
			uint8_t *value, size_t *value_len)
{
	*value_len = 16;
	return crypto_hash(ROADIE_INTEG_MD5, value, &id, (size_t)1, p->password,
			   strlen(p->password), challenge, len, NULL);
}

static int ppp_chap_msv1(struct ppp *p, const uint8_t *challenge, size_t len, uint8_t *value,
			 size_t *value_len)
{
	int err;

	if (len != PPP_MSCHAP_CHALLENGE_LEN)
		return -EBADMSG;
	memset(value, 0, PPP_MSCHAP_VALUE_LEN);
	err = ppp_mschap_v1_nt_response(p->auth.mschap, challenge, p->password, value + 24);
	value[48] = 1; /* use the NT response (RFC 2433 §4) */
	*value_len = PPP_MSCHAP_VALUE_LEN;
	return err;
}

static int ppp_chap_msv2(struct ppp *p, const uint8_t *challenge, size_t len, uint8_t *value,
			 size_t *value_len)
{
	uint8_t *peer = value, *nt = value + 24;
	int err;

	if (len != PPP_MSCHAP_V2_CHALLENGE_LEN)
		return -EBADMSG;
	memset(value, 0, PPP_MSCHAP_VALUE_LEN);
	err = ppp_random(p, peer, PPP_MSCHAP_V2_CHALLENGE_LEN);
	err = err ?: ppp_mschap_v2_nt_response(p->auth.mschap, challenge, peer, p->user,
					       p->password, nt);
	/* the S= the gateway must answer with (RFC 2759 §8.7) */
	err = err ?: ppp_mschap_v2_authenticator_response(p->auth.mschap, p->password, nt, peer,
							  challenge, p->user,
							  p->auth.expected_s);
	*value_len = PPP_MSCHAP_VALUE_LEN;
	return err;
}

static int ppp_chap_challenge(struct ppp *p, uint8_t id, struct pkt_reader data)
{
	uint8_t size, value[PPP_MSCHAP_VALUE_LEN], out[1 + PPP_MSCHAP_VALUE_LEN + 255];
	const uint8_t *challenge;
	size_t value_len = 0, ul = strlen(p->user);
	int err;

	/* Value-Size, Value, Name (RFC 1994 §4.1); the gateway's name is of no use to us */
	if (pkt_get_u8(&data, &size) || size == 0 || pkt_get_bytes(&data, size, &challenge))
		return -EBADMSG;
	if (p->auth.responded && p->auth.resend_len && id == p->auth.id &&
	    size == p->auth.challenge_len && memcmp(challenge, p->auth.challenge, size) == 0) {
		ppp_chap_resend(p);
		return 0;
	}
	switch (p->auth.method) {
	case PPP_AUTH_CHAP_MD5:
		err = ppp_chap_md5(p, id, challenge, size, value, &value_len);
		break;
	case PPP_AUTH_MSCHAP_V1:
		err = ppp_chap_msv1(p, challenge, size, value, &value_len);
		break;
	case PPP_AUTH_MSCHAP_V2:
		err = ppp_chap_msv2(p, challenge, size, value, &value_len);
		break;
	default:
		return -EPROTO;
	}
	if (err == -EBADMSG)
		return err;
	if (err) {
		roadie_wipe(value, sizeof(value));
		ppp_fail(p, PPP_FAIL_INTERNAL, "could not compute the %s response (%s)",
			 ppp_auth_name(p->auth.method), g_strerror(-err));
		return 0;
	}
	out[0] = (uint8_t)value_len;
	memcpy(out + 1, value, value_len);
	memcpy(out + 1 + value_len, p->user, ul);
	ppp_auth_send(p, PPP_PROTO_CHAP, PPP_CHAP_RESPONSE, id, out, 1 + value_len + ul);
	/* kept to repeat until the gateway answers (RFC 1994 §4.2) */
	G_STATIC_ASSERT(sizeof(p->auth.resend) >= sizeof(out));
	memcpy(p->auth.resend, out, 1 + value_len + ul);
	p->auth.resend_len = 1 + value_len + ul;
	memcpy(p->auth.challenge, challenge, size);
	p->auth.challenge_len = size;
	p->auth.deadline = MIN(p->auth.give_up, p->now + PPP_AUTH_RETRY_MS);
	roadie_wipe(value, sizeof(value));
	roadie_wipe(out, sizeof(out));
	p->auth.id = id;
	p->auth.responded = true;
	return 0;
}

/* RFC 2759 §5: the message starts "S=" and 40 hex digits (either case), then maybe " M=". */
static bool ppp_chap_check_s(const struct ppp *p, struct pkt_reader msg)
{
	char got[PPP_MSCHAP_AUTH_RESPONSE_LEN + 1];
	const uint8_t *s;

	if (pkt_get_bytes(&msg, PPP_MSCHAP_AUTH_RESPONSE_LEN, &s))
		return false;
	for (size_t i = 0; i < PPP_MSCHAP_AUTH_RESPONSE_LEN; i++)
		got[i] = g_ascii_toupper((char)s[i]);
	got[PPP_MSCHAP_AUTH_RESPONSE_LEN] = '\0';
	return p->auth.expected_s[0] &&
	       CRYPTO_memcmp(got, p->auth.expected_s, PPP_MSCHAP_AUTH_RESPONSE_LEN) == 0;
}

/* Windows' RAS error numbers in MS-CHAP Failure packets (RFC 2759 §6, RFC 2433 §6). */
static const char *ppp_chap_error_reason(unsigned long e)
{
	switch (e) {
	case 646:
		return "logging on is not allowed at this time of day (restricted logon hours)";
	case 647:
		return "the account is disabled";
	case 648:
		return "the password has expired";
	case 649:
		return "the account has no permission to dial in";
	case 691:
		return "wrong user name or password";
	case 709:
		return "there was an error changing the password";
	default:
		return NULL;
	}
}

void ppp_chap_failure_text(const char *user, const uint8_t *msg, size_t len, char *buf,
			   size_t buf_len)
{
	char text[256], *e, *m;
	const char *reason = NULL;
	unsigned long code = 0;
	bool have_code = false;

	ppp_auth_message(msg, len, text, sizeof(text));
	/* "E=" and "M=" at the start or after a space */
	if (strncmp(text, "E=", 2) == 0)
		e = text + 2;
	else if ((e = strstr(text, " E=")))
		e += 3;
	if (e) {
		char *end;

		code = strtoul(e, &end, 10);
		have_code = end != e && code <= 0xffffffffUL;
	}
	if (strncmp(text, "M=", 2) == 0)
		m = text + 2;
	else if ((m = strstr(text, " M=")))
		m += 3;
	if (have_code)
		reason = ppp_chap_error_reason(code);
	if (reason)
		snprintf(buf, buf_len, "the gateway rejected user '%s': %s", user, reason);
	else if (have_code)
		snprintf(buf, buf_len, "the gateway rejected user '%s' (MS-CHAP error %lu%s%s)",
			 user, code, m && *m ? ": " : "", m && *m ? m : "");
	else
		snprintf(buf, buf_len, "the gateway rejected user '%s': wrong user name or password",
			 user);
}

void ppp_chap_resend(struct ppp *p)
{
	ppp_auth_send(p, PPP_PROTO_CHAP, PPP_CHAP_RESPONSE, p->auth.id, p->auth.resend,
		      p->auth.resend_len);
}

int ppp_chap_input(struct ppp *p, struct pkt_reader packet, uint64_t now)
{
	struct pkt_reader data;
	uint8_t code, id;
	char text[384];

	if (ppp_auth_header(&packet, &code, &id, &data))
		return -EBADMSG;
	switch (code) {
	case PPP_CHAP_CHALLENGE:
		return ppp_chap_challenge(p, id, data);
	case PPP_CHAP_SUCCESS:
	case PPP_CHAP_FAILURE:
		break;
	default:
		return -EPROTO; /* a Response: we do not authenticate the gateway */
	}
	if (!p->auth.responded || id != p->auth.id)
		return -ESTALE;
	if (code == PPP_CHAP_SUCCESS) {
		if (p->auth.method == PPP_AUTH_MSCHAP_V2 && !ppp_chap_check_s(p, data)) {
			ppp_fail(p, PPP_FAIL_AUTH_SERVER,
				 "the gateway could not prove it knows your password (wrong "
				 "MS-CHAPv2 authenticator response): it may not be the server it "
				 "claims to be");
			return 0;
		}
		p->auth.responded = false;
		roadie_wipe(p->auth.resend, sizeof(p->auth.resend));
		p->auth.resend_len = 0;
		ppp_auth_success(p);
		return 0;
	}
	if (p->auth.method == PPP_AUTH_CHAP_MD5)
		snprintf(text, sizeof(text),
			 "the gateway rejected user '%s': wrong user name or password", p->user);
	else
		ppp_chap_failure_text(p->user, data.data + data.off, pkt_remaining(&data), text,
				      sizeof(text));
	ppp_fail(p, PPP_FAIL_AUTH_REJECTED, "%s", text);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The authentication phase (RFC 1661 §3.5) as the client: which method LCP agreed on, how
 * long the gateway may take, and the packet helpers PAP, CHAP and EAP share (all three
 * start with Code, Identifier, Length: RFC 1334 §2.2, RFC 1994 §4, RFC 3748 §4).
 */
#include <errno.h>
#include <string.h>
#include <glib.h>

#include "ppp-private.h"
#include "secret.h"

bool ppp_auth_is_chap(unsigned method)
{
	return method == PPP_AUTH_CHAP_MD5 || method == PPP_AUTH_MSCHAP_V1 ||
	       method == PPP_AUTH_MSCHAP_V2;
}

void ppp_auth_start(struct ppp *p, uint64_t now)
{
	p->auth.done = false;
	p->auth.responded = false;
	p->auth.tries = 0;
	if (p->auth.method == PPP_AUTH_MSCHAP_V1 || p->auth.method == PPP_AUTH_MSCHAP_V2) {
		if (!p->auth.mschap)
			p->auth.mschap = ppp_mschap_new();
		if (!p->auth.mschap) {
			ppp_fail(p, PPP_FAIL_INTERNAL,
				 "%s needs MD4 and DES from OpenSSL's legacy provider, which is not "
				 "available on this system",
				 ppp_auth_name(p->auth.method));
			return;
		}
	}
	if (p->auth.method == PPP_AUTH_PAP) {
		ppp_pap_start(p, now);
		return;
	}
	/* CHAP and EAP: the gateway speaks first, and must be done in time */
	p->auth.give_up = now + PPP_AUTH_TIMEOUT_MS;
	p->auth.deadline = p->auth.give_up;
}

void ppp_auth_stop(struct ppp *p)
{
	p->auth.deadline = UINT64_MAX;
	roadie_wipe(p->auth.resend, sizeof(p->auth.resend));
	p->auth.resend_len = 0;
}

void ppp_auth_tick(struct ppp *p, uint64_t now)
{
	if (now < p->auth.deadline)
		return;
	if (p->auth.method == PPP_AUTH_PAP) {
		ppp_pap_tick(p, now);
		return;
	}
	if (p->auth.responded && p->auth.resend_len && now < p->auth.give_up) {
		ppp_chap_resend(p);
		p->auth.deadline = MIN(p->auth.give_up, now + PPP_AUTH_RETRY_MS);
		return;
	}
	p->auth.deadline = UINT64_MAX;
	if (p->auth.responded)
		ppp_fail(p, PPP_FAIL_AUTH_TIMEOUT,
			 "the gateway did not answer our %s response for user '%s' within %u s",
			 ppp_auth_name(p->auth.method), p->user, PPP_AUTH_TIMEOUT_MS / 1000);
	else
		ppp_fail(p, PPP_FAIL_AUTH_TIMEOUT,
			 "the gateway did not start %s authentication within %u s",
			 ppp_auth_name(p->auth.method), PPP_AUTH_TIMEOUT_MS / 1000);
}

uint64_t ppp_auth_deadline(const struct ppp *p)
{
	return p->auth.deadline;
}

int ppp_auth_header(struct pkt_reader *packet, uint8_t *ret_code, uint8_t *ret_id,
		    struct pkt_reader *ret_data)
{
	struct pkt_reader r = *packet, data;
	uint8_t code, id;
	uint16_t len;

	if (pkt_get_u8(&r, &code) || pkt_get_u8(&r, &id) || pkt_get_be16(&r, &len) ||
	    len < PPP_HEADER_LEN || pkt_get_sub(&r, len - PPP_HEADER_LEN, &data))
		return -EBADMSG;
	*packet = r;
	*ret_code = code;
	*ret_id = id;
	*ret_data = data;
	return 0;
}

void ppp_auth_send(struct ppp *p, uint16_t protocol, uint8_t code, uint8_t id,
		   const uint8_t *data, size_t len)
{
	uint8_t buf[PPP_FSM_MAX_PACKET];
	struct pkt_writer w;

	pkt_writer_init(&w, buf, sizeof(buf), 0);
	if (!pkt_put_u8(&w, code) && !pkt_put_u8(&w, id) &&
	    !pkt_put_be16(&w, (uint16_t)(PPP_HEADER_LEN + len)) &&
	    !(len && pkt_put_bytes(&w, data, len)))
		ppp_output(p, protocol, buf, pkt_writer_len(&w));
	/* PAP's request holds the password */
	roadie_wipe(buf, pkt_writer_len(&w));
}

void ppp_auth_message(const uint8_t *msg, size_t len, char *buf, size_t buf_len)
{
	size_t n = 0;

	if (!buf_len)
		return;
	for (size_t i = 0; i < len && n + 1 < buf_len; i++)
		buf[n++] = msg[i] >= 0x20 && msg[i] < 0x7f ? (char)msg[i] : '?';
	buf[n] = '\0';
}

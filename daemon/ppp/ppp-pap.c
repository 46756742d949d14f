/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PAP as the peer being authenticated (RFC 1334 §2): Authenticate-Request with the user
 * name and password, repeated every 3 s with a new Identifier until Authenticate-Ack or
 * -Nak carries the Identifier of our last one.
 */
#include <errno.h>
#include <string.h>

#include "ppp-private.h"
#include "secret.h"

enum {
	PPP_PAP_REQUEST = 1,
	PPP_PAP_ACK = 2,
	PPP_PAP_NAK = 3,
};

static void ppp_pap_send(struct ppp *p, uint64_t now)
{
	uint8_t buf[2 + 255 + 255];
	size_t ul = strlen(p->user), pl = strlen(p->password), n = 0;

	/* ppp_new holds both to 255 bytes */
	buf[n++] = (uint8_t)ul;
	memcpy(buf + n, p->user, ul);
	n += ul;
	buf[n++] = (uint8_t)pl;
	memcpy(buf + n, p->password, pl);
	n += pl;
	p->auth.id++;
	ppp_auth_send(p, PPP_PROTO_PAP, PPP_PAP_REQUEST, p->auth.id, buf, n);
	roadie_wipe(buf, n);
	p->auth.responded = true;
	p->auth.tries++;
	p->auth.deadline = now + PPP_AUTH_RETRY_MS;
}

void ppp_pap_start(struct ppp *p, uint64_t now)
{
	p->auth.tries = 0;
	ppp_pap_send(p, now);
}

void ppp_pap_tick(struct ppp *p, uint64_t now)
{
	if (p->auth.tries >= PPP_AUTH_MAX_TRIES) {
		p->auth.deadline = UINT64_MAX;
		ppp_fail(p, PPP_FAIL_AUTH_TIMEOUT,
			 "the gateway did not answer PAP authentication for user '%s' (%u tries)",
			 p->user, p->auth.tries);
		return;
	}
	ppp_pap_send(p, now);
}

int ppp_pap_input(struct ppp *p, struct pkt_reader packet, uint64_t now)
{
	struct pkt_reader data, msg;
	uint8_t code, id, msg_len;
	char text[128];

	if (ppp_auth_header(&packet, &code, &id, &data))
		return -EBADMSG;
	if (code != PPP_PAP_ACK && code != PPP_PAP_NAK)
		return -EPROTO; /* we do not authenticate the gateway */
	if (!p->auth.responded || id != p->auth.id)
		return -ESTALE;
	text[0] = '\0';
	/* Msg-Length and Message (RFC 1334 §2.2.2); a broken one only loses the message */
	if (!pkt_get_u8(&data, &msg_len) && !pkt_get_sub(&data, msg_len, &msg))
		ppp_auth_message(msg.data + msg.off, pkt_remaining(&msg), text, sizeof(text));
	if (code == PPP_PAP_ACK) {
		ppp_auth_success(p);
		return 0;
	}
	p->auth.deadline = UINT64_MAX;
	ppp_fail(p, PPP_FAIL_AUTH_REJECTED,
		 "the gateway rejected user '%s': wrong user name or password%s%s%s", p->user,
		 text[0] ? " (it said \"" : "", text, text[0] ? "\")" : "");
	return 0;
}

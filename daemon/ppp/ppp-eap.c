/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * EAP as the peer (RFC 3748 §4-5), with the one method PPP gateways offer without
 * certificates: MD5-Challenge (§5.4, CHAP-MD5 inside EAP).
 *
 *   Request/Identity       -> Response/Identity with our user name (§5.1)
 *   Request/Notification   -> an empty Response/Notification (§5.2)
 *   Request/MD5-Challenge  -> Value-Size 16, MD5(Identifier | password | challenge), Name
 *   Request/anything else  -> Response/Nak proposing MD5-Challenge (§5.3.1)
 * Success and Failure carry the Identifier of our last Response (§4.2), or, as pppd sends
 * them, the one after it.
 */
#include <errno.h>
#include <string.h>

#include "crypto/crypto-hash.h"
#include "ppp-private.h"
#include "secret.h"

enum {
	PPP_EAP_REQUEST = 1,
	PPP_EAP_RESPONSE = 2,
	PPP_EAP_SUCCESS = 3,
	PPP_EAP_FAILURE = 4,
};

enum {
	PPP_EAP_IDENTITY = 1,
	PPP_EAP_NOTIFICATION = 2,
	PPP_EAP_NAK = 3,
	PPP_EAP_MD5 = 4,
};

static void ppp_eap_respond(struct ppp *p, uint8_t id, const uint8_t *data, size_t len)
{
	ppp_auth_send(p, PPP_PROTO_EAP, PPP_EAP_RESPONSE, id, data, len);
	p->auth.id = id;
	p->auth.responded = true;
}

static int ppp_eap_request(struct ppp *p, uint8_t id, struct pkt_reader data)
{
	uint8_t type, size, out[2 + 16 + 255];
	const uint8_t *challenge;
	size_t ul = strlen(p->user);
	int err;

	if (pkt_get_u8(&data, &type))
		return -EBADMSG;
	switch (type) {
	case PPP_EAP_IDENTITY:
		out[0] = PPP_EAP_IDENTITY;
		memcpy(out + 1, p->user, ul);
		ppp_eap_respond(p, id, out, 1 + ul);
		return 0;
	case PPP_EAP_NOTIFICATION:
		out[0] = PPP_EAP_NOTIFICATION;
		ppp_eap_respond(p, id, out, 1);
		return 0;
	case PPP_EAP_MD5:
		if (pkt_get_u8(&data, &size) || size == 0 || pkt_get_bytes(&data, size, &challenge))
			return -EBADMSG;
		out[0] = PPP_EAP_MD5;
		out[1] = 16;
		err = crypto_hash(ROADIE_INTEG_MD5, out + 2, &id, (size_t)1, p->password,
				  strlen(p->password), challenge, (size_t)size, NULL);
		if (err) {
			ppp_fail(p, PPP_FAIL_INTERNAL, "could not compute the EAP-MD5 response");
			return 0;
		}
		memcpy(out + 18, p->user, ul);
		ppp_eap_respond(p, id, out, 18 + ul);
		roadie_wipe(out, sizeof(out));
		return 0;
	case PPP_EAP_NAK:
		return -EPROTO; /* only in Responses */
	default:
		out[0] = PPP_EAP_NAK;
		out[1] = PPP_EAP_MD5;
		ppp_eap_respond(p, id, out, 2);
		return 0;
	}
}

int ppp_eap_input(struct ppp *p, struct pkt_reader packet, uint64_t now)
{
	struct pkt_reader data;
	uint8_t code, id;

	if (ppp_auth_header(&packet, &code, &id, &data))
		return -EBADMSG;
	switch (code) {
	case PPP_EAP_REQUEST:
		return ppp_eap_request(p, id, data);
	case PPP_EAP_SUCCESS:
	case PPP_EAP_FAILURE:
		break;
	default:
		return -EPROTO;
	}
	/* RFC 3748 §4.2 wants our Response's Identifier here, but pppd as a server sends the
	 * next one (Response 0x55, Success 0x56): accept both, nothing else */
	if (!p->auth.responded || (id != p->auth.id && id != (uint8_t)(p->auth.id + 1)))
		return -ESTALE;
	if (code == PPP_EAP_SUCCESS) {
		ppp_auth_success(p);
		return 0;
	}
	ppp_fail(p, PPP_FAIL_AUTH_REJECTED,
		 "the gateway rejected user '%s': wrong user name or password", p->user);
	return 0;
}

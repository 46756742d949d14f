/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "crypto/crypto-hash.h"
#include "l2tp-avp.h"
#include "secret.h"

#define MD5_LEN 16

const char *l2tp_message_name(uint16_t type, char *buf, size_t buf_len)
{
	static const char *const names[] = {
		[L2TP_MSG_SCCRQ] = "SCCRQ", [L2TP_MSG_SCCRP] = "SCCRP",
		[L2TP_MSG_SCCCN] = "SCCCN", [L2TP_MSG_STOPCCN] = "StopCCN",
		[L2TP_MSG_HELLO] = "HELLO", [L2TP_MSG_OCRQ] = "OCRQ",
		[L2TP_MSG_OCRP] = "OCRP",   [L2TP_MSG_OCCN] = "OCCN",
		[L2TP_MSG_ICRQ] = "ICRQ",   [L2TP_MSG_ICRP] = "ICRP",
		[L2TP_MSG_ICCN] = "ICCN",   [L2TP_MSG_CDN] = "CDN",
		[L2TP_MSG_WEN] = "WEN",     [L2TP_MSG_SLI] = "SLI",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	snprintf(buf, buf_len, "message type %u", type);
	return buf;
}

bool l2tp_message_is_session(uint16_t type)
{
	return type >= L2TP_MSG_OCRQ && type <= L2TP_MSG_SLI;
}

void l2tp_avp_iter_init(struct l2tp_avp_iter *it, const struct pkt_reader *body)
{
	it->r = *body;
}

int l2tp_avp_iter_next(struct l2tp_avp_iter *it, struct l2tp_avp *ret)
{
	struct pkt_reader r = it->r, avp;
	uint16_t flags_len, vendor, type;
	size_t len;

	if (pkt_remaining(&r) == 0)
		return 0;
	if (pkt_peek_be16(&r, &flags_len))
		return -EBADMSG;
	len = flags_len & L2TP_AVP_LEN_MASK;
	/* the AVP is cut off as a reader of its own: nothing inside can reach past it */
	if (len < L2TP_AVP_HEADER_LEN || pkt_get_sub(&r, len, &avp) || pkt_skip(&avp, 2) ||
	    pkt_get_be16(&avp, &vendor) || pkt_get_be16(&avp, &type))
		return -EBADMSG;
	ret->mandatory = flags_len & L2TP_AVP_FLAG_M;
	ret->hidden = flags_len & L2TP_AVP_FLAG_H;
	ret->reserved_bits = flags_len & L2TP_AVP_RESERVED;
	ret->vendor = vendor;
	ret->type = type;
	ret->value = avp;
	it->r = r;
	return 1;
}

static int l2tp_avp_header(struct pkt_writer *w, bool mandatory, bool hidden, uint16_t type,
			   size_t len)
{
	uint16_t flags_len = (uint16_t)(L2TP_AVP_HEADER_LEN + len);

	if (len > L2TP_AVP_MAX_VALUE)
		return -EMSGSIZE;
	if (mandatory)
		flags_len |= L2TP_AVP_FLAG_M;
	if (hidden)
		flags_len |= L2TP_AVP_FLAG_H;
	if (pkt_put_be16(w, flags_len) || pkt_put_be16(w, L2TP_VENDOR_IETF) ||
	    pkt_put_be16(w, type))
		return -EMSGSIZE;
	return 0;
}

int l2tp_avp_put(struct pkt_writer *w, bool mandatory, uint16_t type, const void *value,
		 size_t len)
{
	struct pkt_writer t = *w;

	if (l2tp_avp_header(&t, mandatory, false, type, len) || pkt_put_bytes(&t, value, len))
		return -EMSGSIZE;
	*w = t;
	return 0;
}

int l2tp_avp_put_be16(struct pkt_writer *w, bool mandatory, uint16_t type, uint16_t value)
{
	uint8_t v[2] = { (uint8_t)(value >> 8), (uint8_t)value };

	return l2tp_avp_put(w, mandatory, type, v, sizeof(v));
}

int l2tp_avp_put_be32(struct pkt_writer *w, bool mandatory, uint16_t type, uint32_t value)
{
	uint8_t v[4] = { (uint8_t)(value >> 24), (uint8_t)(value >> 16), (uint8_t)(value >> 8),
			 (uint8_t)value };

	return l2tp_avp_put(w, mandatory, type, v, sizeof(v));
}

int l2tp_avp_put_result(struct pkt_writer *w, uint16_t result, bool has_error, uint16_t error,
			const char *message)
{
	struct pkt_writer t = *w;
	size_t msg_len = message ? strlen(message) : 0;
	size_t len = 2 + (has_error || message ? 2 : 0) + msg_len;

	/* a message needs the error code in front of it (§4.4.2) */
	if (l2tp_avp_header(&t, true, false, L2TP_ATTR_RESULT_CODE, len) ||
	    pkt_put_be16(&t, result) ||
	    ((has_error || message) && pkt_put_be16(&t, has_error ? error : 0)) ||
	    pkt_put_bytes(&t, message, msg_len))
		return -EMSGSIZE;
	*w = t;
	return 0;
}

/*
 * The key stream of §4.3, one 16-byte block at a time. @cipher is the hidden form (the
 * output when hiding, the input when unhiding): each block's successor is keyed by it.
 */
static int l2tp_hide_block(const struct l2tp_hide_key *key, uint16_t type, const uint8_t *prev,
			   uint8_t b[MD5_LEN])
{
	uint8_t at[2] = { (uint8_t)(type >> 8), (uint8_t)type };

	if (!prev)
		return crypto_hash(ROADIE_INTEG_MD5, b, at, sizeof(at), key->secret,
				   key->secret_len, key->random_vector, key->random_vector_len,
				   NULL);
	return crypto_hash(ROADIE_INTEG_MD5, b, key->secret, key->secret_len, prev,
			   (size_t)MD5_LEN, NULL);
}

int l2tp_avp_hide(const struct l2tp_hide_key *key, uint16_t type, const void *value, size_t len,
		  size_t pad, uint8_t *out, size_t out_cap)
{
	size_t total = 2 + len + pad;
	uint8_t b[MD5_LEN];
	int err = 0;

	if (len > 0xffff || total > L2TP_AVP_MAX_VALUE || total > out_cap)
		return -EMSGSIZE;
	out[0] = (uint8_t)(len >> 8);
	out[1] = (uint8_t)len;
	if (len)
		memcpy(out + 2, value, len);
	memset(out + 2 + len, 0, pad);
	for (size_t off = 0; off < total && !err; off += MD5_LEN) {
		size_t n = total - off < MD5_LEN ? total - off : MD5_LEN;

		err = l2tp_hide_block(key, type, off ? out + off - MD5_LEN : NULL, b);
		for (size_t i = 0; i < n && !err; i++)
			out[off + i] ^= b[i];
	}
	roadie_wipe(b, sizeof(b));
	if (err)
		roadie_wipe(out, total);
	return err;
}

int l2tp_avp_unhide(const struct l2tp_hide_key *key, uint16_t type, const uint8_t *hidden,
		    size_t hidden_len, uint8_t *out, size_t out_cap, size_t *ret_len)
{
	uint8_t plain[L2TP_AVP_MAX_VALUE];
	uint8_t b[MD5_LEN];
	size_t orig = 0;
	int err = 0;

	if (hidden_len < 2 || hidden_len > sizeof(plain))
		return -EBADMSG;
	for (size_t off = 0; off < hidden_len && !err; off += MD5_LEN) {
		size_t n = hidden_len - off < MD5_LEN ? hidden_len - off : MD5_LEN;

		err = l2tp_hide_block(key, type, off ? hidden + off - MD5_LEN : NULL, b);
		for (size_t i = 0; i < n && !err; i++)
			plain[off + i] = hidden[off + i] ^ b[i];
	}
	if (!err) {
		orig = (size_t)plain[0] << 8 | plain[1];
		/* a wrong secret shows up here, as an original length that cannot be */
		if (orig > hidden_len - 2)
			err = -EBADMSG;
		else if (orig > out_cap)
			err = -EMSGSIZE;
	}
	if (!err) {
		memcpy(out, plain + 2, orig);
		*ret_len = orig;
	}
	roadie_wipe(b, sizeof(b));
	roadie_wipe(plain, hidden_len);
	return err;
}

int l2tp_avp_put_hidden(struct pkt_writer *w, const struct l2tp_hide_key *key, bool mandatory,
			uint16_t type, const void *value, size_t len)
{
	struct pkt_writer t = *w;
	size_t pad = (MD5_LEN - (2 + len) % MD5_LEN) % MD5_LEN;
	uint8_t *space;

	if (l2tp_avp_header(&t, mandatory, true, type, 2 + len + pad) ||
	    pkt_put_space(&t, 2 + len + pad, &space) ||
	    l2tp_avp_hide(key, type, value, len, pad, space, 2 + len + pad))
		return -EMSGSIZE;
	*w = t;
	return 0;
}

bool l2tp_avp_hideable(uint16_t type)
{
	/* The attributes §4.4 says "may be hidden" and roadie sends; Message Type, Random
	 * Vector, Result Code, Protocol Version, Host Name and Receive Window Size must not. */
	switch (type) {
	case L2TP_ATTR_FRAMING_CAPS:
	case L2TP_ATTR_BEARER_CAPS:
	case L2TP_ATTR_FIRMWARE_REVISION:
	case L2TP_ATTR_VENDOR_NAME:
	case L2TP_ATTR_ASSIGNED_TUNNEL_ID:
	case L2TP_ATTR_CHALLENGE:
	case L2TP_ATTR_CHALLENGE_RESPONSE:
	case L2TP_ATTR_ASSIGNED_SESSION_ID:
	case L2TP_ATTR_TX_CONNECT_SPEED:
	case L2TP_ATTR_FRAMING_TYPE:
		return true;
	default:
		return false;
	}
}

int l2tp_challenge_response(uint8_t message_type, const uint8_t *secret, size_t secret_len,
			    const uint8_t *challenge, size_t challenge_len,
			    uint8_t out[L2TP_CHALLENGE_RESPONSE_LEN])
{
	return crypto_hash(ROADIE_INTEG_MD5, out, &message_type, (size_t)1, secret, secret_len,
			   challenge, challenge_len, NULL);
}

void l2tp_sanitize(const uint8_t *p, size_t len, char *out, size_t out_size)
{
	size_t n = 0;

	if (!out_size)
		return;
	for (size_t i = 0; i < len && n + 1 < out_size; i++)
		out[n++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	if (n < len && out_size > 4) {
		memcpy(out + out_size - 4, "...", 3);
		n = out_size - 1;
	}
	out[n] = '\0';
}

static void l2tp_avp_string(struct pkt_reader *v, char *out, size_t out_size)
{
	const uint8_t *p;
	size_t len;

	pkt_get_rest(v, &p, &len);
	l2tp_sanitize(p, len, out, out_size);
}

/* One recognised IETF attribute into @a; -EBADMSG when its length is wrong (§4.4). */
static int l2tp_avps_decode(struct l2tp_avps *a, uint16_t type, struct pkt_reader *v)
{
	struct l2tp_result *res = &a->result;
	size_t len = pkt_remaining(v);
	int err = 0;

	switch (type) {
	case L2TP_ATTR_RESULT_CODE:
		memset(res, 0, sizeof(*res));
		err = pkt_get_be16(v, &res->result);
		if (!err && pkt_remaining(v)) {
			err = pkt_get_be16(v, &res->error);
			res->has_error = !err;
			l2tp_avp_string(v, res->message, sizeof(res->message));
		}
		break;
	case L2TP_ATTR_PROTOCOL_VERSION:
		err = pkt_get_u8(v, &a->version) || pkt_get_u8(v, &a->revision);
		break;
	case L2TP_ATTR_FRAMING_CAPS:
		err = pkt_get_be32(v, &a->framing_caps);
		break;
	case L2TP_ATTR_BEARER_CAPS:
		err = pkt_get_be32(v, &a->bearer_caps);
		break;
	case L2TP_ATTR_FIRMWARE_REVISION:
		err = pkt_get_be16(v, &a->firmware);
		break;
	case L2TP_ATTR_HOST_NAME:
		err = len == 0;
		l2tp_avp_string(v, a->host_name, sizeof(a->host_name));
		break;
	case L2TP_ATTR_VENDOR_NAME:
		l2tp_avp_string(v, a->vendor_name, sizeof(a->vendor_name));
		break;
	case L2TP_ATTR_ASSIGNED_TUNNEL_ID:
		err = pkt_get_be16(v, &a->assigned_tunnel_id);
		break;
	case L2TP_ATTR_RECEIVE_WINDOW:
		err = pkt_get_be16(v, &a->receive_window);
		break;
	case L2TP_ATTR_CHALLENGE:
		err = len == 0 || len > sizeof(a->challenge) || pkt_copy_bytes(v, a->challenge, len);
		if (!err)
			a->challenge_len = len;
		break;
	case L2TP_ATTR_CHALLENGE_RESPONSE:
		err = pkt_copy_bytes(v, a->challenge_response, L2TP_CHALLENGE_RESPONSE_LEN);
		break;
	case L2TP_ATTR_ASSIGNED_SESSION_ID:
		err = pkt_get_be16(v, &a->assigned_session_id);
		break;
	case L2TP_ATTR_CALL_SERIAL:
		err = pkt_get_be32(v, &a->call_serial);
		break;
	case L2TP_ATTR_TX_CONNECT_SPEED:
		err = pkt_get_be32(v, &a->tx_connect_speed);
		break;
	case L2TP_ATTR_FRAMING_TYPE:
		err = pkt_get_be32(v, &a->framing_type);
		break;
	default:
		/* recognised, but nothing a LAC needs (Tie Breaker, Q.931 cause, ...) */
		pkt_skip(v, len);
		break;
	}
	if (err || pkt_expect_end(v))
		return -EBADMSG;
	a->present |= (uint64_t)1 << type;
	return 0;
}

/* The Message Type AVP: first, visible, 2 bytes (§4.4.1). */
static int l2tp_avps_message_type(struct l2tp_avps *a, const struct l2tp_avp *avp)
{
	struct pkt_reader v = avp->value;

	if (avp->vendor != L2TP_VENDOR_IETF || avp->type != L2TP_ATTR_MESSAGE_TYPE ||
	    avp->hidden || avp->reserved_bits || pkt_get_be16(&v, &a->message_type) ||
	    pkt_expect_end(&v))
		return -EBADMSG;
	a->message_type_mandatory = avp->mandatory;
	a->present |= 1;
	return 0;
}

static bool l2tp_avp_recognised(const struct l2tp_avp *avp)
{
	return !avp->reserved_bits && avp->vendor == L2TP_VENDOR_IETF &&
	       avp->type <= L2TP_ATTR_LAST && avp->type != 20;
}

int l2tp_avps_parse(const struct pkt_reader *body, const uint8_t *secret, size_t secret_len,
		    struct l2tp_avps *ret)
{
	uint8_t plain[L2TP_AVP_MAX_VALUE];
	struct l2tp_hide_key key = { .secret = secret, .secret_len = secret_len };
	struct l2tp_avp_iter it;
	struct l2tp_avp avp;
	struct l2tp_avps a;
	bool first = true;
	int err = 0, n = 0;

	memset(&a, 0, sizeof(a));
	l2tp_avp_iter_init(&it, body);
	while (!err && (n = l2tp_avp_iter_next(&it, &avp)) == 1) {
		struct pkt_reader v = avp.value;
		size_t plain_len;

		if (first) {
			err = l2tp_avps_message_type(&a, &avp);
			first = false;
			continue;
		}
		if (!l2tp_avp_recognised(&avp)) {
			/* §4.1: ignore it unless the M bit is set; then the caller tears down */
			if (avp.mandatory && !a.unknown_mandatory) {
				a.unknown_mandatory = true;
				a.unknown_vendor = avp.vendor;
				a.unknown_type = avp.type;
			}
			continue;
		}
		if (avp.type == L2TP_ATTR_MESSAGE_TYPE) {
			err = -EBADMSG;
		} else if (avp.type == L2TP_ATTR_RANDOM_VECTOR) {
			/* it applies to the hidden AVPs after it, up to the next one (§4.3) */
			if (avp.hidden || pkt_remaining(&v) == 0)
				err = -EBADMSG;
			else
				pkt_get_rest(&v, &key.random_vector, &key.random_vector_len);
		} else {
			if (avp.hidden) {
				const uint8_t *hidden;
				size_t hidden_len;

				pkt_get_rest(&v, &hidden, &hidden_len);
				if (!key.random_vector)
					err = -EBADMSG;
				else if (!secret)
					err = -ENOKEY;
				else if (l2tp_avp_unhide(&key, avp.type, hidden, hidden_len, plain,
							 sizeof(plain), &plain_len))
					err = -EBADMSG;
				else
					pkt_reader_init(&v, plain, plain_len);
				a.n_hidden++;
			}
			if (!err)
				err = l2tp_avps_decode(&a, avp.type, &v);
		}
	}
	if (!err && (n < 0 || first))
		err = -EBADMSG;
	roadie_wipe(plain, sizeof(plain));
	if (!err)
		*ret = a;
	roadie_wipe(&a, sizeof(a)); /* a challenge is not secret, but nothing of it lingers */
	return err;
}

static const char *l2tp_result_phrase(bool session, uint16_t result)
{
	static const char *const stopccn[] = {
		[1] = "general request to clear the control connection",
		[2] = "general error",
		[3] = "a control connection with roadie already exists",
		[4] = "roadie is not authorized to establish a control connection (check the L2TP "
		      "tunnel secret and host name)",
		[5] = "the server does not support roadie's protocol version",
		[6] = "the server is shutting down",
		[7] = "the server's state machine failed",
	};
	static const char *const cdn[] = {
		[1] = "call disconnected due to loss of carrier",
		[2] = "general error",
		[3] = "call disconnected for administrative reasons",
		[4] = "no facilities available for the call right now (a temporary condition)",
		[5] = "no facilities available for the call (a permanent condition)",
		[6] = "invalid destination",
		[7] = "no carrier detected",
		[8] = "busy signal detected",
		[9] = "no dial tone",
		[10] = "the call was not established within the time allowed",
		[11] = "the call was connected but no framing was detected",
	};

	if (!session && result < sizeof(stopccn) / sizeof(stopccn[0]))
		return stopccn[result];
	if (session && result < sizeof(cdn) / sizeof(cdn[0]))
		return cdn[result];
	return NULL;
}

static const char *l2tp_error_phrase(uint16_t error)
{
	static const char *const errors[] = {
		[1] = "no control connection exists yet",
		[2] = "a length was wrong",
		[3] = "a field value was out of range or a reserved field was non-zero",
		[4] = "insufficient resources to handle the request now",
		[5] = "the session ID is invalid in this context",
		[6] = "a vendor-specific error",
		[7] = "try another server",
		[8] = "an unknown attribute with the mandatory bit was received",
	};

	return error < sizeof(errors) / sizeof(errors[0]) ? errors[error] : NULL;
}

void l2tp_result_text(bool session, const struct l2tp_result *result, char *buf, size_t len)
{
	const char *what = l2tp_result_phrase(session, result->result);
	const char *why = result->has_error ? l2tp_error_phrase(result->error) : NULL;
	char rbuf[32], ebuf[96] = "", mbuf[L2TP_ERROR_MESSAGE_MAX + 16] = "";

	if (!what) {
		snprintf(rbuf, sizeof(rbuf), "result code %u", result->result);
		what = rbuf;
	}
	if (why)
		snprintf(ebuf, sizeof(ebuf), " (%s)", why);
	else if (result->has_error && result->error != 0)
		snprintf(ebuf, sizeof(ebuf), " (error code %u)", result->error);
	/* the server's own words, already printable ASCII and bounded */
	if (result->message[0])
		snprintf(mbuf, sizeof(mbuf), "; it says \"%s\"", result->message);
	snprintf(buf, len, "the L2TP server closed the %s: %s%s%s", session ? "session" : "tunnel",
		 what, ebuf, mbuf);
}

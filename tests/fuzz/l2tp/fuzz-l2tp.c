/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzzes L2TP as roadied meets it: the input (after its first byte) is a datagram from the
 * LNS, handed to a LAC that has sent SCCRQ, then again (the duplicate path), and the clock
 * is run through every deadline. The first byte picks a scripted prefix:
 *
 *	0: just after SCCRQ		1: after a valid SCCRP (tunnel up, ICRQ sent)
 *	2: after SCCRP and ICRP (session up)	3: after SCCRQ, with a tunnel secret and hiding
 *
 * The same bytes also go through l2tp_data_parse and the AVP decoder. Randomness counts up
 * from 1, so roadie's tunnel id is always 0x0102 (and its session id 0x0304 in modes 1, 2),
 * and inputs can carry them.
 */
#include <stdlib.h>
#include <string.h>

#include "l2tp/l2tp-avp.h"
#include "l2tp/l2tp-message.h"
#include "l2tp/l2tp-tunnel.h"

static volatile uint8_t sink;

static void touch(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sink ^= p[i];
}

static void fuzz_send(void *user, const uint8_t *data, size_t len)
{
	(void)user;
	touch(data, len);
}

static void fuzz_event(void *user, const struct l2tp_event *ev)
{
	(void)user;
	if (!ev->text)
		abort();
	touch((const uint8_t *)ev->text, strlen(ev->text));
}

static int fuzz_random(void *user, uint8_t *buf, size_t len)
{
	uint8_t *counter = user;

	for (size_t i = 0; i < len; i++)
		buf[i] = ++*counter;
	return 0;
}

static const struct l2tp_ops fuzz_ops = {fuzz_send, fuzz_event, fuzz_random};
static const uint8_t fuzz_secret[] = "tunnel-secret";

static void deliver(struct l2tp_tunnel *t, struct pkt_writer *w, uint64_t now)
{
	if (l2tp_header_set_length(w))
		abort();
	l2tp_tunnel_receive(t, pkt_writer_data(w), pkt_writer_len(w), now);
}

/* The LNS's SCCRP (tunnel 0x4242) and ICRP (session 0x0777), as a well-behaved xl2tpd. */
static void bring_up(struct l2tp_tunnel *t, bool session)
{
	uint8_t buf[256];
	struct pkt_writer w;

	pkt_writer_init(&w, buf, sizeof(buf), 0);
	if (l2tp_control_begin(&w, l2tp_tunnel_id(t), 0, 0, 1) ||
	    l2tp_avp_put_be16(&w, true, L2TP_ATTR_MESSAGE_TYPE, L2TP_MSG_SCCRP) ||
	    l2tp_avp_put(&w, true, L2TP_ATTR_PROTOCOL_VERSION, "\x01\x00", 2) ||
	    l2tp_avp_put(&w, true, L2TP_ATTR_HOST_NAME, "lns", 3) ||
	    l2tp_avp_put_be16(&w, true, L2TP_ATTR_ASSIGNED_TUNNEL_ID, 0x4242) ||
	    l2tp_avp_put_be16(&w, true, L2TP_ATTR_RECEIVE_WINDOW, 4))
		abort();
	deliver(t, &w, 1);
	if (l2tp_tunnel_state(t) != L2TP_TUNNEL_WAIT_ICRP)
		abort();
	if (!session)
		return;
	pkt_writer_init(&w, buf, sizeof(buf), 0);
	if (l2tp_control_begin(&w, l2tp_tunnel_id(t), l2tp_tunnel_session_id(t), 1, 3) ||
	    l2tp_avp_put_be16(&w, true, L2TP_ATTR_MESSAGE_TYPE, L2TP_MSG_ICRP) ||
	    l2tp_avp_put_be16(&w, true, L2TP_ATTR_ASSIGNED_SESSION_ID, 0x0777))
		abort();
	deliver(t, &w, 2);
	if (l2tp_tunnel_state(t) != L2TP_TUNNEL_ESTABLISHED)
		abort();
}

static void fuzz_tunnel(uint8_t mode, const uint8_t *data, size_t size)
{
	struct l2tp_config cfg = {.host_name = "fuzz"};
	uint8_t counter = 0;
	struct l2tp_tunnel *t;
	uint64_t now = 10;

	if (mode == 3) {
		cfg.secret = fuzz_secret;
		cfg.secret_len = sizeof(fuzz_secret) - 1;
		cfg.hide_avps = true;
	}
	t = l2tp_tunnel_new(&cfg, &fuzz_ops, &counter);
	if (!t || l2tp_tunnel_start(t, 0))
		abort();
	if (mode == 1 || mode == 2)
		bring_up(t, mode == 2);
	l2tp_tunnel_receive(t, data, size, now);
	l2tp_tunnel_receive(t, data, size, now + 1);
	for (int i = 0; i < 32; i++) {
		uint64_t d = l2tp_tunnel_next_deadline(t);

		if (d == UINT64_MAX)
			break;
		if (d < now)
			abort(); /* a deadline in the past would spin the main loop */
		now = d;
		l2tp_tunnel_tick(t, now);
	}
	l2tp_tunnel_close(t, now);
	l2tp_tunnel_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct l2tp_header h;
	struct pkt_reader body;
	struct l2tp_avps a;
	uint16_t tid, sid;
	size_t off, n;
	uint8_t *copy;

	if (size < 1)
		return 0;
	n = size - 1;
	/* an exact-size heap copy, so ASan sees any read past the datagram */
	copy = malloc(n ? n : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, n);

	if (l2tp_data_parse(copy, n, &tid, &sid, &off) == 0) {
		if (off > n)
			abort();
		touch(copy + off, n - off);
	}
	if (l2tp_control_parse(copy, n, &h, &body) == 0 &&
	    l2tp_avps_parse(&body, fuzz_secret, sizeof(fuzz_secret) - 1, &a) == 0) {
		char text[512];

		if (strlen(a.result.message) > L2TP_ERROR_MESSAGE_MAX ||
		    a.challenge_len > sizeof(a.challenge))
			abort();
		l2tp_result_text(l2tp_message_is_session(a.message_type), &a.result, text,
				 sizeof(text));
		touch((const uint8_t *)text, strlen(text));
	}
	fuzz_tunnel(data[0] & 3, copy, n);
	free(copy);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzzes the PPP client session as roadied runs it: a started session receives frames cut
 * from the input. The first byte picks a scripted prefix played by a well-behaved gateway,
 * so the fuzzer starts deep enough to matter (byte % 7):
 *
 *   0 LCP negotiating   1 MS-CHAPv2 awaited   2 CHAP-MD5 awaited   3 PAP sent
 *   4 EAP awaited       5 IPCP (and IPV6CP) negotiating
 *   6 running (IPCP up; with IPv6, IPV6CP up too)
 *
 * and whether the session negotiates IPv6 (byte % 14 >= 7; below 7, the seeds written before
 * IPV6CP keep their meaning).
 *
 * Then chunks: a 2-byte big-endian length and that many bytes, handed to ppp_receive; a
 * length of 0 advances the clock by 3 s and ticks instead. At the end the session is closed
 * and run out. Invariants: exactly one of FAILED or DOWN, never both, never twice; every
 * packet we send has an exact Length; IPV6_UP only with IPv6 on, after an UP, with a non-zero
 * identifier of ours.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ppp/ppp.h"

struct fz {
	struct ppp *p;
	uint8_t last_lcp[256];   /* our last LCP Configure-Request */
	size_t last_lcp_len;
	uint8_t last_ipcp[256];
	size_t last_ipcp_len;
	uint8_t last_ipv6cp[256];
	size_t last_ipv6cp_len;
	bool ipv6;
	unsigned ups;
	unsigned ends;
	uint8_t counter;
	uint64_t now;
};

static void fz_send(void *user, uint16_t protocol, const uint8_t *data, size_t len)
{
	struct fz *z = user;

	if (len < 4 || (size_t)(data[2] << 8 | data[3]) != len)
		abort(); /* we always send exact Lengths */
	if (data[0] != 1 || len > sizeof(z->last_lcp))
		return;
	if (protocol == PPP_PROTO_LCP) {
		memcpy(z->last_lcp, data, len);
		z->last_lcp_len = len;
	} else if (protocol == PPP_PROTO_IPCP) {
		memcpy(z->last_ipcp, data, len);
		z->last_ipcp_len = len;
	} else if (protocol == PPP_PROTO_IPV6CP) {
		memcpy(z->last_ipv6cp, data, len);
		z->last_ipv6cp_len = len;
	}
}

static void fz_event(void *user, const struct ppp_event *ev)
{
	struct fz *z = user;

	if (!ev->text)
		abort();
	if (ev->type == PPP_EVENT_FAILED || ev->type == PPP_EVENT_DOWN) {
		if (++z->ends > 1)
			abort();
	}
	if (ev->type == PPP_EVENT_UP) {
		if (!ev->ip)
			abort();
		z->ups++;
	}
	if (ev->type == PPP_EVENT_IPV6_UP) {
		static const uint8_t zero[8];

		if (!z->ipv6 || !z->ups || !ev->ipv6 || !memcmp(ev->ipv6->local, zero, 8))
			abort();
	}
}

static int fz_random(void *user, uint8_t *buf, size_t len)
{
	struct fz *z = user;

	for (size_t i = 0; i < len; i++)
		buf[i] = ++z->counter;
	return 0;
}

static const struct ppp_ops fz_ops = { fz_send, fz_event, fz_random };

static void fz_rx(struct fz *z, uint16_t proto, uint8_t code, uint8_t id, const void *data,
		  size_t len)
{
	uint8_t f[512];

	if (len > sizeof(f) - 8)
		return;
	f[0] = 0xff, f[1] = 0x03, f[2] = proto >> 8, f[3] = proto & 0xff;
	f[4] = code, f[5] = id, f[6] = (uint8_t)((len + 4) >> 8), f[7] = (len + 4) & 0xff;
	if (len)
		memcpy(f + 8, data, len);
	ppp_receive(z->p, f, 8 + len, z->now);
}

/* The gateway Acks our last request of @proto. */
static void fz_ack(struct fz *z, uint16_t proto)
{
	const uint8_t *req = proto == PPP_PROTO_LCP ? z->last_lcp :
			     proto == PPP_PROTO_IPCP ? z->last_ipcp :
						       z->last_ipv6cp;
	size_t len = proto == PPP_PROTO_LCP ? z->last_lcp_len :
		     proto == PPP_PROTO_IPCP ? z->last_ipcp_len :
					       z->last_ipv6cp_len;

	if (len >= 4)
		fz_rx(z, proto, 2, req[1], req + 4, len - 4);
}

static void fz_prefix(struct fz *z, uint8_t which)
{
	static const uint8_t base[] = { 0x02, 0x06, 0, 0, 0, 0, 0x05, 0x06, 0x11, 0x22,
					0x33, 0x44, 0x07, 0x02, 0x08, 0x02 };
	static const uint8_t auths[][5] = {
		{ 0 },
		{ 0x03, 0x05, 0xc2, 0x23, 0x81 },
		{ 0x03, 0x05, 0xc2, 0x23, 0x05 },
		{ 0x03, 0x04, 0xc0, 0x23 },
		{ 0x03, 0x04, 0xc2, 0x27 },
	};
	uint8_t opts[sizeof(base) + 5];
	size_t n = sizeof(base);

	if (which == 0)
		return;
	memcpy(opts, base, sizeof(base));
	if (which <= 4) {
		n += auths[which][1];
		memcpy(opts + sizeof(base), auths[which], auths[which][1]);
	}
	fz_rx(z, PPP_PROTO_LCP, 1, 0x40, opts, n);
	fz_ack(z, PPP_PROTO_LCP);
	if (which == 6) {
		static const uint8_t req[] = { 0x03, 0x06, 192, 0, 2, 1 };
		static const uint8_t nak[] = { 0x03, 0x06, 192, 0, 2, 128, 0x81, 0x06,
					       192, 0, 2, 53, 0x83, 0x06, 192, 0, 2, 54 };

		fz_rx(z, PPP_PROTO_IPCP, 1, 0x01, req, sizeof(req));
		if (z->last_ipcp_len >= 4)
			fz_rx(z, PPP_PROTO_IPCP, 3, z->last_ipcp[1], nak, sizeof(nak));
		fz_ack(z, PPP_PROTO_IPCP);
		if (z->ipv6) {
			static const uint8_t v6[] = { 0x01, 0x0a, 0x02, 0x00, 0x5e, 0xff,
						      0xfe, 0x00, 0x53, 0x01 };

			fz_rx(z, PPP_PROTO_IPV6CP, 1, 0x01, v6, sizeof(v6));
			fz_ack(z, PPP_PROTO_IPV6CP);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ppp_config cfg = {
		.user = "DOMAIN\\alice",
		.password = "secret",
		.allowed_auth = PPP_AUTH_ALL,
		.mru = 1400,
		.echo_interval_s = 10,
		.echo_failures = 2,
	};
	struct fz z = { 0 };
	size_t off = 1;

	if (size < 1)
		return 0;
	cfg.ipv6 = data[0] % 14 >= 7;
	z.ipv6 = cfg.ipv6;
	z.p = ppp_new(&cfg, &fz_ops, &z);
	if (!z.p)
		abort();
	if (ppp_start(z.p, 0))
		abort();
	fz_prefix(&z, data[0] % 7);

	while (off + 2 <= size) {
		size_t len = (size_t)data[off] << 8 | data[off + 1];

		off += 2;
		if (len == 0) {
			z.now += 3000;
			ppp_tick(z.p, z.now);
			continue;
		}
		if (len > size - off)
			len = size - off;
		ppp_receive(z.p, data + off, len, z.now);
		off += len;
		if (ppp_next_deadline(z.p) < z.now)
			abort(); /* a deadline in the past would spin the main loop */
	}

	/* close and let every timer run out: the session must end, once */
	ppp_close(z.p, z.now);
	for (int i = 0; i < 64 && ppp_next_deadline(z.p) != UINT64_MAX; i++) {
		z.now = ppp_next_deadline(z.p);
		ppp_tick(z.p, z.now);
	}
	if (ppp_next_deadline(z.p) != UINT64_MAX || z.ends != 1)
		abort();
	ppp_free(z.p);
	return 0;
}

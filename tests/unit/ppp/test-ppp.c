/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PPP client without sockets: the test plays the gateway (pppd behind xl2tpd, as in the
 * lab), packets out are captured, time is a number. Transcripts of LCP and IPCP negotiation,
 * loop detection, give-ups, keepalive, termination, rejects; whole sessions with MS-CHAPv2
 * (RFC 2759 §9.2 values), PAP, CHAP-MD5 and EAP-MD5; IPV6CP (RFC 5072) beside IPCP;
 * malformed input changes nothing.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <glib.h>

#include "ppp/ppp.h"
#include "ppp/ppp-private.h" /* ppp_chap_failure_text */

typedef struct {
	struct ppp *p;
	GPtrArray *sent;   /* GBytes: 2-byte protocol, then the packet */
	GPtrArray *events; /* char *: "KIND:text" */
	unsigned seen;     /* sent packets examined so far */
	struct ppp_ip_result ip;
	unsigned ups;
	struct ppp_ipv6_result ip6;
	unsigned ipv6_ups;
	uint8_t counter;
	const uint8_t *fixed16; /* handed out for 16-byte random requests (Peer-Challenge) */
} H;

static void h_send(void *user, uint16_t protocol, const uint8_t *data, size_t len)
{
	H *h = user;
	GByteArray *b = g_byte_array_new();
	uint8_t pr[2] = { protocol >> 8, protocol & 0xff };

	g_byte_array_append(b, pr, 2);
	g_byte_array_append(b, data, (guint)len);
	g_ptr_array_add(h->sent, g_byte_array_free_to_bytes(b));
}

static void h_event(void *user, const struct ppp_event *ev)
{
	H *h = user;
	static const char *const kind[] = { "AUTH_OK", "UP", "FAILED", "DOWN", "IPV6_UP",
					     "IPV6_DOWN" };

	g_assert_cmpuint(ev->type, <, G_N_ELEMENTS(kind));
	if (ev->type == PPP_EVENT_UP) {
		h->ip = *ev->ip;
		h->ups++;
	}
	if (ev->type == PPP_EVENT_IPV6_UP) {
		g_assert_nonnull(ev->ipv6);
		h->ip6 = *ev->ipv6;
		h->ipv6_ups++;
	}
	g_ptr_array_add(h->events, g_strdup_printf("%s:%s", kind[ev->type], ev->text));
}

static int h_random(void *user, uint8_t *buf, size_t len)
{
	H *h = user;

	if (len == 16 && h->fixed16) {
		memcpy(buf, h->fixed16, 16);
		return 0;
	}
	for (size_t i = 0; i < len; i++)
		buf[i] = ++h->counter;
	return 0;
}

static const struct ppp_ops ops = { h_send, h_event, h_random };

static struct ppp_config default_config(void)
{
	struct ppp_config cfg = {
		.user = "alice",
		.password = "secret",
		.allowed_auth = PPP_AUTH_ALL,
		.mru = 1400,
	};

	return cfg;
}

static void h_start(H *h, const struct ppp_config *cfg)
{
	memset(h, 0, sizeof(*h));
	h->sent = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	h->events = g_ptr_array_new_with_free_func(g_free);
	h->p = ppp_new(cfg, &ops, h);
	g_assert_nonnull(h->p);
	g_assert_cmpint(ppp_start(h->p, 0), ==, 0);
	g_assert_cmpint(ppp_phase(h->p), ==, PPP_PHASE_ESTABLISH);
}

static void h_finish(H *h)
{
	ppp_free(h->p);
	g_ptr_array_unref(h->sent);
	g_ptr_array_unref(h->events);
}

/* A frame from the gateway: FF 03, protocol, Code, Identifier, Length, data. */
static void rx(H *h, uint64_t now, uint16_t proto, uint8_t code, uint8_t id, const void *data,
	       size_t len)
{
	uint8_t f[2048];
	size_t n = 0;

	f[n++] = 0xff, f[n++] = 0x03, f[n++] = proto >> 8, f[n++] = proto & 0xff;
	f[n++] = code, f[n++] = id, f[n++] = (uint8_t)((len + 4) >> 8), f[n++] = (len + 4) & 0xff;
	g_assert_cmpuint(len, <=, sizeof(f) - n);
	if (len)
		memcpy(f + n, data, len);
	ppp_receive(h->p, f, n + len, now);
}

/* The next packet we sent: must be @proto with @code; returns the packet (from Code on). */
static const uint8_t *tx(H *h, uint16_t proto, uint8_t code, size_t *ret_len)
{
	const uint8_t *d;
	size_t n;

	if (h->seen >= h->sent->len)
		g_error("expected a packet (protocol 0x%04x code %u), none was sent", proto, code);
	d = g_bytes_get_data(h->sent->pdata[h->seen++], &n);
	g_assert_cmpuint(n, >=, 6);
	g_assert_cmphex((unsigned)(d[0] << 8 | d[1]), ==, proto);
	g_assert_cmpuint(d[2], ==, code);
	/* our Length is exact */
	g_assert_cmpuint((size_t)(d[4] << 8 | d[5]), ==, n - 2);
	if (ret_len)
		*ret_len = n - 2;
	return d + 2;
}

static void no_tx(H *h)
{
	g_assert_cmpuint(h->seen, ==, h->sent->len);
}

static const char *last_event(H *h)
{
	g_assert_cmpuint(h->events->len, >, 0);
	return h->events->pdata[h->events->len - 1];
}

/* LCP options the lab's pppd sends: ACCM 0, Magic 0x11223344, PFC, ACFC; @auth after. */
static size_t server_lcp_opts(uint8_t *buf, const uint8_t *auth, size_t auth_len)
{
	static const uint8_t base[] = { 0x02, 0x06, 0, 0, 0, 0, 0x05, 0x06, 0x11, 0x22,
					0x33, 0x44, 0x07, 0x02, 0x08, 0x02 };

	memcpy(buf, base, sizeof(base));
	if (auth_len)
		memcpy(buf + sizeof(base), auth, auth_len);
	return sizeof(base) + auth_len;
}

static const uint8_t AUTH_MSCHAPV2[] = { 0x03, 0x05, 0xc2, 0x23, 0x81 };
static const uint8_t AUTH_CHAP_MD5[] = { 0x03, 0x05, 0xc2, 0x23, 0x05 };
static const uint8_t AUTH_MSCHAPV1[] = { 0x03, 0x05, 0xc2, 0x23, 0x80 };
static const uint8_t AUTH_PAP[] = { 0x03, 0x04, 0xc0, 0x23 };
static const uint8_t AUTH_EAP[] = { 0x03, 0x04, 0xc2, 0x27 };

/* LCP to Opened: the gateway Acks our first request and sends its own with @auth. */
static void lcp_open(H *h, const uint8_t *auth, size_t auth_len)
{
	uint8_t opts[64];
	size_t n = server_lcp_opts(opts, auth, auth_len), len;
	const uint8_t *req = tx(h, PPP_PROTO_LCP, 1, &len);
	const uint8_t *ack;

	rx(h, 10, PPP_PROTO_LCP, 1, 0x40, opts, n);
	ack = tx(h, PPP_PROTO_LCP, 2, &len);
	g_assert_cmpuint(ack[1], ==, 0x40);
	g_assert_cmpmem(ack + 4, len - 4, opts, n);
	{
		size_t rl = (size_t)(req[2] << 8 | req[3]);

		rx(h, 20, PPP_PROTO_LCP, 2, req[1], req + 4, rl - 4);
	}
}

/* IPCP from our first request (@req, already taken) to UP, the gateway assigning an address
 * and the DNS servers. */
static void ipcp_up_from(H *h, uint64_t now, const uint8_t *req, size_t len)
{
	static const uint8_t server_req[] = { 0x03, 0x06, 192, 0, 2, 1 };
	static const uint8_t nak[] = { 0x03, 0x06, 192, 0, 2, 128, 0x81, 0x06, 192, 0, 2, 53,
				       0x83, 0x06, 192, 0, 2, 54 };
	static const uint8_t want_zero[] = { 0x03, 0x06, 0, 0, 0, 0, 0x81, 0x06, 0, 0, 0, 0,
					     0x83, 0x06, 0, 0, 0, 0 };

	g_assert_cmpmem(req + 4, len - 4, want_zero, sizeof(want_zero));
	rx(h, now, PPP_PROTO_IPCP, 1, 0x01, server_req, sizeof(server_req));
	tx(h, PPP_PROTO_IPCP, 2, NULL);
	rx(h, now, PPP_PROTO_IPCP, 3, req[1], nak, sizeof(nak));
	req = tx(h, PPP_PROTO_IPCP, 1, &len);
	g_assert_cmpmem(req + 4, len - 4, nak, sizeof(nak));
	g_assert_cmpuint(h->ups, ==, 0);
	rx(h, now, PPP_PROTO_IPCP, 2, req[1], req + 4, len - 4);
	g_assert_cmpuint(h->ups, ==, 1);
	g_assert_cmpint(ppp_phase(h->p), ==, PPP_PHASE_RUNNING);
	g_assert_cmpstr(inet_ntoa(h->ip.local), ==, "192.0.2.128");
	g_assert_cmpstr(inet_ntoa(h->ip.peer), ==, "192.0.2.1");
	g_assert_cmpstr(inet_ntoa(h->ip.dns1), ==, "192.0.2.53");
	g_assert_cmpstr(inet_ntoa(h->ip.dns2), ==, "192.0.2.54");
}

static void ipcp_up(H *h, uint64_t now)
{
	const uint8_t *req;
	size_t len;

	req = tx(h, PPP_PROTO_IPCP, 1, &len);
	ipcp_up_from(h, now, req, len);
}

/* ---- framing ---- */

static void test_frame_parse(void)
{
	static const struct {
		const char *name;
		uint8_t f[6];
		size_t len;
		int err;
		uint16_t proto;
		size_t off;
	} cases[] = {
		{ "full", { 0xff, 0x03, 0xc0, 0x21, 0x01 }, 5, 0, 0xc021, 4 },
		{ "acfc", { 0xc0, 0x21, 0x01 }, 3, 0, 0xc021, 2 },
		{ "pfc", { 0xff, 0x03, 0x21, 0x45 }, 4, 0, 0x0021, 3 },
		{ "acfc+pfc", { 0x21, 0x45 }, 2, 0, 0x0021, 1 },
		{ "ip, full", { 0xff, 0x03, 0x00, 0x21, 0x45 }, 5, 0, 0x0021, 4 },
		{ "no payload", { 0xff, 0x03, 0x80, 0x21 }, 4, 0, 0x8021, 4 },
		{ "low octet even", { 0xff, 0x03, 0xc0, 0x20 }, 4, -EBADMSG, 0, 0 },
		{ "cut in protocol", { 0xff, 0x03, 0xc0 }, 3, -EBADMSG, 0, 0 },
		{ "only address/control", { 0xff, 0x03 }, 2, -EBADMSG, 0, 0 },
		{ "empty", { 0 }, 0, -EBADMSG, 0, 0 },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		uint16_t proto = 0xdead;
		size_t off = 999;
		int err = ppp_frame_parse(cases[i].f, cases[i].len, &proto, &off);

		g_test_message("%s", cases[i].name);
		g_assert_cmpint(err, ==, cases[i].err);
		if (err) {
			/* ret_ outputs untouched on failure */
			g_assert_cmphex(proto, ==, 0xdead);
			g_assert_cmpuint(off, ==, 999);
		} else {
			g_assert_cmphex(proto, ==, cases[i].proto);
			g_assert_cmpuint(off, ==, cases[i].off);
		}
	}
}

static void test_frame_push(void)
{
	uint8_t buf[16];
	struct pkt_writer w;

	g_assert_cmpint(pkt_writer_init(&w, buf, sizeof(buf), 4), ==, 0);
	g_assert_cmpint(pkt_put_u8(&w, 0x45), ==, 0);
	g_assert_cmpint(ppp_frame_push(&w, PPP_PROTO_IP), ==, 0);
	g_assert_cmpmem(pkt_writer_data(&w), pkt_writer_len(&w), "\xff\x03\x00\x21\x45", 5);

	/* too little headroom: nothing written */
	g_assert_cmpint(pkt_writer_init(&w, buf, sizeof(buf), 3), ==, 0);
	g_assert_cmpint(pkt_put_u8(&w, 0x45), ==, 0);
	g_assert_cmpint(ppp_frame_push(&w, PPP_PROTO_IP), ==, -EMSGSIZE);
	g_assert_cmpuint(pkt_writer_len(&w), ==, 1);
	g_assert_cmpuint(pkt_writer_headroom(&w), ==, 3);
}

static void test_config(void)
{
	static const struct ppp_ops o = { h_send, h_event, h_random };
	struct ppp_config cfg = default_config();
	char long_name[300];

	cfg.allowed_auth = 0;
	g_assert_null(ppp_new(&cfg, &o, NULL));
	cfg = default_config();
	cfg.user = NULL;
	g_assert_null(ppp_new(&cfg, &o, NULL));
	cfg = default_config();
	memset(long_name, 'a', 256);
	long_name[256] = '\0';
	cfg.user = long_name;
	g_assert_null(ppp_new(&cfg, &o, NULL));
	cfg = default_config();
	cfg.mru = 100;
	g_assert_null(ppp_new(&cfg, &o, NULL));
	g_assert_null(ppp_free(NULL));
}

/* ---- LCP ---- */

/* The gateway Naks our MRU, rejects our Magic-Number and asks for MS-CHAPv2. */
static void test_lcp_negotiation(void)
{
	struct ppp_config cfg = default_config();
	const uint8_t *req;
	uint8_t opts[64];
	size_t len, n;
	H h;

	cfg.allowed_auth = PPP_AUTH_MSCHAP_V2 | PPP_AUTH_PAP;
	h_start(&h, &cfg);
	req = tx(&h, PPP_PROTO_LCP, 1, &len);
	/* MRU 1400, Magic-Number */
	g_assert_cmpuint(len, ==, 4 + 4 + 6);
	g_assert_cmpmem(req + 4, 4, "\x01\x04\x05\x78", 4);
	g_assert_cmpuint(req[8], ==, 5);
	g_assert_cmpuint(req[9], ==, 6);
	g_assert_false(req[10] == 0 && req[11] == 0 && req[12] == 0 && req[13] == 0);

	/* Nak: MRU 1300 */
	rx(&h, 100, PPP_PROTO_LCP, 3, req[1], "\x01\x04\x05\x14", 4);
	{
		uint8_t magic_opt[6];

		memcpy(magic_opt, req + 8, 6);
		req = tx(&h, PPP_PROTO_LCP, 1, &len);
		g_assert_cmpuint(len, ==, 14);
		g_assert_cmpmem(req + 4, 4, "\x01\x04\x05\x14", 4);
		/* Reject: the Magic-Number, as we sent it */
		rx(&h, 200, PPP_PROTO_LCP, 4, req[1], magic_opt, 6);
	}
	req = tx(&h, PPP_PROTO_LCP, 1, &len);
	g_assert_cmpmem(req + 4, len - 4, "\x01\x04\x05\x14", 4);

	/* the gateway's request: ACCM, Magic, PFC, ACFC, Auth MS-CHAPv2: all Acked */
	n = server_lcp_opts(opts, AUTH_MSCHAPV2, sizeof(AUTH_MSCHAPV2));
	rx(&h, 300, PPP_PROTO_LCP, 1, 0x07, opts, n);
	{
		const uint8_t *ack = tx(&h, PPP_PROTO_LCP, 2, &len);

		g_assert_cmpuint(ack[1], ==, 0x07);
		g_assert_cmpmem(ack + 4, len - 4, opts, n);
	}
	g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_ESTABLISH);
	rx(&h, 400, PPP_PROTO_LCP, 2, req[1], "\x01\x04\x05\x14", 4);
	g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_AUTHENTICATE);
	g_assert_cmpuint(ppp_auth_method(h.p), ==, PPP_AUTH_MSCHAP_V2);
	no_tx(&h); /* CHAP: the gateway speaks first */
	g_assert_cmpuint(ppp_drops(h.p, PPP_DROP_MALFORMED), ==, 0);
	h_finish(&h);
}

/* A method the profile does not allow is Nak'd with our preferred allowed ones, in turn. */
static void test_lcp_auth_nak(void)
{
	struct ppp_config cfg = default_config();
	uint8_t opts[64];
	const uint8_t *nak;
	size_t n, len;
	H h;

	cfg.allowed_auth = PPP_AUTH_MSCHAP_V2 | PPP_AUTH_CHAP_MD5;
	h_start(&h, &cfg);
	tx(&h, PPP_PROTO_LCP, 1, NULL);
	n = server_lcp_opts(opts, AUTH_PAP, sizeof(AUTH_PAP));
	rx(&h, 10, PPP_PROTO_LCP, 1, 0x01, opts, n);
	nak = tx(&h, PPP_PROTO_LCP, 3, &len);
	g_assert_cmpmem(nak + 4, len - 4, AUTH_MSCHAPV2, sizeof(AUTH_MSCHAPV2));
	/* the gateway insists on something else we do not allow: MS-CHAPv1 */
	n = server_lcp_opts(opts, AUTH_MSCHAPV1, sizeof(AUTH_MSCHAPV1));
	rx(&h, 20, PPP_PROTO_LCP, 1, 0x02, opts, n);
	nak = tx(&h, PPP_PROTO_LCP, 3, &len);
	g_assert_cmpmem(nak + 4, len - 4, AUTH_CHAP_MD5, sizeof(AUTH_CHAP_MD5));
	/* and now CHAP-MD5, which is fine */
	n = server_lcp_opts(opts, AUTH_CHAP_MD5, sizeof(AUTH_CHAP_MD5));
	rx(&h, 30, PPP_PROTO_LCP, 1, 0x03, opts, n);
	tx(&h, PPP_PROTO_LCP, 2, NULL);
	h_finish(&h);
}

/* Options we do not know are rejected, alone, as they came (RFC 1661 §5.4). */
static void test_lcp_reject_unknown(void)
{
	static const uint8_t opts[] = { 0x01, 0x04, 0x05, 0xdc, 0x0d, 0x03, 0x06, 0x05,
					0x06, 0x11, 0x22, 0x33, 0x44, 0x11, 0x04, 0x05, 0xdc };
	const uint8_t *rej;
	size_t len;
	H h;
	struct ppp_config cfg = default_config();

	h_start(&h, &cfg);
	tx(&h, PPP_PROTO_LCP, 1, NULL);
	/* MRU 1500, Callback (13), Magic, MRRU (17, multilink) */
	rx(&h, 10, PPP_PROTO_LCP, 1, 0x09, opts, sizeof(opts));
	rej = tx(&h, PPP_PROTO_LCP, 4, &len);
	g_assert_cmpuint(rej[1], ==, 0x09);
	g_assert_cmpmem(rej + 4, len - 4, "\x0d\x03\x06\x11\x04\x05\xdc", 7);
	/* an MRU below 128 is Nak'd with 128 */
	rx(&h, 20, PPP_PROTO_LCP, 1, 0x0a, "\x01\x04\x00\x40", 4);
	rej = tx(&h, PPP_PROTO_LCP, 3, &len);
	g_assert_cmpmem(rej + 4, len - 4, "\x01\x04\x00\x80", 4);
	h_finish(&h);
}

/* Our own Magic-Number keeps coming back: Nak with a new one each time, then give up. */
static void test_lcp_loopback(void)
{
	struct ppp_config cfg = default_config();
	const uint8_t *req;
	size_t len;
	H h;

	h_start(&h, &cfg);
	req = tx(&h, PPP_PROTO_LCP, 1, &len);
	for (int i = 0; i < 5; i++) {
		/* a looped line: our request comes back as the peer's */
		uint8_t echo[32];

		memcpy(echo, req + 4, len - 4);
		rx(&h, 10 + (uint64_t)i, PPP_PROTO_LCP, 1, (uint8_t)(0x30 + i), echo, len - 4);
		if (i < 4) {
			const uint8_t *nak = tx(&h, PPP_PROTO_LCP, 3, NULL);

			/* Nak'd: the Magic-Number, with another value */
			g_assert_cmpuint(nak[4], ==, 5);
			g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_ESTABLISH);
			/* our own Nak of the old magic comes back too; our next request carries
			 * a new Magic-Number, which the loop will bring back again */
			rx(&h, 10 + (uint64_t)i, PPP_PROTO_LCP, 3, req[1], echo + 4, 6);
			req = tx(&h, PPP_PROTO_LCP, 1, &len);
			g_assert_cmpmem(req + 4, 4, "\x01\x04\x05\x78", 4);
			g_assert_false(memcmp(req + 10, echo + 6, 4) == 0);
		}
	}
	g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_FAILED);
	g_assert_cmpint(ppp_failure(h.p), ==, PPP_FAIL_LOOPBACK);
	g_assert_cmpstr(last_event(&h), ==,
			"FAILED:the line is looped back: roadie's own PPP requests come back to it");
	h_finish(&h);
}

/* Silence: 10 Configure-Requests 3 s apart, then a sentence. */
static void test_lcp_max_configure(void)
{
	struct ppp_config cfg = default_config();
	uint64_t now = 0;
	H h;

	h_start(&h, &cfg);
	for (int i = 0; i < 10; i++) {
		tx(&h, PPP_PROTO_LCP, 1, NULL);
		g_assert_cmpuint(ppp_next_deadline(h.p), ==, now + 3000);
		now += 3000;
		ppp_tick(h.p, now - 1); /* not yet */
		ppp_tick(h.p, now);
	}
	no_tx(&h);
	g_assert_cmpint(ppp_failure(h.p), ==, PPP_FAIL_NO_ANSWER);
	g_assert_cmpstr(last_event(&h), ==,
			"FAILED:the gateway did not answer PPP link negotiation (LCP) within 30 s");
	g_assert_cmpuint(ppp_next_deadline(h.p), ==, UINT64_MAX);
	h_finish(&h);
}

/* A gateway that always Naks: after Max-Configure it is "could not agree", not "silent". */
static void test_lcp_no_agreement(void)
{
	struct ppp_config cfg = default_config();
	const uint8_t *req;
	uint64_t now = 0;
	H h;

	h_start(&h, &cfg);
	for (int i = 0; i < 10; i++) {
		req = tx(&h, PPP_PROTO_LCP, 1, NULL);
		/* an MRU of 64 is below what we accept: we keep asking for ours */
		rx(&h, now, PPP_PROTO_LCP, 3, req[1], "\x01\x04\x00\x40", 4);
	}
	/* every Nak was answered at once; now the timer decides */
	while (h.seen < h.sent->len)
		tx(&h, PPP_PROTO_LCP, 1, NULL);
	for (int i = 0; i < 12 && ppp_phase(h.p) == PPP_PHASE_ESTABLISH; i++) {
		now += 3000;
		ppp_tick(h.p, now);
	}
	g_assert_cmpint(ppp_failure(h.p), ==, PPP_FAIL_NEGOTIATION);
	g_assert_cmpstr(last_event(&h), ==,
			"FAILED:the gateway and roadie could not agree on PPP link options (LCP)");
	h_finish(&h);
}

/* Every cut of a valid Configure-Request and every lying option length: dropped, counted,
 * nothing sent, nothing changed (STYLE.md rules 3 and 10). */
static void test_lcp_malformed(void)
{
	struct ppp_config cfg = default_config();
	uint8_t opts[64], frame[80];
	size_t n, fl;
	H h;

	h_start(&h, &cfg);
	tx(&h, PPP_PROTO_LCP, 1, NULL);
	n = server_lcp_opts(opts, AUTH_MSCHAPV2, sizeof(AUTH_MSCHAPV2));
	frame[0] = 0xff, frame[1] = 0x03, frame[2] = 0xc0, frame[3] = 0x21;
	frame[4] = 1, frame[5] = 0x20, frame[6] = 0, frame[7] = (uint8_t)(n + 4);
	memcpy(frame + 8, opts, n);
	fl = 8 + n;
	for (size_t cut = 0; cut < fl; cut++) {
		ppp_receive(h.p, frame, cut, 50);
		no_tx(&h);
	}
	/* the lone FF reads as protocol 0x00ff (PFC): unknown, and LCP is not open */
	g_assert_cmpuint(ppp_drops(h.p, PPP_DROP_UNEXPECTED), ==, 1);
	g_assert_cmpuint(ppp_drops(h.p, PPP_DROP_MALFORMED), ==, fl - 1);
	/* option lengths 0, 1, and one running past the packet */
	for (int i = 0; i < 3; i++) {
		uint8_t bad[sizeof(frame)];

		memcpy(bad, frame, fl);
		bad[8 + 6 + 1] = i == 0 ? 0 : i == 1 ? 1 : 0x40; /* the Magic-Number's length */
		ppp_receive(h.p, bad, fl, 60);
		no_tx(&h);
	}
	/* a Length field below 4 */
	{
		uint8_t bad[sizeof(frame)];

		memcpy(bad, frame, fl);
		bad[7] = 3;
		ppp_receive(h.p, bad, fl, 60);
	}
	g_assert_cmpuint(ppp_drops(h.p, PPP_DROP_MALFORMED), ==, fl - 1 + 4);
	no_tx(&h);
	g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_ESTABLISH);
	/* and the whole one still works; bytes past Length are padding */
	frame[fl] = 0xee;
	ppp_receive(h.p, frame, fl + 1, 70);
	tx(&h, PPP_PROTO_LCP, 2, NULL);
	h_finish(&h);
}

/* Answers that do not carry our outstanding request's identifier are stale. */
static void test_lcp_stale_id(void)
{
	struct ppp_config cfg = default_config();
	const uint8_t *req;
	size_t len;
	H h;

	h_start(&h, &cfg);
	req = tx(&h, PPP_PROTO_LCP, 1, &len);
	rx(&h, 10, PPP_PROTO_LCP, 2, (uint8_t)(req[1] + 1), req + 4, len - 4);
	rx(&h, 10, PPP_PROTO_LCP, 3, (uint8_t)(req[1] + 1), "\x01\x04\x05\x14", 4);
	g_assert_cmpuint(ppp_drops(h.p, PPP_DROP_STALE_ID), ==, 2);
	/* an Ack whose options differ from our request is malformed */
	rx(&h, 10, PPP_PROTO_LCP, 2, req[1], "\x01\x04\x05\x14", 4);
	g_assert_cmpuint(ppp_drops(h.p, PPP_DROP_MALFORMED), ==, 1);
	no_tx(&h);
	/* the right one counts once; a second copy is stale */
	rx(&h, 10, PPP_PROTO_LCP, 2, req[1], req + 4, len - 4);
	rx(&h, 10, PPP_PROTO_LCP, 2, req[1], req + 4, len - 4);
	g_assert_cmpuint(ppp_drops(h.p, PPP_DROP_STALE_ID), ==, 3);
	no_tx(&h);
	h_finish(&h);
}

/* A session with no authentication up to UP. */
static void up_without_auth(H *h, struct ppp_config *cfg)
{
	h_start(h, cfg);
	lcp_open(h, NULL, 0);
	g_assert_cmpint(ppp_phase(h->p), ==, PPP_PHASE_NETWORK);
	ipcp_up(h, 30);
}

static void test_lcp_echo(void)
{
	struct ppp_config cfg = default_config();
	const uint8_t *echo, *req;
	uint8_t our_magic[4];
	size_t len;
	H h;

	cfg.echo_interval_s = 10;
	cfg.echo_failures = 3;
	h_start(&h, &cfg);
	req = tx(&h, PPP_PROTO_LCP, 1, &len);
	memcpy(our_magic, req + 10, 4);
	h.seen--;
	lcp_open(&h, NULL, 0);
	ipcp_up(&h, 30);

	/* the gateway's Echo-Request: a Reply with our magic and its data */
	rx(&h, 1000, PPP_PROTO_LCP, 9, 0x55, "\x11\x22\x33\x44hello", 9);
	echo = tx(&h, PPP_PROTO_LCP, 10, &len);
	g_assert_cmpuint(echo[1], ==, 0x55);
	g_assert_cmpmem(echo + 4, 4, our_magic, 4);
	g_assert_cmpmem(echo + 8, len - 8, "hello", 5);
	/* an Echo-Request with our own magic is a loop: not answered */
	{
		uint8_t looped[4];

		memcpy(looped, our_magic, 4);
		rx(&h, 1000, PPP_PROTO_LCP, 9, 0x56, looped, 4);
		no_tx(&h);
		g_assert_cmpuint(ppp_drops(h.p, PPP_DROP_LOOPED), ==, 1);
	}

	/* keepalive: one answered, then three missed */
	g_assert_cmpuint(ppp_next_deadline(h.p), ==, 20 + 10000);
	ppp_tick(h.p, 10020);
	echo = tx(&h, PPP_PROTO_LCP, 9, &len);
	g_assert_cmpmem(echo + 4, 4, our_magic, 4);
	rx(&h, 10100, PPP_PROTO_LCP, 10, echo[1], "\x11\x22\x33\x44", 4);
	for (int i = 2; i <= 4; i++) {
		ppp_tick(h.p, 10020 + (uint64_t)(i - 1) * 10000);
		tx(&h, PPP_PROTO_LCP, 9, NULL);
		g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_RUNNING);
	}
	/* a Reply with a stale identifier does not count */
	rx(&h, 40100, PPP_PROTO_LCP, 10, 0x01, "\x11\x22\x33\x44", 4);
	g_assert_cmpuint(ppp_drops(h.p, PPP_DROP_STALE_ID), ==, 1);
	ppp_tick(h.p, 50020);
	g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_FAILED);
	g_assert_cmpint(ppp_failure(h.p), ==, PPP_FAIL_ECHO);
	g_assert_cmpstr(last_event(&h), ==,
			"FAILED:the gateway stopped answering PPP echo requests (3 in a row "
			"unanswered)");
	/* and we tell the gateway */
	tx(&h, PPP_PROTO_LCP, 5, NULL);
	h_finish(&h);
}

static void test_lcp_terminate_by_peer(void)
{
	struct ppp_config cfg = default_config();
	const uint8_t *ack;
	H h;

	up_without_auth(&h, &cfg);
	rx(&h, 5000, PPP_PROTO_LCP, 5, 0x77, "bye", 3);
	ack = tx(&h, PPP_PROTO_LCP, 6, NULL);
	g_assert_cmpuint(ack[1], ==, 0x77);
	g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_DEAD);
	g_assert_cmpstr(last_event(&h), ==, "DOWN:the gateway ended the PPP session");
	/* one restart period later LCP finishes, quietly */
	ppp_tick(h.p, 8000);
	no_tx(&h);
	g_assert_cmpuint(h.events->len, ==, 2); /* UP, DOWN */
	g_assert_cmpuint(ppp_next_deadline(h.p), ==, UINT64_MAX);
	h_finish(&h);
}

static void test_lcp_close(void)
{
	struct ppp_config cfg = default_config();
	const uint8_t *term;
	H h;

	up_without_auth(&h, &cfg);
	ppp_close(h.p, 5000);
	term = tx(&h, PPP_PROTO_LCP, 5, NULL);
	/* IPCP went down with the link; DOWN waits for the gateway's Terminate-Ack */
	g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_TERMINATE);
	g_assert_cmpuint(h.events->len, ==, 1);
	/* unanswered once: sent again after 3 s (Max-Terminate 2) */
	ppp_tick(h.p, 8000);
	term = tx(&h, PPP_PROTO_LCP, 5, NULL);
	rx(&h, 8100, PPP_PROTO_LCP, 6, term[1], NULL, 0);
	g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_DEAD);
	g_assert_cmpstr(last_event(&h), ==, "DOWN:the PPP session was closed");
	no_tx(&h);
	h_finish(&h);

	/* a gateway that never answers: DOWN after two tries */
	up_without_auth(&h, &cfg);
	ppp_close(h.p, 5000);
	tx(&h, PPP_PROTO_LCP, 5, NULL);
	ppp_tick(h.p, 8000);
	tx(&h, PPP_PROTO_LCP, 5, NULL);
	ppp_tick(h.p, 11000);
	no_tx(&h);
	g_assert_cmpstr(last_event(&h), ==, "DOWN:the PPP session was closed");
	h_finish(&h);
}

/* Closing while authenticating: no authentication timeout later, DOWN once. */
static void test_close_during_auth(void)
{
	struct ppp_config cfg = default_config();
	const uint8_t *term;
	H h;

	h_start(&h, &cfg);
	lcp_open(&h, AUTH_MSCHAPV2, sizeof(AUTH_MSCHAPV2));
	ppp_close(h.p, 100);
	g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_TERMINATE);
	term = tx(&h, PPP_PROTO_LCP, 5, NULL);
	/* a Challenge now is not answered */
	rx(&h, 200, PPP_PROTO_CHAP, 1, 0x01, "\x10" "0123456789abcdef", 17);
	no_tx(&h);
	rx(&h, 300, PPP_PROTO_LCP, 6, term[1], NULL, 0);
	g_assert_cmpstr(last_event(&h), ==, "DOWN:the PPP session was closed");
	ppp_tick(h.p, 60000);
	g_assert_cmpuint(h.events->len, ==, 1);
	g_assert_cmpuint(ppp_next_deadline(h.p), ==, UINT64_MAX);
	h_finish(&h);
}

/* CCP (MPPE) and anything else unknown: Protocol-Reject, once LCP is open. */
static void test_lcp_protocol_reject(void)
{
	static const uint8_t ccp[] = { 0xff, 0x03, 0x80, 0xfd, 0x01, 0x01, 0x00, 0x0a,
				       0x12, 0x06, 0x01, 0x00, 0x00, 0xe0 };
	struct ppp_config cfg = default_config();
	const uint8_t *rej;
	size_t len;
	H h;

	h_start(&h, &cfg);
	/* before LCP is open: dropped, no reject */
	ppp_receive(h.p, ccp, sizeof(ccp), 5);
	tx(&h, PPP_PROTO_LCP, 1, NULL);
	no_tx(&h);
	g_assert_cmpuint(ppp_drops(h.p, PPP_DROP_UNEXPECTED), ==, 1);
	h.seen--;
	lcp_open(&h, NULL, 0);
	tx(&h, PPP_PROTO_IPCP, 1, NULL);
	ppp_receive(h.p, ccp, sizeof(ccp), 40);
	rej = tx(&h, PPP_PROTO_LCP, 8, &len);
	g_assert_cmpmem(rej + 4, len - 4, ccp + 2, sizeof(ccp) - 2);
	g_assert_cmpuint(ppp_drops(h.p, PPP_DROP_REJECTED), ==, 1);
	/* IP is the data plane's: not rejected, not handled */
	ppp_receive(h.p, (const uint8_t *)"\xff\x03\x00\x21\x45\x00", 6, 41);
	no_tx(&h);
	g_assert_cmpuint(ppp_drops(h.p, PPP_DROP_DATA), ==, 1);
	/* the gateway Protocol-Rejects IPCP: no IPv4, a sentence */
	rx(&h, 42, PPP_PROTO_LCP, 8, 0x61, "\x80\x21\x01\x01\x00\x04", 6);
	g_assert_cmpint(ppp_failure(h.p), ==, PPP_FAIL_NEGOTIATION);
	g_assert_cmpstr(last_event(&h), ==,
			"FAILED:the gateway does not offer IPv4 over this link (it rejected IPCP)");
	h_finish(&h);
}

static void test_lcp_code_reject(void)
{
	struct ppp_config cfg = default_config();
	const uint8_t *rej;
	size_t len;
	H h;

	h_start(&h, &cfg);
	tx(&h, PPP_PROTO_LCP, 1, NULL);
	rx(&h, 10, PPP_PROTO_LCP, 0x20, 0x42, "\xaa\xbb", 2);
	rej = tx(&h, PPP_PROTO_LCP, 7, &len);
	g_assert_cmpmem(rej + 4, len - 4, "\x20\x42\x00\x06\xaa\xbb", 6);
	h_finish(&h);

	/* IPCP knows no codes beyond 7 either */

	up_without_auth(&h, &cfg);
	rx(&h, 100, PPP_PROTO_IPCP, 9, 0x01, NULL, 0);
	rej = tx(&h, PPP_PROTO_IPCP, 7, &len);
	g_assert_cmpmem(rej + 4, len - 4, "\x09\x01\x00\x04", 4);
	/* the gateway Code-Rejects our Echo-Request: keepalive off, not a failure */
	rx(&h, 100, PPP_PROTO_LCP, 7, 0x02, "\x09\x05\x00\x08\x00\x00\x00\x00", 8);
	g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_RUNNING);
	/* ... but Code-Reject of Configure-Request is fatal (RXJ-) */
	rx(&h, 100, PPP_PROTO_LCP, 7, 0x03, "\x01\x05\x00\x04", 4);
	g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_FAILED);
	g_assert_cmpstr(last_event(&h), ==, "FAILED:the gateway refused PPP link negotiation (LCP)");
	h_finish(&h);
}

/* ---- IPCP ---- */

static void test_ipcp_nak(void)
{
	struct ppp_config cfg = default_config();
	H h;

	up_without_auth(&h, &cfg);
	g_assert_cmpuint(h.ip.mru, ==, 1400);
	g_assert_cmpuint(h.ip.peer_mru, ==, 1500);
	g_assert_cmpstr(last_event(&h), ==, "UP:up");
	h_finish(&h);
}

static void test_ipcp_reject(void)
{
	static const uint8_t server_req[] = { 0x02, 0x06, 0x00, 0x2d, 0x0f, 0x01,
					      0x03, 0x06, 192, 0, 2, 1 };
	struct ppp_config cfg = default_config();
	const uint8_t *req, *rej;
	size_t len;
	H h;

	h_start(&h, &cfg);
	lcp_open(&h, NULL, 0);
	req = tx(&h, PPP_PROTO_IPCP, 1, &len);
	/* the gateway wants VJ compression: rejected alone */
	rx(&h, 30, PPP_PROTO_IPCP, 1, 0x01, server_req, sizeof(server_req));
	rej = tx(&h, PPP_PROTO_IPCP, 4, &len);
	g_assert_cmpmem(rej + 4, len - 4, server_req, 6);
	/* it rejects our DNS options: we stop asking */
	rx(&h, 31, PPP_PROTO_IPCP, 4, req[1], "\x81\x06\0\0\0\0\x83\x06\0\0\0\0", 12);
	req = tx(&h, PPP_PROTO_IPCP, 1, &len);
	g_assert_cmpmem(req + 4, len - 4, "\x03\x06\0\0\0\0", 6);
	rx(&h, 32, PPP_PROTO_IPCP, 3, req[1], "\x03\x06\xc0\x00\x02\x80", 6);
	req = tx(&h, PPP_PROTO_IPCP, 1, &len);
	g_assert_cmpmem(req + 4, len - 4, "\x03\x06\xc0\x00\x02\x80", 6);
	rx(&h, 33, PPP_PROTO_IPCP, 2, req[1], req + 4, len - 4);
	rx(&h, 34, PPP_PROTO_IPCP, 1, 0x02, server_req + 6, 6);
	tx(&h, PPP_PROTO_IPCP, 2, NULL);
	g_assert_cmpuint(h.ups, ==, 1);
	g_assert_cmpstr(inet_ntoa(h.ip.local), ==, "192.0.2.128");
	g_assert_cmpuint(h.ip.dns1.s_addr, ==, 0);
	g_assert_cmpuint(h.ip.dns2.s_addr, ==, 0);
	h_finish(&h);
}

/* The gateway Acks 0.0.0.0: it has no address for us. */
static void test_ipcp_no_address(void)
{
	struct ppp_config cfg = default_config();
	const uint8_t *req;
	size_t len;
	H h;

	h_start(&h, &cfg);
	lcp_open(&h, NULL, 0);
	req = tx(&h, PPP_PROTO_IPCP, 1, &len);
	rx(&h, 30, PPP_PROTO_IPCP, 1, 0x01, "\x03\x06\xc0\x00\x02\x01", 6);
	tx(&h, PPP_PROTO_IPCP, 2, NULL);
	rx(&h, 31, PPP_PROTO_IPCP, 2, req[1], req + 4, len - 4);
	g_assert_cmpint(ppp_failure(h.p), ==, PPP_FAIL_NO_ADDRESS);
	g_assert_cmpstr(last_event(&h), ==,
			"FAILED:the gateway did not assign an IPv4 address to this client (IPCP)");
	h_finish(&h);
}

/* ---- whole sessions ---- */

static const uint8_t rfc2759_auth_challenge[16] = { 0x5B, 0x5D, 0x7C, 0x7D, 0x7B, 0x3F,
						    0x2F, 0x3E, 0x3C, 0x2C, 0x60, 0x21,
						    0x32, 0x26, 0x26, 0x28 };
static const uint8_t rfc2759_peer_challenge[16] = { 0x21, 0x40, 0x23, 0x24, 0x25, 0x5E,
						    0x26, 0x2A, 0x28, 0x29, 0x5F, 0x2B,
						    0x3A, 0x33, 0x7C, 0x7E };
static const uint8_t rfc2759_nt_response[24] = {
	0x82, 0x30, 0x9E, 0xCD, 0x8D, 0x70, 0x8B, 0x5E, 0xA0, 0x8F, 0xAA, 0x39,
	0x81, 0xCD, 0x83, 0x54, 0x42, 0x33, 0x11, 0x4A, 0x3D, 0x85, 0xD6, 0xDF,
};

/* LCP with MS-CHAPv2, the RFC 2759 §9.2 challenge; returns our Response's identifier. */
static uint8_t mschapv2_to_response(H *h, const char *user)
{
	struct ppp_config cfg = default_config();
	uint8_t chal[1 + 16 + 4];
	const uint8_t *resp;
	size_t len, ul = strlen(user);

	cfg.user = user;
	cfg.password = "clientPass";
	h_start(h, &cfg);
	h->fixed16 = rfc2759_peer_challenge;
	lcp_open(h, AUTH_MSCHAPV2, sizeof(AUTH_MSCHAPV2));
	g_assert_cmpint(ppp_phase(h->p), ==, PPP_PHASE_AUTHENTICATE);
	chal[0] = 16;
	memcpy(chal + 1, rfc2759_auth_challenge, 16);
	memcpy(chal + 17, "pppd", 4);
	rx(h, 100, PPP_PROTO_CHAP, 1, 0x2b, chal, sizeof(chal));
	resp = tx(h, PPP_PROTO_CHAP, 2, &len);
	g_assert_cmpuint(resp[1], ==, 0x2b);
	g_assert_cmpuint(len, ==, 4 + 1 + 49 + ul);
	g_assert_cmpuint(resp[4], ==, 49);
	g_assert_cmpmem(resp + 5, 16, rfc2759_peer_challenge, 16);
	g_assert_cmpmem(resp + 21, 8, "\0\0\0\0\0\0\0\0", 8);
	/* RFC 2759 §9.2 NT-Response for "User": with a DOMAIN\ prefix too, which only Name
	 * carries */
	if (g_str_has_suffix(user, "User"))
		g_assert_cmpmem(resp + 29, 24, rfc2759_nt_response, 24);
	g_assert_cmpuint(resp[53], ==, 0);
	g_assert_cmpmem(resp + 54, ul, user, ul);
	return resp[1];
}

static void test_session_mschapv2(void)
{
	static const char ok[] = "S=407A5589115FD0D6209F510FE9C04566932CDA56 M=Access granted";
	H h;
	uint8_t id = mschapv2_to_response(&h, "User");

	/* a Success for another identifier is stale */
	rx(&h, 200, PPP_PROTO_CHAP, 3, (uint8_t)(id + 1), ok, strlen(ok));
	g_assert_cmpuint(ppp_drops(h.p, PPP_DROP_STALE_ID), ==, 1);
	g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_AUTHENTICATE);
	rx(&h, 200, PPP_PROTO_CHAP, 3, id, ok, strlen(ok));
	g_assert_cmpstr(h.events->pdata[0], ==, "AUTH_OK:MS-CHAPv2");
	g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_NETWORK);
	ipcp_up(&h, 300);
	g_assert_cmpuint(h.ip.mru, ==, 1400);
	/* a re-challenge once up is answered and does not disturb the session */
	{
		uint8_t chal[17];

		chal[0] = 16;
		memcpy(chal + 1, rfc2759_auth_challenge, 16);
		rx(&h, 400, PPP_PROTO_CHAP, 1, 0x2c, chal, sizeof(chal));
		tx(&h, PPP_PROTO_CHAP, 2, NULL);
		rx(&h, 400, PPP_PROTO_CHAP, 3, 0x2c, ok, strlen(ok));
		g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_RUNNING);
	}
	h_finish(&h);
}

static void test_session_mschapv2_domain(void)
{
	static const char ok[] = "S=407a5589115fd0d6209f510fe9c04566932cda56";
	H h;
	uint8_t id = mschapv2_to_response(&h, "EXAMPLE\\User");

	/* lower-case hex is fine too */
	rx(&h, 200, PPP_PROTO_CHAP, 3, id, ok, strlen(ok));
	g_assert_cmpstr(h.events->pdata[0], ==, "AUTH_OK:MS-CHAPv2");
	h_finish(&h);
}

static void test_session_mschapv2_wrong_s(void)
{
	static const char bad[] = "S=407A5589115FD0D6209F510FE9C04566932CDA57 M=Access granted";
	H h;
	uint8_t id = mschapv2_to_response(&h, "User");

	rx(&h, 200, PPP_PROTO_CHAP, 3, id, bad, strlen(bad));
	g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_FAILED);
	g_assert_cmpint(ppp_failure(h.p), ==, PPP_FAIL_AUTH_SERVER);
	g_assert_nonnull(strstr(ppp_failure_text(h.p),
				"the gateway could not prove it knows your password"));
	tx(&h, PPP_PROTO_LCP, 5, NULL);
	no_tx(&h);
	h_finish(&h);

	/* no S= at all */
	id = mschapv2_to_response(&h, "User");
	rx(&h, 200, PPP_PROTO_CHAP, 3, id, "M=Welcome", 9);
	g_assert_cmpint(ppp_failure(h.p), ==, PPP_FAIL_AUTH_SERVER);
	h_finish(&h);
}

static void test_session_mschapv2_691(void)
{
	static const char fail[] = "E=691 R=0 C=00000000000000000000000000000000 V=3 "
				   "M=Authentication failure";
	H h;
	uint8_t id = mschapv2_to_response(&h, "alice");

	rx(&h, 200, PPP_PROTO_CHAP, 4, id, fail, strlen(fail));
	g_assert_cmpint(ppp_failure(h.p), ==, PPP_FAIL_AUTH_REJECTED);
	g_assert_cmpstr(ppp_failure_text(h.p), ==,
			"the gateway rejected user 'alice': wrong user name or password");
	g_assert_cmpstr(last_event(&h), ==,
			"FAILED:the gateway rejected user 'alice': wrong user name or password");
	tx(&h, PPP_PROTO_LCP, 5, NULL);
	/* the gateway's own Terminate-Request after the Failure changes nothing */
	rx(&h, 210, PPP_PROTO_LCP, 5, 0x99, NULL, 0);
	tx(&h, PPP_PROTO_LCP, 6, NULL);
	g_assert_cmpuint(h.events->len, ==, 1);
	h_finish(&h);
}

static void test_chap_failure_texts(void)
{
	static const struct {
		const char *msg;
		const char *text;
	} cases[] = {
		{ "E=691 R=1 C=0123456789ABCDEF0123456789ABCDEF V=3 M=x",
		  "the gateway rejected user 'alice': wrong user name or password" },
		{ "E=648 R=0 V=3", "the gateway rejected user 'alice': the password has expired" },
		{ "E=647 R=0 V=3", "the gateway rejected user 'alice': the account is disabled" },
		{ "E=646 R=0 V=3",
		  "the gateway rejected user 'alice': logging on is not allowed at this time of "
		  "day (restricted logon hours)" },
		{ "E=649 R=0 V=3",
		  "the gateway rejected user 'alice': the account has no permission to dial in" },
		{ "E=709 R=0 V=3",
		  "the gateway rejected user 'alice': there was an error changing the password" },
		{ "E=1234 R=0 V=3 M=Go away\x01",
		  "the gateway rejected user 'alice' (MS-CHAP error 1234: Go away?)" },
		{ "garbage", "the gateway rejected user 'alice': wrong user name or password" },
		{ "", "the gateway rejected user 'alice': wrong user name or password" },
		{ "E=", "the gateway rejected user 'alice': wrong user name or password" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char buf[256];

		ppp_chap_failure_text("alice", (const uint8_t *)cases[i].msg, strlen(cases[i].msg),
				      buf, sizeof(buf));
		g_assert_cmpstr(buf, ==, cases[i].text);
	}
}

static void test_session_pap(void)
{
	struct ppp_config cfg = default_config();
	const uint8_t *req;
	size_t len;
	H h;

	h_start(&h, &cfg);
	lcp_open(&h, AUTH_PAP, sizeof(AUTH_PAP));
	req = tx(&h, PPP_PROTO_PAP, 1, &len);
	g_assert_cmpmem(req + 4, len - 4, "\x05" "alice" "\x06" "secret", 13);
	/* unanswered: sent again 3 s later with a new identifier */
	ppp_tick(h.p, 20 + 3000);
	{
		const uint8_t *again = tx(&h, PPP_PROTO_PAP, 1, NULL);

		g_assert_cmpuint(again[1], !=, req[1]);
		req = again;
	}
	rx(&h, 3100, PPP_PROTO_PAP, 2, req[1], "\x00", 1);
	g_assert_cmpstr(h.events->pdata[0], ==, "AUTH_OK:PAP");
	ipcp_up(&h, 3200);
	h_finish(&h);

	h_start(&h, &cfg);
	lcp_open(&h, AUTH_PAP, sizeof(AUTH_PAP));
	req = tx(&h, PPP_PROTO_PAP, 1, &len);
	rx(&h, 100, PPP_PROTO_PAP, 3, req[1], "\x0fLogin incorrect", 16);
	g_assert_cmpint(ppp_failure(h.p), ==, PPP_FAIL_AUTH_REJECTED);
	g_assert_cmpstr(ppp_failure_text(h.p), ==,
			"the gateway rejected user 'alice': wrong user name or password (it said "
			"\"Login incorrect\")");
	h_finish(&h);
}

/* Expected response computed independently, once, with Python's hashlib:
 * md5(bytes([0x2a]) + b"secret" + bytes(range(16))) = 03dc98c5a832692b49df73cf48fcb4e9 */
static void test_session_chap_md5(void)
{
	static const uint8_t expected[16] = { 0x03, 0xdc, 0x98, 0xc5, 0xa8, 0x32, 0x69, 0x2b,
					      0x49, 0xdf, 0x73, 0xcf, 0x48, 0xfc, 0xb4, 0xe9 };
	struct ppp_config cfg = default_config();
	uint8_t chal[17];
	const uint8_t *resp;
	size_t len;
	H h;

	h_start(&h, &cfg);
	lcp_open(&h, AUTH_CHAP_MD5, sizeof(AUTH_CHAP_MD5));
	chal[0] = 16;
	for (int i = 0; i < 16; i++)
		chal[1 + i] = (uint8_t)i;
	rx(&h, 100, PPP_PROTO_CHAP, 1, 0x2a, chal, sizeof(chal));
	resp = tx(&h, PPP_PROTO_CHAP, 2, &len);
	g_assert_cmpuint(resp[4], ==, 16);
	g_assert_cmpmem(resp + 5, 16, expected, 16);
	g_assert_cmpmem(resp + 21, len - 21, "alice", 5);
	rx(&h, 110, PPP_PROTO_CHAP, 3, 0x2a, "Welcome", 7);
	g_assert_cmpstr(h.events->pdata[0], ==, "AUTH_OK:CHAP-MD5");
	ipcp_up(&h, 200);
	h_finish(&h);

	h_start(&h, &cfg);
	lcp_open(&h, AUTH_CHAP_MD5, sizeof(AUTH_CHAP_MD5));
	rx(&h, 100, PPP_PROTO_CHAP, 1, 0x2a, chal, sizeof(chal));
	tx(&h, PPP_PROTO_CHAP, 2, NULL);
	rx(&h, 110, PPP_PROTO_CHAP, 4, 0x2a, "Access denied", 13);
	g_assert_cmpstr(ppp_failure_text(h.p), ==,
			"the gateway rejected user 'alice': wrong user name or password");
	h_finish(&h);
}

/* The gateway's Success is lost (L2TP's data channel is unreliable): our Response goes again
 * every 3 s with the same Identifier (RFC 1994 §4.2), and stops once Success arrives; with
 * no answer at all, the 30-s limit still ends it. */
static void test_session_chap_resend(void)
{
	struct ppp_config cfg = default_config();
	uint8_t chal[17] = { 16 }, first[300];
	const uint8_t *resp;
	size_t len, first_len;
	H h;

	h_start(&h, &cfg);
	lcp_open(&h, AUTH_CHAP_MD5, sizeof(AUTH_CHAP_MD5));
	rx(&h, 100, PPP_PROTO_CHAP, 1, 0x2a, chal, sizeof(chal));
	resp = tx(&h, PPP_PROTO_CHAP, 2, &len);
	g_assert_cmpuint(len, <=, sizeof(first));
	memcpy(first, resp, len);
	first_len = len;
	g_assert_cmpuint(ppp_next_deadline(h.p), ==, 100 + 3000);
	ppp_tick(h.p, 100 + 3000);
	resp = tx(&h, PPP_PROTO_CHAP, 2, &len);
	g_assert_cmpmem(resp, len, first, first_len);
	ppp_tick(h.p, 100 + 6000);
	resp = tx(&h, PPP_PROTO_CHAP, 2, &len);
	g_assert_cmpmem(resp, len, first, first_len);
	/* the gateway's own retransmission of the same Challenge: the same Response again */
	rx(&h, 6100, PPP_PROTO_CHAP, 1, 0x2a, chal, sizeof(chal));
	resp = tx(&h, PPP_PROTO_CHAP, 2, &len);
	g_assert_cmpmem(resp, len, first, first_len);
	rx(&h, 6200, PPP_PROTO_CHAP, 3, 0x2a, "Welcome", 7);
	g_assert_cmpstr(h.events->pdata[0], ==, "AUTH_OK:CHAP-MD5");
	ipcp_up(&h, 6300);
	h_finish(&h);

	h_start(&h, &cfg);
	lcp_open(&h, AUTH_CHAP_MD5, sizeof(AUTH_CHAP_MD5));
	rx(&h, 100, PPP_PROTO_CHAP, 1, 0x2a, chal, sizeof(chal));
	tx(&h, PPP_PROTO_CHAP, 2, NULL);
	for (uint64_t t = 3100; t < 20 + 30000; t += 3000) {
		ppp_tick(h.p, t);
		tx(&h, PPP_PROTO_CHAP, 2, NULL);
	}
	ppp_tick(h.p, 20 + 30000);
	g_assert_cmpint(ppp_failure(h.p), ==, PPP_FAIL_AUTH_TIMEOUT);
	h_finish(&h);
}

static void test_session_mschapv1(void)
{
	struct ppp_config cfg = default_config();
	uint8_t chal[9] = { 8, 0x10, 0x2D, 0xB5, 0xDF, 0x08, 0x5D, 0x30, 0x41 };
	const uint8_t *resp;
	size_t len;
	H h;

	/* RFC 2433 B.2's password and challenge give its NT response */
	cfg.password = "MyPw";
	h_start(&h, &cfg);
	lcp_open(&h, AUTH_MSCHAPV1, sizeof(AUTH_MSCHAPV1));
	rx(&h, 100, PPP_PROTO_CHAP, 1, 0x01, chal, sizeof(chal));
	resp = tx(&h, PPP_PROTO_CHAP, 2, &len);
	g_assert_cmpuint(resp[4], ==, 49);
	g_assert_cmpmem(resp + 5, 24, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 24);
	g_assert_cmpmem(resp + 29, 24,
			"\x4E\x9D\x3C\x8F\x9C\xFD\x38\x5D\x5B\xF4\xD3\x24"
			"\x67\x91\x95\x6C\xA4\xC3\x51\xAB\x40\x9A\x3D\x61",
			24);
	g_assert_cmpuint(resp[53], ==, 1); /* use the NT response */
	rx(&h, 110, PPP_PROTO_CHAP, 4, 0x01, "E=649 R=0 V=2", 13);
	g_assert_cmpstr(ppp_failure_text(h.p), ==,
			"the gateway rejected user 'alice': the account has no permission to dial "
			"in");
	h_finish(&h);
}

/* Expected response computed independently, once, with Python's hashlib:
 * md5(bytes([0x07]) + b"secret" + bytes(range(0x10, 0x20))) = 224bc0e9fb86a53722b67d512c4e04b1 */
static void test_session_eap_md5(void)
{
	static const uint8_t expected[16] = { 0x22, 0x4b, 0xc0, 0xe9, 0xfb, 0x86, 0xa5, 0x37,
					      0x22, 0xb6, 0x7d, 0x51, 0x2c, 0x4e, 0x04, 0xb1 };
	struct ppp_config cfg = default_config();
	uint8_t md5req[1 + 1 + 16];
	const uint8_t *resp;
	size_t len;
	H h;

	h_start(&h, &cfg);
	lcp_open(&h, AUTH_EAP, sizeof(AUTH_EAP));
	rx(&h, 100, PPP_PROTO_EAP, 1, 0x01, "\x01", 1);
	resp = tx(&h, PPP_PROTO_EAP, 2, &len);
	g_assert_cmpmem(resp + 4, len - 4, "\x01" "alice", 6);
	/* EAP-MSCHAPv2 (26) offered: Nak, proposing MD5-Challenge */
	rx(&h, 110, PPP_PROTO_EAP, 1, 0x02, "\x1a\x01", 2);
	resp = tx(&h, PPP_PROTO_EAP, 2, &len);
	g_assert_cmpmem(resp + 4, len - 4, "\x03\x04", 2);
	md5req[0] = 4;
	md5req[1] = 16;
	for (int i = 0; i < 16; i++)
		md5req[2 + i] = (uint8_t)(0x10 + i);
	rx(&h, 120, PPP_PROTO_EAP, 1, 0x07, md5req, sizeof(md5req));
	resp = tx(&h, PPP_PROTO_EAP, 2, &len);
	g_assert_cmpuint(resp[1], ==, 0x07);
	g_assert_cmpuint(resp[4], ==, 4);
	g_assert_cmpuint(resp[5], ==, 16);
	g_assert_cmpmem(resp + 6, 16, expected, 16);
	g_assert_cmpmem(resp + 22, len - 22, "alice", 5);
	rx(&h, 130, PPP_PROTO_EAP, 3, 0x07, NULL, 0);
	g_assert_cmpstr(h.events->pdata[0], ==, "AUTH_OK:EAP-MD5");
	ipcp_up(&h, 200);
	h_finish(&h);
}

/* Auth packets outside the authentication phase, and CHAP that never comes. */
static void test_session_auth_timeout(void)
{
	struct ppp_config cfg = default_config();
	H h;

	h_start(&h, &cfg);
	rx(&h, 5, PPP_PROTO_CHAP, 1, 0x01, "\x01\x00", 2);
	g_assert_cmpuint(ppp_drops(h.p, PPP_DROP_UNEXPECTED), ==, 1);
	lcp_open(&h, AUTH_MSCHAPV2, sizeof(AUTH_MSCHAPV2));
	/* IPCP before authentication: discarded (RFC 1661 §3.5) */
	rx(&h, 30, PPP_PROTO_IPCP, 1, 0x01, "\x03\x06\xc0\x00\x02\x01", 6);
	g_assert_cmpuint(ppp_drops(h.p, PPP_DROP_UNEXPECTED), ==, 2);
	no_tx(&h);
	g_assert_cmpuint(ppp_next_deadline(h.p), ==, 20 + 30000);
	ppp_tick(h.p, 20 + 30000);
	g_assert_cmpint(ppp_failure(h.p), ==, PPP_FAIL_AUTH_TIMEOUT);
	g_assert_cmpstr(ppp_failure_text(h.p), ==,
			"the gateway did not start MS-CHAPv2 authentication within 30 s");
	h_finish(&h);
}

/* ---- IPV6CP (RFC 5072) ---- */

static const uint8_t SERVER_ID[8] = { 0x02, 0x00, 0x5e, 0xff, 0xfe, 0x00, 0x53, 0x01 };
static const uint8_t ZERO_ID[8];

/* An Interface-Identifier option (RFC 5072 §4.1). */
static void v6_opt(uint8_t *out, const uint8_t *id)
{
	out[0] = 1;
	out[1] = 10;
	memcpy(out + 2, id, 8);
}

/* Our Configure-Request: exactly one Interface-Identifier, non-zero; returns where it is. */
static const uint8_t *v6_our_id(const uint8_t *req, size_t len)
{
	g_assert_cmpuint(len, ==, 4 + 10);
	g_assert_cmpuint(req[4], ==, 1);
	g_assert_cmpuint(req[5], ==, 10);
	g_assert_false(memcmp(req + 6, ZERO_ID, 8) == 0);
	return req + 6;
}

/* ipv6 on, LCP open without authentication: IPCP and IPV6CP both start (RFC 5072 §2). */
static void v6_start(H *h, const uint8_t **ipcp_req, size_t *ipcp_len, const uint8_t **v6_req,
		     size_t *v6_len)
{
	struct ppp_config cfg = default_config();

	cfg.ipv6 = true;
	h_start(h, &cfg);
	lcp_open(h, NULL, 0);
	g_assert_cmpint(ppp_phase(h->p), ==, PPP_PHASE_NETWORK);
	*ipcp_req = tx(h, PPP_PROTO_IPCP, 1, ipcp_len);
	*v6_req = tx(h, PPP_PROTO_IPV6CP, 1, v6_len);
	(void)v6_our_id(*v6_req, *v6_len);
	no_tx(h);
}

/* The gateway's Configure-Request with @id: Acked, as it was. */
static void v6_server_req_acked(H *h, uint64_t now, uint8_t pid, const uint8_t *id)
{
	uint8_t opt[10];
	const uint8_t *ack;
	size_t len;

	v6_opt(opt, id);
	rx(h, now, PPP_PROTO_IPV6CP, 1, pid, opt, sizeof(opt));
	ack = tx(h, PPP_PROTO_IPV6CP, 2, &len);
	g_assert_cmpuint(ack[1], ==, pid);
	g_assert_cmpmem(ack + 4, len - 4, opt, sizeof(opt));
}

/* Both Acked, IPV6CP open before IPCP: IPV6_UP waits for UP, then follows it. IPv6 data is
 * the data plane's. */
static void test_ipv6cp_ack(void)
{
	const uint8_t *ipcp_req, *req;
	size_t ipcp_len, len;
	H h;

	v6_start(&h, &ipcp_req, &ipcp_len, &req, &len);
	v6_server_req_acked(&h, 30, 0x11, SERVER_ID);
	rx(&h, 30, PPP_PROTO_IPV6CP, 2, req[1], req + 4, len - 4);
	no_tx(&h);
	g_assert_cmpint(h.p->ipv6cp_fsm.state, ==, PPP_FSM_OPENED);
	g_assert_cmpuint(h.events->len, ==, 0);
	g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_NETWORK);

	ipcp_up_from(&h, 40, ipcp_req, ipcp_len);
	g_assert_cmpuint(h.events->len, ==, 2);
	g_assert_cmpstr(h.events->pdata[0], ==, "UP:up");
	g_assert_cmpstr(h.events->pdata[1], ==, "IPV6_UP:ipv6 up");
	g_assert_cmpuint(h.ipv6_ups, ==, 1);
	g_assert_cmpmem(h.ip6.local, 8, req + 6, 8);
	g_assert_cmpmem(h.ip6.peer, 8, SERVER_ID, 8);

	/* IPv6 packets, full and PFC framing: neither handled nor rejected */
	ppp_receive(h.p, (const uint8_t *)"\xff\x03\x00\x57\x60\x00", 6, 50);
	ppp_receive(h.p, (const uint8_t *)"\x57\x60\x00", 3, 50);
	no_tx(&h);
	g_assert_cmpuint(ppp_drops(h.p, PPP_DROP_DATA), ==, 2);
	g_assert_cmpuint(ppp_drops(h.p, PPP_DROP_REJECTED), ==, 0);
	g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_RUNNING);

	/* the gateway renegotiates (RFC 1661 §4.1, RCR+ in Opened): we ask again with the same
	 * identifier, so the link-local address stays; IPV6_UP again, IPv4 untouched */
	{
		uint8_t opt[10];
		const uint8_t *req2;
		size_t len2;

		v6_opt(opt, SERVER_ID);
		rx(&h, 60, PPP_PROTO_IPV6CP, 1, 0x13, opt, sizeof(opt));
		req2 = tx(&h, PPP_PROTO_IPV6CP, 1, &len2);
		g_assert_cmpmem(v6_our_id(req2, len2), 8, req + 6, 8);
		tx(&h, PPP_PROTO_IPV6CP, 2, NULL);
		rx(&h, 60, PPP_PROTO_IPV6CP, 2, req2[1], req2 + 4, len2 - 4);
		no_tx(&h);
		g_assert_cmpuint(h.ipv6_ups, ==, 2);
		g_assert_cmpuint(h.ups, ==, 1);
		g_assert_cmpmem(h.ip6.local, 8, req + 6, 8);
		g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_RUNNING);
	}
	h_finish(&h);
}

/* The gateway Naks ours: a usable suggestion is taken; a zero one or one equal to the
 * gateway's own identifier is not (a fresh random one instead). IPV6_UP comes as IPV6CP opens
 * once IPv4 is up. */
static void test_ipv6cp_nak(void)
{
	static const uint8_t suggest[8] = { 0x02, 0, 0, 0, 0, 0, 0, 0x42 };
	const uint8_t *ipcp_req, *req, *id;
	uint8_t opt[10], prev[8];
	size_t ipcp_len, len;
	H h;

	v6_start(&h, &ipcp_req, &ipcp_len, &req, &len);
	ipcp_up_from(&h, 30, ipcp_req, ipcp_len);
	g_assert_cmpuint(h.events->len, ==, 1);

	v6_opt(opt, suggest);
	rx(&h, 40, PPP_PROTO_IPV6CP, 3, req[1], opt, sizeof(opt));
	req = tx(&h, PPP_PROTO_IPV6CP, 1, &len);
	g_assert_cmpmem(v6_our_id(req, len), 8, suggest, 8);

	v6_server_req_acked(&h, 40, 0x12, SERVER_ID);

	/* a zero suggestion: a fresh identifier, not zero, not the last one */
	v6_opt(opt, ZERO_ID);
	rx(&h, 50, PPP_PROTO_IPV6CP, 3, req[1], opt, sizeof(opt));
	req = tx(&h, PPP_PROTO_IPV6CP, 1, &len);
	id = v6_our_id(req, len);
	g_assert_false(memcmp(id, suggest, 8) == 0);
	memcpy(prev, id, 8);

	/* the gateway suggests its own identifier: not taken */
	v6_opt(opt, SERVER_ID);
	rx(&h, 60, PPP_PROTO_IPV6CP, 3, req[1], opt, sizeof(opt));
	req = tx(&h, PPP_PROTO_IPV6CP, 1, &len);
	id = v6_our_id(req, len);
	g_assert_false(memcmp(id, SERVER_ID, 8) == 0);
	g_assert_false(memcmp(id, prev, 8) == 0);
	/* a suggestion of the wrong length is ignored: we ask with what we have */
	rx(&h, 70, PPP_PROTO_IPV6CP, 3, req[1], "\x01\x06\x01\x02\x03\x04", 6);
	req = tx(&h, PPP_PROTO_IPV6CP, 1, &len);
	g_assert_cmpmem(v6_our_id(req, len), 8, id, 8);

	g_assert_cmpuint(h.ipv6_ups, ==, 0);
	rx(&h, 80, PPP_PROTO_IPV6CP, 2, req[1], req + 4, len - 4);
	no_tx(&h);
	g_assert_cmpuint(h.ipv6_ups, ==, 1);
	g_assert_cmpstr(last_event(&h), ==, "IPV6_UP:ipv6 up");
	g_assert_cmpmem(h.ip6.local, 8, req + 6, 8);
	g_assert_cmpmem(h.ip6.peer, 8, SERVER_ID, 8);
	g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_RUNNING);
	h_finish(&h);
}

/* The gateway asks for our identifier, or for zero: Nak with a suggestion of ours, non-zero
 * and not our own (RFC 5072 §4.1); the gateway takes it and is Acked. */
static void test_ipv6cp_peer_id(void)
{
	for (int zero = 0; zero <= 1; zero++) {
		const uint8_t *ipcp_req, *req, *nak;
		uint8_t opt[10], suggested[8];
		size_t ipcp_len, len, nl;
		H h;

		v6_start(&h, &ipcp_req, &ipcp_len, &req, &len);
		v6_opt(opt, zero ? ZERO_ID : req + 6);
		rx(&h, 30, PPP_PROTO_IPV6CP, 1, 0x21, opt, sizeof(opt));
		nak = tx(&h, PPP_PROTO_IPV6CP, 3, &nl);
		g_assert_cmpuint(nak[1], ==, 0x21);
		g_assert_cmpuint(nl, ==, 4 + 10);
		g_assert_cmpuint(nak[4], ==, 1);
		g_assert_cmpuint(nak[5], ==, 10);
		memcpy(suggested, nak + 6, 8);
		g_assert_false(memcmp(suggested, ZERO_ID, 8) == 0);
		g_assert_false(memcmp(suggested, req + 6, 8) == 0);
		no_tx(&h);

		v6_server_req_acked(&h, 40, 0x22, suggested);
		rx(&h, 40, PPP_PROTO_IPV6CP, 2, req[1], req + 4, len - 4);
		ipcp_up_from(&h, 50, ipcp_req, ipcp_len);
		g_assert_cmpuint(h.ipv6_ups, ==, 1);
		g_assert_cmpmem(h.ip6.local, 8, req + 6, 8);
		g_assert_cmpmem(h.ip6.peer, 8, suggested, 8);
		h_finish(&h);
	}
}

/* IPV6CP failing never touches IPv4: a Protocol-Reject of IPV6CP, Max-Configure unanswered
 * requests, a Configure-Reject of the Interface-Identifier. The session stays RUNNING with
 * its one UP; no FAILED, no IPV6_UP. */
static void test_ipv6cp_refused(void)
{
	const uint8_t *ipcp_req, *req;
	size_t ipcp_len, len;
	uint64_t now;
	H h;

	/* Protocol-Reject (RFC 1661 §5.7) once UP was emitted */
	v6_start(&h, &ipcp_req, &ipcp_len, &req, &len);
	ipcp_up_from(&h, 30, ipcp_req, ipcp_len);
	{
		uint8_t pr[2 + 14] = { 0x80, 0x57 };

		memcpy(pr + 2, req, len);
		rx(&h, 40, PPP_PROTO_LCP, 8, 0x62, pr, 2 + len);
	}
	no_tx(&h);
	g_assert_cmpint(h.p->ipv6cp_fsm.state, ==, PPP_FSM_STOPPED);
	g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_RUNNING);
	g_assert_cmpint(ppp_failure(h.p), ==, PPP_FAIL_NONE);
	g_assert_cmpuint(h.events->len, ==, 1);
	g_assert_cmpstr(last_event(&h), ==, "UP:up");
	g_assert_cmpuint(ppp_next_deadline(h.p), ==, UINT64_MAX);
	ppp_tick(h.p, 60000);
	no_tx(&h);
	h_finish(&h);

	/* the gateway never answers IPV6CP: 10 requests, then quiet */
	v6_start(&h, &ipcp_req, &ipcp_len, &req, &len);
	ipcp_up_from(&h, 30, ipcp_req, ipcp_len);
	now = 20;
	for (int i = 1; i < PPP_FSM_MAX_CONFIGURE; i++) {
		g_assert_cmpuint(ppp_next_deadline(h.p), ==, now + 3000);
		now += 3000;
		ppp_tick(h.p, now);
		tx(&h, PPP_PROTO_IPV6CP, 1, NULL);
	}
	now += 3000;
	ppp_tick(h.p, now);
	no_tx(&h);
	g_assert_cmpuint(ppp_next_deadline(h.p), ==, UINT64_MAX);
	g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_RUNNING);
	g_assert_cmpuint(h.events->len, ==, 1);
	h_finish(&h);

	/* Configure-Reject of the Interface-Identifier: not asked for again (§4.1), and with
	 * nothing left to negotiate IPV6CP is closed */
	v6_start(&h, &ipcp_req, &ipcp_len, &req, &len);
	ipcp_up_from(&h, 30, ipcp_req, ipcp_len);
	rx(&h, 40, PPP_PROTO_IPV6CP, 4, req[1], req + 4, len - 4);
	req = tx(&h, PPP_PROTO_IPV6CP, 1, &len);
	g_assert_cmpuint(len, ==, 4);
	req = tx(&h, PPP_PROTO_IPV6CP, 5, NULL);
	no_tx(&h);
	rx(&h, 50, PPP_PROTO_IPV6CP, 6, req[1], NULL, 0);
	g_assert_cmpint(h.p->ipv6cp_fsm.state, ==, PPP_FSM_CLOSED);
	g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_RUNNING);
	g_assert_cmpuint(h.events->len, ==, 1);
	g_assert_cmpuint(ppp_next_deadline(h.p), ==, UINT64_MAX);
	h_finish(&h);
}

/* Options other than the Interface-Identifier, and a wrongly sized one, are Configure-
 * Rejected; a broken option list is dropped and changes nothing. */
static void test_ipv6cp_reject_unknown(void)
{
	/* IPv6-Compression-Protocol (§4.2), an unknown option 0x63, the identifier */
	static const uint8_t server_req[] = { 0x02, 0x04, 0x00, 0x4f, 0x63, 0x03, 0xaa,
					      0x01, 0x0a, 0x02, 0x00, 0x5e, 0xff,
					      0xfe, 0x00, 0x53, 0x01 };
	const uint8_t *ipcp_req, *req, *rej;
	size_t ipcp_len, len, rl;
	H h;

	v6_start(&h, &ipcp_req, &ipcp_len, &req, &len);
	rx(&h, 30, PPP_PROTO_IPV6CP, 1, 0x31, server_req, sizeof(server_req));
	rej = tx(&h, PPP_PROTO_IPV6CP, 4, &rl);
	g_assert_cmpuint(rej[1], ==, 0x31);
	g_assert_cmpmem(rej + 4, rl - 4, server_req, 7);

	/* an identifier of 6 bytes */
	rx(&h, 30, PPP_PROTO_IPV6CP, 1, 0x32, "\x01\x08\x01\x02\x03\x04\x05\x06", 8);
	rej = tx(&h, PPP_PROTO_IPV6CP, 4, &rl);
	g_assert_cmpmem(rej + 4, rl - 4, "\x01\x08\x01\x02\x03\x04\x05\x06", 8);

	/* option lengths 1 and past the end: dropped */
	rx(&h, 30, PPP_PROTO_IPV6CP, 1, 0x33, "\x01\x01", 2);
	rx(&h, 30, PPP_PROTO_IPV6CP, 1, 0x34, "\x01\x0b\x01\x02\x03\x04\x05\x06\x07\x08", 10);
	no_tx(&h);
	g_assert_cmpuint(ppp_drops(h.p, PPP_DROP_MALFORMED), ==, 2);

	/* the gateway's next request without them: Acked */
	v6_server_req_acked(&h, 40, 0x35, SERVER_ID);
	rx(&h, 40, PPP_PROTO_IPV6CP, 2, req[1], req + 4, len - 4);
	ipcp_up_from(&h, 50, ipcp_req, ipcp_len);
	g_assert_cmpuint(h.ipv6_ups, ==, 1);
	h_finish(&h);
}

/* ipv6 off: nothing sent for IPV6CP, and the gateway's IPV6CP is Protocol-Rejected as it
 * always was; IPv6 data is still the data plane's. */
static void test_ipv6cp_off(void)
{
	static const uint8_t v6req[] = { 0xff, 0x03, 0x80, 0x57, 0x01, 0x01, 0x00, 0x0e,
					 0x01, 0x0a, 0x02, 0x00, 0x5e, 0xff, 0xfe, 0x00, 0x53, 0x01 };
	struct ppp_config cfg = default_config();
	const uint8_t *rej;
	size_t len;
	H h;

	up_without_auth(&h, &cfg);
	no_tx(&h);
	ppp_receive(h.p, v6req, sizeof(v6req), 40);
	rej = tx(&h, PPP_PROTO_LCP, 8, &len);
	g_assert_cmpmem(rej + 4, len - 4, v6req + 2, sizeof(v6req) - 2);
	g_assert_cmpuint(ppp_drops(h.p, PPP_DROP_REJECTED), ==, 1);
	ppp_receive(h.p, (const uint8_t *)"\xff\x03\x00\x57\x60\x00", 6, 41);
	no_tx(&h);
	g_assert_cmpuint(ppp_drops(h.p, PPP_DROP_DATA), ==, 1);
	g_assert_cmpint(h.p->ipv6cp_fsm.state, ==, PPP_FSM_INITIAL);
	g_assert_cmpuint(h.events->len, ==, 1);
	h_finish(&h);
}

/* ppp_close: LCP's Terminate-Request takes IPCP and IPV6CP down with it (RFC 1661 §3.7);
 * nothing of IPV6CP afterwards. */
static void test_ipv6cp_close(void)
{
	const uint8_t *ipcp_req, *req, *term;
	size_t ipcp_len, len;
	H h;

	v6_start(&h, &ipcp_req, &ipcp_len, &req, &len);
	v6_server_req_acked(&h, 30, 0x41, SERVER_ID);
	ipcp_up_from(&h, 30, ipcp_req, ipcp_len);
	rx(&h, 40, PPP_PROTO_IPV6CP, 2, req[1], req + 4, len - 4);
	g_assert_cmpuint(h.ipv6_ups, ==, 1);

	ppp_close(h.p, 5000);
	term = tx(&h, PPP_PROTO_LCP, 5, NULL);
	no_tx(&h);
	g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_TERMINATE);
	g_assert_cmpint(h.p->ipcp_fsm.state, ==, PPP_FSM_INITIAL);
	g_assert_cmpint(h.p->ipv6cp_fsm.state, ==, PPP_FSM_INITIAL);
	/* the gateway's IPV6CP now: not expected, not answered */
	{
		uint8_t opt[10];

		v6_opt(opt, SERVER_ID);
		rx(&h, 5100, PPP_PROTO_IPV6CP, 1, 0x42, opt, sizeof(opt));
	}
	no_tx(&h);
	g_assert_cmpuint(ppp_drops(h.p, PPP_DROP_UNEXPECTED), ==, 1);
	rx(&h, 5200, PPP_PROTO_LCP, 6, term[1], NULL, 0);
	g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_DEAD);
	g_assert_cmpstr(last_event(&h), ==, "DOWN:the PPP session was closed");
	ppp_tick(h.p, 60000);
	no_tx(&h);
	g_assert_cmpuint(ppp_next_deadline(h.p), ==, UINT64_MAX);
	g_assert_cmpuint(h.events->len, ==, 3); /* UP, IPV6_UP, DOWN */
	h_finish(&h);
}

/* The gateway terminates IPV6CP alone (RFC 1661 §5.5 in Opened): Terminate-Ack, IPV6_DOWN,
 * and IPv4 carries on. When it asks again later, IPV6CP opens anew: IPV6_UP again. */
static void test_ipv6cp_peer_terminate(void)
{
	const uint8_t *ipcp_req, *req, *req2;
	size_t ipcp_len, len, len2;
	H h;

	v6_start(&h, &ipcp_req, &ipcp_len, &req, &len);
	v6_server_req_acked(&h, 30, 0x41, SERVER_ID);
	ipcp_up_from(&h, 30, ipcp_req, ipcp_len);
	rx(&h, 40, PPP_PROTO_IPV6CP, 2, req[1], req + 4, len - 4);
	g_assert_cmpuint(h.ipv6_ups, ==, 1);

	rx(&h, 1000, PPP_PROTO_IPV6CP, 5, 0x50, NULL, 0);
	g_assert_cmpuint(tx(&h, PPP_PROTO_IPV6CP, 6, NULL)[1], ==, 0x50);
	no_tx(&h);
	g_assert_cmpstr(last_event(&h), ==, "IPV6_DOWN:ipv6 down");
	g_assert_cmpint(ppp_phase(h.p), ==, PPP_PHASE_RUNNING);
	g_assert_cmpint(h.p->ipcp_fsm.state, ==, PPP_FSM_OPENED);
	/* the Stopping timer runs out: nothing more said, nothing more sent */
	ppp_tick(h.p, 5000);
	no_tx(&h);
	g_assert_cmpint(h.p->ipv6cp_fsm.state, ==, PPP_FSM_STOPPED);
	g_assert_cmpstr(last_event(&h), ==, "IPV6_DOWN:ipv6 down");
	g_assert_cmpuint(h.ups, ==, 1);

	/* the gateway opens it again (RCR+ in Stopped, RFC 1661 §4.1: irc, scr, sca): our
	 * request with the same identifier, our Ack, then its Ack and IPV6_UP */
	{
		uint8_t opt[10];

		v6_opt(opt, SERVER_ID);
		rx(&h, 6000, PPP_PROTO_IPV6CP, 1, 0x51, opt, sizeof(opt));
	}
	req2 = tx(&h, PPP_PROTO_IPV6CP, 1, &len2);
	g_assert_cmpmem(v6_our_id(req2, len2), 8, req + 6, 8);
	g_assert_cmpuint(tx(&h, PPP_PROTO_IPV6CP, 2, NULL)[1], ==, 0x51);
	rx(&h, 6100, PPP_PROTO_IPV6CP, 2, req2[1], req2 + 4, len2 - 4);
	no_tx(&h);
	g_assert_cmpuint(h.ipv6_ups, ==, 2);
	g_assert_cmpstr(last_event(&h), ==, "IPV6_UP:ipv6 up");
	g_assert_cmpuint(h.ups, ==, 1);
	h_finish(&h);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ppp/frame/parse", test_frame_parse);
	g_test_add_func("/ppp/frame/push", test_frame_push);
	g_test_add_func("/ppp/config", test_config);
	g_test_add_func("/ppp/lcp/negotiation", test_lcp_negotiation);
	g_test_add_func("/ppp/lcp/auth-nak", test_lcp_auth_nak);
	g_test_add_func("/ppp/lcp/reject-unknown", test_lcp_reject_unknown);
	g_test_add_func("/ppp/lcp/loopback", test_lcp_loopback);
	g_test_add_func("/ppp/lcp/max-configure", test_lcp_max_configure);
	g_test_add_func("/ppp/lcp/no-agreement", test_lcp_no_agreement);
	g_test_add_func("/ppp/lcp/malformed", test_lcp_malformed);
	g_test_add_func("/ppp/lcp/stale-id", test_lcp_stale_id);
	g_test_add_func("/ppp/lcp/echo", test_lcp_echo);
	g_test_add_func("/ppp/lcp/terminate-by-peer", test_lcp_terminate_by_peer);
	g_test_add_func("/ppp/lcp/close", test_lcp_close);
	g_test_add_func("/ppp/lcp/close-during-auth", test_close_during_auth);
	g_test_add_func("/ppp/lcp/protocol-reject", test_lcp_protocol_reject);
	g_test_add_func("/ppp/lcp/code-reject", test_lcp_code_reject);
	g_test_add_func("/ppp/ipcp/nak", test_ipcp_nak);
	g_test_add_func("/ppp/ipcp/reject", test_ipcp_reject);
	g_test_add_func("/ppp/ipcp/no-address", test_ipcp_no_address);
	g_test_add_func("/ppp/ipv6cp/ack", test_ipv6cp_ack);
	g_test_add_func("/ppp/ipv6cp/nak", test_ipv6cp_nak);
	g_test_add_func("/ppp/ipv6cp/peer-id", test_ipv6cp_peer_id);
	g_test_add_func("/ppp/ipv6cp/refused", test_ipv6cp_refused);
	g_test_add_func("/ppp/ipv6cp/reject-unknown", test_ipv6cp_reject_unknown);
	g_test_add_func("/ppp/ipv6cp/off", test_ipv6cp_off);
	g_test_add_func("/ppp/ipv6cp/close", test_ipv6cp_close);
	g_test_add_func("/ppp/ipv6cp/peer-terminate", test_ipv6cp_peer_terminate);
	g_test_add_func("/ppp/session/mschapv2", test_session_mschapv2);
	g_test_add_func("/ppp/session/mschapv2-domain", test_session_mschapv2_domain);
	g_test_add_func("/ppp/session/mschapv2-wrong-s", test_session_mschapv2_wrong_s);
	g_test_add_func("/ppp/session/mschapv2-691", test_session_mschapv2_691);
	g_test_add_func("/ppp/chap/failure-texts", test_chap_failure_texts);
	g_test_add_func("/ppp/session/pap", test_session_pap);
	g_test_add_func("/ppp/session/chap-md5", test_session_chap_md5);
	g_test_add_func("/ppp/session/chap-resend", test_session_chap_resend);
	g_test_add_func("/ppp/session/mschapv1", test_session_mschapv1);
	g_test_add_func("/ppp/session/eap-md5", test_session_eap_md5);
	g_test_add_func("/ppp/session/auth-timeout", test_session_auth_timeout);
	return g_test_run();
}

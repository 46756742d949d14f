/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The data plane between a fake TUN device and a fake gateway, both datagram socketpairs: what
 * leaves is checked by opening it as the gateway would (its own ESP SA, then the UDP, L2TP
 * and PPP headers byte for byte), and what the gateway sends arrives as a bare IP packet, or
 * is handed up (L2TP and PPP control), or is dropped and counted.
 */
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glib.h>

#include "dataplane/dataplane.h"
#include "esp/esp-sa.h"

#define OUR_PORT 50000
#define PEER_TUNNEL 0x1111
#define PEER_SESSION 0x2222
#define OUR_TUNNEL 0x3333
#define OUR_SESSION 0x4444

typedef struct {
	int udp[2], tun[2];  /* [0] the data plane's end, [1] the test's */
	struct dp *dp;
	struct ike_child child;
	struct esp_sa *gw; /* the gateway's outbound SA of child */
	GByteArray *l2tp_up, *ppp_up, *dhcp_up, *ike_up;
	unsigned alive, l2tp_count, drained;
	bool off_main; /* an op ran on another thread than the test's */
} Fixture;

static GThread *main_thread;

static void note_thread(Fixture *f)
{
	if (g_thread_self() != main_thread)
		f->off_main = true;
}

static void on_l2tp(void *user, const uint8_t *msg, size_t len)
{
	Fixture *f = user;

	note_thread(f);
	f->l2tp_count++;
	g_byte_array_append(f->l2tp_up, msg, (guint)len);
}

static void on_ppp(void *user, const uint8_t *frame, size_t len)
{
	Fixture *f = user;

	g_byte_array_append(f->ppp_up, frame, (guint)len);
}

static void on_alive(void *user)
{
	Fixture *f = user;

	note_thread(f);
	f->alive++;
}

static void on_ike(void *user, const uint8_t *msg, size_t len)
{
	Fixture *f = user;

	note_thread(f);
	g_byte_array_append(f->ike_up, msg, (guint)len);
}

static void on_drained(void *user)
{
	Fixture *f = user;

	note_thread(f);
	f->drained++;
}

static void on_dhcp(void *user, const uint8_t *payload, size_t len)
{
	Fixture *f = user;

	g_byte_array_append(f->dhcp_up, payload, (guint)len);
}

static const struct dp_ops ops = {
	.l2tp_control = on_l2tp, .ppp_control = on_ppp, .alive = on_alive, .dhcp = on_dhcp,
	.ike = on_ike, .drained = on_drained,
};

static void make_child(struct ike_child *c, uint32_t spi_in, uint32_t spi_out, uint8_t seed)
{
	memset(c, 0, sizeof(*c));
	c->suite = (RoadieSuite){ ROADIE_ENCR_AES_CBC, 128, ROADIE_INTEG_SHA1, ROADIE_DH_NONE };
	c->udp_encap = true;
	c->spi_in = spi_in;
	c->spi_out = spi_out;
	c->enc_key_len = 16;
	c->integ_key_len = 20;
	for (size_t i = 0; i < 36; i++) {
		c->key_in[i] = (uint8_t)(seed + i);
		c->key_out[i] = (uint8_t)(seed + 0x80 + i);
	}
	c->local_port = OUR_PORT;
}

/* The gateway's side of an SA of @child: it receives with our outbound keys. */
static struct esp_sa *gateway_sa(const struct ike_child *child, bool gateway_outbound)
{
	struct esp_sa_config cfg = {
		.spi = gateway_outbound ? child->spi_in : child->spi_out,
		.suite = child->suite,
		.key = gateway_outbound ? child->key_in : child->key_out,
		.enc_key_len = child->enc_key_len,
		.integ_key_len = child->integ_key_len,
	};

	return esp_sa_new(&cfg, gateway_outbound);
}

static void setup(Fixture *f, gconstpointer data)
{
	g_assert_cmpint(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, f->udp), ==, 0);
	g_assert_cmpint(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, f->tun), ==, 0);
	f->dp = dp_new(f->udp[0], -1, &ops, f);
	make_child(&f->child, 0xaaaa0001, 0xbbbb0001, 1);
	g_assert_cmpint(dp_install_sa(f->dp, &f->child, false), ==, 0);
	dp_set_ports(f->dp, OUR_PORT, 1701);
	dp_set_l2tp(f->dp, PEER_TUNNEL, PEER_SESSION, OUR_TUNNEL, OUR_SESSION);
	dp_set_tun(f->dp, f->tun[0]);
	f->l2tp_up = g_byte_array_new();
	f->ppp_up = g_byte_array_new();
	f->dhcp_up = g_byte_array_new();
	f->ike_up = g_byte_array_new();
	f->gw = gateway_sa(&f->child, true);
}

static void setup_threads(Fixture *f, gconstpointer data)
{
	setup(f, data);
	g_assert_cmpint(dp_run_threads(f->dp), ==, 0);
}


static void teardown(Fixture *f, gconstpointer data)
{
	dp_free(f->dp);
	esp_sa_free(f->gw);
	for (int i = 0; i < 2; i++) {
		close(f->udp[i]);
		close(f->tun[i]);
	}
	g_byte_array_unref(f->l2tp_up);
	g_byte_array_unref(f->ppp_up);
	g_byte_array_unref(f->dhcp_up);
	g_byte_array_unref(f->ike_up);
}


static const uint8_t ip_packet[] = { 0x45, 0, 0, 24, 0, 1, 0, 0, 64, 1, 0, 0,
				     192, 0, 2, 128, 192, 0, 2, 254, 8, 0, 0xf7, 0xfe };

/* TUN -> the gateway: ESP(UDP OUR_PORT->1701 | L2TP data | FF 03 00 21 | IP) */
static void test_out(Fixture *f, gconstpointer data)
{
	uint8_t buf[2048];
	ssize_t n;
	size_t off, len;
	uint8_t next;
	struct esp_sa *gw = gateway_sa(&f->child, false);

	g_assert_cmpint(write(f->tun[1], ip_packet, sizeof(ip_packet)), ==, sizeof(ip_packet));
	dp_on_tun_readable(f->dp);
	n = read(f->udp[1], buf, sizeof(buf));
	g_assert_cmpint(n, >, 0);
	g_assert_cmpuint(esp_peek_spi(buf, (size_t)n), ==, f->child.spi_out);
	g_assert_cmpint(esp_sa_open(gw, buf, (size_t)n, &off, &len, &next), ==, 0);
	g_assert_cmpuint(next, ==, 17);
	{
		const uint8_t want[] = {
			OUR_PORT >> 8, OUR_PORT & 0xff, 1701 >> 8, 1701 & 0xff, 0,
			(uint8_t)(8 + 6 + 4 + sizeof(ip_packet)), 0, 0, /* UDP, no checksum */
			0x00, 0x02, 0x11, 0x11, 0x22, 0x22,             /* L2TP data */
			0xff, 0x03, 0x00, 0x21,                         /* PPP, IPv4 */
		};

		g_assert_cmpuint(len, ==, sizeof(want) + sizeof(ip_packet));
		g_assert_cmpmem(buf + off, sizeof(want), want, sizeof(want));
		g_assert_cmpmem(buf + off + sizeof(want), sizeof(ip_packet), ip_packet,
				sizeof(ip_packet));
	}
	g_assert_cmpuint(dp_stats(f->dp)->tun_in, ==, 1);
	g_assert_cmpuint(dp_stats(f->dp)->esp_out, ==, 1);
	esp_sa_free(gw);
}

/* What the gateway sends with its outbound SA @gw: UDP from @sport to @dport, then @l2tp.
 * Returns the ESP length. */
static size_t gateway_send(struct esp_sa *gw, uint8_t *buf, size_t cap, uint16_t sport,
			   uint16_t dport, const uint8_t *l2tp, size_t l2tp_len)
{
	struct pkt_writer w;
	uint8_t iv[16] = { 7 };

	g_assert_cmpint(pkt_writer_init(&w, buf, cap, 64), ==, 0);
	g_assert_cmpint(pkt_put_be16(&w, sport) || pkt_put_be16(&w, dport) ||
				pkt_put_be16(&w, (uint16_t)(8 + l2tp_len)) || pkt_put_be16(&w, 0) ||
				pkt_put_bytes(&w, l2tp, l2tp_len),
			==, 0);
	g_assert_cmpint(esp_sa_seal(gw, &w, 17, iv), ==, 0);
	memmove(buf, pkt_writer_data(&w), pkt_writer_len(&w));
	return pkt_writer_len(&w);
}

static void test_in_ip(Fixture *f, gconstpointer data)
{
	uint8_t l2tp[6 + 4 + sizeof(ip_packet)] = { 0x00, 0x02, 0x33, 0x33, 0x44, 0x44,
						    0xff, 0x03, 0x00, 0x21 };
	uint8_t buf[2048], got[2048];
	size_t n;

	memcpy(l2tp + 10, ip_packet, sizeof(ip_packet));
	/* from another source port than 1701: RFC 2661 §8.1 lets the LNS choose */
	n = gateway_send(f->gw, buf, sizeof(buf), 4242, OUR_PORT, l2tp, sizeof(l2tp));
	dp_input_esp(f->dp, buf, n);
	g_assert_cmpint(read(f->tun[1], got, sizeof(got)), ==, sizeof(ip_packet));
	g_assert_cmpmem(got, sizeof(ip_packet), ip_packet, sizeof(ip_packet));
	g_assert_cmpuint(f->alive, ==, 1);
	g_assert_cmpuint(dp_stats(f->dp)->tun_out, ==, 1);
}

static void test_in_control(Fixture *f, gconstpointer data)
{
	/* a ZLB: T, L, S, version 2, length 12, our tunnel, session 0, Ns, Nr */
	const uint8_t zlb[] = { 0xc8, 0x02, 0, 12, 0x33, 0x33, 0, 0, 0, 1, 0, 1 };
	const uint8_t lcp[] = { 0x00, 0x02, 0x33, 0x33, 0x44, 0x44, 0xff, 0x03, 0xc0, 0x21,
				9, 1, 0, 8, 1, 2, 3, 4 }; /* LCP Echo-Request */
	uint8_t buf[2048];
	size_t n;

	n = gateway_send(f->gw, buf, sizeof(buf), 1701, OUR_PORT, zlb, sizeof(zlb));
	dp_input_esp(f->dp, buf, n);
	g_assert_cmpmem(f->l2tp_up->data, f->l2tp_up->len, zlb, sizeof(zlb));
	n = gateway_send(f->gw, buf, sizeof(buf), 1701, OUR_PORT, lcp, sizeof(lcp));
	dp_input_esp(f->dp, buf, n);
	g_assert_cmpmem(f->ppp_up->data, f->ppp_up->len, lcp + 6, sizeof(lcp) - 6);
}

/* roadied's own IP packet goes out like one from the TUN; a UDP datagram to port 68 comes
 * up to the dhcp op while it is watched, and to the TUN otherwise */
static void test_dhcp(Fixture *f, gconstpointer data)
{
	/* IPv4 192.0.2.1 -> 192.0.2.128, UDP 67 -> 68, payload "ACK!" */
	static const uint8_t answer[] = { 0x45, 0, 0, 32, 0, 1, 0, 0, 64, 17, 0, 0,
					  192, 0, 2, 1, 192, 0, 2, 128,
					  0, 67, 0, 68, 0, 12, 0, 0, 'A', 'C', 'K', '!' };
	uint8_t l2tp[6 + 4 + sizeof(answer)] = { 0x00, 0x02, 0x33, 0x33, 0x44, 0x44,
						 0xff, 0x03, 0x00, 0x21 };
	uint8_t buf[2048], got[2048];
	size_t n, off, len;
	uint8_t next;
	struct esp_sa *gw = gateway_sa(&f->child, false);

	g_assert_cmpint(dp_send_ip(f->dp, ip_packet, sizeof(ip_packet)), ==, 0);
	n = (size_t)read(f->udp[1], buf, sizeof(buf));
	g_assert_cmpint(esp_sa_open(gw, buf, n, &off, &len, &next), ==, 0);
	g_assert_cmpmem(buf + off + len - sizeof(ip_packet), sizeof(ip_packet), ip_packet,
			sizeof(ip_packet));
	g_assert_cmpmem(buf + off + 14, 4, "\xff\x03\x00\x21", 4);
	esp_sa_free(gw);

	memcpy(l2tp + 10, answer, sizeof(answer));
	dp_watch_dhcp(f->dp, true);
	n = gateway_send(f->gw, buf, sizeof(buf), 1701, OUR_PORT, l2tp, sizeof(l2tp));
	dp_input_esp(f->dp, buf, n);
	g_assert_cmpmem(f->dhcp_up->data, f->dhcp_up->len, "ACK!", 4);
	g_assert_cmpint(read(f->tun[1], got, sizeof(got)), <, 0); /* not to the TUN */
	/* a truncated UDP length: not DHCP's, so to the TUN as it is */
	l2tp[10 + 25] = 200;
	n = gateway_send(f->gw, buf, sizeof(buf), 1701, OUR_PORT, l2tp, sizeof(l2tp));
	dp_input_esp(f->dp, buf, n);
	g_assert_cmpuint(f->dhcp_up->len, ==, 4);
	g_assert_cmpint(read(f->tun[1], got, sizeof(got)), ==, sizeof(answer));
	/* not watched: to the TUN */
	l2tp[10 + 25] = 12;
	dp_watch_dhcp(f->dp, false);
	n = gateway_send(f->gw, buf, sizeof(buf), 1701, OUR_PORT, l2tp, sizeof(l2tp));
	dp_input_esp(f->dp, buf, n);
	g_assert_cmpuint(f->dhcp_up->len, ==, 4);
	g_assert_cmpint(read(f->tun[1], got, sizeof(got)), ==, sizeof(answer));
}

static void test_in_dropped(Fixture *f, gconstpointer data)
{
	uint8_t l2tp[6 + 4 + sizeof(ip_packet)] = { 0x00, 0x02, 0x33, 0x33, 0x44, 0x44,
						    0xff, 0x03, 0x00, 0x21 };
	uint8_t buf[2048], got[64];
	size_t n;
	struct ike_child other;
	struct esp_sa *other_gw;

	memcpy(l2tp + 10, ip_packet, sizeof(ip_packet));
	/* to another port than ours */
	n = gateway_send(f->gw, buf, sizeof(buf), 1701, OUR_PORT + 1, l2tp, sizeof(l2tp));
	dp_input_esp(f->dp, buf, n);
	g_assert_cmpuint(dp_stats(f->dp)->drops[DP_DROP_WRONG_PORT], ==, 1);
	/* another session */
	l2tp[5] ^= 1;
	n = gateway_send(f->gw, buf, sizeof(buf), 1701, OUR_PORT, l2tp, sizeof(l2tp));
	dp_input_esp(f->dp, buf, n);
	g_assert_cmpuint(dp_stats(f->dp)->drops[DP_DROP_L2TP], ==, 1);
	l2tp[5] ^= 1;
	/* an SA we do not have */
	make_child(&other, 0xcccc0001, 0xdddd0001, 9);
	other_gw = gateway_sa(&other, true);
	n = gateway_send(other_gw, buf, sizeof(buf), 1701, OUR_PORT, l2tp, sizeof(l2tp));
	dp_input_esp(f->dp, buf, n);
	g_assert_cmpuint(dp_stats(f->dp)->drops[DP_DROP_NO_SA], ==, 1);
	esp_sa_free(other_gw);
	/* damaged on the way */
	n = gateway_send(f->gw, buf, sizeof(buf), 1701, OUR_PORT, l2tp, sizeof(l2tp));
	buf[n / 2] ^= 0x40;
	dp_input_esp(f->dp, buf, n);
	g_assert_cmpuint(dp_stats(f->dp)->drops[DP_DROP_ESP], ==, 1);
	/* truncated to nothing */
	dp_input_esp(f->dp, buf, 3);
	g_assert_cmpint(read(f->tun[1], got, sizeof(got)), <, 0);
	g_assert_cmpuint(f->l2tp_up->len + f->ppp_up->len, ==, 0);
	g_assert_cmpuint(f->alive, ==, 2); /* the two authentic packets with a wrong port/session */
}

/* Our rekey: the old outbound SA is used until the gateway sends on the new pair. */
static void test_rekey_deferred(Fixture *f, gconstpointer data)
{
	struct ike_child next;
	struct esp_sa *next_gw;
	uint8_t buf[2048];
	const uint8_t zlb[] = { 0xc8, 0x02, 0, 12, 0x33, 0x33, 0, 0, 0, 1, 0, 1 };
	size_t n;

	make_child(&next, 0xaaaa0002, 0xbbbb0002, 5);
	next_gw = gateway_sa(&next, true);
	g_assert_cmpint(dp_install_sa(f->dp, &next, true), ==, 0);
	g_assert_cmpint(dp_send_l2tp_control(f->dp, zlb, sizeof(zlb)), ==, 0);
	g_assert_cmpint(read(f->udp[1], buf, sizeof(buf)), >, 0);
	g_assert_cmpuint(esp_peek_spi(buf, sizeof(buf)), ==, 0xbbbb0001);
	/* the old inbound SA still works, the new one too; the new one switches the outbound */
	n = gateway_send(f->gw, buf, sizeof(buf), 1701, OUR_PORT, zlb, sizeof(zlb));
	dp_input_esp(f->dp, buf, n);
	g_assert_cmpint(dp_send_l2tp_control(f->dp, zlb, sizeof(zlb)), ==, 0);
	g_assert_cmpint(read(f->udp[1], buf, sizeof(buf)), >, 0);
	g_assert_cmpuint(esp_peek_spi(buf, sizeof(buf)), ==, 0xbbbb0001);
	n = gateway_send(next_gw, buf, sizeof(buf), 1701, OUR_PORT, zlb, sizeof(zlb));
	dp_input_esp(f->dp, buf, n);
	g_assert_cmpint(dp_send_l2tp_control(f->dp, zlb, sizeof(zlb)), ==, 0);
	g_assert_cmpint(read(f->udp[1], buf, sizeof(buf)), >, 0);
	g_assert_cmpuint(esp_peek_spi(buf, sizeof(buf)), ==, 0xbbbb0002);
	g_assert_cmpuint(f->l2tp_up->len, ==, 2 * sizeof(zlb));
	/* the old inbound SA removed: its packets are dropped */
	dp_remove_inbound(f->dp, 0xaaaa0001);
	n = gateway_send(f->gw, buf, sizeof(buf), 1701, OUR_PORT, zlb, sizeof(zlb));
	dp_input_esp(f->dp, buf, n);
	g_assert_cmpuint(dp_stats(f->dp)->drops[DP_DROP_NO_SA], ==, 1);
	esp_sa_free(next_gw);
}

/* ---- the same data plane on its threads (dp_run_threads) ---- */

#define THREAD_PACKETS 2000
#define WAIT_MS 5000

/* Writes a datagram to the test's end of a socketpair, waiting for room. */
static void write_waiting(int fd, const uint8_t *data, size_t len)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLOUT };

		if (write(fd, data, len) == (ssize_t)len)
			return;
		g_assert_cmpint(poll(&p, 1, WAIT_MS), ==, 1);
	}
}

/* Reads one datagram, waiting at most WAIT_MS; -1 if none came. */
static ssize_t read_waiting(int fd, uint8_t *buf, size_t cap)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, WAIT_MS) != 1)
		return -1;
	return read(fd, buf, cap);
}

/* Runs the main context until @done, or fails after WAIT_MS. */
static void iterate_until(bool (*done)(Fixture *f), Fixture *f)
{
	gint64 end = g_get_monotonic_time() + WAIT_MS * 1000;

	while (!done(f)) {
		g_assert_cmpint(g_get_monotonic_time(), <, end);
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
}

/* TUN -> gateway: every packet sealed in order, with sequence numbers 1, 2, 3, ..., while the
 * main thread sends control messages between them (they share the outbound SA) */
static void test_threads_out(Fixture *f, gconstpointer data)
{
	struct esp_sa *gw = gateway_sa(&f->child, false);
	const uint8_t zlb[] = { 0xc8, 0x02, 0, 12, 0x33, 0x33, 0, 0, 0, 1, 0, 1 };
	uint8_t packet[sizeof(ip_packet)], buf[2048];
	unsigned ip_seen = 0, control_seen = 0, controls = 0;

	for (unsigned i = 0; i < THREAD_PACKETS; i++) {
		memcpy(packet, ip_packet, sizeof(packet));
		packet[4] = (uint8_t)(i >> 8); /* the IP id says which packet it was */
		packet[5] = (uint8_t)i;
		write_waiting(f->tun[1], packet, sizeof(packet));
		if (i % 100 == 0) {
			g_assert_cmpint(dp_send_l2tp_control(f->dp, zlb, sizeof(zlb)), ==, 0);
			controls++;
		}
		/* the test's end of the "gateway" is read as it goes, so nothing is dropped */
		while (ip_seen + control_seen < i + controls) {
			ssize_t n = read_waiting(f->udp[1], buf, sizeof(buf));
			size_t off, len;
			uint8_t next;

			g_assert_cmpint(n, >, 8);
			/* in order: a sequence number out of order would be refused as a replay
			 * by a gateway with a small window */
			g_assert_cmpuint((uint32_t)buf[4] << 24 | (uint32_t)buf[5] << 16 |
						 (uint32_t)buf[6] << 8 | buf[7],
					 ==, ip_seen + control_seen + 1);
			g_assert_cmpint(esp_sa_open(gw, buf, (size_t)n, &off, &len, &next), ==, 0);
			if (len == 8 + sizeof(zlb)) {
				g_assert_cmpmem(buf + off + 8, sizeof(zlb), zlb, sizeof(zlb));
				control_seen++;
				continue;
			}
			g_assert_cmpuint(len, ==, 8 + 6 + 4 + sizeof(ip_packet));
			g_assert_cmpuint(buf[off + 18 + 4], ==, (uint8_t)(ip_seen >> 8));
			g_assert_cmpuint(buf[off + 18 + 5], ==, (uint8_t)ip_seen);
			ip_seen++;
		}
	}
	while (ip_seen < THREAD_PACKETS) {
		ssize_t n = read_waiting(f->udp[1], buf, sizeof(buf));
		size_t off, len;
		uint8_t next;

		g_assert_cmpint(n, >, 0);
		g_assert_cmpint(esp_sa_open(gw, buf, (size_t)n, &off, &len, &next), ==, 0);
		ip_seen++;
	}
	g_assert_cmpuint(control_seen, ==, controls);
	g_assert_cmpuint(dp_stats(f->dp)->tun_in, ==, THREAD_PACKETS);
	/* the sending thread counts once sendmmsg() returns, a moment after we read */
	for (unsigned i = 0; i < WAIT_MS && dp_stats(f->dp)->esp_out < THREAD_PACKETS + controls; i++)
		g_usleep(1000);
	g_assert_cmpuint(dp_stats(f->dp)->esp_out, ==, THREAD_PACKETS + controls);
	esp_sa_free(gw);
}

static bool got_everything_in(Fixture *f)
{
	return f->l2tp_count == 1 && f->ike_up->len > 0 && f->ppp_up->len > 0 && f->alive > 0;
}

/* gateway -> TUN on the receiving thread; control messages and IKE come up on the main
 * thread, after the fact */
static void test_threads_in(Fixture *f, gconstpointer data)
{
	uint8_t l2tp[6 + 4 + sizeof(ip_packet)] = { 0x00, 0x02, 0x33, 0x33, 0x44, 0x44,
						    0xff, 0x03, 0x00, 0x21 };
	const uint8_t zlb[] = { 0xc8, 0x02, 0, 12, 0x33, 0x33, 0, 0, 0, 1, 0, 1 };
	const uint8_t lcp[] = { 0x00, 0x02, 0x33, 0x33, 0x44, 0x44, 0xff, 0x03, 0xc0, 0x21,
				9, 1, 0, 8, 1, 2, 3, 4 };
	const uint8_t ike[] = { 0, 0, 0, 0, 'I', 'K', 'E', '!' }; /* non-ESP marker, RFC 3948 */
	const uint8_t keepalive = 0xff;
	uint8_t buf[2048], got[2048];
	size_t n;

	memcpy(l2tp + 10, ip_packet, sizeof(ip_packet));
	for (unsigned i = 0; i < THREAD_PACKETS; i++) {
		l2tp[10 + 4] = (uint8_t)(i >> 8);
		l2tp[10 + 5] = (uint8_t)i;
		n = gateway_send(f->gw, buf, sizeof(buf), 1701, OUR_PORT, l2tp, sizeof(l2tp));
		write_waiting(f->udp[1], buf, n);
		g_assert_cmpint(read_waiting(f->tun[1], got, sizeof(got)), ==, sizeof(ip_packet));
		g_assert_cmpuint(got[4], ==, (uint8_t)(i >> 8));
		g_assert_cmpuint(got[5], ==, (uint8_t)i);
	}
	n = gateway_send(f->gw, buf, sizeof(buf), 1701, OUR_PORT, zlb, sizeof(zlb));
	write_waiting(f->udp[1], buf, n);
	n = gateway_send(f->gw, buf, sizeof(buf), 1701, OUR_PORT, lcp, sizeof(lcp));
	write_waiting(f->udp[1], buf, n);
	write_waiting(f->udp[1], &keepalive, 1);
	write_waiting(f->udp[1], ike, sizeof(ike));
	iterate_until(got_everything_in, f);
	g_assert_false(f->off_main);
	g_assert_cmpmem(f->l2tp_up->data, f->l2tp_up->len, zlb, sizeof(zlb));
	g_assert_cmpmem(f->ppp_up->data, f->ppp_up->len, lcp + 6, sizeof(lcp) - 6);
	g_assert_cmpmem(f->ike_up->data, f->ike_up->len, ike + 4, sizeof(ike) - 4);
	g_assert_cmpuint(f->drained, >, 0);
	/* "alive" is handed up at most 5 times a second, not per packet */
	g_assert_cmpuint(f->alive, <, 100);
	g_assert_cmpuint(dp_stats(f->dp)->tun_out, ==, THREAD_PACKETS);
	g_assert_cmpuint(dp_stats(f->dp)->esp_in, ==, THREAD_PACKETS + 2);
}

static bool all_received(Fixture *f)
{
	const struct dp_stats *st = dp_stats(f->dp);

	return st->esp_in + st->drops[DP_DROP_ESP] == THREAD_PACKETS;
}

static bool queue_drained(Fixture *f)
{
	return f->l2tp_count > 0;
}

/* A flood of control messages while the main thread is busy: a bounded queue, the rest
 * dropped and counted; a forged packet among them changes nothing. dp_free() then stops the
 * threads with messages still queued (ASan's leak check sees them freed). */
static void test_threads_flood(Fixture *f, gconstpointer data)
{
	const uint8_t zlb[] = { 0xc8, 0x02, 0, 12, 0x33, 0x33, 0, 0, 0, 1, 0, 1 };
	uint8_t buf[2048];
	size_t n;
	uint64_t busy;

	for (unsigned i = 0; i < THREAD_PACKETS; i++) {
		n = gateway_send(f->gw, buf, sizeof(buf), 1701, OUR_PORT, zlb, sizeof(zlb));
		if (i == THREAD_PACKETS / 2)
			buf[n - 1] ^= 1; /* one ICV bit */
		write_waiting(f->udp[1], buf, n);
	}
	/* the receiving thread gets through them without the main thread */
	while (!all_received(f))
		g_usleep(1000);
	busy = dp_stats(f->dp)->drops[DP_DROP_BUSY];
	g_assert_cmpuint(dp_stats(f->dp)->drops[DP_DROP_ESP], ==, 1);
	/* 256 waiting (control messages, and a note that the gateway is alive) */
	g_assert_cmpuint(busy, >=, THREAD_PACKETS - 1 - 256);
	g_assert_cmpuint(busy, <=, THREAD_PACKETS - 1 - 250);
	iterate_until(queue_drained, f);
	g_assert_cmpuint(f->l2tp_count, <=, 256);
	g_assert_cmpuint(f->l2tp_count + busy, >=, THREAD_PACKETS - 1);
	/* and again, left in the queue for dp_free */
	for (unsigned i = 0; i < 10; i++) {
		n = gateway_send(f->gw, buf, sizeof(buf), 1701, OUR_PORT, zlb, sizeof(zlb));
		write_waiting(f->udp[1], buf, n);
	}
	while (dp_stats(f->dp)->esp_in < THREAD_PACKETS - 1 + 10)
		g_usleep(1000);
}

/* Our rekey on the threads: the old outbound SA until the gateway sends on the new pair,
 * seen by the receiving thread, which hands the sending one the new SA. */
static void test_threads_rekey(Fixture *f, gconstpointer data)
{
	const uint8_t zlb[] = { 0xc8, 0x02, 0, 12, 0x33, 0x33, 0, 0, 0, 1, 0, 1 };
	struct ike_child next;
	struct esp_sa *next_gw;
	uint8_t buf[2048];
	size_t n;

	make_child(&next, 0xaaaa0002, 0xbbbb0002, 5);
	next_gw = gateway_sa(&next, true);
	g_assert_cmpint(dp_install_sa(f->dp, &next, true), ==, 0);
	write_waiting(f->tun[1], ip_packet, sizeof(ip_packet));
	g_assert_cmpint(read_waiting(f->udp[1], buf, sizeof(buf)), >, 0);
	g_assert_cmpuint(esp_peek_spi(buf, sizeof(buf)), ==, 0xbbbb0001);
	n = gateway_send(next_gw, buf, sizeof(buf), 1701, OUR_PORT, zlb, sizeof(zlb));
	write_waiting(f->udp[1], buf, n);
	while (dp_stats(f->dp)->esp_in < 1)
		g_usleep(1000);
	write_waiting(f->tun[1], ip_packet, sizeof(ip_packet));
	g_assert_cmpint(read_waiting(f->udp[1], buf, sizeof(buf)), >, 0);
	g_assert_cmpuint(esp_peek_spi(buf, sizeof(buf)), ==, 0xbbbb0002);
	esp_sa_free(next_gw);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	main_thread = g_thread_self();
	g_test_add("/dataplane/out", Fixture, NULL, setup, test_out, teardown);
	g_test_add("/dataplane/in-ip", Fixture, NULL, setup, test_in_ip, teardown);
	g_test_add("/dataplane/in-control", Fixture, NULL, setup, test_in_control, teardown);
	g_test_add("/dataplane/in-dropped", Fixture, NULL, setup, test_in_dropped, teardown);
	g_test_add("/dataplane/dhcp", Fixture, NULL, setup, test_dhcp, teardown);
	g_test_add("/dataplane/rekey-deferred", Fixture, NULL, setup, test_rekey_deferred,
		   teardown);
	g_test_add("/dataplane/threads/out", Fixture, NULL, setup_threads, test_threads_out,
		   teardown);
	g_test_add("/dataplane/threads/in", Fixture, NULL, setup_threads, test_threads_in,
		   teardown);
	g_test_add("/dataplane/threads/flood", Fixture, NULL, setup_threads, test_threads_flood,
		   teardown);
	g_test_add("/dataplane/threads/rekey", Fixture, NULL, setup_threads, test_threads_rekey,
		   teardown);
	return g_test_run();
}

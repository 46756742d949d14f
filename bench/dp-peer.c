/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench/dp-peer: one end of a roadie data plane with no control plane, for the performance
 * issue's benchmark (b) (bench/tun-bench runs two of them, in two network namespaces).
 *
 * It does what roadied does once a connection is up, with the daemon's own code
 * (daemon/dataplane, daemon/net, the ESP, L2TP and PPP libraries; nothing copied):
 *
 *   net_tun_open + net_tun_configure   the TUN device, its address, peer and MTU
 *   net_udp_open                       UDP 500 and 4500, connected to the other end
 *   dp_new, dp_set_ports, dp_set_l2tp, dp_install_sa, dp_set_tun, dp_set_mtu
 *   dp_run_threads, as conn_tunnel_start does: a thread per direction, batches of packets
 *   per system call; the main thread runs a GLib main loop for what the threads hand up
 *
 * With --single-thread it runs the data plane on the main loop instead, as roadied did
 * before it had threads: g_unix_fd_add on the TUN device (dp_on_tun_readable) and on the
 * 4500 socket (net_udp_recv until EAGAIN, RFC 3948 §2 classification, dp_input_esp).
 *
 * What IKE, L2TP and PPP would have negotiated is fixed instead: the SA pair comes from a
 * seed, mirrored between the ends (side a's outbound SPI and key are side b's inbound ones,
 * and the other way round); the L2TP tunnel and session ids are mirrored the same way; both
 * L2TP ports are 1701. So a figure from two dp-peers is what two roadieds would move, minus
 * nothing but the timers and D-Bus of the control plane, which are idle during a transfer.
 *
 * The keys are test keys derived from a public seed: this program is for benchmarks only.
 *
 * SIGUSR1 prints the data plane's counters on stdout; SIGTERM or SIGINT print them and end.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <glib-unix.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "proposal.h"
#include "crypto/crypto-prf.h"
#include "dataplane/dataplane.h"
#include "ike/ike-message.h"
#include "ike/ike-sa.h"
#include "net/net-tun.h"
#include "net/net-udp.h"

#define PEER_L2TP_PORT 1701
#define PEER_SPI_A_TO_B 0x0a0b0001u
#define PEER_SPI_B_TO_A 0x0b0a0001u
/* L2TP ids as an LAC (a) and an LNS (b) would have assigned them (RFC 2661 §3.1): each side
 * sends with the other's and accepts its own */
#define PEER_TUNNEL_A 0x1a01
#define PEER_SESSION_A 0x2a01
#define PEER_TUNNEL_B 0x1b01
#define PEER_SESSION_B 0x2b01
#define PEER_DEFAULT_MTU 1400
#define PEER_IPV4_HEADER 20

struct peer {
	struct dp *dp;
	struct net_udp udp;
	struct net_tun tun;
	GMainLoop *loop;
	uint64_t ike_in, keepalive_in, udp_errors, control_in;
	bool soft_expired_logged;
	/* conn.c's receive buffer: one datagram from 4500, decrypted in place */
	uint8_t rx[IKE_MESSAGE_MAX + 64];
};

static const char *const peer_drop_names[DP_DROP_COUNT] = {
	[DP_DROP_NO_SA] = "no_sa",           [DP_DROP_ESP] = "esp",   [DP_DROP_NOT_UDP] = "not_udp",
	[DP_DROP_WRONG_PORT] = "wrong_port", [DP_DROP_L2TP] = "l2tp", [DP_DROP_NO_TUN] = "no_tun",
	[DP_DROP_TUN_WRITE] = "tun_write",   [DP_DROP_SEND] = "send", [DP_DROP_SEAL] = "seal",
	[DP_DROP_BUSY] = "busy",
};

static void peer_print_stats(struct peer *p)
{
	const struct dp_stats *st = dp_stats(p->dp);

	printf("dp-peer stats: tun_in=%" PRIu64 " tun_out=%" PRIu64 " tun_in_bytes=%" PRIu64
	       " tun_out_bytes=%" PRIu64 " esp_in=%" PRIu64 " esp_out=%" PRIu64 " ike_in=%" PRIu64
	       " keepalive_in=%" PRIu64 " control_in=%" PRIu64 " udp_errors=%" PRIu64,
	       st->tun_in, st->tun_out, st->tun_in_bytes, st->tun_out_bytes, st->esp_in,
	       st->esp_out, p->ike_in, p->keepalive_in, p->control_in, p->udp_errors);
	for (unsigned i = 0; i < DP_DROP_COUNT; i++)
		printf(" drop_%s=%" PRIu64, peer_drop_names[i], st->drops[i]);
	printf("\n");
	fflush(stdout);
}

/* ---- the data plane's upcalls: no control plane here, so only counted ---- */

static void peer_l2tp_control(void *user, const uint8_t *msg, size_t len)
{
	((struct peer *)user)->control_in++;
}

static void peer_ppp_control(void *user, const uint8_t *frame, size_t len)
{
	((struct peer *)user)->control_in++;
}

static void peer_ike(void *user, const uint8_t *msg, size_t len)
{
	((struct peer *)user)->ike_in++; /* nobody speaks IKE here */
}

static void peer_check_soft_expiry(struct peer *p);

static void peer_drained(void *user)
{
	peer_check_soft_expiry(user);
}

static const struct dp_ops peer_dp_ops = {
	.l2tp_control = peer_l2tp_control,
	.ppp_control = peer_ppp_control,
	.ike = peer_ike,
	.drained = peer_drained,
};

/* ---- the event loop: conn-tunnel.c's and conn.c's handlers, without the control plane ---- */

static void peer_check_soft_expiry(struct peer *p)
{
	/* roadied would rekey here; a benchmark never runs long enough to get there */
	if (dp_soft_expired(p->dp) && !p->soft_expired_logged) {
		fprintf(stderr, "dp-peer: the SA nears its limits (roadied would rekey now)\n");
		p->soft_expired_logged = true;
	}
}

static gboolean peer_on_tun_readable(int fd, GIOCondition condition, gpointer data)
{
	struct peer *p = data;

	dp_on_tun_readable(p->dp);
	peer_check_soft_expiry(p);
	return G_SOURCE_CONTINUE;
}

static gboolean peer_on_udp_readable(int fd, GIOCondition condition, gpointer data)
{
	struct peer *p = data;

	for (;;) {
		bool is_ike = false;
		ssize_t n = net_udp_recv(&p->udp, fd, p->rx, sizeof(p->rx), &is_ike);

		if (n == -EAGAIN || n == -EWOULDBLOCK)
			break;
		if (n < 0) {
			/* ICMP port unreachable while the other end starts or stops */
			p->udp_errors++;
			break;
		}
		if (n == 0) {
			p->keepalive_in++;
			continue;
		}
		if (is_ike) {
			p->ike_in++; /* nobody speaks IKE here */
			continue;
		}
		dp_input_esp(p->dp, p->rx, (size_t)n);
		peer_check_soft_expiry(p);
	}
	return G_SOURCE_CONTINUE;
}

static gboolean peer_on_usr1(gpointer data)
{
	peer_print_stats(data);
	return G_SOURCE_CONTINUE;
}

static gboolean peer_on_term(gpointer data)
{
	g_main_loop_quit(((struct peer *)data)->loop);
	return G_SOURCE_CONTINUE;
}

/* ---- the SA pair, as Quick Mode would have handed it over (struct ike_child) ---- */

/* One direction's key: SHA-512 over a label, the direction and the seed, in counter mode.
 * Deterministic, so the two processes agree without talking; not a KDF for real keys. */
static bool peer_derive_key(const char *seed, const char *direction, uint8_t *out, size_t len)
{
	uint8_t block[64];
	bool ok = true;

	for (uint32_t ctr = 0; len > 0 && ok; ctr++) {
		g_autofree char *input =
			g_strdup_printf("roadie dp-peer %s %" PRIu32 " %s", direction, ctr, seed);
		size_t n = MIN(len, sizeof(block));

		ok = EVP_Digest(input, strlen(input), block, NULL, EVP_sha512(), NULL) == 1;
		if (ok)
			memcpy(out, block, n);
		out += n;
		len -= n;
	}
	OPENSSL_cleanse(block, sizeof(block));
	return ok;
}

static bool peer_child(const RoadieSuite *suite, bool side_a, const char *seed,
		       struct ike_child *ret)
{
	struct ike_child c = {
		.suite = *suite,
		.udp_encap = true,
		.spi_in = side_a ? PEER_SPI_B_TO_A : PEER_SPI_A_TO_B,
		.spi_out = side_a ? PEER_SPI_A_TO_B : PEER_SPI_B_TO_A,
		.enc_key_len = roadie_suite_enc_key_len(suite),
		.integ_key_len = crypto_prf_len(suite->integ),
		.local_port = PEER_L2TP_PORT,
	};
	size_t len = c.enc_key_len + c.integ_key_len;
	bool ok = len > 0 && len <= IKE_CHILD_MAX_KEY &&
		  peer_derive_key(seed, side_a ? "a>b" : "b>a", c.key_out, len) &&
		  peer_derive_key(seed, side_a ? "b>a" : "a>b", c.key_in, len);

	c.suite.dh = ROADIE_DH_NONE;
	if (ok)
		*ret = c;
	OPENSSL_cleanse(&c, sizeof(c));
	return ok;
}

static bool peer_parse_ipv4(const char *what, const char *text, struct in_addr *ret)
{
	if (!text || inet_pton(AF_INET, text, ret) != 1) {
		fprintf(stderr, "dp-peer: %s: an IPv4 address is needed\n", what);
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	g_autofree char *side = NULL, *tun_name = NULL, *remote = NULL, *address = NULL,
			*peer_address = NULL, *suite_text = NULL, *seed = NULL, *message = NULL;
	gint mtu = PEER_DEFAULT_MTU;
	gboolean single_thread = FALSE;
	GOptionEntry entries[] = {
		{"side", 0, 0, G_OPTION_ARG_STRING, &side, "a or b (which half of the keys)",
		 "SIDE"},
		{"tun", 0, 0, G_OPTION_ARG_STRING, &tun_name, "TUN device to create", "NAME"},
		{"remote", 0, 0, G_OPTION_ARG_STRING, &remote, "the other end's outer address",
		 "IPV4"},
		{"address", 0, 0, G_OPTION_ARG_STRING, &address, "the TUN device's address",
		 "IPV4"},
		{"peer-address", 0, 0, G_OPTION_ARG_STRING, &peer_address,
		 "the TUN device's point-to-point peer", "IPV4"},
		{"mtu", 0, 0, G_OPTION_ARG_INT, &mtu, "the TUN device's MTU (default 1400)", "N"},
		{"suite", 0, 0, G_OPTION_ARG_STRING, &suite_text,
		 "ESP suite in the profile syntax (default aes128gcm16)", "SUITE"},
		{"seed", 0, 0, G_OPTION_ARG_STRING, &seed,
		 "text the test keys are derived from (default roadie-bench)", "TEXT"},
		{"single-thread", 0, 0, G_OPTION_ARG_NONE, &single_thread,
		 "the data plane on the main loop, without its threads", NULL},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("- one end of a roadie data plane");
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) suites = NULL;
	struct in_addr gw, local_in, peer_in;
	struct sockaddr_in gateway = {.sin_family = AF_INET};
	struct ike_child child;
	struct peer *p;
	size_t max_mtu;
	bool side_a;
	int err;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		fprintf(stderr, "dp-peer: %s\n", error->message);
		return 2;
	}
	if (!side || (strcmp(side, "a") != 0 && strcmp(side, "b") != 0) || !tun_name) {
		fprintf(stderr, "dp-peer: --side a|b and --tun NAME are needed\n");
		return 2;
	}
	side_a = strcmp(side, "a") == 0;
	if (!peer_parse_ipv4("--remote", remote, &gw) ||
	    !peer_parse_ipv4("--address", address, &local_in) ||
	    !peer_parse_ipv4("--peer-address", peer_address, &peer_in))
		return 2;
	if (roadie_proposal_parse(ROADIE_PROPOSAL_ESP, suite_text ? suite_text : "aes128gcm16",
				  &suites, NULL, &message) != ROADIE_PROPOSAL_OK ||
	    suites->len != 1) {
		fprintf(stderr, "dp-peer: --suite: %s\n",
			message ? message : "one suite is needed");
		return 2;
	}
	if (!peer_child(&g_array_index(suites, RoadieSuite, 0), side_a,
			seed ? seed : "roadie-bench", &child)) {
		fprintf(stderr, "dp-peer: cannot derive the keys\n");
		return 1;
	}

	p = g_new0(struct peer, 1);
	p->udp.fd_ike = p->udp.fd_natt = -1;
	gateway.sin_addr = gw;
	err = net_udp_open(&p->udp, (struct sockaddr *)&gateway, sizeof(gateway));
	if (err || !p->udp.natt_port_own) {
		/* the other end sends to 4500: an ephemeral port would not hear it */
		fprintf(stderr, "dp-peer: cannot bind UDP 4500: %s\n",
			err ? g_strerror(-err) : "taken");
		return 1;
	}
	p->dp = dp_new(p->udp.fd_natt, -1, &peer_dp_ops, p);
	dp_set_ports(p->dp, PEER_L2TP_PORT, PEER_L2TP_PORT);
	if (side_a)
		dp_set_l2tp(p->dp, PEER_TUNNEL_B, PEER_SESSION_B, PEER_TUNNEL_A, PEER_SESSION_A);
	else
		dp_set_l2tp(p->dp, PEER_TUNNEL_A, PEER_SESSION_A, PEER_TUNNEL_B, PEER_SESSION_B);
	err = dp_install_sa(p->dp, &child, false);
	OPENSSL_cleanse(&child, sizeof(child));
	if (err) {
		fprintf(stderr, "dp-peer: dp_install_sa: %s\n", g_strerror(-err));
		return 1;
	}
	/* conn_on_ppp_up's MTU: what is left of 1500 after every header, or less if asked */
	max_mtu = 1500 - PEER_IPV4_HEADER - dp_overhead(p->dp);
	if (mtu < 576 || (size_t)mtu > max_mtu) {
		fprintf(stderr, "dp-peer: --mtu must be 576 to %zu for this suite\n", max_mtu);
		return 2;
	}
	err = net_tun_open(&p->tun, tun_name);
	if (!err)
		err = net_tun_configure(&p->tun, local_in.s_addr, peer_in.s_addr, (unsigned)mtu);
	if (err) {
		fprintf(stderr, "dp-peer: TUN device %s: %s\n", tun_name, g_strerror(-err));
		return 1;
	}
	dp_set_tun(p->dp, p->tun.fd);
	dp_set_mtu(p->dp, (unsigned)mtu);

	p->loop = g_main_loop_new(NULL, FALSE);
	if (single_thread) {
		g_unix_fd_add(p->tun.fd, G_IO_IN, peer_on_tun_readable, p);
		g_unix_fd_add(p->udp.fd_natt, G_IO_IN, peer_on_udp_readable, p);
	} else {
		err = dp_run_threads(p->dp);
		if (err) {
			fprintf(stderr, "dp-peer: dp_run_threads: %s\n", g_strerror(-err));
			return 1;
		}
	}
	g_unix_signal_add(SIGUSR1, peer_on_usr1, p);
	g_unix_signal_add(SIGTERM, peer_on_term, p);
	g_unix_signal_add(SIGINT, peer_on_term, p);
	printf("dp-peer ready: side %s, %s, %s, MTU %d (at most %zu), overhead %zu bytes, %s\n",
	       side, p->tun.name, suite_text ? suite_text : "aes128gcm16", mtu, max_mtu,
	       dp_overhead(p->dp), single_thread ? "one thread" : "a thread per direction");
	fflush(stdout);
	g_main_loop_run(p->loop);

	peer_print_stats(p);
	g_main_loop_unref(p->loop);
	p->dp = dp_free(p->dp);
	net_tun_close(&p->tun);
	net_udp_close(&p->udp);
	g_free(p);
	return 0;
}

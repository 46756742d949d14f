/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The data plane of one connection: IP packets between the TUN device and the gateway.
 *
 *   TUN --IP--> PPP (FF 03 00 21, or 00 57 for IPv6) --> L2TP data header --> UDP (our port ->
 *       the LNS's 1701)
 *       --> ESP transport mode (RFC 4303) --> UDP 4500 (RFC 3948) or raw IP protocol 50
 *
 * and back. Each packet is read once into a buffer with headroom for every header and
 * encrypted in place: no allocation and no copy per layer. L2TP control messages and PPP
 * control frames that arrive are handed up to the control plane; the control plane's
 * messages go down through the same encapsulation.
 *
 * The interface is narrow (install and remove SAs, set the L2TP ids, attach the TUN device
 * once PPP is up, hand control packets up). It owns no file descriptor: the UDP 4500 socket
 * is shared with IKE, the raw ESP socket and the TUN device are the caller's; the data plane
 * reads and writes them.
 *
 * It runs in one of two ways:
 *   - on the caller's thread: the caller reads the 4500 socket, classifies what arrives
 *     (RFC 3948 §2) and hands ESP to dp_input_esp(), and calls dp_on_tun_readable() when
 *     the TUN device is readable (the unit tests, and bench/dp-peer --single-thread); the ops
 *     are called at once;
 *   - on two threads of its own (dp_run_threads()), one per direction, each moving batches
 *     of packets per system call (recvmmsg, sendmmsg): the receiving thread reads the 4500
 *     socket (and the raw one) and hands IKE up too; the ops are called on the main
 *     context's thread, after the fact, with a copy; every other function here stays the
 *     main thread's and may be called while the threads run.
 *
 * The inner UDP checksum: behind NAT it covers addresses the NAT rewrote (RFC 3948 §3.1.2).
 * roadie sends zero (allowed over IPv4, and ESP's ICV covers the payload anyway) and ignores
 * the received one for the same reason.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike/ike-sa.h"

struct dp_ops {
	/* An L2TP control message (from its L2TP header on) arrived for our tunnel. */
	void (*l2tp_control)(void *user, const uint8_t *msg, size_t len);
	/* A PPP frame of a control protocol (LCP, authentication, IPCP, ...) arrived. */
	void (*ppp_control)(void *user, const uint8_t *frame, size_t len);
	/* An authentic ESP packet arrived: the gateway is alive (dead peer detection can wait). */
	void (*alive)(void *user);
	/* Optional: an IPv4 UDP datagram to port 68 (DHCP's client port) arrived through the
	 * tunnel while dp_watch_dhcp() is on: its UDP payload, not passed to the TUN device. */
	void (*dhcp)(void *user, const uint8_t *payload, size_t len);
	/* With threads: an IKE message (without the non-ESP marker) arrived on UDP 4500. */
	void (*ike)(void *user, const uint8_t *msg, size_t len);
	/* With threads: called after the ops of one wake-up of the main thread (and when an SA
	 * nears its limit: see dp_soft_expired()). */
	void (*drained)(void *user);
};

enum dp_drop {
	DP_DROP_NO_SA,        /* no inbound SA has this SPI (yet, or any more) */
	DP_DROP_ESP,          /* the SA dropped it (its own counters say why) */
	DP_DROP_NOT_UDP,      /* authentic, but not the UDP that L2TP rides on */
	DP_DROP_WRONG_PORT,   /* not to our L2TP port */
	DP_DROP_L2TP,         /* a broken L2TP data header, or not our tunnel and session */
	DP_DROP_NO_TUN,       /* an IP packet before the TUN device is attached */
	DP_DROP_TUN_WRITE,    /* the TUN device refused it (full, or down) */
	DP_DROP_SEND,         /* the socket refused the ESP packet */
	DP_DROP_SEAL,         /* no outbound SA yet, or the SA refused (exhausted, too big) */
	DP_DROP_BUSY,         /* a control message while the main thread had 256 waiting */
	DP_DROP_COUNT,
};

struct dp_stats {
	uint64_t tun_in, tun_out;       /* IP packets from and to the TUN device */
	uint64_t tun_in_bytes, tun_out_bytes;
	uint64_t esp_in, esp_out;       /* ESP packets received (authentic) and sent */
	uint64_t drops[DP_DROP_COUNT];
};

struct dp;

/* @fd_udp: the connected UDP socket to the gateway's 4500 (ESP in UDP); @fd_raw: a raw
 * IPPROTO_ESP socket connected to the gateway, or -1 (used when the SA is not in UDP). */
struct dp *dp_new(int fd_udp, int fd_raw, const struct dp_ops *ops, void *user);
/* Also stops the threads, and drops what they handed up that the ops did not see yet. */
struct dp *dp_free(struct dp *dp);
/* The data plane on two threads of its own from now on (see the top). The caller stops
 * reading the 4500 socket (and the raw one, and the TUN device) itself. The main context is
 * the thread-default one of the caller. 0, or -errno if the threads cannot start. */
int dp_run_threads(struct dp *dp);

/* A new ESP SA pair. The inbound SA joins the current one (a rekey keeps two until the old
 * one is removed). The outbound SA takes over now, or with @defer_outbound (our own rekey:
 * the gateway installs its inbound SA only once our last Quick Mode message arrives) when
 * the first packet arrives on the new inbound SA, or at dp_commit_outbound(), whichever
 * comes first. -EINVAL if the keys do not fit the suite. */
int dp_install_sa(struct dp *dp, const struct ike_child *child, bool defer_outbound);
void dp_commit_outbound(struct dp *dp);
/* True once the outbound SA or the newest inbound one nears its sequence number or kilobyte
 * limit and no new pair is on its way: rekey now. */
bool dp_soft_expired(struct dp *dp);
void dp_remove_inbound(struct dp *dp, uint32_t spi_in);
/* Our L2TP port (the inner UDP source) and the LNS's (1701, or where it answers from). */
void dp_set_ports(struct dp *dp, uint16_t local_port, uint16_t remote_port);
/* The session's ids: the peer's (what we send) and ours (what we accept). */
void dp_set_l2tp(struct dp *dp, uint16_t peer_tunnel, uint16_t peer_session,
		 uint16_t our_tunnel, uint16_t our_session);
/* The TUN device (PPP's IPCP is up), or -1. */
void dp_set_tun(struct dp *dp, int fd);
/* A whole IP packet of roadied's own (a DHCPINFORM) into the tunnel, as if from the TUN. */
int dp_send_ip(struct dp *dp, const uint8_t *packet, size_t len);
/* DHCP answers go to ops->dhcp while @on. */
void dp_watch_dhcp(struct dp *dp, bool on);
/* The TUN device's MTU: TCP SYNs both ways get an MSS that fits it (mss-clamp.h). */
void dp_set_mtu(struct dp *dp, unsigned mtu);

/* The control plane's messages, down through the tunnel. -errno when they cannot go. */
int dp_send_l2tp_control(struct dp *dp, const uint8_t *msg, size_t len);
int dp_send_ppp(struct dp *dp, uint16_t protocol, const uint8_t *body, size_t len);

/* An ESP packet (from its SPI on), decrypted in place. */
void dp_input_esp(struct dp *dp, uint8_t *packet, size_t len);
/* The TUN device is readable: reads, encapsulates and sends what is there. */
void dp_on_tun_readable(struct dp *dp);

/* The counters as they are now (the threads go on counting). */
const struct dp_stats *dp_stats(struct dp *dp);
/* The bytes every IP packet from the TUN gains on the way out (for the TUN's MTU): ESP of
 * the current outbound SA at its worst padding, UDP, L2TP, PPP, plus UDP 4500 when in UDP. */
size_t dp_overhead(struct dp *dp);

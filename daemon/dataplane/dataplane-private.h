/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What dataplane.c (the packet path) and dp-threads.c (running it on threads of its own)
 * share. Nothing else includes this.
 *
 * Who touches what once the threads run (dp_run_threads):
 *   lock_out  the outbound SAs, the peer's L2TP ids, the ports and the control buffer: the
 *             sending thread per batch (seal and send), the main thread's control messages
 *             and setters;
 *   lock_in   the inbound SAs, our L2TP ids, the TUN device and the DHCP watch: the receiving
 *             thread per batch (open, and write to the TUN device), the main thread's setters.
 * When both are needed, lock_in comes first. The counters are updated with relaxed atomic
 * adds and read with relaxed loads, so the main thread reads them without a lock.
 * Without threads (the unit tests, or a caller that reads the sockets itself) the locks are
 * not taken and the callbacks run at once, as before.
 */
#pragma once

#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <glib.h>

#include "core/pkt.h"
#include "dataplane.h"

/* in front of an IP packet: ESP header and IV, inner UDP, L2TP (with Length, Ns, Nr and an
 * offset if the LNS ever made us), PPP; behind it: ESP's padding and ICV */
#define DP_HEADROOM 64
#define DP_TAILROOM 64
#define DP_MAX_PACKET 2048
#define DP_SLOT (DP_HEADROOM + DP_MAX_PACKET + DP_TAILROOM)
#define DP_BURST 64 /* packets read per readable event, so that one side cannot starve the other */
#define DP_BATCH 32 /* packets per system call on the threads (recvmmsg, sendmmsg) */
#define DP_INBOUND 2 /* the current inbound SA and, during a rekey, the one before */
#define DP_IV_POOL 4096 /* CBC IVs drawn from RAND_bytes at once: 256 packets of AES */

/* what the receiving thread hands to the main thread */
enum dp_up_kind {
	DP_UP_L2TP,   /* ops->l2tp_control */
	DP_UP_PPP,    /* ops->ppp_control */
	DP_UP_DHCP,   /* ops->dhcp */
	DP_UP_IKE,    /* ops->ike */
	DP_UP_ALIVE,  /* ops->alive */
	DP_UP_CHECK,  /* nothing but ops->drained: an SA nears its limit */
};

struct dp_up {
	enum dp_up_kind kind;
	size_t len;
	uint8_t data[];
};

/* one batch of packets for a thread: each slot has the headroom and tailroom of dp->buf */
struct dp_batch {
	struct mmsghdr msg[DP_BATCH];
	struct iovec iov[DP_BATCH];
	uint8_t slot[DP_BATCH][DP_SLOT];
};

struct dp {
	int fd_udp, fd_raw, fd_tun;
	struct esp_sa *out;
	struct esp_sa *out_next; /* our rekey's, until the gateway shows it has the pair */
	atomic_bool out_pending; /* out_next is set: the receiving thread looks without lock_out */
	bool out_udp;
	struct esp_sa *in[DP_INBOUND];
	uint16_t local_port, remote_port;
	uint16_t mss_v4, mss_v6;     /* TCP SYNs in either direction are clamped to these */
	bool watch_dhcp;
	uint16_t peer_tunnel, peer_session, our_tunnel, our_session;
	const struct dp_ops *ops;
	void *user;
	struct dp_stats stats;    /* atomics: dp_count() */
	struct dp_stats snapshot; /* what dp_stats() last returned */

	/* ---- threads (dp-threads.c); all zero until dp_run_threads ---- */
	bool threaded;
	pthread_mutex_t lock_out, lock_in;
	int stop_fd;        /* eventfd: the threads end */
	int wake_fd;        /* eventfd: the main thread has something in @ups */
	unsigned wake_watch;
	pthread_mutex_t lock_up;
	GQueue ups;         /* struct dp_up, to the main thread */
	unsigned ups_len;
	pthread_t rx_thread, tx_thread;
	bool rx_running, tx_running;
	atomic_bool expiry_noted; /* a thread saw an SA near its limit and told the main thread */
	uint64_t alive_posted_ns; /* the receiving thread's last DP_UP_ALIVE */
	struct dp_batch *rx, *tx;

	/* two buffers: a received control message is still being parsed while the answer it
	 * causes is built */
	uint8_t buf[DP_SLOT];                    /* from the TUN */
	uint8_t ctl[DP_SLOT];                    /* control messages out */
	/* lock_out: random bytes for CBC IVs, drawn DP_IV_POOL at a time (one RAND_bytes call
	 * costs more than the encryption of a small packet); the used ones go out in clear */
	uint8_t iv_pool[DP_IV_POOL];
	size_t iv_pool_left;
};

static inline void dp_count(uint64_t *counter, uint64_t n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

static inline void dp_lock(struct dp *dp, pthread_mutex_t *lock)
{
	if (dp->threaded)
		pthread_mutex_lock(lock);
}

static inline void dp_unlock(struct dp *dp, pthread_mutex_t *lock)
{
	if (dp->threaded)
		pthread_mutex_unlock(lock);
}

/* dataplane.c, for the threads: lock_out held */
int dp_encap(struct dp *dp, struct pkt_writer *w);
int dp_seal(struct dp *dp, struct pkt_writer *w);
/* lock_in held: one ESP packet (from its SPI on), decrypted in place */
void dp_receive_esp(struct dp *dp, uint8_t *packet, size_t len);
/* lock_in held: a raw IPv4 datagram (IP header first) of the raw ESP socket */
void dp_receive_raw(struct dp *dp, uint8_t *datagram, size_t len);
/* lock_in and lock_out held, or no threads */
bool dp_soft_expired_locked(const struct dp *dp);

/* dp-threads.c: hands @data up to the main thread (copied), or calls the op at once without
 * threads. False when the queue is full (counted as DP_DROP_BUSY). */
bool dp_up(struct dp *dp, enum dp_up_kind kind, const uint8_t *data, size_t len);
void dp_threads_stop(struct dp *dp);

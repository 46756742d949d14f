/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The data plane on two threads of its own, one per direction (dataplane.h, "It runs in one
 * of two ways"):
 *
 *   sending    reads the TUN device until it has DP_BATCH packets or none is left, seals
 *              them in their slots (lock_out once per batch) and sends them in one
 *              sendmmsg(); it sleeps in poll() only when the TUN device is empty;
 *   receiving  recvmmsg() of up to DP_BATCH datagrams from UDP 4500 (and recv() from the raw
 *              ESP socket without NAT), opened in place and written to the TUN device
 *              (lock_in once per batch); it sleeps in poll() only when both are empty.
 *
 * What the main thread must see (IKE on 4500, L2TP and PPP control, DHCP answers, "the
 * gateway is alive", an SA near its limit) is copied into a queue and an eventfd wakes the
 * main context, which calls the ops there: the protocol state machines stay on one thread.
 * The queue is bounded: a flood of control messages is dropped and counted, it cannot make
 * the daemon grow.
 */
#define G_LOG_DOMAIN "roadied"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>
#include <glib.h>
#include <glib-unix.h>

#include "core/pkt.h"
#include "dataplane.h"
#include "dataplane/dataplane-private.h"
#include "esp/esp-sa.h"

#define DP_UPS_MAX 256                 /* control messages waiting for the main thread */
#define DP_ALIVE_EVERY_NS 200000000ull /* "alive" to the main thread at most 5 times a second */
#define DP_SOCKET_BUFFER (4 << 20)     /* the 4500 socket's buffers: a burst of 1 Gbit/s for 30 ms */
#define DP_THREAD_STACK (256 << 10)

static const uint8_t dp_non_esp_marker[4] = { 0, 0, 0, 0 };

/* ---- to the main thread ---- */

static void dp_up_free(gpointer data)
{
	g_free(data);
}

static void dp_call_op(struct dp *dp, enum dp_up_kind kind, const uint8_t *data, size_t len)
{
	const struct dp_ops *ops = dp->ops;

	switch (kind) {
	case DP_UP_L2TP:
		ops->l2tp_control(dp->user, data, len);
		break;
	case DP_UP_PPP:
		ops->ppp_control(dp->user, data, len);
		break;
	case DP_UP_DHCP:
		if (ops->dhcp)
			ops->dhcp(dp->user, data, len);
		break;
	case DP_UP_IKE:
		if (ops->ike)
			ops->ike(dp->user, data, len);
		break;
	case DP_UP_ALIVE:
		if (ops->alive)
			ops->alive(dp->user);
		break;
	case DP_UP_CHECK:
		break;
	}
}

static uint64_t dp_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void dp_wake_main(struct dp *dp)
{
	uint64_t one = 1;

	if (write(dp->wake_fd, &one, sizeof(one)) < 0) {
		/* EAGAIN: the counter is full, so the main thread is awake anyway */
	}
}

bool dp_up(struct dp *dp, enum dp_up_kind kind, const uint8_t *data, size_t len)
{
	struct dp_up *up;
	bool wake;

	if (!dp->threaded) {
		dp_call_op(dp, kind, data, len);
		return true;
	}
	if (kind == DP_UP_ALIVE) {
		/* the receiving thread's own field: nobody else reads it */
		uint64_t now = dp_now_ns();

		if (now - dp->alive_posted_ns < DP_ALIVE_EVERY_NS)
			return true;
		dp->alive_posted_ns = now;
	}
	pthread_mutex_lock(&dp->lock_up);
	if (dp->ups_len >= DP_UPS_MAX) {
		pthread_mutex_unlock(&dp->lock_up);
		dp_count(&dp->stats.drops[DP_DROP_BUSY], 1);
		return false;
	}
	up = g_malloc(sizeof(*up) + len);
	up->kind = kind;
	up->len = len;
	if (len)
		memcpy(up->data, data, len);
	wake = dp->ups_len == 0;
	g_queue_push_tail(&dp->ups, up);
	dp->ups_len++;
	pthread_mutex_unlock(&dp->lock_up);
	if (wake)
		dp_wake_main(dp);
	return true;
}

static gboolean dp_on_wake(int fd, GIOCondition condition, gpointer data)
{
	struct dp *dp = data;
	uint64_t count;
	GQueue ups = G_QUEUE_INIT;
	struct dp_up *up;

	if (read(fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
		g_debug("data plane: reading its eventfd: %s", g_strerror(errno));
	pthread_mutex_lock(&dp->lock_up);
	ups = dp->ups;
	g_queue_init(&dp->ups);
	dp->ups_len = 0;
	pthread_mutex_unlock(&dp->lock_up);
	while ((up = g_queue_pop_head(&ups))) {
		dp_call_op(dp, up->kind, up->data, up->len);
		g_free(up);
	}
	if (dp->ops->drained)
		dp->ops->drained(dp->user);
	return G_SOURCE_CONTINUE;
}

/* An SA near its limit: the main thread hears of it once (dp_install_sa clears the note). */
static void dp_note_expiry(struct dp *dp)
{
	if (!atomic_exchange(&dp->expiry_noted, true))
		dp_up(dp, DP_UP_CHECK, NULL, 0);
}

/* ---- waiting ---- */

/* Sleeps until @fd (and @fd2 if >= 0) has @events, or @timeout_ms passed (-1: no limit), or
 * the threads must end: false then. @fd -1 waits for the end or the time alone. */
static bool dp_wait(struct dp *dp, int fd, int fd2, short events, int timeout_ms)
{
	struct pollfd p[3] = {
		{ .fd = dp->stop_fd, .events = POLLIN },
		{ .fd = fd, .events = events },
		{ .fd = fd2, .events = events },
	};

	for (;;) {
		int n = poll(p, fd2 >= 0 ? 3 : 2, timeout_ms);

		if (n < 0 && errno == EINTR)
			continue;
		/* a closed descriptor would wake us for ever: a bug, and the end of the thread */
		if (n < 0 || p[0].revents || (fd >= 0 && (p[1].revents & POLLNVAL)) ||
		    (fd2 >= 0 && (p[2].revents & POLLNVAL)))
			return false;
		return true;
	}
}

/* ---- sending: TUN -> ESP ---- */

/* Up to DP_BATCH packets from the TUN device; *@ret_broken when it failed otherwise than by
 * being empty (the device went away: its poll() would wake us at once, for ever). */
static unsigned dp_tx_read(struct dp *dp, struct dp_batch *b, bool *ret_broken)
{
	unsigned n = 0;

	*ret_broken = false;
	while (n < DP_BATCH) {
		ssize_t got = read(dp->fd_tun, b->slot[n] + DP_HEADROOM, DP_MAX_PACKET);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			*ret_broken = true;
		if (got <= 0)
			break;
		b->iov[n].iov_len = (size_t)got;
		n++;
	}
	return n;
}

/* lock_out held: sends msg[from, to), waiting a moment for room in the socket buffer; a
 * datagram the socket refuses (an ICMP error on the connected socket, ...) is counted and
 * skipped. */
static void dp_tx_send(struct dp *dp, int fd, struct mmsghdr *msg, unsigned n)
{
	unsigned done = 0;

	while (done < n) {
		int sent = sendmmsg(fd, msg + done, n - done, MSG_DONTWAIT);

		if (sent > 0) {
			dp_count(&dp->stats.esp_out, (uint64_t)sent);
			done += (unsigned)sent;
			continue;
		}
		if (sent < 0 && errno == EINTR)
			continue;
		if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };

			if (poll(&p, 1, 10) > 0)
				continue;
		}
		dp_count(&dp->stats.drops[DP_DROP_SEND], 1);
		done++;
	}
}

static void *dp_tx_main(void *data)
{
	struct dp *dp = data;
	struct dp_batch *b = dp->tx;

	for (;;) {
		bool broken;
		unsigned n = dp_tx_read(dp, b, &broken), m = 0;
		int fd;

		if (n == 0) {
			/* a broken device: look again in a while (the control plane notices the
			 * link going away and ends the connection) */
			if (!dp_wait(dp, broken ? -1 : dp->fd_tun, -1, POLLIN, broken ? 200 : -1))
				break;
			continue;
		}
		pthread_mutex_lock(&dp->lock_out);
		for (unsigned i = 0; i < n; i++) {
			struct pkt_writer w;

			pkt_writer_init(&w, b->slot[i], DP_SLOT, DP_HEADROOM);
			w.len = b->iov[i].iov_len; /* read in place, behind the headroom */
			if (dp_encap(dp, &w))
				continue;
			b->iov[m].iov_base = pkt_writer_data(&w);
			b->iov[m].iov_len = pkt_writer_len(&w);
			m++;
		}
		fd = dp->out_udp ? dp->fd_udp : dp->fd_raw;
		if (m)
			dp_tx_send(dp, fd, b->msg, m);
		if (dp->out && !dp->out_next && esp_sa_soft_expired(dp->out))
			dp_note_expiry(dp);
		pthread_mutex_unlock(&dp->lock_out);
		/* the read side of the slots: dp_tx_read fills from the headroom on */
		for (unsigned i = 0; i < n; i++)
			b->iov[i].iov_base = b->slot[i] + DP_HEADROOM;
	}
	return NULL;
}

/* ---- receiving: ESP -> TUN, and what goes up ---- */

/* lock_in held: one datagram from UDP 4500, classified as RFC 3948 §2 says */
static void dp_rx_udp(struct dp *dp, uint8_t *data, size_t len)
{
	if (len == 1 && data[0] == 0xff)
		return; /* a NAT keepalive */
	if (len >= 4 && memcmp(data, dp_non_esp_marker, 4) == 0) {
		dp_up(dp, DP_UP_IKE, data + 4, len - 4);
		return;
	}
	dp_receive_esp(dp, data, len);
}

static unsigned dp_rx_batch(struct dp *dp, struct dp_batch *b)
{
	int n;

	for (unsigned i = 0; i < DP_BATCH; i++) {
		b->iov[i].iov_len = DP_MAX_PACKET;
		b->msg[i].msg_hdr.msg_flags = 0;
	}
	n = recvmmsg(dp->fd_udp, b->msg, DP_BATCH, MSG_DONTWAIT, NULL);
	if (n <= 0)
		return 0; /* EAGAIN; or an ICMP error on the connected socket, now consumed */
	pthread_mutex_lock(&dp->lock_in);
	for (int i = 0; i < n; i++) {
		/* a datagram larger than any ESP packet of ours is not ours to parse */
		if (b->msg[i].msg_hdr.msg_flags & MSG_TRUNC) {
			dp_count(&dp->stats.drops[DP_DROP_ESP], 1);
			continue;
		}
		dp_rx_udp(dp, b->iov[i].iov_base, b->msg[i].msg_len);
	}
	if (dp->in[0] && esp_sa_soft_expired(dp->in[0]))
		dp_note_expiry(dp);
	pthread_mutex_unlock(&dp->lock_in);
	return (unsigned)n;
}

static unsigned dp_rx_raw(struct dp *dp, struct dp_batch *b)
{
	unsigned n = 0;

	if (dp->fd_raw < 0)
		return 0;
	pthread_mutex_lock(&dp->lock_in);
	for (; n < DP_BATCH; n++) {
		ssize_t got = recv(dp->fd_raw, b->slot[0], DP_SLOT, MSG_DONTWAIT);

		if (got <= 0)
			break;
		dp_receive_raw(dp, b->slot[0], (size_t)got);
	}
	pthread_mutex_unlock(&dp->lock_in);
	return n;
}

static void *dp_rx_main(void *data)
{
	struct dp *dp = data;
	struct dp_batch *b = dp->rx;

	for (;;) {
		unsigned got = dp_rx_batch(dp, b) + dp_rx_raw(dp, b);

		if (got == 0 && !dp_wait(dp, dp->fd_udp, dp->fd_raw, POLLIN, -1))
			break;
	}
	return NULL;
}

/* ---- starting and stopping ---- */

static struct dp_batch *dp_batch_new(void)
{
	struct dp_batch *b = g_new0(struct dp_batch, 1);

	for (unsigned i = 0; i < DP_BATCH; i++) {
		b->iov[i].iov_base = b->slot[i] + DP_HEADROOM;
		b->iov[i].iov_len = DP_MAX_PACKET;
		b->msg[i].msg_hdr.msg_iov = &b->iov[i];
		b->msg[i].msg_hdr.msg_iovlen = 1;
	}
	return b;
}

static int dp_thread_start(struct dp *dp, pthread_t *thread, void *(*fn)(void *))
{
	pthread_attr_t attr;
	sigset_t all, old;
	int err;

	/* signals stay the main thread's (GLib's unix signal sources) */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, DP_THREAD_STACK);
	err = pthread_create(thread, &attr, fn, dp);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return -err;
}

static void dp_socket_buffers(int fd)
{
	int size = DP_SOCKET_BUFFER;

	/* FORCE passes net.core.rmem_max as root; a smaller buffer still works */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
}

int dp_run_threads(struct dp *dp)
{
	int err;

	g_return_val_if_fail(!dp->threaded, -EALREADY);
	dp->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	dp->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (dp->stop_fd < 0 || dp->wake_fd < 0) {
		err = -errno;
		goto fail;
	}
	pthread_mutex_init(&dp->lock_out, NULL);
	pthread_mutex_init(&dp->lock_in, NULL);
	pthread_mutex_init(&dp->lock_up, NULL);
	g_queue_init(&dp->ups);
	dp_socket_buffers(dp->fd_udp);
	dp->rx = dp_batch_new();
	dp->wake_watch = g_unix_fd_add(dp->wake_fd, G_IO_IN, dp_on_wake, dp);
	dp->threaded = true;
	err = dp_thread_start(dp, &dp->rx_thread, dp_rx_main);
	if (err) {
		dp_threads_stop(dp);
		return err;
	}
	dp->rx_running = true;
	if (dp->fd_tun >= 0)
		dp_set_tun(dp, dp->fd_tun);
	return 0;
fail:
	if (dp->stop_fd >= 0)
		close(dp->stop_fd);
	if (dp->wake_fd >= 0)
		close(dp->wake_fd);
	dp->stop_fd = dp->wake_fd = -1;
	return err;
}

void dp_set_tun(struct dp *dp, int fd)
{
	dp_lock(dp, &dp->lock_in);
	dp->fd_tun = fd;
	dp_unlock(dp, &dp->lock_in);
	if (!dp->threaded || dp->tx_running || fd < 0)
		return;
	dp->tx = dp_batch_new();
	if (dp_thread_start(dp, &dp->tx_thread, dp_tx_main) == 0) {
		dp->tx_running = true;
		return;
	}
	/* no thread: what the TUN device sends is not read; the connection fails visibly */
	g_warning("the data plane's sending thread cannot start: packets from %d stay there", fd);
}

void dp_threads_stop(struct dp *dp)
{
	uint64_t one = 1;

	if (!dp->threaded)
		return;
	if (write(dp->stop_fd, &one, sizeof(one)) < 0)
		g_warning("data plane: cannot tell its threads to end: %s", g_strerror(errno));
	if (dp->rx_running)
		pthread_join(dp->rx_thread, NULL);
	if (dp->tx_running)
		pthread_join(dp->tx_thread, NULL);
	dp->rx_running = dp->tx_running = false;
	if (dp->wake_watch)
		g_source_remove(dp->wake_watch);
	dp->wake_watch = 0;
	g_queue_clear_full(&dp->ups, dp_up_free);
	dp->ups_len = 0;
	close(dp->stop_fd);
	close(dp->wake_fd);
	dp->stop_fd = dp->wake_fd = -1;
	g_clear_pointer(&dp->rx, g_free);
	g_clear_pointer(&dp->tx, g_free);
	pthread_mutex_destroy(&dp->lock_out);
	pthread_mutex_destroy(&dp->lock_in);
	pthread_mutex_destroy(&dp->lock_up);
	dp->threaded = false;
}

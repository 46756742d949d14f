/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench/tunfwd-plain: the floor of any userspace VPN on this machine. It moves IP packets
 * between a TUN device and a connected UDP socket and does nothing else: no crypto, no
 * header, no copy but the kernel's. Whatever a real data path (bench/dp-peer) reaches is
 * measured against what this one reaches in the same run (bench/tun-bench).
 *
 *   tunfwd-plain TUN LOCAL REMOTE [--port P] [--batch N] [--threads]
 *
 * It creates the TUN device TUN (IFF_TUN, no packet information; the caller gives it its
 * address, MTU and link state), binds UDP to LOCAL:P and connects it to REMOTE:P (P is 5555
 * by default). Two knobs, the two things a userspace data path can do about system calls:
 *
 *   --batch N   up to N packets per direction per wake-up: recvmmsg() from UDP, N reads from
 *               the TUN device then one sendmmsg() (a TUN device has no batched read or
 *               write). N = 1 (the default) is one recv() or send() per packet.
 *   --threads   one thread per direction, each polling its own input, instead of one thread
 *               polling both. The two directions of a TCP transfer (data one way, ACKs the
 *               other) then run on two cores.
 *
 * The UDP socket has 4 MiB buffers each way, as roadie's data plane asks for. It blocks on
 * send (a full socket buffer slows the sender as the kernel would) and never on receive
 * (MSG_DONTWAIT); the TUN device is non-blocking. A packet the other
 * side refuses is counted and dropped. SIGUSR1 prints the counters; SIGTERM or SIGINT print
 * them and end.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define FWD_MAX_BATCH 64
#define FWD_PACKET 2048 /* more than any MTU the benchmark sets */
#define FWD_DEFAULT_PORT 5555

/* One direction's counters; written by its own thread, read by the signal thread. */
struct fwd_count {
	atomic_uint_fast64_t packets, bytes, drops;
};

struct fwd {
	int fd_tun, fd_udp;
	unsigned batch;
	struct fwd_count to_udp, to_tun;
};

/* The buffers of one direction: each thread has its own, so nothing is shared but the fds. */
struct fwd_bufs {
	uint8_t data[FWD_MAX_BATCH][FWD_PACKET];
	struct iovec iov[FWD_MAX_BATCH];
	struct mmsghdr msg[FWD_MAX_BATCH];
};

static void fwd_bufs_init(struct fwd_bufs *b)
{
	memset(b->msg, 0, sizeof(b->msg));
	for (unsigned i = 0; i < FWD_MAX_BATCH; i++) {
		b->iov[i].iov_base = b->data[i];
		b->iov[i].iov_len = FWD_PACKET;
		b->msg[i].msg_hdr.msg_iov = &b->iov[i];
		b->msg[i].msg_hdr.msg_iovlen = 1;
	}
}

static void fwd_count_add(struct fwd_count *c, uint64_t packets, uint64_t bytes, uint64_t drops)
{
	atomic_fetch_add_explicit(&c->packets, packets, memory_order_relaxed);
	atomic_fetch_add_explicit(&c->bytes, bytes, memory_order_relaxed);
	atomic_fetch_add_explicit(&c->drops, drops, memory_order_relaxed);
}

/* TUN -> UDP: what one wake-up finds, up to the batch. */
static void fwd_tun_to_udp(struct fwd *f, struct fwd_bufs *b)
{
	unsigned n = 0, sent = 0;
	uint64_t bytes = 0;

	while (n < f->batch) {
		ssize_t got = read(f->fd_tun, b->data[n], FWD_PACKET);

		if (got <= 0)
			break;
		b->iov[n].iov_len = (size_t)got;
		bytes += (uint64_t)got;
		n++;
	}
	if (n == 0)
		return;
	if (f->batch == 1) {
		sent = send(f->fd_udp, b->data[0], b->iov[0].iov_len, 0) < 0 ? 0 : 1;
	} else {
		while (sent < n) {
			int r = sendmmsg(f->fd_udp, &b->msg[sent], n - sent, 0);

			if (r <= 0) {
				/* the first packet was refused (ICMP unreachable, ...): skip it */
				if (r < 0 && errno == EINTR)
					continue;
				break;
			}
			sent += (unsigned)r;
		}
	}
	fwd_count_add(&f->to_udp, sent, bytes, n - sent);
}

/* UDP -> TUN. */
static void fwd_udp_to_tun(struct fwd *f, struct fwd_bufs *b)
{
	unsigned n, written = 0;
	uint64_t bytes = 0;

	if (f->batch == 1) {
		ssize_t got = recv(f->fd_udp, b->data[0], FWD_PACKET, MSG_DONTWAIT);

		if (got <= 0)
			return;
		b->msg[0].msg_len = (unsigned)got;
		n = 1;
	} else {
		for (unsigned i = 0; i < f->batch; i++)
			b->iov[i].iov_len = FWD_PACKET;
		int r = recvmmsg(f->fd_udp, b->msg, f->batch, MSG_DONTWAIT, NULL);

		if (r <= 0)
			return;
		n = (unsigned)r;
	}
	for (unsigned i = 0; i < n; i++) {
		if (write(f->fd_tun, b->data[i], b->msg[i].msg_len) < 0)
			continue;
		written++;
		bytes += b->msg[i].msg_len;
	}
	fwd_count_add(&f->to_tun, written, bytes, n - written);
}

/* The workers. Each polls its input(s) and drains a batch per wake-up; poll() returns
 * at once while something is left, so a batch smaller than the queue costs one poll more. */

static void *fwd_run_both(void *arg)
{
	struct fwd *f = arg;
	struct fwd_bufs *b = malloc(sizeof(*b));
	struct pollfd pfd[2] = {{.fd = f->fd_tun, .events = POLLIN},
				{.fd = f->fd_udp, .events = POLLIN}};

	if (!b)
		return NULL;
	fwd_bufs_init(b);
	for (;;) {
		if (poll(pfd, 2, -1) < 0)
			continue;
		if (pfd[0].revents & POLLIN)
			fwd_tun_to_udp(f, b);
		if (pfd[1].revents & POLLIN)
			fwd_udp_to_tun(f, b);
	}
	return NULL;
}

static void *fwd_run_tun_to_udp(void *arg)
{
	struct fwd *f = arg;
	struct fwd_bufs *b = malloc(sizeof(*b));
	struct pollfd pfd = {.fd = f->fd_tun, .events = POLLIN};

	if (!b)
		return NULL;
	fwd_bufs_init(b);
	for (;;)
		if (poll(&pfd, 1, -1) > 0)
			fwd_tun_to_udp(f, b);
	return NULL;
}

static void *fwd_run_udp_to_tun(void *arg)
{
	struct fwd *f = arg;
	struct fwd_bufs *b = malloc(sizeof(*b));
	struct pollfd pfd = {.fd = f->fd_udp, .events = POLLIN};

	if (!b)
		return NULL;
	fwd_bufs_init(b);
	for (;;)
		if (poll(&pfd, 1, -1) > 0)
			fwd_udp_to_tun(f, b);
	return NULL;
}

static void fwd_print(struct fwd *f)
{
	printf("tunfwd-plain stats: to_udp=%" PRIuFAST64 " to_udp_bytes=%" PRIuFAST64
	       " to_udp_drops=%" PRIuFAST64 " to_tun=%" PRIuFAST64 " to_tun_bytes=%" PRIuFAST64
	       " to_tun_drops=%" PRIuFAST64 "\n",
	       atomic_load(&f->to_udp.packets), atomic_load(&f->to_udp.bytes),
	       atomic_load(&f->to_udp.drops), atomic_load(&f->to_tun.packets),
	       atomic_load(&f->to_tun.bytes), atomic_load(&f->to_tun.drops));
	fflush(stdout);
}

static int fwd_open_tun(const char *name)
{
	struct ifreq ifr = {.ifr_flags = IFF_TUN | IFF_NO_PI};
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int fwd_open_udp(const char *local, const char *remote, uint16_t port)
{
	struct sockaddr_in l = {.sin_family = AF_INET, .sin_port = htons(port)};
	struct sockaddr_in r = {.sin_family = AF_INET, .sin_port = htons(port)};
	int fd, size = 4 << 20;

	if (inet_pton(AF_INET, local, &l.sin_addr) != 1 ||
	    inet_pton(AF_INET, remote, &r.sin_addr) != 1) {
		errno = EINVAL;
		return -1;
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* the socket buffers roadie's data plane asks for (DP_SOCKET_BUFFER in dp-threads.c) */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&l, sizeof(l)) < 0 ||
	    connect(fd, (struct sockaddr *)&r, sizeof(r)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void fwd_usage(void)
{
	fprintf(stderr,
		"usage: tunfwd-plain TUN LOCAL REMOTE [--port P] [--batch N] [--threads]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"port", required_argument, NULL, 'p'},
		{"batch", required_argument, NULL, 'b'},
		{"threads", no_argument, NULL, 't'},
		{NULL, 0, NULL, 0},
	};
	struct fwd f = {.batch = 1};
	unsigned long port = FWD_DEFAULT_PORT, batch = 1;
	bool threads = false;
	pthread_t t1, t2;
	sigset_t set;
	char *end;
	int c, sig;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			port = strtoul(optarg, &end, 10);
			if (*end || port == 0 || port > 65535)
				fwd_usage();
			break;
		case 'b':
			batch = strtoul(optarg, &end, 10);
			if (*end || batch == 0 || batch > FWD_MAX_BATCH)
				fwd_usage();
			break;
		case 't':
			threads = true;
			break;
		default:
			fwd_usage();
		}
	}
	if (argc - optind != 3)
		fwd_usage();
	f.batch = (unsigned)batch;
	f.fd_tun = fwd_open_tun(argv[optind]);
	if (f.fd_tun < 0) {
		fprintf(stderr, "tunfwd-plain: TUN device %s: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	f.fd_udp = fwd_open_udp(argv[optind + 1], argv[optind + 2], (uint16_t)port);
	if (f.fd_udp < 0) {
		fprintf(stderr, "tunfwd-plain: UDP %s:%lu -> %s: %s\n", argv[optind + 1], port,
			argv[optind + 2], strerror(errno));
		return 1;
	}

	/* the workers never see the signals: this thread waits for them */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (threads) {
		if (pthread_create(&t1, NULL, fwd_run_tun_to_udp, &f) ||
		    pthread_create(&t2, NULL, fwd_run_udp_to_tun, &f))
			return 1;
	} else if (pthread_create(&t1, NULL, fwd_run_both, &f)) {
		return 1;
	}
	printf("tunfwd-plain ready: %s, batch %u, %s\n", argv[optind], f.batch,
	       threads ? "a thread per direction" : "one thread");
	fflush(stdout);
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		fwd_print(&f);
		if (sig != SIGUSR1)
			break;
	}
	/* the workers block in poll(): ending the process ends them */
	return 0;
}

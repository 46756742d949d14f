/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "roadied"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glib.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "core/pkt.h"
#include "dataplane.h"
#include "dataplane/dataplane-private.h"
#include "dataplane/ip-udp.h"
#include "dataplane/mss-clamp.h"
#include "esp/esp-sa.h"
#include "l2tp/l2tp-message.h"
#include "ppp/ppp.h"

#define DP_PPP_IP 0x0021
#define DP_DHCP_CLIENT_PORT 68
#define DP_PPP_IPV6 0x0057
#define DP_UDP_HEADER 8
#define DP_IPPROTO_UDP 17

struct dp *dp_new(int fd_udp, int fd_raw, const struct dp_ops *ops, void *user)
{
	struct dp *dp = g_new0(struct dp, 1);

	dp->fd_udp = fd_udp;
	dp->fd_raw = fd_raw;
	dp->fd_tun = -1;
	dp->stop_fd = dp->wake_fd = -1;
	dp->remote_port = 1701;
	dp->ops = ops;
	dp->user = user;
	return dp;
}

struct dp *dp_free(struct dp *dp)
{
	if (!dp)
		return NULL;
	dp_threads_stop(dp);
	esp_sa_free(dp->out);
	esp_sa_free(dp->out_next);
	for (unsigned i = 0; i < DP_INBOUND; i++)
		esp_sa_free(dp->in[i]);
	OPENSSL_cleanse(dp->iv_pool, sizeof(dp->iv_pool));
	g_free(dp);
	return NULL;
}

static struct esp_sa *dp_esp(const struct ike_child *child, bool outbound)
{
	struct esp_sa_config cfg = {
		.spi = outbound ? child->spi_out : child->spi_in,
		.suite = child->suite,
		.key = outbound ? child->key_out : child->key_in,
		.enc_key_len = child->enc_key_len,
		.integ_key_len = child->integ_key_len,
		.life_kilobytes = child->life_kilobytes,
	};

	return esp_sa_new(&cfg, outbound);
}

/* lock_out held */
static void dp_commit_outbound_locked(struct dp *dp)
{
	if (!dp->out_next)
		return;
	esp_sa_free(dp->out);
	dp->out = dp->out_next;
	dp->out_next = NULL;
	atomic_store(&dp->out_pending, false);
}

int dp_install_sa(struct dp *dp, const struct ike_child *child, bool defer_outbound)
{
	struct esp_sa *out = dp_esp(child, true), *in = dp_esp(child, false), *old_in, *old_out;

	if (!out || !in) {
		esp_sa_free(out);
		esp_sa_free(in);
		return -EINVAL;
	}
	dp_lock(dp, &dp->lock_in);
	dp_lock(dp, &dp->lock_out);
	dp->out_udp = child->udp_encap;
	old_out = dp->out_next;
	dp->out_next = out;
	atomic_store(&dp->out_pending, true);
	if (!defer_outbound || !dp->out)
		dp_commit_outbound_locked(dp);
	/* the newest inbound SA first; the oldest of two makes room */
	old_in = dp->in[DP_INBOUND - 1];
	memmove(&dp->in[1], &dp->in[0], (DP_INBOUND - 1) * sizeof(dp->in[0]));
	dp->in[0] = in;
	atomic_store(&dp->expiry_noted, false);
	dp_unlock(dp, &dp->lock_out);
	dp_unlock(dp, &dp->lock_in);
	esp_sa_free(old_out);
	esp_sa_free(old_in);
	return 0;
}

void dp_commit_outbound(struct dp *dp)
{
	dp_lock(dp, &dp->lock_out);
	dp_commit_outbound_locked(dp);
	dp_unlock(dp, &dp->lock_out);
}

bool dp_soft_expired_locked(const struct dp *dp)
{
	if (!dp->out || dp->out_next)
		return false;
	return esp_sa_soft_expired(dp->out) || (dp->in[0] && esp_sa_soft_expired(dp->in[0]));
}

bool dp_soft_expired(struct dp *dp)
{
	bool expired;

	dp_lock(dp, &dp->lock_in);
	dp_lock(dp, &dp->lock_out);
	expired = dp_soft_expired_locked(dp);
	dp_unlock(dp, &dp->lock_out);
	dp_unlock(dp, &dp->lock_in);
	return expired;
}

void dp_remove_inbound(struct dp *dp, uint32_t spi_in)
{
	struct esp_sa *gone[DP_INBOUND] = { 0 };

	dp_lock(dp, &dp->lock_in);
	for (unsigned i = 0; i < DP_INBOUND; i++)
		if (dp->in[i] && esp_sa_spi(dp->in[i]) == spi_in) {
			gone[i] = dp->in[i];
			dp->in[i] = NULL;
		}
	dp_unlock(dp, &dp->lock_in);
	for (unsigned i = 0; i < DP_INBOUND; i++)
		esp_sa_free(gone[i]);
}

void dp_set_ports(struct dp *dp, uint16_t local_port, uint16_t remote_port)
{
	dp_lock(dp, &dp->lock_in);
	dp_lock(dp, &dp->lock_out);
	dp->local_port = local_port;
	dp->remote_port = remote_port;
	dp_unlock(dp, &dp->lock_out);
	dp_unlock(dp, &dp->lock_in);
}

void dp_set_l2tp(struct dp *dp, uint16_t peer_tunnel, uint16_t peer_session,
		 uint16_t our_tunnel, uint16_t our_session)
{
	dp_lock(dp, &dp->lock_in);
	dp_lock(dp, &dp->lock_out);
	dp->peer_tunnel = peer_tunnel;
	dp->peer_session = peer_session;
	dp->our_tunnel = our_tunnel;
	dp->our_session = our_session;
	dp_unlock(dp, &dp->lock_out);
	dp_unlock(dp, &dp->lock_in);
}

void dp_set_mtu(struct dp *dp, unsigned mtu)
{
	dp_lock(dp, &dp->lock_in);
	dp_lock(dp, &dp->lock_out);
	dp->mss_v4 = mss_for_mtu(mtu, false);
	dp->mss_v6 = mss_for_mtu(mtu, true);
	dp_unlock(dp, &dp->lock_out);
	dp_unlock(dp, &dp->lock_in);
}

const struct dp_stats *dp_stats(struct dp *dp)
{
	const uint64_t *from = (const uint64_t *)&dp->stats;
	uint64_t *to = (uint64_t *)&dp->snapshot;

	G_STATIC_ASSERT(sizeof(struct dp_stats) % sizeof(uint64_t) == 0);
	for (size_t i = 0; i < sizeof(struct dp_stats) / sizeof(uint64_t); i++)
		to[i] = __atomic_load_n(&from[i], __ATOMIC_RELAXED);
	return &dp->snapshot;
}

size_t dp_overhead(struct dp *dp)
{
	size_t esp, udp;

	dp_lock(dp, &dp->lock_out);
	esp = dp->out ? esp_sa_headroom(dp->out) + esp_sa_tailroom(dp->out)
		      : ESP_MAX_HEADROOM + ESP_MAX_TAILROOM;
	udp = dp->out_udp ? DP_UDP_HEADER : 0;
	dp_unlock(dp, &dp->lock_out);
	/* outer UDP 4500 (behind NAT), inner UDP, L2TP data header, PPP FF 03 00 21 */
	return udp + esp + DP_UDP_HEADER + 6 + 4;
}

/* ---- out: the writer holds an L2TP message; UDP, ESP, and away ---- */

/* lock_out held: @len bytes from the CSPRNG, by the pool */
static int dp_random_iv(struct dp *dp, uint8_t *iv, size_t len)
{
	if (len > sizeof(dp->iv_pool))
		return -EINVAL;
	if (dp->iv_pool_left < len) {
		if (RAND_bytes(dp->iv_pool, sizeof(dp->iv_pool)) != 1)
			return -EIO;
		dp->iv_pool_left = sizeof(dp->iv_pool);
	}
	memcpy(iv, dp->iv_pool + sizeof(dp->iv_pool) - dp->iv_pool_left, len);
	dp->iv_pool_left -= len;
	return 0;
}

/* lock_out held: the inner UDP header and ESP around the L2TP message in @w */
int dp_seal(struct dp *dp, struct pkt_writer *w)
{
	uint8_t *udp, iv[ESP_MAX_IV_LEN];
	size_t len = pkt_writer_len(w), iv_len;
	int err;

	if (!dp->out) {
		dp_count(&dp->stats.drops[DP_DROP_SEAL], 1);
		return -ENOTCONN;
	}
	err = pkt_push(w, DP_UDP_HEADER, &udp);
	if (err)
		return err;
	udp[0] = (uint8_t)(dp->local_port >> 8);
	udp[1] = (uint8_t)dp->local_port;
	udp[2] = (uint8_t)(dp->remote_port >> 8);
	udp[3] = (uint8_t)dp->remote_port;
	udp[4] = (uint8_t)((len + DP_UDP_HEADER) >> 8);
	udp[5] = (uint8_t)(len + DP_UDP_HEADER);
	udp[6] = udp[7] = 0; /* no checksum: see the top of dataplane.h */
	/* CBC: an unpredictable IV per packet (RFC 3602 §2); GCM needs none from us */
	iv_len = esp_sa_random_iv_len(dp->out);
	if (iv_len && dp_random_iv(dp, iv, iv_len)) {
		dp_count(&dp->stats.drops[DP_DROP_SEAL], 1);
		return -EIO;
	}
	err = esp_sa_seal(dp->out, w, DP_IPPROTO_UDP, iv_len ? iv : NULL);
	if (err) {
		dp_count(&dp->stats.drops[DP_DROP_SEAL], 1);
		return err;
	}
	return 0;
}

/* lock_out held: an IP packet from the TUN device (in @w, behind the headroom) into PPP and
 * the L2TP data header, then sealed */
int dp_encap(struct dp *dp, struct pkt_writer *w)
{
	uint8_t *ip = pkt_writer_data(w);

	dp_count(&dp->stats.tun_in, 1);
	dp_count(&dp->stats.tun_in_bytes, pkt_writer_len(w));
	if (dp->mss_v4)
		mss_clamp(ip, pkt_writer_len(w), dp->mss_v4, dp->mss_v6);
	/* the TUN device carries bare IP packets: the version says which PPP protocol */
	return ppp_frame_push(w, (ip[0] >> 4) == 6 ? DP_PPP_IPV6 : DP_PPP_IP) ?:
	       l2tp_data_push(w, dp->peer_tunnel, dp->peer_session) ?: dp_seal(dp, w);
}

/* lock_out held: a sealed ESP packet away, counted */
static int dp_send_sealed(struct dp *dp, const struct pkt_writer *w)
{
	if (send(dp->out_udp ? dp->fd_udp : dp->fd_raw, pkt_writer_data(w), pkt_writer_len(w),
		 MSG_DONTWAIT) < 0) {
		dp_count(&dp->stats.drops[DP_DROP_SEND], 1);
		return -errno;
	}
	dp_count(&dp->stats.esp_out, 1);
	return 0;
}

static int dp_seal_and_send(struct dp *dp, struct pkt_writer *w)
{
	return dp_seal(dp, w) ?: dp_send_sealed(dp, w);
}

int dp_send_l2tp_control(struct dp *dp, const uint8_t *msg, size_t len)
{
	struct pkt_writer w;
	int err;

	if (len > DP_MAX_PACKET)
		return -EMSGSIZE;
	dp_lock(dp, &dp->lock_out);
	pkt_writer_init(&w, dp->ctl, sizeof(dp->ctl), DP_HEADROOM);
	err = pkt_put_bytes(&w, msg, len) ?: dp_seal_and_send(dp, &w);
	dp_unlock(dp, &dp->lock_out);
	return err;
}

int dp_send_ppp(struct dp *dp, uint16_t protocol, const uint8_t *body, size_t len)
{
	struct pkt_writer w;
	int err;

	if (len > DP_MAX_PACKET)
		return -EMSGSIZE;
	dp_lock(dp, &dp->lock_out);
	pkt_writer_init(&w, dp->ctl, sizeof(dp->ctl), DP_HEADROOM);
	err = pkt_put_bytes(&w, body, len) ?: ppp_frame_push(&w, protocol) ?:
	      l2tp_data_push(&w, dp->peer_tunnel, dp->peer_session) ?:
	      dp_seal_and_send(dp, &w);
	dp_unlock(dp, &dp->lock_out);
	return err;
}

int dp_send_ip(struct dp *dp, const uint8_t *packet, size_t len)
{
	struct pkt_writer w;
	int err;

	if (len < 1 || len > DP_MAX_PACKET)
		return -EMSGSIZE;
	dp_lock(dp, &dp->lock_out);
	pkt_writer_init(&w, dp->ctl, sizeof(dp->ctl), DP_HEADROOM);
	err = pkt_put_bytes(&w, packet, len) ?:
	      ppp_frame_push(&w, (packet[0] >> 4) == 6 ? DP_PPP_IPV6 : DP_PPP_IP) ?:
	      l2tp_data_push(&w, dp->peer_tunnel, dp->peer_session) ?: dp_seal_and_send(dp, &w);
	dp_unlock(dp, &dp->lock_out);
	return err;
}

void dp_watch_dhcp(struct dp *dp, bool on)
{
	dp_lock(dp, &dp->lock_in);
	dp->watch_dhcp = on;
	dp_unlock(dp, &dp->lock_in);
}

void dp_on_tun_readable(struct dp *dp)
{
	g_return_if_fail(!dp->threaded);
	for (unsigned n = 0; n < DP_BURST && dp->fd_tun >= 0; n++) {
		struct pkt_writer w;
		ssize_t got = read(dp->fd_tun, dp->buf + DP_HEADROOM, DP_MAX_PACKET);

		if (got <= 0)
			break;
		pkt_writer_init(&w, dp->buf, sizeof(dp->buf), DP_HEADROOM);
		w.len = (size_t)got; /* read in place, behind the headroom */
		if (dp_encap(dp, &w) == 0)
			(void)dp_send_sealed(dp, &w);
	}
}

/* ---- in: ESP, then UDP, then L2TP, then PPP ---- */

static struct esp_sa *dp_inbound(struct dp *dp, uint32_t spi)
{
	for (unsigned i = 0; i < DP_INBOUND; i++)
		if (dp->in[i] && esp_sa_spi(dp->in[i]) == spi)
			return dp->in[i];
	return NULL;
}

static void dp_input_l2tp(struct dp *dp, uint8_t *msg, size_t len)
{
	uint16_t tunnel, session, protocol;
	size_t off, ppp_off, ip_len;
	uint8_t *ip;

	if (l2tp_is_control(msg, len)) {
		dp_up(dp, DP_UP_L2TP, msg, len);
		return;
	}
	if (l2tp_data_parse(msg, len, &tunnel, &session, &off) || tunnel != dp->our_tunnel ||
	    session != dp->our_session) {
		dp_count(&dp->stats.drops[DP_DROP_L2TP], 1);
		return;
	}
	if (ppp_frame_parse(msg + off, len - off, &protocol, &ppp_off)) {
		dp_count(&dp->stats.drops[DP_DROP_L2TP], 1);
		return;
	}
	if (protocol != DP_PPP_IP && protocol != DP_PPP_IPV6) {
		dp_up(dp, DP_UP_PPP, msg + off, len - off);
		return;
	}
	if (dp->fd_tun < 0) {
		dp_count(&dp->stats.drops[DP_DROP_NO_TUN], 1);
		return;
	}
	ip = msg + off + ppp_off;
	ip_len = len - off - ppp_off;
	if (dp->watch_dhcp && protocol == DP_PPP_IP && dp->ops->dhcp) {
		size_t dhcp_len;
		const uint8_t *dhcp = ip4_udp_payload(ip, ip_len, DP_DHCP_CLIENT_PORT, &dhcp_len);

		if (dhcp) {
			dp_up(dp, DP_UP_DHCP, dhcp, dhcp_len);
			return;
		}
	}
	if (dp->mss_v4)
		mss_clamp(ip, ip_len, dp->mss_v4, dp->mss_v6);
	if (write(dp->fd_tun, ip, ip_len) < 0) {
		dp_count(&dp->stats.drops[DP_DROP_TUN_WRITE], 1);
		return;
	}
	dp_count(&dp->stats.tun_out, 1);
	dp_count(&dp->stats.tun_out_bytes, ip_len);
}

void dp_receive_esp(struct dp *dp, uint8_t *packet, size_t len)
{
	struct esp_sa *sa = dp_inbound(dp, esp_peek_spi(packet, len));
	size_t off, plen;
	uint8_t next;
	uint16_t dport;

	if (!sa) {
		dp_count(&dp->stats.drops[DP_DROP_NO_SA], 1);
		return;
	}
	if (esp_sa_open(sa, packet, len, &off, &plen, &next)) {
		dp_count(&dp->stats.drops[DP_DROP_ESP], 1);
		return;
	}
	/* the gateway sends with the new pair: it has installed it, ours may take over */
	if (atomic_load_explicit(&dp->out_pending, memory_order_relaxed) && sa == dp->in[0])
		dp_commit_outbound(dp);
	dp_count(&dp->stats.esp_in, 1);
	if (dp->ops->alive)
		dp_up(dp, DP_UP_ALIVE, NULL, 0);
	if (next != DP_IPPROTO_UDP || plen < DP_UDP_HEADER) {
		dp_count(&dp->stats.drops[DP_DROP_NOT_UDP], 1);
		return;
	}
	/* the LNS may answer from another port than 1701 (RFC 2661 §8.1): its source port is
	 * not checked, ours is */
	dport = (uint16_t)(packet[off + 2] << 8 | packet[off + 3]);
	if (dport != dp->local_port) {
		dp_count(&dp->stats.drops[DP_DROP_WRONG_PORT], 1);
		return;
	}
	dp_input_l2tp(dp, packet + off + DP_UDP_HEADER, plen - DP_UDP_HEADER);
}

void dp_input_esp(struct dp *dp, uint8_t *packet, size_t len)
{
	g_return_if_fail(!dp->threaded);
	dp_receive_esp(dp, packet, len);
}

void dp_receive_raw(struct dp *dp, uint8_t *datagram, size_t len)
{
	size_t ihl;

	/* a raw IPv4 socket hands over the IP header too */
	if (len < 20 || (datagram[0] >> 4) != 4)
		return;
	ihl = (size_t)(datagram[0] & 0x0f) * 4;
	if (ihl < 20 || ihl > len)
		return;
	dp_receive_esp(dp, datagram + ihl, len - ihl);
}

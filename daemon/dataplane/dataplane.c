/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "roadied"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glib.h>
#include <openssl/rand.h>

#include "core/pkt.h"
#include "dataplane.h"
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
/* in front of an IP packet: ESP header and IV, inner UDP, L2TP (with Length, Ns, Nr and an
 * offset if the LNS ever made us), PPP; behind it: ESP's padding and ICV */
#define DP_HEADROOM 64
#define DP_TAILROOM 64
#define DP_MAX_PACKET 2048
#define DP_BURST 64 /* packets read per readable event, so that one side cannot starve the other */
#define DP_INBOUND 2 /* the current inbound SA and, during a rekey, the one before */

struct dp {
	int fd_udp, fd_raw, fd_tun;
	struct esp_sa *out;
	struct esp_sa *out_next; /* our rekey's, until the gateway shows it has the pair */
	bool out_udp;
	struct esp_sa *in[DP_INBOUND];
	uint16_t local_port, remote_port;
	uint16_t mss_v4, mss_v6;     /* TCP SYNs in either direction are clamped to these */
	bool watch_dhcp;
	uint16_t peer_tunnel, peer_session, our_tunnel, our_session;
	const struct dp_ops *ops;
	void *user;
	struct dp_stats stats;
	/* three buffers: a received control message is still being parsed while the answer it
	 * causes is built */
	uint8_t buf[DP_HEADROOM + DP_MAX_PACKET + DP_TAILROOM]; /* from the TUN */
	uint8_t ctl[DP_HEADROOM + DP_MAX_PACKET + DP_TAILROOM]; /* control messages out */
	uint8_t rx[DP_MAX_PACKET + 64];                         /* raw ESP in */
};

struct dp *dp_new(int fd_udp, int fd_raw, const struct dp_ops *ops, void *user)
{
	struct dp *dp = g_new0(struct dp, 1);

	dp->fd_udp = fd_udp;
	dp->fd_raw = fd_raw;
	dp->fd_tun = -1;
	dp->remote_port = 1701;
	dp->ops = ops;
	dp->user = user;
	return dp;
}

struct dp *dp_free(struct dp *dp)
{
	if (!dp)
		return NULL;
	esp_sa_free(dp->out);
	esp_sa_free(dp->out_next);
	for (unsigned i = 0; i < DP_INBOUND; i++)
		esp_sa_free(dp->in[i]);
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

int dp_install_sa(struct dp *dp, const struct ike_child *child, bool defer_outbound)
{
	struct esp_sa *out = dp_esp(child, true), *in = dp_esp(child, false);

	if (!out || !in) {
		esp_sa_free(out);
		esp_sa_free(in);
		return -EINVAL;
	}
	dp->out_udp = child->udp_encap;
	esp_sa_free(dp->out_next);
	dp->out_next = out;
	if (!defer_outbound || !dp->out)
		dp_commit_outbound(dp);
	/* the newest inbound SA first; the oldest of two makes room */
	esp_sa_free(dp->in[DP_INBOUND - 1]);
	memmove(&dp->in[1], &dp->in[0], (DP_INBOUND - 1) * sizeof(dp->in[0]));
	dp->in[0] = in;
	return 0;
}

void dp_commit_outbound(struct dp *dp)
{
	if (!dp->out_next)
		return;
	esp_sa_free(dp->out);
	dp->out = dp->out_next;
	dp->out_next = NULL;
}

bool dp_soft_expired(const struct dp *dp)
{
	if (!dp->out || dp->out_next)
		return false;
	return esp_sa_soft_expired(dp->out) || (dp->in[0] && esp_sa_soft_expired(dp->in[0]));
}

void dp_remove_inbound(struct dp *dp, uint32_t spi_in)
{
	for (unsigned i = 0; i < DP_INBOUND; i++)
		if (dp->in[i] && esp_sa_spi(dp->in[i]) == spi_in)
			dp->in[i] = esp_sa_free(dp->in[i]);
}

void dp_set_ports(struct dp *dp, uint16_t local_port, uint16_t remote_port)
{
	dp->local_port = local_port;
	dp->remote_port = remote_port;
}

void dp_set_l2tp(struct dp *dp, uint16_t peer_tunnel, uint16_t peer_session,
		 uint16_t our_tunnel, uint16_t our_session)
{
	dp->peer_tunnel = peer_tunnel;
	dp->peer_session = peer_session;
	dp->our_tunnel = our_tunnel;
	dp->our_session = our_session;
}

void dp_set_mtu(struct dp *dp, unsigned mtu)
{
	dp->mss_v4 = mss_for_mtu(mtu, false);
	dp->mss_v6 = mss_for_mtu(mtu, true);
}

void dp_set_tun(struct dp *dp, int fd)
{
	dp->fd_tun = fd;
}

const struct dp_stats *dp_stats(const struct dp *dp)
{
	return &dp->stats;
}

size_t dp_overhead(const struct dp *dp)
{
	size_t esp = dp->out ? esp_sa_headroom(dp->out) + esp_sa_tailroom(dp->out)
			     : ESP_MAX_HEADROOM + ESP_MAX_TAILROOM;

	/* outer UDP 4500 (behind NAT), inner UDP, L2TP data header, PPP FF 03 00 21 */
	return (dp->out_udp ? DP_UDP_HEADER : 0) + esp + DP_UDP_HEADER + 6 + 4;
}

/* ---- out: the writer holds an L2TP message; UDP, ESP, and away ---- */

static int dp_seal_and_send(struct dp *dp, struct pkt_writer *w)
{
	uint8_t *udp, iv[ESP_MAX_IV_LEN];
	size_t len = pkt_writer_len(w), iv_len;
	int err;

	if (!dp->out) {
		dp->stats.drops[DP_DROP_SEAL]++;
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
	if (iv_len && RAND_bytes(iv, (int)iv_len) != 1) {
		dp->stats.drops[DP_DROP_SEAL]++;
		return -EIO;
	}
	err = esp_sa_seal(dp->out, w, DP_IPPROTO_UDP, iv_len ? iv : NULL);
	if (err) {
		dp->stats.drops[DP_DROP_SEAL]++;
		return err;
	}
	if (send(dp->out_udp ? dp->fd_udp : dp->fd_raw, pkt_writer_data(w), pkt_writer_len(w),
		 MSG_DONTWAIT) < 0) {
		dp->stats.drops[DP_DROP_SEND]++;
		return -errno;
	}
	dp->stats.esp_out++;
	return 0;
}

int dp_send_l2tp_control(struct dp *dp, const uint8_t *msg, size_t len)
{
	struct pkt_writer w;

	if (len > DP_MAX_PACKET)
		return -EMSGSIZE;
	pkt_writer_init(&w, dp->ctl, sizeof(dp->ctl), DP_HEADROOM);
	return pkt_put_bytes(&w, msg, len) ?: dp_seal_and_send(dp, &w);
}

int dp_send_ppp(struct dp *dp, uint16_t protocol, const uint8_t *body, size_t len)
{
	struct pkt_writer w;

	if (len > DP_MAX_PACKET)
		return -EMSGSIZE;
	pkt_writer_init(&w, dp->ctl, sizeof(dp->ctl), DP_HEADROOM);
	return pkt_put_bytes(&w, body, len) ?: ppp_frame_push(&w, protocol) ?:
	       l2tp_data_push(&w, dp->peer_tunnel, dp->peer_session) ?:
	       dp_seal_and_send(dp, &w);
}

int dp_send_ip(struct dp *dp, const uint8_t *packet, size_t len)
{
	struct pkt_writer w;

	if (len < 1 || len > DP_MAX_PACKET)
		return -EMSGSIZE;
	pkt_writer_init(&w, dp->ctl, sizeof(dp->ctl), DP_HEADROOM);
	return pkt_put_bytes(&w, packet, len) ?:
	       ppp_frame_push(&w, (packet[0] >> 4) == 6 ? DP_PPP_IPV6 : DP_PPP_IP) ?:
	       l2tp_data_push(&w, dp->peer_tunnel, dp->peer_session) ?: dp_seal_and_send(dp, &w);
}

void dp_watch_dhcp(struct dp *dp, bool on)
{
	dp->watch_dhcp = on;
}

void dp_on_tun_readable(struct dp *dp)
{
	for (unsigned n = 0; n < DP_BURST && dp->fd_tun >= 0; n++) {
		struct pkt_writer w;
		ssize_t got = read(dp->fd_tun, dp->buf + DP_HEADROOM, DP_MAX_PACKET);

		if (got <= 0)
			break;
		dp->stats.tun_in++;
		dp->stats.tun_in_bytes += (uint64_t)got;
		if (dp->mss_v4)
			mss_clamp(dp->buf + DP_HEADROOM, (size_t)got, dp->mss_v4, dp->mss_v6);
		pkt_writer_init(&w, dp->buf, sizeof(dp->buf), DP_HEADROOM);
		w.len = (size_t)got; /* read in place, behind the headroom */
		/* the TUN device carries bare IP packets: the version says which PPP protocol */
		if (ppp_frame_push(&w, (dp->buf[DP_HEADROOM] >> 4) == 6 ? DP_PPP_IPV6 : DP_PPP_IP) ||
		    l2tp_data_push(&w, dp->peer_tunnel, dp->peer_session))
			continue;
		(void)dp_seal_and_send(dp, &w);
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
	size_t off, ppp_off;

	if (l2tp_is_control(msg, len)) {
		dp->ops->l2tp_control(dp->user, msg, len);
		return;
	}
	if (l2tp_data_parse(msg, len, &tunnel, &session, &off) || tunnel != dp->our_tunnel ||
	    session != dp->our_session) {
		dp->stats.drops[DP_DROP_L2TP]++;
		return;
	}
	if (ppp_frame_parse(msg + off, len - off, &protocol, &ppp_off)) {
		dp->stats.drops[DP_DROP_L2TP]++;
		return;
	}
	if (protocol != DP_PPP_IP && protocol != DP_PPP_IPV6) {
		dp->ops->ppp_control(dp->user, msg + off, len - off);
		return;
	}
	if (dp->fd_tun < 0) {
		dp->stats.drops[DP_DROP_NO_TUN]++;
		return;
	}
	if (dp->watch_dhcp && protocol == DP_PPP_IP && dp->ops->dhcp) {
		size_t dhcp_len;
		const uint8_t *dhcp = ip4_udp_payload(msg + off + ppp_off, len - off - ppp_off,
						      DP_DHCP_CLIENT_PORT, &dhcp_len);

		if (dhcp) {
			dp->ops->dhcp(dp->user, dhcp, dhcp_len);
			return;
		}
	}
	if (dp->mss_v4)
		mss_clamp(msg + off + ppp_off, len - off - ppp_off, dp->mss_v4, dp->mss_v6);
	if (write(dp->fd_tun, msg + off + ppp_off, len - off - ppp_off) < 0) {
		dp->stats.drops[DP_DROP_TUN_WRITE]++;
		return;
	}
	dp->stats.tun_out++;
	dp->stats.tun_out_bytes += len - off - ppp_off;
}

void dp_input_esp(struct dp *dp, uint8_t *packet, size_t len)
{
	struct esp_sa *sa = dp_inbound(dp, esp_peek_spi(packet, len));
	size_t off, plen;
	uint8_t next;
	uint16_t dport;

	if (!sa) {
		dp->stats.drops[DP_DROP_NO_SA]++;
		return;
	}
	if (esp_sa_open(sa, packet, len, &off, &plen, &next)) {
		dp->stats.drops[DP_DROP_ESP]++;
		return;
	}
	dp->stats.esp_in++;
	/* the gateway sends with the new pair: it has installed it, ours may take over */
	if (dp->out_next && sa == dp->in[0])
		dp_commit_outbound(dp);
	if (dp->ops->alive)
		dp->ops->alive(dp->user);
	if (next != DP_IPPROTO_UDP || plen < DP_UDP_HEADER) {
		dp->stats.drops[DP_DROP_NOT_UDP]++;
		return;
	}
	/* the LNS may answer from another port than 1701 (RFC 2661 §8.1): its source port is
	 * not checked, ours is */
	dport = (uint16_t)(packet[off + 2] << 8 | packet[off + 3]);
	if (dport != dp->local_port) {
		dp->stats.drops[DP_DROP_WRONG_PORT]++;
		return;
	}
	dp_input_l2tp(dp, packet + off + DP_UDP_HEADER, plen - DP_UDP_HEADER);
}

void dp_on_raw_readable(struct dp *dp)
{
	for (unsigned n = 0; n < DP_BURST && dp->fd_raw >= 0; n++) {
		ssize_t got = recv(dp->fd_raw, dp->rx, sizeof(dp->rx), MSG_DONTWAIT);
		size_t ihl;

		if (got <= 0)
			break;
		/* a raw IPv4 socket hands over the IP header too */
		if ((size_t)got < 20 || (dp->rx[0] >> 4) != 4)
			continue;
		ihl = (size_t)(dp->rx[0] & 0x0f) * 4;
		if (ihl < 20 || ihl > (size_t)got)
			continue;
		dp_input_esp(dp, dp->rx + ihl, (size_t)got - ihl);
	}
}

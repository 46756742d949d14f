/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzzes the data plane's receiving path behind ESP: what an authentic packet from the
 * gateway carries (the inner UDP header, L2TP, PPP, an IP packet, a DHCP answer) is the
 * gateway's to choose, so it is as hostile as anything else. The first input byte sets the
 * data plane up (bit 0: the DHCP watch, bit 1: an MSS clamp, bit 2: no TUN device yet), the
 * second is ESP's next header; the rest is sealed by the gateway's outbound SA and handed to
 * dp_input_esp(). Then the whole input goes to dp_receive_raw() as a datagram of the raw ESP
 * socket (an IP header first), where it is dropped unless authentic.
 *
 * Whatever arrives must come to exactly one end: handed up (from inside the packet), written
 * to the TUN device (here /dev/null), or dropped and counted.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/crypto-prf.h"
#include "dataplane/dataplane-private.h"
#include "esp/esp-sa.h"
#include "ike/ike-sa.h"

#define FUZZ_SPI 0x0f0e0d0cu
#define FUZZ_PORT 50000
#define FUZZ_MAX 2048
#define FUZZ_NO_NEXT_HEADER 59

static const uint8_t *fuzz_lo, *fuzz_hi; /* the packet being opened */
static uint64_t fuzz_ups;                /* what was handed up */

static void fuzz_inside(const uint8_t *p, size_t len)
{
	if (p < fuzz_lo || p + len > fuzz_hi)
		abort();
}

static void fuzz_up(void *user, const uint8_t *data, size_t len)
{
	fuzz_inside(data, len);
	fuzz_ups++;
}

static void fuzz_alive(void *user)
{
}

static const struct dp_ops fuzz_ops = {
	.l2tp_control = fuzz_up,
	.ppp_control = fuzz_up,
	.alive = fuzz_alive,
	.dhcp = fuzz_up,
};

static void fuzz_child(struct ike_child *c)
{
	memset(c, 0, sizeof(*c));
	c->suite = (RoadieSuite){ ROADIE_ENCR_AES_GCM_16, 128, ROADIE_INTEG_NONE, ROADIE_DH_NONE };
	c->udp_encap = true;
	c->spi_in = FUZZ_SPI;
	c->spi_out = FUZZ_SPI + 1;
	c->enc_key_len = roadie_suite_enc_key_len(&c->suite);
	for (size_t i = 0; i < sizeof(c->key_in); i++) {
		c->key_in[i] = (uint8_t)(i * 29 + 3);
		c->key_out[i] = (uint8_t)(i * 31 + 7);
	}
	c->local_port = FUZZ_PORT;
}

/* every way a packet can end: written to the TUN device, handed up, or dropped */
static uint64_t fuzz_outcomes(struct dp *dp)
{
	const struct dp_stats *st = dp_stats(dp);
	uint64_t n = st->tun_out + fuzz_ups;

	for (unsigned i = 0; i < DP_DROP_COUNT; i++)
		n += st->drops[i];
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int devnull = -1;
	struct ike_child child;
	struct esp_sa_config gw_cfg;
	struct esp_sa *gw;
	struct dp *dp;
	struct pkt_writer w;
	uint8_t *buf, *copy;
	uint64_t before;

	if (size < 2 || size > FUZZ_MAX)
		return 0;
	if (devnull < 0 && (devnull = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0)
		abort();
	fuzz_child(&child);
	dp = dp_new(-1, -1, &fuzz_ops, NULL);
	if (dp_install_sa(dp, &child, false))
		abort();
	dp_set_ports(dp, FUZZ_PORT, 1701);
	dp_set_l2tp(dp, 0x1111, 0x2222, 0x3333, 0x4444);
	if (!(data[0] & 4))
		dp_set_tun(dp, devnull);
	dp_watch_dhcp(dp, data[0] & 1);
	if (data[0] & 2)
		dp_set_mtu(dp, 1280);

	/* the gateway's outbound SA: our inbound one's key */
	gw_cfg = (struct esp_sa_config){
		.spi = FUZZ_SPI,
		.suite = child.suite,
		.key = child.key_in,
		.enc_key_len = child.enc_key_len,
	};
	gw = esp_sa_new(&gw_cfg, true);
	buf = malloc(64 + size + 64);
	if (!gw || !buf)
		abort();
	if (pkt_writer_init(&w, buf, 64 + size + 64, 64) ||
	    pkt_put_bytes(&w, data + 2, size - 2) || esp_sa_seal(gw, &w, data[1], NULL))
		abort();
	fuzz_lo = pkt_writer_data(&w);
	fuzz_hi = fuzz_lo + pkt_writer_len(&w);
	before = fuzz_outcomes(dp);
	dp_input_esp(dp, pkt_writer_data(&w), pkt_writer_len(&w));
	/* authentic: counted as received, then exactly one end; but a dummy packet (next
	 * header 59, RFC 4303 §2.6) is dropped by the SA itself */
	if (data[1] == FUZZ_NO_NEXT_HEADER) {
		if (dp_stats(dp)->esp_in != 0 || dp_stats(dp)->drops[DP_DROP_ESP] != 1)
			abort();
	} else if (dp_stats(dp)->esp_in != 1 || fuzz_outcomes(dp) != before + 1) {
		abort();
	}

	/* the raw ESP socket's view: the input as a whole datagram, exact size for ASan */
	copy = malloc(size);
	if (!copy)
		abort();
	memcpy(copy, data, size);
	fuzz_lo = copy;
	fuzz_hi = copy + size;
	dp_receive_raw(dp, copy, size);
	free(copy);

	free(buf);
	esp_sa_free(gw);
	dp_free(dp);
	return 0;
}

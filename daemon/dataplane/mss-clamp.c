/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dataplane/mss-clamp.h"

#define MSS_IPPROTO_TCP 6
#define MSS_TCP_SYN 0x02
#define MSS_OPT_END 0
#define MSS_OPT_NOP 1
#define MSS_OPT_MSS 2

uint16_t mss_for_mtu(unsigned mtu, bool ipv6)
{
	unsigned headers = (ipv6 ? 40 : 20) + 20;

	return mtu > headers + 536 ? (uint16_t)(mtu - headers > 65535 ? 65535 : mtu - headers)
				   : 536; /* RFC 9293 §3.7.1: the default every host takes */
}

static uint16_t mss_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') in ones' complement. */
static void mss_fix_checksum(uint8_t *sum, uint16_t old, uint16_t new)
{
	uint32_t s = (uint16_t)~mss_get16(sum) + (uint16_t)~old + new;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (uint16_t)~s;
	sum[0] = (uint8_t)(s >> 8);
	sum[1] = (uint8_t)s;
}

/* The TCP header of a SYN at @tcp (@len bytes to the end of the packet). */
static bool mss_clamp_tcp(uint8_t *tcp, size_t len, uint16_t max_mss)
{
	size_t header, i;

	if (len < 20 || !(tcp[13] & MSS_TCP_SYN))
		return false;
	header = (size_t)(tcp[12] >> 4) * 4;
	if (header < 20 || header > len)
		return false;
	for (i = 20; i < header;) {
		uint8_t kind = tcp[i];
		uint16_t mss;

		if (kind == MSS_OPT_END)
			break;
		if (kind == MSS_OPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= header || tcp[i + 1] < 2 || i + tcp[i + 1] > header)
			return false; /* a broken option list: not ours to mend */
		if (kind == MSS_OPT_MSS && tcp[i + 1] == 4) {
			mss = mss_get16(tcp + i + 2);
			if (mss <= max_mss)
				return false;
			tcp[i + 2] = (uint8_t)(max_mss >> 8);
			tcp[i + 3] = (uint8_t)max_mss;
			mss_fix_checksum(tcp + 16, mss, max_mss);
			return true;
		}
		i += tcp[i + 1];
	}
	return false;
}

bool mss_clamp(uint8_t *ip, size_t len, uint16_t max_mss_v4, uint16_t max_mss_v6)
{
	size_t header, total;

	if (len < 1)
		return false;
	switch (ip[0] >> 4) {
	case 4:
		if (len < 20)
			return false;
		header = (size_t)(ip[0] & 0x0f) * 4;
		total = mss_get16(ip + 2);
		/* only the first fragment has the TCP header, and only a whole one is ours */
		if (header < 20 || total < header || total > len || ip[9] != MSS_IPPROTO_TCP ||
		    (mss_get16(ip + 6) & 0x1fff))
			return false;
		return mss_clamp_tcp(ip + header, total - header, max_mss_v4);
	case 6:
		if (len < 40)
			return false;
		total = 40 + (size_t)mss_get16(ip + 4);
		if (total > len || ip[6] != MSS_IPPROTO_TCP)
			return false;
		return mss_clamp_tcp(ip + 40, total - 40, max_mss_v6);
	default:
		return false;
	}
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dataplane/ip-udp.h"

#define IP_UDP_PROTO 17
#define IP_UDP_HEADER 8

const uint8_t *ip4_udp_payload(const uint8_t *ip, size_t len, uint16_t dport, size_t *ret_len)
{
	size_t header, total, udp_len;

	if (len < 20 || (ip[0] >> 4) != 4 || ip[9] != IP_UDP_PROTO)
		return NULL;
	header = (size_t)(ip[0] & 0x0f) * 4;
	total = (size_t)(ip[2] << 8 | ip[3]);
	/* a whole datagram: no More Fragments, offset 0 */
	if (header < 20 || total > len || total < header + IP_UDP_HEADER ||
	    ((ip[6] << 8 | ip[7]) & 0x3fff))
		return NULL;
	ip += header;
	if ((uint16_t)(ip[2] << 8 | ip[3]) != dport)
		return NULL;
	udp_len = (size_t)(ip[4] << 8 | ip[5]);
	if (udp_len < IP_UDP_HEADER || udp_len > total - header)
		return NULL;
	*ret_len = udp_len - IP_UDP_HEADER;
	return ip + IP_UDP_HEADER;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "core/pkt.h"
#include "dhcp-inform.h"

/* RFC 2131 §2: the fixed BOOTP fields, then the magic cookie (RFC 2131 §3, RFC 1497). */
#define BOOTP_REQUEST 1
#define BOOTP_REPLY 2
#define BOOTP_HTYPE_ETHERNET 1
#define BOOTP_CHADDR_LEN 16
#define BOOTP_SNAME_LEN 64
#define BOOTP_FILE_LEN 128
#define DHCP_MAGIC_COOKIE 0x63825363u /* 99.130.83.99 */

#define DHCP_PORT_SERVER 67
#define DHCP_PORT_CLIENT 68
#define IPV4_HEADER_LEN 20
#define UDP_HEADER_LEN 8
#define IPPROTO_UDP_NUMBER 17

/* RFC 2132 option codes. */
#define OPT_PAD 0
#define OPT_DNS 6
#define OPT_DOMAIN 15
#define OPT_MESSAGE_TYPE 53
#define OPT_PARAM_REQUEST 55
#define OPT_VENDOR_CLASS 60
#define OPT_CLIENT_ID 61
#define OPT_CLASSLESS_ROUTES 121    /* RFC 3442 */
#define OPT_MS_CLASSLESS_ROUTES 249 /* MS-DHCPE §2.2.8 */
#define OPT_END 255

#define DHCPACK 5
#define DHCPINFORM 8

/*
 * The longest concatenated option we look at (RFC 3396 §5). 32 routes take at most
 * 32 * 9 = 288 bytes; anything longer than this buffer is treated as absent.
 */
#define DHCP_OPT_CONCAT_MAX 2048

const char *dhcp_drop_name(enum dhcp_drop drop)
{
	switch (drop) {
	case DHCP_DROP_MALFORMED:
		return "malformed";
	case DHCP_DROP_NOT_OURS:
		return "not-ours";
	case DHCP_DROP_NOT_ACK:
		return "not-ack";
	case DHCP_DROP_COUNT:
		break;
	}
	return "unknown";
}

/* --- building the DHCPINFORM --- */

/* RFC 1071 one's-complement sum over our own bytes, in 16-bit big-endian words. */
static uint32_t dhcp_inform_csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t dhcp_inform_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void dhcp_inform_set_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static int dhcp_inform_put_option(struct pkt_writer *w, uint8_t code, const void *data, uint8_t len)
{
	if (pkt_put_u8(w, code) || pkt_put_u8(w, len) || pkt_put_bytes(w, data, len))
		return -EMSGSIZE;
	return 0;
}

/* The BOOTP message of RFC 2131 §4.4.3: ciaddr filled in, yiaddr zero, no lease options. */
static int dhcp_inform_put_bootp(struct pkt_writer *w, uint32_t xid, uint32_t ciaddr,
				 const uint8_t chaddr[6])
{
	/*
	 * RFC 3442 §"DHCP Client Behavior": 121 MUST come before 3 and 33 in the request
	 * list. 249 is Microsoft's 121 for servers that only know that (MS-DHCPE §2.2.8).
	 */
	static const uint8_t request[] = {1,  OPT_CLASSLESS_ROUTES,   3, 6, OPT_DOMAIN, 33, 44, 46,
					  47, OPT_MS_CLASSLESS_ROUTES};
	static const char vendor_class[] = "MSFT 5.0"; /* what Windows sends; RRAS expects it */
	const uint8_t type = DHCPINFORM;
	uint8_t client_id[7] = {BOOTP_HTYPE_ETHERNET}; /* RFC 2132 §9.14: type, then chaddr */

	memcpy(client_id + 1, chaddr, 6);
	if (pkt_put_u8(w, BOOTP_REQUEST) || pkt_put_u8(w, BOOTP_HTYPE_ETHERNET) ||
	    pkt_put_u8(w, 6) || pkt_put_u8(w, 0) /* hops */ || pkt_put_be32(w, xid) ||
	    pkt_put_be16(w, 0) /* secs */ || pkt_put_be16(w, 0) /* flags: unicast reply */ ||
	    pkt_put_bytes(w, &ciaddr, 4) || pkt_put_zeros(w, 12) /* yiaddr, siaddr, giaddr */ ||
	    pkt_put_bytes(w, chaddr, 6) || pkt_put_zeros(w, BOOTP_CHADDR_LEN - 6) ||
	    pkt_put_zeros(w, BOOTP_SNAME_LEN + BOOTP_FILE_LEN) ||
	    pkt_put_be32(w, DHCP_MAGIC_COOKIE) ||
	    dhcp_inform_put_option(w, OPT_MESSAGE_TYPE, &type, 1) ||
	    dhcp_inform_put_option(w, OPT_CLIENT_ID, client_id, sizeof(client_id)) ||
	    dhcp_inform_put_option(w, OPT_VENDOR_CLASS, vendor_class, sizeof(vendor_class) - 1) ||
	    dhcp_inform_put_option(w, OPT_PARAM_REQUEST, request, sizeof(request)) ||
	    pkt_put_u8(w, OPT_END))
		return -EMSGSIZE;
	/* RFC 1542 §3.1.1: some relays drop BOOTP messages shorter than 300 bytes. */
	if (pkt_writer_len(w) < DHCP_BOOTP_MIN_LEN &&
	    pkt_put_zeros(w, DHCP_BOOTP_MIN_LEN - pkt_writer_len(w)))
		return -EMSGSIZE;
	return 0;
}

int dhcp_inform_build(uint8_t *buf, size_t size, size_t *ret_len, uint32_t xid, uint32_t ciaddr,
		      const uint8_t chaddr[6])
{
	static const uint8_t broadcast[4] = {255, 255, 255, 255};
	struct pkt_writer w;
	uint8_t *udp, *ip, pseudo[12];
	uint16_t udp_len, csum;
	uint32_t sum;

	if (pkt_writer_init(&w, buf, size, IPV4_HEADER_LEN + UDP_HEADER_LEN) ||
	    dhcp_inform_put_bootp(&w, xid, ciaddr, chaddr))
		return -EMSGSIZE;

	/* RFC 768: UDP 68 -> 67; the checksum covers a pseudo header of the IP addresses. */
	udp_len = (uint16_t)(pkt_writer_len(&w) + UDP_HEADER_LEN);
	if (pkt_push(&w, UDP_HEADER_LEN, &udp))
		return -EMSGSIZE;
	dhcp_inform_set_be16(udp + 0, DHCP_PORT_CLIENT);
	dhcp_inform_set_be16(udp + 2, DHCP_PORT_SERVER);
	dhcp_inform_set_be16(udp + 4, udp_len);
	dhcp_inform_set_be16(udp + 6, 0);
	memcpy(pseudo, &ciaddr, 4);
	memcpy(pseudo + 4, broadcast, 4);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_UDP_NUMBER;
	dhcp_inform_set_be16(pseudo + 10, udp_len);
	sum = dhcp_inform_csum_add(0, pseudo, sizeof(pseudo));
	sum = dhcp_inform_csum_add(sum, udp, udp_len);
	csum = dhcp_inform_csum_fold(sum);
	dhcp_inform_set_be16(udp + 6, csum ? csum : 0xffff); /* 0 would mean "no checksum" */

	/* RFC 791: no options, DF clear, TTL 64, to the limited broadcast address. */
	if (pkt_push(&w, IPV4_HEADER_LEN, &ip))
		return -EMSGSIZE;
	ip[0] = 0x45; /* version 4, 5 words */
	ip[1] = 0;    /* TOS */
	dhcp_inform_set_be16(ip + 2, (uint16_t)(udp_len + IPV4_HEADER_LEN));
	dhcp_inform_set_be16(ip + 4, 0); /* identification: never fragmented */
	dhcp_inform_set_be16(ip + 6, 0); /* flags and fragment offset */
	ip[8] = 64;
	ip[9] = IPPROTO_UDP_NUMBER;
	dhcp_inform_set_be16(ip + 10, 0);
	memcpy(ip + 12, &ciaddr, 4);
	memcpy(ip + 16, broadcast, 4);
	dhcp_inform_set_be16(ip + 10,
			     dhcp_inform_csum_fold(dhcp_inform_csum_add(0, ip, IPV4_HEADER_LEN)));

	*ret_len = pkt_writer_len(&w);
	return 0;
}

/* --- parsing the DHCPACK --- */

/*
 * Walks the options field up to the End option and checks that every option's length
 * stays inside the message. On success *ret is a reader over the options before End (pad
 * included), so later walks need no End handling. Bytes after End are padding.
 */
static int dhcp_inform_check_options(const struct pkt_reader *opts, struct pkt_reader *ret)
{
	struct pkt_reader r = *opts;
	size_t start = pkt_offset(&r), end;

	for (;;) {
		uint8_t code, len;

		if (pkt_get_u8(&r, &code))
			return -EBADMSG; /* no End option */
		if (code == OPT_END) {
			end = pkt_offset(&r) - 1;
			break;
		}
		if (code == OPT_PAD)
			continue;
		if (pkt_get_u8(&r, &len) || pkt_skip(&r, len))
			return -EBADMSG;
	}
	r = *opts;
	return pkt_get_sub(&r, end - start, ret) ? -EBADMSG : 0;
}

/*
 * RFC 3396 §5: all instances of @code, in order, concatenated into buf. -ENOENT if there
 * is none, -EMSGSIZE if they do not fit in @cap. @opts is a checked option list.
 */
static int dhcp_inform_gather(const struct pkt_reader *opts, uint8_t code, uint8_t *buf, size_t cap,
			      size_t *ret_len)
{
	struct pkt_reader r = *opts;
	bool found = false;
	size_t n = 0;

	while (pkt_remaining(&r) > 0) {
		const uint8_t *data;
		uint8_t c, len;

		if (pkt_get_u8(&r, &c))
			return -EBADMSG;
		if (c == OPT_PAD)
			continue;
		if (pkt_get_u8(&r, &len) || pkt_get_bytes(&r, len, &data))
			return -EBADMSG;
		if (c != code)
			continue;
		if (len > cap - n)
			return -EMSGSIZE;
		memcpy(buf + n, data, len);
		n += len;
		found = true;
	}
	if (!found)
		return -ENOENT;
	*ret_len = n;
	return 0;
}

/*
 * RFC 3442 §"Classless Route Option Format": a width byte 0..32, the ceil(width / 8)
 * significant octets of the subnet number, then the 4-byte router. The RFC gives no rule
 * for a list that does not add up; we ignore the whole option, since half a routing table
 * can send traffic past the tunnel. Bits of the subnet number beyond the width are masked
 * off rather than refused: they carry no meaning. Routes past DHCP_INFORM_MAX_ROUTES are
 * checked but not kept.
 */
static int dhcp_inform_parse_routes(const uint8_t *data, size_t len,
				    struct dhcp_route routes[DHCP_INFORM_MAX_ROUTES],
				    unsigned *ret_n)
{
	struct dhcp_route found[DHCP_INFORM_MAX_ROUTES];
	struct pkt_reader r;
	unsigned n = 0;

	pkt_reader_init(&r, data, len);
	if (len < 5) /* its minimum length: one default route */
		return -EBADMSG;
	while (pkt_remaining(&r) > 0) {
		uint8_t width, net[4] = {0};
		uint32_t gateway;

		if (pkt_get_u8(&r, &width) || width > 32 ||
		    pkt_copy_bytes(&r, net, (size_t)(width + 7) / 8) ||
		    pkt_copy_bytes(&r, &gateway, 4))
			return -EBADMSG;
		for (unsigned i = 0; i < 4; i++) {
			int bits = (int)width - 8 * (int)i;

			if (bits <= 0)
				net[i] = 0;
			else if (bits < 8)
				net[i] &= (uint8_t)(0xff00u >> bits);
		}
		if (n < DHCP_INFORM_MAX_ROUTES) {
			memcpy(&found[n].network, net, 4);
			found[n].prefix = width;
			found[n].gateway = gateway;
			n++;
		}
	}
	memcpy(routes, found, n * sizeof(found[0]));
	*ret_n = n;
	return 0;
}

static bool dhcp_inform_ldh(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-';
}

/*
 * Option 15 (RFC 2132 §3.17) is a name for DNS search and resolved: letters, digits and
 * hyphens in labels of 1..63 (RFC 1035 §2.3.1), at most DHCP_DOMAIN_MAX in all. Windows
 * servers end it with a NUL, and a trailing dot is the root: one of each is dropped.
 * Anything else (spaces, several names, empty labels) makes the option absent.
 */
static int dhcp_inform_parse_domain(const uint8_t *data, size_t len, char ret[DHCP_DOMAIN_MAX + 1])
{
	size_t label = 0;

	if (len > 0 && data[len - 1] == 0)
		len--;
	if (len > 0 && data[len - 1] == '.')
		len--;
	if (len == 0 || len > DHCP_DOMAIN_MAX)
		return -EBADMSG;
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '.') {
			if (label == 0)
				return -EBADMSG;
			label = 0;
		} else if (dhcp_inform_ldh(data[i]) && ++label <= 63) {
			continue;
		} else {
			return -EBADMSG;
		}
	}
	memcpy(ret, data, len);
	ret[len] = '\0';
	return 0;
}

static int dhcp_inform_drop(enum dhcp_drop drop, enum dhcp_drop *ret_drop)
{
	*ret_drop = drop;
	return -EBADMSG;
}

int dhcp_inform_parse(const uint8_t *udp_payload, size_t len, uint32_t xid, const uint8_t chaddr[6],
		      struct dhcp_inform_result *ret, enum dhcp_drop *ret_drop)
{
	struct dhcp_inform_result res;
	struct pkt_reader r, opts;
	uint8_t op, cat[DHCP_OPT_CONCAT_MAX];
	const uint8_t *hw;
	uint32_t rxid, cookie;
	size_t n;
	int err;

	/* RFC 2131 §2, Figure 1: op htype hlen hops xid secs flags ciaddr yiaddr siaddr giaddr
	 * chaddr sname file, then the cookie. */
	pkt_reader_init(&r, udp_payload, len);
	if (pkt_get_u8(&r, &op) || pkt_skip(&r, 3) || pkt_get_be32(&r, &rxid) ||
	    pkt_skip(&r, 2 + 2 + 4 * 4) || pkt_get_bytes(&r, 6, &hw) ||
	    pkt_skip(&r, BOOTP_CHADDR_LEN - 6 + BOOTP_SNAME_LEN + BOOTP_FILE_LEN) ||
	    pkt_get_be32(&r, &cookie))
		return dhcp_inform_drop(DHCP_DROP_MALFORMED, ret_drop);
	if (op != BOOTP_REPLY || rxid != xid || memcmp(hw, chaddr, 6) != 0)
		return dhcp_inform_drop(DHCP_DROP_NOT_OURS, ret_drop);
	if (cookie != DHCP_MAGIC_COOKIE || dhcp_inform_check_options(&r, &opts))
		return dhcp_inform_drop(DHCP_DROP_MALFORMED, ret_drop);

	/* RFC 2131 §4.3.5: the server answers a DHCPINFORM with a DHCPACK. */
	err = dhcp_inform_gather(&opts, OPT_MESSAGE_TYPE, cat, sizeof(cat), &n);
	if (err == -ENOENT)
		return dhcp_inform_drop(DHCP_DROP_NOT_ACK, ret_drop);
	if (err || n != 1)
		return dhcp_inform_drop(DHCP_DROP_MALFORMED, ret_drop);
	if (cat[0] != DHCPACK)
		return dhcp_inform_drop(DHCP_DROP_NOT_ACK, ret_drop);

	memset(&res, 0, sizeof(res));
	if (dhcp_inform_gather(&opts, OPT_DOMAIN, cat, sizeof(cat), &n) == 0 &&
	    dhcp_inform_parse_domain(cat, n, res.domain))
		res.domain[0] = '\0';

	/* RFC 2132 §3.8: a list of addresses, length a multiple of 4. */
	if (dhcp_inform_gather(&opts, OPT_DNS, cat, sizeof(cat), &n) == 0 && n > 0 && n % 4 == 0) {
		res.n_dns = (unsigned)(n / 4 < DHCP_INFORM_MAX_DNS ? n / 4 : DHCP_INFORM_MAX_DNS);
		memcpy(res.dns, cat, res.n_dns * 4);
	}

	/*
	 * 121 wins over 249 (and over 3, which we do not read: RFC 3442 says the router option
	 * MUST then be ignored). A 121 that we ignore as malformed counts as absent, so a
	 * valid 249 is used then.
	 */
	if (dhcp_inform_gather(&opts, OPT_CLASSLESS_ROUTES, cat, sizeof(cat), &n) != 0 ||
	    dhcp_inform_parse_routes(cat, n, res.routes, &res.n_routes) != 0) {
		if (dhcp_inform_gather(&opts, OPT_MS_CLASSLESS_ROUTES, cat, sizeof(cat), &n) == 0)
			(void)dhcp_inform_parse_routes(cat, n, res.routes, &res.n_routes);
	}

	*ret = res;
	return 0;
}

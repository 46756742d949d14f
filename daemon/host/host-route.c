/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Routes through raw rtnetlink (rtnetlink(7), RFC 3549 §2.3.3.2): one NETLINK_ROUTE socket
 * per call, one request with NLM_F_ACK, and the kernel's NLMSG_ERROR acknowledgement read
 * back. These are rare control-plane calls (connect, disconnect, undo after a crash), so a
 * fresh socket each time keeps the module free of state and of stray notifications.
 *
 * The text form is a small strict grammar, written by host_route_to_string and read back
 * from the undo journal by host_route_from_string:
 *
 *   [blackhole ]DST/PREFIX[ via GATEWAY][ dev NAME|dev #INDEX] table N metric N
 *
 * single spaces, decimal numbers without sign or leading zeros, nothing after the metric.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdalign.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <glib.h>

#include "host/host-route.h"

/* the journal's lines are far shorter: the longest valid one is about 170 bytes */
#define ROUTE_TEXT_MAX 256
/* the kernel's replies to one route request; an error echoes our (small) request */
#define NL_RECV_SIZE 16384
#define NL_REQ_ATTRS 256

static size_t addr_len(int family)
{
	switch (family) {
	case AF_INET:
		return 4;
	case AF_INET6:
		return 16;
	default:
		return 0;
	}
}

/* ---- requests ---------------------------------------------------------------------- */

struct nl_request {
	struct nlmsghdr nh;
	struct rtmsg rtm;
	alignas(NLMSG_ALIGNTO) uint8_t attrs[NL_REQ_ATTRS];
};

static void nl_put_attr(struct nl_request *req, uint16_t type, const void *data, size_t len)
{
	size_t off = NLMSG_ALIGN(req->nh.nlmsg_len);
	struct rtattr rta = { .rta_len = (unsigned short)RTA_LENGTH(len), .rta_type = type };
	uint8_t *base = (uint8_t *)req;

	/* our attributes are a handful of addresses and integers: overflow is a bug here */
	g_assert(off + RTA_SPACE(len) <= sizeof(*req));
	memset(base + off, 0, RTA_SPACE(len));
	memcpy(base + off, &rta, sizeof(rta));
	memcpy(base + off + RTA_LENGTH(0), data, len);
	req->nh.nlmsg_len = (uint32_t)(off + RTA_SPACE(len));
}

static void nl_put_u32(struct nl_request *req, uint16_t type, uint32_t value)
{
	nl_put_attr(req, type, &value, sizeof(value));
}

static void nl_request_init(struct nl_request *req, uint16_t type, uint16_t flags, int family)
{
	memset(req, 0, sizeof(*req));
	req->nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg));
	req->nh.nlmsg_type = type;
	req->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	/* any number will do: a fresh socket only ever hears the answer to this request, the
	 * check guards against reading something else as the answer */
	req->nh.nlmsg_seq = g_random_int();
	req->rtm.rtm_family = (unsigned char)family;
}

/* ---- replies ----------------------------------------------------------------------- */

/* One RTM_NEWROUTE message: its rtmsg and the attributes a host_route is made of. */
struct route_msg {
	struct rtmsg rtm;
	struct host_route r;  /* dst, gateway, oif; prefix from rtm_dst_len */
	bool has_oif;
	uint32_t table;       /* RTA_TABLE, else rtm_table */
	uint32_t metric;      /* RTA_PRIORITY, 0 without */
	bool has_via;         /* an IPv4 route through an IPv6 next hop (RFC 5549) */
	bool has_multipath;   /* several next hops */
};

/* The kernel is trusted, but every length is checked anyway: -EBADMSG on any that is off. */
static int parse_route_msg(const uint8_t *msg, size_t len, int family, struct route_msg *ret)
{
	struct route_msg m = { .r = { .family = family, .type = HOST_ROUTE_UNICAST } };
	size_t alen = addr_len(family);
	size_t off;

	if (len < NLMSG_LENGTH(sizeof(m.rtm)))
		return -EBADMSG;
	memcpy(&m.rtm, msg + NLMSG_HDRLEN, sizeof(m.rtm));
	if (m.rtm.rtm_family != family || m.rtm.rtm_dst_len > alen * 8)
		return -EBADMSG;
	m.table = m.rtm.rtm_table;
	m.r.prefix = m.rtm.rtm_dst_len;
	/* the attributes start aligned after the rtmsg and run to the end of the message */
	off = NLMSG_ALIGN(NLMSG_LENGTH(sizeof(m.rtm)));
	while (off < len) {
		struct rtattr rta;
		const uint8_t *payload;
		size_t plen, want = 0;

		if (len - off < sizeof(rta))
			return -EBADMSG;
		memcpy(&rta, msg + off, sizeof(rta));
		if (rta.rta_len < RTA_LENGTH(0) || rta.rta_len > len - off)
			return -EBADMSG;
		payload = msg + off + RTA_LENGTH(0);
		plen = rta.rta_len - RTA_LENGTH(0);
		switch (rta.rta_type) {
		case RTA_TABLE:
		case RTA_OIF:
		case RTA_PRIORITY:
			want = sizeof(uint32_t);
			break;
		case RTA_GATEWAY:
		case RTA_DST:
		case RTA_PREFSRC: /* the source the kernel would pick: only checked */
			want = alen;
			break;
		default:
			break;
		}
		if (want && plen != want)
			return -EBADMSG;
		switch (rta.rta_type) {
		case RTA_TABLE:
			memcpy(&m.table, payload, sizeof(m.table));
			break;
		case RTA_OIF: {
			uint32_t oif;

			memcpy(&oif, payload, sizeof(oif));
			m.r.oif = oif;
			m.has_oif = true;
			break;
		}
		case RTA_PRIORITY:
			memcpy(&m.metric, payload, sizeof(m.metric));
			break;
		case RTA_GATEWAY:
			memcpy(m.r.gateway, payload, alen);
			m.r.has_gateway = true;
			break;
		case RTA_DST:
			memcpy(m.r.dst, payload, alen);
			break;
		case RTA_VIA:
			m.has_via = true;
			break;
		case RTA_MULTIPATH:
			m.has_multipath = true;
			break;
		default:
			break;
		}
		if (RTA_ALIGN(rta.rta_len) >= len - off)
			break;
		off += RTA_ALIGN(rta.rta_len);
	}
	*ret = m;
	return 0;
}

/* The reply to RTM_GETROUTE. */
static int parse_route_reply(const uint8_t *msg, size_t len, int family, struct host_route *ret)
{
	struct route_msg m;
	int err = parse_route_msg(msg, len, family, &m);

	if (err)
		return err;
	switch (m.rtm.rtm_type) {
	case RTN_UNICAST:
	case RTN_LOCAL: /* the address is one of ours: still a path, through lo */
		break;
	case RTN_BLACKHOLE:
		return -EINVAL; /* what the kernel itself answers for a blackhole */
	case RTN_UNREACHABLE:
		return -EHOSTUNREACH;
	case RTN_PROHIBIT:
		return -EACCES;
	default:
		return -ENETUNREACH;
	}
	/* RFC 5549's IPv6 next hop for IPv4 cannot be said in a host_route, and dropping the
	 * gateway would be a wrong route; a lookup answers with one next hop, several would be
	 * lost here */
	if (m.has_via || m.has_multipath)
		return -EAFNOSUPPORT;
	if (!m.has_oif || m.r.oif == 0)
		return -EBADMSG;
	m.r.prefix = (uint8_t)(addr_len(family) * 8);
	*ret = m.r;
	return 0;
}

/*
 * Send @req and read until the kernel acknowledges it. With @reply set, a RTM_NEWROUTE
 * answer with our sequence number is parsed into it (RTM_GETROUTE), and its absence is an
 * error. Returns 0 or the kernel's negative errno.
 */
static int nl_transact(struct nl_request *req, struct host_route *reply)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct timeval timeout = { .tv_sec = 5 };
	int fd, r;
	bool got_reply = false;
	struct host_route parsed = { 0 };
	g_autofree uint8_t *buf = NULL;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	/* the kernel answers inside sendto(); the timeout only bounds a kernel that does not */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) < 0) {
		r = -errno;
		goto out;
	}
	if (sendto(fd, req, req->nh.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		r = -errno;
		goto out;
	}

	buf = g_malloc(NL_RECV_SIZE); /* malloc's alignment suits struct nlmsghdr */
	for (;;) {
		struct sockaddr_nl from = { 0 };
		struct iovec iov = { .iov_base = buf, .iov_len = NL_RECV_SIZE };
		struct msghdr mh = {
			.msg_name = &from,
			.msg_namelen = sizeof(from),
			.msg_iov = &iov,
			.msg_iovlen = 1,
		};
		ssize_t n = recvmsg(fd, &mh, 0);
		size_t off = 0, len;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = errno == EAGAIN || errno == EWOULDBLOCK ? -ETIMEDOUT : -errno;
			goto out;
		}
		if (mh.msg_flags & MSG_TRUNC) {
			r = -EMSGSIZE;
			goto out;
		}
		/* only the kernel (port 0) speaks for the kernel */
		if (mh.msg_namelen < sizeof(from) || from.nl_family != AF_NETLINK ||
		    from.nl_pid != 0)
			continue;
		len = (size_t)n;

		while (off < len) {
			struct nlmsghdr nh;
			const uint8_t *msg = buf + off;

			if (len - off < sizeof(nh)) {
				r = -EBADMSG;
				goto out;
			}
			memcpy(&nh, msg, sizeof(nh));
			if (nh.nlmsg_len < sizeof(nh) || nh.nlmsg_len > len - off) {
				r = -EBADMSG;
				goto out;
			}
			if (nh.nlmsg_seq == req->nh.nlmsg_seq) {
				if (nh.nlmsg_type == NLMSG_ERROR) {
					struct nlmsgerr err;

					if (nh.nlmsg_len < NLMSG_LENGTH(sizeof(err))) {
						r = -EBADMSG;
						goto out;
					}
					memcpy(&err, msg + NLMSG_HDRLEN, sizeof(err));
					if (err.error > 0 || err.error < -4095)
						r = -EBADMSG;
					else if (err.error < 0)
						r = err.error;
					else if (reply && !got_reply)
						r = -EBADMSG; /* acknowledged, but no route came */
					else
						r = 0;
					if (r == 0 && reply)
						*reply = parsed;
					goto out;
				}
				if (reply && nh.nlmsg_type == RTM_NEWROUTE && !got_reply) {
					r = parse_route_reply(msg, nh.nlmsg_len,
							      req->rtm.rtm_family, &parsed);
					if (r < 0)
						goto out;
					got_reply = true;
				}
			}
			if (NLMSG_ALIGN(nh.nlmsg_len) >= len - off)
				break;
			off += NLMSG_ALIGN(nh.nlmsg_len);
		}
	}
out:
	close(fd);
	return r;
}

/* ---- add, replace, delete, get ----------------------------------------------------- */

static bool route_valid(const struct host_route *route)
{
	size_t alen = addr_len(route->family);

	if (!alen || route->prefix > alen * 8)
		return false;
	switch (route->type) {
	case HOST_ROUTE_UNICAST:
		return true;
	case HOST_ROUTE_BLACKHOLE:
		return true;
	}
	return false;
}

static void route_request(struct nl_request *req, const struct host_route *route, bool del)
{
	size_t alen = addr_len(route->family);
	uint32_t table = route->table ? route->table : RT_TABLE_MAIN;

	/* tables above 255 only fit in RTA_TABLE; the kernel prefers RTA_TABLE when present */
	req->rtm.rtm_table = table < 256 ? (unsigned char)table : RT_TABLE_UNSPEC;
	req->rtm.rtm_dst_len = route->prefix;
	switch (route->type) {
	case HOST_ROUTE_UNICAST:
		req->rtm.rtm_type = RTN_UNICAST;
		/* like ip(8): IPv4 routes without a next hop are on-link (scope link); IPv6
		 * has no route scopes and takes universe */
		req->rtm.rtm_scope = route->family == AF_INET && !route->has_gateway ?
					     RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
		break;
	case HOST_ROUTE_BLACKHOLE:
		req->rtm.rtm_type = RTN_BLACKHOLE;
		req->rtm.rtm_scope = RT_SCOPE_UNIVERSE;
		break;
	}
	if (del) {
		/* match whatever protocol and scope the route was added with */
		req->rtm.rtm_protocol = RTPROT_UNSPEC;
		req->rtm.rtm_scope = RT_SCOPE_NOWHERE;
	} else {
		req->rtm.rtm_protocol = RTPROT_STATIC;
	}

	nl_put_attr(req, RTA_DST, route->dst, alen);
	nl_put_u32(req, RTA_TABLE, table);
	if (route->metric)
		nl_put_u32(req, RTA_PRIORITY, route->metric);
	if (route->type == HOST_ROUTE_UNICAST) {
		if (route->has_gateway)
			nl_put_attr(req, RTA_GATEWAY, route->gateway, alen);
		if (route->oif)
			nl_put_u32(req, RTA_OIF, route->oif);
	}
}

static int route_change(const struct host_route *route, uint16_t type, uint16_t flags)
{
	struct nl_request req;

	if (!route || !route_valid(route))
		return -EINVAL;
	nl_request_init(&req, type, flags, route->family);
	route_request(&req, route, type == RTM_DELROUTE);
	return nl_transact(&req, NULL);
}

int host_route_add(const struct host_route *route)
{
	return route_change(route, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
}

int host_route_replace(const struct host_route *route)
{
	return route_change(route, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE);
}

int host_route_del(const struct host_route *route)
{
	return route_change(route, RTM_DELROUTE, 0);
}

int host_route_get(int family, const uint8_t *dst, struct host_route *ret)
{
	struct nl_request req;
	size_t alen = addr_len(family);

	if (!alen || !dst || !ret)
		return -EINVAL;
	nl_request_init(&req, RTM_GETROUTE, 0, family);
	req.rtm.rtm_dst_len = (unsigned char)(alen * 8);
	nl_put_attr(&req, RTA_DST, dst, alen);
	return nl_transact(&req, ret);
}

/* ---- the path without our own routes (a dump of table main) ------------------------ */

static bool prefix_covers(const uint8_t *net, uint8_t prefix, const uint8_t *addr)
{
	unsigned full = prefix / 8, rest = prefix % 8;

	if (memcmp(net, addr, full))
		return false;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));

		if ((net[full] & mask) != (addr[full] & mask))
			return false;
	}
	return true;
}

/* One RTM_NEWROUTE of the dump; a route we cannot judge or do not want is left out. */
static int dump_entry(const uint8_t *msg, size_t len, int family, const uint8_t *dst,
		      const struct host_route *skip, bool (*skip_oif)(unsigned oif),
		      struct host_route_best *best)
{
	size_t alen = addr_len(family);
	struct route_msg m;
	int err = parse_route_msg(msg, len, family, &m);

	if (err)
		return err;

	const struct host_route r = m.r;
	uint32_t metric = m.metric;

	if (m.has_via || m.has_multipath || m.table != RT_TABLE_MAIN ||
	    m.rtm.rtm_type != RTN_UNICAST || !m.has_oif || !r.oif ||
	    (m.rtm.rtm_flags & (RTNH_F_DEAD | RTNH_F_LINKDOWN)))
		return 0;
	if (!prefix_covers(r.dst, r.prefix, dst))
		return 0;
	if (skip && skip->family == family && skip->prefix == r.prefix && skip->oif == r.oif &&
	    skip->has_gateway == r.has_gateway && !memcmp(skip->dst, r.dst, alen) &&
	    (!r.has_gateway || !memcmp(skip->gateway, r.gateway, alen)))
		return 0;
	if (skip_oif && skip_oif(r.oif))
		return 0;
	if (best->found && (r.prefix < best->prefix ||
			    (r.prefix == best->prefix && metric >= best->metric)))
		return 0;
	best->found = true;
	best->prefix = r.prefix;
	best->metric = metric;
	best->route = r;
	return 0;
}

int host_route_dump_feed(const uint8_t *buf, size_t len, uint32_t seq, int family,
			 const uint8_t *dst, const struct host_route *skip,
			 bool (*skip_oif)(unsigned oif), struct host_route_best *best,
			 bool *ret_done)
{
	size_t off = 0;

	*ret_done = false;
	if (!addr_len(family))
		return -EINVAL;
	while (off < len) {
		struct nlmsghdr nh;
		const uint8_t *msg = buf + off;
		int r;

		if (len - off < sizeof(nh))
			return -EBADMSG;
		memcpy(&nh, msg, sizeof(nh));
		if (nh.nlmsg_len < sizeof(nh) || nh.nlmsg_len > len - off)
			return -EBADMSG;
		if (nh.nlmsg_seq == seq) {
			switch (nh.nlmsg_type) {
			case NLMSG_DONE:
				*ret_done = true;
				return 0;
			case NLMSG_ERROR: {
				struct nlmsgerr err;

				if (nh.nlmsg_len < NLMSG_LENGTH(sizeof(err)))
					return -EBADMSG;
				memcpy(&err, msg + NLMSG_HDRLEN, sizeof(err));
				if (err.error >= 0 || err.error < -4095)
					return -EBADMSG; /* a dump ends with DONE, not with an ack */
				return err.error;
			}
			case RTM_NEWROUTE:
				r = dump_entry(msg, nh.nlmsg_len, family, dst, skip, skip_oif, best);
				if (r < 0)
					return r;
				break;
			default:
				break;
			}
		}
		if (NLMSG_ALIGN(nh.nlmsg_len) >= len - off)
			break;
		off += NLMSG_ALIGN(nh.nlmsg_len);
	}
	return 0;
}

int host_route_lookup_main(int family, const uint8_t *dst, const struct host_route *skip,
			   bool (*skip_oif)(unsigned oif), struct host_route *ret)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct timeval timeout = { .tv_sec = 5 };
	struct host_route_best best = { 0 };
	size_t alen = addr_len(family);
	struct nl_request req;
	g_autofree uint8_t *buf = NULL;
	bool done = false;
	int fd, r = 0;

	if (!alen || !dst || !ret)
		return -EINVAL;
	nl_request_init(&req, RTM_GETROUTE, NLM_F_DUMP, family);
	req.nh.nlmsg_flags &= (uint16_t)~NLM_F_ACK;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) < 0 ||
	    sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0) {
		r = -errno;
		goto out;
	}
	buf = g_malloc(NL_RECV_SIZE);
	while (!done) {
		struct sockaddr_nl from = { 0 };
		struct iovec iov = { .iov_base = buf, .iov_len = NL_RECV_SIZE };
		struct msghdr mh = {
			.msg_name = &from,
			.msg_namelen = sizeof(from),
			.msg_iov = &iov,
			.msg_iovlen = 1,
		};
		ssize_t n = recvmsg(fd, &mh, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = errno == EAGAIN || errno == EWOULDBLOCK ? -ETIMEDOUT : -errno;
			goto out;
		}
		if (mh.msg_flags & MSG_TRUNC) {
			r = -EMSGSIZE;
			goto out;
		}
		if (mh.msg_namelen < sizeof(from) || from.nl_family != AF_NETLINK ||
		    from.nl_pid != 0)
			continue;
		r = host_route_dump_feed(buf, (size_t)n, req.nh.nlmsg_seq, family, dst, skip,
					 skip_oif, &best, &done);
		if (r < 0)
			goto out;
	}
	if (!best.found) {
		r = -ENETUNREACH;
		goto out;
	}
	*ret = best.route;
	memcpy(ret->dst, dst, alen);
	ret->prefix = (uint8_t)(alen * 8);
	ret->metric = 0;
	r = 0;
out:
	close(fd);
	return r;
}

/* ---- text form --------------------------------------------------------------------- */

/* Device names as the parser accepts them: what the kernel allows (1-15 bytes, no '/', ':'
 * or white space, not "." or ".."), less control bytes and a leading '#', which would be
 * ambiguous with "dev #INDEX". A name outside this is printed as "#INDEX". */
static bool dev_name_valid(const char *name, size_t len)
{
	if (len == 0 || len >= IFNAMSIZ || name[0] == '#')
		return false;
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c <= 0x20 || c == 0x7f || c == '/' || c == ':')
			return false;
	}
	return true;
}

char *host_route_to_string(const struct host_route *route)
{
	char dst[INET6_ADDRSTRLEN], gw[INET6_ADDRSTRLEN];
	char name[IF_NAMESIZE];
	g_autoptr(GString) s = NULL;

	if (!route || !addr_len(route->family) ||
	    !inet_ntop(route->family, route->dst, dst, sizeof(dst)))
		return g_strdup_printf("(route of unknown family %d)", route ? route->family : -1);

	s = g_string_new(NULL);
	switch (route->type) {
	case HOST_ROUTE_BLACKHOLE:
		g_string_append_printf(s, "blackhole %s/%u", dst, route->prefix);
		break;
	case HOST_ROUTE_UNICAST:
		g_string_append_printf(s, "%s/%u", dst, route->prefix);
		if (route->has_gateway && inet_ntop(route->family, route->gateway, gw, sizeof(gw)))
			g_string_append_printf(s, " via %s", gw);
		if (route->oif) {
			if (if_indextoname(route->oif, name) && dev_name_valid(name, strlen(name)))
				g_string_append_printf(s, " dev %s", name);
			else
				g_string_append_printf(s, " dev #%u", route->oif);
		}
		break;
	}
	g_string_append_printf(s, " table %u metric %u", route->table, route->metric);
	return g_string_free(g_steal_pointer(&s), FALSE);
}

/* A cursor over the text: tokens are separated by exactly one space. */
struct cursor {
	const char *p;
};

/* The next token (up to a space or the end), which must be non-empty; the cursor moves past
 * the token and the single space after it. */
static bool next_token(struct cursor *c, const char **ret_tok, size_t *ret_len)
{
	size_t n = strcspn(c->p, " ");

	if (n == 0)
		return false;
	*ret_tok = c->p;
	*ret_len = n;
	c->p += n;
	if (*c->p == ' ') {
		c->p++;
		if (*c->p == '\0' || *c->p == ' ')
			return false; /* trailing or doubled space */
	}
	return true;
}

static bool token_is(const char *tok, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(tok, word, len) == 0;
}

/* decimal, no sign, no leading zeros, at most @max */
static bool parse_uint(const char *s, size_t len, uint32_t max, uint32_t *ret)
{
	uint64_t v = 0;

	if (len == 0 || len > 10 || (len > 1 && s[0] == '0'))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > max)
		return false;
	*ret = (uint32_t)v;
	return true;
}

/* an address of @family from a token that is not NUL-terminated */
static bool parse_addr(int family, const char *s, size_t len, uint8_t ret[16])
{
	char buf[INET6_ADDRSTRLEN];
	uint8_t out[16] = { 0 };

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (inet_pton(family, buf, out) != 1)
		return false;
	memcpy(ret, out, 16);
	return true;
}

/* "ADDR/PREFIX"; the family is IPv6 when the address has a ':' */
static bool parse_dst(const char *s, size_t len, int *ret_family, uint8_t ret_dst[16],
		      uint8_t *ret_prefix)
{
	const char *slash = memchr(s, '/', len);
	uint8_t dst[16];
	uint32_t prefix;
	int family;

	if (!slash)
		return false;
	family = memchr(s, ':', (size_t)(slash - s)) ? AF_INET6 : AF_INET;
	if (!parse_addr(family, s, (size_t)(slash - s), dst) ||
	    !parse_uint(slash + 1, len - (size_t)(slash - s) - 1, (uint32_t)addr_len(family) * 8,
			&prefix))
		return false;
	*ret_family = family;
	memcpy(ret_dst, dst, 16);
	*ret_prefix = (uint8_t)prefix;
	return true;
}

bool host_route_from_string(const char *text, struct host_route *ret, bool *ret_dev_gone)
{
	struct host_route r = { .type = HOST_ROUTE_UNICAST };
	struct cursor c;
	const char *tok;
	size_t len;
	bool dev_gone = false;

	if (!text || !ret || strnlen(text, ROUTE_TEXT_MAX + 1) > ROUTE_TEXT_MAX)
		return false;
	c.p = text;

	if (!next_token(&c, &tok, &len))
		return false;
	if (token_is(tok, len, "blackhole")) {
		r.type = HOST_ROUTE_BLACKHOLE;
		if (!next_token(&c, &tok, &len))
			return false;
	}
	if (!parse_dst(tok, len, &r.family, r.dst, &r.prefix))
		return false;
	if (!next_token(&c, &tok, &len))
		return false;

	if (r.type == HOST_ROUTE_UNICAST && token_is(tok, len, "via")) {
		if (!next_token(&c, &tok, &len) || !parse_addr(r.family, tok, len, r.gateway))
			return false;
		r.has_gateway = true;
		if (!next_token(&c, &tok, &len))
			return false;
	}
	if (r.type == HOST_ROUTE_UNICAST && token_is(tok, len, "dev")) {
		if (!next_token(&c, &tok, &len))
			return false;
		if (tok[0] == '#') {
			uint32_t index;

			/* written when the device had no name any more: it was gone then, and
			 * an index that exists now may well be another device */
			if (!parse_uint(tok + 1, len - 1, UINT32_MAX, &index) || index == 0)
				return false;
			dev_gone = true;
		} else {
			char name[IFNAMSIZ];

			if (!dev_name_valid(tok, len))
				return false;
			memcpy(name, tok, len);
			name[len] = '\0';
			r.oif = if_nametoindex(name);
			dev_gone = r.oif == 0;
		}
		if (!next_token(&c, &tok, &len))
			return false;
	}

	if (!token_is(tok, len, "table") || !next_token(&c, &tok, &len) ||
	    !parse_uint(tok, len, UINT32_MAX, &r.table))
		return false;
	if (!next_token(&c, &tok, &len) || !token_is(tok, len, "metric") ||
	    !next_token(&c, &tok, &len) || !parse_uint(tok, len, UINT32_MAX, &r.metric))
		return false;
	if (*c.p != '\0')
		return false;

	*ret = r;
	if (ret_dev_gone)
		*ret_dev_gone = dev_gone;
	return true;
}

bool host_route_parse_prefix(const char *text, int *ret_family, uint8_t ret_dst[16],
			     uint8_t *ret_prefix)
{
	uint8_t dst[16];
	uint8_t prefix;
	int family;
	size_t len, alen;

	if (!text)
		return false;
	len = strnlen(text, ROUTE_TEXT_MAX + 1);
	if (len > ROUTE_TEXT_MAX || !parse_dst(text, len, &family, dst, &prefix))
		return false;

	/* host bits must be zero: "10.1.2.3/8" is a typo for something, not a network */
	alen = addr_len(family);
	for (size_t bit = prefix; bit < alen * 8; bit++)
		if (dst[bit / 8] & (0x80u >> (bit % 8)))
			return false;

	*ret_family = family;
	memcpy(ret_dst, dst, 16);
	*ret_prefix = prefix;
	return true;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The UDP sockets of one connection: IKE on port 500 and NAT-T on 4500 (RFC 3947 §4), each
 * connected to the gateway. Our source ports are 500 and 4500 when they are free, ephemeral
 * otherwise (another IKE daemon may hold them); either way works through NAT, and the log
 * says which. On 4500, IKE messages carry the 4-byte non-ESP marker (RFC 3948 §2.2), added and
 * stripped here without copying the message.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct net_udp {
	int fd_ike;  /* to the gateway's 500 */
	int fd_natt; /* to the gateway's 4500 */
	struct sockaddr_storage local_ike;
	struct sockaddr_storage local_natt;
	bool ike_port_own; /* bound to 500 (else ephemeral) */
	bool natt_port_own;
};

/* Opens both sockets towards @gateway (address family decides v4/v6). -errno on failure. */
int net_udp_open(struct net_udp *u, const struct sockaddr *gateway, socklen_t gateway_len);
void net_udp_close(struct net_udp *u);
/* Sends an IKE message, on 4500 with the non-ESP marker when @natt. */
int net_udp_send_ike(struct net_udp *u, bool natt, const uint8_t *data, size_t len);
/*
 * Reads one datagram from @fd into @buf. For the NAT-T socket, an IKE message (non-ESP
 * marker) is returned without its marker and *ret_is_ike set; a 1-byte NAT keepalive is
 * skipped (0 returned); anything else is ESP (*ret_is_ike false). -EAGAIN when empty.
 */
ssize_t net_udp_recv(struct net_udp *u, int fd, uint8_t *buf, size_t cap, bool *ret_is_ike);

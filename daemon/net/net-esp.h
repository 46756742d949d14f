/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The raw IP protocol 50 socket for ESP without NAT (RFC 4303 straight over IP): connected to
 * the gateway, so that the kernel hands over only its ESP; reads include the IPv4 header,
 * writes do not. Needs CAP_NET_RAW. Behind NAT, ESP rides the UDP 4500 socket instead.
 */
#pragma once

#include <sys/socket.h>

/* A non-blocking raw ESP socket connected to @gateway (its port is ignored); -errno. */
int net_esp_open(const struct sockaddr *gateway, socklen_t gateway_len);

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IPV6CP (RFC 5072) as callbacks over ppp-fsm.h: the second network-control protocol, run
 * beside IPCP and independently of it when struct ppp_config.ipv6 is set (§2).
 *
 * Its one option is the Interface-Identifier (§4.1), the low 64 bits of each end's
 * link-local address (§5). We ask for a random non-zero one, drawn once and kept through
 * renegotiations unless the gateway objects. The gateway's own is Acked unless it is zero or
 * equal to ours; then we Nak with a random suggestion for it (§4.1). When the gateway Naks
 * ours we take its suggestion if it is non-zero and differs from the gateway's, else we draw
 * again. A Configure-Reject of the option leaves nothing to configure IPv6 with: the session
 * closes IPV6CP and stays up on IPv4. IPv6-Compression-Protocol (§4.2) and any other option
 * are Configure-Rejected.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ppp-fsm.h"

enum ppp_ipv6cp_option {
	PPP_IPV6CP_INTERFACE_ID = 1,
	PPP_IPV6CP_COMPRESSION = 2,
};

#define PPP_IPV6CP_ID_LEN 8

struct ppp_ipv6cp {
	bool want_id;     /* false once the gateway rejected the Interface-Identifier */
	bool refused;     /* ... which the session acts on by closing IPV6CP */
	uint8_t local[PPP_IPV6CP_ID_LEN];
	uint8_t peer[PPP_IPV6CP_ID_LEN]; /* the gateway's, as last Acked; zero if it did not say */
};

extern const struct ppp_fsm_callbacks ppp_ipv6cp_callbacks;

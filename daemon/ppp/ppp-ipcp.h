/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IPCP (RFC 1332) with the DNS options of RFC 1877, as callbacks over ppp-fsm.h.
 *
 * We ask for IP-Address 0.0.0.0 (§3.3) and Primary/Secondary-DNS-Address 0.0.0.0 (RFC 1877
 * §1.1, §1.3): the gateway Naks with the values it assigns, and we ask again with them.
 * If it rejects the DNS options we stop asking for them. We Ack the gateway's own
 * IP-Address and reject IP-Compression-Protocol (§3.2), the old IP-Addresses option, and
 * DNS/NBNS options in its request (those are answers for a client, not questions).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "ppp-fsm.h"

enum ppp_ipcp_option {
	PPP_IPCP_ADDRESSES = 1,
	PPP_IPCP_COMPRESSION = 2,
	PPP_IPCP_ADDRESS = 3,
	PPP_IPCP_DNS1 = 129,
	PPP_IPCP_NBNS1 = 130,
	PPP_IPCP_DNS2 = 131,
	PPP_IPCP_NBNS2 = 132,
};

struct ppp_ipcp {
	bool want_address;
	bool want_dns1;
	bool want_dns2;
	struct in_addr local;
	struct in_addr dns1;
	struct in_addr dns2;
	struct in_addr peer;   /* the gateway's, as last Acked */
};

extern const struct ppp_fsm_callbacks ppp_ipcp_callbacks;

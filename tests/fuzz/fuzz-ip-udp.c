/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The data plane's DHCP pick on hostile IP packets: no crash, and a payload that lies
 * inside the packet. */
#include <stdlib.h>

#include "dataplane/ip-udp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len = 0;
	const uint8_t *p = ip4_udp_payload(data, size, 68, &len);

	if (p && (p < data || p + len > data + size))
		abort();
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* MSS clamping on hostile IP packets: no crash, no write outside the packet, and a clamped
 * packet's MSS option is at most the limit. */
#include <stdlib.h>
#include <string.h>

#include "dataplane/mss-clamp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *p = malloc(size ? size : 1);

	if (!p)
		return 0;
	memcpy(p, data, size);
	if (mss_clamp(p, size, 1000, 980)) {
		size_t diff = 0;

		/* only the two MSS bytes and the two checksum bytes may change */
		for (size_t i = 0; i < size; i++)
			diff += p[i] != data[i];
		if (diff > 4)
			abort();
	}
	free(p);
	return 0;
}

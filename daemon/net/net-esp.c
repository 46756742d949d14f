/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <netinet/in.h>
#include <unistd.h>

#include "net-esp.h"

int net_esp_open(const struct sockaddr *gateway, socklen_t gateway_len)
{
	int fd = socket(gateway->sa_family, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_ESP);

	if (fd < 0)
		return -errno;
	if (connect(fd, gateway, gateway_len) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

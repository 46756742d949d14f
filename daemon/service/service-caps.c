/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <gio/gio.h>

#include "service-caps.h"

static const unsigned service_kept_caps[] = { CAP_NET_ADMIN, CAP_NET_BIND_SERVICE, CAP_NET_RAW };

static bool service_cap_kept(unsigned cap)
{
	for (size_t i = 0; i < G_N_ELEMENTS(service_kept_caps); i++)
		if (service_kept_caps[i] == cap)
			return true;
	return false;
}

bool service_drop_capabilities(GError **error)
{
	struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { { 0 } };

	struct __user_cap_data_struct now[_LINUX_CAPABILITY_U32S_3] = { { 0 } };
	bool extra = false;

	/* the bounding set first (needs CAP_SETPCAP, which goes with the rest below); under
	 * systemd's CapabilityBoundingSet there is nothing left to drop */
	for (unsigned cap = 0; cap <= 63; cap++) {
		int in = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);

		if (in < 0)
			break; /* past the last capability this kernel knows */
		if (!in || service_cap_kept(cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
			if (errno == EINVAL)
				break; /* past the last capability this kernel knows */
			if (errno == EPERM)
				continue; /* not ours to drop: it is not in the set either */
			g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
				    "cannot drop capability %u from the bounding set: %s", cap,
				    g_strerror(errno));
			return false;
		}
	}
	for (size_t i = 0; i < G_N_ELEMENTS(service_kept_caps); i++) {
		unsigned cap = service_kept_caps[i];

		data[cap / 32].effective |= 1u << (cap % 32);
		data[cap / 32].permitted |= 1u << (cap % 32);
	}
	/* capset only when something is to go: a unit's SystemCallFilter may forbid it */
	if (syscall(SYS_capget, &header, now) < 0) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
			    "cannot read roadied's capabilities: %s", g_strerror(errno));
		return false;
	}
	for (size_t i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		if (now[i].effective != data[i].effective || now[i].permitted != data[i].permitted ||
		    now[i].inheritable)
			extra = true;
	if (extra && syscall(SYS_capset, &header, data) < 0) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
			    "cannot limit roadied's capabilities to CAP_NET_ADMIN, "
			    "CAP_NET_BIND_SERVICE and CAP_NET_RAW: %s",
			    g_strerror(errno));
		return false;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
			    "cannot set no_new_privs: %s", g_strerror(errno));
		return false;
	}
	return true;
}

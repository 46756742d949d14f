/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzzes Connect's arguments as roadied checks them (daemon/service/service-args.c): the
 * bytes are a serialised (a{sv}a{sv}a{sv}) in GVariant's format, as GDBus hands them over
 * after its own checks (normal form, so trusted: like GDBus, untrusted bytes are first
 * brought to normal form with g_variant_get_normal_form).
 *
 * Beyond "no crash, no leak": a refusal names an error of the API and a message that starts
 * with a key ("connection.gateway: ..."), and an accepted profile has a name and a gateway.
 */
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "../../../daemon/service/service-args.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GBytes) bytes = g_bytes_new(data, size);
	g_autoptr(GVariant) raw =
		g_variant_new_from_bytes(G_VARIANT_TYPE("(a{sv}a{sv}a{sv})"), bytes, FALSE);
	g_autoptr(GVariant) args = g_variant_ref_sink(g_variant_get_normal_form(raw));
	g_autoptr(GVariant) settings = g_variant_get_child_value(args, 0);
	g_autoptr(GVariant) secrets = g_variant_get_child_value(args, 1);
	g_autoptr(GVariant) options = g_variant_get_child_value(args, 2);
	g_autofree char *message = NULL;
	struct service_options opts;
	const char *name = NULL;
	g_autoptr(RoadieProfile) profile =
		service_args_parse(settings, secrets, options, &opts, &name, &message);

	if (!profile) {
		const char *colon;

		if (!name || !message || !g_utf8_validate(message, -1, NULL))
			abort();
		if (strcmp(name, "InvalidSettings") != 0 && strcmp(name, "InvalidSecrets") != 0)
			abort();
		colon = strstr(message, ": ");
		if (!colon || colon == message)
			abort();
		return 0;
	}
	if (message || !profile->name || !profile->name[0] || !profile->gateway)
		abort();
	return 0;
}

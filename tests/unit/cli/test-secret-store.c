/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The keyring glue (libroadie/secret-store.h): a keyring that is not there is "not found",
 * silently and at once, and storing says why it cannot. */
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#ifndef ROADIE_NO_LIBSECRET
#include <libsecret/secret.h>
#endif

#include "secret-store.h"

/* No session bus at all: nothing may be started to find one (no dbus-launch). */
static void test_no_session_bus(void)
{
	g_autofree char *runtime = g_dir_make_tmp("roadie-secret-store-XXXXXX", NULL);
	g_autoptr(RoadieSecret) value = roadie_secret_new("x");
	g_autoptr(GError) error = NULL;

	g_assert_nonnull(runtime);
	g_unsetenv("DBUS_SESSION_BUS_ADDRESS");
	g_setenv("XDG_RUNTIME_DIR", runtime, TRUE);
	g_assert_null(roadie_secret_store_lookup("office", "ipsec-psk"));
	g_assert_false(roadie_secret_store_save("office", "ipsec-psk", value, &error));
	g_assert_nonnull(error);
#ifndef ROADIE_NO_LIBSECRET
	g_assert_nonnull(strstr(error->message, "no keyring is reachable"));
#endif
	g_clear_error(&error);
	g_assert_false(roadie_secret_store_clear("office", "ipsec-psk", &error));
	g_assert_nonnull(error);
	g_rmdir(runtime);
}

/* A session bus without a Secret Service on it (and none it can start). */
static void test_no_secret_service(void)
{
	g_autoptr(GTestDBus) bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_autoptr(RoadieSecret) value = roadie_secret_new("x");
	g_autoptr(GError) error = NULL;
	gint64 start;

	g_test_dbus_up(bus);
	start = g_get_monotonic_time();
	g_assert_null(roadie_secret_store_lookup("office", "password"));
	g_assert_cmpint(g_get_monotonic_time() - start, <, 10 * G_USEC_PER_SEC);
	g_assert_false(roadie_secret_store_save("office", "password", value, &error));
	g_assert_nonnull(error);
	/* libsecret keeps its Secret Service proxy, and with it the bus connection, for the
	 * life of the process, and a call still in flight on GDBus's worker thread may hold it
	 * a while longer. g_test_dbus_down() waits 30 s for that connection to be finalised
	 * and aborts the test otherwise (seen twice under ASan in CI, even after
	 * secret_service_disconnect()); g_test_dbus_stop() ends the bus without that wait. */
#ifndef ROADIE_NO_LIBSECRET
	secret_service_disconnect();
#endif
	g_test_dbus_stop(bus);
}

/* Bad arguments are "not found", not a crash. */
static void test_null_arguments(void)
{
	g_assert_null(roadie_secret_store_lookup(NULL, "ipsec-psk"));
	g_assert_null(roadie_secret_store_lookup("office", NULL));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/secret-store/no-session-bus", test_no_session_bus);
	g_test_add_func("/secret-store/no-secret-service", test_no_secret_service);
	g_test_add_func("/secret-store/null-arguments", test_null_arguments);
	return g_test_run();
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The applet tests' private system bus and roadie-daemon-standin (applet-test-bus.h).
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <glib.h>
#include <gio/gio.h>

#include "applet-test-bus.h"

#ifndef STANDIN_PATH
#error "applet-test-bus.c needs -DSTANDIN_PATH (tests/gui/meson.build)"
#endif

/* Children end with the test, also when an assertion aborts it. */
static void child_setup(gpointer data)
{
	prctl(PR_SET_PDEATHSIG, SIGTERM);
}

/* The private bus is the children's system bus (the stand-in's, and the one dbus-daemon
 * activates); the test process itself is handed its connection and changes no variable. */
static GSubprocess *spawn(AppletTestBus *tb, GSubprocessFlags flags, GError **error,
			  const char *const *argv)
{
	g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(flags);

	g_subprocess_launcher_setenv(launcher, "DBUS_SYSTEM_BUS_ADDRESS", tb->address, TRUE);
	g_subprocess_launcher_set_child_setup(launcher, child_setup, NULL, NULL);
	return g_subprocess_launcher_spawnv(launcher, argv, error);
}

/* The first line a child prints on its stdout: the sign that it is ready. */
static char *read_first_line(GSubprocess *child)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDataInputStream) out =
		g_data_input_stream_new(g_subprocess_get_stdout_pipe(child));
	char *line = g_data_input_stream_read_line(out, NULL, NULL, &error);

	g_assert_no_error(error);
	return line;
}

GDBusConnection *applet_test_bus_connect(AppletTestBus *tb)
{
	g_autoptr(GError) error = NULL;
	GDBusConnection *bus = g_dbus_connection_new_for_address_sync(
		tb->address,
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL, NULL, &error);

	g_assert_no_error(error);
	return bus;
}

void applet_test_bus_start(AppletTestBus *tb, const char *tmp_template, bool activation)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *servicedir = NULL;
	g_autofree char *conf = NULL;
	g_autofree char *conf_path = NULL;
	g_autofree char *line = NULL;

	tb->tmp = g_dir_make_tmp(tmp_template, &error);
	g_assert_no_error(error);
	tb->record = g_build_filename(tb->tmp, "record", NULL);
	if (activation) {
		tb->services = g_build_filename(tb->tmp, "services", NULL);
		g_assert_cmpint(g_mkdir_with_parents(tb->services, 0700), ==, 0);
		servicedir = g_strdup_printf("<servicedir>%s</servicedir>", tb->services);
	}

	/* the children take it for the system bus; it starts services only from our own
	 * directory, if the test asked for one */
	conf = g_strdup_printf(
		"<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration "
		"1.0//EN\"\n"
		" \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
		"<busconfig><type>session</type><listen>unix:path=%s/bus</listen>"
		"<auth>EXTERNAL</auth>%s"
		"<policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
		"<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n",
		tb->tmp, servicedir ? servicedir : "");
	conf_path = g_build_filename(tb->tmp, "bus.conf", NULL);
	g_assert_true(g_file_set_contents(conf_path, conf, -1, NULL));
	tb->address = g_strdup_printf("unix:path=%s/bus", tb->tmp);
	/* dbus-daemon prints its address once it listens (the socket file comes before that) */
	tb->bus_daemon = spawn(
		tb, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
		(const char *const[]){"dbus-daemon", "--config-file", conf_path, "--nofork",
				      "--nopidfile", "--print-address=1", NULL});
	g_assert_no_error(error);
	line = read_first_line(tb->bus_daemon);
	g_assert_nonnull(line);
	tb->bus = applet_test_bus_connect(tb);
}

void applet_test_bus_standin_stop(AppletTestBus *tb)
{
	if (!tb->standin)
		return;
	g_subprocess_send_signal(tb->standin, SIGTERM);
	g_subprocess_wait(tb->standin, NULL, NULL);
	g_clear_object(&tb->standin);
}

void applet_test_bus_standin_start(AppletTestBus *tb, const char *script)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *line = NULL;

	applet_test_bus_standin_stop(tb);
	tb->standin =
		spawn(tb, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
		      (const char *const[]){STANDIN_PATH, "--record", tb->record, "--script",
					    script, "--step-ms", "30", "--linger-ms", "300", NULL});
	g_assert_no_error(error);
	line = read_first_line(tb->standin);
	g_assert_cmpstr(line, ==, "ready");
}

void applet_test_bus_stop(AppletTestBus *tb)
{
	g_autofree char *rm = g_strdup_printf("rm -rf '%s'", tb->tmp);

	applet_test_bus_standin_stop(tb);
	/* let what the bus still delivers run before it closes */
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_dbus_connection_close_sync(tb->bus, NULL, NULL);
	g_clear_object(&tb->bus);
	g_subprocess_send_signal(tb->bus_daemon, SIGTERM);
	g_subprocess_wait(tb->bus_daemon, NULL, NULL);
	g_clear_object(&tb->bus_daemon);
	g_assert_cmpint(system(rm), ==, 0);
	g_clear_pointer(&tb->tmp, g_free);
	g_clear_pointer(&tb->services, g_free);
	g_clear_pointer(&tb->record, g_free);
	g_clear_pointer(&tb->address, g_free);
}

bool applet_test_bus_wait_until(AppletTestBusCond cond, gpointer data, unsigned ms)
{
	gint64 end = g_get_monotonic_time() + (gint64)ms * 1000;

	while (!cond(data)) {
		if (g_get_monotonic_time() > end)
			return false;
		if (!g_main_context_iteration(NULL, FALSE))
			g_usleep(2000);
	}
	return true;
}

void applet_test_bus_write_file(const char *dir, const char *name, const char *text)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autoptr(GError) error = NULL;

	g_assert_true(g_file_set_contents(path, text, -1, &error));
	g_assert_no_error(error);
}

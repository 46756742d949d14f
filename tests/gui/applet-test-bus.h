/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The applet tests' system bus (test-applet-model.c, test-applet-details.c): a private
 * dbus-daemon in a temporary directory of the test's own, and roadie-daemon-standin
 * (tests/unit/cli/) on it when a test starts one. The children take that bus for the system
 * bus (DBUS_SYSTEM_BUS_ADDRESS); the test process itself changes no variable and uses @bus.
 *
 * The program that links this is built with -DSTANDIN_PATH="..." (tests/gui/meson.build).
 */
#pragma once

#include <stdbool.h>
#include <glib.h>
#include <gio/gio.h>

typedef struct {
	char *tmp;      /* the test's directory, removed by applet_test_bus_stop() */
	char *services; /* TMP/services, the bus's activation directory; NULL without one */
	char *record;   /* TMP/record: what a stand-in received (its --record) */
	char *address;  /* the private bus's address */
	GSubprocess *bus_daemon;
	GSubprocess *standin; /* NULL while none runs */
	GDBusConnection *bus; /* the test's connection to the private bus */
} AppletTestBus;

/* A test's waiting condition, called with the test's data between main-loop iterations. */
typedef bool (*AppletTestBusCond)(gpointer data);

/* Makes @tb->tmp from @tmp_template (g_dir_make_tmp()), starts dbus-daemon there, waits until
 * it says it listens and connects @tb->bus. With @activation, the bus starts services from the
 * files a test writes into @tb->services. Fails the test on any error. */
void applet_test_bus_start(AppletTestBus *tb, const char *tmp_template, bool activation);

/* Stops the stand-in if one runs, lets what the bus still delivers run, closes the
 * connection, ends dbus-daemon, removes @tb->tmp and frees what start made. */
void applet_test_bus_stop(AppletTestBus *tb);

/* A new connection to the private bus (for a service inside the test), or the test fails. */
GDBusConnection *applet_test_bus_connect(AppletTestBus *tb);

/* Ends the running stand-in, if any, then starts roadie-daemon-standin with @script and
 * returns once it owns its name (its line "ready"). */
void applet_test_bus_standin_start(AppletTestBus *tb, const char *script);
void applet_test_bus_standin_stop(AppletTestBus *tb);

/* Iterates the default main context until @cond(@data) holds: false after @ms without. */
bool applet_test_bus_wait_until(AppletTestBusCond cond, gpointer data, unsigned ms);

/* Writes @text to DIR/NAME, or the test fails. */
void applet_test_bus_write_file(const char *dir, const char *name, const char *text);

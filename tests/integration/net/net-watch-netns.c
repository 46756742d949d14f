/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * net-watch against the real kernel, in a private network namespace this program makes for
 * itself (unshare(CLONE_NEWNET)): a new address or a device going down is reported once
 * after the quiet period and shows in the snapshot; roadie's own devices (roadie*) are
 * reported by the kernel but leave the snapshot as it was. Needs root; skipped otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib.h>

#include "net/net-watch.h"

static bool have_netns;
static unsigned fired;

static bool run(const char *cmd)
{
	g_autoptr(GError) error = NULL;
	int status = 0;

	if (!g_spawn_command_line_sync(cmd, NULL, NULL, &status, &error))
		return false;
	return g_spawn_check_wait_status(status, NULL);
}

static void on_changed(void *user)
{
	(void)user;
	fired++;
}

static gboolean on_timeout(gpointer data)
{
	*(bool *)data = true;
	return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms and returns how often the watch fired meanwhile. */
static unsigned wait_ms(unsigned ms)
{
	bool over = false;
	unsigned before = fired;

	g_timeout_add(ms, on_timeout, &over);
	while (!over)
		g_main_context_iteration(NULL, TRUE);
	return fired - before;
}

static bool skip(void)
{
	if (!have_netns) {
		g_test_skip("needs root and unshare(CLONE_NEWNET)");
		return true;
	}
	return false;
}

static struct sockaddr_in v4(const char *text)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };

	g_assert_cmpint(inet_pton(AF_INET, text, &sin.sin_addr), ==, 1);
	return sin;
}

static void test_watch(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *before = NULL, *after = NULL, *again = NULL, *down = NULL;
	struct net_watch *w;
	struct sockaddr_in a = v4("198.51.100.2"), b = v4("198.51.100.3");
	char ifname[IF_NAMESIZE] = "";

	if (skip())
		return;
	g_assert_true(run("ip link add d0 type veth peer name d0p"));
	g_assert_true(run("ip link set d0p up"));
	g_assert_true(run("ip link set d0 up"));
	w = net_watch_new(300, on_changed, NULL, &error);
	g_assert_no_error(error);
	before = net_watch_snapshot();
	g_assert_nonnull(before);
	g_assert_cmpint(net_watch_address_state((struct sockaddr *)&a, NULL), ==, NET_ADDRESS_GONE);

	/* a burst: two addresses; one report after the quiet period */
	g_assert_true(run("ip addr add 198.51.100.2/24 dev d0"));
	g_assert_true(run("ip addr add 2001:db8::2/64 dev d0 nodad"));
	g_assert_cmpuint(wait_ms(1000), ==, 1);
	after = net_watch_snapshot();
	g_assert_cmpstr(before, !=, after);
	g_assert_nonnull(strstr(after, "d0 up 198.51.100.2\n"));
	g_assert_nonnull(strstr(after, "d0 up 2001:db8::2\n"));
	g_assert_cmpint(net_watch_address_state((struct sockaddr *)&a, ifname), ==, NET_ADDRESS_UP);
	g_assert_cmpstr(ifname, ==, "d0");
	g_assert_cmpint(net_watch_address_state((struct sockaddr *)&b, NULL), ==, NET_ADDRESS_GONE);

	/* roadie's own device: the kernel tells, the snapshot stays */
	g_assert_true(run("ip link add roadie7 type veth peer name roadie7p"));
	g_assert_true(run("ip addr add 192.0.2.1/32 dev roadie7"));
	g_assert_true(run("ip link set roadie7 up"));
	g_assert_cmpuint(wait_ms(800), >=, 1);
	again = net_watch_snapshot();
	g_assert_cmpstr(after, ==, again);

	/* the device goes down: its addresses leave the snapshot's "up" lines */
	g_assert_true(run("ip link set d0 down"));
	g_assert_cmpuint(wait_ms(800), ==, 1);
	down = net_watch_snapshot();
	g_assert_null(strstr(down, "d0 up"));
	g_assert_cmpint(net_watch_address_state((struct sockaddr *)&a, ifname), ==, NET_ADDRESS_DOWN);
	g_assert_cmpstr(ifname, ==, "d0");

	/* nothing happens: nothing is reported */
	g_assert_cmpuint(wait_ms(600), ==, 0);
	net_watch_free(w);
	g_assert_true(run("ip link del roadie7"));
	g_assert_true(run("ip link del d0"));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	have_netns = geteuid() == 0 && unshare(CLONE_NEWNET) == 0 && run("ip link set lo up");
	g_test_add_func("/net/watch/netns", test_watch);
	return g_test_run();
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>
#include <glib.h>

#include "secret.h"

static void test_basic(void)
{
	g_autoptr(RoadieSecret) a = roadie_secret_new("lab-l2tp-psk");
	g_autoptr(RoadieSecret) b = roadie_secret_dup(a);
	g_autoptr(RoadieSecret) c = roadie_secret_new("lab-l2tp-psK");
	g_autoptr(RoadieSecret) bin = roadie_secret_new_len("a\0b", 3);

	g_assert_cmpstr(roadie_secret_peek(a), ==, "lab-l2tp-psk");
	g_assert_cmpuint(roadie_secret_len(a), ==, 12);
	g_assert_true(roadie_secret_equal(a, b));
	g_assert_false(roadie_secret_equal(a, c));
	g_assert_false(roadie_secret_equal(a, NULL));
	g_assert_true(roadie_secret_equal(NULL, NULL));
	g_assert_cmpuint(roadie_secret_len(bin), ==, 3);
	g_assert_cmpmem(roadie_secret_peek(bin), 3, "a\0b", 3);
	g_assert_null(roadie_secret_new(NULL));
	g_assert_null(roadie_secret_free(NULL));
	g_assert_null(roadie_secret_peek(NULL));
}

static void test_take_wipes_original(void)
{
	/* The original string is wiped before it is freed; check the wipe on a buffer we keep. */
	char keep[] = "hunter2";
	char *copy = g_strdup(keep);
	g_autoptr(RoadieSecret) s = roadie_secret_new_take(copy);

	g_assert_cmpstr(roadie_secret_peek(s), ==, "hunter2");
	roadie_wipe(keep, strlen(keep));
	for (size_t i = 0; i < sizeof(keep) - 1; i++)
		g_assert_cmpint(keep[i], ==, 0);
	roadie_wipe_str(NULL);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/secret/basic", test_basic);
	g_test_add_func("/secret/take-wipes-original", test_take_wipes_original);
	return g_test_run();
}

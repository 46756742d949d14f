/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nm-roadie-files.c: a private connection's certificate files are read with its owner's
 * rights only. Runs as root (CI does); "nobody" stands in for the owner.
 */
#include <string.h>
#include <glib/gstdio.h>
#include <pwd.h>
#include <unistd.h>
#include <NetworkManager.h>

#include "nm-roadie-files.h"

static char *dir;

static char *write_file(const char *name, const char *text, int mode)
{
	char *path = g_build_filename(dir, name, NULL);

	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	g_assert_cmpint(g_chmod(path, mode), ==, 0);
	return path;
}

static NMConnection *connection_for(const char *user)
{
	NMConnection *connection = nm_simple_connection_new();
	NMSettingConnection *s_con = NM_SETTING_CONNECTION(nm_setting_connection_new());

	g_object_set(s_con, NM_SETTING_CONNECTION_ID, "office", NM_SETTING_CONNECTION_TYPE,
		     NM_SETTING_VPN_SETTING_NAME, NULL);
	if (user)
		g_assert_true(nm_setting_connection_add_permission(s_con, "user", user, NULL));
	nm_connection_add_setting(connection, NM_SETTING(s_con));
	return connection;
}

static RoadieProfile *cert_profile(const char *cert, const char *ca)
{
	RoadieProfile *profile = roadie_profile_new();

	profile->ipsec_auth = ROADIE_IPSEC_AUTH_CERT;
	profile->certificate = g_strdup(cert);
	profile->ca_certificate = g_strdup(ca);
	return profile;
}

static void skip_unless_root(void)
{
	if (geteuid() != 0 || !getpwnam("nobody"))
		g_test_skip("needs root and the user nobody");
}

/* what the owner may read reaches roadied as contents, and the paths go */
static void test_owner_reads(void)
{
	g_autofree char *cert = NULL, *ca = NULL;
	g_autoptr(RoadieProfile) profile = NULL;
	g_autoptr(NMConnection) connection = NULL;
	g_autoptr(GError) error = NULL;

	skip_unless_root();
	if (geteuid() != 0)
		return;
	cert = write_file("world.pem", "CERT", 0644);
	ca = write_file("ca.pem", "CA", 0644);
	profile = cert_profile(cert, ca);
	connection = connection_for("nobody");
	g_assert_true(nm_roadie_files_load(profile, connection, &error));
	g_assert_no_error(error);
	g_assert_nonnull(profile->certificate_data);
	g_assert_cmpmem(g_bytes_get_data(profile->certificate_data, NULL),
			g_bytes_get_size(profile->certificate_data), "CERT", 4);
	g_assert_cmpmem(g_bytes_get_data(profile->ca_certificate_data, NULL),
			g_bytes_get_size(profile->ca_certificate_data), "CA", 2);
	g_assert_null(profile->private_key_data);
	g_assert_null(profile->certificate);
	g_assert_null(profile->ca_certificate);
	/* the service itself is still root */
	g_assert_cmpint(geteuid(), ==, 0);
	g_assert_cmpint(getuid(), ==, 0);
}

/* root's own file is not the owner's: refused, naming the owner and the file */
static void test_owner_refused(void)
{
	g_autofree char *cert = NULL;
	g_autoptr(RoadieProfile) profile = NULL;
	g_autoptr(NMConnection) connection = NULL;
	g_autoptr(GError) error = NULL;

	skip_unless_root();
	if (geteuid() != 0)
		return;
	cert = write_file("root-only.pem", "SECRET", 0600);
	profile = cert_profile(cert, NULL);
	connection = connection_for("nobody");
	g_assert_false(nm_roadie_files_load(profile, connection, &error));
	g_assert_nonnull(error);
	g_test_message("%s", error->message);
	g_assert_nonnull(strstr(error->message, "as the connection's owner nobody"));
	g_assert_nonnull(strstr(error->message, cert));
	g_assert_nonnull(strstr(error->message, "permission denied"));
	g_assert_null(profile->certificate_data);
	g_assert_cmpstr(profile->certificate, ==, cert);
	g_assert_cmpint(geteuid(), ==, 0);

	/* a system-wide connection (no owner) is read as root */
	g_clear_object(&connection);
	g_clear_error(&error);
	connection = connection_for(NULL);
	g_assert_true(nm_roadie_files_load(profile, connection, &error));
	g_assert_nonnull(profile->certificate_data);
}

static void test_unknown_owner_and_psk(void)
{
	g_autoptr(RoadieProfile) profile = cert_profile("/nonexistent/cert.pem", NULL);
	g_autoptr(NMConnection) connection = connection_for("no-such-user-roadie");
	g_autoptr(GError) error = NULL;

	g_assert_false(nm_roadie_files_load(profile, connection, &error));
	g_assert_nonnull(strstr(error->message, "does not exist on this machine"));
	/* with a PSK there is nothing to read */
	profile->ipsec_auth = ROADIE_IPSEC_AUTH_PSK;
	g_clear_error(&error);
	g_assert_true(nm_roadie_files_load(profile, connection, &error));
	g_assert_null(profile->certificate_data);
}

int main(int argc, char **argv)
{
	int status;

	g_test_init(&argc, &argv, NULL);
	dir = g_dir_make_tmp("nm-roadie-files-XXXXXX", NULL);
	g_assert_nonnull(dir);
	/* nobody must be able to walk to the files it may read */
	g_assert_cmpint(g_chmod(dir, 0755), ==, 0);
	g_test_add_func("/nm-service/files/owner-reads", test_owner_reads);
	g_test_add_func("/nm-service/files/owner-refused", test_owner_refused);
	g_test_add_func("/nm-service/files/unknown-owner-and-psk", test_unknown_owner_and_psk);
	status = g_test_run();
	for (const char *const *n = (const char *const[]){ "world.pem", "ca.pem", "root-only.pem", NULL };
	     *n; n++) {
		g_autofree char *path = g_build_filename(dir, *n, NULL);

		g_unlink(path);
	}
	g_rmdir(dir);
	g_free(dir);
	return status;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * NetworkManager's auth-dialog input (auth-input.h): a bounded read up to DONE, a check of the
 * record structure, then libnm's parser.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gi18n.h>
#include <NetworkManager.h>

#include "secret.h"

#include "auth-input.h"

/* Where a line may come in the record structure (auth-input.h). */
typedef enum {
	INPUT_BETWEEN,    /* before a record: a KEY line, a blank line or DONE */
	INPUT_DATA_KEY,   /* after DATA_KEY=: continuation or DATA_VAL= */
	INPUT_SECRET_KEY, /* after SECRET_KEY=: continuation or SECRET_VAL= */
	INPUT_VALUE,      /* after a VAL: continuation, blank, the next KEY or DONE */
	INPUT_DONE,
} InputState;

typedef struct {
	InputState state;
	unsigned n_data;    /* records, to catch a key given twice */
	unsigned n_secrets;
} InputCheck;

static bool input_key_line(const char *line, const char *tag)
{
	/* a key with no name is no key */
	return g_str_has_prefix(line, tag) && line[strlen(tag)] != '\0';
}

/* Advances @check by one line (without its '\n'); false if the line cannot come here. */
static bool input_check_line(InputCheck *check, const char *line)
{
	bool at_record_start = check->state == INPUT_BETWEEN || check->state == INPUT_VALUE;

	if (line[0] == '=' &&
	    (check->state == INPUT_DATA_KEY || check->state == INPUT_SECRET_KEY ||
	     check->state == INPUT_VALUE))
		return true; /* a continuation: the value (or key) goes on */
	if (at_record_start && line[0] == '\0') {
		check->state = INPUT_BETWEEN;
		return true;
	}
	if (at_record_start && strcmp(line, "DONE") == 0) {
		check->state = INPUT_DONE;
		return true;
	}
	if (at_record_start && input_key_line(line, "DATA_KEY=")) {
		check->state = INPUT_DATA_KEY;
		check->n_data++;
		return true;
	}
	if (at_record_start && input_key_line(line, "SECRET_KEY=")) {
		check->state = INPUT_SECRET_KEY;
		check->n_secrets++;
		return true;
	}
	if (check->state == INPUT_DATA_KEY && g_str_has_prefix(line, "DATA_VAL=")) {
		check->state = INPUT_VALUE;
		return true;
	}
	if (check->state == INPUT_SECRET_KEY && g_str_has_prefix(line, "SECRET_VAL=")) {
		check->state = INPUT_VALUE;
		return true;
	}
	return false;
}

/* One byte; 1, 0 at the end, -1 on an error (errno). Waits when @fd is non-blocking. */
static int input_read_byte(int fd, char *ret_c)
{
	for (;;) {
		ssize_t n = read(fd, ret_c, 1);
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		if (n >= 0)
			return (int)n;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -1;
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			return -1;
	}
}

/*
 * Reads up to and including the DONE line into @buf, checking each line. Byte by byte, so
 * that nothing after DONE (the agent's QUIT) is taken from the pipe.
 */
static bool input_read_checked(int fd, GString *buf, InputCheck *check, GError **error)
{
	size_t line_start = 0;
	unsigned line_no = 1;

	while (check->state != INPUT_DONE) {
		char c;
		int r;

		if (buf->len >= AUTH_INPUT_MAX) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
				    _("the connection's details are longer than %u bytes"),
				    (unsigned)AUTH_INPUT_MAX);
			return false;
		}
		r = input_read_byte(fd, &c);
		if (r < 0) {
			g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
				    _("cannot read the connection's details: %s"),
				    g_strerror(errno));
			return false;
		}
		if (r == 0) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
				    _("the connection's details end before their DONE line "
				      "(line %u)"),
				    line_no);
			return false;
		}
		if (c == '\0') {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				    _("line %u of the connection's details holds a NUL byte"),
				    line_no);
			return false;
		}
		g_string_append_c(buf, c);
		if (c != '\n')
			continue;
		/* the line without its '\n'; never quoted in a message: it may be a secret */
		buf->str[buf->len - 1] = '\0';
		if (!input_check_line(check, buf->str + line_start)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				    _("line %u of the connection's details is not what NetworkManager "
				      "sends (DATA_KEY=, DATA_VAL=, SECRET_KEY=, SECRET_VAL=, DONE)"),
				    line_no);
			return false;
		}
		buf->str[buf->len - 1] = '\n';
		line_start = buf->len;
		line_no++;
	}
	return true;
}

/* libnm's parser reads a file descriptor: give it the checked bytes from memory. */
static bool input_parse(const GString *buf, const InputCheck *check, GHashTable **ret_data,
			GHashTable **ret_secrets, GError **error)
{
	g_autoptr(GHashTable) data = NULL;
	g_autoptr(GHashTable) secrets = NULL;
	int fd = memfd_create("nm-roadie-auth-input", MFD_CLOEXEC);
	bool parsed = false;

	if (fd < 0) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
			    _("cannot read the connection's details: %s"), g_strerror(errno));
		return false;
	}
	if (write(fd, buf->str, buf->len) == (ssize_t)buf->len && lseek(fd, 0, SEEK_SET) == 0)
		parsed = nm_vpn_service_plugin_read_vpn_details(fd, &data, &secrets);
	/* the memory file held the secrets: overwrite them before it goes */
	for (size_t off = 0; off < buf->len;) {
		static const char zeros[4096];
		size_t n = MIN(sizeof(zeros), buf->len - off);
		ssize_t w = pwrite(fd, zeros, n, (off_t)off);

		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(fd);

	if (!parsed || !data || !secrets) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				    _("the connection's details hold no vpn.data"));
		return false;
	}
	if (g_hash_table_size(data) != check->n_data ||
	    g_hash_table_size(secrets) != check->n_secrets) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
				    _("the connection's details name a key twice"));
		return false;
	}
	*ret_data = g_steal_pointer(&data);
	*ret_secrets = g_steal_pointer(&secrets);
	return true;
}

bool auth_input_read(int fd, GHashTable **ret_data, GHashTable **ret_secrets, GError **error)
{
	GString *buf = g_string_sized_new(1024);
	InputCheck check = { .state = INPUT_BETWEEN };
	bool ok = input_read_checked(fd, buf, &check, error) &&
		  input_parse(buf, &check, ret_data, ret_secrets, error);

	roadie_wipe(buf->str, buf->allocated_len);
	g_string_free(buf, TRUE);
	return ok;
}

void auth_input_wait_for_quit(int fd, int timeout_ms)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	char tail[16] = "";
	size_t tail_len = 0;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		gint64 left = (deadline - g_get_monotonic_time()) / 1000;
		char chunk[64];
		ssize_t n;

		if (left <= 0)
			return;
		if (poll(&pfd, 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return; /* closed: the agent is done with us */
		/* keep the last few bytes: QUIT may arrive split over reads */
		for (ssize_t i = 0; i < n; i++) {
			if (tail_len == sizeof(tail) - 1) {
				memmove(tail, tail + 1, tail_len - 1);
				tail_len--;
			}
			tail[tail_len++] = chunk[i];
			tail[tail_len] = '\0';
			if (strstr(tail, "QUIT"))
				return;
		}
	}
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * status (a table, or JSON) and monitor (a line per change until Ctrl-C). Both read
 * roadied's connections through its ObjectManager and never start roadied: when it is not
 * running there are no connections.
 */
#include <stdio.h>
#include <stdarg.h>
#include <string.h>
#include <glib.h>
#include <glib-unix.h>

#include "cli.h"

static char *status_since(guint64 usec)
{
	g_autoptr(GDateTime) t = NULL;

	if (usec == 0)
		return g_strdup("-");
	t = g_date_time_new_from_unix_local((gint64)(usec / G_USEC_PER_SEC));
	return t ? g_date_time_format(t, "%Y-%m-%d %H:%M:%S") : g_strdup("-");
}

static char *status_address(RoadieConnection1 *c)
{
	GVariant *ip4 = roadie_connection1_get_ip4_config(c);
	const char *address = NULL;

	if (ip4 && g_variant_lookup(ip4, "address", "&s", &address) && *address)
		return g_strdup(address);
	return g_strdup("-");
}

/* g_format_size() puts a no-break space before the unit; a plain one suits awk and cut */
static char *status_bytes(guint64 bytes)
{
	g_autofree char *text = g_format_size(bytes);
	GString *s = g_string_new(text);

	g_string_replace(s, "\xc2\xa0", " ", 0);
	return g_string_free(s, FALSE);
}

static const char *dash(const char *s)
{
	return s && *s ? s : "-";
}

/* JSON string: quotes, backslashes and control characters escaped; roadied's strings
 * are UTF-8 (D-Bus requires it), so other bytes pass as they are. */
static void json_string(GString *out, const char *s)
{
	g_string_append_c(out, '"');
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_printf(out, "\\%c", *p);
		else if (*p < 0x20)
			g_string_append_printf(out, "\\u%04x", *p);
		else
			g_string_append_c(out, (char)*p);
	}
	g_string_append_c(out, '"');
}

/* An a{sv} of strings, numbers and string lists (Ip4Config, Ip6Config) or an a{ss}
 * (Negotiated) as a JSON object. */
static void json_dict(GString *out, GVariant *dict)
{
	GVariantIter iter;
	const char *key;
	GVariant *value;
	bool first = true;

	g_string_append_c(out, '{');
	if (dict && (g_variant_is_of_type(dict, G_VARIANT_TYPE_VARDICT) ||
		     g_variant_is_of_type(dict, G_VARIANT_TYPE("a{ss}")))) {
		bool vardict = g_variant_is_of_type(dict, G_VARIANT_TYPE_VARDICT);

		g_variant_iter_init(&iter, dict);
		while (g_variant_iter_next(&iter, vardict ? "{&sv}" : "{&s@s}", &key, &value)) {
			if (!first)
				g_string_append(out, ", ");
			first = false;
			json_string(out, key);
			g_string_append(out, ": ");
			if (g_variant_is_of_type(value, G_VARIANT_TYPE_STRING)) {
				json_string(out, g_variant_get_string(value, NULL));
			} else if (g_variant_is_of_type(value, G_VARIANT_TYPE_UINT32)) {
				g_string_append_printf(out, "%u", g_variant_get_uint32(value));
			} else if (g_variant_is_of_type(value, G_VARIANT_TYPE_STRING_ARRAY)) {
				g_autofree const char **v = g_variant_get_strv(value, NULL);

				g_string_append_c(out, '[');
				for (size_t i = 0; v[i]; i++) {
					if (i)
						g_string_append(out, ", ");
					json_string(out, v[i]);
				}
				g_string_append_c(out, ']');
			} else {
				g_string_append(out, "null");
			}
			g_variant_unref(value);
		}
	}
	g_string_append_c(out, '}');
}

static void status_json(GPtrArray *objects)
{
	g_autoptr(GString) out = g_string_new("[");

	for (guint i = 0; i < objects->len; i++) {
		RoadieConnection1 *c = roadie_object_peek_connection1(objects->pdata[i]);
		GVariant *reason = roadie_connection1_get_reason(c);
		const char *code = "", *text = "";
		g_autofree char *address = status_address(c);

		if (reason && g_variant_is_of_type(reason, G_VARIANT_TYPE("(ss)")))
			g_variant_get(reason, "(&s&s)", &code, &text);
		g_string_append(out, i ? ",\n {" : "\n {");
		g_string_append(out, "\"path\": ");
		json_string(out, g_dbus_object_get_object_path(objects->pdata[i]));
		g_string_append(out, ", \"profile\": ");
		json_string(out, roadie_connection1_get_profile(c));
		g_string_append(out, ", \"state\": ");
		json_string(out, roadie_connection1_get_state(c));
		g_string_append(out, ", \"reason\": ");
		json_string(out, code);
		g_string_append(out, ", \"reason_text\": ");
		json_string(out, text);
		g_string_append(out, ", \"gateway\": ");
		json_string(out, roadie_connection1_get_gateway(c));
		g_string_append(out, ", \"nat\": ");
		json_string(out, roadie_connection1_get_nat(c));
		g_string_append(out, ", \"interface\": ");
		json_string(out, roadie_connection1_get_interface(c));
		g_string_append(out, ", \"address\": ");
		json_string(out, strcmp(address, "-") == 0 ? "" : address);
		g_string_append_printf(
			out,
			", \"owner\": %u, \"connected_since_usec\": %" G_GUINT64_FORMAT
			", \"bytes_in\": %" G_GUINT64_FORMAT ", \"bytes_out\": %" G_GUINT64_FORMAT
			", \"packets_in\": %" G_GUINT64_FORMAT
			", \"packets_out\": %" G_GUINT64_FORMAT "}",
			roadie_connection1_get_owner(c), roadie_connection1_get_connected_since(c),
			roadie_connection1_get_bytes_in(c), roadie_connection1_get_bytes_out(c),
			roadie_connection1_get_packets_in(c),
			roadie_connection1_get_packets_out(c));
		/* the IP configuration (what NetworkManager applies in its mode) and the suites */
		g_string_truncate(out, out->len - 1);
		g_string_append(out, ", \"ip4\": ");
		json_dict(out, roadie_connection1_get_ip4_config(c));
		g_string_append(out, ", \"ip6\": ");
		json_dict(out, roadie_connection1_get_ip6_config(c));
		g_string_append(out, ", \"negotiated\": ");
		json_dict(out, roadie_connection1_get_negotiated(c));
		g_string_append_c(out, '}');
	}
	g_string_append(out, objects->len ? "\n]\n" : "]\n");
	fputs(out->str, stdout);
}

static void status_table(GPtrArray *objects)
{
	enum {
		COLS = 8
	};
	static const char *const head[COLS] = {"PROFILE", "STATE", "GATEWAY", "INTERFACE",
					       "ADDRESS", "SINCE", "IN",      "OUT"};
	g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func(g_free);
	int width[COLS];

	for (int k = 0; k < COLS; k++) {
		width[k] = (int)strlen(head[k]);
		g_ptr_array_add(cells, g_strdup(head[k]));
	}
	for (guint i = 0; i < objects->len; i++) {
		RoadieConnection1 *c = roadie_object_peek_connection1(objects->pdata[i]);
		char *row[COLS] = {
			g_strdup(dash(roadie_connection1_get_profile(c))),
			g_strdup(dash(roadie_connection1_get_state(c))),
			g_strdup(dash(roadie_connection1_get_gateway(c))),
			g_strdup(dash(roadie_connection1_get_interface(c))),
			status_address(c),
			status_since(roadie_connection1_get_connected_since(c)),
			status_bytes(roadie_connection1_get_bytes_in(c)),
			status_bytes(roadie_connection1_get_bytes_out(c)),
		};

		for (int k = 0; k < COLS; k++) {
			width[k] = MAX(width[k], (int)g_utf8_strlen(row[k], -1));
			g_ptr_array_add(cells, row[k]);
		}
	}
	for (guint i = 0; i < cells->len; i++) {
		int k = (int)(i % COLS);
		const char *cell = cells->pdata[i];
		/* pad by characters, not bytes: a profile name may be UTF-8 */
		int pad = width[k] - (int)g_utf8_strlen(cell, -1);

		if (k == COLS - 1)
			printf("%s\n", cell);
		else
			printf("%s%*s  ", cell, pad, "");
	}
	/* a failed connection stays about 5 s: say why under the table */
	for (guint i = 0; i < objects->len; i++) {
		RoadieConnection1 *c = roadie_object_peek_connection1(objects->pdata[i]);
		GVariant *reason = roadie_connection1_get_reason(c);
		const char *code = "", *text = "";

		if (reason && g_variant_is_of_type(reason, G_VARIANT_TYPE("(ss)")))
			g_variant_get(reason, "(&s&s)", &code, &text);
		if (*text)
			printf("%s: %s (%s)\n", dash(roadie_connection1_get_profile(c)), text,
			       code);
	}
}

int cli_cmd_status(int argc, char **argv)
{
	gboolean json = FALSE;
	const GOptionEntry entries[] = {
		{"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON instead of a table", NULL},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	g_autoptr(GOptionContext) context = g_option_context_new("- show the connections");
	g_autoptr(GDBusConnection) bus = NULL;
	g_autoptr(GDBusObjectManager) manager = NULL;
	g_autoptr(GPtrArray) objects = NULL;
	bool running = false;
	int status;

	g_option_context_add_main_entries(context, entries, NULL);
	if (!cli_parse(context, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc > 1)
		return cli_usage("status takes no arguments");
	if ((status = cli_bus_open(&bus)) || (status = cli_bus_daemon_check(bus, &running)))
		return status;
	if (running && !(manager = cli_bus_manager(bus, &status)))
		return status;
	objects = manager ? cli_bus_find_connections(manager, NULL)
			  : g_ptr_array_new_with_free_func(g_object_unref);
	if (json)
		status_json(objects);
	else if (objects->len == 0)
		printf("no connections\n");
	else
		status_table(objects);
	return CLI_EXIT_OK;
}

/* ---- monitor ---- */

static bool monitor_timestamps; /* --timestamps: each line starts with the Unix time */

static void monitor_printf(const char *format, ...) G_GNUC_PRINTF(1, 2);
static void monitor_printf(const char *format, ...)
{
	va_list args;

	if (monitor_timestamps) {
		gint64 now = g_get_real_time();

		printf("%" G_GINT64_FORMAT ".%03d ", now / G_USEC_PER_SEC,
		       (int)(now % G_USEC_PER_SEC / 1000));
	}
	va_start(args, format);
	vprintf(format, args);
	va_end(args);
}

static const char *monitor_name(GDBusObject *object)
{
	RoadieConnection1 *c = roadie_object_peek_connection1(ROADIE_OBJECT(object));
	const char *name = c ? roadie_connection1_get_profile(c) : NULL;

	return name && *name ? name : g_dbus_object_get_object_path(object);
}

static void monitor_print_state(GDBusObject *object, RoadieConnection1 *c)
{
	GVariant *reason = roadie_connection1_get_reason(c);
	const char *state = roadie_connection1_get_state(c), *code = "", *text = "";

	if (!state)
		return;
	if (reason && g_variant_is_of_type(reason, G_VARIANT_TYPE("(ss)")))
		g_variant_get(reason, "(&s&s)", &code, &text);
	if (*text && (strcmp(state, "failed") == 0 || strcmp(state, "reconnecting") == 0))
		monitor_printf("roadie: %s: %s: %s (%s)\n", monitor_name(object), state, text, code);
	else
		monitor_printf("roadie: %s: %s\n", monitor_name(object), state);
}

static void monitor_on_added(GDBusObjectManager *manager, GDBusObject *object, gpointer data)
{
	RoadieConnection1 *c = roadie_object_peek_connection1(ROADIE_OBJECT(object));

	monitor_printf("roadie: %s: added (%s)\n", monitor_name(object),
	       g_dbus_object_get_object_path(object));
	if (c)
		monitor_print_state(object, c);
}

static void monitor_on_removed(GDBusObjectManager *manager, GDBusObject *object, gpointer data)
{
	monitor_printf("roadie: %s: removed\n", monitor_name(object));
}

static void monitor_on_properties(GDBusObjectManagerClient *manager, GDBusObjectProxy *object,
				  GDBusProxy *iface, GVariant *changed,
				  const char *const *invalidated, gpointer data)
{
	g_autoptr(GVariant) state = NULL;
	g_autoptr(GVariant) reason = NULL;

	if (!ROADIE_IS_CONNECTION1(iface))
		return;
	state = g_variant_lookup_value(changed, "State", NULL);
	reason = g_variant_lookup_value(changed, "Reason", NULL);
	if (state || reason)
		monitor_print_state(G_DBUS_OBJECT(object), ROADIE_CONNECTION1(iface));
}

static void monitor_on_signal(GDBusObjectManagerClient *manager, GDBusObjectProxy *object,
			      GDBusProxy *iface, const char *sender, const char *signal,
			      GVariant *params, gpointer data)
{
	const char *line;

	if (!ROADIE_IS_CONNECTION1(iface) || strcmp(signal, "Progress") != 0 ||
	    !g_variant_is_of_type(params, G_VARIANT_TYPE("(s)")))
		return;
	g_variant_get(params, "(&s)", &line);
	monitor_printf("roadie: %s: %s\n", monitor_name(G_DBUS_OBJECT(object)), line);
}

static void monitor_on_owner(GObject *manager, GParamSpec *pspec, gpointer data)
{
	g_autofree char *owner =
		g_dbus_object_manager_client_get_name_owner(G_DBUS_OBJECT_MANAGER_CLIENT(manager));

	monitor_printf("roadie: roadied %s\n", owner ? "started" : "stopped");
}

static gboolean monitor_on_interrupt(gpointer data)
{
	g_main_loop_quit(data);
	return G_SOURCE_CONTINUE;
}

int cli_cmd_monitor(int argc, char **argv)
{
	gboolean timestamps = FALSE;
	const GOptionEntry entries[] = {
		{"timestamps", 0, 0, G_OPTION_ARG_NONE, &timestamps,
		 "Start each line with the time (Unix seconds, with milliseconds)", NULL},
		{NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	g_autoptr(GOptionContext) context =
		g_option_context_new("- print each change of roadied's connections until Ctrl-C");
	g_autoptr(GDBusConnection) bus = NULL;
	g_autoptr(GDBusObjectManager) manager = NULL;
	g_autoptr(GPtrArray) objects = NULL;
	g_autoptr(GMainLoop) loop = NULL;
	bool running = false;
	guint sig_int, sig_term;
	int status;

	g_option_context_add_main_entries(context, entries, NULL);
	if (!cli_parse(context, &argc, &argv))
		return CLI_EXIT_USAGE;
	if (argc > 1)
		return cli_usage("monitor takes no arguments");
	monitor_timestamps = timestamps;
	if ((status = cli_bus_open(&bus)) || (status = cli_bus_daemon_check(bus, &running)))
		return status;
	/* also when roadied is not running: the manager follows it when the bus starts it */
	if (!(manager = cli_bus_manager(bus, &status)))
		return status;

	setvbuf(stdout, NULL, _IOLBF, 0);
	loop = g_main_loop_new(NULL, FALSE);
	objects = cli_bus_find_connections(manager, NULL);
	for (guint i = 0; i < objects->len; i++) {
		RoadieConnection1 *c = roadie_object_peek_connection1(objects->pdata[i]);

		monitor_print_state(objects->pdata[i], c);
	}
	g_signal_connect(manager, "object-added", G_CALLBACK(monitor_on_added), NULL);
	g_signal_connect(manager, "object-removed", G_CALLBACK(monitor_on_removed), NULL);
	g_signal_connect(manager, "interface-proxy-properties-changed",
			 G_CALLBACK(monitor_on_properties), NULL);
	g_signal_connect(manager, "interface-proxy-signal", G_CALLBACK(monitor_on_signal), NULL);
	g_signal_connect(manager, "notify::name-owner", G_CALLBACK(monitor_on_owner), NULL);
	monitor_printf("roadie: monitoring (%s); Ctrl-C ends\n",
	       running ? "roadied is running" : "roadied starts on demand");
	sig_int = g_unix_signal_add(SIGINT, monitor_on_interrupt, loop);
	sig_term = g_unix_signal_add(SIGTERM, monitor_on_interrupt, loop);
	g_main_loop_run(loop);
	g_source_remove(sig_int);
	g_source_remove(sig_term);
	return CLI_EXIT_OK;
}

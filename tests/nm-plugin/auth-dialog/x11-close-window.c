/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test helper: waits for a top-level X11 window whose title contains TEXT, prints its title,
 * and asks it to close the way a window manager does (WM_PROTOCOLS / WM_DELETE_WINDOW, ICCCM
 * §4.2.8.1): a GTK dialog answers with GTK_RESPONSE_DELETE_EVENT, i.e. a cancel.
 *
 *   x11-close-window TEXT SECONDS     exit 0 closed, 1 no such window in time, 2 no display
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

static Window find_window(Display *display, Window window, const char *text)
{
	Window root, parent, *children = NULL, found = 0;
	unsigned n = 0;
	char *name = NULL;

	if (XFetchName(display, window, &name) && name) {
		bool match = strstr(name, text) != NULL;

		if (match)
			printf("%s\n", name);
		XFree(name);
		if (match)
			return window;
	}
	if (!XQueryTree(display, window, &root, &parent, &children, &n))
		return 0;
	for (unsigned i = 0; i < n && !found; i++)
		found = find_window(display, children[i], text);
	if (children)
		XFree(children);
	return found;
}

int main(int argc, char **argv)
{
	Display *display;
	int tries;

	if (argc != 3)
		return 2;
	display = XOpenDisplay(NULL);
	if (!display)
		return 2;
	tries = atoi(argv[2]) * 10;
	for (int i = 0; i < tries; i++) {
		Window window = find_window(display, DefaultRootWindow(display), argv[1]);
		XEvent event = { 0 };

		if (!window) {
			usleep(100 * 1000);
			continue;
		}
		event.xclient.type = ClientMessage;
		event.xclient.window = window;
		event.xclient.message_type = XInternAtom(display, "WM_PROTOCOLS", False);
		event.xclient.format = 32;
		event.xclient.data.l[0] = (long)XInternAtom(display, "WM_DELETE_WINDOW", False);
		event.xclient.data.l[1] = CurrentTime;
		XSendEvent(display, window, False, NoEventMask, &event);
		XSync(display, False);
		XCloseDisplay(display);
		fflush(stdout);
		return 0;
	}
	XCloseDisplay(display);
	return 1;
}

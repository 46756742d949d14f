/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What test-nm-connection-editor.sh needs from the X server, seen from outside the program
 * under test: the titles of the windows on the display, a PNG of one window, and keystrokes
 * sent through XTest as if a user typed them (Debian's xvfb has no xwd, xdotool or ImageMagick).
 *
 * Usage (DISPLAY set):
 *   x11-helper list                    viewable windows with a title: "ID X Y W H TITLE"
 *   x11-helper shot ID FILE.png [X Y W H]
 *                                      the window's pixels (ID "root": the whole screen),
 *                                      or the part of them at X,Y of W by H
 *   x11-helper keys ID KEY...          focus the window, then press each KEY, a keysym name
 *                                      with optional modifiers ("Tab", "ctrl+a", "shift+Tab")
 *   x11-helper type ID TEXT            focus the window, then type TEXT (printable ASCII)
 *   x11-helper pointer X Y             move the pointer (out of the way of tooltips)
 *   x11-helper click X Y [BUTTON]      move the pointer there and click (button 1 by default)
 * Exit status: 0 done, 1 failure (message on stderr), 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <png.h>
#include <X11/XKBlib.h>
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>

/* _NET_WM_NAME (UTF-8, what GTK sets) before the legacy WM_NAME */
static char *window_title(Display *dpy, Window win)
{
	Atom net_wm_name = XInternAtom(dpy, "_NET_WM_NAME", False);
	Atom utf8 = XInternAtom(dpy, "UTF8_STRING", False);
	Atom type;
	int format;
	unsigned long n, after;
	unsigned char *data = NULL;
	char *name = NULL;

	if (XGetWindowProperty(dpy, win, net_wm_name, 0, 1024, False, utf8, &type, &format, &n,
			       &after, &data) == Success && data && type == utf8 && format == 8) {
		char *title = strndup((char *)data, n);

		XFree(data);
		return title;
	}
	if (data)
		XFree(data);
	if (XFetchName(dpy, win, &name) && name) {
		char *title = strdup(name);

		XFree(name);
		return title;
	}
	return NULL;
}

/* depth first: without a window manager the toplevels are the root's children, with one they
 * sit inside its frames */
static void list_windows(Display *dpy, Window win)
{
	XWindowAttributes attr;
	Window root, parent, *children = NULL, child;
	unsigned int n;
	char *title;
	int x, y;

	if (!XGetWindowAttributes(dpy, win, &attr))
		return;
	title = window_title(dpy, win);
	if (title && attr.map_state == IsViewable) {
		XTranslateCoordinates(dpy, win, attr.root, 0, 0, &x, &y, &child);
		printf("0x%lx %d %d %d %d %s\n", win, x, y, attr.width, attr.height, title);
	}
	free(title);
	if (!XQueryTree(dpy, win, &root, &parent, &children, &n))
		return;
	for (unsigned int i = 0; i < n; i++)
		list_windows(dpy, children[i]);
	if (children)
		XFree(children);
}

static int parse_window(Display *dpy, const char *arg, Window *ret_win)
{
	char *end;
	unsigned long id;

	if (!strcmp(arg, "root")) {
		*ret_win = DefaultRootWindow(dpy);
		return 0;
	}
	errno = 0;
	id = strtoul(arg, &end, 0);
	if (errno || end == arg || *end || !id) {
		fprintf(stderr, "x11-helper: not a window id: %s\n", arg);
		return -EINVAL;
	}
	*ret_win = id;
	return 0;
}

static int write_png(const char *path, XImage *img)
{
	png_structp png = NULL;
	png_infop info = NULL;
	unsigned char *row = NULL;
	FILE *f = fopen(path, "wb");
	int rc = -EIO;

	if (!f) {
		fprintf(stderr, "x11-helper: %s: %s\n", path, strerror(errno));
		return -errno;
	}
	row = malloc((size_t)img->width * 3);
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	if (png)
		info = png_create_info_struct(png);
	if (!row || !png || !info)
		goto out;
	if (setjmp(png_jmpbuf(png)))
		goto out;
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)img->width, (png_uint_32)img->height, 8,
		     PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	/* TrueColor visuals only (Xvfb -screen WxHx24): the masks say where each channel is */
	for (int y = 0; y < img->height; y++) {
		for (int x = 0; x < img->width; x++) {
			unsigned long px = XGetPixel(img, x, y);
			unsigned long masks[3] = { img->red_mask, img->green_mask, img->blue_mask };

			for (int c = 0; c < 3; c++) {
				unsigned long m = masks[c];
				unsigned long v = px & m;

				while (m && !(m & 1)) {
					m >>= 1;
					v >>= 1;
				}
				row[x * 3 + c] = m ? (unsigned char)(v * 255 / m) : 0;
			}
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	rc = 0;
out:
	if (png)
		png_destroy_write_struct(&png, info ? &info : NULL);
	free(row);
	if (fclose(f) && !rc)
		rc = -EIO;
	if (rc)
		fprintf(stderr, "x11-helper: could not write %s\n", path);
	return rc;
}

/* @area: x, y, width, height within the window, or NULL for all of it */
static int shot(Display *dpy, Window win, const char *path, const int *area)
{
	XWindowAttributes attr;
	XImage *img;
	int rc;
	int x = 0, y = 0, w, h;

	if (!XGetWindowAttributes(dpy, win, &attr) || attr.map_state != IsViewable) {
		fprintf(stderr, "x11-helper: window 0x%lx is not viewable\n", win);
		return -ENOENT;
	}
	if (attr.visual->class != TrueColor) {
		fprintf(stderr, "x11-helper: window 0x%lx: not a TrueColor visual\n", win);
		return -ENOTSUP;
	}
	w = attr.width;
	h = attr.height;
	if (area) {
		if (area[2] < 1 || area[3] < 1 || area[0] + area[2] > w || area[1] + area[3] > h) {
			fprintf(stderr, "x11-helper: the area is not within window 0x%lx\n", win);
			return -EINVAL;
		}
		x = area[0];
		y = area[1];
		w = area[2];
		h = area[3];
	}
	img = XGetImage(dpy, win, x, y, (unsigned int)w, (unsigned int)h, AllPlanes, ZPixmap);
	if (!img) {
		fprintf(stderr, "x11-helper: XGetImage failed for 0x%lx\n", win);
		return -EIO;
	}
	rc = write_png(path, img);
	XDestroyImage(img);
	return rc;
}

/* Without a window manager nobody gives the window the keyboard: we do, as one would */
static void focus(Display *dpy, Window win)
{
	XRaiseWindow(dpy, win);
	XSetInputFocus(dpy, win, RevertToPointerRoot, CurrentTime);
	XSync(dpy, False);
	usleep(100 * 1000);
}

static int parse_int(const char *arg, int *ret_v)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < 0 || v > 65535) {
		fprintf(stderr, "x11-helper: not a coordinate: %s\n", arg);
		return -EINVAL;
	}
	*ret_v = (int)v;
	return 0;
}

static int press(Display *dpy, KeySym sym, unsigned int nmods, const KeySym *mods)
{
	KeyCode code = XKeysymToKeycode(dpy, sym);
	KeyCode shift = XKeysymToKeycode(dpy, XK_Shift_L);
	int need_shift = 0;

	if (!code)
		return -ENOENT;
	/* a keysym on the shifted level of its key (':' '@' 'A') needs Shift held */
	if (XkbKeycodeToKeysym(dpy, code, 0, 0) != sym && XkbKeycodeToKeysym(dpy, code, 0, 1) == sym)
		need_shift = 1;
	for (unsigned int i = 0; i < nmods; i++)
		XTestFakeKeyEvent(dpy, XKeysymToKeycode(dpy, mods[i]), True, CurrentTime);
	if (need_shift)
		XTestFakeKeyEvent(dpy, shift, True, CurrentTime);
	XTestFakeKeyEvent(dpy, code, True, CurrentTime);
	XTestFakeKeyEvent(dpy, code, False, CurrentTime);
	if (need_shift)
		XTestFakeKeyEvent(dpy, shift, False, CurrentTime);
	for (unsigned int i = nmods; i > 0; i--)
		XTestFakeKeyEvent(dpy, XKeysymToKeycode(dpy, mods[i - 1]), False, CurrentTime);
	XSync(dpy, False);
	usleep(30 * 1000);
	return 0;
}

/* "ctrl+shift+Tab" -> the modifiers' keysyms and the key's; -EINVAL for anything else */
static int parse_key(const char *arg, KeySym *ret_sym, KeySym ret_mods[4], unsigned int *ret_nmods)
{
	char spec[128];
	KeySym mods[4];
	unsigned int nmods = 0;
	char *part = spec, *plus;
	KeySym sym;

	if (snprintf(spec, sizeof(spec), "%s", arg) >= (int)sizeof(spec))
		return -EINVAL;
	while ((plus = strchr(part, '+')) && plus[1]) {
		*plus = '\0';
		if (nmods == 4)
			return -EINVAL;
		if (!strcmp(part, "ctrl"))
			mods[nmods++] = XK_Control_L;
		else if (!strcmp(part, "shift"))
			mods[nmods++] = XK_Shift_L;
		else if (!strcmp(part, "alt"))
			mods[nmods++] = XK_Alt_L;
		else
			return -EINVAL;
		part = plus + 1;
	}
	sym = XStringToKeysym(part);
	if (sym == NoSymbol)
		return -EINVAL;
	*ret_sym = sym;
	memcpy(ret_mods, mods, nmods * sizeof(mods[0]));
	*ret_nmods = nmods;
	return 0;
}

static int keys(Display *dpy, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		KeySym sym, mods[4];
		unsigned int nmods;

		if (parse_key(argv[i], &sym, mods, &nmods) < 0 || press(dpy, sym, nmods, mods) < 0) {
			fprintf(stderr, "x11-helper: no such key: %s\n", argv[i]);
			return -EINVAL;
		}
	}
	return 0;
}

static int type(Display *dpy, const char *text)
{
	for (const char *p = text; *p; p++) {
		/* printable ASCII keysyms are the characters' own codes */
		if (*p < 0x20 || *p > 0x7e || press(dpy, (KeySym)(unsigned char)*p, 0, NULL) < 0) {
			fprintf(stderr, "x11-helper: cannot type 0x%02x\n", (unsigned char)*p);
			return -EINVAL;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	Display *dpy;
	Window win;
	int ev, err, major, minor;
	int rc = -EINVAL;

	if (argc < 2)
		goto usage;
	dpy = XOpenDisplay(NULL);
	if (!dpy) {
		fprintf(stderr, "x11-helper: cannot open display %s\n", XDisplayName(NULL));
		return 1;
	}
	if (!strcmp(argv[1], "list") && argc == 2) {
		list_windows(dpy, DefaultRootWindow(dpy));
		rc = 0;
	} else if (!strcmp(argv[1], "shot") && (argc == 4 || argc == 8)) {
		int area[4];

		rc = parse_window(dpy, argv[2], &win);
		for (int i = 0; i < 4 && !rc && argc == 8; i++)
			rc = parse_int(argv[4 + i], &area[i]);
		if (!rc)
			rc = shot(dpy, win, argv[3], argc == 8 ? area : NULL);
	} else if (!strcmp(argv[1], "click") && (argc == 4 || argc == 5)) {
		int x, y, button = 1;

		rc = parse_int(argv[2], &x);
		if (!rc)
			rc = parse_int(argv[3], &y);
		if (!rc && argc == 5)
			rc = parse_int(argv[4], &button);
		if (!rc && (button < 1 || button > 5)) {
			fprintf(stderr, "x11-helper: no button %d\n", button);
			rc = -EINVAL;
		}
		if (!rc && !XTestQueryExtension(dpy, &ev, &err, &major, &minor)) {
			fprintf(stderr, "x11-helper: the X server has no XTEST\n");
			rc = -ENOTSUP;
		}
		if (!rc) {
			XWarpPointer(dpy, None, DefaultRootWindow(dpy), 0, 0, 0, 0, x, y);
			XSync(dpy, False);
			usleep(100 * 1000);
			XTestFakeButtonEvent(dpy, (unsigned int)button, True, CurrentTime);
			XTestFakeButtonEvent(dpy, (unsigned int)button, False, CurrentTime);
			XSync(dpy, False);
		}
	} else if (!strcmp(argv[1], "pointer") && argc == 4) {
		int x, y;

		rc = parse_int(argv[2], &x);
		if (!rc)
			rc = parse_int(argv[3], &y);
		if (!rc) {
			XWarpPointer(dpy, None, DefaultRootWindow(dpy), 0, 0, 0, 0, x, y);
			XSync(dpy, False);
		}
	} else if ((!strcmp(argv[1], "keys") && argc >= 4) ||
		   (!strcmp(argv[1], "type") && argc == 4)) {
		if (!XTestQueryExtension(dpy, &ev, &err, &major, &minor)) {
			fprintf(stderr, "x11-helper: the X server has no XTEST\n");
			rc = -ENOTSUP;
		} else {
			rc = parse_window(dpy, argv[2], &win);
		}
		if (!rc) {
			focus(dpy, win);
			rc = argv[1][0] == 'k' ? keys(dpy, argc - 3, argv + 3) : type(dpy, argv[3]);
		}
	} else {
		XCloseDisplay(dpy);
		goto usage;
	}
	fflush(stdout);
	XCloseDisplay(dpy);
	return rc ? 1 : 0;
usage:
	fprintf(stderr, "usage: x11-helper list | shot ID|root FILE.png [X Y W H] | "
			"keys ID KEY... | type ID TEXT | pointer X Y | click X Y [BUTTON]\n");
	return 2;
}

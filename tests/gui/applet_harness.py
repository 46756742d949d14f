# SPDX-License-Identifier: GPL-2.0-or-later
"""A desktop session for roadie-applet's tests, built from nothing of this machine's own.

Session(tmp, ...) starts:
  - Xvfb on a free display (-displayfd);
  - a private session bus (dbus-daemon, our own configuration: no activation of anything);
  - on that bus, in this process: a StatusNotifierWatcher stand-in (a panel's side of the
    StatusNotifierItem protocol, as KDE, GNOME's AppIndicator extension or waybar run it)
    and a notification server stand-in (org.freedesktop.Notifications), both recording
    what the applet sends;
and then runs roadie-applet with it. SystemBus(tmp, standin) is a private bus standing in for
the system bus, with tests/unit/cli/roadie-daemon-standin playing roadied on it. The test reads the applet's icon and menu the way a
panel does: the item's properties and its com.canonical.dbusmenu layout, and clicks menu
items through dbusmenu's Event, as a panel does when the user clicks.

Only the processes started here are ended, by their PID. Needs /usr/bin/python3 with gi.
"""
import os
import signal
import subprocess
import sys
import time

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

WATCHER_XML = """
<node>
  <interface name="org.kde.StatusNotifierWatcher">
    <method name="RegisterStatusNotifierItem"><arg type="s" direction="in"/></method>
    <method name="RegisterStatusNotifierHost"><arg type="s" direction="in"/></method>
    <property name="RegisteredStatusNotifierItems" type="as" access="read"/>
    <property name="IsStatusNotifierHostRegistered" type="b" access="read"/>
    <property name="ProtocolVersion" type="i" access="read"/>
    <signal name="StatusNotifierItemRegistered"><arg type="s"/></signal>
    <signal name="StatusNotifierItemUnregistered"><arg type="s"/></signal>
    <signal name="StatusNotifierHostRegistered"/>
  </interface>
</node>"""

NOTIFY_XML = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="Notify">
      <arg type="s" direction="in"/><arg type="u" direction="in"/>
      <arg type="s" direction="in"/><arg type="s" direction="in"/>
      <arg type="s" direction="in"/><arg type="as" direction="in"/>
      <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
      <arg type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" direction="in"/></method>
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
    <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
    <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
  </interface>
</node>"""

BUS_CONF = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class SystemBus:
    """A private bus standing in for the system bus, with roadie-daemon-standin on it."""

    def __init__(self, tmp, standin):
        self.tmp = tmp
        self.standin_path = standin
        conf = os.path.join(tmp, "system-bus.conf")
        with open(conf, "w") as f:
            f.write("""<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>system</type><listen>unix:path=%s/system-bus</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/>
<allow own="*"/></policy></busconfig>
""" % tmp)
        self.bus = subprocess.Popen(["dbus-daemon", "--config-file", conf, "--nofork",
                                     "--nopidfile", "--print-address=1"],
                                    stdout=subprocess.PIPE)
        self.address = self.bus.stdout.readline().decode().strip()
        self.record = os.path.join(tmp, "record")
        self.standin = None

    def start(self, script):
        self.stop()
        env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.address)
        self.standin = subprocess.Popen([self.standin_path, "--record", self.record, "--script", script,
                                         "--step-ms", "150", "--linger-ms", "1500"],
                                        env=env, stdout=subprocess.PIPE)
        line = self.standin.stdout.readline().decode()
        if not line.startswith("ready"):
            raise RuntimeError("the stand-in did not start")

    def stop(self):
        if self.standin and self.standin.poll() is None:
            self.standin.terminate()
            self.standin.wait(10)
        self.standin = None

    def close(self):
        self.stop()
        self.bus.terminate()
        self.bus.wait(10)

    def recorded(self):
        try:
            with open(self.record) as f:
                return f.read()
        except FileNotFoundError:
            return ""


# ---- TAP and small helpers shared by the applet's test programs ----

results = []


def check(ok, name, diag=None):
    """One TAP line; on failure, the last lines of @diag as comments."""
    results.append(bool(ok))
    print(("ok %d - %s" if ok else "not ok %d - %s") % (len(results), name))
    if not ok and diag is not None:
        for line in str(diag).splitlines()[-40:]:
            print("# " + line)
    sys.stdout.flush()
    return ok


def write_profile(config, name, text):
    """$config/roadie/profiles/NAME.conf (mode 0600, as profiles are), its path."""
    d = os.path.join(config, "roadie", "profiles")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, name + ".conf")
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o600)
    return path


def x11_windows(helper, display):
    """The titled windows on @display, as x11-helper lists them: [id, x, y, w, h, title]."""
    out = subprocess.run([helper, "list"], env=dict(os.environ, DISPLAY=display),
                         capture_output=True, text=True).stdout
    return [line.split(" ", 5) for line in out.splitlines() if line.count(" ") >= 5]


def plain(label):
    """A menu label without its mnemonic marks ("Connect my__vpn" -> "Connect my_vpn")."""
    return label.replace("__", "\0").replace("_", "").replace("\0", "_")


def start_xvfb(log):
    """Xvfb on a free display: returns (process, ':N')."""
    r, w = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(w), "-screen", "0", "1024x768x24", "-nolisten", "tcp",
         "-noreset"],
        pass_fds=[w], stdout=log, stderr=log)
    os.close(w)
    number = b""
    deadline = time.monotonic() + 30
    while not number.endswith(b"\n") and time.monotonic() < deadline:
        chunk = os.read(r, 16)
        if not chunk:
            break
        number += chunk
    os.close(r)
    if not number.strip():
        proc.kill()
        raise RuntimeError("Xvfb did not start")
    return proc, ":" + number.decode().strip()


class Session:
    def __init__(self, tmp, watcher=True, notifications=True, display=None):
        self.tmp = tmp
        self.procs = []
        self.log = open(os.path.join(tmp, "session.log"), "ab")
        if display is None:
            xvfb, display = start_xvfb(self.log)
            self.procs.append(xvfb)
        self.display = display
        conf = os.path.join(tmp, "session-bus.conf")
        with open(conf, "w") as f:
            f.write(BUS_CONF % os.path.join(tmp, "session-bus"))
        bus = subprocess.Popen(["dbus-daemon", "--config-file", conf, "--nofork",
                                "--nopidfile", "--print-address=1"],
                               stdout=subprocess.PIPE, stderr=self.log)
        self.procs.append(bus)
        self.address = bus.stdout.readline().decode().strip()
        self.bus = Gio.DBusConnection.new_for_address_sync(
            self.address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
            Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
        self.items = []          # [(bus name, object path)]
        self.notifications = []  # dicts, in the order they came
        self.applet = None
        self.owned = []
        if watcher:
            self._export(WATCHER_XML, "/StatusNotifierWatcher", self._watcher_call,
                         self._watcher_get)
            self._own("org.kde.StatusNotifierWatcher")
        if notifications:
            self._export(NOTIFY_XML, "/org/freedesktop/Notifications", self._notify_call,
                         None)
            self._own("org.freedesktop.Notifications")

    # ---- the stand-ins ----

    def _export(self, xml, path, call, get):
        info = Gio.DBusNodeInfo.new_for_xml(xml).interfaces[0]
        self.bus.register_object(path, info, call, get, None)

    def _own(self, name):
        reply = self.bus.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                   "org.freedesktop.DBus", "RequestName",
                                   GLib.Variant("(su)", (name, 4)), None,
                                   Gio.DBusCallFlags.NONE, -1, None)
        if reply.unpack()[0] != 1:
            raise RuntimeError("cannot own " + name)
        self.owned.append(name)

    def _watcher_call(self, conn, sender, path, iface, method, params, invocation):
        if method == "RegisterStatusNotifierItem":
            service = params.unpack()[0]
            item = (sender, service) if service.startswith("/") else \
                (service, "/StatusNotifierItem")
            if item not in self.items:
                self.items.append(item)
            invocation.return_value(None)
            try:
                conn.emit_signal(None, path, iface, "StatusNotifierItemRegistered",
                                 GLib.Variant("(s)", (item[0] + item[1],)))
            except GLib.Error:
                pass  # the bus is going: the session is closing
        elif method == "RegisterStatusNotifierHost":
            invocation.return_value(None)
        else:
            invocation.return_dbus_error("org.freedesktop.DBus.Error.UnknownMethod", method)

    def _watcher_get(self, conn, sender, path, iface, prop):
        if prop == "RegisteredStatusNotifierItems":
            return GLib.Variant("as", [n + p for n, p in self.items])
        if prop == "IsStatusNotifierHostRegistered":
            return GLib.Variant("b", True)
        if prop == "ProtocolVersion":
            return GLib.Variant("i", 0)
        return None

    def _notify_call(self, conn, sender, path, iface, method, params, invocation):
        if method == "Notify":
            app, replaces, icon, summary, body, actions, hints, timeout = params.unpack()
            nid = replaces or len(self.notifications) + 1
            self.notifications.append({"id": nid, "sender": sender, "app": app,
                                       "summary": summary, "body": body,
                                       "actions": actions, "hints": hints})
            invocation.return_value(GLib.Variant("(u)", (nid,)))
        elif method == "CloseNotification":
            invocation.return_value(None)
        elif method == "GetCapabilities":
            invocation.return_value(GLib.Variant("(as)", (["body", "actions"],)))
        elif method == "GetServerInformation":
            invocation.return_value(GLib.Variant("(ssss)",
                                                 ("roadie-test", "roadie", "1", "1.2")))
        else:
            invocation.return_dbus_error("org.freedesktop.DBus.Error.UnknownMethod", method)

    def invoke_action(self, notification, key):
        """The user clicks a notification's button (or the bubble: key 'default')."""
        self.bus.emit_signal(notification["sender"], "/org/freedesktop/Notifications",
                             "org.freedesktop.Notifications", "ActionInvoked",
                             GLib.Variant("(us)", (notification["id"], key)))

    # ---- the applet ----

    def env(self, extra=None):
        env = dict(os.environ)
        env.update({"DISPLAY": self.display, "DBUS_SESSION_BUS_ADDRESS": self.address,
                    "GSETTINGS_BACKEND": "memory", "NO_AT_BRIDGE": "1",
                    "GTK_A11Y": "none", "XDG_CURRENT_DESKTOP": "roadie-test"})
        env.pop("WAYLAND_DISPLAY", None)
        env.update(extra or {})
        return env

    def start_applet(self, argv, env, log_path):
        self.applet_log = open(log_path, "ab")
        self.applet = subprocess.Popen(argv, env=self.env(env), stdout=self.applet_log,
                                       stderr=subprocess.STDOUT)
        self.procs.append(self.applet)
        return self.applet

    def wait(self, cond, seconds):
        """Runs the main loop (the stand-ins answer in it) until cond() is true."""
        ctx = GLib.MainContext.default()
        deadline = time.monotonic() + seconds
        while True:
            value = cond()
            if value:
                return value
            if time.monotonic() > deadline:
                return value
            if not ctx.iteration(False):
                time.sleep(0.02)

    def pump(self, seconds):
        self.wait(lambda: False, seconds)

    def _call(self, name, path, iface, method, params, reply_type=None):
        return self.bus.call_sync(name, path, iface, method, params,
                                  GLib.VariantType(reply_type) if reply_type else None,
                                  Gio.DBusCallFlags.NONE, 5000, None).unpack()

    def has_owner(self, name):
        return self._call("org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "NameHasOwner",
                          GLib.Variant("(s)", (name,)))[0]

    def item_prop(self, prop):
        name, path = self.items[0]
        return self._call(name, path, "org.freedesktop.DBus.Properties", "Get",
                          GLib.Variant("(ss)", ("org.kde.StatusNotifierItem", prop)))[0]

    def icon_name(self):
        try:
            return self.item_prop("IconName")
        except GLib.Error:
            return None

    def menu(self):
        """The menu as the panel would show it: [(id, label, enabled, type)]."""
        name, _ = self.items[0]
        path = self.item_prop("Menu")
        _, layout = self._call(name, path, "com.canonical.dbusmenu", "GetLayout",
                               GLib.Variant("(iias)", (0, -1, [])))
        out = []

        def walk(node):
            nid, props, children = node
            if nid != 0 and props.get("visible", True):
                out.append((nid, props.get("label", ""), props.get("enabled", True),
                            props.get("type", "standard")))
            for child in children:
                walk(child)
        walk(layout)
        return out

    def menu_labels(self):
        try:
            return [plain(label) for _, label, _, kind in self.menu() if kind != "separator"]
        except GLib.Error:
            return []

    def click(self, label):
        """Clicks the menu item whose label (mnemonics removed) is @label."""
        name, _ = self.items[0]
        path = self.item_prop("Menu")
        for nid, text, enabled, kind in self.menu():
            if plain(text) == label and enabled:
                self._call(name, path, "com.canonical.dbusmenu", "Event",
                           GLib.Variant("(isvu)", (nid, "clicked", GLib.Variant("i", 0),
                                                   int(time.time()) & 0xffffffff)))
                return True
        return False

    def close(self):
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        self.log.close()

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""roadie-applet with a real NetworkManager that manages a roadie connection, and without one.

  test-applet-nm.py APPLET NAME-FILE ICONDIR      (root; TAP on stdout)

  host ── ip netns rd-anm-PID (lo only) + private mount namespace:
           tmpfs over /run/dbus /run/NetworkManager /var/lib/NetworkManager /tmp/.X11-unix,
           the build tree's .name file bound over /etc/NetworkManager/VPN, /sys read-only
           system dbus-daemon ── NetworkManager ── nmcli (connection "office", vpn-type roadie)
                             └── roadie-applet ── Xvfb, session bus with the panel's and the
                                                  notification server's stand-ins
                                                  (applet_harness.Session)

With NetworkManager: the menu lists roadie's own profile as before and NM's connection on its
own lines ("office (NetworkManager): Not connected", "Connect office"); clicking Connect makes
NetworkManager activate that connection, asked by the applet's process (NM's audit line
names the connection's uuid and the requester's pid); the activation fails (there is no
gateway, and nm-roadie-service may not own its name on this bus), and the applet tells so in
words in a notification. When NetworkManager stops, its lines go; an applet started where the
bus has no NetworkManager shows the profiles only, and says nothing about it.

NAME-FILE is the build tree's nm-roadie-service-build.name (data/nm/meson.build).
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from applet_harness import check, results, write_profile  # noqa: E402

SERVICE = "org.freedesktop.NetworkManager.roadie"
def skip(why):
    # TAP's skip is an empty plan (meson takes exit status 77 as an error under TAP)
    print("1..0 # SKIP " + why)
    sys.exit(0)


def poll(cond, seconds):
    deadline = time.monotonic() + seconds
    while True:
        value = cond()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


# ---- outside: the namespace, the temporary directory, and nothing else of the host ----

def outside(applet, name_file, icondir):
    if os.geteuid() != 0:
        skip("needs root (network and mount namespaces)")
    for prog in ("ip", "NetworkManager", "nmcli", "dbus-daemon", "Xvfb", "mount"):
        if not shutil.which(prog):
            skip(prog + " is not installed")
    if not os.access(name_file, os.R_OK):
        print("Bail out! no .name file: " + name_file)
        sys.exit(1)
    ns = "rd-anm-%d" % os.getpid()
    tmp = tempfile.mkdtemp(prefix="rd-anm.")
    inner = None
    rc = 1
    try:
        if subprocess.run(["ip", "netns", "add", ns]).returncode != 0:
            print("Bail out! ip netns add " + ns)
            return 1
        os.makedirs(os.path.join(tmp, "vpn"))
        os.makedirs(os.path.join(tmp, "system-connections"))
        shutil.copy(name_file, os.path.join(tmp, "vpn", "nm-roadie-service.name"))
        with open(os.path.join(tmp, "NetworkManager.conf"), "w") as f:
            f.write("[main]\nplugins=keyfile\nauth-polkit=false\nno-auto-default=*\n"
                    "[keyfile]\npath=%s/system-connections\n[logging]\nlevel=DEBUG\n" % tmp)
        # `ip netns exec` enters a new mount namespace whose mounts do not reach the host
        inner = subprocess.Popen(["ip", "netns", "exec", ns, sys.executable,
                                  os.path.abspath(__file__), "--inside", tmp, applet,
                                  name_file, icondir])
        rc = inner.wait()
        inner = None
    finally:
        if inner and inner.poll() is None:
            inner.terminate()
            try:
                inner.wait(30)
            except subprocess.TimeoutExpired:
                inner.kill()
                inner.wait()
        subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)
        if os.environ.get("ROADIE_KEEP_TMP") == "1":
            print("# logs kept in " + tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return rc


# ---- inside the namespaces ----

class SystemSide:
    """The system bus and NetworkManager, started here and stopped by their PIDs."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.dbus_pid = None
        self.nm = None
        self.nm_log = os.path.join(tmp, "NetworkManager.log")

    def start_bus(self):
        out = subprocess.run(["dbus-daemon", "--system", "--fork", "--print-pid"],
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError("system dbus-daemon: " + out.stderr)
        self.dbus_pid = int(out.stdout.split()[0])

    def nm_running(self):
        out = subprocess.run(["nmcli", "-t", "-f", "RUNNING", "general", "status"],
                             capture_output=True, text=True)
        return "running" in out.stdout

    def start_nm(self):
        log = open(self.nm_log, "ab")
        self.nm = subprocess.Popen(["NetworkManager", "--debug",
                                    "--config=" + os.path.join(self.tmp, "NetworkManager.conf")],
                                   stdout=log, stderr=subprocess.STDOUT)
        log.close()
        return poll(self.nm_running, 20)

    def stop_nm(self):
        if self.nm and self.nm.poll() is None:
            self.nm.terminate()
            try:
                self.nm.wait(20)
            except subprocess.TimeoutExpired:
                self.nm.kill()
                self.nm.wait()
        self.nm = None

    def close(self):
        self.stop_nm()
        if self.dbus_pid:
            try:
                os.kill(self.dbus_pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            self.dbus_pid = None

    def log(self):
        with open(self.nm_log, errors="replace") as f:
            return f.read()


def mount_private(tmp):
    for d in ("/run/dbus", "/run/NetworkManager", "/var/lib/NetworkManager", "/tmp/.X11-unix"):
        os.makedirs(d, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=0755", "tmpfs", d], check=True)
    os.chmod("/tmp/.X11-unix", 0o1777)
    os.makedirs("/etc/NetworkManager/VPN", exist_ok=True)
    subprocess.run(["mount", "--bind", os.path.join(tmp, "vpn"), "/etc/NetworkManager/VPN"],
                   check=True)
    # read-only /sys: NetworkManager then treats devices as unmanaged by udev and does not wait
    subprocess.run(["mount", "-o", "remount,bind,ro", "/sys"], check=True)


def inside(tmp, applet, icondir):
    from applet_harness import Session

    try:
        mount_private(tmp)
    except subprocess.CalledProcessError as e:
        print("Bail out! %s" % e)
        return
    config = os.path.join(tmp, "config")
    write_profile(config, "home",
                  "[connection]\ngateway=192.0.2.7\n[ipsec]\npsk=home-psk\n"
                  "[ppp]\nuser=carol\npassword=home-pw\n")
    env = {"DBUS_SYSTEM_BUS_ADDRESS": "unix:path=/run/dbus/system_bus_socket",
           "XDG_CONFIG_HOME": config,
           "ROADIE_SYSCONFDIR": os.path.join(tmp, "etc"),
           "XDG_DATA_HOME": os.path.join(tmp, "data"),
           "XDG_RUNTIME_DIR": tmp,
           "ROADIE_APPLET_ICON_PATH": icondir,
           "HOME": tmp, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    # nmcli and NetworkManager talk on the namespace's own /run/dbus socket
    os.environ.pop("DBUS_SYSTEM_BUS_ADDRESS", None)
    os.environ.pop("LANGUAGE", None)
    os.environ["LC_ALL"] = "C.UTF-8"

    system = SystemSide(tmp)
    session = None
    applet_log = os.path.join(tmp, "applet.log")

    def log():
        with open(applet_log, errors="replace") as f:
            return f.read()
    try:
        system.start_bus()
        subprocess.run(["ip", "link", "add", "rd-base0", "type", "veth", "peer", "name",
                        "rd-peer0"], check=True)
        subprocess.run(["ip", "link", "set", "rd-peer0", "up"], check=True)
        if not check(system.start_nm(), "NetworkManager answers on the private system bus",
                     system.log()):
            return
        # a VPN goes over the connection with the default route: one on a veth whose peer is
        # up (carrier), made before NetworkManager looks
        base = subprocess.run(["nmcli", "connection", "add", "type", "ethernet", "con-name",
                               "base", "ifname", "rd-base0", "ipv4.method", "manual",
                               "ipv4.addresses", "198.51.100.2/24",
                               "ipv4.gateway", "198.51.100.1", "ipv6.method", "disabled"],
                              capture_output=True, text=True)
        subprocess.run(["nmcli", "device", "set", "rd-base0", "managed", "yes"],
                       capture_output=True)
        base_up = subprocess.run(["nmcli", "--wait", "20", "connection", "up", "base"],
                                 capture_output=True, text=True)
        if not check(base_up.returncode == 0, "NetworkManager brings up a base connection",
                     base.stdout + base.stderr + base_up.stdout + base_up.stderr):
            return
        add = subprocess.run(["nmcli", "connection", "add", "type", "vpn", "con-name", "office",
                              "ifname", "*", "vpn-type", "roadie",
                              "vpn.data", "gateway=192.0.2.1, user=alice"],
                             capture_output=True, text=True)
        uuid = subprocess.run(["nmcli", "-g", "connection.uuid", "connection", "show",
                               "office"], capture_output=True, text=True).stdout.strip()
        service = subprocess.run(["nmcli", "-g", "vpn.service-type", "connection", "show",
                                  "office"], capture_output=True, text=True).stdout.strip()
        if not check(uuid and service == SERVICE,
                     "nmcli made connection office with vpn-type roadie (%s)" % service,
                     add.stdout + add.stderr):
            return

        # ---- with NetworkManager ----
        session = Session(tmp)
        proc = session.start_applet([applet], env, applet_log)
        if not check(session.wait(lambda: session.items, 30),
                     "the icon registers with the watcher", log()):
            return
        want = ["home: Not connected", "Connect home", "office (NetworkManager): Not connected",
                "Connect office", "Connection details", "Edit connections…", "Quit"]
        check(session.wait(lambda: session.menu_labels() == want, 15),
              "the menu lists the profile, then NM's roadie connection on its own lines",
              session.menu_labels())

        n_before = len(session.notifications)
        check(session.click("Connect office"), "Connect office is clicked")
        # NetworkManager's audit line: the activation of that uuid, asked by the applet
        audit = re.compile(r'op="connection-activate" uuid="%s" name="office" pid=%d .*'
                           r'result="success"' % (re.escape(uuid), proc.pid))
        check(session.wait(lambda: audit.search(system.log()), 20),
              "NetworkManager activates connection %s at the applet's request" % uuid,
              "\n".join(line for line in system.log().splitlines() if "audit" in line))
        # NetworkManager waits ~5 s for its service (which cannot own its name here)
        check(session.wait(lambda: "office (NetworkManager): Connecting…" in
                           session.menu_labels() and "Disconnect office" in
                           session.menu_labels(), 5),
              "meanwhile the menu shows office connecting, with Disconnect",
              session.menu_labels())
        check(session.wait(lambda: (session.icon_name() or "").startswith("roadie-connecting"),
                           5),
              "... and the icon shows connecting", session.icon_name())
        note = session.wait(lambda: [n for n in session.notifications[n_before:]
                                     if n["summary"] == "office: connection failed"], 60)
        check(bool(note), "the activation's failure is notified",
              [n["summary"] for n in session.notifications] + [log()])
        body = note[0]["body"] if note else ""
        check(re.search(r"[A-Za-z]{3,} .*[A-Za-z]{3,}", body) and
              not re.fullmatch(r"[\s\d]*", body),
              "... with NetworkManager's reason in words: %r" % body)
        check(session.wait(lambda: "office (NetworkManager): Not connected" in
                           session.menu_labels() and "Connect office" in session.menu_labels(),
                           30),
              "the menu offers Connect office again", session.menu_labels())
        check(not [n for n in session.notifications[n_before:]
                   if n["summary"] != "office: connection failed"],
              "no other notification", session.notifications[n_before:])

        # ---- NetworkManager goes ----
        n_before = len(session.notifications)
        system.stop_nm()
        want = ["home: Not connected", "Connect home", "Connection details",
                "Edit connections…", "Quit"]
        check(session.wait(lambda: session.menu_labels() == want, 20),
              "when NetworkManager stops, its lines go and the profiles stay",
              session.menu_labels())
        session.pump(1)
        check(len(session.notifications) == n_before, "... without a notification",
              session.notifications[n_before:])
        session.close()
        session = None

        # ---- an applet started where the bus has no NetworkManager ----
        session = Session(tmp)
        applet_log = os.path.join(tmp, "applet-no-nm.log")
        session.start_applet([applet], env, applet_log)
        check(session.wait(lambda: session.items, 30),
              "without NetworkManager, the icon registers", log())
        check(session.wait(lambda: session.menu_labels() == want, 15),
              "without NetworkManager, the menu lists the profiles only",
              session.menu_labels())
        session.pump(2)
        check(session.notifications == [], "... and no error notification",
              session.notifications)
        check(session.applet.poll() is None, "... and the applet runs on", log())
        complaints = [line for line in log().splitlines()
                      if re.search(r"CRITICAL|WARNING|NetworkManager", line)]
        check(not complaints, "... and it printed nothing about it", "\n".join(complaints))
    finally:
        if session:
            session.close()
        system.close()
        print("1..%d" % len(results))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--inside":
        tmp, applet, _name_file, icondir = sys.argv[2:6]
        inside(tmp, applet, icondir)
        return 0 if results and all(results) else 1
    if len(sys.argv) != 4:
        print("usage: %s APPLET NAME-FILE ICONDIR" % sys.argv[0], file=sys.stderr)
        return 2
    return outside(*sys.argv[1:4])


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""docs/applet-menu.png: roadie-applet's menu, open, in a real XEmbed tray (trayer) on Xvfb.

  screenshot-applet-menu.py APPLET STANDIN X11_HELPER ICONDIR OUT.png

Two profiles, one connected through roadie-daemon-standin; the tray icon is clicked as a user
would (XTest) and the top right corner of the screen, where the menu opens, is photographed.
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from applet_harness import Session, SystemBus  # noqa: E402

APPLET, STANDIN, X11_HELPER, ICONDIR, OUT = sys.argv[1:6]


def main():
    tmp = tempfile.mkdtemp(prefix="roadie-applet-shot-")
    profiles = os.path.join(tmp, "config", "roadie", "profiles")
    os.makedirs(profiles)
    for name, gateway in (("office", "vpn.example.com"), ("home-lab", "203.0.113.10")):
        with open(os.path.join(profiles, name + ".conf"), "w") as f:
            f.write("[connection]\ngateway=%s\n[ipsec]\npsk=x\n[ppp]\nuser=alice\n"
                    "password=x\n" % gateway)
    system = SystemBus(tmp, STANDIN)
    session = None
    try:
        system.start("ok")
        session = Session(tmp, watcher=False)
        x11 = dict(os.environ, DISPLAY=session.display)
        tray = subprocess.Popen(["trayer", "--edge", "top", "--align", "right", "--widthtype",
                                 "request", "--height", "28", "--SetDockType", "true",
                                 "--transparent", "false", "--tint", "0x303030"],
                                env=session.env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        session.procs.append(tray)
        session.pump(1.5)
        env = {"DBUS_SYSTEM_BUS_ADDRESS": system.address,
               "XDG_CONFIG_HOME": os.path.join(tmp, "config"),
               "ROADIE_SYSCONFDIR": os.path.join(tmp, "etc"),
               "ROADIE_APPLET_ICON_PATH": ICONDIR, "HOME": tmp, "G_DEBUG": ""}
        session.start_applet([APPLET], env, os.path.join(tmp, "applet.log"))

        def icon():
            out = subprocess.run([X11_HELPER, "list"], env=x11, capture_output=True,
                                 text=True).stdout
            return [line.split(" ", 5) for line in out.splitlines()
                    if line.split(" ", 5)[-1].startswith("VPN ")]
        if not session.wait(icon, 20):
            sys.exit("the tray icon did not appear")
        # connect "office" through the applet itself: its menu item, as a user would
        wid, x, y, w, h, _ = icon()[0]
        subprocess.run([X11_HELPER, "click", str(int(x) + int(w) // 2),
                        str(int(y) + int(h) // 2)], env=x11, check=True)
        session.pump(1.5)
        subprocess.run([X11_HELPER, "keys", "root", "Down", "Down", "Return"], env=x11)
        session.wait(lambda: icon() and icon()[0][5] == "VPN connected", 15)
        session.pump(1)
        wid, x, y, w, h, _ = icon()[0]
        subprocess.run([X11_HELPER, "click", str(int(x) + int(w) // 2),
                        str(int(y) + int(h) // 2)], env=x11, check=True)
        session.pump(1.5)
        subprocess.run([X11_HELPER, "pointer", "1000", "700"], env=x11)
        session.pump(0.5)
        subprocess.run([X11_HELPER, "shot", "root", OUT, "624", "0", "400", "260"], env=x11,
                       check=True)
    finally:
        if session:
            session.close()
        system.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

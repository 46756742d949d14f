#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""roadie-applet against the real roadied and the lab's real server (tests/lab/e2e-applet.sh).

  test-applet-lab.py APPLET X11_HELPER SYSTEM_BUS SAS_CMD PING_CMD ROADIED_LOG TMP
                     EDITOR_TEST ROADIECTL

SYSTEM_BUS is the private bus roadied (in the client's namespace) serves; SAS_CMD prints the
server's SA list (swanctl --list-sas in the VM); PING_CMD pings the far end of the tunnel
from the client's namespace. On Xvfb, a private session bus with a StatusNotifierWatcher and
a notification server stand-in and a real gnome-keyring-daemon, as a user would:

  - the menu lists the profiles; Connect on "lab", whose password is in no file, opens the
    prompt; the password is typed and "Remember" ticked; the icon reaches connected, the
    "connected" notification gives the address; the server holds our SAs; a ping crosses;
  - the password is now in the keyring under roadie's schema (secret-tool, as any keyring
    client sees it); Disconnect returns the icon to disconnected and the server has no SA;
  - Connect again: no prompt (the keyring answers), connected, disconnected;
  - a profile with a wrong password: a failure notification with roadied's sentence;
  - a profile made in the applet's editor (EDITOR_TEST --lab-profile fills and saves it
    through the editor's widgets, the secrets remembered in the keyring) passes
    `roadiectl profile validate`, appears in the menu and connects without a prompt;
  - the password is in no profile file, no log and no notification.
TAP output.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from applet_harness import Session, check, results, write_profile, x11_windows  # noqa: E402

APPLET, X11_HELPER, SYSTEM_BUS, SAS_CMD, PING_CMD, ROADIED_LOG, TMP, EDITOR_TEST, ROADIECTL = \
    sys.argv[1:10]
PASSWORD = "wonderland"
def sh(cmd):
    return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout


def profile(name, text):
    return write_profile(os.path.join(TMP, "config"), name, text)


def main():
    home = os.path.join(TMP, "home")
    os.makedirs(os.path.join(home, "run"), mode=0o700, exist_ok=True)
    lab = ("[connection]\ngateway=203.0.113.10\nauto-reconnect=false\n"
           "[ipsec]\npsk=roadie-lab-psk\n[ppp]\nuser=alice\n")
    paths = [profile("lab", lab),
             profile("wrong", lab + "password=nottheone\n")]
    session = Session(TMP)
    keyring_env = session.env({"HOME": home, "XDG_DATA_HOME": os.path.join(home, "data"),
                               "XDG_RUNTIME_DIR": os.path.join(home, "run")})
    x11 = dict(os.environ, DISPLAY=session.display)
    try:
        # a real keyring on the private session bus, its login collection unlocked
        keyring = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--unlock",
                                    "--components=secrets"], env=keyring_env,
                                   stdin=subprocess.PIPE, stdout=session.log,
                                   stderr=session.log)
        session.procs.insert(1, keyring)
        keyring.stdin.write(b"keyring-login")
        keyring.stdin.close()
        check(session.wait(lambda: session.has_owner("org.freedesktop.secrets"), 15),
              "gnome-keyring-daemon runs on the private session bus")

        env = {"DBUS_SYSTEM_BUS_ADDRESS": SYSTEM_BUS,
               "XDG_CONFIG_HOME": os.path.join(TMP, "config"),
               "ROADIE_SYSCONFDIR": os.path.join(TMP, "etc"),
               "HOME": home, "XDG_DATA_HOME": os.path.join(home, "data"),
               "XDG_RUNTIME_DIR": os.path.join(home, "run"),
               "ROADIE_APPLET_ICON_PATH": os.path.join(os.path.dirname(
                   os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                   "data", "icons")}
        applet_log = os.path.join(TMP, "applet.log")
        session.start_applet([APPLET], env, applet_log)
        if not check(session.wait(lambda: session.items, 30),
                     "the icon registers with the watcher", read(applet_log)):
            return
        want = ["lab: Not connected", "Connect lab", "wrong: Not connected", "Connect wrong"]
        check(session.wait(lambda: session.menu_labels()[:4] == want, 15),
              "the menu lists the lab profiles with Connect", session.menu_labels())

        # ---- first connect: the password is asked for and remembered ----
        check(session.click("Connect lab"), "Connect lab is clicked")
        prompt = session.wait(lambda: [w for w in windows(x11) if w[5] == "Connect lab"], 20)
        if check(bool(prompt), "the password is asked for (in no file, not in the keyring)",
                 windows(x11)):
            wid = prompt[0][0]
            subprocess.run([X11_HELPER, "type", wid, PASSWORD], env=x11)
            subprocess.run([X11_HELPER, "keys", wid, "alt+r", "alt+o"], env=x11)
        check(session.wait(lambda: session.icon_name() == "roadie-connected", 60),
              "the icon reaches connected", [session.icon_name(), read(applet_log)])
        note = session.wait(lambda: [n for n in session.notifications
                                     if n["summary"] == "lab: connected"], 10)
        check(bool(note) and "192.0.2." in note[0]["body"] and "203.0.113.10" in note[0]["body"],
              "the 'connected' notification gives the address and the gateway",
              session.notifications)
        sas = sh(SAS_CMD)
        check("INSTALLED" in sas, "the server's SA list holds our SAs", sas)
        check(subprocess.run(PING_CMD, shell=True, capture_output=True).returncode == 0,
              "a ping crosses the tunnel")
        stored = session.wait(lambda: sh_env("secret-tool lookup xdg:schema org.roadie.Secret "
                                             "profile lab key password", keyring_env), 10)
        check(stored == PASSWORD,
              "the remembered password is in the keyring under roadie's schema", stored)
        check(session.click("Disconnect lab"), "Disconnect lab is clicked")
        check(session.wait(lambda: session.icon_name() == "roadie-disconnected", 30),
              "the icon returns to disconnected", session.icon_name())
        check(session.wait(lambda: "INSTALLED" not in sh(SAS_CMD), 15),
              "the server has no SA left", sh(SAS_CMD))

        # ---- second connect: the keyring answers, no prompt ----
        session.wait(lambda: "Connect lab" in session.menu_labels(), 10)
        check(session.click("Connect lab"), "Connect lab is clicked again")
        check(session.wait(lambda: session.icon_name() == "roadie-connected", 60),
              "connected again", session.icon_name())
        check(not [w for w in windows(x11) if w[5] == "Connect lab"],
              "without asking: the keyring had the password", windows(x11))
        check(session.click("Disconnect lab"), "Disconnect lab is clicked again")
        check(session.wait(lambda: session.icon_name() == "roadie-disconnected", 30),
              "disconnected again", session.icon_name())

        # ---- a wrong password: roadied's sentence in the failure notification ----
        session.wait(lambda: "Connect wrong" in session.menu_labels(), 10)
        check(session.click("Connect wrong"), "Connect wrong is clicked")
        note = session.wait(lambda: [n for n in session.notifications
                                     if n["summary"] == "wrong: connection failed"], 60)
        check(bool(note) and "rejected user 'alice'" in note[0]["body"],
              "a failure notification carries roadied's sentence", session.notifications)
        check(bool(note) and "Check your user name and password" in note[0]["body"],
              "... and what to try", note)
        check(session.wait(lambda: session.icon_name() == "roadie-failed", 10),
              "the icon shows failed", session.icon_name())

        # ---- a profile the editor made ----
        editor_env = dict(keyring_env, XDG_CONFIG_HOME=os.path.join(TMP, "config"),
                          ROADIE_SYSCONFDIR=os.path.join(TMP, "etc"), G_DEBUG="")
        done = subprocess.run([EDITOR_TEST, "--lab-profile", "edited", "203.0.113.10",
                               "roadie-lab-psk", "alice", PASSWORD], env=editor_env,
                              capture_output=True, text=True)
        edited = os.path.join(TMP, "config", "roadie", "profiles", "edited.conf")
        paths.append(edited)
        check(done.returncode == 0 and os.path.exists(edited),
              "the editor saves a profile", done.stdout + done.stderr)
        done = subprocess.run([ROADIECTL, "profile", "validate", edited],
                              capture_output=True, text=True)
        check(done.returncode == 0, "roadiectl profile validate accepts it",
              done.stdout + done.stderr)
        check(session.wait(lambda: "Connect edited" in session.menu_labels(), 15),
              "the menu lists it", session.menu_labels())
        check(session.click("Connect edited"), "Connect edited is clicked")
        check(session.wait(lambda: session.icon_name() == "roadie-connected", 60),
              "the editor's profile connects", [session.icon_name(), read(applet_log)])
        check(not [w for w in windows(x11) if w[5] == "Connect edited"],
              "without a prompt: the editor put its secrets in the keyring", windows(x11))
        check("INSTALLED" in sh(SAS_CMD), "the server's SA list holds its SAs", sh(SAS_CMD))
        check(session.click("Disconnect edited"), "Disconnect edited is clicked")
        check(session.wait(lambda: session.icon_name() in ("roadie-disconnected",
                                                           "roadie-failed"), 30)
              and session.wait(lambda: "INSTALLED" not in sh(SAS_CMD), 15),
              "disconnected, and the server has no SA left", sh(SAS_CMD))

        # ---- the password went nowhere else ----
        places = paths + [applet_log, ROADIED_LOG, os.path.join(TMP, "session.log")]
        leaks = [p for p in places if os.path.exists(p) and
                 PASSWORD.encode() in open(p, "rb").read()]
        leaks += ["notification"] if any(PASSWORD in n["body"] + n["summary"]
                                         for n in session.notifications) else []
        check(not leaks, "the password is in no profile file, log or notification", leaks)
    finally:
        session.close()
    print("1..%d" % len(results))


def read(path):
    try:
        return open(path, errors="replace").read()
    except OSError:
        return ""


def windows(env):
    return x11_windows(X11_HELPER, env["DISPLAY"])


def sh_env(cmd, env):
    done = subprocess.run(cmd, shell=True, env=env, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


if __name__ == "__main__":
    main()
    sys.exit(0 if all(results) else 1)

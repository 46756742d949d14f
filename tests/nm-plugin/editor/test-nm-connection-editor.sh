#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The real nm-connection-editor (network-manager-gnome) loads roadie's GTK 3 editor: a
# NetworkManager on a private system bus holds a roadie VPN connection made with nmcli, the
# editor opens it on an Xvfb display, and from outside the program we check that it mapped our
# core plugin and GTK 3 module, photograph its window and drive a change through to NetworkManager.
#
#   host ── ip netns rd-nce-PID (lo only) + private mount namespace:
#            tmpfs over /run/dbus /run/NetworkManager /var/lib/NetworkManager /tmp/.X11-unix,
#            the build tree's .name file bound over /etc/NetworkManager/VPN, /sys read-only
#            system dbus-daemon ── NetworkManager ── nmcli
#            session dbus-daemon ── nm-connection-editor ── Xvfb :N ── x11-helper
#
# Usage: test-nm-connection-editor.sh NAME-FILE X11-HELPER   (root; TAP on stdout)
# NAME-FILE is the build tree's nm-roadie-service-build.name, which names the build's modules.
# ROADIE_SCREENSHOT_DIR=docs writes docs/nm-connection-editor-roadie.png (a relative directory is
# taken from the top of the source tree), else it stays in the temporary directory, which
# ROADIE_KEEP_TMP=1 keeps with the logs.
set -u

GTK3_MODULE=libnm-gtk3-vpn-plugin-roadie-editor.so
SERVICE=org.freedesktop.NetworkManager.roadie
PLAN=9

if [ "${1:-}" = --inside ]; then
	inside=1
	shift
else
	inside=0
fi
if [ $# -ne $((2 + 2 * inside)) ]; then
	echo "usage: $0 NAME-FILE X11-HELPER" >&2
	exit 2
fi
name_file=$1 helper=$2

n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; failed=1; }
check() { # check DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}
failed=0

# ---- outside: the namespace, the temporary directory, and nothing else of the host ----
if [ $inside = 0 ]; then
	# TAP says skip with an empty plan (meson takes exit status 77 as an error under TAP)
	skip() { echo "1..0 # SKIP $*"; exit 0; }
	[ "$(id -u)" = 0 ] || skip "needs root (network and mount namespaces)"
	for p in ip NetworkManager nmcli dbus-daemon nm-connection-editor Xvfb; do
		command -v "$p" >/dev/null || skip "$p is not installed"
	done
	[ -r "$name_file" ] || { echo "Bail out! no .name file: $name_file"; exit 1; }
	plugin=$(sed -n 's/^plugin=//p' "$name_file")
	[ -r "$plugin" ] || { echo "Bail out! no core plugin: $plugin"; exit 1; }
	# An ASan build's modules cannot be loaded by a program that was not built with ASan
	# (the runtime must come first in the library list), so they are not tried.
	if LC_ALL=C grep -q -a __asan_init "$plugin"; then
		skip "the build's modules need ASan, nm-connection-editor is not built with it"
	fi

	NS=rd-nce-$$
	W=$(mktemp -d /tmp/rd-nce.XXXXXX)
	inner=
	cleanup() {
		trap '' TERM INT
		if [ -n "$inner" ] && kill -0 "$inner" 2>/dev/null; then
			kill -TERM "$inner" 2>/dev/null
			wait "$inner" 2>/dev/null
		fi
		ip netns del "$NS" 2>/dev/null
		if [ "${ROADIE_KEEP_TMP:-0}" = 1 ]; then
			echo "# logs kept in $W"
		else
			rm -rf "$W"
		fi
	}
	trap cleanup EXIT
	trap 'exit 143' TERM INT
	ip netns add "$NS" || { echo "Bail out! ip netns add $NS"; exit 1; }
	mkdir -p "$W/vpn" "$W/system-connections" "$W/home" "$W/runtime"
	chmod 700 "$W/runtime"
	cp "$name_file" "$W/vpn/"
	cat > "$W/NetworkManager.conf" <<-EOF
		[main]
		plugins=keyfile
		auth-polkit=false
		no-auto-default=*
		[keyfile]
		path=$W/system-connections
		[logging]
		level=DEBUG
	EOF
	# a relative ROADIE_SCREENSHOT_DIR is taken from the top of the source tree
	self=$(readlink -f "$0")
	shot_dir=${ROADIE_SCREENSHOT_DIR:-$W}
	[[ $shot_dir == /* ]] || shot_dir=$(dirname "$self")/../../../$shot_dir
	mkdir -p "$shot_dir" && shot_dir=$(cd "$shot_dir" && pwd) || exit 1
	# `ip netns exec` enters a new mount namespace whose mounts do not reach the host
	ip netns exec "$NS" "$self" --inside "$name_file" "$helper" "$W" "$shot_dir" &
	inner=$!
	wait "$inner"
	rc=$?
	inner=
	exit $rc
fi

# ---- inside the namespaces ----
W=$3 shot_dir=$4
pids=() # started here, stopped in reverse order by cleanup_inside
# The dbus-daemons fork away from us: once they exit they stay zombies until init reaps them
alive() {
	local stat
	stat=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) && [ "${stat%% *}" != Z ]
}
cleanup_inside() {
	local i pid
	trap '' TERM INT # a second signal must not cut the cleanup short
	for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
		pid=${pids[i]}
		kill -TERM "$pid" 2>/dev/null || continue
		for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
		alive "$pid" && kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
}
trap cleanup_inside EXIT
trap 'exit 143' TERM INT
bail() { echo "Bail out! $*"; exit 1; }
# poll COMMAND every 0.1 s for up to SECONDS
poll() {
	local s=$1 i
	shift
	for ((i = 0; i < s * 10; i++)); do "$@" && return 0; sleep 0.1; done
	return 1
}

echo "1..$PLAN"
for d in /run/dbus /run/NetworkManager /var/lib/NetworkManager /tmp/.X11-unix; do
	mkdir -p "$d" && mount -t tmpfs -o mode=0755 tmpfs "$d" || bail "mount tmpfs $d"
done
chmod 1777 /tmp/.X11-unix
mkdir -p /etc/NetworkManager/VPN
mount --bind "$W/vpn" /etc/NetworkManager/VPN || bail "bind mount over /etc/NetworkManager/VPN"
# read-only /sys: NetworkManager then treats devices as unmanaged by udev and does not wait
mount -o remount,bind,ro /sys || bail "remount /sys read-only"

dbus-daemon --system --fork --print-pid > "$W/dbus-system.pid" || bail "system dbus-daemon"
pids+=("$(cat "$W/dbus-system.pid")")
NetworkManager --debug --config="$W/NetworkManager.conf" > "$W/NetworkManager.log" 2>&1 &
pids+=($!)
nm_up() { nmcli -t -f RUNNING general status 2>/dev/null | grep -q running; }
check "NetworkManager answers on the private system bus" poll 15 nm_up
[ $failed = 0 ] || bail "NetworkManager did not start (see $W/NetworkManager.log)"

# nmcli resolves the short name "roadie" through the .name files it reads in this namespace
nmcli connection add type vpn con-name office ifname '*' vpn-type roadie \
	vpn.data 'gateway=vpn.example.com, user=alice' > "$W/nmcli-add.log" 2>&1
uuid=$(nmcli -g connection.uuid connection show office 2>/dev/null)
service=$(nmcli -g vpn.service-type connection show office 2>/dev/null)
if [ -n "$uuid" ] && [ "$service" = "$SERVICE" ]; then
	ok "nmcli made connection office with vpn-type roadie ($service)"
else
	not_ok "nmcli made connection office with vpn-type roadie (service-type \"$service\")"
fi
[ -n "$uuid" ] || bail "no connection (see $W/nmcli-add.log)"

# A session bus of our own: GApplication wants one, and GLib would otherwise autolaunch one
dbus-daemon --session --fork --print-pid=3 --print-address=4 \
	3> "$W/dbus-session.pid" 4> "$W/dbus-session.address" || bail "session dbus-daemon"
pids+=("$(cat "$W/dbus-session.pid")")
export DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$W/dbus-session.address")

# -displayfd: Xvfb picks a free display (abstract sockets are per network namespace, the
# socket directory is our tmpfs, -nolock keeps its lock file out of the host's /tmp);
# -noreset: the pointer stays where x11-helper put it after that client leaves
Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp -nolock -noreset 3> "$W/display" \
	> "$W/Xvfb.log" 2>&1 &
pids+=($!)
poll 10 grep -qs . "$W/display" || bail "Xvfb did not start (see $W/Xvfb.log)"
export DISPLAY=:$(head -n1 "$W/display")
# the pointer starts mid-screen, where it would raise a tooltip over the editor
"$helper" pointer 0 0 || bail "x11-helper cannot reach $DISPLAY"

export HOME=$W/home XDG_RUNTIME_DIR=$W/runtime XDG_CONFIG_HOME=$W/home/.config
# English titles and mnemonics; no dconf, no accessibility bus
export LC_ALL=C.UTF-8 LANG=C.UTF-8 GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1
unset LANGUAGE
nm-connection-editor --edit "$uuid" > "$W/nm-connection-editor.log" 2>&1 &
nce=$!
pids+=($nce)

# The editor window is titled after the connection; by the time it is mapped the VPN page
# has asked the core plugin for its editor.
editor_window() {
	win=$("$helper" list 2>/dev/null | awk '$6 == "Editing" && $7 == "office" { print $1; exit }')
	[ -n "$win" ]
}
# the build's own files, not an installed roadie's: the core loads the editor from its directory
maps_has() { awk -v f="$1" '$6 == f { found = 1 } END { exit !found }' "/proc/$nce/maps"; }
win=
check "nm-connection-editor shows the window \"Editing office\"" poll 30 editor_window
core=$(readlink -f "$(sed -n 's/^plugin=//p' "$name_file")")
check "nm-connection-editor mapped the core plugin $core" maps_has "$core"
check "nm-connection-editor mapped the GTK 3 editor $GTK3_MODULE" \
	poll 10 maps_has "$(dirname "$core")/$GTK3_MODULE"
[ -n "$win" ] || bail "no editor window (see $W/nm-connection-editor.log)"

# Photograph the window once it has stopped changing (it draws after it is mapped)
shot=$shot_dir/nm-connection-editor-roadie.png
stable_shot() {
	"$helper" shot "$win" "$W/shot-new.png" || return 1
	if [ -f "$W/shot-old.png" ] && cmp -s "$W/shot-old.png" "$W/shot-new.png"; then
		return 0
	fi
	mv "$W/shot-new.png" "$W/shot-old.png"
	sleep 0.2
	return 1
}
if poll 10 stable_shot && cp "$W/shot-new.png" "$shot"; then
	ok "screenshot of the editor: $shot"
else
	not_ok "screenshot of the editor window $win"
fi

# Type a new gateway as a user would (Alt+G is the Gateway label's mnemonic, focusing an entry
# selects its text), save with Alt+S, and see it arrive in NetworkManager
"$helper" keys "$win" alt+g ctrl+a && "$helper" type "$win" vpn2.example.com &&
	"$helper" keys "$win" alt+s
saved() {
	data=$(nmcli -g vpn.data connection show office 2>/dev/null)
	[[ $data == *"gateway = vpn2.example.com"* && $data == *"user = alice"* ]]
}
data=
if poll 10 saved; then
	ok "typing a gateway in the editor and saving reaches NetworkManager"
else
	not_ok "typing a gateway in the editor and saving reaches NetworkManager"
	echo "# vpn.data: $data"
fi
# with --edit, nm-connection-editor quits once the connection is saved
nce_gone() { ! kill -0 "$nce" 2>/dev/null; }
if poll 10 nce_gone; then
	wait "$nce"
	rc=$?
	unset 'pids[-1]' # it was the last one started, and its PID is free again
	check "nm-connection-editor quits after saving (status $rc)" [ $rc = 0 ]
else
	not_ok "nm-connection-editor quits after saving"
fi

# GLib's criticals and warnings, ours (domain nm-roadie) and those of libnm's and libnma's
# plugin loaders, which name the plugin (the "Cannot save" messages while the gateway was
# being retyped are expected)
if grep -E 'CRITICAL|WARNING|roadie' "$W/nm-connection-editor.log" > "$W/complaints"; then
	not_ok "nm-connection-editor printed no criticals or warnings"
	sed 's/^/# /' "$W/complaints"
else
	ok "nm-connection-editor printed no criticals or warnings"
fi
[ $n = $PLAN ] || echo "# ran $n of $PLAN tests"
exit $failed

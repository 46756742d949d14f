#!/bin/bash
# tests/lab/e2e-applet.sh ROADIED APPLET X11_HELPER EDITOR_TEST ROADIECTL: roadie-applet against the lab's real
# server through NAT. roadied runs as the service in the client's namespace on a private
# system bus (roadie-client.sh); the applet, on Xvfb with a private session bus, stand-ins for
# a panel's StatusNotifierWatcher and a notification server, and a real gnome-keyring-daemon,
# is driven as a user would by tests/gui/test-applet-lab.py (what it checks is said there).
# TAP output.
set -uo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
ROADIED=$(realpath "$1")
APPLET=$(realpath "$2")
X11_HELPER=$(realpath "$3")
EDITOR_TEST=$(realpath "$4")
ROADIECTL=$(realpath "$5")
export ROADIE_LAB_CLIENT=host
source "$HERE/harness.sh"
tmp=$(mktemp -d)
chmod 755 "$tmp"
ROADIE_STATE=$tmp/state
started_lab=0
cleanup() {
	declare -F services_stop >/dev/null && services_stop
	[ -d "$ROADIE_STATE" ] && roadied_in rl-cli --restore >/dev/null 2>&1
	[ -n "${ROADIE_TEST_KEEP:-}" ] && cp -r "$tmp" "$ROADIE_TEST_KEEP"
	rm -rf "$tmp"
	[ $started_lab -eq 1 ] && "$LABCMD" down >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM
source "$HERE/roadie-client.sh"

vm_ready || started_lab=1
lab_ensure_up || { echo "Bail out! the lab did not come up"; exit 1; }
lab_ensure_topology nat >/dev/null 2>&1 && lab_ensure_variant default >/dev/null 2>&1 ||
	{ echo "Bail out! the lab could not switch to nat/default"; exit 1; }
client_resolv_conf rl-cli
service_up rl-cli || { echo "Bail out! roadied did not come up as a service in rl-cli"; exit 1; }

/usr/bin/python3 "$HERE/../gui/test-applet-lab.py" "$APPLET" "$X11_HELPER" "${svc_bus[rl-cli]}" \
	"$LABCMD exec swanctl --list-sas" "ip netns exec rl-cli ping -n -c 3 -W 2 192.0.2.254" \
	"$(svc_log rl-cli)" "$tmp" "$EDITOR_TEST" "$ROADIECTL"

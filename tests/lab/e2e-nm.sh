#!/bin/bash
# tests/lab/e2e-nm.sh ROADIED BUILDDIR: roadie as a NetworkManager VPN plugin against the
# lab's real server, through NAT.
#
# A real NetworkManager (Debian's) runs in the client's network namespace rl-cli with a mount
# namespace of its own: a private system bus (tmpfs on /run/dbus), its own state, the build
# tree's .name file bind-mounted over /etc/NetworkManager/VPN, /etc/resolv.conf bound to a file
# of the test's, and /sys read-only (so that it does not wait for udev, which knows nothing of
# the namespace's devices). It manages eth0 with a connection of its own (the base connection
# a VPN needs), and roadied runs as the service on that bus. Everything is driven with nmcli,
# as a user would, and checked from NetworkManager's view (nmcli), the host's (device,
# routes, resolv.conf) and the server's (swanctl, pppd's log). TAP output.
#
#   rl-cli (mount ns: dbus, NetworkManager, nm-roadie-service, roadied) eth0 198.51.100.2/26
#     -- rl-nat (MASQUERADE) -- WAN -- lab VM 203.0.113.10 (strongSwan, xl2tpd, pppd)
set -uo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
ROADIED=$(realpath "$1")
BUILD=$(realpath "$2")
export ROADIE_LAB_CLIENT=host
source "$HERE/harness.sh"
source "$HERE/../lib/tap.sh"
SRCDIR=$(cd "$HERE/../.." && pwd)
tmp=$(mktemp -d)
chmod 755 "$tmp"
ROADIE_STATE=$tmp/state
started_lab=0
holder_pid=
roadied_pid=
INNER=192.0.2.254

# inns CMD...: in NetworkManager's namespaces (rl-cli's network, the test's mount namespace)
inns() { nsenter -t "$holder_pid" -m -n "$@"; }

nm_stop() {
	local pid children
	[ -n "$holder_pid" ] || return 0
	inns nmcli connection down lab >/dev/null 2>&1
	# nm-roadie-service and the auth dialogs: NetworkManager's children
	children=$(pgrep -P "$(cat "$tmp/nm.pid" 2>/dev/null)" 2>/dev/null)
	for f in nm.pid dbus.pid; do
		pid=$(cat "$tmp/$f" 2>/dev/null) || continue
		kill -TERM "$pid" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null
	done
	if [ -n "$roadied_pid" ]; then
		kill -TERM "$roadied_pid" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$roadied_pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$roadied_pid" 2>/dev/null
		wait "$roadied_pid" 2>/dev/null
		roadied_pid=
	fi
	# nm-roadie-service, if NetworkManager left it behind
	for pid in $children; do kill -TERM "$pid" 2>/dev/null; done
	kill "$holder_pid" 2>/dev/null
	wait "$holder_pid" 2>/dev/null
	holder_pid=
	# NetworkManager leaves its routes (metric 100) behind: rl-cli back as topo.sh built it
	ip -n rl-cli link set eth0 down 2>/dev/null
	ip -n rl-cli addr flush dev eth0 2>/dev/null
	ip -n rl-cli route flush table main 2>/dev/null
	ip -n rl-cli addr add 198.51.100.2/26 dev eth0 2>/dev/null
	ip -n rl-cli link set eth0 up 2>/dev/null
	ip -n rl-cli route replace default via 198.51.100.1 2>/dev/null
}
cleanup() {
	nm_stop
	# NM_E2E_KEEP=DIR keeps the logs (NetworkManager's, roadied's, nmcli's)
	[ -n "${NM_E2E_KEEP:-}" ] && rm -rf "$NM_E2E_KEEP" && cp -r "$tmp" "$NM_E2E_KEEP"
	"$LABCMD" fault clear >/dev/null 2>&1
	rm -rf "$tmp"
	[ $started_lab -eq 1 ] && "$LABCMD" down >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

vm_ready || started_lab=1
lab_ensure_up || { echo "Bail out! the lab did not come up"; exit 1; }
lab_ensure_topology nat >/dev/null 2>&1 && lab_ensure_variant default >/dev/null 2>&1 ||
	{ echo "Bail out! the lab could not switch to nat/default"; exit 1; }
[ -f "$BUILD/data/nm/nm-roadie-service-build.name" ] ||
	{ echo "Bail out! no $BUILD/data/nm/nm-roadie-service-build.name (-Dnm_plugin)"; exit 1; }

# ---- NetworkManager's world ----

mkdir -p "$tmp/vpn" "$tmp/system.d" "$tmp/connections" "$tmp/state"
cp "$BUILD/data/nm/nm-roadie-service-build.name" "$tmp/vpn/nm-roadie-service.name"
# the machine's own bus policies, and roadie's two (roadied's, the plugin service's)
cp /etc/dbus-1/system.d/*.conf "$tmp/system.d/" 2>/dev/null
cp "$SRCDIR/data/dbus/org.roadie.Daemon.conf" "$SRCDIR/data/nm/nm-roadie-service.conf" "$tmp/system.d/"
printf 'nameserver 198.51.100.1\noptions timeout:1 attempts:1\n' >"$tmp/resolv.conf"
cat >"$tmp/NetworkManager.conf" <<EOF
[main]
plugins=keyfile
auth-polkit=false
no-auto-default=*
dns=default
rc-manager=unmanaged
[keyfile]
path=$tmp/connections
[logging]
level=INFO
EOF
# the base connection: eth0 as topo.sh configures it
cat >"$tmp/connections/lan.nmconnection" <<EOF
[connection]
id=lan
type=ethernet
interface-name=eth0
[ipv4]
method=manual
address1=198.51.100.2/26,198.51.100.1
dns=198.51.100.1
[ipv6]
method=disabled
EOF
chmod 600 "$tmp/connections/lan.nmconnection"
ip netns exec rl-cli unshare -m --propagation private bash -c '
	t=$1
	# (dispatcher.d: no hook script of this machine runs for this NetworkManager)
	for d in /run/dbus /run/NetworkManager /var/lib/NetworkManager /etc/NetworkManager/VPN \
		/etc/NetworkManager/dispatcher.d /etc/dbus-1/system.d; do
		mkdir -p "$d" && mount -t tmpfs tmpfs "$d" || exit 1
	done
	mount --bind "$t/vpn" /etc/NetworkManager/VPN &&
	mount --bind "$t/system.d" /etc/dbus-1/system.d &&
	mount --bind "$t/resolv.conf" /etc/resolv.conf &&
	mount -o remount,bind,ro /sys || exit 1
	touch "$t/holder.ready"
	exec sleep infinity' holder "$tmp" &
holder_pid=$!
for _ in $(seq 50); do [ -f "$tmp/holder.ready" ] && break; sleep 0.1; done
[ -f "$tmp/holder.ready" ] || { echo "Bail out! NetworkManager's namespace did not come up"; exit 1; }

inns dbus-daemon --system --fork --print-pid >"$tmp/dbus.pid" 2>"$tmp/dbus.log"
inns env DBUS_SYSTEM_BUS_ADDRESS=unix:path=/run/dbus/system_bus_socket \
	"$ROADIED" --state-dir "$ROADIE_STATE" --idle-exit 0 >"$tmp/roadied.log" 2>&1 &
roadied_pid=$!
inns NetworkManager --debug --config="$tmp/NetworkManager.conf" >"$tmp/nm.log" 2>&1 &
echo $! >"$tmp/nm.pid"
# NetworkManager first takes eth0's addresses as an outside ("external") configuration: the
# base connection is brought up by name, as a user would
for _ in $(seq 100); do inns nmcli -t general status >/dev/null 2>&1 && break; sleep 0.2; done
inns nmcli connection up lan >"$tmp/lan-up.out" 2>&1
inns nmcli -g GENERAL.STATE,GENERAL.CONNECTION device show eth0 >"$tmp/eth0.state" 2>&1
[ "$(tr '\n' ' ' <"$tmp/eth0.state")" = "100 (connected) lan " ]
ready=$?
result $ready "/lab/nm/networkmanager-manages-eth0" "$tmp/eth0.state" "$tmp/lan-up.out" "$tmp/nm.log"
[ $ready -eq 0 ] || { tap_plan; exit 1; }

# ---- the connection: made with nmcli, secrets saved in it ----

cat >"$tmp/lab.conf" <<'EOF'
[connection]
name=lab
gateway=203.0.113.10
[ipsec]
psk=roadie-lab-psk
[ppp]
user=alice
password=wonderland
EOF
if inns nmcli connection import type roadie file "$tmp/lab.conf" >"$tmp/import.out" 2>&1; then
	result 0 "/lab/nm/import-roadie-profile"
	import_ok=1
else
	result 1 "/lab/nm/import-roadie-profile" "$tmp/import.out"
	import_ok=0
	inns nmcli connection add type vpn con-name lab ifname '*' vpn-type roadie \
		vpn.data 'gateway=203.0.113.10, user=alice' \
		vpn.secrets 'ipsec-psk=roadie-lab-psk, password=wonderland' >>"$tmp/import.out" 2>&1
fi
inns nmcli -g vpn.service-type,vpn.data connection show lab >"$tmp/lab.show" 2>&1
grep -q '^org.freedesktop.NetworkManager.roadie$' "$tmp/lab.show" &&
	grep -q 'gateway = 203.0.113.10' "$tmp/lab.show" && grep -q 'user = alice' "$tmp/lab.show"
result $? "/lab/nm/connection-has-the-profile" "$tmp/lab.show" "$tmp/import.out"

# ---- a NetworkManager-l2tp export: every setting roadie has is carried, a line for each it
# has not (nmcli prints what the core plugin says) ----

l2tp_export=$SRCDIR/tests/nm-plugin/editor/data/nm-l2tp-export.conf
inns nmcli connection import type roadie file "$l2tp_export" >"$tmp/l2tp-import.out" 2>&1
result $? "/lab/nm/import-nm-l2tp-export" "$tmp/l2tp-import.out"
inns nmcli -g vpn.service-type,vpn.data connection show "Head Office" >"$tmp/l2tp.show" 2>&1
# (mtu=1400 and mru=1400 are roadie's defaults, so vpn.data leaves them out; refuse-pap and
# refuse-chap leave MS-CHAP, MS-CHAPv2 and EAP-MD5; never-default is default-route=no)
for want in 'gateway = 203.0.113.10' 'user = carol' 'ipsec-ike = aes256-sha1-modp2048' \
	'ipsec-esp = aes256-sha1' 'ipsec-pfs = none' 'ppp-auth = mschap\\,mschap-v2\\,eap-md5' \
	'routes = 10.1.0.0/16' 'default-route = no'; do
	grep -qF "$want" "$tmp/l2tp.show" || { echo "# missing: $want" >>"$tmp/l2tp.show"; false; }
done
grep -q '^org.freedesktop.NetworkManager.roadie$' "$tmp/l2tp.show" && ! grep -q '^# missing' "$tmp/l2tp.show"
result $? "/lab/nm/import-nm-l2tp-export/settings-carried" "$tmp/l2tp.show"
grep -q 'require-mppe' "$tmp/l2tp-import.out" && grep -q 'nodeflate' "$tmp/l2tp-import.out"
result $? "/lab/nm/import-nm-l2tp-export/a-line-for-each-unsupported" "$tmp/l2tp-import.out"
sed -n 's/^/# nmcli import: /p' "$tmp/l2tp-import.out" | head -n 8
inns nmcli connection delete "Head Office" >/dev/null 2>&1

# ---- nmcli connection up with the saved secrets ----

# up_cell NAME [ASK]: nmcli connection up (with ASK: nmcli --ask on a pseudo-terminal, typing
# the password at its prompt), then NetworkManager's view, the host's, the server's
up_cell() {
	local name=$1 ask=${2:-} t0 vpnip dev status
	# the routes with the base connection alone, to compare after down
	ip -n rl-cli route >"$tmp/routes-before"
	t0=$SECONDS
	if [ -n "$ask" ]; then
		python3 "$SRCDIR/tests/lib/pty-answer.py" 120 "$tmp/up.out" 'assword[^\n]*: ' wonderland -- \
			nsenter -t "$holder_pid" -m -n nmcli --ask connection up lab
		status=$?
		grep -q 'assword' "$tmp/up.out" && [ $status -eq 0 ]
		status=$?
	else
		timeout 120 nsenter -t "$holder_pid" -m -n nmcli connection up lab >"$tmp/up.out" 2>&1
		status=$?
	fi
	result $status "$name/nmcli-connection-up" "$tmp/up.out" "$tmp/nm.log" "$tmp/roadied.log"
	[ -n "${NM_E2E_PAUSE:-}" ] && { echo "# paused: nsenter -t $holder_pid -m -n"; sleep "$NM_E2E_PAUSE"; }
	echo "# nmcli connection up returned after $((SECONDS - t0)) s"
	inns nmcli -g GENERAL.STATE,GENERAL.VPN connection show lab >"$tmp/state.out" 2>&1
	inns nmcli -g IP4.ADDRESS,IP4.DNS connection show lab >"$tmp/ip.out" 2>&1
	inns nmcli device show >>"$tmp/ip.out" 2>&1
	[ "$(tr '\n' ' ' <"$tmp/state.out")" = "activated yes " ] && grep -q 'successfully activated' "$tmp/up.out"
	result $? "$name/nm-shows-the-vpn-activated" "$tmp/state.out" "$tmp/up.out"
	vpnip=$(inns nmcli -g IP4.ADDRESS connection show lab 2>/dev/null | sed -n 's|^\(192\.0\.2\.[0-9]*\)/.*|\1|p' | head -n 1)
	# the device that holds that address (NetworkManager lists it as roadie's tun)
	dev=$(ip -n rl-cli -o -4 addr show 2>/dev/null | awk -v a="$vpnip" '$4 == a || index($4, a "/") == 1 { print $2; exit }')
	echo "# NetworkManager: $dev, $vpnip, DNS $(inns nmcli -g IP4.DNS connection show lab 2>/dev/null | tr '\n' ' ')"
	[ -n "$vpnip" ] && [ -n "$dev" ] && inns nmcli -g GENERAL.TYPE device show "$dev" | grep -qx tun &&
		inns nmcli -g IP4.DNS connection show lab | grep -q '192.0.2.53'
	result $? "$name/address-and-dns-from-the-gateway" "$tmp/ip.out"
	# NetworkManager's resolver list (rc-manager=unmanaged: the machine's resolv.conf is
	# never touched; this is what it would write there)
	inns cat /run/NetworkManager/resolv.conf >"$tmp/resolv.now" 2>&1
	grep -q '^nameserver 192.0.2.53' "$tmp/resolv.now"
	result $? "$name/nm-resolver-list-has-the-gateway-dns" "$tmp/resolv.now" "$tmp/nm.log"
	# through the tunnel: NetworkManager made it the default route
	ip netns exec rl-cli ping -c 5 -i 0.3 -W 2 "$INNER" >"$tmp/ping.out" 2>&1 &&
		ip -n rl-cli route get "$INNER" | grep -q "dev $dev"
	result $? "$name/ping-through-the-tunnel" "$tmp/ping.out"
	"$LABCMD" exec swanctl --list-sas >"$tmp/sas.out" 2>&1
	grep -q 'INSTALLED, TRANSPORT-in-UDP' "$tmp/sas.out" && grep -q 'ESTABLISHED' "$tmp/sas.out"
	result $? "$name/server-has-our-sas" "$tmp/sas.out"
	"$LABCMD" exec ip -4 addr show >"$tmp/server-ppp.out" 2>&1
	[ -n "$vpnip" ] && grep -q "peer $vpnip" "$tmp/server-ppp.out"
	result $? "$name/server-ppp-link-to-our-address" "$tmp/server-ppp.out"
}

down_cell() { # NAME
	local name=$1 gone=1
	inns nmcli connection down lab >"$tmp/down.out" 2>&1
	result $? "$name/nmcli-connection-down" "$tmp/down.out"
	for _ in $(seq 50); do
		ip -n rl-cli link show 2>/dev/null | grep -q roadie || { gone=0; break; }
		sleep 0.1
	done
	ip -n rl-cli route >"$tmp/routes-after"
	[ $gone -eq 0 ] && diff "$tmp/routes-before" "$tmp/routes-after" >"$tmp/routes.diff" &&
		! inns grep -q 192.0.2.53 /run/NetworkManager/resolv.conf
	result $? "$name/nothing-left-behind" "$tmp/routes.diff" "$tmp/down.out"
	sleep 2
	"$LABCMD" exec swanctl --list-sas >"$tmp/sas-after.out" 2>&1
	! grep -q 'INSTALLED' "$tmp/sas-after.out"
	result $? "$name/server-has-no-sa-left" "$tmp/sas-after.out"
}

up_cell /lab/nm/nat/saved-secrets
down_cell /lab/nm/nat/saved-secrets

# ---- nmcli --ask: the password is not saved (flags 2) and typed at nmcli's prompt, which the
# auth dialog's external UI mode describes ----

inns nmcli connection modify lab +vpn.data 'password-flags=2' -vpn.secrets password >"$tmp/modify.out" 2>&1
inns nmcli -g vpn.data,vpn.secrets --show-secrets connection show lab >>"$tmp/modify.out" 2>&1
grep -q 'password-flags = 2' "$tmp/modify.out" && ! grep -q 'password = wonderland' "$tmp/modify.out"
result $? "/lab/nm/nat/ask/password-not-saved" "$tmp/modify.out"
up_cell /lab/nm/nat/ask ask
down_cell /lab/nm/nat/ask
inns nmcli connection modify lab -vpn.data password-flags >"$tmp/modify.out" 2>&1

# ---- a wrong password: nmcli fails, and NetworkManager's log has roadied's sentence ----

inns nmcli connection modify lab vpn.secrets 'ipsec-psk=roadie-lab-psk, password=not-the-password' >"$tmp/modify.out" 2>&1
t0=$SECONDS
! timeout 120 nsenter -t "$holder_pid" -m -n nmcli connection up lab >"$tmp/wrong.out" 2>&1
result $? "/lab/nm/nat/wrong-password/nmcli-fails" "$tmp/wrong.out"
echo "# wrong password: nmcli gave up after $((SECONDS - t0)) s: $(tr '\n' ' ' <"$tmp/wrong.out")"
grep -F "the gateway rejected user 'alice': wrong user name or password" "$tmp/nm.log" >"$tmp/wrong.nmlog"
result $? "/lab/nm/nat/wrong-password/roadied-sentence-in-nm-log" "$tmp/nm.log"
# the reason NetworkManager keeps: the login failed (so the next attempt asks again)
grep -q 'dbus: failure: login-failed' "$tmp/nm.log" && ! grep -q 'Unknown reason' "$tmp/wrong.out"
result $? "/lab/nm/nat/wrong-password/nm-reason-login-failed" "$tmp/wrong.out"
sed 's/^/# NetworkManager: /' "$tmp/wrong.nmlog" | head -n 2
ip -n rl-cli link show 2>/dev/null | grep -q roadie
[ $? -ne 0 ]
result $? "/lab/nm/nat/wrong-password/no-device-left"

# ---- certificates: alice's PKCS#12 and the lab CA, named in vpn.data as files; the service
# reads them (a system-wide connection: as root) and roadied gets their contents; the server
# verified alice's signature ----

PKI=$W/pki
if [ -f "$PKI/.complete" ] && lab_ensure_variant cert >/dev/null 2>&1; then
	mkdir -p "$tmp/alice"
	cp "$PKI/rsa/client.p12" "$PKI/rsa/ca.pem" "$tmp/alice/"
	chmod 600 "$tmp/alice/client.p12"
	inns nmcli connection add type vpn con-name labcert ifname '*' vpn-type roadie \
		vpn.data "gateway=203.0.113.10, user=alice, ipsec-auth=cert, ipsec-certificate=$tmp/alice/client.p12, ipsec-ca-certificate=$tmp/alice/ca.pem" \
		vpn.secrets 'ipsec-private-key-password=roadie-p12, password=wonderland' >"$tmp/cert-add.out" 2>&1
	marks=$(log_mark)
	timeout 120 nsenter -t "$holder_pid" -m -n nmcli connection up labcert >"$tmp/cert-up.out" 2>&1
	result $? "/lab/nm/nat/cert/nmcli-connection-up" "$tmp/cert-up.out" "$tmp/cert-add.out" "$tmp/nm.log"
	ip netns exec rl-cli ping -c 3 -i 0.3 -W 2 "$INNER" >"$tmp/cert-ping.out" 2>&1
	result $? "/lab/nm/nat/cert/ping-through-the-tunnel" "$tmp/cert-ping.out"
	log_since "$marks" charon.log >"$tmp/cert-server.log"
	"$LABCMD" exec swanctl --list-sas >"$tmp/cert-sas" 2>&1
	grep -qE "authentication of '[^']*CN=alice' with [A-Z0-9_]+ successful" "$tmp/cert-server.log" &&
		grep -q "CN=alice" "$tmp/cert-sas" && grep -q "INSTALLED, TRANSPORT" "$tmp/cert-sas"
	result $? "/lab/nm/nat/cert/server-verified-alice" "$tmp/cert-server.log" "$tmp/cert-sas"
	grep -F "the gateway's certificate checks out" "$tmp/nm.log" | tail -n 1 | sed 's/^/# NetworkManager: /'
	inns nmcli connection down labcert >"$tmp/cert-down.out" 2>&1
	result $? "/lab/nm/nat/cert/nmcli-connection-down" "$tmp/cert-down.out"

	# a private connection (connection.permissions user:nobody): the files are read with
	# nobody's rights, so nobody's own 0600 file works and root's does not
	mkdir -p "$tmp/nobody"
	cp "$PKI/rsa/client.p12" "$PKI/rsa/ca.pem" "$tmp/nobody/"
	chown nobody "$tmp/nobody/client.p12" && chmod 600 "$tmp/nobody/client.p12"
	inns nmcli connection add type vpn con-name labcert-nobody ifname '*' vpn-type roadie \
		connection.permissions user:nobody \
		vpn.data "gateway=203.0.113.10, user=alice, ipsec-auth=cert, ipsec-certificate=$tmp/nobody/client.p12, ipsec-ca-certificate=$tmp/nobody/ca.pem" \
		vpn.secrets 'ipsec-private-key-password=roadie-p12, password=wonderland' >"$tmp/nobody-add.out" 2>&1
	timeout 120 nsenter -t "$holder_pid" -m -n nmcli connection up labcert-nobody >"$tmp/nobody-up.out" 2>&1
	result $? "/lab/nm/nat/cert-private/owner-may-read-connects" "$tmp/nobody-up.out" "$tmp/nobody-add.out" "$tmp/nm.log"
	inns nmcli connection down labcert-nobody >/dev/null 2>&1
	chown root "$tmp/nobody/client.p12"
	! timeout 120 nsenter -t "$holder_pid" -m -n nmcli connection up labcert-nobody >"$tmp/nobody-up2.out" 2>&1 &&
		grep -qF "as the connection's owner nobody: cannot read $tmp/nobody/client.p12: permission denied" "$tmp/nm.log"
	result $? "/lab/nm/nat/cert-private/owner-may-not-read-refused" "$tmp/nobody-up2.out" "$tmp/nm.log"
	grep -F "as the connection's owner nobody" "$tmp/nm.log" | tail -n 1 | sed 's/^/# NetworkManager: /'
	lab_ensure_variant default >/dev/null 2>&1
else
	result 1 "/lab/nm/nat/cert (no lab PKI, or the lab could not switch to the cert variant)"
fi

# ---- the server's IKE daemon restarts under the connection: roadied reconnects by itself
# (auto-reconnect); NetworkManager keeps the VPN activated, gets the configuration again,
# and traffic flows once more ----

inns nmcli connection modify lab vpn.secrets 'ipsec-psk=roadie-lab-psk, password=wonderland' >"$tmp/modify.out" 2>&1
timeout 120 nsenter -t "$holder_pid" -m -n nmcli connection up lab >"$tmp/re-up.out" 2>&1
result $? "/lab/nm/nat/server-restart/nmcli-connection-up" "$tmp/re-up.out"
lines=$(wc -l <"$tmp/nm.log")
t0=$SECONDS
"$LABCMD" fault restart-ike >"$tmp/fault.out" 2>&1
back=1
for _ in $(seq 120); do
	tail -n +"$lines" "$tmp/nm.log" | grep -q 'lab: reconnecting' &&
		tail -n +"$lines" "$tmp/nm.log" | sed -n '/lab: reconnecting/,$p' | grep -q 'lab: connected$' && { back=0; break; }
	sleep 0.5
done
result $back "/lab/nm/nat/server-restart/roadied-reconnects" "$tmp/nm.log"
echo "# server IKE restart: connected again $((SECONDS - t0)) s after the restart"
sleep 2
[ "$(inns nmcli -g GENERAL.STATE connection show lab 2>/dev/null)" = activated ] &&
	ip netns exec rl-cli ping -c 3 -i 0.3 -W 2 "$INNER" >"$tmp/re-ping.out" 2>&1
result $? "/lab/nm/nat/server-restart/still-activated-and-pings-flow" "$tmp/re-ping.out" "$tmp/nm.log"
inns nmcli connection down lab >/dev/null 2>&1

tap_plan

#!/bin/bash
# roadied as the D-Bus service (TAP, root): a private dbus-daemon configured like a system bus
# with roadie's own policy file (data/dbus/org.roadie.Daemon.conf), a polkit stand-in that
# answers from a rules file and logs every check, and a network namespace where the gateway
# (192.0.2.1, a documentation address behind a veth pair) never answers, so connections stay
# in IKE phase 1 as long as a test needs them. Callers are root, nobody (65534) and daemon (1),
# through setpriv. Every API call, both answers of every authorisation (the action id checked
# in the stand-in's log), one user unable to disconnect another's connection, invalid
# settings with the key named, hostile arguments, two clients at once, kill -9 in mid-connect
# and the next start cleaning up, capabilities, idle exit.
#
#   service-dbus.sh ROADIED POLKIT-STANDIN SRCDIR
set -u
roadied=$1 standin=$2 srcdir=$3
tmp=$(mktemp -d /tmp/roadie-svc.XXXXXX)
chmod 755 "$tmp"
ns=roadie-svc-$$
pids=()
n=0 failed=0

cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
	sleep 0.3
	for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null; done
	ip netns del "$ns" 2>/dev/null
	rm -rf "/etc/netns/$ns"
	rm -rf "$tmp"
}
trap cleanup EXIT

result() { # STATUS NAME [DIAGNOSTIC]
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2"
	else
		failed=$((failed + 1))
		echo "not ok $n $2"
		[ -n "${3:-}" ] && sed 's/^/# /' <<<"$3"
	fi
	return 0
}

# wait_for SECONDS COMMAND...: until COMMAND succeeds
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -ge $deadline ] && return 1
		sleep 0.2
	done
}

# ---- the bus, the stand-in, the namespace ----

mkdir -p "$tmp/state"
source "$srcdir/tests/lib/system-bus.sh"
system_bus_start "$tmp" "$srcdir/data/dbus/org.roadie.Daemon.conf" || { echo "Bail out! dbus-daemon did not start"; exit 1; }
pids+=($SYSTEM_BUS_PID)
bus=$SYSTEM_BUS
export DBUS_SYSTEM_BUS_ADDRESS=$bus

rules=$tmp/polkit.rules
echo "# nothing allowed yet" >"$rules"
"$standin" "$bus" "$rules" --logind >"$tmp/polkit.log" 2>&1 &
pids+=($!)
standin_pid=$!
wait_for 10 grep -q ready "$tmp/polkit.log" || { echo "Bail out! the polkit stand-in did not start"; exit 1; }

ip netns add "$ns"
ip -n "$ns" link set lo up
# a veth pair inside the namespace: what goes to the gateway leaves by v0 and is never answered
ip -n "$ns" link add v0 type veth peer name v1
ip -n "$ns" addr add 192.0.2.2/24 dev v0
ip -n "$ns" link set v0 up
ip -n "$ns" link set v1 up
ip -n "$ns" neigh add 192.0.2.1 lladdr 02:00:00:00:00:01 dev v0 nud permanent
mkdir -p "/etc/netns/$ns"
echo "nameserver 192.0.2.53" >"/etc/netns/$ns/resolv.conf"

start_roadied() { # [ARGS...]: roadied as the service in the namespace
	ip netns exec "$ns" "$roadied" --state-dir "$tmp/state" "$@" >>"$tmp/roadied.log" 2>&1 &
	roadied_pid=$!
	pids+=($roadied_pid)
}
has_name() { system_bus_has org.roadie.Daemon; }

# as USER (a uid): gdbus with the private bus
as() {
	local uid=$1
	shift
	if [ "$uid" = 0 ]; then
		"$@"
	else
		setpriv --reuid="$uid" --regid="$uid" --clear-groups env DBUS_SYSTEM_BUS_ADDRESS="$bus" "$@"
	fi
}
connect() { # UID SETTINGS SECRETS OPTIONS: prints the reply or the error, returns gdbus's status
	local uid=$1
	as "$uid" gdbus call --system --dest org.roadie.Daemon --object-path /org/roadie/Daemon1 \
		--method org.roadie.Daemon1.Connect "$2" "$3" "$4" 2>&1
}
get() { # PATH INTERFACE PROPERTY
	gdbus call --system --dest org.roadie.Daemon --object-path "$1" \
		--method org.freedesktop.DBus.Properties.Get "$2" "$3" 2>&1
}
state_of() { get "$1" org.roadie.Connection1 State | sed -n "s/^(<'\(.*\)'>,)$/\1/p"; }
disconnect() { # UID PATH
	as "$1" gdbus call --system --dest org.roadie.Daemon --object-path "$2" \
		--method org.roadie.Connection1.Disconnect 2>&1
}
path_of() { sed -n "s/^(objectpath '\(.*\)',)$/\1/p" <<<"$1"; }
checks() { grep -c "^check $1 $2 $3" "$tmp/polkit.log"; }
alive() { kill -0 "$roadied_pid" 2>/dev/null; }

good_settings="{'name': <'office'>, 'gateway': <'192.0.2.1'>, 'user': <'alice'>}"
good_secrets="{'ipsec-psk': <'psk-not-in-logs'>, 'password': <'password-not-in-logs'>}"

# ---- the policy: only root owns the name ----

out=$(setpriv --reuid=65534 --regid=65534 --clear-groups env DBUS_SYSTEM_BUS_ADDRESS="$bus" \
	"$roadied" --keep-capabilities --idle-exit 0 --state-dir "$tmp/state" 2>&1)
status=$?
result $([ $status -ne 0 ] && grep -q "cannot own org.roadie.Daemon" <<<"$out"; echo $?) \
	"the bus policy lets only root own org.roadie.Daemon" "status $status: $out"

start_roadied --idle-exit 0
wait_for 10 has_name
result $? "roadied owns org.roadie.Daemon on the private system bus" "$(cat "$tmp/roadied.log")"

out=$(get /org/roadie/Daemon1 org.roadie.Daemon1 Version)
result $(grep -q "<'$("$roadied" --version | cut -d' ' -f2)'>" <<<"$out"; echo $?) "Version" "$out"
out=$(get /org/roadie/Daemon1 org.roadie.Daemon1 Connections)
result $(grep -q "<@ao \[\]>" <<<"$out"; echo $?) "Connections is empty at first" "$out"
out=$(gdbus introspect --system --dest org.roadie.Daemon --object-path /org/roadie/Daemon1 2>&1)
result $(grep -q "org.freedesktop.DBus.ObjectManager" <<<"$out" && grep -q "Connect(" <<<"$out"; echo $?) \
	"/org/roadie/Daemon1 has Daemon1 and the ObjectManager" "$out"

# capabilities: NET_BIND_SERVICE (10), NET_ADMIN (12), NET_RAW (13), nothing else; no_new_privs
eff=$(sed -n 's/^CapEff:\t//p' /proc/$roadied_pid/status)
bnd=$(sed -n 's/^CapBnd:\t//p' /proc/$roadied_pid/status)
nnp=$(sed -n 's/^NoNewPrivs:\t//p' /proc/$roadied_pid/status)
result $([ "$eff" = 0000000000003400 ] && [ "$bnd" = 0000000000003400 ] && [ "$nnp" = 1 ]; echo $?) \
	"started without systemd, roadied keeps only NET_ADMIN, NET_BIND_SERVICE and NET_RAW" \
	"CapEff $eff CapBnd $bnd NoNewPrivs $nnp"

# ---- authorisation of Connect ----

out=$(connect 65534 "$good_settings" "$good_secrets" "{}")
result $(grep -q "org.roadie.Error.NotAuthorized" <<<"$out" && [ "$(checks org.roadie.connect 65534 no)" -ge 1 ]; echo $?) \
	"Connect refused when polkit says no (org.roadie.connect asked for uid 65534)" "$out"
echo "org.roadie.connect 65534 challenge" >"$rules"
out=$(connect 65534 "$good_settings" "$good_secrets" "{}")
result $(grep -q "NotAuthorized.*authenticat" <<<"$out"; echo $?) \
	"a polkit challenge without interaction is refused with a sentence" "$out"
cat >"$rules" <<'EOF'
org.roadie.connect 65534 yes
org.roadie.connect 1 yes
EOF

# ---- invalid settings: the key named ----

try_invalid() { # NAME WANT_ERROR WANT_TEXT SETTINGS SECRETS OPTIONS
	local out
	out=$(connect 65534 "$4" "$5" "$6")
	result $(grep -q "org.roadie.Error.$2" <<<"$out" && grep -q -- "$3" <<<"$out" && alive; echo $?) "$1" "$out"
}
try_invalid "no gateway: InvalidSettings naming connection.gateway" InvalidSettings "connection.gateway" \
	"{'name': <'office'>, 'user': <'alice'>}" "$good_secrets" "{}"
try_invalid "an unknown key is named" InvalidSettings "frobnicate" \
	"{'name': <'office'>, 'gateway': <'192.0.2.1'>, 'user': <'alice'>, 'frobnicate': <'x'>}" "$good_secrets" "{}"
try_invalid "a wrong type is named" InvalidSettings "ipsec.dpd-interval" \
	"{'name': <'office'>, 'gateway': <'192.0.2.1'>, 'user': <'alice'>, 'ipsec-dpd-interval': <'soon'>}" "$good_secrets" "{}"
try_invalid "a secret in the settings is refused" InvalidSettings "ipsec.psk" \
	"{'name': <'office'>, 'gateway': <'192.0.2.1'>, 'user': <'alice'>, 'ipsec-psk': <'x'>}" "{'password': <'p'>}" "{}"
try_invalid "a missing PSK is InvalidSecrets" InvalidSecrets "ipsec.psk" \
	"$good_settings" "{'password': <'p'>}" "{}"
try_invalid "a certificate path is refused: roadied opens no file a caller names" InvalidSettings "ipsec-certificate" \
	"{'name': <'office'>, 'gateway': <'192.0.2.1'>, 'user': <'alice'>, 'ipsec-auth': <'cert'>, 'ipsec-certificate': <'/root/.ssh/id_rsa'>}" "{'password': <'p'>}" "{}"
try_invalid "an unknown option is named" InvalidSettings "frob" "$good_settings" "$good_secrets" "{'frob': <true>}"
try_invalid "an option of the wrong type is named" InvalidSettings "configure-interface" \
	"$good_settings" "$good_secrets" "{'configure-interface': <'yes'>}"
out=$(as 65534 dbus-send --system --print-reply --dest=org.roadie.Daemon /org/roadie/Daemon1 \
	org.roadie.Daemon1.Connect string:office 2>&1)
result $(grep -q "InvalidArgs" <<<"$out" && alive; echo $?) "wrong argument types: InvalidArgs, roadied lives on" "$out"
huge=$(head -c 100000 /dev/zero | tr '\0' a)
out=$(connect 65534 "{'name': <'office'>, 'gateway': <'$huge'>, 'user': <'alice'>}" "$good_secrets" "{}")
result $(grep -q "org.roadie.Error.InvalidSettings" <<<"$out" && alive; echo $?) \
	"a 100 kB gateway: refused, roadied lives on" "$(head -c 300 <<<"$out")"
out=$(connect 65534 "{'name': <'office'>, 'gateway': <'192.0.2.1'>, 'user': <'al\\u0000ice'>}" "$good_secrets" "{}")
result $(alive; echo $?) "a NUL inside a string: answered, roadied lives on" "$(head -c 300 <<<"$out")"
# nothing secret reached the log
result $(! grep -q -e "psk-not-in-logs" -e "password-not-in-logs" "$tmp/roadied.log"; echo $?) \
	"no secret in roadied's log"

# ---- a connection as an object ----

gdbus monitor --system --dest org.roadie.Daemon >"$tmp/monitor.log" 2>&1 &
pids+=($!)
monitor_pid=$!
sleep 0.5
out=$(connect 65534 "$good_settings" "$good_secrets" "{'auto-reconnect': <false>}")
conn1=$(path_of "$out")
result $([ -n "$conn1" ]; echo $?) "Connect returns a connection object" "$out"
wait_for 10 eval '[ "$(state_of "$conn1")" = ike-phase1 ]'
result $? "its State goes to ike-phase1 (the gateway never answers)" "$(get "$conn1" org.roadie.Connection1 State)"
out=$(get "$conn1" org.roadie.Connection1 Owner)
result $(grep -q "<uint32 65534>" <<<"$out"; echo $?) "Owner is the caller's uid" "$out"
out=$(get "$conn1" org.roadie.Connection1 Profile)
result $(grep -q "<'office'>" <<<"$out"; echo $?) "Profile is the name given" "$out"
out=$(get /org/roadie/Daemon1 org.roadie.Daemon1 Connections)
result $(grep -q "$conn1" <<<"$out"; echo $?) "Connections lists it" "$out"
out=$(gdbus call --system --dest org.roadie.Daemon --object-path /org/roadie/Daemon1 \
	--method org.freedesktop.DBus.ObjectManager.GetManagedObjects 2>&1)
result $(grep -q "$conn1" <<<"$out" && grep -q "org.roadie.Connection1" <<<"$out"; echo $?) \
	"the ObjectManager lists it" "$(head -c 400 <<<"$out")"
wait_for 5 grep -q "Progress.*IKE Main Mode with 192.0.2.1" "$tmp/monitor.log"
result $? "Progress signals: a line per step" "$(tail -5 "$tmp/monitor.log")"
result $(grep -q "PropertiesChanged.*ike-phase1" "$tmp/monitor.log"; echo $?) \
	"PropertiesChanged carries the State" "$(grep -m3 PropertiesChanged "$tmp/monitor.log")"
out=$(connect 65534 "$good_settings" "$good_secrets" "{}")
result $(grep -q "org.roadie.Error.AlreadyConnected" <<<"$out"; echo $?) \
	"the same profile again for the same user: AlreadyConnected" "$out"
out=$(get "$conn1" org.roadie.Connection1 Reason)
result $(grep -q "<('', '')>" <<<"$out"; echo $?) "no Reason while connecting" "$out"
all_props=$(gdbus call --system --dest org.roadie.Daemon --object-path "$conn1" \
	--method org.freedesktop.DBus.Properties.GetAll org.roadie.Connection1 2>&1)
result $(! grep -q -e "psk-not-in-logs" -e "password-not-in-logs" <<<"$all_props" &&
	 ! grep -q -e "psk-not-in-logs" -e "password-not-in-logs" "$tmp/monitor.log"; echo $?) \
	"no secret in any property or signal" "$all_props"

# a second user at the same time, with the same profile name: their own connection
out=$(connect 1 "$good_settings" "$good_secrets" "{'configure-interface': <false>}")
conn2=$(path_of "$out")
result $([ -n "$conn2" ] && [ "$conn2" != "$conn1" ]; echo $?) \
	"two clients at once: another user's Connect gets its own object" "$out"
wait_for 10 eval '[ "$(state_of "$conn2")" = ike-phase1 ]'
result $? "both connect at once" "$(state_of "$conn1") $(state_of "$conn2")"

# ---- Disconnect: by uid ----

# the owner too is asked for: with org.roadie.connect refused, not even one's own
cp "$rules" "$rules.saved"
echo "org.roadie.connect 65534 no" >"$rules"
before=$(checks org.roadie.connect 65534 no)
out=$(disconnect 65534 "$conn1")
result $(grep -q "org.roadie.Error.NotAuthorized" <<<"$out" && [ "$(checks org.roadie.connect 65534 no)" -gt "$before" ] &&
	 [ "$(state_of "$conn1")" = ike-phase1 ]; echo $?) \
	"the owner's Disconnect is authorised too (org.roadie.connect refused: NotAuthorized)" "$out"
mv "$rules.saved" "$rules"

out=$(disconnect 1 "$conn1")
result $(grep -q "org.roadie.Error.NotAuthorized" <<<"$out" && [ "$(checks org.roadie.manage 1 no)" -ge 1 ] &&
	 [ "$(state_of "$conn1")" = ike-phase1 ]; echo $?) \
	"one user cannot disconnect another's connection (org.roadie.manage asked, refused)" "$out"
echo "org.roadie.manage 1 yes" >>"$rules"
out=$(disconnect 1 "$conn2")
result $([ -z "$(sed 's/()//' <<<"$out")" ] && [ "$(checks org.roadie.connect 1 yes)" -ge 2 ]; echo $?) \
	"a user disconnects their own connection (org.roadie.connect asked)" "$out"
wait_for 10 eval '! gdbus introspect --system --dest org.roadie.Daemon --object-path "$conn2" 2>/dev/null | grep -q Connection1'
result $? "the object goes after disconnecting (ObjectManager InterfacesRemoved)" \
	"$(grep -c InterfacesRemoved "$tmp/monitor.log")"
result $(grep -q "'disconnecting'" "$tmp/monitor.log" && grep -q "'disconnected'" "$tmp/monitor.log"; echo $?) \
	"State went through disconnecting to disconnected" "$(grep -m4 "disconnect" "$tmp/monitor.log")"
out=$(disconnect 1 "$conn1")
result $([ -z "$(sed 's/()//' <<<"$out")" ] && [ "$(checks org.roadie.manage 1 yes)" -ge 1 ]; echo $?) \
	"with org.roadie.manage, another user's connection can be disconnected" "$out"
wait_for 8 eval '[ "$(state_of "$conn1")" != ike-phase1 ]'
out=$(disconnect 65534 "$conn1")
result $(grep -q -e "NotConnected" -e "UnknownObject" -e "UnknownMethod" <<<"$out"; echo $?) \
	"Disconnect of an ended connection: an error" "$out"

# ---- a failure: the Reason, then the object goes ----

out=$(connect 65534 "{'name': <'nowhere'>, 'gateway': <'198.51.100.7'>, 'user': <'alice'>}" "$good_secrets" "{}")
conn3=$(path_of "$out")
wait_for 10 eval '[ "$(state_of "$conn3")" = failed ]'
out=$(get "$conn3" org.roadie.Connection1 Reason)
result $(grep -q "host-config" <<<"$out" && grep -q "no route to the gateway 198.51.100.7" <<<"$out"; echo $?) \
	"a gateway without a route: failed, with a code and a sentence" "$out"

# ---- kill -9 in mid-connection, then the next start cleans up ----

out=$(connect 65534 "$good_settings" "$good_secrets" "{}")
conn4=$(path_of "$out")
wait_for 10 eval '[ "$(state_of "$conn4")" = ike-phase1 ]'
routes_during=$(ip -n "$ns" route show; ip -n "$ns" -6 route show)
result $(grep -q "blackhole 0.0.0.0/1" <<<"$routes_during" && grep -q "192.0.2.1 " <<<"$routes_during"; echo $?) \
	"while connecting, the guard is up (blackholes, the gateway pinned)" "$routes_during"
kill -9 "$roadied_pid"
wait "$roadied_pid" 2>/dev/null
routes_after_kill=$(ip -n "$ns" route show)
start_roadied --idle-exit 0
wait_for 10 has_name
routes_clean=$(ip -n "$ns" route show; ip -n "$ns" -6 route show | grep -v "^fe80\|^ff00\|^multicast")
result $(grep -q blackhole <<<"$routes_after_kill" && ! grep -q -e blackhole -e "192.0.2.1 " <<<"$routes_clean" &&
	 [ -z "$(ls "$tmp/state" | grep journal)" ]; echo $?) \
	"roadied killed in mid-connection: the next start undoes its routes and journal" \
	"after kill: $routes_after_kill
after start: $routes_clean
state: $(ls "$tmp/state")"

# ---- SIGTERM with a connection up: it ends, the host is restored ----

out=$(connect 65534 "$good_settings" "$good_secrets" "{}")
conn5=$(path_of "$out")
wait_for 10 eval '[ "$(state_of "$conn5")" = ike-phase1 ]'
kill -TERM "$roadied_pid"
wait_for 10 eval '! alive'
status=$?
routes_clean=$(ip -n "$ns" route show)
result $([ $status -eq 0 ] && ! grep -q -e blackhole -e "192.0.2.1 " <<<"$routes_clean"; echo $?) \
	"SIGTERM: roadied ends its connections and restores the routes" "$routes_clean"

# ---- idle exit ----

start_roadied --idle-exit 1
wait_for 10 has_name
wait_for 10 eval '! alive'
status=$?
wait "$roadied_pid" 2>/dev/null
code=$?
result $([ $status -eq 0 ] && [ $code -eq 0 ]; echo $?) \
	"with --idle-exit 1 and no connection, roadied exits by itself (status 0)" "exit $code: $(tail -40 "$tmp/roadied.log")"

kill "$monitor_pid" 2>/dev/null
echo "1..$n"
echo "# $failed failed" >&2

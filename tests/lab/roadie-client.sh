# tests/lab/roadie-client.sh: roadied as the client under test, for the e2e scripts (source
# after harness.sh and lib/tap.sh; needs ROADIED and tmp).
INNER=192.0.2.254

# roadied runs as the D-Bus service, one per client namespace, on a private system bus of
# its own (tests/lib/system-bus.sh: roadie's bus policy, never the machine's bus); the
# connections are made and ended with roadiectl, as a user would.
SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ROADIECTL=${ROADIECTL:-$(dirname "$ROADIED")/../cli/roadiectl}
source "$SRCDIR/tests/lib/system-bus.sh"
declare -A svc_pids=() svc_bus=() svc_bus_pids=()

# service_up NS: the bus for NS and roadied as the service in it (again if NS was rebuilt:
# a topology switch makes a new namespace of the same name; or if SERVICE_ARGS, more roadied
# options such as --debug, changed)
declare -A svc_args=()
service_up() {
	local ns=$1 dir=$tmp/svc-$1 pid=${svc_pids[$1]:-}
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "${svc_args[$ns]:-}" = "${SERVICE_ARGS:-}" ] &&
		[ "$(stat -L -c %i "/run/netns/$ns" 2>/dev/null)" = "$(stat -L -c %i "/proc/$pid/ns/net" 2>/dev/null)" ]; then
		return 0
	fi
	service_down "$ns"
	if [ -z "${svc_bus[$ns]:-}" ]; then
		system_bus_start "$dir" "$SRCDIR/data/dbus/org.roadie.Daemon.conf" || return 1
		svc_bus[$ns]=$SYSTEM_BUS
		svc_bus_pids[$ns]=$SYSTEM_BUS_PID
	fi
	SYSTEM_BUS=${svc_bus[$ns]}
	ROADIE_TEST_SYSTEM_BUS=${svc_bus[$ns]} roadied_cmd "$ns"
	# shellcheck disable=SC2086
	"${ROADIED_CMD[@]}" --idle-exit 0 ${SERVICE_ARGS:-} >>"$dir/roadied.log" 2>&1 &
	svc_pids[$ns]=$!
	svc_args[$ns]=${SERVICE_ARGS:-}
	for _ in $(seq 50); do system_bus_has org.roadie.Daemon && return 0; sleep 0.1; done
	return 1
}
# service_down NS: SIGTERM, as systemd stops it (connections end, the host is restored)
service_down() {
	local pid=${svc_pids[$1]:-}
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "svc_pids[$1]"
}
# service_kill9 NS: as a crash would
service_kill9() {
	local pid=${svc_pids[$1]:-}
	[ -n "$pid" ] || return 1
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	unset "svc_pids[$1]"
	monitor_stop "$1"
}
svc_log() { echo "$tmp/svc-$1/roadied.log"; }
# facts NS: the connection's state, IP configuration and suites as JSON (roadiectl status)
facts() { ctl "$1" status --json; }
# services_stop: every service and bus (the scripts' cleanup)
services_stop() {
	local ns
	for ns in "${!svc_pids[@]}"; do monitor_stop "$ns"; service_down "$ns"; done
	for ns in "${!svc_bus_pids[@]}"; do kill "${svc_bus_pids[$ns]}" 2>/dev/null; done
}
# ctl NS ARGS...: roadiectl against NS's roadied
ctl() {
	local ns=$1
	shift
	DBUS_SYSTEM_BUS_ADDRESS=${svc_bus[$ns]} "$ROADIECTL" "$@"
}

# up NS LOG [IPSEC LINES [MORE GROUPS]]: roadiectl connect (PPP_LINES: more of [ppp];
# CONNECT_ARGS: more roadiectl options; AUTO_RECONNECT: the profile's, default false);
# returns once connected (0) or failed. LOG gets `roadiectl monitor --timestamps`'s lines
# (every progress line and state, also after connect returned, until down); connect's own
# output goes to LOG.connect.
up() {
	local ns=$1 log=$2 prof=$2.conf status
	printf '[connection]\ngateway=203.0.113.10\nauto-reconnect=%s\n[ipsec]\npsk=roadie-lab-psk\n%b[ppp]\nuser=alice\npassword=%s\n%b%b' \
		"${AUTO_RECONNECT:-false}" "${3:-}" "${PASSWORD:-wonderland}" "${PPP_LINES:-}" "${4:-}" >"$prof"
	chmod 600 "$prof"
	: >"$log"
	service_up "$ns" || { echo "roadied did not come up as a service in $ns" >>"$log"; return 1; }
	monitor_stop "$ns"
	DBUS_SYSTEM_BUS_ADDRESS=${svc_bus[$ns]} "$ROADIECTL" monitor --timestamps >>"$log" 2>&1 &
	echo $! >"$tmp/svc-$ns/monitor.pid"
	for _ in $(seq 50); do grep -q "roadie: monitoring" "$log" && break; sleep 0.1; done
	# shellcheck disable=SC2086
	timeout 90 env DBUS_SYSTEM_BUS_ADDRESS="${svc_bus[$ns]}" "$ROADIECTL" connect --no-ask \
		${CONNECT_ARGS:-} "$prof" >"$log.connect" 2>&1
	status=$?
	[ $status -eq 0 ] || cat "$log.connect" >>"$log"
	return $status
}
monitor_stop() {
	local pid
	pid=$(cat "$tmp/svc-$1/monitor.pid" 2>/dev/null)
	[ -n "$pid" ] || return 0
	sleep 0.3 # the last lines
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rm -f "$tmp/svc-$1/monitor.pid"
}
# down NS: roadiectl disconnect, and nothing left: no roadie device in NS
down() {
	local ns=$1
	[ -n "${svc_pids[$ns]:-}" ] || return 1
	ctl "$ns" disconnect --all >/dev/null 2>&1
	for _ in $(seq 50); do ip -n "$ns" link show 2>/dev/null | grep -q roadie || break; sleep 0.1; done
	monitor_stop "$ns"
	! ip -n "$ns" link show 2>/dev/null | grep -q roadie
}
# what a connection could change in NS: addresses, routes, the resolver (compared after down)
host_state() {
	client_resolv_conf "$1" # what roadied will find (a topology switch removes it)
	ip -n "$1" -o addr show 2>&1 | grep -v roadie | awk '{$1=""; print}'
	ip -n "$1" route show table all 2>&1 | grep -v roadie
	ip -n "$1" -6 route show table all 2>&1 | grep -v roadie
	ip netns exec "$1" cat /etc/resolv.conf 2>&1
}
dev_of() { sed -n 's/.*connected through \([a-z0-9]*\).*/\1/p' "$1" | head -n 1; }
addr_of() { sed -n 's/.*connected: [a-z0-9]*, address \([0-9.]*\),.*/\1/p' "$1" | head -n 1; }
ping_inner() { # NS LOG
	local dev
	dev=$(dev_of "$2")
	[ -n "$dev" ] && ip -n "$1" route replace "$INNER/32" dev "$dev" &&
		ip netns exec "$1" ping -c 5 -i 0.3 -W 2 "$INNER" >>"$2" 2>&1
}

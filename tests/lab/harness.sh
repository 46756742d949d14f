#!/bin/bash
# tests/lab/harness.sh: the end-to-end harness (a library to source, or a command).
#
#   harness.sh cell TOPOLOGY VARIANT [nm-defaults|tuned]   run one cell, print its verdict
#
# A test names its topology and variant; the harness brings the lab up once (lab up is
# idempotent), switches topology and server variant only when they change, runs the client
# under test from the client namespace, checks the client's view (PPP address, ping to
# 192.0.2.254 through the tunnel) and the SERVER's view (vm/check-server: ESP SA pair in
# transport mode, UDP-encapsulated exactly when there is NAT, IKE daemon's SA list, the PPP
# session in pppd's log), and on failure collects both sides' logs under
# /var/tmp/roadie-lab/results/<cell>/.
#
# The client under test is chosen by ROADIE_LAB_CLIENT:
#   reference (default)  the NetworkManager-l2tp stack inside the VM (vm/refclient), in the
#                        VM-side copy of the topology (its NAT's public address is .3x)
#   host:COMMAND         a client on the host, in the host-side namespaces rl-cli / rl-cli2
#                        (public address .2x). Contract: `COMMAND up NS OPTIONS...` connects
#                        and returns (the client keeps running; its pid in
#                        /var/tmp/roadie-lab/run/client-NS.pid so lab down can stop it),
#                        printing "RESULT connected ppp=ADDR dev=DEV" or
#                        "RESULT failed: REASON"; `COMMAND down NS` disconnects. The
#                        environment has LAB_SERVER, LAB_PSK, LAB_USER, LAB_PASS, LAB_INNER.
#                        OPTIONS are the reference client's (--ephemeral-port, --ike, --esp)
#                        and may be ignored.
# Results: CELL_RESULT ("connected" or "failed: REASON"), CELL_DETAIL (lines), CELL_SECONDS.
HARNESS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HARNESS_DIR/lib/common.sh"
LABCMD=$HARNESS_DIR/lab
RESULTS=$W/results
ROADIE_LAB_CLIENT=${ROADIE_LAB_CLIENT:-reference}

lab_ensure_up() { vm_ready || "$LABCMD" up >&2; }

# roadied_in NS ARGS...: roadied in client namespace NS as the e2e tests run it. The host's
# own resolver and system bus are never touched: `ip netns exec` binds /etc/netns/NS/
# resolv.conf (made here when missing: the cafe's resolver, the NAT router) over
# /etc/resolv.conf in a private mount namespace, and the system bus address leads nowhere
# (or to the test's private bus in ROADIE_TEST_SYSTEM_BUS).
# roadied journals its changes in $ROADIE_STATE.
ROADIE_STATE=${ROADIE_STATE:-$W/roadie-state}
client_resolv_conf() { # NS
	[ -f "/etc/netns/$1/resolv.conf" ] && return
	mkdir -p "/etc/netns/$1"
	printf 'nameserver 198.51.100.1\noptions timeout:1 attempts:1\n' >"/etc/netns/$1/resolv.conf"
}
# roadied_cmd NS: the command in the array ROADIED_CMD, to run as "${ROADIED_CMD[@]}" ARGS &
# (a simple command, so that $! is roadied itself and gets the signals sent to it)
roadied_cmd() {
	client_resolv_conf "$1"
	ROADIED_CMD=(env "DBUS_SYSTEM_BUS_ADDRESS=${ROADIE_TEST_SYSTEM_BUS:-unix:path=/nonexistent/roadie-tests}"
		ip netns exec "$1" "$ROADIED" --state-dir "$ROADIE_STATE")
}
roadied_in() { # NS ARGS...: in the foreground
	roadied_cmd "$1"
	shift
	"${ROADIED_CMD[@]}" "$@"
}

lab_ensure_topology() {
	[ "$(cat "$CHAN/topology" 2>/dev/null)" = "$1" ] && [ "$(cat "$RUN/host-topology" 2>/dev/null)" = "$1" ] && return 0
	"$LABCMD" topology "$1" >&2
}
lab_ensure_variant() {
	[ "$(cat "$CHAN/variant" 2>/dev/null)" = "$1" ] && return 0
	"$LABCMD" variant "$1" >&2
}

client_side() { [ "$ROADIE_LAB_CLIENT" = reference ] && echo vm || echo host; }
# the address the server sees for the client (its outermost NAT, or itself)
client_public() { # TOPOLOGY
	local b=30
	[ "$(client_side)" = host ] && b=20
	case $1 in
	direct) echo "203.0.113.$((b + 1))" ;;
	double-nat) echo "203.0.113.$((b + 3))" ;;
	*) echo "203.0.113.$((b + 2))" ;;
	esac
}

client_up() { # NS OPTIONS...
	local ns=$1
	shift
	if [ "$ROADIE_LAB_CLIENT" = reference ]; then
		"$LABCMD" exec -t 120 bash "$LAB/vm/refclient" up --ns "$ns" "$@"
	else
		env LAB_SERVER="$SERVER_IP" LAB_PSK="$SERVER_PSK" LAB_USER="$VPN_USER" LAB_PASS="$VPN_PASS" \
			LAB_INNER="$INNER_IP" ${ROADIE_LAB_CLIENT#host:} up "$ns" "$@"
	fi
}
client_down() { # NS
	if [ "$ROADIE_LAB_CLIENT" = reference ]; then
		"$LABCMD" exec -t 60 bash "$LAB/vm/refclient" down --ns "$1" >/dev/null 2>&1
	else
		${ROADIE_LAB_CLIENT#host:} down "$1" >/dev/null 2>&1
	fi
}
# client_run NS SHELL-COMMAND: in the client's network namespace
client_run() {
	if [ "$ROADIE_LAB_CLIENT" = reference ]; then
		"$LABCMD" exec -t 120 bash "$LAB/vm/refclient" run "$1" bash -c "$2"
	else
		ip netns exec "$1" bash -c "$2"
	fi
}
client_logs() { # NS DEST
	if [ "$ROADIE_LAB_CLIENT" = reference ]; then
		cp -r "$CHAN/log/$1" "$2/client-$1" 2>/dev/null
		client_run "$1" 'ip -4 addr; ip route; ip xfrm state; ip xfrm policy' >"$2/client-$1/net.txt" 2>&1
	else
		ip netns exec "$1" sh -c 'ip -4 addr; ip route' >"$2/client-$1-net.txt" 2>&1
	fi
}

# ping through the tunnel: 192.0.2.254 exists only on the server's dummy0, and no other
# path leads there (the client's default route ends at its NAT, whose route ends at the
# WAN's "ISP router", which forwards nothing)
PING_CMD='d=$(ip -4 -o addr show | awk '"'"'$2 ~ /^ppp|^tun|^roadie/ {print $2; exit}'"'"'); [ -n "$d" ] || { echo "no tunnel interface"; exit 1; }; ip route replace 192.0.2.254/32 dev $d 2>/dev/null; ping -n -c COUNT -i 0.3 -W 3 192.0.2.254 | tail -2'
client_ping() { # NS COUNT -> prints the summary; status 0 when loss < 50%
	local out
	out=$(client_run "$1" "${PING_CMD//COUNT/$2}" 2>&1)
	echo "$out"
	echo "$out" | grep -oE '[0-9.]+% packet loss' | awk '{exit !($1 + 0 < 50)}'
}

log_mark() { local f; for f in charon.log pluto.log pppd-server.log xl2tpd.log; do stat -c %s "$CHAN/log/$f" 2>/dev/null || echo 0; done | tr '\n' ' '; }
log_since() { # MARKS FILE -> the part of server log FILE written since MARKS
	local i=0 f m
	for f in charon.log pluto.log pppd-server.log xl2tpd.log; do
		m=$(echo "$1" | cut -d' ' -f$((i + 1)))
		i=$((i + 1))
		[ "$f" = "$2" ] && tail -c +"$((m + 1))" "$CHAN/log/$f" 2>/dev/null
	done
}

collect() { # CELLNAME MARKS NS...
	local d=$RESULTS/$1 marks=$2 ns f
	shift 2
	rm -rf "$d"
	mkdir -p "$d"
	for ns in "$@"; do client_logs "$ns" "$d"; done
	for f in charon.log pluto.log pppd-server.log xl2tpd.log; do log_since "$marks" $f >"$d/server-$f"; done
	"$LABCMD" exec 'swanctl --list-sas 2>/dev/null; ip xfrm state; ip -4 addr' >"$d/server-state.txt" 2>&1
	echo "$d"
}

# lab_cell TOPOLOGY VARIANT [MODE]: one cell of the matrix
lab_cell() {
	local topo=$1 var=$2 mode=${3:-nm-defaults} t0 marks opts=() nss ns out pub nat fail= ppp
	local TUNED= CHECK= DEFAULTS_FAIL= DEFAULTS_EVIDENCE=
	t0=$(now)
	CELL_RESULT= CELL_DETAIL=
	# shellcheck disable=SC1090
	. "$LAB/variants/$var/variant.conf"
	lab_ensure_up || { CELL_RESULT="failed: lab up"; return 1; }
	lab_ensure_topology "$topo" || { CELL_RESULT="failed: topology $topo"; return 1; }
	lab_ensure_variant "$var" || { CELL_RESULT="failed: variant $var"; return 1; }
	if [ "$mode" = tuned ]; then
		# shellcheck disable=SC2206
		opts=($TUNED)
		[ "$topo" = two-clients ] && opts+=(--ephemeral-port)
	fi
	nss=rl-cli
	[ "$topo" = two-clients ] && nss="rl-cli rl-cli2"
	pub=$(client_public "$topo")
	nat=yes
	[ "$topo" = direct ] && nat=no
	marks=$(log_mark)
	declare -A PPPADDR=()
	for ns in $nss; do
		out=$(client_up "$ns" "${opts[@]}" 2>&1)
		CELL_DETAIL+="$ns: $(echo "$out" | grep RESULT)"$'\n'
		if ! echo "$out" | grep -q "RESULT connected"; then
			fail="$ns: $(echo "$out" | sed -n 's/.*RESULT failed: //p' | head -1)"
			[ -n "$fail" ] || fail="$ns: client error: $(echo "$out" | tail -1)"
			break
		fi
		PPPADDR[$ns]=$(echo "$out" | sed -n 's/.*RESULT connected ppp=\([0-9.]*\).*/\1/p')
	done
	if [ -z "$fail" ]; then
		# every client, after all connected (two-clients: the first must survive the second)
		for ns in $nss; do
			out=$(client_ping "$ns" 5) || fail="$ns: no ping through the tunnel: $(echo "$out" | tail -1)"
			CELL_DETAIL+="$ns ping 192.0.2.254: $(echo "$out" | grep -oE '[0-9.]+% packet loss')"$'\n'
			[ -n "$fail" ] && break
			out=$("$LABCMD" exec bash "$LAB/vm/check-server" "$pub" "${PPPADDR[$ns]}" "$nat" 2>&1) ||
				fail="$ns: $(echo "$out" | grep FAIL | head -1 | sed 's/^server view: FAIL: /server view: /')"
			CELL_DETAIL+="$out"$'\n'
			[ -n "$fail" ] && break
		done
	fi
	if [ -z "$fail" ] && [ "$CHECK" = dpd ]; then
		sleep 12 # silence: the server's DPD (5 s) must ask and the client answer
		out=$(log_since "$marks" charon.log)
		echo "$out" | grep -q "sending DPD request" || fail="dpd: the server sent no R-U-THERE in 12 s"
		[ -z "$fail" ] && { echo "$out" | grep -q "N(DPD_ACK)" || fail="dpd: the client never answered R-U-THERE"; }
		[ -z "$fail" ] && { client_ping rl-cli 3 >/dev/null || fail="dpd: no ping after 12 s of DPD"; }
		CELL_DETAIL+="dpd: $(echo "$out" | grep -c 'sending DPD request') R-U-THERE sent, $(echo "$out" | grep -c 'N(DPD_ACK)') ACK received by the server"$'\n'
	fi
	if [ -z "$fail" ] && [ "$CHECK" = rekey ]; then
		# 35 s of traffic across at least two server-initiated Quick Mode rekeys
		out=$(client_ping rl-cli 110)
		CELL_DETAIL+="rekey: ping over 35 s: $(echo "$out" | grep -oE '[0-9]+ received.*% packet loss')"$'\n'
		local n
		n=$(log_since "$marks" charon.log | grep -c "CHILD_SA l2tp{[0-9]*} established")
		CELL_DETAIL+="rekey: $n CHILD_SAs established by the server in the cell"$'\n'
		[ "$n" -ge 3 ] || fail="rekey: the server established $n CHILD_SAs in 35 s (expected >= 3: rekeys failed)"
		[ -z "$fail" ] && { echo "$out" | grep -oE '[0-9.]+% packet loss' | awk '{exit !($1 + 0 <= 10)}' ||
			fail="rekey: traffic lost across rekeys: $(echo "$out" | grep -oE '[0-9]+ received.*% packet loss')"; }
		[ -z "$fail" ] && { client_ping rl-cli 3 >/dev/null || fail="rekey: no ping after the rekeys"; }
	fi
	if [ -n "$fail" ]; then
		CELL_RESULT="failed: $fail"
		CELL_LOGS=$(collect "$topo.$var.$mode" "$marks" $nss)
	else
		CELL_RESULT=connected
		CELL_LOGS=
	fi
	for ns in $nss; do client_down "$ns"; done
	CELL_SECONDS=$(elapsed "$t0")
	[ -z "$fail" ]
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	case ${1:-} in
	cell)
		shift
		lab_cell "$@"
		rc=$?
		printf '%s' "$CELL_DETAIL" | sed 's/^/  /'
		echo "$1 x $2 [${3:-nm-defaults}]: $CELL_RESULT (${CELL_SECONDS}s)${CELL_LOGS:+ logs: $CELL_LOGS}"
		exit $rc
		;;
	*) sed -n '2,27s/^# \{0,1\}//p' "$0"; exit 2 ;;
	esac
fi

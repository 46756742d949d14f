#!/bin/bash
# tests/lab/e2e-service.sh ROADIED: roadied as the D-Bus service against the lab's real
# server, driven by roadiectl (roadie-client.sh), through what breaks connections on the
# road: the server's IKE daemon restarts, the NAT forgets its mappings, the laptop resumes
# from suspend (logind's PrepareForSleep, from a stand-in on roadied's private bus). With
# auto-reconnect the connection comes back by itself; from the connect call to the end a
# 10-per-second ping to the inner address and a DNS query a second run, and a capture on the
# client's outer interface shows nothing in the clear but IKE and ESP with the gateway; the
# same with IPv6 inside (IPV6CP) through a restart of the server's IKE daemon. Then 20
# connects in a row with 10 % random loss both ways on the NAT. Figures (time to detect,
# time to reconnect) as TAP diagnostics. TAP output.
set -uo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
ROADIED=$(realpath "$1")
export ROADIE_LAB_CLIENT=host
source "$HERE/harness.sh"
source "$HERE/../lib/tap.sh"
tmp=$(mktemp -d)
ROADIE_STATE=$tmp/state
started_lab=0
capture_pid=
flow_pids=()
standin_pid=
cleanup() {
	for p in "${flow_pids[@]}" $capture_pid $standin_pid; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	"$LABCMD" fault clear >/dev/null 2>&1
	declare -F services_stop >/dev/null && services_stop
	[ -d "$ROADIE_STATE" ] && roadied_in rl-cli --restore >/dev/null 2>&1
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

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
# first_after LOG T REGEX: the timestamp of the first monitor line after T matching REGEX
first_after() {
	awk -v t="$2" -v re="$3" '$1 + 0 > t + 0 && $0 ~ re { print $1; exit }' "$1"
}
# wait_line LOG T REGEX SECONDS: until such a line is there
wait_line() {
	local deadline=$((SECONDS + $4))
	until [ -n "$(first_after "$1" "$2" "$3")" ]; do
		[ $SECONDS -ge $deadline ] && return 1
		sleep 0.2
	done
}
replies_since() { # FILE T: ping replies after T (ping -D stamps each line)
	awk -v t="$2" '/bytes from/ { gsub(/[\[\]]/, "", $1); if ($1 + 0 > t + 0) n++ } END { print n + 0 }' "$1"
}

# ---- through the outages, one connection: restart-ike, nat-flush, resume ----

reconnect_cell() {
	local name=/lab/roadie-service/nat/reconnect log=$tmp/reconnect.log t0 t1 t2 t3 det rec
	local ike_detect ike_back resume_back
	service_up rl-cli || { result 1 "$name/service-up"; return; }
	# logind (and polkit, unused: root is always allowed) on roadied's bus
	"$(dirname "$(dirname "$ROADIED")")/tests/integration/service/roadie-polkit-standin" \
		"${svc_bus[rl-cli]}" /dev/null --logind >"$tmp/logind.out" 2>&1 &
	standin_pid=$!
	for _ in $(seq 50); do grep -q '^ready' "$tmp/logind.out" && break; sleep 0.1; done
	ip netns exec rl-cli dumpcap -q -i eth0 -w "$tmp/reconnect.pcapng" >/dev/null 2>&1 &
	capture_pid=$!
	sleep 2
	# the flow runs from before the connect call to after the disconnect
	: >"$tmp/flow-ping"
	ip netns exec rl-cli bash -c "while :; do ping -D -n -c 1 -W 1 $INNER >>$tmp/flow-ping 2>&1 & sleep 0.1; done" &
	flow_pids+=($!)
	ip netns exec rl-cli bash -c 'while :; do getent hosts leak-probe.example.com >/dev/null; sleep 1; done' &
	flow_pids+=($!)
	AUTO_RECONNECT=true up rl-cli "$log" 'dpd-interval=5\ndpd-timeout=15\n'
	result $? "$name/connects" "$log"

	# 1. the server's IKE daemon restarts: its SAs are gone
	sleep 3
	t0=$(now)
	"$LABCMD" fault restart-ike >>"$tmp/faults.log" 2>&1
	wait_line "$log" "$t0" ": reconnecting" 60 && wait_line "$log" "$t0" ": connected$" 120
	result $? "$name/server-ike-restart/comes-back-by-itself" "$log"
	t1=$(first_after "$log" "$t0" ": reconnecting")
	t2=$(first_after "$log" "$t0" ": connected$")
	ike_detect=$(secs "$t0" "${t1:-$t0}")
	ike_back=$(secs "${t1:-$t0}" "${t2:-$t0}")
	echo "# server IKE restart: detected after ${ike_detect} s ($(sed -n "s/.*reconnecting: .*(\(.*\))$/\1/p" "$log" | head -n 1)), connected again ${ike_back} s later"
	sleep 3
	"$LABCMD" exec swanctl --list-sas >"$tmp/sas-after-restart" 2>&1
	grep -q 'INSTALLED, TRANSPORT-in-UDP' "$tmp/sas-after-restart" &&
		[ "$(replies_since "$tmp/flow-ping" "${t2:-$t0}")" -gt 5 ]
	result $? "$name/server-ike-restart/server-has-the-new-sa-and-pings-flow" "$tmp/sas-after-restart" "$log"

	# 2. the NAT forgets its mappings: the next packets out make new ones; either the
	#    connection never noticed, or it comes back (DPD, LCP echo or L2TP HELLO)
	t0=$(now)
	"$LABCMD" fault nat-flush >>"$tmp/faults.log" 2>&1
	sleep 25
	t1=$(first_after "$log" "$t0" ": reconnecting")
	if [ -n "$t1" ]; then
		wait_line "$log" "$t0" ": connected$" 120
		t2=$(first_after "$log" "$t0" ": connected$")
		echo "# NAT flushed: detected after $(secs "$t0" "$t1") s, connected again $(secs "$t1" "${t2:-$t1}") s later"
	else
		echo "# NAT flushed: the connection carried on (the NAT kept the same outer port)"
	fi
	sleep 2
	[ "$(replies_since "$tmp/flow-ping" "$(now | awk '{printf "%.3f", $1 - 3}')")" -gt 5 ] &&
		[ "$(ctl rl-cli status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["state"])')" = connected ]
	result $? "$name/nat-flush/still-or-again-connected-and-pings-flow" "$log" "$tmp/flow-ping"

	# 3. resume from suspend: at once, not after the DPD timeout
	t0=$(now)
	kill -USR1 "$standin_pid"
	wait_line "$log" "$t0" "woke up from sleep" 10 && wait_line "$log" "$t0" ": connected$" 60
	result $? "$name/resume/reconnects-at-once" "$log" "$tmp/logind.out"
	t1=$(first_after "$log" "$t0" "woke up from sleep")
	t2=$(first_after "$log" "$t0" ": connected$")
	resume_back=$(secs "$t0" "${t2:-$t0}")
	echo "# resume: reconnecting after $(secs "$t0" "${t1:-$t0}") s, connected again after ${resume_back} s"
	sleep 3

	down rl-cli
	result $? "$name/disconnect-leaves-no-device" "$log"
	sleep 2
	for p in "${flow_pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	flow_pids=()
	sleep 1
	kill -INT $capture_pid 2>/dev/null
	wait $capture_pid 2>/dev/null
	capture_pid=
	kill "$standin_pid" 2>/dev/null
	wait "$standin_pid" 2>/dev/null
	standin_pid=

	# the capture: from the first IKE packet to the last, nothing but IKE and ESP with the
	# gateway (the outage windows included)
	local first last n_all n_leak
	first=$(tshark -r "$tmp/reconnect.pcapng" -Y 'udp.port == 500 || udp.port == 4500' -T fields -e frame.time_epoch 2>/dev/null | head -n 1)
	last=$(tshark -r "$tmp/reconnect.pcapng" -Y 'isakmp' -T fields -e frame.time_epoch 2>/dev/null | tail -n 1)
	n_all=$(tshark -r "$tmp/reconnect.pcapng" -Y "frame.time_epoch >= $first && frame.time_epoch <= $last && (ip || ipv6)" 2>/dev/null | wc -l)
	tshark -r "$tmp/reconnect.pcapng" -Y "frame.time_epoch >= $first && frame.time_epoch <= $last && (ip || ipv6) && !(ip.addr == 203.0.113.10 && (udp.port == 500 || udp.port == 4500 || esp)) && !(ipv6.src == fe80::/10)" \
		2>/dev/null >"$tmp/leaks.txt"
	n_leak=$(wc -l <"$tmp/leaks.txt")
	[ -n "$first" ] && [ -n "$last" ] && [ "$n_all" -gt 100 ] && [ "$n_leak" -eq 0 ]
	result $? "$name/only-ike-and-esp-on-eth0-through-the-outages ($n_all packets, $n_leak in the clear)" "$tmp/leaks.txt"
	# the server's own view: a new IKE SA after its restart and after the resume
	log_since "$(cat "$tmp/marks")" charon.log >"$tmp/charon.log" 2>/dev/null
	[ "$(grep -cE 'IKE_SA l2tp[a-z-]*\[[0-9]+\] established' "$tmp/charon.log")" -ge 3 ]
	result $? "$name/server-saw-three-main-modes (connect, after its restart, after the resume)" "$tmp/charon.log"
	echo "# flow: $(grep -c 'bytes from' "$tmp/flow-ping") replies to $(grep -c '^PING' "$tmp/flow-ping") pings over the whole test"
}
log_mark >"$tmp/marks"
reconnect_cell

# ---- IPv6 inside the tunnel, through an outage: IPV6CP gives link-local addresses only,
# so the flow pings the server's end of the PPP link (its address as the server's pppd logs
# it, new with each session) ----

reconnect_ipv6_cell() {
	local name=/lab/roadie-service/nat/reconnect-ipv6 log=$tmp/reconnect6.log t0 marks
	marks=$(log_mark)
	: >"$tmp/flow-ping6"
	# each second, the newest session's server address; ten pings a second to it
	ip netns exec rl-cli bash -c "
		while :; do
			peer=\$(sed -n 's/^local  LL address \\([0-9a-f:]*\\)\$/\\1/p' $CHAN/log/pppd-server.log | tail -n 1)
			for i in 1 2 3 4 5 6 7 8 9 10; do
				[ -n \"\$peer\" ] && ping -6 -D -n -c 1 -W 1 \"\$peer%roadie0\" >>$tmp/flow-ping6 2>&1 &
				sleep 0.1
			done
		done" &
	flow_pids+=($!)
	AUTO_RECONNECT=true up rl-cli "$log" 'dpd-interval=5\ndpd-timeout=15\n' '[ip]\nipv6=yes\n'
	result $? "$name/connects" "$log"
	for _ in $(seq 50); do grep -q "IPv6: .* has the link-local address" "$log" && break; sleep 0.1; done
	sleep 4
	t0=$(now)
	[ "$(replies_since "$tmp/flow-ping6" "$(now | awk '{printf "%.3f", $1 - 3}')")" -gt 5 ]
	result $? "$name/ping6-flows-before" "$tmp/flow-ping6" "$log"
	"$LABCMD" fault restart-ike >>"$tmp/faults.log" 2>&1
	wait_line "$log" "$t0" ": reconnecting" 60 && wait_line "$log" "$t0" ": connected$" 120
	result $? "$name/server-ike-restart/comes-back-by-itself" "$log"
	# the new session's IPV6CP, then the flow finds the new address within a second or two
	for _ in $(seq 50); do [ "$(grep -c "IPv6: .* has the link-local address" "$log")" -ge 2 ] && break; sleep 0.1; done
	sleep 5
	[ "$(replies_since "$tmp/flow-ping6" "$(now | awk '{printf "%.3f", $1 - 3}')")" -gt 5 ]
	result $? "$name/ping6-flows-after ($(grep -c 'bytes from' "$tmp/flow-ping6") replies in all)" "$tmp/flow-ping6" "$log"
	down rl-cli
	result $? "$name/disconnect-leaves-no-device" "$log"
	for p in "${flow_pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	flow_pids=()
}
reconnect_ipv6_cell

# ---- the local network changes under a connection: a new address (a DHCP lease elsewhere,
# a roam), then another device (Wi-Fi to Ethernet); without auto-reconnect the connection
# fails at once with the reason, and the guard goes with it ----

# rl-cli back as topo.sh built it: eth0 198.51.100.2/26, default via the NAT
cli_net_reset() {
	ip -n rl-cli link del eth1 2>/dev/null
	# down and up: an IPv6 link-local address comes back as it was made
	ip -n rl-cli link set eth0 down
	ip -n rl-cli addr flush dev eth0
	ip -n rl-cli addr add 198.51.100.2/26 dev eth0
	ip -n rl-cli link set eth0 up
	ip -n rl-cli route replace default via 198.51.100.1
}
# the second "device": one more veth from rl-cli into rl-nat's LAN bridge
cli_add_eth1() {
	ip link add rlcli-e1 netns rl-cli type veth peer name rlnat-e1 netns rl-nat &&
		ip -n rl-cli link set rlcli-e1 name eth1 &&
		ip -n rl-nat link set rlnat-e1 master lan0 &&
		ip -n rl-nat link set rlnat-e1 up &&
		ip -n rl-cli addr add 198.51.100.5/26 dev eth1 &&
		ip -n rl-cli link set eth1 up
}

netchange_cell() {
	local name=/lab/roadie-service/nat/network-change log=$tmp/netchange.log t0 t1 t2 marks
	local figures=()
	marks=$(log_mark)
	cli_net_reset
	service_up rl-cli || { result 1 "$name/service-up"; return; }
	# the capture sees both of the client's devices: on the NAT's LAN bridge
	ip netns exec rl-nat dumpcap -q -i lan0 -w "$tmp/netchange.pcapng" >/dev/null 2>&1 &
	capture_pid=$!
	sleep 2
	: >"$tmp/flow-net"
	ip netns exec rl-cli bash -c "while :; do ping -D -n -c 1 -W 1 $INNER >>$tmp/flow-net 2>&1 & sleep 0.1; done" &
	flow_pids+=($!)
	ip netns exec rl-cli bash -c 'while :; do getent hosts leak-probe.example.com >/dev/null; sleep 1; done' &
	flow_pids+=($!)
	AUTO_RECONNECT=true up rl-cli "$log" 'dpd-interval=10\ndpd-timeout=60\n'
	result $? "$name/connects" "$log"
	sleep 3

	# 1. a new address on the same device: the old one, and the routes through it, go
	t0=$(now)
	ip -n rl-cli addr flush dev eth0
	ip -n rl-cli addr add 198.51.100.4/26 dev eth0
	ip -n rl-cli route add default via 198.51.100.1
	wait_line "$log" "$t0" "198.51.100.2 is no longer an address of this computer" 10 &&
		wait_line "$log" "$t0" ": connected$" 60
	result $? "$name/new-address/reconnects-at-once (not after the DPD timeout)" "$log"
	t1=$(first_after "$log" "$t0" ": reconnecting")
	t2=$(first_after "$log" "$t0" ": connected$")
	figures+=("new address: reconnecting after $(secs "$t0" "${t1:-$t0}") s, connected again $(secs "${t1:-$t0}" "${t2:-$t0}") s later")
	sleep 3
	[ "$(replies_since "$tmp/flow-net" "$(now | awk '{printf "%.3f", $1 - 3}')")" -gt 5 ] &&
		ip -n rl-cli route get 203.0.113.10 | grep -q 'via 198.51.100.1 dev eth0 src 198.51.100.4'
	result $? "$name/new-address/pings-flow-and-ike-leaves-from-the-new-address" "$tmp/flow-net" "$log"

	# 2. another device: eth1 comes, eth0 goes down (its routes with it)
	cli_add_eth1
	sleep 2 # an unrelated new device alone changes nothing
	t0=$(now)
	ip -n rl-cli link set eth0 down
	ip -n rl-cli route add default via 198.51.100.1 dev eth1
	wait_line "$log" "$t0" "eth0, the device with our address 198.51.100.4, is down" 10 &&
		wait_line "$log" "$t0" ": connected$" 60
	result $? "$name/other-device/reconnects-at-once" "$log"
	t1=$(first_after "$log" "$t0" ": reconnecting")
	t2=$(first_after "$log" "$t0" ": connected$")
	figures+=("other device: reconnecting after $(secs "$t0" "${t1:-$t0}") s, connected again $(secs "${t1:-$t0}" "${t2:-$t0}") s later")
	sleep 3
	[ "$(replies_since "$tmp/flow-net" "$(now | awk '{printf "%.3f", $1 - 3}')")" -gt 5 ] &&
		ip -n rl-cli route get 203.0.113.10 | grep -q 'dev eth1 src 198.51.100.5'
	result $? "$name/other-device/pings-flow-and-ike-leaves-through-eth1" "$tmp/flow-net" "$log"
	# nothing reconnected between the steps: the new device alone changed no path
	[ "$(grep -cE '^[0-9.]+ roadie: [^:]*: reconnecting: ' "$log")" -eq 2 ]
	result $? "$name/an-unrelated-device-changes-nothing ($(grep -cE '^[0-9.]+ roadie: [^:]*: reconnecting: ' "$log") reconnects)" "$log"

	down rl-cli
	result $? "$name/disconnect-leaves-no-device" "$log"
	for p in "${flow_pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	flow_pids=()
	sleep 1
	kill -INT $capture_pid 2>/dev/null
	wait $capture_pid 2>/dev/null
	capture_pid=
	# the capture on the LAN: from the first IKE packet to the last, nothing of the client's
	# but IKE and ESP with the gateway (the changes included)
	local first last n_all n_leak
	first=$(tshark -r "$tmp/netchange.pcapng" -Y 'udp.port == 500 || udp.port == 4500' -T fields -e frame.time_epoch 2>/dev/null | head -n 1)
	last=$(tshark -r "$tmp/netchange.pcapng" -Y 'isakmp' -T fields -e frame.time_epoch 2>/dev/null | tail -n 1)
	n_all=$(tshark -r "$tmp/netchange.pcapng" -Y "frame.time_epoch >= $first && frame.time_epoch <= $last && (ip || ipv6)" 2>/dev/null | wc -l)
	tshark -r "$tmp/netchange.pcapng" -Y "frame.time_epoch >= $first && frame.time_epoch <= $last && (ip || ipv6) && !(ip.addr == 203.0.113.10 && (udp.port == 500 || udp.port == 4500 || esp)) && !(ipv6.src == fe80::/10)" \
		2>/dev/null >"$tmp/netchange-leaks.txt"
	n_leak=$(wc -l <"$tmp/netchange-leaks.txt")
	[ -n "$first" ] && [ -n "$last" ] && [ "$n_all" -gt 100 ] && [ "$n_leak" -eq 0 ]
	result $? "$name/only-ike-and-esp-on-the-lan-through-the-changes ($n_all packets, $n_leak in the clear)" "$tmp/netchange-leaks.txt"
	# the server's view: a Main Mode from each of the client's addresses, through the NAT
	log_since "$marks" charon.log >"$tmp/charon-net.log" 2>/dev/null
	[ "$(grep -cE 'IKE_SA l2tp[a-z-]*\[[0-9]+\] established' "$tmp/charon-net.log")" -ge 3 ]
	result $? "$name/server-saw-three-main-modes (connect, new address, other device)" "$tmp/charon-net.log"
	for f in "${figures[@]}"; do echo "# $f"; done

	# 3. without auto-reconnect: failed at once with the reason, the host as it was
	cli_net_reset
	sleep 1.5
	host_state rl-cli >"$tmp/net-before"
	AUTO_RECONNECT=false up rl-cli "$tmp/netfail.log" 'dpd-interval=10\ndpd-timeout=60\n'
	result $? "$name/no-auto-reconnect/connects" "$tmp/netfail.log"
	t0=$(now)
	ip -n rl-cli addr flush dev eth0
	ip -n rl-cli addr add 198.51.100.4/26 dev eth0
	ip -n rl-cli route add default via 198.51.100.1
	wait_line "$tmp/netfail.log" "$t0" "roadie: [^:]*: failed: the local network changed: 198.51.100.2 is no longer" 10
	result $? "$name/no-auto-reconnect/fails-at-once-with-the-reason" "$tmp/netfail.log"
	echo "# without auto-reconnect: failed after $(secs "$t0" "$(first_after "$tmp/netfail.log" "$t0" "failed: ")") s"
	for _ in $(seq 30); do ip -n rl-cli link show | grep -q roadie || break; sleep 0.1; done
	cli_net_reset
	sleep 1
	host_state rl-cli >"$tmp/net-after"
	diff "$tmp/net-before" "$tmp/net-after" >"$tmp/net-diff" &&
		grep -q "failed: the local network changed: .*(network-changed)$" "$tmp/netfail.log"
	result $? "$name/no-auto-reconnect/host-restored-and-reason-network-changed" "$tmp/net-diff" "$tmp/netfail.log"
	monitor_stop rl-cli
}
netchange_cell

# ---- 10 % random loss both ways on the NAT: 20 connects in a row ----

loss_cell() {
	local name=/lab/roadie-service/nat/loss-10 ok=0 times=() t0 i log
	"$LABCMD" fault loss 10 >>"$tmp/faults.log" 2>&1
	for i in $(seq 20); do
		log=$tmp/loss-$i.log
		t0=$SECONDS
		if up rl-cli "$log"; then
			ok=$((ok + 1))
			times+=($((SECONDS - t0)))
		else
			echo "# connect $i failed after $((SECONDS - t0)) s: $(tail -n 1 "$log.connect")"
		fi
		down rl-cli >/dev/null
	done
	"$LABCMD" fault clear >/dev/null 2>&1
	echo "# 10 % loss: $ok of 20 connects; seconds each: ${times[*]}"
	[ $ok -eq 20 ]
	result $? "$name/20-connects-in-a-row ($ok of 20)"
}
loss_cell

tap_plan

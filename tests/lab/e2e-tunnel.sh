#!/bin/bash
# tests/lab/e2e-tunnel.sh ROADIED: whole connections (IKE, ESP, L2TP, PPP, TUN) from the
# host's client namespaces to the lab's real servers (strongSwan or libreswan + xl2tpd +
# pppd in the qemu VM), driven as a user would: roadied is the D-Bus service on a private
# system bus, and roadiectl connects and disconnects (roadie-client.sh). Each cell pings the
# server's inner address through roadie0 and checks the server's own view (pppd's log: the
# authentication and the addresses); after roadiectl disconnect nothing is left behind. TAP.
set -uo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
ROADIED=$(realpath "$1")
export ROADIE_LAB_CLIENT=host
source "$HERE/harness.sh"
source "$HERE/../lib/tap.sh"
tmp=$(mktemp -d)
ROADIE_STATE=$tmp/state
started_lab=0
cleanup() {
	declare -F services_stop >/dev/null && services_stop
	rm -rf "$tmp"
	[ $started_lab -eq 1 ] && "$LABCMD" down >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM # so that the EXIT trap cleans up after a timeout too

vm_ready || started_lab=1
lab_ensure_up || { echo "Bail out! the lab did not come up"; exit 1; }

source "$HERE/roadie-client.sh"

# tunnel_cell TOPOLOGY VARIANT PPP_METHOD_IN_SERVER_LOG [IPSEC LINES [SERVER_XFRM_REGEX [NAME
#             [MORE GROUPS]]]]
tunnel_cell() {
	local topo=$1 variant=$2 method=$3 name="/lab/roadie-tunnel/$1/$2${6:+/$6}"
	local log=$tmp/$topo.$variant.log marks
	lab_ensure_topology "$topo" >/dev/null 2>&1 && lab_ensure_variant "$variant" >/dev/null 2>&1 ||
		{ result 1 "$name (lab could not switch)"; return; }
	host_state rl-cli >"$tmp/before.$topo.$variant"
	marks=$(log_mark)
	up rl-cli "$log" "${4:-}" "${7:-}"
	result $? "$name/connects" "$log"
	ping_inner rl-cli "$log"
	result $? "$name/ping-inner-address" "$log"
	# the lab's pppd pushes 192.0.2.53 as both DNS servers (ms-dns, RFC 1877)
	grep -q "DNS offered: 192\.0\.2\.53" "$log"
	result $? "$name/pushed-dns" "$log"
	# the server's view: pppd authenticated alice with the method and gave the address roadie shows
	local addr
	addr=$(addr_of "$log")
	log_since "$marks" pppd-server.log >"$tmp/pppd.$topo.$variant.log"
	[ -n "$addr" ] && grep -q "remote IP address $addr" "$tmp/pppd.$topo.$variant.log" &&
		grep -qE "$method" "$tmp/pppd.$topo.$variant.log"
	result $? "$name/server-ppp-view" "$tmp/pppd.$topo.$variant.log"
	if [ -n "${5:-}" ]; then
		"$LABCMD" exec ip xfrm state >"$tmp/xfrm.$topo.$variant" 2>&1
		grep -qE "$5" "$tmp/xfrm.$topo.$variant"
		result $? "$name/server-kernel-sa" "$tmp/xfrm.$topo.$variant"
	fi
	down rl-cli && host_state rl-cli >"$tmp/after.$topo.$variant" &&
		diff -u "$tmp/before.$topo.$variant" "$tmp/after.$topo.$variant" >>"$log"
	result $? "$name/disconnect-leaves-no-device-route-or-dns" "$log"
}

tunnel_cell nat default "rcvd \[CHAP Response id=0x[0-9a-f]+ <[0-9a-f]{98}>, name = \"alice\"\]"
tunnel_cell direct default "rcvd \[CHAP Response"
tunnel_cell nat libreswan "rcvd \[CHAP Response"
# the modern server offers AES-GCM only: the VM's kernel holds rfc4106(gcm(aes)) for our SPI
tunnel_cell double-nat modern "rcvd \[CHAP Response" '' "aead rfc4106\(gcm\(aes\)\)"
tunnel_cell server-nat pfs "rcvd \[CHAP Response"
tunnel_cell nat legacy "rcvd \[CHAP Response" '' "enc cbc\(des3_ede\)"
tunnel_cell direct default "rcvd \[CHAP Response" 'force-encapsulation=yes\n' "encap type espinudp" forced-encapsulation
tunnel_cell nat mschap "<auth chap MS>"
# EAP-MD5 is off by default (like NM-l2tp): the profile turns it on
PPP_LINES='auth=eap-md5\n' tunnel_cell nat eap "sent \[EAP Success"
l2tp_marks=$(log_mark)
tunnel_cell nat l2tpauth "rcvd \[CHAP Response" '' '' '' '[l2tp]\nsecret=roadie-lab-tunnel-secret\n'
# the server's view: it got our Challenge and our answer to its own, and Random Vectors, which
# come only with hidden AVPs (xl2tpd never hides its own)
log_since "$l2tp_marks" xl2tpd.log >"$tmp/xl2tpd-l2tpauth.log"
grep -q "challenge_avp: challenge avp found" "$tmp/xl2tpd-l2tpauth.log" &&
	grep -q "chalresp_avp: Challenge reply found" "$tmp/xl2tpd-l2tpauth.log" &&
	grep -q "rand_vector_avp: Random Vector of 16 octets" "$tmp/xl2tpd-l2tpauth.log"
result $? /lab/roadie-tunnel/nat/l2tpauth/server-saw-challenge-and-hidden-avps "$tmp/xl2tpd-l2tpauth.log"
tunnel_cell nat chap "rcvd \[CHAP Response id=0x[0-9a-f]+ <[0-9a-f]{32}>, name = \"alice\"\]"
tunnel_cell nat pap "rcvd \[PAP AuthReq id=0x[0-9a-f]+ user=\"alice\""

# a gateway that insists on the client's L2TP port 1701: roadie, behind NAT, first proposes
# an ephemeral port, is refused, and falls back to 1701 by itself
pin1701_cell() {
	local name=/lab/roadie-tunnel/nat/pin1701 log=$tmp/pin1701.log
	lab_ensure_topology nat >/dev/null 2>&1 && lab_ensure_variant pin1701 >/dev/null 2>&1 ||
		{ result 1 "$name (lab could not switch)"; return; }
	up rl-cli "$log" && ping_inner rl-cli "$log"
	result $? "$name/connects-and-pings" "$log"
	grep -q "the gateway may insist on L2TP port 1701: trying it" "$log" &&
		grep -q "L2TP from UDP 1701 to 1701" "$log"
	result $? "$name/fell-back-to-1701" "$log"
	"$LABCMD" exec swanctl --list-sas >"$tmp/pin-sas" 2>&1
	grep -qE "remote +203\.0\.113\.[0-9]+/32\[udp/l2f\]" "$tmp/pin-sas"
	result $? "$name/server-sa-on-1701" "$tmp/pin-sas"
	down rl-cli
}
pin1701_cell

# IPv6 inside the tunnel when the profile asks for it: IPV6CP (RFC 5072) with the server's
# pppd, the link-local address on roadie0, and a ping6 to the server's link-local address
ipv6_cell() {
	local name=/lab/roadie-tunnel/nat/default/ipv6cp log=$tmp/ipv6.log marks
	lab_ensure_topology nat >/dev/null 2>&1 && lab_ensure_variant default >/dev/null 2>&1 ||
		{ result 1 "$name (lab could not switch)"; return; }
	marks=$(log_mark)
	up rl-cli "$log" '' '[ip]\nipv6=yes\n'
	result $? "$name/connects" "$log"
	for _ in $(seq 50); do grep -q "IPv6: .* has the link-local address" "$log" && break; sleep 0.1; done
	local ours dev peer
	ours=$(sed -n 's/.*IPv6: [a-z0-9]* has the link-local address \([0-9a-f:]*\)$/\1/p' "$log")
	dev=$(dev_of "$log")
	log_since "$marks" pppd-server.log >"$tmp/pppd-ipv6.log"
	peer=$(sed -n 's/^local  LL address \([0-9a-f:]*\)$/\1/p' "$tmp/pppd-ipv6.log" | tail -n 1)
	local theirs
	theirs=$(sed -n 's/^remote LL address \([0-9a-f:]*\)$/\1/p' "$tmp/pppd-ipv6.log" | tail -n 1)
	[ -n "$ours" ] && [ -n "$theirs" ] &&
		python3 -c 'import ipaddress, sys; sys.exit(ipaddress.ip_address(sys.argv[1]) != ipaddress.ip_address(sys.argv[2]))' "$ours" "$theirs"
	result $? "$name/server-agrees ($ours)" "$log" "$tmp/pppd-ipv6.log"
	[ -n "$peer" ] && ip netns exec rl-cli ping -6 -c 3 -i 0.3 -W 2 "$peer%$dev" >>"$log" 2>&1
	result $? "$name/ping6-server-link-local" "$log"
	down rl-cli
	result $? "$name/disconnect-leaves-no-device" "$log"
}
ipv6_cell

# 100 MB each way with iperf3 through the tunnel (nat, default)
iperf_cell() {
	local name=/lab/roadie-tunnel/nat/default/iperf3 log=$tmp/iperf.log
	lab_ensure_topology nat >/dev/null 2>&1 && lab_ensure_variant default >/dev/null 2>&1 ||
		{ result 1 "$name (lab could not switch)"; return; }
	up rl-cli "$log" && ping_inner rl-cli "$log"
	result $? "$name/connects" "$log"
	ip netns exec rl-cli iperf3 -c "$INNER" -n 100M -f m >"$tmp/iperf-up.txt" 2>&1
	result $? "$name/100MB-up ($(awk '/receiver/ {print $7, $8}' "$tmp/iperf-up.txt"))" "$tmp/iperf-up.txt"
	# the server re-opens its port between two tests: wait for it
	for _ in 1 2 3; do
		sleep 2
		ip netns exec rl-cli iperf3 -c "$INNER" -n 100M -R -f m >"$tmp/iperf-down.txt" 2>&1 && break
	done
	result $? "$name/100MB-down ($(awk '/receiver/ {print $7, $8}' "$tmp/iperf-down.txt"))" "$tmp/iperf-down.txt"
	down rl-cli
	result $? "$name/disconnect-leaves-no-device" "$log"
}
iperf_cell

# kilobyte lifetimes (RFC 2407 §4.5): roadie proposes 4096 kB (sa-lifetime-kilobytes), the
# server (configured for 8 MB) takes it, and moving 12 MB each way makes roadie rekey the ESP
# pair by bytes, not by time (sa-lifetime stays 1h), with the link up throughout
lifebytes_cell() {
	local name=/lab/roadie-tunnel/nat/lifebytes log=$tmp/lifebytes.log marks n_up n_down
	lab_ensure_topology nat >/dev/null 2>&1 && lab_ensure_variant lifebytes >/dev/null 2>&1 ||
		{ result 1 "$name (lab could not switch)"; return; }
	marks=$(log_mark)
	up rl-cli "$log" 'sa-lifetime-kilobytes=4096\n' && ping_inner rl-cli "$log"
	result $? "$name/connects" "$log"
	log_since "$marks" charon.log >"$tmp/charon-lifebytes.log"
	grep -q "lifetime 3600s or 4096 kB" "$log" &&
		grep -q "received 4096000 lifebytes, configured 8388608" "$tmp/charon-lifebytes.log"
	result $? "$name/server-took-4096kB" "$log" "$tmp/charon-lifebytes.log"
	ip netns exec rl-cli iperf3 -c "$INNER" -n 12M -f m >"$tmp/lifebytes-up.txt" 2>&1
	n_up=$(grep -c "the ESP pair has carried most of what it may" "$log")
	[ "$n_up" -ge 2 ]
	result $? "$name/rekeyed-by-bytes-up ($n_up rekeys in 12 MB)" "$tmp/lifebytes-up.txt" "$log"
	for _ in 1 2 3; do
		sleep 2
		ip netns exec rl-cli iperf3 -c "$INNER" -n 12M -R -f m >"$tmp/lifebytes-down.txt" 2>&1 && break
	done
	n_down=$(($(grep -c "the ESP pair has carried most of what it may" "$log") - n_up))
	[ "$n_down" -ge 2 ]
	result $? "$name/rekeyed-by-bytes-down ($n_down rekeys in 12 MB)" "$tmp/lifebytes-down.txt" "$log"
	# the server's view: each of roadie's rekeys is a Quick Mode it answered, and every old
	# pair is gone once the last rekey has settled (roadie deletes an old pair 5 s after its
	# successor is up; at 60 Mbit/s a 4 MB pair lasts half a second, so rekeys overlap the
	# transfer's end); the link still carries a ping
	sleep 7
	log_since "$marks" charon.log >"$tmp/charon-lifebytes.log"
	[ "$(grep -c "rekeyed: the old ESP pair" "$log")" -ge $((n_up + n_down)) ] &&
		[ "$(grep -c "received DELETE for ESP CHILD_SA" "$tmp/charon-lifebytes.log")" -ge "$(grep -c "rekeyed: the old ESP pair" "$log")" ] &&
		! grep -q "rekeying failed\|$(basename "$log"): failed: " "$log" &&
		ping_inner rl-cli "$log"
	result $? "$name/server-deleted-old-pairs-link-up" "$tmp/charon-lifebytes.log" "$log"
	down rl-cli
	result $? "$name/disconnect-leaves-no-device" "$log"
}
lifebytes_cell

# two roadie clients behind one NAT at the same time: each on its own ephemeral L2TP port, so
# the server's SAs differ; both ping
two_clients_cell() {
	local name=/lab/roadie-tunnel/two-clients/default
	lab_ensure_topology two-clients >/dev/null 2>&1 && lab_ensure_variant default >/dev/null 2>&1 ||
		{ result 1 "$name (lab could not switch)"; return; }
	up rl-cli "$tmp/two-1.log" && up rl-cli2 "$tmp/two-2.log"
	result $? "$name/both-connect" "$tmp/two-1.log" "$tmp/two-2.log"
	ping_inner rl-cli "$tmp/two-1.log" && ping_inner rl-cli2 "$tmp/two-2.log" &&
		ping_inner rl-cli "$tmp/two-1.log"
	result $? "$name/both-ping" "$tmp/two-1.log" "$tmp/two-2.log"
	"$LABCMD" exec swanctl --list-sas >"$tmp/two-sas" 2>&1
	[ "$(grep -c 'INSTALLED, TRANSPORT-in-UDP' "$tmp/two-sas")" -ge 2 ]
	result $? "$name/server-two-sas" "$tmp/two-sas"
	down rl-cli2
	down rl-cli
}
two_clients_cell

# rekeys under a steady ping lose no packet: roadie rekeys the ESP pair (sa-lifetime=1m: at
# 48-54 s, make-before-break) and renews phase 1 (ike-lifetime=1m) while a ping runs every
# 200 ms for 70 s
rekey_ping_cell() {
	local name=/lab/roadie-tunnel/nat/default/rekeys-under-ping log=$tmp/rekey-ping.log
	lab_ensure_topology nat >/dev/null 2>&1 && lab_ensure_variant default >/dev/null 2>&1 ||
		{ result 1 "$name (lab could not switch)"; return; }
	up rl-cli "$log" 'sa-lifetime=1m\nike-lifetime=1m\n'
	result $? "$name/connects" "$log"
	local dev
	dev=$(dev_of "$log")
	ip -n rl-cli route replace "$INNER/32" dev "$dev"
	# the server's side of the link is up once one ping comes back (pppd's ip-up runs after
	# IPCP); from then on, not one may be lost
	for _ in 1 2 3 4 5; do ip netns exec rl-cli ping -c 1 -W 1 "$INNER" >/dev/null 2>&1 && break; done
	ip netns exec rl-cli ping -c 350 -i 0.2 -W 2 "$INNER" >"$tmp/rekey-ping.txt" 2>&1
	grep -q "the old ESP pair (in [0-9a-f]*) is deleted" "$log" && grep -q "IKE SA renewed" "$log" &&
		! grep -q "$(basename "$log"): failed: " "$log"
	result $? "$name/rekeyed-and-renewed" "$log"
	grep -q " 0% packet loss" "$tmp/rekey-ping.txt"
	result $? "$name/no-packet-lost ($(grep -o '[0-9]* received' "$tmp/rekey-ping.txt") of 350)" "$tmp/rekey-ping.txt" "$log"
	down rl-cli
}
rekey_ping_cell

# a wrong password: the sentence within 15 s, and nothing left configured
wrong_password_cell() {
	local name=/lab/roadie-tunnel/nat/wrong-password log=$tmp/wrong-password.log start
	lab_ensure_topology nat >/dev/null 2>&1 && lab_ensure_variant default >/dev/null 2>&1 ||
		{ result 1 "$name (lab could not switch)"; return; }
	start=$SECONDS
	PASSWORD=not-the-password up rl-cli "$log"
	monitor_stop rl-cli
	grep -q "failed: .*(ppp-auth-failed)" "$log" && grep -qF "the gateway rejected user 'alice': wrong user name or password" "$log" &&
		[ $((SECONDS - start)) -le 15 ] && ! ip -n rl-cli link show | grep -q roadie
	result $? "$name/named-in-$((SECONDS - start))s-nothing-left" "$log"
}
wrong_password_cell
tap_plan

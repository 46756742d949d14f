#!/bin/bash
# tests/lab/e2e-ike.sh ROADIED: roadie's IKEv1 against the lab's real servers (strongSwan and
# libreswan in the qemu VM, whose kernel installs the ESP SAs), from the host's client
# namespace, cell by cell. Each cell is checked from the server's own view: its IKE SA list
# and its kernel's SAs (transport mode; UDP-encapsulated exactly when there is NAT), and after
# roadie's DELETE, that the server removed them. roadied runs as the D-Bus service on a
# private system bus and roadiectl drives it (roadie-client.sh). TAP output.
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
	[ -d "$ROADIE_STATE" ] && roadied_in rl-cli --restore >/dev/null 2>&1
	rm -rf "$tmp"
	[ $started_lab -eq 1 ] && "$LABCMD" down >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM # so that the EXIT trap cleans up after a timeout too


vm_ready || started_lab=1
lab_ensure_up || { echo "Bail out! the lab did not come up"; exit 1; }

# the same build can run inside the VM too (for the side-by-side benchmark), and the VM sees
# this very build, not a cached older one
"$LABCMD" roadie "$(dirname "$(dirname "$ROADIED")")" >"$tmp/roadie-in-vm.log" 2>&1 &&
	grep -q "roadied " "$tmp/roadie-in-vm.log"
result $? /lab/roadie-in-vm/fresh-build "$tmp/roadie-in-vm.log"

source "$HERE/roadie-client.sh"

# start_roadied LOG PROFILE [IPSEC_LINES [ROADIED_OPTION]]: a profile for the lab's server
# (with IPSEC_LINES added to [ipsec]), and roadiectl connect --no-wait on it from rl-cli;
# LOG gets roadiectl monitor's lines, and roadied's own log (with --debug: its debug
# messages) is $(svc_log rl-cli)
start_roadied() {
	printf '[connection]\ngateway=203.0.113.10\nauto-reconnect=false\n[ipsec]\npsk=%s\n%b[ppp]\nuser=alice\npassword=wonderland\n' \
		"${PSK:-roadie-lab-psk}" "${3:-}" >"$2"
	chmod 600 "$2"
	: >"$1"
	SERVICE_ARGS=${4:-} service_up rl-cli || { echo "roadied did not start as a service" >>"$1"; return; }
	monitor_stop rl-cli
	ctl rl-cli monitor --timestamps >>"$1" 2>&1 &
	echo $! >"$tmp/svc-rl-cli/monitor.pid"
	for _ in $(seq 50); do grep -q "roadie: monitoring" "$1" && break; sleep 0.1; done
	ctl rl-cli connect --no-ask --no-wait "$2" >"$1.connect" 2>&1 || cat "$1.connect" >>"$1"
}
# (LOG has monitor's lines: those of a connection that ended a moment before may lead, so a
# cell looks for its own connection's name, the profile file's base name)
# stop_roadied: roadiectl disconnect (IKE DELETEs), then the monitor
stop_roadied() {
	ctl rl-cli disconnect --all >/dev/null 2>&1
	sleep 0.5
	monitor_stop rl-cli
}

# cell TOPOLOGY VARIANT IKE_SUITE_IN_SERVER_VIEW [PROFILE EXTRA LINES]
cell() {
	local topo=$1 variant=$2 suite=$3 extra=${4:-} name="/lab/roadie-ike/$1/$2"
	local log=$tmp/$topo.$variant.log prof=$tmp/$topo.$variant.conf nat=1
	[ "$topo" = direct ] && nat=0
	lab_ensure_topology "$topo" >/dev/null 2>&1 && lab_ensure_variant "$variant" >/dev/null 2>&1 ||
		{ result 1 "$name (lab could not switch)"; return; }
	start_roadied "$log" "$prof" "$extra"
	for _ in $(seq 300); do
		grep -q "IPsec is up\|$(basename "$prof" .conf): failed: " "$log" && break
		sleep 0.1
	done
	grep -q "IPsec is up" "$log"
	result $? "$name/connects" "$log"

	# the server's view: its kernel holds a transport-mode ESP SA, in UDP exactly behind NAT
	"$LABCMD" exec ip xfrm state >"$tmp/xfrm" 2>&1
	local spi_in
	spi_in=$(grep -o "SPIs in [0-9a-f]*" "$log" | awk '{print $3}')
	grep -q "spi 0x$spi_in" "$tmp/xfrm" && grep -q "mode transport" "$tmp/xfrm" &&
		if [ $nat -eq 1 ]; then grep -q "encap type espinudp" "$tmp/xfrm"; else ! grep -q "encap type" "$tmp/xfrm"; fi
	result $? "$name/server-kernel-sa-transport$([ $nat -eq 1 ] && echo -in-udp)" "$tmp/xfrm"
	if [ "$variant" != libreswan ]; then
		"$LABCMD" exec swanctl --list-sas >"$tmp/sas" 2>&1
		grep -q "ESTABLISHED, IKEv1" "$tmp/sas" && grep -q "$suite" "$tmp/sas" &&
			grep -q "INSTALLED, TRANSPORT" "$tmp/sas"
		result $? "$name/server-sa-list" "$tmp/sas"
	else
		"$LABCMD" exec ipsec --rundir /run/pluto trafficstatus >"$tmp/sas" 2>&1 ||
			"$LABCMD" exec ipsec trafficstatus >"$tmp/sas" 2>&1
		grep -q "$suite" "$log"
		result $? "$name/negotiated-suite" "$log"
	fi

	# roadiectl disconnect: roadie sends DELETE; the server removes the SA
	stop_roadied
	for _ in $(seq 30); do
		"$LABCMD" exec ip xfrm state >"$tmp/xfrm" 2>&1
		grep -q "spi 0x$spi_in" "$tmp/xfrm" || break
		sleep 0.3
	done
	! grep -q "spi 0x$spi_in" "$tmp/xfrm"
	result $? "$name/server-honours-delete" "$tmp/xfrm" "$log"
}

cell nat default "AES_CBC-256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048"
cell nat legacy "3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024"
# the legacy server refuses roadie's default list: roadie got there by falling back by itself
grep -q "the gateway accepts none of our IKE proposals; trying older proposals" "$tmp/nat.legacy.log" &&
	grep -qF "the gateway accepted only older proposals: 3DES-SHA1-MODP1024 (weak)" "$tmp/nat.legacy.log"
result $? /lab/roadie-ike/nat/legacy/by-fallback "$tmp/nat.legacy.log"
cell nat pfs "AES_CBC-256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048"
cell direct default "AES_CBC-256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048"
cell double-nat modern "AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048"
cell nat libreswan "IKE: AES_CBC_256/HMAC_SHA2_256/MODP_2048"

# refusals, in words: a wrong pre-shared key within 10 s; a strict list the server does not
# accept names what we offered
refusal_cell() { # NAME IPSEC_LINES WANT SECONDS SERVER_LOG_REGEX [PSK]
	local name=/lab/roadie-ike/nat/$1 log=$tmp/$1.log prof=$tmp/$1.conf
	lab_ensure_topology nat >/dev/null 2>&1 && lab_ensure_variant default >/dev/null 2>&1 ||
		{ result 1 "$name (lab could not switch)"; return; }
	local start=$SECONDS marks
	marks=$(log_mark)
	PSK=${6:-} start_roadied "$log" "$prof" "$2"
	for _ in $(seq $(($4 * 10))); do grep -q "$(basename "$prof" .conf): failed: " "$log" && break; sleep 0.1; done
	grep -qF "$3" "$log" && [ $((SECONDS - start)) -le "$4" ]
	result $? "$name ($((SECONDS - start)) s)" "$log"
	stop_roadied
	log_since "$marks" charon.log >"$tmp/charon-$1.log"
	grep -qE "$5" "$tmp/charon-$1.log"
	result $? "$name/server-log" "$tmp/charon-$1.log"
}
refusal_cell wrong-psk '' "the gateway rejected the pre-shared key" 10 \
	"invalid HASH_V1 payload length, decryption failed|integrity check failed|message parsing failed" \
	not-the-lab-psk
refusal_cell no-common-proposal 'ike=aes128-sha512-ecp384!\n' \
	"the gateway accepts none of our IKE proposals (we offered aes128-sha512-ecp384)" 30 \
	"received proposals: IKE:AES_CBC_128/HMAC_SHA2_512_256/PRF_HMAC_SHA2_512/ECP_384|no acceptable proposal"

# Dead peer detection (RFC 3706): roadie asks R-U-THERE after its interval of silence and the
# server answers (its log); when the server becomes unreachable, roadie says so after the
# timeout, in words.
dpd_cell() {
	local name=/lab/roadie-ike/nat/dpd log=$tmp/dpd.log prof=$tmp/dpd.conf
	lab_ensure_topology nat >/dev/null 2>&1 && lab_ensure_variant dpd >/dev/null 2>&1 ||
		{ result 1 "$name (lab could not switch)"; return; }
	local marks
	marks=$(log_mark)
	start_roadied "$log" "$prof" 'dpd-interval=3\ndpd-timeout=10\n' --debug
	for _ in $(seq 300); do grep -q "IPsec is up\|$(basename "$prof" .conf): failed: " "$log" && break; sleep 0.1; done
	sleep 8
	grep -q "dead peer detection: the gateway answered" "$(svc_log rl-cli)"
	result $? "$name/gateway-answers-r-u-there" "$log"
	log_since "$marks" charon.log >"$tmp/charon-dpd.log"
	grep -qi "DPD\|R_U_THERE" "$tmp/charon-dpd.log"
	result $? "$name/server-log-shows-dpd" "$tmp/charon-dpd.log"
	"$LABCMD" fault unreachable >/dev/null 2>&1
	local start=$SECONDS
	for _ in $(seq 300); do grep -q "$(basename "$prof" .conf): failed: " "$log" && break; sleep 0.1; done
	"$LABCMD" fault clear >/dev/null 2>&1
	grep -q "stopped answering: no reply to dead peer detection for 10 s" "$log"
	result $? "$name/dead-gateway-named-in-$((SECONDS - start))s" "$log"
	stop_roadied
}
dpd_cell

# The gateway rekeys the ESP SA pair every 15 s (Quick Mode started by the server): roadie
# answers each one, keeps the connection, and the server's SA list holds the newest pair.
rekey_cell() {
	local name=/lab/roadie-ike/nat/rekey log=$tmp/rekey.log prof=$tmp/rekey.conf
	lab_ensure_topology nat >/dev/null 2>&1 && lab_ensure_variant rekey >/dev/null 2>&1 ||
		{ result 1 "$name (lab could not switch)"; return; }
	start_roadied "$log" "$prof"
	sleep 40
	local rekeys
	rekeys=$(grep -c "(the gateway's rekey)" "$log")
	[ "$rekeys" -ge 2 ] && ! grep -q "$(basename "$prof" .conf): failed: " "$log"
	result $? "$name/answers-gateway-rekeys ($rekeys in 40 s)" "$log"
	local newest
	newest=$(grep -o "SPIs in [0-9a-f]*" "$log" | tail -n 1 | awk '{print $3}')
	"$LABCMD" exec swanctl --list-sas >"$tmp/sas" 2>&1
	grep -q "INSTALLED, TRANSPORT-in-UDP" "$tmp/sas" && grep -q "out $newest" "$tmp/sas"
	result $? "$name/server-holds-newest-pair" "$tmp/sas" "$log"
	stop_roadied
}
rekey_cell

# roadie rekeys the ESP pair itself before it expires (sa-lifetime=1m: at 48-54 s), new pair
# first, then DELETE for the old one; the server's log and SA list show both steps.
own_rekey_cell() {
	local name=/lab/roadie-ike/nat/own-rekey log=$tmp/own-rekey.log prof=$tmp/own-rekey.conf
	lab_ensure_topology nat >/dev/null 2>&1 && lab_ensure_variant default >/dev/null 2>&1 ||
		{ result 1 "$name (lab could not switch)"; return; }
	local marks
	marks=$(log_mark)
	start_roadied "$log" "$prof" 'sa-lifetime=1m\n'
	for _ in $(seq 750); do grep -q "the old ESP pair" "$log" && break; sleep 0.1; done
	local first newest
	first=$(grep -o "SPIs in [0-9a-f]*" "$log" | head -n 1 | awk '{print $3}')
	newest=$(grep -o "SPIs in [0-9a-f]*" "$log" | tail -n 1 | awk '{print $3}')
	grep -q "rekeying the ESP pair before it expires" "$log" && grep -q "the old ESP pair (in $first) is deleted" "$log" &&
		[ "$first" != "$newest" ] && ! grep -q "$(basename "$prof" .conf): failed: " "$log"
	result $? "$name/rekeys-before-expiry" "$log"
	sleep 1
	log_since "$marks" charon.log >"$tmp/charon-rekey.log"
	"$LABCMD" exec swanctl --list-sas >"$tmp/sas" 2>&1
	[ "$(grep -cE 'parsed QUICK_MODE request [0-9]+ \[ HASH SA No ID ID NAT-OA NAT-OA \]' "$tmp/charon-rekey.log")" -ge 2 ] &&
		grep -q "received DELETE for ESP CHILD_SA with SPI $first" "$tmp/charon-rekey.log" &&
		grep -q "out $newest" "$tmp/sas" && ! grep -q "out $first" "$tmp/sas"
	result $? "$name/server-saw-rekey-and-delete" "$tmp/charon-rekey.log" "$tmp/sas"
	stop_roadied
}
own_rekey_cell

# roadie renews phase 1 before it expires (ike-lifetime=1m: at 48-54 s) with a fresh Main Mode
# and deletes the old ISAKMP SA; the ESP pair lives on. Meanwhile NAT keepalives (one 0xFF
# byte to UDP 4500, RFC 3948 §2.3) cross the NAT every 20 s: counted in the NAT's forwarding.
renewal_cell() {
	local name=/lab/roadie-ike/nat/ike-renewal log=$tmp/renewal.log prof=$tmp/renewal.conf
	lab_ensure_topology nat >/dev/null 2>&1 && lab_ensure_variant default >/dev/null 2>&1 ||
		{ result 1 "$name (lab could not switch)"; return; }
	local rule=(FORWARD -p udp --dport 4500 -m length --length 29 -j ACCEPT)
	ip netns exec rl-nat iptables -I "${rule[@]}"
	local marks
	marks=$(log_mark)
	start_roadied "$log" "$prof" 'ike-lifetime=1m\n'
	for _ in $(seq 750); do grep -q "IKE SA renewed\|$(basename "$prof" .conf): failed: " "$log" && break; sleep 0.1; done
	sleep 5 # roadie deletes the old IKE SA 3 s after the new one is up
	local spi_in
	spi_in=$(grep -o "SPIs in [0-9a-f]*" "$log" | head -n 1 | awk '{print $3}')
	grep -q "renewing the IKE SA before it expires" "$log" && grep -q "IKE SA renewed" "$log" &&
		! grep -q "$(basename "$prof" .conf): failed: " "$log"
	result $? "$name/renews-before-expiry" "$log"
	log_since "$marks" charon.log >"$tmp/charon-renewal.log"
	"$LABCMD" exec swanctl --list-sas >"$tmp/sas" 2>&1
	# the server: two IKE SAs established in turn, the new one adopting the ESP pair (no
	# INITIAL-CONTACT: a reauthentication), the first deleted by roadie, one left; the ESP pair
	# from before the renewal still installed
	[ "$(grep -cE 'IKE_SA l2tp[a-z-]*\[[0-9]+\] established' "$tmp/charon-renewal.log")" -ge 2 ] &&
		grep -q "detected reauth of existing IKE_SA, adopting 1 children" "$tmp/charon-renewal.log" &&
		grep -q "received DELETE for IKE_SA" "$tmp/charon-renewal.log" &&
		[ "$(grep -c 'ESTABLISHED, IKEv1' "$tmp/sas")" -eq 1 ] &&
		grep -q "INSTALLED, TRANSPORT-in-UDP" "$tmp/sas" && grep -q "out $spi_in" "$tmp/sas"
	result $? "$name/server-new-ike-sa-same-esp-pair" "$tmp/charon-renewal.log" "$tmp/sas"
	local keepalives
	keepalives=$(ip netns exec rl-nat iptables -L FORWARD -v -x -n | awk '/dpt:4500/ && /length 29/ {print $1; exit}')
	ip netns exec rl-nat iptables -D "${rule[@]}"
	[ "${keepalives:-0}" -ge 2 ]
	result $? "$name/nat-keepalives-every-20s (${keepalives:-0} in ~55 s)" "$log"
	stop_roadied
}
renewal_cell
tap_plan

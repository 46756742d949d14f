#!/bin/bash
# roadie's IKEv1 initiator against a real strongSwan responder (charon, run natively on this
# host: IKE needs no kernel ESP), through a MASQUERADE NAT, in network namespaces of its own on
# documentation ranges. The responder's own view (swanctl --list-sas, its log) is checked, not
# only roadie's. TAP output.
#
#   tests/integration/ike-strongswan.sh ROADIED
#
#   rd-ike-cli 198.51.100.2 --- 198.51.100.1 rd-ike-nat 203.0.113.2 --- 203.0.113.10 rd-ike-gw
#              (roadied)                     (MASQUERADE)                 (charon)
set -u
roadied=$(realpath "$1")
. "$(dirname "$0")/strongswan-nat.sh"
. "$(dirname "$0")/../lib/tap.sh"
tmp=$(mktemp -d)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
	sw_down
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM # so that the EXIT trap cleans up after a timeout too


sw_up "$tmp" || { echo "Bail out! the strongSwan responder did not start"; exit 1; }

profile() { # FILE IKE PSK [GATEWAY]
	cat >"$1" <<P
[connection]
gateway=${4:-203.0.113.10}
[ipsec]
psk=$3
ike=$2
[ppp]
user=alice
password=wonderland
P
}

# connect NAME PROFILE WANT_TEXT SECONDS: roadied prints WANT_TEXT within SECONDS
connect() {
	local name=$1 prof=$2 want=$3 secs=$4 log=$tmp/$1.log
	: >"$log"
	env DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent/roadie-tests ip netns exec rd-ike-cli "$roadied" --state-dir "$tmp/state" --connect "$prof" >"$log" 2>&1 &
	local pid=$!
	pids+=($pid)
	for _ in $(seq $((secs * 10))); do
		grep -qF -- "$want" "$log" && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	grep -qF -- "$want" "$log"
}

stop_roadied() {
	local pid=${pids[-1]}
	kill -INT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

# 1. Main Mode and Quick Mode through NAT: roadie and the gateway both see the NAT; the gateway lists the SA
sw_gw_conf "aes256-sha1-modp2048,aes128-sha1-modp2048,3des-sha1-modp1024" "aes256-sha1,aes128-sha1,3des-sha1" "lab-psk"
profile "$tmp/good.conf" "aes256-sha256-modp2048,aes256-sha1-modp2048" "lab-psk"
connect main-mode "$tmp/good.conf" "IKE: AES_CBC_256/HMAC_SHA1/MODP_2048; NAT: we are behind NAT; floated to 4500" 15
result $? /ike/strongswan/main-mode-through-nat "$tmp/main-mode.log"
# the gateway's own log: the suite, the NAT seen from its side, the float to 4500. (Its SA list
# is checked in the qemu lab: here the gateway drops the SAs once its kernel refuses the ESP SA.)
grep -q "selected proposal: IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048" "$tmp/gw/charon.log" &&
	grep -qF "remote endpoint changed from 203.0.113.2[500] to 203.0.113.2[4500]" "$tmp/gw/charon.log" &&
	grep -qE "IKE_SA l2tp\[[0-9]+\] established between 203.0.113.10\[203.0.113.10\]...203.0.113.2\[198.51.100.2\]" "$tmp/gw/charon.log"
result $? /ike/strongswan/gateway-established-from-nat-on-4500 "$tmp/gw/charon.log"
grep -q "remote host is behind NAT" "$tmp/gw/charon.log"
result $? /ike/strongswan/gateway-saw-nat "$tmp/gw/charon.log"
# Quick Mode: the gateway parsed our QM1 with NAT-OA, chose our ESP proposal, and accepted QM3
# (its HASH(3)); only installing the SA in this host's kernel fails (no XFRM here: the qemu lab
# has it).
for _ in $(seq 50); do grep -q "unable to install" "$tmp/gw/charon.log" && break; sleep 0.1; done
grep -q "ESP: AES_CBC_256/HMAC_SHA1, transport in UDP 4500" "$tmp/main-mode.log"
result $? /ike/strongswan/quick-mode-roadie-view "$tmp/main-mode.log"
grep -qE "parsed QUICK_MODE request [0-9]+ \[ HASH SA No ID ID NAT-OA NAT-OA \]" "$tmp/gw/charon.log" &&
	grep -q "selected proposal: ESP:AES_CBC_256/HMAC_SHA1_96" "$tmp/gw/charon.log" &&
	grep -qE "parsed QUICK_MODE request [0-9]+ \[ HASH \]" "$tmp/gw/charon.log" &&
	grep -q "unable to install inbound and outbound IPsec SA" "$tmp/gw/charon.log"
result $? /ike/strongswan/quick-mode-gateway-view "$tmp/gw/charon.log"
stop_roadied
for _ in $(seq 30); do grep -q "received DELETE for IKE_SA" "$tmp/gw/charon.log" && break; sleep 0.1; done
grep -q "received DELETE for IKE_SA" "$tmp/gw/charon.log"
result $? /ike/strongswan/delete-on-disconnect "$tmp/gw/charon.log"

# 2. a wrong pre-shared key is named as such, within 10 s
profile "$tmp/badpsk.conf" "aes256-sha1-modp2048" "not-the-psk"
start=$SECONDS
connect wrong-psk "$tmp/badpsk.conf" "the gateway rejected the pre-shared key" 12
status=$?
[ $status -eq 0 ] && [ $((SECONDS - start)) -le 10 ]
result $? "/ike/strongswan/wrong-psk-in-10s ($((SECONDS - start)) s)" "$tmp/wrong-psk.log"

# 3. no common proposal (a strict list: no fallback): the message names what we offered
profile "$tmp/noprop.conf" "aes128-sha512-ecp384!" "lab-psk"
connect no-proposal "$tmp/noprop.conf" "the gateway accepts none of our IKE proposals (we offered aes128-sha512-ecp384)" 40
result $? /ike/strongswan/no-proposal-names-offer "$tmp/no-proposal.log"

# 4. an unreachable gateway
profile "$tmp/unreach.conf" "aes256-sha1-modp2048" "lab-psk" 203.0.113.99
connect unreachable "$tmp/unreach.conf" "no answer from 203.0.113.99 on UDP 500 after 5 tries: is the gateway reachable?" 40
result $? /ike/strongswan/unreachable "$tmp/unreachable.log"

# 5. secrets on standard input instead of in the profile
printf '[connection]\ngateway=203.0.113.10\n[ppp]\nuser=alice\n' >"$tmp/nosecrets.conf"
log=$tmp/stdin.log
: >"$log"
printf '[ipsec]\npsk=lab-psk\n[ppp]\npassword=wonderland\n' |
	env DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent/roadie-tests ip netns exec rd-ike-cli "$roadied" --state-dir "$tmp/state" --connect "$tmp/nosecrets.conf" --secrets-from-stdin >"$log" 2>&1 &
pids+=($!)
for _ in $(seq 150); do grep -q "IKE: AES" "$log" && break; sleep 0.1; done
grep -q "IKE: AES" "$log"
result $? /ike/strongswan/secrets-from-stdin "$log"
stop_roadied

# 6. a gateway that requires PFS: "auto" tries without, is refused, then phase 1's group
sw_gw_conf "aes256-sha1-modp2048" "aes256-sha1-modp2048" "lab-psk"
profile "$tmp/pfs.conf" "aes256-sha1-modp2048" "lab-psk"
# (the ESP line, not "trying PFS modp2048 next", which comes before the learned line)
connect pfs "$tmp/pfs.conf" "; PFS modp2048;" 30
result $? /ike/strongswan/pfs-auto-finds-group "$tmp/pfs.log"
grep -q "learned: ike=aes256-sha1-modp2048 esp=aes256-sha1 pfs=modp2048" "$tmp/pfs.log"
result $? /ike/strongswan/reports-learned-suite "$tmp/pfs.log"
grep -qE "parsed QUICK_MODE request [0-9]+ \[ HASH SA No KE ID ID NAT-OA NAT-OA \]" "$tmp/gw/charon.log"
result $? /ike/strongswan/pfs-gateway-got-ke "$tmp/gw/charon.log"
stop_roadied

# 7. a gateway that accepts only the legacy suite: the default list is refused, roadie falls
# back by itself to older proposals, says the suite is weak and reports it to be saved
sw_gw_conf "3des-sha1-modp1024" "aes256-sha1,3des-sha1" "lab-psk"
mark=$(wc -l <"$tmp/gw/charon.log")
printf '[connection]\ngateway=203.0.113.10\n[ipsec]\npsk=lab-psk\n[ppp]\nuser=alice\npassword=wonderland\n' >"$tmp/legacy.conf"
connect legacy "$tmp/legacy.conf" "ESP: " 30
grep -q "the gateway accepts none of our IKE proposals; trying older proposals: " "$tmp/legacy.log" &&
	grep -qF "the gateway accepted only older proposals: 3DES-SHA1-MODP1024 (weak)" "$tmp/legacy.log" &&
	grep -q "learned: ike=3des-sha1-modp1024 " "$tmp/legacy.log"
result $? /ike/strongswan/fallback-to-legacy-roadie-view "$tmp/legacy.log"
tail -n +"$((mark + 1))" "$tmp/gw/charon.log" >"$tmp/gw-legacy.log"
grep -qE "generating ID_PROT response 0 \[ N\(NO_PROP\) \]|generating INFORMATIONAL_V1 request [0-9]+ \[ N\(NO_PROP\) \]" "$tmp/gw-legacy.log" &&
	grep -q "selected proposal: IKE:3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024" "$tmp/gw-legacy.log"
result $? /ike/strongswan/fallback-to-legacy-gateway-view "$tmp/gw-legacy.log"
stop_roadied

# 8. what was learned comes first next time: no refusal, no fallback
mark=$(wc -l <"$tmp/gw/charon.log")
printf '[learned]\nike=3des-sha1-modp1024\n' >>"$tmp/legacy.conf"
connect learned "$tmp/legacy.conf" "ESP: " 20
tail -n +"$((mark + 1))" "$tmp/gw/charon.log" >"$tmp/gw-learned.log"
! grep -q "trying older proposals" "$tmp/learned.log" &&
	! grep -q "N(NO_PROP)" "$tmp/gw-learned.log" &&
	grep -q "selected proposal: IKE:3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024" "$tmp/gw-learned.log"
result $? /ike/strongswan/learned-suite-first "$tmp/learned.log" "$tmp/gw-learned.log"
stop_roadied

# 9. a gateway that chokes on long lists (here: drops every IKE datagram over 300 bytes, which
# a first message with five or six proposals is) stays silent: roadie falls back to shorter
# lists, down to the oldest suite alone
sw_gw_conf "3des-sha1-modp1024" "aes256-sha1" "lab-psk"
ip netns exec rd-ike-gw iptables -A INPUT -p udp --dport 500 -m length --length 301:65535 -j DROP
printf '[connection]\ngateway=203.0.113.10\n[ipsec]\npsk=lab-psk\n[ppp]\nuser=alice\npassword=wonderland\n' >"$tmp/choke.conf"
connect choke "$tmp/choke.conf" "ESP: " 30
grep -q "no answer to our IKE proposals; trying a shorter list: " "$tmp/choke.log" &&
	grep -qF "the gateway accepted only older proposals: 3DES-SHA1-MODP1024 (weak)" "$tmp/choke.log"
result $? /ike/strongswan/fallback-on-silence "$tmp/choke.log"
dropped=$(ip netns exec rd-ike-gw iptables -L INPUT -v -x -n | awk '/DROP/ {print $1}')
[ "${dropped:-0}" -ge 3 ]
result $? "/ike/strongswan/fallback-on-silence-gateway-dropped-long-lists ($dropped)" "$tmp/choke.log"
ip netns exec rd-ike-gw iptables -F INPUT
stop_roadied

# 10. a capture of roadie's own exchange, taken at the gateway, decrypts in tshark with the
# keys roadie negotiated (roadied --keylog): without them Main Mode's identities and the Quick
# Mode are opaque, with them tshark reads our ID (the address behind NAT), the Quick Mode's
# L2TP port 1701 and NAT-OA
sw_gw_conf "aes256-sha1-modp2048" "aes256-sha1" "lab-psk"
cap=$tmp/ike.pcapng
ip netns exec rd-ike-gw dumpcap -q -i gw0 -f "udp port 500 or udp port 4500" -w "$cap" 2>"$tmp/dumpcap.log" &
cap_pid=$!
pids+=($cap_pid)
for _ in $(seq 50); do [ -s "$cap" ] && break; sleep 0.1; done
log=$tmp/keylog.log
env DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent/roadie-tests ip netns exec rd-ike-cli "$roadied" --state-dir "$tmp/state" --keylog "$tmp/keys" --connect "$tmp/good.conf" >"$log" 2>&1 &
pids+=($!)
for _ in $(seq 150); do grep -q "ESP: " "$log" && break; sleep 0.1; done
sleep 0.5
stop_roadied
sleep 0.5
kill -INT "$cap_pid" 2>/dev/null
wait "$cap_pid" 2>/dev/null
uat=()
while read -r line; do uat+=(-o "uat:$line"); done <"$tmp/keys"
fields=(-T fields -e isakmp.id.data.ipv4_addr -e isakmp.id.port -e isakmp.typepayload)
tshark -r "$cap" "${fields[@]}" >"$tmp/tshark-nokeys.txt" 2>&1
tshark -r "$cap" "${uat[@]}" "${fields[@]}" >"$tmp/tshark-keys.txt" 2>&1
# one ISAKMP SA, and the ESP pair (in and out) as Wireshark ESP SA records
[ "$(stat -c %a "$tmp/keys")" = 600 ] && [ "$(grep -c '^ikev1_decryption_table:' "$tmp/keys")" = 1 ] &&
	[ "$(grep -cE '^esp_sa:"IPv4","\*","\*","0x[0-9a-f]{8}","AES-CBC \[RFC3602\]","0x[0-9a-f]{64}","HMAC-SHA-1-96 \[RFC2404\]","0x[0-9a-f]{40}"$' "$tmp/keys")" = 2 ] &&
	! grep -q "198.51.100.2" "$tmp/tshark-nokeys.txt" &&
	grep -q "198.51.100.2" "$tmp/tshark-keys.txt" && grep -q "1701" "$tmp/tshark-keys.txt" &&
	grep -qE "(^|[[:space:],])(21|131)(,|$)" "$tmp/tshark-keys.txt"
result $? /ike/strongswan/capture-decrypts-with-roadies-keys "$tmp/tshark-keys.txt" "$tmp/tshark-nokeys.txt" "$log"
# the keys never reach roadied's own output
key=$(sed -n 's/^ikev1_decryption_table:[0-9a-f]*,\([0-9a-f]*\)$/\1/p' "$tmp/keys" | head -n 1)
[ -n "$key" ] && ! grep -qi "$key" "$log"
result $? /ike/strongswan/keys-not-in-log "$log"

tap_plan

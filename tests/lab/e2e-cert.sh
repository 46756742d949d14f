#!/bin/bash
# tests/lab/e2e-cert.sh ROADIED: IKE authentication with certificates, end to end: roadiectl
# reads the client's credentials (PEM, DER, PKCS#12 from the lab's PKI, tests/lab/mkca) and
# hands roadied their contents; roadied connects through the NAT to strongSwan and libreswan
# with RSA, to strongSwan with ECDSA, and with a 4096-bit chain of three over a path that
# drops IP fragments (IKE fragmentation; the same path refuses a profile with fragmentation
# off). Gateways whose certificate names another gateway, comes from another CA or expired
# are refused with their sentence within 10 s, nothing left configured on the client and,
# after roadie's DELETE, no IKE SA left on the server. Each connection is checked from the
# server's own view: its log says it verified alice's signature, its SA list holds the SA.
# TAP output.
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
PKI=$W/pki
[ -f "$PKI/.complete" ] || { echo "Bail out! no lab PKI at $PKI (tests/lab/mkca)"; exit 1; }
lab_ensure_topology nat >/dev/null 2>&1 || { echo "Bail out! the lab could not switch to nat"; exit 1; }
client_resolv_conf rl-cli

# the intermediate goes with the client's certificate (a PEM file may hold the chain)
cat "$PKI/big/client.pem" "$PKI/big/inter.pem" >"$tmp/big-client-chain.pem"

# cert_up LOG DIR FORM [IPSEC LINES]: roadiectl connect with alice's credentials from
# $PKI/DIR in FORM (pem: client.pem + client.key; der: client.der + client.key.der; p12:
# client.p12 with its password; chain: client and intermediate in one PEM), trusting DIR's
# ca.pem; LOG gets roadiectl monitor's lines, LOG.connect connect's output
cert_up() {
	local log=$1 dir=$PKI/$2 form=$3 prof=$1.conf sec=$1.secrets cert key
	case $form in
	pem) cert=$dir/client.pem key=$dir/client.key ;;
	der) cert=$dir/client.der key=$dir/client.key.der ;;
	p12) cert=$dir/client.p12 key= ;;
	chain) cert=$tmp/big-client-chain.pem key=$dir/client.key ;;
	esac
	{
		printf '[connection]\ngateway=203.0.113.10\nauto-reconnect=false\n'
		printf '[ipsec]\nauth=cert\ncertificate=%s\nca-certificate=%s\n' "$cert" "$dir/ca.pem"
		[ -n "$key" ] && printf 'private-key=%s\n' "$key"
		printf '%b[ppp]\nuser=alice\n' "${4:-}"
	} >"$prof"
	printf '[ipsec]\nprivate-key-password=roadie-p12\n[ppp]\npassword=wonderland\n' >"$sec"
	chmod 600 "$prof" "$sec"
	: >"$log"
	service_up rl-cli || { echo "roadied did not come up as a service" >>"$log"; return 1; }
	monitor_stop rl-cli
	ctl rl-cli monitor --timestamps >>"$log" 2>&1 &
	echo $! >"$tmp/svc-rl-cli/monitor.pid"
	for _ in $(seq 50); do grep -q "roadie: monitoring" "$log" && break; sleep 0.1; done
	timeout 90 env DBUS_SYSTEM_BUS_ADDRESS="${svc_bus[rl-cli]}" "$ROADIECTL" connect --no-ask \
		--secrets-file "$sec" "$prof" >"$log.connect" 2>&1
	local status=$?
	cat "$log.connect" >>"$log"
	return $status
}

# server_view IKE MARKS: the server's log since MARKS shows it verified alice's signature
# and its SA list holds her IKE SA
server_view() {
	if [ "$1" = libreswan ]; then
		log_since "$2" pluto.log >"$tmp/server.log"
		# shellcheck disable=SC2016
		"$LABCMD" exec sh -c '"$(sed -n "s/.*lab.libreswan=\([^ ]*\).*/\1/p" /proc/cmdline)/usr/libexec/ipsec/whack" --trafficstatus' >"$tmp/sas" 2>&1
		grep -qE "Peer ID is (ID_)?DER_ASN1_DN: '[^']*CN=alice'" "$tmp/server.log" &&
			grep -qE "authenticated peer .* signature using peer certificate '[^']*CN=alice'" "$tmp/server.log" &&
			grep -qE "IPsec SA established transport mode" "$tmp/server.log" &&
			grep -q "CN=alice" "$tmp/sas"
	else
		log_since "$2" charon.log >"$tmp/server.log"
		"$LABCMD" exec swanctl --list-sas >"$tmp/sas" 2>&1
		grep -qE "authentication of '[^']*CN=alice' with [A-Z0-9_]+ successful" "$tmp/server.log" &&
			grep -q "ESTABLISHED, IKEv1" "$tmp/sas" && grep -q "CN=alice" "$tmp/sas" &&
			grep -q "INSTALLED, TRANSPORT" "$tmp/sas"
	fi
}

# ok_cell VARIANT IKE DIR FORM [IPSEC LINES]: connects, the gateway's certificate checked by
# roadie, ping through the tunnel, the server's view, and a clean disconnect
ok_cell() {
	local variant=$1 ike=$2 dir=$3 form=$4 name=/lab/roadie-cert/nat/$1/$4 log=$tmp/$1.$4.log marks
	lab_ensure_variant "$variant" >/dev/null 2>&1 || { result 1 "$name (lab could not switch)"; return; }
	marks=$(log_mark)
	cert_up "$log" "$dir" "$form" "${5:-}"
	result $? "$name/connects" "$log"
	grep -q "the gateway's certificate checks out: '[^']*vpn.lab.example'" "$log"
	result $? "$name/gateway-certificate-checked" "$log"
	ping_inner rl-cli "$log"
	result $? "$name/ping-through-the-tunnel" "$log"
	server_view "$ike" "$marks"
	result $? "$name/server-verified-alice" "$tmp/server.log" "$tmp/sas"
	down rl-cli
	result $? "$name/down-clean" "$log"
}

ok_cell cert strongswan rsa pem
ok_cell cert strongswan rsa der
ok_cell cert strongswan rsa p12
ok_cell libreswan-cert libreswan rsa pem
ok_cell libreswan-cert libreswan rsa der
ok_cell libreswan-cert libreswan rsa p12
ok_cell cert-ecdsa strongswan ecdsa pem
ok_cell cert-ecdsa strongswan ecdsa p12
grep -qE "authentication of '[^']*CN=alice' with ECDSA" "$tmp/server.log"
result $? /lab/roadie-cert/nat/cert-ecdsa/server-saw-ecdsa "$tmp/server.log"

# ---- a 4096-bit chain of three over a path that drops IP fragments ----
big_cell() {
	local name=/lab/roadie-cert/nat/cert-big/nofrag log=$tmp/big.log marks before start
	lab_ensure_variant cert-big >/dev/null 2>&1 || { result 1 "$name (lab could not switch)"; return; }
	"$LABCMD" fault nofrag >"$tmp/nofrag.log" 2>&1
	result $? "$name/fault-set" "$tmp/nofrag.log"
	# the fault bites: a ping too large for one packet gets no answer across the NAT
	! ip netns exec rl-cli ping -c 2 -W 2 -s 3000 203.0.113.10 >"$tmp/bigping.log" 2>&1 &&
		ip netns exec rl-cli ping -c 2 -W 2 -s 1000 203.0.113.10 >>"$tmp/bigping.log" 2>&1
	result $? "$name/path-drops-fragments" "$tmp/bigping.log"
	marks=$(log_mark)
	cert_up "$log" big chain
	result $? "$name/connects-with-ike-fragmentation" "$log"
	server_view strongswan "$marks"
	result $? "$name/server-verified-alice" "$tmp/server.log" "$tmp/sas"
	# both ways in fragments: the server reassembled ours and split its own
	grep -qE "reassembled fragmented IKE message" "$tmp/server.log" &&
		grep -qE "splitting IKE message \([0-9]+ bytes\) into [0-9]+ fragments" "$tmp/server.log"
	result $? "$name/server-fragmented-both-ways" "$tmp/server.log"
	ping_inner rl-cli "$log"
	result $? "$name/ping-through-the-tunnel" "$log"
	down rl-cli
	result $? "$name/down-clean" "$log"

	# the same path, fragmentation off: refused in words, nothing configured
	name=/lab/roadie-cert/nat/cert-big/nofrag-fragmentation-off
	log=$tmp/big-off.log
	before=$(host_state rl-cli)
	start=$SECONDS
	cert_up "$log" big chain 'fragmentation=no\n'
	[ $? -ne 0 ] && grep -q "IP fragments (IKE fragmentation is off in the profile) (certificate-rejected)" "$log" &&
		[ $((SECONDS - start)) -le 10 ]
	result $? "$name/refused-in-words ($((SECONDS - start)) s)" "$log"
	[ "$(host_state rl-cli)" = "$before" ] && ! ip -n rl-cli link show | grep -q roadie
	result $? "$name/nothing-configured" "$log"
	monitor_stop rl-cli
	"$LABCMD" fault clear >/dev/null 2>&1
}
big_cell

# ---- gateways that must be refused ----
bad_cell() { # VARIANT SENTENCE
	local name=/lab/roadie-cert/nat/$1 log=$tmp/$1.log before start marks
	lab_ensure_variant "$1" >/dev/null 2>&1 || { result 1 "$name (lab could not switch)"; return; }
	before=$(host_state rl-cli)
	marks=$(log_mark)
	start=$SECONDS
	cert_up "$log" rsa pem
	[ $? -ne 0 ] && grep -qF "$2" "$log" && grep -q "(gateway-certificate)" "$log" &&
		[ $((SECONDS - start)) -le 10 ]
	result $? "$name/refused-in-words ($((SECONDS - start)) s)" "$log"
	[ "$(host_state rl-cli)" = "$before" ] && ! ip -n rl-cli link show | grep -q roadie
	result $? "$name/nothing-configured" "$log"
	monitor_stop rl-cli
	# the server authenticated alice, then heard roadie's DELETE: it holds no SA of ours
	for _ in $(seq 20); do
		"$LABCMD" exec swanctl --list-sas >"$tmp/sas" 2>&1
		grep -q "CN=alice" "$tmp/sas" || break
		sleep 0.5
	done
	log_since "$marks" charon.log >"$tmp/server.log"
	grep -qE "authentication of '[^']*CN=alice' with [A-Z0-9_]+ successful" "$tmp/server.log" &&
		grep -qE "received DELETE for IKE_SA" "$tmp/server.log" && ! grep -q "CN=alice" "$tmp/sas"
	result $? "$name/server-holds-nothing" "$tmp/server.log" "$tmp/sas"
}
bad_cell cert-wrongid "is for 'vpn.other.example', not for 203.0.113.10"
bad_cell cert-otherca "signed by 'roadie lab other root', not by the CA you chose"
bad_cell cert-expired "expired on 2021-01-01"

lab_ensure_variant default >/dev/null 2>&1
tap_plan

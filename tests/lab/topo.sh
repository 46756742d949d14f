#!/bin/bash
# tests/lab/topo.sh SIDE TOPOLOGY     build one client-side topology from network namespaces
# tests/lab/topo.sh SIDE clear        remove the client-side namespaces of SIDE
# tests/lab/topo.sh SIDE show         print what exists
#
# SIDE is "host" (where roadie runs: the client namespaces are on the host and reach the
# VM through netns rl-wan, bridge br-wan, qemu's tap) or "vm" (inside the lab VM, where the
# reference client runs; the WAN there is the VM's br0, bridged to the host's br-wan).
# The SAME function builds both, so a cell the reference client proved in the VM is the
# network roadie meets on the host. Only the public (WAN) addresses differ: host sites
# use 203.0.113.21-29, VM sites 203.0.113.31-39 (they share one WAN segment).
#
# Topologies (every address in a documentation range; nothing routes anywhere else):
#   direct      rl-cli wan0 203.0.113.B1/24 ------------------------------------ WAN
#   nat         rl-cli eth0 198.51.100.2/26 -- rl-nat lan0 .1 | wan0 203.0.113.B2 (MASQUERADE) -- WAN
#   double-nat  rl-cli 198.51.100.2/26 -- rl-nat (.1 | 198.51.100.66/26, MASQUERADE)
#                 -- rl-nat2 (198.51.100.65/26 | 203.0.113.B3, MASQUERADE) -- WAN
#   two-clients rl-cli 198.51.100.2 and rl-cli2 198.51.100.3, both behind rl-nat (as nat)
#   server-nat  client side as nat; on the vm side the server itself moves behind a
#               port-forwarding NAT: rl-snat wan0 203.0.113.10 (DNAT udp/500, udp/4500, esp
#               -> 192.0.2.18; MASQUERADE out) -- lan0 192.0.2.17/28 -- srv0 192.0.2.18/28 (server)
# WAN = 203.0.113.0/24: server 203.0.113.10, "ISP router" 203.0.113.1 and observer
# 203.0.113.254 (host netns rl-wan, forwarding off: stray packets die there).
set -u
SIDE=${1:?usage: topo.sh host|vm TOPOLOGY|clear|show}
TOPO=${2:?usage: topo.sh host|vm TOPOLOGY|clear|show}
case $SIDE in
	host) WANNS=rl-wan WANBR=br-wan B=20 ;;
	vm) WANNS= WANBR=br0 B=30 ;;
	*) echo "topo.sh: side must be host or vm" >&2; exit 2 ;;
esac
TOPOLOGIES="direct nat double-nat server-nat two-clients"
CLIENT_NS="rl-cli rl-cli2 rl-nat rl-nat2"
SERVER_IP=203.0.113.10
SRV_LAN_IP=192.0.2.18 SNAT_LAN_IP=192.0.2.17

nsx() { ip netns exec "$@"; }
wanx() { if [ -n "$WANNS" ]; then ip netns exec "$WANNS" "$@"; else "$@"; fi; }
die() { echo "topo.sh: $*" >&2; exit 1; }

mkns() { # NAME
	ip netns add "$1" || die "cannot create netns $1"
	nsx "$1" ip link set lo up
	nsx "$1" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
		net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}
# wan_link NS IF ADDR/LEN: a veth from NS onto the WAN bridge
wan_link() {
	local ns=$1 ifn=$2 addr=$3 peer=${1#rl-}-w tmp=rlt$$
	# made under a temporary name, then moved and renamed: "eth0" etc. may exist here
	ip link add "$tmp" type veth peer name "$peer" || die "veth $ns/$ifn"
	ip link set "$tmp" netns "$ns" || die "veth $ns/$ifn"
	nsx "$ns" ip link set "$tmp" name "$ifn"
	if [ -n "$WANNS" ]; then ip link set "$peer" netns "$WANNS"; fi
	wanx ip link set "$peer" master "$WANBR"
	wanx ip link set "$peer" up
	nsx "$ns" ip addr add "$addr" dev "$ifn"
	nsx "$ns" ip link set "$ifn" up
}
# lan_bridge NS ADDR/LEN: the LAN side of a NAT router (a bridge, so several hosts fit)
lan_bridge() {
	nsx "$1" ip link add lan0 type bridge stp_state 0 forward_delay 0
	nsx "$1" ip addr add "$2" dev lan0
	nsx "$1" ip link set lan0 up
}
# lan_link NS IF ADDR/LEN ROUTERNS: a host NS on ROUTERNS's lan0
lan_link() {
	local ns=$1 ifn=$2 addr=$3 rns=$4 peer=${1#rl-}-l tmp=rlt$$
	ip link add "$tmp" netns "$ns" type veth peer name "$peer" netns "$rns" || die "veth $ns/$ifn"
	nsx "$ns" ip link set "$tmp" name "$ifn"
	nsx "$rns" ip link set "$peer" master lan0
	nsx "$rns" ip link set "$peer" up
	nsx "$ns" ip addr add "$addr" dev "$ifn"
	nsx "$ns" ip link set "$ifn" up
}
masquerade() { # NS OUTIF
	nsx "$1" sysctl -qw net.ipv4.ip_forward=1
	nsx "$1" iptables -t nat -A POSTROUTING -o "$2" -j MASQUERADE
}

clear_clients() {
	local ns
	for ns in $CLIENT_NS; do
		ip netns list | grep -qw "^$ns" || continue
		# in the VM every process is the lab's own: stop what still runs in the namespace
		# (reference-client daemons). On the host the harness stops its client by pidfile.
		if [ "$SIDE" = vm ]; then
			ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		fi
	done
	[ "$SIDE" = vm ] && sleep 0.2
	for ns in $CLIENT_NS; do
		if ip netns list | grep -qw "^$ns"; then
			[ "$SIDE" = vm ] && ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
			ip netns del "$ns"
		fi
		rm -rf "/etc/netns/$ns" 2>/dev/null
	done
	# peers left on the WAN bridge (if a namespace was held open by a process)
	for p in cli-w nat-w nat2-w; do wanx ip link del "$p" 2>/dev/null; done
	true
}

# the server side (VM only): the server's own address, directly on br0 or behind rl-snat
server_direct() {
	[ "$SIDE" = vm ] || return 0
	if ip netns list | grep -qw '^rl-snat'; then ip netns del rl-snat; fi
	ip link del srv0 2>/dev/null
	ip route del 203.0.113.0/24 via "$SNAT_LAN_IP" 2>/dev/null
	ip addr replace "$SERVER_IP/24" dev br0
}
server_behind_nat() {
	[ "$SIDE" = vm ] || return 0
	ip netns list | grep -qw '^rl-snat' && return 0
	ip addr del "$SERVER_IP/24" dev br0 2>/dev/null
	mkns rl-snat
	wan_link rl-snat wan0 "$SERVER_IP/24"
	ip link add srv0 type veth peer name rlt$$ netns rl-snat
	nsx rl-snat ip link set rlt$$ name lan0
	nsx rl-snat ip addr add "$SNAT_LAN_IP/28" dev lan0
	nsx rl-snat ip link set lan0 up
	ip addr add "$SRV_LAN_IP/28" dev srv0
	ip link set srv0 up
	ip route replace 203.0.113.0/24 via "$SNAT_LAN_IP"
	nsx rl-snat sysctl -qw net.ipv4.ip_forward=1
	# a home/office router's "port forwarding" for an L2TP/IPsec server: IKE, NAT-T, ESP
	nsx rl-snat iptables -t nat -A PREROUTING -i wan0 -p udp --dport 500 -j DNAT --to-destination "$SRV_LAN_IP"
	nsx rl-snat iptables -t nat -A PREROUTING -i wan0 -p udp --dport 4500 -j DNAT --to-destination "$SRV_LAN_IP"
	nsx rl-snat iptables -t nat -A PREROUTING -i wan0 -p esp -j DNAT --to-destination "$SRV_LAN_IP"
	nsx rl-snat iptables -t nat -A POSTROUTING -o wan0 -j MASQUERADE
}

build() {
	local t=$1 pub
	case $t in
	direct)
		mkns rl-cli
		wan_link rl-cli wan0 "203.0.113.$((B + 1))/24"
		nsx rl-cli ip route add default via 203.0.113.1
		;;
	nat | server-nat | two-clients)
		mkns rl-nat
		mkns rl-cli
		lan_bridge rl-nat 198.51.100.1/26
		wan_link rl-nat wan0 "203.0.113.$((B + 2))/24"
		nsx rl-nat ip route add default via 203.0.113.1
		masquerade rl-nat wan0
		lan_link rl-cli eth0 198.51.100.2/26 rl-nat
		nsx rl-cli ip route add default via 198.51.100.1
		if [ "$t" = two-clients ]; then
			mkns rl-cli2
			lan_link rl-cli2 eth0 198.51.100.3/26 rl-nat
			nsx rl-cli2 ip route add default via 198.51.100.1
		fi
		;;
	double-nat)
		mkns rl-nat2
		mkns rl-nat
		mkns rl-cli
		lan_bridge rl-nat2 198.51.100.65/26
		wan_link rl-nat2 wan0 "203.0.113.$((B + 3))/24"
		nsx rl-nat2 ip route add default via 203.0.113.1
		masquerade rl-nat2 wan0
		lan_bridge rl-nat 198.51.100.1/26
		lan_link rl-nat wan0 198.51.100.66/26 rl-nat2
		nsx rl-nat ip route add default via 198.51.100.65
		masquerade rl-nat wan0
		lan_link rl-cli eth0 198.51.100.2/26 rl-nat
		nsx rl-cli ip route add default via 198.51.100.1
		;;
	*) die "unknown topology '$t' (one of: $TOPOLOGIES)" ;;
	esac
	if [ "$t" = server-nat ]; then server_behind_nat; else server_direct; fi
}

case $TOPO in
clear) clear_clients; server_direct ;;
show)
	for ns in $CLIENT_NS rl-snat; do
		ip netns list | grep -qw "^$ns" || continue
		echo "[$ns] $(nsx "$ns" ip -4 -br addr | grep -v '^lo' | awk '{print $1"="$3}' | tr '\n' ' ')"
	done
	;;
*)
	clear_clients
	build "$TOPO"
	echo "$TOPO" >"${TOPO_STATE:-/dev/null}"
	;;
esac

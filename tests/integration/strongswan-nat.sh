#!/bin/bash
# A strongSwan IKEv1 responder behind a MASQUERADE NAT, in network namespaces of its own on
# documentation ranges, for the integration tests and tools/demo. Source it, call
# sw_up DIR, then sw_gw_conf; sw_down undoes everything sw_up made and ends only the PIDs it
# started.
#
#   rd-ike-cli 198.51.100.2 --- 198.51.100.1 rd-ike-nat 203.0.113.2 --- 203.0.113.10 rd-ike-gw
#              (the client)                  (MASQUERADE)                 (charon)
#
# Needs root, iproute2, iptables, strongswan-charon, strongswan-swanctl.

sw_pids=()
sw_dir=

sw_down() {
	for pid in "${sw_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${sw_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	sw_pids=()
	for ns in rd-ike-cli rd-ike-nat rd-ike-gw; do ip netns del $ns 2>/dev/null || true; done
}

# sw_gw_conf IKE_PROPOSALS ESP_PROPOSALS PSK: (re)loads the responder's connection
sw_gw_conf() {
	cat >"$sw_dir/gw/swanctl.conf" <<S
connections {
	l2tp {
		version = 1
		local_addrs = 203.0.113.10
		remote_addrs = %any
		proposals = $1
		local {
			auth = psk
		}
		remote {
			auth = psk
		}
		children {
			l2tp {
				mode = transport
				local_ts = dynamic[udp/1701]
				remote_ts = dynamic[udp]
				esp_proposals = $2
			}
		}
	}
}
secrets {
	ike-any {
		secret = "$3"
	}
}
S
	swanctl --load-all --clear --uri "unix://$sw_dir/gw/vici" --file "$sw_dir/gw/swanctl.conf" \
		>/dev/null 2>&1
}

# sw_up DIR: the namespaces, the NAT and charon (its files and log in DIR/gw/)
sw_up() {
	sw_dir=$1
	sw_down
	for ns in rd-ike-cli rd-ike-nat rd-ike-gw; do
		ip netns add $ns || return 1
		ip -n $ns link set lo up
	done
	ip link add cli0 netns rd-ike-cli type veth peer name lan0 netns rd-ike-nat
	ip link add wan0 netns rd-ike-nat type veth peer name gw0 netns rd-ike-gw
	ip -n rd-ike-cli addr add 198.51.100.2/24 dev cli0
	ip -n rd-ike-nat addr add 198.51.100.1/24 dev lan0
	ip -n rd-ike-nat addr add 203.0.113.2/24 dev wan0
	ip -n rd-ike-gw addr add 203.0.113.10/24 dev gw0
	ip -n rd-ike-cli link set cli0 up
	ip -n rd-ike-nat link set lan0 up
	ip -n rd-ike-nat link set wan0 up
	ip -n rd-ike-gw link set gw0 up
	ip -n rd-ike-cli route add default via 198.51.100.1
	ip netns exec rd-ike-nat sysctl -qw net.ipv4.ip_forward=1
	ip netns exec rd-ike-nat iptables -t nat -A POSTROUTING -o wan0 -j MASQUERADE

	mkdir -p "$sw_dir/gw"
	cat >"$sw_dir/gw/strongswan.conf" <<S
charon {
	load = random nonce openssl pem pkcs1 pkcs8 x509 pubkey constraints kernel-netlink socket-default vici updown
	install_routes = no
	plugins {
		vici {
			socket = unix://$sw_dir/gw/vici
		}
	}
	filelog {
		log {
			path = $sw_dir/gw/charon.log
			default = 1
			ike = 2
			flush_line = yes
		}
	}
}
S
	# charon's own /run and /etc/strongswan.conf, in a mount namespace of its own
	ip netns exec rd-ike-gw unshare -m sh -c "mount -t tmpfs tmpfs /run &&
		mount --bind $sw_dir/gw/strongswan.conf /etc/strongswan.conf &&
		exec /usr/lib/ipsec/charon" >"$sw_dir/gw/stdout" 2>&1 &
	sw_pids+=($!)
	for _ in $(seq 50); do [ -S "$sw_dir/gw/vici" ] && return 0; sleep 0.1; done
	echo "strongswan-nat: charon did not start:" >&2
	cat "$sw_dir/gw/stdout" >&2
	return 1
}

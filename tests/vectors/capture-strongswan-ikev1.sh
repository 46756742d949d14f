#!/bin/bash
# Records the key derivation of a real IKEv1 Main Mode + Quick Mode between two strongSwan
# charons (PSK, NAT-less, in two network namespaces of their own on 192.0.2.0/24), with
# charon's highest log level, which prints the nonces, g^xy, SKEYID* and the keys. The
# values become the "captured" fixtures of tests/unit/test-ike-keymat.c:
#
#   tests/vectors/capture-strongswan-ikev1.sh IKE_PROPOSAL ESP_PROPOSAL > log
#   tests/vectors/extract-ikev1.py log > tests/vectors/ikev1-NAME.txt
#
# Needs: strongswan-charon, strongswan-swanctl (tools/setup installs them for the lab).
# The kernel here has no XFRM, so charon cannot install the ESP SAs: the log still has the
# KEYMAT, derived before the install fails.
set -euo pipefail
ike=${1:-aes256-sha1-modp2048}
esp=${2:-aes128-sha1}
tmp=$(mktemp -d)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	ip netns del rd-vec-i 2>/dev/null || true
	ip netns del rd-vec-r 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

ip netns add rd-vec-i
ip netns add rd-vec-r
ip link add rd-vec-i0 netns rd-vec-i type veth peer name rd-vec-r0 netns rd-vec-r
ip -n rd-vec-i addr add 192.0.2.101/24 dev rd-vec-i0
ip -n rd-vec-r addr add 192.0.2.102/24 dev rd-vec-r0
for ns in rd-vec-i rd-vec-r; do
	ip -n $ns link set lo up
	ip -n $ns link set ${ns}0 up
done

conf() { # SIDE LOCAL REMOTE
	mkdir -p "$tmp/$1/swanctl"
	cat >"$tmp/$1/strongswan.conf" <<S
charon {
	load = random nonce openssl pem pkcs1 curl kernel-netlink socket-default vici updown
	plugins {
		vici {
			socket = unix://$tmp/$1/vici
		}
	}
	install_routes = no
	filelog {
		log {
			path = $tmp/$1/charon.log
			default = 1
			ike = 4
			chd = 4
			enc = 1
			net = 4
			flush_line = yes
		}
	}
}
S
	cat >"$tmp/$1/swanctl/swanctl.conf" <<S
connections {
	vec {
		version = 1
		local_addrs = $2
		remote_addrs = $3
		proposals = $ike
		local {
			auth = psk
			id = $2
		}
		remote {
			auth = psk
			id = $3
		}
		children {
			vec {
				mode = transport
				local_ts = dynamic[udp/1701]
				remote_ts = dynamic[udp/1701]
				esp_proposals = $esp
			}
		}
	}
}
secrets {
	ike {
		secret = "roadie-vector-psk"
	}
}
S
}
conf i 192.0.2.101 192.0.2.102
conf r 192.0.2.102 192.0.2.101

start() { # SIDE NS
	ip netns exec "$2" unshare -m sh -c "mount -t tmpfs tmpfs /run &&
		mount --bind $tmp/$1/strongswan.conf /etc/strongswan.conf &&
		exec /usr/lib/ipsec/charon" >"$tmp/$1/stdout" 2>&1 &
	pids+=($!)
}
start r rd-vec-r
start i rd-vec-i
for side in i r; do
	for _ in $(seq 50); do [ -S "$tmp/$side/vici" ] && break; sleep 0.1; done
	[ -S "$tmp/$side/vici" ] || { cat "$tmp/$side/stdout" "$tmp/$side/charon.log" >&2; exit 1; }
	swanctl --load-all --uri "unix://$tmp/$side/vici" --file "$tmp/$side/swanctl/swanctl.conf" >/dev/null
done
swanctl --initiate --child vec --uri "unix://$tmp/i/vici" --timeout 10 >/dev/null 2>&1 || true
sleep 1
echo "# proposals: ike=$ike esp=$esp"
echo "== initiator"
cat "$tmp/i/charon.log"
echo "== responder"
cat "$tmp/r/charon.log"

# tests/lab/roadie-client.sh: roadied as the client under test, for the e2e scripts (source
# after harness.sh and lib/tap.sh; needs ROADIED, tmp and the pids array).
INNER=192.0.2.254

# up NS LOG [IPSEC LINES [MORE GROUPS]]: roadied --connect in NS (PPP_LINES: more of [ppp];
# ROADIED_ARGS: more options), waits for "connected" or failure
up() {
	local ns=$1 log=$2 prof=$2.conf
	printf '[connection]\ngateway=203.0.113.10\n[ipsec]\npsk=roadie-lab-psk\n%b[ppp]\nuser=alice\npassword=%s\n%b%b' \
		"${3:-}" "${PASSWORD:-wonderland}" "${PPP_LINES:-}" "${4:-}" >"$prof"
	chmod 600 "$prof"
	: >"$log"
	roadied_cmd "$ns"
	# shellcheck disable=SC2086
	"${ROADIED_CMD[@]}" ${ROADIED_ARGS:-} --connect "$prof" >"$log" 2>&1 &
	pids[$ns]=$!
	for _ in $(seq 400); do
		grep -q "connected through\|connection failed" "$log" && break
		sleep 0.1
	done
	grep -q "connected through" "$log"
}
# down NS: Ctrl-C, and nothing left: no roadie device in NS
down() {
	local ns=$1
	[ -n "${pids[$ns]:-}" ] || return 1
	kill -INT "${pids[$ns]}" 2>/dev/null
	wait "${pids[$ns]}" 2>/dev/null
	unset "pids[$ns]"
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
dev_of() { sed -n 's/.*connected through \([a-z0-9]*\);.*/\1/p' "$1" | head -n 1; }
addr_of() { sed -n 's/.*connected: [a-z0-9]*, address \([0-9.]*\),.*/\1/p' "$1" | head -n 1; }
ping_inner() { # NS LOG
	local dev
	dev=$(dev_of "$2")
	[ -n "$dev" ] && ip -n "$1" route replace "$INNER/32" dev "$dev" &&
		ip netns exec "$1" ping -c 5 -i 0.3 -W 2 "$INNER" >>"$2" 2>&1
}

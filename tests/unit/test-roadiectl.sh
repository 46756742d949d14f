#!/bin/bash
# The programs as a user runs them (TAP): roadied's start and clean stop on SIGTERM/SIGINT,
# roadiectl --version, profile validate and import-nm-l2tp, with their exit statuses
# (roadiectl(1): 3 a profile with problems, 6 no such profile). roadiectl against roadied's
# D-Bus API is tests/unit/cli/test-roadiectl-bus.sh.
# test-roadiectl.sh ROADIECTL ROADIED SRCDIR
set -u
ctl=$1 daemon=$2 srcdir=$3
tmp=$(mktemp -d)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

n=0
result() { # STATUS NAME [DIAGNOSTIC]
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		[ -n "${3:-}" ] && sed 's/^/# /' <<<"$3"
	fi
}

# run NAME WANT_STATUS WANT_TEXT CMD...: the command exits WANT_STATUS and its output
# (stdout+stderr) contains WANT_TEXT.
run() {
	local name=$1 want_status=$2 want_text=$3 out status
	shift 3
	out=$("$@" 2>&1)
	status=$?
	if [ "$status" -eq "$want_status" ] && grep -qF -- "$want_text" <<<"$out"; then
		result 0 "$name"
	else
		result 1 "$name" "exit $status (want $want_status), output:
$out"
	fi
}

run /cli/roadiectl/version 0 "roadiectl " "$ctl" --version
run /cli/roadiectl/usage 2 "Usage:" "$ctl"
run /cli/roadiectl/unknown-command 2 "unknown command" "$ctl" frobnicate
run /cli/roadiectl/help 0 "roadiectl connect" "$ctl" --help
run /cli/roadiectl/profile-needs-subcommand 2 "profile: say list" "$ctl" profile
run /cli/roadiectl/unknown-option 2 "Unknown option --frob" "$ctl" status --frob
run /cli/roadied/version 0 "roadied " "$daemon" --version
run /cli/roadied/bad-argument 2 "unexpected argument" "$daemon" extra

# roadied as a service needs a bus: a private one, never the machine's (nor its state dir)
cat >"$tmp/bus.conf" <<EOC
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$tmp/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOC
dbus-daemon --config-file="$tmp/bus.conf" --nofork --nopidfile >/dev/null 2>&1 &
pids+=("$!")
for _ in $(seq 50); do [ -S "$tmp/bus" ] && break; sleep 0.1; done
mkdir -p "$tmp/state"

for sig in TERM INT; do
	log=$tmp/roadied-$sig.log
	DBUS_SYSTEM_BUS_ADDRESS=unix:path=$tmp/bus "$daemon" --state-dir "$tmp/state" 2>"$log" &
	pid=$!
	pids+=("$pid")
	for _ in $(seq 50); do grep -q started "$log" && break; sleep 0.1; done
	kill -"$sig" "$pid"
	wait "$pid"
	status=$?
	if [ "$status" -eq 0 ] && grep -q "started (pid $pid)" "$log" &&
		grep -q "stopping on SIG$sig" "$log"; then
		result 0 "/cli/roadied/stops-on-sig$sig"
	else
		result 1 "/cli/roadied/stops-on-sig$sig" "exit $status, log: $(cat "$log")"
	fi
done

cat >"$tmp/good.conf" <<'P'
[connection]
gateway=vpn.example.com
[ppp]
user=alice
P
cat >"$tmp/bad-ike.conf" <<'P'
[connection]
gateway=vpn.example.com
[ipsec]
ike=aes128-sha1-modp999
[ppp]
user=alice
P
cat >"$tmp/no-gateway.conf" <<'P'
[ppp]
user=alice
P
run /cli/validate/good 0 "good.conf: valid" "$ctl" profile validate "$tmp/good.conf"
run /cli/validate/bad-ike 3 "ipsec.ike: unknown DH group 'modp999' in 'aes128-sha1-modp999'" \
	"$ctl" profile validate "$tmp/bad-ike.conf"
run /cli/validate/missing-gateway 3 "connection.gateway" \
	"$ctl" profile validate "$tmp/no-gateway.conf"
run /cli/validate/one-bad-of-two 3 "good.conf: valid" \
	"$ctl" profile validate "$tmp/good.conf" "$tmp/no-gateway.conf"
run /cli/validate/secrets-required 3 "ipsec.psk" \
	"$ctl" profile validate --secrets "$tmp/good.conf"
run /cli/validate/no-such-file 6 "no-such.conf" "$ctl" profile validate "$tmp/no-such.conf"
run /cli/validate/no-file-named 2 "name at least one" "$ctl" profile validate

# roadied --connect refuses before touching the network when the profile or the secrets on
# standard input are wrong
run /cli/roadied/connect-missing-secrets 1 "ipsec.psk: missing" "$daemon" --connect "$tmp/good.conf"
run /cli/roadied/connect-bad-profile 1 "ipsec.ike: unknown DH group" "$daemon" --connect "$tmp/bad-ike.conf"
run /cli/roadied/secrets-stdin-only-secrets 1 "standard input: ipsec.ike: only secrets may come this way" \
	sh -c "printf '[ipsec]\nike=aes\n' | '$daemon' --connect '$tmp/good.conf' --secrets-from-stdin"
run /cli/roadied/secrets-stdin-still-missing 1 "ppp.password: missing" \
	sh -c "printf '[ipsec]\npsk=x\n' | '$daemon' --connect '$tmp/good.conf' --secrets-from-stdin"
run /cli/roadied/secrets-stdin-needs-connect 2 "goes with --connect" "$daemon" --secrets-from-stdin

export_file=$srcdir/data/nm-l2tp-typical.conf
run /cli/import-nm-l2tp/typical 0 "require-mppe" \
	"$ctl" profile import-nm-l2tp "$export_file" --output "$tmp/imported.conf"
mode=$(stat -c %a "$tmp/imported.conf" 2>/dev/null)
result "$([ "$mode" = 600 ]; echo $?)" /cli/import-nm-l2tp/mode-0600 "mode is '$mode'"
run /cli/import-nm-l2tp/result-validates 0 "valid" \
	"$ctl" profile validate --secrets "$tmp/imported.conf"

echo "1..$n"

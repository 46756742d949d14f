#!/bin/bash
# roadiectl as a user runs it, against a scripted stand-in for roadied
# (roadie-daemon-standin) on a private dbus-daemon; never the machine's own buses (TAP).
#
#   test-roadiectl-bus.sh ROADIECTL STANDIN SRCDIR
#
# HOME, XDG_CONFIG_HOME and ROADIE_SYSCONFDIR point into a temporary directory, and no
# session bus is reachable (so no keyring answers and nothing is started for one).
set -u
ctl=$1 standin=$2 srcdir=$3
tmp=$(mktemp -d)
bus_pid= standin_pid=
cleanup() {
	[ -n "$standin_pid" ] && kill "$standin_pid" 2>/dev/null
	[ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null
	wait 2>/dev/null
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

# run NAME WANT_STATUS WANT_TEXT CMD...: exits WANT_STATUS, stdout+stderr contains WANT_TEXT;
# the output stays in $out for more checks
out=
run() {
	local name=$1 want_status=$2 want_text=$3 status
	shift 3
	out=$("$@" 2>&1 </dev/null)
	status=$?
	if [ "$status" -eq "$want_status" ] && grep -qF -- "$want_text" <<<"$out"; then
		result 0 "$name"
	else
		result 1 "$name" "exit $status (want $want_status, text '$want_text'), output:
$out"
	fi
}

# check NAME FILE TEXT: FILE contains TEXT (fixed string)
check() {
	if grep -qF -- "$3" "$2" 2>/dev/null; then
		result 0 "$1"
	else
		result 1 "$1" "'$3' not in $2:
$(cat "$2" 2>/dev/null)"
	fi
}

# check_not NAME FILE TEXT: FILE does not contain TEXT
check_not() {
	if ! grep -qF -- "$3" "$2" 2>/dev/null; then
		result 0 "$1"
	else
		result 1 "$1" "'$3' in $2:
$(cat "$2")"
	fi
}

wait_for() { # FILE TEXT: up to 5 s
	for _ in $(seq 50); do
		grep -qF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/.config ROADIE_SYSCONFDIR=$tmp/etc
export XDG_RUNTIME_DIR=$tmp/run
unset DBUS_SESSION_BUS_ADDRESS
mkdir -p "$XDG_CONFIG_HOME/roadie/profiles" "$ROADIE_SYSCONFDIR/roadie/profiles" \
	"$XDG_RUNTIME_DIR" "$tmp/services"
user_dir=$XDG_CONFIG_HOME/roadie/profiles
sys_dir=$ROADIE_SYSCONFDIR/roadie/profiles

# ---- the bus: a private dbus-daemon; roadiectl takes it for the system bus ----
cat >"$tmp/bus.conf" <<EOC
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$tmp/bus</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$tmp/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOC
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$tmp/bus
run /cli/bus/no-bus 5 "the system D-Bus is not reachable" "$ctl" status
dbus-daemon --config-file="$tmp/bus.conf" --nofork --nopidfile >"$tmp/bus.log" 2>&1 &
bus_pid=$!
for _ in $(seq 50); do [ -S "$tmp/bus" ] && break; sleep 0.1; done

start_standin() { # SCRIPT
	[ -n "$standin_pid" ] && kill "$standin_pid" 2>/dev/null && wait "$standin_pid" 2>/dev/null
	rm -f "$tmp/record" "$tmp/standin.out"
	"$standin" --record "$tmp/record" --script "$1" --step-ms 50 --linger-ms 300 \
		>"$tmp/standin.out" 2>&1 &
	standin_pid=$!
	wait_for "$tmp/standin.out" ready || echo "# the stand-in did not start: $(cat "$tmp/standin.out")"
}

# ---- profiles and secret files ----
cat >"$user_dir/office.conf" <<'P'
[connection]
gateway=vpn.example.com
[ppp]
user=alice
P
printf 'psk-from-file\nsecond line is ignored\n' >"$tmp/psk"
printf 'pw-from-file\n' >"$tmp/password"
chmod 600 "$tmp/psk" "$tmp/password"
printf '[ipsec]\npsk=psk-from-secrets-file\n[ppp]\npassword=pw-from-secrets-file\n' >"$tmp/secrets"
chmod 600 "$tmp/secrets"
cat >"$sys_dir/branch.conf" <<'P'
[connection]
gateway=branch.example.com
auto-reconnect=false
[ppp]
user=robot
P
printf '[ipsec]\npsk=branch-psk\n[ppp]\npassword=branch-pw\n' >"$sys_dir/branch.secrets"
chmod 600 "$sys_dir/branch.secrets"
files=(--psk-file "$tmp/psk" --password-file "$tmp/password")

# ---- no roadied ----
run /cli/bus/no-daemon/connect 5 "roadied is not running and cannot be started: is the roadie package installed?" \
	"$ctl" connect office "${files[@]}"
run /cli/bus/no-daemon/status 5 "roadied is not running and cannot be started" "$ctl" status
run /cli/bus/no-daemon/disconnect 5 "roadied is not running" "$ctl" disconnect office

# ---- profile lookup ----
run /cli/connect/no-such-profile 6 \
	"no profile named 'nosuch' in ~/.config/roadie/profiles or $sys_dir" \
	"$ctl" connect nosuch "${files[@]}"
run /cli/connect/no-such-file 6 "no profile file '$tmp/nosuch.conf'" \
	"$ctl" connect "$tmp/nosuch.conf" "${files[@]}"
run /cli/connect/bad-name 6 "is not a profile name" "$ctl" connect '..' "${files[@]}"
run /cli/connect/usage 2 "name one profile" "$ctl" connect
run /cli/connect/usage-both-reconnect 2 "not both" \
	"$ctl" connect office --auto-reconnect --no-auto-reconnect
run /cli/connect/no-ask-missing 3 "office: no ppp.password was given" \
	"$ctl" connect office --psk-file "$tmp/psk" --no-ask

# ---- connect, as scripted ----
start_standin ok
run /cli/connect/ok 0 "roadie: office: connected" "$ctl" connect office "${files[@]}"
grep -qF "roadie: office: ike-phase1" <<<"$out" && grep -qF "roadie: office: IKE: Main Mode with 192.0.2.10" <<<"$out"
result $? /cli/connect/ok/progress-shown "$out"
check /cli/connect/ok/settings-gateway "$tmp/record" "'gateway': <'vpn.example.com'>"
check /cli/connect/ok/settings-name "$tmp/record" "'name': <'office'>"
check /cli/connect/ok/psk-from-file "$tmp/record" "'ipsec-psk': <'psk-from-file'>"
check /cli/connect/ok/password-from-file "$tmp/record" "'password': <'pw-from-file'>"
check /cli/connect/ok/configure-default "$tmp/record" "options: {'configure-interface': <true>}"
check_not /cli/connect/ok/no-secrets-in-settings "$tmp/record" "settings: {'ipsec-psk'"

run /cli/status/table 0 "connected" "$ctl" status
line=$(grep "^office" <<<"$out")
[[ "$line" =~ ^office\ +connected\ +vpn\.example\.com\ +roadie0\ +10\.8\.0\.2\ +[0-9-]+\ [0-9:]+\ +123\.5\ kB\ +7\.9\ kB$ ]]
result $? /cli/status/table/row "$out"
run /cli/status/json 0 '"state": "connected"' "$ctl" status --json
grep -qF '"bytes_in": 123456' <<<"$out"
result $? /cli/status/json/bytes "$out"

run /cli/disconnect/by-name 0 "roadie: office: disconnected" "$ctl" disconnect office
check /cli/disconnect/by-name/called "$tmp/record" "disconnect: objectpath '/org/roadie/Daemon1/Connections/1'"
run /cli/disconnect/none-left 6 "no connection of 'office' is up" "$ctl" disconnect office
run /cli/disconnect/nothing 6 "there is no connection" "$ctl" disconnect
sleep 0.5 # the ended connection lingers 300 ms in the stand-in
run /cli/status/empty 0 "no connections" "$ctl" status

rm -f "$tmp/record"
run /cli/connect/options 0 "connected" \
	"$ctl" connect office "${files[@]}" --no-configure --no-auto-reconnect
check /cli/connect/options/sent "$tmp/record" \
	"options: {'configure-interface': <false>, 'auto-reconnect': <false>}"
run /cli/disconnect/by-path 0 "disconnected" "$ctl" disconnect /org/roadie/Daemon1/Connections/2

rm -f "$tmp/record"
run /cli/connect/secrets-file 0 "connected" \
	"$ctl" connect office --secrets-file "$tmp/secrets" --psk-file "$tmp/psk"
check /cli/connect/secrets-file/psk-file-first "$tmp/record" "'ipsec-psk': <'psk-from-file'>"
check /cli/connect/secrets-file/password "$tmp/record" "'password': <'pw-from-secrets-file'>"
run /cli/disconnect/all 0 "disconnected" "$ctl" disconnect --all

rm -f "$tmp/record"
run /cli/connect/system-profile 0 "roadie: branch: connected" "$ctl" connect branch --no-ask
check /cli/connect/system-profile/psk "$tmp/record" "'ipsec-psk': <'branch-psk'>"
check /cli/connect/system-profile/password "$tmp/record" "'password': <'branch-pw'>"
check /cli/connect/system-profile/settings "$tmp/record" "'auto-reconnect': <false>"
run /cli/connect/file-path 0 "roadie: office: connected" \
	"$ctl" connect "$user_dir/office.conf" "${files[@]}"
run /cli/disconnect/ambiguous 2 "several connections" "$ctl" disconnect
"$ctl" disconnect --all >/dev/null 2>&1

chmod 640 "$sys_dir/branch.secrets"
run /cli/connect/system-secrets-mode 3 "branch.secrets is open to other users (mode 0640)" \
	"$ctl" connect branch --no-ask
chmod 600 "$sys_dir/branch.secrets"
chown 65534 "$sys_dir/branch.secrets"
run /cli/connect/system-secrets-owner 3 "branch.secrets belongs to uid 65534, not root" \
	"$ctl" connect branch --no-ask
chown 0 "$sys_dir/branch.secrets"
printf '[ipsec]\nike=aes\n' >"$tmp/bad-secrets"
run /cli/connect/secrets-file-not-secret 3 "ipsec.ike: only secrets may come this way" \
	"$ctl" connect office --secrets-file "$tmp/bad-secrets" --no-ask
printf '[connection]\ngateway=g.example.com\n[ipsec]\npsk=psk-in-profile\n[ppp]\nuser=u\npassword=pw-in-profile\n' \
	>"$user_dir/inline.conf"
rm -f "$tmp/record"
run /cli/connect/profile-secrets 0 "roadie: inline: connected" "$ctl" connect inline --no-ask
check /cli/connect/profile-secrets/psk "$tmp/record" "'ipsec-psk': <'psk-in-profile'>"
rm -f "$tmp/record"
run /cli/connect/option-over-profile 0 "roadie: inline: connected" \
	"$ctl" connect inline --no-ask --psk-file "$tmp/psk"
check /cli/connect/option-over-profile/psk "$tmp/record" "'ipsec-psk': <'psk-from-file'>"
check /cli/connect/option-over-profile/password "$tmp/record" "'password': <'pw-in-profile'>"
"$ctl" disconnect --all >/dev/null 2>&1
chmod 644 "$tmp/psk"
run /cli/connect/psk-file-readable-warns 0 "warning: other users can read $tmp/psk" \
	"$ctl" connect office "${files[@]}"
chmod 600 "$tmp/psk"
"$ctl" disconnect --all >/dev/null 2>&1

rm -f "$tmp/record"
run /cli/connect/no-wait 0 "/org/roadie/Daemon1/Connections/" "$ctl" connect office "${files[@]}" --no-wait
check_not /cli/connect/no-wait/no-progress <(echo "$out") "ike-phase1"
"$ctl" disconnect --all >/dev/null 2>&1

# the prompt, on a terminal (script(1) gives roadiectl a pty): asked, not echoed, sent
if command -v script >/dev/null; then
	rm -f "$tmp/record"
	# the answer waits for the prompt: roadiectl flushes type-ahead when it turns echo off
	(sleep 1.5; printf 'typed-password\n') |
		script -qec "'$ctl' connect office --psk-file '$tmp/psk'" /dev/null >"$tmp/pty.out" 2>&1
	check /cli/connect/prompt/asked "$tmp/pty.out" "Password of alice for office:"
	check /cli/connect/prompt/connected "$tmp/pty.out" "roadie: office: connected"
	check_not /cli/connect/prompt/not-echoed "$tmp/pty.out" "typed-password"
	check /cli/connect/prompt/sent "$tmp/record" "'password': <'typed-password'>"
	"$ctl" disconnect --all >/dev/null 2>&1
fi

start_standin fail
run /cli/connect/failed 1 "office: failed: The gateway refused the pre-shared key: check it with the gateway's administrator. (psk-rejected)" \
	"$ctl" connect office "${files[@]}"
start_standin invalid-settings
run /cli/connect/invalid-settings 3 "ipsec.ike: unknown DH group" "$ctl" connect office "${files[@]}"
start_standin not-authorized
run /cli/connect/not-authorized 4 "not authorised" "$ctl" connect office "${files[@]}"

# ---- auth=cert: roadiectl reads the files and sends their contents, never the paths ----
cert=$tmp/cert
mkdir -p "$cert"
(
	cd "$cert" &&
	openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 \
		-subj "/CN=Test CA" &&
	openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr \
		-subj "/CN=alice" &&
	openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
		-out client.pem -days 30 &&
	openssl pkcs12 -export -in client.pem -inkey client.key -out client.p12 \
		-passout pass:right-pw
) >"$tmp/openssl.out" 2>&1 || echo "# openssl failed: $(cat "$tmp/openssl.out")"
ay() { # FILE: its bytes as GVariant prints an ay
	od -An -v -tx1 "$1" | tr -s ' \n' ' ' | sed 's/^ //; s/ $//; s/ /, 0x/g; s/^/[byte 0x/; s/$/]/'
}
cat >"$user_dir/certs.conf" <<P
[connection]
gateway=vpn.example.com
[ipsec]
auth=cert
certificate=$cert/client.pem
private-key=$cert/client.key
ca-certificate=$cert/ca.pem
[ppp]
user=alice
P
start_standin ok
run /cli/connect/cert/ok 0 "roadie: certs: connected" \
	"$ctl" connect certs --password-file "$tmp/password"
check /cli/connect/cert/certificate-data "$tmp/record" "'ipsec-certificate-data': <$(ay "$cert/client.pem")>"
check /cli/connect/cert/ca-certificate-data "$tmp/record" "'ipsec-ca-certificate-data': <$(ay "$cert/ca.pem")>"
grep "^secrets" "$tmp/record" | grep -qF "'ipsec-private-key-data': <$(ay "$cert/client.key")>"
result $? /cli/connect/cert/private-key-data-in-secrets "$(cat "$tmp/record")"
check_not /cli/connect/cert/no-key-in-settings <(grep "^settings" "$tmp/record") "'ipsec-private-key-data'"
for k in ipsec-certificate ipsec-private-key ipsec-ca-certificate; do
	check_not "/cli/connect/cert/no-path/$k" "$tmp/record" "'$k':"
done
sed "s|^certificate=.*|certificate=$cert/nosuch.pem|" "$user_dir/certs.conf" >"$user_dir/certs-missing.conf"
run /cli/connect/cert/unreadable 3 "$cert/nosuch.pem" \
	"$ctl" connect certs-missing --password-file "$tmp/password"
sed -e "s|^certificate=.*|certificate=$cert/client.p12|" -e "/^private-key=/d" \
	"$user_dir/certs.conf" >"$user_dir/certs-p12.conf"
printf '[ipsec]\nprivate-key-password=wrong-pw\n[ppp]\npassword=pw\n' >"$tmp/p12-wrong"
chmod 600 "$tmp/p12-wrong"
run /cli/connect/cert/p12-wrong-password 3 "client.p12 is wrong" \
	"$ctl" connect certs-p12 --secrets-file "$tmp/p12-wrong" --no-ask
printf '[ipsec]\nprivate-key-password=right-pw\n[ppp]\npassword=pw\n' >"$tmp/p12-right"
chmod 600 "$tmp/p12-right"
run /cli/connect/cert/p12-ok 0 "roadie: certs-p12: connected" \
	"$ctl" connect certs-p12 --secrets-file "$tmp/p12-right" --no-ask
check /cli/connect/cert/p12-data "$tmp/record" "'ipsec-certificate-data': <$(ay "$cert/client.p12")>"
"$ctl" disconnect --all >/dev/null 2>&1
run /cli/profile/validate/cert 0 "certs: valid" "$ctl" profile validate certs
run /cli/profile/validate/cert-p12 0 "certs-p12: valid" "$ctl" profile validate certs-p12
run /cli/profile/validate/cert-unreadable 3 "nosuch.pem" "$ctl" profile validate certs-missing

# ---- Ctrl-C while connecting takes the connection down ----
start_standin hang
"$ctl" connect office "${files[@]}" >"$tmp/ctrl-c.out" 2>&1 &
pid=$!
wait_for "$tmp/ctrl-c.out" "roadie: office: ike-phase1"
kill -INT "$pid"
wait "$pid"
status=$?
[ "$status" -eq 1 ] && grep -qF "interrupted: disconnecting office" "$tmp/ctrl-c.out" &&
	grep -qF "roadie: office: disconnected" "$tmp/ctrl-c.out"
result $? /cli/connect/ctrl-c "exit $status: $(cat "$tmp/ctrl-c.out")"
check /cli/connect/ctrl-c/disconnect-called "$tmp/record" "disconnect: "

# ---- monitor ----
start_standin ok
"$ctl" monitor >"$tmp/monitor.out" 2>&1 &
mon=$!
wait_for "$tmp/monitor.out" "monitoring"
"$ctl" connect office "${files[@]}" >/dev/null 2>&1
"$ctl" disconnect office >/dev/null 2>&1
wait_for "$tmp/monitor.out" "roadie: office: removed"
kill -INT "$mon"
wait "$mon"
status=$?
result "$status" /cli/monitor/exit-0-on-ctrl-c "exit $status"
for want in "roadie: office: added (/org/roadie/Daemon1/Connections/1)" \
	"roadie: office: ike-phase1" "roadie: office: IKE: AES_CBC_256/HMAC_SHA2_256/MODP_2048" \
	"roadie: office: connected" "roadie: office: disconnecting" \
	"roadie: office: disconnected" "roadie: office: removed"; do
	check "/cli/monitor/line/${want#roadie: office: }" "$tmp/monitor.out" "$want"
done
kill "$standin_pid"; wait "$standin_pid" 2>/dev/null; standin_pid=
run /cli/monitor/no-daemon 5 "roadied is not running" "$ctl" monitor

# ---- D-Bus activation: not running is not an error when the bus can start roadied ----
cat >"$tmp/services/org.roadie.Daemon.service" <<EOS
[D-BUS Service]
Name=org.roadie.Daemon
Exec=$standin --record $tmp/record --script ok --step-ms 50 --linger-ms 300
EOS
gdbus call --address "unix:path=$tmp/bus" --dest org.freedesktop.DBus \
	--object-path /org/freedesktop/DBus --method org.freedesktop.DBus.ReloadConfig >/dev/null
run /cli/activation/status-not-started 0 "no connections" "$ctl" status
run /cli/activation/disconnect-nothing 6 "no connection of 'office' is up" "$ctl" disconnect office
rm -f "$tmp/record"
run /cli/activation/connect-starts-roadied 0 "roadie: office: connected" \
	"$ctl" connect office "${files[@]}"
check /cli/activation/connect-starts-roadied/sent "$tmp/record" "'ipsec-psk': <'psk-from-file'>"
run /cli/activation/disconnect 0 "roadie: office: disconnected" "$ctl" disconnect office

# ---- profile commands ----
run /cli/profile/list 0 "NAME" "$ctl" profile list
grep -Eq '^office +vpn\.example\.com +user$' <<<"$out" &&
	grep -Eq '^branch +branch\.example\.com +system$' <<<"$out"
result $? /cli/profile/list/rows "$out"
printf '[connection]\ngateway=x.example.com\n[ipsec]\npsk=do-not-show\n[ppp]\nuser=bob\n' \
	>"$user_dir/withpsk.conf"
run /cli/profile/show 0 "gateway=x.example.com" "$ctl" profile show withpsk
check_not /cli/profile/show/no-secret <(echo "$out") "do-not-show"
run /cli/profile/show/no-such 6 "no profile named 'nope'" "$ctl" profile show nope
run /cli/profile/export 0 "written" "$ctl" profile export withpsk --output "$tmp/exported.conf"
check_not /cli/profile/export/no-secret "$tmp/exported.conf" "do-not-show"
check /cli/profile/export/gateway "$tmp/exported.conf" "gateway=x.example.com"
run /cli/profile/import 0 "imported as 'exported'" "$ctl" profile import "$tmp/exported.conf"
mode=$(stat -c %a "$user_dir/exported.conf" 2>/dev/null)
result "$([ "$mode" = 600 ]; echo $?)" /cli/profile/import/mode-0600 "mode is '$mode'"
run /cli/profile/import/refuses-overwrite 1 "give --force to replace it" \
	"$ctl" profile import "$tmp/exported.conf"
run /cli/profile/import/force 0 "imported" "$ctl" profile import "$tmp/exported.conf" --force
run /cli/profile/import/nm 0 "require-mppe" \
	"$ctl" profile import "$srcdir/tests/unit/data/nm-l2tp-typical.conf" --name from-nm
run /cli/profile/import/nm-validates 0 "from-nm: valid" "$ctl" profile validate from-nm
run /cli/profile/import/bad-name 2 "give one with --name" \
	"$ctl" profile import "$tmp/exported.conf" --name 'a b'
run /cli/profile/import-nm-l2tp/alias 0 "require-mppe" \
	"$ctl" profile import-nm-l2tp "$srcdir/tests/unit/data/nm-l2tp-typical.conf"
run /cli/profile/validate/by-name 0 "office: valid" "$ctl" profile validate office
run /cli/profile/validate/no-such 6 "no profile named 'nope'" "$ctl" profile validate nope

# ---- the keyring is not reachable here: said, not hung ----
run /cli/secret/no-keyring 1 "no keyring is reachable" \
	sh -c "echo value | '$ctl' secret set office ipsec-psk"
run /cli/secret/bad-key 2 "KEY is one of" "$ctl" secret set office gateway

echo "1..$n"

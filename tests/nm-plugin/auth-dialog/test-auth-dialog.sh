#!/bin/bash
# nm-roadie-auth-dialog as NetworkManager's agents run it (TAP): the connection's details on
# standard input in NetworkManager's protocol, the answer on standard output.
#
#   test-auth-dialog.sh DIALOG [SECRET_SERVICE_STANDIN [X11_CLOSE_WINDOW]]
#
# No display and no session bus are reachable (DISPLAY unset, XDG_RUNTIME_DIR in a temporary
# directory), so a dialog that wanted a window or a keyring where it should not would say so.
# The keyring cases run the dialog against a stand-in Secret Service on a private dbus-daemon;
# the window cases run it under xvfb-run and close its window as a window manager would.
set -u
dialog=$1 standin=${2:-} closer=${3:-}
service=org.freedesktop.NetworkManager.roadie
tmp=$(mktemp -d)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
export XDG_RUNTIME_DIR=$tmp/runtime HOME=$tmp/home
mkdir -p "$XDG_RUNTIME_DIR" "$HOME"
chmod 700 "$XDG_RUNTIME_DIR"

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

# the protocol's records: data KEY VALUE / secret KEY VALUE, then done
data() { printf 'DATA_KEY=%s\nDATA_VAL=%s\n\n' "$1" "$2"; }
secret() { printf 'SECRET_KEY=%s\nSECRET_VAL=%s\n\n' "$1" "$2"; }
done_() { printf 'DONE\n\nQUIT\n'; }
# a PSK profile (the defaults: ipsec-auth=psk)
psk_profile() { data gateway vpn.example.com; data user alice; }

# dlg INPUT ARGS...: runs the dialog; $out, $err, $status
out= err= status=
dlg() {
	local input=$1
	shift
	printf '%s' "$input" >"$tmp/in"
	out=$(timeout 30 "$dialog" -u 5e1a3f9c-0000-4000-8000-000000000001 -n Office -s "$service" \
		"$@" <"$tmp/in" 2>"$tmp/err")
	status=$?
	err=$(cat "$tmp/err")
}
diag() { printf 'exit %s\nstdout:\n%s\nstderr:\n%s\n' "$status" "$out" "$err"; }

# kf GROUP KEY: a value of the key file in $out (the external UI answer)
kf() {
	awk -v g="[$1]" -v k="$2" '
		/^\[/ { in_group = ($0 == g); next }
		in_group && index($0, k "=") == 1 { print substr($0, length(k) + 2); exit }
	' <<<"$out"
}
# the groups of $out, one line
groups() { grep '^\[' <<<"$out" | tr '\n' ' ' | sed 's/ $//'; }

# ---- (a) everything given: printed back, no window, no keyring ----

dlg "$(psk_profile; secret password pw1; secret ipsec-psk psk1; done_)" -i
want=$'ipsec-psk\npsk1\npassword\npw1'
[ "$status" -eq 0 ] && [ "$out" = "$want" ] && [ -z "$err" ]
result $? /auth-dialog/given/printed-without-prompt "$(diag)"

# the answer ends with an empty line twice (command substitution drops them: look at bytes)
printf '%s' "$(psk_profile; secret password pw1; secret ipsec-psk psk1; done_)" |
	"$dialog" -u u -n Office -s "$service" 2>/dev/null | tail -c 4 | od -An -c | tr -d ' ' \
	>"$tmp/tail"
[ "$(cat "$tmp/tail")" = '1\n\n\n' ]
result $? /auth-dialog/given/answer-ends-with-blank-lines "$(cat "$tmp/tail")"

# without -i and a secret missing: what is known, nothing asked
dlg "$(psk_profile; secret ipsec-psk psk1; done_)"
[ "$status" -eq 0 ] && [ "$out" = $'ipsec-psk\npsk1' ]
result $? /auth-dialog/no-interaction/returns-what-is-known "$(diag)"

# -i, a secret missing, no display: says so rather than hanging or crashing
dlg "$(psk_profile; secret ipsec-psk psk1; done_)" -i
[ "$status" -eq 1 ] && [ -z "$out" ] && grep -q 'no display' <<<"$err"
result $? /auth-dialog/gtk/no-display-refused "$(diag)"

# ---- (b) external UI mode: the key file nmcli and GNOME Shell read ----

dlg "$(psk_profile; secret ipsec-psk psk1; done_)" --external-ui-mode -i
[ "$status" -eq 0 ] &&
	[ "$(head -n 1 <<<"$out")" = "[VPN Plugin UI]" ] &&
	[ "$(kf 'VPN Plugin UI' Version)" = 2 ] &&
	[ "$(kf 'VPN Plugin UI' Title)" = "Authenticate VPN Office" ] &&
	grep -q 'Office' <<<"$(kf 'VPN Plugin UI' Description)" &&
	[ "$(groups)" = "[VPN Plugin UI] [ipsec-psk] [password]" ] &&
	[ "$(kf password ShouldAsk)" = true ] && [ "$(kf password IsSecret)" = true ] &&
	[ "$(kf password Value)" = "" ] && [ "$(kf password Label)" = "Password" ] &&
	[ "$(kf ipsec-psk ShouldAsk)" = false ] && [ "$(kf ipsec-psk Value)" = psk1 ]
result $? /auth-dialog/external-ui/missing-password-asked "$(diag)"

# psk profile: the certificate key's password is never a question; nor the unused L2TP secret
! grep -q 'ipsec-private-key-password\|l2tp-secret' <<<"$out"
result $? /auth-dialog/external-ui/psk-profile-no-key-password "$(diag)"

# NOT_SAVED (2): asked every time, even when NetworkManager passed a value along
dlg "$(psk_profile; data password-flags 2; secret password old; secret ipsec-psk psk1; done_)" \
	--external-ui-mode -i
[ "$status" -eq 0 ] && [ "$(kf password ShouldAsk)" = true ] && [ "$(kf password Value)" = "" ]
result $? /auth-dialog/external-ui/not-saved-always-asked "$(diag)"

# without -i nothing is to be asked (ShouldAsk=false), but the key file still comes
dlg "$(psk_profile; secret ipsec-psk psk1; done_)" --external-ui-mode
[ "$status" -eq 0 ] && [ "$(kf password ShouldAsk)" = false ]
result $? /auth-dialog/external-ui/no-interaction-no-ask "$(diag)"

# a certificate profile: the PSK is no question; the key password is asked for only when
# the key file is encrypted (the unreadable file here: the service will say why)
dlg "$(data gateway vpn.example.com; data user alice; data ipsec-auth cert
	data ipsec-certificate "$tmp/none.pem"; data ipsec-private-key "$tmp/none.key"
	secret password pw1; done_)" --external-ui-mode -i
[ "$status" -eq 0 ] && [ "$(groups)" = "[VPN Plugin UI] [password]" ]
result $? /auth-dialog/external-ui/cert-profile-no-psk "$(diag)"

if command -v openssl >/dev/null; then
	openssl req -x509 -newkey rsa:2048 -keyout "$tmp/enc.key" -out "$tmp/cert.pem" \
		-days 2 -subj /CN=alice -passout pass:keypw >/dev/null 2>&1
	openssl pkey -in "$tmp/enc.key" -passin pass:keypw -out "$tmp/plain.key" 2>/dev/null
	cert() {
		data gateway vpn.example.com; data user alice; data ipsec-auth cert
		data ipsec-certificate "$tmp/cert.pem"; data ipsec-private-key "$tmp/$1"
		secret password pw1
	}
	dlg "$(cert enc.key; done_)" --external-ui-mode -i
	[ "$status" -eq 0 ] &&
		[ "$(groups)" = "[VPN Plugin UI] [ipsec-private-key-password] [password]" ] &&
		[ "$(kf ipsec-private-key-password ShouldAsk)" = true ] &&
		[ "$(kf ipsec-private-key-password Label)" = "Private key password" ]
	result $? /auth-dialog/external-ui/encrypted-key-password-asked "$(diag)"
	dlg "$(cert plain.key; done_)" --external-ui-mode -i
	[ "$status" -eq 0 ] && [ "$(groups)" = "[VPN Plugin UI] [password]" ]
	result $? /auth-dialog/external-ui/plain-key-no-password "$(diag)"
else
	echo "ok $((n += 1)) /auth-dialog/external-ui/encrypted-key-password-asked # SKIP no openssl"
	echo "ok $((n += 1)) /auth-dialog/external-ui/plain-key-no-password # SKIP no openssl"
fi

# ---- (c) NOT_REQUIRED (4): not asked, not returned ----

dlg "$(psk_profile; data password-flags 4; data ipsec-psk-flags 4; done_)" --external-ui-mode -i
[ "$status" -eq 0 ] && [ "$(groups)" = "[VPN Plugin UI]" ]
result $? /auth-dialog/not-required/not-asked "$(diag)"

dlg "$(psk_profile; data password-flags 4; secret password pw1; secret ipsec-psk psk1; done_)" -i
[ "$status" -eq 0 ] && [ "$out" = $'ipsec-psk\npsk1' ]
result $? /auth-dialog/not-required/not-returned "$(diag)"

# ---- (d) reprompt: asked again though known, prefilled ----

dlg "$(psk_profile; secret password pw1; secret ipsec-psk psk1; done_)" --external-ui-mode -i -r
[ "$status" -eq 0 ] && [ "$(kf password ShouldAsk)" = true ] && [ "$(kf password Value)" = pw1 ] &&
	[ "$(kf ipsec-psk ShouldAsk)" = true ] && [ "$(kf ipsec-psk Value)" = psk1 ]
result $? /auth-dialog/reprompt/asks-known-secrets "$(diag)"

# the long options NetworkManager's agents may use
dlg "$(psk_profile; secret password pw1; secret ipsec-psk psk1; done_)" --external-ui-mode \
	--allow-interaction --reprompt
[ "$status" -eq 0 ] && [ "$(kf password ShouldAsk)" = true ]
result $? /auth-dialog/reprompt/long-options "$(diag)"

# ---- (e) hints: exactly the hinted secrets ----

dlg "$(psk_profile; secret password pw1; secret ipsec-psk psk1; done_)" --external-ui-mode -i \
	-t ipsec-psk
[ "$status" -eq 0 ] && [ "$(groups)" = "[VPN Plugin UI] [ipsec-psk]" ] &&
	[ "$(kf ipsec-psk ShouldAsk)" = true ]
result $? /auth-dialog/hints/exactly-the-hinted-key "$(diag)"

dlg "$(psk_profile; done_)" --external-ui-mode -i --hint vpn.secrets.password \
	--hint 'x-vpn-message:The gateway wants a new password' --hint frobnicate
[ "$status" -eq 0 ] && [ "$(groups)" = "[VPN Plugin UI] [password]" ] &&
	[ "$(kf 'VPN Plugin UI' Description)" = "The gateway wants a new password" ] &&
	grep -q 'ignoring the hint “frobnicate”' <<<"$err"
result $? /auth-dialog/hints/message-and-unknown-hint "$(diag)"

# a hint that names none of our secrets is no request of ours: the usual rules apply
dlg "$(psk_profile; secret ipsec-psk psk1; done_)" --external-ui-mode -i -t frobnicate
[ "$status" -eq 0 ] && [ "$(groups)" = "[VPN Plugin UI] [ipsec-psk] [password]" ]
result $? /auth-dialog/hints/only-unknown-hints-ignored "$(diag)"

# ---- (f) hostile input: exit 1, a sentence, nothing on standard output, no crash ----

# fails NAME INPUT WANT_STDERR [ARGS...]
fails() {
	local name=$1 input=$2 want=$3
	shift 3
	dlg "$input" "$@"
	[ "$status" -eq 1 ] && [ -z "$out" ] && grep -qF -- "$want" <<<"$err"
	result $? "$name" "$(diag)"
}
fails /auth-dialog/input/garbage $'hello\nworld\n' "is not what NetworkManager sends"
fails /auth-dialog/input/empty "" "end before their DONE line"
fails /auth-dialog/input/no-done "$(psk_profile)" "end before their DONE line"
fails /auth-dialog/input/only-done $'DONE\n' "hold no vpn.data"
fails /auth-dialog/input/value-without-key $'DATA_VAL=x\n\nDONE\n' "line 1"
fails /auth-dialog/input/secret-value-after-data-key $'DATA_KEY=x\nSECRET_VAL=y\n\nDONE\n' "line 2"
fails /auth-dialog/input/empty-key-name $'DATA_KEY=\nDATA_VAL=y\n\nDONE\n' "line 1"
fails /auth-dialog/input/key-twice "$(psk_profile; data user bob; done_)" "name a key twice"
# a NUL byte (not through a shell variable, which cannot hold one)
printf 'DATA_KEY=gate\0way\nDATA_VAL=x\n\nDONE\n' >"$tmp/nul"
timeout 30 "$dialog" -u u -n Office -s "$service" <"$tmp/nul" >"$tmp/out" 2>"$tmp/err"
status=$?
[ "$status" -eq 1 ] && [ ! -s "$tmp/out" ] && grep -q 'NUL' "$tmp/err"
result $? /auth-dialog/input/nul-byte "exit $status: $(cat "$tmp/err")"
fails /auth-dialog/input/unknown-data-key "$(psk_profile; data frobnicate 1; done_)" \
	"frobnicate: unknown key in vpn.data"
fails /auth-dialog/input/invalid-setting "$(psk_profile; data mtu 99999; done_)" "ppp.mtu"
fails /auth-dialog/input/bad-flags "$(psk_profile; data password-flags lots; done_)" \
	"not a number of secret flags"
fails /auth-dialog/input/no-user "$(data gateway vpn.example.com; done_)" "user name"
fails /auth-dialog/args/wrong-service "$(psk_profile; done_)" "only" -s org.example.other
fails /auth-dialog/args/extra-argument "$(psk_profile; done_)" "unexpected argument" extra

# oversized: a line of 300 KiB
head -c 307200 /dev/zero | tr '\0' a | sed 's/^/DATA_KEY=/' >"$tmp/big"
timeout 30 "$dialog" -u u -n Office -s "$service" <"$tmp/big" >"$tmp/out" 2>"$tmp/err"
status=$?
[ "$status" -eq 1 ] && [ ! -s "$tmp/out" ] && grep -q 'longer than' "$tmp/err"
result $? /auth-dialog/input/oversized "exit $status: $(cat "$tmp/err")"

# random bytes: refused, never a crash (a signal or a sanitizer's exit status)
crashes=
for i in 1 2 3 4 5 6 7 8; do
	head -c $((i * 512)) /dev/urandom >"$tmp/rand"
	timeout 30 "$dialog" -u u -n Office -s "$service" <"$tmp/rand" >"$tmp/out" 2>/dev/null
	status=$?
	[ "$status" -eq 1 ] && [ ! -s "$tmp/out" ] || crashes+=" random#$i:exit$status"
done
[ -z "$crashes" ]
result $? /auth-dialog/input/random-bytes "$crashes"

# truncated at every byte: before the DONE line always refused, in words; never a crash
full="$(psk_profile; secret password pw1; secret ipsec-psk psk1; done_)"
printf '%s' "$full" >"$tmp/full"
done_at=$(grep -bo '^DONE$' "$tmp/full" | cut -d: -f1)
bad=
for ((len = 0; len <= done_at + 4; len++)); do
	head -c "$len" "$tmp/full" | timeout 30 "$dialog" -u u -n Office -s "$service" \
		>"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ "$len" -lt $((done_at + 5)) ]; then
		[ "$status" -eq 1 ] && [ ! -s "$tmp/out" ] && [ -s "$tmp/err" ] ||
			bad+=" len$len:exit$status"
	fi
done
head -c $((done_at + 5)) "$tmp/full" | timeout 30 "$dialog" -u u -n Office -s "$service" \
	>"$tmp/out" 2>"$tmp/err"
status=$?
[ "$status" -eq 0 ] && [ -s "$tmp/out" ] || bad+=" whole:exit$status"
[ -z "$bad" ]
result $? /auth-dialog/input/truncated-every-byte "$bad"

# ---- the end of the exchange: the dialog waits for QUIT (or the pipe's end) ----

# quit_case NAME HOW: the answer comes at once; the dialog is still there 1 s later; then
# HOW (QUIT: the agent's word, close: the pipe's end) ends it within 2 s
quit_case() {
	local name=$1 how=$2 pid alive=no ended=no
	rm -f "$tmp/fifo"
	mkfifo "$tmp/fifo"
	timeout 30 "$dialog" -u u -n Office -s "$service" <"$tmp/fifo" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	exec 3>"$tmp/fifo"
	printf '%s\nDONE\n\n' "$(psk_profile; secret password pw1; secret ipsec-psk psk1)" >&3
	sleep 1
	kill -0 "$pid" 2>/dev/null && alive=yes
	if [ "$how" = QUIT ]; then printf 'QUIT\n\n' >&3; else exec 3>&-; fi
	for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || { ended=yes; break; }; sleep 0.1; done
	exec 3>&-
	wait "$pid"
	status=$?
	[ "$alive" = yes ] && [ "$ended" = yes ] && [ "$status" -eq 0 ] && grep -q psk1 "$tmp/out"
	result $? "$name" "alive after 1 s: $alive, ended: $ended, exit $status: $(cat "$tmp/err")"
}
quit_case /auth-dialog/quit/waits-for-quit QUIT
quit_case /auth-dialog/quit/waits-for-end-of-input close

# ---- (h) the keyring (agent-owned secrets, flags 1) ----

# no session bus at all: nothing found, asked for, and at once
start=$(date +%s%N)
dlg "$(psk_profile; data password-flags 1; secret ipsec-psk psk1; done_)" --external-ui-mode -i
elapsed=$((($(date +%s%N) - start) / 1000000))
[ "$status" -eq 0 ] && [ "$(kf password ShouldAsk)" = true ] && [ "$elapsed" -lt 5000 ]
result $? /auth-dialog/keyring/no-session-bus-asks "$(diag; echo "$elapsed ms")"

if [ -n "$standin" ] && command -v dbus-daemon >/dev/null; then
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
	pids+=($!)
	for _ in $(seq 50); do [ -S "$tmp/bus" ] && break; sleep 0.1; done
	export DBUS_SESSION_BUS_ADDRESS=unix:path=$tmp/bus

	# a session bus, but no Secret Service on it (and none to start): asked, at once
	start=$(date +%s%N)
	dlg "$(psk_profile; data password-flags 1; secret ipsec-psk psk1; done_)" \
		--external-ui-mode -i
	elapsed=$((($(date +%s%N) - start) / 1000000))
	[ "$status" -eq 0 ] && [ "$(kf password ShouldAsk)" = true ] && [ "$elapsed" -lt 5000 ]
	result $? /auth-dialog/keyring/no-secret-service-asks "$(diag; echo "$elapsed ms")"

	# the stand-in holds one item, as nm-applet stores it: the UUID's password
	"$standin" 5e1a3f9c-0000-4000-8000-000000000001 vpn password from-keyring \
		>"$tmp/standin.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 50); do grep -q ready "$tmp/standin.log" && break; sleep 0.1; done
	dlg "$(psk_profile; data password-flags 1; secret ipsec-psk psk1; done_)" \
		--external-ui-mode -i
	[ "$status" -eq 0 ] && [ "$(kf password ShouldAsk)" = false ] &&
		[ "$(kf password Value)" = from-keyring ]
	result $? /auth-dialog/keyring/agent-owned-found "$(diag; cat "$tmp/standin.log")"

	dlg "$(psk_profile; data password-flags 1; secret ipsec-psk psk1; done_)" -i
	[ "$status" -eq 0 ] && [ "$out" = $'ipsec-psk\npsk1\npassword\nfrom-keyring' ]
	result $? /auth-dialog/keyring/agent-owned-returned "$(diag)"

	# not agent-owned (NetworkManager keeps it): the keyring is not asked
	dlg "$(psk_profile; secret ipsec-psk psk1; done_)" --external-ui-mode -i
	[ "$status" -eq 0 ] && [ "$(kf password ShouldAsk)" = true ]
	result $? /auth-dialog/keyring/system-owned-not-looked-up "$(diag)"

	# another connection's item does not answer
	dlg "$(psk_profile; data password-flags 1; secret ipsec-psk psk1; done_)" \
		--external-ui-mode -i -u 5e1a3f9c-0000-4000-8000-000000000002
	[ "$status" -eq 0 ] && [ "$(kf password ShouldAsk)" = true ]
	result $? /auth-dialog/keyring/other-connection-not-found "$(diag)"
	unset DBUS_SESSION_BUS_ADDRESS
fi

# ---- the window (GTK 3, libnma's password dialog) under Xvfb ----

if [ -n "$closer" ] && command -v xvfb-run >/dev/null; then
	printf '%s\n' "$(psk_profile; secret ipsec-psk psk1; done_)" >"$tmp/in"
	# GTK keeps caches (fonts, themes) to the end: leaks of its own, not the dialog's
	ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 NO_AT_BRIDGE=1 GDK_BACKEND=x11 \
	timeout 60 xvfb-run -a sh -c '
		"$1" -u u -n Office -s "$2" -i <"$3" >"$4.out" 2>"$4.err" &
		pid=$!
		"$5" "Authenticate VPN Office" 20 >"$4.closer"
		echo $? >"$4.closed"
		wait $pid
		echo $? >"$4.status"' sh "$dialog" "$service" "$tmp/in" "$tmp/gtk" "$closer"
	closed=$(cat "$tmp/gtk.closed" 2>/dev/null) status=$(cat "$tmp/gtk.status" 2>/dev/null)
	[ "$closed" = 0 ] && [ "$(cat "$tmp/gtk.closer")" = "Authenticate VPN Office" ]
	result $? /auth-dialog/gtk/window-appears "closer exit ${closed:-?}: $(cat "$tmp/gtk.err")"
	[ "$status" = 1 ] && [ ! -s "$tmp/gtk.out" ]
	result $? /auth-dialog/gtk/cancel-prints-nothing \
		"exit ${status:-?}, stdout: $(cat "$tmp/gtk.out" 2>/dev/null)"
else
	echo "ok $((n += 1)) /auth-dialog/gtk/window-appears # SKIP no xvfb-run"
	echo "ok $((n += 1)) /auth-dialog/gtk/cancel-prints-nothing # SKIP no xvfb-run"
fi

echo "1..$n"

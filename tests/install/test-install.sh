#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/install/test-install.sh BUILD-DIR SOURCE-DIR UNIT-DIR (TAP)
#
# `meson install` into a throwaway DESTDIR, then: every file the system service needs is
# where the bus, polkit and systemd look for it (under the build's prefix), the unit and
# activation files name the installed programs, systemd accepts the units, the daemon's unit
# stays hardened (exposure figure), and the bus and polkit policies say what they should.
# Nothing here touches the machine: no real bus, no systemd, no polkit.
set -u

build=$1
src=$2
unitdir=$3

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest

source "$(dirname "$(readlink -f "$0")")/../lib/tap-checks.sh"

# ---- install ----

if ! meson install -C "$build" --destdir "$dest" --no-rebuild --quiet >"$tmp/install.log" 2>&1; then
	not_ok "meson install --destdir"
	diag <"$tmp/install.log"
	echo "1..$n"
	exit 1
fi
ok "meson install --destdir"

# the build's own directories, as meson was configured
eval "$(meson introspect --buildoptions "$build" | python3 -c '
import json, shlex, sys
opts = {o["name"]: o["value"] for o in json.load(sys.stdin)}
for k in ("prefix", "bindir", "sbindir", "datadir", "mandir"):
    v = opts[k] if opts[k].startswith("/") else opts["prefix"] + "/" + opts[k]
    print("%s=%s" % (k, shlex.quote(v)))
')"
case $unitdir in
/*) ;;
*) unitdir=$prefix/$unitdir ;;
esac

# ---- every file where it belongs ----

expect_file() { # PATH DESCRIPTION
	if [ -f "$dest$1" ]; then
		ok "installed: $2 ($1)"
	else
		not_ok "installed: $2 ($1) is missing"
	fi
}
expect_file "$sbindir/roadied" "the daemon"
expect_file "$bindir/roadiectl" "the command line client"
expect_file "$datadir/dbus-1/system.d/org.roadie.Daemon.conf" "the system bus policy"
expect_file "$datadir/dbus-1/system-services/org.roadie.Daemon.service" "the D-Bus activation file"
expect_file "$datadir/dbus-1/interfaces/org.roadie.Daemon1.xml" "the Daemon1 interface XML"
expect_file "$datadir/dbus-1/interfaces/org.roadie.Connection1.xml" "the Connection1 interface XML"
expect_file "$datadir/polkit-1/actions/org.roadie.policy" "the polkit actions"
expect_file "$unitdir/roadied.service" "the daemon's unit"
expect_file "$unitdir/roadie-restore.service" "the restore unit"
expect_file "$unitdir/roadie-connect@.service" "the system profile template unit"
if [ -x "$dest$sbindir/roadied" ] && [ -x "$dest$bindir/roadiectl" ]; then
	ok "roadied and roadiectl are executable"
else
	not_ok "roadied or roadiectl is not executable"
fi

# The man pages and the bash completion come with roadiectl's part of the work: checked once
# their sources are in the tree.
if [ -n "$(ls -A "$src/data/man" 2>/dev/null)" ]; then
	missing=()
	for page in man1/roadiectl.1 man8/roadied.8; do
		compgen -G "$dest$mandir/$page*" >/dev/null || missing+=("$mandir/$page")
	done
	compgen -G "$dest$mandir/man5/*roadie*.5*" >/dev/null ||
		missing+=("$mandir/man5/ (the profile format)")
	if [ ${#missing[@]} -eq 0 ]; then
		ok "installed: the man pages"
	else
		not_ok "installed: the man pages; missing: ${missing[*]}"
	fi
else
	skip "installed: the man pages" "no data/man in the source tree yet"
fi
if [ -n "$(ls -A "$src/data/completion" 2>/dev/null)" ]; then
	found=$(find "$dest" -path '*/bash-completion/completions/roadiectl' | head -n 1)
	if [ -n "$found" ]; then
		ok "installed: the bash completion (${found#"$dest"})"
	else
		not_ok "installed: the bash completion (no bash-completion/completions/roadiectl)"
	fi
else
	skip "installed: the bash completion" "no data/completion in the source tree yet"
fi

# ---- the files name the installed programs ----

expect_line() { # FILE LINE DESCRIPTION
	if grep -qxF -- "$2" "$dest$1" 2>/dev/null; then
		ok "$3: $2"
	else
		not_ok "$3: no line '$2' in $1"
	fi
}
expect_line "$datadir/dbus-1/system-services/org.roadie.Daemon.service" "Exec=$sbindir/roadied" \
	"activation runs the installed roadied"
expect_line "$datadir/dbus-1/system-services/org.roadie.Daemon.service" \
	"SystemdService=roadied.service" "activation goes through systemd"
expect_line "$unitdir/roadied.service" "ExecStart=$sbindir/roadied" "roadied.service"
expect_line "$unitdir/roadie-restore.service" "ExecStart=$sbindir/roadied --restore" \
	"roadie-restore.service"
expect_line "$unitdir/roadie-connect@.service" \
	"ExecStart=$bindir/roadiectl connect --no-ask --auto-reconnect %I" "roadie-connect@.service"
if grep -q '@[a-zA-Z_]*@' "$dest$unitdir"/roadie*.service \
	"$dest$datadir/dbus-1/system-services/org.roadie.Daemon.service"; then
	not_ok "no @placeholder@ left in the installed units"
	grep -n '@[a-zA-Z_]*@' "$dest$unitdir"/roadie*.service | diag
else
	ok "no @placeholder@ left in the installed units"
fi

# ---- systemd accepts the units ----

# verify checks that each ExecStart= program exists: copies that point into DESTDIR do it
# (--root= would want the whole of systemd's own units under the root too).
if command -v systemd-analyze >/dev/null; then
	mkdir "$tmp/units"
	for u in roadied.service roadie-restore.service roadie-connect@.service; do
		sed -e "s#\\(Exec[A-Za-z]*=-\\?\\)\\($sbindir\\|$bindir\\)/#\\1$dest\\2/#" \
			"$dest$unitdir/$u" >"$tmp/units/$u"
	done
	man_check=--man=no
	if [ -d "$dest$mandir/man8" ] && command -v man >/dev/null; then
		# the man pages are installed: verify finds Documentation=man: pages there
		export MANPATH=$dest$mandir
		man_check=--man=yes
	fi
	if (cd "$tmp/units" && systemd-analyze verify "$man_check" roadied.service \
		roadie-restore.service roadie-connect@office.service) >"$tmp/verify.log" 2>&1 &&
		[ ! -s "$tmp/verify.log" ]; then
		ok "systemd-analyze verify: the three units"
	else
		not_ok "systemd-analyze verify: the three units"
		diag <"$tmp/verify.log"
	fi
	unset MANPATH

	# The exposure figure (0 best, 10 worst), 2.0 aimed at. roadied.service rates 2.1, for
	# reasons in its comments: ProcSubset=pid would hide /proc/sys/net/ipv6/conf, which
	# roadied writes (0.1); PrivateDevices=no keeps /dev/net/tun reachable (0.2; the device
	# cgroup still allows it alone). The other units are far lower; none may get worse.
	for u in roadied.service roadie-restore.service roadie-connect@.service; do
		case $u in
		roadied.service) limit=2.1 ;;
		roadie-restore.service) limit=1.4 ;;
		*) limit=0.7 ;;
		esac
		figure=$(cd "$tmp/units" && systemd-analyze security --offline=true --no-pager "$u" 2>&1 |
			sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
		echo "# $u: exposure ${figure:-unknown}"
		if [ -z "$figure" ]; then
			not_ok "systemd-analyze security: no figure for $u"
		elif python3 -c "import sys; sys.exit(0 if float('$figure') <= $limit else 1)"; then
			ok "systemd-analyze security $u: exposure $figure (at most $limit)"
		else
			not_ok "systemd-analyze security $u: exposure $figure, above $limit"
		fi
	done
	# what the daemon's unit must keep, whatever the figure says
	missing_hardening=()
	for want in 'CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_BIND_SERVICE CAP_NET_RAW' \
		'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' \
		'DevicePolicy=closed' 'DeviceAllow=/dev/net/tun rw' 'SystemCallFilter=@system-service' \
		'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK' 'Type=dbus' \
		'BusName=org.roadie.Daemon' 'Restart=on-failure'; do
		grep -qxF -- "$want" "$tmp/units/roadied.service" || missing_hardening+=("$want")
	done
	if [ ${#missing_hardening[@]} -eq 0 ]; then
		ok "roadied.service keeps its hardening"
	else
		not_ok "roadied.service lost: ${missing_hardening[*]}"
	fi
else
	skip "systemd-analyze verify and security" "no systemd-analyze (Debian: systemd)"
fi

# ---- the bus policy ----

policy=$dest$datadir/dbus-1/system.d/org.roadie.Daemon.conf
# well-formed only: dbus's busconfig.dtd is older than the send_*/receive_* attributes, so
# no policy validates against it; the private bus below reads the file for real
xmllint_args=(--noout --nonet)
if xmllint "${xmllint_args[@]}" "$policy" >"$tmp/xmllint.log" 2>&1; then
	ok "xmllint: the bus policy is valid"
else
	not_ok "xmllint: the bus policy"
	diag <"$tmp/xmllint.log"
fi

# A private bus with the system bus's defaults (Debian's system.conf: deny owning and
# calling, allow replies and signals) plus our policy: root may own org.roadie.Daemon,
# another user may not. dbus-daemon also rejects a malformed file here. (That anyone may
# call roadied is not tried: it would need a process that holds the name.)
if command -v dbus-daemon >/dev/null && command -v gdbus >/dev/null; then
	source "$src/tests/lib/system-bus.sh"
	chmod 755 "$tmp" # another user's client reaches the socket below it
	system_bus_start "$tmp/sysbus" "$policy"
	bus_pid=$SYSTEM_BUS_PID
	request_name() {
		timeout 10 "$@" gdbus call --address "$SYSTEM_BUS" --dest org.freedesktop.DBus \
			--object-path /org/freedesktop/DBus --method org.freedesktop.DBus.RequestName \
			org.roadie.Daemon "uint32 0" 2>&1
	}
	if [ ! -S "$tmp/sysbus/system_bus_socket" ]; then
		not_ok "dbus-daemon takes the policy"
		diag <"$tmp/sysbus/bus.log"
	elif [ "$(id -u)" -ne 0 ]; then
		ok "dbus-daemon takes the policy"
		skip "only root owns org.roadie.Daemon" "needs root to compare root and nobody"
	else
		ok "dbus-daemon takes the policy"
		root_answer=$(request_name)
		nobody_answer=$(request_name setpriv --reuid=65534 --regid=65534 --clear-groups)
		if [ "$root_answer" = "(uint32 1,)" ] && [[ $nobody_answer == *AccessDenied* ]]; then
			ok "only root owns org.roadie.Daemon"
		else
			not_ok "only root owns org.roadie.Daemon (root: $root_answer; nobody: $nobody_answer)"
		fi
	fi
	kill "$bus_pid" 2>/dev/null
	wait "$bus_pid" 2>/dev/null
else
	skip "dbus-daemon takes the policy" "no dbus-daemon or gdbus"
fi

# ---- the polkit actions ----

actions=$dest$datadir/polkit-1/actions/org.roadie.policy
dtd=/usr/share/polkit-1/policyconfig-1.dtd
if [ -f "$dtd" ]; then
	xmllint_args=(--noout --nonet --dtdvalid "$dtd")
else
	xmllint_args=(--noout --nonet)
fi
if xmllint "${xmllint_args[@]}" "$actions" >"$tmp/xmllint.log" 2>&1; then
	ok "xmllint: the polkit actions are valid"
else
	not_ok "xmllint: the polkit actions"
	diag <"$tmp/xmllint.log"
fi
# the action ids and their defaults, read back without polkit (pkaction reads only the
# system's directory)
if python3 - "$actions" >"$tmp/polkit.log" 2>&1 <<'EOF'; then
import sys
import xml.etree.ElementTree as ET

want = {
    "org.roadie.connect": ("auth_admin", "auth_admin", "yes"),
    "org.roadie.manage": ("auth_admin_keep", "auth_admin_keep", "auth_admin_keep"),
}
root = ET.parse(sys.argv[1]).getroot()
got = {}
for action in root.findall("action"):
    d = action.find("defaults")
    got[action.get("id")] = tuple(d.findtext(k) for k in ("allow_any", "allow_inactive", "allow_active"))
    for tag in ("description", "message"):
        texts = [e.text for e in action.findall(tag) if "{http://www.w3.org/XML/1998/namespace}lang" not in e.attrib]
        if len(texts) != 1 or not texts[0] or not texts[0].strip():
            sys.exit("%s: no untranslated <%s>" % (action.get("id"), tag))
if got != want:
    sys.exit("actions (allow_any, allow_inactive, allow_active): %r, wanted %r" % (got, want))
if not (root.findtext("vendor") or "").strip():
    sys.exit("no <vendor>")
EOF
	ok "polkit: org.roadie.connect and org.roadie.manage with their defaults"
else
	not_ok "polkit: the actions or their defaults"
	diag <"$tmp/polkit.log"
fi

echo "1..$n"
[ "$failures" -eq 0 ]

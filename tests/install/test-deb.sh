#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/install/test-deb.sh SOURCE-DIR (TAP, suite 'deb': a few minutes)
#
# Builds the .debs with tools/build-deb (dpkg-buildpackage from a copy of the tree: roadie and
# roadie-applet) and checks what they would put on a Debian 12 machine, without installing
# them on this one:
#  - the files, unpacked with `dpkg-deb -x` into a throwaway directory: each where Debian's
#    bus, polkit and systemd look, naming /usr/sbin/roadied;
#  - the control data: the dependencies, and maintainer scripts that enable
#    roadie-restore.service but start nothing and leave roadied.service and
#    roadie-connect@.service alone;
#  - roadie-applet: its files, none of them also in roadie, its dependencies;
#  - `apt-get install --simulate` of both files: the dependencies resolve (against this
#    machine's package lists and what it has installed: a fresh Debian 12 may fetch more).
# Not done: a real install into a clean chroot (debootstrap needs the network), or
# `dpkg --root=DIR` into an empty root (its maintainer scripts would run on this host's
# systemd helpers, and an empty root lacks the dependencies: that would test the trick, not
# the package).
set -u

src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

source "$(dirname "$(readlink -f "$0")")/../lib/tap-checks.sh"
finish() {
	echo "1..$n"
	[ "$failures" -eq 0 ]
	exit
}

if ! "$src/tools/build-deb" --output "$tmp/out" >"$tmp/build-deb.log" 2>&1; then
	not_ok "tools/build-deb"
	tail -n 40 "$tmp/build-deb.log" | diag
	finish
fi
deb=$(ls "$tmp"/out/roadie_*.deb 2>/dev/null | head -n 1)
if [ -z "$deb" ]; then
	not_ok "tools/build-deb made roadie_*.deb"
	finish
fi
ok "tools/build-deb made ${deb##*/}"
# lintian's findings, for the reader (build-deb reports them, never fails on them)
sed -n '/^build-deb: lintian (/,/^build-deb: lintian done/p' "$tmp/build-deb.log" |
	grep -E '^ +[EW]: ' | diag

# ---- the files ----

root=$tmp/root
dpkg-deb -x "$deb" "$root"
unitdir=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null)
unitdir=${unitdir:-/lib/systemd/system}
for path in /usr/sbin/roadied /usr/bin/roadiectl \
	/usr/share/dbus-1/system.d/org.roadie.Daemon.conf \
	/usr/share/dbus-1/system-services/org.roadie.Daemon.service \
	/usr/share/dbus-1/interfaces/org.roadie.Daemon1.xml \
	/usr/share/dbus-1/interfaces/org.roadie.Connection1.xml \
	/usr/share/polkit-1/actions/org.roadie.policy \
	"$unitdir/roadied.service" "$unitdir/roadie-restore.service" \
	"$unitdir/roadie-connect@.service" \
	/usr/share/doc/roadie/copyright /usr/share/doc/roadie/changelog.gz; do
	if [ -f "$root$path" ]; then
		ok "in the package: $path"
	else
		not_ok "in the package: $path is missing"
	fi
done
# the man pages and the completion, once their sources are in the tree (roadiectl's part)
if [ -n "$(ls -A "$src/data/man" 2>/dev/null)" ]; then
	for page in man1/roadiectl.1.gz man8/roadied.8.gz man5/roadie-profile.5.gz; do
		if [ -f "$root/usr/share/man/$page" ]; then
			ok "in the package: /usr/share/man/$page"
		else
			not_ok "in the package: /usr/share/man/$page is missing"
		fi
	done
fi
if [ -n "$(ls -A "$src/data/completion" 2>/dev/null)" ]; then
	if [ -f "$root/usr/share/bash-completion/completions/roadiectl" ]; then
		ok "in the package: the bash completion"
	else
		not_ok "in the package: /usr/share/bash-completion/completions/roadiectl is missing"
	fi
fi
if grep -qxF 'Exec=/usr/sbin/roadied' "$root/usr/share/dbus-1/system-services/org.roadie.Daemon.service" &&
	grep -qxF 'ExecStart=/usr/sbin/roadied' "$root$unitdir/roadied.service" &&
	grep -qxF 'StateDirectory=roadie' "$root$unitdir/roadied.service" &&
	grep -qxF 'ExecStart=/usr/bin/roadiectl connect --no-ask --auto-reconnect %I' \
		"$root$unitdir/roadie-connect@.service" &&
	grep -qxF 'ConditionPathExists=/etc/roadie/profiles/%I.conf' \
		"$root$unitdir/roadie-connect@.service"; then
	ok "the units and the activation file name /usr/sbin/roadied, /var/lib/roadie, /etc/roadie"
else
	not_ok "the units and the activation file name the Debian paths"
	grep -h 'Exec\|State\|Condition' "$root/usr/share/dbus-1/system-services/"* "$root$unitdir"/roadie* | diag
fi
if dpkg-deb --fsys-tarfile "$deb" | tar -tvf - | awk '$2 != "root/root" { bad = 1; print } END { exit bad }' >"$tmp/owners" 2>&1; then
	ok "every file belongs to root:root"
else
	not_ok "files not owned by root:root"
	diag <"$tmp/owners"
fi
if [ -n "$(find "$root" -path '*/usr/local/*' -o -path '*/var/local/*' | head -n 1)" ]; then
	not_ok "nothing under /usr/local or /var/local"
else
	ok "nothing under /usr/local or /var/local"
fi

# ---- the control data ----

control=$tmp/control
dpkg-deb -e "$deb" "$control"
depends=$(dpkg-deb -f "$deb" Depends)
echo "# Depends: $depends"
missing=()
for dep in dbus polkitd libc6 libglib2.0-0 libssl3; do
	[[ ", $depends," == *", $dep"[\ ,]* ]] || missing+=("$dep")
done
if [ ${#missing[@]} -eq 0 ]; then
	ok "Depends: dbus, polkitd and the shared libraries"
else
	not_ok "Depends lacks: ${missing[*]}"
fi
if grep -q 'deb-systemd-helper .*enable.*roadie-restore.service\|roadie-restore.service.*enable' \
	"$control/postinst" 2>/dev/null ||
	grep -q "deb-systemd-helper.*'roadie-restore.service'" "$control/postinst" 2>/dev/null; then
	ok "postinst enables roadie-restore.service"
else
	not_ok "postinst does not enable roadie-restore.service"
	[ -f "$control/postinst" ] && diag <"$control/postinst"
fi
if cat "$control"/{preinst,postinst,prerm,postrm} 2>/dev/null | grep -q 'deb-systemd-invoke.*start\|systemctl.*start'; then
	not_ok "the maintainer scripts start nothing"
	grep -n 'start' "$control"/{preinst,postinst,prerm,postrm} 2>/dev/null | diag
else
	ok "the maintainer scripts start nothing"
fi
if cat "$control"/{preinst,postinst,prerm,postrm} 2>/dev/null |
	grep -q 'roadied\.service\|roadie-connect@'; then
	not_ok "the maintainer scripts leave roadied.service and roadie-connect@ alone"
else
	ok "the maintainer scripts leave roadied.service and roadie-connect@ alone"
fi

# ---- the applet's package ----

applet_deb=$(ls "$tmp"/out/roadie-applet_*.deb 2>/dev/null | head -n 1)
if [ -z "$applet_deb" ]; then
	not_ok "tools/build-deb made roadie-applet_*.deb"
else
	ok "tools/build-deb made ${applet_deb##*/}"
	applet_root=$tmp/applet-root
	dpkg-deb -x "$applet_deb" "$applet_root"
	for path in /usr/bin/roadie-applet /etc/xdg/autostart/roadie-applet-autostart.desktop \
		/usr/share/applications/org.roadie.Applet.desktop \
		/usr/share/metainfo/org.roadie.Applet.metainfo.xml \
		/usr/share/icons/hicolor/scalable/apps/org.roadie.Applet.svg \
		/usr/share/icons/hicolor/scalable/status/roadie-connected-symbolic.svg \
		/usr/share/man/man1/roadie-applet.1.gz /usr/share/doc/roadie-applet/copyright; do
		if [ -f "$applet_root$path" ]; then
			ok "in roadie-applet: $path"
		else
			not_ok "in roadie-applet: $path is missing"
		fi
	done
	# each file in exactly one package
	both=$(comm -12 <(cd "$root" && find . -type f | sort) \
		<(cd "$applet_root" && find . -type f ! -path './usr/share/doc/*' | sort))
	if [ -z "$both" ]; then
		ok "no file is in both packages"
	else
		not_ok "files in both packages"
		echo "$both" | diag
	fi
	if [ -f "$root/usr/share/locale/de/LC_MESSAGES/roadie.mo" ]; then
		ok "the German translation is in roadie (the applet depends on it)"
	else
		not_ok "roadie lacks /usr/share/locale/de/LC_MESSAGES/roadie.mo"
	fi
	applet_depends=$(dpkg-deb -f "$applet_deb" Depends)
	echo "# roadie-applet Depends: $applet_depends"
	missing=()
	for dep in roadie libgtk-3-0 libayatana-appindicator3-1 libsecret-1-0; do
		[[ ", $applet_depends," == *", $dep"[\ ,]* ]] || missing+=("$dep")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		ok "roadie-applet Depends: roadie, GTK 3, ayatana-appindicator, libsecret"
	else
		not_ok "roadie-applet Depends lacks: ${missing[*]}"
	fi
fi

# ---- would it install? ----

if apt-get install --simulate --no-install-recommends "$deb" ${applet_deb:+"$applet_deb"} \
	>"$tmp/simulate.log" 2>&1; then
	ok "apt-get install --simulate: the dependencies resolve (both packages)"
	grep '^Inst ' "$tmp/simulate.log" | diag
else
	not_ok "apt-get install --simulate"
	tail -n 20 "$tmp/simulate.log" | diag
fi

finish

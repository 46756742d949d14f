#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/data/test-applet-data.sh SOURCE-DIR DESKTOP AUTOSTART METAINFO (TAP, suite 'unit')
#
# roadie-applet's data files, as merged by the build (data/desktop/meson.build): the launcher
# and the autostart entry pass desktop-file-validate, the metainfo passes appstreamcli's
# pedantic validation without the network, every SVG is well-formed XML, every icon name the
# applet uses is in the tree, and the -symbolic icons keep to what GTK can recolour. The
# translatable strings reach xgettext through po/POTFILES.in.
set -u

src=$1
desktop=$2
autostart=$3
metainfo=$4

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

source "$(dirname "$(readlink -f "$0")")/../lib/tap-checks.sh"

icons=$src/data/icons/hicolor/scalable
# The names gui/ asks the icon theme for: one per tray state (connecting is three frames of
# an animation), each also -symbolic for panels that want single-colour icons.
states=(disconnected connecting-1 connecting-2 connecting-3 connected reconnecting failed)
status_names=()
for s in "${states[@]}"; do
	status_names+=("roadie-$s" "roadie-$s-symbolic")
done

# ---- the desktop files ----

if command -v desktop-file-validate >/dev/null; then
	for f in "$desktop" "$autostart"; do
		# desktop-file-validate prints hints too; only errors and warnings fail
		if desktop-file-validate "$f" >"$tmp/dfv.log" 2>&1 &&
			! grep -q ': \(error\|warning\):' "$tmp/dfv.log"; then
			ok "desktop-file-validate ${f##*/}"
		else
			not_ok "desktop-file-validate ${f##*/}"
		fi
		diag <"$tmp/dfv.log"
	done
else
	skip "desktop-file-validate the launcher and the autostart entry" \
		"no desktop-file-validate (Debian: desktop-file-utils)"
fi

# what the applet and the session rely on, whatever the validator allows
key() { # FILE KEY: the untranslated value
	sed -n "s/^$2=//p" "$1" | head -n 1
}
expect_key() { # FILE KEY VALUE
	local got
	got=$(key "$1" "$2")
	if [ "$got" = "$3" ]; then
		ok "${1##*/}: $2=$3"
	else
		not_ok "${1##*/}: $2 is '$got', wanted '$3'"
	fi
}
expect_key "$desktop" Exec roadie-applet
expect_key "$desktop" Icon org.roadie.Applet
expect_key "$desktop" Categories 'Network;'
expect_key "$desktop" StartupNotify false
expect_key "$desktop" X-GNOME-UsesNotifications true
expect_key "$autostart" Exec 'roadie-applet --autostart'
expect_key "$autostart" NoDisplay true
expect_key "$autostart" X-GNOME-Autostart-enabled true
if grep -q '^\(OnlyShowIn\|NotShowIn\)=' "$autostart"; then
	not_ok "the autostart entry starts in every desktop (no OnlyShowIn/NotShowIn)"
else
	ok "the autostart entry starts in every desktop (no OnlyShowIn/NotShowIn)"
fi

# ---- the AppStream metainfo ----

if command -v appstreamcli >/dev/null; then
	# --pedantic reports, and does not fail on, two notes that are choices: the id keeps the
	# reverse-DNS capitals of the desktop file's name, and "roadie" is written in lower case
	if appstreamcli validate --no-net --pedantic "$metainfo" >"$tmp/as.log" 2>&1; then
		ok "appstreamcli validate --no-net --pedantic ${metainfo##*/}"
	else
		not_ok "appstreamcli validate --no-net --pedantic ${metainfo##*/}"
	fi
	diag <"$tmp/as.log"
else
	skip "appstreamcli validate" "no appstreamcli (Debian: appstream)"
fi
# the metainfo's launchable is the launcher's file name, its binary the launcher's Exec
if python3 - "$metainfo" "${desktop##*/}" >"$tmp/mi.log" 2>&1 <<'PY'; then
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
launchable = root.findtext("launchable[@type='desktop-id']")
binary = root.findtext("provides/binary")
if launchable != sys.argv[2]:
    sys.exit("launchable %r, the launcher is %r" % (launchable, sys.argv[2]))
if binary != "roadie-applet":
    sys.exit("provides binary %r" % binary)
if (root.findtext("id") or "") + ".desktop" != sys.argv[2]:
    sys.exit("id %r does not name the launcher" % root.findtext("id"))
PY
	ok "the metainfo names the launcher and provides roadie-applet"
else
	not_ok "the metainfo names the launcher and provides roadie-applet"
	diag <"$tmp/mi.log"
fi

# ---- the icons ----

svgs=()
while IFS= read -r f; do
	svgs+=("$f")
done < <(find "$src/data/icons" -name '*.svg' | sort)
bad=()
for f in "${svgs[@]}"; do
	xmllint --noout --nonet "$f" >>"$tmp/xmllint.log" 2>&1 || bad+=("${f#"$src"/}")
done
if [ ${#svgs[@]} -gt 0 ] && [ ${#bad[@]} -eq 0 ]; then
	ok "xmllint: all ${#svgs[@]} SVGs are well-formed"
else
	not_ok "xmllint: ${#svgs[@]} SVGs, not well-formed: ${bad[*]}"
	diag <"$tmp/xmllint.log"
fi

missing=()
for name in "${status_names[@]}"; do
	[ -f "$icons/status/$name.svg" ] || missing+=("$name")
done
app_icon=$(key "$desktop" Icon)
[ -f "$icons/apps/$app_icon.svg" ] || missing+=("apps/$app_icon")
if [ ${#missing[@]} -eq 0 ]; then
	ok "every icon the applet and its launcher name is in data/icons (${#status_names[@]} status, 1 app)"
else
	not_ok "icons missing from data/icons/hicolor/scalable: ${missing[*]}"
fi
# and nothing in the tree that is not installed (data/desktop/meson.build installs this list)
extra=()
for f in "$icons"/status/*.svg; do
	name=${f##*/}
	name=${name%.svg}
	[[ " ${status_names[*]} " == *" $name "* ]] || extra+=("$name")
done
if [ ${#extra[@]} -eq 0 ]; then
	ok "no status icon outside the applet's list"
else
	not_ok "status icons outside the applet's list (never installed): ${extra[*]}"
fi

# GTK recolours a -symbolic icon by overriding the fill of its shapes: a stroke or a gradient
# would keep its own colour, a second colour would be lost. The tray icons are drawn on a
# 16-pixel grid.
if python3 - "$icons/status" "${status_names[@]}" >"$tmp/symbolic.log" 2>&1 <<'PY'; then
import os
import re
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
status_dir, names = sys.argv[1], sys.argv[2:]
problems = []
for name in names:
    if not os.path.exists("%s/%s.svg" % (status_dir, name)):
        continue  # reported above
    root = ET.parse("%s/%s.svg" % (status_dir, name)).getroot()
    if root.get("viewBox") != "0 0 16 16":
        problems.append("%s: viewBox %r, not '0 0 16 16'" % (name, root.get("viewBox")))
    if not name.endswith("-symbolic"):
        continue
    for el in root.iter():
        tag = el.tag.replace(SVG, "")
        style = el.get("style", "")
        if tag in ("linearGradient", "radialGradient", "mask", "filter", "image", "text"):
            problems.append("%s: <%s> cannot be recoloured" % (name, tag))
        if el.get("stroke") not in (None, "none") or re.search(r"stroke\s*:\s*(?!none)", style):
            problems.append("%s: <%s> has a stroke" % (name, tag))
        fill = el.get("fill")
        if tag in ("path", "rect", "circle", "ellipse", "polygon") and fill not in ("#bebebe", None):
            problems.append("%s: <%s> filled %r, not #bebebe" % (name, tag, fill))
if problems:
    sys.exit("\n".join(problems))
PY
	ok "status icons on a 16-pixel grid; -symbolic ones single-colour fills only"
else
	not_ok "status icons: grid or symbolic conventions"
	diag <"$tmp/symbolic.log"
fi

# ---- translatable through po/ ----

missing=()
for f in data/desktop/org.roadie.Applet.desktop.in data/desktop/roadie-applet-autostart.desktop.in \
	data/metainfo/org.roadie.Applet.metainfo.xml.in; do
	grep -qxF "$f" "$src/po/POTFILES.in" || missing+=("$f")
done
if [ ${#missing[@]} -eq 0 ]; then
	ok "po/POTFILES.in lists the launcher, the autostart entry and the metainfo"
else
	not_ok "po/POTFILES.in lacks: ${missing[*]}"
fi
# xgettext finds the strings: the desktop keys by the .desktop.in name, the metainfo's
# elements by AppStream's ITS rules (data that appstream installs for gettext)
if command -v xgettext >/dev/null; then
	if (cd "$src" && xgettext --from-code=UTF-8 --add-comments -o "$tmp/applet.pot" \
		data/desktop/org.roadie.Applet.desktop.in data/desktop/roadie-applet-autostart.desktop.in \
		data/metainfo/org.roadie.Applet.metainfo.xml.in) >"$tmp/xgettext.log" 2>&1 &&
		grep -qxF 'msgid "roadie VPN"' "$tmp/applet.pot" &&
		grep -qxF 'msgid "Connect to L2TP/IPsec VPNs from the tray"' "$tmp/applet.pot" &&
		grep -qF 'msgid "Show the roadie VPN icon' "$tmp/applet.pot" &&
		grep -qF 'VPN;L2TP;IPsec;' "$tmp/applet.pot" &&
		grep -qF 'When a connection fails' "$tmp/applet.pot"; then
		ok "xgettext extracts the names, comments, keywords, summary and description"
	else
		not_ok "xgettext extracts the applet's strings"
		cat "$tmp/xgettext.log" "$tmp/applet.pot" 2>/dev/null | diag
	fi
else
	skip "xgettext extracts the applet's strings" "no xgettext (Debian: gettext)"
fi

echo "1..$n"
[ "$failures" -eq 0 ]

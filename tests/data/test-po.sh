#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/data/test-po.sh SOURCE-DIR [MERGED-DESKTOP-OR-XML...] (TAP, suite 'unit')
#
# The translations in po/: po/POTFILES.in lists every source and data file with translatable
# strings; for every language in po/LINGUAS, the .po merged with a template made here and now
# from the sources (as `ninja roadie-pot` makes it) has no fuzzy and no untranslated message
# and passes msgfmt --check (format strings, plural forms, header, one mnemonic where the
# English has one); compiled into a LOCALEDIR/LANG/LC_MESSAGES/roadie.mo tree it is what
# gettext(1) answers under LANGUAGE=LANG; and the data files the build merged with po/
# (i18n.merge_file: the .desktop files, the metainfo) carry each language.
set -u

src=$1
shift
merged=("$@")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

source "$(dirname "$(readlink -f "$0")")/../lib/tap-checks.sh"

domain=roadie
po=$src/po

for tool in xgettext msgmerge msgfmt msggrep msgattrib gettext ngettext locale; do
	if ! command -v "$tool" >/dev/null; then
		not_ok "$tool is installed (Debian: gettext, gettext-base)"
		echo "1..$n"
		exit 1
	fi
done

mapfile -t langs < <(sed 's/#.*//' "$po/LINGUAS" | tr -s ' \t' '\n\n' | sed '/^$/d')
if [ ${#langs[@]} -gt 0 ]; then
	ok "po/LINGUAS names ${#langs[@]} language(s): ${langs[*]}"
else
	not_ok "po/LINGUAS names no language"
fi

# ---- po/POTFILES.in ----

# every file that marks strings for translation: _(), N_(), C_(), NC_(), ngettext() and
# g_dngettext() in C, translatable="yes" in GtkBuilder files, and the data files that
# i18n.merge_file translates (desktop entries, AppStream metainfo, polkit actions)
mapfile -t listed < <(sed 's/#.*//; s/[[:space:]]*$//; /^$/d' "$po/POTFILES.in")
mapfile -t marked < <(
	cd "$src" &&
	{
		grep -rlE '(^|[^A-Za-z0-9_])(N?C?_|ngettext|g_dngettext)[[:space:]]*\(' \
			--include='*.c' cli daemon gui libroadie nm-plugin
		grep -rl 'translatable="yes"' --include='*.ui' gui nm-plugin
		find data -name '*.desktop.in' -o -name '*.metainfo.xml.in' -o -name '*.policy.in'
	} 2>/dev/null | sort -u)
unlisted=()
for f in "${marked[@]}"; do
	printf '%s\n' "${listed[@]}" | grep -qxF "$f" || unlisted+=("$f")
done
if [ ${#marked[@]} -gt 0 ] && [ ${#unlisted[@]} -eq 0 ]; then
	ok "po/POTFILES.in lists all ${#marked[@]} files with translatable strings"
else
	not_ok "po/POTFILES.in lists every file with translatable strings"
	printf 'not listed: %s\n' "${unlisted[@]}" | diag
fi
gone=()
for f in "${listed[@]}"; do
	[ -f "$src/$f" ] || gone+=("$f")
done
if [ ${#gone[@]} -eq 0 ]; then
	ok "every file in po/POTFILES.in exists"
else
	not_ok "every file in po/POTFILES.in exists"
	printf 'missing: %s\n' "${gone[@]}" | diag
fi

# ---- a fresh template ----

# xgettext as meson's i18n.gettext(preset: 'glib') runs it for `ninja roadie-pot` (mesonbuild
# scripts/gettext.py: -f POTFILES.in -D SOURCE-ROOT -k_ and the preset's arguments). The
# language comes from each file's name: C, Glade for .ui, Desktop for .desktop.in, and the
# ITS rules gettext and the packages ship (metainfo.its, polkit.its) for the XML files.
xgettext_args=(--package-name="$domain" -f "$po/POTFILES.in" -D "$src" -k_
	--from-code=UTF-8 --add-comments
	--keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2
	--keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3
	--flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format
	--flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format
	--flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format
	--flag=g_error_new:3:c-format --flag=g_set_error:4:c-format
	--flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format
	--flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format
	--flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format)
pot=$tmp/$domain.pot
if xgettext "${xgettext_args[@]}" -o "$pot" >"$tmp/xgettext.log" 2>&1 && [ -s "$pot" ]; then
	total=$(msgfmt --statistics -o /dev/null "$pot" 2>&1 | grep -oE '[0-9]+ untranslated' |
		grep -oE '[0-9]+')
	ok "xgettext: a fresh template with ${total:-?} messages"
	diag <"$tmp/xgettext.log"
	# the data files' strings must be in it, or merge_file has nothing to translate them with
	for f in "${listed[@]}"; do
		case $f in
		*.desktop.in | *.metainfo.xml.in | *.policy.in)
			if grep -q "^#: .*$f:" "$pot"; then
				ok "the template has the strings of $f"
			else
				not_ok "the template has the strings of $f (no ITS rules for it?)"
			fi
			;;
		esac
	done
else
	not_ok "xgettext: a fresh template"
	diag <"$tmp/xgettext.log"
	echo "1..$n"
	exit 1
fi

# ---- every language: complete against the fresh template ----

# gettext(1) reads LANGUAGE only outside the C locale: any UTF-8 locale will do (glibc 2.35
# and later, so Debian 12, always have C.UTF-8)
utf8_locale=
for want in de_DE.utf8 en_US.utf8 C.utf8; do
	if locale -a 2>/dev/null | grep -qixF "$want"; then
		utf8_locale=$want
		break
	fi
done

for lang in "${langs[@]}"; do
	file=$po/$lang.po
	if [ ! -f "$file" ]; then
		not_ok "$lang: po/$lang.po exists"
		continue
	fi
	# no fuzzy matching: a changed English string must be translated anew, not guessed
	if ! msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.po" "$file" "$pot" \
		>"$tmp/msgmerge.log" 2>&1; then
		not_ok "$lang: msgmerge with the fresh template"
		diag <"$tmp/msgmerge.log"
		continue
	fi
	if msgfmt --check --check-accelerators=_ --statistics -o "$tmp/$lang.mo" "$tmp/$lang.po" \
		>"$tmp/msgfmt.log" 2>&1; then
		ok "$lang: msgfmt --check --check-accelerators=_"
	else
		not_ok "$lang: msgfmt --check --check-accelerators=_"
	fi
	stats=$(tail -n 1 "$tmp/msgfmt.log")
	if grep -qE '^[0-9]+ translated messages?\.$' <<<"$stats"; then
		ok "$lang: complete ($stats)"
	else
		not_ok "$lang: complete: $stats"
		# which ones, for the translator
		msgattrib --no-wrap --only-fuzzy "$tmp/$lang.po" 2>/dev/null |
			sed -n 's/^msgid "\(..*\)"$/fuzzy: \1/p' | diag
		msgattrib --no-wrap --untranslated --no-obsolete "$tmp/$lang.po" 2>/dev/null |
			sed -n 's/^msgid "\(..*\)"$/untranslated: \1/p' | diag
	fi
	diag <"$tmp/msgfmt.log"
	obsolete=$(msgattrib --only-obsolete "$tmp/$lang.po" 2>/dev/null | grep -c '^#~ msgid' || true)
	if [ "$obsolete" -gt 0 ]; then
		echo "# $lang: $obsolete message(s) no longer in the sources (run ninja roadie-update-po)"
	fi
	if ! grep -qx "\"Language: $lang\\\\n\"" "$file"; then
		not_ok "$lang: the header says Language: $lang"
	else
		ok "$lang: the header says Language: $lang"
	fi

	# the installed layout: LOCALEDIR/LANG/LC_MESSAGES/roadie.mo, as bindtextdomain reads it
	localedir=$tmp/locale
	mkdir -p "$localedir/$lang/LC_MESSAGES"
	cp "$tmp/$lang.mo" "$localedir/$lang/LC_MESSAGES/$domain.mo"
	if [ -z "$utf8_locale" ]; then
		not_ok "$lang: gettext(1) translates (no UTF-8 locale in 'locale -a')"
		continue
	fi
	msgid="Connection details"
	want=$(msggrep --no-wrap -K -e "^$msgid\$" "$tmp/$lang.po" |
		sed -n 's/^msgstr "\(..*\)"$/\1/p' | tail -n 1)
	got=$(env -u LANG -u LC_MESSAGES LC_ALL="$utf8_locale" LANGUAGE="$lang" \
		TEXTDOMAINDIR="$localedir" TEXTDOMAIN="$domain" gettext "$msgid")
	if [ -n "$want" ] && [ "$got" = "$want" ] && [ "$got" != "$msgid" ]; then
		ok "$lang: gettext(1) with LANGUAGE=$lang ($utf8_locale) reads '$got' from $lang/LC_MESSAGES/$domain.mo"
	else
		not_ok "$lang: gettext(1) with LANGUAGE=$lang ($utf8_locale): '$got', wanted '$want'"
	fi
	# the one plural message, through the .mo's Plural-Forms
	singular="%s (%llu packet)"
	plural="%s (%llu packets)"
	one=$(env -u LANG -u LC_MESSAGES LC_ALL="$utf8_locale" LANGUAGE="$lang" \
		TEXTDOMAINDIR="$localedir" ngettext -d "$domain" "$singular" "$plural" 1)
	many=$(env -u LANG -u LC_MESSAGES LC_ALL="$utf8_locale" LANGUAGE="$lang" \
		TEXTDOMAINDIR="$localedir" ngettext -d "$domain" "$singular" "$plural" 5)
	if [ "$one" != "$singular" ] && [ "$many" != "$plural" ] && [ "$one" != "$many" ]; then
		ok "$lang: ngettext(1): '$one', '$many'"
	else
		not_ok "$lang: ngettext(1) translates both forms: '$one', '$many'"
	fi
	if [ "$lang" = de ]; then
		if [ "$got" = Verbindungsdetails ] && [ "$one" = "%s (%llu Paket)" ] &&
			[ "$many" = "%s (%llu Pakete)" ]; then
			ok "de: the German words"
		else
			not_ok "de: the German words: '$got', '$one', '$many'"
		fi
	fi
done

# ---- the data files merged with po/ ----

for f in "${merged[@]}"; do
	for lang in "${langs[@]}"; do
		case $f in
		*.desktop)
			# every translatable key the file has in English, in this language too
			missing=()
			for k in Name GenericName Comment Keywords; do
				grep -q "^$k=" "$f" || continue
				grep -q "^$k\\[$lang\\]=." "$f" || missing+=("$k[$lang]")
			done
			if [ ${#missing[@]} -eq 0 ]; then
				ok "${f##*/}: $(grep -c "^[A-Za-z]*\\[$lang\\]=" "$f") keys in $lang"
			else
				not_ok "${f##*/}: no ${missing[*]}"
			fi
			;;
		*.xml | *.policy)
			count=$(grep -c "xml:lang=\"$lang\"" "$f")
			if [ "$count" -gt 0 ]; then
				ok "${f##*/}: $count elements in $lang"
			else
				not_ok "${f##*/}: no element in $lang"
			fi
			;;
		esac
	done
done

echo "1..$n"
[ "$failures" -eq 0 ]

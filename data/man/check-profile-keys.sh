#!/bin/bash
# Every key of the profile key table (libroadie/profile-keys.c) is described in
# roadie-profile(5), under its group, and the pages have no groff warnings (TAP).
#   check-profile-keys.sh PROFILE-KEYS.C MANDIR
set -u
keys_c=$1 mandir=$2
n=0 fail=0
result() { # STATUS NAME [DIAGNOSTIC]
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; [ -n "${3:-}" ] && echo "# $3"; fi
}

# "group key" for each row of the table, in its order
pairs=$(grep -o '\.group = "[a-z0-9-]*", \.key = "[a-z0-9-]*"' "$keys_c" |
	sed 's/\.group = "\([^"]*\)", \.key = "\([^"]*\)"/\1 \2/')
[ -n "$pairs" ]
result $? /man/profile-keys/table-read "no keys found in $keys_c"
while read -r group key; do
	# the lines of the group's section (.SS [group] up to the next .SS or .SH)
	awk -v g=".SS [$group]" '$0 == g { on = 1; next } /^\.S[SH] / { on = 0 } on' \
		"$mandir/roadie-profile.5" | grep -qxF ".B ${key//-/\\-}"
	result $? "/man/profile-keys/$group.$key" "$group.$key is not described in roadie-profile(5)"
done <<<"$pairs"

for page in roadiectl.1 roadied.8 roadie-profile.5 roadie-applet.1; do
	warnings=$(MANWIDTH=80 man --warnings -l "$mandir/$page" 2>&1 >/dev/null)
	[ -z "$warnings" ]
	result $? "/man/warnings/$page" "$warnings"
done
echo "1..$n"

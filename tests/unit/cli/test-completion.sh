#!/bin/bash
# roadiectl's bash completion (data/completion/roadiectl) completes commands, options and
# profile names (TAP). bash-completion's helpers are replaced by small stand-ins, so the
# package need not be installed.
#   test-completion.sh COMPLETION-FILE
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
_init_completion() {
	words=("${COMP_WORDS[@]}") cword=$COMP_CWORD
	cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]:-}
}
_filedir() { COMPREPLY=(FILES); }
complete() { :; }
# shellcheck source=/dev/null
source "$1"

# expect "LINE" "WANT...": completing LINE (the last word is completed) gives exactly WANT
expect() {
	local line=$1 got
	shift
	read -r -a COMP_WORDS <<<"$line"
	[[ $line == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_roadiectl
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
	want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	n=$((n + 1))
	if [ "$got" = "$want" ]; then
		echo "ok $n /completion/${line// /_}"
	else
		echo "not ok $n /completion/${line// /_}"
		echo "# got '$got', want '$want'"
	fi
}

export XDG_CONFIG_HOME=$tmp/config ROADIE_SYSCONFDIR=$tmp/etc
mkdir -p "$XDG_CONFIG_HOME/roadie/profiles" "$ROADIE_SYSCONFDIR/roadie/profiles"
touch "$XDG_CONFIG_HOME/roadie/profiles/office.conf" "$XDG_CONFIG_HOME/roadie/profiles/home.conf" \
	"$ROADIE_SYSCONFDIR/roadie/profiles/branch.conf" "$ROADIE_SYSCONFDIR/roadie/profiles/branch.secrets"

expect "roadiectl " connect disconnect status monitor profile secret --version --help
expect "roadiectl con" connect
expect "roadiectl connect " office home branch
expect "roadiectl connect o" office
expect "roadiectl connect --no-" --no-ask --no-configure --no-auto-reconnect --no-wait
expect "roadiectl connect --psk-file " FILES
expect "roadiectl connect ./" FILES
expect "roadiectl disconnect " office home branch
expect "roadiectl disconnect --" --all --help
expect "roadiectl status --" --json --help
expect "roadiectl profile " list show import export validate import-nm-l2tp
expect "roadiectl profile show b" branch
expect "roadiectl profile import --" --name --force --help
expect "roadiectl profile import " FILES
expect "roadiectl secret " set clear
expect "roadiectl secret set " office home branch
expect "roadiectl secret set office " ipsec-psk password l2tp-secret ipsec-private-key-password
echo "1..$n"

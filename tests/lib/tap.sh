#!/bin/bash
# TAP output for the shell test scripts (meson protocol 'tap'): source it, call
# result STATUS NAME [FILE...] per check (the files' tails are shown when it failed), and
# tap_plan at the end.
n=0

result() {
	local status=$1 name=$2
	shift 2
	n=$((n + 1))
	if [ "$status" -eq 0 ]; then
		echo "ok $n $name"
	else
		echo "not ok $n $name"
		for f in "$@"; do [ -f "$f" ] && sed "s|^|# $(basename "$f"): |" "$f" | tail -n 40; done
	fi
	return 0
}

tap_plan() {
	echo "1..$n"
}

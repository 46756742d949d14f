#!/bin/bash
# run-fuzz.sh FUZZER CORPUS_DIR SECONDS
# Replays every committed corpus file (regressions first), then fuzzes for SECONDS with new
# inputs kept in a scratch directory, so the committed corpus only changes on purpose.
# A finding is saved under the build directory and fails the test.
set -u
fuzzer=$1 corpus=$2 seconds=$3
name=$(basename "$fuzzer")
work=$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX")
artifacts="$(dirname "$fuzzer")/findings"
mkdir -p "$artifacts"
trap 'rm -rf "$work"' EXIT

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}:abort_on_error=1
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}:halt_on_error=1

n=$(find "$corpus" -type f | wc -l)
echo "$name: replaying $n corpus files from $corpus"
if ! "$fuzzer" -runs=0 -artifact_prefix="$artifacts/$name-" "$corpus" >"$work/replay.log" 2>&1; then
	tail -n 40 "$work/replay.log"
	echo "$name: a committed corpus file fails (see above)"
	exit 1
fi

if [ "$seconds" -gt 0 ]; then
	echo "$name: fuzzing for ${seconds}s"
	if ! "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$artifacts/$name-" \
		"$work" "$corpus" >"$work/fuzz.log" 2>&1; then
		tail -n 60 "$work/fuzz.log"
		echo "$name: FINDING saved in $artifacts/ (add it to $corpus once fixed)"
		exit 1
	fi
	grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added)' "$work/fuzz.log"
fi
echo "$name: no finding"

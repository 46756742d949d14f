#!/bin/bash
# tests/lib/tap-checks.sh: TAP output for the check-list scripts (tests/install, the applet's
# data files): source it, then `ok NAME`, `not_ok NAME` (counted in $failures), `skip NAME
# WHY`, and `... | diag` for the lines that explain a failure; print "1..$n" at the end.
# (tests/lib/tap.sh is the other style: one `result STATUS NAME FILES...` per check.)
n=0
failures=0
ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}
not_ok() {
	n=$((n + 1))
	echo "not ok $n - $1"
	failures=$((failures + 1))
}
skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}
diag() {
	sed 's/^/# /'
}

#!/bin/bash
# snapshot-golden.sh - the text view, the VMA table and the JSON document of each
# committed fixture snapshot (tests/snapshots, recorded by mk-snapshots.sh from real
# processes) are exactly those in tests/expected/snapshots.  Each output starts with
# the command line, so that a diff shows which invocation changed.  TAP.
# To accept a change after checking it: VMLAYOUT_REGOLD=1 make check TESTS=tests/snapshot-golden.sh
. "$top_srcdir/tests/tap.sh"

exp=$top_srcdir/tests/expected/snapshots
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-gold.XXXXXX") || bail_out "mktemp failed"
trap 'rm -rf "$tmp"' EXIT

for snap in threads shm libs; do
	dir=$top_srcdir/tests/snapshots/$snap/
	for view in text:--bytes vmas:--vmas json:--json; do
		name=${view%%:*}
		opt=${view#*:}
		out=$tmp/$snap.$name
		{
			echo "\$ vmlayout $opt tests/snapshots/$snap/"
			(cd "$top_srcdir" && "$VMLAYOUT" $opt "tests/snapshots/$snap/" 2>&1)
			echo "exit $?"
		} >"$out"
		if [ -n "${VMLAYOUT_REGOLD:-}" ]; then
			cp "$out" "$exp/$snap.$name"
		fi
		if diff -u "$exp/$snap.$name" "$out" >"$tmp/diff"; then
			ok 0 "$snap: vmlayout $opt is as expected"
		else
			ok 1 "$snap: vmlayout $opt is as expected"
			diag "$(head -40 "$tmp/diff")"
		fi
	done
done
done_testing

#!/bin/bash
# cover-faults.sh - a failed allocation in each view: the VMA table (streamed, sorted,
# through libsmartcols), --list-columns, the VMA table as JSON, the diagram, the SVG.
#
# tests/faults.sh fails the calls of the text view and --json spread over the whole
# run; this test fails, one run each, every allocation (tests/failinj.so) of the
# last part of a run, where the view is made after the snapshot tests/snapshots/libs
# was read, and every one of --list-columns.  Each outcome must be the report of
# the run without a failure (exit 0, the same bytes), or exit 1, nothing on stdout
# and "Cannot allocate memory" on stderr (of two targets, the first one's report may
# be on stdout: a JSON array of it); never a crash or another status.  A run
# of exit 0 with another report and nothing on stderr is listed in a line of its
# own, marked TODO (an expected failure), as faults.sh does: libsmartcols 2.38
# drops the text of a cell whose realloc() fails while it prints, and returns 0.
# Skipped under AddressSanitizer (its runtime must be the first library).  TAP.
. "$top_srcdir/tests/tap.sh"

[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"
shim=$top_builddir/tests/failinj.so
[ -f "$shim" ] || bail_out "not built: $shim"
grep -q __asan_init "$VMLAYOUT" 2>/dev/null && skip_all "vmlayout is built with AddressSanitizer"
S=$top_srcdir/tests/snapshots/libs
export LC_ALL=C

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-cover-faults.XXXXXX") || bail_out "mktemp failed"
trap 'rm -rf "$tmp"' EXIT

# walk NAME LAST ARGS...: the count of allocations of vmlayout ARGS, then a run with
# each of the last LAST of them failing (LAST 0: all of them).  With two set, ARGS
# name two targets: a run of exit 1 may have printed the first one's report.
two=
walk() {
	local name=$1 last=$2
	shift 2
	"$VMLAYOUT" "$@" >"$tmp/ref" 2>"$tmp/ref.err"
	local ref_rc=$?
	LD_PRELOAD=$shim FAILINJ_FUNC=alloc FAILINJ_COUNT=$tmp/count "$VMLAYOUT" "$@" \
		>/dev/null 2>&1
	local count
	count=$(cat "$tmp/count" 2>/dev/null)
	if [ $ref_rc -ne 0 ] || [ -z "$count" ]; then
		ok 1 "$name: a run without a failure, and the count of its allocations"
		return
	fi
	local n=1 bad= runs=0 failed=0 quiet=
	[ "$last" -gt 0 ] && [ "$count" -gt "$last" ] && n=$((count - last + 1))
	for ((; n <= count; n++)); do
		LD_PRELOAD=$shim FAILINJ_FUNC=alloc FAILINJ_NTH=$n FAILINJ_ERRNO=ENOMEM \
			"$VMLAYOUT" "$@" >"$tmp/out" 2>"$tmp/err"
		local rc=$?
		runs=$((runs + 1))
		if [ $rc -eq 0 ] && cmp -s "$tmp/out" "$tmp/ref" && cmp -s "$tmp/err" "$tmp/ref.err"; then
			continue
		fi
		if [ $rc -eq 0 ] && cmp -s "$tmp/err" "$tmp/ref.err"; then
			quiet="$quiet $n"
			continue
		fi
		failed=$((failed + 1))
		# of two targets, the report of the first may be out: a JSON array of it
		local out_ok=1
		if [ -s "$tmp/out" ]; then
			out_ok=
			[ -n "$two" ] && [ -n "$JQ" ] &&
				"$JQ" -e 'type == "array" and length == 1' "$tmp/out" >/dev/null 2>&1 &&
				out_ok=1
		fi
		if [ $rc -ne 1 ] || [ -z "$out_ok" ] ||
			! grep -q "Cannot allocate memory" "$tmp/err"; then
			[ -z "$bad" ] && bad="call $n: exit $rc, $(wc -c <"$tmp/out") bytes out: $(head -c 200 "$tmp/err")"
		fi
	done
	[ -z "$bad" ]
	ok $? "$name: $runs runs of $count allocations, each the report or a clean error ($failed failed)"
	[ -z "$bad" ] || diag "$bad"
	if [ -n "$quiet" ]; then
		echo "not ok $((tap_n + 1)) - $name: a failed allocation changes the report without a warning (calls$quiet) # TODO: libsmartcols does not tell"
		tap_n=$((tap_n + 1))
	fi
}

walk "--vmas" 24 --vmas "$S"
walk "--vmas --sort SIZE" 24 --vmas --sort SIZE "$S"
walk "-r --sort SIZE" 60 -r --sort SIZE -o START,PATH --role vdso,vsyscall "$S"
walk "-P" 40 -P -o START "$S"
walk "--list-columns" 0 --list-columns
walk "--json --vmas" 16 --json --vmas --sort PATH "$S"
two=1
walk "--json --vmas of two targets" 16 --json --vmas "$S" "$S"
two=
walk "--diagram" 24 --diagram "$S"
walk "--svg" 40 --svg "$S"
done_testing

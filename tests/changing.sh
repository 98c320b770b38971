#!/bin/bash
# changing.sh - vmlayout on processes that change while it reads them
#
# churn (tests/churn.c) maps, unmaps, mprotects and moves its brk from two threads
# without pause; exiter (tests/exiter.c) exits at a random moment, with threads that
# exit before it.  vmlayout runs on them a few hundred times, back to back (nothing
# waits for anything: the races are whatever the scheduler makes of them).  Every run
# must end in one of two ways:
#   exit 0, nothing on stderr but nothing either that is not a "warning", and on
#          stdout a complete report: for --json one JSON document passing
#          tests/consistent.jq (VMAs sorted and disjoint; totals, regions, roles and
#          objects each the sum of their VMAs); for the text view, the region table's
#          "total" line;
#   exit 1 with exactly "vmlayout: PID N: the process has exited" or
#          "vmlayout: PID N: no such process" on stderr and nothing on stdout.
# Never a crash (exit >= 128), never half a report.  The number of runs is fixed
# (RUNS_CHURN, RUNS_TEXT, RUNS_EXIT); on a slow machine the runs are cut short once the
# script has worked for CHANGING_BUDGET seconds (20: 12 on churn, the rest on exiter),
# but never below 20 of each kind: the checks hold for however many runs are made.
# TAP.  Needs jq ($JQ).
. "$top_srcdir/tests/tap.sh"

[ -n "$JQ" ] || skip_all "jq not found"
[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"
churn=$top_builddir/tests/churn
exiter=$top_builddir/tests/exiter
[ -x "$churn" ] && [ -x "$exiter" ] || bail_out "tests/churn or tests/exiter not built"

RUNS_CHURN=${RUNS_CHURN:-150}
RUNS_TEXT=${RUNS_TEXT:-50}
RUNS_EXIT=${RUNS_EXIT:-200}
BUDGET=${CHANGING_BUDGET:-20}
CHECK=$top_srcdir/tests/consistent.jq

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-changing.XXXXXX") || bail_out "mktemp failed"
churn_pid=
cleanup() {
	[ -n "$churn_pid" ] && kill "$churn_pid" 2>/dev/null && wait "$churn_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
SECONDS=0

# judge KIND PID RC OUT ERR: prints nothing when the run is acceptable, else why.
judge() {
	local kind=$1 pid=$2 rc=$3 out=$4 err=$5 bad
	if [ "$rc" -ge 128 ]; then
		echo "crashed (exit $rc): $(head -c 300 "$err")"
	elif [ "$rc" -eq 0 ]; then
		if grep -v "^vmlayout: PID $pid: warning: " "$err" | grep -q .; then
			echo "exit 0 with stderr: $(head -c 300 "$err")"
		elif [ "$kind" = json ]; then
			bad=$("$JQ" -c -f "$CHECK" "$out" 2>&1) || bad="not JSON: $bad"
			[ "$bad" = "[]" ] || echo "inconsistent: $bad"
		elif ! grep -q '^total ' "$out"; then
			echo "text view without its total line ($(wc -c <"$out") bytes)"
		fi
	elif [ "$rc" -eq 1 ]; then
		if [ -s "$out" ]; then
			echo "exit 1 with $(wc -c <"$out") bytes on stdout"
		elif ! grep -qxE "vmlayout: PID $pid: (the process has exited|no such process|a zombie \(no address space\))" "$err" ||
			[ "$(wc -l <"$err")" -ne 1 ]; then
			echo "exit 1: $(head -c 300 "$err")"
		fi
	else
		echo "exit $rc: $(head -c 300 "$err")"
	fi
}

# ---------------------------------------------------------------- churn
coproc CH { exec "$churn"; }
churn_pid=$CH_PID
read -r _ pid <&"${CH[0]}" && read -r ready <&"${CH[0]}" && [ "$ready" = ready ] ||
	bail_out "churn did not start"

for kind in json text; do
	runs=$RUNS_CHURN
	[ $kind = text ] && runs=$RUNS_TEXT
	n=0 good=0 fails=0 inconsistent_reads=0 first=
	while [ $n -lt "$runs" ] && { [ $n -lt 20 ] || [ $SECONDS -lt $((BUDGET * 6 / 10)) ]; }; do
		n=$((n + 1))
		if [ $kind = json ]; then
			"$VMLAYOUT" --json "$pid" >"$tmp/out" 2>"$tmp/err"
		else
			"$VMLAYOUT" "$pid" >"$tmp/out" 2>"$tmp/err"
		fi
		rc=$?
		why=$(judge $kind "$pid" $rc "$tmp/out" "$tmp/err")
		if [ -n "$why" ]; then
			fails=$((fails + 1))
			[ -z "$first" ] && first="run $n: $why" && cp "$tmp/out" "$tmp/first.out"
		elif [ $rc -eq 0 ]; then
			good=$((good + 1))
			[ $kind = json ] && [ "$("$JQ" .consistent "$tmp/out")" = false ] &&
				inconsistent_reads=$((inconsistent_reads + 1))
		fi
	done
	ok $((fails != 0)) "churn, $kind: $n runs, every one a complete consistent report or a clean error"
	[ -n "$first" ] && diag "$fails bad runs; first: $first"
	ok $((good == 0)) "churn, $kind: the process was analysed ($good of $n runs)"
	[ $kind = json ] && diag "$inconsistent_reads reports said smaps could not be read consistently"
done
exec {CH[1]}>&-
wait "$churn_pid"
ok $? "churn exits 0 at end of file on stdin"
churn_pid=

# ---------------------------------------------------------------- exiter
n=0 fails=0 first= exited=0 good=0
while [ $n -lt "$RUNS_EXIT" ] && { [ $n -lt 20 ] || [ $SECONDS -lt "$BUDGET" ]; }; do
	n=$((n + 1))
	kind=json
	[ $((n % 4)) -eq 0 ] && kind=text
	"$exiter" $n &
	epid=$!
	if [ $kind = json ]; then
		"$VMLAYOUT" --json "$epid" >"$tmp/out" 2>"$tmp/err"
	else
		"$VMLAYOUT" "$epid" >"$tmp/out" 2>"$tmp/err"
	fi
	rc=$?
	wait "$epid"
	why=$(judge $kind "$epid" $rc "$tmp/out" "$tmp/err")
	if [ -n "$why" ]; then
		fails=$((fails + 1))
		[ -z "$first" ] && first="run $n ($kind): $why"
	elif [ $rc -eq 0 ]; then
		good=$((good + 1))
	else
		exited=$((exited + 1))
	fi
done
ok $((fails != 0)) "exiter: $n runs, every one a complete consistent report or exactly 'has exited'/'no such process' with nothing on stdout"
[ -n "$first" ] && diag "$fails bad runs; first: $first"
diag "exiter: $good reports, $exited clean 'exited' errors"
# both outcomes must have been seen for the test to mean something; a machine where
# one never happens gets a diagnostic, not a failure (the outcome is the scheduler's)
[ $good -gt 0 ] && [ $exited -gt 0 ] || diag "only one outcome was seen"
done_testing

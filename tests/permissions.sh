#!/bin/bash
# permissions.sh - vmlayout without full access to the process
#
#   another user's process   as nobody (setpriv, when run as root) against a process of
#                            root: exit 1, "permission denied ... ptrace read access",
#                            nothing on stdout
#   own process              as nobody against nobody's own process: a report (exit 0)
#   smaps readable,          root without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH
#   syscall not              against a process of nobody: smaps is mode 0444 and ptrace
#                            access is granted by CAP_SYS_PTRACE, but task/TID/syscall
#                            is mode 0400 and owned by nobody, so it cannot be read:
#                            a report (exit 0) whose warnings say the thread stacks are
#                            unknown.  (Yama's ptrace_scope 1 makes the same split for
#                            an ordinary user: smaps needs ptrace read access, syscall
#                            attach access.)
#   running threads          tests/churn's threads are always running: their syscall
#                            file says "running", and the report says their stacks are
#                            unknown
#   PID 1                    a report, or a clear error naming PID 1 and nothing on stdout
# Every report is checked with tests/consistent.jq.  The parts that need root (or
# another user) are skipped without them.
# TAP.  Needs jq ($JQ).
. "$top_srcdir/tests/tap.sh"

[ -n "$JQ" ] || skip_all "jq not found"
[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-perm.XXXXXX") || bail_out "mktemp failed"
chmod 755 "$tmp"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

consistent() {	# DESCRIPTION FILE
	local bad
	bad=$("$JQ" -c -f "$top_srcdir/tests/consistent.jq" "$2" 2>&1)
	ok $([ "$bad" = "[]" ]; echo $?) "$1"
	[ "$bad" = "[]" ] || diag "$bad"
}

as_nobody=
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
	grp=$(id -gn nobody)
	as_nobody="setpriv --reuid=nobody --regid=$grp --clear-groups"
	$as_nobody "$VMLAYOUT" --version >/dev/null 2>&1 || as_nobody=
fi

# ---------------------------------------------------------------- another user's process
if [ -n "$as_nobody" ]; then
	sleep 300 &
	rootpid=$!
	pids+=($rootpid)
	$as_nobody "$VMLAYOUT" --json $rootpid >"$tmp/out" 2>"$tmp/err"
	rc=$?
	ok $([ $rc -eq 1 ]; echo $?) "nobody on root's process: exit 1 (got $rc)"
	ok $([ ! -s "$tmp/out" ]; echo $?) "nobody on root's process: nothing on stdout"
	grep -qx "vmlayout: PID $rootpid: permission denied: .*ptrace read access.*" "$tmp/err"
	ok $? "nobody on root's process: the message says permission denied and why"
	[ -s "$tmp/err" ] && diag "$(cat "$tmp/err")"
	$as_nobody "$VMLAYOUT" $rootpid >"$tmp/out" 2>"$tmp/err"
	ok $([ $? -eq 1 ] && [ ! -s "$tmp/out" ]; echo $?) "nobody on root's process, text view: exit 1, nothing on stdout"

	# own process
	$as_nobody sleep 300 &
	npid=$!
	pids+=($npid)
	# until setpriv has exec'd sleep (comm: readable without ptrace access, which
	# root lacks on another user's process without CAP_SYS_PTRACE, in a container)
	for _ in $(seq 500); do
		[ "$(cat /proc/$npid/comm 2>/dev/null)" = sleep ] && break
		sleep 0.01
	done
	$as_nobody "$VMLAYOUT" --json $npid >"$tmp/own" 2>"$tmp/err"
	ok $? "nobody on its own process: exit 0"
	consistent "nobody on its own process: consistent report" "$tmp/own"

	# smaps readable, task/TID/syscall not
	nodac="setpriv --inh-caps=-dac_override,-dac_read_search --bounding-set=-dac_override,-dac_read_search"
	if $nodac true 2>/dev/null; then
		if $nodac cat /proc/$npid/task/$npid/syscall >/dev/null 2>&1; then
			skip "smaps readable, syscall not" "syscall still readable without CAP_DAC_*"
		elif ! $nodac cat /proc/$npid/smaps >/dev/null 2>&1; then
			# root without CAP_SYS_PTRACE (a container) may not read it either
			skip "smaps readable, syscall not" "smaps not readable without CAP_DAC_*"
		else
			$nodac "$VMLAYOUT" --json $npid >"$tmp/nodac" 2>"$tmp/err"
			ok $? "without CAP_DAC_*: exit 0 (smaps is readable)"
			consistent "without CAP_DAC_*: consistent report" "$tmp/nodac"
			"$JQ" -e '[.warnings[] | select(test("thread stacks unknown"))] | length == 1' \
				"$tmp/nodac" >/dev/null
			ok $? "without CAP_DAC_*: a warning says the thread stacks are unknown"
			"$JQ" -e '[.warnings[] | select(test("permission|EACCES|access"; "i"))] | length >= 1' \
				"$tmp/nodac" >/dev/null
			ok $? "without CAP_DAC_*: the warning says why (permission)"
			"$JQ" -e '.threads | length >= 1 and all(.stack_pointer == null)' "$tmp/nodac" >/dev/null
			ok $? "without CAP_DAC_*: no thread has a stack pointer"
		fi
	else
		skip "smaps readable, syscall not" "setpriv cannot drop capabilities"
	fi
else
	skip "another user's process" "needs root and the user nobody"
	skip "own process of another user" "needs root and the user nobody"
	skip "smaps readable, syscall not" "needs root and the user nobody"
fi

# ---------------------------------------------------------------- running threads
churn=$top_builddir/tests/churn
if [ -x "$churn" ]; then
	coproc CH { exec "$churn"; }
	pids+=($CH_PID)
	read -r _ cpid <&"${CH[0]}" && read -r _ <&"${CH[0]}"
	"$VMLAYOUT" --json "$cpid" >"$tmp/churn" 2>"$tmp/err"
	ok $? "running threads: exit 0"
	consistent "running threads: consistent report" "$tmp/churn"
	"$JQ" -e '([.threads[] | select(.stack_pointer == null)] | length) as $n
		  | $n == 0 or ([.warnings[] | select(test("thread stacks unknown for \($n) of"))] | length == 1)' \
		"$tmp/churn" >/dev/null
	ok $? "running threads: each thread without a stack pointer is counted in a warning"
	exec {CH[1]}>&-
	wait "$CH_PID"
else
	skip "running threads" "tests/churn not built"
fi

# ---------------------------------------------------------------- PID 1
"$VMLAYOUT" --json 1 >"$tmp/init" 2>"$tmp/err"
rc=$?
if [ $rc -eq 0 ]; then
	ok 0 "PID 1: a report"
	consistent "PID 1: consistent report" "$tmp/init"
else
	ok $([ $rc -eq 1 ] && [ ! -s "$tmp/init" ] && grep -q '^vmlayout: PID 1[: ]' "$tmp/err"; echo $?) \
		"PID 1: exit 1, a message naming PID 1, nothing on stdout"
	diag "$(cat "$tmp/err")"
fi
if [ -n "$as_nobody" ]; then
	$as_nobody "$VMLAYOUT" --json 1 >"$tmp/init" 2>"$tmp/err"
	rc=$?
	ok $([ $rc -eq 1 ] && [ ! -s "$tmp/init" ] && grep -q '^vmlayout: PID 1: permission denied' "$tmp/err"; echo $?) \
		"PID 1 as nobody: permission denied, nothing on stdout"
fi
done_testing

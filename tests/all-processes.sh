#!/bin/bash
# all-processes.sh - vmlayout --json on every process of the system: a user process
# gives exit 0, nothing on stderr but warnings ("vmlayout: PID N: warning: ...") and
# a schema 1 document; a kernel thread exit 1 and exactly
# "vmlayout: PID N: kernel thread: it has no user address space"; a process that
# ends meanwhile the "has exited" or "no such process" message, a zombie "a zombie
# (no address space)"; a
# process we may not read (another user's, or one holding capabilities we lack) the
# permission message.  Whatever the error, nothing on stdout.  One TAP line per
# process: the count varies.
# TAP.  Needs jq ($JQ) to check the documents; without it only exit status and stderr.
. "$top_srcdir/tests/tap.sh"

[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-all.XXXXXX") || bail_out "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

PF_KTHREAD=$((0x00200000))

# proc_flags PID: field 9 (flags) of /proc/PID/stat, or nothing if it is gone.  The
# command name (field 2) may hold spaces and parentheses: split after the last ')'.
proc_flags() {
	local s rest
	{ s=$(<"/proc/$1/stat"); } 2>/dev/null || return 1
	rest=${s##*) }
	set -- $rest	# state ppid pgrp session tty_nr tpgid flags ...
	echo "$7"
}
proc_state() {
	local s rest
	{ s=$(<"/proc/$1/stat"); } 2>/dev/null || return 1
	rest=${s##*) }
	echo "${rest%% *}"
}

# Do we lack ptrace read access to PID?  Opening maps checks it (EACCES).  Root can
# lack it too: a process with a capability that we do not have (PID 1 in a container).
no_access() {
	! { : <"/proc/$1/maps"; } 2>/dev/null && [ -e "/proc/$1/maps" ]
}

errors=0 errors_with_stdout=0
for d in /proc/[0-9]*; do
	pid=${d#/proc/}
	# what the process is, before the run (a kernel thread stays one)
	flags=$(proc_flags "$pid") || flags=
	kthread=0
	if [ -n "$flags" ] && (((flags & PF_KTHREAD) != 0)); then
		kthread=1
	fi

	"$VMLAYOUT" --json "$pid" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	err=$(cat "$tmp/err")
	if [ $rc -ne 0 ]; then
		errors=$((errors + 1))
		[ -s "$tmp/out" ] && errors_with_stdout=$((errors_with_stdout + 1))
	fi

	if [ $kthread = 1 ]; then
		test $rc -eq 1 && [ "$err" = "vmlayout: PID $pid: kernel thread: it has no user address space" ]
		ok $? "PID $pid: kernel thread: exit 1, the kernel-thread message"
	elif [ $rc -eq 1 ] && [ "$err" = "vmlayout: PID $pid: a zombie (no address space)" ]; then
		state=$(proc_state "$pid") || state=gone
		case $state in
		gone | Z | X) ok 0 "PID $pid: a zombie ($state): exit 1, \"$err\"" ;;
		*)
			ok 1 "PID $pid: says it is a zombie but is in state $state"
			diag "$err"
			;;
		esac
	elif [ $rc -eq 1 ] && { [ "$err" = "vmlayout: PID $pid: the process has exited" ] ||
		[ "$err" = "vmlayout: PID $pid: no such process" ]; }; then
		state=$(proc_state "$pid") || state=gone
		# a process in exit() has no address space before it is a zombie
		case $state in gone | Z | X) ;; *) sleep 0.5; state=$(proc_state "$pid") || state=gone ;; esac
		case $state in
		gone | Z | X) ok 0 "PID $pid: ended meanwhile ($state): exit 1, \"$err\"" ;;
		*)
			ok 1 "PID $pid: says it has exited but is in state $state"
			diag "$err"
			;;
		esac
	elif [ $rc -eq 1 ] && no_access "$pid"; then
		[ "$err" = "vmlayout: PID $pid: permission denied: reading smaps needs ptrace read access (run as the process's owner or root)" ]
		ok $? "PID $pid: not ours: exit 1, the permission message"
	else
		good=1
		[ $rc -eq 0 ] || good=0
		! grep -qv "^vmlayout: PID $pid: warning: " "$tmp/err" || good=0
		if [ $good = 1 ] && [ -n "$JQ" ]; then
			"$JQ" -e '.schema == 1 and .process.pid == $p' --argjson p "$pid" \
				"$tmp/out" >/dev/null 2>&1 || good=0
		fi
		[ $good = 1 ]
		ok $? "PID $pid ($(cat "/proc/$pid/comm" 2>/dev/null)): exit 0, no stderr but warnings, schema 1"
		[ $good = 1 ] || diag "exit $rc: $err"
	fi
done

test $errors_with_stdout -eq 0
ok $? "nothing on stdout for any of the $errors runs that failed"

# And one error for certain: a PID that cannot exist (above pid_max).
pid_max=$(</proc/sys/kernel/pid_max)
"$VMLAYOUT" --json $((pid_max + 1)) >"$tmp/out" 2>"$tmp/err"
rc=$?
test $rc -eq 1 && test ! -s "$tmp/out" &&
	[ "$(cat "$tmp/err")" = "vmlayout: PID $((pid_max + 1)): no such process" ]
ok $? "PID above pid_max: exit 1, no such process, nothing on stdout"
done_testing

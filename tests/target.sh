# target.sh - sourced by the tests that drive the layout target (tests/target.c) or
# another program that prints lines and then "ready".
#
# target_setup NAME      $tmp: a new temporary directory; on exit the target is
#                        stopped and $tmp removed
# start_target PROGRAM [ARG...]
#                        start PROGRAM (TMPDIR=$tmp) as a coprocess and read its lines
#                        until "ready" (60 s at most): "NAME ADDR LEN EXTRA" lines
#                        fill addr[NAME], len[NAME] and extra[NAME];
#                        "thread_stack ADDR TID" gives len 1 and extra
#                        TID; "exe PATH" sets exe.  Sets target_pid; waits (10 s
#                        at most) until its threads are blocked.  Returns 1 when
#                        no "ready" came.
# stop_target            end of file on its stdin, on which the target exits 0 (it
#                        removes its files); waits, and returns its exit status
# jqok DESC FILE EXPR [jq options...]
#                        one TAP line, ok when jq -e "$JQDEFS EXPR" holds on FILE;
#                        on failure jq's message and the start of FILE as diagnostics
# wait_blocked PID       wait (10 s at most) until every thread of PID is blocked, so
#                        that two reads of it see the same stack pointers (a running
#                        thread has none to read); 1 when they never were
# target_step COMMAND    one command to the target (tests/grower.c), its answer
#                        "done" (60 s at most), then wait_blocked; 1 otherwise
# make_zombie            a zombie: the child of a sleep that never waits for it;
#                        sets zombie (its PID; empty when none came in 6 s) and
#                        zombie_parent (the sleep: kill it when done)
declare -A addr len extra
target_pid=

target_setup() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-$1.XXXXXX") || bail_out "mktemp failed"
	trap target_cleanup EXIT
	trap 'exit 1' INT TERM HUP
}

target_cleanup() {
	[ -n "$target_pid" ] && stop_target
	rm -rf "$tmp"
}

start_target() {
	local line name a more l x
	addr=() len=() extra=()
	coproc TGT { TMPDIR=$tmp exec "$@"; }
	target_pid=$TGT_PID
	target_in=${TGT[1]}
	# a bounded wait for the lines, not a synchronisation by time
	while IFS= read -r -t 60 -u "${TGT[0]}" line; do
		if [ "$line" = ready ]; then
			# a thread still running has no stack pointer to read (a warning
			# says so): start from a target whose threads are all blocked
			wait_blocked "$target_pid"
			return 0
		fi
		read -r name a more <<<"$line"
		read -r l x <<<"$more"
		addr[$name]=$a
		case $name in
		pid) [ "$a" = "$target_pid" ] || diag "target says pid $a, coproc is $target_pid" ;;
		exe) exe=${line#exe } ;;
		thread_stack) len[$name]=1 extra[$name]=$l ;;	# ADDR TID
		*) len[$name]=$l extra[$name]=$x ;;
		esac
	done
	return 1
}

stop_target() {
	eval "exec $target_in>&-"
	wait "$target_pid" 2>/dev/null
	local rc=$?
	target_pid=
	return $rc
}

jqok() {
	local desc=$1 file=$2 expr=$3
	shift 3
	"$JQ" -e "$@" "${JQDEFS:-} $expr" "$file" >/dev/null 2>"$tmp/jq.err"
	local rc=$?
	ok $rc "$desc"
	if [ $rc -ne 0 ]; then
		[ -s "$tmp/jq.err" ] && diag "$(cat "$tmp/jq.err")"
		diag "$(head -c 600 "$file")"
	fi
	return $rc
}

wait_blocked() {
	local i t busy
	for ((i = 0; i < 1000; i++)); do
		busy=0
		for t in /proc/"$1"/task/*/syscall; do
			[ "$(cut -d' ' -f1 "$t" 2>/dev/null)" = running ] && busy=1
		done
		[ $busy = 0 ] && return 0
		sleep 0.01
	done
	return 1
}

target_step() {
	local line
	echo "$1" >&"$target_in"
	IFS= read -r -t 60 -u "${TGT[0]}" line
	[ "$line" = done ] || { diag "target: $1: $line"; return 1; }
	wait_blocked "$target_pid"
}

make_zombie() {
	local i
	(sleep 0 & exec sleep 1000) &
	zombie_parent=$!
	for ((i = 0; i < 600; i++)); do
		zombie=$(pgrep -P "$zombie_parent" | head -n 1)
		[ -n "$zombie" ] &&
			[ "$(awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$zombie/stat" 2>/dev/null)" = Z ] &&
			return 0
		sleep 0.01
	done
	zombie=
	return 1
}

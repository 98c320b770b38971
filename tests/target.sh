# target.sh - sourced by the tests that drive the layout target (tests/target.c) or
# another program that prints lines and then "ready".
#
# target_setup NAME      $tmp: a new temporary directory; on exit the target is
#                        stopped and $tmp removed
# start_target PROGRAM   start PROGRAM (TMPDIR=$tmp) as a coprocess and read its lines
#                        until "ready" (60 s at most): "NAME ADDR REST" lines fill
#                        addr[NAME]=ADDR and rest[NAME]=REST; sets target_pid.
#                        Returns 1 when no "ready" came.
# stop_target            stop it (SIGTERM) and wait for it
# wait_blocked PID       wait (10 s at most) until every thread of PID is blocked, so
#                        that two reads of it see the same stack pointers (a running
#                        thread has none to read); 1 when they never were
declare -A addr rest
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
	local name a more
	addr=()
	rest=()
	coproc TGT { TMPDIR=$tmp exec "$1"; }
	target_pid=$TGT_PID
	while read -r -t 60 -u "${TGT[0]}" name a more; do
		[ "$name" = ready ] && return 0
		addr[$name]=$a
		rest[$name]=$more
	done
	return 1
}

stop_target() {
	kill -TERM "$target_pid" 2>/dev/null
	wait "$target_pid" 2>/dev/null
	target_pid=
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

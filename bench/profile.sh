#!/bin/sh
# profile.sh - where vmlayout spends its time on a process with many VMAs.
#
#	bench/profile.sh [-n N] [-k TOP] [-o DIR] VMLAYOUT MKVMAS
#
# Starts MKVMAS N (default 60000; see bench/mkvmas.c), then for the text view and the
# JSON view (VMLAYOUT PID, VMLAYOUT --json PID):
#   - runs it under valgrind --tool=callgrind and prints the TOP (default 15) functions by
#     instructions executed in user space, inclusive (the function and what it calls) and
#     self (the function alone), from callgrind_annotate;
#   - when perf works here, runs it under perf record and prints the TOP symbols by
#     samples, user space and kernel together (the kernel's share is mostly producing
#     smaps).  The event is "instructions" when "perf stat -e instructions true" counts
#     it, else the software event "cpu-clock" (virtual machines often have no hardware
#     counters); perf is skipped when neither works.
# The profiles are kept in DIR (default: a new directory under ${TMPDIR:-/tmp}), for
# callgrind_annotate, kcachegrind or perf report.  Build vmlayout with -g (the default
# CFLAGS, -g -O2, do) so that the functions have names.
#
# "make bench-profile" runs it on the built src/vmlayout.
set -eu

n=60000
top=15
out=
usage() {
	echo "Usage: $0 [-n N] [-k TOP] [-o DIR] VMLAYOUT MKVMAS" >&2
	exit 64
}
while getopts n:k:o:h opt; do
	case $opt in
	n) n=$OPTARG ;;
	k) top=$OPTARG ;;
	o) out=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 2 ] || usage
vmlayout=$1
mkvmas=$2
case $vmlayout in */*) ;; *) vmlayout=./$vmlayout ;; esac
case $mkvmas in */*) ;; *) mkvmas=./$mkvmas ;; esac

for tool in valgrind callgrind_annotate; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "$0: $tool is needed (Debian: apt-get install valgrind)" >&2
		exit 1
	}
done

if [ -z "$out" ]; then
	out=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-profile.XXXXXX")
else
	mkdir -p "$out"
fi

# mkvmas waits for end of file on its stdin: hold a FIFO open on fd 3 until the end.
fifo=$out/mkvmas.stdin
rm -f "$fifo"
mkfifo "$fifo"
"$mkvmas" "$n" <"$fifo" >"$out/mkvmas.ready" &
mkpid=$!
exec 3>"$fifo"
cleanup() {
	exec 3>&-
	wait "$mkpid" 2>/dev/null || :
	rm -f "$fifo"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

tries=0
until [ -s "$out/mkvmas.ready" ]; do
	kill -0 "$mkpid" 2>/dev/null || { echo "$0: $mkvmas $n failed" >&2; exit 1; }
	tries=$((tries + 1))
	[ "$tries" -lt 600 ] || { echo "$0: $mkvmas $n is not ready" >&2; exit 1; }
	sleep 0.1
done
read -r _ pid vmas <"$out/mkvmas.ready"

# The perf event to use, or nothing.
event=
if command -v perf >/dev/null 2>&1; then
	for ev in instructions cpu-clock; do
		if perf stat -x, -e "$ev" true 2>&1 >/dev/null | grep -q "^[0-9.]*,.*$ev"; then
			event=$ev
			break
		fi
	done
fi

# callgrind_annotate's function lines, shortened: the count, the percentage, then
# file:function [object] with the directories left out.  The start-up frames that
# enclose main() (the dynamic loader's entry, __libc_start_main, "below main") are left
# out: inclusively they are always 100%.
top_functions() {
	callgrind_annotate --threshold=100 --auto=no "$@" |
		awk '/file:function/ { getline; on = 1; next } on && NF' |
		grep -v -e '(below main)' -e '__libc_start_main' -e '???:0x' |
		sed -e 's|\(%)  \)[^ ]*/\([^/ ]*:\)|\1\2|' -e 's|\[[^]]*/\([^]/]*\)\]$|[\1]|' |
		head -n "$top"
}

echo "vmlayout profile: $vmlayout on mkvmas $n (pid $pid, $vmas VMAs); files in $out"
for mode in text json; do
	set -- "$pid"
	[ "$mode" = text ] || set -- --json "$pid"
	cg=$out/callgrind.$mode.out
	valgrind --tool=callgrind --callgrind-out-file="$cg" "$vmlayout" "$@" \
		>/dev/null 2>"$out/callgrind.$mode.log" || {
		echo "$0: valgrind $vmlayout $*: failed, see $out/callgrind.$mode.log" >&2
		exit 1
	}
	total=$(sed -n 's/^summary: *//p' "$cg")
	echo
	echo "== $mode view ($vmlayout $*): $total instructions in user space (callgrind)"
	echo "-- top $top, inclusive"
	top_functions --inclusive=yes "$cg"
	echo "-- top $top, self"
	top_functions --inclusive=no "$cg"

	[ -n "$event" ] || continue
	pd=$out/perf.$mode.data
	if perf record -q -e "$event" -F 20000 -o "$pd" -- "$vmlayout" "$@" \
		>/dev/null 2>"$out/perf.$mode.log"; then
		echo "-- perf samples ($event) by object"
		perf report -i "$pd" --stdio --sort dso 2>/dev/null |
			grep -v -e '^#' -e '^$' | head -n 4
		echo "-- top $top by perf samples ($event; user space and kernel)"
		perf report -i "$pd" --stdio --sort dso,sym 2>/dev/null |
			grep -v -e '^#' -e '^$' | head -n "$top"
	else
		echo "-- perf record failed: see $out/perf.$mode.log"
	fi
done
[ -n "$event" ] || echo "(perf left out: no perf, or it counts neither instructions nor cpu-clock here)"

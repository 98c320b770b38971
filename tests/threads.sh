#!/bin/bash
# threads.sh - vmlayout reads one process on one thread.  On a process of 5000 VMAs
# (bench/mkvmas; its smaps takes several reads), strace -f sees no clone(2) or
# clone3(2) beyond those of "vmlayout --version" (a sanitiser's runtime starts threads
# of its own) for the text view, --json, --vmas and --save; and the live read is
# whole.  Skipped when strace is missing or cannot trace here.  TAP.
. "$top_srcdir/tests/tap.sh"

mk=$top_builddir/bench/mkvmas
[ -x "$mk" ] || bail_out "not built: $mk"
command -v strace >/dev/null 2>&1 || skip_all "strace is not installed"
strace -f -qq -e trace=none true >/dev/null 2>&1 || skip_all "strace cannot trace here"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-threads.XXXXXX") || bail_out "mktemp failed"
mkpid=
cleanup() {
	[ -n "$mkpid" ] && kill "$mkpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# mkvmas holds its VMAs until its standard input ends
coproc MK { exec "$mk" -t 300 -d "$tmp" 5000 2>&1; }
mkpid=$MK_PID
read -r word pid vmas <&"${MK[0]}"
[ "$word" = ready ] || bail_out "mkvmas did not start: $word $pid $vmas"
diag "mkvmas: PID $pid, $vmas VMAs"

# The clone(2) and clone3(2) calls of a command and of the children it forks.
# LeakSanitizer cannot work under ptrace (a sanitised build would fail at exit).
clones() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -f -qq -e trace=clone,clone3 -o "$tmp/strace" "$@" >/dev/null 2>"$tmp/err"
	local rc=$?
	grep -c 'clone' "$tmp/strace"
	return $rc
}

base=$(clones "$VMLAYOUT" --version)
ok $? "vmlayout --version under strace: exit 0 ($base clone calls)"
for view in "" --json --vmas "--save $tmp/snap"; do
	# shellcheck disable=SC2086
	n=$(clones "$VMLAYOUT" $view "$pid")
	r=$?
	[ $r -eq 0 ] && [ "$n" -eq "$base" ]
	ok $? "vmlayout $view PID: exit $r, $((n - base)) threads started"
done

# the live process: at least the VMAs mkvmas made (a runtime such as ASan's may map
# more meanwhile), so not cut short at the end of a read
"$VMLAYOUT" --json --rollup "$pid" >"$tmp/live" 2>"$tmp/err"
r=$?
if [ -n "$JQ" ]; then
	[ $r -eq 0 ] && "$JQ" -e --argjson n "$vmas" \
		'(.vmas | length) >= $n and .rollup != null' "$tmp/live" >/dev/null
else
	[ $r -eq 0 ] && [ "$(grep -o '"start":' "$tmp/live" | wc -l)" -ge "$vmas" ]
fi
ok $? "--json: the live process read whole (exit $r)"
"$VMLAYOUT" --vmas --noheadings "$pid" >"$tmp/table" 2>"$tmp/err"
r=$?
[ $r -eq 0 ] && [ "$(wc -l <"$tmp/table")" -ge "$vmas" ]
ok $? "--vmas: a row for each of the $vmas VMAs at least (exit $r, $(wc -l <"$tmp/table") rows)"

exec {MK[1]}>&-
wait "$mkpid" 2>/dev/null
mkpid=
done_testing

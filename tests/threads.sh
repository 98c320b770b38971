#!/bin/bash
# threads.sh - the threads change nothing in the output.  A process of 5000 VMAs
# (bench/mkvmas), saved once, gives byte for byte the same text view, JSON document
# and VMA tables with VMLAYOUT_THREADS=1 (everything on one thread) as with
# VMLAYOUT_THREADS=2 (above 2048 VMAs the second renderer);
# a live read works either way; strace sees the threads started or not.  TAP.
. "$top_srcdir/tests/tap.sh"

mk=$top_builddir/bench/mkvmas
[ -x "$mk" ] || bail_out "not built: $mk"
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

"$VMLAYOUT" --save "$tmp/snap" "$pid" >/dev/null 2>"$tmp/err"
ok $? "--save of the $vmas-VMA process"

for view in "" --json --vmas "--vmas --output-all" "--vmas --json" "--vmas --bytes --sort rss" \
	"--vmas --role anon --noheadings"; do
	# shellcheck disable=SC2086
	VMLAYOUT_THREADS=1 "$VMLAYOUT" $view "$tmp/snap/" >"$tmp/one" 2>"$tmp/err1"
	r1=$?
	# shellcheck disable=SC2086
	VMLAYOUT_THREADS=2 "$VMLAYOUT" $view "$tmp/snap/" >"$tmp/two" 2>"$tmp/err2"
	r2=$?
	[ $r1 -eq 0 ] && [ $r2 -eq 0 ] && [ -s "$tmp/one" ] && cmp -s "$tmp/one" "$tmp/two"
	ok $? "vmlayout $view: one thread and threads write the same $(wc -c <"$tmp/one") bytes"
done

# the live process: at least the VMAs mkvmas made (a runtime such as ASan's may map
# more meanwhile), so not cut short at the end of a read
for n in 1 2; do
	VMLAYOUT_THREADS=$n "$VMLAYOUT" --json "$pid" >"$tmp/live" 2>"$tmp/err"
	r=$?
	if [ -n "$JQ" ]; then
		[ $r -eq 0 ] && "$JQ" -e --argjson n "$vmas" \
			'(.vmas | length) >= $n and .rollup != null' "$tmp/live" >/dev/null
	else
		[ $r -eq 0 ] && [ -s "$tmp/live" ]
	fi
	ok $? "VMLAYOUT_THREADS=$n: the live process read whole (exit $r)"
done

# clone(2)s beyond those of vmlayout --version (a sanitiser's runtime starts
# threads of its own): none with one thread; with threads the second renderer
clones() {
	strace -f -qq -e trace=clone,clone3 -o "$tmp/strace" "$@" >/dev/null 2>&1
	grep -c 'clone' "$tmp/strace"
}
if command -v strace >/dev/null 2>&1 &&
	strace -f -qq -e trace=none true >/dev/null 2>&1; then
	base=$(clones "$VMLAYOUT" --version)
	for n in 1 2; do
		threads=$(( $(VMLAYOUT_THREADS=$n clones "$VMLAYOUT" --json "$pid") - base ))
		if [ $n -eq 1 ]; then
			[ "$threads" -eq 0 ]
		else
			[ "$threads" -eq 1 ]
		fi
		ok $? "VMLAYOUT_THREADS=$n: $threads threads started for --json"
	done
else
	skip "threads counted" "strace cannot trace here"
fi

exec {MK[1]}>&-
wait "$mkpid" 2>/dev/null
mkpid=
done_testing

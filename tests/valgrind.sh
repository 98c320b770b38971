#!/bin/bash
# valgrind.sh - vmlayout under valgrind's memcheck on the layout targets
#
# For each built variant of tests/target.c (pie, nopie, m32, static-pie), the text
# view and the JSON view run under
#   valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect,possible
#            --error-exitcode=99
# and must exit 0: no invalid read or write, no use of uninitialised memory, no leak.
# Skipped when valgrind is not installed, and when vmlayout was built with
# AddressSanitizer (the two do not run together).
# TAP.
. "$top_srcdir/tests/tap.sh"

[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"
command -v valgrind >/dev/null 2>&1 || skip_all "valgrind not installed"
grep -q __asan_init "$VMLAYOUT" 2>/dev/null && skip_all "vmlayout is built with AddressSanitizer"

. "$top_srcdir/tests/target.sh"
target_setup vg

VG="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99"
ran=0
for variant in pie nopie m32 static-pie; do
	prog=$top_builddir/tests/target-$variant
	[ -x "$prog" ] || continue
	if ! runs_here "$prog"; then
		skip "$variant" "the kernel does not run target-$variant (no IA-32 emulation)"
		continue
	fi
	if ! start_target "$prog"; then
		ok 1 "$variant: the target started"
		continue
	fi
	for view in text json; do
		opt=
		[ $view = json ] && opt=--json
		$VG "$VMLAYOUT" $opt "$target_pid" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		ok $rc "$variant, $view view: valgrind finds nothing (exit $rc)"
		[ $rc -ne 0 ] && diag "$(head -n 40 "$tmp/err")"
		ok $([ -s "$tmp/out" ]; echo $?) "$variant, $view view: the report was written"
	done
	stop_target
	ran=1
done
[ $ran -eq 1 ] || skip_all "no layout target built"
done_testing

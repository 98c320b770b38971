# tap.sh - sourced by the shell tests: TAP output helpers.
# ok COND-EXIT-STATUS "description"   e.g.  test "$a" = "$b"; ok $? "a equals b"
# skip_all "reason"                   the whole script is skipped (plan 1..0)
# done_testing                        prints the plan; call at the end
# runs_here PROGRAM                   0 when the kernel runs PROGRAM (a test target:
#                                     it exits at end of file on its stdin); 1 when
#                                     exec says "Exec format error": a 32-bit program
#                                     on a kernel without IA-32 emulation
#                                     (CONFIG_IA32_EMULATION off, or ia32_emulation=0)
tap_n=0
tap_failed=0
ok() {
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}
skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP ${2:-}"
}
diag() { printf '%s\n' "$*" | sed 's/^/# /'; }
skip_all() { echo "1..0 # SKIP $1"; exit 0; }
bail_out() { echo "Bail out! $1"; exit 1; }
done_testing() { echo "1..$tap_n"; exit 0; }
runs_here() {
	local err
	err=$(TMPDIR=${tmp:-${TMPDIR:-/tmp}} "$1" </dev/null 2>&1 >/dev/null)
	[ $? -ne 126 ] || ! grep -q "Exec format error" <<<"$err"
}

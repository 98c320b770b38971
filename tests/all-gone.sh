#!/bin/bash
# all-gone.sh - --all with a process named, while what it reads of /proc fails as
# it does when the process exits (an open: ENOENT; a read: ESRCH) or when access is
# denied (EACCES), one call at a time (tests/failinj.so), in a PID namespace of its
# own (unshare, as root: a handful of processes, so that every call can be walked).
# Each outcome: a report (exit 0) or exit 1 with nothing on stdout and errors
# naming the PID with a cause, never "Success"; and among them "the process has
# exited" and the permission denied of smaps, as a process that exits or is
# another user's gives them.  TAP.
. "$top_srcdir/tests/tap.sh"

[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"
shim=$top_builddir/tests/failinj.so
[ -f "$shim" ] || bail_out "not built: $shim"
[ "$(id -u)" = 0 ] || skip_all "a PID namespace of its own needs root"
command -v unshare >/dev/null || skip_all "unshare (util-linux) not installed"
unshare --pid --fork --mount-proc true 2>/dev/null || skip_all "unshare --pid not permitted here"
case $VMLAYOUT in
*/libtool* | *.sh) skip_all "vmlayout is a wrapper" ;;
esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-all-gone.XXXXXX") || bail_out "mktemp failed"
trap 'rm -rf "$tmp"' EXIT

# Inside the namespace: one sleep, then each (function, errno) walked over every
# call; one line a run: FUNC ERRNO N EXIT STDOUT-BYTES STDERR-LINE...
cat >"$tmp/walk.sh" <<'EOF'
sleep 1000 &
s=$!
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0:detect_leaks=0
for fe in open:ENOENT open:EACCES read:ESRCH read:EACCES; do
	f=${fe%:*} e=${fe#*:}
	LD_PRELOAD=$SHIM FAILINJ_FUNC=$f FAILINJ_COUNT=$TMP/count "$VMLAYOUT" --all --jobs 1 "$s" \
		>/dev/null 2>&1
	c=$(cat "$TMP/count")
	for ((n = 1; n <= c; n++)); do
		LD_PRELOAD=$SHIM FAILINJ_FUNC=$f FAILINJ_NTH=$n FAILINJ_ERRNO=$e \
			"$VMLAYOUT" --all --jobs 1 "$s" >"$TMP/out" 2>"$TMP/err"
		rc=$?
		printf '%s %s %d %d %d %s\n' "$f" "$e" "$n" "$rc" "$(wc -c <"$TMP/out")" \
			"$(grep -v '^libnuma:' "$TMP/err" | sed "s/PID $s:/PID S:/" | tr '\n' '|')"
	done
done
kill "$s"
echo "pid $s"
EOF
SHIM=$shim TMP=$tmp VMLAYOUT=$VMLAYOUT unshare --pid --fork --mount-proc bash "$tmp/walk.sh" \
	>"$tmp/runs" 2>"$tmp/walk.err"
grep -q '^pid ' "$tmp/runs" || bail_out "the walk did not end: $(head -3 "$tmp/walk.err")"
grep -v '^pid ' "$tmp/runs" >"$tmp/r"
test "$(wc -l <"$tmp/r")" -gt 40
ok $? "$(wc -l <"$tmp/r") runs over the opens and reads of --all PID"

# every outcome clean
awk '
	$4 == 0 && $5 > 0 { next }				# a report
	$4 == 1 && $5 == 0 && $6 " " $7 " " $8 == "vmlayout: PID S:" && !/Success/ { next }
	{ print; bad = 1 }
	END { exit bad }' "$tmp/r" >"$tmp/bad"
ok $? "each run: a report, or exit 1 with nothing on stdout and the PID with a cause"
[ -s "$tmp/bad" ] && diag "$(head -5 "$tmp/bad")"
grep -q '^[a-z]* [A-Z]* [0-9]* 1 0 vmlayout: PID S: the process has exited|$' "$tmp/r"
ok $? "an open or a read failing as after an exit: \"the process has exited\""
grep -q '^[a-z]* EACCES [0-9]* 1 0 vmlayout: PID S: permission denied: reading smaps needs ptrace read access' "$tmp/r"
ok $? "smaps denied: the permission and the cure"
grep -q '^[a-z]* [A-Z]* [0-9]* 0 [1-9]' "$tmp/r"
ok $? "a call that --all can do without (another process's, libproc2's): still a report"
done_testing

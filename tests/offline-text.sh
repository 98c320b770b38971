#!/bin/bash
# offline-text.sh - source_open_text() on the smaps and maps text of the layout
# target: every region the target prints lands in its role (the text has no threads:
# the thread's stack is anonymous memory), the figures of smaps text equal the live
# ones, maps text has sizes only (figures unknown); a sysroot without the files gives
# heuristic attribution with a warning.  TAP.  Needs jq.
. "$top_srcdir/tests/tap.sh"

[ -n "$JQ" ] || skip_all "jq not found"
T=$top_builddir/tests/test-offline
prog=$top_builddir/tests/target-pie
[ -x "$prog" ] || skip_all "target-pie not built"
. "$top_srcdir/tests/target.sh"
target_setup text
DEFS=$(cat "$top_srcdir/tests/offline.jq")

start_target "$prog" || bail_out "target not ready"
cat "/proc/$target_pid/smaps" >"$tmp/smaps"
cat "/proc/$target_pid/maps" >"$tmp/maps"
"$T" pid "$target_pid" >"$tmp/live.json" 2>/dev/null

"$T" smaps "$tmp/smaps" >"$tmp/s.json" 2>"$tmp/s.err"
ok $? "smaps text read"
"$T" maps "$tmp/maps" >"$tmp/m.json" 2>"$tmp/m.err"
ok $? "maps text read"
stop_target

declare -A role=([data]=data [rodata]=rodata [text]=text [bss]=bss [relro]=relro [heap]=heap
	[anon]=anon [shm]=shm [file]=file [deleted]=file [memfd]=shm [thread_stack]=anon
	[stack]=stack [guard]=guard)
for f in s m; do
	for n in "${!role[@]}"; do
		"$JQ" -e --arg a "${addr[$n]}" --arg r "${role[$n]}" "$DEFS vma_at(\$a) | length == 1 and .[0].role == \$r" \
			"$tmp/$f.json" >/dev/null
		ok $? "$f: $n ${addr[$n]} has role ${role[$n]}"
	done
	"$JQ" -e '[.objects[] | select(.kind == "executable" and .attributed)] | length == 1' "$tmp/$f.json" >/dev/null
	ok $? "$f: the executable is found and attributed"
done
"$JQ" -S "$DEFS live_only | .vmas | map(del(.role, .region, .tid))" "$tmp/live.json" >"$tmp/a"
"$JQ" -S "$DEFS live_only | .vmas | map(del(.role, .region, .tid))" "$tmp/s.json" >"$tmp/b"
diff "$tmp/a" "$tmp/b" >/dev/null
ok $? "smaps: every VMA and its figures as in the live read"
grep -qx "figures_unknown 0" "$tmp/s.err"
ok $? "smaps: figures known"
grep -qx "figures_unknown 1" "$tmp/m.err"
ok $? "maps: figures unknown"
"$JQ" -e '.totals.size > 0 and .totals.size == ([.vmas[].size] | add)' "$tmp/m.json" >/dev/null
ok $? "maps: sizes known"

# another root: the files are not there, attribution falls back to heuristics
mkdir "$tmp/root"
"$T" smaps "$tmp/smaps" "$tmp/root" >"$tmp/r.json" 2>/dev/null
ok $? "smaps with an empty sysroot read"
"$JQ" -e "$DEFS"'([.objects[] | select(.attributed)] | length) == 0
	and ([.warnings[] | select(test("not found under .*heuristics"))] | length) == 1
	and (vma_at($t) | .[0].role == "text")' --arg t "${addr[text]}" "$tmp/r.json" >/dev/null
ok $? "empty sysroot: no object attributed, a warning says heuristics, text still text"
done_testing

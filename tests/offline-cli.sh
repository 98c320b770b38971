#!/bin/bash
# offline-cli.sh - the other sources through the command line, with every view:
# --save DIR PID and DIR/, an ELF file, a core made by gcore, smaps text on standard
# input and maps text with --maps.  TAP.  Needs jq.
. "$top_srcdir/tests/tap.sh"

[ -n "$JQ" ] || skip_all "jq not found"
prog=$top_builddir/tests/target-pie
[ -x "$prog" ] || bail_out "not built: $prog"
. "$top_srcdir/tests/target.sh"
target_setup cli
DEFS=$(cat "$top_srcdir/tests/offline.jq")

start_target "$prog" || bail_out "the target did not start"
[ -n "${addr[bss]}" ] || bail_out "the target printed no bss address"

# every view of one source: exit 0, nothing on stderr but warnings, something on stdout
views() {
	local what=$1
	shift
	local view
	for view in "" --json --vmas "--vmas --json" --summary "--role text --json" \
		"--addr ${addr[bss]}"; do
		# shellcheck disable=SC2086
		"$VMLAYOUT" $view "$@" >"$tmp/out" 2>"$tmp/err"
		local rc=$?
		test $rc -eq 0 && ! grep -qv '^vmlayout: .*: warning: ' "$tmp/err" &&
			test -s "$tmp/out"
		ok $? "$what: vmlayout $view: exit 0, a report, nothing on stderr but warnings"
		[ $rc -eq 0 ] || diag "exit $rc: $(head -3 "$tmp/err")"
	done
}

wait_blocked "$target_pid"

# --save: the report is the snapshot's; reading the directory again gives it again
snap=$tmp/snap
"$VMLAYOUT" --json --save "$snap" "$target_pid" >"$tmp/save.json" 2>"$tmp/err"
ok $? "--save DIR PID exits 0"
test -f "$snap/snapshot" && test -f "$snap/smaps"
ok $? "--save wrote the snapshot"
"$VMLAYOUT" --json "$snap/" >"$tmp/again.json" 2>/dev/null
cmp -s "$tmp/save.json" "$tmp/again.json"
ok $? "vmlayout DIR/ gives the JSON that --save printed"
"$JQ" -e '.source.kind == "snapshot" and .process.pid == '"$target_pid" "$tmp/again.json" >/dev/null
ok $? "the snapshot's source and pid"
"$VMLAYOUT" --json "$target_pid" >"$tmp/live.json" 2>/dev/null
"$JQ" -n --slurpfile a "$tmp/live.json" --slurpfile b "$tmp/again.json" \
	"$DEFS"' ($a[0] | live_only) == ($b[0] | live_only)' >/dev/null
ok $? "the snapshot's JSON equals the live JSON (but for what changes between reads)"
"$JQ" -e --arg a "${addr[bss]}" "$DEFS"' vma_at($a)[0].role == "bss"' "$tmp/again.json" >/dev/null
ok $? "an address of the bss lands in the bss in the snapshot"
views snapshot "$snap/"

# smaps text on standard input, maps text with --maps
"$VMLAYOUT" --json - <"/proc/$target_pid/smaps" >"$tmp/text.json" 2>/dev/null
ok $? "vmlayout - reads smaps text"
"$JQ" -e '.source.kind == "smaps" and .totals.rss > 0 and (.vmas | length) > 10' \
	"$tmp/text.json" >/dev/null
ok $? "smaps text: figures known"
"$JQ" -e --arg a "${addr[bss]}" "$DEFS"' vma_at($a)[0].role == "bss"' "$tmp/text.json" >/dev/null
ok $? "smaps text: the bss is found (the files are on this machine)"
cp "/proc/$target_pid/smaps" "$tmp/smaps"
"$VMLAYOUT" --json --smaps "$tmp/smaps" >"$tmp/smaps.json" 2>/dev/null
ok $? "--smaps FILE"
"$JQ" -e '.source.kind == "smaps" and .source.path != null and all(.objects[]; .attributed)' \
	"$tmp/smaps.json" >/dev/null
ok $? "--smaps FILE: every object attributed from the files on this machine"
mkdir "$tmp/emptyroot"
"$VMLAYOUT" --json --sysroot "$tmp/emptyroot" --smaps "$tmp/smaps" >"$tmp/sysroot.json" 2>/dev/null
ok $? "--sysroot DIR --smaps FILE"
"$JQ" -e '[.objects[] | select(.attributed)] | length == 0' "$tmp/sysroot.json" >/dev/null &&
	"$JQ" -e '.warnings | length > 0' "$tmp/sysroot.json" >/dev/null
ok $? "--sysroot: files not found under it are not used, and a warning says so"
cp "/proc/$target_pid/maps" "$tmp/maps"
"$VMLAYOUT" --json --maps "$tmp/maps" >"$tmp/maps.json" 2>/dev/null
ok $? "--maps FILE"
"$JQ" -e '.source.kind == "maps" and .totals.rss == null and .totals.size > 0
	and all(.vmas[]; .rss == null)' "$tmp/maps.json" >/dev/null
ok $? "maps text: the figures are null, never 0"
"$VMLAYOUT" "$tmp/maps" >/dev/null 2>&1
ok $? "a path to maps text is read as such"
"$VMLAYOUT" --maps "$tmp/maps" | grep -q 'RSS ?'
ok $? "maps text: the text view prints unknown figures as ?"
views "smaps text" "$tmp/maps"

# a core made by gcore
if command -v gcore >/dev/null 2>&1 && gcore -o "$tmp/core" "$target_pid" >/dev/null 2>&1 &&
	[ -f "$tmp/core.$target_pid" ]; then
	core=$tmp/core.$target_pid
	"$VMLAYOUT" --json "$core" >"$tmp/core.json" 2>/dev/null
	ok $? "vmlayout CORE"
	"$JQ" -e '.source.kind == "core" and .source.dumped > 0 and .totals.rss == null' \
		"$tmp/core.json" >/dev/null
	ok $? "core: dumped bytes known, RSS unknown"
	"$JQ" -e --arg a "${addr[bss]}" "$DEFS"' vma_at($a)[0].role == "bss"' "$tmp/core.json" \
		>/dev/null
	ok $? "core: an address of the bss lands in the bss"
	"$JQ" -e '[.vmas[] | select(.role == "thread_stack")] | length == 1' "$tmp/core.json" \
		>/dev/null
	ok $? "core: the second thread's stack is found"
	views core "$core"
	rm -f "$core"
else
	skip "core: gcore" "gcore not available or not permitted"
fi
stop_target

# an ELF file: its PT_LOAD segments as the loader maps them
"$VMLAYOUT" --json "$prog" >"$tmp/elf.json" 2>/dev/null
ok $? "vmlayout ELF-FILE"
loads=$(LC_ALL=C readelf -lW "$prog" 2>/dev/null | grep -c '^ *LOAD')
"$JQ" -e --argjson n "${loads:-0}" '.source.kind == "elf" and (.segments | length) == $n' \
	"$tmp/elf.json" >/dev/null
ok $? "ELF file: one segment per PT_LOAD ($loads, readelf -lW)"
"$JQ" -e '[.vmas[] | select(.role == "bss")] | length == 1' "$tmp/elf.json" >/dev/null
ok $? "ELF file: the 10 MiB bss is its own VMA"
"$VMLAYOUT" --json --base 0x555555554000 "$prog" | "$JQ" -e '.vmas[0].start == "0x555555554000"' \
	>/dev/null
ok $? "--base moves a PIE"
views "ELF file" "$prog"
# --base with a process: a usage error, not ignored
"$VMLAYOUT" --base 0x555555554000 $$ >"$tmp/out" 2>"$tmp/err"
test $? -eq 64 && test ! -s "$tmp/out" && grep -q -- "--base" "$tmp/err"
ok $? "--base with a PID: usage error (64) naming --base, nothing on stdout"
# the file-mode warning about base 0 names --base
"$VMLAYOUT" "$prog" >/dev/null 2>"$tmp/err"
grep -q -- "warning: .*--base ADDR" "$tmp/err"
ok $? "ELF file of type ET_DYN at base 0: the warning names --base"
# what the header calls a file: a shared library (ET_DYN, no PT_INTERP, no DF_1_PIE)
# is a shared object with no brk; a -static-pie executable (DF_1_PIE) is static-pie
lib=$top_builddir/tests/libplug.so
if [ -f "$lib" ]; then
	"$VMLAYOUT" "$lib" >"$tmp/lib.text" 2>/dev/null
	head -n 1 "$tmp/lib.text" | grep -q "ELF64 shared object" &&
		! grep -q "brk" "$tmp/lib.text"
	ok $? "libplug.so: a shared object, without start_brk or brk"
	[ $? -eq 0 ] || diag "$(head -n 1 "$tmp/lib.text")"
else
	skip "a shared object" "tests/libplug.so not built"
fi
spie=$top_builddir/tests/target-static-pie
if [ -x "$spie" ]; then
	"$VMLAYOUT" "$spie" 2>/dev/null | head -n 1 | grep -q "ELF64 static-pie"
	ok $? "target-static-pie: static-pie"
	"$VMLAYOUT" "$spie" 2>/dev/null | grep -q "start_brk"
	ok $? "target-static-pie: it has a start_brk"
else
	skip "static-pie" "target-static-pie not built"
fi
"$VMLAYOUT" "$prog" 2>/dev/null | head -n 1 | grep -q "ELF64 PIE"
ok $? "target-pie: PIE"

# errors name the file
"$VMLAYOUT" "$tmp/nothing-here" >"$tmp/out" 2>"$tmp/err"
test $? -eq 1 && test ! -s "$tmp/out" && grep -q "nothing-here" "$tmp/err"
ok $? "a missing path: exit 1, its name on stderr, nothing on stdout"
printf 'not smaps\n' >"$tmp/junk"
"$VMLAYOUT" "$tmp/junk" >"$tmp/out" 2>"$tmp/err"
test $? -eq 1 && test ! -s "$tmp/out" && grep -q "junk" "$tmp/err"
ok $? "a file that is neither ELF nor smaps: exit 1, named on stderr"
mkdir "$tmp/notsnap" && echo x >"$tmp/notsnap/x"
"$VMLAYOUT" "$tmp/notsnap/" >"$tmp/out" 2>"$tmp/err"
test $? -eq 1 && test ! -s "$tmp/out" &&
	[ "$(cat "$tmp/err")" = "vmlayout: $tmp/notsnap/: not a vmlayout snapshot (no file 'snapshot')" ]
ok $? "a directory that is not a snapshot: exit 1, that message alone"
[ $? -eq 0 ] || diag "$(cat "$tmp/err")"
"$VMLAYOUT" --save "$tmp/x" "$tmp/maps" >/dev/null 2>&1
test $? -eq 64
ok $? "--save takes a process, not a path: usage error"
done_testing

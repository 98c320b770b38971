#!/bin/bash
# diff-match.sh - how --diff matches and judges VMAs and objects, on a --json
# document of a process the suite starts and copies of it changed in one place
# each (what a process cannot be made to do on request: swap, another device):
#   the stack's swap rises / falls      one VMA grown / shrunk, by role, the change
#                                       in swap and in the totals
#   the stack's RSS rises               one VMA grown
#   a file VMA on another device        another file: disappeared and appeared, not
#   (the same inode)                    matched as moved and unchanged
#   the executable on another device    its VMAs disappeared and appeared, the object
#                                       unloaded and loaded
#   a file VMA's permissions            another VMA: disappeared and appeared
#   brk unknown in the newer            the boundary listed, after null; "?" in text
# TAP.  Needs jq.
. "$top_srcdir/tests/tap.sh"

[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"
[ -n "$JQ" ] || skip_all "jq not found"
G=$top_builddir/tests/grower
[ -x "$G" ] || bail_out "not built: $G"
. "$top_srcdir/tests/target.sh"
target_setup diff-match
V=$VMLAYOUT

start_target "$G" || bail_out "grower did not start"
"$V" --json "$target_pid" >"$tmp/a.json" || bail_out "--json failed"
"$JQ" -e '(.vmas[0].inode > 0) and (.vmas[0].path == .process.exe) and
	  ([.vmas[] | select(.role == "stack")] | length) == 1 and .mm.brk != null' \
	"$tmp/a.json" >/dev/null || bail_out "the document has no file VMA first, stack or brk"

# case DESC OLD-JQ NEW-JQ CHECK-JQ: --diff --json of a.json changed by OLD-JQ and
# by NEW-JQ; CHECK-JQ on the result
case_() {
	local desc=$1
	"$JQ" "$2" "$tmp/a.json" >"$tmp/old.json" && "$JQ" "$3" "$tmp/a.json" >"$tmp/new.json" ||
		bail_out "jq: $desc"
	"$V" --diff --json "$tmp/old.json" "$tmp/new.json" >"$tmp/d.json" 2>"$tmp/err"
	[ $? -eq 0 ] && [ ! -s "$tmp/err" ] && "$JQ" -e "$4" "$tmp/d.json" >/dev/null
	local rc=$?
	ok $rc "$desc"
	[ $rc -eq 0 ] || diag "$(head -c 600 "$tmp/d.json") $(cat "$tmp/err")"
}

stack='(.vmas[] | select(.role == "stack"))'
case_ "the stack's swap rises: one VMA grown, by role, swap +4096 there and in the totals" \
	"$stack.swap = 0" "$stack.swap = 4096" \
	'.changed and (.vmas | length) == 1 and .vmas[0].state == "grown" and
	 .vmas[0].match == "role" and .vmas[0].figures.swap.change == 4096 and
	 .vmas[0].figures.rss.change == 0 and .totals.swap.change == 4096'
case_ "the stack's swap falls: one VMA shrunk, swap -4096" \
	"$stack.swap = 8192" "$stack.swap = 4096" \
	'(.vmas | length) == 1 and .vmas[0].state == "shrunk" and
	 .vmas[0].figures.swap.change == -4096 and .totals.swap.change == -4096'
case_ "the stack's RSS rises: one VMA grown, RSS +4096" \
	"." "$stack.rss += 4096" \
	'(.vmas | length) == 1 and .vmas[0].state == "grown" and
	 .vmas[0].figures.rss.change == 4096'
case_ "the same inode on another device: another file, disappeared and appeared" \
	"." '.vmas[0].dev = "fe:7f"' \
	'.changed and ([.vmas[] | .state] | sort) == ["appeared", "disappeared"] and
	 ([.vmas[] | .before.start // .after.start] | unique | length) == 1'
case_ "the executable on another device: its VMAs replaced, the object unloaded and loaded" \
	"." '.process.exe as $e | .vmas |= map(if .path == $e then .dev = "fe:7f" else . end) |
	     .objects |= map(if .path == $e then .dev = "fe:7f" else . end)' \
	'.old.exe as $e |
	 ([.objects[] | select(.path == $e) | .state] | sort) == ["loaded", "unloaded"] and
	 ([.vmas[] | select(.state == "appeared")] | length) > 0 and
	 ([.vmas[] | select(.state == "appeared")] | length) ==
	 ([.vmas[] | select(.state == "disappeared")] | length)'
case_ "a file VMA's permissions changed: another VMA, disappeared and appeared" \
	"." '.vmas[0].perms = "rwxp"' \
	'([.vmas[] | .state] | sort) == ["appeared", "disappeared"] and
	 ([.vmas[] | select(.state == "appeared") | .after.perms] == ["rwxp"])'
case_ "brk unknown in the newer: the boundary listed, after null" \
	"." '.mm.brk = null' \
	'.changed and (.mm | length) == 1 and .mm[0].name == "brk" and .mm[0].after == null and
	 .mm[0].change == null and (.vmas | length) == 0'
"$V" --diff --ascii "$tmp/old.json" "$tmp/new.json" >"$tmp/d.txt" 2>&1
grep -Eq '^brk +0x[0-9a-f]+ -> \?' "$tmp/d.txt"
ok $? "brk unknown in the newer: the text says ?"
case_ "an unchanged copy: nothing changed" "." "." \
	'.changed == false and (.vmas | length) == 0 and (.objects | length) == 0 and
	 (.mm | length) == 0'
done_testing

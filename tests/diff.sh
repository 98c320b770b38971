#!/bin/bash
# diff.sh - --diff of two moments of a process that grows by known steps
# (tests/grower.c): between the two, its brk heap grows by 1 MiB, it maps 5
# anonymous 64 KiB VMAs, dlopen()s tests/libplug.so and starts 3 threads.  The
# comparison of two --save snapshots, of two --json documents, of a snapshot and of a
# document with the live process, shows exactly that: heap +1 MiB (SIZE and RSS, and
# brk), 5 new anon VMAs of 64 KiB, libplug.so loaded, 3 thread stacks (their TIDs),
# 3 threads started.  A process that did not change shows no change.  The text view,
# its parts and its colours.  TAP.  Needs jq.
. "$top_srcdir/tests/tap.sh"

[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"
[ -n "$JQ" ] || skip_all "jq not found"
G=$top_builddir/tests/grower
PLUG=$top_builddir/tests/libplug.so
[ -x "$G" ] && [ -f "$PLUG" ] || bail_out "not built: $G, $PLUG"
. "$top_srcdir/tests/target.sh"
target_setup diff
V=$VMLAYOUT

# a name of its own: other tests run growers at the same time
start_target "$G" "dg$$" || bail_out "grower did not start"
P=$target_pid

"$V" --save "$tmp/a" "$P" >/dev/null 2>"$tmp/err"
ok $? "--save the first snapshot $(cat "$tmp/err")"
"$V" --json "$P" >"$tmp/a.json"
ok $? "--json the first document"

# nothing changed: snapshot against the live process, document against document
"$V" --diff --json "$tmp/a" "$P" >"$tmp/same.json" 2>"$tmp/err"
ok $? "--diff snapshot PID of an unchanged process $(cat "$tmp/err")"
jqok "unchanged: changed false, no VMA, object, thread, boundary" "$tmp/same.json" \
	'.changed == false and .vmas == [] and .objects == [] and .mm == [] and
	 .threads.started == [] and .threads.ended == [] and .counts.vmas.change == 0 and
	 .totals.size.change == 0 and .totals.rss.change == 0 and .forced == false'
"$V" --diff "$tmp/a" "$P" >"$tmp/same.txt" 2>&1
ok $? "--diff text of an unchanged process"
grep -q '^no change' "$tmp/same.txt"
ok $? "the text says: no change"
"$V" --diff --json "$tmp/a.json" "$tmp/a.json" >"$tmp/same2.json"
jqok "a document against itself: no change" "$tmp/same2.json" '.changed == false'

target_step "heap 1048576" && target_step "mmap 5" && target_step "dlopen $PLUG" &&
	target_step "threads 3"
ok $? "the grower grew"
mapfile -t tids < <(ls /proc/"$P"/task | grep -vx "$P" | sort -n)
test "${#tids[@]}" -eq 3
ok $? "3 new threads: ${tids[*]}"

"$V" --save "$tmp/b" "$P" >/dev/null 2>"$tmp/err"
ok $? "--save the second snapshot $(cat "$tmp/err")"
"$V" --json "$P" >"$tmp/b.json"
ok $? "--json the second document"

tids_json=$(printf '%s\n' "${tids[@]}" | "$JQ" -s -c .)
# what every comparison of the two moments must show
EXPECT='.changed == true and .forced == false
 and .regions.heap.size.change == 1048576 and .regions.heap.rss.change == 1048576
 and ([.mm[] | select(.name == "brk")][0].change == 1048576)
 and ([.vmas[] | select(.state == "appeared" and .after.role == "anon"
       and .figures.size.after == 65536)] | length == 5)
 and ([.objects[] | select(.state == "loaded") | .path | endswith("/libplug.so")] == [true])
 and ([.objects[] | select(.state == "unloaded")] == [])
 and ([.vmas[] | select(.state == "appeared" and .after.role == "thread_stack")
       | .after.tid] | sort == $tids)
 and ([.threads.started[].tid] | sort == $tids) and .threads.ended == []
 and .counts.threads.change == 3
 and ([.vmas[] | select(.state == "disappeared")] == [])
 and ([.vmas[] | select(.after.object != null and (.after.object | endswith("/libplug.so")))
       | .state] | length >= 2 and all(. == "appeared"))'

for pair in "snapshots:$tmp/a:$tmp/b" "documents:$tmp/a.json:$tmp/b.json" \
	"snapshot and live:$tmp/a:$P" "document and live:$tmp/a.json:$P" \
	"snapshot and document:$tmp/a:$tmp/b.json"; do
	IFS=: read -r name old new <<<"$pair"
	"$V" --diff --json "$old" "$new" >"$tmp/d.json" 2>"$tmp/err"
	ok $? "--diff --json, $name $(cat "$tmp/err")"
	jqok "$name: heap +1 MiB, brk +1 MiB, 5 anon VMAs, libplug.so loaded, 3 thread stacks" \
		"$tmp/d.json" "$EXPECT" --argjson tids "$tids_json" ||
		diag "$("$JQ" -c '[.regions.heap, .mm, [.vmas[] | [.state, .after.role, .figures.size.after, .after.tid]], [.objects[] | [.state, .path]], .threads]' "$tmp/d.json")"
done
jqok "the changes largest first" "$tmp/d.json" \
	'[.vmas[] | (.figures.rss.change | fabs)] as $r | $r == ($r | sort | reverse)'
jqok "every region and role, before, after and change" "$tmp/d.json" \
	'(.regions | keys | length) == 7 and (.roles | keys | length) == 19 and
	 all(.regions[]; .rss.after - .rss.before == .rss.change)'
jqok "the sides: a snapshot and a document" "$tmp/d.json" \
	'.old.source == "snapshot" and .new.source == "json" and .old.pid == .new.pid'

# the text view
"$V" --diff "$tmp/a" "$tmp/b" >"$tmp/d.txt" 2>&1
ok $? "--diff text"
grep -q '^heap  *12K\|^heap ' "$tmp/d.txt" && grep -q 'loaded  *.*libplug.so' "$tmp/d.txt" &&
	[ "$(grep -c '^appeared  *0x.*64K  *+64K  *64K  *+64K  *anon' "$tmp/d.txt")" -eq 5 ] &&
	grep -q "^started 3: $(echo "${tids[*]}" | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//')\$\|^started 3:" "$tmp/d.txt" &&
	grep -q '^brk .* +1M$' "$tmp/d.txt"
ok $? "the text: heap, libplug.so loaded, 5 anon VMAs, 3 threads, brk +1M"
[ $? -eq 0 ] || diag "$(cat "$tmp/d.txt")"
"$V" --diff --bytes "$tmp/a" "$tmp/b" | grep -q '^heap .* +1048576 '
ok $? "--bytes: the heap's change in bytes"
"$V" --diff --summary "$tmp/a" "$tmp/b" >"$tmp/s.txt"
grep -q '^REGIONS THAT CHANGED' "$tmp/s.txt" && ! grep -q '^OBJECTS\|^VMAS' "$tmp/s.txt"
ok $? "--summary: the regions only"
"$V" --diff --roles --objects "$tmp/a" "$tmp/b" >"$tmp/s.txt"
grep -q '^ROLES THAT CHANGED' "$tmp/s.txt" && grep -q '^OBJECTS' "$tmp/s.txt" &&
	grep -q '^thread_stack ' "$tmp/s.txt" && ! grep -q '^REGIONS\|^VMAS' "$tmp/s.txt"
ok $? "--roles --objects"
"$V" --diff --vmas "$tmp/a" "$tmp/b" >"$tmp/s.txt"
n=$("$JQ" '.vmas | length' "$tmp/d.json")
grep -q "^VMAS THAT CHANGED ($n of " "$tmp/s.txt" && ! grep -q '^REGIONS' "$tmp/s.txt"
ok $? "--vmas: every VMA that changed ($n)"
"$V" --diff --color=always "$tmp/a" "$tmp/b" | grep -q $'\033\\[31m'
ok $? "--color=always: growth in red"
"$V" --diff --color=always "$tmp/b" "$tmp/a" | grep -q $'\033\\[32m.*-1M'
ok $? "--color=always: shrinking in green (the diff the other way)"
"$V" --diff "$tmp/a" "$tmp/b" | grep -q $'\033'
ok $((!$?)) "no colour off a terminal"
"$V" --diff --ascii "$tmp/a" "$tmp/b" | grep -q 'VMAs [0-9]* -> [0-9]*'
ok $? "--ascii: arrows in ASCII"
"$V" --diff --json "$tmp/b" "$tmp/a" >"$tmp/r.json"
jqok "the other way: unloaded, disappeared, threads ended" "$tmp/r.json" \
	'.regions.heap.size.change == -1048576 and
	 ([.objects[] | select(.state == "unloaded")] | length == 1) and
	 ([.threads.ended[].tid] | sort == $tids) and
	 ([.vmas[] | select(.state == "disappeared" and .before.role == "anon")] | length >= 5)' \
	--argjson tids "$tids_json"

# an object loaded again at another address (the same figures): moved
bias=$("$JQ" -r '.objects[] | select(.path | endswith("/libplug.so")) | .load_bias' "$tmp/b.json")
lower=$(printf '0x%x' $((bias - 4096)))
sed "s/\"load_bias\":\"$bias\"/\"load_bias\":\"$lower\"/" "$tmp/b.json" >"$tmp/b2.json"
"$V" --diff --json "$tmp/b.json" "$tmp/b2.json" >"$tmp/o.json" 2>"$tmp/err"
ok $? "--diff of an object at another load bias $(cat "$tmp/err")"
jqok "the object moved: one object, state moved" "$tmp/o.json" \
	'[.objects[] | .state] == ["moved"] and (.objects[0].path | endswith("/libplug.so")) and
	 .objects[0].load_bias_before != .objects[0].load_bias_after'

# the snapshots committed with the suite, each against itself
for fx in "$top_srcdir"/tests/snapshots/*/; do
	[ -f "$fx/snapshot" ] || continue
	"$V" --diff "$fx" "$fx" >"$tmp/fx.txt" 2>/dev/null
	rc=$?
	[ $rc -eq 0 ] && grep -q '^no change' "$tmp/fx.txt"
	ok $? "$(basename "$fx"): a committed snapshot against itself: no change"
done

# a name, and --json-lines
comm=$(cat /proc/"$P"/comm)
if [ "$(pgrep -cx "$comm")" = 1 ]; then
	"$V" --diff --json-lines "$tmp/b" "$comm" >"$tmp/n.json" 2>"$tmp/err"
	ok $? "--diff SNAPSHOT NAME $(cat "$tmp/err")"
	jqok "by name: no change since the second snapshot" "$tmp/n.json" '.changed == false'
else
	skip "--diff SNAPSHOT NAME" "another process is named $comm"
	skip "by name: no change since the second snapshot" "another process is named $comm"
fi

# a mapping moved (mremap), one grown in place: matched, not removed and added
target_step move && target_step extend
ok $? "the grower moved one mapping and extended another"
"$V" --diff --json "$tmp/b" "$P" >"$tmp/m.json" 2>"$tmp/err"
ok $? "--diff after mremap $(cat "$tmp/err")"
jqok "one VMA moved, one grown in place; nothing appeared or disappeared" "$tmp/m.json" \
	'([.vmas[] | select(.state == "moved")] | length == 1) and
	 ([.vmas[] | select(.state == "moved")][0] | .match == "moved" and
	  .before.start != .after.start and .figures.size.change == 0) and
	 ([.vmas[] | select(.state == "grown" and .after.role == "anon")][0] |
	  .match == "address" and .figures.size.change == 65536 and
	  .before.start == .after.start) and
	 ([.vmas[] | select(.state == "appeared" or .state == "disappeared")] == [])'
"$V" --diff "$tmp/b" "$P" | grep -q '^moved  *0x'
ok $? "the text: moved"

# maps text: no figures but SIZE; null in JSON, ? in the text
"$V" --json --maps "/proc/$P/maps" >"$tmp/maps1.json" 2>/dev/null
target_step "mmap 1"
"$V" --json --maps "/proc/$P/maps" >"$tmp/maps2.json" 2>/dev/null
"$V" --diff --json "$tmp/maps1.json" "$tmp/maps2.json" >"$tmp/u.json" 2>"$tmp/err"
ok $? "--diff of two documents of maps text $(cat "$tmp/err")"
jqok "figures unknown: null but SIZE; one VMA appeared" "$tmp/u.json" \
	'.totals.rss.change == null and .totals.size.change == 65536 and
	 ([.vmas[] | select(.state == "appeared")] | length == 1)'
"$V" --diff "$tmp/maps1.json" "$tmp/maps2.json" >"$tmp/u.txt" 2>&1
grep -q '^mmap  *? *? *? *+64K  *? ' "$tmp/u.txt" && ! grep -q '^SIZE .* RSS ' "$tmp/u.txt"
ok $? "the text: ? for the figures not known"
[ $? -eq 0 ] || diag "$(cat "$tmp/u.txt")"

stop_target
ok $? "the grower exits 0"
done_testing

#!/bin/bash
# deleted.sh - a process whose executable and a library it loaded were removed
# after it mapped them (what an upgrade leaves running): tests/grower copied to
# grower-old and run from there, tests/libplug.so copied to libplug-old.so and
# dlopen'ed, both files removed.  Each object is still found and attributed from
# the mapped file (as root: /proc/PID/map_files), "deleted": true in JSON, and named
# "NAME (deleted)" in the objects table and in the diagram (the executable's bands
# and the library's line in the mmap area).  TAP.  Needs jq.
. "$top_srcdir/tests/tap.sh"

[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"
[ -n "$JQ" ] || skip_all "jq not found"
G=$top_builddir/tests/grower
[ -x "$G" ] || bail_out "not built: $G"
[ -f "$top_builddir/tests/libplug.so" ] || bail_out "not built: tests/libplug.so"
. "$top_srcdir/tests/target.sh"
target_setup deleted
V=$VMLAYOUT

cp "$G" "$tmp/grower-old" && cp "$top_builddir/tests/libplug.so" "$tmp/libplug-old.so" ||
	bail_out "cannot copy the grower and its library"
start_target "$tmp/grower-old" || bail_out "grower-old did not start"
P=$target_pid
target_step "dlopen $tmp/libplug-old.so" || bail_out "dlopen of libplug-old.so failed"
rm "$tmp/grower-old" "$tmp/libplug-old.so"

"$V" --json "$P" >"$tmp/p.json" 2>"$tmp/err"
ok $? "--json of a process whose files were removed: exit 0"
for f in grower-old libplug-old.so; do
	if [ "$(id -u)" = 0 ]; then
		"$JQ" -e --arg p "$tmp/$f" '[.objects[] | select(.path == $p)] | length == 1 and
			(.[0] | .deleted and .attributed and .warning == null)' "$tmp/p.json" >/dev/null
		ok $? "$f: one object, deleted, attributed from the mapped file"
	else
		"$JQ" -e --arg p "$tmp/$f" '[.objects[] | select(.path == $p)] | length == 1 and
			.[0].deleted' "$tmp/p.json" >/dev/null
		ok $? "$f: one object, deleted (attributed as root only: map_files)"
	fi
done
"$JQ" -e --arg p "$tmp/libplug-old.so" \
	'[.vmas[] | select(.path == $p)] | length > 0 and all(.deleted)' "$tmp/p.json" >/dev/null
ok $? "libplug-old.so: its VMAs have the path without \" (deleted)\", deleted true"

"$V" --objects --ascii "$P" >"$tmp/objects.txt" 2>/dev/null
grep -q '^grower-old (deleted) ' "$tmp/objects.txt" &&
	grep -q '^libplug-old.so (deleted) ' "$tmp/objects.txt" &&
	! grep -q '^libc.so.6 (deleted)' "$tmp/objects.txt"
rc=$?
ok $rc "--objects: the two removed files named \"NAME (deleted)\", libc not"
[ $rc -eq 0 ] || diag "$(cat "$tmp/objects.txt")"

"$V" --diagram --ascii "$P" >"$tmp/diagram.txt" 2>/dev/null
grep -Eq '\+- code +grower-old \(deleted\) ' "$tmp/diagram.txt" &&
	grep -Eq '\+- data +grower-old \(deleted\) ' "$tmp/diagram.txt"
ok $? "the diagram: the executable's bands say \"grower-old (deleted)\""
grep -Eq '^ +\| +libplug-old\.so \(deleted\) ' "$tmp/diagram.txt"
rc=$?
ok $rc "the diagram: the library's line in the mmap area says \"(deleted)\""
[ $rc -eq 0 ] || diag "$(cat "$tmp/diagram.txt")"
done_testing

#!/bin/bash
# offline-snapshot.sh - snapshot_save() then source_open_snapshot() gives the JSON
# that reading the live process gives (apart from live_only in offline.jq: PSS of
# shared pages), for each variant of the layout target; the packed form expands to
# the same bytes; the committed fixtures (tests/snapshots, made by mk-snapshots.sh)
# read back with every object attributed.  TAP.  Needs jq.
. "$top_srcdir/tests/tap.sh"

[ -n "$JQ" ] || skip_all "jq not found"
T=$top_builddir/tests/test-offline
[ -x "$T" ] || bail_out "not built: $T"
. "$top_srcdir/tests/target.sh"
target_setup snap
DEFS=$(cat "$top_srcdir/tests/offline.jq")

for v in pie nopie m32 static-pie; do
	prog=$top_builddir/tests/target-$v
	if [ ! -x "$prog" ]; then
		skip "$v: snapshot equals live" "target-$v not built"
		continue
	fi
	if ! runs_here "$prog"; then
		skip "$v: snapshot equals live" "the kernel does not run target-$v (no IA-32 emulation)"
		continue
	fi
	if ! start_target "$prog"; then
		ok 1 "$v: target started"
		stop_target
		continue
	fi
	d=$tmp/$v
	wait_blocked "$target_pid"
	# The target is idle, but the kernel may still take a page from it (reclaim,
	# DAMON): read it live before and after the save, and try again when the two
	# differ, so that the snapshot is compared with what it holds.
	for try in 1 2 3 4 5; do
		rm -rf "$d"
		"$T" pid "$target_pid" >"$d.live.json" 2>/dev/null
		rc_live=$?
		"$T" save "$target_pid" "$d" 2>"$d.err"
		rc_save=$?
		"$T" pid "$target_pid" >"$d.after.json" 2>/dev/null
		"$JQ" -S "$DEFS live_only" "$d.live.json" >"$d.a" 2>/dev/null
		"$JQ" -S "$DEFS live_only" "$d.after.json" >"$d.a2" 2>/dev/null
		cmp -s "$d.a" "$d.a2" && break
		diag "$v: the target changed during the save (try $try): $(diff "$d.a" "$d.a2" | head -4 | tr '\n' ' ')"
	done
	ok $rc_live "$v: live JSON"
	ok $rc_save "$v: snapshot_save() $(cat "$d.err")"
	stop_target
	for f in smaps smaps_rollup stat status auxv cmdline comm exe snapshot; do
		[ -e "$d/$f" ] || [ -L "$d/$f" ] || { diag "missing $f"; false; }
	done
	ok $? "$v: the snapshot holds smaps, smaps_rollup, stat, status, auxv, cmdline, comm, exe, snapshot"
	test "$(ls "$d/task" | wc -l)" -eq 2
	ok $? "$v: task/ holds the target's two threads"
	"$T" snapshot "$d" >"$d.snap.json" 2>/dev/null
	ok $? "$v: source_open_snapshot() reads it"
	"$JQ" -S "$DEFS live_only" "$d.snap.json" >"$d.b"
	diff "$d.a" "$d.b" >"$d.diff"
	ok $? "$v: snapshot JSON equals live JSON (but for PSS)"
	[ -s "$d.diff" ] && diag "$(head -20 "$d.diff")"
	"$JQ" -e '(.objects | length) >= 1 and ([.objects[] | select(.attributed | not)] | length) == 0' \
		"$d.snap.json" >/dev/null
	ok $? "$v: every object of the snapshot is attributed from its ELF headers"

	# the packed form expands to the same bytes as the sparse file
	cp -a "$d" "$d.packed"
	"$T" pack "$d.packed"
	ok $? "$v: snapshot_pack()"
	same=0
	for f in "$d"/elf/*; do
		n=${f##*/}
		"$T" expand "$d.packed" "$n" | cmp -s - "$f" || { diag "$n differs"; same=1; }
		head -c 22 "$d.packed/elf/$n" | grep -q '^VMLAYOUT-ELF-PIECES 1' || { diag "$n not packed"; same=1; }
	done
	ok $same "$v: each packed elf/ file expands to the bytes of the sparse one"
	sz=$(du -sk --apparent-size "$d.packed" | cut -f1)
	test "$sz" -lt 400
	ok $? "$v: packed snapshot is small: $sz KiB (sparse: $(du -sk --apparent-size "$d" | cut -f1) KiB apparent)"
done

# The committed fixtures: packed; expanded here into sparse files (what
# source_open_snapshot() reads until it opens elf/ through snapshot_open_elf_file()).
n=0
for fx in "$top_srcdir"/tests/snapshots/*/; do
	[ -f "$fx/snapshot" ] || continue
	n=$((n + 1))
	name=$(basename "$fx")
	d=$tmp/fx-$name
	cp -r "$fx" "$d"
	chmod -R u+w "$d"
	for f in "$d"/elf/*; do
		[ -f "$f" ] || continue
		"$T" expand "$fx" "${f##*/}" >"$f.x" && mv "$f.x" "$f"
	done
	"$T" snapshot "$d" >"$d.json" 2>"$d.err"
	ok $? "fixture $name: read"
	"$JQ" -e '.totals.size == ([.vmas[].size] | add) and .totals.rss == .rollup.Rss
		and ([.objects[] | select(.attributed | not)] | length) == 0
		and ([.objects[] | select(.kind == "executable")] | length) == 1' "$d.json" >/dev/null
	ok $? "fixture $name: totals = rollup, every object attributed, one executable"
	case $name in
	threads) "$JQ" -e '[.vmas[] | select(.role == "thread_stack")] | length >= 3' "$d.json" >/dev/null
		ok $? "fixture $name: its thread stacks are found" ;;
	shm) "$JQ" -e '[.vmas[] | select(.role == "shm" and (.path | test("^/SYSV|^/dev/shm/")))] | length >= 2' \
		"$d.json" >/dev/null
		ok $? "fixture $name: SysV and POSIX shared memory have role shm" ;;
	libs) "$JQ" -e '[.objects[] | select(.kind == "library")] | length >= 10' "$d.json" >/dev/null
		ok $? "fixture $name: ten libraries or more" ;;
	esac
done
[ $n -gt 0 ] || skip "fixtures" "no fixture in tests/snapshots"
done_testing

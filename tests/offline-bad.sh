#!/bin/bash
# offline-bad.sh - bad inputs to the offline sources: a clear error that names the
# file (and the line), exit 1, no crash (the CI runs it under ASan and UBSan too):
# truncated snapshots, a malformed smaps line, a file that is not ELF, a core cut
# short, a program given as a core and a core given as a program.  TAP.
. "$top_srcdir/tests/tap.sh"

T=$top_builddir/tests/test-offline
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-bad.XXXXXX") || bail_out "mktemp failed"
trap 'rm -rf "$tmp"' EXIT

# fails CMD... : exit status 1 (not a crash), one "test-offline: ..." line matching $want
fails() {
	"$T" "$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	[ $rc -eq 1 ] && [ ! -s "$tmp/out" ] && grep -q -- "$want" "$tmp/err"
	local r=$?
	[ $r -ne 0 ] && diag "exit $rc: $(cat "$tmp/err")"
	return $r
}

fx=$top_srcdir/tests/snapshots/threads
if [ -f "$fx/snapshot" ]; then
	for f in snapshot smaps stat; do
		rm -rf "$tmp/s"
		cp -r "$fx" "$tmp/s"
		chmod -R u+w "$tmp/s"
		rm "$tmp/s/$f"
		want=$f fails snapshot "$tmp/s"
		ok $? "snapshot without $f: an error naming $f"
	done
	rm -rf "$tmp/s"
	cp -r "$fx" "$tmp/s"
	chmod -R u+w "$tmp/s"
	rm -r "$tmp/s/elf" "$tmp/s/task" "$tmp/s/status" "$tmp/s/auxv"
	"$T" snapshot "$tmp/s" >/dev/null 2>&1
	ok $? "snapshot without elf/, task/, status, auxv: still read (heuristics)"
	head -c 3000 "$fx/smaps" >"$tmp/s/smaps"
	want="smaps line [0-9]*:" fails snapshot "$tmp/s"
	ok $? "snapshot with smaps cut mid-line: an error with the line number"
else
	skip "truncated snapshots" "no fixture"
fi
want="No such file" fails snapshot "$tmp/nonexistent"
ok $? "no such snapshot directory: an error naming it"

# a malformed smaps line names the line
printf '00400000-00401000 r-xp 00000000 08:01 1 /bin/x\nSize: 4 kB\nthis is not smaps\n' >"$tmp/bad.smaps"
want="bad.smaps: line 3:" fails smaps "$tmp/bad.smaps"
ok $? "malformed smaps line: error names the file and line 3"
printf '00400000-00401000 r-xp 00000000 08:01 1 /bin/x\n0040zz00-00402000 r--p 00000000 08:01 1 /bin/x\n' >"$tmp/bad.maps"
want="bad.maps: line 2:" fails maps "$tmp/bad.maps"
ok $? "malformed maps line: error names line 2"
: >"$tmp/empty"
want="no VMA" fails maps "$tmp/empty"
ok $? "empty text: no VMA"

# not ELF, a directory, a core as a program, a program as a core
printf 'just some text\n' >"$tmp/text"
want="text: not an ELF file" fails elf "$tmp/text"
ok $? "elf: a text file is not ELF"
want="text: not an ELF file" fails core "$tmp/text"
ok $? "core: a text file is not ELF"
want="not a regular file" fails core "$tmp"
ok $? "core: a directory is not a regular file"
want="not a core dump" fails core "$top_builddir/tests/target-pie"
ok $? "core: a program is not a core dump"

# A bad first line on standard input is reported while the writer still holds the
# pipe open: the reader does not wait for the rest (nor for end of file).  timeout
# only keeps a broken reader from hanging the suite; nothing here is timed.
if [ -n "$VMLAYOUT" ] && command -v timeout >/dev/null && mkfifo "$tmp/fifo"; then
	(printf 'not a smaps line\n'; exec sleep 60) >"$tmp/fifo" 2>/dev/null &
	writer=$!
	timeout 30 "$VMLAYOUT" - <"$tmp/fifo" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	kill "$writer" 2>/dev/null
	wait "$writer" 2>/dev/null
	[ "$rc" -eq 1 ] && [ ! -s "$tmp/out" ] && grep -q "line 1" "$tmp/err"
	ok $? "a bad line on an open pipe: reported at once (exit $rc: $(cat "$tmp/err"))"
fi

if command -v gdb >/dev/null; then
	sleep 30 </dev/null >/dev/null 2>&1 &
	sp=$!
	gdb -q -batch -nx -p "$sp" -ex "gcore $tmp/core" >/dev/null 2>&1
	kill "$sp"
	wait "$sp" 2>/dev/null
fi
if [ -s "$tmp/core" ]; then
	want="core dump, .*core" fails elf "$tmp/core"
	ok $? "elf: a core is refused as a program, saying it is a core"
	size=$(stat -c %s "$tmp/core")
	# the end of the last PT_LOAD's bytes: cut one byte before it
	last=0
	while read -r o s; do
		[ $((o + s)) -gt $last ] && last=$((o + s))
	done < <(readelf -lW "$tmp/core" 2>/dev/null | awk '$1 == "LOAD" { print $2, $5 }')
	for cut in 32 200 $((size / 2)) $((last - 1)); do
		head -c "$cut" "$tmp/core" >"$tmp/cut"
		want="cut: " fails core "$tmp/cut"
		ok $? "core cut to $cut bytes: an error naming the file ($(sed 's/^test-offline: //' "$tmp/err"))"
	done
else
	skip "cores" "gdb could not write a core"
fi
done_testing

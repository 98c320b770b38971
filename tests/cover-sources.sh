#!/bin/bash
# cover-sources.sh - the sources that read the outside world, at their edges:
# damaged copies of the committed snapshots (a description of another version, stat,
# status, syscall and auxv that are garbage or directories, ELF pieces that are cut
# or lie about their sizes, an executable recorded as a link or as bytes with a NUL,
# many threads), snapshot_pack() over an elf/ directory that holds other things than
# ELF headers, smaps/maps text that names files of another inode or whose lines
# overlap, standard input that is a directory, and name -> PID look-ups (a name
# longer than the kernel's 15 bytes of comm, a name that only argv[0] gives, two
# processes of the same name, no such name), a 32-bit process saved, --save of a
# kernel thread; and, with tests/failinj.so (not under ASan), each open, read, write
# or allocation of a look-up by name, a live read and a --save failing in turn.
# Each is a clear error that names what is wrong (exit 1), or a report with the
# warning that says what was left out, or a report that reads what is there (exit
# 0); never a crash.  Runs as root and as another user.  TAP.
. "$top_srcdir/tests/tap.sh"

[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"
[ -n "$JQ" ] || skip_all "jq not found"
T=$top_builddir/tests/test-offline
[ -x "$T" ] || bail_out "not built: $T"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-cover.XXXXXX") || bail_out "mktemp failed"
started=()
cleanup() {
	for p in "${started[@]}"; do
		kill "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

# run ARGS...: vmlayout ARGS; stdout in $tmp/out, stderr in $tmp/err, status in rc
run() {
	"$VMLAYOUT" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# fails PATTERN: the last run exited 1, printed nothing, and said PATTERN on stderr
fails() {
	[ "$rc" -eq 1 ] && [ ! -s "$tmp/out" ] && grep -q -- "$1" "$tmp/err" && return 0
	diag "exit $rc: $(head -c 600 "$tmp/err")"
	return 1
}

# reads [PATTERN]: the last run exited 0 with a report (a JSON document), and, with
# PATTERN, a warning on stderr that matches it
reads() {
	if [ "$rc" -eq 0 ] && "$JQ" -e . "$tmp/out" >/dev/null 2>&1 &&
		{ [ -z "$1" ] || grep -q -- "warning: .*$1" "$tmp/err"; }; then
		return 0
	fi
	diag "exit $rc: $(head -c 600 "$tmp/err")"
	return 1
}

# jqt FILTER: FILTER is true of the last report
jqt() { "$JQ" -e "$1" "$tmp/out" >/dev/null; }

# fresh NAME: a writable copy of the committed snapshot NAME in $tmp/s
fresh() {
	rm -rf "$tmp/s"
	cp -r "$top_srcdir/tests/snapshots/$1" "$tmp/s" && chmod -R u+w "$tmp/s"
}

# wait_for N CMD...: CMD true, tried N times 0.05 s apart (bounded, not timed)
wait_for() {
	local n=$1
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.05
		n=$((n - 1))
	done
	return 1
}
has_comm() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]; }

fx=$top_srcdir/tests/snapshots
[ -f "$fx/libs/snapshot" ] && [ -f "$fx/threads/snapshot" ] ||
	skip_all "no snapshots in tests/snapshots"

# ------------------------------------------------------------ the description
fresh libs
rm "$tmp/s/snapshot"
run --json "$tmp/s"
fails "not a vmlayout snapshot (no file 'snapshot')"
ok $? "snapshot without its description: not a snapshot, said so"

fresh libs
sed -i 's/^vmlayout-snapshot 1$/vmlayout-snapshot 2/' "$tmp/s/snapshot"
run --json "$tmp/s"
fails "not a vmlayout snapshot of version 1"
ok $? "a description of version 2: refused"

fresh libs
sed -i '/^vmlayout-snapshot/d' "$tmp/s/snapshot"
run --json "$tmp/s"
fails "not a vmlayout snapshot of version 1"
ok $? "a description without its version line: refused"

# lines without a value, a user given twice (the last counts), an exe id that is
# not MAJ:MIN:INO (no executable then: its ELF header is not looked for)
fresh libs
sed -i 's/^exe .*/exe not-an-id/' "$tmp/s/snapshot"
printf 'novalue\nuser someone-else\nfuture-key its value\n' >>"$tmp/s/snapshot"
run --json "$tmp/s"
reads && jqt '.process.user == "someone-else"'
ok $? "description with a line without a value, a second user line, an unknown key: the last user counts"

# ------------------------------------------------------------ stat
i=0
for bad in 'no parentheses here 1 2 3' '1 (cut)' '1 (word) S 1 2 three 4' \
	'1 (few) S 1 2 3 4 5 6 7 8 9 10' '1 cmd) S 1 (2 3' '1 (open S 1 2 3' \
	'1 (nothing after)' '1 (spaces after)   ' '1 (few, no newline) S 1 2 3   '; do
	i=$((i + 1))
	fresh libs
	# the last three without a newline: the text ends right after them
	case $bad in
	*after*|*newline*) printf '%s' "$bad" >"$tmp/s/stat" ;;
	*) printf '%s\n' "$bad" >"$tmp/s/stat" ;;
	esac
	run --json "$tmp/s"
	fails "stat missing or not understood"
	ok $? "stat #$i not understood ('$bad'): an error that says so"
done

# a command name longer than the kernel's (cut), stat without the fields after
# the 44th (kernels before 3.3): read, without the mm fields of stat
fresh libs
read -r -a f <"$fx/libs/stat"
f[1]="($(printf 'x%.0s' $(seq 1 80)))"
printf '%s\n' "${f[*]:0:44}" >"$tmp/s/stat"
run --json "$tmp/s"
reads && jqt '(.process.comm | length) > 0 and .mm.start_data == null and .mm.start_code != null'
ok $? "stat with a long name and 44 fields: read, without start_data"

# start_code and end_code both 1 (what a process without mm shows), and all of
# start_code, end_code and arg_start 0: no mm fields from stat then
for v in 1:1:x 0:0:0; do
	fresh libs
	read -r -a f <"$fx/libs/stat"
	IFS=: read -r sc ec as <<<"$v"
	f[25]=$sc f[26]=$ec
	[ "$as" = x ] || f[47]=$as
	printf '%s\n' "${f[*]}" >"$tmp/s/stat"
	run --json "$tmp/s"
	reads && jqt '.mm.start_data == null'
	ok $? "stat with start_code $sc, end_code $ec${as/x/}: read, without the mm fields"
done

# ------------------------------------------------------------ smaps
fresh libs
: >"$tmp/s/smaps"
run --json "$tmp/s"
fails "smaps holds no VMA"
ok $? "an empty smaps: no VMA, said so"

# ------------------------------------------------------------ the executable
fresh libs
printf '/bin/a\0b' >"$tmp/s/exe"
run --json "$tmp/s"
reads && jqt '.process.exe == null'
ok $? "exe with a NUL in it: no executable path"

fresh libs
: >"$tmp/s/exe"
run --json "$tmp/s"
reads && jqt '.process.exe == null'
ok $? "an empty exe: no executable path"

# a symbolic link (as "cp -r" of a snapshot by an older vmlayout would keep it), to
# a path longer than the first buffer the link is read into
long=/$(printf 'd%.0s' $(seq 1 300))/prog
fresh libs
rm "$tmp/s/exe"
ln -s "$long" "$tmp/s/exe"
run --json "$tmp/s"
reads && jqt ".process.exe == \"$long\""
ok $? "exe as a symbolic link to a path of 305 bytes: its target"

# the executable's recorded ELF header: missing (nothing said), a directory, cut
exe_id=$(sed -n 's/^exe //p' "$fx/libs/snapshot")
fresh libs
rm "$tmp/s/elf/$exe_id"
run --json "$tmp/s"
reads && ! grep -q "executable's ELF header" "$tmp/err"
ok $? "the executable's ELF header not recorded: read, no word about it"

fresh libs
rm "$tmp/s/elf/$exe_id"
mkdir "$tmp/s/elf/$exe_id"
run --json "$tmp/s"
reads "the executable's ELF header not read: Invalid argument"
ok $? "the executable's ELF header is a directory: a warning"

# packed pieces that lie: each is refused as not understood (ENOEXEC)
pk=$fx/libs/elf/$exe_id
magic='VMLAYOUT-ELF-PIECES 1'
i=0
while IFS= read -r what; do
	i=$((i + 1))
	fresh libs
	e=$tmp/s/elf/$exe_id
	case $i in
	1) printf '%s\n' "$magic" >"$e" ;;
	2) printf '%s\nsize x\n' "$magic" >"$e" ;;
	3) printf '%s\nsize 99999999999999999999999\nend\n' "$magic" >"$e" ;;
	4) printf '%s\nsize 9223372036854775808\nend\n' "$magic" >"$e" ;;
	5) printf '%s\nsize 100' "$magic" >"$e" ;;
	6) printf '%s\nsize 100\nchunk 0 1\nx\nend\n' "$magic" >"$e" ;;
	7) printf '%s\nsize 100\npiece 200 1\nx\nend\n' "$magic" >"$e" ;;
	8) printf '%s\nsize 100\npiece 90 20\n%s\nend\n' "$magic" "$(printf 'y%.0s' $(seq 1 20))" >"$e" ;;
	14) printf '%s\nsize 100\nen' "$magic" >"$e" ;;
	15) printf '%s\nsize :\nend\n' "$magic" >"$e" ;;
	9) printf '%s\nsize 100\npiece 0 5\nxy\nend\n' "$magic" >"$e" ;;
	10) printf '%s\nsize 100\npiece 0 2\nxyz\nend\n' "$magic" >"$e" ;;
	11) printf '%s\nsize 100\npiece 0 x\n' "$magic" >"$e" ;;
	12) head -c 200 "$pk" >"$e" ;;
	13) cp "$pk" "$e" && truncate -s 300M "$e" ;;
	esac
	run --json "$tmp/s"
	reads "the executable's ELF header not read: Exec format error"
	ok $? "packed ELF header #$i ($what): not understood, a warning"
done <<'EOF'
the magic line alone
a size that is not a number
a size of 23 digits
a size beyond INT64_MAX
a size without its newline
a line that is not a piece
a piece beyond the size
a piece that goes past the size
a piece longer than the file
a piece without its newline after it
a piece whose length is not a number
cut after 200 bytes
more than 256 MiB
cut 2 bytes into its end line
a size that begins with a colon
EOF

# a plain (not packed) file shorter than the magic: read as the file's bytes
fresh libs
printf 'short' >"$tmp/s/elf/$exe_id"
run --json "$tmp/s"
reads && jqt '.process.exe != null'
ok $? "the executable's recorded header is 5 bytes of text: read"

# a library's packed pieces cut: the library is attributed by heuristics
lib=$(ls "$fx"/libs/elf/* | grep -v ":${exe_id##*:}\$" | head -1)
fresh libs
if [ -n "$lib" ]; then
	head -c 100 "$lib" >"$tmp/s/elf/${lib##*/}"
	run --json "$tmp/s"
	reads && jqt "[.objects[] | select(.inode == ${lib##*:})] | length == 0"
	ok $? "a library's recorded headers cut: read, without that ELF object"
else
	skip "a library's recorded headers cut" "no library in the fixture"
fi

# ------------------------------------------------------------ the other files
# A file that cannot be read (here a directory: EISDIR) is a warning that names it;
# one that is not there is left out without a word.
for f in auxv smaps_rollup status cmdline comm; do
	fresh threads
	rm "$tmp/s/$f"
	mkdir "$tmp/s/$f"
	run --json "$tmp/s"
	reads "$f not read: Is a directory"
	ok $? "$f is a directory: read, with a warning that names $f"
done

# status not read: its Uid unknown, null in JSON (not root's 0); the user's name is
# the snapshot's own record of it
fresh threads
rm "$tmp/s/status"
mkdir "$tmp/s/status"
run --json "$tmp/s"
jqt '.process.uid == null and (.process.user | type) == "string"'
ok $? "status not read: uid null, the user's name from the snapshot"

fresh threads
tid=$(ls "$tmp/s/task" | head -1)
rm "$tmp/s/task/$tid/stat"
mkdir "$tmp/s/task/$tid/stat"
run --json "$tmp/s"
reads "task/$tid/stat not read: Is a directory"
ok $? "a thread's stat is a directory: a warning that names it"

# status without VmSize (a zombie's): no kernel counters; Uid without its second
# field: no effective uid from it
fresh threads
grep -v -e '^Vm' -e '^Uid' -e '^Tgid' "$fx/threads/status" >"$tmp/s/status"
printf 'Uid:\tx\nnot a key value line\nVmRSS:\tsome kB\nThreads:\t4' >>"$tmp/s/status"
run --json "$tmp/s"
reads && jqt '.kernel.vm_size == null and .vm_counters.total_vm.kernel == null'
ok $? "status without its Vm lines, with lines not understood and no final newline: read, no kernel counters"

# smaps_rollup that is not one VMA's figures (here a whole smaps), or not smaps:
# no rollup
for r in smaps garbage; do
	fresh threads
	if [ $r = smaps ]; then cp "$fx/threads/smaps" "$tmp/s/smaps_rollup"; else echo 'not smaps' >"$tmp/s/smaps_rollup"; fi
	run --json "$tmp/s"
	reads && jqt '.rollup == null'
	ok $? "smaps_rollup that is $r: read, no rollup"
done

# a thread's stat not understood: the thread keeps no command name; an empty comm
fresh threads
set -- $(ls "$tmp/s/task")
echo garbage >"$tmp/s/task/$1/stat"
: >"$tmp/s/comm"
run --json "$tmp/s"
reads && jqt "(.threads | length) == 4 and .process.comm == \"\""
ok $? "a thread's stat not understood, an empty comm: four threads, comm empty"

# no [heap] VMA: brk is start_brk (stat's)
fresh threads
awk '/^[0-9a-f]+-[0-9a-f]+ / { skip = / \[heap\]$/ } !skip' "$fx/threads/smaps" >"$tmp/s/smaps"
run --json "$tmp/s"
reads && jqt '.mm.brk == .mm.start_brk'
ok $? "smaps without [heap]: brk is stat's start_brk"

# comm without its newline, cmdline whose last argument has no NUL (a process that
# wrote over its arguments)
fresh threads
printf 'nonl' >"$tmp/s/comm"
printf 'prog\0last' >"$tmp/s/cmdline"
run --json "$tmp/s"
reads && jqt '.process.comm == "nonl" and .process.cmdline == ["prog", "last"]'
ok $? "comm without a newline, a last argument without a NUL: both kept"

# the threads' system call lines: running, too few fields, an SP that is not hex
fresh threads
set -- $(ls "$tmp/s/task")
echo running >"$tmp/s/task/$1/syscall"
echo '0 0x1' >"$tmp/s/task/$2/syscall"
echo '0 0x1 0x2 0x3 0x4 0x5 0x6 0xzz 0x8' >"$tmp/s/task/$3/syscall"
echo '0 0x1 0x2 0x3 0x4 0x5 0x6 0x7 0x8 0x9 0xa 0xb' >"$tmp/s/task/$4/syscall"
run --json "$tmp/s"
reads && jqt '(.threads | length) == 4 and ([.threads[] | select(.stack_pointer == null)] | length) == 4'
ok $? "four threads' syscall not understood: four threads, no stack pointer"
fresh threads
set -- $(ls "$tmp/s/task")
echo '-1 0x1fffffffffffffffff 0x2' >"$tmp/s/task/$1/syscall"
run --json "$tmp/s"
reads && jqt "[.threads[] | select(.tid == $1 and .stack_pointer == null)] | length == 1"
ok $? "a stack pointer of 69 bits: not understood"

# many threads (more than the first array holds), and entries of task/ that are
# not TIDs
fresh threads
t0=$(ls "$tmp/s/task" | head -1)
for n in $(seq 100001 100020); do
	cp -r "$tmp/s/task/$t0" "$tmp/s/task/$n"
done
mkdir "$tmp/s/task/notatid" "$tmp/s/task/0" "$tmp/s/task/99999999999"
run --json "$tmp/s"
reads && jqt '(.threads | length) == 24'
ok $? "24 threads in task/ and 3 entries that are not TIDs: 24 threads read"

# ------------------------------------------------------------ snapshot_pack()
# Over an elf/ directory of sparse files, a cut ELF file, a text file, a
# directory, a dot file and a symbolic link: the files are packed, the others
# left alone; the snapshot still reads.
fresh libs
for f in "$tmp"/s/elf/*; do
	"$T" expand "$fx/libs" "${f##*/}" >"$f.x" && mv "$f.x" "$f"
done
cp "$top_builddir/tests/target-pie" "$tmp/s/elf/99:99:1"
head -c 64 "$top_builddir/tests/target-pie" >"$tmp/s/elf/99:99:2"
printf 'text, not ELF\n' >"$tmp/s/elf/99:99:3"
mkdir "$tmp/s/elf/99:99:4"
# no section headers (e_shoff, at byte 40 of an ELF64 header, zeroed)
cp "$top_builddir/tests/target-pie" "$tmp/s/elf/99:99:6"
printf '\0\0\0\0\0\0\0\0' | dd of="$tmp/s/elf/99:99:6" bs=1 seek=40 conv=notrunc status=none
long201=$(printf 'n%.0s' $(seq 1 201))
printf 'long\n' >"$tmp/s/elf/$long201"
printf 'dot\n' >"$tmp/s/elf/.dot"
ln -s /etc/passwd "$tmp/s/elf/99:99:5"
"$T" pack "$tmp/s" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && head -c 21 "$tmp/s/elf/99:99:1" | grep -qx "$magic" &&
	head -c 21 "$tmp/s/elf/99:99:3" | grep -qx "$magic" &&
	head -c 21 "$tmp/s/elf/99:99:6" | grep -qx "$magic" &&
	[ "$(cat "$tmp/s/elf/.dot")" = dot ] && [ -L "$tmp/s/elf/99:99:5" ] &&
	[ "$(cat "$tmp/s/elf/$long201")" = long ]
ok $? "pack: ELF, cut ELF and text packed; a directory, a dot file, a link, a long name left alone"
"$T" expand "$tmp/s" 99:99:6 | head -c 64 | cmp -s - <(head -c 40 "$top_builddir/tests/target-pie"
	printf '\0\0\0\0\0\0\0\0'; tail -c +49 "$top_builddir/tests/target-pie" | head -c 16)
ok $? "pack: an ELF file without section headers keeps its ELF header"
"$T" expand "$tmp/s" 99:99:3 | cmp -s - <(printf 'text, not ELF\n')
ok $? "pack: a text file (14 bytes) keeps its bytes"
"$T" expand "$tmp/s" 99:99:2 | cmp -s - <(head -c 64 "$top_builddir/tests/target-pie")
ok $? "pack: an ELF file cut after its header expands to the same 64 bytes"
run --json "$tmp/s"
reads
ok $? "pack: the snapshot reads after"
cp -r "$tmp/s/elf" "$tmp/elf.before"
"$T" pack "$tmp/s" 2>"$tmp/err" && diff -r "$tmp/elf.before" "$tmp/s/elf" >/dev/null
ok $? "pack again: the packed files are left as they are"
"$T" expand "$tmp/s" "$(printf 'x%.0s' $(seq 1 300))" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q 'File name too long' "$tmp/err"
ok $? "expand: a name of 300 bytes: File name too long"
"$T" pack "$tmp/nonexistent" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q 'nonexistent/elf: No such file' "$tmp/err"
ok $? "pack: a snapshot without elf/: an error naming it"

# ------------------------------------------------------------ a snapshot's smaps out of order
# (what --save keeps of a process whose smaps changed at every read): read once,
# the VMAs out of address order left out, with a warning
fresh libs
awk '/^[0-9a-f]+-[0-9a-f]+ / {n++} {b[n] = b[n] $0 "\n"}
	END {printf "%s%s%s", b[0], b[2], b[1]; for (i = 3; i <= n; i++) printf "%s", b[i]}' \
	"$tmp/s/smaps" >"$tmp/smaps" && mv "$tmp/smaps" "$tmp/s/smaps"
run --json "$tmp/s/"
reads "smaps is not in address order: 1 overlapping or out-of-order VMAs left out" &&
	"$JQ" -e --argjson n "$(grep -cE '^[0-9a-f]+-[0-9a-f]+ ' "$tmp/s/smaps")" \
		'.vmas | length == $n - 1' "$tmp/out" >/dev/null
ok $? "a snapshot whose smaps is out of address order: one VMA left out, a warning"

# ------------------------------------------------------------ vm.legacy_va_layout
# The mmap area's direction of a live process reads vm.legacy_va_layout: where
# /proc/sys hides it (a tmpfs over /proc/sys/vm, as some containers have), the
# default, top-down, and no warning; where it reads empty, a warning and no
# direction.  In a mount namespace of their own (root with CAP_SYS_ADMIN).
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && unshare -m true 2>/dev/null; then
	sleep 600 &
	lv=$!
	started+=("$lv")
	unshare -m sh -c 'mount -t tmpfs none /proc/sys/vm && exec "$0" --json "$1"' \
		"$VMLAYOUT" "$lv" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	reads && [ ! -s "$tmp/err" ] && jqt '.mm.mmap_layout == "top-down" and .warnings == []'
	ok $? "no vm.legacy_va_layout under /proc/sys: top-down, no warning"
	unshare -m sh -c 'mount --bind /dev/null /proc/sys/vm/legacy_va_layout &&
		exec "$0" --json "$1"' "$VMLAYOUT" "$lv" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	reads "legacy_va_layout not read: empty" && jqt '.mm.mmap_layout == null'
	ok $? "vm.legacy_va_layout empty: a warning that says so, the direction unknown"
	kill "$lv" 2>/dev/null
else
	skip "vm.legacy_va_layout hidden or empty" "needs root with CAP_SYS_ADMIN (unshare -m)"
fi

# ------------------------------------------------------------ 32-bit
if [ -x "$top_builddir/tests/target-m32" ] && ! runs_here "$top_builddir/tests/target-m32"; then
	skip "32-bit snapshots" "the kernel does not run tests/target-m32 (no IA-32 emulation)"
elif [ -x "$top_builddir/tests/target-m32" ]; then
	# it runs until its standard input ends: a FIFO this shell holds open
	mkfifo "$tmp/m32.in"
	exec 3<>"$tmp/m32.in"
	"$top_builddir/tests/target-m32" <&3 >"$tmp/m32.out" 2>/dev/null &
	m32=$!
	started+=("$m32")
	wait_for 400 grep -qx ready "$tmp/m32.out"
	run --save "$tmp/m32" --json "$m32"
	if reads && jqt '.process.elf_class == 32 and .process.task_size == "0xffffe000"'; then
		ok 0 "a 32-bit process saved: its task size is 4 GiB less a page"
		echo 08000000 >"$tmp/m32/personality"
		run --json "$tmp/m32"
		reads && jqt '.process.task_size == "0xc0000000"'
		ok $? "a 32-bit snapshot with ADDR_LIMIT_3GB in its personality: task size 3 GiB"
		rm "$tmp/m32/personality"
		run --json "$tmp/m32"
		reads && jqt '.process.task_size == null'
		ok $? "a 32-bit snapshot without its personality: task size unknown"
	else
		ok 1 "a 32-bit process saved"
	fi
	kill "$m32" 2>/dev/null
	exec 3>&-
else
	skip "32-bit snapshots" "no tests/target-m32 (no 32-bit compiler)"
fi

# ------------------------------------------------------------ live processes
# --save of a kernel thread: the kernel-thread message, no directory left
kt=
for d in /proc/[0-9]*; do
	st=$(cat "$d/stat" 2>/dev/null) || continue
	read -r -a f <<<"${st##*) }"
	# f[6] is field 9, flags: PF_KTHREAD 0x00200000
	if [ -n "${f[6]}" ] && [ $((f[6] & 0x200000)) -ne 0 ]; then
		kt=${d#/proc/}
		break
	fi
done
if [ -n "$kt" ]; then
	run --save "$tmp/kt" "$kt"
	fails "kernel thread: it has no user address space" && [ ! -e "$tmp/kt" ]
	ok $? "--save of a kernel thread (PID $kt): the kernel-thread message, nothing left"
else
	skip "--save of a kernel thread" "no kernel thread in this PID namespace"
fi

# tests/runtimes has a bss that its pages are counted in (pagemap); each open and
# read of a live read failing in turn: a report, or an error that names the cause
shim=$top_builddir/tests/failinj.so
declare -A errtext=([ENOMEM]="Cannot allocate memory" [EMFILE]="Too many open files"
	[EIO]="Input/output error" [EACCES]="Permission denied")
if [ ! -f "$shim" ] || grep -q __asan_init "$VMLAYOUT" 2>/dev/null; then
	skip "failures during a live read" "no tests/failinj.so, or an ASan build"
else
	mkfifo "$tmp/rt.in"
	exec 4<>"$tmp/rt.in"
	"$top_builddir/tests/runtimes" <&4 >"$tmp/rt.out" 2>/dev/null &
	rt=$!
	started+=("$rt")
	wait_for 400 grep -qx ready "$tmp/rt.out"
	for g in open:EMFILE open:EACCES read:EIO; do
		func=${g%:*} errno=${g#*:}
		rm -f "$tmp/count"
		LD_PRELOAD=$shim FAILINJ_FUNC=$func FAILINJ_COUNT=$tmp/count \
			"$VMLAYOUT" --json "$rt" >/dev/null 2>&1
		count=$(cat "$tmp/count" 2>/dev/null)
		bad=
		for n in $(seq 1 "${count:-0}"); do
			LD_PRELOAD=$shim FAILINJ_FUNC=$func FAILINJ_NTH=$n FAILINJ_ERRNO=$errno \
				"$VMLAYOUT" --json "$rt" >"$tmp/out" 2>"$tmp/err"
			rc=$?
			if [ $rc -eq 0 ] && "$JQ" -e ".process.pid == $rt" "$tmp/out" >/dev/null 2>&1; then
				continue
			fi
			if [ $rc -eq 1 ] && [ ! -s "$tmp/out" ] &&
				grep -qi -e "${errtext[$errno]}" -e "permission denied" "$tmp/err"; then
				continue
			fi
			bad="call $n: exit $rc: $(tail -n 1 "$tmp/err")"
			break
		done
		[ -n "$count" ] && [ "$count" -gt 0 ] && [ -z "$bad" ]
		ok $? "live read, $func call N of ${count:-?} failing ($errno): a report or the cause${bad:+ ($bad)}"
	done
	kill "$rt" 2>/dev/null
	exec 4>&-
fi

# --save of a sleep(1) with each open, read, write and mkdir failing in turn: exit
# 0 and a snapshot that reads, or exit 1 with the cause and no directory left (or,
# when the failure came after the snapshot was complete, one that reads)
errtext[ENOSPC]="No space left on device"
if [ ! -f "$shim" ] || grep -q __asan_init "$VMLAYOUT" 2>/dev/null; then
	skip "failures during --save" "no tests/failinj.so, or an ASan build"
else
	sleep 600 </dev/null >/dev/null 2>&1 &
	sl=$!
	started+=("$sl")
	wait_for 200 has_comm "$sl" sleep
	for g in open:EMFILE read:EIO write:ENOSPC mkdir:ENOSPC; do
		func=${g%:*} errno=${g#*:}
		rm -rf "$tmp/sv" "$tmp/count"
		LD_PRELOAD=$shim FAILINJ_FUNC=$func FAILINJ_COUNT=$tmp/count \
			"$VMLAYOUT" --save "$tmp/sv" --summary "$sl" >/dev/null 2>&1
		count=$(cat "$tmp/count" 2>/dev/null)
		bad=
		for n in $(seq 1 "${count:-0}"); do
			rm -rf "$tmp/sv"
			LD_PRELOAD=$shim FAILINJ_FUNC=$func FAILINJ_NTH=$n FAILINJ_ERRNO=$errno \
				"$VMLAYOUT" --save "$tmp/sv" --summary "$sl" >"$tmp/out" 2>"$tmp/err"
			rc=$?
			if [ $rc -eq 0 ] && [ -s "$tmp/out" ] && [ -f "$tmp/sv/snapshot" ]; then
				continue
			fi
			if [ $rc -eq 1 ] && [ ! -s "$tmp/out" ] &&
				grep -qi -e "${errtext[$errno]}" -e "permission denied" "$tmp/err" &&
				{ [ ! -e "$tmp/sv" ] || "$VMLAYOUT" --summary "$tmp/sv" >/dev/null 2>&1; }; then
				continue
			fi
			bad="call $n: exit $rc: $(tail -n 1 "$tmp/err")"
			break
		done
		[ -n "$count" ] && [ "$count" -gt 0 ] && [ -z "$bad" ]
		ok $? "--save, $func call N of ${count:-?} failing ($errno): a snapshot, or the cause and none${bad:+ ($bad)}"
	done
	kill "$sl" 2>/dev/null
fi

# ------------------------------------------------------------ maps and smaps text
exe=$(readlink -f "$top_builddir/tests/target-pie")
ino=$(stat -c %i "$exe")
sz=$(stat -c %s "$exe")
off_big=$(printf '%08x' $(((sz + 4096) / 4096 * 4096)))
printf '555555554000-555555555000 r--p 00000000 00:00 %s %s\n' "$((ino + 1))" "$exe" >"$tmp/inode.maps"
run --json --maps "$tmp/inode.maps"
reads "0 mapped files not found under / and 1 with another inode"
ok $? "maps naming a file of another inode: a warning that counts it"

printf '555555554000-555555555000 r--p %s 00:00 %s %s\n' "$off_big" "$ino" "$exe" >"$tmp/off.maps"
run --json --maps "$tmp/off.maps"
reads "and 1 with another inode"
ok $? "maps with an offset beyond the file's size: counted as another file"

run --json --sysroot "$tmp/nonexistent" --maps "$tmp/off.maps"
reads "1 mapped files not found under $tmp/nonexistent"
ok $? "--sysroot that does not exist: the file is not found there"

printf '555555554000-555555555000 r--p 00000000 00:00 %s %s\n' "$ino" "$exe" >"$tmp/good.maps"
run --json --sysroot / --maps "$tmp/good.maps"
reads && ! grep -q 'not found' "$tmp/err"
ok $? "--sysroot /: the files are looked up as without it"

# a path that is a directory, a file that is not ELF (with its inode): heuristics
printf 'text\n' >"$tmp/text"
printf '%s\n' "555555554000-555555555000 r--p 00000000 00:00 $(stat -c %i /) /" \
	"555555555000-555555556000 r--p 00000000 00:00 $(stat -c %i "$tmp/text") $tmp/text" >"$tmp/odd.maps"
run --json --maps "$tmp/odd.maps"
reads "1 mapped files not found under / and 0 with another inode"
ok $? "maps naming a directory and a text file: the directory not found, read"

# smaps text without KernelPageSize lines: the page size is the machine's
grep -v '^KernelPageSize:' "$fx/threads/smaps" >"$tmp/nokps.smaps"
run --json - <"$tmp/nokps.smaps"
reads && jqt ".process.page_size == $(getconf PAGESIZE)"
ok $? "smaps text without KernelPageSize: the machine's page size"

run --json --sysroot "" --maps "$tmp/good.maps"
reads && ! grep -q 'not found' "$tmp/err"
ok $? "--sysroot '': as without it"

# overlapping and out-of-order lines: left out, with a warning
printf '%s\n' '10000-30000 rw-p 00000000 00:00 0' '20000-40000 rw-p 00000000 00:00 0' \
	'50000-60000 rw-p 00000000 00:00 0' '8000-9000 rw-p 00000000 00:00 0' >"$tmp/overlap.maps"
run --json --maps "$tmp/overlap.maps"
reads "overlap or are out of order .*: 2 left out" && jqt '(.vmas | length) == 2'
ok $? "maps with overlapping and out-of-order lines: 2 left out, a warning"

# anonymous memory first, then a file (the executable: the first file mapped);
# all below 4 GiB: a 32-bit address space
m32=$top_builddir/tests/target-m32
if [ -x "$m32" ]; then
	m32=$(readlink -f "$m32")
	printf '%s\n' '00010000-00011000 rw-p 00000000 00:00 0' \
		"00400000-00401000 r--p 00000000 00:00 $(stat -c %i "$m32") $m32" >"$tmp/low.maps"
	run --json --maps "$tmp/low.maps"
	reads "the executable is taken to be $m32" &&
		jqt '.process.elf_class == 32 and .process.machine != "x86-64" and .process.task_size == null'
	ok $? "maps below 4 GiB, anonymous memory first: 32-bit, the file is the executable"
else
	skip "maps of a 32-bit program" "no tests/target-m32 (no 32-bit compiler)"
fi
printf '%s\n' '00010000-00011000 rw-p 00000000 00:00 0' >"$tmp/anon.maps"
run --json --maps "$tmp/anon.maps"
reads && jqt '.process.elf_class == 32 and .process.exe == null'
ok $? "maps of one anonymous VMA below 4 GiB: 32-bit, no executable"

# a mapped file whose name has no directory (not a path the tool can open)
printf '%s\n' '7f0000000000-7f0000001000 r--p 00000000 08:01 12 ld-linux.so.2' >"$tmp/rel.maps"
run --json --maps "$tmp/rel.maps"
reads
ok $? "maps naming a file without a directory: read"

# standard input or a file that is a directory: the read error
run - <"$tmp"
fails "Is a directory"
ok $? "standard input that is a directory: Is a directory"
run --smaps "$tmp"
fails "$tmp"
ok $? "--smaps DIRECTORY: an error naming it"

# ------------------------------------------------------------ names
sleep_bin=$(command -v sleep)
long_name=vmlcov-long-name-of-26-b
cp "$sleep_bin" "$tmp/$long_name" 2>/dev/null || ln -s "$sleep_bin" "$tmp/$long_name"
"$tmp/$long_name" 600 </dev/null >/dev/null 2>&1 &
p_long=$!
started+=("$p_long")
wait_for 200 has_comm "$p_long" "${long_name:0:15}"
run --json "$long_name"
reads && jqt ".process.pid == $p_long"
ok $? "a name longer than 15 bytes: found by its comm's first 15"

argv0=vmlcov-argv0
(exec -a "$argv0" "$sleep_bin" 600) </dev/null >/dev/null 2>&1 &
p_argv=$!
started+=("$p_argv")
wait_for 200 grep -q "^$argv0" "/proc/$p_argv/cmdline"
run --json "$argv0"
reads && jqt ".process.pid == $p_argv"
ok $? "a name only argv[0] gives (comm is sleep): found"

two=vmlcov-two
ln -s "$sleep_bin" "$tmp/$two"
"$tmp/$two" 600 </dev/null >/dev/null 2>&1 &
p2a=$!
"$tmp/$two" 600 </dev/null >/dev/null 2>&1 &
p2b=$!
started+=("$p2a" "$p2b")
wait_for 200 has_comm "$p2a" "$two" && wait_for 200 has_comm "$p2b" "$two"
run "$two"
fails "several processes are named '$two': " && grep -qw "$p2a" "$tmp/err" && grep -qw "$p2b" "$tmp/err"
ok $? "two processes of one name: an error that lists both PIDs"

# The look-up with each call of a group failing in turn (tests/failinj.so; not
# under AddressSanitizer, whose runtime must be the first library): never an
# answer that misses one of the two (a report of the other, or "no process
# named"), but the same error as without the failure, or the failure's own.
if [ ! -f "$shim" ] || grep -q __asan_init "$VMLAYOUT" 2>/dev/null; then
	skip "failures during the look-up by name" "no tests/failinj.so, or an ASan build"
else
	for g in alloc:ENOMEM open:EMFILE read:EIO; do
		func=${g%:*} errno=${g#*:}
		rm -f "$tmp/count"
		LD_PRELOAD=$shim FAILINJ_FUNC=$func FAILINJ_COUNT=$tmp/count \
			"$VMLAYOUT" "$two" >/dev/null 2>&1
		count=$(cat "$tmp/count" 2>/dev/null)
		bad=
		for n in $(seq 1 "${count:-0}"); do
			LD_PRELOAD=$shim FAILINJ_FUNC=$func FAILINJ_NTH=$n FAILINJ_ERRNO=$errno \
				"$VMLAYOUT" "$two" >"$tmp/out" 2>"$tmp/err"
			rc=$?
			if [ $rc -ne 1 ] || [ -s "$tmp/out" ] ||
				! grep -q -e "several .*processes are named '$two'" \
					-e "${errtext[$errno]}" "$tmp/err"; then
				bad="call $n: exit $rc: $(tail -n 1 "$tmp/err")"
				break
			fi
		done
		[ -n "$count" ] && [ "$count" -gt 0 ] && [ -z "$bad" ]
		ok $? "look-up of two processes, $func call N of ${count:-?} failing ($errno): the error, or both found${bad:+ ($bad)}"
	done
fi

run vmlcov-no-such-name
fails "no process named 'vmlcov-no-such-name'"
ok $? "no process of that name: said so, exit 1"

done_testing

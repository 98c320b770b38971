#!/bin/bash
# cover-views.sh - the corners of the command line and of the views that the other
# tests leave: option checks and the combinations they refuse; the VMA table raw,
# as pairs, sorted, filtered to nothing, without headings, on a terminal (script(1)
# gives a pty) and off one; --list-columns (text, JSON, on a full disk); the JSON
# filter object; the roles that only some kernels' names give ([uprobes],
# [anon_shmem:NAME], anon_inode:[...], a future [name], glibc's named arenas, a
# large ---p right below the stack); names that the table must escape.
#
# Input: the committed snapshot tests/snapshots/libs, and smaps text made from its
# smaps by this test: VMAs with those names written in the kernel's format (the
# header of show_vma_header_prefix(), "Key: N kB" lines) put below its first
# mapping, and a 128 KiB ---p VMA put right below its [stack].  TAP.  Needs jq.
. "$top_srcdir/tests/tap.sh"

[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"
[ -n "$JQ" ] || skip_all "jq not found"
V=$VMLAYOUT
S=$top_srcdir/tests/snapshots/libs
[ -f "$S/smaps" ] || bail_out "no snapshot $S"
export LC_ALL=C
unset VMLAYOUT_COLUMNS NO_COLOR

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-cover.XXXXXX") || bail_out "mktemp failed"
trap 'rm -rf "$tmp"' EXIT

# jqe [JQ OPTIONS] FILTER FILE: jq -e on FILE, false when FILE is empty (jq 1.6 -e
# is true on no input)
jqe() {
	local file=${!#}
	[ -s "$file" ] && "$JQ" -e "$@" >/dev/null
}

# usage ARGS...: exit 64, nothing on stdout, "Try 'vmlayout --help'" on stderr
usage() {
	"$V" "$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	[ $rc -eq 64 ] && [ ! -s "$tmp/out" ] && grep -q "Try 'vmlayout --help'" "$tmp/err"
}

# ------------------------------------------------------------ options refused
usage --addr 0x1000 -o START "$S"; ok $? "--addr with -o: usage error"
usage --addr 0x1000 --output-all "$S"; ok $? "--addr with --output-all: usage error"
usage --addr 0x1000 --sort SIZE "$S"; ok $? "--addr with --sort: usage error"
usage --addr 0x1000 --vmas "$S"; ok $? "--addr with --vmas: usage error"
grep -q "exclude each other" "$tmp/err"; ok $? "... saying they exclude each other"
usage --addr 0x1000 --role text "$S"; ok $? "--addr with a filter: usage error"
usage --diagram --vmas "$S"; ok $? "--diagram with --vmas: usage error"
usage --summary --addr 0x1000 "$S"; ok $? "--summary with --addr: usage error"
usage --objects --json "$S"; ok $? "--objects with --json: usage error"
usage -r -P "$S"; ok $? "--raw with --pairs: usage error"
usage --object '' "$S"; ok $? "--object with an empty pattern: usage error"
for b in 123 xyz 12g fffffffffffffffffffff ''; do
	usage --base "$b" "$S"
	ok $? "--base '$b': usage error"
done
for t in '' 0 3000000000 99999999999999999999 'two words'; do
	usage "$t"
	ok $? "target '$t': usage error"
done
usage -o '' "$S"; ok $? "-o '': usage error"
grep -q "empty list of columns" "$tmp/err"; ok $? "... an empty list of columns"
usage -o START,NOPE "$S"; ok $? "-o with an unknown column: usage error"
usage -o "$(printf 'SIZE,%.0s' {1..300})SIZE" "$S"; ok $? "-o with 301 columns: usage error"
grep -q "too many columns" "$tmp/err"; ok $? "... too many columns"
usage --sort NOPE "$S"; ok $? "--sort with an unknown column: usage error"
usage --save "$tmp/s" "$S"; ok $? "--save of a path: usage error"
usage --save "$tmp/s" 1 2; ok $? "--save of two PIDs: usage error"
usage --save "$tmp/s" --smaps "$S/smaps"; ok $? "--save of smaps text: usage error"
VMLAYOUT_COLUMNS=NOPE usage --vmas "$S"; ok $? "VMLAYOUT_COLUMNS with an unknown column: usage error"
grep -q "VMLAYOUT_COLUMNS" "$tmp/err"; ok $? "... naming VMLAYOUT_COLUMNS"
usage; ok $? "no target: usage error"
"$V" --no-such-option "$S" >"$tmp/out" 2>/dev/full
[ $? -eq 64 ] && [ ! -s "$tmp/out" ]
ok $? "a usage error with stderr on a full disk: still exit 64"

# ------------------------------------------------------------ the VMA table
VMLAYOUT_COLUMNS=START,ROLE "$V" --vmas "$S" >"$tmp/out" 2>/dev/null
[ "$(head -1 "$tmp/out" | tr -s ' ')" = " START ROLE" ] ||
	[ "$(head -1 "$tmp/out" | tr -s ' ')" = "START ROLE" ]
ok $? "VMLAYOUT_COLUMNS=START,ROLE: the default columns"
VMLAYOUT_COLUMNS=START,ROLE "$V" -o +SIZE "$S" >"$tmp/out" 2>/dev/null
[ "$(head -1 "$tmp/out" | tr -s ' ' | sed 's/^ //')" = "START ROLE SIZE" ]
ok $? "VMLAYOUT_COLUMNS and -o +SIZE: added to them"

VMLAYOUT_COLUMNS= "$V" -r "$S" >"$tmp/out" 2>/dev/null
[ "$(head -1 "$tmp/out")" = "START END SIZE RSS PSS SHARE PRIVATE SWAP PERMS ROLE OBJECT" ]
ok $? "VMLAYOUT_COLUMNS empty: the default columns"
"$V" --output-all -r "$S" >"$tmp/out" 2>/dev/null
[ "$(head -1 "$tmp/out" | wc -w)" -eq "$("$V" --list-columns -r -n | wc -l)" ]
ok $? "--output-all -r: every column listed by --list-columns"

"$V" --vmas -n --role vsyscall --perms w "$S" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 0 ] && [ ! -s "$tmp/out" ]
ok $? "a filter that matches nothing, -n: no line at all"
"$V" --vmas --role vsyscall --perms w "$S" >"$tmp/out" 2>/dev/null
[ "$(wc -l <"$tmp/out")" -eq 1 ]
ok $? "a filter that matches nothing: the header line only"
"$V" -r --object 'no-such-object*' "$S" >"$tmp/out" 2>/dev/null
[ $? -eq 0 ] && [ "$(grep -vc '^START ' "$tmp/out")" -eq 0 ]
ok $? "-r, --object that matches nothing: no row"
"$V" -P --region special -o START,ROLE,PATH "$S" >"$tmp/out" 2>/dev/null
grep -qx 'START="0xffffffffff600000" ROLE="vsyscall" PATH="\[vsyscall\]"' "$tmp/out"
ok $? "-P --region special: NAME=\"value\" pairs"
"$V" --sort RSS -o RSS --bytes -n "$S" >"$tmp/out" 2>/dev/null
sort -n -c "$tmp/out" 2>/dev/null && [ -s "$tmp/out" ]
ok $? "--sort RSS --bytes -n: ascending numbers"
"$V" --sort PATH -o PATH -r -n "$S" >"$tmp/out" 2>/dev/null
LC_ALL=C sort -c "$tmp/out" 2>/dev/null && [ -s "$tmp/out" ]
ok $? "--sort PATH -r: ascending bytes"
"$V" --sort TID -o TID,START -r -n "$S" >/dev/null 2>&1
ok $? "--sort by a column mostly unknown (TID)"
"$V" --vmas "$S" "$S" >"$tmp/out" 2>/dev/null
[ "$(grep -c '^ *START' "$tmp/out")" -eq 2 ] && grep -qx '' "$tmp/out"
ok $? "--vmas of two targets: two tables, a blank line between"
"$V" -r "$S" "$S" >"$tmp/out" 2>/dev/null
[ "$(grep -c '^START' "$tmp/out")" -eq 2 ] && ! grep -qx '' "$tmp/out"
ok $? "-r of two targets: no blank line"
"$V" -P -o START "$S" "$S" >"$tmp/out" 2>/dev/null
[ "$(grep -c '^START="0x' "$tmp/out")" -eq "$(($("$V" -r -n "$S" 2>/dev/null | wc -l) * 2))" ] &&
	! grep -qx '' "$tmp/out"
ok $? "-P of two targets: every row of both, no blank line"
"$V" -r "$S" >/dev/full 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "write error" "$tmp/err"
ok $? "-r on a full disk: exit 1, write error"
"$V" --vmas "$S" >/dev/full 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "write error" "$tmp/err"
ok $? "--vmas on a full disk: exit 1, write error"

# ------------------------------------------------------------ --list-columns
"$V" --list-columns --json >"$tmp/out" 2>"$tmp/err"
[ $? -eq 0 ] && jqe '.columns | length > 40 and all(.name and .description and
	(.type | IN("address", "size", "number", "boolean", "string")))' "$tmp/out" >/dev/null &&
	[ "$("$JQ" -r '[.columns[].type] | unique | join(",")' "$tmp/out")" = address,boolean,number,size,string ]
ok $? "--list-columns --json: every column with a name, a description and each type"
"$V" --list-columns -n -r >"$tmp/out" 2>&1
[ $? -eq 0 ] && ! grep -q '^NAME' "$tmp/out" && grep -q '^START ' "$tmp/out"
ok $? "--list-columns -n -r: no heading"
"$V" --list-columns -P >"$tmp/out" 2>&1
grep -q '^NAME="START" DESCRIPTION=' "$tmp/out"
ok $? "--list-columns -P: pairs"
"$V" --list-columns >/dev/full 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "write error" "$tmp/err"
ok $? "--list-columns on a full disk: exit 1, write error"

# ------------------------------------------------------------ JSON
"$V" --json --region code,heap --perms rwxp "$S" >"$tmp/out" 2>/dev/null
jqe '.filter == {roles: [], regions: ["code", "heap"], perms: "rwxp", objects: []}
	and (.vmas | length) == 0' "$tmp/out" >/dev/null
ok $? "--json --region code,heap --perms rwxp: the filter object, no VMA"
"$V" --json --perms s "$S" >"$tmp/out" 2>/dev/null
jqe '.filter.perms == "s" and all(.vmas[]; .perms[3:4] == "s")' "$tmp/out"
ok $? "--json --perms s: the filter, shared VMAs only"
"$V" --json --role text --object 'libc*' "$S" >"$tmp/out" 2>/dev/null
jqe '.filter.roles == ["text"] and .filter.objects == ["libc*"] and (.vmas | length) > 0
	and all(.vmas[]; .role == "text")' "$tmp/out" >/dev/null
ok $? "--json --role text --object 'libc*': the filter, text VMAs only"
"$V" --json-lines --vmas -o START,SIZE,DELETED,INODE,PATH,TID "$S" "$S" >"$tmp/out" 2>/dev/null
[ "$(wc -l <"$tmp/out")" -eq 2 ] && jqe '(.vmas | length) > 10 and
	all(.vmas[]; (.start | type) == "string" and (.size | type) == "number" and
	    (.deleted | type) == "boolean" and (.tid == null or (.tid | type) == "number"))' \
	"$tmp/out" >/dev/null
ok $? "--json-lines --vmas: a line per target, each value of its column's type"

# ------------------------------------------------------------ smaps text with rare names
# the VMAs that kernels print for these (fs/proc/task_mmu.c, mm/shmem.c, fs/anon_inodes.c)
vma() {	# START END PERMS DEV INODE NAME [LINE]
	printf '%s-%s %s 00000000 %s %-26s%s\n' "$1" "$2" "$3" "$4" "$5" "$6"
	printf 'Size:           %8d kB\nRss:                   0 kB\nPss:                   0 kB\n' \
		$(((0x$2 - 0x$1) / 1024))
	[ -n "${7:-}" ] && printf '%s\n' "$7"
	printf 'VmFlags: rd mr mw me ac \n'
}
first=$(head -1 "$S/smaps" | cut -d- -f1)
[ $((0x$first > 0x20000000)) -eq 1 ] || bail_out "the snapshot maps below 0x20000000"
stack=$(grep '\[stack\]$' "$S/smaps" | cut -d- -f1)
nstack=$(grep -n '\[stack\]$' "$S/smaps" | cut -d: -f1)
guard=$(printf '%x' $((0x$stack - 131072)))
{
	vma 10000000 10001000 r-xp 00:00 0 '[uprobes]'
	vma 10002000 10003000 rw-s 00:01 5 '[anon_shmem:ring]'
	vma 10004000 10005000 r--p 00:00 0 '[some future name]'
	vma 10006000 10007000 rw-p 103:1000 1234 'anon_inode:[perf_event]' 'Vmlayout_Future:       3 kB'
	vma 10008000 10009000 rw-s 00:00 0 ''
	vma 1000a000 1000b000 r--p fe:01 77 $'/tmp/a\xc2\x85b'
	vma 1000c000 1000d000 r--p fe:01 78 '/tmp/back\xslash'
	vma 1000e000 1000f000 r--p fe:01 79 $'/tmp/tab\there'
	vma 10010000 10011000 rw-p 00:00 0 '[anon:myname]'
	vma 10012000 10013000 r--p fe:01 80 '/tmp/x'
	vma 10014000 10015000 r-xp fe:01 81 '/tmp/y'
	vma 10015000 10016000 ---p fe:01 81 '/tmp/y'
	vma 14000000 14100000 rw-p 00:00 0 '[anon: glibc: malloc arena]'
	head -n $((nstack - 1)) "$S/smaps"
	printf '%s-%s ---p 00000000 00:00 0 \nSize:                128 kB\nVmFlags: mr mw me \n' \
		"$guard" "$stack"
	tail -n +"$nstack" "$S/smaps"
} >"$tmp/rare.smaps"

"$V" --json --vmas -o START,ROLE,DEV,PATH --smaps "$tmp/rare.smaps" >"$tmp/rare.json" 2>"$tmp/err"
ok $? "smaps text with rare names read"
role_at() {	# START ROLE
	jqe --arg a "0x$1" --arg r "$2" '[.vmas[] | select(.start == $a)] |
		length == 1 and .[0].role == $r' "$tmp/rare.json" >/dev/null
	ok $? "0x$1 ($3): role $2"
}
role_at 10000000 other '[uprobes]'
role_at 10002000 shm '[anon_shmem:NAME]'
role_at 10004000 other 'an unknown [name]'
role_at 10006000 file 'anon_inode:[perf_event], an inode, not a path'
role_at 10008000 shm 'shared, unnamed'
role_at 10010000 anon '[anon:NAME]'
role_at 10012000 file 'a file not found'
role_at 10014000 text 'code of a file not found: roles from permissions'
role_at 10015000 reserved '---p of that file'
role_at 14000000 arena '[anon: glibc: malloc arena]'
role_at "$guard" guard '128 KiB ---p right below the stack'
jqe '[.vmas[] | select(.start == "0x10006000")] | .[0].dev == "103:1000"' \
	"$tmp/rare.json" >/dev/null
ok $? "a major above ff: DEV 103:1000"

"$V" --json --smaps "$tmp/rare.smaps" >"$tmp/doc.json" 2>/dev/null
jqe '[.vmas[] | select(.start == "0x10006000")] | .[0] |
	.smaps.Vmlayout_Future == 3072 and .dev == "103:1000"' "$tmp/doc.json" >/dev/null
ok $? "--json: an unknown smaps field of one VMA kept by name, in bytes; its device"
jqe '[.vmas[] | select(.smaps.Vmlayout_Future)] | length == 1' "$tmp/doc.json" >/dev/null
ok $? "--json: the unknown field in that VMA only"

# the names, as the table shows them (libsmartcols's safe encoding)
LC_ALL=C.UTF-8 "$V" --vmas -o START,PATH --smaps "$tmp/rare.smaps" >"$tmp/names" 2>/dev/null
grep -qF '/tmp/a\xc2\x85b' "$tmp/names" && grep -qF '/tmp/back\x5cxslash' "$tmp/names" &&
	grep -qF '/tmp/tab\x09here' "$tmp/names"
ok $? "table (UTF-8): a non-printable character, a backslash before x and a tab as \\xHH"
LC_ALL=C.UTF-8 "$V" -r -o START,PATH --smaps "$tmp/rare.smaps" >"$tmp/names.raw" 2>/dev/null
grep -qF '/tmp/a\xc2\x85b' "$tmp/names.raw"
ok $? "raw table (UTF-8): the same escape"

"$V" --smaps "$tmp/rare.smaps" >"$tmp/text" 2>/dev/null
ok $? "the text view of the rare names"
grep -q '\[anon:myname\]' "$tmp/text" && grep -q 'guard' "$tmp/text"
ok $? "the diagram names a lone [anon:NAME] VMA, and the guard"

# ------------------------------------------------------------ copies of the snapshot, edited
# Its smaps, as if the files had changed since they were mapped or the process had
# remapped parts of them; the ELF headers are the snapshot's.  Each edit is checked
# to have taken place.
# edit DIR SED-SCRIPT: a copy of the snapshot in DIR with its smaps edited
edit() {
	rm -rf "$1" && cp -r "$S" "$1" && sed -i "$2" "$1/smaps" && ! cmp -s "$S/smaps" "$1/smaps"
}
# role_of DIR START ROLE: the VMA at 0xSTART of the snapshot copy DIR has role ROLE
role_of() {
	"$V" -r -n -o START,ROLE "$1" 2>/dev/null | grep -qx "0x$2 $3"
}
libc_rodata=7f3ade39a000 libm_text=7f3ade9dc000 libm_first=7f3ade9cc000
crypto_bss=7f3addc85000 libc_bss=7f3ade3f3000
edit "$tmp/s1" "s/^\($libc_rodata-[0-9a-f]*\) r--p /\1 ---p /; s/^\($libm_text-[0-9a-f]*\) r-xp /\1 rwxp /"
ok $? "snapshot copy 1: libc's rodata made ---p, libm's text rwxp"
"$V" "$tmp/s1" >/dev/null 2>"$tmp/err"
role_of "$tmp/s1" $libc_rodata reserved
ok $? "a ---p VMA where the ELF headers place a segment: reserved"
grep -q 'libm.so.6: the permissions of its mappings do not match the ELF segment flags' "$tmp/err" &&
	role_of "$tmp/s1" $libm_text text
ok $? "an rwxp VMA where the headers place text: a warning, the object's roles from permissions"
edit "$tmp/s2" "s|^\($crypto_bss-[0-9a-f]*\) rw-p 00000000 00:00 0 \$|\1 rw-p 00000000 fe:00 4242                       /tmp/a-file|
s/^\($libc_bss-[0-9a-f]*\) rw-p /\1 rw-s /; s/^\($libm_first-[0-9a-f]*\) r--p 00000000 /\1 r--p 00001000 /"
ok $? "snapshot copy 2: a file where libcrypto's bss is, libc's bss shared, libm's first VMA at another offset"
"$V" "$tmp/s2" >/dev/null 2>"$tmp/err"
role_of "$tmp/s2" $crypto_bss file
ok $? "a file-backed VMA in the range of a bss: a file, and no bss there"
role_of "$tmp/s2" $libc_bss shm
ok $? "a shared VMA in the range of a bss: shared memory, not bss"
grep -q 'libm.so.6: the mappings do not match the ELF program headers' "$tmp/err" &&
	role_of "$tmp/s2" $libm_text text
ok $? "no mapping of libm where its first segment would be: a warning, roles from permissions"

# ------------------------------------------------------------ on a terminal
if script -qc true /dev/null >/dev/null 2>&1; then
	COLUMNS=80 script -qc "'$V' --vmas -o START,ROLE,PATH '$S'" /dev/null >"$tmp/tty" 2>&1
	tr -d '\r' <"$tmp/tty" >"$tmp/tty.txt"
	grep -q '^ *START  *ROLE  *PATH' "$tmp/tty.txt" && grep -q 'vsyscall' "$tmp/tty.txt"
	ok $? "--vmas on a terminal: libsmartcols's table"
	NO_COLOR= COLUMNS=80 script -qc "'$V' --diagram '$S'" /dev/null >"$tmp/tty" 2>&1
	grep -q $'\e\[' "$tmp/tty"
	ok $? "the text view on a terminal: coloured"
	NO_COLOR=1 COLUMNS=80 script -qc "'$V' --diagram '$S'" /dev/null >"$tmp/tty" 2>&1
	! grep -q $'\e\[' "$tmp/tty"
	ok $? "the text view on a terminal with NO_COLOR set: not coloured"
	NO_COLOR=1 script -qc "'$V' --color=always --smaps '$tmp/rare.smaps' >/dev/null" /dev/null \
		>"$tmp/tty" 2>&1
	grep -q $'\e\[' "$tmp/tty"
	ok $? "--color=always, NO_COLOR set: the warnings on a terminal coloured"
else
	skip "--vmas on a terminal" "script(1) cannot make a pty"
fi

# ------------------------------------------------------------ paths
"$V" /dev/null >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "not a regular file" "$tmp/err"
ok $? "/dev/null: not a regular file"
: >"$tmp/empty"
"$V" --smaps "$tmp/empty" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "no VMA" "$tmp/err"
ok $? "--smaps of an empty file: no VMA"
"$V" --maps "$tmp/no-such-file" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "No such file" "$tmp/err"
ok $? "--maps of a missing file: its error"
cp "$S/smaps" "$tmp/unreadable"
chmod 000 "$tmp/unreadable"
if cat "$tmp/unreadable" >/dev/null 2>&1; then
	skip "a file that cannot be opened" "the permissions do not stop this user (root)"
else
	"$V" "$tmp/unreadable" >"$tmp/out" 2>"$tmp/err"
	[ $? -eq 1 ] && [ ! -s "$tmp/out" ] && grep -q "Permission denied" "$tmp/err"
	ok $? "a file that cannot be opened: exit 1, permission denied"
fi
# an ELF file whose header says big-endian (EI_DATA 2): a copy of the layout target
prog=$top_builddir/tests/target-pie
if [ -f "$prog" ]; then
	cp "$prog" "$tmp/be"
	printf '\002' | dd of="$tmp/be" bs=1 seek=5 conv=notrunc 2>/dev/null
	"$V" "$tmp/be" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -lt 128 ] && { [ $rc -eq 0 ] || [ -s "$tmp/err" ]; }
	ok $? "an ELF file marked big-endian: a report or an error, no crash (exit $rc)"
else
	skip "an ELF file marked big-endian" "target-pie not built"
fi
done_testing

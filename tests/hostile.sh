#!/bin/bash
# hostile.sh - hostile file names, files that are not what their name says, and
# crafted ELF files, all mapped by tests/hostile (see tests/hostile.c for the list).
#
# JSON: every name comes back as the kernel's bytes decoded: "path" is the name as
# UTF-8 (each invalid sequence replaced by U+FFFD) and "path_bytes" its exact bytes in
# hex when it is not valid UTF-8.  The kernel prints a newline in a name as the four
# bytes "\012" and prints a backslash as itself, so a name holding a real newline and
# a name holding the literal characters \ 0 1 2 look the same in smaps; vmlayout
# decodes every "\012" to a newline (the common case).  The test asserts exactly that:
# "lit\012eral" is reported as "lit<newline>eral".  Likewise a name that really ends
# in " (deleted)" is reported without it, with "deleted": true.
# Text view: no byte below 0x20 other than newline, and no DEL, reaches the output.
# Files: a FIFO or a device at a mapped path, and a different file at the path of a
# mapped one, are never opened for reading (strace -y, when installed, lists every
# open; only O_PATH opens may name them); /dev/zero mapped private is anonymous
# memory.  Crafted ELF files: a warning names each odd one, the rest of the report is
# consistent (tests/consistent.jq) and vmlayout exits 0.
# TAP.  Needs jq ($JQ).
. "$top_srcdir/tests/tap.sh"

[ -n "$JQ" ] || skip_all "jq not found"
[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"
hostile=$top_builddir/tests/hostile
[ -x "$hostile" ] || bail_out "tests/hostile not built"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-hostile.XXXXXX") || bail_out "mktemp failed"
hpid=
cleanup() {
	if [ -n "$hpid" ]; then
		kill -TERM "$hpid" 2>/dev/null
		wait "$hpid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# ---------------------------------------------------------------- start
declare -A kind addr path
coproc H { exec "$hostile" "$tmp/d"; }
hpid=$H_PID
while IFS=' ' read -r k a label hex <&"${H[0]}"; do
	[ "$k" = ready ] && break
	kind[$label]=$k addr[$label]=$a path[$label]=$hex
done
[ "$k" = ready ] || bail_out "tests/hostile did not start"

"$VMLAYOUT" --json "$hpid" >"$tmp/json" 2>"$tmp/json.err"
ok $? "vmlayout --json exits 0"
n=$("$JQ" '.warnings | length' "$tmp/json")
ok $([ "$(grep -c "^vmlayout: PID $hpid: warning: " "$tmp/json.err")" = "$n" ] &&
	! grep -qv "^vmlayout: PID $hpid: warning: " "$tmp/json.err"; echo $?) \
	"vmlayout --json: nothing on stderr but its $n warnings"
bad=$("$JQ" -c -f "$top_srcdir/tests/consistent.jq" "$tmp/json" 2>&1)
ok $([ "$bad" = "[]" ]; echo $?) "the report is consistent"
[ "$bad" = "[]" ] || diag "$bad"

# vma LABEL: the VMA holding the label's address, as one compact JSON object
vma() {
	"$JQ" -c --arg a "${addr[$1]}" '
	  def pad: ltrimstr("0x") | ("0000000000000000"[0:(16 - length)]) + .;
	  ($a | pad) as $x | [.vmas[] | select((.start | pad) <= $x and $x < (.end | pad))][0]
	' "$tmp/json"
}

# bytes_of HEX: the bytes of the hex string, as printf would write them
unhex() { printf '%s' "$1" | sed 's/../\\x&/g'; }

# ---------------------------------------------------------------- names
# The expected decoded name: literal "\012" becomes a newline (the kernel's ambiguity).
for label in newline tab trailing backslash literal012 nonutf8 deleted_lit bracket \
	     bracket2 utf8 escape long; do
	v=$(vma "$label")
	if [ -z "$v" ] || [ "$v" = null ]; then
		ok 1 "name $label: a VMA at ${addr[$label]}"
		continue
	fi
	printf "$(unhex "${path[$label]}")" >"$tmp/want"
	deleted=false
	if [ "$label" = literal012 ]; then
		sed -i 's/\\012/\n/' "$tmp/want"
	fi
	if [ "$label" = deleted_lit ]; then
		truncate -s -10 "$tmp/want"	# " (deleted)"
		deleted=true
	fi
	want_hex=$(od -An -v -tx1 "$tmp/want" | tr -d ' \n')
	# path_bytes when present, else the UTF-8 of path, must be the expected bytes
	got_hex=$(printf '%s' "$v" | "$JQ" -r '.path_bytes // empty')
	if [ -z "$got_hex" ]; then
		printf '%s' "$v" | "$JQ" -j '.path' >"$tmp/got"
		got_hex=$(od -An -v -tx1 "$tmp/got" | tr -d ' \n')
	fi
	ok $([ "$got_hex" = "$want_hex" ]; echo $?) "name $label: the path's bytes come back exactly"
	[ "$got_hex" = "$want_hex" ] || diag "got $got_hex" "want $want_hex"
	got_del=$(printf '%s' "$v" | "$JQ" -r '.deleted')
	ok $([ "$got_del" = $deleted ]; echo $?) "name $label: deleted is $deleted"
	role=$(printf '%s' "$v" | "$JQ" -r '.role')
	ok $([ "$role" = file ]; echo $?) "name $label: role file (got $role)"
done
v=$(vma nonutf8)
ok $(printf '%s' "$v" | "$JQ" -e '.path_bytes != null and (.path | test("\ufffd"))' >/dev/null; echo $?) \
	"name nonutf8: path has U+FFFD and path_bytes is given"
v=$(vma utf8)
ok $(printf '%s' "$v" | "$JQ" -e '.path_bytes == null' >/dev/null; echo $?) \
	"name utf8: valid UTF-8 is given as is, without path_bytes"

# ---------------------------------------------------------------- odd files
v=$(vma devzero)
role=$(printf '%s' "$v" | "$JQ" -r '.role')
ok $([ "$role" = anon ]; echo $?) "/dev/zero mapped private is anonymous memory: role anon (got $role)"
# These files are mapped PROT_EXEC, and their paths do not lead to them: only
# /proc/PID/map_files does, which needs CAP_SYS_ADMIN (or CAP_CHECKPOINT_RESTORE).
# With it, the file is read (not ELF: role file); without it, the roles come from
# the permissions (text) and a warning says the ELF headers were not read.  Root
# in a container usually has neither capability.
cap_eff=$(awk '$1 == "CapEff:" { print $2 }' /proc/self/status)
map_files=0
(((16#${cap_eff:-0} & ((1 << 21) | (1 << 40))) != 0)) && map_files=1
for label in fifo replaced shadowed fifoshadow; do
	v=$(vma $label)
	role=$(printf '%s' "$v" | "$JQ" -r '.role')
	if [ $map_files = 1 ]; then
		ok $([ "$role" = file ]; echo $?) "$label: role file (got $role)"
	else
		p=$(printf '%s' "$v" | "$JQ" -r '.path')
		"$JQ" -e --arg p "$p: " '[.warnings[] | select(startswith($p) and test("not read"))] | length == 1' \
			"$tmp/json" >/dev/null
		ok $([ "$role" = text ] && [ $? -eq 0 ]; echo $?) \
			"$label: role text from the permissions, and a warning (got $role)"
	fi
done
if [ $map_files = 1 ]; then
	ok $("$JQ" -e --arg p "$(printf '%s/d/ff\n' "$tmp")" \
		'[.warnings[] | select(startswith($p))] | length == 0' "$tmp/json" >/dev/null; echo $?) \
		"fifoshadow: no warning (the FIFO was not taken for the mapped file)"
fi

# strace: the opens for reading never reach a FIFO, a device or a stand-in file
if command -v strace >/dev/null 2>&1 &&
	strace -f -y -qq -e trace=openat,open -o "$tmp/strace" "$VMLAYOUT" --json "$hpid" \
		>/dev/null 2>"$tmp/strace.err"; then
	d=$tmp/d
	grep -v O_PATH "$tmp/strace" | grep -E '= [0-9]+<' >"$tmp/reads"
	bad=$(grep -F -e "<$d/fifo>" -e "<$d/replaced>" -e "<$d/ff" -e "<$d/amb" -e '</dev/zero>' \
		"$tmp/reads" | grep -v -e '(deleted)$' -e '\\\\012')
	ok $([ -z "$bad" ]; echo $?) "strace: no FIFO, device or stand-in file opened for reading"
	[ -z "$bad" ] || diag "$bad"
	n=$(grep -c -F -e "$d/" "$tmp/reads")
	ok $([ "$n" -gt 0 ]; echo $?) "strace: the regular mapped files were opened for reading ($n opens)"
	n=$(grep -c -E 'O_PATH.*= [0-9]+<'"$d"'/(fifo|ff\\n)' "$tmp/strace")
	ok $([ "$n" -gt 0 ]; echo $?) "strace: the FIFO paths were looked at with O_PATH only ($n)"
else
	skip "strace: no FIFO, device or stand-in file opened for reading" "strace not usable"
	skip "strace: the regular mapped files were opened for reading" "strace not usable"
	skip "strace: the FIFO paths were looked at with O_PATH only" "strace not usable"
fi

# ---------------------------------------------------------------- crafted ELF
# accepted with a warning: role text, an object of that path, a warning naming it;
# refused: role file, and still a warning that says why it was not used as ELF
for label in memsz_huge vaddr_wrap phnum_xnum overlap relro_out elf32 truncated \
	     phnum_ffff no_load; do
	v=$(vma "$label")
	p=$(unhex "${path[$label]}")
	p=$(printf "$p")
	role=$(printf '%s' "$v" | "$JQ" -r '.role')
	case $label in
	truncated | phnum_ffff | no_load)
		ok $([ "$role" = file ]; echo $?) "elf $label: refused, role file (got $role)"
		"$JQ" -e --arg p "$p: " '[.warnings[] | select(startswith($p))] | length == 1' \
			"$tmp/json" >/dev/null
		ok $? "elf $label: one warning names the file"
		;;
	elf32)
		ok $([ "$role" = text ]; echo $?) "elf $label: role text (got $role)"
		"$JQ" -e --arg p "$p" '[.objects[] | select(.path == $p and .elf_class == 32)] | length == 1' \
			"$tmp/json" >/dev/null
		ok $? "elf $label: an object of ELF class 32"
		;;
	*)
		ok $([ "$role" = text ]; echo $?) "elf $label: role text (got $role)"
		"$JQ" -e --arg p "$p: " '[.warnings[] | select(startswith($p))] | length == 1' \
			"$tmp/json" >/dev/null
		ok $? "elf $label: one warning names the file"
		;;
	esac
done
p=$(printf "$(unhex "${path[memsz_huge]}")")
"$JQ" -e --arg p "$p" '[.vmas[] | select(.object == $p and .role == "bss")] | length == 0' \
	"$tmp/json" >/dev/null
ok $? "elf memsz_huge: no anonymous VMA of the process is taken for its bss"

# ---------------------------------------------------------------- text view
"$VMLAYOUT" "$hpid" >"$tmp/text" 2>"$tmp/text.err"
ok $? "text view exits 0"
for mode in utf8 ascii; do
	opt=
	[ $mode = ascii ] && opt=--ascii
	LC_ALL=C.UTF-8 "$VMLAYOUT" $opt --color=never "$hpid" >"$tmp/text.$mode" 2>>"$tmp/text.err"
	n=$(LC_ALL=C tr -d '\n' <"$tmp/text.$mode" | LC_ALL=C tr -d '\040-\176\200-\377' | wc -c)
	ok $([ "$n" -eq 0 ]; echo $?) "text view ($mode): no raw control character in the output ($n found)"
done
n=$(LC_ALL=C tr -d '\040-\176\n' <"$tmp/text.ascii" | wc -c)
ok $([ "$n" -eq 0 ]; echo $?) "text view --ascii: printable ASCII only ($n other bytes)"
iconv -f UTF-8 -t UTF-8 <"$tmp/text.utf8" >/dev/null 2>&1
ok $? "text view (UTF-8): valid UTF-8"
n=$(LC_ALL=C tr -d '\n' <"$tmp/text.err" | LC_ALL=C tr -d '\040-\176\200-\377' | wc -c)
ok $([ "$n" -eq 0 ]; echo $?) "text view: no raw control character on stderr either"

# ---------------------------------------------------------------- tables
# The PATH column of the table (-o), raw (-r) and pairs (-P): each odd byte written
# once as \xHH (a tab \x09, 0xff \xff), never escaped twice (\x5ct, \x5cxff).
for fmt in table -r -P; do
	opt=
	[ $fmt = table ] || opt=$fmt
	LC_ALL=C.UTF-8 "$VMLAYOUT" --vmas $opt -o PATH "$hpid" >"$tmp/tab.$fmt" 2>/dev/null
	grep -qF 'tab\x09name' "$tmp/tab.$fmt" && grep -qF 'bad\xff\xfe\xc3.bin' "$tmp/tab.$fmt" &&
		! grep -q 'x5c[tx]' "$tmp/tab.$fmt"
	ok $? "PATH in the $fmt format: a tab as \\x09, bytes not UTF-8 as \\xHH, each escaped once"
	[ $? -eq 0 ] || diag "$(grep -a -e tab -e bad "$tmp/tab.$fmt")"
done

exec {H[1]}>&-
wait "$hpid"
ok $? "tests/hostile exits 0 at end of file on stdin"
hpid=
done_testing

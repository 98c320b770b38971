#!/bin/bash
# offline-elf.sh - source_open_elf(): the segments of the layout targets,
# /bin/sh and libc.so.6 against readelf -lW (offset, address, file and memory size,
# flags of every LOAD), the bss of the target as its own anonymous VMA with role bss,
# PT_INTERP, a non-executable stack, a given base for a PIE.  TAP.  Needs jq, readelf.
. "$top_srcdir/tests/tap.sh"

[ -n "$JQ" ] || skip_all "jq not found"
command -v readelf >/dev/null || skip_all "readelf not found"
T=$top_builddir/tests/test-offline
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-elf.XXXXXX") || bail_out "mktemp failed"
trap 'rm -rf "$tmp"' EXIT

# readelf's LOAD lines as "offset vaddr filesz memsz flags", numbers in plain hex
norm() {
	local o a fs ms f
	while read -r o a fs ms f; do
		printf '%x %x %x %x %s\n' $((o)) $((a)) $((fs)) $((ms)) "$f"
	done
}
loads_readelf() {
	readelf -lW "$1" | awk '$1 == "LOAD" { f = ""; for (i = 7; i < NF; i++) f = f $i
		print $2, $3, $5, $6, f }' | norm
}
# the driver's segment lines, the same way
loads_driver() {
	awk '$1 == "segment" { print $7, $5, $9, $11, $3 }' "$1" | norm
}

libc=$(ldd /bin/sh 2>/dev/null | awk '/libc\.so\.6/ { print $3 }')
for f in "$top_builddir"/tests/target-pie "$top_builddir"/tests/target-nopie \
	"$top_builddir"/tests/target-m32 "$top_builddir"/tests/target-static-pie \
	/bin/sh "$libc"; do
	[ -n "$f" ] && [ -f "$f" ] || continue
	n=$(basename "$f")
	"$T" elf "$f" >"$tmp/$n.json" 2>"$tmp/$n.err"
	ok $? "$n: read"
	loads_readelf "$f" >"$tmp/$n.want"
	loads_driver "$tmp/$n.err" >"$tmp/$n.got"
	diff "$tmp/$n.want" "$tmp/$n.got" >"$tmp/$n.diff"
	ok $? "$n: every PT_LOAD as readelf -lW shows it ($(wc -l <"$tmp/$n.want") segments)"
	[ -s "$tmp/$n.diff" ] && diag "$(cat "$tmp/$n.diff")"
	"$JQ" -e '. as $d | .vmas | length > 0 and all(.[]; .size > 0)
		and all(range(1; length); ($d.vmas[. - 1].end | ltrimstr("0x") | length) > 0)' \
		"$tmp/$n.json" >/dev/null
	ok $? "$n: VMAs non-empty"
	interp=$(readelf -lW "$f" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
	grep -qx "interp ${interp:--}" "$tmp/$n.err"
	ok $? "$n: PT_INTERP ${interp:-none}"
	grep -qx "exec_stack 0" "$tmp/$n.err"
	ok $? "$n: stack not executable (PT_GNU_STACK without PF_X)"
	"$JQ" -e '.figures_unknown == null and ([.vmas[] | select(.role == "text")] | length) >= 1
		and ([.objects[] | select(.kind == "executable" and .attributed)] | length) == 1' \
		"$tmp/$n.json" >/dev/null
	ok $? "$n: one attributed executable object with text"
done

# The target's 10 MiB bss: an anonymous VMA of the executable with role bss, covering
# [page_up(p_vaddr + p_filesz), page_up(p_vaddr + p_memsz)) of the RW segment.
for v in pie nopie; do
	f=$top_builddir/tests/target-$v
	"$JQ" -e '[.vmas[] | select(.role == "bss" and .path == null and .inode == 0)] | length == 1
		and .[0].size >= 10 * 1048576' "$tmp/target-$v.json" >/dev/null
	ok $? "target-$v: bss is one anonymous VMA of 10 MiB or more"
	want=$(awk '$1 == "segment" && $3 == "RW" { print $15 }' "$tmp/target-$v.err" | sed 's/-.*//')
	"$JQ" -e --arg s "$want" '[.vmas[] | select(.role == "bss")][0].start == $s' "$tmp/target-$v.json" >/dev/null
	ok $? "target-$v: bss starts at the segment's page_up(p_vaddr + p_filesz) $want"
	grep -E '^segment .* RW .* sections .*\.bss' "$tmp/target-$v.err" | grep -q '\.data'
	ok $? "target-$v: .data and .bss are in the RW segment"
done
"$JQ" -e '[.vmas[] | select(.role == "relro")] | length == 1' "$tmp/target-pie.json" >/dev/null
ok $? "target-pie: the PT_GNU_RELRO part is one relro VMA"

# a PIE at a given base; ET_EXEC ignores it
"$T" elf "$top_builddir/tests/target-pie" 0x555555554000 >"$tmp/based.json" 2>"$tmp/based.err"
"$JQ" -e '.vmas[0].start == "0x555555554000" and .objects[0].load_bias == "0x555555554000"' \
	"$tmp/based.json" >/dev/null
ok $? "target-pie at base 0x555555554000: first VMA and load bias there"
"$T" elf "$top_builddir/tests/target-pie" 0x1001 >/dev/null 2>"$tmp/bad.err"
test $? -ne 0 && grep -q "not page aligned" "$tmp/bad.err"
ok $? "an unaligned base is refused"

# an executable stack is flagged
if command -v cc >/dev/null && echo 'int main(void){return 0;}' >"$tmp/x.c" &&
	cc -o "$tmp/xstack" -z execstack "$tmp/x.c" 2>/dev/null; then
	"$T" elf "$tmp/xstack" >"$tmp/xs.json" 2>"$tmp/xs.err"
	grep -qx "exec_stack 1" "$tmp/xs.err" &&
		"$JQ" -e '[.warnings[] | select(test("stack would be executable"))] | length == 1' \
			"$tmp/xs.json" >/dev/null
	ok $? "cc -z execstack: the executable stack is flagged, with a warning"
else
	skip "executable stack" "no cc"
fi
done_testing

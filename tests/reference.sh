#!/bin/bash
# reference.sh - --reference=ARCH: the five documented layouts, every address of
# each checked against the kernel's documents, which this file copies:
#   x86_64, x86_64-la57: Documentation/arch/x86/x86_64/mm.rst, "Complete virtual
#     memory map with 4-level page tables" and "... with 5-level page tables" (the
#     fixmap taken from -16 MB, where the table's row of that address is);
#   arm64-48: Documentation/arch/arm64/memory.rst, "AArch64 Linux memory layout
#     with 4KB pages + 4 levels (48-bit)" (the kasan shadow, a part of the logical
#     memory map, not a row of its own);
#   arm64-39: the same document's "3 levels ... 39-bit (512GB) ... for both user
#     and kernel";
#   i386: PAGE_OFFSET 0xc0000000 (arch/x86/Kconfig, VMSPLIT_3G), the direct map up
#     to 1 GiB less __VMALLOC_RESERVE (128 MiB, asm/page_32_types.h),
#     VMALLOC_OFFSET 8 MiB and FIXADDR_TOP 0xfffff000 (asm/pgtable_32_areas.h,
#     asm/fixmap.h).
# For each: the JSON regions, from the top down, are exactly the rows below (first
# and last address); they cover the address space without a gap or an overlap; the
# text view has a row "START END" for each, cites the document, and fits 80
# columns.  TAP.
. "$top_srcdir/tests/tap.sh"

[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"
[ -n "$JQ" ] || skip_all "jq not found"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-reference.XXXXXX") || bail_out "mktemp failed"
trap 'rm -rf "$tmp"' EXIT

# mm.rst: from ffffffff00000000 up, and from fffffc0000000000 to it, the same in
# both tables; ffffffffff601000-ffffffffffdfffff is in no row of it (the reference
# says "not in the document")
top_x86="ffffffffffe00000 ffffffffffffffff
ffffffffff601000 ffffffffffdfffff
ffffffffff600000 ffffffffff600fff
ffffffffff000000 ffffffffff5fffff
ffffffffa0000000 fffffffffeffffff
ffffffff80000000 ffffffff9fffffff
ffffffff00000000 ffffffff7fffffff
ffffffef00000000 fffffffeffffffff
ffffff8000000000 ffffffeeffffffff
ffffff0000000000 ffffff7fffffffff
fffffe8000000000 fffffeffffffffff
fffffe0000000000 fffffe7fffffffff
fffffc0000000000 fffffdffffffffff"
declare -A doc
doc[x86_64]="$top_x86
ffffec0000000000 fffffbffffffffff
ffffeb0000000000 ffffebffffffffff
ffffea0000000000 ffffeaffffffffff
ffffe90000000000 ffffe9ffffffffff
ffffc90000000000 ffffe8ffffffffff
ffffc88000000000 ffffc8ffffffffff
ffff888000000000 ffffc87fffffffff
ffff880000000000 ffff887fffffffff
ffff800000000000 ffff87ffffffffff
0000800000000000 ffff7fffffffffff
0000000000000000 00007fffffffffff"
doc[x86_64-la57]="$top_x86
ffdf000000000000 fffffbffffffffff
ffd6000000000000 ffdeffffffffffff
ffd4000000000000 ffd5ffffffffffff
ffd2000000000000 ffd3ffffffffffff
ffa0000000000000 ffd1ffffffffffff
ff91000000000000 ff9fffffffffffff
ff11000000000000 ff90ffffffffffff
ff10000000000000 ff10ffffffffffff
ff00000000000000 ff0fffffffffffff
0100000000000000 feffffffffffffff
0000000000000000 00ffffffffffffff"
doc[arm64-48]="fffffe0000000000 ffffffffffffffff
fffffc0000000000 fffffdffffffffff
fffffbffff800000 fffffbffffffffff
fffffbfffe800000 fffffbffff7fffff
fffffbfffe000000 fffffbfffe7fffff
fffffbfff0000000 fffffbfffdffffff
ffff800080000000 fffffbffefffffff
ffff800000000000 ffff80007fffffff
ffff000000000000 ffff7fffffffffff
0001000000000000 fffeffffffffffff
0000000000000000 0000ffffffffffff"
doc[arm64-39]="ffffff8000000000 ffffffffffffffff
0000008000000000 ffffff7fffffffff
0000000000000000 0000007fffffffff"
doc[i386]="fffff000 ffffffff
f8800000 ffffefff
f8000000 f87fffff
c0000000 f7ffffff
00000000 bfffffff"
declare -A source=([x86_64]=x86_64/mm.rst [x86_64-la57]=x86_64/mm.rst
	[arm64-48]=arm64/memory.rst [arm64-39]=arm64/memory.rst [i386]=page_32_types.h)

for arch in x86_64 x86_64-la57 i386 arm64-39 arm64-48; do
	"$VMLAYOUT" --reference="$arch" --json >"$tmp/$arch.json" 2>"$tmp/err"
	ok $? "--reference=$arch --json exits 0"
	"$JQ" -r '.regions[] | "\(.start) \(.last)"' "$tmp/$arch.json" |
		sed 's/0x//g' >"$tmp/$arch.got"
	# the document's rows, without leading zeros as the JSON writes addresses
	sed -E 's/(^| )0+([0-9a-f])/\1\2/g' <<<"${doc[$arch]}" >"$tmp/$arch.want"
	diff "$tmp/$arch.want" "$tmp/$arch.got" >"$tmp/diff"
	ok $? "$arch: every region's first and last address are the document's ($(wc -l <"$tmp/$arch.want") rows)"
	[ -s "$tmp/diff" ] && diag "$(head -10 "$tmp/diff")"
	bits=64
	[ "$arch" = i386 ] && bits=32
	# (bash's arithmetic is 64-bit: last + 1 of the region below is the start of
	# the one above, modulo 2^64)
	gapless=1 prev=
	while read -r s e; do
		[ -n "$prev" ] && [ $((0x$e + 1)) -ne $((0x$prev)) ] && gapless=0
		prev=$s
	done <"$tmp/$arch.got"
	top=ffffffffffffffff
	[ $bits = 32 ] && top=ffffffff
	[ $gapless = 1 ] && [ "$prev" = 0 ] && [ "$(head -1 "$tmp/$arch.got" | cut -d' ' -f2)" = $top ] &&
		"$JQ" -e --argjson bits $bits '.address_bits == $bits' "$tmp/$arch.json" >/dev/null
	ok $? "$arch: the regions cover the address space, top to 0, each where the one above ends"
	"$JQ" -e '.regions[-1].part == "user" and ([.regions[] | select(.part == "kernel")] |
		length > 0)' "$tmp/$arch.json" >/dev/null
	ok $? "$arch: kernel regions above, user space last"

	"$VMLAYOUT" --reference="$arch" >"$tmp/$arch.txt" 2>"$tmp/err"
	[ $? -eq 0 ] && [ ! -s "$tmp/err" ]
	ok $? "--reference=$arch exits 0, nothing on stderr"
	w=16
	[ $bits = 32 ] && w=8
	missing=
	while read -r s e; do
		grep -qE "^0x$(printf "%0${w}s" "$s" | tr ' ' 0) 0x$(printf "%0${w}s" "$e" | tr ' ' 0) " \
			"$tmp/$arch.txt" || missing+=" $s-$e"
	done <"$tmp/$arch.want"
	[ -z "$missing" ]
	ok $? "$arch: the text view has a row for each region, its start and end"
	[ -n "$missing" ] && diag "missing:$missing"
	grep -q "${source[$arch]}" "$tmp/$arch.txt"
	ok $? "$arch: the text view names its source (${source[$arch]})"
	for opt in "" -b; do
		"$VMLAYOUT" --reference="$arch" $opt | awk 'length > 80 {exit 1}'
		ok $? "$arch${opt:+ $opt}: every line fits 80 columns"
	done
done

# the live diagram's kernel half is the same layout as --reference=x86_64
if [ "$(uname -m)" = x86_64 ]; then
	levels=4
	grep -m1 '^flags' /proc/cpuinfo | grep -qw la57 && levels=5
	arch=x86_64
	[ $levels = 5 ] && arch=x86_64-la57
	"$VMLAYOUT" --diagram $$ >"$tmp/live" 2>/dev/null
	bad=
	for a in $(grep -oE '^ +\S+ 0x[0-9a-f]{16} ' "$tmp/live" | awk '{print $2}'); do
		grep -q "^$a " "$tmp/$arch.txt" || bad+=" $a"
	done
	[ -z "$bad" ]
	ok $? "the diagram of \$\$: each kernel region it draws starts where --reference=$arch says"
	[ -n "$bad" ] && diag "not in the reference:$bad"
else
	skip "the diagram against --reference" "not an x86-64 machine"
fi

"$VMLAYOUT" --reference=arm64 --json | "$JQ" -e '.reference == "arm64-48"' >/dev/null
ok $? "--reference=arm64 is arm64-48"
"$VMLAYOUT" --reference=vax >"$tmp/out" 2>"$tmp/err"
[ $? -eq 64 ] && [ ! -s "$tmp/out" ] && grep -q "unknown architecture 'vax'" "$tmp/err"
ok $? "--reference=vax: a usage error that names it"
"$VMLAYOUT" --reference=x86_64 $$ >"$tmp/out" 2>"$tmp/err"
[ $? -eq 64 ] && [ ! -s "$tmp/out" ] && grep -q "takes no PID" "$tmp/err"
ok $? "--reference with a PID: a usage error"
"$VMLAYOUT" --reference=x86_64 --vmas >"$tmp/out" 2>"$tmp/err"
[ $? -eq 64 ] && [ ! -s "$tmp/out" ]
ok $? "--reference with --vmas: a usage error"
"$VMLAYOUT" --reference=x86_64 --svg >"$tmp/out" 2>"$tmp/err"
[ $? -eq 64 ] && [ ! -s "$tmp/out" ]
ok $? "--reference with --svg: a usage error"

done_testing

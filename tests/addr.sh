#!/bin/bash
# addr.sh - --addr ADDR[,LEN] on the live layout target (tests/target.c): the
# addresses the target prints must be found in the right VMA, role, object,
# ELF segment, section and symbol; an address in no VMA is not mapped; a range
# lists the VMAs it touches.  Text and JSON.
#
# Environment (set by make check): VMLAYOUT, top_builddir, JQ.
: "${top_srcdir:=.}"
. "$top_srcdir/tests/tap.sh"

[ -n "${VMLAYOUT:-}" ] && [ -x "$VMLAYOUT" ] || skip_all "no program at '${VMLAYOUT:-}'"
[ -n "${JQ:-}" ] || skip_all "jq not found"

. "$top_srcdir/tests/target.sh"
target_setup addr

for variant in pie nopie; do
	prog=${top_builddir:-.}/tests/target-$variant
	if [ ! -x "$prog" ] || ! start_target "$prog"; then
		skip "target-$variant" "not built or did not start"
		continue
	fi
	pid=$target_pid
	hex() { printf '0x%x' $(($1 + $2)); }

	"$VMLAYOUT" --json --addr "${addr[text]}" --addr "$(hex "${addr[data]}" 16)" \
		--addr "${addr[rodata]}" --addr "$(hex "${addr[bss]}" 4096)" \
		--addr "${addr[anon]}" --addr 0x1000 "$pid" > "$tmp/out" 2> "$tmp/err"
	ok $? "$variant: --json --addr six times exits 0"
	jqok "$variant: main is in .text, role text, the executable, symbol main+0 of .symtab" "$tmp/out" '
		.addresses[0] | .mapped and .role == "text" and .region == "code" and
		(.object | endswith("/target-'$variant'")) and
		.elf.section == ".text" and .elf.symbol.name == "main" and
		.elf.symbol.offset == 0 and .elf.symbol.table == ".symtab" and .elf.symbol.inside and
		(.elf.segment.flags | test("x")) and .elf.error == null'
	jqok "$variant: the file offset is the VMA's offset plus the offset in it" "$tmp/out" '
		def n: ltrimstr("0x") | explode | reduce .[] as $c (0;
			. * 16 + (if $c >= 97 then $c - 87 else $c - 48 end));
		.addresses[0] | (.file_offset | n) - .vma_offset >= 0 and
		((.address | n) - (.vma.start | n)) == .vma_offset'
	jqok "$variant: target_data+16 is in .data, role data, symbol target_data+16" "$tmp/out" '
		.addresses[1] | .role == "data" and .elf.section == ".data" and
		.elf.symbol.name == "target_data" and .elf.symbol.offset == 16 and
		.elf.segment.flags == "rw-"'
	jqok "$variant: target_rodata is in .rodata, role rodata" "$tmp/out" '
		.addresses[2] | .role == "rodata" and .elf.section == ".rodata" and
		.elf.symbol.name == "target_rodata"'
	jqok "$variant: target_bss+4096 is in .bss, role bss, no file offset" "$tmp/out" '
		.addresses[3] | .role == "bss" and .elf.section == ".bss" and
		.elf.symbol.name == "target_bss" and .elf.symbol.offset == 4096 and
		.file_offset == null and (.object | endswith("/target-'$variant'"))'
	jqok "$variant: the anonymous mapping: role anon, no object, no ELF" "$tmp/out" '
		.addresses[4] | .role == "anon" and .object == null and .elf == null and
		.file_offset == null and .vma_offset == 0'
	jqok "$variant: 0x1000 is not mapped; the lowest VMA is above it" "$tmp/out" '
		.addresses[5] | .mapped == false and .vma == null and .below == null and
		.above != null and .role == null'

	page=4096
	"$VMLAYOUT" --json --addr "$(hex "${addr[anon]}" -$page),$((len[anon] + 2 * page))" \
		--addr "${addr[anon]},3M" "$pid" > "$tmp/out" 2> "$tmp/err"
	jqok "$variant: a range over the anonymous mapping and its two PROT_NONE pages" "$tmp/out" '
		.addresses[0].range | .unmapped == 0 and (.vmas | map(.role)) == ["guard", "anon", "guard"]'
	jqok "$variant: ADDR,3M: one VMA, nothing unmapped" "$tmp/out" '
		.addresses[1] | .length == 3145728 and .range.unmapped == 0 and
		(.range.vmas | length) == 1'

	"$VMLAYOUT" --addr "${addr[text]}" --addr 0x1000,8K "$pid" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	[ $rc -eq 0 ] && [ ! -s "$tmp/err" ] && grep -q "^pid $pid " "$tmp/out" &&
		grep -q '^  section  \.text$' "$tmp/out" &&
		grep -q '^  symbol   main+0x0 (\.symtab' "$tmp/out" &&
		grep -q '^0x1000,8K: not mapped$' "$tmp/out" &&
		grep -q '^  range    8K from 0x1000: 0 VMAs, 8K unmapped$' "$tmp/out"
	ok $? "$variant: the text report"
	[ $? -eq 0 ] || diag "$(cat "$tmp/out" "$tmp/err")"

	stop_target
done

# --addr on every source: a snapshot, smaps text, a core (gdb's gcore) of the
# target, and the executable file itself; the section and symbol come from the
# files the source reads, and nothing says "No such process" or "has exited"
prog=${top_builddir:-.}/tests/target-nopie
if [ -x "$prog" ] && start_target "$prog"; then
	pid=$target_pid
	text=${addr[text]}
	"$VMLAYOUT" --save "$tmp/snap" "$pid" >/dev/null 2>"$tmp/err"
	ok $? "--save of the target for --addr"
	cat "/proc/$pid/smaps" >"$tmp/smaps"
	core_ok=false
	if command -v gdb >/dev/null &&
		gdb -q -batch -nx -p "$pid" -ex "gcore $tmp/core" >"$tmp/gdb" 2>&1 && [ -s "$tmp/core" ]; then
		core_ok=true
	fi
	stop_target

	# the process has exited now: none of these asks it anything
	for src in "snapshot:$tmp/snap/" "smaps:--smaps $tmp/smaps" "core:$tmp/core" "elf:$prog"; do
		name=${src%%:*} args=${src#*:}
		if [ "$name" = core ] && ! $core_ok; then
			skip "--addr on a core" "gdb could not write a core"
			continue
		fi
		# shellcheck disable=SC2086
		"$VMLAYOUT" --json --addr "$text" $args >"$tmp/out" 2>"$tmp/err"
		rc=$?
		[ $rc -eq 0 ] && ! grep -qi -e "no such process" -e "has exited" "$tmp/out" "$tmp/err"
		ok $? "$name: --addr main exits 0 and names no vanished process (exit $rc)"
		[ $? -eq 0 ] || diag "$(cat "$tmp/err")"
		# a snapshot keeps the section headers, not the symbol tables
		if [ "$name" = snapshot ]; then
			want='.elf.symbol == null'
		else
			want='.elf.symbol.name == "main" and .elf.symbol.offset == 0'
		fi
		jqok "$name: main is text of the executable, in PT_LOAD r-x, section .text" "$tmp/out" '
			.addresses[0] | .mapped and .role == "text" and
			(.object | endswith("/target-nopie")) and (.elf.segment.flags | test("x")) and
			.elf.section == ".text" and .elf.error == null and '"$want"
	done
	"$VMLAYOUT" --addr "$text" "$prog" >"$tmp/out" 2>"$tmp/err"
	grep -q '^  symbol   main+0x0 (\.symtab' "$tmp/out"
	ok $? "elf: the text report names main"

	# smaps text with --sysroot: the files are found under it (a hard link keeps the
	# inode the text names; the sysroot is made beside the build, on its file system)
	abs=$(cd "$(dirname "$prog")" && pwd)/$(basename "$prog")
	root=$(mktemp -d "${top_builddir:-.}/tests/sysroot.XXXXXX")
	mkdir -p "$root$(dirname "$abs")"
	if ln "$abs" "$root$abs" 2>/dev/null; then
		"$VMLAYOUT" --json --addr "$text" --sysroot "$root" --smaps "$tmp/smaps" \
			>"$tmp/out" 2>"$tmp/err"
		jqok "smaps --sysroot: main found in the file under the sysroot" "$tmp/out" '
			.addresses[0] | .role == "text" and .elf.section == ".text" and
			.elf.symbol.name == "main" and .elf.error == null'
		mv "$root$abs" "$root$abs.moved"
		"$VMLAYOUT" --json --addr "$text" --sysroot "$root" --smaps "$tmp/smaps" \
			>"$tmp/out" 2>"$tmp/err"
		jqok "smaps --sysroot without the file: no section, no symbol, no crash" "$tmp/out" '
			.addresses[0] | .elf == null or (.elf.section == null and .elf.symbol == null)'
	else
		skip "smaps --sysroot" "no hard link possible beside the build"
	fi
	rm -rf "$root"
else
	skip "--addr on every source" "target-nopie not built or did not start"
fi

# usage errors
for bad in zz 0x1,0 0x1,-1 0x1,1Q ffffffffffffffff,2 1,; do
	"$VMLAYOUT" --addr "$bad" $$ > "$tmp/out" 2> "$tmp/err"
	[ $? -eq 64 ] && [ ! -s "$tmp/out" ] && grep -q "^vmlayout: --addr: " "$tmp/err"
	ok $? "--addr $bad is a usage error"
done
"$VMLAYOUT" --addr 1000 --role text $$ > "$tmp/out" 2> "$tmp/err"
[ $? -eq 64 ] && [ ! -s "$tmp/out" ]
ok $? "--addr with a filter is a usage error"

done_testing

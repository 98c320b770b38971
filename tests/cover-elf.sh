#!/bin/bash
# cover-elf.sh - the ELF-file and core sources, the ELF header reader and --addr on
# files with odd headers, built now by tests/mkelf (tests/mkelf.c): segments in
# one page, a RELRO inside a segment, a bss that wraps, program headers cut by the
# end of the file, no PT_LOAD, every e_machine with a name, 32-bit classes; cores
# with every mapping a core can name ([vdso], [vvar], [vvar_vclock], [stack],
# [vsyscall], [heap], a bss with a hole), files that match, differ, are too short
# or are gone, notes cut or malformed (NT_FILE with bad counts, names without their
# NUL), PT_LOADs past the end of the file.  --addr on each, and its edge cases.
# TAP.  Needs jq.
#
# Environment (set by make check): VMLAYOUT, top_builddir, JQ.
: "${top_srcdir:=.}"
. "$top_srcdir/tests/tap.sh"

[ -n "${VMLAYOUT:-}" ] && [ -x "$VMLAYOUT" ] || skip_all "no program at '${VMLAYOUT:-}'"
[ -n "${JQ:-}" ] || skip_all "jq not found"
M=$top_builddir/tests/mkelf
T=$top_builddir/tests/test-offline
[ -x "$M" ] && [ -x "$T" ] || bail_out "not built: $M, $T"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-cover-elf.XXXXXX") || bail_out "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
d=$tmp/files
mkdir "$d" || bail_out "mkdir failed"

mk() { "$M" "$1" "$d/$1" "$d" || bail_out "mkelf $1 failed"; }

# run ARGS...: vmlayout into $tmp/out and $tmp/err, its status in $rc
run() {
	"$VMLAYOUT" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}
# jqt DESC EXPR: ok when EXPR holds on $tmp/out and vmlayout exited 0
jqt() {
	[ "$rc" -eq 0 ] && "$JQ" -e "$2" "$tmp/out" >/dev/null 2>"$tmp/jq.err"
	local r=$?
	ok $r "$1"
	[ $r -eq 0 ] || diag "exit $rc; $(cat "$tmp/jq.err" "$tmp/err"; head -c 800 "$tmp/out")"
}
# fails DESC REGEX ARGS...: vmlayout exits 1 and says REGEX on stderr
fails() {
	local desc=$1 re=$2
	shift 2
	run "$@"
	[ "$rc" -eq 1 ] && grep -Eq -- "$re" "$tmp/err"
	local r=$?
	ok $r "$desc"
	[ $r -eq 0 ] || diag "exit $rc: $(cat "$tmp/err")"
}
# warns DESC REGEX: the last run exited 0 and warned REGEX
warns() {
	[ "$rc" -eq 0 ] && grep -Eq -- "$2" "$tmp/err"
	local r=$?
	ok $r "$1"
	[ $r -eq 0 ] || diag "exit $rc: $(cat "$tmp/err")"
}
# vma START: the VMA starting at START in $tmp/out, as jq filter text
vma() { printf '(.vmas[] | select(.start == "%s"))' "$1"; }

# ---------------------------------------------------------------- the files
mk exe
mk lib
mv "$d/lib" "$d/lib.so"
head -c 100 /dev/urandom >"$d/small"	# matches the first 100 bytes the core holds
cp "$d/exe" "$d/differs"		# not the page the core holds
head -c 100 /dev/zero >"$d/short"	# mapped at page 4: too short
head -c 4096 /dev/zero | tr '\0' 'Z' >"$d/deleted"	# the core's page: 'Z's
for k in $("$M" list); do
	case $k in exe | lib | machine-N) ;; *) mk "$k" ;; esac
done

# ---------------------------------------------------------------- ELF files
run --json "$d/exe"
jqt "exe: headers r--, text r-x, data rw-, the bss to 0x407000 (the data segment's p_memsz)" "
	[.vmas[] | [.start, .end, .perms, .role]] == [
		[\"0x400000\", \"0x401000\", \"r--p\", \"rodata\"],
		[\"0x401000\", \"0x402000\", \"r-xp\", \"text\"],
		[\"0x402000\", \"0x403000\", \"rw-p\", \"data\"],
		[\"0x403000\", \"0x407000\", \"rw-p\", \"bss\"]] and
	.process.machine == \"x86-64\" and .process.elf_class == 64"

# a relative path: the VMAs are named by the absolute one, and attributed
(cd "$d" && "$VMLAYOUT" --json ./exe) >"$tmp/out" 2>"$tmp/err"
rc=$?
jqt "./exe: the file's VMAs carry its absolute path and are attributed" "
	[.vmas[] | select(.path != null) | .path] == [\"$d/exe\", \"$d/exe\", \"$d/exe\"] and
	([.objects[] | select(.kind == \"executable\" and .attributed)] | length) == 1"
fails "a relative path that does not exist: the error names it" \
	"no-such-file: No such file or directory" ./no-such-file-$$/no-such-file

# each machine with a name, and one without
for m in 183:aarch64 40:arm 243:riscv 20:ppc 21:ppc64 22:s390x 8:mips 258:loongarch \
	2:sparc 18:sparc32plus 43:sparc64 50:ia64 15:parisc 36902:alpha 42:sh 4:m68k \
	195:arc 252:csky 94:xtensa 189:microblaze 92:openrisc 247:bpf 4660:unknown; do
	"$M" "machine-${m%%:*}" "$d/machine" || bail_out "mkelf machine"
	"$VMLAYOUT" "$d/machine" >"$tmp/out" 2>"$tmp/err"
	grep -q "^ELF file .*   ${m#*:}  ELF64 " "$tmp/out"
	ok $? "e_machine ${m%%:*}: the header names it ${m#*:}"
done
run --json "$d/m32"
jqt "ELFCLASS32 i386: class 32, task size 0xffffe000" '
	.process.elf_class == 32 and .process.machine == "i386" and
	.process.task_size == "0xffffe000"'
run --json "$d/m32-amd64"
jqt "ELFCLASS32 x86-64 (x32): class 32, task size 0xffffe000" '
	.process.elf_class == 32 and .process.machine == "x86-64" and
	.process.task_size == "0xffffe000"'

# a base: ET_DYN moved, ET_EXEC left where it is; not page aligned: refused
run --json --base 0x10000 "$d/exe-dyn"
jqt "exe-dyn at base 0x10000: its first VMA at 0x10000" '.vmas[0].start == "0x10000"'
run --json "$d/exe-dyn"
warns "exe-dyn at base 0: warned that the kernel would choose the base" "ET_DYN shown at base 0"
run --json --base 0x10000 "$d/exe"
jqt "exe (ET_EXEC) with a base: at its own addresses" '.vmas[0].start == "0x400000"'
"$T" elf "$d/exe-dyn" 0x1234 >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "base 0x1234 is not page aligned" "$tmp/err"
ok $? "exe-dyn at base 0x1234: not page aligned"
"$T" elf "$d/exe" 0 12288 >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "page size 12288 is not a power of two" "$tmp/err"
ok $? "a page size of 12288: refused"
"$T" elf "$d/exe-dyn" 0x10000 65536 >"$tmp/out" 2>"$tmp/err"
rc=$?
jqt "64 KiB pages: the headers, text and data of exe-dyn in one 64 KiB page, the bss after" '
	[.vmas[] | [.start, .end]] == [["0x10000", "0x20000"]] and
	.process.page_size == 65536'

run --json "$d/relro-mid"
jqt "a RELRO inside a segment: the segment's mapping split around the read-only part" "
	[.vmas[] | [.start, .end, .perms]] == [
		[\"0x0\", \"0x1000\", \"r-xp\"], [\"0x1000\", \"0x2000\", \"rw-p\"],
		[\"0x2000\", \"0x3000\", \"r--p\"], [\"0x3000\", \"0x5000\", \"rw-p\"]]"
warns "relro-mid: the stack would be executable (PT_GNU_STACK with PF_X)" \
	"the stack would be executable \(PT_GNU_STACK has PF_X\)"
warns "relro-mid: a second PT_GNU_RELRO is warned about" "a second PT_GNU_RELRO"
run --json "$d/relro-all"
jqt "a RELRO over the whole file part: read-only, then the bss page" "
	[.vmas[] | [.start, .end, .perms]] == [
		[\"0x0\", \"0x2000\", \"r--p\"], [\"0x2000\", \"0x3000\", \"rw-p\"]]"
run --json "$d/samepage"
jqt "two segments in one page: the later replaces the end of the earlier" "
	[.vmas[] | [.start, .end, .perms]] == [
		[\"0x400000\", \"0x401000\", \"r-xp\"], [\"0x401000\", \"0x402000\", \"rw-p\"],
		[\"0x500000\", \"0x501000\", \"rw-p\"]]"
warns "samepage: no PT_GNU_STACK: the stack would be executable" "no PT_GNU_STACK program header"
run "$d/interp"
warns "PT_INTERP: the interpreter named, the one past the end of the file left out" \
	"the interpreter /lib/ld-crafted.so, the stack"
run --json "$d/bigbss"
jqt "a segment at the top of the 64-bit space: its file page, no bss past the end" '
	[.vmas[] | .start] == ["0x400000", "0xffffffffffffe000"] and
	(.vmas[1].end == "0xfffffffffffff000")'
run --json "$d/warnings"
jqt "a file with ten problems: read, the usable segments kept" '.vmas | length >= 2'
warns "the first problem warned about, the others counted" "p_align 0x3 is not a power of two \(\+[0-9]+ more\)"
for k in relro-below relro-wrap; do
	run --json "$d/$k"
	warns "$k: the RELRO is not inside one PT_LOAD: ignored" "is not inside one PT_LOAD: ignored"
done

"$T" elf "$d" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "files: not a regular file" "$tmp/err"
ok $? "a directory read as an ELF file: not a regular file"
fails "ET_REL: refused" "ELF type 1 is neither an executable" "$d/rel"
test "$(cat "$tmp/err")" = "vmlayout: $d/rel: ELF type 1 is neither an executable (ET_EXEC) nor a shared object or PIE (ET_DYN)"
ok $? "the error names the file once"
"$T" elf "$d/core-as-elf" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "a core dump, not a program: read it as a core" "$tmp/err"
ok $? "a core with no usable PT_LOAD read as a program: refused as a core"
fails "one PT_LOAD of no bytes: no usable mapping" "the segments give no usable mapping" "$d/empty-load"
run --json "$d/xnum"
jqt "e_phnum PN_XNUM: the count from section 0's sh_info" '.vmas[0].role == "text"'
warns "e_phnum PN_XNUM: warned about" "e_phnum is PN_XNUM: 1 program headers"
fails "e_phnum PN_XNUM and no section 0: refused" \
	"e_phnum is PN_XNUM but section 0, which holds the count, cannot be read" "$d/xnum-nosh"
fails "e_phoff 0: no program headers" "no program headers \(e_phnum 1, e_phoff 0\)" "$d/phoff0"
run --json --addr 0x400010 "$d/xindex"
jqt "e_shstrndx SHN_XINDEX without section headers: the segment, no section" '
	.addresses[0].elf | .segment != null and .section == null and .error == null'
fails "e_phnum 0: no program headers" "no program headers \(e_phnum 0" "$d/nophdr"
fails "no PT_LOAD" "no PT_LOAD program header" "$d/noload"
fails "program headers cut by the end of the file" "truncated file: its 20 program headers" "$d/phdr-cut"
fails "e_phentsize wrong" "e_phentsize 64 is not the size of a program header" "$d/phentsize"
"$T" elf "$d/ehdr-short" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "ehdr-short: " "$tmp/err"
ok $? "a file that ends inside the ELF header: refused ($(sed 's/^test-offline: //' "$tmp/err"))"

# ---------------------------------------------------------------- --addr on an ELF file
run --json --addr 0x401000 --addr 0x401110 --addr 0x401300 --addr 0x401900 \
	--addr 0x401400 --addr 0x402010 --addr 0x404000 --addr 0x10 --addr 0x500000 "$d/exe"
jqt "exe+0x1000: the smallest section (.text.hot); of a local and a global of one size, the global" '
	.addresses[0].elf | .section == ".text.hot" and .symbol.name == "global_first" and
	.symbol.offset == 0 and .symbol.table == ".symtab"'
jqt "exe+0x1110: of a label and a function at one address, the function that holds it" '
	.addresses[1].elf | .section == ".text" and .symbol.name == "holder" and
	.symbol.offset == 16 and .symbol.inside'
jqt "exe+0x1300: a symbol without a name, section and undefined symbols are passed over" '
	.addresses[2].elf.symbol | .name == "label" and .offset == 512 and (.inside | not)'
jqt "exe+0x1900: a smaller section whose name cannot be read is passed over" '
	.addresses[3].elf | .section == ".text.outer" and .symbol.name == "ifunc"'
jqt "exe+0x1400: an STT_GNU_IFUNC symbol" '.addresses[4].elf.symbol.name == "ifunc"'
jqt "exe+0x2010: .data, not the TLS sections at the same address" '
	.addresses[5].elf | .section == ".data" and .symbol.name == "data_object"'
jqt "exe+0x4000: the bss" '
	.addresses[6] | .role == "bss" and .elf.section == ".bss" and .file_offset == null'
jqt "0x10 and 0x500000: not mapped, the neighbours named" '
	(.addresses[7] | .mapped == false and .below == null and .above.start == "0x400000") and
	(.addresses[8] | .mapped == false and .below.start == "0x403000" and .above == null)'
run --json --addr 0x1030 --addr 0x2010 "$d/lib.so"
jqt "lib.so+0x1030: found in .dynsym (no .symtab)" '
	.addresses[0].elf.symbol | .name == "lib_func" and .table == ".dynsym" and .offset == 16'
run --json --addr 0x1000 "$d/relro-mid"
jqt "relro-mid (no section headers): the segment, no section, no symbol" '
	.addresses[0].elf | .segment != null and .section == null and .symbol == null'

# the parsing of ADDR[,LEN]
for a in "0x" "0X" "xyz" "0x12g" "0x12345678901234567" "0x1000," "0x1000,-1" "0x1000,+1" \
	"0x1000,1Q" "0x1000,0" "0x1000,0x" "0x1000,99999999999999999999" \
	"0x1000,0xffffffffffffffffK" "0xffffffffffff0000,1M" "0x1000,,1"; do
	"$VMLAYOUT" --addr "$a" "$d/exe" >"$tmp/out" 2>"$tmp/err"
	r=$?
	[ $r -eq 64 ] && grep -q "$a" "$tmp/err"
	ok $? "--addr '$a': a usage error naming it"
	[ $r -eq 64 ] || diag "exit $r: $(cat "$tmp/err")"
done
run --json --addr 0X401000,1G --addr 401000,2k --addr 0x400000,0x2M --addr 0401000 "$d/exe"
jqt "lengths in G, k, and a hexadecimal length with M; a leading 0 without x" '
	[.addresses[] | .length] == [1073741824, 2048, 2097152, null] and
	.addresses[3].elf.symbol.name == "global_first" and
	.addresses[0].range.unmapped == 1073741824 - 24576'

# ---------------------------------------------------------------- core dumps
run --json "$d/core"
jqt "core: the kernel's mappings named from the auxv and their place" "
	[.vmas[] | select(.path != null and (.path | startswith(\"[\"))) | [.start, .path]] == [
		[\"0x800000\", \"[heap]\"],
		[\"0x7ffff7fc0000\", \"[vvar]\"], [\"0x7ffff7fc4000\", \"[vvar_vclock]\"],
		[\"0x7ffff7fc8000\", \"[vdso]\"], [\"0x7ffffffde000\", \"[stack]\"],
		[\"0xffffffffff600000\", \"[vsyscall]\"]]"
jqt "core: the bss with a hole in it, both parts bss; the heap after a gap" "
	$(vma 0x403000).role == \"bss\" and $(vma 0x405000).role == \"bss\" and
	$(vma 0x800000).role == \"heap\" and .mm.brk == \"0x821000\""
jqt "core: a mapping only in NT_FILE has its ELF segment's permissions" \
	"$(vma 0x402000) | .perms == \"rw-p\" and .role == \"data\" and .dumped == 0"
jqt "core: two PT_LOADs at one address make one VMA, one overlapping it is left out" \
	"[.vmas[] | select(.start | startswith(\"0x90\"))] | length == 1"
jqt "core: exe and lib.so attributed from their files (matched: their own inodes)" "
	$(vma 0x400000).role == \"rodata\" and $(vma 0x401000).role == \"text\" and
	($(vma 0x7f0000000000) | .role == \"text\" and .inode > 100)"
jqt "core: a file smaller than a page that matches; one that differs, one too short" "
	($(vma 0x7f0000010000).inode > 100) and ($(vma 0x7f0000020000).inode < 100) and
	($(vma 0x7f0000030000).inode < 100) and ($(vma 0x7f0000050000).inode < 100)"
jqt "core: a deleted file, found by its name without ' (deleted)'" \
	"$(vma 0x7f0000040000) | .deleted and .path == \"$d/deleted\" and .inode > 100"
jqt "core: undumped MAP_HUGETLB memory is shared" \
	"$(vma 0x7f0000200000) | .perms == \"rw-s\" and .role == \"shm\" and .deleted"
jqt "core: NT_PRPSINFO and NT_PRSTATUS: pid, comm, cmdline, three threads, the signal" '
	.process | .pid == 4242 and .comm == "crafted" and .state == "S" and .uid == 1000 and
	.cmdline == ["crafted", "-x", "--long-option", "last"] and .threads == 3' 
jqt "core: the first thread's stack is [stack], the second's is found by its pointer" '
	[.threads[] | .tid] == [4242, 4243, 4244] and .threads[0].stack_start == "0x7ffffffde000" and
	.threads[1].stack_start == "0x7f0000040000" and .threads[2].stack_start == null and
	.source.signal == 11 and .process.exe == "'"$d"'/exe"'
warns "core: 7 of the 12 files not found or not the same, under /" \
	"7 of the 12 mapped files were not found under /"
jqt "core: mappings only in NT_FILE of a file whose segments overlap in the file: the permissions of the segment at the offset, or r-- when none is" \
	"($(vma 0x7f0000070000).perms == \"r--p\") and ($(vma 0x7f0000071000).perms == \"r-xp\")"
run --json --sysroot "$tmp/nowhere" "$d/core"
warns "core with a sysroot that holds nothing: no file found, the sysroot named" \
	"12 of the 12 mapped files were not found under $tmp/nowhere"
jqt "core with nothing found: the executable is still known by its path" \
	".process.exe == \"$d/exe\""

for v in i386:32 x32:32 arm:32 aarch64:64; do
	run --json "$d/core-${v%%:*}"
	jqt "core-${v%%:*}: read, class ${v#*:}" \
		".process.elf_class == ${v#*:} and ([.vmas[] | select(.path == \"[vdso]\")] | length) == 1"
done
run --json "$d/core-i386"
jqt "core-i386: NT_PRSTATUS and NT_PRPSINFO of i386, 32-bit NT_FILE" '
	.process.pid == 4242 and .process.comm == "crafted" and (.threads | length) == 3 and
	.threads[0].stack_start == "0xfffdd000" and .process.task_size == null'
run --json "$d/core-arm"
jqt "core-arm: its NT_PRSTATUS (another layout) left out" '(.threads | length) == 0'
run --json "$d/core-aarch64"
jqt "core-aarch64: its NT_PRSTATUS (another layout) left out; no [vsyscall]" '
	(.threads | length) == 0 and ([.vmas[] | select(.path == "[vsyscall]")] | length) == 0'

run --json "$d/core-exe-low"
jqt "core-exe-low: an executable below its p_vaddr: read-only memory above it is not the heap" \
	"$(vma 0x400000).role == \"anon\" and .process.exe == \"$d/exe\" and .mm.brk == null"
run --json "$d/core-exe-notelf"
jqt "core-exe-notelf: an executable that is not ELF: read-write memory above it is the heap" \
	"$(vma 0x400000).role == \"heap\" and .process.exe == \"$d/small\""
run --json "$d/core-exe-far"
jqt "core-exe-far: read-write memory 2 GiB above the executable is not the heap" \
	"$(vma 0x80300000).role == \"anon\" and .mm.brk == null"

run --json "$d/core-vdso-1"
jqt "core-vdso-1: [vdso] second of the core: the one VMA below it is [vvar]" \
	'[.vmas[] | .path] == ["[vvar]", "[vdso]"]'
run --json "$d/core-vdso-2"
jqt "core-vdso-2: a file mapping right below [vdso] is not [vvar]" \
	"[.vmas[] | .path] == [null, \"$d/small\", \"[vdso]\"]"
run --json "$d/core-vdso-3"
jqt "core-vdso-3: read-write memory below [vvar] is not [vvar_vclock]" \
	'[.vmas[] | .path] == [null, "[vvar]", "[vdso]"]'
"$T" core "$d/core" "" >"$tmp/out" 2>"$tmp/err"
grep -q "7 of the 12 mapped files were not found under /," "$tmp/out"
ok $? "core with an empty sysroot: files looked for under /"

for k in core-wrap core-notes-huge core-notes-empty core-short-notes core-noaux core-ntfile-ps0; do
	run --json "$d/$k"
	jqt "$k: read, the one dumped VMA" "$(vma 0x10000).dumped == 4096"
done
run --json "$d/core-ntfile-ps0"
jqt "core-ntfile-ps0: an NT_FILE page size of 0 takes the offsets as bytes" \
	"$(vma 0x10000) | .offset == \"0x1000\" and .path == \"/nowhere\""
run --json "$d/core-short-notes"
jqt "core-short-notes: no pid, no thread from notes too short" \
	'.process.pid == 0 and (.threads | length) == 0'

fails "core with e_phnum 0" "core-nophdr: no program headers \(e_phnum 0\)$" "$d/core-nophdr"
fails "core with its program headers cut by the end of the file: said so" \
	"core-phdr-cut: cut short: its program headers end beyond the end of the file" \
	"$d/core-phdr-cut"
run --json "$d/core-xnum"
jqt "core with e_phnum PN_XNUM: the count from section 0, read" "$(vma 0x10000).dumped == 4096"
fails "core with e_phnum PN_XNUM and no section 0: an error" "core-xnum-nosh: " "$d/core-xnum-nosh"
fails "core with no PT_LOAD of memory" "no PT_LOAD: no memory in this core" "$d/core-noload"
fails "core with a PT_LOAD cut by the end of the file" \
	"cut short: 1 of its 1 PT_LOAD segments end beyond the end of the file" "$d/core-load-cut"
fails "core with a PT_LOAD past the end of the file" \
	"cut short: 1 of its 1 PT_LOAD segments" "$d/core-load-past"
fails "core with its notes past the end of the file" \
	"cut short: its notes end beyond the end of the file" "$d/core-notes-past"
for k in short count huge nonul empty pgoff; do
	fails "core-ntfile-$k: a malformed NT_FILE note" "malformed NT_FILE note" "$d/core-ntfile-$k"
done

# ---------------------------------------------------------------- --addr on a core
run --json --addr 0x401000 --addr 0x402010 --addr 0x403010 --addr 0x404800 \
	--addr 0x7f0000001030 --addr 0x7f0000020010 --addr 0x7ffff7fc8010 \
	--addr 0x7ffffffde000,0x30000 --addr 0x800000000000 --addr 0xffffffffff600010 \
	--addr 0x7f0000200000 "$d/core"
jqt "core --addr: exe text, the file read again through the core's file list" '
	.addresses[0].elf | .section == ".text.hot" and .symbol.name == "global_first"'
jqt "core --addr: exe data and bss" '
	(.addresses[1].elf.section == ".data") and
	(.addresses[2] | .role == "bss" and .elf.section == ".bss")'
jqt "core --addr: in the hole in the bss: not mapped, between the two parts" '
	.addresses[3] | .mapped == false and .below.start == "0x403000" and
	.above.start == "0x405000"'
jqt "core --addr: lib.so at its load bias, its .dynsym" '
	.addresses[4].elf | .symbol.name == "lib_func" and .symbol.table == ".dynsym"'
jqt "core --addr: a file that differs: no ELF" '.addresses[5] | .mapped and .elf == null'
jqt "core --addr: [vdso]" '.addresses[6] | .role == "vdso" and .object == null'
jqt "core --addr: a range over the stack and past the end of user space" '
	.addresses[7].range | .vmas == 1 or (.vmas | length) == 1'
jqt "core --addr: above the task size, and in [vsyscall]" '
	(.addresses[8] | .mapped == false and .above.start == "0xffffffffff600000") and
	(.addresses[9].role == "vsyscall")'
jqt "core --addr: MAP_HUGETLB memory" '.addresses[10] | .role == "shm" and .elf == null'
run --json --addr 0x7f0000090010 "$d/core"
jqt "core --addr: a mapping named anon_inode:[crafted]: no file offset, no ELF" '
	.addresses[0] | .mapped and .vma.path == "anon_inode:[crafted]" and .file_offset == null and
	.elf == null'

# ---------------------------------------------------------------- failures
# Every allocation, open and read of --addr on the crafted program and core made to
# fail in turn (tests/failinj.so): exit 0 with a whole JSON document, or exit 1
# with a message; never a crash.  Not under AddressSanitizer (its runtime must be
# the first library).
shim=$top_builddir/tests/failinj.so
if [ ! -f "$shim" ] || grep -q __asan_init "$VMLAYOUT" 2>/dev/null; then
	skip "failed calls" "no tests/failinj.so, or vmlayout built with AddressSanitizer"
else
	for target in exe core; do
		args=(--json --addr 0x401000 --addr 0x7f0000001030 "$d/$target")
		for g in alloc open read; do
			rm -f "$tmp/count"
			LD_PRELOAD=$shim FAILINJ_FUNC=$g FAILINJ_COUNT=$tmp/count \
				"$VMLAYOUT" "${args[@]}" >/dev/null 2>&1
			n=$(cat "$tmp/count" 2>/dev/null || echo 0)
			bad=
			for ((i = 1; i <= n; i++)); do
				LD_PRELOAD=$shim FAILINJ_FUNC=$g FAILINJ_NTH=$i \
					"$VMLAYOUT" "${args[@]}" >"$tmp/out" 2>"$tmp/err"
				r=$?
				if { [ $r -eq 1 ] && [ -s "$tmp/err" ] && [ ! -s "$tmp/out" ]; } ||
				   { [ $r -eq 0 ] && "$JQ" -e .addresses "$tmp/out" >/dev/null 2>&1; }; then
					continue
				fi
				bad="$bad $i:$r"
			done
			[ "$n" -gt 0 ] && [ -z "$bad" ]
			ok $? "$target --addr, $g: each of the $n calls failed in turn: a report or an error${bad:+ (not so:$bad)}"
		done
	done
fi

done_testing

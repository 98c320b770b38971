#!/bin/bash
# kspace.sh - the top of the diagram of a 64-bit x86-64 process: the kernel's half
# as Documentation/arch/x86/x86_64/mm.rst documents it (the values below are that
# document's "Start addr" column, for 4-level and 5-level page tables), the
# non-canonical hole between the halves, the end of the lower half and task_size;
# the paging mode from the la57 flag of /proc/cpuinfo for a live process, "paging
# unknown" for a snapshot.  TAP.
. "$top_srcdir/tests/tap.sh"

[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"
[ "$(uname -m)" = x86_64 ] || skip_all "not an x86-64 machine"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-kspace.XXXXXX") || bail_out "mktemp failed"
trap 'rm -rf "$tmp"' EXIT

# mm.rst, "Complete virtual memory map with 4-level page tables" / "5-level"
declare -A doc4=(
	[kernel text]=0xffffffff80000000 [modules]=0xffffffffa0000000
	[cpu_entry_area]=0xfffffe0000000000 [vmemmap]=0xffffea0000000000
	[vmalloc/ioremap]=0xffffc90000000000 [direct map]=0xffff888000000000
	[start]=0xffff800000000000 [user_end]=0x800000000000
)
declare -A doc5=(
	[kernel text]=0xffffffff80000000 [modules]=0xffffffffa0000000
	[cpu_entry_area]=0xfffffe0000000000 [vmemmap]=0xffd4000000000000
	[vmalloc/ioremap]=0xffa0000000000000 [direct map]=0xff11000000000000
	[start]=0xff00000000000000 [user_end]=0x100000000000000
)
if grep -m1 '^flags' /proc/cpuinfo | grep -qw la57; then
	levels=5
else
	levels=4
fi

"$VMLAYOUT" --diagram $$ >"$tmp/d" 2>/dev/null
ok $? "vmlayout --diagram \$\$ exits 0"
head -n 4 "$tmp/d" | grep -q "^0xffffffffffffffff +- kernel space: the documented layout" &&
	head -n 5 "$tmp/d" | grep -qE "^ +\|   $levels-level paging, [0-9]+-bit addresses; \* moved by KASLR"
ok $? "the top: the last byte of the address space, the documented kernel space, $levels-level paging"
for name in "kernel text" modules cpu_entry_area vmemmap vmalloc/ioremap "direct map"; do
	if [ $levels = 5 ]; then want=${doc5[$name]}; else want=${doc4[$name]}; fi
	grep -qE "^ +\|   $want $name " "$tmp/d"
	ok $? "$name at $want (mm.rst, $levels-level)"
done
if [ $levels = 5 ]; then start=${doc5[start]} end=${doc5[user_end]}; else start=${doc4[start]} end=${doc4[user_end]}; fi
grep -qE "^ *$start \+- the kernel's half starts" "$tmp/d"
ok $? "the kernel's half starts at $start"
grep -A1 -E "^ *$start \+-" "$tmp/d" | grep -q "non-canonical, from $end up"
ok $? "then the non-canonical hole, from the end of the lower half ($end)"
grep -A2 -E "^ *$start \+-" "$tmp/d" | grep -qE "^ *0x7ffffffff000 \+- task_size \(128 TiB of user space\)"
ok $? "task_size 0x7ffffffff000, under it"
if grep -q ' \[vsyscall\]$' "/proc/$$/maps"; then
	grep -qE "^ +\|   0xffffffffff600000 \[vsyscall\] +4K +rss" "$tmp/d"
	ok $? "[vsyscall]: in the kernel's half, with its figures"
else
	skip "[vsyscall] in the kernel's half" "no [vsyscall] mapping here"
fi
! grep -q "(kernel space)" "$tmp/d"
ok $? "no \"16 EiB (kernel space)\" gap any more"

# a 32-bit process: its 4 GiB and what lies above its task_size
m32=$top_builddir/tests/target-m32
. "$top_srcdir/tests/target.sh"
tmp_k=$tmp
target_setup kspace32
if [ -x "$m32" ] && runs_here "$m32" && start_target "$m32"; then
	"$VMLAYOUT" --diagram "$target_pid" >"$tmp/m32" 2>/dev/null
	sed -n 4,6p "$tmp/m32" | tr '\n' '|' >"$tmp/m32.top"
	grep -qE '^0xffffffff \+- top of the 32-bit address space\| +:  8 KiB  not for user space; the kernel \(64-bit\) is outside this view\|0xffffe000 \+- task_size \(4 GiB of user space\)\|$' "$tmp/m32.top"
	ok $? "32-bit process: the top of its 4 GiB, 8 KiB no user's, task_size 0xffffe000"
	[ $? -eq 0 ] || diag "$(cat "$tmp/m32.top")"
	stop_target
	if command -v setarch >/dev/null && start_target setarch i386 -3 "$m32"; then
		"$VMLAYOUT" --diagram "$target_pid" >"$tmp/m32b" 2>/dev/null
		sed -n 5,6p "$tmp/m32b" | tr '\n' '|' | grep -qE '^ +:  1 GiB  above the 3 GiB limit .*\|0xc0000000 \+- task_size \(3 GiB of user space\)\|$'
		ok $? "32-bit process under ADDR_LIMIT_3GB (setarch -3): task_size 0xc0000000, 1 GiB above"
		stop_target
	else
		skip "32-bit process under ADDR_LIMIT_3GB" "setarch -3 did not start it"
	fi
else
	skip "32-bit process" "tests/target-m32 not built or did not start"
fi
rm -rf "$tmp_k"

# the mmap area's direction and its inferred base
if [ -n "${JQ:-}" ]; then
	"$VMLAYOUT" --json $$ >"$tmp/mm.json" 2>/dev/null
	stack=$(awk '$6 == "[stack]" { split($1, a, "-"); print a[1] }' "/proc/$$/maps")
	want=$(awk -v s="$stack" '{ split($1, a, "-"); if (a[2] <= s && $6 != "[stack]") e = a[2] } END { print "0x" e }' "/proc/$$/maps" | sed 's/^0x0*/0x/')
	"$JQ" -e --arg b "$want" '.mm.mmap_layout == "top-down" and .mm.mmap_base == $b' "$tmp/mm.json" >/dev/null
	ok $? "mm: top-down, mmap_base the end of the highest mapping below the stack ($want)"
	if command -v setarch >/dev/null && setarch -L true 2>/dev/null; then
		setarch -L sleep 30 </dev/null >/dev/null 2>&1 &
		lp=$!
		for _ in $(seq 100); do
			[ "$(cat "/proc/$lp/comm" 2>/dev/null)" = sleep ] && break
			sleep 0.05
		done
		"$VMLAYOUT" --json "$lp" 2>/dev/null | "$JQ" -e '.mm.mmap_layout == "bottom-up" and .mm.mmap_base == null' >/dev/null
		ok $? "mm: setarch -L, bottom-up, no mmap_base"
		kill "$lp" 2>/dev/null
	else
		skip "mm: setarch -L" "setarch -L not usable"
	fi
fi

# a snapshot does not say which paging mode its machine used
"$VMLAYOUT" --diagram "$top_srcdir/tests/snapshots/libs/" >"$tmp/s" 2>/dev/null
head -n 5 "$tmp/s" | grep -q "paging unknown: the 4-level layout"
ok $? "a snapshot: paging unknown, the 4-level layout shown"
done_testing

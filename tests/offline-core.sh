#!/bin/bash
# offline-core.sh - source_open_core() on cores of the layout target written by gdb's
# gcore: every region the target prints lands in its role, both thread stacks are
# found from the NT_PRSTATUS stack pointers, the command from NT_PRPSINFO, the
# executable and its libraries attributed from the files (checked against the first
# page the core holds), dumped bytes per VMA.  TAP.  Needs jq and gdb.
. "$top_srcdir/tests/tap.sh"

[ -n "$JQ" ] || skip_all "jq not found"
command -v gdb >/dev/null || skip_all "gdb not found"
T=$top_builddir/tests/test-offline
. "$top_srcdir/tests/target.sh"
target_setup core
DEFS=$(cat "$top_srcdir/tests/offline.jq")

# gdb attaches with ptrace: under Yama ptrace_scope 1 only a parent may, unless root
if [ "$(id -u)" != 0 ] && [ "$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)" != 0 ]; then
	skip_all "gdb cannot attach (kernel.yama.ptrace_scope is not 0)"
fi

for v in pie m32; do
	prog=$top_builddir/tests/target-$v
	if [ ! -x "$prog" ]; then
		skip "$v: core" "target-$v not built"
		continue
	fi
	if ! start_target "$prog"; then
		skip "$v: core" "target-$v did not start"
		continue
	fi
	tid=${extra[thread_stack]}
	gdb -q -batch -nx -p "$target_pid" -ex "gcore $tmp/core.$v" >"$tmp/gdb.$v" 2>&1
	stop_target
	if [ ! -s "$tmp/core.$v" ]; then
		skip "$v: core" "gcore wrote no core: $(tail -1 "$tmp/gdb.$v")"
		continue
	fi
	"$T" core "$tmp/core.$v" >"$tmp/$v.json" 2>"$tmp/$v.err"
	ok $? "$v: core read"
	# gdb dumps PROT_NONE pages as readable: the guard mapping is not checked
	declare -A role=([data]=data [rodata]=rodata [text]=text [bss]=bss [heap]=heap
		[anon]=anon [stack]=stack [thread_stack]=thread_stack [relro]=relro)
	for n in "${!role[@]}"; do
		"$JQ" -e --arg a "${addr[$n]}" --arg r "${role[$n]}" "$DEFS vma_at(\$a) | length == 1 and .[0].role == \$r" \
			"$tmp/$v.json" >/dev/null
		ok $? "$v: $n ${addr[$n]} has role ${role[$n]}"
	done
	"$JQ" -e --arg a "${addr[thread_stack]}" --arg tid "$tid" "$DEFS"'
		(vma_at($a)[0].tid == ($tid | tonumber))
		and (.threads | length) == 2 and all(.threads[]; .stack_start != null)' "$tmp/$v.json" >/dev/null
	ok $? "$v: both threads, each with its stack; the second thread's is tid $tid"
	"$JQ" -e --arg exe "$prog" '.process.comm == ($exe | split("/") | last | .[0:15])
		and .process.cmdline[0] == $exe and .process.pid > 0' "$tmp/$v.json" >/dev/null
	ok $? "$v: comm, command line and pid from NT_PRPSINFO"
	"$JQ" -e '([.objects[] | select(.kind == "executable" and .attributed)] | length == 1)
		and ([.objects[] | select(.path | test("libc\\.so"))] | .[0].attributed)' "$tmp/$v.json" >/dev/null
	ok $? "$v: executable and libc attributed from their files"
	grep -qx "figures_unknown 1" "$tmp/$v.err"
	ok $? "$v: RSS and PSS unknown"
	total=$(awk '$1 == "dumped_total" { print $2 }' "$tmp/$v.err")
	sz=$(stat -c %s "$tmp/core.$v")
	test -n "$total" && test "$total" -gt 0 && test "$total" -lt "$sz"
	ok $? "$v: dumped bytes $total, less than the core's size $sz"
done
done_testing

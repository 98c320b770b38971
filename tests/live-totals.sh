#!/bin/bash
# live-totals.sh - vmlayout's figures against the kernel's own: totals against
# /proc/PID/smaps_rollup, data_vm/stack_vm against /proc/PID/status, the VMA count
# against /proc/PID/maps; and every roll-up (regions, roles, VMAs) sums to the totals.
#
# Exact equality needs a process whose figures cannot move between vmlayout's read of
# smaps and ours of smaps_rollup: the idle layout target (tests/target.c).  RSS and Swap
# of an idle process are exact whatever it maps.  PSS and the shared/private split
# also depend on who else maps the same pages, and vmlayout itself maps libc while it
# reads; besides, smaps prints each VMA's Pss truncated to whole kB where smaps_rollup
# truncates only the sum.  So the exact check of pss/shared/private is made on a
# private copy of the static PIE target (it shares no page with any other process but
# the vDSO) and on one of the -m32 target (a 64-bit vmlayout maps no 32-bit library);
# a dynamic 64-bit target gets bounds for those three.
#
# The test shell itself ($$) is checked for structure and internal sums only.
# TAP.  Needs jq ($JQ); skipped without it.
. "$top_srcdir/tests/tap.sh"

[ -n "$JQ" ] || skip_all "jq not found"
[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"

. "$top_srcdir/tests/target.sh"
target_setup totals

# read_kb FILE: the "Key: N kB" lines of FILE into K[Key] (in kB), read by the shell
# itself (no new process that could map shared pages meanwhile).
declare -A K
read_kb() {
	local k v _unit
	K=()
	while read -r k v _unit; do
		case $k in
		*:) K[${k%:}]=$v ;;
		esac
	done <"$1"
}

# rollup_line PID: the smaps_rollup figures as one comparable line, in bytes
rollup_line() {
	read_kb "/proc/$1/smaps_rollup" || return 1
	echo "rss=$((K[Rss] * 1024)) pss=$((K[Pss] * 1024))" \
		"shared=$(((K[Shared_Clean] + K[Shared_Dirty]) * 1024))" \
		"private=$(((K[Private_Clean] + K[Private_Dirty]) * 1024))" \
		"swap=$((K[Swap] * 1024))"
}

FIELDS='["size","rss","pss","shared","private","swap","dirty","vmas"]'

# Internal sums and structure: on any process.
check_sums() {
	local what=$1 json=$2
	jqok "$what: totals are integers, shared + private = rss, pss <= rss" "$json" '
		.totals as $t
		| all($f[]; ($t[.] | type) == "number" and $t[.] >= 0 and $t[.] == ($t[.] | floor))
		and $t.shared + $t.private == $t.rss and $t.pss <= $t.rss
		and $t.rss <= $t.size and $t.dirty <= $t.rss' --argjson f "$FIELDS"
	jqok "$what: the regions sum to the totals" "$json" '
		. as $d | all($f[]; . as $k | ([$d.regions[][$k]] | add) == $d.totals[$k])' \
		--argjson f "$FIELDS"
	jqok "$what: the roles sum to the totals" "$json" '
		. as $d | all($f[]; . as $k | ([$d.roles[][$k]] | add) == $d.totals[$k])' \
		--argjson f "$FIELDS"
	jqok "$what: the VMAs sum to the totals, totals.vmas = number of VMAs" "$json" '
		. as $d | .totals.vmas == (.vmas | length)
		and all($f[] | select(. != "vmas"); . as $k | ([$d.vmas[][$k]] | add) == $d.totals[$k])' \
		--argjson f "$FIELDS"
	jqok "$what: each VMA's figures are its smaps fields" "$json" '
		all(.vmas[]; .size == .smaps.Size and .rss == .smaps.Rss and .pss == .smaps.Pss
		    and .shared == .smaps.Shared_Clean + .smaps.Shared_Dirty
		    and .private == .smaps.Private_Clean + .smaps.Private_Dirty
		    and .dirty == .smaps.Shared_Dirty + .smaps.Private_Dirty
		    and .swap == .smaps.Swap)'
	jqok "$what: vm_counters data_vm and stack_vm match the kernel" "$json" '
		.vm_counters.data_vm.match == true and .vm_counters.stack_vm.match == true
		and .vm_counters.data_vm.vmas == .vm_counters.data_vm.kernel
		and .vm_counters.stack_vm.vmas == .vm_counters.stack_vm.kernel'
}

# check_target NAME PROGRAM EXACT: EXACT=1: pss/shared/private equal smaps_rollup too.
check_target() {
	local name=$1 prog=$2 exact=$3 json=$tmp/$1.json before after rc try

	if ! start_target "$prog"; then
		ok 1 "$name: target started and said ready"
		kill -TERM "$target_pid" 2>/dev/null
		wait "$target_pid" 2>/dev/null
		target_pid=
		return
	fi
	ok 0 "$name: target started and said ready"

	# The target is idle; still, another process mapping the same pages between
	# the reads would move PSS: read smaps_rollup before and after, retry if it moved.
	for try in 1 2 3 4 5; do
		before=$(rollup_line "$target_pid")
		"$VMLAYOUT" --json --rollup "$target_pid" >"$json" 2>"$tmp/err"
		rc=$?
		after=$(rollup_line "$target_pid")
		[ "$before" = "$after" ] && break
		diag "smaps_rollup moved during the read (try $try): $before / $after"
	done
	ok $rc "$name: vmlayout --json exits 0"
	test ! -s "$tmp/err"
	ok $? "$name: nothing on stderr"
	jqok "$name: schema 1" "$json" '.schema == 1' || { stop_target; return; }

	eval "local $after"	# rss= pss= shared= private= swap=
	local args=(--argjson rss "$rss" --argjson pss "$pss" --argjson shared "$shared"
		--argjson private "$private" --argjson swap "$swap")
	jqok "$name: totals.rss = smaps_rollup Rss ($rss)" "$json" '.totals.rss == $rss' "${args[@]}"
	jqok "$name: totals.swap = smaps_rollup Swap ($swap)" "$json" '.totals.swap == $swap' "${args[@]}"
	if [ "$exact" = 1 ]; then
		jqok "$name: totals.pss = smaps_rollup Pss ($pss)" "$json" \
			'.totals.pss == $pss' "${args[@]}"
		jqok "$name: totals.shared = smaps_rollup Shared_Clean + Shared_Dirty ($shared)" \
			"$json" '.totals.shared == $shared' "${args[@]}"
		jqok "$name: totals.private = smaps_rollup Private_Clean + Private_Dirty ($private)" \
			"$json" '.totals.private == $private' "${args[@]}"
	else
		# per-VMA truncation to kB: at most 1 KiB per VMA below; vmlayout's own
		# mapping of shared pages: at most half of the shared pages below.
		jqok "$name: totals.pss within bounds of smaps_rollup Pss ($pss)" "$json" \
			'.totals.pss <= $pss + 4096
			 and .totals.pss >= $pss - 1024 * (.vmas | length) - $shared / 2' "${args[@]}"
		jqok "$name: totals.shared + totals.private = smaps_rollup's" "$json" \
			'.totals.shared + .totals.private == $shared + $private' "${args[@]}"
	fi
	jqok "$name: rollup (the kernel's exact sums) has Rss = totals.rss" "$json" \
		'.rollup.Rss == .totals.rss and .rollup.Swap == .totals.swap'
	# the two walks are two moments: the PSS of pages shared with other
	# processes moves when one of those starts or exits in between (exact: the
	# target shares none)
	jqok "$name: totals.pss is rollup.Pss less under 1 KiB per VMA (shared pages aside)" "$json" \
		'(if $exact == 1 then 0 else .totals.shared / 2 end) as $s |
		 .totals.pss <= .rollup.Pss + $s and
		 .rollup.Pss - .totals.pss < 1024 * (.vmas | length) + $s' --argjson exact "$exact"
	"$VMLAYOUT" --json "$target_pid" >"$tmp/plain.json" 2>"$tmp/err"
	jqok "$name: without --rollup, rollup is null and the rest is there" "$tmp/plain.json" \
		'.rollup == null and .totals.rss > 0'
	"$JQ" -r '"\(.totals.rss) \(.totals.pss) \(.totals.shared) \(.totals.private)"' "$json" \
		>"$tmp/fig"
	diag "$name: vmlayout rss pss shared private: $(cat "$tmp/fig"); smaps_rollup: $after"

	read_kb "/proc/$target_pid/status"
	jqok "$name: data_vm = VmData (${K[VmData]} kB)" "$json" \
		'.vm_counters.data_vm.kernel == $k * 1024 and .kernel.vm_data == $k * 1024' \
		--argjson k "${K[VmData]}"
	jqok "$name: stack_vm = VmStk (${K[VmStk]} kB)" "$json" \
		'.vm_counters.stack_vm.kernel == $k * 1024 and .kernel.vm_stk == $k * 1024' \
		--argjson k "${K[VmStk]}"
	mapfile -t maps <"/proc/$target_pid/maps"
	jqok "$name: vmas = number of lines of maps (${#maps[@]})" "$json" \
		'.totals.vmas == $n and (.vmas | length) == $n' --argjson n "${#maps[@]}"
	check_sums "$name" "$json"

	stop_target
	ok $? "$name: target exits 0"
}

# The exact targets: the static PIE (no page shared with anyone but the vDSO) and the
# -m32 target (a 64-bit vmlayout maps no 32-bit library); the dynamic PIE with bounds.
b=$top_builddir/tests
# A private copy of each so that not even a concurrent test's target shares their pages
# (a concurrent 32-bit process can still share the 32-bit libc with the -m32 one: the
# smaps_rollup re-read above catches that).
if [ -x "$b/target-static-pie" ]; then
	cp "$b/target-static-pie" "$tmp/target-static-pie" || bail_out "cp failed"
	check_target static-pie-copy "$tmp/target-static-pie" 1
fi
if [ -x "$b/target-m32" ] && ! runs_here "$b/target-m32"; then
	skip "m32-copy" "the kernel does not run target-m32 (no IA-32 emulation)"
elif [ -x "$b/target-m32" ]; then
	cp "$b/target-m32" "$tmp/target-m32" || bail_out "cp failed"
	check_target m32-copy "$tmp/target-m32" 1
fi
if [ -x "$b/target-pie" ]; then
	check_target pie "$b/target-pie" 0
fi
[ "$tap_n" -gt 0 ] || bail_out "no target program built in $b"

# The test shell: structure and sums only (it may change while read).
"$VMLAYOUT" --json $$ >"$tmp/self.json" 2>"$tmp/err"
ok $? "shell \$\$: vmlayout --json exits 0"
# a warning is possible (the shell may change while it is read): no other line
! grep -v '^vmlayout: PID [0-9]*: warning: ' "$tmp/err" >/dev/null
ok $? "shell \$\$: nothing on stderr but warnings"
[ -s "$tmp/err" ] && diag "$(cat "$tmp/err")"
if jqok "shell \$\$: schema 1, pid" "$tmp/self.json" '.schema == 1 and .process.pid == $p' \
	--argjson p $$; then
	check_sums "shell \$\$" "$tmp/self.json"
fi
done_testing

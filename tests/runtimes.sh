#!/bin/bash
# runtimes.sh - vmlayout on what runtimes, symbolizers and container runtimes map
# (tests/runtimes.c): the V8-like alias of the program's own text inside a ---p
# reservation, a whole ELF file mapped r--p with its buffer above it, a bss partly
# unmapped and mprotect()ed with anonymous memory mapped right above it, a malloc
# arena, JIT code, MAP_HUGETLB memory (when the machine has huge pages); libraries
# dlopen()ed (tests/libplug.c): one right under a large malloc() block, one linked
# with -z max-page-size=0x200000, one overwritten in place after it was loaded; and
# a program run from a memfd.  Each row must get the role the man page gives it.
#
# TAP.  Needs jq ($JQ); skipped without it.
. "$top_srcdir/tests/tap.sh"

[ -n "$JQ" ] || skip_all "jq not found"
[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"
RUNTIMES=${RUNTIMES:-$top_builddir/tests/runtimes}
[ -x "$RUNTIMES" ] || bail_out "not built: $RUNTIMES"

. "$top_srcdir/tests/target.sh"
target_setup runtimes

JQDEFS='
def pad: ltrimstr("0x") | ("0000000000000000"[0:(16 - length)]) + .;
def vma_at($a): ($a | pad) as $x | [.vmas[] | select((.start | pad) <= $x and $x < (.end | pad))];
def role_at($a): vma_at($a) | if length == 1 then .[0].role else null end;
'

# ------------------------------------------------------------------ the layout
start_target "$RUNTIMES" || bail_out "runtimes did not start"
pid=$target_pid
wait_blocked "$pid" || diag "a thread of the target is still running"
json=$tmp/rt.json
"$VMLAYOUT" --json "$pid" > "$json" 2> "$tmp/err"
ok $? "vmlayout --json exits 0"
[ -s "$tmp/err" ] && diag "$(cat "$tmp/err")"
exe=$(readlink "/proc/$pid/exe")

jqok "alias of the program's text: role file, no object" "$json" \
	'vma_at($a) | length == 1 and .[0].role == "file" and .[0].object == null' \
	--arg a "${addr[alias]}"
jqok "the reservation around it: role reserved, region mmap" "$json" \
	'vma_at($a) | length == 1 and .[0].role == "reserved" and .[0].region == "mmap"' \
	--arg a "${addr[reservation]}"
jqok "the whole file mapped r--p: role file, no object" "$json" \
	'vma_at($a) | length == 1 and .[0].role == "file" and .[0].object == null' \
	--arg a "${addr[wholefile]}"
jqok "the buffer above it: anon, not a bss" "$json" \
	'role_at($a) == "anon"' --arg a "${addr[symanon]}"
jqok "the program is one object, not one per mapping of its file" "$json" \
	'[.objects[] | select(.path == $p)] | length == 1' --arg p "$exe"
jqok "bss pieces (partly unmapped and mprotect()ed): rw pieces bss of the program" "$json" \
	'[role_at($a), role_at($b)] == ["bss", "bss"] and
	 (vma_at($a)[0].object == $p) and (vma_at($b)[0].object == $p)' \
	--arg a "${addr[bss_a]}" --arg b "${addr[bss_b]}" --arg p "$exe"
jqok "the mprotect()ed 16 KiB piece of the bss: guard" "$json" \
	'role_at($a) == "guard"' --arg a "${addr[bss_prot]}"
jqok "the unmapped piece of the bss is not mapped" "$json" \
	'vma_at($a) | length == 0' --arg a "${addr[bss_hole]}"
jqok "no bss VMA of the program reaches beyond its page-rounded bss end" "$json" \
	'[.vmas[] | select(.role == "bss" and .object == $p and ((.end | pad) > ($e | pad)))]
	 | length == 0' --arg p "$exe" --arg e "${addr[bss_end]}"
if [ -n "${addr[bss_above]:-}" ]; then
	jqok "anonymous memory mapped right above the bss: anon" "$json" \
		'role_at($a) == "anon"' --arg a "${addr[bss_above]}"
	jqok "the last bss piece: bss, or anon with a bss part up to the bss end" "$json" \
		'vma_at($c)[0] as $v | ($v.role == "bss") or ($v.role == "anon" and
		  $v.parts[0].role == "bss" and $v.parts[0].object == $p and
		  $v.parts[0].end == $e and $v.parts[1].role == "anon" and
		  $v.parts[0].size + $v.parts[1].size == $v.size and
		  $v.parts[0].rss + $v.parts[1].rss == $v.rss)' \
		--arg c "${addr[bss_c]}" --arg e "${addr[bss_end]}" --arg p "$exe"
else
	skip "anonymous memory mapped right above the bss: anon" "its address was taken"
	jqok "the last bss piece: bss" "$json" 'role_at($c) == "bss"' --arg c "${addr[bss_c]}"
fi
jqok "a second thread's malloc(): role arena, region heap" "$json" \
	'vma_at($a) | length == 1 and .[0].role == "arena" and .[0].region == "heap"' \
	--arg a "${addr[arena]}"
jqok "the arena's reserve above its head: arena" "$json" \
	'vma_at($a)[0] as $h | [.vmas[] | select(.start == $h.end)][0].role == "arena"' \
	--arg a "${addr[arena]}"
jqok "anonymous r-x memory: role jit, region code" "$json" \
	'vma_at($a) | length == 1 and .[0].role == "jit" and .[0].region == "code"' \
	--arg a "${addr[jit]}"
jqok "a thread's stack inside a larger mapping with no guard below (Go): that VMA anon" \
	"$json" 'role_at($a) == "anon" and (vma_at($a)[0].tid == null)' --arg a "${addr[heapstack]}"
jqok "that thread's stack pointer and VMA are still given in \"threads\"" "$json" \
	'vma_at($a)[0] as $v | [.threads[] | select(.stack_start == $v.start and
	 .stack_end == $v.end and .stack_pointer != null)] | length == 1' \
	--arg a "${addr[heapstack]}"
jqok "the thread stacks with a guard below are still thread stacks" "$json" \
	'[.vmas[] | select(.role == "thread_stack")] | length >= 1'
for h in huge_private:anon huge_shared:shm; do
	n=${h%%:*} r=${h#*:}
	if [ -n "${addr[$n]:-}" ]; then
		jqok "MAP_HUGETLB ${n#huge_}: role $r" "$json" 'role_at($a) == $r' \
			--arg a "${addr[$n]}" --arg r "$r"
	else
		skip "MAP_HUGETLB ${n#huge_}: role $r" "MAP_HUGETLB failed (no huge pages)"
	fi
done
jqok "the roles sum to the totals" "$json" \
	'([.roles[].rss] | add) == .totals.rss and ([.roles[].size] | add) == .totals.size'
if [ -r "/proc/$pid/smaps_rollup" ]; then
	rss=$(awk '$1 == "Rss:" { print $2 * 1024 }' "/proc/$pid/smaps_rollup")
	jqok "RSS total equals smaps_rollup" "$json" '.totals.rss == ($r | tonumber)' \
		--arg r "$rss"
fi

# --addr inside the reservation names no section or symbol
"$VMLAYOUT" --json --addr "$(printf '0x%x' $((${addr[reservation]} + 4096)))" \
	--addr "${addr[alias]}" "$pid" > "$tmp/addr" 2> "$tmp/err"
ok $? "--addr in the reservation and in the alias exits 0"
jqok "--addr in the reservation: reserved, no object, no ELF section or symbol" "$tmp/addr" \
	'.addresses[0] | .role == "reserved" and .object == null and .elf == null'
jqok "--addr in the alias: file, no object, no ELF section or symbol" "$tmp/addr" \
	'.addresses[1] | .role == "file" and .object == null and .elf == null'

"$VMLAYOUT" "$pid" > "$tmp/text" 2> "$tmp/err"
ok $? "the text view exits 0"
grep -q "reserved (---p)" "$tmp/text" && grep -q "malloc arena heaps" "$tmp/text"
ok $? "the text view names the reservation and the arena"
grep -Eq "thread stack \(tid [0-9]+ runtimes\)" "$tmp/text"
ok $? "the text view names the thread stack with its thread's name"
"$VMLAYOUT" --vmas --raw -n -o TID,THREAD --role thread_stack "$pid" > "$tmp/vmas" 2> /dev/null
grep -Eq "^[0-9]+ runtimes$" "$tmp/vmas"
ok $? "--vmas -o TID,THREAD names the thread of a thread stack"
grep -Eq "$(basename "$exe") \(alias(, [0-9]+ mappings)?\)" "$tmp/text"
ok $? "the text view calls the other mappings of the program's file aliases"
# hugetlbfs pages are outside RSS: the header says how much, as status does, and
# the diagram notes them under their line
hkb=$(awk '$1 == "HugetlbPages:" { print $2 }' "/proc/$pid/status")
if [ -n "${addr[huge_private]:-}${addr[huge_shared]:-}" ] && [ "${hkb:-0}" -gt 0 ]; then
	"$VMLAYOUT" --bytes "$pid" > "$tmp/bytes" 2> /dev/null
	h=$(sed -n '2s/.*  HUGETLB \([0-9]*\)  VMAs.*/\1/p' "$tmp/bytes")
	[ "$h" = $((hkb * 1024)) ]
	ok $? "the header's HUGETLB ($h) is status's HugetlbPages ($hkb kB)"
	notes=$(grep -Ec "[0-9.]+[KMGT]? in hugetlb pages, not in rss$" "$tmp/text")
	[ "$notes" -ge 1 ]
	ok $? "the diagram notes the hugetlb pages ($notes lines)"
	h=$("$VMLAYOUT" --all -o PID,HUGETLB --bytes --raw -n "$pid" 2> /dev/null | head -n 1)
	[ "$h" = "$pid $((hkb * 1024))" ]
	ok $? "--all -o PID,HUGETLB: $h, status's HugetlbPages"
else
	grep -q "HUGETLB" "$tmp/text"
	ok $((! $?)) "no hugetlb pages: no HUGETLB in the header"
	skip "the diagram notes the hugetlb pages" "MAP_HUGETLB failed (no huge pages)"
	skip "--all -o PID,HUGETLB: status's HugetlbPages" "MAP_HUGETLB failed (no huge pages)"
fi
"$VMLAYOUT" --all --json "$pid" > "$tmp/all.json" 2> /dev/null
jqok "--all --json: the process's hugetlb is status's HugetlbPages" "$tmp/all.json" \
	'.processes[0].pid == ($p | tonumber) and .processes[0].hugetlb == ($h | tonumber) and
	 .totals.hugetlb == ($h | tonumber)' --arg p "$pid" --arg h "$(( ${hkb:-0} * 1024 ))"
h=$("$VMLAYOUT" --openmetrics "$pid" 2> /dev/null | sed -n 's/^vmlayout_process_hugetlb_bytes{.*} //p')
[ "$h" = "$(( ${hkb:-0} * 1024 ))" ]
ok $? "--openmetrics: vmlayout_process_hugetlb_bytes ($h) is status's HugetlbPages"
jqok "--json: totals.hugetlb is status's HugetlbPages; the regions and roles sum to it" "$json" \
	'.totals.hugetlb == ($h | tonumber) and ([.regions[].hugetlb] | add) == .totals.hugetlb and
	 ([.roles[].hugetlb] | add) == .totals.hugetlb and ([.vmas[].hugetlb] | add) == .totals.hugetlb' \
	--arg h "$(( ${hkb:-0} * 1024 ))"
stop_target
ok $? "the target exits 0"

# ------------------------------------------------------------------ plugins
printf '#!/bin/sh\nexec "%s" plugins "%s"\n' "$RUNTIMES" "$top_builddir/tests" > "$tmp/plugins.sh"
chmod +x "$tmp/plugins.sh"
start_target "$tmp/plugins.sh" || bail_out "runtimes plugins did not start"
"$VMLAYOUT" --json "$target_pid" > "$json" 2> "$tmp/err"
ok $? "plugins: vmlayout --json exits 0"
plug=$top_builddir/tests/libplug.so plug2m=$top_builddir/tests/libplug-2m.so
over=${extra[over]}
jqok "plugins: the malloc() block right above a library's bss: anon" "$json" \
	'role_at($a) == "anon"' --arg a "${addr[block]}"
# (8 KiB into the bss array: past the data segment's last file page)
jqok "plugins: the library's bss is bss, or the bss part of the merged VMA" "$json" \
	'vma_at($a)[0] as $v | ($v.role == "bss" and $v.object == $p) or
	 ($v.role == "anon" and $v.parts[0].role == "bss" and $v.parts[0].object == $p and
	  $v.parts[0].end == $e and ($v.parts[0].rss_measured | not or $v.parts[0].rss <= 8192))' \
	--arg a "$(printf '0x%x' $((addr[plug_bss] + 8192)))" --arg e "${addr[plug_bss_end]}" \
	--arg p "$plug"
jqok "plugins: no bss VMA reaches beyond its library's page-rounded bss end" "$json" \
	'[.vmas[] | select(.role == "bss" and ((.object == $p and (.end | pad) > ($e | pad)) or
	  (.object == $q and (.end | pad) > ($f | pad))))] | length == 0' \
	--arg p "$plug" --arg e "${addr[plug_bss_end]}" \
	--arg q "$plug2m" --arg f "${addr[plug2m_bss_end]}"
jqok "plugins: -z max-page-size library: its ---p holes are reserved, of that library" "$json" \
	'[.vmas[] | select(.path == $q and .perms == "---p")] |
	 length >= 1 and all(.role == "reserved" and .object == $q)' --arg q "$plug2m"
jqok "plugins: -z max-page-size library: its bss is bss" "$json" \
	'vma_at($a)[0] | .role == "bss" and .object == $q' \
	--arg a "$(printf '0x%x' $((addr[plug2m_bss] + 8192)))" --arg q "$plug2m"
jqok "plugins: the library's bss counts in full to the object and the bss region" "$json" \
	'([.objects[] | select(.path == $p)][0].bss.size) as $b |
	 $b >= 1048576 and $b <= 1048576 + 8192 and .regions.bss.size >= $b' --arg p "$plug"
jqok "plugins: the roles, the regions and the objects' bss sum right" "$json" \
	'([.roles[].rss] | add) == .totals.rss and ([.regions[].rss] | add) == .totals.rss and
	 ([.regions[].size] | add) == .totals.size and .regions.bss.size == .roles.bss.size'
"$VMLAYOUT" --json --addr "$(printf '0x%x' $((addr[plug_bss] + 8192)))" --addr "${addr[block]}" \
	"$target_pid" > "$tmp/addr" 2> /dev/null
ok $? "plugins: --addr in the library's bss and in the block exits 0"
jqok "plugins: --addr in the library's bss: bss of the library, section .bss" "$tmp/addr" \
	'.addresses[0] | .role == "bss" and .region == "bss" and .object == $p and
	 .elf.section == ".bss"' --arg p "$plug"
jqok "plugins: --addr in the malloc() block: anon, no object" "$tmp/addr" \
	'.addresses[1] | .role == "anon" and .object == null and .elf == null'
jqok "plugins: every library is one object" "$json" \
	'[.objects[] | select(.path == $p or .path == $q or .path == $o)] | length == 3' \
	--arg p "$plug" --arg q "$plug2m" --arg o "$over"
jqok "plugins: overwritten in place: a warning names it" "$json" \
	'[.warnings[] | select(startswith($o))] | length == 1' --arg o "$over"
jqok "plugins: overwritten in place: not attributed, roles from permissions" "$json" \
	'([.objects[] | select(.path == $o)][0].attributed | not) and
	 ([.vmas[] | select(.object == $o)] | length >= 3 and all(
	   (.perms | test("x") | not) or .role == "text") and all(
	   (.perms | test("x")) or (.role != "text")))' --arg o "$over"
stop_target
ok $? "plugins: the target exits 0"

# ------------------------------------------------------------------ memfd
printf '#!/bin/sh\nexec "%s" memfd\n' "$RUNTIMES" > "$tmp/memfd.sh"
chmod +x "$tmp/memfd.sh"
start_target "$tmp/memfd.sh" || bail_out "runtimes memfd did not start"
if [ -n "${addr[skip]:-}" ]; then
	skip "a program run from a memfd is an ELF object" "memfd or fexecve failed"
else
	"$VMLAYOUT" --json "$target_pid" > "$json" 2> "$tmp/err"
	ok $? "memfd: vmlayout --json exits 0"
	jqok "memfd: the program is the executable object, from /memfd:" "$json" \
		'[.objects[] | select(.kind == "executable")] | length == 1 and
		 (.[0].path | startswith("/memfd:runtimes")) and .[0].attributed'
	jqok "memfd: its text is role text, region code" "$json" \
		'vma_at($a) | length == 1 and .[0].role == "text" and
		 (.[0].object | startswith("/memfd:"))' --arg a "${addr[text]}"
	jqok "memfd: none of its VMAs is shm" "$json" \
		'[.vmas[] | select((.path // "" | startswith("/memfd:")) and .role == "shm")]
		 | length == 0'
	jqok "memfd: its bss is bss" "$json" \
		'[.vmas[] | select(.role == "bss" and (.object // "" | startswith("/memfd:")))]
		 | length >= 1'
fi
stop_target
ok $? "memfd: the target exits 0"

# ------------------------------------------------------------------ snapshots and cores
# A snapshot and the kernel's core dump of the runtimes program and of the plugins
# program: every VMA gets the role and the object the live read gave (a core names
# no [heap], [vvar] or anonymous memory: they are inferred).  Needs core_pattern to
# write a file ("core" or "core.%p" in the current directory).
printf '#!/bin/sh\nexec "%s"\n' "$RUNTIMES" > "$tmp/main.sh"
chmod +x "$tmp/main.sh"

# same_roles WHAT FILE: one TAP line, FILE's roles equal the live read's
same_roles() {
	if cmp -s "$tmp/live.roles" "$2"; then
		ok 0 "$1: every VMA has the role and object of the live read"
	else
		ok 1 "$1: every VMA has the role and object of the live read"
		diag "$(diff "$tmp/live.roles" "$2")"
	fi
}

pattern=$(cat /proc/sys/kernel/core_pattern 2>/dev/null)
for prog in main plugins; do
	if [ "${pattern#core}" = "$pattern" ] || [ "${pattern#*/}" != "$pattern" ] ||
		! (ulimit -c unlimited) 2>/dev/null; then
		skip "$prog: a snapshot and a core" "core_pattern '$pattern' does not write a file here"
		continue
	fi
	d=$tmp/cores-$prog
	mkdir -p "$d"
	# its standard input stays open (it exits at its end) until the signal
	(cd "$d" && ulimit -c unlimited && sleep 60 | "$tmp/$prog.sh" >"$d/out" 2>&1) &
	spid=$!
	for _ in $(seq 100); do
		grep -q '^ready' "$d/out" 2>/dev/null && break
		sleep 0.1
	done
	cpid=$(sed -n 's/^pid //p' "$d/out")
	"$VMLAYOUT" --vmas --noheadings -o START,ROLE,OBJECT "$cpid" >"$tmp/live.roles" 2>/dev/null
	"$VMLAYOUT" --save "$d/snap" "$cpid" >/dev/null 2>&1
	"$VMLAYOUT" --vmas --noheadings -o START,ROLE,OBJECT "$d/snap/" >"$d/snap.roles" 2>/dev/null
	same_roles "$prog: snapshot" "$d/snap.roles"
	kill -SEGV "$cpid"
	for _ in $(seq 100); do
		[ -d "/proc/$cpid" ] || break
		sleep 0.1
	done
	pkill -P "$spid" sleep 2>/dev/null
	wait "$spid" 2>/dev/null
	core=$(ls "$d"/core* 2>/dev/null | head -n 1)
	if [ -z "$core" ]; then
		skip "$prog: core" "no core was written"
		continue
	fi
	"$VMLAYOUT" --vmas --noheadings -o START,ROLE,OBJECT "$core" >"$d/core.roles" 2>"$tmp/err"
	ok $? "$prog: vmlayout reads the kernel's core dump"
	# the kernel names the files of a core as d_path() sees them: under overlayfs
	# (a container's root), the path inside the upper layer, which does not exist
	# here, so the files cannot be read for attribution
	exe=$(awk 'NR == 1 { print $3 }' "$tmp/live.roles")
	if [ -n "$exe" ] && ! grep -qF " $exe" "$d/core.roles"; then
		skip "$prog: core: every VMA has the role and object of the live read" \
			"the core names $exe otherwise (overlayfs?)"
		continue
	fi
	same_roles "$prog: core" "$d/core.roles"
done

done_testing

#!/bin/bash
# live-layout.sh - vmlayout on the layout target (tests/target.c): every region the
# target lays out must be found in the VMA the target says, with the right role,
# region, object, path and figures.  Runs once per built variant of the target:
#
#   variant      elf_class  relro line lands in    heap
#   pie          64         .data.rel.ro: relro    [heap] above the executable
#   nopie        64         .rodata: rodata        [heap] above the executable
#   m32          32         .data.rel.ro: relro    [heap] above the executable
#   static-pie   64         .data.rel.ro: relro    [heap] (the kernel puts the brk area
#                                                  of a static PIE away from it)
#
# TAP.  Needs jq ($JQ); skipped without it.
. "$top_srcdir/tests/tap.sh"

[ -n "$JQ" ] || skip_all "jq not found"
[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"

. "$top_srcdir/tests/target.sh"
target_setup live

MiB=$((1024 * 1024))

# jq definitions shared by the checks.  pad: a hex address string as 16 zero-padded
# digits, so that string order is number order (jq's numbers are doubles).
JQDEFS='
def pad: ltrimstr("0x") | ("0000000000000000"[0:(16 - length)]) + .;
def vma_at($a): ($a | pad) as $x | [.vmas[] | select((.start | pad) <= $x and $x < (.end | pad))];
'

# hex ADDR PLUS: ADDR + PLUS as 0x-hex (bash arithmetic is 64-bit; user addresses
# are below 2^63).
hex() { printf '0x%x' $(($1 + $2)); }

# The path with invalid UTF-8 bytes replaced by U+FFFD, from the hex of its bytes.
# The target's name has ASCII bytes and one 0xff.
decode_hex() {
	local h=$1 out='' i b
	for ((i = 0; i < ${#h}; i += 2)); do
		b=${h:i:2}
		if ((16#$b >= 128)); then
			out+=$'\xef\xbf\xbd'
		else
			printf -v b "\\x$b"
			out+=$b
		fi
	done
	printf '%s' "$out"
}

# expected role and region of each line of the target
declare -A want_role want_region
set_expected() {
	want_role=(
		[data]=data [rodata]=rodata [text]=text [bss]=bss [relro]=relro
		[heap]=heap [anon]=anon [shm]=shm [file]=file [deleted]=file [weird]=file
		[memfd]=shm [thread_stack]=thread_stack [stack]=stack [guard]=guard
	)
	# -no-pie: the table of function pointers needs no relocation: .rodata
	[ "$1" = nopie ] && want_role[relro]=rodata
	local n
	for n in "${!want_role[@]}"; do
		case ${want_role[$n]} in
		text) want_region[$n]=code ;;
		rodata | relro | data) want_region[$n]=data ;;
		bss) want_region[$n]=bss ;;
		heap) want_region[$n]=heap ;;
		anon | shm | file | guard) want_region[$n]=mmap ;;
		stack | thread_stack) want_region[$n]=stack ;;
		esac
	done
}

ALLOWED='{"code":["text"],"data":["rodata","relro","data"],"bss":["bss"],"heap":["heap"],
 "mmap":["anon","shm","file","guard"],"stack":["stack","thread_stack"],
 "special":["vdso","vvar","vsyscall","other"]}'

check_variant() {
	local v=$1 prog=$2 json=$tmp/$1.json n a last rc

	if ! start_target "$prog"; then
		ok 1 "$v: target started and said ready"
		[ -n "$target_pid" ] && kill -TERM "$target_pid" 2>/dev/null
		wait "$target_pid" 2>/dev/null
		target_pid=
		return
	fi
	ok 0 "$v: target started and said ready"
	set_expected "$v"

	"$VMLAYOUT" --json "$target_pid" >"$json" 2>"$tmp/err"
	rc=$?
	ok $rc "$v: vmlayout --json PID exits 0"
	[ -s "$tmp/err" ] && diag "stderr: $(cat "$tmp/err")"
	test ! -s "$tmp/err"
	ok $? "$v: vmlayout --json PID prints nothing on stderr"
	if ! jqok "$v: valid JSON, schema 1, pid" "$json" \
		'.schema == 1 and .process.pid == ($pid | tonumber)' --arg pid "$target_pid"; then
		stop_target
		return
	fi

	local class=64
	[ "$v" = m32 ] && class=32
	jqok "$v: process.elf_class is $class" "$json" ".process.elf_class == $class"
	jqok "$v: process.exe is the target" "$json" '.process.exe == $exe' --arg exe "$exe"
	jqok "$v: mm.start_code <= text < mm.end_code" "$json" \
		'(.mm.start_code | pad) <= ($t | pad) and ($t | pad) < (.mm.end_code | pad)' \
		--arg t "${addr[text]}"
	jqok "$v: VMAs sorted, non-empty, not overlapping" "$json" '
		[.vmas[] | [(.start | pad), (.end | pad)]] as $v
		| ($v | length) > 0
		and all(range(0; $v | length); $v[.][0] < $v[.][1])
		and all(range(1; $v | length); $v[. - 1][1] <= $v[.][0])'
	jqok "$v: every VMA has a region and a role of that region" "$json" '
		($ok | fromjson) as $ok
		| all(.vmas[]; .role as $r | ($ok[.region] // []) | any(.[]; . == $r))' \
		--arg ok "$ALLOWED"
	jqok "$v: the kernel's special mappings have their roles" "$json" '
		all(.vmas[] | select(.path == "[vdso]"); .role == "vdso")
		and all(.vmas[] | select(.path == "[vvar]" or .path == "[vvar_vclock]"); .role == "vvar")
		and all(.vmas[] | select(.path == "[vsyscall]"); .role == "vsyscall")
		and all(.vmas[] | select(.path == "[heap]"); .role == "heap")
		and all(.vmas[] | select(.path == "[stack]"); .role == "stack")'
	jqok "$v: the executable is an object of kind executable" "$json" \
		'[.objects[] | select(.path == $exe)] | length == 1 and .[0].kind == "executable"' \
		--arg exe "$exe"

	for n in data rodata text bss relro heap anon shm file deleted weird memfd \
		thread_stack stack guard; do
		a=${addr[$n]}
		if [ -z "$a" ]; then
			ok 1 "$v: the target printed $n"
			continue
		fi
		last=$(hex "$a" $((${len[$n]} - 1)))
		jqok "$v: $n $a is in one VMA with role ${want_role[$n]}, region ${want_region[$n]}" \
			"$json" 'vma_at($a) | length == 1 and .[0].role == $role and .[0].region == $region' \
			--arg a "$a" --arg role "${want_role[$n]}" --arg region "${want_region[$n]}"
		jqok "$v: $n: its last byte $last has role ${want_role[$n]}" "$json" \
			'vma_at($a) | length == 1 and .[0].role == $role' \
			--arg a "$last" --arg role "${want_role[$n]}"
	done

	# The executable's own parts: object and path are the executable.
	for n in text data rodata relro; do
		jqok "$v: $n: object and path are the executable" "$json" \
			'vma_at($a)[0] | .object == $exe and .path == $exe and .deleted == false' \
			--arg a "${addr[$n]}" --arg exe "$exe"
	done
	jqok "$v: bss: object is the executable, anonymous" "$json" \
		'vma_at($a)[0] | .object == $exe and .path == null and .inode == 0' \
		--arg a "${addr[bss]}" --arg exe "$exe"
	jqok "$v: bss rss of the executable is 2 MiB (+ < 64 KiB)" "$json" '
		[.vmas[] | select(.role == "bss" and .object == $exe) | .rss] | add
		| . >= 2 * $mib and . < 2 * $mib + 64 * 1024' --argjson mib $MiB --arg exe "$exe"
	jqok "$v: the executable object's bss rss is the sum of its bss VMAs" "$json" '
		([.vmas[] | select(.role == "bss" and .object == $exe) | .rss] | add) as $s
		| .objects[] | select(.path == $exe) | .bss.rss == $s' --arg exe "$exe"

	# mappings made by the target
	jqok "$v: anon: one VMA of exactly 3 MiB, all resident, private" "$json" \
		'vma_at($a)[0] | .start == $a and .size == 3 * $mib and .rss == 3 * $mib
		 and .private == 3 * $mib and .path == null and .perms == "rw-p"' \
		--arg a "${addr[anon]}" --argjson mib $MiB
	jqok "$v: shm: /dev/zero (deleted), shared, 1 MiB resident" "$json" \
		'vma_at($a)[0] | .path == "/dev/zero" and .deleted == true and .perms == "rw-s"
		 and .size == $mib and .rss == $mib' \
		--arg a "${addr[shm]}" --argjson mib $MiB
	jqok "$v: file: path, not deleted, size = rss = 256 KiB" "$json" \
		'vma_at($a)[0] | .path == $p and .deleted == false and (has("path_bytes") | not)
		 and .size == 256 * 1024 and .rss == 256 * 1024 and .inode > 0 and .object == null' \
		--arg a "${addr[file]}" --arg p "${extra[file]}"
	jqok "$v: deleted: path without \" (deleted)\", deleted true" "$json" \
		'vma_at($a)[0] | .path == $p and .deleted == true and .size == 16 * 1024' \
		--arg a "${addr[deleted]}" --arg p "${extra[deleted]}"
	jqok "$v: weird: path decoded (newline, U+FFFD), path_bytes exact" "$json" \
		'vma_at($a)[0] | .path == $p and (.path | contains("\n")) and (.path | contains("\ufffd"))
		 and .path_bytes == $h and .deleted == false' \
		--arg a "${addr[weird]}" --arg h "${extra[weird]}" --arg p "$(decode_hex "${extra[weird]}")"
	jqok "$v: memfd: /memfd:vmlayout test, deleted, shared" "$json" \
		'vma_at($a)[0] | .path == "/memfd:vmlayout test" and .deleted == true and .perms == "rw-s"' \
		--arg a "${addr[memfd]}"
	tid=${extra[thread_stack]}
	jqok "$v: thread_stack: tid $tid" "$json" \
		'vma_at($a)[0] | .tid == ($tid | tonumber)' --arg a "${addr[thread_stack]}" --arg tid "$tid"
	jqok "$v: thread_stack: the thread is listed with its stack pointer in that VMA" "$json" \
		'. as $doc | vma_at($a)[0] as $s | [.threads[] | select(.tid == ($tid | tonumber))]
		 | length == 1 and .[0].stack_pointer != null
		 and (.[0].stack_pointer as $sp | $doc | vma_at($sp)) == [$s]' \
		--arg a "${addr[thread_stack]}" --arg tid "$tid"
	jqok "$v: stack: the [stack] VMA" "$json" \
		'vma_at($a)[0] | .path == "[stack]"' --arg a "${addr[stack]}"
	jqok "$v: guard: ---p, at least 64 KiB" "$json" \
		'vma_at($a)[0] | .perms == "---p" and .size >= 65536' --arg a "${addr[guard]}"
	jqok "$v: heap: [heap] holds the sbrk() memory, 1 MiB resident at least" "$json" \
		'vma_at($a)[0] | .path == "[heap]" and .rss >= $mib' --arg a "${addr[heap]}" --argjson mib $MiB

	# the text view
	"$VMLAYOUT" "$target_pid" >"$tmp/out.txt" 2>"$tmp/err"
	rc=$?
	ok $rc "$v: vmlayout PID (text view) exits 0"
	test ! -s "$tmp/err"
	ok $? "$v: text view: nothing on stderr"
	grep -qw heap "$tmp/out.txt"
	ok $? "$v: text view names the heap"
	grep -qw stack "$tmp/out.txt"
	ok $? "$v: text view names the stack"

	stop_target
	ok $? "$v: target exits 0 at end of file on its stdin"
}

found=0
for v in pie nopie m32 static-pie; do
	prog=$top_builddir/tests/target-$v
	if [ ! -x "$prog" ]; then
		skip "$v: target" "target-$v not built"
		continue
	fi
	if ! runs_here "$prog"; then
		skip "$v: target" "the kernel does not run target-$v (no IA-32 emulation)"
		continue
	fi
	found=1
	check_variant "$v" "$prog"
done
[ $found = 1 ] || bail_out "no target program built in $top_builddir/tests"
done_testing

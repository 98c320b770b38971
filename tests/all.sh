#!/bin/bash
# all.sh - the whole machine: --all, --objects, --users, their tables, JSON and
# OpenMetrics, and the options around them.
#
#   every process       every process readable before and after the run (not a kernel
#                       thread, not a zombie, not ours) is a row, once
#   idle processes      this test's own idle processes (sleep, cat): each row's RSS and
#                       swap equal its /proc/PID/smaps_rollup (they cannot move: idle)
#   totals              the totals equal the sum of the rows (JSON, and the table's
#                       totals row in bytes)
#   objects             narrowed to the idle processes, each object's PROCS equals the
#                       number of them whose /proc/PID/maps names it, and every file
#                       their maps name is a row
#   users, filters      --users sums the processes of a user; --user, --region and
#                       the columns (-o, -r, -P, -n, --sort, --list-columns)
#   unprivileged        as nobody (setpriv, when root): other users' processes are
#                       counted as not readable on stderr, exit 0, nobody's own read
#   exiting processes   processes that start and exit all the time while --all runs,
#                       several runs: exit 0, valid JSON, no half row
#   OpenMetrics         the format's shape; promtool check metrics when installed
# TAP.  Needs jq ($JQ).  Never timed.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/target.sh"	# make_zombie

[ -n "$JQ" ] || skip_all "jq not found"
[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-all.XXXXXX") || bail_out "mktemp failed"
chmod 755 "$tmp"
pids=()
churn=
cleanup() {
	[ -n "$churn" ] && kill "$churn" 2>/dev/null
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

jqok() {	# DESCRIPTION FILE EXPR [jq options]
	local desc=$1 file=$2 expr=$3
	shift 3
	"$JQ" -e "$@" "$expr" "$file" >/dev/null 2>"$tmp/jq.err"
	ok $? "$desc"
	[ -s "$tmp/jq.err" ] && diag "$(head -5 "$tmp/jq.err")"
}

# Idle processes of this test: sleeps, and cats reading a FIFO that nobody writes.
mkfifo "$tmp/fifo"
for i in 1 2 3 4; do
	sleep 1000 &
	pids+=($!)
	cat "$tmp/fifo" >/dev/null &
	pids+=($!)
done
exec 9<>"$tmp/fifo"	# so that the cats' open returns: they block in read
idle=$(IFS=,; echo "${pids[*]}")
# wait until each is blocked (state S) and has exec'd (its comm is no longer bash)
for p in "${pids[@]}"; do
	for _ in $(seq 100); do
		c=$(cat "/proc/$p/comm" 2>/dev/null)
		s=$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)
		[ "$s" = S ] && [ "$c" != bash ] && break
		sleep 0.1
	done
done

PF_KTHREAD=$((0x00200000))
# The PIDs of processes that we can read and that are not kernel threads or zombies.
readable_pids() {
	local d pid s rest
	for d in /proc/[0-9]*; do
		pid=${d#/proc/}
		{ s=$(<"$d/stat"); } 2>/dev/null || continue
		rest=${s##*) }
		set -- $rest
		[ "$1" = Z ] || [ "$1" = X ] && continue
		(((${7} & PF_KTHREAD) != 0)) && continue
		{ : <"$d/maps"; } 2>/dev/null || continue
		[ -s "$d/maps" ] || continue
		echo "$pid"
	done | sort
}

# ------------------------------------------------------------ every process, once
readable_pids >"$tmp/before"
"$VMLAYOUT" --all --json >"$tmp/all.json" 2>"$tmp/all.err"
rc=$?
readable_pids >"$tmp/after"
test $rc -eq 0
ok $? "--all --json: exit 0"
[ -s "$tmp/all.err" ] && diag "$(head -5 "$tmp/all.err")"
! grep -qv "^vmlayout: warning: " "$tmp/all.err"
ok $? "--all: nothing on stderr but warnings"
jqok "--all --json: schema 1, view processes, each PID once" "$tmp/all.json" \
	'.schema == 1 and .view == "processes" and
	 ([.processes[].pid] | length == (unique | length))'
"$JQ" -r '.processes[].pid' "$tmp/all.json" | sort >"$tmp/listed"
comm -12 "$tmp/before" "$tmp/after" >"$tmp/both"
missing=$(comm -23 "$tmp/both" "$tmp/listed" | tr '\n' ' ')
test -z "$missing"
ok $? "--all: every process readable before and after the run is listed"
[ -n "$missing" ] && diag "missing: $missing"
for p in "${pids[@]}"; do
	grep -qx "$p" "$tmp/listed" || { missing=$p; break; }
done
test -z "$missing"
ok $? "--all: the test's idle processes are listed"
jqok "--all --json: no half row: every row has its VMAs, RSS >= PSS >= 0, its regions" \
	"$tmp/all.json" \
	'all(.processes[]; .vmas > 0 and .rss >= .private and (.comm | type) == "string"
	     and (.regions | length) == 7
	     and ([.regions[]] | add) == .pss)'

# ------------------------------------------------------------ totals
for f in vmas rss pss private swap swap_pss; do
	jqok "--all --json: totals.$f is the sum of the rows" "$tmp/all.json" \
		"([.processes[].$f] | add) == .totals.$f"
done
jqok "--all --json: totals.regions are the sums of the rows' regions" "$tmp/all.json" \
	'. as $d | all(.totals.regions | keys[]; . as $k |
	     ([$d.processes[].regions[$k]] | add) == $d.totals.regions[$k])'
"$VMLAYOUT" --all --bytes -r -o PID,PSS,RSS >"$tmp/table" 2>/dev/null
awk 'NR > 1 && $1 != "total" { p += $2; r += $3 }
     $1 == "total" { tp = $2; tr = $3; n++ }
     END { exit !(n == 1 && p == tp && r == tr) }' "$tmp/table"
ok $? "--all -r --bytes: the totals row is the sum of PSS and RSS over the rows"
test "$(tail -n 1 "$tmp/table" | cut -d' ' -f1)" = total
ok $? "--all: the totals row comes last"

# ------------------------------------------------------------ idle processes
"$VMLAYOUT" --all --json "${pids[@]}" >"$tmp/idle.json" 2>"$tmp/idle.err"
rc=$?
test $rc -eq 0 && test ! -s "$tmp/idle.err"
ok $? "--all PID...: exit 0, nothing on stderr"
jqok "--all PID...: exactly those processes" "$tmp/idle.json" \
	'[.processes[].pid] | sort == ($p | split(",") | map(tonumber) | sort)' --arg p "$idle"
for p in "${pids[@]}"; do
	rss=$(awk '$1 == "Rss:" { print $2 * 1024 }' "/proc/$p/smaps_rollup")
	swap=$(awk '$1 == "Swap:" { print $2 * 1024 }' "/proc/$p/smaps_rollup")
	jqok "PID $p ($(cat /proc/$p/comm)): RSS and swap equal smaps_rollup's" "$tmp/idle.json" \
		'.processes[] | select(.pid == $p) | .rss == $rss and .swap == $swap' \
		--argjson p "$p" --argjson rss "$rss" --argjson swap "$swap"
done
"$VMLAYOUT" --all --json sleep >"$tmp/byname.json" 2>/dev/null
jqok "--all NAME: every process of that name, ours among them" "$tmp/byname.json" \
	'all(.processes[]; .comm == "sleep") and
	 ([.processes[].pid] | contains($p | split(",") | map(tonumber)))' \
	--arg p "$(IFS=,; echo "${pids[*]:0:1}")"

# ------------------------------------------------------------ objects
"$VMLAYOUT" --all --objects --json "${pids[@]}" >"$tmp/obj.json" 2>"$tmp/obj.err"
test $? -eq 0
ok $? "--all --objects --json PID...: exit 0"
# the files that the idle processes' maps name, with the number of processes each
for p in "${pids[@]}"; do
	awk '$5 != 0' "/proc/$p/maps" | sed -E 's/^([^ ]+ +){5}//' | sort -u
done | sort | uniq -c | sed 's/^ *\([0-9]*\) /\1\t/' >"$tmp/maps-count"
"$JQ" -r '.objects[] | "\(.processes)\t\(.object)"' "$tmp/obj.json" | sort >"$tmp/obj-count"
sort "$tmp/maps-count" >"$tmp/maps-count.s"
diff "$tmp/maps-count.s" "$tmp/obj-count" >"$tmp/obj.diff"
ok $? "--objects: each object's PROCS is the number of processes whose maps name it"
[ -s "$tmp/obj.diff" ] && diag "$(head -10 "$tmp/obj.diff")"
jqok "--objects: libc is an ELF object mapped by all ${#pids[@]}, its parts sum to at most its PSS" \
	"$tmp/obj.json" \
	'[.objects[] | select(.object | test("/libc[.-]"))] | length == 1 and
	 (.[0] | .kind == "elf" and .processes == $n and ([.parts[]] | add) <= .pss)' \
	--argjson n "${#pids[@]}"
for f in rss pss private swap; do
	jqok "--objects: totals.$f is the sum of the rows" "$tmp/obj.json" \
		"([.objects[].$f] | add) == .totals.$f"
done
jqok "--objects: sorted by PSS, largest first" "$tmp/obj.json" \
	'[.objects[].pss] as $p | $p == ($p | sort | reverse)'
"$VMLAYOUT" --all --objects "${pids[@]}" >"$tmp/obj.txt" 2>/dev/null
head -n 1 "$tmp/obj.txt" | grep -Eq '^ *PROCS +RSS +PSS +PRIVATE +SWAP +TEXT +RODATA +DATA +BSS +OBJECT$'
ok $? "--objects: the default columns"

# ------------------------------------------------------------ users, filters, columns
"$VMLAYOUT" --users --json >"$tmp/users.json" 2>/dev/null
jqok "--users: one row per uid, processes summed" "$tmp/users.json" \
	'.view == "users" and ([.users[].uid] | length == (unique | length)) and
	 ([.users[].processes] | add) == .totals.processes'
me=$(id -u)
"$VMLAYOUT" --all --user "$me" --json >"$tmp/me.json" 2>/dev/null
jqok "--user UID: only that user's processes, the idle ones among them" "$tmp/me.json" \
	'all(.processes[]; .uid == $u) and
	 ([.processes[].pid] | contains($p | split(",") | map(tonumber)))' \
	--argjson u "$me" --arg p "$idle"
"$VMLAYOUT" --all --region heap --json "${pids[@]}" >"$tmp/heap.json" 2>/dev/null
jqok "--region heap: each process's PSS is its heap's" "$tmp/heap.json" \
	'.filtered and all(.processes[]; .pss == .regions.heap)'
"$VMLAYOUT" --all -r -n --bytes -o PID,PSS --sort PID "${pids[@]}" >"$tmp/sorted" 2>/dev/null
head -n -1 "$tmp/sorted" | cut -d' ' -f1 >"$tmp/sorted.pids"
sort -n "$tmp/sorted.pids" | cmp -s - "$tmp/sorted.pids" &&
	test "$(wc -l <"$tmp/sorted.pids")" -eq ${#pids[@]}
ok $? "-r -n -o PID,PSS --sort PID: one row per process, by PID, no header"
"$VMLAYOUT" --all -P -o PID,COMM "${pids[0]}" >"$tmp/pairs" 2>/dev/null
grep -qx "PID=\"${pids[0]}\" COMM=\"sleep\"" "$tmp/pairs"
ok $? "-P: NAME=\"value\" pairs"
"$VMLAYOUT" --all --json-lines "${pids[@]}" >"$tmp/lines" 2>/dev/null
test "$(wc -l <"$tmp/lines")" -eq ${#pids[@]} && "$JQ" -e -s 'all(.[]; .pid > 0)' "$tmp/lines" >/dev/null
ok $? "--json-lines: one document a line, one line a process"
for v in "" --objects --users; do
	out=$("$VMLAYOUT" --all $v --list-columns -r -n 2>&1)
	first=$(echo "$out" | head -n 1 | cut -d' ' -f1)
	case $v in --objects) want=OBJECT ;; --users) want=USER ;; *) want=PID ;; esac
	test "$first" = "$want"
	ok $? "--all $v --list-columns: the view's columns ($want first)"
done

# a process whose comm has a quote, a backslash, a tab, UTF-8 and a byte that is not
# UTF-8 (one write: the kernel takes a comm up to a newline): the table, JSON and
# OpenMetrics escape it
bash -c 'printf "a\"b\\\\c\td\303\251\377" >/proc/$$/comm; read -r _' <"$tmp/fifo" &
odd=$!
pids+=($odd)
sleep 0.3
"$VMLAYOUT" --all --json "$odd" >"$tmp/odd.json" 2>/dev/null
jqok "an odd comm: JSON has it escaped, the invalid byte replaced" "$tmp/odd.json" \
	'.processes[0].comm == "a\"b\\c\tdé\ufffd"'
"$VMLAYOUT" --all -o PID,COMM "$odd" >"$tmp/odd.txt" 2>/dev/null
test $? -eq 0 && test "$(wc -l <"$tmp/odd.txt")" -eq 3
ok $? "an odd comm: the table has one line for it"
"$VMLAYOUT" --openmetrics "$odd" >"$tmp/om-odd" 2>/dev/null
grep -q "$(printf 'comm="a\\\\"b\\\\\\\\c\td\303\251\357\277\275"')" "$tmp/om-odd"
ok $? "an odd comm: OpenMetrics escapes it and replaces the invalid byte with U+FFFD"
# UTF-8 that is not: an overlong form, a surrogate, beyond U+10FFFF, a lead byte
# without its continuation, a sequence cut by the end; then 4- and 3-byte characters
# and a byte that never starts one.  Each byte of what is not UTF-8 is one U+FFFD.
bash -c 'printf "\300\257\355\240\200\364\220\200\200\303A\342\202" >/proc/$$/comm
	read -r _' <"$tmp/fifo" &
bad8=$!
bash -c 'printf "\360\237\230\200\342\202\254\365x" >/proc/$$/comm; read -r _' <"$tmp/fifo" &
good8=$!
pids+=($bad8 $good8)
sleep 0.3
r=$(printf '\357\277\275')
"$VMLAYOUT" --openmetrics "$bad8" "$good8" >"$tmp/om-utf8" 2>/dev/null
grep -qF "comm=\"$r$r$r$r$r$r$r$r$r${r}A$r$r\"" "$tmp/om-utf8"
ok $? "a comm of bytes that are not UTF-8: one U+FFFD for each"
grep -qF "comm=\"$(printf '\360\237\230\200\342\202\254')${r}x\"" "$tmp/om-utf8"
ok $? "a comm of 4- and 3-byte UTF-8: kept; a byte that starts none: U+FFFD"

# every column of each view; sorting by text; the list of columns as JSON
for v in "" --objects --users; do
	"$VMLAYOUT" --all $v --output-all -r "${pids[@]}" >"$tmp/oa" 2>/dev/null
	rc=$?
	want=$("$VMLAYOUT" --all $v --list-columns -r -n | cut -d' ' -f1 | tr '\n' ' ')
	test $rc -eq 0 && test "$(head -n 1 "$tmp/oa") " = "$want"
	ok $? "--all $v --output-all: every column, in --list-columns order"
done
"$VMLAYOUT" --all -r -n -o COMM --sort COMM "${pids[@]}" >"$tmp/bycomm" 2>/dev/null
# (by the bytes of the comm: rows whose comm is shown escaped, \xHH, left out)
head -n -1 "$tmp/bycomm" | grep -vF '\x' | LC_ALL=C sort -c 2>/dev/null
ok $? "--sort COMM: by name"
"$VMLAYOUT" --all --objects -r -n -o OBJECT --sort -OBJECT "${pids[@]}" >"$tmp/byobj" 2>/dev/null
head -n -1 "$tmp/byobj" | LC_ALL=C sort -r -c 2>/dev/null
ok $? "--objects --sort -OBJECT: by name, descending"
# ties of the sort key keep the natural order: device (major, minor), then inode
"$VMLAYOUT" --all --objects -r -n -o PROCS,DEV,INODE --sort PROCS >"$tmp/byprocs" 2>/dev/null
head -n -1 "$tmp/byprocs" | awk '
	function hex(s,  i, n) {
		for (i = 1; i <= length(s); i++)
			n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return n
	}
	{ split($2, d, ":"); k = sprintf("%012d %012d %020s", hex(d[1]), hex(d[2]), $3) }
	$1 < p || ($1 == p && k < pk) { bad = 1; print "out of order: " $0 }
	{ p = $1; pk = k }
	END { exit bad || NR < 2 }' >"$tmp/ties" 2>&1
ok $? "--objects --sort PROCS: ascending; ties by device, then inode"
[ -s "$tmp/ties" ] && diag "$(head -5 "$tmp/ties")"
"$VMLAYOUT" --all --users --list-columns --json >"$tmp/cols.json" 2>/dev/null
jqok "--users --list-columns --json: names, descriptions, types" "$tmp/cols.json" \
	'.columns[0].name == "USER" and all(.columns[]; .type | IN("string", "number", "size"))'
"$VMLAYOUT" --all --user root,nobody,"$me" --json "${pids[@]}" >"$tmp/ul.json" 2>/dev/null
jqok "--user a list of names and a uid" "$tmp/ul.json" \
	'(.processes | length) > 0 and all(.processes[]; .uid == 0 or .uid == 65534 or .uid == $u)' \
	--argjson u "$me"
"$VMLAYOUT" --all --object '*/libc[.-]*' --json "${pids[@]}" >"$tmp/libc.json" 2>/dev/null
jqok "--object GLOB: the figures of the VMAs of libc" "$tmp/libc.json" \
	'.filtered and all(.processes[]; .regions.heap == 0 and .regions.stack == 0 and .pss > 0)'
"$VMLAYOUT" --all --perms x --json "${pids[@]}" >"$tmp/x.json" 2>/dev/null
jqok "--perms x: code only" "$tmp/x.json" \
	'all(.processes[]; .regions.code + .regions.special == .pss)'

"$VMLAYOUT" --all --user 4000000 --json "${pids[@]}" >"$tmp/none.json" 2>"$tmp/none.err"
test $? -eq 0 && "$JQ" -e '.processes == [] and .totals.processes == 0' "$tmp/none.json" >/dev/null
ok $? "--user of nobody's processes and PIDs of others: no row, exit 0"
"$VMLAYOUT" --all --object 'no-such-object*' -r "${pids[@]}" >"$tmp/none.txt" 2>/dev/null
test $? -eq 0 && test "$(wc -l <"$tmp/none.txt")" -eq 2 && tail -n 1 "$tmp/none.txt" | grep -q '^total '
ok $? "--object that no VMA matches: a header and the totals row"

# ------------------------------------------------------------ usage errors
usage() {	# DESCRIPTION ARGS...
	local desc=$1
	shift
	"$VMLAYOUT" "$@" >"$tmp/u.out" 2>"$tmp/u.err"
	test $? -eq 64 && test ! -s "$tmp/u.out" && test -s "$tmp/u.err"
	ok $? "usage error, exit 64: $desc"
}
usage "--all --vmas" --all --vmas
# what --all and --openmetrics exclude, named in the error
while IFS='|' read -r opt named; do
	for what in --all --openmetrics; do
		# shellcheck disable=SC2086 # opt is words
		"$VMLAYOUT" $what $opt 1 >"$tmp/u.out" 2>"$tmp/u.err"
		test $? -eq 64 && test ! -s "$tmp/u.out" &&
			grep -qF -- "$what and $named exclude each other" "$tmp/u.err"
		ok $? "usage error, exit 64: $what $opt, named"
	done
done <<EOF2
--svg|--svg
--vmas|--vmas
--addr 0x1000|--addr
--save $tmp/nosave|--save
--reference=x86_64|--reference
--sysroot /|--sysroot
--base 0x1000|--base
--diagram|--diagram, --summary and --roles
--summary|--diagram, --summary and --roles
EOF2
usage "--openmetrics with a file" --openmetrics ./file
usage "-o with 257 columns" --all -o "$(printf 'PID,%.0s' $(seq 256))PID"
grep -qx "vmlayout: too many columns" "$tmp/u.err"
ok $? "-o with 257 columns: too many columns, said"
usage "-o with a long unknown name" --all -o "$(printf 'X%.0s' $(seq 100))"
grep -q "^vmlayout: unknown column 'X\{64\}' (see --list-columns)" "$tmp/u.err"
ok $? "-o with a long unknown name: the first 64 bytes of it said"
"$VMLAYOUT" --all -o +PSS "${pids[0]}" >"$tmp/plus" 2>/dev/null
test "$(head -n 1 "$tmp/plus" | awk '{ print $1, $NF, NF }')" = "PID PSS 16"
ok $? "-o +PSS: the default columns and PSS"
usage "--user 1,x" --all --user 0,no-such-user-here
usage "--all with a file" --all ./file
usage "--objects --users" --all --objects --users
usage "--user unknown" --user no-such-user-here
usage "--jobs 0" --all --jobs 0
usage "--jobs without --all" --jobs 2 1
usage "-o unknown column" --all -o NOPE
usage "--sort unknown column" --all --sort NOPE
usage "--json --openmetrics" --all --json --openmetrics
usage "--all --diagram" --all --diagram
usage "--user not a user" --user 99999999999
usage "--openmetrics without a process" --openmetrics
pid_max=$(</proc/sys/kernel/pid_max)
"$VMLAYOUT" --all $((pid_max + 1)) >"$tmp/u.out" 2>"$tmp/u.err"
test $? -eq 1 && test "$(cat "$tmp/u.err")" = "vmlayout: PID $((pid_max + 1)): no such process"
ok $? "--all PID that does not exist: exit 1, the PID and the cause"
"$VMLAYOUT" --all no-such-process-name >/dev/null 2>"$tmp/u.err"
test $? -eq 1 && grep -q "no process named 'no-such-process-name'" "$tmp/u.err"
ok $? "--all NAME that no process has: exit 1, said"
# a zombie and a kernel thread named: each an error, said as "vmlayout PID" says it
make_zombie
pids+=($zombie_parent)
if [ -z "$zombie" ]; then
	skip "--all ZOMBIE" "no zombie made"
else
	"$VMLAYOUT" --all "$zombie" "${pids[0]}" >"$tmp/z.out" 2>"$tmp/z.err"
	test $? -eq 1 && test "$(cat "$tmp/z.err")" = "vmlayout: PID $zombie: a zombie (no address space)" &&
		grep -q "^ *${pids[0]} " "$tmp/z.out"
	ok $? "--all ZOMBIE PID: exit 1, the zombie said; the other process listed"
fi
# PF_KTHREAD (0x00200000) in the flags of /proc/PID/stat
kthread=
for f in /proc/[0-9]*/stat; do
	awk '{ sub(/.*\) /, ""); exit !(int($7 / 2097152) % 2) }' "$f" 2>/dev/null || continue
	kthread=${f#/proc/}
	kthread=${kthread%/stat}
	break
done
if [ -z "$kthread" ]; then
	skip "--all KERNEL-THREAD" "no kernel thread in this PID namespace"
else
	"$VMLAYOUT" --all --openmetrics "$kthread" >"$tmp/k.out" 2>"$tmp/k.err"
	test $? -eq 1 && test ! -s "$tmp/k.out" &&
		test "$(cat "$tmp/k.err")" = "vmlayout: PID $kthread: kernel thread: it has no user address space"
	ok $? "--openmetrics KERNEL-THREAD: exit 1, nothing on stdout, said"
fi

# ------------------------------------------------------------ as an unprivileged user
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null; then
	skip "as nobody" "not root, or no setpriv"
	skip "as nobody: not readable said" "not root, or no setpriv"
	skip "as nobody: only its processes" "not root, or no setpriv"
	skip "as nobody: a PID of root" "not root, or no setpriv"
else
	# nobody's own idle process, then --all as nobody
	setpriv --reuid=nobody --regid=nogroup --clear-groups sleep 1000 &
	pids+=($!)
	nb=$!
	sleep 0.2
	setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
		"$VMLAYOUT" --all --json >"$tmp/nobody.json" 2>"$tmp/nobody.err"
	rc=$?
	test $rc -eq 0 && "$JQ" -e '.not_readable > 0' "$tmp/nobody.json" >/dev/null
	ok $? "as nobody: exit 0, other users' processes counted as not readable"
	grep -Eq '^vmlayout: warning: [0-9]+ process(es)? not readable(: run as root|.*\(run as root\))' "$tmp/nobody.err"
	ok $? "as nobody: one line says how many are not readable, and the cure"
	[ $? -ne 0 ] && diag "$(cat "$tmp/nobody.err")"
	jqok "as nobody: only nobody's processes, its sleep among them" "$tmp/nobody.json" \
		'all(.processes[]; .uid == 65534) and any(.processes[]; .pid == $p)' \
		--argjson p "$nb"
	setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
		"$VMLAYOUT" --all "${pids[0]}" "$nb" >"$tmp/nobody2.out" 2>"$tmp/nobody2.err"
	rc=$?
	test $rc -eq 1 && grep -qx "vmlayout: PID ${pids[0]}: permission denied: reading smaps needs ptrace read access (run as the process's owner or root)" "$tmp/nobody2.err" &&
		grep -q "^ *$nb " "$tmp/nobody2.out"
	ok $? "as nobody, --all PID of root: exit 1, the PID and the cause; its own process listed"
fi
# a process of a uid that has no name: the uid in decimal stands for the name
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null || getent passwd 54321 >/dev/null; then
	skip "a uid without a name" "not root, no setpriv, or uid 54321 has a name"
else
	setpriv --reuid=54321 --regid=54321 --clear-groups sleep 1000 &
	pids+=($!)
	anon=$!
	sleep 0.2
	"$VMLAYOUT" --openmetrics "$anon" >"$tmp/om-anon" 2>/dev/null &&
		grep -q "^vmlayout_process_memory_bytes{pid=\"$anon\",comm=\"sleep\",user=\"54321\"," \
			"$tmp/om-anon"
	ok $? "a uid without a name: OpenMetrics gives user=\"54321\""
fi

# ------------------------------------------------------------ processes that exit
# A loop that starts short-lived processes all the time (each maps a few libraries
# and exits), and tests/exiter, which exits at a random moment, a few at a time.
(
	while :; do
		for s in 1 2 3 4 5 6 7 8; do
			"$top_builddir/tests/exiter" $RANDOM >/dev/null 2>&1 &
			sleep 0.001 &
			/bin/true &
		done
		wait
	done
) &
churn=$!
good=0 runs=8
for i in $(seq $runs); do
	"$VMLAYOUT" --all --json >"$tmp/churn.json" 2>"$tmp/churn.err"
	rc=$?
	if [ $rc -eq 0 ] && "$JQ" -e '
		([.processes[].pid] | length == (unique | length))
		and all(.processes[]; .vmas > 0 and ([.regions[]] | add) == .pss)
		and ([.processes[].pss] | add) == .totals.pss' "$tmp/churn.json" >/dev/null 2>&1 &&
		! grep -qv "^vmlayout: warning: " "$tmp/churn.err"; then
		good=$((good + 1))
	else
		diag "run $i: exit $rc: $(head -3 "$tmp/churn.err")"
	fi
	"$VMLAYOUT" --all --objects --json >"$tmp/churn-o.json" 2>"$tmp/churn.err"
	rc=$?
	if [ $rc -eq 0 ] && "$JQ" -e '([.objects[].pss] | add) == .totals.pss' \
		"$tmp/churn-o.json" >/dev/null 2>&1; then
		good=$((good + 1))
	else
		diag "run $i (--objects): exit $rc: $(head -3 "$tmp/churn.err")"
	fi
done
kill $churn 2>/dev/null
wait $churn 2>/dev/null
churn=
test $good -eq $((2 * runs))
ok $? "processes exiting during the scan: $good of $((2 * runs)) runs exit 0 with whole rows"

# ------------------------------------------------------------ failed allocations
# Each call site of an allocation fails once (tests/failinj.so, one worker): the
# same output, or exit 1 with "Cannot allocate memory" and nothing on stdout.
shim=$top_builddir/tests/failinj.so
if [ ! -e "$shim" ] || [ -n "${ASAN_OPTIONS+set}" ] ||
	ldd "$VMLAYOUT" 2>/dev/null | grep -q libasan; then
	skip "failed allocations" "no tests/failinj.so, or a sanitizer build"
else
	for v in "" --objects --users; do
		args=(--all $v --jobs 1 --json "${pids[0]}" "${pids[1]}")
		"$VMLAYOUT" "${args[@]}" >"$tmp/ref" 2>"$tmp/ref.err"
		LD_PRELOAD=$shim FAILINJ_FUNC=alloc FAILINJ_SITES=$tmp/sites \
			"$VMLAYOUT" "${args[@]}" >/dev/null 2>&1
		bad= runs=0
		while read -r n; do
			LD_PRELOAD=$shim FAILINJ_FUNC=alloc FAILINJ_NTH=$n FAILINJ_ERRNO=ENOMEM \
				"$VMLAYOUT" "${args[@]}" >"$tmp/out" 2>"$tmp/err"
			rc=$?
			runs=$((runs + 1))
			[ $rc -eq 0 ] && "$JQ" -e . "$tmp/out" >/dev/null 2>&1 && continue
			[ $rc -eq 1 ] && [ ! -s "$tmp/out" ] && grep -q "Cannot allocate memory" "$tmp/err" &&
				continue
			[ -z "$bad" ] && bad="call $n: exit $rc, $(wc -c <"$tmp/out") bytes out: $(head -c 200 "$tmp/err")"
		done <"$tmp/sites"
		test -z "$bad" && test $runs -gt 0
		ok $? "--all $v: each of $runs allocation sites failed once: the output or a clean error"
		[ -n "$bad" ] && diag "$bad"
	done
fi

# ------------------------------------------------------------ OpenMetrics
"$VMLAYOUT" --all --openmetrics "${pids[@]}" >"$tmp/om" 2>/dev/null
test $? -eq 0 && test "$(tail -n 1 "$tmp/om")" = "# EOF"
ok $? "--openmetrics: exit 0, ends with # EOF"
! grep -Ev '^(# (TYPE|UNIT|HELP) [a-z_]+ .*|[a-z_]+(\{[a-z]+="([^"\\]|\\.)*"(,[a-z]+="([^"\\]|\\.)*")*\})? [0-9]+|# EOF)$' "$tmp/om" | grep -q .
ok $? "--openmetrics: every line a family header, a sample or # EOF"
p=${pids[0]}
sum=$(awk -v p="$p" -F'[{}]' '$1 == "vmlayout_process_memory_bytes" && $2 ~ "pid=\"" p "\"" && $2 ~ /figure="rss"/ { split($3, v, " "); s += v[1] } END { print s + 0 }' "$tmp/om")
jqok "--openmetrics: PID $p's rss series sum to its RSS" "$tmp/idle.json" \
	'.processes[] | select(.pid == $p) | .rss == $s' --argjson p "$p" --argjson s "$sum"
test "$(grep -c "^vmlayout_process_memory_bytes{" "$tmp/om")" -eq $((${#pids[@]} * 7 * 4))
ok $? "--openmetrics: 7 regions x 4 figures a process"
test "$(grep -c "^vmlayout_process_hugetlb_bytes{pid=" "$tmp/om")" -eq ${#pids[@]}
ok $? "--openmetrics: one hugetlb series a process"
"$VMLAYOUT" --openmetrics "$p" >"$tmp/om1" 2>/dev/null
test $? -eq 0 && grep -q "^vmlayout_process_memory_bytes{pid=\"$p\",comm=\"sleep\"," "$tmp/om1"
ok $? "--openmetrics PID: one process, without --all"
"$VMLAYOUT" --all --objects --openmetrics "${pids[@]}" >"$tmp/om-obj" 2>/dev/null
grep -q "^vmlayout_object_processes{object=\"[^\"]*/libc[.-][^\"]*\"} ${#pids[@]}\$" "$tmp/om-obj"
ok $? "--objects --openmetrics: libc mapped by the ${#pids[@]} processes"
"$VMLAYOUT" --users --openmetrics >"$tmp/om-users" 2>/dev/null
grep -q '^vmlayout_user_processes{user="[^"]*"} [0-9]*$' "$tmp/om-users"
ok $? "--users --openmetrics: processes per user"
test "$(grep -c '^vmlayout_user_hugetlb_bytes{user="[^"]*"} [0-9]*$' "$tmp/om-users")" -eq \
	"$(grep -c '^vmlayout_user_processes{' "$tmp/om-users")"
ok $? "--users --openmetrics: one hugetlb series a user"
if command -v promtool >/dev/null; then
	for f in om om1 om-obj om-users; do
		promtool check metrics <"$tmp/$f" >"$tmp/promtool.out" 2>&1
		ok $? "promtool check metrics accepts $f"
		[ -s "$tmp/promtool.out" ] && diag "$(head -5 "$tmp/promtool.out")"
	done
else
	skip "promtool check metrics" "promtool not installed (Debian package prometheus)"
fi
done_testing

#!/bin/bash
# tables.sh - the VMA table (--vmas), its options, the filters, the parts of the
# text view and several processes in one call.
#
# Exact output is compared where it is fixed: the list of columns in each table
# mode (tests/expected/list-columns*; the command line is the first line of
# each file).  Everything else runs on the live layout target (tests/target.c)
# and asserts structure: one row per line of /proc/PID/maps, sums equal to the
# JSON totals, the order of the columns, the raw and pairs formats, the sort
# order, and filters that select exactly the VMAs they should.
#
# Environment (set by make check): VMLAYOUT, top_srcdir, top_builddir, JQ.
: "${top_srcdir:=.}"
. "$top_srcdir/tests/tap.sh"

[ -n "${VMLAYOUT:-}" ] && [ -x "$VMLAYOUT" ] || skip_all "no program at '${VMLAYOUT:-}'"
[ -n "${JQ:-}" ] || skip_all "jq not found"
target=${top_builddir:-.}/tests/target-pie
[ -x "$target" ] || skip_all "no layout target at $target"

. "$top_srcdir/tests/target.sh"
target_setup tables

# ------------------------------------------------------------ golden files
# golden NAME ARGS...: "vmlayout ARGS" prints exactly tests/expected/NAME, whose
# first line is the command line; stderr must be empty.
golden() {
	local name=$1
	shift
	{
		echo "vmlayout $*"
		"$VMLAYOUT" "$@" 2>&1
		echo "exit $?"
	} > "$tmp/$name"
	diff -u "$top_srcdir/tests/expected/$name" "$tmp/$name" > "$tmp/diff"
	ok $? "vmlayout $* gives tests/expected/$name"
	[ -s "$tmp/diff" ] && diag "$(head -20 "$tmp/diff")"
}
golden list-columns --list-columns
golden list-columns.raw --list-columns --raw
golden list-columns.pairs -H -P
golden list-columns.noheadings -H -n
golden list-columns.json --list-columns --json

# Each smaps column shows its field: in --vmas --json --output-all of a committed
# snapshot, the key of the column named from the kernel's key (columns.h: "_" between
# words, "MMUPageSize" -> MMU_PAGE_SIZE) holds the value of "smaps" in the document.
snap=$top_srcdir/tests/snapshots/threads/
"$VMLAYOUT" --json "$snap" > "$tmp/snap-doc" 2> /dev/null &&
	"$VMLAYOUT" --vmas --json --output-all "$snap" > "$tmp/snap-vmas" 2> /dev/null &&
	"$JQ" -n -e --slurpfile d "$tmp/snap-doc" --slurpfile t "$tmp/snap-vmas" '
	def column: gsub("(?<a>[a-z])(?<b>[A-Z])"; "\(.a)_\(.b)")
		| gsub("(?<a>[A-Z])(?<b>[A-Z][a-z])"; "\(.a)_\(.b)") | ascii_downcase;
	($d[0].vmas | length) == ($t[0].vmas | length) and
	([range($d[0].vmas | length) as $i | $d[0].vmas[$i].smaps | to_entries[]
	  | $t[0].vmas[$i][.key | column] == .value] | length > 1000 and all)' > /dev/null
ok $? "--output-all: each smaps field in the column named after it"

# ------------------------------------------------------------ the target
start_target "$target" || bail_out "the layout target did not start"
pid=$target_pid

run() {
	"$VMLAYOUT" "$@" > "$tmp/out" 2> "$tmp/err"
	rc=$?
}
check() {
	local st=$?
	ok $st "$1"
	if [ $st -ne 0 ]; then
		diag "exit status ${rc:-?}"
		[ -s "$tmp/out" ] && diag "stdout: $(head -c 400 "$tmp/out")"
		[ -s "$tmp/err" ] && diag "stderr: $(head -c 300 "$tmp/err")"
	fi
	return $st
}

run --json --rollup "$pid"
cp "$tmp/out" "$tmp/doc"
[ $rc -eq 0 ] && "$JQ" -e '.totals.filtered == false and .filter == null and
	.rollup.Rss > 0' "$tmp/doc" > /dev/null
check "the whole document says it is not filtered"
maps_lines=$(wc -l < "/proc/$pid/maps")

# --vmas: one row per maps line, in address order
run --vmas -r -n -b -o START "$pid"
[ $rc -eq 0 ] && [ "$(wc -l < "$tmp/out")" -eq "$maps_lines" ]
check "--vmas has one row per line of maps ($maps_lines)"
awk '{ split($1, a, "-"); print "0x" a[1] }' "/proc/$pid/maps" | sed 's/0x0*\([0-9a-f]\)/0x\1/' > "$tmp/maps-starts"
diff "$tmp/maps-starts" "$tmp/out" > /dev/null
check "--vmas rows are the VMAs of maps, in address order"

# the default columns, and their order
run --vmas -r "$pid"
[ "$(head -1 "$tmp/out")" = "START END SIZE RSS PSS SHARE PRIVATE SWAP PERMS ROLE OBJECT" ]
check "--vmas default columns"
run -o ROLE,start,Rss -r "$pid"
[ $rc -eq 0 ] && [ "$(head -1 "$tmp/out")" = "ROLE START RSS" ]
check "-o ROLE,start,Rss: the columns in that order, names in any case (-o implies --vmas)"
run -o +PID,DIRTY -r "$pid"
[ "$(head -1 "$tmp/out")" = "START END SIZE RSS PSS SHARE PRIVATE SWAP PERMS ROLE OBJECT PID DIRTY" ]
check "-o +PID,DIRTY adds to the default columns"
VMLAYOUT_COLUMNS=ROLE,START run -r "$pid"
[ "$(head -1 "$tmp/out")" = "ROLE START" ]
check "VMLAYOUT_COLUMNS sets the default columns"
VMLAYOUT_COLUMNS=ROLE,START run -r -o +SIZE "$pid"
[ "$(head -1 "$tmp/out")" = "ROLE START SIZE" ]
check "-o +SIZE adds to VMLAYOUT_COLUMNS"
VMLAYOUT_COLUMNS=ROLE run -r -o SIZE "$pid"
[ "$(head -1 "$tmp/out")" = "SIZE" ]
check "-o replaces VMLAYOUT_COLUMNS"
ncols=$("$VMLAYOUT" --list-columns -n | wc -l)
run --output-all -r "$pid"
[ $rc -eq 0 ] && [ "$(head -1 "$tmp/out" | wc -w)" -eq "$ncols" ]
check "--output-all prints all $ncols columns"

# raw: one space between values; pairs: NAME="value"
run -r -n -b -o START,END,SIZE,RSS,PERMS,ROLE,REGION "$pid"
awk 'NF != 7 || $1 !~ /^0x[0-9a-f]+$/ || $3 !~ /^[0-9]+$/ || $5 !~ /^[r-][w-][x-][sp]$/ { bad = 1 }
     END { exit bad }' "$tmp/out"
check "--raw: 7 fields a row, hex addresses, byte sizes, permissions"
run -P -b -o START,SIZE,ROLE,OBJECT "$pid"
grep -Evq '^START="0x[0-9a-f]+" SIZE="[0-9]+" ROLE="[a-z_]+" OBJECT=".*"$' "$tmp/out"
bad=$?
[ $rc -eq 0 ] && [ $bad -ne 0 ] && [ "$(wc -l < "$tmp/out")" -eq "$maps_lines" ]
check "--pairs: NAME=\"value\" for each column, one row a line, no header"

# sums equal the totals of the document
# (PSS moves as other processes map and unmap the same files: SIZE, RSS, SWAP
# of this idle target do not)
for col in SIZE RSS SWAP; do
	key=$(echo "$col" | tr A-Z a-z)
	run -r -n -b -o "$col" "$pid"
	sum=$(awk '{ s += $1 } END { printf "%d", s }' "$tmp/out")
	want=$("$JQ" ".totals.$key" "$tmp/doc")
	[ "$sum" = "$want" ]
	check "the $col column sums to totals.$key ($want)"
done

# --sort
run -r -n -b -o RSS,START --sort RSS "$pid"
sort -n -c -k1,1 "$tmp/out" 2> /dev/null
check "--sort RSS: ascending RSS"
run -r -n -b -o RSS,START --sort=-RSS "$pid"
sort -s -n -r -c -k1,1 "$tmp/out" 2> /dev/null && [ -s "$tmp/out" ]
check "--sort=-RSS: descending RSS"
run -r -n -b -o RSS,START --sort -rss "$pid"
sort -s -n -r -c -k1,1 "$tmp/out" 2> /dev/null && [ -s "$tmp/out" ]
check "--sort -rss (a separate word, any case): descending RSS"
run -r -n -o START --sort start "$pid"
diff "$tmp/maps-starts" "$tmp/out" > /dev/null
check "--sort START: address order"
run -r -n -o ROLE --sort ROLE "$pid"
LC_ALL=C sort -c "$tmp/out" 2> /dev/null
check "--sort ROLE: text in byte order"
run -r -n -o START --sort PRIVATE_DIRTY "$pid"
[ $rc -eq 0 ] && [ "$(wc -l < "$tmp/out")" -eq "$maps_lines" ]
check "--sort by a column that is not printed"

# ------------------------------------------------------------ filters
# rows ARGS...: the START column of the rows that "vmlayout ARGS" selects
rows() { "$VMLAYOUT" -r -n -o START "$@" "$pid" 2> /dev/null; }
# want JQ-SELECT: the START of the VMAs of the whole document that pass it
want() { "$JQ" -r ".vmas[] | select($1) | .start" "$tmp/doc"; }

for role in anon heap text bss shm; do
	diff <(want ".role == \"$role\"") <(rows --role "$role") > /dev/null
	check "--role $role selects exactly the $role VMAs"
done
diff <(want '.role == "text" or .role == "relro"') <(rows --role text,relro) > /dev/null
check "--role text,relro selects both roles"
diff <(want '.region == "stack"') <(rows --region stack) > /dev/null
check "--region stack selects exactly the stack region"
rows --region stack | grep -qx "$(want '.role == "thread_stack"' | head -1)"
check "--region stack holds the thread stack"
diff <(want '(.perms | test("^.w")) and (.perms | test("^..x"))') <(rows --perms wx) > /dev/null
check "--perms wx: the VMAs both writable and executable"
diff <(want '.perms | test("^rw.p")') <(rows --perms rwp) > /dev/null
check "--perms rwp: readable, writable and private"
diff <(want '.perms | test("s$")') <(rows --perms s) > /dev/null
check "--perms s: the shared VMAs"
diff <(want '.region == "mmap" and (.perms | test("^r"))') <(rows --region mmap --perms r) > /dev/null
check "two filters: a VMA passes both"
exe=$("$JQ" -r '.process.exe' "$tmp/doc")
diff <(want ".object == \"$exe\"") <(rows --object target-pie) > /dev/null
check "--object BASENAME: the VMAs of the executable, bss included"
diff <(want '.object != null and (.object | test("/libc[.]so"))') <(rows --object '/*/libc.so*') > /dev/null
check "--object with a path pattern"
file_start=$(rows --object "${extra[file]}")
[ "$file_start" = "${addr[file]}" ]
check "--object PATH of a mapped file selects its one VMA"
diff <(want '.object != null and (.object | test("/libc[.]so|target-pie"))') \
	<(rows --object 'libc.so*' --object 'target-p?e') > /dev/null
check "--object twice: either pattern"
[ -z "$(rows --role vsyscall --region heap)" ]
check "filters that nothing passes: no rows"
heap=$(want '.path == "[heap]"')
[ -n "$heap" ] && [ "$(rows --object '[heap]')" = "$heap" ]
check "--object '[heap]': the heap, the name taken as it is"

# the filters in JSON
run --json --role anon,heap "$pid"
"$JQ" -e '
	(.vmas | length > 0) and all(.vmas[]; .role == "anon" or .role == "heap") and
	.totals.filtered == true and .filter.roles == ["heap", "anon"] and
	.totals.rss == ([.vmas[].rss] | add) and .totals.size == ([.vmas[].size] | add) and
	.totals.vmas == (.vmas | length) and
	.regions.code.vmas == 0 and .regions.heap.vmas == 1 and
	(.objects | length) == 0' "$tmp/out" > /dev/null
check "--json --role anon,heap: only those VMAs, totals filtered and summed over them"
run --json --rollup --object target-pie "$pid"
"$JQ" -e --arg exe "$exe" '
	(.objects | length) == 1 and .objects[0].path == $exe and
	.objects[0].totals.rss == .totals.rss and .filter.objects == ["target-pie"]' \
	"$tmp/out" > /dev/null
check "--json --object: only the objects selected"
# (Pss moves as other processes map the same files: compare what does not)
"$JQ" -e --slurpfile all "$tmp/doc" '.rollup.Rss == $all[0].rollup.Rss and
	.kernel.vm_size == $all[0].kernel.vm_size and .rollup.Rss > .totals.rss' \
	"$tmp/out" > /dev/null
check "--json with a filter: rollup and kernel counters are the whole process's"
run --vmas --json -o START,SIZE,DELETED,TID,ROLE "$pid"
"$JQ" -e --argjson n "$maps_lines" --argjson pid "$pid" '
	.pid == $pid and (.vmas | length) == $n and
	(.vmas[0] | keys) == ["deleted", "role", "size", "start", "tid"] and
	all(.vmas[]; (.size | type) == "number" and (.deleted | type) == "boolean" and
	    (.start | test("^0x[0-9a-f]+$")))' "$tmp/out" > /dev/null
check "--vmas --json: one object per row, keys in lower case, typed values"
run --vmas --json -o START,DELETED "$pid"
[ "$("$JQ" '[.vmas[] | select(.deleted)] | length' "$tmp/out")" -ge 1 ]
check "--vmas --json: the deleted file is deleted"

# ------------------------------------------------------------ the text view
run --summary "$pid"
grep -q '^REGION ' "$tmp/out" && ! grep -q 'task_size' "$tmp/out" && ! grep -q '^OBJECT ' "$tmp/out"
check "--summary: the region table alone"
run --diagram "$pid"
grep -q 'task_size' "$tmp/out" && ! grep -q '^REGION ' "$tmp/out" && ! grep -q '^OBJECT ' "$tmp/out"
check "--diagram: the diagram alone"
run --objects --summary "$pid"
grep -q '^OBJECT ' "$tmp/out" && grep -q '^REGION ' "$tmp/out" && ! grep -q 'task_size' "$tmp/out"
check "--objects --summary: both tables, no diagram"
run "$pid"
grep -q '^OBJECT ' "$tmp/out" && grep -q '^REGION ' "$tmp/out" && grep -q 'task_size' "$tmp/out" &&
	grep -q '^total ' "$tmp/out" && ! grep -q 'filtered' "$tmp/out"
check "no part given: all three parts, unfiltered"
run --role heap "$pid"
n=$("$JQ" '.vmas | length' "$tmp/doc")
grep -q "filtered: .* VMAs 1 of $n\$" "$tmp/out" && grep -q '^filtered ' "$tmp/out" &&
	! grep -q '^total ' "$tmp/out" && grep -q 'task_size' "$tmp/out"
check "--role heap: the text view's totals say they are filtered"

# ------------------------------------------------------------ --total
# (no PSS here: two reads of it differ as the rest of the machine moves)
cols=START,SIZE,RSS,SWAP,PERMS,OBJECT
"$VMLAYOUT" --vmas --json -o "$cols" "$pid" > "$tmp/rows.json"
run --total -b -o "$cols" "$pid"
last=$(tail -1 "$tmp/out")
want=$("$JQ" -r '[.vmas | (map(.size) | add), (map(.rss) | add),
	(map(.swap) | add)] | "total \(.[0]) \(.[1]) \(.[2])"' "$tmp/rows.json")
[ $rc -eq 0 ] && [ "$(echo $last)" = "$want" ] &&
	[ "$(($(wc -l < "$tmp/out") - 2))" -eq "$("$JQ" '.vmas | length' "$tmp/rows.json")" ]
check "--total: a last row with the sum of each size column, 'total' in START ($want)"
run --total -b -o "$cols" --sort=-RSS "$pid"
[ "$(echo $(tail -1 "$tmp/out"))" = "$want" ]
check "--total --sort=-RSS: the totals row still last"
run --total --json -o START,SIZE,RSS,PSS,SWAP,OBJECT "$pid"
"$JQ" -e '.total == {size: (.vmas | map(.size) | add), rss: (.vmas | map(.rss) | add),
	pss: (.vmas | map(.pss) | add), swap: (.vmas | map(.swap) | add)}' "$tmp/out" > /dev/null
check "--total --json: an object total with the sums of the size columns, in bytes"
run --total -b -o SIZE,RSS --role heap "$pid"
heap=$("$JQ" -r '.vmas | map(select(.role == "heap")) | "\(map(.size) | add) \(map(.rss) | add)"' \
	"$tmp/doc")
[ "$(echo $(tail -1 "$tmp/out"))" = "$heap" ]
check "--total with --role heap: the sums of the rows shown ($heap; no label: no column for it)"
if command -v pmap > /dev/null; then
	run --total -b -o RSS "$pid"
	ours=$(($(tail -1 "$tmp/out") / 1024))
	theirs=$(pmap -x "$pid" | awk '$1 == "total" {print $4}')
	[ "$ours" = "$theirs" ]
	check "--total: the RSS total is pmap -x's ($ours kB, pmap $theirs kB)"
else
	skip "--total against pmap -x" "pmap not found"
fi
run --total --addr 0x1000 "$pid"
[ $rc -eq 64 ] && [ ! -s "$tmp/out" ] && grep -q 'exclude each other' "$tmp/err"
check "--total with --addr: a usage error"

# ------------------------------------------------------------ several processes
run --json-lines "$pid" $$
[ $rc -eq 0 ] && [ "$(wc -l < "$tmp/out")" -eq 2 ] &&
	[ "$("$JQ" -c '.process.pid' "$tmp/out" | tr '\n' ' ')" = "$pid $$ " ]
check "--json-lines PID PID: one document a line, in order"
run --json "$pid" $$
"$JQ" -e --argjson a "$pid" --argjson b $$ 'type == "array" and map(.process.pid) == [$a, $b]' \
	"$tmp/out" > /dev/null
check "--json PID PID: an array of the documents"
run --json "$pid" 999999999
[ $rc -eq 1 ] && "$JQ" -e --argjson a "$pid" 'map(.process.pid) == [$a]' "$tmp/out" > /dev/null &&
	grep -q 'PID 999999999: no such process' "$tmp/err"
check "--json with a missing PID: exit 1, the others still in the array"
run --json 999999998 999999999
[ $rc -eq 1 ] && [ ! -s "$tmp/out" ]
check "--json when every PID fails: nothing on stdout"
run -r -n -o PID "$pid" 999999999 $$
[ $rc -eq 1 ] && [ "$(sort -u "$tmp/out" | tr '\n' ' ')" = "$(printf '%s\n' "$pid" $$ | sort -u | tr '\n' ' ')" ]
check "--vmas PID missing PID: exit 1, rows of the other two"
run --summary "$pid" $$
[ $rc -eq 0 ] && [ "$(grep -c '^pid ' "$tmp/out")" -eq 2 ] && grep -qx '' "$tmp/out"
check "the text view of two processes: two reports"

done_testing

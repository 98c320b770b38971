#!/bin/bash
# picture.sh - the text view keeps to its 80 columns and says where it cut: a long
# command line in the header ends in an ellipsis ("..." with --ascii), a long object
# name in the objects table too (every line at most 80 columns), and with --bytes
# the gaps of the diagram are byte counts as well; the executable's read-only
# segments are drawn as rodata bands.
# The process is tests/runtimes ("plain") run under a file name of 70 characters.
# TAP.
. "$top_srcdir/tests/tap.sh"

[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"
prog=$top_builddir/tests/runtimes
[ -x "$prog" ] || bail_out "not built: $prog"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-picture.XXXXXX") || bail_out "mktemp failed"
feeder=
cleanup() {
	[ -n "$feeder" ] && kill "$feeder" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

long=a-program-whose-name-is-longer-than-any-column-of-the-text-view-0123
cp "$prog" "$tmp/$long" || bail_out "cp failed"
# its standard input stays open until the end (it exits at end of file)
sleep 120 | "$tmp/$long" plain an-argument-too >"$tmp/out" 2>&1 &
feeder=$(jobs -p | tail -n 1)
for _ in $(seq 100); do
	grep -q '^ready' "$tmp/out" 2>/dev/null && break
	sleep 0.1
done
pid=$(pgrep -f "^$tmp/$long" | head -n 1)
[ -n "$pid" ] || bail_out "the program did not start: $(head -c 200 "$tmp/out")"

export LC_ALL=C.UTF-8
"$VMLAYOUT" --color=never "$pid" >"$tmp/text" 2>/dev/null
ok $? "the text view exits 0"
head -n 1 "$tmp/text" >"$tmp/header"
cmd=$(sed -E 's/^pid [0-9]+  (.*)   x86-64.*$/\1/; s/^pid [0-9]+  (.*)   [^ ]+  ELF.*$/\1/' "$tmp/header")
[ "${cmd: -1}" = "…" ] && [ "$(wc -L <"$tmp/header")" -le 80 ]
ok $? "header: at most 80 columns, the command line cut with an ellipsis"
[ $? -eq 0 ] || diag "$(cat "$tmp/header")"
"$VMLAYOUT" --ascii --color=never "$pid" 2>/dev/null | head -n 1 | grep -q '\.\.\.   '
ok $? "header, --ascii: the ellipsis is \"...\""

line=$(grep "^${long:0:12}" "$tmp/text")
[ -n "$line" ] && [ "${line%%…*}" != "$line" ]
ok $? "objects table: the executable's long name ends in an ellipsis"
[ $? -eq 0 ] || diag "$line"
w=$(wc -L <"$tmp/text")
[ "$w" -le 80 ]
ok $? "every line of the text view at most 80 columns (widest: $w)"
"$VMLAYOUT" --bytes --color=never "$pid" >"$tmp/bytes" 2>/dev/null
grep -q "${long:0:12}.*…" "$tmp/bytes"
ok $? "--bytes: the long name still ends in an ellipsis"

# --bytes: the gaps and task_size in bytes too
grep '┆' "$tmp/bytes" >"$tmp/gaps"
[ -s "$tmp/gaps" ] && ! grep -v -E '┆  [0-9]+ bytes ' "$tmp/gaps" >/dev/null
ok $? "--bytes: every gap of the diagram is a byte count"
[ $? -eq 0 ] || diag "$(head -3 "$tmp/gaps")"
grep -q -E 'task_size \([0-9]+ bytes of user space\)' "$tmp/bytes"
ok $? "--bytes: task_size in bytes"
grep -q -E '┆  [0-9.]+ [KMGTPE]iB ' "$tmp/text"
ok $? "without --bytes: the gaps in words"

# the mm's other counters from status: in JSON, and on the "kernel:" line of the
# summary (the process is idle: they do not move)
if [ -n "${JQ:-}" ]; then
	"$VMLAYOUT" --json "$pid" >"$tmp/json" 2>/dev/null
	for f in VmPeak:vm_peak VmHWM:vm_hwm VmLck:vm_lck VmPin:vm_pin VmPTE:vm_pte; do
		want=$(awk -v k="${f%%:*}:" '$1 == k { print $2 * 1024 }' "/proc/$pid/status")
		got=$("$JQ" ".kernel.${f#*:}" "$tmp/json")
		[ -n "$want" ] && [ "$got" = "$want" ]
		ok $? "JSON kernel.${f#*:} is ${f%%:*} of status ($want)"
	done
else
	skip "the mm counters in JSON" "jq not found"
fi
"$VMLAYOUT" --summary "$pid" 2>/dev/null | grep -qE "^kernel: VmPeak [0-9.]+[KMG]?  VmHWM [0-9.]+[KMG]?  VmLck 0  VmPin 0  VmPTE [0-9.]+[KMG]?$"
ok $? "the summary's kernel: line"

# the mmap area bands against the region table: the line under it splits their
# size by region, exactly (--bytes), and its mmap part is the table's mmap SIZE
"$VMLAYOUT" --bytes --color=never "$pid" >"$tmp/b2" 2>/dev/null
note=$(grep '^mmap area bands: ' "$tmp/b2")
total=$(sed -E 's/^mmap area bands: ([0-9]+) =.*/\1/' <<<"$note")
sum=$(sed -E 's/^[^=]*= //' <<<"$note" | tr '+' '\n' | awk '{ t += $2 } END { print t + 0 }')
mm=$(sed -E 's/.* mmap ([0-9]+).*/\1/' <<<"$note")
table=$(awk '$1 == "mmap" && $2 ~ /^[0-9]+$/ { print $2 }' "$tmp/b2")
[ -n "$note" ] && [ "$total" = "$sum" ] && [ "$mm" = "$table" ]
ok $? "the mmap area bands' size split by region under the table ($total = $sum; mmap $mm = $table)"
[ $? -eq 0 ] || diag "$note"

# the objects table: PSS and PRIVATE of each object, as the JSON document's totals
if [ -n "${JQ:-}" ]; then
	# of a snapshot: a shared library's PSS moves with the rest of the machine
	"$VMLAYOUT" --save "$tmp/snap" "$pid" >/dev/null 2>&1
	"$VMLAYOUT" --objects --bytes --color=never "$tmp/snap/" >"$tmp/objs" 2>/dev/null
	"$VMLAYOUT" --json "$tmp/snap/" >"$tmp/json2" 2>/dev/null
	grep -qE '^OBJECT +TEXT +RODATA +RELRO +DATA +BSS +SIZE +RSS +PSS +PRIVATE$' "$tmp/objs"
	ok $? "objects table: the columns, PSS and PRIVATE last"
	libc=$(awk '$1 ~ /^libc[.]so/ { print $9, $10 }' "$tmp/objs")
	want=$("$JQ" -r '.objects[] | select(.path | test("/libc[.]so")) | "\(.totals.pss) \(.totals.private)"' "$tmp/json2")
	[ -n "$libc" ] && [ "$libc" = "$want" ]
	ok $? "objects table: libc's PSS and PRIVATE are the document's ($libc)"
else
	skip "the objects table's PSS and PRIVATE" "jq not found"
fi

# --roles: the table of the roles, whose sizes add up to the total (--bytes)
"$VMLAYOUT" --roles --bytes --color=never "$pid" >"$tmp/roles" 2>/dev/null
grep -qE '^ROLE +REGION +SIZE +RSS +PSS +SHARE +PRIVATE +SWAP +VMAS$' "$tmp/roles" &&
	grep -qE '^text +code ' "$tmp/roles" && ! grep -q '^REGION ' "$tmp/roles" &&
	[ "$(awk '$1 != "ROLE" && $1 != "total" && NF == 9 { t += $3 } END { print t + 0 }' "$tmp/roles")" = \
	  "$(awk '$1 == "total" { print $2 }' "$tmp/roles")" ]
ok $? "--roles: the roles table alone, its sizes adding up to the total"
[ $? -eq 0 ] || diag "$(cat "$tmp/roles")"

# the executable's bands: its read-only, non-executable segments are "rodata" (the
# first PT_LOAD, with the ELF headers, below the code), and no "data" band lies
# below the code
grep -E '[├┬┴]─ (code|rodata|data|bss) ' "$tmp/text" | sed -E 's/.*─ ([a-z]+) .*/\1/' >"$tmp/bands"
[ "$(tail -n 1 "$tmp/bands")" = rodata ] &&
	! sed -n '/^code$/,$p' "$tmp/bands" | grep -qx data
ok $? "the executable's bands: rodata at the bottom, no data band below the code"
[ $? -eq 0 ] || diag "$(tr '\n' ' ' <"$tmp/bands")"

kill "$feeder" 2>/dev/null
feeder=
done_testing

#!/bin/bash
# diff-bad.sh - --diff and --watch on bad input: a directory that is not a snapshot, a
# file that is neither a snapshot nor JSON, a truncated, foreign or malformed JSON
# document, two different processes, a document of another schema or written with a
# filter; each an error that names the file on stderr, exit 1, nothing on stdout
# (--force lets the last three through).  Usage errors: exit 64, nothing on stdout.
# TAP.  Needs jq.
. "$top_srcdir/tests/tap.sh"

[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"
[ -n "$JQ" ] || skip_all "jq not found"
G=$top_builddir/tests/grower
[ -x "$G" ] || bail_out "not built: $G"
. "$top_srcdir/tests/target.sh"
target_setup diff-bad
V=$VMLAYOUT

# fails CODE DESC GREP ARGS...: exit CODE, nothing on stdout, GREP (a fixed string)
# on stderr
fails() {
	local code=$1 desc=$2 want=$3 rc
	shift 3
	"$V" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq "$code" ] && [ ! -s "$tmp/out" ] && grep -qF -- "$want" "$tmp/err"
	ok $? "$desc: exit $code, nothing on stdout, '$want' on stderr"
	[ $rc -eq "$code" ] && [ ! -s "$tmp/out" ] || diag "exit $rc; $(head -c 300 "$tmp/out")"
	grep -qF -- "$want" "$tmp/err" || diag "stderr: $(cat "$tmp/err")"
}

start_target "$G" || bail_out "grower did not start"
P=$target_pid
"$V" --save "$tmp/snap" "$P" >/dev/null 2>&1 || bail_out "--save failed"
"$V" --json "$P" >"$tmp/doc.json" || bail_out "--json failed"

mkdir "$tmp/notsnap"
fails 1 "a directory that is not a snapshot" "$tmp/notsnap: not a vmlayout snapshot" \
	--diff "$tmp/notsnap" "$tmp/snap"
fails 1 "a missing file" "$tmp/none: cannot read it" --diff "$tmp/snap" "$tmp/none"
echo "hello" >"$tmp/text"
fails 1 "a file that is neither" "$tmp/text: neither a snapshot directory" \
	--diff "$tmp/snap" "$tmp/text"
head -c 2000 "$tmp/doc.json" >"$tmp/cut.json"
fails 1 "a truncated document" "$tmp/cut.json: not a JSON document: line 1" \
	--diff "$tmp/cut.json" "$tmp/doc.json"
echo '{"name": "something else", "version": 3}' >"$tmp/foreign.json"
fails 1 "a foreign JSON document" "$tmp/foreign.json: not a vmlayout JSON document" \
	--diff "$tmp/doc.json" "$tmp/foreign.json"
echo '[1, 2]' >"$tmp/array.json"
fails 1 "a JSON array" "$tmp/array.json: a JSON array" --diff "$tmp/doc.json" "$tmp/array.json"
"$JQ" -c 'del(.vmas)' "$tmp/doc.json" >"$tmp/novmas.json"
fails 1 "a document without vmas" 'member "vmas" missing' --diff "$tmp/doc.json" "$tmp/novmas.json"
"$JQ" -c '.vmas[1].start = 12' "$tmp/doc.json" >"$tmp/badstart.json"
fails 1 "a VMA address that is not a hex string" 'member "vmas[1].start" is not an address' \
	--diff "$tmp/doc.json" "$tmp/badstart.json"
"$JQ" -c '.vmas[0].role = "nonsense"' "$tmp/doc.json" >"$tmp/badrole.json"
fails 1 "an unknown role" 'unknown role "nonsense"' --diff "$tmp/doc.json" "$tmp/badrole.json"
"$JQ" -c '.vmas[0].rss = -4' "$tmp/doc.json" >"$tmp/badrss.json"
fails 1 "a negative size" 'member "vmas[0].rss" is not a number of bytes' \
	--diff "$tmp/doc.json" "$tmp/badrss.json"
"$JQ" -c '.vmas |= reverse' "$tmp/doc.json" >"$tmp/order.json"
fails 1 "VMAs out of order" "not in address order" --diff "$tmp/doc.json" "$tmp/order.json"
"$JQ" -c '.objects[0].dev = "x"' "$tmp/doc.json" >"$tmp/baddev.json"
fails 1 "a bad device" "is not a device" --diff "$tmp/doc.json" "$tmp/baddev.json"
"$JQ" -c '.threads[0].tid = "x"' "$tmp/doc.json" >"$tmp/badtid.json"
fails 1 "a bad TID" 'member "threads[0].tid" is not a thread ID' --diff "$tmp/doc.json" "$tmp/badtid.json"
"$JQ" -c '.process.comm = 3' "$tmp/doc.json" >"$tmp/badcomm.json"
fails 1 "a comm that is not a string" 'member "process.comm" is not a string' \
	--diff "$tmp/doc.json" "$tmp/badcomm.json"
"$JQ" -c '.vmas[0].perms = "rw"' "$tmp/doc.json" >"$tmp/badperms.json"
fails 1 "bad permissions" "not a VMA" --diff "$tmp/doc.json" "$tmp/badperms.json"
"$JQ" -c '.threads = {}' "$tmp/doc.json" >"$tmp/badlists.json"
fails 1 "threads not an array" "must be arrays" --diff "$tmp/doc.json" "$tmp/badlists.json"
"$JQ" -c '.totals = 1' "$tmp/doc.json" >"$tmp/badtotals.json"
fails 1 "totals not an object" 'member "totals" is not an object' \
	--diff "$tmp/doc.json" "$tmp/badtotals.json"
fails 1 "standard input" "not standard input" --diff "$tmp/doc.json" -
if [ "$(id -u)" != 0 ]; then
	echo '{}' >"$tmp/secret.json" && chmod 000 "$tmp/secret.json"
	fails 1 "a file not readable" "$tmp/secret.json: Permission denied" \
		--diff "$tmp/doc.json" "$tmp/secret.json"
else
	skip "a file not readable" "root reads every file"
fi

# another schema, a filtered document: errors unless --force
"$JQ" -c '.schema = 2' "$tmp/doc.json" >"$tmp/schema2.json"
fails 1 "schema 2" "$tmp/schema2.json: a document of schema 2" \
	--diff "$tmp/schema2.json" "$tmp/doc.json"
"$V" --diff --force --json "$tmp/schema2.json" "$tmp/doc.json" >"$tmp/out" 2>/dev/null
ok $? "--force compares schema 2 with schema 1"
"$JQ" -c '.schema = 2 | del(.vmas)' "$tmp/doc.json" >"$tmp/schema2b.json"
fails 1 "schema 2 that cannot be read" "a document of schema 2 (this vmlayout reads schema 1): member \"vmas\" missing" \
	--force --diff "$tmp/schema2b.json" "$tmp/doc.json"
jqok "--force says so" "$tmp/out" '.forced == true and .old.schema == 2'
"$V" --json --role heap "$P" >"$tmp/filtered.json"
fails 1 "a filtered document" "$tmp/filtered.json: written with a filter" \
	--diff "$tmp/filtered.json" "$tmp/doc.json"

# two different processes: this shell's and the grower's
"$V" --json $$ >"$tmp/shell.json" 2>/dev/null
fails 1 "two processes (documents)" "are not of one process: PID $$ and PID $P are different" \
	--diff "$tmp/shell.json" "$tmp/doc.json"
fails 1 "two processes (snapshot and live)" "are not of one process" --diff "$tmp/snap" $$
"$JQ" -c '.process.exe = "/bin/other"' "$tmp/doc.json" >"$tmp/otherexe.json"
fails 1 "the same PID, another executable" "runs" --diff "$tmp/doc.json" "$tmp/otherexe.json"
"$V" --diff --force --json "$tmp/shell.json" "$tmp/doc.json" >"$tmp/out" 2>/dev/null
ok $? "--force compares two processes"
jqok "--force: a comparison, forced" "$tmp/out" '.forced == true and .old.pid != .new.pid'

# the same PID, another start time: the PID was reused
cp -r "$tmp/snap" "$tmp/reused"
awk '{ $22 = $22 + 100; print }' "$tmp/snap/stat" >"$tmp/reused/stat"
fails 1 "the same PID, started at another time" "was another process then" \
	--diff "$tmp/snap" "$tmp/reused"

# write errors: a full disk is an error, exit 1
if [ -w /dev/full ]; then
	"$V" --diff "$tmp/snap" "$tmp/doc.json" >/dev/full 2>"$tmp/err"
	[ $? -eq 1 ] && grep -q "write error" "$tmp/err"
	ok $? "--diff onto a full disk: write error, exit 1"
	"$V" --watch=0 --count=2 --json-lines "$P" >/dev/full 2>"$tmp/err"
	[ $? -eq 1 ] && grep -q "write error" "$tmp/err"
	ok $? "--watch onto a full disk: write error, exit 1"
else
	skip "--diff onto a full disk" "no /dev/full"
	skip "--watch onto a full disk" "no /dev/full"
fi

# live targets that are not there
fails 1 "a process that does not exist" "no such process" --diff "$tmp/snap" 999999999
fails 1 "no process of that name" "no process named" --diff "$tmp/snap" no-such-process-name
fails 1 "--watch: no such process" "no such process" --watch --count=1 999999999
fails 1 "--watch: no process of that name" "no process named" --watch --count=1 no-such-name
make_zombie
if [ -n "$zombie" ]; then
	fails 1 "--watch of a zombie" "PID $zombie: a zombie (no address space)" --watch --count=1 "$zombie"
	fails 1 "--diff with a zombie" "PID $zombie: a zombie (no address space)" --diff "$tmp/snap" "$zombie"
else
	skip "--watch of a zombie" "no zombie made"
	skip "--diff with a zombie" "no zombie made"
fi
kill "$zombie_parent" 2>/dev/null

# usage errors
fails 64 "--diff with one target" "--diff compares two" --diff "$tmp/snap"
fails 64 "--diff with three targets" "--diff compares two" --diff "$tmp/snap" "$P" "$P"
fails 64 "--diff --svg" "exclude each other" --diff --svg "$tmp/snap" "$P"
fails 64 "--diff --role" "--diff and the filters exclude each other" --role heap --diff "$tmp/snap" "$P"
fails 64 "--diff -o" "exclude each other" -o START --diff "$tmp/snap" "$P"
fails 64 "--diff --diagram" "--diff and --diagram" --diagram --diff "$tmp/snap" "$P"
fails 64 "--diff --smaps" "reads no smaps" --diff --smaps "$tmp/text" "$P"
fails 64 "--diff --watch" "--diff and --watch" --diff --watch "$tmp/snap" "$P"
fails 64 "--force without --diff" "--force applies to --diff" --force "$P"
fails 64 "--count without --watch" "--count counts the samples" --count=3 "$P"
for args in "" "--vmas --json" "--addr 0x1000 --json" "--diff --json" "--all --json"; do
	# shellcheck disable=SC2086 # the words of args are options
	fails 64 "--rollup ${args:-alone}" "--rollup applies to the JSON document" --rollup $args "$P" "$P"
done
fails 64 "--count=0" "not a number of samples" --watch --count=0 "$P"
fails 64 "--count=x" "not a number of samples" --watch --count=x "$P"
fails 64 "--watch=x" "not a number of seconds" --watch=x "$P"
fails 64 "--watch=-1" "not a number of seconds" --watch=-1 "$P"
fails 64 "--watch with two targets" "--watch samples one live process" --watch "$P" "$P"
fails 64 "--watch of a file" "--watch samples one live process" --watch "$tmp/snap"
fails 64 "--watch --vmas" "do not apply" --watch --vmas "$P"
fails 64 "--watch --json --summary" "do not apply" --watch --json --summary "$P"
# every option that --diff and --watch exclude, named in the error as the user knows it
table="the VMA table's options (-o, --sort, --raw, --pairs, --noheadings, --total)"
while IFS='|' read -r opt named; do
	# shellcheck disable=SC2086 # opt is words
	fails 64 "--diff $opt" "--diff and $named exclude each other" $opt --diff "$tmp/snap" "$P"
	# shellcheck disable=SC2086
	fails 64 "--watch $opt" "--watch and $named exclude each other" $opt --watch "$P"
done <<EOF
--all|--all
--users|--all
--user root|--all
--jobs 2|--all
--openmetrics|--openmetrics
--addr 0x1000|--addr
--save $tmp/nosave|--save
--reference=x86_64|--reference
--list-columns|--list-columns
--output-all|$table
--sort SIZE|$table
--raw|$table
--pairs|$table
--noheadings|$table
--total|$table
--perms r|the filters
--object libc|the filters
--sysroot /|--sysroot
--base 0x1000|--base
EOF
[ ! -e "$tmp/nosave" ]
ok $? "--save with --diff or --watch: no directory left"

stop_target
done_testing

#!/bin/bash
# diff-doc.sh - every member of a saved --json document, changed one at a time:
# deleted, given another type (a number for a string, a string for the rest) and given
# an odd value (-1 for a number, "" for a string, 0 for the rest), then read back with
# --diff.  Each outcome must be clean: exit 0 with a report and nothing on stderr, or
# exit 1 with nothing on stdout and one line "vmlayout: FILE: ..." on stderr.
# The members --diff reads (the VMAs, objects, threads, mm boundaries, totals and the
# process's identity) must be refused, with their name in the error; the members it
# does not read (regions, roles, rollup, kernel counters, ...) must not matter.
# Of an array, element 0 is changed; of a member --diff does not read, only the
# first of its object.  TAP.  Needs jq.
. "$top_srcdir/tests/tap.sh"

[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"
[ -n "$JQ" ] || skip_all "jq not found"
G=$top_builddir/tests/grower
[ -x "$G" ] || bail_out "not built: $G"
. "$top_srcdir/tests/target.sh"
target_setup diff-doc
V=$VMLAYOUT

start_target "$G" || bail_out "grower did not start"
"$V" --json "$target_pid" >"$tmp/doc.json" || bail_out "--json failed"
"$JQ" -e '.vmas[0].path != null and (.threads | length) > 0 and (.objects | length) > 0' \
	"$tmp/doc.json" >/dev/null || bail_out "the document has no file VMA first, thread or object"

# What --diff reads, as jq paths written with dots ("vmas[0].start").
read_re='^(schema|process\.(pid|comm|exe)|source\.figures'
read_re+='|totals\.(size|rss|pss|shared|private|swap|dirty|vmas|filtered)'
read_re+='|mm\.(start_code|end_code|start_data|end_data|start_brk|brk|start_stack'
read_re+='|arg_start|arg_end|env_start|env_end)'
read_re+='|objects\[0\]\.(path|dev|inode|load_bias)'
read_re+='|objects\[0\]\.totals\.(size|rss|pss|shared|private|swap|dirty|vmas)'
read_re+='|threads\[0\]\.(tid|comm)'
read_re+='|vmas\[0\]\.(start|end|offset|inode|dev|perms|role|region|path|object|tid|deleted'
read_re+='|size|rss|pss|shared|private|swap|dirty))$'

# One line per changed document: NAME <tab> KIND <tab> ORIGINAL-TYPE <tab> DOCUMENT,
# in one jq run.  Leaves only; of arrays, element 0.
"$JQ" -r --arg re "$read_re" '
	def dotted: reduce .[] as $c (""; if ($c | type) == "number" then . + "[\($c)]"
		elif . == "" then $c else . + "." + $c end);
	. as $d
	| [paths(type != "object" and type != "array")
	   | select(all(.[]; type == "string" or . == 0))]
	| group_by(.[:-1])[]
	| (map(select(dotted | test($re)))) as $read
	| (if ($read | length) > 0 then $read + (map(select(dotted | test($re) | not)) | .[:1])
	   else .[:1] end)[]
	| . as $p | ($d | getpath($p)) as $v | ($v | type) as $t
	| ["del", ($d | delpaths([$p]))],
	  ["retype", ($d | setpath($p; if $t == "string" then 7 else "x" end))],
	  ["odd", ($d | setpath($p; if $t == "number" then -1 elif $t == "string" then ""
				    else 0 end))]
	| [($p | dotted), .[0], $t, (.[1] | tojson)] | @tsv' "$tmp/doc.json" >"$tmp/changes" ||
	bail_out "jq could not change the document"
[ "$(wc -l <"$tmp/changes")" -gt 150 ] || bail_out "too few changes: $(wc -l <"$tmp/changes")"

# The element or member an error names: "vmas[0]" for "vmas[0].perms", else the path.
owner() {
	case $1 in
	*\[*) echo "${1%%]*}]" ;;
	*) echo "$1" ;;
	esac
}

# clean RC: the outcome is a report or one error line about $tmp/new.json
clean() {
	if [ "$1" -eq 0 ]; then
		[ -s "$tmp/out" ] && [ ! -s "$tmp/err" ]
	elif [ "$1" -eq 1 ]; then
		[ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
			grep -q "^vmlayout: $tmp/new.json: " "$tmp/err"
	else
		return 1
	fi
}

prev= why= n_read=0 n_ignored=0
finish() {
	[ -n "$prev" ] || return 0
	if [ -n "$is_read" ]; then
		n_read=$((n_read + 1))
		[ -z "$why" ]
		ok $? "$prev (read): deleted, retyped, odd: each refused, naming it"
	else
		n_ignored=$((n_ignored + 1))
		[ -z "$why" ]
		ok $? "$prev (not read): deleted, retyped, odd: each still a report"
	fi
	[ -z "$why" ] || diag "$why"
	why=
}

while IFS=$'\t' read -r name kind type doc; do
	if [ "$name" != "$prev" ]; then
		finish
		prev=$name
		is_read=
		[[ $name =~ $read_re ]] && is_read=1
	fi
	printf '%s\n' "$doc" >"$tmp/new.json"
	"$V" --diff "$tmp/doc.json" "$tmp/new.json" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if ! clean $rc; then
		why+="$kind: not clean: exit $rc, stdout $(wc -c <"$tmp/out") bytes, stderr: $(head -c 300 "$tmp/err"); "
		continue
	fi
	if [ -z "$is_read" ]; then
		[ $rc -eq 0 ] || why+="$kind: refused: $(cat "$tmp/err"); "
		continue
	fi
	# what may still be read: a member that may be absent (false), a null that
	# became a string, a string that may be empty
	want=1 must="\"$name\""
	case $kind:$name:$type in
	del:totals.filtered:* | del:vmas\[0\].deleted:*) want=0 ;;
	retype:*:null) want= ;;
	odd:*.path:string | odd:*.object:string | odd:*.comm:string) want= ;;
	odd:schema:*) must="schema -1" ;;
	odd:*) must=$(owner "$name") ;;
	esac
	if [ -z "$want" ]; then
		:
	elif [ "$want" = 0 ]; then
		[ $rc -eq 0 ] || why+="$kind: refused: $(cat "$tmp/err"); "
	elif [ $rc -ne 1 ]; then
		why+="$kind: read as if nothing were wrong; "
	elif ! grep -qF -- "$must" "$tmp/err"; then
		why+="$kind: the error does not name $must: $(cat "$tmp/err"); "
	fi
done <"$tmp/changes"
finish

# the count of members of each kind, so that a change in the document is seen here
[ $n_read -ge 55 ] && [ $n_ignored -ge 20 ]
ok $? "$n_read members read and $n_ignored not read were changed"
done_testing

#!/bin/bash
# watch.sh - --watch of a process the suite starts (tests/grower.c): --count=3
# --json-lines gives 3 well-formed sample records with increasing times and a
# summary; off a terminal the records come without --json-lines; a process that
# exits, SIGTERM and SIGINT end the watch with exit 0 and the summary; a process
# whose heap grows all the time is pointed out as a leak, with its rate; on a
# terminal (script(1)) the view is redrawn in place and the summary is text.
# No time is asserted: the waits are for lines of output, bounded.  TAP.  Needs jq.
. "$top_srcdir/tests/tap.sh"

[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"
[ -n "$JQ" ] || skip_all "jq not found"
G=$top_builddir/tests/grower
[ -x "$G" ] || bail_out "not built: $G"
. "$top_srcdir/tests/target.sh"
target_setup watch
V=$VMLAYOUT

# wait_lines FILE N: until FILE has N lines (60 s at most)
wait_lines() {
	local i
	for ((i = 0; i < 6000; i++)); do
		[ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.01
	done
	return 1
}

start_target "$G" || bail_out "grower did not start"
P=$target_pid

"$V" --watch=0.05 --count=3 --json-lines "$P" >"$tmp/w.jsonl" 2>"$tmp/err"
ok $? "--watch --count=3 --json-lines exits 0 $(cat "$tmp/err")"
"$JQ" -s . "$tmp/w.jsonl" >"$tmp/w.json"
ok $? "every line is a JSON document"
jqok "3 samples, then a summary" "$tmp/w.json" \
	'[.[].type] == ["sample", "sample", "sample", "summary"]'
jqok "samples numbered 1 to 3, times increasing" "$tmp/w.json" \
	'[.[] | select(.type == "sample")] as $s |
	 [$s[].sample] == [1, 2, 3] and $s[0].time_ms < $s[1].time_ms and
	 $s[1].time_ms < $s[2].time_ms and $s[0].elapsed_ms == 0'
jqok "a sample: pid, totals, regions, objects, VMA and thread counts" "$tmp/w.json" \
	'.[0] | .pid == $pid and .totals.rss > 0 and
	 (.regions | keys | length) == 7 and (.objects | length) >= 2 and
	 .vmas > 10 and .threads == 1 and (.objects[0] | has("path") and has("rss"))' \
	--argjson pid "$P"
jqok "the summary: 3 samples, ended by --count, no leak, what changed" "$tmp/w.json" \
	'.[3] | .samples == 3 and .end == "count" and .leaks == [] and
	 .diff.changed == false and .diff.vmas == null'

"$V" --watch=0 --count=2 "$P" >"$tmp/w2.jsonl" 2>/dev/null
ok $? "--watch=0 off a terminal"
jqok "off a terminal: JSON records without --json-lines" "$tmp/w2.jsonl" \
	'.type == "sample" or .type == "summary"'

# on a terminal, a process that does not grow: no leak
if command -v script >/dev/null; then
	script -qec "$V --watch=0 --count=2 $P" /dev/null >"$tmp/idle.txt" 2>&1
	grep -q '^nothing rose in most samples' "$tmp/idle.txt"
	ok $? "on a terminal, an idle process: nothing looks like a leak"
else
	skip "on a terminal, an idle process" "script(1) not installed"
fi

# ended by a signal, SIGTERM and SIGINT
for sig in TERM INT; do
	: >"$tmp/s.jsonl"
	"$V" --watch=0.05 --json-lines "$P" >"$tmp/s.jsonl" 2>/dev/null &
	wpid=$!
	wait_lines "$tmp/s.jsonl" 2
	kill -"$sig" "$wpid"
	wait "$wpid"
	ok $? "SIG$sig ends the watch with exit 0"
	jqok "SIG$sig: the summary comes last" "$tmp/s.jsonl" \
		'.[-1].type == "summary" and .[-1].end == "signal" and .[-1].samples >= 2' --slurp
done

# the process grows: the leak hint
step() {
	local line
	echo "$1" >&"$target_in"
	IFS= read -r -t 60 -u "${TGT[0]}" line
	[ "$line" = done ] || { diag "grower: $1: $line"; return 1; }
}
step "leak 65536 10"
ok $? "the grower leaks 64 KiB every 10 ms"
# samples 0.3 s apart: the leaking thread runs many times between two, even on a
# busy machine (the hint allows one interval of four without growth)
"$V" --watch=0.3 --count=5 --json-lines "$P" >"$tmp/l.jsonl" 2>/dev/null
ok $? "--watch of a leaking process"
jqok "the heap region is pointed out, with its rate per minute" "$tmp/l.jsonl" \
	'.[-1] | .type == "summary" and
	 ([.leaks[] | select(.kind == "region" and .name == "heap")][0] |
	  .rises >= 3 and .intervals == 4 and .rss_after > .rss_before and
	  .rss_per_minute > 0)' --slurp

# on a terminal: the view in place, and the summary as text
if command -v script >/dev/null; then
	script -qec "$V --watch=0.3 --count=3 $P" /dev/null >"$tmp/tty.txt" 2>&1
	ok $? "--watch on a terminal exits 0"
	grep -q $'\033\\[H\033\\[J' "$tmp/tty.txt" && grep -q '^REGION ' "$tmp/tty.txt" &&
		grep -q 'SINCE START' "$tmp/tty.txt"
	ok $? "the view is redrawn in place: regions, their change since the start"
	grep -q 'watched pid [0-9]* for .* 3 samples; --count reached' "$tmp/tty.txt" &&
		grep -q 'GROWTH THAT LOOKS LIKE A LEAK' "$tmp/tty.txt" &&
		grep -q '^region heap: RSS rose in [0-9] of 2 intervals, .*/min' "$tmp/tty.txt"
	rc=$?
	ok $rc "the summary as text, with the leak"
	[ $rc -eq 0 ] || diag "$(tail -30 "$tmp/tty.txt")"
else
	skip "--watch on a terminal" "script(1) not installed"
fi

# the process exits while it is watched: exit 0 and the summary
: >"$tmp/e.jsonl"
"$V" --watch=0.05 --json-lines "$P" >"$tmp/e.jsonl" 2>"$tmp/err" &
wpid=$!
wait_lines "$tmp/e.jsonl" 2
stop_target
wait "$wpid"
ok $? "the process exits: the watch exits 0 $(cat "$tmp/err")"
jqok "the process exits: the summary says so" "$tmp/e.jsonl" \
	'.[-1].type == "summary" and .[-1].end == "exited" and
	 ([.[] | select(.type == "sample")] | length) == .[-1].samples' --slurp
done_testing

#!/bin/bash
# errors.sh - where the warnings and errors go, and what a failure leaves on stdout.
#
# Warnings: on stderr, as "vmlayout: WHO: warning: TEXT" lines, for every view (text,
# --vmas, --addr, --json, --vmas --json), one line for each of the JSON document's
# "warnings", which keeps them; none on stdout.  The input is real and fixed: the
# smaps text of a committed snapshot read with an empty --sysroot, under which none
# of its files is found (a warning for each object, and one that says so).
# "warning:" is in colour only when stderr is a terminal (script(1), when installed)
# and --color allows it.
#
# Out of memory: under a limit on the address space (ulimit -v, RLIMIT_AS) a run
# prints the whole report, the same bytes as without a limit, and exits 0, or exits
# 1 with nothing on stdout and the cause, "Cannot allocate memory", on stderr.  The
# input is a snapshot of a process of 20000 VMAs (bench/mkvmas); for each view the
# least limit that lets it through is found by bisection; for the text view and the
# table of libsmartcols (--raw) the limits just below it are tried one by one: there
# the reading is done and the view itself runs out ("report not printed").  Skipped under AddressSanitizer, which
# ends the process when an allocation fails.
#
# Write errors: a full disk (/dev/full) is "vmlayout: write error: ...", exit 1; a
# closed pipe is no error: exit 0, nothing on stderr.  TAP.  Needs jq ($JQ).
. "$top_srcdir/tests/tap.sh"

[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"
[ -n "$JQ" ] || skip_all "jq not found"
mk=$top_builddir/bench/mkvmas
[ -x "$mk" ] || bail_out "not built: $mk"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-errors.XXXXXX") || bail_out "mktemp failed"
mkpid=
cleanup() {
	[ -n "$mkpid" ] && kill "$mkpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# only_lines FILE PREFIX: every line of FILE starts with PREFIX (no pattern).
only_lines() {
	awk -v p="$2" 'index($0, p) != 1 { bad = 1 } END { exit bad }' "$1"
}

# ---------------------------------------------------------------- warnings
smaps=$top_srcdir/tests/snapshots/threads/smaps
mkdir "$tmp/emptyroot"
src=(--sysroot "$tmp/emptyroot" --smaps "$smaps")
wprefix="vmlayout: $smaps: warning: "

"$VMLAYOUT" --json "${src[@]}" >"$tmp/doc" 2>"$tmp/doc.err"
ok $? "--json of smaps text under an empty --sysroot exits 0"
nw=$("$JQ" '.warnings | length' "$tmp/doc")
[ "${nw:-0}" -gt 1 ] && "$JQ" -e '[.warnings[] | select(test("not found under"))] | length == 1' \
	"$tmp/doc" >/dev/null
ok $? "the JSON document keeps its $nw warnings"
"$JQ" -r '.warnings[] | "'"$wprefix"'" + .' "$tmp/doc" >"$tmp/want.err"
for view in "" --vmas "--vmas --output-all" "--addr 0x1000" --json "--vmas --json" --summary; do
	# shellcheck disable=SC2086
	"$VMLAYOUT" $view "${src[@]}" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	# (the JSON documents have them in "warnings", and objects have a "warning")
	[ $rc -eq 0 ] && [ -s "$tmp/out" ] && cmp -s "$tmp/want.err" "$tmp/err" &&
		case $view in *--json*) "$JQ" -e . "$tmp/out" >/dev/null ;;
		*) ! grep -qi 'warning' "$tmp/out" ;; esac
	ok $? "vmlayout $view: exit 0, the $nw warnings on stderr as \"${wprefix}TEXT\", none on stdout"
	[ $rc -eq 0 ] || diag "exit $rc"
	cmp -s "$tmp/want.err" "$tmp/err" || diag "stderr: $(head -3 "$tmp/err")"
done

# colour: never on a file; on a terminal by the rule of --color
"$VMLAYOUT" --color=always "${src[@]}" >"$tmp/out" 2>"$tmp/err"
! grep -q $'\033' "$tmp/err" && grep -q $'\033' "$tmp/out"
ok $? "--color=always: colour on stdout, none on stderr that is a file"
if command -v script >/dev/null 2>&1 &&
	script -qec true /dev/null >/dev/null 2>&1 </dev/null; then
	# on_tty ARGS...: what vmlayout ARGS writes on stderr, a terminal (stdout: a file)
	on_tty() {
		local cmd
		printf -v cmd '%q ' "$VMLAYOUT" "$@"
		script -qec "$cmd >/dev/null" /dev/null </dev/null
	}
	on_tty --color=always "${src[@]}" >"$tmp/tty"
	grep -q $'\033\\[33mwarning:\033\\[0m ' "$tmp/tty"
	ok $? "stderr a terminal, --color=always: \"warning:\" in colour"
	on_tty --json "${src[@]}" >"$tmp/tty"
	grep -q $'\033\\[33mwarning:' "$tmp/tty"
	ok $? "stderr a terminal, --json (colour auto): \"warning:\" in colour"
	for off in --color=never NO_COLOR; do
		if [ $off = NO_COLOR ]; then
			NO_COLOR=1 on_tty "${src[@]}" >"$tmp/tty"
		else
			on_tty $off "${src[@]}" >"$tmp/tty"
		fi
		grep -q 'warning:' "$tmp/tty" && ! grep -q $'\033' "$tmp/tty"
		ok $? "stderr a terminal, $off: no colour"
	done
else
	for t in "--color=always" "--json" "--color=never" "NO_COLOR"; do
		skip "stderr a terminal, $t" "script(1) not usable"
	done
fi

# ---------------------------------------------------------------- messages
name=vmlt-file-$$
while [ ${#name} -gt 15 ]; do name=${name%?}; done	# comm: 15 bytes
if grep -Fqx -- "$name" /proc/[0-9]*/comm 2>/dev/null; then
	skip "a NAME that is a file here: the cure" "a process is named $name"
else
	: >"$tmp/$name"
	(cd "$tmp" && "$VMLAYOUT" "$name") >"$tmp/out" 2>"$tmp/err"
	[ $? -eq 1 ] && [ ! -s "$tmp/out" ] && [ "$(cat "$tmp/err")" = \
		"vmlayout: no process named '$name' (to read the file, give it as ./$name)" ]
	ok $? "a NAME that is a file here: exit 1, the cure on stderr"
fi

# ---------------------------------------------------------------- write errors
if [ -w /dev/full ]; then
	"$VMLAYOUT" --json "${src[@]}" >/dev/full 2>"$tmp/err"
	rc=$?
	[ $rc -eq 1 ] && [ "$(grep -cv "^$wprefix" "$tmp/err")" -eq 1 ] &&
		grep -qx 'vmlayout: write error: No space left on device' "$tmp/err"
	ok $? "stdout on a full disk: exit 1, \"vmlayout: write error: No space left on device\""
else
	skip "stdout on a full disk" "no /dev/full"
fi

# ---------------------------------------------------------------- a large process
# mkvmas holds its VMAs until its standard input ends
coproc MK { exec "$mk" -t 300 -d "$tmp" 20000 2>&1; }
mkpid=$MK_PID
read -r word pid vmas <&"${MK[0]}"
if [ "$word" != ready ]; then
	diag "mkvmas: $word $pid $vmas"
	skip "a process of 20000 VMAs" "mkvmas did not start (vm.max_map_count?)"
	done_testing
fi
snap=$tmp/snap
"$VMLAYOUT" --save "$snap" "$pid" >/dev/null 2>"$tmp/err"
ok $? "--save of the $vmas-VMA process"
exec {MK[1]}>&-
wait "$mkpid" 2>/dev/null
mkpid=

# closed pipes: the output is several MiB, so most of it meets a closed pipe
for view in "" --json --json-lines --vmas "--vmas --json" "--vmas -r" "--addr 0x1000"; do
	# shellcheck disable=SC2086
	"$VMLAYOUT" $view "$snap/" "$snap/" 2>"$tmp/err" | head -c 1 >/dev/null
	rc=${PIPESTATUS[0]}
	[ "$rc" -eq 0 ] && [ ! -s "$tmp/err" ]
	ok $? "vmlayout $view SNAP SNAP | head -c 1: exit 0, nothing on stderr"
	[ "$rc" -eq 0 ] || diag "exit $rc: $(head -3 "$tmp/err")"
done

if grep -q __asan_init "$VMLAYOUT" 2>/dev/null; then
	skip "out of memory: a whole report or exit 1 and nothing" "AddressSanitizer"
	done_testing
fi

# limited KIB VIEW...: vmlayout VIEW on the snapshot with an address space of KIB
# KiB; stdout in $tmp/out, stderr in $tmp/err.
# Returns 0 when it printed the whole report ($tmp/ref), 1 when it failed cleanly
# (exit 1, nothing on stdout, "Cannot allocate memory"), 2 otherwise (a cut or
# changed report, another error, a crash).
limited() {
	local kib=$1 rc
	shift
	(ulimit -v "$kib" && exec "$VMLAYOUT" "$@" "$snap/") \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 0 ] && cmp -s "$tmp/out" "$tmp/ref" && [ ! -s "$tmp/err" ]; then
		return 0
	elif [ $rc -eq 1 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
		grep -q '^vmlayout: .*: Cannot allocate memory$' "$tmp/err"; then
		return 1
	fi
	return 2
}

# For each view: bisection between a limit too small to start and one that is enough
# (to 16 KiB); for the text view and --raw, then each 64 KiB below the least that is
# enough, 24 of them.  Every run must give the whole report or fail cleanly, and some
# fail.
for view in "" --vmas "--vmas --json" --json "--addr 0x1000" "--vmas -r"; do
	# shellcheck disable=SC2086
	"$VMLAYOUT" $view "$snap/" >"$tmp/ref" 2>/dev/null ||
		bail_out "vmlayout $view SNAP failed without a limit"
	lo=1024 hi=1048576 bad= failed=0 view_failed=0
	# shellcheck disable=SC2086
	limited $hi $view
	[ $? -eq 0 ] || bad="$hi KiB: $(head -c 200 "$tmp/err")"
	while [ -z "$bad" ] && [ $((hi - lo)) -gt 16 ]; do
		mid=$(((lo + hi) / 2))
		# shellcheck disable=SC2086
		limited $mid $view
		case $? in
		0) hi=$mid ;;
		1) lo=$mid failed=$((failed + 1)) ;;
		*) lo=$mid bad="$mid KiB: $(head -c 200 "$tmp/err")" ;;
		esac
	done
	k=1
	case $view in "" | *-r) n=24 ;; *) n=0 ;; esac
	while [ -z "$bad" ] && [ $k -le $n ]; do
		# shellcheck disable=SC2086
		limited $((hi - 64 * k)) $view
		case $? in
		0) ;;
		1)
			failed=$((failed + 1))
			grep -q ': report not printed: ' "$tmp/err" && view_failed=$((view_failed + 1))
			;;
		*) bad="$((hi - 64 * k)) KiB: $(head -c 200 "$tmp/err")" ;;
		esac
		k=$((k + 1))
	done
	[ -z "$bad" ] && [ $failed -gt 0 ]
	ok $? "vmlayout $view SNAP under RLIMIT_AS: a whole report, or exit 1 and nothing on stdout ($failed failed, $view_failed in the view; enough: $hi KiB)"
	[ -z "$bad" ] || diag "$bad"
	if [ -z "$view" ]; then
		[ $view_failed -gt 0 ]
		ok $? "the text view itself runs out of memory: \"report not printed\", nothing on stdout"
	fi
done

done_testing

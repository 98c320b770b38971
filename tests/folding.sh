#!/bin/bash
# folding.sh - the diagram stays short whatever the process, and every line says what
# it holds: at most 60 lines for a program with 60 threads (tests/runtimes threads
# 60), one of 20000 VMAs (bench/mkvmas), node and a JVM (each skipped when not
# installed); every ELF object keeps a line of its own; the rest folds by kind (thread
# stacks with their count, TIDs and thread names; anonymous memory; reservations;
# arenas; mapped files), never into a mixed "more mappings" line; scattered islands
# of anonymous memory (V8's heap pages) fold into one band with their count.  TAP.
# Needs jq.
. "$top_srcdir/tests/tap.sh"

[ -n "$JQ" ] || skip_all "jq not found"
[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"
. "$top_srcdir/tests/target.sh"
target_setup folding
export LC_ALL=C.UTF-8

# check NAME PID: the common checks of one process's diagram
check() {
	local name=$1 pid=$2 n missing=
	"$VMLAYOUT" --diagram --color=never "$pid" >"$tmp/d" 2>/dev/null
	"$VMLAYOUT" --json "$pid" >"$tmp/j" 2>/dev/null
	n=$(wc -l <"$tmp/d")
	[ "$n" -le 60 ]
	ok $? "$name: the diagram is $n lines (60 at most)"
	! grep -q "more mapping" "$tmp/d"
	ok $? "$name: no mixed \"more mappings\" line"
	# every ELF object by the base name of its path (cut with an ellipsis at
	# the front when long: its last 20 characters)
	while read -r p; do
		b=${p##*/}
		grep -qF -- "${b: -20}" "$tmp/d" || missing+=" $b"
	done < <("$JQ" -r '.objects[] | select(.attributed) | .path' "$tmp/j")
	[ -z "$missing" ]
	ok $? "$name: every ELF object has a line"
	[ -z "$missing" ] || diag "missing:$missing"
}

# ------------------------------------------------------------------ 60 threads
runtimes=$top_builddir/tests/runtimes
if [ -x "$runtimes" ] && start_target "$runtimes" threads 60; then
	check "60 threads" "$target_pid"
	[ "$(grep -c "60 thread stacks (tid [0-9]*-[0-9]*)" "$tmp/d")" = 1 ]
	ok $? "60 threads: one line for the 60 thread stacks, with their TIDs"
	grep -A1 "60 thread stacks" "$tmp/d" | grep -q "threads: worker-1, io-2, "
	ok $? "60 threads: the thread names under it"
	stop_target
else
	skip "60 threads" "tests/runtimes did not start"
fi

# ------------------------------------------------------------------ 20000 VMAs
mk=$top_builddir/bench/mkvmas
coproc MK { exec "$mk" -d "$tmp" 20000 2>&1; }
mkpid=$MK_PID
read -r word pid _ <&"${MK[0]}"
if [ "$word" = ready ]; then
	check "20000 VMAs" "$pid"
	grep -qE "anonymous \([0-9]+ mappings\)" "$tmp/d"
	ok $? "20000 VMAs: the anonymous runs folded into one line with their count"
else
	skip "a process of 20000 VMAs" "mkvmas did not start: $word"
fi
eval "exec ${MK[1]}>&-"
wait "$mkpid" 2>/dev/null

# ------------------------------------------------------------------ runtimes
# run NAME CMD...: start CMD (it prints a line when ready), run CHECKS, stop it
rt() {
	local name=$1
	shift
	if ! command -v "$1" >/dev/null 2>&1; then
		skip "$name: the diagram" "$1 not installed"
		return 1
	fi
	"$@" >"$tmp/ready" 2>"$tmp/rt.err" </dev/null &
	rpid=$!
	for _ in $(seq 600); do
		[ -s "$tmp/ready" ] && break
		sleep 0.1
	done
	if [ ! -s "$tmp/ready" ]; then
		skip "$name: the diagram" "$name did not start: $(head -c 200 "$tmp/rt.err")"
		kill "$rpid" 2>/dev/null
		return 1
	fi
	wait_blocked "$rpid"
	return 0
}
if rt node node -e 'console.log("ready"); setTimeout(() => {}, 600000)'; then
	check node "$rpid"
	grep -qE "mmap area, [0-9]+ islands over" "$tmp/d" ||
		[ "$(grep -c "mmap area" "$tmp/d")" -le 2 ]
	ok $? "node: V8's scattered heap pages in one band (islands)"
	kill "$rpid"
	wait "$rpid" 2>/dev/null
fi
cat >"$tmp/Sleep.java" <<'EOF'
public class Sleep {
	public static void main(String[] a) throws Exception {
		System.out.println("ready");
		System.out.flush();
		Thread.sleep(600000);
	}
}
EOF
if rt java java -Xshare:auto "$tmp/Sleep.java"; then
	check java "$rpid"
	grep -qE "[0-9]+ thread stacks \(tid" "$tmp/d"
	ok $? "java: the thread stacks on one line with their count"
	kill "$rpid"
	wait "$rpid" 2>/dev/null
fi
done_testing

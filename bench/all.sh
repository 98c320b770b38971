#!/bin/bash
# all.sh - the whole machine: vmlayout --all against a serial read of every smaps.
#
#	bench/all.sh [-r ROUNDS] [-p VMLAYOUT] [-m MKVMAS]
#
# Starts a population of about 200 idle processes (shells, sleeps, python3 with
# imports, node, a JVM, and one bench/mkvmas process with 60 000 VMAs), waits until
# they are settled, then times in ROUNDS interleaved rounds (default 5, after one
# untimed round):
#	cat      cat /proc/[0-9]*/smaps > /dev/null: the kernel producing every smaps,
#	         one after the other (the kernel's serial cost)
#	--all, --all --objects, --all --users   vmlayout, stdout to /dev/null
#	loop     vmlayout PID for each process, in a shell loop (what users do today)
#	smem -t, smemstat   when installed
#	bigcat, bigall   cat and vmlayout --all of the 60 000-VMA process alone: the
#	         longest read that one worker makes, below which --all cannot go
# and prints for each the median wall time (bash's $EPOCHREALTIME around the run, in
# microseconds), the median of its ratios to the mean of the cat runs either side of
# it, the same for CPU time (user + sys from GNU time, in 10 ms steps: a loaded machine
# inflates it less than wall time), and the peak RSS (GNU time's %M) over the rounds.
# Each command's stderr goes to /dev/null (the processes that exit or that may not be
# read are counted there).  Stops the population at the end.
set -u
rounds=5
vml=src/vmlayout
mkvmas=bench/mkvmas
while getopts r:p:m: o; do
	case $o in
	r) rounds=$OPTARG ;;
	p) vml=$OPTARG ;;
	m) mkvmas=$OPTARG ;;
	*) exit 64 ;;
	esac
done
[ -x "$vml" ] && [ -x "$mkvmas" ] || { echo "bench/all.sh: build $vml and $mkvmas first" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench/all.sh: needs GNU time (/usr/bin/time)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-bench-all.XXXXXX") || exit 1
pop=()
cleanup() {
	for p in "${pop[@]}"; do kill "$p" 2>/dev/null; done
	exec 8>&- 2>/dev/null
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# ------------------------------------------------------------ the population
mkfifo "$tmp/hold"
exec 8<>"$tmp/hold"	# everybody reads this FIFO, which nobody writes: idle
for i in $(seq 60); do bash -c 'read -r _' <"$tmp/hold" & pop+=($!); done
for i in $(seq 80); do sleep 3600 & pop+=($!); done
if command -v python3 >/dev/null; then
	for i in $(seq 30); do
		python3 -c 'import json, re, decimal, email.parser, http.client, sqlite3, xml.dom.minidom, asyncio, sys
sys.stdin.read()' <"$tmp/hold" & pop+=($!)
	done
fi
if command -v node >/dev/null; then
	for i in $(seq 10); do
		node -e 'require("http"); require("crypto"); setInterval(() => {}, 1e9)' & pop+=($!)
	done
fi
if command -v java >/dev/null; then
	cat >"$tmp/Idle.java" <<'EOF'
public class Idle { public static void main(String[] a) throws Exception { System.in.read(); } }
EOF
	java -Xmx64m "$tmp/Idle.java" <"$tmp/hold" & pop+=($!)
fi
"$mkvmas" -t 3600 60000 <"$tmp/hold" >"$tmp/mkvmas.out" & pop+=($!)
for _ in $(seq 600); do	# the JVM compiles its class, mkvmas maps: 60 s at most
	grep -q ready "$tmp/mkvmas.out" 2>/dev/null && break
	sleep 0.1
done
sleep 5
nproc=$(ls -d /proc/[0-9]* | wc -l)
big=$(awk '$1 == "ready" { print $2 }' "$tmp/mkvmas.out")

# ------------------------------------------------------------ the commands
cmds=(cat all objects users loop)
# the longest single read: the 60 000-VMA process alone, which one worker reads
[ -n "$big" ] && cmds+=(bigcat bigall)
command -v smem >/dev/null && cmds+=(smem)
command -v smemstat >/dev/null && cmds+=(smemstat)

run() {	# NAME: run it once under GNU time; prints "wall_s maxrss_kib cpu_s"
	# (wall time from bash's clock in microseconds: GNU time's is in 10 ms steps)
	local t="$tmp/time" t0=$EPOCHREALTIME t1
	case $1 in
	cat) /usr/bin/time -f '%e %M %U %S' -o "$t" sh -c 'cat /proc/[0-9]*/smaps' >/dev/null 2>/dev/null ;;
	all) /usr/bin/time -f '%e %M %U %S' -o "$t" "$vml" --all >/dev/null 2>/dev/null ;;
	objects) /usr/bin/time -f '%e %M %U %S' -o "$t" "$vml" --all --objects >/dev/null 2>/dev/null ;;
	users) /usr/bin/time -f '%e %M %U %S' -o "$t" "$vml" --all --users >/dev/null 2>/dev/null ;;
	loop) /usr/bin/time -f '%e %M %U %S' -o "$t" sh -c 'for d in /proc/[0-9]*; do "$1" "${d#/proc/}"; done' \
		sh "$vml" >/dev/null 2>/dev/null ;;
	bigcat) /usr/bin/time -f '%e %M %U %S' -o "$t" cat "/proc/$big/smaps" >/dev/null 2>/dev/null ;;
	bigall) /usr/bin/time -f '%e %M %U %S' -o "$t" "$vml" --all "$big" >/dev/null 2>/dev/null ;;
	smem) /usr/bin/time -f '%e %M %U %S' -o "$t" smem -t >/dev/null 2>/dev/null ;;
	smemstat) /usr/bin/time -f '%e %M %U %S' -o "$t" smemstat >/dev/null 2>/dev/null ;;
	esac
	t1=$EPOCHREALTIME
	tail -n 1 "$t" | awk -v t0="${t0/,/.}" -v t1="${t1/,/.}" \
		'{ printf "%.4f %s %.2f\n", t1 - t0, $2, $3 + $4 }'
}

# one untimed round, then the rounds: cat before and after each command
for c in "${cmds[@]}"; do run "$c" >/dev/null; done
: >"$tmp/results"
for r in $(seq "$rounds"); do
	prev=$(run cat)
	echo "cat $prev 1 1" >>"$tmp/results"
	for c in "${cmds[@]:1}"; do
		cur=$(run "$c")
		next=$(run cat)
		# NAME wall rss cpu wall/cat cpu/cat (each over the mean of the cats beside it)
		echo "$c $cur $prev $next" | awk '{
			mw = ($5 + $8) / 2; mc = ($7 + $10) / 2
			printf "%s %s %s %s %.3f %.3f\n", $1, $2, $3, $4,
				(mw > 0 ? $2 / mw : 0), (mc > 0 ? $4 / mc : 0) }' >>"$tmp/results"
		prev=$next
	done
done

# ------------------------------------------------------------ the table
echo "vmlayout --all benchmark  $(date -u '+%Y-%m-%d %H:%M:%S +0000')  $(uname -sr)"
echo "$nproc processes, $(nproc) CPUs online, $rounds rounds; commit" \
	"$(git -C "$(dirname "$0")/.." rev-parse --short HEAD 2>/dev/null || echo unknown)"
printf '%-26s %7s %7s %7s %9s %8s\n' command "wall s" "x cat" "cpu s" "cpu x cat" "RSS MiB"
for c in "${cmds[@]}"; do
	case $c in
	cat) label='cat /proc/*/smaps' ;;
	all) label='vmlayout --all' ;;
	objects) label='vmlayout --all --objects' ;;
	users) label='vmlayout --all --users' ;;
	loop) label='vmlayout PID, a loop' ;;
	bigcat) label='cat smaps, 60000 VMAs' ;;
	bigall) label='vmlayout --all 60000 VMAs' ;;
	smem) label='smem -t' ;;
	smemstat) label='smemstat' ;;
	esac
	awk -v c="$c" -v label="$label" '
		function median(a, n,   i, j, t) {
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
				if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
			return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		}
		$1 == c { n++; w[n] = $2; cpu[n] = $4; x[n] = $5; xc[n] = $6; if ($3 > rss) rss = $3 }
		END { printf "%-26s %7.3f %7.2f %7.2f %9.2f %8.1f\n", label, median(w, n),
			median(x, n), median(cpu, n), median(xc, n), rss / 1024 }
	' "$tmp/results"
done

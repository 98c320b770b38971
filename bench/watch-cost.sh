#!/bin/bash
# watch-cost.sh - what one sample of --watch costs: CPU time (user + system) and
# wall time a sample, on processes of 1 000 and 60 000 VMAs (bench/mkvmas), beside
# one "cat /proc/PID/smaps" (the kernel's part of it).  The man page states the
# result (COMPARING AND WATCHING).
#
#	bench/watch-cost.sh VMLAYOUT MKVMAS [SAMPLES] [SIZES]
#
# SAMPLES (default 20): the samples of one run (--watch=0 --count=SAMPLES, JSON
# lines to /dev/null); SIZES (default "1000 60000").  Prints one line a size:
#	VMAS  CPU ms/sample  wall ms/sample  cat smaps ms
set -u
vml=${1:?usage: watch-cost.sh VMLAYOUT MKVMAS [SAMPLES] [SIZES]}
mk=${2:?usage: watch-cost.sh VMLAYOUT MKVMAS [SAMPLES] [SIZES]}
samples=${3:-20}
sizes=${4:-1000 60000}
TIMEFORMAT='%3R %3U %3S'

printf '%8s %15s %16s %14s\n' VMAS "CPU ms/sample" "wall ms/sample" "cat smaps ms"
for n in $sizes; do
	coproc MK { exec "$mk" -t 600 "$n"; }
	read -r ready pid vmas <&"${MK[0]}" || { echo "mkvmas $n failed" >&2; exit 1; }
	[ "$ready" = ready ] || { echo "mkvmas $n: $ready" >&2; exit 1; }
	# a first run fills the page cache and the ELF headers' cache of the system
	"$vml" --watch=0 --count=1 --json-lines "$pid" >/dev/null 2>&1
	t=$( { time "$vml" --watch=0 --count="$samples" --json-lines "$pid" >/dev/null 2>&1; } 2>&1)
	read -r real user sys <<<"$t"
	c=$( { time cat /proc/"$pid"/smaps >/dev/null; } 2>&1)
	read -r creal _ _ <<<"$c"
	awk -v v="$vmas" -v r="$real" -v u="$user" -v s="$sys" -v k="$samples" -v c="$creal" \
		'BEGIN { printf "%8d %15.1f %16.1f %14.1f\n", v, (u + s) * 1000 / k, r * 1000 / k, c * 1000 }'
	eval "exec ${MK[1]}>&-"
	wait "$pid" 2>/dev/null
done

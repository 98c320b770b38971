#!/bin/sh
# results.sh - bench/RESULTS.md from the output of bench/run.
#
#	bench/results.sh OUTPUT > RESULTS.md
#
# OUTPUT is what "make bench" (bench/run) printed; its first line gives the date, the
# kernel and the commit.  The machine's CPU and memory are added from /proc.
# "make bench-results" runs the benchmark and rewrites bench/RESULTS.md in the source
# tree with this.
set -eu
[ $# -eq 1 ] || { echo "Usage: $0 OUTPUT" >&2; exit 64; }
out=$1
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
ncpu=$(grep -c '^processor' /proc/cpuinfo)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)

cat <<EOF
# Benchmark results

These figures are from one machine at one commit: they move with the code and with the
machine, and this file is rewritten each time the benchmark is run (\`make bench-results\`).
Compare figures from one run with each other, not with figures from another machine.

$(head -n 1 "$out")

Machine: $cpu, $ncpu CPUs, $mem of memory.

## How to re-run

\`\`\`sh
make bench                                   # prints the table below
make bench BENCH_ROUNDS=15 BENCH_SIZES="1000 10000 60000"
make bench-results                           # the same, and rewrites this file
make bench-profile                           # callgrind (and perf) profiles, 60 000 VMAs
\`\`\`

\`bench/mkvmas N\` holds N one-page VMAs that the kernel cannot merge (3/4 anonymous,
alternately \`rw-p\` and \`r--p\`; 1/4 pages of a file, \`r--p\`, \`rw-p\`, \`r--s\` at
scattered offsets), each with one touched page.  \`bench/run\` times, on that process,
\`cat /proc/PID/smaps > /dev/null\` (the kernel producing smaps, as it does for any
reader that asks for a page or more at a time: see below) and each
command, with stdout to /dev/null, in rounds of one interleaved series (cat, vmlayout,
cat, vmlayout --json, cat, vmlayout --vmas, cat, pmap -x, cat, pmap -X, cat) after one
untimed round.  Sizes above 60 000 need a larger \`vm.max_map_count\` (65 530 by default).

Columns: \`ms\` the median wall time; \`x cat\` the median of the ratios of each run's wall
time to the mean of the two cat runs either side of it; \`user\`, \`sys\` the median CPU
times (the kernel splits a short process's CPU time between them by ticks: their sum is
exact, the split is not); \`cpu x cat\` the same ratio with user + sys, which a busy
machine inflates less than wall time; \`RSS MiB\` the peak \`ru_maxrss\` over all runs;
\`ns/VMA\` the median wall time over the process's number of VMAs.  The line \`x pmap -x\`
gives, for each vmlayout command, the median over the rounds of its ratio to cat over
the ratio of \`pmap -x\` in the same round, and first that of cat itself, which moves
with the machine (the kernel's cost of smaps against pmap's own).  vmlayout runs on one thread, as cat and
pmap do: its user + sys is at most its wall time.  The marginal cost per VMA, between
two sizes, is the difference of the wall times over the difference of the VMA counts:
about constant when the cost is linear in the number of VMAs.

On this machine (a virtual machine) the kernel's own time for the same \`cat\` moves by
10-20 % from one run to the next: compare the ratios, which take the cat runs beside
each run, and expect a few hundredths of difference between two runs of the benchmark.

## The table

\`\`\`
$(sed -n '2,$p' "$out")
\`\`\`
EOF

#!/bin/bash
# mk-seeds.sh - capture the seed corpora of the fuzz targets from this system
#
# Usage: tests/fuzz/mk-seeds.sh BUILDDIR [SRCDIR]
#   smaps/corpus  smaps, maps and smaps_rollup of real processes: this shell, the
#                 layout targets (BUILDDIR/tests/target-*) and the hostile-names
#                 program (BUILDDIR/tests/hostile), cut to at most 64 KiB at a line end
#   elf/corpus    the first 4 KiB (ELF header and program headers) of real ELF files
#                 from /bin and /usr/lib, the layout targets, and the crafted files of
#                 BUILDDIR/tests/hostile --write-elf
#   json/corpus   real mapped names (bytes as the kernel shows them, decoded) and the
#                 hostile names
# The files are named after what they came from; re-running replaces them.
set -u
build=${1:?usage: mk-seeds.sh BUILDDIR [SRCDIR]}
src=${2:-$(cd "$(dirname "$0")/../.." && pwd)}
out=$src/tests/fuzz
mkdir -p "$out/smaps/corpus" "$out/elf/corpus" "$out/json/corpus"
tmp=$(mktemp -d) || exit 1
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT

grab() {	# NAME PID
	local n=$1 p=$2 f
	for f in smaps maps smaps_rollup; do
		cat "/proc/$p/$f" >"$tmp/raw" 2>/dev/null || continue
		[ -s "$tmp/raw" ] || continue
		# at most 64 KiB, cut at a line end
		head -c 65536 "$tmp/raw" | perl -0777 -pe 's/[^\n]+\z//' >"$out/smaps/corpus/$n.$f"
	done
	# the names, one seed per distinct name (as printed, escapes included)
	awk '{ $1=$2=$3=$4=$5=""; sub(/^ +/, ""); if ($0 != "") print }' "/proc/$p/maps" 2>/dev/null |
		sort -u | head -40 | while IFS= read -r name; do
			h=$(printf '%s' "$name" | md5sum | cut -c1-12)
			printf '%s' "$name" >"$out/json/corpus/$n-$h"
		done
}

grab self $$
for t in pie nopie m32 static-pie; do
	prog=$build/tests/target-$t
	[ -x "$prog" ] || continue
	coproc T { TMPDIR=$tmp exec "$prog"; }
	while IFS= read -r line <&"${T[0]}"; do [ "$line" = ready ] && break; done
	grab "target-$t" "$T_PID"
	exec {T[1]}>&-
	wait "$T_PID" 2>/dev/null
done
if [ -x "$build/tests/hostile" ]; then
	coproc H { exec "$build/tests/hostile" "$tmp/h"; }
	while IFS= read -r line <&"${H[0]}"; do [ "$line" = ready ] && break; done
	grab hostile "$H_PID"
	exec {H[1]}>&-
	wait "$H_PID" 2>/dev/null
	"$build/tests/hostile" --write-elf "$tmp/elf" >/dev/null &&
		for f in "$tmp"/elf/*; do cp "$f" "$out/elf/corpus/crafted-${f##*/}"; done
fi

for f in /bin/ls /bin/bash /usr/bin/env /usr/lib/x86_64-linux-gnu/libc.so.6 \
	 /usr/lib/x86_64-linux-gnu/libelf.so.1 /lib64/ld-linux-x86-64.so.2 \
	 /usr/lib/i386-linux-gnu/libc.so.6 /usr/lib32/libc.so.6 \
	 /usr/lib/x86_64-linux-gnu/crt1.o /usr/lib/x86_64-linux-gnu/libc_nonshared.a \
	 "$build"/tests/target-*; do
	[ -f "$f" ] || continue
	head -c 4096 "$(readlink -f "$f")" >"$out/elf/corpus/${f##*/}"
done
ls "$out/smaps/corpus" "$out/elf/corpus" "$out/json/corpus" | wc -l

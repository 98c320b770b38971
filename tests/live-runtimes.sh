#!/bin/bash
# live-runtimes.sh - vmlayout on the language runtimes installed here (node, java,
# python3; each skipped when absent or when it does not start): no ELF object twice
# unless it is loaded twice (two load biases), every bss VMA inside its object's
# page-rounded ELF zero-fill range (readelf -lW) (or the bss part of a VMA merged
# across its end) and the bss region equal to the objects' ELF bss, --addr inside a
# reservation names no section or symbol,
# and the RSS total equals smaps_rollup.
#
# TAP.  Needs jq ($JQ) and readelf; skipped without them.
. "$top_srcdir/tests/tap.sh"

[ -n "$JQ" ] || skip_all "jq not found"
command -v readelf > /dev/null 2>&1 || skip_all "readelf not found"
[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-runtimes.XXXXXX") || bail_out "mktemp failed"
rpid=
cleanup() {
	[ -n "$rpid" ] && kill "$rpid" 2>/dev/null && wait "$rpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# ready PID FILE: wait (60 s at most) until FILE holds a line (the runtime's "ready").
ready() {
	local i
	for ((i = 0; i < 6000; i++)); do
		[ -s "$2" ] && return 0
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.01
	done
	return 1
}

# elf_bss PATH BIAS PAGE: the page-rounded zero-fill ranges of PATH's writable PT_LOAD
# segments at BIAS, one "START END" (decimal) a line.
elf_bss() {
	local t off va pa fs ms flags s e
	readelf -lW "$1" 2>/dev/null | while read -r t off va pa fs ms flags; do
		[ "$t" = LOAD ] || continue
		case $flags in *W*) ;; *) continue ;; esac
		((ms > fs)) || continue
		s=$(($2 + va + fs)) e=$(($2 + va + ms))
		echo "$(((s + $3 - 1) / $3 * $3)) $(((e + $3 - 1) / $3 * $3))"
	done
}

# rollup_rss PID: the Rss of /proc/PID/smaps_rollup, bytes.
rollup_rss() {
	awk '$1 == "Rss:" { print $2 * 1024 }' "/proc/$1/smaps_rollup" 2> /dev/null
}

check_runtime() {
	local name=$1 json=$tmp/$1.json before after try rc
	# a runtime has threads of its own: read smaps_rollup before and after, retry
	# when it moved (the RSS check is skipped when it always did)
	for try in 1 2 3 4 5; do
		before=$(rollup_rss "$rpid")
		"$VMLAYOUT" --json "$rpid" > "$json" 2> "$tmp/err"
		rc=$?
		after=$(rollup_rss "$rpid")
		[ "$before" = "$after" ] && break
	done
	ok $rc "$name: vmlayout --json exits 0"
	[ -s "$tmp/err" ] && diag "$(cat "$tmp/err")"
	"$JQ" -e '[.objects[] | "\(.dev):\(.inode)"] | group_by(.) |
		all(length == 1)' "$json" > /dev/null
	local rc=$?
	ok $rc "$name: no ELF object twice"
	[ $rc -eq 0 ] ||
		diag "$("$JQ" -c '[.objects[] | .path] | group_by(.) | map(select(length > 1))' "$json")"

	# each bss VMA inside its object's ELF zero-fill range
	local page bad=0 elf_total=0 o path bias s e
	page=$(getconf PAGESIZE)
	"$JQ" -r '.objects[] | select(.attributed and .load_bias != null) |
		"\(.load_bias) \(.path)"' "$json" > "$tmp/objs"
	: > "$tmp/ranges"
	while read -r bias path; do
		[ -r "$path" ] || continue
		elf_bss "$path" "$((bias))" "$page" | while read -r s e; do
			echo "$path $s $e"
		done >> "$tmp/ranges"
	done < "$tmp/objs"
	"$JQ" -r '.vmas[] | (select(.role == "bss"), (.parts // [] | .[0:1][])) |
		"\(.object) \(.start) \(.end)"' "$json" |
	while read -r path s e; do
		awk -v p="$path" -v s="$((s))" -v e="$((e))" \
			'$1 == p && $2 <= s && e <= $3 { f = 1 } END { exit !f }' "$tmp/ranges" ||
			echo "$path $s $e"
	done > "$tmp/outside"
	[ ! -s "$tmp/outside" ]
	ok $? "$name: every bss VMA lies inside its object's page-rounded ELF bss"
	[ -s "$tmp/outside" ] && diag "$(head -5 "$tmp/outside")"
	elf_total=$(awk '{ t += $3 - $2 } END { print t + 0 }' "$tmp/ranges")
	local bss
	bss=$("$JQ" '.regions.bss.size' "$json")
	[ "$bss" -eq "$elf_total" ]
	ok $? "$name: bss region ($bss) equals the objects' page-rounded ELF bss ($elf_total)"

	# a reservation, if there is one: --addr names no section or symbol
	local r
	r=$("$JQ" -r '[.vmas[] | select(.role == "reserved")][0].start // empty' "$json")
	if [ -n "$r" ]; then
		"$VMLAYOUT" --json --addr "$r" "$rpid" > "$tmp/addr" 2> /dev/null
		"$JQ" -e '.addresses[0] | .role == "reserved" and .elf == null' "$tmp/addr" > /dev/null
		ok $? "$name: --addr in a reservation names no section or symbol"
	else
		skip "$name: --addr in a reservation names no section or symbol" "no reservation"
	fi
	if [ "$before" = "$after" ] && [ -n "$after" ]; then
		"$JQ" -e --arg r "$after" '.totals.rss == ($r | tonumber)' "$json" > /dev/null
		ok $? "$name: RSS total equals smaps_rollup"
	else
		skip "$name: RSS total equals smaps_rollup" "smaps_rollup moved during every read"
	fi
}

# run NAME CMD...: start CMD (it prints a line when ready), check it, stop it.
run() {
	local name=$1
	shift
	if ! command -v "$1" > /dev/null 2>&1; then
		skip "$name: the checks" "$1 not installed"
		return
	fi
	: > "$tmp/ready"
	"$@" > "$tmp/ready" 2> "$tmp/rt.err" < /dev/null &
	rpid=$!
	if ! ready "$rpid" "$tmp/ready"; then
		skip "$name: the checks" "$name did not start: $(head -c 200 "$tmp/rt.err")"
	else
		check_runtime "$name"
	fi
	kill "$rpid" 2> /dev/null
	wait "$rpid" 2> /dev/null
	rpid=
}

run node node -e 'console.log("ready"); setTimeout(() => {}, 600000)'
run python3 python3 -c 'import sys, time; print("ready", flush=True); time.sleep(600)'
cat > "$tmp/Sleep.java" << 'EOF'
public class Sleep {
	public static void main(String[] a) throws Exception {
		System.out.println("ready");
		System.out.flush();
		Thread.sleep(600000);
	}
}
EOF
run java java -Xshare:auto "$tmp/Sleep.java"

done_testing

#!/bin/bash
# svg.sh - --svg draws the diagram as a standalone SVG document, of live processes
# (the layout target, a multi-threaded program under a hostile file name, sleep, and
# node and a JVM when installed) and of the offline sources (a snapshot, smaps text,
# an ELF file).  Each document is well-formed XML (xmllint, when installed) and
# valid UTF-8; it has a size and a viewBox, no script and no reference outside it;
# every <g> has a <title> (the tooltip) with addresses and figures; it has as many
# bands, mmap-area lines, kernel regions and gaps as the text view's diagram of the
# same snapshot, and the labels expected ([stack], [heap], the executable, libc).
# A file name holding < & " ' and the byte 0xff is escaped.  --svg with another view,
# a filter or two targets is a usage error; a process that does not exist gives its
# error and nothing on stdout.
# Headless Chromium (when installed) renders the target's document to a PNG of its
# size, not blank, and its DOM holds the labels.  TAP.
. "$top_srcdir/tests/tap.sh"

[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"
. "$top_srcdir/tests/target.sh"
target_setup svg
export LC_ALL=C.UTF-8

xmllint=$(command -v xmllint)
[ -n "$xmllint" ] || diag "xmllint not found (package libxml2-utils): the XML checks are skipped"
chromium=$(command -v chromium || command -v chromium-browser)

# check NAME FILE: the checks of every document
check() {
	local name=$1 f=$2 ng nt
	if [ -n "$xmllint" ]; then
		"$xmllint" --noout "$f" 2>"$tmp/xmllint.err"
		ok $? "$name: xmllint: well-formed"
		[ -s "$tmp/xmllint.err" ] && diag "$(head -5 "$tmp/xmllint.err")"
	else
		skip "$name: xmllint: well-formed" "xmllint not found"
	fi
	iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1
	ok $? "$name: valid UTF-8"
	local root='^<svg xmlns="http://www.w3.org/2000/svg" [^>]*'
	root+='width="[0-9]+" height="[0-9]+" viewBox="0 0 [0-9]+ [0-9]+"'
	head -c 200 "$f" | grep -q '^<?xml version="1.0" encoding="UTF-8"?>' &&
		grep -qE "$root" "$f" && [ "$(tail -n 1 "$f")" = "</svg>" ]
	ok $? "$name: an SVG document with a width, a height and a viewBox"
	! grep -qiE '<script|href|url\(|@import|<image|<foreignObject|<use|file:|https?:' \
		<(grep -v '^<svg xmlns="http://www.w3.org/2000/svg" ' "$f")
	ok $? "$name: no script, no reference outside the document"
	ng=$(grep -c '<g ' "$f")
	nt=$(grep -c '<g [^>]*><title>[^<]' "$f")
	[ "$ng" -ge 4 ] && [ "$ng" = "$nt" ]
	ok $? "$name: every <g> has a <title> ($nt of $ng)"
	# each band's tooltip: addresses, then the figures
	! grep -A2 -E '<g class="band (code|data|bss|heap|mmap|stack|special)"><title>' "$f" |
		grep -v '^--$' |
		awk 'NR % 3 == 2 && !/^0x[0-9a-f]+-0x[0-9a-f]+/ { bad = 1 }
		     NR % 3 == 0 && !/^SIZE [^ ]+  RSS [^ ]+  PSS [^ ]+  SHARE / { bad = 1 }
		     END { exit !bad }'
	ok $? "$name: every band's tooltip has its addresses and SIZE, RSS, PSS"
}

# same NAME SVG TEXT: the SVG has the rows of the text view's diagram
same() {
	local name=$1 f=$2 t=$3 a b
	a=$(grep -cE '^ *0x[0-9a-f]+ (├─|┬─) .* rss ' "$t")
	b=$(grep -cE '<g class="band (code|data|bss|heap|mmap|stack|special)">' "$f")
	[ "$a" = "$b" ] && [ "$a" -gt 0 ]
	ok $? "$name: the bands of the text view ($a, $b)"
	a=$(grep -cE '^ +│   .* rss +[0-9.?]+[KMGT]?$' "$t")
	b=$(grep -c '<g class="item">' "$f")
	[ "$a" = "$b" ]
	ok $? "$name: the lines of the mmap area and [vsyscall] ($a, $b)"
	a=$(grep -cE '^ +│   0x[0-9a-f]+ .*(iB|bytes)( \*)?$' "$t")
	b=$(grep -c '<g class="kregion">' "$f")
	[ "$a" = "$b" ]
	ok $? "$name: the kernel regions ($a, $b)"
	a=$(grep -c '┆' "$t")
	b=$(grep -c '<g class="gap ' "$f")
	[ "$a" = "$b" ] && [ "$a" -gt 0 ]
	ok $? "$name: the gaps ($a, $b)"
}

# has NAME FILE LABEL...: each LABEL is the text of a <text> element (spaces kept)
has() {
	local name=$1 f=$2 missing=
	shift 2
	for l in "$@"; do
		grep -qF -- ">$l</text>" "$f" || missing+=" '$l'"
	done
	[ -z "$missing" ]
	ok $? "$name: labels $*"
	[ -z "$missing" ] || diag "missing:$missing"
}

# ------------------------------------------------------------------ the target
tgt=$top_builddir/tests/target-pie
start_target "$tgt" || bail_out "tests/target-pie did not start"
"$VMLAYOUT" --svg "$target_pid" >"$tmp/t.svg" 2>"$tmp/t.err"
ok $? "target: --svg exits 0"
check target "$tmp/t.svg"
has target "$tmp/t.svg" "stack [stack]" "heap  [heap]" "code  target-pie" "libc.so.6" \
	"ld-linux-x86-64.so.2" "mmap area" "kernel space: the documented layout" \
	"thread stack (tid ${extra[thread_stack]} target-pie)"
grep -q '<text [^>]*>[0-9.]\+ [KMGTPE]iB  unmapped</text>' "$tmp/t.svg"
ok $? "target: the gaps with their sizes"
# the stack band's tooltip: the range that holds the target's local
range=$(grep -A1 '<g class="band stack"><title>' "$tmp/t.svg" | sed -n 2p)
lo=${range%%-*} hi=${range#*-}
[ -n "$range" ] && (( lo <= ${addr[stack]} && ${addr[stack]} < hi ))
ok $? "target: the stack band's tooltip holds the stack's address ($range, ${addr[stack]})"
"$VMLAYOUT" --svg --bytes "$target_pid" >"$tmp/b.svg" 2>/dev/null
grep -A2 '<g class="band bss"><title>' "$tmp/b.svg" | grep -qE '^SIZE [0-9]+  RSS [0-9]+  PSS [0-9]+ '
ok $? "target: --bytes: the figures in bytes"
# the same snapshot drawn as text and as SVG
"$VMLAYOUT" --save "$tmp/snap" "$target_pid" >/dev/null 2>&1
ok $? "target: --save"
"$VMLAYOUT" --svg "$tmp/snap" >"$tmp/s.svg" 2>/dev/null
ok $? "target snapshot: --svg exits 0"
"$VMLAYOUT" --diagram --color=never "$tmp/snap" >"$tmp/s.txt" 2>/dev/null
check "target snapshot" "$tmp/s.svg"
same "target snapshot" "$tmp/s.svg" "$tmp/s.txt"
cp "$tmp/t.svg" "$tmp/target.svg"
stop_target

# ------------------------------------------------------------------ threads, odd name
odd=$tmp/$(printf 'a<b&c"d\x27e\xff')
cp "$top_builddir/tests/runtimes" "$odd" || bail_out "cp failed"
if start_target "$odd" threads 8; then
	"$VMLAYOUT" --svg "$target_pid" >"$tmp/o.svg" 2>/dev/null
	ok $? "odd name, 8 threads: --svg exits 0"
	check "odd name" "$tmp/o.svg"
	has "odd name" "$tmp/o.svg" 'code  a&lt;b&amp;c&quot;d&apos;e\xff' "libc.so.6"
	grep -qE '>8 thread stacks \(tid [0-9]+-[0-9]+\)</text>' "$tmp/o.svg"
	ok $? "odd name: the 8 thread stacks on one line"
	! LC_ALL=C grep -q $'\xff' "$tmp/o.svg" && ! grep -q 'a<b' "$tmp/o.svg"
	ok $? "odd name: no raw 0xff byte, no raw <"
	stop_target
else
	skip "odd name: the SVG" "tests/runtimes did not start"
fi

# ------------------------------------------------------------------ raw bytes
# smaps text can name a VMA with any byte: the kernel's [name] is drawn as it is, so
# the SVG's own escaping meets < & " ', 0xff, a control character, U+FFFE and a C1
# control (U+0085)
{
	printf '00400000-00401000 r-xp 00000000 00:00 0 [x<&"\x27\xff\x01\xef\xbf\xbe\xc2\x85]\n'
	printf 'Size: 4 kB\nRss: 4 kB\nPss: 4 kB\nVmFlags: rd ex \n'
	printf '7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0 [stack]\n'
	printf 'Size: 132 kB\nRss: 8 kB\nPss: 8 kB\nVmFlags: rd wr \n'
} >"$tmp/raw.smaps"
"$VMLAYOUT" --svg --smaps "$tmp/raw.smaps" >"$tmp/r.svg" 2>/dev/null
ok $? "raw bytes: --svg exits 0"
check "raw bytes" "$tmp/r.svg"
has "raw bytes" "$tmp/r.svg" '[x&lt;&amp;&quot;&apos;\xff\x01\xef\xbf\xbe\xc2\x85]'

# ------------------------------------------------------------------ sleep
sleep 300 </dev/null >/dev/null 2>&1 &
spid=$!
for _ in $(seq 100); do
	grep -q libc "/proc/$spid/maps" 2>/dev/null && break
	sleep 0.05
done
"$VMLAYOUT" --svg "$spid" >"$tmp/sl.svg" 2>/dev/null
ok $? "sleep: --svg exits 0"
check sleep "$tmp/sl.svg"
grep -qE '>code  sleep</text>' "$tmp/sl.svg" && grep -qF '>libc.so.6</text>' "$tmp/sl.svg"
ok $? "sleep: its code band and libc"
kill "$spid"
wait "$spid" 2>/dev/null

# ------------------------------------------------------------------ runtimes
# rt NAME CMD...: start CMD (it prints a line when ready) as $rpid
rt() {
	local name=$1
	shift
	if ! command -v "$1" >/dev/null 2>&1; then
		skip "$name: the SVG" "$1 not installed"
		return 1
	fi
	"$@" >"$tmp/ready" 2>"$tmp/rt.err" </dev/null &
	rpid=$!
	for _ in $(seq 600); do
		[ -s "$tmp/ready" ] && break
		sleep 0.1
	done
	if [ ! -s "$tmp/ready" ]; then
		skip "$name: the SVG" "$name did not start: $(head -c 200 "$tmp/rt.err")"
		kill "$rpid" 2>/dev/null
		return 1
	fi
	return 0
}
if rt node node -e 'console.log("ready"); setTimeout(() => {}, 600000)'; then
	"$VMLAYOUT" --svg "$rpid" >"$tmp/n.svg" 2>/dev/null
	ok $? "node: --svg exits 0"
	check node "$tmp/n.svg"
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
	"$VMLAYOUT" --svg "$rpid" >"$tmp/j.svg" 2>/dev/null
	ok $? "java: --svg exits 0"
	check java "$tmp/j.svg"
	kill "$rpid"
	wait "$rpid" 2>/dev/null
fi

# ------------------------------------------------------------------ offline sources
for src in "snapshot:$top_srcdir/tests/snapshots/threads/" \
	"smaps text:$top_srcdir/tests/fixtures/target.smaps" "ELF file:$tgt"; do
	name=${src%%:*} path=${src#*:}
	"$VMLAYOUT" --svg "$path" >"$tmp/f.svg" 2>/dev/null
	ok $? "$name: --svg exits 0"
	"$VMLAYOUT" --diagram --color=never "$path" >"$tmp/f.txt" 2>/dev/null
	check "$name" "$tmp/f.svg"
	same "$name" "$tmp/f.svg" "$tmp/f.txt"
done
grep -A2 '<g class="band code"><title>' "$tmp/f.svg" | grep -q '^SIZE [^ ]*  RSS ?  PSS ?'
ok $? "ELF file: the figures it has not are unknown (?)"

# ------------------------------------------------------------------ errors
for args in "--json" "--json-lines" "--vmas" "-o START" "--addr 0x1000" "--diagram" \
	"--roles" "--role heap" "--list-columns" "1"; do
	# shellcheck disable=SC2086
	"$VMLAYOUT" --svg $args "$$" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc = 64 ] && [ ! -s "$tmp/out" ] && grep -q "svg" "$tmp/err"
	ok $? "--svg $args: a usage error (exit $rc), nothing on stdout"
done
pid=$$
while kill -0 "$pid" 2>/dev/null; do pid=$((pid + 100000)); done
"$VMLAYOUT" --svg "$pid" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && [ ! -s "$tmp/out" ] && grep -q "PID $pid: no such process" "$tmp/err"
ok $? "--svg of a PID that does not exist: exit $rc, the PID and the cause, nothing on stdout"

# ------------------------------------------------------------------ Chromium
if [ -z "$chromium" ]; then
	skip "Chromium: the target's SVG rendered to a PNG" "chromium not installed"
	skip "Chromium: the labels in the DOM" "chromium not installed"
	done_testing
fi
# chrome FILE ARGS...: headless Chromium on file FILE, its own profile in $tmp
chrome() {
	local f=$1
	shift
	HOME=$tmp/home timeout 120 "$chromium" --headless --no-sandbox --disable-gpu \
		--no-first-run --user-data-dir="$tmp/chromium" --hide-scrollbars "$@" "file://$f" \
		2>>"$tmp/chromium.log"
}
mkdir -p "$tmp/home"
read -r w h < <(sed -n 's/^<svg [^>]* width="\([0-9]*\)" height="\([0-9]*\)".*/\1 \2/p' "$tmp/target.svg")
chrome "$tmp/target.svg" --screenshot="$tmp/target.png" --window-size="$w,$h" >/dev/null
# a blank document of the same size, for comparison
printf '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s"><rect width="%s" height="%s" fill="#ffffff"/></svg>\n' \
	"$w" "$h" "$w" "$h" >"$tmp/blank.svg"
chrome "$tmp/blank.svg" --screenshot="$tmp/blank.png" --window-size="$w,$h" >/dev/null
sig=$(od -An -tx1 -N8 "$tmp/target.png" 2>/dev/null | tr -d ' \n')
dim=$(od -An -tu1 -j16 -N8 "$tmp/target.png" 2>/dev/null |
	awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4, $5 * 16777216 + $6 * 65536 + $7 * 256 + $8 }')
ts=$(stat -c %s "$tmp/target.png" 2>/dev/null || echo 0)
bs=$(stat -c %s "$tmp/blank.png" 2>/dev/null || echo 0)
[ "$sig" = 89504e470d0a1a0a ] && [ "$dim" = "$w $h" ] && [ "$ts" -gt $((4 * bs)) ]
ok $? "Chromium: the target's SVG rendered to a PNG of its size ($dim), not blank ($ts bytes, blank $bs)"
[ $? -eq 0 ] || diag "signature $sig; $(tail -5 "$tmp/chromium.log")"
chrome "$tmp/target.svg" --dump-dom >"$tmp/dom" </dev/null
missing=
for l in "stack [stack]" "heap  [heap]" "code  target-pie" "libc.so.6" "mmap area" \
	"kernel space: the documented layout" "unmapped"; do
	grep -qF -- "$l" "$tmp/dom" || missing+=" '$l'"
done
[ -z "$missing" ] && grep -q '<title>' "$tmp/dom"
ok $? "Chromium: the labels in the DOM"
[ -z "$missing" ] || diag "missing:$missing; $(head -c 300 "$tmp/dom")"
done_testing

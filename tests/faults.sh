#!/bin/bash
# faults.sh - every failure of the outside world, one at a time (tests/failinj.so).
#
# For a few representative commands, the text view and --json of a live process (a
# sleep(1) this test starts), --save of it, the committed snapshot tests/snapshots/libs
# (text view and --json), an ELF file (the layout target; text view and --json) and
# a core of the sleep (gdb's gcore; left out without gdb), and for each group of
# calls the library can fail (alloc: malloc calloc realloc strdup, ENOMEM; open: open
# openat, EACCES and EMFILE in turn; read: read pread, EIO; write: write pwrite,
# ENOSPC; stdout: the stdio calls that write stdout, ENOSPC and EPIPE in turn; mkdir:
# mkdir mkdirat, ENOSPC; elf: the libelf functions that read headers, sections and
# data, ENOMEM with libelf's own error unset), a first run counts the calls the
# command makes, then the command runs once with call N failing, for N from 1 to the
# count.  Where the count is above $FAULTS_MAX (60 unless set) the N are the first
# call of each call site (each return address: the counting run lists them, see
# failinj.c) and that many more, evenly spaced from the first call to the last: so
# every call site of the command fails once, and each group takes seconds, not
# minutes, on a small machine.  vmlayout reads a process on one
# thread, so the calls come in the same order each time.
#
# Each outcome must be one of:
#   exit 0, on stderr what the run without a failure wrote there (nothing, or its
#     warnings), and the report of that run (the same bytes; for a live process the same text with the digits masked, as its PSS
#     changes with the rest of the machine);
#   exit 0, warnings only on stderr ("vmlayout: WHO: warning: ..."), and a report
#     (a JSON document that jq reads whole): the failed call lost something the
#     report can do without, an ELF file's headers say;
#   exit 1, nothing on stdout, and an error on stderr that names the cause: the
#     text of the errno (strerror) or "permission denied"; for --watch, which
#     writes a record per sample as it goes, the records of the samples before the
#     failure may be on stdout, each whole;
#   for the stdout group: exit 1 and "vmlayout: write error: TEXT" (what was written
#     before the failure stays written: stdout is not a file that can be taken
#     back), or, for EPIPE, exit 0 and on stderr only the warnings of the run without
#     a failure (a closed pipe is no error).
# Never a crash (exit status 128 and above) or another status, and never exit 0 with
# the stderr of the run without a failure but another report: a failed call that
# loses something the report shows is a warning that says so.  For --save: after
# exit 1 the directory is not there, or, when what failed came after the snapshot was
# complete (printing the report, say), it is a snapshot that reads; after exit 0 it is
# a snapshot (it has its file "snapshot", written last).
#
# Leaks: when vmlayout is built with AddressSanitizer (./configure
# --enable-sanitizers), the runs go the same way, with failinj.so before ASan's
# runtime in the list of libraries (ASAN_OPTIONS verify_asan_link_order=0; the real
# functions that failinj.so calls are then ASan's) and LeakSanitizer on
# (detect_leaks=1, exitcode=99): a run that leaks what it allocated, or that ASan
# or UBSan stops, exits 99 and fails.  TAP.
. "$top_srcdir/tests/tap.sh"

[ -x "$VMLAYOUT" ] || bail_out "vmlayout not built: $VMLAYOUT"
[ -n "$JQ" ] || skip_all "jq not found"
shim=$top_builddir/tests/failinj.so
[ -f "$shim" ] || bail_out "not built: $shim"
asan=
grep -q __asan_init "$VMLAYOUT" 2>/dev/null && asan=1
max=${FAULTS_MAX:-60}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-faults.XXXXXX") || bail_out "mktemp failed"
sleep_pid=
cleanup() {
	[ -n "$sleep_pid" ] && kill "$sleep_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
printf 'leak:libproc2.so\n' >"$tmp/lsan.supp"

sleep 600 &
sleep_pid=$!
# wait for it to be sleep, not the shell that forks it
for _ in 1 2 3 4 5 6 7 8 9 10; do
	[ "$(cat /proc/$sleep_pid/comm 2>/dev/null)" = sleep ] && break
	sleep 0.1
done

# run FUNC NTH ERRNO ARGS...: vmlayout ARGS with the library; out, err, rc
run() {
	local func=$1 nth=$2 errno=$3
	shift 3
	local asan_options=$ASAN_OPTIONS lsan_options=$LSAN_OPTIONS
	if [ -n "$asan" ]; then
		asan_options=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0:detect_leaks=1:exitcode=99
		# libproc2 (procps-ng 4.0.2) loses the strings it copied when its own
		# allocation fails inside procps_pids_reap(): its leak, not vmlayout's.
		# It is built without frame pointers, so LeakSanitizer needs the slow
		# unwinder to see it in the stack (only for --all, which lists processes).
		lsan_options=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$tmp/lsan.supp
		case " $* " in
		*" --all "*) asan_options=$asan_options:fast_unwind_on_malloc=0 ;;
		esac
	fi
	ASAN_OPTIONS=$asan_options LSAN_OPTIONS=$lsan_options LD_PRELOAD=$shim FAILINJ_FUNC=$func FAILINJ_NTH=$nth \
		FAILINJ_ERRNO=$errno FAILINJ_COUNT=$tmp/count "$VMLAYOUT" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	# libproc2 loads libnuma, which says on stderr when its own allocation fails
	# ("libnuma: Warning: ..."); not vmlayout's to silence or to judge
	sed -i '/^libnuma: /d' "$tmp/err"
}

# mask FILE: the figures of FILE masked (digits, their sign and their unit: 1004K and 1M alike,
# as a live figure crosses a unit), runs of spaces made one (a live report)
mask() {
	sed -E 's/[-+]?[0-9]+([.][0-9]+)?[KMGTPE]?/N/g; s/ +/ /g' "$1"
}

declare -A errtext=([ENOMEM]="Cannot allocate memory" [EACCES]="Permission denied"
	[EMFILE]="Too many open files" [EIO]="Input/output error"
	[ENOSPC]="No space left on device" [EPIPE]="Broken pipe")

# judge NAME GROUP ERRNO LIVE JSON SAVEDIR: is the outcome in out, err, rc one of those
# above?  JSON: 1 a JSON document, 2 JSON lines (a record per sample).  Sets why.
judge() {
	local name=$1 group=$2 errno=$3 live=$4 json=$5 save=$6
	why=
	if [ "$rc" -ge 128 ]; then
		why="crashed (exit $rc)"
	elif [ "$rc" -eq 99 ] && [ -n "$asan" ]; then
		# AddressSanitizer's own pthread_getattr_np() at a thread's start
		# allocates through the library too, and ASan stops when that fails:
		# the sanitizer's limit, not vmlayout's (--all starts a worker)
		grep -q 'CHECK failed: .*pthread_getattr_np' "$tmp/err" ||
			why="AddressSanitizer: $(grep -m1 -e '^SUMMARY' -e 'ERROR:' "$tmp/err")"
	elif [ "$group" = stdout ] && [ "$errno" = EPIPE ]; then
		[ $rc -eq 0 ] && cmp -s "$tmp/err" "$tmp/ref.$name.err" ||
			why="a closed pipe: exit $rc, or another stderr"
	elif [ "$group" = stdout ] && [ $rc -eq 1 ]; then
		grep -qx "vmlayout: write error: ${errtext[$errno]}" "$tmp/err" ||
			why="no \"write error: ${errtext[$errno]}\""
	elif [ $rc -eq 0 ] && cmp -s "$tmp/err" "$tmp/ref.$name.err"; then
		if [ "$live" = 1 ]; then
			# in any order: rows sorted by a live figure (PSS) may swap
			cmp -s <(mask "$tmp/out" | sort) <(mask "$tmp/ref.$name" | sort)
		else
			cmp -s "$tmp/out" "$tmp/ref.$name"
		fi || why="another report without a warning"
	elif [ $rc -eq 0 ]; then
		if grep -qv '^vmlayout: .*: warning: ' "$tmp/err"; then
			why="exit 0 and not only warnings"
		elif [ ! -s "$tmp/out" ]; then
			why="exit 0, warnings and no report"
		elif [ "$json" != 0 ] && ! "$JQ" -e . "$tmp/out" >/dev/null 2>&1; then
			why="exit 0 and a JSON document cut"
		fi
	elif [ $rc -eq 1 ]; then
		if [ "$json" = 2 ] && [ -s "$tmp/out" ] && ! "$JQ" -e . "$tmp/out" >/dev/null 2>&1; then
			why="exit 1 and a record cut"
		elif [ "$json" != 2 ] && [ -s "$tmp/out" ]; then
			why="exit 1 and $(wc -c <"$tmp/out") bytes on stdout"
		elif ! grep -qiF -e "${errtext[$errno]}" -e "permission denied" "$tmp/err"; then
			why="exit 1 without the cause"
		fi
	else
		why="exit $rc"
	fi
	if [ -n "$save" ] && [ -z "$why" ]; then
		if [ $rc -eq 0 ] && [ ! -f "$save/snapshot" ]; then
			why="exit 0 and no snapshot"
		elif [ $rc -ne 0 ] && [ -e "$save" ] && { [ ! -f "$save/snapshot" ] ||
			! "$VMLAYOUT" "$save" >/dev/null 2>&1; }; then
			why="exit $rc and a directory left behind that is not a snapshot"
		fi
	fi
	[ -z "$why" ]
}

# walk NAME LIVE JSON ARGS...: every group of calls for vmlayout ARGS ("SAVE" in
# ARGS: a new directory each run)
walk() {
	local name=$1 live=$2 json=$3
	shift 3
	local save= args=() a
	for a in "$@"; do
		if [ "$a" = SAVE ]; then
			save=$tmp/save
			args+=("$save")
		else
			args+=("$a")
		fi
	done
	rm -rf "$save"
	"$VMLAYOUT" "${args[@]}" >"$tmp/ref.$name" 2>"$tmp/ref.$name.err"
	if [ $? -ne 0 ] || grep -qv '^vmlayout: .*: warning: ' "$tmp/ref.$name.err"; then
		ok 1 "$name: a run without a failure"
		diag "$(head -3 "$tmp/ref.$name.err")"
		return
	fi
	local group
	for group in alloc open read write stdout mkdir elf; do
		rm -rf "$save"
		rm -f "$tmp/sites"
		FAILINJ_SITES=$tmp/sites run "$group" 0 0 "${args[@]}"
		local count nsites
		count=$(cat "$tmp/count" 2>/dev/null)
		if [ -z "$count" ] || [ $rc -ne 0 ] || [ ! -f "$tmp/sites" ]; then
			ok 1 "$name, $group: the run that counts the calls"
			continue
		fi
		[ "$count" -eq 0 ] && continue
		nsites=$(wc -l <"$tmp/sites")
		# every call up to $max of them; above, the first call of each call site
		# and $max more evenly spaced from the first call to the last
		local n k runs=0 bad= nfail=0 nths=()
		if [ "$count" -le "$max" ]; then
			nths=($(seq 1 "$count"))
		else
			nths=($( { cat "$tmp/sites"
				for ((k = 0; k < max; k++)); do
					echo $((1 + k * (count - 1) / (max - 1)))
				done; } | sort -nu))
		fi
		for n in "${nths[@]}"; do
			local errno
			case $group in
			open) errno=EACCES; [ $((n % 2)) -eq 0 ] && errno=EMFILE ;;
			read) errno=EIO ;;
			alloc | elf) errno=ENOMEM ;;
			stdout) errno=ENOSPC; [ $((n % 2)) -eq 0 ] && errno=EPIPE ;;
			*) errno=ENOSPC ;;
			esac
			rm -rf "$save"
			run "$group" "$n" "$errno" "${args[@]}"
			runs=$((runs + 1))
			[ $rc -eq 0 ] || nfail=$((nfail + 1))
			if ! judge "$name" "$group" "$errno" "$live" "$json" "$save"; then
				[ -z "$bad" ] && bad="call $n ($errno): $why: $(head -c 300 "$tmp/err")"
			fi
		done
		[ -z "$bad" ]
		ok $? "$name, $group: $runs runs of $count calls from $nsites call sites, each a report or a clean error ($nfail failed)"
		[ -z "$bad" ] || diag "$bad"
	done
	rm -rf "$save"
}

# the commands over two moments and over the machine: --diff of a snapshot and a
# JSON document of the sleep (files: the same bytes each run), of a snapshot and the
# live sleep, --watch (two samples), --all narrowed to the sleep (one worker: the
# calls in the same order each run), its objects and users, and OpenMetrics
"$VMLAYOUT" --save "$tmp/moment" "$sleep_pid" >/dev/null 2>&1 ||
	bail_out "--save $sleep_pid failed"
"$VMLAYOUT" --json "$sleep_pid" >"$tmp/moment.json" 2>/dev/null ||
	bail_out "--json $sleep_pid failed"
only=${FAULTS_ONLY:-}
if [ -z "$only" ] || [ "$only" = moments ]; then
walk "--diff snapshot JSON" 0 0 --diff "$tmp/moment" "$tmp/moment.json"
walk "--diff --json snapshot JSON" 0 1 --diff --json "$tmp/moment" "$tmp/moment.json"
walk "--diff snapshot live" 1 1 --diff --json "$tmp/moment" "$sleep_pid"
walk "--watch --json-lines" 1 2 --watch=0.01 --count=2 --json-lines "$sleep_pid"
walk "--all" 1 0 --all --jobs 1 "$sleep_pid"
walk "--all --objects --json" 1 1 --all --objects --json --jobs 1 "$sleep_pid"
walk "--all --users --openmetrics" 1 0 --all --users --openmetrics --jobs 1 "$sleep_pid"
fi
[ "$only" = moments ] && done_testing

walk "live text" 1 0 "$sleep_pid"
walk "live --json" 1 1 --json "$sleep_pid"
walk "--save" 1 0 --save SAVE "$sleep_pid"
walk "snapshot text" 0 0 "$top_srcdir/tests/snapshots/libs/"
walk "snapshot --json" 0 1 --json "$top_srcdir/tests/snapshots/libs/"
elf=$top_builddir/tests/target-pie
[ -x "$elf" ] || elf=/bin/ls
walk "ELF file" 0 0 "$elf"
walk "ELF file --json" 0 1 --json "$elf"
if command -v gdb >/dev/null 2>&1; then
	gdb -q -batch -nx -p "$sleep_pid" -ex "gcore $tmp/core" >"$tmp/gdb" 2>&1
	if [ -s "$tmp/core" ]; then
		walk "core --json" 0 1 --json "$tmp/core"
	else
		skip "core" "gcore wrote no core: $(tail -1 "$tmp/gdb")"
	fi
else
	skip "core" "gdb not found"
fi

done_testing

#!/bin/bash
# cli.sh - the command line: usage errors, the errors about the process, and
# that a good command line works (PID, NAME, --json, a closed pipe).
#
# Usage errors exit 64, a process that cannot be analysed exits 1, and an
# error never writes to stdout.  The processes the tests look at are real:
# this shell, processes it starts (under names of its own, a zombie), PID 1
# and a kernel thread.
#
# Environment (set by make check): VMLAYOUT, top_srcdir, JQ (empty: no jq).
: "${top_srcdir:=.}"
. "$top_srcdir/tests/tap.sh"

[ -n "${VMLAYOUT:-}" ] && [ -x "$VMLAYOUT" ] || skip_all "no program at '${VMLAYOUT:-}'"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-cli.XXXXXX") || bail_out "mktemp failed"
started=()
cleanup() {
	local p
	for p in "${started[@]}"; do
		kill "$p" 2> /dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

try_help="Try 'vmlayout --help'"

# run ARG...: run vmlayout; stdout in $tmp/out, stderr in $tmp/err, status in $rc.
run() {
	"$VMLAYOUT" "$@" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	cmd="vmlayout $*"
}

# show: after a failed check, what the last run did.
show() {
	diag "$cmd: exit status $rc"
	[ -s "$tmp/out" ] && diag "stdout: $(head -c 300 "$tmp/out")"
	[ -s "$tmp/err" ] && diag "stderr: $(head -c 300 "$tmp/err")"
}

# check DESC: report the status of the last command as a test; after a
# failure, show what the last run did.
check() {
	local st=$?
	ok $st "$1"
	[ $st -eq 0 ] || show
	return $st
}

# usage_error DESC TEXT: the last run was a usage error: exit 64, nothing on
# stdout; on stderr a message that starts with "vmlayout: " and holds TEXT,
# then the "Try" line.
usage_error() {
	[ "$rc" -eq 64 ] && [ ! -s "$tmp/out" ] &&
		head -n 1 "$tmp/err" | grep -q '^vmlayout: ' &&
		grep -Fq -- "$2" "$tmp/err" && grep -Fq -- "$try_help" "$tmp/err"
	check "$1"
}

# process_error DESC MESSAGE: the last run failed with exit 1, nothing on
# stdout, and MESSAGE as the one line on stderr.
process_error() {
	[ "$rc" -eq 1 ] && [ ! -s "$tmp/out" ] &&
		[ "$(cat "$tmp/err")" = "$2" ]
	check "$1" || diag "expected stderr: $2"
}

# stat_field PID N: field N (3 = state, 9 = flags) of /proc/PID/stat; the
# command name in field 2 may hold spaces and parentheses.
stat_field() {
	local line rest
	local -a f
	{ read -r line < "/proc/$1/stat"; } 2> /dev/null || return 1
	rest=${line##*) }
	read -r -a f <<< "$rest"
	printf '%s\n' "${f[$2 - 3]}"
}

# wait_for TRIES COMMAND...: run COMMAND until it succeeds, at most TRIES
# times, 0.05 s apart.  (A bound on the waiting, not a time limit on a test.)
wait_for() {
	local n=$1
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.05
		n=$((n - 1))
	done
	return 1
}

sleep_bin=$(type -P sleep) || bail_out "no sleep program"

# has_comm PID NAME: the command name of PID is NAME.
has_comm() { [ "$(cat "/proc/$1/comm" 2> /dev/null)" = "$2" ]; }

# start_named NAME: start a sleeping process whose command name is NAME (comm
# is the base name of the executed path, here a symbolic link to sleep); its
# PID in $REPLY.
start_named() {
	ln -sf "$sleep_bin" "$tmp/$1" || return 1
	(exec -a sleep "$tmp/$1" 600) < /dev/null > /dev/null 2>&1 &
	REPLY=$!
	started+=("$REPLY")
	wait_for 200 has_comm "$REPLY" "$1"
}

# ------------------------------------------------------------ usage errors
run --no-such-option $$
usage_error "an unknown long option is a usage error" "no-such-option"

run -Z $$
usage_error "an unknown short option is a usage error" "Z"

run --color=bogus $$
usage_error "--color=bogus is a usage error" "bogus"

run
usage_error "no PID or NAME is a usage error" "missing PID or process name"

run -o NOSUCH $$
usage_error "an unknown column is a usage error" "unknown column 'NOSUCH'"

VMLAYOUT_COLUMNS=START,NOSUCH run --vmas $$
usage_error "an unknown column in VMLAYOUT_COLUMNS is a usage error" "VMLAYOUT_COLUMNS"

run --sort NOSUCH $$
usage_error "--sort with an unknown column is a usage error" "NOSUCH"

run --role nosuch $$
usage_error "an unknown role is a usage error" "unknown role 'nosuch'"

run --region code,nosuch $$
usage_error "an unknown region is a usage error" "unknown region 'nosuch'"

run --perms rq $$
usage_error "a bad --perms letter is a usage error" "'q'"

run --raw --pairs $$
usage_error "--raw and --pairs together are a usage error" "exclude each other"

run --summary --json $$
usage_error "--summary with --json is a usage error" "--summary"

run --vmas --addr 1000 $$
usage_error "--addr with --vmas is a usage error" "--addr"

run --output
usage_error "-o without its value is a usage error" "output"

for u in "-o NOSUCH" "--role nosuch" "--no-such-option"; do
	run $u $$
	[ "$(wc -l < "$tmp/err")" -eq 2 ]
	check "vmlayout $u: one line of reason, one 'Try' line"
done

run 'x y'
usage_error "'x y' is a usage error" "vmlayout: 'x y': not a PID, process name or path"

# ------------------------------------------------------ the process is wrong
run 999999999
process_error "PID 999999999: no such process" "vmlayout: PID 999999999: no such process"

pid_max=$(cat /proc/sys/kernel/pid_max 2> /dev/null)
if [ -n "$pid_max" ]; then
	above=$((pid_max + 1))
	run "$above"
	process_error "PID $above, above pid_max: no such process" \
		"vmlayout: PID $above: no such process"
	run --save "$tmp/save-none" "$above"
	process_error "--save of a PID above pid_max: the same message" \
		"vmlayout: PID $above: no such process"
else
	skip "a PID above pid_max: no such process" "no /proc/sys/kernel/pid_max"
fi

missing=vmlt-none-$$
while [ ${#missing} -gt 15 ]; do missing=${missing%?}; done	# comm: 15 bytes
if grep -Fqx -- "$missing" /proc/[0-9]*/comm 2> /dev/null; then
	skip "a name no process has" "a process is named $missing"
else
	run "$missing"
	process_error "a name no process has" "vmlayout: no process named '$missing'"
fi

kthread=
flags=$(stat_field 2 9) && [ $((flags & 0x200000)) -ne 0 ] && kthread=2 # PF_KTHREAD
if [ -n "$kthread" ]; then
	run "$kthread"
	process_error "PID 2 (kthreadd) is a kernel thread" \
		"vmlayout: PID 2: kernel thread: it has no user address space"
	run --save "$tmp/save-kthread" "$kthread"
	process_error "--save of a kernel thread: the same message" \
		"vmlayout: PID 2: kernel thread: it has no user address space"
else
	skip "PID 2 is a kernel thread" "PID 2 is not a kernel thread here"
fi

# A zombie: a child that has exited and that its parent does not wait for.
# perl resets SIGCHLD (an inherited SIG_IGN would make the kernel reap the
# child at once); without perl, a shell that execs sleep leaves its
# background child unreaped.
if command -v perl > /dev/null 2>&1; then
	perl -e '$SIG{CHLD} = "DEFAULT"; $| = 1;
		my $p = fork(); defined $p or die "fork: $!";
		if ($p == 0) { exit 0; }
		print "$p\n"; sleep 600;' < /dev/null > "$tmp/zombie" 2> /dev/null &
else
	sh -c 'sleep 0 > /dev/null & echo $!; exec sleep 600' \
		< /dev/null > "$tmp/zombie" 2> /dev/null &
fi
started+=($!)
zombie=
have_line() { [ -s "$tmp/zombie" ]; }
is_zombie() { [ "$(stat_field "$1" 3)" = Z ]; }
if wait_for 200 have_line; then
	read -r zombie < "$tmp/zombie"
	wait_for 200 is_zombie "$zombie" || zombie=
fi
if [ -n "$zombie" ]; then
	run "$zombie"
	process_error "a zombie: no address space" "vmlayout: PID $zombie: a zombie (no address space)"
	run --save "$tmp/save-zombie" "$zombie"
	process_error "--save of a zombie: the same message, once" \
		"vmlayout: PID $zombie: a zombie (no address space)"
	test ! -e "$tmp/save-zombie"
	check "--save of a zombie: no directory left"
else
	skip "a zombie: no address space" "could not make a zombie"
fi

if [ "$(id -u)" -eq 0 ]; then
	skip "PID 1 of another user: permission denied" "running as root"
elif [ "$(awk '/^Uid:/ { print $2 }' /proc/1/status 2> /dev/null)" = "$(id -u)" ]; then
	skip "PID 1 of another user: permission denied" "PID 1 is ours"
else
	run 1
	process_error "PID 1 of another user: permission denied" \
		"vmlayout: PID 1: permission denied: reading smaps needs ptrace read access (run as the process's owner or root)"
fi

# ---------------------------------------------------------------- it works
run $$
[ "$rc" -eq 0 ] && [ -s "$tmp/out" ]
check "vmlayout \$\$ shows this shell"

for opts in -b --bytes --ascii --color --color=auto --color=always --color=never \
	--diagram --summary --objects -v --vmas -r -P -n --output-all --json-lines \
	"--sort RSS" "-o RSS" "--role text" "--region mmap" "--perms r" "--object no-such-object" \
	"--addr 1000"; do
	run $opts $$
	[ "$rc" -eq 0 ] && [ -s "$tmp/out" ]
	check "vmlayout $opts \$\$ works"
done

# Several PIDs and names: one report each; a failure does not stop the others.
run --summary $$ $$
[ "$rc" -eq 0 ] && [ "$(grep -c '^pid ' "$tmp/out")" -eq 2 ]
check "vmlayout \$\$ \$\$: two reports"

missing=vmlt-none-$$
while [ ${#missing} -gt 15 ]; do missing=${missing%?}; done
run --summary $$ "$missing"
[ "$rc" -eq 1 ] && [ "$(grep -c '^pid ' "$tmp/out")" -eq 1 ] &&
	[ "$(cat "$tmp/err")" = "vmlayout: no process named '$missing'" ]
check "a PID and a missing NAME: the PID's report, the error, exit 1"

# A closed pipe is no error: exit 0 (or death by SIGPIPE), nothing on stderr.
for opts in "" --json --vmas "--vmas --json" --json-lines "--addr 1000" --list-columns; do
	"$VMLAYOUT" $opts $$ $$ 2> "$tmp/err" | head -n 1 > /dev/null
	rc=${PIPESTATUS[0]}
	cmd="vmlayout${opts:+ $opts} \$\$ \$\$ | head -n 1"
	{ [ "$rc" -eq 0 ] || [ "$rc" -eq 141 ]; } && [ ! -s "$tmp/err" ]
	: > "$tmp/out"
	check "$cmd: no error"
done

# --json, and NAME for a process of a unique name.
for opts in --json -j; do
	run $opts $$
	if [ -z "${JQ:-}" ]; then
		[ "$rc" -eq 0 ] && [ -s "$tmp/out" ]
		check "vmlayout $opts \$\$ works (no jq to parse it)"
	else
		[ "$rc" -eq 0 ] && "$JQ" -e --argjson pid $$ \
			'.schema == 1 and .process.pid == $pid' < "$tmp/out" > /dev/null
		check "vmlayout $opts \$\$ is JSON about this shell"
	fi
done

name=vmlt-$$
if start_named "$name"; then
	pid=$REPLY
	run --json "$name"
	if [ -n "${JQ:-}" ]; then
		[ "$rc" -eq 0 ] && "$JQ" -e --argjson pid "$pid" --arg name "$name" \
			'.process.pid == $pid and .process.comm == $name' \
			< "$tmp/out" > /dev/null
		check "vmlayout --json $name finds PID $pid"
	else
		[ "$rc" -eq 0 ] && [ -s "$tmp/out" ]
		check "vmlayout --json $name works (no jq to check the PID)"
	fi
else
	skip "vmlayout NAME finds the process" "could not start a process named $name"
fi

# A name that two processes share.
name=vmlt2-$$
if start_named "$name" && pid1=$REPLY && start_named "$name"; then
	pid2=$REPLY
	run "$name"
	[ "$rc" -eq 1 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l < "$tmp/err")" -eq 1 ] &&
		grep -Fq "vmlayout: several processes are named '$name': " "$tmp/err" &&
		grep -Eq ":( [0-9]+)* $pid1( |\$)" "$tmp/err" &&
		grep -Eq ":( [0-9]+)* $pid2( |\$)" "$tmp/err"
	check "a name of two processes is an error that lists PIDs $pid1 and $pid2"
else
	skip "a name of two processes" "could not start two processes named $name"
fi

done_testing

#!/bin/bash
# mk-fixtures.sh - record the smaps/maps fixtures of tests/fixtures/ from real processes.
#
# Usage: tests/mk-fixtures.sh [OUTDIR]     (default: tests/fixtures beside this script)
# Environment: CC (default cc).  Needs a C compiler; -m32 support for m32.smaps.
#
# It compiles a small recorder program (below) and the layout target (tests/target.c),
# starts them, copies their /proc/PID/smaps and /proc/PID/maps, and keeps only the VMAs
# each fixture is about (whole VMA blocks: header line and every line after it, as the
# kernel printed them; nothing is edited).  The fixtures:
#
#   spaces.smaps    a file whose name has spaces (two in a row, one at the end) and a
#                   tab, 3 pages, every page read; and the recorder's first VMA
#   newline.smaps   a file whose name has a newline (the kernel prints \012), 4 pages,
#                   mapped 2 pages from file offset 0x1000; also newline.maps
#   deleted.smaps   a 5-page file mapped then unlinked ("... (deleted)"); memfd_create("x")
#                   4 pages, written ("/memfd:x (deleted)")
#   shm.smaps       shared anonymous memory, 6 pages ("/dev/zero (deleted)"), a file in
#                   /dev/shm, 7 pages, and a System V segment, 8 pages
#                   ("/SYSV00000000 (deleted)"), each written
#   m32.smaps       a -m32 process (8-digit addresses): its executable's VMAs, [heap],
#                   [stack], [vdso]; also m32.maps
#   target.smaps    the whole layout target (tests/target.c) built as a PIE; also
#                   target.maps
#
# The names hold the recorder's temporary directory: the tests compare what follows the
# last '/'.  The kernel here is built without CONFIG_ANON_VMA_NAME (prctl
# PR_SET_VMA_ANON_NAME fails with EINVAL), so no fixture has an "[anon:NAME]" VMA; record
# one on a kernel that has it before relying on it.
set -u
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/fixtures}
CC=${CC:-cc}
mkdir -p "$out" || exit 1

work=$(mktemp -d "${TMPDIR:-/tmp}/vmlayout-fix.XXXXXX") || exit 1
pid=
cleanup() {
	[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

cat >"$work/rec.c" <<'EOF'
/* rec.c - lays out the mappings of the fixtures, says "ready", waits for EOF on stdin. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

static char paths[3][4096];
static int n_paths;

static void die(const char *what)
{
	fprintf(stderr, "rec: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* A file of pages pages in dir; returns its fd. */
static int make_file(const char *dir, const char *name, long pages, char *path)
{
	char page[4096];
	int fd;

	snprintf(path, 4096, "%s/%s", dir, name);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		die(path);
	memset(page, 'x', sizeof(page));
	for (long i = 0; i < pages; i++)
		if (write(fd, page, sizeof(page)) != (ssize_t)sizeof(page))
			die("write");
	return fd;
}

static void touch(volatile char *p, long pages, int write_it)
{
	for (long i = 0; i < pages; i++) {
		if (write_it)
			p[i * 4096] = 1;
		else
			(void)p[i * 4096];
	}
}

static char *map(int fd, long pages, long off_pages, int prot, int flags)
{
	char *p = mmap(NULL, (size_t)pages * 4096, prot, flags, fd, (off_t)off_pages * 4096);

	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	char path[4096], c;
	char *p;
	int fd, id;

	if (argc > 2) {		/* "small": no mappings (the m32 fixture) */
		puts("ready");
		fflush(stdout);
		while (read(0, &c, 1) > 0)
			;
		return 0;
	}

	fd = make_file(dir, "a file  with\ttab and trailing space ", 3, paths[n_paths++]);
	touch(map(fd, 3, 0, PROT_READ, MAP_PRIVATE), 3, 0);
	close(fd);

	fd = make_file(dir, "new\nline.dat", 4, paths[n_paths++]);
	touch(map(fd, 2, 1, PROT_READ, MAP_PRIVATE), 2, 0);
	close(fd);

	fd = make_file(dir, "gone.dat", 5, path);
	touch(map(fd, 5, 0, PROT_READ, MAP_PRIVATE), 5, 0);
	close(fd);
	unlink(path);

	fd = memfd_create("x", 0);
	if (fd < 0 || ftruncate(fd, 4 * 4096) != 0)
		die("memfd");
	touch(map(fd, 4, 0, PROT_READ | PROT_WRITE, MAP_SHARED), 4, 1);
	close(fd);

	p = map(-1, 6, 0, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
	touch(p, 6, 1);

	snprintf(path, sizeof(path), "vmlayout-fixture-%d", (int)getpid());
	fd = make_file("/dev/shm", path, 7, paths[n_paths++]);
	touch(map(fd, 7, 0, PROT_READ | PROT_WRITE, MAP_SHARED), 7, 1);
	close(fd);

	id = shmget(IPC_PRIVATE, 8 * 4096, IPC_CREAT | 0600);
	if (id < 0)
		die("shmget");
	p = shmat(id, NULL, 0);
	shmctl(id, IPC_RMID, NULL);	/* goes when detached */
	if (p == (void *)-1)
		die("shmat");
	touch(p, 8, 1);

	puts("ready");
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	for (int i = 0; i < n_paths; i++)
		unlink(paths[i]);
	return 0;
}
EOF

"$CC" -std=gnu11 -O0 -Wall -Wextra -o "$work/rec" "$work/rec.c" || exit 1
"$CC" -std=gnu11 -O0 -fPIE -pie -pthread -o "$work/target" "$here/target.c" || exit 1
m32=0
if "$CC" -std=gnu11 -O0 -m32 -o "$work/rec32" "$work/rec.c" 2>/dev/null; then
	m32=1
else
	echo "mk-fixtures: $CC cannot build -m32: m32.smaps not recorded" >&2
fi

# start PROGRAM ARGS...: start it with its stdin on a pipe; wait for "ready".
start() {
	local line
	coproc REC { exec "$@"; }
	pid=$REC_PID
	rec_in=${REC[1]}
	while IFS= read -r -t 60 -u "${REC[0]}" line; do
		[ "$line" = ready ] && return 0
	done
	echo "mk-fixtures: $1 did not get ready" >&2
	exit 1
}
stop() {
	eval "exec $rec_in>&-"
	wait "$pid"
	pid=
}

# keep FILE REGEX: the VMA blocks of FILE whose header line matches the extended REGEX.
keep() {
	awk -v re="$2" '
		/^[0-9a-f]+-[0-9a-f]+ / { keep = ($0 ~ re) }
		keep { print }' "$1"
}

start "$work/rec" "$work"
cp "/proc/$pid/smaps" "$work/rec.smaps"
cp "/proc/$pid/maps" "$work/rec.maps"

stop

first=$(head -n 1 "$work/rec.maps" | cut -d' ' -f1)
keep "$work/rec.smaps" "^$first |trailing space $" >"$out/spaces.smaps"
keep "$work/rec.smaps" 'line\.dat$' >"$out/newline.smaps"
keep "$work/rec.maps" "^$first |line\\.dat\$|\\[heap\\]\$|\\[stack\\]\$" >"$out/newline.maps"
keep "$work/rec.smaps" 'gone\.dat \(deleted\)$|/memfd:x \(deleted\)$' >"$out/deleted.smaps"
keep "$work/rec.smaps" '/dev/zero \(deleted\)$|/dev/shm/vmlayout-fixture-|/SYSV[0-9a-f]+ \(deleted\)$' \
	>"$out/shm.smaps"

if [ $m32 = 1 ]; then
	start "$work/rec32" "$work" small
	cp "/proc/$pid/smaps" "$work/rec32.smaps"
	cp "/proc/$pid/maps" "$work/rec32.maps"
	stop
	re="$work/rec32\$|\\[heap\\]\$|\\[stack\\]\$|\\[vdso\\]\$"
	keep "$work/rec32.smaps" "$re" >"$out/m32.smaps"
	keep "$work/rec32.maps" "$re" >"$out/m32.maps"
fi

start env TMPDIR="$work" "$work/target"
cp "/proc/$pid/smaps" "$out/target.smaps"
cp "/proc/$pid/maps" "$out/target.maps"
stop

chmod 0644 "$out"/*.smaps "$out"/*.maps
ls -l "$out"

/* target.c - a process with a known address-space layout, for the live tests.
 *
 * Built by Makefile.am as tests/target-pie, target-nopie, target-m32 (-m32, PIE) and
 * target-static-pie.  It lays out one region of each kind, touches what it says it
 * touches, prints one line per region on stdout:
 *
 *	pid PID
 *	exe PATH
 *	NAME ADDR LEN [EXTRA]
 *	...
 *	ready
 *
 * ADDR is 0x-hex (lower case); LEN is a decimal byte count; EXTRA depends on NAME.
 * The one exception: "thread_stack ADDR TID" has the thread's TID in place of LEN.
 *
 *	data          64 KiB initialised global (.data)            role data, region data
 *	rodata        8 KiB const global (.rodata)                 role rodata
 *	text          a function                                   role text, region code
 *	bss           10 MiB zero-initialised array (.bss), of which exactly the first 2 MiB
 *	              is touched (one byte written per page)       role bss, region bss
 *	relro         a const table of function pointers.  The PIE variants (pie, m32,
 *	              static-pie) need a relocation for it, so the compiler puts it in
 *	              .data.rel.ro, inside PT_GNU_RELRO: role relro.  In the -no-pie
 *	              variant no relocation is needed: it is in .rodata, role rodata.
 *	heap          sbrk() growth of 1 MiB, every page touched   role heap.  (For a
 *	              static PIE the kernel puts the brk area away from the executable,
 *	              but it is still the [heap] VMA.)
 *	anon          3 MiB private anonymous mmap, touched; placed between two PROT_NONE
 *	              pages so that it never merges with a neighbour: its VMA is exactly
 *	              3 MiB with RSS 3 MiB                          role anon, region mmap
 *	shm           1 MiB MAP_SHARED|MAP_ANONYMOUS, touched       role shm
 *	file          a 256 KiB regular file (not ELF) mapped MAP_PRIVATE read-only, every
 *	              page read: its VMA has size = RSS = 256 KiB   role file
 *	              EXTRA: the file's path
 *	deleted       a 16 KiB file mapped, then unlinked           role file, deleted
 *	              EXTRA: the path (without " (deleted)")
 *	weird         a 16 KiB file whose name holds a space, a newline and the byte 0xff
 *	              EXTRA: the path's bytes in lower-case hex
 *	memfd         memfd_create("vmlayout test"), 64 KiB, MAP_SHARED   role shm
 *	thread_stack  a local of a second thread, blocked in read(2) on a pipe; the line
 *	              is "thread_stack ADDR TID"                    role thread_stack
 *	stack         a local of main()                             role stack
 *	guard         a 64 KiB PROT_NONE mmap                       role guard
 *
 * Transparent huge pages are disabled for the process (PR_SET_THP_DISABLE) so that
 * the RSS figures above are exact.  "ready" is printed only once the second thread
 * is blocked in its system call (its /proc/self/task/TID/syscall is not "running").
 *
 * It then waits: read(2) on stdin until end of file, or until SIGTERM, SIGINT or SIGHUP;
 * and exits by itself after 600 s so that it can never be left behind.  The files it
 * created are removed at exit, also from the signal handler.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define KiB 1024UL
#define MiB (1024UL * 1024UL)

#define DATA_LEN	(64 * KiB)
#define RODATA_LEN	(8 * KiB)
#define BSS_LEN		(10 * MiB)
#define BSS_TOUCHED	(2 * MiB)
#define HEAP_LEN	(1 * MiB)
#define ANON_LEN	(3 * MiB)
#define SHM_LEN		(1 * MiB)
#define FILE_LEN	(256 * KiB)
#define SMALL_FILE_LEN	(16 * KiB)
#define MEMFD_LEN	(64 * KiB)
#define GUARD_LEN	(64 * KiB)
#define LIFETIME	600	/* seconds */

/* .data: initialised, non-zero. */
char target_data[DATA_LEN] = { 1, 2, 3, 4 };
/* .rodata */
const char target_rodata[RODATA_LEN] = { 5, 6, 7, 8 };
/* .bss: page aligned so that the touched pages all lie in the anonymous bss VMA
 * and not in the file-backed page that ends the data segment. */
static char target_bss[BSS_LEN] __attribute__((aligned(4096)));

static void noop_a(void);
static void noop_b(void);
static void noop_a(void) { }
static void noop_b(void) { }
/* .data.rel.ro in a PIE (relocated pointers), .rodata otherwise. */
static void (*const target_relro[])(void) = { noop_a, noop_b };

/* Paths to remove at exit; written before any signal handler can run. */
#define MAX_CLEANUP 4
static char cleanup_path[MAX_CLEANUP][PATH_MAX];
static volatile sig_atomic_t n_cleanup;

static void cleanup(void)
{
	for (int i = 0; i < n_cleanup; i++)
		unlink(cleanup_path[i]);	/* async-signal-safe */
}

static void on_signal(int sig)
{
	cleanup();
	_exit(128 + sig);
}

static void die(const char *what)
{
	fprintf(stderr, "target: %s: %s\n", what, strerror(errno));
	cleanup();
	exit(2);
}

static void print_region(const char *name, const void *addr, size_t len)
{
	printf("%s 0x%" PRIxPTR " %zu\n", name, (uintptr_t)addr, len);
}

/* Create a file of len bytes (content: a repeating non-ELF pattern) in dir. */
static int make_file(const char *dir, const char *name, size_t len, char *path, size_t size,
		     int remember)
{
	char block[4096];
	int fd;

	if ((size_t)snprintf(path, size, "%s/%s", dir, name) >= size) {
		errno = ENAMETOOLONG;
		die("file name");
	}
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		die(path);
	if (remember) {
		memcpy(cleanup_path[n_cleanup], path, strlen(path) + 1);
		n_cleanup++;
	}
	for (size_t i = 0; i < sizeof(block); i++)
		block[i] = (char)('a' + i % 26);
	for (size_t done = 0; done < len; done += sizeof(block)) {
		if (write(fd, block, sizeof(block)) != (ssize_t)sizeof(block))
			die("write");
	}
	return fd;
}

/* Map len bytes of fd read-only and read every page. */
static const char *map_and_read(int fd, size_t len, size_t page)
{
	const volatile char *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	unsigned sum = 0;

	if (p == MAP_FAILED)
		die("mmap file");
	for (size_t i = 0; i < len; i += page)
		sum += (unsigned char)p[i];
	if (sum == 0)
		die("file content");
	return (const char *)p;
}

static void print_hex_line(const char *name, const void *addr, size_t len, const char *s)
{
	printf("%s 0x%" PRIxPTR " %zu ", name, (uintptr_t)addr, len);
	for (; *s; s++)
		printf("%02x", (unsigned)(unsigned char)*s);
	putchar('\n');
}

/* The second thread: tells main where its stack is, then blocks in read(2). */
struct thread_arg {
	int ready_fd;		/* write end: the thread writes one byte when set */
	int block_fd;		/* read end of a pipe nobody writes to */
	volatile uintptr_t local;
	volatile pid_t tid;
};

static void *thread_main(void *p)
{
	struct thread_arg *a = p;
	char c = 0;
	volatile int local = 42;

	a->local = (uintptr_t)&local;
	a->tid = gettid();
	if (write(a->ready_fd, &c, 1) != 1)
		die("write pipe");
	while (read(a->block_fd, &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

/* Wait until thread tid is inside a system call: its task/TID/syscall starts with a
 * number rather than "running".  Bounded: gives up after many tries. */
static void wait_blocked(pid_t tid)
{
	char path[64], buf[64];

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	for (long tries = 0; tries < 10000000L; tries++) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n;

		if (fd < 0)
			return;		/* no such file (no CONFIG_HAVE_ARCH_TRACEHOOK) */
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			return;
		if (buf[0] >= '0' && buf[0] <= '9')
			return;
		sched_yield();
	}
	fprintf(stderr, "target: thread %d never blocked\n", (int)tid);
}

int main(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char dir[PATH_MAX], path[PATH_MAX], exe[PATH_MAX];
	const char *tmp = getenv("TMPDIR");
	struct sigaction sa;
	struct thread_arg targ;
	int ready[2], block[2];
	pthread_t thread;
	volatile int stack_local = 1;
	ssize_t n;
	char c;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	alarm(LIFETIME);

	/* Exact RSS figures: no transparent huge pages. */
	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);

	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	if (realpath(tmp, dir) == NULL)	/* the kernel prints resolved paths */
		die(tmp);

	printf("pid %d\n", (int)getpid());
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		die("readlink /proc/self/exe");
	exe[n] = '\0';
	printf("exe %s\n", exe);

	print_region("data", target_data, sizeof(target_data));
	print_region("rodata", target_rodata, sizeof(target_rodata));
	printf("text 0x%" PRIxPTR " 1\n", (uintptr_t)main);

	for (size_t i = 0; i < BSS_TOUCHED; i += page)
		((volatile char *)target_bss)[i] = 1;
	print_region("bss", target_bss, sizeof(target_bss));

	printf("relro 0x%" PRIxPTR " %zu\n", (uintptr_t)target_relro, sizeof(target_relro));
	target_relro[0]();

	{
		/* make sure stdio has its buffer before the break moves */
		fflush(stdout);
		char *h = sbrk((intptr_t)HEAP_LEN);

		if (h == (void *)-1)
			die("sbrk");
		for (size_t i = 0; i < HEAP_LEN; i += page)
			((volatile char *)h)[i] = 1;
		print_region("heap", h, HEAP_LEN);
	}

	{
		/* PROT_NONE page, 3 MiB read-write, PROT_NONE page */
		char *r = mmap(NULL, ANON_LEN + 2 * page, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (r == MAP_FAILED)
			die("mmap anon");
		if (mprotect(r + page, ANON_LEN, PROT_READ | PROT_WRITE) != 0)
			die("mprotect anon");
		for (size_t i = 0; i < ANON_LEN; i += page)
			((volatile char *)r)[page + i] = 1;
		print_region("anon", r + page, ANON_LEN);
	}

	{
		char *s = mmap(NULL, SHM_LEN, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		if (s == MAP_FAILED)
			die("mmap shm");
		for (size_t i = 0; i < SHM_LEN; i += page)
			((volatile char *)s)[i] = 1;
		print_region("shm", s, SHM_LEN);
	}

	{
		char name[64];
		const char *m;

		snprintf(name, sizeof(name), "vmlayout-target-%d.dat", (int)getpid());
		fd = make_file(dir, name, FILE_LEN, path, sizeof(path), 1);
		m = map_and_read(fd, FILE_LEN, page);
		close(fd);
		printf("file 0x%" PRIxPTR " %lu %s\n", (uintptr_t)m, FILE_LEN, path);
	}

	{
		char name[64];
		const char *m;

		snprintf(name, sizeof(name), "vmlayout-target-%d.deleted", (int)getpid());
		fd = make_file(dir, name, SMALL_FILE_LEN, path, sizeof(path), 1);
		m = map_and_read(fd, SMALL_FILE_LEN, page);
		close(fd);
		if (unlink(path) != 0)
			die("unlink");
		printf("deleted 0x%" PRIxPTR " %lu %s\n", (uintptr_t)m, SMALL_FILE_LEN, path);
	}

	{
		char name[64];
		const char *m;

		snprintf(name, sizeof(name), "vmlayout target %d\n\xff.dat", (int)getpid());
		fd = make_file(dir, name, SMALL_FILE_LEN, path, sizeof(path), 1);
		m = map_and_read(fd, SMALL_FILE_LEN, page);
		close(fd);
		print_hex_line("weird", m, SMALL_FILE_LEN, path);
	}

	{
		char *m;

		fd = memfd_create("vmlayout test", MFD_CLOEXEC);
		if (fd < 0)
			die("memfd_create");
		if (ftruncate(fd, (off_t)MEMFD_LEN) != 0)
			die("ftruncate");
		m = mmap(NULL, MEMFD_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (m == MAP_FAILED)
			die("mmap memfd");
		close(fd);
		m[0] = 1;
		print_region("memfd", m, MEMFD_LEN);
	}

	{
		/* between two read-write pages of its own, so that the kernel never
		 * merges it with a PROT_NONE neighbour (a thread stack's guard page):
		 * a larger ---p VMA would be a reservation */
		long pg = sysconf(_SC_PAGESIZE);
		char *g = mmap(NULL, GUARD_LEN + 2 * (size_t)pg, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (g == MAP_FAILED || mprotect(g + pg, GUARD_LEN, PROT_NONE) != 0)
			die("mmap guard");
		print_region("guard", g + pg, GUARD_LEN);
	}

	if (pipe2(ready, O_CLOEXEC) != 0 || pipe2(block, O_CLOEXEC) != 0)
		die("pipe");
	memset(&targ, 0, sizeof(targ));
	targ.ready_fd = ready[1];
	targ.block_fd = block[0];
	errno = pthread_create(&thread, NULL, thread_main, &targ);
	if (errno != 0)
		die("pthread_create");
	while ((n = read(ready[0], &c, 1)) < 0 && errno == EINTR)
		;
	if (n != 1)
		die("read pipe");
	wait_blocked(targ.tid);
	printf("thread_stack 0x%" PRIxPTR " %d\n", (uintptr_t)targ.local, (int)targ.tid);

	print_region("stack", (const void *)&stack_local, sizeof(stack_local));
	puts("ready");
	if (fflush(stdout) != 0)
		die("stdout");

	while ((n = read(STDIN_FILENO, &c, 1)) != 0) {
		if (n < 0 && errno != EINTR)
			break;
	}
	cleanup();
	return 0;
}

/* mkvmas.c - a process with N VMAs that the kernel cannot merge, for the benchmark.
 *
 *	bench/mkvmas [-t SECONDS] [-d DIR] N
 *
 * Creates N one-page VMAs in two runs of adjacent pages, so that the address space is
 * dense, each VMA differing from its neighbours in a way that forbids the kernel to merge
 * them (vma_merge() needs equal flags, the same file or anon_vma, and contiguous pgoff):
 *
 *	anonymous  3/4 of N: private anonymous pages, alternately rw-p and r--p; every page
 *	           is written once before its protection is set, so each VMA has RSS 4 KiB.
 *	file       1/4 of N: one page each of a 64-page regular file this program creates,
 *	           in a cycle of r--p (read), rw-p (written: a private copy) and r--s (read),
 *	           at page offsets 2*i mod 64, so that no two neighbours have contiguous
 *	           offsets either.
 *
 * Each run has an unmapped page on either side, so neither merges with what the process
 * had before.  Transparent huge pages are disabled for the process (PR_SET_THP_DISABLE):
 * one touched page per VMA, not a huge page split across 512 of them.
 *
 * Before it maps anything, it compares N plus the VMAs the process already has with
 * /proc/sys/vm/max_map_count and fails with a message when they do not fit.  Afterwards
 * it counts the lines of /proc/self/maps and warns on stderr when it did not gain exactly
 * N VMAs.  Then it prints one line on stdout and flushes it:
 *
 *	ready PID VMAS
 *
 * (VMAS: the process's total number of VMAs, from /proc/self/maps) and waits: read(2) on
 * stdin until end of file, or until SIGTERM, SIGINT or SIGHUP, or SECONDS (default 900)
 * have passed.  The file (DIR/mkvmas.XXXXXX, DIR default $TMPDIR or /tmp) is removed at
 * exit, also when a signal ends the wait.
 *
 * Exit status: 0 after the wait, 1 when the VMAs could not be made, 64 on a usage error.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "max-map-count.h"

#define FILE_PAGES 64
#define SLACK_VMAS 16	/* what stdio, the file and the guard pages may still add */

static volatile sig_atomic_t stop;
static char file_path[PATH_MAX];

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void remove_file(void)
{
	if (file_path[0])
		unlink(file_path);
}

static void die(const char *what)
{
	fprintf(stderr, "mkvmas: %s: %s\n", what, strerror(errno));
	remove_file();
	exit(1);
}

/* The number of lines of /proc/self/maps, that is, the process's VMAs; -1 on error. */
static long count_vmas(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	long n = 0;
	int c;

	if (!f)
		return -1;
	while ((c = getc_unlocked(f)) != EOF)
		if (c == '\n')
			n++;
	fclose(f);
	return n;
}

/* Reserves LEN bytes of address space plus one page either side, and gives the first
 * usable address; the pages either side are unmapped again so that they stay holes. */
static char *reserve(size_t len, size_t page)
{
	char *p = mmap(NULL, len + 2 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap (reserve)");
	if (munmap(p, page) || munmap(p + page + len, page))
		die("munmap (guard)");
	return p + page;
}

static void make_anon(size_t n, size_t page)
{
	size_t len = n * page;
	char *p;

	if (n == 0)
		return;
	p = reserve(len, page);
	if (mprotect(p, len, PROT_READ | PROT_WRITE))
		die("mprotect (anonymous run)");
	for (size_t i = 0; i < n; i++)
		p[i * page] = 1;
	for (size_t i = 1; i < n; i += 2)
		if (mprotect(p + i * page, page, PROT_READ))
			die("mprotect (anonymous page)");
}

static void make_file(size_t n, size_t page, const char *dir)
{
	char buf[4096];
	char *p;
	int fd;

	if (n == 0)
		return;
	if ((size_t)snprintf(file_path, sizeof(file_path), "%s/mkvmas.XXXXXX", dir)
	    >= sizeof(file_path)) {
		fprintf(stderr, "mkvmas: directory name too long: %s\n", dir);
		file_path[0] = '\0';
		exit(64);
	}
	fd = mkostemp(file_path, O_CLOEXEC);
	if (fd < 0) {
		file_path[0] = '\0';
		die(dir);
	}
	memset(buf, 'v', sizeof(buf));
	for (size_t done = 0; done < FILE_PAGES * page; done += sizeof(buf))
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			die("write (file)");

	p = reserve(n * page, page);
	for (size_t i = 0; i < n; i++) {
		static const int prot[3] = { PROT_READ, PROT_READ | PROT_WRITE, PROT_READ };
		static const int share[3] = { MAP_PRIVATE, MAP_PRIVATE, MAP_SHARED };
		off_t off = (off_t)((2 * i) % FILE_PAGES * page);
		volatile char *q = mmap(p + i * page, page, prot[i % 3],
					share[i % 3] | MAP_FIXED, fd, off);

		if (q == MAP_FAILED)
			die("mmap (file page)");
		if (prot[i % 3] & PROT_WRITE)
			q[0] = 1;
		else
			(void)q[0];
	}
	close(fd);
}

static void usage(void)
{
	fputs("Usage: mkvmas [-t SECONDS] [-d DIR] N\n"
	      "Create N unmergeable one-page VMAs (3/4 anonymous, 1/4 file-backed in DIR),\n"
	      "print \"ready PID VMAS\" and wait for end of file on stdin, SIGTERM, or\n"
	      "SECONDS (default 900).\n", stderr);
	exit(64);
}

int main(int argc, char **argv)
{
	const char *dir = getenv("TMPDIR");
	unsigned long timeout = 900;
	long page = sysconf(_SC_PAGESIZE);
	long before, after, limit;
	struct sigaction sa;
	unsigned long n;
	char *end;
	int opt;

	if (!dir || !*dir)
		dir = "/tmp";
	while ((opt = getopt(argc, argv, "t:d:h")) != -1) {
		switch (opt) {
		case 't':
			errno = 0;
			timeout = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || timeout == 0 || timeout > 86400)
				usage();
			break;
		case 'd':
			dir = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	errno = 0;
	n = strtoul(argv[optind], &end, 10);
	if (errno || *end || end == argv[optind] || n == 0 || n > 100000000UL)
		usage();

	before = count_vmas();
	limit = read_max_map_count();
	if (before < 0 || limit < 0) {
		fprintf(stderr, "mkvmas: cannot read /proc/self/maps or "
			"/proc/sys/vm/max_map_count\n");
		return 1;
	}
	if ((long)n + before + SLACK_VMAS > limit) {
		long room = limit - before - SLACK_VMAS;

		fprintf(stderr, "mkvmas: %lu VMAs do not fit: vm.max_map_count is %ld and this "
			"process already has %ld VMAs, so at most %ld can be made here "
			"(raise it with: sysctl vm.max_map_count=%ld)\n",
			n, limit, before, room > 0 ? room : 0,
			(long)n + before + SLACK_VMAS);
		return 1;
	}

	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	/* No SA_RESTART: a signal must end the read() below. */
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);

	/* Once before the count, so that stdio's buffers are in place. */
	fflush(stdout);
	before = count_vmas();
	make_anon(n - n / 4, (size_t)page);
	make_file(n / 4, (size_t)page, dir);
	after = count_vmas();
	if (after - before != (long)n)
		fprintf(stderr, "mkvmas: warning: asked for %lu VMAs, the process gained %ld\n",
			n, after - before);

	printf("ready %ld %ld\n", (long)getpid(), after);
	if (fflush(stdout))
		die("stdout");

	alarm((unsigned)timeout);
	while (!stop) {
		char c[64];
		ssize_t r = read(STDIN_FILENO, c, sizeof(c));

		if (r == 0 || (r < 0 && errno != EINTR))
			break;
	}
	remove_file();
	return 0;
}

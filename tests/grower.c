/* grower.c - a process that grows by steps on request, for tests/diff.sh and
 * tests/watch.sh: each step a command on stdin, answered on stdout when done, so
 * that a test reads the process between two known steps (no timing).
 *
 *	grower [NAME]
 *
 * NAME: its command name (comm) instead of "grower", so that a test can name it.
 * At start it prints "pid PID" and "ready".  Then one command a line:
 *
 *	heap BYTES     grow the brk heap by BYTES (a multiple of the page size) with
 *	               sbrk(2) from a page boundary, every page written: the [heap]
 *	               VMA grows by BYTES, and its RSS too
 *	mmap N         N new anonymous rw mappings of 64 KiB, each written, each a VMA of
 *	               its own (64 KiB apart: they cannot merge)
 *	dlopen PATH    dlopen(PATH) and call its plug_touch() (tests/libplug.c)
 *	threads N      N new threads, each blocked in pause(); answered when all run
 *	leak BYTES MS  a thread that grows the heap by BYTES every MS milliseconds
 *	               (malloc, written, never freed), for the leak hint of --watch
 *	move           move the first of the mappings of "mmap" to the top of their
 *	               range with mremap(2) (the same size and contents)
 *	extend         grow the last of them in place to twice its size (mremap(2);
 *	               the new half written); only as the last of the "mmap" steps
 *
 * and answers "done" (or "error TEXT").  It exits 0 at end of file on stdin, and
 * by itself after 600 s.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define MAP_LEN (64 * 1024)
#define SPAN (64 * 1024 * 1024)		/* the address range the mappings go into */

static char *area;			/* where the next mapping goes */
static char *area_start;		/* the first mapping */
static char *area_end;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int started;

static void *sleeper(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	started++;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
	for (;;)
		pause();
	return NULL;
}

struct leak {
	size_t bytes;
	long ms;
};

static void *leaker(void *arg)
{
	struct leak *l = arg;
	struct timespec ts = { l->ms / 1000, (l->ms % 1000) * 1000000L };

	for (;;) {
		char *p = malloc(l->bytes);
		if (p)
			memset(p, 1, l->bytes);
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static const char *do_mmap(long n)
{
	for (long i = 0; i < n; i++) {
		if (area + MAP_LEN > area_end)
			return "out of room";
		char *p = mmap(area, MAP_LEN, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (p == MAP_FAILED || p != area)
			return strerror(errno);
		memset(p, 1, MAP_LEN);
		area += 2 * MAP_LEN;
	}
	return NULL;
}

/* "move": the first mapping to the top of the range */
static const char *do_move(void)
{
	char *to = area_end - MAP_LEN;
	char *p = mremap(area_start, MAP_LEN, MAP_LEN, MREMAP_MAYMOVE | MREMAP_FIXED, to);

	return p == MAP_FAILED ? strerror(errno) : NULL;
}

/* "extend": the last mapping to twice its size, in place */
static const char *do_extend(void)
{
	char *last = area - 2 * MAP_LEN;
	char *p = mremap(last, MAP_LEN, 2 * MAP_LEN, 0);

	if (p == MAP_FAILED)
		return strerror(errno);
	memset(p + MAP_LEN, 1, MAP_LEN);
	area += MAP_LEN;	/* a hole again before the next one */
	return NULL;
}

static const char *do_threads(long n)
{
	pthread_t t;

	pthread_mutex_lock(&lock);
	int want = started + (int)n;
	pthread_mutex_unlock(&lock);
	for (long i = 0; i < n; i++)
		if (pthread_create(&t, NULL, sleeper, NULL) != 0)
			return "pthread_create failed";
	pthread_mutex_lock(&lock);
	while (started < want)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	return NULL;
}

static const char *do_dlopen(const char *path)
{
	void *h = dlopen(path, RTLD_NOW);
	char *(*touch)(void);

	if (!h)
		return dlerror();
	*(void **)&touch = dlsym(h, "plug_touch");
	if (!touch)
		return "no plug_touch";
	touch();
	return NULL;
}

int main(int argc, char **argv)
{
	char line[4096];

	if (argc > 1)
		prctl(PR_SET_NAME, argv[1], 0, 0, 0);

	/* malloc keeps to the heap and keeps what is freed: dlopen() and the threads
	 * take their few small blocks from the 256 KiB freed here, so that the brk
	 * heap grows only by what "heap" asks */
	mallopt(M_MMAP_THRESHOLD, 16 << 20);	/* at most 32 MiB (HEAP_MAX_SIZE / 2) */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	static char *volatile pad;	/* volatile: the compiler keeps the calls */
	pad = malloc(256 * 1024);
	if (pad)
		memset(pad, 1, 256 * 1024);	/* resident: its use later adds no RSS */
	free(pad);
	/* an address range of our own for the mappings, far below the mmap area
	 * (which grows down from near the top: thread stacks, libraries), so that
	 * nothing else is ever placed in it */
	area = MAP_FAILED;
	for (uintptr_t base = (uintptr_t)1 << 33; area == MAP_FAILED && base < (uintptr_t)1 << 40;
	     base <<= 1)
		area = mmap((void *)base, SPAN, PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (area == MAP_FAILED)
		return 1;
	munmap(area, SPAN);
	area_start = area;
	area_end = area + SPAN;
	alarm(600);
	printf("pid %d\nready\n", (int)getpid());
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		const char *err = NULL;
		char arg[4000];
		long n = 0, m = 0;
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "heap %ld", &n) == 1) {
			/* from a page boundary: the pages written are the n new ones */
			uintptr_t cur = (uintptr_t)sbrk(0), page = (uintptr_t)sysconf(_SC_PAGESIZE);
			if (cur % page)
				sbrk((intptr_t)(page - cur % page));
			char *p = sbrk(n);
			if (p == (void *)-1)
				err = strerror(errno);
			else
				memset(p, 1, (size_t)n);
		} else if (sscanf(line, "mmap %ld", &n) == 1) {
			err = do_mmap(n);
		} else if (sscanf(line, "threads %ld", &n) == 1) {
			err = do_threads(n);
		} else if (sscanf(line, "dlopen %3999s", arg) == 1) {
			err = do_dlopen(arg);
		} else if (strcmp(line, "move") == 0) {
			err = do_move();
		} else if (strcmp(line, "extend") == 0) {
			err = do_extend();
		} else if (sscanf(line, "leak %ld %ld", &n, &m) == 2) {
			static struct leak l;
			pthread_t t;
			l = (struct leak){ (size_t)n, m };
			if (pthread_create(&t, NULL, leaker, &l) != 0)
				err = "pthread_create failed";
		} else {
			err = "unknown command";
		}
		if (err)
			printf("error %s\n", err);
		else
			printf("done\n");
		fflush(stdout);
	}
	return 0;
}

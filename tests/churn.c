/* churn.c - a process whose address space changes all the time, for tests/changing.sh
 *
 * Two threads loop without pause until stdin reaches end of file (or SIGTERM, or 600 s):
 * each maps anonymous regions of 1 to 64 pages (some named with PR_SET_VMA_ANON_NAME,
 * some of a file), mprotects pages inside them (which splits and merges VMAs), unmaps
 * them again in random order, and the first thread also grows and shrinks the brk heap
 * with sbrk().  About a hundred regions are alive at any time, so the VMA list is long
 * and a read of smaps (one page of text at a time) keeps meeting a list that changed
 * between two pages.
 *
 * Prints "pid PID" and then "ready" once both threads run.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif

enum { SLOTS = 64, MAXPAGES = 64 };

static volatile sig_atomic_t stop;
static int file_fd = -1;
static long page;

struct slot {
	char *p;
	size_t len;
};

static uint64_t next(uint64_t *s)
{
	/* xorshift64 */
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void *churn(void *arg)
{
	struct slot slots[SLOTS] = { { 0 } };
	uint64_t seed = (uintptr_t)arg * 0x9e3779b97f4a7c15u + (uint64_t)getpid();
	bool heap = (uintptr_t)arg == 1;
	intptr_t grown = 0;

	if (!seed)
		seed = 1;
	while (!stop) {
		struct slot *s = &slots[next(&seed) % SLOTS];
		if (s->p) {
			munmap(s->p, s->len);
			s->p = NULL;
			continue;
		}
		size_t n = 1 + next(&seed) % MAXPAGES;
		s->len = n * (size_t)page;
		int kind = (int)(next(&seed) % 4);
		if (kind == 0 && file_fd >= 0)
			s->p = mmap(NULL, s->len < 16 * (size_t)page ? s->len : 16 * (size_t)page,
				    PROT_READ, MAP_PRIVATE, file_fd, 0);
		else
			s->p = mmap(NULL, s->len, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (s->p == MAP_FAILED) {
			s->p = NULL;
			continue;
		}
		if (kind == 0) {
			if (s->len > 16 * (size_t)page)
				s->len = 16 * (size_t)page;
			continue;
		}
		s->p[0] = 1;
		if (kind == 1)
			prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, (unsigned long)s->p, s->len,
			      (unsigned long)"churn: named");
		if (n > 2) {
			size_t at = 1 + next(&seed) % (n - 2);
			mprotect(s->p + at * (size_t)page, (size_t)page,
				 next(&seed) & 1 ? PROT_READ : PROT_NONE);
		}
		if (heap) {
			intptr_t d = (intptr_t)(next(&seed) % 16) * page;
			if (grown > 256 * page || (next(&seed) & 1)) {
				if (grown >= d && sbrk(-d) != (void *)-1)
					grown -= d;
			} else if (sbrk(d) != (void *)-1) {
				grown += d;
			}
		}
	}
	return NULL;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(void)
{
	pthread_t t[2];
	char path[] = "/tmp/vmlayout-churn.XXXXXX";
	char c;

	page = sysconf(_SC_PAGESIZE);
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	alarm(600);
	file_fd = mkstemp(path);
	if (file_fd >= 0) {
		unlink(path);
		if (ftruncate(file_fd, 16 * page) < 0) {
			close(file_fd);
			file_fd = -1;
		}
	}
	for (uintptr_t i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, churn, (void *)(i + 1)) != 0) {
			perror("churn: pthread_create");
			return 2;
		}
	printf("pid %d\nready\n", (int)getpid());
	fflush(stdout);
	while (!stop) {
		ssize_t r = read(STDIN_FILENO, &c, 1);
		if (r == 0 || (r < 0 && errno != EINTR))
			break;
	}
	stop = 1;
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return 0;
}

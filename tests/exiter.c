/* exiter.c - a process that exits at a random moment, for tests/changing.sh
 *
 * Usage: exiter SEED
 * It maps a few thousand small regions with alternating protections (a long smaps),
 * starts four threads of which each exits after a random number of mmap/munmap
 * rounds, and then itself exits (exit_group) after a random number of rounds, from
 * zero to a few thousand: whoever reads /proc/PID meanwhile sees threads vanish and
 * then the whole process, at any point of its reading.  SEED chooses the moments.
 * Prints nothing; exit status 0.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void rounds(uint64_t n, long page)
{
	for (uint64_t i = 0; i < n; i++) {
		void *p = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED)
			munmap(p, (size_t)page * 2);
	}
}

static void *thread(void *arg)
{
	uint64_t s = (uintptr_t)arg;

	rounds(next(&s) % 2000, sysconf(_SC_PAGESIZE));
	return NULL;
}

int main(int argc, char **argv)
{
	uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 1;
	long page = sysconf(_SC_PAGESIZE);
	pthread_t t;

	seed = seed * 0x9e3779b97f4a7c15u + 1;
	/* a long smaps: 2000 regions that cannot merge */
	char *big = mmap(NULL, (size_t)page * 4000, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (big != MAP_FAILED)
		for (int i = 0; i < 4000; i += 2)
			mprotect(big + (size_t)i * (size_t)page, (size_t)page, PROT_READ);
	for (uintptr_t i = 0; i < 4; i++)
		if (pthread_create(&t, NULL, thread, (void *)(uintptr_t)next(&seed)) == 0)
			pthread_detach(t);
	rounds(next(&seed) % 4000, page);
	_exit(0);
}

/* parallel.c - rendering the rows of a long view on two threads (see parallel.h) */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "parallel.h"

static unsigned threads_setting;	/* 0: not set (the CPU count decides) */

void parallel_set_threads(unsigned n)
{
	threads_setting = n;
}

bool parallel_threads(void)
{
	static int cpus;	/* CPUs this process may run on; 0: not known yet */

	if (threads_setting)
		return threads_setting > 1;
	if (!cpus) {
		cpu_set_t set;
		cpus = sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 2;
		if (cpus < 1)
			cpus = 1;
	}
	return cpus > 1;
}

/* One of the second thread's two buffers. */
struct part {
	FILE *mem;		/* open_memstream on buf */
	char *buf;
	size_t len;		/* bytes rendered; SIZE_MAX when the buffer failed */
	atomic_bool ready;	/* rendered, not yet copied */
};

struct shared {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	const struct parallel_job *job;
	size_t chunk;		/* rows per chunk */
	size_t nchunks;
	struct part part[2];
	atomic_bool stop;
};

/* Wait until p->ready is want (or, for the second thread, until stop).  A chunk
 * takes some hundred microseconds: the wait is first a short spin, since putting a
 * thread to sleep and waking it (an interrupt to the other CPU, costly in a virtual
 * machine) takes longer than most waits. */
static void wait_part(struct shared *sh, struct part *p, bool want, bool or_stop)
{
	for (int i = 0; i < 20000; i++) {
		if (atomic_load_explicit(&p->ready, memory_order_acquire) == want ||
		    (or_stop && atomic_load_explicit(&sh->stop, memory_order_acquire)))
			return;
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#endif
	}
	pthread_mutex_lock(&sh->lock);
	while (atomic_load(&p->ready) != want && !(or_stop && atomic_load(&sh->stop)))
		pthread_cond_wait(&sh->cond, &sh->lock);
	pthread_mutex_unlock(&sh->lock);
}

/* Set p->ready (or stop, with p NULL) and wake a thread waiting for it. */
static void set_and_wake(struct shared *sh, struct part *p, bool ready)
{
	pthread_mutex_lock(&sh->lock);
	if (p)
		atomic_store_explicit(&p->ready, ready, memory_order_release);
	else
		atomic_store_explicit(&sh->stop, true, memory_order_release);
	pthread_cond_broadcast(&sh->cond);
	pthread_mutex_unlock(&sh->lock);
}

static size_t chunk_end(const struct shared *sh, size_t k)
{
	size_t end = (k + 1) * sh->chunk;

	return end < sh->job->n ? end : sh->job->n;
}

/* The second thread: the odd chunks, each into the buffer of its turn. */
static void *worker(void *arg)
{
	struct shared *sh = arg;
	const struct parallel_job *job = sh->job;

	for (size_t k = 1; k < sh->nchunks; k += 2) {
		struct part *p = &sh->part[(k / 2) % 2];

		wait_part(sh, p, false, true);
		if (atomic_load(&sh->stop))
			break;
		fseeko(p->mem, 0, SEEK_SET);
		job->render(job->ctx, false, p->mem, k * sh->chunk, chunk_end(sh, k));
		fflush(p->mem);
		p->len = ferror(p->mem) ? SIZE_MAX : (size_t)ftello(p->mem);
		set_and_wake(sh, p, true);
	}
	return NULL;
}

bool parallel_render(FILE *out, const struct parallel_job *job)
{
	struct shared sh = { .job = job };

	atomic_init(&sh.stop, false);
	for (int i = 0; i < 2; i++)
		atomic_init(&sh.part[i].ready, false);
	pthread_t t;
	bool ok = false;
	int e = 0;

	if (job->n < PARALLEL_MIN_ROWS) {
		errno = EINVAL;
		return false;
	}
	if (!parallel_threads()) {
		errno = EPERM;
		return false;
	}
	sh.chunk = job->n / 256 > 64 ? job->n / 256 : 64;
	sh.nchunks = (job->n + sh.chunk - 1) / sh.chunk;
	for (int i = 0; i < 2; i++) {
		sh.part[i].mem = open_memstream(&sh.part[i].buf, &sh.part[i].len);
		if (!sh.part[i].mem) {
			e = errno;
			goto out;
		}
	}
	pthread_mutex_init(&sh.lock, NULL);
	pthread_cond_init(&sh.cond, NULL);
	e = pthread_create(&t, NULL, worker, &sh);
	if (e != 0) {
		pthread_cond_destroy(&sh.cond);
		pthread_mutex_destroy(&sh.lock);
		goto out;
	}
	for (size_t k = 0; k < sh.nchunks; k++) {
		size_t start = k * sh.chunk, end = chunk_end(&sh, k);

		if (k % 2 == 0) {
			job->render(job->ctx, true, out, start, end);
			continue;
		}
		struct part *p = &sh.part[(k / 2) % 2];
		wait_part(&sh, p, true, false);
		if (p->len == SIZE_MAX) {
			/* the buffer could not take it (no memory): render it here */
			job->render(job->ctx, true, out, start, end);
		} else {
			job->flush(job->ctx);
			fwrite_unlocked(p->buf, 1, p->len, out);
		}
		set_and_wake(&sh, p, false);
	}
	set_and_wake(&sh, NULL, false);
	pthread_join(t, NULL);
	pthread_cond_destroy(&sh.cond);
	pthread_mutex_destroy(&sh.lock);
	ok = true;
out:
	for (int i = 0; i < 2; i++) {
		if (sh.part[i].mem)
			fclose(sh.part[i].mem);
		free(sh.part[i].buf);
	}
	if (!ok)
		errno = e;
	return ok;
}

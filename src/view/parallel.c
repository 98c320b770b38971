/* parallel.c - rendering the rows of a long view on two threads (see parallel.h) */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "view/parallel.h"

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
	atomic_size_t chunk;	/* the chunk it holds or that is being rendered into
				 * it; SIZE_MAX: free */
	atomic_bool ready;	/* rendered, not yet copied */
};

/* The chunks are dealt: the calling thread has the even ones, the second thread
 * the odd ones, each of which it claims before it renders it into one of its two
 * buffers.  The calling thread writes every chunk in order: its own as it renders
 * them, an odd one copied from the buffer, or, when the second thread has not
 * claimed it yet (it starts late, or it is slow), rendered by itself after
 * claiming it first.  So a second thread that starts late does less, and nobody
 * waits for work nobody does. */
enum { CHUNK_FREE, CHUNK_OTHER, CHUNK_OWN };

struct shared {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	const struct parallel_job *job;
	size_t chunk;		/* rows per chunk */
	size_t nchunks;
	atomic_uchar *state;	/* per chunk: CHUNK_* */
	struct part part[2];
	atomic_bool stop;
};

/* Whether what the waiter waits for has come. */
static bool waited_for(struct shared *sh, struct part *p, bool worker)
{
	if (worker)	/* a free buffer, or the end */
		return atomic_load_explicit(&p->chunk, memory_order_acquire) == SIZE_MAX ||
		       atomic_load_explicit(&sh->stop, memory_order_acquire);
	return atomic_load_explicit(&p->ready, memory_order_acquire);	/* its chunk */
}

/* Wait for it: first a short spin, since a chunk takes some hundred microseconds
 * and putting a thread to sleep and waking it (an interrupt to the other CPU,
 * costly in a virtual machine) takes longer than most waits. */
static void wait_for(struct shared *sh, struct part *p, bool worker)
{
	for (int i = 0; i < 20000; i++) {
		if (waited_for(sh, p, worker))
			return;
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#endif
	}
	pthread_mutex_lock(&sh->lock);
	while (!waited_for(sh, p, worker))
		pthread_cond_wait(&sh->cond, &sh->lock);
	pthread_mutex_unlock(&sh->lock);
}

/* Change what a waiter waits for (under the lock, so that no wake-up is lost). */
static void wake(struct shared *sh)
{
	pthread_cond_broadcast(&sh->cond);
	pthread_mutex_unlock(&sh->lock);
}

static size_t chunk_end(const struct shared *sh, size_t k)
{
	size_t end = (k + 1) * sh->chunk;

	return end < sh->job->n ? end : sh->job->n;
}

/* The second thread: the odd chunks that the calling thread has not taken, each
 * into the buffer of its turn. */
static void *worker(void *arg)
{
	struct shared *sh = arg;
	const struct parallel_job *job = sh->job;
	unsigned turn = 0;

	for (size_t k = 1; k < sh->nchunks; k += 2) {
		struct part *p = &sh->part[turn];
		unsigned char free_ = CHUNK_FREE;

		wait_for(sh, p, true);
		if (atomic_load(&sh->stop))
			break;
		if (!atomic_compare_exchange_strong(&sh->state[k], &free_, CHUNK_OTHER))
			continue;	/* taken: the calling thread got there first */
		atomic_store_explicit(&p->chunk, k, memory_order_release);
		fseeko(p->mem, 0, SEEK_SET);
		job->render(job->ctx, false, p->mem, k * sh->chunk, chunk_end(sh, k));
		fflush(p->mem);
		p->len = ferror(p->mem) ? SIZE_MAX : (size_t)ftello(p->mem);
		pthread_mutex_lock(&sh->lock);
		atomic_store_explicit(&p->ready, true, memory_order_release);
		wake(sh);
		turn ^= 1;
	}
	return NULL;
}

bool parallel_render(FILE *out, const struct parallel_job *job)
{
	struct shared sh = { .job = job };
	pthread_t t;
	bool ok = false;
	int e = 0;

	atomic_init(&sh.stop, false);
	for (int i = 0; i < 2; i++) {
		atomic_init(&sh.part[i].ready, false);
		atomic_init(&sh.part[i].chunk, SIZE_MAX);
	}
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
	sh.state = malloc(sh.nchunks * sizeof(*sh.state));
	if (!sh.state) {
		e = errno;
		goto out;
	}
	for (size_t k = 0; k < sh.nchunks; k++)
		atomic_init(&sh.state[k], CHUNK_FREE);
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
		unsigned char free_ = CHUNK_FREE;

		if (k % 2 == 0 ||
		    atomic_compare_exchange_strong(&sh.state[k], &free_, CHUNK_OWN)) {
			job->render(job->ctx, true, out, start, end);
			continue;
		}
		/* the second thread has chunk k, in the buffer it took in its turn:
		 * the one that says so (it may not have said yet) */
		struct part *p = NULL;
		while (!p) {
			for (int i = 0; i < 2 && !p; i++)
				if (atomic_load_explicit(&sh.part[i].chunk, memory_order_acquire) == k)
					p = &sh.part[i];
#if defined(__x86_64__) || defined(__i386__)
			if (!p)
				__builtin_ia32_pause();
#endif
		}
		wait_for(&sh, p, false);
		if (p->len == SIZE_MAX) {
			/* the buffer could not take it (no memory): render it here */
			job->render(job->ctx, true, out, start, end);
		} else {
			job->flush(job->ctx);
			fwrite_unlocked(p->buf, 1, p->len, out);
		}
		pthread_mutex_lock(&sh.lock);
		atomic_store_explicit(&p->ready, false, memory_order_relaxed);
		atomic_store_explicit(&p->chunk, SIZE_MAX, memory_order_release);
		wake(&sh);
	}
	pthread_mutex_lock(&sh.lock);
	atomic_store(&sh.stop, true);
	wake(&sh);
	pthread_join(t, NULL);
	pthread_cond_destroy(&sh.cond);
	pthread_mutex_destroy(&sh.lock);
	ok = true;
out:
	free(sh.state);
	for (int i = 0; i < 2; i++) {
		if (sh.part[i].mem)
			fclose(sh.part[i].mem);
		free(sh.part[i].buf);
	}
	if (!ok)
		errno = e;
	return ok;
}

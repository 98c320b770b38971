/* parallel.c - rendering the rows of a long view on two threads (see parallel.h) */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "parallel.h"

/* One of the second thread's two buffers. */
struct part {
	FILE *mem;		/* open_memstream on buf */
	char *buf;
	size_t len;		/* bytes rendered; SIZE_MAX when the buffer failed */
	bool ready;		/* rendered, not yet copied */
};

struct shared {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	const struct parallel_job *job;
	size_t chunk;		/* rows per chunk */
	size_t nchunks;
	struct part part[2];
	bool stop;
};

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

		pthread_mutex_lock(&sh->lock);
		while (p->ready && !sh->stop)
			pthread_cond_wait(&sh->cond, &sh->lock);
		bool stop = sh->stop;
		pthread_mutex_unlock(&sh->lock);
		if (stop)
			break;
		fseeko(p->mem, 0, SEEK_SET);
		job->render(job->ctx, false, p->mem, k * sh->chunk, chunk_end(sh, k));
		fflush(p->mem);
		pthread_mutex_lock(&sh->lock);
		p->len = ferror(p->mem) ? SIZE_MAX : (size_t)ftello(p->mem);
		p->ready = true;
		pthread_cond_broadcast(&sh->cond);
		pthread_mutex_unlock(&sh->lock);
	}
	return NULL;
}

bool parallel_render(FILE *out, const struct parallel_job *job)
{
	struct shared sh = { .job = job };
	pthread_t t;
	bool ok = false;
	int e = 0;

	if (job->n < 64) {
		errno = EINVAL;
		return false;
	}
	sh.chunk = job->n / 256 > 16 ? job->n / 256 : 16;
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
		pthread_mutex_lock(&sh.lock);
		while (!p->ready)
			pthread_cond_wait(&sh.cond, &sh.lock);
		pthread_mutex_unlock(&sh.lock);
		if (p->len == SIZE_MAX) {
			/* the buffer could not take it (no memory): render it here */
			job->render(job->ctx, true, out, start, end);
		} else {
			job->flush(job->ctx);
			fwrite_unlocked(p->buf, 1, p->len, out);
		}
		pthread_mutex_lock(&sh.lock);
		p->ready = false;
		pthread_cond_broadcast(&sh.cond);
		pthread_mutex_unlock(&sh.lock);
	}
	pthread_mutex_lock(&sh.lock);
	sh.stop = true;
	pthread_cond_broadcast(&sh.cond);
	pthread_mutex_unlock(&sh.lock);
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

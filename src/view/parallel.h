/* parallel.h - rendering the rows of a long view on two threads, in order
 *
 * The per-VMA part of a view (the "vmas" array of the JSON document, the rows of
 * --vmas) is most of its cost on a process with many VMAs.  parallel_render() cuts
 * the rows into chunks; the calling thread renders the even chunks straight onto
 * its stream, a second thread renders each odd chunk into one of two memory
 * buffers, which the calling thread then copies to the stream in its turn; an odd
 * chunk that the second thread has not begun when its turn comes (a thread that
 * starts late) the calling thread renders itself.  The output is byte for byte
 * what one thread would write.
 */
#ifndef VMLAYOUT_PARALLEL_H
#define VMLAYOUT_PARALLEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Whether the program may start threads of its own: the smaps reader, the
 * smaps_rollup reader, the second renderer.  By default it may when more than one
 * CPU is available to it (sched_getaffinity(2)); parallel_set_threads(1) (the
 * VMLAYOUT_THREADS environment variable) keeps everything on one thread, whose
 * output is the same. */
bool parallel_threads(void);
/* n: 1, one thread; 2 or more, threads allowed; 0, the default again. */
void parallel_set_threads(unsigned n);

struct parallel_job {
	size_t n;		/* rows, numbered 0..n-1 */
	/* Render rows [start, end) onto out: the calling thread's stream when own is
	 * true, else a memory stream of the second thread.  Called from both threads
	 * at once, each with its own rows. */
	void (*render)(void *ctx, bool own, FILE *out, size_t start, size_t end);
	/* Called by the calling thread before the second thread's bytes are copied
	 * to its stream: write out what render() buffered for the calling thread. */
	void (*flush)(void *ctx);
	void *ctx;
};

/* Fewer rows than this are rendered faster by one thread than shared: a handoff
 * between the threads costs about what a few dozen rows do. */
#define PARALLEL_MIN_ROWS 2048

/* Render job's rows onto out on two threads (chunks of at least 64 rows, about 256
 * chunks: a few hundred KiB a buffer).  Returns true when done; false, having
 * written nothing, when there are fewer than PARALLEL_MIN_ROWS rows (errno EINVAL)
 * or the second thread or its buffers could not be had (errno from
 * pthread_create() or open_memstream()), or threads are not allowed
 * (parallel_threads() false, errno EPERM): the caller then renders the rows itself.
 * Write errors are left in out's error indicator. */
bool parallel_render(FILE *out, const struct parallel_job *job);

#endif

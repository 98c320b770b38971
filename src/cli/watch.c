/* watch.c - --watch[=SECONDS] PID|NAME: a live process sampled until it exits, a
 * signal or --count; each sample a view refreshed in place on a terminal, or a JSON
 * record a line; then a summary of what grew, with the growth that looks like a
 * leak (see commands.h)
 *
 * Each sample is one read of the process as the report makes it (smaps, status,
 * stat, task/): its cost is that of a report without its view, the ELF headers read
 * once for the whole watch (one ELF cache).  SIGINT and SIGTERM are blocked while
 * a sample is read and waited for between samples (sigtimedwait()), so that a
 * signal ends the watch between two samples, never inside one. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "attr/attribute.h"
#include "attr/diff.h"
#include "attr/moment.h"
#include "cli/commands.h"
#include "cli/msg.h"
#include "elf/elfinfo.h"
#include "lib/util.h"
#include "source/source.h"
#include "view/diff_view.h"

/* How many objects the terminal view lists (the largest RSS). */
#define TOP_OBJECTS 10

/* The RSS of one region or object across the samples, for the leak hint. */
struct track {
	char *name;		/* region name, or object path (malloc'd) */
	bool object;
	uint64_t bias;		/* an object's load bias */
	uint64_t first, last;	/* RSS (bytes) of the first and the last sample seen */
	double t_first, t_last;	/* their times (seconds since the epoch) */
	unsigned rises;		/* intervals in which RSS rose */
	unsigned intervals;	/* intervals it was seen in (both ends) */
	bool seen;		/* in the current sample */
};

struct watch {
	const struct ctl *ctl;
	pid_t pid;
	char who[VML_WHO_PID];
	bool json, tty;
	struct moment first, prev, cur;
	bool has_first, has_prev;
	unsigned long samples;
	struct track *tracks;
	size_t n_tracks;
	const char *end;	/* why the watch ended: "exited", "signal", "count" */
	char **said;		/* the warnings said so far: each said once */
	size_t n_said;
};

/* The warnings of a sample on stderr, each the first time it comes: a read
 * that fails in a later sample is said, the same warning each second is not. */
static void say_warnings(struct watch *w, const struct layout *L)
{
	for (size_t i = 0; i < L->n_warnings; i++) {
		bool seen = false;
		for (size_t j = 0; j < w->n_said && !seen; j++)
			seen = strcmp(w->said[j], L->warnings[i]) == 0;
		if (seen)
			continue;
		vml_warnx(w->who, "%s", L->warnings[i]);
		char **more = realloc(w->said, (w->n_said + 1) * sizeof(*more));
		char *dup = more ? strdup(L->warnings[i]) : NULL;
		if (more)
			w->said = more;
		if (dup)
			w->said[w->n_said++] = dup;
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One sample into w->cur.  Returns 0; 1 when the process has gone (or is another
 * process now: a reused PID); -1 after an error message. */
static int sample(struct watch *w, struct elf_cache *cache)
{
	struct source src = { 0 };
	struct layout L;
	char msg[256] = "";
	enum layout_status st;

	if (source_open_pid(&src, w->pid, 0) < 0) {
		if (errno == ESRCH && w->has_first)
			return 1;
		report_status(w->who, errno == ESRCH ? LAYOUT_NO_PROCESS : LAYOUT_ERROR, "");
		return -1;
	}
	double t = now();
	st = layout_build(&L, &src, cache, msg, sizeof(msg));
	source_close(&src);
	if (st == LAYOUT_NO_PROCESS || st == LAYOUT_EXITED || st == LAYOUT_ZOMBIE)
		return w->has_first ? 1 : (report_status(w->who, st, msg), -1);
	if (st != LAYOUT_OK) {
		report_status(w->who, st, msg);
		return -1;
	}
	say_warnings(w, &L);
	int rc = moment_from_layout(&w->cur, &L, w->who, "pid", t, false);
	if (rc == 0 && !w->has_first) {
		/* the first sample is kept to the end, for the summary */
		rc = moment_from_layout(&w->first, &L, w->who, "pid", t, false);
		if (rc < 0)
			moment_free(&w->cur);
		w->has_first = rc == 0;
	}
	layout_free(&L);
	if (rc < 0) {
		vml_err(w->who, "sample");
		return -1;
	}
	if (w->has_first && w->first.has_start_time && w->cur.has_start_time &&
	    w->first.start_time != w->cur.start_time) {
		moment_free(&w->cur);
		return 1;	/* the PID is another process's now */
	}
	return 0;
}

static struct track *track_find(struct watch *w, const char *name, bool object, uint64_t bias)
{
	for (size_t i = 0; i < w->n_tracks; i++) {
		struct track *t = &w->tracks[i];
		if (t->object == object && t->bias == bias && strcmp(t->name, name) == 0)
			return t;
	}
	struct track *n = realloc(w->tracks, (w->n_tracks + 1) * sizeof(*n));
	if (!n)
		return NULL;
	w->tracks = n;
	struct track *t = &w->tracks[w->n_tracks];
	*t = (struct track){ .name = strdup(name), .object = object, .bias = bias };
	if (!t->name)
		return NULL;
	w->n_tracks++;
	return t;
}

/* A sample's RSS of t; in_prev: t was in the sample before (an interval). */
static void track_rss(struct track *t, uint64_t rss, double time, bool in_prev)
{
	if (!t->t_last) {
		t->first = rss;
		t->t_first = time;
	} else if (in_prev) {
		t->intervals++;
		t->rises += rss > t->last;
	}
	t->last = rss;
	t->t_last = time;
	t->seen = true;
}

/* The RSS of every region and object of the sample w->cur into the tracks. */
static int track_sample(struct watch *w)
{
	const struct moment *M = &w->cur;
	bool *was = calloc(w->n_tracks + 1, sizeof(*was));

	if (!was)
		return -1;
	for (size_t i = 0; i < w->n_tracks; i++) {
		was[i] = w->tracks[i].seen;
		w->tracks[i].seen = false;
	}
	size_t old = w->n_tracks;
	for (int r = 0; r < REGION_COUNT; r++) {
		struct track *t = track_find(w, region_name(r), false, 0);
		if (!t)
			goto fail;
		track_rss(t, M->regions[r].rss, M->time, (size_t)(t - w->tracks) < old &&
							     was[t - w->tracks]);
	}
	for (size_t i = 0; i < M->n_objects; i++) {
		const struct moment_object *o = &M->objects[i];
		struct track *t = track_find(w, o->path, true, o->load_bias);
		if (!t)
			goto fail;
		track_rss(t, o->f.rss, M->time, (size_t)(t - w->tracks) < old && was[t - w->tracks]);
	}
	free(was);
	return 0;
fail:
	free(was);
	return -1;
}

/* Whether t looks like a leak: RSS rose in at least three intervals of four (and
 * in two at least), and is higher at the end. */
static bool track_leaks(const struct track *t)
{
	return t->intervals >= 2 && t->rises >= 2 && t->rises * 4 >= t->intervals * 3 &&
	       t->last > t->first;
}

/* bytes a minute between the first and the last sample of t; 0 when no time passed */
static double track_rate(const struct track *t)
{
	double s = t->t_last - t->t_first;

	return s > 0 ? ((double)t->last - (double)t->first) * 60 / s : 0;
}

/* ---------------------------------------------------------------- output */

static void figures_record(struct jsonwrt *j, const char *key, const struct figures *f,
			   bool unknown)
{
	jsonwrt_object_open(j, key);
	render_figures_json(j, f, unknown);
	jsonwrt_object_close(j);
}

static void record(struct watch *w)
{
	const struct moment *M = &w->cur;
	struct jsonwrt j;

	jsonwrt_init(&j, stdout, false);
	jsonwrt_object_open(&j, NULL);
	jsonwrt_str(&j, "type", "sample");
	jsonwrt_u64(&j, "sample", w->samples);
	/* milliseconds since the epoch, and since the first sample */
	jsonwrt_u64(&j, "time_ms", (uint64_t)llround(M->time * 1000));
	jsonwrt_u64(&j, "elapsed_ms", (uint64_t)llround((M->time - w->first.time) * 1000));
	jsonwrt_i64(&j, "pid", M->pid);
	jsonwrt_str(&j, "comm", M->comm);
	jsonwrt_u64(&j, "vmas", M->n_vmas);
	jsonwrt_u64(&j, "threads", M->n_threads);
	figures_record(&j, "totals", &M->totals, M->figures_unknown);
	jsonwrt_object_open(&j, "regions");
	for (int r = 0; r < REGION_COUNT; r++)
		figures_record(&j, region_name(r), &M->regions[r], M->figures_unknown);
	jsonwrt_object_close(&j);
	jsonwrt_array_open(&j, "objects");
	for (size_t i = 0; i < M->n_objects; i++) {
		jsonwrt_object_open(&j, NULL);
		jsonwrt_str(&j, "path", M->objects[i].path);
		render_figures_json(&j, &M->objects[i].f, M->figures_unknown);
		jsonwrt_object_close(&j);
	}
	jsonwrt_array_close(&j);
	jsonwrt_object_close(&j);
	jsonwrt_finish(&j);
	fflush(stdout);
}

static void change_cell(const struct watch *w, char *buf, size_t len, uint64_t a, uint64_t b)
{
	size_change(buf, len, fig_change(a, b), w->ctl->bytes);
}

/* The RSS of object o in moment M (the same path and load bias); o's own when M
 * does not have it (it was loaded since). */
static uint64_t object_rss(const struct moment *M, const struct moment_object *o)
{
	for (size_t i = 0; i < M->n_objects; i++)
		if (M->objects[i].load_bias == o->load_bias && strcmp(M->objects[i].path, o->path) == 0)
			return M->objects[i].f.rss;
	return o->f.rss;
}

/* The view on a terminal, redrawn in place. */
static void screen(struct watch *w)
{
	const struct moment *M = &w->cur, *F = &w->first, *P = w->has_prev ? &w->prev : &w->cur;
	char a[32], b[32], c[32], d[32];
	bool ex = w->ctl->bytes;

	printf("\033[H\033[J");
	printf("vmlayout --watch  pid %d  %s   sample %lu, %.1f s   VMAs %zu (%+" PRId64 ")  "
	       "threads %zu (%+" PRId64 ")\n\n", (int)M->pid, M->comm, w->samples,
	       M->time - F->time, M->n_vmas, (int64_t)(M->n_vmas - F->n_vmas), M->n_threads,
	       (int64_t)(M->n_threads - F->n_threads));
	printf("%-10s %10s %10s %12s %12s\n", "REGION", "SIZE", "RSS", "SINCE START",
	       "SINCE LAST");
	for (int r = 0; r < REGION_COUNT; r++) {
		change_cell(w, c, sizeof(c), F->regions[r].rss, M->regions[r].rss);
		change_cell(w, d, sizeof(d), P->regions[r].rss, M->regions[r].rss);
		printf("%-10s %10s %10s %12s %12s\n", region_name(r),
		       size_human(a, sizeof(a), M->regions[r].size, ex),
		       size_human(b, sizeof(b), M->regions[r].rss, ex), c, d);
	}
	change_cell(w, c, sizeof(c), F->totals.rss, M->totals.rss);
	change_cell(w, d, sizeof(d), P->totals.rss, M->totals.rss);
	printf("%-10s %10s %10s %12s %12s\n\n", "total", size_human(a, sizeof(a), M->totals.size, ex),
	       size_human(b, sizeof(b), M->totals.rss, ex), c, d);
	printf("%-10s %10s %10s %12s %12s  %s\n", "", "SIZE", "RSS", "SINCE START", "SINCE LAST",
	       "OBJECT (the largest RSS)");
	/* the TOP_OBJECTS largest, by a selection over the few objects */
	bool *shown = calloc(M->n_objects + 1, sizeof(*shown));
	for (int k = 0; shown && k < TOP_OBJECTS; k++) {
		ptrdiff_t best = -1;
		for (size_t i = 0; i < M->n_objects; i++)
			if (!shown[i] && (best < 0 || M->objects[i].f.rss > M->objects[best].f.rss))
				best = (ptrdiff_t)i;
		if (best < 0)
			break;
		shown[best] = true;
		const struct moment_object *o = &M->objects[best];
		change_cell(w, c, sizeof(c), object_rss(F, o), o->f.rss);
		change_cell(w, d, sizeof(d), object_rss(P, o), o->f.rss);
		char name[96];
		name_printable(name, sizeof(name), path_base(o->path), strlen(path_base(o->path)), 30,
			       w->ctl->ascii);
		printf("%-10s %10s %10s %12s %12s  %s\n", "", size_human(a, sizeof(a), o->f.size, ex),
		       size_human(b, sizeof(b), o->f.rss, ex), c, d, name);
	}
	free(shown);
	printf("\nCtrl-C ends the watch with a summary of what grew.\n");
	fflush(stdout);
}

static void leaks_text(const struct watch *w)
{
	char a[32], b[32], r[32];
	bool any = false;

	for (size_t i = 0; i < w->n_tracks; i++) {
		const struct track *t = &w->tracks[i];
		if (!track_leaks(t))
			continue;
		if (!any)
			printf("\nGROWTH THAT LOOKS LIKE A LEAK (RSS rose in most samples)\n");
		any = true;
		printf("%s %s: RSS rose in %u of %u intervals, %s %s %s", t->object ? "object"
			: "region", t->name, t->rises, t->intervals,
		       size_human(a, sizeof(a), t->first, w->ctl->bytes), w->ctl->ascii ? "->" : "\u2192",
		       size_human(b, sizeof(b), t->last, w->ctl->bytes));
		if (track_rate(t) > 0)
			printf(", %s/min", size_change(r, sizeof(r), (int64_t)track_rate(t),
							  w->ctl->bytes));
		printf("\n");
	}
	if (!any)
		printf("\nnothing rose in most samples: no growth that looks like a leak\n");
}

static void leaks_json(struct jsonwrt *j, const struct watch *w)
{
	jsonwrt_array_open(j, "leaks");
	for (size_t i = 0; i < w->n_tracks; i++) {
		const struct track *t = &w->tracks[i];
		if (!track_leaks(t))
			continue;
		jsonwrt_object_open(j, NULL);
		jsonwrt_str(j, "kind", t->object ? "object" : "region");
		jsonwrt_str(j, "name", t->name);
		jsonwrt_u64(j, "rises", t->rises);
		jsonwrt_u64(j, "intervals", t->intervals);
		jsonwrt_u64(j, "rss_before", t->first);
		jsonwrt_u64(j, "rss_after", t->last);
		jsonwrt_i64(j, "rss_per_minute", (int64_t)track_rate(t));
		jsonwrt_object_close(j);
	}
	jsonwrt_array_close(j);
}

/* The summary: the first sample against the last, and the leak hints. */
static int summary(struct watch *w)
{
	const struct moment *last = w->has_prev ? &w->prev : &w->first;
	double secs = last->time - w->first.time;
	struct diff d;

	if (diff_moments(&d, &w->first, last) < 0) {
		vml_err(w->who, "summary");
		return -1;
	}
	if (w->json) {
		struct jsonwrt j;
		jsonwrt_init(&j, stdout, false);
		jsonwrt_object_open(&j, NULL);
		jsonwrt_str(&j, "type", "summary");
		jsonwrt_i64(&j, "pid", w->first.pid);
		jsonwrt_str(&j, "comm", w->first.comm);
		jsonwrt_u64(&j, "samples", w->samples);
		jsonwrt_u64(&j, "elapsed_ms", (uint64_t)llround(secs * 1000));
		jsonwrt_str(&j, "end", w->end);
		leaks_json(&j, w);
		/* what changed, as --diff gives it */
		render_diff_json(&j, "diff", &d, false);
		jsonwrt_object_close(&j);
		jsonwrt_finish(&j);
	} else {
		struct render_opts ro = { .bytes = w->ctl->bytes, .ascii = w->ctl->ascii };
		printf("\nwatched pid %d for %.1f s, %lu sample%s; %s\n\n", (int)w->first.pid, secs,
		       w->samples, w->samples == 1 ? "" : "s",
		       strcmp(w->end, "exited") == 0 ? "the process has exited"
		       : strcmp(w->end, "signal") == 0 ? "ended by a signal" : "--count reached");
		render_diff_text(stdout, &d, &ro, TEXT_SUMMARY | TEXT_OBJECTS, 0);
		leaks_text(w);
	}
	diff_free(&d);
	return 0;
}

/* Wait for the next sample: seconds, or until SIGINT or SIGTERM (blocked: see the
 * top).  Returns true when a signal came. */
static bool wait_signal(const sigset_t *set, double seconds)
{
	struct timespec ts = { .tv_sec = (time_t)seconds,
			       .tv_nsec = (long)((seconds - (double)(time_t)seconds) * 1e9) };

	for (;;) {
		int s = sigtimedwait(set, NULL, &ts);
		if (s > 0)
			return true;
		if (errno == EAGAIN)
			return false;
		/* EINTR: another signal (SIGWINCH): wait the rest, roughly */
	}
}

int watch_main(const struct ctl *ctl)
{
	struct watch w = { .ctl = ctl };
	struct elf_cache *cache;
	sigset_t set, old;
	int rc = 1;

	w.pid = target_pid(ctl->targets[0]);
	if (w.pid < 0)
		return 1;
	vml_who_pid(w.who, w.pid);
	w.tty = isatty(STDOUT_FILENO);
	w.json = ctl->json || !w.tty;
	cache = elf_cache_new();
	if (!cache) {
		vml_errx(w.who, "%s", strerror(ENOMEM));
		return 1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, &old);

	for (;;) {
		int s = sample(&w, cache);
		if (s < 0)
			goto out;
		if (s > 0) {
			w.end = "exited";
			break;
		}
		w.samples++;
		if (track_sample(&w) < 0)
			goto nomem;
		if (w.json)
			record(&w);
		else
			screen(&w);
		if (ferror(stdout))
			break;
		if (w.has_prev)
			moment_free(&w.prev);
		w.prev = w.cur;
		w.has_prev = true;
		memset(&w.cur, 0, sizeof(w.cur));
		if (ctl->count && w.samples >= ctl->count) {
			w.end = "count";
			break;
		}
		if (wait_signal(&set, ctl->interval)) {
			w.end = "signal";
			break;
		}
	}
	if (!ferror(stdout) && summary(&w) < 0)
		goto out;
	rc = close_stdout() < 0 ? 1 : 0;
	goto out;
nomem:
	vml_errx(w.who, "%s", strerror(ENOMEM));
out:
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (w.has_first)
		moment_free(&w.first);
	if (w.has_prev)
		moment_free(&w.prev);
	moment_free(&w.cur);
	for (size_t i = 0; i < w.n_tracks; i++)
		free(w.tracks[i].name);
	free(w.tracks);
	for (size_t i = 0; i < w.n_said; i++)
		free(w.said[i]);
	free(w.said);
	elf_cache_free(cache);
	return rc;
}

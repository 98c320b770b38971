/* diff_view.c - what changed between two moments, as text and as JSON (see
 * diff_view.h) */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/util.h"
#include "view/diff_view.h"

char *size_change(char *buf, size_t len, int64_t v, bool exact)
{
	char n[32];
	uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	if (!v) {
		snprintf(buf, len, "0");
		return buf;
	}
	snprintf(buf, len, "%c%s", v < 0 ? '-' : '+', size_human(n, sizeof(n), m, exact));
	return buf;
}

/* How text is written: the options, the colours. */
struct dctx {
	FILE *out;
	const struct diff *d;
	const struct render_opts *o;
	const char *arrow, *bold, *grow, *shrink, *off;
	bool unknown;		/* figures other than SIZE unknown on a side */
};

static const char *num(const struct dctx *c, char *buf, size_t len, uint64_t v)
{
	return size_human(buf, len, v, c->o->bytes);
}

/* A change right-aligned in width columns, coloured by its sign; width 0: in
 * parentheses. */
static void put_change(const struct dctx *c, int width, int64_t v)
{
	char b[40];

	size_change(b, sizeof(b), v, c->o->bytes);
	fprintf(c->out, width ? " %s%*s%s" : " (%s%*s%s)", v > 0 ? c->grow : v < 0 ? c->shrink : "",
		width, b, v ? c->off : "");
}

/* RSS before, after, change; the change of SIZE, PSS, PRIVATE and SWAP. */
static void put_pair(const struct dctx *c, const struct fig_pair *p)
{
	char a[32], b[32];
	const struct figures *x = &p->a, *y = &p->b;

	if (c->unknown) {
		fprintf(c->out, " %8s %8s %9s", "?", "?", "?");
		put_change(c, 9, fig_change(x->size, y->size));
		fprintf(c->out, " %9s %9s %9s", "?", "?", "?");
		return;
	}
	fprintf(c->out, " %8s %8s", num(c, a, sizeof(a), x->rss), num(c, b, sizeof(b), y->rss));
	put_change(c, 9, fig_change(x->rss, y->rss));
	put_change(c, 9, fig_change(x->size, y->size));
	put_change(c, 9, fig_change(x->pss, y->pss));
	put_change(c, 9, fig_change(x->priv, y->priv));
	put_change(c, 9, fig_change(x->swap, y->swap));
}

/* The two lines of the heading of a table; name: the first column's (the regions,
 * the roles), or the last one's (name_last: the objects). */
static void table_head(const struct dctx *c, const char *title, const char *name,
		       bool name_last)
{
	const char *first = name_last ? "" : name;
	int w = name_last ? 0 : 12;

	fprintf(c->out, "\n%s%s%s\n", c->bold, title, c->off);
	fprintf(c->out, "%-*s %8s %8s %9s %9s %9s %9s %9s\n", w, first, "RSS", "RSS", "RSS",
		"SIZE", "PSS", "PRIVATE", "SWAP");
	fprintf(c->out, "%-*s %8s %8s %9s %9s %9s %9s %9s%s%s\n", w, "", "BEFORE", "AFTER",
		"CHANGE", "CHANGE", "CHANGE", "CHANGE", "CHANGE", name_last ? "  " : "",
		name_last ? name : "");
}

static bool pair_moved(const struct fig_pair *p)
{
	const struct figures *a = &p->a, *b = &p->b;

	return a->size != b->size || a->rss != b->rss || a->pss != b->pss ||
	       a->priv != b->priv || a->swap != b->swap;
}

static int cmp_weight(const void *p, const void *q, void *arg)
{
	const struct fig_pair *f = arg;
	uint64_t x = fig_pair_weight(&f[*(const int *)p]), y = fig_pair_weight(&f[*(const int *)q]);

	if (x != y)
		return x > y ? -1 : 1;
	return *(const int *)p - *(const int *)q;
}

/* The regions (roles: the roles) whose figures changed, largest change first. */
static void sums(const struct dctx *c, bool roles)
{
	const struct fig_pair *f = roles ? c->d->roles : c->d->regions;
	int n = roles ? ROLE_COUNT : REGION_COUNT, ix[ROLE_COUNT], k = 0;

	for (int i = 0; i < n; i++)
		if (pair_moved(&f[i]))
			ix[k++] = i;
	qsort_r(ix, (size_t)k, sizeof(ix[0]), cmp_weight, (void *)f);
	table_head(c, roles ? "ROLES THAT CHANGED" : "REGIONS THAT CHANGED",
		   roles ? "ROLE" : "REGION", false);
	for (int i = 0; i < k; i++) {
		fprintf(c->out, "%-12s", roles ? role_name(ix[i]) : region_name(ix[i]));
		put_pair(c, &f[ix[i]]);
		fputc('\n', c->out);
	}
	if (!k)
		fprintf(c->out, "(none)\n");
}

static void objects(const struct dctx *c)
{
	const struct diff *d = c->d;
	char title[96];

	snprintf(title, sizeof(title), "OBJECTS THAT CHANGED (%zu of %zu)", d->n_objects_changed,
		 d->n_objects);
	table_head(c, title, "STATE     OBJECT", true);
	for (size_t i = 0; i < d->n_objects_changed; i++) {
		const struct diff_object *x = &d->objects[i];
		const struct moment_object *o = x->ib >= 0 ? &d->b->objects[x->ib]
							   : &d->a->objects[x->ia];
		char name[128];
		name_printable(name, sizeof(name), o->path, strlen(o->path), 40, c->o->ascii);
		put_pair(c, &x->f);
		fprintf(c->out, "  %-9s %s\n", change_name(x->change, true), name);
	}
	if (!d->n_objects_changed)
		fprintf(c->out, "(none)\n");
}

static void vmas(const struct dctx *c, size_t max)
{
	const struct diff *d = c->d;
	size_t n = d->n_vmas_changed;
	char title[128];

	if (max && n > max) {
		snprintf(title, sizeof(title), "VMAS THAT CHANGED (%zu of %zu; the %zu largest "
			 "changes: --vmas for all)", n, d->n_vmas, max);
		n = max;
	} else {
		snprintf(title, sizeof(title), "VMAS THAT CHANGED (%zu of %zu)", n, d->n_vmas);
	}
	fprintf(c->out, "\n%s%s%s\n", c->bold, title, c->off);
	fprintf(c->out, "%-11s %18s %8s %9s %8s %9s  %-12s %s\n", "STATE", "START", "SIZE",
		"CHANGE", "RSS", "CHANGE", "ROLE", "NAME");
	for (size_t i = 0; i < n; i++) {
		const struct diff_vma *x = &d->vmas[i];
		const struct moment_vma *v = x->ib >= 0 ? &d->b->vmas[x->ib] : &d->a->vmas[x->ia];
		char a[32], b[32], start[32], name[128];
		const char *label = *v->path ? v->path : v->object;
		name_printable(name, sizeof(name), label, strlen(label), 30, c->o->ascii);
		if (v->tid && !*v->path)
			snprintf(name, sizeof(name), "tid %d", (int)v->tid);
		fprintf(c->out, "%-11s %18s %8s", change_name(x->change, false),
			fmt_hex(start, v->start), num(c, a, sizeof(a), v->end - v->start));
		put_change(c, 9, fig_change(x->f.a.size, x->f.b.size));
		fprintf(c->out, " %8s", c->unknown ? "?" : num(c, b, sizeof(b), v->f.rss));
		if (c->unknown)
			fprintf(c->out, " %9s", "?");
		else
			put_change(c, 9, fig_change(x->f.a.rss, x->f.b.rss));
		fprintf(c->out, "  %-12s %s\n", role_name(v->role), name);
	}
	if (!d->n_vmas_changed)
		fprintf(c->out, "(none)\n");
}

static void threads_mm(const struct dctx *c)
{
	const struct diff *d = c->d;

	if (d->n_started || d->n_ended) {
		fprintf(c->out, "\n%sTHREADS%s\n", c->bold, c->off);
		fprintf(c->out, "started %zu:", d->n_started);
		for (size_t i = 0; i < d->n_started; i++)
			fprintf(c->out, " %d", (int)d->started[i]);
		fprintf(c->out, "\nended %zu:", d->n_ended);
		for (size_t i = 0; i < d->n_ended; i++)
			fprintf(c->out, " %d", (int)d->ended[i]);
		fputc('\n', c->out);
	}
	if (!d->n_mm)
		return;
	fprintf(c->out, "\n%sMM_STRUCT BOUNDARIES THAT MOVED%s\n", c->bold, c->off);
	for (size_t i = 0; i < d->n_mm; i++) {
		const struct diff_mm *m = &d->mm[i];
		char a[32] = "?", b[32] = "?", ch[40] = "";
		if (m->a.known)
			fmt_hex(a, m->a.v);
		if (m->b.known)
			fmt_hex(b, m->b.v);
		if (m->a.known && m->b.known)
			size_change(ch, sizeof(ch), fig_change(m->a.v, m->b.v), c->o->bytes);
		fprintf(c->out, "%-12s %18s %s %-18s %s\n", moment_mm_name(m->which), a, c->arrow,
			b, ch);
	}
}

/* "snapshot DIR", "JSON document FILE", "PID 1234 (read now)" */
static void side(const struct dctx *c, const struct moment *M)
{
	char name[160];

	name_printable(name, sizeof(name), M->origin, strlen(M->origin), 60, c->o->ascii);
	if (strcmp(M->kind, "pid") == 0) {
		time_t t = (time_t)M->time;
		struct tm tm;
		char when[32] = "";
		if (localtime_r(&t, &tm))
			strftime(when, sizeof(when), ", %H:%M:%S", &tm);
		fprintf(c->out, "%s (live%s)", name, when);
	} else
		fprintf(c->out, "%s %s", strcmp(M->kind, "json") == 0 ? "JSON document" : "snapshot",
			name);
}

static void count(const struct dctx *c, const char *what, uint64_t a, uint64_t b)
{
	char ch[40];

	fprintf(c->out, "%s %" PRIu64 " %s %" PRIu64 " (", what, a, c->arrow, b);
	snprintf(ch, sizeof(ch), "%+" PRId64, (int64_t)(b - a));
	fprintf(c->out, "%s%s%s)", b > a ? c->grow : b < a ? c->shrink : "", b == a ? "0" : ch,
		b != a ? c->off : "");
}

static void header(const struct dctx *c)
{
	const struct diff *d = c->d;
	const struct moment *A = d->a, *B = d->b;
	char comm[80], x[32], y[32];

	name_printable(comm, sizeof(comm), B->comm, strlen(B->comm), 32, c->o->ascii);
	fprintf(c->out, "%sdiff of pid %d%s  %s\n", c->bold, (int)B->pid, c->off, comm);
	fprintf(c->out, "old: ");
	side(c, A);
	fprintf(c->out, "\nnew: ");
	side(c, B);
	if (A->time > 0 && B->time > 0)
		fprintf(c->out, ", %.1f s later", B->time - A->time);
	fputc('\n', c->out);
	count(c, "VMAs", A->n_vmas, B->n_vmas);
	fputs("  ", c->out);
	count(c, "threads", A->n_threads, B->n_threads);
	fputs("  ", c->out);
	count(c, "objects", A->n_objects, B->n_objects);
	fputc('\n', c->out);
	fprintf(c->out, "SIZE %s %s %s", num(c, x, sizeof(x), A->totals.size), c->arrow,
		num(c, y, sizeof(y), B->totals.size));
	put_change(c, 0, fig_change(A->totals.size, B->totals.size));
	if (!c->unknown) {
		fprintf(c->out, "   RSS %s %s %s", num(c, x, sizeof(x), A->totals.rss), c->arrow,
			num(c, y, sizeof(y), B->totals.rss));
		put_change(c, 0, fig_change(A->totals.rss, B->totals.rss));
		fprintf(c->out, "   SWAP %s %s %s", num(c, x, sizeof(x), A->totals.swap), c->arrow,
			num(c, y, sizeof(y), B->totals.swap));
		put_change(c, 0, fig_change(A->totals.swap, B->totals.swap));
	}
	fputc('\n', c->out);
}

int render_diff_text(FILE *out, const struct diff *d, const struct render_opts *o,
		     unsigned parts, size_t max_vmas)
{
	struct dctx c = {
		.out = out, .d = d, .o = o, .arrow = o->ascii ? "->" : "\u2192",
		.unknown = d->a->figures_unknown || d->b->figures_unknown,
	};

	if (o->color) {
		c.bold = "\033[1m";
		c.grow = "\033[31m";
		c.shrink = "\033[32m";
		c.off = "\033[0m";
	} else {
		c.bold = c.grow = c.shrink = c.off = "";
	}
	header(&c);
	if (!d->changed) {
		fprintf(out, "\nno change: the same VMAs, objects, threads and mm_struct "
			     "boundaries, the same SIZE, RSS and SWAP\n");
		return 0;
	}
	if (!parts)
		parts = TEXT_SUMMARY | TEXT_OBJECTS | DIFF_VMAS;
	if (parts & TEXT_SUMMARY)
		sums(&c, false);
	if (parts & TEXT_ROLES)
		sums(&c, true);
	if (parts & TEXT_OBJECTS)
		objects(&c);
	if ((parts & DIFF_VMAS) && d->vmas)
		vmas(&c, max_vmas);
	threads_mm(&c);
	return 0;
}

/* ---------------------------------------------------------------- JSON */

void render_figures_json(struct jsonwrt *w, const struct figures *f, bool unknown)
{
	jsonwrt_u64(w, "size", f->size);
	if (unknown) {
		jsonwrt_null(w, "rss");
		jsonwrt_null(w, "pss");
		jsonwrt_null(w, "private");
		jsonwrt_null(w, "swap");
		return;
	}
	jsonwrt_u64(w, "rss", f->rss);
	jsonwrt_u64(w, "pss", f->pss);
	jsonwrt_u64(w, "private", f->priv);
	jsonwrt_u64(w, "swap", f->swap);
}

static void change_json(struct jsonwrt *w, const char *key, uint64_t a, uint64_t b,
			bool unknown)
{
	jsonwrt_object_open(w, key);
	if (unknown) {
		jsonwrt_null(w, "before");
		jsonwrt_null(w, "after");
		jsonwrt_null(w, "change");
	} else {
		jsonwrt_u64(w, "before", a);
		jsonwrt_u64(w, "after", b);
		jsonwrt_i64(w, "change", fig_change(a, b));
	}
	jsonwrt_object_close(w);
}

/* {"size": {"before", "after", "change"}, "rss": ..., "pss", "private", "swap"} */
static void pair_json(struct jsonwrt *w, const char *key, const struct fig_pair *p,
		      bool unknown)
{
	jsonwrt_object_open(w, key);
	change_json(w, "size", p->a.size, p->b.size, false);
	change_json(w, "rss", p->a.rss, p->b.rss, unknown);
	change_json(w, "pss", p->a.pss, p->b.pss, unknown);
	change_json(w, "private", p->a.priv, p->b.priv, unknown);
	change_json(w, "swap", p->a.swap, p->b.swap, unknown);
	jsonwrt_object_close(w);
}

static void side_json(struct jsonwrt *w, const char *key, const struct moment *M)
{
	jsonwrt_object_open(w, key);
	jsonwrt_str(w, "source", M->kind);
	if (strcmp(M->kind, "pid") == 0)
		jsonwrt_null(w, "path");
	else
		jsonwrt_str(w, "path", M->origin);
	jsonwrt_i64(w, "pid", M->pid);
	jsonwrt_str(w, "comm", M->comm);
	jsonwrt_str(w, "exe", M->exe);
	jsonwrt_i64(w, "schema", M->schema);
	if (M->time > 0)
		jsonwrt_u64(w, "time", (uint64_t)M->time);
	else
		jsonwrt_null(w, "time");
	jsonwrt_object_close(w);
}

static void vma_json(struct jsonwrt *w, const char *key, const struct moment *M, ptrdiff_t i)
{
	char perms[5];

	if (i < 0) {
		jsonwrt_null(w, key);
		return;
	}
	const struct moment_vma *v = &M->vmas[i];
	jsonwrt_object_open(w, key);
	jsonwrt_hex(w, "start", v->start);
	jsonwrt_hex(w, "end", v->end);
	jsonwrt_hex(w, "offset", v->offset);
	jsonwrt_str(w, "perms", vma_perms_str(perms, v->perms));
	jsonwrt_u64(w, "inode", v->inode);
	jsonwrt_str(w, "path", *v->path ? v->path : NULL);
	jsonwrt_str(w, "region", region_name(v->region));
	jsonwrt_str(w, "role", role_name(v->role));
	jsonwrt_str(w, "object", *v->object ? v->object : NULL);
	if (v->tid)
		jsonwrt_i64(w, "tid", v->tid);
	else
		jsonwrt_null(w, "tid");
	jsonwrt_object_close(w);
}

static void threads_json(struct jsonwrt *w, const char *key, const struct moment *M,
			 const pid_t *tids, size_t n)
{
	jsonwrt_array_open(w, key);
	for (size_t i = 0; i < n; i++) {
		jsonwrt_object_open(w, NULL);
		jsonwrt_i64(w, "tid", tids[i]);
		for (size_t t = 0; t < M->n_threads; t++)
			if (M->threads[t].tid == tids[i])
				jsonwrt_str(w, "comm", M->threads[t].comm);
		jsonwrt_object_close(w);
	}
	jsonwrt_array_close(w);
}

static void count_json(struct jsonwrt *w, const char *key, uint64_t a, uint64_t b)
{
	change_json(w, key, a, b, false);
}

void render_diff_json(struct jsonwrt *w, const char *key, const struct diff *d, bool forced)
{
	const struct moment *A = d->a, *B = d->b;
	bool unknown = A->figures_unknown || B->figures_unknown;

	jsonwrt_object_open(w, key);
	jsonwrt_u64(w, "schema", 1);
	jsonwrt_str(w, "kind", "diff");
	side_json(w, "old", A);
	side_json(w, "new", B);
	if (A->time > 0 && B->time > 0)
		jsonwrt_i64(w, "seconds", (int64_t)(B->time - A->time + 0.5));
	else
		jsonwrt_null(w, "seconds");
	jsonwrt_bool(w, "forced", forced);
	jsonwrt_bool(w, "changed", d->changed);
	jsonwrt_object_open(w, "counts");
	count_json(w, "vmas", A->n_vmas, B->n_vmas);
	count_json(w, "threads", A->n_threads, B->n_threads);
	count_json(w, "objects", A->n_objects, B->n_objects);
	jsonwrt_object_close(w);
	pair_json(w, "totals", &d->totals, unknown);
	jsonwrt_object_open(w, "regions");
	for (int r = 0; r < REGION_COUNT; r++)
		pair_json(w, region_name(r), &d->regions[r], unknown);
	jsonwrt_object_close(w);
	jsonwrt_object_open(w, "roles");
	for (int i = 0; i < ROLE_COUNT; i++)
		pair_json(w, role_name(role_listed(i)), &d->roles[role_listed(i)], unknown);
	jsonwrt_object_close(w);
	jsonwrt_array_open(w, "mm");
	for (size_t i = 0; i < d->n_mm; i++) {
		const struct diff_mm *m = &d->mm[i];
		jsonwrt_object_open(w, NULL);
		jsonwrt_str(w, "name", moment_mm_name(m->which));
		m->a.known ? jsonwrt_hex(w, "before", m->a.v) : jsonwrt_null(w, "before");
		m->b.known ? jsonwrt_hex(w, "after", m->b.v) : jsonwrt_null(w, "after");
		if (m->a.known && m->b.known)
			jsonwrt_i64(w, "change", fig_change(m->a.v, m->b.v));
		else
			jsonwrt_null(w, "change");
		jsonwrt_object_close(w);
	}
	jsonwrt_array_close(w);
	jsonwrt_object_open(w, "threads");
	threads_json(w, "started", B, d->started, d->n_started);
	threads_json(w, "ended", A, d->ended, d->n_ended);
	jsonwrt_object_close(w);
	jsonwrt_array_open(w, "objects");
	for (size_t i = 0; i < d->n_objects_changed; i++) {
		const struct diff_object *x = &d->objects[i];
		const struct moment_object *o = x->ib >= 0 ? &B->objects[x->ib] : &A->objects[x->ia];
		jsonwrt_object_open(w, NULL);
		jsonwrt_str(w, "path", o->path);
		jsonwrt_str(w, "state", change_name(x->change, true));
		if (x->ia >= 0 && A->objects[x->ia].has_bias)
			jsonwrt_hex(w, "load_bias_before", A->objects[x->ia].load_bias);
		else
			jsonwrt_null(w, "load_bias_before");
		if (x->ib >= 0 && B->objects[x->ib].has_bias)
			jsonwrt_hex(w, "load_bias_after", B->objects[x->ib].load_bias);
		else
			jsonwrt_null(w, "load_bias_after");
		pair_json(w, "figures", &x->f, unknown);
		jsonwrt_object_close(w);
	}
	jsonwrt_array_close(w);
	if (!d->vmas) {
		jsonwrt_null(w, "vmas");
	} else {
		jsonwrt_array_open(w, "vmas");
		for (size_t i = 0; i < d->n_vmas_changed; i++) {
			const struct diff_vma *x = &d->vmas[i];
			jsonwrt_object_open(w, NULL);
			jsonwrt_str(w, "state", change_name(x->change, false));
			jsonwrt_str(w, "match", x->match);
			vma_json(w, "before", A, x->ia);
			vma_json(w, "after", B, x->ib);
			pair_json(w, "figures", &x->f, unknown);
			jsonwrt_object_close(w);
		}
		jsonwrt_array_close(w);
	}
	jsonwrt_object_close(w);
}

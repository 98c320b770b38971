/* diff.c - what changed between two moments of a process (see diff.h) */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr/diff.h"

/* Beyond this many VMAs left unmatched on each side, step 5 (moved mappings, a
 * search of every pair) is not tried: they stay appeared and disappeared. */
#define MOVED_MAX 4096

const char *change_name(enum change c, bool object)
{
	switch (c) {
	case CHANGE_APPEARED:
		return object ? "loaded" : "appeared";
	case CHANGE_DISAPPEARED:
		return object ? "unloaded" : "disappeared";
	case CHANGE_GREW:
		return "grown";
	case CHANGE_SHRANK:
		return "shrunk";
	case CHANGE_MOVED:
		return "moved";
	default:
		return "unchanged";
	}
}

static uint64_t absdiff(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

uint64_t fig_pair_weight(const struct fig_pair *p)
{
	/* RSS first: the memory used; SIZE breaks the ties (a reservation) */
	uint64_t r = absdiff(p->a.rss, p->b.rss), s = absdiff(p->a.size, p->b.size);

	return r > UINT64_MAX / 2 ? UINT64_MAX : r * 2 + (s > r ? 1 : 0);
}

enum change fig_pair_change(const struct fig_pair *p)
{
	const struct figures *a = &p->a, *b = &p->b;

	if (a->size != b->size)
		return b->size > a->size ? CHANGE_GREW : CHANGE_SHRANK;
	if (a->rss != b->rss)
		return b->rss > a->rss ? CHANGE_GREW : CHANGE_SHRANK;
	if (a->swap != b->swap)
		return b->swap > a->swap ? CHANGE_GREW : CHANGE_SHRANK;
	return CHANGE_NONE;
}

bool moment_same_process(const struct moment *a, const struct moment *b, char *why,
			 size_t whylen)
{
	if (a->pid != b->pid) {
		snprintf(why, whylen, "PID %d and PID %d are different processes", (int)a->pid,
			 (int)b->pid);
		return false;
	}
	if (a->has_start_time && b->has_start_time && a->start_time != b->start_time) {
		snprintf(why, whylen, "PID %d was another process then (it started at another "
			 "time: the PID was reused)", (int)a->pid);
		return false;
	}
	if (a->exe && b->exe && strcmp(a->exe, b->exe) != 0) {
		snprintf(why, whylen, "PID %d runs %s in one and %s in the other", (int)a->pid,
			 a->exe, b->exe);
		return false;
	}
	return true;
}

/* ---------------------------------------------------------------- VMAs */

struct matcher {
	const struct moment *a, *b;
	ptrdiff_t *ma;		/* ma[i]: the VMA of b matched to VMA i of a, or -1 */
	ptrdiff_t *mb;		/* the other way */
	const char **how;	/* how[i]: how VMA i of a was matched */
};

static void pair(struct matcher *m, size_t i, size_t j, const char *how)
{
	m->ma[i] = (ptrdiff_t)j;
	m->mb[j] = (ptrdiff_t)i;
	m->how[i] = how;
}

static bool is_file(const struct moment_vma *v)
{
	return v->inode != 0;
}

/* 1 and 2: thread stacks by TID; the main stack, the brk heap and the kernel's
 * mappings by role (and name: [vvar] and [vvar_vclock] are two). */
static void match_by_role(struct matcher *m)
{
	for (size_t i = 0; i < m->a->n_vmas; i++) {
		const struct moment_vma *v = &m->a->vmas[i];
		bool by_tid = v->role == ROLE_THREAD_STACK && v->tid;
		bool by_role = v->role == ROLE_STACK || v->role == ROLE_HEAP ||
			       v->role == ROLE_VDSO || v->role == ROLE_VVAR ||
			       v->role == ROLE_VSYSCALL;
		if (!by_tid && !by_role)
			continue;
		for (size_t j = 0; j < m->b->n_vmas; j++) {
			const struct moment_vma *w = &m->b->vmas[j];
			if (m->mb[j] >= 0 || w->role != v->role || is_file(w) != is_file(v))
				continue;
			if (by_tid ? w->tid == v->tid : strcmp(w->path, v->path) == 0) {
				pair(m, i, j, by_tid ? "tid" : "role");
				break;
			}
		}
	}
}

static int cmp_file(const struct moment_vma *x, const struct moment_vma *y)
{
	if (x->dev_major != y->dev_major)
		return x->dev_major < y->dev_major ? -1 : 1;
	if (x->dev_minor != y->dev_minor)
		return x->dev_minor < y->dev_minor ? -1 : 1;
	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	if (x->perms != y->perms)
		return x->perms < y->perms ? -1 : 1;
	return 0;
}

static int cmp_file_index(const void *p, const void *q, void *arg)
{
	const struct moment_vma *v = arg;
	const struct moment_vma *x = &v[*(const size_t *)p], *y = &v[*(const size_t *)q];
	int c = cmp_file(x, y);

	if (c)
		return c;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* The indexes of the unmatched file mappings of M (match: ma or mb), sorted by
 * device, inode, offset, permissions and address.  NULL on ENOMEM. */
static size_t *file_index(const struct moment *M, const ptrdiff_t *match, size_t *n)
{
	size_t *ix = malloc((M->n_vmas + 1) * sizeof(*ix));

	*n = 0;
	if (!ix)
		return NULL;
	for (size_t i = 0; i < M->n_vmas; i++)
		if (match[i] < 0 && is_file(&M->vmas[i]))
			ix[(*n)++] = i;
	qsort_r(ix, *n, sizeof(*ix), cmp_file_index, M->vmas);
	return ix;
}

/* 3: file mappings by device, inode, offset and permissions, in address order. */
static int match_files(struct matcher *m)
{
	size_t na, nb, i = 0, j = 0;
	size_t *xa = file_index(m->a, m->ma, &na), *xb = file_index(m->b, m->mb, &nb);

	if (!xa || !xb) {
		free(xa);
		free(xb);
		return -1;
	}
	while (i < na && j < nb) {
		int c = cmp_file(&m->a->vmas[xa[i]], &m->b->vmas[xb[j]]);
		if (c == 0)
			pair(m, xa[i++], xb[j++], "file");
		else if (c < 0)
			i++;
		else
			j++;
	}
	free(xa);
	free(xb);
	return 0;
}

/* 4: what is left, by address: the same start; the same end; overlapping with the
 * same role.  Both lists are in address order and without overlap. */
static void match_addresses(struct matcher *m)
{
	const struct moment *A = m->a, *B = m->b;

	for (int pass = 0; pass < 3; pass++) {
		size_t i = 0, j = 0;
		while (i < A->n_vmas && j < B->n_vmas) {
			const struct moment_vma *v = &A->vmas[i], *w = &B->vmas[j];
			if (m->ma[i] >= 0) {
				i++;
				continue;
			}
			if (m->mb[j] >= 0) {
				j++;
				continue;
			}
			bool same = pass == 0 ? v->start == w->start
				  : pass == 1 ? v->end == w->end
					      : v->start < w->end && w->start < v->end &&
							v->role == w->role;
			if (same && is_file(v) == is_file(w) && !is_file(v)) {
				pair(m, i++, j++, "address");
				continue;
			}
			/* step the one that ends first */
			if (v->end <= w->end)
				i++;
			else
				j++;
		}
	}
}

/* 5: a mapping moved: the same role, permissions, size and name (and file: device
 * and inode). */
static void match_moved(struct matcher *m)
{
	size_t left_a = 0, left_b = 0;

	for (size_t i = 0; i < m->a->n_vmas; i++)
		left_a += m->ma[i] < 0;
	for (size_t j = 0; j < m->b->n_vmas; j++)
		left_b += m->mb[j] < 0;
	if (!left_a || !left_b || left_a > MOVED_MAX || left_b > MOVED_MAX)
		return;
	for (size_t i = 0; i < m->a->n_vmas; i++) {
		const struct moment_vma *v = &m->a->vmas[i];
		if (m->ma[i] >= 0)
			continue;
		for (size_t j = 0; j < m->b->n_vmas; j++) {
			const struct moment_vma *w = &m->b->vmas[j];
			if (m->mb[j] < 0 && w->role == v->role && w->perms == v->perms &&
			    w->end - w->start == v->end - v->start && w->inode == v->inode &&
			    w->dev_major == v->dev_major && w->dev_minor == v->dev_minor &&
			    strcmp(w->path, v->path) == 0) {
				pair(m, i, j, "moved");
				break;
			}
		}
	}
}

static uint64_t diff_vma_start(const struct diff *d, const struct diff_vma *x)
{
	return x->ib >= 0 ? d->b->vmas[x->ib].start : d->a->vmas[x->ia].start;
}

/* Changed first, the largest change first, then in address order. */
static int cmp_diff_vma(const void *p, const void *q, void *arg)
{
	const struct diff_vma *x = p, *y = q;
	uint64_t wx = fig_pair_weight(&x->f), wy = fig_pair_weight(&y->f);
	uint64_t sx = diff_vma_start(arg, x), sy = diff_vma_start(arg, y);

	if ((x->change == CHANGE_NONE) != (y->change == CHANGE_NONE))
		return x->change == CHANGE_NONE ? 1 : -1;
	if (wx != wy)
		return wx > wy ? -1 : 1;
	return sx < sy ? -1 : sx > sy;
}

static int diff_vmas(struct diff *d)
{
	const struct moment *A = d->a, *B = d->b;
	struct matcher m = { .a = A, .b = B };
	size_t n = 0;
	int rc = -1;

	m.ma = malloc((A->n_vmas + 1) * sizeof(*m.ma));
	m.mb = malloc((B->n_vmas + 1) * sizeof(*m.mb));
	m.how = calloc(A->n_vmas + 1, sizeof(*m.how));
	d->vmas = calloc(A->n_vmas + B->n_vmas + 1, sizeof(*d->vmas));
	if (!m.ma || !m.mb || !m.how || !d->vmas)
		goto out;
	for (size_t i = 0; i < A->n_vmas; i++)
		m.ma[i] = -1;
	for (size_t j = 0; j < B->n_vmas; j++)
		m.mb[j] = -1;
	match_by_role(&m);
	if (match_files(&m) < 0)
		goto out;
	match_addresses(&m);
	match_moved(&m);

	for (size_t i = 0; i < A->n_vmas; i++) {
		struct diff_vma *x = &d->vmas[n++];
		x->ia = (ptrdiff_t)i;
		x->ib = m.ma[i];
		x->f.a = A->vmas[i].f;
		if (x->ib < 0) {
			x->change = CHANGE_DISAPPEARED;
			continue;
		}
		const struct moment_vma *w = &B->vmas[x->ib];
		x->f.b = w->f;
		x->match = m.how[i];
		x->change = fig_pair_change(&x->f);
		if (x->change == CHANGE_NONE && w->start != A->vmas[i].start)
			x->change = CHANGE_MOVED;
	}
	for (size_t j = 0; j < B->n_vmas; j++) {
		if (m.mb[j] >= 0)
			continue;
		struct diff_vma *x = &d->vmas[n++];
		x->ia = -1;
		x->ib = (ptrdiff_t)j;
		x->f.b = B->vmas[j].f;
		x->change = CHANGE_APPEARED;
	}
	d->n_vmas = n;
	for (size_t k = 0; k < n; k++)
		d->n_vmas_changed += d->vmas[k].change != CHANGE_NONE;
	qsort_r(d->vmas, n, sizeof(*d->vmas), cmp_diff_vma, d);
	rc = 0;
out:
	free(m.ma);
	free(m.mb);
	free(m.how);
	return rc;
}

/* ---------------------------------------------------------------- objects */

static int cmp_object(const struct moment_object *x, const struct moment_object *y)
{
	int c = strcmp(x->path, y->path);

	if (c)
		return c;
	if (x->dev_major != y->dev_major || x->dev_minor != y->dev_minor)
		return x->dev_major != y->dev_major ? (x->dev_major < y->dev_major ? -1 : 1)
						    : (x->dev_minor < y->dev_minor ? -1 : 1);
	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return 0;
}

static int cmp_object_index(const void *p, const void *q, void *arg)
{
	const struct moment_object *o = arg;
	const struct moment_object *x = &o[*(const size_t *)p], *y = &o[*(const size_t *)q];
	int c = cmp_object(x, y);

	if (c)
		return c;
	return x->load_bias < y->load_bias ? -1 : x->load_bias > y->load_bias;
}

static int cmp_diff_object(const void *p, const void *q)
{
	const struct diff_object *x = p, *y = q;
	uint64_t wx = fig_pair_weight(&x->f), wy = fig_pair_weight(&y->f);

	if ((x->change == CHANGE_NONE) != (y->change == CHANGE_NONE))
		return x->change == CHANGE_NONE ? 1 : -1;
	if (wx != wy)
		return wx > wy ? -1 : 1;
	return 0;
}

static size_t *object_index(const struct moment *M)
{
	size_t *ix = malloc((M->n_objects + 1) * sizeof(*ix));

	if (!ix)
		return NULL;
	for (size_t i = 0; i < M->n_objects; i++)
		ix[i] = i;
	qsort_r(ix, M->n_objects, sizeof(*ix), cmp_object_index, M->objects);
	return ix;
}

/* Objects by path, device and inode; several of one file (loaded twice) in the
 * order of their load bias.  Another load bias: "moved". */
static int diff_objects(struct diff *d)
{
	const struct moment *A = d->a, *B = d->b;
	size_t *xa = object_index(A), *xb = object_index(B), i = 0, j = 0, n = 0;

	d->objects = calloc(A->n_objects + B->n_objects + 1, sizeof(*d->objects));
	if (!xa || !xb || !d->objects) {
		free(xa);
		free(xb);
		return -1;
	}
	while (i < A->n_objects || j < B->n_objects) {
		struct diff_object *x = &d->objects[n++];
		int c = i == A->n_objects ? 1 : j == B->n_objects ? -1
			: cmp_object(&A->objects[xa[i]], &B->objects[xb[j]]);
		x->ia = c <= 0 ? (ptrdiff_t)xa[i++] : -1;
		x->ib = c >= 0 ? (ptrdiff_t)xb[j++] : -1;
		if (x->ia >= 0)
			x->f.a = A->objects[x->ia].f;
		if (x->ib >= 0)
			x->f.b = B->objects[x->ib].f;
		if (x->ia < 0 || x->ib < 0) {
			x->change = x->ia < 0 ? CHANGE_APPEARED : CHANGE_DISAPPEARED;
			continue;
		}
		x->change = fig_pair_change(&x->f);
		if (x->change == CHANGE_NONE &&
		    A->objects[x->ia].load_bias != B->objects[x->ib].load_bias)
			x->change = CHANGE_MOVED;
	}
	d->n_objects = n;
	for (size_t k = 0; k < n; k++)
		d->n_objects_changed += d->objects[k].change != CHANGE_NONE;
	qsort(d->objects, n, sizeof(*d->objects), cmp_diff_object);
	free(xa);
	free(xb);
	return 0;
}

/* ---------------------------------------------------------------- the rest */

static bool has_thread(const struct moment *M, pid_t tid)
{
	for (size_t i = 0; i < M->n_threads; i++)
		if (M->threads[i].tid == tid)
			return true;
	return false;
}

static int diff_threads(struct diff *d)
{
	d->started = calloc(d->b->n_threads + 1, sizeof(*d->started));
	d->ended = calloc(d->a->n_threads + 1, sizeof(*d->ended));
	if (!d->started || !d->ended)
		return -1;
	for (size_t i = 0; i < d->b->n_threads; i++)
		if (!has_thread(d->a, d->b->threads[i].tid))
			d->started[d->n_started++] = d->b->threads[i].tid;
	for (size_t i = 0; i < d->a->n_threads; i++)
		if (!has_thread(d->b, d->a->threads[i].tid))
			d->ended[d->n_ended++] = d->a->threads[i].tid;
	return 0;
}

int diff_moments(struct diff *d, const struct moment *a, const struct moment *b)
{
	memset(d, 0, sizeof(*d));
	d->a = a;
	d->b = b;
	d->totals = (struct fig_pair){ a->totals, b->totals };
	for (int i = 0; i < REGION_COUNT; i++)
		d->regions[i] = (struct fig_pair){ a->regions[i], b->regions[i] };
	for (int i = 0; i < ROLE_COUNT; i++)
		d->roles[i] = (struct fig_pair){ a->roles[i], b->roles[i] };
	for (int i = 0; i < MM_COUNT; i++)
		if (a->mm[i].known != b->mm[i].known || a->mm[i].v != b->mm[i].v)
			d->mm[d->n_mm++] = (struct diff_mm){ i, a->mm[i], b->mm[i] };
	if (diff_objects(d) < 0 || diff_threads(d) < 0 ||
	    (a->vmas && b->vmas && diff_vmas(d) < 0)) {
		diff_free(d);
		errno = ENOMEM;
		return -1;
	}
	d->changed = d->n_vmas_changed || d->n_objects_changed || d->n_started || d->n_ended ||
		     d->n_mm || fig_pair_change(&d->totals) != CHANGE_NONE ||
		     a->n_vmas != b->n_vmas;
	return 0;
}

void diff_free(struct diff *d)
{
	free(d->objects);
	free(d->vmas);
	free(d->started);
	free(d->ended);
	d->objects = NULL;
	d->vmas = NULL;
	d->started = NULL;
	d->ended = NULL;
}

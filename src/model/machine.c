/* machine.c - the figures of the processes of the machine, per object and per user
 * (see machine.h) */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/machine.h"

void machine_figs_add(struct machine_figs *a, const struct machine_figs *b)
{
	a->rss += b->rss;
	a->pss += b->pss;
	a->priv += b->priv;
	a->swap += b->swap;
	a->swap_pss += b->swap_pss;
	a->hugetlb += b->hugetlb;
	a->vmas += b->vmas;
}

static struct machine_figs from_figures(const struct figures *g)
{
	return (struct machine_figs){ .rss = g->rss, .pss = g->pss, .priv = g->priv,
				      .swap = g->swap, .hugetlb = g->hugetlb, .vmas = g->vmas };
}

/* "name" or "name (deleted)", malloc'd; NULL on ENOMEM. */
static char *object_name(const char *name, bool deleted)
{
	char *s;

	if (!deleted)
		return strdup(name);
	if (asprintf(&s, "%s (deleted)", name) < 0)
		return NULL;
	return s;
}

static int cmp_key(const void *a, const void *b)
{
	const struct machine_object *x = a, *y = b;

	if (x->dev_major != y->dev_major)
		return x->dev_major < y->dev_major ? -1 : 1;
	if (x->dev_minor != y->dev_minor)
		return x->dev_minor < y->dev_minor ? -1 : 1;
	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return 0;
}

/* Sort v (n entries) by file and merge the entries of one file into its first:
 * figures summed; an ELF object's name kept over a mapped file's; with count_procs,
 * procs summed.  The names of merged entries are freed when own_names.  Returns the
 * number of entries left. */
static size_t merge_by_file(struct machine_object *v, size_t n, bool own_names,
			    bool count_procs)
{
	size_t k = 0;

	qsort(v, n, sizeof(*v), cmp_key);
	for (size_t i = 0; i < n; i++) {
		if (k && cmp_key(&v[k - 1], &v[i]) == 0) {
			struct machine_object *d = &v[k - 1];
			machine_figs_add(&d->f, &v[i].f);
			for (int p = 0; p < MPART_COUNT; p++)
				d->part_pss[p] += v[i].part_pss[p];
			if (count_procs)
				d->procs += v[i].procs;
			if (v[i].elf && !d->elf) {
				if (own_names)
					free(d->name);
				d->name = v[i].name;
				d->deleted = v[i].deleted;
				d->elf = true;
			} else if (own_names) {
				free(v[i].name);
			}
			continue;
		}
		v[k++] = v[i];
	}
	return k;
}

/* The objects and mapped files of the selected VMAs of L (s), merged by file.  The
 * names point into L while the entries are gathered and merged (a process can map
 * tens of thousands of pieces of files): only the merged entries get a copy. */
static int proc_objects(struct machine_proc *p, const struct layout *L,
			const struct vma_selection *s)
{
	size_t cap = L->n_objects + s->n + 1, n = 0;
	struct machine_object *v = calloc(cap, sizeof(*v));

	if (!v)
		return -1;
	for (size_t o = 0; o < L->n_objects; o++) {
		const struct figures *t = &s->sum.obj_total[o];
		const struct figures *pt = s->sum.obj_part[o];
		const struct object *ob = &L->objects[o];
		if (!t->size)
			continue;	/* none of its VMAs selected */
		struct machine_object *e = &v[n++];
		e->name = (char *)layout_object_path(L, ob);
		e->deleted = ob->deleted;
		e->dev_major = ob->dev_major;
		e->dev_minor = ob->dev_minor;
		e->inode = ob->inode;
		e->elf = true;
		e->procs = 1;
		e->f = from_figures(t);
		e->part_pss[MPART_TEXT] = pt[PART_TEXT].pss;
		e->part_pss[MPART_RODATA] = pt[PART_RODATA].pss;
		e->part_pss[MPART_DATA] = pt[PART_RELRO].pss + pt[PART_DATA].pss;
		e->part_pss[MPART_BSS] = pt[PART_BSS].pss;
	}
	for (size_t i = 0; i < L->vmas.n; i++) {
		const struct vma *vm = &L->vmas.v[i];
		if (!vma_selected(s, i) || vm->object >= 0 || !vm->inode)
			continue;
		struct machine_object *e = &v[n++];
		e->name = (char *)vma_name(&L->vmas, vm);
		e->deleted = vm->deleted;
		e->dev_major = vm->dev_major;
		e->dev_minor = vm->dev_minor;
		e->inode = vm->inode;
		e->procs = 1;
		struct figures g = vma_figures(vm);
		e->f = from_figures(&g);
		e->f.swap_pss = vma_fig(vm, SF_SWAP_PSS);
	}
	n = merge_by_file(v, n, false, false);
	for (size_t i = 0; i < n; i++) {
		v[i].name = object_name(v[i].name, v[i].deleted);
		if (!v[i].name) {
			for (size_t k = 0; k < i; k++)
				free(v[k].name);
			free(v);
			errno = ENOMEM;
			return -1;
		}
	}
	p->n_objs = n;
	p->objs = v;
	return 0;
}

int machine_proc_from_layout(struct machine_proc *p, const struct layout *L,
			     const struct vma_filter *f, bool objects, size_t *selected)
{
	struct vma_selection s;
	const char *comm = L->has_id && L->id.comm ? L->id.comm : L->stat.comm;

	memset(p, 0, sizeof(*p));
	if (vma_selection_init(&s, L, f) < 0)
		return -1;
	*selected = s.n;
	p->pid = L->pid;
	p->uid = L->id.euid;
	p->comm = strdup(comm);
	p->user = L->id.euser ? strdup(L->id.euser) : NULL;
	if (!p->comm || (L->id.euser && !p->user))
		goto fail;
	p->f = from_figures(&s.sum.totals);
	for (size_t i = 0; i < L->vmas.n; i++)
		if (vma_selected(&s, i))
			p->f.swap_pss += vma_fig(&L->vmas.v[i], SF_SWAP_PSS);
	for (int r = 0; r < REGION_COUNT; r++)
		p->region[r] = from_figures(&s.sum.regions[r]);
	if (objects && proc_objects(p, L, &s) < 0)
		goto fail;
	vma_selection_free(&s);
	return 0;
fail:
	vma_selection_free(&s);
	machine_proc_free(p);
	errno = ENOMEM;
	return -1;
}

void machine_proc_free(struct machine_proc *p)
{
	for (size_t i = 0; i < p->n_objs; i++)
		free(p->objs[i].name);
	free(p->objs);
	free(p->user);
	free(p->comm);
	memset(p, 0, sizeof(*p));
}

struct machine_object *machine_objects(const struct machine_proc *procs, size_t n,
				       size_t *n_out)
{
	size_t total = 0, k = 0;
	struct machine_object *v;

	*n_out = 0;
	for (size_t i = 0; i < n; i++)
		total += procs[i].n_objs;
	v = malloc((total ? total : 1) * sizeof(*v));	/* not NULL when there is none */
	if (!v) {
		errno = ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < procs[i].n_objs; j++)
			v[k++] = procs[i].objs[j];
	*n_out = merge_by_file(v, total, false, true);
	return v;
}

static int cmp_uid(const void *a, const void *b)
{
	const struct machine_user *x = a, *y = b;

	return (x->uid > y->uid) - (x->uid < y->uid);
}

struct machine_user *machine_users(const struct machine_proc *procs, size_t n,
				   size_t *n_out)
{
	struct machine_user *v;
	size_t k = 0;

	*n_out = 0;
	if (!n)
		return NULL;
	v = calloc(n, sizeof(*v));
	if (!v) {
		errno = ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = (struct machine_user){ .uid = procs[i].uid, .user = procs[i].user,
					      .procs = 1, .f = procs[i].f };
	for (size_t i = 0; i < n; i++)
		memcpy(v[i].region, procs[i].region, sizeof(v[i].region));
	qsort(v, n, sizeof(*v), cmp_uid);
	for (size_t i = 0; i < n; i++) {
		if (k && v[k - 1].uid == v[i].uid) {
			struct machine_user *d = &v[k - 1];
			d->procs++;
			machine_figs_add(&d->f, &v[i].f);
			for (int r = 0; r < REGION_COUNT; r++)
				machine_figs_add(&d->region[r], &v[i].region[r]);
			if (!d->user)
				d->user = v[i].user;
			continue;
		}
		v[k++] = v[i];
	}
	*n_out = k;
	return v;
}

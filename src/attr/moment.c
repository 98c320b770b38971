/* moment.c - one process at one moment, from a model (see moment.h) */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr/moment.h"

const char *moment_mm_name(int i)
{
	static const char *const names[MM_COUNT] = {
		"start_code", "end_code", "start_data", "end_data", "start_brk", "brk",
		"start_stack", "arg_start", "arg_end", "env_start", "env_end",
	};

	return i >= 0 && i < MM_COUNT ? names[i] : NULL;
}

void moment_free(struct moment *M)
{
	for (size_t i = 0; M->vmas && i < M->n_vmas; i++) {
		free(M->vmas[i].path);
		free(M->vmas[i].object);
	}
	for (size_t i = 0; M->objects && i < M->n_objects; i++)
		free(M->objects[i].path);
	free(M->vmas);
	free(M->objects);
	free(M->threads);
	free(M->exe);
	free(M->origin);
	memset(M, 0, sizeof(*M));
}

static int copy_vmas(struct moment *M, const struct layout *L)
{
	M->vmas = calloc(L->vmas.n ? L->vmas.n : 1, sizeof(*M->vmas));
	if (!M->vmas)
		return -1;
	for (size_t i = 0; i < L->vmas.n; i++) {
		const struct vma *v = &L->vmas.v[i];
		struct moment_vma *m = &M->vmas[i];
		const char *obj = v->object >= 0 && (size_t)v->object < L->n_objects
					  ? layout_object_path(L, &L->objects[v->object]) : "";
		M->n_vmas = i + 1;
		*m = (struct moment_vma){
			.start = v->start, .end = v->end, .offset = v->offset, .inode = v->inode,
			.dev_major = v->dev_major, .dev_minor = v->dev_minor, .perms = v->perms,
			.role = v->role, .region = v->region, .deleted = v->deleted,
			.tid = v->tid, .f = vma_figures(v),
		};
		m->path = strdup(vma_name(&L->vmas, v));
		m->object = strdup(obj);
		if (!m->path || !m->object)
			return -1;
	}
	return 0;
}

/* f into the totals, the region and role of v, and object o (-1: none). */
static void add(struct moment *M, const struct figures *f, int region, int role, ptrdiff_t o)
{
	figures_add(&M->totals, f);
	figures_add(&M->regions[region], f);
	figures_add(&M->roles[role], f);
	if (o >= 0)
		figures_add(&M->objects[o].f, f);
}

void moment_sum(struct moment *M)
{
	memset(&M->totals, 0, sizeof(M->totals));
	memset(M->regions, 0, sizeof(M->regions));
	memset(M->roles, 0, sizeof(M->roles));
	for (size_t i = 0; i < M->n_objects; i++)
		memset(&M->objects[i].f, 0, sizeof(M->objects[i].f));
	for (size_t i = 0; i < M->n_vmas; i++) {
		const struct moment_vma *v = &M->vmas[i];
		ptrdiff_t o = -1;
		/* the instance of the object: its path, the highest load bias at or
		 * below the VMA */
		for (size_t k = 0; *v->object && k < M->n_objects; k++) {
			const struct moment_object *c = &M->objects[k];
			if (strcmp(c->path, v->object) != 0 || (c->has_bias && c->load_bias > v->start))
				continue;
			if (o < 0 || c->load_bias > M->objects[o].load_bias)
				o = (ptrdiff_t)k;
		}
		add(M, &v->f, v->region, v->role, o);
	}
}

int moment_from_layout(struct moment *M, const struct layout *L, const char *origin,
		       const char *kind, double time, bool with_vmas)
{
	const struct opt_addr *mm = &L->mm.start_code;

	memset(M, 0, sizeof(*M));
	M->kind = kind;
	M->schema = 1;
	M->pid = L->pid;
	snprintf(M->comm, sizeof(M->comm), "%s", L->has_id && L->id.comm ? L->id.comm
									 : L->stat.comm);
	M->start_time = L->has_id ? L->id.start_time : L->stat.start_time;
	M->has_start_time = L->has_id || L->stat.start_time;
	M->time = time;
	M->figures_unknown = L->figures_unknown;
	for (int i = 0; i < MM_COUNT; i++)
		M->mm[i] = mm[i];
	M->origin = strdup(origin);
	M->exe = L->exe ? strdup(L->exe) : NULL;
	M->objects = calloc(L->n_objects ? L->n_objects : 1, sizeof(*M->objects));
	M->threads = calloc(L->n_threads ? L->n_threads : 1, sizeof(*M->threads));
	if (!M->origin || (L->exe && !M->exe) || !M->objects || !M->threads)
		goto fail;
	for (size_t i = 0; i < L->n_objects; i++) {
		const struct object *o = &L->objects[i];
		struct moment_object *m = &M->objects[i];
		M->n_objects = i + 1;
		*m = (struct moment_object){
			.dev_major = o->dev_major, .dev_minor = o->dev_minor, .inode = o->inode,
			.has_bias = o->has_bias, .load_bias = o->load_bias,
		};
		m->path = strdup(layout_object_path(L, o));
		if (!m->path)
			goto fail;
	}
	for (size_t i = 0; i < L->n_threads; i++) {
		M->threads[i].tid = L->threads[i].tid;
		snprintf(M->threads[i].comm, sizeof(M->threads[i].comm), "%s", L->threads[i].comm);
	}
	M->n_threads = L->n_threads;
	/* each VMA whole, in its own role (see moment.h) */
	for (size_t i = 0; i < L->vmas.n; i++) {
		const struct vma *v = &L->vmas.v[i];
		struct figures f = vma_figures(v);
		add(M, &f, v->region, v->role,
		    v->object >= 0 && (size_t)v->object < L->n_objects ? v->object : -1);
	}
	if (with_vmas) {
		if (copy_vmas(M, L) < 0)
			goto fail;
	} else {
		M->n_vmas = L->vmas.n;
	}
	return 0;
fail:
	moment_free(M);
	errno = ENOMEM;
	return -1;
}

/* rollup.c - the figures summed, and what follows from the roles (see layout.h) */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "attr/rollup.h"

int role_part(enum role r)
{
	switch (r) {
	case ROLE_TEXT:
		return PART_TEXT;
	case ROLE_RODATA:
		return PART_RODATA;
	case ROLE_RELRO:
		return PART_RELRO;
	case ROLE_DATA:
		return PART_DATA;
	case ROLE_BSS:
		return PART_BSS;
	default:
		return -1;
	}
}

int rollup_sum(struct rollup *r, const struct layout *L, const bool *sel)
{
	size_t no = L->n_objects ? L->n_objects : 1;

	memset(r, 0, sizeof(*r));
	r->obj_total = calloc(no, sizeof(*r->obj_total));
	r->obj_part = calloc(no, sizeof(*r->obj_part));
	if (!r->obj_total || !r->obj_part) {
		rollup_free(r);
		errno = ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < L->vmas.n; i++) {
		const struct vma *v = &L->vmas.v[i];
		if (sel && !sel[i])
			continue;
		struct figures fv = vma_figures(v), parts[2];	/* read once, added where it counts */
		bool measured;
		figures_add(&r->totals, &fv);
		if (v->bss_pages && (size_t)v->bss_object < L->n_objects &&
		    vma_part_figures(v, L->page_size, parts, &measured)) {
			/* merged across the end of a bss: the bss part counts there */
			figures_add(&r->regions[REGION_BSS], &parts[0]);
			figures_add(&r->roles[ROLE_BSS], &parts[0]);
			figures_add(&r->obj_total[v->bss_object], &parts[0]);
			figures_add(&r->obj_part[v->bss_object][PART_BSS], &parts[0]);
			fv = parts[1];
		}
		figures_add(&r->regions[v->region], &fv);
		figures_add(&r->roles[v->role], &fv);
		if (v->object >= 0 && (size_t)v->object < L->n_objects) {
			figures_add(&r->obj_total[v->object], &fv);
			int part = role_part(v->role);
			if (part >= 0)
				figures_add(&r->obj_part[v->object][part], &fv);
		}
	}
	return 0;
}

void rollup_free(struct rollup *r)
{
	free(r->obj_total);
	free(r->obj_part);
	r->obj_total = NULL;
	r->obj_part = NULL;
}

/* Where the mmap area starts (mm->mmap_base, which /proc does not show), inferred:
 * top-down, the end of the highest mapping below the stack (the first mapping goes
 * right below mmap_base).  Unknown bottom-up (where the executable and the heap may
 * lie above the mapped area) and when the direction is unknown. */
static void infer_mmap_base(struct layout *L)
{
	const struct vma_list *l = &L->vmas;
	uint64_t stack = 0, low = 0, best = 0;
	bool found = false;

	L->mmap_base.known = false;
	for (size_t i = 0; i < l->n; i++) {
		const struct vma *v = &l->v[i];
		if (v->role == ROLE_STACK)
			stack = v->start;
		if (v->role == ROLE_HEAP || (v->object >= 0 && v->object == L->exe_object))
			low = v->end;
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct vma *v = &l->v[i];
		if (v->start < low || v->role == ROLE_STACK || v->role == ROLE_VSYSCALL ||
		    (stack && v->end > stack))
			continue;
		if (L->mmap_layout == LAYOUT_MMAP_TOPDOWN) {
			best = v->end;	/* ascending: the last one is the highest */
			found = true;
		}
	}
	if (found)
		L->mmap_base = (struct opt_addr){ best, true };
}

void layout_derive(struct layout *L)
{
	struct vma_list *l = &L->vmas;
	uint64_t total = 0, data = 0, exec = 0, stack = 0;

	for (size_t i = 0; i < l->n; i++) {
		struct vma *v = &l->v[i];
		v->region = (uint8_t)role_region(v->role);
		if (v->object >= 0) {
			struct object *o = &L->objects[v->object];
			if (v->start < o->low)
				o->low = v->start;
			if (v->end > o->high)
				o->high = v->end;
		}
		/* mm/mmap.c vm_stat_account(); the gate VMA [vsyscall] is not in the mm */
		if (v->name_kind == VMA_NAME_VSYSCALL || !v->has_vmflags)
			continue;
		uint64_t f = v->vmflags, size = v->end - v->start;
		bool is_stack = f & (VMF_BIT(VMF_GD) | VMF_BIT(VMF_GU));
		total += size;
		if ((f & VMF_BIT(VMF_WR)) && !(f & VMF_BIT(VMF_SH)) && !is_stack)
			data += size;
		else if ((f & VMF_BIT(VMF_EX)) && !(f & VMF_BIT(VMF_WR)) && !is_stack)
			exec += size;
		else if (is_stack || (f & VMF_BIT(VMF_SS)))
			stack += size;
	}
	L->vmc[VMC_TOTAL].vmas = total;
	L->vmc[VMC_DATA].vmas = data;
	L->vmc[VMC_EXEC].vmas = exec;
	L->vmc[VMC_STACK].vmas = stack;
	infer_mmap_base(L);
	if (L->has_kc) {
		struct proc_counters *k = &L->kc;
		L->vmc[VMC_TOTAL].kernel = k->vm_size;
		L->vmc[VMC_DATA].kernel = k->vm_data;
		L->vmc[VMC_EXEC].kernel = k->vm_exe + k->vm_lib;
		L->vmc[VMC_STACK].kernel = k->vm_stk;
		for (int i = 0; i < VMC_COUNT; i++)
			L->vmc[i].kernel_known = l->has_figures;
	}
}


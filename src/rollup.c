/* rollup.c - the figures summed (see layout.h, layout_roll_up()) */
#include "config.h"

#include "layout.h"

void layout_roll_up(struct layout *L)
{
	struct vma_list *l = &L->vmas;
	uint64_t total = 0, data = 0, exec = 0, stack = 0;

	for (size_t i = 0; i < l->n; i++) {
		struct vma *v = &l->v[i];
		struct figures fv = vma_figures(v);	/* read once, added where it counts */
		v->region = (uint8_t)role_region(v->role);
		figures_add(&L->totals, &fv);
		figures_add(&L->regions[v->region], &fv);
		figures_add(&L->roles[v->role], &fv);
		if (v->object >= 0) {
			struct object *o = &L->objects[v->object];
			figures_add(&o->total, &fv);
			if (v->start < o->low)
				o->low = v->start;
			if (v->end > o->high)
				o->high = v->end;
			switch (v->role) {
			case ROLE_TEXT:
				figures_add(&o->part[PART_TEXT], &fv);
				break;
			case ROLE_RODATA:
				figures_add(&o->part[PART_RODATA], &fv);
				break;
			case ROLE_RELRO:
				figures_add(&o->part[PART_RELRO], &fv);
				break;
			case ROLE_DATA:
				figures_add(&o->part[PART_DATA], &fv);
				break;
			case ROLE_BSS:
				figures_add(&o->part[PART_BSS], &fv);
				break;
			default:
				break;
			}
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


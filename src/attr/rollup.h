/* rollup.h - the figures summed, and what follows from the roles
 *
 * Units: bytes.
 */
#ifndef VMLAYOUT_ROLLUP_H
#define VMLAYOUT_ROLLUP_H

#include <stdbool.h>

#include "model/layout.h"

/* What follows from the roles: every VMA's region (role_region()), each
 * object's span (low, high), and the kernel's VM counters recomputed from the VMAs'
 * VmFlags (L->vmc). */
void layout_derive(struct layout *L);

/* The part of an object a role is (PART_*), or -1 for the roles that are none. */
int role_part(enum role r);

/* The figures of a set of VMAs, each a plain sum over them (the roll-up). */
struct rollup {
	struct figures totals, regions[REGION_COUNT], roles[ROLE_COUNT];
	struct figures *obj_total;	/* per object of the layout (malloc'd, n_objects) */
	struct figures (*obj_part)[PART_COUNT];	/* the same, per part of the object */
};

/* The one roll-up: sum the figures of the VMAs of L for which sel[i] is true (sel
 * NULL: every VMA) into r, by region, by role, per object and per object part.
 * Every total the views print comes from here.  Returns 0, or -1 with errno ENOMEM
 * (r holds nothing to free then). */
int rollup_sum(struct rollup *r, const struct layout *L, const bool *sel);
void rollup_free(struct rollup *r);

#endif

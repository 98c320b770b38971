/* filter.h - the VMA filters (--role, --region, --perms, --object) and the
 * selection of VMAs they make, with the figures summed over it
 *
 * Units: bytes.
 */
#ifndef VMLAYOUT_FILTER_H
#define VMLAYOUT_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/layout.h"
#include "attr/rollup.h"

struct vma_filter {
	uint32_t roles;		/* bit (1 << enum role) for each role allowed; 0: any */
	uint32_t regions;	/* bit (1 << enum region); 0: any */
	uint32_t perms;		/* VMA_PERM_* bits that must all be set */
	uint32_t perms_not;	/* VMA_PERM_* bits that must be clear ('p': not shared) */
	const char **globs;	/* --object patterns (fnmatch(3)); a VMA matches any */
	size_t n_globs;
};

/* Whether any filter is set. */
bool vma_filter_active(const struct vma_filter *f);

/* Parse a --role LIST / --region LIST (comma-separated names) into f.  Returns 0,
 * or -1 with a message in err. */
int vma_filter_roles(struct vma_filter *f, const char *list, char *err, size_t errlen);
int vma_filter_regions(struct vma_filter *f, const char *list, char *err, size_t errlen);
/* Parse --perms: letters r, w, x, s (shared) and p (private), all of which a VMA must
 * have.  Returns 0, or -1 with a message in err. */
int vma_filter_perms(struct vma_filter *f, const char *letters, char *err, size_t errlen);

/* Whether VMA i of L passes f. */
bool vma_filter_match(const struct vma_filter *f, const struct layout *L, size_t i);

/* The VMAs of a layout that a filter selects, and their sums (bytes). */
struct vma_selection {
	bool filtered;		/* a filter was active */
	bool *sel;		/* sel[i]: VMA i is selected (malloc'd, L->vmas.n) */
	size_t n;		/* how many are selected */
	struct rollup sum;	/* their figures (rollup_sum()) */
};

/* Select the VMAs of L that f passes (f NULL or inactive: all) and sum their
 * figures (rollup_sum()).  Returns 0, or -1 with errno ENOMEM (s holds nothing to
 * free then). */
int vma_selection_init(struct vma_selection *s, const struct layout *L,
		       const struct vma_filter *f);
void vma_selection_free(struct vma_selection *s);

static inline bool vma_selected(const struct vma_selection *s, size_t i)
{
	return s->sel[i];
}

#endif

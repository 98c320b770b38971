/* diff.h - what changed between two moments of a process (--diff, --watch)
 *
 * diff_moments() compares an older moment a with a newer one b (moment.h): the
 * figures of the totals, of each region and role, the ELF objects that were loaded,
 * unloaded, grew or shrank, the VMAs that appeared, disappeared, grew, shrank or
 * moved, the threads that started and ended, and the mm_struct boundaries that
 * moved.  The views print it (diff_view.c).
 *
 * VMAs are matched across the two moments in this order, each VMA matched once:
 *   1. thread stacks by the thread's TID;
 *   2. the main stack, the brk heap, [vdso], [vvar], [vsyscall] by role;
 *   3. file mappings by device, inode, file offset and permissions (several of one
 *      key, as two loads of one library, in address order);
 *   4. the rest (anonymous memory, arenas, shared memory) by address: the same
 *      start, else the same end (a mapping that grew downwards), else overlapping
 *      addresses and the same role;
 *   5. what is left, by role, permissions and size: a mapping moved by mremap(2)
 *      is "moved", not one removal plus one addition.
 *
 * A VMA or object has changed when its SIZE, RSS or SWAP did: PSS and PRIVATE of
 * pages shared with other processes change with what those processes do, and a
 * change of them alone is not a change of this process (still shown in the figures).
 *
 * Units: bytes; changes are signed (new - old).
 */
#ifndef VMLAYOUT_DIFF_H
#define VMLAYOUT_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attr/moment.h"

enum change {
	CHANGE_NONE,		/* the same SIZE, RSS and SWAP */
	CHANGE_APPEARED,	/* only in b (an object: "loaded") */
	CHANGE_DISAPPEARED,	/* only in a (an object: "unloaded") */
	CHANGE_GREW,		/* SIZE or else RSS larger in b */
	CHANGE_SHRANK,		/* SIZE or else RSS smaller in b */
	CHANGE_MOVED,		/* a VMA at another address */
	CHANGE_COUNT
};
/* "appeared", "disappeared", "grown", "shrunk", "moved", "unchanged"; for objects
 * "loaded" and "unloaded" instead of the first two (object true). */
const char *change_name(enum change c, bool object);

/* The figures before and after. */
struct fig_pair {
	struct figures a, b;
};

/* The signed change of a figure, b - a. */
static inline int64_t fig_change(uint64_t a, uint64_t b)
{
	return (int64_t)(b - a);
}

/* How much p changed, for sorting: |change of RSS|, then |change of SIZE| (bytes). */
uint64_t fig_pair_weight(const struct fig_pair *p);

/* The change of SIZE, RSS or SWAP in p: CHANGE_NONE, CHANGE_GREW or CHANGE_SHRANK
 * (by SIZE when it changed, else by RSS, else by SWAP). */
enum change fig_pair_change(const struct fig_pair *p);

/* A VMA of a, of b, or of both (ia, ib: indexes, -1 for none). */
struct diff_vma {
	ptrdiff_t ia, ib;
	enum change change;
	const char *match;	/* how it was matched: "tid", "role", "file", "address",
				 * "moved"; NULL when only on one side */
	struct fig_pair f;
};

/* An ELF object of a, of b, or of both. */
struct diff_object {
	ptrdiff_t ia, ib;
	enum change change;
	struct fig_pair f;
};

struct diff_mm {
	int which;		/* MM_* */
	struct opt_addr a, b;
};

struct diff {
	const struct moment *a, *b;
	struct fig_pair totals, regions[REGION_COUNT], roles[ROLE_COUNT];
	struct diff_object *objects;	/* every object, changed first, largest change first */
	size_t n_objects, n_objects_changed;
	struct diff_vma *vmas;		/* every VMA, changed first, largest change first */
	size_t n_vmas, n_vmas_changed;
	pid_t *started, *ended;		/* TIDs of the threads only in b, only in a */
	size_t n_started, n_ended;
	struct diff_mm mm[MM_COUNT];	/* the boundaries that moved (or became known) */
	size_t n_mm;
	bool changed;			/* anything at all: a VMA, an object, a thread, a
					 * boundary, or SIZE, RSS, SWAP of the totals */
};

/* Compare moment a (older) with b (newer) into d, which keeps pointers to both.
 * The VMAs are compared when both moments have them (vmas not NULL).  Returns 0,
 * or -1 with errno ENOMEM (d holds nothing to free then). */
int diff_moments(struct diff *d, const struct moment *a, const struct moment *b);
void diff_free(struct diff *d);

/* Whether a and b are moments of the same process: the same PID, and the same
 * start time when both know it, and the same executable when both know it.
 * When not, why into why (whylen bytes). */
bool moment_same_process(const struct moment *a, const struct moment *b, char *why,
			 size_t whylen);

#endif

/* array.h - room for one more element in a growable array
 *
 *	if (ARRAY_GROW(list->v, list->cap, list->n, 64) < 0)
 *		return -1;			(errno ENOMEM; the array is unchanged)
 *	list->v[list->n++] = item;
 *
 * ptr is the array (realloc'd), cap its capacity in elements, n the elements in
 * use; a full array doubles, an empty one gets first elements.  Evaluates 0 or -1;
 * each argument may be evaluated more than once.
 */
#ifndef VMLAYOUT_ARRAY_H
#define VMLAYOUT_ARRAY_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

/* A new buffer for *cap elements of elem bytes, doubled (or first); NULL with
 * errno ENOMEM, the old buffer kept.  *cap is updated on success. */
static inline void *array_grown(void *ptr, size_t *cap, size_t elem, size_t first)
{
	size_t nc = *cap ? *cap * 2 : first;
	void *nv;

	/* GCOVR_EXCL_START: more elements than memory holds; tests/test-model.c calls
	 * this directly with such a *cap (the program never has one) */
	if (nc < *cap || nc > SIZE_MAX / elem) {
		errno = ENOMEM;
		return NULL;
	}
	/* GCOVR_EXCL_STOP */
	nv = realloc(ptr, nc * elem);
	if (nv)
		*cap = nc;
	return nv;
}

#define ARRAY_GROW(ptr, cap, n, first)							\
	__extension__({									\
		int array_rc_ = 0;							\
		if ((n) >= (cap)) {							\
			__typeof__(ptr) array_nv_ =					\
				array_grown((ptr), &(cap), sizeof(*(ptr)), (first));	\
			if (array_nv_)							\
				(ptr) = array_nv_;					\
			else								\
				array_rc_ = -1;						\
		}									\
		array_rc_;								\
	})

#endif

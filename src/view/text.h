/* text.h - what the parts of the text view share (text.c, diagram.c; svg.c too)
 *
 * Units: bytes.
 */
#ifndef VMLAYOUT_TEXT_H
#define VMLAYOUT_TEXT_H

#include <stdio.h>

#include "view/views.h"

#define WIDTH 80	/* columns of the text view */

/* The text view being written: where, what, and how lines are drawn. */
struct ctx {
	FILE *out;
	const struct layout *L;
	const struct vma_selection *s;
	const struct render_opts *o;
	int aw;			/* width of the address column */
	const char *v, *top, *mid, *end, *gap;	/* line drawing */
	const char *c_dim, *c_bold, *c_off, *c_warn;
};

/* A size in human units ("1.3M"), or bytes with --bytes, into buf (len bytes). */
const char *text_size(const struct ctx *c, char *buf, size_t len, uint64_t v);

/* A figure other than SIZE the same way: "?" when the source has none (maps text,
 * an ELF file, a core). */
const char *text_figure(const struct ctx *c, char *buf, size_t len, uint64_t v);

/* Whether the diagram draws VMA v in an mmap area band (every VMA that is not the
 * executable's, the heap, the stack or [vsyscall]). */
bool diagram_in_mmap_band(const struct layout *L, const struct vma *v);

/* The diagram, high addresses on top, onto c->out.  Returns 0, or -1 with errno
 * ENOMEM (nothing written then). */
int text_diagram(struct ctx *c);

#endif

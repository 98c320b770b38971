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
	int width;		/* columns the header and the diagram's labels fit in
				 * (WIDTH; the SVG gives them more) */
	int aw;			/* width of the address column */
	const char *v, *top, *mid, *end, *gap;	/* line drawing */
	const char *c_dim, *c_bold, *c_off, *c_warn;
};

/* c set up for the view of L over the selection s with the options o onto out:
 * the width of the address column (the highest address drawn), the line drawing
 * (o->ascii) and the colours (o->color). */
void text_ctx_init(struct ctx *c, FILE *out, const struct layout *L,
		   const struct render_opts *o, const struct vma_selection *s);

/* The header of the view, in three buffers of TEXT_HEADER_LEN bytes, without
 * colour: what (the process or the file read: "pid 1234", "snapshot of pid 1234",
 * "ELF file PATH"), rest (the rest of the first line: the command line, machine, ELF
 * class and type, page size and threads) and totals (the second line: SIZE, RSS,
 * PSS, SHARE, PRIVATE, SWAP and VMAs of c->s, or SIZE and DUMPED for a core).  The
 * names in them are made printable (name_printable()). */
#define TEXT_HEADER_LEN 512
void text_header(const struct ctx *c, char *what, char *rest, char *totals);

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

/* diagram.h - the rows of the diagram (diagram.c), drawn by the text view (text.c)
 * and by the SVG (svg.c)
 *
 * The diagram is computed once, as an array of rows from the top of the address
 * space down: the kernel's half, task_size, the bands of VMAs (stack, mmap area,
 * heap, bss, data, code) with the runs of VMAs inside the mmap area, the gaps
 * between them and the notes under them.  The text view prints one line a row; the
 * SVG draws the same rows as boxes.  Everything a row says is in it: the labels are
 * made once, the way the text view prints them (80 columns, cut with an ellipsis).
 *
 * Units: bytes; addresses are virtual addresses.
 */
#ifndef VMLAYOUT_DIAGRAM_H
#define VMLAYOUT_DIAGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/layout.h"
#include "view/text.h"

/* What a row is.  The rows after a HEAD, BAND or GAP row, up to the next HEAD,
 * BAND, GAP, MARK or END row, are drawn inside it (ITEM, KREGION, NOTE). */
enum drow_kind {
	DROW_HEAD,	/* the top of the picture: addr (its highest byte), label; for
			 * the kernel's half of x86-64 its range too */
	DROW_BAND,	/* a band of VMAs: addr (its end, drawn on top), label, fig,
			 * range */
	DROW_ITEM,	/* a run of VMAs of the mmap area band above (one object, one
			 * thread stack, a kind folded), or [vsyscall] in the kernel's
			 * half: label, fig, range, parts */
	DROW_KREGION,	/* a documented region of the kernel's half (kspace.h): label
			 * (the text view's line), name, size_text, range, randomized */
	DROW_NOTE,	/* a line about what is above it: the roles of a band, the mm
			 * boundaries, the threads' names, the paging mode: label */
	DROW_MARK,	/* a boundary that is no VMA (task_size, the start of the
			 * kernel's half): addr, label */
	DROW_GAP,	/* unmapped addresses: range, size_text, label (what they are:
			 * " unmapped", " non-canonical, ...") */
	DROW_END,	/* the bottom of the picture: addr */
};

/* What a row is coloured as: a region (enum region), or one of these. */
enum { DCOLOR_KERNEL = REGION_COUNT, DCOLOR_GAP, DCOLOR_NONE, DCOLOR_COUNT };

struct diagram_row {
	enum drow_kind kind;
	bool top;		/* BAND, MARK: the first line of the picture */
	bool has_range;		/* lo and last hold its addresses */
	uint64_t lo, last;	/* [lo, last]: last inclusive (the top ends at 2^64) */
	uint64_t addr;		/* HEAD, BAND, MARK, END: the address the line shows */
	bool has_fig;
	struct figures fig;	/* BAND, ITEM (vmas 0 in a part of a VMA) */
	int color;		/* enum region or DCOLOR_* */
	uint64_t parts[REGION_COUNT];	/* ITEM: its size in each region (a library:
					 * code, data and bss) */
	bool randomized;	/* KREGION: its base moves with KASLR */
	char size_text[48];	/* GAP, KREGION: the size ("12 GiB", or bytes) */
	char name[64];		/* KREGION: the region's name ("direct map") */
	char label[512];	/* UTF-8 (names made printable: name_printable()) */
};

struct diagram {
	struct diagram_row *rows;
	size_t n, cap;
	bool oom;		/* a row could not be added */
	struct diagram_row spare;	/* what is written when a row cannot be added */
};

/* The rows of the diagram of c->L (the whole address space; c->s is not read),
 * with the labels of the text view made for c->aw and c->o (ascii, bytes).
 * Returns 0, or -1 with errno ENOMEM (d then holds nothing).  Free with
 * diagram_free(). */
int diagram_rows(const struct ctx *c, struct diagram *d);
void diagram_free(struct diagram *d);

#endif

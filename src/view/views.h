/* views.h - the views of a process with the options of the command line
 *
 * The text view (text.c), the JSON document (json.c), the VMA table
 * and the list of columns (table.c).  They take a selection of VMAs
 * (filter.h) and the other options; they read the model (layout.h)
 * and never /proc, and write to a stdio stream.  Errors of the stream are left in
 * it for the caller (ferror()); the other errors are returned, each function
 * saying what it has written then.
 *
 * Units: bytes everywhere.
 */
#ifndef VMLAYOUT_VIEWS_H
#define VMLAYOUT_VIEWS_H

#include <stdbool.h>
#include <stdio.h>

#include "attr/addr.h"
#include "attr/filter.h"
#include "model/layout.h"
#include "view/columns.h"
#include "view/jsonwrt.h"

/* Options of the text view. */
struct render_opts {
	bool bytes;	/* sizes as exact byte counts instead of K/M/G/T (binary) */
	bool color;	/* ANSI colour escapes */
	bool ascii;	/* ASCII lines instead of UTF-8 box drawing */
};

/* Parts of the text view (--summary, --objects, --diagram); 0 means all. */
enum {
	TEXT_DIAGRAM = 1 << 0,
	TEXT_SUMMARY = 1 << 1,
	TEXT_OBJECTS = 1 << 2,
	TEXT_ROLES = 1 << 3,	/* only when asked for (--roles) */
	TEXT_ALL = TEXT_DIAGRAM | TEXT_SUMMARY | TEXT_OBJECTS,
};

/* The text view, 80 columns: the header, the diagram (high addresses on top), the
 * region summary and the per-object table, or only the parts in parts (TEXT_*),
 * over the VMAs of s: the header's totals, the region summary and the object table
 * sum the selected VMAs only and say "filtered" when s->filtered; the diagram
 * always shows the whole address space.  The warnings of L are not in it (the
 * command line prints them on stderr).  Returns 0, or -1 with errno ENOMEM: out
 * then holds part of the view (vmlayout.c makes it in memory, and writes it only
 * whole). */
int render_text_view(FILE *out, const struct layout *L, const struct render_opts *o,
		     const struct vma_selection *s, unsigned parts);

/* The diagram of the text view (the whole address space, whatever s selects) as
 * one standalone SVG document (svg.c): a box a band, run, kernel region or gap, from
 * the top of the address space down, coloured by region, its height growing with
 * log2 of its size (pixels); the addresses on the left, SIZE and RSS on the right;
 * a <title> (tooltip) on each with its addresses and figures (SIZE, RSS, PSS,
 * SHARE, PRIVATE, SWAP: bytes, written as the text view writes them, o->bytes);
 * above it the header of the text view (its totals over s) and a legend.  No
 * script, no reference outside the document; valid UTF-8 XML whatever bytes the
 * names hold.  Returns 0, or -1 with errno ENOMEM: out then holds part of the
 * document, or nothing (vmlayout.c makes it in memory and writes it only whole). */
int render_svg(FILE *out, const struct layout *L, const struct render_opts *o,
	       const struct vma_selection *s);

/* The attribution of VMA v as JSON members of the object open on w: "region",
 * "role", "object" (the ELF object's path or null) and "tid" (or null). */
void render_json_vma_role(struct jsonwrt *w, const struct layout *L, const struct vma *v);

/* The attribution of VMA v as JSON members of the object open on w: "region",
 * "role", "object" (the ELF object's path or null) and "tid" (or null). */
void render_json_vma_role(struct jsonwrt *w, const struct layout *L, const struct vma *v);

/* The JSON document (schema 1) of L over the selection s onto the writer w (one
 * value: the caller opens no container around it, or an array for several
 * documents).  With s->filtered, "vmas" holds the selected VMAs only; "totals",
 * "regions", "roles" and the "objects" (only those with a selected VMA) sum them;
 * "totals" has "filtered": true; "filter" describes f.  Without a filter
 * "filtered" is false and "filter" is null.  It cannot fail: the memory it asks for
 * (the list of the selected rows) only makes it faster, and it does without; write
 * errors are left in w's stream. */
void render_json_value(struct jsonwrt *w, const struct layout *L,
		       const struct vma_selection *s, const struct vma_filter *f);

/* The "process" member of the JSON document (man page, JSON OUTPUT) onto w, which
 * must be inside an object. */
void render_json_process(struct jsonwrt *w, const struct layout *L);

/* Options of the VMA table. */
struct table_opts {
	const int *cols;	/* column ids (columns.h), in output order */
	size_t ncols;
	int sort;		/* column id to sort the rows by, or -1 */
	bool sort_desc;		/* descending (the same values stay in address order) */
	bool bytes;		/* sizes as byte counts */
	bool raw;		/* libsmartcols raw output */
	bool pairs;		/* NAME="value" pairs */
	bool noheadings;
	bool color;
	bool total;	/* a last row: each size column's sum, "total" in the first other */
};

/* The table of the selected VMAs of L, one row each, in address order (or sorted by
 * t->sort: numbers by value, text by bytes); with t->total a last row sums each
 * size column (bytes; unknown values count nothing) and says "total" in the first
 * column that is not a size.  On a terminal, and in the raw and
 * pairs formats, libsmartcols prints it (fitted to the terminal's width); elsewhere
 * a printer that streams the rows lays it out as libsmartcols does off a terminal,
 * byte for byte, without holding the cells in memory.  Returns 0, or -1 with errno
 * (ENOMEM), having written nothing, except when libsmartcols fails while it prints:
 * then the table may be cut. */
int render_vma_table(FILE *out, const struct layout *L, const struct vma_selection *s,
		     const struct table_opts *t);

/* The printers of render_vma_table(), chosen whatever out is (for the test that the
 * two give the same bytes): libsmartcols as on a terminal, libsmartcols told that
 * out is not one, and the streamed printer.  Returns as render_vma_table(). */
enum table_printer { TABLE_SCOLS, TABLE_SCOLS_OFF_TERMINAL, TABLE_STREAMED };
int render_vma_table_by(FILE *out, const struct layout *L, const struct vma_selection *s,
			const struct table_opts *t, enum table_printer printer);

/* The same rows as a JSON value onto w: {"pid": N, "vmas": [{"start": ...}, ...]}
 * with the columns' names in lower case as keys; sizes and numbers as JSON numbers
 * (bytes), addresses as hex strings, DELETED and THP_ELIGIBLE as booleans, unknown
 * values as null.  With t->total a member "total" follows "vmas": an object with
 * each size column's sum over the rows (bytes; unknown values count nothing).  Returns 0, or -1 with errno ENOMEM having written nothing. */
int render_vma_json(struct jsonwrt *w, const struct layout *L, const struct vma_selection *s,
		    const struct table_opts *t);

/* --list-columns: NAME and DESCRIPTION of every column, as a table (t->raw,
 * t->pairs, t->noheadings apply; t->cols is ignored) or, with json, as
 * {"columns": [{"name": "START", "description": "...", "type": "address"}, ...]}.
 * Returns 0, or -1 with errno ENOMEM (the table only). */
int render_columns_list(FILE *out, const struct table_opts *t, bool json);

/* --reference: the documented layout k (model/kspace.h), no process, from the top
 * of the address space down: a header naming the layout and the kernel document
 * it is from, then a row for each of the kernel's regions, the hole between the
 * halves (when there is one) and user space, each with its first and last address
 * (bytes; the last is the documents' "End"), its size (in words, "2 MiB", or in
 * bytes with bytes), its name ("*" after it: KASLR moves its base) and on the
 * next line what it holds.  Returns 0; write errors are left in out. */
struct kspace_layout;
int render_reference_text(FILE *out, const struct kspace_layout *k, bool bytes);

/* The same as one JSON document onto w: {"schema": 1, "reference": "x86_64",
 * "paging", "address_bits", "source", "note" (or null), "user_end",
 * "kernel_start", "regions": [{"start", "last" (hex strings), "size" (bytes),
 * "part" ("kernel", "hole" or "user"), "name", "meaning" (or null), "kaslr"}]}. */
void render_reference_json(struct jsonwrt *w, const struct kspace_layout *k);

/* The report as text lines (sizes in human units unless bytes). */
void addr_render_text(FILE *out, const struct layout *L, const struct addr_info *ai,
		      bool bytes);

/* The report as one JSON object onto w (man page, ADDRESS LOOKUP). */
void addr_render_json(struct jsonwrt *w, const struct layout *L, const struct addr_info *ai);

#endif

/* views.h - the views of a process with the options of the command line
 *
 * render.h gives the plain text view and the JSON document of a whole process.
 * These take a selection of VMAs (columns.h: the filters) and the other options:
 * the parts of the text view, the VMA table (render_table.c), the JSON document
 * with a filter, the list of columns.  Like render.h they read the model and write
 * to a stdio stream; errors of the stream are left in it for the caller.
 *
 * Units: bytes everywhere.
 */
#ifndef VMLAYOUT_VIEWS_H
#define VMLAYOUT_VIEWS_H

#include <stdbool.h>
#include <stdio.h>

#include "columns.h"
#include "jsonwrt.h"
#include "layout.h"
#include "render.h"

/* Parts of the text view (--summary, --objects, --diagram); 0 means all. */
enum {
	TEXT_DIAGRAM = 1 << 0,
	TEXT_SUMMARY = 1 << 1,
	TEXT_OBJECTS = 1 << 2,
	TEXT_ALL = TEXT_DIAGRAM | TEXT_SUMMARY | TEXT_OBJECTS,
};

/* The text view (render.h render_text()) with only the parts in parts (TEXT_*),
 * over the VMAs of s: the header's totals, the region summary and the object table
 * sum the selected VMAs only and say "filtered" when s->filtered; the diagram
 * always shows the whole address space. */
void render_text_view(FILE *out, const struct layout *L, const struct render_opts *o,
		      const struct vma_selection *s, unsigned parts);

/* The attribution of VMA v as JSON members of the object open on w: "region",
 * "role", "object" (the ELF object's path or null) and "tid" (or null). */
void render_json_vma_role(struct jsonwrt *w, const struct layout *L, const struct vma *v);

/* The JSON document (schema 1) of L over the selection s onto the writer w (one
 * value: the caller opens no container around it, or an array for several
 * documents).  With s->filtered, "vmas" holds the selected VMAs only; "totals",
 * "regions", "roles" and the "objects" (only those with a selected VMA) sum them;
 * "totals" has "filtered": true; "filter" describes f.  Without a filter
 * "filtered" is false and "filter" is null. */
void render_json_value(struct jsonwrt *w, const struct layout *L,
		       const struct vma_selection *s, const struct vma_filter *f);

/* The "process" member of the JSON document (man page, JSON OUTPUT) onto w, which
 * must be inside an object. */
void render_json_process(struct jsonwrt *w, const struct layout *L);

/* Options of the VMA table. */
struct table_opts {
	const int *cols;	/* column ids (columns.h), in output order */
	size_t ncols;
	int sort;		/* column id to sort the rows by (ascending), or -1 */
	bool bytes;		/* sizes as byte counts */
	bool raw;		/* libsmartcols raw output */
	bool pairs;		/* NAME="value" pairs */
	bool noheadings;
	bool color;
};

/* The table of the selected VMAs of L, one row each, in address order (or sorted by
 * t->sort: numbers by value, text by bytes).  On a terminal, and in the raw and
 * pairs formats, libsmartcols prints it (fitted to the terminal's width); elsewhere
 * a printer that streams the rows lays it out as libsmartcols does off a terminal,
 * byte for byte, without holding the cells in memory.  Returns 0, or -1 with errno
 * (ENOMEM). */
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
 * values as null. */
void render_vma_json(struct jsonwrt *w, const struct layout *L, const struct vma_selection *s,
		     const struct table_opts *t);

/* --list-columns: NAME and DESCRIPTION of every column, as a table (t->raw,
 * t->pairs, t->noheadings apply; t->cols is ignored) or, with json, as
 * {"columns": [{"name": "START", "description": "...", "type": "address"}, ...]}. */
int render_columns_list(FILE *out, const struct table_opts *t, bool json);

#endif

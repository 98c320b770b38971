/* render.h - the views of a struct layout: text diagram and tables, JSON
 *
 * Renderers read the model (layout.h) and write to a stdio stream; they never read
 * /proc.  Errors of the stream are left in it for the caller (ferror/fclose).
 */
#ifndef VMLAYOUT_RENDER_H
#define VMLAYOUT_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "layout.h"

struct render_opts {
	bool bytes;	/* sizes as exact byte counts instead of K/M/G/T (binary) */
	bool color;	/* ANSI colour escapes */
	bool ascii;	/* ASCII lines instead of UTF-8 box drawing */
};

/* The text view: header, diagram (high addresses on top), region summary and the
 * per-object table.  80 columns. */
void render_text(FILE *out, const struct layout *L, const struct render_opts *o);

/* The JSON document, schema 1 (man page, JSON OUTPUT). */
void render_json(FILE *out, const struct layout *L);

#endif

/* render_table.c - the VMA table (--vmas) and the list of columns (see views.h) */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <libsmartcols.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "views.h"

/* Big enough for any cell: names are cut by name_printable() to fit. */
#define CELL 4096
/* Bytes a line of the streamed table may write beyond its end (see print_line()). */
#define LINE_SLACK 64

struct sort_ctx {
	const struct layout *L;
	int col;
	bool numeric;
	char x[CELL], y[CELL];
};

static int cmp_rows(const void *a, const void *b, void *arg)
{
	struct sort_ctx *sc = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	char *x = sc->x, *y = sc->y;
	uint64_t nx, ny;
	bool kx = column_value(sc->col, sc->L, i, true, x, CELL, &nx);
	bool ky = column_value(sc->col, sc->L, j, true, y, CELL, &ny);
	int r;

	if (kx != ky)
		r = kx ? 1 : -1;	/* unknown first */
	else if (sc->numeric)
		r = (nx > ny) - (nx < ny);
	else
		r = strcmp(x, y);
	if (r == 0)
		r = (i > j) - (i < j);	/* stable: address order */
	return r;
}

/* The indexes of the selected VMAs in output order; *n of them.  NULL on ENOMEM. */
static size_t *rows(const struct layout *L, const struct vma_selection *s,
		    const struct table_opts *t, size_t *n)
{
	size_t *r = malloc((L->vmas.n ? L->vmas.n : 1) * sizeof(*r));

	if (!r)
		return NULL;
	*n = 0;
	for (size_t i = 0; i < L->vmas.n; i++)
		if (vma_selected(s, i))
			r[(*n)++] = i;
	if (t->sort >= 0) {
		const struct column *c = column_get((size_t)t->sort);
		struct sort_ctx *sc = malloc(sizeof(*sc));
		if (!sc) {
			free(r);
			return NULL;
		}
		sc->L = L;
		sc->col = t->sort;
		sc->numeric = c->type != COLT_STRING;
		qsort_r(r, *n, sizeof(*r), cmp_rows, sc);
		free(sc);
	}
	return r;
}

static void setup(struct libscols_table *tb, FILE *out, const struct table_opts *t)
{
	scols_table_set_stream(tb, out);
	scols_table_enable_raw(tb, t->raw);
	scols_table_enable_export(tb, t->pairs);
	scols_table_enable_noheadings(tb, t->noheadings);
	scols_table_enable_colors(tb, t->color);
}

/* The aligned table, printed as it goes: a first pass measures each column's width,
 * the second prints.  It lays the table out as libsmartcols does (one space between
 * columns, numbers right-aligned, the last column not padded) without holding the
 * cells of every row in memory: a process can have tens of thousands of VMAs. */
/* A line is built in memory and written with the lines before it, a block at a
 * time: most cells are a few bytes, too few for a stdio call each. */
struct linebuf {
	char *b;
	size_t len, cap;
};

struct aligned {
	const struct layout *L;
	const size_t *r;	/* the rows: indexes of VMAs */
	size_t n;
	const struct table_opts *t;
	const struct column **col;	/* the columns shown */
	size_t *w;		/* each column's width */
	char *cell;		/* a cell buffer */
};

/* The widths of the cells of every row into a->w (which holds the minimum).  The
 * width of a size takes formatting it; most sizes of a column repeat (4K, 0): the
 * last few are remembered. */
static void measure(const struct aligned *a)
{
	struct cell c;
	enum { MEMO = 16 };
	struct {
		uint64_t x;
		size_t width;
	} memo[MEMO];

	for (size_t k = 0; k < a->t->ncols; k++) {
		int id = a->t->cols[k];
		for (size_t m = 0; m < MEMO; m++)
			memo[m].width = SIZE_MAX;
		for (size_t r = 0; r < a->n; r++) {
			size_t cw;
			column_cell(id, a->L, a->r[r], a->cell, CELL, &c);
			if (c.kind == CELL_SIZE) {
				size_t m = (size_t)((c.x >> 12) ^ (c.x >> 20) ^ c.x) % MEMO;
				if (memo[m].width == SIZE_MAX || memo[m].x != c.x) {
					memo[m].x = c.x;
					memo[m].width = cell_width(&c, a->t->bytes, a->cell, CELL);
				}
				cw = memo[m].width;
			} else {
				cw = cell_width(&c, a->t->bytes, a->cell, CELL);
			}
			if (cw > a->w[k])
				a->w[k] = cw;
		}
	}
}

static void linebuf_flush(struct linebuf *lb, FILE *out)
{
	if (lb->len)
		fwrite_unlocked(lb->b, 1, lb->len, out);
	lb->len = 0;
}

/* n spaces at o; returns o + n.  Up to 32 in one copy of fixed size. */
static inline char *put_pad(char *o, size_t n)
{
	static const char spaces[32] = "                                ";

	if (n <= sizeof(spaces))
		memcpy(o, spaces, sizeof(spaces));
	else
		memset(o, ' ', n);
	return o + n;
}

/* One line: the header when k == 0, else row k - 1.  lb has room for a line. */
static void print_line(const struct aligned *a, struct linebuf *lb, size_t k)
{
	const struct table_opts *t = a->t;
	char *o = lb->b + lb->len, *cell = a->cell;
	struct cell c;

	/* Most cells and pads are short: they are copied 32 bytes at a time, a copy of
	 * fixed size (the cell buffer holds CELL bytes, the line has LINE_SLACK bytes to
	 * spare); what is copied beyond their length is overwritten next. */
	for (size_t i = 0; i < t->ncols; i++) {
		const char *text = a->col[i]->name;
		size_t len, cw;
		if (k > 0) {
			column_cell(t->cols[i], a->L, a->r[k - 1], cell, CELL, &c);
			len = cell_format(&c, t->bytes, cell, CELL);
			/* only names hold more than ASCII */
			cw = c.kind == CELL_NAME ? cell_width(&c, t->bytes, cell, CELL) : len;
			text = cell;
		} else {
			cw = len = strlen(text);
		}
		size_t pad = a->w[i] > cw ? a->w[i] - cw : 0;
		bool right = a->col[i]->flags & SCOLS_FL_RIGHT, last = i + 1 == t->ncols;
		if (right)
			o = put_pad(o, pad);
		if (len <= 32 && text == cell)
			memcpy(o, text, 32);
		else
			memcpy(o, text, len);
		o += len;
		if (!right && !last)
			o = put_pad(o, pad);
		*o++ = last ? '\n' : ' ';
	}
	lb->len = (size_t)(o - lb->b);
}

static int print_aligned(FILE *out, const struct layout *L, const size_t *r, size_t n,
			 const struct table_opts *t)
{
	size_t ncols = t->ncols ? t->ncols : 1;
	struct aligned a = { .L = L, .r = r, .n = n, .t = t };
	struct linebuf lb = { NULL, 0, 0 };
	int rc = -1;

	a.col = calloc(ncols, sizeof(*a.col));
	a.w = calloc(ncols, sizeof(*a.w));
	a.cell = malloc(CELL);
	if (!a.col || !a.w || !a.cell)
		goto out;
	for (size_t c = 0; c < t->ncols; c++) {
		a.col[c] = column_get((size_t)t->cols[c]);
		if (!t->noheadings)
			a.w[c] = strlen(a.col[c]->name);
	}
	measure(&a);

	/* a cell of w columns takes at most 4 bytes a column (UTF-8) and never
	 * more than CELL bytes; with the separators */
	size_t line_max = t->ncols + 1 + LINE_SLACK;
	for (size_t c = 0; c < t->ncols; c++)
		line_max += a.w[c] < CELL / 4 ? 4 * a.w[c] : a.w[c] + CELL;
	lb.cap = line_max > 65536 ? line_max : 65536;
	lb.b = malloc(lb.cap);
	if (!lb.b)
		goto out;
	for (size_t k = t->noheadings ? 1 : 0; k <= n; k++) {
		if (lb.cap - lb.len < line_max)
			linebuf_flush(&lb, out);
		print_line(&a, &lb, k);
	}
	linebuf_flush(&lb, out);
	rc = 0;
out:
	free(lb.b);
	free(a.col);
	free(a.w);
	free(a.cell);
	return rc;
}

int render_vma_table(FILE *out, const struct layout *L, const struct vma_selection *s,
		     const struct table_opts *t)
{
	/* libsmartcols fits the table to a terminal; elsewhere, or when the table is
	 * long, the streamed printer does the same layout at a fraction of the cost. */
	if (!t->raw && !t->pairs && !t->color &&
	    (!isatty(fileno(out)) || L->vmas.n > 1000)) {
		size_t n, *r = rows(L, s, t, &n);
		int rc = r ? print_aligned(out, L, r, n, t) : -1;
		free(r);
		if (rc < 0)
			errno = ENOMEM;
		return rc;
	}

	struct libscols_table *tb = scols_new_table();
	size_t n, *r = rows(L, s, t, &n);
	char *cell = malloc(CELL);
	int rc = -1;

	if (!tb || !r || !cell)
		goto out;
	setup(tb, out, t);
	for (size_t c = 0; c < t->ncols; c++) {
		const struct column *col = column_get((size_t)t->cols[c]);
		if (!scols_table_new_column(tb, col->name, col->whint, col->flags))
			goto out;
	}
	for (size_t k = 0; k < n; k++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		if (!ln)
			goto out;
		for (size_t c = 0; c < t->ncols; c++) {
			uint64_t num;
			column_value(t->cols[c], L, r[k], t->bytes, cell, CELL, &num);
			if (scols_line_set_data(ln, c, cell) < 0)
				goto out;
		}
	}
	scols_print_table(tb);
	rc = 0;
out:
	if (rc < 0)
		errno = ENOMEM;
	scols_unref_table(tb);
	free(r);
	free(cell);
	return rc;
}

/* "SHARED_CLEAN" -> "shared_clean" */
static void lower(char *dst, size_t len, const char *src)
{
	size_t i = 0;

	for (; src[i] && i + 1 < len; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

void render_vma_json(struct jsonwrt *w, const struct layout *L, const struct vma_selection *s,
		     const struct table_opts *t)
{
	size_t n, *r = rows(L, s, t, &n);
	char *cell = malloc(CELL), key[64];

	jsonwrt_object_open(w, NULL);
	jsonwrt_i64(w, "pid", L->pid);
	jsonwrt_array_open(w, "vmas");
	for (size_t k = 0; r && cell && k < n; k++) {
		jsonwrt_object_open(w, NULL);
		for (size_t c = 0; c < t->ncols; c++) {
			const struct column *col = column_get((size_t)t->cols[c]);
			uint64_t num;
			bool known = column_value(t->cols[c], L, r[k], true, cell, CELL, &num);
			lower(key, sizeof(key), col->name);
			if (!known) {
				jsonwrt_null(w, key);
				continue;
			}
			switch (col->type) {
			case COLT_ADDRESS:
				jsonwrt_hex(w, key, num);
				break;
			case COLT_SIZE:
			case COLT_NUMBER:
				jsonwrt_u64(w, key, num);
				break;
			case COLT_BOOL:
				jsonwrt_bool(w, key, num != 0);
				break;
			default:
				jsonwrt_str(w, key, cell);
				break;
			}
		}
		jsonwrt_object_close(w);
	}
	jsonwrt_array_close(w);
	jsonwrt_object_close(w);
	free(r);
	free(cell);
}

static const char *type_name(enum column_type t)
{
	switch (t) {
	case COLT_ADDRESS:
		return "address";
	case COLT_SIZE:
		return "size";
	case COLT_NUMBER:
		return "number";
	case COLT_BOOL:
		return "boolean";
	default:
		return "string";
	}
}

int render_columns_list(FILE *out, const struct table_opts *t, bool json)
{
	size_t n = columns_count();

	if (json) {
		struct jsonwrt w;
		jsonwrt_init(&w, out, true);
		jsonwrt_object_open(&w, NULL);
		jsonwrt_array_open(&w, "columns");
		for (size_t i = 0; i < n; i++) {
			const struct column *c = column_get(i);
			jsonwrt_object_open(&w, NULL);
			jsonwrt_str(&w, "name", c->name);
			jsonwrt_str(&w, "description", c->help);
			jsonwrt_str(&w, "type", type_name(c->type));
			jsonwrt_object_close(&w);
		}
		jsonwrt_array_close(&w);
		jsonwrt_object_close(&w);
		jsonwrt_finish(&w);
		return 0;
	}

	struct libscols_table *tb = scols_new_table();
	int rc = -1;
	if (!tb)
		goto out;
	setup(tb, out, t);
	if (!scols_table_new_column(tb, "NAME", 0, 0) ||
	    !scols_table_new_column(tb, "DESCRIPTION", 0, 0))
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct column *c = column_get(i);
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		if (!ln || scols_line_set_data(ln, 0, c->name) < 0 ||
		    scols_line_set_data(ln, 1, c->help) < 0)
			goto out;
	}
	scols_print_table(tb);
	rc = 0;
out:
	if (rc < 0)
		errno = ENOMEM;
	scols_unref_table(tb);
	return rc;
}

/* table.c - the VMA table (--vmas) and the list of columns (see views.h) */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <libsmartcols.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "view/views.h"

/* Big enough for any cell: names are cut by name_printable() to fit. */
#define CELL 4096

struct sort_ctx {
	const struct layout *L;
	int col;
	bool numeric;
	bool desc;
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
	if (sc->desc)
		r = -r;
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
		sc->desc = t->sort_desc;
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

/* The cells of the totals row (t->total) over the rows r (n of them), ncols of
 * them into tot: each size column the sum of its known values (bytes), the first
 * column that is not a size "total", the others empty.  Returns tot. */
static struct cell *total_cells(const struct layout *L, const size_t *r, size_t n,
				const struct table_opts *t, struct cell *tot, char *buf)
{
	bool named = false;

	for (size_t k = 0; k < t->ncols; k++) {
		const struct column *col = column_get((size_t)t->cols[k]);
		tot[k] = (struct cell){ .kind = CELL_UNKNOWN };
		if (col->type == COLT_SIZE) {
			tot[k].kind = CELL_SIZE;
			for (size_t i = 0; i < n; i++) {
				struct cell c;
				if (column_cell(t->cols[k], L, r[i], buf, CELL, &c) &&
				    c.kind == CELL_SIZE)
					tot[k].x += c.x;
			}
		} else if (!named) {
			named = true;
			tot[k] = (struct cell){ .kind = CELL_TEXT, .s = "total", .sl = 5 };
		}
	}
	return tot;
}

/* ------------------------------------------------------------------ the streamed table
 *
 * Off a terminal libsmartcols lays a table out without regard to any width: each
 * column as wide as its widest cell or its header (the header counts also when it
 * is not printed), one space between columns, right-aligned columns padded on the
 * left, the others on the right except the last, nothing truncated; each cell in
 * its "safe" encoding (lib/mbsalign.c).  It keeps every cell in memory to do so.
 * The streamed printer makes the same table in two passes over the rows, one that
 * measures and one that prints, holding one cell at a time: a process can have
 * hundreds of thousands of VMAs.  tests/test-table.c compares the two. */

/* What libsmartcols prints for the text of a cell: its safe encoding, in buf (at
 * least 4 * len + 1 bytes) unless the text is printable ASCII (the common case,
 * printable one column a byte in the C and UTF-8 locales alike: then it is the
 * text itself), and its width in columns. */
struct shown {
	const char *s;
	size_t len;
	size_t width;
};

/* \xHH for the byte c at o, as the safe encoding writes it; returns the end. */
static char *hex_escape(char *o, unsigned char c)
{
	return o + sprintf(o, "\\x%02x", c);
}

/* libsmartcols's safe encoding of the string s of len bytes (s[len] is NUL), as
 * mbs_safe_encode_to_buffer() makes it: a control character, and a backslash
 * before an 'x', as \xHH; a character that the locale finds printable as it is, of
 * its width (wcwidth()); any other byte as \xHH. */
static void show(struct shown *sh, const char *s, size_t len, char *buf)
{
	size_t k = 0;

	while (k < len && s[k] >= 0x20 && s[k] < 0x7f && !(s[k] == '\\' && s[k + 1] == 'x'))
		k++;
	sh->s = s;
	sh->len = sh->width = len;
	if (k == len)
		return;

	char *o = buf;
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	memcpy(o, s, k);
	o += k;
	sh->width = k;
	while (k < len) {
		unsigned char c = (unsigned char)s[k];
		wchar_t wc;
		size_t n = 1;
		if (iscntrl(c) || (c == '\\' && s[k + 1] == 'x')) {
			o = hex_escape(o, c);
			sh->width += 4;
		} else if ((n = mbrtowc(&wc, s + k, MB_CUR_MAX, &st)) == 0) {
			break;
		} else if (n == (size_t)-1 || n == (size_t)-2) {
			n = 1;
			if (isprint(c)) {
				*o++ = (char)c;
				sh->width++;
			} else {
				o = hex_escape(o, c);
				sh->width += 4;
			}
		} else if (!iswprint((wint_t)wc)) {
			for (size_t i = 0; i < n; i++)
				o = hex_escape(o, (unsigned char)s[k + i]);
			sh->width += 4 * n;
		} else {
			memcpy(o, s + k, n);
			o += n;
			sh->width += (size_t)wcwidth(wc);
		}
		k += n;
	}
	*o = '\0';
	sh->s = buf;
	sh->len = (size_t)(o - buf);
}

/* The lines go out through a buffer of their own: a cell is a few bytes, too few
 * for a stdio call each. */
struct outbuf {
	FILE *f;
	size_t len;
	char b[65536];
};

static void out_flush(struct outbuf *o)
{
	if (o->len)
		fwrite_unlocked(o->b, 1, o->len, o->f);
	o->len = 0;
}

/* n bytes at s; most are a few bytes: copied in a loop rather than a call. */
static void out_bytes(struct outbuf *o, const char *s, size_t n)
{
	if (n > sizeof(o->b) - o->len) {
		out_flush(o);
		/* GCOVR_EXCL_START: a cell is at most 4 * CELL bytes (16 KiB), less than the buffer */
		if (n > sizeof(o->b)) {
			fwrite_unlocked(s, 1, n, o->f);
			return;
		}
		/* GCOVR_EXCL_STOP */
	}
	for (size_t i = 0; i < n; i++)
		o->b[o->len + i] = s[i];
	o->len += n;
}

/* n spaces. */
static void out_spaces(struct outbuf *o, size_t n)
{
	for (; n; n--) {
		if (o->len == sizeof(o->b))
			out_flush(o);
		o->b[o->len++] = ' ';
	}
}

/* The size last formatted in a column, and its text: most sizes are the size of
 * the row before in the same column (4K, 0). */
struct last_size {
	bool known;
	uint64_t x;
	size_t len;
	char text[32];
};

struct streamed {
	const struct layout *L;
	const size_t *r;	/* the rows: indexes of VMAs */
	size_t n;
	const struct table_opts *t;
	const struct column **col;	/* the columns shown */
	size_t *w;		/* each column's width */
	char *cell;		/* a cell's text: CELL bytes */
	char *enc;		/* its encoding: 4 * CELL bytes */
	struct outbuf *out;
	struct last_size *last;	/* per column */
	const struct cell *total;	/* the totals row's cells, or NULL */
};

/* the row number of the totals row */
#define TOTAL_ROW (SIZE_MAX - 1)

/* Cell c of column k as libsmartcols shows it.  Only names need encoding: the other
 * cells are the program's own printable ASCII (numbers, addresses, sizes,
 * permissions, role names, VmFlags codes). */
static void show_cell(const struct streamed *a, size_t k, const struct cell *c,
		      struct shown *sh)
{
	struct last_size *last = &a->last[k];

	if (c->kind == CELL_SIZE) {
		if (!last->known || last->x != c->x) {
			last->known = true;
			last->x = c->x;
			last->len = cell_format(c, a->t->bytes, last->text, sizeof(last->text));
		}
		sh->s = last->text;
		sh->len = sh->width = last->len;
		return;
	}
	if (c->kind == CELL_TEXT && c->sl < CELL) {
		/* the program's own short ASCII (a role, permissions): as it is */
		sh->s = c->s;
		sh->len = sh->width = c->sl;
		return;
	}
	size_t len = cell_format(c, a->t->bytes, a->cell, CELL);
	if (c->kind == CELL_NAME) {
		show(sh, a->cell, len, a->enc);
	} else {
		sh->s = a->cell;
		sh->len = sh->width = len;
	}
}

/* Column k of row row as libsmartcols shows it. */
static void cell_shown(const struct streamed *a, size_t row, size_t k, struct shown *sh)
{
	struct cell c;

	if (row == TOTAL_ROW)
		c = a->total[k];
	else
		column_cell(a->t->cols[k], a->L, a->r[row], a->cell, CELL, &c);
	show_cell(a, k, &c, sh);
}

/* The width of that cell, without formatting when it follows from the value. */
static size_t cell_shown_width(const struct streamed *a, size_t row, size_t k)
{
	struct cell c;
	struct shown sh;

	if (row == TOTAL_ROW)
		c = a->total[k];
	else
		column_cell(a->t->cols[k], a->L, a->r[row], a->cell, CELL, &c);
	if (c.kind != CELL_SIZE && c.kind != CELL_NAME)
		return cell_width(&c, a->t->bytes, a->cell, CELL);
	show_cell(a, k, &c, &sh);
	return sh.width;
}

/* One line: a cell of each column (the headers when row is SIZE_MAX). */
static void print_line(const struct streamed *a, size_t row)
{
	const struct table_opts *t = a->t;

	for (size_t k = 0; k < t->ncols; k++) {
		struct shown sh;
		bool right = a->col[k]->flags & SCOLS_FL_RIGHT, last = k + 1 == t->ncols;
		if (row == SIZE_MAX)
			show(&sh, a->col[k]->name, strlen(a->col[k]->name), a->enc);
		else
			cell_shown(a, row, k, &sh);
		size_t room = a->w[k] - sh.width;
		if (sh.len == 0) {
			/* an empty cell: its width in spaces, nothing at the end */
			if (!last)
				out_spaces(a->out, room + 1);
			continue;
		}
		if (right)
			out_spaces(a->out, room);
		out_bytes(a->out, sh.s, sh.len);
		if (!last)
			out_spaces(a->out, right ? 1 : room + 1);
	}
	out_bytes(a->out, "\n", 1);
}

static int print_streamed(FILE *out, const struct layout *L, const size_t *r, size_t n,
			  const struct table_opts *t)
{
	size_t ncols = t->ncols ? t->ncols : 1;
	struct streamed a = { .L = L, .r = r, .n = n, .t = t };
	int rc = -1;

	a.col = calloc(ncols, sizeof(*a.col));
	a.w = calloc(ncols, sizeof(*a.w));
	a.cell = malloc(CELL);
	a.enc = malloc(4 * CELL + 1);
	a.out = malloc(sizeof(*a.out));
	a.last = calloc(ncols, sizeof(*a.last));
	struct cell *total = t->total ? calloc(ncols, sizeof(*total)) : NULL;
	if (!a.col || !a.w || !a.cell || !a.enc || !a.out || !a.last || (t->total && !total))
		goto out;
	if (total)
		a.total = total_cells(L, r, n, t, total, a.cell);
	a.out->f = out;
	a.out->len = 0;
	/* the widths: of the headers (printed or not), then of every cell */
	for (size_t k = 0; k < t->ncols; k++) {
		struct shown sh;
		a.col[k] = column_get((size_t)t->cols[k]);
		show(&sh, a.col[k]->name, strlen(a.col[k]->name), a.enc);
		a.w[k] = sh.width;
	}
	for (size_t row = 0; row < n + (a.total != NULL); row++) {
		for (size_t k = 0; k < t->ncols; k++) {
			size_t width = cell_shown_width(&a, row < n ? row : TOTAL_ROW, k);
			if (width > a.w[k])
				a.w[k] = width;
		}
	}
	if (!t->noheadings)
		print_line(&a, SIZE_MAX);
	for (size_t row = 0; row < n; row++)
		print_line(&a, row);
	if (a.total)
		print_line(&a, TOTAL_ROW);
	out_flush(a.out);
	rc = 0;
out:
	free(total);
	free(a.col);
	free(a.w);
	free(a.cell);
	free(a.enc);
	free(a.out);
	free(a.last);
	return rc;
}

/* ------------------------------------------------------------------ libsmartcols */

static int print_scols(FILE *out, const struct layout *L, const size_t *r, size_t n,
		       const struct table_opts *t, bool off_terminal)
{
	struct libscols_table *tb = scols_new_table();
	char *cell = malloc(CELL);
	struct cell *total = t->total ? calloc(t->ncols ? t->ncols : 1, sizeof(*total)) : NULL;
	int rc = -1;

	if (!tb || !cell || (t->total && !total))
		goto out;
	setup(tb, out, t);
	if (off_terminal)
		scols_table_set_termforce(tb, SCOLS_TERMFORCE_NEVER);
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
	if (total) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		if (!ln)
			goto out;
		total_cells(L, r, n, t, total, cell);
		for (size_t c = 0; c < t->ncols; c++) {
			cell_format(&total[c], t->bytes, cell, CELL);
			if (scols_line_set_data(ln, c, cell) < 0)
				goto out;
		}
	}
	rc = scols_print_table(tb) == 0 ? 0 : -1;
out:
	scols_unref_table(tb);
	free(cell);
	free(total);
	return rc;
}

int render_vma_table_by(FILE *out, const struct layout *L, const struct vma_selection *s,
			const struct table_opts *t, enum table_printer printer)
{
	size_t n, *r = rows(L, s, t, &n);
	int rc = -1;

	if (r) {
		switch (printer) {
		case TABLE_STREAMED:
			rc = print_streamed(out, L, r, n, t);
			break;
		case TABLE_SCOLS_OFF_TERMINAL:
			rc = print_scols(out, L, r, n, t, true);
			break;
		default:
			rc = print_scols(out, L, r, n, t, false);
			break;
		}
	}
	free(r);
	if (rc < 0)
		errno = ENOMEM;
	return rc;
}

int render_vma_table(FILE *out, const struct layout *L, const struct vma_selection *s,
		     const struct table_opts *t)
{
	/* What is fitted to a terminal depends on what is printed, never on the size of
	 * the process: libsmartcols on a terminal and for the raw and pairs formats;
	 * elsewhere the streamed printer, which lays the table out as libsmartcols
	 * does there and holds one cell at a time. */
	bool streamed = !t->raw && !t->pairs && !t->color && !isatty(fileno(out));

	return render_vma_table_by(out, L, s, t, streamed ? TABLE_STREAMED : TABLE_SCOLS);
}

/* "SHARED_CLEAN" -> "shared_clean" */
static void lower(char *dst, size_t len, const char *src)
{
	size_t i = 0;

	for (; src[i] && i + 1 < len; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

int render_vma_json(struct jsonwrt *w, const struct layout *L, const struct vma_selection *s,
		    const struct table_opts *t)
{
	size_t n, *r = rows(L, s, t, &n);
	char *cell = malloc(CELL), key[64];

	if (!r || !cell) {
		free(r);
		free(cell);
		errno = ENOMEM;
		return -1;
	}
	jsonwrt_object_open(w, NULL);
	jsonwrt_i64(w, "pid", L->pid);
	jsonwrt_array_open(w, "vmas");
	for (size_t k = 0; k < n; k++) {
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
	if (t->total) {
		/* the size columns' sums, in bytes */
		jsonwrt_object_open(w, "total");
		for (size_t c = 0; c < t->ncols; c++) {
			const struct column *col = column_get((size_t)t->cols[c]);
			if (col->type != COLT_SIZE)
				continue;
			uint64_t sum = 0;
			for (size_t k = 0; k < n; k++) {
				struct cell ce;
				if (column_cell(t->cols[c], L, r[k], cell, CELL, &ce) &&
				    ce.kind == CELL_SIZE)
					sum += ce.x;
			}
			lower(key, sizeof(key), col->name);
			jsonwrt_u64(w, key, sum);
		}
		jsonwrt_object_close(w);
	}
	jsonwrt_object_close(w);
	free(r);
	free(cell);
	return 0;
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
	rc = scols_print_table(tb) == 0 ? 0 : -1;
out:
	if (rc < 0)
		errno = ENOMEM;
	scols_unref_table(tb);
	return rc;
}

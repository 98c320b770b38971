/* svg.c - the diagram as a standalone SVG document (see views.h)
 *
 * The rows are the text view's (diagram.h): each HEAD, BAND and GAP row is a box
 * from the top of the picture down, with the ITEM, KREGION and NOTE rows that
 * follow it drawn inside; MARK rows are lines across, END the last address.  The
 * addresses are on the left, the figures (SIZE, RSS) on the right; every box is a
 * <g> with a <title>, the tooltip: its label, its addresses and its figures.
 *
 * Heights grow with log2 of the size (a page and 128 TiB cannot share a linear
 * scale): a few pixels a doubling above a minimum that holds the label.  The
 * document has no script and no external reference; text is escaped for XML, and
 * any byte that is not well-formed UTF-8, or not a character XML allows, is written
 * as the text \xNN.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "view/diagram.h"
#include "view/text.h"
#include "view/views.h"

/* Pixels.  Text is 12 px monospace: CHAR_W a character (DejaVu Sans Mono and
 * Liberation Mono advance 0.6 em). */
#define CHAR_W 7.3
#define MARGIN 16
#define LINE 20		/* a box's label line */
#define NOTE_H 14	/* a note's line */
#define MARK_H 20
#define ITEM_GAP 3	/* between two boxes inside a band */
#define INSET 14	/* boxes inside a band: from its sides */
#define TOP 118		/* the diagram starts below the header and the legend */
#define COLUMNS 100	/* the labels are cut to fit in COLUMNS, less the addresses'
			 * (the text view's are cut to fit in 80) */

/* Colours: each region's, the kernel's, the gaps'; the second the lighter fill of a
 * band that holds boxes. */
static const char *const fill[DCOLOR_COUNT] = {
	[REGION_CODE] = "#7eb0e3", [REGION_DATA] = "#9ccf86", [REGION_BSS] = "#f0dc78",
	[REGION_HEAP] = "#e8918a", [REGION_MMAP] = "#c5b1e4", [REGION_STACK] = "#f4b76c",
	[REGION_SPECIAL] = "#8ccfca", [DCOLOR_KERNEL] = "#b5b5b5", [DCOLOR_GAP] = "#ffffff",
	[DCOLOR_NONE] = "#eeeeee",
};
static const char *const fill_light[DCOLOR_COUNT] = {
	[REGION_CODE] = "#dde9f7", [REGION_DATA] = "#e3f2dc", [REGION_BSS] = "#fbf5d9",
	[REGION_HEAP] = "#f8dedc", [REGION_MMAP] = "#ede6f7", [REGION_STACK] = "#fcead3",
	[REGION_SPECIAL] = "#dcf0ef", [DCOLOR_KERNEL] = "#e6e6e6", [DCOLOR_GAP] = "#ffffff",
	[DCOLOR_NONE] = "#f7f7f7",
};

struct svg {
	const struct ctx *c;
	FILE *out;
	const struct diagram *d;
	int *y, *h;		/* each row's top and height */
	int x_addr;		/* the right end of the addresses */
	int x_bar, w_bar;	/* the boxes */
	int x_fig;		/* the figures */
	int width, height;
	uint64_t last_addr;	/* the address written last on the left */
	bool addr_written;
	bool failed;		/* a write failed */
};

/* The writes, each failure remembered: glibc's memory streams (open_memstream())
 * drop what they have no memory for and do not set the stream's error, but the
 * write returns it. */
static void out_b(struct svg *s, const void *p, size_t n)
{
	if (fwrite(p, 1, n, s->out) != n)
		s->failed = true;
}

static void out_s(struct svg *s, const char *t)
{
	out_b(s, t, strlen(t));
}

__attribute__((format(printf, 2, 3)))
static void out_f(struct svg *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vfprintf(s->out, fmt, ap) < 0)
		s->failed = true;
	va_end(ap);
}

/* The text s for XML character data or an attribute value: &, <, >, " and '
 * escaped; a byte of ill-formed UTF-8, a control character (other than a newline
 * or a tab), DEL, a C1 control or a noncharacter U+FFFE/U+FFFF as the four
 * characters \xNN. */
static void xml_text(struct svg *s, const char *t)
{
	const unsigned char *u = (const unsigned char *)t;
	size_t n = strlen(t);

	for (size_t i = 0; i < n;) {
		unsigned char b = u[i];
		if (b < 0x80) {
			switch (b) {
			case '&':
				out_s(s, "&amp;");
				break;
			case '<':
				out_s(s, "&lt;");
				break;
			case '>':
				out_s(s, "&gt;");
				break;
			case '"':
				out_s(s, "&quot;");
				break;
			case '\'':
				out_s(s, "&apos;");
				break;
			default:
				if ((b < 0x20 && b != '\n' && b != '\t') || b == 0x7f)
					out_f(s, "\\x%02x", b);
				else
					out_b(s, &b, 1);
			}
			i++;
			continue;
		}
		int l = utf8_sequence(u + i, n - i);
		bool bad = l < 0 ||
			   (l == 2 && b == 0xc2 && u[i + 1] < 0xa0) ||	/* U+0080..U+009F */
			   (l == 3 && b == 0xef && u[i + 1] == 0xbf && u[i + 2] >= 0xbe);
		size_t len = (size_t)(l < 0 ? -l : l);
		if (bad) {
			for (size_t k = 0; k < len; k++)
				out_f(s, "\\x%02x", u[i + k]);
		} else {
			out_b(s, u + i, len);
		}
		i += len;
	}
}

/* Pixels for a size of bytes: base, and step a doubling above a page (log2 drawn
 * straight between the powers of two). */
static int log_height(uint64_t bytes, int base, double step)
{
	uint64_t pages = bytes / 4096;

	if (pages <= 1)
		return base;
	int e = 63 - __builtin_clzll(pages);
	double l = e + ((double)pages / (double)(UINT64_C(1) << e) - 1.0);
	return base + (int)(step * l + 0.5);
}

static int text_w(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return (int)(n * CHAR_W + 0.5);
}

static bool is_box(enum drow_kind k)
{
	return k == DROW_HEAD || k == DROW_BAND || k == DROW_GAP;
}

static bool is_inner(enum drow_kind k)
{
	return k == DROW_ITEM || k == DROW_KREGION || k == DROW_NOTE;
}

/* The height of a row drawn inside a box. */
static int inner_height(const struct diagram_row *r)
{
	switch (r->kind) {
	case DROW_ITEM:
		return log_height(r->fig.size, 18, 2.0) + ITEM_GAP;
	case DROW_KREGION:
		return log_height(r->last - r->lo + 1, 16, 1.0) + ITEM_GAP;
	default:
		return NOTE_H;
	}
}

/* "SIZE 1.3M  rss 800K", as the text view's figures. */
static void figures_text(const struct ctx *c, const struct figures *f, char *buf, size_t len)
{
	char s1[32], s2[32];

	snprintf(buf, len, "%s  rss %s", text_size(c, s1, sizeof(s1), f->size),
		 text_figure(c, s2, sizeof(s2), f->rss));
}

/* Where every row goes: s->y, s->h, and the size of the picture. */
static void lay_out(struct svg *s)
{
	const struct diagram *d = s->d;
	int y = TOP, wlabel = 0, wfig = 0;
	char f[96];

	for (size_t i = 0; i < d->n; i++) {
		const struct diagram_row *r = &d->rows[i];
		int w = text_w(r->label) + (is_inner(r->kind) ? 2 * INSET + 12 : 12);
		if (r->kind == DROW_NOTE)
			w = text_w(r->label) * 11 / 12 + 2 * INSET + 12;	/* 11 px */
		if (r->kind == DROW_GAP)
			w += text_w(r->size_text) + 8;
		if (w > wlabel)
			wlabel = w;
		if (r->has_fig && r->kind != DROW_KREGION) {
			figures_text(s->c, &r->fig, f, sizeof(f));
			if (text_w(f) > wfig)
				wfig = text_w(f);
		}
	}
	s->x_addr = MARGIN + (int)(s->c->aw * CHAR_W + 0.5);
	s->x_bar = s->x_addr + 10;
	s->w_bar = wlabel > 520 ? wlabel : 520;
	s->x_fig = s->x_bar + s->w_bar + 10;
	s->width = s->x_fig + (wfig > 150 ? wfig : 150) + MARGIN;

	for (size_t i = 0; i < d->n; i++) {
		const struct diagram_row *r = &d->rows[i];
		s->y[i] = y;
		if (r->kind == DROW_MARK) {
			s->h[i] = MARK_H;
		} else if (r->kind == DROW_END) {
			s->h[i] = 0;
		} else if (!is_box(r->kind)) {
			s->h[i] = inner_height(r);	/* on its own (no box above it) */
		} else {
			/* the box, and the rows inside it */
			int inner = 0, yi;
			size_t j;
			for (j = i + 1; j < d->n && is_inner(d->rows[j].kind); j++)
				inner += inner_height(&d->rows[j]);
			int h;
			if (r->kind == DROW_GAP) {
				h = log_height(r->last - r->lo + 1, 14, 1.5);
				if (h < 18 + inner + 2)
					h = 18 + inner + 2;
				/* the label and the notes in the middle */
				yi = y + (h - 14 - inner) / 2 + 14;
			} else {
				h = LINE + inner + (inner ? 6 : 0);
				if (r->kind == DROW_BAND && h < log_height(r->fig.size, 20, 3.0))
					h = log_height(r->fig.size, 20, 3.0);
				yi = y + LINE;
			}
			s->h[i] = h;
			for (size_t k = i + 1; k < j; k++) {
				s->y[k] = yi;
				s->h[k] = inner_height(&d->rows[k]);
				yi += s->h[k];
			}
			y += h;
			i = j - 1;
			continue;
		}
		y += s->h[i];
	}
	s->height = y + MARGIN + 8;
}

/* "0x7f0380c15000-0x7f0380c16000" (end excluded; 2^64 written as such). */
static void range_text(const struct diagram_row *r, char *buf, size_t len)
{
	if (r->last == UINT64_MAX)
		snprintf(buf, len, "0x%" PRIx64 "-0x10000000000000000", r->lo);
	else
		snprintf(buf, len, "0x%" PRIx64 "-0x%" PRIx64, r->lo, r->last + 1);
}

/* The tooltip of row r: <title>label, addresses, figures</title>. */
static void title(struct svg *s, const struct diagram_row *r)
{
	const struct ctx *c = s->c;
	char buf[160], w[48], f[6][32];
	const char *label = r->label;

	while (*label == ' ')
		label++;
	out_s(s, "<title>");
	if (r->kind == DROW_KREGION) {
		xml_text(s, r->name);
		out_s(s, r->randomized ? " (documented, not measured; KASLR moves its base)"
				       : " (documented, not measured)");
	} else {
		xml_text(s, label);
	}
	if (r->has_range) {
		range_text(r, buf, sizeof(buf));
		out_f(s, "\n%s", buf);
		if (!r->has_fig)
			out_f(s, "  %s", r->size_text[0] ? r->size_text
					  : size_words(w, sizeof(w), r->last - r->lo + 1));
	} else if (r->kind == DROW_MARK || r->kind == DROW_HEAD) {
		out_f(s, "\n0x%" PRIx64, r->addr);
	}
	if (r->has_fig) {
		const struct figures *g = &r->fig;
		out_f(s, "\nSIZE %s  RSS %s  PSS %s  SHARE %s  PRIVATE %s  SWAP %s  VMAs %" PRIu64,
			text_size(c, f[0], 32, g->size), text_figure(c, f[1], 32, g->rss),
			text_figure(c, f[2], 32, g->pss), text_figure(c, f[3], 32, g->shared),
			text_figure(c, f[4], 32, g->priv), text_figure(c, f[5], 32, g->swap),
			g->vmas);
	}
	out_s(s, "</title>");
}

/* A text element at x, y (its baseline) with the attributes attr; its spaces kept
 * (the labels align columns with them). */
static void text_at(struct svg *s, int x, int y, const char *attr, const char *t)
{
	out_f(s, "<text x=\"%d\" y=\"%d\" xml:space=\"preserve\"%s%s>", x, y,
		attr[0] ? " " : "", attr);
	xml_text(s, t);
	out_s(s, "</text>\n");
}

/* The address a on the left at the height y, with a tick to the boxes; once. */
static void address(struct svg *s, int y, uint64_t a)
{
	char t[24];

	if (s->addr_written && s->last_addr == a)
		return;
	s->addr_written = true;
	s->last_addr = a;
	snprintf(t, sizeof(t), "0x%" PRIx64, a);
	out_f(s, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555555\"/>\n",
		s->x_addr + 2, y, s->x_bar, y);
	text_at(s, s->x_addr, y + 4, "text-anchor=\"end\" fill=\"#333333\"", t);
}

/* The figures of r on the right, on the line at baseline y. */
static void figures_right(struct svg *s, const struct diagram_row *r, int y)
{
	char f[96];

	if (!r->has_fig)
		return;
	figures_text(s->c, &r->fig, f, sizeof(f));
	text_at(s, s->x_fig, y, "", f);
}

/* A box drawn inside another: an ITEM (split across by region: a library's code,
 * data and bss) or a KREGION, or a NOTE's line. */
static void inner_row(struct svg *s, size_t i)
{
	const struct diagram_row *r = &s->d->rows[i];
	int x = s->x_bar + INSET, w = s->w_bar - 2 * INSET, y = s->y[i],
	    h = s->h[i] - (r->kind == DROW_NOTE ? 0 : ITEM_GAP);

	if (r->kind == DROW_NOTE) {
		text_at(s, x, y + 11, "font-size=\"11\" fill=\"#444444\"", r->label);
		return;
	}
	out_f(s, "<g class=\"%s\">", r->kind == DROW_ITEM ? "item" : "kregion");
	title(s, r);
	out_s(s, "\n");
	if (r->kind == DROW_ITEM) {
		/* the parts of its size in each region, left to right; each at least
		 * 3 px */
		uint64_t total = 0;
		int nparts = 0, xx = x;
		for (int k = 0; k < REGION_COUNT; k++) {
			total += r->parts[k];
			nparts += r->parts[k] != 0;
		}
		for (int k = 0, left = nparts; k < REGION_COUNT && total; k++) {
			if (!r->parts[k])
				continue;
			left--;
			int pw = left ? (int)((double)w * (double)r->parts[k] / (double)total + 0.5)
				      : x + w - xx;
			if (pw < 3)
				pw = 3;
			if (xx + pw > x + w - 3 * left)
				pw = x + w - 3 * left - xx;
			out_f(s, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n",
				xx, y, pw, h, fill[k]);
			xx += pw;
		}
		if (!total)
			out_f(s, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n",
				x, y, w, h, fill[r->color]);
	} else {
		out_f(s, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n",
			x, y, w, h, fill[DCOLOR_KERNEL]);
	}
	out_f(s, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
		"stroke=\"#555555\"/>\n", x, y, w, h);
	text_at(s, x + 6, y + 14, "", r->label);
	figures_right(s, r, y + 14);
	out_s(s, "</g>\n");
}

/* A HEAD, BAND or GAP row i and the rows inside it, up to (not including) row
 * *next. */
static void box(struct svg *s, size_t i, size_t *next)
{
	const struct diagram *d = s->d;
	const struct diagram_row *r = &d->rows[i];
	int y = s->y[i], h = s->h[i];
	size_t j = i + 1;
	static const char *const band_class[] = { "code", "data", "bss", "heap", "mmap",
						  "stack", "special", "kernel", "gap", "none" };

	while (j < d->n && is_inner(d->rows[j].kind))
		j++;
	*next = j;
	bool holds_boxes = false;
	for (size_t k = i + 1; k < j; k++)
		holds_boxes |= d->rows[k].kind != DROW_NOTE;

	out_f(s, "<g class=\"%s %s\">", r->kind == DROW_GAP ? "gap" : "band",
		band_class[r->color]);
	title(s, r);
	out_s(s, "\n");
	if (r->kind == DROW_GAP) {
		out_f(s, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
			"stroke=\"#999999\" stroke-dasharray=\"4 3\"/>\n", s->x_bar, y, s->w_bar, h,
			fill[DCOLOR_GAP]);
		char t[600];
		snprintf(t, sizeof(t), "%s %s", r->size_text, r->label);
		int yt = j > i + 1 ? s->y[i + 1] - 3 : y + h / 2 + 4;
		text_at(s, s->x_bar + s->w_bar / 2, yt, "text-anchor=\"middle\" fill=\"#555555\" "
			"font-style=\"italic\"", t);
	} else {
		out_f(s, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
			"stroke=\"#444444\"/>\n", s->x_bar, y, s->w_bar, h,
			holds_boxes ? fill_light[r->color] : fill[r->color]);
		text_at(s, s->x_bar + 6, y + 14, "font-weight=\"bold\"", r->label);
		figures_right(s, r, y + 14);
	}
	for (size_t k = i + 1; k < j; k++)
		inner_row(s, k);
	out_s(s, "</g>\n");
	if (r->kind == DROW_GAP) {
		/* its top: the bottom of the band above (a mark or the head above has
		 * its own address there) */
		size_t above = i;
		while (above > 0 && is_inner(d->rows[above - 1].kind))
			above--;
		if (above > 0 && d->rows[above - 1].kind == DROW_BAND && r->last != UINT64_MAX)
			address(s, y, r->last + 1);
	} else {
		address(s, y, r->addr);
	}
}

/* The legend: a swatch and a name for each colour, on one line. */
static const struct {
	int color;
	const char *name;
} legend_entries[] = {
	{ REGION_CODE, "code" }, { REGION_DATA, "data" }, { REGION_BSS, "bss" },
	{ REGION_HEAP, "heap" }, { REGION_MMAP, "mmap" }, { REGION_STACK, "stack" },
	{ REGION_SPECIAL, "special ([vdso])" }, { DCOLOR_KERNEL, "kernel (documented)" },
	{ DCOLOR_GAP, "unmapped" },
};
#define N_LEGEND (sizeof(legend_entries) / sizeof(legend_entries[0]))

static int legend_entry_w(size_t k)
{
	return 16 + 6 + text_w(legend_entries[k].name) + 12;
}

static void legend(struct svg *s, int y)
{
	int x = MARGIN;

	out_s(s, "<g class=\"legend\"><title>The colours: the region of each part (a library: "
	      "its code, data and bss side by side)</title>\n");
	for (size_t k = 0; k < N_LEGEND; k++) {
		int c = legend_entries[k].color;
		out_f(s, "<rect x=\"%d\" y=\"%d\" width=\"16\" height=\"14\" fill=\"%s\" "
			"stroke=\"#444444\"%s/>\n", x, y - 11, fill[c],
			c == DCOLOR_GAP ? " stroke-dasharray=\"4 3\"" : "");
		text_at(s, x + 22, y, "", legend_entries[k].name);
		x += legend_entry_w(k);
	}
	out_s(s, "</g>\n");
}

int render_svg(FILE *out, const struct layout *L, const struct render_opts *o,
	       const struct vma_selection *sel)
{
	struct ctx c;
	struct diagram d;
	struct svg s = { .out = out };
	char what[TEXT_HEADER_LEN], rest[TEXT_HEADER_LEN], totals[TEXT_HEADER_LEN];

	text_ctx_init(&c, out, L, o, sel);
	c.width = COLUMNS;
	if (diagram_rows(&c, &d) < 0)
		return -1;
	s.c = &c;
	s.d = &d;
	s.y = calloc(d.n ? d.n : 1, sizeof(*s.y));
	s.h = calloc(d.n ? d.n : 1, sizeof(*s.h));
	if (!s.y || !s.h) {
		free(s.y);
		free(s.h);
		diagram_free(&d);
		errno = ENOMEM;
		return -1;
	}
	lay_out(&s);
	text_header(&c, what, rest, totals);
	char head[2 * TEXT_HEADER_LEN];
	snprintf(head, sizeof(head), "%s%s", what, rest);
	int wl = 2 * MARGIN;
	for (size_t k = 0; k < N_LEGEND; k++)
		wl += legend_entry_w(k);
	if (wl > s.width)
		s.width = wl;
	/* the header is 14 px bold: more than 14/12 of CHAR_W, for the fonts that
	 * are a little wider */
	if (text_w(head) * 15 / 12 + 2 * MARGIN > s.width)
		s.width = text_w(head) * 15 / 12 + 2 * MARGIN;

	out_f(&s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans Mono, "
		"Liberation Mono, monospace\" font-size=\"12\">\n", s.width, s.height, s.width,
		s.height);
	out_s(&s, "<title>");
	xml_text(&s, what);
	out_s(&s, ": the address space (vmlayout)</title>\n");
	out_f(&s, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", s.width, s.height);
	text_at(&s, MARGIN, 26, "font-size=\"14\" font-weight=\"bold\"", head);
	text_at(&s, MARGIN, 46, "", totals + strspn(totals, " "));
	legend(&s, 74);
	text_at(&s, MARGIN, 96, "font-size=\"11\" fill=\"#555555\"",
		"Heights grow with log2 of the size: every size is written.  "
		"Hover over a part for its addresses and figures.");

	for (size_t i = 0; i < d.n;) {
		const struct diagram_row *r = &d.rows[i];
		int y = s.y[i];
		if (is_box(r->kind)) {
			box(&s, i, &i);
			continue;
		}
		if (r->kind == DROW_MARK) {
			out_s(&s, "<g class=\"mark\">");
			title(&s, r);
			out_f(&s, "\n<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#222222\" "
				"stroke-width=\"2\"/>\n", s.x_bar, y, s.x_bar + s.w_bar, y);
			text_at(&s, s.x_bar + 6, y + 14, "font-size=\"11\" font-weight=\"bold\"",
				r->label);
			out_s(&s, "</g>\n");
			address(&s, y, r->addr);
		} else if (r->kind == DROW_END) {
			address(&s, y, r->addr);
		} else {
			inner_row(&s, i);
		}
		i++;
	}
	out_s(&s, "</svg>\n");
	free(s.y);
	free(s.h);
	diagram_free(&d);
	if (s.failed) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

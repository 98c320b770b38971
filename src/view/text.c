/* text.c - the text view: the header, the diagram (diagram.c), the region summary
 * and the objects table */
#include "config.h"

#include <elf.h>

#include <errno.h>
#include <inttypes.h>
#include <libsmartcols.h>
#include <stdlib.h>
#include <string.h>

#include "elf/elfinfo.h"
#include "lib/util.h"
#include "view/text.h"
#include "view/views.h"

const char *text_size(const struct ctx *c, char *buf, size_t len, uint64_t v)
{
	return size_human(buf, len, v, c->o->bytes);
}

const char *text_figure(const struct ctx *c, char *buf, size_t len, uint64_t v)
{
	if (c->L->figures_unknown) {
		snprintf(buf, len, "?");
		return buf;
	}
	return text_size(c, buf, len, v);
}

void text_header(const struct ctx *c, char *what, char *rest, char *totals)
{
	const struct layout *L = c->L;
	char cmdline[512], cmd[160], s[7][32];
	const char *comm = L->has_id ? L->id.comm : L->stat.comm;
	const char *type = "";

	if (L->exe_type == 2 /* ET_EXEC */)
		type = L->exe_has_interp ? "non-PIE" : "static";
	else if (L->exe_type == 3 /* ET_DYN */)
		type = L->exe_has_interp ? "PIE" : L->exe_pie_flag ? "static-pie" : "shared object";
	/* the command line; cut below to what the header leaves of the width */
	if (L->has_id && L->id.cmdline_n) {
		size_t n = 0;
		cmdline[0] = '\0';
		for (size_t i = 0; i < L->id.cmdline_n && n < 80; i++) {
			char part[160];
			name_printable(part, sizeof(part), L->id.cmdline[i], strlen(L->id.cmdline[i]),
				       40, c->o->ascii);
			n += (size_t)snprintf(cmdline + n, sizeof(cmdline) - n, "%s%s", i ? " " : "",
					      part);
			if (n >= sizeof(cmdline))
				n = sizeof(cmdline) - 1;
		}
	} else {
		name_printable(cmdline, sizeof(cmdline), comm, strlen(comm), 40, c->o->ascii);
	}

	char page[32];
	size_words(page, sizeof(page), L->page_size);
	int threads = L->has_id ? L->id.threads : (int)L->n_threads;
	const struct layout_offline *off = L->offline;
	if (L->source == LAYOUT_SOURCE_ELF_FILE || L->source == LAYOUT_SOURCE_SMAPS_TEXT ||
	    L->source == LAYOUT_SOURCE_MAPS_TEXT) {
		char p[64];
		const char *path = off && off->path ? off->path : "";
		name_printable(p, sizeof(p), path, strlen(path), 40, c->o->ascii);
		snprintf(what, TEXT_HEADER_LEN, "%s %s",
			 L->source == LAYOUT_SOURCE_ELF_FILE ? "ELF file" :
			 L->source == LAYOUT_SOURCE_SMAPS_TEXT ? "smaps text" : "maps text", p);
		snprintf(rest, TEXT_HEADER_LEN, "   %s  ELF%d %s  %s pages",
			 L->machine ? elf_machine_name(L->machine) : "?", L->elf_class, type, page);
	} else {
		char more[128];
		snprintf(what, TEXT_HEADER_LEN, "%spid %d",
			 L->source == LAYOUT_SOURCE_CORE ? "core of " :
			 L->source == LAYOUT_SOURCE_SNAPSHOT ? "snapshot of " : "", (int)L->pid);
		snprintf(more, sizeof(more), "%s  ELF%d %s  %s pages  %d thread%s",
			 L->machine ? elf_machine_name(L->machine) : "?", L->elf_class, type, page,
			 threads, threads == 1 ? "" : "s");
		/* the command line gets what the rest leaves of the width (16 at
		 * least), cut with an ellipsis */
		size_t used = strlen(what) + 2 + 3 + strlen(more);
		text_fit_end(cmd, sizeof(cmd), cmdline,
			     used + 16 < (size_t)c->width ? (size_t)c->width - used : 16, c->o->ascii);
		snprintf(rest, TEXT_HEADER_LEN, "  %s   %s", cmd, more);
	}
	const struct figures *t = &c->s->sum.totals;
	if (L->source == LAYOUT_SOURCE_CORE && off) {
		snprintf(totals, TEXT_HEADER_LEN, "   SIZE %s  DUMPED %s  VMAs %" PRIu64 "%s",
			 text_size(c, s[0], 32, t->size), text_size(c, s[1], 32, off->dumped_total),
			 t->vmas, c->s->filtered ? " (not filtered)" : "");
		return;
	}
	/* hugetlbfs pages are in none of the other figures (the kernel keeps them out
	 * of Rss): said when there are some */
	char hugetlb[48] = "";
	if (t->hugetlb)
		snprintf(hugetlb, sizeof(hugetlb), "  HUGETLB %s",
			 text_figure(c, s[6], 32, t->hugetlb));
	int n = snprintf(totals, TEXT_HEADER_LEN,
			 "   %sSIZE %s  RSS %s  PSS %s  SHARE %s  PRIVATE %s  SWAP %s%s  VMAs %" PRIu64,
			 c->s->filtered ? "filtered: " : "", text_size(c, s[0], 32, t->size),
			 text_figure(c, s[1], 32, t->rss), text_figure(c, s[2], 32, t->pss),
			 text_figure(c, s[3], 32, t->shared), text_figure(c, s[4], 32, t->priv),
			 text_figure(c, s[5], 32, t->swap), hugetlb, t->vmas);
	if (c->s->filtered && n > 0 && n < TEXT_HEADER_LEN)
		snprintf(totals + n, TEXT_HEADER_LEN - (size_t)n, " of %zu", L->vmas.n);
}

static void header(const struct ctx *c)
{
	char what[TEXT_HEADER_LEN], rest[TEXT_HEADER_LEN], totals[TEXT_HEADER_LEN];

	text_header(c, what, rest, totals);
	fprintf(c->out, "%s%s%s%s\n%s\n\n", c->c_bold, what, c->c_off, rest, totals);
}

/* The cells of the text view's tables: 0, or a negative number when libsmartcols
 * had no memory for it. */
static int set_num(struct libscols_line *ln, size_t col, const struct ctx *c, uint64_t v)
{
	char b[32];

	return scols_line_set_data(ln, col, text_size(c, b, sizeof(b), v));
}

/* A figure other than SIZE ("?" when unknown). */
static int set_fig(struct libscols_line *ln, size_t col, const struct ctx *c, uint64_t v)
{
	char b[32];

	return scols_line_set_data(ln, col, text_figure(c, b, sizeof(b), v));
}

/* The table of a text view part: its columns (names, the first one left-aligned
 * with width hint whint0); NULL with errno ENOMEM. */
static struct libscols_table *new_table(const struct ctx *c, const char *const *cols,
					size_t ncols, double whint0, int flags0)
{
	struct libscols_table *tb = scols_new_table();

	if (!tb)
		goto fail;
	scols_table_set_stream(tb, c->out);
	scols_table_enable_colors(tb, c->o->color);
	for (size_t i = 0; i < ncols; i++)
		if (!scols_table_new_column(tb, cols[i], i ? 0 : whint0,
					    i ? SCOLS_FL_RIGHT : flags0))
			goto fail;
	return tb;
fail:
	scols_unref_table(tb);
	errno = ENOMEM;
	return NULL;
}

/* Print tb (and free it); 0, or -1 with errno ENOMEM when a line or cell (rc) or the
 * printing failed. */
static int print_table(struct libscols_table *tb, int rc)
{
	if (rc == 0 && scols_print_table(tb) != 0)
		rc = -1;
	scols_unref_table(tb);
	if (rc != 0) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* One row of a figures table: the name (and a second text column when second is
 * not NULL), SIZE, RSS, PSS, SHARE, PRIVATE, SWAP and VMAS.  0, or -1. */
static int figures_row(struct libscols_table *tb, const struct ctx *c, const char *name,
		       const char *second, const struct figures *f)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);
	size_t k = second ? 2 : 1;
	char b[32];

	snprintf(b, sizeof(b), "%" PRIu64, f->vmas);
	if (!ln || scols_line_set_data(ln, 0, name) ||
	    (second && scols_line_set_data(ln, 1, second)) ||
	    set_num(ln, k, c, f->size) || set_fig(ln, k + 1, c, f->rss) ||
	    set_fig(ln, k + 2, c, f->pss) || set_fig(ln, k + 3, c, f->shared) ||
	    set_fig(ln, k + 4, c, f->priv) || set_fig(ln, k + 5, c, f->swap) ||
	    scols_line_set_data(ln, k + 6, b))
		return -1;
	return 0;
}

/* Returns 0, or -1 with errno ENOMEM. */
static int table_regions(const struct ctx *c)
{
	static const char *const cols[] = { "REGION", "SIZE", "RSS", "PSS", "SHARE", "PRIVATE",
					    "SWAP", "VMAS" };
	struct libscols_table *tb = new_table(c, cols, sizeof(cols) / sizeof(cols[0]), 0, 0);
	int rc = 0;

	if (!tb)
		return -1;
	for (int r = 0; r <= REGION_COUNT && rc == 0; r++) {
		const struct figures *f = r < REGION_COUNT ? &c->s->sum.regions[r] : &c->s->sum.totals;
		if (r < REGION_COUNT && f->vmas == 0)
			continue;
		rc = figures_row(tb, c, r < REGION_COUNT ? region_name(r) :
				 c->s->filtered ? "filtered" : "total", NULL, f);
	}
	return print_table(tb, rc);
}

/* The table of the roles (--roles): each role that has VMAs, with its region and
 * figures, in the order of the regions, then the total.  Returns 0, or -1 with
 * errno ENOMEM. */
static int table_roles(const struct ctx *c)
{
	static const char *const cols[] = { "ROLE", "REGION", "SIZE", "RSS", "PSS", "SHARE",
					    "PRIVATE", "SWAP", "VMAS" };
	struct libscols_table *tb = new_table(c, cols, sizeof(cols) / sizeof(cols[0]), 0, 0);
	int rc = 0;

	if (!tb)
		return -1;
	/* the region column is text: left-aligned */
	scols_column_set_flags(scols_table_get_column(tb, 1), 0);
	for (int g = 0; g < REGION_COUNT && rc == 0; g++)
		for (int r = 0; r < ROLE_COUNT && rc == 0; r++)
			if ((int)role_region(r) == g && c->s->sum.roles[r].vmas)
				rc = figures_row(tb, c, role_name(r), region_name(g),
						 &c->s->sum.roles[r]);
	if (rc == 0)
		rc = figures_row(tb, c, c->s->filtered ? "filtered" : "total", "",
				 &c->s->sum.totals);
	return print_table(tb, rc);
}

struct obj_row {
	const struct object *o;
	const struct figures *total, *part;
};

static int cmp_obj_rss(const void *a, const void *b)
{
	const struct obj_row *x = a, *y = b;

	if (x->total->rss != y->total->rss)
		return (x->total->rss < y->total->rss) - (x->total->rss > y->total->rss);
	return (x->o->low > y->o->low) - (x->o->low < y->o->low);
}

/* Returns 0, or -1 with errno ENOMEM. */
static int table_objects(const struct ctx *c)
{
	static const char *const cols[] = { "OBJECT", "TEXT", "RODATA", "RELRO", "DATA", "BSS",
					    "SIZE", "RSS", "PSS", "PRIVATE" };
	const struct layout *L = c->L;
	int rc = 0;

	if (!L->n_objects)
		return 0;
	struct obj_row *order = malloc(L->n_objects * sizeof(*order));
	struct libscols_table *tb = order ? new_table(c, cols, sizeof(cols) / sizeof(cols[0]),
						      0.5, SCOLS_FL_TRUNC) : NULL;
	size_t n = 0;
	if (!tb) {
		free(order);
		errno = ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < L->n_objects; i++)
		if (!c->s->filtered || c->s->sum.obj_total[i].vmas)
			order[n++] = (struct obj_row){ &L->objects[i], &c->s->sum.obj_total[i],
						       c->s->sum.obj_part[i] };
	qsort(order, n, sizeof(*order), cmp_obj_rss);
	scols_table_set_termwidth(tb, WIDTH);
	scols_table_set_termforce(tb, SCOLS_TERMFORCE_ALWAYS);
	/* what the figures leave of the width to the names, which are cut there with
	 * an ellipsis (libsmartcols would cut them without one) */
	size_t used = 0;
	for (size_t k = 1; k < sizeof(cols) / sizeof(cols[0]); k++) {
		size_t w = strlen(cols[k]);
		for (size_t i = 0; i < n; i++) {
			char b[32];
			const struct figures *t = order[i].total;
			uint64_t v = k <= PART_COUNT ? order[i].part[k - 1].size
				   : k == 6	     ? t->size
				   : k == 7	     ? t->rss
				   : k == 8	     ? t->pss
						     : t->priv;
			size_t l = strlen(k >= 7 ? text_figure(c, b, sizeof(b), v)
						 : text_size(c, b, sizeof(b), v));
			if (l > w)
				w = l;
		}
		used += w + 1;
	}
	size_t name_w = used + 12 < WIDTH ? WIDTH - used : 12;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct object *o = order[i].o;
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		char name[256], fit[256];
		const char *p = path_base(layout_object_path(L, o));
		if (!ln) {
			rc = -1;
			break;
		}
		name_printable(name, sizeof(name), p, strlen(p), 200, c->o->ascii);
		/* a file replaced or removed since it was mapped (an upgrade) */
		if (o->deleted && strlen(name) + 10 < sizeof(name))
			strcat(name, " (deleted)");
		if (!o->attributed && strlen(name) + 2 < sizeof(name))
			strcat(name, " ?");
		rc = scols_line_set_data(ln, 0, text_fit_end(fit, sizeof(fit), name, name_w,
							     c->o->ascii));
		for (int k = 0; k < PART_COUNT && rc == 0; k++)
			rc = set_num(ln, 1 + (size_t)k, c, order[i].part[k].size);
		if (rc == 0)
			rc = set_num(ln, 6, c, order[i].total->size);
		if (rc == 0)
			rc = set_fig(ln, 7, c, order[i].total->rss);
		if (rc == 0)
			rc = set_fig(ln, 8, c, order[i].total->pss);
		if (rc == 0)
			rc = set_fig(ln, 9, c, order[i].total->priv);
	}
	free(order);
	return print_table(tb, rc);
}

/* Under the region table: the kernel's other counters of the mm (/proc/PID/status):
 * the peaks of the size and of the RSS (hiwater_vm, hiwater_rss), locked and
 * pinned memory and the page tables; nothing when the source has no status. */
static void mm_counters(const struct ctx *c)
{
	const struct proc_counters *k = &c->L->kc;
	const uint64_t v[] = { k->vm_peak, k->vm_hwm, k->vm_lck, k->vm_pin, k->vm_pte };
	static const char *const name[] = { "VmPeak", "VmHWM", "VmLck", "VmPin", "VmPTE" };
	char line[160], b[32];
	size_t n = 0;

	if (!c->L->has_kc)
		return;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (v[i] != PROC_COUNTER_UNKNOWN && n < sizeof(line))
			n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s %s", n ? "  " : "",
					      name[i], text_size(c, b, sizeof(b), v[i]));
	if (n)
		fprintf(c->out, "%skernel: %s%s\n", c->c_dim, line, c->c_off);
}

/* Why the diagram's mmap area bands and the region table's mmap differ: the bands
 * are places, and hold the libraries' code, data and bss, thread stacks and the
 * kernel's [vdso] and [vvar], which the table counts in their own regions.  One
 * line, the bands' size split by region; nothing when they hold mmap alone. */
static void mmap_bands_note(const struct ctx *c)
{
	const struct layout *L = c->L;
	struct figures r[REGION_COUNT] = { { 0 } }, all = { 0 };
	char line[256], b[32];
	size_t n = 0;

	for (size_t i = 0; i < L->vmas.n; i++) {
		const struct vma *v = &L->vmas.v[i];
		if (!vma_selected(c->s, i) || !diagram_in_mmap_band(L, v))
			continue;
		figures_add_vma(&r[v->region], v);
		figures_add_vma(&all, v);
	}
	if (all.size == r[REGION_MMAP].size)
		return;
	n = (size_t)snprintf(line, sizeof(line), "mmap area bands: %s =",
			     text_size(c, b, sizeof(b), all.size));
	for (int k = 0; k < REGION_COUNT && n < sizeof(line); k++)
		if (r[k].size)
			n += (size_t)snprintf(line + n, sizeof(line) - n, "%s %s %s",
					      n > 20 && line[n - 1] != '=' ? " +" : "",
					      region_name(k), text_size(c, b, sizeof(b), r[k].size));
	fprintf(c->out, "%s%s%s\n", c->c_dim, line, c->c_off);
}

void text_ctx_init(struct ctx *cp, FILE *out, const struct layout *L,
		   const struct render_opts *o, const struct vma_selection *s)
{
	struct ctx c = { .out = out, .L = L, .o = o, .s = s, .width = WIDTH };
	uint64_t maxa = L->task_size.known ? L->task_size.v : 0;

	for (size_t i = 0; i < L->vmas.n; i++)
		if (L->vmas.v[i].end > maxa)
			maxa = L->vmas.v[i].end;
	if (L->machine == EM_X86_64 && L->elf_class == 64 && L->task_size.known)
		maxa = UINT64_MAX;	/* the diagram draws the kernel's half (diagram.c) */
	c.aw = 2;
	do {
		c.aw++;
		maxa >>= 4;
	} while (maxa);
	if (c.aw < 10)
		c.aw = 10;
	if (o->ascii) {
		c.v = "|";
		c.top = "+-";
		c.mid = "+-";
		c.end = "+-";
		c.gap = ":";
	} else {
		c.v = "\xe2\x94\x82";		/* │ */
		c.top = "\xe2\x94\xac\xe2\x94\x80";	/* ┬─ */
		c.mid = "\xe2\x94\x9c\xe2\x94\x80";	/* ├─ */
		c.end = "\xe2\x94\xb4\xe2\x94\x80";	/* ┴─ */
		c.gap = "\xe2\x94\x86";		/* ┆ */
	}
	if (o->color) {
		c.c_dim = "\033[2m";
		c.c_bold = "\033[1m";
		c.c_off = "\033[0m";
		c.c_warn = "\033[33m";
	} else {
		c.c_dim = c.c_bold = c.c_off = c.c_warn = "";
	}
	*cp = c;
}

int render_text_view(FILE *out, const struct layout *L, const struct render_opts *o,
		     const struct vma_selection *s, unsigned parts)
{
	struct ctx c;

	text_ctx_init(&c, out, L, o, s);
	if (!parts)
		parts = TEXT_ALL;
	header(&c);
	if (parts & TEXT_DIAGRAM) {
		if (text_diagram(&c) < 0)
			return -1;
		if (parts & (TEXT_SUMMARY | TEXT_OBJECTS))
			fputc('\n', out);
	}
	if (parts & TEXT_SUMMARY) {
		if (table_regions(&c) < 0)
			return -1;
		mm_counters(&c);
		if (parts & TEXT_DIAGRAM)
			mmap_bands_note(&c);
		if (parts & TEXT_OBJECTS)
			fputc('\n', out);
	}
	if ((parts & TEXT_OBJECTS) && table_objects(&c) < 0)
		return -1;
	if (parts & TEXT_ROLES) {
		if (parts & (TEXT_DIAGRAM | TEXT_SUMMARY | TEXT_OBJECTS))
			fputc('\n', out);
		if (table_roles(&c) < 0)
			return -1;
	}
	bool vmc_bad = false;
	for (int i = 0; i < VMC_COUNT; i++)
		vmc_bad |= L->vmc[i].kernel_known && L->vmc[i].kernel != L->vmc[i].vmas;
	if (vmc_bad)
		fputc('\n', out);
	for (int i = 0; i < VMC_COUNT; i++) {
		char s1[32], s2[32];
		if (L->vmc[i].kernel_known && L->vmc[i].kernel != L->vmc[i].vmas)
			fprintf(out, "%snote:%s %s from the VMAs is %s, the kernel says %s\n", c.c_warn,
				c.c_off, vm_counter_name(i), text_size(&c, s1, 32, L->vmc[i].vmas),
				text_size(&c, s2, 32, L->vmc[i].kernel));
	}
	return 0;
}

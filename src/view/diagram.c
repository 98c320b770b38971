/* diagram.c - the diagram of the text view (see text.h)
 *
 * The diagram puts high addresses on top, like the textbook picture.  The VMAs are
 * cut into bands (stack, mmap area, heap, bss, data, code, [vsyscall]); unmapped
 * gaps between bands are printed with their sizes; inside the mmap area, runs of
 * VMAs of one object, one thread stack, one file or of anonymous memory fold into
 * one line each, and when there are still too many lines the smallest are folded
 * together, so that the diagram stays a few dozen lines for any process.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "view/text.h"

#define MAX_ITEMS 18	/* lines inside one mmap band before folding */

enum band_kind { BAND_CODE, BAND_DATA, BAND_BSS, BAND_HEAP, BAND_MMAP, BAND_STACK, BAND_GATE };

struct band {
	enum band_kind kind;
	size_t first, last;	/* VMA indexes, first <= last (ascending addresses) */
	struct figures fig;
};

struct item {
	size_t first, last;	/* VMA indexes, ascending */
	struct figures fig;
	int kind;		/* enum role of the first VMA, or -1 for an object, -2 folded */
	int32_t object;
	int32_t tid;		/* for a thread stack */
};


static enum band_kind band_of(const struct layout *L, const struct vma *v)
{
	if (v->role == ROLE_HEAP)
		return BAND_HEAP;
	if (v->role == ROLE_STACK)
		return BAND_STACK;
	if (v->role == ROLE_VSYSCALL)
		return BAND_GATE;
	if (v->object >= 0 && v->object == L->exe_object) {
		switch (v->role) {
		case ROLE_TEXT:
			return BAND_CODE;
		case ROLE_BSS:
			return BAND_BSS;
		default:
			return BAND_DATA;
		}
	}
	return BAND_MMAP;
}

static void fmt_addr(const struct ctx *c, char *buf, size_t len, uint64_t a)
{
	char h[24];

	snprintf(h, sizeof(h), "0x%" PRIx64, a);
	snprintf(buf, len, "%*s", c->aw, h);
}

/* Display columns of a UTF-8 string: continuation bytes take none. */
static int columns(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* s, then spaces up to width display columns. */
static void put_padded(FILE *out, const char *s, int width)
{
	fputs(s, out);
	for (int n = columns(s); n < width; n++)
		fputc(' ', out);
}

/* "ADDR ├─ label ......... SIZE  rss RSS" */
static void band_line(const struct ctx *c, uint64_t addr, const char *glyph, const char *label,
		      const struct figures *f)
{
	char a[24], s1[32], s2[32];
	int lw = WIDTH - c->aw - 4 - 20;

	if (addr == UINT64_MAX)
		snprintf(a, sizeof(a), "%*s", c->aw, "");
	else
		fmt_addr(c, a, sizeof(a), addr);
	if (!f) {
		fprintf(c->out, "%s %s%s%s%s\n", a, glyph, label[0] ? " " : "", c->c_bold, label);
		if (c->c_off[0])
			fputs(c->c_off, c->out);
		return;
	}
	fprintf(c->out, "%s %s %s", a, glyph, c->c_bold);
	put_padded(c->out, label, lw);
	fprintf(c->out, "%s %7s  rss %7s\n", c->c_off, text_size(c, s1, sizeof(s1), f->size),
		text_figure(c, s2, sizeof(s2), f->rss));
}

static void item_line(const struct ctx *c, const char *label, const struct figures *f)
{
	char s1[32], s2[32];
	int lw = WIDTH - c->aw - 6 - 20;

	fprintf(c->out, "%*s %s   ", c->aw, "", c->v);
	put_padded(c->out, label, lw);
	fprintf(c->out, " %7s  rss %7s\n", text_size(c, s1, sizeof(s1), f->size),
		text_figure(c, s2, sizeof(s2), f->rss));
}

static void note_line(const struct ctx *c, const char *text)
{
	fprintf(c->out, "%*s %s   %s%s%s\n", c->aw, "", c->v, c->c_dim, text, c->c_off);
}

static void gap_line(const struct ctx *c, uint64_t bytes, const char *what)
{
	char w[48];

	fprintf(c->out, "%*s %s  %s%s %s%s\n", c->aw, "", c->gap, c->c_dim,
		size_words(w, sizeof(w), bytes), what, c->c_off);
}

/* Whether v maps the file of an ELF object (a mapping that no instance of the
 * object explains: V8's remapped builtins, a symbolizer's view of the file). */
static bool is_object_file(const struct layout *L, const struct vma *v)
{
	for (size_t i = 0; i < L->n_objects; i++)
		if (L->objects[i].inode == v->inode && L->objects[i].dev_major == v->dev_major &&
		    L->objects[i].dev_minor == v->dev_minor)
			return true;
	return false;
}

/* The label of a run of VMAs inside the mmap area. */
static void item_label(const struct ctx *c, const struct item *it, char *buf, size_t len)
{
	const struct layout *L = c->L;
	const struct vma *v = &L->vmas.v[it->first];
	char name[256];
	size_t nw = (size_t)(WIDTH - c->aw - 6 - 20);

	if (it->kind == -2) {
		snprintf(buf, len, "%s %zu more mapping%s", c->o->ascii ? "..." : "\xe2\x80\xa6",
			 (size_t)it->fig.vmas, it->fig.vmas == 1 ? "" : "s");
		return;
	}
	if (it->kind == -1) {
		const struct object *o = &L->objects[it->object];
		const char *p = path_base(layout_object_path(L, o));
		name_printable(name, sizeof(name), p, strlen(p), nw - 12, c->o->ascii);
		snprintf(buf, len, "%s%s%s", name, o->kind == OBJECT_EXECUTABLE ? " (executable)" : "",
			 o->deleted ? " (deleted)" : "");
		return;
	}
	switch (it->kind) {
	case ROLE_THREAD_STACK: {
		const char *comm = layout_thread_comm(L, it->tid);
		if (comm[0]) {
			name_printable(name, sizeof(name), comm, strlen(comm), 16, c->o->ascii);
			snprintf(buf, len, "thread stack (tid %d %s)", (int)it->tid, name);
		} else {
			snprintf(buf, len, "thread stack (tid %d)", (int)it->tid);
		}
		return;
	}
	case ROLE_RESERVED:
	case ROLE_ARENA:
	case ROLE_JIT: {
		const char *what = it->kind == ROLE_RESERVED ? "reserved (---p)"
				   : it->kind == ROLE_ARENA  ? "malloc arena heaps"
							     : "JIT code (anonymous, executable)";
		if (it->fig.vmas == 1)
			snprintf(buf, len, "%s", what);
		else
			snprintf(buf, len, "%s, %" PRIu64 " mappings", what, it->fig.vmas);
		return;
	}
	case ROLE_ANON:
	case ROLE_GUARD:
		if (it->fig.vmas == 1 && v->role == ROLE_GUARD)
			snprintf(buf, len, "guard (---p)");
		else if (it->fig.vmas == 1 && v->name_kind == VMA_NAME_ANON)
			name_printable(buf, len, vma_name(&L->vmas, v), v->name_len, nw, c->o->ascii);
		else if (it->fig.vmas == 1)
			snprintf(buf, len, "anonymous");
		else
			snprintf(buf, len, "anonymous (%" PRIu64 " mappings)", it->fig.vmas);
		return;
	case ROLE_VDSO:
	case ROLE_VVAR:
	case ROLE_OTHER: {
		size_t n = 0;
		buf[0] = '\0';
		for (size_t i = it->last + 1; i-- > it->first && n + 1 < len;) {
			const struct vma *u = &L->vmas.v[i];
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? " " : "",
					      vma_name(&L->vmas, u));
			if (n >= len)
				break;
		}
		return;
	}
	default: {
		const char *p = vma_name(&L->vmas, v);
		char tag[48] = "";
		if (it->fig.vmas > 1)
			snprintf(tag, sizeof(tag), " (%" PRIu64 " mappings)", it->fig.vmas);
		else if (v->role == ROLE_FILE && is_object_file(L, v))
			snprintf(tag, sizeof(tag), " (alias)");
		name_printable(name, sizeof(name), p, v->name_len, nw - strlen(tag) - 10,
			       c->o->ascii);
		snprintf(buf, len, "%s%s%s", name, v->deleted ? " (deleted)" : "", tag);
		return;
	}
	}
}

static int item_key_kind(const struct vma *v)
{
	if (v->object >= 0)
		return -1;
	if (v->role == ROLE_GUARD)
		return ROLE_ANON;
	if (v->role == ROLE_VVAR || v->role == ROLE_VDSO || v->role == ROLE_OTHER)
		return ROLE_VDSO;
	return v->role;
}

static bool same_item(const struct layout *L, const struct item *it, const struct vma *v)
{
	const struct vma *u = &L->vmas.v[it->first];
	int k = item_key_kind(v);

	if (k != it->kind)
		return false;
	switch (k) {
	case -1:
		return v->object == it->object;
	case ROLE_THREAD_STACK:
		return v->tid == it->tid;
	case ROLE_SHM:
	case ROLE_FILE:
		return v->name == u->name;
	default:
		return true;
	}
}

static int cmp_rss_desc(const void *a, const void *b)
{
	const struct item *x = *(const struct item *const *)a, *y = *(const struct item *const *)b;
	uint64_t kx = x->fig.rss ? x->fig.rss : x->fig.size / 1024;
	uint64_t ky = y->fig.rss ? y->fig.rss : y->fig.size / 1024;

	return (kx < ky) - (kx > ky);
}

/* Returns 0, or -1 with errno ENOMEM. */
static int draw_mmap_items(const struct ctx *c, const struct band *b)
{
	const struct layout *L = c->L;
	size_t cap = 64, n = 0;
	struct item *items = malloc(cap * sizeof(*items));

	if (!items)
		return -1;
	/* runs, high addresses first */
	for (size_t i = b->last + 1; i-- > b->first;) {
		const struct vma *v = &L->vmas.v[i];
		struct figures parts[2];
		bool measured;
		/* a VMA merged across the end of a bss: the rest here, the bss part
		 * with its object (below) */
		bool split = v->bss_pages && (size_t)v->bss_object < L->n_objects &&
			     vma_part_figures(v, L->page_size, parts, &measured);
		for (int k = split ? 1 : 0; k >= 0; k--) {
			const struct figures *f = k ? &parts[1] : split ? &parts[0] : NULL;
			struct item want = { .first = i, .last = i, .kind = item_key_kind(v),
					     .object = v->object, .tid = v->tid };
			if (split && k == 0)
				want = (struct item){ .first = i, .last = i, .kind = -1,
						      .object = v->bss_object };
			if (n && ((split && k == 0) ? items[n - 1].kind == -1 &&
							      items[n - 1].object == want.object
						    : same_item(L, &items[n - 1], v))) {
				items[n - 1].first = i;
				f ? figures_add(&items[n - 1].fig, f) : figures_add_vma(&items[n - 1].fig, v);
				continue;
			}
			/* a guard page right below a thread stack belongs to it */
			if (n && !split && v->role == ROLE_GUARD &&
			    items[n - 1].kind == ROLE_THREAD_STACK &&
			    v->end == L->vmas.v[items[n - 1].first].start) {
				items[n - 1].first = i;
				figures_add_vma(&items[n - 1].fig, v);
				continue;
			}
			if (n == cap) {
				struct item *ni = realloc(items, cap * 2 * sizeof(*items));
				if (!ni) {
					free(items);
					return -1;
				}
				items = ni;
				cap *= 2;
			}
			items[n] = want;
			f ? figures_add(&items[n].fig, f) : figures_add_vma(&items[n].fig, v);
			n++;
		}
	}

	/* too many: keep the biggest, fold runs of the others */
	bool *keep = calloc(n ? n : 1, sizeof(*keep));
	struct item **order = n > MAX_ITEMS ? malloc(n * sizeof(*order)) : NULL;
	if (!keep || (n > MAX_ITEMS && !order)) {
		free(order);
		free(keep);
		free(items);
		return -1;
	}
	if (order) {
		for (size_t i = 0; i < n; i++)
			order[i] = &items[i];
		qsort(order, n, sizeof(*order), cmp_rss_desc);
		for (size_t i = 0; i < MAX_ITEMS / 2; i++)
			keep[order[i] - items] = true;
		free(order);
	} else {
		for (size_t i = 0; i < n; i++)
			keep[i] = true;
	}
	for (size_t i = 0; i < n;) {
		char label[512];
		if (keep[i]) {
			item_label(c, &items[i], label, sizeof(label));
			item_line(c, label, &items[i].fig);
			i++;
			continue;
		}
		if (i + 1 >= n || keep[i + 1]) {
			keep[i] = true;	/* a run of one: print it as it is */
			continue;
		}
		struct item f = { .kind = -2 };
		while (i < n && !keep[i])
			figures_add(&f.fig, &items[i++].fig);
		item_label(c, &f, label, sizeof(label));
		item_line(c, label, &f.fig);
	}
	free(keep);
	free(items);
	return 0;
}

static const char *band_title(const struct ctx *c, const struct band *b, char *buf, size_t len)
{
	const struct layout *L = c->L;
	const char *exe = "";

	if (L->exe_object >= 0)
		exe = path_base(layout_object_path(L, &L->objects[L->exe_object]));
	char name[64];
	name_printable(name, sizeof(name), exe, strlen(exe), 30, c->o->ascii);
	switch (b->kind) {
	case BAND_CODE:
		snprintf(buf, len, "code  %s", name);
		break;
	case BAND_DATA:
		snprintf(buf, len, "data  %s", name);
		break;
	case BAND_BSS:
		snprintf(buf, len, "bss   %s", name);
		break;
	case BAND_HEAP:
		snprintf(buf, len, "heap  [heap]");
		break;
	case BAND_STACK:
		snprintf(buf, len, "stack [stack]");
		break;
	case BAND_GATE:
		snprintf(buf, len, "[vsyscall]");
		break;
	default:
		snprintf(buf, len, "mmap area");
		break;
	}
	return buf;
}

/* "rodata 16K  relro 4K  data 4K": the roles inside a band of the executable. */
static void role_note(const struct ctx *c, const struct band *b)
{
	struct figures r[ROLE_COUNT] = { { 0 } };
	char line[160], s1[32];
	size_t n = 0, kinds = 0;

	for (size_t i = b->first; i <= b->last; i++)
		figures_add_vma(&r[c->L->vmas.v[i].role], &c->L->vmas.v[i]);
	for (int k = 0; k < ROLE_COUNT; k++)
		kinds += r[k].vmas != 0;
	if (kinds == 0)
		return;
	for (int k = 0; k < ROLE_COUNT && n < sizeof(line); k++)
		if (r[k].vmas)
			n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s %s", n ? "  " : "",
					      role_name(k), text_size(c, s1, sizeof(s1), r[k].size));
	note_line(c, line);
}

struct marker {
	const char *name;
	struct opt_addr a;
	bool done;
};

/* Print the mm_struct boundaries that fall in [lo, hi]. */
static void markers_in(const struct ctx *c, struct marker *m, size_t nm, uint64_t lo, uint64_t hi)
{
	char line[160], a[24];
	size_t n = 0;

	line[0] = '\0';
	for (size_t i = 0; i < nm; i++) {
		if (m[i].done || !m[i].a.known || m[i].a.v < lo || m[i].a.v > hi)
			continue;
		m[i].done = true;
		snprintf(a, sizeof(a), "0x%" PRIx64, m[i].a.v);
		char piece[64];
		snprintf(piece, sizeof(piece), "%s %s", m[i].name, a);
		if (n && n + strlen(piece) + 3 > (size_t)(WIDTH - c->aw - 6)) {
			note_line(c, line);
			n = 0;
			line[0] = '\0';
		}
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s", n ? "   " : "", piece);
	}
	if (n)
		note_line(c, line);
}

/* Returns 0, or -1 with errno ENOMEM. */
int text_diagram(struct ctx *c)
{
	const struct layout *L = c->L;
	const struct vma_list *l = &L->vmas;
	struct band *bands;
	size_t nb = 0;
	char label[256], a[24];

	bands = calloc(l->n ? l->n : 1, sizeof(*bands));
	if (!bands)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		const struct vma *v = &l->v[i];
		enum band_kind k = band_of(L, v);
		/* a gap of 1 GiB or more splits the mmap area */
		if (nb && bands[nb - 1].kind == k &&
		    (k != BAND_MMAP || v->start - l->v[bands[nb - 1].last].end < (UINT64_C(1) << 30))) {
			bands[nb - 1].last = i;
			figures_add_vma(&bands[nb - 1].fig, v);
			continue;
		}
		bands[nb] = (struct band){ .kind = k, .first = i, .last = i };
		figures_add_vma(&bands[nb].fig, v);
		nb++;
	}

	struct marker m[] = {
		{ "start_code", L->mm.start_code, false }, { "end_code", L->mm.end_code, false },
		{ "start_data", L->mm.start_data, false }, { "end_data", L->mm.end_data, false },
		{ "start_brk", L->mm.start_brk, false }, { "brk", L->mm.brk, false },
		{ "start_stack", L->mm.start_stack, false }, { "arg_start", L->mm.arg_start, false },
		{ "env_end", L->mm.env_end, false },
	};
	size_t nm = sizeof(m) / sizeof(m[0]);

	bool first = true;
	uint64_t prev_low = 0;	/* low address of the band printed just above */
	bool ts_done = !L->task_size.known;
	for (size_t bi = nb; bi-- > 0;) {
		const struct band *b = &bands[bi];
		uint64_t hi = l->v[b->last].end, lo = l->v[b->first].start;

		if (!ts_done && hi <= L->task_size.v) {
			char w[48];
			if (!first) {
				gap_line(c, prev_low - L->task_size.v, " (kernel space)");
			}
			snprintf(label, sizeof(label), "task_size (%s of user space)",
				 size_words(w, sizeof(w), L->task_size.v));
			band_line(c, L->task_size.v, first ? c->top : c->mid, label, NULL);
			prev_low = L->task_size.v;
			first = false;
			ts_done = true;
		}
		if (!first && prev_low > hi) {
			gap_line(c, prev_low - hi, " unmapped");
			/* boundaries that fall in the gap */
			markers_in(c, m, nm, hi + 1, prev_low - 1);
		}
		if (first || prev_low != hi)
			band_line(c, hi, first ? c->top : c->mid, band_title(c, b, label, sizeof(label)),
				  &b->fig);
		else
			band_line(c, hi, c->mid, band_title(c, b, label, sizeof(label)), &b->fig);
		first = false;
		if (b->kind == BAND_MMAP && draw_mmap_items(c, b) < 0) {
			free(bands);
			return -1;
		} else if (b->kind == BAND_DATA)
			role_note(c, b);
		markers_in(c, m, nm, lo, hi);
		prev_low = lo;
	}
	if (!first) {
		fmt_addr(c, a, sizeof(a), prev_low);
		fprintf(c->out, "%s %s\n", a, c->end);
	}
	free(bands);
	return 0;
}


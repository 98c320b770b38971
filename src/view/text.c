/* text.c - the text view: header, diagram, region summary, objects
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
#include <libsmartcols.h>
#include <stdlib.h>
#include <string.h>

#include "elf/elfinfo.h"
#include "view/views.h"
#include "lib/util.h"

#define WIDTH 80
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

struct ctx {
	FILE *out;
	const struct layout *L;
	const struct vma_selection *s;
	const struct render_opts *o;
	int aw;			/* width of the address column */
	const char *v, *top, *mid, *end, *gap;	/* line drawing */
	const char *c_dim, *c_bold, *c_off, *c_warn;
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

static const char *sz(const struct ctx *c, char *buf, size_t len, uint64_t v)
{
	return size_human(buf, len, v, c->o->bytes);
}

/* A figure other than SIZE: "?" when the source has none (maps text, ELF file,
 * core). */
static const char *fz(const struct ctx *c, char *buf, size_t len, uint64_t v)
{
	if (c->L->figures_unknown) {
		snprintf(buf, len, "?");
		return buf;
	}
	return sz(c, buf, len, v);
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
	fprintf(c->out, "%s %7s  rss %7s\n", c->c_off, sz(c, s1, sizeof(s1), f->size),
		fz(c, s2, sizeof(s2), f->rss));
}

static void item_line(const struct ctx *c, const char *label, const struct figures *f)
{
	char s1[32], s2[32];
	int lw = WIDTH - c->aw - 6 - 20;

	fprintf(c->out, "%*s %s   ", c->aw, "", c->v);
	put_padded(c->out, label, lw);
	fprintf(c->out, " %7s  rss %7s\n", sz(c, s1, sizeof(s1), f->size),
		fz(c, s2, sizeof(s2), f->rss));
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
					      role_name(k), sz(c, s1, sizeof(s1), r[k].size));
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
static int draw_diagram(struct ctx *c)
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

static void header(const struct ctx *c)
{
	const struct layout *L = c->L;
	char cmd[128], s[7][32];
	const char *comm = L->has_id ? L->id.comm : L->stat.comm;
	const char *type = "";

	if (L->exe_type == 2 /* ET_EXEC */)
		type = L->exe_has_interp ? "non-PIE" : "static";
	else if (L->exe_type == 3 /* ET_DYN */)
		type = L->exe_has_interp ? "PIE" : "static-pie";
	if (L->has_id && L->id.cmdline_n) {
		size_t n = 0;
		cmd[0] = '\0';
		for (size_t i = 0; i < L->id.cmdline_n && n < 60; i++) {
			char part[80];
			name_printable(part, sizeof(part), L->id.cmdline[i], strlen(L->id.cmdline[i]),
				       40, c->o->ascii);
			n += (size_t)snprintf(cmd + n, sizeof(cmd) - n, "%s%s", i ? " " : "", part);
			if (n >= sizeof(cmd))
				n = sizeof(cmd) - 1;
		}
	} else {
		name_printable(cmd, sizeof(cmd), comm, strlen(comm), 40, c->o->ascii);
	}
	char page[32];
	size_words(page, sizeof(page), L->page_size);
	int threads = L->has_id ? L->id.threads : (int)L->n_threads;
	const struct layout_offline *off = L->offline;
	char what[96];
	if (L->source == LAYOUT_SOURCE_ELF_FILE || L->source == LAYOUT_SOURCE_SMAPS_TEXT ||
	    L->source == LAYOUT_SOURCE_MAPS_TEXT) {
		char p[64];
		const char *path = off && off->path ? off->path : "";
		name_printable(p, sizeof(p), path, strlen(path), 40, c->o->ascii);
		snprintf(what, sizeof(what), "%s %s",
			 L->source == LAYOUT_SOURCE_ELF_FILE ? "ELF file" :
			 L->source == LAYOUT_SOURCE_SMAPS_TEXT ? "smaps text" : "maps text", p);
		fprintf(c->out, "%s%s%s   %s  ELF%d %s  %s pages\n", c->c_bold, what, c->c_off,
			L->machine ? elf_machine_name(L->machine) : "?", L->elf_class, type, page);
	} else {
		snprintf(what, sizeof(what), "%spid %d",
			 L->source == LAYOUT_SOURCE_CORE ? "core of " :
			 L->source == LAYOUT_SOURCE_SNAPSHOT ? "snapshot of " : "", (int)L->pid);
		fprintf(c->out, "%s%s%s  %.36s   %s  ELF%d %s  %s pages  %d thread%s\n",
			c->c_bold, what, c->c_off, cmd,
			L->machine ? elf_machine_name(L->machine) : "?", L->elf_class, type, page,
			threads, threads == 1 ? "" : "s");
	}
	const struct figures *t = &c->s->sum.totals;
	if (L->source == LAYOUT_SOURCE_CORE && off) {
		fprintf(c->out, "   SIZE %s  DUMPED %s  VMAs %" PRIu64 "%s\n\n",
			sz(c, s[0], 32, t->size), sz(c, s[1], 32, off->dumped_total), t->vmas,
			c->s->filtered ? " (not filtered)" : "");
		return;
	}
	fprintf(c->out, "   %sSIZE %s  RSS %s  PSS %s  SHARE %s  PRIVATE %s  SWAP %s  VMAs %" PRIu64,
		c->s->filtered ? "filtered: " : "",
		sz(c, s[0], 32, t->size), fz(c, s[1], 32, t->rss), fz(c, s[2], 32, t->pss),
		fz(c, s[3], 32, t->shared), fz(c, s[4], 32, t->priv), fz(c, s[5], 32, t->swap),
		t->vmas);
	if (c->s->filtered)
		fprintf(c->out, " of %zu", L->vmas.n);
	fputc('\n', c->out);
	fputc('\n', c->out);
}

/* The cells of the text view's tables: 0, or a negative number when libsmartcols
 * had no memory for it. */
static int set_num(struct libscols_line *ln, size_t col, const struct ctx *c, uint64_t v)
{
	char b[32];

	return scols_line_set_data(ln, col, sz(c, b, sizeof(b), v));
}

/* A figure other than SIZE ("?" when unknown). */
static int set_fig(struct libscols_line *ln, size_t col, const struct ctx *c, uint64_t v)
{
	char b[32];

	return scols_line_set_data(ln, col, fz(c, b, sizeof(b), v));
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
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		char b[32];
		snprintf(b, sizeof(b), "%" PRIu64, f->vmas);
		if (!ln ||
		    scols_line_set_data(ln, 0, r < REGION_COUNT ? region_name(r) :
					       c->s->filtered ? "filtered" : "total") ||
		    set_num(ln, 1, c, f->size) || set_fig(ln, 2, c, f->rss) ||
		    set_fig(ln, 3, c, f->pss) || set_fig(ln, 4, c, f->shared) ||
		    set_fig(ln, 5, c, f->priv) || set_fig(ln, 6, c, f->swap) ||
		    scols_line_set_data(ln, 7, b))
			rc = -1;
	}
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
					    "SIZE", "RSS" };
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
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct object *o = order[i].o;
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		char name[256];
		const char *p = path_base(layout_object_path(L, o));
		if (!ln) {
			rc = -1;
			break;
		}
		name_printable(name, sizeof(name), p, strlen(p), 200, c->o->ascii);
		if (!o->attributed && strlen(name) + 2 < sizeof(name))
			strcat(name, " ?");
		rc = scols_line_set_data(ln, 0, name);
		for (int k = 0; k < PART_COUNT && rc == 0; k++)
			rc = set_num(ln, 1 + (size_t)k, c, order[i].part[k].size);
		if (rc == 0)
			rc = set_num(ln, 6, c, order[i].total->size);
		if (rc == 0)
			rc = set_fig(ln, 7, c, order[i].total->rss);
	}
	free(order);
	return print_table(tb, rc);
}

int render_text_view(FILE *out, const struct layout *L, const struct render_opts *o,
		     const struct vma_selection *s, unsigned parts)
{
	struct ctx c = { .out = out, .L = L, .o = o, .s = s };
	uint64_t maxa = L->task_size.known ? L->task_size.v : 0;

	for (size_t i = 0; i < L->vmas.n; i++)
		if (L->vmas.v[i].end > maxa)
			maxa = L->vmas.v[i].end;
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

	if (!parts)
		parts = TEXT_ALL;
	header(&c);
	if (parts & TEXT_DIAGRAM) {
		if (draw_diagram(&c) < 0)
			return -1;
		if (parts & (TEXT_SUMMARY | TEXT_OBJECTS))
			fputc('\n', out);
	}
	if (parts & TEXT_SUMMARY) {
		if (table_regions(&c) < 0)
			return -1;
		if (parts & TEXT_OBJECTS)
			fputc('\n', out);
	}
	if ((parts & TEXT_OBJECTS) && table_objects(&c) < 0)
		return -1;
	bool vmc_bad = false;
	for (int i = 0; i < VMC_COUNT; i++)
		vmc_bad |= L->vmc[i].kernel_known && L->vmc[i].kernel != L->vmc[i].vmas;
	if (vmc_bad)
		fputc('\n', out);
	for (int i = 0; i < VMC_COUNT; i++) {
		char s1[32], s2[32];
		if (L->vmc[i].kernel_known && L->vmc[i].kernel != L->vmc[i].vmas)
			fprintf(out, "%snote:%s %s from the VMAs is %s, the kernel says %s\n", c.c_warn,
				c.c_off, vm_counter_name(i), sz(&c, s1, 32, L->vmc[i].vmas),
				sz(&c, s2, 32, L->vmc[i].kernel));
	}
	return 0;
}

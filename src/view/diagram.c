/* diagram.c - the diagram: its rows (see diagram.h), and the text view's lines of
 * them (see text.h)
 *
 * The diagram puts high addresses on top, like the textbook picture.  The VMAs are
 * cut into bands (stack, mmap area, heap, bss, data, code, [vsyscall]); unmapped
 * gaps between bands are printed with their sizes; inside the mmap area, runs of
 * VMAs of one object, one thread stack, one file or of anonymous memory fold into
 * one line each, and when there are still too many lines the smallest are folded
 * together, so that the diagram stays a few dozen lines for any process.  The
 * rows are made first (diagram_rows()), then printed (text_diagram()) or drawn
 * (svg.c).
 *
 * Over 800 lines (about 950), on purpose: the bands, the folding of the mmap area
 * and the kernel's half are one algorithm over types private to this file (band,
 * item, marker); its text printer is the short part at the end.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lib/array.h"
#include "lib/util.h"
#include "model/kspace.h"
#include "view/diagram.h"
#include "view/text.h"

#define MAX_ITEMS 6	/* runs inside one mmap band above which they fold by kind */

enum band_kind { BAND_CODE, BAND_RODATA, BAND_DATA, BAND_BSS, BAND_HEAP, BAND_MMAP, BAND_STACK,
		 BAND_GATE };

struct band {
	enum band_kind kind;
	size_t first, last;	/* VMA indexes, first <= last (ascending addresses) */
	size_t islands;		/* mmap bands folded into this one (0: none) */
	struct figures fig;
};

struct item {
	size_t first, last;	/* VMA indexes, ascending */
	struct figures fig;
	int kind;		/* enum role of the first VMA (item_key_kind()), or -1 for an
				 * object */
	int32_t object;
	int32_t tid;		/* for a thread stack */
	uint64_t alo, alast;	/* its addresses, alast inclusive (alo UINT64_MAX: none yet) */
	uint64_t parts[REGION_COUNT];	/* its size in each region */
};

/* A new row of kind at the end of d: zeroed, not coloured.  When there is no room,
 * d->oom is set and the row returned is d->spare (written, never drawn). */
static struct diagram_row *add_row(struct diagram *d, enum drow_kind kind)
{
	struct diagram_row *r = &d->spare;

	if (ARRAY_GROW(d->rows, d->cap, d->n, 64) < 0)
		d->oom = true;
	else
		r = &d->rows[d->n++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->color = DCOLOR_NONE;
	return r;
}

/* A NOTE row of text. */
static void add_note(struct diagram *d, const char *text)
{
	snprintf(add_row(d, DROW_NOTE)->label, sizeof(d->spare.label), "%s", text);
}

/* it += the figures f of the addresses [lo, end) of region (a VMA or a part of one). */
static void item_add(struct item *it, const struct figures *f, uint64_t lo, uint64_t end,
		     enum region region)
{
	figures_add(&it->fig, f);
	it->parts[region] += end - lo;
	if (it->alo == UINT64_MAX || lo < it->alo)
		it->alo = lo;
	if (end - 1 > it->alast)
		it->alast = end - 1;
}

static void item_add_vma(struct item *it, const struct vma *v)
{
	struct figures f = vma_figures(v);

	item_add(it, &f, v->start, v->end, v->region);
}

/* g += the runs of it (folded together). */
static void item_merge(struct item *g, const struct item *it)
{
	figures_add(&g->fig, &it->fig);
	for (int k = 0; k < REGION_COUNT; k++)
		g->parts[k] += it->parts[k];
	if (g->alo == UINT64_MAX || it->alo < g->alo)
		g->alo = it->alo;
	if (it->alast > g->alast)
		g->alast = it->alast;
}

/* An ITEM row of it, labelled label, coloured as the region most of it is in. */
static void add_item_row(struct diagram *d, const struct item *it, const char *label)
{
	struct diagram_row *r = add_row(d, DROW_ITEM);

	r->has_fig = true;
	r->fig = it->fig;
	r->has_range = it->alo != UINT64_MAX;
	r->lo = it->alo;
	r->last = it->alast;
	memcpy(r->parts, it->parts, sizeof(r->parts));
	r->color = 0;
	for (int k = 1; k < REGION_COUNT; k++)
		if (it->parts[k] > it->parts[r->color])
			r->color = k;
	snprintf(r->label, sizeof(d->spare.label), "%s", label);
}


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
		case ROLE_RODATA:
			/* read-only, not executable: the first PT_LOAD (ELF headers,
			 * dynamic symbols, relocations) and .rodata */
			return BAND_RODATA;
		case ROLE_BSS:
			return BAND_BSS;
		default:
			return BAND_DATA;
		}
	}
	return BAND_MMAP;
}

bool diagram_in_mmap_band(const struct layout *L, const struct vma *v)
{
	return band_of(L, v) == BAND_MMAP;
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
	int lw = WIDTH - c->aw - 5 - 20;	/* the address, glyph, label and figures: WIDTH */

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

/* A size in words ("10 GiB"), or with --bytes the exact count ("10737418240 bytes"),
 * into w (48 bytes or more). */
static char *gap_size(const struct ctx *c, char *w, size_t len, uint64_t bytes)
{
	if (c->o->bytes) {
		snprintf(w, len, "%" PRIu64 " bytes", bytes);
		return w;
	}
	return size_words(w, len, bytes);
}

/* "┆  12 GiB  unmapped" */
static void gap_line(const struct ctx *c, const char *size, const char *what)
{
	fprintf(c->out, "%*s %s  %s%s %s%s\n", c->aw, "", c->gap, c->c_dim, size, what, c->c_off);
}

/* A GAP row: the addresses [lo, end), what they are. */
static void add_gap(const struct ctx *c, struct diagram *d, uint64_t lo, uint64_t end,
		    const char *what)
{
	struct diagram_row *r = add_row(d, DROW_GAP);

	r->has_range = true;
	r->lo = lo;
	r->last = end - 1;
	r->color = DCOLOR_GAP;
	gap_size(c, r->size_text, sizeof(r->size_text), end - lo);
	snprintf(r->label, sizeof(d->spare.label), "%s", what);
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
	size_t nw = (size_t)(c->width - c->aw - 6 - 20);

	if (it->kind == -1) {
		const struct object *o = &L->objects[it->object];
		const char *p = path_base(layout_object_path(L, o));
		char full[256];
		/* a file name: its head tells objects apart (_ssl.cpython-311-...,
		 * _json.cpython-311-...), so a long one is cut at the end */
		name_printable(full, sizeof(full), p, strlen(p), 200, c->o->ascii);
		text_fit_end(name, sizeof(name), full, nw - 12, c->o->ascii);
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
		bool alias = v->role == ROLE_FILE && is_object_file(L, v);
		if (it->fig.vmas > 1)
			snprintf(tag, sizeof(tag), " (%s%" PRIu64 " mappings)", alias ? "alias, " : "",
				 it->fig.vmas);
		else if (alias)
			snprintf(tag, sizeof(tag), " (alias)");
		size_t del = v->deleted ? strlen(" (deleted)") : 0;
		name_printable(name, sizeof(name), p, v->name_len,
			       nw > strlen(tag) + del + 8 ? nw - strlen(tag) - del : 8, c->o->ascii);
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

/* The label of the runs of one kind k folded together: n runs, their figures f,
 * for thread stacks their TIDs from lo to hi. */
static void fold_label(int k, size_t n, const struct figures *f, int32_t lo, int32_t hi,
		       char *buf, size_t len)
{
	switch (k) {
	case ROLE_THREAD_STACK:
		if (lo && hi > lo)
			snprintf(buf, len, "%zu thread stacks (tid %d-%d)", n, (int)lo, (int)hi);
		else
			snprintf(buf, len, "%zu thread stacks", n);
		return;
	case ROLE_RESERVED:
		snprintf(buf, len, "reserved (---p), %" PRIu64 " mappings", f->vmas);
		return;
	case ROLE_ARENA:
		snprintf(buf, len, "malloc arena heaps, %" PRIu64 " mappings", f->vmas);
		return;
	case ROLE_JIT:
		snprintf(buf, len, "JIT code, %" PRIu64 " mappings", f->vmas);
		return;
	case ROLE_SHM:
		snprintf(buf, len, "shared memory, %" PRIu64 " mappings", f->vmas);
		return;
	case ROLE_FILE:
		snprintf(buf, len, "mapped files, %" PRIu64 " mappings", f->vmas);
		return;
	case ROLE_ANON:
		snprintf(buf, len, "anonymous (%" PRIu64 " mappings)", f->vmas);
		return;
	default:
		snprintf(buf, len, "%s, %" PRIu64 " mappings", role_name(k), f->vmas);
		return;
	}
}

/* A note under folded thread stacks: the names of their threads (task/TID/comm),
 * each once, as many as fit on the line. */
static void thread_names(const struct ctx *c, struct diagram *d, const struct item *items,
			 size_t n, char *buf, size_t len)
{
	size_t w = (size_t)(c->width - c->aw - 6), used = 0, more = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (items[i].kind != ROLE_THREAD_STACK || !items[i].tid)
			continue;
		const char *comm = layout_thread_comm(c->L, items[i].tid);
		char name[64];
		if (!comm[0])
			continue;
		name_printable(name, sizeof(name), comm, strlen(comm), 16, c->o->ascii);
		/* each name once */
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = items[j].kind == ROLE_THREAD_STACK && items[j].tid &&
			       strcmp(layout_thread_comm(c->L, items[j].tid), comm) == 0;
		if (seen)
			continue;
		if (used + strlen(name) + 2 + 6 > w || used + strlen(name) + 3 > len) {
			more++;
			continue;
		}
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 used ? ", " : "threads: ", name);
	}
	if (more && used + 6 < len)
		snprintf(buf + used, len - used, ", %s", c->o->ascii ? "..." : "\xe2\x80\xa6");
	if (used)
		add_note(d, buf);
}

/* A NOTE row under an item that holds hugetlbfs pages: its rss leaves them out. */
static void hugetlb_note(const struct ctx *c, struct diagram *d, const struct figures *f)
{
	char s[32], note[96];

	if (!f->hugetlb)
		return;
	snprintf(note, sizeof(note), "%s in hugetlb pages, not in rss",
		 text_figure(c, s, sizeof(s), f->hugetlb));
	add_note(d, note);
}

/* The rows of the runs inside mmap band b.  Returns 0, or -1 with errno ENOMEM. */
static int mmap_items(const struct ctx *c, struct diagram *d, const struct band *b)
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
					     .object = v->object, .tid = v->tid, .alo = UINT64_MAX };
			/* the part's addresses and region: the bss first */
			uint64_t b0 = v->start + (uint64_t)v->bss_pages * L->page_size;
			uint64_t plo = split && k == 1 ? b0 : v->start, pend = split && k == 0 ? b0 : v->end;
			enum region preg = split && k == 0 ? REGION_BSS : v->region;
			if (split && k == 0)
				want = (struct item){ .first = i, .last = i, .kind = -1,
						      .object = v->bss_object, .alo = UINT64_MAX };
			if (n && ((split && k == 0) ? items[n - 1].kind == -1 &&
							      items[n - 1].object == want.object
						    : same_item(L, &items[n - 1], v))) {
				items[n - 1].first = i;
				f ? item_add(&items[n - 1], f, plo, pend, preg)
				  : item_add_vma(&items[n - 1], v);
				continue;
			}
			/* a guard page right below a thread stack belongs to it */
			if (n && !split && v->role == ROLE_GUARD &&
			    items[n - 1].kind == ROLE_THREAD_STACK &&
			    v->end == L->vmas.v[items[n - 1].first].start) {
				items[n - 1].first = i;
				item_add_vma(&items[n - 1], v);
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
			f ? item_add(&items[n], f, plo, pend, preg) : item_add_vma(&items[n], v);
			n++;
		}
	}

	/* too many: every ELF object keeps its line, and the other runs fold by kind
	 * (thread stacks, anonymous memory, reservations, arenas, JIT code, shared
	 * memory, mapped files, ...): one line a kind, where its highest run is */
	size_t cnt[ROLE_COUNT] = { 0 }, at[ROLE_COUNT];
	bool one_name[ROLE_COUNT];	/* files, shm: every folded run maps the same name */
	struct item group[ROLE_COUNT];
	int32_t tid_lo[ROLE_COUNT], tid_hi[ROLE_COUNT];
	bool *folded = calloc(n ? n : 1, sizeof(*folded));
	if (!folded) {
		free(items);
		return -1;
	}
	if (n > MAX_ITEMS)
		for (size_t i = 0; i < n; i++)
			if (items[i].kind >= 0 && items[i].kind < ROLE_COUNT)
				cnt[items[i].kind]++;
	for (size_t k = 0; k < ROLE_COUNT; k++)
		at[k] = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		int k = items[i].kind;
		if (k < 0 || k >= ROLE_COUNT || cnt[k] < 2)
			continue;
		if (at[k] == SIZE_MAX) {
			/* the kind's highest run: its line goes here */
			at[k] = i;
			group[k] = (struct item){ .kind = k, .first = items[i].first,
						  .last = items[i].last, .alo = UINT64_MAX };
			tid_lo[k] = tid_hi[k] = items[i].tid;
			one_name[k] = true;
		} else if (L->vmas.v[items[i].first].name != L->vmas.v[group[k].first].name) {
			one_name[k] = false;
		}
		item_merge(&group[k], &items[i]);
		if (items[i].tid && (!tid_lo[k] || items[i].tid < tid_lo[k]))
			tid_lo[k] = items[i].tid;
		if (items[i].tid > tid_hi[k])
			tid_hi[k] = items[i].tid;
		folded[i] = true;
	}
	for (size_t i = 0; i < n; i++) {
		char label[512];
		int k = items[i].kind;
		if (!folded[i]) {
			item_label(c, &items[i], label, sizeof(label));
			add_item_row(d, &items[i], label);
			hugetlb_note(c, d, &items[i].fig);
		} else if (at[k] == i && (k == ROLE_FILE || k == ROLE_SHM) && one_name[k]) {
			/* one file in several places: its name, with the count */
			item_label(c, &group[k], label, sizeof(label));
			add_item_row(d, &group[k], label);
			hugetlb_note(c, d, &group[k].fig);
		} else if (at[k] == i) {
			fold_label(k, cnt[k], &group[k].fig, tid_lo[k], tid_hi[k], label,
				   sizeof(label));
			add_item_row(d, &group[k], label);
			hugetlb_note(c, d, &group[k].fig);
			if (k == ROLE_THREAD_STACK)
				thread_names(c, d, items, n, label, sizeof(label));
		}
	}
	free(folded);
	free(items);
	return 0;
}

static const char *band_title(const struct ctx *c, const struct band *b, char *buf, size_t len)
{
	const struct layout *L = c->L;
	const char *exe = "";
	bool deleted = false;

	if (L->exe_object >= 0) {
		exe = path_base(layout_object_path(L, &L->objects[L->exe_object]));
		deleted = L->objects[L->exe_object].deleted;
	}
	char name[64];
	name_printable(name, sizeof(name), exe, strlen(exe), 30, c->o->ascii);
	if (deleted)	/* 30 columns at most: it fits */
		strcat(name, " (deleted)");
	switch (b->kind) {
	case BAND_CODE:
		snprintf(buf, len, "code  %s", name);
		break;
	case BAND_RODATA:
		snprintf(buf, len, "rodata %s", name);
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
		if (b->islands) {
			char w[48];
			snprintf(buf, len, "mmap area, %zu islands over %s", b->islands,
				 size_words(w, sizeof(w),
					    L->vmas.v[b->last].end - L->vmas.v[b->first].start));
		} else {
			snprintf(buf, len, "mmap area");
		}
		break;
	}
	return buf;
}

/* "rodata 16K  relro 4K  data 4K": the roles inside a band of the executable. */
static void role_note(const struct ctx *c, struct diagram *d, const struct band *b)
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
	add_note(d, line);
}

struct marker {
	const char *name;
	struct opt_addr a;
	bool done;
};

/* NOTE rows of the mm_struct boundaries that fall in [lo, hi]. */
static void markers_in(const struct ctx *c, struct diagram *d, struct marker *m, size_t nm,
		       uint64_t lo, uint64_t hi)
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
		if (n && n + strlen(piece) + 3 > (size_t)(c->width - c->aw - 6)) {
			add_note(d, line);
			n = 0;
			line[0] = '\0';
		}
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s", n ? "   " : "", piece);
	}
	if (n)
		add_note(d, line);
}

/* A MARK row: a boundary at addr that is no VMA. */
static struct diagram_row *add_mark(struct diagram *d, uint64_t addr, bool top)
{
	struct diagram_row *r = add_row(d, DROW_MARK);

	r->addr = addr;
	r->top = top;
	return r;
}

/* The top of a 64-bit x86-64 process's picture: the kernel's half as the kernel
 * documents it (model/kspace.h; never measured: /proc shows user space only, and
 * KASLR moves the bases), with the [vsyscall] VMA (gate) in it when mapped, then the
 * non-canonical hole and the end of the lower half down to task_size.  Sets
 * *prev_low to task_size. */
static void kernel_half(const struct ctx *c, struct diagram *d, const struct band *gate,
			uint64_t *prev_low)
{
	const struct layout *L = c->L;
	const struct kspace_layout *k = kspace_x86_64(L->paging_levels == 5 ? 5 : 4);
	char line[160], w[48], a[24];
	struct diagram_row *r;

	/* the top: the last byte of the address space (its end, 2^64, has no
	 * 64-bit address) */
	r = add_row(d, DROW_HEAD);
	r->addr = UINT64_MAX;
	r->has_range = true;
	r->lo = k->kernel_start;
	r->last = UINT64_MAX;
	r->color = DCOLOR_KERNEL;
	snprintf(r->label, sizeof(d->spare.label), "kernel space: the documented layout");
	if (L->paging_levels)
		snprintf(line, sizeof(line), "%s; * moved by KASLR", k->paging);
	else
		snprintf(line, sizeof(line), "paging unknown: the 4-level layout; * moved by KASLR");
	add_note(d, line);
	for (size_t i = 0; i < k->n; i++) {
		const struct kspace_region *kr = &k->regions[i];
		if (!kr->main)
			continue;
		snprintf(a, sizeof(a), "0x%" PRIx64, kr->start);
		if (gate && kr->start == c->L->vmas.v[gate->first].start) {
			struct item it = { .alo = UINT64_MAX };
			for (size_t g = gate->first; g <= gate->last; g++)
				item_add_vma(&it, &L->vmas.v[g]);
			snprintf(line, sizeof(line), "%s %s", a, kr->name);
			add_item_row(d, &it, line);
			continue;
		}
		r = add_row(d, DROW_KREGION);
		r->has_range = true;
		r->lo = kr->start;
		r->last = kr->last;
		r->color = DCOLOR_KERNEL;
		r->randomized = kr->randomized;
		gap_size(c, r->size_text, sizeof(r->size_text), kr->last - kr->start + 1);
		snprintf(r->name, sizeof(r->name), "%s", kr->name);
		snprintf(r->label, sizeof(d->spare.label), "%s %-16s %9s%s", a, kr->name, r->size_text,
			 kr->randomized ? " *" : "");
	}
	snprintf(add_mark(d, k->kernel_start, false)->label, sizeof(d->spare.label),
		 "the kernel's half starts (%s)", gap_size(c, w, sizeof(w), -k->kernel_start));
	/* the hole, and the page between task_size and the end of the lower half
	 * (kept unmapped), in one gap */
	snprintf(line, sizeof(line), " non-canonical, from 0x%" PRIx64 " up", k->user_end);
	add_gap(c, d, L->task_size.v, k->kernel_start, line);
	snprintf(add_mark(d, L->task_size.v, false)->label, sizeof(d->spare.label),
		 "task_size (%s of user space)", gap_size(c, w, sizeof(w), L->task_size.v));
	*prev_low = L->task_size.v;
}

/* Whether a band holds a VMA of an ELF object. */
static bool band_has_object(const struct layout *L, const struct band *b)
{
	for (size_t i = b->first; i <= b->last; i++)
		if (L->vmas.v[i].object >= 0 || L->vmas.v[i].bss_pages)
			return true;
	return false;
}

/* The region a band is coloured as. */
static int band_color(enum band_kind k)
{
	switch (k) {
	case BAND_CODE:
		return REGION_CODE;
	case BAND_RODATA:
	case BAND_DATA:
		return REGION_DATA;
	case BAND_BSS:
		return REGION_BSS;
	case BAND_HEAP:
		return REGION_HEAP;
	case BAND_STACK:
		return REGION_STACK;
	case BAND_GATE:
		return REGION_SPECIAL;
	default:
		return REGION_MMAP;
	}
}

void diagram_free(struct diagram *d)
{
	free(d->rows);
	d->rows = NULL;
	d->n = d->cap = 0;
}

int diagram_rows(const struct ctx *c, struct diagram *d)
{
	const struct layout *L = c->L;
	const struct vma_list *l = &L->vmas;
	struct band *bands;
	size_t nb = 0;
	struct diagram_row *r;
	char w[48];

	memset(d, 0, sizeof(*d));
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

	/* scattered islands (V8's heap pages, spread over terabytes): runs of mmap
	 * bands that hold no ELF object fold into one band, their count kept */
	size_t nb2 = 0;
	for (size_t bi = 0; bi < nb; bi++) {
		bool plain = bands[bi].kind == BAND_MMAP && !band_has_object(L, &bands[bi]);
		if (plain && nb2 && bands[nb2 - 1].kind == BAND_MMAP &&
		    !band_has_object(L, &bands[nb2 - 1])) {
			struct band *u = &bands[nb2 - 1];
			u->last = bands[bi].last;
			figures_add(&u->fig, &bands[bi].fig);
			u->islands = (u->islands ? u->islands : 1) + 1;
			continue;
		}
		bands[nb2++] = bands[bi];
	}
	nb = nb2;

	struct marker m[] = {
		{ "start_code", L->mm.start_code, false }, { "end_code", L->mm.end_code, false },
		{ "start_data", L->mm.start_data, false }, { "end_data", L->mm.end_data, false },
		{ "start_brk", L->mm.start_brk, false }, { "brk", L->mm.brk, false },
		{ "start_stack", L->mm.start_stack, false }, { "arg_start", L->mm.arg_start, false },
		{ "env_end", L->mm.env_end, false },
	};
	size_t nm = sizeof(m) / sizeof(m[0]);

	bool first = true;
	uint64_t prev_low = 0;	/* low address of the band above */
	bool ts_done = !L->task_size.known;
	/* x86-64, 64-bit: the kernel's half on top, with [vsyscall] in it */
	bool khalf = L->machine == EM_X86_64 && L->elf_class == 64 && L->task_size.known &&
		     L->task_size.v < UINT64_C(0x0100000000000000);
	if (khalf) {
		const struct band *gate = nb && bands[nb - 1].kind == BAND_GATE ? &bands[nb - 1]
										 : NULL;
		kernel_half(c, d, gate, &prev_low);
		if (gate)
			nb--;
		first = false;
		ts_done = true;
	} else if (L->elf_class == 32 && (L->machine == EM_386 || L->machine == EM_X86_64) &&
		   L->task_size.known && L->task_size.v < UINT64_C(0x100000000)) {
		/* a 32-bit x86 process: its 4 GiB, and where the kernel is for it */
		r = add_row(d, DROW_HEAD);
		r->addr = UINT64_C(0xffffffff);
		snprintf(r->label, sizeof(d->spare.label), "top of the 32-bit address space");
		add_gap(c, d, L->task_size.v, UINT64_C(0x100000000),
			L->task_size.v == UINT64_C(0xffffe000)
				? " not for user space; the kernel (64-bit) is outside this view"
				: " above the 3 GiB limit (a 32-bit kernel's 1 GiB)");
		snprintf(add_mark(d, L->task_size.v, false)->label, sizeof(d->spare.label),
			 "task_size (%s of user space)", gap_size(c, w, sizeof(w), L->task_size.v));
		prev_low = L->task_size.v;
		first = false;
		ts_done = true;
	}
	for (size_t bi = nb; bi-- > 0;) {
		const struct band *b = &bands[bi];
		uint64_t hi = l->v[b->last].end, lo = l->v[b->first].start;

		if (!ts_done && hi <= L->task_size.v) {
			if (!first)
				add_gap(c, d, L->task_size.v, prev_low, " (kernel space)");
			snprintf(add_mark(d, L->task_size.v, first)->label, sizeof(d->spare.label),
				 "task_size (%s of user space)",
				 gap_size(c, w, sizeof(w), L->task_size.v));
			prev_low = L->task_size.v;
			first = false;
			ts_done = true;
		}
		if (!first && prev_low > hi) {
			add_gap(c, d, hi, prev_low, " unmapped");
			/* boundaries that fall in the gap */
			markers_in(c, d, m, nm, hi + 1, prev_low - 1);
		}
		r = add_row(d, DROW_BAND);
		r->addr = hi;
		r->top = first;
		r->has_range = true;
		r->lo = lo;
		r->last = hi - 1;
		r->has_fig = true;
		r->fig = b->fig;
		r->color = band_color(b->kind);
		band_title(c, b, r->label, sizeof(r->label));
		first = false;
		if (b->kind == BAND_MMAP && mmap_items(c, d, b) < 0) {
			free(bands);
			diagram_free(d);
			return -1;
		} else if (b->kind == BAND_DATA)
			role_note(c, d, b);
		markers_in(c, d, m, nm, lo, hi);
		prev_low = lo;
	}
	if (!first)
		add_row(d, DROW_END)->addr = prev_low;
	free(bands);
	if (d->oom) {
		diagram_free(d);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* The line of row r. */
static void print_row(const struct ctx *c, const struct diagram_row *r)
{
	char a[24];

	switch (r->kind) {
	case DROW_HEAD:
		snprintf(a, sizeof(a), "0x%" PRIx64, r->addr);
		fprintf(c->out, "%*s %s %s%s%s\n", c->aw, a, c->top, c->c_bold, r->label, c->c_off);
		break;
	case DROW_BAND:
	case DROW_MARK:
		band_line(c, r->addr, r->top ? c->top : c->mid, r->label,
			  r->kind == DROW_BAND ? &r->fig : NULL);
		break;
	case DROW_ITEM:
		item_line(c, r->label, &r->fig);
		break;
	case DROW_KREGION:
	case DROW_NOTE:
		note_line(c, r->label);
		break;
	case DROW_GAP:
		gap_line(c, r->size_text, r->label);
		break;
	case DROW_END:
		fmt_addr(c, a, sizeof(a), r->addr);
		fprintf(c->out, "%s %s\n", a, c->end);
		break;
	}
}

int text_diagram(struct ctx *c)
{
	struct diagram d;

	if (diagram_rows(c, &d) < 0)
		return -1;
	for (size_t i = 0; i < d.n; i++)
		print_row(c, &d.rows[i]);
	diagram_free(&d);
	return 0;
}

/* machine_view.c - the tables and JSON of --all (see machine_view.h) */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <libsmartcols.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "view/machine_view.h"

/* What a column shows of a row. */
enum field {
	F_PID, F_USER, F_UID, F_COMM, F_OBJECT, F_KIND, F_DEV, F_INODE, F_PROCS, F_VMAS,
	F_RSS, F_PSS, F_PRIVATE, F_SWAP, F_SWAPPSS, F_HUGETLB,
	F_REGION,		/* + enum region */
	F_PART = F_REGION + REGION_COUNT,	/* + MPART_* */
	F_COUNT = F_PART + MPART_COUNT
};

struct mcol {
	struct column c;
	enum field f;
	bool sum;	/* the totals row sums it */
};

#define SIZE_COL(name, help, f) { { name, help, COLT_SIZE, 0, SCOLS_FL_RIGHT }, f, true }
#define NUM_COL(name, help, f, sum) { { name, help, COLT_NUMBER, 0, SCOLS_FL_RIGHT }, f, sum }
#define STR_COL(name, help, f, w, fl) { { name, help, COLT_STRING, w, fl }, f, false }
#define REGION_COLS \
	SIZE_COL("CODE", "PSS of region code: text of the executable and libraries, JIT code", F_REGION + REGION_CODE), \
	SIZE_COL("DATA", "PSS of region data: rodata, relro and data of the ELF objects", F_REGION + REGION_DATA), \
	SIZE_COL("BSS", "PSS of region bss", F_REGION + REGION_BSS), \
	SIZE_COL("HEAP", "PSS of region heap: the brk heap and malloc arenas", F_REGION + REGION_HEAP), \
	SIZE_COL("MMAP", "PSS of region mmap: anonymous memory, shared memory, mapped files", F_REGION + REGION_MMAP), \
	SIZE_COL("STACK", "PSS of region stack: the main stack and thread stacks", F_REGION + REGION_STACK), \
	SIZE_COL("SPECIAL", "PSS of region special: vdso, vvar, vsyscall", F_REGION + REGION_SPECIAL)
#define HUGETLB_COL \
	SIZE_COL("HUGETLB", "hugetlbfs pages, which RSS leaves out (Shared_Hugetlb + " \
		 "Private_Hugetlb)", F_HUGETLB)
#define FIG_COLS \
	SIZE_COL("RSS", "resident set size (Rss)", F_RSS), \
	SIZE_COL("PSS", "proportional set size (Pss)", F_PSS), \
	SIZE_COL("PRIVATE", "resident pages mapped by one process only, USS (Private_Clean + Private_Dirty)", F_PRIVATE), \
	SIZE_COL("SWAP", "swapped out (Swap)", F_SWAP)

static const struct mcol proc_cols[] = {
	NUM_COL("PID", "process ID", F_PID, false),
	STR_COL("USER", "user name of the effective uid (the uid when it has none)", F_USER, 0, 0),
	NUM_COL("UID", "effective user ID", F_UID, false),
	STR_COL("COMM", "command name (/proc/PID/comm)", F_COMM, 0, SCOLS_FL_TRUNC),
	NUM_COL("VMAS", "number of VMAs", F_VMAS, true),
	FIG_COLS,
	SIZE_COL("SWAPPSS", "proportional share of swap (SwapPss)", F_SWAPPSS),
	REGION_COLS,
	HUGETLB_COL,
};
static const int proc_default[] = { 0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };

static const struct mcol obj_cols[] = {
	STR_COL("OBJECT", "path of the ELF object or mapped file", F_OBJECT, 0.3, SCOLS_FL_TRUNC),
	NUM_COL("PROCS", "number of processes that map it", F_PROCS, false),
	NUM_COL("VMAS", "number of VMAs (an anonymous bss counts to its object)", F_VMAS, true),
	FIG_COLS,
	SIZE_COL("TEXT", "PSS of its executable segments", F_PART + MPART_TEXT),
	SIZE_COL("RODATA", "PSS of its read-only data (and ELF headers)", F_PART + MPART_RODATA),
	SIZE_COL("DATA", "PSS of its writable data, PT_GNU_RELRO included", F_PART + MPART_DATA),
	SIZE_COL("BSS", "PSS of its bss", F_PART + MPART_BSS),
	STR_COL("KIND", "elf (an ELF object) or file (another mapped file)", F_KIND, 0, 0),
	STR_COL("DEV", "device of the file (major:minor, hex)", F_DEV, 0, 0),
	NUM_COL("INODE", "inode of the file", F_INODE, false),
};
static const int obj_default[] = { 1, 3, 4, 5, 6, 7, 8, 9, 10, 0 };

static const struct mcol user_cols[] = {
	STR_COL("USER", "user name (the uid when it has none)", F_USER, 0, 0),
	NUM_COL("UID", "effective user ID", F_UID, false),
	NUM_COL("PROCS", "number of its processes read", F_PROCS, true),
	NUM_COL("VMAS", "number of VMAs", F_VMAS, true),
	FIG_COLS,
	SIZE_COL("SWAPPSS", "proportional share of swap (SwapPss)", F_SWAPPSS),
	REGION_COLS,
	HUGETLB_COL,
};
static const int user_default[] = { 0, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct mcol *cols_of(enum machine_view v, size_t *n)
{
	switch (v) {
	case MVIEW_OBJECTS:
		*n = N(obj_cols);
		return obj_cols;
	case MVIEW_USERS:
		*n = N(user_cols);
		return user_cols;
	default:
		*n = N(proc_cols);
		return proc_cols;
	}
}

size_t machine_columns_count(enum machine_view v)
{
	size_t n;

	cols_of(v, &n);
	return n;
}

const struct column *machine_column(enum machine_view v, size_t i)
{
	size_t n;

	return &cols_of(v, &n)[i].c;
}

size_t machine_columns_default(enum machine_view v, int *ids, size_t cap)
{
	const int *d = v == MVIEW_OBJECTS ? obj_default : v == MVIEW_USERS ? user_default
									  : proc_default;
	size_t n = v == MVIEW_OBJECTS ? N(obj_default) : v == MVIEW_USERS ? N(user_default)
									    : N(proc_default);

	if (n > cap)
		n = cap;
	memcpy(ids, d, n * sizeof(*ids));
	return n;
}

int machine_column_lookup(enum machine_view v, const char *name, size_t len)
{
	size_t n;
	const struct mcol *c = cols_of(v, &n);

	for (size_t i = 0; i < n; i++)
		if (strlen(c[i].c.name) == len && strncasecmp(c[i].c.name, name, len) == 0)
			return (int)i;
	return -1;
}

int machine_columns_parse(enum machine_view v, const char *list, int *ids, size_t *n,
			  size_t cap, char *err, size_t errlen)
{
	size_t k = 0;

	if (*list == '+') {
		k = *n;
		list++;
	}
	for (const char *p = list;;) {
		size_t len = strcspn(p, ",");
		int id = machine_column_lookup(v, p, len);
		if (id < 0) {
			snprintf(err, errlen, "unknown column '%.*s' (see --list-columns)",
				 (int)(len > 64 ? 64 : len), p);
			return -1;
		}
		if (k >= cap) {
			snprintf(err, errlen, "too many columns");
			return -1;
		}
		ids[k++] = id;
		if (!p[len])
			break;
		p += len + 1;
	}
	*n = k;
	return 0;
}

/* ------------------------------------------------------------------ rows */

/* One row of any view, or the totals. */
struct mrow {
	const char *name;	/* comm or object path */
	const char *user;	/* NULL: none */
	uint64_t pid, uid, procs, inode;
	uint32_t dev_major, dev_minor;
	bool elf, is_total;
	struct machine_figs f;
	uint64_t region[REGION_COUNT], part[MPART_COUNT];
};

static void row_of(const struct machine_report *r, size_t i, struct mrow *m)
{
	memset(m, 0, sizeof(*m));
	if (r->view == MVIEW_OBJECTS) {
		const struct machine_object *o = &r->objs[i];
		m->name = o->name;
		m->procs = o->procs;
		m->inode = o->inode;
		m->dev_major = o->dev_major;
		m->dev_minor = o->dev_minor;
		m->elf = o->elf;
		m->f = o->f;
		memcpy(m->part, o->part_pss, sizeof(m->part));
	} else if (r->view == MVIEW_USERS) {
		const struct machine_user *u = &r->users[i];
		m->user = u->user;
		m->uid = u->uid;
		m->procs = u->procs;
		m->f = u->f;
		for (int g = 0; g < REGION_COUNT; g++)
			m->region[g] = u->region[g].pss;
	} else {
		const struct machine_proc *p = &r->procs[i];
		m->name = p->comm;
		m->user = p->user;
		m->pid = (uint64_t)p->pid;
		m->uid = p->uid;
		m->procs = 1;
		m->f = p->f;
		for (int g = 0; g < REGION_COUNT; g++)
			m->region[g] = p->region[g].pss;
	}
}

static void row_total(const struct machine_report *r, struct mrow *t)
{
	struct mrow m;

	memset(t, 0, sizeof(*t));
	t->is_total = true;
	for (size_t k = 0; k < r->n_rows; k++) {
		row_of(r, r->order[k], &m);
		machine_figs_add(&t->f, &m.f);
		t->procs += m.procs;
		for (int i = 0; i < REGION_COUNT; i++)
			t->region[i] += m.region[i];
		for (int i = 0; i < MPART_COUNT; i++)
			t->part[i] += m.part[i];
	}
}

/* The cell of field f of row m; text into buf (len bytes). */
static void cell_of(enum field f, const struct mrow *m, char *buf, size_t len, struct cell *c)
{
	*c = (struct cell){ .kind = CELL_SIZE };
	switch (f) {
	case F_PID:
		*c = (struct cell){ .kind = CELL_NUMBER, .x = m->pid };
		break;
	case F_UID:
		*c = (struct cell){ .kind = CELL_NUMBER, .x = m->uid };
		break;
	case F_PROCS:
		*c = (struct cell){ .kind = CELL_NUMBER, .x = m->procs };
		break;
	case F_VMAS:
		*c = (struct cell){ .kind = CELL_NUMBER, .x = m->f.vmas };
		break;
	case F_INODE:
		*c = (struct cell){ .kind = CELL_NUMBER, .x = m->inode };
		break;
	case F_USER:
		if (m->user) {
			*c = (struct cell){ .kind = CELL_NAME, .s = m->user, .sl = strlen(m->user) };
		} else {
			snprintf(buf, len, "%" PRIu64, m->uid);
			*c = (struct cell){ .kind = CELL_TEXT, .s = buf, .sl = strlen(buf) };
		}
		break;
	case F_COMM:
	case F_OBJECT:
		*c = (struct cell){ .kind = CELL_NAME, .s = m->name, .sl = strlen(m->name) };
		break;
	case F_KIND:
		*c = (struct cell){ .kind = CELL_TEXT, .s = m->elf ? "elf" : "file", .sl = m->elf ? 3 : 4 };
		break;
	case F_DEV:
		snprintf(buf, len, "%02x:%02x", m->dev_major, m->dev_minor);
		*c = (struct cell){ .kind = CELL_TEXT, .s = buf, .sl = strlen(buf) };
		break;
	case F_RSS:
		c->x = m->f.rss;
		break;
	case F_PSS:
		c->x = m->f.pss;
		break;
	case F_PRIVATE:
		c->x = m->f.priv;
		break;
	case F_SWAP:
		c->x = m->f.swap;
		break;
	case F_SWAPPSS:
		c->x = m->f.swap_pss;
		break;
	case F_HUGETLB:
		c->x = m->f.hugetlb;
		break;
	default:
		c->x = f >= F_PART ? m->part[f - F_PART] : m->region[f - F_REGION];
		break;
	}
}

/* ------------------------------------------------------------------ sorting */

struct sort_ctx {
	const struct machine_report *r;
	enum field f;
	bool numeric, desc;
	char x[64], y[64];
};

/* The natural order of rows: PID, file, uid. */
static int cmp_natural(const struct mrow *a, const struct mrow *b)
{
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	if (a->uid != b->uid)
		return a->uid < b->uid ? -1 : 1;
	if (a->dev_major != b->dev_major)
		return a->dev_major < b->dev_major ? -1 : 1;
	if (a->dev_minor != b->dev_minor)
		return a->dev_minor < b->dev_minor ? -1 : 1;
	return (a->inode > b->inode) - (a->inode < b->inode);
}

static int cmp_rows(const void *pa, const void *pb, void *arg)
{
	struct sort_ctx *s = arg;
	struct mrow a, b;
	struct cell ca, cb;
	int r;

	row_of(s->r, *(const size_t *)pa, &a);
	row_of(s->r, *(const size_t *)pb, &b);
	cell_of(s->f, &a, s->x, sizeof(s->x), &ca);
	cell_of(s->f, &b, s->y, sizeof(s->y), &cb);
	if (s->numeric) {
		r = (ca.x > cb.x) - (ca.x < cb.x);
	} else {
		size_t n = ca.sl < cb.sl ? ca.sl : cb.sl;
		r = memcmp(ca.s, cb.s, n);
		if (!r)
			r = (ca.sl > cb.sl) - (ca.sl < cb.sl);
	}
	if (s->desc)
		r = -r;
	return r ? r : cmp_natural(&a, &b);
}

int machine_sort(struct machine_report *r, int col, bool desc)
{
	size_t n = r->view == MVIEW_OBJECTS ? r->n_objs : r->view == MVIEW_USERS ? r->n_users
										   : r->n_procs;
	size_t nc;
	const struct mcol *cols = cols_of(r->view, &nc);
	struct sort_ctx s = { .r = r, .f = F_PSS, .numeric = true, .desc = desc };

	free(r->order);
	r->n_rows = 0;
	r->order = malloc((n ? n : 1) * sizeof(*r->order));
	if (!r->order)
		return -1;
	for (size_t i = 0; i < n; i++)
		r->order[i] = i;
	r->n_rows = n;
	if (col >= 0 && (size_t)col < nc) {
		s.f = cols[col].f;
		s.numeric = cols[col].c.type != COLT_STRING;
	}
	qsort_r(r->order, n, sizeof(*r->order), cmp_rows, &s);
	return 0;
}

/* ------------------------------------------------------------------ table */

int render_machine_table(FILE *out, const struct machine_report *r, const struct table_opts *t)
{
	struct libscols_table *tb = scols_new_table();
	size_t nc, cap = 4096;
	const struct mcol *cols = cols_of(r->view, &nc);
	char *buf = malloc(cap), *text = malloc(cap);
	struct mrow m;
	int rc = -1;

	if (!tb || !buf || !text)
		goto out;
	scols_table_set_stream(tb, out);
	scols_table_enable_raw(tb, t->raw);
	scols_table_enable_export(tb, t->pairs);
	scols_table_enable_noheadings(tb, t->noheadings);
	if (!isatty(fileno(out)))
		scols_table_set_termforce(tb, SCOLS_TERMFORCE_NEVER);
	for (size_t k = 0; k < t->ncols; k++) {
		const struct column *c = &cols[t->cols[k]].c;
		if (!scols_table_new_column(tb, c->name, c->whint, c->flags))
			goto out;
	}
	for (size_t row = 0; row <= r->n_rows; row++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		bool named = false;
		if (!ln)
			goto out;
		if (row < r->n_rows)
			row_of(r, r->order[row], &m);
		else
			row_total(r, &m);
		for (size_t k = 0; k < t->ncols; k++) {
			const struct mcol *c = &cols[t->cols[k]];
			struct cell ce;
			if (m.is_total && !c->sum) {
				/* "total" in the first column that is not summed */
				if (scols_line_set_data(ln, k, named ? "" : "total") < 0)
					goto out;
				named = true;
				continue;
			}
			cell_of(c->f, &m, buf, cap, &ce);
			cell_format(&ce, t->bytes, text, cap);
			if (scols_line_set_data(ln, k, text) < 0)
				goto out;
		}
	}
	rc = scols_print_table(tb) == 0 ? 0 : -1;
out:
	scols_unref_table(tb);
	free(buf);
	free(text);
	if (rc < 0)
		errno = ENOMEM;
	return rc;
}

int render_machine_columns_list(FILE *out, enum machine_view v, const struct table_opts *t,
				bool json)
{
	size_t n;
	const struct mcol *cols = cols_of(v, &n);
	struct libscols_table *tb;
	int rc = -1;

	if (json) {
		struct jsonwrt w;
		jsonwrt_init(&w, out, true);
		jsonwrt_object_open(&w, NULL);
		jsonwrt_array_open(&w, "columns");
		for (size_t i = 0; i < n; i++) {
			jsonwrt_object_open(&w, NULL);
			jsonwrt_str(&w, "name", cols[i].c.name);
			jsonwrt_str(&w, "description", cols[i].c.help);
			jsonwrt_str(&w, "type", cols[i].c.type == COLT_SIZE ? "size"
						: cols[i].c.type == COLT_NUMBER ? "number" : "string");
			jsonwrt_object_close(&w);
		}
		jsonwrt_array_close(&w);
		jsonwrt_object_close(&w);
		jsonwrt_finish(&w);
		return 0;
	}
	tb = scols_new_table();
	if (!tb)
		goto out;
	scols_table_set_stream(tb, out);
	scols_table_enable_raw(tb, t->raw);
	scols_table_enable_export(tb, t->pairs);
	scols_table_enable_noheadings(tb, t->noheadings);
	if (!scols_table_new_column(tb, "NAME", 0, 0) ||
	    !scols_table_new_column(tb, "DESCRIPTION", 0, 0))
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		if (!ln || scols_line_set_data(ln, 0, machine_column(v, i)->name) < 0 ||
		    scols_line_set_data(ln, 1, cols[i].c.help) < 0)
			goto out;
	}
	rc = scols_print_table(tb) == 0 ? 0 : -1;
out:
	if (rc < 0)
		errno = ENOMEM;
	scols_unref_table(tb);
	return rc;
}

/* ------------------------------------------------------------------ JSON */

static void json_regions(struct jsonwrt *w, const uint64_t *region)
{
	jsonwrt_object_open(w, "regions");
	for (int i = 0; i < REGION_COUNT; i++)
		jsonwrt_u64(w, region_name((enum region)i), region[i]);
	jsonwrt_object_close(w);
}

/* The figures of a row; of a process or a user (procs), also SwapPss and hugetlb. */
static void json_figs(struct jsonwrt *w, const struct machine_figs *f, bool procs)
{
	jsonwrt_u64(w, "vmas", f->vmas);
	jsonwrt_u64(w, "rss", f->rss);
	jsonwrt_u64(w, "pss", f->pss);
	jsonwrt_u64(w, "private", f->priv);
	jsonwrt_u64(w, "swap", f->swap);
	if (procs) {
		jsonwrt_u64(w, "swap_pss", f->swap_pss);
		jsonwrt_u64(w, "hugetlb", f->hugetlb);
	}
}

static void json_parts(struct jsonwrt *w, const uint64_t *part)
{
	static const char *const names[MPART_COUNT] = { "text", "rodata", "data", "bss" };

	jsonwrt_object_open(w, "parts");
	for (int i = 0; i < MPART_COUNT; i++)
		jsonwrt_u64(w, names[i], part[i]);
	jsonwrt_object_close(w);
}

static void json_user(struct jsonwrt *w, const char *user)
{
	if (user)
		jsonwrt_str(w, "user", user);
	else
		jsonwrt_null(w, "user");
}

/* Row m of the view v as one JSON object. */
static void json_row(struct jsonwrt *w, enum machine_view v, const struct mrow *m)
{
	char dev[32];

	jsonwrt_object_open(w, NULL);
	if (v == MVIEW_OBJECTS) {
		jsonwrt_str(w, "object", m->name);
		jsonwrt_str(w, "kind", m->elf ? "elf" : "file");
		snprintf(dev, sizeof(dev), "%x:%x", m->dev_major, m->dev_minor);
		jsonwrt_str(w, "dev", dev);
		jsonwrt_u64(w, "inode", m->inode);
		jsonwrt_u64(w, "processes", m->procs);
		json_figs(w, &m->f, false);
		json_parts(w, m->part);
	} else {
		if (v == MVIEW_PROCESSES) {
			jsonwrt_u64(w, "pid", m->pid);
			jsonwrt_str(w, "comm", m->name);
		} else {
			jsonwrt_u64(w, "processes", m->procs);
		}
		jsonwrt_u64(w, "uid", m->uid);
		json_user(w, m->user);
		json_figs(w, &m->f, true);
		json_regions(w, m->region);
	}
	jsonwrt_object_close(w);
}

void render_machine_json(struct jsonwrt *w, const struct machine_report *r, bool lines)
{
	static const char *const rows[] = { "processes", "objects", "users" };
	struct mrow m;

	if (lines) {
		for (size_t k = 0; k < r->n_rows; k++) {
			row_of(r, r->order[k], &m);
			jsonwrt_init(w, w->out, false);	/* a document a line */
			json_row(w, r->view, &m);
			jsonwrt_finish(w);
		}
		return;
	}
	jsonwrt_object_open(w, NULL);
	jsonwrt_u64(w, "schema", 1);
	jsonwrt_str(w, "view", rows[r->view]);
	jsonwrt_array_open(w, rows[r->view]);
	for (size_t k = 0; k < r->n_rows; k++) {
		row_of(r, r->order[k], &m);
		json_row(w, r->view, &m);
	}
	jsonwrt_array_close(w);
	row_total(r, &m);
	jsonwrt_object_open(w, "totals");
	jsonwrt_u64(w, r->view == MVIEW_OBJECTS ? "objects" : "processes",
		    r->view == MVIEW_OBJECTS ? r->n_rows : m.procs);
	json_figs(w, &m.f, r->view != MVIEW_OBJECTS);
	if (r->view == MVIEW_OBJECTS)
		json_parts(w, m.part);
	else
		json_regions(w, m.region);
	jsonwrt_object_close(w);
	jsonwrt_u64(w, "not_readable", r->not_readable);
	jsonwrt_u64(w, "exited", r->exited);
	jsonwrt_u64(w, "changed", r->changed);
	jsonwrt_bool(w, "filtered", r->filtered);
	jsonwrt_object_close(w);
	jsonwrt_finish(w);
}

/* json.c - the JSON document, schema 1 (see views.h and the man page) */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "elf/elfinfo.h"
#include "view/jsonwrt.h"
#include "view/parallel.h"
#include "view/views.h"

static void opt_hex(struct jsonwrt *w, const char *key, struct opt_addr a)
{
	if (a.known)
		jsonwrt_hex(w, key, a.v);
	else
		jsonwrt_null(w, key);
}

/* The keys written again and again, prepared once (keys_ready()): the smaps fields
 * of each VMA (n is 0 when they could not be: then written one by one), and the
 * figures after "size". */
static struct jsonwrt_keyset smaps_keys, figure_keys;
static pthread_once_t keys_once = PTHREAD_ONCE_INIT;

static void keys_init(void)
{
	static const char *const figure_names[] = { "rss", "pss", "shared", "private", "swap",
						    "dirty" };
	const char *names[SF_COUNT];

	for (int k = 0; k < SF_COUNT; k++)
		names[k] = smaps_field_name(k);
	if (jsonwrt_keyset_init(&smaps_keys, names, SF_COUNT) < 0)
		smaps_keys.n = 0;
	/* short plain keys: cannot be refused */
	if (jsonwrt_keyset_init(&figure_keys, figure_names, 6) < 0)
		abort();
}

static void keys_ready(void)
{
	pthread_once(&keys_once, keys_init);
}

/* The members of figures f as text at o (at most FIGURES_TEXT bytes): size, rss,
 * pss, shared, private, swap, dirty, and vmas when with_count; all but size and vmas
 * null when the source has none (L->figures_unknown: maps text, an ELF file, a
 * core).  keys_ready() must have run.  Returns the end. */
enum { FIGURES_TEXT = 8 * (JSONWRT_ROW + 20) };
static char *put_figures(char *o, const struct layout *L, const struct figures *f,
			 bool with_count)
{
	o = JSONWRT_PUT(o, "\"size\":");
	o = jsonwrt_put_u64(o, f->size);
	if (L->figures_unknown) {
		o = JSONWRT_PUT(o, ",\"rss\":null,\"pss\":null,\"shared\":null,\"private\":null"
				   ",\"swap\":null,\"dirty\":null");
	} else {
		const uint64_t v[] = { f->rss, f->pss, f->shared, f->priv, f->swap, f->dirty };
		o = jsonwrt_put_keyset(JSONWRT_PUT(o, ","), &figure_keys, v);
	}
	if (with_count) {
		o = JSONWRT_PUT(o, ",\"vmas\":");
		o = jsonwrt_put_u64(o, f->vmas);
	}
	return o;
}

static void figures(struct jsonwrt *w, const struct layout *L, const struct figures *f,
		    bool with_count)
{
	keys_ready();
	jsonwrt_raw_end(w, put_figures(jsonwrt_raw_begin(w, FIGURES_TEXT), L, f, with_count));
}

/* Names at most this long that need no escaping go into a VMA's object as they are
 * (jsonwrt_raw_begin()); the others through the string writer. */
enum { RAW_NAME_MAX = 1024 };

static bool raw_name(const char *s, size_t len)
{
	return len <= RAW_NAME_MAX && json_plain(s, len);
}

/* The members of a VMA written per VMA are written as text (jsonwrt_raw_begin()):
 * they are most of the document. */
void render_json_vma_role(struct jsonwrt *w, const struct layout *L, const struct vma *v)
{
	const char *obj = v->object >= 0 ? layout_object_path(L, &L->objects[v->object]) : NULL;
	size_t olen = obj ? strlen(obj) : 0;
	char *o = jsonwrt_raw_begin(w, 96 + RAW_NAME_MAX);

	/* the names of the layout's own tables: nothing to escape */
	o = JSONWRT_PUT(o, "\"region\":\"");
	o = stpcpy(o, region_name(v->region));
	o = JSONWRT_PUT(o, "\",\"role\":\"");
	o = stpcpy(o, role_name(v->role));
	o = JSONWRT_PUT(o, "\"");
	if (!obj) {
		o = JSONWRT_PUT(o, ",\"object\":null,\"tid\":");
	} else if (raw_name(obj, olen)) {
		o = JSONWRT_PUT(o, ",\"object\":\"");
		memcpy(o, obj, olen);
		o = JSONWRT_PUT(o + olen, "\",\"tid\":");
	} else {
		jsonwrt_raw_end(w, o);
		jsonwrt_str_k(w, "object", obj);
		o = jsonwrt_raw_begin(w, 32);
		o = JSONWRT_PUT(o, "\"tid\":");
	}
	if (v->tid) {
		if (v->tid < 0)
			*o++ = '-';
		o = jsonwrt_put_u64(o, v->tid < 0 ? -(uint64_t)v->tid : (uint64_t)v->tid);
	} else {
		o = JSONWRT_PUT(o, "null");
	}
	jsonwrt_raw_end(w, o);
}

/* Where the model came from: {"kind", "path", "figures"}; for a core, what it
 * holds; for an ELF file, its segments as the kernel's loader would map them. */
static void source(struct jsonwrt *w, const struct layout *L)
{
	const struct layout_offline *o = L->offline;

	jsonwrt_object_open(w, "source");
	jsonwrt_str(w, "kind", layout_source_name(L->source));
	if (o && o->path)
		jsonwrt_str(w, "path", o->path);
	else
		jsonwrt_null(w, "path");
	jsonwrt_str(w, "figures", !L->figures_unknown ? "smaps"
				  : L->source == LAYOUT_SOURCE_CORE ? "dumped" : "sizes");
	if (L->source == LAYOUT_SOURCE_CORE && o) {
		jsonwrt_u64(w, "dumped", o->dumped_total);
		jsonwrt_i64(w, "signal", o->signal);
	}
	jsonwrt_object_close(w);

	if (L->source != LAYOUT_SOURCE_ELF_FILE || !o)
		return;
	jsonwrt_object_open(w, "elf");
	jsonwrt_str(w, "type", o->elf_type == 2 ? "exec" : o->elf_type == 3 ? "dyn" : "other");
	jsonwrt_hex(w, "entry", o->entry);
	jsonwrt_hex(w, "bias", o->bias);
	jsonwrt_str(w, "interp", o->interp);
	jsonwrt_bool(w, "exec_stack", o->exec_stack);
	if (o->has_tls) {
		jsonwrt_object_open(w, "tls");
		jsonwrt_hex(w, "vaddr", o->tls_vaddr);
		jsonwrt_u64(w, "filesz", o->tls_filesz);
		jsonwrt_u64(w, "memsz", o->tls_memsz);
		jsonwrt_u64(w, "align", o->tls_align);
		jsonwrt_object_close(w);
	} else {
		jsonwrt_null(w, "tls");
	}
	jsonwrt_object_close(w);
	jsonwrt_array_open(w, "segments");
	for (size_t i = 0; i < o->n_segments; i++) {
		const struct layout_segment *g = &o->segments[i];
		char fl[4] = { g->flags & 4 ? 'r' : '-', g->flags & 2 ? 'w' : '-',
			       g->flags & 1 ? 'x' : '-', 0 };
		jsonwrt_object_open(w, NULL);
		jsonwrt_u64(w, "phdr", g->phdr_index);
		jsonwrt_str(w, "flags", fl);
		jsonwrt_hex(w, "vaddr", g->vaddr);
		jsonwrt_hex(w, "offset", g->offset);
		jsonwrt_u64(w, "filesz", g->filesz);
		jsonwrt_u64(w, "memsz", g->memsz);
		jsonwrt_u64(w, "align", g->align);
		jsonwrt_hex(w, "map_start", g->map_start);
		jsonwrt_hex(w, "map_end", g->map_end);
		jsonwrt_hex(w, "bss_start", g->bss_start);
		jsonwrt_hex(w, "bss_end", g->bss_end);
		jsonwrt_bool(w, "relro", g->relro);
		if (g->relro) {
			jsonwrt_hex(w, "relro_start", g->relro_start);
			jsonwrt_hex(w, "relro_end", g->relro_end);
		}
		jsonwrt_array_open(w, "sections");
		for (const char *p = g->sections; p && *p;) {
			size_t n = strcspn(p, " ");
			if (n)
				jsonwrt_strn(w, NULL, p, n);
			p += n;
			p += strspn(p, " ");
		}
		jsonwrt_array_close(w);
		jsonwrt_object_close(w);
	}
	jsonwrt_array_close(w);
}

/* "path", plus "path_bytes" when the bytes are not valid UTF-8. */
static void path(struct jsonwrt *w, const char *key, const char *bytes_key, const char *s,
		 size_t len)
{
	jsonwrt_strn(w, key, s, len);
	if (!json_utf8_valid(s, len))
		jsonwrt_hexbytes(w, bytes_key, s, len);
}

/* "fe:00" with its quotes at o (room for 20 bytes); returns the end. */
static char *put_dev(char *o, uint32_t major, uint32_t minor)
{
	if (major < 256 && minor < 256) {
		/* the common case, without printf */
		static const char hex[] = "0123456789abcdef";
		o[0] = '"';
		o[1] = hex[major >> 4];
		o[2] = hex[major & 15];
		o[3] = ':';
		o[4] = hex[minor >> 4];
		o[5] = hex[minor & 15];
		o[6] = '"';
		return o + 7;
	}
	return o + sprintf(o, "\"%02x:%02x\"", major, minor);
}

static void dev(struct jsonwrt *w, uint32_t major, uint32_t minor)
{
	char *o = jsonwrt_raw_begin(w, 32);

	jsonwrt_raw_end(w, put_dev(JSONWRT_PUT(o, "\"dev\":"), major, minor));
}

static void process(struct jsonwrt *w, const struct layout *L)
{
	jsonwrt_object_open(w, "process");
	jsonwrt_i64(w, "pid", L->pid);
	jsonwrt_str(w, "comm", L->has_id ? L->id.comm : L->stat.comm);
	jsonwrt_array_open(w, "cmdline");
	if (L->has_id)
		for (size_t i = 0; i < L->id.cmdline_n; i++)
			jsonwrt_str(w, NULL, L->id.cmdline[i]);
	jsonwrt_array_close(w);
	char state[2] = { L->stat.state, 0 };
	jsonwrt_str(w, "state", state);
	if (L->has_id) {
		jsonwrt_i64(w, "threads", L->id.threads);
		jsonwrt_i64(w, "uid", (int64_t)L->id.euid);
		jsonwrt_str(w, "user", L->id.euser);
	} else {
		jsonwrt_i64(w, "threads", (int64_t)L->n_threads);
		jsonwrt_null(w, "uid");
		jsonwrt_null(w, "user");
	}
	if (L->exe)
		path(w, "exe", "exe_bytes", L->exe, strlen(L->exe));
	else
		jsonwrt_null(w, "exe");
	jsonwrt_i64(w, "elf_class", L->elf_class);
	if (L->machine)
		jsonwrt_str(w, "machine", elf_machine_name(L->machine));
	else
		jsonwrt_null(w, "machine");
	jsonwrt_u64(w, "page_size", L->page_size);
	opt_hex(w, "task_size", L->task_size);
	jsonwrt_object_close(w);
}

static void mm(struct jsonwrt *w, const struct layout *L)
{
	const struct mm_bounds *m = &L->mm;

	jsonwrt_object_open(w, "mm");
	opt_hex(w, "start_code", m->start_code);
	opt_hex(w, "end_code", m->end_code);
	opt_hex(w, "start_data", m->start_data);
	opt_hex(w, "end_data", m->end_data);
	opt_hex(w, "start_brk", m->start_brk);
	opt_hex(w, "brk", m->brk);
	opt_hex(w, "start_stack", m->start_stack);
	opt_hex(w, "arg_start", m->arg_start);
	opt_hex(w, "arg_end", m->arg_end);
	opt_hex(w, "env_start", m->env_start);
	opt_hex(w, "env_end", m->env_end);
	jsonwrt_object_close(w);

	jsonwrt_object_open(w, "auxv");
	opt_hex(w, "phdr", L->auxv.phdr);
	opt_hex(w, "entry", L->auxv.entry);
	opt_hex(w, "base", L->auxv.base);
	opt_hex(w, "sysinfo_ehdr", L->auxv.sysinfo_ehdr);
	if (L->auxv.page_size)
		jsonwrt_u64(w, "page_size", L->auxv.page_size);
	else
		jsonwrt_null(w, "page_size");
	opt_hex(w, "execfn", L->auxv.execfn);
	jsonwrt_object_close(w);
}

static void kernel(struct jsonwrt *w, const struct layout *L)
{
	static const struct {
		const char *key;
		size_t off;
	} k[] = {
		{ "vm_size", offsetof(struct proc_counters, vm_size) },
		{ "vm_rss", offsetof(struct proc_counters, vm_rss) },
		{ "vm_data", offsetof(struct proc_counters, vm_data) },
		{ "vm_stk", offsetof(struct proc_counters, vm_stk) },
		{ "vm_exe", offsetof(struct proc_counters, vm_exe) },
		{ "vm_lib", offsetof(struct proc_counters, vm_lib) },
		{ "vm_swap", offsetof(struct proc_counters, vm_swap) },
		{ "rss_anon", offsetof(struct proc_counters, rss_anon) },
		{ "rss_file", offsetof(struct proc_counters, rss_file) },
		{ "rss_shmem", offsetof(struct proc_counters, rss_shmem) },
	};

	jsonwrt_object_open(w, "kernel");
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		uint64_t v;
		memcpy(&v, (const char *)&L->kc + k[i].off, sizeof(v));
		if (L->has_kc && v != UINT64_MAX)
			jsonwrt_u64(w, k[i].key, v);
		else
			jsonwrt_null(w, k[i].key);
	}
	jsonwrt_object_close(w);

	jsonwrt_object_open(w, "vm_counters");
	for (int i = 0; i < VMC_COUNT; i++) {
		const struct vm_counter *c = &L->vmc[i];
		jsonwrt_object_open(w, vm_counter_name(i));
		jsonwrt_u64(w, "vmas", c->vmas);
		if (c->kernel_known) {
			jsonwrt_u64(w, "kernel", c->kernel);
			jsonwrt_bool(w, "match", c->kernel == c->vmas);
		} else {
			jsonwrt_null(w, "kernel");
			jsonwrt_null(w, "match");
		}
		jsonwrt_object_close(w);
	}
	jsonwrt_object_close(w);
}

static void objects(struct jsonwrt *w, const struct layout *L, const struct vma_selection *s)
{
	static const char *const parts[PART_COUNT] = { "text", "rodata", "relro", "data", "bss" };

	jsonwrt_array_open(w, "objects");
	for (size_t i = 0; i < L->n_objects; i++) {
		const struct object *o = &L->objects[i];
		const char *p = layout_object_path(L, o);
		if (s->filtered && s->sum.obj_total[i].vmas == 0)
			continue;
		jsonwrt_object_open(w, NULL);
		path(w, "path", "path_bytes", p, strlen(p));
		jsonwrt_bool(w, "deleted", o->deleted);
		dev(w, o->dev_major, o->dev_minor);
		jsonwrt_u64(w, "inode", o->inode);
		jsonwrt_str(w, "kind", object_kind_name(o->kind));
		if (o->elf_class)
			jsonwrt_i64(w, "elf_class", o->elf_class);
		else
			jsonwrt_null(w, "elf_class");
		if (o->has_bias)
			jsonwrt_hex(w, "load_bias", o->load_bias);
		else
			jsonwrt_null(w, "load_bias");
		jsonwrt_bool(w, "attributed", o->attributed);
		jsonwrt_str(w, "warning", o->warning);
		for (int k = 0; k < PART_COUNT; k++) {
			jsonwrt_object_open(w, parts[k]);
			jsonwrt_u64(w, "size", s->sum.obj_part[i][k].size);
			jsonwrt_u64(w, "rss", s->sum.obj_part[i][k].rss);
			jsonwrt_object_close(w);
		}
		jsonwrt_object_open(w, "totals");
		figures(w, L, &s->sum.obj_total[i], true);
		jsonwrt_object_close(w);
		jsonwrt_object_close(w);
	}
	jsonwrt_array_close(w);
}

static void threads(struct jsonwrt *w, const struct layout *L)
{
	jsonwrt_array_open(w, "threads");
	for (size_t i = 0; i < L->n_threads; i++) {
		const struct thread_info *t = &L->threads[i];
		jsonwrt_object_open(w, NULL);
		jsonwrt_i64(w, "tid", t->tid);
		jsonwrt_str(w, "comm", t->comm);
		if (t->has_sp)
			jsonwrt_hex(w, "stack_pointer", t->sp);
		else
			jsonwrt_null(w, "stack_pointer");
		if (t->vma >= 0) {
			jsonwrt_hex(w, "stack_start", L->vmas.v[t->vma].start);
			jsonwrt_hex(w, "stack_end", L->vmas.v[t->vma].end);
		} else {
			jsonwrt_null(w, "stack_start");
			jsonwrt_null(w, "stack_end");
		}
		jsonwrt_object_close(w);
	}
	jsonwrt_array_close(w);
}

/* The index in l->extra of the first unknown field of VMA i (l->extra is in VMA
 * order), or l->n_extra. */
static size_t first_extra(const struct vma_list *l, size_t i)
{
	size_t lo = 0, hi = l->n_extra;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->extra[mid].vma < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The "smaps" members of the VMAs last written by this thread, by their figures:
 * many VMAs of a large process have the same (guard pages, small anonymous areas
 * of one size), and a copy is cheaper than 25 numbers formatted again. */
enum { SMAPS_MEMOS = 4, SMAPS_TEXT = SF_COUNT * (JSONWRT_ROW + 20) };
struct smaps_memo {
	uint64_t fig[SF_COUNT];
	size_t len;		/* 0: empty */
	char text[SMAPS_TEXT];
};
static _Thread_local struct smaps_memo smaps_memo[SMAPS_MEMOS];
static _Thread_local unsigned smaps_memo_next;

/* The members of v's "smaps" object at o (at most SMAPS_TEXT bytes); returns the
 * end.  keys_ready() must have run. */
static char *put_smaps(char *o, const struct vma *v)
{
	for (unsigned k = 0; k < SMAPS_MEMOS; k++) {
		const struct smaps_memo *m = &smaps_memo[k];
		if (m->len && memcmp(m->fig, v->fig, sizeof(m->fig)) == 0) {
			memcpy(o, m->text, m->len);
			return o + m->len;
		}
	}
	char *end = jsonwrt_put_keyset(o, &smaps_keys, v->fig);
	struct smaps_memo *m = &smaps_memo[smaps_memo_next++ % SMAPS_MEMOS];
	memcpy(m->fig, v->fig, sizeof(m->fig));
	m->len = (size_t)(end - o);
	memcpy(m->text, o, m->len);
	return end;
}

/* VMA i as an element of "vmas"; keys_ready() must have run. */
static void vma_object(struct jsonwrt *w, const struct layout *L, size_t i)
{
	const struct vma_list *l = &L->vmas;
	const struct vma *v = &l->v[i];
	const char *name = vma_name(l, v);
	char perms[5], *o;

	/* the members that need no escaping as text (jsonwrt_raw_begin()) */
	jsonwrt_object_open(w, NULL);
	o = jsonwrt_raw_begin(w, 160 + RAW_NAME_MAX);
	o = JSONWRT_PUT(o, "\"start\":");
	o = jsonwrt_put_hex(o, v->start);
	o = JSONWRT_PUT(o, ",\"end\":");
	o = jsonwrt_put_hex(o, v->end);
	o = JSONWRT_PUT(o, ",\"offset\":");
	o = jsonwrt_put_hex(o, v->offset);
	o = JSONWRT_PUT(o, ",\"perms\":\"");
	memcpy(o, vma_perms_str(perms, v->perms), 4);
	o = JSONWRT_PUT(o + 4, "\",\"dev\":");
	o = put_dev(o, v->dev_major, v->dev_minor);
	o = JSONWRT_PUT(o, ",\"inode\":");
	o = jsonwrt_put_u64(o, v->inode);
	if (v->name_kind == VMA_NAME_NONE) {
		o = JSONWRT_PUT(o, ",\"path\":null,\"deleted\":");
	} else if (raw_name(name, v->name_len)) {
		o = JSONWRT_PUT(o, ",\"path\":\"");
		memcpy(o, name, v->name_len);
		o = JSONWRT_PUT(o + v->name_len, "\",\"deleted\":");
	} else {
		jsonwrt_raw_end(w, o);
		path(w, "path", "path_bytes", name, v->name_len);
		o = jsonwrt_raw_begin(w, 32);
		o = JSONWRT_PUT(o, "\"deleted\":");
	}
	o = v->deleted ? JSONWRT_PUT(o, "true") : JSONWRT_PUT(o, "false");
	jsonwrt_raw_end(w, o);
	render_json_vma_role(w, L, v);
	struct figures f = vma_figures(v);
	o = put_figures(jsonwrt_raw_begin(w, FIGURES_TEXT + 32), L, &f, false);
	if (L->source == LAYOUT_SOURCE_CORE && L->offline && L->offline->dumped) {
		o = JSONWRT_PUT(o, ",\"dumped\":");
		o = jsonwrt_put_u64(o, L->offline->dumped[i]);
	}
	jsonwrt_raw_end(w, o);
	jsonwrt_object_open_k(w, "smaps");
	if (v->has_figures && smaps_keys.n == SF_COUNT)
		jsonwrt_raw_end(w, put_smaps(jsonwrt_raw_begin(w, SMAPS_TEXT), v));
	else if (v->has_figures)
		for (int k = 0; k < SF_COUNT; k++)
			jsonwrt_u64(w, smaps_field_name(k), v->fig[k]);
	/* fields of a newer kernel, by name */
	for (size_t x = l->n_extra ? first_extra(l, i) : 0; x < l->n_extra && l->extra[x].vma == i;
	     x++)
		jsonwrt_u64(w, l->names + l->extra[x].key, l->extra[x].value);
	jsonwrt_object_close(w);
	jsonwrt_array_open_k(w, "vmflags");
	uint64_t flags = v->has_vmflags ? v->vmflags & (VMF_BIT(VMF_OTHER) - 1) : 0;
	if (flags) {
		/* the kernel's two-letter codes: nothing to escape */
		o = jsonwrt_raw_begin(w, 5 * VMF_OTHER);
		for (; flags; flags &= flags - 1) {
			o = JSONWRT_PUT(o, "\"");
			memcpy(o, vma_flag_name(__builtin_ctzll(flags)), 2);
			o = JSONWRT_PUT(o + 2, "\",");
		}
		jsonwrt_raw_end(w, o - 1);	/* without the last comma */
	}
	jsonwrt_array_close(w);
	struct figures part[2];
	bool measured;
	if (v->bss_pages && (size_t)v->bss_object < L->n_objects &&
	    vma_part_figures(v, L->page_size, part, &measured)) {
		/* merged across the end of a bss: its parts */
		uint64_t mid = v->start + part[0].size;
		jsonwrt_array_open_k(w, "parts");
		for (int k = 0; k < 2; k++) {
			enum role r = k ? (enum role)v->role : ROLE_BSS;
			jsonwrt_object_open(w, NULL);
			jsonwrt_hex(w, "start", k ? mid : v->start);
			jsonwrt_hex(w, "end", k ? v->end : mid);
			jsonwrt_str(w, "region", region_name(role_region(r)));
			jsonwrt_str(w, "role", role_name(r));
			if (k)
				jsonwrt_null(w, "object");
			else
				jsonwrt_str(w, "object",
					    layout_object_path(L, &L->objects[v->bss_object]));
			figures(w, L, &part[k], false);
			jsonwrt_bool(w, "rss_measured", measured);
			jsonwrt_bool(w, "estimated", true);
			jsonwrt_object_close(w);
		}
		jsonwrt_array_close(w);
	}
	jsonwrt_object_close(w);
}

/* Rendering "vmas" on two threads (parallel.h): the second thread's writer
 * continues the array as it stood when the work began. */
struct vmas_job {
	const struct layout *L;
	const size_t *rows;	/* the selected VMAs */
	struct jsonwrt *w;	/* the calling thread's writer */
	struct jsonwrt *at;	/* a copy of it at the start */
	struct jsonwrt *other;	/* the second thread's writer */
};

static void vmas_render(void *ctx, bool own, FILE *out, size_t start, size_t end)
{
	struct vmas_job *j = ctx;
	struct jsonwrt *w = j->w;

	if (!own) {
		w = j->other;
		jsonwrt_init_continuation(w, out, j->at);
	}
	for (size_t r = start; r < end; r++)
		vma_object(w, j->L, j->rows[r]);
	if (!own)
		jsonwrt_flush(w);
}

static void vmas_flush(void *ctx)
{
	struct vmas_job *j = ctx;

	jsonwrt_flush(j->w);
}

/* Returns false when the work could not be shared (the caller renders alone). */
static bool vmas_parallel(struct jsonwrt *w, const struct layout *L, const size_t *rows,
			  size_t n)
{
	struct vmas_job j = { .L = L, .rows = rows, .w = w };
	struct parallel_job job = { .n = n, .render = vmas_render, .flush = vmas_flush,
				    .ctx = &j };
	bool ok = false;

	j.at = malloc(sizeof(*j.at));
	j.other = malloc(sizeof(*j.other));
	if (j.at && j.other) {
		/* the calling thread goes on changing its writer */
		memcpy(j.at, w, sizeof(*j.at));
		ok = parallel_render(w->out, &job);
	}
	free(j.at);
	free(j.other);
	return ok;
}

static void vmas(struct jsonwrt *w, const struct layout *L, const struct vma_selection *s)
{
	const struct vma_list *l = &L->vmas;
	size_t n = 0, *rows = malloc((l->n ? l->n : 1) * sizeof(*rows));
	keys_ready();
	jsonwrt_array_open(w, "vmas");
	if (rows)
		for (size_t i = 0; i < l->n; i++)
			if (vma_selected(s, i))
				rows[n++] = i;
	/* the first element by this thread, so that the array holds a member before
	 * the other thread continues it */
	if (rows && n > PARALLEL_MIN_ROWS) {
		vma_object(w, L, rows[0]);
		if (vmas_parallel(w, L, rows + 1, n - 1)) {
			free(rows);
			jsonwrt_array_close(w);
			return;
		}
		for (size_t r = 1; r < n; r++)
			vma_object(w, L, rows[r]);
	} else if (rows) {
		for (size_t r = 0; r < n; r++)
			vma_object(w, L, rows[r]);
	} else {
		for (size_t i = 0; i < l->n; i++)
			if (vma_selected(s, i))
				vma_object(w, L, i);
	}
	free(rows);
	jsonwrt_array_close(w);
}

static void filter(struct jsonwrt *w, const struct vma_selection *s,
		   const struct vma_filter *f)
{
	char perms[8];
	size_t n = 0;

	if (!s->filtered || !f) {
		jsonwrt_null(w, "filter");
		return;
	}
	jsonwrt_object_open(w, "filter");
	jsonwrt_array_open(w, "roles");
	for (int i = 0; i < ROLE_COUNT; i++)
		if (f->roles & (UINT32_C(1) << role_listed(i)))
			jsonwrt_str(w, NULL, role_name(role_listed(i)));
	jsonwrt_array_close(w);
	jsonwrt_array_open(w, "regions");
	for (int r = 0; r < REGION_COUNT; r++)
		if (f->regions & (UINT32_C(1) << r))
			jsonwrt_str(w, NULL, region_name(r));
	jsonwrt_array_close(w);
	if (f->perms & VMA_PERM_READ)
		perms[n++] = 'r';
	if (f->perms & VMA_PERM_WRITE)
		perms[n++] = 'w';
	if (f->perms & VMA_PERM_EXEC)
		perms[n++] = 'x';
	if (f->perms & VMA_PERM_SHARED)
		perms[n++] = 's';
	if (f->perms_not & VMA_PERM_SHARED)
		perms[n++] = 'p';
	perms[n] = '\0';
	jsonwrt_str(w, "perms", perms);
	jsonwrt_array_open(w, "objects");
	for (size_t g = 0; g < f->n_globs; g++)
		jsonwrt_str(w, NULL, f->globs[g]);
	jsonwrt_array_close(w);
	jsonwrt_object_close(w);
}

void render_json_process(struct jsonwrt *w, const struct layout *L)
{
	process(w, L);
}

void render_json_value(struct jsonwrt *w, const struct layout *L,
		       const struct vma_selection *s, const struct vma_filter *f)
{
	jsonwrt_object_open(w, NULL);
	jsonwrt_u64(w, "schema", 1);
	source(w, L);
	process(w, L);
	mm(w, L);
	kernel(w, L);

	filter(w, s, f);
	jsonwrt_object_open(w, "totals");
	figures(w, L, &s->sum.totals, true);
	jsonwrt_bool(w, "filtered", s->filtered);
	jsonwrt_object_close(w);
	if (L->has_rollup) {
		jsonwrt_object_open(w, "rollup");
		for (int k = 0; k < SF_COUNT; k++)
			if (k != SF_SIZE && k != SF_KERNEL_PAGE_SIZE && k != SF_MMU_PAGE_SIZE)
				jsonwrt_u64(w, smaps_field_name(k), L->rollup.fig[k]);
		jsonwrt_object_close(w);
	} else {
		jsonwrt_null(w, "rollup");
	}
	jsonwrt_object_open(w, "regions");
	for (int r = 0; r < REGION_COUNT; r++) {
		jsonwrt_object_open(w, region_name(r));
		figures(w, L, &s->sum.regions[r], true);
		jsonwrt_object_close(w);
	}
	jsonwrt_object_close(w);
	jsonwrt_object_open(w, "roles");
	for (int i = 0; i < ROLE_COUNT; i++) {
		enum role r = role_listed(i);
		jsonwrt_object_open(w, role_name(r));
		figures(w, L, &s->sum.roles[r], true);
		jsonwrt_object_close(w);
	}
	jsonwrt_object_close(w);

	objects(w, L, s);
	threads(w, L);
	jsonwrt_bool(w, "consistent", L->consistent);
	jsonwrt_array_open(w, "warnings");
	for (size_t i = 0; i < L->n_warnings; i++)
		jsonwrt_str(w, NULL, L->warnings[i]);
	jsonwrt_array_close(w);
	vmas(w, L, s);
	jsonwrt_object_close(w);
}

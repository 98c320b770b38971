/* json.c - the JSON document, schema 1 (see views.h and the man page) */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf/elfinfo.h"
#include "lib/util.h"
#include "view/jsonwrt.h"
#include "view/views.h"

static void opt_hex(struct jsonwrt *w, const char *key, struct opt_addr a)
{
	if (a.known)
		jsonwrt_hex(w, key, a.v);
	else
		jsonwrt_null(w, key);
}

/* The keys of the numbers written for every VMA (and each roll-up), checked once
 * for a document. */
struct keys {
	struct jsonwrt_keys figures;	/* size ... dirty, hugetlb (figures() below) */
	struct jsonwrt_keys smaps;	/* the smaps fields, in enum smaps_field order */
};

static void keys_init(struct keys *k)
{
	static const char *const figure_names[] = { "size", "rss", "pss", "shared", "private",
						    "swap", "dirty", "hugetlb" };
	const char *smaps_names[SF_COUNT];

	for (int f = 0; f < SF_COUNT; f++)
		smaps_names[f] = smaps_field_name(f);
	/* the program's own names: cannot be refused */
	if (jsonwrt_keys_init(&k->figures, figure_names, 8) < 0 ||
	    jsonwrt_keys_init(&k->smaps, smaps_names, SF_COUNT) < 0)
		abort();
}

/* The figures f as members: size, rss, pss, shared, private, swap, dirty, hugetlb
 * (bytes), and vmas when with_count; all but size and vmas null when the source has
 * none (L->figures_unknown: maps text, an ELF file, a core). */
static void figures(struct jsonwrt *w, const struct layout *L, const struct keys *k,
		    const struct figures *f, bool with_count)
{
	const uint64_t v[] = { f->size, f->rss, f->pss, f->shared, f->priv, f->swap, f->dirty,
			       f->hugetlb };

	if (L->figures_unknown) {
		jsonwrt_u64(w, "size", f->size);
		for (size_t i = 1; i < k->figures.n; i++)
			jsonwrt_null(w, k->figures.key[i]);
	} else {
		jsonwrt_keys_u64(w, &k->figures, v);
	}
	if (with_count)
		jsonwrt_u64(w, "vmas", f->vmas);
}

void render_json_vma_role(struct jsonwrt *w, const struct layout *L, const struct vma *v)
{
	jsonwrt_str(w, "region", region_name(v->region));
	jsonwrt_str(w, "role", role_name(v->role));
	/* a NULL string is written as null */
	jsonwrt_str(w, "object", v->object >= 0 ? layout_object_path(L, &L->objects[v->object])
						: NULL);
	if (v->tid)
		jsonwrt_i64(w, "tid", v->tid);
	else
		jsonwrt_null(w, "tid");
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

/* "dev": the device as maps gives it, "fe:00". */
static void dev(struct jsonwrt *w, uint32_t major, uint32_t minor)
{
	static const char hex[] = "0123456789abcdef";
	char b[24];

	if (major < 256 && minor < 256) {
		/* what it nearly always is, without printf */
		b[0] = hex[major >> 4];
		b[1] = hex[major & 15];
		b[2] = ':';
		b[3] = hex[minor >> 4];
		b[4] = hex[minor & 15];
		b[5] = '\0';
	} else {
		snprintf(b, sizeof(b), "%02x:%02x", major, minor);
	}
	jsonwrt_str(w, "dev", b);
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
		if (L->id.euid != (uid_t)-1)	/* status read */
			jsonwrt_i64(w, "uid", (int64_t)L->id.euid);
		else
			jsonwrt_null(w, "uid");
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
	if (L->mmap_layout)
		jsonwrt_str(w, "mmap_layout", L->mmap_layout == LAYOUT_MMAP_LEGACY ? "bottom-up"
										   : "top-down");
	else
		jsonwrt_null(w, "mmap_layout");
	opt_hex(w, "mmap_base", L->mmap_base);
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
		{ "vm_peak", offsetof(struct proc_counters, vm_peak) },
		{ "vm_hwm", offsetof(struct proc_counters, vm_hwm) },
		{ "vm_lck", offsetof(struct proc_counters, vm_lck) },
		{ "vm_pin", offsetof(struct proc_counters, vm_pin) },
		{ "vm_pte", offsetof(struct proc_counters, vm_pte) },
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

static void objects(struct jsonwrt *w, const struct layout *L, const struct keys *k,
		    const struct vma_selection *s)
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
		for (int part = 0; part < PART_COUNT; part++) {
			jsonwrt_object_open(w, parts[part]);
			jsonwrt_u64(w, "size", s->sum.obj_part[i][part].size);
			jsonwrt_u64(w, "rss", s->sum.obj_part[i][part].rss);
			jsonwrt_object_close(w);
		}
		jsonwrt_object_open(w, "totals");
		figures(w, L, k, &s->sum.obj_total[i], true);
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

/* VMA i as an element of "vmas". */
static void vma_object(struct jsonwrt *w, const struct layout *L, const struct keys *k,
		       size_t i)
{
	const struct vma_list *l = &L->vmas;
	const struct vma *v = &l->v[i];
	char perms[5];

	jsonwrt_object_open(w, NULL);
	jsonwrt_hex(w, "start", v->start);
	jsonwrt_hex(w, "end", v->end);
	jsonwrt_hex(w, "offset", v->offset);
	jsonwrt_str(w, "perms", vma_perms_str(perms, v->perms));
	dev(w, v->dev_major, v->dev_minor);
	jsonwrt_u64(w, "inode", v->inode);
	if (v->name_kind == VMA_NAME_NONE)
		jsonwrt_null(w, "path");
	else
		path(w, "path", "path_bytes", vma_name(l, v), v->name_len);
	jsonwrt_bool(w, "deleted", v->deleted);
	render_json_vma_role(w, L, v);
	struct figures f = vma_figures(v);
	figures(w, L, k, &f, false);
	if (L->source == LAYOUT_SOURCE_CORE && L->offline && L->offline->dumped)
		jsonwrt_u64(w, "dumped", L->offline->dumped[i]);
	jsonwrt_object_open(w, "smaps");
	if (v->has_figures) {
		uint64_t fig[SF_COUNT];
		vma_figs(v, fig);
		jsonwrt_keys_u64(w, &k->smaps, fig);
	}
	/* fields of a newer kernel, by name */
	for (size_t x = l->n_extra ? first_extra(l, i) : 0; x < l->n_extra && l->extra[x].vma == i;
	     x++)
		jsonwrt_u64(w, l->names + l->extra[x].key, l->extra[x].value);
	jsonwrt_object_close(w);
	jsonwrt_array_open(w, "vmflags");
	if (v->has_vmflags)
		/* the flags set, lowest first (codes not known here are not given) */
		for (uint64_t b = v->vmflags & (VMF_BIT(VMF_OTHER) - 1); b; b &= b - 1)
			jsonwrt_str(w, NULL, vma_flag_name((enum vma_flag)__builtin_ctzll(b)));
	jsonwrt_array_close(w);
	struct figures part[2];
	bool measured;
	if (v->bss_pages && (size_t)v->bss_object < L->n_objects &&
	    vma_part_figures(v, L->page_size, part, &measured)) {
		/* merged across the end of a bss: its parts */
		uint64_t mid = v->start + part[0].size;
		jsonwrt_array_open(w, "parts");
		for (int p = 0; p < 2; p++) {
			enum role r = p ? (enum role)v->role : ROLE_BSS;
			jsonwrt_object_open(w, NULL);
			jsonwrt_hex(w, "start", p ? mid : v->start);
			jsonwrt_hex(w, "end", p ? v->end : mid);
			jsonwrt_str(w, "region", region_name(role_region(r)));
			jsonwrt_str(w, "role", role_name(r));
			if (p)
				jsonwrt_null(w, "object");
			else
				jsonwrt_str(w, "object",
					    layout_object_path(L, &L->objects[v->bss_object]));
			figures(w, L, k, &part[p], false);
			jsonwrt_bool(w, "rss_measured", measured);
			jsonwrt_bool(w, "estimated", true);
			jsonwrt_object_close(w);
		}
		jsonwrt_array_close(w);
	}
	jsonwrt_object_close(w);
}

static void vmas(struct jsonwrt *w, const struct layout *L, const struct keys *k,
		 const struct vma_selection *s)
{
	jsonwrt_array_open(w, "vmas");
	for (size_t i = 0; i < L->vmas.n; i++)
		if (vma_selected(s, i))
			vma_object(w, L, k, i);
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
	struct keys k;

	keys_init(&k);
	jsonwrt_object_open(w, NULL);
	jsonwrt_u64(w, "schema", 1);
	source(w, L);
	process(w, L);
	mm(w, L);
	kernel(w, L);

	filter(w, s, f);
	jsonwrt_object_open(w, "totals");
	figures(w, L, &k, &s->sum.totals, true);
	jsonwrt_bool(w, "filtered", s->filtered);
	jsonwrt_object_close(w);
	if (L->has_rollup) {
		jsonwrt_object_open(w, "rollup");
		for (int field = 0; field < SF_COUNT; field++)
			if (field != SF_SIZE && field != SF_KERNEL_PAGE_SIZE &&
			    field != SF_MMU_PAGE_SIZE)
				jsonwrt_u64(w, smaps_field_name(field), L->rollup[field]);
		jsonwrt_object_close(w);
	} else {
		jsonwrt_null(w, "rollup");
	}
	jsonwrt_object_open(w, "regions");
	for (int r = 0; r < REGION_COUNT; r++) {
		jsonwrt_object_open(w, region_name(r));
		figures(w, L, &k, &s->sum.regions[r], true);
		jsonwrt_object_close(w);
	}
	jsonwrt_object_close(w);
	jsonwrt_object_open(w, "roles");
	for (int i = 0; i < ROLE_COUNT; i++) {
		enum role r = role_listed(i);
		jsonwrt_object_open(w, role_name(r));
		figures(w, L, &k, &s->sum.roles[r], true);
		jsonwrt_object_close(w);
	}
	jsonwrt_object_close(w);

	objects(w, L, &k, s);
	threads(w, L);
	jsonwrt_bool(w, "consistent", L->consistent);
	jsonwrt_array_open(w, "warnings");
	for (size_t i = 0; i < L->n_warnings; i++)
		jsonwrt_str(w, NULL, L->warnings[i]);
	jsonwrt_array_close(w);
	vmas(w, L, &k, s);
	jsonwrt_object_close(w);
}

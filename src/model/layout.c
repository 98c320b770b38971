/* layout.c - the model: its names and its constructor (see layout.h) */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/layout.h"

static const char *const role_names[ROLE_COUNT] = {
	[ROLE_TEXT] = "text", [ROLE_RODATA] = "rodata", [ROLE_RELRO] = "relro",
	[ROLE_DATA] = "data", [ROLE_BSS] = "bss", [ROLE_HEAP] = "heap",
	[ROLE_ANON] = "anon", [ROLE_SHM] = "shm", [ROLE_FILE] = "file",
	[ROLE_GUARD] = "guard", [ROLE_STACK] = "stack",
	[ROLE_THREAD_STACK] = "thread_stack", [ROLE_VDSO] = "vdso",
	[ROLE_VVAR] = "vvar", [ROLE_VSYSCALL] = "vsyscall", [ROLE_OTHER] = "other",
	[ROLE_RESERVED] = "reserved", [ROLE_ARENA] = "arena", [ROLE_JIT] = "jit",
};

static const enum region role_regions[ROLE_COUNT] = {
	[ROLE_TEXT] = REGION_CODE, [ROLE_RODATA] = REGION_DATA,
	[ROLE_RELRO] = REGION_DATA, [ROLE_DATA] = REGION_DATA,
	[ROLE_BSS] = REGION_BSS, [ROLE_HEAP] = REGION_HEAP,
	[ROLE_ANON] = REGION_MMAP, [ROLE_SHM] = REGION_MMAP,
	[ROLE_FILE] = REGION_MMAP, [ROLE_GUARD] = REGION_MMAP,
	[ROLE_STACK] = REGION_STACK, [ROLE_THREAD_STACK] = REGION_STACK,
	[ROLE_VDSO] = REGION_SPECIAL, [ROLE_VVAR] = REGION_SPECIAL,
	[ROLE_VSYSCALL] = REGION_SPECIAL, [ROLE_OTHER] = REGION_SPECIAL,
	[ROLE_RESERVED] = REGION_MMAP, [ROLE_ARENA] = REGION_HEAP, [ROLE_JIT] = REGION_CODE,
};

static const char *const region_names[REGION_COUNT] = {
	[REGION_CODE] = "code", [REGION_DATA] = "data", [REGION_BSS] = "bss",
	[REGION_HEAP] = "heap", [REGION_MMAP] = "mmap", [REGION_STACK] = "stack",
	[REGION_SPECIAL] = "special",
};

const char *role_name(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? role_names[r] : "?";
}

enum role role_listed(int i)
{
	static const enum role order[ROLE_COUNT] = {
		ROLE_TEXT, ROLE_JIT, ROLE_RODATA, ROLE_RELRO, ROLE_DATA, ROLE_BSS, ROLE_HEAP,
		ROLE_ARENA, ROLE_ANON, ROLE_SHM, ROLE_FILE, ROLE_RESERVED, ROLE_GUARD,
		ROLE_STACK, ROLE_THREAD_STACK, ROLE_VDSO, ROLE_VVAR, ROLE_VSYSCALL, ROLE_OTHER,
	};

	return i >= 0 && i < ROLE_COUNT ? order[i] : ROLE_OTHER;
}

const char *region_name(enum region r)
{
	return (unsigned)r < REGION_COUNT ? region_names[r] : "?";
}

enum region role_region(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? role_regions[r] : REGION_SPECIAL;
}

const char *object_kind_name(enum object_kind k)
{
	switch (k) {
	case OBJECT_EXECUTABLE:
		return "executable";
	case OBJECT_INTERPRETER:
		return "interpreter";
	default:
		return "library";
	}
}

const char *vm_counter_name(int i)
{
	static const char *const n[VMC_COUNT] = { "total_vm", "data_vm", "exec_vm", "stack_vm" };

	return i >= 0 && i < VMC_COUNT ? n[i] : "?";
}

const char *layout_object_path(const struct layout *L, const struct object *o)
{
	return L->vmas.names + o->path;
}

const char *layout_thread_comm(const struct layout *L, pid_t tid)
{
	for (size_t t = 0; t < L->n_threads; t++)
		if (L->threads[t].tid == tid)
			return L->threads[t].comm;
	return "";
}

const char *layout_vma_label(const struct layout *L, const struct vma *v, size_t *len)
{
	if (v->object >= 0) {
		const char *p = layout_object_path(L, &L->objects[v->object]);
		*len = strlen(p);
		return p;
	}
	*len = v->name_len;
	return vma_name(&L->vmas, v);
}

void layout_warn(struct layout *L, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s)
		return;
	char **w = realloc(L->warnings, (L->n_warnings + 1) * sizeof(*w));
	if (!w) {
		free(s);
		return;
	}
	L->warnings = w;
	L->warnings[L->n_warnings++] = s;
}


const char *layout_source_name(int source)
{
	static const char *const n[LAYOUT_SOURCE_COUNT] = {
		[LAYOUT_SOURCE_PID] = "pid", [LAYOUT_SOURCE_SNAPSHOT] = "snapshot",
		[LAYOUT_SOURCE_SMAPS_TEXT] = "smaps", [LAYOUT_SOURCE_MAPS_TEXT] = "maps",
		[LAYOUT_SOURCE_ELF_FILE] = "elf", [LAYOUT_SOURCE_CORE] = "core",
	};

	return source >= 0 && source < LAYOUT_SOURCE_COUNT ? n[source] : "?";
}

void layout_init(struct layout *L)
{
	memset(L, 0, sizeof(*L));
	L->exe_object = -1;
	vma_list_init(&L->vmas);
}

struct vma *layout_add_vma(struct layout *L, uint64_t start, uint64_t end, uint32_t perms,
			   uint64_t offset, uint32_t dev_major, uint32_t dev_minor,
			   uint64_t inode, const char *name, bool deleted)
{
	const struct vma_list *l = &L->vmas;

	if (start >= end || (l->n && start < l->v[l->n - 1].end)) {
		errno = EINVAL;
		return NULL;
	}
	return vma_list_add(&L->vmas, start, end, perms, offset, dev_major, dev_minor, inode,
			    name, name ? strlen(name) : 0, deleted);
}

struct layout_offline *layout_offline_get(struct layout *L)
{
	if (!L->offline)
		L->offline = calloc(1, sizeof(*L->offline));
	return L->offline;
}

static void offline_free(struct layout_offline *o)
{
	if (!o)
		return;
	free(o->path);
	free(o->dumped);
	for (size_t i = 0; i < o->n_segments; i++)
		free(o->segments[i].sections);
	free(o->segments);
	free(o->interp);
	free(o);
}

void layout_free(struct layout *L)
{
	offline_free(L->offline);
	vma_list_free(&L->vmas);
	for (size_t i = 0; i < L->n_objects; i++)
		free(L->objects[i].warning);
	free(L->objects);
	free(L->threads);
	for (size_t i = 0; i < L->n_warnings; i++)
		free(L->warnings[i]);
	free(L->warnings);
	free(L->exe);
	if (L->has_id)
		proc_identity_free(&L->id);
	layout_init(L);
}

void proc_identity_free(struct proc_identity *id)
{
	if (!id)
		return;
	free(id->comm);
	if (id->cmdline)
		for (size_t i = 0; i < id->cmdline_n; i++)
			free(id->cmdline[i]);
	free(id->cmdline);
	free(id->euser);
	memset(id, 0, sizeof *id);
}

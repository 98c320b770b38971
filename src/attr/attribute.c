/* attribute.c - every VMA's role and object (see layout.h, layout_attribute())
 *
 * A file-backed VMA belongs to an ELF object when the file's program headers
 * explain it: the first mapping of a file fixes the load bias (vm_start less the
 * page-rounded p_vaddr of the segment at its offset), later mappings of the same file
 * continue that object when they lie in a segment at the offset the bias says.  The
 * role is the segment's (text, rodata, relro, data); the anonymous VMAs that cover
 * a segment's [p_vaddr + p_filesz, p_vaddr + p_memsz) are its bss.  What no ELF
 * header explains gets a role from its name and permissions.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "elf/elfinfo.h"
#include "attr/attribute.h"
#include "attr/rollup.h"
#include "source/source.h"
#include "lib/util.h"

/* A ---p VMA of at most this many pages is a guard page (or a separator); a larger
 * one is address space reserved (attribute_rest()), unless it lies right below a
 * stack (attribute_threads()). */
#define GUARD_MAX_PAGES 16

static bool is_shm_path(const char *p, bool deleted)
{
	return (deleted && strcmp(p, "/dev/zero") == 0) || strncmp(p, "/SYSV", 5) == 0 ||
	       strncmp(p, "/dev/shm/", 9) == 0 || strncmp(p, "/memfd:", 7) == 0;
}

/* Anonymous memory in huge pages: MAP_HUGETLB (mm/mmap.c hugetlb_file_setup()
 * names its file "anon_hugepage", unlinked at once). */
static bool is_anon_hugepage(const struct vma *v, const char *name)
{
	return v->deleted && strcmp(name, "/anon_hugepage") == 0;
}

/* The last object of v's file that has (has_bias) or lacks a load bias, or -1. */
static ptrdiff_t find_object(const struct layout *L, const struct vma *v, bool has_bias)
{
	for (size_t i = L->n_objects; i-- > 0;) {
		const struct object *o = &L->objects[i];
		if (o->inode == v->inode && o->dev_major == v->dev_major &&
		    o->dev_minor == v->dev_minor && o->has_bias == has_bias)
			return (ptrdiff_t)i;
	}
	return -1;
}

/* A new object for v's file at bias; its index, or -1 (errno ENOMEM). */
static ptrdiff_t add_object(struct layout *L, const struct vma *v, bool has_bias,
			    uint64_t bias, const struct elf_cache_entry *ce)
{
	struct object *o = realloc(L->objects, (L->n_objects + 1) * sizeof(*o));

	if (!o)
		return -1;
	L->objects = o;
	o = &L->objects[L->n_objects];
	memset(o, 0, sizeof(*o));
	o->path = v->name;
	o->deleted = v->deleted;
	o->dev_major = v->dev_major;
	o->dev_minor = v->dev_minor;
	o->inode = v->inode;
	o->kind = OBJECT_LIBRARY;
	o->has_bias = has_bias;
	o->load_bias = bias;
	o->low = v->start;
	o->high = v->end;
	if (ce && ce->ok) {
		o->elf_class = ce->ei.elf_class;
		o->attributed = true;
		if (ce->ei.warning[0] && !(o->warning = strdup(ce->ei.warning)))
			return -1;
	}
	return (ptrdiff_t)L->n_objects++;
}

/* Whether the part of VMA v from its address fa (a file address: vm_start less a
 * load bias) lies in the file-backed pages of segment s at the file offset the
 * segment has there. */
static bool placed(const struct elf_segment *s, uint64_t fa, uint64_t off, uint64_t page)
{
	uint64_t so = page_down(s->offset, page), sv = page_down(s->vaddr, page);

	return off >= so && fa >= sv && off - so == fa - sv &&
	       fa < page_up(s->vaddr + s->filesz, page);
}

/* How VMA v fits the PT_LOAD table at load bias bias. */
enum fit {
	FIT_NONE,	/* the table does not explain it (another mapping of the file) */
	FIT_OK,		/* in its segment(s), at their offsets, with their permissions */
	FIT_PERMS,	/* placed as the table says, but its permissions contradict the
			 * segment flags: the file changed since it was mapped */
};

/* Whether v is PROT_NONE (---p, ---s): a reservation, a hole or a guard. */
static bool prot_none(const struct vma *v)
{
	return !(v->perms & (VMA_PERM_READ | VMA_PERM_WRITE | VMA_PERM_EXEC));
}

static bool perms_agree(const struct elf_segment *s, const struct vma *v)
{
	if (prot_none(v))
		return true;	/* ---p: a reserved hole or a mprotect()ed piece */
	if (!(v->perms & VMA_PERM_EXEC) != !(s->flags & PF_X))
		return false;
	return !(v->perms & VMA_PERM_WRITE) || (s->flags & PF_W);
}

/* The fit of v at bias; *seg is the segment holding vm_start (FIT_OK, FIT_PERMS).
 * Both ends of v must be placed: the first page in the segment that holds it, the
 * last one in the same segment or (VMAs of neighbouring segments with the same
 * permissions merge) in the segment that holds that page. */
static enum fit vma_fit(const struct elf_info *ei, const struct vma *v, uint64_t bias,
			uint64_t page, const struct elf_segment **seg)
{
	if (v->start < bias || v->end - bias < v->start - bias)
		return FIT_NONE;
	uint64_t fa = v->start - bias, last = v->end - page - bias;
	const struct elf_segment *s = elf_info_segment_for_vaddr(ei, fa, page), *t = s;

	if (!s || !placed(s, fa, v->offset, page))
		return FIT_NONE;
	if (v->end - bias > page_up(s->vaddr + s->filesz, page)) {
		t = elf_info_segment_for_vaddr(ei, last, page);
		if (!t || !placed(t, last, v->offset + (last - fa), page))
			return FIT_NONE;
	}
	*seg = s;
	return perms_agree(s, v) && perms_agree(t, v) ? FIT_OK : FIT_PERMS;
}

/* The span of an instance: from its first segment's page to the page-rounded end
 * of its last segment's memory. */
static void instance_span(const struct elf_info *ei, uint64_t bias, uint64_t page,
			  uint64_t *lo, uint64_t *hi)
{
	const struct elf_segment *e = &ei->load[ei->n_load - 1];

	*lo = bias + ei->min_vaddr;
	*hi = bias + page_up(e->vaddr + e->memsz, page);
}

/* The role of a file-backed VMA inside ELF segment seg of an object loaded at bias. */
static enum role segment_role(const struct elf_info *ei, const struct elf_segment *seg,
			      const struct vma *v, uint64_t bias, uint64_t page)
{
	if (prot_none(v))
		return ROLE_RESERVED;
	if (seg->flags & PF_X)
		return ROLE_TEXT;
	if (ei->has_relro) {
		uint64_t rs = bias + ei->relro_vaddr;
		uint64_t re = page_down(rs + ei->relro_memsz, page);
		if (rs < re && v->start >= page_down(rs, page) && v->end <= page_up(rs + ei->relro_memsz, page) &&
		    v->start < re)
			return ROLE_RELRO;
	}
	if (seg->flags & PF_W)
		return ROLE_DATA;
	return ROLE_RODATA;
}

static enum role perms_role(const struct vma *v)
{
	if (prot_none(v))
		return ROLE_RESERVED;
	if (v->perms & VMA_PERM_EXEC)
		return ROLE_TEXT;
	if (v->perms & VMA_PERM_WRITE)
		return ROLE_DATA;
	return ROLE_RODATA;
}

static struct elf_cache_entry *elf_for_vma(struct layout *L, struct source *src,
					   struct elf_cache *cache, const struct vma *v)
{
	dev_t dev = makedev(v->dev_major, v->dev_minor);
	struct elf_cache_entry *ce = elf_cache_lookup(cache, dev, (ino_t)v->inode);

	if (ce)
		return ce;
	int fd = src->ops->open_elf(src->priv, L, v);
	if (fd < 0)
		return elf_cache_insert(cache, dev, (ino_t)v->inode, errno ? errno : EIO, NULL);
	ce = elf_cache_read(cache, dev, (ino_t)v->inode, fd);
	close(fd);
	return ce;
}

static bool same_file(const struct vma *a, const struct vma *b)
{
	return a->inode == b->inode && a->dev_major == b->dev_major &&
	       a->dev_minor == b->dev_minor;
}

/* Whether some VMA of v's file is executable (execs: the indexes of the executable
 * file-backed VMAs). */
static bool file_has_exec(const struct vma_list *l, const size_t *execs, size_t n_exec,
			  const struct vma *v)
{
	for (size_t j = 0; j < n_exec; j++)
		if (same_file(&l->v[execs[j]], v))
			return true;
	return false;
}

/* An object without ELF attribution for v's file (one per file): roles from the
 * permissions, and why in its warning. */
static ptrdiff_t heuristic_object(struct layout *L, const struct vma *v, const char *why)
{
	ptrdiff_t oi = find_object(L, v, false);

	if (oi >= 0)
		return oi;
	oi = add_object(L, v, false, 0, NULL);
	if (oi >= 0 && asprintf(&L->objects[oi].warning, "%s: roles from permissions", why) < 0) {
		L->objects[oi].warning = NULL;
		errno = ENOMEM;
		return -1;
	}
	return oi;
}

/* What attribute_files() knows of one file-backed VMA between its passes. */
enum file_state { FS_DONE, FS_ELF };

/* Give each file-backed VMA its object and role.
 *
 * Pass 1 sorts the VMAs: what is never ELF (shared memory, private /dev/zero,
 * hugetlb memory, shared mappings), the files read as ELF, the files that could
 * not be read.  Pass 2 makes the instances: an instance is anchored on the VMA
 * that maps its first PT_LOAD segment's first page and fits the table there
 * (which fixes the load bias).  Pass 3 gives every other VMA of an ELF file the
 * instance that explains it; what none explains is another mapping of the file
 * (V8 remapping its builtins, a symbolizer mapping the file whole): role file.
 * A VMA inside an instance's span that the table places but whose permissions
 * contradict the segment flags (the file changed since it was mapped) turns the
 * whole instance to roles from permissions, with a warning.  Returns 0, or -1
 * with errno ENOMEM (the roles are then incomplete: the caller gives up). */
static int attribute_files(struct layout *L, struct source *src, struct elf_cache *cache)
{
	struct vma_list *l = &L->vmas;
	uint64_t page = L->page_size;
	/* the file-backed executable VMAs (a few per object): which files have code */
	size_t n_exec = 0, *execs = malloc((l->n ? l->n : 1) * sizeof(*execs));
	struct elf_cache_entry **ces = calloc(l->n ? l->n : 1, sizeof(*ces));
	uint8_t *state = calloc(l->n ? l->n : 1, 1);
	bool *broken = NULL;
	size_t n_broken = 0;
	int rc = -1;

	if (!execs || !ces || !state)
		goto out;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].inode && (l->v[i].perms & VMA_PERM_EXEC))
			execs[n_exec++] = i;

	/* pass 1 */
	for (size_t i = 0; i < l->n; i++) {
		struct vma *v = &l->v[i];
		const char *name = vma_name(l, v);

		if (v->name_kind != VMA_NAME_PATH || v->inode == 0)
			continue;
		bool shared = v->perms & VMA_PERM_SHARED;
		if (!v->deleted && !shared && strcmp(name, "/dev/zero") == 0) {
			/* a private mapping of /dev/zero is anonymous memory (the kernel's
			 * mmap_zero() makes it so): never opened, never ELF */
			v->role = ROLE_ANON;
			continue;
		}
		if (is_anon_hugepage(v, name) ||
		    (shared && v->has_vmflags && (v->vmflags & VMF_BIT(VMF_HT)))) {
			/* MAP_HUGETLB memory (the kernel names it /anon_hugepage),
			 * shared hugetlbfs files: memory, not files */
			v->role = shared ? ROLE_SHM : ROLE_ANON;
			continue;
		}
		/* a memfd mapped privately and executable somewhere is a program
		 * run from it (fexecve()): read it as ELF like any file */
		bool memfd_exe = !shared && strncmp(name, "/memfd:", 7) == 0 &&
				 file_has_exec(l, execs, n_exec, v);
		if (!memfd_exe && (is_shm_path(name, v->deleted) || shared)) {
			v->role = is_shm_path(name, v->deleted) ? ROLE_SHM : ROLE_FILE;
			continue;
		}
		struct elf_cache_entry *ce = elf_for_vma(L, src, cache, v);
		if (!ce)
			goto out;	/* no memory for the cache's entry */
		ces[i] = ce;
		if (ce && ce->ok) {
			state[i] = FS_ELF;
			continue;
		}
		if (ce && ce->err == ENOEXEC) {
			/* read, and not used as ELF.  When it has an ELF header, say why
			 * (once per file: the warning is cleared once given). */
			if (ce->ei.elf_class && ce->ei.warning[0]) {
				layout_warn(L, "%s: not used as ELF: %s", name, ce->ei.warning);
				ce->ei.warning[0] = '\0';
			}
			v->role = ROLE_FILE;
			continue;
		}
		/* Could not be read: an object by heuristics when the file has an
		 * executable mapping, else a plain file. */
		if (!file_has_exec(l, execs, n_exec, v)) {
			v->role = ROLE_FILE;
			continue;
		}
		int e = ce ? ce->err : ENOMEM;
		char why[160];
		snprintf(why, sizeof(why), "ELF headers not read (%s)",
			 e == ESTALE ? "the file was replaced since it was mapped" : strerror(e));
		ptrdiff_t oi = heuristic_object(L, v, why);
		if (oi < 0)
			goto out;
		v->object = (int32_t)oi;
		v->role = perms_role(v);
	}

	/* pass 2: the anchors, in address order */
	for (size_t i = 0; i < l->n; i++) {
		struct vma *v = &l->v[i];
		if (state[i] != FS_ELF)
			continue;
		const struct elf_info *ei = &ces[i]->ei;
		const struct elf_segment *first = &ei->load[0], *seg;
		if (v->offset != page_down(first->offset, page) ||
		    v->start < page_down(first->vaddr, page))
			continue;
		uint64_t bias = v->start - page_down(first->vaddr, page);
		if (vma_fit(ei, v, bias, page, &seg) != FIT_OK || seg != first)
			continue;
		ptrdiff_t oi = add_object(L, v, true, bias, ces[i]);
		if (oi < 0)
			goto out;
		v->object = (int32_t)oi;
		v->role = segment_role(ei, seg, v, bias, page);
		state[i] = FS_DONE;
	}

	/* pass 3: the rest of each ELF file (the objects it adds by heuristics, past
	 * n_broken, are never broken: they have no segment flags to contradict) */
	n_broken = L->n_objects;
	broken = calloc(n_broken ? n_broken : 1, sizeof(*broken));
	if (!broken)
		goto out;
	for (size_t i = 0; i < l->n; i++) {
		struct vma *v = &l->v[i];
		if (state[i] != FS_ELF)
			continue;
		const struct elf_info *ei = &ces[i]->ei;
		ptrdiff_t found = -1, inside = -1;
		const struct elf_segment *seg = NULL;
		enum fit fit = FIT_NONE;
		for (size_t oi = 0; oi < L->n_objects && found < 0; oi++) {
			const struct object *o = &L->objects[oi];
			if (!o->has_bias || !o->attributed || o->inode != v->inode ||
			    o->dev_major != v->dev_major || o->dev_minor != v->dev_minor)
				continue;	/* not an instance of v's file */
			uint64_t lo, hi;
			instance_span(ei, o->load_bias, page, &lo, &hi);
			bool in = v->start >= lo && v->end <= hi;
			if (in)
				inside = (ptrdiff_t)oi;
			fit = vma_fit(ei, v, o->load_bias, page, &seg);
			if (fit != FIT_NONE)
				found = (ptrdiff_t)oi;
		}
		state[i] = FS_DONE;
		if (found >= 0) {
			const struct object *o = &L->objects[found];
			v->object = (int32_t)found;
			v->role = segment_role(ei, seg, v, o->load_bias, page);
			if (fit == FIT_PERMS)
				broken[found] = true;
			continue;
		}
		if (inside >= 0) {
			v->object = (int32_t)inside;
			if (prot_none(v)) {
				/* a hole between segments (-z max-page-size larger than
				 * the page: ld.so makes it PROT_NONE) */
				v->role = ROLE_RESERVED;
			} else {
				broken[inside] = true;
				v->role = perms_role(v);
			}
			continue;
		}
		bool anchored = find_object(L, v, true) >= 0;
		if (!anchored && file_has_exec(l, execs, n_exec, v)) {
			/* executable, and no mapping of the file fits its table */
			ptrdiff_t oi = heuristic_object(
				L, v, "the mappings do not match the ELF program headers "
				      "(the file changed since it was mapped?)");
			if (oi < 0)
				goto out;
			v->object = (int32_t)oi;
			v->role = perms_role(v);
			continue;
		}
		v->role = ROLE_FILE;	/* another mapping of the file: an alias */
	}

	/* the instances whose mappings contradict their segment flags */
	for (size_t oi = 0; oi < n_broken; oi++) {
		struct object *o = &L->objects[oi];
		if (!broken[oi])
			continue;
		o->attributed = false;
		free(o->warning);
		o->warning = strdup("the permissions of its mappings do not match the ELF "
				    "segment flags (the file changed since it was mapped?): "
				    "roles from permissions");
		if (!o->warning)
			goto out;
		for (size_t i = 0; i < l->n; i++)
			if (l->v[i].object == (int32_t)oi)
				l->v[i].role = (uint8_t)perms_role(&l->v[i]);
	}
	rc = 0;
out:
	if (rc < 0)
		errno = ENOMEM;
	free(broken);
	free(state);
	free(ces);
	free(execs);
	return rc;
}

/* Whether v is memory an object's bss can be: private, writable, anonymous. */
static bool bss_memory(const struct vma *v)
{
	return v->inode == 0 && v->object < 0 &&
	       (v->name_kind == VMA_NAME_NONE || v->name_kind == VMA_NAME_ANON) &&
	       !(v->perms & VMA_PERM_SHARED) && (v->perms & VMA_PERM_WRITE);
}

/* Mark each object's bss: the private writable anonymous VMAs inside the
 * page-rounded [bias + p_vaddr + p_filesz, bias + p_vaddr + p_memsz) of a segment.
 * ld.so and the kernel map all of that range anonymous at load time, so nothing
 * file-backed lies inside it; a range that holds a file-backed VMA is something
 * else (a p_memsz that is too large: a hostile or broken header) and gives no bss.
 * Pieces of a bss that the process unmapped or mprotect()ed stay bss where they are
 * writable; its ---p pieces get the roles of ---p memory (attribute_rest()).  A VMA
 * that the kernel merged across the end of the range (the bss and anonymous memory
 * mapped right above it) is anonymous memory with two parts: the bss up to the end
 * of the range (bss_pages, bss_object), and the rest (layout.h vma_part_figures()). */
/* The present and swapped pages of v's bss part, when the source can count them. */
static void measure_bss_part(struct source *src, struct vma *v, uint64_t page)
{
	uint64_t present, swapped, end = v->start + (uint64_t)v->bss_pages * page;

	v->bss_rss_pages = v->bss_swap_pages = UINT32_MAX;
	if (src->ops->count_pages &&
	    src->ops->count_pages(src->priv, v->start, end, page, &present, &swapped) == 0 &&
	    present < UINT32_MAX && swapped < UINT32_MAX) {
		v->bss_rss_pages = (uint32_t)present;
		v->bss_swap_pages = (uint32_t)swapped;
	}
}

static void attribute_bss(struct layout *L, struct elf_cache *cache, struct source *src)
{
	struct vma_list *l = &L->vmas;
	uint64_t page = L->page_size;

	for (size_t oi = 0; oi < L->n_objects; oi++) {
		struct object *o = &L->objects[oi];
		if (!o->attributed || !o->has_bias)
			continue;
		const struct elf_cache_entry *ce =
			elf_cache_lookup(cache, makedev(o->dev_major, o->dev_minor), (ino_t)o->inode);
		if (!ce || !ce->ok)
			continue;
		for (size_t s = 0; s < ce->ei.n_load; s++) {
			const struct elf_segment *seg = &ce->ei.load[s];
			if (seg->memsz <= seg->filesz || !(seg->flags & PF_W))
				continue;
			uint64_t bs = o->load_bias + seg->vaddr + seg->filesz;
			uint64_t be = o->load_bias + seg->vaddr + seg->memsz;
			if (bs < o->load_bias || be < bs)
				continue;	/* wrapped: a hostile header */
			bs = page_up(bs, page);
			be = page_up(be, page);
			size_t first = vma_list_lower_bound(l, bs), last = first;
			bool clean = true;
			for (; last < l->n && l->v[last].start < be && clean; last++)
				clean = l->v[last].inode == 0 &&
					(l->v[last].name_kind == VMA_NAME_NONE ||
					 l->v[last].name_kind == VMA_NAME_ANON);
			if (!clean)
				continue;
			for (size_t i = first; i < last; i++) {
				struct vma *v = &l->v[i];
				if (v->start < bs || !bss_memory(v))
					continue;
				if (v->end <= be) {
					v->object = (int32_t)oi;
					v->role = ROLE_BSS;
				} else if ((be - v->start) / page < UINT32_MAX) {
					/* merged with the memory above: two parts */
					v->bss_pages = (uint32_t)((be - v->start) / page);
					v->bss_object = (int32_t)oi;
					measure_bss_part(src, v, page);
				}
			}
		}
	}
}

static void attribute_rest(struct layout *L)
{
	struct vma_list *l = &L->vmas;

	for (size_t i = 0; i < l->n; i++) {
		struct vma *v = &l->v[i];
		if (v->object >= 0)
			continue;
		switch (v->name_kind) {
		case VMA_NAME_HEAP:
			v->role = ROLE_HEAP;
			continue;
		case VMA_NAME_STACK:
			v->role = ROLE_STACK;
			continue;
		case VMA_NAME_VDSO:
			v->role = ROLE_VDSO;
			continue;
		case VMA_NAME_VVAR:
		case VMA_NAME_VVAR_VCLOCK:
			v->role = ROLE_VVAR;
			continue;
		case VMA_NAME_VSYSCALL:
			v->role = ROLE_VSYSCALL;
			continue;
		case VMA_NAME_UPROBES:
			v->role = ROLE_OTHER;
			continue;
		case VMA_NAME_ANON_SHMEM:
			v->role = ROLE_SHM;
			continue;
		case VMA_NAME_PATH:
			if (v->inode != 0)
				continue;	/* done by attribute_files() */
			break;
		case VMA_NAME_OTHER:
			if (L->vmas.names[v->name] == '[') {
				v->role = ROLE_OTHER;
				continue;
			}
			break;
		default:
			break;
		}
		if (prot_none(v))
			v->role = v->end - v->start <= GUARD_MAX_PAGES * L->page_size
					  ? ROLE_GUARD : ROLE_RESERVED;
		else if (v->inode != 0)
			v->role = ROLE_FILE;
		else if (v->perms & VMA_PERM_EXEC)
			v->role = ROLE_JIT;
		else if (v->perms & VMA_PERM_SHARED)
			v->role = ROLE_SHM;
		else
			v->role = ROLE_ANON;
	}
}

/* Private anonymous memory that a malloc arena heap can be made of. */
static bool arena_memory(const struct vma *v)
{
	return v->inode == 0 && v->object < 0 && !(v->perms & (VMA_PERM_SHARED | VMA_PERM_EXEC)) &&
	       (v->name_kind == VMA_NAME_NONE || v->name_kind == VMA_NAME_ANON) &&
	       (v->role == ROLE_ANON || v->role == ROLE_GUARD || v->role == ROLE_RESERVED);
}

/* glibc's malloc arena heaps (malloc/arena.c new_heap()): each is mmap()ed
 * HEAP_MAX_SIZE bytes at a multiple of HEAP_MAX_SIZE, PROT_NONE, and made read-write
 * from its start as it grows: a rw head and a ---p reserve that end exactly
 * HEAP_MAX_SIZE above the start.  HEAP_MAX_SIZE is 2 * DEFAULT_MMAP_THRESHOLD_MAX:
 * 1 MiB in a 32-bit process, 64 MiB in a 64-bit one.  glibc 2.39 and later also
 * name them "[anon: glibc: malloc arena]" when the kernel allows names. */
static void attribute_arenas(struct layout *L)
{
	struct vma_list *l = &L->vmas;
	uint64_t hms = L->elf_class == 32 ? UINT64_C(1) << 20 : UINT64_C(64) << 20;

	for (size_t i = 0; i < l->n; i++) {
		struct vma *v = &l->v[i];
		if (!arena_memory(v))
			continue;
		if (v->name_kind == VMA_NAME_ANON &&
		    strcmp(vma_name(l, v), "[anon: glibc: malloc arena]") == 0) {
			v->role = ROLE_ARENA;
			continue;
		}
		if (v->start % hms != 0 || (v->perms & (VMA_PERM_READ | VMA_PERM_WRITE)) !=
						   (VMA_PERM_READ | VMA_PERM_WRITE))
			continue;
		/* the rw head, then the reserve, up to start + HEAP_MAX_SIZE */
		size_t j = i;
		bool reserve = false;
		while (j + 1 < l->n && l->v[j].end < v->start + hms &&
		       l->v[j + 1].start == l->v[j].end && arena_memory(&l->v[j + 1])) {
			uint32_t rw = l->v[j + 1].perms & (VMA_PERM_READ | VMA_PERM_WRITE);
			bool none = rw == 0;
			/* glibc makes the head read-write and the reserve PROT_NONE,
			 * nothing else: a read-only piece is not an arena's */
			if ((reserve && !none) || (!none && rw != (VMA_PERM_READ | VMA_PERM_WRITE)))
				break;
			reserve = none;
			j++;
		}
		if (l->v[j].end != v->start + hms)
			continue;
		for (size_t k = i; k <= j; k++)
			l->v[k].role = ROLE_ARENA;
		i = j;
	}
}

/* Whether VMA i has a guard right below it: an anonymous PROT_NONE mapping (role
 * guard or reserved, as attribute_rest() gave it) ending where it starts, as thread
 * libraries (glibc, musl, the JVM) put under a thread's stack. */
static bool guard_below(const struct layout *L, size_t i)
{
	const struct vma *v = &L->vmas.v[i], *u = v - 1;

	return i > 0 && u->end == v->start && u->object < 0 && u->inode == 0 &&
	       (u->role == ROLE_GUARD || u->role == ROLE_RESERVED);
}

/* Thread stacks: the anonymous VMA holding a thread's stack pointer, when a guard is
 * right below it.  Without one the stack pointer is in memory that is not a stack
 * mapping of its own (Go's goroutine and system stacks inside its heap arena, a
 * coroutine's stack in a heap block): that VMA keeps its role, and the thread's
 * stack pointer and VMA are still given (JSON "threads").  A source that shows no
 * PROT_NONE mapping at all (a core written by gdb's gcore, which marks them
 * readable) cannot show a guard: there no guard is asked for. */
static void attribute_threads(struct layout *L)
{
	bool guards_shown = false;

	for (size_t i = 0; i < L->vmas.n && !guards_shown; i++)
		guards_shown = prot_none(&L->vmas.v[i]);
	for (size_t t = 0; t < L->n_threads; t++) {
		struct thread_info *ti = &L->threads[t];
		if (!ti->has_sp) {
			L->thread_stacks_unknown = true;
			continue;
		}
		ti->vma = vma_list_find(&L->vmas, ti->sp);
		if (ti->vma < 0)
			continue;
		struct vma *v = &L->vmas.v[ti->vma];
		if ((v->role == ROLE_ANON || v->role == ROLE_JIT || v->role == ROLE_THREAD_STACK) &&
		    (!guards_shown || guard_below(L, (size_t)ti->vma))) {
			v->role = ROLE_THREAD_STACK;
			v->tid = ti->tid;
		}
	}
	/* a ---p VMA right below a stack is its guard, whatever its size */
	for (size_t i = 1; i < L->vmas.n; i++) {
		const struct vma *v = &L->vmas.v[i];
		if ((v->role == ROLE_STACK || v->role == ROLE_THREAD_STACK) && guard_below(L, i))
			L->vmas.v[i - 1].role = ROLE_GUARD;
	}
	if (L->thread_stacks_unknown && L->n_threads) {	/* none: the thread list's warning */
		size_t unknown = 0, running = 0, denied = 0;
		for (size_t t = 0; t < L->n_threads; t++) {
			const struct thread_info *ti = &L->threads[t];
			unknown += !ti->has_sp;
			running += !ti->has_sp && ti->sp_errno == EAGAIN;
			denied += !ti->has_sp && (ti->sp_errno == EACCES || ti->sp_errno == EPERM);
		}
		layout_warn(L, "thread stacks unknown for %zu of %zu threads (their stack pointers "
			 "could not be read from task/TID/syscall: %zu running, %zu permission "
			 "denied%s)", unknown, L->n_threads, running, denied,
			 denied ? ": it needs ptrace attach access" : "");
	}
}

static void set_object_kinds(struct layout *L)
{
	bool have_exe = L->has_exe_id;

	L->exe_object = -1;
	for (size_t i = 0; i < L->n_objects; i++) {
		struct object *o = &L->objects[i];
		bool is_exe = false;
		if (have_exe && L->exe_dev_major == o->dev_major && L->exe_dev_minor == o->dev_minor &&
		    L->exe_ino == o->inode)
			is_exe = true;
		else if (!have_exe && L->auxv.phdr.known && o->low <= L->auxv.phdr.v &&
			 L->auxv.phdr.v < o->high)
			is_exe = true;
		if (is_exe && L->exe_object < 0) {
			o->kind = OBJECT_EXECUTABLE;
			L->exe_object = (ptrdiff_t)i;
		} else if (L->auxv.base.known && L->auxv.base.v != 0 && o->low <= L->auxv.base.v &&
			   L->auxv.base.v < o->high) {
			o->kind = OBJECT_INTERPRETER;
		}
	}
}

int layout_attribute(struct layout *L, struct elf_cache *cache, struct source *src)
{
	if (attribute_files(L, src, cache) < 0)
		return -1;
	attribute_bss(L, cache, src);
	attribute_rest(L);
	attribute_arenas(L);
	attribute_threads(L);
	set_object_kinds(L);
	for (size_t i = 0; i < L->n_objects; i++)
		if (L->objects[i].warning)
			layout_warn(L, "%s: %s", layout_object_path(L, &L->objects[i]),
				 L->objects[i].warning);
	return 0;
}

enum layout_status layout_build(struct layout *L, struct source *src, struct elf_cache *cache,
				char *msg, size_t msglen)
{
	enum layout_status st;

	layout_init(L);
	msg[0] = '\0';
	st = src->ops->read(src->priv, L, cache, msg, msglen);
	if (st == LAYOUT_OK && layout_attribute(L, cache, src) < 0) {
		snprintf(msg, msglen, "%s", strerror(errno));
		st = LAYOUT_ERROR;
	}
	if (st == LAYOUT_OK && src->ops->finish)
		st = src->ops->finish(src->priv, L, cache);
	if (st != LAYOUT_OK) {
		int e = errno;
		layout_free(L);
		errno = e;
		return st;
	}
	layout_derive(L);
	return LAYOUT_OK;
}

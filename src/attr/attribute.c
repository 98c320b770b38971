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

static bool is_shm_path(const char *p, bool deleted)
{
	return (deleted && strcmp(p, "/dev/zero") == 0) || strncmp(p, "/SYSV", 5) == 0 ||
	       strncmp(p, "/dev/shm/", 9) == 0 || strncmp(p, "/memfd:", 7) == 0;
}

static ptrdiff_t find_object(struct layout *L, const struct vma *v, bool has_bias,
			     uint64_t bias)
{
	for (size_t i = L->n_objects; i-- > 0;) {
		struct object *o = &L->objects[i];
		if (o->inode == v->inode && o->dev_major == v->dev_major &&
		    o->dev_minor == v->dev_minor && o->has_bias == has_bias &&
		    (!has_bias || o->load_bias == bias))
			return (ptrdiff_t)i;
	}
	return -1;
}

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
		if (ce->ei.warning[0])
			o->warning = strdup(ce->ei.warning);
	}
	return (ptrdiff_t)L->n_objects++;
}

/* An object already seen, of the same file, that VMA v continues: v lies in one of its
 * segments at the file offset that segment has there.  Sets *seg.  Returns its index
 * or -1. */
static ptrdiff_t match_object(const struct layout *L, const struct elf_info *ei,
			      const struct vma *v, uint64_t page, const struct elf_segment **seg)
{
	for (size_t i = L->n_objects; i-- > 0;) {
		const struct object *o = &L->objects[i];
		if (o->inode != v->inode || o->dev_major != v->dev_major ||
		    o->dev_minor != v->dev_minor || !o->has_bias || v->start < o->load_bias)
			continue;
		uint64_t fa = v->start - o->load_bias;
		const struct elf_segment *s = elf_info_segment_for_vaddr(ei, fa, page);
		if (s && v->offset >= page_down(s->offset, page) &&
		    v->offset - page_down(s->offset, page) == fa - page_down(s->vaddr, page)) {
			*seg = s;
			return (ptrdiff_t)i;
		}
	}
	return -1;
}

/* The role of a file-backed VMA inside ELF segment seg of an object loaded at bias. */
static enum role segment_role(const struct elf_info *ei, const struct elf_segment *seg,
			      const struct vma *v, uint64_t bias, uint64_t page)
{
	if (!(v->perms & (VMA_PERM_READ | VMA_PERM_WRITE | VMA_PERM_EXEC)))
		return ROLE_GUARD;
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
	if (!(v->perms & (VMA_PERM_READ | VMA_PERM_WRITE | VMA_PERM_EXEC)))
		return ROLE_GUARD;
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

/* Give each file-backed VMA its object and role. */
static void attribute_files(struct layout *L, struct source *src, struct elf_cache *cache)
{
	struct vma_list *l = &L->vmas;
	uint64_t page = L->page_size;
	/* the file-backed executable VMAs (a few per object): which files have code,
	 * for the files whose ELF headers cannot be read */
	size_t n_exec = 0, *execs = malloc((l->n ? l->n : 1) * sizeof(*execs));

	if (!execs)
		return;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].inode && (l->v[i].perms & VMA_PERM_EXEC))
			execs[n_exec++] = i;

	for (size_t i = 0; i < l->n; i++) {
		struct vma *v = &l->v[i];
		const char *name = vma_name(l, v);

		if (v->name_kind != VMA_NAME_PATH || v->inode == 0)
			continue;
		if (!v->deleted && !(v->perms & VMA_PERM_SHARED) && strcmp(name, "/dev/zero") == 0) {
			/* a private mapping of /dev/zero is anonymous memory (the kernel's
			 * mmap_zero() makes it so): never opened, never ELF */
			v->role = ROLE_ANON;
			continue;
		}
		if (is_shm_path(name, v->deleted) || (v->perms & VMA_PERM_SHARED)) {
			v->role = ROLE_SHM;
			if (!is_shm_path(name, v->deleted))
				v->role = ROLE_FILE;
			continue;
		}
		struct elf_cache_entry *ce = elf_for_vma(L, src, cache, v);
		if (ce && ce->ok) {
			const struct elf_segment *seg = NULL;
			ptrdiff_t oi = match_object(L, &ce->ei, v, page, &seg);
			if (oi < 0) {
				/* the first VMA of a new mapping of the file */
				seg = elf_info_segment_for_offset(&ce->ei, v->offset, page);
				if (!seg || v->offset - page_down(seg->offset, page) >
						    UINT64_MAX - page_down(seg->vaddr, page)) {
					/* an ELF file mapped outside its segments */
					v->role = ROLE_FILE;
					continue;
				}
				uint64_t bias = v->start - (page_down(seg->vaddr, page) +
							    (v->offset - page_down(seg->offset, page)));
				oi = add_object(L, v, true, bias, ce);
			}
			if (oi < 0)
				continue;
			v->object = (int32_t)oi;
			v->role = segment_role(&ce->ei, seg, v, L->objects[oi].load_bias, page);
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
		bool exec = false;
		for (size_t j = 0; j < n_exec && !exec; j++)
			exec = l->v[execs[j]].inode == v->inode &&
			       l->v[execs[j]].dev_major == v->dev_major &&
			       l->v[execs[j]].dev_minor == v->dev_minor;
		if (!exec) {
			v->role = ROLE_FILE;
			continue;
		}
		ptrdiff_t oi = find_object(L, v, false, 0);
		if (oi < 0) {
			oi = add_object(L, v, false, 0, NULL);
			if (oi >= 0) {
				int e = ce ? ce->err : ENOMEM;
				if (asprintf(&L->objects[oi].warning,
					     "ELF headers not read (%s): roles from permissions",
					     e == ESTALE ? "the file was replaced since it was mapped"
							 : strerror(e)) < 0)
					L->objects[oi].warning = NULL;
			}
		}
		if (oi < 0)
			continue;
		v->object = (int32_t)oi;
		v->role = perms_role(v);
	}
	free(execs);
}

/* Mark the anonymous VMAs under each object's [p_vaddr+p_filesz, p_vaddr+p_memsz) as
 * its bss. */
static void attribute_bss(struct layout *L, struct elf_cache *cache)
{
	struct vma_list *l = &L->vmas;
	uint64_t page = L->page_size;

	for (size_t oi = 0; oi < L->n_objects; oi++) {
		struct object *o = &L->objects[oi];
		if (!o->attributed)
			continue;
		const struct elf_cache_entry *ce =
			elf_cache_lookup(cache, makedev(o->dev_major, o->dev_minor), (ino_t)o->inode);
		if (!ce || !ce->ok)
			continue;
		for (size_t s = 0; s < ce->ei.n_load; s++) {
			const struct elf_segment *seg = &ce->ei.load[s];
			if (seg->memsz <= seg->filesz)
				continue;
			uint64_t bs = o->load_bias + seg->vaddr + seg->filesz;
			uint64_t be = o->load_bias + seg->vaddr + seg->memsz;
			if (bs < o->load_bias || be < bs)
				continue;	/* wrapped: a hostile header */
			bs = page_up(bs, page);
			be = page_up(be, page);
			/* The bss is the run of anonymous VMAs that starts at bs without a
			 * gap and covers [bs, be): ld.so and the kernel map all of it right
			 * after the file pages (the kernel may merge it with a neighbour,
			 * which makes the run longer, never shorter).  A run that stops
			 * short is something else that happens to lie there, as after a
			 * p_memsz that is too large (a hostile or broken header). */
			uint64_t at = bs;
			size_t first = vma_list_lower_bound(l, bs), last = first;
			for (; last < l->n && l->v[last].start < be; last++) {
				const struct vma *v = &l->v[last];
				if (v->start > at || v->inode != 0 || v->object >= 0 ||
				    (v->name_kind != VMA_NAME_NONE && v->name_kind != VMA_NAME_ANON) ||
				    (v->perms & VMA_PERM_SHARED))
					break;
				at = v->end;
			}
			if (at < be)
				continue;
			for (size_t i = first; i < last; i++) {
				l->v[i].object = (int32_t)oi;
				l->v[i].role = ROLE_BSS;
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
		if (!(v->perms & (VMA_PERM_READ | VMA_PERM_WRITE | VMA_PERM_EXEC)))
			v->role = ROLE_GUARD;
		else if (v->inode != 0)
			v->role = ROLE_FILE;
		else if (v->perms & VMA_PERM_SHARED)
			v->role = ROLE_SHM;
		else
			v->role = ROLE_ANON;
	}
}

static void attribute_threads(struct layout *L)
{
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
		if (v->role == ROLE_ANON || v->role == ROLE_THREAD_STACK) {
			v->role = ROLE_THREAD_STACK;
			v->tid = ti->tid;
		}
	}
	if (L->thread_stacks_unknown) {
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

void layout_attribute(struct layout *L, struct elf_cache *cache, struct source *src)
{
	attribute_files(L, src, cache);
	attribute_bss(L, cache);
	attribute_rest(L);
	attribute_threads(L);
	set_object_kinds(L);
	for (size_t i = 0; i < L->n_objects; i++)
		if (L->objects[i].warning)
			layout_warn(L, "%s: %s", layout_object_path(L, &L->objects[i]),
				 L->objects[i].warning);
}

enum layout_status layout_build(struct layout *L, struct source *src, struct elf_cache *cache,
				char *msg, size_t msglen)
{
	enum layout_status st;

	layout_init(L);
	msg[0] = '\0';
	st = src->ops->read(src->priv, L, cache, msg, msglen);
	if (st == LAYOUT_OK) {
		layout_attribute(L, cache, src);
		if (src->ops->finish)
			st = src->ops->finish(src->priv, L, cache);
	}
	if (st != LAYOUT_OK) {
		int e = errno;
		layout_free(L);
		errno = e;
		return st;
	}
	layout_derive(L);
	return LAYOUT_OK;
}

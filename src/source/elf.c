/* elf.c - the layout an ELF file would have once loaded, as a source (see source.h)
 *
 * What fs/binfmt_elf.c load_elf_binary() does with each PT_LOAD (elf_map(),
 * padzero(), set_brk()): map [page_down(p_vaddr), page_up(p_vaddr + p_filesz)) of
 * the file from page_down(p_offset) with the segment's permissions (a later
 * segment's mapping replaces the pages it shares with an earlier one: MAP_FIXED),
 * zero the rest of the last file page, and map anonymous memory for
 * [page_up(p_vaddr + p_filesz), page_up(p_vaddr + p_memsz)).  The PT_GNU_RELRO part
 * is shown read-only, as the dynamic loader (or a static program's start-up code)
 * leaves it once relocated.  The interpreter, the stack, the heap and the vDSO are
 * not shown: their places are chosen at random at each exec.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "lib/array.h"
#include "elf/elfinfo.h"
#include "source/source.h"
#include "lib/util.h"

struct pending {
	uint64_t start, end, offset;
	uint32_t perms;
	bool file;
};

struct plist {
	struct pending *v;
	size_t n, cap;
};

/* Add a mapping; it replaces whatever part of earlier ones it covers (MAP_FIXED). */
static int plist_map(struct plist *p, struct pending m)
{
	if (m.start >= m.end)
		return 0;
	for (size_t i = 0; i < p->n; i++) {
		struct pending *o = &p->v[i];
		if (o->end <= m.start || o->start >= m.end)
			continue;
		if (o->start < m.start && o->end > m.end) {
			/* split o around m: keep the lower part here, the upper part later */
			struct pending hi = *o;
			if (hi.file)
				hi.offset += m.end - hi.start;
			hi.start = m.end;
			o->end = m.start;
			if (plist_map(p, hi) < 0)
				return -1;
			continue;
		}
		if (o->start < m.start) {
			o->end = m.start;
		} else if (o->end > m.end) {
			if (o->file)
				o->offset += m.end - o->start;
			o->start = m.end;
		} else {
			o->end = o->start;	/* covered: removed below */
		}
	}
	size_t k = 0;
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].start < p->v[i].end)
			p->v[k++] = p->v[i];
	p->n = k;
	if (ARRAY_GROW(p->v, p->cap, p->n, 16) < 0)
		return -1;
	p->v[p->n++] = m;
	return 0;
}

static int cmp_pending(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static uint32_t pf_perms(uint32_t f)
{
	return (f & PF_R ? VMA_PERM_READ : 0) | (f & PF_W ? VMA_PERM_WRITE : 0) |
	       (f & PF_X ? VMA_PERM_EXEC : 0);
}

/* After a libelf call that failed: a read or an allocation under it (errno set,
 * see elf_cause()) in *err; a file without that header is no error. */
static void libelf_failed(int *err)
{
	if (errno)
		*err = errno;
}

/* Append " " (unless *len is 0) and name to the string *buf (*len bytes, *cap
 * allocated).  0, or -1 with errno ENOMEM.  (Not open_memstream(): glibc's fclose()
 * of one whose last realloc() fails returns 0 with the text lost.) */
static int append_name(char **buf, size_t *len, size_t *cap, const char *name)
{
	size_t n = strlen(name), need = *len + (*len ? 1 : 0) + n + 1;

	if (need > *cap) {
		size_t c = need < 128 ? 128 : need * 2;
		char *nb = realloc(*buf, c);
		if (!nb)
			return -1;
		*buf = nb;
		*cap = c;
	}
	if (*len)
		(*buf)[(*len)++] = ' ';
	memcpy(*buf + *len, name, n + 1);
	*len += n;
	return 0;
}

/* The sections (SHF_ALLOC) inside [vaddr, vaddr + memsz) of the file, by name; NULL
 * when the list could not be made.  A section header or name that cannot be read
 * for another cause than the file's own (a read, an allocation) sets *err. */
static char *segment_sections(Elf *elf, uint64_t vaddr, uint64_t memsz, int *err)
{
	size_t shnum, shstrndx, len = 0, cap = 0;
	char *buf = NULL;

	errno = 0;
	if (elf && (elf_getshdrnum(elf, &shnum) != 0 || elf_getshdrstrndx(elf, &shstrndx) != 0)) {
		libelf_failed(err);
	} else if (elf) {
		for (size_t i = 1; i < shnum && i < 65536; i++) {
			errno = 0;
			Elf_Scn *scn = elf_getscn(elf, i);
			GElf_Shdr sh;
			if (!scn || !gelf_getshdr(scn, &sh)) {
				libelf_failed(err);
				continue;
			}
			if (!(sh.sh_flags & SHF_ALLOC))
				continue;
			if (sh.sh_addr < vaddr || sh.sh_addr - vaddr >= memsz ||
			    (sh.sh_size == 0 && sh.sh_addr == vaddr + memsz))
				continue;
			/* .tbss takes no address space of its own */
			if ((sh.sh_flags & SHF_TLS) && sh.sh_type == SHT_NOBITS)
				continue;
			errno = 0;
			const char *n = elf_strptr(elf, shstrndx, sh.sh_name);
			if (!n)
				libelf_failed(err);
			if (append_name(&buf, &len, &cap, n ? n : "?") < 0) {
				*err = ENOMEM;
				free(buf);
				return NULL;
			}
		}
	}
	if (!buf && !(buf = strdup("")))
		*err = ENOMEM;
	return buf;
}

struct elf_source {
	char *path;		/* as given */
	uint64_t base;		/* the load base asked for (ET_DYN) */
	uint64_t page_size;	/* 0: this machine's */
	/* what the warnings given after attribution need */
	bool exec_stack_warning;
	char *ei_warning;	/* elfinfo's warning about the file, or NULL */
	int headers_err;	/* errno of a program header, a section header or its
				   name, PT_INTERP's path, that could not be read; 0 */
	uint64_t min_vaddr;	/* the lowest p_vaddr of a PT_LOAD */
};

/* The file itself, when it is still the one read (the same inode). */
static int elf_open_elf(void *priv, const struct layout *L, const struct vma *v)
{
	struct stat st;

	(void)priv;
	int fd = sources_open_file(NULL, L->exe, &st);
	if (fd >= 0 && (uint64_t)st.st_ino != v->inode) {
		close(fd);
		errno = ESTALE;
		return -1;
	}
	return fd;
}

static enum layout_status elf_read(void *priv, struct layout *L, struct elf_cache *cache,
				   char *msg, size_t msglen)
{
	struct elf_source *es = priv;
	const char *path = es->path;
	uint64_t base = es->base, page_size = es->page_size;
	struct elf_info ei;
	struct stat st;
	struct plist pl = { 0 };
	Elf *elf = NULL;
	enum layout_status rc = LAYOUT_ERROR;
	int fd;

	(void)cache;
	memset(&ei, 0, sizeof(ei));
	if (!page_size)
		page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	if (page_size & (page_size - 1)) {
		snprintf(msg, msglen, "page size %" PRIu64 " is not a power of two", page_size);
		errno = EINVAL;
		return LAYOUT_ERROR;
	}
	/* a relative path: the VMAs are named by the absolute one, as the kernel
	 * names a mapped file (the attribution takes only such a name for a file) */
	char *abs = path[0] == '/' ? NULL : realpath(path, NULL);
	fd = path[0] == '/' || abs ? sources_open_file(NULL, abs ? abs : path, &st) : -1;
	if (fd < 0) {
		snprintf(msg, msglen, "%s: %s", path,
			 errno == EINVAL ? "not a regular file" : strerror(errno));
		free(abs);
		return LAYOUT_ERROR;
	}
	if (elf_info_read(fd, &ei) < 0) {
		int e = errno;
		snprintf(msg, msglen, "%s: %s", path, ei.warning[0] ? ei.warning : strerror(e));
		if (e == ENOEXEC && ei.type == ET_CORE)
			snprintf(msg, msglen, "%s: a core dump, not a program: read it as a core",
				 path);
		goto out;
	}
	if (ei.type != ET_EXEC && ei.type != ET_DYN) {
		snprintf(msg, msglen, "%s: ELF type %u is neither an executable (ET_EXEC) nor a "
			 "shared object or PIE (ET_DYN)%s", path, ei.type,
			 ei.type == ET_CORE ? ": a core dump, read it as a core" : "");
		errno = ENOEXEC;
		goto out;
	}
	if (ei.type == ET_EXEC)
		base = 0;
	if (base & (page_size - 1)) {
		snprintf(msg, msglen, "%s: base 0x%" PRIx64 " is not page aligned", path, base);
		errno = EINVAL;
		goto out;
	}
	struct layout_offline *off = layout_offline_get(L);
	if (!off || !(off->path = strdup(path)) ||
	    !(off->segments = calloc(ei.n_load, sizeof(*off->segments))))
		goto nomem;
	L->source = LAYOUT_SOURCE_ELF_FILE;
	L->figures_unknown = true;
	off->elf_type = ei.type;
	off->bias = base;
	off->entry = ei.entry + base;

	errno = 0;
	if (elf_version(EV_CURRENT) != EV_NONE && !(elf = elf_begin(fd, ELF_C_READ, NULL)))
		libelf_failed(&es->headers_err);
	/* the program headers elfinfo does not keep */
	size_t phnum = 0;
	errno = 0;
	if (elf && elf_getphdrnum(elf, &phnum) != 0)
		libelf_failed(&es->headers_err);
	else if (elf) {
		for (size_t i = 0; i < phnum && i < ELF_INFO_MAX_PHDRS; i++) {
			GElf_Phdr ph;
			errno = 0;
			if (!gelf_getphdr(elf, (int)i, &ph)) {
				libelf_failed(&es->headers_err);
				continue;
			}
			if (ph.p_type == PT_GNU_STACK) {
				off->has_gnu_stack = true;
				off->exec_stack = ph.p_flags & PF_X;
			} else if (ph.p_type == PT_TLS) {
				off->has_tls = true;
				off->tls_vaddr = ph.p_vaddr + base;
				off->tls_filesz = ph.p_filesz;
				off->tls_memsz = ph.p_memsz;
				off->tls_align = ph.p_align;
			} else if (ph.p_type == PT_INTERP && ph.p_filesz > 1 && ph.p_filesz < 4096 &&
				   ph.p_offset < (uint64_t)st.st_size &&
				   ph.p_filesz <= (uint64_t)st.st_size - ph.p_offset) {
				char *s = calloc(1, ph.p_filesz + 1);
				ssize_t r = s ? pread(fd, s, ph.p_filesz, (off_t)ph.p_offset) : -1;
				if (r == (ssize_t)ph.p_filesz) {
					free(off->interp);
					off->interp = s;
				} else {
					if (r < 0)	/* the allocation or the read */
						es->headers_err = errno;
					free(s);
				}
			}
		}
	}
	if (!off->has_gnu_stack)
		off->exec_stack = true;	/* the kernel's default without PT_GNU_STACK */

	uint64_t start_code = UINT64_MAX, end_code = 0, start_data = 0, end_data = 0, brk = 0;
	for (size_t i = 0; i < ei.n_load; i++) {
		const struct elf_segment *s = &ei.load[i];
		struct layout_segment *ls = &off->segments[off->n_segments++];
		uint64_t va = s->vaddr + base;

		ls->phdr_index = s->phdr_index;
		ls->flags = s->flags;
		ls->vaddr = va;
		ls->offset = s->offset;
		ls->filesz = s->filesz;
		ls->memsz = s->memsz;
		ls->align = s->align;
		ls->map_start = page_down(va, page_size);
		ls->map_end = s->filesz ? page_up(va + s->filesz, page_size) : ls->map_start;
		ls->bss_start = page_up(va + s->filesz, page_size);
		ls->bss_end = page_up(va + s->memsz, page_size);
		/* GCOVR_EXCL_START: p_memsz >= p_filesz (elfinfo drops the others) and
		 * page_up() is monotonic: it saturates at the last page */
		if (ls->bss_end < ls->bss_start)
			ls->bss_end = ls->bss_start;
		/* GCOVR_EXCL_STOP */
		ls->sections = segment_sections(elf, s->vaddr, s->memsz, &es->headers_err);
		if (ei.has_relro && ei.relro_vaddr >= s->vaddr &&
		    ei.relro_vaddr - s->vaddr < s->memsz) {
			ls->relro = true;
			ls->relro_start = page_down(ei.relro_vaddr + base, page_size);
			ls->relro_end = page_down(ei.relro_vaddr + base + ei.relro_memsz, page_size);
		}
		uint32_t perms = pf_perms(s->flags);
		if (ls->map_end > ls->map_start) {
			struct pending m = { ls->map_start, ls->map_end, page_down(s->offset, page_size),
					     perms, true };
			if (ls->relro && ls->relro_end > ls->relro_start &&
			    ls->relro_start >= m.start && ls->relro_end <= m.end) {
				/* ld.so's mprotect(PROT_READ) of the RELRO part */
				struct pending r = m;
				r.start = ls->relro_start;
				r.end = ls->relro_end;
				r.offset = m.offset + (r.start - m.start);
				r.perms = VMA_PERM_READ;
				if (plist_map(&pl, m) < 0 || plist_map(&pl, r) < 0)
					goto nomem;
			} else if (plist_map(&pl, m) < 0) {
				goto nomem;
			}
		}
		if (ls->bss_end > ls->bss_start) {
			struct pending b = { ls->bss_start, ls->bss_end, 0, perms, false };
			if (plist_map(&pl, b) < 0)
				goto nomem;
		}
		/* fs/binfmt_elf.c: start_code .. end_data and the brk */
		if ((s->flags & PF_X) && va < start_code)
			start_code = va;
		if (va > start_data)
			start_data = va;
		if ((s->flags & PF_X) && va + s->filesz > end_code)
			end_code = va + s->filesz;
		if (va + s->filesz > end_data)
			end_data = va + s->filesz;
		if (va + s->memsz > brk)
			brk = va + s->memsz;
	}
	if (pl.n)
		qsort(pl.v, pl.n, sizeof(*pl.v), cmp_pending);

	for (size_t i = 0; i < pl.n; i++) {
		const struct pending *m = &pl.v[i];
		if (!layout_add_vma(L, m->start, m->end, m->perms, m->file ? m->offset : 0,
				    m->file ? major(st.st_dev) : 0, m->file ? minor(st.st_dev) : 0,
				    m->file ? (uint64_t)st.st_ino : 0,
				    m->file ? (abs ? abs : path) : NULL, false)) {
			if (errno == ENOMEM)
				goto nomem;
			snprintf(msg, msglen, "%s: the segments give no usable mapping", path);
			errno = ENOEXEC;
			goto out;
		}
	}
	if (L->vmas.n == 0) {
		snprintf(msg, msglen, "%s: the segments give no usable mapping", path);
		errno = ENOEXEC;
		goto out;
	}

	L->page_size = page_size;
	L->exe = realpath(path, NULL);
	if (!L->exe)
		L->exe = strdup(path);
	L->has_exe_id = true;
	L->exe_dev_major = major(st.st_dev);
	L->exe_dev_minor = minor(st.st_dev);
	L->exe_ino = (uint64_t)st.st_ino;
	source_set_exe_elf(L, &ei);
	L->consistent = true;
	L->reads = 1;
	L->auxv.entry = (struct opt_addr){ off->entry, true };
	L->auxv.page_size = page_size;
	if (start_code != UINT64_MAX) {
		L->mm.start_code = (struct opt_addr){ start_code, true };
		L->mm.end_code = (struct opt_addr){ end_code, true };
	}
	L->mm.start_data = (struct opt_addr){ start_data, true };
	L->mm.end_data = (struct opt_addr){ end_data, true };
	if (ei.type != ET_DYN || ei.has_interp || ei.pie_flag) {
		/* an executable: the kernel's loader would start its brk there (a
		 * shared library, loaded by the dynamic linker, has none) */
		L->mm.start_brk = (struct opt_addr){ page_up(brk, page_size), true };
		L->mm.brk = L->mm.start_brk;
	}
	if (ei.machine == EM_X86_64 && ei.elf_class == 64)
		L->task_size = (struct opt_addr){ UINT64_C(0x7ffffffff000), true };
	else if ((ei.machine == EM_386 || ei.machine == EM_X86_64) && ei.elf_class == 32)
		L->task_size = (struct opt_addr){ UINT64_C(0xffffe000), true };

	if (ei.warning[0] && !(es->ei_warning = strdup(ei.warning)))
		goto nomem;
	es->exec_stack_warning = off->exec_stack;
	es->min_vaddr = ei.min_vaddr;
	rc = LAYOUT_OK;
	goto out;
nomem:
	snprintf(msg, msglen, "%s", strerror(ENOMEM));
	errno = ENOMEM;
out:;
	int e = errno;
	if (elf)
		elf_end(elf);
	elf_info_free(&ei);
	free(pl.v);
	free(abs);
	close(fd);
	errno = e;
	return rc;
}

/* The warnings, after the objects' own. */
static enum layout_status elf_finish(void *priv, struct layout *L, struct elf_cache *cache)
{
	struct elf_source *es = priv;
	const struct layout_offline *off = L->offline;

	(void)cache;
	if (es->ei_warning)
		layout_warn(L, "%s: %s", es->path, es->ei_warning);
	if (es->headers_err)
		layout_warn(L, "%s: program or section headers not all read: %s", es->path,
			    strerror(es->headers_err));
	if (es->exec_stack_warning)
		layout_warn(L, "%s: the stack would be executable (%s)", es->path,
			    off->has_gnu_stack ? "PT_GNU_STACK has PF_X"
					       : "no PT_GNU_STACK program header");
	if (off->interp)
		layout_warn(L, "the interpreter %s, the stack, the heap and the vDSO are not "
			    "shown: the kernel places them at random at each exec", off->interp);
	if (off->elf_type == ET_DYN && off->bias == 0 && es->min_vaddr == 0)
		layout_warn(L, "ET_DYN shown at base 0: the kernel loads it at a random base "
			    "(--base ADDR shows it there)");
	return LAYOUT_OK;
}

static void elf_close(void *priv)
{
	struct elf_source *es = priv;

	free(es->path);
	free(es->ei_warning);
	free(es);
}

static const struct source_ops elf_ops = {
	.read = elf_read,
	.open_elf = elf_open_elf,
	.finish = elf_finish,
	.close = elf_close,
};

int source_open_elf(struct source *src, const char *path, uint64_t base, uint64_t page_size)
{
	struct elf_source *es = calloc(1, sizeof(*es));

	src->ops = NULL;
	src->priv = NULL;
	if (!es || !(es->path = strdup(path))) {
		free(es);
		errno = ENOMEM;
		return -1;
	}
	es->base = base;
	es->page_size = page_size;
	src->ops = &elf_ops;
	src->priv = es;
	return 0;
}

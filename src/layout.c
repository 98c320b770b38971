/* layout.c - read a process and attribute its VMAs (see layout.h) */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "elfinfo.h"
#include "layout.h"
#include "snapshot.h"
#include "sources.h"

static const char *const role_names[ROLE_COUNT] = {
	[ROLE_TEXT] = "text", [ROLE_RODATA] = "rodata", [ROLE_RELRO] = "relro",
	[ROLE_DATA] = "data", [ROLE_BSS] = "bss", [ROLE_HEAP] = "heap",
	[ROLE_ANON] = "anon", [ROLE_SHM] = "shm", [ROLE_FILE] = "file",
	[ROLE_GUARD] = "guard", [ROLE_STACK] = "stack",
	[ROLE_THREAD_STACK] = "thread_stack", [ROLE_VDSO] = "vdso",
	[ROLE_VVAR] = "vvar", [ROLE_VSYSCALL] = "vsyscall", [ROLE_OTHER] = "other",
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

#define warn_add layout_warn

static inline uint64_t page_down(uint64_t a, uint64_t page)
{
	return a & ~(page - 1);
}

static inline uint64_t page_up(uint64_t a, uint64_t page)
{
	if (a > UINT64_MAX - (page - 1))
		return page_down(UINT64_MAX, page);
	return (a + page - 1) & ~(page - 1);
}

/* ------------------------------------------------------------------ reading */

/* Read smaps until it is consistent (bounded), or resolve it. */
static int read_smaps(struct layout *L, struct procfs *pf, char *msg, size_t msglen)
{
	enum { MAX_READS = 5 };
	struct smaps_error perr;

	for (L->reads = 1; L->reads <= MAX_READS; L->reads++) {
		int fd = procfs_open_file(pf, "smaps");
		if (fd < 0)
			return -1;
		vma_list_clear(&L->vmas);
		int rc = smaps_parse_fd(fd, &L->vmas, &perr);
		int e = errno;
		close(fd);
		if (rc < 0) {
			if (e == ENOEXEC)
				snprintf(msg, msglen, "smaps line %lu: %s", perr.line, perr.msg);
			errno = e;
			return -1;
		}
		if (vma_list_check_order(&L->vmas) == L->vmas.n) {
			L->consistent = true;
			return 0;
		}
	}
	L->reads = MAX_READS;
	/* Still inconsistent: keep the entries in address order and drop those that
	 * overlap an earlier one, and say so. */
	struct vma_list *l = &L->vmas;
	size_t kept = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (kept && l->v[i].start < l->v[kept - 1].end)
			continue;
		l->v[kept++] = l->v[i];
	}
	warn_add(L, "smaps changed while it was read (%d reads): %zu overlapping or "
		 "out-of-order VMAs left out", MAX_READS, l->n - kept);
	l->n = kept;
	l->n_extra = 0;
	L->consistent = false;
	return 0;
}

/* The kernel's own sums over all VMAs (/proc/PID/smaps_rollup, a second walk of
 * the page tables) into L->rollup; nothing when it cannot be read or parsed. */
static void read_rollup(struct layout *L, const struct procfs *pf)
{
	struct vma_list l;
	char *buf;
	size_t len;

	if (procfs_read_file(pf, "smaps_rollup", &buf, &len) < 0)
		return;
	vma_list_init(&l);
	if (smaps_parse_buf(buf, len, &l, NULL) == 0 && l.n == 1) {
		L->rollup = l.v[0];
		L->has_rollup = true;
	}
	vma_list_free(&l);
	free(buf);
}

static void read_auxv(struct layout *L, struct procfs *pf)
{
	char *buf;
	size_t len;

	if (procfs_read_file(pf, "auxv", &buf, &len) < 0)
		return;
	size_t w = L->elf_class == 32 ? 4 : 8;
	for (size_t off = 0; off + 2 * w <= len; off += 2 * w) {
		uint64_t type, val;
		if (w == 4) {
			uint32_t t32, v32;
			memcpy(&t32, buf + off, 4);
			memcpy(&v32, buf + off + 4, 4);
			type = t32;
			val = v32;
		} else {
			memcpy(&type, buf + off, 8);
			memcpy(&val, buf + off + 8, 8);
		}
		if (type == AT_NULL)
			break;
		struct opt_addr a = { val, true };
		switch (type) {
		case AT_PHDR:
			L->auxv.phdr = a;
			break;
		case AT_ENTRY:
			L->auxv.entry = a;
			break;
		case AT_BASE:
			L->auxv.base = a;
			break;
		case AT_SYSINFO_EHDR:
			L->auxv.sysinfo_ehdr = a;
			break;
		case AT_EXECFN:
			L->auxv.execfn = a;
			break;
		case AT_PAGESZ:
			L->auxv.page_size = val;
			break;
		}
	}
	free(buf);
}

/* Open the ELF headers of the file (dev, ino) that a snapshot recorded
 * (elf/MAJ:MIN:INO beside the other files, see layout_read_snapshot()). */
static int snapshot_open_elf(struct procfs *pf, uint32_t major, uint32_t minor, uint64_t ino)
{
	char name[80];

	snprintf(name, sizeof(name), "%02x:%02x:%" PRIu64, major, minor, ino);
	return snapshot_open_elf_file(pf->dirfd, name);
}

/* The executable's identity (dev:inode) and ELF header (class, machine, type):
 * /proc/PID/exe, or the snapshot's record of it. */
static void read_exe_header(struct layout *L, struct procfs *pf, struct elf_cache *cache)
{
	struct stat st;
	int fd;

	if (L->snapshot) {
		if (!L->has_exe_id)
			return;
		fd = snapshot_open_elf(pf, L->exe_dev_major, L->exe_dev_minor, L->exe_ino);
	} else {
		fd = openat(pf->dirfd, "exe", O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
			L->exe_dev_major = major(st.st_dev);
			L->exe_dev_minor = minor(st.st_dev);
			L->exe_ino = (uint64_t)st.st_ino;
			L->has_exe_id = true;
		} else if (fd >= 0) {
			close(fd);
			fd = -1;
		}
	}
	if (fd < 0)
		return;
	const struct elf_cache_entry *ce = elf_cache_read(
		cache, makedev(L->exe_dev_major, L->exe_dev_minor), (ino_t)L->exe_ino, fd);
	close(fd);
	if (ce && ce->ok) {
		L->elf_class = ce->ei.elf_class;
		L->machine = ce->ei.machine;
		L->exe_type = ce->ei.type;
		L->exe_has_interp = ce->ei.has_interp;
	}
}

static void read_threads(struct layout *L, struct procfs *pf)
{
	pid_t *tids;
	size_t n;

	if (procfs_list_tasks(pf, &tids, &n) < 0) {
		warn_add(L, "thread list: %s", strerror(errno));
		L->thread_stacks_unknown = true;
		return;
	}
	L->threads = calloc(n ? n : 1, sizeof(*L->threads));
	if (!L->threads) {
		free(tids);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct thread_info *t = &L->threads[L->n_threads];
		char name[48], *buf;
		size_t len;

		t->tid = tids[i];
		t->vma = -1;
		snprintf(name, sizeof(name), "task/%d/stat", (int)t->tid);
		if (procfs_read_file(pf, name, &buf, &len) < 0)
			continue;	/* the thread exited meanwhile */
		struct proc_stat ts;
		if (proc_stat_parse(buf, len, &ts) == 0)
			memcpy(t->comm, ts.comm, sizeof(t->comm));
		free(buf);
		if (procfs_thread_sp(pf, t->tid, &t->sp) == 0)
			t->has_sp = true;
		else if (errno == ESRCH)
			continue;
		else
			t->sp_errno = errno;
		L->n_threads++;
	}
	free(tids);
}

/* ------------------------------------------------------------------ attribution */

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

static struct elf_cache_entry *elf_for_vma(struct layout *L, const struct layout_elf_opener *op,
					   struct elf_cache *cache, const struct vma *v)
{
	dev_t dev = makedev(v->dev_major, v->dev_minor);
	struct elf_cache_entry *ce = elf_cache_lookup(cache, dev, (ino_t)v->inode);

	if (ce)
		return ce;
	int fd = op->open(op->ctx, L, v);
	if (fd < 0)
		return elf_cache_insert(cache, dev, (ino_t)v->inode, errno ? errno : EIO, NULL);
	ce = elf_cache_read(cache, dev, (ino_t)v->inode, fd);
	close(fd);
	return ce;
}

/* The openers of the two sources that read a /proc-like directory. */
static int proc_open_elf(void *ctx, const struct layout *L, const struct vma *v)
{
	struct procfs *pf = ctx;
	off_t size;

	if (L->snapshot)
		return snapshot_open_elf(pf, v->dev_major, v->dev_minor, v->inode);
	return procfs_open_mapped(pf, vma_name(&L->vmas, v), v->deleted, v->start, v->end,
				  v->dev_major, v->dev_minor, v->inode, &size);
}

/* Give each file-backed VMA its object and role. */
static void attribute_files(struct layout *L, const struct layout_elf_opener *op,
			    struct elf_cache *cache)
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
		struct elf_cache_entry *ce = elf_for_vma(L, op, cache, v);
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
				warn_add(L, "%s: not used as ELF: %s", name, ce->ei.warning);
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
		warn_add(L, "thread stacks unknown for %zu of %zu threads (their stack pointers "
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

static void roll_up(struct layout *L)
{
	struct vma_list *l = &L->vmas;
	uint64_t total = 0, data = 0, exec = 0, stack = 0;

	for (size_t i = 0; i < l->n; i++) {
		struct vma *v = &l->v[i];
		struct figures fv = vma_figures(v);	/* read once, added where it counts */
		v->region = (uint8_t)role_region(v->role);
		figures_add(&L->totals, &fv);
		figures_add(&L->regions[v->region], &fv);
		figures_add(&L->roles[v->role], &fv);
		if (v->object >= 0) {
			struct object *o = &L->objects[v->object];
			figures_add(&o->total, &fv);
			if (v->start < o->low)
				o->low = v->start;
			if (v->end > o->high)
				o->high = v->end;
			switch (v->role) {
			case ROLE_TEXT:
				figures_add(&o->part[PART_TEXT], &fv);
				break;
			case ROLE_RODATA:
				figures_add(&o->part[PART_RODATA], &fv);
				break;
			case ROLE_RELRO:
				figures_add(&o->part[PART_RELRO], &fv);
				break;
			case ROLE_DATA:
				figures_add(&o->part[PART_DATA], &fv);
				break;
			case ROLE_BSS:
				figures_add(&o->part[PART_BSS], &fv);
				break;
			default:
				break;
			}
		}
		/* mm/mmap.c vm_stat_account(); the gate VMA [vsyscall] is not in the mm */
		if (v->name_kind == VMA_NAME_VSYSCALL || !v->has_vmflags)
			continue;
		uint64_t f = v->vmflags, size = v->end - v->start;
		bool is_stack = f & (VMF_BIT(VMF_GD) | VMF_BIT(VMF_GU));
		total += size;
		if ((f & VMF_BIT(VMF_WR)) && !(f & VMF_BIT(VMF_SH)) && !is_stack)
			data += size;
		else if ((f & VMF_BIT(VMF_EX)) && !(f & VMF_BIT(VMF_WR)) && !is_stack)
			exec += size;
		else if (is_stack || (f & VMF_BIT(VMF_SS)))
			stack += size;
	}
	L->vmc[VMC_TOTAL].vmas = total;
	L->vmc[VMC_DATA].vmas = data;
	L->vmc[VMC_EXEC].vmas = exec;
	L->vmc[VMC_STACK].vmas = stack;
	if (L->has_kc) {
		struct proc_counters *k = &L->kc;
		L->vmc[VMC_TOTAL].kernel = k->vm_size;
		L->vmc[VMC_DATA].kernel = k->vm_data;
		L->vmc[VMC_EXEC].kernel = k->vm_exe + k->vm_lib;
		L->vmc[VMC_STACK].kernel = k->vm_stk;
		for (int i = 0; i < VMC_COUNT; i++)
			L->vmc[i].kernel_known = l->has_figures;
	}
}

static void set_mm(struct layout *L)
{
	struct proc_stat *s = &L->stat;
	struct mm_bounds *m = &L->mm;

	if (s->start_code != 1 || s->end_code != 1) {
		m->start_code = (struct opt_addr){ s->start_code, true };
		m->end_code = (struct opt_addr){ s->end_code, true };
		m->start_stack = (struct opt_addr){ s->start_stack, true };
	}
	if (s->has_mm_fields) {
		m->start_data = (struct opt_addr){ s->start_data, true };
		m->end_data = (struct opt_addr){ s->end_data, true };
		m->start_brk = (struct opt_addr){ s->start_brk, true };
		m->arg_start = (struct opt_addr){ s->arg_start, true };
		m->arg_end = (struct opt_addr){ s->arg_end, true };
		m->env_start = (struct opt_addr){ s->env_start, true };
		m->env_end = (struct opt_addr){ s->env_end, true };
	}
	/* brk: the end of [heap]; with no heap yet, brk == start_brk */
	for (size_t i = 0; i < L->vmas.n; i++)
		if (L->vmas.v[i].name_kind == VMA_NAME_HEAP) {
			m->brk = (struct opt_addr){ L->vmas.v[i].end, true };
			break;
		}
	if (!m->brk.known && m->start_brk.known)
		m->brk = m->start_brk;
}

static void set_task_size(struct layout *L, struct procfs *pf)
{
	if (L->machine != EM_X86_64 && L->machine != EM_386)
		return;
	if (L->elf_class == 64) {
		uint64_t ts = UINT64_C(0x7ffffffff000);
		for (size_t i = 0; i < L->vmas.n; i++)
			if (L->vmas.v[i].name_kind != VMA_NAME_VSYSCALL && L->vmas.v[i].end > ts)
				ts = UINT64_C(0xfffffffffff000);	/* 5-level paging */
		L->task_size = (struct opt_addr){ ts, true };
	} else if (L->elf_class == 32) {
		char *buf;
		size_t len;
		if (procfs_read_file(pf, "personality", &buf, &len) == 0) {
			unsigned long pers = strtoul(buf, NULL, 16);
			free(buf);
			L->task_size = (struct opt_addr){ (pers & 0x8000000) ? 0xc0000000 : 0xffffe000,
							  true };
		}
	}
}

/* ------------------------------------------------------------------ entry points */

/* Everything after smaps and the identity: the same for a live process and a
 * snapshot. */
static enum layout_status read_rest(struct layout *L, struct procfs *pf, bool rollup,
				    char *msg, size_t msglen)
{
	struct elf_cache *cache = elf_cache_new();

	if (!cache) {
		snprintf(msg, msglen, "%s", strerror(ENOMEM));
		return LAYOUT_ERROR;
	}
	L->exe = procfs_readlink(pf, "exe");
	if (!L->exe && L->snapshot && errno == EINVAL) {
		/* a snapshot keeps the path as the bytes of a file "exe" */
		char *buf;
		size_t len;
		if (procfs_read_file(pf, "exe", &buf, &len) == 0) {
			if (memchr(buf, '\0', len) || len == 0)
				free(buf);
			else
				L->exe = buf;
		}
	}
	read_exe_header(L, pf, cache);
	if (!L->elf_class)
		L->elf_class = sizeof(void *) == 8 ? 64 : 32;
	read_auxv(L, pf);
	if (rollup)
		read_rollup(L, pf);
	if (!L->page_size)
		L->page_size = L->auxv.page_size ? L->auxv.page_size
						 : (uint64_t)sysconf(_SC_PAGESIZE);
	set_mm(L);
	set_task_size(L, pf);
	read_threads(L, pf);

	struct layout_elf_opener op = { proc_open_elf, pf };
	layout_attribute(L, cache, &op);
	elf_cache_free(cache);
	return LAYOUT_OK;
}

void layout_attribute(struct layout *L, struct elf_cache *cache,
		      const struct layout_elf_opener *op)
{
	attribute_files(L, op, cache);
	attribute_bss(L, cache);
	attribute_rest(L);
	attribute_threads(L);
	set_object_kinds(L);
	roll_up(L);
	for (size_t i = 0; i < L->n_objects; i++)
		if (L->objects[i].warning)
			warn_add(L, "%s: %s", layout_object_path(L, &L->objects[i]),
				 L->objects[i].warning);
}

/* The kernel's counters and the uid from the text of a status file, for snapshots
 * (a live process's come from libproc2).  Counters in bytes. */
static void parse_status(const char *buf, struct proc_counters *c, uid_t *euid, int *threads)
{
	static const struct {
		const char *key;
		size_t off;
	} k[] = {
		{ "VmSize", offsetof(struct proc_counters, vm_size) },
		{ "VmRSS", offsetof(struct proc_counters, vm_rss) },
		{ "VmData", offsetof(struct proc_counters, vm_data) },
		{ "VmStk", offsetof(struct proc_counters, vm_stk) },
		{ "VmExe", offsetof(struct proc_counters, vm_exe) },
		{ "VmLib", offsetof(struct proc_counters, vm_lib) },
		{ "VmSwap", offsetof(struct proc_counters, vm_swap) },
		{ "RssAnon", offsetof(struct proc_counters, rss_anon) },
		{ "RssFile", offsetof(struct proc_counters, rss_file) },
		{ "RssShmem", offsetof(struct proc_counters, rss_shmem) },
	};
	uint64_t unknown = PROC_COUNTER_UNKNOWN;

	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		memcpy((char *)c + k[i].off, &unknown, sizeof(unknown));
	for (const char *line = buf; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		const char *colon = strchr(line, ':');
		const char *nl = strchr(line, '\n');
		if (!colon || (nl && colon > nl))
			continue;
		size_t klen = (size_t)(colon - line);
		if (klen == 3 && memcmp(line, "Uid", 3) == 0) {
			unsigned long r, e;
			if (sscanf(colon + 1, "%lu %lu", &r, &e) == 2)
				*euid = (uid_t)e;
			continue;
		}
		if (klen == 7 && memcmp(line, "Threads", 7) == 0) {
			*threads = atoi(colon + 1);
			continue;
		}
		for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
			unsigned long long v;
			if (strlen(k[i].key) == klen && memcmp(line, k[i].key, klen) == 0 &&
			    sscanf(colon + 1, " %llu kB", &v) == 1) {
				uint64_t b = (uint64_t)v * 1024;
				memcpy((char *)c + k[i].off, &b, sizeof(b));
			}
		}
	}
}

/* "key value" lines of the snapshot's description (the file "snapshot"). */
static int read_snapshot_info(struct layout *L, struct procfs *pf, char **user, char *msg,
			      size_t msglen)
{
	char *buf;
	size_t len;

	if (procfs_read_file(pf, "snapshot", &buf, &len) < 0) {
		snprintf(msg, msglen, "not a vmlayout snapshot (no file 'snapshot'): %s",
			 strerror(errno));
		return -1;
	}
	int version = 0;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char *sp = strchr(line, ' ');
		if (!sp)
			continue;
		*sp++ = '\0';
		if (strcmp(line, "vmlayout-snapshot") == 0)
			version = atoi(sp);
		else if (strcmp(line, "pid") == 0)
			L->pid = (pid_t)atoi(sp);
		else if (strcmp(line, "user") == 0) {
			free(*user);	/* a repeated line: the last one counts */
			*user = strdup(sp);
		}
		else if (strcmp(line, "page-size") == 0)
			L->page_size = strtoull(sp, NULL, 10);
		else if (strcmp(line, "exe") == 0) {
			unsigned maj, min;
			unsigned long long ino;
			if (sscanf(sp, "%x:%x:%llu", &maj, &min, &ino) == 3) {
				L->exe_dev_major = maj;
				L->exe_dev_minor = min;
				L->exe_ino = ino;
				L->has_exe_id = true;
			}
		}
	}
	free(buf);
	if (version != 1) {
		snprintf(msg, msglen, "not a vmlayout snapshot of version 1");
		return -1;
	}
	return 0;
}

enum layout_status layout_read_snapshot(struct layout *L, const char *dir, char *msg,
					size_t msglen)
{
	struct procfs pf;
	char *buf, *user = NULL;
	size_t len;
	enum layout_status st = LAYOUT_ERROR;

	memset(L, 0, sizeof(*L));
	L->exe_object = -1;
	L->snapshot = true;
	vma_list_init(&L->vmas);
	msg[0] = '\0';
	pf.pid = 0;
	pf.dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pf.dirfd < 0) {
		snprintf(msg, msglen, "%s: %s", dir, strerror(errno));
		return LAYOUT_ERROR;
	}
	if (read_snapshot_info(L, &pf, &user, msg, msglen) < 0)
		goto out;
	pf.pid = L->pid;
	if (procfs_read_file(&pf, "stat", &buf, &len) < 0 ||
	    (proc_stat_parse(buf, len, &L->stat) < 0 && (free(buf), buf = NULL, true))) {
		snprintf(msg, msglen, "%s: stat missing or not understood", dir);
		goto out;
	}
	free(buf);
	if (read_smaps(L, &pf, msg, msglen) < 0) {
		if (!msg[0])
			snprintf(msg, msglen, "smaps: %s", strerror(errno));
		goto out;
	}
	if (L->vmas.n == 0) {
		snprintf(msg, msglen, "%s: smaps holds no VMA", dir);
		goto out;
	}
	/* identity and counters from the recorded files */
	struct proc_identity *id = &L->id;
	id->pid = id->tgid = L->pid;
	id->ppid = L->stat.ppid;
	id->state = L->stat.state;
	id->start_time = L->stat.start_time;
	id->euser = user;
	user = NULL;
	if (procfs_read_file(&pf, "comm", &buf, &len) == 0) {
		if (len && buf[len - 1] == '\n')
			buf[len - 1] = '\0';
		id->comm = buf;
	} else {
		id->comm = strdup(L->stat.comm);
	}
	if (procfs_read_file(&pf, "cmdline", &buf, &len) == 0) {
		size_t n = 0;
		for (size_t i = 0; i < len; i++)
			n += buf[i] == '\0';
		if (len && buf[len - 1] != '\0')
			n++;
		id->cmdline = calloc(n + 1, sizeof(*id->cmdline));
		if (id->cmdline) {
			for (size_t i = 0, a = 0; i < len && a < n; a++) {
				id->cmdline[a] = strndup(buf + i, len - i);
				i += strnlen(buf + i, len - i) + 1;
				id->cmdline_n = a + 1;
			}
		}
		free(buf);
	}
	if (procfs_read_file(&pf, "status", &buf, &len) == 0) {
		parse_status(buf, &L->kc, &id->euid, &id->threads);
		L->has_kc = true;
		free(buf);
	}
	L->has_id = true;
	st = read_rest(L, &pf, true, msg, msglen);
out:
	free(user);
	procfs_close(&pf);
	if (st != LAYOUT_OK)
		layout_free(L);
	return st;
}

enum layout_status layout_read_pid(struct layout *L, pid_t pid, char *msg, size_t msglen)
{
	return layout_read_pid_flags(L, pid, LAYOUT_READ_ROLLUP, msg, msglen);
}

enum layout_status layout_read_pid_flags(struct layout *L, pid_t pid, unsigned flags, char *msg,
					 size_t msglen)
{
	struct procfs pf;
	enum layout_status st = LAYOUT_ERROR;
	char *buf;
	size_t len;

	memset(L, 0, sizeof(*L));
	L->pid = pid;
	L->exe_object = -1;
	vma_list_init(&L->vmas);
	msg[0] = '\0';

	if (procfs_open(&pf, pid) < 0)
		return errno == ESRCH ? LAYOUT_NO_PROCESS : LAYOUT_ERROR;
	if (procfs_read_file(&pf, "stat", &buf, &len) < 0) {
		st = errno == ESRCH ? LAYOUT_EXITED : LAYOUT_ERROR;
		snprintf(msg, msglen, "stat: %s", strerror(errno));
		goto out;
	}
	if (proc_stat_parse(buf, len, &L->stat) < 0) {
		free(buf);
		snprintf(msg, msglen, "stat: not understood");
		goto out;
	}
	free(buf);
	if (L->stat.flags & PROC_PF_KTHREAD) {
		st = LAYOUT_KERNEL_THREAD;
		goto out;
	}
	if (L->stat.state == 'Z' || L->stat.state == 'X') {
		st = LAYOUT_EXITED;
		goto out;
	}
	if (read_smaps(L, &pf, msg, msglen) < 0) {
		if (errno == EACCES || errno == EPERM)
			st = LAYOUT_PERMISSION;
		else if (errno == ESRCH)
			st = LAYOUT_EXITED;
		else if (!msg[0])
			snprintf(msg, msglen, "smaps: %s", strerror(errno));
		goto out;
	}
	if (L->vmas.n == 0) {
		/* No mm: exited (or exiting) since stat was read. */
		st = LAYOUT_EXITED;
		goto out;
	}
	if (procinfo_read(pid, &L->id, &L->kc) == 0) {
		L->has_id = true;
		L->has_kc = true;
		if (L->id.start_time != L->stat.start_time) {
			st = LAYOUT_EXITED;	/* the PID was reused */
			goto out;
		}
	} else if (errno == ESRCH) {
		st = LAYOUT_EXITED;
		goto out;
	}

	st = read_rest(L, &pf, flags & LAYOUT_READ_ROLLUP, msg, msglen);
	if (st != LAYOUT_OK)
		goto out;

	/* A last look: if the process is gone now, the report may be half made. */
	if (faccessat(pf.dirfd, "stat", R_OK, 0) < 0 && errno == ENOENT) {
		st = LAYOUT_EXITED;
		goto out;
	}
	st = LAYOUT_OK;
out:
	procfs_close(&pf);
	if (st != LAYOUT_OK)
		layout_free(L);
	return st;
}

void layout_free(struct layout *L)
{
	layout_offline_free(L);
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
	L->objects = NULL;
	L->n_objects = 0;
	L->threads = NULL;
	L->warnings = NULL;
	L->n_warnings = 0;
	L->exe = NULL;
	L->has_id = false;
}

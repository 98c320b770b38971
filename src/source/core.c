/* core.c - an ELF core dump as a source (see source.h)
 *
 * The VMAs are the union of the PT_LOAD headers (the kernel writes one per VMA,
 * p_filesz 0 for what it did not dump; gdb's gcore leaves out what it does not
 * dump) and the NT_FILE entries (start, end, page offset and path of every file
 * mapping).  A core names no anonymous mapping: [vdso] is found from AT_SYSINFO_EHDR,
 * [stack] as the VMA holding AT_EXECFN (or the main thread's stack pointer),
 * [vsyscall] by its fixed address on x86-64, and [heap] as the first anonymous
 * read-write VMA above the executable that is not its bss (brk randomisation leaves
 * a gap).  A file mapping that was not dumped has the permissions of the ELF
 * segment it maps when the file is found, else r--p.
 *
 * Over 800 lines (about 850), on purpose: reading the notes, rebuilding the VMAs
 * and inferring what a core does not name are one pass over the one core file.
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
#include "lib/util.h"
#include "source/source.h"

#define MAX_NOTES_BYTES (64u << 20)
#define MAX_ENTRIES 1000000

struct cvma {
	uint64_t start, end, offset, dumped;
	uint32_t perms;
	bool perms_known;
	int file;		/* index into files, or -1 */
	const char *special;	/* "[heap]", "[stack]", ... or NULL */
};

struct cfile {
	char *path;		/* as in NT_FILE (may end in " (deleted)") */
	bool matched;		/* the local file passed the checks */
	bool checked;
	uint32_t dev_major, dev_minor;
	uint64_t ino;		/* local file's, or a number standing for the path */
	struct elf_info ei;
	bool has_ei;
};

struct core {
	const char *path, *sysroot;
	int fd;
	uint64_t fsize;
	Elf *elf;
	int cls;		/* 32 or 64 */
	uint16_t machine;
	struct cvma *v;
	size_t n, cap;
	struct cfile *files;
	size_t n_files;
	uint64_t page;
	/* notes */
	unsigned char *auxv;
	size_t auxv_len;
	bool has_psinfo;
	char fname[17], psargs[81], state;
	int32_t pid, ppid;
	uint32_t uid;
	struct thread_info *threads;
	size_t n_threads;
	int signal;
};

static uint64_t rd(const unsigned char *p, int width)
{
	if (width == 4) {
		uint32_t x;
		memcpy(&x, p, 4);
		return x;
	}
	uint64_t x;
	memcpy(&x, p, 8);
	return x;
}

static int push(struct core *c, struct cvma v)
{
	if (ARRAY_GROW(c->v, c->cap, c->n, 64) < 0)
		return -1;
	c->v[c->n++] = v;
	return 0;
}

static int file_index(struct core *c, const char *path)
{
	for (size_t i = 0; i < c->n_files; i++)
		if (strcmp(c->files[i].path, path) == 0)
			return (int)i;
	struct cfile *nf = realloc(c->files, (c->n_files + 1) * sizeof(*nf));
	if (!nf)
		return -1;
	c->files = nf;
	memset(&nf[c->n_files], 0, sizeof(*nf));
	nf[c->n_files].path = strdup(path);
	if (!nf[c->n_files].path)
		return -1;
	nf[c->n_files].ino = c->n_files + 1;
	return (int)c->n_files++;
}

/* NT_FILE: count, page size, count * (start, end, page offset), the names.  Returns
 * 0, or -1 with errno: ENOEXEC (malformed), ENOMEM. */
static int note_file(struct core *c, const unsigned char *d, size_t len)
{
	int w = c->cls / 8;
	if (len < 2 * (size_t)w)
		goto bad;
	uint64_t count = rd(d, w), ps = rd(d + w, w);
	if (count > MAX_ENTRIES || count * 3 * (uint64_t)w > len - 2 * (size_t)w)
		goto bad;
	const unsigned char *e = d + 2 * w;
	const char *names = (const char *)e + count * 3 * (uint64_t)w;
	const char *lim = (const char *)d + len;
	for (uint64_t i = 0; i < count; i++) {
		const char *nul = memchr(names, '\0', (size_t)(lim - names));
		if (!nul)
			goto bad;
		uint64_t s = rd(e + i * 3 * w, w), en = rd(e + i * 3 * w + w, w),
			 pg = rd(e + i * 3 * w + 2 * w, w);
		if (s >= en || (ps && pg > UINT64_MAX / ps))
			goto bad;
		int fi = file_index(c, names);
		if (fi < 0)
			return -1;
		struct cvma v = { s, en, pg * (ps ? ps : 1), 0, VMA_PERM_READ, false, fi, NULL };
		if (push(c, v) < 0)
			return -1;
		names = nul + 1;
	}
	return 0;
bad:
	errno = ENOEXEC;
	return -1;
}

/* NT_PRSTATUS: one thread.  Returns 0 (a note of another machine, or too short:
 * left out), or -1 with errno ENOMEM. */
static int note_prstatus(struct core *c, const unsigned char *d, size_t len)
{
	/* struct elf_prstatus: x86-64: pr_cursig at 12, pr_pid at 32, pr_reg at 112
	 * (user_regs_struct: rsp is the 20th of 27 8-byte registers); i386:
	 * pr_pid at 24, pr_reg at 72 (esp is the 16th of 17 4-byte registers). */
	size_t pid_off, sp_off, need;
	int w;
	if (c->cls == 64 && c->machine == EM_X86_64) {
		pid_off = 32, sp_off = 112 + 19 * 8, need = 336, w = 8;
	} else if (c->cls == 32 && (c->machine == EM_386 || c->machine == EM_X86_64)) {
		pid_off = 24, sp_off = 72 + 15 * 4, need = 144, w = 4;
	} else {
		return 0;
	}
	if (len < need)
		return 0;
	struct thread_info *t = realloc(c->threads, (c->n_threads + 1) * sizeof(*t));
	if (!t)
		return -1;
	c->threads = t;
	t = &c->threads[c->n_threads++];
	memset(t, 0, sizeof(*t));
	int32_t pid;
	int16_t sig;
	memcpy(&pid, d + pid_off, 4);
	memcpy(&sig, d + 12, 2);
	t->tid = pid;
	t->sp = rd(d + sp_off, w);
	t->has_sp = true;
	t->vma = -1;
	if (!c->signal)
		c->signal = sig;
	return 0;
}

static void note_prpsinfo(struct core *c, const unsigned char *d, size_t len)
{
	/* struct elf_prpsinfo: x86-64 pr_uid at 16 (4 bytes), pr_pid 24, pr_ppid 28,
	 * pr_fname[16] at 40, pr_psargs[80] at 56; i386: pr_uid at 8 (2 bytes),
	 * pr_pid 12, pr_ppid 16, pr_fname at 28, pr_psargs at 44. */
	size_t uid_off, pid_off, fname_off, args_off;
	if (c->cls == 64)
		uid_off = 16, pid_off = 24, fname_off = 40, args_off = 56;
	else
		uid_off = 8, pid_off = 12, fname_off = 28, args_off = 44;
	if (len < args_off + 80)
		return;
	c->has_psinfo = true;
	c->state = (char)d[1];
	if (c->cls == 64) {
		memcpy(&c->uid, d + uid_off, 4);
	} else {
		uint16_t u;
		memcpy(&u, d + uid_off, 2);
		c->uid = u;
	}
	memcpy(&c->pid, d + pid_off, 4);
	memcpy(&c->ppid, d + pid_off + 4, 4);
	memcpy(c->fname, d + fname_off, 16);
	c->fname[16] = '\0';
	memcpy(c->psargs, d + args_off, 80);
	c->psargs[80] = '\0';
}

static int read_notes(struct core *c, const GElf_Phdr *ph, char *msg, size_t msglen)
{
	if (ph->p_offset > c->fsize || ph->p_filesz > c->fsize - ph->p_offset) {
		snprintf(msg, msglen, "%s: cut short: its notes end beyond the end of the file "
			 "(%" PRIu64 " bytes)", c->path, c->fsize);
		return -1;
	}
	if (ph->p_filesz > MAX_NOTES_BYTES)
		return 0;
	errno = 0;
	Elf_Data *data = elf_getdata_rawchunk(c->elf, (int64_t)ph->p_offset, ph->p_filesz,
					      ELF_T_NHDR);
	if (!data && errno) {	/* libelf's read or allocation failed */
		char cause[256];
		snprintf(msg, msglen, "%s: notes: %s", c->path, elf_cause(cause, sizeof(cause)));
		return -1;
	}
	if (!data)
		return 0;
	size_t off = 0, name_off, desc_off;
	GElf_Nhdr nh;
	while (off < data->d_size &&
	       (off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
		const char *name = (const char *)data->d_buf + name_off;
		const unsigned char *desc = (const unsigned char *)data->d_buf + desc_off;
		bool core = nh.n_namesz == 5 && memcmp(name, "CORE", 5) == 0;
		if (!core)
			continue;
		switch (nh.n_type) {
		case NT_PRSTATUS:
			if (note_prstatus(c, desc, nh.n_descsz) < 0)
				goto nomem;
			break;
		case NT_PRPSINFO:
			note_prpsinfo(c, desc, nh.n_descsz);
			break;
		case NT_AUXV:
			free(c->auxv);
			c->auxv = malloc(nh.n_descsz ? nh.n_descsz : 1);
			c->auxv_len = 0;
			if (!c->auxv)
				goto nomem;
			memcpy(c->auxv, desc, nh.n_descsz);
			c->auxv_len = nh.n_descsz;
			break;
		case NT_FILE:
			if (note_file(c, desc, nh.n_descsz) < 0) {
				snprintf(msg, msglen, "%s: %s", c->path, errno == ENOEXEC
					 ? "malformed NT_FILE note" : strerror(errno));
				return -1;
			}
			break;
		}
	}
	return 0;
nomem:
	snprintf(msg, msglen, "%s: %s", c->path, strerror(ENOMEM));
	errno = ENOMEM;
	return -1;
}

static void read_auxv(struct core *c, struct auxv_info *a)
{
	size_t w = c->cls == 32 ? 4 : 8;
	for (size_t off = 0; off + 2 * w <= c->auxv_len; off += 2 * w) {
		uint64_t type = rd(c->auxv + off, (int)w), val = rd(c->auxv + off + w, (int)w);
		struct opt_addr x = { val, true };
		if (type == AT_NULL)
			break;
		switch (type) {
		case AT_PHDR:
			a->phdr = x;
			break;
		case AT_ENTRY:
			a->entry = x;
			break;
		case AT_BASE:
			a->base = x;
			break;
		case AT_SYSINFO_EHDR:
			a->sysinfo_ehdr = x;
			break;
		case AT_EXECFN:
			a->execfn = x;
			break;
		case AT_PAGESZ:
			a->page_size = val;
			break;
		}
	}
}

static int cmp_cvma(const void *a, const void *b)
{
	const struct cvma *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->file < 0) - (y->file < 0);	/* an NT_FILE entry first */
}

/* Merge PT_LOAD and NT_FILE entries: one VMA per start address (NT_FILE entries
 * come first after sorting and take the PT_LOAD's permissions and size). */
static void merge(struct core *c)
{
	qsort(c->v, c->n, sizeof(*c->v), cmp_cvma);
	size_t k = 0;
	for (size_t i = 0; i < c->n; i++) {
		struct cvma *v = &c->v[i];
		if (k && c->v[k - 1].start == v->start) {
			struct cvma *p = &c->v[k - 1];
			if (v->perms_known) {
				p->perms = v->perms;
				p->perms_known = true;
				p->dumped = v->dumped;
				if (p->file < 0)
					p->end = v->end;
			}
			continue;
		}
		if (k && v->start < c->v[k - 1].end)
			continue;	/* overlaps: a malformed core */
		c->v[k++] = *v;
	}
	c->n = k;
}

/* Check the local copy of file f: its size covers each mapping of it, and the
 * first page the core holds equals the file's.  Its ELF headers that cannot be
 * read for a cause other than not being ELF are a warning in L. */
static void check_file(struct core *c, int fi, struct layout *L)
{
	struct cfile *f = &c->files[fi];
	struct stat st;

	f->checked = true;
	char *p = strdup(f->path), *del = p ? strstr(p, " (deleted)") : NULL;
	if (!p) {
		layout_warn(L, "%s: not looked for: %s", f->path, strerror(errno));
		return;
	}
	if (del && del[10] == '\0')
		*del = '\0';
	int fd = sources_open_file(c->sysroot, p, &st);
	free(p);
	if (fd < 0) {
		/* not there, not a regular file: the count of those not found says so */
		if (errno != ENOENT && errno != ENOTDIR && errno != EINVAL)
			layout_warn(L, "%s: not opened: %s", f->path, strerror(errno));
		return;
	}
	bool ok = true;
	for (size_t i = 0; i < c->n && ok; i++) {
		const struct cvma *v = &c->v[i];
		if (v->file != fi)
			continue;
		if (v->offset >= (uint64_t)st.st_size)
			ok = false;
		/* the dumped first page, when there is one */
		if (ok && v->offset == 0 && v->dumped) {
			GElf_Phdr ph;
			size_t n = 0;
			elf_getphdrnum(c->elf, &n);
			for (size_t k = 0; k < n; k++) {
				if (!gelf_getphdr(c->elf, (int)k, &ph) || ph.p_type != PT_LOAD ||
				    ph.p_vaddr != v->start || ph.p_filesz == 0)
					continue;
				size_t len = (size_t)(ph.p_filesz < 4096 ? ph.p_filesz : 4096);
				if ((uint64_t)st.st_size < len)
					len = (size_t)st.st_size;
				unsigned char a[4096], b[4096];
				ssize_t ra = pread(c->fd, a, len, (off_t)ph.p_offset);
				ssize_t rb = ra == (ssize_t)len ? pread(fd, b, len, 0) : 0;
				if (ra < 0 || rb < 0)
					layout_warn(L, "%s: its first page not compared: %s",
						    ra < 0 ? "the core" : f->path, strerror(errno));
				if (ra != (ssize_t)len || rb != (ssize_t)len || memcmp(a, b, len) != 0)
					ok = false;
				break;
			}
		}
	}
	if (ok && elf_info_read(fd, &f->ei) == 0) {
		f->has_ei = true;
	} else {
		if (ok && errno != ENOEXEC)	/* a read, an allocation */
			layout_warn(L, "%s: ELF headers not read: %s", f->path, strerror(errno));
		elf_info_free(&f->ei);
	}
	close(fd);
	if (ok) {
		f->matched = true;
		f->dev_major = major(st.st_dev);
		f->dev_minor = minor(st.st_dev);
		f->ino = (uint64_t)st.st_ino;
	}
}

static int core_open_elf(void *priv, const struct layout *L, const struct vma *v)
{
	struct core *c = priv;
	struct stat st;

	for (size_t i = 0; i < c->n_files; i++) {
		struct cfile *f = &c->files[i];
		if (!f->matched || f->ino != v->inode || f->dev_major != v->dev_major ||
		    f->dev_minor != v->dev_minor)
			continue;
		char *p = strdup(vma_name(&L->vmas, v));
		if (!p)
			return -1;
		int fd = sources_open_file(c->sysroot, p, &st);
		free(p);
		if (fd >= 0 && (uint64_t)st.st_ino != f->ino) {
			close(fd);
			errno = ESTALE;
			return -1;
		}
		return fd;
	}
	errno = ENOENT;
	return -1;
}

/* Free what the reading of c allocated; c itself stays. */
static void core_free(struct core *c)
{
	for (size_t i = 0; i < c->n_files; i++) {
		free(c->files[i].path);
		elf_info_free(&c->files[i].ei);
	}
	free(c->files);
	free(c->v);
	free(c->auxv);
	free(c->threads);
	if (c->elf)
		elf_end(c->elf);
	if (c->fd >= 0)
		close(c->fd);
}

/* The page-rounded end of the executable's zero-fill (bss) range, from its ELF
 * program headers and the load bias its offset-0 mapping gives; 0 when unknown. */
static uint64_t exe_bss_end(const struct core *c, int exe_file)
{
	const struct cfile *f = exe_file >= 0 && c->files ? &c->files[exe_file] : NULL;
	uint64_t end = 0;

	if (!f || !f->has_ei || !f->ei.n_load)
		return 0;
	for (size_t i = 0; i < c->n; i++) {
		const struct cvma *v = &c->v[i];
		if (v->file != exe_file || v->offset != 0)
			continue;
		uint64_t first = page_down(f->ei.load[0].vaddr, c->page);
		if (v->start < first)
			return 0;
		uint64_t bias = v->start - first;
		for (size_t k = 0; k < f->ei.n_load; k++) {
			const struct elf_segment *seg = &f->ei.load[k];
			if (seg->vaddr + seg->memsz > end)
				end = seg->vaddr + seg->memsz;
		}
		return end + bias < end ? 0 : page_up(end + bias, c->page);
	}
	return 0;
}

static enum layout_status core_read(void *priv, struct layout *L, struct elf_cache *cache,
				    char *msg, size_t msglen)
{
	struct core *c = priv;
	const char *path = c->path;
	GElf_Ehdr eh;
	struct stat st;
	int err = ENOEXEC;

	(void)cache;
	c->fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (c->fd < 0 || fstat(c->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		err = c->fd < 0 ? errno : EINVAL;
		snprintf(msg, msglen, "%s: %s", path,
			 err == EINVAL ? "not a regular file" : strerror(err));
		goto fail;
	}
	c->fsize = (uint64_t)st.st_size;
	errno = 0;
	if (elf_version(EV_CURRENT) == EV_NONE ||
	    !(c->elf = elf_begin(c->fd, ELF_C_READ, NULL))) {
		/* libelf's malloc() or pread() failed */
		err = errno != 0 ? errno : ENOEXEC;
		snprintf(msg, msglen, "%s: %s", path,
			 err != ENOEXEC ? strerror(err) : "not an ELF file");
		goto fail;
	}
	if (elf_kind(c->elf) != ELF_K_ELF) {
		err = ENOEXEC;
		snprintf(msg, msglen, "%s: not an ELF file", path);
		goto fail;
	}
	errno = 0;
	if (!gelf_getehdr(c->elf, &eh)) {
		/* the header is cut short, or reading it failed */
		err = errno != 0 ? errno : ENOEXEC;
		snprintf(msg, msglen, "%s: %s", path,
			 err != ENOEXEC ? strerror(err) : "not an ELF file");
		goto fail;
	}
	if (eh.e_type != ET_CORE) {
		snprintf(msg, msglen, "%s: not a core dump (ELF type %u)", path, eh.e_type);
		goto fail;
	}
	c->cls = gelf_getclass(c->elf) == ELFCLASS32 ? 32 : 64;
	c->machine = eh.e_machine;
	size_t phnum;
	char cause[256];
	errno = 0;
	if (elf_getphdrnum(c->elf, &phnum) < 0) {
		snprintf(msg, msglen, "%s: program headers: %s", path,
			 elf_cause(cause, sizeof(cause)));
		goto fail;
	}
	/* the count the ELF header states: libelf shortens it to what the file holds */
	size_t raw_phnum = eh.e_phnum == PN_XNUM ? phnum : eh.e_phnum;
	if (raw_phnum == 0) {
		snprintf(msg, msglen, "%s: no program headers (e_phnum 0)", path);
		goto fail;
	}
	uint64_t ph_end = eh.e_phoff +
			  (uint64_t)raw_phnum * gelf_fsize(c->elf, ELF_T_PHDR, 1, EV_CURRENT);
	if (eh.e_phoff > c->fsize || ph_end > c->fsize || phnum < raw_phnum) {
		snprintf(msg, msglen, "%s: cut short: its program headers end beyond the end of "
			 "the file", path);
		goto fail;
	}
	size_t cut = 0, loads = 0;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		errno = 0;
		if (!gelf_getphdr(c->elf, (int)i, &ph)) {
			snprintf(msg, msglen, "%s: program header %zu: %s", path, i,
				 elf_cause(cause, sizeof(cause)));
			goto fail;
		}
		if (ph.p_type == PT_NOTE) {
			if (read_notes(c, &ph, msg, msglen) < 0)
				goto fail;
		} else if (ph.p_type == PT_LOAD && ph.p_memsz) {
			if (ph.p_vaddr + ph.p_memsz < ph.p_vaddr)
				continue;
			uint64_t dumped = ph.p_filesz;
			if (ph.p_offset > c->fsize || dumped > c->fsize - ph.p_offset) {
				cut++;
				dumped = ph.p_offset < c->fsize ? c->fsize - ph.p_offset : 0;
			}
			struct cvma v = { ph.p_vaddr, ph.p_vaddr + ph.p_memsz, 0, dumped,
					  (ph.p_flags & PF_R ? VMA_PERM_READ : 0) |
						  (ph.p_flags & PF_W ? VMA_PERM_WRITE : 0) |
						  (ph.p_flags & PF_X ? VMA_PERM_EXEC : 0),
					  true, -1, NULL };
			if (push(c, v) < 0)
				goto nomem;
			loads++;
		}
	}
	if (!loads) {
		snprintf(msg, msglen, "%s: no PT_LOAD: no memory in this core", path);
		goto fail;
	}
	if (cut) {
		snprintf(msg, msglen, "%s: cut short: %zu of its %zu PT_LOAD segments end beyond "
			 "the end of the file (%" PRIu64 " bytes)", path, cut, loads, c->fsize);
		goto fail;
	}
	merge(c);
	read_auxv(c, &L->auxv);
	c->page = L->auxv.page_size ? L->auxv.page_size : (uint64_t)sysconf(_SC_PAGESIZE);

	/* the files: checked, and the permissions of what was not dumped */
	for (size_t i = 0; i < c->n_files; i++)
		check_file(c, (int)i, L);
	for (size_t i = 0; i < c->n; i++) {
		struct cvma *v = &c->v[i];
		if (v->perms_known || v->file < 0 || !c->files)
			continue;
		const struct cfile *f = &c->files[v->file];
		const struct elf_segment *s =
			f->has_ei ? elf_info_segment_for_offset(&f->ei, v->offset, c->page) : NULL;
		if (s)
			v->perms = (s->flags & PF_R ? VMA_PERM_READ : 0) |
				   (s->flags & PF_W ? VMA_PERM_WRITE : 0) |
				   (s->flags & PF_X ? VMA_PERM_EXEC : 0);
	}

	/* names of the kernel's mappings, and of the stack and heap */
	int exe_file = -1;
	uint64_t exe_high = 0;
	for (size_t i = 0; i < c->n; i++) {
		struct cvma *v = &c->v[i];
		if (v->file >= 0) {
			if (L->auxv.phdr.known && v->start <= L->auxv.phdr.v && L->auxv.phdr.v < v->end)
				exe_file = v->file;
			continue;
		}
		if (L->auxv.sysinfo_ehdr.known && v->start == L->auxv.sysinfo_ehdr.v)
			v->special = "[vdso]";
		else if (c->machine == EM_X86_64 && v->start == UINT64_C(0xffffffffff600000))
			v->special = "[vsyscall]";
		else if (L->auxv.execfn.known && v->start <= L->auxv.execfn.v &&
			 L->auxv.execfn.v < v->end)
			v->special = "[stack]";
	}
	/* [vvar] (and [vvar_vclock] below it on 6.x kernels): the one or two
	 * read-only anonymous VMAs right below [vdso], where the kernel's
	 * map_vdso() puts them */
	for (size_t i = 1; i < c->n; i++) {
		if (!c->v[i].special || strcmp(c->v[i].special, "[vdso]") != 0)
			continue;
		size_t k = 0;
		for (size_t j = i; j-- > 0 && k < 2; k++) {
			struct cvma *v = &c->v[j];
			if (v->end != c->v[j + 1].start || v->file >= 0 || v->special ||
			    (v->perms & (VMA_PERM_WRITE | VMA_PERM_EXEC)))
				break;
			v->special = "[vvar]";
		}
		if (k == 2)
			c->v[i - 1].special = "[vvar_vclock]";
	}
	/* the end of the executable's file pages: its mappings below the end of its
	 * ELF image (another mapping of the file elsewhere, a runtime's alias of its
	 * own text, is not part of it) */
	uint64_t bss_end = exe_bss_end(c, exe_file);
	for (size_t i = 0; i < c->n; i++)
		if (exe_file >= 0 && c->v[i].file == exe_file && c->v[i].end > exe_high &&
		    (!bss_end || c->v[i].start < bss_end))
			exe_high = c->v[i].end;
	if (exe_high) {
		/* bss: anonymous, right after the last file page; the heap: the first
		 * anonymous read-write VMA above, after a gap (brk randomisation: the
		 * kernel's arch_randomize_brk() puts it less than 1 GiB above the end of
		 * the bss on x86-64, 32 MiB elsewhere and for 32-bit processes) */
		uint64_t prev_end = exe_high;
		for (size_t i = 0; i < c->n; i++) {
			struct cvma *v = &c->v[i];
			if (v->start < exe_high)
				continue;
			if (v->file >= 0 || v->special)
				break;
			if (v->start == prev_end || v->end <= bss_end) {
				/* bss: right after the file pages, or inside the ELF's
				 * zero-fill range (a bss partly unmapped leaves a gap) */
				prev_end = v->end;
				continue;
			}
			if ((v->perms & (VMA_PERM_READ | VMA_PERM_WRITE)) ==
				    (VMA_PERM_READ | VMA_PERM_WRITE) &&
			    v->start - prev_end < (UINT64_C(1) << 30))
				v->special = "[heap]";
			break;
		}
	}

	for (size_t i = 0; i < c->n; i++) {
		const struct cvma *v = &c->v[i];
		const struct cfile *cf = v->file >= 0 ? &c->files[v->file] : NULL;
		char *name = NULL;
		bool deleted = false;
		if (cf) {
			/* NT_FILE names a deleted file as maps does */
			static const char del[] = " (deleted)";
			size_t len = strlen(cf->path);
			if (!(name = strdup(cf->path)))
				goto nomem;
			if (name[0] == '/' && len > sizeof(del) - 1 &&
			    strcmp(name + len - (sizeof(del) - 1), del) == 0) {
				name[len - (sizeof(del) - 1)] = '\0';
				deleted = true;
			}
		}
		/* permissions from p_flags: a core does not record MAP_SHARED, with one
		 * exception that can be told.  MAP_HUGETLB memory (NT_FILE names it
		 * "/anon_hugepage (deleted)", a file on hugetlbfs): under the default
		 * coredump_filter (0x33, see core(5)) the kernel dumps private hugetlb
		 * pages (bit 5) and not shared ones (bit 6), so an undumped one was
		 * shared. */
		uint32_t perms = v->perms;
		if (deleted && v->dumped == 0 && strcmp(name, "/anon_hugepage") == 0)
			perms |= VMA_PERM_SHARED;
		struct vma *nv = layout_add_vma(L, v->start, v->end, perms, cf ? v->offset : 0,
						cf ? cf->dev_major : 0, cf ? cf->dev_minor : 0,
						cf ? cf->ino : 0, cf ? name : v->special, deleted);
		free(name);
		if (!nv) {
			if (errno == ENOMEM)
				goto nomem;
			snprintf(msg, msglen, "%s: its segments do not make an address space "
				 "(overlapping)", path);
			goto fail;
		}
	}
	struct layout_offline *off = layout_offline_get(L);
	if (!off || !(off->path = strdup(path)) ||
	    !(off->dumped = calloc(c->n ? c->n : 1, sizeof(*off->dumped))))
		goto nomem;
	for (size_t i = 0; i < c->n; i++) {
		off->dumped[i] = c->v[i].dumped;
		off->dumped_total += c->v[i].dumped;
	}
	off->signal = c->signal;
	off->files_checked = true;
	L->source = LAYOUT_SOURCE_CORE;
	L->figures_unknown = true;
	L->consistent = true;
	L->reads = 1;
	L->page_size = c->page;
	L->elf_class = c->cls;
	L->machine = c->machine;
	if (c->machine == EM_X86_64 && c->cls == 64)
		L->task_size = (struct opt_addr){ UINT64_C(0x7ffffffff000), true };
	if (exe_file >= 0 && c->files) {
		const struct cfile *ef = &c->files[exe_file];
		if (!(L->exe = strdup(ef->path)))
			goto nomem;
		L->has_exe_id = true;
		L->exe_dev_major = ef->dev_major;
		L->exe_dev_minor = ef->dev_minor;
		L->exe_ino = ef->ino;
		if (ef->has_ei) {
			L->exe_type = ef->ei.type;
			L->exe_has_interp = ef->ei.has_interp;
			L->exe_pie_flag = ef->ei.pie_flag;
		}
	}
	for (size_t i = 0; i < L->vmas.n; i++)
		if (L->vmas.v[i].name_kind == VMA_NAME_HEAP) {
			L->mm.brk = (struct opt_addr){ L->vmas.v[i].end, true };
			break;
		}
	if (c->has_psinfo) {
		L->pid = c->pid;
		L->stat.state = c->state;
		L->stat.ppid = c->ppid;
		memcpy(L->stat.comm, c->fname, sizeof(c->fname));
		struct proc_identity *id = &L->id;
		id->pid = id->tgid = c->pid;
		id->ppid = c->ppid;
		id->state = c->state;
		id->euid = c->uid;
		id->threads = (int)c->n_threads;
		L->has_id = true;	/* layout_free() frees what is allocated below */
		if (!(id->comm = strdup(c->fname)))
			goto nomem;
		/* pr_psargs: the arguments joined by spaces, cut at 80 bytes */
		size_t na = 0;
		for (char *s = c->psargs; *s; s++)
			na += *s != ' ' && (s == c->psargs || s[-1] == ' ');
		if (!(id->cmdline = calloc(na + 1, sizeof(*id->cmdline))))
			goto nomem;
		char *save = NULL;
		for (char *tok = strtok_r(c->psargs, " ", &save); tok && id->cmdline_n < na;
		     tok = strtok_r(NULL, " ", &save)) {
			if (!(id->cmdline[id->cmdline_n] = strdup(tok)))
				goto nomem;
			id->cmdline_n++;
		}
	}
	L->threads = c->threads;
	L->n_threads = c->n_threads;
	c->threads = NULL;

	return LAYOUT_OK;
nomem:
	err = ENOMEM;
	snprintf(msg, msglen, "%s: %s", path, strerror(ENOMEM));
fail:
	errno = err;
	return LAYOUT_ERROR;
}

/* After attribution: what could not be matched, and what a core cannot tell. */
static enum layout_status core_finish(void *priv, struct layout *L, struct elf_cache *cache)
{
	struct core *c = priv;
	size_t unmatched = 0;

	(void)cache;
	for (size_t i = 0; i < c->n_files; i++)
		unmatched += !c->files[i].matched;
	if (unmatched)
		layout_warn(L, "%zu of the %zu mapped files were not found under %s, or not the "
			    "same (size, or the first page the core holds): their VMAs are "
			    "attributed by heuristics, from their permissions", unmatched,
			    c->n_files, c->sysroot && c->sysroot[0] ? c->sysroot : "/");
	layout_warn(L, "a core holds no RSS or PSS: the figures are the sizes and the bytes "
		    "dumped; the names [heap] and [stack] are inferred");
	return LAYOUT_OK;
}

static void core_close(void *priv)
{
	struct core *c = priv;

	core_free(c);
	free((char *)c->path);
	free((char *)c->sysroot);
	free(c);
}

static const struct source_ops core_ops = {
	.read = core_read,
	.open_elf = core_open_elf,
	.finish = core_finish,
	.close = core_close,
};

int source_open_core(struct source *src, const char *path, const char *sysroot)
{
	struct core *c = calloc(1, sizeof(*c));

	src->ops = NULL;
	src->priv = NULL;
	if (!c)
		return -1;
	c->fd = -1;
	c->path = strdup(path);
	c->sysroot = sysroot ? strdup(sysroot) : NULL;
	if (!c->path || (sysroot && !c->sysroot)) {
		core_close(c);
		errno = ENOMEM;
		return -1;
	}
	src->ops = &core_ops;
	src->priv = c;
	return 0;
}

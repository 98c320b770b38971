/* procdir.c - a /proc/PID directory, live or recorded, into the model (see procdir.h) */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "elf/elfinfo.h"
#include "source/procdir.h"
#include "source/smaps.h"
#include "source/source.h"

/* Read smaps until it is consistent (bounded; a snapshot's once: its file does not
 * change), or resolve it. */
int procdir_read_smaps(struct layout *L, const struct procfs *pf, char *msg, size_t msglen)
{
	const int max_reads = pf->live ? 5 : 1;
	struct smaps_error perr;

	for (L->reads = 1; L->reads <= max_reads; L->reads++) {
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
	L->reads = max_reads;
	/* Still inconsistent: keep the entries in address order and drop those that
	 * overlap an earlier one, and say so. */
	struct vma_list *l = &L->vmas;
	size_t kept = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (kept && l->v[i].start < l->v[kept - 1].end)
			continue;
		l->v[kept++] = l->v[i];
	}
	if (pf->live)
		layout_warn(L, "smaps changed while it was read (%d reads): %zu overlapping or "
			    "out-of-order VMAs left out", max_reads, l->n - kept);
	else	/* saved from a process that changed while it was read */
		layout_warn(L, "smaps is not in address order: %zu overlapping or out-of-order "
			    "VMAs left out", l->n - kept);
	l->n = kept;
	l->n_extra = 0;
	L->consistent = false;
	return 0;
}

/* After a failed read of the file name of /proc/PID (or of a snapshot): a file that
 * is not there is left out without a word (a snapshot leaves out what it could not
 * copy, and said so when it was saved; a process may exit); any other error (not
 * permitted: auxv is the owner's only, without CAP_DAC_OVERRIDE; a failed read; no
 * memory) is a warning, as the report then lacks what the process has. */
static void warn_unread(struct layout *L, const char *name)
{
	if (errno != ENOENT && errno != ESRCH)
		layout_warn(L, "%s not read: %s", name, strerror(errno));
}

/* The kernel's own sums over all VMAs (/proc/PID/smaps_rollup, a second walk of
 * the page tables) into L->rollup; nothing when it cannot be read or parsed. */
static void read_rollup(struct layout *L, const struct procfs *pf)
{
	struct vma_list l;
	char *buf;
	size_t len;

	if (procfs_read_file(pf, "smaps_rollup", &buf, &len) < 0) {
		warn_unread(L, "smaps_rollup");
		return;
	}
	vma_list_init(&l);
	int rc = smaps_parse_buf(buf, len, &l, NULL);
	if (rc == 0 && l.n == 1) {
		vma_figs(&l.v[0], L->rollup);
		L->has_rollup = true;
	} else if (rc < 0 && errno == ENOMEM) {
		warn_unread(L, "smaps_rollup");
	}
	vma_list_free(&l);
	free(buf);
}

static void read_auxv(struct layout *L, const struct procfs *pf)
{
	char *buf;
	size_t len;

	if (procfs_read_file(pf, "auxv", &buf, &len) < 0) {
		warn_unread(L, "auxv");
		return;
	}
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

/* The executable's ELF header (class, machine, type, interpreter) from fd (an open
 * file that is the executable, dev:inode L->exe_*), through cache; fd is closed. */
static void read_exe_header(struct layout *L, struct elf_cache *cache, int fd)
{
	if (fd < 0)
		return;
	const struct elf_cache_entry *ce = elf_cache_read(
		cache, makedev(L->exe_dev_major, L->exe_dev_minor), (ino_t)L->exe_ino, fd);
	close(fd);
	if (ce && ce->ok) {
		source_set_exe_elf(L, &ce->ei);
	} else if (!ce || ce->err != ENOEXEC) {	/* not ELF: attribution says why */
		layout_warn(L, "the executable's ELF header not read: %s",
			    strerror(ce ? ce->err : errno));
	}
}

static void read_threads(struct layout *L, const struct procfs *pf)
{
	pid_t *tids;
	size_t n;

	if (procfs_list_tasks(pf, &tids, &n) < 0) {
		layout_warn(L, "thread list: %s", strerror(errno));
		L->thread_stacks_unknown = true;
		return;
	}
	L->threads = calloc(n ? n : 1, sizeof(*L->threads));
	if (!L->threads) {
		warn_unread(L, "thread list");
		L->thread_stacks_unknown = true;
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
		if (procfs_read_file(pf, name, &buf, &len) < 0) {
			warn_unread(L, name);
			continue;	/* the thread exited meanwhile */
		}
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

/* x86-64: 5 when the kernel runs with 5-level page tables, else 4, from the flags of
 * the first processor in /proc/cpuinfo: the kernel clears "la57" when it does not
 * use 5-level paging (arch/x86/kernel/cpu/common.c); 0 when it has no flags
 * line, -1 with errno when it cannot be read.
 * Only the first record is read (cpuinfo is long on a large machine). */
static int paging_levels(void)
{
	char buf[8192];
	int fd = open("/proc/cpuinfo", O_RDONLY | O_CLOEXEC);
	ssize_t n = 0;
	size_t len = 0;

	if (fd < 0)
		return -1;
	while (len < sizeof(buf) - 1 && (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0) {
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, "\n\n"))
			break;
	}
	int e = errno;
	close(fd);
	if (n < 0) {
		errno = e;
		return -1;
	}
	buf[len] = '\0';
	char *flags = strstr(buf, "\nflags");
	if (!flags)
		return 0;
	char *end = strchr(flags + 1, '\n');
	if (end)
		*end = '\0';
	return strstr(flags, " la57") ? 5 : 4;
}

/* The direction of the mmap area (mm/util.c, arch/x86/mm/mmap.c mmap_is_legacy()):
 * bottom-up when the personality (/proc/PID/personality, hexadecimal) has
 * ADDR_COMPAT_LAYOUT or, for a live process, vm.legacy_va_layout is set; else
 * top-down.  Unknown when the personality cannot be read. */
static void set_mmap_layout(struct layout *L, const struct procfs *pf)
{
	char *buf;
	size_t len;

	if (procfs_read_file(pf, "personality", &buf, &len) < 0) {
		warn_unread(L, "personality");
		return;
	}
	unsigned long pers = strtoul(buf, NULL, 16);
	free(buf);
	bool legacy = pers & 0x0200000;		/* ADDR_COMPAT_LAYOUT */
	if (!legacy && pf->live) {
		/* a kernel without the sysctl (or a /proc/sys that hides it) has the
		 * default, top-down */
		int fd = open("/proc/sys/vm/legacy_va_layout", O_RDONLY | O_CLOEXEC);
		char c = '0';
		ssize_t n = fd < 0 ? -1 : read(fd, &c, 1);
		int e = errno;
		if (fd >= 0)
			close(fd);
		if (n != 1 && !(fd < 0 && e == ENOENT)) {
			layout_warn(L, "/proc/sys/vm/legacy_va_layout not read: %s",
				    n == 0 ? "empty" : strerror(e));
			return;		/* the direction is unknown */
		}
		legacy = c != '0';
	}
	L->mmap_layout = legacy ? LAYOUT_MMAP_LEGACY : LAYOUT_MMAP_TOPDOWN;
}

static void set_task_size(struct layout *L, const struct procfs *pf)
{
	set_mmap_layout(L, pf);
	if (L->machine != EM_X86_64 && L->machine != EM_386)
		return;
	if (L->machine == EM_X86_64 && pf->live &&
	    (L->paging_levels = paging_levels()) < 0) {
		layout_warn(L, "/proc/cpuinfo not read: %s (paging mode unknown)", strerror(errno));
		L->paging_levels = 0;
	}
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

/* The NUL-separated arguments of cmdline (len bytes, with a NUL after them) as a
 * NULL-terminated array of malloc'd strings.  A final argument without its NUL (a
 * process may overwrite its argument area) is kept.  Returns 0, or -1 with ENOMEM. */
static int split_cmdline(const char *data, size_t len, char ***argv, size_t *argc)
{
	size_t n = 0;
	char **v;

	for (size_t i = 0; i < len; i++)
		if (data[i] == 0)
			n++;
	if (len && data[len - 1] != 0)
		n++;
	v = calloc(n + 1, sizeof *v);
	if (!v)
		return -1;
	const char *p = data;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(p);	/* data[len] is a NUL too */
		v[i] = strdup(p);
		if (!v[i]) {
			for (size_t j = 0; j < i; j++)
				free(v[j]);
			free(v);
			errno = ENOMEM;
			return -1;
		}
		p += l + 1;
	}
	*argv = v;
	*argc = n;
	return 0;
}

int procdir_user_name(uid_t uid, char **name)
{
	long size = sysconf(_SC_GETPW_R_SIZE_MAX);
	size_t bufsize = size > 0 ? (size_t)size : 1024;
	struct passwd pw, *res = NULL;
	char *buf = NULL;
	int rc;

	*name = NULL;
	for (;;) {
		char *b = realloc(buf, bufsize);
		if (!b) {
			free(buf);
			errno = ENOMEM;
			return -1;
		}
		buf = b;
		rc = getpwuid_r(uid, &pw, buf, bufsize, &res);
		if (rc != ERANGE || bufsize >= (1u << 20))
			break;
		bufsize *= 2;
	}
	if (rc == 0 && res && res->pw_name) {
		*name = strdup(res->pw_name);
		if (!*name) {
			free(buf);
			errno = ENOMEM;
			return -1;
		}
	}
	free(buf);
	return 0;
}

int procdir_read_identity(struct layout *L, const struct procfs *pf)
{
	struct proc_identity *id = &L->id;
	char *buf;
	size_t len;

	memset(id, 0, sizeof(*id));
	id->euid = (uid_t)-1;	/* unknown until status is read */
	id->pid = id->tgid = L->pid;
	id->ppid = L->stat.ppid;
	id->state = L->stat.state;
	id->start_time = L->stat.start_time;
	id->is_kernel_thread = (L->stat.flags & PROC_PF_KTHREAD) != 0;
	L->has_id = true;
	if (procfs_read_file(pf, "comm", &buf, &len) == 0) {
		if (len && buf[len - 1] == '\n')
			buf[len - 1] = '\0';
		id->comm = buf;
	} else if (errno == ESRCH) {
		return -1;
	} else {
		warn_unread(L, "comm");
		if (!(id->comm = strdup(L->stat.comm)))
			return -1;
	}
	if (procfs_read_file(pf, "cmdline", &buf, &len) == 0) {
		int rc = split_cmdline(buf, len, &id->cmdline, &id->cmdline_n);
		free(buf);
		if (rc < 0)
			return -1;
	} else if (errno == ESRCH) {
		return -1;
	} else {
		warn_unread(L, "cmdline");
	}
	if (procfs_read_file(pf, "status", &buf, &len) == 0) {
		int threads = 0;
		pid_t tgid = 0;
		if (proc_status_parse(buf, &L->kc, &id->euid, &tgid, &threads) == 0) {
			L->has_kc = true;
			id->threads = threads;
			if (tgid)
				id->tgid = tgid;
		}
		free(buf);
	} else if (errno == ESRCH) {
		return -1;
	} else {
		warn_unread(L, "status");
	}
	return 0;
}

void procdir_read_rest(struct layout *L, const struct procfs *pf,
		       struct elf_cache *cache, int exe_fd, bool rollup)
{
	read_exe_header(L, cache, exe_fd);
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
}

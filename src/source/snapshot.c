/* snapshot.c - a snapshot directory: saved, and read as a source (see snapshot.h)
 *
 * The writer and the reader of the format live in this one file (about 900
 * lines), so that a change to what is saved and to how it is read back is made, and
 * reviewed, in one place. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "source/procdir.h"
#include "source/smaps.h"
#include "source/snapshot.h"
#include "source/source.h"

#define PACK_MAGIC "VMLAYOUT-ELF-PIECES 1\n"
#define MAX_PIECE (16u << 20)		/* bytes: a bigger header table is not copied */
#define MAX_PACKED (256u << 20)		/* bytes: a packed file is refused beyond this */
#define NONELF_BYTES 16			/* what is kept of a file that is not ELF */

__attribute__((format(printf, 3, 4)))
static int fail(char *msg, size_t msglen, const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, msglen, fmt, ap);
	va_end(ap);
	errno = e;
	return -1;
}

/* A warning of snapshot_save(): a line of its own added to msg (msglen bytes); what
 * does not fit is left out. */
__attribute__((format(printf, 3, 4)))
static void note(char *msg, size_t msglen, const char *fmt, ...)
{
	int e = errno;
	size_t n = strlen(msg);
	va_list ap;

	if (n && n + 1 < msglen)
		msg[n++] = '\n';
	if (n + 1 < msglen) {
		va_start(ap, fmt);
		vsnprintf(msg + n, msglen - n, fmt, ap);
		va_end(ap);
	}
	errno = e;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)	/* GCOVR_EXCL_BR_LINE: no signal handler is installed, so no EINTR */
				continue;	/* GCOVR_EXCL_LINE: (as above) */
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static int pwrite_all(int fd, const void *buf, size_t len, off_t off)
{
	const char *p = buf;

	while (len) {
		ssize_t w = pwrite(fd, p, len, off);
		if (w < 0) {
			if (errno == EINTR)	/* GCOVR_EXCL_BR_LINE: no signal handler is installed, so no EINTR */
				continue;	/* GCOVR_EXCL_LINE: (as above) */
			return -1;
		}
		p += w;
		off += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Read len bytes at off; fewer at the end of the file.  Returns the count or -1. */
static ssize_t pread_full(int fd, void *buf, size_t len, off_t off)
{
	size_t n = 0;

	while (n < len) {
		ssize_t r = pread(fd, (char *)buf + n, len - n, off + (off_t)n);
		if (r < 0) {
			if (errno == EINTR)	/* GCOVR_EXCL_BR_LINE: no signal handler is installed, so no EINTR */
				continue;	/* GCOVR_EXCL_LINE: (as above) */
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	return (ssize_t)n;
}

static int write_file(int dirfd, const char *name, const void *buf, size_t len)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	if (write_all(fd, buf, len) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

/* ------------------------------------------------------------------ ELF pieces */

struct piece {
	uint64_t off, len;
};

struct pieces {
	struct piece p[4];
	size_t n;
	uint64_t size;		/* the file's size */
};

static void add_piece(struct pieces *ps, uint64_t off, uint64_t len)
{
	if (len == 0 || off >= ps->size || ps->n == sizeof(ps->p) / sizeof(ps->p[0]))
		return;
	if (len > ps->size - off)
		len = ps->size - off;
	if (len > MAX_PIECE)
		len = MAX_PIECE;
	ps->p[ps->n++] = (struct piece){ off, len };
}

/* The parts of the file on fd that an analysis reads: ELF header, program
 * headers, section headers, .shstrtab; the first bytes of a file that is not ELF. */
static void find_pieces(int fd, uint64_t size, struct pieces *ps)
{
	GElf_Ehdr eh;
	size_t phnum, shnum, shstrndx;

	memset(ps, 0, sizeof(*ps));
	ps->size = size;
	/* GCOVR_EXCL_START: libelf knows its own current version */
	if (elf_version(EV_CURRENT) == EV_NONE) {
		add_piece(ps, 0, NONELF_BYTES);
		return;
	}
	/* GCOVR_EXCL_STOP */
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh)) {
		add_piece(ps, 0, NONELF_BYTES);
		elf_end(elf);
		return;
	}
	add_piece(ps, 0, gelf_fsize(elf, ELF_T_EHDR, 1, EV_CURRENT));
	if (elf_getphdrnum(elf, &phnum) == 0 && eh.e_phoff)
		add_piece(ps, eh.e_phoff, (uint64_t)phnum * gelf_fsize(elf, ELF_T_PHDR, 1, EV_CURRENT));
	if (elf_getshdrnum(elf, &shnum) == 0 && eh.e_shoff) {
		uint64_t shsz = gelf_fsize(elf, ELF_T_SHDR, 1, EV_CURRENT);
		/* e_shnum 0 with e_shoff set: the count is in section 0 (copied too) */
		add_piece(ps, eh.e_shoff, (shnum ? shnum : 1) * shsz);
		Elf_Scn *scn;
		GElf_Shdr sh;
		if (shnum && elf_getshdrstrndx(elf, &shstrndx) == 0 &&
		    (scn = elf_getscn(elf, shstrndx)) != NULL && gelf_getshdr(scn, &sh) &&
		    sh.sh_type != SHT_NOBITS)
			add_piece(ps, sh.sh_offset, sh.sh_size);
	}
	elf_end(elf);
}

/* Write the pieces of src (an fd) into the new file dirfd/name: sparse (of the
 * original size) or packed. */
static int write_pieces(int src, const struct pieces *ps, int dirfd, const char *name, bool pack)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	char *buf = NULL;
	int rc = -1;

	if (fd < 0)
		return -1;
	if (pack) {
		char h[96];
		int n = snprintf(h, sizeof(h), PACK_MAGIC "size %" PRIu64 "\n", ps->size);
		if (write_all(fd, h, (size_t)n) < 0)
			goto out;
	} else if (ftruncate(fd, (off_t)ps->size) < 0) {
		goto out;
	}
	for (size_t i = 0; i < ps->n; i++) {
		const struct piece *p = &ps->p[i];
		char *nb = realloc(buf, p->len);
		if (!nb)
			goto out;
		buf = nb;
		ssize_t got = pread_full(src, buf, p->len, (off_t)p->off);
		if (got < 0)
			goto out;
		if (pack) {
			char h[80];
			int n = snprintf(h, sizeof(h), "piece %" PRIu64 " %zd\n", p->off, got);
			if (write_all(fd, h, (size_t)n) < 0 || write_all(fd, buf, (size_t)got) < 0 ||
			    write_all(fd, "\n", 1) < 0)
				goto out;
		} else if (pwrite_all(fd, buf, (size_t)got, (off_t)p->off) < 0) {
			goto out;
		}
	}
	if (pack && write_all(fd, "end\n", 4) < 0)
		goto out;
	rc = 0;
out:
	free(buf);
	if (close(fd) < 0 && rc == 0)
		rc = -1;
	if (rc < 0) {
		int e = errno;
		unlinkat(dirfd, name, 0);
		errno = e;
	}
	return rc;
}

static void elf_name(char *buf, size_t len, uint32_t major, uint32_t minor, uint64_t ino)
{
	snprintf(buf, len, "%02x:%02x:%" PRIu64, major, minor, ino);
}

/* The ELF headers of every privately mapped file, as attribution reads them. */
static int save_elf_files(const struct procfs *pf, const struct vma_list *l, int dirfd)
{
	if (mkdirat(dirfd, "elf", 0700) < 0)
		return -1;
	int efd = openat(dirfd, "elf", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (efd < 0)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		const struct vma *v = &l->v[i];
		char name[80];
		struct stat st;

		if (v->name_kind != VMA_NAME_PATH || v->inode == 0 || (v->perms & VMA_PERM_SHARED))
			continue;
		elf_name(name, sizeof(name), v->dev_major, v->dev_minor, v->inode);
		if (fstatat(efd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			continue;	/* done: another VMA of the same file */
		off_t size;
		int fd = procfs_open_mapped(pf, vma_name(l, v), v->deleted, v->start, v->end,
					    v->dev_major, v->dev_minor, v->inode, &size);
		if (fd < 0)
			continue;	/* left out: the reader says why it could not attribute */
		struct pieces ps;
		find_pieces(fd, (uint64_t)size, &ps);
		int rc = write_pieces(fd, &ps, efd, name, false);
		int e = errno;
		close(fd);
		if (rc < 0) {
			close(efd);
			errno = e;
			return -1;
		}
	}
	return close(efd);
}

/* ------------------------------------------------------------------ saving */

/* Remove the directory name (under dirfd) and what it holds, depth levels of
 * directories below it: a snapshot that failed half-way, which this run created. */
static void remove_tree(int dirfd, const char *name, int depth)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (d) {
		struct dirent *de;
		while ((de = readdir(d)) != NULL) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			/* a directory: EISDIR */
			if (unlinkat(fd, de->d_name, 0) < 0 && errno == EISDIR && depth > 0)
				remove_tree(fd, de->d_name, depth - 1);
		}
		closedir(d);
	} else if (fd >= 0) {
		close(fd);
	}
	unlinkat(dirfd, name, AT_REMOVEDIR);
}

/* One read of smaps that is consistent (bounded re-reads): its text in *buf, its
 * VMAs in l (initialised by the caller, freed by the caller). */
static int read_smaps_consistent(const struct procfs *pf, char **buf, size_t *len,
				 struct vma_list *l, int *reads, bool *consistent)
{
	enum { MAX_READS = 5 };
	struct smaps_error err;

	*buf = NULL;
	for (*reads = 1; *reads <= MAX_READS; (*reads)++) {
		free(*buf);
		if (procfs_read_file(pf, "smaps", buf, len) < 0) {
			*buf = NULL;
			return -1;
		}
		vma_list_clear(l);
		if (smaps_parse_buf(*buf, *len, l, &err) < 0) {
			int e = errno;
			free(*buf);
			*buf = NULL;
			errno = e;
			return -1;
		}
		if (vma_list_check_order(l) == l->n) {
			*consistent = true;
			return 0;
		}
	}
	*reads = MAX_READS;
	*consistent = false;
	return 0;
}

static int copy_proc_file(const struct procfs *pf, const char *name, int dirfd)
{
	char *buf;
	size_t len;

	if (procfs_read_file(pf, name, &buf, &len) < 0)
		return -1;
	int rc = write_file(dirfd, name, buf, len);
	int e = errno;
	free(buf);
	errno = e;
	return rc;
}

static int save_threads(const struct procfs *pf, int dirfd)
{
	pid_t *tids;
	size_t n;

	if (procfs_list_tasks(pf, &tids, &n) < 0)
		return -1;
	if (mkdirat(dirfd, "task", 0700) < 0) {
		free(tids);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		char name[64];
		snprintf(name, sizeof(name), "task/%d", (int)tids[i]);
		if (mkdirat(dirfd, name, 0700) < 0) {
			free(tids);
			return -1;
		}
		/* a thread that exits meanwhile leaves an empty directory: the reader
		 * skips it, as it skips a thread that exits while it is read */
		snprintf(name, sizeof(name), "task/%d/stat", (int)tids[i]);
		if (copy_proc_file(pf, name, dirfd) < 0 && errno != ESRCH && errno != ENOENT)
			goto fail;
		snprintf(name, sizeof(name), "task/%d/syscall", (int)tids[i]);
		if (copy_proc_file(pf, name, dirfd) < 0 && errno != ESRCH && errno != ENOENT &&
		    errno != EACCES && errno != EPERM)
			goto fail;
	}
	free(tids);
	return 0;
fail:;
	int e = errno;
	free(tids);
	errno = e;
	return -1;
}

int snapshot_save(pid_t pid, const char *dir, char *msg, size_t msglen)
{
	struct procfs pf;
	char *smaps = NULL, *exe = NULL, info[512];
	size_t smaps_len;
	int reads, dirfd = -1, rc = -1;
	bool consistent, created = false;
	char *user = NULL;
	struct vma_list l;
	struct stat st;

	msg[0] = '\0';
	if (procfs_open(&pf, pid) < 0)
		return fail(msg, msglen, "%s", errno == ESRCH || errno == ENOENT ? "no such process"
										 : strerror(errno));
	vma_list_init(&l);
	if (read_smaps_consistent(&pf, &smaps, &smaps_len, &l, &reads, &consistent) < 0) {
		/* the words of a failed read of a live process (cli/vmlayout.c) */
		if (errno == EACCES || errno == EPERM)
			fail(msg, msglen, "permission denied: reading smaps needs ptrace read "
			     "access (run as the process's owner or root)");
		else
			fail(msg, msglen, "%s", errno == ESRCH ? "the process has exited"
							       : strerror(errno));
		goto out;
	}
	if (smaps_len == 0) {
		/* no mm: what stat says the process is */
		struct proc_stat ps;
		char *buf;
		size_t len;
		int r = -1;
		if (procfs_read_file(&pf, "stat", &buf, &len) == 0) {
			r = proc_stat_parse(buf, len, &ps);
			free(buf);
		}
		if (r == 0 && (ps.flags & PROC_PF_KTHREAD))
			fail(msg, msglen, "kernel thread: it has no user address space");
		else if (r == 0 && ps.state == 'Z')
			fail(msg, msglen, "a zombie (no address space)");
		else
			fail(msg, msglen, "the process has exited");
		errno = ESRCH;
		goto out;
	}
	if (mkdir(dir, 0700) < 0) {
		fail(msg, msglen, "%s: %s", dir, strerror(errno));
		goto out;
	}
	created = true;
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		fail(msg, msglen, "%s: %s", dir, strerror(errno));
		goto out;
	}
	if (write_file(dirfd, "smaps", smaps, smaps_len) < 0) {
		fail(msg, msglen, "%s/smaps: %s", dir, strerror(errno));
		goto out;
	}
	static const char *const files[] = {
		"stat", "smaps_rollup", "status", "auxv", "cmdline", "comm", "personality",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (copy_proc_file(&pf, files[i], dirfd) == 0)
			continue;
		if (errno == ESRCH && i == 0) {
			fail(msg, msglen, "the process has exited");
			goto out;
		}
		if (i == 0 || (errno != EACCES && errno != EPERM && errno != ESRCH &&
			       errno != ENOENT)) {
			fail(msg, msglen, "%s/%s: %s", dir, files[i], strerror(errno));
			goto out;
		}
		/* ENOENT: not this kernel's; ESRCH: exited, which the end tells */
		if (errno == EACCES || errno == EPERM)
			note(msg, msglen, "%s not saved: %s", files[i], strerror(errno));
	}
	/* the executable's path, as a file of its bytes (a symbolic link would not
	 * survive "tar -h" or a copy to another system) */
	exe = procfs_readlink(&pf, "exe");
	if (!exe && errno != ESRCH)
		note(msg, msglen, "exe: the executable's path not saved: %s", strerror(errno));
	if (exe && write_file(dirfd, "exe", exe, strlen(exe)) < 0) {
		fail(msg, msglen, "%s/exe: %s", dir, strerror(errno));
		goto out;
	}
	if (save_threads(&pf, dirfd) < 0 && errno != ESRCH) {
		fail(msg, msglen, "%s/task: %s", dir, strerror(errno));
		goto out;
	}
	if (save_elf_files(&pf, &l, dirfd) < 0) {
		fail(msg, msglen, "%s/elf: %s", dir, strerror(errno));
		goto out;
	}

	/* the description, last: a directory without it is not a snapshot */
	int n = snprintf(info, sizeof(info), "vmlayout-snapshot 1\npid %d\n", (int)pid);
	char *status;
	size_t status_len;
	if (procfs_read_file(&pf, "status", &status, &status_len) == 0) {
		struct proc_counters c;
		uid_t euid = (uid_t)-1;
		pid_t tgid;
		int threads;
		proc_status_parse(status, &c, &euid, &tgid, &threads);
		free(status);
		if (euid != (uid_t)-1 && procdir_user_name(euid, &user) < 0)
			note(msg, msglen, "the user's name not saved: %s", strerror(errno));
		else if (user)
			n += snprintf(info + n, sizeof(info) - (size_t)n, "user %s\n", user);
	} else if (errno != ESRCH) {
		note(msg, msglen, "the user's name not saved: status: %s", strerror(errno));
	}
	n += snprintf(info + n, sizeof(info) - (size_t)n, "page-size %ld\n",
		      sysconf(_SC_PAGESIZE));
	if (fstatat(pf.dirfd, "exe", &st, 0) == 0 && S_ISREG(st.st_mode))
		n += snprintf(info + n, sizeof(info) - (size_t)n, "exe %02x:%02x:%" PRIu64 "\n",
			      major(st.st_dev), minor(st.st_dev), (uint64_t)st.st_ino);
	/* the process must still be the same at the end */
	if (faccessat(pf.dirfd, "stat", R_OK, 0) < 0) {
		errno = ESRCH;
		fail(msg, msglen, "the process has exited while it was saved");
		goto out;
	}
	if ((size_t)n >= sizeof(info) || write_file(dirfd, "snapshot", info, (size_t)n) < 0) {
		fail(msg, msglen, "%s/snapshot: %s", dir, strerror(errno));
		goto out;
	}
	if (!consistent)
		note(msg, msglen, "smaps changed while it was read (%d reads): the last "
			 "read was saved", reads);
	rc = 0;
out:;
	int e = errno;
	free(user);
	vma_list_free(&l);
	free(smaps);
	free(exe);
	if (dirfd >= 0)
		close(dirfd);
	if (rc < 0 && created)
		remove_tree(AT_FDCWD, dir, 2);	/* task/TID/ */
	procfs_close(&pf);
	errno = e;
	return rc;
}

/* ------------------------------------------------------------------ packed files */

int snapshot_pack(const char *dir, char *msg, size_t msglen)
{
	char path[4096];

	msg[0] = '\0';
	snprintf(path, sizeof(path), "%s/elf", dir);
	int efd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (efd < 0)
		return fail(msg, msglen, "%s: %s", path, strerror(errno));
	int dfd = dup(efd);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		int e = errno;
		if (dfd >= 0)
			close(dfd);
		close(efd);
		errno = e;
		return fail(msg, msglen, "%s: %s", path, strerror(errno));
	}
	struct dirent *de;
	int rc = 0;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		char head[sizeof(PACK_MAGIC)], tmp[300];
		if (de->d_name[0] == '.' || strlen(de->d_name) > 200)
			continue;
		int fd = openat(efd, de->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		ssize_t got = pread_full(fd, head, sizeof(PACK_MAGIC) - 1, 0);
		if (got == (ssize_t)sizeof(PACK_MAGIC) - 1 &&
		    memcmp(head, PACK_MAGIC, sizeof(PACK_MAGIC) - 1) == 0) {
			close(fd);
			continue;
		}
		struct pieces ps;
		find_pieces(fd, (uint64_t)st.st_size, &ps);
		snprintf(tmp, sizeof(tmp), ".%s.tmp", de->d_name);
		unlinkat(efd, tmp, 0);
		if (write_pieces(fd, &ps, efd, tmp, true) < 0) {
			rc = fail(msg, msglen, "%s/%s: %s", path, de->d_name, strerror(errno));
		} else if (renameat(efd, tmp, efd, de->d_name) < 0) {
			rc = fail(msg, msglen, "%s/%s: %s", path, de->d_name, strerror(errno));
			unlinkat(efd, tmp, 0);
		}
		close(fd);
	}
	closedir(d);
	close(efd);
	return rc;
}

/* Parse a decimal number at *p up to the character end; advances *p past end. */
static int parse_u64(const char **p, const char *lim, char end, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;

	if (s >= lim || *s < '0' || *s > '9')
		return -1;
	for (; s < lim && *s >= '0' && *s <= '9'; s++) {
		if (x > (UINT64_MAX - 9) / 10)
			return -1;
		x = x * 10 + (uint64_t)(*s - '0');
	}
	if (s >= lim || *s != end)
		return -1;
	*p = s + 1;
	*v = x;
	return 0;
}

static int expand_packed(int fd, uint64_t flen)
{
	if (flen > MAX_PACKED) {
		errno = ENOEXEC;
		return -1;
	}
	char *buf = malloc(flen ? flen : 1);
	if (!buf)
		return -1;
	if (pread_full(fd, buf, flen, 0) != (ssize_t)flen) {
		free(buf);
		errno = EIO;
		return -1;
	}
	const char *p = buf + sizeof(PACK_MAGIC) - 1, *lim = buf + flen;
	uint64_t size;
	int mfd = -1;
	if ((size_t)(lim - p) < 5 || memcmp(p, "size ", 5) != 0)
		goto bad;
	p += 5;
	if (parse_u64(&p, lim, '\n', &size) < 0 || size > (uint64_t)INT64_MAX)
		goto bad;
	mfd = memfd_create("vmlayout-elf", MFD_CLOEXEC);
	if (mfd < 0 || ftruncate(mfd, (off_t)size) < 0)
		goto err;
	for (;;) {
		uint64_t off, len;
		if ((size_t)(lim - p) >= 4 && memcmp(p, "end\n", 4) == 0)
			break;
		if ((size_t)(lim - p) < 6 || memcmp(p, "piece ", 6) != 0)
			goto bad;
		p += 6;
		if (parse_u64(&p, lim, ' ', &off) < 0 || parse_u64(&p, lim, '\n', &len) < 0 ||
		    len >= (size_t)(lim - p) || p[len] != '\n' || off > size || len > size - off)
			goto bad;
		if (pwrite_all(mfd, p, len, (off_t)off) < 0)
			goto err;
		p += len + 1;
	}
	free(buf);
	return mfd;
bad:
	errno = ENOEXEC;
err:;
	int e = errno;
	if (mfd >= 0)
		close(mfd);
	free(buf);
	errno = e;
	return -1;
}

int snapshot_open_elf_file(int dirfd, const char *name)
{
	char path[300], head[sizeof(PACK_MAGIC)];
	struct stat st;

	if (snprintf(path, sizeof(path), "elf/%s", name) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = openat(dirfd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	ssize_t got = pread_full(fd, head, sizeof(PACK_MAGIC) - 1, 0);
	if (got < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	if (got != (ssize_t)sizeof(PACK_MAGIC) - 1 ||
	    memcmp(head, PACK_MAGIC, sizeof(PACK_MAGIC) - 1) != 0)
		return fd;	/* plain (sparse) */
	int mfd = expand_packed(fd, (uint64_t)st.st_size);
	int e = errno;
	close(fd);
	errno = e;
	return mfd;
}

/* ------------------------------------------------------------------ reading */

struct snapshot_source {
	struct procfs pf;	/* the directory; pf.pid is the recorded PID */
	char *dir;
};

/* The ELF headers the snapshot recorded for the file dev:ino (elf/MAJ:MIN:INO). */
static int open_recorded(const struct snapshot_source *ss, uint32_t major, uint32_t minor,
			 uint64_t ino)
{
	char name[80];

	snprintf(name, sizeof(name), "%02x:%02x:%" PRIu64, major, minor, ino);
	return snapshot_open_elf_file(ss->pf.dirfd, name);
}

/* "key value" lines of the snapshot's description (the file "snapshot"). */
static int read_snapshot_info(struct layout *L, const struct procfs *pf, char **user, char *msg,
			      size_t msglen)
{
	char *buf;
	size_t len;

	if (procfs_read_file(pf, "snapshot", &buf, &len) < 0) {
		if (errno == ENOENT)
			snprintf(msg, msglen, "not a vmlayout snapshot (no file 'snapshot')");
		else
			snprintf(msg, msglen, "snapshot: %s", strerror(errno));
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
			if (!(*user = strdup(sp))) {
				snprintf(msg, msglen, "%s", strerror(ENOMEM));
				free(buf);
				return -1;
			}
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


static enum layout_status snapshot_read(void *priv, struct layout *L, struct elf_cache *cache,
					char *msg, size_t msglen)
{
	struct snapshot_source *ss = priv;
	struct procfs *pf = &ss->pf;
	const char *dir = ss->dir;
	char *buf, *user = NULL;
	size_t len;

	L->source = LAYOUT_SOURCE_SNAPSHOT;
	if (read_snapshot_info(L, pf, &user, msg, msglen) < 0)
		goto fail;
	pf->pid = L->pid;
	if (procfs_read_file(pf, "stat", &buf, &len) < 0) {
		snprintf(msg, msglen, "%s/stat: %s", dir, strerror(errno));
		goto fail;
	}
	int rc = proc_stat_parse(buf, len, &L->stat);
	free(buf);
	if (rc < 0) {
		snprintf(msg, msglen, "%s: stat missing or not understood", dir);
		goto fail;
	}
	if (procdir_read_smaps(L, pf, msg, msglen) < 0) {
		if (!msg[0])
			snprintf(msg, msglen, "smaps: %s", strerror(errno));
		goto fail;
	}
	if (L->vmas.n == 0) {
		snprintf(msg, msglen, "%s: smaps holds no VMA", dir);
		goto fail;
	}
	if (procdir_read_identity(L, pf) < 0) {
		snprintf(msg, msglen, "%s", strerror(errno));
		goto fail;
	}
	L->id.euser = user;
	user = NULL;
	/* the executable's path: the bytes of a file "exe", or a symbolic link */
	L->exe = procfs_readlink(pf, "exe");
	if (!L->exe && errno == EINVAL) {
		if (procfs_read_file(pf, "exe", &buf, &len) < 0) {
			if (errno != ENOENT)
				layout_warn(L, "exe: the executable's path not read: %s",
					    strerror(errno));
		} else if (memchr(buf, '\0', len) || len == 0) {
			free(buf);
		} else {
			L->exe = buf;
		}
	} else if (!L->exe && errno != ENOENT && errno != ESRCH) {
		/* procfs_readlink() says ESRCH for a file not there, as for a process */
		layout_warn(L, "exe: the executable's path not read: %s", strerror(errno));
	}
	int exe_fd = L->has_exe_id ? open_recorded(ss, L->exe_dev_major, L->exe_dev_minor,
						   L->exe_ino)
				   : -1;
	if (exe_fd < 0 && L->has_exe_id && errno != ENOENT)	/* recorded, not read */
		layout_warn(L, "the executable's ELF header not read: %s", strerror(errno));
	procdir_read_rest(L, pf, cache, exe_fd, true);
	return LAYOUT_OK;
fail:
	free(user);
	return LAYOUT_ERROR;
}

static int snapshot_open_elf(void *priv, const struct layout *L, const struct vma *v)
{
	(void)L;
	return open_recorded(priv, v->dev_major, v->dev_minor, v->inode);
}

static void snapshot_close(void *priv)
{
	struct snapshot_source *ss = priv;

	procfs_close(&ss->pf);
	free(ss->dir);
	free(ss);
}

static const struct source_ops snapshot_ops = {
	.read = snapshot_read,
	.open_elf = snapshot_open_elf,
	.close = snapshot_close,
};

int source_open_snapshot(struct source *src, const char *dir)
{
	struct snapshot_source *ss = calloc(1, sizeof(*ss));

	src->ops = NULL;
	src->priv = NULL;
	if (!ss || !(ss->dir = strdup(dir))) {
		free(ss);
		errno = ENOMEM;
		return -1;
	}
	ss->pf.pid = 0;
	ss->pf.dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ss->pf.dirfd < 0) {
		int e = errno;
		free(ss->dir);
		free(ss);
		errno = e;
		return -1;
	}
	src->ops = &snapshot_ops;
	src->priv = ss;
	return 0;
}

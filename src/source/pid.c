/* pid.c - a live process, /proc/PID, as a source (see source.h)
 *
 * /proc/PID is opened once, as a directory fd, when the source is made; every file
 * is opened relative to it, so the process read is the one that had the PID then,
 * even if it exits and the PID is reused meanwhile (the files of a dead process's
 * directory fail with ESRCH or ENOENT).  The order of the reads: stat (is it a
 * kernel thread or a zombie?), smaps, the identity and counters (comm, cmdline,
 * status), the executable, the rest (procdir.h), and after attribution a last look
 * that the process is still there.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "source/procdir.h"
#include "source/source.h"

struct pid_source {
	struct procfs pf;
	unsigned flags;		/* SOURCE_READ_* */
};

/* The executable, /proc/PID/exe: its path, and an fd of it with its dev:inode in L
 * (-1 when it cannot be opened: a kernel thread has none, another user's needs
 * ptrace access, a file of mode 0711 cannot be read).  What cannot be read for
 * another cause than the process's exit is a warning in L. */
static int open_exe(struct layout *L, const struct procfs *pf)
{
	struct stat st;
	int fd;

	L->exe = procfs_readlink(pf, "exe");
	if (!L->exe && errno != ESRCH)
		layout_warn(L, "exe: the executable's path not read: %s", strerror(errno));
	fd = openat(pf->dirfd, "exe", O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT && errno != ESRCH)
			layout_warn(L, "exe: the executable not opened: %s", strerror(errno));
		return -1;
	}
	/* GCOVR_EXCL_START: the kernel executes regular files only */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	/* GCOVR_EXCL_STOP */
	L->exe_dev_major = major(st.st_dev);
	L->exe_dev_minor = minor(st.st_dev);
	L->exe_ino = (uint64_t)st.st_ino;
	L->has_exe_id = true;
	return fd;
}

static enum layout_status pid_read(void *priv, struct layout *L, struct elf_cache *cache,
				   char *msg, size_t msglen)
{
	struct pid_source *ps = priv;
	const struct procfs *pf = &ps->pf;
	char *buf;
	size_t len;

	L->pid = pf->pid;
	L->source = LAYOUT_SOURCE_PID;
	if (procfs_read_file(pf, "stat", &buf, &len) < 0) {
		snprintf(msg, msglen, "stat: %s", strerror(errno));
		return errno == ESRCH ? LAYOUT_EXITED : LAYOUT_ERROR;
	}
	int rc = proc_stat_parse(buf, len, &L->stat);
	free(buf);
	/* GCOVR_EXCL_START: a live stat is the kernel's (the parser's errors: cover-sources.sh) */
	if (rc < 0) {
		snprintf(msg, msglen, "stat: not understood");
		return LAYOUT_ERROR;
	}
	/* GCOVR_EXCL_STOP */
	if (L->stat.flags & PROC_PF_KTHREAD)
		return LAYOUT_KERNEL_THREAD;
	if (L->stat.state == 'Z')
		return LAYOUT_ZOMBIE;
	if (L->stat.state == 'X')
		return LAYOUT_EXITED;
	if (procdir_read_smaps(L, pf, msg, msglen) < 0) {
		if (errno == EACCES || errno == EPERM)
			return LAYOUT_PERMISSION;
		if (errno == ESRCH)
			return LAYOUT_EXITED;
		if (!msg[0])
			snprintf(msg, msglen, "smaps: %s", strerror(errno));
		return LAYOUT_ERROR;
	}
	if (L->vmas.n == 0)
		return LAYOUT_EXITED;	/* no mm: exited (or exiting) since stat was read */
	if (procdir_read_identity(L, pf) < 0 ||
	    (L->id.euid != (uid_t)-1 && procdir_user_name(L->id.euid, &L->id.euser) < 0)) {
		if (errno == ESRCH)
			return LAYOUT_EXITED;
		snprintf(msg, msglen, "%s", strerror(errno));
		return LAYOUT_ERROR;
	}
	procdir_read_rest(L, pf, cache, open_exe(L, pf), ps->flags & SOURCE_READ_ROLLUP);
	return LAYOUT_OK;
}

static int pid_open_elf(void *priv, const struct layout *L, const struct vma *v)
{
	struct pid_source *ps = priv;
	off_t size;

	return procfs_open_mapped(&ps->pf, vma_name(&L->vmas, v), v->deleted, v->start, v->end,
				  v->dev_major, v->dev_minor, v->inode, &size);
}

static int pid_count_pages(void *priv, uint64_t start, uint64_t end, uint64_t page,
			   uint64_t *present, uint64_t *swapped)
{
	struct pid_source *ps = priv;
	uint64_t e[512];
	int fd = procfs_open_file(&ps->pf, "pagemap");

	if (fd < 0)
		return -1;
	*present = *swapped = 0;
	for (uint64_t p = start / page; p < end / page;) {
		size_t want = end / page - p < 512 ? (size_t)(end / page - p) : 512;
		ssize_t n = pread(fd, e, want * sizeof(e[0]), (off_t)(p * sizeof(e[0])));
		if (n <= 0 || n % (ssize_t)sizeof(e[0])) {
			int err = n < 0 ? errno : EIO;
			close(fd);
			errno = err;
			return -1;
		}
		for (size_t k = 0; k < (size_t)n / sizeof(e[0]); k++) {
			*present += e[k] >> 63 & 1;	/* PM_PRESENT */
			*swapped += e[k] >> 62 & 1;	/* PM_SWAP */
		}
		p += (uint64_t)n / sizeof(e[0]);
	}
	close(fd);
	return 0;
}

/* A last look: if the process is gone now, the report may be half made. */
static enum layout_status pid_finish(void *priv, struct layout *L, struct elf_cache *cache)
{
	struct pid_source *ps = priv;

	(void)L;
	(void)cache;
	if (faccessat(ps->pf.dirfd, "stat", R_OK, 0) < 0 && errno == ENOENT)
		return LAYOUT_EXITED;
	return LAYOUT_OK;
}

static void pid_close(void *priv)
{
	struct pid_source *ps = priv;

	procfs_close(&ps->pf);
	free(ps);
}

static const struct source_ops pid_ops = {
	.read = pid_read,
	.open_elf = pid_open_elf,
	.count_pages = pid_count_pages,
	.finish = pid_finish,
	.close = pid_close,
};

int source_open_pid(struct source *src, pid_t pid, unsigned flags)
{
	struct pid_source *ps = calloc(1, sizeof(*ps));

	src->ops = NULL;
	src->priv = NULL;
	if (!ps)
		return -1;
	if (procfs_open(&ps->pf, pid) < 0) {
		int e = errno;
		free(ps);
		errno = e;
		return -1;
	}
	ps->flags = flags;
	src->ops = &pid_ops;
	src->priv = ps;
	return 0;
}

/* procfs.c - the one module that reads /proc/PID (see procfs.h) */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "source/procfs.h"

int procfs_open(struct procfs *p, pid_t pid)
{
	char path[32];

	p->pid = pid;
	p->live = true;
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	p->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p->dirfd < 0) {
		if (errno == ENOENT)
			errno = ESRCH;
		return -1;
	}
	return 0;
}

void procfs_close(struct procfs *p)
{
	if (p->dirfd >= 0)
		close(p->dirfd);
	p->dirfd = -1;
}

int procfs_open_file(const struct procfs *p, const char *name)
{
	int fd = openat(p->dirfd, name, O_RDONLY | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT && p->live)
		errno = ESRCH;
	return fd;
}

int procfs_read_file(const struct procfs *p, const char *name, char **buf, size_t *len)
{
	int fd = procfs_open_file(p, name);
	size_t cap = 4096, n = 0;
	char *b;

	if (fd < 0)
		return -1;
	b = malloc(cap);
	if (!b)
		goto fail;
	for (;;) {
		if (cap - n < 2) {
			char *nb = realloc(b, cap * 2);
			if (!nb)
				goto fail;
			b = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, b + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)	/* GCOVR_EXCL_BR_LINE: no signal handler is installed, so no EINTR */
				continue;	/* GCOVR_EXCL_LINE: (as above) */
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
fail:
	{
		int e = errno;
		free(b);
		close(fd);
		errno = e;
	}
	return -1;
}

char *procfs_readlink(const struct procfs *p, const char *name)
{
	size_t cap = 256;

	for (;;) {
		char *b = malloc(cap);
		if (!b)
			return NULL;
		ssize_t r = readlinkat(p->dirfd, name, b, cap);
		if (r < 0) {
			int e = errno;
			free(b);
			errno = e == ENOENT ? ESRCH : e;
			return NULL;
		}
		if ((size_t)r < cap) {
			b[r] = '\0';
			return b;
		}
		free(b);
		/* GCOVR_EXCL_START: a link's target is at most PATH_MAX bytes */
		if (cap > 1 << 20) {
			errno = ENAMETOOLONG;
			return NULL;
		}
		/* GCOVR_EXCL_STOP */
		cap *= 4;
	}
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

int procfs_list_tasks(const struct procfs *p, pid_t **tids, size_t *n)
{
	int fd = openat(p->dirfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t cap = 16, cnt = 0;
	pid_t *t;
	DIR *d;
	struct dirent *de;

	if (fd < 0) {
		if (errno == ENOENT)
			errno = ESRCH;
		return -1;
	}
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	t = malloc(cap * sizeof(*t));
	if (!t) {
		closedir(d);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		char *end;
		long v = strtol(de->d_name, &end, 10);
		if (*end || end == de->d_name || v <= 0 || v > INT_MAX)
			continue;
		if (cnt == cap) {
			pid_t *nt = realloc(t, cap * 2 * sizeof(*t));
			if (!nt) {
				free(t);
				closedir(d);
				return -1;
			}
			t = nt;
			cap *= 2;
		}
		t[cnt++] = (pid_t)v;
	}
	closedir(d);
	qsort(t, cnt, sizeof(*t), cmp_pid);
	*tids = t;
	*n = cnt;
	return 0;
}

int proc_stat_parse(const char *buf, size_t len, struct proc_stat *st)
{
	const char *open = memchr(buf, '(', len);
	const char *close = NULL;
	unsigned long long f[53] = { 0 };
	int nf = 0;

	memset(st, 0, sizeof(*st));
	for (const char *q = buf + len; q > buf; q--)
		if (q[-1] == ')') {
			close = q - 1;
			break;
		}
	if (!open || !close || close < open) {
		errno = ENOEXEC;
		return -1;
	}
	size_t clen = (size_t)(close - open - 1);
	if (clen >= sizeof(st->comm))
		clen = sizeof(st->comm) - 1;
	memcpy(st->comm, open + 1, clen);
	st->comm[clen] = '\0';

	/* fields 3.. after ") " */
	const char *s = close + 1, *e = buf + len;
	while (s < e && *s == ' ')
		s++;
	if (s >= e) {
		errno = ENOEXEC;
		return -1;
	}
	st->state = *s++;
	nf = 3;
	while (s < e && nf < 52) {
		while (s < e && *s == ' ')
			s++;
		if (s >= e || *s == '\n')
			break;
		char *end;
		errno = 0;
		unsigned long long v;
		if (*s == '-') {
			long long sv = strtoll(s, &end, 10);
			v = (unsigned long long)sv;
		} else {
			v = strtoull(s, &end, 10);
		}
		if (end == s) {
			errno = ENOEXEC;
			return -1;
		}
		f[++nf] = v;
		s = end;
	}
	if (nf < 28) {
		errno = ENOEXEC;
		return -1;
	}
	st->ppid = (pid_t)f[4];
	st->flags = (unsigned long)f[9];
	st->start_time = f[22];
	st->start_code = f[26];
	st->end_code = f[27];
	st->start_stack = f[28];
	if (nf >= 51) {
		st->start_data = f[45];
		st->end_data = f[46];
		st->start_brk = f[47];
		st->arg_start = f[48];
		st->arg_end = f[49];
		st->env_start = f[50];
		st->env_end = f[51];
	}
	st->has_mm_fields = nf >= 51 && !(st->start_code == 1 && st->end_code == 1) &&
			    (st->start_code | st->end_code | st->arg_start) != 0;
	return 0;
}

int procfs_thread_sp(const struct procfs *p, pid_t tid, uint64_t *sp)
{
	char name[48], *buf;
	size_t len;

	snprintf(name, sizeof(name), "task/%d/syscall", (int)tid);
	if (procfs_read_file(p, name, &buf, &len) < 0)
		return -1;
	if (strncmp(buf, "running", 7) == 0) {
		free(buf);
		errno = EAGAIN;
		return -1;
	}
	/* "NR a1 a2 a3 a4 a5 a6 SP PC" or "-1 SP PC": SP is the next-to-last field */
	char *fields[10];
	int n = 0;
	char *save = NULL;	/* strtok_r: the workers of --all read threads at once */
	for (char *tok = strtok_r(buf, " \n", &save); tok && n < 10;
	     tok = strtok_r(NULL, " \n", &save))
		fields[n++] = tok;
	if (n != 3 && n != 9) {
		free(buf);
		errno = ENOEXEC;
		return -1;
	}
	char *end;
	errno = 0;
	unsigned long long v = strtoull(fields[n - 2], &end, 16);
	if (*end || errno) {
		free(buf);
		errno = ENOEXEC;
		return -1;
	}
	free(buf);
	*sp = v;
	return 0;
}

/* O_PATH-open NAME (relative to dirfd), check that it is the mapped file, then open
 * it for reading through /proc/self/fd. */
static int open_checked(int dirfd, const char *name, dev_t dev, uint64_t ino, off_t *size)
{
	struct stat st;
	int pfd = openat(dirfd, name, O_PATH | O_CLOEXEC);
	int fd;
	char self[64];

	if (pfd < 0)
		return -1;
	if (fstat(pfd, &st) < 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	if (st.st_dev != dev || (uint64_t)st.st_ino != ino) {
		errno = ESTALE;
		goto fail;
	}
	snprintf(self, sizeof(self), "/proc/self/fd/%d", pfd);
	fd = open(self, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		goto fail;
	close(pfd);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_dev != dev ||
	    (uint64_t)st.st_ino != ino) {
		close(fd);
		errno = ESTALE;
		return -1;
	}
	*size = st.st_size;
	return fd;
fail:
	{
		int e = errno;
		close(pfd);
		errno = e;
	}
	return -1;
}

int procfs_open_mapped(const struct procfs *p, const char *path, bool deleted,
		       uint64_t start, uint64_t end, uint32_t dev_major, uint32_t dev_minor,
		       uint64_t ino, off_t *size)
{
	dev_t dev = makedev(dev_major, dev_minor);
	int fd = -1, err = ENOENT;

	if (!deleted && path[0] == '/' && strlen(path) < PATH_MAX) {
		char *rel;
		if (asprintf(&rel, "root%s", path) < 0)
			return -1;
		fd = open_checked(p->dirfd, rel, dev, ino, size);
		err = errno;
		free(rel);
		if (fd >= 0)
			return fd;
	}
	char mf[64];
	snprintf(mf, sizeof(mf), "map_files/%" PRIx64 "-%" PRIx64, start, end);
	fd = open_checked(p->dirfd, mf, dev, ino, size);
	if (fd >= 0)
		return fd;
	/* Report the more telling of the two failures. */
	if (err != ENOENT && errno != ESTALE && errno != EINVAL)
		errno = err;
	return -1;
}

int proc_status_parse(const char *buf, struct proc_counters *c, uid_t *euid, pid_t *tgid,
		      int *threads)
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
		{ "VmPeak", offsetof(struct proc_counters, vm_peak) },
		{ "VmHWM", offsetof(struct proc_counters, vm_hwm) },
		{ "VmLck", offsetof(struct proc_counters, vm_lck) },
		{ "VmPin", offsetof(struct proc_counters, vm_pin) },
		{ "VmPTE", offsetof(struct proc_counters, vm_pte) },
	};
	uint64_t unknown = PROC_COUNTER_UNKNOWN;

	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		memcpy((char *)c + k[i].off, &unknown, sizeof(unknown));
	for (const char *line = buf; line && *line;
	     line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
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
		if (klen == 4 && memcmp(line, "Tgid", 4) == 0) {
			*tgid = (pid_t)atoi(colon + 1);
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
	if (c->vm_size == PROC_COUNTER_UNKNOWN) {
		errno = ENOEXEC;
		return -1;
	}
	return 0;
}

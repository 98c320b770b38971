/* procinfo.c - process identity and kernel counters, through libproc2 (see procinfo.h)
 *
 * libproc2's results are read as stack->head[i].result.<member>, i being the position
 * of the item in this file's own items[] array, never through PIDS_VAL (whose arity
 * changed in procps-ng 4.0.5) and never by the numeric value of a pids_item (members
 * were inserted mid-list in later versions).  The result members used are those of
 * pids.h in 4.0.2, checked against the comments there.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include "procinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libproc2/pids.h>

#include "array.h"
#include "procfs.h"

#ifndef PF_KTHREAD
#define PF_KTHREAD 0x00200000	/* include/linux/sched.h: I am a kernel thread */
#endif

/* ------------------------------------------------------------------ raw /proc files */

/* Read all of file name under the directory fd dirfd (/proc/PID) into a malloc'd
 * buffer with a NUL after the *len bytes: procfs_read_file().  Returns 0, or -1 with
 * errno (ESRCH: the process is gone). */
static int slurp_at(int dirfd, const char *name, char **buf, size_t *len)
{
	struct procfs pf = { .pid = 0, .dirfd = dirfd };

	return procfs_read_file(&pf, name, buf, len);
}

/* comm: the file's bytes less the one newline the kernel adds. */
static int read_comm(int dirfd, char **comm, size_t *len)
{
	if (slurp_at(dirfd, "comm", comm, len) < 0)
		return -1;
	if (*len && (*comm)[*len - 1] == '\n')
		(*comm)[--*len] = 0;
	return 0;
}

/* Split the NUL-separated arguments of cmdline (len bytes, with a NUL after them) into
 * a NULL-terminated array of malloc'd strings.  A final argument without its NUL (a
 * process may overwrite its argument area) is kept. */
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
		v[i] = malloc(l + 1);
		if (!v[i]) {
			for (size_t j = 0; j < i; j++)
				free(v[j]);
			free(v);
			errno = ENOMEM;
			return -1;
		}
		memcpy(v[i], p, l + 1);
		p += l + 1;
	}
	*argv = v;
	*argc = n;
	return 0;
}

/* The name of uid in the user database, malloc'd into *name; NULL when it has none
 * (or the database cannot say).  Returns -1 with ENOMEM only. */
static int user_name(uid_t uid, char **name)
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

/* ------------------------------------------------------------------ libproc2 */

/* Positions in items[]: results are read by these. */
enum {
	I_PID,
	I_TGID,
	I_PPID,
	I_STATE,
	I_NLWP,
	I_EUID,
	I_FLAGS,
	I_BEGAN,
	I_VM_SIZE,
	I_VM_RSS,
	I_VM_DATA,
	I_VM_STACK,
	I_VM_EXE,
	I_VM_LIB,
	I_VM_SWAP,
	I_VM_RSS_ANON,
	I_VM_RSS_FILE,
	I_VM_RSS_SHARED,
	I_COUNT
};

/* Each item with the result member pids.h (4.0.2) gives for it. */
static enum pids_item items[I_COUNT] = {
	[I_PID] = PIDS_ID_PID,			/* s_int */
	[I_TGID] = PIDS_ID_TGID,		/* s_int */
	[I_PPID] = PIDS_ID_PPID,		/* s_int */
	[I_STATE] = PIDS_STATE,			/* s_ch */
	[I_NLWP] = PIDS_NLWP,			/* s_int */
	[I_EUID] = PIDS_ID_EUID,		/* u_int */
	[I_FLAGS] = PIDS_FLAGS,			/* ul_int */
	[I_BEGAN] = PIDS_TICS_BEGAN,		/* ull_int, clock ticks */
	[I_VM_SIZE] = PIDS_VM_SIZE,		/* ul_int, KiB */
	[I_VM_RSS] = PIDS_VM_RSS,		/* ul_int, KiB */
	[I_VM_DATA] = PIDS_VM_DATA,		/* ul_int, KiB */
	[I_VM_STACK] = PIDS_VM_STACK,		/* ul_int, KiB */
	[I_VM_EXE] = PIDS_VM_EXE,		/* ul_int, KiB */
	[I_VM_LIB] = PIDS_VM_LIB,		/* ul_int, KiB */
	[I_VM_SWAP] = PIDS_VM_SWAP,		/* ul_int, KiB */
	[I_VM_RSS_ANON] = PIDS_VM_RSS_ANON,	/* ul_int, KiB */
	[I_VM_RSS_FILE] = PIDS_VM_RSS_FILE,	/* ul_int, KiB */
	[I_VM_RSS_SHARED] = PIDS_VM_RSS_SHARED,	/* ul_int, KiB */
};

/* procps_pids_new() returns a negative errno; keep a positive one. */
static int pids_new(struct pids_info **info, enum pids_item *list, int count)
{
	int rc = procps_pids_new(info, list, count);

	if (rc < 0) {
		*info = NULL;
		errno = -rc;
		return -1;
	}
	return 0;
}

static uint64_t kib(const struct pids_result *h, int i)
{
	return (uint64_t)h[i].result.ul_int * 1024;
}

static void counters_unknown(struct proc_counters *c)
{
	c->vm_size = c->vm_rss = c->vm_data = c->vm_stk = c->vm_exe = PROC_COUNTER_UNKNOWN;
	c->vm_lib = c->vm_swap = PROC_COUNTER_UNKNOWN;
	c->rss_anon = c->rss_file = c->rss_shmem = PROC_COUNTER_UNKNOWN;
}

/* The counters from a result stack.  libproc2 leaves 0 for a line status does not
 * have.  A process with an mm always has a VmSize above 0 (its stack, at least), and
 * the kernel computes VmRSS as RssAnon + RssFile + RssShmem, so: VmSize 0 means no mm,
 * and those three all 0 under a VmRSS above 0 means a kernel that does not print them. */
static void fill_counters(const struct pids_result *h, struct proc_counters *c)
{
	if (h[I_VM_SIZE].result.ul_int == 0) {
		counters_unknown(c);
		return;
	}
	c->vm_size = kib(h, I_VM_SIZE);
	c->vm_rss = kib(h, I_VM_RSS);
	c->vm_data = kib(h, I_VM_DATA);
	c->vm_stk = kib(h, I_VM_STACK);
	c->vm_exe = kib(h, I_VM_EXE);
	c->vm_lib = kib(h, I_VM_LIB);
	c->vm_swap = kib(h, I_VM_SWAP);
	c->rss_anon = kib(h, I_VM_RSS_ANON);
	c->rss_file = kib(h, I_VM_RSS_FILE);
	c->rss_shmem = kib(h, I_VM_RSS_SHARED);
	if (c->vm_rss && !c->rss_anon && !c->rss_file && !c->rss_shmem)
		c->rss_anon = c->rss_file = c->rss_shmem = PROC_COUNTER_UNKNOWN;
}

/* ------------------------------------------------------------------ API */

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

int procinfo_read(pid_t pid, struct proc_identity *id, struct proc_counters *c)
{
	struct pids_info *info = NULL;
	struct pids_fetch *fetch;
	const struct pids_result *h;
	struct proc_identity new = { .pid = pid };
	char path[32], *data = NULL;
	unsigned want = (unsigned)pid;
	size_t len;
	int dirfd = -1, saved;

	if (id)
		memset(id, 0, sizeof *id);
	if (c)
		counters_unknown(c);
	if (pid <= 0) {
		errno = ESRCH;
		return -1;
	}

	/* Held open until the end: the last check below tells whether the process
	 * lived through all the reads (the directory of a dead process stays empty
	 * even if its PID is reused). */
	snprintf(path, sizeof path, "/proc/%d", (int)pid);
	dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		if (errno == ENOENT)
			errno = ESRCH;
		return -1;
	}

	if (id) {
		if (read_comm(dirfd, &new.comm, &len) < 0)
			goto fail;
		if (slurp_at(dirfd, "cmdline", &data, &len) < 0)
			goto fail;
		if (split_cmdline(data, len, &new.cmdline, &new.cmdline_n) < 0)
			goto fail;
		free(data);
		data = NULL;
	}

	if (pids_new(&info, items, I_COUNT) < 0)
		goto fail;
	errno = 0;
	fetch = procps_pids_select(info, &want, 1, PIDS_SELECT_PID);
	if (!fetch) {
		if (!errno)
			errno = EIO;
		goto fail;
	}
	if (fetch->counts->total < 1) {
		errno = ESRCH;		/* gone before libproc2 read it */
		goto fail;
	}
	h = fetch->stacks[0]->head;
	if (h[I_PID].result.s_int != pid) {
		errno = ESRCH;
		goto fail;
	}
	new.tgid = h[I_TGID].result.s_int;
	new.ppid = h[I_PPID].result.s_int;
	new.state = (char)h[I_STATE].result.s_ch;
	new.threads = h[I_NLWP].result.s_int;
	new.euid = (uid_t)h[I_EUID].result.u_int;
	new.start_time = h[I_BEGAN].result.ull_int;
	new.is_kernel_thread = (h[I_FLAGS].result.ul_int & PF_KTHREAD) != 0;
	if (c)
		fill_counters(h, c);
	procps_pids_unref(&info);

	if (id && user_name(new.euid, &new.euser) < 0)
		goto fail;

	/* Still the same process?  (A zombie still has its files.) */
	if (faccessat(dirfd, "stat", F_OK, 0) < 0) {
		errno = ESRCH;
		goto fail;
	}
	close(dirfd);
	if (id)
		*id = new;
	return 0;

fail:
	saved = errno;
	if (info)
		procps_pids_unref(&info);
	free(data);
	proc_identity_free(&new);
	close(dirfd);
	if (c)
		counters_unknown(c);
	errno = saved;
	return -1;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* Whether the process whose directory is dirfd goes by name (see procinfo.h). */
static bool name_matches(int dirfd, const char *name, size_t nlen)
{
	char *s = NULL;
	size_t len = 0;
	bool match = false;

	if (read_comm(dirfd, &s, &len) == 0) {
		if (len == nlen && memcmp(s, name, len) == 0)
			match = true;
		else if (nlen > PROC_COMM_LEN && len == PROC_COMM_LEN &&
			 memcmp(s, name, PROC_COMM_LEN) == 0)
			match = true;
		free(s);
		s = NULL;
	}
	if (!match && slurp_at(dirfd, "cmdline", &s, &len) == 0) {
		/* argv[0] ends at the first NUL (the buffer has one after len). */
		const char *base = strrchr(s, '/');
		base = base ? base + 1 : s;
		if (len && strcmp(base, name) == 0)
			match = true;
		free(s);
	}
	return match;
}

int procinfo_find_by_name(const char *name, pid_t **pids, size_t *n)
{
	enum pids_item list[] = { PIDS_ID_PID };	/* s_int */
	struct pids_info *info = NULL;
	struct pids_fetch *fetch;
	pid_t self = getpid(), *found = NULL;
	size_t count = 0, cap = 0, nlen = strlen(name);
	char path[32];

	*pids = NULL;
	*n = 0;
	if (pids_new(&info, list, 1) < 0)
		return -1;
	errno = 0;
	fetch = procps_pids_reap(info, PIDS_FETCH_TASKS_ONLY);
	if (!fetch) {
		int saved = errno ? errno : EIO;
		procps_pids_unref(&info);
		errno = saved;
		return -1;
	}
	for (int i = 0; i < fetch->counts->total; i++) {
		pid_t pid = fetch->stacks[i]->head[0].result.s_int;
		if (pid == self || pid <= 0)
			continue;
		snprintf(path, sizeof path, "/proc/%d", (int)pid);
		int dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dirfd < 0)
			continue;	/* gone already */
		bool match = name_matches(dirfd, name, nlen);
		close(dirfd);
		if (!match)
			continue;
		if (ARRAY_GROW(found, cap, count, 8) < 0) {
			free(found);
			procps_pids_unref(&info);
			errno = ENOMEM;
			return -1;
		}
		found[count++] = pid;
	}
	procps_pids_unref(&info);
	if (count > 1)
		qsort(found, count, sizeof *found, cmp_pid);
	*pids = found;
	*n = count;
	return 0;
}

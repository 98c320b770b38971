/* procinfo.c - the processes of the machine, through libproc2 (see procinfo.h)
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

#include "source/procinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libproc2/pids.h>

#include "lib/array.h"
#include "source/procfs.h"

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

/* ------------------------------------------------------------------ libproc2 */

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

/* ------------------------------------------------------------------ API */

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* A failed read of a process's file that only means the process is gone or not
 * ours to read: the process is skipped.  Any other (no memory, too many open
 * files) fails the look-up, which could otherwise miss the process. */
static bool skippable(int err)
{
	return err == ENOENT || err == ESRCH || err == EACCES || err == EPERM;
}

/* Whether the process whose directory is dirfd goes by name (see procinfo.h): 1 or
 * 0, or -1 with errno when a file could not be read for another reason than
 * skippable(). */
static int name_matches(int dirfd, const char *name, size_t nlen)
{
	char *s = NULL;
	size_t len = 0;
	bool match = false;

	if (read_comm(dirfd, &s, &len) < 0) {
		if (!skippable(errno))
			return -1;
	} else {
		if (len == nlen && memcmp(s, name, len) == 0)
			match = true;
		else if (nlen > PROC_COMM_LEN && len == PROC_COMM_LEN &&
			 memcmp(s, name, PROC_COMM_LEN) == 0)
			match = true;
		free(s);
		s = NULL;
	}
	if (match)
		return 1;
	if (slurp_at(dirfd, "cmdline", &s, &len) < 0)
		return skippable(errno) ? 0 : -1;
	/* argv[0] ends at the first NUL (the buffer has one after len). */
	const char *base = strrchr(s, '/');
	base = base ? base + 1 : s;
	if (len && strcmp(base, name) == 0)
		match = true;
	free(s);
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
		if (dirfd < 0 && skippable(errno))
			continue;	/* gone already */
		int match = dirfd < 0 ? -1 : name_matches(dirfd, name, nlen);
		int e = errno;
		if (dirfd >= 0)
			close(dirfd);
		if (match == 0)
			continue;
		if (match < 0 || ARRAY_GROW(found, cap, count, 8) < 0) {
			free(found);
			procps_pids_unref(&info);
			errno = match < 0 ? e : ENOMEM;
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

static int cmp_entry(const void *a, const void *b)
{
	return cmp_pid(&((const struct procinfo_entry *)a)->pid,
		       &((const struct procinfo_entry *)b)->pid);
}

int procinfo_list(struct procinfo_entry **list, size_t *n, bool with_euid)
{
	/* result members as in pids.h of 4.0.2: s_int, ul_int, ul_int (pages), u_int;
	 * all but the uid from stat, the uid from status: asked for only when needed,
	 * as status costs the kernel more than stat */
	enum pids_item items[] = { PIDS_ID_PID, PIDS_FLAGS, PIDS_RSS, PIDS_ID_EUID };
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	struct pids_info *info = NULL;
	struct pids_fetch *fetch;
	struct procinfo_entry *v = NULL;
	pid_t self = getpid();
	size_t count = 0;

	*list = NULL;
	*n = 0;
	if (pids_new(&info, items, with_euid ? 4 : 3) < 0)
		return -1;
	errno = 0;
	fetch = procps_pids_reap(info, PIDS_FETCH_TASKS_ONLY);
	if (!fetch) {
		int saved = errno ? errno : EIO;
		procps_pids_unref(&info);
		errno = saved;
		return -1;
	}
	if (fetch->counts->total > 0) {
		v = calloc((size_t)fetch->counts->total, sizeof(*v));
		if (!v) {
			procps_pids_unref(&info);
			errno = ENOMEM;
			return -1;
		}
	}
	for (int i = 0; i < fetch->counts->total; i++) {
		struct pids_result *r = fetch->stacks[i]->head;
		pid_t pid = r[0].result.s_int;
		if (pid == self || pid <= 0)
			continue;
		v[count++] = (struct procinfo_entry){
			.pid = pid, .euid = with_euid ? r[3].result.u_int : (uid_t)-1,
			.kernel_thread = (r[1].result.ul_int & PF_KTHREAD) != 0,
			.rss = (uint64_t)r[2].result.ul_int * page,
		};
	}
	procps_pids_unref(&info);
	if (count > 1)
		qsort(v, count, sizeof(*v), cmp_entry);
	if (!count) {
		free(v);
		v = NULL;
	}
	*list = v;
	*n = count;
	return 0;
}

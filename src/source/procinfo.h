/* procinfo.h - the processes of the machine, through libproc2
 *
 * The one module that uses libproc2 (procps-ng 4).  libproc2's interface changed
 * between 4.0.2 and 4.0.5 (the PIDS_VAL macro's arity; enum members inserted mid-list),
 * so it is used from this file only, its results read by position from its own item
 * array, and nothing of it shows in this header.  It enumerates processes; what a
 * process is and its counters are read from its /proc/PID directory by procdir.h, the
 * same way for a live process and a snapshot.
 */
#ifndef VMLAYOUT_PROCINFO_H
#define VMLAYOUT_PROCINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The processes (thread group leaders, not threads) whose comm is name, like pidof:
 * comm equal to name, or, when name is longer than PROC_COMM_LEN bytes, comm equal to
 * name's first PROC_COMM_LEN bytes (the kernel truncates comm); or else the last
 * '/'-separated part of argv[0] (first argument of /proc/PID/cmdline) equal to name.
 * Compares raw bytes.  The calling process is left out.  Processes that vanish
 * during the scan (ENOENT, ESRCH) or whose files may not be read (EACCES, EPERM) are
 * skipped; any other failure to read one (ENOMEM, EMFILE...) fails the look-up, which
 * would otherwise say that there is no such process when there is one.
 * On success *pids is a malloc'd array of *n PIDs in ascending order (NULL when *n is
 * 0) and the return is 0; else -1 with errno (ENOMEM, EMFILE, or libproc2's error
 * reading /proc).  The list enumerates /proc through libproc2. */
int procinfo_find_by_name(const char *name, pid_t **pids, size_t *n);

/* One process of the machine as libproc2 lists it (procinfo_list()). */
struct procinfo_entry {
	pid_t pid;
	uid_t euid;		/* effective uid (status Uid, second field), or
				 * (uid_t)-1 when not asked for */
	bool kernel_thread;	/* PF_KTHREAD in the flags (stat field 9) */
	uint64_t rss;		/* resident set size, bytes (stat field 24, rss, in
				 * pages; 0 unknown) */
};

/* Every process of the machine (thread group leaders, not threads), the calling
 * process left out, in ascending PID order: what libproc2 reads of /proc/PID/stat,
 * and of /proc/PID/status for the uid when with_euid (a process that ends during
 * the scan, or whose files cannot be read, may be missing or listed).  On success
 * *list is a malloc'd array of *n entries (NULL when *n is 0) and the return is 0;
 * else -1 with errno (ENOMEM, or libproc2's error reading /proc). */
int procinfo_list(struct procinfo_entry **list, size_t *n, bool with_euid);

#endif

/* procinfo.h - who a process is, and the kernel's own memory counters for it
 *
 * The one module that uses libproc2 (procps-ng 4).  libproc2's interface changed
 * between 4.0.2 and 4.0.5 (the PIDS_VAL macro's arity; enum members inserted mid-list),
 * so it is used from this file only, its results read by position from its own item
 * array, and nothing of it shows in this header.
 *
 * Sources:
 *  - libproc2 (which reads /proc/PID/stat and /proc/PID/status): ppid, state, threads,
 *    euid, start time, kernel-thread flag, thread group id and the Vm and Rss counters;
 *  - /proc/PID/comm and /proc/PID/cmdline, read here directly, as raw bytes: libproc2
 *    4.0.2 rewrites both (control and non-ASCII bytes of comm become '.' or '?',
 *    depending on the locale; cmdline_v splits arguments at newlines and stands "-" in
 *    for an empty command line), which would change names and break matching;
 *  - the user database (getpwuid_r) for the user name: libproc2 stands the number in
 *    for a uid without a name, and for names of 33 bytes or more.
 *
 * A PID read while its process exits, and is perhaps reused by a new process, must not
 * mix two processes: procinfo_read() holds /proc/PID open from before the first read to
 * after the last one and fails with ESRCH unless the process is still there at the end.
 */
#ifndef VMLAYOUT_PROCINFO_H
#define VMLAYOUT_PROCINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* comm is at most this many bytes (the kernel's TASK_COMM_LEN less its NUL); kernel
 * worker threads show longer names in /proc/PID/comm. */
#define PROC_COMM_LEN 15

struct proc_identity {
	pid_t pid;			/* as asked */
	pid_t tgid;			/* thread group id: pid, unless pid names a thread
					 * other than the leader (Tgid of status) */
	pid_t ppid;			/* parent (stat field 4) */
	char state;			/* one letter as in stat field 3: R S D Z T t X I ... */
	char *comm;			/* malloc'd, raw bytes of /proc/PID/comm without
					 * its final newline (any bytes but NUL) */
	char **cmdline;			/* malloc'd copy of the arguments in /proc/PID/cmdline,
					 * raw bytes (any but NUL), NULL-terminated */
	size_t cmdline_n;		/* number of arguments: 0 for kernel threads and
					 * zombies (empty cmdline) */
	int threads;			/* number of threads (stat field 20, num_threads) */
	uid_t euid;			/* effective uid (status Uid, second field) */
	char *euser;			/* malloc'd name of euid, NULL when the uid has no name
					 * in the user database */
	unsigned long long start_time;	/* start, in clock ticks (sysconf(_SC_CLK_TCK)) since
					 * boot (stat field 22) */
	bool is_kernel_thread;		/* PF_KTHREAD (0x00200000) in the flags (stat field 9) */
};

/* The value of a counter that could not be known. */
#define PROC_COUNTER_UNKNOWN UINT64_MAX

/* The kernel's memory counters of a process, from /proc/PID/status, in BYTES (the
 * kernel prints them in kB, which is KiB; libproc2 gives KiB; multiplied by 1024 here).
 * Each is PROC_COUNTER_UNKNOWN when the process has no mm (kernel threads, zombies:
 * status then has none of these lines), and rss_anon, rss_file and rss_shmem are also
 * unknown on kernels older than 4.5, which do not print them. */
struct proc_counters {
	uint64_t vm_size;	/* VmSize: total_vm, all mapped pages */
	uint64_t vm_rss;	/* VmRSS: resident, = rss_anon + rss_file + rss_shmem */
	uint64_t vm_data;	/* VmData: data_vm, private writable non-stack mappings */
	uint64_t vm_stk;	/* VmStk: stack_vm */
	uint64_t vm_exe;	/* VmExe: the executable's text, end_code - start_code */
	uint64_t vm_lib;	/* VmLib: exec_vm less VmExe, the other executable
				 * mappings (shared libraries, mostly) */
	uint64_t vm_swap;	/* VmSwap: anonymous memory swapped out */
	uint64_t rss_anon;	/* RssAnon: resident anonymous memory */
	uint64_t rss_file;	/* RssFile: resident file mappings */
	uint64_t rss_shmem;	/* RssShmem: resident shared memory (shmem, tmpfs, SysV) */
};

/* Read the identity and the counters of process pid; either pointer may be NULL to
 * skip that part.  On success *id holds allocated strings: free them with
 * proc_identity_free().  pid may also name a thread other than the leader (id->tgid
 * then differs).
 * Returns 0, or -1 with errno:
 *   ESRCH   no such process (also pid <= 0, and a process that exits while it is read;
 *           a zombie is still read, with state 'Z');
 *   EACCES  /proc/PID cannot be read (a /proc mounted with hidepid);
 *   ENOMEM  out of memory;
 *   another errno when libproc2 or /proc fail otherwise.
 * On failure *id is left empty (all pointers NULL) and *c unknown. */
int procinfo_read(pid_t pid, struct proc_identity *id, struct proc_counters *c);

/* Free the strings of *id and empty it; an emptied or zeroed *id is fine. */
void proc_identity_free(struct proc_identity *id);

/* The processes (thread group leaders, not threads) whose comm is name, like pidof:
 * comm equal to name, or, when name is longer than PROC_COMM_LEN bytes, comm equal to
 * name's first PROC_COMM_LEN bytes (the kernel truncates comm); or else the last
 * '/'-separated part of argv[0] (first argument of /proc/PID/cmdline) equal to name.
 * Compares raw bytes.  The calling process is left out.  Processes that vanish or
 * cannot be read during the scan are skipped.
 * On success *pids is a malloc'd array of *n PIDs in ascending order (NULL when *n is
 * 0) and the return is 0; else -1 with errno (ENOMEM, or libproc2's error reading
 * /proc).  The list enumerates /proc through libproc2. */
int procinfo_find_by_name(const char *name, pid_t **pids, size_t *n);

#endif

/* procfs.h - the one module that reads /proc/PID
 *
 * /proc/PID is opened once as a directory file descriptor and every file under it
 * is opened with openat() relative to it, so a PID reused while vmlayout runs cannot
 * mix two processes: once the process is gone, openat() under the old directory
 * fails (ESRCH or ENOENT) instead of reaching the new one.
 */
#ifndef VMLAYOUT_PROCFS_H
#define VMLAYOUT_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A /proc/PID directory, or a directory that holds the same files (a snapshot). */
struct procfs {
	pid_t pid;
	int dirfd;		/* /proc/PID, O_DIRECTORY */
	bool live;		/* /proc/PID itself (procfs_open()): a file that is
				 * missing there means the process has exited */
};

/* Open /proc/PID.  Returns 0, or -1 with errno ESRCH (no such process) or the
 * error of open(2). */
int procfs_open(struct procfs *p, pid_t pid);
void procfs_close(struct procfs *p);

/* Open NAME under the directory read-only (O_CLOEXEC).  Returns the fd, or -1 with
 * errno; under a live /proc/PID, ENOENT (a vanished process) is reported as ESRCH. */
int procfs_open_file(const struct procfs *p, const char *name);

/* Read all of /proc/PID/NAME into a malloc'd buffer (*buf, *len bytes, NUL added
 * after the last byte).  For the small files: stat, status, auxv, syscall, cmdline.
 * Returns 0, or -1 with errno as procfs_open_file() or read(2), or ENOMEM. */
int procfs_read_file(const struct procfs *p, const char *name, char **buf, size_t *len);

/* The target of the symbolic link /proc/PID/NAME ("exe"), malloc'd, or NULL with
 * errno. */
char *procfs_readlink(const struct procfs *p, const char *name);

/* The TIDs of the process's threads, from the entries of /proc/PID/task, sorted
 * ascending; *tids malloc'd.  Returns 0, or -1 with errno. */
int procfs_list_tasks(const struct procfs *p, pid_t **tids, size_t *n);

/* The fields of /proc/PID/stat that vmlayout uses.  Addresses in bytes; 0 where
 * the kernel shows 0 (no mm, or no ptrace read access: see has_mm_fields). */
struct proc_stat {
	char state;			/* field 3 */
	pid_t ppid;			/* field 4 */
	unsigned long flags;		/* field 9: PF_* (PF_KTHREAD = 0x00200000) */
	unsigned long long start_time;	/* field 22, clock ticks after boot */
	uint64_t start_code, end_code, start_stack;		/* fields 26-28 */
	uint64_t start_data, end_data, start_brk;		/* fields 45-47 */
	uint64_t arg_start, arg_end, env_start, env_end;	/* fields 48-51 */
	bool has_mm_fields;	/* fields 45-51 present and start_code != 1 (the
				 * kernel shows 1 for start_code/end_code and 0 for
				 * the rest without ptrace read access) */
	char comm[64];		/* field 2, without the parentheses */
};

#define PROC_PF_KTHREAD 0x00200000UL

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
 * kernel prints them in kB, which is KiB; multiplied by 1024 here).
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

/* Free the strings of *id and empty it; an emptied or zeroed *id is fine. */
void proc_identity_free(struct proc_identity *id);

/* The counters (bytes), the effective uid (Uid, second field), the thread group
 * id (Tgid) and the number of threads (Threads) from the text of a status file
 * (NUL-terminated).  A counter whose line is missing is PROC_COUNTER_UNKNOWN; so are
 * rss_anon, rss_file and rss_shmem when the kernel prints none of them (before 4.5).
 * Returns 0, or -1 with errno ENOEXEC when the text has no VmSize line (no mm: a
 * kernel thread or a zombie): every counter is unknown then. */
int proc_status_parse(const char *buf, struct proc_counters *c, uid_t *euid, pid_t *tgid,
		      int *threads);

/* Parse the text of a stat file (as read from /proc/PID/stat or
 * /proc/PID/task/TID/stat).  The command may hold spaces and ')': the fields
 * after it are found from the last ')'.  Returns 0, or -1 with errno ENOEXEC. */
int proc_stat_parse(const char *buf, size_t len, struct proc_stat *st);

/* The stack pointer of thread TID from /proc/PID/task/TID/syscall (the next-to-last
 * field: "NR ARGS... SP PC", or "-1 SP PC" when blocked outside a system call).
 * Returns 0 with *sp set; -1 with errno EAGAIN when the thread is running (the
 * file says "running"), EACCES without ptrace access, ESRCH when the thread is gone,
 * ENOEXEC when the text is not understood. */
int procfs_thread_sp(const struct procfs *p, pid_t tid, uint64_t *sp);

/* Open a file that the process maps, to read its ELF headers, safely: the file is
 * looked up through /proc/PID/root/PATH (the process's own root), or, when that is
 * not the same file (deleted, replaced, another mount namespace), through
 * /proc/PID/map_files/START-END.  It is first opened with O_PATH and fstat()ed: only
 * a regular file whose st_dev/st_ino equal the maps line's device and inode is
 * opened for reading (O_RDONLY|O_NONBLOCK|O_NOCTTY|O_CLOEXEC), so a FIFO or a device
 * at that path is never opened.  start, end: the VMA (bytes); dev_major,
 * dev_minor, ino: from the maps line.  Returns the fd and fills *size (bytes), or
 * -1 with errno: ENOENT (gone), EACCES, ESTALE (a different file is at the path:
 * replaced since it was mapped), EINVAL (not a regular file). */
int procfs_open_mapped(const struct procfs *p, const char *path, bool deleted,
		       uint64_t start, uint64_t end, uint32_t dev_major, uint32_t dev_minor,
		       uint64_t ino, off_t *size);

#endif

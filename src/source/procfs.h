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

#include "model/process.h"

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

/* The counters (bytes), the effective uid (Uid, second field), the thread group
 * id (Tgid) and the number of threads (Threads) from the text of a status file
 * (NUL-terminated).  A counter whose line is missing is PROC_COUNTER_UNKNOWN; so are
 * rss_anon, rss_file and rss_shmem when the kernel prints none of them (before 4.5).
 * Returns 0, or -1 with errno ENOEXEC when the text has no VmSize line (no mm: a
 * kernel thread or a zombie): every counter is unknown then. */
int proc_status_parse(const char *buf, struct proc_counters *c, uid_t *euid, pid_t *tgid,
		      int *threads);

#endif

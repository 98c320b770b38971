/* process.h - the model's description of a process: who it is and the kernel's
 * own counters for it, as /proc/PID/stat, status, comm and cmdline give them (the
 * parsers: procfs.h, procdir.h)
 *
 * Units: addresses and counters in bytes; times in clock ticks.
 */
#ifndef VMLAYOUT_PROCESS_H
#define VMLAYOUT_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

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
	uid_t euid;			/* effective uid (status Uid, second field); (uid_t)-1
				 * when status could not be read */
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
	uint64_t vm_peak;	/* VmPeak: hiwater_vm, the largest VmSize so far */
	uint64_t vm_hwm;	/* VmHWM: hiwater_rss, the largest RSS so far */
	uint64_t vm_lck;	/* VmLck: locked_vm, mlock()ed */
	uint64_t vm_pin;	/* VmPin: pinned_vm, pinned for I/O (RDMA, io_uring) */
	uint64_t vm_pte;	/* VmPTE: the page tables (mm->pgtables_bytes) */
};

/* Free the strings of *id and empty it; an emptied or zeroed *id is fine. */
void proc_identity_free(struct proc_identity *id);

#endif

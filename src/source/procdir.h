/* procdir.h - the files of a /proc/PID directory into the model
 *
 * A live process (pid.c) and a snapshot (snapshot.c) are read by the same
 * code: a snapshot directory holds the files of /proc/PID under the same names, and
 * struct procfs is a directory fd either way.  One parser for each file (procfs.h:
 * stat, status; smaps.h: smaps).
 *
 * Units: bytes.
 */
#ifndef VMLAYOUT_PROCDIR_H
#define VMLAYOUT_PROCDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "model/layout.h"
#include "source/procfs.h"

struct elf_cache;

/* smaps into L->vmas, read again (up to 5 reads in all) while a read gives VMAs that
 * overlap or step backwards (the process changed meanwhile); when none is
 * consistent, the VMAs that overlap an earlier one are left out, with a warning, and
 * L->consistent is false.  L->reads says how many reads it took.  Returns 0, or -1
 * with errno (the open's or read's: EACCES without ptrace read access, ESRCH when
 * the process exited; ENOEXEC with msg "smaps line N: why"; ENOMEM). */
int procdir_read_smaps(struct layout *L, const struct procfs *pf, char *msg, size_t msglen);

/* Who the process is (L->id, L->has_id) and the kernel's counters (L->kc,
 * L->has_kc), from comm (its bytes less the newline; stat's comm when missing),
 * cmdline (split at its NULs) and status (Uid, Tgid, Threads, Vm* and Rss* lines:
 * proc_status_parse()), with ppid, state and start time from L->stat, which the
 * caller has read.  The user name (id->euser) is left to the caller.  A file that is
 * missing leaves its part unknown.  Returns 0, or -1 with errno: ESRCH (the process
 * exited), ENOMEM. */
int procdir_read_identity(struct layout *L, const struct procfs *pf);

/* The name of uid in the user database (getpwuid_r), malloc'd into *name; NULL when
 * it has none.  Returns 0, or -1 with errno ENOMEM. */
int procdir_user_name(uid_t uid, char **name);

/* What follows smaps and the identity: the executable's ELF header from exe_fd (an
 * open file that is the executable, whose dev:inode the caller put in L->exe_*, or
 * -1; closed here) read through cache; auxv; with rollup, smaps_rollup
 * (L->rollup); the page size (AT_PAGESZ, else this machine's, unless the caller set
 * it); the mm boundaries from L->stat and [heap]; task_size (x86: from the address
 * bits, and personality's ADDR_LIMIT_3GB for a 32-bit process); the threads with
 * their names (task/TID/stat) and stack pointers (task/TID/syscall).  A file that
 * cannot be read leaves its part unknown (threads: with a warning). */
void procdir_read_rest(struct layout *L, const struct procfs *pf, struct elf_cache *cache,
		       int exe_fd, bool rollup);

#endif

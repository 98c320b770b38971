/* machine.h - the whole machine: the figures of every process read by --all, and the
 * same figures summed per ELF object (or mapped file) and per user
 *
 * Each process is read as "vmlayout PID" reads it (a struct layout, layout.h), its
 * VMAs selected by the filters (filter.h), and summed into one struct machine_proc
 * by machine_proc_from_layout(); the layout is then freed.  What the views of --all
 * print (views.h, render_machine_*()) comes from the rows made here:
 * machine_objects() and machine_users() sum the processes' rows.
 *
 * Units: every figure is in bytes (smaps' kB are KiB, multiplied by 1024 when read).
 */
#ifndef VMLAYOUT_MACHINE_H
#define VMLAYOUT_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "attr/filter.h"
#include "model/layout.h"

/* The figures of a set of VMAs (bytes): RSS = Rss, PSS = Pss, private (USS) =
 * Private_Clean + Private_Dirty, swap = Swap, swap_pss = SwapPss, hugetlb =
 * Shared_Hugetlb + Private_Hugetlb (outside Rss), each a plain sum; vmas = how many
 * VMAs. */
struct machine_figs {
	uint64_t rss, pss, priv, swap, swap_pss, hugetlb, vmas;
};

/* The parts of an object in the per-object view (PSS, bytes): text; rodata (with the
 * ELF headers); data (PT_GNU_RELRO and writable data); bss. */
enum { MPART_TEXT, MPART_RODATA, MPART_DATA, MPART_BSS, MPART_COUNT };

/* One ELF object or mapped file: in one process (its instances merged), or over
 * the machine (machine_objects()).  Keyed by the file's device and inode. */
struct machine_object {
	char *name;		/* malloc'd path as the kernel names it, " (deleted)"
				 * appended when the file was removed */
	uint32_t dev_major, dev_minor;
	uint64_t inode;
	bool deleted;		/* the file was removed (the name says it) */
	bool elf;		/* an ELF object (else a mapped file: data, shared memory) */
	uint64_t procs;		/* how many processes map it (1 in a process) */
	struct machine_figs f;
	uint64_t part_pss[MPART_COUNT];
};

/* One process as --all saw it. */
struct machine_proc {
	pid_t pid;
	uid_t uid;		/* effective uid */
	char *user;		/* malloc'd user name, or NULL (the uid has none) */
	char *comm;		/* malloc'd /proc/PID/comm (raw bytes) */
	struct machine_figs f;	/* of the selected VMAs */
	struct machine_figs region[REGION_COUNT];	/* the figures of each region */
	struct machine_object *objs;	/* its objects, by (dev, inode); n_objs */
	size_t n_objs;
};

/* One user: the sums of its processes. */
struct machine_user {
	uid_t uid;
	const char *user;	/* one of its processes' user names, or NULL */
	uint64_t procs;
	struct machine_figs f;
	struct machine_figs region[REGION_COUNT];
};

/* The figures of the VMAs of L that f selects (NULL: all) into *p: totals, PSS per
 * region, and (with objects) the objects and mapped files those VMAs belong to, one
 * entry per file (dev:inode) with its PSS split into MPART_* (an anonymous bss
 * counts to its object).  SwapPss is summed for the totals only (0 in the regions).
 * Returns 0 with *p filled (free it with
 * machine_proc_free()), or -1 with errno ENOMEM (nothing to free).  *selected is the
 * number of VMAs that f selected. */
int machine_proc_from_layout(struct machine_proc *p, const struct layout *L,
			     const struct vma_filter *f, bool objects, size_t *selected);
void machine_proc_free(struct machine_proc *p);

/* The objects of the n processes summed over the machine: one entry per file
 * (dev:inode), its procs the number of processes that map it, in the order of
 * (dev, inode).  Returns a malloc'd array of *n_out entries whose names point into
 * the processes' entries (free the array only; an array of none when there is
 * none), or NULL with errno ENOMEM. */
struct machine_object *machine_objects(const struct machine_proc *procs, size_t n,
				       size_t *n_out);

/* The processes summed per user (euid), in the order of uid.  Returns a malloc'd
 * array of *n_out entries, or NULL with errno ENOMEM (or with *n_out 0). */
struct machine_user *machine_users(const struct machine_proc *procs, size_t n,
				   size_t *n_out);

/* a += b, figure by figure. */
void machine_figs_add(struct machine_figs *a, const struct machine_figs *b);

#endif

/* layout.h - the model of one process's address space
 *
 * layout_read_pid() reads /proc/PID (through procfs.h), parses smaps (smaps.h), reads
 * the ELF program headers of every mapped object (elfinfo.h), and attributes each
 * VMA to a role, a region and an ELF object.  The renderers (render.h) read the
 * model and nothing else.
 *
 * Units: every address, size and figure in this file is in bytes.
 */
#ifndef VMLAYOUT_LAYOUT_H
#define VMLAYOUT_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "procfs.h"
#include "procinfo.h"
#include "smaps.h"

/* Roles (the finer classification) in the order the man page lists them. */
enum role {
	ROLE_TEXT, ROLE_RODATA, ROLE_RELRO, ROLE_DATA, ROLE_BSS, ROLE_HEAP,
	ROLE_ANON, ROLE_SHM, ROLE_FILE, ROLE_GUARD, ROLE_STACK, ROLE_THREAD_STACK,
	ROLE_VDSO, ROLE_VVAR, ROLE_VSYSCALL, ROLE_OTHER,
	ROLE_COUNT
};

/* Regions: the classic picture. */
enum region {
	REGION_CODE, REGION_DATA, REGION_BSS, REGION_HEAP, REGION_MMAP, REGION_STACK,
	REGION_SPECIAL,
	REGION_COUNT
};

const char *role_name(enum role r);		/* "thread_stack" */
const char *region_name(enum region r);		/* "mmap" */
enum region role_region(enum role r);

/* The figures of a set of VMAs, each a plain sum over them (bytes).
 * size = Size, rss = Rss, pss = Pss, shared = Shared_Clean + Shared_Dirty,
 * private = Private_Clean + Private_Dirty, swap = Swap,
 * dirty = Shared_Dirty + Private_Dirty; vmas = how many. */
struct figures {
	uint64_t size, rss, pss, shared, priv, swap, dirty;
	uint64_t vmas;
};

/* The figures of VMA v alone (vmas 1), from its smaps fields. */
static inline struct figures vma_figures(const struct vma *v)
{
	const uint64_t *k = v->fig;

	return (struct figures){
		.size = v->end - v->start, .rss = k[SF_RSS], .pss = k[SF_PSS],
		.shared = k[SF_SHARED_CLEAN] + k[SF_SHARED_DIRTY],
		.priv = k[SF_PRIVATE_CLEAN] + k[SF_PRIVATE_DIRTY], .swap = k[SF_SWAP],
		.dirty = k[SF_SHARED_DIRTY] + k[SF_PRIVATE_DIRTY], .vmas = 1,
	};
}

/* f += g, figure by figure. */
static inline void figures_add(struct figures *f, const struct figures *g)
{
	f->size += g->size;
	f->rss += g->rss;
	f->pss += g->pss;
	f->shared += g->shared;
	f->priv += g->priv;
	f->swap += g->swap;
	f->dirty += g->dirty;
	f->vmas += g->vmas;
}

/* f += the figures of v. */
static inline void figures_add_vma(struct figures *f, const struct vma *v)
{
	struct figures g = vma_figures(v);

	figures_add(f, &g);
}

/* The parts of an ELF object in memory. */
enum object_part { PART_TEXT, PART_RODATA, PART_RELRO, PART_DATA, PART_BSS, PART_COUNT };

enum object_kind { OBJECT_EXECUTABLE, OBJECT_INTERPRETER, OBJECT_LIBRARY };
const char *object_kind_name(enum object_kind k);

/* One mapped ELF object: a file (dev:inode) mapped at one load bias. */
struct object {
	uint32_t path;		/* name offset in layout.vmas (the VMA's decoded path) */
	bool deleted;
	uint32_t dev_major, dev_minor;
	uint64_t inode;
	enum object_kind kind;
	int elf_class;		/* 32 or 64; 0 when unknown */
	bool attributed;	/* roles from the ELF program headers (else heuristics) */
	bool has_bias;
	uint64_t load_bias;	/* vm_start - p_vaddr, for its PT_LOAD segments */
	char *warning;		/* malloc'd, or NULL */
	uint64_t low, high;	/* lowest vm_start and highest vm_end of its VMAs */
	struct figures part[PART_COUNT];
	struct figures total;	/* all its VMAs, guard gaps between segments included */
};

struct thread_info {
	pid_t tid;
	char comm[64];
	bool has_sp;		/* SP read from task/TID/syscall */
	int sp_errno;		/* why not: EAGAIN (running), EACCES, ... */
	uint64_t sp;
	ptrdiff_t vma;		/* index of the VMA holding sp, or -1 */
};

/* An address that may be unknown. */
struct opt_addr {
	uint64_t v;
	bool known;
};

/* The kernel's mm_struct boundaries (/proc/PID/stat fields 26-28, 45-51; brk is the
 * end of the [heap] VMA). */
struct mm_bounds {
	struct opt_addr start_code, end_code, start_data, end_data, start_brk, brk,
		start_stack, arg_start, arg_end, env_start, env_end;
};

/* A few /proc/PID/auxv entries (AT_* from elf.h). */
struct auxv_info {
	struct opt_addr phdr, entry, base, sysinfo_ehdr, execfn;
	uint64_t page_size;	/* AT_PAGESZ, 0 when unknown */
};

/* total_vm, data_vm, exec_vm, stack_vm recomputed from the VMAs' VmFlags
 * (mm/mmap.c vm_stat_account()), and the kernel's (status VmSize, VmData,
 * VmExe+VmLib, VmStk); kernel_known false when status was not read. */
struct vm_counter {
	uint64_t vmas, kernel;
	bool kernel_known;
};
enum { VMC_TOTAL, VMC_DATA, VMC_EXEC, VMC_STACK, VMC_COUNT };
const char *vm_counter_name(int i);		/* "total_vm" */

struct layout {
	pid_t pid;
	struct proc_identity id;	/* libproc2 */
	bool has_id;
	struct proc_counters kc;	/* status counters (libproc2) */
	bool has_kc;
	struct proc_stat stat;
	bool snapshot;			/* read from a snapshot directory, not /proc */
	char *exe;			/* readlink of /proc/PID/exe, or NULL */
	bool has_exe_id;		/* the executable's device and inode are known */
	uint32_t exe_dev_major, exe_dev_minor;
	uint64_t exe_ino;
	int elf_class;			/* of the executable: 32, 64, 0 unknown */
	uint16_t machine;		/* e_machine of the executable, 0 unknown */
	uint16_t exe_type;		/* e_type of the executable (ET_EXEC/ET_DYN), 0 unknown */
	bool exe_has_interp;
	uint64_t page_size;
	struct opt_addr task_size;
	struct mm_bounds mm;
	struct auxv_info auxv;

	struct vma_list vmas;		/* in address order, consistent */
	struct object *objects;
	size_t n_objects;
	ptrdiff_t exe_object;		/* index, or -1 */

	struct thread_info *threads;
	size_t n_threads;
	bool thread_stacks_unknown;	/* some thread's SP could not be read */

	struct figures totals, regions[REGION_COUNT], roles[ROLE_COUNT];
	/* /proc/PID/smaps_rollup (bytes): the kernel's own sums.  Its Pss is exact,
	 * while smaps rounds each VMA's Pss down to a KiB, so totals.pss can be below
	 * rollup.fig[SF_PSS] by up to 1 KiB per VMA. */
	struct vma rollup;
	bool has_rollup;
	struct vm_counter vmc[VMC_COUNT];

	bool consistent;		/* smaps gave an ordered, non-overlapping list */
	int reads;			/* how many reads of smaps it took */
	char **warnings;
	size_t n_warnings;

	/* The offline sources (sources.h). */
	int source;			/* enum layout_source; 0 for /proc/PID (and for a
					 * snapshot, which sets snapshot instead) */
	bool figures_unknown;		/* only SIZE is known: RSS, PSS, SHARE, private,
					 * swap and dirty are unknown (maps text, ELF file,
					 * core); print them as unknown, never as 0 */
	struct layout_offline *offline;	/* malloc'd, or NULL (sources.h) */
};

/* What layout_read_pid() found. */
enum layout_status {
	LAYOUT_OK,
	LAYOUT_NO_PROCESS,	/* no /proc/PID */
	LAYOUT_EXITED,		/* a zombie, or gone while being read */
	LAYOUT_KERNEL_THREAD,	/* PF_KTHREAD: no mm */
	LAYOUT_PERMISSION,	/* smaps not readable: no ptrace read access */
	LAYOUT_ERROR,		/* anything else: errno and the message say */
};

/* Read and attribute process pid.  On LAYOUT_OK, L is filled and must be freed
 * with layout_free(); otherwise L holds nothing to free and msg (msglen bytes)
 * holds the cause for LAYOUT_ERROR (errno set). */
enum layout_status layout_read_pid(struct layout *L, pid_t pid, char *msg, size_t msglen);

/* What layout_read_pid_flags() reads beyond what every view needs. */
enum {
	LAYOUT_READ_ROLLUP = 1 << 0,	/* /proc/PID/smaps_rollup (a second walk of the
					 * page tables in the kernel, read by a thread of
					 * its own while smaps is): rollup, has_rollup */
};

/* layout_read_pid() reads with LAYOUT_READ_ROLLUP; this one reads what flags say. */
enum layout_status layout_read_pid_flags(struct layout *L, pid_t pid, unsigned flags, char *msg,
					 size_t msglen);

/* The same from a snapshot directory DIR: the files of /proc/PID under the same
 * names (smaps, smaps_rollup, stat, status, auxv, comm, cmdline, personality, exe as
 * the executable's path (the bytes of a
 * regular file "exe", or a symbolic link to it), task/TID/stat, task/TID/syscall), the
 * ELF headers of each mapped file as elf/MAJ:MIN:INODE (MAJ, MIN in hex as in
 * maps: a sparse file of the original size holding the ELF header, program
 * headers, section headers and .shstrtab at their offsets, or the same pieces in
 * the packed form of snapshot.h, snapshot_pack(), opened through
 * snapshot_open_elf_file()), and a file "snapshot" of
 * "key value" lines: "vmlayout-snapshot 1", "pid PID", "user NAME",
 * "page-size BYTES", "exe MAJ:MIN:INODE".  Returns LAYOUT_OK, or LAYOUT_ERROR with
 * msg saying what is missing or malformed. */
enum layout_status layout_read_snapshot(struct layout *L, const char *dir, char *msg,
					size_t msglen);

void layout_free(struct layout *L);

struct elf_cache;

/* Add a warning (printf format) to L->warnings; nothing on allocation failure. */
__attribute__((format(printf, 2, 3)))
void layout_warn(struct layout *L, const char *fmt, ...);

/* How attribution opens the file a VMA maps, to read its ELF headers: open()
 * returns a read-only fd of a regular file that is the mapped file (the caller
 * closes it), or -1 with errno. */
struct layout_elf_opener {
	int (*open)(void *ctx, const struct layout *L, const struct vma *v);
	void *ctx;
};

/* The source-independent half of reading: given L with its VMAs (L->vmas, in
 * address order), page_size, and whatever else the source knew (mm, auxv, threads
 * with their stack pointers, the executable's identity), attribute every VMA to a
 * role, region and object, mark thread stacks, and roll the figures up.  ELF files
 * are read through op, each once (cache, from elf_cache_new(), kept by the
 * caller).  Problems go to L->warnings. */
void layout_attribute(struct layout *L, struct elf_cache *cache,
		      const struct layout_elf_opener *op);

/* The name of the object of VMA v ("" when none). */
const char *layout_object_path(const struct layout *L, const struct object *o);

#endif

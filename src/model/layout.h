/* layout.h - the model of one process's address space
 *
 * A struct layout is filled by a source (source.h) through the constructor calls
 * below (layout_init(), layout_add_vma(), layout_warn(), and the plain fields),
 * then attributed: roles, regions and objects (attribute.h, where layout_build()
 * runs the whole pipeline).  The figures are summed for the views by rollup_sum()
 * (rollup.h), over every VMA or a filtered selection (filter.h).  The views read
 * the model and nothing else.
 *
 * Units: every address, size and figure in this file is in bytes.
 */
#ifndef VMLAYOUT_LAYOUT_H
#define VMLAYOUT_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/process.h"
#include "model/vma.h"

/* Roles (the finer classification), the first sixteen in the order the man page
 * lists them; the later ones were added after and come last everywhere a list of
 * roles is printed (JSON "roles", --role). */
enum role {
	ROLE_TEXT, ROLE_RODATA, ROLE_RELRO, ROLE_DATA, ROLE_BSS, ROLE_HEAP,
	ROLE_ANON, ROLE_SHM, ROLE_FILE, ROLE_GUARD, ROLE_STACK, ROLE_THREAD_STACK,
	ROLE_VDSO, ROLE_VVAR, ROLE_VSYSCALL, ROLE_OTHER,
	ROLE_RESERVED,		/* ---p address space reserved, not a guard page */
	ROLE_ARENA,		/* a glibc malloc arena heap: rw head and ---p reserve */
	ROLE_JIT,		/* anonymous executable memory */
	ROLE_COUNT
};

/* Regions: the classic picture. */
enum region {
	REGION_CODE, REGION_DATA, REGION_BSS, REGION_HEAP, REGION_MMAP, REGION_STACK,
	REGION_SPECIAL,
	REGION_COUNT
};

const char *role_name(enum role r);		/* "thread_stack" */
/* The i-th role (0 <= i < ROLE_COUNT) in the order roles are listed (the man page,
 * --help, the completions, JSON "roles"): region by region as the classic picture
 * goes, code first.  Other values of i give ROLE_OTHER. */
enum role role_listed(int i);
const char *region_name(enum region r);		/* "mmap" */
enum region role_region(enum role r);

/* The figures of a set of VMAs, each a plain sum over them (bytes).
 * size = Size, rss = Rss, pss = Pss, shared = Shared_Clean + Shared_Dirty,
 * private = Private_Clean + Private_Dirty, swap = Swap,
 * dirty = Shared_Dirty + Private_Dirty,
 * hugetlb = Shared_Hugetlb + Private_Hugetlb (hugetlbfs pages, which the kernel
 * leaves out of Rss and of every other figure here); vmas = how many. */
struct figures {
	uint64_t size, rss, pss, shared, priv, swap, dirty, hugetlb;
	uint64_t vmas;
};

/* The figures of VMA v alone (vmas 1), from its smaps fields. */
static inline struct figures vma_figures(const struct vma *v)
{
	uint64_t sc = vma_fig(v, SF_SHARED_CLEAN), sd = vma_fig(v, SF_SHARED_DIRTY);
	uint64_t pc = vma_fig(v, SF_PRIVATE_CLEAN), pd = vma_fig(v, SF_PRIVATE_DIRTY);

	return (struct figures){
		.size = v->end - v->start, .rss = vma_fig(v, SF_RSS), .pss = vma_fig(v, SF_PSS),
		.shared = sc + sd, .priv = pc + pd, .swap = vma_fig(v, SF_SWAP),
		.dirty = sd + pd,
		.hugetlb = vma_fig(v, SF_SHARED_HUGETLB) + vma_fig(v, SF_PRIVATE_HUGETLB),
		.vmas = 1,
	};
}

/* The two parts of VMA v when it has them (v->bss_pages > 0; page: the page size,
 * bytes): f[0] the bss, its first bss_pages pages; f[1] the rest, anonymous memory.
 * SIZE is exact.  RSS and swap are exact when pagemap was read (v->bss_rss_pages,
 * bss_swap_pages; *measured true), else shared out in proportion to size in whole
 * pages; PSS, SHARE, private and dirty are v's shared out in proportion to RSS,
 * part 0 rounded down: estimates, as smaps gives one figure a VMA.
 * f[0] + f[1] == vma_figures(v); the VMA counts once, in part 1 (vmas 0 and 1).
 * Returns false, and f[1] = vma_figures(v), when v has one part. */
static inline bool vma_part_figures(const struct vma *v, uint64_t page, struct figures f[2],
				    bool *measured)
{
	uint64_t size = v->end - v->start, b = (uint64_t)v->bss_pages * page, rss, swap;

	f[1] = vma_figures(v);
	*measured = false;
	if (!v->bss_pages || b >= size || !page)
		return false;
	f[0] = (struct figures){ .size = b, .vmas = 0 };
	f[1].size = size - b;
	if (v->bss_rss_pages != UINT32_MAX && v->bss_swap_pages != UINT32_MAX) {
		*measured = true;
		rss = (uint64_t)v->bss_rss_pages * page;
		swap = (uint64_t)v->bss_swap_pages * page;
	} else {	/* in proportion to size, whole pages */
		rss = (uint64_t)((unsigned __int128)f[1].rss * b / size) / page * page;
		swap = (uint64_t)((unsigned __int128)f[1].swap * b / size) / page * page;
	}
	f[0].rss = rss < f[1].rss ? rss : f[1].rss;
	f[0].swap = swap < f[1].swap ? swap : f[1].swap;
	uint64_t num = f[0].rss, den = f[1].rss;
	f[1].rss -= f[0].rss;
	f[1].swap -= f[0].swap;
	if (!den)
		return true;	/* nothing resident: PSS, SHARE, private, dirty all 0 */
#define VMA_PART_(x) (f[0].x = (uint64_t)((unsigned __int128)f[1].x * num / den), f[1].x -= f[0].x)
	VMA_PART_(pss), VMA_PART_(shared), VMA_PART_(priv), VMA_PART_(dirty);
#undef VMA_PART_
	return true;
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
	f->hugetlb += g->hugetlb;
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

/* Which source made a struct layout (L->source). */
enum layout_source {
	LAYOUT_SOURCE_PID = 0,		/* a live process: /proc/PID */
	LAYOUT_SOURCE_SNAPSHOT,		/* a snapshot directory (snapshot.h) */
	LAYOUT_SOURCE_SMAPS_TEXT,	/* smaps text: figures known */
	LAYOUT_SOURCE_MAPS_TEXT,	/* maps text: no figures (figures_unknown) */
	LAYOUT_SOURCE_ELF_FILE,		/* what the kernel's ELF loader would map */
	LAYOUT_SOURCE_CORE,		/* an ELF core dump: SIZE and dumped bytes */
	LAYOUT_SOURCE_COUNT
};

/* "pid", "snapshot", "smaps", "maps", "elf", "core" (JSON "source.kind"). */
const char *layout_source_name(int source);

/* One PT_LOAD segment of an ELF file, as the kernel's loader maps it
 * (fs/binfmt_elf.c elf_map(), set_brk()/padzero()).  Addresses are run-time
 * addresses (file address + load bias), page-rounded where they say so. */
struct layout_segment {
	unsigned phdr_index;	/* index in the program header table */
	uint32_t flags;		/* p_flags: PF_R | PF_W | PF_X */
	uint64_t vaddr;		/* p_vaddr + bias (not rounded) */
	uint64_t offset;	/* p_offset */
	uint64_t filesz, memsz;	/* p_filesz, p_memsz */
	uint64_t align;		/* p_align */
	uint64_t map_start;	/* page_down(vaddr): the file-backed VMA's vm_start */
	uint64_t map_end;	/* page_up(vaddr + filesz): its vm_end (== map_start
				 * when filesz is 0: no file-backed VMA) */
	uint64_t bss_start;	/* page_up(vaddr + filesz): the anonymous VMA's start */
	uint64_t bss_end;	/* page_up(vaddr + memsz): its end (== bss_start: none) */
	bool relro;		/* PT_GNU_RELRO lies in it */
	uint64_t relro_start, relro_end;	/* the page-rounded RELRO part */
	char *sections;		/* malloc'd, the SHF_ALLOC sections inside
				 * [vaddr, vaddr + memsz), space-separated in address
				 * order (".text .fini"), "" when none or no section headers */
};

/* What only an offline source knows (L->offline). */
struct layout_offline {
	char *path;		/* the file or directory read (malloc'd) */

	/* core: per VMA (index as L->vmas.v), the bytes of it that the core holds
	 * (its PT_LOAD p_filesz): 0 for a VMA the kernel did not dump (file-backed
	 * text, guard pages; see coredump_filter).  NULL for other sources. */
	uint64_t *dumped;
	uint64_t dumped_total;
	int signal;		/* core: the signal that killed it (NT_PRSTATUS pr_cursig), or 0 */
	bool files_checked;	/* core, text: each mapped file was checked (size,
				 * inode or build-id) before it was used */

	/* ELF file: the segments, in program header order, and the rest of the
	 * program headers. */
	struct layout_segment *segments;
	size_t n_segments;
	uint16_t elf_type;	/* e_type: ET_EXEC, ET_DYN */
	uint64_t bias;		/* the load bias used (0 for ET_EXEC) */
	uint64_t entry;		/* e_entry + bias */
	char *interp;		/* PT_INTERP (malloc'd), or NULL */
	bool has_gnu_stack;	/* a PT_GNU_STACK header is present */
	bool exec_stack;	/* the stack would be executable (PF_X, or no PT_GNU_STACK) */
	bool has_tls;		/* PT_TLS */
	uint64_t tls_vaddr, tls_filesz, tls_memsz, tls_align;	/* PT_TLS (vaddr + bias) */
};

struct layout {
	pid_t pid;
	struct proc_identity id;	/* libproc2 */
	bool has_id;
	struct proc_counters kc;	/* status counters (libproc2) */
	bool has_kc;
	struct proc_stat stat;
	char *exe;			/* readlink of /proc/PID/exe, or NULL */
	bool has_exe_id;		/* the executable's device and inode are known */
	uint32_t exe_dev_major, exe_dev_minor;
	uint64_t exe_ino;
	int elf_class;			/* of the executable: 32, 64, 0 unknown */
	uint16_t machine;		/* e_machine of the executable, 0 unknown */
	uint16_t exe_type;		/* e_type of the executable (ET_EXEC/ET_DYN), 0 unknown */
	bool exe_has_interp;
	bool exe_pie_flag;		/* its DT_FLAGS_1 has DF_1_PIE (ELF dynamic section) */
	uint64_t page_size;
	struct opt_addr task_size;
	int mmap_layout;		/* LAYOUT_MMAP_TOPDOWN or _LEGACY (the personality's
					 * ADDR_COMPAT_LAYOUT, vm.legacy_va_layout), 0 unknown */
	struct opt_addr mmap_base;	/* inferred (layout_derive()), top-down only: the
					 * end of the highest mapping below the stack */
	int paging_levels;		/* x86-64: 4 or 5 (the la57 flag of /proc/cpuinfo, for
					 * a live process), 0 unknown */
	struct mm_bounds mm;
	struct auxv_info auxv;

	struct vma_list vmas;		/* in address order, consistent */
	struct object *objects;
	size_t n_objects;
	ptrdiff_t exe_object;		/* index, or -1 */

	struct thread_info *threads;
	size_t n_threads;
	bool thread_stacks_unknown;	/* some thread's SP could not be read */

	/* /proc/PID/smaps_rollup (bytes): the kernel's own sums.  Its Pss is exact,
	 * while smaps rounds each VMA's Pss down to a KiB, so the sum of the VMAs'
	 * Pss can be below rollup[SF_PSS] by up to 1 KiB per VMA. */
	uint64_t rollup[SF_COUNT];
	bool has_rollup;
	struct vm_counter vmc[VMC_COUNT];

	bool consistent;		/* smaps gave an ordered, non-overlapping list */
	int reads;			/* how many reads of smaps it took */
	char **warnings;
	size_t n_warnings;

	/* What made it (source.h). */
	int source;			/* enum layout_source */
	bool figures_unknown;		/* only SIZE is known: RSS, PSS, SHARE, private,
					 * swap and dirty are unknown (maps text, ELF file,
					 * core); print them as unknown, never as 0 */
	struct layout_offline *offline;	/* malloc'd, or NULL */
};

/* The model's part that only an offline source fills (L->offline), allocated
 * (zeroed) when missing; NULL with errno ENOMEM. */
struct layout_offline *layout_offline_get(struct layout *L);

enum { LAYOUT_MMAP_TOPDOWN = 1, LAYOUT_MMAP_LEGACY = 2 };

/* What reading a source found. */
enum layout_status {
	LAYOUT_OK,
	LAYOUT_NO_PROCESS,	/* no /proc/PID */
	LAYOUT_EXITED,		/* gone while being read (or dead, state X) */
	LAYOUT_ZOMBIE,		/* state Z: exited, not yet waited for; no mm */
	LAYOUT_KERNEL_THREAD,	/* PF_KTHREAD: no mm */
	LAYOUT_PERMISSION,	/* smaps not readable: no ptrace read access */
	LAYOUT_ERROR,		/* anything else: errno and the message say */
};

void layout_free(struct layout *L);

struct elf_cache;

/* Add a warning (printf format) to L->warnings; nothing on allocation failure. */
__attribute__((format(printf, 2, 3)))
void layout_warn(struct layout *L, const char *fmt, ...);

/* A fresh, empty model: no VMA, no object, nothing known (exe_object -1).  Free it
 * with layout_free(). */
void layout_init(struct layout *L);

/* Constructor: append a VMA above the last one.  start, end: vm_start, vm_end;
 * perms: VMA_PERM_*; offset: the file offset of start; dev_major, dev_minor, inode:
 * the mapped file's (0 for anonymous memory); name: the name as the kernel shows it
 * in maps, decoded, without " (deleted)" (NULL or "" for none); its kind
 * (VMA_NAME_*) comes from it as the kernel names mappings.  The figures are zero
 * (has_figures false): the source sets the figures (vma_set_fig()) and has_figures when it knows them.
 * Returns the new VMA (valid until the next append), or NULL with errno ENOMEM, or
 * EINVAL when start >= end or start is below the previous VMA's end. */
struct vma *layout_add_vma(struct layout *L, uint64_t start, uint64_t end, uint32_t perms,
			   uint64_t offset, uint32_t dev_major, uint32_t dev_minor,
			   uint64_t inode, const char *name, bool deleted);

/* What VMA v is called in tables and filters: the path of its object, else its own
 * name ("" when none); *len bytes. */
const char *layout_vma_label(const struct layout *L, const struct vma *v, size_t *len);

/* The command name (task/TID/comm, as read into L->threads) of thread tid of the
 * process, "" when it is not one of L->threads.  O(threads). */
const char *layout_thread_comm(const struct layout *L, pid_t tid);

/* The name of the object of VMA v ("" when none). */
const char *layout_object_path(const struct layout *L, const struct object *o);

#endif

/* vma.h - the VMAs of an address space, as the kernel describes them in
 * /proc/PID/smaps (fs/proc/task_mmu.c), in address order
 *
 * A struct vma_list holds the VMAs of one address space, their names (interned) and
 * the smaps fields that this version does not know.  The sources fill it: the smaps
 * parser (source/smaps.h), and the others through layout_add_vma() (layout.h).
 *
 * Units: every address, size and figure in a struct vma is in bytes (smaps prints
 * kB, which is KiB: multiplied by 1024 when read).
 */
#ifndef VMLAYOUT_VMA_H
#define VMLAYOUT_VMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The "Key: N kB" fields of smaps known to this version, in the kernel's order
 * (Documentation/filesystems/proc.rst, fs/proc/task_mmu.c).  Values are bytes. */
enum smaps_field {
	SF_SIZE,
	SF_KERNEL_PAGE_SIZE,
	SF_MMU_PAGE_SIZE,
	SF_RSS,
	SF_PSS,
	SF_PSS_DIRTY,
	SF_PSS_ANON,
	SF_PSS_FILE,
	SF_PSS_SHMEM,
	SF_SHARED_CLEAN,
	SF_SHARED_DIRTY,
	SF_PRIVATE_CLEAN,
	SF_PRIVATE_DIRTY,
	SF_REFERENCED,
	SF_ANONYMOUS,
	SF_KSM,
	SF_LAZY_FREE,
	SF_ANON_HUGE_PAGES,
	SF_SHMEM_PMD_MAPPED,
	SF_FILE_PMD_MAPPED,
	SF_SHARED_HUGETLB,
	SF_PRIVATE_HUGETLB,
	SF_SWAP,
	SF_SWAP_PSS,
	SF_LOCKED,
	SF_COUNT
};

/* The kernel's key for a field ("Shared_Clean"), or NULL for an out-of-range value. */
const char *smaps_field_name(enum smaps_field f);

/* Permission bits from the maps "rwxp"/"rwxs" column. */
enum {
	VMA_PERM_READ = 1 << 0,
	VMA_PERM_WRITE = 1 << 1,
	VMA_PERM_EXEC = 1 << 2,
	VMA_PERM_SHARED = 1 << 3,	/* 's' in the fourth column, else 'p' */
};

/* What the name column of a maps line is.  Pseudo-names are the kernel's
 * (fs/proc/task_mmu.c show_map_vma(), arch_vma_name(), vma->vm_ops->name). */
enum vma_name_kind {
	VMA_NAME_NONE,		/* unnamed: anonymous memory */
	VMA_NAME_PATH,		/* a file path (possibly with deleted set) */
	VMA_NAME_HEAP,		/* [heap] */
	VMA_NAME_STACK,		/* [stack] */
	VMA_NAME_VDSO,		/* [vdso] */
	VMA_NAME_VVAR,		/* [vvar] */
	VMA_NAME_VVAR_VCLOCK,	/* [vvar_vclock] */
	VMA_NAME_VSYSCALL,	/* [vsyscall] */
	VMA_NAME_UPROBES,	/* [uprobes] */
	VMA_NAME_ANON,		/* [anon:NAME] (prctl PR_SET_VMA_ANON_NAME) */
	VMA_NAME_ANON_SHMEM,	/* [anon_shmem:NAME] */
	VMA_NAME_OTHER,		/* any other "[...]" name, or a name that is not a path */
};

/* The maps "rwxp" column of perms (VMA_PERM_*) into b, NUL-terminated; returns b. */
char *vma_perms_str(char b[5], uint32_t perms);

/* VmFlags two-letter codes (fs/proc/task_mmu.c show_smap_vma_flags()) as bits. */
enum vma_flag {
	VMF_RD, VMF_WR, VMF_EX, VMF_SH, VMF_MR, VMF_MW, VMF_ME, VMF_MS,
	VMF_GD, VMF_PF, VMF_LO, VMF_IO, VMF_SR, VMF_RR, VMF_DC, VMF_DE,
	VMF_AC, VMF_NR, VMF_HT, VMF_SF, VMF_AR, VMF_WF, VMF_DD, VMF_MM,
	VMF_HG, VMF_NH, VMF_MG, VMF_UM, VMF_UW, VMF_SS, VMF_SL, VMF_UI,
	VMF_GU, VMF_BT, VMF_MT, VMF_LF, VMF_SD, VMF_OTHER,	/* OTHER: a code not known here */
	VMF_COUNT
};
#define VMF_BIT(f) (UINT64_C(1) << (f))

/* The two-letter code of a flag ("gd"), or NULL. */
const char *vma_flag_name(enum vma_flag f);

/* One VMA: one header line of maps/smaps and the lines that follow it.  Laid out
 * to take 288 bytes: a process can have tens of thousands of VMAs. */
struct vma {
	uint64_t start;		/* vm_start, bytes */
	uint64_t end;		/* vm_end, bytes (exclusive) */
	uint64_t offset;	/* file offset of start (vm_pgoff << PAGE_SHIFT), bytes */
	uint64_t inode;
	uint32_t dev_major, dev_minor;
	uint64_t vmflags;	/* VMF_BIT(VMF_*); valid when has_vmflags */
	/* The smaps fields (enum smaps_field), valid when has_figures: read them with
	 * vma_fig().  The kernel prints them in KiB, and each is at most Size: kib[]
	 * holds them for any VMA under 4 TiB.  A VMA with a field that does not fit
	 * (a larger VMA, or text that says so) has wide, SF_COUNT figures in bytes
	 * owned by the list; kib[] is then unused.  Kept small: the array of VMAs is
	 * megabytes for a large process, and its size is felt in every read. */
	uint32_t kib[SF_COUNT];
	uint64_t *wide;
	uint32_t name;		/* offset of the decoded name in vma_list.names; 0 = none */
	uint32_t name_len;	/* bytes (may contain NUL only if the kernel printed one: it cannot) */
	/* Filled later by attribution (attr/attribute.h); a new VMA has 0/-1. */
	int32_t object;		/* index into the layout's objects, or -1 */
	int32_t tid;		/* thread whose stack this is, or 0 */
	int16_t protection_key;	/* ProtectionKey (at most 32767), -1 when absent */
	int8_t thp_eligible;	/* THPeligible: 0/1 (at most 127), -1 when absent */
	uint8_t perms;		/* VMA_PERM_* */
	uint8_t name_kind;	/* enum vma_name_kind */
	bool deleted : 1;	/* name ended in " (deleted)" (removed from it) */
	bool has_figures : 1;	/* at least one "Key: N kB" line followed */
	bool has_vmflags : 1;
	uint8_t role;		/* layout.h */
	uint8_t region;
	/* Parts (the layout code, attribute.c): a VMA that the kernel merged across the
	 * end of an object's bss (role anon) holds that bss in its first bss_pages
	 * pages, counted to object bss_object, of which bss_rss_pages are present and
	 * bss_swap_pages swapped out (/proc/PID/pagemap; UINT32_MAX: not measured).
	 * bss_pages 0: one part (the parser leaves them all 0). */
	uint32_t bss_pages, bss_rss_pages, bss_swap_pages;
	int32_t bss_object;
};

/* A "Key: value" line of smaps that this version does not know (a newer kernel's). */
struct smaps_extra {
	uint32_t vma;		/* index into vma_list.v */
	uint32_t key;		/* offset of the key in vma_list.names */
	uint64_t value;		/* bytes when is_kb, else the number as printed */
	bool is_kb;
};

/* The parsed VMAs, their names and extra fields.  names is an arena of
 * NUL-terminated strings; offset 0 holds the empty string.  Names are interned:
 * equal names share one offset, so comparing offsets compares names. */
struct vma_list {
	struct vma *v;
	size_t n, cap;
	size_t populated;	/* v[0 .. populated) is on pages asked for ahead (vma.c) */
	char *names;
	size_t names_len, names_cap;
	struct smaps_extra *extra;
	size_t n_extra, cap_extra;
	/* intern hash table (open addressing) over names */
	uint32_t *hash;
	size_t hash_cap, hash_used;
	bool has_figures;	/* input was smaps, not maps */
	/* the figures of the VMAs whose fields do not fit kib[] (struct vma) */
	uint64_t **wide;
	size_t n_wide, cap_wide;
};

void vma_list_init(struct vma_list *l);
void vma_list_free(struct vma_list *l);
/* Forget the VMAs but keep the allocations, for a re-read. */
void vma_list_clear(struct vma_list *l);

/* Smaps field f of v (has_figures), in bytes. */
static inline uint64_t vma_fig(const struct vma *v, enum smaps_field f)
{
	return v->wide ? v->wide[f] : (uint64_t)v->kib[f] * 1024;
}

/* Every smaps field of v, in bytes, into out[SF_COUNT]. */
static inline void vma_figs(const struct vma *v, uint64_t *out)
{
	for (int f = 0; f < SF_COUNT; f++)
		out[f] = vma_fig(v, (enum smaps_field)f);
}

/* Set smaps field f of v, a VMA of l, to bytes.  Returns 0, or -1 with errno ENOMEM
 * (a VMA whose fields no longer fit kib[] needs memory for them). */
int vma_set_fig(struct vma_list *l, struct vma *v, enum smaps_field f, uint64_t bytes);

/* The decoded name of a VMA ("" when none).  Valid until the list is freed. */
static inline const char *vma_name(const struct vma_list *l, const struct vma *v)
{
	return l->names + v->name;
}

/* Intern a string of len bytes into l->names; returns its offset.
 * Returns UINT32_MAX on allocation failure (errno ENOMEM). */
uint32_t vma_list_intern(struct vma_list *l, const char *s, size_t len);

/* Append a VMA to l, as the kernel prints it in maps (the smaps parser and
 * layout_add_vma(), layout.h, which says what each argument is): name is len bytes
 * (not NUL-terminated), decoded, without " (deleted)"; its kind comes from
 * vma_classify_name().  The order is not checked.  Returns the VMA (its figures
 * zero), or NULL with errno ENOMEM. */
struct vma *vma_list_add(struct vma_list *l, uint64_t start, uint64_t end, uint32_t perms,
			 uint64_t offset, uint32_t dev_major, uint32_t dev_minor, uint64_t inode,
			 const char *name, size_t len, bool deleted);

/* What a name of the maps name column is (VMA_NAME_*), from its len bytes. */
enum vma_name_kind vma_classify_name(const char *s, size_t len);

/* The VmFlags flag of the two-letter code at s ("gd"); VMF_OTHER when not known.
 * The kernel prints the codes of a line in enum order: the search starts at from
 * (the flag after the one before on the line, or 0) and wraps around. */
enum vma_flag vma_flag_lookup(const char *s, int from);

/* Check that the VMAs are in strictly increasing address order without overlap
 * (start < end, end <= next start).  Returns the index of the first VMA that breaks
 * the order, or l->n if none. */
size_t vma_list_check_order(const struct vma_list *l);

/* Index of the VMA that holds address addr (start <= addr < end), or -1.
 * O(log n); the list must be ordered (vma_list_check_order() == n). */
ptrdiff_t vma_list_find(const struct vma_list *l, uint64_t addr);

/* Index of the first VMA with end > addr (the VMA holding addr or the next one
 * above it), or l->n.  O(log n). */
size_t vma_list_lower_bound(const struct vma_list *l, uint64_t addr);

#endif

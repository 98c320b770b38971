/* vma.c - the VMAs of an address space (see vma.h) */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "lib/array.h"
#include "model/vma.h"

/* The kernel's key of each field (show_smap() in fs/proc/task_mmu.c). */
static const char *const field_names[SF_COUNT] = {
	[SF_SIZE] = "Size",
	[SF_KERNEL_PAGE_SIZE] = "KernelPageSize",
	[SF_MMU_PAGE_SIZE] = "MMUPageSize",
	[SF_RSS] = "Rss",
	[SF_PSS] = "Pss",
	[SF_PSS_DIRTY] = "Pss_Dirty",
	[SF_PSS_ANON] = "Pss_Anon",
	[SF_PSS_FILE] = "Pss_File",
	[SF_PSS_SHMEM] = "Pss_Shmem",
	[SF_SHARED_CLEAN] = "Shared_Clean",
	[SF_SHARED_DIRTY] = "Shared_Dirty",
	[SF_PRIVATE_CLEAN] = "Private_Clean",
	[SF_PRIVATE_DIRTY] = "Private_Dirty",
	[SF_REFERENCED] = "Referenced",
	[SF_ANONYMOUS] = "Anonymous",
	[SF_KSM] = "KSM",
	[SF_LAZY_FREE] = "LazyFree",
	[SF_ANON_HUGE_PAGES] = "AnonHugePages",
	[SF_SHMEM_PMD_MAPPED] = "ShmemPmdMapped",
	[SF_FILE_PMD_MAPPED] = "FilePmdMapped",
	[SF_SHARED_HUGETLB] = "Shared_Hugetlb",
	[SF_PRIVATE_HUGETLB] = "Private_Hugetlb",
	[SF_SWAP] = "Swap",
	[SF_SWAP_PSS] = "SwapPss",
	[SF_LOCKED] = "Locked",
};

const char *smaps_field_name(enum smaps_field f)
{
	if ((unsigned)f >= SF_COUNT)
		return NULL;
	return field_names[f];
}

static const char flag_codes[VMF_COUNT][3] = {
	"rd", "wr", "ex", "sh", "mr", "mw", "me", "ms",
	"gd", "pf", "lo", "io", "sr", "rr", "dc", "de",
	"ac", "nr", "ht", "sf", "ar", "wf", "dd", "mm",
	"hg", "nh", "mg", "um", "uw", "ss", "sl", "ui",
	"gu", "bt", "mt", "lf", "sd", "??",
};

char *vma_perms_str(char b[5], uint32_t perms)
{
	b[0] = perms & VMA_PERM_READ ? 'r' : '-';
	b[1] = perms & VMA_PERM_WRITE ? 'w' : '-';
	b[2] = perms & VMA_PERM_EXEC ? 'x' : '-';
	b[3] = perms & VMA_PERM_SHARED ? 's' : 'p';
	b[4] = '\0';
	return b;
}

enum vma_flag vma_flag_lookup(const char *s, int from)
{
	if (from < 0 || from >= VMF_OTHER)
		from = 0;
	for (int i = 0; i < VMF_OTHER; i++) {
		int f = from + i < VMF_OTHER ? from + i : from + i - VMF_OTHER;
		if (flag_codes[f][0] == s[0] && flag_codes[f][1] == s[1])
			return f;
	}
	return VMF_OTHER;
}

const char *vma_flag_name(enum vma_flag f)
{
	if ((unsigned)f >= VMF_OTHER)
		return NULL;
	return flag_codes[f];
}

void vma_list_init(struct vma_list *l)
{
	memset(l, 0, sizeof(*l));
}

static void free_wide(struct vma_list *l)
{
	for (size_t i = 0; i < l->n_wide; i++)
		free(l->wide[i]);
	l->n_wide = 0;
}

void vma_list_free(struct vma_list *l)
{
	free_wide(l);
	free(l->wide);
	free(l->v);
	free(l->names);
	free(l->extra);
	free(l->hash);
	vma_list_init(l);
}

void vma_list_clear(struct vma_list *l)
{
	l->n = 0;
	l->populated = 0;
	l->n_extra = 0;
	l->has_figures = false;
	free_wide(l);
	/* names stay interned: they are likely to come again in a re-read */
}

int vma_set_fig(struct vma_list *l, struct vma *v, enum smaps_field f, uint64_t bytes)
{
	if (!v->wide && bytes % 1024 == 0 && bytes / 1024 <= UINT32_MAX) {
		v->kib[f] = (uint32_t)(bytes / 1024);
		return 0;
	}
	if (!v->wide) {
		/* from now on in bytes, all of them */
		uint64_t *w = malloc(SF_COUNT * sizeof(*w));
		if (!w || ARRAY_GROW(l->wide, l->cap_wide, l->n_wide, 4) < 0) {
			free(w);
			return -1;
		}
		vma_figs(v, w);
		l->wide[l->n_wide++] = w;
		v->wide = w;
	}
	v->wide[f] = bytes;
	return 0;
}

static uint32_t name_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static int hash_grow(struct vma_list *l)
{
	size_t cap = l->hash_cap ? l->hash_cap * 2 : 256;
	uint32_t *h = calloc(cap, sizeof(*h));

	if (!h)
		return -1;
	for (size_t i = 0; i < l->hash_cap; i++) {
		uint32_t off = l->hash[i];
		if (!off)
			continue;
		size_t j = name_hash(l->names + off, strlen(l->names + off)) & (cap - 1);
		while (h[j])
			j = (j + 1) & (cap - 1);
		h[j] = off;
	}
	free(l->hash);
	l->hash = h;
	l->hash_cap = cap;
	return 0;
}

uint32_t vma_list_intern(struct vma_list *l, const char *s, size_t len)
{
	if (len == 0) {
		if (!l->names) {
			l->names = malloc(64);
			if (!l->names)
				return UINT32_MAX;
			l->names[0] = '\0';
			l->names_len = 1;
			l->names_cap = 64;
		}
		return 0;
	}
	if ((l->hash_used + 1) * 2 > l->hash_cap && hash_grow(l) < 0)
		return UINT32_MAX;
	if (!l->names && vma_list_intern(l, "", 0) == UINT32_MAX)
		return UINT32_MAX;

	size_t j = name_hash(s, len) & (l->hash_cap - 1);
	while (l->hash[j]) {
		const char *c = l->names + l->hash[j];
		if (strncmp(c, s, len) == 0 && c[len] == '\0')
			return l->hash[j];
		j = (j + 1) & (l->hash_cap - 1);
	}
	if (l->names_len + len + 1 > UINT32_MAX) {
		errno = ENOMEM;
		return UINT32_MAX;
	}
	if (l->names_len + len + 1 > l->names_cap) {
		size_t cap = l->names_cap * 2;
		while (cap < l->names_len + len + 1)
			cap *= 2;
		char *n = realloc(l->names, cap);
		if (!n)
			return UINT32_MAX;
		l->names = n;
		l->names_cap = cap;
	}
	uint32_t off = (uint32_t)l->names_len;
	memcpy(l->names + off, s, len);
	l->names[off + len] = '\0';
	l->names_len += len + 1;
	l->hash[j] = off;
	l->hash_used++;
	return off;
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23		/* Linux 5.14 */
#endif

/* The VMA array is written once, front to back, and is megabytes for a process with
 * tens of thousands of VMAs.  Its pages are asked for a window ahead of v[n] at a
 * time, madvise(MADV_POPULATE_WRITE): one system call per window instead of a page
 * fault per page, which is most of the cost of the array where page faults are dear
 * (virtual machines).  Only pages within the capacity are asked for, so the memory
 * used is the same.  A kernel that refuses (before 5.14) changes nothing: the pages
 * then come by faults as before. */
static void populate_ahead(struct vma_list *l)
{
	enum { WINDOW = 1 << 20, PAGE = 4096 };	/* bytes; PAGE: the smallest page */
	uintptr_t from = ((uintptr_t)&l->v[l->n] + PAGE - 1) & ~(uintptr_t)(PAGE - 1);
	uintptr_t cap_end = (uintptr_t)&l->v[l->cap] & ~(uintptr_t)(PAGE - 1);
	uintptr_t to = from + WINDOW < cap_end ? from + WINDOW : cap_end;

	if (l->cap * sizeof(*l->v) < WINDOW) {
		l->populated = l->cap;		/* small: asked again once grown */
		return;
	}
	l->populated = l->n + WINDOW / sizeof(*l->v);
	if (to > from)
		(void)madvise((void *)from, to - from, MADV_POPULATE_WRITE);
}

struct vma *vma_list_add(struct vma_list *l, uint64_t start, uint64_t end, uint32_t perms,
			 uint64_t offset, uint32_t dev_major, uint32_t dev_minor, uint64_t inode,
			 const char *name, size_t len, bool deleted)
{
	enum vma_name_kind kind = vma_classify_name(name ? name : "", len);
	uint32_t noff = vma_list_intern(l, name ? name : "", len);

	if (noff == UINT32_MAX)
		return NULL;
	if (ARRAY_GROW(l->v, l->cap, l->n, 256) < 0)
		return NULL;
	if (l->n >= l->populated)
		populate_ahead(l);
	struct vma *v = &l->v[l->n++];
	memset(v, 0, sizeof(*v));
	v->start = start;
	v->end = end;
	v->offset = offset;
	v->inode = inode;
	v->dev_major = dev_major;
	v->dev_minor = dev_minor;
	v->perms = (uint8_t)perms;
	v->thp_eligible = -1;
	v->protection_key = -1;
	v->name = noff;
	v->name_len = (uint32_t)len;
	v->name_kind = (uint8_t)kind;
	v->deleted = deleted && kind == VMA_NAME_PATH;
	v->object = -1;
	return v;
}

enum vma_name_kind vma_classify_name(const char *s, size_t len)
{
	if (len == 0)
		return VMA_NAME_NONE;
	if (s[0] == '/')
		return VMA_NAME_PATH;
	if (s[0] != '[' || s[len - 1] != ']')
		return VMA_NAME_OTHER;
#define IS(lit) (len == sizeof(lit) - 1 && memcmp(s, lit, len) == 0)
	if (IS("[heap]"))
		return VMA_NAME_HEAP;
	if (IS("[stack]"))
		return VMA_NAME_STACK;
	if (IS("[vdso]"))
		return VMA_NAME_VDSO;
	if (IS("[vvar]"))
		return VMA_NAME_VVAR;
	if (IS("[vvar_vclock]"))
		return VMA_NAME_VVAR_VCLOCK;
	if (IS("[vsyscall]"))
		return VMA_NAME_VSYSCALL;
	if (IS("[uprobes]"))
		return VMA_NAME_UPROBES;
#undef IS
	if (len > 7 && memcmp(s, "[anon:", 6) == 0)
		return VMA_NAME_ANON;
	if (len > 13 && memcmp(s, "[anon_shmem:", 12) == 0)
		return VMA_NAME_ANON_SHMEM;
	return VMA_NAME_OTHER;
}

size_t vma_list_check_order(const struct vma_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].start >= l->v[i].end)
			return i;
		if (i + 1 < l->n && l->v[i].end > l->v[i + 1].start)
			return i + 1;
	}
	return l->n;
}

size_t vma_list_lower_bound(const struct vma_list *l, uint64_t addr)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->v[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

ptrdiff_t vma_list_find(const struct vma_list *l, uint64_t addr)
{
	size_t i = vma_list_lower_bound(l, addr);

	if (i < l->n && l->v[i].start <= addr)
		return (ptrdiff_t)i;
	return -1;
}

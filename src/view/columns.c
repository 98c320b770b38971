/* columns.c - the column registry (see columns.h) */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <libsmartcols.h>
#include <stdlib.h>
#include <string.h>

#include "view/columns.h"
#include "lib/util.h"

/* The columns, in --list-columns order: the columns of their own, then one for each
 * smaps field that they do not show (KERNEL_PAGE_SIZE..LOCKED, named from the kernel's
 * key as columns.h says), then THP_ELIGIBLE and PROTECTION_KEY. */
enum {
	COL_START, COL_END, COL_ADDRESS, COL_SIZE, COL_RSS, COL_PSS, COL_SHARE,
	COL_PRIVATE, COL_SWAP, COL_DIRTY, COL_PERMS, COL_ROLE, COL_REGION, COL_OBJECT,
	COL_PATH, COL_DELETED, COL_OFFSET, COL_DEV, COL_INODE, COL_TID, COL_THREAD, COL_PID,
	COL_VMFLAGS,
	COL_KERNEL_PAGE_SIZE, COL_MMU_PAGE_SIZE, COL_PSS_DIRTY, COL_PSS_ANON, COL_PSS_FILE,
	COL_PSS_SHMEM, COL_SHARED_CLEAN, COL_SHARED_DIRTY, COL_PRIVATE_CLEAN,
	COL_PRIVATE_DIRTY, COL_REFERENCED, COL_ANONYMOUS, COL_KSM, COL_LAZY_FREE,
	COL_ANON_HUGE_PAGES, COL_SHMEM_PMD_MAPPED, COL_FILE_PMD_MAPPED, COL_SHARED_HUGETLB,
	COL_PRIVATE_HUGETLB, COL_SWAP_PSS, COL_LOCKED,
	COL_THP_ELIGIBLE, COL_PROTECTION_KEY,
	COL_COUNT
};

/* A column that shows one smaps field as it is: a size. */
#define SMAPS_COLUMN(name, help) { name, help, COLT_SIZE, 0, SCOLS_FL_RIGHT }

static const struct column columns[COL_COUNT] = {
	[COL_START] = { "START", "first address of the VMA (vm_start)", COLT_ADDRESS, 0, SCOLS_FL_RIGHT },
	[COL_END] = { "END", "first address after the VMA (vm_end)", COLT_ADDRESS, 0, SCOLS_FL_RIGHT },
	[COL_ADDRESS] = { "ADDRESS", "START-END, as in /proc/PID/maps", COLT_STRING, 0, 0 },
	[COL_SIZE] = { "SIZE", "virtual size (Size)", COLT_SIZE, 0, SCOLS_FL_RIGHT },
	[COL_RSS] = { "RSS", "resident set size (Rss)", COLT_SIZE, 0, SCOLS_FL_RIGHT },
	[COL_PSS] = { "PSS", "proportional set size (Pss)", COLT_SIZE, 0, SCOLS_FL_RIGHT },
	[COL_SHARE] = { "SHARE", "resident pages also mapped by another process (Shared_Clean + Shared_Dirty)", COLT_SIZE, 0, SCOLS_FL_RIGHT },
	[COL_PRIVATE] = { "PRIVATE", "resident pages mapped by this process only (Private_Clean + Private_Dirty)", COLT_SIZE, 0, SCOLS_FL_RIGHT },
	[COL_SWAP] = { "SWAP", "swapped out (Swap)", COLT_SIZE, 0, SCOLS_FL_RIGHT },
	[COL_DIRTY] = { "DIRTY", "written-to resident pages (Shared_Dirty + Private_Dirty)", COLT_SIZE, 0, SCOLS_FL_RIGHT },
	[COL_PERMS] = { "PERMS", "permissions, as in maps (r-xp)", COLT_STRING, 0, 0 },
	[COL_ROLE] = { "ROLE", "role of the VMA (text, data, heap, anon, ...)", COLT_STRING, 0, 0 },
	[COL_REGION] = { "REGION", "region of the VMA (code, data, bss, heap, mmap, stack, special)", COLT_STRING, 0, 0 },
	[COL_OBJECT] = { "OBJECT", "ELF object the VMA belongs to, else the VMA's name", COLT_STRING, 0.3, SCOLS_FL_TRUNC },
	[COL_PATH] = { "PATH", "name of the VMA: file path or [pseudo-name]", COLT_STRING, 0.3, SCOLS_FL_TRUNC },
	[COL_DELETED] = { "DELETED", "the mapped file has been deleted", COLT_BOOL, 0, SCOLS_FL_RIGHT },
	[COL_OFFSET] = { "OFFSET", "offset of START in the mapped file", COLT_ADDRESS, 0, SCOLS_FL_RIGHT },
	[COL_DEV] = { "DEV", "device of the mapped file (major:minor, hex)", COLT_STRING, 0, 0 },
	[COL_INODE] = { "INODE", "inode of the mapped file", COLT_NUMBER, 0, SCOLS_FL_RIGHT },
	[COL_TID] = { "TID", "thread whose stack the VMA is", COLT_NUMBER, 0, SCOLS_FL_RIGHT },
	[COL_THREAD] = { "THREAD", "name of that thread (task/TID/comm)", COLT_STRING, 0, 0 },
	[COL_PID] = { "PID", "process ID", COLT_NUMBER, 0, SCOLS_FL_RIGHT },
	[COL_VMFLAGS] = { "VMFLAGS", "kernel flags of the VMA (VmFlags)", COLT_STRING, 0, 0 },
	[COL_KERNEL_PAGE_SIZE] = SMAPS_COLUMN("KERNEL_PAGE_SIZE", "page size the kernel uses for the VMA (KernelPageSize)"),
	[COL_MMU_PAGE_SIZE] = SMAPS_COLUMN("MMU_PAGE_SIZE", "page size the MMU uses for the VMA (MMUPageSize)"),
	[COL_PSS_DIRTY] = SMAPS_COLUMN("PSS_DIRTY", "PSS of the dirty pages (Pss_Dirty)"),
	[COL_PSS_ANON] = SMAPS_COLUMN("PSS_ANON", "PSS of the anonymous pages (Pss_Anon)"),
	[COL_PSS_FILE] = SMAPS_COLUMN("PSS_FILE", "PSS of the file pages (Pss_File)"),
	[COL_PSS_SHMEM] = SMAPS_COLUMN("PSS_SHMEM", "PSS of the shared memory pages (Pss_Shmem)"),
	[COL_SHARED_CLEAN] = SMAPS_COLUMN("SHARED_CLEAN", "clean resident pages also mapped elsewhere (Shared_Clean)"),
	[COL_SHARED_DIRTY] = SMAPS_COLUMN("SHARED_DIRTY", "dirty resident pages also mapped elsewhere (Shared_Dirty)"),
	[COL_PRIVATE_CLEAN] = SMAPS_COLUMN("PRIVATE_CLEAN", "clean resident pages of this process only (Private_Clean)"),
	[COL_PRIVATE_DIRTY] = SMAPS_COLUMN("PRIVATE_DIRTY", "dirty resident pages of this process only (Private_Dirty)"),
	[COL_REFERENCED] = SMAPS_COLUMN("REFERENCED", "pages marked referenced or accessed (Referenced)"),
	[COL_ANONYMOUS] = SMAPS_COLUMN("ANONYMOUS", "pages that belong to no file (Anonymous)"),
	[COL_KSM] = SMAPS_COLUMN("KSM", "pages shared by kernel same-page merging (KSM)"),
	[COL_LAZY_FREE] = SMAPS_COLUMN("LAZY_FREE", "pages freed with MADV_FREE, not yet reclaimed (LazyFree)"),
	[COL_ANON_HUGE_PAGES] = SMAPS_COLUMN("ANON_HUGE_PAGES", "anonymous transparent huge pages (AnonHugePages)"),
	[COL_SHMEM_PMD_MAPPED] = SMAPS_COLUMN("SHMEM_PMD_MAPPED", "shared memory mapped by huge pages (ShmemPmdMapped)"),
	[COL_FILE_PMD_MAPPED] = SMAPS_COLUMN("FILE_PMD_MAPPED", "file pages mapped by huge pages (FilePmdMapped)"),
	[COL_SHARED_HUGETLB] = SMAPS_COLUMN("SHARED_HUGETLB", "shared hugetlbfs pages (Shared_Hugetlb)"),
	[COL_PRIVATE_HUGETLB] = SMAPS_COLUMN("PRIVATE_HUGETLB", "private hugetlbfs pages (Private_Hugetlb)"),
	[COL_SWAP_PSS] = SMAPS_COLUMN("SWAP_PSS", "proportional share of the swapped-out pages (SwapPss)"),
	[COL_LOCKED] = SMAPS_COLUMN("LOCKED", "pages locked in memory (Locked)"),
	[COL_THP_ELIGIBLE] = { "THP_ELIGIBLE", "the VMA may get transparent huge pages (THPeligible)", COLT_BOOL, 0, SCOLS_FL_RIGHT },
	[COL_PROTECTION_KEY] = { "PROTECTION_KEY", "memory protection key of the VMA (ProtectionKey)", COLT_NUMBER, 0, SCOLS_FL_RIGHT },
};

/* The smaps field (smaps.h) that column COL_KERNEL_PAGE_SIZE + k shows. */
static const unsigned char smaps_column_field[] = {
	SF_KERNEL_PAGE_SIZE, SF_MMU_PAGE_SIZE, SF_PSS_DIRTY, SF_PSS_ANON, SF_PSS_FILE,
	SF_PSS_SHMEM, SF_SHARED_CLEAN, SF_SHARED_DIRTY, SF_PRIVATE_CLEAN, SF_PRIVATE_DIRTY,
	SF_REFERENCED, SF_ANONYMOUS, SF_KSM, SF_LAZY_FREE, SF_ANON_HUGE_PAGES,
	SF_SHMEM_PMD_MAPPED, SF_FILE_PMD_MAPPED, SF_SHARED_HUGETLB, SF_PRIVATE_HUGETLB,
	SF_SWAP_PSS, SF_LOCKED,
};
_Static_assert(sizeof(smaps_column_field) == COL_LOCKED - COL_KERNEL_PAGE_SIZE + 1,
	       "one smaps field for each smaps column");
/* Every smaps field has a column: SIZE, RSS, PSS, SWAP or one of these. */
_Static_assert(sizeof(smaps_column_field) + 4 == SF_COUNT, "a column for each smaps field");

size_t columns_count(void)
{
	return COL_COUNT;
}

const struct column *column_get(size_t i)
{
	return i < COL_COUNT ? &columns[i] : NULL;
}

int column_lookup(const char *name, size_t len)
{
	for (size_t i = 0; i < COL_COUNT; i++)
		if (strlen(columns[i].name) == len && strncasecmp(columns[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

size_t columns_default(int *ids, size_t cap)
{
	static const int def[] = { COL_START, COL_END, COL_SIZE, COL_RSS, COL_PSS, COL_SHARE,
				   COL_PRIVATE, COL_SWAP, COL_PERMS, COL_ROLE, COL_OBJECT };
	size_t n = 0;

	for (; n < sizeof(def) / sizeof(def[0]) && n < cap; n++)
		ids[n] = def[n];
	return n;
}

int columns_parse_list(const char *list, int *ids, size_t *n, size_t cap, char *err,
		       size_t errlen)
{
	size_t k = 0;

	if (*list == '+') {
		k = *n;
		list++;
	}
	if (!*list) {
		snprintf(err, errlen, "empty list of columns");
		return -1;
	}
	for (const char *p = list;;) {
		size_t l = strcspn(p, ",");
		int id = column_lookup(p, l);
		if (id < 0) {
			snprintf(err, errlen, "unknown column '%.*s' (see --list-columns)",
				 (int)(l > 64 ? 64 : l), p);
			return -1;
		}
		if (k == cap) {
			snprintf(err, errlen, "too many columns (at most %zu)", cap);
			return -1;
		}
		ids[k++] = id;
		if (!p[l])
			break;
		p += l + 1;
	}
	*n = k;
	return 0;
}

bool column_cell(int id, const struct layout *L, size_t i, char *buf, size_t len,
		 struct cell *c)
{
	const struct vma *v = &L->vmas.v[i];

	c->kind = CELL_UNKNOWN;
	c->x = 0;
	c->s = "";
	c->sl = 0;
	if (len)
		buf[0] = '\0';
	if (id < 0 || id >= COL_COUNT)
		return false;
	if (id >= COL_KERNEL_PAGE_SIZE && id <= COL_LOCKED) {
		if (!v->has_figures)
			return false;
		c->x = vma_fig(v, smaps_column_field[id - COL_KERNEL_PAGE_SIZE]);
		goto size;
	}
	switch (id) {
	case COL_START:
		c->x = v->start;
		goto address;
	case COL_END:
		c->x = v->end;
		goto address;
	case COL_OFFSET:
		c->x = v->offset;
		goto address;
	case COL_ADDRESS:
		snprintf(buf, len, "%08" PRIx64 "-%08" PRIx64, v->start, v->end);
		goto text_in_buf;
	case COL_SIZE:
		c->x = v->end - v->start;
		goto size;
	case COL_RSS:
		if (L->figures_unknown)
			return false;
		c->x = vma_figures(v).rss;
		goto size;
	case COL_PSS:
		if (L->figures_unknown)
			return false;
		c->x = vma_figures(v).pss;
		goto size;
	case COL_SHARE:
		if (L->figures_unknown)
			return false;
		c->x = vma_figures(v).shared;
		goto size;
	case COL_PRIVATE:
		if (L->figures_unknown)
			return false;
		c->x = vma_figures(v).priv;
		goto size;
	case COL_SWAP:
		if (L->figures_unknown)
			return false;
		c->x = vma_figures(v).swap;
		goto size;
	case COL_DIRTY:
		if (L->figures_unknown)
			return false;
		c->x = vma_figures(v).dirty;
		goto size;
	case COL_PERMS:
		if (len >= 5)
			vma_perms_str(buf, v->perms);
		goto text_in_buf;
	case COL_ROLE:
		c->s = role_name(v->role);
		goto text;
	case COL_REGION:
		c->s = region_name(v->region);
		goto text;
	case COL_OBJECT:
		c->s = layout_vma_label(L, v, &c->sl);
		goto name;
	case COL_PATH:
		c->s = vma_name(&L->vmas, v);
		c->sl = v->name_len;
		goto name;
	case COL_DELETED:
		c->x = v->deleted;
		goto number;
	case COL_DEV:
		snprintf(buf, len, "%02x:%02x", v->dev_major, v->dev_minor);
		goto text_in_buf;
	case COL_INODE:
		c->x = v->inode;
		goto number;
	case COL_TID:
		if (!v->tid)
			return false;
		c->x = (uint64_t)v->tid;
		goto number;
	case COL_THREAD:
		if (!v->tid)
			return false;
		c->s = layout_thread_comm(L, v->tid);
		c->sl = strlen(c->s);
		goto name;
	case COL_PID:
		c->x = (uint64_t)L->pid;
		goto number;
	case COL_VMFLAGS: {
		size_t o = 0;
		if (!v->has_vmflags)
			return false;
		for (int k = 0; k < VMF_OTHER && o + 4 < len; k++)
			if (v->vmflags & VMF_BIT(k))
				o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? " " : "",
						      vma_flag_name(k));
		goto text_in_buf;
	}
	case COL_THP_ELIGIBLE:
		if (v->thp_eligible < 0)
			return false;
		c->x = (uint64_t)v->thp_eligible;
		goto number;
	case COL_PROTECTION_KEY:
		if (v->protection_key < 0)
			return false;
		c->x = (uint64_t)v->protection_key;
		goto number;
	default:	/* GCOVR_EXCL_LINE: every id below COL_COUNT has its case */
		return false;	/* GCOVR_EXCL_LINE */
	}
address:
	c->kind = CELL_ADDRESS;
	return true;
size:
	c->kind = CELL_SIZE;
	return true;
number:
	c->kind = CELL_NUMBER;
	return true;
text_in_buf:
	c->s = len ? buf : "";
text:
	c->kind = CELL_TEXT;
	c->sl = strlen(c->s);
	return true;
name:
	if (!c->sl)
		return false;
	c->kind = CELL_NAME;
	return true;
}

/* Whether the name cell is shown as it is: plain printable ASCII that fits. */
static bool name_as_is(const struct cell *c, size_t len)
{
	if (c->sl > (len > 8 ? len - 8 : 1) || c->sl >= len)
		return false;
	for (size_t k = 0; k < c->sl; k++)
		if ((unsigned char)c->s[k] < 0x20 || (unsigned char)c->s[k] >= 0x7f)
			return false;
	return true;
}

size_t cell_format(const struct cell *c, bool bytes, char *buf, size_t len)
{
	size_t n = 0;

	if (!len)
		return 0;
	switch (c->kind) {
	case CELL_UNKNOWN:
		break;
	case CELL_ADDRESS:
		if (len >= 24)
			n = fmt_hex_n(buf, c->x);
		else
			n = (size_t)snprintf(buf, len, "0x%" PRIx64, c->x);
		break;
	case CELL_SIZE:
		n = size_human_n(buf, len, c->x, bytes);
		break;
	case CELL_NUMBER:
		if (len >= 24)
			n = fmt_u64_n(buf, c->x);
		else
			n = (size_t)snprintf(buf, len, "%" PRIu64, c->x);
		break;
	case CELL_TEXT:
		n = c->sl < len ? c->sl : len - 1;
		if (c->s != buf)
			memcpy(buf, c->s, n);
		break;
	case CELL_NAME:
		/* the name's own bytes, whole: the table printers write what is odd
		 * in them once, as \xHH, and JSON escapes it */
		n = c->sl < len ? c->sl : len - 1;
		memmove(buf, c->s, n);
		break;
	}
	if (n >= len)
		n = len - 1;
	buf[n] = '\0';
	return n;
}

/* Display columns of a UTF-8 string: continuation bytes take none. */
static size_t text_columns(const char *s, size_t n)
{
	size_t w = 0;

	for (size_t k = 0; k < n; k++)
		w += ((unsigned char)s[k] & 0xc0) != 0x80;
	return w;
}

size_t cell_width(const struct cell *c, bool bytes, char *buf, size_t len)
{
	size_t n = 1;

	switch (c->kind) {
	case CELL_UNKNOWN:
		return 0;
	case CELL_ADDRESS:
		/* "0x" and a digit per started nibble */
		return 2 + (c->x ? (size_t)(67 - __builtin_clzll(c->x)) / 4 : 1);
	case CELL_NUMBER:
		for (uint64_t x = c->x; x >= 10; x /= 10)
			n++;
		return n;
	case CELL_TEXT:
		return text_columns(c->s, c->sl);
	case CELL_NAME:
		if (name_as_is(c, len))
			return c->sl;
		break;
	case CELL_SIZE:
		break;
	}
	n = cell_format(c, bytes, buf, len);
	return text_columns(buf, n);
}

bool column_value(int id, const struct layout *L, size_t i, bool bytes, char *buf,
		  size_t len, uint64_t *num)
{
	struct cell c;
	bool known = column_cell(id, L, i, buf, len, &c);

	*num = c.x;
	cell_format(&c, bytes, buf, len);
	return known;
}

/* smaps.c - parser for /proc/PID/smaps and /proc/PID/maps text
 *
 * The format (fs/proc/task_mmu.c, show_vma_header_prefix() and show_smap()):
 *
 *   START-END PERMS OFFSET MAJOR:MINOR INODE [PADDING NAME]
 *   Key:   N kB
 *   ...
 *   VmFlags: rd wr mr mw me ac
 *
 * START, END and OFFSET are hex with at least 8 digits, MAJOR and MINOR hex with at
 * least 2, INODE decimal.  The name is the rest of the line after the padding; the
 * kernel escapes a newline in it as the four bytes "\012" and appends " (deleted)"
 * to the path of an unlinked file.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/array.h"
#include "view/parallel.h"
#include "source/smaps.h"

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

const char *vma_flag_name(enum vma_flag f)
{
	if ((unsigned)f >= VMF_OTHER)
		return NULL;
	return flag_codes[f];
}

/* ------------------------------------------------------------------ the list */

void vma_list_init(struct vma_list *l)
{
	memset(l, 0, sizeof(*l));
}

void vma_list_free(struct vma_list *l)
{
	free(l->v);
	free(l->names);
	free(l->extra);
	free(l->hash);
	vma_list_init(l);
}

void vma_list_clear(struct vma_list *l)
{
	l->n = 0;
	l->n_extra = 0;
	l->has_figures = false;
	/* names stay interned: they are likely to come again in a re-read */
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

static struct vma *vma_list_push(struct vma_list *l)
{
	if (ARRAY_GROW(l->v, l->cap, l->n, 256) < 0)
		return NULL;
	return &l->v[l->n++];
}

static enum vma_name_kind classify_name(const char *s, size_t len);

struct vma *vma_list_add(struct vma_list *l, uint64_t start, uint64_t end, uint32_t perms,
			 uint64_t offset, uint32_t dev_major, uint32_t dev_minor, uint64_t inode,
			 const char *name, bool deleted)
{
	size_t len = name ? strlen(name) : 0;

	if (start >= end || (l->n && start < l->v[l->n - 1].end)) {
		errno = EINVAL;
		return NULL;
	}
	uint32_t noff = vma_list_intern(l, name ? name : "", len);
	if (noff == UINT32_MAX)
		return NULL;
	struct vma *v = vma_list_push(l);
	if (!v)
		return NULL;
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
	v->name_kind = (uint8_t)classify_name(name ? name : "", len);
	v->deleted = deleted && v->name_kind == VMA_NAME_PATH;
	v->object = -1;
	return v;
}

/* ------------------------------------------------------------------ the parser */

struct parser {
	struct vma_list *l;
	struct smaps_error *err;
	unsigned long line;
	struct vma *cur;	/* the VMA whose lines follow, or NULL before the first */
	char *scratch;		/* decoded name */
	size_t scratch_cap;
	int next_field;		/* the field expected next (kernel order) */
};

__attribute__((format(printf, 2, 3)))
static int bad(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	if (p->err) {
		p->err->line = p->line;
		va_start(ap, fmt);
		vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
		va_end(ap);
	}
	errno = ENOEXEC;
	return -1;
}

static const signed char hexval[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7,
	['7'] = 8, ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13,
	['d'] = 14, ['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13,
	['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/* Parse hex digits at *s (at least one, at most 16); returns 0 or -1. */
static int take_hex(const char **s, const char *e, uint64_t *out)
{
	const char *q = *s;
	uint64_t v = 0;
	int n = 0;

	while (q < e && hexval[(unsigned char)*q]) {
		if (++n > 16)
			return -1;
		v = (v << 4) | (uint64_t)(hexval[(unsigned char)*q] - 1);
		q++;
	}
	if (n == 0)
		return -1;
	*s = q;
	*out = v;
	return 0;
}

static int take_dec(const char **s, const char *e, uint64_t *out)
{
	const char *q = *s;
	uint64_t v = 0;

	if (q >= e || *q < '0' || *q > '9')
		return -1;
	while (q < e && *q >= '0' && *q <= '9') {
		unsigned d = (unsigned)(*q - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
		q++;
	}
	*s = q;
	*out = v;
	return 0;
}

static enum vma_name_kind classify_name(const char *s, size_t len)
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

static int parse_header(struct parser *p, const char *s, const char *e)
{
	uint64_t start, end, off, maj, min, ino;
	uint32_t perms = 0;

	if (take_hex(&s, e, &start) < 0 || s >= e || *s++ != '-')
		return bad(p, "bad address range");
	if (take_hex(&s, e, &end) < 0 || s >= e || *s++ != ' ')
		return bad(p, "bad address range");
	if (end <= start)
		return bad(p, "vm_end is not above vm_start");
	if (e - s < 5)
		return bad(p, "bad permissions");
	if (s[0] == 'r')
		perms |= VMA_PERM_READ;
	else if (s[0] != '-')
		return bad(p, "bad permissions");
	if (s[1] == 'w')
		perms |= VMA_PERM_WRITE;
	else if (s[1] != '-')
		return bad(p, "bad permissions");
	if (s[2] == 'x')
		perms |= VMA_PERM_EXEC;
	else if (s[2] != '-')
		return bad(p, "bad permissions");
	if (s[3] == 's')
		perms |= VMA_PERM_SHARED;
	else if (s[3] != 'p')
		return bad(p, "bad permissions");
	if (s[4] != ' ')
		return bad(p, "bad permissions");
	s += 5;
	if (take_hex(&s, e, &off) < 0 || s >= e || *s++ != ' ')
		return bad(p, "bad offset");
	if (take_hex(&s, e, &maj) < 0 || s >= e || *s++ != ':' ||
	    take_hex(&s, e, &min) < 0 || s >= e || *s++ != ' ' ||
	    maj > UINT32_MAX || min > UINT32_MAX)
		return bad(p, "bad device");
	if (take_dec(&s, e, &ino) < 0 || (s < e && *s != ' '))
		return bad(p, "bad inode");
	while (s < e && *s == ' ')
		s++;

	/* The name: the rest of the line, with "\012" decoded to a newline. */
	size_t len = (size_t)(e - s);
	if (memchr(s, '\0', len))
		return bad(p, "NUL byte in the name");
	if (!p->scratch || len + 1 > p->scratch_cap) {
		size_t cap = p->scratch_cap ? p->scratch_cap : 256;
		while (cap < len + 1)
			cap *= 2;
		char *n = realloc(p->scratch, cap);
		if (!n)
			return -1;
		p->scratch = n;
		p->scratch_cap = cap;
	}
	const char *name = s;
	if (memchr(s, '\\', len)) {
		char *d = p->scratch;
		for (const char *q = s; q < e; q++) {
			if (*q == '\\' && e - q >= 4 && memcmp(q, "\\012", 4) == 0) {
				*d++ = '\n';
				q += 3;
			} else {
				*d++ = *q;
			}
		}
		name = p->scratch;
		len = (size_t)(d - p->scratch);
	}
	enum vma_name_kind kind = classify_name(name, len);
	bool deleted = false;
	static const char del[] = " (deleted)";
	if (kind == VMA_NAME_PATH && len > sizeof(del) - 1 &&
	    memcmp(name + len - (sizeof(del) - 1), del, sizeof(del) - 1) == 0) {
		deleted = true;
		len -= sizeof(del) - 1;
	}

	uint32_t noff = vma_list_intern(p->l, name, len);
	if (noff == UINT32_MAX)
		return -1;
	struct vma *v = vma_list_push(p->l);
	if (!v)
		return -1;
	memset(v, 0, sizeof(*v));
	v->start = start;
	v->end = end;
	v->offset = off;
	v->inode = ino;
	v->dev_major = (uint32_t)maj;
	v->dev_minor = (uint32_t)min;
	v->perms = perms;
	v->thp_eligible = -1;
	v->protection_key = -1;
	v->name = noff;
	v->name_len = (uint32_t)len;
	v->name_kind = (uint8_t)kind;
	v->deleted = deleted;
	v->object = -1;
	p->cur = v;
	return 0;
}

static uint8_t field_len[SF_COUNT];
/* "Key:" of each field padded with spaces to 16 bytes as the kernel prints it, as
 * two 8-byte words, for a compare of the expected key without a scan. */
static uint64_t field_word[SF_COUNT][2];

static inline uint64_t load8(const char *s)
{
	uint64_t v;

	memcpy(&v, s, 8);
	return v;
}

static void field_words_init(void)
{
	for (int f = 0; f < SF_COUNT; f++) {
		char k[16];
		size_t n = strlen(field_names[f]);
		field_len[f] = (uint8_t)n;
		memset(k, ' ', sizeof(k));
		if (n + 1 > sizeof(k))
			continue;	/* never: the longest key is 15 bytes */
		memcpy(k, field_names[f], n);
		k[n] = ':';
		memcpy(&field_word[f][0], k, 8);
		memcpy(&field_word[f][1], k + 8, 8);
	}
}

/* The 8 bytes at s as a right-aligned decimal number padded with spaces on the
 * left ("     123"): true with *val set, or false when they are anything else. */
static bool number8(const char *s, uint64_t *val)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = UINT64_C(0x0101010101010101);
	uint64_t x = load8(s) ^ (ones * '0');	/* digits -> 0..9, space -> 0x10 */
	uint64_t hi = x & (ones * 0xf0), lo = x & (ones * 0x0f);

	if (hi & ~(ones * 0x10))
		return false;			/* a byte neither digit nor space */
	if ((lo + ones * 6) & (ones * 0xf0))
		return false;			/* a "digit" above 9 */
	uint64_t sp = (hi >> 4) * 0xff;		/* 0xff for each space byte */
	if (sp & (sp + 1) || sp == UINT64_MAX)
		return false;			/* spaces not all leading, or no digit */
	if ((hi >> 4) & lo)
		return false;			/* a space byte with low bits: not a space */
	/* the first byte in memory is the most significant digit */
	lo = (lo * 2561) >> 8;
	lo = ((lo & UINT64_C(0x00ff00ff00ff00ff)) * 6553601) >> 16;
	lo = ((lo & UINT64_C(0x0000ffff0000ffff)) * UINT64_C(42949672960001)) >> 32;
	*val = lo;
	return true;
#else
	uint64_t v = 0;
	bool digit = false;

	for (int i = 0; i < 8; i++) {
		unsigned ch = (unsigned char)s[i];
		if (ch - '0' < 10) {
			v = v * 10 + (ch - '0');
			digit = true;
		} else if (ch != ' ' || digit) {
			return false;
		}
	}
	*val = v;
	return digit;
#endif
}

/* The index of a known "Key" of len bytes, or -1.  The kernel prints the fields in
 * enum order, so the one after the previous field is tried first. */
static int field_index(struct parser *p, const char *k, size_t len)
{
	int f = p->next_field;

	if (f < SF_COUNT && field_len[f] == len && memcmp(field_names[f], k, len) == 0)
		return f;
	for (f = 0; f < SF_COUNT; f++)
		if (field_len[f] == len && memcmp(field_names[f], k, len) == 0)
			return f;
	return -1;
}

/* VmFlags code -> enum vma_flag, indexed by the two letters ('a'..'z'); 0 = not
 * known (VMF_OTHER), else flag + 1. */
static uint8_t flag_table[26][26];

static void flag_table_init(void)
{
	for (int f = 0; f < VMF_OTHER; f++) {
		unsigned a = (unsigned)(flag_codes[f][0] - 'a'), b = (unsigned)(flag_codes[f][1] - 'a');
		if (a < 26 && b < 26)
			flag_table[a][b] = (uint8_t)(f + 1);
	}
}

static int flag_index(char a, char b)
{
	unsigned x = (unsigned)(a - 'a'), y = (unsigned)(b - 'a');

	if (x < 26 && y < 26 && flag_table[x][y])
		return flag_table[x][y] - 1;
	return VMF_OTHER;
}

static int parse_vmflags(struct parser *p, const char *s, const char *e)
{
	uint64_t bits = 0;

	while (s < e) {
		if (*s == ' ') {
			s++;
			continue;
		}
		if (e - s < 2 || (e - s > 2 && s[2] != ' '))
			return bad(p, "bad VmFlags");
		bits |= VMF_BIT(flag_index(s[0], s[1]));
		s += 2;
	}
	p->cur->vmflags = bits;
	p->cur->has_vmflags = true;
	return 0;
}

static int add_extra(struct parser *p, const char *k, size_t klen, uint64_t value, bool is_kb)
{
	struct vma_list *l = p->l;
	uint32_t key = vma_list_intern(l, k, klen);

	if (key == UINT32_MAX)
		return -1;
	if (ARRAY_GROW(l->extra, l->cap_extra, l->n_extra, 16) < 0)
		return -1;
	l->extra[l->n_extra++] = (struct smaps_extra){
		.vma = (uint32_t)(p->cur - l->v), .key = key, .value = value, .is_kb = is_kb,
	};
	return 0;
}

/* Store "Key: val [kB]" in the current VMA. */
static int store_field(struct parser *p, const char *k, size_t klen, uint64_t val, bool is_kb)
{
	p->cur->has_figures = true;
	p->l->has_figures = true;
	if (is_kb) {
		if (val > UINT64_MAX / 1024)
			return bad(p, "value out of range");
		val *= 1024;
		int f = field_index(p, k, klen);
		if (f >= 0) {
			p->cur->fig[f] = val;
			p->next_field = f + 1;
			return 0;
		}
		return add_extra(p, k, klen, val, true);
	}
	if (klen == 11 && memcmp(k, "THPeligible", 11) == 0) {
		p->cur->thp_eligible = val > INT8_MAX ? INT8_MAX : (int8_t)val;
		return 0;
	}
	if (klen == 13 && memcmp(k, "ProtectionKey", 13) == 0) {
		p->cur->protection_key = val > INT16_MAX ? INT16_MAX : (int16_t)val;
		return 0;
	}
	return add_extra(p, k, klen, val, false);
}

/* A "Key: value" line starting at s, in a buffer ending at e.  Returns the bytes it
 * takes with its newline, 0 when the line does not end before e (more input
 * needed), -1 on error.  This is the hot path: 25 such lines per VMA. */
static ptrdiff_t parse_field_line(struct parser *p, const char *s, const char *e)
{
	const char *q = s;
	int f = p->next_field;

	/* The kernel prints "Key:" padded with spaces to 16 bytes, the number
	 * right-aligned in the next 8, then " kB" (SEQ_PUT_DEC in task_mmu.c): the
	 * expected key is compared as two words, the number is read as one. */
	uint64_t val;
	if (f < SF_COUNT && e - s >= 32 && p->cur && load8(s) == field_word[f][0] &&
	    load8(s + 8) == field_word[f][1] && memcmp(s + 24, " kB\n", 4) == 0 &&
	    number8(s + 16, &val)) {
		p->line++;
		p->cur->fig[f] = val * 1024;
		p->cur->has_figures = true;
		p->l->has_figures = true;
		p->next_field = f + 1;
		return 28;
	}
	while (q < e && *q != ':' && *q != '\n' && *q != '\0')
		q++;
	if (q >= e)
		return 0;
	p->line++;
	if (*q != ':' || q == s)
		return bad(p, "neither a VMA header nor a \"Key: value\" line");
	if (!p->cur)
		return bad(p, "a \"Key: value\" line before the first VMA");
	size_t klen = (size_t)(q - s);
	q++;
	if (klen == 7 && memcmp(s, "VmFlags", 7) == 0) {
		const char *nl = memchr(q, '\n', (size_t)(e - q));
		if (!nl) {
			p->line--;
			return 0;
		}
		if (parse_vmflags(p, q, nl) < 0)
			return -1;
		return nl + 1 - s;
	}
	while (q < e && *q == ' ')
		q++;
	const char *d = q;
	val = 0;
	while (q < e && (unsigned)(*q - '0') < 10)
		val = val * 10 + (unsigned)(*q++ - '0');
	if (q >= e || (q[0] == ' ' && e - q < 4)) {
		p->line--;
		return 0;
	}
	if (q == d)
		return bad(p, "bad number for %.*s", (int)(klen > 40 ? 40 : klen), s);
	if (q - d > 19) {
		/* may have wrapped: check it the slow way */
		uint64_t v = 0;
		for (const char *c = d; c < q; c++) {
			unsigned dig = (unsigned)(*c - '0');
			if (v > (UINT64_MAX - dig) / 10)
				return bad(p, "value out of range");
			v = v * 10 + dig;
		}
	}
	bool is_kb = false;
	if (*q == ' ') {
		if (q[1] != 'k' || q[2] != 'B' || q[3] != '\n')
			return bad(p, "bad unit for %.*s", (int)(klen > 40 ? 40 : klen), s);
		is_kb = true;
		q += 3;
	} else if (*q != '\n') {
		return bad(p, "bad number for %.*s", (int)(klen > 40 ? 40 : klen), s);
	}
	if (store_field(p, s, klen, val, is_kb) < 0)
		return -1;
	return q + 1 - s;
}

/* Parse the complete lines of [s, e).  Returns the bytes consumed (a partial last
 * line is left), or -1 on error. */
static ptrdiff_t parse_chunk(struct parser *p, const char *s, const char *e)
{
	const char *start = s;

	while (s < e) {
		ptrdiff_t n;
		/* A header starts with a lower-case hex digit (the kernel prints
		 * addresses so); a field line with its key. */
		if ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')) {
			const char *nl = memchr(s, '\n', (size_t)(e - s));
			if (!nl)
				break;
			p->line++;
			if (parse_header(p, s, nl) < 0)
				return -1;
			p->next_field = 0;
			n = nl + 1 - s;
		} else {
			n = parse_field_line(p, s, e);
			if (n < 0)
				return -1;
			if (n == 0)
				break;
		}
		s += n;
	}
	return s - start;
}

static void parser_init(struct parser *p, struct vma_list *l, struct smaps_error *err)
{
	memset(p, 0, sizeof(*p));
	p->l = l;
	p->err = err;
	if (err) {
		err->line = 0;
		err->msg[0] = '\0';
	}
	if (!field_len[0]) {
		field_words_init();
		flag_table_init();
	}
}

/* At the end of the input: what is left is a line without its newline. */
static int parse_tail(struct parser *p, const char *s, size_t len)
{
	if (len == 0)
		return 0;
	p->line++;
	if (memchr(s, '\n', len))
		return bad(p, "malformed line");
	return bad(p, "the last line has no newline (truncated input)");
}

void maps_put_name(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			fputs("\\012", f);
		else
			fputc(*s, f);
	}
}

int smaps_parse_buf(const char *buf, size_t len, struct vma_list *l, struct smaps_error *err)
{
	struct parser p;
	int rc = 0;

	parser_init(&p, l, err);
	if (vma_list_intern(l, "", 0) == UINT32_MAX)
		return -1;
	ptrdiff_t n = parse_chunk(&p, buf, buf + len);
	if (n < 0)
		rc = -1;
	else
		rc = parse_tail(&p, buf + n, len - (size_t)n);
	free(p.scratch);
	return rc;
}

/* Reading and parsing overlap: a reader thread reads smaps into blocks with read(2)
 * and queues them while the calling thread parses the blocks already read.  On a
 * live process the kernel's cost of producing smaps (a page-table walk and the
 * formatting of some twenty lines per VMA) is most of the run, and the parse then
 * costs no wall time.
 *
 * RING_SLOTS blocks go round between the two threads.  When the parser falls behind
 * (at the start it shares its CPU with the smaps_rollup reader; the machine may be
 * busy), the reader does not wait: it maps more blocks, up to RING_MAX at a time,
 * and the parser unmaps each extra one when done with it.  The kernel's production
 * of smaps sets the pace of the run and goes on; the extra memory is back before the
 * VMAs, which become the largest part of the memory used, have grown.
 *
 * A line cut by the end of a block is carried into the headroom in front of the
 * next block (or, when longer than the headroom, into a buffer of its own). */
enum {
	RING_SLOTS = 3,			/* blocks kept */
	RING_MAX = 8,			/* blocks at one time at most */
	RING_BLOCK = 512 * 1024,	/* bytes a block holds */
	RING_HEAD = 4096,		/* room for a carried partial line */
	RING_MAP = RING_HEAD + RING_BLOCK,	/* bytes mapped per block */
};

/* A place in the queue: RING_MAX of them, used in turn, so that the reader never
 * reaches the one the parser is at (it holds at most RING_MAX blocks). */
struct ring_slot {
	char *data;		/* the block: RING_BLOCK bytes, RING_HEAD bytes of headroom before */
	ssize_t len;		/* bytes read; 0 at end of file; -1 on error */
	int err;		/* errno of a failed read, or ENOMEM */
};

struct ring {
	int fd;
	bool fill;		/* a regular file: fill each block */
	bool threaded;		/* a reader thread fills the blocks */
	struct ring_slot slot[RING_MAX];
	sem_t full_slots;	/* blocks queued */
	sem_t free_blocks;	/* blocks on free[] */
	pthread_mutex_t lock;	/* over free[], n_free, mapped[], n_mapped */
	char *free[RING_MAX];	/* blocks read and parsed (data pointers) */
	unsigned n_free;
	char *mapped[RING_MAX];	/* every block mapped (its mapping; NULL: a free entry) */
	unsigned n_mapped;
	atomic_bool stop;	/* the parser gives up: the reader ends */
};

/* A block to read into: one given back, a new one while fewer than RING_MAX are
 * mapped, else the next one given back.  NULL when the parser has stopped, or with
 * errno ENOMEM when no block could be mapped and none is sure to come back: may_wait
 * is false (the parser reads for itself), or fewer than two are mapped (the parser
 * holds one until it has the next). */
static char *block_get(struct ring *r, bool may_wait)
{
	if (atomic_load_explicit(&r->stop, memory_order_relaxed))
		return NULL;
	if (sem_trywait(&r->free_blocks) < 0) {
		pthread_mutex_lock(&r->lock);
		char *m = r->n_mapped < RING_MAX ? mmap(NULL, RING_MAP, PROT_READ | PROT_WRITE,
							MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
						 : MAP_FAILED;
		if (m != MAP_FAILED) {
			unsigned k = 0;
			while (r->mapped[k])
				k++;
			r->mapped[k] = m;
			r->n_mapped++;
			pthread_mutex_unlock(&r->lock);
			return m + RING_HEAD;
		}
		bool wait = may_wait && r->n_mapped >= 2;
		pthread_mutex_unlock(&r->lock);
		if (!wait) {
			errno = ENOMEM;
			return NULL;
		}
		while (sem_wait(&r->free_blocks) < 0)
			;
	}
	/* a block given back, or the parser's wake-up when it stops */
	if (atomic_load_explicit(&r->stop, memory_order_relaxed))
		return NULL;
	pthread_mutex_lock(&r->lock);
	char *b = r->free[--r->n_free];
	pthread_mutex_unlock(&r->lock);
	return b;
}

/* Give block b back when done with it: kept while no more than RING_SLOTS are
 * mapped, else unmapped. */
static void block_put(struct ring *r, char *b)
{
	pthread_mutex_lock(&r->lock);
	if (r->n_mapped > RING_SLOTS) {
		unsigned k = 0;
		while (r->mapped[k] != b - RING_HEAD)
			k++;
		r->mapped[k] = NULL;
		r->n_mapped--;
		pthread_mutex_unlock(&r->lock);
		munmap(b - RING_HEAD, RING_MAP);
		return;
	}
	r->free[r->n_free++] = b;
	pthread_mutex_unlock(&r->lock);
	sem_post(&r->free_blocks);
}

/* Read the next block into s (s->data, from block_get(r, reader)): a file's block is
 * filled (a read(2) of seq_file gives one page of it); from a pipe or terminal each
 * read is handed on at once.  Without a block, s says end of file (the parser has
 * stopped) or the error. */
static void fill_slot(struct ring *r, struct ring_slot *s, bool reader)
{
	size_t have = 0;
	ssize_t n;

	s->data = block_get(r, reader);
	if (!s->data) {
		s->len = atomic_load_explicit(&r->stop, memory_order_relaxed) ? 0 : -1;
		s->err = ENOMEM;
		return;
	}
	do {
		n = read(r->fd, s->data + have, RING_BLOCK - have);
		if (n > 0)
			have += (size_t)n;
	} while ((n < 0 && errno == EINTR) || (n > 0 && r->fill && have < RING_BLOCK));
	if (n < 0 && have == 0) {
		s->len = -1;
		s->err = errno;
	} else {
		s->len = (ssize_t)have;
	}
}

static void *ring_reader(void *arg)
{
	struct ring *r = arg;

	for (unsigned i = 0;; i = (i + 1) % RING_MAX) {
		struct ring_slot *s = &r->slot[i];
		fill_slot(r, s, true);
		bool last = s->len <= 0;
		sem_post(&r->full_slots);
		if (last)
			return NULL;
	}
}

/* Wait for the reader's next block.  The parser is faster than the kernel, so it
 * waits for most blocks; were it asleep in sem_wait(), the reader's sem_post()
 * would have to wake it, a system call and an interrupt to the other CPU (costly
 * in a virtual machine) on the path that sets the pace.  So it looks every 100 us
 * (sem_trywait(), nanosleep(): the cost is on its own CPU, and the queue holds what
 * comes meanwhile), and sleeps in sem_wait() only after 50 ms (a pipe, a terminal). */
static void wait_full(struct ring *r)
{
	enum { POLL_NS = 100000, POLL_FOR_NS = 50000000 };
	const struct timespec nap = { 0, POLL_NS };

	for (long waited = 0; waited < POLL_FOR_NS; waited += POLL_NS) {
		if (sem_trywait(&r->full_slots) == 0)
			return;
		nanosleep(&nap, NULL);
	}
	while (sem_wait(&r->full_slots) < 0)
		;
}

/* Parse the blocks of the ring in order, as the reader thread hands them on, or,
 * without one (r->threaded false), as this thread reads them.  A partial line left
 * at the end of a block goes into the headroom in front of the next one, or, when
 * longer than the headroom, with the next block into carry. */
static int parse_ring(struct parser *p, struct ring *r)
{
	char *carry = NULL;
	size_t carry_cap = 0;
	const char *tail = "";		/* the partial line left by the previous block */
	size_t tail_len = 0;
	bool tail_in_carry = false;
	char *prev = NULL;		/* the previous block, until its tail is copied */
	int rc = 0;

	for (unsigned i = 0;; i = (i + 1) % RING_MAX) {
		struct ring_slot *s = &r->slot[i];
		const char *b;
		size_t len;

		if (r->threaded)
			wait_full(r);
		else
			fill_slot(r, s, false);

		if (s->len < 0) {
			errno = s->err;
			rc = -1;
			break;
		}
		len = tail_len + (size_t)s->len;
		if (tail_len <= RING_HEAD) {
			memcpy(s->data - tail_len, tail, tail_len);
			b = s->data - tail_len;
		} else {
			if (len > carry_cap || !carry) {
				size_t off = tail_in_carry ? (size_t)(tail - carry) : 0;
				char *n = realloc(carry, len * 2);
				if (!n) {
					rc = -1;
					break;
				}
				if (tail_in_carry)
					tail = n + off;
				carry = n;
				carry_cap = len * 2;
			}
			memmove(carry, tail, tail_len);
			memcpy(carry + tail_len, s->data, (size_t)s->len);
			b = carry;
		}
		/* the previous block has been copied from: give it back */
		if (prev)
			block_put(r, prev);
		prev = s->data;
		if (s->len == 0) {
			rc = parse_tail(p, b, len);
			break;
		}
		ptrdiff_t n = parse_chunk(p, b, b + len);
		if (n < 0) {
			rc = -1;
			break;
		}
		tail = b + n;
		tail_len = len - (size_t)n;
		tail_in_carry = b == carry;
	}
	free(carry);
	return rc;
}

int smaps_parse_fd(int fd, struct vma_list *l, struct smaps_error *err)
{
	return smaps_parse_fd_meanwhile(fd, l, err, NULL, NULL);
}

int smaps_parse_fd_meanwhile(int fd, struct vma_list *l, struct smaps_error *err,
			     void (*meanwhile)(void *), void *arg)
{
	struct parser p;
	struct ring r = { .fd = fd };
	pthread_t reader;
	int rc;

	parser_init(&p, l, err);
	if (vma_list_intern(l, "", 0) == UINT32_MAX)
		return -1;
	struct stat st;
	r.fill = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	atomic_init(&r.stop, false);
	sem_init(&r.free_blocks, 0, 0);
	sem_init(&r.full_slots, 0, 0);
	pthread_mutex_init(&r.lock, NULL);
	/* a local copy: parse_ring() gets &r, and what it may do to r must
	 * not decide whether there is a thread to join */
	const bool threaded = parallel_threads() &&
		pthread_create(&reader, NULL, ring_reader, &r) == 0;
	r.threaded = threaded;
	if (meanwhile)
		meanwhile(arg);
	rc = parse_ring(&p, &r);
	if (threaded) {
		int saved = errno;
		if (rc < 0) {
			/* let a reader waiting for a block see the stop and end, and one
			 * waiting in read(2) on a pipe or terminal not wait for more */
			atomic_store(&r.stop, true);
			sem_post(&r.free_blocks);
			pthread_cancel(reader);
		}
		pthread_join(reader, NULL);
		errno = saved;
	}
	sem_destroy(&r.free_blocks);
	sem_destroy(&r.full_slots);
	pthread_mutex_destroy(&r.lock);
	for (unsigned k = 0; k < RING_MAX; k++)
		if (r.mapped[k])
			munmap(r.mapped[k], RING_MAP);
	free(p.scratch);
	return rc;
}

/* ------------------------------------------------------------------ queries */

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

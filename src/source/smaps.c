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
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/array.h"
#include "lib/util.h"
#include "source/smaps.h"

/* Each field's key, and the start of its line as the kernel prints it: the key and
 * a colon padded with spaces to 16 bytes, then the number right-aligned in 8 or more
 * columns, then " kB" (show_smap() and SEQ_PUT_DEC() in fs/proc/task_mmu.c):
 * "Rss:                   4 kB". */
static const struct {
	const char *name;
	size_t len;		/* of name */
	char line[17];		/* the 16 bytes that start the line */
} fields[SF_COUNT] = {
#define FIELD(key, padded) { key, sizeof(key) - 1, padded }
	[SF_SIZE] = FIELD("Size", "Size:           "),
	[SF_KERNEL_PAGE_SIZE] = FIELD("KernelPageSize", "KernelPageSize: "),
	[SF_MMU_PAGE_SIZE] = FIELD("MMUPageSize", "MMUPageSize:    "),
	[SF_RSS] = FIELD("Rss", "Rss:            "),
	[SF_PSS] = FIELD("Pss", "Pss:            "),
	[SF_PSS_DIRTY] = FIELD("Pss_Dirty", "Pss_Dirty:      "),
	[SF_PSS_ANON] = FIELD("Pss_Anon", "Pss_Anon:       "),
	[SF_PSS_FILE] = FIELD("Pss_File", "Pss_File:       "),
	[SF_PSS_SHMEM] = FIELD("Pss_Shmem", "Pss_Shmem:      "),
	[SF_SHARED_CLEAN] = FIELD("Shared_Clean", "Shared_Clean:   "),
	[SF_SHARED_DIRTY] = FIELD("Shared_Dirty", "Shared_Dirty:   "),
	[SF_PRIVATE_CLEAN] = FIELD("Private_Clean", "Private_Clean:  "),
	[SF_PRIVATE_DIRTY] = FIELD("Private_Dirty", "Private_Dirty:  "),
	[SF_REFERENCED] = FIELD("Referenced", "Referenced:     "),
	[SF_ANONYMOUS] = FIELD("Anonymous", "Anonymous:      "),
	[SF_KSM] = FIELD("KSM", "KSM:            "),
	[SF_LAZY_FREE] = FIELD("LazyFree", "LazyFree:       "),
	[SF_ANON_HUGE_PAGES] = FIELD("AnonHugePages", "AnonHugePages:  "),
	[SF_SHMEM_PMD_MAPPED] = FIELD("ShmemPmdMapped", "ShmemPmdMapped: "),
	[SF_FILE_PMD_MAPPED] = FIELD("FilePmdMapped", "FilePmdMapped:  "),
	[SF_SHARED_HUGETLB] = FIELD("Shared_Hugetlb", "Shared_Hugetlb: "),
	[SF_PRIVATE_HUGETLB] = FIELD("Private_Hugetlb", "Private_Hugetlb:"),
	[SF_SWAP] = FIELD("Swap", "Swap:           "),
	[SF_SWAP_PSS] = FIELD("SwapPss", "SwapPss:        "),
	[SF_LOCKED] = FIELD("Locked", "Locked:         "),
#undef FIELD
};

const char *smaps_field_name(enum smaps_field f)
{
	if ((unsigned)f >= SF_COUNT)
		return NULL;
	return fields[f].name;
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
	int next_field;		/* the field expected next (the kernel's order) */
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

/* Parse hex digits at *s (at least one, at most 16); returns 0 or -1. */
static int take_hex(const char **s, const char *e, uint64_t *out)
{
	const char *q = *s;
	uint64_t v = 0;
	int d;

	for (; q < e && (d = hex_digit(*q)) >= 0; q++) {
		if (q - *s == 16)
			return -1;
		v = (v << 4) | (uint64_t)d;
	}
	if (q == *s)
		return -1;
	*s = q;
	*out = v;
	return 0;
}

/* Parse decimal digits at *s (at least one); returns 0, or -1 when there is no digit
 * or the number does not fit in 64 bits. */
static inline int take_dec(const char **s, const char *e, uint64_t *out)
{
	const char *q = *s;
	uint64_t v = 0;

	for (; q < e && *q >= '0' && *q <= '9'; q++)
		if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, *q - '0', &v))
			return -1;
	if (q == *s)
		return -1;
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

/* Whether the len bytes at k are the key of field f. */
static bool is_field(int f, const char *k, size_t len)
{
	return fields[f].len == len && memcmp(fields[f].name, k, len) == 0;
}

/* The index of the known field whose key is the len bytes at k, or -1.  The kernel
 * prints the fields in enum order: the one expected next is tried first. */
static int field_index(const struct parser *p, const char *k, size_t len)
{
	if (p->next_field < SF_COUNT && is_field(p->next_field, k, len))
		return p->next_field;
	for (int f = 0; f < SF_COUNT; f++)
		if (is_field(f, k, len))
			return f;
	return -1;
}

/* The flag of a VmFlags code of two letters at s; VMF_OTHER when not known here. */
static enum vma_flag flag_index(const char *s)
{
	for (int f = 0; f < VMF_OTHER; f++)
		if (flag_codes[f][0] == s[0] && flag_codes[f][1] == s[1])
			return f;
	return VMF_OTHER;
}

/* The codes of a "VmFlags:" line, [s, e) after the colon. */
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
		bits |= VMF_BIT(flag_index(s));
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

/* A "Key: value" line [s, nl), nl its newline: "Key:", spaces, a decimal number and
 * " kB" or nothing after it; or "VmFlags:" and two-letter codes. */
static int parse_field_line(struct parser *p, const char *s, const char *nl)
{
	const char *q;

	for (q = s; q < nl && *q != ':' && *q != '\0'; q++)
		;
	if (q == nl || *q != ':' || q == s)
		return bad(p, "neither a VMA header nor a \"Key: value\" line");
	if (!p->cur)
		return bad(p, "a \"Key: value\" line before the first VMA");
	size_t klen = (size_t)(q - s);
	int shown = klen > 40 ? 40 : (int)klen;	/* of the key, in a message */
	q++;
	if (klen == 7 && memcmp(s, "VmFlags", 7) == 0)
		return parse_vmflags(p, q, nl);

	while (q < nl && *q == ' ')
		q++;
	uint64_t val;
	if (take_dec(&q, nl, &val) < 0) {
		if (q < nl && *q >= '0' && *q <= '9')
			return bad(p, "value out of range");
		return bad(p, "bad number for %.*s", shown, s);
	}
	bool is_kb = false;
	if (q < nl && *q == ' ') {
		if (nl - q != 3 || q[1] != 'k' || q[2] != 'B')
			return bad(p, "bad unit for %.*s", shown, s);
		is_kb = true;
	} else if (q != nl) {
		return bad(p, "bad number for %.*s", shown, s);
	}
	return store_field(p, s, klen, val, is_kb);
}

/* The line at s (e - s bytes available) when it is the field expected next exactly
 * as the kernel prints it: the key and a colon padded to 16 bytes, the number
 * right-aligned in the next 8, " kB" and the newline, 28 bytes.  Nearly every line
 * of smaps is such a line: its figure is stored without a search for the newline,
 * a scan of the key or a lookup.  Returns 28, or 0 for any other line, which
 * parse_field_line() then reads. */
static int kernel_field_line(struct parser *p, const char *s, const char *e)
{
	enum { KEY = 16, NUMBER = 8, LINE = KEY + NUMBER + 4 };
	int f = p->next_field;
	const char *q = s + KEY, *end = s + KEY + NUMBER;
	uint64_t v = 0;

	if (f >= SF_COUNT || e - s < LINE || memcmp(s, fields[f].line, KEY) != 0 ||
	    memcmp(end, " kB\n", 4) != 0)
		return 0;
	while (q < end - 1 && *q == ' ')
		q++;
	for (; q < end && *q >= '0' && *q <= '9'; q++)
		v = v * 10 + (uint64_t)(*q - '0');	/* at most 8 digits */
	if (q != end)
		return 0;
	p->cur->fig[f] = v * 1024;
	p->cur->has_figures = true;
	p->l->has_figures = true;
	p->next_field = f + 1;
	return LINE;
}

/* Parse the complete lines of [s, e).  Returns the bytes consumed (a partial last
 * line is left), or -1 on error. */
static ptrdiff_t parse_lines(struct parser *p, const char *s, const char *e)
{
	const char *start = s;
	const char *nl;

	for (;;) {
		int n = kernel_field_line(p, s, e);
		if (n) {
			p->line++;
			s += n;
			continue;
		}
		if (s == e || !(nl = memchr(s, '\n', (size_t)(e - s))))
			break;
		p->line++;
		int rc;
		/* A header starts with a lower-case hex digit (the kernel prints
		 * addresses so); a field line with its key. */
		if ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')) {
			rc = parse_header(p, s, nl);
			p->next_field = 0;
		} else {
			rc = parse_field_line(p, s, nl);
		}
		if (rc < 0)
			return -1;
		s = nl + 1;
	}
	return s - start;
}

static int parser_init(struct parser *p, struct vma_list *l, struct smaps_error *err)
{
	memset(p, 0, sizeof(*p));
	p->l = l;
	p->err = err;
	p->next_field = SF_COUNT;	/* none before the first header */
	if (err) {
		err->line = 0;
		err->msg[0] = '\0';
	}
	return vma_list_intern(l, "", 0) == UINT32_MAX ? -1 : 0;
}

/* At the end of the input: what is left is a line without its newline. */
static int parse_tail(struct parser *p, size_t len)
{
	if (len == 0)
		return 0;
	p->line++;
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
	int rc = -1;

	if (parser_init(&p, l, err) < 0)
		return -1;
	ptrdiff_t n = parse_lines(&p, buf, buf + len);
	if (n >= 0)
		rc = parse_tail(&p, len - (size_t)n);
	free(p.scratch);
	return rc;
}

/* Bytes asked of each read(2): /proc's seq_file fills what it is asked for, so a
 * large read costs fewer system calls; the smaps of a VMA is about 1 KiB. */
enum { READ_SIZE = 512 * 1024 };

int smaps_parse_fd(int fd, struct vma_list *l, struct smaps_error *err)
{
	struct parser p;
	char *buf = NULL;
	size_t cap = 0, have = 0;	/* bytes in buf: the start of a line not yet whole */
	int rc = -1;

	if (parser_init(&p, l, err) < 0)
		return -1;
	for (;;) {
		if (cap - have < READ_SIZE) {
			/* room for a read after the partial line: a long line grows it */
			char *b = realloc(buf, have + READ_SIZE);
			if (!b)
				break;
			buf = b;
			cap = have + READ_SIZE;
		}
		ssize_t n = read(fd, buf + have, cap - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if (n == 0) {
			rc = parse_tail(&p, have);
			break;
		}
		have += (size_t)n;
		ptrdiff_t used = parse_lines(&p, buf, buf + have);
		if (used < 0)
			break;
		have -= (size_t)used;
		memmove(buf, buf + used, have);
	}
	free(buf);
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

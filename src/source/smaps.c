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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "lib/array.h"
#include "lib/util.h"
#include "source/smaps.h"

/* The start of each field's line as the kernel prints it: the key and a colon
 * padded with spaces to 16 bytes, then the number right-aligned in 8 or more
 * columns, then " kB" (show_smap() and SEQ_PUT_DEC() in fs/proc/task_mmu.c):
 * "Rss:                   4 kB". */
static const char field_line[SF_COUNT][17] = {
	[SF_SIZE] = "Size:           ",
	[SF_KERNEL_PAGE_SIZE] = "KernelPageSize: ",
	[SF_MMU_PAGE_SIZE] = "MMUPageSize:    ",
	[SF_RSS] = "Rss:            ",
	[SF_PSS] = "Pss:            ",
	[SF_PSS_DIRTY] = "Pss_Dirty:      ",
	[SF_PSS_ANON] = "Pss_Anon:       ",
	[SF_PSS_FILE] = "Pss_File:       ",
	[SF_PSS_SHMEM] = "Pss_Shmem:      ",
	[SF_SHARED_CLEAN] = "Shared_Clean:   ",
	[SF_SHARED_DIRTY] = "Shared_Dirty:   ",
	[SF_PRIVATE_CLEAN] = "Private_Clean:  ",
	[SF_PRIVATE_DIRTY] = "Private_Dirty:  ",
	[SF_REFERENCED] = "Referenced:     ",
	[SF_ANONYMOUS] = "Anonymous:      ",
	[SF_KSM] = "KSM:            ",
	[SF_LAZY_FREE] = "LazyFree:       ",
	[SF_ANON_HUGE_PAGES] = "AnonHugePages:  ",
	[SF_SHMEM_PMD_MAPPED] = "ShmemPmdMapped: ",
	[SF_FILE_PMD_MAPPED] = "FilePmdMapped:  ",
	[SF_SHARED_HUGETLB] = "Shared_Hugetlb: ",
	[SF_PRIVATE_HUGETLB] = "Private_Hugetlb:",
	[SF_SWAP] = "Swap:           ",
	[SF_SWAP_PSS] = "SwapPss:        ",
	[SF_LOCKED] = "Locked:         ",
};

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
	const char *q = *s, *lim = e - q > 16 ? q + 16 : e;
	uint64_t v = 0;
	int d;

	for (; q < lim && (d = hex_digit(*q)) >= 0; q++)
		v = (v << 4) | (uint64_t)d;
	if (q == *s || (q < e && hex_digit(*q) >= 0))	/* none, or a 17th */
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
	bool deleted = false;
	static const char del[] = " (deleted)";
	if (vma_classify_name(name, len) == VMA_NAME_PATH && len > sizeof(del) - 1 &&
	    memcmp(name + len - (sizeof(del) - 1), del, sizeof(del) - 1) == 0) {
		deleted = true;
		len -= sizeof(del) - 1;
	}
	struct vma *v = vma_list_add(p->l, start, end, perms, off, (uint32_t)maj, (uint32_t)min,
				     ino, name, len, deleted);
	if (!v)
		return -1;
	p->cur = v;
	return 0;
}

/* Whether the len bytes at k are the key of field f. */
static bool is_field(int f, const char *k, size_t len)
{
	/* field_line[f] is the key, a colon, spaces: the key is len bytes when the
	 * colon follows them (every key is shorter than 16 bytes) */
	return len < 16 && field_line[f][len] == ':' && memcmp(field_line[f], k, len) == 0;
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

/* The codes of a "VmFlags:" line, [s, e) after the colon. */
static int parse_vmflags(struct parser *p, const char *s, const char *e)
{
	uint64_t bits = 0;
	int next = 0;		/* the flag after the last one found */

	while (s < e) {
		if (*s == ' ') {
			s++;
			continue;
		}
		if (e - s < 2 || (e - s > 2 && s[2] != ' '))
			return bad(p, "bad VmFlags");
		enum vma_flag f = vma_flag_lookup(s, next);
		bits |= VMF_BIT(f);
		next = f + 1;
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
			p->next_field = f + 1;
			return vma_set_fig(p->l, p->cur, (enum smaps_field)f, val);
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

	if (p->cur && nl - s >= 8 && memcmp(s, "VmFlags:", 8) == 0)
		return parse_vmflags(p, s + 8, nl);
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

/* The number the kernel right-aligns in the 8 bytes at s (%8u): spaces, then one
 * to eight digits.  Returns it (at most 99 999 999), or -1 for anything else. */
static inline long number8(const char *s)
{
	long v = 0;
	int i = 0;

	/* most figures are one digit (0, or 4 kB): seven spaces and the digit */
	if (memcmp(s, "       ", 7) == 0)
		return s[7] >= '0' && s[7] <= '9' ? s[7] - '0' : -1;
	while (i < 7 && s[i] == ' ')
		i++;
	for (; i < 8; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* The line at s (e - s bytes available) when it is the field expected next exactly
 * as the kernel prints it: the key and a colon padded to 16 bytes, the number
 * right-aligned in the next 8, " kB" and the newline, 28 bytes; after the last of
 * them, "THPeligible:" and "ProtectionKey:" in the same form without " kB", 25
 * bytes.  Nearly every line of smaps is such a line: its figure is stored without
 * a search for the newline, a scan of the key or a lookup.  Returns the length of
 * the line, or 0 for any other line, which parse_field_line() then reads. */
static int kernel_field_line(struct parser *p, const char *s, const char *e)
{
	enum { KEY = 16, NUMBER = 8, LINE = KEY + NUMBER + 4 };
	int f = p->next_field;
	long v;

	if (!p->cur)
		return 0;
	if (f >= SF_COUNT) {
		/* "THPeligible:           0" (a number not in kB) */
		if (e - s < LINE - 3 || s[KEY + NUMBER] != '\n' || (v = number8(s + KEY)) < 0)
			return 0;
		if (memcmp(s, "THPeligible:    ", KEY) == 0)
			p->cur->thp_eligible = v > INT8_MAX ? INT8_MAX : (int8_t)v;
		else if (memcmp(s, "ProtectionKey:  ", KEY) == 0)
			p->cur->protection_key = v > INT16_MAX ? INT16_MAX : (int16_t)v;
		else
			return 0;
		return LINE - 3;
	}
	if (e - s < LINE || p->cur->wide || memcmp(s + KEY + NUMBER, " kB\n", 4) != 0)
		return 0;
	if (memcmp(s, field_line[f], KEY) != 0) {
		/* Pss_Anon, Pss_File and Pss_Shmem are in smaps_rollup only: in smaps,
		 * Shared_Clean follows Pss_Dirty */
		if (f != SF_PSS_ANON || memcmp(s, field_line[SF_SHARED_CLEAN], KEY) != 0)
			return 0;
		f = SF_SHARED_CLEAN;
	}
	if ((v = number8(s + KEY)) < 0)
		return 0;
	p->cur->kib[f] = (uint32_t)v;
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

/* Bytes asked of each read(2) of a file that is not in /proc: a saved smaps, a pipe. */
enum { READ_SIZE = 512 * 1024 };

/* Bytes asked of each read(2) of a /proc file: three quarters of a page.
 *
 * The kernel produces smaps through seq_file (seq_read_iter() in fs/seq_file.c),
 * in a buffer of one page.  Each read formats one VMA's record after another into
 * it until the bytes asked for are there.  When more is asked than the page holds,
 * the record that no longer fits is formatted in full (its page-table walk too),
 * thrown away, and formatted again at the next read: one record in six of smaps
 * (records of about 750 bytes, 4 KiB pages) is made twice.  Asked for less than a
 * page, the kernel stops formatting as soon as it has the bytes, and keeps the rest
 * of the last record for the next read: with three quarters of a page, no record
 * under a quarter page (1 KiB: all but those with names of some 250 bytes or more)
 * is made twice.  The reads are a fifth more, and the kernel's time 9% less (60 000
 * VMAs, bench/run). */
static size_t proc_read_size(int fd)
{
	struct statfs sf;
	long page = sysconf(_SC_PAGESIZE);

	if (fstatfs(fd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC && page >= 4096)
		return (size_t)page / 4 * 3;
	return READ_SIZE;
}

int smaps_parse_fd(int fd, struct vma_list *l, struct smaps_error *err)
{
	struct parser p;
	char *buf = NULL;
	size_t cap = 0, have = 0;	/* bytes in buf: the start of a line not yet whole */
	size_t ask = proc_read_size(fd);
	int rc = -1;

	if (parser_init(&p, l, err) < 0)
		return -1;
	for (;;) {
		if (cap - have < ask) {
			/* room for a read after the partial line: a long line grows it */
			char *b = realloc(buf, have + ask);
			if (!b)
				break;
			buf = b;
			cap = have + ask;
		}
		ssize_t n = read(fd, buf + have, ask);
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

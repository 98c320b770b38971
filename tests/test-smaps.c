/* test-smaps.c - the smaps/maps parser (src/smaps.h) on recorded fixtures and on
 * malformed input.
 *
 * The fixtures (tests/fixtures/, recorded from real processes by tests/mk-fixtures.sh;
 * found through the environment variable top_srcdir) are checked two ways: against
 * what the recording program is known to have mapped (names, sizes, permissions,
 * offsets), and, for every VMA and every field, against a second, deliberately simple
 * reading of the same text done here with sscanf().
 *
 * TAP on stdout (tests/tap.h).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "source/smaps.h"
#include "tap.h"

#define PAGE 4096u

/* ------------------------------------------------------------ fixtures */

static const char *srcdir;

/* The whole of tests/fixtures/NAME (NUL-terminated too), or NULL. */
static char *load(const char *name, size_t *len)
{
	char path[4096];
	char *buf = NULL;
	size_t cap = 0, n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/fixtures/%s", srcdir, name);
	f = fopen(path, "rb");
	if (f == NULL) {
		tap_diag("cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n + 4096 + 1 > cap) {
			char *nb;

			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (nb == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		size_t got = fread(buf + n, 1, 4096, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Parse fixture NAME into l (initialised here); true on success. */
static bool parse_fixture(const char *name, struct vma_list *l, char **text, size_t *len)
{
	struct smaps_error err = { 0, "" };
	int rc;

	vma_list_init(l);
	*text = load(name, len);
	if (*text == NULL) {
		tap_ok(0, "%s: fixture readable", name);
		return false;
	}
	rc = smaps_parse_buf(*text, *len, l, &err);
	tap_ok(rc == 0, "%s: parses (%zu VMAs)", name, l->n);
	if (rc != 0)
		tap_diag("errno %d, line %lu: %s", errno, err.line, err.msg);
	return rc == 0;
}

/* ------------------------------------------------ a second, simple reading */

struct ref_vma {
	uint64_t start, end, offset, inode;
	unsigned dev_major, dev_minor;
	uint32_t perms;
	char name[4096];
	size_t name_len;
	bool deleted;
	uint64_t fig[SF_COUNT];
	bool has_figures, has_vmflags;
	uint64_t vmflags;
	int thp_eligible, protection_key;
};

struct ref {
	struct ref_vma *v;
	size_t n;
	size_t n_unknown;	/* "Key: N kB" lines with a key not in enum smaps_field */
};

static int ref_field(const char *key)
{
	for (int f = 0; f < SF_COUNT; f++)
		if (strcmp(smaps_field_name((enum smaps_field)f), key) == 0)
			return f;
	return -1;
}

static uint64_t ref_flag(const char *code)
{
	for (int f = 0; f < VMF_OTHER; f++)
		if (strcmp(vma_flag_name((enum vma_flag)f), code) == 0)
			return VMF_BIT(f);
	return VMF_BIT(VMF_OTHER);
}

static void ref_header(struct ref_vma *r, const char *line)
{
	char perms[5] = "";
	int pos = 0;
	const char *name;
	size_t len = 0;
	static const char del[] = " (deleted)";

	memset(r, 0, sizeof(*r));
	r->thp_eligible = -1;
	r->protection_key = -1;
	sscanf(line, "%" SCNx64 "-%" SCNx64 " %4s %" SCNx64 " %x:%x %" SCNu64 "%n",
	       &r->start, &r->end, perms, &r->offset, &r->dev_major, &r->dev_minor,
	       &r->inode, &pos);
	r->perms = (perms[0] == 'r' ? VMA_PERM_READ : 0) | (perms[1] == 'w' ? VMA_PERM_WRITE : 0) |
		   (perms[2] == 'x' ? VMA_PERM_EXEC : 0) | (perms[3] == 's' ? VMA_PERM_SHARED : 0);
	name = line + pos;
	while (*name == ' ')
		name++;
	for (const char *q = name; *q && len < sizeof(r->name) - 1; q++) {
		if (strncmp(q, "\\012", 4) == 0) {
			r->name[len++] = '\n';
			q += 3;
		} else {
			r->name[len++] = *q;
		}
	}
	if (r->name[0] == '/' && len > strlen(del) &&
	    memcmp(r->name + len - strlen(del), del, strlen(del)) == 0) {
		r->deleted = true;
		len -= strlen(del);
	}
	r->name[len] = '\0';
	r->name_len = len;
}

static void ref_key(struct ref *ref, struct ref_vma *r, char *line)
{
	char *colon = strchr(line, ':');
	char *val;
	unsigned long long kb;
	int f;

	if (colon == NULL)
		return;
	*colon = '\0';
	val = colon + 1;
	if (strcmp(line, "VmFlags") == 0) {
		r->has_vmflags = true;
		for (char *t = strtok(val, " "); t; t = strtok(NULL, " "))
			r->vmflags |= ref_flag(t);
	} else if (strcmp(line, "THPeligible") == 0) {
		r->thp_eligible = atoi(val);
	} else if (strcmp(line, "ProtectionKey") == 0) {
		r->protection_key = atoi(val);
	} else if (sscanf(val, " %llu kB", &kb) == 1) {
		r->has_figures = true;
		f = ref_field(line);
		if (f >= 0)
			r->fig[f] = kb * 1024;
		else
			ref->n_unknown++;
	}
}

static void ref_read(struct ref *ref, const char *text, size_t len)
{
	const char *p = text, *e = text + len;
	char line[8192];

	ref->n = 0;
	ref->n_unknown = 0;
	ref->v = NULL;
	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		size_t ll = (size_t)((nl ? nl : e) - p);
		const char *dash = memchr(p, '-', ll);

		if (ll >= sizeof(line))
			ll = sizeof(line) - 1;
		memcpy(line, p, ll);
		line[ll] = '\0';
		if (dash && strspn(line, "0123456789abcdef") == (size_t)(dash - p)) {
			struct ref_vma *nv = realloc(ref->v, (ref->n + 1) * sizeof(*nv));

			if (nv == NULL)
				abort();
			ref->v = nv;
			ref_header(&ref->v[ref->n++], line);
		} else if (ref->n > 0) {
			ref_key(ref, &ref->v[ref->n - 1], line);
		}
		p += (nl ? (size_t)(nl - p) + 1 : ll);
	}
}

/* Every VMA of l against the simple reading of the same text: one TAP line per
 * kind of field, the first difference in a diagnostic. */
/* Whether each smaps field of v is want[] (bytes). */
static bool figs_are(const struct vma *v, const uint64_t *want)
{
	uint64_t got[SF_COUNT];

	vma_figs(v, got);
	return memcmp(got, want, sizeof(got)) == 0;
}

static bool same_figs(const struct vma *a, const struct vma *b)
{
	uint64_t want[SF_COUNT];

	vma_figs(b, want);
	return figs_are(a, want);
}

static void compare_ref(const char *fixture, const struct vma_list *l, const char *text,
			size_t len)
{
	struct ref ref;
	size_t bad_hdr = 0, bad_name = 0, bad_fig = 0, bad_flags = 0, i;

	ref_read(&ref, text, len);
	tap_ok(l->n == ref.n, "%s: %zu VMAs, as many as header lines (%zu)", fixture, l->n, ref.n);
	for (i = 0; i < l->n && i < ref.n; i++) {
		const struct vma *v = &l->v[i];
		const struct ref_vma *r = &ref.v[i];

		if (v->start != r->start || v->end != r->end || v->offset != r->offset ||
		    v->inode != r->inode || v->dev_major != r->dev_major ||
		    v->dev_minor != r->dev_minor || v->perms != r->perms) {
			if (bad_hdr++ == 0)
				tap_diag("VMA %zu: header %" PRIx64 "-%" PRIx64 " differs", i,
					 v->start, v->end);
		}
		if (v->name_len != r->name_len || memcmp(vma_name(l, v), r->name, r->name_len) != 0 ||
		    vma_name(l, v)[v->name_len] != '\0' || v->deleted != r->deleted) {
			if (bad_name++ == 0)
				tap_diag("VMA %zu: name \"%s\" (deleted %d), expected \"%s\" (%d)",
					 i, vma_name(l, v), v->deleted, r->name, r->deleted);
		}
		if (v->has_figures != r->has_figures ||
		    v->thp_eligible != r->thp_eligible || v->protection_key != r->protection_key ||
		    (r->has_figures && !figs_are(v, r->fig))) {
			if (bad_fig++ == 0)
				tap_diag("VMA %zu (%s): figures differ", i, r->name);
		}
		if (v->has_vmflags != r->has_vmflags || (r->has_vmflags && v->vmflags != r->vmflags)) {
			if (bad_flags++ == 0)
				tap_diag("VMA %zu: VmFlags %#" PRIx64 ", expected %#" PRIx64, i,
					 v->vmflags, r->vmflags);
		}
	}
	tap_ok(bad_hdr == 0, "%s: start, end, perms, offset, dev, inode of every VMA", fixture);
	tap_ok(bad_name == 0, "%s: decoded name and deleted of every VMA", fixture);
	tap_ok(bad_fig == 0, "%s: every figure (bytes), THPeligible, ProtectionKey", fixture);
	tap_ok(bad_flags == 0, "%s: VmFlags bits of every VMA", fixture);
	tap_ok(l->n_extra == ref.n_unknown, "%s: %zu unknown fields kept", fixture, ref.n_unknown);
	free(ref.v);
}

/* ------------------------------------------------------------ helpers */

/* The part of a VMA's name after the last '/'. */
static const char *base(const struct vma_list *l, const struct vma *v)
{
	const char *s = vma_name(l, v), *slash = strrchr(s, '/');

	return slash ? slash + 1 : s;
}

/* The first VMA whose name's last component is b (deleted as given), or NULL. */
static const struct vma *by_base(const struct vma_list *l, const char *b)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(base(l, &l->v[i]), b) == 0)
			return &l->v[i];
	return NULL;
}

static const struct vma *by_name(const struct vma_list *l, const char *n)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(vma_name(l, &l->v[i]), n) == 0)
			return &l->v[i];
	return NULL;
}

static size_t count_kind(const struct vma_list *l, enum vma_name_kind k)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		n += l->v[i].name_kind == k;
	return n;
}

static uint64_t size_of(const struct vma *v)
{
	return v->end - v->start;
}

/* A shared mapping written page by page: rw-s, size and RSS of pages pages. */
static void check_written_shared(const char *what, const struct vma *v, uint64_t pages)
{
	if (v == NULL) {
		tap_ok(0, "%s: found", what);
		return;
	}
	tap_ok(v->perms == (VMA_PERM_READ | VMA_PERM_WRITE | VMA_PERM_SHARED),
	       "%s: perms rw-s", what);
	tap_ok(size_of(v) == pages * PAGE && vma_fig(v, SF_SIZE) == pages * PAGE &&
	       vma_fig(v, SF_RSS) == pages * PAGE,
	       "%s: size and Rss %" PRIu64 " bytes (%" PRIu64 ", %" PRIu64 ")", what,
	       pages * PAGE, vma_fig(v, SF_SIZE), vma_fig(v, SF_RSS));
	tap_ok((v->vmflags & VMF_BIT(VMF_SH)) && (v->vmflags & VMF_BIT(VMF_WR)) &&
	       !(v->vmflags & VMF_BIT(VMF_EX)), "%s: VmFlags sh wr, not ex", what);
}

/* vma_list_find() and vma_list_lower_bound() on the boundaries of every VMA. */
static void check_find(const char *fixture, const struct vma_list *l)
{
	size_t bad = 0, gaps = 0;

	for (size_t i = 0; i < l->n; i++) {
		const struct vma *v = &l->v[i];
		size_t bad_before = bad;
		bool adjacent = i + 1 < l->n && l->v[i + 1].start == v->end;

		if (vma_list_find(l, v->start) != (ptrdiff_t)i ||
		    vma_list_find(l, v->end - 1) != (ptrdiff_t)i ||
		    vma_list_lower_bound(l, v->start) != i ||
		    vma_list_lower_bound(l, v->end - 1) != i)
			bad++;
		/* end: the next VMA if adjacent, else a gap (or nothing above) */
		if (vma_list_find(l, v->end) != (adjacent ? (ptrdiff_t)i + 1 : -1) ||
		    vma_list_lower_bound(l, v->end) != i + 1)
			bad++;
		if (!adjacent && v->end != 0) {
			gaps++;
			if (i + 1 < l->n && vma_list_find(l, l->v[i + 1].start - 1) != -1)
				bad++;
		}
		if (bad_before == 0 && bad > 0)
			tap_diag("VMA %zu %" PRIx64 "-%" PRIx64 ": lookup wrong", i, v->start, v->end);
	}
	tap_ok(bad == 0, "%s: vma_list_find/lower_bound on start, end-1, end of each VMA, %zu gaps",
	       fixture, gaps);
	if (l->n > 0) {
		tap_ok(l->v[0].start == 0 || vma_list_find(l, l->v[0].start - 1) == -1,
		       "%s: below the first VMA: not found", fixture);
		tap_ok(vma_list_find(l, 0) == (l->v[0].start == 0 ? 0 : -1) &&
		       vma_list_lower_bound(l, 0) == 0, "%s: address 0", fixture);
		tap_ok(l->v[l->n - 1].end == 0 || vma_list_find(l, UINT64_MAX) == -1,
		       "%s: UINT64_MAX: not found", fixture);
	}
}

/* ------------------------------------------------------------ fixtures */

static void test_spaces(void)
{
	struct vma_list l;
	char *text;
	size_t len;
	const struct vma *v;

	if (!parse_fixture("spaces.smaps", &l, &text, &len))
		goto out;
	compare_ref("spaces.smaps", &l, text, len);
	tap_ok(l.n == 2 && l.has_figures, "spaces.smaps: 2 VMAs, smaps (has figures)");
	tap_ok(vma_list_check_order(&l) == l.n, "spaces.smaps: in order");
	v = by_base(&l, "a file  with\ttab and trailing space ");
	tap_ok(v != NULL, "spaces.smaps: name with two spaces, a tab and a trailing space kept");
	if (v) {
		tap_ok(v->name_kind == VMA_NAME_PATH && !v->deleted && vma_name(&l, v)[0] == '/',
		       "spaces.smaps: a path, not deleted");
		tap_ok(v->perms == VMA_PERM_READ && v->offset == 0, "spaces.smaps: r--p at offset 0");
		tap_ok(size_of(v) == 3 * PAGE && vma_fig(v, SF_SIZE) == 3 * PAGE &&
		       vma_fig(v, SF_RSS) == 3 * PAGE, "spaces.smaps: size and Rss 12288 bytes");
		tap_ok(vma_fig(v, SF_SHARED_CLEAN) + vma_fig(v, SF_SHARED_DIRTY) + vma_fig(v, SF_PRIVATE_CLEAN) +
		       vma_fig(v, SF_PRIVATE_DIRTY) == vma_fig(v, SF_RSS) && vma_fig(v, SF_ANONYMOUS) == 0,
		       "spaces.smaps: shared + private = Rss, no anonymous pages");
		tap_ok(v->has_vmflags && v->vmflags == (VMF_BIT(VMF_RD) | VMF_BIT(VMF_MR) |
							VMF_BIT(VMF_MW) | VMF_BIT(VMF_ME)),
		       "spaces.smaps: VmFlags exactly rd mr mw me");
		tap_ok(v->inode != 0 && (v->dev_major | v->dev_minor) != 0,
		       "spaces.smaps: a device and an inode");
	}
	tap_ok(l.n > 0 && strcmp(base(&l, &l.v[0]), "rec") == 0 && l.v[0].name_kind == VMA_NAME_PATH,
	       "spaces.smaps: first VMA is the recording program");
	check_find("spaces.smaps", &l);
out:
	free(text);
	vma_list_free(&l);
}

static void test_newline(void)
{
	struct vma_list l;
	char *text;
	size_t len;
	const struct vma *v;

	if (parse_fixture("newline.smaps", &l, &text, &len)) {
		compare_ref("newline.smaps", &l, text, len);
		v = l.n == 1 ? &l.v[0] : NULL;
		tap_ok(v != NULL, "newline.smaps: one VMA");
		if (v) {
			tap_ok(strcmp(base(&l, v), "new\nline.dat") == 0 &&
			       strstr(vma_name(&l, v), "\\012") == NULL,
			       "newline.smaps: \\012 decoded to a newline");
			tap_ok(v->name_len == strlen(vma_name(&l, v)),
			       "newline.smaps: name_len is the decoded length");
			tap_ok(v->offset == 0x1000 && size_of(v) == 2 * PAGE &&
			       vma_fig(v, SF_RSS) == 2 * PAGE, "newline.smaps: offset 0x1000, 2 pages resident");
			tap_ok(v->perms == VMA_PERM_READ && !v->deleted, "newline.smaps: r--p, not deleted");
		}
	}
	free(text);
	vma_list_free(&l);

	/* the maps text of the same process */
	if (parse_fixture("newline.maps", &l, &text, &len)) {
		compare_ref("newline.maps", &l, text, len);
		tap_ok(l.n == 4 && !l.has_figures, "newline.maps: 4 VMAs, has_figures false");
		bool none = true;
		for (size_t i = 0; i < l.n; i++)
			none = none && !l.v[i].has_figures && !l.v[i].has_vmflags;
		tap_ok(none, "newline.maps: no VMA has figures or VmFlags");
		if (l.n == 4) {
			tap_ok(l.v[0].name_kind == VMA_NAME_PATH && l.v[1].name_kind == VMA_NAME_HEAP &&
			       l.v[2].name_kind == VMA_NAME_PATH && l.v[3].name_kind == VMA_NAME_STACK,
			       "newline.maps: kinds path, heap, path, stack");
			tap_ok(strcmp(vma_name(&l, &l.v[1]), "[heap]") == 0 &&
			       strcmp(vma_name(&l, &l.v[3]), "[stack]") == 0,
			       "newline.maps: names [heap] and [stack]");
			tap_ok(strcmp(base(&l, &l.v[2]), "new\nline.dat") == 0 && l.v[2].offset == 0x1000,
			       "newline.maps: newline decoded, offset 0x1000");
			tap_ok(l.v[1].inode == 0 && l.v[1].dev_major == 0 && l.v[1].dev_minor == 0 &&
			       l.v[1].perms == (VMA_PERM_READ | VMA_PERM_WRITE),
			       "newline.maps: [heap] rw-p 00:00 0");
		}
		tap_ok(vma_list_check_order(&l) == l.n, "newline.maps: in order");
		check_find("newline.maps", &l);
	}
	free(text);
	vma_list_free(&l);
}

static void test_deleted(void)
{
	struct vma_list l;
	char *text;
	size_t len;
	const struct vma *v;

	if (parse_fixture("deleted.smaps", &l, &text, &len)) {
		compare_ref("deleted.smaps", &l, text, len);
		tap_ok(l.n == 2, "deleted.smaps: 2 VMAs");
		v = by_name(&l, "/memfd:x");
		tap_ok(v != NULL && v->deleted && v->name_kind == VMA_NAME_PATH,
		       "deleted.smaps: \"/memfd:x (deleted)\" is /memfd:x, deleted");
		check_written_shared("deleted.smaps: memfd", v, 4);
		v = by_base(&l, "gone.dat");
		tap_ok(v != NULL && v->deleted && v->name_kind == VMA_NAME_PATH &&
		       strstr(vma_name(&l, v), "(deleted)") == NULL,
		       "deleted.smaps: unlinked file: \" (deleted)\" removed, deleted set");
		if (v)
			tap_ok(v->perms == VMA_PERM_READ && size_of(v) == 5 * PAGE &&
			       vma_fig(v, SF_RSS) == 5 * PAGE && v->inode != 0,
			       "deleted.smaps: unlinked file r--p, 5 pages resident, has its inode");
		tap_ok(vma_list_check_order(&l) == l.n, "deleted.smaps: in order");
	}
	free(text);
	vma_list_free(&l);
}

static void test_shm(void)
{
	struct vma_list l;
	char *text;
	size_t len;
	const struct vma *v = NULL;

	if (parse_fixture("shm.smaps", &l, &text, &len)) {
		compare_ref("shm.smaps", &l, text, len);
		tap_ok(l.n == 3, "shm.smaps: 3 VMAs");
		v = by_name(&l, "/dev/zero");
		tap_ok(v != NULL && v->deleted, "shm.smaps: shared anonymous is /dev/zero, deleted");
		check_written_shared("shm.smaps: /dev/zero", v, 6);
		v = NULL;
		for (size_t i = 0; i < l.n; i++)
			if (strncmp(vma_name(&l, &l.v[i]), "/dev/shm/vmlayout-fixture-", 26) == 0)
				v = &l.v[i];
		tap_ok(v != NULL && !v->deleted, "shm.smaps: /dev/shm file, not deleted");
		check_written_shared("shm.smaps: /dev/shm", v, 7);
		v = NULL;
		for (size_t i = 0; i < l.n; i++)
			if (strncmp(vma_name(&l, &l.v[i]), "/SYSV", 5) == 0)
				v = &l.v[i];
		tap_ok(v != NULL && v->deleted && v->name_len == 13 &&
		       strcmp(vma_name(&l, v), "/SYSV00000000") == 0,
		       "shm.smaps: System V segment /SYSV00000000, deleted");
		check_written_shared("shm.smaps: SysV", v, 8);
		tap_ok(vma_list_check_order(&l) == l.n, "shm.smaps: in order");
		check_find("shm.smaps", &l);
	}
	free(text);
	vma_list_free(&l);
}

static void test_m32(void)
{
	struct vma_list l, m;
	char *text, *mtext = NULL;
	size_t len, mlen;
	bool small = true, same = true;

	vma_list_init(&m);
	if (parse_fixture("m32.smaps", &l, &text, &len)) {
		compare_ref("m32.smaps", &l, text, len);
		tap_ok(l.n == 8, "m32.smaps: 8 VMAs");
		for (size_t i = 0; i < l.n; i++)
			small = small && l.v[i].end <= UINT64_C(0x100000000);
		tap_ok(small, "m32.smaps: 8-digit addresses: all below 4 GiB");
		tap_ok(l.n > 0 && strcmp(base(&l, &l.v[0]), "rec32") == 0 && l.v[0].offset == 0,
		       "m32.smaps: the executable first, offset 0");
		tap_ok(count_kind(&l, VMA_NAME_HEAP) == 1 && count_kind(&l, VMA_NAME_STACK) == 1 &&
		       count_kind(&l, VMA_NAME_VDSO) == 1, "m32.smaps: [heap], [stack], [vdso]");
		tap_ok(l.n > 1 && l.v[0].name == l.v[1].name,
		       "m32.smaps: equal names interned at one offset");
		tap_ok(vma_list_check_order(&l) == l.n, "m32.smaps: in order");
		check_find("m32.smaps", &l);

		if (parse_fixture("m32.maps", &m, &mtext, &mlen)) {
			compare_ref("m32.maps", &m, mtext, mlen);
			same = m.n == l.n && !m.has_figures;
			for (size_t i = 0; same && i < m.n; i++)
				same = m.v[i].start == l.v[i].start && m.v[i].end == l.v[i].end &&
				       m.v[i].name_kind == l.v[i].name_kind && !m.v[i].has_figures;
			tap_ok(same, "m32.maps: the same VMAs as m32.smaps, without figures");
		}
	}
	free(text);
	free(mtext);
	vma_list_free(&l);
	vma_list_free(&m);
}

static void test_target(void)
{
	struct vma_list l, m, f;
	char *text, *mtext = NULL, path[4096];
	size_t len, mlen;
	const struct vma *v;
	bool weird = false, same;
	int fd;

	vma_list_init(&m);
	vma_list_init(&f);
	if (!parse_fixture("target.smaps", &l, &text, &len))
		goto out;
	compare_ref("target.smaps", &l, text, len);
	tap_ok(vma_list_check_order(&l) == l.n && l.n > 20, "target.smaps: %zu VMAs, in order", l.n);
	tap_ok(count_kind(&l, VMA_NAME_HEAP) == 1 && count_kind(&l, VMA_NAME_STACK) == 1 &&
	       count_kind(&l, VMA_NAME_VDSO) == 1 && count_kind(&l, VMA_NAME_VSYSCALL) == 1,
	       "target.smaps: one each of [heap], [stack], [vdso], [vsyscall]");
	tap_ok(count_kind(&l, VMA_NAME_VVAR) + count_kind(&l, VMA_NAME_VVAR_VCLOCK) >= 1 &&
	       count_kind(&l, VMA_NAME_OTHER) == 0, "target.smaps: [vvar]/[vvar_vclock], no other kind");
	v = by_name(&l, "[vvar_vclock]");
	tap_ok(v == NULL || v->name_kind == VMA_NAME_VVAR_VCLOCK, "target.smaps: [vvar_vclock] kind");
	v = by_name(&l, "[stack]");
	tap_ok(v && (v->vmflags & VMF_BIT(VMF_GD)) && v->perms == (VMA_PERM_READ | VMA_PERM_WRITE),
	       "target.smaps: [stack] rw-p, VmFlags gd");
	v = by_name(&l, "[vvar]");
	tap_ok(v == NULL || (v->vmflags & (VMF_BIT(VMF_IO) | VMF_BIT(VMF_PF))),
	       "target.smaps: [vvar] VmFlags io/pf");
	v = by_name(&l, "[vsyscall]");
	tap_ok(v && v->start == UINT64_C(0xffffffffff600000) && v->perms == VMA_PERM_EXEC &&
	       vma_list_find(&l, UINT64_C(0xffffffffff600fff)) == (ptrdiff_t)(v - l.v),
	       "target.smaps: [vsyscall] --xp at 0xffffffffff600000, found");
	v = by_name(&l, "/memfd:vmlayout test");
	tap_ok(v && v->deleted, "target.smaps: /memfd:vmlayout test, deleted");
	v = by_name(&l, "/dev/zero");
	tap_ok(v && v->deleted && size_of(v) == 1024 * 1024 && vma_fig(v, SF_RSS) == 1024 * 1024,
	       "target.smaps: shared anonymous 1 MiB, all resident");
	for (size_t i = 0; i < l.n; i++) {
		const char *b = base(&l, &l.v[i]);
		size_t bl = strlen(b);

		if (strncmp(b, "vmlayout target ", 16) == 0 && bl > 6 &&
		    strcmp(b + bl - 6, "\n\xff.dat") == 0 && !l.v[i].deleted)
			weird = true;
	}
	tap_ok(weird, "target.smaps: name with space, newline and byte 0xff decoded");
	v = NULL;
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].deleted && strstr(vma_name(&l, &l.v[i]), ".deleted") != NULL)
			v = &l.v[i];
	tap_ok(v && strcmp(vma_name(&l, v) + v->name_len - 8, ".deleted") == 0,
	       "target.smaps: the unlinked file, \" (deleted)\" removed");
	v = NULL;
	for (size_t i = 0; i < l.n; i++)
		if (vma_fig(&l.v[i], SF_SIZE) == 3 * 1024 * 1024 && l.v[i].name_kind == VMA_NAME_NONE)
			v = &l.v[i];
	tap_ok(v && vma_fig(v, SF_RSS) == 3 * 1024 * 1024 && vma_fig(v, SF_ANONYMOUS) == 3 * 1024 * 1024 &&
	       v->name_len == 0 && vma_name(&l, v)[0] == '\0' && v->inode == 0,
	       "target.smaps: the 3 MiB anonymous VMA: unnamed, all resident, Anonymous");
	tap_ok(l.n > 4 && l.v[0].name == l.v[4].name && l.v[0].name != 0,
	       "target.smaps: the executable's VMAs share one interned name");
	check_find("target.smaps", &l);

	/* the same text through smaps_parse_fd() */
	snprintf(path, sizeof(path), "%s/tests/fixtures/target.smaps", srcdir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		struct smaps_error err = { 0, "" };
		int rc = smaps_parse_fd(fd, &f, &err);

		close(fd);
		same = rc == 0 && f.n == l.n;
		for (size_t i = 0; same && i < f.n; i++)
			same = f.v[i].start == l.v[i].start && f.v[i].end == l.v[i].end &&
			       same_figs(&f.v[i], &l.v[i]) &&
			       strcmp(vma_name(&f, &f.v[i]), vma_name(&l, &l.v[i])) == 0;
		tap_ok(same, "target.smaps: smaps_parse_fd() gives what smaps_parse_buf() gives");
	} else {
		tap_ok(0, "open %s", path);
	}

	if (parse_fixture("target.maps", &m, &mtext, &mlen)) {
		compare_ref("target.maps", &m, mtext, mlen);
		same = m.n == l.n && !m.has_figures;
		for (size_t i = 0; same && i < m.n; i++)
			same = m.v[i].start == l.v[i].start && m.v[i].end == l.v[i].end &&
			       m.v[i].deleted == l.v[i].deleted && !m.v[i].has_figures &&
			       strcmp(vma_name(&m, &m.v[i]), vma_name(&l, &l.v[i])) == 0;
		tap_ok(same, "target.maps: the same VMAs and names as target.smaps, no figures");
	}
out:
	free(text);
	free(mtext);
	vma_list_free(&l);
	vma_list_free(&m);
	vma_list_free(&f);
}

/* ------------------------------------------------------ read boundaries */

/* Append n bytes to a growing buffer; false when out of memory. */
static bool append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t c = (*len + n + 1) * 2;
		char *nb = realloc(*buf, c);

		if (nb == NULL)
			return false;
		*buf = nb;
		*cap = c;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
	return true;
}

/* Whether two parses hold the same VMAs, figures and names. */
static bool same_vmas(const struct vma_list *a, const struct vma_list *b)
{
	bool same = a->n == b->n;

	for (size_t i = 0; same && i < a->n; i++)
		same = a->v[i].start == b->v[i].start && a->v[i].end == b->v[i].end &&
		       a->v[i].has_figures == b->v[i].has_figures &&
		       same_figs(&a->v[i], &b->v[i]) &&
		       a->v[i].name_len == b->v[i].name_len &&
		       strcmp(vma_name(a, &a->v[i]), vma_name(b, &b->v[i])) == 0;
	return same;
}

/* A maps header line whose name is a path of name_len bytes. */
static bool append_long(char **buf, size_t *len, size_t *cap, size_t name_len)
{
	static const char hdr[] = "7f0000000000-7f0000001000 r--p 00000000 08:01 12 /";
	bool ok = append(buf, len, cap, hdr, sizeof(hdr) - 1);

	for (size_t i = 1; ok && i < name_len; i++)
		ok = append(buf, len, cap, i % 64 ? "d" : "/", 1);
	return ok && append(buf, len, cap, "\n", 1);
}

/* An unlinked temporary file holding len bytes at buf, at offset 0; -1 on error. */
static int temp_file_with(const char *buf, size_t len)
{
	const char *tmp = getenv("TMPDIR");
	char path[4096];

	snprintf(path, sizeof(path), "%s/vmlayout-test-smaps.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	unlink(path);
	if (write(fd, buf, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* smaps_parse_fd() on a temporary file of len bytes at buf; -1 when the file cannot
 * be made. */
static int parse_via_file(const char *buf, size_t len, struct vma_list *l,
			  struct smaps_error *err)
{
	int fd = temp_file_with(buf, len);
	if (fd < 0)
		return -1;
	int rc = smaps_parse_fd(fd, l, err);
	close(fd);
	return rc;
}

/* AddressSanitizer reports a failed allocation and ends the process. */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* Out of memory for the read buffer (RLIMIT_AS just above what the process maps):
 * the parse fails with ENOMEM. */
static void test_no_memory(void)
{
#ifdef UNDER_ASAN
	tap_ok(1, "no memory for the read buffer # SKIP AddressSanitizer");
	return;
#endif
	char *fixture, *buf = NULL;
	size_t flen, len = 0, cap = 0;
	bool ok = true;

	fixture = load("target.smaps", &flen);
	while (fixture && ok && len < 2 * 1024 * 1024)
		ok = append(&buf, &len, &cap, fixture, flen);
	free(fixture);
	int fd = ok && buf ? temp_file_with(buf, len) : -1;
	free(buf);
	pid_t pid = fd >= 0 && ok ? fork() : -1;
	if (pid == 0) {
		struct vma_list l;
		struct smaps_error err = { 0, "" };
		unsigned long vm_kb = 0;
		char line[256];
		FILE *st = fopen("/proc/self/status", "r");
		while (st && fgets(line, sizeof(line), st))
			if (sscanf(line, "VmSize: %lu kB", &vm_kb) == 1)
				break;
		if (st)
			fclose(st);
		vma_list_init(&l);
		if (vm_kb == 0)
			_exit(3);
		struct rlimit rl = { (vm_kb + 256) * 1024, (vm_kb + 256) * 1024 };
		if (setrlimit(RLIMIT_AS, &rl) < 0)
			_exit(3);
		int rc = smaps_parse_fd(fd, &l, &err);
		_exit(rc == -1 && errno == ENOMEM ? 0 : rc == 0 ? 1 : 2);
	}
	int status = -1;
	if (pid > 0)
		waitpid(pid, &status, 0);
	tap_ok(pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "no memory for the read buffer: ENOMEM (status %#x)", (unsigned)status);
	if (fd >= 0)
		close(fd);
}

/* smaps_parse_fd() parses the whole lines of each read(2) (512 KiB from a file, at
 * most what the pipe holds from a pipe) and keeps a line cut by the end of a read
 * for the next: the recorded target.smaps, repeated, with a long name placed across
 * each 64 KiB boundary of the first 4 MiB, read from a regular file (full reads, as
 * from /proc) and from a pipe written in odd-sized pieces (short reads), must give
 * what smaps_parse_buf() gives on the whole text. */
static void test_reads(void)
{
	char *fixture, *buf = NULL;
	size_t flen, len = 0, cap = 0;
	struct vma_list a, b;
	struct smaps_error err = { 0, "" };
	bool ok = true;
	int fds[2];
	/* names cut at each boundary: short, of a few KiB, longer than a read */
	static const size_t longs[] = { 100, 3000, 6000, 200000, 5000 };
	const size_t block = 64 * 1024;

	fixture = load("target.smaps", &flen);
	if (fixture == NULL) {
		tap_ok(0, "load target.smaps");
		return;
	}
	for (size_t k = 0; ok && len < 4 * 1024 * 1024; k++) {
		/* fill up to a little before the next boundary, then a long line
		 * across it */
		size_t boundary = (len / block + 1) * block;
		size_t long_len = longs[k % (sizeof(longs) / sizeof(longs[0]))];
		while (ok && len + flen < boundary - long_len / 2)
			ok = append(&buf, &len, &cap, fixture, flen);
		while (ok && len < boundary - long_len / 2 - 1) {
			/* short maps lines to land the long one where it should be */
			static const char anon[] = "7f0000002000-7f0000003000 rw-p 00000000 00:00 0\n";
			ok = append(&buf, &len, &cap, anon, sizeof(anon) - 1);
		}
		ok = ok && append_long(&buf, &len, &cap, long_len);
		ok = ok && append(&buf, &len, &cap, fixture, flen);
	}
	free(fixture);
	vma_list_init(&a);
	vma_list_init(&b);
	if (!ok || pipe(fds) < 0) {
		tap_ok(0, "built the block test input");
		free(buf);
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		/* in pieces of odd sizes, so that the reader sees short reads too */
		for (size_t off = 0, step = 1; off < len; off += step, step = step * 7 % 65521 + 1) {
			if (step > len - off)
				step = len - off;
			if (write(fds[1], buf + off, step) != (ssize_t)step)
				_exit(1);
		}
		_exit(0);
	}
	close(fds[1]);
	int rc_fd = pid > 0 ? smaps_parse_fd(fds[0], &a, &err) : -1;
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	int rc_buf = smaps_parse_buf(buf, len, &b, &err);
	tap_ok(rc_buf == 0 && same_vmas(&a, &b) && rc_fd == 0 && a.n > 1000,
	       "%zu bytes through a pipe, long lines across read boundaries: "
	       "smaps_parse_fd() gives what smaps_parse_buf() gives (%zu and %zu VMAs)",
	       len, a.n, b.n);

	/* the same from a regular file: full reads */
	vma_list_clear(&a);
	rc_fd = parse_via_file(buf, len, &a, &err);
	tap_ok(rc_fd == 0 && same_vmas(&a, &b),
	       "the same from a regular file in full reads (%zu VMAs)", a.n);
	size_t longest = 0;
	for (size_t i = 0; i < a.n; i++)
		if (a.v[i].name_len > longest)
			longest = a.v[i].name_len;
	tap_ok(longest == 200000, "the 200 000-byte name read whole (%zu)", longest);

	/* a file of many reads */
	size_t big_len = 0, big_cap = 0;
	char *big = NULL;
	ok = true;
	while (ok && big_len < 24 * 1024 * 1024)
		ok = append(&big, &big_len, &big_cap, buf, len);
	vma_list_clear(&a);
	vma_list_clear(&b);
	rc_fd = ok ? parse_via_file(big, big_len, &a, &err) : -1;
	rc_buf = ok ? smaps_parse_buf(big, big_len, &b, &err) : -1;
	tap_ok(rc_fd == 0 && rc_buf == 0 && same_vmas(&a, &b) && a.n > 10000,
	       "a %zu-byte file gives what smaps_parse_buf() gives (%zu VMAs)", big_len, a.n);
	free(big);

	/* a cut last line is an error, also after a first read */
	vma_list_clear(&a);
	if (pipe(fds) == 0) {
		pid = fork();
		if (pid == 0) {
			close(fds[0]);
			_exit(write(fds[1], buf, block + 10) == (ssize_t)(block + 10) ? 0 : 1);
		}
		close(fds[1]);
		rc_fd = pid > 0 ? smaps_parse_fd(fds[0], &a, &err) : 0;
		int e = errno;
		close(fds[0]);
		if (pid > 0)
			waitpid(pid, NULL, 0);
		tap_ok(rc_fd == -1 && e == ENOEXEC && strstr(err.msg, "no newline") != NULL,
		       "input cut in a line after a first read: ENOEXEC (%s)", err.msg);
	}
	free(buf);
	vma_list_free(&a);
	vma_list_free(&b);
}

/* ------------------------------------------------------ built inputs */

/* Parse s; expect failure with ENOEXEC at line. */
static void expect_bad(const char *what, const char *s, size_t len, unsigned long line)
{
	struct vma_list l;
	struct smaps_error err = { 0, "" };
	int rc, e;

	vma_list_init(&l);
	errno = 0;
	rc = smaps_parse_buf(s, len, &l, &err);
	e = errno;
	tap_ok(rc == -1 && e == ENOEXEC && err.line == line && err.msg[0] != '\0',
	       "malformed: %s: -1, ENOEXEC, line %lu (got %d, errno %d, line %lu: %s)", what, line,
	       rc, e, err.line, err.msg);
	vma_list_free(&l);
}

#define HDR "00400000-00401000 r-xp 00000000 fe:00 1234                       /bin/x\n"
#define BAD(what, lit, line) expect_bad(what, lit, sizeof(lit) - 1, line)

static void test_malformed(void)
{
	BAD("truncated header line", HDR "Rss:                   4 kB\n00401000-00402000 r-xp\n", 3);
	BAD("header cut after the device", "00400000-00401000 r-xp 00000000 fe:00\n", 1);
	BAD("bad hex digit in the start", "0040g000-00401000 r-xp 00000000 fe:00 1234 /bin/x\n", 1);
	BAD("bad hex digit in the offset", HDR "00401000-00402000 r--p 0000z000 fe:00 1234 /bin/x\n", 2);
	BAD("\"Rss: x kB\"", HDR "Size:                  4 kB\nRss: x kB\n", 3);
	BAD("no newline at the end (header)", HDR "00401000-00402000 r--p 00001000 fe:00 1234 /bin/x", 2);
	BAD("no newline at the end (field)", HDR "Rss:                   4 kB", 2);
	BAD("a field before any header", "Rss:                   4 kB\n" HDR, 1);
	BAD("bad permissions", "00400000-00401000 rwzp 00000000 fe:00 1234 /bin/x\n", 1);
	BAD("end below start", "00402000-00401000 r-xp 00000000 fe:00 1234 /bin/x\n", 1);
}

static void test_built(void)
{
	struct vma_list l;
	struct smaps_error err = { 0, "" };
	static const char good[] =
		HDR
		"Size:                  4 kB\n"
		"Rss:                   4 kB\n"
		"Vmlayout_Future:       3 kB\n"
		"VmFlags: rd ex mr mw me zz \n"
		"00401000-00403000 rw-s 00001000 00:01 77                         /a (deleted) (deleted)\n"
		"00403000-00404000 rw-p 00000000 00:00 0 \n"
		"00404000-00405000 rw-p 00000000 00:00 0                          [anon:glibc: malloc arena]\n"
		"00405000-00406000 rw-p 00000000 00:00 0                          [anon_shmem:x y]\n"
		"00406000-00407000 r-xp 00000000 00:00 0                          [uprobes]\n"
		"00407000-00408000 r--p 00000000 00:00 0                          [some future]\n";
	int rc;

	vma_list_init(&l);
	rc = smaps_parse_buf("", 0, &l, &err);
	tap_ok(rc == 0 && l.n == 0, "empty input: 0 VMAs");
	vma_list_clear(&l);

	rc = smaps_parse_buf(good, sizeof(good) - 1, &l, &err);
	tap_ok(rc == 0 && l.n == 7, "built smaps: 7 VMAs (rc %d, line %lu: %s)", rc, err.line, err.msg);
	if (rc == 0 && l.n == 7) {
		const struct vma *v = l.v;

		tap_ok(v[0].start == 0x400000 && v[0].end == 0x401000 && v[0].dev_major == 0xfe &&
		       v[0].dev_minor == 0 && v[0].inode == 1234 &&
		       v[0].perms == (VMA_PERM_READ | VMA_PERM_EXEC),
		       "built: header fields");
		tap_ok(vma_fig(&v[0], SF_SIZE) == 4096 && vma_fig(&v[0], SF_RSS) == 4096 && vma_fig(&v[0], SF_PSS) == 0,
		       "built: figures in bytes, absent ones 0");
		tap_ok(v[0].vmflags == (VMF_BIT(VMF_RD) | VMF_BIT(VMF_EX) | VMF_BIT(VMF_MR) |
					VMF_BIT(VMF_MW) | VMF_BIT(VMF_ME) | VMF_BIT(VMF_OTHER)),
		       "built: VmFlags, an unknown code is VMF_OTHER");
		tap_ok(l.n_extra == 1 && l.extra[0].vma == 0 && l.extra[0].is_kb &&
		       l.extra[0].value == 3072 &&
		       strcmp(l.names + l.extra[0].key, "Vmlayout_Future") == 0,
		       "built: an unknown \"Key: N kB\" field kept by name, in bytes");
		tap_ok(strcmp(vma_name(&l, &v[1]), "/a (deleted)") == 0 && v[1].deleted &&
		       v[1].offset == 0x1000 && v[1].dev_minor == 1 && v[1].inode == 77,
		       "built: only the last \" (deleted)\" is removed");
		tap_ok(v[2].name_kind == VMA_NAME_NONE && v[2].name_len == 0 && !v[2].deleted,
		       "built: padding without a name: unnamed");
		tap_ok(v[3].name_kind == VMA_NAME_ANON &&
		       strcmp(vma_name(&l, &v[3]), "[anon:glibc: malloc arena]") == 0,
		       "built: [anon:NAME] with spaces");
		tap_ok(v[4].name_kind == VMA_NAME_ANON_SHMEM, "built: [anon_shmem:NAME]");
		tap_ok(v[5].name_kind == VMA_NAME_UPROBES, "built: [uprobes]");
		tap_ok(v[6].name_kind == VMA_NAME_OTHER, "built: an unknown [name]: other");
		tap_ok(!v[1].has_figures && v[0].has_figures, "built: has_figures per VMA");
		tap_ok(vma_list_check_order(&l) == l.n, "built: in order");
	}
	vma_list_free(&l);

	/* an overlap: vma_list_check_order() names the first bad VMA */
	vma_list_init(&l);
	static const char overlap[] =
		"00400000-00402000 r--p 00000000 00:00 0 \n"
		"00401000-00403000 r--p 00000000 00:00 0 \n"
		"00403000-00404000 r--p 00000000 00:00 0 \n";
	rc = smaps_parse_buf(overlap, sizeof(overlap) - 1, &l, &err);
	tap_ok(rc == 0 && l.n == 3 && vma_list_check_order(&l) == 1,
	       "overlapping VMAs: parsed, vma_list_check_order() = 1");
	vma_list_free(&l);

	tap_ok(strcmp(smaps_field_name(SF_SHARED_CLEAN), "Shared_Clean") == 0 &&
	       strcmp(smaps_field_name(SF_SWAP_PSS), "SwapPss") == 0 &&
	       smaps_field_name(SF_COUNT) == NULL, "smaps_field_name()");
	tap_ok(strcmp(vma_flag_name(VMF_GD), "gd") == 0 && strcmp(vma_flag_name(VMF_SD), "sd") == 0 &&
	       vma_flag_name(VMF_OTHER) == NULL, "vma_flag_name()");
}

/* Every known field as the kernel prints it (its key and colon padded to 16 bytes,
 * the number right-aligned in 8 columns or more) and as text pasted with other
 * spacing ("Key: N kB", in reverse order), which the parser looks up by name: the
 * same figures. */
static void test_field_forms(void)
{
	char kernel[4096], loose[4096], key[32];
	size_t kl, ll;
	struct vma_list a, b;
	struct smaps_error err = { 0, "" };
	uint64_t want[SF_COUNT];

	kl = (size_t)snprintf(kernel, sizeof(kernel), "%s", HDR);
	ll = (size_t)snprintf(loose, sizeof(loose), "%s", HDR);
	for (int f = 0; f < SF_COUNT; f++) {
		/* one number wider than the 8 columns */
		want[f] = f == SF_RSS ? UINT64_C(123456789012) : (uint64_t)f * 1000 + 7;
		snprintf(key, sizeof(key), "%s:", smaps_field_name(f));
		kl += (size_t)snprintf(kernel + kl, sizeof(kernel) - kl, "%-16s%8" PRIu64 " kB\n",
				       key, want[f]);
	}
	for (int f = SF_COUNT - 1; f >= 0; f--)
		ll += (size_t)snprintf(loose + ll, sizeof(loose) - ll, "%s:  %" PRIu64 " kB\n",
				       smaps_field_name(f), want[f]);
	kl += (size_t)snprintf(kernel + kl, sizeof(kernel) - kl,
			       "THPeligible:           1\nProtectionKey:         5\nVmFlags: rd mr \n");
	ll += (size_t)snprintf(loose + ll, sizeof(loose) - ll,
			       "ProtectionKey: 5\nTHPeligible:1\nVmFlags: rd mr\n");
	vma_list_init(&a);
	vma_list_init(&b);
	int ra = smaps_parse_buf(kernel, kl, &a, &err);
	int rb = smaps_parse_buf(loose, ll, &b, &err);
	bool same = ra == 0 && rb == 0 && a.n == 1 && b.n == 1 && a.n_extra == 0 && b.n_extra == 0;
	for (int f = 0; same && f < SF_COUNT; f++)
		same = vma_fig(&a.v[0], f) == want[f] * 1024 && vma_fig(&b.v[0], f) == want[f] * 1024;
	tap_ok(same && a.v[0].thp_eligible == 1 && b.v[0].thp_eligible == 1 &&
	       a.v[0].protection_key == 5 && b.v[0].protection_key == 5 &&
	       a.v[0].vmflags == (VMF_BIT(VMF_RD) | VMF_BIT(VMF_MR)) &&
	       b.v[0].vmflags == a.v[0].vmflags,
	       "every field as the kernel prints it and with other spacing, in another "
	       "order: the same figures (%d, %d: %s)", ra, rb, err.msg);
	vma_list_free(&a);
	vma_list_free(&b);
}

int main(void)
{
	srcdir = getenv("top_srcdir");
	if (srcdir == NULL || *srcdir == '\0') {
		srcdir = ".";
		tap_diag("top_srcdir not set: looking for tests/fixtures in .");
	}
	test_spaces();
	test_newline();
	test_deleted();
	test_shm();
	test_m32();
	test_target();
	test_malformed();
	test_built();
	test_field_forms();
	test_no_memory();
	test_reads();
	return tap_done();
}

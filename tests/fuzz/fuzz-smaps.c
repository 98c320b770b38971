/* fuzz-smaps.c - fuzz target for the smaps/maps parser (src/smaps.h)
 *
 * The input is the text of a smaps or maps file.  Properties checked:
 *  - smaps_parse_buf() returns 0, or -1 with errno ENOEXEC (then a line number and a
 *    NUL-terminated message) or ENOMEM;
 *  - smaps_parse_fd() on the same bytes (a memfd) gives the same outcome and the same
 *    VMAs, names and extra fields (it reads in blocks and must join lines across them);
 *  - every VMA has start < end, a name inside the arena, NUL-terminated at name_len,
 *    a known name kind; equal names share one offset (interning);
 *  - on an ordered list, vma_list_find() and vma_list_lower_bound() agree with a
 *    linear search at each VMA's edges and in the gaps.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "source/smaps.h"

static int memfd_with(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-smaps", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	for (size_t done = 0; done < size;) {
		ssize_t w = write(fd, data + done, size - done);
		if (w <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)w;
	}
	if (lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void check_list(const struct vma_list *l)
{
	FUZZ_CHECK(l->names_len >= 1 && l->names[0] == '\0');
	for (size_t i = 0; i < l->n; i++) {
		const struct vma *v = &l->v[i];
		FUZZ_CHECK(v->start < v->end);
		FUZZ_CHECK(v->name < l->names_len);
		FUZZ_CHECK((size_t)v->name + v->name_len < l->names_len);
		FUZZ_CHECK(l->names[v->name + v->name_len] == '\0');
		FUZZ_CHECK(strlen(vma_name(l, v)) == v->name_len);
		FUZZ_CHECK(v->name_kind <= VMA_NAME_OTHER);
		FUZZ_CHECK(v->object == -1);
		FUZZ_CHECK(v->perms < (VMA_PERM_SHARED << 1));
		if (v->name_kind == VMA_NAME_NONE)
			FUZZ_CHECK(v->name_len == 0);
		/* interning: the same bytes at one offset */
		for (size_t j = i + 1; j < l->n && j < i + 8; j++) {
			const struct vma *w = &l->v[j];
			if (w->name_len == v->name_len &&
			    memcmp(vma_name(l, v), vma_name(l, w), v->name_len) == 0)
				FUZZ_CHECK(w->name == v->name);
		}
	}
	for (size_t i = 0; i < l->n_extra; i++) {
		FUZZ_CHECK(l->extra[i].vma < l->n);
		FUZZ_CHECK(l->extra[i].key < l->names_len);
	}
}

static ptrdiff_t linear_find(const struct vma_list *l, uint64_t a)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].start <= a && a < l->v[i].end)
			return (ptrdiff_t)i;
	return -1;
}

static size_t linear_lower_bound(const struct vma_list *l, uint64_t a)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].end > a)
			return i;
	return l->n;
}

static void check_lookups(const struct vma_list *l)
{
	size_t bad = vma_list_check_order(l);

	FUZZ_CHECK(bad <= l->n);
	if (bad < l->n) {
		FUZZ_CHECK(l->v[bad].start >= l->v[bad].end ||
			   (bad > 0 && l->v[bad].start < l->v[bad - 1].end));
		return;
	}
	for (size_t i = 1; i < l->n; i++)
		FUZZ_CHECK(l->v[i - 1].end <= l->v[i].start);
	for (size_t i = 0; i < l->n && i < 64; i++) {
		const struct vma *v = &l->v[i];
		uint64_t probe[] = { v->start, v->end - 1, v->end, v->start - 1,
				     v->start + (v->end - v->start) / 2 };
		for (size_t k = 0; k < sizeof(probe) / sizeof(probe[0]); k++) {
			FUZZ_CHECK(vma_list_find(l, probe[k]) == linear_find(l, probe[k]));
			FUZZ_CHECK(vma_list_lower_bound(l, probe[k]) ==
				   linear_lower_bound(l, probe[k]));
		}
	}
	FUZZ_CHECK(vma_list_find(l, UINT64_MAX) == linear_find(l, UINT64_MAX));
	FUZZ_CHECK(vma_list_lower_bound(l, 0) == linear_lower_bound(l, 0));
}

static void same_lists(const struct vma_list *a, const struct vma_list *b)
{
	FUZZ_CHECK(a->n == b->n);
	FUZZ_CHECK(a->n_extra == b->n_extra);
	FUZZ_CHECK(a->has_figures == b->has_figures);
	for (size_t i = 0; i < a->n; i++) {
		const struct vma *x = &a->v[i], *y = &b->v[i];
		FUZZ_CHECK(x->start == y->start && x->end == y->end && x->offset == y->offset);
		FUZZ_CHECK(x->inode == y->inode && x->perms == y->perms);
		FUZZ_CHECK(x->dev_major == y->dev_major && x->dev_minor == y->dev_minor);
		FUZZ_CHECK(x->has_figures == y->has_figures && x->has_vmflags == y->has_vmflags);
		FUZZ_CHECK(!x->has_vmflags || x->vmflags == y->vmflags);
		for (int f = 0; f < SF_COUNT; f++)
			FUZZ_CHECK(vma_fig(x, f) == vma_fig(y, f));
		FUZZ_CHECK(x->name_kind == y->name_kind && x->deleted == y->deleted);
		FUZZ_CHECK(x->name_len == y->name_len);
		FUZZ_CHECK(strcmp(vma_name(a, x), vma_name(b, y)) == 0);
	}
	for (size_t i = 0; i < a->n_extra; i++) {
		FUZZ_CHECK(a->extra[i].vma == b->extra[i].vma);
		FUZZ_CHECK(a->extra[i].value == b->extra[i].value);
		FUZZ_CHECK(strcmp(a->names + a->extra[i].key, b->names + b->extra[i].key) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vma_list a, b;
	struct smaps_error ea, eb;

	vma_list_init(&a);
	memset(&ea, 0x55, sizeof(ea));
	errno = 0;
	int ra = smaps_parse_buf((const char *)data, size, &a, &ea);
	int erra = errno;
	FUZZ_CHECK(ra == 0 || ra == -1);
	if (ra < 0) {
		FUZZ_CHECK(erra == ENOEXEC || erra == ENOMEM);
		if (erra == ENOEXEC) {
			FUZZ_CHECK(ea.line >= 1);
			FUZZ_CHECK(memchr(ea.msg, '\0', sizeof(ea.msg)) != NULL);
			FUZZ_CHECK(ea.msg[0] != '\0');
		}
	}
	check_list(&a);
	if (ra == 0)
		check_lookups(&a);

	/* the same through a file descriptor, into a list that held something */
	int fd = memfd_with(data, size);
	if (fd >= 0) {
		vma_list_init(&b);
		static const char one[] = "00400000-00401000 r-xp 00000000 08:01 1 /x\n";
		FUZZ_CHECK(smaps_parse_buf(one, sizeof(one) - 1, &b, NULL) == 0 && b.n == 1);
		vma_list_clear(&b);
		errno = 0;
		int rb = smaps_parse_fd(fd, &b, &eb);
		int errb = errno;
		close(fd);
		FUZZ_CHECK(rb == ra);
		if (ra < 0 && erra == ENOEXEC) {
			FUZZ_CHECK(errb == ENOEXEC);
			FUZZ_CHECK(eb.line == ea.line);
			FUZZ_CHECK(strcmp(eb.msg, ea.msg) == 0);
		}
		if (ra == 0)
			same_lists(&a, &b);
		check_list(&b);
		vma_list_free(&b);
	}
	vma_list_free(&a);
	return 0;
}

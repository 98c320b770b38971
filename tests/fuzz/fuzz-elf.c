/* fuzz-elf.c - fuzz target for the ELF program-header reader (src/elfinfo.h)
 *
 * The input is the content of a file; it is put in a memfd and read with
 * elf_info_read(), as a mapped file would be.  Properties checked:
 *  - the result is 0 (n_load >= 1) or -1 with errno ENOEXEC or ENOMEM (and nothing
 *    allocated); the warning is NUL-terminated;
 *  - the PT_LOAD segments kept are in strictly ascending p_vaddr order without
 *    overlap, p_filesz <= p_memsz, p_vaddr + p_memsz and p_offset + p_filesz do not
 *    wrap (nor pass 2^32 for ELFCLASS32); a kept PT_GNU_RELRO lies inside one of them;
 *  - elf_info_segment_for_offset() and elf_info_segment_for_vaddr() agree with a
 *    linear search over the segments, for several page sizes and at every edge;
 *  - the cache keeps one entry per key and gives back what was inserted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "elf/elfinfo.h"
#include "fuzz.h"

static uint64_t pdown(uint64_t x, uint64_t page)
{
	return x & ~(page - 1);
}

static uint64_t norm_page(uint64_t page)
{
	return page && !(page & (page - 1)) ? page : 1;
}

/* The documented choice of elf_info_segment_for_offset(), by brute force. */
static const struct elf_segment *lin_offset(const struct elf_info *ei, uint64_t off,
					    uint64_t page)
{
	const struct elf_segment *best = NULL;

	page = norm_page(page);
	for (size_t i = 0; i < ei->n_load; i++) {
		const struct elf_segment *s = &ei->load[i];
		if (pdown(s->offset, page) <= off && off < s->offset + s->filesz &&
		    (!best || pdown(s->offset, page) >= pdown(best->offset, page)))
			best = s;
	}
	return best;
}

static bool holds_vaddr(const struct elf_segment *s, uint64_t v, uint64_t page)
{
	return pdown(s->vaddr, page) <= v && pdown(v, page) < s->vaddr + s->memsz;
}

static void check_offset(const struct elf_info *ei, uint64_t off, uint64_t page)
{
	const struct elf_segment *got = elf_info_segment_for_offset(ei, off, page);
	const struct elf_segment *want = lin_offset(ei, off, page);

	page = norm_page(page);
	FUZZ_CHECK((got == NULL) == (want == NULL));
	if (got) {
		FUZZ_CHECK(got >= ei->load && got < ei->load + ei->n_load);
		FUZZ_CHECK(pdown(got->offset, page) <= off && off < got->offset + got->filesz);
		FUZZ_CHECK(pdown(got->offset, page) == pdown(want->offset, page));
	}
}

static void check_vaddr(const struct elf_info *ei, uint64_t v, uint64_t page)
{
	const struct elf_segment *got = elf_info_segment_for_vaddr(ei, v, page);
	const struct elf_segment *want = NULL;

	page = norm_page(page);
	for (size_t i = 0; i < ei->n_load; i++)
		if (holds_vaddr(&ei->load[i], v, page))
			want = &ei->load[i];	/* the later one wins */
	FUZZ_CHECK(got == want);
}

static void check_info(const struct elf_info *ei)
{
	uint64_t vlimit = ei->elf_class == 32 ? UINT64_C(1) << 32 : UINT64_MAX;
	static const uint64_t pages[] = { 1, 4096, 16384, 65536, 3, 0 };

	FUZZ_CHECK(ei->n_load >= 1 && ei->load != NULL);
	FUZZ_CHECK(ei->elf_class == 32 || ei->elf_class == 64);
	FUZZ_CHECK(ei->n_load <= ei->phnum && ei->phnum <= ELF_INFO_MAX_PHDRS);
	for (size_t i = 0; i < ei->n_load; i++) {
		const struct elf_segment *s = &ei->load[i];
		FUZZ_CHECK(s->filesz <= s->memsz);
		FUZZ_CHECK(s->offset <= UINT64_MAX - s->filesz);
		FUZZ_CHECK(s->vaddr <= vlimit && s->memsz <= vlimit - s->vaddr);
		FUZZ_CHECK(s->phdr_index < ei->phnum);
		if (i > 0) {
			const struct elf_segment *p = &ei->load[i - 1];
			FUZZ_CHECK(p->vaddr + p->memsz <= s->vaddr);
			FUZZ_CHECK(p->phdr_index < s->phdr_index);
		}
	}
	if (ei->has_relro) {
		bool inside = false;
		FUZZ_CHECK(ei->relro_memsz <= UINT64_MAX - ei->relro_vaddr);
		for (size_t i = 0; i < ei->n_load; i++) {
			const struct elf_segment *s = &ei->load[i];
			inside |= s->vaddr <= ei->relro_vaddr &&
				  ei->relro_vaddr + ei->relro_memsz <= s->vaddr + s->memsz;
		}
		FUZZ_CHECK(inside);
	}
	for (size_t p = 0; p < sizeof(pages) / sizeof(pages[0]); p++) {
		uint64_t pg = pages[p];
		for (size_t i = 0; i < ei->n_load && i < 32; i++) {
			const struct elf_segment *s = &ei->load[i];
			uint64_t offs[] = { s->offset, s->offset - 1, pdown(s->offset, norm_page(pg)),
					    s->offset + s->filesz, s->offset + s->filesz - 1,
					    s->offset + s->filesz / 2 };
			uint64_t vas[] = { s->vaddr, s->vaddr - 1, pdown(s->vaddr, norm_page(pg)),
					   s->vaddr + s->memsz, s->vaddr + s->memsz - 1,
					   s->vaddr + s->filesz, s->vaddr + s->memsz / 2 };
			for (size_t k = 0; k < sizeof(offs) / sizeof(offs[0]); k++)
				check_offset(ei, offs[k], pg);
			for (size_t k = 0; k < sizeof(vas) / sizeof(vas[0]); k++)
				check_vaddr(ei, vas[k], pg);
		}
		check_offset(ei, 0, pg);
		check_offset(ei, UINT64_MAX, pg);
		check_vaddr(ei, 0, pg);
		check_vaddr(ei, UINT64_MAX, pg);
	}
	FUZZ_CHECK(ei->min_vaddr <= ei->load[0].vaddr);
	(void)elf_machine_name(ei->machine);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_info ei;
	int fd = memfd_create("fuzz-elf", MFD_CLOEXEC);

	if (fd < 0)
		return 0;
	for (size_t done = 0; done < size;) {
		ssize_t w = write(fd, data + done, size - done);
		if (w <= 0) {
			close(fd);
			return 0;
		}
		done += (size_t)w;
	}
	errno = 0;
	int rc = elf_info_read(fd, &ei);
	int err = errno;
	FUZZ_CHECK(memchr(ei.warning, '\0', sizeof(ei.warning)) != NULL);
	if (rc == 0) {
		check_info(&ei);
	} else {
		FUZZ_CHECK(rc == -1);
		FUZZ_CHECK(err == ENOEXEC || err == ENOMEM);
		FUZZ_CHECK(ei.load == NULL && ei.n_load == 0);
		FUZZ_CHECK(ei.warning[0] != '\0');
	}

	/* The cache: the same file under two keys, then a failure under a third. */
	struct elf_cache *c = elf_cache_new();
	if (c) {
		struct elf_cache_entry *e1 = elf_cache_read(c, 1, 2, fd);
		struct elf_cache_entry *e2 = elf_cache_read(c, 1, 2, fd);
		FUZZ_CHECK(e1 && e1 == e2);
		FUZZ_CHECK(e1->ok == (rc == 0));
		if (e1->ok) {
			FUZZ_CHECK(e1->ei.n_load == ei.n_load);
			FUZZ_CHECK(memcmp(e1->ei.load, ei.load, ei.n_load * sizeof(*ei.load)) == 0);
		} else {
			FUZZ_CHECK(e1->err == err);
		}
		FUZZ_CHECK(elf_cache_lookup(c, 2, 1) == NULL);
		for (unsigned i = 0; i < 70; i++)
			FUZZ_CHECK(elf_cache_insert(c, 3, i, EACCES, NULL) != NULL);
		FUZZ_CHECK(elf_cache_lookup(c, 1, 2) == e1);
		FUZZ_CHECK(elf_cache_count(c) == 71);
		elf_cache_free(c);
	}
	elf_info_free(&ei);
	close(fd);
	return 0;
}

/* test-elfinfo.c - elf_info_read() and the cache on real ELF files (TAP)
 *
 * Real files: this test program, /bin/sh, the libc this process maps, and
 * programs built now with the compiler (when "cc" is on PATH): PIE, -no-pie,
 * -static-pie, -m32.  Their PT_LOAD lists are compared with "readelf -lW".
 * Hostile files: copies of a real program with bytes patched here, truncated
 * copies, junk and an empty file; each must give a warning or ENOEXEC.
 */
#include "elf/elfinfo.h"
#include "tap.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <link.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096

static char tmpdir[] = "/tmp/test-elfinfo.XXXXXX";
static bool have_readelf;

/* Read path into *ei; returns elf_info_read()'s value, errno kept. */
static int read_path(const char *path, struct elf_info *ei)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	int rc, e;

	if (fd < 0) {
		memset(ei, 0, sizeof *ei);
		snprintf(ei->warning, sizeof ei->warning, "open: %s", strerror(errno));
		return -1;
	}
	rc = elf_info_read(fd, ei);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

static bool have_program(const char *name)
{
	char cmd[256];

	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
	return system(cmd) == 0;
}

/* ---------------------------------------------------------------- readelf */

struct rseg {
	uint64_t offset, vaddr, filesz, memsz, align;
	uint32_t flags;
};

struct rinfo {
	struct rseg load[64];
	size_t n_load;
	bool relro, interp, stack, stack_x;
	uint64_t relro_vaddr, relro_memsz;
};

/* Parse "  TYPE  off vaddr paddr filesz memsz FLG align" from readelf -lW. */
static bool parse_phdr_line(const char *p, struct rseg *s)
{
	uint64_t paddr;
	int n = 0;

	if (sscanf(p, "%" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64 "%n",
		   &s->offset, &s->vaddr, &paddr, &s->filesz, &s->memsz, &n) != 5)
		return false;
	p += n;
	s->flags = 0;
	for (; *p != '\0' && strncmp(p, "0x", 2) != 0; p++) {
		if (*p == 'R')
			s->flags |= PF_R;
		else if (*p == 'W')
			s->flags |= PF_W;
		else if (*p == 'E')
			s->flags |= PF_X;
	}
	if (*p == '\0')
		return false;
	s->align = strtoull(p, NULL, 16);
	return true;
}

static bool readelf_info(const char *path, struct rinfo *ri)
{
	char cmd[PATH_MAX + 64], line[1024];
	FILE *f;
	bool ok = true;

	memset(ri, 0, sizeof *ri);
	if (strchr(path, '\'') != NULL)
		return false;
	snprintf(cmd, sizeof cmd, "readelf -lW '%s' 2>/dev/null", path);
	f = popen(cmd, "r");
	if (f == NULL)
		return false;
	while (fgets(line, sizeof line, f) != NULL) {
		char type[32];
		int n;
		struct rseg s;

		if (sscanf(line, " %31s%n", type, &n) != 1)
			continue;
		if (strcmp(type, "LOAD") == 0) {
			if (!parse_phdr_line(line + n, &s) || ri->n_load == 64)
				ok = false;
			else
				ri->load[ri->n_load++] = s;
		} else if (strcmp(type, "GNU_RELRO") == 0 && parse_phdr_line(line + n, &s)) {
			ri->relro = true;
			ri->relro_vaddr = s.vaddr;
			ri->relro_memsz = s.memsz;
		} else if (strcmp(type, "INTERP") == 0) {
			ri->interp = true;
		} else if (strcmp(type, "GNU_STACK") == 0 && parse_phdr_line(line + n, &s)) {
			ri->stack = true;
			ri->stack_x = (s.flags & PF_X) != 0;
		}
	}
	if (pclose(f) != 0)
		ok = false;
	return ok && ri->n_load > 0;
}

/* ---------------------------------------------------------------- checks */

/* The invariants every successful read promises. */
static bool invariants(const struct elf_info *ei, const char **why)
{
	*why = "";
	if (ei->n_load == 0 || ei->load == NULL)
		return *why = "no segment", false;
	if (ei->elf_class != 32 && ei->elf_class != 64)
		return *why = "class", false;
	for (size_t i = 0; i < ei->n_load; i++) {
		const struct elf_segment *s = &ei->load[i];

		if (s->filesz > s->memsz)
			return *why = "filesz > memsz", false;
		if (s->offset + s->filesz < s->offset)
			return *why = "offset overflow", false;
		if (s->vaddr + s->memsz < s->vaddr)
			return *why = "vaddr overflow", false;
		if (ei->elf_class == 32 && s->vaddr + s->memsz > (UINT64_C(1) << 32))
			return *why = "beyond 4 GiB", false;
		if (i > 0 && s->vaddr < ei->load[i - 1].vaddr + ei->load[i - 1].memsz)
			return *why = "overlap or order", false;
		if (elf_info_segment_for_vaddr(ei, s->vaddr, PAGE) == NULL)
			return *why = "vaddr lookup", false;
		if (s->filesz > 0 && elf_info_segment_for_offset(ei, s->offset, PAGE) == NULL)
			return *why = "offset lookup", false;
	}
	if (ei->has_relro) {
		bool inside = false;

		for (size_t i = 0; i < ei->n_load; i++)
			if (ei->relro_vaddr >= ei->load[i].vaddr
			    && ei->relro_vaddr + ei->relro_memsz
			       <= ei->load[i].vaddr + ei->load[i].memsz)
				inside = true;
		if (!inside)
			return *why = "relro outside", false;
	}
	if (ei->min_vaddr > ei->load[0].vaddr)
		return *why = "min_vaddr", false;
	return true;
}

static bool same_as_readelf(const struct elf_info *ei, const struct rinfo *ri)
{
	if (ei->n_load != ri->n_load) {
		tap_diag("n_load %zu, readelf %zu", ei->n_load, ri->n_load);
		return false;
	}
	for (size_t i = 0; i < ei->n_load; i++) {
		const struct elf_segment *s = &ei->load[i];
		const struct rseg *r = &ri->load[i];

		if (s->offset != r->offset || s->vaddr != r->vaddr || s->filesz != r->filesz
		    || s->memsz != r->memsz || s->align != r->align
		    || (s->flags & (PF_R | PF_W | PF_X)) != r->flags) {
			tap_diag("LOAD %zu: %#" PRIx64 " %#" PRIx64 " %#" PRIx64 " %#" PRIx64
				 " %#x %#" PRIx64 " vs readelf %#" PRIx64 " %#" PRIx64 " %#"
				 PRIx64 " %#" PRIx64 " %#x %#" PRIx64, i, s->offset, s->vaddr,
				 s->filesz, s->memsz, s->flags, s->align, r->offset, r->vaddr,
				 r->filesz, r->memsz, r->flags, r->align);
			return false;
		}
	}
	if (ei->has_relro != ri->relro
	    || (ri->relro && (ei->relro_vaddr != ri->relro_vaddr
			      || ei->relro_memsz != ri->relro_memsz))) {
		tap_diag("PT_GNU_RELRO differs");
		return false;
	}
	if (ei->has_interp != ri->interp || ei->exec_stack != (!ri->stack || ri->stack_x)) {
		tap_diag("PT_INTERP or PT_GNU_STACK differs");
		return false;
	}
	return true;
}

/* The checks on one real, well-formed file.  Returns the read (freed by caller)
 * or fills *ei with zeros when it could not be read. */
static void check_real(const char *what, const char *path, struct elf_info *ei)
{
	const char *why;
	struct rinfo ri;
	int rc = read_path(path, ei);
	bool good;

	tap_ok(rc == 0, "%s: %s is read", what, path);
	if (rc != 0) {
		tap_diag("%s", ei->warning);
		memset(ei, 0, sizeof *ei);
		return;
	}
	tap_ok(ei->warning[0] == '\0', "%s: no warning%s%s", what,
	       ei->warning[0] ? ": " : "", ei->warning);
	good = invariants(ei, &why);
	tap_ok(good, "%s: segments ascending, lookups find them%s%s", what, good ? "" : ": ", why);
	if (!have_readelf) {
		printf("ok %d - %s: same PT_LOAD list as readelf -lW # SKIP no readelf\n",
		       ++tap_n, what);
		return;
	}
	if (!readelf_info(path, &ri))
		tap_ok(0, "%s: readelf -lW %s could be run and parsed", what, path);
	else
		tap_ok(same_as_readelf(ei, &ri),
		       "%s: same PT_LOAD, PT_GNU_RELRO, PT_INTERP, PT_GNU_STACK as readelf -lW",
		       what);
}

static void skip(const char *what, const char *why)
{
	printf("ok %d - %s # SKIP %s\n", ++tap_n, what, why);
}

/* ---------------------------------------------------------------- helpers */

static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in = open(from, O_RDONLY | O_CLOEXEC), out;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n) {
			n = -1;
			break;
		}
	close(in);
	if (close(out) < 0 || n < 0)
		return -1;
	return 0;
}

static int pwrite_all(const char *path, const void *buf, size_t len, off_t off)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = pwrite(fd, buf, len, off);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

static int pread_all(const char *path, void *buf, size_t len, off_t off)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = pread(fd, buf, len, off);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

/* A hostile case: a read must give a warning (rc 0, usable) or ENOEXEC (with a
 * reason), never anything else.  want: 'w' a warning, 'f' ENOEXEC, '?' either. */
static void check_hostile(const char *what, const char *path, char want, struct elf_info *out)
{
	struct elf_info ei;
	int rc = read_path(path, &ei);
	int e = errno;
	const char *why = "";
	bool good;

	if (rc == 0)
		good = ei.warning[0] != '\0' && invariants(&ei, &why) && want != 'f';
	else
		good = e == ENOEXEC && ei.warning[0] != '\0' && ei.load == NULL && want != 'w';
	tap_ok(good, "hostile: %s -> %s: %s %s", what, rc == 0 ? "warning" : "ENOEXEC",
	       ei.warning, why);
	if (out != NULL)
		*out = ei;
	else
		elf_info_free(&ei);
}

/* ---------------------------------------------------------------- hostile */

static uint64_t page_up(uint64_t x, uint64_t align)
{
	return align > 1 ? (x + align - 1) / align * align : x;
}

/* Patch copies of the native ELF file src. */
static void hostile_native(const char *src)
{
	char path[PATH_MAX];
	ElfW(Ehdr) eh;
	ElfW(Phdr) ph[128];
	size_t n, first_load = SIZE_MAX, second_load = SIZE_MAX, last_load = 0;
	size_t relro = SIZE_MAX;
	struct elf_info ei, orig;
	struct stat st;

	snprintf(path, sizeof path, "%s/hostile", tmpdir);
	if (copy_file(src, path) < 0 || pread_all(path, &eh, sizeof eh, 0) < 0
	    || eh.e_phnum == 0 || eh.e_phnum > 128
	    || pread_all(path, ph, eh.e_phnum * sizeof ph[0], (off_t)eh.e_phoff) < 0
	    || stat(path, &st) < 0 || read_path(path, &orig) < 0) {
		skip("hostile files", "cannot copy or read the test program");
		return;
	}
	n = eh.e_phnum;
	for (size_t i = 0; i < n; i++) {
		if (ph[i].p_type == PT_LOAD) {
			if (first_load == SIZE_MAX)
				first_load = i;
			else if (second_load == SIZE_MAX)
				second_load = i;
			last_load = i;
		} else if (ph[i].p_type == PT_GNU_RELRO) {
			relro = i;
		}
	}
	if (second_load == SIZE_MAX) {
		skip("hostile files", "the test program has fewer than two PT_LOAD");
		elf_info_free(&orig);
		return;
	}

#define RESET() (copy_file(src, path))
#define PATCH(field, value) \
	(RESET() == 0 && (eh2 = eh, eh2.field = (value), \
			  pwrite_all(path, &eh2, sizeof eh2, 0) == 0))
#define PATCH_PH(i, field, value) \
	(RESET() == 0 && (p2 = ph[i], p2.field = (value), \
			  pwrite_all(path, &p2, sizeof p2, \
				     (off_t)(eh.e_phoff + (i) * sizeof ph[0])) == 0))
	ElfW(Ehdr) eh2;
	ElfW(Phdr) p2;

	/* e_phnum 0 */
	if (PATCH(e_phnum, 0))
		check_hostile("e_phnum 0", path, 'f', NULL);

	/* PN_XNUM with section 0's sh_info giving the real count: readable, with a
	 * warning; with sh_info 0: refused. */
	if (eh.e_shoff != 0 && eh.e_shnum > 0) {
		ElfW(Shdr) sh0;

		if (PATCH(e_phnum, PN_XNUM)
		    && pread_all(path, &sh0, sizeof sh0, (off_t)eh.e_shoff) == 0) {
			sh0.sh_info = (ElfW(Word))n;
			if (pwrite_all(path, &sh0, sizeof sh0, (off_t)eh.e_shoff) == 0) {
				check_hostile("e_phnum PN_XNUM, sh_info the real count", path, 'w',
					      &ei);
				tap_ok(ei.n_load == orig.n_load,
				       "hostile: PN_XNUM: the same %zu PT_LOAD", orig.n_load);
				elf_info_free(&ei);
			}
			sh0.sh_info = 0;
			if (pwrite_all(path, &sh0, sizeof sh0, (off_t)eh.e_shoff) == 0)
				check_hostile("e_phnum PN_XNUM, sh_info 0", path, 'f', NULL);
			sh0.sh_info = 1000000;
			if (pwrite_all(path, &sh0, sizeof sh0, (off_t)eh.e_shoff) == 0)
				check_hostile("e_phnum PN_XNUM, sh_info 1000000", path, 'f', NULL);
			sh0.sh_info = 60000;
			if (pwrite_all(path, &sh0, sizeof sh0, (off_t)eh.e_shoff) == 0)
				check_hostile("e_phnum PN_XNUM, sh_info 60000", path, '?', NULL);
		}
		/* PN_XNUM and no section headers at all */
		if (RESET() == 0) {
			eh2 = eh;
			eh2.e_phnum = PN_XNUM;
			eh2.e_shoff = (ElfW(Off))st.st_size + 4096;
			if (pwrite_all(path, &eh2, sizeof eh2, 0) == 0)
				check_hostile("e_phnum PN_XNUM, e_shoff beyond the file", path, 'f',
					      NULL);
		}
	}

	/* more program headers than the file holds */
	if (PATCH(e_phnum, 60000))
		check_hostile("e_phnum 60000", path, '?', NULL);
	if (PATCH(e_phentsize, 40))
		check_hostile("e_phentsize 40", path, 'f', NULL);
	if (PATCH(e_phoff, (ElfW(Off))st.st_size + 100))
		check_hostile("e_phoff beyond the file", path, 'f', NULL);
	if (PATCH(e_phoff, ~(ElfW(Off))0 - 8))
		check_hostile("e_phoff near 2^64", path, 'f', NULL);

	/* truncated in the middle of the program headers: libelf reads the table
	 * whole or not at all */
	if (RESET() == 0
	    && truncate(path, (off_t)(eh.e_phoff + (second_load + 1) * sizeof ph[0] + 20)) == 0)
		check_hostile("truncated in the program headers", path, 'f', NULL);
	if (RESET() == 0
	    && truncate(path, (off_t)(eh.e_phoff + first_load * sizeof ph[0] + 20)) == 0)
		check_hostile("truncated before the first PT_LOAD", path, 'f', NULL);
	if (RESET() == 0 && truncate(path, 40) == 0)
		check_hostile("truncated in the ELF header", path, 'f', NULL);
	if (RESET() == 0 && truncate(path, (off_t)eh.e_phoff) == 0)
		check_hostile("truncated at e_phoff", path, 'f', NULL);

	/* p_filesz > p_memsz: the segment is dropped */
	if (PATCH_PH(first_load, p_filesz, ph[first_load].p_memsz + 1)) {
		check_hostile("p_filesz > p_memsz", path, 'w', &ei);
		tap_ok(ei.n_load == orig.n_load - 1, "hostile: p_filesz > p_memsz: dropped");
		elf_info_free(&ei);
	}
	/* p_vaddr + p_memsz overflows */
	if (PATCH_PH(last_load, p_memsz, ~(ElfW(Xword))0 - ph[last_load].p_vaddr + 2)) {
		check_hostile("p_vaddr + p_memsz overflows", path, 'w', &ei);
		tap_ok(ei.n_load == orig.n_load - 1, "hostile: vaddr overflow: dropped");
		elf_info_free(&ei);
	}
	/* p_offset + p_filesz overflows (memsz raised too, to pass that check) */
	if (RESET() == 0) {
		p2 = ph[last_load];
		p2.p_offset = ~(ElfW(Off))0 - 16;
		p2.p_filesz = 4096;
		p2.p_memsz = p2.p_memsz > 4096 ? p2.p_memsz : 4096;
		if (pwrite_all(path, &p2, sizeof p2,
			       (off_t)(eh.e_phoff + last_load * sizeof ph[0])) == 0)
			check_hostile("p_offset + p_filesz overflows", path, 'w', NULL);
	}
	/* beyond the end of the file: kept, with a warning */
	if (PATCH_PH(last_load, p_offset, page_up((uint64_t)st.st_size, ph[last_load].p_align)
				      + ph[last_load].p_vaddr % (ph[last_load].p_align ?: 1))) {
		check_hostile("segment beyond the end of the file", path, 'w', &ei);
		tap_ok(ei.n_load == orig.n_load, "hostile: beyond the end: kept");
		elf_info_free(&ei);
	}
	/* overlapping segments: the second starts where the first does */
	if (PATCH_PH(second_load, p_vaddr, ph[first_load].p_vaddr + 1)) {
		check_hostile("overlapping PT_LOAD", path, 'w', &ei);
		tap_ok(ei.n_load == orig.n_load - 1, "hostile: overlap: the later one dropped");
		elf_info_free(&ei);
	}
	/* not in ascending order: the last goes below the first */
	if (ph[first_load].p_vaddr > 0 || ph[first_load].p_memsz > 0) {
		if (PATCH_PH(last_load, p_vaddr, 0))
			check_hostile("PT_LOAD not ascending", path, 'w', NULL);
	}
	/* every PT_LOAD bad: refused */
	if (RESET() == 0) {
		bool w = true;

		for (size_t i = 0; i < n && w; i++) {
			if (ph[i].p_type != PT_LOAD)
				continue;
			p2 = ph[i];
			p2.p_filesz = p2.p_memsz + 1;
			w = pwrite_all(path, &p2, sizeof p2,
				       (off_t)(eh.e_phoff + i * sizeof ph[0])) == 0;
		}
		if (w)
			check_hostile("every PT_LOAD bad", path, 'f', NULL);
	}
	/* p_align not a power of two: kept, with a warning */
	if (PATCH_PH(first_load, p_align, 3)) {
		check_hostile("p_align 3", path, 'w', &ei);
		tap_ok(ei.n_load == orig.n_load, "hostile: p_align 3: kept");
		elf_info_free(&ei);
	}
	/* PT_GNU_RELRO outside every PT_LOAD: ignored */
	if (relro != SIZE_MAX && PATCH_PH(relro, p_vaddr, ph[last_load].p_vaddr
					  + ph[last_load].p_memsz + 0x100000)) {
		check_hostile("PT_GNU_RELRO outside every PT_LOAD", path, 'w', &ei);
		tap_ok(!ei.has_relro, "hostile: relro outside: not used");
		elf_info_free(&ei);
	}
	/* the other byte order: every field becomes garbage */
	if (RESET() == 0) {
		unsigned char d = eh.e_ident[EI_DATA] == ELFDATA2LSB ? ELFDATA2MSB : ELFDATA2LSB;

		if (pwrite_all(path, &d, 1, EI_DATA) == 0)
			check_hostile("byte order flipped", path, '?', NULL);
	}
	/* an ELF class that does not exist */
	if (RESET() == 0) {
		unsigned char c = 7;

		if (pwrite_all(path, &c, 1, EI_CLASS) == 0)
			check_hostile("EI_CLASS 7", path, 'f', NULL);
	}

	/* Random bytes over the headers: never a crash, and every result either
	 * usable (with the invariants) or ENOEXEC.  Deterministic. */
	{
		unsigned seed = 12345, bad = 0, nok = 0;
		size_t span = eh.e_phoff + n * sizeof ph[0];
		char what[64] = "";

		for (int round = 0; round < 500; round++) {
			int rc, e;
			const char *why;

			if (RESET() < 0)
				break;
			for (int k = 0; k < 1 + round % 8; k++) {
				unsigned char b;
				size_t at;

				seed = seed * 1103515245u + 12345u;
				at = (seed >> 8) % span;
				seed = seed * 1103515245u + 12345u;
				b = (unsigned char)(seed >> 16);
				if (pwrite_all(path, &b, 1, (off_t)at) < 0)
					break;
			}
			rc = read_path(path, &ei);
			e = errno;
			if (rc == 0 ? !invariants(&ei, &why) : e != ENOEXEC || ei.warning[0] == 0) {
				if (bad++ == 0)
					snprintf(what, sizeof what, "round %d", round);
			}
			if (rc == 0)
				nok++;
			elf_info_free(&ei);
		}
		tap_ok(bad == 0, "hostile: 500 rounds of random bytes over the headers: every"
		       " result usable or ENOEXEC (%u usable) %s", nok, what);
	}
#undef RESET
#undef PATCH
#undef PATCH_PH
	elf_info_free(&orig);
	unlink(path);
}

/* A 32-bit file: the address space ends at 2^32. */
static void hostile_32(const char *src)
{
	char path[PATH_MAX];
	Elf32_Ehdr eh;
	Elf32_Phdr ph;
	size_t last = SIZE_MAX;

	snprintf(path, sizeof path, "%s/hostile32", tmpdir);
	if (copy_file(src, path) < 0 || pread_all(path, &eh, sizeof eh, 0) < 0)
		return;
	for (size_t i = 0; i < eh.e_phnum; i++) {
		if (pread_all(path, &ph, sizeof ph, (off_t)(eh.e_phoff + i * sizeof ph)) < 0)
			return;
		if (ph.p_type == PT_LOAD)
			last = i;
	}
	if (last == SIZE_MAX
	    || pread_all(path, &ph, sizeof ph, (off_t)(eh.e_phoff + last * sizeof ph)) < 0)
		return;
	ph.p_memsz = UINT32_MAX - ph.p_vaddr + 2;	/* fits 32 bits, the sum does not */
	if (pwrite_all(path, &ph, sizeof ph, (off_t)(eh.e_phoff + last * sizeof ph)) == 0)
		check_hostile("ELFCLASS32 p_vaddr + p_memsz beyond 4 GiB", path, 'w', NULL);
	unlink(path);
}

static void hostile_plain(void)
{
	char path[PATH_MAX], junk[8192];
	int fd;
	unsigned seed = 7;

	snprintf(path, sizeof path, "%s/junk", tmpdir);
	for (size_t i = 0; i < sizeof junk; i++) {
		seed = seed * 1103515245u + 12345u;
		junk[i] = (char)(seed >> 16);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0 && write(fd, junk, sizeof junk) == (ssize_t)sizeof junk && close(fd) == 0)
		check_hostile("junk bytes", path, 'f', NULL);
	/* junk behind a valid ELF magic */
	memcpy(junk, ELFMAG, SELFMAG);
	if (pwrite_all(path, junk, SELFMAG, 0) == 0)
		check_hostile("junk after \\177ELF", path, 'f', NULL);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0 && close(fd) == 0)
		check_hostile("empty file", path, 'f', NULL);
	unlink(path);

	/* not a regular file */
	{
		struct elf_info ei;

		fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		tap_ok(fd >= 0 && elf_info_read(fd, &ei) == -1 && errno == ENOEXEC,
		       "/dev/null: ENOEXEC");
		if (fd >= 0)
			close(fd);
		elf_info_free(&ei);
	}
}

/* ---------------------------------------------------------------- built files */

static const char prog_src[] =
	"#include <stdio.h>\n"
	"static char big[1 << 20];\n"
	"int initialized = 42;\n"
	"__thread int tlsvar = 1;\n"
	"int main(int argc, char **argv)\n"
	"{\n"
	"\t(void)argv;\n"
	"\tbig[argc] = 1;\n"
	"\tprintf(\"%d %d\\n\", initialized, tlsvar);\n"
	"\treturn big[0];\n"
	"}\n";

/* Build tmpdir/name from prog_src with the given flags; false if cc refuses. */
static bool build(const char *name, const char *flags, char *out, size_t outsz)
{
	char src[PATH_MAX], cmd[PATH_MAX * 3];
	FILE *f;

	snprintf(src, sizeof src, "%s/prog.c", tmpdir);
	f = fopen(src, "w");
	if (f == NULL)
		return false;
	fputs(prog_src, f);
	if (fclose(f) != 0)
		return false;
	snprintf(out, outsz, "%s/%s", tmpdir, name);
	snprintf(cmd, sizeof cmd, "cc %s -o '%s' '%s' >/dev/null 2>&1", flags, out, src);
	return system(cmd) == 0;
}

static void built_files(void)
{
	static const struct {
		const char *name, *flags;
	} kinds[] = {
		{ "pie", "-O1 -fPIE -pie" },
		{ "nopie", "-O1 -fno-pie -no-pie" },
		{ "static-pie", "-O1 -fPIE -static-pie" },
		{ "m32", "-O1 -m32" },
	};
	char path[PATH_MAX];

	if (!have_program("cc")) {
		for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
			skip(kinds[k].name, "no cc on PATH");
		return;
	}
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		struct elf_info ei;
		char what[64];
		bool bss = false;

		if (!build(kinds[k].name, kinds[k].flags, path, sizeof path)) {
			skip(kinds[k].name, "cc cannot build it here");
			continue;
		}
		snprintf(what, sizeof what, "built %s", kinds[k].name);
		check_real(what, path, &ei);
		if (ei.n_load == 0)
			continue;
		for (size_t i = 0; i < ei.n_load; i++)
			if (ei.load[i].memsz >= ei.load[i].filesz + (1 << 20)
			    && (ei.load[i].flags & PF_W))
				bss = true;
		tap_ok(bss, "%s: a writable PT_LOAD holds the 1 MiB bss", what);
		tap_ok(ei.has_tls, "%s: PT_TLS", what);
		tap_ok(!ei.exec_stack, "%s: no executable stack", what);
		if (strcmp(kinds[k].name, "pie") == 0)
			tap_ok(ei.type == ET_DYN && ei.has_interp && ei.has_dynamic
			       && ei.min_vaddr == 0, "%s: ET_DYN, PT_INTERP, PT_DYNAMIC, min_vaddr 0",
			       what);
		else if (strcmp(kinds[k].name, "nopie") == 0)
			tap_ok(ei.type == ET_EXEC && ei.has_interp && ei.min_vaddr > 0
			       && ei.min_vaddr % PAGE == 0, "%s: ET_EXEC, PT_INTERP, min_vaddr %#"
			       PRIx64, what, ei.min_vaddr);
		else if (strcmp(kinds[k].name, "static-pie") == 0)
			tap_ok(ei.type == ET_DYN && !ei.has_interp && ei.has_dynamic,
			       "%s: ET_DYN without PT_INTERP", what);
		else if (strcmp(kinds[k].name, "m32") == 0) {
			tap_ok(ei.elf_class == 32, "%s: ELFCLASS32", what);
#if defined(__x86_64__)
			tap_ok(ei.machine == EM_386
			       && strcmp(elf_machine_name(ei.machine), "i386") == 0,
			       "%s: machine i386", what);
#endif
			hostile_32(path);
		}
		elf_info_free(&ei);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/prog.c", tmpdir);
	unlink(path);
}

/* ---------------------------------------------------------------- lookups */

static void lookups(const struct elf_info *ei)
{
	const struct elf_segment *last = &ei->load[ei->n_load - 1];
	bool ok = true;

	for (size_t i = 0; i < ei->n_load; i++) {
		const struct elf_segment *s = &ei->load[i], *t;

		if (elf_info_segment_for_vaddr(ei, s->vaddr, PAGE) != s
		    || (s->memsz > 0
			&& elf_info_segment_for_vaddr(ei, s->vaddr + s->memsz - 1, PAGE) != s))
			ok = false;
		/* the offset lookup returns a segment that maps that offset */
		if (s->filesz > 0) {
			t = elf_info_segment_for_offset(ei, s->offset + s->filesz - 1, PAGE);
			if (t == NULL || s->offset + s->filesz - 1 >= t->offset + t->filesz)
				ok = false;
		}
	}
	tap_ok(ok, "lookups: each segment's first and last byte find it by vaddr, by offset");
	tap_ok(elf_info_segment_for_vaddr(ei, last->vaddr + last->memsz + 2 * PAGE, PAGE) == NULL,
	       "lookups: a vaddr above every segment: NULL");
	tap_ok(elf_info_segment_for_offset(ei, UINT64_MAX - 1, PAGE) == NULL,
	       "lookups: an offset beyond every segment: NULL");
	if (ei->load[0].vaddr >= 2 * PAGE)
		tap_ok(elf_info_segment_for_vaddr(ei, ei->load[0].vaddr - 2 * PAGE, PAGE) == NULL,
		       "lookups: a vaddr below every segment: NULL");
	tap_ok(elf_info_segment_for_vaddr(ei, ei->load[0].vaddr, 0) == &ei->load[0]
	       && elf_info_segment_for_vaddr(NULL, 0, PAGE) == NULL,
	       "lookups: page 0 is taken as 1, NULL ei gives NULL");
}

/* ---------------------------------------------------------------- cache */

static void cache(const char *exe)
{
	struct elf_cache *c = elf_cache_new();
	struct elf_cache_entry *a, *b, *first;
	struct stat st;
	char junk[PATH_MAX];
	bool ok = true;
	int fd;

	tap_ok(c != NULL, "cache: elf_cache_new");
	if (c == NULL)
		return;
	fd = open(exe, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		tap_ok(0, "cache: open %s", exe);
		elf_cache_free(c);
		return;
	}
	tap_ok(elf_cache_lookup(c, st.st_dev, st.st_ino) == NULL, "cache: a miss gives NULL");
	a = elf_cache_read(c, st.st_dev, st.st_ino, fd);
	b = elf_cache_read(c, st.st_dev, st.st_ino, -1);	/* must not read again */
	tap_ok(a != NULL && a->ok && a->ei.n_load > 0, "cache: the test program is read");
	tap_ok(a == b && elf_cache_lookup(c, st.st_dev, st.st_ino) == a,
	       "cache: two lookups of the same (dev, ino) give the same entry");
	close(fd);

	/* a failure is cached too */
	snprintf(junk, sizeof junk, "%s/junk-cache", tmpdir);
	fd = open(junk, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0 && write(fd, "not an ELF file\n", 16) == 16) {
		struct stat js;

		fstat(fd, &js);
		a = elf_cache_read(c, js.st_dev, js.st_ino, fd);
		tap_ok(a != NULL && !a->ok && a->err == ENOEXEC && a->ei.warning[0] != '\0',
		       "cache: a file that is not ELF is cached as a failure (ENOEXEC)");
	}
	if (fd >= 0)
		close(fd);
	unlink(junk);

	/* growth: many keys, entries keep their addresses */
	first = elf_cache_lookup(c, st.st_dev, st.st_ino);
	for (unsigned i = 0; i < 2000; i++) {
		struct elf_info ei;

		memset(&ei, 0, sizeof ei);
		snprintf(ei.warning, sizeof ei.warning, "fake %u", i);
		a = elf_cache_insert(c, (dev_t)(i % 7), (ino_t)(i * 4096 + 1), EACCES, &ei);
		if (a == NULL || a->ok || a->err != EACCES || ei.warning[0] != '\0')
			ok = false;
	}
	for (unsigned i = 0; i < 2000; i++) {
		char want[32];

		a = elf_cache_lookup(c, (dev_t)(i % 7), (ino_t)(i * 4096 + 1));
		snprintf(want, sizeof want, "fake %u", i);
		if (a == NULL || strcmp(a->ei.warning, want) != 0)
			ok = false;
	}
	tap_ok(ok && elf_cache_count(c) == 2002, "cache: 2000 more entries inserted and found"
	       " (count %zu)", elf_cache_count(c));
	tap_ok(elf_cache_lookup(c, st.st_dev, st.st_ino) == first,
	       "cache: entries keep their address as the table grows");
	{
		struct elf_info ei;

		memset(&ei, 0, sizeof ei);
		a = elf_cache_insert(c, 3, 3 * 4096 + 1, 0, &ei);
		tap_ok(a == elf_cache_lookup(c, 3, 3 * 4096 + 1) && !a->ok,
		       "cache: inserting a present key keeps the first entry");
	}
	tap_ok(elf_cache_lookup(c, 99, 12345) == NULL, "cache: an absent key still misses");
	elf_cache_free(c);
	/* no ELF information, or none read: no segment */
	struct elf_info none;
	memset(&none, 0, sizeof none);
	tap_ok(elf_info_segment_for_offset(NULL, 0, PAGE) == NULL &&
	       elf_info_segment_for_offset(&none, 0, PAGE) == NULL &&
	       elf_info_segment_for_vaddr(NULL, 0, PAGE) == NULL &&
	       elf_info_segment_for_vaddr(&none, 0, PAGE) == NULL,
	       "segment lookups without ELF information: NULL");
	elf_info_free(NULL);
	/* no cache (an allocation failed): every lookup misses, the count is 0 */
	tap_ok(elf_cache_lookup(NULL, st.st_dev, st.st_ino) == NULL && elf_cache_count(NULL) == 0,
	       "cache: NULL: a miss, count 0");
	elf_cache_free(NULL);
}

/* ---------------------------------------------------------------- main */

static bool find_libc(char *out, size_t outsz)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[PATH_MAX + 256];
	bool found = false;

	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof line, f) != NULL) {
		char *p = strchr(line, '/');
		const char *base;

		if (p == NULL)
			continue;
		p[strcspn(p, "\n")] = '\0';
		base = strrchr(p, '/') + 1;
		if (strncmp(base, "libc.so", 7) == 0 || strncmp(base, "libc-", 5) == 0
		    || strncmp(base, "libc.musl", 9) == 0 || strncmp(base, "ld-musl", 7) == 0) {
			snprintf(out, outsz, "%s", p);
			found = true;
		}
	}
	fclose(f);
	return found;
}

int main(void)
{
	char exe[PATH_MAX], libc[PATH_MAX];
	ssize_t n;
	struct elf_info ei;

	if (mkdtemp(tmpdir) == NULL) {
		printf("1..0 # SKIP cannot create a directory in /tmp\n");
		return 0;
	}
	have_readelf = have_program("readelf");
	if (!have_readelf)
		tap_diag("readelf not found: the comparisons with it are skipped");

	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0) {
		printf("1..0 # SKIP no /proc/self/exe\n");
		return 0;
	}
	exe[n] = '\0';

	check_real("test program", exe, &ei);
	if (ei.n_load > 0) {
		tap_ok(ei.elf_class == (int)sizeof(void *) * 8,
		       "test program: ELF class %d matches the pointer size", ei.elf_class);
#if defined(__x86_64__)
		tap_ok(ei.machine == EM_X86_64 && strcmp(elf_machine_name(ei.machine), "x86-64") == 0,
		       "test program: machine x86-64");
#elif defined(__aarch64__)
		tap_ok(strcmp(elf_machine_name(ei.machine), "aarch64") == 0,
		       "test program: machine aarch64");
#endif
		tap_ok(ei.type == ET_DYN || ei.type == ET_EXEC, "test program: ET_DYN or ET_EXEC");
		lookups(&ei);
	}
	elf_info_free(&ei);

	check_real("/bin/sh", "/bin/sh", &ei);
	elf_info_free(&ei);

	if (find_libc(libc, sizeof libc)) {
		check_real("libc", libc, &ei);
		tap_ok(ei.n_load == 0 || (ei.type == ET_DYN && ei.has_dynamic),
		       "libc: ET_DYN with PT_DYNAMIC");
		elf_info_free(&ei);
	} else {
		skip("libc", "no libc in /proc/self/maps");
	}

	tap_ok(strcmp(elf_machine_name(0xfffe), "unknown") == 0
	       && strcmp(elf_machine_name(EM_AARCH64), "aarch64") == 0
	       && strcmp(elf_machine_name(EM_386), "i386") == 0,
	       "elf_machine_name: aarch64, i386, unknown");

	built_files();
	hostile_native(exe);
	hostile_plain();
	cache(exe);

	rmdir(tmpdir);
	return tap_done();
}

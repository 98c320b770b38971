/* elfinfo.h - the ELF header and program headers of a mapped file (libelf)
 *
 * The layout code opens each mapped file itself (safely: it checks the device and
 * inode against the VMA) and hands this module a file descriptor of a regular
 * file.  elf_info_read() reads the ELF header and the program headers of that file
 * through libelf (gelf.h) and nothing else: no section contents, no symbols.  The
 * file may be hostile (the process being examined chose it), so every value is
 * checked before it is believed: a bad PT_LOAD segment is dropped with a warning,
 * and a file with nothing usable left is refused with ENOEXEC.
 *
 * Units: every address, offset and size here is in bytes.  Addresses are the
 * file's own (p_vaddr, e_entry): add the load bias to get run-time addresses.
 *
 * A process maps the same file several times (one VMA per segment) and several
 * processes map the same libraries, so struct elf_cache keeps one result per
 * (st_dev, st_ino): each file is read once per run.
 */
#ifndef VMLAYOUT_ELFINFO_H
#define VMLAYOUT_ELFINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* More program headers than this and the file is refused (ENOEXEC).  The
 * kernel refuses to execute a file whose program headers take more than 64 KiB
 * (about 1170 entries); this bound only keeps a hostile count from costing time
 * and memory. */
#define ELF_INFO_MAX_PHDRS 65536

/* One PT_LOAD program header, as found in the file (bytes). */
struct elf_segment {
	uint32_t flags;		/* p_flags: PF_R | PF_W | PF_X */
	uint64_t offset;	/* p_offset: where the segment's bytes start in the file */
	uint64_t vaddr;		/* p_vaddr: where they go in memory, before the load bias */
	uint64_t filesz;	/* p_filesz: bytes taken from the file */
	uint64_t memsz;		/* p_memsz: bytes in memory; memsz - filesz is the bss part */
	uint64_t align;		/* p_align, as found (0 or 1: no alignment) */
	unsigned phdr_index;	/* index of this entry in the program header table */
};

/* What elf_info_read() learnt about one file. */
struct elf_info {
	int elf_class;		/* 32 or 64 (ELFCLASS32 -> 32, ELFCLASS64 -> 64) */
	int data;		/* ELFDATA2LSB or ELFDATA2MSB */
	uint16_t type;		/* e_type: ET_EXEC, ET_DYN, ET_CORE, ... */
	uint16_t machine;	/* e_machine: EM_X86_64, EM_386, ... (see elf_machine_name()) */
	uint64_t entry;		/* e_entry */
	size_t phnum;		/* program headers read (e_phnum, or section 0's sh_info
				 * when e_phnum is PN_XNUM) */

	/* The usable PT_LOAD segments, in program header order, which is also
	 * strictly ascending p_vaddr order without overlap (segments that broke
	 * the order were dropped).  NULL when n_load is 0. */
	struct elf_segment *load;
	size_t n_load;

	bool has_relro;		/* a usable PT_GNU_RELRO (inside one PT_LOAD) */
	uint64_t relro_vaddr;	/* its p_vaddr */
	uint64_t relro_memsz;	/* its p_memsz */
	bool has_interp;	/* PT_INTERP present: a dynamically linked executable */
	bool has_dynamic;	/* PT_DYNAMIC present */
	bool pie_flag;		/* its DT_FLAGS_1 has DF_1_PIE: an executable (-pie,
				 * -static-pie), not a shared library */
	bool has_tls;		/* PT_TLS present */
	bool exec_stack;	/* PT_GNU_STACK with PF_X, or no PT_GNU_STACK at all */

	/* The lowest PT_LOAD p_vaddr rounded down to the run-time page size
	 * (sysconf(_SC_PAGESIZE)): the file address that the first VMA of the
	 * object starts at, so load bias = that VMA's vm_start - min_vaddr.
	 * 0 when n_load is 0. */
	uint64_t min_vaddr;

	/* Non-empty when something was odd: the first problem found, then
	 * "(+N more)" when there were others.  After a successful read the
	 * information is still usable (the bad parts were dropped); after a
	 * failed read it says why. */
	char warning[200];

	/* Private to elfinfo.c: indices into load[] sorted by p_offset, and the
	 * running maximum of p_offset + p_filesz in that order (lookups by
	 * offset). */
	uint32_t *by_offset_;
	uint64_t *by_offset_maxend_;
};

/* Read the ELF header and program headers of the regular file open on fd (any
 * file offset; the fd is neither moved nor closed; it is read with pread()).
 * *ei is overwritten (not freed first).
 * Returns 0 when the file could be used, possibly with ei->warning set; then
 * n_load >= 1.  A warning is given, and the information still used, for: a
 * PT_LOAD dropped (p_filesz > p_memsz; p_offset + p_filesz overflowing;
 * p_vaddr + p_memsz beyond 2^64, or 2^32 for ELFCLASS32; p_vaddr below or
 * overlapping the previous PT_LOAD's), a PT_LOAD kept but odd (p_align not a
 * power of two or not matching p_vaddr - p_offset; file bytes beyond the end
 * of the file; an ELFCLASS64 p_memsz above 2^48), a PT_GNU_RELRO outside
 * every PT_LOAD (ignored: has_relro is false), several PT_GNU_RELRO (the
 * last is used, as ld.so does), e_phnum PN_XNUM.
 * Returns -1 with errno set when it cannot be used:
 *   ENOEXEC  not an ELF file (junk, empty, not a regular file), or its headers
 *            are unusable: no program headers, more than ELF_INFO_MAX_PHDRS,
 *            a program header table cut short by the end of the file, a wrong
 *            e_phentsize, no usable PT_LOAD, a libelf error.  ei->warning says
 *            why, with libelf's own message (elf_errmsg()) where libelf failed;
 *   ENOMEM   out of memory;
 *   other    fstat() failed (EBADF, EIO, ...).
 * After -1, ei holds no allocation, and its warning (and whatever of class,
 * data, type and machine was known) may be read.  elf_info_free() is safe on
 * both outcomes. */
int elf_info_read(int fd, struct elf_info *ei);

/* Release what elf_info_read() allocated and zero *ei.  NULL is allowed. */
void elf_info_free(struct elf_info *ei);

/* The PT_LOAD segment that maps file offset off (bytes): the one whose
 * [page_down(p_offset), p_offset + p_filesz) holds off, where page_down rounds
 * down to a multiple of page (bytes, a power of two: the page size of the
 * process; any other value is taken as 1).  When several hold it (segments may
 * share the page where one ends and the next begins), the one whose range
 * starts highest wins: a VMA whose vm_pgoff is page_down(p_offset) is the start
 * of that segment's mapping.  Two segments can still start in the same file
 * page (a short read-only segment and the writable one just after it);
 * an offset cannot tell them apart, so prefer elf_info_segment_for_vaddr()
 * once the load bias is known.  NULL when none holds off.  O(log n) for files
 * whose segments do not overlap in the file. */
const struct elf_segment *elf_info_segment_for_offset(const struct elf_info *ei,
						      uint64_t off, uint64_t page);

/* The PT_LOAD segment whose memory [page_down(p_vaddr), page_up(p_vaddr +
 * p_memsz)) holds vaddr (a file address, bytes: run-time address minus load
 * bias; bss included).  page as for elf_info_segment_for_offset().  When the
 * page where one segment ends is the page where the next begins, the later
 * segment wins (it is mapped last, over the shared page).  NULL when none
 * holds it.  O(log n). */
const struct elf_segment *elf_info_segment_for_vaddr(const struct elf_info *ei,
						     uint64_t vaddr, uint64_t page);

/* A short name for an e_machine value: "x86-64", "i386", "aarch64", "arm",
 * "riscv", "ppc", "ppc64", "s390x", "mips", "loongarch", "sparc64", ...,
 * or "unknown".  Static storage. */
const char *elf_machine_name(uint16_t e_machine);

/* libelf's message of its last error, followed by ": " and the text of errno when
 * errno is set: a read(2) or an allocation under libelf failed, which libelf's own
 * message ("cannot read data from file", "out of memory") does not name.  The caller
 * sets errno to 0 before the libelf call that failed.  A call that failed without
 * an error of libelf's own (elf_errmsg(0) is NULL) gives the text of errno alone,
 * or "libelf: unknown error".  Into buf (len bytes); returns buf. */
const char *elf_cause(char *buf, size_t len);

/* ---------------------------------------------------------------- cache */

/* One file's result.  Entries stay at the same address until the cache is
 * freed, so pointers to them (and into ei.load) may be kept. */
struct elf_cache_entry {
	dev_t dev;		/* st_dev of the file */
	ino_t ino;		/* st_ino of the file */
	bool ok;		/* the file was read: ei is usable (maybe with a warning) */
	int err;		/* when !ok: the errno of the failure (ENOEXEC, EACCES, ...) */
	struct elf_info ei;	/* when !ok: only ei.warning (maybe empty) is meaningful */
};

/* A set of entries keyed by (dev, ino): a hash table, O(1) lookups, grows as
 * needed (a process may map several hundred files).  Thread-safe: the
 * workers of a machine-wide run (--all) share one, so that each file is read once
 * for the machine (a mutex guards the table; files are read outside it).  The
 * functions below that take a cache need a non-NULL one unless they say. */
struct elf_cache;

/* A new empty cache, or NULL with errno ENOMEM. */
struct elf_cache *elf_cache_new(void);

/* Free the cache, every entry and every entry's elf_info.  NULL is allowed. */
void elf_cache_free(struct elf_cache *c);

/* The entry for (dev, ino), or NULL when it was never inserted (or c is NULL). */
struct elf_cache_entry *elf_cache_lookup(const struct elf_cache *c, dev_t dev, ino_t ino);

/* Record the result of reading (dev, ino): err 0 with *ei from a successful
 * elf_info_read(), or err != 0 for a failure (the errno of the failed open or
 * read; *ei may then carry a warning; ei may be NULL).  *ei is always consumed:
 * moved into the entry (or freed) and zeroed.  If (dev, ino) is already present
 * the existing entry is kept and returned and *ei is freed.  Returns the entry,
 * or NULL with errno ENOMEM. */
struct elf_cache_entry *elf_cache_insert(struct elf_cache *c, dev_t dev, ino_t ino,
					 int err, struct elf_info *ei);

/* Lookup, and on a miss elf_info_read(fd) and insert the outcome (success or
 * failure): the usual way to fill the cache.  The caller still owns fd.
 * Returns the entry (check entry->ok), or NULL with errno ENOMEM (nothing is
 * recorded then). */
struct elf_cache_entry *elf_cache_read(struct elf_cache *c, dev_t dev, ino_t ino, int fd);

/* Number of entries. */
size_t elf_cache_count(const struct elf_cache *c);

#endif

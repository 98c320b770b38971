/* addr.h - what is at an address of a process (--addr ADDR[,LEN])
 *
 * For one address of a process already read into a struct layout: the VMA that
 * holds it (or the VMAs on either side of the hole it is in), its role, region and
 * ELF object, its offset in the VMA and in the mapped file, and from the object's
 * ELF file (read through libelf, opened with procfs_open_mapped() as the layout
 * code opens it): the PT_LOAD segment, the section (section headers) and the
 * nearest symbol at or below it (.symtab, else .dynsym).  With a length, also the
 * VMAs that [ADDR, ADDR+LEN) touches and how many of its bytes are unmapped.
 *
 * Units: addresses, offsets and sizes in bytes.  "File addresses" are the ELF
 * file's own (p_vaddr, st_value): run-time address minus the load bias.
 */
#ifndef VMLAYOUT_ADDR_H
#define VMLAYOUT_ADDR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "elf/elfinfo.h"
#include "model/layout.h"

struct addr_query {
	uint64_t addr;
	uint64_t len;		/* bytes; 0 when no LEN was given */
};

/* Parse "ADDR" or "ADDR,LEN": ADDR hexadecimal with or without "0x" (as maps
 * prints it); LEN decimal, or hexadecimal with "0x", optionally followed by K, M or
 * G (KiB, MiB, GiB); not 0; ADDR+LEN may not pass 2^64.  Returns 0, or -1 with a
 * message in err (errlen bytes). */
int addr_parse(const char *s, struct addr_query *q, char *err, size_t errlen);

struct addr_info {
	struct addr_query q;
	ptrdiff_t vma;		/* index of the VMA holding q.addr, or -1 */
	ptrdiff_t below, above;	/* when unmapped: the VMAs on either side, or -1 */
	uint64_t vma_offset;	/* q.addr - vm_start */
	bool has_file_offset;	/* a file-backed VMA (not for an object's bss) */
	uint64_t file_offset;	/* vm_pgoff bytes + vma_offset */

	/* From the ELF file of the VMA's object. */
	bool has_elf;		/* the object is known and its load bias too */
	char *elf_error;	/* malloc'd: why the file could not be read, or NULL */
	uint64_t file_addr;	/* q.addr - load bias */
	bool has_segment;
	struct elf_segment seg;	/* the PT_LOAD entry holding it, when has_segment */
	char *section;		/* malloc'd name of the SHF_ALLOC section, or NULL */
	char *symbol;		/* malloc'd name of the nearest symbol at or below, or NULL */
	const char *sym_table;	/* ".symtab" or ".dynsym" (static) */
	uint64_t sym_value, sym_size;	/* st_value (file address), st_size */

	/* With q.len: [q.addr, q.addr + q.len). */
	size_t range_first, range_n;	/* the VMAs it touches: indexes first.. */
	uint64_t range_unmapped;	/* bytes of it in no VMA */
};

struct source;

/* Look q up in L.  The segment, section and symbol come from the object's ELF file,
 * opened again through src (source.h), the source L was read from and which is
 * still open: for a live process its /proc/PID (a process that has exited since
 * gives "the process has exited"), for a snapshot its recorded headers, for text
 * or a core the file under the sysroot, for an ELF file the file.  A changed or
 * unreadable file is not an error but sets elf_error.  Returns 0, or -1 with errno
 * ENOMEM; addr_info_free() either way. */
int addr_lookup(const struct layout *L, struct source *src, const struct addr_query *q,
		struct addr_info *ai);
void addr_info_free(struct addr_info *ai);

/* The VMA holding ai's address (ai->vma >= 0) as the report describes it: the VMA
 * of L itself, or, for an address in the bss part of a VMA that the kernel merged
 * across the end of an object's bss (layout.h vma_part_figures()), a copy in *buf
 * with that part's role (bss), region and object. */
const struct vma *addr_vma_view(const struct layout *L, const struct addr_info *ai,
				struct vma *buf);

#endif

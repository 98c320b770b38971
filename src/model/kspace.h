/* kspace.h - the kernel's half of the address space as the kernel documents it
 *
 * The layout of kernel space cannot be read from a process: /proc shows user space
 * only, and KASLR (CONFIG_RANDOMIZE_BASE, CONFIG_RANDOMIZE_MEMORY) moves the bases
 * of several regions at boot.  What is here is the documented layout, for drawing:
 * Documentation/arch/x86/x86_64/mm.rst ("Complete virtual memory map with 4-level
 * page tables" and "... 5-level page tables"), and for --reference also
 * Documentation/arch/arm64/memory.rst (4 KiB pages: 3 levels, 39-bit; 4 levels,
 * 48-bit) and the i386 constants of arch/x86/Kconfig (PAGE_OFFSET of the VMSPLIT
 * choices), arch/x86/include/asm/page_32_types.h (__VMALLOC_RESERVE) and
 * pgtable_32_areas.h (VMALLOC_OFFSET, FIXADDR_TOP).  Addresses are virtual, in
 * bytes.
 */
#ifndef VMLAYOUT_KSPACE_H
#define VMLAYOUT_KSPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One documented region: [start, last] (last inclusive: the top region ends at
 * 2^64 - 1).  main: one of the regions the diagram names (the others, holes and
 * special-purpose areas, only the full listing). */
struct kspace_region {
	uint64_t start, last;
	const char *name;	/* "kernel text mapping" */
	const char *meaning;	/* one line: what it holds */
	bool main;
	bool randomized;	/* its base moves with KASLR (page_offset_base, ...) */
};

/* A documented layout of one architecture and paging mode. */
struct kspace_layout {
	const char *name;		/* "x86_64", "x86_64-la57", "i386", "arm64-39"... */
	const char *paging;		/* "4-level paging, 48-bit addresses" */
	uint64_t user_end;		/* the end of user space: 2^47, 2^56, 0xc0000000 */
	uint64_t kernel_start;		/* the start of the kernel's part (user_end when
					 * no hole lies between them) */
	const struct kspace_region *regions;	/* from the top of the address space down */
	size_t n;
	unsigned bits;			/* the width of an address: 64 or 32 */
	const char *source;		/* the kernel document or files it is from */
	const char *note;		/* one more line for --reference, or "" */
};

/* The x86-64 layout for levels 4 (48-bit virtual addresses) or 5 (57-bit, la57);
 * NULL for any other number. */
const struct kspace_layout *kspace_x86_64(int levels);

/* The textbook layouts of --reference, by name: "x86_64" (4-level paging),
 * "x86_64-la57" (5-level), "i386" (3G/1G split), "arm64-39" (4 KiB pages, 3
 * levels), "arm64-48" (4 KiB pages, 4 levels; "arm64" is another name for it).
 * NULL for another name. */
const struct kspace_layout *kspace_reference(const char *name);

#endif

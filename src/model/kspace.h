/* kspace.h - the kernel's half of the address space as the kernel documents it
 *
 * The layout of kernel space cannot be read from a process: /proc shows user space
 * only, and KASLR (CONFIG_RANDOMIZE_BASE, CONFIG_RANDOMIZE_MEMORY) moves the bases
 * of several regions at boot.  What is here is the documented layout, for drawing:
 * Documentation/arch/x86/x86_64/mm.rst ("Complete virtual memory map with 4-level
 * page tables" and "... 5-level page tables").  Addresses are virtual, in bytes.
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
	const char *name;		/* "x86_64", "x86_64-la57" */
	const char *paging;		/* "4-level paging (48-bit addresses)" */
	uint64_t user_end;		/* the end of the lower canonical half: 2^47, 2^56 */
	uint64_t kernel_start;		/* the start of the upper half */
	const struct kspace_region *regions;	/* from the top of the address space down */
	size_t n;
};

/* The x86-64 layout for levels 4 (48-bit virtual addresses) or 5 (57-bit, la57);
 * NULL for any other number. */
const struct kspace_layout *kspace_x86_64(int levels);

#endif

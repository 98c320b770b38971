/* kspace.c - the documented kernel address space layouts (see kspace.h)
 *
 * The values are those of the kernel's Documentation/arch/x86/x86_64/mm.rst; each
 * region's last address is the "End addr" column there.  tests/kspace.sh checks
 * them against that table.
 */
#include "config.h"

#include "model/kspace.h"

#define R(s, l, n, m, main, rnd) { UINT64_C(s), UINT64_C(l), n, m, main, rnd }

/* From ffffffff80000000 (-2 GiB) up, and from fffffc0000000000 down to it, the
 * 4-level and 5-level layouts are the same. */
#define COMMON_TOP \
	R(0xffffffffffe00000, 0xffffffffffffffff, "unused hole", "", false, false), \
	R(0xffffffffff600000, 0xffffffffff600fff, "[vsyscall]", \
	  "the legacy vsyscall page, at a fixed address", true, false), \
	R(0xffffffffff000000, 0xffffffffff5fffff, "fixmap", \
	  "kernel-internal fixed mappings (its start varies)", true, false), \
	R(0xffffffffa0000000, 0xfffffffffeffffff, "modules", \
	  "loadable kernel modules", true, false), \
	R(0xffffffff80000000, 0xffffffff9fffffff, "kernel text", \
	  "the kernel image, mapped to physical address 0", true, true), \
	R(0xffffffff00000000, 0xffffffff7fffffff, "unused hole", "", false, false), \
	R(0xffffffef00000000, 0xfffffffeffffffff, "EFI runtime services", \
	  "EFI region mapping space", false, false), \
	R(0xffffff8000000000, 0xffffffeeffffffff, "unused hole", "", false, false), \
	R(0xffffff0000000000, 0xffffff7fffffffff, "%esp fixup stacks", \
	  "stacks for returning to 16-bit segments", false, false), \
	R(0xfffffe8000000000, 0xfffffeffffffffff, "unused hole", "", false, false), \
	R(0xfffffe0000000000, 0xfffffe7fffffffff, "cpu_entry_area", \
	  "per-CPU entry stacks and tables, mapped in user page tables too", true, false), \
	R(0xfffffc0000000000, 0xfffffdffffffffff, "unused hole", "the end of KASLR's range", \
	  false, false)

static const struct kspace_region x86_64_4[] = {
	COMMON_TOP,
	R(0xffffec0000000000, 0xfffffbffffffffff, "KASAN shadow", "KASAN kernels only", false,
	  false),
	R(0xffffeb0000000000, 0xffffebffffffffff, "unused hole", "", false, false),
	R(0xffffea0000000000, 0xffffeaffffffffff, "vmemmap", "struct page array (vmemmap_base)",
	  true, true),
	R(0xffffe90000000000, 0xffffe9ffffffffff, "unused hole", "", false, false),
	R(0xffffc90000000000, 0xffffe8ffffffffff, "vmalloc/ioremap", "vmalloc() and ioremap() "
	  "space (vmalloc_base)", true, true),
	R(0xffffc88000000000, 0xffffc8ffffffffff, "unused hole", "", false, false),
	R(0xffff888000000000, 0xffffc87fffffffff, "direct map", "all physical memory "
	  "(page_offset_base)", true, true),
	R(0xffff880000000000, 0xffff887fffffffff, "LDT remap", "LDT remap for PTI", false, false),
	R(0xffff800000000000, 0xffff87ffffffffff, "guard hole", "reserved for a hypervisor",
	  false, false),
};

static const struct kspace_region x86_64_5[] = {
	COMMON_TOP,
	R(0xffdf000000000000, 0xfffffbffffffffff, "KASAN shadow", "KASAN kernels only", false,
	  false),
	R(0xffd6000000000000, 0xffdeffffffffffff, "unused hole", "", false, false),
	R(0xffd4000000000000, 0xffd5ffffffffffff, "vmemmap", "struct page array (vmemmap_base)",
	  true, true),
	R(0xffd2000000000000, 0xffd3ffffffffffff, "unused hole", "", false, false),
	R(0xffa0000000000000, 0xffd1ffffffffffff, "vmalloc/ioremap", "vmalloc() and ioremap() "
	  "space (vmalloc_base)", true, true),
	R(0xff91000000000000, 0xff9fffffffffffff, "unused hole", "", false, false),
	R(0xff11000000000000, 0xff90ffffffffffff, "direct map", "all physical memory "
	  "(page_offset_base)", true, true),
	R(0xff10000000000000, 0xff10ffffffffffff, "LDT remap", "LDT remap for PTI", false, false),
	R(0xff00000000000000, 0xff0fffffffffffff, "guard hole", "reserved for a hypervisor",
	  false, false),
};

static const struct kspace_layout layouts[] = {
	{ "x86_64", "4-level paging, 48-bit addresses", UINT64_C(0x0000800000000000),
	  UINT64_C(0xffff800000000000), x86_64_4, sizeof(x86_64_4) / sizeof(x86_64_4[0]) },
	{ "x86_64-la57", "5-level paging, 57-bit addresses", UINT64_C(0x0100000000000000),
	  UINT64_C(0xff00000000000000), x86_64_5, sizeof(x86_64_5) / sizeof(x86_64_5[0]) },
};

const struct kspace_layout *kspace_x86_64(int levels)
{
	return levels == 4 ? &layouts[0] : levels == 5 ? &layouts[1] : NULL;
}

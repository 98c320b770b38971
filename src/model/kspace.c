/* kspace.c - the documented kernel address space layouts (see kspace.h)
 *
 * The values are those of the kernel's Documentation/arch/x86/x86_64/mm.rst; each
 * region's last address is the "End addr" column there.  tests/kspace.sh checks
 * them against that table.  The arm64 ones are the tables of
 * Documentation/arch/arm64/memory.rst, and the i386 one the constants named in
 * kspace.h; tests/reference.sh checks every address of the five.
 */
#include "config.h"

#include <string.h>

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
	  "per-CPU entry stacks and tables, in user page tables too", true, false), \
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

/* i386 with CONFIG_VMSPLIT_3G: PAGE_OFFSET 0xc0000000; the direct map ("lowmem")
 * at most 896 MiB: the 1 GiB above PAGE_OFFSET less __VMALLOC_RESERVE (128 MiB);
 * VMALLOC_START 8 MiB (VMALLOC_OFFSET) above its end; then vmalloc, the kmap
 * window (PKMAP_BASE), the cpu_entry_area and the fixmap up to FIXADDR_TOP
 * (0xfffff000), whose boundaries the configuration sets (NR_CPUS, PAE). */
static const struct kspace_region i386_3g[] = {
	R(0xfffff000, 0xffffffff, "top page", "left unmapped above FIXADDR_TOP", false, false),
	R(0xf8800000, 0xffffefff, "vmalloc, kmap, fixmap", "vmalloc() and ioremap(), then "
	  "the kmap window, cpu_entry_area, fixmap", true, false),
	R(0xf8000000, 0xf87fffff, "vmalloc offset", "a hole (VMALLOC_OFFSET): catches "
	  "accesses past the direct map", false, false),
	R(0xc0000000, 0xf7ffffff, "direct map", "lowmem: the first 896 MiB of physical "
	  "memory; the rest is highmem", true, false),
};

/* arm64, 4 KiB pages, 4 levels (48-bit): memory.rst's table, the kasan shadow (a
 * part of the kernel logical memory map in KASAN kernels) left out. */
static const struct kspace_region arm64_48[] = {
	R(0xfffffe0000000000, 0xffffffffffffffff, "guard region", "", false, false),
	R(0xfffffc0000000000, 0xfffffdffffffffff, "vmemmap", "struct page array", true, false),
	R(0xfffffbffff800000, 0xfffffbffffffffff, "guard region", "", false, false),
	R(0xfffffbfffe800000, 0xfffffbffff7fffff, "PCI I/O space", "PCI I/O ports, mapped "
	  "as memory", true, false),
	R(0xfffffbfffe000000, 0xfffffbfffe7fffff, "guard region", "", false, false),
	R(0xfffffbfff0000000, 0xfffffbfffdffffff, "fixed mappings", "kernel-internal fixed "
	  "mappings, from the top down", true, false),
	R(0xffff800080000000, 0xfffffbffefffffff, "vmalloc", "vmalloc() and ioremap() space, "
	  "and the kernel image", true, true),
	R(0xffff800000000000, 0xffff80007fffffff, "modules", "loadable kernel modules", true,
	  true),
	R(0xffff000000000000, 0xffff7fffffffffff, "logical memory map", "all physical "
	  "memory (the linear map, PAGE_OFFSET)", true, true),
};

/* arm64, 4 KiB pages, 3 levels (39-bit): memory.rst gives the two halves, 512 GiB
 * each, and no table of the kernel's. */
static const struct kspace_region arm64_39[] = {
	R(0xffffff8000000000, 0xffffffffffffffff, "kernel", "the kernel's half (linear map, "
	  "modules, vmalloc, vmemmap...)", true, false),
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct kspace_layout layouts[] = {
	{ "x86_64", "4-level paging, 48-bit addresses", UINT64_C(0x0000800000000000),
	  UINT64_C(0xffff800000000000), x86_64_4, N(x86_64_4), 64,
	  "Documentation/arch/x86/x86_64/mm.rst", "" },
	{ "x86_64-la57", "5-level paging, 57-bit addresses", UINT64_C(0x0100000000000000),
	  UINT64_C(0xff00000000000000), x86_64_5, N(x86_64_5), 64,
	  "Documentation/arch/x86/x86_64/mm.rst", "" },
	{ "i386", "3G/1G split (CONFIG_VMSPLIT_3G), 32-bit addresses", UINT64_C(0xc0000000),
	  UINT64_C(0xc0000000), i386_3g, N(i386_3g), 32,
	  "arch/x86/Kconfig, asm/page_32_types.h, asm/pgtable_32_areas.h",
	  "PAGE_OFFSET of the other splits: 2G/2G (VMSPLIT_2G) 0x80000000, 1G/3G 0x40000000" },
	{ "arm64-39", "4 KiB pages, 3 levels, 39-bit addresses", UINT64_C(0x0000008000000000),
	  UINT64_C(0xffffff8000000000), arm64_39, N(arm64_39), 64,
	  "Documentation/arch/arm64/memory.rst", "" },
	{ "arm64-48", "4 KiB pages, 4 levels, 48-bit addresses", UINT64_C(0x0001000000000000),
	  UINT64_C(0xffff000000000000), arm64_48, N(arm64_48), 64,
	  "Documentation/arch/arm64/memory.rst", "KASAN: a shadow at "
	  "0xffff600000000000-0xffff7fffffffffff, in the linear map" },
};

const struct kspace_layout *kspace_x86_64(int levels)
{
	return levels == 4 ? &layouts[0] : levels == 5 ? &layouts[1] : NULL;
}

const struct kspace_layout *kspace_reference(const char *name)
{
	if (strcmp(name, "arm64") == 0)
		name = "arm64-48";
	for (size_t i = 0; i < N(layouts); i++)
		if (strcmp(layouts[i].name, name) == 0)
			return &layouts[i];
	return NULL;
}

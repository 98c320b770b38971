/* sources.h - the offline sources of a struct layout: smaps or maps text, an ELF
 * file on disk, an ELF core dump (and snapshot.h: saving a snapshot directory)
 *
 * Each reader fills the same model as layout_read_pid() (layout.h) and hands it
 * to layout_attribute(), so that the views (diagram, tables, JSON) answer the
 * same questions whatever the source.  What only an offline source knows lives in
 * struct layout_offline (L->offline); L->source says which source made L, and
 * L->figures_unknown says that RSS, PSS, SHARE, private, swap and dirty are
 * unknown (every figure but SIZE): a renderer prints them as unknown ("?" in the
 * text views, null in JSON), never as 0.
 *
 * Units: every address, size and figure here is in bytes.
 *
 * On success a reader returns LAYOUT_OK and L must be freed with layout_free()
 * followed by layout_offline_free() (layout.c calls the latter from layout_free()
 * once wired; calling both is harmless).  On failure L holds nothing to free and
 * msg (msglen bytes) names the file, and the line or the part, that was wrong.
 */
#ifndef VMLAYOUT_SOURCES_H
#define VMLAYOUT_SOURCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"

/* Which source made a struct layout (L->source). */
enum layout_source {
	LAYOUT_SOURCE_PID = 0,		/* a live process: /proc/PID */
	LAYOUT_SOURCE_SNAPSHOT,		/* a snapshot directory (snapshot.h) */
	LAYOUT_SOURCE_SMAPS_TEXT,	/* smaps text: figures known */
	LAYOUT_SOURCE_MAPS_TEXT,	/* maps text: no figures (figures_unknown) */
	LAYOUT_SOURCE_ELF_FILE,		/* what the kernel's ELF loader would map */
	LAYOUT_SOURCE_CORE,		/* an ELF core dump: SIZE and dumped bytes */
	LAYOUT_SOURCE_COUNT
};

/* "pid", "snapshot", "smaps", "maps", "elf", "core" (JSON "source.kind"). */
const char *layout_source_name(int source);

/* One PT_LOAD segment of an ELF file, as the kernel's loader maps it
 * (fs/binfmt_elf.c elf_map(), set_brk()/padzero()).  Addresses are run-time
 * addresses (file address + load bias), page-rounded where they say so. */
struct layout_segment {
	unsigned phdr_index;	/* index in the program header table */
	uint32_t flags;		/* p_flags: PF_R | PF_W | PF_X */
	uint64_t vaddr;		/* p_vaddr + bias (not rounded) */
	uint64_t offset;	/* p_offset */
	uint64_t filesz, memsz;	/* p_filesz, p_memsz */
	uint64_t align;		/* p_align */
	uint64_t map_start;	/* page_down(vaddr): the file-backed VMA's vm_start */
	uint64_t map_end;	/* page_up(vaddr + filesz): its vm_end (== map_start
				 * when filesz is 0: no file-backed VMA) */
	uint64_t bss_start;	/* page_up(vaddr + filesz): the anonymous VMA's start */
	uint64_t bss_end;	/* page_up(vaddr + memsz): its end (== bss_start: none) */
	bool relro;		/* PT_GNU_RELRO lies in it */
	uint64_t relro_start, relro_end;	/* the page-rounded RELRO part */
	char *sections;		/* malloc'd, the SHF_ALLOC sections inside
				 * [vaddr, vaddr + memsz), space-separated in address
				 * order (".text .fini"), "" when none or no section headers */
};

/* What only an offline source knows (L->offline). */
struct layout_offline {
	char *path;		/* the file or directory read (malloc'd) */

	/* core: per VMA (index as L->vmas.v), the bytes of it that the core holds
	 * (its PT_LOAD p_filesz): 0 for a VMA the kernel did not dump (file-backed
	 * text, guard pages; see coredump_filter).  NULL for other sources. */
	uint64_t *dumped;
	uint64_t dumped_total;
	int signal;		/* core: the signal that killed it (NT_PRSTATUS pr_cursig), or 0 */
	bool files_checked;	/* core, text: each mapped file was checked (size,
				 * inode or build-id) before it was used */

	/* ELF file: the segments, in program header order, and the rest of the
	 * program headers. */
	struct layout_segment *segments;
	size_t n_segments;
	uint16_t elf_type;	/* e_type: ET_EXEC, ET_DYN */
	uint64_t bias;		/* the load bias used (0 for ET_EXEC) */
	uint64_t entry;		/* e_entry + bias */
	char *interp;		/* PT_INTERP (malloc'd), or NULL */
	bool has_gnu_stack;	/* a PT_GNU_STACK header is present */
	bool exec_stack;	/* the stack would be executable (PF_X, or no PT_GNU_STACK) */
	bool has_tls;		/* PT_TLS */
	uint64_t tls_vaddr, tls_filesz, tls_memsz, tls_align;	/* PT_TLS (vaddr + bias) */
};

/* Free L->offline and set it to NULL; L may have none.  Safe to call twice. */
void layout_offline_free(struct layout *L);

/* smaps text (or, with maps_only, maps text), as pasted from a bug report, read
 * from fd to end of file.  Figures come from the text (L->figures_unknown for maps
 * text: it has none).  ELF headers are read from the files themselves, looked up by
 * path under sysroot (NULL or "" for "/"), and used only when the file's inode
 * equals the inode of the line; the device is not compared, since the text may come
 * from another machine (a device number means nothing there).  A file that is
 * missing or has another inode is attributed by heuristics (roles from
 * permissions) with a warning that says so.  Returns LAYOUT_OK, or LAYOUT_ERROR
 * with msg "line N: why" for a malformed line (errno ENOEXEC), or the read error. */
enum layout_status layout_read_smaps_text(struct layout *L, int fd, bool maps_only,
					  const char *sysroot, char *msg, size_t msglen);

/* The address space the kernel's ELF loader (fs/binfmt_elf.c load_elf_binary())
 * would create from the ELF file at path, without its interpreter, stack or heap:
 * each PT_LOAD page-rounded at p_vaddr (ET_EXEC) or p_vaddr + base (ET_DYN: base 0
 * unless given; it must be page aligned), with its permissions and file offset, the
 * part beyond p_filesz an anonymous VMA of its own (bss), PT_GNU_RELRO marked as
 * relro.  page_size 0 means this machine's.  L->offline->segments lists the
 * segments with the sections (section headers, SHF_ALLOC) that fall in each;
 * L->figures_unknown (only sizes).  An executable stack (PF_X in PT_GNU_STACK, or
 * no PT_GNU_STACK) gives a warning.  Returns LAYOUT_OK, or LAYOUT_ERROR with msg
 * naming path: not an ELF file, a core, no PT_LOAD, an unaligned base. */
enum layout_status layout_read_elf_file(struct layout *L, const char *path, uint64_t base,
					uint64_t page_size, char *msg, size_t msglen);

/* An ELF core dump (as the kernel's or gdb's gcore writes them): the VMAs from its
 * PT_LOAD headers, their files and offsets from the NT_FILE note, the auxiliary
 * vector from NT_AUXV, the command from NT_PRPSINFO, the threads and their stack
 * pointers from each NT_PRSTATUS (x86-64 and i386 register layouts).  The mapped
 * files are looked up by path under sysroot (NULL: "/") for their ELF headers; a
 * core records no inode, so a file is used only when its size covers every
 * mapping of it and, when the core holds the file's first page, its ELF and
 * program headers equal the dumped ones; otherwise roles come from permissions
 * with a warning.  Figures: SIZE, and the dumped bytes per VMA in
 * L->offline->dumped; RSS and the rest unknown (L->figures_unknown).  Returns
 * LAYOUT_OK, or LAYOUT_ERROR with msg naming path: not ELF, not a core, cut short
 * (a PT_LOAD or the notes beyond the end of the file), no PT_LOAD. */
enum layout_status layout_read_core(struct layout *L, const char *path, const char *sysroot,
				    char *msg, size_t msglen);

/* For the sources (source_*.c): open the file at path (absolute) under sysroot
 * (NULL or "" for "/"), symbolic links resolved inside sysroot (openat2
 * RESOLVE_IN_ROOT where the kernel has it), a regular file only (checked with
 * O_PATH and fstat() before it is opened for reading).  Fills *st.  Returns a
 * read-only fd, or -1 with errno (ENOENT, EACCES, EINVAL: not a regular file). */
struct stat;
int sources_open_file(const char *sysroot, const char *path, struct stat *st);

/* For the sources: the L->offline of L, allocated (zeroed) when missing; NULL with
 * errno ENOMEM. */
struct layout_offline *layout_offline_get(struct layout *L);

#endif

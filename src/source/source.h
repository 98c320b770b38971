/* source.h - where a struct layout comes from: one small table of callbacks
 *
 * A source is what vmlayout reads a process from: a live process (/proc/PID), a
 * snapshot directory (snapshot.h), smaps or maps text, an ELF file on disk, an ELF
 * core dump.  Each is a struct source with an ops table, made by its source_open_*()
 * function; layout_build() (layout.h) runs the same steps for all of them:
 *
 *	ops->read()	fills a fresh model (layout_init()) through the model's
 *			constructor calls: the VMAs with their figures, identity,
 *			counters, mm boundaries, auxv, threads, the executable;
 *	attribution	roles, regions and objects (layout_attribute()), opening
 *			each mapped ELF file through ops->open_elf();
 *	ops->finish()	what the source adds once the objects are known (warnings
 *			about files it could not match; a last look at a live process);
 *	derive		regions, object spans, VM counters (layout_derive()).
 *
 * The source stays open while the views run, so that --addr reads the sections
 * and symbols of a mapped file through the same ops->open_elf(); source_close()
 * frees it.  Nothing downstream knows which source made a layout except through the
 * model's fields (L->source, L->figures_unknown, L->offline).
 *
 * Units: every address, size and figure is in bytes.
 */
#ifndef VMLAYOUT_SOURCE_H
#define VMLAYOUT_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/layout.h"

struct elf_cache;
struct stat;

struct source_ops {
	/* Fill L, which layout_init() made, with what the source holds; ELF headers
	 * the source needs before attribution (the executable's class and machine)
	 * are read through cache.  Returns LAYOUT_OK, or another status with msg
	 * (msglen bytes) naming what was wrong and errno set; L is freed by the
	 * caller either way. */
	enum layout_status (*read)(void *priv, struct layout *L, struct elf_cache *cache,
				   char *msg, size_t msglen);
	/* Open the file that VMA v of L maps, to read its ELF headers, sections and
	 * symbols: a read-only fd of a regular file that is the mapped file (the
	 * caller closes it), or -1 with errno (ENOENT: not found; ESTALE: another file
	 * is there now; ESRCH: the process has exited; EACCES). */
	int (*open_elf)(void *priv, const struct layout *L, const struct vma *v);
	/* Optional (NULL): how many of the pages of [start, end) (bytes, multiples of
	 * page, the process's page size) are present in memory and how many swapped
	 * out, from /proc/PID/pagemap (bits 63 and 62 of each entry: readable by the
	 * process's owner, no privilege needed).  Returns 0, or -1 with errno. */
	int (*count_pages)(void *priv, uint64_t start, uint64_t end, uint64_t page,
			   uint64_t *present, uint64_t *swapped);
	/* Optional (NULL): called after attribution.  Returns
	 * LAYOUT_OK, or a status (LAYOUT_EXITED: the process is gone, the report
	 * would be half made). */
	enum layout_status (*finish)(void *priv, struct layout *L, struct elf_cache *cache);
	/* Free priv. */
	void (*close)(void *priv);
};

struct source {
	const struct source_ops *ops;
	void *priv;
};

/* What a live source reads beyond what every view needs. */
enum {
	SOURCE_READ_ROLLUP = 1 << 0,	/* /proc/PID/smaps_rollup (a second walk of the
					 * page tables in the kernel): L->rollup */
};

/* A live process: /proc/PID, opened now as one directory fd (a PID reused later
 * cannot mix two processes).  flags: SOURCE_READ_*.  Returns 0, or -1 with errno
 * ESRCH (no such process), ENOMEM, or the error of open(2). */
int source_open_pid(struct source *src, pid_t pid, unsigned flags);

/* A snapshot directory written by snapshot_save() (snapshot.h).  Returns 0, or -1
 * with errno (the error of open(2) on dir: ENOENT, ENOTDIR, EACCES; ENOMEM). */
int source_open_snapshot(struct source *src, const char *dir);

/* smaps text (or, with maps_only, maps text), read from fd to end of file; fd is
 * not closed.  name: what the text was read from (a file name, or "-"), copied.
 * The mapped files' ELF headers are read from the files under sysroot (NULL or ""
 * for "/"), used only when the file's inode equals the inode of the line (the
 * device is not compared: the text may come from another machine).  Returns 0, or
 * -1 with errno ENOMEM. */
int source_open_text(struct source *src, int fd, bool maps_only, const char *sysroot,
		     const char *name);

/* The address space the kernel's ELF loader (fs/binfmt_elf.c load_elf_binary())
 * would create from the ELF file at path, without its interpreter, stack or heap:
 * each PT_LOAD page-rounded at p_vaddr (ET_EXEC) or p_vaddr + base (ET_DYN; base
 * must be page aligned), the part beyond p_filesz an anonymous VMA of its own
 * (bss), PT_GNU_RELRO read-only.  page_size 0 means this machine's.  Returns 0, or
 * -1 with errno ENOMEM; a file that is not a usable ELF file is the read's error. */
int source_open_elf(struct source *src, const char *path, uint64_t base, uint64_t page_size);

/* An ELF core dump (the kernel's, or gdb's gcore); mapped files are looked up under
 * sysroot (NULL: "/").  Returns 0, or -1 with errno ENOMEM. */
int source_open_core(struct source *src, const char *path, const char *sysroot);

/* Free what src holds; src may be closed twice. */
void source_close(struct source *src);

/* For the sources: what the executable's ELF header says (class, e_machine,
 * e_type, PT_INTERP, DT_FLAGS_1) into L->elf_class, machine, exe_type, exe_has_interp,
 * exe_pie_flag. */
struct elf_info;
void source_set_exe_elf(struct layout *L, const struct elf_info *ei);

/* For the sources: open the file at path (absolute) under sysroot (NULL or "" for
 * "/"), symbolic links resolved inside sysroot (openat2 RESOLVE_IN_ROOT where the
 * kernel has it), a regular file only (checked with O_PATH and fstat() before it is
 * opened for reading).  Fills *st.  Returns a read-only fd, or -1 with errno
 * (ENOENT, EACCES, EINVAL: not a regular file). */
int sources_open_file(const char *sysroot, const char *path, struct stat *st);

#endif

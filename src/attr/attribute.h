/* attribute.h - attribution: every VMA's role and object, and the pipeline that
 * reads a source and attributes it
 *
 * Units: bytes.
 */
#ifndef VMLAYOUT_ATTRIBUTE_H
#define VMLAYOUT_ATTRIBUTE_H

#include <stddef.h>

#include "model/layout.h"

struct elf_cache;
struct source;

/* The pipeline: a fresh model from src (source.h) read and attributed.
 * ELF files are read through cache (elf_cache_new(); the caller keeps it: a
 * machine-wide run shares one).  Returns LAYOUT_OK with L filled (free it with
 * layout_free()), or another status with L holding nothing to free, msg (msglen
 * bytes) saying why for LAYOUT_ERROR, and errno set. */
enum layout_status layout_build(struct layout *L, struct source *src, struct elf_cache *cache,
				char *msg, size_t msglen);

/* Attribution: given L with its VMAs in address order, page_size,
 * and whatever else the source knew (mm, auxv, threads with their stack pointers,
 * the executable's identity), give every VMA a role and an object, and mark thread
 * stacks.  ELF files are read through src's open_elf, each once (cache).  Problems
 * go to L->warnings.  Returns 0, or -1 with errno ENOMEM when an object or the
 * cache could not be allocated (the roles are then incomplete). */
int layout_attribute(struct layout *L, struct elf_cache *cache, struct source *src);

#endif

/* maps_text.c - smaps or maps text as a source (see source.h)
 *
 * Text pasted from a bug report or saved from another machine: the VMAs and their
 * figures are the text's; the mapped files' ELF headers are read from the files
 * under the sysroot when their inode matches the line's.  Without a process to ask,
 * the executable is taken to be the first file mapped.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "elf/elfinfo.h"
#include "source/smaps.h"
#include "source/source.h"

struct text_source {
	int fd;
	bool maps_only;
	char *sysroot;		/* NULL for "/" */
	char *name;		/* what the text was read from */
	size_t mismatched, missing;	/* files with another inode, files not found */
};

/* A file of the text: the one at its path with its inode, else -1 (ESTALE:
 * another file is there now; ENOENT). */
static int text_open_elf(void *priv, const struct layout *L, const struct vma *v)
{
	struct text_source *t = priv;
	struct stat st;
	int fd = sources_open_file(t->sysroot, vma_name(&L->vmas, v), &st);

	if (fd < 0) {
		if (!v->deleted)
			t->missing++;
		return -1;
	}
	if ((uint64_t)st.st_ino != v->inode || (uint64_t)st.st_size <= v->offset) {
		close(fd);
		t->mismatched++;
		errno = ESTALE;
		return -1;
	}
	return fd;
}

static bool is_interp_name(const char *p)
{
	const char *b = strrchr(p, '/');

	b = b ? b + 1 : p;
	return strncmp(b, "ld-", 3) == 0 || strncmp(b, "ld.so", 5) == 0;
}

static enum layout_status text_read(void *priv, struct layout *L, struct elf_cache *cache,
				    char *msg, size_t msglen)
{
	struct text_source *t = priv;
	struct smaps_error perr;

	(void)cache;
	if (smaps_parse_fd(t->fd, &L->vmas, &perr) < 0) {
		int e = errno;
		if (e == ENOEXEC)
			snprintf(msg, msglen, "line %lu: %s", perr.line, perr.msg);
		else
			snprintf(msg, msglen, "%s", strerror(e));
		errno = e;
		return LAYOUT_ERROR;
	}
	if (L->vmas.n == 0) {
		snprintf(msg, msglen, "no VMA: not smaps or maps text");
		errno = ENOEXEC;
		return LAYOUT_ERROR;
	}
	struct layout_offline *off = layout_offline_get(L);
	if (!off || !(off->path = strdup(t->name))) {
		snprintf(msg, msglen, "%s", strerror(ENOMEM));
		errno = ENOMEM;
		return LAYOUT_ERROR;
	}
	struct vma_list *l = &L->vmas;
	if (t->maps_only || !l->has_figures) {
		for (size_t i = 0; i < l->n; i++) {
			memset(l->v[i].kib, 0, sizeof(l->v[i].kib));
			l->v[i].wide = NULL;	/* freed with the list */
			l->v[i].has_figures = false;
		}
		l->has_figures = false;
		l->n_extra = 0;
		L->figures_unknown = true;
		L->source = LAYOUT_SOURCE_MAPS_TEXT;
	} else {
		L->source = LAYOUT_SOURCE_SMAPS_TEXT;
	}
	L->consistent = true;
	L->reads = 1;
	if (vma_list_check_order(l) != l->n) {
		size_t kept = 0;
		for (size_t i = 0; i < l->n; i++) {
			if (l->v[i].start >= l->v[i].end ||
			    (kept && l->v[i].start < l->v[kept - 1].end))
				continue;
			l->v[kept++] = l->v[i];
		}
		layout_warn(L, "the text's VMAs overlap or are out of order (the process changed "
			    "while it was read): %zu left out", l->n - kept);
		l->n = kept;
		l->n_extra = 0;
		L->consistent = false;
	}

	/* What the text tells: the page size (KernelPageSize), the executable (the
	 * first file mapped: the kernel maps it first, lowest but for a static PIE's
	 * brk), a 64-bit address space when an address is beyond 4 GiB. */
	L->page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	if (!L->figures_unknown && vma_fig(&l->v[0], SF_KERNEL_PAGE_SIZE))
		L->page_size = vma_fig(&l->v[0], SF_KERNEL_PAGE_SIZE);
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].end > UINT64_C(0x100000000))
			L->elf_class = 64;
	if (!L->elf_class)
		L->elf_class = 32;
	for (size_t i = 0; i < l->n; i++) {
		const struct vma *v = &l->v[i];
		if (v->name_kind == VMA_NAME_PATH && v->inode) {
			L->exe = strdup(vma_name(l, v));
			L->exe_dev_major = v->dev_major;
			L->exe_dev_minor = v->dev_minor;
			L->exe_ino = v->inode;
			L->has_exe_id = true;
			break;
		}
		if (v->name_kind != VMA_NAME_NONE)
			break;
	}
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].name_kind == VMA_NAME_HEAP) {
			L->mm.brk = (struct opt_addr){ l->v[i].end, true };
			break;
		}
	return LAYOUT_OK;
}

/* After attribution: the executable's ELF header (from the attribution's reads),
 * the interpreter by its name, and what could not be matched. */
static enum layout_status text_finish(void *priv, struct layout *L, struct elf_cache *cache)
{
	struct text_source *t = priv;

	if (L->has_exe_id) {
		const struct elf_cache_entry *ce = elf_cache_lookup(
			cache, makedev(L->exe_dev_major, L->exe_dev_minor), (ino_t)L->exe_ino);
		if (ce && ce->ok)
			source_set_exe_elf(L, &ce->ei);
		layout_warn(L, "no process to ask: the executable is taken to be %s, the first "
			    "file mapped", L->exe ? L->exe : "?");
	}
	if (L->machine == EM_X86_64 && L->elf_class == 64)
		L->task_size = (struct opt_addr){ UINT64_C(0x7ffffffff000), true };
	for (size_t i = 0; i < L->n_objects; i++)
		if (L->objects[i].kind == OBJECT_LIBRARY &&
		    is_interp_name(layout_object_path(L, &L->objects[i])))
			L->objects[i].kind = OBJECT_INTERPRETER;
	if (t->missing || t->mismatched)
		layout_warn(L, "%zu mapped files not found under %s and %zu with another inode "
			    "there (the text may come from another machine): their VMAs are "
			    "attributed by heuristics, from their permissions", t->missing,
			    t->sysroot ? t->sysroot : "/", t->mismatched);
	if (L->figures_unknown)
		layout_warn(L, "maps text has no figures: RSS, PSS, SHARE, private and swap "
			    "are unknown");
	/* counted once: --addr opens files again later */
	t->missing = t->mismatched = 0;
	return LAYOUT_OK;
}

static void text_close(void *priv)
{
	struct text_source *t = priv;

	free(t->sysroot);
	free(t->name);
	free(t);
}

static const struct source_ops text_ops = {
	.read = text_read,
	.open_elf = text_open_elf,
	.finish = text_finish,
	.close = text_close,
};

int source_open_text(struct source *src, int fd, bool maps_only, const char *sysroot,
		     const char *name)
{
	struct text_source *t = calloc(1, sizeof(*t));

	src->ops = NULL;
	src->priv = NULL;
	if (!t)
		return -1;
	t->fd = fd;
	t->maps_only = maps_only;
	t->name = strdup(name);
	t->sysroot = sysroot && sysroot[0] ? strdup(sysroot) : NULL;
	if (!t->name || (sysroot && sysroot[0] && !t->sysroot)) {
		text_close(t);
		errno = ENOMEM;
		return -1;
	}
	src->ops = &text_ops;
	src->priv = t;
	return 0;
}

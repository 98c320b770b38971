/* source_text.c - smaps or maps text as a source (see sources.h), and what the
 * offline sources share */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "elfinfo.h"
#include "sources.h"

const char *layout_source_name(int source)
{
	static const char *const n[LAYOUT_SOURCE_COUNT] = {
		[LAYOUT_SOURCE_PID] = "pid", [LAYOUT_SOURCE_SNAPSHOT] = "snapshot",
		[LAYOUT_SOURCE_SMAPS_TEXT] = "smaps", [LAYOUT_SOURCE_MAPS_TEXT] = "maps",
		[LAYOUT_SOURCE_ELF_FILE] = "elf", [LAYOUT_SOURCE_CORE] = "core",
	};

	return source >= 0 && source < LAYOUT_SOURCE_COUNT ? n[source] : "?";
}

struct layout_offline *layout_offline_get(struct layout *L)
{
	if (!L->offline)
		L->offline = calloc(1, sizeof(*L->offline));
	return L->offline;
}

void layout_offline_free(struct layout *L)
{
	struct layout_offline *o = L->offline;

	if (!o)
		return;
	free(o->path);
	free(o->dumped);
	for (size_t i = 0; i < o->n_segments; i++)
		free(o->segments[i].sections);
	free(o->segments);
	free(o->interp);
	free(o);
	L->offline = NULL;
}

int sources_open_file(const char *sysroot, const char *path, struct stat *st)
{
	int pfd = -1;

	if (!path || path[0] != '/') {
		errno = ENOENT;
		return -1;
	}
	if (sysroot && sysroot[0] && strcmp(sysroot, "/") != 0) {
		int root = open(sysroot, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root < 0)
			return -1;
#ifdef SYS_openat2
		struct open_how how = {
			.flags = O_PATH | O_CLOEXEC,
			.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
		};
		pfd = (int)syscall(SYS_openat2, root, path + 1, &how, sizeof(how));
		if (pfd < 0 && errno == ENOSYS)
#endif
			pfd = openat(root, path + 1, O_PATH | O_CLOEXEC);
		int e = errno;
		close(root);
		errno = e;
	} else {
		pfd = open(path, O_PATH | O_CLOEXEC);
	}
	if (pfd < 0)
		return -1;
	if (fstat(pfd, st) < 0 || !S_ISREG(st->st_mode)) {
		close(pfd);
		errno = EINVAL;
		return -1;
	}
	char self[64];
	snprintf(self, sizeof(self), "/proc/self/fd/%d", pfd);
	int fd = open(self, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	int e = errno;
	close(pfd);
	errno = e;
	return fd;
}

/* ------------------------------------------------------------------ smaps text */

struct text_opener {
	const char *sysroot;
	size_t mismatched, missing;
};

/* A file of the text: the one at its path with its inode, else -1 (ESTALE:
 * another file is there now; ENOENT). */
static int text_open(void *ctx, const struct layout *L, const struct vma *v)
{
	struct text_opener *t = ctx;
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

enum layout_status layout_read_smaps_text(struct layout *L, int fd, bool maps_only,
					  const char *sysroot, char *msg, size_t msglen)
{
	struct smaps_error perr;

	memset(L, 0, sizeof(*L));
	L->exe_object = -1;
	vma_list_init(&L->vmas);
	msg[0] = '\0';
	if (smaps_parse_fd(fd, &L->vmas, &perr) < 0) {
		int e = errno;
		if (e == ENOEXEC)
			snprintf(msg, msglen, "line %lu: %s", perr.line, perr.msg);
		else
			snprintf(msg, msglen, "%s", strerror(e));
		layout_free(L);
		errno = e;
		return LAYOUT_ERROR;
	}
	if (L->vmas.n == 0) {
		snprintf(msg, msglen, "no VMA: not smaps or maps text");
		layout_free(L);
		errno = ENOEXEC;
		return LAYOUT_ERROR;
	}
	if (!layout_offline_get(L)) {
		snprintf(msg, msglen, "%s", strerror(ENOMEM));
		layout_free(L);
		errno = ENOMEM;
		return LAYOUT_ERROR;
	}
	struct vma_list *l = &L->vmas;
	if (maps_only || !l->has_figures) {
		for (size_t i = 0; i < l->n; i++) {
			memset(l->v[i].fig, 0, sizeof(l->v[i].fig));
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
	if (!L->figures_unknown && l->v[0].fig[SF_KERNEL_PAGE_SIZE])
		L->page_size = l->v[0].fig[SF_KERNEL_PAGE_SIZE];
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

	struct elf_cache *cache = elf_cache_new();
	if (!cache) {
		snprintf(msg, msglen, "%s", strerror(ENOMEM));
		layout_free(L);
		layout_offline_free(L);
		errno = ENOMEM;
		return LAYOUT_ERROR;
	}
	struct text_opener t = { sysroot, 0, 0 };
	struct layout_elf_opener op = { text_open, &t };
	layout_attribute(L, cache, &op);
	if (L->has_exe_id) {
		const struct elf_cache_entry *ce = elf_cache_lookup(
			cache, makedev(L->exe_dev_major, L->exe_dev_minor), (ino_t)L->exe_ino);
		if (ce && ce->ok) {
			L->elf_class = ce->ei.elf_class;
			L->machine = ce->ei.machine;
			L->exe_type = ce->ei.type;
			L->exe_has_interp = ce->ei.has_interp;
		}
		layout_warn(L, "no process to ask: the executable is taken to be %s, the first "
			    "file mapped", L->exe ? L->exe : "?");
	}
	if (L->machine == EM_X86_64 && L->elf_class == 64)
		L->task_size = (struct opt_addr){ UINT64_C(0x7ffffffff000), true };
	for (size_t i = 0; i < L->n_objects; i++)
		if (L->objects[i].kind == OBJECT_LIBRARY &&
		    is_interp_name(layout_object_path(L, &L->objects[i])))
			L->objects[i].kind = OBJECT_INTERPRETER;
	if (t.missing || t.mismatched)
		layout_warn(L, "%zu mapped files not found under %s and %zu with another inode "
			    "there (the text may come from another machine): their VMAs are "
			    "attributed by heuristics, from their permissions", t.missing,
			    sysroot && sysroot[0] ? sysroot : "/", t.mismatched);
	if (L->figures_unknown)
		layout_warn(L, "maps text has no figures: RSS, PSS, SHARE, private and swap "
			    "are unknown");
	elf_cache_free(cache);
	return LAYOUT_OK;
}

/* addr.c - what is at an address of a process (see addr.h) */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdarg.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attr/addr.h"
#include "elf/elfinfo.h"
#include "lib/util.h"
#include "source/source.h"

/* More section headers or symbols than this are not looked at (a hostile file). */
#define MAX_SECTIONS 65536
#define MAX_SYMBOLS (1u << 24)

int addr_parse(const char *s, struct addr_query *q, char *err, size_t errlen)
{
	char *end;
	const char *p = s;

	q->addr = 0;
	q->len = 0;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	if (!*p || strspn(p, "0123456789abcdefABCDEF") != strcspn(p, ",")) {
		snprintf(err, errlen, "invalid address '%s': give it in hexadecimal", s);
		return -1;
	}
	errno = 0;
	q->addr = strtoull(p, &end, 16);
	if (errno) {
		snprintf(err, errlen, "invalid address '%s': more than 64 bits", s);
		return -1;
	}
	if (*end == '\0')
		return 0;
	p = end + 1;	/* after ',' */
	if (!*p || *p == '-' || *p == '+') {
		snprintf(err, errlen, "invalid length in '%s'", s);
		return -1;
	}
	errno = 0;
	uint64_t len = strtoull(p, &end, 0);
	int shift = 0;
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M')
		shift = 20;
	else if (*end == 'G')
		shift = 30;
	if (shift)
		end++;
	if (errno || *end || end == p || len == 0 || (shift && len > (UINT64_MAX >> shift))) {
		snprintf(err, errlen, "invalid length in '%s': a positive number of bytes "
			 "(K, M, G: KiB, MiB, GiB)", s);
		return -1;
	}
	len <<= shift;
	if (len - 1 > UINT64_MAX - q->addr) {
		snprintf(err, errlen, "'%s': the range passes the end of the address space", s);
		return -1;
	}
	q->len = len;
	return 0;
}

void addr_info_free(struct addr_info *ai)
{
	free(ai->elf_error);
	free(ai->section);
	free(ai->symbol);
	ai->elf_error = ai->section = ai->symbol = NULL;
}

/* Returns 0, or -1 with errno ENOMEM. */
__attribute__((format(printf, 2, 3)))
static int set_error(struct addr_info *ai, const char *fmt, ...)
{
	va_list ap;
	int n;

	free(ai->elf_error);
	va_start(ap, fmt);
	n = vasprintf(&ai->elf_error, fmt, ap);
	va_end(ap);
	if (n < 0) {
		ai->elf_error = NULL;
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* A file-backed VMA of object obj, to open its file by; or NULL. */
static const struct vma *object_vma(const struct layout *L, int32_t obj)
{
	for (size_t i = 0; i < L->vmas.n; i++) {
		const struct vma *v = &L->vmas.v[i];
		if (v->object == obj && v->inode != 0 && v->name_kind == VMA_NAME_PATH)
			return v;
	}
	return NULL;
}

/* The section holding file address a: the smallest SHF_ALLOC, non-TLS section.
 * Returns 0, or -1 with errno ENOMEM. */
static int find_section(Elf *e, struct addr_info *ai)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	uint64_t best_size = UINT64_MAX;
	const char *best = NULL;
	size_t count = 0;

	if (elf_getshdrstrndx(e, &shstrndx) != 0)
		return 0;
	while ((scn = elf_nextscn(e, scn)) != NULL && count++ < MAX_SECTIONS) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			break;
		if (!(sh.sh_flags & SHF_ALLOC) || (sh.sh_flags & SHF_TLS) || sh.sh_size == 0)
			continue;
		if (ai->file_addr < sh.sh_addr || ai->file_addr - sh.sh_addr >= sh.sh_size)
			continue;
		if (sh.sh_size < best_size) {
			const char *name = elf_strptr(e, shstrndx, sh.sh_name);
			if (name) {
				best = name;
				best_size = sh.sh_size;
			}
		}
	}
	if (best && !(ai->section = strdup(best)))
		return -1;
	return 0;
}

/* The symbol nearest at or below the file address in the table of type
 * (SHT_SYMTAB or SHT_DYNSYM); false when there is no such table. */
static bool find_symbol(Elf *e, struct addr_info *ai, Elf64_Word type)
{
	Elf_Scn *scn = NULL;
	bool found_table = false;
	size_t count = 0;
	const char *best = NULL;
	GElf_Sym bs = { 0 };

	while ((scn = elf_nextscn(e, scn)) != NULL && count++ < MAX_SECTIONS) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			break;
		if (sh.sh_type != type || sh.sh_entsize == 0)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		if (!d)
			continue;
		found_table = true;
		size_t n = sh.sh_size / sh.sh_entsize;
		if (n > MAX_SYMBOLS)
			n = MAX_SYMBOLS;
		for (size_t i = 1; i < n; i++) {
			GElf_Sym s;
			if (!gelf_getsym(d, (int)i, &s))
				break;
			int st = GELF_ST_TYPE(s.st_info);
			if (s.st_shndx == SHN_UNDEF || s.st_shndx == SHN_ABS ||
			    (st != STT_FUNC && st != STT_OBJECT && st != STT_NOTYPE &&
			     st != STT_GNU_IFUNC))
				continue;
			if (s.st_value > ai->file_addr)
				continue;
			/* the highest start; at equal starts one that holds the address,
			 * then a global one */
			bool better = !best || s.st_value > bs.st_value;
			if (best && s.st_value == bs.st_value) {
				bool holds = ai->file_addr - s.st_value < s.st_size;
				bool bholds = ai->file_addr - bs.st_value < bs.st_size;
				better = (holds && !bholds) ||
					 (holds == bholds && GELF_ST_BIND(s.st_info) == STB_GLOBAL &&
					  GELF_ST_BIND(bs.st_info) != STB_GLOBAL);
			}
			if (!better)
				continue;
			const char *name = elf_strptr(e, sh.sh_link, s.st_name);
			if (!name || !*name)
				continue;
			best = name;
			bs = s;
		}
	}
	if (best) {
		ai->symbol = strdup(best);
		ai->sym_table = type == SHT_SYMTAB ? ".symtab" : ".dynsym";
		ai->sym_value = bs.st_value;
		ai->sym_size = bs.st_size;
	}
	return found_table && best;
}

const struct vma *addr_vma_view(const struct layout *L, const struct addr_info *ai,
				struct vma *buf)
{
	const struct vma *v = &L->vmas.v[ai->vma];

	if (!v->bss_pages || (size_t)v->bss_object >= L->n_objects ||
	    ai->vma_offset >= (uint64_t)v->bss_pages * L->page_size)
		return v;
	*buf = *v;
	buf->role = ROLE_BSS;
	buf->region = REGION_BSS;
	buf->object = v->bss_object;
	buf->tid = 0;
	return buf;
}

/* Returns 0, or -1 with errno ENOMEM. */
static int read_elf(const struct layout *L, struct source *src, const struct vma *v,
		    struct addr_info *ai)
{
	const struct object *o = &L->objects[v->object];
	const struct vma *fv = object_vma(L, v->object);
	struct elf_info ei;
	int rc = 0;

	if (!o->has_bias)
		return set_error(ai, "the load bias of the object is not known");
	ai->has_elf = true;
	ai->file_addr = ai->q.addr - o->load_bias;
	if (!fv)
		return set_error(ai, "no VMA maps the object's file");
	int fd = src->ops->open_elf(src->priv, L, fv);
	if (fd < 0)
		return set_error(ai, "%s: %s", layout_object_path(L, o),
				 errno == ESRCH ? "the process has exited" : strerror(errno));
	if (elf_info_read(fd, &ei) == 0) {
		const struct elf_segment *seg =
			elf_info_segment_for_vaddr(&ei, ai->file_addr, L->page_size);
		if (seg) {
			ai->has_segment = true;
			ai->seg = *seg;
		}
	} else {
		rc = set_error(ai, "%s: %s", layout_object_path(L, o),
			       ei.warning[0] ? ei.warning : strerror(errno));
	}
	elf_info_free(&ei);

	elf_version(EV_CURRENT);
	Elf *elf = rc == 0 ? elf_begin(fd, ELF_C_READ, NULL) : NULL;
	if (elf && elf_kind(elf) == ELF_K_ELF) {
		rc = find_section(elf, ai);
		if (rc == 0 && !find_symbol(elf, ai, SHT_SYMTAB))
			find_symbol(elf, ai, SHT_DYNSYM);
		/* the name of a symbol found, not copied */
		if (rc == 0 && ai->sym_table && !ai->symbol) {
			errno = ENOMEM;
			rc = -1;
		}
	} else if (rc == 0 && !ai->elf_error) {
		rc = set_error(ai, "%s: %s", layout_object_path(L, o), elf_errmsg(-1));
	}
	if (elf)
		elf_end(elf);
	close(fd);
	if (rc < 0)
		errno = ENOMEM;
	return rc;
}

int addr_lookup(const struct layout *L, struct source *src, const struct addr_query *q,
		struct addr_info *ai)
{
	const struct vma_list *l = &L->vmas;

	memset(ai, 0, sizeof(*ai));
	ai->q = *q;
	ai->vma = ai->below = ai->above = -1;
	ai->vma = vma_list_find(l, q->addr);
	if (ai->vma < 0) {
		size_t up = vma_list_lower_bound(l, q->addr);
		ai->above = up < l->n ? (ptrdiff_t)up : -1;
		ai->below = up > 0 ? (ptrdiff_t)up - 1 : -1;
	} else {
		const struct vma *v = &l->v[ai->vma];
		ai->vma_offset = q->addr - v->start;
		if (v->inode != 0 && v->name_kind == VMA_NAME_PATH) {
			ai->has_file_offset = true;
			ai->file_offset = v->offset + ai->vma_offset;
		}
		struct vma part;
		v = addr_vma_view(L, ai, &part);
		if (v->object >= 0 && (size_t)v->object < L->n_objects &&
		    read_elf(L, src, v, ai) < 0)
			return -1;
	}
	if (q->len) {
		uint64_t end = q->addr + (q->len - 1);	/* last byte */
		uint64_t covered = 0;
		size_t i = vma_list_lower_bound(l, q->addr);
		ai->range_first = i;
		for (; i < l->n && l->v[i].start <= end; i++) {
			uint64_t a = l->v[i].start > q->addr ? l->v[i].start : q->addr;
			uint64_t b = l->v[i].end - 1 < end ? l->v[i].end - 1 : end;
			covered += b - a + 1;
			ai->range_n++;
		}
		ai->range_unmapped = q->len - covered;
	}
	return 0;
}

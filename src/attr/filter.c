/* filter.c - the VMA filters and the selection they make (see filter.h) */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attr/rollup.h"
#include "attr/filter.h"
#include "lib/util.h"

bool vma_filter_active(const struct vma_filter *f)
{
	return f && (f->roles || f->regions || f->perms || f->perms_not || f->n_globs);
}

typedef const char *(*namer_fn)(int);

static const char *role_namer(int i)
{
	return role_name((enum role)i);
}

static const char *region_namer(int i)
{
	return region_name((enum region)i);
}

static int parse_names(uint32_t *bits, const char *list, int count, namer_fn name,
		       const char *what, char *err, size_t errlen)
{
	for (const char *p = list;;) {
		size_t l = strcspn(p, ",");
		int found = -1;
		for (int i = 0; i < count; i++)
			if (strlen(name(i)) == l && strncasecmp(name(i), p, l) == 0)
				found = i;
		if (found < 0) {
			size_t o = (size_t)snprintf(err, errlen, "unknown %s '%.*s': use", what,
						    (int)(l > 64 ? 64 : l), p);
			for (int i = 0; i < count && o < errlen; i++)
				o += (size_t)snprintf(err + o, errlen - o, "%s %s",
						      i ? (i == count - 1 ? " or" : ",") : "",
						      name(i));
			return -1;
		}
		*bits |= UINT32_C(1) << found;
		if (!p[l])
			return 0;
		p += l + 1;
	}
}

int vma_filter_roles(struct vma_filter *f, const char *list, char *err, size_t errlen)
{
	return parse_names(&f->roles, list, ROLE_COUNT, role_namer, "role", err, errlen);
}

int vma_filter_regions(struct vma_filter *f, const char *list, char *err, size_t errlen)
{
	return parse_names(&f->regions, list, REGION_COUNT, region_namer, "region", err, errlen);
}

int vma_filter_perms(struct vma_filter *f, const char *letters, char *err, size_t errlen)
{
	if (!*letters) {
		snprintf(err, errlen, "empty --perms: use letters of r, w, x, s and p");
		return -1;
	}
	for (const char *p = letters; *p; p++) {
		switch (*p) {
		case 'r':
			f->perms |= VMA_PERM_READ;
			break;
		case 'w':
			f->perms |= VMA_PERM_WRITE;
			break;
		case 'x':
			f->perms |= VMA_PERM_EXEC;
			break;
		case 's':
			f->perms |= VMA_PERM_SHARED;
			break;
		case 'p':
			f->perms_not |= VMA_PERM_SHARED;
			break;
		default:
			snprintf(err, errlen, "invalid --perms letter '%c': use r, w, x, s and p", *p);
			return -1;
		}
	}
	if (f->perms & f->perms_not) {
		snprintf(err, errlen, "--perms: s and p exclude each other");
		return -1;
	}
	return 0;
}

bool vma_filter_match(const struct vma_filter *f, const struct layout *L, size_t i)
{
	const struct vma *v = &L->vmas.v[i];

	if (!f)
		return true;
	/* a VMA with a bss part (layout.h) is also of role bss, region bss */
	uint32_t roles = UINT32_C(1) << v->role, regions = UINT32_C(1) << v->region;
	if (v->bss_pages) {
		roles |= UINT32_C(1) << ROLE_BSS;
		regions |= UINT32_C(1) << REGION_BSS;
	}
	if (f->roles && !(f->roles & roles))
		return false;
	if (f->regions && !(f->regions & regions))
		return false;
	if ((v->perms & f->perms) != f->perms || (v->perms & f->perms_not))
		return false;
	if (f->n_globs) {
		size_t sl;
		const char *s = layout_vma_label(L, v, &sl);
		if (!sl)
			return false;
		/* the name itself first: "[heap]" is the heap, not a bracket
		 * expression that matches a one-letter name */
		for (size_t g = 0; g < f->n_globs; g++)
			if (strcmp(f->globs[g], s) == 0 || fnmatch(f->globs[g], s, 0) == 0 ||
			    fnmatch(f->globs[g], path_base(s), 0) == 0)
				return true;
		return false;
	}
	return true;
}

int vma_selection_init(struct vma_selection *s, const struct layout *L,
		       const struct vma_filter *f)
{
	size_t n = L->vmas.n;

	memset(s, 0, sizeof(*s));
	s->filtered = vma_filter_active(f);
	s->sel = calloc(n ? n : 1, sizeof(*s->sel));
	if (!s->sel) {
		errno = ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (!s->filtered || vma_filter_match(f, L, i)) {
			s->sel[i] = true;
			s->n++;
		}
	if (rollup_sum(&s->sum, L, s->sel) < 0) {
		free(s->sel);
		s->sel = NULL;
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void vma_selection_free(struct vma_selection *s)
{
	free(s->sel);
	s->sel = NULL;
	rollup_free(&s->sum);
}

/* addr_view.c - the --addr report as text and as JSON (see views.h) */
#include "config.h"

#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "lib/util.h"
#include "view/views.h"

static void seg_flags_str(char *b, uint32_t f)
{
	b[0] = f & PF_R ? 'r' : '-';
	b[1] = f & PF_W ? 'w' : '-';
	b[2] = f & PF_X ? 'x' : '-';
	b[3] = '\0';
}

static const char *printable(char *buf, size_t len, const char *s)
{
	return name_printable(buf, len, s, strlen(s), len > 8 ? len - 8 : 1, false);
}

/* "0x7f..-0x7f.. r-xp role NAME" */
static void vma_line(FILE *out, const struct layout *L, const char *lead, size_t i)
{
	const struct vma *v = &L->vmas.v[i];
	char p[5], name[1024];

	vma_perms_str(p, v->perms);
	name_printable(name, sizeof(name), vma_name(&L->vmas, v), v->name_len, 1000, false);
	fprintf(out, "%s0x%" PRIx64 "-0x%" PRIx64 " %s %-12s %s%s\n", lead, v->start, v->end, p,
		role_name(v->role), name, v->deleted ? " (deleted)" : "");
}

void addr_render_text(FILE *out, const struct layout *L, const struct addr_info *ai,
		      bool bytes)
{
	char s1[32], name[1024];

	fprintf(out, "0x%" PRIx64, ai->q.addr);
	if (ai->q.len)
		fprintf(out, ",%s", size_human(s1, sizeof(s1), ai->q.len, bytes));
	if (ai->vma < 0) {
		fprintf(out, ": not mapped\n");
		if (ai->below >= 0) {
			const struct vma *b = &L->vmas.v[ai->below];
			fprintf(out, "  below    (%s after its end) ",
				size_human(s1, sizeof(s1), ai->q.addr - b->end, bytes));
			vma_line(out, L, "", (size_t)ai->below);
		}
		if (ai->above >= 0) {
			const struct vma *a = &L->vmas.v[ai->above];
			fprintf(out, "  above    (%s before its start) ",
				size_human(s1, sizeof(s1), a->start - ai->q.addr, bytes));
			vma_line(out, L, "", (size_t)ai->above);
		}
	} else {
		struct vma part;
		const struct vma *v = addr_vma_view(L, ai, &part);
		fputc('\n', out);
		vma_line(out, L, "  vma      ", (size_t)ai->vma);
		fprintf(out, "  offset   0x%" PRIx64 " in the VMA", ai->vma_offset);
		if (ai->has_file_offset)
			fprintf(out, ", 0x%" PRIx64 " in the file", ai->file_offset);
		fputc('\n', out);
		fprintf(out, "  role     %s  region %s", role_name(v->role), region_name(v->region));
		if (v->tid)
			fprintf(out, "  thread %d", (int)v->tid);
		fputc('\n', out);
		if (v->object >= 0) {
			const struct object *o = &L->objects[v->object];
			fprintf(out, "  object   %s (%s)\n",
				printable(name, sizeof(name), layout_object_path(L, o)),
				object_kind_name(o->kind));
		}
		if (ai->has_elf)
			fprintf(out, "  elf      file address 0x%" PRIx64 "\n", ai->file_addr);
		if (ai->has_segment) {
			char f[4];
			seg_flags_str(f, ai->seg.flags);
			fprintf(out, "  segment  PT_LOAD [%u] %s  p_vaddr 0x%" PRIx64 "  p_offset 0x%" PRIx64
				"  p_filesz 0x%" PRIx64 "  p_memsz 0x%" PRIx64 "\n", ai->seg.phdr_index, f,
				ai->seg.vaddr, ai->seg.offset, ai->seg.filesz, ai->seg.memsz);
		}
		if (ai->section)
			fprintf(out, "  section  %s\n", printable(name, sizeof(name), ai->section));
		if (ai->symbol) {
			fprintf(out, "  symbol   %s+0x%" PRIx64 " (%s", printable(name, sizeof(name),
										ai->symbol),
				ai->file_addr - ai->sym_value, ai->sym_table);
			if (ai->sym_size)
				fprintf(out, ", size %" PRIu64 "%s", ai->sym_size,
					ai->file_addr - ai->sym_value < ai->sym_size ? "" : ", past its end");
			fprintf(out, ")\n");
		}
		if (ai->elf_error)
			fprintf(out, "  warning  %s\n", printable(name, sizeof(name), ai->elf_error));
	}
	if (ai->q.len) {
		char s2[32];
		fprintf(out, "  range    %s from 0x%" PRIx64 ": %zu VMA%s, %s unmapped\n",
			size_human(s2, sizeof(s2), ai->q.len, bytes), ai->q.addr,
			ai->range_n, ai->range_n == 1 ? "" : "s",
			size_human(s1, sizeof(s1), ai->range_unmapped, bytes));
		for (size_t k = 0; k < ai->range_n; k++)
			vma_line(out, L, "           ", ai->range_first + k);
	}
}

static void vma_json(struct jsonwrt *w, const char *key, const struct layout *L, ptrdiff_t i)
{
	if (i < 0) {
		jsonwrt_null(w, key);
		return;
	}
	const struct vma *v = &L->vmas.v[i];
	char p[5];

	vma_perms_str(p, v->perms);
	jsonwrt_object_open(w, key);
	jsonwrt_hex(w, "start", v->start);
	jsonwrt_hex(w, "end", v->end);
	jsonwrt_str(w, "perms", p);
	if (v->name_kind == VMA_NAME_NONE)
		jsonwrt_null(w, "path");
	else
		jsonwrt_strn(w, "path", vma_name(&L->vmas, v), v->name_len);
	jsonwrt_bool(w, "deleted", v->deleted);
	jsonwrt_str(w, "region", region_name(v->region));
	jsonwrt_str(w, "role", role_name(v->role));
	jsonwrt_object_close(w);
}

void addr_render_json(struct jsonwrt *w, const struct layout *L, const struct addr_info *ai)
{
	jsonwrt_object_open(w, NULL);
	jsonwrt_hex(w, "address", ai->q.addr);
	if (ai->q.len)
		jsonwrt_u64(w, "length", ai->q.len);
	else
		jsonwrt_null(w, "length");
	jsonwrt_bool(w, "mapped", ai->vma >= 0);
	vma_json(w, "vma", L, ai->vma);
	vma_json(w, "below", L, ai->below);
	vma_json(w, "above", L, ai->above);
	if (ai->vma >= 0) {
		struct vma part;
		const struct vma *v = addr_vma_view(L, ai, &part);
		render_json_vma_role(w, L, v);
		jsonwrt_u64(w, "vma_offset", ai->vma_offset);
	} else {
		jsonwrt_null(w, "region");
		jsonwrt_null(w, "role");
		jsonwrt_null(w, "object");
		jsonwrt_null(w, "tid");
		jsonwrt_null(w, "vma_offset");
	}
	if (ai->has_file_offset)
		jsonwrt_hex(w, "file_offset", ai->file_offset);
	else
		jsonwrt_null(w, "file_offset");
	if (ai->has_elf) {
		jsonwrt_object_open(w, "elf");
		jsonwrt_hex(w, "file_address", ai->file_addr);
		if (ai->has_segment) {
			char f[4];
			seg_flags_str(f, ai->seg.flags);
			jsonwrt_object_open(w, "segment");
			jsonwrt_u64(w, "index", ai->seg.phdr_index);
			jsonwrt_str(w, "flags", f);
			jsonwrt_hex(w, "p_vaddr", ai->seg.vaddr);
			jsonwrt_hex(w, "p_offset", ai->seg.offset);
			jsonwrt_u64(w, "p_filesz", ai->seg.filesz);
			jsonwrt_u64(w, "p_memsz", ai->seg.memsz);
			jsonwrt_object_close(w);
		} else {
			jsonwrt_null(w, "segment");
		}
		jsonwrt_str(w, "section", ai->section);
		if (ai->symbol) {
			jsonwrt_object_open(w, "symbol");
			jsonwrt_str(w, "name", ai->symbol);
			jsonwrt_str(w, "table", ai->sym_table);
			jsonwrt_hex(w, "value", ai->sym_value);
			jsonwrt_u64(w, "size", ai->sym_size);
			jsonwrt_u64(w, "offset", ai->file_addr - ai->sym_value);
			jsonwrt_bool(w, "inside", ai->file_addr - ai->sym_value < ai->sym_size);
			jsonwrt_object_close(w);
		} else {
			jsonwrt_null(w, "symbol");
		}
		jsonwrt_str(w, "error", ai->elf_error);
		jsonwrt_object_close(w);
	} else {
		jsonwrt_null(w, "elf");
	}
	if (ai->q.len) {
		jsonwrt_object_open(w, "range");
		jsonwrt_hex(w, "start", ai->q.addr);
		jsonwrt_u64(w, "length", ai->q.len);
		jsonwrt_u64(w, "unmapped", ai->range_unmapped);
		jsonwrt_array_open(w, "vmas");
		for (size_t k = 0; k < ai->range_n; k++)
			vma_json(w, NULL, L, (ptrdiff_t)(ai->range_first + k));
		jsonwrt_array_close(w);
		jsonwrt_object_close(w);
	} else {
		jsonwrt_null(w, "range");
	}
	jsonwrt_object_close(w);
}

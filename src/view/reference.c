/* reference.c - --reference=ARCH: a documented address space layout without a
 * process (see views.h) */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "lib/util.h"
#include "model/kspace.h"
#include "view/views.h"

/* One row of the reference: the kernel's regions, the hole between the halves and
 * user space, from the top down. */
struct ref_row {
	uint64_t start, last;
	const char *name, *meaning, *part;
	bool randomized;
};

/* The rows of k into rows (room for 2 * k->n + 2); returns how many.  Where the
 * document lists nothing between two regions (above [vsyscall] in mm.rst), a row
 * says so. */
static size_t ref_rows(const struct kspace_layout *k, struct ref_row *rows)
{
	size_t n = 0;

	for (size_t i = 0; i < k->n; i++) {
		const struct kspace_region *r = &k->regions[i];
		if (n && r->last + 1 != rows[n - 1].start) {
			uint64_t above = rows[n - 1].start;
			rows[n++] = (struct ref_row){ r->last + 1, above - 1, "not in the document",
						      "", "kernel", false };
		}
		rows[n++] = (struct ref_row){ r->start, r->last, r->name, r->meaning, "kernel",
					      r->randomized };
	}
	if (k->kernel_start > k->user_end)
		rows[n++] = (struct ref_row){
			k->user_end, k->kernel_start - 1,
			k->bits == 64 && k->name[0] == 'x' ? "non-canonical hole" : "hole",
			"no page table translates it: a fault, for user and kernel",
			"hole", false };
	rows[n++] = (struct ref_row){ 0, k->user_end - 1, "user space",
				      "the process's own: stack, mmap area, heap, bss, data, code",
				      "user", false };
	return n;
}

static void addr(char *buf, size_t len, const struct kspace_layout *k, uint64_t a)
{
	if (k->bits == 32)
		snprintf(buf, len, "0x%08" PRIx64, a);
	else
		snprintf(buf, len, "0x%016" PRIx64, a);
}

int render_reference_text(FILE *out, const struct kspace_layout *k, bool bytes)
{
	struct ref_row rows[64];
	size_t n = ref_rows(k, rows);
	int aw = k->bits == 32 ? 10 : 18, sw = bytes ? 15 : 9;
	bool kaslr = false;

	for (size_t i = 0; i < n; i++)
		kaslr |= rows[i].randomized;
	fprintf(out, "%s: the documented layout, %s\n", k->name, k->paging);
	fprintf(out, "from the kernel's %s\n", k->source);
	fprintf(out, "(addresses are virtual; END is the last byte%s)\n",
		kaslr ? "; * KASLR moves the base" : "");
	if (k->note[0])
		fprintf(out, "%s\n", k->note);
	fprintf(out, "\n%-*s %-*s %*s  %s\n", aw, "START", aw, "END", sw, "SIZE", "REGION");
	for (size_t i = 0; i < n; i++) {
		char s[24], e[24], w[48];
		const struct ref_row *r = &rows[i];
		addr(s, sizeof(s), k, r->start);
		addr(e, sizeof(e), k, r->last);
		if (bytes)
			snprintf(w, sizeof(w), "%" PRIu64, r->last - r->start + 1);
		else
			size_words(w, sizeof(w), r->last - r->start + 1);
		fprintf(out, "%s %s %*s  %s%s\n", s, e, sw, w, r->name, r->randomized ? " *" : "");
		if (r->meaning[0])
			fprintf(out, "%*s %s\n", aw, "", r->meaning);
	}
	return 0;
}

void render_reference_json(struct jsonwrt *w, const struct kspace_layout *k)
{
	struct ref_row rows[64];
	size_t n = ref_rows(k, rows);

	jsonwrt_object_open(w, NULL);
	jsonwrt_u64(w, "schema", 1);
	jsonwrt_str(w, "reference", k->name);
	jsonwrt_str(w, "paging", k->paging);
	jsonwrt_u64(w, "address_bits", k->bits);
	jsonwrt_str(w, "source", k->source);
	jsonwrt_str(w, "note", k->note[0] ? k->note : NULL);
	jsonwrt_hex(w, "user_end", k->user_end);
	jsonwrt_hex(w, "kernel_start", k->kernel_start);
	jsonwrt_array_open(w, "regions");
	for (size_t i = 0; i < n; i++) {
		jsonwrt_object_open(w, NULL);
		jsonwrt_hex(w, "start", rows[i].start);
		jsonwrt_hex(w, "last", rows[i].last);
		jsonwrt_u64(w, "size", rows[i].last - rows[i].start + 1);
		jsonwrt_str(w, "part", rows[i].part);
		jsonwrt_str(w, "name", rows[i].name);
		jsonwrt_str(w, "meaning", rows[i].meaning[0] ? rows[i].meaning : NULL);
		jsonwrt_bool(w, "kaslr", rows[i].randomized);
		jsonwrt_object_close(w);
	}
	jsonwrt_array_close(w);
	jsonwrt_object_close(w);
}

/* test-table.c - the two printers of the VMA table write the same bytes.
 *
 * Off a terminal "vmlayout --vmas" streams its rows through a printer of its own
 * (view/table.c) instead of libsmartcols, which holds every cell in memory; the
 * streamed printer must lay the table out as libsmartcols does there: widths,
 * alignment, escaping, no truncation.  The same rows of the recorded snapshots
 * (tests/snapshots), of smaps text with hostile names (tests/fixtures, and one made
 * here with UTF-8, wide and invalid characters) and of this process are printed by
 * both (render_vma_table_by()) with several column sets, in the C locale and in
 * C.UTF-8, and the outputs compared.
 *
 * TAP on stdout (tests/tap.h).
 */
#include "config.h"

#include <fcntl.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attr/attribute.h"
#include "elf/elfinfo.h"
#include "model/layout.h"
#include "source/source.h"
#include "tap.h"
#include "view/columns.h"
#include "view/views.h"

static const char *srcdir;

/* L built from src (opened when opened is 0); msg says why not. */
static enum layout_status build(struct layout *L, struct source *src, int opened, char *msg,
				size_t msglen)
{
	struct elf_cache *cache = elf_cache_new();
	enum layout_status st = LAYOUT_ERROR;

	snprintf(msg, msglen, "cannot open the source");
	if (opened == 0 && cache)
		st = layout_build(L, src, cache, msg, msglen);
	source_close(src);
	elf_cache_free(cache);
	return st;
}

/* Names to trip an encoder: UTF-8 of one and two columns, a combining accent, a
 * byte that is no UTF-8, control characters, a backslash before an 'x' and not. */
static const char hostile_smaps[] =
	"00400000-00401000 r--p 00000000 00:00 0 /tmp/caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac\n"
	"00401000-00402000 r--p 00000000 00:00 0 /tmp/e\xcc\x81-\xff-\x01\\012-\x7f\n"
	"00402000-00403000 r--p 00000000 00:00 0 /tmp/back\\x41slash\\n-\\\n"
	"00403000-00404000 rw-p 00000000 00:00 0 \n"
	"00404000-00405000 rw-p 00000000 00:00 0 [anon:x\x1b[31mred]\n";

/* The layout of smaps text (a fixture, or the bytes at text), or false. */
static bool read_text(struct layout *L, const char *fixture, const char *text)
{
	char path[4096], msg[256];
	int fd;

	if (fixture) {
		snprintf(path, sizeof(path), "%s/tests/fixtures/%s", srcdir, fixture);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	} else {
		FILE *f = tmpfile();
		fd = f ? dup(fileno(f)) : -1;
		if (f && (fputs(text, f) == EOF || fflush(f) != 0))
			fd = -1;
		if (f)
			fclose(f);
		if (fd >= 0 && lseek(fd, 0, SEEK_SET) != 0) {
			close(fd);
			fd = -1;
		}
	}
	if (fd < 0)
		return false;
	struct source src;
	enum layout_status st = build(L, &src,
				      source_open_text(&src, fd, false, "/nonexistent", "text"),
				      msg, sizeof(msg));
	close(fd);
	if (st != LAYOUT_OK)
		tap_diag("%s: %s", fixture ? fixture : "hostile names", msg);
	return st == LAYOUT_OK;
}

/* The table through one printer, into memory; NULL on failure. */
static char *print(const struct layout *L, const struct vma_selection *s,
		   const struct table_opts *t, enum table_printer p, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	int rc = render_vma_table_by(f, L, s, t, p);
	if (fclose(f) != 0 || rc < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Show where two outputs part. */
static void diag_difference(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, line = 1, start = 0;

	while (i < alen && i < blen && a[i] == b[i]) {
		if (a[i] == '\n') {
			line++;
			start = i + 1;
		}
		i++;
	}
	tap_diag("they differ at line %zu, byte %zu", line, i);
	tap_diag("libsmartcols: %.*s", (int)strcspn(a + start, "\n"), a + start);
	tap_diag("streamed:     %.*s", (int)strcspn(b + start, "\n"), b + start);
}

static void compare(const char *what, const char *locale, const struct layout *L)
{
	static const char *const sets[] = {
		NULL,				/* the default columns */
		"START,END,ADDRESS,PERMS,OFFSET,DEV,INODE,PATH",	/* a left column last */
		"START,SIZE,ROLE,OBJECT,TID",	/* a right column, mostly empty, last */
		"PATH,VMFLAGS,DELETED,THP_ELIGIBLE,PROTECTION_KEY",
	};
	struct vma_selection s;
	int cols[128];

	if (vma_selection_init(&s, L, NULL) < 0) {
		tap_ok(0, "%s: vma_selection_init()", what);
		return;
	}
	for (size_t set = 0; set < sizeof(sets) / sizeof(sets[0]) + 1; set++) {
		size_t ncols = 0;
		char err[256];
		struct table_opts t = { .cols = cols, .sort = -1 };
		const char *how;
		if (set < sizeof(sets) / sizeof(sets[0]) && sets[set]) {
			if (columns_parse_list(sets[set], cols, &ncols, 128, err, sizeof(err)) < 0) {
				tap_ok(0, "%s: columns %s: %s", what, sets[set], err);
				continue;
			}
			how = sets[set];
		} else if (set == 0) {
			ncols = columns_default(cols, 128);
			how = "default columns";
		} else {
			/* every column, sizes in bytes, no header, sorted by object */
			ncols = columns_count();
			for (size_t k = 0; k < ncols; k++)
				cols[k] = (int)k;
			t.bytes = t.noheadings = t.total = true;
			t.sort = column_lookup("OBJECT", 6);
			how = "every column, --bytes, --noheadings, --sort object, --total";
		}
		t.ncols = ncols;
		size_t alen = 0, blen = 0;
		char *a = print(L, &s, &t, TABLE_SCOLS_OFF_TERMINAL, &alen);
		char *b = print(L, &s, &t, TABLE_STREAMED, &blen);
		bool same = a && b && alen == blen && memcmp(a, b, alen) == 0;
		tap_ok(same && alen > 0, "%s, %s, %s: the same %zu bytes from both printers", what,
		       locale, how, alen);
		if (!same && a && b)
			diag_difference(a, alen, b, blen);
		free(a);
		free(b);
	}
	vma_selection_free(&s);
}

int main(void)
{
	static const char *const locales[] = { "C", "C.UTF-8" };
	static const char *const snapshots[] = { "threads", "shm", "libs" };
	static const char *const fixtures[] = { "target.smaps", "newline.smaps", "spaces.smaps" };

	srcdir = getenv("top_srcdir");
	if (!srcdir || !*srcdir)
		srcdir = ".";
	for (size_t lc = 0; lc < sizeof(locales) / sizeof(locales[0]); lc++) {
		char what[256], msg[256];
		struct layout L;

		if (!setlocale(LC_ALL, locales[lc])) {
			tap_ok(1, "locale %s # SKIP not installed", locales[lc]);
			continue;
		}
		for (size_t i = 0; i < sizeof(snapshots) / sizeof(snapshots[0]); i++) {
			char dir[4096];
			snprintf(dir, sizeof(dir), "%s/tests/snapshots/%s", srcdir, snapshots[i]);
			snprintf(what, sizeof(what), "snapshot %s", snapshots[i]);
			struct source src;
			if (build(&L, &src, source_open_snapshot(&src, dir), msg, sizeof(msg)) !=
			    LAYOUT_OK) {
				tap_ok(0, "%s: %s", what, msg);
				continue;
			}
			compare(what, locales[lc], &L);
			layout_free(&L);
		}
		for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
			if (!read_text(&L, fixtures[i], NULL)) {
				tap_ok(0, "read %s", fixtures[i]);
				continue;
			}
			compare(fixtures[i], locales[lc], &L);
			layout_free(&L);
		}
		if (read_text(&L, NULL, hostile_smaps)) {
			compare("hostile names", locales[lc], &L);
			layout_free(&L);
		} else {
			tap_ok(0, "read the hostile names");
		}
		struct source src;
		if (build(&L, &src, source_open_pid(&src, getpid(), 0), msg, sizeof(msg)) ==
		    LAYOUT_OK) {
			compare("this process", locales[lc], &L);
			layout_free(&L);
		} else {
			tap_ok(0, "read this process: %s", msg);
		}
	}
	return tap_done();
}

/* test-offline.c - a driver for the offline sources, for the tests/offline-*.sh
 * scripts (what the command line does not show goes to stderr here):
 *
 *	test-offline pid PID                 JSON of the live process
 *	test-offline save PID DIR            snapshot_save()
 *	test-offline pack DIR                snapshot_pack()
 *	test-offline expand DIR NAME         snapshot_open_elf_file(): elf/NAME's bytes
 *	test-offline snapshot DIR            JSON of a snapshot (source_open_snapshot())
 *	test-offline smaps FILE [SYSROOT]    JSON of smaps text ("-": stdin)
 *	test-offline maps FILE [SYSROOT]     JSON of maps text
 *	test-offline elf FILE [BASE [PAGE]]  JSON of an ELF file as loaded (at BASE,
 *	                                     with pages of PAGE bytes), then on
 *	                                     stderr one line per segment
 *	test-offline core FILE [SYSROOT]     JSON of a core, then "dumped" lines on stderr
 *
 * The JSON is render_json_value()'s, without a filter; what it cannot show (the
 * figures that are unknown, dumped bytes, segments) goes to stderr as "key value"
 * lines.
 * Exit 0, or 1 with "test-offline: MESSAGE" on stderr.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attr/attribute.h"
#include "model/layout.h"
#include "source/snapshot.h"
#include "elf/elfinfo.h"
#include "source/source.h"
#include "view/views.h"

static int die(const char *msg)
{
	fprintf(stderr, "test-offline: %s\n", msg);
	return 1;
}

static void extras(const struct layout *L)
{
	const struct layout_offline *o = L->offline;

	fprintf(stderr, "source %s\nfigures_unknown %d\n",
		layout_source_name(L->source), L->figures_unknown);
	if (!o)
		return;
	if (o->dumped) {
		fprintf(stderr, "dumped_total %" PRIu64 "\nsignal %d\n", o->dumped_total, o->signal);
		for (size_t i = 0; i < L->vmas.n; i++)
			fprintf(stderr, "dumped 0x%" PRIx64 " %" PRIu64 "\n", L->vmas.v[i].start,
				o->dumped[i]);
	}
	for (size_t i = 0; i < o->n_segments; i++) {
		const struct layout_segment *s = &o->segments[i];
		char fl[4], *p = fl;
		if (s->flags & 4)
			*p++ = 'R';
		if (s->flags & 2)
			*p++ = 'W';
		if (s->flags & 1)
			*p++ = 'E';
		*p = '\0';
		fprintf(stderr, "segment %u %s vaddr 0x%" PRIx64 " offset 0x%" PRIx64
			" filesz 0x%" PRIx64 " memsz 0x%" PRIx64 " map 0x%" PRIx64 "-0x%" PRIx64
			" bss 0x%" PRIx64 "-0x%" PRIx64 " relro %d sections %s\n",
			s->phdr_index, fl, s->vaddr, s->offset, s->filesz, s->memsz,
			s->map_start, s->map_end, s->bss_start, s->bss_end, s->relro,
			s->sections ? s->sections : "");
	}
	if (o->n_segments)
		fprintf(stderr, "entry 0x%" PRIx64 "\ninterp %s\nexec_stack %d\ntls %d\n", o->entry,
			o->interp ? o->interp : "-", o->exec_stack, o->has_tls);
}

/* Build a layout from src (opened, or rc < 0) and show it. */
static int show(struct source *src, int rc, const char *what)
{
	struct layout L;
	struct vma_selection s;
	struct jsonwrt w;
	char msg[512], m[480];
	struct elf_cache *cache = elf_cache_new();
	enum layout_status st = LAYOUT_ERROR;

	m[0] = '\0';
	if (rc < 0)
		snprintf(m, sizeof(m), "%s", strerror(errno));
	else if (cache)
		st = layout_build(&L, src, cache, m, sizeof(m));
	if (st != LAYOUT_OK) {
		snprintf(msg, sizeof(msg), "%s%s%s", what ? what : "", what ? ": " : "",
			 m[0] ? m : "failed");
		source_close(src);
		elf_cache_free(cache);
		return die(msg);
	}
	if (vma_selection_init(&s, &L, NULL) < 0)
		return die(strerror(errno));
	jsonwrt_init(&w, stdout, false);
	render_json_value(&w, &L, &s, NULL);
	jsonwrt_finish(&w);
	vma_selection_free(&s);
	putchar('\n');
	extras(&L);
	layout_free(&L);
	source_close(src);
	elf_cache_free(cache);
	return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct source src = { 0 };
	char msg[512];

	if (argc < 3)
		return die("usage: test-offline pid|save|pack|snapshot|smaps|maps|elf|core ARGS");
	const char *cmd = argv[1], *arg = argv[2], *opt = argc > 3 ? argv[3] : NULL;
	msg[0] = '\0';
	if (strcmp(cmd, "pid") == 0)
		return show(&src, source_open_pid(&src, (pid_t)atoi(arg), SOURCE_READ_ROLLUP), NULL);
	if (strcmp(cmd, "save") == 0) {
		if (!opt)
			return die("save PID DIR");
		if (snapshot_save((pid_t)atoi(arg), opt, msg, sizeof(msg)) < 0)
			return die(msg);
		if (msg[0])
			fprintf(stderr, "test-offline: warning: %s\n", msg);
		return 0;
	}
	if (strcmp(cmd, "pack") == 0)
		return snapshot_pack(arg, msg, sizeof(msg)) < 0 ? die(msg) : 0;
	if (strcmp(cmd, "expand") == 0 && opt) {
		int dfd = open(arg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		int fd = dfd < 0 ? -1 : snapshot_open_elf_file(dfd, opt);
		if (fd < 0) {
			snprintf(msg, sizeof(msg), "%s/elf/%s: %s", arg, opt, strerror(errno));
			return die(msg);
		}
		char buf[65536];
		ssize_t n;
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
				return die("write");
		close(fd);
		close(dfd);
		return n < 0 || fflush(stdout) != 0 ? die("read") : 0;
	}
	if (strcmp(cmd, "snapshot") == 0)
		return show(&src, source_open_snapshot(&src, arg), NULL);
	if (strcmp(cmd, "smaps") == 0 || strcmp(cmd, "maps") == 0) {
		int fd = strcmp(arg, "-") == 0 ? 0 : open(arg, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			snprintf(msg, sizeof(msg), "%s: %s", arg, strerror(errno));
			return die(msg);
		}
		int rc = show(&src, source_open_text(&src, fd, cmd[0] == 'm', opt, arg), arg);
		if (fd > 0)
			close(fd);
		return rc;
	}
	if (strcmp(cmd, "elf") == 0)
		return show(&src, source_open_elf(&src, arg, opt ? strtoull(opt, NULL, 0) : 0,
						  argc > 4 ? strtoull(argv[4], NULL, 0) : 0),
			    NULL);
	if (strcmp(cmd, "core") == 0)
		return show(&src, source_open_core(&src, arg, opt), NULL);
	return die("unknown command");
}

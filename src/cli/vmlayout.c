/* vmlayout.c - the command line: each target read from its source, its report
 * printed (the options: options.c; the messages: msg.c) */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attr/addr.h"
#include "attr/attribute.h"
#include "cli/commands.h"
#include "cli/all.h"
#include "cli/msg.h"
#include "cli/options.h"
#include "elf/elfinfo.h"
#include "model/kspace.h"
#include "model/layout.h"
#include "source/procinfo.h"
#include "source/snapshot.h"
#include "source/source.h"
#include "view/jsonwrt.h"
#include "view/views.h"

static int resolve_name(const char *name, pid_t *pid)
{
	pid_t *pids;
	size_t n;

	if (procinfo_find_by_name(name, &pids, &n) < 0) {
		vml_err(NULL, "looking for '%s'", name);
		return -1;
	}
	if (n == 0) {
		if (access(name, F_OK) == 0)	/* a file of that name is here */
			vml_errx(NULL, "no process named '%s' (to read the file, give it as ./%s)",
				 name, name);
		else
			vml_errx(NULL, "no process named '%s'", name);
		free(pids);
		return -1;
	}
	if (n > 1) {
		/* " PID" each: at most 12 bytes */
		char *list = malloc(n * 12 + 1);
		size_t len = 0;
		for (size_t i = 0; list && i < n; i++)
			len += (size_t)snprintf(list + len, 13, " %d", (int)pids[i]);
		if (list)
			vml_errx(NULL, "several processes are named '%s':%s", name, list);
		else
			vml_errx(NULL, "several (%zu) processes are named '%s'", n, name);
		free(list);
		free(pids);
		return -1;
	}
	*pid = pids[0];
	free(pids);
	return 0;
}

/* The error of a process or file that could not be read (commands.h). */
void report_status(const char *who, enum layout_status st, const char *msg)
{
	switch (st) {
	case LAYOUT_NO_PROCESS:
		vml_errx(who, "no such process");
		break;
	case LAYOUT_EXITED:
		vml_errx(who, "the process has exited");
		break;
	case LAYOUT_ZOMBIE:
		vml_errx(who, "a zombie (no address space)");
		break;
	case LAYOUT_KERNEL_THREAD:
		vml_errx(who, "kernel thread: it has no user address space");
		break;
	case LAYOUT_PERMISSION:
		vml_errx(who, "permission denied: reading smaps needs ptrace read access (run as "
			 "the process's owner or root)");
		break;
	default:
		/* the ELF-file and core sources begin their messages with the path,
		 * which is WHO here: said once */
		if (strncmp(msg, who, strlen(who)) == 0 && strncmp(msg + strlen(who), ": ", 2) == 0)
			msg += strlen(who) + 2;
		if (msg[0])
			vml_errx(who, "%s", msg);
		else
			vml_errx(who, "%s", strerror(errno));
		break;
	}
}

/* Flush stdout (commands.h). */
int close_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno == EPIPE)
			return 0;
		vml_err(NULL, "write error");
		return -1;
	}
	return 0;
}

/* Where the reports go, and how many were printed. */
/* A stream into memory whose failed growth is an error of the stream (ferror()):
 * glibc's open_memstream() drops what it has no memory for and leaves the error
 * unset, so that a view made in memory could come out cut without a word. */
struct membuf {
	char *p;
	size_t len, cap;
};

static ssize_t membuf_write(void *cookie, const char *buf, size_t n)
{
	struct membuf *m = cookie;

	if (n > m->cap - m->len) {
		size_t cap = m->cap ? m->cap : 4096;
		while (cap - m->len < n) {
			if (cap > SIZE_MAX / 2) {
				errno = ENOMEM;
				return 0;
			}
			cap *= 2;
		}
		char *p = realloc(m->p, cap);
		if (!p)
			return 0;	/* stdio marks the stream's error */
		m->p = p;
		m->cap = cap;
	}
	memcpy(m->p + m->len, buf, n);
	m->len += n;
	return (ssize_t)n;
}

struct out {
	struct jsonwrt w;
	bool array_open;
	size_t printed;
};

/* The report about one process (the one that L holds) onto stdout.  Returns 0, or -1
 * with errno (ENOMEM).
 *
 * What a failure leaves on stdout: nothing of the process's report.  Everything that
 * can fail is done before the first byte of it: the selection of the VMAs, the
 * address lookups, and the text view or the SVG, which are made in memory and
 * written whole (a few KiB; tens for the SVG).  --vmas and --json are streamed (the
 * JSON of a large process is tens of MiB): their views take all the memory they need
 * before they write, and return -1 having written nothing.  The exceptions: with
 * several processes, an empty line between two text reports may come before a table
 * that then fails; a write error (a full disk, a closed pipe) leaves the output cut
 * where it happened, for close_stdout() to report. */
static int report(const struct ctl *ctl, struct out *o, const struct layout *L,
		  struct source *src)
{
	bool json_array = ctl->json && !ctl->json_lines && ctl->n_targets > 1;
	struct table_opts t = {
		.cols = ctl->cols, .ncols = ctl->ncols, .sort = ctl->sort_col,
		.sort_desc = ctl->sort_desc,
		.bytes = ctl->bytes, .raw = ctl->raw, .pairs = ctl->pairs,
		.noheadings = ctl->noheadings, .total = ctl->total,
	};
	struct vma_selection s;
	struct addr_info *ai = NULL;
	char *text = NULL;
	size_t text_len = 0;
	int rc = -1, e = 0;

	if (vma_selection_init(&s, L, &ctl->filter) < 0)
		return -1;

	/* what can fail, before writing */
	if (ctl->n_addrs) {
		ai = calloc(ctl->n_addrs, sizeof(*ai));
		if (!ai)
			goto out;
		for (size_t i = 0; i < ctl->n_addrs; i++)
			if (addr_lookup(L, src, &ctl->addrs[i], &ai[i]) < 0)
				goto out;
	} else if (!ctl->vmas && !ctl->json) {
		const char *nc = getenv("NO_COLOR");
		/* the SVG is UTF-8 whatever the locale */
		struct render_opts ro = {
			.bytes = ctl->bytes,
			.ascii = ctl->ascii ||
				 (!ctl->svg && strcmp(nl_langinfo(CODESET), "UTF-8") != 0),
			.color = ctl->color == COLOR_ALWAYS ||
				 (ctl->color == COLOR_AUTO && isatty(STDOUT_FILENO) && !(nc && *nc)),
		};
		struct membuf mb = { 0 };
		FILE *mem = fopencookie(&mb, "w", (cookie_io_functions_t){ .write = membuf_write });
		if (!mem)
			goto out;
		int r = ctl->svg ? render_svg(mem, L, &ro, &s)
				 : render_text_view(mem, L, &ro, &s, ctl->parts);
		e = errno;
		/* the last of the text goes into mb at fflush(): a failure then is
		 * the stream's error too */
		if ((fflush(mem) != 0 || ferror(mem)) && r == 0) {
			r = -1;
			e = ENOMEM;
		}
		fclose(mem);
		text = mb.p;
		text_len = mb.len;
		if (r < 0) {
			errno = e;
			goto out;
		}
	}

	/* the separator between reports, the JSON writer; in an array, the writer is
	 * put back as it was when the view fails: its buffer is flushed after each
	 * report, so what it took of this one has not reached stdout */
	struct out before = *o;
	if (ctl->json) {
		if (ctl->json_lines || !json_array) {
			jsonwrt_init(&o->w, stdout, false);
		} else if (!o->array_open) {
			jsonwrt_init(&o->w, stdout, false);
			jsonwrt_array_open(&o->w, NULL);
			o->array_open = true;
		}
	} else if (o->printed && !ctl->raw && !ctl->pairs) {
		putchar('\n');
	}

	if (ctl->n_addrs) {
		if (ctl->json) {
			jsonwrt_object_open(&o->w, NULL);
			jsonwrt_u64(&o->w, "schema", 1);
			render_json_process(&o->w, L);
			jsonwrt_array_open(&o->w, "addresses");
			for (size_t i = 0; i < ctl->n_addrs; i++)
				addr_render_json(&o->w, L, &ai[i]);
			jsonwrt_array_close(&o->w);
			jsonwrt_object_close(&o->w);
		} else {
			const char *comm = L->has_id ? L->id.comm : L->stat.comm;
			printf("pid %d  %s\n", (int)L->pid, comm);
			for (size_t i = 0; i < ctl->n_addrs; i++)
				addr_render_text(stdout, L, &ai[i], ctl->bytes);
		}
	} else if (ctl->vmas) {
		if ((ctl->json ? render_vma_json(&o->w, L, &s, &t)
			       : render_vma_table(stdout, L, &s, &t)) < 0) {
			if (json_array)
				*o = before;
			goto out;
		}
	} else if (ctl->json) {
		render_json_value(&o->w, L, &s, &ctl->filter);
	} else {
		fwrite(text, 1, text_len, stdout);
	}
	if (ctl->json && !json_array)
		jsonwrt_finish(&o->w);
	else if (ctl->json)
		jsonwrt_flush(&o->w);
	o->printed++;
	rc = 0;
out:
	e = errno;
	if (ai) {
		for (size_t i = 0; i < ctl->n_addrs; i++)
			addr_info_free(&ai[i]);
		free(ai);
	}
	free(text);
	vma_selection_free(&s);
	errno = e;
	return rc;
}

/* The warnings about what L holds, on stderr for every view (the JSON document
 * also has them, in "warnings"). */
static void report_warnings(const char *who, const struct layout *L)
{
	for (size_t i = 0; i < L->n_warnings; i++)
		vml_warnx(who, "%s", L->warnings[i]);
}

/* The source of target i, a path (or --smaps/--maps FILE): a snapshot directory, an
 * ELF executable, shared object or core, or smaps/maps text ("-": standard input).
 * *fd is the text's file descriptor to close after reading (-1: none).  Returns 0,
 * or -1 with msg (and errno). */
static int open_path(const struct ctl *ctl, size_t i, struct source *src, int *fd, char *msg,
		     size_t msglen)
{
	const char *path = ctl->targets[i];
	bool std_in = strcmp(path, "-") == 0;
	struct stat st;

	msg[0] = '\0';
	*fd = -1;
	if (ctl->kinds[i] == TARGET_AUTO && !std_in) {
		if (stat(path, &st) < 0) {
			snprintf(msg, msglen, "%s", strerror(errno));
			return -1;
		}
		if (S_ISDIR(st.st_mode)) {
			if (source_open_snapshot(src, path) == 0)
				return 0;
			snprintf(msg, msglen, "%s", strerror(errno));
			return -1;
		}
		/* an ELF file: executable or shared object, or a core */
		int efd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		unsigned char h[18];
		if (efd < 0 || fstat(efd, &st) < 0 || !S_ISREG(st.st_mode)) {
			snprintf(msg, msglen, "%s", efd < 0 ? strerror(errno) : "not a regular file");
			if (efd >= 0)
				close(efd);
			return -1;
		}
		ssize_t n = pread(efd, h, sizeof(h), 0);
		int e = errno;
		close(efd);
		if (n < 0) {
			snprintf(msg, msglen, "%s", strerror(e));
			return -1;
		}
		if (n == (ssize_t)sizeof(h) && memcmp(h, "\177ELF", 4) == 0) {
			/* e_type, in the file's byte order */
			unsigned type = h[5] == 2 ? (unsigned)(h[16] << 8 | h[17])
						  : (unsigned)(h[17] << 8 | h[16]);
			int rc = type == 4 /* ET_CORE */ ? source_open_core(src, path, ctl->sysroot)
							 : source_open_elf(src, path, ctl->base, 0);
			if (rc < 0)
				snprintf(msg, msglen, "%s", strerror(errno));
			return rc;
		}
	}
	*fd = std_in ? STDIN_FILENO : open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (*fd < 0) {
		snprintf(msg, msglen, "%s", strerror(errno));
		return -1;
	}
	if (source_open_text(src, *fd, ctl->kinds[i] == TARGET_MAPS, ctl->sysroot, path) < 0) {
		snprintf(msg, msglen, "%s", strerror(errno));
		if (!std_in)
			close(*fd);
		*fd = -1;
		return -1;
	}
	if (std_in)
		*fd = -1;	/* not ours to close */
	return 0;
}

/* The PID of target (commands.h). */
pid_t target_pid(const char *target)
{
	long t = options_parse_target(target);
	pid_t pid;

	if (t == 0)
		return resolve_name(target, &pid) < 0 ? -1 : pid;
	return (pid_t)t;
}

int main(int argc, char **argv)
{
	struct ctl ctl;
	static struct out o;
	bool failed = false;

	setlocale(LC_ALL, "");
	if (options_parse(argc, argv, &ctl) < 0) {
		vml_errx(NULL, "%s", strerror(errno));
		return EXIT_FAILURE;
	}
	/* "warning:" in colour only on a terminal, by the rule of --color */
	const char *nc = getenv("NO_COLOR");
	vml_msg_color(isatty(STDERR_FILENO) &&
		      (ctl.color == COLOR_ALWAYS || (ctl.color == COLOR_AUTO && !(nc && *nc))));

	/* a large buffer: the JSON of a big process is tens of MiB */
	static char obuf[1 << 16];
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	signal(SIGPIPE, SIG_IGN);

	if (ctl.all || ctl.openmetrics) {	/* the whole machine: all.c */
		int rc = all_run(&ctl);
		options_free(&ctl);
		return rc;
	}

	if (ctl.list_columns) {
		struct table_opts t = { .raw = ctl.raw, .pairs = ctl.pairs,
					.noheadings = ctl.noheadings, .sort = -1 };
		if (render_columns_list(stdout, &t, ctl.json) < 0) {
			vml_err(NULL, "--list-columns");
			failed = true;
		}
		if (close_stdout() < 0)
			failed = true;
		goto out;
	}

	if (ctl.diff || ctl.watch) {
		int rc = ctl.diff ? diff_main(&ctl) : watch_main(&ctl);
		options_free(&ctl);
		return rc;
	}

	if (ctl.reference) {
		if (ctl.json) {
			struct jsonwrt w;
			jsonwrt_init(&w, stdout, false);
			render_reference_json(&w, ctl.reference);
			jsonwrt_finish(&w);
		} else {
			render_reference_text(stdout, ctl.reference, ctl.bytes);
		}
		if (close_stdout() < 0)
			failed = true;
		goto out;
	}

	for (size_t i = 0; i < ctl.n_targets && !ferror(stdout); i++) {
		struct layout L;
		struct source src = { 0 };
		struct elf_cache *cache = elf_cache_new();
		char msg[256], pid_who[VML_WHO_PID];
		char notes[1024] = "";	/* --save's warnings, one a line */
		const char *target = ctl.targets[i], *who = target;
		pid_t pid = 0;
		int text_fd = -1;
		enum layout_status st = LAYOUT_ERROR;

		msg[0] = '\0';
		if (!cache) {
			vml_errx(who, "%s", strerror(ENOMEM));
		} else if (ctl.kinds[i] != TARGET_AUTO || options_is_path(target)) {
			if (open_path(&ctl, i, &src, &text_fd, msg, sizeof(msg)) == 0)
				st = layout_build(&L, &src, cache, msg, sizeof(msg));
			if (text_fd >= 0)
				close(text_fd);
			if (st != LAYOUT_OK)
				report_status(who, st, msg);
		} else if ((pid = target_pid(target)) >= 0) {
			who = vml_who_pid(pid_who, pid);
			st = LAYOUT_OK;
			if (ctl.save_dir) {
				st = snapshot_save(pid, ctl.save_dir, notes, sizeof(notes)) < 0
					     ? LAYOUT_ERROR : LAYOUT_OK;
				if (st != LAYOUT_OK) {
					snprintf(msg, sizeof(msg), "%.*s", (int)sizeof(msg) - 1, notes);
					notes[0] = '\0';
				} else {
					/* each file is rewritten whole or left as it
					 * is: the snapshot is complete either way */
					if (snapshot_pack(ctl.save_dir, msg, sizeof(msg)) < 0)
						vml_warnx(who, "%s (left sparse)", msg);
					msg[0] = '\0';
				}
				if (st == LAYOUT_OK && source_open_snapshot(&src, ctl.save_dir) < 0) {
					snprintf(msg, sizeof(msg), "%s: %s", ctl.save_dir,
						 strerror(errno));
					st = LAYOUT_ERROR;
				}
			} else if (source_open_pid(&src, pid,
							   ctl.rollup ? SOURCE_READ_ROLLUP : 0) < 0) {
				/* smaps_rollup, a second walk of the page tables: --rollup */
				st = errno == ESRCH ? LAYOUT_NO_PROCESS : LAYOUT_ERROR;
			}
			if (st == LAYOUT_OK)
				st = layout_build(&L, &src, cache, msg, sizeof(msg));
			/* what --save left out: warnings of the report (and of its
			 * JSON document), or on their own when there is none */
			for (char *w = notes; *w;) {
				char *nl = strchr(w, '\n');
				if (nl)
					*nl = '\0';
				if (st == LAYOUT_OK)
					layout_warn(&L, "%s", w);
				else
					vml_warnx(who, "%s", w);
				w = nl ? nl + 1 : w + strlen(w);
			}
			if (st != LAYOUT_OK)
				report_status(who, st, msg);
		}
		if (st == LAYOUT_OK) {
			report_warnings(who, &L);
			if (report(&ctl, &o, &L, &src) < 0) {
				vml_err(who, "report not printed");
				failed = true;
			}
			layout_free(&L);
		} else {
			failed = true;
		}
		source_close(&src);
		elf_cache_free(cache);
	}
	if (o.array_open) {
		jsonwrt_array_close(&o.w);
		jsonwrt_finish(&o.w);
	}
	if (close_stdout() < 0)
		failed = true;
out:
	options_free(&ctl);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* vmlayout.c - the command line: options, process lookup, errors, output */
#include "config.h"

#include <argp.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attr/attribute.h"
#include "attr/addr.h"
#include "view/columns.h"
#include "elf/elfinfo.h"
#include "view/jsonwrt.h"
#include "model/layout.h"
#include "cli/msg.h"
#include "view/parallel.h"
#include "source/procinfo.h"
#include "source/snapshot.h"
#include "source/source.h"
#include "view/views.h"

#define EXIT_USAGE 64
#define MAX_COLS 256

enum color_when { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

enum {
	OPT_COLOR = 0x100,
	OPT_ASCII,
	OPT_JSON_LINES,
	OPT_SUMMARY,
	OPT_OBJECTS,
	OPT_DIAGRAM,
	OPT_OUTPUT_ALL,
	OPT_SORT,
	OPT_ROLE,
	OPT_REGION,
	OPT_PERMS,
	OPT_OBJECT,
	OPT_ADDR,
	OPT_SAVE,
	OPT_SMAPS,
	OPT_MAPS,
	OPT_SYSROOT,
	OPT_BASE,
};

/* What a target on the command line names. */
enum target_kind {
	TARGET_AUTO,		/* PID, NAME, or a path: snapshot directory, ELF file,
				 * core, smaps text ("-": standard input) */
	TARGET_SMAPS,		/* --smaps FILE */
	TARGET_MAPS,		/* --maps FILE */
};

/* Everything the options say. */
struct ctl {
	bool json, json_lines;
	bool bytes;
	bool ascii;
	enum color_when color;
	unsigned parts;			/* TEXT_*: --summary, --objects, --diagram */
	bool vmas;			/* --vmas: the VMA table */
	bool list_columns;
	bool raw, pairs, noheadings;
	const char *output;		/* -o LIST */
	bool output_all;
	const char *sort;		/* --sort COL */
	int cols[MAX_COLS];
	size_t ncols;
	int sort_col;
	struct vma_filter filter;	/* globs: argc entries */
	struct addr_query *addrs;	/* --addr: argc entries */
	size_t n_addrs;
	const char **targets;		/* PID, NAME or path: argc entries */
	enum target_kind *kinds;	/* argc entries */
	size_t n_targets;
	const char *save_dir;		/* --save DIR */
	const char *sysroot;		/* --sysroot DIR */
	uint64_t base;			/* --base ADDR */
	bool has_base;
};

static void print_version(FILE *stream, struct argp_state *state)
{
	(void)state;
	fprintf(stream, "vmlayout %s\n", PACKAGE_VERSION);
}

void (*argp_program_version_hook)(FILE *, struct argp_state *) = print_version;

static const struct argp_option options[] = {
	{ NULL, 0, NULL, 0, "Output:", 1 },
	{ "json", 'j', NULL, 0, "print the JSON document instead of the text view; with "
	  "several processes, a JSON array of documents", 1 },
	{ "json-lines", OPT_JSON_LINES, NULL, 0, "like --json, but one document per line for "
	  "each process, not an array", 1 },
	{ "bytes", 'b', NULL, 0, "print sizes in bytes instead of K/M/G/T (binary units)", 1 },
	{ NULL, 0, NULL, 0, "Text view (the default; any combination of the three parts, "
	  "all when none is given):", 2 },
	{ "diagram", OPT_DIAGRAM, NULL, 0, "print the diagram of the address space", 2 },
	{ "summary", OPT_SUMMARY, NULL, 0, "print the table of the regions", 2 },
	{ "objects", OPT_OBJECTS, NULL, 0, "print the table of the ELF objects", 2 },
	{ "color", OPT_COLOR, "WHEN", OPTION_ARG_OPTIONAL,
	  "colour the text view, and the warnings on stderr: auto (the default: only on a "
	  "terminal, and not when NO_COLOR is set), always or never", 2 },
	{ "ascii", OPT_ASCII, NULL, 0,
	  "draw with ASCII instead of UTF-8 box-drawing characters (automatic when the "
	  "locale's character set is not UTF-8)", 2 },
	{ NULL, 0, NULL, 0, "VMA table:", 3 },
	{ "vmas", 'v', NULL, 0, "print a table of the VMAs, one row each, with its role and "
	  "object", 3 },
	{ "output", 'o', "LIST", 0, "the columns of the table, comma-separated; +LIST adds "
	  "them to the default ones (implies --vmas)", 3 },
	{ "output-all", OPT_OUTPUT_ALL, NULL, 0, "every column (implies --vmas)", 3 },
	{ "list-columns", 'H', NULL, 0, "list the columns and what they hold, and exit", 3 },
	{ "sort", OPT_SORT, "COL", 0, "sort the rows by the column COL, ascending "
	  "(implies --vmas)", 3 },
	{ "raw", 'r', NULL, 0, "raw table: values separated by one space, unusual bytes "
	  "escaped as \\xHH (implies --vmas)", 3 },
	{ "pairs", 'P', NULL, 0, "print the rows as NAME=\"value\" pairs (implies --vmas)", 3 },
	{ "noheadings", 'n', NULL, 0, "print no header line (implies --vmas)", 3 },
	{ NULL, 0, NULL, 0, "Filters (for the tables, the figures of the text view, and "
	  "--json):", 4 },
	{ "role", OPT_ROLE, "LIST", 0, "only the VMAs of these roles (text, rodata, relro, "
	  "data, bss, heap, anon, shm, file, guard, stack, thread_stack, vdso, vvar, vsyscall, "
	  "other)", 4 },
	{ "region", OPT_REGION, "LIST", 0, "only the VMAs of these regions (code, data, bss, "
	  "heap, mmap, stack, special)", 4 },
	{ "perms", OPT_PERMS, "rwxsp", 0, "only the VMAs with all these permissions (s: "
	  "shared, p: private); --perms wx: writable and executable", 4 },
	{ "object", OPT_OBJECT, "GLOB", 0, "only the VMAs whose object (or name) or its base "
	  "name matches the shell pattern GLOB; may be repeated", 4 },
	{ NULL, 0, NULL, 0, "Address lookup:", 5 },
	{ "addr", OPT_ADDR, "ADDR[,LEN]", 0, "what is at the address ADDR (hexadecimal): VMA, "
	  "role, object, ELF segment, section and nearest symbol; with LEN, the VMAs in "
	  "[ADDR, ADDR+LEN); may be repeated", 5 },
	{ NULL, 0, NULL, 0, "Other sources (a target with a '/', or '-', is a path: a "
	  "snapshot directory, an ELF executable or shared object, a core dump, or smaps "
	  "text):", 6 },
	{ "save", OPT_SAVE, "DIR", 0, "save a snapshot of the process into the new directory "
	  "DIR (the file to attach to a bug report), then report from it", 6 },
	{ "smaps", OPT_SMAPS, "FILE", 0, "read smaps text from FILE ('-': standard input), as "
	  "pasted from a bug report", 6 },
	{ "maps", OPT_MAPS, "FILE", 0, "read maps text from FILE ('-': standard input); it has "
	  "no figures: they show as unknown", 6 },
	{ "sysroot", OPT_SYSROOT, "DIR", 0, "look the mapped files up under DIR, for smaps or "
	  "maps text and core dumps", 6 },
	{ "base", OPT_BASE, "ADDR", 0, "load a position-independent ELF file at ADDR "
	  "(hexadecimal, page aligned; default 0)", 6 },
	{ NULL, 0, NULL, 0, "Informational:", -1 },
	{ NULL, 0, NULL, 0, NULL, 0 },
};

/* argp's messages go through this stream: it writes to stderr, with the quotes of
 * "Try `vmlayout --help'" made plain ('), as the other messages have them. */
static ssize_t usage_write(void *cookie, const char *buf, size_t size)
{
	char tmp[256];

	(void)cookie;
	for (size_t done = 0; done < size;) {
		size_t n = size - done < sizeof(tmp) ? size - done : sizeof(tmp);
		for (size_t i = 0; i < n; i++)
			tmp[i] = buf[done + i] == '`' ? '\'' : buf[done + i];
		if (fwrite(tmp, 1, n, stderr) != n)
			return -1;
		done += n;
	}
	return (ssize_t)size;
}

static long parse_target(const char *s);

/* A target with a '/', or "-", names a file or directory, not a process. */
static bool is_path(const char *s)
{
	return strchr(s, '/') || strcmp(s, "-") == 0;
}

/* VMLAYOUT_THREADS: 1 keeps the work on one thread; a larger number allows
 * threads (the default where more than one CPU is available).  Anything else is
 * ignored. */
static void threads_from_environment(void)
{
	const char *env = getenv("VMLAYOUT_THREADS");
	char *end;
	unsigned long n;

	if (!env || !*env)
		return;
	errno = 0;
	n = strtoul(env, &end, 10);
	if (!errno && !*end && *env != '-' && n >= 1 && n <= 1024)
		parallel_set_threads((unsigned)n);
}

/* After the options: the checks between them, and the columns. */
static void finish_options(struct ctl *ctl, struct argp_state *state)
{
	char err[256];
	const char *env = getenv("VMLAYOUT_COLUMNS");

	if (ctl->json_lines)
		ctl->json = true;
	if (ctl->raw && ctl->pairs)
		argp_error(state, "--raw and --pairs exclude each other");
	if (ctl->n_addrs) {
		if (ctl->vmas || ctl->output || ctl->output_all || ctl->sort)
			argp_error(state, "--addr and the VMA table exclude each other");
		if (vma_filter_active(&ctl->filter))
			argp_error(state, "the filters do not apply to --addr");
	} else if (!ctl->list_columns && (ctl->output || ctl->output_all || ctl->sort ||
					  ctl->raw || ctl->pairs || ctl->noheadings)) {
		ctl->vmas = true;
	}
	if (ctl->parts && (ctl->json || ctl->vmas || ctl->n_addrs))
		argp_error(state, "--diagram, --summary and --objects choose parts of the text "
			   "view, not of --json, --vmas or --addr");

	ctl->ncols = columns_default(ctl->cols, MAX_COLS);
	if (env && *env && columns_parse_list(env, ctl->cols, &ctl->ncols, MAX_COLS, err,
					      sizeof(err)) < 0)
		argp_error(state, "VMLAYOUT_COLUMNS: %s", err);
	if (ctl->output_all) {
		ctl->ncols = 0;
		for (size_t i = 0; i < columns_count() && i < MAX_COLS; i++)
			ctl->cols[ctl->ncols++] = (int)i;
	} else if (ctl->output &&
		   columns_parse_list(ctl->output, ctl->cols, &ctl->ncols, MAX_COLS, err,
				      sizeof(err)) < 0) {
		argp_error(state, "%s", err);
	}
	ctl->sort_col = -1;
	if (ctl->sort) {
		ctl->sort_col = column_lookup(ctl->sort, strlen(ctl->sort));
		if (ctl->sort_col < 0)
			argp_error(state, "--sort: unknown column '%s' (see --list-columns)",
				   ctl->sort);
	}
	if (!ctl->n_targets && !ctl->list_columns)
		argp_error(state, "missing PID or process name");
	if (ctl->save_dir &&
	    (ctl->n_targets != 1 || ctl->kinds[0] != TARGET_AUTO || is_path(ctl->targets[0])))
		argp_error(state, "--save takes one PID or process name");
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct ctl *ctl = state->input;
	char err[256];

	switch (key) {
	case ARGP_KEY_INIT: {
		FILE *f = fopencookie(NULL, "w", (cookie_io_functions_t){ .write = usage_write });
		if (f) {
			setvbuf(f, NULL, _IOLBF, 0);
			state->err_stream = f;
		}
		break;
	}
	case 'j':
		ctl->json = true;
		break;
	case OPT_JSON_LINES:
		ctl->json_lines = true;
		break;
	case 'b':
		ctl->bytes = true;
		break;
	case OPT_ASCII:
		ctl->ascii = true;
		break;
	case OPT_COLOR:
		if (!arg || strcmp(arg, "auto") == 0)
			ctl->color = COLOR_AUTO;
		else if (strcmp(arg, "always") == 0)
			ctl->color = COLOR_ALWAYS;
		else if (strcmp(arg, "never") == 0)
			ctl->color = COLOR_NEVER;
		else
			argp_error(state, "invalid --color value '%s': use auto, always or never", arg);
		break;
	case OPT_DIAGRAM:
		ctl->parts |= TEXT_DIAGRAM;
		break;
	case OPT_SUMMARY:
		ctl->parts |= TEXT_SUMMARY;
		break;
	case OPT_OBJECTS:
		ctl->parts |= TEXT_OBJECTS;
		break;
	case 'v':
		ctl->vmas = true;
		break;
	case 'o':
		ctl->output = arg;
		break;
	case OPT_OUTPUT_ALL:
		ctl->output_all = true;
		break;
	case 'H':
		ctl->list_columns = true;
		break;
	case OPT_SORT:
		ctl->sort = arg;
		break;
	case 'r':
		ctl->raw = true;
		break;
	case 'P':
		ctl->pairs = true;
		break;
	case 'n':
		ctl->noheadings = true;
		break;
	case OPT_ROLE:
		if (vma_filter_roles(&ctl->filter, arg, err, sizeof(err)) < 0)
			argp_error(state, "--role: %s", err);
		break;
	case OPT_REGION:
		if (vma_filter_regions(&ctl->filter, arg, err, sizeof(err)) < 0)
			argp_error(state, "--region: %s", err);
		break;
	case OPT_PERMS:
		if (vma_filter_perms(&ctl->filter, arg, err, sizeof(err)) < 0)
			argp_error(state, "%s", err);
		break;
	case OPT_OBJECT:
		if (!*arg)
			argp_error(state, "--object: empty pattern");
		ctl->filter.globs[ctl->filter.n_globs++] = arg;
		break;
	case OPT_ADDR:
		if (addr_parse(arg, &ctl->addrs[ctl->n_addrs], err, sizeof(err)) < 0)
			argp_error(state, "--addr: %s", err);
		ctl->n_addrs++;
		break;
	case OPT_SAVE:
		ctl->save_dir = arg;
		break;
	case OPT_SMAPS:
	case OPT_MAPS:
		ctl->kinds[ctl->n_targets] = key == OPT_SMAPS ? TARGET_SMAPS : TARGET_MAPS;
		ctl->targets[ctl->n_targets++] = arg;
		break;
	case OPT_SYSROOT:
		ctl->sysroot = arg;
		break;
	case OPT_BASE: {
		char *end;
		errno = 0;
		ctl->base = strtoull(arg, &end, 16);
		if (errno || end == arg || *end || (ctl->base & 0xfff))
			argp_error(state, "--base: '%s' is not a page-aligned hexadecimal address",
				   arg);
		ctl->has_base = true;
		break;
	}
	case ARGP_KEY_ARG:
		if (parse_target(arg) < 0)
			argp_error(state, "'%s': not a PID, process name or path", arg);
		ctl->kinds[ctl->n_targets] = TARGET_AUTO;
		ctl->targets[ctl->n_targets++] = arg;
		break;
	case ARGP_KEY_END:
		finish_options(ctl, state);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	.options = options,
	.parser = parse_opt,
	.args_doc = "PID|NAME...",
	.doc = "Show the layout of a process's address space: code, data, bss, heap, mmap "
	       "area and stack, with the size and memory use of each part, from /proc/PID/smaps "
	       "and the ELF program headers of the executable and its libraries."
	       "\vNAME is the command name (comm) of exactly one process.  Several PIDs and "
	       "names give one report each.  Exit status: 0 success, 1 a process could not be "
	       "analysed (the others are still reported), 64 usage error.  Environment: "
	       "VMLAYOUT_COLUMNS (the default columns of --vmas), NO_COLOR.",
};

/* A PID when s is all digits; 0 when s is a plausible process name; -1 otherwise. */
static long parse_target(const char *s)
{
	char *end;

	if (!*s)
		return -1;
	if (strspn(s, "0123456789") == strlen(s)) {
		errno = 0;
		long v = strtol(s, &end, 10);
		if (errno || v <= 0 || v > INT_MAX)
			return -1;
		return v;
	}
	if (is_path(s))
		return 0;
	if (strpbrk(s, " \t\n"))
		return -1;
	return 0;
}

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

/* The error of a process or file that could not be read (who: msg.h). */
static void report_status(const char *who, enum layout_status st, const char *msg)
{
	switch (st) {
	case LAYOUT_NO_PROCESS:
		vml_errx(who, "no such process");
		break;
	case LAYOUT_EXITED:
		vml_errx(who, "the process has exited");
		break;
	case LAYOUT_KERNEL_THREAD:
		vml_errx(who, "kernel thread: it has no user address space");
		break;
	case LAYOUT_PERMISSION:
		vml_errx(who, "permission denied: reading smaps needs ptrace read access (run as "
			 "the process's owner or root)");
		break;
	default:
		if (msg[0])
			vml_errx(who, "%s", msg);
		else
			vml_errx(who, "%s", strerror(errno));
		break;
	}
}

/* Flush stdout; a failed write is an error, except a closed pipe (`| head`). */
static int close_stdout(void)
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
 * address lookups, and the text view, which is made in memory and written whole
 * (it is a few KiB).  --vmas and --json are streamed (the JSON of a large process
 * is tens of MiB): their views take all the memory they need before they write,
 * and return -1 having written nothing; what they take later only speeds them up
 * (parallel rendering), and they do without it.  The exceptions: with several
 * processes, an empty line between two text reports may come before a table that
 * then fails; a write error (a full disk, a closed pipe) leaves the output cut where
 * it happened, for close_stdout() to report. */
static int report(const struct ctl *ctl, struct out *o, const struct layout *L,
		  struct source *src)
{
	bool json_array = ctl->json && !ctl->json_lines && ctl->n_targets > 1;
	struct table_opts t = {
		.cols = ctl->cols, .ncols = ctl->ncols, .sort = ctl->sort_col,
		.bytes = ctl->bytes, .raw = ctl->raw, .pairs = ctl->pairs,
		.noheadings = ctl->noheadings,
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
		struct render_opts ro = {
			.bytes = ctl->bytes,
			.ascii = ctl->ascii || strcmp(nl_langinfo(CODESET), "UTF-8") != 0,
			.color = ctl->color == COLOR_ALWAYS ||
				 (ctl->color == COLOR_AUTO && isatty(STDOUT_FILENO) && !(nc && *nc)),
		};
		FILE *mem = open_memstream(&text, &text_len);
		if (!mem)
			goto out;
		int r = render_text_view(mem, L, &ro, &s, ctl->parts);
		e = errno;
		/* glibc's fclose() of a memory stream returns 0 when its last
		 * realloc() fails, and leaves text NULL */
		if ((fclose(mem) != 0 || !text) && r == 0) {
			r = -1;
			e = ENOMEM;
		}
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

/* The PID of target; -1 after an error message. */
static pid_t target_pid(const char *target)
{
	long t = parse_target(target);
	pid_t pid;

	if (t == 0)
		return resolve_name(target, &pid) < 0 ? -1 : pid;
	return (pid_t)t;
}

int main(int argc, char **argv)
{
	struct ctl ctl = { .color = COLOR_AUTO };
	static struct out o;
	bool failed = false;

	setlocale(LC_ALL, "");
	argp_err_exit_status = EXIT_USAGE;
	if (argc > 0)
		argv[0] = (char *)"vmlayout";	/* getopt names the program by argv[0] */
	size_t n = argc > 0 ? (size_t)argc : 1;
	ctl.targets = calloc(n, sizeof(*ctl.targets));
	ctl.kinds = calloc(n, sizeof(*ctl.kinds));
	ctl.addrs = calloc(n, sizeof(*ctl.addrs));
	ctl.filter.globs = calloc(n, sizeof(*ctl.filter.globs));
	if (!ctl.targets || !ctl.kinds || !ctl.addrs || !ctl.filter.globs) {
		vml_errx(NULL, "%s", strerror(ENOMEM));
		free(ctl.kinds);
		free(ctl.targets);
		free(ctl.addrs);
		free(ctl.filter.globs);
		return EXIT_FAILURE;
	}
	/* a usage error exits (EXIT_USAGE); what returns is a failure to allocate */
	int e = argp_parse(&argp, argc, argv, 0, NULL, &ctl);
	if (e != 0) {
		vml_errx(NULL, "%s", strerror(e));
		failed = true;
		goto out;
	}
	threads_from_environment();
	/* "warning:" in colour only on a terminal, by the rule of --color */
	const char *nc = getenv("NO_COLOR");
	vml_msg_color(isatty(STDERR_FILENO) &&
		      (ctl.color == COLOR_ALWAYS || (ctl.color == COLOR_AUTO && !(nc && *nc))));

	/* a large buffer: the JSON of a big process is tens of MiB */
	static char obuf[1 << 16];
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	signal(SIGPIPE, SIG_IGN);

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

	for (size_t i = 0; i < ctl.n_targets && !ferror(stdout); i++) {
		struct layout L;
		struct source src = { 0 };
		struct elf_cache *cache = elf_cache_new();
		char msg[256], pid_who[VML_WHO_PID];
		const char *target = ctl.targets[i], *who = target;
		pid_t pid = 0;
		int text_fd = -1;
		enum layout_status st = LAYOUT_ERROR;

		msg[0] = '\0';
		if (!cache) {
			vml_errx(who, "%s", strerror(ENOMEM));
		} else if (ctl.kinds[i] != TARGET_AUTO || is_path(target)) {
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
				st = snapshot_save(pid, ctl.save_dir, msg, sizeof(msg)) < 0
					     ? LAYOUT_ERROR : LAYOUT_OK;
				if (st == LAYOUT_OK) {
					if (msg[0])	/* smaps never read consistently */
						vml_warnx(who, "%s", msg);
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
			} else if (source_open_pid(&src, pid, ctl.json ? SOURCE_READ_ROLLUP : 0) < 0) {
				/* smaps_rollup, a second walk of the page tables, only for JSON */
				st = errno == ESRCH ? LAYOUT_NO_PROCESS : LAYOUT_ERROR;
			}
			if (st == LAYOUT_OK)
				st = layout_build(&L, &src, cache, msg, sizeof(msg));
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
	free(ctl.targets);
	free(ctl.kinds);
	free(ctl.addrs);
	free(ctl.filter.globs);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

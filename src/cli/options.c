/* options.c - the options of the command line (see options.h) */
#include "config.h"

#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr/addr.h"
#include "cli/all.h"
#include "cli/options.h"
#include "model/kspace.h"
#include "view/columns.h"
#include "view/views.h"

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
	{ "rollup", OPT_ROLLUP, NULL, 0, "with --json: also read /proc/PID/smaps_rollup, the "
	  "kernel's exact sums (a second walk of the page tables: about a tenth more time), "
	  "into the member rollup", 1 },
	{ "svg", OPT_SVG, NULL, 0, "draw the diagram as a standalone SVG document (for a "
	  "browser, a bug report, slides) instead of the text view; one target", 1 },
	{ "bytes", 'b', NULL, 0, "print sizes in bytes instead of K/M/G/T (binary units)", 1 },
	{ NULL, 0, NULL, 0, "Text view (the default; any combination of the parts, the "
	  "first three when none is given):", 2 },
	{ "diagram", OPT_DIAGRAM, NULL, 0, "print the diagram of the address space", 2 },
	{ "summary", OPT_SUMMARY, NULL, 0, "print the table of the regions", 2 },
	{ "objects", OPT_OBJECTS, NULL, 0, "print the table of the ELF objects", 2 },
	{ "roles", OPT_ROLES, NULL, 0, "print the table of the roles (not part of the "
	  "default view)", 2 },
	{ "color", OPT_COLOR, "WHEN", OPTION_ARG_OPTIONAL,
	  "colour the text view, and the warnings on stderr: auto (the default: only on a "
	  "terminal, and not when NO_COLOR is set), always or never", 2 },
	{ "ascii", OPT_ASCII, NULL, 0,
	  "draw with ASCII instead of UTF-8 box-drawing characters (automatic when the "
	  "locale's character set is not UTF-8)", 2 },
	{ "reference", OPT_REFERENCE, "ARCH", 0, "draw the documented layout of an "
	  "architecture's address space, without a process: x86_64, x86_64-la57, i386, "
	  "arm64-39, arm64-48 (or arm64)", 2 },
	{ NULL, 0, NULL, 0, "VMA table:", 3 },
	{ "vmas", 'v', NULL, 0, "print a table of the VMAs, one row each, with its role and "
	  "object", 3 },
	{ "output", 'o', "LIST", 0, "the columns of the table, comma-separated; +LIST adds "
	  "them to the default ones (implies --vmas)", 3 },
	{ "output-all", OPT_OUTPUT_ALL, NULL, 0, "every column (implies --vmas)", 3 },
	{ "list-columns", 'H', NULL, 0, "list the columns and what they hold, and exit", 3 },
	{ "sort", OPT_SORT, "[-]COL", 0, "sort the rows by the column COL, ascending, or "
	  "descending with '-' before it (implies --vmas)", 3 },
	{ "raw", 'r', NULL, 0, "raw table: values separated by one space, unusual bytes "
	  "escaped as \\xHH (implies --vmas)", 3 },
	{ "pairs", 'P', NULL, 0, "print the rows as NAME=\"value\" pairs (implies --vmas)", 3 },
	{ "noheadings", 'n', NULL, 0, "print no header line (implies --vmas)", 3 },
	{ "total", OPT_TOTAL, NULL, 0, "end the table with a row of totals: the sum of each "
	  "size column over the rows (implies --vmas)", 3 },
	{ NULL, 0, NULL, 0, "Filters (for the tables, the figures of the text view, and "
	  "--json):", 4 },
	{ "role", OPT_ROLE, "LIST", 0, "only the VMAs of these roles (text, jit, rodata, "
	  "relro, data, bss, heap, arena, anon, shm, file, reserved, guard, stack, thread_stack, "
	  "vdso, vvar, vsyscall, other)", 4 },
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
	{ NULL, 0, NULL, 0, "Comparing and watching:", 7 },
	{ "diff", OPT_DIFF, NULL, 0, "compare two moments of a process: OLD NEW, each a "
	  "snapshot directory (--save), a saved --json document or a PID or name (read now); "
	  "what grew, shrank, appeared and disappeared (with --json, --bytes, --summary, "
	  "--roles, --objects, --vmas)", 7 },
	{ "force", OPT_FORCE, NULL, 0, "with --diff: compare even two different processes, "
	  "documents of different schema numbers or filtered documents", 7 },
	{ "watch", OPT_WATCH, "SECONDS", OPTION_ARG_OPTIONAL, "sample the process every SECONDS "
	  "(default 1; fractions allowed) and show what grows: a view refreshed in place on a "
	  "terminal, else one JSON record a sample; a summary at the end (Ctrl-C, SIGTERM, "
	  "the process exits, --count)", 7 },
	{ "count", OPT_COUNT, "N", 0, "with --watch: stop after N samples", 7 },
	{ NULL, 0, NULL, 0, "The whole machine (PID|NAME... narrow it to those processes):", 8 },
	{ "all", 'A', NULL, 0, "every process the caller may read, one row each: PID, USER, "
	  "COMM, VMAS, RSS, PSS, PRIVATE, SWAP, SWAPPSS and the PSS of each region, sorted by "
	  "PSS, with a totals row; with --objects one row per ELF object or mapped file, "
	  "with --users one row per user", 8 },
	{ "users", OPT_USERS, NULL, 0, "one row per user (implies --all)", 8 },
	{ "user", OPT_USER, "LIST", 0, "only the processes of these users (names or uids, "
	  "comma-separated; implies --all)", 8 },
	{ "jobs", OPT_JOBS, "N", 0, "read N processes at once (default: one per online CPU)", 8 },
	{ "openmetrics", OPT_OPENMETRICS, NULL, 0, "print OpenMetrics text (gauges in bytes) "
	  "for Prometheus and node_exporter's textfile collector", 8 },
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


bool options_is_path(const char *s)
{
	return strchr(s, '/') || strcmp(s, "-") == 0;
}

/* --diff and --watch: the checks between them and the other options. */
static void finish_time_options(struct ctl *ctl, struct argp_state *state)
{
	const char *what = ctl->diff ? "--diff" : "--watch";
	const char *with = ctl->diff && ctl->watch ? "--watch"
			 : ctl->all || ctl->users_view || ctl->n_users || ctl->jobs ? "--all"
			 : ctl->openmetrics ? "--openmetrics"
			 : ctl->svg ? "--svg" : ctl->n_addrs ? "--addr"
			 : ctl->save_dir ? "--save" : ctl->reference ? "--reference"
			 : ctl->list_columns ? "--list-columns"
			 : ctl->output || ctl->output_all || ctl->sort || ctl->raw || ctl->pairs ||
			   ctl->noheadings || ctl->total ? "the VMA table's options (-o, --sort, "
							   "--raw, --pairs, --noheadings, --total)"
			 : ctl->parts & TEXT_DIAGRAM ? "--diagram"
			 : vma_filter_active(&ctl->filter) ? "the filters"
			 : ctl->sysroot ? "--sysroot" : ctl->has_base ? "--base" : NULL;

	if (with)
		argp_error(state, "%s and %s exclude each other", what, with);
	for (size_t i = 0; i < ctl->n_targets; i++)
		if (ctl->kinds[i] != TARGET_AUTO)
			argp_error(state, "%s reads no smaps or maps text (--smaps, --maps)", what);
	if (ctl->diff && ctl->n_targets != 2)
		argp_error(state, "--diff compares two: OLD NEW, each a snapshot directory, a "
			   "JSON document, or a PID or process name");
	if (ctl->watch) {
		if (ctl->n_targets != 1 || options_is_path(ctl->targets[0]))
			argp_error(state, "--watch samples one live process: give one PID or "
				   "process name");
		if (ctl->vmas || (ctl->parts && ctl->json))
			argp_error(state, "--watch shows regions and objects: --vmas and the parts "
				   "of the text view do not apply");
	}
}

/* After the options: the checks between them, and the columns. */
static void finish_options(struct ctl *ctl, struct argp_state *state)
{
	char err[256];
	const char *env = getenv("VMLAYOUT_COLUMNS");

	if (ctl->count && !ctl->watch)
		argp_error(state, "--count counts the samples of --watch");
	if (ctl->force && !ctl->diff)
		argp_error(state, "--force applies to --diff");
	if (ctl->rollup && (!(ctl->json || ctl->json_lines) || ctl->diff || ctl->watch ||
			    ctl->all || ctl->users_view || ctl->n_users || ctl->openmetrics ||
			    ctl->vmas || ctl->output || ctl->output_all || ctl->sort || ctl->raw ||
			    ctl->pairs || ctl->noheadings || ctl->total || ctl->n_addrs ||
			    ctl->list_columns))
		argp_error(state, "--rollup applies to the JSON document of a process (--json or "
			   "--json-lines, without --diff, --watch, --all, --vmas or --addr)");
	if (ctl->diff || ctl->watch) {
		if (ctl->json_lines)
			ctl->json = true;
		finish_time_options(ctl, state);
		return;
	}

	if (ctl->json_lines)
		ctl->json = true;
	if (ctl->raw && ctl->pairs)
		argp_error(state, "--raw and --pairs exclude each other");
	if (ctl->all || ctl->users_view || ctl->n_users || ctl->jobs || ctl->openmetrics) {
		all_finish_options(ctl, state);
		return;
	}
	if (ctl->n_addrs) {
		if (ctl->vmas || ctl->output || ctl->output_all || ctl->sort || ctl->total)
			argp_error(state, "--addr and the VMA table exclude each other");
		if (vma_filter_active(&ctl->filter))
			argp_error(state, "the filters do not apply to --addr");
	} else if (!ctl->list_columns && (ctl->output || ctl->output_all || ctl->sort ||
					  ctl->raw || ctl->pairs || ctl->noheadings ||
					  ctl->total)) {
		ctl->vmas = true;
	}
	if (ctl->svg) {
		/* one document: the diagram alone, of the whole address space */
		const char *with = ctl->json_lines ? "--json-lines" : ctl->json ? "--json"
				 : ctl->n_addrs ? "--addr" : ctl->list_columns ? "--list-columns"
				 : ctl->vmas ? "the VMA table (--vmas, -o, --sort, --raw, ...)"
				 : ctl->parts ? "the parts of the text view (--diagram, --summary, "
						"--objects, --roles)"
					      : NULL;
		if (with)
			argp_error(state, "--svg and %s exclude each other", with);
		if (vma_filter_active(&ctl->filter))
			argp_error(state, "the filters do not apply to --svg (it draws the whole "
				   "address space)");
		if (ctl->n_targets > 1)
			argp_error(state, "--svg draws one process or file: give one target");
	}
	if (ctl->parts && (ctl->json || ctl->vmas || ctl->n_addrs))
		argp_error(state, "--diagram, --summary, --objects and --roles choose parts of "
			   "the text view, not of --json, --vmas or --addr");

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
		const char *name = ctl->sort;
		if (*name == '-') {
			ctl->sort_desc = true;
			name++;
		}
		ctl->sort_col = column_lookup(name, strlen(name));
		if (ctl->sort_col < 0)
			argp_error(state, "--sort: unknown column '%s' (see --list-columns)",
				   name);
	}
	if (ctl->reference && (ctl->n_targets || ctl->list_columns || ctl->vmas || ctl->svg ||
			       ctl->n_addrs || ctl->parts || ctl->save_dir ||
			       vma_filter_active(&ctl->filter)))
		argp_error(state, "--reference draws a layout without a process: it takes no "
			   "PID and no option of the other views (only --json and --bytes)");
	if (!ctl->n_targets && !ctl->list_columns && !ctl->reference)
		argp_error(state, "missing PID or process name");
	for (size_t i = 0; ctl->has_base && i < ctl->n_targets; i++)
		if (ctl->kinds[i] == TARGET_AUTO && !options_is_path(ctl->targets[i]))
			argp_error(state, "--base places an ELF file; '%s' is a process",
				   ctl->targets[i]);
	if (ctl->save_dir &&
	    (ctl->n_targets != 1 || ctl->kinds[0] != TARGET_AUTO || options_is_path(ctl->targets[0])))
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
	case OPT_ROLLUP:
		ctl->rollup = true;
		break;
	case OPT_JSON_LINES:
		ctl->json_lines = true;
		break;
	case 'b':
		ctl->bytes = true;
		break;
	case OPT_SVG:
		ctl->svg = true;
		break;
	case OPT_ASCII:
		ctl->ascii = true;
		break;
	case OPT_REFERENCE:
		ctl->reference = kspace_reference(arg);
		if (!ctl->reference)
			argp_error(state, "--reference: unknown architecture '%s': use x86_64, "
				   "x86_64-la57, i386, arm64-39 or arm64-48", arg);
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
	case OPT_ROLES:
		ctl->parts |= TEXT_ROLES;
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
	case OPT_TOTAL:
		ctl->total = true;
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
	case OPT_DIFF:
		ctl->diff = true;
		break;
	case OPT_FORCE:
		ctl->force = true;
		break;
	case OPT_WATCH: {
		char *end;
		ctl->watch = true;
		ctl->interval = 1;
		if (!arg)
			break;
		errno = 0;
		ctl->interval = strtod(arg, &end);
		/* a day at most: a sample a day is a cron job */
		if (errno || end == arg || *end || !(ctl->interval >= 0 && ctl->interval <= 86400))
			argp_error(state, "--watch: '%s' is not a number of seconds (0 to 86400)",
				   arg);
		break;
	}
	case OPT_COUNT: {
		char *end;
		errno = 0;
		ctl->count = strtoul(arg, &end, 10);
		if (errno || end == arg || *end || !ctl->count || *arg == '-')
			argp_error(state, "--count: '%s' is not a number of samples (1 or more)",
				   arg);
		break;
	}
	case 'A':
		ctl->all = true;
		break;
	case OPT_USERS:
		ctl->users_view = true;
		break;
	case OPT_USER:
		ctl->users[ctl->n_users++] = arg;
		break;
	case OPT_JOBS: {
		char *end;
		errno = 0;
		ctl->jobs = strtol(arg, &end, 10);
		if (errno || end == arg || *end || ctl->jobs < 1 || ctl->jobs > 1024)
			argp_error(state, "--jobs: '%s' is not a number from 1 to 1024", arg);
		break;
	}
	case OPT_OPENMETRICS:
		ctl->openmetrics = true;
		break;
	case ARGP_KEY_ARG:
		if (options_parse_target(arg) < 0)
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
	.args_doc = "PID|NAME...\n--diff OLD NEW\n--watch[=SECONDS] PID|NAME",
	.doc = "Show the layout of a process's address space: code, data, bss, heap, mmap "
	       "area and stack, with the size and memory use of each part, from /proc/PID/smaps "
	       "and the ELF program headers of the executable and its libraries."
	       "\vNAME is the command name (comm) of exactly one process.  Several PIDs and "
	       "names give one report each.  Exit status: 0 success, 1 a process could not be "
	       "analysed (the others are still reported), 64 usage error; with --all, 0 also "
	       "when processes of other users could not be read.  Environment: "
	       "VMLAYOUT_COLUMNS (the default columns of --vmas), NO_COLOR.",
};

long options_parse_target(const char *s)
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
	if (options_is_path(s))
		return 0;
	if (strpbrk(s, " \t\n"))
		return -1;
	return 0;
}

int options_parse(int argc, char **argv, struct ctl *ctl)
{
	size_t n = argc > 0 ? (size_t)argc : 1;

	memset(ctl, 0, sizeof(*ctl));
	ctl->color = COLOR_AUTO;
	ctl->targets = calloc(n, sizeof(*ctl->targets));
	ctl->kinds = calloc(n, sizeof(*ctl->kinds));
	ctl->addrs = calloc(n, sizeof(*ctl->addrs));
	ctl->filter.globs = calloc(n, sizeof(*ctl->filter.globs));
	ctl->users = calloc(n, sizeof(*ctl->users));
	if (!ctl->targets || !ctl->kinds || !ctl->addrs || !ctl->filter.globs || !ctl->users) {
		options_free(ctl);
		errno = ENOMEM;
		return -1;
	}
	argp_err_exit_status = EXIT_USAGE;
	if (argc > 0)
		argv[0] = (char *)"vmlayout";	/* getopt names the program by argv[0] */
	/* a usage error exits (EXIT_USAGE); what returns is a failure to allocate */
	int e = argp_parse(&argp, argc, argv, 0, NULL, ctl);
	if (e != 0) {
		options_free(ctl);
		errno = e;
		return -1;
	}
	return 0;
}

void options_free(struct ctl *ctl)
{
	free(ctl->targets);
	free(ctl->kinds);
	free(ctl->addrs);
	free(ctl->filter.globs);
	free(ctl->users);
	free(ctl->uids);
	ctl->users = NULL;
	ctl->uids = NULL;
	ctl->targets = NULL;
	ctl->kinds = NULL;
	ctl->addrs = NULL;
	ctl->filter.globs = NULL;
}

/* options.h - the command line's options: one context struct, filled by argp
 *
 * Every option of "vmlayout" is in options.c: its argp entry (and so --help and
 * --usage), its checks against the others (at ARGP_KEY_FINI), and the field of
 * struct ctl that holds it.  Nothing else reads argv.
 */
#ifndef VMLAYOUT_OPTIONS_H
#define VMLAYOUT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "attr/addr.h"
#include "attr/filter.h"

#define EXIT_USAGE 64
#define MAX_COLS 256

enum color_when { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

enum {
	OPT_COLOR = 0x100,
	OPT_ASCII,
	OPT_REFERENCE,
	OPT_JSON_LINES,
	OPT_ROLLUP,
	OPT_SUMMARY,
	OPT_OBJECTS,
	OPT_ROLES,
	OPT_DIAGRAM,
	OPT_OUTPUT_ALL,
	OPT_SORT,
	OPT_TOTAL,
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
	OPT_SVG,
	OPT_DIFF,
	OPT_FORCE,
	OPT_WATCH,
	OPT_COUNT,
	OPT_USERS, OPT_USER, OPT_JOBS, OPT_OPENMETRICS,	/* --all (all.c) */
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
	bool rollup;			/* --rollup: read smaps_rollup into the JSON document */
	bool svg;			/* --svg: the diagram as an SVG document */
	bool bytes;
	bool ascii;
	enum color_when color;
	unsigned parts;			/* TEXT_*: --summary, --objects, --diagram */
	bool vmas;			/* --vmas: the VMA table */
	bool list_columns;
	const struct kspace_layout *reference;	/* --reference=ARCH */
	bool raw, pairs, noheadings;
	bool total;			/* --total: the VMA table's totals row */
	const char *output;		/* -o LIST */
	bool output_all;
	const char *sort;		/* --sort [-]COL */
	int cols[MAX_COLS];
	size_t ncols;
	int sort_col;
	bool sort_desc;			/* --sort -COL: descending */
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
	bool diff;			/* --diff OLD NEW: targets[0], targets[1] */
	bool force;			/* --force: compare two processes, two schemas */
	bool watch;			/* --watch[=SECONDS] PID|NAME */
	double interval;		/* --watch's SECONDS (default 1, 0 allowed) */
	unsigned long count;		/* --count=N samples; 0: until the end */
	/* the whole machine (all.h) */
	bool all;			/* -A, --all: every process */
	bool users_view;		/* --users: one row per user */
	int all_view;			/* enum machine_view, set by all_finish_options() */
	const char **users;		/* --user LIST: argc entries */
	size_t n_users;
	uid_t *uids;			/* their uids (malloc'd), n_uids */
	size_t n_uids;
	long jobs;			/* --jobs N; 0: one per online CPU */
	bool openmetrics;		/* --openmetrics */
};

/* Parse argv into *ctl (zeroed first).  Usage errors and --help, --usage, --version
 * are argp's: they print and exit (status 64 for a usage error, 0 for the others).
 * Returns 0, or -1 with errno (ENOMEM; ctl holds nothing to free then).  Free the
 * arrays with options_free(). */
int options_parse(int argc, char **argv, struct ctl *ctl);
void options_free(struct ctl *ctl);

/* Whether the target s names a file or directory (it has a '/', or is "-"), not a
 * process. */
bool options_is_path(const char *s);

/* A PID (> 0) when s is all digits; 0 when s is a plausible process name (or a
 * path); -1 otherwise. */
long options_parse_target(const char *s);

#endif

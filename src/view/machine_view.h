/* machine_view.h - the views of --all: the table of the processes, of the objects
 * (--objects) or of the users (--users); the same as JSON; OpenMetrics text
 *
 * Each view has its own column registry (names are keys, never translated), which
 * -o, --sort and --list-columns use as the VMA table uses columns.h.  The views read
 * a struct machine_report, which the command line fills (cli/all.c), and never /proc.
 *
 * Units: every figure is in bytes; the tables print K/M/G (binary) unless bytes.
 */
#ifndef VMLAYOUT_MACHINE_VIEW_H
#define VMLAYOUT_MACHINE_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "model/machine.h"
#include "view/views.h"

enum machine_view { MVIEW_PROCESSES, MVIEW_OBJECTS, MVIEW_USERS };

/* What --all found: the rows of the view, in the order to print (machine_sort()). */
struct machine_report {
	enum machine_view view;
	struct machine_proc *procs;	/* every process read (all views) */
	size_t n_procs;
	struct machine_object *objs;	/* MVIEW_OBJECTS: machine_objects() */
	size_t n_objs;
	struct machine_user *users;	/* MVIEW_USERS: machine_users() */
	size_t n_users;
	size_t *order;		/* the rows' indexes in print order (malloc'd) */
	size_t n_rows;
	size_t not_readable;	/* no ptrace read access */
	size_t exited;		/* ended while being read */
	size_t changed;		/* smaps never consistent: left out */
	bool filtered;		/* a VMA filter was given: the figures are of its VMAs */
};

/* The number of columns of view v, and its column i (0 <= i < that number; a
 * struct column of columns.h, static storage), in --list-columns order. */
size_t machine_columns_count(enum machine_view v);
const struct column *machine_column(enum machine_view v, size_t i);

/* The default columns of view v into ids (at most cap); returns how many.
 * Processes: PID USER COMM VMAS RSS PSS PRIVATE SWAP SWAPPSS CODE DATA BSS HEAP MMAP
 * STACK; objects: PROCS RSS PSS PRIVATE SWAP TEXT RODATA DATA BSS OBJECT; users: USER
 * PROCS RSS PSS PRIVATE SWAP SWAPPSS CODE DATA BSS HEAP MMAP STACK. */
size_t machine_columns_default(enum machine_view v, int *ids, size_t cap);

/* The column of view v named name (len bytes, any case), or -1. */
int machine_column_lookup(enum machine_view v, const char *name, size_t len);

/* -o LIST for view v: as columns_parse_list() (columns.h). */
int machine_columns_parse(enum machine_view v, const char *list, int *ids, size_t *n,
			  size_t cap, char *err, size_t errlen);

/* Fill r->order (r->n_rows rows of r->view) sorted by column col of the view (-1:
 * PSS), descending when desc; equal values keep the order of PID, object (device,
 * inode) or uid.  Returns 0, or -1 with errno ENOMEM. */
int machine_sort(struct machine_report *r, int col, bool desc);

/* The table of the rows of r in r->order, the columns t->cols of the view, and a
 * last row of totals: each size column's sum, the sum of VMAS (and of PROCS for
 * users), "total" in the first other column.  libsmartcols prints it (t->raw,
 * t->pairs, t->noheadings, t->bytes apply).  Returns 0, or -1 with errno ENOMEM
 * having written nothing. */
int render_machine_table(FILE *out, const struct machine_report *r, const struct table_opts *t);

/* The rows as JSON onto w: with lines, one compact object per row, a line each;
 * else one document (man page, SYSTEM-WIDE): {"schema": 1, "view", the rows
 * ("processes", "objects" or "users"), "totals", "not_readable", "exited",
 * "changed", "filtered"}.  Sizes are integer bytes. */
void render_machine_json(struct jsonwrt *w, const struct machine_report *r, bool lines);

/* --list-columns of view v: as render_columns_list() (views.h). */
int render_machine_columns_list(FILE *out, enum machine_view v, const struct table_opts *t,
				bool json);

/* OpenMetrics text (man page, OPENMETRICS) of the rows of r: gauges in bytes,
 * vmlayout_process_memory_bytes{pid,comm,user,region,figure} (processes: figure rss,
 * pss, private, swap for region "all", pss for each region),
 * vmlayout_object_memory_bytes{object,figure} (objects),
 * vmlayout_user_memory_bytes{user,figure} (users), and
 * vmlayout_processes_unreadable; "# EOF" at the end.  Returns 0; write errors are
 * left in out. */
int render_machine_openmetrics(FILE *out, const struct machine_report *r);

#endif

/* columns.h - the column registry of the VMA table
 *
 * Every column of "vmlayout --vmas" is described once, here: its name (a key,
 * never translated: "SHARED_CLEAN"), its type, its alignment and its help text.
 * The table (views.h, table.c), -o/--output, --list-columns, --help, the man page and
 * the completions all come from this registry (tests/docs.sh checks the man page
 * and the completions against "vmlayout --list-columns").
 *
 * The smaps fields get one column each, named from the kernel's key: a '_' before
 * each capital letter that follows a lower-case one, and before the last capital of
 * a run that a lower-case letter follows, then upper case ("AnonHugePages" ->
 * ANON_HUGE_PAGES, "MMUPageSize" -> MMU_PAGE_SIZE, "Shared_Clean" -> SHARED_CLEAN).  Size, Rss,
 * Pss and Swap are the columns SIZE, RSS, PSS and SWAP.
 *
 * Units: sizes are bytes; addresses are bytes.
 */
#ifndef VMLAYOUT_COLUMNS_H
#define VMLAYOUT_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/layout.h"

/* What a column holds; decides formatting, sorting and the JSON type. */
enum column_type {
	COLT_STRING,	/* text; sorted as bytes (strcmp) */
	COLT_ADDRESS,	/* an address or offset: "0x7f12e4a03000"; JSON string */
	COLT_SIZE,	/* bytes: "4K" or, with --bytes, "4096"; JSON number (bytes) */
	COLT_NUMBER,	/* a decimal integer; JSON number; empty (JSON null) when unknown */
	COLT_BOOL,	/* "1" or "0"; JSON true/false */
};

struct column {
	const char *name;	/* "SHARED_CLEAN": upper case, a key */
	const char *help;	/* one line, no final period */
	enum column_type type;
	double whint;		/* libsmartcols width hint */
	int flags;		/* libsmartcols SCOLS_FL_* */
};

/* The number of columns, and column i (0 <= i < columns_count()), in the order
 * --list-columns prints them.  Static storage. */
size_t columns_count(void);
const struct column *column_get(size_t i);

/* The index of the column named name (case-insensitive; len bytes of name), or -1. */
int column_lookup(const char *name, size_t len);

/* The default columns of --vmas: START END SIZE RSS PSS SHARE PRIVATE SWAP PERMS
 * ROLE OBJECT. */
size_t columns_default(int *ids, size_t cap);

/* Parse a comma-separated list of column names into ids (at most cap; more is an
 * error).  A list that starts with '+' is appended to the *n ids already there
 * (lsblk's "-o +COL"); otherwise it replaces them.  Returns 0, or -1 with a message
 * naming the bad column in err (errlen bytes). */
int columns_parse_list(const char *list, int *ids, size_t *n, size_t cap, char *err,
		       size_t errlen);

/* The value of column id for VMA i of L.
 * For COLT_SIZE and COLT_NUMBER and COLT_BOOL *num is set and the function returns
 * true (false when the value is unknown: an empty cell, JSON null); for COLT_ADDRESS
 * *num holds the address.  For COLT_STRING the text is written into buf (len
 * bytes; names are escaped: control characters and invalid UTF-8 become \n, \xHH)
 * and true is returned (false: empty).  Also fills buf with the display form for
 * every type (sizes in human units unless bytes). */
bool column_value(int id, const struct layout *L, size_t i, bool bytes, char *buf,
		  size_t len, uint64_t *num);

/* A cell of the table before it is formatted: the value of a column for one VMA,
 * in the form that costs least to measure.  column_value() is column_cell() and
 * cell_format(); a table first measures every cell with cell_width(), then
 * formats it. */
struct cell {
	enum {
		CELL_UNKNOWN,	/* empty */
		CELL_ADDRESS,	/* x, shown in hex */
		CELL_SIZE,	/* x bytes */
		CELL_NUMBER,	/* x in decimal */
		CELL_TEXT,	/* the sl bytes at s, ASCII */
		CELL_NAME,	/* a path or name, sl bytes at s, escaped when shown */
	} kind;
	uint64_t x;
	const char *s;		/* into L, a static string, or the caller's buffer */
	size_t sl;
};

/* Column id of VMA i of L into *c.  Text that has to be made (the dev, the flags)
 * goes into buf (len bytes), to which c->s then points.  Returns false when the
 * value is unknown (c->kind CELL_UNKNOWN). */
bool column_cell(int id, const struct layout *L, size_t i, char *buf, size_t len,
		 struct cell *c);

/* The text of c into buf (len bytes, NUL-terminated; at least 24 for numbers),
 * sizes in human units unless bytes; returns its length in bytes. */
size_t cell_format(const struct cell *c, bool bytes, char *buf, size_t len);

/* The display width of c's text (a column per character), with buf (len bytes) as
 * scratch; without formatting when the width follows from the value. */
size_t cell_width(const struct cell *c, bool bytes, char *buf, size_t len);

#endif

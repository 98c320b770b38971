/* moment.h - one process at one moment: what --diff and --watch compare
 *
 * A struct moment holds, for one read of one process, what a comparison needs and no
 * more: who the process was, its totals and the figures of each region, role, ELF
 * object and VMA, its threads and its mm_struct boundaries.  It is made from a model
 * (moment_from_layout(): a live process or a snapshot directory) or from a saved JSON
 * document (moment_from_json(), jsondoc.c), so that any two of them compare the same
 * way (diff.h).
 *
 * The figures of the totals, regions, roles and objects are sums of whole VMAs, each
 * in its own role: a VMA that the kernel merged across the end of an object's bss
 * counts in its role (anon), not split in two as the report does (rollup.h), whose
 * split is measured in a live process (pagemap) and estimated in a snapshot: so that
 * a snapshot and a live read of the same memory compare equal.
 *
 * Units: every address, size and figure is in bytes; time in seconds since the
 * epoch.
 */
#ifndef VMLAYOUT_MOMENT_H
#define VMLAYOUT_MOMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/layout.h"

/* The mm_struct boundaries compared, in the order of struct mm_bounds. */
enum {
	MM_START_CODE, MM_END_CODE, MM_START_DATA, MM_END_DATA, MM_START_BRK, MM_BRK,
	MM_START_STACK, MM_ARG_START, MM_ARG_END, MM_ENV_START, MM_ENV_END, MM_COUNT
};
/* The kernel's name of boundary i ("start_brk"), as the JSON document's "mm" has it. */
const char *moment_mm_name(int i);

/* One VMA.  path: its name as maps shows it, decoded ("" when none); object: the
 * path of its ELF object ("" when none); both malloc'd. */
struct moment_vma {
	uint64_t start, end, offset, inode;
	uint32_t dev_major, dev_minor;
	uint8_t perms;			/* VMA_PERM_* */
	uint8_t role, region;		/* enum role, enum region */
	bool deleted;
	pid_t tid;			/* the thread whose stack it is, or 0 */
	char *path, *object;
	struct figures f;		/* vmas 1 */
};

/* One ELF object mapped at one load bias. */
struct moment_object {
	char *path;			/* malloc'd */
	uint32_t dev_major, dev_minor;
	uint64_t inode;
	bool has_bias;
	uint64_t load_bias;
	struct figures f;		/* its VMAs (and parts of VMAs) summed */
};

struct moment_thread {
	pid_t tid;
	char comm[64];
};

struct moment {
	char *origin;		/* what was read, for messages: a path, or "PID 1234" (malloc'd) */
	const char *kind;	/* "pid", "snapshot", "json" */
	int schema;		/* of the JSON document; 1 for the others */
	pid_t pid;
	char comm[64];
	char *exe;		/* malloc'd, or NULL when unknown */
	unsigned long long start_time;	/* clock ticks after boot (stat field 22) */
	bool has_start_time;
	double time;		/* when it was read (seconds since the epoch), or 0: unknown */
	bool figures_unknown;	/* only SIZE is known (the document said so) */
	bool filtered;		/* a JSON document written with a filter */
	struct figures totals, regions[REGION_COUNT], roles[ROLE_COUNT];
	struct moment_object *objects;
	size_t n_objects;
	struct moment_vma *vmas;	/* in address order */
	size_t n_vmas;
	struct moment_thread *threads;
	size_t n_threads;
	struct opt_addr mm[MM_COUNT];
};

/* The moment of the model L (attributed and derived: layout_build()), every VMA
 * (with_vmas) or only the counts (n_vmas set, vmas NULL: what --watch needs).
 * origin: what L was read from, copied; kind: "pid" or "snapshot"; time: when it
 * was read (seconds since the epoch, 0 unknown).  Returns 0, or -1 with errno
 * ENOMEM (M holds nothing to free then). */
int moment_from_layout(struct moment *M, const struct layout *L, const char *origin,
		       const char *kind, double time, bool with_vmas);

/* The moment that the JSON document at path (vmlayout --json, schema 1) holds; the
 * one file that reads JSON (jsondoc.c, with jansson).  Returns 0, or -1 with a
 * message in msg (msglen bytes; it does not name the file) and errno: ENOENT, EACCES
 * (the file's), EINVAL (not JSON, truncated: the line and column; not a vmlayout
 * document; a member missing or of the wrong type: its name), ENOMEM. */
int moment_from_json(struct moment *M, const char *path, char *msg, size_t msglen);

/* The totals, regions, roles and objects' figures of M summed from its VMAs (each
 * to the instance of its object with the same path and the highest load bias at or
 * below its start). */
void moment_sum(struct moment *M);

void moment_free(struct moment *M);

#endif

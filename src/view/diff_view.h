/* diff_view.h - what changed between two moments (attr/diff.h) as text and as JSON
 *
 * Units: bytes; changes signed (new - old).
 */
#ifndef VMLAYOUT_DIFF_VIEW_H
#define VMLAYOUT_DIFF_VIEW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "attr/diff.h"
#include "view/jsonwrt.h"
#include "view/views.h"

/* Parts of the diff's text view: TEXT_SUMMARY (the regions), TEXT_ROLES,
 * TEXT_OBJECTS, and DIFF_VMAS; 0: the regions, the objects and the VMAs. */
enum { DIFF_VMAS = 1 << 8 };

/* The text view of d onto out: a header (what was compared, the VMA, thread and
 * object counts, the totals before, after and their change), then, of what
 * changed, the regions (and roles) with RSS before and after and the change of
 * SIZE, RSS, PSS, PRIVATE and SWAP, largest change first; the objects loaded,
 * unloaded, grown, shrunk or moved; the VMAs that appeared, disappeared, grew,
 * shrank or moved (the max_vmas largest changes, 0: all; a line says how many were
 * left out); the threads started and ended; the mm_struct boundaries that moved.
 * A process that did not change: the header and "no change".  o->color: growth in
 * red, shrinking in green.  Returns 0; write errors are left in out. */
int render_diff_text(FILE *out, const struct diff *d, const struct render_opts *o,
		     unsigned parts, size_t max_vmas);

/* The same as one JSON object onto w (man page, COMPARING AND WATCHING), the
 * member key of the object open on w, or (key NULL) a document: every region and
 * role, the changed objects and VMAs, largest change first.  forced: the check of
 * the process (or of the schema numbers) was overridden by --force. */
void render_diff_json(struct jsonwrt *w, const char *key, const struct diff *d, bool forced);

/* A size change as text: "+1.5M", "-4K", "0" (bytes with exact).  Returns buf. */
char *size_change(char *buf, size_t len, int64_t v, bool exact);

/* The figures of f as members size, rss, pss, private, swap (bytes) of the object
 * open on w; all but size null when unknown. */
void render_figures_json(struct jsonwrt *w, const struct figures *f, bool unknown);

#endif

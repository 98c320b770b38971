/* all.h - the whole machine (--all, --objects, --users, --openmetrics): every
 * process read by a pool of workers, one process each, that share one ELF cache
 *
 * libproc2 lists the processes (procinfo.h); each is read as "vmlayout PID" reads
 * it (source_open_pid(), layout_build()) and summed into a row (machine.h) before its
 * layout is freed; the rows are printed in a stable order by the views of
 * machine_view.h.
 */
#ifndef VMLAYOUT_ALL_H
#define VMLAYOUT_ALL_H

#include <argp.h>

#include "cli/options.h"

/* The checks of the options of --all (called by options.c at ARGP_KEY_END instead
 * of the checks of the views of one process): the view (--objects, --users), the
 * columns (-o, --output-all, --sort) of that view, the targets (PIDs or names, no
 * path), the users of --user resolved into ctl->uids, and the options that do not
 * apply.  Usage errors exit through argp_error(). */
void all_finish_options(struct ctl *ctl, struct argp_state *state);

/* Read the processes and print the view on stdout (errors on stderr, each naming the
 * PID and the cause; one line counting the processes that could not be read).
 * Returns the exit status: 0 when every process was read, or could not be only for
 * want of permission or because it exited; 1 when a process could not be read for
 * another cause, a PID or name given matched no process, or stdout could not be
 * written. */
int all_run(const struct ctl *ctl);

#endif

/* commands.h - the commands of the command line besides the report of each target
 * (vmlayout.c): --diff (compare.c) and --watch (watch.c), and what they share with
 * the report
 *
 * Each command reads its targets, prints on stdout and its messages on stderr
 * (msg.h), and returns the program's exit status: 0, or 1 when a target could not
 * be read or compared (nothing on stdout then).
 */
#ifndef VMLAYOUT_COMMANDS_H
#define VMLAYOUT_COMMANDS_H

#include <sys/types.h>

#include "cli/options.h"
#include "model/layout.h"

/* --diff OLD NEW (ctl->targets[0], [1]): what changed between two moments of a
 * process, as text or JSON (ctl->json). */
int diff_main(const struct ctl *ctl);

/* --watch[=SECONDS] PID|NAME: samples of a live process until it exits, SIGINT,
 * SIGTERM or ctl->count samples; then a summary of what grew. */
int watch_main(const struct ctl *ctl);

/* vmlayout.c: the error of a process or file that could not be read (who: msg.h;
 * msg: the source's message, or ""). */
void report_status(const char *who, enum layout_status st, const char *msg);

/* vmlayout.c: the PID of target (a PID, or the name of one process); -1 after an
 * error message. */
pid_t target_pid(const char *target);

/* vmlayout.c: flush stdout; a failed write is an error (a message, -1), except a
 * closed pipe (`| head`: 0). */
int close_stdout(void);

#endif

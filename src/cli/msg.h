/* msg.h - the messages of the command line on standard error, in one form
 *
 * Every message of the program is one line, util-linux style: the program's name,
 * what the message is about, then the text:
 *
 *	vmlayout: WHO: TEXT			an error			vml_errx()
 *	vmlayout: WHO: TEXT: CAUSE		an error, CAUSE strerror(errno)	vml_err()
 *	vmlayout: WHO: warning: TEXT		a warning: the report goes on	vml_warnx()
 *
 * WHO names the process, "PID 1234" (vml_who_pid()), or the file or snapshot
 * directory as the command line gave it ("-": "standard input"); NULL leaves it
 * out, for a message about the run itself ("vmlayout: write error: ...").  The text
 * says the cause, and the cure where there is one.  Control characters and bytes
 * that are not UTF-8 (in a path, say) are written as \n, \t, \xHH, so that a message
 * stays one line of text.
 *
 * Usage errors are argp's: "vmlayout: TEXT" and "Try 'vmlayout --help' for more
 * information." (vmlayout.c).
 */
#ifndef VMLAYOUT_MSG_H
#define VMLAYOUT_MSG_H

#include <stdbool.h>
#include <sys/types.h>

void vml_errx(const char *who, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vml_err(const char *who, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vml_warnx(const char *who, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Colour "warning:" (yellow) from now on.  Off at the start; the caller turns it
 * on only when standard error is a terminal and colour is wanted. */
void vml_msg_color(bool on);

/* "PID 1234" into buf (VML_WHO_PID bytes); returns buf. */
#define VML_WHO_PID 24
char *vml_who_pid(char *buf, pid_t pid);

#endif

/* msg.c - the messages of the command line (see msg.h) */
#include "config.h"

#include <errno.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/msg.h"
#include "lib/util.h"

/* The widest text of a message (columns; a byte escaped as \xHH takes four): a
 * longer one is cut at the front, with "...". */
#define MSG_WIDTH 4000

static bool color;

void vml_msg_color(bool on)
{
	color = on;
}

char *vml_who_pid(char *buf, pid_t pid)
{
	snprintf(buf, VML_WHO_PID, "PID %d", (int)pid);
	return buf;
}

/* s made printable into buf (cap bytes): see name_printable(). */
static const char *printable(char *buf, size_t cap, const char *s)
{
	bool ascii = strcmp(nl_langinfo(CODESET), "UTF-8") != 0;

	return name_printable(buf, cap, s, strlen(s), MSG_WIDTH, ascii);
}

/* "vmlayout: [WHO: ][warning: ]TEXT[: CAUSE]", written with one call. */
static void vmsg(const char *who, bool warning, const char *cause, const char *fmt,
		 va_list ap)
{
	char text[4096], w[4096 + 8], t[4096 + 8];	/* name_printable(): 4096 at most */

	vsnprintf(text, sizeof(text), fmt, ap);
	if (who && !strcmp(who, "-"))
		who = "standard input";
	fprintf(stderr, "vmlayout: %s%s%s%s%s%s\n", who ? printable(w, sizeof(w), who) : "",
		who ? ": " : "",
		!warning ? "" : color ? "\033[33mwarning:\033[0m " : "warning: ",
		printable(t, sizeof(t), text), cause ? ": " : "", cause ? cause : "");
}

void vml_errx(const char *who, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(who, false, NULL, fmt, ap);
	va_end(ap);
}

void vml_err(const char *who, const char *fmt, ...)
{
	const char *cause = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	vmsg(who, false, cause, fmt, ap);
	va_end(ap);
}

void vml_warnx(const char *who, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(who, true, NULL, fmt, ap);
	va_end(ap);
}

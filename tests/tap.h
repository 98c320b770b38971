/* tap.h - a minimal Test Anything Protocol emitter for the C unit tests.
 * Each check prints "ok N - what" or "not ok N - what"; tap_done() prints the plan
 * and returns the exit status (0, the TAP driver reads the lines). */
#ifndef VMLAYOUT_TAP_H
#define VMLAYOUT_TAP_H
#include <stdarg.h>
#include <stdio.h>

static int tap_n, tap_failed;

__attribute__((format(printf, 2, 3), unused))
static int tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;
	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		tap_failed++;
	return cond;
}

__attribute__((format(printf, 1, 2), unused))
static void tap_diag(const char *fmt, ...)
{
	va_list ap;
	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

__attribute__((unused))
static int tap_done(void)
{
	printf("1..%d\n", tap_n);
	fflush(stdout);
	return 0;
}
#endif

/* libplug.c - a shared library for tests/runtimes.c: a 1 MiB bss and a function
 * that touches it.  Built twice by Makefile.am: tests/libplug.so and, linked with
 * -z max-page-size=0x200000 (segments 2 MiB apart: ld.so leaves ---p holes of the
 * library's file between them), tests/libplug-2m.so. */
#include <string.h>

#define PLUG_BSS (1024 * 1024)

static char plug_bss[PLUG_BSS];
int plug_data = 42;

/* Touch the first and the last page of the bss; returns its address. */
char *plug_touch(void);
char *plug_touch(void)
{
	plug_bss[0] = 1;
	plug_bss[PLUG_BSS - 1] = (char)plug_data;
	return plug_bss;
}

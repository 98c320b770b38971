/* vmlayout.c - the command line: options, process lookup, errors, output */
#include "config.h"

#include <argp.h>
#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "layout.h"
#include "procinfo.h"
#include "render.h"

#define EXIT_USAGE 64

enum color_when { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

enum {
	OPT_COLOR = 0x100,
	OPT_ASCII,
};

/* Everything the options say. */
struct ctl {
	bool json;
	bool bytes;
	bool ascii;
	enum color_when color;
	const char *target;	/* PID or NAME */
};

static void print_version(FILE *stream, struct argp_state *state)
{
	(void)state;
	fprintf(stream, "vmlayout %s\n", PACKAGE_VERSION);
}

void (*argp_program_version_hook)(FILE *, struct argp_state *) = print_version;

static const struct argp_option options[] = {
	{ NULL, 0, NULL, 0, "Output:", 1 },
	{ "json", 'j', NULL, 0, "print the JSON document instead of the text view", 1 },
	{ "bytes", 'b', NULL, 0, "print sizes in bytes instead of K/M/G/T (binary units)", 1 },
	{ NULL, 0, NULL, 0, "Text view:", 2 },
	{ "color", OPT_COLOR, "WHEN", OPTION_ARG_OPTIONAL,
	  "colour the text view: auto (the default: only on a terminal, and not when "
	  "NO_COLOR is set), always or never", 2 },
	{ "ascii", OPT_ASCII, NULL, 0,
	  "draw with ASCII instead of UTF-8 box-drawing characters (automatic when the "
	  "locale's character set is not UTF-8)", 2 },
	{ NULL, 0, NULL, 0, "Informational:", -1 },
	{ NULL, 0, NULL, 0, NULL, 0 },
};

/* argp's messages go through this stream: it writes to stderr, with the quotes of
 * "Try `vmlayout --help'" made plain ('), as the other messages have them. */
static ssize_t usage_write(void *cookie, const char *buf, size_t size)
{
	char tmp[256];

	(void)cookie;
	for (size_t done = 0; done < size;) {
		size_t n = size - done < sizeof(tmp) ? size - done : sizeof(tmp);
		for (size_t i = 0; i < n; i++)
			tmp[i] = buf[done + i] == '`' ? '\'' : buf[done + i];
		if (fwrite(tmp, 1, n, stderr) != n)
			return -1;
		done += n;
	}
	return (ssize_t)size;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct ctl *ctl = state->input;

	switch (key) {
	case ARGP_KEY_INIT: {
		FILE *f = fopencookie(NULL, "w", (cookie_io_functions_t){ .write = usage_write });
		if (f) {
			setvbuf(f, NULL, _IOLBF, 0);
			state->err_stream = f;
		}
		break;
	}
	case 'j':
		ctl->json = true;
		break;
	case 'b':
		ctl->bytes = true;
		break;
	case OPT_ASCII:
		ctl->ascii = true;
		break;
	case OPT_COLOR:
		if (!arg || strcmp(arg, "auto") == 0)
			ctl->color = COLOR_AUTO;
		else if (strcmp(arg, "always") == 0)
			ctl->color = COLOR_ALWAYS;
		else if (strcmp(arg, "never") == 0)
			ctl->color = COLOR_NEVER;
		else
			argp_error(state, "invalid --color value '%s': use auto, always or never", arg);
		break;
	case ARGP_KEY_ARG:
		if (ctl->target)
			argp_error(state, "one PID or process name at a time");
		ctl->target = arg;
		break;
	case ARGP_KEY_NO_ARGS:
		argp_error(state, "missing PID or process name");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	.options = options,
	.parser = parse_opt,
	.args_doc = "PID|NAME",
	.doc = "Show the layout of a process's address space: code, data, bss, heap, mmap "
	       "area and stack, with the size and memory use of each part, from /proc/PID/smaps "
	       "and the ELF program headers of the executable and its libraries."
	       "\vNAME is the command name (comm) of exactly one process.  Exit status: 0 "
	       "success, 1 the process could not be analysed, 64 usage error.",
};

/* A PID when s is all digits; 0 when s is a plausible process name; -1 otherwise. */
static long parse_target(const char *s)
{
	char *end;

	if (!*s)
		return -1;
	if (strspn(s, "0123456789") == strlen(s)) {
		errno = 0;
		long v = strtol(s, &end, 10);
		if (errno || v <= 0 || v > INT_MAX)
			return -1;
		return v;
	}
	if (strchr(s, '/') || strpbrk(s, " \t\n"))
		return -1;
	return 0;
}

static int resolve_name(const char *name, pid_t *pid)
{
	pid_t *pids;
	size_t n;

	if (procinfo_find_by_name(name, &pids, &n) < 0) {
		fprintf(stderr, "vmlayout: looking for '%s': %s\n", name, strerror(errno));
		return -1;
	}
	if (n == 0) {
		fprintf(stderr, "vmlayout: no process named '%s'\n", name);
		free(pids);
		return -1;
	}
	if (n > 1) {
		fprintf(stderr, "vmlayout: several processes are named '%s':", name);
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, " %d", (int)pids[i]);
		fputc('\n', stderr);
		free(pids);
		return -1;
	}
	*pid = pids[0];
	free(pids);
	return 0;
}

static void report_status(pid_t pid, enum layout_status st, const char *msg)
{
	switch (st) {
	case LAYOUT_NO_PROCESS:
		fprintf(stderr, "vmlayout: PID %d: no such process\n", (int)pid);
		break;
	case LAYOUT_EXITED:
		fprintf(stderr, "vmlayout: PID %d has exited\n", (int)pid);
		break;
	case LAYOUT_KERNEL_THREAD:
		fprintf(stderr, "vmlayout: PID %d is a kernel thread: it has no user address space\n",
			(int)pid);
		break;
	case LAYOUT_PERMISSION:
		fprintf(stderr, "vmlayout: PID %d: permission denied: reading smaps needs ptrace "
			"read access (run as the process's owner or root)\n", (int)pid);
		break;
	default:
		fprintf(stderr, "vmlayout: PID %d: %s\n", (int)pid, msg[0] ? msg : strerror(errno));
		break;
	}
}

/* Flush stdout; a failed write is an error, except a closed pipe (`| head`). */
static int close_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno == EPIPE)
			return 0;
		fprintf(stderr, "vmlayout: write error: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct ctl ctl = { .color = COLOR_AUTO };
	struct layout L;
	char msg[256];
	pid_t pid;

	setlocale(LC_ALL, "");
	argp_err_exit_status = EXIT_USAGE;
	if (argc > 0)
		argv[0] = (char *)"vmlayout";	/* getopt names the program by argv[0] */
	argp_parse(&argp, argc, argv, 0, NULL, &ctl);

	long t = parse_target(ctl.target);
	if (t < 0) {
		fprintf(stderr, "vmlayout: '%s': not a PID or process name\n"
			"Try 'vmlayout --help' or 'vmlayout --usage' for more information.\n",
			ctl.target);
		return EXIT_USAGE;
	}
	if (t == 0) {
		if (resolve_name(ctl.target, &pid) < 0)
			return EXIT_FAILURE;
	} else {
		pid = (pid_t)t;
	}

	enum layout_status st = layout_read_pid(&L, pid, msg, sizeof(msg));
	if (st != LAYOUT_OK) {
		report_status(pid, st, msg);
		return EXIT_FAILURE;
	}

	/* a large buffer: the JSON of a big process is tens of MiB */
	static char obuf[1 << 16];
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	signal(SIGPIPE, SIG_IGN);
	if (ctl.json) {
		render_json(stdout, &L);
	} else {
		const char *nc = getenv("NO_COLOR");
		struct render_opts ro = {
			.bytes = ctl.bytes,
			.ascii = ctl.ascii || strcmp(nl_langinfo(CODESET), "UTF-8") != 0,
			.color = ctl.color == COLOR_ALWAYS ||
				 (ctl.color == COLOR_AUTO && isatty(STDOUT_FILENO) && !(nc && *nc)),
		};
		render_text(stdout, &L, &ro);
	}
	layout_free(&L);
	return close_stdout() < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

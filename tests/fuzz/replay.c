/* replay.c - run a fuzz target on its kept inputs, without libFuzzer (see fuzz.h)
 *
 * Usage: replay-NAME [FILE|DIR]...
 * With no argument, the inputs are the files of $top_srcdir/tests/fuzz/NAME/corpus
 * and $top_srcdir/tests/fuzz/NAME/regressions (top_srcdir defaults to ".").  Each
 * input is one TAP test: "ok" once the target returned.  A broken property aborts
 * the program (the TAP driver then reports the crash and the plan is missing); the
 * line "# FILE" printed before each run names the input that did it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#ifndef FUZZ_NAME
#error "FUZZ_NAME must name the target (smaps, elf, json)"
#endif

static int n_tests, n_failed;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;

	n_tests++;
	if (!f) {
		printf("not ok %d - %s: %s\n", n_tests, path, strerror(errno));
		n_failed++;
		return;
	}
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			uint8_t *nb = realloc(buf, cap);
			if (!nb) {
				fprintf(stderr, "out of memory\n");
				exit(99);
			}
			buf = nb;
		}
		size_t r = fread(buf + len, 1, cap - len, f);
		len += r;
		if (r == 0)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		printf("not ok %d - %s: read error\n", n_tests, path);
		n_failed++;
		free(buf);
		return;
	}
	printf("# %s\n", path);
	fflush(stdout);
	/* an exact-size copy, so that ASan sees a read past the end */
	uint8_t *in = malloc(len ? len : 1);
	if (!in) {
		fprintf(stderr, "out of memory\n");
		exit(99);
	}
	memcpy(in, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(in, len);
	free(in);
	printf("ok %d - %s\n", n_tests, path);
	fflush(stdout);
}

static void run_path(const char *path, int must_exist)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		if (must_exist || errno != ENOENT) {
			n_tests++;
			n_failed++;
			printf("not ok %d - %s: %s\n", n_tests, path, strerror(errno));
		}
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		run_file(path);
		return;
	}
	DIR *d = opendir(path);
	if (!d) {
		n_tests++;
		n_failed++;
		printf("not ok %d - %s: %s\n", n_tests, path, strerror(errno));
		return;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char **nn = realloc(names, (n + 1) * sizeof(*names));
		if (!nn || asprintf(&nn[n], "%s/%s", path, de->d_name) < 0) {
			fprintf(stderr, "out of memory\n");
			exit(99);
		}
		names = nn;
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		run_file(names[i]);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			run_path(argv[i], 1);
	} else {
		const char *top = getenv("top_srcdir");
		char *p;
		if (!top || !*top)
			top = ".";
		if (asprintf(&p, "%s/tests/fuzz/%s/corpus", top, FUZZ_NAME) < 0)
			return 99;
		run_path(p, 1);
		free(p);
		if (asprintf(&p, "%s/tests/fuzz/%s/regressions", top, FUZZ_NAME) < 0)
			return 99;
		run_path(p, 0);
		free(p);
	}
	printf("1..%d\n", n_tests);
	return 0;
}

/* compare.c - --diff OLD NEW: each side read into a moment (a snapshot directory,
 * a saved JSON document or a live process), compared, printed (see commands.h) */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "attr/attribute.h"
#include "attr/diff.h"
#include "attr/moment.h"
#include "cli/commands.h"
#include "cli/msg.h"
#include "elf/elfinfo.h"
#include "source/source.h"
#include "view/diff_view.h"

/* VMAs the text view lists without --vmas */
#define TEXT_VMAS 20

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Whether the file at path begins, after white space, with '{' or '[': a JSON
 * document, not a snapshot or anything else vmlayout reads. */
static int is_json(const char *path, char *msg, size_t msglen)
{
	char buf[256];
	int fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	ssize_t n;

	if (fd < 0) {
		snprintf(msg, msglen, "%s", strerror(errno));
		return -1;
	}
	n = read(fd, buf, sizeof(buf));
	if (n < 0) {
		int e = errno;
		close(fd);
		snprintf(msg, msglen, "%s", strerror(e));
		return -1;
	}
	close(fd);
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r')
			continue;
		if (buf[i] == '{' || buf[i] == '[')
			return 1;
		break;
	}
	snprintf(msg, msglen, "neither a snapshot directory (vmlayout --save) nor a JSON "
		 "document (vmlayout --json)");
	return 0;
}

/* Read the model of src into M (a moment with its VMAs).  who names it in the
 * messages.  Returns 0, or -1 after a message. */
static int read_model(struct source *src, const char *who, const char *origin,
		      const char *kind, double time, struct moment *M)
{
	struct elf_cache *cache = elf_cache_new();
	struct layout L;
	char msg[256] = "";
	enum layout_status st = LAYOUT_ERROR;
	int rc = -1;

	if (!cache) {
		vml_errx(who, "%s", strerror(ENOMEM));
		return -1;
	}
	st = layout_build(&L, src, cache, msg, sizeof(msg));
	if (st != LAYOUT_OK) {
		report_status(who, st, msg);
	} else {
		for (size_t i = 0; i < L.n_warnings; i++)
			vml_warnx(who, "%s", L.warnings[i]);
		rc = moment_from_layout(M, &L, origin, kind, time, true);
		if (rc < 0)
			vml_err(who, "comparing");
		layout_free(&L);
	}
	elf_cache_free(cache);
	return rc;
}

/* One side of the comparison: target, a path or a PID or name. */
static int read_side(const char *target, struct moment *M)
{
	struct source src = { 0 };
	char msg[512], who[VML_WHO_PID], path[4096];
	struct stat st;
	int rc;

	if (!options_is_path(target)) {
		pid_t pid = target_pid(target);
		if (pid < 0)
			return -1;
		vml_who_pid(who, pid);
		if (source_open_pid(&src, pid, 0) < 0) {
			report_status(who, errno == ESRCH ? LAYOUT_NO_PROCESS : LAYOUT_ERROR, "");
			return -1;
		}
		double t = now();
		rc = read_model(&src, who, who, "pid", t, M);
		source_close(&src);
		return rc;
	}
	if (strcmp(target, "-") == 0) {
		vml_errx(NULL, "--diff reads files by name, not standard input");
		return -1;
	}
	if (stat(target, &st) < 0) {
		vml_err(target, "cannot read it");
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		double t = 0;
		snprintf(path, sizeof(path), "%s/snapshot", target);
		if (stat(path, &st) < 0) {
			vml_errx(target, "not a vmlayout snapshot (no file 'snapshot')");
			return -1;
		}
		t = (double)st.st_mtim.tv_sec + st.st_mtim.tv_nsec / 1e9;
		if (source_open_snapshot(&src, target) < 0) {
			vml_err(target, "cannot read the snapshot");
			return -1;
		}
		rc = read_model(&src, target, target, "snapshot", t, M);
		source_close(&src);
		return rc;
	}
	if (is_json(target, msg, sizeof(msg)) == 1 &&
	    moment_from_json(M, target, msg, sizeof(msg)) == 0)
		return 0;
	vml_errx(target, "%s", msg);
	return -1;
}

/* What --force must say: a different process, a schema this version does not
 * read, a filtered document.  Returns 0, or -1 after a message. */
static int check_sides(const struct ctl *ctl, const struct moment *a, const struct moment *b)
{
	char why[512];
	const struct moment *m[2] = { a, b };

	if (ctl->force)
		return 0;
	for (int i = 0; i < 2; i++) {
		if (m[i]->schema != 1) {
			vml_errx(m[i]->origin, "a document of schema %d: this vmlayout reads "
				 "schema 1 (--force to compare anyway)", m[i]->schema);
			return -1;
		}
		if (m[i]->filtered) {
			vml_errx(m[i]->origin, "written with a filter (--role, --region, --perms, "
				 "--object): compare whole documents (--force to compare anyway)");
			return -1;
		}
	}
	if (!moment_same_process(a, b, why, sizeof(why))) {
		vml_errx(NULL, "%s and %s are not of one process: %s (--force to compare "
			 "anyway)", a->origin, b->origin, why);
		return -1;
	}
	return 0;
}

int diff_main(const struct ctl *ctl)
{
	struct moment a, b;
	struct diff d;
	int rc = 1;

	if (read_side(ctl->targets[0], &a) < 0)
		return 1;
	if (read_side(ctl->targets[1], &b) < 0) {
		moment_free(&a);
		return 1;
	}
	if (check_sides(ctl, &a, &b) < 0)
		goto out;
	if (diff_moments(&d, &a, &b) < 0) {
		vml_err(NULL, "comparing %s and %s", a.origin, b.origin);
		goto out;
	}
	if (ctl->json) {
		struct jsonwrt w;
		jsonwrt_init(&w, stdout, false);
		render_diff_json(&w, NULL, &d, ctl->force);
		jsonwrt_finish(&w);
	} else {
		const char *nc = getenv("NO_COLOR");
		struct render_opts ro = {
			.bytes = ctl->bytes,
			.ascii = ctl->ascii || strcmp(nl_langinfo(CODESET), "UTF-8") != 0,
			.color = ctl->color == COLOR_ALWAYS ||
				 (ctl->color == COLOR_AUTO && isatty(STDOUT_FILENO) && !(nc && *nc)),
		};
		unsigned parts = ctl->parts | (ctl->vmas ? DIFF_VMAS : 0);
		render_diff_text(stdout, &d, &ro, parts, ctl->vmas ? 0 : TEXT_VMAS);
	}
	diff_free(&d);
	rc = close_stdout() < 0 ? 1 : 0;
out:
	moment_free(&a);
	moment_free(&b);
	return rc;
}

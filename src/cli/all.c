/* all.c - the whole machine: the processes read in parallel, the view printed (see
 * all.h)
 *
 * The scan: libproc2 lists the processes; a pool of workers (--jobs, by default one
 * per online CPU) takes them one at a time from a shared counter; each worker reads
 * its process whole, as "vmlayout PID" does, with one ELF cache for the machine
 * (elfinfo.h: thread-safe), and leaves its row in the process's slot.  Nothing is
 * printed until every worker is done: the rows are then sorted (machine_sort(), PID
 * order between equal values) and printed, and the errors said in PID order, so
 * that the output does not depend on which worker was faster.
 *
 * A process that exits while it is read, or whose smaps never reads consistent, is
 * left out and counted; never half a row.
 */
#include "config.h"

#include <errno.h>
#include <libelf.h>
#include <pthread.h>
#include <pwd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "attr/attribute.h"
#include "cli/all.h"
#include "cli/commands.h"
#include "cli/msg.h"
#include "elf/elfinfo.h"
#include "model/machine.h"
#include "source/procdir.h"
#include "source/procinfo.h"
#include "source/source.h"
#include "view/machine_view.h"

/* ------------------------------------------------------------------ options */

/* Resolve one --user entry (a name, or a uid in decimal) into *uid. */
static int user_uid(const char *s, uid_t *uid)
{
	long size = sysconf(_SC_GETPW_R_SIZE_MAX);
	size_t len = size > 0 ? (size_t)size : 4096;
	char *buf = malloc(len), *end;
	struct passwd pw, *res = NULL;

	if (!buf)
		return -1;
	if (getpwnam_r(s, &pw, buf, len, &res) == 0 && res) {
		*uid = res->pw_uid;
		free(buf);
		return 0;
	}
	free(buf);
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (*s && !*end && !errno && v < (uid_t)-1) {
		*uid = (uid_t)v;
		return 0;
	}
	return -1;
}

void all_finish_options(struct ctl *ctl, struct argp_state *state)
{
	char err[256];
	const char *with = ctl->svg ? "--svg" : ctl->vmas ? "--vmas" : ctl->n_addrs ? "--addr"
			 : ctl->save_dir ? "--save" : ctl->reference ? "--reference"
			 : ctl->sysroot ? "--sysroot" : ctl->has_base ? "--base"
			 : (ctl->parts & ~(unsigned)TEXT_OBJECTS) ? "--diagram, --summary and --roles"
			 : NULL;
	const char *what = ctl->all || ctl->users_view || ctl->n_users ? "--all" : "--openmetrics";

	if (ctl->users_view || ctl->n_users)
		ctl->all = true;
	if (with)
		argp_error(state, "%s and %s exclude each other", what, with);
	if (ctl->json && ctl->openmetrics)
		argp_error(state, "--json and --openmetrics exclude each other");
	if (!ctl->all && !ctl->n_targets && !ctl->list_columns)
		argp_error(state, "--openmetrics: give a PID or process name, or --all");
	if (!ctl->all && ctl->jobs)
		argp_error(state, "--jobs goes with --all");
	if (ctl->users_view && (ctl->parts & TEXT_OBJECTS))
		argp_error(state, "--objects and --users exclude each other");
	ctl->all_view = ctl->users_view ? MVIEW_USERS
		      : (ctl->parts & TEXT_OBJECTS) ? MVIEW_OBJECTS : MVIEW_PROCESSES;
	for (size_t i = 0; i < ctl->n_targets; i++)
		if (ctl->kinds[i] != TARGET_AUTO || options_is_path(ctl->targets[i]))
			argp_error(state, "%s reads live processes: '%s' is a file", what,
				   ctl->targets[i]);

	/* the users of --user */
	size_t n = 0;
	for (size_t i = 0; i < ctl->n_users; i++)
		n += strlen(ctl->users[i]) + 1;	/* at most one uid a byte */
	ctl->uids = calloc(n ? n : 1, sizeof(*ctl->uids));
	if (!ctl->uids)
		argp_failure(state, EXIT_FAILURE, ENOMEM, "--user");
	for (size_t i = 0; i < ctl->n_users; i++) {
		char *list = strdup(ctl->users[i]), *save = NULL;
		if (!list)
			argp_failure(state, EXIT_FAILURE, ENOMEM, "--user");
		for (char *u = strtok_r(list, ",", &save); u; u = strtok_r(NULL, ",", &save))
			if (user_uid(u, &ctl->uids[ctl->n_uids++]) < 0) {
				snprintf(err, sizeof(err), "%s", u);
				free(list);
				argp_error(state, "--user: no user '%s'", err);
				return;	/* argp_error() exits (no ARGP_NO_EXIT here) */
			}
		free(list);
	}

	/* the columns of the view */
	enum machine_view v = (enum machine_view)ctl->all_view;
	ctl->ncols = machine_columns_default(v, ctl->cols, MAX_COLS);
	if (ctl->output_all) {
		size_t nc = machine_columns_count(v);
		for (ctl->ncols = 0; ctl->ncols < nc && ctl->ncols < MAX_COLS; ctl->ncols++)
			ctl->cols[ctl->ncols] = (int)ctl->ncols;
	} else if (ctl->output && machine_columns_parse(v, ctl->output, ctl->cols, &ctl->ncols,
							MAX_COLS, err, sizeof(err)) < 0) {
		argp_error(state, "%s", err);
	}
	ctl->sort_col = -1;
	ctl->sort_desc = true;	/* the default: PSS, largest first */
	if (ctl->sort) {
		const char *name = ctl->sort;
		ctl->sort_desc = *name == '-';
		name += ctl->sort_desc;
		ctl->sort_col = machine_column_lookup(v, name, strlen(name));
		if (ctl->sort_col < 0)
			argp_error(state, "--sort: unknown column '%s' (see --all --list-columns)",
				   name);
	}
}

/* ------------------------------------------------------------------ the scan */

enum slot_state {
	SLOT_TODO,
	SLOT_OK,	/* row made */
	SLOT_SKIP,	/* a kernel thread or a zombie (skip_why): no address space */
	SLOT_OTHER,	/* not asked for: another user's (--user), no VMA selected */
	SLOT_GONE,	/* exited while being read */
	SLOT_PERM,	/* no ptrace read access */
	SLOT_CHANGED,	/* smaps never read consistent */
	SLOT_ERROR,	/* anything else: msg */
};

struct slot {
	pid_t pid;
	uid_t euid;		/* libproc2's, with --user; else (uid_t)-1 */
	bool kernel_thread;
	uint64_t rss;		/* libproc2's VmRSS, bytes: the order of the reads */
	enum slot_state st;
	enum layout_status skip_why;	/* SLOT_SKIP: LAYOUT_KERNEL_THREAD or _ZOMBIE */
	int err;		/* SLOT_ERROR: its errno */
	struct machine_proc p;
	char msg[200];
};

struct scan {
	const struct ctl *ctl;
	struct slot *slots;
	size_t n;
	size_t *order;		/* the slots in the order to read them */
	struct elf_cache *cache;
	atomic_size_t next, done;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	size_t running;		/* workers not finished (lock) */
};

static bool uid_wanted(const struct ctl *ctl, uid_t uid)
{
	if (!ctl->n_uids)
		return true;
	for (size_t i = 0; i < ctl->n_uids; i++)
		if (ctl->uids[i] == uid)
			return true;
	return false;
}

/* Whether /proc/PID is there (the process exists, or is a zombie); *euid its
 * owner, the process's effective user ID. */
static bool proc_exists(pid_t pid, uid_t *euid)
{
	char path[32];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if (stat(path, &st) < 0)
		return false;
	*euid = st.st_uid;
	return true;
}

/* Read the process of slot sl into its row. */
static void read_one(struct scan *s, struct slot *sl)
{
	const struct ctl *ctl = s->ctl;
	enum layout_status st = LAYOUT_ERROR;
	struct layout L;
	struct source src;
	size_t selected;

	if (sl->kernel_thread) {
		sl->st = SLOT_SKIP;
		sl->skip_why = LAYOUT_KERNEL_THREAD;
		return;
	}
	if (!uid_wanted(ctl, sl->euid)) {
		sl->st = SLOT_OTHER;
		return;
	}
	/* layout_build() reads smaps again (5 times at most) until it is consistent;
	 * a process that stays inconsistent gets one more whole read */
	for (int attempt = 0; attempt < 2; attempt++) {
		if (source_open_pid(&src, sl->pid, 0) < 0) {
			sl->err = errno;
			st = errno == ESRCH || errno == ENOENT ? LAYOUT_EXITED : LAYOUT_ERROR;
			snprintf(sl->msg, sizeof(sl->msg), "%s", strerror(errno));
			break;
		}
		st = layout_build(&L, &src, s->cache, sl->msg, sizeof(sl->msg));
		sl->err = errno;
		if (st == LAYOUT_ERROR && !sl->msg[0])
			snprintf(sl->msg, sizeof(sl->msg), "%s", strerror(sl->err));
		source_close(&src);
		if (st != LAYOUT_OK || L.consistent)
			break;
		layout_free(&L);
		st = LAYOUT_EXITED + 100;	/* changed, read again */
	}
	switch ((int)st) {
	case LAYOUT_OK:
		break;
	case LAYOUT_KERNEL_THREAD:
	case LAYOUT_ZOMBIE:
		sl->st = SLOT_SKIP;
		sl->skip_why = st;
		return;
	case LAYOUT_NO_PROCESS:
	case LAYOUT_EXITED:
		sl->st = SLOT_GONE;
		return;
	case LAYOUT_PERMISSION:
		sl->st = SLOT_PERM;
		return;
	case LAYOUT_EXITED + 100:
		sl->st = SLOT_CHANGED;
		return;
	default:
		sl->st = SLOT_ERROR;
		return;
	}
	/* its status not read: the uid of libproc2's list (read from status too), or
	 * the owner of /proc/PID (the effective uid of a dumpable process) */
	if (L.id.euid == (uid_t)-1) {
		L.id.euid = sl->euid;
		if (L.id.euid == (uid_t)-1 && !proc_exists(sl->pid, &L.id.euid)) {
			sl->st = SLOT_GONE;
			layout_free(&L);
			return;
		}
		if (procdir_user_name(L.id.euid, &L.id.euser) < 0) {
			sl->st = SLOT_ERROR;
			sl->err = errno;
			snprintf(sl->msg, sizeof(sl->msg), "%s", strerror(errno));
			layout_free(&L);
			return;
		}
	}
	if (!uid_wanted(ctl, L.id.euid)) {
		sl->st = SLOT_OTHER;
	} else if (machine_proc_from_layout(&sl->p, &L, &ctl->filter,
					    ctl->all_view == MVIEW_OBJECTS, &selected) < 0) {
		sl->st = SLOT_ERROR;
		sl->err = ENOMEM;
		snprintf(sl->msg, sizeof(sl->msg), "%s", strerror(ENOMEM));
	} else if (!selected && vma_filter_active(&ctl->filter)) {
		machine_proc_free(&sl->p);
		sl->st = SLOT_OTHER;
	} else {
		sl->st = SLOT_OK;	/* its warnings: "vmlayout PID" prints them */
	}
	layout_free(&L);
}

static void *worker(void *arg)
{
	struct scan *s = arg;

	for (;;) {
		size_t i = atomic_fetch_add(&s->next, 1);
		if (i >= s->n)
			break;
		read_one(s, &s->slots[s->order[i]]);
		atomic_fetch_add(&s->done, 1);
	}
	pthread_mutex_lock(&s->lock);
	s->running--;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* Seconds since t0. */
static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Run the workers over every slot; on a terminal, after a second, say how far they
 * are on stderr (erased at the end).  When no thread can be started, this one reads
 * every process.  Returns 0, or -1 with errno ENOMEM. */
static int scan_run(struct scan *s, long jobs)
{
	pthread_t *tids = calloc((size_t)jobs, sizeof(*tids));
	struct timespec t0;
	bool shown = false, tty = isatty(STDERR_FILENO);
	long started = 0;

	if (!tids) {
		errno = ENOMEM;
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_mutex_lock(&s->lock);
	for (long j = 0; j < jobs; j++) {
		if (pthread_create(&tids[j], NULL, worker, s) != 0)
			break;
		started++;
		s->running++;
	}
	if (!started) {
		/* no thread to be had: the reads in this one */
		s->running = 1;
		pthread_mutex_unlock(&s->lock);
		worker(s);
		free(tids);
		return 0;
	}
	while (s->running) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 200 * 1000 * 1000;
		if (until.tv_nsec >= 1000 * 1000 * 1000) {
			until.tv_sec++;
			until.tv_nsec -= 1000 * 1000 * 1000;
		}
		pthread_cond_timedwait(&s->cond, &s->lock, &until);
		if (tty && s->running && since(&t0) >= 1.0) {
			fprintf(stderr, "\rvmlayout: reading processes: %zu/%zu",
				atomic_load(&s->done), s->n);
			shown = true;
		}
	}
	pthread_mutex_unlock(&s->lock);
	if (shown)
		fputs("\r\033[K", stderr);
	for (long j = 0; j < started; j++)
		pthread_join(tids[j], NULL);
	free(tids);
	return 0;
}

/* ------------------------------------------------------------------ the run */

static int cmp_rss_desc(const void *a, const void *b, void *arg)
{
	const struct slot *sl = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	if (sl[i].rss != sl[j].rss)
		return sl[i].rss < sl[j].rss ? 1 : -1;
	return (i > j) - (i < j);
}

/* The order of the reads: the largest processes (by RSS, which grows with their
 * smaps) first, so that the last worker to finish does not start the largest one
 * when the others are done: the run takes about as long as its longest read, or its
 * share of the rest, whichever is longer.  NULL on ENOMEM. */
static size_t *read_order(const struct slot *slots, size_t n)
{
	size_t *o = malloc((n ? n : 1) * sizeof(*o));

	if (!o)
		return NULL;
	for (size_t i = 0; i < n; i++)
		o[i] = i;
	qsort_r(o, n, sizeof(*o), cmp_rss_desc, (void *)slots);
	return o;
}

static int cmp_slot_pid(const void *a, const void *b)
{
	pid_t x = ((const struct slot *)a)->pid, y = ((const struct slot *)b)->pid;

	return (x > y) - (x < y);
}

/* The slots to read: every process, or those of the targets.  Returns the slots
 * (*n of them, PID order; a target that matches no process said, *failed set), or
 * NULL with *n 0 when the processes could not be listed (said; *failed set). */
static struct slot *make_slots(const struct ctl *ctl, size_t *n, bool *failed)
{
	struct procinfo_entry *list;
	size_t nl, k = 0;
	struct slot *slots;
	size_t extra = 0;

	*n = 0;
	/* the uids from the list only to choose the processes of --user: else each
	 * is read from the process's own status, which it reads anyway */
	if (procinfo_list(&list, &nl, ctl->n_uids > 0) < 0) {
		vml_err(NULL, "listing the processes");
		*failed = true;
		return NULL;
	}
	/* room for the named processes that the list lacks (see below) */
	slots = calloc(nl + ctl->n_targets + 1, sizeof(*slots));
	if (!slots) {
		vml_err(NULL, "listing the processes");
		free(list);
		*failed = true;
		return NULL;
	}
	bool *want = ctl->n_targets ? calloc(nl ? nl : 1, sizeof(*want)) : NULL;
	if (ctl->n_targets && !want) {
		vml_err(NULL, "listing the processes");
		goto fatal;
	}
	for (size_t t = 0; t < ctl->n_targets; t++) {
		long pid = options_parse_target(ctl->targets[t]);
		pid_t one = (pid_t)pid, *pids = &one;
		size_t np = 1, found = 0;
		if (pid <= 0 && procinfo_find_by_name(ctl->targets[t], &pids, &np) < 0) {
			vml_err(NULL, "looking for '%s'", ctl->targets[t]);
			goto fatal;
		}
		for (size_t i = 0; i < np; i++)
			for (size_t j = 0; j < nl; j++)
				if (list[j].pid == pids[i]) {
					want[j] = true;
					found++;
				}
		uid_t euid = 0;
		if (!found && pid > 0 && proc_exists((pid_t)pid, &euid)) {
			/* libproc2 leaves out a process whose stat or status it could not
			 * read: read it as vmlayout PID does, which says why it cannot */
			bool dup = false;
			for (size_t e = nl; e < nl + extra; e++)
				dup |= slots[e].pid == (pid_t)pid;
			if (!dup)
				slots[nl + extra++] = (struct slot){ .pid = (pid_t)pid, .euid = euid };
		} else if (!found) {
			char who[VML_WHO_PID];
			if (pid > 0)
				vml_errx(vml_who_pid(who, (pid_t)pid), "no such process");
			else
				vml_errx(NULL, "no process named '%s'", ctl->targets[t]);
			*failed = true;
		}
		if (pid <= 0)
			free(pids);
	}
	for (size_t j = 0; j < nl; j++) {
		if (ctl->n_targets && !(want && want[j]))
			continue;
		slots[k++] = (struct slot){ .pid = list[j].pid, .euid = list[j].euid,
					    .kernel_thread = list[j].kernel_thread,
					    .rss = list[j].rss };
	}
	for (size_t e = nl; e < nl + extra; e++)
		slots[k++] = slots[e];
	if (extra)
		qsort(slots, k, sizeof(*slots), cmp_slot_pid);
	free(want);
	free(list);
	*n = k;
	return slots;
fatal:
	free(want);
	free(list);
	free(slots);
	*failed = true;
	return NULL;
}

/* The errors of the scan on stderr, in PID order, and one line counting the
 * processes not read.  explicit: the processes were named on the command line, and
 * each one not read is an error.  Returns whether one is an error. */
static bool say_errors(const struct ctl *ctl, const struct slot *slots, size_t n,
		       struct machine_report *r)
{
	bool failed = false;
	char who[VML_WHO_PID];

	for (size_t i = 0; i < n; i++) {
		const struct slot *sl = &slots[i];
		vml_who_pid(who, sl->pid);
		switch (sl->st) {
		/* a process named: each said as "vmlayout PID" says it */
		case SLOT_GONE:
			r->exited++;
			if (ctl->n_targets) {
				report_status(who, LAYOUT_EXITED, "");
				failed = true;
			}
			break;
		case SLOT_PERM:
			r->not_readable++;
			if (ctl->n_targets) {
				report_status(who, LAYOUT_PERMISSION, "");
				failed = true;
			}
			break;
		case SLOT_SKIP:
			if (ctl->n_targets) {
				report_status(who, sl->skip_why, "");
				failed = true;
			}
			break;
		case SLOT_CHANGED:
			r->changed++;
			vml_warnx(who, "smaps changed at every read: left out");
			break;
		case SLOT_ERROR:
			vml_errx(who, "%s", sl->msg);
			failed = true;
			break;
		default:
			break;
		}
	}
	/* one line for what could not be read, with the cure */
	const char *cure = geteuid() ? "run as root" : "ptrace read access denied even to root";
	size_t nr = r->not_readable, ne = r->exited;
	if (!ctl->n_targets && nr && ne)
		vml_warnx(NULL, "%zu processes not readable: %zu without ptrace read access "
			  "(%s), %zu exited while being read", nr + ne, nr, cure, ne);
	else if (!ctl->n_targets && nr)
		vml_warnx(NULL, "%zu process%s not readable: %s", nr, nr == 1 ? "" : "es", cure);
	else if (!ctl->n_targets && ne)
		vml_warnx(NULL, "%zu process%s exited while being read", ne, ne == 1 ? "" : "es");
	return failed;
}

int all_run(const struct ctl *ctl)
{
	struct machine_report r = { .view = (enum machine_view)ctl->all_view,
				    .filtered = vma_filter_active(&ctl->filter) };
	struct table_opts t = { .cols = ctl->cols, .ncols = ctl->ncols, .bytes = ctl->bytes,
				.raw = ctl->raw, .pairs = ctl->pairs,
				.noheadings = ctl->noheadings, .sort = -1 };
	struct scan s = { .ctl = ctl };
	bool failed = false;
	long jobs = ctl->jobs;

	if (ctl->list_columns) {
		if (render_machine_columns_list(stdout, r.view, &t, ctl->json) < 0)
			failed = true;
		goto print;
	}
	elf_version(EV_CURRENT);	/* once, before the workers */
	s.slots = make_slots(ctl, &s.n, &failed);
	s.cache = elf_cache_new();
	s.order = s.slots ? read_order(s.slots, s.n) : NULL;
	if (!s.slots || !s.cache || !s.order) {
		if (s.slots)
			vml_errx(NULL, "%s", strerror(ENOMEM));
		failed = true;
		goto out;
	}
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.cond, NULL);
	if (!jobs)
		jobs = sysconf(_SC_NPROCESSORS_ONLN);
	if (jobs < 1)
		jobs = 1;
	if ((size_t)jobs > s.n)
		jobs = s.n ? (long)s.n : 1;
	int rc = scan_run(&s, jobs);
	pthread_cond_destroy(&s.cond);
	pthread_mutex_destroy(&s.lock);
	if (rc < 0) {
		vml_errx(NULL, "%s", strerror(ENOMEM));
		failed = true;
		goto out;
	}
	if (say_errors(ctl, s.slots, s.n, &r))
		failed = true;
	/* without memory for one process, the rows would lack it without a word that
	 * the reader of the table could see: nothing is printed */
	for (size_t i = 0; i < s.n; i++)
		if (s.slots[i].st == SLOT_ERROR && s.slots[i].err == ENOMEM)
			goto out;
	/* processes named, and none of them read: nothing to show but errors */
	if (ctl->n_targets && failed) {
		size_t ok = 0;
		for (size_t i = 0; i < s.n; i++)
			ok += s.slots[i].st == SLOT_OK;
		if (!ok)
			goto out;
	}

	/* the rows, in PID order */
	r.procs = calloc(s.n ? s.n : 1, sizeof(*r.procs));
	if (!r.procs)
		goto nomem;
	for (size_t i = 0; i < s.n; i++)
		if (s.slots[i].st == SLOT_OK) {
			r.procs[r.n_procs++] = s.slots[i].p;
			s.slots[i].st = SLOT_TODO;	/* its row moved */
		}
	if (r.view == MVIEW_OBJECTS) {
		/* the counts through locals: the address of a member of r would let the
		 * callee change any of r, for the static analyser */
		size_t n_objs = 0;
		r.objs = machine_objects(r.procs, r.n_procs, &n_objs);
		r.n_objs = n_objs;
		if (!r.objs)
			goto nomem;
	} else if (r.view == MVIEW_USERS) {
		size_t n_users = 0;
		r.users = machine_users(r.procs, r.n_procs, &n_users);
		r.n_users = n_users;
		if (!r.users && r.n_procs)
			goto nomem;
	}
	if (machine_sort(&r, ctl->sort_col, ctl->sort_desc) < 0)
		goto nomem;
print:
	if (ctl->openmetrics) {
		if (render_machine_openmetrics(stdout, &r) < 0)
			goto nomem;
	} else if (ctl->json && !ctl->list_columns) {
		struct jsonwrt w;
		jsonwrt_init(&w, stdout, !ctl->json_lines);
		render_machine_json(&w, &r, ctl->json_lines);
	} else if (!ctl->list_columns && render_machine_table(stdout, &r, &t) < 0) {
		goto nomem;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE) {
			vml_err(NULL, "write error");
			failed = true;
		}
	}
	goto out;
nomem:
	vml_errx(NULL, "%s", strerror(ENOMEM));
	failed = true;
out:
	for (size_t i = 0; i < r.n_procs; i++)
		machine_proc_free(&r.procs[i]);
	for (size_t i = 0; i < s.n; i++)
		if (s.slots[i].st == SLOT_OK)
			machine_proc_free(&s.slots[i].p);
	free(r.procs);
	free(r.objs);
	free(r.users);
	free(r.order);
	free(s.slots);
	free(s.order);
	elf_cache_free(s.cache);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* run.c - the benchmark driver: vmlayout against cat /proc/PID/smaps, and pmap.
 *
 *	bench/run [-r ROUNDS] [-s SIZES] [-m MKVMAS] [-l LABEL] VMLAYOUT
 *
 * For each size N in SIZES (default 1000 10000 60000, and 250000 and 1000000 when
 * vm.max_map_count leaves room for them) it starts MKVMAS N (default: mkvmas beside this
 * program), which holds N unmergeable VMAs, and times these commands on that process,
 * each with stdout to /dev/null:
 *
 *	cat /proc/PID/smaps          the kernel producing smaps, read once (page-sized
 *	                             reads or larger: see proc_read_size() in smaps.c)
 *	VMLAYOUT PID                 the text view
 *	VMLAYOUT --json PID          the JSON view
 *	VMLAYOUT --vmas PID          the VMA table, only when VMLAYOUT --help lists --vmas
 *	pmap -x PID, pmap -X PID     for comparison (dropped when pmap cannot be run)
 *
 * One round runs them in one interleaved series with cat between every two commands and
 * at both ends: cat, vmlayout, cat, vmlayout --json, cat, ..., pmap -X, cat.  One untimed
 * round comes first (page cache, dynamic loader); then ROUNDS (default 7) timed rounds.
 * For every run of a command, its ratio to cat is its wall time over the mean of the two
 * cat runs either side of it, so that a slow patch of the machine moves both; its CPU
 * ratio is the same with user + system CPU time, which waiting for a busy CPU does not
 * inflate.
 *
 * Each command is started with fork() and execvp() and reaped with wait4(): wall time is
 * CLOCK_MONOTONIC from before fork() to after wait4(); user and system time and the peak
 * resident set (ru_maxrss, KiB) come from the rusage wait4() gives.  ru_maxrss is kept
 * across execve(), so it is never below this driver's own resident set at fork()
 * (about 1 MiB).
 *
 * It prints, per N and command: the median wall time (ms), the median ratio to cat, the
 * median user and system CPU time (ms), the median CPU ratio to cat, the peak RSS over
 * all runs (MiB), and the median wall time per VMA of the process (ns); a line "x pmap
 * -x" with, for cat and each vmlayout command, the median over the rounds of its ratio to
 * cat over the ratio of pmap -x in the same round (for cat: 1 over pmap -x's); then, per command, the marginal cost per VMA
 * between consecutive sizes, (t(N2) - t(N1)) / (VMAs(N2) - VMAs(N1)), which stays about
 * constant when the cost is linear in the number of VMAs.  It judges nothing.
 *
 * Exit status: 0 when every size was measured, 1 when something could not be run, 64 on
 * a usage error.  A command that exits with a non-zero status is still measured, and a
 * note says so.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "max-map-count.h"

#define MAX_CMDS 8
#define MAX_SIZES 16

struct cmd {
	const char *name;		/* as shown in the table */
	const char *argv[5];		/* argv[] with "@PID" and "@SMAPS" to fill in */
	int enabled;
	int failures;			/* timed runs with a non-zero exit status */
	int last_status;
	double *wall, *ratio, *user, *sys, *cpu_ratio;	/* one per round, ms or ratio */
	long maxrss;			/* KiB, over all runs */
};

struct result {
	unsigned long n;
	long vmas;
	double wall[MAX_CMDS];		/* median ms; < 0 when not measured */
};

struct bench {
	const char *vmlayout;
	const char *mkvmas;
	const char *label;
	int rounds;
	unsigned long sizes[MAX_SIZES];
	int nsizes;
	struct cmd cmds[MAX_CMDS];
	int ncmds;
	struct result results[MAX_SIZES];
};

struct run {
	double wall, user, sys;		/* ms */
	long maxrss;			/* KiB */
	int status;			/* exit status; 127 when it could not be executed */
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double tv_ms(const struct timeval *tv)
{
	return (double)tv->tv_sec * 1e3 + (double)tv->tv_usec / 1e3;
}

/* Runs ARGV with stdin and stdout on /dev/null (stderr inherited) and fills R.
 * Returns 0, or -1 with errno set when fork() or wait4() failed. */
static int run_cmd(char *const argv[], struct run *r)
{
	struct rusage ru;
	double t0;
	pid_t pid;
	int status;

	t0 = now_ms();
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);

		if (fd < 0 || dup2(fd, STDIN_FILENO) < 0 || dup2(fd, STDOUT_FILENO) < 0)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			return -1;
	r->wall = now_ms() - t0;
	r->user = tv_ms(&ru.ru_utime);
	r->sys = tv_ms(&ru.ru_stime);
	r->maxrss = ru.ru_maxrss;
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of the N values at V (sorted in place). */
static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Whether "VMLAYOUT --help" mentions --vmas. */
static int has_vmas_option(const char *vmlayout)
{
	char buf[8192], *p = buf;
	size_t left = sizeof(buf) - 1;
	int fds[2], status, found;
	ssize_t r;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC))
		return 0;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		execl(vmlayout, vmlayout, "--help", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while (left && (r = read(fds[0], p, left)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		p += r;
		left -= (size_t)r;
	}
	*p = '\0';
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	found = strstr(buf, "--vmas") != NULL;
	return found;
}

/* Starts MKVMAS N with its stdin and stdout on pipes and reads its "ready PID VMAS"
 * line.  Returns the pid of mkvmas (its stdin's write end in *TO, to be closed to end
 * it), or -1 after a message. */
static pid_t start_mkvmas(const char *mkvmas, unsigned long n, int *to, pid_t *target,
			  long *vmas)
{
	int in[2], out[2];
	char arg[32], line[128];
	FILE *f;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC)) {
		perror("run: pipe");
		return -1;
	}
	snprintf(arg, sizeof(arg), "%lu", n);
	pid = fork();
	if (pid < 0) {
		perror("run: fork");
		return -1;
	}
	if (pid == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		execl(mkvmas, mkvmas, arg, (char *)NULL);
		fprintf(stderr, "run: %s: %s\n", mkvmas, strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	*to = in[1];
	f = fdopen(out[0], "r");
	if (!f || !fgets(line, sizeof(line), f) ||
	    sscanf(line, "ready %d %ld", target, vmas) != 2) {
		fprintf(stderr, "run: %s %lu did not say it was ready\n", mkvmas, n);
		if (f)
			fclose(f);
		close(*to);
		waitpid(pid, NULL, 0);
		return -1;
	}
	fclose(f);
	return pid;
}

/* Fills argv[] of C for the target: "@PID" and "@SMAPS" are replaced. */
static void fill_argv(const struct cmd *c, const char *pid, const char *smaps, char **argv)
{
	int i;

	for (i = 0; c->argv[i]; i++) {
		if (!strcmp(c->argv[i], "@PID"))
			argv[i] = (char *)pid;
		else if (!strcmp(c->argv[i], "@SMAPS"))
			argv[i] = (char *)smaps;
		else
			argv[i] = (char *)c->argv[i];
	}
	argv[i] = NULL;
}

/* One round: cat, then each enabled command followed by cat.  With TIMED, the figures
 * go into slot ROUND of each command; without, only availability is learnt (a command
 * that cannot be executed is disabled).  Returns 0, or -1 when fork() failed. */
static int round_once(struct bench *b, const char *pid, const char *smaps, int round,
		      int timed)
{
	struct cmd *cat = &b->cmds[0];
	char *argv[6];
	struct run prev, cur, next;

	fill_argv(cat, pid, smaps, argv);
	if (run_cmd(argv, &prev))
		return -1;
	if (timed) {
		/* cat's own sample is the first cat of the round. */
		cat->wall[round] = prev.wall;
		cat->user[round] = prev.user;
		cat->sys[round] = prev.sys;
		cat->ratio[round] = 1.0;
		cat->cpu_ratio[round] = 1.0;
		if (prev.maxrss > cat->maxrss)
			cat->maxrss = prev.maxrss;
	}
	for (int i = 1; i < b->ncmds; i++) {
		struct cmd *c = &b->cmds[i];

		if (!c->enabled)
			continue;
		fill_argv(c, pid, smaps, argv);
		if (run_cmd(argv, &cur))
			return -1;
		fill_argv(cat, pid, smaps, argv);
		if (run_cmd(argv, &next))
			return -1;
		c->last_status = cur.status;
		if (!timed) {
			if (cur.status == 127) {
				fprintf(stderr, "run: note: %s cannot be run; left out\n",
					c->name);
				c->enabled = 0;
			}
			prev = next;
			continue;
		}
		c->wall[round] = cur.wall;
		c->ratio[round] = cur.wall / ((prev.wall + next.wall) / 2);
		c->cpu_ratio[round] = (cur.user + cur.sys) /
			((prev.user + prev.sys + next.user + next.sys) / 2);
		c->user[round] = cur.user;
		c->sys[round] = cur.sys;
		if (cur.maxrss > c->maxrss)
			c->maxrss = cur.maxrss;
		if (cur.status)
			c->failures++;
		if (next.maxrss > cat->maxrss)
			cat->maxrss = next.maxrss;
		prev = next;
	}
	return 0;
}

static void print_header(const struct bench *b)
{
	struct utsname u;
	char date[64];
	time_t t = time(NULL);

	strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S %z", localtime(&t));
	uname(&u);
	printf("vmlayout benchmark  %s  %s %s %s", date, u.sysname, u.release, u.machine);
	if (b->label && *b->label)
		printf("  %s", b->label);
	printf("\n%s, %d round%s, vm.max_map_count %ld, %ld CPUs online\n", b->vmlayout,
	       b->rounds, b->rounds == 1 ? "" : "s", read_max_map_count(),
	       sysconf(_SC_NPROCESSORS_ONLN));
	printf("ms: median wall time; x cat: median of the ratios of wall time to the mean of "
	       "the cat runs\neither side; user, sys: median CPU ms; cpu x cat: the same ratio "
	       "with user + sys;\nRSS: peak ru_maxrss over all runs; ns/VMA: median ms / VMAs"
	       "\n\n");
	printf("%8s %8s  %-18s %9s %6s %9s %9s %9s %8s %7s\n", "N", "VMAs", "command", "ms",
	       "x cat", "user", "sys", "cpu x cat", "RSS MiB", "ns/VMA");
}

/* Measures one size; fills B->results[IDX].  Returns 0 or -1 after a message. */
static int bench_size(struct bench *b, int idx)
{
	struct result *res = &b->results[idx];
	char pid[16], smaps[48];
	pid_t mk, target;
	int to, rc = 0;

	res->n = b->sizes[idx];
	for (int i = 0; i < MAX_CMDS; i++)
		res->wall[i] = -1;
	mk = start_mkvmas(b->mkvmas, res->n, &to, &target, &res->vmas);
	if (mk < 0)
		return -1;
	snprintf(pid, sizeof(pid), "%d", (int)target);
	snprintf(smaps, sizeof(smaps), "/proc/%d/smaps", (int)target);

	for (int i = 0; i < b->ncmds; i++) {
		b->cmds[i].failures = 0;
		b->cmds[i].maxrss = 0;
	}
	if (round_once(b, pid, smaps, 0, 0))
		rc = -1;
	for (int r = 0; r < b->rounds && !rc; r++)
		if (round_once(b, pid, smaps, r, 1))
			rc = -1;
	close(to);
	waitpid(mk, NULL, 0);
	if (rc) {
		perror("run: fork or wait");
		return -1;
	}

	/* each command against pmap -x, round by round (before median() sorts the
	 * ratios): its ratio to cat over pmap -x's in the same round; for cat itself,
	 * 1 over pmap -x's */
	double vs_pmap[MAX_CMDS];
	int pmap = -1;
	for (int i = 0; i < b->ncmds; i++)
		if (b->cmds[i].enabled && strcmp(b->cmds[i].name, "pmap -x") == 0)
			pmap = i;
	for (int i = 0; i < b->ncmds; i++) {
		double q[b->rounds > 0 ? b->rounds : 1];
		vs_pmap[i] = -1;
		if (pmap < 0 || !b->cmds[i].enabled ||
		    (strncmp(b->cmds[i].name, "vmlayout", 8) != 0 &&
		     strcmp(b->cmds[i].name, "cat smaps") != 0))
			continue;
		for (int r = 0; r < b->rounds; r++)
			q[r] = b->cmds[i].ratio[r] / b->cmds[pmap].ratio[r];
		vs_pmap[i] = median(q, b->rounds);
	}

	for (int i = 0; i < b->ncmds; i++) {
		struct cmd *c = &b->cmds[i];
		double ms, ratio, user, sys, cpu;

		if (!c->enabled)
			continue;
		ms = median(c->wall, b->rounds);
		ratio = median(c->ratio, b->rounds);
		user = median(c->user, b->rounds);
		sys = median(c->sys, b->rounds);
		cpu = median(c->cpu_ratio, b->rounds);
		res->wall[i] = ms;
		printf("%8lu %8ld  %-18s %9.2f %6.2f %9.2f %9.2f %9.2f %8.1f %7.0f\n",
		       res->n, res->vmas, c->name, ms, ratio, user, sys, cpu,
		       (double)c->maxrss / 1024,
		       ms * 1e6 / (double)res->vmas);
	}
	if (pmap >= 0) {
		printf("%8lu %8ld  x pmap -x:", res->n, res->vmas);
		for (int i = 0; i < b->ncmds; i++)
			if (vs_pmap[i] >= 0)
				printf("  %s %.2f", b->cmds[i].name, vs_pmap[i]);
		printf("\n");
	}
	for (int i = 0; i < b->ncmds; i++)
		if (b->cmds[i].enabled && b->cmds[i].failures)
			printf("note: %s exited with status %d in %d of %d runs\n",
			       b->cmds[i].name, b->cmds[i].last_status, b->cmds[i].failures,
			       b->rounds);
	fflush(stdout);
	return 0;
}

static void print_marginal(const struct bench *b, int nres)
{
	if (nres < 2)
		return;
	printf("\nmarginal cost per VMA, ns: (t(N2) - t(N1)) / (VMAs(N2) - VMAs(N1))\n");
	printf("%-18s", "command");
	for (int k = 1; k < nres; k++) {
		char head[48];

		snprintf(head, sizeof(head), "%lu-%lu", b->results[k - 1].n, b->results[k].n);
		printf(" %14s", head);
	}
	printf("\n");
	for (int i = 0; i < b->ncmds; i++) {
		if (!b->cmds[i].enabled)
			continue;
		printf("%-18s", b->cmds[i].name);
		for (int k = 1; k < nres; k++) {
			const struct result *p = &b->results[k - 1], *q = &b->results[k];

			if (p->wall[i] < 0 || q->wall[i] < 0 || q->vmas == p->vmas)
				printf(" %14s", "-");
			else
				printf(" %14.0f", (q->wall[i] - p->wall[i]) * 1e6 /
				       (double)(q->vmas - p->vmas));
		}
		printf("\n");
	}
}

static void add_cmd(struct bench *b, const char *name, const char *a0, const char *a1,
		    const char *a2, const char *a3)
{
	struct cmd *c = &b->cmds[b->ncmds++];

	c->name = name;
	c->argv[0] = a0;
	c->argv[1] = a1;
	c->argv[2] = a2;
	c->argv[3] = a3;
	c->argv[4] = NULL;
	c->enabled = 1;
}

static void usage(void)
{
	fputs("Usage: run [-r ROUNDS] [-s SIZES] [-m MKVMAS] [-l LABEL] VMLAYOUT\n"
	      "Time VMLAYOUT, VMLAYOUT --json, VMLAYOUT --vmas, pmap -x and pmap -X against\n"
	      "cat /proc/PID/smaps on processes with SIZES VMAs (default 1000 10000 60000 and\n"
	      "more when vm.max_map_count allows), ROUNDS interleaved rounds (default 7).\n",
	      stderr);
	exit(64);
}

static int parse_sizes(struct bench *b, const char *s)
{
	char *end;

	b->nsizes = 0;
	while (*s) {
		unsigned long v;

		if (*s == ' ' || *s == ',' || *s == '\t') {
			s++;
			continue;
		}
		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno || end == s || v == 0 || b->nsizes == MAX_SIZES)
			return -1;
		b->sizes[b->nsizes++] = v;
		s = end;
	}
	return b->nsizes ? 0 : -1;
}

int main(int argc, char **argv)
{
	static char mkvmas_path[PATH_MAX];
	struct bench b = { .rounds = 7 };
	const char *sizes = NULL;
	int opt, nres = 0, rc = 0;
	char *end;

	while ((opt = getopt(argc, argv, "r:s:m:l:h")) != -1) {
		switch (opt) {
		case 'r':
			b.rounds = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || b.rounds < 1 || b.rounds > 1000)
				usage();
			break;
		case 's':
			sizes = optarg;
			break;
		case 'm':
			b.mkvmas = optarg;
			break;
		case 'l':
			b.label = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	b.vmlayout = argv[optind];
	if (sizes && *sizes) {
		if (parse_sizes(&b, sizes))
			usage();
	} else {
		long max = read_max_map_count();

		b.sizes[b.nsizes++] = 1000;
		b.sizes[b.nsizes++] = 10000;
		b.sizes[b.nsizes++] = 60000;
		if (max >= 250000 + 1000)
			b.sizes[b.nsizes++] = 250000;
		if (max >= 1000000 + 1000)
			b.sizes[b.nsizes++] = 1000000;
	}
	if (!b.mkvmas) {
		const char *slash = strrchr(argv[0], '/');

		snprintf(mkvmas_path, sizeof(mkvmas_path), "%.*smkvmas",
			 slash ? (int)(slash - argv[0] + 1) : 0, argv[0]);
		b.mkvmas = slash ? mkvmas_path : "mkvmas";
	}

	add_cmd(&b, "cat smaps", "cat", "@SMAPS", NULL, NULL);
	add_cmd(&b, "vmlayout", b.vmlayout, "@PID", NULL, NULL);
	add_cmd(&b, "vmlayout --json", b.vmlayout, "--json", "@PID", NULL);
	add_cmd(&b, "vmlayout --vmas", b.vmlayout, "--vmas", "@PID", NULL);
	add_cmd(&b, "pmap -x", "pmap", "-x", "@PID", NULL);
	add_cmd(&b, "pmap -X", "pmap", "-X", "@PID", NULL);
	if (!has_vmas_option(b.vmlayout)) {
		fprintf(stderr, "run: note: %s --help does not list --vmas; left out\n",
			b.vmlayout);
		b.cmds[3].enabled = 0;
	}
	for (int i = 0; i < b.ncmds; i++) {
		struct cmd *c = &b.cmds[i];

		c->wall = calloc((size_t)b.rounds, sizeof(double));
		c->ratio = calloc((size_t)b.rounds, sizeof(double));
		c->user = calloc((size_t)b.rounds, sizeof(double));
		c->sys = calloc((size_t)b.rounds, sizeof(double));
		c->cpu_ratio = calloc((size_t)b.rounds, sizeof(double));
		if (!c->wall || !c->ratio || !c->user || !c->sys || !c->cpu_ratio) {
			perror("run");
			return 1;
		}
	}

	print_header(&b);
	for (int k = 0; k < b.nsizes; k++) {
		if (bench_size(&b, k)) {
			rc = 1;
			continue;
		}
		b.results[nres++] = b.results[k];
	}
	print_marginal(&b, nres);
	return rc;
}

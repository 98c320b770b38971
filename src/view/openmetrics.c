/* openmetrics.c - OpenMetrics text of --all and --openmetrics (see machine_view.h)
 *
 * The text exposition format of OpenMetrics 1.0, which Prometheus and
 * node_exporter's textfile collector read: per metric family "# TYPE", "# UNIT",
 * "# HELP", then one line per series, NAME{LABEL="value",...} VALUE; "# EOF" last.
 * Label values are escaped as the format says (\\, \", \n) and made valid UTF-8
 * (each invalid byte becomes U+FFFD): a comm or a path may hold any byte but NUL.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "view/machine_view.h"

/* The length of the valid UTF-8 sequence at s (n bytes left, n > 0), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	uint32_t c;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (len == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	return len;
}

/* A label: name="value", value escaped. */
static void label(FILE *out, const char *name, const char *value, bool first)
{
	const unsigned char *s = (const unsigned char *)value;
	size_t n = strlen(value);

	fprintf(out, "%s%s=\"", first ? "" : ",", name);
	for (size_t i = 0; i < n;) {
		size_t len = utf8_len(s + i, n - i);
		if (!len) {
			fputs("\xef\xbf\xbd", out);	/* U+FFFD */
			i++;
		} else if (s[i] == '\\' || s[i] == '"') {
			fputc('\\', out);
			fputc(s[i++], out);
		} else if (s[i] == '\n') {
			fputs("\\n", out);
			i++;
		} else {
			fwrite(s + i, 1, len, out);
			i += len;
		}
	}
	fputc('"', out);
}

static void family(FILE *out, const char *name, const char *unit, const char *help)
{
	fprintf(out, "# TYPE %s gauge\n", name);
	if (unit)
		fprintf(out, "# UNIT %s %s\n", name, unit);
	fprintf(out, "# HELP %s %s\n", name, help);
}

static const char *const figure_names[] = { "rss", "pss", "private", "swap" };

static uint64_t figure(const struct machine_figs *f, int i)
{
	return i == 0 ? f->rss : i == 1 ? f->pss : i == 2 ? f->priv : f->swap;
}

/* The user label's value: the name, else the uid in decimal (buf). */
static const char *user_label(const char *user, uid_t uid, char *buf, size_t len)
{
	if (user)
		return user;
	snprintf(buf, len, "%u", (unsigned)uid);
	return buf;
}

/* The series name NAME and the labels of process p: NAME{pid="..",comm="..",user=".."
 * (the brace left open for more labels). */
static void process_series(FILE *out, const char *name, const struct machine_proc *p)
{
	char pid[24], uid[24];

	snprintf(pid, sizeof(pid), "%d", (int)p->pid);
	fputs(name, out);
	label(out, "{pid", pid, true);
	label(out, "comm", p->comm, false);
	label(out, "user", user_label(p->user, p->uid, uid, sizeof(uid)), false);
}

static void processes(FILE *out, const struct machine_report *r)
{
	static const char mem[] = "vmlayout_process_memory_bytes";
	static const char huge[] = "vmlayout_process_hugetlb_bytes";

	family(out, mem, "bytes", "Memory of a process by region (code, data, bss, heap, "
	       "mmap, stack, special) and figure (rss, pss, private, swap), from "
	       "/proc/PID/smaps.");
	for (size_t k = 0; k < r->n_rows; k++) {
		const struct machine_proc *p = &r->procs[r->order[k]];
		for (int g = 0; g < REGION_COUNT; g++)
			for (int i = 0; i < 4; i++) {
				process_series(out, mem, p);
				label(out, "region", region_name((enum region)g), false);
				label(out, "figure", figure_names[i], false);
				fprintf(out, "} %" PRIu64 "\n", figure(&p->region[g], i));
			}
	}
	family(out, huge, "bytes", "Memory of a process in hugetlbfs pages (Shared_Hugetlb + "
	       "Private_Hugetlb), which its rss leaves out, from /proc/PID/smaps.");
	for (size_t k = 0; k < r->n_rows; k++) {
		const struct machine_proc *p = &r->procs[r->order[k]];
		process_series(out, huge, p);
		fprintf(out, "} %" PRIu64 "\n", p->f.hugetlb);
	}
}

static int cmp_name(const void *a, const void *b, void *arg)
{
	const struct machine_object *o = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int r = strcmp(o[i].name, o[j].name);

	return r ? r : (i > j) - (i < j);
}

/* The objects, those of one name summed (files of one path on two devices, or
 * replaced: the series must be unique).  Returns -1 on ENOMEM. */
static int objects(FILE *out, const struct machine_report *r)
{
	static const char mem[] = "vmlayout_object_memory_bytes";
	static const char procs[] = "vmlayout_object_processes";
	size_t *idx = malloc((r->n_objs ? r->n_objs : 1) * sizeof(*idx));

	if (!idx)
		return -1;
	for (size_t i = 0; i < r->n_objs; i++)
		idx[i] = i;
	qsort_r(idx, r->n_objs, sizeof(*idx), cmp_name, r->objs);
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 0)
			family(out, mem, "bytes", "Memory of an ELF object or mapped file summed "
			       "over the processes that map it, by figure (rss, pss, private, "
			       "swap), from /proc/PID/smaps.");
		else
			family(out, procs, NULL, "Number of processes that map an ELF object or "
			       "mapped file.");
		for (size_t k = 0; k < r->n_objs;) {
			const struct machine_object *o = &r->objs[idx[k]];
			struct machine_figs f = { 0 };
			uint64_t n = 0;
			for (; k < r->n_objs && strcmp(r->objs[idx[k]].name, o->name) == 0; k++) {
				machine_figs_add(&f, &r->objs[idx[k]].f);
				n += r->objs[idx[k]].procs;
			}
			for (int i = 0; i < (pass ? 1 : 4); i++) {
				fputs(pass ? procs : mem, out);
				label(out, "{object", o->name, true);
				if (!pass)
					label(out, "figure", figure_names[i], false);
				fprintf(out, "} %" PRIu64 "\n", pass ? n : figure(&f, i));
			}
		}
	}
	free(idx);
	return 0;
}

static void users(FILE *out, const struct machine_report *r)
{
	static const char mem[] = "vmlayout_user_memory_bytes";
	static const char procs[] = "vmlayout_user_processes";
	char uid[24];

	family(out, mem, "bytes", "Memory of the processes of a user by region and figure "
	       "(rss, pss, private, swap), from /proc/PID/smaps.");
	for (size_t k = 0; k < r->n_rows; k++) {
		const struct machine_user *u = &r->users[r->order[k]];
		for (int g = 0; g < REGION_COUNT; g++)
			for (int i = 0; i < 4; i++) {
				fputs(mem, out);
				label(out, "{user", user_label(u->user, u->uid, uid, sizeof(uid)), true);
				label(out, "region", region_name((enum region)g), false);
				label(out, "figure", figure_names[i], false);
				fprintf(out, "} %" PRIu64 "\n", figure(&u->region[g], i));
			}
	}
	family(out, "vmlayout_user_hugetlb_bytes", "bytes", "Memory of the processes of a "
	       "user in hugetlbfs pages, which their rss leaves out, from /proc/PID/smaps.");
	for (size_t k = 0; k < r->n_rows; k++) {
		const struct machine_user *u = &r->users[r->order[k]];
		fputs("vmlayout_user_hugetlb_bytes", out);
		label(out, "{user", user_label(u->user, u->uid, uid, sizeof(uid)), true);
		fprintf(out, "} %" PRIu64 "\n", u->f.hugetlb);
	}
	family(out, procs, NULL, "Number of processes of a user that were read.");
	for (size_t k = 0; k < r->n_rows; k++) {
		const struct machine_user *u = &r->users[r->order[k]];
		fputs(procs, out);
		label(out, "{user", user_label(u->user, u->uid, uid, sizeof(uid)), true);
		fprintf(out, "} %" PRIu64 "\n", u->procs);
	}
}

int render_machine_openmetrics(FILE *out, const struct machine_report *r)
{
	int rc = 0;

	if (r->view == MVIEW_OBJECTS)
		rc = objects(out, r);
	else if (r->view == MVIEW_USERS)
		users(out, r);
	else
		processes(out, r);
	family(out, "vmlayout_processes_read", NULL, "Number of processes read.");
	fprintf(out, "vmlayout_processes_read %zu\n", r->n_procs);
	family(out, "vmlayout_processes_unreadable", NULL, "Number of processes that could "
	       "not be read for want of ptrace read access.");
	fprintf(out, "vmlayout_processes_unreadable %zu\n", r->not_readable);
	fputs("# EOF\n", out);
	return rc;
}

/* jsondoc.c - a saved JSON document (vmlayout --json, schema 1) read back as a
 * moment, for --diff (see attr/moment.h)
 *
 * The one file that parses JSON, with jansson (Debian libjansson-dev): a document
 * is read whole (a process of 60 000 VMAs gives about 60 MiB of JSON), then the
 * members a comparison needs are taken from it, each checked for its type.  A
 * member missing or of another type is an error that names it ("vmas[3].start"),
 * never a zero taken for granted. */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <setjmp.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "attr/moment.h"

/* jansson 2.14 does not survive every failed allocation while it parses: its
 * lexer drops the error of a buffer that could not grow and goes on to read and
 * free memory that is not its own (a failed malloc() in the middle of
 * json_loadf() corrupts the heap).  So while a document is parsed, jansson
 * allocates through these two functions: each block is kept in a list, and a
 * failed allocation jumps back to moment_from_json(), which frees every block
 * that jansson still held and reports ENOMEM.  One document at a time: the
 * program reads documents on one thread. */
struct jblock {
	alignas(max_align_t) struct jblock *prev;
	struct jblock *next;
};

static struct jblock *jblocks;
static jmp_buf joom;

static void *jalloc(size_t size)
{
	struct jblock *b = size <= SIZE_MAX - sizeof(*b) ? malloc(sizeof(*b) + size) : NULL;

	if (!b)
		longjmp(joom, 1);
	b->prev = NULL;
	b->next = jblocks;
	if (jblocks)
		jblocks->prev = b;
	jblocks = b;
	return b + 1;
}

static void jfree(void *p)
{
	struct jblock *b;

	if (!p)
		return;
	b = (struct jblock *)p - 1;
	if (b->prev)
		b->prev->next = b->next;
	else
		jblocks = b->next;
	if (b->next)
		b->next->prev = b->prev;
	free(b);
}

/* Every block jansson still holds, freed: after a jump from jalloc(). */
static void jfree_all(void)
{
	struct jblock *b = jblocks;

	while (b) {
		struct jblock *next = b->next;

		free(b);
		b = next;
	}
	jblocks = NULL;
}

/* What is being read, for the messages. */
struct rd {
	char *msg;
	size_t msglen;
	bool failed;
};

__attribute__((format(printf, 2, 3)))
static void bad(struct rd *r, const char *fmt, ...)
{
	va_list ap;

	if (r->failed)
		return;		/* the first error is the one to tell */
	r->failed = true;
	va_start(ap, fmt);
	vsnprintf(r->msg, r->msglen, fmt, ap);
	va_end(ap);
}

/* 'member "where.key" what' ("where" empty: a member of the document) */
static void bad_member(struct rd *r, const char *where, const char *key, const char *what)
{
	bad(r, "member \"%s%s%s\" %s", where, *where ? "." : "", key, what);
}

static json_t *member(struct rd *r, json_t *o, const char *where, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

	if (!v)
		bad_member(r, where, key, "missing");
	return v;
}

/* A non-negative integer; what says in the error what it is not ("is not a count"). */
static uint64_t get_u64(struct rd *r, json_t *o, const char *where, const char *key,
			const char *what)
{
	json_t *v = member(r, o, where, key);

	if (v && (!json_is_integer(v) || json_integer_value(v) < 0)) {
		bad_member(r, where, key, what);
		return 0;
	}
	return v ? (uint64_t)json_integer_value(v) : 0;
}

/* A process or thread ID: an integer from min (0: none, as a document of maps
 * text has; or 1) to INT_MAX, or with nullable, null (0). */
static pid_t get_id(struct rd *r, json_t *o, const char *where, const char *key,
		    json_int_t min, bool nullable)
{
	json_t *v = member(r, o, where, key);
	json_int_t id = json_integer_value(v);

	if (!v || (nullable && json_is_null(v)))
		return 0;
	if (!json_is_integer(v) || id < min || id > INT_MAX) {
		bad_member(r, where, key, min ? "is not a thread ID" : "is not a process ID");
		return 0;
	}
	return (pid_t)id;
}

/* true or false; a member that is absent is false (documents before it). */
static bool get_bool(struct rd *r, json_t *o, const char *where, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

	if (v && !json_is_boolean(v))
		bad_member(r, where, key, "is not true or false");
	return json_is_true(v);
}

/* A hex string "0x..." or, with nullable, null (*known false). */
static uint64_t get_hex(struct rd *r, json_t *o, const char *where, const char *key,
			bool nullable, bool *known)
{
	json_t *v = member(r, o, where, key);
	const char *s = v ? json_string_value(v) : NULL;
	char *end = NULL;

	if (known)
		*known = false;
	if (!v || (nullable && json_is_null(v)))
		return 0;
	errno = 0;
	uint64_t a = s && strncmp(s, "0x", 2) == 0 ? strtoull(s + 2, &end, 16) : 0;
	if (!s || strncmp(s, "0x", 2) != 0 || !s[2] || errno || !end || *end) {
		bad_member(r, where, key, "is not an address (a hex string \"0x...\")");
		return 0;
	}
	if (known)
		*known = true;
	return a;
}

/* A string, or "" for null when nullable. */
static const char *get_str(struct rd *r, json_t *o, const char *where, const char *key,
			   bool nullable)
{
	json_t *v = member(r, o, where, key);

	if (!v || (nullable && json_is_null(v)))
		return "";
	if (!json_is_string(v)) {
		bad_member(r, where, key, "is not a string");
		return "";
	}
	return json_string_value(v);
}

/* "fe:00" */
static void get_dev(struct rd *r, json_t *o, const char *where, uint32_t *major,
		    uint32_t *minor)
{
	static const char hex[] = "0123456789abcdef";
	const char *s = get_str(r, o, where, "dev", false);
	size_t n1, n2;

	if (r->failed)
		return;
	/* the kernel's "%02x:%02x" of MAJOR() (12 bits) and MINOR() (20 bits) */
	n1 = strspn(s, hex);
	n2 = s[n1] == ':' ? strspn(s + n1 + 1, hex) : 0;
	if (n1 < 1 || n1 > 3 || n2 < 1 || n2 > 5 || s[n1 + 1 + n2]) {
		bad_member(r, where, "dev", "is not a device (\"fe:00\")");
		return;
	}
	*major = (uint32_t)strtoul(s, NULL, 16);
	*minor = (uint32_t)strtoul(s + n1 + 1, NULL, 16);
}

/* The figures members of o (size, rss, pss, shared, private, swap, dirty, and vmas
 * when with_count); null for all but size when the figures are unknown. */
static void get_figures(struct rd *r, json_t *o, const char *where, bool unknown,
			bool with_count, struct figures *f)
{
	static const char *const keys[] = { "rss", "pss", "shared", "private", "swap", "dirty" };
	uint64_t *dst[] = { &f->rss, &f->pss, &f->shared, &f->priv, &f->swap, &f->dirty };

	memset(f, 0, sizeof(*f));
	if (!json_is_object(o)) {
		bad(r, "member \"%s\" is not an object", where);
		return;
	}
	f->size = get_u64(r, o, where, "size", "is not a number of bytes");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *v = unknown ? json_object_get(o, keys[i]) : NULL;
		if (unknown && json_is_null(v))
			continue;
		*dst[i] = get_u64(r, o, where, keys[i], "is not a number of bytes");
	}
	f->vmas = with_count ? get_u64(r, o, where, "vmas", "is not a count") : 1;
}

static int lookup_name(const char *s, const char *(*name)(int), int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(s, name(i)) == 0)
			return i;
	return -1;
}

static const char *role_name_i(int i)
{
	return role_name(i);
}

static const char *region_name_i(int i)
{
	return region_name(i);
}

static void get_vma(struct rd *r, json_t *o, const char *where, bool unknown,
		    struct moment_vma *m)
{
	const char *perms, *role, *region;

	m->start = get_hex(r, o, where, "start", false, NULL);
	m->end = get_hex(r, o, where, "end", false, NULL);
	m->offset = get_hex(r, o, where, "offset", false, NULL);
	m->inode = get_u64(r, o, where, "inode", "is not an inode number");
	get_dev(r, o, where, &m->dev_major, &m->dev_minor);
	perms = get_str(r, o, where, "perms", false);
	role = get_str(r, o, where, "role", false);
	region = get_str(r, o, where, "region", false);
	m->path = strdup(get_str(r, o, where, "path", true));
	m->object = strdup(get_str(r, o, where, "object", true));
	m->tid = get_id(r, o, where, "tid", 1, true);
	m->deleted = get_bool(r, o, where, "deleted");
	get_figures(r, o, where, unknown, false, &m->f);
	if (r->failed)
		return;
	if (!m->path || !m->object) {
		errno = ENOMEM;
		bad(r, "%s", strerror(ENOMEM));
		return;
	}
	if (strlen(perms) != 4 || m->start >= m->end) {
		bad(r, "\"%s\": not a VMA (start, end, perms)", where);
		return;
	}
	m->perms = (perms[0] == 'r' ? VMA_PERM_READ : 0) | (perms[1] == 'w' ? VMA_PERM_WRITE : 0) |
		   (perms[2] == 'x' ? VMA_PERM_EXEC : 0) | (perms[3] == 's' ? VMA_PERM_SHARED : 0);
	int ro = lookup_name(role, role_name_i, ROLE_COUNT);
	int re = lookup_name(region, region_name_i, REGION_COUNT);
	if (ro < 0 || re < 0) {
		bad(r, "\"%s\": unknown %s \"%s\"", where, ro < 0 ? "role" : "region",
		    ro < 0 ? role : region);
		return;
	}
	m->role = (uint8_t)ro;
	m->region = (uint8_t)re;
}

static void get_lists(struct rd *r, json_t *root, struct moment *M)
{
	json_t *objects = member(r, root, "", "objects"), *threads = member(r, root, "", "threads");
	json_t *vmas = member(r, root, "", "vmas"), *v;
	char where[64];
	size_t i;

	if (r->failed)
		return;
	if (!json_is_array(objects) || !json_is_array(threads) || !json_is_array(vmas)) {
		bad(r, "\"objects\", \"threads\" and \"vmas\" must be arrays");
		return;
	}
	M->objects = calloc(json_array_size(objects) + 1, sizeof(*M->objects));
	M->threads = calloc(json_array_size(threads) + 1, sizeof(*M->threads));
	M->vmas = calloc(json_array_size(vmas) + 1, sizeof(*M->vmas));
	if (!M->objects || !M->threads || !M->vmas) {
		errno = ENOMEM;
		bad(r, "%s", strerror(ENOMEM));
		return;
	}
	json_array_foreach(objects, i, v) {
		struct moment_object *o = &M->objects[i];
		snprintf(where, sizeof(where), "objects[%zu]", i);
		M->n_objects = i + 1;
		o->path = strdup(get_str(r, v, where, "path", false));
		get_dev(r, v, where, &o->dev_major, &o->dev_minor);
		o->inode = get_u64(r, v, where, "inode", "is not an inode number");
		o->load_bias = get_hex(r, v, where, "load_bias", true, &o->has_bias);
		json_t *totals = member(r, v, where, "totals");
		snprintf(where, sizeof(where), "objects[%zu].totals", i);
		get_figures(r, totals, where, M->figures_unknown, true, &o->f);
		if (!o->path && !r->failed) {
			errno = ENOMEM;
			bad(r, "%s", strerror(ENOMEM));
		}
		if (r->failed)
			return;
	}
	json_array_foreach(threads, i, v) {
		snprintf(where, sizeof(where), "threads[%zu]", i);
		M->threads[i].tid = get_id(r, v, where, "tid", 1, false);
		snprintf(M->threads[i].comm, sizeof(M->threads[i].comm), "%s",
			 get_str(r, v, where, "comm", false));
		M->n_threads = i + 1;
		if (r->failed)
			return;
	}
	json_array_foreach(vmas, i, v) {
		snprintf(where, sizeof(where), "vmas[%zu]", i);
		M->n_vmas = i + 1;
		get_vma(r, v, where, M->figures_unknown, &M->vmas[i]);
		if (r->failed)
			return;
		if (i && M->vmas[i].start < M->vmas[i - 1].end) {
			bad(r, "\"%s\": not in address order", where);
			return;
		}
	}
}

static void get_document(struct rd *r, json_t *root, struct moment *M)
{
	json_t *schema = json_is_object(root) ? json_object_get(root, "schema") : NULL;
	json_t *process, *source, *totals, *mm, *exe;

	if (json_is_array(root)) {
		bad(r, "a JSON array, not one vmlayout document (--json of several processes: "
		       "save one process a file)");
		return;
	}
	if (!json_is_integer(schema) || !json_object_get(root, "process")) {
		bad(r, "not a vmlayout JSON document (no \"schema\" and \"process\": write it "
		       "with vmlayout --json PID)");
		return;
	}
	M->schema = (int)json_integer_value(schema);
	process = member(r, root, "", "process");
	source = member(r, root, "", "source");
	M->pid = get_id(r, process, "process", "pid", 0, false);
	snprintf(M->comm, sizeof(M->comm), "%s", get_str(r, process, "process", "comm", false));
	exe = member(r, process, "process", "exe");
	if (exe && (json_is_string(exe) ? !*json_string_value(exe) : !json_is_null(exe)))
		bad_member(r, "process", "exe", "is not a path or null");
	if (json_is_string(exe) && !(M->exe = strdup(json_string_value(exe)))) {
		errno = ENOMEM;
		bad(r, "%s", strerror(ENOMEM));
	}
	/* "smaps" from a process; "dumped" (a core) and "sizes" (an ELF file) have sizes only */
	const char *figures = get_str(r, source, "source", "figures", false);
	M->figures_unknown = strcmp(figures, "smaps") != 0;
	if (!r->failed && M->figures_unknown && strcmp(figures, "dumped") != 0 &&
	    strcmp(figures, "sizes") != 0)
		bad_member(r, "source", "figures", "is not \"smaps\", \"dumped\" or \"sizes\"");
	totals = member(r, root, "", "totals");
	get_figures(r, totals, "totals", M->figures_unknown, true, &M->totals);
	M->filtered = get_bool(r, totals, "totals", "filtered");
	mm = member(r, root, "", "mm");
	for (int i = 0; i < MM_COUNT && !r->failed; i++)
		M->mm[i].v = get_hex(r, mm, "mm", moment_mm_name(i), true, &M->mm[i].known);
	get_lists(r, root, M);
	if (!r->failed)
		moment_sum(M);
}

int moment_from_json(struct moment *M, const char *path, char *msg, size_t msglen)
{
	struct rd r = { .msg = msg, .msglen = msglen };
	json_error_t err;
	struct stat st;
	FILE *f;

	memset(M, 0, sizeof(*M));
	msg[0] = '\0';
	M->kind = "json";
	f = fopen(path, "re");
	if (!f) {
		snprintf(msg, msglen, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) == 0)
		M->time = (double)st.st_mtim.tv_sec + st.st_mtim.tv_nsec / 1e9;
	json_t *root = NULL;
	json_set_alloc_funcs(jalloc, jfree);
	if (setjmp(joom) == 0) {
		root = json_loadf(f, JSON_REJECT_DUPLICATES, &err);
	} else {
		jfree_all();
		fclose(f);
		snprintf(msg, msglen, "%s", strerror(ENOMEM));
		errno = ENOMEM;
		return -1;
	}
	if (!root && ferror(f)) {
		int e = errno ? errno : EIO;
		fclose(f);
		snprintf(msg, msglen, "%s", strerror(e));
		errno = e;
		return -1;
	}
	fclose(f);
	if (!root) {
		/* a truncated document ends early: jansson says where */
		snprintf(msg, msglen, "not a JSON document: line %d, column %d: %s", err.line,
			 err.column, err.text);
		errno = EINVAL;
		return -1;
	}
	M->origin = strdup(path);
	if (!M->origin) {
		errno = ENOMEM;
		bad(&r, "%s", strerror(ENOMEM));
	}
	get_document(&r, root, M);
	json_decref(root);
	if (r.failed) {
		int e = errno == ENOMEM ? ENOMEM : EINVAL;
		if (M->schema > 1) {
			/* what a later version changed: say that first */
			char cause[256];
			snprintf(cause, sizeof(cause), "%s", msg);
			snprintf(msg, msglen, "a document of schema %d (this vmlayout reads schema 1): "
				 "%s", M->schema, cause);
		}
		moment_free(M);
		errno = e;
		return -1;
	}
	return 0;
}

/* failinj.c - fault injection for the tests: an LD_PRELOAD library that makes the
 * Nth call of a chosen function fail with a chosen errno.
 *
 *	LD_PRELOAD=tests/failinj.so FAILINJ_FUNC=malloc FAILINJ_NTH=37 \
 *		FAILINJ_ERRNO=ENOMEM vmlayout ...
 *	LD_PRELOAD=tests/failinj.so FAILINJ_FUNC=alloc FAILINJ_COUNT=FILE vmlayout ...
 *
 * FAILINJ_FUNC names a function, or a group of them:
 *	alloc	malloc calloc realloc strdup	(ENOMEM: the default errno of the group)
 *	open	open openat			(EACCES; EMFILE is the other to try)
 *	read	read pread			(EIO)
 *	write	write pwrite			(ENOSPC), on any descriptor but stderr's
 *	stdout	fwrite fwrite_unlocked fputs fputc putchar printf fprintf vfprintf
 *		fflush, on stdout only		(ENOSPC; EPIPE: a closed pipe)
 *	mkdir	mkdir mkdirat			(ENOSPC)
 *	elf	libelf's elf_begin elf_getphdrnum elf_getshdrnum elf_getshdrstrndx
 *		elf_getscn elf_strptr elf_getdata elf_getdata_rawchunk gelf_getehdr
 *		gelf_getphdr gelf_getshdr gelf_getsym, as the program calls them
 *		(ENOMEM: libelf's own failures are mostly the want of memory)
 * FAILINJ_NTH=N makes the Nth call of those (counted from 1, over all of them) fail
 * once; the calls after it succeed.  FAILINJ_ERRNO is a name (ENOMEM, EIO...) or a
 * number.  Without FAILINJ_NTH nothing fails; FAILINJ_COUNT=FILE writes into FILE
 * the number of calls counted ("N\n"), so that a test can walk N from 1 to it;
 * FAILINJ_SITES=FILE writes into FILE, one a line and in order, the N of the first
 * call made from each call site (each return address, in the program or in one of
 * its libraries), so that a test can fail every site once without walking every
 * call.
 *
 * What is counted: only the calls the program makes after main() started and
 * before it exits.  The count starts when setlocale() returns, which vmlayout's
 * main() calls first: what the dynamic loader, glibc's start-up and the
 * constructors do before is left alone (it is not the program's to handle, and it
 * differs with the environment).  It stops in an atexit() handler registered at that
 * moment, so that it runs before the destructors: the gcov counters written at exit
 * in a --enable-coverage build are left alone too.  Calls inside glibc (its stdio
 * writing the buffer, strdup's own malloc) do not go through this library: a failed
 * write of stdout is simulated at the stdio call, which then sets the stream's error
 * flag as a failed write of its buffer would.  Calls of the program's libraries
 * (libelf, libsmartcols, libproc2) are counted: they go through here.
 *
 * A libelf function of the elf group that fails returns what it returns on failure
 * (NULL, or -1) with errno set, and libelf's own error (elf_errno()) left as it was:
 * the library keeps it in a variable of its own that nothing outside can set.  The
 * program must still say why, from errno.  Left out: elf_nextscn() and
 * gelf_getnote(), whose failure is not told from the end of the list.
 *
 * Calls made inside getpwuid_r() are neither failed nor counted: glibc 2.36's NSS
 * crashes when an allocation fails there (not vmlayout's to mend).  Nor are the
 * allocations made inside scols_print_table(): libsmartcols (2.38, print.c) drops
 * a cell, a column's title or the padding when an allocation fails there, and
 * still returns 0, so that its caller cannot know (not vmlayout's to mend either;
 * what it writes to stdout is still failed and counted, in the stdout group).
 *
 * FAILINJ_TRACE set: the stack of the failing call on stderr (glibc's backtrace()),
 * to find the call site of an outcome that a test does not accept.
 *
 * dlsym() may call calloc() before the real one is known: a static buffer serves
 * it, and free() ignores what came from that buffer.  Not for AddressSanitizer
 * builds (its runtime must come first in the list of libraries).
 */
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <execinfo.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <locale.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* glibc's stdio.h may make some of these macros when optimising */
#undef fwrite_unlocked
#undef fputc
#undef putchar

enum group { G_ALLOC, G_OPEN, G_READ, G_WRITE, G_STDOUT, G_MKDIR, G_ELF, G_NONE };

static const char *const group_names[] = { "alloc", "open", "read", "write", "stdout", "mkdir",
					   "elf" };

static char func[64];			/* FAILINJ_FUNC */
static long nth;			/* FAILINJ_NTH; 0: count only */
static int err_no;			/* FAILINJ_ERRNO */
static const char *count_file;		/* FAILINJ_COUNT */
static const char *sites_file;		/* FAILINJ_SITES */
static bool trace;			/* FAILINJ_TRACE: the failing call's stack */
static bool armed;
static int in_nss;			/* inside getpwuid_r() */
static int in_scols;			/* inside scols_print_table() */
static long calls;

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);
static char *(*real_strdup)(const char *);
static int (*real_open)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static ssize_t (*real_read)(int, void *, size_t);
static ssize_t (*real_pread)(int, void *, size_t, off_t);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static size_t (*real_fwrite)(const void *, size_t, size_t, FILE *);
static size_t (*real_fwrite_unlocked)(const void *, size_t, size_t, FILE *);
static int (*real_fputs)(const char *, FILE *);
static int (*real_fputc)(int, FILE *);
static int (*real_fflush)(FILE *);
static int (*real_vfprintf)(FILE *, const char *, va_list);
static int (*real_mkdir)(const char *, mode_t);
static int (*real_mkdirat)(int, const char *, mode_t);
static char *(*real_setlocale)(int, const char *);
static int (*real_getpwuid_r)(uid_t, struct passwd *, char *, size_t, struct passwd **);
static int (*real_scols_print_table)(void *);
static Elf *(*real_elf_begin)(int, Elf_Cmd, Elf *);
static int (*real_elf_getphdrnum)(Elf *, size_t *);
static int (*real_elf_getshdrnum)(Elf *, size_t *);
static int (*real_elf_getshdrstrndx)(Elf *, size_t *);
static Elf_Scn *(*real_elf_getscn)(Elf *, size_t);
static char *(*real_elf_strptr)(Elf *, size_t, size_t);
static Elf_Data *(*real_elf_getdata)(Elf_Scn *, Elf_Data *);
static Elf_Data *(*real_elf_getdata_rawchunk)(Elf *, int64_t, size_t, Elf_Type);
static GElf_Ehdr *(*real_gelf_getehdr)(Elf *, GElf_Ehdr *);
static GElf_Phdr *(*real_gelf_getphdr)(Elf *, int, GElf_Phdr *);
static GElf_Shdr *(*real_gelf_getshdr)(Elf_Scn *, GElf_Shdr *);
static GElf_Sym *(*real_gelf_getsym)(Elf_Data *, int, GElf_Sym *);

/* what dlsym() allocates before the real calloc is known */
static char boot[4096] __attribute__((aligned(16)));
static size_t boot_used;
static bool resolving;

static void *boot_alloc(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (n > sizeof(boot) - boot_used)
		return NULL;
	void *p = boot + boot_used;
	boot_used += n;
	return p;
}

static bool from_boot(const void *p)
{
	return (const char *)p >= boot && (const char *)p < boot + sizeof(boot);
}

#define RESOLVE(name) (real_##name = dlsym(RTLD_NEXT, #name))

__attribute__((constructor))
static void failinj_init(void)
{
	resolving = true;
	RESOLVE(malloc);
	RESOLVE(calloc);
	RESOLVE(realloc);
	RESOLVE(free);
	RESOLVE(strdup);
	RESOLVE(open);
	RESOLVE(openat);
	RESOLVE(read);
	RESOLVE(pread);
	RESOLVE(write);
	RESOLVE(pwrite);
	RESOLVE(fwrite);
	RESOLVE(fwrite_unlocked);
	RESOLVE(fputs);
	RESOLVE(fputc);
	RESOLVE(fflush);
	RESOLVE(vfprintf);
	RESOLVE(mkdir);
	RESOLVE(mkdirat);
	RESOLVE(setlocale);
	RESOLVE(getpwuid_r);
	RESOLVE(scols_print_table);	/* NULL in a program without libsmartcols */
	RESOLVE(elf_begin);		/* libelf's: NULL in a program without it */
	RESOLVE(elf_getphdrnum);
	RESOLVE(elf_getshdrnum);
	RESOLVE(elf_getshdrstrndx);
	RESOLVE(elf_getscn);
	RESOLVE(elf_strptr);
	RESOLVE(elf_getdata);
	RESOLVE(elf_getdata_rawchunk);
	RESOLVE(gelf_getehdr);
	RESOLVE(gelf_getphdr);
	RESOLVE(gelf_getshdr);
	RESOLVE(gelf_getsym);
	resolving = false;

	const char *s = getenv("FAILINJ_FUNC");
	if (s)
		snprintf(func, sizeof(func), "%s", s);
	s = getenv("FAILINJ_NTH");
	nth = s ? atol(s) : 0;
	count_file = getenv("FAILINJ_COUNT");
	sites_file = getenv("FAILINJ_SITES");
	trace = getenv("FAILINJ_TRACE") != NULL;
	s = getenv("FAILINJ_ERRNO");
	static const struct { const char *name; int e; } errnos[] = {
		{ "ENOMEM", ENOMEM }, { "EACCES", EACCES }, { "EMFILE", EMFILE },
		{ "EIO", EIO }, { "ENOSPC", ENOSPC }, { "EPIPE", EPIPE }, { "ENOENT", ENOENT },
		{ "EPERM", EPERM }, { "EINTR", EINTR }, { "ESRCH", ESRCH },
	};
	err_no = EIO;
	if (s) {
		char *end;
		long v = strtol(s, &end, 10);
		size_t i = 0;
		if (*s && !*end) {
			err_no = (int)v;
		} else {
			while (i < sizeof(errnos) / sizeof(errnos[0]) && strcmp(s, errnos[i].name))
				i++;
			if (i == sizeof(errnos) / sizeof(errnos[0])) {
				/* a name not in the table would fail with errno 0 */
				fprintf(stderr, "failinj: FAILINJ_ERRNO=%s: not known\n", s);
				_exit(2);
			}
			err_no = errnos[i].e;
		}
	}
}

/* The call sites seen by a counting run (FAILINJ_SITES): the return address of
 * each (the instruction after the call, in the program or in one of its
 * libraries) and the number of its first call.  Open addressing; a site past the
 * table's room is not recorded (the run still counts it). */
#define SITES_MAX 8192
static struct site { const void *ret; long first; } sites[SITES_MAX];
static long n_sites;

static void site_seen(const void *ret, long n)
{
	size_t h = ((uintptr_t)ret >> 2) * 0x9e3779b97f4a7c15ull % SITES_MAX;

	for (size_t i = 0; i < SITES_MAX; i++, h = (h + 1) % SITES_MAX) {
		if (sites[h].ret == ret)
			return;
		if (!sites[h].ret) {
			if (n_sites >= SITES_MAX / 2)
				return;
			sites[h].ret = ret;
			sites[h].first = n;
			n_sites++;
			return;
		}
	}
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

static void disarm(void)
{
	armed = false;
	if (count_file) {
		int fd = real_open(count_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd >= 0) {
			char buf[32];
			int n = snprintf(buf, sizeof(buf), "%ld\n", calls);
			if (real_write(fd, buf, (size_t)n) < 0)
				_exit(126);
			close(fd);
		}
	}
	if (sites_file) {
		/* the first call of each site, in the order of the calls */
		long firsts[SITES_MAX / 2], k = 0;
		for (size_t i = 0; i < SITES_MAX; i++)
			if (sites[i].ret)
				firsts[k++] = sites[i].first;
		qsort(firsts, (size_t)k, sizeof(firsts[0]), cmp_long);
		int fd = real_open(sites_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd >= 0) {
			for (long i = 0; i < k; i++) {
				char buf[32];
				int n = snprintf(buf, sizeof(buf), "%ld\n", firsts[i]);
				if (real_write(fd, buf, (size_t)n) < 0)
					_exit(126);
			}
			close(fd);
		}
	}
}

/* Is this call of name (in group g), made at the return address ret, the one that
 * fails?  Counts it. */
static bool inject_at(const char *name, enum group g, const void *ret)
{
	if (!armed || in_nss || (in_scols && g == G_ALLOC) || !func[0] || (strcmp(func, name) != 0 && strcmp(func, group_names[g]) != 0))
		return false;
	long n = __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
	if (sites_file)
		site_seen(ret, n);
	if (n != nth)
		return false;
	if (trace) {
		void *frames[32];
		armed = false;	/* backtrace() may allocate */
		int nf = backtrace(frames, 32);
		dprintf(STDERR_FILENO, "failinj: %s: call %ld fails\n", name, n);
		backtrace_symbols_fd(frames, nf, STDERR_FILENO);
		armed = true;
	}
	errno = err_no;
	return true;
}

/* in a function that the program calls: the return address is the call site */
#define inject(name, g) inject_at(name, g, __builtin_return_address(0))

char *setlocale(int category, const char *locale)
{
	char *r = real_setlocale(category, locale);

	if (!armed) {
		armed = true;
		atexit(disarm);
	}
	return r;
}

/* glibc 2.36's NSS crashes when an allocation fails inside it (an assertion in
 * nss_database.c, or a NULL dereference): nothing fails, nothing is counted, during
 * getpwuid_r(). */
int getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t len, struct passwd **res)
{
	__atomic_add_fetch(&in_nss, 1, __ATOMIC_RELAXED);
	int r = real_getpwuid_r(uid, pw, buf, len, res);
	__atomic_sub_fetch(&in_nss, 1, __ATOMIC_RELAXED);
	return r;
}

/* libsmartcols swallows a failed allocation while it prints (see above): nothing
 * allocated there fails, nor is counted.  The table is an opaque struct
 * libscols_table. */
int scols_print_table(void *tb);
int scols_print_table(void *tb)
{
	if (!real_scols_print_table)
		return -1;
	__atomic_add_fetch(&in_scols, 1, __ATOMIC_RELAXED);
	int r = real_scols_print_table(tb);
	__atomic_sub_fetch(&in_scols, 1, __ATOMIC_RELAXED);
	return r;
}

/* ------------------------------------------------------------------ memory */

void *malloc(size_t n)
{
	if (!real_malloc)
		return boot_alloc(n);
	return inject("malloc", G_ALLOC) ? NULL : real_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	if (!real_calloc) {
		/* dlsym's own: zeroed, as boot is static and never reused */
		return resolving && (!size || n <= sizeof(boot) / size) ? boot_alloc(n * size)
									 : NULL;
	}
	return inject("calloc", G_ALLOC) ? NULL : real_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	if (from_boot(p)) {
		void *q = malloc(n);
		if (q)
			memcpy(q, p, n < (size_t)(boot + sizeof(boot) - (char *)p)
				   ? n : (size_t)(boot + sizeof(boot) - (char *)p));
		return q;
	}
	return inject("realloc", G_ALLOC) ? NULL : real_realloc(p, n);
}

void free(void *p)
{
	if (!p || from_boot(p))
		return;
	real_free(p);
}

char *strdup(const char *s)
{
	return inject("strdup", G_ALLOC) ? NULL : real_strdup(s);
}

/* ------------------------------------------------------------------ files */

/* The mode argument of open() and openat(), after the argument flags. */
#define MODE_ARG(flags, mode)							\
	do {									\
		if ((flags) & (O_CREAT | O_TMPFILE)) {				\
			va_list ap;						\
			va_start(ap, flags);					\
			mode = (mode_t)va_arg(ap, int);				\
			va_end(ap);						\
		}								\
	} while (0)

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	MODE_ARG(flags, mode);
	return inject("open", G_OPEN) ? -1 : real_open(path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	MODE_ARG(flags, mode);
	return inject("openat", G_OPEN) ? -1 : real_openat(dirfd, path, flags, mode);
}

ssize_t read(int fd, void *buf, size_t n)
{
	return inject("read", G_READ) ? -1 : real_read(fd, buf, n);
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	return inject("pread", G_READ) ? -1 : real_pread(fd, buf, n, off);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	return fd != STDERR_FILENO && inject("write", G_WRITE) ? -1 : real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	return inject("pwrite", G_WRITE) ? -1 : real_pwrite(fd, buf, n, off);
}

int mkdir(const char *path, mode_t mode)
{
	return inject("mkdir", G_MKDIR) ? -1 : real_mkdir(path, mode);
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
	return inject("mkdirat", G_MKDIR) ? -1 : real_mkdirat(dirfd, path, mode);
}

/* ------------------------------------------------------------------ stdout */

/* Does this stdio call on f fail?  A failure sets f's error flag, as a failed
 * write(2) of its buffer does (glibc's _IO_ERR_SEEN). */
/* inlined, so that the return address is the program's call site */
static inline __attribute__((always_inline)) bool out_fails(FILE *f, const char *name)
{
	if (f != stdout || !inject(name, G_STDOUT))
		return false;
	f->_flags |= 0x20;	/* _IO_ERR_SEEN */
	return true;
}

size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	return out_fails(f, "fwrite") ? 0 : real_fwrite(p, size, n, f);
}

size_t fwrite_unlocked(const void *p, size_t size, size_t n, FILE *f)
{
	return out_fails(f, "fwrite_unlocked") ? 0 : real_fwrite_unlocked(p, size, n, f);
}

int fputs(const char *s, FILE *f)
{
	return out_fails(f, "fputs") ? EOF : real_fputs(s, f);
}

int fputc(int c, FILE *f)
{
	return out_fails(f, "fputc") ? EOF : real_fputc(c, f);
}

int putchar(int c)
{
	return out_fails(stdout, "putchar") ? EOF : real_fputc(c, stdout);
}

int fflush(FILE *f)
{
	return out_fails(f, "fflush") ? EOF : real_fflush(f);
}

static inline __attribute__((always_inline)) int out_vfprintf(FILE *f, const char *name, const char *fmt, va_list ap)
{
	return out_fails(f, name) ? -1 : real_vfprintf(f, fmt, ap);
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	return out_vfprintf(f, "vfprintf", fmt, ap);
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int r = out_vfprintf(f, "fprintf", fmt, ap);
	va_end(ap);
	return r;
}

int printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int r = out_vfprintf(stdout, "printf", fmt, ap);
	va_end(ap);
	return r;
}

/* ------------------------------------------------------------------ libelf */

/* Does this libelf call fail?  (A program without libelf, where real is NULL,
 * does not call these: a failure then rather than a call of address 0.) */
#define ELF_FAILS(name) (!real_##name || inject(#name, G_ELF))

Elf *elf_begin(int fd, Elf_Cmd cmd, Elf *ref)
{
	return ELF_FAILS(elf_begin) ? NULL : real_elf_begin(fd, cmd, ref);
}

int elf_getphdrnum(Elf *elf, size_t *n)
{
	return ELF_FAILS(elf_getphdrnum) ? -1 : real_elf_getphdrnum(elf, n);
}

int elf_getshdrnum(Elf *elf, size_t *n)
{
	return ELF_FAILS(elf_getshdrnum) ? -1 : real_elf_getshdrnum(elf, n);
}

int elf_getshdrstrndx(Elf *elf, size_t *n)
{
	return ELF_FAILS(elf_getshdrstrndx) ? -1 : real_elf_getshdrstrndx(elf, n);
}

Elf_Scn *elf_getscn(Elf *elf, size_t i)
{
	return ELF_FAILS(elf_getscn) ? NULL : real_elf_getscn(elf, i);
}

char *elf_strptr(Elf *elf, size_t section, size_t off)
{
	return ELF_FAILS(elf_strptr) ? NULL : real_elf_strptr(elf, section, off);
}

Elf_Data *elf_getdata(Elf_Scn *scn, Elf_Data *data)
{
	return ELF_FAILS(elf_getdata) ? NULL : real_elf_getdata(scn, data);
}

Elf_Data *elf_getdata_rawchunk(Elf *elf, int64_t off, size_t size, Elf_Type type)
{
	return ELF_FAILS(elf_getdata_rawchunk) ? NULL
					       : real_elf_getdata_rawchunk(elf, off, size, type);
}

GElf_Ehdr *gelf_getehdr(Elf *elf, GElf_Ehdr *eh)
{
	return ELF_FAILS(gelf_getehdr) ? NULL : real_gelf_getehdr(elf, eh);
}

GElf_Phdr *gelf_getphdr(Elf *elf, int i, GElf_Phdr *ph)
{
	return ELF_FAILS(gelf_getphdr) ? NULL : real_gelf_getphdr(elf, i, ph);
}

GElf_Shdr *gelf_getshdr(Elf_Scn *scn, GElf_Shdr *sh)
{
	return ELF_FAILS(gelf_getshdr) ? NULL : real_gelf_getshdr(scn, sh);
}

GElf_Sym *gelf_getsym(Elf_Data *data, int i, GElf_Sym *sym)
{
	return ELF_FAILS(gelf_getsym) ? NULL : real_gelf_getsym(data, i, sym);
}

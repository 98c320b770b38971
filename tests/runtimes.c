/* runtimes.c - a process that maps memory the way language runtimes, symbolizers and
 * container runtimes do, for tests/runtimes.sh.
 *
 *	runtimes          lay out everything below, print one line per piece, "ready"
 *	runtimes memfd    copy /proc/self/exe into a memfd and fexecve() it with the
 *	                  argument "plain" (or print "skip memfd REASON" and go on as
 *	                  "plain" when that cannot be done)
 *	runtimes plain    print "text ADDR 1" and "ready" only
 *	runtimes threads N
 *	                  start N threads named "worker-K" and "io-K" by turns, each
 *	                  blocked in pause(); then as "plain"
 *	runtimes plugins DIR
 *	                  dlopen() the libraries DIR/libplug.so and DIR/libplug-2m.so
 *	                  (tests/libplug.c) and a copy of the first that it then
 *	                  overwrites in place with the second; see run_plugins()
 *
 * Lines on stdout, as tests/target.sh reads them ("NAME ADDR LEN [EXTRA]", 0x-hex
 * addresses, decimal lengths), then "ready":
 *
 *	reservation  a 64 MiB PROT_NONE anonymous reservation (V8's code range)  reserved
 *	alias        this program's own text mapped again r-x, MAP_FIXED, 16 MiB into
 *	             the reservation (V8 remapping its embedded builtins)    file, no object
 *	wholefile    this program's file mapped whole r--p at offset 0 (a symbolizer)
 *	                                                                     file, no object
 *	symanon      a 1 MiB anonymous rw area mapped right above wholefile  anon
 *	bss_a        the first piece of a 1 MiB bss array (rw)               bss
 *	bss_hole     64 KiB of it unmapped                                   (not mapped)
 *	bss_b        the rw piece between the hole and the protected piece   bss
 *	bss_prot     16 KiB of it mprotect()ed PROT_NONE                     guard
 *	bss_c        the rw piece after it, up to the end of the array       bss (anon when
 *	             the kernel merged it with bss_above)
 *	bss_end      EXTRA-less: ADDR is the page-rounded end of the bss (_end)
 *	bss_above    256 KiB anonymous rw mapped right at bss_end (a dlopen()ed
 *	             library's bss under a malloc block); absent when that address is
 *	             taken
 *	arena        a pointer malloc()ed by a second thread (a glibc arena heap)  arena
 *	jit          a page mapped rw, written, then mprotect()ed r-x        jit, region code
 *	heapstack    4 MiB anonymous rw (its first page made r--p, so that no guard is
 *	             below it) holding a thread's 256 KiB stack (pthread_attr_setstack),
 *	             as Go runs threads on stacks inside its heap arena; the thread is
 *	             blocked in pause(); ADDR is the rw part                anon
 *	huge_private 2 MiB MAP_HUGETLB|MAP_PRIVATE                           anon
 *	huge_shared  2 MiB MAP_HUGETLB|MAP_SHARED                            shm
 *	             (each replaced by "skip huge_private REASON" when mmap fails)
 *	text         a function of this program                              text
 *
 * It then waits: read(2) on stdin until end of file; it exits by itself after 600 s.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_HUGETLB
#define MAP_HUGETLB 0x40000
#endif

#define KiB 1024UL
#define MiB (1024UL * 1024UL)
#define BSS_LEN (1 * MiB)

extern char _end[];	/* the linker's end of .bss */

static char bss_array[BSS_LEN] __attribute__((aligned(65536)));

static void die(const char *what)
{
	fprintf(stderr, "runtimes: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void line(const char *name, const void *addr, size_t len)
{
	printf("%s 0x%" PRIxPTR " %zu\n", name, (uintptr_t)addr, len);
}

static uintptr_t page_up(uintptr_t a, uintptr_t page)
{
	return (a + page - 1) & ~(page - 1);
}

/* The offset and length of this program's executable mapping (from
 * /proc/self/maps: the r-xp line of /proc/self/exe's inode). */
static void own_text(off_t *off, size_t *len)
{
	struct stat st;
	char buf[4096];
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f || stat("/proc/self/exe", &st) < 0)
		die("/proc/self/maps");
	while (fgets(buf, sizeof(buf), f)) {
		uintptr_t s, e;
		unsigned long long o, ino;
		char perms[5];
		if (sscanf(buf, "%" SCNxPTR "-%" SCNxPTR " %4s %llx %*s %llu", &s, &e, perms, &o,
			   &ino) == 5 && ino == (unsigned long long)st.st_ino &&
		    strcmp(perms, "r-xp") == 0) {
			*off = (off_t)o;
			*len = e - s;
			fclose(f);
			return;
		}
	}
	errno = ENOENT;
	die("own text");
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static void *arena_ptr;

static void *thread_main(void *arg)
{
	int fd = *(int *)arg;
	char c;

	pthread_mutex_lock(&lock);
	arena_ptr = malloc(1000);
	if (arena_ptr)
		memset(arena_ptr, 1, 1000);
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

static void hugetlb(const char *name, int flags)
{
	void *p = mmap(NULL, 2 * MiB, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS | MAP_HUGETLB,
		       -1, 0);

	if (p == MAP_FAILED) {
		printf("skip %s %s\n", name, strerror(errno));
		return;
	}
	memset(p, 1, 4096);
	line(name, p, 2 * MiB);
}

static void wait_stdin(void)
{
	char c;

	alarm(600);
	printf("ready\n");
	fflush(stdout);
	while (read(0, &c, 1) > 0 || errno == EINTR)
		;
}

/* Copy the file open on in to out, and close in; dies on error (what: for the
 * message). */
static void copy_fd(int in, int out, const char *what)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			die(what);
	if (n < 0)
		die(what);
	close(in);
}

static int run_memfd(char **argv)
{
	int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int fd = memfd_create("runtimes", 0);

	if (in < 0 || fd < 0) {
		printf("skip memfd %s\n", strerror(errno));
		return -1;
	}
	copy_fd(in, fd, "memfd");
	char *args[] = { argv[0], (char *)"plain", NULL };
	extern char **environ;
	fflush(stdout);
	fexecve(fd, args, environ);
	printf("skip memfd fexecve: %s\n", strerror(errno));
	return -1;
}

/* The page-rounded end of the zero-fill part of the writable PT_LOAD of the
 * object loaded from path (dl_iterate_phdr()). */
struct bss_query {
	const char *path;
	uintptr_t end;
};

static int bss_end_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct bss_query *q = arg;
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);

	(void)size;
	if (!info->dlpi_name || strcmp(info->dlpi_name, q->path) != 0)
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *p = &info->dlpi_phdr[i];
		if (p->p_type == PT_LOAD && (p->p_flags & PF_W) && p->p_memsz > p->p_filesz)
			q->end = page_up(info->dlpi_addr + p->p_vaddr + p->p_memsz, page);
	}
	return 1;
}

static char *load_plug(const char *path, const char *name)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	char *(*touch)(void);
	struct bss_query q = { path, 0 };
	char n[64];

	if (!h) {
		fprintf(stderr, "runtimes: %s\n", dlerror());
		exit(2);
	}
	*(void **)&touch = dlsym(h, "plug_touch");
	if (!touch) {
		fprintf(stderr, "runtimes: %s\n", dlerror());
		exit(2);
	}
	char *b = touch();
	dl_iterate_phdr(bss_end_cb, &q);
	line(name, b, MiB);
	snprintf(n, sizeof(n), "%s_end", name);
	line(n, (void *)q.end, 0);
	return b;
}

/* plug_bss, plug_bss_end   libplug.so's bss (1 MiB), loaded right under a 4 MiB
 *                          malloc() block: the kernel may merge the two
 * block                    the malloc() block                               anon
 * plug2m_bss, plug2m_bss_end   libplug-2m.so's bss; its ---p holes are reserved
 * over ADDR 0 PATH         a copy of libplug.so at PATH, loaded, then overwritten
 *                          in place with libplug-2m.so: ADDR is its bss */
static void run_plugins(const char *dir)
{
	char path[PATH_MAX], copy[PATH_MAX];
	const char *tmp = getenv("TMPDIR");

	char *block = malloc(4 * MiB);
	if (!block)
		die("malloc");
	memset(block, 1, 4 * MiB);
	snprintf(path, sizeof(path), "%s/libplug.so", dir);
	load_plug(path, "plug_bss");
	line("block", block, 4 * MiB);
	snprintf(path, sizeof(path), "%s/libplug-2m.so", dir);
	load_plug(path, "plug2m_bss");

	/* overwritten in place */
	snprintf(path, sizeof(path), "%s/libplug.so", dir);
	snprintf(copy, sizeof(copy), "%s/libover.so", tmp && *tmp ? tmp : "/tmp");
	int in = open(path, O_RDONLY | O_CLOEXEC);
	int out = open(copy, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0700);
	if (in < 0 || out < 0)
		die(copy);
	copy_fd(in, out, copy);
	close(out);
	char *b = load_plug(copy, "over_bss");
	snprintf(path, sizeof(path), "%s/libplug-2m.so", dir);
	in = open(path, O_RDONLY | O_CLOEXEC);
	out = open(copy, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (in < 0 || out < 0)
		die(copy);
	copy_fd(in, out, copy);
	close(out);
	printf("over %p 0 %s\n", (void *)b, copy);
}

/* The thread of heap_stack(): blocked until the process exits. */
static void *heap_stack_thread(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

/* A thread whose stack is a piece of a larger anonymous rw mapping with no guard
 * below it: the mapping's first page is read-only, so what is under the rw part is
 * known. */
static void heap_stack(size_t page)
{
	size_t len = 4 * MiB;
	char *m = mmap(NULL, page + len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	pthread_attr_t a;
	pthread_t t;

	if (m == MAP_FAILED || mprotect(m, page, PROT_READ) < 0)
		die("heapstack");
	memset(m + page, 1, 256 * KiB);
	if (pthread_attr_init(&a) != 0 || pthread_attr_setstack(&a, m + page, 256 * KiB) != 0 ||
	    pthread_create(&t, &a, heap_stack_thread, NULL) != 0)
		die("heapstack thread");
	line("heapstack", m + page, len);
}

/* A thread of run_threads(): named, then blocked until the process exits. */
static void *idle_thread(void *arg)
{
	char name[16];

	snprintf(name, sizeof(name), "%s-%d", (int)(intptr_t)arg % 2 ? "worker" : "io",
		 (int)(intptr_t)arg);
	pthread_setname_np(pthread_self(), name);
	pause();
	return NULL;
}

/* N threads, named "worker-K" and "io-K" by turns, each blocked in pause(). */
static void run_threads(int n)
{
	for (int i = 1; i <= n; i++) {
		pthread_t t;
		if (pthread_create(&t, NULL, idle_thread, (void *)(intptr_t)i) != 0)
			die("pthread_create");
	}
}

int main(int argc, char **argv)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);

	setvbuf(stdout, NULL, _IOLBF, 0);
	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	printf("pid %d\n", (int)getpid());
	if (argc > 1 && strcmp(argv[1], "memfd") == 0)
		run_memfd(argv);
	if (argc > 2 && strcmp(argv[1], "plugins") == 0) {
		run_plugins(argv[2]);
		wait_stdin();
		_exit(0);	/* no destructors: the overwritten library's pages changed */
	}
	if (argc > 2 && strcmp(argv[1], "threads") == 0) {
		run_threads(atoi(argv[2]));
		line("text", (const void *)(uintptr_t)main, 1);
		wait_stdin();
		_exit(0);
	}
	if (argc > 1 && (strcmp(argv[1], "plain") == 0 || strcmp(argv[1], "memfd") == 0)) {
		line("text", (const void *)(uintptr_t)main, 1);
		wait_stdin();
		return 0;
	}

	/* V8: a code range reserved, and a piece of the program's own text remapped
	 * into it */
	off_t toff;
	size_t tlen;
	own_text(&toff, &tlen);
	char *res = mmap(NULL, 64 * MiB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			 -1, 0);
	if (res == MAP_FAILED)
		die("reservation");
	int exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (exe < 0)
		die("/proc/self/exe");
	void *alias = mmap(res + 16 * MiB, tlen, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED,
			   exe, toff);
	if (alias == MAP_FAILED)
		die("alias");
	line("reservation", res, 64 * MiB);
	line("alias", alias, tlen);

	/* a symbolizer: the whole file r--p, and its anonymous buffer right above */
	struct stat st;
	if (fstat(exe, &st) < 0)
		die("fstat");
	size_t flen = page_up((uintptr_t)st.st_size, page);
	char *whole = mmap(NULL, flen + MiB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (whole == MAP_FAILED ||
	    mmap(whole, flen, PROT_READ, MAP_PRIVATE | MAP_FIXED, exe, 0) == MAP_FAILED ||
	    mmap(whole + flen, MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0) == MAP_FAILED)
		die("whole file");
	memset(whole + flen, 1, 4096);
	line("wholefile", whole, flen);
	line("symanon", whole + flen, MiB);

	/* a bss partly unmapped, partly mprotect()ed, and anonymous memory right
	 * above its end */
	memset(bss_array, 1, BSS_LEN);
	char *hole = bss_array + 256 * KiB, *prot = bss_array + 512 * KiB;
	if (munmap(hole, 64 * KiB) < 0 || mprotect(prot, 16 * KiB, PROT_NONE) < 0)
		die("bss");
	uintptr_t bss_end = page_up((uintptr_t)_end, page);
	line("bss_a", bss_array, 256 * KiB);
	line("bss_hole", hole, 64 * KiB);
	line("bss_b", hole + 64 * KiB, (size_t)(prot - hole) - 64 * KiB);
	line("bss_prot", prot, 16 * KiB);
	line("bss_c", prot + 16 * KiB, bss_end - (uintptr_t)(prot + 16 * KiB));
	line("bss_end", (void *)bss_end, 0);
	void *above = mmap((void *)bss_end, 256 * KiB, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (above != MAP_FAILED && above != (void *)bss_end)
		munmap(above, 256 * KiB);	/* an old kernel took it as a hint */
	else if (above != MAP_FAILED) {
		memset(above, 1, 256 * KiB);
		line("bss_above", above, 256 * KiB);
	}

	/* a malloc arena: a second thread's malloc() */
	int pfd[2];
	pthread_t t;
	if (pipe(pfd) < 0 || pthread_create(&t, NULL, thread_main, &pfd[0]) != 0)
		die("thread");
	pthread_mutex_lock(&lock);
	while (!arena_ptr)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	line("arena", arena_ptr, 1000);

	/* JIT code */
	unsigned char *jit = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				  -1, 0);
	if (jit == MAP_FAILED)
		die("jit");
	jit[0] = 0xc3;	/* ret */
	if (mprotect(jit, page, PROT_READ | PROT_EXEC) < 0)
		die("mprotect jit");
	line("jit", jit, page);
	heap_stack(page);

	hugetlb("huge_private", MAP_PRIVATE);
	hugetlb("huge_shared", MAP_SHARED);
	line("text", (const void *)(uintptr_t)main, 1);
	wait_stdin();
	return 0;
}

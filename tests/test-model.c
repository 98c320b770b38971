/* test-model.c - the corners of the smaps parser (src/source/smaps.c), the VMA list
 * (src/model/vma.c), the model's names and constructor (src/model/layout.c,
 * layout.h) and the small helpers of src/lib/util.h and array.h that the recorded
 * fixtures and the live tests do not reach: each malformed header field and field
 * line the parser refuses, with its line; the values it clamps; a read(2)
 * interrupted by a signal; the name table growing past its first hash; the names of
 * out-of-range enum values; the two parts of a VMA; the cells of the VMA table
 * (src/view/columns.c) in buffers too small for them.
 *
 * The smaps texts here are built by hand, line by line, to break one rule of the
 * kernel's format each (fs/proc/task_mmu.c); the well-formed lines are as
 * show_smap() prints them.  TAP on stdout (tests/tap.h).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/array.h"
#include "lib/util.h"
#include "model/layout.h"
#include "source/smaps.h"
#include "view/columns.h"
#include "tap.h"

#define HDR "00400000-00401000 r-xp 00000000 fe:00 1234                       /bin/x\n"

/* ------------------------------------------------------------ the parser */

/* Parse len bytes at s; expect failure with ENOEXEC at line, and a message that
 * holds want (when not NULL). */
static void expect_bad(const char *what, const char *s, size_t len, unsigned long line,
		       const char *want)
{
	struct vma_list l;
	struct smaps_error err = { 0, "" };
	int rc, e;

	vma_list_init(&l);
	errno = 0;
	rc = smaps_parse_buf(s, len, &l, &err);
	e = errno;
	tap_ok(rc == -1 && e == ENOEXEC && err.line == line &&
	       (want ? strstr(err.msg, want) != NULL : err.msg[0] != '\0'),
	       "refused: %s: line %lu, \"%s\" (got %d, errno %d, line %lu: %s)", what, line,
	       want ? want : "", rc, e, err.line, err.msg);
	vma_list_free(&l);
}

#define BAD(what, lit, line, want) expect_bad(what, lit, sizeof(lit) - 1, line, want)

static void test_bad_headers(void)
{
	BAD("17 hex digits in the start",
	    "00000000000400000-00401000 r-xp 00000000 fe:00 1 /x\n", 1, "bad address range");
	BAD("no end address", "00400000- 00401000 r-xp 00000000 fe:00 1 /x\n", 1,
	    "bad address range");
	BAD("the line ends after the start", "00400000\n", 1, "bad address range");
	BAD("no '-' after the start", "00400000+00401000 r-xp 00000000 fe:00 1 /x\n", 1,
	    "bad address range");
	BAD("the line ends after the end", "00400000-00401000\n", 1, "bad address range");
	BAD("no space after the end", "00400000-00401000_r-xp 00000000 fe:00 1 /x\n", 1,
	    "bad address range");
	BAD("permissions cut", "00400000-00401000 r-x\n", 1, "bad permissions");
	BAD("bad read permission", "00400000-00401000 x-xp 00000000 fe:00 1 /x\n", 1,
	    "bad permissions");
	BAD("bad write permission", "00400000-00401000 rrxp 00000000 fe:00 1 /x\n", 1,
	    "bad permissions");
	BAD("bad shared flag", "00400000-00401000 r-xq 00000000 fe:00 1 /x\n", 1,
	    "bad permissions");
	BAD("no space after the permissions", "00400000-00401000 r-xp_00000000 fe:00 1 /x\n", 1,
	    "bad permissions");
	BAD("no offset", "00400000-00401000 r-xp  fe:00 1 /x\n", 1, "bad offset");
	BAD("the line ends after the offset", "00400000-00401000 r-xp 00000000\n", 1,
	    "bad offset");
	BAD("no space after the offset", "00400000-00401000 r-xp 00000000:fe:00 1 /x\n", 1,
	    "bad offset");
	BAD("no major", "00400000-00401000 r-xp 00000000 :00 1 /x\n", 1, "bad device");
	BAD("the line ends after the major", "00400000-00401000 r-xp 00000000 fe\n", 1,
	    "bad device");
	BAD("no ':' in the device", "00400000-00401000 r-xp 00000000 fe-00 1 /x\n", 1,
	    "bad device");
	BAD("no minor", "00400000-00401000 r-xp 00000000 fe: 1 /x\n", 1, "bad device");
	BAD("no space after the minor", "00400000-00401000 r-xp 00000000 fe:00_1 /x\n", 1,
	    "bad device");
	BAD("a major above 32 bits", "00400000-00401000 r-xp 00000000 100000000:00 1 /x\n", 1,
	    "bad device");
	BAD("a minor above 32 bits", "00400000-00401000 r-xp 00000000 fe:100000000 1 /x\n", 1,
	    "bad device");
	BAD("no inode", "00400000-00401000 r-xp 00000000 fe:00 x /x\n", 1, "bad inode");
	BAD("an inode above 64 bits",
	    "00400000-00401000 r-xp 00000000 fe:00 99999999999999999999 /x\n", 1, "bad inode");
	BAD("an inode of 2^64 (the last digit overflows)",
	    "00400000-00401000 r-xp 00000000 fe:00 18446744073709551616 /x\n", 1, "bad inode");
	BAD("a letter after the inode", "00400000-00401000 r-xp 00000000 fe:00 12x /x\n", 1,
	    "bad inode");
	BAD("a NUL byte in the name", "00400000-00401000 r-xp 00000000 fe:00 1 /a\0b\n", 1,
	    "NUL byte");
	BAD("a header after good lines, cut",
	    HDR "Size:                  4 kB\n00401000-00402000 r-xp 00000000 fe:00\n", 3,
	    "bad device");
}

static void test_bad_fields(void)
{
	BAD("a line of neither form (starts with '!')", HDR "!Rss 4 kB\n", 2,
	    "neither a VMA header");
	BAD("a key of no bytes", HDR ": 4 kB\n", 2, "neither a VMA header");
	BAD("a NUL byte in the key", HDR "Rs\0s: 4 kB\n", 2, "neither a VMA header");
	BAD("a value above 64 bits", HDR "Rss: 99999999999999999999 kB\n", 2,
	    "value out of range");
	BAD("kB that overflow bytes", HDR "Rss: 18014398509481984 kB\n", 2,
	    "value out of range");
	BAD("no number", HDR "Rss:    \n", 2, "bad number for Rss");
	BAD("a negative number", HDR "Rss: -4 kB\n", 2, "bad number for Rss");
	BAD("a letter after the number", HDR "Rss: 4x\n", 2, "bad number for Rss");
	BAD("a unit of another case", HDR "Rss: 4 kb\n", 2, "bad unit for Rss");
	BAD("a unit cut", HDR "Rss: 4 k\n", 2, "bad unit for Rss");
	BAD("a unit of another letter", HDR "Rss: 4 MB\n", 2, "bad unit for Rss");
	BAD("a space and no unit", HDR "Rss: 4 \n", 2, "bad unit for Rss");
	{
		/* the message shows 40 bytes of a longer key */
		static const char t[] =
			HDR "An_Unknown_Key_Of_More_Than_Forty_Bytes_Here_And_More: x\n";
		struct vma_list l;
		struct smaps_error err = { 0, "" };
		vma_list_init(&l);
		int rc = smaps_parse_buf(t, sizeof(t) - 1, &l, &err);
		tap_ok(rc == -1 && err.line == 2 &&
		       strcmp(err.msg, "bad number for An_Unknown_Key_Of_More_Than_Forty_Bytes_") == 0,
		       "refused: a long key with a bad number: 40 bytes of it shown (%s)", err.msg);
		vma_list_free(&l);
	}
	BAD("a VmFlags code of one letter", HDR "VmFlags: rd w\n", 2, "bad VmFlags");
	BAD("a VmFlags code of three letters", HDR "VmFlags: rd wrx mr\n", 2, "bad VmFlags");
	/* the kernel's layout of a known field, with a byte that is no digit inside the
	 * eight columns of the number: not that line, read as "Key: value", refused */
	BAD("'/' inside the number of a kernel field line",
	    HDR "Size:                1/2 kB\n", 2, "bad number for Size");
	BAD("':' inside the number of a kernel field line",
	    HDR "Size:                1:2 kB\n", 2, "bad number for Size");
}

/* Upper-case hex digits (the kernel prints lower case): read as well. */
static void test_upper_hex(void)
{
	static const char text[] = "0040A000-0040B000 r--p 0000C000 FE:0A 1 /x\n";
	struct vma_list l;
	struct smaps_error err = { 0, "" };

	vma_list_init(&l);
	int rc = smaps_parse_buf(text, sizeof(text) - 1, &l, &err);
	tap_ok(rc == 0 && l.n == 1 && l.v[0].start == 0x40a000 && l.v[0].end == 0x40b000 &&
	       l.v[0].offset == 0xc000 && l.v[0].dev_major == 0xfe && l.v[0].dev_minor == 0xa,
	       "upper-case hex digits in a header: read (%s)", err.msg);
	vma_list_free(&l);
}

/* Fields that do not fit 32 bits of KiB (a VMA of 4 TiB or more, or text that says
 * so) are kept exactly, in bytes, with the fields read before them. */
static void test_wide(void)
{
	static const char text[] =
		"100000000000-600000000000 ---p 00000000 00:00 0 \n"
		"Size:           5368709120 kB\n"
		"KernelPageSize:        4 kB\n"
		"Rss:            4294967296 kB\n"
		"Pss:                   8 kB\n"
		"Swap:                 12 kB\n"
		HDR
		"Size:                  4 kB\n"
		"Rss:                   4 kB\n";
	struct vma_list l;

	vma_list_init(&l);
	int rc = smaps_parse_buf(text, sizeof(text) - 1, &l, NULL);
	tap_ok(rc == 0 && l.n == 2, "VMAs of 5 TiB and 4 KiB read (rc %d, %zu VMAs)", rc, l.n);
	if (rc == 0 && l.n == 2) {
		const struct vma *v = &l.v[0];
		tap_ok(v->wide && vma_fig(v, SF_SIZE) == 5368709120ULL * 1024 &&
		       vma_fig(v, SF_RSS) == 4294967296ULL * 1024 &&
		       vma_fig(v, SF_KERNEL_PAGE_SIZE) == 4096 && vma_fig(v, SF_PSS) == 8192 &&
		       vma_fig(v, SF_SWAP) == 12288 && vma_fig(v, SF_LOCKED) == 0,
		       "the 5 TiB VMA: every field exact in bytes");
		tap_ok(!l.v[1].wide && vma_fig(&l.v[1], SF_RSS) == 4096 && l.n_wide == 1,
		       "the next VMA: in KiB again, one VMA kept wide");
	}
	vma_list_clear(&l);
	tap_ok(l.n_wide == 0, "a cleared list keeps no wide figures");
	vma_list_free(&l);
}

static void test_clamped(void)
{
	static const char text[] =
		HDR
		"Size:                  4 kB\n"
		"An_Unknown_Key_Of_Sixteen_Bytes_Or_More:     8 kB\n"
		"THPeligible:    200\n"
		"ProtectionKey:  70000\n"
		"Vmlayout_Count: 3\n"
		"THPeligiblX:    1\n"
		"ProtectionKeX:  1\n"
		"Rss:                   4 kB\n"
		"VmFlags: rd ex\n"
		"00401000-00402000 r--p 00001000 fe:00 1234                       /bin/x\n"
		"THPeligible:    0\n"
		"ProtectionKey:  0\n";
	struct vma_list l;
	int rc;

	vma_list_init(&l);
	errno = 0;
	rc = smaps_parse_buf(HDR "Rss: x\n", sizeof(HDR "Rss: x\n") - 1, &l, NULL);
	tap_ok(rc == -1 && errno == ENOEXEC, "no struct smaps_error: a bad line still refused");
	vma_list_clear(&l);
	/* no struct smaps_error: the parser still parses */
	rc = smaps_parse_buf(text, sizeof(text) - 1, &l, NULL);
	tap_ok(rc == 0 && l.n == 2, "parsed without a struct smaps_error (rc %d, %zu VMAs)", rc,
	       l.n);
	if (rc == 0 && l.n == 2) {
		tap_ok(l.v[0].thp_eligible == INT8_MAX && l.v[0].protection_key == INT16_MAX,
		       "THPeligible 200 and ProtectionKey 70000 clamped to %d and %d",
		       l.v[0].thp_eligible, l.v[0].protection_key);
		tap_ok(l.v[1].thp_eligible == 0 && l.v[1].protection_key == 0,
		       "THPeligible 0, ProtectionKey 0 kept");
		tap_ok(vma_fig(&l.v[0], SF_RSS) == 4096 && vma_fig(&l.v[0], SF_SIZE) == 4096,
		       "a known field after unknown ones is still found by name");
		bool kb = false, count = false, thp = false, pk = false;
		for (size_t i = 0; i < l.n_extra; i++) {
			const char *k = l.names + l.extra[i].key;
			if (strcmp(k, "An_Unknown_Key_Of_Sixteen_Bytes_Or_More") == 0)
				kb = l.extra[i].is_kb && l.extra[i].value == 8192;
			else if (strcmp(k, "Vmlayout_Count") == 0)
				count = !l.extra[i].is_kb && l.extra[i].value == 3;
			else if (strcmp(k, "THPeligiblX") == 0)
				thp = l.extra[i].value == 1;
			else if (strcmp(k, "ProtectionKeX") == 0)
				pk = l.extra[i].value == 1;
		}
		tap_ok(l.n_extra == 4 && kb && count && thp && pk,
		       "unknown keys kept by name: a long one in kB, numbers without unit, "
		       "keys as long as THPeligible and ProtectionKey (%zu)", l.n_extra);
	}
	vma_list_free(&l);
}

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	(void)sig;
	got_signal = 1;
}

/* Whether the process pid is inside read(2): the first field of /proc/PID/syscall. */
static int in_read(pid_t pid)
{
	char path[64], buf[64];
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = (int)read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* "running" while it runs; the number of the system call it is blocked in */
	return buf[0] >= '0' && buf[0] <= '9' && atol(buf) == SYS_read;
}

/* A read(2) of smaps_parse_fd() interrupted by a signal (a handler without
 * SA_RESTART: read() fails with EINTR) is made again: a child waits until the
 * parser is blocked in read() on an empty pipe, signals it, then writes the text. */
static void test_eintr(void)
{
	struct sigaction sa, old;
	int fds[2];
	pid_t parent = getpid(), pid;

	if (in_read(parent) < 0) {
		tap_ok(1, "read() interrupted by a signal # SKIP /proc/self/syscall not readable");
		return;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART */
	if (sigaction(SIGUSR1, &sa, &old) < 0 || pipe(fds) < 0) {
		tap_ok(0, "read() interrupted by a signal: set up");
		return;
	}
	got_signal = 0;
	pid = fork();
	if (pid == 0) {
		static const char text[] = HDR "Size:                  4 kB\n";
		close(fds[0]);
		/* bounded: 10 000 looks at the parent, a millisecond apart */
		int k;
		for (k = 0; k < 10000 && in_read(parent) != 1; k++)
			usleep(1000);
		if (k == 10000)
			_exit(2);
		if (kill(parent, SIGUSR1) < 0)
			_exit(3);
		/* until the signal was taken: the parent leaves read() */
		for (k = 0; k < 10000 && in_read(parent) == 1; k++)
			usleep(1000);
		_exit(write(fds[1], text, sizeof(text) - 1) == (ssize_t)(sizeof(text) - 1) ? 0 : 1);
	}
	close(fds[1]);
	struct vma_list l;
	struct smaps_error err = { 0, "" };
	vma_list_init(&l);
	int rc = pid > 0 ? smaps_parse_fd(fds[0], &l, &err) : -1;
	close(fds[0]);
	int status = -1;
	if (pid > 0)
		waitpid(pid, &status, 0);
	sigaction(SIGUSR1, &old, NULL);
	tap_ok(rc == 0 && l.n == 1 && got_signal && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "read() interrupted by a signal: read again (rc %d, %zu VMAs, signal %d, "
	       "child status %#x: %s)", rc, l.n, (int)got_signal, (unsigned)status, err.msg);
	vma_list_free(&l);
}

/* ------------------------------------------------------------ the VMA list */

static void test_vma_list(void)
{
	struct vma_list l;
	char name[32];
	bool ok = true;

	vma_list_init(&l);
	/* more distinct names than the first hash holds (256 slots, half full) */
	uint32_t off[600];
	for (int i = 0; i < 600 && ok; i++) {
		int n = snprintf(name, sizeof(name), "/lib/name-%d.so", i);
		off[i] = vma_list_intern(&l, name, (size_t)n);
		ok = off[i] != UINT32_MAX;
	}
	for (int i = 0; i < 600 && ok; i++) {
		int n = snprintf(name, sizeof(name), "/lib/name-%d.so", i);
		ok = vma_list_intern(&l, name, (size_t)n) == off[i] &&
		     strcmp(l.names + off[i], name) == 0;
	}
	tap_ok(ok && l.hash_cap >= 1200, "600 names interned, found again after the hash grew "
	       "(%zu slots)", l.hash_cap);

	/* the table of names is limited to 4 GiB (32-bit offsets): taken as full */
	size_t len = l.names_len;
	l.names_len = UINT32_MAX - 4;
	errno = 0;
	uint32_t o = vma_list_intern(&l, "/a/new/name", 11);
	int e = errno;
	l.names_len = len;
	tap_ok(o == UINT32_MAX && e == ENOMEM, "a name past 4 GiB of names: ENOMEM");
	vma_list_free(&l);

	vma_list_init(&l);
	struct vma *v = vma_list_add(&l, 0x1000, 0x2000, VMA_PERM_READ, 0, 0, 0, 0, "[heap]", 6,
				     true);
	tap_ok(v && v->name_kind == VMA_NAME_HEAP && !v->deleted,
	       "\" (deleted)\" is kept only for a path");
	v = vma_list_add(&l, 0x3000, 0x3000, VMA_PERM_READ, 0, 0, 0, 0, NULL, 0, false);
	tap_ok(v && vma_list_check_order(&l) == 1, "an empty VMA: vma_list_check_order() names it");
	vma_list_free(&l);

	/* 20 000 VMAs: megabytes, whose pages are asked for ahead (vma.c); filled,
	 * cleared and filled again */
	vma_list_init(&l);
	for (int round = 0; round < 2; round++) {
		vma_list_clear(&l);
		for (uint64_t i = 0; i < 20000 && ok; i++)
			ok = vma_list_add(&l, (i + 1) << 12, (i + 2) << 12, VMA_PERM_READ, i, 0, 0,
					  i, NULL, 0, false) != NULL;
	}
	for (size_t i = 0; i < l.n && ok; i++)
		ok = l.v[i].start == (i + 1) << 12 && l.v[i].offset == i && l.v[i].inode == i &&
		     l.v[i].object == -1 && l.v[i].name_kind == VMA_NAME_NONE;
	tap_ok(ok && l.n == 20000 && vma_list_check_order(&l) == l.n && l.populated >= l.n,
	       "20 000 VMAs added twice to a cleared list: every one as added, in order");
	vma_list_free(&l);

	static const struct {
		const char *s;
		enum vma_name_kind kind;
	} names[] = {
		{ "[heap", VMA_NAME_OTHER }, { "heap]", VMA_NAME_OTHER },
		{ "[stacx]", VMA_NAME_OTHER }, { "[vvax]", VMA_NAME_OTHER },
		{ "[vsyscalx]", VMA_NAME_OTHER }, { "[uprobex]", VMA_NAME_OTHER },
		{ "[anon:]", VMA_NAME_OTHER }, { "[anon:x]", VMA_NAME_ANON },
		{ "[anon_x:long]", VMA_NAME_OTHER }, { "[anon_shmem:]", VMA_NAME_OTHER },
		{ "[anon_shmem:y]", VMA_NAME_ANON_SHMEM }, { "[vvar_vclock]", VMA_NAME_VVAR_VCLOCK },
		{ "[vsyscall]", VMA_NAME_VSYSCALL }, { "[vvar]", VMA_NAME_VVAR },
	};
	int bad = -1;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (vma_classify_name(names[i].s, strlen(names[i].s)) != names[i].kind) {
			bad = (int)i;
			break;
		}
	tap_ok(bad < 0, "vma_classify_name() on names near the kernel's (%s)",
	       bad < 0 ? "all" : names[bad].s);
}

/* ------------------------------------------------------------ the model */

static void test_names(void)
{
	tap_ok(strcmp(role_name(ROLE_COUNT), "?") == 0 && strcmp(role_name(ROLE_JIT), "jit") == 0,
	       "role_name() of a value out of range: ?");
	tap_ok(role_listed(-1) == ROLE_OTHER && role_listed(ROLE_COUNT) == ROLE_OTHER &&
	       role_listed(0) == ROLE_TEXT, "role_listed() out of range: other");
	tap_ok(strcmp(region_name(REGION_COUNT), "?") == 0 &&
	       role_region(ROLE_COUNT) == REGION_SPECIAL, "region_name(), role_region() out of range");
	tap_ok(strcmp(vm_counter_name(-1), "?") == 0 && strcmp(vm_counter_name(VMC_COUNT), "?") == 0 &&
	       strcmp(vm_counter_name(VMC_STACK), "stack_vm") == 0, "vm_counter_name()");
	tap_ok(strcmp(layout_source_name(-1), "?") == 0 &&
	       strcmp(layout_source_name(LAYOUT_SOURCE_COUNT), "?") == 0 &&
	       strcmp(layout_source_name(LAYOUT_SOURCE_CORE), "core") == 0, "layout_source_name()");
	tap_ok(strcmp(object_kind_name(OBJECT_INTERPRETER), "interpreter") == 0 &&
	       strcmp(object_kind_name(OBJECT_LIBRARY), "library") == 0, "object_kind_name()");
}

static void test_layout(void)
{
	struct layout L;
	struct thread_info ti[1];

	layout_init(&L);
	tap_ok(layout_add_vma(&L, 0x2000, 0x2000, 0, 0, 0, 0, 0, NULL, false) == NULL &&
	       errno == EINVAL, "layout_add_vma(): an empty VMA: EINVAL");
	tap_ok(layout_add_vma(&L, 0x2000, 0x3000, VMA_PERM_READ, 0, 0, 0, 0, "[heap]", false) != NULL,
	       "layout_add_vma(): a VMA");
	tap_ok(layout_add_vma(&L, 0x2800, 0x4000, 0, 0, 0, 0, 0, NULL, false) == NULL &&
	       errno == EINVAL, "layout_add_vma(): a VMA below the end of the last: EINVAL");
	memset(ti, 0, sizeof(ti));
	ti[0].tid = 42;
	snprintf(ti[0].comm, sizeof(ti[0].comm), "worker");
	L.threads = malloc(sizeof(ti));
	if (L.threads) {
		memcpy(L.threads, ti, sizeof(ti));
		L.n_threads = 1;
	}
	tap_ok(strcmp(layout_thread_comm(&L, 42), L.threads ? "worker" : "") == 0 &&
	       strcmp(layout_thread_comm(&L, 43), "") == 0,
	       "layout_thread_comm(): the thread's name, \"\" for another TID");
	struct layout_offline *a = layout_offline_get(&L), *b = layout_offline_get(&L);
	tap_ok(a && a == b, "layout_offline_get(): made once");
	layout_free(&L);
	tap_ok(L.vmas.n == 0 && L.offline == NULL && L.exe_object == -1,
	       "layout_free(): the layout is empty again");
	proc_identity_free(NULL);
	tap_ok(1, "proc_identity_free(NULL)");
}

/* vma_part_figures(): a VMA of one part, and of two with figures measured or
 * estimated. */
static void test_parts(void)
{
	struct vma v;
	struct figures f[2];
	bool measured;
	const uint64_t page = 4096;

	memset(&v, 0, sizeof(v));
	v.start = 0x10000;
	v.end = 0x20000;	/* 16 pages */
	v.kib[SF_RSS] = 8 * page / 1024;
	v.kib[SF_PSS] = 8 * page / 1024;
	v.kib[SF_PRIVATE_DIRTY] = 8 * page / 1024;
	v.bss_rss_pages = v.bss_swap_pages = UINT32_MAX;
	tap_ok(!vma_part_figures(&v, page, f, &measured) && f[1].size == 16 * page,
	       "no bss pages: one part");
	v.bss_pages = 16;
	tap_ok(!vma_part_figures(&v, page, f, &measured), "bss pages the whole VMA: one part");
	v.bss_pages = 4;
	tap_ok(!vma_part_figures(&v, 0, f, &measured), "page size 0: one part");
	tap_ok(vma_part_figures(&v, page, f, &measured) && !measured && f[0].size == 4 * page &&
	       f[0].rss == 2 * page && f[1].rss == 6 * page && f[0].pss + f[1].pss == 8 * page,
	       "two parts, RSS estimated in proportion to size (%" PRIu64 " + %" PRIu64 ")",
	       f[0].rss, f[1].rss);
	v.bss_rss_pages = 3;
	tap_ok(!vma_part_figures(&v, page, f, &measured) || !measured,
	       "RSS of the bss known, swap not: estimated");
	v.bss_swap_pages = 0;
	tap_ok(vma_part_figures(&v, page, f, &measured) && measured && f[0].rss == 3 * page &&
	       f[1].rss == 5 * page, "RSS and swap of the bss measured");
	memset(v.kib, 0, sizeof(v.kib));
	v.bss_rss_pages = 0;
	tap_ok(vma_part_figures(&v, page, f, &measured) && f[0].rss == 0 && f[0].pss == 0 &&
	       f[1].vmas == 1 && f[0].vmas == 0, "nothing resident: PSS and the rest 0");
}

/* ------------------------------------------------------------ lib */

static void test_lib(void)
{
	tap_ok(page_up(UINT64_MAX - 10, 4096) == page_down(UINT64_MAX, 4096) &&
	       page_up(4097, 4096) == 8192, "page_up(): the last page's start when it would wrap");
	tap_ok(hex_digit('A') == 10 && hex_digit('f') == 15 && hex_digit('G') == -1 &&
	       hex_digit('7') == 7, "hex_digit() of both cases");

	size_t cap = SIZE_MAX / 2 + 1;
	errno = 0;
	tap_ok(array_grown(NULL, &cap, 1, 8) == NULL && errno == ENOMEM && cap == SIZE_MAX / 2 + 1,
	       "array_grown(): a capacity that doubles past SIZE_MAX: ENOMEM, unchanged");
	cap = SIZE_MAX / 64;
	errno = 0;
	tap_ok(array_grown(NULL, &cap, 64, 8) == NULL && errno == ENOMEM,
	       "array_grown(): bytes past SIZE_MAX: ENOMEM");
	int *a = NULL;
	size_t n = 0, c = 0;
	bool ok = true;
	for (int i = 0; i < 100 && ok; i++) {
		ok = ARRAY_GROW(a, c, n, 4) == 0;
		if (ok)
			a[n++] = i;
	}
	tap_ok(ok && n == 100 && c == 128 && a[99] == 99, "ARRAY_GROW(): 100 elements, room for 128");
	free(a);
}

/* ------------------------------------------------------------ the columns */

static int col(const char *name)
{
	return column_lookup(name, strlen(name));
}

/* Column cells of a VMA read from smaps text with a protection key, in buffers of
 * every size from 0 up: always NUL-terminated inside the buffer, never longer. */
static void test_columns(void)
{
	static const char text[] =
		"7f0000000000-7f0000001000 rw-p 00000000 103:1000 99                     "
		"/a/long/path/of/a/library/libsomething.so.1.2.3\n"
		"Size:                  4 kB\n"
		"Rss:                   4 kB\n"
		"ProtectionKey:         3\n"
		"THPeligible:           1\n"
		"VmFlags: rd wr mr mw me ac sd \n";
	struct layout L;
	struct smaps_error err = { 0, "" };
	char buf[256];
	uint64_t num;

	layout_init(&L);
	int rc = smaps_parse_buf(text, sizeof(text) - 1, &L.vmas, &err);
	tap_ok(rc == 0 && L.vmas.n == 1, "a VMA with a protection key (%s)", err.msg);
	if (rc != 0 || L.vmas.n != 1) {
		layout_free(&L);
		return;
	}
	L.vmas.v[0].role = ROLE_FILE;
	bool known = column_value(col("PROTECTION_KEY"), &L, 0, true, buf, sizeof(buf), &num);
	tap_ok(known && num == 3 && strcmp(buf, "3") == 0, "PROTECTION_KEY: 3 (%s)", buf);
	known = column_value(-1, &L, 0, true, buf, sizeof(buf), &num);
	tap_ok(!known && buf[0] == '\0', "a column id below 0: unknown, empty");
	known = column_value((int)columns_count(), &L, 0, true, buf, sizeof(buf), &num);
	tap_ok(!known && buf[0] == '\0' && column_get(columns_count()) == NULL,
	       "a column id past the last: unknown, empty");
	known = column_value(col("DEV"), &L, 0, true, buf, sizeof(buf), &num);
	tap_ok(known && strcmp(buf, "103:1000") == 0, "DEV of a major and minor above ff: %s", buf);

	/* every column in every buffer size up to 40 bytes */
	bool ok = true;
	const char *bad = "";
	for (size_t id = 0; id < columns_count() && ok; id++) {
		char full[256];
		uint64_t n0;
		column_value((int)id, &L, 0, true, full, sizeof(full), &n0);
		for (size_t len = 0; len <= 40 && ok; len++) {
			char small[48];
			memset(small, 'Z', sizeof(small));
			column_value((int)id, &L, 0, true, small, len, &num);
			/* VMFLAGS stops at the last code with room for four more
			 * bytes: a prefix of the whole list */
			bool flags = strcmp(column_get(id)->name, "VMFLAGS") == 0;
			ok = num == n0 && small[len] == 'Z' && small[len + 1] == 'Z' &&
			     (len == 0 ||
			      (strlen(small) < len &&
			       (strlen(full) >= len || strcmp(small, full) == 0 ||
				(flags && strncmp(small, full, strlen(small)) == 0))));
			if (!ok)
				bad = column_get(id)->name;
		}
	}
	tap_ok(ok, "every column in buffers of 0 to 40 bytes: cut, NUL-terminated, same value "
	       "(%s)", bad);

	/* cell_width() of a name and of a size: the width of the formatted text */
	struct cell c;
	char scratch[64];
	column_cell(col("PATH"), &L, 0, scratch, sizeof(scratch), &c);
	size_t w = cell_width(&c, false, scratch, sizeof(scratch));
	tap_ok(c.kind == CELL_NAME && w == strlen(vma_name(&L.vmas, &L.vmas.v[0])),
	       "cell_width() of a name that fits: its length (%zu)", w);
	w = cell_width(&c, false, scratch, 16);
	tap_ok(w > 0 && w <= 15, "cell_width() of a name cut to a small buffer: %zu columns", w);
	column_cell(col("SIZE"), &L, 0, scratch, sizeof(scratch), &c);
	tap_ok(c.kind == CELL_SIZE && cell_width(&c, false, scratch, sizeof(scratch)) == 2 &&
	       cell_width(&c, true, scratch, sizeof(scratch)) == 4,
	       "cell_width() of a size: 4K, 4096");
	c.kind = CELL_UNKNOWN;
	tap_ok(cell_width(&c, false, scratch, sizeof(scratch)) == 0 &&
	       cell_format(&c, false, scratch, 0) == 0, "an unknown cell: width 0; no buffer: 0");
	layout_free(&L);
}

int main(void)
{
	test_bad_headers();
	test_bad_fields();
	test_upper_hex();
	test_wide();
	test_clamped();
	test_eintr();
	test_vma_list();
	test_names();
	test_layout();
	test_parts();
	test_lib();
	test_columns();
	return tap_done();
}

/* hostile.c - a process that maps files with hostile names and crafted ELF files
 *
 * Usage: hostile DIR           map everything below, print it, wait on stdin
 *        hostile --write-elf DIR   only write the crafted ELF files into DIR
 *
 * DIR is created (it must not exist) and removed at exit with what is in it.  Every
 * mapping is one page or two of a file in DIR, made with mmap(2); each is printed on
 * stdout as
 *
 *	KIND ADDR LABEL HEXPATH
 *
 * KIND is "name" (a hostile name, mapped PROT_READ, MAP_PRIVATE), "odd" (a mapped
 * file that is not a regular file, or no longer the one at its path), or "elf" (a
 * crafted ELF file mapped PROT_READ|PROT_EXEC, MAP_PRIVATE, at offset 0); ADDR is
 * 0x-hex; HEXPATH is the bytes of the file's full path as created, in lower-case hex
 * (for "odd" FIFO and replaced cases: the path the file was created at).  Then
 * "ready", and it waits: read(2) on stdin until end of file, or SIGTERM/SIGINT/SIGHUP;
 * it exits by itself after 600 s.
 *
 * Hostile names (LABEL):
 *	newline      "nl" NEWLINE "name"   the kernel shows it as "nl\012name"
 *	tab          "tab" TAB "name"
 *	trailing     "trailing  " (two trailing spaces)
 *	backslash    "back\slash\\"
 *	literal012   "lit\012eral": a backslash and the digits 0 1 2, shown by the kernel
 *	             exactly as a newline is
 *	nonutf8      "bad" 0xff 0xfe 0xc3 ".bin"
 *	deleted_lit  "exists (deleted)": a file that exists, whose name ends in " (deleted)"
 *	bracket      "[heap]", and bracket2 "[vdso] x"
 *	long         a path of PATH_MAX - 1 bytes, through nested directories of
 *	             200-byte names (created with mkdirat/openat)
 *	utf8         "caf" U+00E9 " " U+2603 (valid UTF-8)
 *	escape       "esc" ESC "[31mred" (a terminal escape sequence)
 * Odd files (LABEL):
 *	devzero      /dev/zero mapped private (PROT_READ|PROT_WRITE), touched: anonymous
 *	             memory for the kernel (HEXPATH is "/dev/zero")
 *	fifo         a file mapped, unlinked, and a FIFO made at its path
 *	replaced     a file mapped, unlinked, and another regular file written at its path
 *	shadowed     "amb\012x" (literal backslash-digits) mapped, while a different regular
 *	             file "amb" NEWLINE "x" exists: what the kernel prints names both
 *	fifoshadow   "ff\012x" mapped, while a FIFO "ff" NEWLINE "x" exists
 * Crafted ELF files (LABEL): each is 8 KiB with a good first PT_LOAD (offset 0,
 * vaddr 0, 8 KiB, R+X) unless said otherwise, and one defect:
 *	truncated    ELF64 header saying 12 program headers at 64, file cut to 200 bytes
 *	             (refused: the program header table is cut short)
 *	memsz_huge   a second PT_LOAD (RW) at 0x10000 with p_filesz 0x1000 and p_memsz
 *	             2^62: a bss far larger than anything mapped
 *	vaddr_wrap   a second PT_LOAD with p_vaddr 0xfffffffffffff000, p_memsz 0x2000
 *	             (overflows: dropped with a warning)
 *	phnum_xnum   e_phnum 0xffff (PN_XNUM) with section 0's sh_info = 2
 *	phnum_ffff   e_phnum 0xffff and no section header (refused)
 *	overlap      a second PT_LOAD overlapping the first (dropped with a warning)
 *	elf32        an ELFCLASS32 EM_386 file, mapped in this 64-bit process
 *	relro_out    a PT_GNU_RELRO outside every PT_LOAD (ignored with a warning)
 *	no_load      no PT_LOAD at all (refused)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define ELF_SIZE 8192

static char *topdir;		/* absolute path of DIR */
static volatile sig_atomic_t stop;

static void die(const char *what)
{
	fprintf(stderr, "hostile: %s: %s\n", what, strerror(errno));
	exit(2);
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	remove(p);
	return 0;
}

static void cleanup(void)
{
	if (topdir)
		nftw(topdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void print_hex(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		printf("%02x", (unsigned char)s[i]);
}

static void report(const char *kind, const void *addr, const char *label, const char *path)
{
	printf("%s %p %s ", kind, addr, label);
	print_hex(path, strlen(path));
	putchar('\n');
}

/* Write len bytes of buf to a new file NAME in dirfd; returns an fd open O_RDONLY. */
static int make_file(int dirfd, const char *name, const void *buf, size_t len)
{
	int fd = openat(dirfd, name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	if (fd < 0)
		die(name);
	if (write(fd, buf, len) != (ssize_t)len)
		die("write");
	return fd;
}

/* Map the first page(s) of fd; the mapping is read, so that it is resident. */
static void *map_fd(int fd, size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE, fd, 0);

	if (p == MAP_FAILED)
		die("mmap");
	volatile const char *c = p;
	(void)c[0];
	return p;
}

static char *join(const char *dir, const char *name)
{
	char *s;

	if (asprintf(&s, "%s/%s", dir, name) < 0)
		die("asprintf");
	return s;
}

static void map_named(int dirfd, const char *label, const char *name)
{
	char page[4096];

	memset(page, 'x', sizeof(page));
	int fd = make_file(dirfd, name, page, sizeof(page));
	void *p = map_fd(fd, sizeof(page), PROT_READ);
	close(fd);
	char *full = join(topdir, name);
	report("name", p, label, full);
	free(full);
}

/* The long path: nested directories of 200-byte names, then a file, to a total
 * length of PATH_MAX - 1 bytes. */
static void map_long(int dirfd)
{
	char comp[201], *full = strdup(topdir);
	int d = dup(dirfd);

	if (!full || d < 0)
		die("dup");
	memset(comp, 'd', 200);
	comp[200] = '\0';
	while (PATH_MAX - 1 - strlen(full) - 1 > NAME_MAX) {
		if (mkdirat(d, comp, 0755) < 0)
			die("mkdirat");
		int nd = openat(d, comp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (nd < 0)
			die("openat dir");
		close(d);
		d = nd;
		char *nf = join(full, comp);
		free(full);
		full = nf;
	}
	size_t room = PATH_MAX - 1 - strlen(full) - 1;
	char *fname = malloc(room + 1);
	if (!fname)
		die("malloc");
	memset(fname, 'f', room);
	fname[room] = '\0';
	char page[4096];
	memset(page, 'L', sizeof(page));
	int fd = make_file(d, fname, page, sizeof(page));
	void *p = map_fd(fd, sizeof(page), PROT_READ);
	close(fd);
	close(d);
	char *path = join(full, fname);
	report("name", p, "long", path);
	free(path);
	free(fname);
	free(full);
}

/* ------------------------------------------------------------------ crafted ELF */

static void put_ehdr64(unsigned char *b, uint16_t phnum, uint64_t shoff, uint16_t shnum)
{
	Elf64_Ehdr *e = (Elf64_Ehdr *)b;

	memcpy(e->e_ident, ELFMAG, SELFMAG);
	e->e_ident[EI_CLASS] = ELFCLASS64;
	e->e_ident[EI_DATA] = ELFDATA2LSB;
	e->e_ident[EI_VERSION] = EV_CURRENT;
	e->e_type = ET_DYN;
	e->e_machine = EM_X86_64;
	e->e_version = EV_CURRENT;
	e->e_phoff = sizeof(Elf64_Ehdr);
	e->e_ehsize = sizeof(Elf64_Ehdr);
	e->e_phentsize = sizeof(Elf64_Phdr);
	e->e_phnum = phnum;
	e->e_shoff = shoff;
	e->e_shentsize = shoff ? sizeof(Elf64_Shdr) : 0;
	e->e_shnum = shnum;
}

static Elf64_Phdr *phdr64(unsigned char *b, int i)
{
	return (Elf64_Phdr *)(b + sizeof(Elf64_Ehdr) + (size_t)i * sizeof(Elf64_Phdr));
}

static void put_load64(unsigned char *b, int i, uint32_t flags, uint64_t off, uint64_t vaddr,
		       uint64_t filesz, uint64_t memsz)
{
	Elf64_Phdr *p = phdr64(b, i);

	p->p_type = PT_LOAD;
	p->p_flags = flags;
	p->p_offset = off;
	p->p_vaddr = p->p_paddr = vaddr;
	p->p_filesz = filesz;
	p->p_memsz = memsz;
	p->p_align = 0x1000;
}

struct crafted {
	const char *label;
	size_t len;		/* bytes of the file */
};

/* Fill b (ELF_SIZE bytes, zeroed) with crafted file number i; returns its label and
 * sets *len; NULL after the last. */
static const char *craft(int i, unsigned char *b, size_t *len)
{
	*len = ELF_SIZE;
	switch (i) {
	case 0:
		put_ehdr64(b, 12, 0, 0);
		put_load64(b, 0, PF_R | PF_X, 0, 0, ELF_SIZE, ELF_SIZE);
		*len = 200;
		return "truncated";
	case 1:
		put_ehdr64(b, 2, 0, 0);
		put_load64(b, 0, PF_R | PF_X, 0, 0, 0x1000, 0x1000);
		put_load64(b, 1, PF_R | PF_W, 0x1000, 0x10000, 0x1000, UINT64_C(1) << 62);
		return "memsz_huge";
	case 2:
		put_ehdr64(b, 2, 0, 0);
		put_load64(b, 0, PF_R | PF_X, 0, 0, ELF_SIZE, ELF_SIZE);
		put_load64(b, 1, PF_R | PF_W, 0x1000, UINT64_C(0xfffffffffffff000), 0x1000, 0x2000);
		return "vaddr_wrap";
	case 3: {
		/* section header 0 at 0x1000 holds the real count in sh_info */
		put_ehdr64(b, PN_XNUM, 0x1000, 1);
		put_load64(b, 0, PF_R | PF_X, 0, 0, ELF_SIZE, ELF_SIZE);
		Elf64_Phdr *p = phdr64(b, 1);
		p->p_type = PT_GNU_STACK;
		p->p_flags = PF_R | PF_W;
		Elf64_Shdr *s = (Elf64_Shdr *)(b + 0x1000);
		s->sh_info = 2;
		return "phnum_xnum";
	}
	case 4:
		put_ehdr64(b, PN_XNUM, 0, 0);
		put_load64(b, 0, PF_R | PF_X, 0, 0, ELF_SIZE, ELF_SIZE);
		return "phnum_ffff";
	case 5:
		put_ehdr64(b, 2, 0, 0);
		put_load64(b, 0, PF_R | PF_X, 0, 0, ELF_SIZE, ELF_SIZE);
		put_load64(b, 1, PF_R | PF_W, 0x1000, 0x1000, 0x1000, 0x3000);
		return "overlap";
	case 6: {
		Elf32_Ehdr *e = (Elf32_Ehdr *)b;
		memcpy(e->e_ident, ELFMAG, SELFMAG);
		e->e_ident[EI_CLASS] = ELFCLASS32;
		e->e_ident[EI_DATA] = ELFDATA2LSB;
		e->e_ident[EI_VERSION] = EV_CURRENT;
		e->e_type = ET_DYN;
		e->e_machine = EM_386;
		e->e_version = EV_CURRENT;
		e->e_phoff = sizeof(Elf32_Ehdr);
		e->e_ehsize = sizeof(Elf32_Ehdr);
		e->e_phentsize = sizeof(Elf32_Phdr);
		e->e_phnum = 1;
		Elf32_Phdr *p = (Elf32_Phdr *)(b + sizeof(Elf32_Ehdr));
		p->p_type = PT_LOAD;
		p->p_flags = PF_R | PF_X;
		p->p_filesz = p->p_memsz = ELF_SIZE;
		p->p_align = 0x1000;
		return "elf32";
	}
	case 7: {
		put_ehdr64(b, 2, 0, 0);
		put_load64(b, 0, PF_R | PF_X, 0, 0, ELF_SIZE, ELF_SIZE);
		Elf64_Phdr *p = phdr64(b, 1);
		p->p_type = PT_GNU_RELRO;
		p->p_vaddr = 0x100000;
		p->p_memsz = 0x1000;
		return "relro_out";
	}
	case 8: {
		put_ehdr64(b, 1, 0, 0);
		Elf64_Phdr *p = phdr64(b, 0);
		p->p_type = PT_NOTE;
		p->p_filesz = p->p_memsz = 16;
		return "no_load";
	}
	default:
		return NULL;
	}
}

static int write_elf_dir(const char *dir)
{
	unsigned char b[ELF_SIZE];
	size_t len;
	const char *label;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		die(dir);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		die(dir);
	for (int i = 0; memset(b, 0, sizeof(b)), (label = craft(i, b, &len)) != NULL; i++) {
		unlinkat(dfd, label, 0);
		close(make_file(dfd, label, b, len));
		printf("%s\n", label);
	}
	close(dfd);
	return 0;
}

static void map_crafted(int dirfd)
{
	unsigned char b[ELF_SIZE];
	size_t len;
	const char *label;

	for (int i = 0; memset(b, 0, sizeof(b)), (label = craft(i, b, &len)) != NULL; i++) {
		char name[64];
		snprintf(name, sizeof(name), "elf-%s", label);
		int fd = make_file(dirfd, name, b, len);
		void *p = map_fd(fd, ELF_SIZE, PROT_READ | PROT_EXEC);
		close(fd);
		char *full = join(topdir, name);
		report("elf", p, label, full);
		free(full);
	}
}

/* ------------------------------------------------------------------ odd files */

static void map_odd(int dirfd)
{
	char page[4096];
	char *full;

	/* /dev/zero, private: anonymous memory with a file name */
	int z = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	if (z < 0)
		die("/dev/zero");
	void *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, z, 0);
	if (p == MAP_FAILED)
		die("mmap /dev/zero");
	close(z);
	((volatile char *)p)[0] = 1;
	report("odd", p, "devzero", "/dev/zero");

	/* a FIFO at the path of a mapped, unlinked file */
	memset(page, 'F', sizeof(page));
	int fd = make_file(dirfd, "fifo", page, sizeof(page));
	p = map_fd(fd, sizeof(page), PROT_READ | PROT_EXEC);
	close(fd);
	if (unlinkat(dirfd, "fifo", 0) < 0 || mkfifoat(dirfd, "fifo", 0644) < 0)
		die("mkfifo");
	full = join(topdir, "fifo");
	report("odd", p, "fifo", full);
	free(full);

	/* another regular file at the path of a mapped, unlinked file */
	memset(page, 'R', sizeof(page));
	fd = make_file(dirfd, "replaced", page, sizeof(page));
	p = map_fd(fd, sizeof(page), PROT_READ | PROT_EXEC);
	close(fd);
	if (unlinkat(dirfd, "replaced", 0) < 0)
		die("unlink");
	close(make_file(dirfd, "replaced", "\177ELF", 4));
	full = join(topdir, "replaced");
	report("odd", p, "replaced", full);
	free(full);

	/* "amb\012x" mapped; "amb<newline>x" is another file */
	memset(page, 'A', sizeof(page));
	fd = make_file(dirfd, "amb\\012x", page, sizeof(page));
	p = map_fd(fd, sizeof(page), PROT_READ | PROT_EXEC);
	close(fd);
	close(make_file(dirfd, "amb\nx", "\177ELF\2\1\1", 7));
	full = join(topdir, "amb\\012x");
	report("odd", p, "shadowed", full);
	free(full);

	/* "ff\012x" mapped; "ff<newline>x" is a FIFO */
	fd = make_file(dirfd, "ff\\012x", page, sizeof(page));
	p = map_fd(fd, sizeof(page), PROT_READ | PROT_EXEC);
	close(fd);
	if (mkfifoat(dirfd, "ff\nx", 0644) < 0)
		die("mkfifo");
	full = join(topdir, "ff\\012x");
	report("odd", p, "fifoshadow", full);
	free(full);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--write-elf") == 0)
		return write_elf_dir(argv[2]);
	if (argc != 2) {
		fprintf(stderr, "usage: hostile DIR | hostile --write-elf DIR\n");
		return 2;
	}
	if (mkdir(argv[1], 0755) < 0)
		die(argv[1]);
	topdir = realpath(argv[1], NULL);
	if (!topdir)
		die("realpath");
	atexit(cleanup);
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	alarm(600);

	int dirfd = open(topdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		die(topdir);
	map_named(dirfd, "newline", "nl\nname");
	map_named(dirfd, "tab", "tab\tname");
	map_named(dirfd, "trailing", "trailing  ");
	map_named(dirfd, "backslash", "back\\slash\\\\");
	map_named(dirfd, "literal012", "lit\\012eral");
	map_named(dirfd, "nonutf8", "bad\xff\xfe\xc3.bin");
	map_named(dirfd, "deleted_lit", "exists (deleted)");
	map_named(dirfd, "bracket", "[heap]");
	map_named(dirfd, "bracket2", "[vdso] x");
	map_named(dirfd, "utf8", "caf\xc3\xa9 \xe2\x98\x83");
	map_named(dirfd, "escape", "esc\033[31mred");
	map_long(dirfd);
	map_odd(dirfd);
	map_crafted(dirfd);
	close(dirfd);
	printf("ready\n");
	fflush(stdout);

	char c;
	while (!stop) {
		ssize_t r = read(STDIN_FILENO, &c, 1);
		if (r == 0 || (r < 0 && errno != EINTR))
			break;
	}
	return 0;
}

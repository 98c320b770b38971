/* mkelf.c - write crafted ELF files and core dumps for tests/cover-elf.sh
 *
 *	mkelf KIND OUT [ARG]
 *
 * Each KIND is one file that a real toolchain or kernel would rarely or never
 * write, built here byte by byte (the ELF header, the program headers, notes,
 * sections and symbols of <elf.h>), so that the readers' handling of odd headers
 * can be tested on files that exist: program headers cut by the end of the file,
 * segments past it, overlapping PT_LOADs, no PT_LOAD, odd classes and machines,
 * notes that are cut or malformed.  "mkelf list" prints the kinds.  The core dumps
 * name files by absolute path; ARG is the directory that holds the files "exe" and
 * "lib.so" written before ("mkelf exe DIR/exe", "mkelf lib DIR/lib.so") and where
 * the core's other named files are looked for.
 *
 * The files are little-endian (the byte order of the machines the tests run on).
 * Exit 0, or 1 with a message on stderr; 2 for an unknown KIND.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXPH 64
#define MAXSH 32
#define MAXSYM 32
#define PAGE 4096u

struct ph {
	uint32_t type, flags;
	uint64_t off, va, fs, ms, al;
};

struct sh {
	const char *name;
	uint32_t type, link, info, name_off;
	uint64_t flags, addr, off, size, entsize;
	bool bad_name;		/* sh_name past the end of .shstrtab */
};

struct sym {
	const char *name;
	uint64_t value, size;
	unsigned char info;
	uint16_t shndx;
};

/* The file being built: the headers are written at the end into the space kept
 * at the start of buf. */
static struct {
	int cls;
	uint16_t type, machine, phentsize_delta;
	struct ph ph[MAXPH];
	size_t nph;
	struct sh sh[MAXSH];
	size_t nsh;
	unsigned char *buf;
	size_t len, cap;
	uint64_t phoff;		/* 0: right after the ELF header */
	long phnum;		/* -1: nph */
	uint64_t entry;
	uint64_t size;		/* 0: len; else the file is cut or extended to it */
	long shstrndx;		/* -1: the last section, .shstrtab */
	uint32_t sh0_info;	/* section 0's sh_info: the count of program headers
				 * when e_phnum is PN_XNUM */
} F;

static void die(const char *m)
{
	fprintf(stderr, "mkelf: %s: %s\n", m, strerror(errno));
	exit(1);
}

static void reserve(size_t n)
{
	if (F.len + n <= F.cap)
		return;
	size_t c = F.cap ? F.cap : 65536;
	while (c < F.len + n)
		c *= 2;
	unsigned char *b = realloc(F.buf, c);
	if (!b)
		die("realloc");
	memset(b + F.cap, 0, c - F.cap);
	F.buf = b;
	F.cap = c;
}

/* Append n bytes (p NULL: zeros) at an offset aligned to al; returns the offset. */
static uint64_t put(const void *p, size_t n, size_t al)
{
	size_t o = (F.len + al - 1) / al * al;
	reserve(o - F.len + n);
	F.len = o;
	if (p)
		memcpy(F.buf + o, p, n);
	F.len += n;
	return o;
}

static void start(int cls, uint16_t type, uint16_t machine)
{
	free(F.buf);
	memset(&F, 0, sizeof(F));
	F.cls = cls;
	F.type = type;
	F.machine = machine;
	F.phnum = -1;
	F.shstrndx = -1;
	/* the ELF header and room for the program headers */
	put(NULL, cls == 64 ? sizeof(Elf64_Ehdr) + MAXPH * sizeof(Elf64_Phdr)
			    : sizeof(Elf32_Ehdr) + MAXPH * sizeof(Elf32_Phdr), 1);
}

static struct ph *ph(uint32_t type, uint32_t flags, uint64_t off, uint64_t va, uint64_t fs,
		     uint64_t ms)
{
	struct ph *p = &F.ph[F.nph++];
	*p = (struct ph){ type, flags, off, va, fs, ms, type == PT_LOAD ? PAGE : 1 };
	return p;
}

static struct sh *sh(const char *name, uint32_t type, uint64_t flags, uint64_t addr,
		     uint64_t off, uint64_t size)
{
	struct sh *s = &F.sh[F.nsh++];
	*s = (struct sh){ .name = name, .type = type, .flags = flags, .addr = addr,
			  .off = off, .size = size };
	return s;
}

/* The symbol table sections (.symtab or .dynsym, and its string table). */
static void symtab(const char *name, const char *strname, uint32_t type,
		   const struct sym *syms, size_t n)
{
	unsigned char str[4096] = { 0 };
	size_t sl = 1;
	size_t esz = F.cls == 64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
	unsigned char tab[(MAXSYM + 1) * sizeof(Elf64_Sym)] = { 0 };

	for (size_t i = 0; i < n; i++) {
		uint32_t no = 0;
		if (syms[i].name) {
			no = (uint32_t)sl;
			memcpy(str + sl, syms[i].name, strlen(syms[i].name) + 1);
			sl += strlen(syms[i].name) + 1;
		}
		if (F.cls == 64) {
			Elf64_Sym s = { no, syms[i].info, 0, syms[i].shndx, syms[i].value,
					syms[i].size };
			memcpy(tab + (i + 1) * esz, &s, esz);
		} else {
			Elf32_Sym s = { no, (Elf32_Addr)syms[i].value, (Elf32_Word)syms[i].size,
					syms[i].info, 0, syms[i].shndx };
			memcpy(tab + (i + 1) * esz, &s, esz);
		}
	}
	uint64_t so = put(str, sl, 1);
	uint64_t to = put(tab, (n + 1) * esz, 8);
	struct sh *t = sh(name, type, 0, 0, to, (n + 1) * esz);
	t->entsize = esz;
	t->link = (uint32_t)F.nsh + 1;	/* the next section (index 0 is the null one) */
	t->info = 1;
	sh(strname, SHT_STRTAB, 0, 0, so, sl);
}

static void note(const char *name, uint32_t type, const void *desc, size_t n)
{
	uint32_t h[3] = { (uint32_t)strlen(name) + 1, (uint32_t)n, type };
	put(h, sizeof(h), 4);
	put(name, h[0], 1);
	put(desc, n, 4);
	put(NULL, 0, 4);
}

static void put_word(unsigned char *p, uint64_t x, int w)
{
	if (w == 4) {
		uint32_t y = (uint32_t)x;
		memcpy(p, &y, 4);
	} else {
		memcpy(p, &x, 8);
	}
}

/* Write the headers into buf and the file to path. */
static void finish(const char *path)
{
	uint64_t shoff = 0;
	size_t shnum = 0;
	int w = F.cls / 8;

	if (F.nsh) {
		/* .shstrtab, then the section header table at the end */
		unsigned char str[4096] = { 0 };
		size_t sl = 1;
		for (size_t i = 0; i < F.nsh; i++) {
			F.sh[i].name_off = (uint32_t)sl;
			memcpy(str + sl, F.sh[i].name, strlen(F.sh[i].name) + 1);
			sl += strlen(F.sh[i].name) + 1;
			if (F.sh[i].bad_name)
				F.sh[i].name_off = 100000;
		}
		memcpy(str + sl, ".shstrtab", 10);
		size_t shstr_name = sl;
		sl += 10;
		uint64_t so = put(str, sl, 1);
		struct sh *s = sh(".shstrtab", SHT_STRTAB, 0, 0, so, sl);
		s->name_off = (uint32_t)shstr_name;
		shnum = F.nsh + 1;
		size_t esz = F.cls == 64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
		shoff = put(NULL, shnum * esz, 8);
		if (F.cls == 64) {
			Elf64_Shdr h0 = { .sh_info = F.sh0_info };
			memcpy(F.buf + shoff, &h0, esz);
		} else {
			Elf32_Shdr h0 = { .sh_info = F.sh0_info };
			memcpy(F.buf + shoff, &h0, esz);
		}
		for (size_t i = 0; i < F.nsh; i++) {
			const struct sh *x = &F.sh[i];
			unsigned char *p = F.buf + shoff + (i + 1) * esz;
			if (F.cls == 64) {
				Elf64_Shdr h = { x->name_off, x->type, x->flags, x->addr, x->off,
						 x->size, x->link, x->info, 1, x->entsize };
				memcpy(p, &h, esz);
			} else {
				Elf32_Shdr h = { x->name_off, x->type, (Elf32_Word)x->flags,
						 (Elf32_Addr)x->addr, (Elf32_Off)x->off,
						 (Elf32_Word)x->size, x->link, x->info, 1,
						 (Elf32_Word)x->entsize };
				memcpy(p, &h, esz);
			}
		}
	}
	unsigned char *e = F.buf;
	e[EI_MAG0] = ELFMAG0, e[EI_MAG1] = ELFMAG1, e[EI_MAG2] = ELFMAG2, e[EI_MAG3] = ELFMAG3;
	e[EI_CLASS] = F.cls == 64 ? ELFCLASS64 : ELFCLASS32;
	e[EI_DATA] = ELFDATA2LSB;
	e[EI_VERSION] = EV_CURRENT;
	size_t ehsz = F.cls == 64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	size_t phsz = (F.cls == 64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr));
	/* F.phoff UINT64_MAX: e_phoff 0 */
	uint64_t phoff = F.phoff == UINT64_MAX ? 0 : F.phoff ? F.phoff : ehsz;
	uint16_t phnum = (uint16_t)(F.phnum >= 0 ? F.phnum : (long)F.nph);
	uint16_t f16[] = { F.type, F.machine };
	memcpy(e + 16, f16, 4);
	uint32_t ver = EV_CURRENT;
	memcpy(e + 20, &ver, 4);
	put_word(e + 24, F.entry, w);
	put_word(e + 24 + w, phoff, w);
	put_word(e + 24 + 2 * w, shoff, w);
	/* e_flags, e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx */
	unsigned char *q = e + 24 + 3 * w + 4;
	uint16_t rest[] = { (uint16_t)ehsz, (uint16_t)(phsz + F.phentsize_delta), phnum,
			    (uint16_t)(F.cls == 64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr)),
			    (uint16_t)shnum,
			    (uint16_t)(F.shstrndx >= 0 ? F.shstrndx : shnum ? (long)shnum - 1 : 0) };
	memcpy(q, rest, sizeof(rest));
	for (size_t i = 0; i < F.nph && phoff && phoff + (i + 1) * phsz <= F.cap; i++) {
		const struct ph *x = &F.ph[i];
		unsigned char *p = F.buf + phoff + i * phsz;
		if (phoff + (i + 1) * phsz > ehsz + MAXPH * phsz)
			break;
		if (F.cls == 64) {
			Elf64_Phdr h = { x->type, x->flags, x->off, x->va, x->va, x->fs, x->ms,
					 x->al };
			memcpy(p, &h, phsz);
		} else {
			Elf32_Phdr h = { x->type, (Elf32_Off)x->off, (Elf32_Addr)x->va,
					 (Elf32_Addr)x->va, (Elf32_Word)x->fs, (Elf32_Word)x->ms,
					 x->flags, (Elf32_Word)x->al };
			memcpy(p, &h, phsz);
		}
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (fd < 0)
		die(path);
	size_t n = F.size && F.size < F.len ? F.size : F.len;
	if (write(fd, F.buf, n) != (ssize_t)n)
		die("write");
	if (F.size > F.len && ftruncate(fd, (off_t)F.size) < 0)
		die("ftruncate");
	if (close(fd) < 0)
		die("close");
}

/* ------------------------------------------------------------ programs */

/* A static-looking ET_EXEC at 0x400000: a read-only page (the headers), text,
 * data with a bss to 0x407000, PT_GNU_STACK RW.  Sections and symbols for
 * --addr.  File size: 3 pages. */
static void exe(const char *path, int cls, uint16_t machine, uint16_t type)
{
	start(cls, type, machine);
	put(NULL, 0, PAGE);
	uint64_t base = type == ET_DYN ? 0 : 0x400000;
	F.entry = base + 0x1000;
	ph(PT_LOAD, PF_R, 0, base, PAGE, PAGE);
	ph(PT_LOAD, PF_R | PF_X, PAGE, base + PAGE, PAGE, PAGE);
	ph(PT_LOAD, PF_R | PF_W, 2 * PAGE, base + 2 * PAGE, 0x100, 0x5000);
	ph(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
	F.len = 3 * PAGE;
	reserve(0);
	memset(F.buf + PAGE, 0xc3, PAGE);	/* ret */
	uint64_t t = base + PAGE;
	sh(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, t, PAGE, 0x800);
	sh(".text.hot", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, t, PAGE, 0x40);
	sh(".text.outer", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, t, PAGE, 0x1000);
	sh(".empty", SHT_PROGBITS, SHF_ALLOC, t + 0x800, PAGE + 0x800, 0);
	sh(".noname", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, t + 0x800, PAGE + 0x800,
	   0x800)->bad_name = true;
	sh(".tdata", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE | SHF_TLS, base + 2 * PAGE,
	   2 * PAGE, 0x10);
	sh(".tbss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE | SHF_TLS, base + 2 * PAGE + 0x10,
	   2 * PAGE + 0x10, 0x10);
	sh(".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, base + 2 * PAGE, 2 * PAGE, 0x100);
	sh(".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, base + 2 * PAGE + 0x100,
	   2 * PAGE + 0x100, 0x4f00);
	sh(".end", SHT_PROGBITS, SHF_ALLOC, base + 7 * PAGE, 3 * PAGE, 0);
	sh(".comment", SHT_PROGBITS, 0, 0, 0, 0x10);
	uint16_t text = 1, data = 8;
	const struct sym syms[] = {
		/* at text+0: a local and a global of the same size: the global */
		{ "local_first", t, 0x10, ELF64_ST_INFO(STB_LOCAL, STT_FUNC), text },
		{ "global_first", t, 0x10, ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), text },
		/* at text+0x100: a label of size 0, then one that holds the address */
		{ "label", t + 0x100, 0, ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE), text },
		{ "holder", t + 0x100, 0x20, ELF64_ST_INFO(STB_LOCAL, STT_FUNC), text },
		{ "label2", t + 0x100, 0, ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE), text },
		/* what is never chosen */
		{ "section", t + 0x200, 0, ELF64_ST_INFO(STB_LOCAL, STT_SECTION), text },
		{ "undefined", t + 0x200, 0, ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), SHN_UNDEF },
		{ "absolute", t + 0x200, 0, ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT), SHN_ABS },
		{ NULL, t + 0x300, 0x10, ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), text },
		{ "ifunc", t + 0x400, 0x10, ELF64_ST_INFO(STB_GLOBAL, STT_GNU_IFUNC), text },
		{ "data_object", base + 2 * PAGE, 0x100, ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT),
		  data },
	};
	symtab(".symtab", ".strtab", SHT_SYMTAB, syms, sizeof(syms) / sizeof(syms[0]));
	/* a symbol table of entry size 0: not looked at; one past the end of the file;
	 * the same symbols as .symtab with an entry size too small (more entries
	 * than the table holds) */
	sh(".symtab0", SHT_SYMTAB, 0, 0, 0, 0x18);
	struct sh *x = sh(".symtab.past", SHT_SYMTAB, 0, 0, 0x100000, 0x18);
	x->entsize = 0x18;
	x->link = 1;
	const struct sh *st = &F.sh[F.nsh - 4];	/* .symtab */
	x = sh(".symtab.small", SHT_SYMTAB, 0, 0, st->off, st->size);
	x->entsize = 8;
	x->link = st->link;
	finish(path);
}

/* A shared object with only a .dynsym: the symbols are found there. */
static void lib(const char *path)
{
	start(64, ET_DYN, EM_X86_64);
	ph(PT_LOAD, PF_R | PF_X, 0, 0, 2 * PAGE, 2 * PAGE);
	ph(PT_LOAD, PF_R | PF_W, 2 * PAGE, 2 * PAGE, 0x100, 0x100);
	ph(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
	F.len = 3 * PAGE;
	reserve(0);
	sh(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, PAGE, PAGE, PAGE);
	const struct sym syms[] = {
		{ "lib_func", PAGE + 0x20, 0x20, ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), 1 },
	};
	symtab(".dynsym", ".dynstr", SHT_DYNSYM, syms, 1);
	finish(path);
}

/* Odd programs for the ELF-file source; a PT_LOAD list per kind. */
static int program(const char *kind, const char *path)
{
	if (strcmp(kind, "relro-mid") == 0) {
		/* the RELRO inside a segment, not at its start: the read-only part
		 * splits the segment's mapping in three */
		start(64, ET_DYN, EM_X86_64);
		ph(PT_LOAD, PF_R | PF_X, 0, 0, PAGE, PAGE);
		ph(PT_LOAD, PF_R | PF_W, PAGE, PAGE, 4 * PAGE, 4 * PAGE);
		ph(PT_GNU_RELRO, PF_R, 2 * PAGE, 2 * PAGE, PAGE, PAGE);
		ph(PT_GNU_RELRO, PF_R, 2 * PAGE, 2 * PAGE, PAGE, PAGE);
		ph(PT_TLS, PF_R, PAGE, PAGE, 0x10, 0x20);
		ph(PT_GNU_STACK, PF_R | PF_W | PF_X, 0, 0, 0, 0);
		F.len = 5 * PAGE;
	} else if (strcmp(kind, "relro-all") == 0) {
		/* the RELRO covers the whole file part of the segment, and a bss
		 * page follows: the mappings of the segment are replaced whole */
		start(64, ET_DYN, EM_X86_64);
		ph(PT_LOAD, PF_R | PF_W, 0, 0, 2 * PAGE, 3 * PAGE);
		ph(PT_GNU_RELRO, PF_R, 0, 0, 2 * PAGE, 2 * PAGE);
		F.len = 2 * PAGE;
	} else if (strcmp(kind, "samepage") == 0) {
		/* two segments in the same page (no padding between them, as
		 * -z noseparate-code writes): the later one's mapping replaces the end
		 * of the earlier one's; then a segment with no file bytes */
		start(64, ET_EXEC, EM_X86_64);
		ph(PT_LOAD, PF_R | PF_X, 0, 0x400000, 0x1800, 0x1800);
		ph(PT_LOAD, PF_R | PF_W, 0x1800, 0x401800, 0x100, 0x100);
		ph(PT_LOAD, PF_R | PF_W, 0, 0x500000, 0, 0x1000);
		ph(PT_INTERP, PF_R, 0x1800, 0, 1, 1);	/* too short: left out */
		F.len = 0x1900;
	} else if (strcmp(kind, "interp") == 0) {
		/* PT_INTERP; others past the end of the file, across it, too long */
		start(64, ET_DYN, EM_X86_64);
		ph(PT_LOAD, PF_R | PF_X, 0, 0x10000, PAGE, PAGE);
		ph(PT_INTERP, PF_R, 0x800, 0, 20, 20);
		ph(PT_INTERP, PF_R, 0x100000, 0, 20, 20);
		ph(PT_INTERP, PF_R, PAGE - 5, 0, 20, 20);
		ph(PT_INTERP, PF_R, 0, 0, 5000, 5000);
		F.len = PAGE;
		reserve(0);
		memcpy(F.buf + 0x800, "/lib/ld-crafted.so", 19);
	} else if (strcmp(kind, "bigbss") == 0) {
		/* p_memsz to the very top of the 64-bit space: rounded up to a page,
		 * the end of the bss would wrap to 0 */
		start(64, ET_EXEC, EM_X86_64);
		ph(PT_LOAD, PF_R | PF_X, 0, 0x400000, PAGE, PAGE);
		ph(PT_LOAD, PF_R | PF_W, PAGE, UINT64_C(0xffffffffffffe000), PAGE, 0x1fff);
		F.len = 2 * PAGE;
	} else if (strcmp(kind, "empty-load") == 0) {
		/* one PT_LOAD of no bytes: nothing to map */
		start(64, ET_EXEC, EM_X86_64);
		ph(PT_LOAD, PF_R, 0, 0x400000, 0, 0);
		F.len = PAGE;
	} else if (strcmp(kind, "relro-below") == 0 || strcmp(kind, "relro-wrap") == 0) {
		/* a PT_GNU_RELRO below every PT_LOAD, or one whose end wraps */
		start(64, ET_EXEC, EM_X86_64);
		ph(PT_LOAD, PF_R, 0, 0x400000, PAGE, PAGE);
		if (kind[6] == 'b')
			ph(PT_GNU_RELRO, PF_R, 0, 0x1000, 0x10, 0x10);
		else
			ph(PT_GNU_RELRO, PF_R, 0, 0x400000, 0x10, UINT64_MAX - 0x1000);
		F.len = PAGE;
	} else if (strcmp(kind, "ehdr-short") == 0) {
		/* the ELF identification, and the file ends inside the ELF header */
		start(64, ET_EXEC, EM_X86_64);
		finish(path);
		int fd = open(path, O_WRONLY);
		if (fd < 0 || ftruncate(fd, 24) < 0 || close(fd) < 0)
			die(path);
		return 0;
	} else if (strcmp(kind, "rel") == 0) {
		start(64, ET_REL, EM_X86_64);
		ph(PT_LOAD, PF_R, 0, 0, PAGE, PAGE);
		F.len = PAGE;
	} else if (strcmp(kind, "core-as-elf") == 0) {
		/* a core whose only PT_LOAD is dropped: elfinfo fails with the type
		 * known */
		start(64, ET_CORE, EM_X86_64);
		ph(PT_LOAD, PF_R, 0, 0x1000, 0x2000, 0x1000);
		F.len = PAGE;
	} else if (strcmp(kind, "m32-amd64") == 0) {
		/* ELFCLASS32 for x86-64: x32 */
		exe(path, 32, EM_X86_64, ET_EXEC);
		return 0;
	} else if (strcmp(kind, "m32") == 0) {
		exe(path, 32, EM_386, ET_EXEC);
		return 0;
	} else if (strncmp(kind, "machine-", 8) == 0) {
		exe(path, 64, (uint16_t)strtoul(kind + 8, NULL, 0), ET_EXEC);
		return 0;
	} else if (strcmp(kind, "warnings") == 0) {
		/* many problems, each a warning: the first is kept, "(+N more)" */
		start(64, ET_EXEC, EM_X86_64);
		ph(PT_LOAD, PF_R, 0, 0x400000, PAGE, PAGE)->al = 3;
		ph(PT_LOAD, PF_R, 0, 0x300000, PAGE, PAGE);
		ph(PT_LOAD, PF_R, 0, 0x400800, PAGE, PAGE);
		ph(PT_LOAD, PF_R, 0x10, 0x500000, PAGE, PAGE)->al = PAGE;
		ph(PT_LOAD, PF_R, 0, 0x600000, 2 * PAGE, PAGE);
		ph(PT_LOAD, PF_R, 0, 0x700000, PAGE, UINT64_C(1) << 50);
		ph(PT_LOAD, PF_R, 0, UINT64_C(0xfffffffffffff000), PAGE, 2 * PAGE);
		ph(PT_LOAD, PF_R, UINT64_MAX - 10, UINT64_C(0x8000000000000), PAGE, PAGE);
		ph(PT_LOAD, PF_R, 4 * PAGE, UINT64_C(0x9000000000000), PAGE, PAGE);
		ph(PT_GNU_RELRO, PF_R, 0, UINT64_C(0x9000000000000), 2 * PAGE, 2 * PAGE);
		F.len = PAGE;
	} else if (strcmp(kind, "xnum") == 0 || strcmp(kind, "xnum-nosh") == 0) {
		/* e_phnum PN_XNUM: the count in section 0's sh_info, or no section 0 */
		start(64, ET_EXEC, EM_X86_64);
		ph(PT_LOAD, PF_R | PF_X, 0, 0x400000, PAGE, PAGE);
		F.phnum = PN_XNUM;
		F.sh0_info = 1;
		F.len = PAGE;
		reserve(0);
		if (kind[4] != '-')
			sh(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, 0x400000, 0, PAGE);
	} else if (strcmp(kind, "offsets") == 0) {
		/* the file bytes of the segments overlap, and none starts at offset 0:
		 * [0x1000, 0x3000) r-x and [0x1800, 0x1900) rw- */
		start(64, ET_DYN, EM_X86_64);
		ph(PT_LOAD, PF_R | PF_X, 0x1000, 0x1000, 0x2000, 0x2000);
		ph(PT_LOAD, PF_R | PF_W, 0x1800, 0x4800, 0x100, 0x100);
		F.len = 0x3000;
	} else if (strcmp(kind, "phoff0") == 0) {
		/* e_phnum 1 and e_phoff 0 */
		start(64, ET_EXEC, EM_X86_64);
		ph(PT_LOAD, PF_R, 0, 0x400000, 0x100, 0x100);
		F.phoff = UINT64_MAX;
		F.len = PAGE;
	} else if (strcmp(kind, "xindex") == 0) {
		/* e_shstrndx SHN_XINDEX and no section header to hold the index */
		start(64, ET_EXEC, EM_X86_64);
		ph(PT_LOAD, PF_R | PF_X, 0, 0x400000, PAGE, PAGE);
		F.shstrndx = SHN_XINDEX;
		F.len = PAGE;
	} else if (strcmp(kind, "nophdr") == 0) {
		start(64, ET_EXEC, EM_X86_64);
		F.phnum = 0;
		F.len = PAGE;
	} else if (strcmp(kind, "noload") == 0) {
		start(64, ET_EXEC, EM_X86_64);
		ph(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
		F.len = PAGE;
	} else if (strcmp(kind, "phdr-cut") == 0) {
		/* the program header table ends past the end of the file */
		start(64, ET_EXEC, EM_X86_64);
		ph(PT_LOAD, PF_R, 0, 0x400000, 0x100, 0x100);
		F.phoff = 0x100;
		F.phnum = 20;
		F.size = 0x180;
	} else if (strcmp(kind, "phentsize") == 0) {
		start(64, ET_EXEC, EM_X86_64);
		ph(PT_LOAD, PF_R, 0, 0x400000, 0x100, 0x100);
		F.phentsize_delta = 8;
		F.len = PAGE;
	} else {
		return 2;
	}
	reserve(0);
	if (F.len > F.cap)
		F.len = F.cap;
	finish(path);
	return 0;
}

/* ------------------------------------------------------------ cores */

static struct {
	unsigned char *d;
	size_t n;
} notes;

static void note_add(const char *name, uint32_t type, const void *desc, size_t n)
{
	size_t save = F.len;
	/* build the note at the end of the file, then take it out */
	uint64_t o = F.len;
	note(name, type, desc, n);
	unsigned char *d = realloc(notes.d, notes.n + (F.len - o));
	if (!d)
		die("realloc");
	memcpy(d + notes.n, F.buf + o, F.len - o);
	notes.d = d;
	notes.n += F.len - o;
	F.len = save;
}

static void nt_file(int w, size_t count, uint64_t ps, const uint64_t *e, const char *const *names,
		    size_t nnames)
{
	unsigned char d[8192] = { 0 };
	size_t n = 0;
	put_word(d, count, w);
	put_word(d + w, ps, w);
	n = 2 * (size_t)w;
	for (size_t i = 0; i < 3 * count && i < 3 * 64; i++, n += (size_t)w)
		put_word(d + n, e[i], w);
	for (size_t i = 0; i < nnames; i++) {
		memcpy(d + n, names[i], strlen(names[i]) + 1);
		n += strlen(names[i]) + 1;
	}
	note_add("CORE", NT_FILE, d, n);
}

static void prstatus(int cls, uint16_t machine, int32_t tid, uint64_t sp, int16_t sig)
{
	unsigned char d[336] = { 0 };
	size_t n = cls == 64 ? 336 : 144;
	memcpy(d + 12, &sig, 2);
	if (cls == 64 && machine != EM_386) {
		memcpy(d + 32, &tid, 4);
		memcpy(d + 112 + 19 * 8, &sp, 8);
	} else {
		uint32_t s = (uint32_t)sp;
		memcpy(d + 24, &tid, 4);
		memcpy(d + 72 + 15 * 4, &s, 4);
	}
	note_add("CORE", NT_PRSTATUS, d, n);
}

static void prpsinfo(int cls, int32_t pid, const char *fname, const char *args)
{
	unsigned char d[136] = { 0 };
	d[1] = 'S';
	uint32_t uid = 1000;
	int32_t ppid = 1;
	if (cls == 64) {
		memcpy(d + 16, &uid, 4);
		memcpy(d + 24, &pid, 4);
		memcpy(d + 28, &ppid, 4);
		strncpy((char *)d + 40, fname, 16);
		strncpy((char *)d + 56, args, 80);
	} else {
		uint16_t u = 1000;
		memcpy(d + 8, &u, 2);
		memcpy(d + 12, &pid, 4);
		memcpy(d + 16, &ppid, 4);
		strncpy((char *)d + 28, fname, 16);
		strncpy((char *)d + 44, args, 80);
	}
	note_add("CORE", NT_PRPSINFO, d, cls == 64 ? 136 : 124);
}

static void auxv(int w, const uint64_t *kv, size_t n)
{
	unsigned char d[512] = { 0 };
	for (size_t i = 0; i < n; i++)
		put_word(d + i * (size_t)w, kv[i], w);
	note_add("CORE", NT_AUXV, d, n * (size_t)w);
}

/* The memory of a core: a PT_LOAD, dumped (bytes from src, or a pattern) or not. */
struct seg {
	uint64_t start, end;
	uint32_t flags;
	bool dumped;
	const unsigned char *src;
	size_t src_len;
};

/* Lay out the core: notes first, then the dumped segments. */
static void core_write(const char *path, const struct seg *s, size_t n, bool notes_first)
{
	uint64_t no = 0;
	if (notes_first) {
		no = put(notes.d, notes.n, 4);
		ph(PT_NOTE, 0, no, 0, notes.n, 0)->al = 4;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t sz = s[i].end - s[i].start;
		uint64_t off = 0;
		if (s[i].dumped) {
			off = put(NULL, (size_t)sz, PAGE);
			memset(F.buf + off, 0x5a, (size_t)sz);
			if (s[i].src)
				memcpy(F.buf + off, s[i].src,
				       s[i].src_len < sz ? s[i].src_len : (size_t)sz);
		} else {
			off = F.len;
		}
		ph(PT_LOAD, s[i].flags, off, s[i].start, s[i].dumped ? sz : 0, sz);
	}
	free(notes.d);
	notes.d = NULL;
	notes.n = 0;
	finish(path);
}

static unsigned char *slurp(const char *path, size_t *n)
{
	static unsigned char b[3][PAGE];
	static int k;
	unsigned char *p = b[k++ % 3];
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	ssize_t r = read(fd, p, PAGE);
	if (r < 0)
		die(path);
	close(fd);
	*n = (size_t)r;
	return p;
}

/* The full core of a made-up process running DIR/exe (x86-64): every kind of
 * mapping a core can tell, and the notes. */
static void core_full(const char *path, const char *dir, int cls, uint16_t machine)
{
	char exe_p[4096], lib_p[4096], small_p[4096], diff_p[4096], short_p[4096],
		del_p[4096], gone_p[4096], off_p[4096];
	int w = cls / 8;
	bool x64 = cls == 64;
	snprintf(exe_p, sizeof(exe_p), "%s/exe", dir);
	snprintf(lib_p, sizeof(lib_p), "%s/lib.so", dir);
	snprintf(small_p, sizeof(small_p), "%s/small", dir);	/* 100 bytes */
	snprintf(diff_p, sizeof(diff_p), "%s/differs", dir);	/* another first page */
	snprintf(short_p, sizeof(short_p), "%s/short", dir);	/* mapped past its end */
	snprintf(del_p, sizeof(del_p), "%s/deleted (deleted)", dir);
	snprintf(gone_p, sizeof(gone_p), "%s/not-there", dir);
	snprintf(off_p, sizeof(off_p), "%s/offsets", dir);	/* mkelf offsets */
	size_t exe_n, lib_n, small_n;
	const unsigned char *exe_b = slurp(exe_p, &exe_n), *lib_b = slurp(lib_p, &lib_n),
			    *small_b = slurp(small_p, &small_n);

	start(cls, ET_CORE, machine);
	uint64_t lib_at = x64 ? UINT64_C(0x7f0000000000) : 0xf7000000;
	uint64_t vdso = x64 ? UINT64_C(0x7ffff7fc8000) : 0xf7fc8000;
	uint64_t stack_lo = x64 ? UINT64_C(0x7ffffffde000) : 0xfffdd000;
	uint64_t stack_hi = x64 ? UINT64_C(0x7ffffffff000) : 0xffffe000;
	uint64_t execfn = stack_hi - 0x100, sp = stack_hi - 0x800;
	const struct seg segs[] = {
		{ 0x400000, 0x401000, PF_R, true, exe_b, exe_n },
		{ 0x401000, 0x402000, PF_R | PF_X, false, NULL, 0 },
		/* 0x402000: only in NT_FILE (gcore leaves out what it does not dump) */
		/* the bss, a page of it unmapped (the ELF's bss ends at 0x407000) */
		{ 0x403000, 0x404000, PF_R | PF_W, true, NULL, 0 },
		{ 0x405000, 0x407000, PF_R | PF_W, true, NULL, 0 },
		{ 0x800000, 0x821000, PF_R | PF_W, true, NULL, 0 },	/* heap */
		/* two PT_LOADs at one address (the second wins), one overlapping */
		{ 0x900000, 0x901000, PF_R, false, NULL, 0 },
		{ 0x900000, 0x902000, PF_R | PF_W, true, NULL, 0 },
		{ 0x901000, 0x903000, PF_R, true, NULL, 0 },
		{ lib_at, lib_at + 0x2000, PF_R | PF_X, true, lib_b, lib_n },
		/* undumped, then dumped: the dumped one is compared with the file */
		{ lib_at + 0x10000, lib_at + 0x11000, PF_R, false, NULL, 0 },
		{ lib_at + 0x10000, lib_at + 0x11000, PF_R, true, small_b, small_n },
		{ lib_at + 0x20000, lib_at + 0x21000, PF_R, true, NULL, 0 },	/* differs */
		{ lib_at + 0x30000, lib_at + 0x31000, PF_R, false, NULL, 0 },	/* short */
		{ lib_at + 0x40000, lib_at + 0x41000, PF_R | PF_W, true, NULL, 0 },	/* deleted */
		{ lib_at + 0x50000, lib_at + 0x51000, PF_R, false, NULL, 0 },	/* not there */
		{ lib_at + 0x90000, lib_at + 0x91000, PF_R, true, NULL, 0 },	/* anon_inode */
		{ lib_at + 0x200000, lib_at + 0x400000, PF_R | PF_W, false, NULL, 0 },	/* hugetlb */
		/* [vvar], [vvar_vclock] (6.x kernels), [vdso] */
		{ vdso - 0x8000, vdso - 0x4000, PF_R, false, NULL, 0 },
		{ vdso - 0x4000, vdso, PF_R, false, NULL, 0 },
		{ vdso, vdso + 0x2000, PF_R | PF_X, true, NULL, 0 },
		{ stack_lo, stack_hi, PF_R | PF_W, true, NULL, 0 },
		{ UINT64_C(0xffffffffff600000), UINT64_C(0xffffffffff601000), PF_X, false, NULL, 0 },
	};
	size_t nseg = sizeof(segs) / sizeof(segs[0]) - (x64 ? 0 : 1);
	uint64_t e[] = {
		0x400000, 0x401000, 0,
		0x401000, 0x402000, 1,
		0x402000, 0x403000, 2,
		0x402000, 0x403000, 2,	/* twice */
		lib_at, lib_at + 0x2000, 0,
		lib_at + 0x10000, lib_at + 0x11000, 0,
		lib_at + 0x20000, lib_at + 0x21000, 0,
		lib_at + 0x30000, lib_at + 0x31000, 4,
		lib_at + 0x40000, lib_at + 0x41000, 0,
		lib_at + 0x50000, lib_at + 0x51000, 0,
		lib_at + 0x200000, lib_at + 0x400000, 0,
		lib_at + 0x60000, lib_at + 0x61000, 0,
		/* only in NT_FILE: the permissions of the segment at the offset */
		lib_at + 0x70000, lib_at + 0x71000, 0,
		lib_at + 0x71000, lib_at + 0x72000, 2,
		lib_at + 0x90000, lib_at + 0x91000, 0,
		lib_at + 0xa0000, lib_at + 0xa1000, 0,
	};
	const char *names[] = { exe_p, exe_p, exe_p, exe_p, lib_p, small_p, diff_p, short_p,
				del_p, gone_p, "/anon_hugepage (deleted)",
				"/tmp/not (deleted) at the end", off_p, off_p,
				"anon_inode:[crafted]", "/tmp/gone (deleted)" };
	note_add("LINUX", 0x202, "xyz", 3);	/* not a CORE note */
	note_add("GNUX", NT_PRSTATUS, "xyz", 3);	/* as long as "CORE" */
	note_add("CORE", 0x4242, "xyz", 3);	/* a CORE note of no interest */
	prstatus(cls, machine, 4242, sp, 11);
	prstatus(cls, machine, 4243, lib_at + 0x40100, 0);
	prstatus(cls, machine, 4244, 0, 0);
	prpsinfo(cls, 4242, "crafted", "crafted  -x --long-option   last");
	nt_file(w, 16, PAGE, e, names, 16);
	uint64_t av[] = { AT_PHDR, 0x400040, AT_ENTRY, 0x401000, AT_BASE, lib_at,
			  AT_SYSINFO_EHDR, vdso, AT_EXECFN, execfn, AT_PAGESZ, PAGE,
			  AT_UID, 1000, AT_NULL, 0, AT_ENTRY, 0 };
	auxv(w, av, sizeof(av) / sizeof(av[0]));
	/* last, a note whose name would pass the end of the notes: the reading stops */
	uint32_t bad[3] = { 0x1000, 0, NT_PRSTATUS };
	unsigned char *nd = realloc(notes.d, notes.n + sizeof(bad));
	if (!nd)
		die("realloc");
	memcpy(nd + notes.n, bad, sizeof(bad));
	notes.d = nd;
	notes.n += sizeof(bad);
	core_write(path, segs, nseg, true);
}

/* Cores with [vdso] (AT_SYSINFO_EHDR) and below it: 1, one read-only anonymous
 * VMA, the first of the core; 2, a file mapping; 3, read-write memory, then a
 * read-only page. */
static void core_vdso(const char *path, const char *dir, int variant)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s/small", dir);
	start(64, ET_CORE, EM_X86_64);
	const struct seg segs[] = {
		{ 0x10000, 0x11000, variant == 3 ? PF_R | PF_W : PF_R, false, NULL, 0 },
		{ 0x11000, 0x12000, PF_R, false, NULL, 0 },
		{ 0x12000, 0x14000, PF_R | PF_X, true, NULL, 0 },
	};
	uint64_t e[] = { 0x11000, 0x12000, 0 };
	const char *names[] = { p };
	if (variant == 2)
		nt_file(8, 1, PAGE, e, names, 1);
	uint64_t av[] = { AT_SYSINFO_EHDR, 0x12000, AT_NULL, 0 };
	auxv(8, av, sizeof(av) / sizeof(av[0]));
	core_write(path, segs + (variant == 1), 3 - (variant == 1), true);
}

/* A core whose executable (AT_PHDR's mapping, offset 0) is DIR/exe mapped at
 * 0x300000, below its p_vaddr 0x400000, or DIR/small, not ELF: no end of the bss
 * from the ELF headers.  The page after it is its bss; then read-write memory
 * 1 MiB above (the heap), or 2 GiB above (too far for the heap). */
static void core_exe(const char *path, const char *dir, bool notelf, bool far)
{
	char p[4096];
	size_t n;
	snprintf(p, sizeof(p), "%s/%s", dir, notelf ? "small" : "exe");
	const unsigned char *b = slurp(p, &n);
	start(64, ET_CORE, EM_X86_64);
	uint64_t h = far ? UINT64_C(0x80300000) : 0x400000;
	const struct seg segs[] = {
		{ 0x300000, 0x301000, PF_R, true, b, n },
		{ 0x301000, 0x302000, PF_R | PF_W, true, NULL, 0 },
		/* below its p_vaddr: read-only memory above, not the heap */
		{ h, h + 0x1000, notelf || far ? PF_R | PF_W : PF_R, true, NULL, 0 },
	};
	uint64_t e[] = { 0x300000, 0x301000, 0 };
	const char *names[] = { p };
	nt_file(8, 1, PAGE, e, names, 1);
	uint64_t av[] = { AT_PHDR, 0x300040, AT_PAGESZ, PAGE, AT_NULL, 0 };
	auxv(8, av, sizeof(av) / sizeof(av[0]));
	core_write(path, segs, 3, true);
}

/* A minimal core: one anonymous PT_LOAD; notes as given; then the tweaks. */
static void core_min(int cls, uint16_t machine)
{
	start(cls, ET_CORE, machine);
}

static int core(const char *kind, const char *path, const char *dir)
{
	static const struct seg one[] = { { 0x10000, 0x11000, PF_R | PF_W, true, NULL, 0 } };
	int w = 8;

	if (strcmp(kind, "core") == 0) {
		core_full(path, dir, 64, EM_X86_64);
		return 0;
	}
	if (strcmp(kind, "core-i386") == 0) {
		core_full(path, dir, 32, EM_386);
		return 0;
	}
	if (strcmp(kind, "core-x32") == 0) {
		core_full(path, dir, 32, EM_X86_64);
		return 0;
	}
	if (strcmp(kind, "core-arm") == 0) {
		core_full(path, dir, 32, EM_ARM);
		return 0;
	}
	if (strncmp(kind, "core-vdso-", 10) == 0) {
		core_vdso(path, dir, atoi(kind + 10));
		return 0;
	}
	if (strncmp(kind, "core-exe-", 9) == 0) {
		core_exe(path, dir, strcmp(kind + 9, "notelf") == 0, strcmp(kind + 9, "far") == 0);
		return 0;
	}
	if (strcmp(kind, "core-aarch64") == 0) {
		core_full(path, dir, 64, EM_AARCH64);
		return 0;
	}
	if (strcmp(kind, "core-nophdr") == 0) {
		core_min(64, EM_X86_64);
		F.len = PAGE;
		finish(path);
		return 0;
	}
	if (strcmp(kind, "core-phdr-cut") == 0) {
		/* the table said to be at 0x800, the file cut at 0x820 */
		core_min(64, EM_X86_64);
		ph(PT_LOAD, PF_R, 0x1000, 0x10000, 0x1000, 0x1000);
		F.phoff = 0x800;
		F.size = 0x820;
		finish(path);
		return 0;
	}
	if (strcmp(kind, "core-xnum") == 0 || strcmp(kind, "core-xnum-nosh") == 0) {
		/* e_phnum PN_XNUM: the count in section 0's sh_info, or no section 0 */
		core_min(64, EM_X86_64);
		prstatus(64, EM_X86_64, 1, 0x10800, 0);
		core_write(path, one, 1, true);
		F.phnum = PN_XNUM;
		F.sh0_info = (uint32_t)F.nph;
		if (kind[9] != '-')
			sh(".note", SHT_NOTE, 0, 0, F.ph[0].off, F.ph[0].fs);
		finish(path);
		return 0;
	}
	if (strcmp(kind, "core-noload") == 0) {
		core_min(64, EM_X86_64);
		prstatus(64, EM_X86_64, 1, 0, 0);
		ph(PT_LOAD, PF_R, 0, 0x10000, 0, 0);	/* no memory */
		core_write(path, NULL, 0, true);
		return 0;
	}
	if (strcmp(kind, "core-load-cut") == 0 || strcmp(kind, "core-load-past") == 0) {
		core_min(64, EM_X86_64);
		core_write(path, one, 1, false);
		if (kind[10] == 'c')
			F.size = F.ph[0].off + 0x800;	/* inside the segment */
		else
			F.ph[0].off = F.len + 0x10000;	/* past the end */
		finish(path);
		return 0;
	}
	if (strcmp(kind, "core-wrap") == 0) {
		/* a PT_LOAD whose end wraps: left out; the other is read */
		core_min(64, EM_X86_64);
		ph(PT_LOAD, PF_R, 0, UINT64_C(0xfffffffffffff000), 0, 0x2000);
		core_write(path, one, 1, false);
		return 0;
	}
	if (strcmp(kind, "core-notes-past") == 0 || strcmp(kind, "core-notes-huge") == 0 ||
	    strcmp(kind, "core-notes-empty") == 0) {
		core_min(64, EM_X86_64);
		prstatus(64, EM_X86_64, 1, 0x10800, 0);
		core_write(path, one, 1, true);
		if (strcmp(kind, "core-notes-past") == 0) {
			F.ph[0].fs = F.len;	/* from its offset, past the end */
		} else if (strcmp(kind, "core-notes-huge") == 0) {
			/* 65 MiB of notes (a sparse file): more than is read */
			F.ph[0].fs = UINT64_C(65) << 20;
			F.size = F.ph[0].off + F.ph[0].fs;
		} else {
			F.ph[0].fs = 0;
		}
		finish(path);
		return 0;
	}
	if (strncmp(kind, "core-ntfile-", 12) == 0 || strcmp(kind, "core-short-notes") == 0 ||
	    strcmp(kind, "core-noaux") == 0) {
		const char *k = kind + 12;
		uint64_t e[] = { 0x10000, 0x11000, 0 };
		const char *nm[] = { "/nowhere" };
		core_min(64, EM_X86_64);
		if (strcmp(kind, "core-short-notes") == 0) {
			/* notes too short to be read: left out */
			note_add("CORE", NT_PRSTATUS, "short", 5);
			note_add("CORE", NT_PRPSINFO, "short", 5);
			note_add("CORE", NT_AUXV, "", 0);
		} else if (strcmp(kind, "core-noaux") == 0) {
			/* no NT_AUXV, NT_FILE of count 0 */
			nt_file(w, 0, PAGE, e, nm, 0);
		} else if (strcmp(k, "short") == 0) {
			note_add("CORE", NT_FILE, "1234", 4);
		} else if (strcmp(k, "count") == 0) {
			nt_file(w, 1000, PAGE, e, nm, 1);
		} else if (strcmp(k, "huge") == 0) {
			nt_file(w, 2000000, PAGE, e, nm, 1);
		} else if (strcmp(k, "nonul") == 0) {
			unsigned char d[48];
			put_word(d, 1, 8);
			put_word(d + 8, PAGE, 8);
			put_word(d + 16, 0x10000, 8);
			put_word(d + 24, 0x11000, 8);
			put_word(d + 32, 0, 8);
			memcpy(d + 40, "/nowhere", 8);	/* no NUL */
			note_add("CORE", NT_FILE, d, 48);
		} else if (strcmp(k, "empty") == 0) {
			e[1] = e[0];
			nt_file(w, 1, PAGE, e, nm, 1);
		} else if (strcmp(k, "pgoff") == 0) {
			e[2] = UINT64_MAX / 2;
			nt_file(w, 1, PAGE, e, nm, 1);
		} else if (strcmp(k, "ps0") == 0) {
			/* page size 0: the offsets taken as bytes */
			e[2] = 0x1000;
			nt_file(w, 1, 0, e, nm, 1);
		} else {
			return 2;
		}
		core_write(path, one, 1, true);
		return 0;
	}
	return 2;
}

static const char *const kinds[] = {
	"exe", "exe-dyn", "lib", "offsets", "phoff0", "relro-mid", "relro-all", "samepage", "interp",
	"bigbss", "rel", "empty-load", "relro-below", "relro-wrap", "ehdr-short",
	"core-as-elf", "m32-amd64", "m32", "machine-N", "warnings", "nophdr", "noload",
	"phdr-cut", "phentsize", "core", "core-i386", "core-x32",
	"core-aarch64", "core-arm", "core-exe-low", "core-exe-notelf", "core-exe-far", "core-vdso-1", "core-vdso-2", "core-vdso-3", "core-nophdr", "core-phdr-cut", "core-noload", "core-xnum",
	"core-xnum-nosh", "xnum", "xnum-nosh", "xindex", "core-load-cut", "core-load-past",
	"core-wrap", "core-notes-past", "core-notes-huge", "core-notes-empty",
	"core-short-notes", "core-noaux", "core-ntfile-short", "core-ntfile-count",
	"core-ntfile-huge", "core-ntfile-nonul", "core-ntfile-empty",
	"core-ntfile-pgoff", "core-ntfile-ps0",
};

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "list") == 0) {
		for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			puts(kinds[i]);
		return 0;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: mkelf KIND OUT [DIR] | mkelf list\n");
		return 2;
	}
	const char *kind = argv[1], *out = argv[2], *dir = argc > 3 ? argv[3] : ".";
	int rc;
	if (strcmp(kind, "exe") == 0) {
		exe(out, 64, EM_X86_64, ET_EXEC);
		rc = 0;
	} else if (strcmp(kind, "exe-dyn") == 0) {
		exe(out, 64, EM_X86_64, ET_DYN);
		rc = 0;
	} else if (strcmp(kind, "lib") == 0) {
		lib(out);
		rc = 0;
	} else if (strncmp(kind, "core", 4) == 0 && strcmp(kind, "core-as-elf") != 0) {
		rc = core(kind, out, dir);
	} else {
		rc = program(kind, out);
	}
	if (rc == 2)
		fprintf(stderr, "mkelf: unknown kind '%s'\n", kind);
	free(F.buf);
	return rc;
}

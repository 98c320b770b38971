/* elfinfo.c - the ELF header and program headers of a mapped file (libelf)
 *
 * Everything is read through libelf (gelf.h).  The file is opened with ELF_C_READ
 * rather than ELF_C_READ_MMAP: libelf then pread()s the ELF header and the program
 * headers into its own memory, where a mapping of the file would raise SIGBUS if
 * the owner of the file (the process being examined) truncated it while it is
 * read.  Only the headers are read either way.
 */
#include "elf/elfinfo.h"

#include <errno.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Where a reading is: the result being filled and the number of problems met. */
struct reader {
	struct elf_info *ei;
	unsigned nwarn;
};

__attribute__((format(printf, 2, 3)))
static void warnf(struct reader *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nwarn++ > 0)
		return;
	va_start(ap, fmt);
	vsnprintf(r->ei->warning, sizeof r->ei->warning, fmt, ap);
	va_end(ap);
}

/* Append " (+N more)" to the warning when there were several problems. */
static void finish_warning(struct reader *r)
{
	char *w = r->ei->warning;
	char sfx[32];
	int n;
	size_t len, room;

	if (r->nwarn < 2)
		return;
	n = snprintf(sfx, sizeof sfx, " (+%u more)", r->nwarn - 1);
	/* GCOVR_EXCL_START: " (+4294967295 more)" is 19 bytes; the longest warning
	 * (163 bytes, 64-bit numbers) leaves room for it in the 200 of warning */
	if (n < 0 || (size_t)n >= sizeof sfx)
		return;
	len = strlen(w);
	room = sizeof r->ei->warning - 1 - (size_t)n;
	if (len > room)
		len = room;
	/* GCOVR_EXCL_STOP */
	memcpy(w + len, sfx, (size_t)n + 1);
}

/* Replace the warning by the reason of a failure; returns -1 with errno err. */
__attribute__((format(printf, 3, 4)))
static int failf(struct reader *r, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->ei->warning, sizeof r->ei->warning, fmt, ap);
	va_end(ap);
	free(r->ei->load);
	r->ei->load = NULL;
	r->ei->n_load = 0;
	free(r->ei->by_offset_);
	r->ei->by_offset_ = NULL;
	free(r->ei->by_offset_maxend_);
	r->ei->by_offset_maxend_ = NULL;
	errno = err;
	return -1;
}

static bool is_pow2(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

static uint64_t page_down(uint64_t x, uint64_t page)
{
	return x & ~(page - 1);
}

/* A PT_LOAD's p_memsz above this (2^48 bytes, 256 TiB: more than the user address
 * space of x86-64 with 4-level paging, of arm64 with 48-bit addresses, of riscv
 * sv48) is kept but warned about: no real file asks for it. */
#define ELF_INFO_HUGE_MEMSZ (UINT64_C(1) << 48)

/* page for the lookups: a power of two, else 1. */
static uint64_t sane_page(uint64_t page)
{
	return is_pow2(page) ? page : 1;
}

static uint64_t runtime_page_size(void)
{
	long p = sysconf(_SC_PAGESIZE);

	/* Linux's page size is a power of two */
	return p > 0 && is_pow2((uint64_t)p) ? (uint64_t)p : 4096; /* GCOVR_EXCL_BR_LINE */
}

/* Check one PT_LOAD program header against the file and the segments kept
 * so far; append it to ei->load when usable.  Returns false when dropped. */
static bool add_load(struct reader *r, const GElf_Phdr *ph, unsigned idx, uint64_t file_size)
{
	struct elf_info *ei = r->ei;
	uint64_t vlimit = ei->elf_class == 32 ? UINT64_C(1) << 32 : UINT64_MAX;
	struct elf_segment *s;

	if (ph->p_filesz > ph->p_memsz) {
		warnf(r, "program header %u (PT_LOAD): p_filesz %#" PRIx64 " > p_memsz %#" PRIx64
		      ": dropped", idx, (uint64_t)ph->p_filesz, (uint64_t)ph->p_memsz);
		return false;
	}
	if (ph->p_offset > UINT64_MAX - ph->p_filesz) {
		warnf(r, "program header %u (PT_LOAD): p_offset %#" PRIx64 " + p_filesz %#" PRIx64
		      " overflows: dropped", idx, (uint64_t)ph->p_offset, (uint64_t)ph->p_filesz);
		return false;
	}
	if (ph->p_vaddr > vlimit || ph->p_memsz > vlimit - ph->p_vaddr) {
		warnf(r, "program header %u (PT_LOAD): p_vaddr %#" PRIx64 " + p_memsz %#" PRIx64
		      " is beyond the %d-bit address space: dropped", idx,
		      (uint64_t)ph->p_vaddr, (uint64_t)ph->p_memsz, ei->elf_class);
		return false;
	}
	if (ei->n_load > 0) {
		const struct elf_segment *prev = &ei->load[ei->n_load - 1];

		if (ph->p_vaddr < prev->vaddr) {
			warnf(r, "program header %u (PT_LOAD): p_vaddr %#" PRIx64 " is below the"
			      " previous PT_LOAD's %#" PRIx64 " (the gABI requires ascending"
			      " order): dropped", idx, (uint64_t)ph->p_vaddr, prev->vaddr);
			return false;
		}
		if (ph->p_vaddr < prev->vaddr + prev->memsz) {
			warnf(r, "program header %u (PT_LOAD): p_vaddr %#" PRIx64 " overlaps the"
			      " PT_LOAD of program header %u: dropped", idx,
			      (uint64_t)ph->p_vaddr, prev->phdr_index);
			return false;
		}
	}
	/* Odd but harmless for the layout: keep the segment. */
	if (ei->elf_class == 64 && ph->p_memsz > ELF_INFO_HUGE_MEMSZ)
		warnf(r, "program header %u (PT_LOAD): p_memsz %#" PRIx64 " is larger than a"
		      " 48-bit address space: no process can hold the segment", idx,
		      (uint64_t)ph->p_memsz);
	else if (ph->p_align > 1 && !is_pow2(ph->p_align))
		warnf(r, "program header %u (PT_LOAD): p_align %#" PRIx64
		      " is not a power of two", idx, (uint64_t)ph->p_align);
	else if (ph->p_align > 1 && (ph->p_vaddr - ph->p_offset) % ph->p_align != 0)
		warnf(r, "program header %u (PT_LOAD): p_vaddr %#" PRIx64 " and p_offset %#"
		      PRIx64 " differ modulo p_align %#" PRIx64, idx, (uint64_t)ph->p_vaddr,
		      (uint64_t)ph->p_offset, (uint64_t)ph->p_align);
	if (ph->p_offset + ph->p_filesz > file_size)
		warnf(r, "program header %u (PT_LOAD): its file bytes [%#" PRIx64 ", %#" PRIx64
		      ") go beyond the end of the file (%" PRIu64 " bytes): truncated file?",
		      idx, (uint64_t)ph->p_offset, (uint64_t)(ph->p_offset + ph->p_filesz),
		      file_size);

	s = &ei->load[ei->n_load++];
	s->flags = ph->p_flags;
	s->offset = ph->p_offset;
	s->vaddr = ph->p_vaddr;
	s->filesz = ph->p_filesz;
	s->memsz = ph->p_memsz;
	s->align = ph->p_align;
	s->phdr_index = idx;
	return true;
}

/* The last segment whose vaddr <= v (segments ascend), or -1. */
static ptrdiff_t last_at_or_below(const struct elf_info *ei, uint64_t v, uint64_t page)
{
	size_t lo = 0, hi = ei->n_load;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (page_down(ei->load[mid].vaddr, page) <= v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (ptrdiff_t)lo - 1;
}

/* Keep the PT_GNU_RELRO only when it lies inside one PT_LOAD. */
static void check_relro(struct reader *r, unsigned idx)
{
	struct elf_info *ei = r->ei;
	ptrdiff_t i;
	const struct elf_segment *s;

	if (!ei->has_relro)
		return;
	i = last_at_or_below(ei, ei->relro_vaddr, 1);
	s = i >= 0 ? &ei->load[i] : NULL;
	if (s == NULL || ei->relro_memsz > UINT64_MAX - ei->relro_vaddr
	    || ei->relro_vaddr + ei->relro_memsz > s->vaddr + s->memsz) {
		warnf(r, "program header %u (PT_GNU_RELRO): [%#" PRIx64 ", +%#" PRIx64
		      ") is not inside one PT_LOAD: ignored", idx, ei->relro_vaddr,
		      ei->relro_memsz);
		ei->has_relro = false;
		ei->relro_vaddr = ei->relro_memsz = 0;
	}
}

struct off_key {
	uint64_t offset;
	uint32_t idx;
};

static int cmp_off_key(const void *a, const void *b)
{
	const struct off_key *x = a, *y = b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	/* the indexes of two segments differ */
	return x->idx < y->idx ? -1 : x->idx > y->idx;	/* GCOVR_EXCL_BR_LINE */
}

/* Build the by-offset index of ei->load. */
static int index_by_offset(struct elf_info *ei)
{
	struct off_key *keys;
	uint64_t maxend = 0;

	keys = calloc(ei->n_load, sizeof *keys);
	ei->by_offset_ = calloc(ei->n_load, sizeof *ei->by_offset_);
	ei->by_offset_maxend_ = calloc(ei->n_load, sizeof *ei->by_offset_maxend_);
	if (keys == NULL || ei->by_offset_ == NULL || ei->by_offset_maxend_ == NULL) {
		free(keys);
		return -1;
	}
	for (size_t i = 0; i < ei->n_load; i++) {
		keys[i].offset = ei->load[i].offset;
		keys[i].idx = (uint32_t)i;
	}
	qsort(keys, ei->n_load, sizeof *keys, cmp_off_key);
	for (size_t i = 0; i < ei->n_load; i++) {
		const struct elf_segment *s = &ei->load[keys[i].idx];
		uint64_t end = s->offset + s->filesz;

		if (end > maxend)
			maxend = end;
		ei->by_offset_[i] = keys[i].idx;
		ei->by_offset_maxend_[i] = maxend;
	}
	free(keys);
	return 0;
}

/* Program header i of elf into *ph; on failure *rc is failf()'s, naming the cause. */
/* Whether the PT_DYNAMIC segment ph of elf (a file of size bytes) has DT_FLAGS_1
 * with DF_1_PIE, which the link editor sets on an executable linked -pie or
 * -static-pie and never on a shared library.  False when the segment lies outside
 * the file or cannot be read (the flag is then unknown, and only names the file). */
static bool dynamic_says_pie(Elf *elf, const GElf_Phdr *ph, uint64_t size)
{
	if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset || ph->p_filesz == 0)
		return false;
	Elf_Data *d = elf_getdata_rawchunk(elf, (int64_t)ph->p_offset, (size_t)ph->p_filesz,
					   ELF_T_DYN);
	if (!d)
		return false;
	size_t entsize = gelf_fsize(elf, ELF_T_DYN, 1, EV_CURRENT);
	for (size_t i = 0; entsize && i < d->d_size / entsize; i++) {
		GElf_Dyn dyn;
		if (!gelf_getdyn(d, (int)i, &dyn) || dyn.d_tag == DT_NULL)
			break;
		if (dyn.d_tag == DT_FLAGS_1)
			return (dyn.d_un.d_val & DF_1_PIE) != 0;
	}
	return false;
}

static int get_phdr(struct reader *r, Elf *elf, size_t i, GElf_Phdr *ph, int *rc)
{
	char cause[128];

	errno = 0;
	if (gelf_getphdr(elf, (int)i, ph) != NULL)
		return 0;
	*rc = failf(r, errno ? errno : ENOEXEC, "program header %zu: %s", i,
		    elf_cause(cause, sizeof(cause)));
	return -1;
}

int elf_info_read(int fd, struct elf_info *ei)
{
	struct reader r = { .ei = ei, .nwarn = 0 };
	struct stat st;
	Elf *elf = NULL;
	GElf_Ehdr eh;
	size_t raw_phnum, phnum, n_load_max = 0;
	uint64_t table_size;
	unsigned relro_idx = 0, n_relro = 0;
	bool seen_stack = false;
	int rc;

	memset(ei, 0, sizeof *ei);
	/* GCOVR_EXCL_START: fstat() of a descriptor the caller opened */
	if (fstat(fd, &st) < 0) {
		int e = errno;

		return failf(&r, e, "fstat: %s", strerror(e));
	}
	/* GCOVR_EXCL_STOP */
	if (!S_ISREG(st.st_mode))
		return failf(&r, ENOEXEC, "not a regular file");
	if (st.st_size == 0)
		return failf(&r, ENOEXEC, "not an ELF file: the file is empty");
	/* GCOVR_EXCL_START: the libelf linked knows the version it was built for */
	if (elf_version(EV_CURRENT) == EV_NONE)
		return failf(&r, ENOEXEC, "libelf: %s", elf_errmsg(-1));
	/* GCOVR_EXCL_STOP */

	errno = 0;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf == NULL && errno != 0) {	/* libelf's malloc() or pread() */
		int e = errno;
		return failf(&r, e, "%s", strerror(e));
	}
	if (elf == NULL)
		return failf(&r, ENOEXEC, "libelf: %s", elf_errmsg(-1));
	if (elf_kind(elf) != ELF_K_ELF) {
		rc = failf(&r, ENOEXEC, "not an ELF file");
		goto out;
	}
	char cause[256];
	errno = 0;
	if (gelf_getehdr(elf, &eh) == NULL) {
		rc = failf(&r, errno ? errno : ENOEXEC, "ELF header: %s",
			   elf_cause(cause, sizeof(cause)));
		goto out;
	}
	ei->elf_class = gelf_getclass(elf) == ELFCLASS32 ? 32 : 64;
	ei->data = eh.e_ident[EI_DATA];
	ei->type = eh.e_type;
	ei->machine = eh.e_machine;
	ei->entry = eh.e_entry;

	/* The count as the file states it, to tell a truncated table (libelf
	 * quietly shortens it to what the file holds). */
	raw_phnum = eh.e_phnum;
	if (raw_phnum == PN_XNUM) {
		errno = 0;
		Elf_Scn *scn0 = elf_getscn(elf, 0);
		GElf_Shdr sh;

		if (scn0 == NULL || gelf_getshdr(scn0, &sh) == NULL) {
			rc = failf(&r, errno ? errno : ENOEXEC, "e_phnum is PN_XNUM but section 0,"
				   " which holds the count, cannot be read: %s",
				   elf_cause(cause, sizeof(cause)));
			goto out;
		}
		raw_phnum = sh.sh_info;
		warnf(&r, "e_phnum is PN_XNUM: %zu program headers, counted by section 0's"
		      " sh_info", raw_phnum);
	}
	if (raw_phnum == 0 || eh.e_phoff == 0) {
		rc = failf(&r, ENOEXEC, "no program headers (e_phnum %zu, e_phoff %#" PRIx64 ")",
			   raw_phnum, (uint64_t)eh.e_phoff);
		goto out;
	}
	if (raw_phnum > ELF_INFO_MAX_PHDRS) {
		rc = failf(&r, ENOEXEC, "%zu program headers: more than %d", raw_phnum,
			   ELF_INFO_MAX_PHDRS);
		goto out;
	}
	if (eh.e_phentsize != gelf_fsize(elf, ELF_T_PHDR, 1, EV_CURRENT)) {
		rc = failf(&r, ENOEXEC, "e_phentsize %u is not the size of a program header (%zu)",
			   (unsigned)eh.e_phentsize, gelf_fsize(elf, ELF_T_PHDR, 1, EV_CURRENT));
		goto out;
	}
	/* libelf reads the whole table or nothing: say so plainly when the file
	 * ends inside it (raw_phnum * e_phentsize < 2^32: no overflow). */
	table_size = (uint64_t)raw_phnum * eh.e_phentsize;
	if (eh.e_phoff > (uint64_t)st.st_size || (uint64_t)st.st_size - eh.e_phoff < table_size) {
		rc = failf(&r, ENOEXEC, "truncated file: its %zu program headers at [%#" PRIx64
			   ", +%#" PRIx64 ") go beyond its end (%jd bytes)", raw_phnum,
			   (uint64_t)eh.e_phoff, table_size, (intmax_t)st.st_size);
		goto out;
	}
	errno = 0;
	if (elf_getphdrnum(elf, &phnum) != 0) {
		rc = failf(&r, errno ? errno : ENOEXEC, "program headers: %s",
			   elf_cause(cause, sizeof(cause)));
		goto out;
	}
	if (phnum != raw_phnum) {
		rc = failf(&r, ENOEXEC, "libelf counts %zu program headers, the ELF header %zu",
			   phnum, raw_phnum);
		goto out;
	}
	ei->phnum = phnum;

	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (get_phdr(&r, elf, i, &ph, &rc) < 0)
			goto out;
		if (ph.p_type == PT_LOAD)
			n_load_max++;
	}
	if (n_load_max == 0) {
		rc = failf(&r, ENOEXEC, "no PT_LOAD program header");
		goto out;
	}
	ei->load = calloc(n_load_max, sizeof *ei->load);
	if (ei->load == NULL) {
		rc = failf(&r, ENOMEM, "%s", strerror(ENOMEM));
		goto out;
	}

	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (get_phdr(&r, elf, i, &ph, &rc) < 0)
			goto out;
		switch (ph.p_type) {
		case PT_LOAD:
			add_load(&r, &ph, (unsigned)i, (uint64_t)st.st_size);
			break;
		case PT_GNU_RELRO:
			/* Like the dynamic linker, the last one counts. */
			if (n_relro++ > 0)
				warnf(&r, "program header %zu: a second PT_GNU_RELRO (the first is"
				      " program header %u): the last one is used", i, relro_idx);
			relro_idx = (unsigned)i;
			ei->has_relro = ph.p_memsz > 0;
			ei->relro_vaddr = ph.p_vaddr;
			ei->relro_memsz = ph.p_memsz;
			break;
		case PT_INTERP:
			ei->has_interp = true;
			break;
		case PT_DYNAMIC:
			ei->has_dynamic = true;
			ei->pie_flag = dynamic_says_pie(elf, &ph, (uint64_t)st.st_size);
			break;
		case PT_TLS:
			ei->has_tls = true;
			break;
		case PT_GNU_STACK:
			seen_stack = true;
			ei->exec_stack = (ph.p_flags & PF_X) != 0;
			break;
		default:
			break;
		}
	}
	if (!seen_stack)
		ei->exec_stack = true;

	if (ei->n_load == 0) {
		char first[sizeof ei->warning];

		snprintf(first, sizeof first, "%s", ei->warning);
		rc = failf(&r, ENOEXEC, "no usable PT_LOAD segment: %s", first);
		goto out;
	}
	check_relro(&r, relro_idx);
	ei->min_vaddr = page_down(ei->load[0].vaddr, runtime_page_size());
	if (index_by_offset(ei) < 0) {
		rc = failf(&r, ENOMEM, "%s", strerror(ENOMEM));
		goto out;
	}
	finish_warning(&r);
	rc = 0;
out:
	elf_end(elf);
	return rc;
}

void elf_info_free(struct elf_info *ei)
{
	if (ei == NULL)
		return;
	free(ei->load);
	free(ei->by_offset_);
	free(ei->by_offset_maxend_);
	memset(ei, 0, sizeof *ei);
}

const struct elf_segment *elf_info_segment_for_offset(const struct elf_info *ei,
						      uint64_t off, uint64_t page)
{
	size_t lo = 0, hi;

	if (ei == NULL || ei->n_load == 0 || ei->by_offset_ == NULL)
		return NULL;
	page = sane_page(page);
	/* Find the last segment (in offset order) whose page-rounded start is <= off,
	 * then walk back while an earlier one could still reach off. */
	hi = ei->n_load;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (page_down(ei->load[ei->by_offset_[mid]].offset, page) <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = lo; k-- > 0;) {
		const struct elf_segment *s = &ei->load[ei->by_offset_[k]];

		if (ei->by_offset_maxend_[k] <= off)
			break;
		if (off < s->offset + s->filesz)
			return s;
	}
	return NULL;
}

const struct elf_segment *elf_info_segment_for_vaddr(const struct elf_info *ei,
						     uint64_t vaddr, uint64_t page)
{
	ptrdiff_t i;
	const struct elf_segment *s;
	uint64_t end;

	if (ei == NULL || ei->n_load == 0)
		return NULL;
	page = sane_page(page);
	i = last_at_or_below(ei, vaddr, page);
	if (i < 0)
		return NULL;
	s = &ei->load[i];
	end = s->vaddr + s->memsz;	/* checked not to overflow */
	/* vaddr < page_up(end), written without overflowing */
	if (page_down(vaddr, page) < end)
		return s;
	return NULL;
}

const char *elf_cause(char *buf, size_t len)
{
	int e = errno;

	const char *m = elf_errmsg(0);	/* NULL: libelf has no error of its own */

	if (!m)
		snprintf(buf, len, "%s", e ? strerror(e) : "libelf: unknown error");
	else
		snprintf(buf, len, "%s%s%s", m, e ? ": " : "", e ? strerror(e) : "");
	errno = e;
	return buf;
}

const char *elf_machine_name(uint16_t e_machine)
{
	switch (e_machine) {
	case EM_X86_64:		return "x86-64";
	case EM_386:		return "i386";
	case EM_AARCH64:	return "aarch64";
	case EM_ARM:		return "arm";
	case EM_RISCV:		return "riscv";
	case EM_PPC:		return "ppc";
	case EM_PPC64:		return "ppc64";
	case EM_S390:		return "s390x";
	case EM_MIPS:		return "mips";
	case EM_LOONGARCH:	return "loongarch";
	case EM_SPARC:		return "sparc";
	case EM_SPARC32PLUS:	return "sparc32plus";
	case EM_SPARCV9:	return "sparc64";
	case EM_IA_64:		return "ia64";
	case EM_PARISC:		return "parisc";
	case EM_ALPHA:		return "alpha";
	case EM_SH:		return "sh";
	case EM_68K:		return "m68k";
	case EM_ARCV2:		return "arc";
	case EM_CSKY:		return "csky";
	case EM_XTENSA:		return "xtensa";
	case EM_MICROBLAZE:	return "microblaze";
	case EM_OPENRISC:	return "openrisc";
	case EM_BPF:		return "bpf";
	default:		return "unknown";
	}
}

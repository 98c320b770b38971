/* util.h - small helpers shared across the program */
#ifndef VMLAYOUT_UTIL_H
#define VMLAYOUT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Format a size of bytes into buf (len bytes): with exact set, the decimal byte
 * count; else a binary human unit as pmap/lsblk do: "0", "4K", "1.3M", "128T"
 * (one decimal below 10, none above; K = KiB).  Returns buf. */
char *size_human(char *buf, size_t len, uint64_t bytes, bool exact);
/* The same; returns the length of the text (0 when len is 0). */
size_t size_human_n(char *buf, size_t len, uint64_t bytes, bool exact);

/* v in decimal / as "0x" and lower-case hex digits into buf (at least 24 bytes).
 * Returns buf. */
char *fmt_u64(char *buf, uint64_t v);
char *fmt_hex(char *buf, uint64_t v);
/* The same; return the length of the text. */
size_t fmt_u64_n(char *buf, uint64_t v);
size_t fmt_hex_n(char *buf, uint64_t v);

/* Format a gap size with its unit spelled out ("124 TiB", "527 MiB", "4 KiB").
 * Returns buf. */
char *size_words(char *buf, size_t len, uint64_t bytes);

/* The printable text s (UTF-8, one display column a character) into buf (cap
 * bytes), cut at the end to at most width columns, the last of them "…" (or "...",
 * ascii) when it was cut.  Returns buf. */
char *text_fit_end(char *buf, size_t cap, const char *s, size_t width, bool ascii);

/* Copy the name s (len bytes) into buf (cap bytes) fit to print on a terminal:
 * control characters and invalid UTF-8 escaped as \n, \t, \xHH; at most width
 * display columns (one column per character assumed), cut with "…" or "..."
 * (ascii) at the front when longer.  Returns buf. */
char *name_printable(char *buf, size_t cap, const char *s, size_t len, size_t width,
		     bool ascii);

/* a rounded down to a multiple of page (a power of two). */
static inline uint64_t page_down(uint64_t a, uint64_t page)
{
	return a & ~(page - 1);
}

/* a rounded up to a multiple of page (a power of two); the last page's start when
 * that would wrap. */
static inline uint64_t page_up(uint64_t a, uint64_t page)
{
	if (a > UINT64_MAX - (page - 1))
		return page_down(UINT64_MAX, page);
	return (a + page - 1) & ~(page - 1);
}

/* Length of the well-formed UTF-8 sequence of two to four bytes at p (n > 0 bytes
 * available, p[0] >= 0x80), or, when it is ill-formed, minus the length of its
 * maximal subpart: the longest prefix of a well-formed sequence (at least the first
 * byte), which a replacement character stands for (the Unicode Standard, chapter 3,
 * "U+FFFD Substitution of Maximal Subparts").  The ranges are those of Table 3-7. */
int utf8_sequence(const unsigned char *p, size_t n);

/* Whether len bytes at s are well-formed UTF-8 (Unicode Table 3-7): no overlong forms,
 * no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequence.  NUL
 * and the other ASCII bytes are valid.  Exactly the strings the JSON writer copies
 * without replacing anything (it still escapes control characters, quotes and
 * backslashes). */
bool json_utf8_valid(const char *s, size_t len);

/* The value of the hex digit c ('0'-'9', 'a'-'f', 'A'-'F'), or -1. */
static inline int hex_digit(char c)
{
	unsigned d = (unsigned)(unsigned char)c - '0';

	if (d < 10)
		return (int)d;
	d = ((unsigned)(unsigned char)c | 0x20) - 'a';	/* 'A'-'F' as 'a'-'f' */
	return d < 6 ? (int)d + 10 : -1;
}

/* The last path component of path ("libc.so.6"), a pointer into path. */
const char *path_base(const char *path);

#endif

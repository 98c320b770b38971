/* jsonwrt.c - a streaming JSON writer onto a stdio stream (see jsonwrt.h)
 *
 * Hot path: a --json document of a large process holds millions of values (60 000
 * VMAs of some 40 values each, measured at about 300 instructions a value), so
 * numbers are converted by hand (no printf) and string bytes are copied as they are
 * checked, all straight into the writer's own buffer, which goes to the stream with
 * fwrite_unlocked() when full: one stdio call per JSONWRT_BUFSIZE bytes rather than
 * several per value.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1		/* fwrite_unlocked */
#endif

#include "jsonwrt.h"
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static const char hexdigits[16] = "0123456789abcdef";

/* The decimal forms of the multiples of 1024 below 1 MiB, what most figures of a
 * VMA are (smaps gives kB): 8 bytes each, copied whole; filled by the first
 * jsonwrt_init(). */
enum { KIB_FORMS = 1024 };
static char kib_form[KIB_FORMS][8];
static unsigned char kib_form_len[KIB_FORMS];
static pthread_once_t kib_forms_once = PTHREAD_ONCE_INIT;
static atomic_bool kib_forms_ready;
static void kib_forms_init(void);

/* ------------------------------------------------------------------ UTF-8 */

/* What the escaper does with each byte value. */
enum byte_class {
	BC_PLAIN,	/* printable ASCII other than '"' and '\': copied */
	BC_ESCAPE,	/* '"', '\', control characters, DEL: escaped */
	BC_MULTI,	/* 0x80..0xff: part of a multi-byte sequence, valid or not */
};

static const unsigned char byte_class[256] = {
	[0x00 ... 0x1f] = BC_ESCAPE,
	[0x20 ... 0x21] = BC_PLAIN,
	['"'] = BC_ESCAPE,
	[0x23 ... 0x5b] = BC_PLAIN,
	['\\'] = BC_ESCAPE,
	[0x5d ... 0x7e] = BC_PLAIN,
	[0x7f] = BC_ESCAPE,
	[0x80 ... 0xff] = BC_MULTI,
};

/* Length of the well-formed UTF-8 sequence of two to four bytes at p (n > 0 bytes
 * available, p[0] >= 0x80), or, when it is ill-formed, minus the length of its maximal
 * subpart: the longest prefix of a well-formed sequence (at least the first byte),
 * which is replaced by one U+FFFD.  The ranges are those of Unicode Table 3-7. */
static int utf8_sequence(const unsigned char *p, size_t n)
{
	unsigned char b = p[0], lo = 0x80, hi = 0xbf;
	int need;

	if (b >= 0xc2 && b <= 0xdf) {
		need = 2;
	} else if (b >= 0xe0 && b <= 0xef) {
		need = 3;
		if (b == 0xe0)
			lo = 0xa0;	/* no overlong three-byte forms */
		else if (b == 0xed)
			hi = 0x9f;	/* no surrogates */
	} else if (b >= 0xf0 && b <= 0xf4) {
		need = 4;
		if (b == 0xf0)
			lo = 0x90;	/* no overlong four-byte forms */
		else if (b == 0xf4)
			hi = 0x8f;	/* nothing above U+10FFFF */
	} else {
		return -1;	/* continuation byte, C0, C1 or F5..FF: never a lead */
	}
	if (n < 2 || p[1] < lo || p[1] > hi)
		return -1;
	for (int i = 2; i < need; i++)
		if ((size_t)i >= n || p[i] < 0x80 || p[i] > 0xbf)
			return -i;
	return need;
}

bool json_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		int r = utf8_sequence(p + i, len - i);
		if (r < 0)
			return false;
		i += (size_t)r;
	}
	return true;
}

/* ------------------------------------------------------------------ output */

/* Hand the buffered bytes to the stream. */
static void flush_buf(struct jsonwrt *w)
{
	if (w->len)
		fwrite_unlocked(w->buf, 1, w->len, w->out);
	w->len = 0;
}

/* Room for n more bytes (n <= JSONWRT_BUFSIZE) at the end of the buffer; the caller
 * writes them and adds what it wrote to w->len. */
static inline char *reserve(struct jsonwrt *w, size_t n)
{
	if (n > JSONWRT_BUFSIZE - w->len)
		flush_buf(w);
	return w->buf + w->len;
}

static inline void put(struct jsonwrt *w, char c)
{
	*reserve(w, 1) = c;
	w->len++;
}

static inline void put_bytes(struct jsonwrt *w, const void *p, size_t n)
{
	if (n > JSONWRT_BUFSIZE - w->len) {
		flush_buf(w);
		if (n >= JSONWRT_BUFSIZE / 2) {
			fwrite_unlocked(p, 1, n, w->out);
			return;
		}
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

/* The escape sequence of a byte of class BC_ESCAPE. */
static void put_escape(struct jsonwrt *w, unsigned char c)
{
	char *o = reserve(w, 6);

	o[0] = '\\';
	switch (c) {
	case '"': o[1] = '"'; break;
	case '\\': o[1] = '\\'; break;
	case '\n': o[1] = 'n'; break;
	case '\t': o[1] = 't'; break;
	case '\r': o[1] = 'r'; break;
	case '\b': o[1] = 'b'; break;
	case '\f': o[1] = 'f'; break;
	default:
		memcpy(o + 1, "u00", 3);
		o[4] = hexdigits[c >> 4];
		o[5] = hexdigits[c & 0xf];
		w->len += 6;
		return;
	}
	w->len += 2;
}

/* How many of the n bytes at p are plain (BC_PLAIN) before the first that is not.
 * Eight bytes at a time where the byte order allows: a byte below 0x20, equal to
 * '"', '\' or 0x7f, or with its top bit set marks the end.  Each test may also
 * flag bytes above a true hit (a borrow), never below one, so the lowest flag is
 * exact. */
static inline size_t plain_prefix(const unsigned char *p, size_t n)
{
	size_t i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = UINT64_C(0x0101010101010101), high = ones * 0x80;

	while (n - i >= 8) {
		uint64_t x, q, b, d;
		memcpy(&x, p + i, 8);
		q = x ^ (ones * '"');
		b = x ^ (ones * '\\');
		d = x ^ (ones * 0x7f);
		uint64_t bad = ((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b) |
			       ((d - ones) & ~d) | x;
		bad &= high;
		if (bad)
			return i + (size_t)(__builtin_ctzll(bad) >> 3);
		i += 8;
	}
#endif
	while (i < n && byte_class[p[i]] == BC_PLAIN)
		i++;
	return i;
}

/* The quoted, escaped string of len bytes at s.  Runs of plain bytes are copied
 * whole; each other byte, or multi-byte sequence, is handled on its own. */
static void put_string(struct jsonwrt *w, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	put(w, '"');
	while (p < end) {
		size_t run = plain_prefix(p, (size_t)(end - p));
		if (run) {
			put_bytes(w, p, run);
			p += run;
			if (p == end)
				break;
		}
		unsigned char c = *p;
		if (byte_class[c] == BC_MULTI) {
			int r = utf8_sequence(p, (size_t)(end - p));
			char *o;
			if (r > 0) {
				o = reserve(w, 4);
				memcpy(o, p, (size_t)r);
				w->len += (size_t)r;
				p += r;
			} else {
				o = reserve(w, 3);
				memcpy(o, "\xef\xbf\xbd", 3);	/* U+FFFD */
				w->len += 3;
				p += -r;
			}
			continue;
		}
		put_escape(w, c);
		p++;
	}
	put(w, '"');
}

static void put_cstring(struct jsonwrt *w, const char *s)
{
	put_string(w, s, strlen(s));
}

/* A key: most are short literals that need no escaping, copied in one pass. */
static inline void put_key(struct jsonwrt *w, const char *key)
{
	char *o = reserve(w, 66);
	size_t i = 0;

	o[0] = '"';
	for (; i < 64 && key[i]; i++) {
		if (byte_class[(unsigned char)key[i]] != BC_PLAIN)
			goto slow;
		o[1 + i] = key[i];
	}
	if (key[i])
		goto slow;
	o[1 + i] = '"';
	w->len += i + 2;
	return;
slow:
	put_cstring(w, key);
}

/* A newline and the indent of depth (two spaces a level). */
static void put_newline_indent(struct jsonwrt *w, int depth)
{
	size_t n = 2 * (size_t)depth;
	char *p = reserve(w, n + 1);

	*p = '\n';
	memset(p + 1, ' ', n);
	w->len += n + 1;
}

/* In the container at depth d > 0 (state st): the comma after the previous member,
 * and the newline and indent. */
static inline void put_separator(struct jsonwrt *w, int d, unsigned char st)
{
	if (st & JSONWRT_HAS_MEMBER)
		put(w, ',');
	else
		w->state[d] = st | JSONWRT_HAS_MEMBER;
	if (w->pretty)
		put_newline_indent(w, d);
}

/* Everything that goes before a value: the comma after the previous member, the
 * newline and indent, and the key inside an object. */
static inline void begin_value(struct jsonwrt *w, const char *key)
{
	int d = w->depth;
	unsigned char st = w->state[d];

	if (d == 0) {
		/* Top level: one value; should another follow, a newline keeps the
		 * values apart (one document per line). */
		if (st & JSONWRT_HAS_MEMBER)
			put(w, '\n');
		w->state[0] = st | JSONWRT_HAS_MEMBER;
		return;
	}
	put_separator(w, d, st);
	if (!(st & JSONWRT_IN_ARRAY)) {
		if (key)
			put_key(w, key);
		else
			put_bytes(w, "\"\"", 2);
		if (w->pretty) {
			memcpy(reserve(w, 2), ": ", 2);
			w->len += 2;
		} else {
			put(w, ':');
		}
	}
}

/* begin_value() for a member key quoted beforehand: q is a row (JSONWRT_ROW bytes,
 * ,"KEY": and zeros), qlen the length of ,"KEY":.  Inside an array or at the top
 * level the key is not written. */
__attribute__((noinline))
static void begin_member_q_slow(struct jsonwrt *w, const char *q, size_t qlen)
{
	int d = w->depth;
	unsigned char st = w->state[d];

	if (d == 0 || (st & JSONWRT_IN_ARRAY)) {
		begin_value(w, NULL);
		return;
	}
	put_separator(w, d, st);
	put_bytes(w, q + 1, qlen - 1);
	if (w->pretty)
		put(w, ' ');
}

static inline void begin_member_q(struct jsonwrt *w, const char *q, size_t qlen)
{
	int d = w->depth;
	unsigned char st = w->state[d];

	if (__builtin_expect(d == 0 || (st & JSONWRT_IN_ARRAY) || w->pretty ||
			     JSONWRT_ROW > JSONWRT_BUFSIZE - w->len, 0)) {
		begin_member_q_slow(w, q, qlen);
		return;
	}
	/* the whole row, a copy of fixed size; without its comma for the first
	 * member */
	char *o = w->buf + w->len;
	if (st & JSONWRT_HAS_MEMBER) {
		memcpy(o, q, JSONWRT_ROW);
		w->len += qlen;
	} else {
		w->state[d] = st | JSONWRT_HAS_MEMBER;
		memcpy(o, q + 1, JSONWRT_ROW - 1);
		w->len += qlen - 1;
	}
}

/* The container's opening, after its key. */
static void open_after_key(struct jsonwrt *w, bool array)
{
	if (w->depth + 1 >= JSONWRT_MAX_DEPTH)
		abort();
	w->depth++;
	w->state[w->depth] = array ? JSONWRT_IN_ARRAY : 0;
	put(w, array ? '[' : '{');
}

static void open_container(struct jsonwrt *w, const char *key, bool array)
{
	begin_value(w, key);
	open_after_key(w, array);
}

void jsonwrt_object_open_q(struct jsonwrt *w, const char *q, size_t qlen)
{
	begin_member_q(w, q, qlen);
	open_after_key(w, false);
}

void jsonwrt_array_open_q(struct jsonwrt *w, const char *q, size_t qlen)
{
	begin_member_q(w, q, qlen);
	open_after_key(w, true);
}

static void close_container(struct jsonwrt *w, bool array)
{
	int d = w->depth;

	if (d <= 0 || !(w->state[d] & JSONWRT_IN_ARRAY) != !array)
		abort();
	if (w->pretty && (w->state[d] & JSONWRT_HAS_MEMBER))
		put_newline_indent(w, d - 1);
	w->depth--;
	put(w, array ? ']' : '}');
}

/* ------------------------------------------------------------------ API */

void jsonwrt_init(struct jsonwrt *w, FILE *out, bool pretty)
{
	pthread_once(&kib_forms_once, kib_forms_init);
	w->out = out;
	w->len = 0;
	w->depth = 0;
	w->state[0] = 0;
	w->pretty = pretty;
}

void jsonwrt_object_open(struct jsonwrt *w, const char *key)
{
	open_container(w, key, false);
}

void jsonwrt_object_close(struct jsonwrt *w)
{
	close_container(w, false);
}

void jsonwrt_array_open(struct jsonwrt *w, const char *key)
{
	open_container(w, key, true);
}

void jsonwrt_array_close(struct jsonwrt *w)
{
	close_container(w, true);
}

static inline void val_strn(struct jsonwrt *w, const char *s, size_t len)
{
	if (s)
		put_string(w, s, len);
	else
		put_bytes(w, "null", 4);
}

void jsonwrt_str(struct jsonwrt *w, const char *key, const char *s)
{
	begin_value(w, key);
	val_strn(w, s, s ? strlen(s) : 0);
}

void jsonwrt_str_q(struct jsonwrt *w, const char *q, size_t qlen, const char *s)
{
	begin_member_q(w, q, qlen);
	val_strn(w, s, s ? strlen(s) : 0);
}

static inline void val_plain(struct jsonwrt *w, const char *s, size_t len)
{
	char *o = reserve(w, len + 2);

	o[0] = '"';
	memcpy(o + 1, s, len);
	o[len + 1] = '"';
	w->len += len + 2;
}

/* The writers of len bytes at s, with a key to quote and with a quoted one. */
#define STRING_WRITERS(name, val)								\
	void jsonwrt_##name(struct jsonwrt *w, const char *key, const char *s, size_t len)	\
	{											\
		begin_value(w, key);								\
		val(w, s, len);									\
	}											\
	void jsonwrt_##name##_q(struct jsonwrt *w, const char *q, size_t qlen, const char *s,	\
				size_t len)							\
	{											\
		begin_member_q(w, q, qlen);							\
		val(w, s, len);									\
	}

STRING_WRITERS(plain, val_plain)
STRING_WRITERS(strn, val_strn)

static const char digit_pairs[200] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Number of decimal digits of v. */
static inline unsigned decimal_digits(uint64_t v)
{
	static const uint64_t pow10[20] = {
		1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
		1000000000, 10000000000u, 100000000000u, 1000000000000u, 10000000000000u,
		100000000000000u, 1000000000000000u, 10000000000000000u,
		100000000000000000u, 1000000000000000000u, 10000000000000000000u,
	};
	/* With bits the bit length of v (0 counted as 1), n = floor(bits * log10(2))
	 * (1233 / 4096 ~ log10(2)) is v's digit count or one less: v < 10^n tells. */
	uint64_t v1 = v | 1;
	unsigned bits = 64 - (unsigned)__builtin_clzll(v1);
	unsigned n = (bits * 1233) >> 12;

	return n + 1 - (v1 < pow10[n]);
}

/* v in decimal at o (room for 20 bytes), two digits at a time from the end; returns
 * the digit count. */
static inline unsigned decimal_digits_at(char *o, uint64_t v)
{
	unsigned n = decimal_digits(v);
	char *p = o + n;

	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		p -= 2;
		memcpy(p, digit_pairs + 2 * r, 2);
	}
	if (v >= 10)
		memcpy(p - 2, digit_pairs + 2 * v, 2);
	else
		p[-1] = (char)('0' + v);
	return n;
}

static void kib_forms_init(void)
{
	char b[24];

	for (unsigned k = 0; k < KIB_FORMS; k++) {
		kib_form_len[k] = (unsigned char)decimal_digits_at(b, (uint64_t)k * 1024);
		memcpy(kib_form[k], b, sizeof(kib_form[k]));
	}
	atomic_store_explicit(&kib_forms_ready, true, memory_order_release);
}

/* v in decimal at o (room for 20 bytes); returns the digit count. */
static inline unsigned decimal_at(char *o, uint64_t v)
{
	if (v < 10) {
		/* most figures of a small VMA are 0 */
		*o = (char)('0' + v);
		return 1;
	}
	if (v % 1024 == 0 && v / 1024 < KIB_FORMS &&
	    atomic_load_explicit(&kib_forms_ready, memory_order_acquire)) {
		memcpy(o, kib_form[v / 1024], 8);
		return kib_form_len[v / 1024];
	}
	return decimal_digits_at(o, v);
}

char *jsonwrt_put_u64(char *o, uint64_t v)
{
	return o + decimal_at(o, v);
}

static void put_decimal(struct jsonwrt *w, uint64_t v)
{
	char *o = reserve(w, 20);

	w->len += decimal_at(o, v);
}

static inline void val_i64(struct jsonwrt *w, int64_t v)
{
	if (v < 0) {
		put(w, '-');
		/* The magnitude in unsigned arithmetic: also right for INT64_MIN. */
		put_decimal(w, -(uint64_t)v);
	} else {
		put_decimal(w, (uint64_t)v);
	}
}

char *jsonwrt_put_hex(char *o, uint64_t v)
{
	size_t n = fmt_hex_n(o + 1, v);	/* 0x... and a NUL, which the quote replaces */

	o[0] = '"';
	o[n + 1] = '"';
	return o + n + 2;
}

static inline void val_hex(struct jsonwrt *w, uint64_t v)
{
	char *o = reserve(w, 20);

	w->len += (size_t)(jsonwrt_put_hex(o, v) - o);
}

static inline void val_bool(struct jsonwrt *w, bool v)
{
	if (v)
		put_bytes(w, "true", 4);
	else
		put_bytes(w, "false", 5);
}

static inline void val_null(struct jsonwrt *w)
{
	put_bytes(w, "null", 4);
}

/* Each value writer twice: with a key to quote, and with a key quoted beforehand. */
#define WRITERS(name, type, val)							\
	void jsonwrt_##name(struct jsonwrt *w, const char *key, type v)			\
	{										\
		begin_value(w, key);							\
		val(w, v);								\
	}										\
	void jsonwrt_##name##_q(struct jsonwrt *w, const char *q, size_t qlen, type v)	\
	{										\
		begin_member_q(w, q, qlen);						\
		val(w, v);								\
	}

WRITERS(u64, uint64_t, put_decimal)
WRITERS(i64, int64_t, val_i64)
WRITERS(hex, uint64_t, val_hex)
WRITERS(bool, bool, val_bool)

int jsonwrt_keyset_init(struct jsonwrt_keyset *ks, const char *const *keys, size_t n)
{
	if (n > JSONWRT_KEYSET_MAX) {
		errno = EINVAL;
		return -1;
	}
	ks->n = n;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(keys[i]);
		/* ,"KEY": in one row of the table */
		if (len + 4 > sizeof(ks->key[i].q) ||
		    plain_prefix((const unsigned char *)keys[i], len) != len) {
			errno = EINVAL;
			return -1;
		}
		memset(ks->key[i].q, 0, sizeof(ks->key[i].q));
		ks->key[i].q[0] = ',';
		ks->key[i].q[1] = '"';
		memcpy(ks->key[i].q + 2, keys[i], len);
		ks->key[i].q[len + 2] = '"';
		ks->key[i].q[len + 3] = ':';
		ks->key[i].len = (unsigned char)(len + 4);
	}
	return 0;
}

void jsonwrt_u64_keyset(struct jsonwrt *w, const struct jsonwrt_keyset *ks, const uint64_t *v)
{
	int d = w->depth;

	if (ks->n == 0)
		return;
	if (d == 0 || (w->state[d] & JSONWRT_IN_ARRAY) || w->pretty) {
		for (size_t i = 0; i < ks->n; i++)
			jsonwrt_u64_q(w, ks->key[i].q, ks->key[i].len, v[i]);
		return;
	}
	jsonwrt_raw_end(w, jsonwrt_put_keyset(jsonwrt_raw_begin(w, JSONWRT_KEYSET_TEXT(ks)), ks, v));
}

char *jsonwrt_put_keyset(char *o, const struct jsonwrt_keyset *ks, const uint64_t *v)
{
	enum { ROW = JSONWRT_ROW };

	if (ks->n == 0)
		return o;
	/* each member: the whole row of its key (a copy of fixed size), then the
	 * number; the first without its comma */
	memcpy(o, ks->key[0].q + 1, ROW - 1);
	o += ks->key[0].len - 1u;
	o += decimal_at(o, v[0]);
	for (size_t i = 1; i < ks->n; i++) {
		memcpy(o, ks->key[i].q, ROW);
		o += ks->key[i].len;
		o += decimal_at(o, v[i]);
	}
	return o;
}

char *jsonwrt_raw_begin(struct jsonwrt *w, size_t n)
{
	int d = w->depth;

	if (w->pretty || d == 0 || n > JSONWRT_RAW_MAX)
		abort();
	char *o = reserve(w, n + 1);
	if (w->state[d] & JSONWRT_HAS_MEMBER)
		*o++ = ',';
	else
		w->state[d] |= JSONWRT_HAS_MEMBER;
	return o;
}

void jsonwrt_raw_end(struct jsonwrt *w, const char *end)
{
	w->len = (size_t)(end - w->buf);
}

bool json_plain(const char *s, size_t len)
{
	return plain_prefix((const unsigned char *)s, len) == len;
}

void jsonwrt_null(struct jsonwrt *w, const char *key)
{
	begin_value(w, key);
	val_null(w);
}

void jsonwrt_null_q(struct jsonwrt *w, const char *q, size_t qlen)
{
	begin_member_q(w, q, qlen);
	val_null(w);
}

void jsonwrt_hexbytes(struct jsonwrt *w, const char *key, const void *p, size_t len)
{
	const unsigned char *b = p;
	char buf[256];

	begin_value(w, key);
	put(w, '"');
	while (len) {
		size_t n = len < sizeof buf / 2 ? len : sizeof buf / 2;
		for (size_t i = 0; i < n; i++) {
			buf[2 * i] = hexdigits[b[i] >> 4];
			buf[2 * i + 1] = hexdigits[b[i] & 0xf];
		}
		put_bytes(w, buf, 2 * n);
		b += n;
		len -= n;
	}
	put(w, '"');
}

void jsonwrt_flush(struct jsonwrt *w)
{
	flush_buf(w);
}

void jsonwrt_finish(struct jsonwrt *w)
{
	if (w->depth != 0)
		abort();
	put(w, '\n');
	flush_buf(w);
}

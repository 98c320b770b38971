/* jsonwrt.c - a streaming JSON writer onto a stdio stream (see jsonwrt.h)
 *
 * Every value goes into the writer's own buffer, which goes to the stream with
 * fwrite_unlocked() when full: one stdio call per JSONWRT_BUFSIZE bytes rather than
 * several per value.  Numbers are formatted by hand (util.h), not with printf.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1		/* fwrite_unlocked */
#endif

#include "view/jsonwrt.h"
#include "lib/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char hexdigits[16] = "0123456789abcdef";

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

/* Whether each byte value goes into a string as it is: printable ASCII other than
 * '"' and '\' (one test a byte: the keys and names of a large document are
 * megabytes). */
static const bool plain[256] = {
	[0x20 ... 0x21] = true,		/* ' ', '!' */
	[0x23 ... 0x5b] = true,		/* '#' ... '[' */
	[0x5d ... 0x7e] = true,		/* ']' ... '~' */
};

static inline bool plain_byte(unsigned char c)
{
	return plain[c];
}

/* The escape sequence of an ASCII byte that is not plain. */
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

/* The quoted, escaped string of len bytes at s.  Plain bytes are copied as they
 * are checked; each other byte, or multi-byte sequence, is handled on its own. */
static void put_string(struct jsonwrt *w, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	put(w, '"');
	while (p < end) {
		char *o = reserve(w, 8);
		size_t room = JSONWRT_BUFSIZE - w->len, n = 0;
		size_t lim = (size_t)(end - p) < room ? (size_t)(end - p) : room;
		while (n < lim && plain_byte(p[n])) {
			o[n] = (char)p[n];
			n++;
		}
		w->len += n;
		p += n;
		if (p == end || n == room)
			continue;
		if (*p < 0x80) {
			put_escape(w, *p++);
			continue;
		}
		int r = utf8_sequence(p, (size_t)(end - p));
		if (r > 0) {
			put_bytes(w, p, (size_t)r);
			p += r;
		} else {
			put_bytes(w, "\xef\xbf\xbd", 3);	/* U+FFFD */
			p += -r;
		}
	}
	put(w, '"');
}

/* A key at most this long that needs no escaping (the program's own names) is
 * copied whole once checked; others go through put_string(). */
enum { KEY_SHORT = 64 };

/* The length of key when it is at most KEY_SHORT bytes and needs no escaping, else
 * SIZE_MAX. */
static inline size_t plain_key_len(const char *key)
{
	size_t n = 0;

	while (n < KEY_SHORT && plain_byte((unsigned char)key[n]))	/* NUL is not plain */
		n++;
	return key[n] ? SIZE_MAX : n;
}

/* The quoted key.  A short plain key is copied as it is checked (one pass); any
 * other goes through put_string(), over what the pass left unclaimed. */
static void put_key(struct jsonwrt *w, const char *key)
{
	char *o = reserve(w, KEY_SHORT + 2);
	size_t n = 0;

	while (n < KEY_SHORT && plain_byte((unsigned char)key[n])) {	/* NUL is not plain */
		o[n + 1] = key[n];
		n++;
	}
	if (key[n]) {
		put_string(w, key, strlen(key));
		return;
	}
	o[0] = '"';
	o[n + 1] = '"';
	w->len += n + 2;
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

/* Everything that goes before a value: the comma after the previous member, the
 * newline and indent, and the key inside an object. */
static void begin_value(struct jsonwrt *w, const char *key)
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
	if (st & JSONWRT_HAS_MEMBER)
		put(w, ',');
	else
		w->state[d] = st | JSONWRT_HAS_MEMBER;
	if (w->pretty)
		put_newline_indent(w, d);
	if (st & JSONWRT_IN_ARRAY)
		return;
	put_key(w, key ? key : "");
	if (w->pretty)
		put_bytes(w, ": ", 2);
	else
		put(w, ':');
}

static void open_container(struct jsonwrt *w, const char *key, bool array)
{
	begin_value(w, key);
	if (w->depth + 1 >= JSONWRT_MAX_DEPTH)
		abort();
	w->depth++;
	w->state[w->depth] = array ? JSONWRT_IN_ARRAY : 0;
	put(w, array ? '[' : '{');
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

/* v in decimal at o (room for 20 bytes); returns the length.  The digits are
 * counted first, then written from the last. */
static inline size_t decimal(char *o, uint64_t v)
{
	char d[20], *p = d + sizeof(d);

	if (v < 10) {
		/* most figures of a small VMA are 0 */
		*o = (char)('0' + v);
		return 1;
	}
	/* the digits from the last, one division each, then copied in order */
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	size_t n = (size_t)(d + sizeof(d) - p);
	memcpy(o, p, n);
	return n;
}

static inline void put_decimal(struct jsonwrt *w, uint64_t v)
{
	w->len += decimal(reserve(w, 20), v);
}

/* ------------------------------------------------------------------ API */

void jsonwrt_init(struct jsonwrt *w, FILE *out, bool pretty)
{
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

void jsonwrt_str(struct jsonwrt *w, const char *key, const char *s)
{
	jsonwrt_strn(w, key, s, s ? strlen(s) : 0);
}

void jsonwrt_strn(struct jsonwrt *w, const char *key, const char *s, size_t len)
{
	begin_value(w, key);
	if (s)
		put_string(w, s, len);
	else
		put_bytes(w, "null", 4);
}

void jsonwrt_u64(struct jsonwrt *w, const char *key, uint64_t v)
{
	begin_value(w, key);
	put_decimal(w, v);
}

void jsonwrt_i64(struct jsonwrt *w, const char *key, int64_t v)
{
	begin_value(w, key);
	if (v < 0) {
		put(w, '-');
		/* The magnitude in unsigned arithmetic: also right for INT64_MIN. */
		put_decimal(w, -(uint64_t)v);
	} else {
		put_decimal(w, (uint64_t)v);
	}
}

void jsonwrt_hex(struct jsonwrt *w, const char *key, uint64_t v)
{
	begin_value(w, key);
	char *o = reserve(w, 1 + 24);	/* a quote, then room for fmt_hex_n() */
	size_t n = fmt_hex_n(o + 1, v);	/* "0x...", whose NUL the closing quote replaces */

	o[0] = '"';
	o[n + 1] = '"';
	w->len += n + 2;
}

void jsonwrt_bool(struct jsonwrt *w, const char *key, bool v)
{
	begin_value(w, key);
	if (v)
		put_bytes(w, "true", 4);
	else
		put_bytes(w, "false", 5);
}

void jsonwrt_null(struct jsonwrt *w, const char *key)
{
	begin_value(w, key);
	put_bytes(w, "null", 4);
}

void jsonwrt_hexbytes(struct jsonwrt *w, const char *key, const void *p, size_t len)
{
	const unsigned char *b = p;

	begin_value(w, key);
	put(w, '"');
	for (size_t i = 0; i < len; i++) {
		char *o = reserve(w, 2);
		o[0] = hexdigits[b[i] >> 4];
		o[1] = hexdigits[b[i] & 0xf];
		w->len += 2;
	}
	put(w, '"');
}

int jsonwrt_keys_init(struct jsonwrt_keys *k, const char *const *keys, size_t n)
{
	if (n > JSONWRT_KEYS_MAX) {
		errno = EINVAL;
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		size_t len = plain_key_len(keys[i]);
		if (len > JSONWRT_KEY_HEAD - 4) {	/* SIZE_MAX: not plain */
			errno = EINVAL;
			return -1;
		}
		k->key[i] = keys[i];
		memset(k->head[i], 0, JSONWRT_KEY_HEAD);
		k->head[i][0] = ',';
		k->head[i][1] = '"';
		memcpy(k->head[i] + 2, keys[i], len);
		k->head[i][len + 2] = '"';
		k->head[i][len + 3] = ':';
		k->len[i] = (unsigned char)(len + 4);
	}
	k->n = n;
	return 0;
}

void jsonwrt_keys_u64(struct jsonwrt *w, const struct jsonwrt_keys *keys, const uint64_t *v)
{
	int d = w->depth;

	if (keys->n == 0)
		return;
	if (d == 0 || w->pretty || (w->state[d] & JSONWRT_IN_ARRAY)) {
		for (size_t i = 0; i < keys->n; i++)
			jsonwrt_u64(w, keys->key[i], v[i]);
		return;
	}
	/* ,"KEY":NUMBER for each, without the comma for the first member.  Each head
	 * is copied whole (a fixed size, padding included: the next bytes overwrite
	 * the padding) and the output advanced by its length. */
	char *o = reserve(w, JSONWRT_KEYS_MAX * (JSONWRT_KEY_HEAD + 20)), *start = o;
	size_t i = 0;
	if (!(w->state[d] & JSONWRT_HAS_MEMBER)) {
		memcpy(o, keys->head[0] + 1, JSONWRT_KEY_HEAD - 1);
		o += keys->len[0] - 1;
		o += decimal(o, v[0]);
		i = 1;
	}
	w->state[d] |= JSONWRT_HAS_MEMBER;
	for (; i < keys->n; i++) {
		memcpy(o, keys->head[i], JSONWRT_KEY_HEAD);
		o += keys->len[i];
		o += decimal(o, v[i]);
	}
	w->len += (size_t)(o - start);
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

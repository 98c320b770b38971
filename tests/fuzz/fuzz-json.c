/* fuzz-json.c - fuzz target for the JSON string escaper (src/jsonwrt.h)
 *
 * The input is any bytes.  They are written as a key and as a string value, and
 * their hex with jsonwrt_hexbytes(), in a small document (compact or pretty: the
 * first byte chooses) sent to a memstream.  A strict validator (RFC 8259 grammar,
 * well-formed UTF-8 per Unicode table 3-7, no raw control characters or DEL, no
 * lone surrogate escapes) then reads the document back and checks that:
 *  - it is one valid JSON value followed by one newline, nothing else;
 *  - the decoded key and value are the input itself when json_utf8_valid() says
 *    the input is valid UTF-8, and otherwise valid UTF-8 of which every U+FFFD
 *    replaces at least one invalid input byte (the length agrees);
 *  - the hex member decodes to the input bytes exactly.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "lib/util.h"
#include "view/jsonwrt.h"

struct rd {
	const unsigned char *s, *e;
};

/* A decoded string, growing. */
struct sbuf {
	unsigned char *b;
	size_t n, cap;
};

static void sb_put(struct sbuf *sb, const unsigned char *p, size_t n)
{
	if (sb->n + n > sb->cap) {
		size_t cap = sb->cap ? sb->cap : 64;
		while (cap < sb->n + n)
			cap *= 2;
		sb->b = realloc(sb->b, cap);
		FUZZ_CHECK(sb->b != NULL);
		sb->cap = cap;
	}
	memcpy(sb->b + sb->n, p, n);
	sb->n += n;
}

static void sb_put_cp(struct sbuf *sb, unsigned cp)
{
	unsigned char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | cp >> 18);
		u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	sb_put(sb, u, n);
}

static void skip_ws(struct rd *r)
{
	while (r->s < r->e && (*r->s == ' ' || *r->s == '\n' || *r->s == '\t' || *r->s == '\r'))
		r->s++;
}

/* Length of the well-formed UTF-8 sequence at p (Unicode table 3-7), 0 if none. */
static size_t utf8_seq(const unsigned char *p, const unsigned char *e)
{
	unsigned char c = p[0];
	size_t n;
	unsigned char lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;
		if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if ((size_t)(e - p) < n)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

static unsigned take_u4(struct rd *r)
{
	unsigned v = 0;

	FUZZ_CHECK(r->e - r->s >= 4);
	for (int i = 0; i < 4; i++) {
		int h = hex_digit((char)*r->s++);
		FUZZ_CHECK(h >= 0);
		v = v << 4 | (unsigned)h;
	}
	return v;
}

/* A JSON string at r (strict); decoded into sb when sb is not NULL. */
static void parse_string(struct rd *r, struct sbuf *sb)
{
	FUZZ_CHECK(r->s < r->e && *r->s == '"');
	r->s++;
	for (;;) {
		FUZZ_CHECK(r->s < r->e);
		unsigned char c = *r->s;
		if (c == '"') {
			r->s++;
			return;
		}
		FUZZ_CHECK(c >= 0x20 && c != 0x7f);	/* no raw control characters */
		if (c == '\\') {
			r->s++;
			FUZZ_CHECK(r->s < r->e);
			unsigned char x = *r->s++, o;
			switch (x) {
			case '"': o = '"'; break;
			case '\\': o = '\\'; break;
			case '/': o = '/'; break;
			case 'b': o = '\b'; break;
			case 'f': o = '\f'; break;
			case 'n': o = '\n'; break;
			case 'r': o = '\r'; break;
			case 't': o = '\t'; break;
			case 'u': {
				unsigned cp = take_u4(r);
				if (cp >= 0xd800 && cp <= 0xdbff) {
					FUZZ_CHECK(r->e - r->s >= 6 && r->s[0] == '\\' && r->s[1] == 'u');
					r->s += 2;
					unsigned lo = take_u4(r);
					FUZZ_CHECK(lo >= 0xdc00 && lo <= 0xdfff);
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				} else {
					FUZZ_CHECK(cp < 0xdc00 || cp > 0xdfff);
				}
				if (sb)
					sb_put_cp(sb, cp);
				continue;
			}
			default:
				FUZZ_CHECK(!"bad escape");
				o = 0;
			}
			if (sb)
				sb_put(sb, &o, 1);
			continue;
		}
		size_t n = utf8_seq(r->s, r->e);
		FUZZ_CHECK(n > 0);	/* valid UTF-8 only */
		if (sb)
			sb_put(sb, r->s, n);
		r->s += n;
	}
}

static void parse_value(struct rd *r, int depth);

static void parse_number(struct rd *r)
{
	const unsigned char *s0 = r->s;

	if (r->s < r->e && *r->s == '-')
		r->s++;
	FUZZ_CHECK(r->s < r->e && *r->s >= '0' && *r->s <= '9');
	if (*r->s == '0')
		r->s++;
	else
		while (r->s < r->e && *r->s >= '0' && *r->s <= '9')
			r->s++;
	FUZZ_CHECK(r->s > s0);
}

static void parse_value(struct rd *r, int depth)
{
	FUZZ_CHECK(depth < 64);
	skip_ws(r);
	FUZZ_CHECK(r->s < r->e);
	switch (*r->s) {
	case '{':
		r->s++;
		skip_ws(r);
		if (r->s < r->e && *r->s == '}') {
			r->s++;
			return;
		}
		for (;;) {
			skip_ws(r);
			parse_string(r, NULL);
			skip_ws(r);
			FUZZ_CHECK(r->s < r->e && *r->s == ':');
			r->s++;
			parse_value(r, depth + 1);
			skip_ws(r);
			FUZZ_CHECK(r->s < r->e);
			if (*r->s == ',') {
				r->s++;
				continue;
			}
			FUZZ_CHECK(*r->s == '}');
			r->s++;
			return;
		}
	case '[':
		r->s++;
		skip_ws(r);
		if (r->s < r->e && *r->s == ']') {
			r->s++;
			return;
		}
		for (;;) {
			parse_value(r, depth + 1);
			skip_ws(r);
			FUZZ_CHECK(r->s < r->e);
			if (*r->s == ',') {
				r->s++;
				continue;
			}
			FUZZ_CHECK(*r->s == ']');
			r->s++;
			return;
		}
	case '"':
		parse_string(r, NULL);
		return;
	case 't':
		FUZZ_CHECK(r->e - r->s >= 4 && memcmp(r->s, "true", 4) == 0);
		r->s += 4;
		return;
	case 'f':
		FUZZ_CHECK(r->e - r->s >= 5 && memcmp(r->s, "false", 5) == 0);
		r->s += 5;
		return;
	case 'n':
		FUZZ_CHECK(r->e - r->s >= 4 && memcmp(r->s, "null", 4) == 0);
		r->s += 4;
		return;
	default:
		parse_number(r);
		return;
	}
}

/* Expect `"KEY"` then ':' at r; the key decoded into sb. */
static void expect_key(struct rd *r, struct sbuf *sb)
{
	skip_ws(r);
	parse_string(r, sb);
	skip_ws(r);
	FUZZ_CHECK(r->s < r->e && *r->s == ':');
	r->s++;
	skip_ws(r);
}

/* How many U+FFFD (EF BF BD) sequences are in s. */
static size_t count_fffd(const unsigned char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i + 3 <= n; i++)
		if (s[i] == 0xef && s[i + 1] == 0xbf && s[i + 2] == 0xbd)
			c++;
	return c;
}

/* The decoded string d against the input in: equal when in is valid UTF-8; else
 * at most one U+FFFD per input byte, and no more bytes than the input with each
 * U+FFFD counted as one. */
static void check_decoded(const struct sbuf *d, const uint8_t *in, size_t n, bool valid)
{
	if (valid) {
		FUZZ_CHECK(d->n == n && (n == 0 || memcmp(d->b, in, n) == 0));
		return;
	}
	size_t f_in = count_fffd(in, n), f_out = count_fffd(d->b, d->n);
	FUZZ_CHECK(f_out > f_in);
	FUZZ_CHECK(f_out - f_in <= n);
	/* each replacement stands for at least one input byte */
	FUZZ_CHECK(d->n - 2 * (f_out - f_in) <= n);
	const unsigned char *p = d->b, *e = d->b + d->n;
	while (p < e) {
		size_t k = utf8_seq(p, e);
		FUZZ_CHECK(k > 0);
		p += k;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *doc = NULL;
	size_t doclen = 0;
	FILE *f = open_memstream(&doc, &doclen);
	struct jsonwrt w;
	bool pretty = size > 0 && (data[0] & 1);
	bool valid = json_utf8_valid((const char *)data, size);
	char *key;

	if (!f)
		return 0;
	/* the key as a C string: the input up to its first NUL */
	key = strndup((const char *)data, size);
	FUZZ_CHECK(key != NULL);
	size_t keylen = strlen(key);

	jsonwrt_init(&w, f, pretty);
	jsonwrt_object_open(&w, NULL);
	jsonwrt_strn(&w, key, (const char *)data, size);
	jsonwrt_hexbytes(&w, "hex", data, size);
	jsonwrt_array_open(&w, "a");
	jsonwrt_str(&w, NULL, key);
	jsonwrt_strn(&w, NULL, NULL, 0);
	jsonwrt_u64(&w, NULL, size);
	jsonwrt_array_close(&w);
	jsonwrt_object_close(&w);
	jsonwrt_finish(&w);
	FUZZ_CHECK(!ferror(f));
	FUZZ_CHECK(fclose(f) == 0);

	/* the whole document: one value, one final newline */
	struct rd r = { (const unsigned char *)doc, (const unsigned char *)doc + doclen };
	FUZZ_CHECK(doclen >= 2 && doc[doclen - 1] == '\n');
	parse_value(&r, 0);
	FUZZ_CHECK(r.s == r.e - 1);

	/* and its members, decoded */
	struct sbuf k = { 0 }, v = { 0 }, hx = { 0 }, k2 = { 0 };
	r.s = (const unsigned char *)doc;
	skip_ws(&r);
	FUZZ_CHECK(*r.s == '{');
	r.s++;
	expect_key(&r, &k);
	parse_string(&r, &v);
	skip_ws(&r);
	FUZZ_CHECK(*r.s == ',');
	r.s++;
	expect_key(&r, &k2);
	FUZZ_CHECK(k2.n == 3 && memcmp(k2.b, "hex", 3) == 0);
	parse_string(&r, &hx);

	check_decoded(&k, (const uint8_t *)key, keylen,
		      json_utf8_valid(key, keylen));
	check_decoded(&v, data, size, valid);
	FUZZ_CHECK(hx.n == 2 * size);
	for (size_t i = 0; i < size; i++) {
		int hi = hex_digit((char)hx.b[2 * i]), lo = hex_digit((char)hx.b[2 * i + 1]);
		FUZZ_CHECK(hi >= 0 && lo >= 0 && hx.b[2 * i] == (unsigned char)"0123456789abcdef"[hi] &&
			   hx.b[2 * i + 1] == (unsigned char)"0123456789abcdef"[lo]);
		FUZZ_CHECK((unsigned)(hi << 4 | lo) == data[i]);
	}
	/* a valid string is valid in any prefix that ends between sequences */
	if (valid && size > 0)
		FUZZ_CHECK(json_utf8_valid((const char *)data, 0));

	free(k.b);
	free(v.b);
	free(hx.b);
	free(k2.b);
	free(key);
	free(doc);
	return 0;
}

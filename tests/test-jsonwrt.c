/* test-jsonwrt.c - the streaming JSON writer (src/jsonwrt.c)
 *
 * Three kinds of checks:
 *  - exact output bytes of small documents, compact and pretty;
 *  - json_utf8_valid() against a reference decoder written differently (by code point),
 *    over every sequence of one to three bytes and a large sample of four-byte ones;
 *  - a document full of tricky strings (every byte value, overlongs, surrogates,
 *    truncated sequences, U+10FFFF and beyond, NUL, control characters, random bytes),
 *    written to a file that must be valid UTF-8, then parsed by jq ($JQ; skipped when
 *    empty) and its strings compared code point by code point.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "view/jsonwrt.h"
#include "tap.h"
#include "lib/util.h"

#define S(lit) lit, sizeof(lit) - 1	/* a literal and its length, NULs included */

/* ------------------------------------------------------------ helpers */

/* A memory stream to write a document into. */
struct membuf {
	FILE *f;
	char *data;
	size_t len;
};

static void mem_open(struct membuf *m)
{
	m->data = NULL;
	m->len = 0;
	m->f = open_memstream(&m->data, &m->len);
	if (!m->f) {
		perror("open_memstream");
		exit(1);
	}
}

/* Close the stream; m->data then holds m->len bytes (and a NUL after them). */
static void mem_close(struct membuf *m)
{
	if (fclose(m->f) != 0) {
		perror("fclose");
		exit(1);
	}
}

static void print_escaped(const char *what, const char *s, size_t len)
{
	char line[512];
	size_t n = 0;

	for (size_t i = 0; i < len && n < sizeof line - 8; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			line[n++] = (char)c;
		else
			n += (size_t)snprintf(line + n, sizeof line - n, "\\x%02x", c);
	}
	line[n] = 0;
	tap_diag("%s: %s", what, line);
}

/* Compare len bytes of got with the literal expected; print both when they differ. */
static int check_bytes(const char *got, size_t len, const char *want, size_t wantlen,
		       const char *what)
{
	int ok = len == wantlen && memcmp(got, want, len) == 0;

	tap_ok(ok, "%s", what);
	if (!ok) {
		print_escaped("got ", got, len);
		print_escaped("want", want, wantlen);
	}
	return ok;
}

/* The bytes one string value produces as a top-level value, quotes included. */
static void render_strn(struct membuf *m, const char *s, size_t len)
{
	struct jsonwrt w;

	mem_open(m);
	jsonwrt_init(&w, m->f, false);
	jsonwrt_strn(&w, NULL, s, len);
	jsonwrt_flush(&w);
	mem_close(m);
}

static void check_string(const char *in, size_t inlen, const char *want, size_t wantlen,
			 const char *what)
{
	struct membuf m;

	render_strn(&m, in, inlen);
	check_bytes(m.data, m.len, want, wantlen, what);
	free(m.data);
}

/* ------------------------------------------------------------ exact output */

static void write_sample(struct jsonwrt *w)
{
	jsonwrt_object_open(w, NULL);
	jsonwrt_u64(w, "u", UINT64_MAX);
	jsonwrt_i64(w, "i", INT64_MIN);
	jsonwrt_i64(w, "j", INT64_MAX);
	jsonwrt_i64(w, "z", 0);
	jsonwrt_hex(w, "h", 0x1f00);
	jsonwrt_hex(w, "h0", 0);
	jsonwrt_hex(w, "hmax", UINT64_MAX);
	jsonwrt_str(w, "s", "x\"y\\z\n");
	jsonwrt_str(w, "n", NULL);
	jsonwrt_hexbytes(w, "b", "/tmp", 4);
	jsonwrt_hexbytes(w, "b0", "", 0);
	jsonwrt_array_open(w, "a");
	jsonwrt_bool(w, NULL, true);
	jsonwrt_bool(w, "ignored in an array", false);
	jsonwrt_null(w, NULL);
	jsonwrt_object_open(w, NULL);
	jsonwrt_object_close(w);
	jsonwrt_array_open(w, NULL);
	jsonwrt_array_close(w);
	jsonwrt_array_open(w, NULL);
	jsonwrt_u64(w, NULL, 7);
	jsonwrt_array_close(w);
	jsonwrt_array_close(w);
	jsonwrt_object_open(w, "o");
	jsonwrt_u64(w, NULL, 1);	/* NULL key inside an object: "" */
	jsonwrt_object_close(w);
	jsonwrt_object_close(w);
	jsonwrt_finish(w);
}

static void test_exact(void)
{
	struct membuf m;
	struct jsonwrt w;

	mem_open(&m);
	jsonwrt_init(&w, m.f, false);
	write_sample(&w);
	mem_close(&m);
	check_bytes(m.data, m.len, S(
		"{\"u\":18446744073709551615,\"i\":-9223372036854775808,"
		"\"j\":9223372036854775807,\"z\":0,"
		"\"h\":\"0x1f00\",\"h0\":\"0x0\",\"hmax\":\"0xffffffffffffffff\","
		"\"s\":\"x\\\"y\\\\z\\n\",\"n\":null,\"b\":\"2f746d70\",\"b0\":\"\","
		"\"a\":[true,false,null,{},[],[7]],\"o\":{\"\":1}}\n"),
		"compact document, exact bytes");
	free(m.data);

	mem_open(&m);
	jsonwrt_init(&w, m.f, true);
	write_sample(&w);
	mem_close(&m);
	check_bytes(m.data, m.len, S(
		"{\n"
		"  \"u\": 18446744073709551615,\n"
		"  \"i\": -9223372036854775808,\n"
		"  \"j\": 9223372036854775807,\n"
		"  \"z\": 0,\n"
		"  \"h\": \"0x1f00\",\n"
		"  \"h0\": \"0x0\",\n"
		"  \"hmax\": \"0xffffffffffffffff\",\n"
		"  \"s\": \"x\\\"y\\\\z\\n\",\n"
		"  \"n\": null,\n"
		"  \"b\": \"2f746d70\",\n"
		"  \"b0\": \"\",\n"
		"  \"a\": [\n"
		"    true,\n"
		"    false,\n"
		"    null,\n"
		"    {},\n"
		"    [],\n"
		"    [\n"
		"      7\n"
		"    ]\n"
		"  ],\n"
		"  \"o\": {\n"
		"    \"\": 1\n"
		"  }\n"
		"}\n"),
		"pretty document, exact bytes");
	free(m.data);

	/* Top-level scalars; the key is ignored at the top level. */
	mem_open(&m);
	jsonwrt_init(&w, m.f, true);
	jsonwrt_u64(&w, "key", 0);
	jsonwrt_finish(&w);
	mem_close(&m);
	check_bytes(m.data, m.len, S("0\n"), "top-level number, key ignored");
	free(m.data);

	/* Two top-level values: a newline between them, keys left out. */
	mem_open(&m);
	jsonwrt_init(&w, m.f, false);
	jsonwrt_u64(&w, "top", 1);
	jsonwrt_str(&w, "top", "x");
	jsonwrt_finish(&w);
	mem_close(&m);
	check_bytes(m.data, m.len, S("1\n\"x\"\n"), "top level: two values, keys left out");
	free(m.data);

	mem_open(&m);
	jsonwrt_init(&w, m.f, false);
	jsonwrt_i64(&w, NULL, -1);
	jsonwrt_finish(&w);
	mem_close(&m);
	check_bytes(m.data, m.len, S("-1\n"), "top-level -1");
	free(m.data);

	/* Keys are escaped like values. */
	mem_open(&m);
	jsonwrt_init(&w, m.f, false);
	jsonwrt_object_open(&w, NULL);
	jsonwrt_u64(&w, "k\"\n\xff", 1);
	jsonwrt_object_close(&w);
	jsonwrt_flush(&w);
	mem_close(&m);
	check_bytes(m.data, m.len, S("{\"k\\\"\\n\xef\xbf\xbd\":1}"), "keys are escaped");
	free(m.data);

	/* Deep nesting up to the limit. */
	mem_open(&m);
	jsonwrt_init(&w, m.f, false);
	for (int i = 0; i < JSONWRT_MAX_DEPTH - 1; i++)
		jsonwrt_array_open(&w, NULL);
	for (int i = 0; i < JSONWRT_MAX_DEPTH - 1; i++)
		jsonwrt_array_close(&w);
	jsonwrt_flush(&w);
	mem_close(&m);
	{
		bool ok = m.len == 2 * (size_t)(JSONWRT_MAX_DEPTH - 1);
		for (size_t i = 0; ok && i < m.len; i++)
			ok = m.data[i] == (i < m.len / 2 ? '[' : ']');
		tap_ok(ok, "%d nested arrays", JSONWRT_MAX_DEPTH - 1);
	}
	free(m.data);

	/* Integers at every change of digit count or bit length, against printf. */
	{
		unsigned long bad = 0, tried = 0;
		uint64_t p10 = 1;
		for (int k = 0; k < 64 + 20; k++) {
			uint64_t base = k < 64 ? UINT64_C(1) << k : p10;
			if (k >= 64) {
				if (k > 64) {
					if (p10 > UINT64_MAX / 10)
						break;
					p10 *= 10;
					base = p10;
				}
			}
			for (int delta = -1; delta <= 1; delta++) {
				uint64_t v = base + (uint64_t)(int64_t)delta;
				char want[128];
				int wl;
				mem_open(&m);
				jsonwrt_init(&w, m.f, false);
				jsonwrt_array_open(&w, NULL);
				jsonwrt_u64(&w, NULL, v);
				jsonwrt_i64(&w, NULL, (int64_t)v);
				jsonwrt_hex(&w, NULL, v);
				jsonwrt_array_close(&w);
				jsonwrt_flush(&w);
				mem_close(&m);
				wl = snprintf(want, sizeof want, "[%" PRIu64 ",%" PRId64 ",\"0x%" PRIx64 "\"]",
					      v, (int64_t)v, v);
				tried++;
				if (m.len != (size_t)wl || memcmp(m.data, want, m.len) != 0) {
					if (bad++ < 5)
						print_escaped("differs", m.data, m.len);
				}
				free(m.data);
			}
		}
		tap_ok(bad == 0, "u64, i64 and hex agree with printf on %lu values", tried);
	}

	/* Escapes. */
	check_string(S(""), S("\"\""), "empty string");
	check_string(S("\""), S("\"\\\"\""), "quote");
	check_string(S("\\"), S("\"\\\\\""), "backslash");
	check_string(S("/"), S("\"/\""), "slash is not escaped");
	check_string(S("\n\t\r\b\f"), S("\"\\n\\t\\r\\b\\f\""), "short escapes");
	check_string(S("\0"), S("\"\\u0000\""), "NUL as \\u0000");
	check_string(S("a\0b"), S("\"a\\u0000b\""), "NUL inside a string");
	check_string(S("\x01\x1f\x7f\x0b"), S("\"\\u0001\\u001f\\u007f\\u000b\""),
		     "other control characters as \\u00XX, lower-case");
	check_string(S("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf"),
		     S("\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\""),
		     "valid 2-, 3- and 4-byte sequences pass through");
	check_string(S("\xff"), S("\"\xef\xbf\xbd\""), "0xff becomes U+FFFD");
	check_string(S("\xc0\xaf"), S("\"\xef\xbf\xbd\xef\xbf\xbd\""),
		     "overlong 2-byte form: one U+FFFD per byte");
	check_string(S("\xed\xa0\x80"), S("\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""),
		     "surrogate D800: three U+FFFD");
	check_string(S("\xe2\x82"), S("\"\xef\xbf\xbd\""),
		     "truncated 3-byte sequence at the end: one U+FFFD");
	check_string(S("\xf0\x9f\x98" "A"), S("\"\xef\xbf\xbd" "A\""),
		     "truncated 4-byte sequence before ASCII: one U+FFFD");
	check_string(S("a\xf1\x80\x80\xe1\x80\xc2" "b\x80" "c\x80\xbf" "d"),
		     S("\"a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "b\xef\xbf\xbd"
		       "c\xef\xbf\xbd\xef\xbf\xbd" "d\""),
		     "the Unicode Standard's maximal-subpart example");
	check_string(S("\xf4\x90\x80\x80"),
		     S("\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""),
		     "above U+10FFFF: four U+FFFD");
	check_string(S("x\xe2\x82\xac\xff\n\xe2\x82\xac"),
		     S("\"x\xe2\x82\xac\xef\xbf\xbd\\n\xe2\x82\xac\""),
		     "runs around a replacement and an escape");

	/* jsonwrt_str stops at the NUL; NULL is null. */
	mem_open(&m);
	jsonwrt_init(&w, m.f, false);
	jsonwrt_array_open(&w, NULL);
	jsonwrt_str(&w, NULL, "ab\0cd");
	jsonwrt_str(&w, NULL, NULL);
	jsonwrt_strn(&w, NULL, NULL, 5);
	jsonwrt_array_close(&w);
	jsonwrt_flush(&w);
	mem_close(&m);
	check_bytes(m.data, m.len, S("[\"ab\",null,null]"), "str stops at NUL; NULL is null");
	free(m.data);
}

/* jsonwrt_keys_u64() writes what jsonwrt_u64() writes one member at a time: in an
 * object as its first members and after another, in an array, at the top level,
 * compact and pretty, and across many fillings of the buffer. */
static void write_keys(struct jsonwrt *w, const struct jsonwrt_keys *ks, const uint64_t *v,
		       bool one_by_one)
{
	if (one_by_one)
		for (size_t i = 0; i < ks->n; i++)
			jsonwrt_u64(w, ks->key[i], v[i]);
	else
		jsonwrt_keys_u64(w, ks, v);
}

static void keys_document(struct jsonwrt *w, const struct jsonwrt_keys *ks, const uint64_t *v,
			  bool one_by_one)
{
	jsonwrt_object_open(w, NULL);
	jsonwrt_object_open(w, "first");
	write_keys(w, ks, v, one_by_one);
	jsonwrt_object_close(w);
	jsonwrt_u64(w, "before", 1);
	write_keys(w, ks, v, one_by_one);
	jsonwrt_array_open(w, "array");
	write_keys(w, ks, v, one_by_one);
	for (int i = 0; i < 2000; i++) {
		jsonwrt_object_open(w, NULL);
		write_keys(w, ks, v, one_by_one);
		jsonwrt_object_close(w);
	}
	jsonwrt_array_close(w);
	jsonwrt_object_close(w);
	write_keys(w, ks, v, one_by_one);	/* top level: values, one per line */
	jsonwrt_finish(w);
}

static void test_keys(void)
{
	static const char *const names[] = { "a", "bb", "Shared_Clean", "Private_Hugetlb", "" };
	static const uint64_t v[] = { 0, 9, 1024, UINT64_MAX, 12345678901 };
	struct jsonwrt_keys ks;
	struct jsonwrt w;

	tap_ok(jsonwrt_keys_init(&ks, names, 5) == 0 && ks.n == 5 && ks.len[3] == 19 &&
	       memcmp(ks.head[3], ",\"Private_Hugetlb\":", 19) == 0,
	       "jsonwrt_keys_init(): five keys, the head of each ,\"KEY\":");
	for (int pretty = 0; pretty < 2; pretty++) {
		struct membuf a, b;

		mem_open(&a);
		jsonwrt_init(&w, a.f, pretty);
		keys_document(&w, &ks, v, true);
		mem_close(&a);
		mem_open(&b);
		jsonwrt_init(&w, b.f, pretty);
		keys_document(&w, &ks, v, false);
		mem_close(&b);
		tap_ok(a.len == b.len && a.len > 100000 && memcmp(a.data, b.data, a.len) == 0,
		       "%s: jsonwrt_keys_u64() writes the bytes of jsonwrt_u64() (%zu and %zu)",
		       pretty ? "pretty" : "compact", a.len, b.len);
		free(a.data);
		free(b.data);
	}

	static const char *const quote[] = { "ok", "q\"uote" };
	static const char *const control[] = { "tab\t" };
	static const char *const utf8[] = { "caf\xc3\xa9" };
	char longer[30], longest[29];
	memset(longer, 'k', 29);
	longer[29] = '\0';
	memset(longest, 'k', 28);
	longest[28] = '\0';
	const char *const too_long[] = { longer }, *const long_ok[] = { longest };
	errno = 0;
	tap_ok(jsonwrt_keys_init(&ks, quote, 2) == -1 && errno == EINVAL &&
	       jsonwrt_keys_init(&ks, control, 1) == -1 && jsonwrt_keys_init(&ks, utf8, 1) == -1 &&
	       jsonwrt_keys_init(&ks, too_long, 1) == -1 &&
	       jsonwrt_keys_init(&ks, names, JSONWRT_KEYS_MAX + 1) == -1,
	       "jsonwrt_keys_init(): a key to escape, one of 29 bytes, too many keys: EINVAL");
	tap_ok(jsonwrt_keys_init(&ks, long_ok, 1) == 0 && ks.len[0] == 32,
	       "jsonwrt_keys_init(): a key of 28 bytes fits its head");
}

/* ------------------------------------------------------------ json_utf8_valid */

/* Reference: decode one sequence by code point.  Returns its length when it is
 * well-formed, 0 when not. */
static size_t ref_decode(const unsigned char *p, size_t n)
{
	static const uint32_t min_cp[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	else if ((p[0] & 0xe0) == 0xc0)
		len = 2, cp = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		len = 3, cp = p[0] & 0x0f;
	else if ((p[0] & 0xf8) == 0xf0)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min_cp[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static bool ref_valid(const unsigned char *p, size_t n)
{
	while (n) {
		size_t k = ref_decode(p, n);
		if (!k)
			return false;
		p += k;
		n -= k;
	}
	return true;
}

static void test_utf8_valid(void)
{
	unsigned char b[4];
	unsigned long bad = 0, tried = 0;

	tap_ok(json_utf8_valid("", 0), "empty string is valid");
	tap_ok(json_utf8_valid(S("a\0b")), "NUL is valid UTF-8");
	tap_ok(json_utf8_valid(S("\xf4\x8f\xbf\xbf")), "U+10FFFF is valid");
	tap_ok(!json_utf8_valid(S("\xf4\x90\x80\x80")), "U+110000 is not");
	tap_ok(!json_utf8_valid(S("\xed\xa0\x80")), "surrogate U+D800 is not");
	tap_ok(!json_utf8_valid(S("\xed\xbf\xbf")), "surrogate U+DFFF is not");
	tap_ok(json_utf8_valid(S("\xed\x9f\xbf\xee\x80\x80")), "U+D7FF and U+E000 are");
	tap_ok(!json_utf8_valid(S("\xc0\x80")), "overlong NUL is not");
	tap_ok(!json_utf8_valid(S("\xe0\x9f\xbf")), "overlong 3-byte U+07FF is not");
	tap_ok(!json_utf8_valid(S("\xf0\x8f\xbf\xbf")), "overlong 4-byte U+FFFF is not");
	tap_ok(!json_utf8_valid(S("\xe2\x82")), "truncated sequence is not");
	tap_ok(!json_utf8_valid(S("ok\x80")), "lone continuation byte is not");
	tap_ok(json_utf8_valid(S("\xc2\x80\xe0\xa0\x80\xf0\x90\x80\x80")),
	       "smallest 2-, 3- and 4-byte forms are");

	/* Every sequence of one to three bytes. */
	for (unsigned i = 0; i < 256; i++) {
		b[0] = (unsigned char)i;
		tried++;
		if (json_utf8_valid((char *)b, 1) != ref_valid(b, 1))
			bad++;
		for (unsigned j = 0; j < 256; j++) {
			b[1] = (unsigned char)j;
			tried++;
			if (json_utf8_valid((char *)b, 2) != ref_valid(b, 2))
				bad++;
			for (unsigned k = 0; k < 256; k++) {
				b[2] = (unsigned char)k;
				tried++;
				if (json_utf8_valid((char *)b, 3) != ref_valid(b, 3))
					bad++;
			}
		}
	}
	/* Four bytes: every lead from 0xe0 and every second byte, with the last two
	 * bytes at the edges of the continuation range and just outside it. */
	static const unsigned char edge[] = { 0x00, 0x41, 0x7f, 0x80, 0x81, 0xbf, 0xc0, 0xff };
	for (unsigned i = 0xe0; i < 256; i++)
		for (unsigned j = 0; j < 256; j++)
			for (size_t k = 0; k < sizeof edge; k++)
				for (size_t l = 0; l < sizeof edge; l++) {
					b[0] = (unsigned char)i;
					b[1] = (unsigned char)j;
					b[2] = edge[k];
					b[3] = edge[l];
					tried++;
					if (json_utf8_valid((char *)b, 4) != ref_valid(b, 4))
						bad++;
				}
	tap_ok(bad == 0, "json_utf8_valid agrees with a reference decoder on %lu strings "
	       "(%lu disagree)", tried, bad);

	/* The writer changes a string exactly when it is not valid UTF-8 (two-byte
	 * strings without ASCII, which need no escaping). */
	bad = 0;
	for (unsigned i = 0x80; i < 256; i++)
		for (unsigned j = 0x80; j < 256; j++) {
			struct membuf m;
			char s[2] = { (char)i, (char)j };
			render_strn(&m, s, 2);
			bool same = m.len == 4 && memcmp(m.data + 1, s, 2) == 0;
			if (same != json_utf8_valid(s, 2))
				bad++;
			free(m.data);
		}
	tap_ok(bad == 0, "strings are copied unchanged exactly when valid (%lu differ)", bad);
}

/* ------------------------------------------------------------ jq round trip */

struct str_case {
	const char *in;
	size_t len;
	const char *codepoints;	/* what jq's explode gives, space-separated */
	const char *what;
};

#define F "65533"
static const struct str_case cases[] = {
	{ S(""), "", "empty" },
	{ S("hello"), "104 101 108 108 111", "ASCII" },
	{ S("a\"b\\c\nd"), "97 34 98 92 99 10 100", "quote, backslash, newline" },
	{ S("a\0b"), "97 0 98", "NUL inside" },
	{ S("\x01\x1f\x7f\t\r\b\f"), "1 31 127 9 13 8 12", "control characters" },
	{ S("\xc2\x80"), "128", "U+0080" },
	{ S("\xc3\xa9"), "233", "2-byte e-acute" },
	{ S("\xe0\xa0\x80"), "2048", "U+0800" },
	{ S("\xe2\x82\xac"), "8364", "3-byte euro sign" },
	{ S("\xed\x9f\xbf"), "55295", "U+D7FF" },
	{ S("\xee\x80\x80"), "57344", "U+E000" },
	{ S("\xef\xbb\xbf"), "65279", "BOM" },
	{ S("\xef\xbf\xbd"), "65533", "U+FFFD itself" },
	{ S("\xef\xbf\xbf"), "65535", "U+FFFF" },
	{ S("\xf0\x90\x80\x80"), "65536", "U+10000" },
	{ S("\xf0\x9f\x98\x80"), "128512", "4-byte emoji" },
	{ S("\xf4\x8f\xbf\xbf"), "1114111", "U+10FFFF" },
	{ S("\xf4\x90\x80\x80"), F " " F " " F " " F, "U+110000" },
	{ S("\xf5\x80\x80\x80"), F " " F " " F " " F, "lead F5" },
	{ S("\xf8\x88\x80\x80\x80"), F " " F " " F " " F " " F, "5-byte form" },
	{ S("\xc0\xaf"), F " " F, "overlong 2-byte slash" },
	{ S("\xc1\xbf"), F " " F, "overlong 2-byte U+007F" },
	{ S("\xc0\x80"), F " " F, "overlong NUL" },
	{ S("\xe0\x80\xaf"), F " " F " " F, "overlong 3-byte slash" },
	{ S("\xf0\x80\x80\xaf"), F " " F " " F " " F, "overlong 4-byte slash" },
	{ S("\xed\xa0\x80"), F " " F " " F, "surrogate U+D800" },
	{ S("\xed\xbf\xbf"), F " " F " " F, "surrogate U+DFFF" },
	{ S("\xed\xa0\xbd\xed\xb8\x80"), F " " F " " F " " F " " F " " F,
	  "surrogate pair in CESU-8" },
	{ S("\xe2\x82"), F, "truncated 3-byte at the end" },
	{ S("\xf0\x9f\x98"), F, "truncated 4-byte at the end" },
	{ S("\xf0\x9f\x98" "A"), F " 65", "truncated 4-byte before ASCII" },
	{ S("\xc3"), F, "lone lead at the end" },
	{ S("\xc3" "A"), F " 65", "lead before ASCII" },
	{ S("\x80"), F, "lone continuation" },
	{ S("\xbf\xbf"), F " " F, "two continuations" },
	{ S("\xfe\xff"), F " " F, "FE FF" },
	{ S("a\xf1\x80\x80\xe1\x80\xc2" "b\x80" "c\x80\xbf" "d"),
	  "97 " F " " F " " F " 98 " F " 99 " F " " F " 100", "maximal-subpart example" },
	{ S("/tmp/x\n(deleted)\xff"), "47 116 109 112 47 120 10 40 100 101 108 101 116 101 100 41 " F,
	  "a path with a newline and a bad byte" },
};
#undef F

#define N_FUZZ 500

/* xorshift64: a fixed sequence, so a failure can be reproduced. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Random bytes shaped like UTF-8 often enough to reach every branch. */
static size_t fuzz_string(unsigned char *buf, size_t max)
{
	static const unsigned char pick[] = {
		0x00, 0x0a, 0x1f, '"', '\\', 'a', 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0,
		0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xee, 0xef, 0xf0, 0xf1,
		0xf4, 0xf5, 0xfe, 0xff,
	};
	size_t n = rng() % max;

	for (size_t i = 0; i < n; i++) {
		uint64_t r = rng();
		buf[i] = r & 1 ? pick[(r >> 1) % sizeof pick] : (unsigned char)(r >> 8);
	}
	return n;
}

static void write_document(FILE *f, bool pretty)
{
	struct jsonwrt w;
	unsigned char buf[64];

	jsonwrt_init(&w, f, pretty);
	jsonwrt_object_open(&w, NULL);
	jsonwrt_u64(&w, "schema", 1);

	jsonwrt_array_open(&w, "bytes");
	for (unsigned i = 0; i < 256; i++) {
		char c = (char)i;
		jsonwrt_strn(&w, NULL, &c, 1);
	}
	jsonwrt_array_close(&w);

	jsonwrt_array_open(&w, "cases");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		jsonwrt_strn(&w, NULL, cases[i].in, cases[i].len);
	jsonwrt_array_close(&w);

	jsonwrt_object_open(&w, "keys");
	jsonwrt_u64(&w, "plain", 1);
	jsonwrt_u64(&w, "q\"b\\n\nt\t", 2);
	jsonwrt_u64(&w, "bad\xff\xc0", 3);
	jsonwrt_u64(&w, "", 4);
	jsonwrt_object_close(&w);

	jsonwrt_object_open(&w, "nums");
	jsonwrt_u64(&w, "u64max", UINT64_MAX);
	jsonwrt_i64(&w, "i64min", INT64_MIN);
	jsonwrt_i64(&w, "i64max", INT64_MAX);
	jsonwrt_u64(&w, "zero", 0);
	jsonwrt_i64(&w, "minus1", -1);
	jsonwrt_u64(&w, "small", 4096);
	jsonwrt_object_close(&w);

	jsonwrt_object_open(&w, "hex");
	jsonwrt_hex(&w, "zero", 0);
	jsonwrt_hex(&w, "addr", 0x7ffd315e2000);
	jsonwrt_hex(&w, "max", UINT64_MAX);
	jsonwrt_hexbytes(&w, "bytes", "\x00\xff/a", 4);
	jsonwrt_object_close(&w);

	/* [[[]],{},[{"a":[1,{"b":null}]}],true,false,null] */
	jsonwrt_array_open(&w, "nested");
	jsonwrt_array_open(&w, NULL);
	jsonwrt_array_open(&w, NULL);
	jsonwrt_array_close(&w);
	jsonwrt_array_close(&w);
	jsonwrt_object_open(&w, NULL);
	jsonwrt_object_close(&w);
	jsonwrt_array_open(&w, NULL);
	jsonwrt_object_open(&w, NULL);
	jsonwrt_array_open(&w, "a");
	jsonwrt_u64(&w, NULL, 1);
	jsonwrt_object_open(&w, NULL);
	jsonwrt_null(&w, "b");
	jsonwrt_object_close(&w);
	jsonwrt_array_close(&w);
	jsonwrt_object_close(&w);
	jsonwrt_array_close(&w);
	jsonwrt_bool(&w, NULL, true);
	jsonwrt_bool(&w, NULL, false);
	jsonwrt_null(&w, NULL);
	jsonwrt_array_close(&w);

	rng_state = 0x9e3779b97f4a7c15u;
	jsonwrt_array_open(&w, "fuzz");
	for (int i = 0; i < N_FUZZ; i++) {
		size_t n = fuzz_string(buf, sizeof buf);
		if (i % 2)
			jsonwrt_strn(&w, NULL, (char *)buf, n);
		else	/* as a key too */
		{
			buf[n] = 0;
			jsonwrt_object_open(&w, NULL);
			jsonwrt_strn(&w, (char *)buf, (char *)buf, n);
			jsonwrt_object_close(&w);
		}
	}
	jsonwrt_array_close(&w);

	jsonwrt_object_close(&w);
	jsonwrt_finish(&w);
}

/* Write the document into a new temporary file; its name goes into path. */
static int write_file(char *path, size_t size, bool pretty)
{
	const char *dir = getenv("TMPDIR");
	static char vbuf[1 << 16];

	snprintf(path, size, "%s/test-jsonwrt.XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		tap_diag("mkstemp %s: %s", path, strerror(errno));
		return -1;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -1;
	}
	setvbuf(f, vbuf, _IOFBF, sizeof vbuf);
	write_document(f, pretty);
	if (ferror(f) | fclose(f)) {
		tap_diag("writing %s failed", path);
		return -1;
	}
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *data = NULL;
	size_t cap = 0, n = 0, r;

	if (!f)
		return NULL;
	do {
		if (n == cap) {
			cap = cap ? 2 * cap : 65536;
			char *d = realloc(data, cap + 1);
			if (!d) {
				free(data);
				fclose(f);
				return NULL;
			}
			data = d;
		}
		r = fread(data + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	data[n] = 0;
	*len = n;
	return data;
}

/* Run argv (execvp: $JQ may be a bare command name) with stdin from /dev/null.  When
 * out is not NULL, its stdout is collected into a malloc'd *out (NUL-terminated) and
 * *outlen; else it goes to /dev/null.  Returns the exit status, or -1. */
static int run(char *const argv[], char **out, size_t *outlen)
{
	int pfd[2];
	pid_t pid;
	int status;

	if (pipe(pfd) < 0)
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null >= 0)
			dup2(null, 0);
		dup2(out ? pfd[1] : null, 1);
		close(pfd[0]);
		close(pfd[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	char *data = NULL;
	size_t cap = 0, n = 0;
	for (;;) {
		if (n + 4096 > cap) {
			cap = cap ? 2 * cap : 65536;
			char *d = realloc(data, cap + 1);
			if (!d)
				break;
			data = d;
		}
		ssize_t r = read(pfd[0], data + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			free(data);
			return -1;
		}
	if (out) {
		if (data)
			data[n] = 0;
		*out = data;
		*outlen = n;
	} else {
		free(data);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* jq -r FILTER path: the output lines, compared with want (one line each). */
static void jq_lines(const char *jq, const char *path, const char *filter,
		     const char *const *want, size_t nwant, const char *what)
{
	char *argv[] = { (char *)jq, (char *)"-r", (char *)filter, (char *)path, NULL };
	char *out = NULL;
	size_t len = 0, bad = 0, i = 0;
	int rc = run(argv, &out, &len);

	if (rc != 0 || !out) {
		tap_ok(0, "%s (jq exit status %d)", what, rc);
		free(out);
		return;
	}
	char *p = out, *end = out + len;
	for (i = 0; p < end; i++) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		*nl = 0;
		if (i >= nwant || strcmp(p, want[i]) != 0) {
			if (bad++ < 5)
				tap_diag("line %zu: got \"%s\", want \"%s\"", i + 1, p,
					 i < nwant ? want[i] : "(nothing)");
		}
		p = nl + 1;
	}
	if (i != nwant)
		tap_diag("%zu lines, want %zu", i, nwant);
	tap_ok(bad == 0 && i == nwant, "%s", what);
	free(out);
}

static void jq_value(const char *jq, const char *path, const char *filter,
		     const char *want, const char *what)
{
	const char *w[] = { want };
	jq_lines(jq, path, filter, w, 1, what);
}

/* Checks that need no jq: the file is valid UTF-8, has no raw control characters
 * (newlines only in pretty output) and holds the 64-bit integers as text. */
static void check_file_text(const char *path, bool pretty)
{
	const char *mode = pretty ? "pretty" : "compact";
	size_t len = 0;
	char *text = slurp(path, &len);

	if (!text) {
		tap_ok(0, "%s: read the document back", mode);
		return;
	}
	tap_ok(json_utf8_valid(text, len), "%s: the document is valid UTF-8", mode);
	size_t ctl = 0, nl = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '\n')
			nl++;
		else if (c < 0x20 || c == 0x7f)
			ctl++;
	}
	tap_ok(ctl == 0 && (pretty ? nl > 1000 : nl == 1),
	       "%s: no raw control characters (%zu), %zu newlines", mode, ctl, nl);
	const char *sep = pretty ? ": " : ":";
	char want[128];
	snprintf(want, sizeof want, "\"u64max\"%s18446744073709551615", sep);
	tap_ok(strstr(text, want) != NULL, "%s: u64 max written as %s", mode, want);
	snprintf(want, sizeof want, "\"i64min\"%s-9223372036854775808", sep);
	tap_ok(strstr(text, want) != NULL, "%s: i64 min written as %s", mode, want);
	free(text);
}

static void test_jq(void)
{
	const char *jq = getenv("JQ");
	char path[2][4096];
	bool have[2] = { false, false };

	for (int pretty = 0; pretty < 2; pretty++) {
		have[pretty] = write_file(path[pretty], sizeof path[pretty], pretty) == 0;
		tap_ok(have[pretty], "write the %s document", pretty ? "pretty" : "compact");
		if (have[pretty])
			check_file_text(path[pretty], pretty);
	}

	if (!jq || !*jq) {
		tap_ok(1, "jq checks # SKIP JQ is not set");
		goto out;
	}

	for (int pretty = 0; pretty < 2; pretty++) {
		if (!have[pretty])
			continue;
		const char *p = path[pretty];
		const char *mode = pretty ? "pretty" : "compact";
		char *argv[] = { (char *)jq, (char *)"-e", (char *)".", (char *)p, NULL };
		char what[256];

		tap_ok(run(argv, NULL, NULL) == 0, "%s: jq -e . parses the document", mode);

		/* Every single byte: ASCII comes back as itself, the rest as U+FFFD. */
		static char bytes_want[256][16];
		const char *bw[256];
		for (int i = 0; i < 256; i++) {
			snprintf(bytes_want[i], sizeof bytes_want[i], "%d", i < 0x80 ? i : 0xfffd);
			bw[i] = bytes_want[i];
		}
		snprintf(what, sizeof what, "%s: each of the 256 byte values round-trips", mode);
		jq_lines(jq, p, ".bytes[] | explode | map(tostring) | join(\" \")", bw, 256, what);

		/* The tricky strings, code point by code point. */
		enum { NC = sizeof cases / sizeof cases[0] };
		const char *cw[NC];
		for (size_t i = 0; i < NC; i++)
			cw[i] = cases[i].codepoints;
		snprintf(what, sizeof what, "%s: %d tricky strings decode as expected", mode, (int)NC);
		jq_lines(jq, p, ".cases[] | explode | map(tostring) | join(\" \")", cw, NC, what);

		static const char *const keys_want[] = {
			"112 108 97 105 110",
			"113 34 98 92 110 10 116 9",
			"98 97 100 65533 65533",
			"",
		};
		snprintf(what, sizeof what, "%s: keys round-trip", mode);
		jq_lines(jq, p, ".keys | keys_unsorted[] | explode | map(tostring) | join(\" \")",
			 keys_want, 4, what);

		snprintf(what, sizeof what, "%s: small numbers", mode);
		jq_value(jq, p, "[.nums.zero, .nums.minus1, .nums.small, .schema] | map(tostring) | join(\" \")",
			 "0 -1 4096 1", what);
		snprintf(what, sizeof what, "%s: u64 max is a number to jq", mode);
		jq_value(jq, p, ".nums.u64max | type", "number", what);
		snprintf(what, sizeof what, "%s: hex strings", mode);
		jq_value(jq, p, "[.hex.zero, .hex.addr, .hex.max, .hex.bytes] | join(\" \")",
			 "0x0 0x7ffd315e2000 0xffffffffffffffff 00ff2f61", what);
		snprintf(what, sizeof what, "%s: nested containers", mode);
		jq_value(jq, p, ".nested | tojson",
			 "[[[]],{},[{\"a\":[1,{\"b\":null}]}],true,false,null]", what);
		snprintf(what, sizeof what, "%s: %d random strings, half as keys", mode, N_FUZZ);
		jq_value(jq, p, ".fuzz | length", "500", what);
	}

	/* The two layouts hold the same document. */
	if (have[0] && have[1]) {
		char *a0[] = { (char *)jq, (char *)"-cS", (char *)".", path[0], NULL };
		char *a1[] = { (char *)jq, (char *)"-cS", (char *)".", path[1], NULL };
		char *o0 = NULL, *o1 = NULL;
		size_t l0 = 0, l1 = 0;
		int r0 = run(a0, &o0, &l0), r1 = run(a1, &o1, &l1);
		tap_ok(r0 == 0 && r1 == 0 && o0 && o1 && l0 == l1 && memcmp(o0, o1, l0) == 0,
		       "pretty and compact documents parse to the same value");
		free(o0);
		free(o1);
	}
out:
	for (int i = 0; i < 2; i++)
		if (have[i])
			unlink(path[i]);
}

int main(void)
{
	test_exact();
	test_keys();
	test_utf8_valid();
	test_jq();
	return tap_done();
}

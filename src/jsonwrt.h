/* jsonwrt.h - a streaming JSON writer onto a stdio stream
 *
 * The writer prints each value as soon as it is given: no document is built in
 * memory, so a document of any size costs the same few KiB of state.  It is meant for
 * the --json view of a process with tens of thousands of VMAs, so numbers and strings
 * are formatted by hand (no printf) into the writer's own buffer (JSONWRT_BUFSIZE
 * bytes, inside struct jsonwrt), which goes to the stream with the unlocked stdio calls
 * each time it fills, and at jsonwrt_flush() and jsonwrt_finish().  Until then the
 * stream has not seen the latest values: do not write to the stream directly between
 * jsonwrt calls without jsonwrt_flush() first.  The stream is never fflush()ed or
 * closed by the writer.
 *
 * Shape of a document:
 *
 *	struct jsonwrt w;
 *	jsonwrt_init(&w, stdout, pretty);
 *	jsonwrt_object_open(&w, NULL);			{
 *	jsonwrt_u64(&w, "schema", 1);			  "schema": 1,
 *	jsonwrt_array_open(&w, "vmas");			  "vmas": [
 *	jsonwrt_object_open(&w, NULL);			    {
 *	jsonwrt_hex(&w, "start", 0x1000);		      "start": "0x1000"
 *	jsonwrt_object_close(&w);			    }
 *	jsonwrt_array_close(&w);			  ]
 *	jsonwrt_object_close(&w);			}
 *	jsonwrt_finish(&w);				(final newline)
 *
 * Keys: every function that writes a value takes the member's key.  Inside an object
 * the key is written (a NULL key is written as ""); inside an array and at the top
 * level the key is ignored (pass NULL).  Keys and string values go through the same
 * escaper, so any bytes are safe in either.
 *
 * Strings: the output is always valid JSON and valid UTF-8, whatever bytes come in.
 * '"' and '\' are escaped; the control characters U+0000..U+001F and U+007F are written
 * as \n \t \r \b \f or \u00XX (lower-case hex); valid UTF-8 sequences of two to four
 * bytes are copied as they are; each invalid sequence is replaced by U+FFFD, one
 * replacement per maximal subpart of an ill-formed sequence (the Unicode Standard's
 * recommended practice, chapter 3, "U+FFFD Substitution of Maximal Subparts").  Use
 * json_utf8_valid() to know beforehand whether a string will be changed (the JSON
 * document then gives the exact bytes separately, with jsonwrt_hexbytes()).
 *
 * Errors: the writer does not check each write.  A failed write sets the stream's
 * error indicator; the caller checks ferror() (or closes the stream and checks that)
 * after jsonwrt_finish().
 *
 * Pretty output is indented by two spaces per level, one member per line, with a space
 * after each ':'; empty containers print as {} and [].  Compact output has no
 * whitespace at all.  Both end with jsonwrt_finish()'s newline.
 */
#ifndef VMLAYOUT_JSONWRT_H
#define VMLAYOUT_JSONWRT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Deepest nesting of objects and arrays.  Opening a container deeper than this is a
 * programming error: the writer calls abort(). */
#define JSONWRT_MAX_DEPTH 128

enum { JSONWRT_HAS_MEMBER = 1, JSONWRT_IN_ARRAY = 2 };

/* Bytes the writer gathers before each write to the stream. */
#define JSONWRT_BUFSIZE 8192

struct jsonwrt {
	FILE *out;
	size_t len;		/* bytes waiting in buf */
	int depth;		/* containers open: 0 at top level */
	bool pretty;
	/* state[d] describes the container at depth d (state[0]: the top level, where
	 * one value is expected): JSONWRT_HAS_MEMBER, it already holds a member (a comma
	 * goes before the next one); JSONWRT_IN_ARRAY, it is an array, not an object. */
	unsigned char state[JSONWRT_MAX_DEPTH];
	char buf[JSONWRT_BUFSIZE];
};

/* Start a document on out (not closed or flushed by the writer).  pretty: indented
 * output, else compact. */
void jsonwrt_init(struct jsonwrt *w, FILE *out, bool pretty);

/* Open an object or array as the member key (see "Keys" above) / close the innermost
 * open one.  Closing with nothing open, or closing an array with object_close (and the
 * converse), is a programming error: the writer calls abort(). */
void jsonwrt_object_open(struct jsonwrt *w, const char *key);
void jsonwrt_object_close(struct jsonwrt *w);
void jsonwrt_array_open(struct jsonwrt *w, const char *key);
void jsonwrt_array_close(struct jsonwrt *w);

/* A string from a NUL-terminated s; s NULL writes null. */
void jsonwrt_str(struct jsonwrt *w, const char *key, const char *s);
/* A string from len bytes at s, any bytes including NUL (written as \u0000); s NULL
 * writes null. */
void jsonwrt_strn(struct jsonwrt *w, const char *key, const char *s, size_t len);

/* Integers, in decimal: 18446744073709551615, -9223372036854775808.  (Readers that
 * keep numbers as doubles, jq 1.6 for one, round values above 2^53.) */
void jsonwrt_u64(struct jsonwrt *w, const char *key, uint64_t v);
void jsonwrt_i64(struct jsonwrt *w, const char *key, int64_t v);

/* A string of len bytes that needs no escaping, written as it is: printable ASCII
 * without '"' or '\\' (the names of the program's own tables, never a path), at
 * most JSONWRT_BUFSIZE - 2 bytes. */
void jsonwrt_plain(struct jsonwrt *w, const char *key, const char *s, size_t len);

/* A string holding v in lower-case hex with "0x", no padding: "0x0", "0x7ffd315e2000".
 * The form the JSON document uses for addresses, which doubles would round. */
void jsonwrt_hex(struct jsonwrt *w, const char *key, uint64_t v);

void jsonwrt_bool(struct jsonwrt *w, const char *key, bool v);
void jsonwrt_null(struct jsonwrt *w, const char *key);

/* A string holding len bytes at p as lower-case hex digits, two per byte, no prefix:
 * "/tmp" gives "2f746d70"; len 0 gives "". */
void jsonwrt_hexbytes(struct jsonwrt *w, const char *key, const void *p, size_t len);

/* The same writers for keys known when the program is built, for the loops that
 * write a member per VMA: the key is quoted by the compiler, so it is neither
 * measured nor checked when written.  KEY must be a string literal of printable
 * ASCII without '"' or '\\' (the one thing the writer does not check here), at
 * most 28 bytes (a longer one does not compile).
 *
 *	jsonwrt_u64_k(&w, "rss", 4096);		"rss": 4096
 *
 * The _q functions behind them take the key as a row: JSONWRT_ROW bytes holding
 * ,"KEY": and zeros, which the writer copies whole, and the length of ,"KEY":;
 * JSONWRT_QUOTED(KEY) gives both. */
#define JSONWRT_ROW 32
#define JSONWRT_QUOTED(key)								\
	(__extension__({									\
		static const char jsonwrt_row_[JSONWRT_ROW] = ",\"" key "\":";		\
		jsonwrt_row_;								\
	})), (sizeof(key) + 3)
#define jsonwrt_object_open_k(w, key) jsonwrt_object_open_q((w), JSONWRT_QUOTED(key))
#define jsonwrt_array_open_k(w, key) jsonwrt_array_open_q((w), JSONWRT_QUOTED(key))
#define jsonwrt_str_k(w, key, s) jsonwrt_str_q((w), JSONWRT_QUOTED(key), (s))
#define jsonwrt_strn_k(w, key, s, len) jsonwrt_strn_q((w), JSONWRT_QUOTED(key), (s), (len))
#define jsonwrt_u64_k(w, key, v) jsonwrt_u64_q((w), JSONWRT_QUOTED(key), (v))
#define jsonwrt_i64_k(w, key, v) jsonwrt_i64_q((w), JSONWRT_QUOTED(key), (v))
#define jsonwrt_hex_k(w, key, v) jsonwrt_hex_q((w), JSONWRT_QUOTED(key), (v))
#define jsonwrt_bool_k(w, key, v) jsonwrt_bool_q((w), JSONWRT_QUOTED(key), (v))
#define jsonwrt_null_k(w, key) jsonwrt_null_q((w), JSONWRT_QUOTED(key))
#define jsonwrt_plain_k(w, key, s, len) jsonwrt_plain_q((w), JSONWRT_QUOTED(key), (s), (len))
void jsonwrt_object_open_q(struct jsonwrt *w, const char *q, size_t qlen);
void jsonwrt_array_open_q(struct jsonwrt *w, const char *q, size_t qlen);
void jsonwrt_str_q(struct jsonwrt *w, const char *q, size_t qlen, const char *s);
void jsonwrt_strn_q(struct jsonwrt *w, const char *q, size_t qlen, const char *s, size_t len);
void jsonwrt_u64_q(struct jsonwrt *w, const char *q, size_t qlen, uint64_t v);
void jsonwrt_i64_q(struct jsonwrt *w, const char *q, size_t qlen, int64_t v);
void jsonwrt_hex_q(struct jsonwrt *w, const char *q, size_t qlen, uint64_t v);
void jsonwrt_bool_q(struct jsonwrt *w, const char *q, size_t qlen, bool v);
void jsonwrt_null_q(struct jsonwrt *w, const char *q, size_t qlen);
void jsonwrt_plain_q(struct jsonwrt *w, const char *q, size_t qlen, const char *s, size_t len);
/* The keys of an object of numbers written again and again (the smaps figures of
 * each VMA), prepared once: each quoted in a row of its own, copied whole. */
#define JSONWRT_KEYSET_MAX 64
struct jsonwrt_keyset {
	size_t n;
	struct {
		char q[JSONWRT_ROW];	/* ,"KEY": and zeros, as JSONWRT_QUOTED() */
		unsigned char len;	/* bytes of q used */
	} key[JSONWRT_KEYSET_MAX];
};

/* Prepare n keys (printable ASCII without '"' or '\\', at most 28 bytes each, n at
 * most JSONWRT_KEYSET_MAX).  Returns 0, or -1 with errno EINVAL. */
int jsonwrt_keyset_init(struct jsonwrt_keyset *ks, const char *const *keys, size_t n);

/* The members ks->key[i]: v[i] for each i, as jsonwrt_u64() would write them one by
 * one. */
void jsonwrt_u64_keyset(struct jsonwrt *w, const struct jsonwrt_keyset *ks, const uint64_t *v);
/* The same members as text at o (see jsonwrt_raw_begin()), the first without a
 * comma: at most JSONWRT_KEYSET_TEXT(ks) bytes.  Returns the end. */
#define JSONWRT_KEYSET_TEXT(ks) ((ks)->n * (JSONWRT_ROW + 20))
char *jsonwrt_put_keyset(char *o, const struct jsonwrt_keyset *ks, const uint64_t *v);

/* Hand every byte written so far to the stream (fwrite, not fflush).  Only needed to
 * interleave other output or to show a partial document; jsonwrt_finish() does it. */
void jsonwrt_flush(struct jsonwrt *w);

/* End the document: write the final newline and hand everything to the stream (as
 * jsonwrt_flush()).  Containers still open are a programming error: the writer calls
 * abort(). */
void jsonwrt_finish(struct jsonwrt *w);

/* Members written by the caller as JSON text, for the object per VMA that the --json
 * view writes tens of thousands of times: nothing is measured, quoted or looked up
 * per member.  Compact writers only.
 *
 *	char *o = jsonwrt_raw_begin(&w, 64);
 *	o = JSONWRT_PUT(o, "\"start\":");		"start":"0x1000",
 *	o = jsonwrt_put_hex(o, 0x1000);		"rss":4096
 *	o = JSONWRT_PUT(o, ",\"rss\":");
 *	o = jsonwrt_put_u64(o, 4096);
 *	jsonwrt_raw_end(&w, o);
 *
 * jsonwrt_raw_begin() returns room for n bytes (n at most JSONWRT_RAW_MAX) in the
 * innermost open container, after the comma when the container already holds
 * something, and counts what comes as its member.  The caller writes there one or
 * more members of the object ("KEY":VALUE, separated by commas) or elements of the
 * array: valid JSON, any container it opens closed again, at most n bytes; then
 * hands the end of what it wrote to jsonwrt_raw_end().  No other call on the writer
 * may come between the two.  On a pretty writer, or with no container open, it is
 * a programming error: the writer calls abort(). */
#define JSONWRT_RAW_MAX (JSONWRT_BUFSIZE / 2)
char *jsonwrt_raw_begin(struct jsonwrt *w, size_t n);
void jsonwrt_raw_end(struct jsonwrt *w, const char *end);
/* Writers into that room; each returns the end of what it wrote.  LIT must be a
 * string literal (o is evaluated twice). */
#define JSONWRT_PUT(o, lit) (memcpy((o), "" lit, sizeof(lit) - 1), (o) + sizeof(lit) - 1)
char *jsonwrt_put_u64(char *o, uint64_t v);	/* decimal, at most 20 bytes */
char *jsonwrt_put_hex(char *o, uint64_t v);	/* "0x..." with its quotes, at most 20 bytes */
/* Whether len bytes at s can go between quotes as they are: printable ASCII without
 * '"' or '\\' (such bytes are also valid UTF-8). */
bool json_plain(const char *s, size_t len);

/* Whether len bytes at s are well-formed UTF-8 (Unicode Table 3-7): no overlong forms,
 * no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequence.  NUL
 * and the other ASCII bytes are valid.  Exactly the strings the writer copies without
 * replacing anything (it still escapes control characters, quotes and backslashes). */
bool json_utf8_valid(const char *s, size_t len);

#endif

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
 * escaper, so any bytes are safe in either.  For the members written for every VMA,
 * jsonwrt_keys_u64() takes keys checked once (struct jsonwrt_keys).
 *
 * Strings: the output is always valid JSON and valid UTF-8, whatever bytes come in.
 * '"' and '\' are escaped; the control characters U+0000..U+001F and U+007F are written
 * as \n \t \r \b \f or \u00XX (lower-case hex); valid UTF-8 sequences of two to four
 * bytes are copied as they are; each invalid sequence is replaced by U+FFFD, one
 * replacement per maximal subpart of an ill-formed sequence (the Unicode Standard's
 * recommended practice, chapter 3, "U+FFFD Substitution of Maximal Subparts").  Use
 * json_utf8_valid() (util.h) to know beforehand whether a string will be changed
 * (the JSON document then gives the exact bytes separately, with jsonwrt_hexbytes()).
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

/* A string holding v in lower-case hex with "0x", no padding: "0x0", "0x7ffd315e2000".
 * The form the JSON document uses for addresses, which doubles would round. */
void jsonwrt_hex(struct jsonwrt *w, const char *key, uint64_t v);

/* true or false; null. */
void jsonwrt_bool(struct jsonwrt *w, const char *key, bool v);
void jsonwrt_null(struct jsonwrt *w, const char *key);

/* A string holding len bytes at p as lower-case hex digits, two per byte, no prefix:
 * "/tmp" gives "2f746d70"; len 0 gives "". */
void jsonwrt_hexbytes(struct jsonwrt *w, const char *key, const void *p, size_t len);

/* Keys checked once, for the numbers written again and again: the smaps figures of
 * each VMA, 25 of them tens of thousands of times in a document.  Through
 * jsonwrt_keys_u64() each key costs a copy instead of a check of each of its bytes
 * and the members one trip through the writer's state: on a process of 60 000 VMAs,
 * --json takes 1.48 times as long as cat smaps instead of 1.62 (tests/test-jsonwrt.c
 * checks that the bytes are those of jsonwrt_u64() one member at a time). */
#define JSONWRT_KEYS_MAX 32
#define JSONWRT_KEY_HEAD 32	/* bytes of a member's head: ,"KEY": and padding */
struct jsonwrt_keys {
	size_t n;
	const char *key[JSONWRT_KEYS_MAX];	/* the caller's strings, kept */
	unsigned char len[JSONWRT_KEYS_MAX];	/* of head[i] */
	char head[JSONWRT_KEYS_MAX][JSONWRT_KEY_HEAD];	/* ,"KEY": each, then NULs */
};

/* Prepare the n keys at keys (kept: the strings must outlive k), each at most 28
 * bytes of printable ASCII other than '"' and '\\'.  Returns 0, or -1 with errno
 * EINVAL (n above JSONWRT_KEYS_MAX, or a key that is not so). */
int jsonwrt_keys_init(struct jsonwrt_keys *k, const char *const *keys, size_t n);

/* The members keys->key[i]: v[i] for each i, the bytes jsonwrt_u64() would write one
 * by one. */
void jsonwrt_keys_u64(struct jsonwrt *w, const struct jsonwrt_keys *keys, const uint64_t *v);

/* Hand every byte written so far to the stream (fwrite, not fflush).  Only needed to
 * interleave other output or to show a partial document; jsonwrt_finish() does it. */
void jsonwrt_flush(struct jsonwrt *w);

/* End the document: write the final newline and hand everything to the stream (as
 * jsonwrt_flush()).  Containers still open are a programming error: the writer calls
 * abort(). */
void jsonwrt_finish(struct jsonwrt *w);

#endif

/* test-util.c - the number formatting of the tables and the text view (util.h):
 * human sizes at the edges of their units and of the fast 64-bit path, exact sizes,
 * decimal and hex.  The expected human sizes are those of the 128-bit
 * implementation that the 64-bit path replaced. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "lib/util.h"

static const struct {
	uint64_t bytes;
	const char *human;
} sizes[] = {
	{ UINT64_C(0), "0" },
	{ UINT64_C(1), "1" },
	{ UINT64_C(1023), "1023" },
	{ UINT64_C(1024), "1K" },
	{ UINT64_C(1025), "1K" },
	{ UINT64_C(1075), "1K" },
	{ UINT64_C(1076), "1.1K" },
	{ UINT64_C(1126), "1.1K" },
	{ UINT64_C(1127), "1.1K" },
	{ UINT64_C(10188), "9.9K" },
	{ UINT64_C(10189), "10K" },
	{ UINT64_C(10240), "10K" },
	{ UINT64_C(10239), "10K" },
	{ UINT64_C(102400), "100K" },
	{ UINT64_C(1047552), "1023K" },
	{ UINT64_C(1048063), "1023K" },
	{ UINT64_C(1048064), "1024K" },
	{ UINT64_C(1048575), "1M" },
	{ UINT64_C(1048576), "1M" },
	{ UINT64_C(1572864), "1.5M" },
	{ UINT64_C(10485759), "10M" },
	{ UINT64_C(10485760), "10M" },
	{ UINT64_C(1073741823), "1G" },
	{ UINT64_C(1073741824), "1G" },
	{ UINT64_C(5368709120), "5G" },
	{ UINT64_C(1099511627775), "1T" },
	{ UINT64_C(1099511627776), "1T" },
	{ UINT64_C(1125899906842623), "1P" },
	{ UINT64_C(1125899906842624), "1P" },
	{ UINT64_C(576460752303423489), "512P" },
	{ UINT64_C(1152921504606846975), "1E" },
	{ UINT64_C(18446744073709551614), "16E" },
	{ UINT64_C(18446744073709551615), "16E" },
};

int main(void)
{
	char buf[32], want[32];
	int bad = 0;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = size_human_n(buf, sizeof(buf), sizes[i].bytes, false);
		tap_ok(strcmp(buf, sizes[i].human) == 0 && n == strlen(buf),
		       "size_human(%" PRIu64 ") = \"%s\" (got \"%s\")", sizes[i].bytes,
		       sizes[i].human, buf);
		size_human(buf, sizeof(buf), sizes[i].bytes, true);
		snprintf(want, sizeof(want), "%" PRIu64, sizes[i].bytes);
		bad += strcmp(buf, want) != 0;
	}
	tap_ok(bad == 0, "exact sizes are the decimal byte counts");

	size_human_n(buf, 3, 1572864, false);
	tap_ok(strcmp(buf, "1.") == 0, "a buffer too short: cut, NUL-terminated (\"%s\")", buf);
	tap_ok(size_human_n(buf, 0, 1572864, false) == 0, "a buffer of 0 bytes: nothing written");

	/* decimal and hex against printf, on both sides of every power of two */
	bad = 0;
	for (int bits = 0; bits <= 64; bits++) {
		uint64_t p = bits == 64 ? 0 : UINT64_C(1) << bits;	/* 2^64 wraps to 0 */
		uint64_t around[4] = { p - 1, p, p + 1, p * 0x5a5 + 0x3c };
		for (int k = 0; k < 4; k++) {
			uint64_t x = around[k];
			snprintf(want, sizeof(want), "%" PRIu64, x);
			bad += strcmp(fmt_u64(buf, x), want) != 0;
			snprintf(want, sizeof(want), "0x%" PRIx64, x);
			bad += strcmp(fmt_hex(buf, x), want) != 0;
			bad += fmt_hex_n(buf, x) != strlen(want) || strcmp(buf, want) != 0;
			bad += fmt_u64_n(buf, x) != strlen(buf);
		}
	}
	tap_ok(bad == 0, "fmt_u64() and fmt_hex() as printf around every power of two");
	return tap_done();
}

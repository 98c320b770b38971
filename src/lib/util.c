/* util.c - small helpers shared by the renderers (see util.h) */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "lib/util.h"

/* v in decimal at buf, NUL-terminated; returns the digit count. */
static size_t put_u64(char *buf, uint64_t v)
{
	char tmp[20], *p = tmp + sizeof(tmp);
	size_t n;

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	n = (size_t)(tmp + sizeof(tmp) - p);
	memcpy(buf, p, n);
	buf[n] = '\0';
	return n;
}

char *fmt_u64(char *buf, uint64_t v)
{
	put_u64(buf, v);
	return buf;
}

size_t fmt_u64_n(char *buf, uint64_t v)
{
	return put_u64(buf, v);
}

size_t fmt_hex_n(char *buf, uint64_t v)
{
	static const char pairs[513] =
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
		"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
		"606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
		"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
		"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
		"c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
		"e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
	/* one digit per started nibble, at least one; two at a time from the end */
	size_t n = v ? (size_t)(67 - __builtin_clzll(v)) / 4 : 1;
	char *p = buf + 2 + n;

	buf[0] = '0';
	buf[1] = 'x';
	*p = '\0';
	while (v >= 0x100) {
		p -= 2;
		memcpy(p, pairs + 2 * (v & 0xff), 2);
		v >>= 8;
	}
	if (v >= 0x10)
		memcpy(p - 2, pairs + 2 * v, 2);
	else
		p[-1] = pairs[2 * v + 1];
	return n + 2;
}

char *fmt_hex(char *buf, uint64_t v)
{
	fmt_hex_n(buf, v);
	return buf;
}

char *size_human(char *buf, size_t len, uint64_t bytes, bool exact)
{
	size_human_n(buf, len, bytes, exact);
	return buf;
}

size_t size_human_n(char *buf, size_t len, uint64_t bytes, bool exact)
{
	if (!exact && bytes >= 1024 && bytes < (UINT64_C(1) << 50) && len >= 8) {
		/* the common case in 64-bit arithmetic, straight into buf: below 1 PiB
		 * the unit is at most P (1023.95 TiB rounds to 1P), and bytes * 10
		 * does not overflow */
		static const char units[] = "KMGTP";
		unsigned shift = 10, u = 0;
		uint64_t b10 = bytes * 10, half = 512, tenths = (b10 + half) >> shift;
		while (tenths >= 10240) {
			shift += 10;
			half <<= 10;
			u++;
			tenths = (b10 + half) >> shift;
		}
		char *o = buf;
		if (tenths < 100 && tenths % 10) {
			*o++ = (char)('0' + tenths / 10);
			*o++ = '.';
			*o++ = (char)('0' + tenths % 10);
		} else {
			unsigned v = (unsigned)((bytes + half) >> shift);	/* at most 1024 */
			if (v >= 1000)
				*o++ = (char)('0' + v / 1000);
			if (v >= 100)
				*o++ = (char)('0' + v / 100 % 10);
			if (v >= 10)
				*o++ = (char)('0' + v / 10 % 10);
			*o++ = (char)('0' + v % 10);
		}
		*o++ = units[u];
		*o = '\0';
		return (size_t)(o - buf);
	}

	static const char units[] = "KMGTPE";
	char tmp[32];
	size_t n;

	if (exact || bytes < 1024) {
		n = put_u64(tmp, bytes);
	} else {
		/* the unit in which the value, rounded to tenths, is below 1024; the
		 * units are powers of two: a shift divides */
		int u = 0;
		unsigned shift = 10;
		unsigned __int128 b10 = (unsigned __int128)bytes * 10, half = 512;
		uint64_t tenths = (uint64_t)((b10 + half) >> shift);
		while (u < 5 && tenths >= 10240) {
			shift += 10;
			half <<= 10;
			u++;
			tenths = (uint64_t)((b10 + half) >> shift);
		}
		if (tenths < 100 && tenths % 10) {
			tmp[0] = (char)('0' + tenths / 10);
			tmp[1] = '.';
			tmp[2] = (char)('0' + tenths % 10);
			n = 3;
		} else {
			n = put_u64(tmp, (uint64_t)(((unsigned __int128)bytes + half) >> shift));
		}
		tmp[n++] = units[u];
		tmp[n] = '\0';
	}
	if (len == 0)
		return 0;
	if (n >= len)
		n = len - 1;
	memcpy(buf, tmp, n);
	buf[n] = '\0';
	return n;
}

char *size_words(char *buf, size_t len, uint64_t bytes)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	int u = 0;
	double v = (double)bytes;

	while (u < 6 && v >= 1024) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%" PRIu64 " bytes", bytes);
	else if (v < 10 && (uint64_t)(v * 10 + 0.5) % 10)
		snprintf(buf, len, "%.1f %s", v, units[u]);
	else
		snprintf(buf, len, "%.0f %s", v, units[u]);
	return buf;
}

int utf8_sequence(const unsigned char *p, size_t n)
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

/* Length of the valid UTF-8 character at s (n > 0 bytes available), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	if (s[0] < 0x80)
		return 1;
	int r = utf8_sequence(s, n);
	return r > 0 ? (size_t)r : 0;
}

char *text_fit_end(char *buf, size_t cap, const char *s, size_t width, bool ascii)
{
	size_t n = strlen(s), cols = 0;

	for (size_t i = 0; i < n; i++)
		cols += ((unsigned char)s[i] & 0xc0) != 0x80;	/* not a continuation byte */
	if (cols <= width) {
		snprintf(buf, cap, "%s", s);
		return buf;
	}
	const char *ell = ascii ? "..." : "\xe2\x80\xa6";
	size_t ell_w = ascii ? 3 : 1, keep = width > ell_w ? width - ell_w : 0, i = 0, c = 0;
	for (; i < n; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (c == keep)
				break;
			c++;
		}
	}
	snprintf(buf, cap, "%.*s%s", (int)i, s, ell);
	return buf;
}

char *name_printable(char *buf, size_t cap, const char *s, size_t len, size_t width,
		     bool ascii)
{
	/* Plain printable ASCII that fits: as it is. */
	size_t plain = 0;
	while (plain < len && (unsigned char)s[plain] >= 0x20 && (unsigned char)s[plain] < 0x7f)
		plain++;
	if (plain == len && len <= width && len < cap) {
		memcpy(buf, s, len);
		buf[len] = '\0';
		return buf;
	}

	/* First escape into a temporary, counting columns; then cut from the front. */
	char tmp[4096];
	size_t cols[4096 / 2];
	size_t t = 0, nc = 0;
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < len && t + 8 < sizeof(tmp) && nc < sizeof(cols) / sizeof(cols[0]);) {
		size_t l = utf8_len(u + i, len - i);
		cols[nc++] = t;
		if (l == 1 && u[i] >= 0x20 && u[i] != 0x7f) {
			tmp[t++] = (char)u[i];
		} else if (l > 1 && !ascii) {
			memcpy(tmp + t, u + i, l);
			t += l;
		} else if (u[i] == '\n') {
			memcpy(tmp + t, "\\n", 2), t += 2;
			l = 1;
		} else if (u[i] == '\t') {
			memcpy(tmp + t, "\\t", 2), t += 2;
			l = 1;
		} else {
			t += (size_t)snprintf(tmp + t, 5, "\\x%02x", u[i]);
			l = 1;
		}
		i += l;
	}
	/* columns: a multi-byte character counts one, an escape its length */
	size_t total = 0;
	for (size_t k = 0; k < nc; k++) {
		size_t end = k + 1 < nc ? cols[k + 1] : t;
		size_t w = (unsigned char)tmp[cols[k]] >= 0x80 ? 1 : end - cols[k];
		total += w;
	}
	size_t from = 0;
	const char *ell = ascii ? "..." : "\xe2\x80\xa6";
	size_t ell_w = ascii ? 3 : 1;
	bool cut = false;
	if (total > width && width > ell_w) {
		size_t k = 0;
		while (k < nc && total > width - ell_w) {
			size_t end = k + 1 < nc ? cols[k + 1] : t;
			size_t w = (unsigned char)tmp[cols[k]] >= 0x80 ? 1 : end - cols[k];
			total -= w;
			k++;
		}
		from = k < nc ? cols[k] : t;
		cut = true;
	}
	snprintf(buf, cap, "%s%.*s", cut ? ell : "", (int)(t - from), tmp + from);
	return buf;
}

const char *path_base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s && s[1] ? s + 1 : path;
}

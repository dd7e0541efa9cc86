// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Numbers and lines. Hand-written rather than strtoull(): it has to accept
 * 0b, reject signs and trailing junk, and it runs on every line of scripts
 * with thousands of accesses.
 */
#include <errno.h>
#include <string.h>

#include "devmemtool.h"

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/*
 * Decimal, 0x hex or 0b binary; '_' may separate digits (0b1010_0101).
 * -EINVAL for anything else, -ERANGE if it does not fit in 64 bits.
 */
int parse_u64(const char *s, uint64_t *val)
{
	unsigned int base = 10;
	uint64_t v = 0;
	bool any = false;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
		base = 2;
		s += 2;
	}
	for (; *s; s++) {
		unsigned int d;

		if (*s == '_' && any && s[1] && s[1] != '_')
			continue;
		d = (unsigned int)digit_value(*s);
		if (d >= base)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
		any = true;
	}
	if (!any)
		return -EINVAL;
	*val = v;
	return 0;
}

/* A number with an optional binary suffix: 4K, 1M, 2G. */
int parse_size(const char *s, uint64_t *val)
{
	char buf[80];
	size_t n = strlen(s);
	unsigned int shift = 0;
	uint64_t v;
	int ret;

	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n + 1);
	switch (buf[n - 1]) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	}
	/* "0xK" is not a size, and a hex number ending in no suffix stays hex. */
	if (shift && !(buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')))
		buf[n - 1] = '\0';
	else
		shift = 0;
	ret = parse_u64(buf, &v);
	if (ret)
		return ret;
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*val = v << shift;
	return 0;
}

int parse_width(const char *s, unsigned int *width)
{
	uint64_t v;

	if (parse_u64(s, &v) || (v != 1 && v != 2 && v != 4 && v != 8))
		return -EINVAL;
	*width = (unsigned int)v;
	return 0;
}

uint64_t width_mask(unsigned int width)
{
	return width >= 8 ? UINT64_MAX : (UINT64_C(1) << (width * 8)) - 1;
}

bool fits_width(uint64_t val, unsigned int width)
{
	return (val & ~width_mask(width)) == 0;
}

/*
 * Split LINE in place into at most MAX tokens. Blanks separate tokens; a
 * '#' at the start of a token begins a comment. Double quotes keep blanks
 * inside a token; a token that is entirely quoted loses its quotes
 * (echo "a  b"), while quotes inside a target stay for libphys
 * (iomem:"HPET 0"). Returns the token count, or -EINVAL for an
 * unterminated quote and -E2BIG for too many tokens.
 */
enum { CH_WORD, CH_BLANK, CH_QUOTE, CH_END };

/* Character classes, so the hot loop is one table look-up per byte. */
static const unsigned char ch_class[256] = {
	['\0'] = CH_END, [' '] = CH_BLANK, ['\t'] = CH_BLANK,
	['\n'] = CH_BLANK, ['\r'] = CH_BLANK, ['"'] = CH_QUOTE,
};

int tokenize(char *line, char **argv, int max)
{
	unsigned char *p = (unsigned char *)line;
	int argc = 0;

	for (;;) {
		unsigned char *start;
		bool had_quote = false;

		while (ch_class[*p] == CH_BLANK)
			p++;
		if (*p == '\0' || *p == '#')
			break;
		if (argc == max)
			return -E2BIG;
		start = p;
		for (;;) {
			while (ch_class[*p] == CH_WORD)
				p++;
			if (ch_class[*p] != CH_QUOTE)
				break;
			had_quote = true;
			p = (unsigned char *)strchr((char *)p + 1, '"');
			if (!p)
				return -EINVAL;
			p++;
		}
		if (*p)
			*p++ = '\0';
		if (had_quote && start[0] == '"') {
			size_t n = strlen((char *)start);

			if (n >= 2 && start[n - 1] == '"' &&
			    !memchr(start + 1, '"', n - 2)) {
				start[n - 1] = '\0';
				start++;
			}
		}
		argv[argc++] = (char *)start;
	}
	return argc;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Widths and lines. Numbers are common/'s grammar (pm_parse_u64()), the
 * same as in targets and policy files.
 */
#include <errno.h>
#include <string.h>

#include "devmemtool.h"

int parse_width(const char *s, unsigned int *width)
{
	uint64_t v;

	if (pm_parse_u64(s, 0, &v) || (v != 1 && v != 2 && v != 4 && v != 8))
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
 * unterminated quote, -E2BIG for too many tokens, and -EILSEQ for a
 * control byte (anything below 0x20 but tab, and 0x7f: a line is text),
 * *BAD then being its 0-based column.
 */
enum { CH_WORD, CH_BLANK, CH_QUOTE, CH_END, CH_BAD };

/* Character classes, so the hot loop is one table look-up per byte. */
static const unsigned char ch_class[256] = {
	['\0'] = CH_END, [' '] = CH_BLANK, ['\t'] = CH_BLANK, ['"'] = CH_QUOTE,
	[0x01] = CH_BAD, [0x02] = CH_BAD, [0x03] = CH_BAD, [0x04] = CH_BAD,
	[0x05] = CH_BAD, [0x06] = CH_BAD, [0x07] = CH_BAD, [0x08] = CH_BAD,
	[0x0a] = CH_BAD, [0x0b] = CH_BAD, [0x0c] = CH_BAD, [0x0d] = CH_BAD,
	[0x0e] = CH_BAD, [0x0f] = CH_BAD, [0x10] = CH_BAD, [0x11] = CH_BAD,
	[0x12] = CH_BAD, [0x13] = CH_BAD, [0x14] = CH_BAD, [0x15] = CH_BAD,
	[0x16] = CH_BAD, [0x17] = CH_BAD, [0x18] = CH_BAD, [0x19] = CH_BAD,
	[0x1a] = CH_BAD, [0x1b] = CH_BAD, [0x1c] = CH_BAD, [0x1d] = CH_BAD,
	[0x1e] = CH_BAD, [0x1f] = CH_BAD, [0x7f] = CH_BAD,
};

int tokenize(char *line, char **argv, int max, size_t *bad)
{
	unsigned char *p = (unsigned char *)line;
	int argc = 0;

	for (;;) {
		unsigned char *start;
		bool had_quote = false;

		while (ch_class[*p] == CH_BLANK)
			p++;
		if (*p == '#') {
			while (ch_class[*p] != CH_END && ch_class[*p] != CH_BAD)
				p++;
		}
		if (ch_class[*p] == CH_BAD)
			goto bad;
		if (*p == '\0')
			break;
		if (argc == max)
			return -E2BIG;
		start = p;
		for (;;) {
			while (ch_class[*p] == CH_WORD)
				p++;
			if (ch_class[*p] == CH_BAD)
				goto bad;
			if (ch_class[*p] != CH_QUOTE)
				break;
			had_quote = true;
			for (p++; *p != '"'; p++) {
				if (ch_class[*p] == CH_END)
					return -EINVAL;
				if (ch_class[*p] == CH_BAD)
					goto bad;
			}
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
bad:
	*bad = (size_t)((char *)p - line);
	return -EILSEQ;
}

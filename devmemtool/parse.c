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

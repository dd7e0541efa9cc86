// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Numbers: the one grammar of every number a user writes (policy files,
 * targets, devmemtool arguments). Hand-written rather than strtoull(): it
 * must refuse signs, blanks, octal and "0x" alone, accept 0b and '_', and
 * it runs on every line of scripts with thousands of accesses.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "physmem-common.h"

/*
 * One table look-up per character, stored plus one so that the default 0
 * is END: 0..15 a digit's value, LETTER another letter, SEP '_', END
 * anything that ends a number's token.
 */
enum { LETTER = 16, SEP = 17, END = 255 };

#define D(c, v)	[(unsigned char)(c)] = (v) + 1
static const unsigned char digit_tab[256] = {
	D('0', 0), D('1', 1), D('2', 2), D('3', 3), D('4', 4),
	D('5', 5), D('6', 6), D('7', 7), D('8', 8), D('9', 9),
	D('a', 10), D('b', 11), D('c', 12), D('d', 13), D('e', 14), D('f', 15),
	D('A', 10), D('B', 11), D('C', 12), D('D', 13), D('E', 14), D('F', 15),
	['g' ... 'z'] = LETTER + 1, ['G' ... 'Z'] = LETTER + 1, D('_', SEP),
};
#undef D

static unsigned int digit_value(char c)
{
	unsigned int v = digit_tab[(unsigned char)c];

	return v ? v - 1 : END;
}

static unsigned int suffix_shift(char c)
{
	switch (c) {
	case 'k': case 'K': return 10;
	case 'm': case 'M': return 20;
	case 'g': case 'G': return 30;
	}
	return 0;
}

/* The token's end, for a message: *END and the error code. */
static int token_error(const char *p, const char **end, int err)
{
	while (digit_value(*p) != END)
		p++;
	*end = p;
	return err;
}

/*
 * A token that starts with 0 and a digit or '_': the leading-zero hint
 * ("write 10 for decimal") only for a decimal number (with a size suffix
 * where one is allowed), whose digits the hint can repeat. Anything else
 * ("0_", "00x1") is refused for what is wrong with it.
 */
static int leading_zero(const char *s, unsigned int flags, const char **end)
{
	const char *p = s;

	for (; digit_value(*p) < 10; p++)
		if (p[1] == '_' && digit_value(p[2]) < 10)
			p++;
	if ((flags & PM_NUM_BYTES) && suffix_shift(*p) && digit_value(p[1]) == END)
		p++;
	if (digit_value(*p) == END)
		return token_error(s, end, PM_E_LEADING_ZERO);
	return token_error(p, end, *p == '_' ? PM_E_SEPARATOR : PM_E_NOT_NUMBER);
}

/* One pass over the digits: scripts parse millions of numbers. */
int pm_parse_u64_prefix(const char *s, unsigned int flags, uint64_t *val, const char **end)
{
	const char *p = s;
	unsigned int base = 10, shift = 0;
	bool overflow = false, any = false;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
		base = 2;
		p += 2;
	} else if (s[0] == '0' && (digit_value(s[1]) < 10 || s[1] == '_')) {
		return leading_zero(s, flags, end);
	}
	/* Hex without '_', the common case of scripts, four bits a digit. */
	if (base == 16) {
		unsigned int d;

		while ((d = digit_value(*p)) < 16) {
			overflow |= (v >> 60) != 0;
			v = v << 4 | d;
			any = true;
			p++;
		}
	}
	for (;; p++) {
		unsigned int d = digit_value(*p);

		if (d < base) {
			overflow |= __builtin_mul_overflow(v, base, &v);
			overflow |= __builtin_add_overflow(v, d, &v);
			any = true;
			continue;
		}
		if (d == END)
			break;
		if (d == SEP && any && digit_value(p[1]) < base)
			continue;
		if ((flags & PM_NUM_BYTES) && suffix_shift(*p) && digit_value(p[1]) == END) {
			if (!any)
				return token_error(p, end, p == s ? PM_E_NOT_NUMBER : PM_E_NO_DIGITS);
			shift = suffix_shift(*p++);
			break;
		}
		return token_error(p, end, d == SEP ? PM_E_SEPARATOR : PM_E_NOT_NUMBER);
	}
	*end = p;
	if (!any)
		return p == s ? PM_E_EMPTY : PM_E_NO_DIGITS;
	if (overflow || (shift && v > (UINT64_MAX >> shift)))
		return PM_E_TOO_LARGE;
	*val = v << shift;
	return 0;
}

int pm_parse_u64(const char *s, unsigned int flags, uint64_t *val)
{
	const char *end;
	int r = pm_parse_u64_prefix(s, flags, val, &end);

	if (r == PM_E_EMPTY && *s)
		return PM_E_NOT_NUMBER;
	if (!r && *end)
		return PM_E_NOT_NUMBER;
	return r;
}

int pm_errno(int err)
{
	return err == PM_E_TOO_LARGE || err == PM_E_INDEX_LARGE ? -ERANGE : -EINVAL;
}

const char *pm_show(char *buf, size_t size, const char *text, size_t len)
{
	size_t i, n = len, max = size > 4 ? size - 4 : 0;

	if (n > max)
		n = max;
	for (i = 0; i < n; i++)
		buf[i] = (text[i] >= 0x20 && text[i] < 0x7f) ? text[i] : '?';
	if (n < len)
		memcpy(buf + n, "...", 4);
	else
		buf[n] = '\0';
	return buf;
}

_Static_assert(PM_NAME_MAX == 32, "PM_E_NAME_LONG's message says 31 characters");
_Static_assert(PM_LABEL_MAX == 64, "PM_E_LABEL*'s messages say 63 characters");

/* How each code reads: "PREFIX'TEXT': REASON". */
static const struct {
	const char *prefix, *reason;
} messages[] = {
	[PM_E_NO_DIGITS] = { "", "no digits" },
	[PM_E_NOT_NUMBER] = { "", "not a number: expected decimal, 0x hex or 0b binary" },
	[PM_E_SEPARATOR] = { "", "'_' must stand between two digits" },
	[PM_E_TOO_LARGE] = { "", "too large: a number must fit in 64 bits" },
	[PM_E_INDEX_LARGE] = { "", "too large: an index is at most 4294967295" },
	[PM_E_PCI_ADDR] = { "bad PCI address ", "expected [DDDD:]BB:DD.F in hex" },
	[PM_E_PCI_RANGE] = { "bad PCI address ", "device is 00 to 1f, function 0 to 7" },
	[PM_E_PCI_ID] = { "bad PCI ID ", "expected VVVV:DDDD[#N] (vendor:device in hex)" },
	[PM_E_PCI_INDEX_ON_ADDR] = { "", "'#N' only goes with a vendor:device ID, not with a PCI address" },
	[PM_E_NAME] = { "bad name ", "expected a letter, then letters, digits, '_' or '-'" },
	[PM_E_NAME_LONG] = { "bad name ", "too long: at most 31 characters" },
	[PM_E_LABEL] = { "bad iomem label ", "expected 1 to 63 printable ASCII characters, as /proc/iomem shows the label" },
	[PM_E_LABEL_LONG] = { "bad iomem label ", "too long: at most 63 characters" },
};

const char *pm_strerror(int err, const char *text, size_t len, char *buf, size_t size)
{
	char t[PM_SHOW_MAX], digits[PM_SHOW_MAX];
	size_t z;

	pm_show(t, sizeof(t), text, len);
	if (err == PM_E_EMPTY) {
		snprintf(buf, size, "expected a number");
	} else if (err == PM_E_LEADING_ZERO) {
		/* The digits after the zeros, for the hint. */
		for (z = 0; z + 1 < len && (text[z] == '0' || text[z] == '_'); z++)
			;
		pm_show(digits, sizeof(digits), text + z, len - z);
		snprintf(buf, size, "'%s': leading zero (octal is not supported): "
			 "write %s for decimal or 0x%s for hex", t, digits, digits);
	} else if (err > 0 && (size_t)err < sizeof(messages) / sizeof(messages[0]) &&
		   messages[err].reason) {
		snprintf(buf, size, "%s'%s': %s", messages[err].prefix, t, messages[err].reason);
	} else {
		snprintf(buf, size, "'%s': invalid", t);
	}
	return buf;
}

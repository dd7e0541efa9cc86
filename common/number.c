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

static unsigned int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (unsigned int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (unsigned int)(c - 'A' + 10);
	return 99;
}

static bool token_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '_';
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

int pm_parse_u64_prefix(const char *s, unsigned int flags, uint64_t *val, const char **end)
{
	const char *p = s, *last;
	unsigned int base = 10, shift = 0;
	bool overflow = false, any = false;
	uint64_t v = 0;

	while (token_char(*p))
		p++;
	*end = p;
	if (p == s)
		return PM_E_EMPTY;
	last = p;
	if ((flags & PM_NUM_BYTES) && (shift = suffix_shift(last[-1])))
		last--;
	p = s;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B')) {
		base = 2;
		p += 2;
	} else if (p[0] == '0' && p + 1 < last && (digit_value(p[1]) < 10 || p[1] == '_')) {
		return PM_E_LEADING_ZERO;
	}
	if (p >= last)
		return p == s ? PM_E_NOT_NUMBER : PM_E_NO_DIGITS;
	for (; p < last; p++) {
		unsigned int d;

		if (*p == '_') {
			if (!any || p + 1 >= last || digit_value(p[1]) >= base)
				return PM_E_SEPARATOR;
			continue;
		}
		d = digit_value(*p);
		if (d >= base)
			return PM_E_NOT_NUMBER;
		if (v > (UINT64_MAX - d) / base)
			overflow = true;
		v = v * base + d;
		any = true;
	}
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

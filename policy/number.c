// SPDX-License-Identifier: LGPL-2.1-or-later
/* Numbers in policy files: decimal, 0x hex, 0b binary, optional K/M/G. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "physmem-policy.h"

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int pol_parse_u64(const char *s, bool suffix, uint64_t *val)
{
	unsigned int base = 10, shift = 0;
	uint64_t v = 0;
	size_t len = strlen(s);
	bool overflow = false;
	size_t i, ndigits = 0;

	if (!len)
		return -EINVAL;
	if (suffix) {
		switch (s[len - 1]) {
		case 'K': shift = 10; break;
		case 'M': shift = 20; break;
		case 'G': shift = 30; break;
		}
		if (shift)
			len--;
	}
	i = 0;
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (len > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
		base = 2;
		i = 2;
	}
	/* strtoull would accept signs, spaces and "0x" alone; we don't. */
	for (; i < len; i++, ndigits++) {
		int d = digit_value(s[i]);

		if (d < 0 || (unsigned int)d >= base)
			return -EINVAL;
		if (v > (UINT64_MAX - (unsigned int)d) / base)
			overflow = true;
		v = v * base + (unsigned int)d;
	}
	if (!ndigits)
		return -EINVAL;
	if (overflow)
		return -ERANGE;
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*val = v << shift;
	return 0;
}

// SPDX-License-Identifier: LGPL-2.1-or-later
/* Target texts: where "+OFF" and a file's "@ADDR" start (see physmem-common.h). */
#include <string.h>

#include "physmem-common.h"

/* The last C in TEXT outside double quotes that ACCEPT says may split. */
static const char *last_outside_quotes(const char *text, char c, bool (*accept)(const char *))
{
	const char stops[] = { '"', c, '\0' };
	const char *found = NULL;
	bool quoted = false;

	/* strpbrk() jumps from quote to C: scripts resolve many targets. */
	for (const char *p = strpbrk(text, stops); p; p = strpbrk(p + 1, stops)) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && accept(p))
			found = p;
	}
	return found;
}

static bool digit_follows(const char *p)
{
	return p[1] >= '0' && p[1] <= '9';
}

static bool always(const char *p)
{
	return true;
}

const char *pm_target_offset(const char *text)
{
	return last_outside_quotes(text, '+', digit_follows);
}

const char *pm_target_at(const char *name)
{
	return last_outside_quotes(name, '@', always);
}

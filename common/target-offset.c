// SPDX-License-Identifier: LGPL-2.1-or-later
/* Target texts: where "+OFF" starts (see physmem-common.h). */
#include <string.h>

#include "physmem-common.h"

const char *pm_target_offset(const char *text)
{
	const char *plus = NULL;
	bool quoted = false;

	/* strpbrk() jumps from quote to plus: scripts resolve many targets. */
	for (const char *p = strpbrk(text, "\"+"); p; p = strpbrk(p + 1, "\"+")) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && p[1] >= '0' && p[1] <= '9')
			plus = p;
	}
	return plus;
}

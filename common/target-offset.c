// SPDX-License-Identifier: LGPL-2.1-or-later
/* Target texts: where "+OFF" starts (see physmem-common.h). */
#include "physmem-common.h"

const char *pm_target_offset(const char *text)
{
	const char *plus = NULL;
	bool quoted = false;

	for (const char *p = text; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == '+' && !quoted && p[1] >= '0' && p[1] <= '9')
			plus = p;
	}
	return plus;
}

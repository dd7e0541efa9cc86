// SPDX-License-Identifier: LGPL-2.1-or-later
/* Names of windows, rules and devmemtool aliases, and iomem labels: the
 * driver's rules. */
#include "physmem-common.h"

/* Same test as physmem-drv/window.c physmem_name_char(). */
bool pm_name_char(char c, size_t pos)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return pos && ((c >= '0' && c <= '9') || c == '_' || c == '-');
}

int pm_name_check(const char *s, size_t len)
{
	size_t i;

	if (!len)
		return PM_E_NAME;
	for (i = 0; i < len; i++)
		if (!pm_name_char(s[i], i))
			return PM_E_NAME;
	return len < PM_NAME_MAX ? 0 : PM_E_NAME_LONG;
}

/* Same test as physmem-drv/window.c physmem_label_char(). */
int pm_label_check(const char *s, size_t len)
{
	size_t i;

	if (!len)
		return PM_E_LABEL;
	for (i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return PM_E_LABEL;
	return len < PM_LABEL_MAX ? 0 : PM_E_LABEL_LONG;
}

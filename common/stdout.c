// SPDX-License-Identifier: LGPL-2.1-or-later
/* close_stdout at exit, as util-linux does: a full disk is not success. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "physmem-common.h"

int pm_close_stdout(const char *prog, int status, int fail_status)
{
	bool had_error = ferror(stdout) != 0;
	int err = 0;

	errno = 0;
	if (fclose(stdout) != 0)
		err = errno ? errno : EIO;
	else if (had_error)
		err = EIO;	/* the failed write's errno is long gone */
	if (!err)
		return status;
	fprintf(stderr, "%s: write error: %s\n", prog, strerror(err));
	return status ? status : fail_status;
}

// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Capability checks (libcap): say exactly which capability is missing and
 * how to get it, instead of surfacing a bare EPERM; drop what we don't need.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/capability.h>

#include "physmem-policy.h"

static bool cap_in(int cap, cap_flag_t which)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t caps = cap_get_proc();

	if (!caps)
		return false;
	if (cap_get_flag(caps, (cap_value_t)cap, which, &v))
		v = CAP_CLEAR;
	cap_free(caps);
	return v == CAP_SET;
}

bool pol_cap_available(int cap)
{
	return cap_in(cap, CAP_EFFECTIVE) || cap_in(cap, CAP_PERMITTED);
}

int pol_cap_acquire(int cap)
{
	cap_value_t v = (cap_value_t)cap;
	cap_t caps;
	int r = 0;

	if (cap_in(cap, CAP_EFFECTIVE))
		return 0;
	if (!cap_in(cap, CAP_PERMITTED))
		return -EPERM;
	caps = cap_get_proc();
	if (!caps)
		return -errno;
	if (cap_set_flag(caps, CAP_EFFECTIVE, 1, &v, CAP_SET) || cap_set_proc(caps))
		r = errno ? -errno : -EPERM;
	cap_free(caps);
	return r;
}

const char *pol_cap_explain(int cap, const char *action, char *buf, size_t len)
{
	char exe[256], lower[64], upper[64];
	char *name = cap_to_name((cap_value_t)cap);
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t i;

	if (n > 0)
		exe[n] = '\0';
	else
		snprintf(exe, sizeof(exe), "%s", program_invocation_name);
	snprintf(lower, sizeof(lower), "%s", name ? name : "cap_unknown");
	cap_free(name);
	for (i = 0; lower[i]; i++)
		upper[i] = (char)toupper((unsigned char)lower[i]);
	upper[i] = '\0';

	snprintf(buf, len, "%s%sneeds %s: run as root, or `setcap %s+ep %s`%s",
		 action ? action : "", action ? ": " : "", upper, lower, exe,
		 cap == CAP_SYS_RAWIO ?
		 " with /dev/physmem opened to your group (see physmem(4))" : "");
	return buf;
}

int pol_cap_drop_except(const int *keep, size_t n)
{
	cap_t want = cap_init();	/* all three sets empty */
	size_t i;
	int r = 0;

	if (!want)
		return -errno;
	for (i = 0; i < n; i++) {
		cap_value_t v = (cap_value_t)keep[i];

		/* Only what we hold can be kept; asking for more would fail. */
		if (!cap_in(keep[i], CAP_PERMITTED))
			continue;
		if (cap_set_flag(want, CAP_PERMITTED, 1, &v, CAP_SET) ||
		    cap_set_flag(want, CAP_EFFECTIVE, 1, &v, CAP_SET)) {
			r = -errno;
			goto out;
		}
	}
	/* Ambient first: raising nothing, just emptying, needs no privilege. */
	if (CAP_AMBIENT_SUPPORTED() && cap_reset_ambient()) {
		r = -errno;
		goto out;
	}
	if (cap_set_proc(want))
		r = -errno;
out:
	cap_free(want);
	return r;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Private to the policy core. */
#ifndef PHYSMEM_POLICY_INTERNAL_H
#define PHYSMEM_POLICY_INTERNAL_H

#include <stdarg.h>
#include "physmem-policy.h"

#define POL_ERRMSG_MAX	512

struct pol_set {
	struct pol_rule *rules;
	size_t nr, cap;
	/* File names the rules point at; each separately allocated so that
	 * growing this array never moves a name. */
	char **files;
	size_t nr_files, cap_files;
	char errmsg[POL_ERRMSG_MAX];
};

__attribute__((format(printf, 2, 3)))
void pol_set_err(struct pol_set *set, const char *fmt, ...);

/*
 * The one rule of a grant to a device: 0 if no rule among the first N of
 * SET grants dma or irq to the device RULE grants to; else -EINVAL with
 * the message naming both rules. Rules both resolved compare the device
 * found; otherwise only the same selector (ID and #N, or address) is
 * certainly the same device.
 */
int pol_set_check_grant(struct pol_set *set, size_t n, const struct pol_rule *rule);

/* Drop rules and file names beyond the first NR_RULES / NR_FILES. */
void pol_set_truncate(struct pol_set *set, size_t nr_rules, size_t nr_files);

#endif

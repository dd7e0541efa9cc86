/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libphys for the project's own tools only: not installed, not exported
 * from libphys.so. Its argument is a policy of the policy core
 * (policy/include/physmem-policy.h, not installed either), whose layout
 * is the build's own: a tool that uses this links libphys.a, the policy
 * core and common of the same build, so one copy of the policy core reads
 * the policy it built.
 */
#ifndef LIBPHYS_PRIVATE_H
#define LIBPHYS_PRIVATE_H

#include "libphys.h"

struct pol_set;

/*
 * The policy resolver every backend and physmem-policy(8) use. Resolves
 * each pci and iomem rule of SET on this machine (the sysroot applies),
 * then refuses a policy any of whose windows, rounded out to pages as the
 * driver rounds a `pages` rule, covers System RAM, ACPI tables or NVS,
 * firmware-reserved, soft-reserved or persistent memory in /proc/iomem,
 * as the driver does. 0, or a negative errno with "FILE:LINE:COL: rule
 * 'NAME': reason" in phys_ctx_errmsg(): -ENODEV (no such device, BAR or
 * region), -ENXIO (BAR unassigned), -EINVAL (ambiguous label, I/O BAR, wc
 * on a BAR that is not prefetchable or a window that does not fill its
 * pages, pages past a BAR), -ERANGE (offset or size leave the source),
 * -EACCES (/proc/iomem hides its addresses from this process: an iomem
 * rule cannot be resolved, nor any window checked), -EPERM (a window
 * covers memory), or the -errno of reading /proc/iomem or the PCI
 * devices. After a failure, SET's resolution must not be used.
 */
int phys_policy_resolve(struct phys_ctx *ctx, struct pol_set *set);

#endif /* LIBPHYS_PRIVATE_H */

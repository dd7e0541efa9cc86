// SPDX-License-Identifier: GPL-2.0
/*
 * physmem: windows on named regions of the iomem tree (/proc/iomem).
 *
 * Locking: the kernel does not export resource_lock, and its exported
 * walkers (walk_iomem_res_desc) hand out copies without names. So the tree
 * is read here without that lock, under physmem_lock only, and only to
 * copy a start and an end (or to print an owner's name). The tree changes
 * only when drivers bind or devices come and go; the claim that follows
 * (request_mem_region, which does take the lock) re-validates the range.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ioport.h>
#include <linux/string.h>

#include "physmem.h"

/* Pre-order, the order of /proc/iomem. */
static struct resource *physmem_res_next(struct resource *p)
{
	if (p->child)
		return p->child;
	while (!p->sibling) {
		p = p->parent;
		if (!p || p == &iomem_resource)
			return NULL;
	}
	return p->sibling;
}

int physmem_iomem_resolve(struct physmem_win *win)
{
	const struct physmem_iomem_region *sel = &win->def.src.iomem;
	struct resource *p;
	u32 seen = 0;

	for (p = iomem_resource.child; p; p = physmem_res_next(p)) {
		if (!p->name || strcmp(p->name, sel->label))
			continue;
		if (seen++ == sel->index)
			return physmem_win_subrange(win, p->start, p->end);
	}
	return -ENODEV;
}

/* Name the deepest busy region in the way of a claim, for the log. */
void physmem_iomem_log_owner(phys_addr_t base, phys_addr_t last)
{
	struct resource *p, *owner = NULL;

	for (p = iomem_resource.child; p; p = physmem_res_next(p))
		if (p->start <= last && base <= p->end &&
		    (p->flags & IORESOURCE_BUSY))
			owner = p;
	if (owner)
		pr_notice("  claimed by \"%s\" [%pa-%pa]\n",
			  owner->name ? owner->name : "?", &owner->start,
			  &owner->end);
}

// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Sources: the one resolution of a PCI BAR selector and of an iomem label
 * on this machine, for policy rules (policy.c) and for pci: and iomem:
 * targets (target.c) alike, so that a rule and a target naming the same
 * thing find the same range or fail with the same message. Quiet: a
 * negative errno and the reason in ERR; the callers format it once.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "physmem-common.h"
#include "internal.h"

int phys_source_pci(struct phys_ctx *ctx, const struct phys_target *t,
		    struct phys_pci_dev *dev, char *err, size_t errlen)
{
	char why[PATH_MAX + 320], bdf[PM_BDF_MAX];
	const struct phys_pci_bar *bar;
	unsigned int seen;
	int r;

	r = phys_pci_lookup(ctx, t, dev, &seen);
	if (r == -ENODEV && t->pci_by_id) {
		snprintf(err, errlen, "no PCI device %04x:%04x#%u (found %u with that ID)",
			 t->vendor, t->device, t->index, seen);
		return r;
	}
	if (r == -ENODEV) {
		snprintf(err, errlen, "no PCI device at %s",
			 pm_pci_bdf(bdf, t->domain, t->bus, t->dev, t->func));
		return r;
	}
	if (r) {
		snprintf(err, errlen, "cannot list PCI devices: %s",
			 phys_pci_scan_why(ctx, r, why, sizeof(why)));
		return r;
	}
	pm_pci_bdf(bdf, dev->domain, dev->bus, dev->dev, dev->func);
	bar = &dev->bars[t->bar];
	if (!bar->size) {
		snprintf(err, errlen, "%s has no BAR %u", bdf, t->bar);
		return -ENODEV;
	}
	if (bar->is_io) {
		snprintf(err, errlen, "BAR %u of %s is an I/O port BAR, not memory", t->bar, bdf);
		return -EINVAL;
	}
	if (!bar->assigned) {
		snprintf(err, errlen, "BAR %u of %s is not assigned an address", t->bar, bdf);
		return -ENXIO;
	}
	return 0;
}

/* Candidates named in an ambiguity message; the count has no limit. */
#define IOMEM_SHOWN 8

struct iomem_find {
	const char *label;
	unsigned int want, seen;
	uint64_t start, end;		/* the region #want */
	uint64_t shown[IOMEM_SHOWN][2];
};

static int iomem_match(const struct phys_iomem_region *r, void *data)
{
	struct iomem_find *f = data;

	if (strcmp(r->label, f->label))
		return 0;
	if (f->seen < IOMEM_SHOWN) {
		f->shown[f->seen][0] = r->start;
		f->shown[f->seen][1] = r->end;
	}
	if (f->seen == f->want) {
		f->start = r->start;
		f->end = r->end;
	}
	f->seen++;
	return 0;
}

const char phys_iomem_hidden_why[] =
	"/proc/iomem hides addresses from this process: reading them needs "
	"CAP_SYS_ADMIN (run as root)";

int phys_source_iomem(struct phys_ctx *ctx, const char *label, unsigned int index,
		      bool index_given, uint64_t *base, uint64_t *size, char *err, size_t errlen)
{
	struct iomem_find f = { .label = label, .want = index };
	struct phys_iomem_view view;
	char why[PATH_MAX + 64];
	size_t n;
	int r;

	r = phys_iomem_walk(ctx, iomem_match, &f, &view);
	if (!view.opened) {
		snprintf(err, errlen, "cannot resolve iomem \"%s\": %s", label,
			 phys_iomem_walk_why(ctx, r, why, sizeof(why)));
		return r;
	}
	/* Zeroed addresses would resolve to 0x0-0x0: never use them. */
	if (view.hidden) {
		snprintf(err, errlen, "cannot resolve iomem \"%s\": %s", label,
			 phys_iomem_hidden_why);
		return -EACCES;
	}
	if (!f.seen) {
		snprintf(err, errlen, "no region labelled \"%s\" in /proc/iomem", label);
		return -ENODEV;
	}
	if (!index_given && f.seen > 1) {
		n = (size_t)snprintf(err, errlen, "label \"%s\" is ambiguous, add #N:", label);
		for (unsigned int i = 0; i < f.seen && i < IOMEM_SHOWN && n < errlen; i++)
			n += (size_t)snprintf(err + n, errlen - n, " #%u 0x%" PRIx64 "-0x%" PRIx64 "%s",
					      i, f.shown[i][0], f.shown[i][1],
					      i + 1 < f.seen ? "," : "");
		if (f.seen > IOMEM_SHOWN && n < errlen)
			snprintf(err + n, errlen - n, " ...");
		return -EINVAL;
	}
	if (index >= f.seen) {
		snprintf(err, errlen, "no region \"%s\"#%u in /proc/iomem (found %u)",
			 label, index, f.seen);
		return -ENODEV;
	}
	if (f.end < f.start) {
		snprintf(err, errlen, "region \"%s\"#%u in /proc/iomem ends before it starts",
			 label, index);
		return -ERANGE;
	}
	/* An end of UINT64_MAX from 0 would be 2^64 bytes: size 0 wraps. */
	if (f.end - f.start + 1 == 0) {
		snprintf(err, errlen, "region \"%s\"#%u spans the whole address space",
			 label, index);
		return -ERANGE;
	}
	*base = f.start;
	*size = f.end - f.start + 1;
	return 0;
}

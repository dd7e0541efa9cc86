// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The driver's window table, through the ioctls of <linux/physmem.h>: the
 * one reader of it in user space (physmem-policy and devmemtool use it
 * through phys_window_foreach()), and the one text form of a window.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/physmem.h>
#include "physmem-policy.h"
#include "internal.h"
#include "physmem-common.h"

/* Open /dev/physmem (under the sysroot), quietly: 0 or -errno. */
int phys_driver_fd(struct phys_ctx *ctx, int flags, int *fdp)
{
	char path[PATH_MAX];
	int fd;

	if (phys_path(ctx, path, sizeof(path), "%s", PHYSMEM_DEVICE_PATH))
		return -ENAMETOOLONG;
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	*fdp = fd;
	return 0;
}

/* Why opening /dev/physmem failed with ERR, in words, into the context. */
static int driver_open_err(struct phys_ctx *ctx, int err)
{
	char path[PATH_MAX], why[400];

	if (err == -ENAMETOOLONG ||
	    phys_path(ctx, path, sizeof(path), "%s", PHYSMEM_DEVICE_PATH))
		return phys_err(ctx, -ENAMETOOLONG, "sysroot too long");
	switch (err) {
	case -ENOENT:
		return phys_err(ctx, err, "%s does not exist: the physmem driver is not loaded "
				"(modprobe physmem)", path);
	case -EPERM:
	case -EACCES:
		if (!pol_cap_available(CAP_SYS_RAWIO))
			return phys_err(ctx, err, "%s",
					pol_cap_explain(CAP_SYS_RAWIO, "cannot open /dev/physmem",
							why, sizeof(why)));
		if (err == -EPERM)
			return phys_err(ctx, err, "cannot open %s: refused by the kernel "
					"(lockdown active? see /sys/kernel/security/lockdown)", path);
		break;
	}
	return phys_err(ctx, err, "cannot open %s: %s", path, strerror(-err));
}

/* Open /dev/physmem; errors explain themselves. */
int phys_driver_open(struct phys_ctx *ctx, int flags, int *fdp)
{
	int r = phys_driver_fd(ctx, flags, fdp);

	return r ? driver_open_err(ctx, r) : 0;
}

PHYS_EXPORT int phys_driver_open_fd(struct phys_ctx *ctx, int flags)
{
	int fd, r;

	if (!ctx)
		return -EINVAL;
	PHYS_API(ctx);
	r = phys_driver_open(ctx, flags, &fd);
	return r ? r : fd;
}

static void window_info(const struct physmem_window *k, struct phys_window_info *w)
{
	char offset[32] = "", bdf[PM_BDF_MAX];

	memset(w, 0, sizeof(*w));
	w->struct_size = sizeof(*w);
	memcpy(w->name, k->name, sizeof(w->name) - 1);
	w->base = k->base;
	w->size = k->size;
	w->rw = k->flags & PHYSMEM_WIN_RW;
	w->wc = k->flags & PHYSMEM_WIN_WC;
	w->shared = k->flags & PHYSMEM_WIN_SHARED;
	w->pages = k->flags & PHYSMEM_WIN_PAGES;
	w->loaded = true;
	w->claimed = k->flags & PHYSMEM_WIN_CLAIMED;
	w->mmapable = k->flags & PHYSMEM_WIN_MMAP;
	w->gone = k->flags & PHYSMEM_WIN_GONE;
	w->dma_size = k->dma_size;
	w->dma_bits = k->dma_bits ? k->dma_bits : 64;	/* the driver's 0: 64 */
	w->irq = k->flags & PHYSMEM_WIN_IRQ;
	w->dma_used = k->dma_used;
	switch (k->source) {
	case PHYSMEM_SRC_PCI:
		w->source_kind = PHYS_SOURCE_PCI;
		w->offset = k->offset;
		if (k->offset)
			snprintf(offset, sizeof(offset), " offset 0x%" PRIx64, (uint64_t)k->offset);
		snprintf(w->source, sizeof(w->source), "pci %s bar %u%s",
			 pm_pci_bdf(bdf, k->src.pci.domain, k->src.pci.bus, k->src.pci.devfn >> 3,
				    k->src.pci.devfn & 7), k->src.pci.bar, offset);
		break;
	case PHYSMEM_SRC_IOMEM:
		w->source_kind = PHYS_SOURCE_IOMEM;
		snprintf(w->source, sizeof(w->source), "iomem \"%.*s\"#%u",
			 (int)sizeof(k->src.iomem.label), k->src.iomem.label, k->src.iomem.index);
		break;
	default:
		snprintf(w->source, sizeof(w->source), "range");
	}
}

/*
 * The whole table, quietly: 0 with *out malloc'ed, or -errno (*opened
 * false when the device could not be opened). LIST may grow between
 * calls: retry until it fits.
 */
static int read_table(struct phys_ctx *ctx, struct physmem_window **out, uint32_t *n,
		      bool *opened)
{
	struct physmem_window_array arr;
	struct physmem_window *w = NULL;
	uint32_t cap = 16;
	int fd, r;

	*opened = false;
	r = phys_driver_fd(ctx, O_RDONLY, &fd);
	if (r)
		return r;
	*opened = true;
	for (;;) {
		struct physmem_window *nw = realloc(w, cap * sizeof(*w));

		if (!nw) {
			r = -ENOMEM;
			break;
		}
		w = nw;
		memset(w, 0, cap * sizeof(*w));
		arr = (struct physmem_window_array){ .count = cap, .windows = (uintptr_t)w };
		if (ioctl(fd, PHYSMEM_IOC_LIST, &arr)) {
			r = -errno;
			break;
		}
		if (arr.count <= cap) {
			*out = w;
			*n = arr.count;
			close(fd);
			return 0;
		}
		cap = arr.count;
	}
	free(w);
	close(fd);
	return r;
}

/* A failure R of read_table() explained in the context. */
static int table_err(struct phys_ctx *ctx, int r, bool opened)
{
	if (!opened)
		return driver_open_err(ctx, r);
	if (r == -ENOMEM)
		return phys_err(ctx, r, "out of memory");
	return phys_err(ctx, r, "listing the driver's windows failed: %s", strerror(-r));
}

static int list_windows(struct phys_ctx *ctx, struct physmem_window **out, uint32_t *n)
{
	bool opened;
	int r = read_table(ctx, out, n, &opened);

	return r ? table_err(ctx, r, opened) : 0;
}

PHYS_EXPORT int phys_window_foreach(struct phys_ctx *ctx, phys_window_fn fn, void *data)
{
	struct physmem_window *k;
	struct phys_window_info w;
	uint32_t n;
	int r;

	if (!ctx || !fn)
		return -EINVAL;
	PHYS_API(ctx);
	r = list_windows(ctx, &k, &n);
	if (r)
		return r;
	for (uint32_t i = 0; i < n && !r; i++) {
		window_info(&k[i], &w);
		r = fn(&w, data);
	}
	free(k);
	return r;
}

/*
 * The one text form of a window: NAME RANGE ACCESS STATE SOURCE. A window
 * not resolved yet (size 0) has RANGE "-"; one not loaded has STATE "-".
 * ACCESS ends with the grants to the device in the words of the policy
 * ("dma 64K dma-mask 28 irq"); STATE says the DMA buffer memory held
 * ("dma-held=8K").
 */
#define WINDOW_FORMAT "%-16s %-37s %-12s %-14s %s"

PHYS_EXPORT int phys_window_format(const struct phys_window_info *in, char *buf, size_t len)
{
	char range[48] = "-", access[96], state[48] = "-", dma[48] = "", held[32] = "", n[24];
	struct phys_window_info full = PHYS_INFO_INIT(struct phys_window_info);
	const struct phys_window_info *w = &full;

	if (!buf && len)
		return -EINVAL;
	if (!in)
		return snprintf(buf, len, WINDOW_FORMAT, "NAME", "RANGE", "ACCESS", "STATE",
				"SOURCE");
	/* What an older caller's struct lacks reads as zero. */
	if (in->struct_size < PHYS_WINDOW_INFO_V0)
		return -EINVAL;
	memcpy(&full, in, in->struct_size < sizeof(full) ? in->struct_size : sizeof(full));
	/* size - 1: no overflow for any window (base + size - 1 fits). */
	if (w->size)
		snprintf(range, sizeof(range), "0x%" PRIx64 "-0x%" PRIx64, w->base,
			 w->base + (w->size - 1));
	/* dma_bits: 0 (an older caller's struct) and 64 both mean no mask. */
	if (w->dma_size && w->dma_bits && w->dma_bits < 64)
		snprintf(dma, sizeof(dma), " dma %s dma-mask %u",
			 phys_size_policy(w->dma_size, n, sizeof(n)), w->dma_bits);
	else if (w->dma_size)
		snprintf(dma, sizeof(dma), " dma %s", phys_size_policy(w->dma_size, n, sizeof(n)));
	snprintf(access, sizeof(access), "%s %s%s%s%s%s", w->rw ? "rw" : "ro", w->wc ? "wc" : "uc",
		 w->shared ? " shared" : "", w->pages ? " pages" : "", dma, w->irq ? " irq" : "");
	if (w->loaded && w->dma_used)
		snprintf(held, sizeof(held), ",dma-held=%s", phys_size_policy(w->dma_used, n, sizeof(n)));
	if (w->loaded)
		snprintf(state, sizeof(state), "%s%s%s",
			 w->gone ? "gone" : w->claimed ? "claimed" : "unclaimed",
			 w->mmapable ? ",mmap" : "", held);
	return snprintf(buf, len, WINDOW_FORMAT, w->name, range, access, state, w->source);
}

/*
 * The first loaded window MATCH accepts, into *W, quietly: 0 if found,
 * -ENOENT if none (*COUNT windows looked at), or the listing's -errno
 * (*OPENED as read_table() sets it).
 */
static int window_first(struct phys_ctx *ctx,
			bool (*match)(const struct physmem_window *k, const void *key),
			const void *key, struct phys_window_info *w, uint32_t *count,
			bool *opened)
{
	struct physmem_window *k;
	int r = read_table(ctx, &k, count, opened);

	if (r)
		return r;
	r = -ENOENT;
	for (uint32_t i = 0; i < *count && r; i++) {
		if (match(&k[i], key)) {
			window_info(&k[i], w);
			r = 0;
		}
	}
	free(k);
	return r;
}

static bool match_name(const struct physmem_window *k, const void *key)
{
	return !strncmp(k->name, key, sizeof(k->name));
}

struct span {
	uint64_t phys, len;
};

/* [phys, phys + len) inside the window; no overflow for any values. */
static bool match_span(const struct physmem_window *k, const void *key)
{
	const struct span *s = key;

	return s->phys >= k->base && s->phys - k->base < k->size &&
	       s->len <= k->size - (s->phys - k->base);
}

int phys_window_find(struct phys_ctx *ctx, const char *name, struct phys_window_info *w)
{
	uint32_t n = 0;
	bool opened;
	int r = window_first(ctx, match_name, name, w, &n, &opened);

	if (r == -ENOENT)
		return phys_err(ctx, r, "no window named '%s' (%u window%s loaded; "
				"see physmem-policy show)", name, n, n == 1 ? "" : "s");
	return r ? table_err(ctx, r, opened) : 0;
}

static int window_span(struct phys_ctx *ctx, uint64_t phys, uint64_t len,
		       struct phys_window_info *w, bool *opened)
{
	struct span s = { phys, len };
	uint32_t n;

	return window_first(ctx, match_span, &s, w, &n, opened);
}

int phys_window_at(struct phys_ctx *ctx, uint64_t phys, uint64_t len,
		   struct phys_window_info *w)
{
	bool opened;

	return window_span(ctx, phys, len, w, &opened);
}

int phys_window_containing(struct phys_ctx *ctx, uint64_t phys, uint64_t len,
			   struct phys_window_info *w)
{
	bool opened;
	int r = window_span(ctx, phys, len, w, &opened);

	if (r == -ENOENT)
		return phys_err(ctx, r, "no driver window holds 0x%llx..0x%llx",
				(unsigned long long)phys, (unsigned long long)(phys + len - 1));
	return r ? table_err(ctx, r, opened) : 0;
}

// SPDX-License-Identifier: LGPL-2.1-or-later
/* The driver's window table, through the ioctls of <linux/physmem.h>. */
#include <fcntl.h>
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

/* Open /dev/physmem (under the sysroot); errors explain themselves. */
int phys_driver_open(struct phys_ctx *ctx, int flags, int *fdp)
{
	char path[PATH_MAX], why[400];
	int fd;

	if (phys_path(ctx, path, sizeof(path), "%s", PHYSMEM_DEVICE_PATH))
		return phys_err(ctx, -ENAMETOOLONG, "sysroot too long");
	fd = open(path, flags | O_CLOEXEC);
	if (fd >= 0) {
		*fdp = fd;
		return 0;
	}
	switch (errno) {
	case ENOENT:
		return phys_err(ctx, -ENOENT, "%s does not exist: the physmem driver is not loaded "
				"(modprobe physmem)", path);
	case EPERM:
	case EACCES:
		if (!pol_cap_available(CAP_SYS_RAWIO)) {
			int e = -errno;

			return phys_err(ctx, e, "%s",
					pol_cap_explain(CAP_SYS_RAWIO, "cannot open /dev/physmem",
							why, sizeof(why)));
		}
		if (errno == EPERM)
			return phys_err(ctx, -EPERM, "cannot open %s: refused by the kernel "
					"(lockdown active? see /sys/kernel/security/lockdown)", path);
		break;
	}
	return phys_err(ctx, -errno, "cannot open %s: %s", path, strerror(errno));
}

static void window_info(const struct physmem_window *k, struct phys_window_info *w)
{
	char bdf[PM_BDF_MAX];

	memset(w, 0, sizeof(*w));
	memcpy(w->name, k->name, sizeof(w->name) - 1);
	w->base = k->base;
	w->size = k->size;
	w->rw = k->flags & PHYSMEM_WIN_RW;
	w->wc = k->flags & PHYSMEM_WIN_WC;
	w->shared = k->flags & PHYSMEM_WIN_SHARED;
	w->claimed = k->flags & PHYSMEM_WIN_CLAIMED;
	w->mmapable = k->flags & PHYSMEM_WIN_MMAP;
	w->gone = k->flags & PHYSMEM_WIN_GONE;
	switch (k->source) {
	case PHYSMEM_SRC_PCI:
		snprintf(w->source, sizeof(w->source), "pci %s bar %u",
			 pm_pci_bdf(bdf, k->src.pci.domain, k->src.pci.bus, k->src.pci.devfn >> 3,
				    k->src.pci.devfn & 7), k->src.pci.bar);
		break;
	case PHYSMEM_SRC_IOMEM:
		snprintf(w->source, sizeof(w->source), "iomem \"%.*s\"#%u",
			 (int)sizeof(k->src.iomem.label), k->src.iomem.label, k->src.iomem.index);
		break;
	default:
		snprintf(w->source, sizeof(w->source), "range");
	}
}

/* The whole table; *out is malloc'ed. LIST may grow between calls: retry. */
static int list_windows(struct phys_ctx *ctx, struct physmem_window **out, uint32_t *n)
{
	struct physmem_window_array arr;
	struct physmem_window *w = NULL;
	uint32_t cap = 16;
	int fd, r;

	r = phys_driver_open(ctx, O_RDONLY, &fd);
	if (r)
		return r;
	for (;;) {
		struct physmem_window *nw = realloc(w, cap * sizeof(*w));

		if (!nw) {
			r = phys_err(ctx, -ENOMEM, "out of memory");
			break;
		}
		w = nw;
		memset(w, 0, cap * sizeof(*w));
		arr = (struct physmem_window_array){ .count = cap, .windows = (uintptr_t)w };
		if (ioctl(fd, PHYSMEM_IOC_LIST, &arr)) {
			r = phys_err(ctx, -errno, "listing the driver's windows failed: %s",
				     strerror(errno));
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

PHYS_EXPORT int phys_window_foreach(struct phys_ctx *ctx, phys_window_fn fn, void *data)
{
	struct physmem_window *k;
	struct phys_window_info w;
	uint32_t n;
	int r;

	if (!ctx || !fn)
		return -EINVAL;
	phys_clear_err(ctx);
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
 * The first loaded window MATCH accepts, into *W: 0 if found, 1 if none
 * (*COUNT windows looked at), or the listing's negative error.
 */
static int window_first(struct phys_ctx *ctx,
			bool (*match)(const struct physmem_window *k, const void *key),
			const void *key, struct phys_window_info *w, uint32_t *count)
{
	struct physmem_window *k;
	int r = list_windows(ctx, &k, count);

	if (r)
		return r;
	r = 1;
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
	uint32_t n;
	int r = window_first(ctx, match_name, name, w, &n);

	if (r > 0)
		return phys_err(ctx, -ENOENT, "no window named '%s' (%u window%s loaded; "
				"see physmem-policy show)", name, n, n == 1 ? "" : "s");
	return r;
}

int phys_window_containing(struct phys_ctx *ctx, uint64_t phys, uint64_t len,
			   struct phys_window_info *w)
{
	struct span s = { phys, len };
	uint32_t n;
	int r = window_first(ctx, match_span, &s, w, &n);

	if (r > 0)
		return phys_err(ctx, -ENOENT, "no driver window holds 0x%llx..0x%llx",
				(unsigned long long)phys, (unsigned long long)(phys + len - 1));
	return r;
}

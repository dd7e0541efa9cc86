// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Grants to the device behind a driver window: what DMA buffers (dma.c)
 * and interrupts (irq.c) share. Both come from the driver alone, by the
 * window's name, on a descriptor of their own; both are refused by the
 * driver for the same few reasons, said here in the same words.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/physmem.h>
#include "internal.h"
#include "physmem-common.h"

_Static_assert(PHYSMEM_NAME_MAX == PM_NAME_MAX, "one name rule: common/name.c");

const char *phys_size_str(uint64_t v, char *buf, size_t size)
{
	static const char *const units[] = { "GiB", "MiB", "KiB" };

	for (unsigned int i = 0; i < 3; i++) {
		unsigned int shift = 30 - 10 * i;

		if (v && !(v & ((UINT64_C(1) << shift) - 1))) {
			snprintf(buf, size, "%" PRIu64 " %s", v >> shift, units[i]);
			return buf;
		}
	}
	snprintf(buf, size, "%" PRIu64 " byte%s", v, v == 1 ? "" : "s");
	return buf;
}

/* As phys_window_format() and physmem-policy show write a rule's size. */
const char *phys_size_policy(uint64_t v, char *buf, size_t size)
{
	static const char units[] = "GMK";

	for (unsigned int i = 0; i < 3; i++) {
		unsigned int shift = 30 - 10 * i;

		if (v && !(v & ((UINT64_C(1) << shift) - 1))) {
			snprintf(buf, size, "%" PRIu64 "%c", v >> shift, units[i]);
			return buf;
		}
	}
	snprintf(buf, size, "0x%" PRIx64, v);
	return buf;
}

/* The driver serves these; any other backend the context insists on does not. */
static bool driver_backend(const struct phys_ctx *ctx)
{
	return !ctx->backend || ctx->backend == &phys_backend_physmem ||
	       ctx->backend == &phys_backend_pread;
}

int phys_grant_open(struct phys_ctx *ctx, const char *window, const char *what, int *fdp)
{
	char msg[PHYS_ERRMSG_MAX];
	int r;

	if (!window)
		return phys_err(ctx, -EINVAL, "%s: no window name", what);
	r = pm_name_check(window, strlen(window));
	if (r) {
		pm_strerror(r, window, strlen(window), msg, sizeof(msg));
		return phys_err(ctx, -EINVAL, "%s: %s", what, msg);
	}
	if (!driver_backend(ctx))
		return phys_err(ctx, -EINVAL, "%s for window %s come from the physmem driver, and "
				"this context uses the %s backend (phys_ctx_set_backend: "
				"use auto or physmem)", what, window, ctx->backend->name);
	r = phys_driver_open(ctx, O_RDWR, fdp);
	if (r) {
		snprintf(msg, sizeof(msg), "%s", ctx->errmsg);
		return phys_err(ctx, r, "%s for window %s come from the physmem driver: %s", what,
				window, msg);
	}
	return 0;
}

int phys_grant_window(struct phys_ctx *ctx, const char *window, struct phys_window_info *w)
{
	int r = phys_window_find(ctx, window, w);

	if (r)
		memset(w, 0, sizeof(*w));
	return r;
}

/*
 * Why the driver refused GRANT ("dma", "irq") of WINDOW with ERR, for the
 * reasons both share: 0 if ERR is not one of them (the caller says it).
 * W is the window as listed after the refusal (all zero if it is gone).
 */
int phys_grant_refused(struct phys_ctx *ctx, const char *window, const char *grant, int err,
		       const struct phys_window_info *w)
{
	char msg[PHYS_ERRMSG_MAX];

	switch (err) {
	case ENOENT:
		if (!w->loaded) {	/* phys_window_find() said why */
			snprintf(msg, sizeof(msg), "%s", ctx->errmsg);
			return phys_err(ctx, -ENOENT, "%s", msg);
		}
		if (w->gone)	/* the driver grants nothing for a removed device */
			return phys_err(ctx, -ENOENT, "window %s: its device was removed", window);
		return phys_err(ctx, -ENOENT, "window %s: the driver knows no such window", window);
	case EPERM:
		if (!w->loaded)
			break;
		if (w->source_kind != PHYS_SOURCE_PCI)
			return phys_err(ctx, -EPERM, "window %s: only the device behind a pci window "
					"can be granted %s, and this is %s %s window", window, grant,
					w->source_kind == PHYS_SOURCE_IOMEM ? "an" : "a",
					w->source_kind == PHYS_SOURCE_IOMEM ? "iomem" : "range");
		if (w->shared)
			return phys_err(ctx, -EPERM, "window %s: its rule says 'shared' (the device "
					"keeps its own driver), and a shared window grants no %s",
					window, grant);
		return 0;
	case ENODEV:
		if (w->loaded && w->gone)
			return phys_err(ctx, -ENODEV, "window %s: its device was removed", window);
		return phys_err(ctx, -ENODEV, "window %s: its device was given back to its own "
				"driver or removed (no window grants it dma or irq any more; "
				"see physmem-policy show)", window);
	case ENOTTY:
		return phys_err(ctx, -ENOTTY, "window %s: the loaded physmem driver is older than "
				"%d.%d and has no DMA buffers or interrupts (upgrade the module)",
				window, PHYSMEM_VERSION_MAJOR, PHYSMEM_VERSION_MINOR);
	}
	return 0;
}

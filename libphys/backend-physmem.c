// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * physmem: the driver. Like /dev/mem, the file offset is the physical
 * address; the driver maps only ranges inside one window.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/physmem.h>
#include "internal.h"

bool phys_driver_present(struct phys_ctx *ctx)
{
	char path[PATH_MAX];

	return !phys_path(ctx, path, sizeof(path), "%s", PHYSMEM_DEVICE_PATH) &&
	       !access(path, F_OK);
}

static bool physmem_probe(struct phys_ctx *ctx, const struct phys_target *t, const char **why)
{
	*why = PHYSMEM_DEVICE_PATH " does not exist (the physmem driver is not loaded)";
	return phys_driver_present(ctx);
}

/*
 * The driver maps a window only if the pages a mapping covers hold
 * nothing else (PHYSMEM_WIN_MMAP); it serves every window through
 * pread/pwrite.
 */
static const struct phys_backend *physmem_hand_over(struct phys_ctx *ctx,
						    const struct phys_target *t)
{
	if (!t->resolved_window[0])
		return &phys_backend_physmem;
	if (t->window_mmap) {
		phys_log(ctx, LOG_DEBUG, "window '%s' may be mmapped: mapping it",
			 t->resolved_window);
		return &phys_backend_physmem;
	}
	phys_log(ctx, LOG_DEBUG, "window '%s' does not fill its pages and its rule does not "
		 "say 'pages', so the driver does not map it: using pread/pwrite",
		 t->resolved_window);
	return &phys_backend_pread;
}

static int physmem_map(struct phys_ctx *ctx, struct phys_map *map,
		       const struct phys_target *t, uint64_t len)
{
	bool rw = !(map->flags & PHYS_MAP_RDONLY);
	int fd, r;

	r = phys_driver_open(ctx, (rw ? O_RDWR : O_RDONLY) | O_SYNC, &fd);
	if (r)
		return r;
	r = phys_mmap_fd(ctx, map, fd, t->phys, len, PHYSMEM_DEVICE_PATH);
	if (r) {
		close(fd);
		return r;
	}
	map->fd = fd;
	return 0;
}

/* Shared with the pread backend: both go through the driver. */
void phys_physmem_diagnose(struct phys_ctx *ctx, const struct phys_target *t, int err)
{
	phys_diag_lockdown(ctx);
	phys_diag_window(ctx, t, err);
}

const struct phys_backend phys_backend_physmem = {
	.name = "physmem",
	.help = "the physmem driver: only its windows, enforced by the kernel",
	.targets = PHYS_T_MASK(PHYS_T_ADDR) | PHYS_T_MASK(PHYS_T_WINDOW) |
		   PHYS_T_MASK(PHYS_T_PCI) | PHYS_T_MASK(PHYS_T_IOMEM),
	.policy = PHYS_POLICY_KERNEL,
	.probe = physmem_probe,
	.hand_over = physmem_hand_over,
	.map = physmem_map,
	.unmap = phys_munmap,
	.diagnose = phys_physmem_diagnose,
};

// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sysfs: /sys/bus/pci/devices/BDF/resourceN (or resourceN_wc), whose file
 * offset is relative to the start of the BAR.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "physmem-common.h"

static int sysfs_map(struct phys_ctx *ctx, struct phys_map *map,
		     const struct phys_target *t, uint64_t len)
{
	bool rw = !(map->flags & PHYS_MAP_RDONLY);
	bool wc = map->flags & PHYS_MAP_WC;
	char path[PATH_MAX], bdf[PM_BDF_MAX];
	int fd, r;

	if (phys_path(ctx, path, sizeof(path), "/sys/bus/pci/devices/%s/resource%u%s",
		      pm_pci_bdf(bdf, t->domain, t->bus, t->dev, t->func), t->bar, wc ? "_wc" : ""))
		return phys_err(ctx, -ENAMETOOLONG, "sysroot too long");
	fd = open(path, (rw ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		if (r == -ENOENT && wc)
			return phys_err(ctx, r, "%s does not exist: BAR %u is not prefetchable, "
					"so write-combining is not offered", path, t->bar);
		return phys_err(ctx, r, "cannot open %s: %s%s", path, strerror(-r),
				r == -EACCES || r == -EPERM ? " (PCI resource files are root-only)" : "");
	}
	r = phys_mmap_fd(ctx, map, fd, t->phys - t->bar_base, len, path);
	if (r) {
		close(fd);
		return r;
	}
	map->fd = fd;
	return 0;
}

/* The kernel refuses to mmap a resourceN whose BAR a driver claimed. */
static void sysfs_diagnose(struct phys_ctx *ctx, const struct phys_target *t, int err)
{
	phys_diag_claimed(ctx, t, err);
}

const struct phys_backend phys_backend_sysfs = {
	.name = "sysfs",
	.help = "PCI BARs by sysfs resourceN files; policy checked by libphys",
	.targets = PHYS_T_MASK(PHYS_T_PCI),
	.policy = PHYS_POLICY_USER,
	.map = sysfs_map,
	.unmap = phys_munmap,
	.diagnose = sysfs_diagnose,
};

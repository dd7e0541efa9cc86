// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * devmem: /dev/mem with O_SYNC (uncached). The kernel's STRICT_DEVMEM and
 * IO_STRICT_DEVMEM still apply; the user-space policy is checked before.
 */
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "physmem-policy.h"
#include "internal.h"

static int devmem_map(struct phys_ctx *ctx, struct phys_map *map,
		      const struct phys_target *t, uint64_t len)
{
	bool rw = !(map->flags & PHYS_MAP_RDONLY);
	char path[PATH_MAX], why[400];
	int fd, r;

	if (phys_path(ctx, path, sizeof(path), "/dev/mem"))
		return phys_err(ctx, -ENAMETOOLONG, "sysroot too long");
	fd = open(path, (rw ? O_RDWR : O_RDONLY) | O_SYNC | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		if ((r == -EPERM || r == -EACCES) && !pol_cap_available(CAP_SYS_RAWIO))
			return phys_err(ctx, r, "%s", pol_cap_explain(CAP_SYS_RAWIO,
					"cannot open /dev/mem", why, sizeof(why)));
		return phys_err(ctx, r, "cannot open %s: %s", path, strerror(-r));
	}
	r = phys_mmap_fd(ctx, map, fd, t->phys, len, "/dev/mem");
	if (r) {
		close(fd);
		return r;
	}
	map->fd = fd;
	return 0;
}

static void devmem_diagnose(struct phys_ctx *ctx, const struct phys_target *t, int err)
{
	phys_diag_lockdown(ctx);
	phys_diag_strict_devmem(ctx, err);
	phys_diag_claimed(ctx, t, err);
}

const struct phys_backend phys_backend_devmem = {
	.name = "devmem",
	.help = "/dev/mem, uncached; policy checked by libphys, STRICT_DEVMEM too",
	.targets = PHYS_T_MASK(PHYS_T_ADDR) | PHYS_T_MASK(PHYS_T_WINDOW) |
		   PHYS_T_MASK(PHYS_T_PCI) | PHYS_T_MASK(PHYS_T_IOMEM),
	.policy = PHYS_POLICY_USER,
	.map = devmem_map,
	.unmap = phys_munmap,
	.diagnose = devmem_diagnose,
};

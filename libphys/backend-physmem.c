// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * physmem: the driver. Like /dev/mem, the file offset is the physical
 * address; the driver maps only ranges inside one window.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static bool physmem_usable(struct phys_ctx *ctx, const struct phys_target *t)
{
	return t->kind != PHYS_T_FILE;
}

static int physmem_map(struct phys_ctx *ctx, struct phys_map *map,
		       const struct phys_target *t, uint64_t off, uint64_t len)
{
	bool rw = !(map->flags & PHYS_MAP_RDONLY);
	int fd, r;

	r = phys_driver_open(ctx, (rw ? O_RDWR : O_RDONLY) | O_SYNC, &fd);
	if (r)
		return r;
	r = phys_mmap_fd(ctx, map, fd, t->phys + off, len, "/dev/physmem");
	if (r) {
		close(fd);
		return r;
	}
	map->fd = fd;
	return 0;
}

const struct phys_backend phys_backend_physmem = {
	.name = "physmem",
	.usable = physmem_usable,
	.map = physmem_map,
	.unmap = phys_munmap,
};

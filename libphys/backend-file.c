// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * file: a regular file as simulated physical memory (tests, demos).
 * MAP_SHARED so another process (or the test) sees every write; accesses
 * past a truncated end fault with SIGBUS like a revoked window does.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static int file_map(struct phys_ctx *ctx, struct phys_map *map,
		    const struct phys_target *t, uint64_t len)
{
	bool rw = !(map->flags & PHYS_MAP_RDONLY);
	char what[PATH_MAX + 8];
	int fd, r;

	snprintf(what, sizeof(what), "file:%s", t->path);
	fd = open(t->path, (rw ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return phys_err(ctx, -errno, "%s: cannot open %s: %s", what,
				rw ? "read-write" : "read-only", strerror(errno));
	r = phys_mmap_fd(ctx, map, fd, t->phys, len, what);
	if (r) {
		close(fd);
		return r;
	}
	map->fd = fd;
	return 0;
}

const struct phys_backend phys_backend_file = {
	.name = "file",
	.help = "a regular file as simulated physical memory (tests, demos)",
	.targets = PHYS_T_MASK(PHYS_T_FILE),
	.policy = PHYS_POLICY_NONE,
	.map = file_map,
	.unmap = phys_munmap,
};

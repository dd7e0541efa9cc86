// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * DMA buffers: coherent memory the driver allocates for the device behind
 * a window whose rule grants `dma` (physmem(4), PHYSMEM_IOC_DMA_ALLOC).
 * Each buffer lives on a descriptor of /dev/physmem of its own, so closing
 * that descriptor frees exactly it; its pages are mapped from there and
 * wrapped as a map, so every accessor and bulk operation works on them.
 * The memory is RAM, not a device's: its map is no physical address and
 * the same memory as no other map.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/physmem.h>
#include "internal.h"

struct phys_dma {
	struct phys_ctx *ctx;
	int fd;				/* the buffer's own descriptor */
	uint64_t bus;			/* address for the device */
	uint64_t size;			/* whole pages */
	uint64_t offset;		/* file offset of the buffer on FD */
	char window[PHYSMEM_NAME_MAX];
	struct phys_map *map;
};

/* The maps of DMA buffers; phys_map_close() leaves them to phys_dma_free(). */
const struct phys_backend phys_backend_dma = {
	.name = "dma",
	.help = "a DMA buffer of the physmem driver (phys_dma_map())",
	.targets = 0,
	.policy = PHYS_POLICY_KERNEL,
	.map = NULL,
	.unmap = phys_munmap,
};

/* Why DMA_ALLOC of SIZE bytes (whole pages) on WINDOW failed with ERR. */
static int alloc_refused(struct phys_ctx *ctx, const char *window, uint64_t size, int err)
{
	char want[32], grant[32], grant_p[32], held[32], below[32];
	struct phys_window_info w;
	int r;

	phys_grant_window(ctx, window, &w);
	r = phys_grant_refused(ctx, window, "dma", err, &w);
	if (r)
		return r;
	phys_size_str(size, want, sizeof(want));
	switch (err) {
	case EPERM:
		if (w.dma_size)
			break;
		return phys_err(ctx, -EPERM, "window %s: its policy rule grants no dma (add 'dma "
				"SIZE' to the rule, physmem.conf(5))", window);
	case EDQUOT:
		if (!w.dma_size)
			return phys_err(ctx, -EDQUOT, "window %s: %s more would pass the DMA buffer "
					"limit its policy rule sets ('dma SIZE'; see physmem-policy "
					"show)", window, want);
		phys_size_str(w.dma_size, grant, sizeof(grant));
		phys_size_policy(w.dma_size, grant_p, sizeof(grant_p));
		if (!w.dma_used)
			return phys_err(ctx, -EDQUOT, "window %s: its policy rule grants %s of DMA "
					"buffers (dma %s): a buffer of %s is more than that",
					window, grant, grant_p, want);
		return phys_err(ctx, -EDQUOT, "window %s: its policy rule grants %s of DMA buffers "
				"(dma %s) and %s are held: %s more is refused", window, grant,
				grant_p, phys_size_str(w.dma_used, held, sizeof(held)), want);
	case ENOSPC:
		return phys_err(ctx, -ENOSPC, "window %s: the descriptor holds %d DMA buffers, the "
				"driver's limit for one open file", window, PHYSMEM_DMA_MAX_BUFFERS);
	case EIO:	/* the DMA API refused the rule's mask for the device */
		if (w.dma_bits && w.dma_bits < 64)
			return phys_err(ctx, -EIO, "window %s: the device cannot take the DMA "
					"mask of its rule (dma-mask %u; see the kernel log)",
					window, w.dma_bits);
		break;
	case ENOMEM:
		if (w.dma_bits && w.dma_bits < 64)
			return phys_err(ctx, -ENOMEM, "window %s: no %s of contiguous memory the "
					"device can address (dma-mask %u: below %s)", window, want,
					w.dma_bits,
					phys_size_str(UINT64_C(1) << w.dma_bits, below, sizeof(below)));
		return phys_err(ctx, -ENOMEM, "window %s: no %s of contiguous memory below the "
				"device's DMA mask", window, want);
	}
	return phys_err(ctx, -err, "window %s: the driver refused a DMA buffer of %s: %s",
			window, want, strerror(err));
}

/* BUF's memory as a map: the pages of [offset, offset + size) of its descriptor. */
static int buffer_map(struct phys_ctx *ctx, struct phys_dma *buf)
{
	struct phys_map *map = calloc(1, sizeof(*map));
	char name[PHYSMEM_NAME_MAX + 32];
	int r;

	snprintf(name, sizeof(name), "dma:%s@0x%" PRIx64, buf->window, buf->bus);
	if (!map || !(map->name = strdup(name))) {
		free(map);
		return phys_err(ctx, -ENOMEM, "out of memory");
	}
	map->ctx = ctx;
	map->flags = 0;
	map->phys = buf->bus;
	map->physical = false;
	map->size = buf->size;
	map->fd = -1;		/* the buffer's, closed by phys_dma_free() */
	map->backend = &phys_backend_dma;
	snprintf(map->window, sizeof(map->window), "%s", buf->window);
	r = phys_mmap_fd(ctx, map, buf->fd, buf->offset, buf->size, map->name);
	if (r) {
		free(map->name);
		free(map);
		return r;
	}
	phys_map_setup_fast(map);
	buf->map = map;
	return 0;
}

PHYS_EXPORT struct phys_dma *phys_dma_alloc(struct phys_ctx *ctx, const char *window,
					    uint64_t size)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	struct physmem_dma_alloc req;
	struct phys_dma *buf;
	int fd, r;

	if (!ctx) {
		errno = EINVAL;
		return NULL;
	}
	PHYS_API(ctx);
	if (window && !size) {
		errno = -phys_err(ctx, -EINVAL, "DMA buffer for window %s: size 0 (a buffer is "
				  "one page or more)", window);
		return NULL;
	}
	if (window && (size > UINT64_MAX - (page - 1) || size > SIZE_MAX - (page - 1))) {
		errno = -phys_err(ctx, -EINVAL, "DMA buffer for window %s: size 0x%" PRIx64
				  " does not fit in whole pages", window, size);
		return NULL;
	}
	r = phys_fault_init();
	if (r) {
		errno = -phys_err(ctx, r, "cannot install the SIGBUS/SIGSEGV handler: %s",
				  strerror(-r));
		return NULL;
	}
	r = phys_grant_open(ctx, window, "DMA buffers", &fd);
	if (r) {
		errno = -r;
		return NULL;
	}
	memset(&req, 0, sizeof(req));
	memcpy(req.name, window, strlen(window));	/* checked: it fits */
	req.size = size;
	do
		r = ioctl(fd, PHYSMEM_IOC_DMA_ALLOC, &req);
	while (r && errno == EINTR);
	if (r) {
		r = alloc_refused(ctx, window, (size + page - 1) & ~(page - 1), errno);
		close(fd);
		errno = -r;
		return NULL;
	}
	buf = calloc(1, sizeof(*buf));
	if (!buf) {
		close(fd);
		errno = -phys_err(ctx, -ENOMEM, "out of memory");
		return NULL;
	}
	buf->ctx = ctx;
	buf->fd = fd;
	buf->bus = req.bus_addr;
	buf->size = req.size;
	buf->offset = req.offset;
	snprintf(buf->window, sizeof(buf->window), "%s", window);
	r = buffer_map(ctx, buf);
	if (r) {
		close(fd);	/* frees the buffer */
		free(buf);
		errno = -r;
		return NULL;
	}
	phys_log(ctx, LOG_DEBUG, "DMA buffer for window %s: 0x%" PRIx64 " bytes at bus address "
		 "0x%" PRIx64 ", file offset 0x%" PRIx64, window, buf->size, buf->bus, buf->offset);
	return buf;
}

PHYS_EXPORT void phys_dma_free(struct phys_dma *buf)
{
	struct physmem_dma_free req;
	int err = errno;

	if (!buf)
		return;
	phys_munmap(buf->map);
	free(buf->map->name);
	free(buf->map);
	/* Closing frees it too; this frees it now even if a child process
	 * kept the descriptor (a child's mapping still holds it). */
	req.offset = buf->offset;
	ioctl(buf->fd, PHYSMEM_IOC_DMA_FREE, &req);
	close(buf->fd);
	free(buf);
	errno = err;
}

PHYS_EXPORT uint64_t phys_dma_bus(const struct phys_dma *buf)
{
	return buf ? buf->bus : 0;
}

PHYS_EXPORT uint64_t phys_dma_size(const struct phys_dma *buf)
{
	return buf ? buf->size : 0;
}

PHYS_EXPORT const char *phys_dma_window(const struct phys_dma *buf)
{
	return buf ? buf->window : NULL;
}

PHYS_EXPORT struct phys_map *phys_dma_map(struct phys_dma *buf)
{
	return buf ? buf->map : NULL;
}

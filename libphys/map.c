// SPDX-License-Identifier: LGPL-2.1-or-later
/* Map handles: parse and locate the target, check the range, let a backend map it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define PHYS_MAP_ALL_FLAGS (PHYS_MAP_RDONLY | PHYS_MAP_BIG_ENDIAN | PHYS_MAP_SPLIT64 | PHYS_MAP_WC)

PHYS_EXPORT struct phys_map *phys_map_open(struct phys_ctx *ctx, const char *target,
					   uint64_t length, unsigned int flags)
{
	const struct phys_backend *backend;
	struct phys_target t;
	struct phys_map *map;
	int r;

	if (!ctx || !target) {
		errno = EINVAL;
		return NULL;
	}
	PHYS_API(ctx);
	if (flags & ~PHYS_MAP_ALL_FLAGS) {
		errno = -phys_err(ctx, -EINVAL, "unknown map flags 0x%x", flags & ~PHYS_MAP_ALL_FLAGS);
		return NULL;
	}
	r = phys_fault_init();
	if (r) {
		errno = -phys_err(ctx, r, "cannot install the SIGBUS/SIGSEGV handler: %s", strerror(-r));
		return NULL;
	}
	r = phys_target_parse(ctx, target, &t);
	if (!r)
		r = phys_target_lookup(ctx, &t, &backend);
	if (r) {
		errno = -r;
		return NULL;
	}
	if (t.kind == PHYS_T_FILE && (!t.size || length > t.size)) {
		errno = -phys_err(ctx, t.size ? -ERANGE : -EINVAL,
				  "%s: the file has 0x%llx bytes%s", target,
				  (unsigned long long)t.size, t.size ? ", fewer than asked for" : "");
		return NULL;
	}
	if (!length) {
		if (!t.size) {
			errno = -phys_err(ctx, -EINVAL,
					  "%s: size unknown (no driver window holds it); give a length",
					  target);
			return NULL;
		}
		length = t.size;
	} else if (t.size && length > t.size) {
		errno = -phys_err(ctx, -ERANGE, "%s: length 0x%llx exceeds its size 0x%llx",
				  target, (unsigned long long)length, (unsigned long long)t.size);
		return NULL;
	} else if (t.phys + length - 1 < t.phys) {
		errno = -phys_err(ctx, -ERANGE, "%s: 0x%llx + 0x%llx overflows the address space",
				  target, (unsigned long long)t.phys, (unsigned long long)length);
		return NULL;
	}
	if (length > SIZE_MAX) {
		errno = -phys_err(ctx, -ERANGE, "%s: length 0x%llx too big to map", target,
				  (unsigned long long)length);
		return NULL;
	}

	map = calloc(1, sizeof(*map));
	if (!map || !(map->name = strdup(target))) {
		free(map);
		errno = -phys_err(ctx, -ENOMEM, "out of memory");
		return NULL;
	}
	map->ctx = ctx;
	map->flags = flags;
	map->phys = phys_target_addr(&t);
	map->size = length;
	map->is_pci = t.is_pci;
	map->physical = phys_target_physical(&t);
	map->file_off = t.kind == PHYS_T_FILE ? t.phys : 0;
	map->fd = -1;
	map->backend = backend;
	snprintf(map->window, sizeof(map->window), "%s", t.resolved_window);

	r = 0;
	if (backend->policy == PHYS_POLICY_USER)
		r = phys_policy_check(ctx, &t, 0, length, !(flags & PHYS_MAP_RDONLY));
	if (!r) {
		r = backend->map(ctx, map, &t, length);
		/* The policy's refusal is its own reason; the backend's are not. */
		if (r)
			phys_diag_map_failure(ctx, &t, backend, r);
	}
	if (r) {
		free(map->name);
		free(map);
		errno = -r;
		return NULL;
	}
	phys_map_setup_fast(map);
	phys_log(ctx, LOG_DEBUG, "%s %s: phys 0x%llx size 0x%llx via %s",
		 map->base ? "mapped" : "opened", target,
		 (unsigned long long)map->phys, (unsigned long long)map->size, backend->name);
	return map;
}

PHYS_EXPORT void phys_map_close(struct phys_map *map)
{
	/* A DMA buffer's map is the buffer's: phys_dma_free() closes it. */
	if (!map || map->backend == &phys_backend_dma)
		return;
	map->backend->unmap(map);
	if (map->fd >= 0)
		close(map->fd);
	free(map->name);
	free(map);
}

PHYS_EXPORT uint64_t phys_map_phys(const struct phys_map *map)
{
	return map ? map->phys : 0;
}

PHYS_EXPORT bool phys_map_physical(const struct phys_map *map)
{
	return map && map->physical;
}

static bool is_file(const struct phys_map *map)
{
	return map->backend == &phys_backend_file;
}

/*
 * Where byte 0 of MAP is in the memory behind it: its physical address,
 * or for a file (even one standing at an @ADDR) its offset in the file.
 */
static uint64_t memory_pos(const struct phys_map *map)
{
	return is_file(map) ? map->file_off : map->phys;
}

/*
 * Whether A and B show the same memory: both the physical address space,
 * or both one file (one inode). Whatever address a file stands at, it is
 * never physical memory, nor another file standing there. A DMA buffer is
 * its own memory, whatever its bus address: only its one map shows it.
 */
static bool same_memory(const struct phys_map *a, const struct phys_map *b)
{
	struct stat sa, sb;

	if (a == b)
		return true;
	if (a->backend == &phys_backend_dma || b->backend == &phys_backend_dma)
		return false;
	if (is_file(a) != is_file(b))
		return false;
	if (!is_file(a))
		return true;
	return a->fd >= 0 && b->fd >= 0 && fstat(a->fd, &sa) == 0 &&
	       fstat(b->fd, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

PHYS_EXPORT int phys_map_offset_in(const struct phys_map *from, uint64_t off,
				   const struct phys_map *to, uint64_t *to_off)
{
	uint64_t pos;

	if (!from || !to || !to_off)
		return -EINVAL;
	if (!same_memory(from, to) || __builtin_add_overflow(memory_pos(from), off, &pos) ||
	    pos < memory_pos(to))
		return -ENOENT;
	*to_off = pos - memory_pos(to);
	return 0;
}

PHYS_EXPORT uint64_t phys_map_size(const struct phys_map *map)
{
	return map ? map->size : 0;
}

PHYS_EXPORT const char *phys_map_name(const struct phys_map *map)
{
	return map ? map->name : NULL;
}

PHYS_EXPORT unsigned int phys_map_flags(const struct phys_map *map)
{
	return map ? map->flags : 0;
}

PHYS_EXPORT struct phys_ctx *phys_map_ctx(const struct phys_map *map)
{
	return map ? map->ctx : NULL;
}

PHYS_EXPORT volatile void *phys_map_ptr(const struct phys_map *map)
{
	return map ? map->base : NULL;
}

PHYS_EXPORT bool phys_value_suspect(const struct phys_map *map, unsigned int width, uint64_t val)
{
	if (!map || !map->is_pci || !width || width > 8)
		return false;
	return val == (width == 8 ? UINT64_MAX : (UINT64_C(1) << (width * 8)) - 1);
}

/*
 * mmap LEN bytes of FD at OFF for any backend: mmap wants a page-aligned
 * offset, so map from the page below and point base at OFF.
 */
int phys_mmap_fd(struct phys_ctx *ctx, struct phys_map *map, int fd, uint64_t off,
		 uint64_t len, const char *what)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t start = off & ~(page - 1), head = off - start;
	int prot = PROT_READ | ((map->flags & PHYS_MAP_RDONLY) ? 0 : PROT_WRITE);
	void *addr;

	if (len > SIZE_MAX - head || (off_t)start < 0)
		return phys_err(ctx, -ERANGE, "%s: offset 0x%llx + 0x%llx too big to map", what,
				(unsigned long long)off, (unsigned long long)len);
	addr = mmap(NULL, (size_t)(head + len), prot, MAP_SHARED, fd, (off_t)start);
	if (addr == MAP_FAILED)
		return phys_err(ctx, -errno, "%s: mmap of 0x%llx bytes at 0x%llx failed: %s", what,
				(unsigned long long)(head + len), (unsigned long long)off,
				strerror(errno));
	map->mmap_addr = addr;
	map->mmap_len = (size_t)(head + len);
	map->base = (volatile uint8_t *)addr + head;
	return 0;
}

void phys_munmap(struct phys_map *map)
{
	if (map->mmap_addr)
		munmap(map->mmap_addr, map->mmap_len);
	map->mmap_addr = NULL;
}

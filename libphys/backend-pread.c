// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pread: the driver without a mapping. Mappings are whole pages, so the
 * driver refuses to mmap a window that does not fill its pages (unless its
 * rule says `pages`); it serves such a window through pread/pwrite, where
 * the file offset is the physical address and a naturally aligned 1, 2, 4
 * or 8-byte request is exactly one device access of that width. Every
 * access here is one such request. The physmem backend hands over to this
 * one for those windows (backend-physmem.c); asking for "pread" uses it for any.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static bool pread_probe(struct phys_ctx *ctx, const struct phys_target *t, const char **why)
{
	*why = "used when asked for, or by physmem for windows it may not map";
	return false;
}

/*
 * Nothing is mapped, so nothing is refused yet: the window list answers
 * what mmap would have (no window, device gone, read-only), so a map
 * opens or fails the same way with either backend.
 */
static int pread_map(struct phys_ctx *ctx, struct phys_map *map,
		     const struct phys_target *t, uint64_t len)
{
	bool rw = !(map->flags & PHYS_MAP_RDONLY);
	uint64_t start = t->phys;
	struct phys_window_info w;
	int fd, r;

	if (start > (uint64_t)INT64_MAX || len > (uint64_t)INT64_MAX - start)
		return phys_err(ctx, -ERANGE, "/dev/physmem: 0x%llx + 0x%llx is beyond any file offset",
				(unsigned long long)start, (unsigned long long)len);
	r = phys_window_containing(ctx, start, len, &w);
	if (r == -ENOENT)
		return phys_err(ctx, -EPERM, "/dev/physmem: 0x%llx bytes at 0x%llx are not inside "
				"one window", (unsigned long long)len, (unsigned long long)start);
	if (r)
		return r;
	/* the reasons follow from phys_diag_map_failure() */
	if (w.gone)
		return phys_err(ctx, -ENODEV, "/dev/physmem: 0x%llx bytes at 0x%llx are no longer "
				"served", (unsigned long long)len, (unsigned long long)start);
	if (rw && !w.rw)
		return phys_err(ctx, -EACCES, "/dev/physmem: writable access to 0x%llx bytes at "
				"0x%llx refused", (unsigned long long)len, (unsigned long long)start);
	r = phys_driver_open(ctx, rw ? O_RDWR : O_RDONLY, &fd);
	if (r)
		return r;
	map->fd = fd;
	snprintf(map->window, sizeof(map->window), "%s", w.name);
	map->unmapped_why = ctx->backend != &phys_backend_pread ?
		"its window does not fill its pages and its rule does not say 'pages'" :
		"the pread backend was asked for";
	return 0;
}

static void pread_unmap(struct phys_map *map)
{
	/* nothing mapped; phys_map_close() closes the file */
}

/*
 * The driver refused an access (ERR = errno, 0 for a short transfer):
 * name the window and the reason. A window removed or a device gone is
 * -EFAULT, as the fault on a mapping is, so callers need not know how
 * the map is served.
 */
__attribute__((cold, noinline))
static int refused(struct phys_map *map, uint64_t off, unsigned int width, bool write, int err)
{
	struct phys_window_info w;
	char why[160];
	int ret = -EFAULT, r;

	switch (err) {
	case EACCES:
		snprintf(why, sizeof(why), "window '%s' is read-only", map->window);
		ret = -EACCES;
		break;
	case ENODEV:
		snprintf(why, sizeof(why), "the device behind window '%s' was removed", map->window);
		break;
	case EPERM:
		r = phys_window_find(map->ctx, map->window, &w);
		if (r == -ENOENT)
			snprintf(why, sizeof(why), "window '%s' was removed", map->window);
		else if (!r && w.gone)
			snprintf(why, sizeof(why), "the device behind window '%s' was removed",
				 map->window);
		else
			snprintf(why, sizeof(why), "window '%s' no longer holds it", map->window);
		break;
	case 0:
		snprintf(why, sizeof(why), "the driver moved fewer bytes than asked");
		ret = -EIO;
		break;
	default:
		snprintf(why, sizeof(why), "%s", strerror(err));
		ret = -err;
	}
	return phys_err(map->ctx, ret, "%s refused the %u-bit %s at 0x%llx (%s+0x%llx): %s",
			write ? "pwrite" : "pread", width * 8, write ? "write" : "read",
			(unsigned long long)(map->phys + off), map->name,
			(unsigned long long)off, why);
}

/* Bytes as the device holds them; the value as a CPU load would give it. */
static int pread_read(struct phys_map *map, uint64_t off, unsigned int width, uint64_t *val)
{
	uint8_t v8, b[8];
	uint16_t v16;
	uint32_t v32;
	ssize_t n;

	do
		n = pread(map->fd, b, width, (off_t)(map->phys + off));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)width)
		return refused(map, off, width, false, n < 0 ? errno : 0);
	switch (width) {
	case 1: memcpy(&v8, b, 1); *val = v8; break;
	case 2: memcpy(&v16, b, 2); *val = v16; break;
	case 4: memcpy(&v32, b, 4); *val = v32; break;
	default: memcpy(val, b, 8);
	}
	return 0;
}

static int pread_write(struct phys_map *map, uint64_t off, unsigned int width, uint64_t val)
{
	uint8_t v8 = (uint8_t)val, b[8];
	uint16_t v16 = (uint16_t)val;
	uint32_t v32 = (uint32_t)val;
	ssize_t n;

	switch (width) {
	case 1: memcpy(b, &v8, 1); break;
	case 2: memcpy(b, &v16, 2); break;
	case 4: memcpy(b, &v32, 4); break;
	default: memcpy(b, &val, 8);
	}
	do
		n = pwrite(map->fd, b, width, (off_t)(map->phys + off));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)width)
		return refused(map, off, width, true, n < 0 ? errno : 0);
	return 0;
}

const struct phys_backend phys_backend_pread = {
	.name = "pread",
	.help = "the driver by pread/pwrite, no mapping (windows it may not map)",
	.targets = PHYS_T_MASK(PHYS_T_ADDR) | PHYS_T_MASK(PHYS_T_WINDOW) |
		   PHYS_T_MASK(PHYS_T_PCI) | PHYS_T_MASK(PHYS_T_IOMEM),
	.policy = PHYS_POLICY_KERNEL,
	.probe = pread_probe,
	.map = pread_map,
	.unmap = pread_unmap,
	.read = pread_read,
	.write = pread_write,
	.diagnose = phys_physmem_diagnose,
};

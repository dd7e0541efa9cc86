// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Bulk and higher-level operations. The whole range is checked once, then
 * every element is one access of WIDTH (never memcpy on device memory).
 * Buffers hold values in CPU order, as phys_readN() returns them.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "access.h"

static bool width_ok(unsigned int w)
{
	return w == 1 || w == 2 || w == 4 || w == 8;
}

static uint64_t width_max(unsigned int w)
{
	return w == 8 ? UINT64_MAX : (UINT64_C(1) << (w * 8)) - 1;
}

static int check_range(struct phys_map *map, uint64_t off, uint64_t len,
		       unsigned int w, bool write)
{
	if (!map)
		return -EINVAL;
	if (!width_ok(w))
		return phys_err(map->ctx, -EINVAL, "access width %u: use 1, 2, 4 or 8 bytes", w);
	if (len % w)
		return phys_err(map->ctx, -EINVAL, "length 0x%llx is not a multiple of the width %u",
				(unsigned long long)len, w);
	if (off > map->size || len > map->size - off)
		return phys_err(map->ctx, -ERANGE,
				"0x%llx bytes at offset 0x%llx are outside %s (size 0x%llx)",
				(unsigned long long)len, (unsigned long long)off, map->name,
				(unsigned long long)map->size);
	if (phys_map_align_addr(map, off) & (w - 1))
		return phys_err(map->ctx, -EINVAL,
				"%u-bit accesses at 0x%llx (%s+0x%llx) are not %u-byte aligned",
				w * 8, (unsigned long long)(map->phys + off), map->name,
				(unsigned long long)off, w);
	if (write && (map->flags & PHYS_MAP_RDONLY))
		return phys_err(map->ctx, -EACCES, "%s is mapped read-only", map->name);
	return 0;
}

static uint64_t load_cpu(const unsigned char *p, unsigned int w)
{
	uint8_t v8; uint16_t v16; uint32_t v32; uint64_t v64;

	switch (w) {
	case 1: memcpy(&v8, p, 1); return v8;
	case 2: memcpy(&v16, p, 2); return v16;
	case 4: memcpy(&v32, p, 4); return v32;
	}
	memcpy(&v64, p, 8);
	return v64;
}

static void store_cpu(unsigned char *p, unsigned int w, uint64_t v)
{
	uint8_t v8 = (uint8_t)v; uint16_t v16 = (uint16_t)v; uint32_t v32 = (uint32_t)v;

	switch (w) {
	case 1: memcpy(p, &v8, 1); return;
	case 2: memcpy(p, &v16, 2); return;
	case 4: memcpy(p, &v32, 4); return;
	}
	memcpy(p, &v, 8);
}

PHYS_EXPORT int phys_check(struct phys_map *map, uint64_t off, uint64_t len, unsigned int width,
			   bool write)
{
	if (!map)
		return -EINVAL;
	if (len == width && width_ok(width))
		return phys_check_access(map, off, width, write);
	return check_range(map, off, len, width, write);
}

PHYS_EXPORT int phys_read_buf(struct phys_map *map, uint64_t off, void *buf, size_t len,
			      unsigned int width)
{
	int r = check_range(map, off, len, width, false);
	uint64_t v;

	if (r)
		return r;
	if (len && !buf)
		return phys_err(map->ctx, -EINVAL, "no buffer");
	for (size_t i = 0; i < len; i += width) {
		r = phys_elem_read(map, off + i, width, &v);
		if (r)
			return r;
		store_cpu((unsigned char *)buf + i, width, v);
	}
	return 0;
}

PHYS_EXPORT int phys_write_buf(struct phys_map *map, uint64_t off, const void *buf,
			       size_t len, unsigned int width)
{
	int r = check_range(map, off, len, width, true);

	if (r)
		return r;
	if (len && !buf)
		return phys_err(map->ctx, -EINVAL, "no buffer");
	for (size_t i = 0; i < len; i += width) {
		r = phys_elem_write(map, off + i, width, load_cpu((const unsigned char *)buf + i, width));
		if (r)
			return r;
	}
	return 0;
}

PHYS_EXPORT int phys_fill(struct phys_map *map, uint64_t off, size_t len, uint64_t value,
			  unsigned int width)
{
	int r = check_range(map, off, len, width, true);

	if (r)
		return r;
	if (value > width_max(width))
		return phys_err(map->ctx, -ERANGE, "value 0x%llx does not fit in %u bits",
				(unsigned long long)value, width * 8);
	for (size_t i = 0; i < len; i += width) {
		r = phys_elem_write(map, off + i, width, value);
		if (r)
			return r;
	}
	return 0;
}

PHYS_EXPORT int phys_copy(struct phys_map *dst, uint64_t dst_off, struct phys_map *src,
			  uint64_t src_off, size_t len, unsigned int width)
{
	bool backward;
	uint64_t v;
	int r;

	r = check_range(src, src_off, len, width, false);
	if (!r)
		r = check_range(dst, dst_off, len, width, true);
	if (r)
		return r;
	/*
	 * Overlap: copy from the end, like memmove. Judged by the memory
	 * behind the maps, not by the maps: two maps of one file, or of one
	 * physical range (a window and its bare address), overlap too.
	 */
	{
		uint64_t d;	/* DST's first byte, as an offset in SRC */

		backward = !phys_map_offset_in(dst, dst_off, src, &d) && d > src_off &&
			   d - src_off < len;
	}
	for (size_t k = 0; k < len; k += width) {
		size_t i = backward ? len - width - k : k;

		r = phys_elem_read(src, src_off + i, width, &v);
		if (!r)
			r = phys_elem_write(dst, dst_off + i, width, v);
		if (r) {
			if (src->ctx != dst->ctx)	/* the caller may look at either */
				memcpy(dst->ctx->errmsg, src->ctx->errmsg, sizeof(dst->ctx->errmsg));
			return r;
		}
	}
	return 0;
}

PHYS_EXPORT int phys_compare(struct phys_map *a, uint64_t a_off, struct phys_map *b,
			     uint64_t b_off, size_t len, unsigned int width,
			     uint64_t *diff_off)
{
	uint64_t va, vb;
	int r;

	r = check_range(a, a_off, len, width, false);
	if (!r)
		r = check_range(b, b_off, len, width, false);
	if (r)
		return r;
	for (size_t i = 0; i < len; i += width) {
		r = phys_elem_read(a, a_off + i, width, &va);
		if (!r)
			r = phys_elem_read(b, b_off + i, width, &vb);
		if (r)
			return r;
		if (va != vb) {
			if (diff_off)
				*diff_off = a_off + i;
			snprintf(a->ctx->errmsg, sizeof(a->ctx->errmsg),
				 "first difference at %s+0x%llx: 0x%llx != 0x%llx",
				 a->name, (unsigned long long)(a_off + i),
				 (unsigned long long)va, (unsigned long long)vb);
			return 1;
		}
	}
	return 0;
}

static int rmw(struct phys_map *map, uint64_t off, unsigned int w, uint64_t clear,
	       uint64_t set, uint64_t *old, uint64_t *new_val)
{
	uint64_t v, n;
	int r = check_range(map, off, w, w, true);

	if (r)
		return r;
	r = phys_elem_read(map, off, w, &v);
	if (r)
		return r;
	n = (v & ~clear) | set;
	r = phys_elem_write(map, off, w, n);
	if (r)
		return r;
	if (old)
		*old = v;
	if (new_val)
		*new_val = n;
	return 0;
}

static int check_bits(struct phys_map *map, unsigned int w, uint64_t bits, const char *what)
{
	if (!map)
		return -EINVAL;
	if (!width_ok(w))
		return phys_err(map->ctx, -EINVAL, "access width %u: use 1, 2, 4 or 8 bytes", w);
	if (bits > width_max(w))
		return phys_err(map->ctx, -ERANGE, "%s 0x%llx does not fit in %u bits", what,
				(unsigned long long)bits, w * 8);
	return 0;
}

PHYS_EXPORT int phys_set_bits(struct phys_map *map, uint64_t off, unsigned int width,
			      uint64_t bits, uint64_t *old, uint64_t *new_val)
{
	int r = check_bits(map, width, bits, "bits");

	return r ? r : rmw(map, off, width, 0, bits, old, new_val);
}

PHYS_EXPORT int phys_clear_bits(struct phys_map *map, uint64_t off, unsigned int width,
				uint64_t bits, uint64_t *old, uint64_t *new_val)
{
	int r = check_bits(map, width, bits, "bits");

	return r ? r : rmw(map, off, width, bits, 0, old, new_val);
}

PHYS_EXPORT int phys_update(struct phys_map *map, uint64_t off, unsigned int width,
			    uint64_t mask, uint64_t value, uint64_t *old, uint64_t *new_val)
{
	int r = check_bits(map, width, mask, "mask");

	if (r)
		return r;
	if (value & ~mask)
		return phys_err(map->ctx, -EINVAL, "value 0x%llx has bits outside the mask 0x%llx",
				(unsigned long long)value, (unsigned long long)mask);
	return rmw(map, off, width, mask, value, old, new_val);
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

PHYS_EXPORT int phys_poll_until(struct phys_map *map, uint64_t off, unsigned int width,
				uint64_t mask, uint64_t value, int cond, uint64_t timeout_us,
				uint64_t interval_us, uint64_t *last)
{
	const char *op = cond == PHYS_POLL_NE ? "==" : "!=";	/* what it stayed */
	uint64_t v, start, spent;
	int r = check_bits(map, width, mask, "mask");

	if (r)
		return r;
	if (cond != PHYS_POLL_EQ && cond != PHYS_POLL_NE)
		return phys_err(map->ctx, -EINVAL, "bad poll condition %d", cond);
	if (value & ~mask)
		return phys_err(map->ctx, -EINVAL,
				"%s value 0x%llx has bits outside the mask 0x%llx: %s",
				cond == PHYS_POLL_EQ ? "wanted" : "unwanted",
				(unsigned long long)value, (unsigned long long)mask,
				cond == PHYS_POLL_EQ ? "it can never match" :
						       "the masked value always differs");
	if (cond == PHYS_POLL_NE && mask == 0)
		return phys_err(map->ctx, -EINVAL,
				"mask 0: the masked value is always 0, it can never differ");
	r = check_range(map, off, width, width, false);
	if (r)
		return r;
	start = now_us();
	for (;;) {
		r = phys_elem_read(map, off, width, &v);
		if (r)
			return r;
		if (last)
			*last = v;
		if (((v & mask) == value) == (cond == PHYS_POLL_EQ))
			return 0;
		spent = now_us() - start;
		if (spent >= timeout_us)
			break;
		if (interval_us) {
			/* never past the timeout */
			uint64_t nap = interval_us < timeout_us - spent ?
				       interval_us : timeout_us - spent;
			struct timespec ts = {
				.tv_sec = (time_t)(nap / 1000000u),
				.tv_nsec = (long)(nap % 1000000u) * 1000,
			};
			nanosleep(&ts, NULL);
		}
	}
	return phys_err(map->ctx, -ETIMEDOUT,
			"timeout after %llu us polling %s+0x%llx: last value 0x%llx, "
			"(value & 0x%llx) %s 0x%llx",
			(unsigned long long)timeout_us, map->name, (unsigned long long)off,
			(unsigned long long)v, (unsigned long long)mask, op,
			(unsigned long long)value);
}

PHYS_EXPORT int phys_poll(struct phys_map *map, uint64_t off, unsigned int width,
			  uint64_t mask, uint64_t want, uint64_t timeout_us,
			  uint64_t interval_us, uint64_t *last)
{
	return phys_poll_until(map, off, width, mask, want, PHYS_POLL_EQ, timeout_us,
			       interval_us, last);
}

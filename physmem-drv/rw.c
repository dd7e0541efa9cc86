// SPDX-License-Identifier: GPL-2.0
/*
 * physmem: read/write (pread/pwrite) at file offset = physical address.
 *
 * A request of 1, 2, 4 or 8 bytes at an address aligned to its size is
 * exactly one device access of that width: a register interface without
 * mmap. Anything else is copied with naturally aligned accesses of at most
 * 4 bytes, so no byte outside the request is ever touched. Data passes
 * through a kernel bounce buffer so no user fault happens under
 * physmem_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/minmax.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "physmem.h"

#define PHYSMEM_CHUNK	PAGE_SIZE

static size_t physmem_width(u64 addr, size_t len, bool whole)
{
#ifdef readq
	if (whole && len == 8 && IS_ALIGNED(addr, 8))
		return 8;
#endif
	if (len >= 4 && IS_ALIGNED(addr, 4))
		return 4;
	if (len >= 2 && IS_ALIGNED(addr, 2))
		return 2;
	return 1;
}

/* The bounce buffer has no alignment of its own: copy values with memcpy. */
static void physmem_io_read(u8 *dst, const void __iomem *src, u64 addr,
			    size_t len, bool whole)
{
	while (len) {
		size_t w = physmem_width(addr, len, whole);
		u32 v32;
		u16 v16;

		switch (w) {
#ifdef readq
		case 8: {
			u64 v64 = readq(src);

			memcpy(dst, &v64, 8);
			break;
		}
#endif
		case 4:
			v32 = readl(src);
			memcpy(dst, &v32, 4);
			break;
		case 2:
			v16 = readw(src);
			memcpy(dst, &v16, 2);
			break;
		default:
			*dst = readb(src);
		}
		dst += w;
		src += w;
		addr += w;
		len -= w;
	}
}

static void physmem_io_write(void __iomem *dst, const u8 *src, u64 addr,
			     size_t len, bool whole)
{
	while (len) {
		size_t w = physmem_width(addr, len, whole);
		u32 v32;
		u16 v16;

		switch (w) {
#ifdef writeq
		case 8: {
			u64 v64;

			memcpy(&v64, src, 8);
			writeq(v64, dst);
			break;
		}
#endif
		case 4:
			memcpy(&v32, src, 4);
			writel(v32, dst);
			break;
		case 2:
			memcpy(&v16, src, 2);
			writew(v16, dst);
			break;
		default:
			writeb(*src, dst);
		}
		dst += w;
		src += w;
		addr += w;
		len -= w;
	}
}

/* The window for [addr, addr + count), referenced, or an ERR_PTR. */
static struct physmem_win *physmem_rw_window(u64 addr, size_t count,
					     bool write)
{
	struct physmem_win *win;
	int ret = 0;

	down_read(&physmem_lock);
	win = physmem_find(addr, count, false);
	if (!win) {
		physmem_refuse("%s [%#llx, +%#zx) outside any window",
			       write ? "write" : "read", addr, count);
		ret = -EPERM;
	} else if (win->gone) {
		ret = -ENODEV;
	} else if (write && !(win->def.flags & PHYSMEM_WIN_RW)) {
		physmem_refuse("write [%#llx, +%#zx) to read-only window %s",
			       addr, count, win->def.name);
		ret = -EACCES;
	} else {
		physmem_win_get(win);
	}
	up_read(&physmem_lock);
	return ret ? ERR_PTR(ret) : win;
}

/*
 * Long requests stop at a pending signal, returning what was done; the
 * first chunk always completes, so register-sized accesses never fail that
 * way and are never repeated.
 */
static bool physmem_interrupted(size_t done)
{
	return done && signal_pending(current);
}

/*
 * One request, in chunks through the bounce buffer: from the user first
 * when writing, to the user after the device when reading. The window is
 * checked for removal under the lock before each chunk.
 */
static ssize_t physmem_rw(char __user *ubuf, size_t count, loff_t *ppos,
			  bool write)
{
	u64 addr = (u64)*ppos;
	struct physmem_win *win;
	size_t done = 0;
	ssize_t ret = 0;
	u8 *bounce;

	if (!count)
		return 0;
	win = physmem_rw_window(addr, count, write);
	if (IS_ERR(win))
		return PTR_ERR(win);
	bounce = kmalloc(min_t(size_t, count, PHYSMEM_CHUNK), GFP_KERNEL);
	if (!bounce) {
		ret = -ENOMEM;
		goto out;
	}

	while (done < count && !physmem_interrupted(done)) {
		size_t n = min_t(size_t, count - done, PHYSMEM_CHUNK);
		u64 at = addr + done;
		void __iomem *regs;

		if (write && copy_from_user(bounce, ubuf + done, n)) {
			ret = -EFAULT;
			break;
		}
		down_read(&physmem_lock);
		if (win->gone) {
			up_read(&physmem_lock);
			ret = -ENODEV;
			break;
		}
		regs = win->regs + (at - win->base);
		if (write)
			physmem_io_write(regs, bounce, at, n, n == count);
		else
			physmem_io_read(bounce, regs, at, n, n == count);
		up_read(&physmem_lock);

		if (!write && copy_to_user(ubuf + done, bounce, n)) {
			ret = -EFAULT;
			break;
		}
		done += n;
		cond_resched();
	}
	kfree(bounce);
out:
	physmem_win_put(win);
	if (!done)
		return ret;
	*ppos += done;
	return done;
}

ssize_t physmem_read(struct file *file, char __user *buf, size_t count,
		     loff_t *ppos)
{
	return physmem_rw(buf, count, ppos, false);
}

/* physmem_rw() only reads from BUF when writing. */
ssize_t physmem_write(struct file *file, const char __user *buf,
		      size_t count, loff_t *ppos)
{
	return physmem_rw((char __user *)buf, count, ppos, true);
}

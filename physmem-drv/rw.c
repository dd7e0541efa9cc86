// SPDX-License-Identifier: GPL-2.0
/*
 * physmem: read/write (pread/pwrite) at file offset = physical address,
 * and the same accesses for debuggers reading a mapping (/proc/PID/mem).
 *
 * A request of 1, 2, 4 or 8 bytes at an address aligned to its size is
 * exactly one device access of that width: a register interface without
 * mmap. Anything else is copied with naturally aligned accesses of at most
 * 4 bytes, chosen by address alone, so no byte outside the request is ever
 * touched and no access is wider than a 32-bit register.
 *
 * Data passes through a kernel bounce buffer, one page-bounded chunk at a
 * time, so no user fault happens under physmem_lock. The device is reached
 * through a mapping of just that chunk, made for it: a window holds no
 * kernel mapping, which would pin vmalloc space and the range's memory
 * type for as long as the window lives. physmem_lock is held across one
 * access at a time, so revoking a window (or removing a device) waits for
 * at most one access, however slow a dying device answers.
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

/* One access of the whole request? Then its width is the request's. */
static bool physmem_single(u64 addr, size_t len)
{
#ifndef readq
	if (len == 8)
		return false;	/* no 64-bit access on this architecture */
#endif
	return (len == 1 || len == 2 || len == 4 || len == 8) &&
	       IS_ALIGNED(addr, len);
}

static unsigned int physmem_width(u64 addr, size_t len)
{
	if (len >= 4 && IS_ALIGNED(addr, 4))
		return 4;
	if (len >= 2 && IS_ALIGNED(addr, 2))
		return 2;
	return 1;
}

/* The buffer has no alignment of its own: copy values with memcpy. */
static void physmem_io_one(void __iomem *regs, u8 *buf, unsigned int width,
			   bool write)
{
	u32 v32;
	u16 v16;

	switch (width) {
#ifdef readq
	case 8: {
		u64 v64;

		if (write) {
			memcpy(&v64, buf, 8);
			writeq(v64, regs);
		} else {
			v64 = readq(regs);
			memcpy(buf, &v64, 8);
		}
		return;
	}
#endif
	case 4:
		if (write) {
			memcpy(&v32, buf, 4);
			writel(v32, regs);
		} else {
			v32 = readl(regs);
			memcpy(buf, &v32, 4);
		}
		return;
	case 2:
		if (write) {
			memcpy(&v16, buf, 2);
			writew(v16, regs);
		} else {
			v16 = readw(regs);
			memcpy(buf, &v16, 2);
		}
		return;
	default:
		if (write)
			writeb(*buf, regs);
		else
			*buf = readb(regs);
	}
}

/*
 * Move LEN bytes (at most a chunk) between BUF and the window at ADDR;
 * SINGLE: as one access. *DONE is what was moved before a revocation
 * stopped it (-ENODEV).
 */
static int physmem_io(struct physmem_win *win, u64 addr, u8 *buf, size_t len,
		      bool single, bool write, size_t *done)
{
	void __iomem *regs;
	int ret = 0;

	*done = 0;
	if (win->def.flags & PHYSMEM_WIN_WC)
		regs = ioremap_wc(addr, len);
	else
		regs = ioremap(addr, len);
	if (!regs)
		return -ENOMEM;

	while (*done < len) {
		unsigned int w = single ? len : physmem_width(addr + *done,
							     len - *done);

		down_read(&physmem_lock);
		if (!physmem_win_usable(win)) {
			up_read(&physmem_lock);
			ret = -ENODEV;
			break;
		}
		physmem_io_one(regs + *done, buf + *done, w, write);
		up_read(&physmem_lock);
		*done += w;
	}
	iounmap(regs);
	return ret;
}

/* The window for [addr, addr + count), referenced, or an ERR_PTR. */
static struct physmem_win *physmem_rw_window(u64 addr, size_t count,
					     bool write)
{
	struct physmem_win *win;
	int ret = 0;

	down_read(&physmem_lock);
	win = physmem_find(addr, count);
	if (!win) {
		physmem_refuse("%s [%#llx, +%#zx) outside any window",
			       write ? "write" : "read", addr, count);
		ret = -EPERM;
	} else if (!physmem_win_usable(win)) {
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

/* Chunks end at page boundaries, so access widths depend on addresses only. */
static size_t physmem_chunk(u64 addr, size_t left)
{
	return min_t(size_t, left, PHYSMEM_CHUNK - (addr & (PHYSMEM_CHUNK - 1)));
}

/*
 * One request, chunk by chunk through the bounce buffer. A long request
 * stops at a pending signal and returns what was done; the first chunk
 * always completes, so a register-sized access never fails that way (no
 * EINTR) and is never repeated.
 */
static ssize_t physmem_rw(char __user *ubuf, size_t count, loff_t *ppos,
			  bool write)
{
	u64 addr = (u64)*ppos;
	bool single = physmem_single(addr, count);
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

	while (done < count && !(done && signal_pending(current))) {
		size_t n = physmem_chunk(addr + done, count - done), moved;

		if (write && copy_from_user(bounce, ubuf + done, n)) {
			ret = -EFAULT;
			break;
		}
		ret = physmem_io(win, addr + done, bounce, n, single, write,
				 &moved);
		if (!write && copy_to_user(ubuf + done, bounce, moved)) {
			ret = -EFAULT;
			break;
		}
		done += moved;
		if (ret)
			break;
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

/*
 * For a debugger (the vma's ->access): LEN bytes at ADDR, inside WIN and
 * within one page, with the widths of pread/pwrite. 0 or -errno.
 */
int physmem_access_kernel(struct physmem_win *win, u64 addr, void *buf,
			  size_t len, bool write)
{
	size_t done;

	if (write && !(win->def.flags & PHYSMEM_WIN_RW))
		return -EACCES;
	return physmem_io(win, addr, buf, len, physmem_single(addr, len),
			  write, &done);
}

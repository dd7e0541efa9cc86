// SPDX-License-Identifier: GPL-2.0
/*
 * physmem: mmap. The checks come in the order of mmap_mem() in mem.c;
 * pages are inserted at fault time, so that a revoked window (zapped with
 * unmap_mapping_range) faults into SIGBUS instead of reaching the device.
 * Only a window that fills its pages can be mapped: a mapping never
 * exposes a byte outside the window it was granted through.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "physmem.h"

/* One per vma: who mapped which window, for the proc file. */
struct physmem_map {
	struct list_head node;
	struct physmem_win *win;	/* referenced */
	struct vm_area_struct *vma;
	pid_t pid;
	char comm[TASK_COMM_LEN];
};

static LIST_HEAD(physmem_maps);
static DEFINE_SPINLOCK(physmem_maps_lock);

static void physmem_map_track(struct vm_area_struct *vma,
			      struct physmem_map *map, struct physmem_win *win)
{
	physmem_win_get(win);
	map->win = win;
	map->vma = vma;
	map->pid = task_tgid_nr(current);
	get_task_comm(map->comm, current);
	vma->vm_private_data = map;

	spin_lock(&physmem_maps_lock);
	list_add_tail(&map->node, &physmem_maps);
	spin_unlock(&physmem_maps_lock);
}

/* A copy of a vma (fork, split, move) needs its own record. */
static void physmem_vm_open(struct vm_area_struct *vma)
{
	struct physmem_map *orig = vma->vm_private_data;
	struct physmem_map *map;

	/* ->open cannot fail, and the record is small. */
	map = kzalloc(sizeof(*map), GFP_KERNEL | __GFP_NOFAIL);
	physmem_map_track(vma, map, orig->win);
}

static void physmem_vm_close(struct vm_area_struct *vma)
{
	struct physmem_map *map = vma->vm_private_data;

	spin_lock(&physmem_maps_lock);
	list_del(&map->node);
	spin_unlock(&physmem_maps_lock);
	physmem_win_put(map->win);
	kfree(map);
}

/* Is [phys, phys + len) inside the window (a mapping, or a request for one)? */
static bool physmem_vma_in_win(const struct physmem_win *win, u64 phys,
			       u64 len)
{
	return phys >= win->base && phys <= win->last &&
	       len - 1 <= win->last - phys;
}

static vm_fault_t physmem_vm_fault(struct vm_fault *vmf)
{
	struct physmem_map *map = vmf->vma->vm_private_data;
	u64 phys = (u64)vmf->pgoff << PAGE_SHIFT;
	vm_fault_t ret = VM_FAULT_SIGBUS;

	/* Held across the insert so revocation cannot pass in between. */
	down_read(&physmem_lock);
	if (physmem_win_usable(map->win) &&
	    physmem_vma_in_win(map->win, phys, PAGE_SIZE))
		ret = vmf_insert_pfn(vmf->vma, vmf->address, vmf->pgoff);
	up_read(&physmem_lock);
	return ret;
}

/*
 * A debugger (ptrace, /proc/PID/mem) cannot follow a VM_IO mapping with
 * get_user_pages(); it asks here, as mem.c, uio and PCI sysfs answer with
 * generic_access_phys(). The access goes through the window rather than
 * the page tables, so a page not yet touched reads too and a revoked
 * window fails, and it keeps pread's access widths.
 */
static int physmem_vm_access(struct vm_area_struct *vma, unsigned long addr,
			     void *buf, int len, int write)
{
	struct physmem_map *map = vma->vm_private_data;
	u64 phys = ((u64)vma->vm_pgoff << PAGE_SHIFT) + (addr - vma->vm_start);
	int n, ret;

	if (len <= 0 || addr < vma->vm_start || addr >= vma->vm_end)
		return -EINVAL;
	/* The caller passes what is left of its request: one page at a time. */
	n = min_t(unsigned long, len, PAGE_SIZE - offset_in_page(addr));
	if (!physmem_vma_in_win(map->win, phys, n))
		return -EINVAL;
	if (write && !(vma->vm_flags & VM_WRITE))
		return -EACCES;
	ret = physmem_access_kernel(map->win, phys, buf, n, write);
	return ret ? ret : n;
}

static const struct vm_operations_struct physmem_vm_ops = {
	.open	= physmem_vm_open,
	.close	= physmem_vm_close,
	.fault	= physmem_vm_fault,
	.access	= physmem_vm_access,
};

static int physmem_mmap_check(struct vm_area_struct *vma,
			      struct physmem_win *win, u64 start, u64 len)
{
	if (!win)
		win = physmem_find_overlap(start, len);
	if (win && !win->mmap_ok) {
		physmem_refuse("mmap of window %s: it does not fill its pages (use pread/pwrite, or the 'pages' option)",
			       win->def.name);
		return -EPERM;
	}
	if (!win || !physmem_vma_in_win(win, start, len)) {
		physmem_refuse("mmap [%#llx, +%#llx) outside any window",
			       start, len);
		return -EPERM;
	}
	if (!physmem_win_usable(win))
		return -ENODEV;
	if (!(win->def.flags & PHYSMEM_WIN_RW) && (vma->vm_flags & VM_WRITE)) {
		physmem_refuse("writable mmap of read-only window %s",
			       win->def.name);
		return -EACCES;
	}
	return 0;
}

int physmem_mmap(struct file *file, struct vm_area_struct *vma)
{
	/* vm_pgoff came from a 64-bit offset >> PAGE_SHIFT: no overflow. */
	u64 start = (u64)vma->vm_pgoff << PAGE_SHIFT;
	u64 len = vma->vm_end - vma->vm_start;
	struct physmem_map *map;
	struct physmem_win *win;
	int ret;

	/*
	 * A private copy-on-write view of a device makes no sense. VM_MAYSHARE,
	 * not VM_SHARED: the latter is cleared for MAP_SHARED on a read-only fd.
	 */
	if (!(vma->vm_flags & VM_MAYSHARE)) {
		physmem_refuse("private mmap [%#llx, +%#llx)", start, len);
		return -EINVAL;
	}
	/* Device registers are not code. */
	if (vma->vm_flags & VM_EXEC) {
		physmem_refuse("executable mmap [%#llx, +%#llx)", start, len);
		return -EPERM;
	}

	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return -ENOMEM;

	down_read(&physmem_lock);
	win = physmem_find(start, len);
	ret = physmem_mmap_check(vma, win, start, len);
	if (ret)
		goto out;

	if (!(win->def.flags & PHYSMEM_WIN_RW))
		vm_flags_clear(vma, VM_MAYWRITE);
	vm_flags_clear(vma, VM_MAYEXEC);
	if (win->def.flags & PHYSMEM_WIN_WC)
		vma->vm_page_prot = pgprot_writecombine(vma->vm_page_prot);
	else
		vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	/* MMIO is never encrypted (SME/SEV hosts, TDX guests), as in vfio-pci. */
	vma->vm_page_prot = pgprot_decrypted(vma->vm_page_prot);
	vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = &physmem_vm_ops;
	physmem_map_track(vma, map, win);
	map = NULL;
out:
	up_read(&physmem_lock);
	kfree(map);
	return ret;
}

int physmem_maps_show(struct seq_file *m)
{
	struct physmem_map *map;

	spin_lock(&physmem_maps_lock);
	list_for_each_entry(map, &physmem_maps, node) {
		/* Racy against a split of the vma, but only for display. */
		const struct vm_area_struct *vma = map->vma;
		u64 start = (u64)READ_ONCE(vma->vm_pgoff) << PAGE_SHIFT;
		u64 len = READ_ONCE(vma->vm_end) - READ_ONCE(vma->vm_start);

		seq_printf(m, "%d %s %s %#llx-%#llx %s\n", map->pid, map->comm,
			   map->win->def.name, start, start + len - 1,
			   READ_ONCE(vma->vm_flags) & VM_WRITE ? "rw" : "ro");
	}
	spin_unlock(&physmem_maps_lock);
	return 0;
}

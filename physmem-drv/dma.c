// SPDX-License-Identifier: GPL-2.0
/*
 * physmem: DMA buffers for the devices that windows grant dma. A buffer is
 * coherent memory from the DMA API (so behind an IOMMU the device reaches
 * only its buffers), allocated for one open file, and reached through that
 * file at offsets above every physical address: mmap (pages inserted at
 * fault time, so a revoked buffer faults into SIGBUS) and pread/pwrite.
 *
 * A buffer is referenced by its file (until DMA_FREE or close) and by each
 * vma mapping it; its memory is freed when the last reference goes, or at
 * once when the grant is revoked (window removed, device given back or
 * removed), after its mappings are zapped. Before the memory is freed, bus
 * mastering of the device is switched off, and when the device's last
 * buffer goes the function is reset where it can be: a DMA left running
 * never writes into memory the kernel has taken back.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "physmem.h"

struct physmem_buf {
	struct list_head node;		/* physmem_bufs, under physmem_lock */
	struct list_head file_node;	/* its file's list while it holds it */
	struct kref ref;		/* the file, and each vma */
	struct physmem_win *win;	/* the granting window, referenced */
	void *cpu;			/* NULL once freed */
	dma_addr_t bus;
	u64 size;			/* whole pages */
	u64 offset;			/* file offset */
	pid_t pid;
	char comm[TASK_COMM_LEN];
};

/* Every buffer, for revocation and the proc file; under physmem_lock. */
static LIST_HEAD(physmem_bufs);
/* Next free file offset; offsets are never reused. Under physmem_lock. */
static u64 physmem_dma_next = PHYSMEM_DMA_OFFSET_BASE;

static struct pci_dev *physmem_buf_pdev(const struct physmem_buf *buf)
{
	return buf->win->pdev;
}

/*
 * Does an IOMMU translate the device's DMA (not passthrough)? Then make
 * sure that what was just unmapped is out of its reach: a lazy domain
 * (Debian's default) defers the IOTLB flush.
 */
static bool physmem_dma_fence(struct device *dev)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);

	if (!domain || domain->type == IOMMU_DOMAIN_IDENTITY ||
	    domain->type == IOMMU_DOMAIN_BLOCKED)
		return false;
	iommu_flush_iotlb_all(domain);
	return true;
}

/* How many buffers with memory does the device have? Under physmem_lock. */
static unsigned int physmem_dev_nr_bufs(const struct pci_dev *pdev)
{
	struct physmem_buf *buf;
	unsigned int n = 0;

	list_for_each_entry(buf, &physmem_bufs, node)
		if (buf->cpu && physmem_buf_pdev(buf) == pdev)
			n++;
	return n;
}

/*
 * Take the memory back: zap the mappings, stop the device's DMA, free.
 * Under physmem_lock for writing.
 */
static void physmem_buf_free_mem(struct physmem_buf *buf)
{
	struct pci_dev *pdev = physmem_buf_pdev(buf);
	struct physmem_dev *dev = buf->win->dev;
	void *cpu = buf->cpu;

	lockdep_assert_held_write(&physmem_lock);
	if (!cpu)
		return;
	buf->cpu = NULL;	/* faults and reads fail from here on */
	unmap_mapping_range(physmem_mapping, buf->offset, buf->size, 1);

	pci_clear_master(pdev);
	/*
	 * The last buffer: reset the function where it can be (a trylock:
	 * not while the driver core holds the device, as in remove), unless
	 * someone waits for its interrupts.
	 */
	if (!physmem_dev_nr_bufs(pdev) && !dev->irq)
		physmem_dev_reset(pdev);
	dma_free_coherent(&pdev->dev, buf->size, cpu, buf->bus);
	buf->win->dma_used -= buf->size;
	/*
	 * Behind a translating IOMMU the freed memory is out of the device's
	 * reach now (the IOTLB flushed), so the device's other buffers and
	 * its MSI (a write on the bus) get bus mastering back. Without one
	 * it stays off until the next buffer is allocated: a DMA left
	 * running must not resume.
	 */
	if (physmem_dma_fence(&pdev->dev) && !dev->gone &&
	    (physmem_dev_nr_bufs(pdev) || physmem_irq_msi(dev)))
		pci_set_master(pdev);
}

static void physmem_buf_release(struct kref *ref)
{
	struct physmem_buf *buf = container_of(ref, struct physmem_buf, ref);

	down_write(&physmem_lock);
	physmem_buf_free_mem(buf);
	list_del(&buf->node);
	up_write(&physmem_lock);
	physmem_win_put(buf->win);
	kfree(buf);
}

static void physmem_buf_put(struct physmem_buf *buf)
{
	kref_put(&buf->ref, physmem_buf_release);
}

/*
 * The grant is gone: free the memory of the window's buffers (WIN), or of
 * all the device's buffers (DEV). The records stay until their file and
 * mappings let go. Under physmem_lock for writing.
 */
void physmem_dma_revoke(struct physmem_win *win, struct physmem_dev *dev)
{
	struct physmem_buf *buf;

	lockdep_assert_held_write(&physmem_lock);
	list_for_each_entry(buf, &physmem_bufs, node) {
		if (!buf->cpu)
			continue;
		if (win ? buf->win != win : buf->win->dev != dev)
			continue;
		physmem_buf_free_mem(buf);
	}
}

static int physmem_alloc_check(struct file *file, struct physmem_win *win,
			       const char *name, u64 size)
{
	struct physmem_file *pf = file->private_data;

	if (!win || win->gone) {
		physmem_refuse("dma buffer for window %s: no such window", name);
		return -ENOENT;
	}
	if (!win->def.dma_size) {
		physmem_refuse("dma buffer for window %s: the window grants no dma",
			       name);
		return -EPERM;
	}
	if (!win->dev || win->dev->gone)
		return -ENODEV;
	if (pf->nr_bufs >= PHYSMEM_DMA_MAX_BUFFERS) {
		physmem_refuse("dma buffer for window %s: the file holds %u buffers, the most one file may",
			       name, pf->nr_bufs);
		return -ENOSPC;
	}
	if (size > win->def.dma_size - win->dma_used) {
		physmem_refuse("dma buffer for window %s: %#llx bytes asked, %#llx of the window's dma limit %#llx held",
			       name, size, win->dma_used, win->def.dma_size);
		return -EDQUOT;
	}
	if (physmem_dma_next > PHYSMEM_DMA_OFFSET_END - PAGE_SIZE ||
	    size > PHYSMEM_DMA_OFFSET_END - PAGE_SIZE - physmem_dma_next)
		return -ENOSPC;	/* offsets are never reused: not in practice */
	return 0;
}

long physmem_ioctl_dma_alloc(struct file *file, void __user *arg)
{
	struct physmem_file *pf = file->private_data;
	struct physmem_dma_alloc req;
	struct physmem_buf *buf;
	struct physmem_win *win;
	struct pci_dev *pdev;
	u64 size;
	int ret;

	/* The buffer is written and read through this file. */
	if ((file->f_mode & (FMODE_READ | FMODE_WRITE)) !=
	    (FMODE_READ | FMODE_WRITE))
		return -EBADF;
	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (!physmem_name_valid(req.name) || req.flags || req.__pad ||
	    req.__reserved[0] || req.__reserved[1] || !req.size ||
	    req.size > SIZE_MAX - PAGE_SIZE)
		return -EINVAL;
	size = PAGE_ALIGN(req.size);

	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	kref_init(&buf->ref);

	down_write(&physmem_lock);
	win = physmem_find_name(req.name);
	ret = physmem_alloc_check(file, win, req.name, size);
	if (ret)
		goto out_unlock;
	pdev = win->pdev;
	ret = dma_set_mask_and_coherent(&pdev->dev,
					DMA_BIT_MASK(win->def.dma_bits ?: 64));
	if (ret) {
		physmem_refuse("dma buffer for window %s: device %s cannot take a %u-bit DMA mask",
			       req.name, pci_name(pdev), win->def.dma_bits ?: 64);
		goto out_unlock;
	}
	buf->cpu = dma_alloc_coherent(&pdev->dev, size, &buf->bus,
				      GFP_KERNEL | __GFP_NOWARN);
	if (!buf->cpu) {
		physmem_refuse("dma buffer for window %s: no %#llx bytes of memory the device can address",
			       req.name, size);
		ret = -ENOMEM;
		goto out_unlock;
	}
	/*
	 * Memory is handed out zeroed by the DMA API. The device may master
	 * the bus again: anything freed before is fenced (see free_mem).
	 */
	physmem_dma_fence(&pdev->dev);
	pci_set_master(pdev);

	physmem_win_get(win);
	buf->win = win;
	buf->size = size;
	buf->offset = physmem_dma_next;
	physmem_dma_next += size + PAGE_SIZE;	/* a hole between buffers */
	buf->pid = task_tgid_nr(current);
	get_task_comm(buf->comm, current);
	win->dma_used += size;
	/*
	 * Revocable from here on, but not the file's until the caller knows
	 * it: nothing can free it or map it before the reply is out. Its slot
	 * in the file is taken now.
	 */
	list_add_tail(&buf->node, &physmem_bufs);
	pf->nr_bufs++;
	physmem_audit("dma buffer for window %s: %#llx bytes at bus %pad",
		      req.name, size, &buf->bus);

	req.size = size;
	req.bus_addr = buf->bus;
	req.offset = buf->offset;
	up_write(&physmem_lock);

	ret = copy_to_user(arg, &req, sizeof(req)) ? -EFAULT : 0;
	down_write(&physmem_lock);
	if (ret)
		pf->nr_bufs--;
	else
		list_add_tail(&buf->file_node, &pf->bufs);
	up_write(&physmem_lock);
	if (ret)
		physmem_buf_put(buf);	/* nobody knows of it */
	return ret;

out_unlock:
	up_write(&physmem_lock);
	kfree(buf);
	return ret;
}

/* The file's buffer holding [start, start + len), or NULL; under physmem_lock. */
static struct physmem_buf *physmem_buf_find(struct physmem_file *pf,
					    u64 start, u64 len)
{
	struct physmem_buf *buf;

	if (!len)
		return NULL;
	list_for_each_entry(buf, &pf->bufs, file_node)
		if (start >= buf->offset && start - buf->offset < buf->size &&
		    len <= buf->size - (start - buf->offset))
			return buf;
	return NULL;
}

long physmem_ioctl_dma_free(struct file *file, void __user *arg)
{
	struct physmem_file *pf = file->private_data;
	struct physmem_dma_free req;
	struct physmem_buf *buf;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;

	down_write(&physmem_lock);
	buf = physmem_buf_find(pf, req.offset, 1);
	if (!buf || buf->offset != req.offset) {
		up_write(&physmem_lock);
		return -ENOENT;
	}
	list_del(&buf->file_node);
	pf->nr_bufs--;
	up_write(&physmem_lock);
	/* The memory goes with the last mapping. */
	physmem_buf_put(buf);
	return 0;
}

void physmem_dma_release_file(struct physmem_file *pf)
{
	struct physmem_buf *buf, *tmp;
	LIST_HEAD(dropped);

	down_write(&physmem_lock);
	list_splice_init(&pf->bufs, &dropped);
	pf->nr_bufs = 0;
	up_write(&physmem_lock);
	list_for_each_entry_safe(buf, tmp, &dropped, file_node) {
		list_del(&buf->file_node);
		physmem_buf_put(buf);
	}
}

static void physmem_buf_vm_open(struct vm_area_struct *vma)
{
	struct physmem_buf *buf = vma->vm_private_data;

	kref_get(&buf->ref);
}

static void physmem_buf_vm_close(struct vm_area_struct *vma)
{
	physmem_buf_put(vma->vm_private_data);
}

static vm_fault_t physmem_buf_vm_fault(struct vm_fault *vmf)
{
	struct physmem_buf *buf = vmf->vma->vm_private_data;
	u64 off = ((u64)vmf->pgoff << PAGE_SHIFT) - buf->offset;
	vm_fault_t ret = VM_FAULT_SIGBUS;

	/* Held across the insert so that the memory cannot go in between. */
	down_read(&physmem_lock);
	if (buf->cpu && (u64)vmf->pgoff << PAGE_SHIFT >= buf->offset &&
	    off < buf->size) {
		void *p = buf->cpu + off;
		struct page *page = is_vmalloc_addr(p) ? vmalloc_to_page(p) :
							 virt_to_page(p);

		ret = vmf_insert_pfn(vmf->vma, vmf->address, page_to_pfn(page));
	}
	up_read(&physmem_lock);
	return ret;
}

static const struct vm_operations_struct physmem_buf_vm_ops = {
	.open	= physmem_buf_vm_open,
	.close	= physmem_buf_vm_close,
	.fault	= physmem_buf_vm_fault,
};

int physmem_dma_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct physmem_file *pf = file->private_data;
	u64 start = (u64)vma->vm_pgoff << PAGE_SHIFT;
	u64 len = vma->vm_end - vma->vm_start;
	struct physmem_buf *buf;
	int ret = 0;

	if (!(vma->vm_flags & VM_MAYSHARE)) {
		physmem_refuse("private mmap of dma buffer [%#llx, +%#llx)",
			       start, len);
		return -EINVAL;
	}
	if (vma->vm_flags & VM_EXEC) {
		physmem_refuse("executable mmap of dma buffer [%#llx, +%#llx)",
			       start, len);
		return -EPERM;
	}

	down_read(&physmem_lock);
	buf = physmem_buf_find(pf, start, len);
	if (!buf) {
		physmem_refuse("mmap [%#llx, +%#llx) outside this file's dma buffers",
			       start, len);
		ret = -EPERM;
		goto out;
	}
	if (!buf->cpu) {
		ret = -ENODEV;
		goto out;
	}
	vm_flags_clear(vma, VM_MAYEXEC);
	/* What the DMA API maps for the CPU: cached on coherent devices. */
	if (!dev_is_dma_coherent(&physmem_buf_pdev(buf)->dev))
		vma->vm_page_prot = pgprot_dmacoherent(vma->vm_page_prot);
	vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = &physmem_buf_vm_ops;
	vma->vm_private_data = buf;
	kref_get(&buf->ref);
out:
	up_read(&physmem_lock);
	return ret;
}

/*
 * pread/pwrite of a buffer, page by page through a bounce buffer: no user
 * fault under physmem_lock, and a revocation waits for one page at most.
 */
ssize_t physmem_dma_rw(struct file *file, char __user *ubuf, size_t count,
		       loff_t *ppos, bool write)
{
	struct physmem_file *pf = file->private_data;
	u64 pos = (u64)*ppos;
	struct physmem_buf *buf;
	size_t done = 0;
	ssize_t ret = 0;
	u8 *bounce;

	if (!count)
		return 0;
	down_read(&physmem_lock);
	buf = physmem_buf_find(pf, pos, count);
	if (buf)
		kref_get(&buf->ref);
	up_read(&physmem_lock);
	if (!buf) {
		physmem_refuse("%s [%#llx, +%#zx) outside this file's dma buffers",
			       write ? "write" : "read", pos, count);
		return -EPERM;
	}
	bounce = kmalloc(min_t(size_t, count, PAGE_SIZE), GFP_KERNEL);
	if (!bounce) {
		ret = -ENOMEM;
		goto out;
	}

	while (done < count && !(done && signal_pending(current))) {
		u64 off = pos + done - buf->offset;
		size_t n = min_t(size_t, count - done,
				 PAGE_SIZE - offset_in_page(off));

		if (write && copy_from_user(bounce, ubuf + done, n)) {
			ret = -EFAULT;
			break;
		}
		down_read(&physmem_lock);
		if (!buf->cpu) {
			up_read(&physmem_lock);
			ret = -ENODEV;
			break;
		}
		if (write)
			memcpy(buf->cpu + off, bounce, n);
		else
			memcpy(bounce, buf->cpu + off, n);
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
	physmem_buf_put(buf);
	if (!done)
		return ret;
	*ppos += done;
	return done;
}

int physmem_bufs_show(struct seq_file *m)
{
	struct physmem_buf *buf;

	seq_puts(m, "# dma buffers: pid comm window size bus offset state\n");
	down_read(&physmem_lock);
	list_for_each_entry(buf, &physmem_bufs, node)
		seq_printf(m, "%d %s %s %#llx %#llx %#llx %s\n", buf->pid,
			   buf->comm, buf->win->def.name, buf->size,
			   (u64)buf->bus, buf->offset,
			   buf->cpu ? "held" : "revoked");
	up_read(&physmem_lock);
	return 0;
}

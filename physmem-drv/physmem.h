/* SPDX-License-Identifier: GPL-2.0 */
/*
 * physmem: internal declarations shared by the files of the module.
 */
#ifndef PHYSMEM_INTERNAL_H
#define PHYSMEM_INTERNAL_H

#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <uapi/linux/physmem.h>

struct pci_dev;
struct resource;
struct physmem_dev;

/* A window: one whitelisted physical range. */
struct physmem_win {
	struct list_head node;		/* in physmem_windows */
	struct kref ref;		/* the table and each mapping hold one */
	struct physmem_window def;	/* canonical request; compared by REPLACE */
	phys_addr_t base;		/* resolved range: [base, last], whole */
	phys_addr_t last;		/* pages with PHYSMEM_WIN_PAGES */
	bool mmap_ok;			/* fills its pages: mappable */
	bool gone;			/* revoked: no access any more */
	bool memtype_wc;		/* holds a write-combining PAT reservation */
	struct resource *claim;		/* our busy region, NULL if shared */
	struct pci_dev *pdev;		/* PCI source, referenced */
	bool pm_held;			/* holds a runtime PM reference on pdev */
	phys_addr_t bar_start;		/* PCI: the BAR when the window was made */
	phys_addr_t bar_last;
	char *claim_name;		/* the claim's name: lives as long as it */
	struct physmem_dev *dev;	/* grants dma/irq: the device, referenced */
	u64 dma_used;			/* buffer bytes held through this window */
};

/* Does the window grant anything to its device (dma or irq)? */
static inline bool physmem_win_grants(const struct physmem_win *win)
{
	return win->def.dma_size || (win->def.flags & PHYSMEM_WIN_IRQ);
}

/*
 * A PCI device physmem drives for user space, because a window grants it
 * dma or irq: the driver data of the bound device. The window that grants
 * holds a reference, and so does each buffer and interrupt.
 */
struct physmem_dev {
	struct kref ref;
	struct pci_dev *pdev;		/* referenced */
	bool gone;			/* unbound or removed; under physmem_lock */
	struct physmem_irq *irq;	/* the interrupt while open; physmem_lock */
};

/* Per open file of /dev/physmem: its DMA buffers (under physmem_lock). */
struct physmem_file {
	struct list_head bufs;
	unsigned int nr_bufs;
};

/*
 * physmem_lock protects the window table, the sealed flag, the list of
 * PCI devices being removed and win->gone. Device accesses hold it for
 * one access at a time, so a revocation waits for at most one access.
 * Lock order: mmap_lock -> physmem_lock -> resource and page-table locks.
 */
extern struct rw_semaphore physmem_lock;
extern struct list_head physmem_windows;
extern struct address_space *physmem_mapping;

/* window.c */
extern struct mutex physmem_table_mutex;
struct physmem_win *physmem_find(u64 start, u64 len);
struct physmem_win *physmem_find_name(const char *name);
bool physmem_name_valid(const char *name);
bool physmem_dev_granted(const struct pci_dev *pdev);
void physmem_dev_reset(struct pci_dev *pdev);
struct physmem_win *physmem_find_overlap(u64 start, u64 len);
void physmem_win_get(struct physmem_win *win);
void physmem_win_put(struct physmem_win *win);
void physmem_win_revoke(struct physmem_win *win);
int physmem_win_subrange(struct physmem_win *win, phys_addr_t start,
			 phys_addr_t last);
bool physmem_win_overlaps(const struct physmem_win *win, phys_addr_t start,
			  phys_addr_t last);
long physmem_ioctl_info(void __user *arg);
long physmem_ioctl_list(void __user *arg);
long physmem_ioctl_add(void __user *arg);
long physmem_ioctl_remove(void __user *arg);
long physmem_ioctl_seal(void);
long physmem_ioctl_replace(void __user *arg);
void physmem_windows_clear(void);
void physmem_orphans_retry(void);

/* pci.c */
int physmem_pci_resolve(struct physmem_win *win);
void physmem_pci_decode(struct physmem_win *win);
int physmem_pci_wake(struct pci_dev *pdev, const char *name);
void physmem_pci_sleep(struct pci_dev *pdev);
bool physmem_pci_leaving(const struct physmem_win *win);
bool physmem_pci_moved(const struct physmem_win *win);
bool physmem_win_usable(const struct physmem_win *win);
int physmem_pci_init(void);
void physmem_pci_exit(void);

/* owner.c: binding the devices that windows grant dma or irq */
int physmem_own(struct pci_dev *pdev, const char *why);
void physmem_owners_settle(void);
struct physmem_dev *physmem_dev_get_bound(struct pci_dev *pdev);
void physmem_dev_put(struct physmem_dev *dev);
int physmem_owner_init(void);
void physmem_owner_exit(void);

/* dma.c: DMA buffers */
/* File offsets of buffers: above every physical address, below 2^63. */
#if BITS_PER_LONG == 64
#define PHYSMEM_DMA_OFFSET_BASE	(1ULL << 56)
#define PHYSMEM_DMA_OFFSET_END	(1ULL << 62)
#else
/* mmap2 takes a 32-bit page offset: below 2^44. */
#define PHYSMEM_DMA_OFFSET_BASE	(1ULL << 42)
#define PHYSMEM_DMA_OFFSET_END	(1ULL << 44)
#endif
long physmem_ioctl_dma_alloc(struct file *file, void __user *arg);
long physmem_ioctl_dma_free(struct file *file, void __user *arg);
int physmem_dma_mmap(struct file *file, struct vm_area_struct *vma);
ssize_t physmem_dma_rw(struct file *file, char __user *ubuf, size_t count,
		       loff_t *ppos, bool write);
void physmem_dma_release_file(struct physmem_file *pf);
void physmem_dma_revoke(struct physmem_win *win, struct physmem_dev *dev);
int physmem_bufs_show(struct seq_file *m);

/* irq.c: interrupts */
long physmem_ioctl_irq_open(struct file *file, void __user *arg);
void physmem_irq_revoke(struct physmem_dev *dev, struct physmem_win *win);
bool physmem_irq_msi(const struct physmem_dev *dev);
void physmem_irq_show(struct seq_file *m, struct physmem_dev *dev);

/* mmap.c */
int physmem_mmap(struct file *file, struct vm_area_struct *vma);
int physmem_maps_show(struct seq_file *m);

/* rw.c */
ssize_t physmem_read(struct file *file, char __user *buf, size_t count,
		     loff_t *ppos);
ssize_t physmem_write(struct file *file, const char __user *buf,
		      size_t count, loff_t *ppos);
int physmem_access_kernel(struct physmem_win *win, u64 addr, void *buf,
			  size_t len, bool write);

/* procfs.c */
int physmem_proc_init(void);
void physmem_proc_exit(void);

/* Refused accesses are logged, but a looping caller must not flood the log. */
#define physmem_refuse(fmt, ...)					\
	pr_notice_ratelimited("refused: " fmt " (pid %d, %s)\n",	\
			      ##__VA_ARGS__, task_tgid_nr(current), current->comm)

#define physmem_audit(fmt, ...)						\
	pr_info(fmt " (pid %d, %s)\n", ##__VA_ARGS__,			\
		task_tgid_nr(current), current->comm)

#ifndef PHYSMEM_HAVE_VM_FLAGS_SET
/* Before 6.3 the flags were written directly. */
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}

static inline void vm_flags_clear(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}
#endif

#endif /* PHYSMEM_INTERNAL_H */

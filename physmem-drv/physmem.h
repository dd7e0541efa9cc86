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
	phys_addr_t bar_start;		/* PCI: the BAR when the window was made */
	phys_addr_t bar_last;
	char *claim_name;		/* the claim's name: lives as long as it */
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
struct physmem_win *physmem_find(u64 start, u64 len);
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
bool physmem_pci_leaving(const struct physmem_win *win);
bool physmem_pci_moved(const struct physmem_win *win);
bool physmem_win_usable(const struct physmem_win *win);
int physmem_pci_init(void);
void physmem_pci_exit(void);

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

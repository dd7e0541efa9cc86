// SPDX-License-Identifier: GPL-2.0
/*
 * physmem: /dev/mem restricted to whitelisted windows.
 *
 * Module init/exit, the misc device, open and ioctl dispatch. The order of
 * the checks in open follows drivers/char/mem.c: capability, then lockdown.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/compat.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/pseudo_fs.h>
#include <linux/ptrace.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "physmem.h"

#define PHYSMEM_FS_MAGIC	0x70687973	/* "phys" */

struct address_space *physmem_mapping;
static struct vfsmount *physmem_mnt;
static struct inode *physmem_inode;

static int physmem_open(struct inode *inode, struct file *file)
{
	struct physmem_file *pf;
	int ret;

	if (!capable(CAP_SYS_RAWIO))
		return -EPERM;

	ret = security_locked_down(LOCKDOWN_DEV_MEM);
	if (ret)
		return ret;

	/* The file's DMA buffers. */
	pf = kzalloc(sizeof(*pf), GFP_KERNEL);
	if (!pf)
		return -ENOMEM;
	INIT_LIST_HEAD(&pf->bufs);
	file->private_data = pf;

#ifndef FOP_UNSIGNED_OFFSET
	/* Physical addresses may exceed LLONG_MAX, as in /dev/mem. */
	file->f_mode |= FMODE_UNSIGNED_OFFSET;
#endif
	/*
	 * Every open file shares one address_space, whichever device node it
	 * came through, so revocation can zap all mappings of a range with a
	 * single unmap_mapping_range() (as /dev/mem does with iomem_get_mapping).
	 */
	file->f_mapping = physmem_mapping;
	return 0;
}

static int physmem_release(struct inode *inode, struct file *file)
{
	struct physmem_file *pf = file->private_data;

	/* A buffer still mapped goes with its last mapping. */
	physmem_dma_release_file(pf);
	kfree(pf);
	return 0;
}

/* Buffers live at offsets above every physical address. */
static bool physmem_dma_offset(u64 pos)
{
	return pos >= PHYSMEM_DMA_OFFSET_BASE;
}

static ssize_t physmem_fread(struct file *file, char __user *buf,
			     size_t count, loff_t *ppos)
{
	if (physmem_dma_offset(*ppos))
		return physmem_dma_rw(file, buf, count, ppos, false);
	return physmem_read(file, buf, count, ppos);
}

static ssize_t physmem_fwrite(struct file *file, const char __user *buf,
			      size_t count, loff_t *ppos)
{
	if (physmem_dma_offset(*ppos))
		/* physmem_dma_rw() only reads from BUF when writing. */
		return physmem_dma_rw(file, (char __user *)buf, count, ppos,
				      true);
	return physmem_write(file, buf, count, ppos);
}

static int physmem_fmmap(struct file *file, struct vm_area_struct *vma)
{
	if (physmem_dma_offset((u64)vma->vm_pgoff << PAGE_SHIFT))
		return physmem_dma_mmap(file, vma);
	return physmem_mmap(file, vma);
}

/* As memory_lseek() in mem.c: only absolute and relative seeks make sense. */
static loff_t physmem_llseek(struct file *file, loff_t offset, int whence)
{
	loff_t ret;

	inode_lock(file_inode(file));
	switch (whence) {
	case SEEK_CUR:
		offset += file->f_pos;
		fallthrough;
	case SEEK_SET:
		/* so that user space cannot mistake f_pos for an errno */
		if ((unsigned long long)offset >= -MAX_ERRNO) {
			ret = -EOVERFLOW;
			break;
		}
		file->f_pos = offset;
		ret = file->f_pos;
		force_successful_syscall_return();
		break;
	default:
		ret = -EINVAL;
	}
	inode_unlock(file_inode(file));
	return ret;
}

static bool physmem_ioctl_changes_table(unsigned int cmd)
{
	return cmd == PHYSMEM_IOC_ADD || cmd == PHYSMEM_IOC_REMOVE ||
	       cmd == PHYSMEM_IOC_SEAL || cmd == PHYSMEM_IOC_REPLACE;
}

/*
 * A table change widens or narrows what every opener can reach, so it is
 * checked on each call, not only at open: a descriptor may have been
 * passed to a process with fewer rights, or opened before lockdown was
 * raised. Writing the table takes a descriptor opened for writing.
 */
static int physmem_may_change_table(struct file *file)
{
	if (!(file->f_mode & FMODE_WRITE)) {
		physmem_refuse("window change through a read-only descriptor");
		return -EBADF;
	}
	if (!capable(CAP_SYS_ADMIN) || !capable(CAP_SYS_RAWIO)) {
		physmem_refuse("window change without CAP_SYS_ADMIN and CAP_SYS_RAWIO");
		return -EPERM;
	}
	return security_locked_down(LOCKDOWN_DEV_MEM);
}

static long physmem_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	int ret;

	if (physmem_ioctl_changes_table(cmd)) {
		ret = physmem_may_change_table(file);
		if (ret)
			return ret;
	}

	switch (cmd) {
	case PHYSMEM_IOC_INFO:
		return physmem_ioctl_info(uarg);
	case PHYSMEM_IOC_LIST:
		return physmem_ioctl_list(uarg);
	case PHYSMEM_IOC_ADD:
		return physmem_ioctl_add(uarg);
	case PHYSMEM_IOC_REMOVE:
		return physmem_ioctl_remove(uarg);
	case PHYSMEM_IOC_SEAL:
		return physmem_ioctl_seal();
	case PHYSMEM_IOC_REPLACE:
		return physmem_ioctl_replace(uarg);
	case PHYSMEM_IOC_DMA_ALLOC:
		return physmem_ioctl_dma_alloc(file, uarg);
	case PHYSMEM_IOC_DMA_FREE:
		return physmem_ioctl_dma_free(file, uarg);
	case PHYSMEM_IOC_IRQ_OPEN:
		return physmem_ioctl_irq_open(file, uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations physmem_fops = {
	.owner		= THIS_MODULE,
	.open		= physmem_open,
	.release	= physmem_release,
	.llseek		= physmem_llseek,
	.read		= physmem_fread,
	.write		= physmem_fwrite,
	.mmap		= physmem_fmmap,
	.unlocked_ioctl	= physmem_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
#ifdef FOP_UNSIGNED_OFFSET
	/* Physical addresses may exceed LLONG_MAX, as in /dev/mem. */
	.fop_flags	= FOP_UNSIGNED_OFFSET,
#endif
};

static struct miscdevice physmem_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= PHYSMEM_DEVICE_NAME,
	.fops	= &physmem_fops,
	.mode	= 0600,
};

static int physmem_fs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, PHYSMEM_FS_MAGIC) ? 0 : -ENOMEM;
}

/* No .owner: the internal mount must not pin the module. */
static struct file_system_type physmem_fs_type = {
	.name			= "physmem",
	.init_fs_context	= physmem_fs_init_fs_context,
	.kill_sb		= kill_anon_super,
};

static int physmem_mapping_init(void)
{
	physmem_mnt = kern_mount(&physmem_fs_type);
	if (IS_ERR(physmem_mnt))
		return PTR_ERR(physmem_mnt);

	physmem_inode = alloc_anon_inode(physmem_mnt->mnt_sb);
	if (IS_ERR(physmem_inode)) {
		kern_unmount(physmem_mnt);
		return PTR_ERR(physmem_inode);
	}
	physmem_mapping = physmem_inode->i_mapping;
	return 0;
}

static void physmem_mapping_exit(void)
{
	iput(physmem_inode);
	kern_unmount(physmem_mnt);
}

static int __init physmem_init(void)
{
	int ret;

	ret = physmem_mapping_init();
	if (ret)
		return ret;
	ret = physmem_pci_init();
	if (ret)
		goto err_mapping;
	ret = physmem_proc_init();
	if (ret)
		goto err_pci;
	ret = physmem_owner_init();
	if (ret)
		goto err_proc;
	ret = misc_register(&physmem_misc);
	if (ret)
		goto err_owner;
	return 0;

err_owner:
	physmem_owner_exit();
err_proc:
	physmem_proc_exit();
err_pci:
	physmem_pci_exit();
err_mapping:
	physmem_mapping_exit();
	return ret;
}

static void __exit physmem_exit(void)
{
	misc_deregister(&physmem_misc);
	physmem_proc_exit();
	/* Windows go before the notifier that revokes them on removal. */
	physmem_windows_clear();
	/* No window grants any more: every device goes back. */
	physmem_owner_exit();
	physmem_pci_exit();
	physmem_mapping_exit();
}

module_init(physmem_init);
module_exit(physmem_exit);

MODULE_DESCRIPTION("Access to whitelisted physical memory windows");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * physmem: interrupts of the devices that windows grant irq, UIO style.
 * IRQ_OPEN hands out a descriptor; read() returns the device's 32-bit
 * interrupt count once it differs from what that descriptor read last, so
 * interrupts that come while nobody waits are counted, not lost; poll()
 * says when. INTx is masked in the kernel when it fires, as
 * uio_pci_generic does (the line may be shared, and the device keeps it
 * asserted until it is acknowledged): user space acknowledges it at the
 * device and writes 1 to unmask. MSI needs no masking.
 *
 * The interrupt is requested with the first descriptor and freed with the
 * last, or when the grant is revoked; then readers get ENODEV.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/interrupt.h>
#include <linux/pci.h>
#include <linux/poll.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "physmem.h"

struct physmem_irq {
	struct kref ref;		/* each descriptor */
	struct physmem_win *win;	/* the granting window, referenced */
	struct pci_dev *pdev;		/* the window's */
	unsigned int mode;		/* PHYSMEM_IRQ_INTX or _MSI */
	int irq;
	unsigned int users;		/* open descriptors; under physmem_lock */
	bool dead;			/* freed: under lock, and physmem_lock */
	spinlock_t lock;		/* irqsave; also orders INTx mask writes */
	bool masked;			/* INTx masked by us; under lock */
	u32 count;			/* under lock */
	wait_queue_head_t wait;
	char name[PHYSMEM_NAME_MAX + 8];
};

/* One descriptor: what it read last. */
struct physmem_irq_file {
	struct physmem_irq *pi;
	u32 seen;
};

static irqreturn_t physmem_intx_handler(int irq, void *data)
{
	struct physmem_irq *pi = data;
	unsigned long flags;
	bool ours;

	/*
	 * Masked by us, so not ours (a line sharer's); or not asserting.
	 * Otherwise masked here: the device stays asserting until user
	 * space acknowledges it and unmasks.
	 */
	spin_lock_irqsave(&pi->lock, flags);
	ours = !pi->masked && pci_check_and_mask_intx(pi->pdev);
	if (ours) {
		pi->masked = true;
		pi->count++;
	}
	spin_unlock_irqrestore(&pi->lock, flags);
	if (!ours)
		return IRQ_NONE;
	wake_up_interruptible(&pi->wait);
	return IRQ_HANDLED;
}

static irqreturn_t physmem_msi_handler(int irq, void *data)
{
	struct physmem_irq *pi = data;
	unsigned long flags;

	spin_lock_irqsave(&pi->lock, flags);
	pi->count++;
	spin_unlock_irqrestore(&pi->lock, flags);
	wake_up_interruptible(&pi->wait);
	return IRQ_HANDLED;
}

/* Mask or unmask INTx, in step with the handler. */
static void physmem_intx_set(struct physmem_irq *pi, bool on)
{
	unsigned long flags;

	spin_lock_irqsave(&pi->lock, flags);
	pci_intx(pi->pdev, on);
	pi->masked = !on;
	spin_unlock_irqrestore(&pi->lock, flags);
}

static u32 physmem_irq_count(struct physmem_irq *pi, bool *dead)
{
	unsigned long flags;
	u32 c;

	spin_lock_irqsave(&pi->lock, flags);
	c = pi->count;
	*dead = pi->dead;
	spin_unlock_irqrestore(&pi->lock, flags);
	return c;
}

/* Free the interrupt; under physmem_lock for writing. */
static void physmem_irq_teardown(struct physmem_irq *pi)
{
	lockdep_assert_held_write(&physmem_lock);
	if (pi->dead)
		return;
	spin_lock_irq(&pi->lock);
	pi->dead = true;
	spin_unlock_irq(&pi->lock);
	wake_up_interruptible_all(&pi->wait);

	/*
	 * No handler any more: a device left asserting stays masked (and
	 * disabling MSI turns INTx back on: masked again after it).
	 */
	if (pi->mode == PHYSMEM_IRQ_INTX)
		physmem_intx_set(pi, false);
	free_irq(pi->irq, pi);
	if (pi->mode == PHYSMEM_IRQ_MSI) {
		pci_free_irq_vectors(pi->pdev);
		if (pci_intx_mask_supported(pi->pdev))
			pci_intx(pi->pdev, 0);
	}
	if (pi->win->dev && pi->win->dev->irq == pi)
		pi->win->dev->irq = NULL;
}

/* The grant is gone: free the interrupt of WIN, or any of DEV (WIN NULL). */
void physmem_irq_revoke(struct physmem_dev *dev, struct physmem_win *win)
{
	struct physmem_irq *pi = dev->irq;

	lockdep_assert_held_write(&physmem_lock);
	if (!pi || (win && pi->win != win))
		return;
	physmem_irq_teardown(pi);
	dev->irq = NULL;
}

static void physmem_irq_release(struct kref *ref)
{
	struct physmem_irq *pi = container_of(ref, struct physmem_irq, ref);

	physmem_win_put(pi->win);
	kfree(pi);
}

static int physmem_irq_setup(struct physmem_irq *pi, unsigned int mode)
{
	struct pci_dev *pdev = pi->pdev;
	int ret;

	/*
	 * An MSI is a write to memory: the device must master the bus, so
	 * MSI comes only with a dma grant.
	 */
	bool msi_ok = pdev->msi_cap && pi->win->def.dma_size;

	if (mode == PHYSMEM_IRQ_MSI && !msi_ok) {
		if (!pdev->msi_cap)
			physmem_refuse("interrupt of window %s: device %s has no MSI",
				       pi->win->def.name, pci_name(pdev));
		else
			physmem_refuse("interrupt of window %s: MSI needs bus mastering, which only a dma grant gives",
				       pi->win->def.name);
		return pdev->msi_cap ? -EPERM : -ENXIO;
	}
	if (mode != PHYSMEM_IRQ_INTX && msi_ok) {
		pi->mode = PHYSMEM_IRQ_MSI;
		ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
		if (ret >= 0) {
			pi->irq = pci_irq_vector(pdev, 0);
			ret = request_irq(pi->irq, physmem_msi_handler, 0,
					  pi->name, pi);
			if (ret)
				pci_free_irq_vectors(pdev);
		}
		if (!ret) {
			pci_set_master(pdev);
			return 0;
		}
		/* AUTO falls back to INTx (pci=nomsi, no vectors left). */
		if (mode == PHYSMEM_IRQ_MSI)
			return ret;
	}
	pi->mode = PHYSMEM_IRQ_INTX;

	if (!pdev->irq || !pci_intx_mask_supported(pdev)) {
		physmem_refuse("interrupt of window %s: device %s has no INTx that can be masked",
			       pi->win->def.name, pci_name(pdev));
		return -ENXIO;
	}
	pi->irq = pdev->irq;
	pi->masked = true;	/* by probe: the handler ignores the line */
	ret = request_irq(pi->irq, physmem_intx_handler, IRQF_SHARED, pi->name,
			  pi);
	if (ret)
		return ret;
	physmem_intx_set(pi, true);
	return 0;
}

static ssize_t physmem_irq_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct physmem_irq_file *f = file->private_data;
	struct physmem_irq *pi = f->pi;

	if (count != sizeof(u32))
		return -EINVAL;
	for (;;) {
		bool dead;
		u32 c = physmem_irq_count(pi, &dead);
		int ret;

		if (dead)
			return -ENODEV;
		if (c != READ_ONCE(f->seen)) {
			if (copy_to_user(ubuf, &c, sizeof(c)))
				return -EFAULT;
			WRITE_ONCE(f->seen, c);
			return sizeof(c);
		}
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(pi->wait,
					       READ_ONCE(pi->count) != READ_ONCE(f->seen) ||
					       READ_ONCE(pi->dead));
		if (ret)
			return ret;
	}
}

/* 1 unmasks INTx, 0 masks it; with MSI, accepted and nothing done. */
static ssize_t physmem_irq_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct physmem_irq_file *f = file->private_data;
	struct physmem_irq *pi = f->pi;
	ssize_t ret = sizeof(u32);
	u32 on;

	if (count != sizeof(u32))
		return -EINVAL;
	if (copy_from_user(&on, ubuf, sizeof(on)))
		return -EFAULT;
	down_read(&physmem_lock);
	if (pi->dead)
		ret = -ENODEV;
	else if (pi->mode == PHYSMEM_IRQ_INTX)
		physmem_intx_set(pi, on);
	up_read(&physmem_lock);
	return ret;
}

static __poll_t physmem_irq_poll(struct file *file, poll_table *wait)
{
	struct physmem_irq_file *f = file->private_data;
	struct physmem_irq *pi = f->pi;
	bool dead;
	u32 c;

	poll_wait(file, &pi->wait, wait);
	c = physmem_irq_count(pi, &dead);
	if (dead)
		return EPOLLERR | EPOLLHUP;
	return c != READ_ONCE(f->seen) ? EPOLLIN | EPOLLRDNORM : 0;
}

/* A descriptor goes: the last one frees the interrupt. */
static void physmem_irq_file_free(struct physmem_irq_file *f)
{
	struct physmem_irq *pi = f->pi;

	down_write(&physmem_lock);
	if (!--pi->users)
		physmem_irq_teardown(pi);
	up_write(&physmem_lock);
	kref_put(&pi->ref, physmem_irq_release);
	kfree(f);
}

static int physmem_irq_file_release(struct inode *inode, struct file *file)
{
	physmem_irq_file_free(file->private_data);
	return 0;
}

static const struct file_operations physmem_irq_fops = {
	.owner		= THIS_MODULE,
	.read		= physmem_irq_read,
	.write		= physmem_irq_write,
	.poll		= physmem_irq_poll,
	.release	= physmem_irq_file_release,
	.llseek		= noop_llseek,
};

/* The device's interrupt for WIN, with one more user, or an ERR_PTR. */
static struct physmem_irq *physmem_irq_get(const struct physmem_irq_open *req)
{
	struct physmem_win *win = physmem_find_name(req->name);
	struct physmem_irq *pi;
	int ret;

	lockdep_assert_held_write(&physmem_lock);
	if (!win || win->gone) {
		physmem_refuse("interrupt of window %s: no such window", req->name);
		return ERR_PTR(-ENOENT);
	}
	if (!(win->def.flags & PHYSMEM_WIN_IRQ)) {
		physmem_refuse("interrupt of window %s: the window grants no irq",
			       req->name);
		return ERR_PTR(-EPERM);
	}
	if (!win->dev || win->dev->gone)
		return ERR_PTR(-ENODEV);

	pi = win->dev->irq;
	if (pi) {
		if (req->mode != PHYSMEM_IRQ_AUTO && req->mode != pi->mode) {
			physmem_refuse("interrupt of window %s: open as %s",
				       req->name,
				       pi->mode == PHYSMEM_IRQ_MSI ? "MSI" : "INTx");
			return ERR_PTR(-EBUSY);
		}
		kref_get(&pi->ref);
		pi->users++;
		return pi;
	}

	pi = kzalloc(sizeof(*pi), GFP_KERNEL);
	if (!pi)
		return ERR_PTR(-ENOMEM);
	kref_init(&pi->ref);
	spin_lock_init(&pi->lock);
	init_waitqueue_head(&pi->wait);
	physmem_win_get(win);
	pi->win = win;
	pi->pdev = win->pdev;
	snprintf(pi->name, sizeof(pi->name), "physmem:%s", win->def.name);
	ret = physmem_irq_setup(pi, req->mode);
	if (ret) {
		pi->dead = true;
		kref_put(&pi->ref, physmem_irq_release);
		return ERR_PTR(ret);
	}
	pi->users = 1;
	win->dev->irq = pi;
	physmem_audit("interrupt of window %s: %s, irq %d", win->def.name,
		      pi->mode == PHYSMEM_IRQ_MSI ? "MSI" : "INTx", pi->irq);
	return pi;
}

long physmem_ioctl_irq_open(struct file *dev_file, void __user *arg)
{
	struct physmem_irq_open req;
	struct physmem_irq_file *f;
	struct physmem_irq *pi;
	struct file *file;
	bool dead;
	int fd, ret;

	/* Unmasking and MSI's bus mastering change the device. */
	if (!(dev_file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (!physmem_name_valid(req.name) || req.mode > PHYSMEM_IRQ_MSI ||
	    (req.flags & ~PHYSMEM_IRQ_NONBLOCK) || req.__reserved[0] ||
	    req.__reserved[1])
		return -EINVAL;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	down_write(&physmem_lock);
	pi = physmem_irq_get(&req);
	up_write(&physmem_lock);
	if (IS_ERR(pi)) {
		kfree(f);
		return PTR_ERR(pi);
	}
	f->pi = pi;
	f->seen = physmem_irq_count(pi, &dead);

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto out_release;
	}
	file = anon_inode_getfile("[physmem-irq]", &physmem_irq_fops, f,
				  O_RDWR | (req.flags & PHYSMEM_IRQ_NONBLOCK ?
					    O_NONBLOCK : 0));
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		put_unused_fd(fd);
		goto out_release;
	}
	req.mode = pi->mode;
	if (copy_to_user(arg, &req, sizeof(req))) {
		put_unused_fd(fd);
		fput(file);	/* releases f and the user */
		return -EFAULT;
	}
	fd_install(fd, file);
	return fd;

out_release:
	physmem_irq_file_free(f);
	return ret;
}

/* Is the device's interrupt open as MSI? Under physmem_lock. */
bool physmem_irq_msi(const struct physmem_dev *dev)
{
	return dev->irq && !dev->irq->dead && dev->irq->mode == PHYSMEM_IRQ_MSI;
}

void physmem_irq_show(struct seq_file *m, struct physmem_dev *dev)
{
	struct physmem_irq *pi = dev->irq;
	bool dead;

	if (!pi)
		return;
	seq_printf(m, "%s %s %s %d %u %u\n", pi->win->def.name,
		   pci_name(pi->pdev),
		   pi->mode == PHYSMEM_IRQ_MSI ? "msi" : "intx", pi->irq,
		   physmem_irq_count(pi, &dead), pi->users);
}
